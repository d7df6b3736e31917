/*
 * package_tar.c - a reader of tar archives held in memory, enough for the packages that
 * microdata-tools writes (spec/datastore.md 1.5): ustar and GNU headers, regular files and
 * directories, long names from pax 'x' records ("path=") and GNU 'L' entries.
 *
 * It only lists files: each PackageFile points into the caller's buffer, nothing is
 * extracted to disk, so a hostile archive cannot write outside a directory. Every header is
 * checked (checksum, octal size, bounds) before its data is trusted.
 */
#include "store/import_int.h"

#include <stdio.h>
#include <string.h>

#define TAR_BLOCK 512

/* Parses an octal field (NUL or space terminated); false if malformed. */
static bool octal_field(const unsigned char *p, size_t width, uint64_t *out)
{
    uint64_t v = 0;
    size_t i = 0;
    while (i < width && p[i] == ' ')
        i++;
    bool any = false;
    for (; i < width && p[i] >= '0' && p[i] <= '7'; i++) {
        if (v > (UINT64_MAX >> 3))
            return false;
        v = (v << 3) | (uint64_t)(p[i] - '0');
        any = true;
    }
    for (; i < width; i++) {
        if (p[i] != ' ' && p[i] != 0)
            return false;
    }
    *out = v;
    return any;
}

static bool block_is_zero(const unsigned char *b)
{
    for (int i = 0; i < TAR_BLOCK; i++) {
        if (b[i])
            return false;
    }
    return true;
}

static bool checksum_ok(const unsigned char *h)
{
    uint64_t stored;
    if (!octal_field(h + 148, 8, &stored))
        return false;
    uint64_t sum = 0;
    for (int i = 0; i < TAR_BLOCK; i++)
        sum += (i >= 148 && i < 156) ? ' ' : h[i];
    return sum == stored;
}

/* The name of a ustar header: prefix "/" name, each NUL-terminated within its field. */
static void header_name(const unsigned char *h, char *name, size_t cap)
{
    char base[101], prefix[156];
    memcpy(base, h, 100);
    base[100] = 0;
    memcpy(prefix, h + 345, 155);
    prefix[155] = 0;
    bool ustar = memcmp(h + 257, "ustar", 5) == 0;
    if (ustar && prefix[0])
        snprintf(name, cap, "%.155s/%.100s", prefix, base);
    else
        snprintf(name, cap, "%.100s", base);
}

/* Takes "path=" out of a pax extended header's records ("LEN key=value\n"). */
static void pax_path(const char *data, size_t len, char *name, size_t cap)
{
    size_t pos = 0;
    while (pos < len) {
        size_t rec = 0, i = pos;
        while (i < len && data[i] >= '0' && data[i] <= '9')
            rec = rec * 10 + (size_t)(data[i++] - '0');
        if (rec == 0 || pos + rec > len || i >= len || data[i] != ' ')
            return;
        const char *kv = data + i + 1;
        size_t kv_len = pos + rec - (i + 1);
        if (kv_len > 5 && memcmp(kv, "path=", 5) == 0) {
            size_t n = kv_len - 6; /* without "path=" and the trailing '\n' */
            n = n < cap - 1 ? n : cap - 1;
            memcpy(name, kv + 5, n);
            name[n] = 0;
        }
        pos += rec;
    }
}

static MdStatus add_file(PackageFile **files, size_t *cap, int64_t *n, const char *name,
                         const char *data, size_t len)
{
    if (md_grow((void **)files, cap, (size_t)*n + 1, sizeof **files) != MD_OK)
        return MD_ERR_MEMORY;
    PackageFile *f = &(*files)[(*n)++];
    const char *clean = name;
    while (clean[0] == '.' && clean[1] == '/')
        clean += 2; /* "./NAME.json" as some tar programs write it */
    snprintf(f->name, sizeof f->name, "%s", clean);
    f->data = data;
    f->len = len;
    return MD_OK;
}

MdStatus package_tar_list(const char *tar, size_t len, PackageFile **files, int64_t *n_files,
                          MdError *err)
{
    *files = NULL;
    *n_files = 0;
    size_t cap = 0, pos = 0;
    char long_name[272] = "";
    MdStatus st = MD_OK;
    while (st == MD_OK && pos + TAR_BLOCK <= len) {
        const unsigned char *h = (const unsigned char *)tar + pos;
        if (block_is_zero(h))
            break;
        uint64_t size;
        if (!checksum_ok(h) || !octal_field(h + 124, 12, &size)) {
            st = md_error_set(err, MD_ERR_SYNTAX, "not a tar archive: header at byte %zu is "
                              "damaged", pos);
            break;
        }
        size_t data_at = pos + TAR_BLOCK;
        if (size > len - data_at) {
            st = md_error_set(err, MD_ERR_SYNTAX, "truncated tar archive (an entry runs past "
                              "the end of the file)");
            break;
        }
        char type = (char)h[156];
        char name[272];
        header_name(h, name, sizeof name);
        if (long_name[0]) {
            snprintf(name, sizeof name, "%s", long_name);
            long_name[0] = 0;
        }
        if (type == 'x') {
            pax_path(tar + data_at, (size_t)size, long_name, sizeof long_name);
        } else if (type == 'L') {
            size_t n = size < sizeof long_name - 1 ? (size_t)size : sizeof long_name - 1;
            memcpy(long_name, tar + data_at, n);
            long_name[n] = 0;
        } else if (type == '0' || type == 0 || type == '7') {
            st = add_file(files, &cap, n_files, name, tar + data_at, (size_t)size);
            if (st != MD_OK)
                md_error_set(err, st, "out of memory listing the tar archive");
        }
        /* directories, links and global pax headers carry nothing we read */
        pos = data_at + (size_t)((size + TAR_BLOCK - 1) / TAR_BLOCK) * TAR_BLOCK;
    }
    if (st == MD_OK && *n_files == 0)
        st = md_error_set(err, MD_ERR_SYNTAX, "not a tar archive, or an empty one");
    if (st != MD_OK) {
        md_free(*files);
        *files = NULL;
        *n_files = 0;
    }
    return st;
}
