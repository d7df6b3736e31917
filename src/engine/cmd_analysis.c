/*
 * cmd_analysis.c - the analysis commands: correlate (correlation or covariance matrix,
 * listwise or pairwise, with N and p-values), ci (mean, standard error and t interval),
 * normaltest (skewness, kurtosis, skewness-kurtosis, Jarque-Bera, Shapiro-Wilk) and
 * transitions-panel (state at t by state at t+1, counts and row percentages); anova is in
 * cmd_anova.c. Exact values come from src/stats; every released number goes through
 * src/sdc with the set of units that contributed to it.
 */
#include "engine/stats_shared.h"
#include "stats/stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ANALYSIS_MAX_VARS 64

static MdStatus columns_of(CommandContext *ctx, const Dataset *ds, const char **names,
                           int32_t n, const Column **columns)
{
    if (n > ANALYSIS_MAX_VARS) {
        return md_error_set(ctx->err, MD_ERR_LIMIT, "%s takes at most %d variables",
                            ctx->command->spec->name, ANALYSIS_MAX_VARS);
    }
    for (int32_t v = 0; v < n; v++) {
        columns[v] = statcmd_numeric(ctx, ds, names[v]);
        if (columns[v] == NULL) {
            return ctx->err->status;
        }
    }
    return MD_OK;
}

/* ==== correlate ======================================================================== */

typedef struct CorrTables {
    ResultTable *value;
    ResultTable *obs;
    ResultTable *sig;
} CorrTables;

/* Gathers the rows used for the pair (a, b): selected, and non-missing in a and b (and, for
 * listwise deletion, in every variable). */
static int64_t corr_gather(const StatSelection *sel, const Column **cols, int32_t n_vars,
                           int32_t a, int32_t b, bool pairwise, double *x, double *y,
                           SdcCell *cell)
{
    const Dataset *ds = sel->ds;
    int64_t m = 0;
    int64_t last = -1;
    bool per_unit = statcmd_unit_level(ds, cols[a]->numbers) &&
                    statcmd_unit_level(ds, cols[b]->numbers); /* C4: a unit counts once */
    sdc_cell_init(cell);
    for (int64_t i = 0; i < ds->n_rows; i++) {
        if (!sel->mask[i] || isnan(cols[a]->numbers[i]) || isnan(cols[b]->numbers[i]) ||
            (per_unit && last >= 0 && ds->unit_ids[last] == ds->unit_ids[i])) {
            continue;
        }
        bool complete = true;
        for (int32_t v = 0; !pairwise && complete && v < n_vars; v++) {
            complete = !isnan(cols[v]->numbers[i]);
        }
        if (!complete) {
            continue;
        }
        x[m] = cols[a]->numbers[i];
        y[m] = cols[b]->numbers[i];
        m++;
        last = i;
        sdc_cell_add(cell, ds->unit_ids[i], ds->unit_keys[i]);
    }
    return m;
}

static double clip_all(double *v, int64_t n, const Sdc *sdc)
{
    double low = NAN;
    double high = NAN;
    if (sdc_is_trusted(sdc) || !sdc_winsor_bounds(sdc, v, n, &low, &high)) {
        return sdc_is_trusted(sdc) ? 0.0 : NAN;
    }
    for (int64_t i = 0; i < n; i++) {
        v[i] = v[i] < low ? low : (v[i] > high ? high : v[i]);
    }
    return 0.0;
}

