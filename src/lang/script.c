/*
 * script.c - the driver: logical lines -> Script. Runs `let` (bindings), expands
 * `for ... end` (lists, ranges, zipped lists, nested groups after ';'), rewrites each
 * command line ($name, ++, binding functions) and parses it. lang_parse_script stops at
 * the first error; lang_check_script records every error and goes on with the next line;
 * lang_parse_script_kept starts from the bindings of earlier inputs (mdata repl) and keeps
 * the new top-level ones when the parse succeeds.
 *
 * Loop order: in `for a in L1; b in L2` the first group varies fastest (the manual's
 * worked example). Bindings made inside an iteration are dropped after it. Limits on
 * iterations, nesting and the number of statements turn runaway loops into errors.
 */
#include <math.h>
#include <string.h>

#include "lang/lang_int.h"

typedef struct Driver {
    Arena *arena;
    const LogicalLine *lines;
    Bindings *bindings;
    Statement *out;
    size_t cap_out;
    int32_t n_out;
    size_t expanded_bytes;
    int64_t lines_done;  /* lines processed, every loop iteration counted */
    int32_t depth;
    bool collect;
    bool stop;
    MdError *errs;
    int32_t max_errs;
    int32_t n_errs;
    MdError last;        /* the last error reported, to drop repeats from loop iterations */
} Driver;

typedef struct LoopGroup {
    const char *vars[16];
    BindValue *values[16];
    int32_t n_vars;
    int32_t length;
} LoopGroup;

/* ==== Errors =========================================================================== */

static bool same_error(const MdError *a, const MdError *b)
{
    return a->line == b->line && a->column == b->column && strcmp(a->message, b->message) == 0;
}

/* Records an error: the first one stops lang_parse_script; lang_check_script keeps
 * going, dropping errors it has already recorded (loop iterations repeat them). */
static void report(Driver *d, const MdError *e)
{
    if (!d->collect) {
        if (d->max_errs > 0 && d->n_errs == 0)
            d->errs[0] = *e;
        d->n_errs = 1;
        d->stop = true;
        return;
    }
    if (d->n_errs > 0 && same_error(&d->last, e))
        return; /* the same error again in the next loop iteration */
    for (int32_t i = 0; i < d->n_errs && i < d->max_errs; i++) {
        if (same_error(&d->errs[i], e))
            return;
    }
    d->last = *e;
    if (d->n_errs < d->max_errs)
        d->errs[d->n_errs] = *e;
    d->n_errs++;
    if (e->status == MD_ERR_MEMORY || e->status == MD_ERR_LIMIT)
        d->stop = true;
}

static void report_at(Driver *d, MdStatus status, int32_t line, const char *hint,
                      const char *msg)
{
    MdError e;
    md_error_clear(&e);
    md_error_set(&e, status, "%s", msg);
    if (hint)
        md_error_hint(&e, "%s", hint);
    md_error_at(&e, line, 1);
    report(d, &e);
}

/* ==== Statements ======================================================================= */

static Statement *new_statement(Driver *d, int32_t line)
{
    if (d->n_out >= LANG_MAX_STATEMENTS) {
        report_at(d, MD_ERR_LIMIT, line, "use fewer loop iterations",
                  "the script expands to too many commands (limit is 100000)");
        return NULL;
    }
    if (md_grow((void **)&d->out, &d->cap_out, (size_t)d->n_out + 1, sizeof(Statement)) !=
        MD_OK) {
        report_at(d, MD_ERR_MEMORY, line, NULL, "out of memory while reading the script");
        return NULL;
    }
    Statement *s = &d->out[d->n_out];
    memset(s, 0, sizeof(*s));
    s->line = line;
    return s;
}

/* Names the command of the line in err->where when the line starts with a known one. */
static void note_command(const LogicalLine *ll, MdError *e)
{
    int32_t from = 0;
    while (ll->text[from] == ' ' || ll->text[from] == '\t')
        from++;
    int32_t w = parser_command_word(ll->text, from, (int32_t)strlen(ll->text));
    char name[64];
    if (w <= 0 || w >= (int32_t)sizeof(name))
        return;
    memcpy(name, ll->text + from, (size_t)w);
    name[w] = '\0';
    if (lang_command_find(name))
        md_error_where(e, "%s", name);
}

