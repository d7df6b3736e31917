/*
 * cmd_tabulate.c - tabulate and tabulate-panel: one-way and n-way frequency tables of
 * distinct units per cell, with row/column/cell percentages, missing as a category,
 * labels or codes, the chi-square test, flat grids, row and column sorting, top/bottom,
 * and cell statistics of other variables (summarize()). Every count is an SdcCell of its
 * contributing units released through sdc (margins and totals independently); the table
 * is refused when too sparse (R6); percentages come from released counts.
 */
#include "engine/stats_shared.h"
#include "stats/stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TAB_MAX_VARS 8
#define TAB_MAX_MEASURES 64
#define TAB_MAX_CELLS 4000000

typedef enum MeasureKind { M_FREQ, M_ROWPCT, M_COLPCT, M_CELLPCT, M_STAT } MeasureKind;

typedef struct Measure {
    MeasureKind kind;
    int32_t var;          /* M_STAT: index into sum_names */
    const char *stat;     /* M_STAT */
    char header[96];
} Measure;

typedef struct Tab {
    CommandContext *ctx;
    StatSelection sel;
    const char *names[TAB_MAX_VARS];
    int32_t k;
    StatFactor f[TAB_MAX_VARS];
    int64_t R;            /* row combinations (product of the leading variables' levels) */
    int64_t C;            /* levels of the last variable (1 for a one-way table) */
    int64_t W;            /* C + 1 */
    SdcCell *cells;       /* (R + 1) * (C + 1); row R and column C are the margins */
    int32_t *maps[4];     /* per data row: inner, row margin, column margin, total */
    Measure measures[TAB_MAX_MEASURES];
    int32_t n_measures;
    const char *sum_names[TAB_MAX_VARS];
    const Column *sum_columns[TAB_MAX_VARS];
    int32_t n_sum;
    StatGroups groups[TAB_MAX_VARS][4];
    double low[TAB_MAX_VARS];
    double high[TAB_MAX_VARS];
    int64_t *row_order;   /* non-empty row combinations, shown order */
    int64_t n_row_order;
    int64_t *col_order;   /* C entries */
    bool flatten;
} Tab;

/* ==== Options ========================================================================== */

static bool has_option(const Command *c, const char *name)
{
    return command_option(c, name) != NULL;
}

static MdStatus option_count(CommandContext *ctx, const char *name, int64_t *out)
{
    const Option *opt = command_option(ctx->command, name);
    *out = -1;
    if (opt == NULL) {
        return MD_OK;
    }
    if (opt->n_tokens != 1 || opt->tokens[0].kind != TOKEN_NUMBER ||
        opt->tokens[0].number < 1 || opt->tokens[0].number != floor(opt->tokens[0].number)) {
        md_error_set(ctx->err, MD_ERR_SYNTAX, "%s() takes one positive whole number", name);
        md_error_hint(ctx->err, "write %s(10)", name);
        return MD_ERR_SYNTAX;
    }
    *out = (int64_t)opt->tokens[0].number;
    return MD_OK;
}

static MdStatus add_measure(Tab *t, MeasureKind kind, int32_t var, const char *stat,
                            const char *header)
{
    if (t->n_measures >= TAB_MAX_MEASURES) {
        return md_error_set(t->ctx->err, MD_ERR_LIMIT, "too many cell statistics requested");
    }
    Measure *m = &t->measures[t->n_measures++];
    m->kind = kind;
    m->var = var;
    m->stat = stat;
    snprintf(m->header, sizeof m->header, "%s", header);
    return MD_OK;
}

