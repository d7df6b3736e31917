/*
 * cmd_import.c - import, import-event and import-panel: bring register variables from a
 * required datastore into the active dataset (language.md 3.4, 3.6 and 4.2).
 *
 * import: the first import into an empty dataset defines the population (every unit with a
 * value); later imports left-join on the unit id by a linear merge of two sorted id lists;
 * `outer_join` adds the units only the variable has. import-event makes an event dataset
 * (one row per spell, START@name and STOP@name; STOP@ missing for open spells).
 * import-panel makes a panel (unit x date@panel) in an empty dataset or one made by
 * clone-units, whose units are the population. Rows stay sorted by unit id (then START@ or
 * date@panel). Values: LONG/DOUBLE/DATE become numbers (dates as days since 1970-01-01),
 * STRING becomes a string column; pointer variables keep their target unit type.
 */
#include "engine/commands.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ==== Resolving alias/VARIABLE and dates ================================================ */

typedef struct ImportVariable {
    RequiredStore *rs;
    const VariableInfo *info;
} ImportVariable;

static MdStatus import_resolve(CommandContext *ctx, const Token *token, ImportVariable *out)
{
    const char *text = token->text;
    const char *slash = strchr(text, '/');
    if (token->kind != TOKEN_PATH || !slash) {
        md_error_set(ctx->err, MD_ERR_SYNTAX, "'%s' is not a register variable", text);
        md_error_hint(ctx->err, "write ALIAS/VARIABLE, e.g. db/BEFOLKNING_KJOENN");
        return MD_ERR_SYNTAX;
    }
    char alias[128];
    size_t n = (size_t)(slash - text);
    if (n >= sizeof alias)
        n = sizeof alias - 1;
    memcpy(alias, text, n);
    alias[n] = '\0';
    out->rs = workspace_store(ctx->ws, alias);
    if (!out->rs) {
        md_error_set(ctx->err, MD_ERR_NAME, "no datastore is connected as '%s'", alias);
        md_error_hint(ctx->err, "connect one first: require no.ssb.fdb:VERSION as %s", alias);
        return MD_ERR_NAME;
    }
    out->info = store_version_variable(out->rs->version, slash + 1);
    if (!out->info) {
        const char *near = store_version_suggest(out->rs->version, slash + 1);
        md_error_set(ctx->err, MD_ERR_NAME, "datastore %s has no variable %s",
                     out->rs->datastore, slash + 1);
        if (near)
            md_error_hint(ctx->err, "did you mean %s/%s?", alias, near);
        else
            md_error_hint(ctx->err, "`variables` lists the variables of the datastore");
        return MD_ERR_NAME;
    }
    return MD_OK;
}

/* A date argument: a date token, or a quoted/bare YYYY-MM-DD left by a binding. */
static bool import_token_date(const Token *token, int32_t *date)
{
    if (token->kind == TOKEN_DATE) {
        *date = token->date;
        return true;
    }
    return (token->kind == TOKEN_STRING || token->kind == TOKEN_NAME) &&
           date_parse_iso(token->text, strlen(token->text), date);
}

static MdStatus import_check_unit_type(CommandContext *ctx, const Dataset *ds,
                                       const VariableInfo *info)
{
    if (!ds->unit_type || strcmp(ds->unit_type, info->unit_type) == 0)
        return MD_OK;
    md_error_set(ctx->err, MD_ERR_TYPE,
                 "%s describes %s units but dataset %s holds %s units", info->name,
                 info->unit_type, ds->name, ds->unit_type);
    md_error_hint(ctx->err, "import it into a dataset of its own and bring values over "
                            "with merge");
    return MD_ERR_TYPE;
}

