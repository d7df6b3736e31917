/*
 * quantile.c - released percentiles (sdc rule R9): never the minimum or maximum; the
 * p-quantile is released only if n * min(p, 1-p) >= quantile_units, as the mean of the
 * quantile_units order statistics nearest the position p * (n - 1), kept away from both
 * ends, rounded to quantile_digits significant digits. Trusted mode gives the exact
 * quantile (linear interpolation between order statistics, "type 7").
 */
#include "sdc/sdc_int.h"

#include <math.h>

static Released exact_quantile(const double *sorted, int64_t n, double p)
{
    double h = p * (double)(n - 1);
    int64_t i = (int64_t)floor(h);
    if (i >= n - 1)
        return sdc_make_number(sorted[n - 1], 10);
    double v = sorted[i] + (h - (double)i) * (sorted[i + 1] - sorted[i]);
    return sdc_make_number(v, 10);
}

Released sdc_release_quantile(const Sdc *sdc, const SdcCell *cell, const double *sorted,
                              int64_t n, double p)
{
    if (!sorted || n <= 0 || !(p > 0 && p < 1))
        return sdc_suppressed("x");
    for (int64_t i = 0; i < n; i++) {
        if (!isfinite(sorted[i])) /* fail closed (G3) */
            return sdc_suppressed("x");
    }
    if (sdc->trusted)
        return exact_quantile(sorted, n, p);
    int64_t k = sdc->config.quantile_units;
    if (!cell || cell->n_units < sdc->config.min_units_statistic) /* sdc rule R3 */
        return sdc_suppressed("x");
    double tail = p < 1 - p ? p : 1 - p;
    /* sdc rule R9 (the small tolerance absorbs 1 - 0.9 = 0.09999...) */
    if ((double)n * tail < (double)k - 1e-9 || n < k + 2)
        return sdc_suppressed("x");
    double position = p * (double)(n - 1);
    int64_t start = (int64_t)llround(position - (double)(k - 1) / 2.0);
    if (start < 1)
        start = 1; /* never the minimum */
    if (start + k > n - 1)
        start = n - 1 - k; /* never the maximum */
    double sum = 0;
    for (int64_t i = start; i < start + k; i++)
        sum += sorted[i];
    return sdc_make_number(sum / (double)k, sdc->config.quantile_digits);
}
