/*
 * cmd_anova.c - anova: one-way analysis of variance (between/within table, Tukey-Kramer HSD
 * post-hoc comparisons) and the n-way form with several factors, interactions (a#b, a##b)
 * and continuous covariates (c.x: ANCOVA), whose partial sums of squares come from least
 * squares fits with each term dropped in turn. Every level of a factor and every cell of
 * interacted factors needs at least min_units_statistic units (R3/R11); every number is
 * released through sdc with the analysed population.
 */
#include "engine/stats_shared.h"
#include "stats/stats.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ==== One-way ANOVA ==================================================================== */

#define ANOVA_MAX_R2 0.9999 /* R11: fits with R2 at or above this are refused */

typedef struct AnovaRun {
    CommandContext *ctx;
    StatSelection sel;
    const Column *y;
    StatFactor factor;
    int32_t *group;           /* per row, -1 = left out */
    SdcCell *group_units;     /* per level */
    SdcCell population;       /* units with y and a level */
    StatsAnovaGroup *groups;
    StatsAnova anova;
} AnovaRun;

/* True when a factor's level is the same on every row of a unit. */
static bool levels_unit_level(const Dataset *ds, const int32_t *level)
{
    for (int64_t i = 1; i < ds->n_rows; i++) {
        if (ds->unit_ids[i] == ds->unit_ids[i - 1] && level[i] != level[i - 1]) {
            return false;
        }
    }
    return true;
}

/* True when y and the factor level are both the same on every row of a unit. */
static bool anova_unit_level(const Dataset *ds, const double *y, const int32_t *level)
{
    return levels_unit_level(ds, level) && statcmd_unit_level(ds, y);
}

static MdStatus anova_prepare(AnovaRun *a)
{
    CommandContext *ctx = a->ctx;
    const Command *c = ctx->command;
    const Dataset *ds = a->sel.ds;
    a->y = statcmd_numeric(ctx, ds, c->args[0].text);
    const Column *fcol = a->y ? cmd_column(ctx, ds, c->args[1].text) : NULL;
    if (fcol == NULL) {
        return ctx->err->status;
    }
    MdStatus status = statcmd_factor(ctx, ds, fcol, a->sel.mask, false, false, &a->factor);
    if (status != MD_OK) {
        return status;
    }
    int32_t k = a->factor.n_levels;
    a->group = md_malloc((size_t)ds->n_rows * sizeof *a->group);
    a->group_units = md_malloc((size_t)(k > 0 ? k : 1) * sizeof *a->group_units);
    a->groups = md_malloc((size_t)(k > 0 ? k : 1) * sizeof *a->groups);
    if (!a->group || !a->group_units || !a->groups) {
        return statcmd_fail_memory(ctx);
    }
    for (int32_t g = 0; g < k; g++) {
        sdc_cell_init(&a->group_units[g]);
    }
    sdc_cell_init(&a->population);
    bool per_unit = anova_unit_level(ds, a->y->numbers, a->factor.row_level);
    int64_t last = -1;
    for (int64_t i = 0; i < ds->n_rows; i++) {
        int32_t g = a->factor.row_level[i];
        a->group[i] = isnan(a->y->numbers[i]) ? -1 : g;
        if (a->group[i] >= 0 && per_unit && last >= 0 &&
            ds->unit_ids[last] == ds->unit_ids[i]) {
            a->group[i] = -1; /* C4: a repeated row of a unit adds no weight */
        }
        if (a->group[i] >= 0) {
            last = i;
            sdc_cell_add(&a->group_units[g], ds->unit_ids[i], ds->unit_keys[i]);
            sdc_cell_add(&a->population, ds->unit_ids[i], ds->unit_keys[i]);
        }
    }
    const SdcConfig *config = sdc_config(a->sel.sdc);
    for (int32_t g = 0; g < k && !sdc_is_trusted(a->sel.sdc); g++) {
        if (a->group_units[g].n_units < config->min_units_statistic) {
            md_error_set(ctx->err, MD_ERR_DISCLOSURE, "a group of the factor has too few "
                         "units with a value of the outcome (rule R3)");
            md_error_hint(ctx->err, "merge small groups with recode, or restrict with if");
            return MD_ERR_DISCLOSURE;
        }
    }
    stats_anova_oneway(a->y->numbers, a->group, ds->n_rows, k, a->groups, &a->anova);
    if (!sdc_is_trusted(a->sel.sdc) && !(a->anova.r_squared < ANOVA_MAX_R2)) {
        /* sdc rule R11: the factor (nearly) determines every unit's value */
        md_error_set(ctx->err, MD_ERR_DISCLOSURE, "anova: the factor fits the outcome "
                     "almost exactly (near-saturated model, rule R11)");
        md_error_hint(ctx->err, "group the levels or analyse another outcome");
        return MD_ERR_DISCLOSURE;
    }
    /* sdc rule R15b, last, so that a refused anova charges nothing: the group means
     * (posthoc) are statistics of the factor's groups */
    return sdc_charge_cells(a->sel.sdc, a->group_units, k, a->group, ds->unit_ids, ds->n_rows,
                            ctx->err);
}

