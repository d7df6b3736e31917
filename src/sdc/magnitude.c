/*
 * magnitude.c - released sums, means and standard deviations (sdc rules R3, R7, R8, R10).
 *
 * Values are winsorised to [low, high] (bounds from sdc_winsor_bounds, R7), checked for
 * dominance (top two contributors above dominance_share of the total, or the p % rule),
 * then the sum gets noise sigma * z with sigma = magnitude_noise_scale * (high - low) and
 * z = sqrt(6) * (u1 - u2), u1 and u2 the two 32-bit halves of the cell key of (key sum,
 * SUM, variable): a triangular law with mean 0, variance 1, |z| < 2.45. The mean is the
 * noisy sum over the noisy count (count noise of the cell, as released counts get), the SD
 * comes from the noisy sums of x and x^2 (its own key, sigma from the range of x^2).
 * Everything is rounded to `digits` significant digits.
 */
#include "sdc/sdc_int.h"

#include <math.h>
#include <string.h>

/* ---- winsorising bounds (sdc rule R7) ---- */

static void swap_double(double *a, double *b)
{
    double t = *a;
    *a = *b;
    *b = t;
}

/* Quickselect: puts the k-th smallest (0-based) of v[0..n) at v[k]. Deterministic pivots. */
static void select_kth(double *v, int64_t n, int64_t k)
{
    int64_t lo = 0, hi = n - 1;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (v[mid] < v[lo])
            swap_double(&v[mid], &v[lo]);
        if (v[hi] < v[lo])
            swap_double(&v[hi], &v[lo]);
        if (v[hi] < v[mid])
            swap_double(&v[hi], &v[mid]);
        double pivot = v[mid];
        int64_t i = lo, j = hi;
        while (i <= j) {
            while (v[i] < pivot)
                i++;
            while (v[j] > pivot)
                j--;
            if (i <= j) {
                swap_double(&v[i], &v[j]);
                i++;
                j--;
            }
        }
        if (k <= j)
            hi = j;
        else if (k >= i)
            lo = i;
        else
            return;
    }
}

bool sdc_winsor_bounds(const Sdc *sdc, const double *values, int64_t n, double *low,
                       double *high)
{
    if (!values || n <= 0)
        return false;
    for (int64_t i = 0; i < n; i++) {
        if (!isfinite(values[i])) /* fail closed (G3) */
            return false;
    }
    if (sdc->trusted) { /* exact values: the bounds are the extremes, nothing is clipped */
        *low = *high = values[0];
        for (int64_t i = 1; i < n; i++) {
            *low = values[i] < *low ? values[i] : *low;
            *high = values[i] > *high ? values[i] : *high;
        }
        return true;
    }
    int64_t rank = (int64_t)ceil(sdc->config.winsor_share * (double)n);
    if (rank < sdc->config.winsor_min_units)
        rank = sdc->config.winsor_min_units;
    if (n < 2 * rank)
        return false;
    double *copy = md_malloc((size_t)n * sizeof *copy);
    if (!copy)
        return false;
    memcpy(copy, values, (size_t)n * sizeof *copy);
    select_kth(copy, n, rank - 1);
    *low = copy[rank - 1];
    select_kth(copy, n, n - rank);
    *high = copy[n - rank];
    md_free(copy);
    return true;
}

/* ---- the sums behind every magnitude ---- */

typedef struct Sums {
    double s1, s2;       /* winsorised sum of x and of x^2 */
    double m2;           /* winsorised sum of squared deviations from the mean (two-pass) */
    double top1, top2;   /* the two largest |x| */
    double abs_total;    /* sum of |x| */
} Sums;

