/*
 * cmd_barchart.c - barchart and piechart (language.md 4.8, sdc rule R12): graphical
 * tabulate and summarize. `barchart (count|percent) VAR` draws the released counts (or
 * percentages of released counts) of the categories of one variable, a table under R4-R6;
 * `barchart (mean|median|sum|sd) VARS` one bar per variable and over() group, each a
 * winsorised, noised magnitude (R7, R8) or a micro-aggregated median (R9); (min) and (max)
 * are refused (R9). over() groups bars within a chart, by() draws one chart per group,
 * stack and horizontal are carried in the chart type. `piechart VAR` is the count and
 * percentage of each category.
 */
#include "engine/charts.h"
#include "stats/stats.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define BAR_MAX_ITEMS 32

typedef struct Bar {
    CommandContext *ctx;
    StatSelection sel;
    Arena *arena;
    StatItem *items;
    int32_t n_items;
    bool frequency;        /* (count) or (percent): one categorical variable */
    bool pie;
    char type[48];
    ChartGroups by;
    ChartGroups over;
    int32_t *map;          /* per row: by * n_over + over, -1 = none */
    StatFactor levels;     /* frequency: the categories */
    SdcCell *cells;        /* frequency: (by, over) x (levels + 1: the whole) */
    StatGroups groups[BAR_MAX_ITEMS];
    double low[BAR_MAX_ITEMS];
    double high[BAR_MAX_ITEMS];
} Bar;

/* ==== Arguments ======================================================================== */

static const char *stat_of(const StatItem *item)
{
    return item->stat != NULL ? item->stat : "count";
}

static bool is_frequency(const char *stat)
{
    return strcmp(stat, "count") == 0 || strcmp(stat, "percent") == 0;
}

static MdStatus check_stats(Bar *b)
{
    CommandContext *ctx = b->ctx;
    static const char *const magnitudes[] = {"mean", "median", "sum", "sd"};
    b->frequency = is_frequency(stat_of(&b->items[0]));
    for (int32_t i = 0; i < b->n_items; i++) {
        const char *stat = stat_of(&b->items[i]);
        if (strcmp(stat, "min") == 0 || strcmp(stat, "max") == 0) {
            md_error_set(ctx->err, MD_ERR_DISCLOSURE, "barchart cannot show the minimum or "
                         "maximum (rule R9)");
            md_error_hint(ctx->err, "rule R9 in docs/disclosure.md: chart the median, or "
                          "summarize for p1 and p99");
            return MD_ERR_DISCLOSURE;
        }
        bool known = false;
        for (size_t k = 0; k < MD_ARRAY_LEN(magnitudes); k++) {
            known = known || strcmp(stat, magnitudes[k]) == 0;
        }
        if (is_frequency(stat) != b->frequency || (!b->frequency && !known)) {
            md_error_set(ctx->err, MD_ERR_SYNTAX, "barchart: (%s) cannot be charted %s",
                         stat, b->frequency ? "with (count) or (percent)" : "here");
            md_error_hint(ctx->err, "chart (count) or (percent) of one categorical variable, "
                          "or (mean) (median) (sum) (sd) of numeric variables");
            return MD_ERR_SYNTAX;
        }
    }
    if (b->frequency && b->n_items != 1) {
        return cmd_fail_usage(ctx, "(count) and (percent) chart one categorical variable");
    }
    if (b->n_items > BAR_MAX_ITEMS) {
        return cmd_fail_usage(ctx, "too many variables for one bar chart");
    }
    return MD_OK;
}

static MdStatus parse_barchart(Bar *b)
{
    CommandContext *ctx = b->ctx;
    const Command *c = ctx->command;
    b->arena = arena_new(4096);
    if (b->arena == NULL) {
        return statcmd_fail_memory(ctx);
    }
    b->items = lang_parse_stat_items(b->arena, c->args, c->n_args, &b->n_items, ctx->err);
    if (b->items == NULL) {
        return ctx->err->status;
    }
    if (b->n_items == 0) {
        return cmd_fail_usage(ctx, "name a statistic and variables");
    }
    for (int32_t i = 0; i < b->n_items; i++) {
        if (b->items[i].target != NULL) {
            return cmd_fail_usage(ctx, "-> has no meaning in a bar chart");
        }
    }
    bool stack = command_option(c, "stack") != NULL;
    bool horizontal = command_option(c, "horizontal") != NULL;
    snprintf(b->type, sizeof b->type, "bar%s%s", stack ? "-stack" : "",
             horizontal ? "-horizontal" : "");
    return check_stats(b);
}