static MdStatus anova_table(AnovaRun *a)
{
    CommandContext *ctx = a->ctx;
    const Sdc *sdc = a->sel.sdc;
    const SdcCell *pop = &a->population;
    const StatsAnova *r = &a->anova;
    const char *headers[5] = {"SS", "df", "MS", "F", "p"};
    ResultTable *table = statcmd_named_table(ctx, "anova", 5, headers, "source");
    if (table == NULL) {
        return ctx->err->status;
    }
    const char *sources[3] = {"Between groups", "Within groups", "Total"};
    /* MS within, F and p use the released within df, so that SS / MS gives no exact n */
    Released df_within = sdc_release_dof(sdc, pop, (int64_t)r->k);
    double dfw = df_within.kind == RELEASED_NUMBER ? df_within.value : NAN;
    double ms_within = r->ss_within / dfw;
    double f = r->ms_between / ms_within;
    Released cells[3][5] = {
        {sdc_release_value(sdc, pop, r->ss_between), sdc_release_constant(r->df_between),
         sdc_release_value(sdc, pop, r->ms_between), sdc_release_value(sdc, pop, f),
         sdc_release_value(sdc, pop, stats_f_upper_p(f, r->df_between, dfw))},
        {sdc_release_value(sdc, pop, r->ss_within), df_within,
         sdc_release_value(sdc, pop, ms_within), sdc_suppressed(""), sdc_suppressed("")},
        {sdc_release_value(sdc, pop, r->ss_total),
         sdc_release_dof(sdc, pop, 1), sdc_suppressed(""),
         sdc_suppressed(""), sdc_suppressed("")},
    };
    for (int32_t s = 0; s < 3; s++) {
        int32_t row = result_table_add_row(table, 1, &sources[s]);
        if (row < 0) {
            return statcmd_fail_memory(ctx);
        }
        for (int32_t j = 0; j < 5; j++) {
            MdStatus status = statcmd_set(ctx, table, row, j, cells[s][j]);
            if (status != MD_OK) {
                return status;
            }
        }
    }
    MdStatus status = statcmd_stat(ctx, "N", sdc_release_count(sdc, pop));
    if (status == MD_OK) {
        status = statcmd_stat(ctx, "R2", sdc_release_value(sdc, pop, r->r_squared));
    }
    return status;
}

