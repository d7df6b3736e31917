/*
 * cmd_labels.c - user label lists (language.md 3.8, 4.2): define-labels, assign-labels,
 * drop-labels, and list-labels, which also prints a register variable's code list valid at
 * a date.
 *
 * Codes are kept as text: a number code as printed with %.15g ("1", "2.5"), a quoted code
 * as written ("03"). define-labels replaces a list of the same name. drop-labels detaches
 * the list from every variable that uses it. Label texts are metadata, not unit data, so
 * list-labels may print them.
 */
#include "engine/commands.h"

#include <stdio.h>
#include <string.h>

/* The code text of a token: a number printed with %.15g, else the text. */
static void labels_code_text(const Token *t, char *buf, size_t cap)
{
    if (t->kind == TOKEN_NUMBER)
        snprintf(buf, cap, "%.15g", t->number);
    else
        snprintf(buf, cap, "%s", t->text);
}

static LabelList *labels_build(CommandContext *ctx, const char *name)
{
    const Command *c = ctx->command;
    int32_t n = (c->n_args - 1) / 2;
    LabelList *list = md_calloc(1, sizeof *list);
    if (!list || !(list->name = md_strdup(name)) ||
        !(list->codes = md_calloc((size_t)n + 1, sizeof *list->codes)) ||
        !(list->labels = md_calloc((size_t)n + 1, sizeof *list->labels))) {
        label_list_free(list);
        cmd_fail(ctx, MD_ERR_MEMORY, "out of memory defining labels");
        return NULL;
    }
    for (int32_t i = 0; i < n; i++) {
        const Token *code = &c->args[1 + 2 * i], *label = &c->args[2 + 2 * i];
        char text[128];
        labels_code_text(code, text, sizeof text);
        for (int32_t k = 0; k < list->n; k++) {
            if (strcmp(list->codes[k], text) == 0) {
                label_list_free(list);
                cmd_fail(ctx, MD_ERR_VALUE, "code %s is listed twice in %s", text, name);
                return NULL;
            }
        }
        list->codes[i] = md_strdup(text);
        list->labels[i] = md_strdup(label->text);
        list->n++;
        if (!list->codes[i] || !list->labels[i]) {
            label_list_free(list);
            cmd_fail(ctx, MD_ERR_MEMORY, "out of memory defining labels");
            return NULL;
        }
    }
    return list;
}

MdStatus handle_define_labels(CommandContext *ctx)
{
    const Command *c = ctx->command;
    if (c->n_args < 3 || c->n_args % 2 == 0 || c->args[0].kind != TOKEN_NAME)
        return cmd_fail_usage(ctx, "give the list name, then pairs of code and label");
    const char *name = c->args[0].text;
    if (!column_name_valid(name))
        return cmd_fail(ctx, MD_ERR_NAME, "'%s' is not a valid label list name", name);
    for (int32_t i = 1; i < c->n_args; i++) {
        TokenKind k = c->args[i].kind;
        bool code = i % 2 == 1;
        bool ok = code ? k == TOKEN_NUMBER || k == TOKEN_STRING
                       : k == TOKEN_STRING || k == TOKEN_NAME;
        if (!ok)
            return cmd_fail_usage(ctx, "codes are numbers or quoted text; labels are words or "
                                       "quoted text");
    }
    bool existed = workspace_label_list(ctx->ws, name) != NULL;
    LabelList *list = labels_build(ctx, name);
    if (!list)
        return ctx->err->status;
    int32_t n = list->n;
    if (workspace_put_label_list(ctx->ws, list, ctx->err) != MD_OK) {
        label_list_free(list);
        return ctx->err->status;
    }
    return cmd_done(ctx, "%s label list %s with %d code%s", existed ? "replaced" : "defined",
                   name, n, n == 1 ? "" : "s");
}

MdStatus handle_assign_labels(CommandContext *ctx)
{
    const char *names[2];
    Dataset *ds = cmd_active(ctx);
    if (!ds || cmd_args_names(ctx, 2, names) != MD_OK)
        return ctx->err->status;
    Column *column = cmd_column(ctx, ds, names[0]);
    if (!column || cmd_refuse_pointer(ctx, column) != MD_OK)
        return ctx->err->status;
    if (!workspace_label_list(ctx->ws, names[1])) {
        md_error_set(ctx->err, MD_ERR_NAME, "there is no label list named '%s'", names[1]);
        md_error_hint(ctx->err, "define it first with define-labels %s CODE LABEL ...",
                      names[1]);
        return MD_ERR_NAME;
    }
    char *copy = md_strdup(names[1]);
    if (!copy)
        return cmd_fail(ctx, MD_ERR_MEMORY, "out of memory assigning labels");
    md_free(column->label_list);
    column->label_list = copy;
    return cmd_done(ctx, "variable %s uses label list %s", names[0], names[1]);
}

