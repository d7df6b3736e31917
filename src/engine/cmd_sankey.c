/*
 * cmd_sankey.c - `sankey VAR1 VAR2 [VAR3 ...] [if]` (language.md 4.8, sdc rule R12): flows
 * between the categories of consecutive variables (county in 1992, then 2002, then 2012).
 * Each flow is a table cell: the distinct units with category a of one variable and b of the
 * next, released by sdc ("<5" when low), and the flows of each pair of variables pass the
 * sparse-table rule (R6) as a two-way tabulate would. The nodes are the released counts of
 * each variable's categories. Categorical variables only (no pointers, no free text).
 */
#include "engine/charts.h"

#include <stdio.h>
#include <string.h>

#define SANKEY_MAX_VARS 8

typedef struct Sankey {
    CommandContext *ctx;
    StatSelection sel;
    const char *names[SANKEY_MAX_VARS];
    int32_t n_vars;
    StatFactor f[SANKEY_MAX_VARS];
    SdcCell *cells;
    int32_t *map;
} Sankey;

static MdStatus parse_args(Sankey *s)
{
    const Command *c = s->ctx->command;
    if (c->n_args < 2 || c->n_args > SANKEY_MAX_VARS) {
        return cmd_fail_usage(s->ctx, "name two to eight categorical variables");
    }
    for (int32_t i = 0; i < c->n_args; i++) {
        if (c->args[i].kind != TOKEN_NAME) {
            return cmd_fail_usage(s->ctx, "the variables must be names");
        }
        s->names[i] = c->args[i].text;
    }
    s->n_vars = c->n_args;
    return MD_OK;
}

/* The flows of variables v and v + 1: cells a * levels(v + 1) + b, checked under R6. */
static MdStatus build_flows(Sankey *s, int32_t v, int64_t *n_cells)
{
    const Dataset *ds = s->sel.ds;
    const StatFactor *from = &s->f[v];
    const StatFactor *to = &s->f[v + 1];
    *n_cells = (int64_t)from->n_levels * to->n_levels;
    if (*n_cells > 4000000) {
        md_error_set(s->ctx->err, MD_ERR_LIMIT, "the sankey chart would have too many flows");
        md_error_hint(s->ctx->err, "group the categories with recode");
        return MD_ERR_LIMIT;
    }
    md_free(s->cells);
    s->cells = md_malloc((size_t)(*n_cells > 0 ? *n_cells : 1) * sizeof *s->cells);
    if (s->cells == NULL) {
        return statcmd_fail_memory(s->ctx);
    }
    for (int64_t c = 0; c < *n_cells; c++) {
        sdc_cell_init(&s->cells[c]);
    }
    for (int64_t i = 0; i < ds->n_rows; i++) {
        int32_t a = from->row_level[i];
        int32_t b = to->row_level[i];
        s->map[i] = a >= 0 && b >= 0 ? a * to->n_levels + b : -1;
    }
    sdc_cells_add_rows(s->cells, s->map, ds->unit_ids, ds->unit_keys, ds->n_rows);
    MdStatus status = sdc_check_table(s->sel.sdc, s->cells, *n_cells, s->ctx->err); /* R6 */
    if (status == MD_OK) { /* sdc rule R15b: the flows are table cells */
        status = sdc_charge_cells(s->sel.sdc, s->cells, *n_cells, s->map, ds->unit_ids,
                                  ds->n_rows, s->ctx->err);
    }
    return status;
}

static MdStatus emit_nodes(Sankey *s, ResultChart *chart, int32_t v)
{
    const Dataset *ds = s->sel.ds;
    const StatFactor *f = &s->f[v];
    SdcCell *nodes = md_malloc((size_t)(f->n_levels > 0 ? f->n_levels : 1) * sizeof *nodes);
    if (nodes == NULL) {
        return statcmd_fail_memory(s->ctx);
    }
    for (int32_t l = 0; l < f->n_levels; l++) {
        sdc_cell_init(&nodes[l]);
    }
    sdc_cells_add_rows(nodes, f->row_level, ds->unit_ids, ds->unit_keys, ds->n_rows);
    char series[160];
    snprintf(series, sizeof series, "node %s", s->names[v]);
    /* sdc rule R15b: the nodes are the cells of a one-way table */
    MdStatus status = sdc_charge_cells(s->sel.sdc, nodes, f->n_levels, f->row_level,
                                       ds->unit_ids, ds->n_rows, s->ctx->err);
    for (int32_t l = 0; status == MD_OK && l < f->n_levels; l++) {
        status = chart_point(s->ctx, chart, series, f->labels[l],
                             sdc_release_count(s->sel.sdc, &nodes[l]));
    }
    md_free(nodes);
    return status;
}

