/*
 * cmd_histogram.c - `histogram VAR [if] [, by(VAR) density|freq|fraction|percent bin(N)
 * width(W) normal discrete]` (language.md 4.8, sdc rule R12). Bins are table cells: the
 * distinct units of each bin form an SdcCell whose count sdc perturbs ("<5" when low), and
 * the whole set of bins passes the sparse-table rule (R6). The axis comes from sdc: it spans
 * the winsorised bounds (R7) with a nice width, and no edge is ever a value of the data, so
 * never the true minimum or maximum. Density, fraction and percent are computed from the
 * released counts; `discrete` gives one bar per value (a table, as tabulate); `normal` adds
 * the released mean and standard deviation of the overlay. by() draws one chart per group
 * on the same axis.
 */
#include "engine/charts.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef enum HistMeasure { H_DENSITY, H_FREQ, H_FRACTION, H_PERCENT } HistMeasure;

typedef struct Hist {
    CommandContext *ctx;
    StatSelection sel;
    const char *name;
    const Column *x;
    ChartGroups groups;
    HistMeasure measure;
    int64_t bins;         /* 0: the default */
    double width;         /* 0: from bins */
    bool normal;
    bool discrete;
    StatGroups all;       /* the values of every group together (axis, default bins) */
    StatGroups per_group; /* the values and contributing units of each group */
    int64_t n_bars;       /* bins, or the values of a discrete histogram */
    SdcAxis axis;
    StatFactor levels;    /* discrete: the values */
    SdcCell *cells;       /* n_groups * n_bars */
    int32_t *map;         /* per row: its cell, -1 = none */
} Hist;

/* ==== Options ========================================================================== */

static MdStatus parse_options(Hist *h)
{
    CommandContext *ctx = h->ctx;
    static const char *const measures[] = {"density", "freq", "fraction", "percent"};
    static const char *const bin_discrete[] = {"bin", "discrete"};
    static const char *const bin_width[] = {"bin", "width"};
    static const char *const width_discrete[] = {"width", "discrete"};
    MdStatus status = chart_options_exclusive(ctx, measures, 4);
    if (status == MD_OK) {
        status = chart_options_exclusive(ctx, bin_discrete, 2);
    }
    if (status == MD_OK) {
        status = chart_options_exclusive(ctx, bin_width, 2);
    }
    if (status == MD_OK) {
        status = chart_options_exclusive(ctx, width_discrete, 2);
    }
    if (status == MD_OK) {
        status = chart_option_count(ctx, "bin", SDC_CHART_MAX_BINS, 0, &h->bins);
    }
    if (status == MD_OK) {
        status = chart_option_positive(ctx, "width", &h->width);
    }
    h->measure = H_DENSITY;
    for (int32_t m = 0; m < 4; m++) {
        if (command_option(ctx->command, measures[m]) != NULL) {
            h->measure = (HistMeasure)m;
        }
    }
    h->normal = command_option(ctx->command, "normal") != NULL;
    h->discrete = command_option(ctx->command, "discrete") != NULL;
    if (status != MD_OK) {
        return status;
    }
    if (ctx->command->n_args != 1) {
        return cmd_fail_usage(ctx, "name exactly one numeric variable");
    }
    if (ctx->command->args[0].kind != TOKEN_NAME) {
        return cmd_fail_usage(ctx, "the variable must be a name");
    }
    h->name = ctx->command->args[0].text;
    return MD_OK;
}

/* ==== Bars ============================================================================= */

/* Stata's default number of bins, min(sqrt(N), 10 log10 N), from the released N. */
static int32_t default_bins(const Hist *h)
{
    Released n = sdc_release_count(h->sel.sdc, &h->all.units[0]);
    if (n.kind != RELEASED_NUMBER || n.value < 2) {
        return 10;
    }
    double k = floor(fmin(sqrt(n.value), 10.0 * log10(n.value)));
    return (int32_t)fmax(1.0, fmin(k, (double)SDC_CHART_MAX_BINS));
}

