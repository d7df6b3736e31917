/*
 * describe.c - descriptive statistics of one variable: compensated sums, two-pass moments
 * (mean, variance, skewness, kurtosis), type-7 quantiles, interquartile range and the Gini
 * coefficient (sorting is in sort.c). Pure functions over arrays of doubles without missing
 * values.
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
