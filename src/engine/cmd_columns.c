/*
 * cmd_columns.c - rename, clone-variables, drop and keep (language.md 4.2).
 *
 * drop/keep take either a variable list (columns) or `if COND` (rows), never both. Row
 * filters count distinct units and pass the population floor (R1) and the small-change rule
 * (R2) of disclosure control unless the run is trusted; their messages never give counts.
 * date@panel cannot be dropped (it is the panel's time axis); the unit id is not a column.
 */
#include "engine/commands.h"

#include <stdio.h>
#include <string.h>

static bool columns_is_protected(const Dataset *ds, const char *name)
{
    return ds->shape == SHAPE_PANEL && strcmp(name, "date@panel") == 0;
}

/* The names of the variable list (all TOKEN_NAME), checked to exist, no duplicates. The
 * unit identifier may be listed in keep (index -1: it always stays), not in drop. */
static MdStatus columns_varlist(CommandContext *ctx, const Dataset *ds, bool keep,
                                int32_t *indices)
{
    const Command *c = ctx->command;
    for (int32_t i = 0; i < c->n_args; i++) {
        const Token *t = &c->args[i];
        if (t->kind != TOKEN_NAME) {
            char msg[160];
            snprintf(msg, sizeof msg, "'%s' is not a variable name", t->text);
            return cmd_fail_usage(ctx, msg);
        }
        if (ds->id_name && strcmp(t->text, ds->id_name) == 0 && !dataset_column(ds, t->text)) {
            if (!keep)
                return cmd_fail(ctx, MD_ERR_NAME, "%s is the unit identifier of %s and cannot "
                                "be dropped", t->text, ds->name);
            indices[i] = -1; /* keep: the identifier always stays */
            continue;
        }
        if (!cmd_column(ctx, ds, t->text))
            return ctx->err->status;
        indices[i] = dataset_column_index(ds, t->text);
        for (int32_t k = 0; k < i; k++) {
            if (indices[k] == indices[i] && indices[i] >= 0)
                return cmd_fail(ctx, MD_ERR_NAME, "%s is listed twice", t->text);
        }
    }
    return MD_OK;
}

/* Keeps (keep = true) or drops the listed columns. */
static MdStatus columns_select(CommandContext *ctx, Dataset *ds, bool keep)
{
    const Command *c = ctx->command;
    int32_t *indices = md_calloc((size_t)c->n_args + 1, sizeof *indices);
    uint8_t *listed = md_calloc((size_t)ds->n_columns + 1, 1);
    if (!indices || !listed) {
        md_free(indices);
        md_free(listed);
        return cmd_fail(ctx, MD_ERR_MEMORY, "out of memory");
    }
    MdStatus status = columns_varlist(ctx, ds, keep, indices);
    for (int32_t i = 0; status == MD_OK && i < c->n_args; i++) {
        if (indices[i] < 0)
            continue;
        listed[indices[i]] = 1;
        if (!keep && columns_is_protected(ds, ds->columns[indices[i]]->name))
            status = cmd_fail(ctx, MD_ERR_VALUE, "date@panel is the time axis of panel %s "
                              "and cannot be dropped", ds->name);
    }
    if (status == MD_OK) {
        /* nothing can fail from here: compact the column array in place */
        int32_t n = 0, removed = 0;
        for (int32_t i = 0; i < ds->n_columns; i++) {
            Column *col = ds->columns[i];
            bool stays = keep ? listed[i] || columns_is_protected(ds, col->name) : !listed[i];
            if (stays)
                ds->columns[n++] = col;
            else {
                column_free(col);
                removed++;
            }
        }
        ds->n_columns = n;
        int32_t count = keep ? n : removed;
        status = cmd_done(ctx, "%s %d variable%s", keep ? "kept" : "dropped", count,
                         count == 1 ? "" : "s");
    }
    md_free(indices);
    md_free(listed);
    return status;
}

/* Keeps (keep = true) or drops the rows where the condition holds. */
static MdStatus columns_filter(CommandContext *ctx, Dataset *ds, bool keep)
{
    uint8_t *mask = md_malloc((size_t)(ds->n_rows > 0 ? ds->n_rows : 1));
    if (!mask)
        return cmd_fail(ctx, MD_ERR_MEMORY, "out of memory evaluating the condition");
    MdStatus status = expr_evaluate_condition(ctx->ws, ds, ctx->command->condition, mask,
                                              ctx->err);
    if (status == MD_OK) {
        if (!keep)
            for (int64_t i = 0; i < ds->n_rows; i++)
                mask[i] = !mask[i];
        status = cmd_check_filter(ctx, ds, mask);
    }
    Dataset *next = NULL;
    if (status == MD_OK && !(next = dataset_subset_mask(ds, mask, NULL, ctx->err)))
        status = ctx->err->status;
    md_free(mask);
    if (status != MD_OK)
        return status;
    dataset_swap(ds, next);
    dataset_free(next);
    return cmd_done(ctx, keep ? "kept the rows where the condition holds"
                             : "dropped the rows where the condition holds");
}