static MdStatus parse_summarize(Tab *t, const Option *opt)
{
    static const char *const stat_names[] = {"mean", "std", "sum", "p25", "p50", "p75",
                                             "gini", "iqr"};
    const Command *c = t->ctx->command;
    for (int32_t i = 0; i < opt->n_tokens; i++) {
        const Token *tok = &opt->tokens[i];
        if (tok->kind == TOKEN_OP && strcmp(tok->text, ",") == 0) {
            continue;
        }
        if (tok->kind != TOKEN_NAME || t->n_sum >= TAB_MAX_VARS) {
            md_error_set(t->ctx->err, MD_ERR_SYNTAX, "summarize() takes up to %d variable "
                         "names", TAB_MAX_VARS);
            return MD_ERR_SYNTAX;
        }
        t->sum_names[t->n_sum++] = tok->text;
    }
    if (t->n_sum == 0) {
        md_error_set(t->ctx->err, MD_ERR_SYNTAX, "summarize() needs a variable");
        md_error_hint(t->ctx->err, "write tabulate a, summarize(income) mean p50");
        return MD_ERR_SYNTAX;
    }
    int32_t n_flags = 0;
    for (size_t s = 0; s < MD_ARRAY_LEN(stat_names); s++) {
        n_flags += has_option(c, stat_names[s]);
    }
    if (has_option(c, "freq")) {
        (void)add_measure(t, M_FREQ, 0, NULL, "Freq");
    }
    for (int32_t v = 0; v < t->n_sum; v++) {
        for (size_t s = 0; s < MD_ARRAY_LEN(stat_names); s++) {
            bool wanted = n_flags == 0 ? s == 0 : has_option(c, stat_names[s]);
            if (!wanted) {
                continue;
            }
            char header[96];
            snprintf(header, sizeof header, "%s(%s)", stat_names[s], t->sum_names[v]);
            MdStatus status = add_measure(t, M_STAT, v, stat_names[s], header);
            if (status != MD_OK) {
                return status;
            }
        }
    }
    return MD_OK;
}

static MdStatus parse_measures(Tab *t)
{
    const Command *c = t->ctx->command;
    const Option *sum = command_option(c, "summarize");
    if (sum != NULL) {
        return parse_summarize(t, sum);
    }
    bool rowpct = has_option(c, "rowpct");
    bool colpct = has_option(c, "colpct");
    bool cellpct = has_option(c, "cellpct");
    if ((rowpct || colpct) && t->k < 2) {
        md_error_set(t->ctx->err, MD_ERR_SYNTAX, "rowpct and colpct need two or more "
                     "variables");
        md_error_hint(t->ctx->err, "use cellpct for the shares of a one-way table");
        return MD_ERR_SYNTAX;
    }
    if (has_option(c, "freq") || !(rowpct || colpct || cellpct) || t->k == 1) {
        (void)add_measure(t, M_FREQ, 0, NULL, "Freq");
    }
    if (rowpct) {
        (void)add_measure(t, M_ROWPCT, 0, NULL, "Row %");
    }
    if (colpct) {
        (void)add_measure(t, M_COLPCT, 0, NULL, "Column %");
    }
    if (cellpct) {
        (void)add_measure(t, M_CELLPCT, 0, NULL, "Percent");
    }
    return MD_OK;
}

/* ==== Building the cells =============================================================== */

static MdStatus build_factors(Tab *t)
{
    bool missing = has_option(t->ctx->command, "missing");
    bool nolabels = has_option(t->ctx->command, "nolabels");
    const Dataset *ds = t->sel.ds;
    for (int32_t v = 0; v < t->k; v++) {
        const Column *column = cmd_column(t->ctx, ds, t->names[v]);
        if (column == NULL) {
            return t->ctx->err->status;
        }
        MdStatus status = statcmd_factor(t->ctx, ds, column, t->sel.mask, missing, nolabels,
                                         &t->f[v]);
        if (status != MD_OK) {
            return status;
        }
    }
    int32_t n_row_vars = t->k > 1 ? t->k - 1 : t->k;
    t->R = 1;
    for (int32_t v = 0; v < n_row_vars; v++) {
        t->R *= t->f[v].n_levels > 0 ? t->f[v].n_levels : 1;
        if (t->R > TAB_MAX_CELLS) {
            break;
        }
    }
    t->C = t->k > 1 ? t->f[t->k - 1].n_levels : 1;
    t->W = t->C + 1;
    if (t->R * (t->C > 0 ? t->C : 1) > TAB_MAX_CELLS) {
        md_error_set(t->ctx->err, MD_ERR_LIMIT, "the table would have too many cells");
        md_error_hint(t->ctx->err, "group the categories with recode, or tabulate fewer "
                      "variables");
        return MD_ERR_LIMIT;
    }
    return MD_OK;
}

/* The row combination of data row i, or -1 when a leading variable is left out. */
static int64_t row_index(const Tab *t, int64_t i)
{
    int32_t n_row_vars = t->k > 1 ? t->k - 1 : t->k;
    int64_t r = 0;
    for (int32_t v = 0; v < n_row_vars; v++) {
        int32_t level = t->f[v].row_level[i];
        if (level < 0) {
            return -1;
        }
        r = r * t->f[v].n_levels + level;
    }
    return r;
}

