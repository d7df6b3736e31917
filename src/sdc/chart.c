/*
 * chart.c - what charts release (sdc rule R12): the axes of histograms and hexbin plots,
 * the percentile at which boxplot whiskers sit, and shares of released counts (density,
 * fraction, percent).
 *
 * An axis is cut into equal bins, edge i = first + i * width. Under disclosure control the
 * axis spans the winsorised bounds (R7) and the values are clipped to them before binning,
 * so the outer bins hold at least winsor_min_units units and no bin shows an outlier. The
 * width is "nice" (1, 2, 2.5 or 5 times a power of ten, never finer than the resolution of
 * the data; of the nice widths, the one whose number of bins is nearest the number asked
 * for) unless the script asks for a width. The edges sit half a grid unit off the decimal
 * lattice the data lie on (whole numbers: edges at x.5, so 0..9 share a bin of width 10),
 * so an edge is never a value on that lattice, the true minimum and maximum included (attack
 * E3). The lattice is that of the values between the bounds, allowing fewer than
 * winsor_min_units exceptions, so that no single unit decides where the edges sit. In
 * trusted mode the axis runs from the exact minimum to the exact maximum, as Stata does.
 */
#include "sdc/sdc_int.h"

#include <math.h>

#define NICE_MIN_INDEX (-6 * 4)  /* 1e-6: the finest automatic width */
#define NICE_MAX_INDEX (15 * 4)  /* 1e15 */
#define LATTICE_MAX_EXP 15
#define LATTICE_MIN_EXP (-6)

/* ---- nice numbers: index i is {1, 2, 2.5, 5}[i mod 4] * 10^(i div 4) ---- */

static double nice_value(int32_t i)
{
    static const double mantissa[4] = {1.0, 2.0, 2.5, 5.0};
    int32_t e = i >= 0 ? i / 4 : -((-i + 3) / 4);
    return mantissa[i - 4 * e] * pow(10.0, e);
}

/* The index of the smallest nice number >= x (x > 0). */
static int32_t nice_index_at_least(double x)
{
    int32_t i = 4 * (int32_t)floor(log10(x)) - 4;
    if (i < NICE_MIN_INDEX)
        i = NICE_MIN_INDEX;
    while (i < NICE_MAX_INDEX && nice_value(i) < x * (1.0 - 1e-12))
        i++;
    return i;
}

/* ---- the lattice the data lie on ---- */

static bool is_multiple(double v, double r)
{
    if (v == 0)
        return true;
    double q = v / r;
    double m = nearbyint(q);
    return m != 0 && fabs(q - m) <= 1e-9 * fabs(m);
}

/* The decimal exponent of v: the largest e (LATTICE_MIN_EXP..LATTICE_MAX_EXP) with v a whole
 * multiple of 10^e; LATTICE_MIN_EXP - 1 when there is none. */
static int32_t value_exponent(double v)
{
    if (v == 0)
        return LATTICE_MAX_EXP;
    int32_t e = (int32_t)floor(log10(fabs(v)));
    e = e > LATTICE_MAX_EXP ? LATTICE_MAX_EXP : e;
    while (e >= LATTICE_MIN_EXP && !is_multiple(v, pow(10.0, e)))
        e--;
    return e;
}

/* The resolution of the data: the largest power of ten of which all values between the
 * winsorising bounds are multiples, but for fewer than `exceptions` of them (so that no
 * single unit decides it), or 0 when there is no such lattice as coarse as 1e-6. */
static double data_resolution(const double *values, int64_t n, double low, double high,
                              int64_t exceptions)
{
    int64_t count[LATTICE_MAX_EXP - LATTICE_MIN_EXP + 2] = {0};
    for (int64_t i = 0; i < n; i++) {
        if (values[i] >= low && values[i] <= high)
            count[value_exponent(values[i]) - LATTICE_MIN_EXP + 1]++;
    }
    int64_t finer = 0; /* values whose exponent is below e */
    int32_t best = LATTICE_MIN_EXP - 1;
    for (int32_t e = LATTICE_MIN_EXP - 1; e <= LATTICE_MAX_EXP; e++) {
        if (finer < exceptions)
            best = e;
        finer += count[e - LATTICE_MIN_EXP + 1];
    }
    return best < LATTICE_MIN_EXP ? 0.0 : pow(10.0, best);
}

