/*
 * cmd_run.c - `mdata run [--store DIR] [--json] [--trusted] [--user NAME] [--config FILE]
 * [--audit FILE] SCRIPT`: runs a script against a datastore and prints each command's
 * result as text, or the whole result document as JSON.
 *
 * Disclosure control is built from the datastore's secret key and the default settings (or
 * --config). --trusted turns it off for a local operator; the document banner says so on
 * every result. SCRIPT '-' reads standard input. Exit status: 0 success, 1 a command or the
 * script failed, 2 usage.
 */
#include "cli/cli.h"
#include "cli/run_session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void run_usage(FILE *out)
{
    fprintf(out,
            "usage: mdata run [--store DIR] [--json] [--trusted] [--user NAME]\n"
            "                 [--config FILE] [--audit FILE] SCRIPT\n\n"
            "Runs SCRIPT ('-' reads standard input) against the datastore and prints the\n"
            "result of each command. The script stops at the first error, which names the\n"
            "line, the problem and the fix; the exit status is then 1.\n\n"
            "  --store DIR    the datastore (default $MDATA_STORE, else the one `make run` made)\n"
            "  --json         print the result document as JSON (one entry per command)\n"
            "  --trusted      disclosure control off: exact results, for local operators only\n"
            "  --user NAME    user name for the disclosure-control audit (default $USER)\n"
            "  --config FILE  disclosure-control settings (key = value lines)\n"
            "  --audit FILE   keep the per-user audit log in FILE (default: $MDATA_AUDIT, else\n"
            "                 the datastore's work/audit/USER.log; trusted runs keep none)\n");
}

/* Reads all of path ('-' = stdin) into an owned buffer. */
char *run_read_script(const char *path, size_t *len, MdError *err)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        md_error_set(err, MD_ERR_IO, "cannot open script %s", path);
        md_error_hint(err, "check the file name");
        return NULL;
    }
    StrBuf sb;
    strbuf_init(&sb, (size_t)64 << 20);
    char chunk[8192];
    size_t n;
    MdStatus status = MD_OK;
    while (status == MD_OK && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        status = strbuf_append(&sb, chunk, n);
    bool failed = ferror(f) != 0;
    if (f != stdin)
        fclose(f);
    if (status == MD_OK && !failed && sb.len == 0)
        status = strbuf_append(&sb, "", 0);
    if (status != MD_OK || failed) {
        strbuf_free(&sb);
        md_error_set(err, status == MD_ERR_LIMIT ? MD_ERR_LIMIT : MD_ERR_IO,
                     "cannot read script %s", path);
        return NULL;
    }
    *len = sb.len;
    return strbuf_take(&sb);
}

/* Parses the flags; returns 0 and fills opts, or the exit status of a usage error. */
static int run_parse_flags(int argc, char **argv, RunOptions *opts)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has_value = i + 1 < argc;
        if (strcmp(a, "--json") == 0)
            opts->json = true;
        else if (strcmp(a, "--trusted") == 0)
            opts->trusted = true;
        else if (strcmp(a, "--user") == 0 && has_value)
            opts->user = argv[++i];
        else if (strcmp(a, "--config") == 0 && has_value)
            opts->config = argv[++i];
        else if (strcmp(a, "--audit") == 0 && has_value)
            opts->audit = argv[++i];
        else if (strcmp(a, "--user") == 0 || strcmp(a, "--config") == 0 ||
                 strcmp(a, "--audit") == 0) {
            fprintf(stderr, "mdata run: %s needs a value (see mdata run --help)\n", a);
            return 2;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "mdata run: unknown flag %s (see mdata run --help)\n", a);
            return 2;
        } else if (!opts->script)
            opts->script = a;
        else {
            fprintf(stderr, "mdata run: one script at a time\n");
            return 2;
        }
    }
    if (!opts->script) {
        run_usage(stderr);
        return 2;
    }
    return 0;
}

int cmd_run(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        run_usage(stdout);
        return 0;
    }
    RunOptions opts = {0};
    opts.store_dir = cli_store_dir(&argc, argv);
    int usage = run_parse_flags(argc, argv, &opts);
    if (usage)
        return usage;
    MdError err;
    md_error_clear(&err);
    size_t len = 0;
    char *text = run_read_script(opts.script, &len, &err);
    if (!text) {
        cli_print_error(&err);
        return 1;
    }
    RunSession *session = run_session_new(&opts, &err);
    if (!session) {
        md_free(text);
        cli_print_error(&err);
        return 1;
    }
    ResultDoc *doc = result_doc_new();
    int status = 1;
    if (doc) {
        MdStatus ran = run_session_script(session, text, len, doc, &err);
        char *out = opts.json ? result_render_json(doc) : result_render_text(doc);
        if (out) {
            fputs(out, stdout);
            if (opts.json)
                fputc('\n', stdout);
            md_free(out);
        }
        if (ran != MD_OK && !opts.json)
            cli_print_error(&err);
        status = ran == MD_OK && out ? 0 : 1;
    }
    result_doc_free(doc);
    run_session_free(session);
    md_free(text);
    return status;
}