/* Runs the query import needs for info: fixed, or at date. */
static MdStatus import_query(CommandContext *ctx, const ImportVariable *var, bool has_date,
                             int32_t date, const Population *population, Spells *spells)
{
    const VariableInfo *info = var->info;
    if (info->temporality == TEMPORALITY_FIXED) {
        if (has_date) {
            md_error_set(ctx->err, MD_ERR_VALUE, "%s is a FIXED variable and takes no date",
                         info->name);
            md_error_hint(ctx->err, "leave the date out: import ALIAS/%s", info->name);
            return MD_ERR_VALUE;
        }
        return store_query_fixed(var->rs->version, info, population, spells, ctx->err);
    }
    if (!has_date) {
        const char *t = temporality_name(info->temporality);
        md_error_set(ctx->err, MD_ERR_VALUE, "%s is %s %s variable and needs a date",
                     info->name, t[0] == 'A' || t[0] == 'E' ? "an" : "a", t);
        md_error_hint(ctx->err, "add the date after the name, e.g. import ALIAS/%s "
                                "2023-12-31", info->name);
        return MD_ERR_VALUE;
    }
    return store_query_at(var->rs->version, info, date, population, spells, ctx->err);
}

/* ==== Building a column from spells ==================================================== */

/* The value of spell row r as a number. */
static double import_number(const Spells *sp, int64_t r)
{
    switch (sp->type) {
    case VALUE_LONG:
        return (double)sp->longs[r];
    case VALUE_DOUBLE:
        return sp->doubles[r];
    case VALUE_DATE:
        return sp->dates[r] == DATE_NONE || sp->dates[r] == DATE_OPEN
                   ? column_missing_number()
                   : (double)sp->dates[r];
    case VALUE_STRING:
        break;
    }
    return column_missing_number();
}

static MdStatus import_fill_strings(Column *c, const Spells *sp, const int64_t *rows,
                                    int64_t n)
{
    /* slot[d] = pool code + 1 of dictionary entry d, 0 while not interned yet */
    uint32_t *slot = md_calloc(sp->n_dictionary > 0 ? sp->n_dictionary : 1, sizeof *slot);
    if (!slot)
        return MD_ERR_MEMORY;
    for (int64_t i = 0; i < n; i++) {
        uint32_t d = rows[i] < 0 ? UINT32_MAX : sp->string_ids[rows[i]];
        if (d >= sp->n_dictionary) {
            c->codes[i] = COLUMN_STRING_MISSING;
            continue;
        }
        if (slot[d] == 0) {
            const char *s = sp->dictionary[d];
            uint32_t code = string_pool_intern(c->pool, s, strlen(s));
            if (code == COLUMN_STRING_MISSING) {
                md_free(slot);
                return MD_ERR_MEMORY;
            }
            slot[d] = code + 1;
        }
        c->codes[i] = slot[d] - 1;
    }
    md_free(slot);
    return MD_OK;
}

/* A column named name whose row i holds spell row rows[i] (-1: missing). */
static Column *import_column(const VariableInfo *info, const Spells *sp, const int64_t *rows,
                             int64_t n, const char *name, int32_t date)
{
    bool is_string = info->value_type == VALUE_STRING;
    Column *c = is_string ? column_new_string(name, n) : column_new_number(name, n);
    if (!c)
        return NULL;
    c->source = info;
    c->source_date = date;
    if (info->pointer_to && !(c->pointer_to = md_strdup(info->pointer_to))) {
        column_free(c);
        return NULL;
    }
    if (is_string) {
        if (import_fill_strings(c, sp, rows, n) != MD_OK) {
            column_free(c);
            return NULL;
        }
        return c;
    }
    double missing = column_missing_number();
    for (int64_t i = 0; i < n; i++)
        c->numbers[i] = rows[i] < 0 ? missing : import_number(sp, rows[i]);
    column_normalize_missing(c, n);
    return c;
}

/* ==== Joins ============================================================================ */

/* For each dataset row, the first spell row of the same unit (-1 if none). Both sides are
 * sorted by unit id; dataset ids may repeat (panel). */
static void import_left_rows(const Dataset *ds, const Spells *sp, int64_t *rows)
{
    int64_t j = 0;
    for (int64_t i = 0; i < ds->n_rows; i++) {
        uint64_t id = ds->unit_ids[i];
        while (j < sp->n && sp->unit_ids[j] < id)
            j++;
        rows[i] = j < sp->n && sp->unit_ids[j] == id ? j : -1;
    }
}