/* Tukey-Kramer comparisons of the levels of factor (group means and units given). */
static MdStatus emit_tukey(CommandContext *ctx, const Sdc *sdc, const StatFactor *factor,
                           const StatsAnovaGroup *groups, const SdcCell *group_units,
                           const StatsAnova *anova)
{
    int32_t k = factor->n_levels;
    int64_t n_pairs = (int64_t)k * (k - 1) / 2;
    StatsTukeyPair *pairs = md_malloc((size_t)(n_pairs > 0 ? n_pairs : 1) * sizeof *pairs);
    if (pairs == NULL) {
        return statcmd_fail_memory(ctx);
    }
    int32_t m = stats_tukey_hsd(groups, k, anova, 0.95, pairs);
    const char *headers[4] = {"difference", "p", "95% CI low", "95% CI high"};
    ResultTable *table = statcmd_named_table(ctx, "Tukey HSD", 4, headers, "comparison");
    MdStatus status = table ? MD_OK : ctx->err->status;
    for (int32_t i = 0; status == MD_OK && i < m; i++) {
        const StatsTukeyPair *p = &pairs[i];
        char label[256];
        snprintf(label, sizeof label, "%s vs %s", factor->labels[p->b], factor->labels[p->a]);
        const char *labels[1] = {label};
        int32_t row = result_table_add_row(table, 1, labels);
        if (row < 0) {
            status = statcmd_fail_memory(ctx);
            break;
        }
        SdcCell both = group_units[p->a];
        sdc_cell_merge(&both, &group_units[p->b]);
        const double values[4] = {p->difference, p->p, p->low, p->high};
        for (int32_t j = 0; status == MD_OK && j < 4; j++) {
            status = statcmd_set(ctx, table, row, j, sdc_release_value(sdc, &both, values[j]));
        }
    }
    md_free(pairs);
    return status;
}

/* The residual df and MS of the comparisons as released (from the released N), never the
 * exact unit count; trusted runs get the exact ones. */
static void anova_released_within(const Sdc *sdc, const SdcCell *pop, int64_t params,
                                  double ss_within, StatsAnova *anova)
{
    if (sdc_is_trusted(sdc)) {
        return;
    }
    Released df = sdc_release_dof(sdc, pop, params);
    anova->df_within = df.kind == RELEASED_NUMBER ? df.value : NAN;
    anova->ms_within = ss_within / anova->df_within;
}

static MdStatus anova_posthoc(AnovaRun *a)
{
    StatsAnova released = a->anova;
    anova_released_within(a->sel.sdc, &a->population, a->anova.k, a->anova.ss_within,
                          &released);
    return emit_tukey(a->ctx, a->sel.sdc, &a->factor, a->groups, a->group_units, &released);
}

static MdStatus anova_oneway(CommandContext *ctx)
{
    AnovaRun a;
    memset(&a, 0, sizeof a);
    a.ctx = ctx;
    MdStatus status = statcmd_select(ctx, &a.sel);
    if (status != MD_OK) {
        return status;
    }
    status = anova_prepare(&a);
    if (status == MD_OK) {
        result_entry_set_kind(ctx->entry, ENTRY_STATISTICS);
        status = anova_table(&a);
    }
    if (status == MD_OK && command_option(ctx->command, "posthoc") != NULL) {
        status = anova_posthoc(&a);
    }
    md_free(a.group);
    md_free(a.group_units);
    md_free(a.groups);
    statcmd_factor_free(&a.factor);
    statcmd_selection_free(&a.sel);
    return status;
}

/* ==== n-way ANOVA and ANCOVA =========================================================== */

#define NWAY_MAX_VARS 8
#define NWAY_MAX_TERMS 16
#define NWAY_MAX_LEAVES 4
#define NWAY_MAX_COLUMNS 400
#define NWAY_MAX_CELLS 10000

typedef struct NwayVar {
    const char *name;
    bool continuous;
    const Column *column;
    StatFactor factor;        /* factors only */
} NwayVar;

typedef struct NwayTerm {
    char name[160];
    int32_t vars[NWAY_MAX_LEAVES];
    int32_t n_vars;
    int32_t first_column;
    int32_t n_columns;
} NwayTerm;

typedef struct Nway {
    CommandContext *ctx;
    StatSelection sel;
    const Column *y;
    NwayVar vars[NWAY_MAX_VARS];
    int32_t n_vars;
    NwayTerm terms[NWAY_MAX_TERMS];
    int32_t n_terms;
    int64_t *rows;            /* the m rows used */
    int64_t m;
    double *x;                /* m x p design, column-major; column 0 is the constant */
    int32_t p;
    double *yv;
    SdcCell population;
} Nway;

static MdStatus nway_fail(Nway *w, MdStatus status, const char *message)
{
    md_error_set(w->ctx->err, status, "anova: %s", message);
    md_error_hint(w->ctx->err, "write anova y a b a#b c.x (factors, interactions, "
                  "covariates)");
    return status;
}

