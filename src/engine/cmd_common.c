/*
 * cmd_common.c - helpers shared by the data-handling commands: error and argument helpers,
 * column and dataset copies built off to the side (gathers by row index, so no per-row
 * allocation), index sorting, and the R1/R2 disclosure checks of row filters.
 */
#include "engine/commands.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ==== Errors and arguments ============================================================= */

MdStatus cmd_fail(CommandContext *ctx, MdStatus status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    md_error_setv(ctx->err, status, fmt, ap);
    va_end(ap);
    return ctx->err->status;
}

MdStatus cmd_fail_usage(CommandContext *ctx, const char *problem)
{
    const CommandSpec *spec = ctx->command->spec;
    md_error_set(ctx->err, MD_ERR_SYNTAX, "%s: %s", spec->name, problem);
    md_error_hint(ctx->err, "usage: %s", spec->syntax ? spec->syntax : spec->name);
    return ctx->err->status;
}

MdStatus cmd_say(CommandContext *ctx, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (result_entry_text(ctx->entry, "%s", buf) != MD_OK)
        return md_error_set(ctx->err, MD_ERR_MEMORY, "out of memory writing the result");
    return MD_OK;
}

MdStatus cmd_done(CommandContext *ctx, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    (void)!result_entry_text(ctx->entry, "%s", buf); /* best effort: the change is made */
    return MD_OK;
}

const char *cmd_arg_text(const CommandContext *ctx, int32_t i)
{
    if (i < 0 || i >= ctx->command->n_args)
        return NULL;
    return ctx->command->args[i].text;
}

MdStatus cmd_args_names(CommandContext *ctx, int32_t n, const char **names)
{
    const Command *c = ctx->command;
    if (c->n_args != n) {
        char msg[128];
        snprintf(msg, sizeof msg, "expected %d name%s, found %d", n, n == 1 ? "" : "s",
                 c->n_args);
        return cmd_fail_usage(ctx, msg);
    }
    for (int32_t i = 0; i < n; i++) {
        if (c->args[i].kind == TOKEN_STRING) {
            md_error_set(ctx->err, MD_ERR_SYNTAX, "%s: expected a name, found the string "
                         "'%s'", c->spec->name, c->args[i].text);
            md_error_hint(ctx->err, "a name has no quotes: if it comes from a binding, bind "
                          "the name without quotes (let v = name) or write to_symbol($v)");
            return ctx->err->status;
        }
        if (c->args[i].kind != TOKEN_NAME) {
            char msg[160];
            snprintf(msg, sizeof msg, "'%s' is not a name", c->args[i].text);
            return cmd_fail_usage(ctx, msg);
        }
        names[i] = c->args[i].text;
    }
    return MD_OK;
}

Dataset *cmd_active(CommandContext *ctx)
{
    Dataset *ds = workspace_active(ctx->ws);
    if (!ds) {
        md_error_set(ctx->err, MD_ERR_NAME, "there is no active dataset");
        md_error_hint(ctx->err, "create one with create-dataset NAME or switch with use NAME");
    }
    return ds;
}

Column *cmd_column(CommandContext *ctx, const Dataset *ds, const char *name)
{
    Column *column = dataset_column(ds, name);
    if (column)
        return column;
    const char **names = md_calloc((size_t)ds->n_columns + 1, sizeof *names);
    const char *near = NULL;
    if (names) {
        for (int32_t i = 0; i < ds->n_columns; i++)
            names[i] = ds->columns[i]->name;
        near = text_suggest(name, names, (size_t)ds->n_columns);
    }
    md_error_set(ctx->err, MD_ERR_NAME, "dataset '%s' has no variable '%s'", ds->name, name);
    if (near)
        md_error_hint(ctx->err, "did you mean '%s'?", near);
    else
        md_error_hint(ctx->err, "`variables` lists the variables of the active dataset");
    md_free(names);
    return NULL;
}

MdStatus cmd_refuse_pointer(CommandContext *ctx, const Column *column)
{
    if (!column->pointer_to)
        return MD_OK;
    md_error_set(ctx->err, MD_ERR_TYPE,
                 "'%s' holds pseudonymised identifiers of %s units and can only be a key",
                 column->name, column->pointer_to);
    md_error_hint(ctx->err, "use it in merge ... on %s or collapse ..., by(%s)", column->name,
                  column->name);
    return MD_ERR_TYPE;
}

MdStatus cmd_check_new_variable(CommandContext *ctx, const Dataset *ds, const char *name)
{
    if (!column_name_valid(name)) {
        md_error_set(ctx->err, MD_ERR_NAME, "'%s' is not a valid variable name", name);
        md_error_hint(ctx->err, "names start with a letter or _ and hold letters, digits "
                                "and _ (names with @ are reserved)");
        return MD_ERR_NAME;
    }
    if (dataset_column(ds, name) || (ds->id_name && strcmp(ds->id_name, name) == 0)) {
        md_error_set(ctx->err, MD_ERR_NAME, "dataset '%s' already has a variable '%s'",
                     ds->name, name);
        md_error_hint(ctx->err, "choose another name, or drop or rename the existing one");
        return MD_ERR_NAME;
    }
    return MD_OK;
}