/* Margins as sums of inner cells: exact when every unit has one row, so that the inner
 * cells of a margin hold disjoint sets of units. */
static void merge_margins(Tab *t)
{
    for (int64_t r = 0; r < t->R; r++) {
        for (int64_t c = 0; c < t->C; c++) {
            const SdcCell *inner = &t->cells[r * t->W + c];
            sdc_cell_merge(&t->cells[r * t->W + t->C], inner);
            sdc_cell_merge(&t->cells[t->R * t->W + c], inner);
            sdc_cell_merge(&t->cells[t->R * t->W + t->C], inner);
        }
    }
}

/* The contributor sets of the inner cells and margins. A unit with several rows (events,
 * panels) counts once in a margin even when its rows fall in different inner cells, so
 * those margins get their own pass over the rows; so do the summarize() groups, which
 * need the row maps. */
static MdStatus build_cells(Tab *t)
{
    const Dataset *ds = t->sel.ds;
    int64_t n_cells = (t->R + 1) * t->W;
    bool one_row_per_unit = ds->shape == SHAPE_CROSS || ds->shape == SHAPE_COLLAPSED;
    int n_maps = one_row_per_unit && t->n_sum == 0 ? 1 : 4;
    t->cells = md_malloc((size_t)n_cells * sizeof *t->cells);
    for (int m = 0; m < n_maps; m++) {
        size_t rows = (size_t)(ds->n_rows > 0 ? ds->n_rows : 1);
        t->maps[m] = md_malloc(rows * sizeof(int32_t));
        if (t->maps[m] == NULL) {
            return statcmd_fail_memory(t->ctx);
        }
    }
    if (t->cells == NULL) {
        return statcmd_fail_memory(t->ctx);
    }
    for (int64_t c = 0; c < n_cells; c++) {
        sdc_cell_init(&t->cells[c]);
    }
    for (int64_t i = 0; i < ds->n_rows; i++) {
        int64_t r = row_index(t, i);
        int64_t c = t->k > 1 ? t->f[t->k - 1].row_level[i] : 0;
        if (r < 0 || c < 0) {
            for (int m = 0; m < n_maps; m++) {
                t->maps[m][i] = -1;
            }
            continue;
        }
        t->maps[0][i] = (int32_t)(r * t->W + c);
        if (n_maps == 4) {
            t->maps[1][i] = (int32_t)(r * t->W + t->C);
            t->maps[2][i] = (int32_t)(t->R * t->W + c);
            t->maps[3][i] = (int32_t)(t->R * t->W + t->C);
        }
    }
    for (int m = 0; m < n_maps; m++) {
        sdc_cells_add_rows(t->cells, t->maps[m], ds->unit_ids, ds->unit_keys, ds->n_rows);
    }
    if (n_maps == 1) {
        merge_margins(t);
    }
    return MD_OK;
}

static MdStatus check_sparsity(Tab *t)
{
    SdcCell *inner = md_malloc((size_t)(t->R * t->C > 0 ? t->R * t->C : 1) * sizeof *inner);
    if (inner == NULL) {
        return statcmd_fail_memory(t->ctx);
    }
    int64_t n = 0;
    for (int64_t r = 0; r < t->R; r++) {
        if (t->cells[r * t->W + t->C].n_units == 0) {
            continue; /* an empty row combination is structural */
        }
        for (int64_t c = 0; c < t->C; c++) {
            inner[n++] = t->cells[r * t->W + c];
        }
    }
    MdStatus status = sdc_check_table(t->sel.sdc, inner, n, t->ctx->err);
    md_free(inner);
    return status;
}

/* The summarize() variables exist and hold numbers (before anything is charged). */
static MdStatus check_measure_columns(Tab *t)
{
    for (int32_t v = 0; v < t->n_sum; v++) {
        if (statcmd_numeric(t->ctx, t->sel.ds, t->sum_names[v]) == NULL) {
            return t->ctx->err->status;
        }
    }
    return MD_OK;
}

