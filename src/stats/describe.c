/*
 * describe.c - descriptive statistics of one variable: compensated sums, two-pass moments
 * (mean, variance, skewness, kurtosis), sorting, type-7 quantiles, interquartile range and
 * the Gini coefficient. Pure functions over arrays of doubles without missing values.
 */
#include "stats/stats.h"

#include <math.h>

double stats_sum(const double *values, int64_t n)
{
    double sum = 0.0;
    double compensation = 0.0;
    for (int64_t i = 0; i < n; i++) {
        double v = values[i];
        double t = sum + v;
        if (fabs(sum) >= fabs(v)) {
            compensation += (sum - t) + v;
        } else {
            compensation += (v - t) + sum;
        }
        sum = t;
    }
    return sum + compensation;
}

double stats_mean(const double *values, int64_t n)
{
    if (n <= 0) {
        return NAN;
    }
    return stats_sum(values, n) / (double)n;
}

void stats_moments(const double *values, int64_t n, StatsMoments *out)
{
    out->n = n;
    out->sum = n > 0 ? stats_sum(values, n) : 0.0;
    out->mean = stats_mean(values, n);
    out->variance = NAN;
    out->sd = NAN;
    out->skewness = NAN;
    out->kurtosis = NAN;
    if (n < 2) {
        return;
    }
    double m2 = 0.0;
    double m3 = 0.0;
    double m4 = 0.0;
    for (int64_t i = 0; i < n; i++) {
        double d = values[i] - out->mean;
        double d2 = d * d;
        m2 += d2;
        m3 += d2 * d;
        m4 += d2 * d2;
    }
    out->variance = m2 / (double)(n - 1);
    out->sd = sqrt(out->variance);
    m2 /= (double)n;
    m3 /= (double)n;
    m4 /= (double)n;
    if (m2 > 0.0) {
        out->skewness = m3 / pow(m2, 1.5);
        out->kurtosis = m4 / (m2 * m2);
    }
}

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

void stats_sort(double *values, int64_t n)
{
    if (n > 1) {
        int depth = 2;
        for (int64_t m = n; m > 1; m >>= 1) {
            depth += 2;
        }
        intro_sort(values, n, depth);
    }
}

int64_t stats_collect(const double *x, const uint8_t *mask, int64_t n, double *out)
{
    int64_t m = 0;
    for (int64_t i = 0; i < n; i++) {
        if ((mask == NULL || mask[i]) && !isnan(x[i])) {
            out[m++] = x[i];
        }
    }
    return m;
}

double stats_quantile_sorted(const double *sorted, int64_t n, double p)
{
    if (n <= 0 || !(p >= 0.0 && p <= 1.0)) {
        return NAN;
    }
    double h = (double)(n - 1) * p;
    int64_t lo = (int64_t)floor(h);
    if (lo >= n - 1) {
        return sorted[n - 1];
    }
    double frac = h - (double)lo;
    return sorted[lo] + frac * (sorted[lo + 1] - sorted[lo]);
}

double stats_iqr_sorted(const double *sorted, int64_t n)
{
    return stats_quantile_sorted(sorted, n, 0.75) - stats_quantile_sorted(sorted, n, 0.25);
}

double stats_gini_sorted(const double *sorted, int64_t n)
{
    if (n < 2 || sorted[0] < 0.0) {
        return NAN;
    }
    double total = stats_sum(sorted, n);
    if (!(total > 0.0)) {
        return NAN;
    }
    double weighted = 0.0;
    for (int64_t i = 0; i < n; i++) {
        weighted += (double)(2 * (i + 1) - n - 1) * sorted[i];
    }
    return weighted / ((double)n * total);
}
