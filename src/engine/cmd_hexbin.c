/*
 * cmd_hexbin.c - `hexbin Y X [if] [, gridsize(N) groups(N)]` (language.md 4.8, sdc rule
 * R12): the anonymised scatter plot. Both axes come from sdc (winsorised bounds, nice
 * widths, edges never a value of the data); values are clipped to the bounds, so outliers
 * sit in the border hexagons. gridsize (default 20, at most 25) hexagons span the x axis and
 * gridsize / sqrt(3) rows the y axis, on two offset lattices as in matplotlib's hexbin. Each
 * hexagon is a table cell: its distinct units form an SdcCell whose count sdc perturbs, and a
 * hexagon whose released count is low ("<5") or zero is not drawn at all. The colour key has
 * groups (default and at most 10) classes of equal width between the smallest and largest
 * released count; class bounds are derived from released counts only.
 */
#include "engine/charts.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define HEX_DEFAULT_GRID 20
#define HEX_MAX_GRID 25
#define HEX_MAX_GROUPS 10

typedef struct Hex {
    CommandContext *ctx;
    StatSelection sel;
    const char *names[2];  /* y, x */
    const Column *y;
    const Column *x;
    int64_t grid;
    int64_t n_groups;
    SdcAxis ax;
    SdcAxis ay;
    int64_t n_cells;       /* (nx + 1) * (ny + 1) + nx * ny */
    SdcCell *cells;
    int32_t *map;
    Released *counts;      /* per cell */
} Hex;

/* ==== Axes ============================================================================= */

static MdStatus axis_of(Hex *h, const Column *column, int32_t bins, SdcAxis *axis)
{
    const Dataset *ds = h->sel.ds;
    int32_t *one = md_malloc((size_t)(ds->n_rows > 0 ? ds->n_rows : 1) * sizeof *one);
    if (one == NULL) {
        return statcmd_fail_memory(h->ctx);
    }
    for (int64_t i = 0; i < ds->n_rows; i++) {
        bool both = !isnan(h->x->numbers[i]) && !isnan(h->y->numbers[i]);
        one[i] = h->sel.mask[i] && both ? 0 : -1;
    }
    StatGroups g;
    MdStatus status = statcmd_groups(h->ctx, ds, one, 1, column->numbers, &g);
    md_free(one);
    if (status == MD_OK) {
        status = sdc_chart_axis(h->sel.sdc, g.values, g.offsets[1], bins, 0.0, axis,
                                h->ctx->err);
    }
    statcmd_groups_free(&g);
    return status;
}

/* ==== Hexagons ========================================================================= */

static double clip(double v, const SdcAxis *a)
{
    return v < a->clip_low ? a->clip_low : (v > a->clip_high ? a->clip_high : v);
}

static int64_t bound(double v, int64_t hi)
{
    return v < 0 ? 0 : (v > (double)hi ? hi : (int64_t)v);
}

/* The hexagon of a point: the nearer centre of the two offset lattices. */
static int32_t hexagon_of(const Hex *h, double xv, double yv)
{
    int64_t nx = h->ax.n_bins;
    int64_t ny = h->ay.n_bins;
    double ix = (clip(xv, &h->ax) - h->ax.first) / h->ax.width;
    double iy = (clip(yv, &h->ay) - h->ay.first) / h->ay.width;
    double ix1 = nearbyint(ix), iy1 = nearbyint(iy);
    double ix2 = floor(ix), iy2 = floor(iy);
    double d1 = (ix - ix1) * (ix - ix1) + 3.0 * (iy - iy1) * (iy - iy1);
    double d2 = (ix - ix2 - 0.5) * (ix - ix2 - 0.5) + 3.0 * (iy - iy2 - 0.5) * (iy - iy2 - 0.5);
    if (d1 < d2) {
        return (int32_t)(bound(iy1, ny) * (nx + 1) + bound(ix1, nx));
    }
    return (int32_t)((nx + 1) * (ny + 1) + bound(iy2, ny - 1) * nx + bound(ix2, nx - 1));
}

