/*
 * ptable.c - the p-table of the cell key method (sdc rule R4): for a true count n and a
 * 16-bit uniform taken from the cell key, the integer noise added to n.
 *
 * Method (docs/disclosure.md, "The p-table"): for the main row the noise d in -D..D has the
 * maximum-entropy law with mean 0 and variance V, that is p(d) proportional to
 * exp(-lambda * d^2) with lambda solved by bisection; the weights are p(d) * 2^16 rounded
 * for d != 0, and the centre takes the rest, so the row is exactly symmetric (mean exactly
 * 0) and adds up to 2^16. True counts n < D use row n: the same law on -n..n with variance
 * min(V, n(n+1)/3), so no released count is ever negative. n = 0 gets no noise at all.
 *
 * The default row (D = 2, V = 1) is compiled in as integers: weights 4183, 16036, 25098,
 * 16036, 4183 (variance exactly 65536/65536 = 1); row 1 is uniform on -1..1 (21845, 21846,
 * 21845). Other settings are built at start-up by the same method (sdc_ptable_build), and
 * a unit test checks that the method reproduces the compiled-in rows.
 */
#include "sdc/sdc_int.h"

#include <math.h>
#include <string.h>

static const uint32_t DEFAULT_ROW1[3] = {21845, 21846, 21845};
static const uint32_t DEFAULT_ROW2[5] = {4183, 16036, 25098, 16036, 4183};

static void fill_cumulative(SdcPTable *t, int32_t k)
{
    uint32_t sum = 0;
    for (int32_t i = 0; i <= 2 * k; i++) {
        sum += t->weight[k][i];
        t->cumulative[k][i] = sum;
    }
}

void sdc_ptable_default(SdcPTable *t)
{
    memset(t, 0, sizeof *t);
    t->max_d = 2;
    memcpy(t->weight[1], DEFAULT_ROW1, sizeof DEFAULT_ROW1);
    memcpy(t->weight[2], DEFAULT_ROW2, sizeof DEFAULT_ROW2);
    fill_cumulative(t, 1);
    fill_cumulative(t, 2);
}

/* The variance of the law exp(-lambda d^2) on -k..k. */
static double law_variance(int32_t k, double lambda)
{
    double total = 1, moment = 0;
    for (int32_t d = 1; d <= k; d++) {
        double w = exp(-lambda * d * d);
        total += 2 * w;
        moment += 2 * w * d * d;
    }
    return moment / total;
}

/* Fills row k with the max-entropy law of variance v (0 < v < k^2). */
static void build_row(SdcPTable *t, int32_t k, double v)
{
    double lo = -50, hi = 50;
    for (int i = 0; i < 200; i++) {
        double mid = (lo + hi) / 2;
        if (law_variance(k, mid) > v)
            lo = mid;
        else
            hi = mid;
    }
    double lambda = (lo + hi) / 2;
    double total = 1;
    for (int32_t d = 1; d <= k; d++)
        total += 2 * exp(-lambda * d * d);
    uint32_t side = 0;
    for (int32_t d = 1; d <= k; d++) {
        uint32_t w = (uint32_t)llround(SDC_PTABLE_TOTAL * exp(-lambda * d * d) / total);
        t->weight[k][k + d] = w;
        t->weight[k][k - d] = w;
        side += w;
    }
    t->weight[k][k] = SDC_PTABLE_TOTAL - 2 * side;
    fill_cumulative(t, k);
}

MdStatus sdc_ptable_build(SdcPTable *t, int32_t noise_max, double variance, MdError *err)
{
    if (noise_max < 0 || noise_max > SDC_PTABLE_MAX_D ||
        (noise_max > 0 && !(variance > 0 && variance < (double)noise_max * noise_max))) {
        md_error_set(err, MD_ERR_VALUE, "noise_max and noise_variance do not make a p-table");
        md_error_hint(err, "noise_max from 0 to 8, noise_variance above zero and below its "
                      "square");
        return MD_ERR_VALUE;
    }
    SdcPTable next;
    memset(&next, 0, sizeof next);
    next.max_d = noise_max;
    for (int32_t k = 1; k <= noise_max; k++) {
        double cap = k < noise_max ? k * (k + 1) / 3.0 : variance;
        build_row(&next, k, variance < cap ? variance : cap);
    }
    *t = next;
    return MD_OK;
}

int32_t sdc_ptable_noise(const SdcPTable *t, int64_t n, uint32_t u16)
{
    if (n <= 0 || t->max_d == 0)
        return 0;
    int32_t k = n < t->max_d ? (int32_t)n : t->max_d;
    u16 &= 0xFFFFu;
    for (int32_t i = 0; i < 2 * k; i++) {
        if (u16 < t->cumulative[k][i])
            return i - k;
    }
    return k;
}

double sdc_ptable_variance(const SdcPTable *t, int32_t k)
{
    if (k < 1 || k > t->max_d)
        return 0;
    double m = 0;
    for (int32_t i = 0; i <= 2 * k; i++)
        m += (double)t->weight[k][i] * (i - k) * (i - k);
    return m / SDC_PTABLE_TOTAL;
}