static MdStatus columns_keep_or_drop(CommandContext *ctx, bool keep)
{
    Dataset *ds = cmd_active(ctx);
    if (!ds)
        return ctx->err->status;
    const Command *c = ctx->command;
    if (c->condition && c->n_args > 0)
        return cmd_fail_usage(ctx, "give a variable list or `if CONDITION`, not both");
    if (c->condition)
        return columns_filter(ctx, ds, keep);
    if (c->n_args == 0)
        return cmd_fail_usage(ctx, "give a variable list or `if CONDITION`");
    return columns_select(ctx, ds, keep);
}

MdStatus handle_drop(CommandContext *ctx) { return columns_keep_or_drop(ctx, false); }

MdStatus handle_keep(CommandContext *ctx) { return columns_keep_or_drop(ctx, true); }

MdStatus handle_rename(CommandContext *ctx)
{
    const char *names[2];
    Dataset *ds = cmd_active(ctx);
    if (!ds || cmd_args_names(ctx, 2, names) != MD_OK)
        return ctx->err->status;
    Column *col = cmd_column(ctx, ds, names[0]);
    if (!col)
        return ctx->err->status;
    if (strchr(names[0], '@'))
        return cmd_fail(ctx, MD_ERR_NAME, "%s is a system variable and keeps its name",
                        names[0]);
    if (cmd_check_new_variable(ctx, ds, names[1]) != MD_OK)
        return ctx->err->status;
    if (column_rename(col, names[1]) != MD_OK)
        return cmd_fail(ctx, MD_ERR_MEMORY, "out of memory renaming %s", names[0]);
    return cmd_done(ctx, "renamed %s to %s", names[0], names[1]);
}

/* ==== clone-variables ================================================================== */

typedef struct ClonePair {
    const char *source;
    char target[192];
} ClonePair;

/* Reads `v [-> new] ...` into pairs, applying prefix() and suffix() to unnamed targets. */
static MdStatus columns_clone_pairs(CommandContext *ctx, ClonePair *pairs, int32_t *n_pairs)
{
    const char *prefix = NULL, *suffix = NULL;
    if (cmd_option_word(ctx, "prefix", &prefix) != MD_OK ||
        cmd_option_word(ctx, "suffix", &suffix) != MD_OK)
        return ctx->err->status;
    const Command *c = ctx->command;
    int32_t n = 0;
    for (int32_t i = 0; i < c->n_args; i++) {
        const Token *t = &c->args[i];
        if (t->kind != TOKEN_NAME)
            return cmd_fail_usage(ctx, "write VARIABLE [-> NEW] ...");
        ClonePair *p = &pairs[n++];
        p->source = t->text;
        if (i + 1 < c->n_args && strcmp(c->args[i + 1].text, "->") == 0) {
            if (i + 2 >= c->n_args || c->args[i + 2].kind != TOKEN_NAME)
                return cmd_fail_usage(ctx, "a new name must follow ->");
            snprintf(p->target, sizeof p->target, "%s", c->args[i + 2].text);
            i += 2;
        } else if (prefix || suffix) {
            snprintf(p->target, sizeof p->target, "%s%s%s", prefix ? prefix : "", t->text,
                     suffix ? suffix : "");
        } else {
            return cmd_fail(ctx, MD_ERR_SYNTAX, "give %s a new name (%s -> NEW) or use "
                            "prefix() or suffix()", t->text, t->text);
        }
    }
    *n_pairs = n;
    if (n == 0)
        return cmd_fail_usage(ctx, "name at least one variable to clone");
    return MD_OK;
}

MdStatus handle_clone_variables(CommandContext *ctx)
{
    Dataset *ds = cmd_active(ctx);
    if (!ds)
        return ctx->err->status;
    int32_t n = 0;
    ClonePair *pairs = md_calloc((size_t)ctx->command->n_args + 1, sizeof *pairs);
    if (!pairs)
        return cmd_fail(ctx, MD_ERR_MEMORY, "out of memory");
    MdStatus status = columns_clone_pairs(ctx, pairs, &n);
    for (int32_t i = 0; status == MD_OK && i < n; i++) {
        if (!cmd_column(ctx, ds, pairs[i].source) ||
            cmd_check_new_variable(ctx, ds, pairs[i].target) != MD_OK)
            status = ctx->err->status;
        for (int32_t k = 0; status == MD_OK && k < i; k++) {
            if (strcmp(pairs[k].target, pairs[i].target) == 0)
                status = cmd_fail(ctx, MD_ERR_NAME, "%s is made twice", pairs[i].target);
        }
    }
    Column **made = md_calloc((size_t)n + 1, sizeof *made);
    if (status == MD_OK && (!made || dataset_reserve_columns(ds, n) != MD_OK))
        status = cmd_fail(ctx, MD_ERR_MEMORY, "out of memory cloning variables");
    for (int32_t i = 0; status == MD_OK && i < n; i++) {
        made[i] = column_copy(dataset_column(ds, pairs[i].source), ds->n_rows, pairs[i].target);
        if (!made[i])
            status = cmd_fail(ctx, MD_ERR_MEMORY, "out of memory cloning variables");
    }
    if (status == MD_OK) {
        for (int32_t i = 0; i < n; i++)
            ds->columns[ds->n_columns++] = made[i];
        status = cmd_done(ctx, "cloned %d variable%s", n, n == 1 ? "" : "s");
    } else if (made) {
        for (int32_t i = 0; i < n; i++)
            column_free(made[i]);
    }
    md_free(made);
    md_free(pairs);
    return status;
}