/* The distinct unit ids of ds (sorted); returns owned array (md_free) and the count. */
static uint64_t *import_distinct_units(const Dataset *ds, int64_t *n_out)
{
    uint64_t *ids = md_malloc((size_t)(ds->n_rows > 0 ? ds->n_rows : 1) * sizeof *ids);
    if (!ids)
        return NULL;
    int64_t n = 0;
    for (int64_t i = 0; i < ds->n_rows; i++) {
        if (n == 0 || ids[n - 1] != ds->unit_ids[i])
            ids[n++] = ds->unit_ids[i];
    }
    *n_out = n;
    return ids;
}

static MdStatus import_check_rows(CommandContext *ctx, int64_t n)
{
    int64_t max = ctx->ws->options.max_rows;
    if (max > 0 && n > max) {
        md_error_set(ctx->err, MD_ERR_LIMIT, "the dataset would exceed the row limit");
        md_error_hint(ctx->err, "the limit is %lld rows; narrow the population first",
                      (long long)max);
        return MD_ERR_LIMIT;
    }
    return MD_OK;
}

/* Builds the new dataset of an outer join (or of a first import into an empty dataset):
 * rows = the union of the dataset's units and the spells' units. */
static Dataset *import_outer(CommandContext *ctx, const Dataset *ds, const Spells *sp,
                             const VariableInfo *info, const char *name, int32_t date)
{
    int64_t cap = ds->n_rows + sp->n;
    int64_t *old_rows = md_malloc((size_t)(cap > 0 ? cap : 1) * sizeof *old_rows);
    int64_t *new_rows = md_malloc((size_t)(cap > 0 ? cap : 1) * sizeof *new_rows);
    uint64_t *ids = md_malloc((size_t)(cap > 0 ? cap : 1) * sizeof *ids);
    Dataset *out = NULL;
    if (!old_rows || !new_rows || !ids)
        goto done;
    int64_t n = 0, i = 0, j = 0;
    while (i < ds->n_rows || j < sp->n) {
        bool take_old = j >= sp->n || (i < ds->n_rows && ds->unit_ids[i] <= sp->unit_ids[j]);
        bool take_new = i >= ds->n_rows || (j < sp->n && sp->unit_ids[j] <= ds->unit_ids[i]);
        ids[n] = take_old ? ds->unit_ids[i] : sp->unit_ids[j];
        old_rows[n] = take_old ? i++ : -1;
        new_rows[n] = take_new ? j : -1;
        if (take_new) /* skip further spells of the same unit */
            for (uint64_t id = sp->unit_ids[j]; j < sp->n && sp->unit_ids[j] == id; j++) {
            }
        n++;
    }
    if (import_check_rows(ctx, n) != MD_OK)
        goto done;
    Dataset view = *ds; /* columns only: unit arrays are built here */
    view.unit_ids = NULL;
    view.unit_keys = NULL;
    out = dataset_subset_rows(&view, old_rows, n, NULL, ctx->err);
    if (!out)
        goto done;
    out->unit_ids = ids;
    ids = NULL;
    out->unit_keys = md_malloc((size_t)(n > 0 ? n : 1) * sizeof *out->unit_keys);
    if (!out->unit_keys) {
        dataset_free(out);
        out = NULL;
        goto done;
    }
    cmd_unit_keys(ctx->ws, out->unit_ids, n, out->unit_keys);
    Column *c = import_column(info, sp, new_rows, n, name, date);
    if (!c || dataset_add_column(out, c, ctx->err) != MD_OK) {
        column_free(c);
        dataset_free(out);
        out = NULL;
    }
done:
    if (!out && ctx->err->status == MD_OK)
        md_error_set(ctx->err, MD_ERR_MEMORY, "out of memory importing %s", info->name);
    md_free(old_rows);
    md_free(new_rows);
    md_free(ids);
    return out;
}

/* ==== import ============================================================================ */

typedef struct ImportArgs {
    ImportVariable var;
    bool has_date;
    int32_t date;
    const char *name;
    bool outer;
} ImportArgs;