static MdStatus nway_var(Nway *w, const Term *leaf, int32_t *out)
{
    bool continuous = leaf->kind == TERM_CONTINUOUS;
    for (int32_t v = 0; v < w->n_vars; v++) {
        if (strcmp(w->vars[v].name, leaf->name) == 0 && w->vars[v].continuous == continuous) {
            *out = v;
            return MD_OK;
        }
    }
    if (w->n_vars >= NWAY_MAX_VARS) {
        return nway_fail(w, MD_ERR_LIMIT, "too many variables");
    }
    w->vars[w->n_vars].name = leaf->name;
    w->vars[w->n_vars].continuous = continuous;
    *out = w->n_vars++;
    return MD_OK;
}

static MdStatus nway_leaves(Nway *w, const Term *t, NwayTerm *term)
{
    if (t->kind == TERM_INTERACTION || t->kind == TERM_FULL_INTERACTION) {
        MdStatus status = nway_leaves(w, t->left, term);
        return status == MD_OK ? nway_leaves(w, t->right, term) : status;
    }
    if (term->n_vars >= NWAY_MAX_LEAVES) {
        return nway_fail(w, MD_ERR_LIMIT, "an interaction of more than four variables");
    }
    return nway_var(w, t, &term->vars[term->n_vars++]);
}

static MdStatus nway_add_term(Nway *w, const Term *t)
{
    if (t->kind == TERM_FULL_INTERACTION) {
        MdStatus status = nway_add_term(w, t->left);
        if (status == MD_OK) {
            status = nway_add_term(w, t->right);
        }
        if (status != MD_OK) {
            return status;
        }
    }
    NwayTerm term;
    memset(&term, 0, sizeof term);
    MdStatus status = nway_leaves(w, t, &term);
    for (int32_t i = 0; status == MD_OK && i < term.n_vars; i++) {
        const NwayVar *v = &w->vars[term.vars[i]];
        size_t used = strlen(term.name);
        snprintf(term.name + used, sizeof term.name - used, "%s%s%s", i > 0 ? "#" : "",
                 v->continuous ? "c." : "", v->name);
    }
    if (status != MD_OK) {
        return status;
    }
    for (int32_t i = 0; i < w->n_terms; i++) {
        if (strcmp(w->terms[i].name, term.name) == 0) {
            return MD_OK; /* a##b after a: the term is there already */
        }
    }
    if (w->n_terms >= NWAY_MAX_TERMS) {
        return nway_fail(w, MD_ERR_LIMIT, "too many terms");
    }
    w->terms[w->n_terms++] = term;
    return MD_OK;
}

static MdStatus nway_parse(Nway *w)
{
    const Command *c = w->ctx->command;
    if (c->args[0].kind != TOKEN_NAME) {
        return nway_fail(w, MD_ERR_SYNTAX, "the outcome must be a variable name");
    }
    Arena *arena = arena_new(4096);
    if (arena == NULL) {
        return statcmd_fail_memory(w->ctx);
    }
    int32_t n_terms = 0;
    Term *terms = lang_parse_terms(arena, c->args + 1, c->n_args - 1, &n_terms, w->ctx->err);
    MdStatus status = terms != NULL ? MD_OK : w->ctx->err->status;
    for (int32_t i = 0; status == MD_OK && i < n_terms; i++) {
        status = nway_add_term(w, &terms[i]);
    }
    arena_free(arena);
    return status;
}

static MdStatus nway_columns(Nway *w)
{
    const Dataset *ds = w->sel.ds;
    w->y = statcmd_numeric(w->ctx, ds, w->ctx->command->args[0].text);
    if (w->y == NULL) {
        return w->ctx->err->status;
    }
    for (int32_t v = 0; v < w->n_vars; v++) {
        NwayVar *var = &w->vars[v];
        if (var->continuous) {
            var->column = statcmd_numeric(w->ctx, ds, var->name);
            if (var->column == NULL) {
                return w->ctx->err->status;
            }
            continue;
        }
        var->column = cmd_column(w->ctx, ds, var->name);
        MdStatus status = var->column == NULL
                              ? w->ctx->err->status
                              : statcmd_factor(w->ctx, ds, var->column, w->sel.mask, false,
                                               false, &var->factor);
        if (status != MD_OK) {
            return status;
        }
        if (var->factor.n_levels < 2) {
            return nway_fail(w, MD_ERR_VALUE, "a factor has fewer than two levels");
        }
    }
    return MD_OK;
}