/* Rewrites bindings in one command line, parses it and appends the statement. */
static void emit_command(Driver *d, const LogicalLine *ll)
{
    MdError e;
    md_error_clear(&e);
    const char *text;
    LineMap map;
    if (bindings_rewrite_line(d->arena, d->bindings, ll->text, &ll->map, &text, &map, &e) !=
        MD_OK) {
        note_command(ll, &e);
        report(d, &e);
        return;
    }
    d->expanded_bytes += strlen(text);
    if (d->expanded_bytes > LANG_MAX_EXPANDED_BYTES) {
        report_at(d, MD_ERR_LIMIT, ll->line, "use fewer loop iterations",
                  "the script expands to more than 16 MB of commands");
        return;
    }
    Command cmd;
    if (parser_parse_command(d->arena, text, &map, &cmd, &e) != MD_OK) {
        report(d, &e);
        return;
    }
    Statement *s = new_statement(d, ll->line);
    if (s) {
        s->kind = STATEMENT_COMMAND;
        s->command = cmd;
        d->n_out++;
    }
}

/* Appends a Markdown statement. */
static void emit_textblock(Driver *d, const LogicalLine *ll)
{
    Statement *s = new_statement(d, ll->line);
    if (s) {
        s->kind = STATEMENT_TEXTBLOCK;
        s->markdown = ll->markdown;
        d->n_out++;
    }
}

/* ==== let ============================================================================== */

/* Lexes text after the keyword at word_end and replaces $name tokens by their values. */
static MdStatus lex_substituted(Driver *d, const LogicalLine *ll, int32_t word_end,
                                Lexed *lx, MdError *e)
{
    MdStatus rc = lexer_run(d->arena, ll->text, word_end, (int32_t)strlen(ll->text), &ll->map,
                            lx, e);
    for (int32_t i = 0; rc == MD_OK && i < lx->n; i++) {
        Token *t = &lx->tokens[i];
        if (t->kind != TOKEN_NAME || t->text[0] != '$')
            continue;
        BindValue v;
        if (!bindings_get(d->bindings, t->text + 1, &v))
            return lang_error_at(e, MD_ERR_NAME, t, "define it with let first",
                                 "unknown binding '%.60s'", t->text);
        *t = bindvalue_token(d->arena, &v, t);
        if (!t->text)
            return md_error_set(e, MD_ERR_MEMORY, "out of memory while expanding bindings");
    }
    return rc;
}

/* let name = expr: evaluates the right side now and binds it in the current scope. */
static void run_let(Driver *d, const LogicalLine *ll, int32_t word_end)
{
    MdError e;
    md_error_clear(&e);
    Lexed lx;
    BindValue v;
    MdStatus rc = lex_substituted(d, ll, word_end, &lx, &e);
    if (rc == MD_OK && (lx.n < 3 || lx.tokens[0].kind != TOKEN_NAME ||
                        !token_is_op(&lx.tokens[1], "=")))
        rc = lang_error_at(&e, MD_ERR_SYNTAX, lx.n ? &lx.tokens[0] : &lx.tokens[lx.n],
                           "write let name = value", "let: expected a name, '=' and a value");
    if (rc == MD_OK)
        rc = bindexpr_eval(d->arena, d->bindings, lx.tokens + 2, lx.n - 2, &v, &e);
    if (rc == MD_OK) {
        rc = bindings_set(d->bindings, lx.tokens[0].text, v);
        if (rc != MD_OK)
            lang_error_at(&e, rc, &lx.tokens[0], NULL, "cannot store the binding (limit is "
                          "10000 bindings)");
    }
    if (rc != MD_OK) {
        md_error_where(&e, "let");
        report(d, &e);
    }
}

/* ==== for: header ====================================================================== */