static MdStatus parse_piechart(Bar *b)
{
    CommandContext *ctx = b->ctx;
    const Command *c = ctx->command;
    if (c->n_args != 1 || c->args[0].kind != TOKEN_NAME) {
        return cmd_fail_usage(ctx, "name exactly one categorical variable");
    }
    b->arena = arena_new(1024);
    b->items = b->arena != NULL ? arena_alloc(b->arena, sizeof *b->items) : NULL;
    if (b->items == NULL) {
        return statcmd_fail_memory(ctx);
    }
    b->items[0].stat = "count";
    b->items[0].source = c->args[0].text;
    b->n_items = 1;
    b->frequency = true;
    b->pie = true;
    snprintf(b->type, sizeof b->type, "pie");
    return MD_OK;
}

/* ==== Groups =========================================================================== */

static MdStatus build_map(Bar *b)
{
    const Dataset *ds = b->sel.ds;
    b->map = md_malloc((size_t)(ds->n_rows > 0 ? ds->n_rows : 1) * sizeof *b->map);
    if (b->map == NULL) {
        return statcmd_fail_memory(b->ctx);
    }
    if (b->by.n_groups * b->over.n_groups > CHART_MAX_GROUPS) {
        md_error_set(b->ctx->err, MD_ERR_LIMIT, "the chart would have too many groups");
        md_error_hint(b->ctx->err, "group the categories with recode, or use fewer variables");
        return MD_ERR_LIMIT;
    }
    for (int64_t i = 0; i < ds->n_rows; i++) {
        int32_t g = b->by.row_group[i];
        int32_t o = b->over.row_group[i];
        b->map[i] = g >= 0 && o >= 0 ? (int32_t)(g * b->over.n_groups + o) : -1;
    }
    return MD_OK;
}

static int64_t n_bars(const Bar *b)
{
    return b->by.n_groups * b->over.n_groups;
}

/* ==== Frequencies ====================================================================== */

static MdStatus build_frequencies(Bar *b)
{
    CommandContext *ctx = b->ctx;
    const Dataset *ds = b->sel.ds;
    const Column *column = cmd_column(ctx, ds, b->items[0].source);
    MdStatus status = column == NULL ? ctx->err->status
                                     : statcmd_factor(ctx, ds, column, b->sel.mask, false,
                                                      false, &b->levels);
    if (status != MD_OK) {
        return status;
    }
    int64_t width = b->levels.n_levels + 1;
    int64_t n_cells = n_bars(b) * width;
    b->cells = md_malloc((size_t)(n_cells > 0 ? n_cells : 1) * sizeof *b->cells);
    int32_t *cell_of = md_malloc((size_t)(ds->n_rows > 0 ? ds->n_rows : 1) * sizeof *cell_of);
    SdcCell *inner = md_malloc((size_t)(n_cells > 0 ? n_cells : 1) * sizeof *inner);
    if (b->cells == NULL || cell_of == NULL || inner == NULL) {
        md_free(cell_of);
        md_free(inner);
        return statcmd_fail_memory(ctx);
    }
    for (int64_t c = 0; c < n_cells; c++) {
        sdc_cell_init(&b->cells[c]);
    }
    for (int32_t pass = 1; pass >= 0; pass--) { /* each bar's whole, then the categories */
        for (int64_t i = 0; i < ds->n_rows; i++) {
            int32_t level = b->levels.row_level[i];
            int64_t at = pass == 0 ? level : b->levels.n_levels;
            cell_of[i] = b->map[i] >= 0 && level >= 0 ? (int32_t)(b->map[i] * width + at) : -1;
        }
        sdc_cells_add_rows(b->cells, cell_of, ds->unit_ids, ds->unit_keys, ds->n_rows);
    }
    int64_t n_inner = 0;
    for (int64_t k = 0; k < n_bars(b); k++) {
        for (int64_t l = 0; l < b->levels.n_levels; l++) {
            inner[n_inner++] = b->cells[k * width + l];
        }
    }
    status = sdc_check_table(b->sel.sdc, inner, n_inner, ctx->err); /* sdc rule R6 */
    if (status == MD_OK) { /* sdc rule R15b: the categories' cells (cell_of maps to them) */
        status = sdc_charge_cells(b->sel.sdc, b->cells, n_cells, cell_of, ds->unit_ids,
                                  ds->n_rows, ctx->err);
    }
    md_free(cell_of);
    md_free(inner);
    return status;
}

