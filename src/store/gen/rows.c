/*
 * rows.c - deterministic draws from hash(seed, a, b, c), and the growable row set that a
 * derivation fills and hands over as Spells in one owned block (ids, starts, stops, values
 * and the dictionary), so that spells_free releases it with one md_free.
 */
#include "store/gen/gen_int.h"

#include <math.h>
#include <string.h>

uint64_t gen_hash4(uint64_t seed, uint64_t a, uint64_t b, uint64_t c)
{
    uint64_t h = md_hash_u64(seed ^ 0x9e3779b97f4a7c15ULL);
    h = md_hash_u64(h ^ a);
    h = md_hash_u64(h ^ (b + 0x632be59bd9b4e019ULL));
    return md_hash_u64(h ^ (c + 0x85157af5ULL));
}

double gen_u01(uint64_t seed, uint64_t a, uint64_t b, uint64_t c)
{
    return ((double)(gen_hash4(seed, a, b, c) >> 11) + 0.5) / 9007199254740992.0;
}

double gen_normal(uint64_t seed, uint64_t a, uint64_t b, uint64_t c)
{
    double u1 = gen_u01(seed, a, b, c);
    double u2 = gen_u01(seed ^ 0x5bd1e995ULL, a, b, c);
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

void gen_rows_init(GenRows *rows, ValueType type)
{
    memset(rows, 0, sizeof(*rows));
    rows->type = type;
}

static MdStatus rows_grow(GenRows *rows)
{
    int64_t cap = rows->cap < 1024 ? 1024 : rows->cap * 2;
    uint64_t *ids = md_realloc_array(rows->ids, (size_t)cap, sizeof(uint64_t));
    if (ids == NULL) {
        return MD_ERR_MEMORY;
    }
    rows->ids = ids;
    int32_t *starts = md_realloc_array(rows->starts, (size_t)cap, sizeof(int32_t));
    if (starts == NULL) {
        return MD_ERR_MEMORY;
    }
    rows->starts = starts;
    int32_t *stops = md_realloc_array(rows->stops, (size_t)cap, sizeof(int32_t));
    if (stops == NULL) {
        return MD_ERR_MEMORY;
    }
    rows->stops = stops;
    int64_t *vals = md_realloc_array(rows->vals, (size_t)cap, sizeof(int64_t));
    if (vals == NULL) {
        return MD_ERR_MEMORY;
    }
    rows->vals = vals;
    rows->cap = cap;
    return MD_OK;
}

MdStatus gen_rows_push(GenRows *rows, uint64_t id, int32_t start, int32_t stop, int64_t v)
{
    if (rows->n == rows->cap && rows_grow(rows) != MD_OK) {
        return MD_ERR_MEMORY;
    }
    rows->ids[rows->n] = id;
    rows->starts[rows->n] = start;
    rows->stops[rows->n] = stop;
    rows->vals[rows->n] = v;
    rows->n++;
    return MD_OK;
}

MdStatus gen_rows_push_double(GenRows *rows, uint64_t id, int32_t start, int32_t stop,
                              double v)
{
    int64_t bits;
    memcpy(&bits, &v, sizeof(bits));
    return gen_rows_push(rows, id, start, stop, bits);
}

void gen_rows_free(GenRows *rows)
{
    md_free(rows->ids);
    md_free(rows->starts);
    md_free(rows->stops);
    md_free(rows->vals);
    memset(rows, 0, sizeof(*rows));
}

static size_t align16(size_t n) { return (n + 15) & ~(size_t)15; }

/* Copies the values into their typed column at dst. */
static void rows_copy_values(const GenRows *rows, char *dst)
{
    size_t n = (size_t)rows->n;
    if (rows->type == VALUE_LONG || rows->type == VALUE_DOUBLE) {
        memcpy(dst, rows->vals, n * 8);
    } else if (rows->type == VALUE_DATE) {
        int32_t *d = (int32_t *)dst;
        for (size_t i = 0; i < n; i++) {
            d[i] = (int32_t)rows->vals[i];
        }
    } else {
        uint32_t *s = (uint32_t *)dst;
        for (size_t i = 0; i < n; i++) {
            s[i] = (uint32_t)rows->vals[i];
        }
    }
}

static void rows_set_values(Spells *out, ValueType type, char *at)
{
    if (type == VALUE_LONG) {
        out->longs = (const int64_t *)at;
    } else if (type == VALUE_DOUBLE) {
        out->doubles = (const double *)at;
    } else if (type == VALUE_DATE) {
        out->dates = (const int32_t *)at;
    } else {
        out->string_ids = (const uint32_t *)at;
    }
}

MdStatus gen_rows_to_spells(GenRows *rows, const char *const *dictionary, uint32_t n_dict,
                            Spells *out, MdError *err)
{
    size_t n = (size_t)rows->n;
    size_t vsize = rows->type == VALUE_LONG || rows->type == VALUE_DOUBLE ? 8 : 4;
    size_t text = 0;
    for (uint32_t k = 0; k < n_dict; k++) {
        text += strlen(dictionary[k]) + 1;
    }
    size_t total = align16(n * 8) + 2 * align16(n * 4) + align16(n * vsize) +
                   align16((size_t)n_dict * sizeof(char *)) + text + 16;
    char *block = md_malloc(total);
    if (block == NULL) {
        gen_rows_free(rows);
        return md_error_set(err, MD_ERR_MEMORY, "out of memory for generated rows");
    }
    memset(out, 0, sizeof(*out));
    char *at = block;
    if (n > 0) { /* memcpy from the NULL arrays of an empty set is undefined */
        memcpy(at, rows->ids, n * 8);
        memcpy(at + align16(n * 8), rows->starts, n * 4);
        memcpy(at + align16(n * 8) + align16(n * 4), rows->stops, n * 4);
        rows_copy_values(rows, at + align16(n * 8) + 2 * align16(n * 4));
    }
    out->unit_ids = (const uint64_t *)at;
    at += align16(n * 8);
    out->starts = (const int32_t *)at;
    at += align16(n * 4);
    out->stops = (const int32_t *)at;
    at += align16(n * 4);
    rows_set_values(out, rows->type, at);
    at += align16(n * vsize);
    const char **dict = (const char **)at;
    at += align16((size_t)n_dict * sizeof(char *));
    for (uint32_t k = 0; k < n_dict; k++) {
        size_t len = strlen(dictionary[k]) + 1;
        memcpy(at, dictionary[k], len);
        dict[k] = at;
        at += len;
    }
    out->n = rows->n;
    out->type = rows->type;
    out->dictionary = n_dict > 0 ? (const char *const *)dict : NULL;
    out->n_dictionary = n_dict;
    out->is_view = false;
    out->owned = block;
    gen_rows_free(rows);
    return MD_OK;
}