/* The centre of hexagon c in axis steps. */
static void centre_of(const Hex *h, int64_t c, double *sx, double *sy)
{
    int64_t nx = h->ax.n_bins;
    int64_t first = (nx + 1) * (h->ay.n_bins + 1);
    if (c < first) {
        *sx = (double)(c % (nx + 1));
        *sy = (double)(c / (nx + 1));
        return;
    }
    *sx = (double)((c - first) % nx) + 0.5;
    *sy = (double)((c - first) / nx) + 0.5;
}

static MdStatus build_cells(Hex *h)
{
    const Dataset *ds = h->sel.ds;
    h->n_cells = (h->ax.n_bins + 1) * (h->ay.n_bins + 1) + h->ax.n_bins * h->ay.n_bins;
    h->cells = md_malloc((size_t)h->n_cells * sizeof *h->cells);
    h->counts = md_malloc((size_t)h->n_cells * sizeof *h->counts);
    h->map = md_malloc((size_t)(ds->n_rows > 0 ? ds->n_rows : 1) * sizeof *h->map);
    if (h->cells == NULL || h->counts == NULL || h->map == NULL) {
        return statcmd_fail_memory(h->ctx);
    }
    for (int64_t c = 0; c < h->n_cells; c++) {
        sdc_cell_init(&h->cells[c]);
    }
    for (int64_t i = 0; i < ds->n_rows; i++) {
        double xv = h->x->numbers[i];
        double yv = h->y->numbers[i];
        bool used = h->sel.mask[i] && !isnan(xv) && !isnan(yv);
        h->map[i] = used ? hexagon_of(h, xv, yv) : -1;
    }
    sdc_cells_add_rows(h->cells, h->map, ds->unit_ids, ds->unit_keys, ds->n_rows);
    /* sdc rule R15b: the hexagons are table cells */
    if (sdc_charge_cells(h->sel.sdc, h->cells, h->n_cells, h->map, ds->unit_ids, ds->n_rows,
                         h->ctx->err) != MD_OK) {
        return h->ctx->err->status;
    }
    for (int64_t c = 0; c < h->n_cells; c++) {
        h->counts[c] = sdc_release_count(h->sel.sdc, &h->cells[c]);
    }
    return MD_OK;
}

/* ==== Output =========================================================================== */

static bool drawn(const Released *count)
{
    return count->kind == RELEASED_NUMBER && count->value > 0;
}

/* The colour class (0-based) of a released count between lo and hi. */
static int64_t class_of(double v, double lo, double hi, int64_t n_groups)
{
    double span = hi - lo + 1.0;
    int64_t g = (int64_t)floor((v - lo) * (double)n_groups / span);
    return g < 0 ? 0 : (g >= n_groups ? n_groups - 1 : g);
}

static MdStatus emit_extents(Hex *h)
{
    static const char *const names[4] = {"x from", "x to", "y from", "y to"};
    const SdcAxis *axes[4] = {&h->ax, &h->ax, &h->ay, &h->ay};
    MdStatus status = MD_OK;
    for (int32_t i = 0; status == MD_OK && i < 4; i++) {
        double steps = (i % 2) ? (double)axes[i]->n_bins : 0.0;
        status = statcmd_stat(h->ctx, names[i], sdc_release_axis(axes[i], steps));
    }
    return status;
}

static MdStatus emit_key(Hex *h, double lo, double hi)
{
    char title[300];
    snprintf(title, sizeof title, "%s %s: colour key", h->names[0], h->names[1]);
    ResultChart *key = chart_new(h->ctx, "hexbin-key", title);
    if (key == NULL) {
        return h->ctx->err->status;
    }
    double span = hi - lo + 1.0;
    MdStatus status = MD_OK;
    for (int64_t g = 0; status == MD_OK && g < h->n_groups; g++) {
        double from = lo + ceil(span * (double)g / (double)h->n_groups);
        double to = lo + ceil(span * (double)(g + 1) / (double)h->n_groups) - 1.0;
        if (to < from) {
            continue; /* more classes than distinct counts */
        }
        char category[32];
        snprintf(category, sizeof category, "%lld", (long long)g + 1);
        /* derived from released counts only */
        status = chart_point(h->ctx, key, "from", category, sdc_release_constant(from));
        if (status == MD_OK) {
            status = chart_point(h->ctx, key, "to", category, sdc_release_constant(to));
        }
    }
    return status;
}