static bool nway_row_used(const Nway *w, int64_t i)
{
    if (!w->sel.mask[i] || isnan(w->y->numbers[i])) {
        return false;
    }
    for (int32_t v = 0; v < w->n_vars; v++) {
        const NwayVar *var = &w->vars[v];
        if (var->continuous ? isnan(var->column->numbers[i]) : var->factor.row_level[i] < 0) {
            return false;
        }
    }
    return true;
}

/* True when the outcome and every variable of the model are the same on all rows of a
 * unit: then each unit is one observation, however many rows it has (C4). */
static bool nway_unit_level(const Nway *w)
{
    const Dataset *ds = w->sel.ds;
    if (!statcmd_unit_level(ds, w->y->numbers)) {
        return false;
    }
    for (int32_t v = 0; v < w->n_vars; v++) {
        const NwayVar *var = &w->vars[v];
        if (var->continuous ? !statcmd_unit_level(ds, var->column->numbers)
                            : !levels_unit_level(ds, var->factor.row_level)) {
            return false;
        }
    }
    return true;
}

/* The value of design column `combo` of term t at data row i. */
static double nway_value(const Nway *w, const NwayTerm *t, int64_t combo, int64_t i)
{
    double value = 1.0;
    for (int32_t k = t->n_vars - 1; k >= 0; k--) {
        const NwayVar *var = &w->vars[t->vars[k]];
        if (var->continuous) {
            value *= var->column->numbers[i];
            continue;
        }
        int32_t radix = var->factor.n_levels - 1;
        int32_t dummy = (int32_t)(combo % radix);
        combo /= radix;
        value *= var->factor.row_level[i] == dummy + 1 ? 1.0 : 0.0;
    }
    return value;
}

static MdStatus nway_design(Nway *w)
{
    const Dataset *ds = w->sel.ds;
    w->p = 1;
    for (int32_t t = 0; t < w->n_terms; t++) {
        NwayTerm *term = &w->terms[t];
        int64_t n = 1;
        for (int32_t k = 0; k < term->n_vars; k++) {
            const NwayVar *var = &w->vars[term->vars[k]];
            n *= var->continuous ? 1 : var->factor.n_levels - 1;
            if (n > NWAY_MAX_COLUMNS) {
                return nway_fail(w, MD_ERR_LIMIT, "the model has too many parameters");
            }
        }
        term->first_column = w->p;
        term->n_columns = (int32_t)n;
        w->p += (int32_t)n;
        if (w->p > NWAY_MAX_COLUMNS) {
            return nway_fail(w, MD_ERR_LIMIT, "the model has too many parameters");
        }
    }
    w->rows = md_malloc((size_t)ds->n_rows * sizeof *w->rows);
    if (w->rows == NULL) {
        return statcmd_fail_memory(w->ctx);
    }
    sdc_cell_init(&w->population);
    bool per_unit = nway_unit_level(w);
    for (int64_t i = 0; i < ds->n_rows; i++) {
        if (nway_row_used(w, i) &&
            !(per_unit && w->m > 0 && ds->unit_ids[w->rows[w->m - 1]] == ds->unit_ids[i])) {
            w->rows[w->m++] = i;
            sdc_cell_add(&w->population, ds->unit_ids[i], ds->unit_keys[i]);
        }
    }
    if (w->m <= w->p) {
        return nway_fail(w, MD_ERR_VALUE, "too few observations for the model");
    }
    w->x = md_malloc((size_t)w->m * (size_t)w->p * sizeof *w->x);
    w->yv = md_malloc((size_t)w->m * sizeof *w->yv);
    if (w->x == NULL || w->yv == NULL) {
        return statcmd_fail_memory(w->ctx);
    }
    for (int64_t r = 0; r < w->m; r++) {
        int64_t i = w->rows[r];
        w->yv[r] = w->y->numbers[i];
        w->x[r] = 1.0;
        for (int32_t t = 0; t < w->n_terms; t++) {
            const NwayTerm *term = &w->terms[t];
            for (int32_t c = 0; c < term->n_columns; c++) {
                w->x[(size_t)(term->first_column + c) * (size_t)w->m + (size_t)r] =
                    nway_value(w, term, c, i);
            }
        }
    }
    return MD_OK;
}

