/*
 * part_file.c - the immutable column file of one part of a variable: writing it crash-safely
 * and mapping it read-only with full validation of the header and the layout.
 *
 * Layout (little-endian, every array 8-byte aligned; docs/datastore-format.md):
 *   PartHeader (104 bytes, checksum over its first 96 bytes)
 *   unit_ids  uint64[n]
 *   starts    int32[n]
 *   stops     int32[n]
 *   values    int64/double[n] (LONG, DOUBLE) or int32[n] (DATE) or uint32[n] (STRING), padded
 *   dict_offsets uint64[n_dict + 1] (STRING only; offsets into dict bytes)
 *   dict bytes, every string NUL-terminated, padded to 8
 * A reader reaches the mapping only through const pointers. A file that does not match
 * the layout computed from its header is an MD_ERR_IO naming the file, never a crash.
 */
#include "store/store_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define PART_MAGIC "MDPART\r\n"
#define PART_VERSION 1u
#define PART_HASH_SEED 0x6d64617461ULL

typedef struct PartHeader {
    char magic[8];
    uint32_t version;
    uint32_t value_type;
    uint64_t n_rows;
    uint64_t n_dict;
    uint64_t off_unit_ids;
    uint64_t off_starts;
    uint64_t off_stops;
    uint64_t off_values;
    uint64_t off_dict_offsets;
    uint64_t off_dict_bytes;
    uint64_t dict_bytes_len;
    uint64_t file_size;
    uint64_t checksum;
} PartHeader;

_Static_assert(sizeof(PartHeader) == 104, "part header is 104 bytes on disk");
_Static_assert(offsetof(PartHeader, checksum) == 96, "checksum closes the header");

static uint64_t align8(uint64_t x) { return (x + 7) & ~(uint64_t)7; }

size_t part_value_width(ValueType type)
{
    return (type == VALUE_LONG || type == VALUE_DOUBLE) ? 8 : 4;
}

/* Fills every offset of h from n_rows, the type and the dictionary sizes. Returns false
 * when the sizes overflow. */
static bool layout_compute(PartHeader *h)
{
    uint64_t n = h->n_rows;
    uint64_t limit = (uint64_t)1 << 40;
    if (n > limit || h->n_dict > UINT32_MAX || h->dict_bytes_len > limit)
        return false;
    h->off_unit_ids = sizeof(PartHeader);
    h->off_starts = h->off_unit_ids + 8 * n;
    h->off_stops = h->off_starts + 4 * n;
    h->off_values = align8(h->off_stops + 4 * n);
    uint64_t end = align8(h->off_values + part_value_width((ValueType)h->value_type) * n);
    h->off_dict_offsets = end;
    if (h->value_type == VALUE_STRING) {
        h->off_dict_bytes = end + 8 * (h->n_dict + 1);
        end = align8(h->off_dict_bytes + h->dict_bytes_len);
    } else {
        h->off_dict_bytes = end;
    }
    h->file_size = end;
    return true;
}

static uint64_t header_checksum(const PartHeader *h)
{
    return md_hash_bytes(h, offsetof(PartHeader, checksum), PART_HASH_SEED);
}

/* ==== Writing ========================================================================== */

static MdStatus write_block(int fd, const void *data, size_t len, const char *path,
                            MdError *err)
{
    const char *p = data;
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return md_error_set(err, MD_ERR_IO, "cannot write %s: %s", path, strerror(errno));
        p += w;
        len -= (size_t)w;
    }
    return MD_OK;
}

static MdStatus write_padding(int fd, uint64_t from, uint64_t to, const char *path,
                              MdError *err)
{
    static const char zeros[8] = {0};
    return to > from ? write_block(fd, zeros, (size_t)(to - from), path, err) : MD_OK;
}

static MdStatus write_dictionary(int fd, const PartData *d, const PartHeader *h,
                                 const char *path, MdError *err)
{
    uint64_t offset = 0;
    for (uint32_t i = 0; i <= d->n_dictionary; i++) {
        if (write_block(fd, &offset, 8, path, err))
            return err->status;
        if (i < d->n_dictionary)
            offset += strlen(d->dictionary[i]) + 1;
    }
    for (uint32_t i = 0; i < d->n_dictionary; i++) {
        if (write_block(fd, d->dictionary[i], strlen(d->dictionary[i]) + 1, path, err))
            return err->status;
    }
    return write_padding(fd, h->off_dict_bytes + h->dict_bytes_len, h->file_size, path, err);
}

static MdStatus write_body(int fd, const PartData *d, const PartHeader *h, const char *path,
                           MdError *err)
{
    size_t n = (size_t)d->n;
    size_t w = part_value_width(d->type);
    if (write_block(fd, h, sizeof *h, path, err) ||
        write_block(fd, d->unit_ids, 8 * n, path, err) ||
        write_block(fd, d->starts, 4 * n, path, err) ||
        write_block(fd, d->stops, 4 * n, path, err) ||
        write_padding(fd, h->off_stops + 4 * n, h->off_values, path, err) ||
        write_block(fd, d->values, w * n, path, err) ||
        write_padding(fd, h->off_values + w * n, h->off_dict_offsets, path, err))
        return err->status;
    if (d->type == VALUE_STRING)
        return write_dictionary(fd, d, h, path, err);
    return MD_OK;
}