static MdStatus correlate_pair(CommandContext *ctx, const StatSelection *sel,
                               const Column **cols, int32_t n_vars, int32_t a, int32_t b,
                               double *x, double *y, const CorrTables *t)
{
    const Command *c = ctx->command;
    bool pairwise = command_option(c, "pairwise") != NULL;
    bool covariance = command_option(c, "covariance") != NULL;
    SdcCell cell;
    int64_t m = corr_gather(sel, cols, n_vars, a, b, pairwise, x, y, &cell);
    double r = a == b ? NAN : stats_correlation(x, y, m); /* before any winsorising */
    double value;
    if (covariance) {
        /* covariances are magnitudes: computed on winsorised values (R7) */
        value = isnan(clip_all(x, m, sel->sdc)) || isnan(clip_all(y, m, sel->sdc))
                    ? NAN
                    : stats_covariance(x, y, m);
    } else {
        value = a == b ? (m >= 2 ? 1.0 : NAN) : r;
    }
    MdStatus status = statcmd_set(ctx, t->value, a, b, sdc_release_value(sel->sdc, &cell,
                                                                          value));
    if (status == MD_OK && t->obs != NULL) {
        status = statcmd_set(ctx, t->obs, a, b, sdc_release_count(sel->sdc, &cell));
    }
    if (status == MD_OK && t->sig != NULL) {
        /* the p-value depends on n: computed from the released N, never the exact m */
        Released n = sdc_release_count(sel->sdc, &cell);
        double pv = n.kind == RELEASED_NUMBER ? stats_correlation_p(r, (int64_t)n.value) : NAN;
        Released p = a == b ? sdc_suppressed("-") : sdc_release_value(sel->sdc, &cell, pv);
        status = statcmd_set(ctx, t->sig, a, b, p);
    }
    return status;
}

static ResultTable *matrix_table(CommandContext *ctx, const char *title, const char **names,
                                 int32_t n)
{
    ResultTable *table = statcmd_named_table(ctx, title, n, names, "variable");
    for (int32_t v = 0; table != NULL && v < n; v++) {
        if (result_table_add_row(table, 1, &names[v]) < 0) {
            statcmd_fail_memory(ctx);
            return NULL;
        }
    }
    return table;
}

/* The variable list of an analysis command (all numeric variables when empty) and its
 * columns; shared by correlate, ci and normaltest. */
static MdStatus analysis_variables(CommandContext *ctx, const Dataset *ds, const char ***names,
                                   int32_t *n, const Column **cols)
{
    MdStatus status = statcmd_varlist(ctx, ds, true, names, n);
    return status == MD_OK ? columns_of(ctx, ds, *names, *n, cols) : status;
}

MdStatus handle_correlate(CommandContext *ctx)
{
    StatSelection sel;
    MdStatus status = statcmd_select(ctx, &sel);
    if (status != MD_OK) {
        return status;
    }
    const char **names = NULL;
    int32_t n = 0;
    const Column *cols[ANALYSIS_MAX_VARS];
    double *x = NULL;
    double *y = NULL;
    status = analysis_variables(ctx, sel.ds, &names, &n, cols);
    if (status == MD_OK) {
        x = md_malloc((size_t)sel.ds->n_rows * sizeof *x);
        y = md_malloc((size_t)sel.ds->n_rows * sizeof *y);
        status = x && y ? MD_OK : statcmd_fail_memory(ctx);
    }
    CorrTables t = {NULL, NULL, NULL};
    if (status == MD_OK) {
        result_entry_set_kind(ctx->entry, ENTRY_STATISTICS);
        bool cov = command_option(ctx->command, "covariance") != NULL;
        t.value = matrix_table(ctx, cov ? "covariance" : "correlation", names, n);
        if (t.value && command_option(ctx->command, "obs") != NULL) {
            t.obs = matrix_table(ctx, "N", names, n);
        }
        if (t.value && command_option(ctx->command, "sig") != NULL) {
            t.sig = matrix_table(ctx, "p-value", names, n);
        }
        status = ctx->err->status;
    }
    for (int32_t a = 0; status == MD_OK && a < n; a++) {
        for (int32_t b = 0; status == MD_OK && b <= a; b++) {
            status = correlate_pair(ctx, &sel, cols, n, a, b, x, y, &t);
            if (status == MD_OK && a != b) {
                status = correlate_pair(ctx, &sel, cols, n, b, a, x, y, &t);
            }
        }
    }
    md_free(x);
    md_free(y);
    md_free(names);
    statcmd_selection_free(&sel);
    return status;
}