/* R3/R11: every non-empty cell of the factors of each term holds enough units. */
static MdStatus nway_check_cells(Nway *w)
{
    if (sdc_is_trusted(w->sel.sdc)) {
        return MD_OK;
    }
    const Dataset *ds = w->sel.ds;
    int64_t min_units = sdc_config(w->sel.sdc)->min_units_statistic;
    SdcCell *cells = md_malloc(NWAY_MAX_CELLS * sizeof *cells);
    int32_t *cell_of_row = md_malloc((size_t)(ds->n_rows > 0 ? ds->n_rows : 1) *
                                     sizeof *cell_of_row);
    if (cells == NULL || cell_of_row == NULL) {
        md_free(cells);
        md_free(cell_of_row);
        return statcmd_fail_memory(w->ctx);
    }
    MdStatus status = MD_OK;
    for (int32_t t = 0; status == MD_OK && t < w->n_terms; t++) {
        const NwayTerm *term = &w->terms[t];
        int64_t n_cells = 1;
        for (int32_t k = 0; k < term->n_vars; k++) {
            const NwayVar *var = &w->vars[term->vars[k]];
            n_cells *= var->continuous ? 1 : var->factor.n_levels;
        }
        if (n_cells > NWAY_MAX_CELLS) {
            status = nway_fail(w, MD_ERR_LIMIT, "an interaction has too many cells");
            break;
        }
        for (int64_t c = 0; c < n_cells; c++) {
            sdc_cell_init(&cells[c]);
        }
        for (int64_t i = 0; i < ds->n_rows; i++) {
            cell_of_row[i] = -1;
        }
        for (int64_t r = 0; r < w->m; r++) {
            int64_t i = w->rows[r];
            int64_t cell = 0;
            for (int32_t k = 0; k < term->n_vars; k++) {
                const NwayVar *var = &w->vars[term->vars[k]];
                if (!var->continuous) {
                    cell = cell * var->factor.n_levels + var->factor.row_level[i];
                }
            }
            sdc_cell_add(&cells[cell], ds->unit_ids[i], ds->unit_keys[i]);
            cell_of_row[i] = (int32_t)cell;
        }
        for (int64_t c = 0; c < n_cells; c++) {
            if (cells[c].n_units > 0 && cells[c].n_units < min_units) {
                md_error_set(w->ctx->err, MD_ERR_DISCLOSURE, "anova: a level or cell of %s "
                             "has too few units (rule R3)", term->name);
                md_error_hint(w->ctx->err, "merge small categories with recode, or leave "
                              "the interaction out");
                status = MD_ERR_DISCLOSURE;
                break;
            }
        }
        if (status == MD_OK && n_cells > 1) { /* sdc rule R15b: the term's cells */
            status = sdc_charge_cells(w->sel.sdc, cells, n_cells, cell_of_row, ds->unit_ids,
                                      ds->n_rows, w->ctx->err);
        }
    }
    md_free(cells);
    md_free(cell_of_row);
    return status;
}

typedef struct NwayRow {
    const char *name;
    double ss;
    double df;
    bool test;         /* has F and p */
    bool df_exact;     /* df is structural (a count of parameters) */
    int64_t params;    /* else df = units - params, released from the released N */
} NwayRow;

