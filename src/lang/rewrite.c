/*
 * rewrite.c - rewrites one command line before it is parsed: `$name` becomes the binding's
 * value, `a ++ b` becomes one joined token, and calls of binding functions (date_fmt,
 * to_int, to_str, to_symbol, bind) become their result where the line is not an
 * expression. The rest of the line is copied byte for byte, so the command text the user
 * sees is the line as written with the bindings filled in.
 *
 * Binding contexts on a command line: the positional arguments (names, paths, import dates
 * and `as` names, dataset names), the options, and the operands of `++`. The value of
 * generate/replace and the `if` condition are expressions: there date_fmt, to_int, to_str
 * and to_symbol stay and the engine evaluates them per row (functions_binding.c); only
 * bind(), which has no meaning for data, is replaced everywhere. The split into arguments,
 * value, condition and options is the parser's (parser.c split_line).
 *
 * The right operand of `++` extends over number arithmetic (`siv_ ++ $aar + 2` is
 * siv_2002); the left operand is one value. An operand may be a call or a parenthesised
 * binding expression (`lonn ++ to_str($aar - 1)`). Strings are re-quoted, dates and numbers
 * and symbols are written bare.
 */
#include <string.h>

#include "lang/lang_int.h"

typedef struct Item {
    Token tok;
    int32_t start;
    int32_t end;
    bool changed;
    bool has_val;
    bool in_expr;      /* inside the value of generate/replace or an if condition */
    bool keep_quotes;  /* a string that looks like a date stays a string: to_str($d) */
    BindValue val;
    int32_t new_len;   /* bytes of the rendered value (changed items, after rebuild) */
} Item;

typedef struct Rewriter {
    Arena *arena;
    const Bindings *b;
    Item *items;
    int32_t n;
    MdError *err;
} Rewriter;

/* ==== Items ============================================================================ */

static bool line_needs_rewrite(const Lexed *lx)
{
    for (int32_t i = 0; i < lx->n; i++) {
        const Token *t = &lx->tokens[i];
        if (t->kind == TOKEN_NAME && (t->text[0] == '$' ||
                                      bindexpr_is_binding_function(t->text)))
            return true;
        if (token_is_op(t, "++"))
            return true;
    }
    return false;
}

/* One item per token, with $name already replaced by its value. */
static MdStatus make_items(Rewriter *rw, const Lexed *lx)
{
    rw->items = arena_alloc(rw->arena, (size_t)(lx->n + 1) * sizeof(Item));
    if (!rw->items)
        return md_error_set(rw->err, MD_ERR_MEMORY, "out of memory while expanding bindings");
    for (int32_t i = 0; i <= lx->n; i++) {
        Item *it = &rw->items[i];
        const Token *t = &lx->tokens[i];
        it->tok = *t;
        it->start = lx->start[i];
        it->end = lx->end[i];
        it->has_val = t->kind != TOKEN_OP && t->kind != TOKEN_DOT && t->kind != TOKEN_END &&
                      t->kind != TOKEN_PATH;
        it->val.kind = t->kind == TOKEN_NUMBER ? BIND_NUMBER
                       : t->kind == TOKEN_NAME ? BIND_SYMBOL : BIND_STRING;
        it->val.number = t->number;
        it->val.text = t->text;
        if (t->kind == TOKEN_NAME && t->text[0] == '$') {
            if (!bindings_get(rw->b, t->text + 1, &it->val))
                return lang_error_at(rw->err, MD_ERR_NAME, t,
                                     "define it with let (or as a for variable) first",
                                     "unknown binding '%.60s'", t->text);
            it->changed = true;
            it->tok = bindvalue_token(rw->arena, &it->val, t);
            if (!it->tok.text)
                return md_error_set(rw->err, MD_ERR_MEMORY, "out of memory while expanding");
        }
    }
    rw->n = lx->n;
    return MD_OK;
}

/* Replaces items [from, to] by one item holding val. */
static MdStatus collapse_items(Rewriter *rw, int32_t from, int32_t to, const BindValue *val)
{
    Item *first = &rw->items[from];
    first->end = rw->items[to].end;
    first->changed = true;
    first->has_val = true;
    first->val = *val;
    first->tok = bindvalue_token(rw->arena, val, &first->tok);
    int32_t removed = to - from;
    memmove(&rw->items[from + 1], &rw->items[to + 1],
            (size_t)(rw->n - to) * sizeof(Item)); /* includes the END item */
    rw->n -= removed;
    if (!first->tok.text)
        return md_error_set(rw->err, MD_ERR_MEMORY, "out of memory while expanding bindings");
    return MD_OK;
}

