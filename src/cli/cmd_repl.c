/*
 * cmd_repl.c - `mdata repl [--store DIR] [--trusted] [--user NAME] [--config FILE]`: an
 * interactive command line. Each input runs in one workspace and with the bindings (let)
 * of the earlier inputs, both kept for the session; `history` lists what ran. Multi-line input (a trailing \, for ... end, textblock ...
 * endblock) is collected until complete. A plain fgets loop: no readline dependency.
 */
#include "cli/cli.h"
#include "cli/run_session.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void repl_usage(FILE *out)
{
    fprintf(out, "usage: mdata repl [--store DIR] [--trusted] [--user NAME] [--config FILE]\n\n"
                 "An interactive command line: type commands one at a time; datasets and\n"
                 "bindings (let) stay between commands. A trailing \\, for ... end and\n"
                 "textblock ... endblock are collected until complete. `history` lists the\n"
                 "commands run, `help` the commands. End with Ctrl-D, `exit` or `quit`.\n\n"
                 "  --store DIR    the datastore (default $MDATA_STORE, else the one"
                 " `make run` made)\n"
                 "  --trusted      disclosure control off: exact results, for local"
                 " operators only\n"
                 "  --user NAME    user name for the disclosure-control audit (default $USER)\n"
                 "  --config FILE  disclosure-control settings (key = value lines)\n\n"
                 "The audit log is $MDATA_AUDIT, else the datastore's work/audit/USER.log\n"
                 "(trusted sessions keep none).\n");
}

/* The first word of line (skipping blanks) compared with word. */
static bool repl_starts_with(const char *line, const char *word)
{
    while (*line == ' ' || *line == '\t')
        line++;
    size_t n = strlen(word);
    return strncmp(line, word, n) == 0 &&
           (line[n] == '\0' || line[n] == ' ' || line[n] == '\t' || line[n] == '\n');
}

/* How the nesting changes with this line: for/textblock open, end/endblock close. */
static int repl_depth_change(const char *line, bool *in_text)
{
    if (*in_text) {
        if (repl_starts_with(line, "endblock"))
            *in_text = false;
        return 0;
    }
    if (repl_starts_with(line, "textblock")) {
        *in_text = true;
        return 0;
    }
    if (repl_starts_with(line, "for"))
        return 1;
    if (repl_starts_with(line, "end"))
        return -1;
    return 0;
}

static bool repl_continues(const char *line)
{
    size_t n = strlen(line);
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r' || line[n - 1] == ' '))
        n--;
    return n > 0 && line[n - 1] == '\\';
}

static void repl_run(RunSession *session, const char *text, size_t len)
{
    ResultDoc *doc = result_doc_new();
    if (!doc)
        return;
    MdError err;
    md_error_clear(&err);
    MdStatus status = run_session_script(session, text, len, doc, &err);
    char *out = result_render_text(doc);
    if (out) {
        fputs(out, stdout);
        md_free(out);
    }
    /* an error the document already shows (a command that failed) is not printed twice;
     * one found before any command ran (a parse error) is */
    int32_t n = result_doc_entry_count(doc);
    bool shown = n > 0 && result_entry_kind(result_doc_entry_at(doc, n - 1)) == ENTRY_ERROR;
    if (status != MD_OK && !shown)
        cli_print_error(&err);
    result_doc_free(doc);
    fflush(stdout);
}

static int repl_parse_flags(int argc, char **argv, RunOptions *opts)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--trusted") == 0)
            opts->trusted = true;
        else if (strcmp(argv[i], "--user") == 0 && i + 1 < argc)
            opts->user = argv[++i];
        else if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
            opts->config = argv[++i];
        else if (strcmp(argv[i], "--user") == 0 || strcmp(argv[i], "--config") == 0) {
            fprintf(stderr, "mdata repl: %s needs a value (see mdata repl --help)\n",
                    argv[i]);
            return 2;
        } else {
            fprintf(stderr, "mdata repl: unknown argument %s (see mdata repl --help)\n",
                    argv[i]);
            return 2;
        }
    }
    return 0;
}

int cmd_repl(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        repl_usage(stdout);
        return 0;
    }
    RunOptions opts = {0};
    opts.store_dir = cli_store_dir(&argc, argv);
    int usage = repl_parse_flags(argc, argv, &opts);
    if (usage)
        return usage;
    MdError err;
    md_error_clear(&err);
    RunSession *session = run_session_new(&opts, &err);
    if (!session) {
        cli_print_error(&err);
        return 1;
    }
    bool interactive = isatty(STDIN_FILENO);
    StrBuf pending;
    strbuf_init(&pending, (size_t)1 << 20);
    int depth = 0;
    bool in_text = false;
    char line[4096];
    for (;;) {
        if (interactive) {
            fputs(pending.len ? "...> " : "mdata> ", stdout);
            fflush(stdout);
        }
        if (!fgets(line, sizeof line, stdin))
            break;
        if (pending.len == 0 && (repl_starts_with(line, "exit") || repl_starts_with(line, "quit")))
            break;
        depth += repl_depth_change(line, &in_text);
        if (strbuf_puts(&pending, line) != MD_OK) {
            fprintf(stderr, "mdata repl: input too long; discarded\n");
            strbuf_init(&pending, (size_t)1 << 20);
            depth = 0;
            in_text = false;
            continue;
        }
        if (depth > 0 || in_text || repl_continues(line))
            continue;
        repl_run(session, pending.data, pending.len);
        strbuf_reset(&pending);
        depth = 0;
    }
    if (pending.len > 0)
        repl_run(session, pending.data, pending.len);
    strbuf_free(&pending);
    run_session_free(session);
    return 0;
}
