/*
 * stats_shared.c - helpers of the statistics commands: the analysed selection (`if`,
 * R1/R2 on the filter, R1/R15 on the population, the output rate limit), variable lists,
 * numeric column checks (G5/R13), categorical factors with labels from the user's label
 * list or the register code list, values grouped by table cell with their contributing
 * units, and the release of one descriptive statistic through sdc.
 */
#include "engine/stats_shared.h"
#include "stats/stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STAT_MAX_LEVELS 10000

MdStatus statcmd_fail_memory(CommandContext *ctx)
{
    return md_error_set(ctx->err, MD_ERR_MEMORY, "out of memory computing %s",
                        ctx->command->spec->name);
}

ResultTable *statcmd_named_table(CommandContext *ctx, const char *title, int32_t n_columns,
                                 const char *const *headers, const char *row_header)
{
    ResultTable *table = result_entry_table(ctx->entry, title, n_columns, headers);
    if (table == NULL || result_table_row_header(table, 1, &row_header) != MD_OK) {
        statcmd_fail_memory(ctx);
        return NULL;
    }
    return table;
}

MdStatus statcmd_set(CommandContext *ctx, ResultTable *table, int32_t row, int32_t column,
                     Released value)
{
    MdStatus status = result_table_set(table, row, column, &value);
    if (status != MD_OK) {
        return md_error_set(ctx->err, status, "cannot place a value in the result table");
    }
    return MD_OK;
}

MdStatus statcmd_stat(CommandContext *ctx, const char *name, Released value)
{
    MdStatus status = result_entry_stat(ctx->entry, name, &value);
    if (status != MD_OK) {
        return md_error_set(ctx->err, status, "cannot add a statistic to the result");
    }
    return MD_OK;
}

/* ==== The selection ==================================================================== */

void statcmd_selection_free(StatSelection *sel)
{
    md_free(sel->mask);
    sel->mask = NULL;
}

MdStatus statcmd_select(CommandContext *ctx, StatSelection *sel)
{
    memset(sel, 0, sizeof *sel);
    sdc_cell_init(&sel->population);
    sel->sdc = ctx->ws->sdc;
    if (sel->sdc == NULL) {
        return md_error_set(ctx->err, MD_ERR_INTERNAL, "disclosure control is not "
                            "configured; output commands cannot run");
    }
    sel->ds = cmd_active(ctx);
    if (sel->ds == NULL) {
        return ctx->err->status;
    }
    Dataset *ds = sel->ds;
    if (ds->n_rows == 0) {
        md_error_set(ctx->err, MD_ERR_VALUE, "the active dataset '%s' has no units",
                     ds->name);
        md_error_hint(ctx->err, "import variables into it first");
        return MD_ERR_VALUE;
    }
    sel->mask = md_malloc((size_t)ds->n_rows);
    if (sel->mask == NULL) {
        return statcmd_fail_memory(ctx);
    }
    memset(sel->mask, 1, (size_t)ds->n_rows);
    MdStatus status = MD_OK;
    if (ctx->command->condition != NULL) {
        status = expr_evaluate_condition(ctx->ws, ds, ctx->command->condition, sel->mask,
                                         ctx->err);
        if (status == MD_OK) {
            status = cmd_check_filter(ctx, ds, sel->mask);
        }
    }
    for (int64_t i = 0; status == MD_OK && i < ds->n_rows; i++) {
        if (sel->mask[i]) {
            sel->n_selected++;
            sdc_cell_add(&sel->population, ds->unit_ids[i], ds->unit_keys[i]);
        }
    }
    if (status == MD_OK) {
        status = sdc_check_population_selection(sel->sdc, &sel->population, ds->unit_ids,
                                                sel->mask, ds->n_rows, ctx->err);
    }
    if (status == MD_OK) {
        status = sdc_count_output(sel->sdc, ctx->err);
    }
    if (status != MD_OK) {
        statcmd_selection_free(sel);
    }
    return status;
}