/* Evaluates items [from, to] as a binding expression. */
static MdStatus eval_items(Rewriter *rw, int32_t from, int32_t to, BindValue *out)
{
    int32_t n = to - from + 1;
    Token *tokens = arena_alloc(rw->arena, (size_t)(n + 1) * sizeof(Token));
    if (!tokens)
        return md_error_set(rw->err, MD_ERR_MEMORY, "out of memory while expanding bindings");
    for (int32_t k = 0; k < n; k++)
        tokens[k] = rw->items[from + k].tok;
    tokens[n] = (Token){.kind = TOKEN_END, .text = "", .line = tokens[n - 1].line,
                        .column = tokens[n - 1].column};
    return bindexpr_eval(rw->arena, rw->b, tokens, n, out, rw->err);
}

/* ==== Regions ========================================================================== */

/* Marks the items of the value (generate/replace) and of the if condition, split as the
 * parser splits: at depth 0 the first comma starts the options, an `if` before it the
 * condition, and for name = expr commands the first '=' before that the value. Lines of
 * unknown commands and free-text commands count as expressions: nothing is evaluated. */
static void mark_expressions(Rewriter *rw, const char *text)
{
    int32_t len = (int32_t)strlen(text), from = 0;
    while (from < len && (text[from] == ' ' || text[from] == '\t'))
        from++;
    int32_t w = parser_command_word(text, from, len);
    char name[64];
    const CommandSpec *spec = NULL;
    if (w > 0 && w < (int32_t)sizeof(name)) {
        memcpy(name, text + from, (size_t)w);
        name[w] = '\0';
        spec = lang_command_find(name);
    }
    bool all = !spec || spec->grammar == GRAMMAR_TEXT;
    bool in_expr = false, seen_if = false, seen_eq = false;
    int32_t depth = 0;
    for (int32_t k = 0; k < rw->n; k++) {
        Item *it = &rw->items[k];
        if (!all && it->start >= from + w) {
            if (token_is_op(&it->tok, "(")) {
                depth++;
            } else if (token_is_op(&it->tok, ")")) {
                depth--;
            } else if (depth == 0 && token_is_op(&it->tok, ",")) {
                break; /* the options: items are made with in_expr false */
            } else if (depth == 0 && !seen_if && token_is_word(&it->tok, "if")) {
                seen_if = in_expr = true;
                it->in_expr = false;
                continue;
            } else if (depth == 0 && !seen_if && !seen_eq &&
                       spec->grammar == GRAMMAR_ASSIGN && token_is_op(&it->tok, "=")) {
                seen_eq = in_expr = true;
                it->in_expr = false;
                continue;
            }
        }
        it->in_expr = all || in_expr;
    }
}

/* ==== Binding-function calls =========================================================== */

static int32_t matching_paren(const Rewriter *rw, int32_t open)
{
    int32_t depth = 0;
    for (int32_t k = open; k < rw->n; k++) {
        if (token_is_op(&rw->items[k].tok, "("))
            depth++;
        else if (token_is_op(&rw->items[k].tok, ")") && --depth == 0)
            return k;
    }
    return -1;
}

/* The '(' that the ')' at item close closes, or -1. */
static int32_t matching_open(const Rewriter *rw, int32_t close)
{
    int32_t depth = 0;
    for (int32_t k = close; k >= 0; k--) {
        if (token_is_op(&rw->items[k].tok, ")"))
            depth++;
        else if (token_is_op(&rw->items[k].tok, "(") && --depth == 0)
            return k;
    }
    return -1;
}

/* A call of a binding function at item k: NAME '(' as written (not a substituted value). */
static bool is_binding_call(const Rewriter *rw, int32_t k)
{
    const Item *it = &rw->items[k];
    return k + 1 < rw->n && it->tok.kind == TOKEN_NAME && !it->changed &&
           bindexpr_is_binding_function(it->tok.text) &&
           token_is_op(&rw->items[k + 1].tok, "(");
}

/* Evaluates items [from, to] as one binding value and puts it in their place. */
static MdStatus reduce_items(Rewriter *rw, int32_t from, int32_t to)
{
    BindValue val;
    MdStatus rc = eval_items(rw, from, to, &val);
    if (rc == MD_OK)
        rc = collapse_items(rw, from, to, &val);
    return rc;
}

/* Replaces binding-function calls outside expressions (and bind() everywhere) by their
 * values. Inside an expression the engine evaluates them; nested bind() calls still go. */