static MdStatus build_groups(Tab *t)
{
    const Dataset *ds = t->sel.ds;
    for (int32_t v = 0; v < t->n_sum; v++) {
        const Column *column = statcmd_numeric(t->ctx, ds, t->sum_names[v]);
        if (column == NULL) {
            return t->ctx->err->status;
        }
        t->sum_columns[v] = column;
        MdStatus status = statcmd_winsor(t->ctx, ds, column->numbers, t->sel.mask,
                                         &t->low[v], &t->high[v]);
        for (int m = 0; status == MD_OK && m < 4; m++) {
            status = statcmd_groups(t->ctx, ds, t->maps[m], (t->R + 1) * t->W,
                                    column->numbers, &t->groups[v][m]);
            /* sorted once per cell, as summarize does: the same sums, the same releases */
            const StatGroups *g = &t->groups[v][m];
            for (int64_t c = 0; status == MD_OK && c < g->n_cells; c++) {
                stats_sort(g->values + g->offsets[c], g->offsets[c + 1] - g->offsets[c]);
            }
        }
        if (status != MD_OK) {
            return status;
        }
    }
    return MD_OK;
}

/* ==== Values =========================================================================== */

static Released measure_value(Tab *t, const Measure *m, int64_t r, int64_t c)
{
    const Sdc *sdc = t->sel.sdc;
    const SdcCell *cell = &t->cells[r * t->W + c];
    switch (m->kind) {
    case M_FREQ:
        return sdc_release_count(sdc, cell);
    case M_ROWPCT:
        return sdc_release_percent(sdc, cell, &t->cells[r * t->W + t->C]);
    case M_COLPCT:
        return sdc_release_percent(sdc, cell, &t->cells[t->R * t->W + c]);
    case M_CELLPCT:
        return sdc_release_percent(sdc, cell, &t->cells[t->R * t->W + t->C]);
    case M_STAT:
        break;
    }
    int which = (r == t->R ? 2 : 0) + (c == t->C ? 1 : 0);
    if (t->k == 1) {
        which = r == t->R ? 3 : 0;
        c = r == t->R ? t->C : c;
    }
    StatGroups *g = &t->groups[m->var][which];
    int64_t idx = r * t->W + c;
    int64_t lo = g->offsets[idx];
    int64_t n = g->offsets[idx + 1] - lo;
    return statcmd_release_stat(sdc, &g->units[idx], t->sum_names[m->var], m->stat,
                                g->values + lo, n, t->low[m->var], t->high[m->var]);
}

static double sort_key(Tab *t, int64_t r, int64_t c)
{
    Released v = measure_value(t, &t->measures[0], r, c);
    return v.kind == RELEASED_NUMBER ? v.value : -INFINITY;
}

/* ==== Order of rows and columns ======================================================== */

typedef struct KeyIndex {
    double key;
    int64_t index;
} KeyIndex;

static int compare_key_index(const void *a, const void *b)
{
    const KeyIndex *x = a;
    const KeyIndex *y = b;
    if (x->key != y->key) {
        return x->key < y->key ? -1 : 1;
    }
    return (x->index > y->index) - (x->index < y->index);
}

static int64_t find_code(const StatFactor *f, const char *code)
{
    for (int32_t l = 0; l < f->n_levels; l++) {
        if (strcmp(f->codes[l], code) == 0) {
            return l;
        }
    }
    return -1;
}

static MdStatus fail_sort_code(Tab *t, const char *option)
{
    md_error_set(t->ctx->err, MD_ERR_VALUE, "%s(): no category of the table has that code",
                 option);
    md_error_hint(t->ctx->err, "give the codes as shown with nolabels, or leave %s() empty "
                  "to sort by the total", option);
    return MD_ERR_VALUE;
}

static MdStatus sort_rows(Tab *t, const Option *opt)
{
    int64_t c = t->k > 1 ? t->C : 0;
    if (t->k > 1 && opt->n_tokens > 0) {
        c = find_code(&t->f[t->k - 1], opt->tokens[0].text);
        if (c < 0) {
            return fail_sort_code(t, "rowsort");
        }
    }
    KeyIndex *keys = md_malloc((size_t)(t->n_row_order > 0 ? t->n_row_order : 1) *
                               sizeof *keys);
    if (keys == NULL) {
        return statcmd_fail_memory(t->ctx);
    }
    for (int64_t i = 0; i < t->n_row_order; i++) {
        keys[i].index = t->row_order[i];
        keys[i].key = sort_key(t, t->row_order[i], c);
    }
    qsort(keys, (size_t)t->n_row_order, sizeof *keys, compare_key_index);
    for (int64_t i = 0; i < t->n_row_order; i++) {
        t->row_order[i] = keys[i].index;
    }
    md_free(keys);
    return MD_OK;
}

