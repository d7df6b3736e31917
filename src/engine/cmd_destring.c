/*
 * cmd_destring.c - `destring VARLIST [, prefix(P) ignore('CHARS') force dpcomma]`: text
 * variables to numbers (language.md 4.2), in place or into P<var>.
 *
 * Each distinct text is converted once: the ignore() characters are removed, dpcomma makes
 * a comma the decimal mark, surrounding blanks are allowed, the empty text is missing. A
 * text that is still not a number fails the command (naming the variable, never the
 * value) unless `force` makes it missing. Label lists and register code lists stay
 * attached (their codes are matched as numbers from then on).
 */
#include "engine/commands.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct DestringOptions {
    const char *prefix;
    const char *ignore;
    bool force;
    bool dpcomma;
} DestringOptions;

/* Converts one text; false if it is not a number. Empty text gives missing. */
static bool destring_value(const char *s, const DestringOptions *o, char *buf, size_t cap,
                           double *out)
{
    size_t n = 0;
    for (const char *p = s; *p && n + 1 < cap; p++) {
        if (o->ignore && strchr(o->ignore, *p))
            continue;
        buf[n++] = o->dpcomma && *p == ',' ? '.' : *p;
        if (o->dpcomma && *p == '.')
            return false; /* with dpcomma a point is not a decimal mark */
    }
    buf[n] = '\0';
    size_t start = 0;
    while (start < n && (buf[start] == ' ' || buf[start] == '\t'))
        start++;
    if (start == n) {
        *out = column_missing_number();
        return true;
    }
    return text_parse_double(buf + start, n - start, true, out) && isfinite(*out);
}

static MdStatus destring_options(CommandContext *ctx, DestringOptions *o)
{
    memset(o, 0, sizeof *o);
    if (cmd_option_word(ctx, "prefix", &o->prefix) != MD_OK ||
        cmd_option_word(ctx, "ignore", &o->ignore) != MD_OK)
        return ctx->err->status;
    o->force = command_option(ctx->command, "force") != NULL;
    o->dpcomma = command_option(ctx->command, "dpcomma") != NULL;
    return MD_OK;
}

/* The numeric version of src named name; NULL with err set. */
static Column *destring_column(CommandContext *ctx, const Dataset *ds, const Column *src,
                               const char *name, const DestringOptions *o)
{
    uint32_t n_codes = src->pool->n;
    double *values = md_malloc(((size_t)n_codes + 1) * sizeof *values);
    Column *out = column_new_number(name, ds->n_rows);
    char buf[512];
    if (!values || !out || column_copy_attributes(out, src) != MD_OK) {
        md_free(values);
        column_free(out);
        cmd_fail(ctx, MD_ERR_MEMORY, "out of memory converting %s", src->name);
        return NULL;
    }
    for (uint32_t k = 0; k < n_codes; k++) {
        if (destring_value(src->pool->strings[k], o, buf, sizeof buf, &values[k]))
            continue;
        if (!o->force) {
            md_free(values);
            column_free(out);
            md_error_set(ctx->err, MD_ERR_VALUE, "%s holds text that is not a number",
                         src->name);
            md_error_hint(ctx->err, "add `force` to make such values missing, or ignore('...') "
                                    "to strip characters first");
            return NULL;
        }
        values[k] = column_missing_number();
    }
    for (int64_t i = 0; i < ds->n_rows; i++) {
        uint32_t code = src->codes[i];
        out->numbers[i] = code == COLUMN_STRING_MISSING ? column_missing_number() : values[code];
    }
    md_free(values);
    return out;
}

MdStatus handle_destring(CommandContext *ctx)
{
    Dataset *ds = cmd_active(ctx);
    DestringOptions o;
    if (!ds || destring_options(ctx, &o) != MD_OK)
        return ctx->err->status;
    const Command *c = ctx->command;
    if (c->n_args == 0)
        return cmd_fail_usage(ctx, "name the text variables to convert");
    Column **made = md_calloc((size_t)c->n_args, sizeof *made);
    char name[192];
    MdStatus status = made ? MD_OK : cmd_fail(ctx, MD_ERR_MEMORY, "out of memory");
    for (int32_t i = 0; status == MD_OK && i < c->n_args; i++) {
        const Column *src = c->args[i].kind == TOKEN_NAME ? cmd_column(ctx, ds, c->args[i].text)
                                                          : NULL;
        if (!src) {
            status = ctx->err->status ? ctx->err->status
                                      : cmd_fail_usage(ctx, "list variable names");
            break;
        }
        if (src->type != COLUMN_STRING) {
            status = cmd_fail(ctx, MD_ERR_TYPE, "%s is numeric already", src->name);
            md_error_hint(ctx->err, "leave it out of the destring list");
            break;
        }
        snprintf(name, sizeof name, "%s%s", o.prefix ? o.prefix : "", src->name);
        if (o.prefix && cmd_check_new_variable(ctx, ds, name) != MD_OK) {
            status = ctx->err->status;
            break;
        }
        for (int32_t k = 0; k < i; k++) {
            if (made[k] && strcmp(made[k]->name, name) == 0)
                status = cmd_fail(ctx, MD_ERR_NAME, "%s is listed twice", src->name);
        }
        if (status == MD_OK && !(made[i] = destring_column(ctx, ds, src, name, &o)))
            status = ctx->err->status;
    }
    if (status == MD_OK && dataset_reserve_columns(ds, c->n_args) != MD_OK)
        status = cmd_fail(ctx, MD_ERR_MEMORY, "out of memory converting");
    for (int32_t i = 0; made && i < c->n_args; i++) {
        if (status != MD_OK)
            column_free(made[i]);
        else if (o.prefix)
            ds->columns[ds->n_columns++] = made[i];
        else
            column_free(dataset_replace_column(ds, made[i]));
    }
    md_free(made);
    if (status != MD_OK)
        return status;
    return cmd_done(ctx, "converted %d variable%s to numbers", c->n_args,
                   c->n_args == 1 ? "" : "s");
}