static MdStatus emit_flows(Sankey *s, ResultChart *chart, int32_t v)
{
    const StatFactor *from = &s->f[v];
    const StatFactor *to = &s->f[v + 1];
    char series[330];
    snprintf(series, sizeof series, "%s -> %s", s->names[v], s->names[v + 1]);
    MdStatus status = MD_OK;
    for (int32_t a = 0; status == MD_OK && a < from->n_levels; a++) {
        for (int32_t b = 0; status == MD_OK && b < to->n_levels; b++) {
            const SdcCell *cell = &s->cells[(int64_t)a * to->n_levels + b];
            if (cell->n_units == 0) {
                continue; /* no flow: nothing to draw */
            }
            char category[600];
            snprintf(category, sizeof category, "%s -> %s", from->labels[a], to->labels[b]);
            status = chart_point(s->ctx, chart, series, category,
                                 sdc_release_count(s->sel.sdc, cell));
        }
    }
    return status;
}

static MdStatus sankey_run(Sankey *s)
{
    CommandContext *ctx = s->ctx;
    MdStatus status = parse_args(s);
    if (status == MD_OK) {
        status = statcmd_select(ctx, &s->sel);
    }
    for (int32_t v = 0; status == MD_OK && v < s->n_vars; v++) {
        const Column *column = cmd_column(ctx, s->sel.ds, s->names[v]);
        status = column == NULL ? ctx->err->status
                                : statcmd_factor(ctx, s->sel.ds, column, s->sel.mask, false,
                                                 false, &s->f[v]);
    }
    if (status == MD_OK) {
        size_t rows = (size_t)(s->sel.ds->n_rows > 0 ? s->sel.ds->n_rows : 1);
        s->map = md_malloc(rows * sizeof *s->map);
        status = s->map == NULL ? statcmd_fail_memory(ctx) : MD_OK;
    }
    int64_t n_cells = 0;
    for (int32_t v = 0; status == MD_OK && v + 1 < s->n_vars; v++) {
        status = build_flows(s, v, &n_cells); /* every pair passes R6 before any output */
    }
    ResultChart *chart = NULL;
    if (status == MD_OK) {
        char title[600];
        size_t used = 0;
        title[0] = '\0';
        for (int32_t v = 0; v < s->n_vars && used < sizeof title; v++) {
            int w = snprintf(title + used, sizeof title - used, "%s%s", v ? " -> " : "",
                             s->names[v]);
            used += w > 0 ? (size_t)w : 0;
        }
        chart = chart_new(ctx, "sankey", title);
        status = chart == NULL ? ctx->err->status : MD_OK;
    }
    for (int32_t v = 0; status == MD_OK && v < s->n_vars; v++) {
        status = emit_nodes(s, chart, v);
    }
    for (int32_t v = 0; status == MD_OK && v + 1 < s->n_vars; v++) {
        status = build_flows(s, v, &n_cells);
        if (status == MD_OK) {
            status = emit_flows(s, chart, v);
        }
    }
    return status;
}

MdStatus handle_sankey(CommandContext *ctx)
{
    Sankey s;
    memset(&s, 0, sizeof s);
    s.ctx = ctx;
    MdStatus status = sankey_run(&s);
    for (int32_t v = 0; v < SANKEY_MAX_VARS; v++) {
        statcmd_factor_free(&s.f[v]);
    }
    md_free(s.cells);
    md_free(s.map);
    statcmd_selection_free(&s.sel);
    return status;
}