static MdStatus import_parse(CommandContext *ctx, ImportArgs *a)
{
    const Command *c = ctx->command;
    memset(a, 0, sizeof *a);
    a->date = DATE_NONE;
    if (c->n_args < 1)
        return cmd_fail_usage(ctx, "name the variable to import");
    if (import_resolve(ctx, &c->args[0], &a->var) != MD_OK)
        return ctx->err->status;
    int32_t i = 1;
    if (i < c->n_args && import_token_date(&c->args[i], &a->date)) {
        a->has_date = true;
        i++;
    }
    if (i < c->n_args && strcmp(c->args[i].text, "as") == 0) {
        if (i + 2 != c->n_args || c->args[i + 1].kind != TOKEN_NAME)
            return cmd_fail_usage(ctx, "write one new name after 'as'");
        a->name = c->args[i + 1].text;
        i += 2;
    }
    if (i != c->n_args) {
        char msg[200];
        snprintf(msg, sizeof msg, "'%s' is not a date (YYYY-MM-DD) or 'as NAME'",
                 c->args[i].text);
        return cmd_fail_usage(ctx, msg);
    }
    if (!a->name)
        a->name = a->var.info->name;
    a->outer = command_option(c, "outer_join") != NULL;
    return MD_OK;
}

static MdStatus import_check_target(CommandContext *ctx, const Dataset *ds,
                                    const ImportArgs *a)
{
    if (ds->shape == SHAPE_EVENT) {
        md_error_set(ctx->err, MD_ERR_VALUE,
                     "dataset %s holds event data (one row per spell); import adds one value "
                     "per unit", ds->name);
        md_error_hint(ctx->err, "import into a person dataset, or collapse this one and "
                                "merge the result");
        return MD_ERR_VALUE;
    }
    if (a->outer && ds->shape == SHAPE_PANEL)
        return cmd_fail(ctx, MD_ERR_VALUE, "outer_join cannot add units to a panel dataset");
    if (import_check_unit_type(ctx, ds, a->var.info) != MD_OK)
        return ctx->err->status;
    return cmd_check_new_variable(ctx, ds, a->name);
}

/* Left join of the spells into a copy-free new column of ds. */
static MdStatus import_left(CommandContext *ctx, Dataset *ds, const ImportArgs *a)
{
    int64_t n_units = 0;
    uint64_t *units = import_distinct_units(ds, &n_units);
    int64_t *rows = md_malloc((size_t)(ds->n_rows > 0 ? ds->n_rows : 1) * sizeof *rows);
    Spells sp = {0};
    MdStatus status = MD_OK;
    if (!units || !rows)
        status = cmd_fail(ctx, MD_ERR_MEMORY, "out of memory importing %s", a->name);
    Population pop = {units, n_units};
    if (status == MD_OK)
        status = import_query(ctx, &a->var, a->has_date, a->date, &pop, &sp);
    if (status == MD_OK) {
        import_left_rows(ds, &sp, rows);
        Column *c = import_column(a->var.info, &sp, rows, ds->n_rows, a->name, a->date);
        if (!c)
            status = cmd_fail(ctx, MD_ERR_MEMORY, "out of memory importing %s", a->name);
        else if ((status = dataset_add_column(ds, c, ctx->err)) != MD_OK)
            column_free(c);
        spells_free(&sp);
    }
    md_free(units);
    md_free(rows);
    return status;
}

static MdStatus import_full(CommandContext *ctx, Dataset *ds, const ImportArgs *a)
{
    Spells sp = {0};
    if (import_query(ctx, &a->var, a->has_date, a->date, NULL, &sp) != MD_OK)
        return ctx->err->status;
    Dataset *next = import_outer(ctx, ds, &sp, a->var.info, a->name, a->date);
    spells_free(&sp);
    if (!next)
        return ctx->err->status;
    if (ds->shape == SHAPE_EMPTY) {
        next->shape = SHAPE_CROSS;
        md_free(next->unit_type);
        md_free(next->id_name);
        next->unit_type = md_strdup(a->var.info->unit_type);
        next->id_name = md_strdup(a->var.info->id_name);
        if (!next->unit_type || !next->id_name) {
            dataset_free(next);
            return cmd_fail(ctx, MD_ERR_MEMORY, "out of memory importing %s", a->name);
        }
    }
    dataset_swap(ds, next);
    dataset_free(next);
    return MD_OK;
}

