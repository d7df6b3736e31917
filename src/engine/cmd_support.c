/*
 * cmd_support.c - the support commands of language.md 4.9: help and help-function (from
 * the lang command and function tables), variables, history and clear. save, load, edit
 * and configure belong to the web client's command window; in scripts they answer with a
 * clear "not available" error.
 *
 * `variables` without arguments describes the active dataset (name, type, label list,
 * source register variable), or, with no active dataset, lists the variables of the
 * connected datastores; with ALIAS/VARIABLE arguments it shows their register metadata.
 */
#include "engine/commands.h"

#include <stdio.h>
#include <string.h>

static const char *const group_names[] = {
    "datasets", "data preparation", "bindings and loops", "statistics", "analysis",
    "regression", "survival analysis", "charts", "support",
};

static MdStatus support_help_all(CommandContext *ctx)
{
    for (size_t g = 0; g < MD_ARRAY_LEN(group_names); g++) {
        if (cmd_say(ctx, "%s%s:", g ? "\n" : "", group_names[g]) != MD_OK)
            return ctx->err->status;
        for (int32_t i = 0; i < lang_command_count(); i++) {
            const CommandSpec *spec = lang_command_at(i);
            if ((size_t)spec->group == g &&
                cmd_say(ctx, "  %s%*s %s", spec->name, text_pad(spec->name, 26), "",
                        spec->summary) != MD_OK)
                return ctx->err->status;
        }
    }
    return cmd_say(ctx, "\nhelp COMMAND shows one command; help-function lists the functions");
}

MdStatus handle_help(CommandContext *ctx)
{
    result_entry_set_kind(ctx->entry, ENTRY_TEXT);
    const Command *c = ctx->command;
    if (c->n_args == 0)
        return support_help_all(ctx);
    if (c->n_args > 1)
        return cmd_fail_usage(ctx, "ask for one command at a time");
    const char *name = c->args[0].text;
    const CommandSpec *spec = lang_command_find(name);
    if (!spec) {
        const char *near = lang_command_suggest(name);
        md_error_set(ctx->err, MD_ERR_NAME, "there is no command '%s'", name);
        md_error_hint(ctx->err, near ? "did you mean '%s'?" : "help lists every command%s",
                      near ? near : "");
        return MD_ERR_NAME;
    }
    if (cmd_say(ctx, "%s - %s", spec->name, spec->summary) != MD_OK ||
        cmd_say(ctx, "usage: %s", spec->syntax) != MD_OK)
        return ctx->err->status;
    for (const OptionSpec *o = spec->options; o && o->name; o++) {
        if (cmd_say(ctx, "option: %s%s", o->name, o->min_args > 0 ? "(...)" : "") != MD_OK)
            return ctx->err->status;
    }
    return MD_OK;
}

MdStatus handle_help_function(CommandContext *ctx)
{
    result_entry_set_kind(ctx->entry, ENTRY_TEXT);
    const Command *c = ctx->command;
    if (c->n_args == 0) {
        for (int32_t i = 0; i < lang_function_count(); i++) {
            const FunctionSpec *f = lang_function_at(i);
            if (cmd_say(ctx, "%s%*s %s", f->signature, text_pad(f->signature, 32), "",
                        f->summary) != MD_OK)
                return ctx->err->status;
        }
        return MD_OK;
    }
    if (c->n_args > 1)
        return cmd_fail_usage(ctx, "ask for one function at a time");
    const FunctionSpec *f = lang_function_find(c->args[0].text);
    if (!f) {
        const char **names = md_calloc((size_t)lang_function_count() + 1, sizeof *names);
        const char *near = NULL;
        if (names) {
            for (int32_t i = 0; i < lang_function_count(); i++)
                names[i] = lang_function_at(i)->name;
            near = text_suggest(c->args[0].text, names, (size_t)lang_function_count());
        }
        md_error_set(ctx->err, MD_ERR_NAME, "there is no function '%s'", c->args[0].text);
        if (near)
            md_error_hint(ctx->err, "did you mean '%s'?", near);
        else
            md_error_hint(ctx->err, "help-function lists every function");
        md_free(names);
        return MD_ERR_NAME;
    }
    if (cmd_say(ctx, "%s", f->signature) != MD_OK || cmd_say(ctx, "%s", f->summary) != MD_OK)
        return ctx->err->status;
    return MD_OK;
}

/* ==== variables ======================================================================== */

static MdStatus support_describe_column(CommandContext *ctx, const Column *col)
{
    char source[200] = "";
    if (col->source) {
        char when[16] = "";
        if (col->source_date != DATE_NONE)
            date_format_iso(col->source_date, when);
        snprintf(source, sizeof source, "  from %s%s%s", col->source->name, *when ? " at " : "",
                 when);
    }
    const char *type = col->pointer_to ? "identifier" : col->type == COLUMN_NUMBER ? "number"
                                                                                   : "text";
    return cmd_say(ctx, "%s%*s %-10s%s%s%s%s%s", col->name, text_pad(col->name, 28), "",
                   type, col->pointer_to ? " of " : "", col->pointer_to ? col->pointer_to : "",
                   col->label_list ? "  labels " : "", col->label_list ? col->label_list : "",
                   source);
}

static MdStatus support_describe_dataset(CommandContext *ctx, const Dataset *ds)
{
    static const char *const shapes[] = {"empty", "cross-section", "event", "panel",
                                         "collapsed"};
    if (cmd_say(ctx, "dataset %s: %s, unit %s%s%s", ds->name, shapes[ds->shape],
                ds->unit_type ? ds->unit_type : "(none yet)", ds->id_name ? ", identifier " : "",
                ds->id_name ? ds->id_name : "") != MD_OK)
        return ctx->err->status;
    for (int32_t i = 0; i < ds->n_columns; i++) {
        if (support_describe_column(ctx, ds->columns[i]) != MD_OK)
            return ctx->err->status;
    }
    return MD_OK;
}