/* ==== Values of one variable =========================================================== */

/* The selected non-missing values of column and their units (one per unit for a
 * unit-level column). */
static int64_t gather_values(const StatSelection *sel, const Column *column, double *out,
                             SdcCell *cell)
{
    const Dataset *ds = sel->ds;
    int64_t m = 0;
    int64_t last = -1;
    bool per_unit = statcmd_unit_level(ds, column->numbers); /* C4: a unit counts once */
    sdc_cell_init(cell);
    for (int64_t i = 0; i < ds->n_rows; i++) {
        if (sel->mask[i] && !isnan(column->numbers[i]) &&
            !(per_unit && last >= 0 && ds->unit_ids[last] == ds->unit_ids[i])) {
            out[m++] = column->numbers[i];
            sdc_cell_add(cell, ds->unit_ids[i], ds->unit_keys[i]);
            last = i;
        }
    }
    return m;
}

/* ==== ci =============================================================================== */

static MdStatus ci_level(CommandContext *ctx, double *level)
{
    *level = 0.95;
    const Option *opt = command_option(ctx->command, "level");
    if (opt == NULL) {
        return MD_OK;
    }
    if (opt->n_tokens != 1 || opt->tokens[0].kind != TOKEN_NUMBER ||
        !(opt->tokens[0].number >= 10.0 && opt->tokens[0].number <= 99.99)) {
        md_error_set(ctx->err, MD_ERR_VALUE, "level() takes a percentage between 10 and "
                     "99.99");
        md_error_hint(ctx->err, "write level(90)");
        return MD_ERR_VALUE;
    }
    *level = opt->tokens[0].number / 100.0;
    return MD_OK;
}

static MdStatus ci_variable(CommandContext *ctx, const StatSelection *sel, const Column *col,
                            double level, ResultTable *table, double *values)
{
    SdcCell cell;
    int64_t n = gather_values(sel, col, values, &cell);
    double low = NAN;
    double high = NAN;
    if (!sdc_winsor_bounds(sel->sdc, values, n, &low, &high)) {
        low = sdc_is_trusted(sel->sdc) ? -INFINITY : NAN;
        high = sdc_is_trusted(sel->sdc) ? INFINITY : NAN;
    }
    Released count = sdc_release_count(sel->sdc, &cell);
    Released mean = statcmd_release_stat(sel->sdc, &cell, col->name, "mean", values, n, low,
                                         high);
    Released sd = statcmd_release_stat(sel->sdc, &cell, col->name, "sd", values, n, low,
                                       high);
    Released se = sdc_suppressed("x");
    Released lo = sdc_suppressed("x");
    Released hi = sdc_suppressed("x");
    /* The interval is built from released numbers only. */
    if (count.kind == RELEASED_NUMBER && mean.kind == RELEASED_NUMBER &&
        sd.kind == RELEASED_NUMBER && count.value >= 2.0) {
        double s = sd.value / sqrt(count.value);
        double t = stats_t_quantile(0.5 + level / 2.0, count.value - 1.0);
        se = sdc_release_value(sel->sdc, &cell, s);
        lo = sdc_release_value(sel->sdc, &cell, mean.value - t * s);
        hi = sdc_release_value(sel->sdc, &cell, mean.value + t * s);
    }
    const char *label = col->name;
    int32_t row = result_table_add_row(table, 1, &label);
    if (row < 0) {
        return statcmd_fail_memory(ctx);
    }
    Released cells[5] = {count, mean, se, lo, hi};
    for (int32_t j = 0; j < 5; j++) {
        MdStatus status = statcmd_set(ctx, table, row, j, cells[j]);
        if (status != MD_OK) {
            return status;
        }
    }
    return MD_OK;
}

