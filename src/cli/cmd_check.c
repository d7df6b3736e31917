/*
 * cmd_check.c - `mdata check [--store DIR] SCRIPT`: finds every problem in a script
 * without running it. The language module reports syntax, command, option and function
 * problems (all of them, not only the first); this file adds a check of every
 * ALIAS/VARIABLE name against the datastore's catalogue, suggesting the nearest name.
 * Exit status: 0 no problem, 1 problems found, 2 usage.
 */
#include "cli/cli.h"
#include "cli/run_session.h"
#include "lang/lang.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK_MAX_PROBLEMS 200
#define CHECK_MAX_ALIASES 16

typedef struct CheckState {
    const char *script;
    StoreVersion *version;   /* NULL when the store could not be opened */
    char aliases[CHECK_MAX_ALIASES][64];
    int32_t n_aliases;
    int32_t problems;
    MdError *found;          /* CHECK_MAX_PROBLEMS records */
    int32_t n_found;
} CheckState;

static void check_usage(FILE *out)
{
    fprintf(out, "usage: mdata check [--store DIR] SCRIPT\n\n"
                 "Checks SCRIPT ('-' reads standard input) without running it: syntax,\n"
                 "commands, options, functions, and every ALIAS/VARIABLE name against the\n"
                 "datastore's catalogue. Prints every problem found; exit status 1 if any.\n");
}

static void check_report(CheckState *st, const MdError *e)
{
    if (st->n_found < CHECK_MAX_PROBLEMS)
        st->found[st->n_found++] = *e;
    st->problems++;
}

static int check_compare(const void *a, const void *b)
{
    const MdError *x = a, *y = b;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    return (x->column > y->column) - (x->column < y->column);
}

/* Prints the problems in script order as FILE:LINE:COLUMN: message (hint). */
static void check_print(CheckState *st)
{
    qsort(st->found, (size_t)st->n_found, sizeof *st->found, check_compare);
    for (int32_t i = 0; i < st->n_found; i++) {
        const MdError *e = &st->found[i];
        printf("%s:%d:%d: %s%s%s%s\n", st->script, e->line, e->column, e->message,
               e->hint[0] ? " (" : "", e->hint, e->hint[0] ? ")" : "");
    }
}

/* Remembers the alias of a `require ... as ALIAS` line. */
static void check_note_alias(CheckState *st, const char *line)
{
    char cmd[32], id[256], as[8], alias[64];
    if (sscanf(line, " %31s %255s %7s %63s", cmd, id, as, alias) == 4 &&
        strcmp(cmd, "require") == 0 && strcmp(as, "as") == 0 &&
        st->n_aliases < CHECK_MAX_ALIASES)
        snprintf(st->aliases[st->n_aliases++], sizeof st->aliases[0], "%s", alias);
}

static bool check_is_word_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '@' || c >= 0x80;
}

/* Checks one word of the form ALIAS/VARIABLE at line, column. */
static void check_path(CheckState *st, const char *word, size_t len, int32_t line, int32_t col)
{
    const char *slash = memchr(word, '/', len);
    if (!slash || slash == word || slash + 1 == word + len || !st->version)
        return;
    bool known = false;
    for (int32_t i = 0; i < st->n_aliases; i++) {
        size_t n = strlen(st->aliases[i]);
        known = known || (n == (size_t)(slash - word) && memcmp(word, st->aliases[i], n) == 0);
    }
    if (!known)
        return;
    char name[256];
    snprintf(name, sizeof name, "%.*s", (int)(word + len - slash - 1), slash + 1);
    if (store_version_variable(st->version, name))
        return;
    MdError e;
    md_error_clear(&e);
    md_error_set(&e, MD_ERR_NAME, "the datastore has no variable %s", name);
    const char *near = store_version_suggest(st->version, name);
    if (near)
        md_error_hint(&e, "did you mean %.*s/%s?", (int)(slash - word), word, near);
    md_error_at(&e, line, col);
    check_report(st, &e);
}

/* Scans each line (outside quotes and // comments) for ALIAS/VARIABLE words. */
static void check_variables(CheckState *st, const char *text, size_t len)
{
    int32_t line = 1;
    for (size_t start = 0; start < len; line++) {
        size_t end = start;
        while (end < len && text[end] != '\n')
            end++;
        char buf[4096];
        snprintf(buf, sizeof buf, "%.*s", (int)(end - start), text + start);
        check_note_alias(st, buf);
        char quote = 0;
        for (size_t i = 0; buf[i]; i++) {
            char c = buf[i];
            if (quote) {
                quote = c == quote ? 0 : quote;
                continue;
            }
            if (c == '\'' || c == '"') {
                quote = c;
                continue;
            }
            if (c == '/' && buf[i + 1] == '/')
                break;
            if (!check_is_word_char((unsigned char)c) || (i > 0 && check_is_word_char(
                                                              (unsigned char)buf[i - 1])))
                continue;
            size_t j = i;
            while (buf[j] && (check_is_word_char((unsigned char)buf[j]) || buf[j] == '/'))
                j++;
            size_t k = j;
            while (buf[k] == ' ')
                k++;
            bool built = buf[j] == '$' || (buf[k] == '+' && buf[k + 1] == '+');
            if (!built) /* names built from bindings are known only after expansion */
                check_path(st, buf + i, j - i, line, (int32_t)i + 1);
            i = j - 1;
        }
        start = end + 1;
    }
}

int cmd_check(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        check_usage(stdout);
        return 0;
    }
    const char *dir = cli_store_dir(&argc, argv);
    if (argc != 2) {
        check_usage(stderr);
        return 2;
    }
    CheckState st = {.script = argv[1]};
    MdError err;
    md_error_clear(&err);
    size_t len = 0;
    char *text = run_read_script(argv[1], &len, &err);
    if (!text) {
        cli_print_error(&err);
        return 1;
    }
    Arena *arena = arena_new(1 << 16);
    MdError *errs = md_calloc(CHECK_MAX_PROBLEMS, sizeof *errs);
    st.found = md_calloc(CHECK_MAX_PROBLEMS, sizeof *st.found);
    if (!arena || !errs || !st.found) {
        md_free(st.found);
        fprintf(stderr, "mdata check: out of memory\n");
        md_free(text);
        md_free(errs);
        arena_free(arena);
        return 1;
    }
    int32_t n = lang_check_script(arena, text, len, errs, CHECK_MAX_PROBLEMS);
    for (int32_t i = 0; i < n && i < CHECK_MAX_PROBLEMS; i++)
        check_report(&st, &errs[i]);
    md_error_clear(&err);
    Store *store = store_open(dir, &err);
    if (store) {
        const char *latest = store_latest_release(store);
        st.version = store_version_open(store, latest ? latest : "draft", &err);
    }
    if (!st.version)
        fprintf(stderr, "mdata check: variable names not checked: no datastore at %s\n", dir);
    check_variables(&st, text, len);
    if (st.version)
        store_version_close(st.version);
    if (store)
        store_close(store);
    check_print(&st);
    if (st.problems == 0)
        printf("%s: no problems found\n", st.script);
    else if (st.problems > st.n_found)
        printf("%s: %d more problems not shown\n", st.script, st.problems - st.n_found);
    md_free(st.found);
    md_free(errs);
    arena_free(arena);
    md_free(text);
    return st.problems ? 1 : 0;
}
