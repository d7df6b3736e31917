/*
 * cmd_summarize.c - summarize and summarize-panel: per numeric variable (and per panel
 * date) the released count of contributing units, mean and standard deviation of
 * winsorised values, micro-aggregated percentiles p1 p25 p50 p75 p99, and on request the
 * Gini coefficient and the interquartile range. Never the minimum or maximum (R9).
 */
#include "engine/stats_shared.h"
#include "stats/stats.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const base_columns[] = {"N", "mean", "sd", "p1", "p25", "p50", "p75",
                                           "p99"};
#define SUM_MAX_COLUMNS 10

typedef struct SumSpec {
    const char *headers[SUM_MAX_COLUMNS];
    const char *stats[SUM_MAX_COLUMNS];
    int32_t n_columns;
} SumSpec;

static void spec_build(const Command *c, SumSpec *spec)
{
    static const char *const base_stats[] = {"count", "mean", "sd", "p1", "p25", "p50",
                                             "p75", "p99"};
    spec->n_columns = 0;
    for (size_t i = 0; i < MD_ARRAY_LEN(base_columns); i++) {
        spec->headers[spec->n_columns] = base_columns[i];
        spec->stats[spec->n_columns++] = base_stats[i];
    }
    if (command_option(c, "gini") != NULL) {
        spec->headers[spec->n_columns] = "gini";
        spec->stats[spec->n_columns++] = "gini";
    }
    if (command_option(c, "iqr") != NULL) {
        spec->headers[spec->n_columns] = "iqr";
        spec->stats[spec->n_columns++] = "iqr";
    }
}

/* Emits the rows of one variable: one per group (a single group without panel dates). */
static MdStatus summarize_variable(CommandContext *ctx, const StatSelection *sel,
                                   const SumSpec *spec, ResultTable *table, const char *name,
                                   const StatFactor *dates, int32_t *map)
{
    const Dataset *ds = sel->ds;
    const Column *column = statcmd_numeric(ctx, ds, name);
    if (column == NULL) {
        return ctx->err->status;
    }
    int64_t n_groups = dates != NULL ? dates->n_levels : 1;
    for (int64_t i = 0; i < ds->n_rows; i++) {
        map[i] = !sel->mask[i] ? -1 : dates != NULL ? dates->row_level[i] : 0;
    }
    StatGroups g;
    MdStatus status = statcmd_groups(ctx, ds, map, n_groups, column->numbers, &g);
    for (int64_t k = 0; status == MD_OK && k < n_groups; k++) {
        double *values = g.values + g.offsets[k];
        int64_t n = g.offsets[k + 1] - g.offsets[k];
        stats_sort(values, n); /* once: every statistic below reads the sorted values */
        double low = NAN;
        double high = NAN;
        if (!sdc_winsor_bounds(sel->sdc, values, n, &low, &high)) {
            low = NAN;
            high = NAN;
        }
        const char *labels[2] = {name, dates != NULL ? dates->labels[k] : NULL};
        int32_t row = result_table_add_row(table, dates != NULL ? 2 : 1, labels);
        if (row < 0) {
            status = statcmd_fail_memory(ctx);
            break;
        }
        for (int32_t j = 0; status == MD_OK && j < spec->n_columns; j++) {
            Released v = statcmd_release_stat(sel->sdc, &g.units[k], name, spec->stats[j],
                                              values, n, low, high);
            status = statcmd_set(ctx, table, row, j, v);
        }
    }
    statcmd_groups_free(&g);
    return status;
}

static MdStatus summarize_run(CommandContext *ctx, bool panel)
{
    StatSelection sel;
    MdStatus status = statcmd_select(ctx, &sel);
    if (status != MD_OK) {
        return status;
    }
    const char **names = NULL;
    int32_t n_names = 0;
    StatFactor dates;
    memset(&dates, 0, sizeof dates);
    int32_t *map = NULL;
    if (panel && sel.ds->shape != SHAPE_PANEL) {
        status = md_error_set(ctx->err, MD_ERR_TYPE, "summarize-panel needs a panel dataset");
        md_error_hint(ctx->err, "create one with import-panel or reshape-to-panel");
    }
    if (status == MD_OK) {
        status = statcmd_varlist(ctx, sel.ds, !panel, &names, &n_names);
    }
    for (int32_t v = 0; status == MD_OK && v < n_names; v++) {
        if (statcmd_numeric(ctx, sel.ds, names[v]) == NULL) {
            status = ctx->err->status; /* refuse before any table is made */
        }
    }
    if (status == MD_OK && panel) {
        const Column *date = cmd_column(ctx, sel.ds, "date@panel");
        status = date == NULL ? ctx->err->status
                              : statcmd_factor(ctx, sel.ds, date, sel.mask, false, true,
                                               &dates);
    }
    if (status == MD_OK) {
        map = md_malloc((size_t)sel.ds->n_rows * sizeof *map);
        if (map == NULL) {
            status = statcmd_fail_memory(ctx);
        }
    }
    SumSpec spec;
    spec_build(ctx->command, &spec);
    ResultTable *table = NULL;
    if (status == MD_OK) {
        result_entry_set_kind(ctx->entry, ENTRY_STATISTICS);
        table = result_entry_table(ctx->entry, ctx->command->spec->name, spec.n_columns,
                                   spec.headers);
        const char *row_header[2] = {"variable", "date@panel"};
        if (table == NULL ||
            result_table_row_header(table, panel ? 2 : 1, row_header) != MD_OK) {
            status = statcmd_fail_memory(ctx);
        }
    }
    for (int32_t v = 0; status == MD_OK && v < n_names; v++) {
        status = summarize_variable(ctx, &sel, &spec, table, names[v],
                                    panel ? &dates : NULL, map);
    }
    md_free(map);
    md_free(names);
    statcmd_factor_free(&dates);
    statcmd_selection_free(&sel);
    return status;
}

MdStatus handle_summarize(CommandContext *ctx)
{
    return summarize_run(ctx, false);
}

MdStatus handle_summarize_panel(CommandContext *ctx)
{
    return summarize_run(ctx, true);
}