static double clamp(double v, double lo, double hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* false (suppress) on non-finite data, bad bounds or overflow. */
static bool compute_sums(const double *values, int64_t n, double low, double high, Sums *s)
{
    memset(s, 0, sizeof *s);
    if (isnan(low) || isnan(high) || low > high)
        return false;
    for (int64_t i = 0; i < n; i++) {
        if (!isfinite(values[i]))
            return false;
        double w = clamp(values[i], low, high);
        double a = fabs(w);
        s->s1 += w;
        s->s2 += w * w;
        s->abs_total += a;
        if (a > s->top1) {
            s->top2 = s->top1;
            s->top1 = a;
        } else if (a > s->top2) {
            s->top2 = a;
        }
    }
    /* Squared deviations by the shifted-data method (shift = the first clamped value): exact
     * zero for constant data and no catastrophic cancellation for nearly constant data,
     * where s2 - s1^2/n would lose every digit. */
    double shift = n > 0 ? clamp(values[0], low, high) : 0, d1 = 0, d2 = 0;
    for (int64_t i = 0; i < n; i++) {
        double d = clamp(values[i], low, high) - shift;
        d1 += d;
        d2 += d * d;
    }
    s->m2 = n > 0 ? d2 - d1 * d1 / (double)n : 0;
    if (s->m2 < 0)
        s->m2 = 0;
    return isfinite(s->s1) && isfinite(s->s2) && isfinite(s->m2) && isfinite(s->abs_total);
}

/* sdc rule R8: dominance (n, k) = (2, dominance_share) and the p % rule. */
static bool dominated(const Sdc *sdc, const Sums *s)
{
    if (s->abs_total <= 0)
        return false;
    if (s->top1 + s->top2 > sdc->config.dominance_share * s->abs_total)
        return true;
    return s->abs_total - s->top1 - s->top2 < sdc->config.p_rule * s->top1;
}

/* A standard triangular variate (mean 0, variance 1) from a 64-bit cell key. */
static double key_to_noise(uint64_t ck)
{
    double u1 = (double)(ck >> 32) / 4294967296.0;
    double u2 = (double)(ck & 0xFFFFFFFFu) / 4294967296.0;
    return (u1 - u2) * 2.449489742783178; /* sqrt(6) */
}

/* Common checks; false means suppressed. */
static bool magnitude_allowed(const Sdc *sdc, const SdcCell *cell, const double *values,
                              int64_t n, double low, double high, Sums *s)
{
    if (!cell || !values || n <= 0)
        return false;
    if (!compute_sums(values, n, low, high, s))
        return false;
    if (sdc->trusted) /* bounds may be infinite: nothing is clipped */
        return true;
    if (!isfinite(low) || !isfinite(high)) /* the noise scale needs a finite range */
        return false;
    /* sdc rule R3: contributing units, and as many values (B8) */
    if (cell->n_units < sdc->config.min_units_statistic || n < sdc->config.min_units_statistic)
        return false;
    return !dominated(sdc, s);
}

static double noisy_sum(const Sdc *sdc, const SdcCell *cell, const char *variable,
                        const Sums *s, double low, double high)
{
    double sigma = sdc->config.magnitude_noise_scale * (high - low);
    uint64_t ck = sdc_cell_key(sdc, cell->key_sum, SDC_KEY_SUM, variable);
    return s->s1 + sigma * key_to_noise(ck);
}

static double noisy_count(const Sdc *sdc, const SdcCell *cell, int64_t n)
{
    double c = (double)n + sdc_count_noise(sdc, cell);
    return c < 1 ? 1 : c;
}

Released sdc_release_sum(const Sdc *sdc, const SdcCell *cell, const char *variable,
                         const double *values, int64_t n, double low, double high)
{
    Sums s;
    if (!magnitude_allowed(sdc, cell, values, n, low, high, &s))
        return sdc_suppressed("x");
    if (sdc->trusted)
        return sdc_make_number(s.s1, 10);
    return sdc_make_number(noisy_sum(sdc, cell, variable, &s, low, high), sdc->config.digits);
}

Released sdc_release_mean(const Sdc *sdc, const SdcCell *cell, const char *variable,
                          const double *values, int64_t n, double low, double high)
{
    Sums s;
    if (!magnitude_allowed(sdc, cell, values, n, low, high, &s))
        return sdc_suppressed("x");
    if (sdc->trusted)
        return sdc_make_number(s.s1 / (double)n, 10);
    double mean = noisy_sum(sdc, cell, variable, &s, low, high) / noisy_count(sdc, cell, n);
    return sdc_make_number(mean, sdc->config.digits);
}

/* The range of x^2 for x in [low, high]. */
static double square_range(double low, double high)
{
    double a = low * low, b = high * high;
    double top = a > b ? a : b;
    double bottom = (low <= 0 && high >= 0) ? 0 : (a < b ? a : b);
    return top - bottom;
}

Released sdc_release_sd(const Sdc *sdc, const SdcCell *cell, const char *variable,
                        const double *values, int64_t n, double low, double high)
{
    Sums s;
    if (n < 2 || !magnitude_allowed(sdc, cell, values, n, low, high, &s))
        return sdc_suppressed("x");
    /* Exact: the two-pass sum of squared deviations. Controlled: the same quantity as it
     * follows from the noisy sums of x and x^2 and the noisy count, written as corrections to
     * the exact m2 so that no large terms cancel. */
    double m2 = s.m2, c = (double)n;
    if (!sdc->trusted) {
        double s1 = noisy_sum(sdc, cell, variable, &s, low, high);
        double sigma2 = sdc->config.magnitude_noise_scale * square_range(low, high);
        uint64_t ck = sdc_cell_key(sdc, cell->key_sum, SDC_KEY_SUM_SQUARES, variable);
        c = noisy_count(sdc, cell, n);
        if (c < 2)
            return sdc_suppressed("x");
        m2 += sigma2 * key_to_noise(ck) + s.s1 * s.s1 / (double)n - s1 * s1 / c;
    }
    double var = m2 / (c - 1);
    if (!isfinite(var))
        return sdc_suppressed("x");
    if (var < 0)
        var = 0;
    return sdc_make_number(sqrt(var), sdc->trusted ? 10 : sdc->config.digits);
}