/* The grid unit q of width w over resolution r: w and r are both whole multiples of q
 * (Euclid's algorithm with a tolerance). Without a lattice (r == 0), q = w. */
static double grid_unit(double w, double r)
{
    if (!(r > 0))
        return w;
    double a = fmax(w, r), b = fmin(w, r);
    for (int32_t i = 0; i < 64 && b > 1e-12 * fmax(w, r); i++) {
        double q = a / b;
        if (q > 1e12 || fabs(q - nearbyint(q)) <= 1e-9 * q)
            return b;
        double t = a - b * floor(q);
        a = b;
        b = t;
    }
    return w; /* no common unit found: edges at odd multiples of w / 2 */
}

/* Edges k * w - q / 2 (whole numbers 0..9 fall in one bin of width 10): the first at or
 * below low, the last above high. */
static bool place_edges(double low, double high, double w, double q, SdcAxis *axis)
{
    double k0 = floor((low + q / 2) / w);
    double k1 = floor((high + q / 2) / w) + 1;
    if (!isfinite(k0) || !isfinite(k1) || k1 - k0 > 1e9)
        return false;
    axis->first = k0 * w - q / 2;
    axis->width = w;
    axis->n_bins = (int32_t)(k1 - k0);
    return axis->n_bins >= 1;
}

static MdStatus refuse_axis(MdError *err)
{
    md_error_set(err, MD_ERR_DISCLOSURE, "too few values to draw the axis within the "
                 "winsorised bounds (rule R7)");
    md_error_hint(err, "rules R7 and R12 in docs/disclosure.md: chart a larger group of "
                  "units");
    return MD_ERR_DISCLOSURE;
}

static MdStatus refuse_bins(MdError *err)
{
    md_error_set(err, MD_ERR_LIMIT, "width() makes more bins than a chart may have");
    md_error_hint(err, "ask for a larger width, or for a number of bins with bin()");
    return MD_ERR_LIMIT;
}

static MdStatus trusted_axis(const double *values, int64_t n, int32_t max_bins, double width,
                             SdcAxis *axis, MdError *err)
{
    double lo = values[0], hi = values[0];
    for (int64_t i = 1; i < n; i++) {
        lo = values[i] < lo ? values[i] : lo;
        hi = values[i] > hi ? values[i] : hi;
    }
    axis->first = lo;
    axis->clip_low = lo;
    axis->clip_high = hi;
    if (width > 0) {
        double bins = hi > lo ? ceil((hi - lo) / width) : 1.0;
        if (bins > SDC_CHART_MAX_BINS)
            return refuse_bins(err);
        axis->n_bins = (int32_t)bins;
        axis->width = width;
        return MD_OK;
    }
    axis->n_bins = max_bins;
    axis->width = hi > lo ? (hi - lo) / max_bins : 1.0;
    return MD_OK;
}