static MdStatus sort_columns(Tab *t, const Option *opt)
{
    int64_t r = t->R;
    int32_t n_row_vars = t->k - 1;
    if (t->k < 2) {
        return MD_OK;
    }
    if (opt->n_tokens > 0) {
        r = 0;
        int32_t v = 0;
        for (int32_t i = 0; i < opt->n_tokens && v < n_row_vars; i++) {
            if (opt->tokens[i].kind == TOKEN_OP) {
                continue;
            }
            int64_t level = find_code(&t->f[v], opt->tokens[i].text);
            if (level < 0) {
                return fail_sort_code(t, "colsort");
            }
            r = r * t->f[v].n_levels + level;
            v++;
        }
        if (v != n_row_vars) {
            return fail_sort_code(t, "colsort");
        }
    }
    KeyIndex *keys = md_malloc((size_t)(t->C > 0 ? t->C : 1) * sizeof *keys);
    if (keys == NULL) {
        return statcmd_fail_memory(t->ctx);
    }
    for (int64_t c = 0; c < t->C; c++) {
        keys[c].index = c;
        keys[c].key = sort_key(t, r, c);
    }
    qsort(keys, (size_t)t->C, sizeof *keys, compare_key_index);
    for (int64_t c = 0; c < t->C; c++) {
        t->col_order[c] = keys[c].index;
    }
    md_free(keys);
    return MD_OK;
}

static MdStatus build_order(Tab *t)
{
    t->row_order = md_malloc((size_t)(t->R > 0 ? t->R : 1) * sizeof *t->row_order);
    t->col_order = md_malloc((size_t)(t->C > 0 ? t->C : 1) * sizeof *t->col_order);
    if (t->row_order == NULL || t->col_order == NULL) {
        return statcmd_fail_memory(t->ctx);
    }
    for (int64_t r = 0; r < t->R; r++) {
        if (t->cells[r * t->W + t->C].n_units > 0) {
            t->row_order[t->n_row_order++] = r;
        }
    }
    for (int64_t c = 0; c < t->C; c++) {
        t->col_order[c] = c;
    }
    const Option *rowsort = command_option(t->ctx->command, "rowsort");
    const Option *colsort = command_option(t->ctx->command, "colsort");
    MdStatus status = MD_OK;
    if (rowsort != NULL) {
        status = sort_rows(t, rowsort);
    }
    if (status == MD_OK && colsort != NULL) {
        status = sort_columns(t, colsort);
    }
    int64_t top;
    int64_t bottom;
    if (status == MD_OK) {
        status = option_count(t->ctx, "top", &top);
    }
    if (status == MD_OK) {
        status = option_count(t->ctx, "bottom", &bottom);
    }
    if (status != MD_OK) {
        return status;
    }
    if (top > 0 && top < t->n_row_order) {
        t->n_row_order = top;
    }
    if (bottom > 0 && bottom < t->n_row_order) {
        memmove(t->row_order, t->row_order + (t->n_row_order - bottom),
                (size_t)bottom * sizeof *t->row_order);
        t->n_row_order = bottom;
    }
    t->flatten = has_option(t->ctx->command, "flatten") || rowsort != NULL ||
                 colsort != NULL;
    return MD_OK;
}

/* ==== Output =========================================================================== */

/* Labels of the leading variables for row combination r (borrowed texts). */
static void row_labels(const Tab *t, int64_t r, const char **labels)
{
    int32_t n_row_vars = t->k > 1 ? t->k - 1 : t->k;
    for (int32_t v = n_row_vars - 1; v >= 0; v--) {
        int32_t n = t->f[v].n_levels > 0 ? t->f[v].n_levels : 1;
        labels[v] = t->f[v].labels[r % n];
        r /= n;
    }
}

static MdStatus fail_result(Tab *t)
{
    return md_error_set(t->ctx->err, MD_ERR_MEMORY, "out of memory building the table");
}

static MdStatus emit_measure_columns(Tab *t, ResultTable *table, int32_t row, int64_t r,
                                     int64_t c)
{
    for (int32_t m = 0; m < t->n_measures; m++) {
        MdStatus status = statcmd_set(t->ctx, table, row, m,
                                      measure_value(t, &t->measures[m], r, c));
        if (status != MD_OK) {
            return status;
        }
    }
    return MD_OK;
}

