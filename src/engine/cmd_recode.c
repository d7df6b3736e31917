/*
 * cmd_recode.c - `recode VARLIST (RULE) ... [if COND] [, prefix(P) generate(NEW ...)]`
 * (language.md 4.2). Rules apply in order and the first matching rule wins, so a value
 * changed by an earlier rule is not touched by later ones; values no rule covers stay.
 * Rule forms: values, ranges a/b (min, max), missing, nonmissing, * (anything). A result may
 * carry a label (added to the variable's label list, created as the variable's own list
 * when it has none) and the flag `missing` (the value becomes user-missing).
 *
 * In place, rows outside `if` keep their value; into new variables (prefix/generate) they
 * get missing. A number variable takes number rules, a text variable text rules. All new
 * columns and label lists are built first and swapped in together.
 */
#include "engine/commands.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct RecodeTarget {
    Column *source;
    const char *name;     /* target variable name */
    bool in_place;
    Column *made;
    LabelList *labels;    /* new version of the target's label list, or NULL */
} RecodeTarget;

/* ==== Matching ========================================================================= */

/* A range bound: min and max are the infinities. */
static double recode_bound(const Token *t)
{
    if (t->kind == TOKEN_NAME)
        return strcmp(t->text, "min") == 0 ? -INFINITY : INFINITY;
    return t->number;
}

static bool recode_match_number(const RecodeRule *rule, bool missing, double v)
{
    for (int32_t m = 0; m < rule->n_matches; m++) {
        const RecodeMatch *match = &rule->matches[m];
        switch (match->kind) {
        case MATCH_ANY:
            return true;
        case MATCH_MISSING:
            if (missing)
                return true;
            break;
        case MATCH_NONMISSING:
            if (!missing)
                return true;
            break;
        case MATCH_VALUE:
            if (!missing && match->value.kind == TOKEN_NUMBER && v == match->value.number)
                return true;
            break;
        case MATCH_RANGE:
            if (!missing && v >= recode_bound(&match->low) && v <= recode_bound(&match->high))
                return true;
            break;
        }
    }
    return false;
}

static bool recode_match_string(const RecodeRule *rule, const char *s)
{
    for (int32_t m = 0; m < rule->n_matches; m++) {
        const RecodeMatch *match = &rule->matches[m];
        if (match->kind == MATCH_ANY || (match->kind == MATCH_MISSING && !s) ||
            (match->kind == MATCH_NONMISSING && s) ||
            (match->kind == MATCH_VALUE && s && strcmp(match->value.text, s) == 0))
            return true;
    }
    return false;
}

/* ==== Checking rules against a variable's type ========================================= */

static MdStatus recode_check_rules(CommandContext *ctx, const RecodeSpec *spec,
                                   const Column *c)
{
    bool text = c->type == COLUMN_STRING;
    for (int32_t r = 0; r < spec->n_rules; r++) {
        const RecodeRule *rule = &spec->rules[r];
        bool ok = rule->result.kind == TOKEN_DOT ||
                  (text ? rule->result.kind == TOKEN_STRING : rule->result.kind == TOKEN_NUMBER);
        for (int32_t m = 0; ok && m < rule->n_matches; m++) {
            const RecodeMatch *match = &rule->matches[m];
            if (match->kind == MATCH_VALUE)
                ok = text ? match->value.kind == TOKEN_STRING : match->value.kind == TOKEN_NUMBER;
            else if (match->kind == MATCH_RANGE)
                ok = !text;
        }
        if (!ok) {
            md_error_set(ctx->err, MD_ERR_TYPE, "rule %d does not fit %s, which holds %s", r + 1,
                         c->name, text ? "text (quote the codes)" : "numbers");
            md_error_hint(ctx->err, text ? "write text rules such as ('1' '2' = '0'); or "
                                           "destring the variable first"
                                         : "write number rules such as (1/7 = 0)");
            md_error_at(ctx->err, rule->line, rule->column);
            return MD_ERR_TYPE;
        }
    }
    return MD_OK;
}

/* ==== Labels =========================================================================== */

static MdStatus recode_label_put(LabelList *list, const char *code, const char *label)
{
    for (int32_t i = 0; i < list->n; i++) {
        if (strcmp(list->codes[i], code) == 0) {
            char *copy = md_strdup(label);
            if (!copy)
                return MD_ERR_MEMORY;
            md_free(list->labels[i]);
            list->labels[i] = copy;
            return MD_OK;
        }
    }
    char **codes = md_realloc_array(list->codes, (size_t)list->n + 1, sizeof *codes);
    if (!codes)
        return MD_ERR_MEMORY;
    list->codes = codes;
    char **labels = md_realloc_array(list->labels, (size_t)list->n + 1, sizeof *labels);
    if (!labels)
        return MD_ERR_MEMORY;
    list->labels = labels;
    list->codes[list->n] = md_strdup(code);
    list->labels[list->n] = md_strdup(label);
    if (!list->codes[list->n] || !list->labels[list->n]) {
        md_free(list->codes[list->n]);
        md_free(list->labels[list->n]);
        return MD_ERR_MEMORY;
    }
    list->n++;
    return MD_OK;
}