static MdStatus rewrite_calls(Rewriter *rw)
{
    for (int32_t k = 0; k + 1 < rw->n; k++) {
        if (!is_binding_call(rw, k))
            continue;
        if (rw->items[k].in_expr && strcmp(rw->items[k].tok.text, "bind") != 0) {
            /* to_str($d) with $d = '2015-01-01' is that text, not a day number */
            if (k + 3 < rw->n && rw->items[k + 2].changed &&
                token_is_op(&rw->items[k + 3].tok, ")"))
                rw->items[k + 2].keep_quotes = true;
            continue;
        }
        int32_t close = matching_paren(rw, k + 1);
        if (close < 0)
            continue; /* the parser reports the unclosed '(' */
        MdStatus rc = reduce_items(rw, k, close);
        if (rc != MD_OK)
            return rc;
    }
    return MD_OK;
}

/* ==== ++ =============================================================================== */

static bool is_arith(const Token *t)
{
    return token_is_op(t, "+") || token_is_op(t, "-") || token_is_op(t, "*") ||
           token_is_op(t, "/");
}

/* Item k names a function of the table as written (db/VAR (...) is no call). */
static bool is_function_name(const Rewriter *rw, int32_t k)
{
    const Item *it = &rw->items[k];
    return it->tok.kind == TOKEN_NAME && !it->changed && lang_function_find(it->tok.text);
}

/* A call of a data function next to ++ (substr(a, 1, 2) ++ 'x') cannot be joined. */
static MdStatus check_operand_call(Rewriter *rw, int32_t name)
{
    const Token *t = &rw->items[name].tok;
    if (t->kind != TOKEN_NAME || bindexpr_function_usable(t->text))
        return MD_OK;
    return lang_error_at(rw->err, MD_ERR_SYNTAX, t, "++ joins names and bindings (lonn ++ "
                         "$aar); join strings in the data with rowconcat()",
                         "'++' cannot join the result of %.60s()", t->text);
}

/* Reduces a call or a parenthesised group right before the ++ at *k (its index moves)
 * and one right after it to single values, so `f(...) ++ g(...)` joins their results. */
static MdStatus reduce_operands(Rewriter *rw, int32_t *k)
{
    MdStatus rc = MD_OK;
    if (*k > 0 && token_is_op(&rw->items[*k - 1].tok, ")")) {
        int32_t open = matching_open(rw, *k - 1);
        if (open >= 0) {
            int32_t from = open > 0 && is_function_name(rw, open - 1) ? open - 1 : open;
            rc = from < open ? check_operand_call(rw, from) : MD_OK;
            if (rc == MD_OK)
                rc = reduce_items(rw, from, *k - 1);
            if (rc != MD_OK)
                return rc;
            *k = from + 1;
        }
    }
    int32_t r = *k + 1, close = -1;
    if (r + 1 < rw->n && is_function_name(rw, r) && token_is_op(&rw->items[r + 1].tok, "(")) {
        rc = check_operand_call(rw, r);
        close = matching_paren(rw, r + 1);
    } else if (r < rw->n && token_is_op(&rw->items[r].tok, "(")) {
        close = matching_paren(rw, r);
    }
    return rc == MD_OK && close >= 0 ? reduce_items(rw, r, close) : rc;
}

/* Joins the values around the ++ at item *at; the right operand takes number arithmetic
 * with it (siv_ ++ $aar + 2). */
static MdStatus join_at(Rewriter *rw, int32_t *at)
{
    MdStatus rc0 = reduce_operands(rw, at);
    if (rc0 != MD_OK)
        return rc0;
    int32_t k = *at;
    const Token *op = &rw->items[k].tok;
    if (k == 0 || !rw->items[k - 1].has_val || k + 1 >= rw->n || !rw->items[k + 1].has_val)
        return lang_error_at(rw->err, MD_ERR_SYNTAX, op,
                             "++ joins names and bindings (lonn ++ $aar); join strings in "
                             "the data with rowconcat()", "'++' needs a value on both sides");
    int32_t r = k + 1;
    if (rw->items[r].val.kind == BIND_NUMBER) {
        while (r + 2 < rw->n && is_arith(&rw->items[r + 1].tok) && rw->items[r + 2].has_val &&
               rw->items[r + 2].val.kind == BIND_NUMBER)
            r += 2;
    }
    BindValue right, joined;
    MdStatus rc = eval_items(rw, k + 1, r, &right);
    if (rc != MD_OK)
        return rc;
    BindValue left = rw->items[k - 1].val;
    Token pair[4] = {rw->items[k - 1].tok, *op, rw->items[k + 1].tok,
                     {.kind = TOKEN_END, .text = ""}};
    pair[0] = bindvalue_token(rw->arena, &left, &pair[0]);
    pair[2] = bindvalue_token(rw->arena, &right, &pair[2]);
    if (!pair[0].text || !pair[2].text)
        return md_error_set(rw->err, MD_ERR_MEMORY, "out of memory while expanding bindings");
    if (right.kind == BIND_STRING)
        pair[2].kind = TOKEN_STRING;
    if (left.kind == BIND_STRING)
        pair[0].kind = TOKEN_STRING;
    rc = bindexpr_eval(rw->arena, rw->b, pair, 3, &joined, rw->err);
    if (rc != MD_OK)
        return rc;
    return collapse_items(rw, k - 1, r, &joined);
}