static ResultTable *measures_table(Tab *t, int32_t n_labels)
{
    const char *headers[TAB_MAX_MEASURES];
    for (int32_t m = 0; m < t->n_measures; m++) {
        headers[m] = t->measures[m].header;
    }
    ResultTable *table = result_entry_table(t->ctx->entry, t->ctx->command->spec->name,
                                            t->n_measures, headers);
    if (table == NULL || result_table_row_header(table, n_labels, t->names) != MD_OK) {
        return NULL;
    }
    return table;
}

static MdStatus emit_oneway(Tab *t)
{
    ResultTable *table = measures_table(t, 1);
    if (table == NULL) {
        return fail_result(t);
    }
    for (int64_t i = 0; i <= t->n_row_order; i++) {
        int64_t r = i < t->n_row_order ? t->row_order[i] : t->R;
        const char *label = r < t->R ? t->f[0].labels[r] : "Total";
        int32_t row = result_table_add_row(table, 1, &label);
        if (row < 0) {
            return fail_result(t);
        }
        MdStatus status = emit_measure_columns(t, table, row, r, 0);
        if (status != MD_OK) {
            return status;
        }
    }
    return MD_OK;
}

static MdStatus emit_flat(Tab *t)
{
    ResultTable *table = measures_table(t, t->k);
    if (table == NULL) {
        return fail_result(t);
    }
    const char *labels[TAB_MAX_VARS];
    int64_t n_cols = t->k > 1 ? t->C : 1;
    for (int64_t i = 0; i < t->n_row_order; i++) {
        int64_t r = t->row_order[i];
        row_labels(t, r, labels);
        for (int64_t j = 0; j < n_cols; j++) {
            int64_t c = t->k > 1 ? t->col_order[j] : 0;
            if (t->k > 1) {
                labels[t->k - 1] = t->f[t->k - 1].labels[c];
            }
            int32_t row = result_table_add_row(table, t->k, labels);
            if (row < 0) {
                return fail_result(t);
            }
            MdStatus status = emit_measure_columns(t, table, row, r, c);
            if (status != MD_OK) {
                return status;
            }
        }
    }
    return MD_OK;
}

static MdStatus emit_matrix(Tab *t, const Measure *m)
{
    int32_t n_columns = (int32_t)t->C + 1;
    const char **headers = md_malloc((size_t)n_columns * sizeof *headers);
    if (headers == NULL) {
        return statcmd_fail_memory(t->ctx);
    }
    for (int64_t j = 0; j < t->C; j++) {
        headers[j] = t->f[t->k - 1].labels[t->col_order[j]];
    }
    headers[t->C] = "Total";
    ResultTable *table = result_entry_table(t->ctx->entry, m->header, n_columns, headers);
    md_free(headers);
    if (table == NULL || result_table_row_header(table, t->k - 1, t->names) != MD_OK) {
        return fail_result(t);
    }
    const char *labels[TAB_MAX_VARS];
    for (int64_t i = 0; i <= t->n_row_order; i++) {
        int64_t r = i < t->n_row_order ? t->row_order[i] : t->R;
        if (r < t->R) {
            row_labels(t, r, labels);
        } else {
            labels[0] = "Total";
            for (int32_t v = 1; v < t->k - 1; v++) {
                labels[v] = "";
            }
        }
        int32_t row = result_table_add_row(table, t->k - 1, labels);
        if (row < 0) {
            return fail_result(t);
        }
        for (int64_t j = 0; j <= t->C; j++) {
            int64_t c = j < t->C ? t->col_order[j] : t->C;
            MdStatus status = statcmd_set(t->ctx, table, row, (int32_t)j,
                                          measure_value(t, m, r, c));
            if (status != MD_OK) {
                return status;
            }
        }
    }
    return MD_OK;
}