MdStatus handle_ci(CommandContext *ctx)
{
    double level;
    MdStatus status = ci_level(ctx, &level);
    if (status != MD_OK) {
        return status;
    }
    StatSelection sel;
    status = statcmd_select(ctx, &sel);
    if (status != MD_OK) {
        return status;
    }
    const char **names = NULL;
    int32_t n = 0;
    const Column *cols[ANALYSIS_MAX_VARS];
    double *values = NULL;
    status = analysis_variables(ctx, sel.ds, &names, &n, cols);
    if (status == MD_OK) {
        values = md_malloc((size_t)sel.ds->n_rows * sizeof *values);
        status = values ? MD_OK : statcmd_fail_memory(ctx);
    }
    ResultTable *table = NULL;
    if (status == MD_OK) {
        result_entry_set_kind(ctx->entry, ENTRY_STATISTICS);
        char low_header[32];
        char high_header[32];
        snprintf(low_header, sizeof low_header, "%g%% CI low", level * 100.0);
        snprintf(high_header, sizeof high_header, "%g%% CI high", level * 100.0);
        const char *headers[5] = {"N", "mean", "se", low_header, high_header};
        table = statcmd_named_table(ctx, "ci", 5, headers, "variable");
        status = table ? MD_OK : ctx->err->status;
    }
    for (int32_t v = 0; status == MD_OK && v < n; v++) {
        status = ci_variable(ctx, &sel, cols[v], level, table, values);
    }
    md_free(values);
    md_free(names);
    statcmd_selection_free(&sel);
    return status;
}

/* ==== normaltest ======================================================================= */

static MdStatus normal_row(CommandContext *ctx, ResultTable *table, const Sdc *sdc,
                           const SdcCell *cell, const char *variable, const char *test,
                           const StatsTest *result)
{
    const char *labels[2] = {variable, test};
    int32_t row = result_table_add_row(table, 2, labels);
    if (row < 0) {
        return statcmd_fail_memory(ctx);
    }
    MdStatus status = statcmd_set(ctx, table, row, 0,
                                  sdc_release_value(sdc, cell, result->statistic));
    if (status == MD_OK) {
        status = statcmd_set(ctx, table, row, 1, sdc_release_value(sdc, cell, result->p));
    }
    return status;
}

static MdStatus normal_variable(CommandContext *ctx, const StatSelection *sel,
                                const Column *col, ResultTable *table, double *values)
{
    SdcCell cell;
    int64_t n = gather_values(sel, col, values, &cell);
    StatsNormality r;
    MdStatus status = stats_normality(values, n, &r, ctx->err);
    if (status == MD_OK && !sdc_is_trusted(sel->sdc)) {
        /* the tests are functions of n: evaluated at the released N, not the exact one */
        Released count = sdc_release_count(sel->sdc, &cell);
        stats_normality_at_n(&r, count.kind == RELEASED_NUMBER ? (int64_t)count.value : 0);
    }
    const StatsTest *tests[5] = {&r.skewness, &r.kurtosis, &r.skew_kurtosis,
                                 &r.jarque_bera, &r.shapiro_wilk};
    static const char *const names[5] = {"skewness", "kurtosis", "skewness-kurtosis",
                                         "Jarque-Bera", "Shapiro-Wilk"};
    for (int t = 0; status == MD_OK && t < 5; t++) {
        status = normal_row(ctx, table, sel->sdc, &cell, col->name, names[t], tests[t]);
    }
    return status;
}