/* ==== Variables ======================================================================== */

static bool column_analysable(const Column *column)
{
    return column->type == COLUMN_NUMBER && column->pointer_to == NULL &&
           strchr(column->name, '@') == NULL;
}

MdStatus statcmd_varlist(CommandContext *ctx, const Dataset *ds, bool all_numeric,
                         const char ***names, int32_t *n)
{
    const Command *c = ctx->command;
    *names = NULL;
    *n = 0;
    int32_t cap = c->n_args > 0 ? c->n_args : ds->n_columns;
    const char **list = md_calloc((size_t)cap + 1, sizeof *list);
    if (list == NULL) {
        return statcmd_fail_memory(ctx);
    }
    int32_t m = 0;
    for (int32_t i = 0; i < c->n_args; i++) {
        if (c->args[i].kind != TOKEN_NAME) {
            md_free(list);
            char problem[160];
            snprintf(problem, sizeof problem, "'%s' is not a variable name", c->args[i].text);
            return cmd_fail_usage(ctx, problem);
        }
        list[m++] = c->args[i].text;
    }
    if (m == 0 && all_numeric) {
        for (int32_t i = 0; i < ds->n_columns; i++) {
            if (column_analysable(ds->columns[i])) {
                list[m++] = ds->columns[i]->name;
            }
        }
    }
    if (m == 0) {
        md_free(list);
        return cmd_fail_usage(ctx, all_numeric ? "there are no numeric variables to analyse"
                                               : "name at least one variable");
    }
    *names = list;
    *n = m;
    return MD_OK;
}

Column *statcmd_numeric(CommandContext *ctx, const Dataset *ds, const char *name)
{
    Column *column = cmd_column(ctx, ds, name);
    if (column == NULL) {
        return NULL;
    }
    if (cmd_refuse_pointer(ctx, column) != MD_OK) {
        return NULL;
    }
    if (column->type != COLUMN_NUMBER) {
        md_error_set(ctx->err, MD_ERR_TYPE, "'%s' is a string variable; %s needs numbers",
                     name, ctx->command->spec->name);
        md_error_hint(ctx->err, "tabulate it, or convert it with destring");
        return NULL;
    }
    return column;
}

/* ==== Factors ========================================================================== */

void statcmd_factor_free(StatFactor *factor)
{
    for (int32_t i = 0; i < factor->n_levels; i++) {
        if (factor->labels) {
            md_free(factor->labels[i]);
        }
        if (factor->codes) {
            md_free(factor->codes[i]);
        }
    }
    md_free(factor->labels);
    md_free(factor->codes);
    md_free(factor->values);
    md_free(factor->row_level);
    memset(factor, 0, sizeof *factor);
}

static const char *label_of(const Workspace *ws, const Column *column, const char *code)
{
    if (column->label_list != NULL) {
        const LabelList *list = workspace_label_list(ws, column->label_list);
        for (int32_t i = 0; list != NULL && i < list->n; i++) {
            if (strcmp(list->codes[i], code) == 0) {
                return list->labels[i];
            }
        }
        return NULL;
    }
    if (column->source != NULL) {
        return variable_code_label(column->source, code, column->source_date);
    }
    return NULL;
}

static MdStatus factor_alloc(CommandContext *ctx, StatFactor *f, int32_t n_levels)
{
    f->n_levels = n_levels;
    size_t n = n_levels > 0 ? (size_t)n_levels : 1;
    f->labels = md_calloc(n, sizeof *f->labels);
    f->codes = md_calloc(n, sizeof *f->codes);
    f->values = md_calloc(n, sizeof *f->values);
    if (!f->labels || !f->codes || !f->values) {
        return statcmd_fail_memory(ctx);
    }
    return MD_OK;
}