static MdStatus add_value(Driver *d, LoopGroup *g, int32_t list, BindValue v, int32_t *len,
                          const Token *at, MdError *e)
{
    if (*len >= LANG_MAX_LOOP_ITERATIONS)
        return lang_error_at(e, MD_ERR_LIMIT, at, "loop over fewer values",
                             "for: list longer than %d values", LANG_MAX_LOOP_ITERATIONS);
    if (*len % 64 == 0) {
        BindValue *more = arena_alloc(d->arena, (size_t)(*len + 64) * sizeof(BindValue));
        if (!more)
            return md_error_set(e, MD_ERR_MEMORY, "out of memory");
        if (*len)
            memcpy(more, g->values[list], (size_t)*len * sizeof(BindValue));
        g->values[list] = more;
    }
    g->values[list][(*len)++] = v;
    return MD_OK;
}

/* lo : hi, inclusive, whole numbers, upwards or downwards. */
static MdStatus parse_range(Driver *d, LoopGroup *g, int32_t list, const Token *t, int32_t n,
                            int32_t colon, int32_t *len, MdError *e)
{
    BindValue lo, hi;
    for (int32_t i = colon + 1; i < n; i++) {
        if (token_is_op(&t[i], ":"))
            return lang_error_at(e, MD_ERR_SYNTAX, &t[i], "a range steps by 1 (or -1 "
                                 "downwards); list the values (2000 2002 2004), or loop over "
                                 "0 : 2 and let y = 2000 + 2 * $i", "for: a range has no step");
    }
    MdStatus rc = bindexpr_eval(d->arena, d->bindings, t, colon, &lo, e);
    if (rc == MD_OK)
        rc = bindexpr_eval(d->arena, d->bindings, t + colon + 1, n - colon - 1, &hi, e);
    if (rc != MD_OK)
        return rc;
    if (lo.kind != BIND_NUMBER || hi.kind != BIND_NUMBER || lo.number != floor(lo.number) ||
        hi.number != floor(hi.number) || fabs(lo.number) > 1e9 || fabs(hi.number) > 1e9)
        return lang_error_at(e, MD_ERR_VALUE, &t[colon], "write a range of whole numbers, "
                             "as 2000 : 2002", "for: a range needs whole numbers");
    double step = lo.number <= hi.number ? 1 : -1;
    if ((hi.number - lo.number) * step >= LANG_MAX_LOOP_ITERATIONS)
        return lang_error_at(e, MD_ERR_LIMIT, &t[colon], "loop over fewer values",
                             "for: range longer than %d values", LANG_MAX_LOOP_ITERATIONS);
    for (double v = lo.number; rc == MD_OK && (v - hi.number) * step <= 0; v += step) {
        BindValue x = {.kind = BIND_NUMBER, .number = v};
        rc = add_value(d, g, list, x, len, &t[colon], e);
    }
    return rc;
}

/* The value of the list item t[0, span): a bare value as written, anything else (a call,
 * a ++ join) evaluated as a binding. */
static MdStatus list_item(Driver *d, const Token *t, int32_t span, BindValue *v, MdError *e)
{
    memset(v, 0, sizeof(*v));
    if (span == 2 && t[1].kind == TOKEN_NUMBER) { /* -5 */
        v->number = -t[1].number;
        return MD_OK;
    }
    if (span > 1)
        return bindexpr_eval(d->arena, d->bindings, t, span, v, e);
    if (t->kind == TOKEN_NUMBER) {
        v->number = t->number;
    } else {
        v->kind = t->kind == TOKEN_NAME ? BIND_SYMBOL : BIND_STRING;
        v->text = t->text;
    }
    return MD_OK;
}

/* One list: `a : b`, or items separated by blanks (and commas when allow_commas). An item
 * is a value, a negative number, a binding-function call or a ++ join of them. */