static MdStatus nway_emit(Nway *w, const NwayRow *rows, int32_t n_rows, double mse,
                          double df_resid, double r2)
{
    const Sdc *sdc = w->sel.sdc;
    const SdcCell *pop = &w->population;
    const char *headers[5] = {"SS", "df", "MS", "F", "p"};
    ResultTable *table = statcmd_named_table(w->ctx, "anova", 5, headers, "source");
    MdStatus status = table ? MD_OK : w->ctx->err->status;
    for (int32_t s = 0; status == MD_OK && s < n_rows; s++) {
        const NwayRow *r = &rows[s];
        int32_t row = result_table_add_row(table, 1, &r->name);
        if (row < 0) {
            return statcmd_fail_memory(w->ctx);
        }
        /* a df that depends on n is the released one, also inside MS, F and p */
        Released df = r->df_exact ? sdc_release_constant(r->df)
                                  : sdc_release_dof(sdc, pop, r->params);
        double df_value = df.kind == RELEASED_NUMBER ? df.value : NAN;
        double ms = df_value > 0 ? r->ss / df_value : NAN;
        double f = r->test && mse > 0 ? ms / mse : NAN;
        Released cells[5] = {
            sdc_release_value(sdc, pop, r->ss),
            df,
            s == n_rows - 1 ? sdc_suppressed("") : sdc_release_value(sdc, pop, ms),
            r->test ? sdc_release_value(sdc, pop, f) : sdc_suppressed(""),
            r->test ? sdc_release_value(sdc, pop, stats_f_upper_p(f, r->df, df_resid))
                    : sdc_suppressed(""),
        };
        for (int32_t j = 0; status == MD_OK && j < 5; j++) {
            status = statcmd_set(w->ctx, table, row, j, cells[j]);
        }
    }
    if (status == MD_OK) {
        status = statcmd_stat(w->ctx, "N", sdc_release_count(sdc, pop));
    }
    if (status == MD_OK) {
        status = statcmd_stat(w->ctx, "R2", sdc_release_value(sdc, pop, r2));
    }
    return status;
}

static MdStatus nway_fit(Nway *w, double *rss_full, int32_t *rank_full)
{
    NwayRow rows[NWAY_MAX_TERMS + 3];
    double mean = stats_mean(w->yv, w->m);
    double tss = 0.0;
    for (int64_t r = 0; r < w->m; r++) {
        tss += (w->yv[r] - mean) * (w->yv[r] - mean);
    }
    MdStatus status = stats_least_squares(w->x, w->m, w->p, w->yv, NULL, rss_full, rank_full,
                                          w->ctx->err);
    uint8_t *use = md_malloc((size_t)w->p);
    if (status == MD_OK && use == NULL) {
        status = statcmd_fail_memory(w->ctx);
    }
    double df_resid = (double)(w->m - *rank_full);
    if (status == MD_OK && df_resid < 1.0) {
        status = nway_fail(w, MD_ERR_VALUE, "no residual degrees of freedom");
    }
    rows[0] = (NwayRow){"Model", tss - *rss_full, (double)(*rank_full - 1), true, true, 0};
    for (int32_t t = 0; status == MD_OK && t < w->n_terms; t++) {
        const NwayTerm *term = &w->terms[t];
        memset(use, 1, (size_t)w->p);
        memset(use + term->first_column, 0, (size_t)term->n_columns);
        double rss = 0.0;
        int32_t rank = 0;
        status = stats_least_squares(w->x, w->m, w->p, w->yv, use, &rss, &rank, w->ctx->err);
        rows[t + 1] = (NwayRow){term->name, rss - *rss_full, (double)(*rank_full - rank), true,
                                true, 0};
    }
    md_free(use);
    if (status != MD_OK) {
        return status;
    }
    int32_t n = w->n_terms + 1;
    rows[n++] = (NwayRow){"Residual", *rss_full, df_resid, false, false, *rank_full};
    rows[n++] = (NwayRow){"Total", tss, (double)(w->m - 1), false, false, 1};
    double r2 = tss > 0 ? 1.0 - *rss_full / tss : NAN;
    if (!sdc_is_trusted(w->sel.sdc) && !(r2 < ANOVA_MAX_R2)) {
        /* sdc rule R11: a (near-)saturated fit reproduces the units' values */
        md_error_set(w->ctx->err, MD_ERR_DISCLOSURE, "anova: the model fits the outcome "
                     "almost exactly (near-saturated model, rule R11)");
        md_error_hint(w->ctx->err, "leave out terms that determine the outcome");
        return MD_ERR_DISCLOSURE;
    }
    /* the residual df as released (from the released N), never the exact one */
    Released df_released = sdc_release_dof(w->sel.sdc, &w->population, *rank_full);
    double df_rel = df_released.kind == RELEASED_NUMBER ? df_released.value : NAN;
    return nway_emit(w, rows, n, *rss_full / df_rel, df_rel, r2);
}