static MdStatus factor_texts(CommandContext *ctx, StatFactor *f, bool nolabels)
{
    for (int32_t l = 0; l < f->n_levels; l++) {
        if (f->codes[l] == NULL) {
            return statcmd_fail_memory(ctx);
        }
        const char *label = nolabels || (isnan(f->values[l]) && strcmp(f->codes[l], ".") == 0)
                                ? NULL
                                : label_of(ctx->ws, f->column, f->codes[l]);
        f->labels[l] = md_strdup(label != NULL ? label : f->codes[l]);
        if (f->labels[l] == NULL) {
            return statcmd_fail_memory(ctx);
        }
    }
    return MD_OK;
}

static MdStatus factor_numbers(CommandContext *ctx, const Column *column, const uint8_t *mask,
                               int64_t n_rows, bool include_missing, StatFactor *f)
{
    StatsLevels lv;
    MdStatus status = stats_levels_build(column->numbers, mask, n_rows, include_missing,
                                         STAT_MAX_LEVELS, &lv, ctx->err);
    if (status != MD_OK) {
        return status;
    }
    status = factor_alloc(ctx, f, lv.n);
    bool is_date = strncmp(column->name, "date@", 5) == 0;
    for (int32_t l = 0; status == MD_OK && l < lv.n; l++) {
        char buf[64];
        if (isnan(lv.values[l])) {
            snprintf(buf, sizeof buf, ".");
        } else if (is_date && fabs(lv.values[l]) < 1e7) {
            date_format_iso((int32_t)lv.values[l], buf);
        } else {
            snprintf(buf, sizeof buf, "%.15g", lv.values[l]);
        }
        f->values[l] = lv.values[l];
        f->codes[l] = md_strdup(buf);
    }
    for (int64_t i = 0; status == MD_OK && i < n_rows; i++) {
        bool selected = mask == NULL || mask[i];
        f->row_level[i] = selected ? stats_levels_find(&lv, column->numbers[i]) : -1;
    }
    stats_levels_free(&lv);
    return status;
}

static const StringPool *sort_pool;

static int compare_pool_codes(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a;
    uint32_t y = *(const uint32_t *)b;
    return strcmp(sort_pool->strings[x], sort_pool->strings[y]);
}

static MdStatus factor_strings(CommandContext *ctx, const Column *column, const uint8_t *mask,
                               int64_t n_rows, bool include_missing, StatFactor *f)
{
    uint32_t n_pool = column->pool != NULL ? column->pool->n : 0;
    int32_t *code_level = md_malloc(((size_t)n_pool + 1) * sizeof *code_level);
    uint32_t *present = md_malloc(((size_t)n_pool + 1) * sizeof *present);
    if (code_level == NULL || present == NULL) {
        md_free(code_level);
        md_free(present);
        return statcmd_fail_memory(ctx);
    }
    for (uint32_t c = 0; c <= n_pool; c++) {
        code_level[c] = -1;
    }
    bool any_missing = false;
    uint32_t n_present = 0;
    for (int64_t i = 0; i < n_rows; i++) {
        uint32_t code = column->codes[i];
        if (mask != NULL && !mask[i]) {
            continue;
        }
        if (code == COLUMN_STRING_MISSING || code >= n_pool) {
            any_missing = true;
        } else if (code_level[code] < 0) {
            code_level[code] = 0;
            present[n_present++] = code;
        }
    }
    MdStatus status = MD_OK;
    if (n_present > STAT_MAX_LEVELS) {
        status = md_error_set(ctx->err, MD_ERR_LIMIT, "'%s' has too many distinct values to "
                              "be tabulated", column->name);
    }
    sort_pool = column->pool;
    if (status == MD_OK && n_present > 1) {
        qsort(present, n_present, sizeof *present, compare_pool_codes);
    }
    bool with_missing = include_missing && any_missing;
    if (status == MD_OK) {
        status = factor_alloc(ctx, f, (int32_t)n_present + (with_missing ? 1 : 0));
    }
    for (uint32_t l = 0; status == MD_OK && l < n_present; l++) {
        code_level[present[l]] = (int32_t)l;
        f->values[l] = NAN;
        f->codes[l] = md_strdup(column->pool->strings[present[l]]);
    }
    if (status == MD_OK && with_missing) {
        f->values[n_present] = NAN;
        f->codes[n_present] = md_strdup(".");
    }
    for (int64_t i = 0; status == MD_OK && i < n_rows; i++) {
        uint32_t code = column->codes[i];
        bool missing = code == COLUMN_STRING_MISSING || code >= n_pool;
        f->row_level[i] = (mask != NULL && !mask[i]) ? -1
                          : missing ? (with_missing ? (int32_t)n_present : -1)
                                    : code_level[code];
    }
    md_free(code_level);
    md_free(present);
    return status;
}

