/*
 * cmd_generate.c - the generate and replace commands.
 *
 *   generate NAME = EXPR [if COND]   a new variable; rows failing COND get missing
 *   replace NAME = EXPR [if COND]    rows where COND holds get the new value; the type may
 *                                    change (replace x = string(x)) only if every row does
 *
 * Both build the new column aside, apply the small-change rule R2 (spec/disclosure.md 4)
 * through sdc_check_change unless the workspace is trusted, and only then swap the column
 * in, so a failure changes nothing. generate counts as changed the units that get a
 * non-missing value; when the expression holds a condition (a comparison, &, |, ! or a
 * filter function such as inlist), a number result also counts the units whose value is
 * non-zero, so an indicator, or a product with one, that singles out a few units is refused
 * (attack tests B2, B7, C3) while plain arithmetic such as an age that is 0 for a few
 * newborns is not; replace counts the units with at least one row whose value differs.
 * The result entry says what was done, never how many rows or units.
 */
#include "engine/engine_int.h"

#include <math.h>
#include <string.h>

static Dataset *active_dataset(CommandContext *ctx)
{
    Workspace *ws = ctx->ws;
    if (ws->active < 0 || ws->active >= ws->n_datasets)
        return NULL;
    return ws->datasets[ws->active];
}

static MdStatus fail_at(CommandContext *ctx, MdStatus status)
{
    md_error_at(ctx->err, ctx->command->line, ctx->command->column);
    md_error_where(ctx->err, "%s", ctx->command->spec ? ctx->command->spec->name : "");
    return status;
}

/* Checks the command shape and finds the dataset and the target name. */
static MdStatus assignment_parts(CommandContext *ctx, const char *verb, Dataset **dataset,
                                 const char **name)
{
    const Command *command = ctx->command;
    MdError *err = ctx->err;
    if (command->n_args != 1 || command->args[0].kind != TOKEN_NAME || !command->value) {
        md_error_set(err, MD_ERR_SYNTAX, "%s needs a variable name, = and an expression", verb);
        md_error_hint(err, "e.g. %s x = a + b if c > 0", verb);
        return fail_at(ctx, err->status);
    }
    *name = command->args[0].text;
    *dataset = active_dataset(ctx);
    if (!*dataset) {
        md_error_set(err, MD_ERR_NAME, "%s needs an active dataset", verb);
        md_error_hint(err, "create one with create-dataset NAME, or switch with use NAME");
        return fail_at(ctx, err->status);
    }
    return MD_OK;
}

/* The condition mask (all rows when there is no `if`), returned owned (md_free). */
static uint8_t *condition_mask(CommandContext *ctx, const Dataset *dataset)
{
    int64_t n = dataset->n_rows;
    uint8_t *mask = md_malloc(n > 0 ? (size_t)n : 1);
    if (!mask) {
        md_error_set(ctx->err, MD_ERR_MEMORY, "out of memory evaluating the if condition");
        return NULL;
    }
    if (!ctx->command->condition) {
        memset(mask, 1, (size_t)n);
        return mask;
    }
    if (expr_evaluate_condition(ctx->ws, dataset, ctx->command->condition, mask, ctx->err) !=
        MD_OK) {
        md_free(mask);
        return NULL;
    }
    return mask;
}

/* R2: refused when 1..k-1 units change or 1..k-1 units stay as they were. */
static MdStatus check_small_change(CommandContext *ctx, const Dataset *dataset,
                                   const uint8_t *changed)
{
    Workspace *ws = ctx->ws;
    if (ws->options.trusted)
        return MD_OK;
    if (!ws->sdc) {
        md_error_set(ctx->err, MD_ERR_INTERNAL, "disclosure control is not configured");
        return ctx->err->status;
    }
    int64_t n_changed = dataset_count_units_where(dataset, changed);
    int64_t n_total = dataset_distinct_units(dataset);
    return sdc_check_change(ws->sdc, n_changed, n_total, ctx->err);
}

/* True when expr contains a condition: a comparison, a logical operator or a filter
 * function. Such a result can act as an indicator of a few units. */
static bool has_condition(const Expr *expr)
{
    static const char *const filters[] = {"inlist", "inrange", "sysmiss", "startswith",
                                          "endswith", "inlabels", "labelcontains",
                                          "rowmissing", "rowvalid"};
    if (!expr)
        return false;
    if ((expr->kind == EXPR_BINARY && expr->op >= OP_EQ) ||
        (expr->kind == EXPR_UNARY && expr->op == OP_NOT))
        return true;
    if (expr->kind == EXPR_CALL) {
        for (size_t i = 0; i < MD_ARRAY_LEN(filters); i++) {
            if (strcmp(expr->text, filters[i]) == 0)
                return true;
        }
    }
    for (int32_t i = 0; i < expr->n_args; i++) {
        if (has_condition(expr->args[i]))
            return true;
    }
    return false;
}

