/*
 * audit_sets.c - the auditor's unit-hash lists (sdc rule R15): for each distinct released
 * population, the sorted top 32 bits of the salted audit hash of its units, so that a new
 * population can be compared with an earlier one by one merge.
 *
 * File format (audit_path + ".sets", appended, never rewritten): per list "MDS2", le64
 * count, le64 byte length, then the values as LEB128 varints of the gaps between
 * consecutive values (the first from 0). Gaps between millions of sorted 32-bit hashes are
 * small, so a list costs about 2 bytes per unit: 10 MB for 5.5 million units, measured.
 * With no file (fd < 0) the lists are kept in memory as plain arrays.
 */
#include "sdc/sdc_int.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SET_MAGIC "MDS2"
#define SET_HEADER 20

static MdStatus lists_damaged(MdError *err, const char *path, const char *what)
{
    md_error_set(err, MD_ERR_VALUE, "the audit unit lists of %s are not intact: %s",
                 path ? path : "(memory)", what);
    md_error_hint(err, "an operator must inspect the log; releases stop until it is fixed");
    return MD_ERR_VALUE;
}

static void store_le(uint8_t *p, uint64_t v, int bytes)
{
    for (int i = 0; i < bytes; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static MdStatus write_all(int fd, const void *data, size_t len)
{
    const uint8_t *p = data;
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return MD_ERR_IO;
        p += w;
        len -= (size_t)w;
    }
    return MD_OK;
}

static size_t varint_len(uint32_t v)
{
    size_t n = 1;
    while (v >= 0x80) {
        v >>= 7;
        n++;
    }
    return n;
}

static size_t varint_put(uint8_t *p, uint32_t v)
{
    size_t n = 0;
    while (v >= 0x80) {
        p[n++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    p[n++] = (uint8_t)v;
    return n;
}

/* Writes the gaps of a sorted list as LEB128 varints (about 2 bytes per unit for millions
 * of units, against 4 for the plain list). */
static MdStatus write_gaps(int fd, const uint32_t *hashes, int64_t n)
{
    uint8_t block[4096];
    size_t used = 0;
    uint32_t prev = 0;
    MdStatus status = MD_OK;
    for (int64_t i = 0; status == MD_OK && i < n; i++) {
        used += varint_put(block + used, hashes[i] - prev);
        prev = hashes[i];
        if (used > sizeof block - 8) {
            status = write_all(fd, block, used);
            used = 0;
        }
    }
    if (status == MD_OK && used > 0)
        status = write_all(fd, block, used);
    return status;
}

/* Appends a sorted hash list; *ref is its offset (file) or index (memory). */
MdStatus sdc_sets_store(SdcSetStore *a, const uint32_t *hashes, int64_t n, int64_t *ref,
                          MdError *err)
{
    if (a->fd < 0) {
        if (md_grow((void **)&a->mem, &a->cap_mem, a->n_mem + 1,
                    sizeof *a->mem) != MD_OK)
            return md_error_set(err, MD_ERR_MEMORY, "out of memory in the audit");
        uint32_t *copy = md_malloc((size_t)(n > 0 ? n : 1) * sizeof *copy);
        if (!copy)
            return md_error_set(err, MD_ERR_MEMORY, "out of memory in the audit");
        memcpy(copy, hashes, (size_t)n * sizeof *copy);
        a->mem[a->n_mem] = (SdcMemSet){copy, n};
        *ref = (int64_t)a->n_mem++;
        return MD_OK;
    }
    struct stat st;
    if (fstat(a->fd, &st) != 0)
        return md_error_set(err, MD_ERR_IO, "cannot read the audit unit lists %s", a->path);
    uint64_t bytes = 0;
    uint32_t prev = 0;
    for (int64_t i = 0; i < n; i++) {
        bytes += varint_len(hashes[i] - prev);
        prev = hashes[i];
    }
    uint8_t header[SET_HEADER];
    memcpy(header, SET_MAGIC, 4);
    store_le(header + 4, (uint64_t)n, 8);
    store_le(header + 12, bytes, 8);
    MdStatus status = write_all(a->fd, header, sizeof header);
    if (status == MD_OK)
        status = write_gaps(a->fd, hashes, n);
    if (status != MD_OK)
        return md_error_set(err, MD_ERR_IO, "cannot append to the audit unit lists %s", a->path);
    *ref = (int64_t)st.st_size;
    return MD_OK;
}

static uint64_t load_le(const uint8_t *p, int bytes)
{
    uint64_t v = 0;
    for (int i = bytes - 1; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

/* Decodes n gaps from bytes[0..len); false unless it is exactly that. */
static bool decode_gaps(const uint8_t *bytes, size_t len, uint32_t *out, uint64_t n)
{
    size_t pos = 0;
    uint64_t value = 0;
    for (uint64_t i = 0; i < n; i++) {
        uint64_t gap = 0;
        int shift = 0;
        for (;;) {
            if (pos >= len || shift > 28)
                return false;
            uint8_t b = bytes[pos++];
            gap |= (uint64_t)(b & 0x7F) << shift;
            shift += 7;
            if (!(b & 0x80))
                break;
        }
        value += gap;
        if (value > UINT32_MAX)
            return false;
        out[i] = (uint32_t)value;
    }
    return pos == len;
}

/* Loads a stored list (owned by the caller: md_free). */
MdStatus sdc_sets_load(const SdcSetStore *a, int64_t ref, uint32_t **out, int64_t *n_out,
                         MdError *err)
{
    if (a->fd < 0) {
        if (ref < 0 || (size_t)ref >= a->n_mem)
            return lists_damaged(err, a->path, "a population list is missing");
        const SdcMemSet *s = &a->mem[ref];
        *out = md_malloc((size_t)(s->n > 0 ? s->n : 1) * sizeof **out);
        if (!*out)
            return md_error_set(err, MD_ERR_MEMORY, "out of memory in the audit");
        memcpy(*out, s->hashes, (size_t)s->n * sizeof **out);
        *n_out = s->n;
        return MD_OK;
    }
    uint8_t header[SET_HEADER];
    if (pread(a->fd, header, sizeof header, ref) != (ssize_t)sizeof header ||
        memcmp(header, SET_MAGIC, 4) != 0)
        return lists_damaged(err, a->path, "a population list is missing");
    uint64_t n = load_le(header + 4, 8), len = load_le(header + 12, 8);
    if (n > (uint64_t)1 << 36 || len > 5 * n)
        return lists_damaged(err, a->path, "a population list is damaged");
    uint32_t *h = md_malloc((size_t)(n > 0 ? n : 1) * sizeof *h);
    uint8_t *bytes = md_malloc((size_t)(len > 0 ? len : 1));
    MdStatus status = MD_OK;
    if (!h || !bytes)
        status = md_error_set(err, MD_ERR_MEMORY, "out of memory in the audit");
    else if (pread(a->fd, bytes, (size_t)len, ref + SET_HEADER) != (ssize_t)len)
        status = lists_damaged(err, a->path, "a population list is truncated");
    else if (!decode_gaps(bytes, (size_t)len, h, n))
        status = lists_damaged(err, a->path, "a population list is damaged");
    md_free(bytes);
    if (status != MD_OK) {
        md_free(h);
        return status;
    }
    *out = h;
    *n_out = (int64_t)n;
    return MD_OK;
}

/* LSD radix sort of 32-bit values in two 16-bit passes; tmp holds n values, count
 * 65536 counters. */
void sdc_sort_u32(uint32_t *v, uint32_t *tmp, uint32_t *count, int64_t n)
{
    for (int pass = 0; pass < 2; pass++) {
        int shift = 16 * pass;
        memset(count, 0, 65536 * sizeof *count);
        for (int64_t i = 0; i < n; i++)
            count[(v[i] >> shift) & 0xFFFFu]++;
        uint32_t sum = 0;
        for (int i = 0; i < 65536; i++) {
            uint32_t c = count[i];
            count[i] = sum;
            sum += c;
        }
        for (int64_t i = 0; i < n; i++)
            tmp[count[(v[i] >> shift) & 0xFFFFu]++] = v[i];
        memcpy(v, tmp, (size_t)n * sizeof *v);
    }
}

/* Symmetric difference of two sorted lists (multisets), counted up to cap. */
int64_t sdc_symmetric_difference(const uint32_t *a, int64_t na, const uint32_t *b,
                                    int64_t nb, int64_t cap)
{
    int64_t i = 0, j = 0, d = 0;
    while (i < na && j < nb && d < cap) {
        if (a[i] == b[j]) {
            i++;
            j++;
        } else if (a[i] < b[j]) {
            i++;
            d++;
        } else {
            j++;
            d++;
        }
    }
    d += (na - i) + (nb - j);
    return d < cap ? d : cap;
}

void sdc_sets_close(SdcSetStore *a)
{
    if (a->fd >= 0)
        close(a->fd);
    a->fd = -1;
    for (size_t i = 0; i < a->n_mem; i++)
        md_free(a->mem[i].hashes);
    md_free(a->mem);
    a->mem = NULL;
    a->n_mem = a->cap_mem = 0;
}