MdStatus handle_normaltest(CommandContext *ctx)
{
    StatSelection sel;
    MdStatus status = statcmd_select(ctx, &sel);
    if (status != MD_OK) {
        return status;
    }
    const char **names = NULL;
    int32_t n = 0;
    const Column *cols[ANALYSIS_MAX_VARS];
    double *values = NULL;
    status = analysis_variables(ctx, sel.ds, &names, &n, cols);
    if (status == MD_OK) {
        values = md_malloc((size_t)sel.ds->n_rows * sizeof *values);
        status = values ? MD_OK : statcmd_fail_memory(ctx);
    }
    ResultTable *table = NULL;
    if (status == MD_OK) {
        result_entry_set_kind(ctx->entry, ENTRY_STATISTICS);
        const char *headers[2] = {"statistic", "p"};
        const char *row_header[2] = {"variable", "test"};
        table = result_entry_table(ctx->entry, "normaltest", 2, headers);
        if (table == NULL || result_table_row_header(table, 2, row_header) != MD_OK) {
            status = statcmd_fail_memory(ctx);
        }
    }
    for (int32_t v = 0; status == MD_OK && v < n; v++) {
        status = normal_variable(ctx, &sel, cols[v], table, values);
    }
    md_free(values);
    md_free(names);
    statcmd_selection_free(&sel);
    return status;
}

/* ==== transitions-panel ================================================================ */

typedef struct Transitions {
    CommandContext *ctx;
    const StatSelection *sel;
    const StatFactor *dates;
    StatFactor states;
    int32_t *time;
    int32_t *cell_of_row;
    SdcCell *cells;          /* (S + 1)^2, row S and column S are margins */
} Transitions;

static MdStatus transitions_count(Transitions *t)
{
    const Dataset *ds = t->sel->ds;
    int32_t s = t->states.n_levels;
    int64_t w = (int64_t)s + 1;
    t->cells = md_malloc((size_t)(w * w) * sizeof *t->cells);
    if (t->cells == NULL) {
        return statcmd_fail_memory(t->ctx);
    }
    for (int64_t c = 0; c < w * w; c++) {
        sdc_cell_init(&t->cells[c]);
    }
    stats_transition_cells(ds->unit_ids, t->time, t->states.row_level, ds->n_rows, s,
                           t->cell_of_row);
    for (int64_t i = 0; i < ds->n_rows; i++) {
        int32_t c = t->cell_of_row[i];
        if (c < 0) {
            continue;
        }
        int64_t from = c / s;
        int64_t to = c % s;
        const int64_t idx[4] = {from * w + to, from * w + s, s * w + to, s * w + s};
        for (int k = 0; k < 4; k++) {
            sdc_cell_add(&t->cells[idx[k]], ds->unit_ids[i], ds->unit_keys[i]);
        }
    }
    SdcCell *inner = md_malloc((size_t)(s > 0 ? (int64_t)s * s : 1) * sizeof *inner);
    if (inner == NULL) {
        return statcmd_fail_memory(t->ctx);
    }
    for (int64_t from = 0; from < s; from++) {
        for (int64_t to = 0; to < s; to++) {
            inner[from * s + to] = t->cells[from * w + to];
        }
    }
    MdStatus status = sdc_check_table(t->sel->sdc, inner, (int64_t)s * s, t->ctx->err);
    if (status == MD_OK) { /* sdc rule R15b: the transitions are charged */
        status = sdc_charge_cells(t->sel->sdc, inner, (int64_t)s * s, t->cell_of_row,
                                  ds->unit_ids, ds->n_rows, t->ctx->err);
    }
    md_free(inner);
    return status;
}