MdStatus cmd_option_word(CommandContext *ctx, const char *option, const char **out)
{
    *out = NULL;
    const Option *opt = command_option(ctx->command, option);
    if (!opt)
        return MD_OK;
    if (opt->n_tokens != 1 || (opt->tokens[0].kind != TOKEN_NAME &&
                               opt->tokens[0].kind != TOKEN_STRING)) {
        md_error_set(ctx->err, MD_ERR_SYNTAX, "option %s() takes one name", option);
        md_error_hint(ctx->err, "write %s(text)", option);
        return MD_ERR_SYNTAX;
    }
    *out = opt->tokens[0].text;
    return MD_OK;
}

/* ==== Datasets ========================================================================= */

Dataset *cmd_dataset_shell(const Dataset *ds, const char *name)
{
    Dataset *out = dataset_new(name);
    if (!out)
        return NULL;
    out->shape = ds->shape;
    if ((ds->unit_type && !(out->unit_type = md_strdup(ds->unit_type))) ||
        (ds->id_name && !(out->id_name = md_strdup(ds->id_name)))) {
        dataset_free(out);
        return NULL;
    }
    return out;
}

void cmd_unit_keys(const Workspace *ws, const uint64_t *ids, int64_t n, uint64_t *keys)
{
    if (ws->sdc) {
        sdc_unit_keys(ws->sdc, ids, n, keys);
        return;
    }
    for (int64_t i = 0; i < n; i++)
        keys[i] = md_hash_u64(ids[i]);
}

/* ==== Sorting ========================================================================== */

static int cmd_pair_compare(const void *a, const void *b)
{
    const SortPair *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return (x->row > y->row) - (x->row < y->row);
}

/* LSD radix sort on the 8 key bytes: stable, so equal keys keep their row order (pairs are
 * made in row order). Passes whose byte is the same for every key are skipped. */
static bool cmd_radix_pairs(SortPair *pairs, int64_t n)
{
    SortPair *tmp = md_malloc((size_t)n * sizeof *tmp);
    int64_t (*counts)[256] = md_calloc(8, sizeof *counts);
    if (!tmp || !counts) {
        md_free(tmp);
        md_free(counts);
        return false;
    }
    for (int64_t i = 0; i < n; i++)
        for (int b = 0; b < 8; b++)
            counts[b][(pairs[i].key >> (8 * b)) & 0xff]++;
    SortPair *from = pairs, *to = tmp;
    for (int b = 0; b < 8; b++) {
        if (counts[b][(pairs[0].key >> (8 * b)) & 0xff] == n)
            continue; /* every key has the same byte here */
        int64_t offset = 0;
        for (int v = 0; v < 256; v++) {
            int64_t c = counts[b][v];
            counts[b][v] = offset;
            offset += c;
        }
        for (int64_t i = 0; i < n; i++)
            to[counts[b][(from[i].key >> (8 * b)) & 0xff]++] = from[i];
        SortPair *swap = from;
        from = to;
        to = swap;
    }
    if (from != pairs)
        memcpy(pairs, from, (size_t)n * sizeof *pairs);
    md_free(tmp);
    md_free(counts);
    return true;
}

void cmd_sort_pairs(SortPair *pairs, int64_t n)
{
    if (n < 2)
        return;
    if (n < 64 || !cmd_radix_pairs(pairs, n)) /* small, or no memory: sort in place */
        qsort(pairs, (size_t)n, sizeof *pairs, cmd_pair_compare);
}

uint64_t cmd_double_key(double value)
{
    if (isnan(value))
        return UINT64_MAX;
    if (value == 0)
        value = 0; /* -0 and +0 are one key */
    uint64_t bits;
    memcpy(&bits, &value, sizeof bits);
    return (bits >> 63) ? ~bits : bits | (UINT64_C(1) << 63);
}

bool cmd_double_to_id(double value, uint64_t *id)
{
    if (!(value >= 0) || value > 9007199254740992.0 || value != floor(value))
        return false;
    *id = (uint64_t)value;
    return true;
}

/* ==== Disclosure checks of row filters ================================================= */

/* Counts distinct units (rows are sorted by unit id) in total and among kept rows. */
static void cmd_count_units(const Dataset *ds, const uint8_t *mask, int64_t *total,
                            int64_t *kept)
{
    *total = 0;
    *kept = 0;
    for (int64_t i = 0; i < ds->n_rows;) {
        int64_t j = i;
        bool any = false;
        while (j < ds->n_rows && ds->unit_ids[j] == ds->unit_ids[i]) {
            any = any || mask[j];
            j++;
        }
        (*total)++;
        *kept += any;
        i = j;
    }
}

MdStatus cmd_check_filter(CommandContext *ctx, const Dataset *ds, const uint8_t *mask)
{
    if (ctx->ws->options.trusted || !ctx->ws->sdc)
        return MD_OK;
    int64_t total, kept;
    cmd_count_units(ds, mask, &total, &kept);
    if (sdc_check_change(ctx->ws->sdc, total - kept, total, ctx->err) != MD_OK)
        return ctx->err->status;
    if (ds->shape == SHAPE_COLLAPSED) /* groups, not register units: R1/R15 do not apply */
        return MD_OK;
    uint64_t *ids = md_malloc((size_t)(kept > 0 ? kept : 1) * sizeof *ids);
    if (!ids)
        return md_error_set(ctx->err, MD_ERR_MEMORY, "out of memory checking the population");
    int64_t n = 0;
    for (int64_t i = 0; i < ds->n_rows; i++) {
        if (mask[i] && (n == 0 || ids[n - 1] != ds->unit_ids[i]))
            ids[n++] = ds->unit_ids[i];
    }
    MdStatus status = sdc_check_population_units(ctx->ws->sdc, ids, n, ctx->err);
    md_free(ids);
    return status;
}
