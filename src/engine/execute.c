/*
 * execute.c - runs commands: finds the handler bound to a command name in the data,
 * expression and statistics tables, gives it a result entry, and turns its failure into an
 * error entry that names the line, the command and the fix. Scripts run statement by
 * statement and stop at the first error; textblocks become text entries.
 */
#include "engine/commands.h"

#include <string.h>

static CommandHandler execute_find_in(const HandlerEntry *table, const char *name)
{
    for (const HandlerEntry *h = table; h->name; h++) {
        if (strcmp(h->name, name) == 0)
            return h->handler;
    }
    return NULL;
}

static CommandHandler execute_find_handler(const char *name)
{
    CommandHandler handler = execute_find_in(engine_data_handlers, name);
    if (!handler)
        handler = execute_find_in(engine_expression_handlers, name);
    if (!handler)
        handler = execute_find_in(engine_statistics_handlers, name);
    return handler;
}

/* Puts position and command name on err and records it on the entry. */
static MdStatus execute_record_error(const Command *command, ResultEntry *entry, MdError *err)
{
    md_error_at(err, command->line, command->column);
    if (command->spec)
        md_error_where(err, "%s", command->spec->name);
    if (entry && result_entry_error(entry, err) != MD_OK)
        return MD_ERR_MEMORY;
    return err->status;
}

MdStatus engine_execute(Workspace *ws, const Command *command, ResultDoc *doc, MdError *err)
{
    const char *text = command->text ? command->text : "";
    ResultEntry *entry = result_doc_add(doc, text, command->line, ENTRY_MESSAGE);
    if (!entry)
        return md_error_set(err, MD_ERR_MEMORY, "out of memory adding a result entry");
    if (!command->spec) {
        md_error_set(err, MD_ERR_INTERNAL, "a command without a command-table entry");
        execute_record_error(command, entry, err);
        return err->status;
    }
    CommandHandler handler = execute_find_handler(command->spec->name);
    if (!handler) {
        md_error_set(err, MD_ERR_NOT_IMPLEMENTED, "'%s' is not yet implemented",
                     command->spec->name);
        md_error_hint(err, "this command is planned; remove it from the script for now");
        execute_record_error(command, entry, err);
        return err->status;
    }
    CommandContext ctx = {.ws = ws, .command = command, .doc = doc, .entry = entry,
                          .err = err};
    MdStatus status = handler(&ctx);
    if (status != MD_OK) {
        if (err->status == MD_OK)
            md_error_set(err, status, "'%s' failed", command->spec->name);
        execute_record_error(command, entry, err);
        return err->status;
    }
    if (strcmp(command->spec->name, "clear") != 0 &&
        strcmp(command->spec->name, "history") != 0) {
        /* the command has run; a history line that cannot be kept is not its failure */
        MdError ignored;
        md_error_clear(&ignored);
        (void)!workspace_history_add(ws, text, &ignored);
    }
    return MD_OK;
}

static MdStatus execute_textblock(const Statement *st, ResultDoc *doc, MdError *err)
{
    ResultEntry *entry = result_doc_add(doc, "textblock", st->line, ENTRY_TEXT);
    if (!entry)
        return md_error_set(err, MD_ERR_MEMORY, "out of memory adding a result entry");
    if (result_entry_markdown(entry, st->markdown ? st->markdown : "") != MD_OK)
        return md_error_set(err, MD_ERR_MEMORY, "out of memory adding a textblock");
    return MD_OK;
}

MdStatus engine_run_script(Workspace *ws, const Script *script, ResultDoc *doc, MdError *err)
{
    for (int32_t i = 0; i < script->n_statements; i++) {
        const Statement *st = &script->statements[i];
        MdStatus status;
        if (st->kind == STATEMENT_TEXTBLOCK)
            status = execute_textblock(st, doc, err);
        else
            status = engine_execute(ws, &st->command, doc, err);
        if (status != MD_OK)
            return status;
    }
    return MD_OK;
}