/* A copy of list (or an empty list) named name. */
static LabelList *recode_label_copy(const LabelList *list, const char *name)
{
    LabelList *copy = md_calloc(1, sizeof *copy);
    if (!copy || !(copy->name = md_strdup(name))) {
        md_free(copy);
        return NULL;
    }
    for (int32_t i = 0; list && i < list->n; i++) {
        if (recode_label_put(copy, list->codes[i], list->labels[i]) != MD_OK) {
            label_list_free(copy);
            return NULL;
        }
    }
    return copy;
}

/* Builds the updated label list of a target when any rule has a label. */
static MdStatus recode_labels(CommandContext *ctx, const RecodeSpec *spec, RecodeTarget *t)
{
    bool any = false;
    for (int32_t r = 0; r < spec->n_rules; r++)
        any = any || spec->rules[r].label;
    if (!any)
        return MD_OK;
    const char *list_name = t->made->label_list ? t->made->label_list : t->name;
    t->labels = recode_label_copy(workspace_label_list(ctx->ws, list_name), list_name);
    if (!t->labels)
        return cmd_fail(ctx, MD_ERR_MEMORY, "out of memory building labels");
    for (int32_t r = 0; r < spec->n_rules; r++) {
        const RecodeRule *rule = &spec->rules[r];
        if (!rule->label || rule->result.kind == TOKEN_DOT)
            continue;
        char code[64];
        if (rule->result.kind == TOKEN_NUMBER)
            snprintf(code, sizeof code, "%.15g", rule->result.number);
        else
            snprintf(code, sizeof code, "%s", rule->result.text);
        if (recode_label_put(t->labels, code, rule->label) != MD_OK)
            return cmd_fail(ctx, MD_ERR_MEMORY, "out of memory building labels");
    }
    if (!t->made->label_list && !(t->made->label_list = md_strdup(list_name)))
        return cmd_fail(ctx, MD_ERR_MEMORY, "out of memory building labels");
    return MD_OK;
}

/* ==== Applying the rules =============================================================== */

static MdStatus recode_flag_missing(Column *c, double value)
{
    if (isnan(value) || column_number_is_user_missing(c, value))
        return MD_OK;
    double *list = md_realloc_array(c->user_missing, (size_t)c->n_user_missing + 1,
                                    sizeof *list);
    if (!list)
        return MD_ERR_MEMORY;
    c->user_missing = list;
    c->user_missing[c->n_user_missing++] = value;
    return MD_OK;
}

static MdStatus recode_numbers(const RecodeSpec *spec, const Column *src, Column *out,
                               const uint8_t *mask, int64_t n)
{
    for (int32_t r = 0; r < spec->n_rules; r++) {
        const RecodeRule *rule = &spec->rules[r];
        if (rule->result_is_missing && rule->result.kind == TOKEN_NUMBER &&
            recode_flag_missing(out, rule->result.number) != MD_OK)
            return MD_ERR_MEMORY;
    }
    double missing = column_missing_number();
    for (int64_t i = 0; i < n; i++) {
        if (mask && !mask[i])
            continue;
        bool is_missing = column_is_missing(src, i);
        for (int32_t r = 0; r < spec->n_rules; r++) {
            const RecodeRule *rule = &spec->rules[r];
            if (recode_match_number(rule, is_missing, src->numbers[i])) {
                out->numbers[i] = rule->result.kind == TOKEN_DOT ? missing : rule->result.number;
                break;
            }
        }
    }
    return MD_OK;
}