static MdStatus emit_frequency(Bar *b, ResultChart *chart, int64_t g, int64_t o)
{
    int64_t width = b->levels.n_levels + 1;
    int64_t k = g * b->over.n_groups + o;
    const SdcCell *whole = &b->cells[k * width + b->levels.n_levels];
    bool percent = strcmp(stat_of(&b->items[0]), "percent") == 0;
    char series[512];
    chart_group_label(&b->over, o, series, sizeof series);
    if (series[0] == '\0' || b->pie) {
        snprintf(series, sizeof series, "%s", percent ? "percent" : "count");
    }
    MdStatus status = MD_OK;
    for (int64_t l = 0; status == MD_OK && l < b->levels.n_levels; l++) {
        const SdcCell *cell = &b->cells[k * width + l];
        const char *category = b->levels.labels[l];
        if (b->pie) {
            status = chart_point(b->ctx, chart, "count", category,
                                 sdc_release_count(b->sel.sdc, cell));
            if (status == MD_OK) {
                status = chart_point(b->ctx, chart, "percent", category,
                                     sdc_release_percent(b->sel.sdc, cell, whole));
            }
            continue;
        }
        Released v = percent ? sdc_release_percent(b->sel.sdc, cell, whole)
                             : sdc_release_count(b->sel.sdc, cell);
        status = chart_point(b->ctx, chart, series, category, v);
    }
    return status;
}

/* ==== Magnitudes ======================================================================= */

static MdStatus build_magnitudes(Bar *b)
{
    CommandContext *ctx = b->ctx;
    const Dataset *ds = b->sel.ds;
    for (int32_t i = 0; i < b->n_items; i++) {
        const Column *column = statcmd_numeric(ctx, ds, b->items[i].source);
        if (column == NULL) {
            return ctx->err->status;
        }
        MdStatus status = statcmd_winsor(ctx, ds, column->numbers, b->sel.mask, &b->low[i],
                                         &b->high[i]);
        if (status == MD_OK) {
            status = statcmd_groups(ctx, ds, b->map, n_bars(b), column->numbers,
                                    &b->groups[i]);
        }
        if (status != MD_OK) {
            return status;
        }
        const StatGroups *g = &b->groups[i];
        for (int64_t k = 0; k < g->n_cells; k++) {
            stats_sort(g->values + g->offsets[k], g->offsets[k + 1] - g->offsets[k]);
        }
    }
    return MD_OK;
}

static MdStatus emit_magnitudes(Bar *b, ResultChart *chart, int64_t g, int64_t o)
{
    int64_t k = g * b->over.n_groups + o;
    bool any = b->over.n_vars == 0;
    for (int32_t i = 0; !any && i < b->n_items; i++) {
        any = b->groups[i].units[k].n_units > 0;
    }
    if (!any) {
        return MD_OK; /* an over() group without values */
    }
    char category[512];
    chart_group_label(&b->over, o, category, sizeof category);
    if (category[0] == '\0') {
        snprintf(category, sizeof category, "all");
    }
    MdStatus status = MD_OK;
    for (int32_t i = 0; status == MD_OK && i < b->n_items; i++) {
        const StatGroups *gr = &b->groups[i];
        const char *stat = stat_of(&b->items[i]);
        char series[160];
        snprintf(series, sizeof series, "%s(%s)", stat, b->items[i].source);
        int64_t n = gr->offsets[k + 1] - gr->offsets[k];
        Released v = statcmd_release_stat(b->sel.sdc, &gr->units[k], b->items[i].source,
                                          strcmp(stat, "median") == 0 ? "p50" : stat,
                                          gr->values + gr->offsets[k], n, b->low[i],
                                          b->high[i]);
        status = chart_point(b->ctx, chart, series, category, v);
    }
    return status;
}