/* Applies every ++ from left to right. */
static MdStatus rewrite_joins(Rewriter *rw)
{
    for (int32_t k = 0; k < rw->n; k++) {
        if (!token_is_op(&rw->items[k].tok, "++"))
            continue;
        MdStatus rc = join_at(rw, &k);
        if (rc != MD_OK)
            return rc;
        k--; /* the joined item now sits at k - 1; the next ++ may follow it */
    }
    return MD_OK;
}

/* ==== Text ============================================================================= */

static MdStatus rebuild(Rewriter *rw, const char *text, const char **out)
{
    StrBuf sb;
    strbuf_init(&sb, LANG_MAX_EXPANDED_BYTES);
    int32_t pos = 0;
    MdStatus rc = MD_OK;
    for (int32_t k = 0; k < rw->n && rc == MD_OK; k++) {
        Item *it = &rw->items[k];
        if (!it->changed)
            continue;
        if (it->val.kind == BIND_STRING && it->val.text && strchr(it->val.text, '\'') &&
            strchr(it->val.text, '"')) {
            strbuf_free(&sb);
            return lang_error_at(rw->err, MD_ERR_VALUE, &it->tok,
                                 "use only one kind of quote inside the string",
                                 "a string holding both ' and \" cannot be written into a "
                                 "command");
        }
        bool quote = it->keep_quotes && it->val.kind == BIND_STRING && it->val.text &&
                     !strchr(it->val.text, '\'');
        const char *value = quote ? arena_printf(rw->arena, "'%s'", it->val.text)
                            : bindvalue_render(rw->arena, &it->val);
        rc = value ? strbuf_append(&sb, text + pos, (size_t)(it->start - pos)) : MD_ERR_MEMORY;
        if (rc == MD_OK)
            rc = strbuf_puts(&sb, value);
        it->new_len = value ? (int32_t)strlen(value) : 0;
        pos = it->end;
    }
    if (rc == MD_OK)
        rc = strbuf_puts(&sb, text + pos);
    if (rc != MD_OK) {
        strbuf_free(&sb);
        return md_error_set(rw->err, rc, rc == MD_ERR_MEMORY ? "out of memory while expanding "
                            "bindings" : "the line is too long after expanding bindings");
    }
    *out = arena_strdup(rw->arena, sb.data ? sb.data : "");
    strbuf_free(&sb);
    return *out ? MD_OK : md_error_set(rw->err, MD_ERR_MEMORY, "out of memory");
}

/* Shifts each segment start of map by the growth of the replacements before it. */
static MdStatus shift_map(Rewriter *rw, const LineMap *map, LineMap *out)
{
    int32_t *off = arena_alloc(rw->arena, (size_t)(map->n > 0 ? map->n : 1) * sizeof(int32_t));
    if (!off)
        return md_error_set(rw->err, MD_ERR_MEMORY, "out of memory while expanding bindings");
    for (int32_t s = 0; s < map->n; s++) {
        int32_t shift = 0;
        for (int32_t k = 0; k < rw->n; k++) {
            const Item *it = &rw->items[k];
            if (it->changed && it->end <= map->offset[s])
                shift += it->new_len - (it->end - it->start);
        }
        off[s] = map->offset[s] + shift;
    }
    *out = *map;
    out->offset = off;
    return MD_OK;
}

MdStatus bindings_rewrite_line(Arena *arena, const Bindings *b, const char *text,
                               const LineMap *map, const char **out, LineMap *out_map,
                               MdError *err)
{
    Lexed lx;
    *out = text;
    *out_map = *map;
    int32_t len = (int32_t)strlen(text);
    MdStatus rc = lexer_run(arena, text, 0, len, map, &lx, err);
    if (rc != MD_OK || !line_needs_rewrite(&lx))
        return rc;
    Rewriter rw = {.arena = arena, .b = b, .err = err};
    rc = make_items(&rw, &lx);
    if (rc == MD_OK) {
        mark_expressions(&rw, text);
        rc = rewrite_calls(&rw);
    }
    if (rc == MD_OK)
        rc = rewrite_joins(&rw);
    if (rc == MD_OK)
        rc = rebuild(&rw, text, out);
    if (rc == MD_OK)
        rc = shift_map(&rw, map, out_map);
    return rc;
}