static MdStatus parse_list(Driver *d, LoopGroup *g, int32_t list, const Token *t, int32_t n,
                           bool allow_commas, int32_t *len, MdError *e)
{
    *len = 0;
    for (int32_t i = 0; i < n; i++) {
        if (token_is_op(&t[i], ":"))
            return parse_range(d, g, list, t, n, i, len, e);
    }
    for (int32_t i = 0; i < n; i++) {
        if (allow_commas && token_is_op(&t[i], ","))
            continue;
        int32_t span = bindexpr_item_span(t + i, n - i);
        if (span == 0) {
            char buf[96];
            return lang_error_at(e, MD_ERR_SYNTAX, &t[i], "list values separated by blanks or "
                                 "commas, without parentheses", "for: unexpected %s in the list",
                                 token_describe(&t[i], buf, sizeof(buf)));
        }
        BindValue v;
        MdStatus rc = list_item(d, t + i, span, &v, e);
        if (rc == MD_OK)
            rc = add_value(d, g, list, v, len, &t[i], e);
        if (rc != MD_OK)
            return rc;
        i += span - 1;
    }
    if (*len == 0)
        return lang_error_at(e, MD_ERR_SYNTAX, &t[n], "give at least one value after 'in'",
                             "for: empty list");
    return MD_OK;
}

/* One list per loop variable: with several variables the lists are comma-separated. */
static MdStatus parse_lists(Driver *d, LoopGroup *g, const Token *t, int32_t n, MdError *e)
{
    int32_t from = 0;
    for (int32_t list = 0; list < g->n_vars; list++) {
        int32_t to = n;
        if (g->n_vars > 1) {
            int32_t depth = 0;
            for (to = from; to < n && (depth > 0 || !token_is_op(&t[to], ",")); to++)
                depth += token_is_op(&t[to], "(") ? 1 : token_is_op(&t[to], ")") ? -1 : 0;
            if ((to == n) != (list == g->n_vars - 1))
                return lang_error_at(e, MD_ERR_SYNTAX, &t[to < n ? to : n],
                                     "give one list per variable, separated by commas",
                                     "for: %d variables need %d lists", g->n_vars, g->n_vars);
        }
        int32_t len = 0;
        MdStatus rc = parse_list(d, g, list, t + from, to - from, g->n_vars == 1, &len, e);
        if (rc != MD_OK)
            return rc;
        if (list > 0 && len != g->length)
            return lang_error_at(e, MD_ERR_VALUE, &t[from], "zipped lists run in step",
                                 "for: the lists have different lengths (%d and %d)",
                                 g->length, len);
        g->length = len;
        from = to + 1;
    }
    return MD_OK;
}

/* group := NAME (',' NAME)* 'in' lists */
static MdStatus parse_group(Driver *d, LoopGroup *g, const Token *t, int32_t n, MdError *e)
{
    int32_t i = 0;
    memset(g, 0, sizeof(*g));
    while (i < n && !token_is_word(&t[i], "in")) {
        if (t[i].kind != TOKEN_NAME || t[i].text[0] == '$' || g->n_vars == 16)
            return lang_error_at(e, MD_ERR_SYNTAX, &t[i], "write for name in values",
                                 "for: expected a loop variable name");
        g->vars[g->n_vars++] = t[i++].text;
        if (i < n && token_is_op(&t[i], ","))
            i++;
    }
    if (g->n_vars == 0 || i >= n)
        return lang_error_at(e, MD_ERR_SYNTAX, &t[i < n ? i : n],
                             "write for name in values", "for: expected 'name in list'");
    return parse_lists(d, g, t + i + 1, n - i - 1, e);
}

/* header := group (';' group)*, after $ substitution. */
static MdStatus parse_header(Driver *d, const LogicalLine *ll, int32_t word_end,
                             LoopGroup *groups, int32_t *n_groups, MdError *e)
{
    Lexed lx;
    MdStatus rc = lex_substituted(d, ll, word_end, &lx, e);
    int32_t from = 0;
    *n_groups = 0;
    while (rc == MD_OK && from <= lx.n) {
        int32_t to = from;
        while (to < lx.n && !token_is_op(&lx.tokens[to], ";"))
            to++;
        if (*n_groups == 8)
            return lang_error_at(e, MD_ERR_LIMIT, &lx.tokens[to], NULL,
                                 "for: at most 8 groups separated by ';'");
        rc = parse_group(d, &groups[(*n_groups)++], lx.tokens + from, to - from, e);
        from = to + 1;
    }
    return rc;
}