MdStatus part_file_write(const char *path, const PartData *data, MdError *err)
{
    PartHeader h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, PART_MAGIC, 8);
    h.version = PART_VERSION;
    h.value_type = (uint32_t)data->type;
    h.n_rows = (uint64_t)data->n;
    if (data->type == VALUE_STRING) {
        h.n_dict = data->n_dictionary;
        for (uint32_t i = 0; i < data->n_dictionary; i++)
            h.dict_bytes_len += strlen(data->dictionary[i]) + 1;
    }
    if (!layout_compute(&h))
        return md_error_set(err, MD_ERR_LIMIT, "part %s is too large", path);
    h.checksum = header_checksum(&h);
    char tmp[STORE_PATH_MAX];
    if (store_path(tmp, sizeof tmp, err, "%s.tmp-%ld", path, (long)getpid()))
        return err->status;
    unlink(tmp);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0444); /* immutable once written */
    if (fd < 0)
        return md_error_set(err, MD_ERR_IO, "cannot create %s: %s", tmp, strerror(errno));
    MdStatus st = write_body(fd, data, &h, tmp, err);
    if (st == MD_OK && fsync(fd) != 0)
        st = md_error_set(err, MD_ERR_IO, "cannot sync %s: %s", tmp, strerror(errno));
    if (close(fd) != 0 && st == MD_OK)
        st = md_error_set(err, MD_ERR_IO, "cannot close %s: %s", tmp, strerror(errno));
    if (st == MD_OK && rename(tmp, path) != 0)
        st = md_error_set(err, MD_ERR_IO, "cannot rename %s: %s", tmp, strerror(errno));
    if (st != MD_OK)
        unlink(tmp);
    return st;
}

/* ==== Reading ========================================================================== */

static PartMap *map_fail(PartMap *map, const char *path, const char *what, MdError *err)
{
    md_error_set(err, MD_ERR_IO, "part file %s is damaged: %s", path, what);
    md_error_hint(err, "the datastore is corrupt; restore it from a backup or re-import");
    part_map_close(map);
    return NULL;
}

static const char *header_problem(const PartHeader *h, size_t file_size)
{
    if (memcmp(h->magic, PART_MAGIC, 8) != 0)
        return "not a part file (bad magic)";
    if (h->checksum != header_checksum(h))
        return "header checksum does not match";
    if (h->version != PART_VERSION)
        return "unsupported part format version";
    if (h->value_type > VALUE_STRING)
        return "unknown value type";
    PartHeader expect = *h;
    if (!layout_compute(&expect))
        return "sizes out of range";
    if (memcmp(&expect, h, offsetof(PartHeader, checksum)) != 0)
        return "array offsets do not match the row count";
    if (h->file_size != file_size)
        return "file size does not match the header (truncated?)";
    return NULL;
}

static const char *dictionary_build(PartMap *map, const PartHeader *h)
{
    const uint64_t *offsets = (const uint64_t *)(map->base + h->off_dict_offsets);
    const char *bytes = (const char *)(map->base + h->off_dict_bytes);
    if (offsets[0] != 0 || offsets[h->n_dict] != h->dict_bytes_len)
        return "dictionary offsets out of range";
    map->dictionary = md_calloc(h->n_dict + 1, sizeof *map->dictionary);
    if (!map->dictionary)
        return "out of memory for the dictionary";
    for (uint64_t i = 0; i < h->n_dict; i++) {
        if (offsets[i + 1] <= offsets[i] || offsets[i + 1] > h->dict_bytes_len ||
            bytes[offsets[i + 1] - 1] != '\0')
            return "dictionary string out of range";
        map->dictionary[i] = bytes + offsets[i];
    }
    map->n_dictionary = (uint32_t)h->n_dict;
    const uint32_t *ids = map->values;
    for (int64_t i = 0; i < map->n; i++) {
        if (ids[i] >= map->n_dictionary)
            return "string id outside the dictionary";
    }
    return NULL;
}

static const uint8_t *map_file(const char *path, size_t *size, MdError *err)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        md_error_set(err, MD_ERR_IO, "cannot open part file %s: %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < (off_t)sizeof(PartHeader)) {
        close(fd);
        md_error_set(err, MD_ERR_IO, "part file %s is damaged: shorter than its header", path);
        return NULL;
    }
    *size = (size_t)st.st_size;
    void *base = mmap(NULL, *size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (base == MAP_FAILED) {
        md_error_set(err, MD_ERR_IO, "cannot map part file %s: %s", path, strerror(errno));
        return NULL;
    }
    return base;
}

PartMap *part_map_open(const char *path, MdError *err)
{
    PartMap *map = md_calloc(1, sizeof *map);
    if (!map) {
        md_error_set(err, MD_ERR_MEMORY, "out of memory opening %s", path);
        return NULL;
    }
    map->base = map_file(path, &map->size, err);
    if (!map->base) {
        md_free(map);
        return NULL;
    }
    PartHeader h;
    memcpy(&h, map->base, sizeof h);
    const char *problem = header_problem(&h, map->size);
    if (problem)
        return map_fail(map, path, problem, err);
    map->n = (int64_t)h.n_rows;
    map->type = (ValueType)h.value_type;
    map->unit_ids = (const uint64_t *)(map->base + h.off_unit_ids);
    map->starts = (const int32_t *)(map->base + h.off_starts);
    map->stops = (const int32_t *)(map->base + h.off_stops);
    map->values = map->base + h.off_values;
    if (map->type == VALUE_STRING) {
        problem = dictionary_build(map, &h);
        if (problem)
            return map_fail(map, path, problem, err);
    }
    return map;
}

/* Drops the pages of the mapping from this process's resident set once a query has copied
 * what it needs. They stay in the page cache and fault back in (from the unchanged file)
 * when read again, so the data stays valid; memory use then counts the copied columns, not
 * every part a script ever touched. */
void part_map_release_pages(const PartMap *map)
{
    if (map && map->base)
        madvise((void *)map->base, map->size, MADV_DONTNEED);
}

void part_map_close(PartMap *map)
{
    if (!map)
        return;
    if (map->base)
        munmap((void *)map->base, map->size);
    md_free(map->dictionary);
    md_free(map);
}