/* ==== Output =========================================================================== */

/* Which by() groups hold a selected row (a group without one gets no chart). */
static uint8_t *by_groups_present(const Bar *b)
{
    uint8_t *present = md_calloc((size_t)b->by.n_groups, 1);
    for (int64_t i = 0; present != NULL && i < b->sel.ds->n_rows; i++) {
        if (b->by.row_group[i] >= 0) {
            present[b->by.row_group[i]] = 1;
        }
    }
    return present;
}

static MdStatus emit_charts(Bar *b)
{
    uint8_t *present = by_groups_present(b);
    if (present == NULL) {
        return statcmd_fail_memory(b->ctx);
    }
    MdStatus status = MD_OK;
    for (int64_t g = 0; status == MD_OK && g < b->by.n_groups; g++) {
        if (b->by.n_vars > 0 && !present[g]) {
            continue;
        }
        char label[512];
        char title[768];
        chart_group_label(&b->by, g, label, sizeof label);
        snprintf(title, sizeof title, "%s%s%s", b->frequency ? b->items[0].source : "",
                 label[0] && b->frequency ? ", " : "", label);
        ResultChart *chart = chart_new(b->ctx, b->type, title);
        if (chart == NULL) {
            status = b->ctx->err->status;
            break;
        }
        for (int64_t o = 0; status == MD_OK && o < b->over.n_groups; o++) {
            if (b->over.n_vars > 0 && b->frequency &&
                b->cells[(g * b->over.n_groups + o + 1) * (b->levels.n_levels + 1) - 1]
                        .n_units == 0) {
                continue; /* an over() group without units */
            }
            status = b->frequency ? emit_frequency(b, chart, g, o)
                                  : emit_magnitudes(b, chart, g, o);
        }
    }
    md_free(present);
    return status;
}

/* ==== The commands ===================================================================== */

static MdStatus bar_run(Bar *b)
{
    CommandContext *ctx = b->ctx;
    MdStatus status = b->pie ? MD_OK : parse_barchart(b);
    if (status == MD_OK) {
        status = statcmd_select(ctx, &b->sel);
    }
    if (status == MD_OK) {
        status = chart_groups(ctx, &b->sel, command_option(ctx->command, "by"), &b->by);
    }
    if (status == MD_OK) {
        status = chart_groups(ctx, &b->sel, command_option(ctx->command, "over"), &b->over);
    }
    if (status == MD_OK) {
        status = build_map(b);
    }
    if (status == MD_OK) {
        status = b->frequency ? build_frequencies(b) : build_magnitudes(b);
    }
    if (status == MD_OK) {
        status = emit_charts(b);
    }
    return status;
}

static MdStatus bar_handle(CommandContext *ctx, bool pie)
{
    Bar b;
    memset(&b, 0, sizeof b);
    b.ctx = ctx;
    b.pie = pie;
    MdStatus status = pie ? parse_piechart(&b) : MD_OK;
    if (status == MD_OK) {
        status = bar_run(&b);
    }
    for (int32_t i = 0; i < BAR_MAX_ITEMS; i++) {
        statcmd_groups_free(&b.groups[i]);
    }
    md_free(b.cells);
    md_free(b.map);
    statcmd_factor_free(&b.levels);
    chart_groups_free(&b.over);
    chart_groups_free(&b.by);
    statcmd_selection_free(&b.sel);
    if (b.arena != NULL) {
        arena_free(b.arena);
    }
    return status;
}

MdStatus handle_barchart(CommandContext *ctx)
{
    return bar_handle(ctx, false);
}

MdStatus handle_piechart(CommandContext *ctx)
{
    return bar_handle(ctx, true);
}