MdStatus handle_import(CommandContext *ctx)
{
    ImportArgs a;
    Dataset *ds = cmd_active(ctx);
    if (!ds || import_parse(ctx, &a) != MD_OK || import_check_target(ctx, ds, &a) != MD_OK)
        return ctx->err->status;
    bool first = ds->shape == SHAPE_EMPTY;
    MdStatus status = first || a.outer ? import_full(ctx, ds, &a) : import_left(ctx, ds, &a);
    if (status != MD_OK)
        return status;
    char when[16] = "";
    if (a.has_date)
        date_format_iso(a.date, when);
    if (first && ds->n_rows == 0)
        (void)!result_entry_warning(ctx->entry, "no unit has a value of %s%s%s, so the "
                                    "dataset has no units", a.var.info->name,
                                    a.has_date ? " at " : "", when);
    return cmd_done(ctx, "imported %s%s%s as %s%s", a.var.info->name, a.has_date ? " at " : "",
                   when, a.name,
                   first ? " (its units are the population)"
                         : a.outer ? " (outer join)" : "");
}

/* ==== import-event ===================================================================== */

/* Adds name, START@name and STOP@name for every spell to next (rows = spells). */
static MdStatus import_event_columns(CommandContext *ctx, Dataset *next, const Spells *sp,
                                     const VariableInfo *info, const char *name, int32_t from)
{
    char start_name[160], stop_name[160];
    snprintf(start_name, sizeof start_name, "START@%s", name);
    snprintf(stop_name, sizeof stop_name, "STOP@%s", name);
    int64_t *rows = md_malloc((size_t)(sp->n > 0 ? sp->n : 1) * sizeof *rows);
    Column *value = NULL, *start = column_new_number(start_name, sp->n);
    Column *stop = column_new_number(stop_name, sp->n);
    if (rows) {
        for (int64_t i = 0; i < sp->n; i++)
            rows[i] = i;
        value = import_column(info, sp, rows, sp->n, name, from);
    }
    md_free(rows);
    if (!value || !start || !stop || dataset_reserve_columns(next, 3) != MD_OK) {
        column_free(value);
        column_free(start);
        column_free(stop);
        return cmd_fail(ctx, MD_ERR_MEMORY, "out of memory importing %s", info->name);
    }
    double missing = column_missing_number();
    for (int64_t i = 0; i < sp->n; i++) {
        start->numbers[i] = sp->starts[i] == DATE_NONE ? missing : (double)sp->starts[i];
        bool open = sp->stops[i] == DATE_OPEN || sp->stops[i] == DATE_NONE;
        stop->numbers[i] = open ? missing : (double)sp->stops[i];
    }
    next->columns[next->n_columns++] = value;
    next->columns[next->n_columns++] = start;
    next->columns[next->n_columns++] = stop;
    return MD_OK;
}

static MdStatus import_event_parse(CommandContext *ctx, ImportVariable *var, int32_t *from,
                                   int32_t *to, const char **name)
{
    const Command *c = ctx->command;
    bool shape_ok = (c->n_args == 4 || c->n_args == 6) && import_token_date(&c->args[1], from)
                    && strcmp(c->args[2].text, "to") == 0 &&
                    import_token_date(&c->args[3], to);
    if (shape_ok && c->n_args == 6)
        shape_ok = strcmp(c->args[4].text, "as") == 0 && c->args[5].kind == TOKEN_NAME;
    if (!shape_ok)
        return cmd_fail_usage(ctx, "write ALIAS/VARIABLE FROM to TO [as NAME] with dates "
                                   "as YYYY-MM-DD");
    if (import_resolve(ctx, &c->args[0], var) != MD_OK)
        return ctx->err->status;
    if (*from > *to)
        return cmd_fail(ctx, MD_ERR_VALUE, "the period of import-event ends before it "
                                           "starts");
    if (var->info->temporality != TEMPORALITY_EVENT &&
        var->info->temporality != TEMPORALITY_ACCUMULATED) {
        const char *t = temporality_name(var->info->temporality);
        md_error_set(ctx->err, MD_ERR_TYPE, "%s is %s %s variable, not an event variable",
                     var->info->name, t[0] == 'A' || t[0] == 'E' ? "an" : "a", t);
        md_error_hint(ctx->err, "use import ALIAS/%s [DATE] instead", var->info->name);
        return MD_ERR_TYPE;
    }
    *name = c->n_args == 6 ? c->args[5].text : var->info->name;
    if (!column_name_valid(*name))
        return cmd_fail(ctx, MD_ERR_NAME, "'%s' is not a valid variable name", *name);
    return MD_OK;
}