/* Tukey HSD on the levels of the first plain factor, with the model's residual MS. */
static MdStatus nway_posthoc(Nway *w, double rss, int32_t rank)
{
    const NwayVar *var = NULL;
    for (int32_t t = 0; t < w->n_terms && var == NULL; t++) {
        if (w->terms[t].n_vars == 1 && !w->vars[w->terms[t].vars[0]].continuous) {
            var = &w->vars[w->terms[t].vars[0]];
        }
    }
    if (var == NULL) {
        return nway_fail(w, MD_ERR_VALUE, "posthoc needs a factor as a main effect");
    }
    int32_t k = var->factor.n_levels;
    int32_t *group = md_malloc((size_t)w->m * sizeof *group);
    StatsAnovaGroup *groups = md_malloc((size_t)k * sizeof *groups);
    SdcCell *units = md_malloc((size_t)k * sizeof *units);
    MdStatus status = group && groups && units ? MD_OK : statcmd_fail_memory(w->ctx);
    if (status == MD_OK) {
        for (int32_t g = 0; g < k; g++) {
            sdc_cell_init(&units[g]);
        }
        for (int64_t r = 0; r < w->m; r++) {
            int64_t i = w->rows[r];
            group[r] = var->factor.row_level[i];
            sdc_cell_add(&units[group[r]], w->sel.ds->unit_ids[i], w->sel.ds->unit_keys[i]);
        }
        StatsAnova anova;
        stats_anova_oneway(w->yv, group, w->m, k, groups, &anova);
        anova.df_within = (double)(w->m - rank);
        anova.ms_within = rss / anova.df_within;
        anova_released_within(w->sel.sdc, &w->population, rank, rss, &anova);
        status = emit_tukey(w->ctx, w->sel.sdc, &var->factor, groups, units, &anova);
    }
    md_free(group);
    md_free(groups);
    md_free(units);
    return status;
}

static MdStatus anova_nway(CommandContext *ctx)
{
    Nway w;
    memset(&w, 0, sizeof w);
    w.ctx = ctx;
    MdStatus status = nway_parse(&w);
    if (status == MD_OK) {
        status = statcmd_select(ctx, &w.sel);
    }
    if (status == MD_OK) {
        status = nway_columns(&w);
    }
    if (status == MD_OK) {
        status = nway_design(&w);
    }
    if (status == MD_OK) {
        status = nway_check_cells(&w);
    }
    double rss = NAN;
    int32_t rank = 0;
    if (status == MD_OK) {
        result_entry_set_kind(ctx->entry, ENTRY_STATISTICS);
        status = nway_fit(&w, &rss, &rank);
    }
    if (status == MD_OK && command_option(ctx->command, "posthoc") != NULL) {
        status = nway_posthoc(&w, rss, rank);
    }
    for (int32_t v = 0; v < w.n_vars; v++) {
        statcmd_factor_free(&w.vars[v].factor);
    }
    md_free(w.rows);
    md_free(w.x);
    md_free(w.yv);
    statcmd_selection_free(&w.sel);
    return status;
}

MdStatus handle_anova(CommandContext *ctx)
{
    const Command *c = ctx->command;
    if (c->n_args < 2) {
        return cmd_fail_usage(ctx, "anova needs an outcome and at least one factor");
    }
    if (command_option(c, "noconstant") != NULL) {
        md_error_set(ctx->err, MD_ERR_NOT_IMPLEMENTED, "anova: noconstant is not "
                     "implemented yet");
        md_error_hint(ctx->err, "leave the option out");
        return MD_ERR_NOT_IMPLEMENTED;
    }
    bool one_way = c->n_args == 2 && c->args[0].kind == TOKEN_NAME &&
                   c->args[1].kind == TOKEN_NAME && strchr(c->args[1].text, '.') == NULL;
    return one_way ? anova_oneway(ctx) : anova_nway(ctx);
}