static MdStatus support_describe_register(CommandContext *ctx, const char *path)
{
    const char *slash = strchr(path, '/');
    char alias[128];
    snprintf(alias, sizeof alias, "%.*s", slash ? (int)(slash - path) : 0, path);
    RequiredStore *rs = slash ? workspace_store(ctx->ws, alias) : NULL;
    if (!rs)
        return cmd_fail(ctx, MD_ERR_NAME, "no datastore is connected as '%s'", alias);
    const VariableInfo *v = store_version_variable(rs->version, slash + 1);
    if (!v) {
        const char *near = store_version_suggest(rs->version, slash + 1);
        md_error_set(ctx->err, MD_ERR_NAME, "datastore %s has no variable %s", rs->datastore,
                     slash + 1);
        if (near)
            md_error_hint(ctx->err, "did you mean %s/%s?", alias, near);
        return MD_ERR_NAME;
    }
    char from[16] = "?", until[16] = "?";
    if (v->valid_from != DATE_NONE)
        date_format_iso(v->valid_from, from);
    if (v->valid_until != DATE_NONE)
        date_format_iso(v->valid_until, until);
    if (cmd_say(ctx, "%s/%s - %s", alias, v->name, v->title) != MD_OK ||
        (v->description && *v->description && cmd_say(ctx, "  %s", v->description) != MD_OK) ||
        cmd_say(ctx, "  %s, unit %s (%s), %s%s%s, %s to %s", temporality_name(v->temporality),
                v->unit_type, v->id_name, value_type_name(v->value_type),
                v->pointer_to ? " pointing to " : "", v->pointer_to ? v->pointer_to : "", from,
                until) != MD_OK)
        return ctx->err->status;
    if (v->n_status_dates > 0 &&
        cmd_say(ctx, "  %lld status dates", (long long)v->n_status_dates) != MD_OK)
        return ctx->err->status;
    if (v->n_codes > 0 && cmd_say(ctx, "  %lld codes (list-labels %s/%s shows them)",
                                  (long long)v->n_codes, alias, v->name) != MD_OK)
        return ctx->err->status;
    return MD_OK;
}

static MdStatus support_list_stores(CommandContext *ctx)
{
    if (ctx->ws->n_stores == 0)
        return cmd_say(ctx, "no dataset is active and no datastore is connected");
    for (int32_t s = 0; s < ctx->ws->n_stores; s++) {
        const RequiredStore *rs = &ctx->ws->stores[s];
        int64_t n = store_version_variable_count(rs->version);
        if (cmd_say(ctx, "%s (%s): %lld variables", rs->alias, rs->datastore, (long long)n))
            return ctx->err->status;
        for (int64_t i = 0; i < n; i++) {
            const VariableInfo *v = store_version_variable_at(rs->version, i);
            if (cmd_say(ctx, "  %s/%s%*s %s", rs->alias, v->name, text_pad(v->name, 40), "",
                        v->title) != MD_OK)
                return ctx->err->status;
        }
    }
    return MD_OK;
}

MdStatus handle_variables(CommandContext *ctx)
{
    result_entry_set_kind(ctx->entry, ENTRY_TEXT);
    const Command *c = ctx->command;
    Dataset *ds = workspace_active(ctx->ws);
    if (c->n_args == 0)
        return ds ? support_describe_dataset(ctx, ds) : support_list_stores(ctx);
    for (int32_t i = 0; i < c->n_args; i++) {
        const Token *t = &c->args[i];
        if (t->kind == TOKEN_PATH) {
            if (support_describe_register(ctx, t->text) != MD_OK)
                return ctx->err->status;
            continue;
        }
        if (!ds && !cmd_active(ctx))
            return ctx->err->status;
        const Column *col = cmd_column(ctx, ds, t->text);
        if (!col || support_describe_column(ctx, col) != MD_OK)
            return ctx->err->status;
    }
    return MD_OK;
}

/* ==== history, clear and the command-window commands =================================== */

MdStatus handle_history(CommandContext *ctx)
{
    result_entry_set_kind(ctx->entry, ENTRY_TEXT);
    if (ctx->command->n_args > 0)
        return cmd_fail_usage(ctx, "history takes no arguments");
    if (ctx->ws->n_history == 0)
        return cmd_say(ctx, "(no commands yet)");
    for (int32_t i = 0; i < ctx->ws->n_history; i++) {
        if (cmd_say(ctx, "%4d  %s", i + 1, ctx->ws->history[i]) != MD_OK)
            return ctx->err->status;
    }
    return MD_OK;
}

MdStatus handle_clear(CommandContext *ctx)
{
    if (ctx->command->n_args > 0)
        return cmd_fail_usage(ctx, "clear takes no arguments");
    workspace_clear(ctx->ws);
    return cmd_done(ctx, "cleared every dataset, label list and the history");
}

MdStatus handle_session_only(CommandContext *ctx)
{
    const char *name = ctx->command->spec->name;
    md_error_set(ctx->err, MD_ERR_SYNTAX,
                 "'%s' belongs to the command window of the web client and is not available in "
                 "scripts", name);
    md_error_hint(ctx->err, "remove %s from the script; scripts are saved and loaded as files",
                  name);
    return MD_ERR_SYNTAX;
}