/* ==== for: expansion =================================================================== */

static void expand(Driver *d, int32_t from, int32_t to);

/* Runs the body once per combination; group 0 varies fastest. Each iteration is a scope. */
static void run_iterations(Driver *d, const LogicalLine *ll, LoopGroup *groups, int32_t n,
                           int32_t body_from, int32_t body_to)
{
    int64_t total = 1;
    for (int32_t g = 0; g < n && total <= LANG_MAX_LOOP_ITERATIONS; g++)
        total *= groups[g].length; /* each length <= the limit, so this cannot overflow */
    if (total > LANG_MAX_LOOP_ITERATIONS) {
        report_at(d, MD_ERR_LIMIT, ll->line, "loop over fewer values",
                  "for: too many iterations (limit is 10000)");
        return;
    }
    for (int64_t it = 0; it < total && !d->stop; it++) {
        int32_t mark = bindings_mark(d->bindings);
        int64_t rest = it;
        MdStatus rc = MD_OK;
        for (int32_t g = 0; g < n && rc == MD_OK; g++) {
            int32_t k = (int32_t)(rest % groups[g].length);
            rest /= groups[g].length;
            for (int32_t v = 0; v < groups[g].n_vars && rc == MD_OK; v++)
                rc = bindings_set(d->bindings, groups[g].vars[v], groups[g].values[v][k]);
        }
        if (rc != MD_OK)
            report_at(d, rc, ll->line, NULL, "cannot store the loop variables");
        else
            expand(d, body_from, body_to);
        bindings_pop(d->bindings, mark);
    }
}

/* The offset just after the line's first word when that word is `word`, else 0. */
static int32_t first_word(const LogicalLine *ll, const char *word)
{
    if (ll->kind != LINE_COMMAND)
        return 0;
    int32_t from = 0;
    while (ll->text[from] == ' ' || ll->text[from] == '\t')
        from++;
    int32_t w = parser_command_word(ll->text, from, (int32_t)strlen(ll->text));
    size_t n = strlen(word);
    return (size_t)w == n && memcmp(ll->text + from, word, n) == 0 ? from + w : 0;
}

/* The `end` that closes the `for` at from (nested loops counted), or -1. */
static int32_t find_end(const Driver *d, int32_t from, int32_t to)
{
    int32_t depth = 0;
    for (int32_t i = from + 1; i < to; i++) {
        if (first_word(&d->lines[i], "for"))
            depth++;
        else if (first_word(&d->lines[i], "end") && depth-- == 0)
            return i;
    }
    return -1;
}

/* A `for` line and its body [at + 1, end). */
static void run_for(Driver *d, int32_t at, int32_t end)
{
    const LogicalLine *ll = &d->lines[at];
    MdError e;
    md_error_clear(&e);
    LoopGroup groups[8];
    int32_t n = 0;
    if (d->depth >= LANG_MAX_LOOP_DEPTH) {
        report_at(d, MD_ERR_LIMIT, ll->line, NULL, "for: loops nested too deeply (limit 32)");
        return;
    }
    if (parse_header(d, ll, first_word(ll, "for"), groups, &n, &e) != MD_OK) {
        md_error_where(&e, "for");
        report(d, &e);
        return;
    }
    d->depth++;
    run_iterations(d, ll, groups, n, at + 1, end);
    d->depth--;
}