static MdStatus build_axis(Hist *h)
{
    if (h->discrete) {
        MdStatus status = statcmd_factor(h->ctx, h->sel.ds, h->x, h->sel.mask, false, false,
                                         &h->levels);
        h->n_bars = h->levels.n_levels;
        return status;
    }
    int32_t bins = h->bins > 0 ? (int32_t)h->bins : default_bins(h);
    int64_t n = h->all.offsets[1];
    MdStatus status = sdc_chart_axis(h->sel.sdc, h->all.values, n, bins, h->width, &h->axis,
                                     h->ctx->err);
    h->n_bars = h->axis.n_bins;
    return status;
}

/* The bar of row i, or -1 (missing value, not selected). */
static int64_t bar_of(const Hist *h, int64_t i)
{
    double v = h->x->numbers[i];
    if (isnan(v)) {
        return -1;
    }
    return h->discrete ? h->levels.row_level[i] : sdc_axis_bin(&h->axis, v);
}

static MdStatus build_cells(Hist *h)
{
    const Dataset *ds = h->sel.ds;
    int64_t n_cells = h->groups.n_groups * h->n_bars;
    h->cells = md_malloc((size_t)(n_cells > 0 ? n_cells : 1) * sizeof *h->cells);
    h->map = md_malloc((size_t)(ds->n_rows > 0 ? ds->n_rows : 1) * sizeof *h->map);
    if (h->cells == NULL || h->map == NULL) {
        return statcmd_fail_memory(h->ctx);
    }
    for (int64_t c = 0; c < n_cells; c++) {
        sdc_cell_init(&h->cells[c]);
    }
    for (int64_t i = 0; i < ds->n_rows; i++) {
        int64_t g = h->groups.row_group[i];
        int64_t b = g >= 0 ? bar_of(h, i) : -1;
        h->map[i] = b >= 0 ? (int32_t)(g * h->n_bars + b) : -1;
    }
    sdc_cells_add_rows(h->cells, h->map, ds->unit_ids, ds->unit_keys, ds->n_rows);
    MdStatus status = sdc_check_table(h->sel.sdc, h->cells, n_cells, h->ctx->err); /* R6 */
    if (status == MD_OK) { /* sdc rule R15b: the bins are table cells */
        status = sdc_charge_cells(h->sel.sdc, h->cells, n_cells, h->map, ds->unit_ids,
                                  ds->n_rows, h->ctx->err);
    }
    return status;
}

/* ==== Output =========================================================================== */

static Released bar_measure(const Hist *h, const SdcCell *bar, const SdcCell *whole)
{
    double width = h->discrete ? 1.0 : h->axis.width;
    switch (h->measure) {
    case H_DENSITY:
        return sdc_release_share(h->sel.sdc, bar, whole, 1.0 / width);
    case H_FRACTION:
        return sdc_release_share(h->sel.sdc, bar, whole, 1.0);
    case H_PERCENT:
        return sdc_release_share(h->sel.sdc, bar, whole, 100.0);
    case H_FREQ:
        break;
    }
    return sdc_release_count(h->sel.sdc, bar);
}

static const char *measure_name(HistMeasure m)
{
    static const char *const names[] = {"density", "count", "fraction", "percent"};
    return names[m];
}

static MdStatus emit_bar(Hist *h, ResultChart *chart, int64_t g, int64_t b)
{
    CommandContext *ctx = h->ctx;
    const SdcCell *bar = &h->cells[g * h->n_bars + b];
    const SdcCell *whole = &h->per_group.units[g];
    char category[160];
    MdStatus status = MD_OK;
    if (h->discrete) {
        snprintf(category, sizeof category, "%s", h->levels.labels[b]);
    } else {
        snprintf(category, sizeof category, "%lld", (long long)b + 1);
        status = chart_point(ctx, chart, "from", category,
                             sdc_release_axis(&h->axis, (double)b));
        if (status == MD_OK) {
            status = chart_point(ctx, chart, "to", category,
                                 sdc_release_axis(&h->axis, (double)b + 1));
        }
    }
    if (status == MD_OK) {
        status = chart_point(ctx, chart, "count", category,
                             sdc_release_count(h->sel.sdc, bar));
    }
    if (status == MD_OK && h->measure != H_FREQ) {
        status = chart_point(ctx, chart, measure_name(h->measure), category,
                             bar_measure(h, bar, whole));
    }
    return status;
}