static MdStatus emit_chi2(Tab *t)
{
    if (t->k < 2) {
        md_error_set(t->ctx->err, MD_ERR_SYNTAX, "chi2 needs two or more variables");
        return MD_ERR_SYNTAX;
    }
    double *counts = md_malloc((size_t)(t->R * t->C > 0 ? t->R * t->C : 1) * sizeof *counts);
    if (counts == NULL) {
        return statcmd_fail_memory(t->ctx);
    }
    for (int64_t r = 0; r < t->R; r++) {
        for (int64_t c = 0; c < t->C; c++) {
            counts[r * t->C + c] = (double)t->cells[r * t->W + c].n_units;
        }
    }
    StatsTest test;
    stats_chi2_independence(counts, (int32_t)t->R, (int32_t)t->C, &test);
    md_free(counts);
    const SdcCell *total = &t->cells[t->R * t->W + t->C];
    Released chi2 = sdc_release_value(t->sel.sdc, total, test.statistic);
    Released df = isnan(test.df) ? sdc_suppressed("x") : sdc_release_constant(test.df);
    Released p = sdc_release_value(t->sel.sdc, total, test.p);
    MdStatus status = statcmd_stat(t->ctx, "chi2", chi2);
    if (status == MD_OK) {
        status = statcmd_stat(t->ctx, "df", df);
    }
    if (status == MD_OK) {
        status = statcmd_stat(t->ctx, "p", p);
    }
    return status;
}

static MdStatus emit(Tab *t)
{
    result_entry_set_kind(t->ctx->entry, ENTRY_TABLE);
    MdStatus status = MD_OK;
    if (t->flatten) {
        status = emit_flat(t);
    } else if (t->k == 1) {
        status = emit_oneway(t);
    } else {
        for (int32_t m = 0; status == MD_OK && m < t->n_measures; m++) {
            status = emit_matrix(t, &t->measures[m]);
        }
    }
    if (status == MD_OK && has_option(t->ctx->command, "chi2")) {
        status = emit_chi2(t);
    }
    return status;
}

/* ==== The commands ===================================================================== */

static void tab_free(Tab *t)
{
    for (int32_t v = 0; v < t->k; v++) {
        statcmd_factor_free(&t->f[v]);
    }
    for (int32_t v = 0; v < t->n_sum; v++) {
        for (int m = 0; m < 4; m++) {
            statcmd_groups_free(&t->groups[v][m]);
        }
    }
    for (int m = 0; m < 4; m++) {
        md_free(t->maps[m]);
    }
    md_free(t->cells);
    md_free(t->row_order);
    md_free(t->col_order);
    statcmd_selection_free(&t->sel);
}

static MdStatus tabulate_run(CommandContext *ctx, bool panel)
{
    Tab t;
    memset(&t, 0, sizeof t);
    t.ctx = ctx;
    const Command *c = ctx->command;
    int32_t want = c->n_args + (panel ? 1 : 0);
    if (c->n_args < 1 || want > TAB_MAX_VARS) {
        return cmd_fail_usage(ctx, "name one to eight variables to tabulate");
    }
    for (int32_t i = 0; i < c->n_args; i++) {
        if (c->args[i].kind != TOKEN_NAME) {
            return cmd_fail_usage(ctx, "tabulate takes variable names");
        }
        t.names[t.k++] = c->args[i].text;
    }
    MdStatus status = parse_measures(&t);
    if (status == MD_OK) {
        status = statcmd_select(ctx, &t.sel);
    }
    if (status == MD_OK && panel) {
        if (t.sel.ds->shape != SHAPE_PANEL) {
            status = md_error_set(ctx->err, MD_ERR_TYPE, "tabulate-panel needs a panel "
                                  "dataset");
            md_error_hint(ctx->err, "create one with import-panel or reshape-to-panel");
        } else {
            t.names[t.k++] = "date@panel";
        }
    }
    if (status == MD_OK) {
        status = build_factors(&t);
    }
    if (status == MD_OK) {
        status = build_cells(&t);
    }
    if (status == MD_OK) {
        status = check_sparsity(&t);
    }
    if (status == MD_OK) {
        status = check_measure_columns(&t);
    }
    /* sdc rule R15b: the inner cells of the table are charged before the summarize()
     * groups, which are nested in them; after the checks a user's mistake fails, so that
     * a mistyped variable charges nothing */
    if (status == MD_OK) {
        status = sdc_charge_cells(t.sel.sdc, t.cells, (t.R + 1) * t.W, t.maps[0],
                                  t.sel.ds->unit_ids, t.sel.ds->n_rows, ctx->err);
    }
    if (status == MD_OK) {
        status = build_groups(&t);
    }
    if (status == MD_OK) {
        status = build_order(&t);
    }
    if (status == MD_OK) {
        status = emit(&t);
    }
    tab_free(&t);
    return status;
}

MdStatus handle_tabulate(CommandContext *ctx)
{
    return tabulate_run(ctx, false);
}

MdStatus handle_tabulate_panel(CommandContext *ctx)
{
    return tabulate_run(ctx, true);
}