MdStatus statcmd_factor(CommandContext *ctx, const Dataset *ds, const Column *column,
                        const uint8_t *mask, bool include_missing, bool nolabels,
                        StatFactor *factor)
{
    memset(factor, 0, sizeof *factor);
    factor->column = column;
    if (cmd_refuse_pointer(ctx, column) != MD_OK) {
        return ctx->err->status;
    }
    if (column->is_free_text) {
        md_error_set(ctx->err, MD_ERR_TYPE, "'%s' holds free text and cannot be tabulated "
                     "(rule R13)", column->name);
        md_error_hint(ctx->err, "tabulate a coded variable instead");
        return MD_ERR_TYPE;
    }
    factor->row_level = md_malloc((size_t)(ds->n_rows > 0 ? ds->n_rows : 1) * sizeof(int32_t));
    if (factor->row_level == NULL) {
        return statcmd_fail_memory(ctx);
    }
    MdStatus status = column->type == COLUMN_NUMBER
                          ? factor_numbers(ctx, column, mask, ds->n_rows, include_missing,
                                           factor)
                          : factor_strings(ctx, column, mask, ds->n_rows, include_missing,
                                           factor);
    if (status == MD_OK) {
        status = factor_texts(ctx, factor, nolabels);
    }
    if (status == MD_OK && column->type == COLUMN_NUMBER && column->n_user_missing > 0) {
        for (int64_t i = 0; i < ds->n_rows; i++) {
            if (factor->row_level[i] >= 0 && column_is_missing(column, i) &&
                !include_missing) {
                factor->row_level[i] = -1;
            }
        }
    }
    if (status != MD_OK) {
        statcmd_factor_free(factor);
    }
    return status;
}

/* ==== Values grouped by cell =========================================================== */

void statcmd_groups_free(StatGroups *groups)
{
    md_free(groups->offsets);
    md_free(groups->values);
    md_free(groups->units);
    memset(groups, 0, sizeof *groups);
}

/* True when x holds one value per unit: every row of a unit carries the same value (a
 * unit-level variable repeated on the rows of event or panel data, e.g. by merge). */
bool statcmd_unit_level(const Dataset *ds, const double *x)
{
    for (int64_t i = 1; i < ds->n_rows; i++) {
        if (ds->unit_ids[i] == ds->unit_ids[i - 1] && !(x[i] == x[i - 1]) &&
            !(isnan(x[i]) && isnan(x[i - 1]))) {
            return false;
        }
    }
    return true;
}

/* Whether row i contributes a value to its cell: a value, and for a unit-level x not a
 * repeat of the same unit in the same cell (C4: duplicated rows never add weight). last[c]
 * is the last contributing row of cell c (-1 none); rows of a unit are adjacent. */
static bool groups_row_counts(const Dataset *ds, const int32_t *cell, const double *x,
                              bool per_unit, int64_t *last, int64_t i)
{
    int64_t c = cell[i];
    if (c < 0 || (x != NULL && isnan(x[i]))) {
        return false;
    }
    if (per_unit && last[c] >= 0 && ds->unit_ids[last[c]] == ds->unit_ids[i]) {
        return false;
    }
    last[c] = i;
    return true;
}