/* The overlay's mean and sd: winsorised magnitudes of the group's values (R7, R8). */
static MdStatus emit_normal(Hist *h, int64_t g)
{
    double *values = h->per_group.values + h->per_group.offsets[g];
    int64_t n = h->per_group.offsets[g + 1] - h->per_group.offsets[g];
    double low = NAN;
    double high = NAN;
    if (!sdc_winsor_bounds(h->sel.sdc, values, n, &low, &high)) {
        low = NAN;
        high = NAN;
    }
    const SdcCell *cell = &h->per_group.units[g];
    MdStatus status = statcmd_stat(h->ctx, "normal mean",
                                   statcmd_release_stat(h->sel.sdc, cell, h->name, "mean",
                                                        values, n, low, high));
    if (status == MD_OK) {
        status = statcmd_stat(h->ctx, "normal sd",
                              statcmd_release_stat(h->sel.sdc, cell, h->name, "sd", values, n,
                                                   low, high));
    }
    return status;
}

static MdStatus emit_charts(Hist *h)
{
    MdStatus status = MD_OK;
    for (int64_t g = 0; status == MD_OK && g < h->groups.n_groups; g++) {
        if (h->per_group.units[g].n_units == 0) {
            continue; /* a combination of by() levels that holds no unit */
        }
        char label[512];
        char title[640];
        chart_group_label(&h->groups, g, label, sizeof label);
        snprintf(title, sizeof title, "%s%s%s", h->name, label[0] ? ", " : "", label);
        ResultChart *chart = chart_new(h->ctx, "histogram", title);
        if (chart == NULL) {
            return h->ctx->err->status;
        }
        for (int64_t b = 0; status == MD_OK && b < h->n_bars; b++) {
            status = emit_bar(h, chart, g, b);
        }
        if (status == MD_OK && h->normal) {
            status = emit_normal(h, g);
        }
    }
    return status;
}

/* ==== The command ====================================================================== */

static MdStatus group_values(Hist *h)
{
    const Dataset *ds = h->sel.ds;
    int32_t *one = md_malloc((size_t)(ds->n_rows > 0 ? ds->n_rows : 1) * sizeof *one);
    if (one == NULL) {
        return statcmd_fail_memory(h->ctx);
    }
    for (int64_t i = 0; i < ds->n_rows; i++) {
        one[i] = h->groups.row_group[i] >= 0 ? 0 : -1;
    }
    MdStatus status = statcmd_groups(h->ctx, ds, one, 1, h->x->numbers, &h->all);
    md_free(one);
    if (status == MD_OK) {
        status = statcmd_groups(h->ctx, ds, h->groups.row_group, h->groups.n_groups,
                                h->x->numbers, &h->per_group);
    }
    return status;
}

static MdStatus histogram_run(Hist *h)
{
    CommandContext *ctx = h->ctx;
    MdStatus status = parse_options(h);
    if (status != MD_OK) {
        return status;
    }
    status = statcmd_select(ctx, &h->sel);
    if (status != MD_OK) {
        return status;
    }
    h->x = statcmd_numeric(ctx, h->sel.ds, h->name);
    if (h->x == NULL) {
        return ctx->err->status;
    }
    status = chart_groups(ctx, &h->sel, command_option(ctx->command, "by"), &h->groups);
    if (status == MD_OK) {
        status = group_values(h);
    }
    if (status == MD_OK) {
        status = build_axis(h);
    }
    if (status == MD_OK) {
        status = build_cells(h);
    }
    if (status == MD_OK) {
        status = emit_charts(h);
    }
    return status;
}

MdStatus handle_histogram(CommandContext *ctx)
{
    Hist h;
    memset(&h, 0, sizeof h);
    h.ctx = ctx;
    MdStatus status = histogram_run(&h);
    md_free(h.cells);
    md_free(h.map);
    statcmd_factor_free(&h.levels);
    statcmd_groups_free(&h.all);
    statcmd_groups_free(&h.per_group);
    chart_groups_free(&h.groups);
    statcmd_selection_free(&h.sel);
    return status;
}