static MdStatus emit_hexagons(Hex *h)
{
    double lo = INFINITY, hi = -INFINITY;
    for (int64_t c = 0; c < h->n_cells; c++) {
        if (drawn(&h->counts[c])) {
            lo = fmin(lo, h->counts[c].value);
            hi = fmax(hi, h->counts[c].value);
        }
    }
    char title[300];
    snprintf(title, sizeof title, "%s %s", h->names[0], h->names[1]);
    ResultChart *chart = chart_new(h->ctx, "hexbin", title);
    MdStatus status = chart == NULL ? h->ctx->err->status : emit_extents(h);
    int64_t shown = 0;
    for (int64_t c = 0; status == MD_OK && c < h->n_cells; c++) {
        if (!drawn(&h->counts[c])) {
            continue; /* sdc rule R12: hexagons with few units are not drawn */
        }
        double sx, sy;
        centre_of(h, c, &sx, &sy);
        char category[32];
        snprintf(category, sizeof category, "%lld", (long long)++shown);
        status = chart_point(h->ctx, chart, "x", category, sdc_release_axis(&h->ax, sx));
        if (status == MD_OK) {
            status = chart_point(h->ctx, chart, "y", category, sdc_release_axis(&h->ay, sy));
        }
        if (status == MD_OK) {
            status = chart_point(h->ctx, chart, "count", category, h->counts[c]);
        }
        if (status == MD_OK) {
            int64_t g = class_of(h->counts[c].value, lo, hi, h->n_groups);
            status = chart_point(h->ctx, chart, "group", category,
                                 sdc_release_constant((double)g + 1));
        }
    }
    if (status == MD_OK && shown > 0) {
        status = emit_key(h, lo, hi);
    }
    return status;
}

/* ==== The command ====================================================================== */

static MdStatus hexbin_run(Hex *h)
{
    CommandContext *ctx = h->ctx;
    MdStatus status = cmd_args_names(ctx, 2, h->names);
    if (status == MD_OK) {
        status = chart_option_count(ctx, "gridsize", HEX_MAX_GRID, HEX_DEFAULT_GRID, &h->grid);
    }
    if (status == MD_OK) {
        status = chart_option_count(ctx, "groups", HEX_MAX_GROUPS, HEX_MAX_GROUPS,
                                    &h->n_groups);
    }
    if (status == MD_OK) {
        status = statcmd_select(ctx, &h->sel);
    }
    if (status != MD_OK) {
        return status;
    }
    h->y = statcmd_numeric(ctx, h->sel.ds, h->names[0]);
    h->x = h->y != NULL ? statcmd_numeric(ctx, h->sel.ds, h->names[1]) : NULL;
    if (h->x == NULL) {
        return ctx->err->status;
    }
    int32_t rows = (int32_t)fmax(1.0, nearbyint((double)h->grid / sqrt(3.0)));
    status = axis_of(h, h->x, (int32_t)h->grid, &h->ax);
    if (status == MD_OK) {
        status = axis_of(h, h->y, rows, &h->ay);
    }
    if (status == MD_OK) {
        status = build_cells(h);
    }
    if (status == MD_OK) {
        status = emit_hexagons(h);
    }
    return status;
}

MdStatus handle_hexbin(CommandContext *ctx)
{
    Hex h;
    memset(&h, 0, sizeof h);
    h.ctx = ctx;
    MdStatus status = hexbin_run(&h);
    md_free(h.cells);
    md_free(h.counts);
    md_free(h.map);
    statcmd_selection_free(&h.sel);
    return status;
}