static void groups_reset_last(int64_t *last, int64_t n_cells)
{
    for (int64_t c = 0; c < n_cells; c++) {
        last[c] = -1;
    }
}

MdStatus statcmd_groups(CommandContext *ctx, const Dataset *ds, const int32_t *cell,
                        int64_t n_cells, const double *x, StatGroups *groups)
{
    memset(groups, 0, sizeof *groups);
    groups->n_cells = n_cells;
    groups->offsets = md_calloc((size_t)n_cells + 1, sizeof *groups->offsets);
    groups->units = md_calloc((size_t)(n_cells > 0 ? n_cells : 1), sizeof *groups->units);
    int64_t *last = md_malloc((size_t)(n_cells > 0 ? n_cells : 1) * sizeof *last);
    bool per_unit = x != NULL && statcmd_unit_level(ds, x);
    int64_t used = 0;
    if (last != NULL) {
        groups_reset_last(last, n_cells);
    }
    for (int64_t i = 0; groups->offsets && last && i < ds->n_rows; i++) {
        if (groups_row_counts(ds, cell, x, per_unit, last, i)) {
            groups->offsets[cell[i] + 1]++;
            used++;
        }
    }
    groups->values = md_malloc((size_t)(used > 0 ? used : 1) * sizeof *groups->values);
    int64_t *fill = md_malloc((size_t)(n_cells > 0 ? n_cells : 1) * sizeof *fill);
    if (!groups->offsets || !groups->units || !groups->values || !fill || !last) {
        md_free(fill);
        md_free(last);
        statcmd_groups_free(groups);
        return statcmd_fail_memory(ctx);
    }
    for (int64_t c = 0; c < n_cells; c++) {
        groups->offsets[c + 1] += groups->offsets[c];
        fill[c] = groups->offsets[c];
        sdc_cell_init(&groups->units[c]);
    }
    /* the rows that contribute, for the reconstruction budget below (-1: none) */
    int32_t *contributes = md_malloc((size_t)(ds->n_rows > 0 ? ds->n_rows : 1) *
                                     sizeof *contributes);
    if (contributes == NULL) {
        md_free(fill);
        md_free(last);
        statcmd_groups_free(groups);
        return statcmd_fail_memory(ctx);
    }
    groups_reset_last(last, n_cells);
    for (int64_t i = 0; i < ds->n_rows; i++) {
        contributes[i] = -1;
        if (groups_row_counts(ds, cell, x, per_unit, last, i)) {
            int64_t c = cell[i];
            groups->values[fill[c]++] = x != NULL ? x[i] : 1.0;
            sdc_cell_add(&groups->units[c], ds->unit_ids[i], ds->unit_keys[i]);
            contributes[i] = (int32_t)c;
        }
    }
    md_free(fill);
    md_free(last);
    /* sdc rule R15b: a statistic of a group (a mean of a 0/1 variable is a count) is one
     * more equation about its units, so the groups are charged as table cells are; a group
     * whose units were charged before as the same set costs nothing */
    MdStatus status = sdc_charge_cells(ctx->ws->sdc, groups->units, n_cells, contributes,
                                       ds->unit_ids, ds->n_rows, ctx->err);
    md_free(contributes);
    if (status != MD_OK) {
        statcmd_groups_free(groups);
    }
    return status;
}

/* ==== Releasing one descriptive statistic ============================================== */