static MdStatus transitions_table(Transitions *t, const char *title, bool percent)
{
    int32_t s = t->states.n_levels;
    int64_t w = (int64_t)s + 1;
    const char **headers = md_malloc((size_t)w * sizeof *headers);
    if (headers == NULL) {
        return statcmd_fail_memory(t->ctx);
    }
    for (int32_t j = 0; j < s; j++) {
        headers[j] = t->states.labels[j];
    }
    headers[s] = "Total";
    const char *row_header = t->states.column->name;
    ResultTable *table = statcmd_named_table(t->ctx, title, (int32_t)w, headers, row_header);
    md_free(headers);
    MdStatus status = table ? MD_OK : t->ctx->err->status;
    for (int64_t from = 0; status == MD_OK && from <= s; from++) {
        const char *label = from < s ? t->states.labels[from] : "Total";
        int32_t row = result_table_add_row(table, 1, &label);
        if (row < 0) {
            return statcmd_fail_memory(t->ctx);
        }
        for (int64_t to = 0; status == MD_OK && to <= s; to++) {
            const SdcCell *cell = &t->cells[from * w + to];
            Released v = percent ? sdc_release_row_percent(t->sel->sdc, cell,
                                                           &t->cells[from * w + s])
                                 : sdc_release_row_count(t->sel->sdc, cell);
            status = statcmd_set(t->ctx, table, row, (int32_t)to, v);
        }
    }
    return status;
}

static MdStatus transitions_variable(CommandContext *ctx, const StatSelection *sel,
                                     const StatFactor *dates, const char *name,
                                     int32_t *time, int32_t *cell_of_row)
{
    Transitions t;
    memset(&t, 0, sizeof t);
    t.ctx = ctx;
    t.sel = sel;
    t.dates = dates;
    t.time = time;
    t.cell_of_row = cell_of_row;
    const Column *column = cmd_column(ctx, sel->ds, name);
    MdStatus status = column ? statcmd_factor(ctx, sel->ds, column, sel->mask, false, false,
                                              &t.states)
                             : ctx->err->status;
    if (status == MD_OK) {
        status = transitions_count(&t);
    }
    if (status == MD_OK) {
        char title[160];
        snprintf(title, sizeof title, "transitions of %s: Freq", name);
        status = transitions_table(&t, title, false);
        snprintf(title, sizeof title, "transitions of %s: Row %%", name);
        if (status == MD_OK) {
            status = transitions_table(&t, title, true);
        }
    }
    md_free(t.cells);
    statcmd_factor_free(&t.states);
    return status;
}

MdStatus handle_transitions_panel(CommandContext *ctx)
{
    StatSelection sel;
    MdStatus status = statcmd_select(ctx, &sel);
    if (status != MD_OK) {
        return status;
    }
    const char **names = NULL;
    int32_t n = 0;
    StatFactor dates;
    memset(&dates, 0, sizeof dates);
    int32_t *time = NULL;
    int32_t *cells = NULL;
    if (sel.ds->shape != SHAPE_PANEL) {
        status = md_error_set(ctx->err, MD_ERR_TYPE, "transitions-panel needs a panel "
                              "dataset");
        md_error_hint(ctx->err, "create one with import-panel or reshape-to-panel");
    }
    if (status == MD_OK) {
        status = statcmd_varlist(ctx, sel.ds, false, &names, &n);
    }
    const Column *date = status == MD_OK ? cmd_column(ctx, sel.ds, "date@panel") : NULL;
    if (status == MD_OK) {
        status = date ? statcmd_factor(ctx, sel.ds, date, NULL, false, true, &dates)
                      : ctx->err->status;
    }
    if (status == MD_OK) {
        time = md_malloc((size_t)sel.ds->n_rows * sizeof *time);
        cells = md_malloc((size_t)sel.ds->n_rows * sizeof *cells);
        status = time && cells ? MD_OK : statcmd_fail_memory(ctx);
    }
    for (int64_t i = 0; status == MD_OK && i < sel.ds->n_rows; i++) {
        time[i] = dates.row_level[i] >= 0 ? dates.row_level[i] : -1000000;
    }
    if (status == MD_OK) {
        result_entry_set_kind(ctx->entry, ENTRY_TABLE);
    }
    for (int32_t v = 0; status == MD_OK && v < n; v++) {
        status = transitions_variable(ctx, &sel, &dates, names[v], time, cells);
    }
    md_free(time);
    md_free(cells);
    md_free(names);
    statcmd_factor_free(&dates);
    statcmd_selection_free(&sel);
    return status;
}