/* Text: the result of every distinct code is decided once, then rows are mapped. */
static MdStatus recode_strings(const RecodeSpec *spec, const Column *src, Column *out,
                               const uint8_t *mask, int64_t n)
{
    uint32_t n_codes = src->pool->n;
    uint32_t *result = md_malloc(((size_t)n_codes + 1) * sizeof *result);
    uint8_t *hit = md_calloc((size_t)n_codes + 1, 1);
    if (!result || !hit) {
        md_free(result);
        md_free(hit);
        return MD_ERR_MEMORY;
    }
    for (uint32_t k = 0; k <= n_codes; k++) { /* k == n_codes stands for missing */
        const char *s = k < n_codes ? src->pool->strings[k] : NULL;
        for (int32_t r = 0; r < spec->n_rules; r++) {
            const RecodeRule *rule = &spec->rules[r];
            if (!recode_match_string(rule, s))
                continue;
            hit[k] = 1;
            result[k] = COLUMN_STRING_MISSING;
            if (rule->result.kind == TOKEN_STRING && !rule->result_is_missing) {
                const char *t = rule->result.text;
                result[k] = string_pool_intern(out->pool, t, strlen(t));
                if (result[k] == COLUMN_STRING_MISSING) {
                    md_free(result);
                    md_free(hit);
                    return MD_ERR_MEMORY;
                }
            }
            break;
        }
    }
    for (int64_t i = 0; i < n; i++) {
        if (mask && !mask[i])
            continue;
        uint32_t k = src->codes[i] == COLUMN_STRING_MISSING ? n_codes : src->codes[i];
        if (hit[k])
            out->codes[i] = result[k];
    }
    md_free(result);
    md_free(hit);
    return MD_OK;
}

/* The first rule matching row i of src, or -1. */
static int32_t recode_rule_of(const RecodeSpec *spec, const Column *src, int64_t i)
{
    bool missing = column_is_missing(src, i);
    for (int32_t r = 0; r < spec->n_rules; r++) {
        bool hit = src->type == COLUMN_NUMBER
                       ? recode_match_number(&spec->rules[r], missing, src->numbers[i])
                       : recode_match_string(&spec->rules[r],
                                             missing ? NULL : src->pool->strings[src->codes[i]]);
        if (hit)
            return r;
    }
    return -1;
}

/* R2 per clause: each rule must change none, all, or enough units both ways (units
 * counted distinct; rows are sorted by unit id). Off when trusted. */
static MdStatus recode_check_clauses(CommandContext *ctx, const RecodeSpec *spec,
                                     const Dataset *ds, const Column *src, const uint8_t *mask)
{
    if (ctx->ws->options.trusted || !ctx->ws->sdc)
        return MD_OK;
    int64_t *units = md_calloc((size_t)spec->n_rules + 1, sizeof *units);
    int64_t *last = md_malloc(((size_t)spec->n_rules + 1) * sizeof *last);
    if (!units || !last) {
        md_free(units);
        md_free(last);
        return cmd_fail(ctx, MD_ERR_MEMORY, "out of memory checking recode");
    }
    int64_t total = 0, unit = -1;
    for (int32_t r = 0; r < spec->n_rules; r++)
        last[r] = -1;
    for (int64_t i = 0; i < ds->n_rows; i++) {
        if (i == 0 || ds->unit_ids[i] != ds->unit_ids[i - 1]) {
            unit++;
            total++;
        }
        int32_t r = mask && !mask[i] ? -1 : recode_rule_of(spec, src, i);
        if (r >= 0 && last[r] != unit) {
            last[r] = unit;
            units[r]++;
        }
    }
    MdStatus status = MD_OK;
    for (int32_t r = 0; status == MD_OK && r < spec->n_rules; r++) {
        status = sdc_check_change(ctx->ws->sdc, units[r], total, ctx->err);
        if (status != MD_OK)
            md_error_at(ctx->err, spec->rules[r].line, spec->rules[r].column);
    }
    md_free(units);
    md_free(last);
    return status;
}

/* Builds target t: a copy of its source (rows outside `if` missing for new variables)
 * with the rules applied. */
static MdStatus recode_build(CommandContext *ctx, const RecodeSpec *spec, const Dataset *ds,
                             RecodeTarget *t, const uint8_t *mask)
{
    if (recode_check_clauses(ctx, spec, ds, t->source, mask) != MD_OK)
        return ctx->err->status;
    t->made = column_copy(t->source, ds->n_rows, t->name);
    if (!t->made)
        return cmd_fail(ctx, MD_ERR_MEMORY, "out of memory recoding %s", t->source->name);
    if (!t->in_place && mask) {
        for (int64_t i = 0; i < ds->n_rows; i++) {
            if (mask[i])
                continue;
            if (t->made->type == COLUMN_NUMBER)
                t->made->numbers[i] = column_missing_number();
            else
                t->made->codes[i] = COLUMN_STRING_MISSING;
        }
    }
    MdStatus status = t->made->type == COLUMN_NUMBER
                          ? recode_numbers(spec, t->source, t->made, mask, ds->n_rows)
                          : recode_strings(spec, t->source, t->made, mask, ds->n_rows);
    if (status != MD_OK)
        return cmd_fail(ctx, MD_ERR_MEMORY, "out of memory recoding %s", t->source->name);
    return recode_labels(ctx, spec, t);
}

/* ==== The command ====================================================================== */

