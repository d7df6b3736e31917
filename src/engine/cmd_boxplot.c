/*
 * cmd_boxplot.c - `boxplot VARLIST [if] [, over(VARS) horizontal]` (language.md 4.8, sdc
 * rule R12): one box per variable and over() group. The quartiles are micro-aggregated
 * percentiles (R9, 3 significant digits); the whiskers sit at the most extreme percentile
 * that R9 releases for the box's number of values (p1/p99 from 1000 values, else p5/p95 or
 * p10/p90; none below 100), never at the minimum or maximum; no outlier points are drawn.
 * Each box also shows its released count and winsorised mean (R7, R8); a box of fewer than
 * min_units_statistic units shows no statistics (R3).
 */
#include "engine/charts.h"
#include "stats/stats.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct Box {
    CommandContext *ctx;
    StatSelection sel;
    const char **names;
    int32_t n_names;
    ChartGroups groups;
    ResultChart *chart;
} Box;

static MdStatus emit(Box *b, const char *series, const char *category, Released value)
{
    return chart_point(b->ctx, b->chart, series, category, value);
}

/* One box: the values of one variable in one group, sorted. */
static MdStatus emit_box(Box *b, const char *category, const char *variable,
                         const SdcCell *cell, double *values, int64_t n)
{
    const Sdc *sdc = b->sel.sdc;
    double p = sdc_whisker_share(sdc, n);
    Released low_whisker = p > 0 ? sdc_release_quantile(sdc, cell, values, n, p)
                                 : sdc_suppressed("x");
    Released high_whisker = p > 0 ? sdc_release_quantile(sdc, cell, values, n, 1.0 - p)
                                  : sdc_suppressed("x");
    double low = NAN;
    double high = NAN;
    if (!sdc_winsor_bounds(sdc, values, n, &low, &high)) {
        low = NAN;
        high = NAN;
    }
    MdStatus status = emit(b, "N", category, sdc_release_count(sdc, cell));
    if (status == MD_OK) {
        status = emit(b, "whisker pct", category,
                      p > 0 ? sdc_release_constant(100.0 * p) : sdc_suppressed("x"));
    }
    if (status == MD_OK) {
        status = emit(b, "lower whisker", category, low_whisker);
    }
    static const double quartiles[] = {0.25, 0.50, 0.75};
    static const char *const quartile_names[] = {"p25", "median", "p75"};
    for (int32_t q = 0; status == MD_OK && q < 3; q++) {
        status = emit(b, quartile_names[q], category,
                      sdc_release_quantile(sdc, cell, values, n, quartiles[q]));
    }
    if (status == MD_OK) {
        status = emit(b, "upper whisker", category, high_whisker);
    }
    if (status == MD_OK) {
        status = emit(b, "mean", category,
                      statcmd_release_stat(sdc, cell, variable, "mean", values, n, low,
                                           high));
    }
    return status;
}

static MdStatus boxes_of_variable(Box *b, const char *name)
{
    const Column *column = statcmd_numeric(b->ctx, b->sel.ds, name);
    if (column == NULL) {
        return b->ctx->err->status;
    }
    StatGroups g;
    MdStatus status = statcmd_groups(b->ctx, b->sel.ds, b->groups.row_group,
                                     b->groups.n_groups, column->numbers, &g);
    for (int64_t k = 0; status == MD_OK && k < g.n_cells; k++) {
        if (b->groups.n_vars > 0 && g.units[k].n_units == 0) {
            continue; /* a combination of over() levels that holds no unit */
        }
        double *values = g.values + g.offsets[k];
        int64_t n = g.offsets[k + 1] - g.offsets[k];
        stats_sort(values, n);
        char label[512];
        char category[640];
        chart_group_label(&b->groups, k, label, sizeof label);
        snprintf(category, sizeof category, "%s%s%s", name, label[0] ? ", " : "", label);
        status = emit_box(b, category, name, &g.units[k], values, n);
    }
    statcmd_groups_free(&g);
    return status;
}

static MdStatus boxplot_run(Box *b)
{
    CommandContext *ctx = b->ctx;
    if (ctx->command->n_args == 0) {
        return cmd_fail_usage(ctx, "name at least one numeric variable");
    }
    MdStatus status = statcmd_select(ctx, &b->sel);
    if (status == MD_OK) {
        status = statcmd_varlist(ctx, b->sel.ds, false, &b->names, &b->n_names);
    }
    for (int32_t v = 0; status == MD_OK && v < b->n_names; v++) {
        if (statcmd_numeric(ctx, b->sel.ds, b->names[v]) == NULL) {
            status = ctx->err->status; /* refuse before any box is drawn */
        }
    }
    if (status == MD_OK) {
        status = chart_groups(ctx, &b->sel, command_option(ctx->command, "over"),
                              &b->groups);
    }
    if (status == MD_OK) {
        bool horizontal = command_option(ctx->command, "horizontal") != NULL;
        char title[512];
        size_t used = 0;
        title[0] = '\0';
        for (int32_t v = 0; v < b->n_names && used < sizeof title; v++) {
            int w = snprintf(title + used, sizeof title - used, "%s%s", v ? " " : "",
                             b->names[v]);
            used += w > 0 ? (size_t)w : 0;
        }
        b->chart = chart_new(ctx, horizontal ? "boxplot-horizontal" : "boxplot", title);
        status = b->chart == NULL ? ctx->err->status : MD_OK;
    }
    for (int32_t v = 0; status == MD_OK && v < b->n_names; v++) {
        status = boxes_of_variable(b, b->names[v]);
    }
    return status;
}

MdStatus handle_boxplot(CommandContext *ctx)
{
    Box b;
    memset(&b, 0, sizeof b);
    b.ctx = ctx;
    MdStatus status = boxplot_run(&b);
    md_free(b.names);
    chart_groups_free(&b.groups);
    statcmd_selection_free(&b.sel);
    return status;
}