MdStatus handle_drop_labels(CommandContext *ctx)
{
    const Command *c = ctx->command;
    if (c->n_args == 0)
        return cmd_fail_usage(ctx, "name the label lists to delete");
    for (int32_t i = 0; i < c->n_args; i++) {
        if (!workspace_label_list(ctx->ws, c->args[i].text)) {
            md_error_set(ctx->err, MD_ERR_NAME, "there is no label list named '%s'",
                         c->args[i].text);
            md_error_hint(ctx->err, "list-labels NAME shows a list; nothing was deleted");
            return MD_ERR_NAME;
        }
    }
    Workspace *ws = ctx->ws;
    for (int32_t i = 0; i < c->n_args; i++) {
        const char *name = c->args[i].text;
        for (int32_t d = 0; d < ws->n_datasets; d++) {
            Dataset *ds = ws->datasets[d];
            for (int32_t k = 0; k < ds->n_columns; k++) {
                Column *col = ds->columns[k];
                if (col->label_list && strcmp(col->label_list, name) == 0) {
                    md_free(col->label_list);
                    col->label_list = NULL;
                }
            }
        }
        workspace_drop_label_list(ws, name);
    }
    return cmd_done(ctx, "deleted %d label list%s", c->n_args, c->n_args == 1 ? "" : "s");
}

/* ==== list-labels ====================================================================== */

static MdStatus labels_list_user(CommandContext *ctx, const LabelList *list)
{
    if (cmd_say(ctx, "label list %s (%d code%s)", list->name, list->n,
                list->n == 1 ? "" : "s") != MD_OK)
        return ctx->err->status;
    for (int32_t i = 0; i < list->n; i++) {
        if (cmd_say(ctx, "%s  %s", list->codes[i], list->labels[i]) != MD_OK)
            return ctx->err->status;
    }
    return MD_OK;
}

static MdStatus labels_list_register(CommandContext *ctx, const char *path, bool has_date,
                                     int32_t date)
{
    const char *slash = strchr(path, '/');
    char alias[128];
    snprintf(alias, sizeof alias, "%.*s", (int)(slash - path), path);
    RequiredStore *rs = workspace_store(ctx->ws, alias);
    if (!rs)
        return cmd_fail(ctx, MD_ERR_NAME, "no datastore is connected as '%s'", alias);
    const VariableInfo *info = store_version_variable(rs->version, slash + 1);
    if (!info) {
        const char *near = store_version_suggest(rs->version, slash + 1);
        md_error_set(ctx->err, MD_ERR_NAME, "datastore %s has no variable %s", rs->datastore,
                     slash + 1);
        if (near)
            md_error_hint(ctx->err, "did you mean %s/%s?", alias, near);
        return MD_ERR_NAME;
    }
    char when[16] = "";
    if (has_date)
        date_format_iso(date, when);
    if (cmd_say(ctx, "code list of %s%s%s", info->name, has_date ? " valid at " : "", when))
        return ctx->err->status;
    int64_t shown = 0;
    for (int64_t i = 0; i < info->n_codes; i++) {
        const CodeEntry *e = &info->codes[i];
        if (has_date && (e->valid_from > date || e->valid_until < date))
            continue;
        char from[16] = "", until[16] = "";
        if (e->valid_from != DATE_NONE) {
            date_format_iso(e->valid_from, from);
            date_format_iso(e->valid_until, until);
        }
        MdStatus s = has_date || e->valid_from == DATE_NONE
                         ? cmd_say(ctx, "%s  %s%s", e->code, e->label,
                                   e->is_missing ? " (missing)" : "")
                         : cmd_say(ctx, "%s  %s%s  [%s to %s]", e->code, e->label,
                                   e->is_missing ? " (missing)" : "", from, until);
        if (s != MD_OK)
            return ctx->err->status;
        shown++;
    }
    if (shown == 0)
        return cmd_say(ctx, "(no codes%s)", has_date ? " valid at that date" : "");
    return MD_OK;
}

MdStatus handle_list_labels(CommandContext *ctx)
{
    const Command *c = ctx->command;
    result_entry_set_kind(ctx->entry, ENTRY_TEXT);
    if (c->n_args >= 1 && c->args[0].kind == TOKEN_PATH) {
        if (c->n_args > 2 || (c->n_args == 2 && c->args[1].kind != TOKEN_DATE))
            return cmd_fail_usage(ctx, "write list-labels ALIAS/VARIABLE [YYYY-MM-DD]");
        return labels_list_register(ctx, c->args[0].text, c->n_args == 2,
                                    c->n_args == 2 ? c->args[1].date : DATE_NONE);
    }
    const char *name;
    if (cmd_args_names(ctx, 1, &name) != MD_OK)
        return ctx->err->status;
    const LabelList *list = workspace_label_list(ctx->ws, name);
    if (!list) {
        md_error_set(ctx->err, MD_ERR_NAME, "there is no label list named '%s'", name);
        md_error_hint(ctx->err, "define it with define-labels, or give ALIAS/VARIABLE for a "
                                "register code list");
        return MD_ERR_NAME;
    }
    return labels_list_user(ctx, list);
}