MdStatus handle_import_event(CommandContext *ctx)
{
    ImportVariable var;
    int32_t from = 0, to = 0;
    const char *name = NULL;
    Dataset *ds = cmd_active(ctx);
    if (!ds || import_event_parse(ctx, &var, &from, &to, &name) != MD_OK)
        return ctx->err->status;
    bool units_only = ds->shape == SHAPE_CROSS && ds->n_columns == 0;
    if (ds->shape != SHAPE_EMPTY && !units_only) {
        md_error_set(ctx->err, MD_ERR_VALUE, "dataset %s already holds variables; an event "
                     "variable needs a dataset of its own", ds->name);
        md_error_hint(ctx->err, "create-dataset a new dataset for %s", var.info->name);
        return MD_ERR_VALUE;
    }
    if (import_check_unit_type(ctx, ds, var.info) != MD_OK)
        return ctx->err->status;
    Population pop = {ds->unit_ids, ds->n_rows};
    Spells sp = {0};
    if (store_query_period(var.rs->version, var.info, from, to, units_only ? &pop : NULL, &sp,
                           ctx->err) != MD_OK || import_check_rows(ctx, sp.n) != MD_OK) {
        spells_free(&sp);
        return ctx->err->status;
    }
    Dataset *next = dataset_new(ds->name);
    MdStatus status = MD_OK;
    if (!next || !(next->unit_type = md_strdup(var.info->unit_type)) ||
        !(next->id_name = md_strdup(var.info->id_name)) ||
        !(next->unit_ids = md_malloc((size_t)(sp.n > 0 ? sp.n : 1) * sizeof(uint64_t))) ||
        !(next->unit_keys = md_malloc((size_t)(sp.n > 0 ? sp.n : 1) * sizeof(uint64_t))))
        status = cmd_fail(ctx, MD_ERR_MEMORY, "out of memory importing %s", var.info->name);
    if (status == MD_OK) {
        next->shape = SHAPE_EVENT;
        next->n_rows = sp.n;
        if (sp.n > 0)
            memcpy(next->unit_ids, sp.unit_ids, (size_t)sp.n * sizeof(uint64_t));
        cmd_unit_keys(ctx->ws, next->unit_ids, sp.n, next->unit_keys);
        status = import_event_columns(ctx, next, &sp, var.info, name, from);
    }
    spells_free(&sp);
    if (status != MD_OK) {
        dataset_free(next);
        return status;
    }
    dataset_swap(ds, next);
    dataset_free(next);
    return cmd_done(ctx, "imported the spells of %s as %s, START@%s and STOP@%s",
                   var.info->name, name, name, name);
}

/* ==== import-panel ===================================================================== */

typedef struct PanelArgs {
    ImportVariable vars[64];
    int32_t n_vars;
    int32_t dates[256];
    int32_t n_dates;
} PanelArgs;