static void expand(Driver *d, int32_t from, int32_t to)
{
    for (int32_t i = from; i < to && !d->stop; i++) {
        const LogicalLine *ll = &d->lines[i];
        int32_t word_end;
        if (++d->lines_done > LANG_MAX_EXPANDED_LINES) {
            report_at(d, MD_ERR_LIMIT, ll->line, "use fewer or shorter loops",
                      "the loops expand to more than 200000 lines");
            d->stop = true;
            return;
        }
        if (ll->kind == LINE_ERROR) {
            report(d, ll->error);
        } else if (ll->kind == LINE_TEXTBLOCK) {
            emit_textblock(d, ll);
        } else if (first_word(ll, "for")) {
            int32_t end = find_end(d, i, to);
            if (end < 0) {
                report_at(d, MD_ERR_SYNTAX, ll->line, "close the loop with a line 'end'",
                          "for without end");
                return;
            }
            run_for(d, i, end);
            i = end;
        } else if (first_word(ll, "end")) {
            report_at(d, MD_ERR_SYNTAX, ll->line, "remove it or open a loop with for",
                      "end without for");
        } else if ((word_end = first_word(ll, "let")) > 0) {
            run_let(d, ll, word_end);
        } else {
            emit_command(d, ll);
        }
    }
}

/* ==== Entry ============================================================================ */

/* Runs the driver over text. bindings is the store to start from (kept by the caller), or
 * NULL for a fresh one that is freed at the end. */
static int32_t run_driver(Arena *arena, const char *text, size_t len, bool collect,
                          Bindings *bindings, MdError *errs, int32_t max_errs, Script **script)
{
    Driver d = {.arena = arena, .collect = collect, .errs = errs, .max_errs = max_errs};
    LogicalLine *lines = NULL;
    int32_t n_lines = 0;
    MdError e;
    md_error_clear(&e);
    if (preprocess_lines(arena, text, len, &lines, &n_lines, &e) != MD_OK) {
        report(&d, &e);
        return d.n_errs;
    }
    d.lines = lines;
    d.bindings = bindings ? bindings : bindings_new();
    if (!d.bindings) {
        report_at(&d, MD_ERR_MEMORY, 0, NULL, "out of memory");
        return d.n_errs;
    }
    expand(&d, 0, n_lines);
    if (!bindings)
        bindings_free(d.bindings);
    if (d.n_errs == 0 && script) {
        *script = arena_alloc(arena, sizeof(Script));
        Statement *copy = arena_alloc(arena, (size_t)(d.n_out ? d.n_out : 1) * sizeof(Statement));
        if (!*script || !copy) {
            report_at(&d, MD_ERR_MEMORY, 0, NULL, "out of memory");
        } else {
            if (d.n_out > 0)
                memcpy(copy, d.out, (size_t)d.n_out * sizeof(Statement));
            (*script)->statements = copy;
            (*script)->n_statements = d.n_out;
        }
    }
    md_free(d.out);
    return d.n_errs;
}

Script *lang_parse_script(Arena *arena, const char *text, size_t len, MdError *err)
{
    Script *script = NULL;
    MdError local;
    md_error_clear(&local);
    int32_t n = run_driver(arena, text, len, false, NULL, &local, 1, &script);
    if (n > 0) {
        if (err->status == MD_OK)
            *err = local;
        return NULL;
    }
    return script;
}

Script *lang_parse_script_kept(Arena *arena, LangBindings *kept, const char *text, size_t len,
                               MdError *err)
{
    Bindings *b = lang_bindings_store(kept);
    int32_t mark = bindings_mark(b);
    Script *script = NULL;
    MdError local;
    md_error_clear(&local);
    int32_t n = run_driver(arena, text, len, false, b, &local, 1, &script);
    if (n > 0) {
        bindings_pop(b, mark);
        if (err->status == MD_OK)
            *err = local;
        return NULL;
    }
    if (lang_bindings_keep(kept, mark) != MD_OK) {
        md_error_set(err, MD_ERR_MEMORY, "out of memory keeping the bindings");
        return NULL;
    }
    return script;
}

int32_t lang_check_script(Arena *arena, const char *text, size_t len, MdError *errs,
                          int32_t max_errors)
{
    return run_driver(arena, text, len, true, NULL, errs, max_errors < 0 ? 0 : max_errors,
                      NULL);
}