MdStatus statcmd_winsor(CommandContext *ctx, const Dataset *ds, const double *x,
                        const uint8_t *mask, double *low, double *high)
{
    *low = NAN;
    *high = NAN;
    double *values = md_malloc((size_t)(ds->n_rows > 0 ? ds->n_rows : 1) * sizeof *values);
    if (values == NULL) {
        return statcmd_fail_memory(ctx);
    }
    bool per_unit = statcmd_unit_level(ds, x); /* one value per unit, as statcmd_groups */
    int64_t m = 0;
    int64_t last = -1;
    for (int64_t i = 0; i < ds->n_rows; i++) {
        if ((mask != NULL && !mask[i]) || isnan(x[i]) ||
            (per_unit && last >= 0 && ds->unit_ids[last] == ds->unit_ids[i])) {
            continue;
        }
        values[m++] = x[i];
        last = i;
    }
    if (!sdc_winsor_bounds(ctx->ws->sdc, values, m, low, high)) {
        *low = NAN;
        *high = NAN;
    }
    md_free(values);
    return MD_OK;
}

static double clip(double v, double low, double high)
{
    return v < low ? low : (v > high ? high : v);
}

/* Sorts values unless they are sorted already (several statistics share one array). */
static void ensure_sorted(double *values, int64_t n)
{
    for (int64_t i = 1; i < n; i++) {
        if (values[i] < values[i - 1]) {
            stats_sort(values, n);
            return;
        }
    }
}

static Released release_gini(const Sdc *sdc, const SdcCell *cell, double *values, int64_t n,
                             double low, double high)
{
    ensure_sorted(values, n);
    double total = 0.0;
    double weighted = 0.0;
    for (int64_t i = 0; i < n; i++) {
        double v = clip(values[i], low, high);
        if (v < 0.0) {
            return sdc_suppressed("x");
        }
        total += v;
        weighted += (double)(2 * (i + 1) - n - 1) * v;
    }
    double gini = n >= 2 && total > 0.0 ? weighted / ((double)n * total) : NAN;
    return sdc_release_value(sdc, cell, gini);
}

static bool quantile_of(const char *stat, double *p)
{
    if (stat[0] != 'p' || stat[1] < '0' || stat[1] > '9') {
        return false;
    }
    char *end = NULL;
    long v = strtol(stat + 1, &end, 10);
    if (*end != '\0' || v <= 0 || v >= 100) {
        return false;
    }
    *p = (double)v / 100.0;
    return true;
}

Released statcmd_release_stat(const Sdc *sdc, const SdcCell *cell, const char *variable,
                              const char *stat, double *values, int64_t n, double low,
                              double high)
{
    if (strcmp(stat, "count") == 0 || strcmp(stat, "freq") == 0) {
        return sdc_release_count(sdc, cell);
    }
    double p = 0.0;
    if (quantile_of(stat, &p)) {
        ensure_sorted(values, n);
        return sdc_release_quantile(sdc, cell, values, n, p);
    }
    if (strcmp(stat, "iqr") == 0) {
        ensure_sorted(values, n);
        Released q1 = sdc_release_quantile(sdc, cell, values, n, 0.25);
        Released q3 = sdc_release_quantile(sdc, cell, values, n, 0.75);
        if (q1.kind != RELEASED_NUMBER || q3.kind != RELEASED_NUMBER) {
            return sdc_suppressed("x");
        }
        return sdc_release_value(sdc, cell, q3.value - q1.value);
    }
    if (isnan(low) || isnan(high)) {
        if (!sdc_is_trusted(sdc)) {
            return sdc_suppressed("x");
        }
        low = -INFINITY;
        high = INFINITY;
    }
    if (strcmp(stat, "mean") == 0) {
        return sdc_release_mean(sdc, cell, variable, values, n, low, high);
    }
    if (strcmp(stat, "sd") == 0 || strcmp(stat, "std") == 0) {
        return sdc_release_sd(sdc, cell, variable, values, n, low, high);
    }
    if (strcmp(stat, "sum") == 0) {
        return sdc_release_sum(sdc, cell, variable, values, n, low, high);
    }
    if (strcmp(stat, "gini") == 0) {
        return release_gini(sdc, cell, values, n, low, high);
    }
    return sdc_suppressed("x");
}