MdStatus sdc_chart_axis(const Sdc *sdc, const double *values, int64_t n, int32_t max_bins,
                        double width, SdcAxis *axis, MdError *err)
{
    axis->n_bins = 0;
    if (max_bins < 1 || max_bins > SDC_CHART_MAX_BINS || !(width >= 0) || !isfinite(width))
        return md_error_set(err, MD_ERR_INTERNAL, "chart axis asked with bad bins");
    if (n <= 0)
        return refuse_axis(err);
    for (int64_t i = 0; i < n; i++) {
        if (!isfinite(values[i])) /* fail closed (G3) */
            return refuse_axis(err);
    }
    if (sdc->trusted)
        return trusted_axis(values, n, max_bins, width, axis, err);
    double low, high;
    if (!sdc_winsor_bounds(sdc, values, n, &low, &high)) /* sdc rule R7 */
        return refuse_axis(err);
    axis->clip_low = low;
    axis->clip_high = high;
    double r = data_resolution(values, n, low, high, sdc->config.winsor_min_units);
    if (width > 0) {
        if (!place_edges(low, high, width, grid_unit(width, r), axis) ||
            axis->n_bins > SDC_CHART_MAX_BINS)
            return refuse_bins(err);
        return MD_OK;
    }
    double span = high - low;
    if (!(span > 0))
        span = fabs(low) > 0 ? fabs(low) : 1.0;
    /* the nice width whose number of bins is nearest the one asked for (fewer on a tie),
     * never finer than the data and never more than the chart limit */
    int32_t finest = 0;
    while (r > 0 && r <= span && finest < NICE_MAX_INDEX &&
           nice_value(finest) < r * (1.0 - 1e-12))
        finest++;
    int32_t i = nice_index_at_least(span / max_bins);
    int32_t to = i + 4 < NICE_MAX_INDEX ? i + 4 : NICE_MAX_INDEX;
    int32_t from = i - 2 > finest ? i - 2 : finest;
    if (from > to)
        from = to;
    SdcAxis best = {0};
    int64_t best_gap = INT64_MAX;
    for (int32_t j = from; j <= to; j++) {
        double w = nice_value(j);
        SdcAxis candidate = *axis;
        if (!place_edges(low, high, w, grid_unit(w, r), &candidate) ||
            candidate.n_bins > SDC_CHART_MAX_BINS)
            continue;
        int64_t gap = candidate.n_bins > max_bins ? candidate.n_bins - max_bins
                                                  : max_bins - candidate.n_bins;
        if (gap < best_gap || (gap == best_gap && candidate.n_bins < best.n_bins)) {
            best = candidate;
            best_gap = gap;
        }
    }
    if (best_gap == INT64_MAX)
        return refuse_axis(err);
    *axis = best;
    return MD_OK;
}

int32_t sdc_axis_bin(const SdcAxis *axis, double value)
{
    if (isnan(value) || axis->n_bins < 1)
        return -1;
    double v = value < axis->clip_low ? axis->clip_low
                                      : (value > axis->clip_high ? axis->clip_high : value);
    double b = floor((v - axis->first) / axis->width);
    if (b < 0)
        return 0;
    if (b >= axis->n_bins)
        return axis->n_bins - 1;
    return (int32_t)b;
}

Released sdc_release_axis(const SdcAxis *axis, double steps)
{
    if (axis->n_bins < 1 || steps < 0 || steps > axis->n_bins)
        return sdc_suppressed("x");
    return sdc_make_number(axis->first + steps * axis->width, 15);
}

double sdc_whisker_share(const Sdc *sdc, int64_t n_units)
{
    static const double shares[] = {0.01, 0.05, 0.10};
    double k = (double)sdc->config.quantile_units;
    for (size_t i = 0; i < MD_ARRAY_LEN(shares); i++) {
        /* sdc rule R9: n * p >= k (the tolerance absorbs 100 * 0.1 = 9.999...) */
        if ((double)n_units * shares[i] >= k - 1e-9 && n_units >= (int64_t)k + 2)
            return shares[i];
    }
    return 0.0;
}

Released sdc_release_share(const Sdc *sdc, const SdcCell *part, const SdcCell *whole,
                           double scale)
{
    if (!part || !whole || !isfinite(scale) || part->n_units < 0 || whole->n_units < 0)
        return sdc_suppressed("x");
    if (sdc->trusted) {
        if (whole->n_units == 0)
            return sdc_suppressed("-");
        return sdc_make_number(scale * (double)part->n_units / (double)whole->n_units, 10);
    }
    Released w = sdc_release_count(sdc, whole);
    if (w.kind != RELEASED_NUMBER || !(w.value > 0))
        return sdc_suppressed(w.kind == RELEASED_NUMBER ? "-" : "x");
    Released p = sdc_release_count(sdc, part); /* "<5" stays "<5" */
    if (p.kind != RELEASED_NUMBER)
        return p;
    return sdc_make_number(scale * p.value / w.value, sdc->config.digits);
}
