/*
 * rewrite.c - rewrites one command line before it is parsed: `$name` becomes the binding's
 * value, calls of binding functions (date_fmt, bind always; to_int, to_str, to_symbol when
 * their arguments hold no variable names) become their result, and `a ++ b` becomes one
 * joined token. The rest of the line is copied byte for byte, so the command text the user
 * sees is the line as written with the bindings filled in.
 *
 * The right operand of `++` extends over number arithmetic (`siv_ ++ $aar + 2` is
 * siv_2002); the left operand is one value. Strings are re-quoted, dates and numbers and
 * symbols are written bare.
 */
#include <string.h>

#include "lang/lang_int.h"

typedef struct Item {
    Token tok;
    int32_t start;
    int32_t end;
    bool changed;
    bool has_val;
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

/* date_fmt and bind are always evaluated; to_* only without variable names inside. */
static bool call_is_constant(const Rewriter *rw, int32_t name, int32_t close)
{
    const char *fn = rw->items[name].tok.text;
    if (strcmp(fn, "date_fmt") == 0 || strcmp(fn, "bind") == 0)
        return true;
    for (int32_t k = name + 2; k < close; k++) {
        const Item *it = &rw->items[k];
        if (it->tok.kind == TOKEN_NAME && !it->changed &&
            !bindexpr_is_binding_function(it->tok.text))
            return false;
    }
    return true;
}

/* Replaces binding-function calls by their values. */
static MdStatus rewrite_calls(Rewriter *rw)
{
    for (int32_t k = 0; k + 1 < rw->n; k++) {
        const Item *it = &rw->items[k];
        if (it->tok.kind != TOKEN_NAME || it->changed ||
            !bindexpr_is_binding_function(it->tok.text) ||
            !token_is_op(&rw->items[k + 1].tok, "("))
            continue;
        int32_t close = matching_paren(rw, k + 1);
        if (close < 0 || !call_is_constant(rw, k, close))
            continue;
        BindValue val;
        MdStatus rc = eval_items(rw, k, close, &val);
        if (rc != MD_OK)
            return rc;
        rc = collapse_items(rw, k, close, &val);
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

/* Joins the values around the ++ at item k; the right operand takes number arithmetic
 * with it (siv_ ++ $aar + 2). */
static MdStatus join_at(Rewriter *rw, int32_t k)
{
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
        MdStatus rc = join_at(rw, k);
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
        const char *value = bindvalue_render(rw->arena, &it->val);
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
    if (rc == MD_OK)
        rc = rewrite_calls(&rw);
    if (rc == MD_OK)
        rc = rewrite_joins(&rw);
    if (rc == MD_OK)
        rc = rebuild(&rw, text, out);
    if (rc == MD_OK)
        rc = shift_map(&rw, map, out_map);
    return rc;
}