/* Fills the targets: the variables, and their new names under prefix()/generate(). */
static MdStatus recode_targets(CommandContext *ctx, const Dataset *ds, const RecodeSpec *spec,
                               Arena *arena, RecodeTarget *targets)
{
    const char *prefix = NULL;
    if (cmd_option_word(ctx, "prefix", &prefix) != MD_OK)
        return ctx->err->status;
    const Option *gen = command_option(ctx->command, "generate");
    if (prefix && gen)
        return cmd_fail(ctx, MD_ERR_SYNTAX, "use prefix() or generate(), not both");
    if (gen && gen->n_tokens != spec->n_variables)
        return cmd_fail(ctx, MD_ERR_SYNTAX, "generate() needs one new name per variable");
    for (int32_t v = 0; v < spec->n_variables; v++) {
        RecodeTarget *t = &targets[v];
        if (!(t->source = cmd_column(ctx, ds, spec->variables[v])) ||
            cmd_refuse_pointer(ctx, t->source) != MD_OK ||
            recode_check_rules(ctx, spec, t->source) != MD_OK)
            return ctx->err->status;
        t->in_place = !prefix && !gen;
        t->name = t->in_place ? t->source->name
                  : gen       ? gen->tokens[v].text
                              : arena_printf(arena, "%s%s", prefix, t->source->name);
        if (!t->name)
            return cmd_fail(ctx, MD_ERR_MEMORY, "out of memory");
        if (!t->in_place && cmd_check_new_variable(ctx, ds, t->name) != MD_OK)
            return ctx->err->status;
        for (int32_t k = 0; k < v; k++) {
            if (targets[k].source == t->source || strcmp(targets[k].name, t->name) == 0)
                return cmd_fail(ctx, MD_ERR_NAME, "%s is recoded twice", t->name);
        }
    }
    return MD_OK;
}

/* Puts every built column and label list in place; cannot fail (room reserved). */
static void recode_swap(Workspace *ws, Dataset *ds, RecodeTarget *targets, int32_t n)
{
    for (int32_t v = 0; v < n; v++) {
        RecodeTarget *t = &targets[v];
        if (t->in_place)
            column_free(dataset_replace_column(ds, t->made));
        else
            ds->columns[ds->n_columns++] = t->made;
        t->made = NULL;
        if (t->labels) {
            MdError ignored;
            md_error_clear(&ignored);
            if (workspace_put_label_list(ws, t->labels, &ignored) != MD_OK)
                label_list_free(t->labels);
            t->labels = NULL;
        }
    }
}

MdStatus handle_recode(CommandContext *ctx)
{
    Dataset *ds = cmd_active(ctx);
    if (!ds)
        return ctx->err->status;
    Workspace *ws = ctx->ws;
    Arena *arena = arena_new(4096);
    if (!arena)
        return cmd_fail(ctx, MD_ERR_MEMORY, "out of memory");
    RecodeSpec *spec = lang_parse_recode(arena, ctx->command->args, ctx->command->n_args,
                                         ctx->err);
    RecodeTarget *targets = NULL;
    uint8_t *mask = NULL;
    MdStatus status = spec ? MD_OK : ctx->err->status;
    if (status == MD_OK && !(targets = md_calloc((size_t)spec->n_variables + 1, sizeof *targets)))
        status = cmd_fail(ctx, MD_ERR_MEMORY, "out of memory");
    if (status == MD_OK)
        status = recode_targets(ctx, ds, spec, arena, targets);
    if (status == MD_OK && ctx->command->condition) {
        if (!(mask = md_malloc((size_t)(ds->n_rows > 0 ? ds->n_rows : 1))))
            status = cmd_fail(ctx, MD_ERR_MEMORY, "out of memory");
        else
            status = expr_evaluate_condition(ws, ds, ctx->command->condition, mask, ctx->err);
    }
    for (int32_t v = 0; status == MD_OK && v < spec->n_variables; v++)
        status = recode_build(ctx, spec, ds, &targets[v], mask);
    if (status == MD_OK &&
        (dataset_reserve_columns(ds, spec->n_variables) != MD_OK ||
         md_grow((void **)&ws->label_lists, &ws->cap_label_lists,
                 (size_t)(ws->n_label_lists + spec->n_variables), sizeof *ws->label_lists)))
        status = cmd_fail(ctx, MD_ERR_MEMORY, "out of memory recoding");
    if (status == MD_OK) {
        recode_swap(ws, ds, targets, spec->n_variables);
        status = cmd_done(ctx, "recoded %d variable%s", spec->n_variables,
                         spec->n_variables == 1 ? "" : "s");
    }
    for (int32_t v = 0; targets && v < spec->n_variables; v++) {
        column_free(targets[v].made);
        label_list_free(targets[v].labels);
    }
    md_free(targets);
    md_free(mask);
    arena_free(arena);
    return status;
}
