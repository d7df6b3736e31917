/*
 * histories_io.c - the life histories on disk: <store>/gen/histories.bin is a 64-byte
 * header (magic, format version, person count, seed, scale) followed by the person columns
 * exactly as they lie in memory (gen_persons_layout), so that opening is one mmap.
 */
#include "store/gen/gen_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define HIST_MAGIC "MDGENHS1"
#define HIST_VERSION 1u
#define HIST_HEADER 64

typedef struct HistHeader {
    char magic[8];
    uint32_t version;
    uint32_t header_size;
    int64_t n;
    uint64_t seed;
    double scale;
    uint64_t body_size;
    char pad[16];
} HistHeader;

static size_t a16(size_t n) { return (n + 15) & ~(size_t)15; }

size_t gen_persons_layout(GenPersons *p, char *block, int64_t n)
{
    size_t un = (size_t)n;
    size_t i32 = a16(un * 4), u16 = a16(un * 2), u8 = a16(un), pre = a16((un + 1) * 4);
    size_t total = 13 * i32 + 3 * u16 + 4 * u8 + GEN_CHILD_COUNT * pre;
    if (p == NULL) {
        return total;
    }
    char *at = block;
    int32_t **cols32[] = {&p->birth, &p->death, &p->arrival, &p->emig, &p->ret, &p->mother,
                          &p->father, &p->partner, &p->union_start, &p->union_end,
                          &p->move_date, &p->edu_done};
    for (size_t c = 0; c < MD_ARRAY_LEN(cols32); c++, at += i32) {
        *cols32[c] = (int32_t *)at;
    }
    p->ability = (float *)at, at += i32;
    uint16_t **cols16[] = {&p->home, &p->home2, &p->country};
    for (size_t c = 0; c < MD_ARRAY_LEN(cols16); c++, at += u16) {
        *cols16[c] = (uint16_t *)at;
    }
    uint8_t **cols8[] = {&p->sex, &p->edu, &p->flags, &p->parity};
    for (size_t c = 0; c < MD_ARRAY_LEN(cols8); c++, at += u8) {
        *cols8[c] = (uint8_t *)at;
    }
    for (int c = 0; c < GEN_CHILD_COUNT; c++, at += pre) {
        p->child_first[c] = (uint32_t *)at;
    }
    p->n = n;
    return total;
}

static MdStatus hist_write_all(int fd, const void *data, size_t len)
{
    const char *at = data;
    while (len > 0) {
        ssize_t w = write(fd, at, len > (1u << 30) ? (1u << 30) : len);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            return MD_ERR_IO;
        }
        at += w;
        len -= (size_t)w;
    }
    return MD_OK;
}

MdStatus gen_histories_write(const GenHistories *h, const char *path, MdError *err)
{
    HistHeader hdr;
    memset(&hdr, 0, sizeof(hdr));
    memcpy(hdr.magic, HIST_MAGIC, 8);
    hdr.version = HIST_VERSION;
    hdr.header_size = HIST_HEADER;
    hdr.n = h->p.n;
    hdr.seed = h->seed;
    hdr.scale = h->scale;
    hdr.body_size = gen_persons_layout(NULL, NULL, h->p.n);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        return md_error_set(err, MD_ERR_IO, "cannot create %s: %s", path, strerror(errno));
    }
    MdStatus st = hist_write_all(fd, &hdr, sizeof(hdr));
    if (st == MD_OK) {
        st = hist_write_all(fd, h->p.birth, hdr.body_size);
    }
    if (close(fd) != 0 || st != MD_OK) {
        return md_error_set(err, MD_ERR_IO, "cannot write %s: %s", path, strerror(errno));
    }
    return MD_OK;
}

MdStatus gen_histories_open(GenHistories *h, const char *path, MdError *err)
{
    memset(h, 0, sizeof(*h));
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        md_error_set(err, MD_ERR_IO, "cannot open the life histories %s: %s", path,
                     strerror(errno));
        md_error_hint(err, "the store was not made by `mdata gen`, or is damaged; regenerate it");
        return err->status;
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0 || (size_t)sb.st_size < sizeof(HistHeader)) {
        close(fd);
        return md_error_set(err, MD_ERR_IO, "life histories %s are truncated", path);
    }
    void *map = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_SHARED, fd, 0);
    close(fd);
    if (map == MAP_FAILED) {
        return md_error_set(err, MD_ERR_IO, "cannot map %s: %s", path, strerror(errno));
    }
    HistHeader hdr;
    memcpy(&hdr, map, sizeof(hdr));
    if (memcmp(hdr.magic, HIST_MAGIC, 8) != 0 || hdr.version != HIST_VERSION || hdr.n < 0 ||
        hdr.body_size != gen_persons_layout(NULL, NULL, hdr.n) ||
        hdr.body_size + HIST_HEADER > (uint64_t)sb.st_size) {
        munmap(map, (size_t)sb.st_size);
        return md_error_set(err, MD_ERR_VALUE, "life histories %s have a bad header", path);
    }
    gen_persons_layout(&h->p, (char *)map + HIST_HEADER, hdr.n);
    h->seed = hdr.seed;
    h->scale = hdr.scale;
    h->map = map;
    h->map_len = (size_t)sb.st_size;
    return MD_OK;
}

void gen_histories_unmap(void *map, size_t len) { munmap(map, len); }