static int import_compare_dates(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

static MdStatus import_panel_parse(CommandContext *ctx, PanelArgs *p)
{
    const Command *c = ctx->command;
    p->n_vars = p->n_dates = 0;
    int32_t i = 0;
    for (; i < c->n_args && c->args[i].kind == TOKEN_PATH; i++) {
        if (p->n_vars == (int32_t)MD_ARRAY_LEN(p->vars))
            return cmd_fail(ctx, MD_ERR_LIMIT, "import-panel takes at most 64 variables");
        if (import_resolve(ctx, &c->args[i], &p->vars[p->n_vars++]) != MD_OK)
            return ctx->err->status;
    }
    for (; i < c->n_args; i++) {
        if (p->n_dates == (int32_t)MD_ARRAY_LEN(p->dates))
            return cmd_fail(ctx, MD_ERR_LIMIT, "import-panel takes at most 256 dates");
        if (!import_token_date(&c->args[i], &p->dates[p->n_dates++]))
            return cmd_fail_usage(ctx, "write the variables first, then dates as YYYY-MM-DD");
    }
    if (p->n_vars == 0 || p->n_dates == 0)
        return cmd_fail_usage(ctx, "name at least one variable and one date");
    qsort(p->dates, (size_t)p->n_dates, sizeof *p->dates, import_compare_dates);
    for (int32_t k = 1; k < p->n_dates; k++) {
        if (p->dates[k] == p->dates[k - 1])
            return cmd_fail(ctx, MD_ERR_VALUE, "import-panel lists a date twice");
    }
    for (int32_t k = 0; k < p->n_vars; k++) {
        for (int32_t m = 0; m < k; m++) {
            if (strcmp(p->vars[k].info->name, p->vars[m].info->name) == 0)
                return cmd_fail(ctx, MD_ERR_NAME, "import-panel lists %s twice",
                                p->vars[k].info->name);
        }
    }
    return MD_OK;
}

/* Fills column rows u*T + t of one variable at each date (population = units). */
static MdStatus import_panel_variable(CommandContext *ctx, Dataset *next,
                                     const ImportVariable *var, const PanelArgs *p,
                                     const Population *pop)
{
    const VariableInfo *info = var->info;
    int64_t n = next->n_rows, n_units = pop->n;
    int64_t *rows = md_malloc((size_t)(n > 0 ? n : 1) * sizeof *rows);
    Column *column = NULL;
    if (!rows)
        return cmd_fail(ctx, MD_ERR_MEMORY, "out of memory importing %s", info->name);
    for (int32_t t = 0; t < p->n_dates; t++) {
        Spells sp = {0};
        bool fixed = info->temporality == TEMPORALITY_FIXED;
        if (import_query(ctx, var, !fixed, p->dates[t], pop, &sp) != MD_OK)
            break;
        for (int64_t i = 0; i < n; i++)
            rows[i] = -1;
        int64_t j = 0;
        for (int64_t u = 0; u < n_units; u++) {
            while (j < sp.n && sp.unit_ids[j] < pop->unit_ids[u])
                j++;
            rows[u * p->n_dates + t] = j < sp.n && sp.unit_ids[j] == pop->unit_ids[u] ? j : -1;
        }
        /* one query's spells at a time: gather this date's rows into the column */
        Column *part = import_column(info, &sp, rows, n, info->name, p->dates[t]);
        spells_free(&sp);
        if (!part)
            break;
        if (!column) {
            column = part;
            continue;
        }
        for (int64_t u = 0; u < n_units; u++) {
            int64_t r = u * p->n_dates + t;
            if (column->type == COLUMN_NUMBER)
                column->numbers[r] = part->numbers[r];
            else if (part->codes[r] != COLUMN_STRING_MISSING) {
                const char *s = part->pool->strings[part->codes[r]];
                column->codes[r] = string_pool_intern(column->pool, s, strlen(s));
            }
        }
        column_free(part);
    }
    md_free(rows);
    if (ctx->err->status != MD_OK || !column || dataset_add_column(next, column, ctx->err)) {
        column_free(column);
        if (ctx->err->status == MD_OK)
            cmd_fail(ctx, MD_ERR_MEMORY, "out of memory importing %s", info->name);
        return ctx->err->status;
    }
    return MD_OK;
}

/* The population of a panel: the units of ds, or (empty ds) the units with a value of the
 * first variable at the first date. Returns owned ids. */
static uint64_t *import_panel_units(CommandContext *ctx, const Dataset *ds,
                                   const PanelArgs *p, int64_t *n)
{
    if (ds->shape != SHAPE_EMPTY)
        return import_distinct_units(ds, n);
    Spells sp = {0};
    const ImportVariable *first = &p->vars[0];
    bool fixed = first->info->temporality == TEMPORALITY_FIXED;
    if (import_query(ctx, first, !fixed, p->dates[0], NULL, &sp) != MD_OK)
        return NULL;
    uint64_t *ids = md_malloc((size_t)(sp.n > 0 ? sp.n : 1) * sizeof *ids);
    int64_t k = 0;
    for (int64_t i = 0; ids && i < sp.n; i++) {
        if (k == 0 || ids[k - 1] != sp.unit_ids[i])
            ids[k++] = sp.unit_ids[i];
    }
    spells_free(&sp);
    *n = k;
    return ids;
}

/* The panel skeleton: unit x date rows with date@panel. */
static Dataset *import_panel_skeleton(CommandContext *ctx, const Dataset *ds,
                                      const PanelArgs *p, const uint64_t *units, int64_t n_units)
{
    int64_t n = n_units * p->n_dates;
    const VariableInfo *info = p->vars[0].info;
    Dataset *next = dataset_new(ds->name);
    Column *dates = column_new_number("date@panel", n);
    if (!next || !dates || !(next->unit_type = md_strdup(info->unit_type)) ||
        !(next->id_name = md_strdup(info->id_name)) ||
        !(next->unit_ids = md_malloc((size_t)(n > 0 ? n : 1) * sizeof(uint64_t))) ||
        !(next->unit_keys = md_malloc((size_t)(n > 0 ? n : 1) * sizeof(uint64_t))) ||
        dataset_add_column(next, dates, ctx->err) != MD_OK) {
        column_free(dates);
        dataset_free(next);
        cmd_fail(ctx, MD_ERR_MEMORY, "out of memory building the panel");
        return NULL;
    }
    next->shape = SHAPE_PANEL;
    next->n_rows = n;
    for (int64_t u = 0; u < n_units; u++) {
        for (int32_t t = 0; t < p->n_dates; t++) {
            next->unit_ids[u * p->n_dates + t] = units[u];
            dates->numbers[u * p->n_dates + t] = (double)p->dates[t];
        }
    }
    cmd_unit_keys(ctx->ws, next->unit_ids, n, next->unit_keys);
    return next;
}

MdStatus handle_import_panel(CommandContext *ctx)
{
    PanelArgs *p = md_malloc(sizeof *p);
    Dataset *ds = cmd_active(ctx);
    if (!p)
        return cmd_fail(ctx, MD_ERR_MEMORY, "out of memory reading import-panel");
    if (!ds || import_panel_parse(ctx, p) != MD_OK)
        goto fail;
    if (ds->n_columns > 0 || (ds->shape != SHAPE_EMPTY && ds->shape != SHAPE_CROSS)) {
        md_error_set(ctx->err, MD_ERR_VALUE, "import-panel needs an empty dataset or one made "
                     "by clone-units; %s already holds variables", ds->name);
        md_error_hint(ctx->err, "clone-units %s NEW, use NEW, then import-panel", ds->name);
        goto fail;
    }
    for (int32_t k = 0; k < p->n_vars; k++) {
        if (import_check_unit_type(ctx, ds, p->vars[k].info) != MD_OK ||
            (k > 0 && strcmp(p->vars[k].info->unit_type, p->vars[0].info->unit_type) != 0 &&
             cmd_fail(ctx, MD_ERR_TYPE, "import-panel variables must share one unit type")))
            goto fail;
    }
    int64_t n_units = 0;
    uint64_t *units = import_panel_units(ctx, ds, p, &n_units);
    if (!units || import_check_rows(ctx, n_units * p->n_dates) != MD_OK) {
        md_free(units);
        goto fail;
    }
    Dataset *next = import_panel_skeleton(ctx, ds, p, units, n_units);
    Population pop = {units, n_units};
    for (int32_t k = 0; next && k < p->n_vars; k++) {
        if (import_panel_variable(ctx, next, &p->vars[k], p, &pop) != MD_OK) {
            dataset_free(next);
            next = NULL;
        }
    }
    md_free(units);
    if (!next)
        goto fail;
    dataset_swap(ds, next);
    dataset_free(next);
    int32_t n_vars = p->n_vars, n_dates = p->n_dates;
    md_free(p);
    return cmd_done(ctx, "imported %d variable%s at %d date%s as a panel (date@panel)", n_vars,
                   n_vars == 1 ? "" : "s", n_dates, n_dates == 1 ? "" : "s");
fail:
    md_free(p);
    if (ctx->err->status == MD_OK)
        cmd_fail(ctx, MD_ERR_MEMORY, "out of memory in import-panel");
    return ctx->err->status;
}
