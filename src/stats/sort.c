/*
 * sort.c - sorting of doubles for quantiles, winsorising and the Gini coefficient: an LSD
 * radix sort on order-preserving integer keys for large arrays, an introsort (quicksort,
 * heapsort when too deep, insertion sort for short ranges) for small ones or when memory
 * for the radix sort's scratch arrays is short. Values must not be NaN.
 */
#include "stats/stats.h"

#include <string.h>

/* Arrays at least this long go through the radix sort. */
#define STATS_RADIX_MIN 4096

static void swap_values(double *a, double *b)
{
    double t = *a;
    *a = *b;
    *b = t;
}

static void insertion_sort(double *v, int64_t n)
{
    for (int64_t i = 1; i < n; i++) {
        double x = v[i];
        int64_t j = i;
        while (j > 0 && v[j - 1] > x) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = x;
    }
}

static void sift_down(double *v, int64_t root, int64_t n)
{
    for (;;) {
        int64_t child = 2 * root + 1;
        if (child >= n) {
            return;
        }
        if (child + 1 < n && v[child + 1] > v[child]) {
            child++;
        }
        if (!(v[child] > v[root])) {
            return;
        }
        swap_values(&v[root], &v[child]);
        root = child;
    }
}

static void heap_sort(double *v, int64_t n)
{
    for (int64_t i = n / 2 - 1; i >= 0; i--) {
        sift_down(v, i, n);
    }
    for (int64_t end = n - 1; end > 0; end--) {
        swap_values(&v[0], &v[end]);
        sift_down(v, 0, end);
    }
}

/* Introsort: quicksort with a median-of-three pivot, heapsort when too deep, insertion
 * sort for short ranges. Comparisons inline (qsort's callback costs twice as much). */
static void intro_sort(double *v, int64_t n, int depth)
{
    while (n > 24) {
        if (depth-- == 0) {
            heap_sort(v, n);
            return;
        }
        int64_t mid = n / 2;
        if (v[mid] < v[0]) {
            swap_values(&v[mid], &v[0]);
        }
        if (v[n - 1] < v[0]) {
            swap_values(&v[n - 1], &v[0]);
        }
        if (v[n - 1] < v[mid]) {
            swap_values(&v[n - 1], &v[mid]);
        }
        double pivot = v[mid];
        int64_t i = 0;
        int64_t j = n - 1;
        for (;;) {
            while (v[i] < pivot) {
                i++;
            }
            while (pivot < v[j]) {
                j--;
            }
            if (i >= j) {
                break;
            }
            swap_values(&v[i], &v[j]);
            i++;
            j--;
        }
        /* v[0..j] <= pivot <= v[j+1..n); recurse into the smaller part */
        int64_t left = j + 1;
        if (left < n - left) {
            intro_sort(v, left, depth);
            v += left;
            n -= left;
        } else {
            intro_sort(v + left, n - left, depth);
            n = left;
        }
    }
    insertion_sort(v, n);
}

static void intro_sort_all(double *values, int64_t n)
{
    int depth = 2;
    for (int64_t m = n; m > 1; m >>= 1) {
        depth += 2;
    }
    intro_sort(values, n, depth);
}

/* ---- radix sort ---- */

/* An unsigned key with the order of the double: flip every bit of a negative number, only
 * the sign bit of a positive one (-0.0 sorts just before +0.0, which compare equal). */
static inline uint64_t order_key(double x)
{
    uint64_t bits;
    memcpy(&bits, &x, sizeof bits);
    return (bits & 0x8000000000000000ull) ? ~bits : bits ^ 0x8000000000000000ull;
}

static inline double key_value(uint64_t key)
{
    uint64_t bits = (key & 0x8000000000000000ull) ? key ^ 0x8000000000000000ull : ~key;
    double x;
    memcpy(&x, &bits, sizeof x);
    return x;
}

#define RADIX_BITS 16
#define RADIX_BUCKETS (1 << RADIX_BITS)
#define RADIX_PASSES (64 / RADIX_BITS)

/* LSD radix sort of the order keys, 16 bits a pass; a pass whose digit is the same for
 * every value (the exponent bits of values of one magnitude, say) is skipped. false when
 * the scratch memory is not there (the caller falls back to introsort). */
static bool radix_sort(double *values, int64_t n)
{
    uint64_t *keys = md_malloc((size_t)n * sizeof *keys);
    uint64_t *scratch = md_malloc((size_t)n * sizeof *scratch);
    int64_t *counts = md_calloc((size_t)RADIX_PASSES * RADIX_BUCKETS, sizeof *counts);
    if (keys == NULL || scratch == NULL || counts == NULL) {
        md_free(keys);
        md_free(scratch);
        md_free(counts);
        return false;
    }
    for (int64_t i = 0; i < n; i++) {
        uint64_t k = order_key(values[i]);
        keys[i] = k;
        for (int p = 0; p < RADIX_PASSES; p++) {
            counts[p * RADIX_BUCKETS + ((k >> (p * RADIX_BITS)) & (RADIX_BUCKETS - 1))]++;
        }
    }
    uint64_t *from = keys, *to = scratch;
    for (int p = 0; p < RADIX_PASSES; p++) {
        int64_t *count = counts + p * RADIX_BUCKETS;
        uint64_t first = (from[0] >> (p * RADIX_BITS)) & (RADIX_BUCKETS - 1);
        if (count[first] == n) {
            continue; /* one digit for all: this pass would not move anything */
        }
        int64_t offset = 0;
        for (int64_t b = 0; b < RADIX_BUCKETS; b++) {
            int64_t c = count[b];
            count[b] = offset;
            offset += c;
        }
        for (int64_t i = 0; i < n; i++) {
            uint64_t k = from[i];
            to[count[(k >> (p * RADIX_BITS)) & (RADIX_BUCKETS - 1)]++] = k;
        }
        uint64_t *t = from;
        from = to;
        to = t;
    }
    for (int64_t i = 0; i < n; i++) {
        values[i] = key_value(from[i]);
    }
    md_free(keys);
    md_free(scratch);
    md_free(counts);
    return true;
}

void stats_sort(double *values, int64_t n)
{
    if (n < 2) {
        return;
    }
    /* above a few thousand values the four linear passes of the radix sort beat the
     * n log n comparisons (5.5 million incomes: about 5 times faster) */
    if (n >= STATS_RADIX_MIN && radix_sort(values, n)) {
        return;
    }
    intro_sort_all(values, n);
}