static MdStatus generate_run(CommandContext *ctx)
{
    Dataset *dataset;
    const char *name;
    MdError *err = ctx->err;
    if (assignment_parts(ctx, "generate", &dataset, &name) != MD_OK)
        return err->status;
    if (!column_name_valid(name)) {
        md_error_set(err, MD_ERR_NAME, "%s is not a valid variable name", name);
        md_error_hint(err, "use letters, digits and _, not starting with a digit");
        return fail_at(ctx, err->status);
    }
    if (dataset_column(dataset, name)) {
        md_error_set(err, MD_ERR_NAME, "variable %s already exists", name);
        md_error_hint(err, "use replace to change it, or choose a new name");
        return fail_at(ctx, err->status);
    }
    Column *column = expr_evaluate(ctx->ws, dataset, ctx->command->value, err);
    uint8_t *mask = column ? condition_mask(ctx, dataset) : NULL;
    MdStatus status = mask ? MD_OK : err->status;
    if (status == MD_OK)
        status = column_rename(column, name);
    for (int64_t i = 0; status == MD_OK && i < dataset->n_rows; i++) {
        if (!mask[i] && column->type == COLUMN_NUMBER)
            column->numbers[i] = column_missing_number();
        else if (!mask[i])
            column->codes[i] = COLUMN_STRING_MISSING;
        mask[i] = !column_is_missing(column, i); /* now: units that get a value */
    }
    if (status == MD_OK)
        status = check_small_change(ctx, dataset, mask);
    if (status == MD_OK && column->type == COLUMN_NUMBER &&
        has_condition(ctx->command->value)) {
        for (int64_t i = 0; i < dataset->n_rows; i++)
            mask[i] = mask[i] && column->numbers[i] != 0; /* units with a non-zero value */
        status = check_small_change(ctx, dataset, mask);
    }
    if (status == MD_OK && (dataset_reserve_columns(dataset, 1) != MD_OK ||
                            result_entry_text(ctx->entry, "variable %s created", name) != MD_OK))
        status = MD_ERR_MEMORY;
    if (status == MD_OK)
        status = dataset_add_column(dataset, column, err); /* cannot fail now */
    md_free(mask);
    if (status != MD_OK) {
        column_free(column);
        if (status == MD_ERR_MEMORY)
            md_error_set(err, MD_ERR_MEMORY, "out of memory in generate");
        return fail_at(ctx, status);
    }
    return MD_OK;
}

static MdStatus replace_type_check(CommandContext *ctx, const Column *old, const Column *value,
                                   const uint8_t *mask, int64_t n_rows)
{
    if (old->type == value->type)
        return MD_OK;
    for (int64_t i = 0; i < n_rows; i++) {
        if (mask[i])
            continue;
        md_error_set(ctx->err, MD_ERR_TYPE, "replace can change %s from %s to %s only when "
                     "every row is replaced", old->name,
                     old->type == COLUMN_NUMBER ? "a number" : "a string",
                     value->type == COLUMN_NUMBER ? "a number" : "a string");
        md_error_hint(ctx->err, "drop the if condition, or generate a new variable");
        return MD_ERR_TYPE;
    }
    return MD_OK;
}

/* Builds the replaced column: a copy of old with value written where mask holds. */
static Column *replace_build(const Column *old, const Column *value, const uint8_t *mask,
                             int64_t n_rows)
{
    if (old->type != value->type)
        return column_copy(value, n_rows, old->name); /* free text if value read free text */
    Column *out = column_copy(old, n_rows, NULL);
    if (!out)
        return NULL;
    out->is_free_text = old->is_free_text || value->is_free_text;
    for (int64_t i = 0; i < n_rows; i++) {
        if (!mask[i])
            continue;
        if (out->type == COLUMN_NUMBER) {
            out->numbers[i] = value->numbers[i];
            continue;
        }
        const char *s = column_string_at(value, i);
        out->codes[i] = s ? string_pool_intern(out->pool, s, strlen(s)) : COLUMN_STRING_MISSING;
        if (s && out->codes[i] == COLUMN_STRING_MISSING) {
            column_free(out);
            return NULL;
        }
    }
    return out;
}

static MdStatus replace_target(CommandContext *ctx, Dataset *dataset, const char *name,
                               const Column **old)
{
    MdError *err = ctx->err;
    *old = dataset_column(dataset, name);
    if (!*old) {
        md_error_set(err, MD_ERR_NAME, "unknown variable %s in dataset %s", name,
                     dataset->name);
        md_error_hint(err, "create it with generate %s = ...", name);
        return fail_at(ctx, err->status);
    }
    if ((*old)->pointer_to) {
        md_error_set(err, MD_ERR_TYPE, "%s holds %s identifiers and cannot be replaced", name,
                     (*old)->pointer_to);
        md_error_hint(err, "generate a new variable instead");
        return fail_at(ctx, err->status);
    }
    return MD_OK;
}

static MdStatus replace_run(CommandContext *ctx)
{
    Dataset *dataset;
    const char *name;
    const Column *old;
    MdError *err = ctx->err;
    if (assignment_parts(ctx, "replace", &dataset, &name) != MD_OK ||
        replace_target(ctx, dataset, name, &old) != MD_OK)
        return err->status;
    int64_t n = dataset->n_rows;
    Column *value = expr_evaluate(ctx->ws, dataset, ctx->command->value, err);
    uint8_t *mask = value ? condition_mask(ctx, dataset) : NULL;
    Column *fresh = NULL;
    MdStatus status = mask ? replace_type_check(ctx, old, value, mask, n) : err->status;
    if (status == MD_OK && !(fresh = replace_build(old, value, mask, n)))
        status = md_error_set(err, MD_ERR_MEMORY, "out of memory in replace");
    for (int64_t i = 0; status == MD_OK && i < n; i++)
        mask[i] = !column_values_equal(old, i, fresh, i); /* now: rows that change */
    if (status == MD_OK)
        status = check_small_change(ctx, dataset, mask);
    if (status == MD_OK && result_entry_text(ctx->entry, "variable %s replaced", name) != MD_OK)
        status = md_error_set(err, MD_ERR_MEMORY, "out of memory writing the result");
    md_free(mask);
    column_free(value);
    if (status != MD_OK) {
        column_free(fresh);
        return fail_at(ctx, status);
    }
    column_free(dataset_replace_column(dataset, fresh));
    return MD_OK;
}

MdStatus cmd_generate(CommandContext *ctx)
{
    return generate_run(ctx);
}

MdStatus cmd_replace(CommandContext *ctx)
{
    return replace_run(ctx);
}
