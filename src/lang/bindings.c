/*
 * bindings.c - the client-side macro layer of language.md section 6: the binding store
 * (scoped by marks, so bindings made inside a loop iteration vanish after it; a LangBindings
 * keeps a store with copies of its values from one script to the next) and the
 * evaluator of binding expressions: let right-hand sides, for-list items and range ends,
 * and the binding contexts of a command line that rewrite.c hands over (calls in
 * arguments and options, ++ operands). Here every binding function gives a value or an
 * error; inside data expressions the engine evaluates them instead (missing, not errors).
 *
 *     concat := sum ('++' sum)*        sum := prod (('+'|'-') prod)*
 *     prod := pow (('*'|'/') pow)*     pow := unary ('^' pow)?     unary := '-' unary | prim
 *     prim := NUMBER | STRING | DATE | NAME (a symbol) | NAME '(' args ')' | '(' concat ')'
 * In a command line `++` binds looser than arithmetic on its right side, so
 * `siv_ ++ $aar + 2` with $aar = 2000 is the name siv_2002. Values never come from data.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lang/lang_int.h"

struct Bindings {
    char **names;
    BindValue *values;
    int32_t n;
    size_t cap_names;
    size_t cap_values;
};

/* ==== Store ============================================================================ */

Bindings *bindings_new(void)
{
    return md_calloc(1, sizeof(Bindings));
}

void bindings_free(Bindings *b)
{
    if (!b)
        return;
    bindings_pop(b, 0);
    md_free(b->names);
    md_free(b->values);
    md_free(b);
}

/* Pushes a binding (the name is copied; the value's text must live in the arena). A newer
 * binding hides an older one of the same name until bindings_pop removes it. */
MdStatus bindings_set(Bindings *b, const char *name, BindValue value)
{
    if (b->n >= LANG_MAX_BINDINGS)
        return MD_ERR_LIMIT;
    if (md_grow((void **)&b->names, &b->cap_names, (size_t)b->n + 1, sizeof(char *)) != MD_OK ||
        md_grow((void **)&b->values, &b->cap_values, (size_t)b->n + 1, sizeof(BindValue)) != MD_OK)
        return MD_ERR_MEMORY;
    char *copy = md_strdup(name);
    if (!copy)
        return MD_ERR_MEMORY;
    b->names[b->n] = copy;
    b->values[b->n] = value;
    b->n++;
    return MD_OK;
}

/* Looks name up, newest first (the innermost loop scope wins). */
bool bindings_get(const Bindings *b, const char *name, BindValue *value)
{
    for (int32_t i = b->n - 1; i >= 0; i--) {
        if (strcmp(b->names[i], name) == 0) {
            *value = b->values[i];
            return true;
        }
    }
    return false;
}

int32_t bindings_mark(const Bindings *b)
{
    return b->n;
}

/* Drops every binding made since bindings_mark returned mark (end of a loop iteration). */
void bindings_pop(Bindings *b, int32_t mark)
{
    while (b->n > mark) {
        b->n--;
        md_free(b->names[b->n]);
    }
}

/* ==== Bindings kept between scripts ===================================================== */

struct LangBindings {
    Bindings *bindings;
    Arena *arena; /* the texts of the kept values */
};

LangBindings *lang_bindings_new(void)
{
    LangBindings *kept = md_calloc(1, sizeof *kept);
    if (!kept)
        return NULL;
    kept->bindings = bindings_new();
    kept->arena = arena_new(4096);
    if (!kept->bindings || !kept->arena) {
        lang_bindings_free(kept);
        return NULL;
    }
    return kept;
}

void lang_bindings_free(LangBindings *kept)
{
    if (!kept)
        return;
    bindings_free(kept->bindings);
    arena_free(kept->arena);
    md_free(kept);
}

Bindings *lang_bindings_store(LangBindings *kept)
{
    return kept->bindings;
}

MdStatus lang_bindings_keep(LangBindings *kept, int32_t mark)
{
    Bindings *b = kept->bindings;
    for (int32_t i = mark; i < b->n; i++) {
        if (!b->values[i].text)
            continue;
        const char *copy = arena_strdup(kept->arena, b->values[i].text);
        if (!copy) {
            bindings_pop(b, mark);
            return MD_ERR_MEMORY;
        }
        b->values[i].text = copy;
    }
    int32_t top = mark; /* entries [0, top) have distinct names */
    for (int32_t i = mark; i < b->n; i++) {
        int32_t j = 0;
        while (j < top && strcmp(b->names[j], b->names[i]) != 0)
            j++;
        if (j < top) {
            b->values[j] = b->values[i];
            md_free(b->names[i]);
        } else {
            b->names[top] = b->names[i];
            b->values[top] = b->values[i];
            top++;
        }
    }
    b->n = top;
    return MD_OK;
}

/* ==== Values =========================================================================== */

static void format_number(double v, char *buf, size_t cap)
{
    if (v == floor(v) && fabs(v) < 1e15 && cap >= 24) {
        /* loop counters and years: by hand, printf's float path is the slow part of
         * expanding a loop */
        char digits[24];
        int64_t n = (int64_t)fabs(v);
        int32_t k = 0;
        do {
            digits[k++] = (char)('0' + n % 10);
            n /= 10;
        } while (n > 0);
        size_t at = 0;
        if (v < 0)
            buf[at++] = '-';
        while (k > 0)
            buf[at++] = digits[--k];
        buf[at] = '\0';
    } else {
        snprintf(buf, cap, "%.15g", v);
    }
}

/* The value as plain text: a number formatted, a string or symbol as it is. NULL on OOM. */
const char *bindvalue_text(Arena *arena, const BindValue *v)
{
    if (v->kind != BIND_NUMBER)
        return v->text;
    char buf[64];
    format_number(v->number, buf, sizeof(buf));
    return arena_strdup(arena, buf);
}

static bool is_iso_date(const char *s, int32_t *days)
{
    return strlen(s) == 10 && date_parse_iso(s, 10, days);
}

/* The value as it is written into a command line: strings quoted, except ISO dates, which
 * stay bare so that they lex as dates. */
const char *bindvalue_render(Arena *arena, const BindValue *v)
{
    int32_t days;
    if (v->kind != BIND_NUMBER && !v->text)
        return NULL;
    if (v->kind != BIND_STRING || is_iso_date(v->text, &days))
        return bindvalue_text(arena, v);
    char quote = strchr(v->text, '\'') ? '"' : '\'';
    return arena_printf(arena, "%c%s%c", quote, v->text, quote);
}

/* A token carrying v at the position of at; text NULL when out of memory. */
Token bindvalue_token(Arena *arena, const BindValue *v, const Token *at)
{
    Token t = *at;
    int32_t days;
    t.text = bindvalue_text(arena, v);
    t.number = v->number;
    t.kind = v->kind == BIND_NUMBER ? TOKEN_NUMBER : v->kind == BIND_SYMBOL ? TOKEN_NAME
                                                                            : TOKEN_STRING;
    if (v->kind == BIND_STRING && v->text && is_iso_date(v->text, &days)) {
        t.kind = TOKEN_DATE;
        t.date = days;
    }
    return t;
}

/* a ++ b: the texts joined; the kind follows the left side (a number takes the right side's). */
static MdStatus join_values(Arena *arena, const BindValue *a, const BindValue *b,
                            BindValue *out, const Token *at, MdError *err)
{
    const char *ta = bindvalue_text(arena, a);
    const char *tb = bindvalue_text(arena, b);
    if (!ta || !tb)
        return md_error_set(err, MD_ERR_MEMORY, "out of memory while joining with ++");
    if (strlen(ta) + strlen(tb) > LANG_MAX_VALUE_BYTES)
        return lang_error_at(err, MD_ERR_LIMIT, at, "build shorter names",
                             "'++' result longer than %d bytes", LANG_MAX_VALUE_BYTES);
    memset(out, 0, sizeof(*out));
    out->text = arena_printf(arena, "%s%s", ta, tb);
    if (!out->text)
        return md_error_set(err, MD_ERR_MEMORY, "out of memory while joining with ++");
    out->kind = a->kind == BIND_NUMBER ? b->kind : a->kind;
    if (out->kind == BIND_NUMBER &&
        !text_parse_double(out->text, strlen(out->text), false, &out->number))
        out->kind = BIND_STRING;
    return MD_OK;
}

/* ==== Evaluator ======================================================================== */

typedef struct BindEval {
    Arena *arena;
    const Bindings *b;
    const Token *t;
    int32_t n;
    int32_t i;
    int32_t depth;
    MdError *err;
} BindEval;

/* concat := sum ('++' sum)* */
static MdStatus eval_concat(BindEval *e, BindValue *out);

static const Token *bpeek(const BindEval *e)
{
    return &e->t[e->i < e->n ? e->i : e->n];
}

static bool baccept(BindEval *e, const char *op)
{
    if (e->i < e->n && token_is_op(&e->t[e->i], op)) {
        e->i++;
        return true;
    }
    return false;
}

/* Arithmetic in bindings is on numbers only; a string or symbol is a type error. */
static MdStatus need_number(BindEval *e, const BindValue *v, const Token *at, const char *op)
{
    if (v->kind == BIND_NUMBER)
        return MD_OK;
    return lang_error_at(e->err, MD_ERR_TYPE, at, "convert with to_int() or join with ++",
                         "'%s' in a binding needs numbers", op);
}

/* The one-argument math functions allowed in bindings; NaN for any other name. */
static double apply_math(const char *name, double x)
{
    static const struct { const char *name; double (*fn)(double); } table[] = {
        {"cos", cos}, {"sin", sin}, {"tan", tan}, {"acos", acos}, {"asin", asin},
        {"atan", atan}, {"sqrt", sqrt}, {"exp", exp}, {"ln", log}, {"log10", log10},
        {"abs", fabs}, {"int", trunc}, {"floor", trunc}, {"ceil", ceil},
    };
    for (size_t k = 0; k < MD_ARRAY_LEN(table); k++) {
        if (strcmp(table[k].name, name) == 0)
            return table[k].fn(x);
    }
    return NAN;
}

static bool is_math1(const char *name)
{
    return !isnan(apply_math(name, 0.5));
}

/* The functions whose meaning is about bindings rather than data. */
bool bindexpr_is_binding_function(const char *name)
{
    return strcmp(name, "date_fmt") == 0 || strcmp(name, "to_int") == 0 ||
           strcmp(name, "to_str") == 0 || strcmp(name, "to_symbol") == 0 ||
           strcmp(name, "bind") == 0;
}

/* date_fmt(y [, m [, d]]) -> 'YYYY-MM-DD'; bounds are checked before any cast. */
static MdStatus call_date_fmt(BindEval *e, const Token *at, BindValue *args, int32_t n,
                              BindValue *out)
{
    double part[3] = {0, 1, 1};
    for (int32_t k = 0; k < n; k++) {
        MdStatus rc = need_number(e, &args[k], at, "date_fmt");
        if (rc != MD_OK)
            return rc;
        part[k] = args[k].number;
    }
    bool whole = part[0] == floor(part[0]) && part[1] == floor(part[1]) &&
                 part[2] == floor(part[2]);
    bool in_range = part[0] >= 1 && part[0] <= 9999 && part[1] >= 1 && part[1] <= 12 &&
                    part[2] >= 1 && part[2] <= 31;
    if (!whole || !in_range ||
        !date_ymd_valid((int32_t)part[0], (int32_t)part[1], (int32_t)part[2]))
        return lang_error_at(e->err, MD_ERR_VALUE, at, "give a real year, month and day",
                             "date_fmt: not a valid date");
    out->kind = BIND_STRING;
    out->text = arena_printf(e->arena, "%04d-%02d-%02d", (int)part[0], (int)part[1],
                             (int)part[2]);
    return out->text ? MD_OK : md_error_set(e->err, MD_ERR_MEMORY, "out of memory");
}

/* to_int, to_str, to_symbol and bind (one argument each). */
static MdStatus call_binding(BindEval *e, const Token *at, const char *name, BindValue *args,
                             BindValue *out)
{
    memset(out, 0, sizeof(*out));
    if (strcmp(name, "to_int") == 0) {
        double v = args[0].number;
        if (args[0].kind != BIND_NUMBER &&
            !text_parse_double(args[0].text, strlen(args[0].text), true, &v))
            return lang_error_at(e->err, MD_ERR_VALUE, at, "give digits, as to_int('100')",
                                 "to_int: '%.60s' is not a number", args[0].text);
        out->number = trunc(v);
        return MD_OK;
    }
    const char *text = bindvalue_text(e->arena, &args[0]);
    if (!text)
        return md_error_set(e->err, MD_ERR_MEMORY, "out of memory while evaluating a binding");
    if (strcmp(name, "to_str") == 0) {
        out->kind = BIND_STRING;
        out->text = text;
        return MD_OK;
    }
    if (strcmp(name, "to_symbol") == 0) {
        bool ok = text && lexer_is_name_start((unsigned char)text[0]);
        for (const char *p = text; ok && *p; p++)
            ok = lexer_is_name_char((unsigned char)*p);
        if (!ok)
            return lang_error_at(e->err, MD_ERR_VALUE, at, "a symbol is a valid variable name",
                                 "to_symbol: not a valid name");
        out->kind = BIND_SYMBOL;
        out->text = text;
        return MD_OK;
    }
    if (!bindings_get(e->b, text, out))
        return lang_error_at(e->err, MD_ERR_NAME, at, "define it with let first",
                             "bind: no binding named '%.60s'", text);
    return MD_OK;
}

/* The functions a binding expression may call: the binding functions and math. */
bool bindexpr_function_usable(const char *name)
{
    return bindexpr_is_binding_function(name) || is_math1(name) || strcmp(name, "pi") == 0 ||
           strcmp(name, "round") == 0;
}

/* Dispatches a call in a binding expression after checking name and arity. */
static MdStatus call_function(BindEval *e, const Token *at, BindValue *args, int32_t n,
                              BindValue *out)
{
    const char *name = at->text;
    const FunctionSpec *fn = lang_function_find(name);
    if (!fn || !bindexpr_function_usable(name))
        return lang_error_at(e->err, MD_ERR_NAME, at,
                             "bindings can use date_fmt, to_int, to_str, to_symbol, bind and math",
                             "function '%.60s' cannot be used in a binding", name);
    if (n < fn->min_args || (fn->max_args >= 0 && n > fn->max_args))
        return lang_error_at(e->err, MD_ERR_SYNTAX, at, fn->signature,
                             "wrong number of arguments for %s", fn->signature);
    if (strcmp(name, "date_fmt") == 0)
        return call_date_fmt(e, at, args, n, out);
    if (bindexpr_is_binding_function(name))
        return call_binding(e, at, name, args, out);
    memset(out, 0, sizeof(*out));
    for (int32_t k = 0; k < n; k++) {
        MdStatus rc = need_number(e, &args[k], at, name);
        if (rc != MD_OK)
            return rc;
    }
    if (strcmp(name, "pi") == 0) {
        out->number = 3.14159265358979323846;
    } else if (strcmp(name, "round") == 0) {
        double unit = n > 1 ? args[1].number : 1.0;
        out->number = unit != 0 ? round(args[0].number / unit) * unit : args[0].number;
    } else {
        out->number = apply_math(name, args[0].number);
    }
    return MD_OK;
}

/* Evaluates the arguments of a call (at most 8) and then the call. */
static MdStatus eval_call(BindEval *e, const Token *at, BindValue *out)
{
    BindValue args[8];
    int32_t n = 0;
    if (!baccept(e, ")")) {
        for (;;) {
            if (n == (int32_t)MD_ARRAY_LEN(args))
                return lang_error_at(e->err, MD_ERR_LIMIT, at, NULL, "too many arguments");
            MdStatus rc = eval_concat(e, &args[n++]);
            if (rc != MD_OK)
                return rc;
            if (baccept(e, ")"))
                break;
            if (!baccept(e, ","))
                return lang_error_at(e->err, MD_ERR_SYNTAX, bpeek(e), "separate with ','",
                                     "expected ',' or ')' in the call of %.60s", at->text);
        }
    }
    return call_function(e, at, args, n, out);
}

/* prim := NUMBER | STRING | DATE | NAME | NAME '(' args ')' | '(' concat ')' */
static MdStatus eval_primary(BindEval *e, BindValue *out)
{
    const Token *t = bpeek(e);
    char buf[96];
    memset(out, 0, sizeof(*out));
    if (e->i >= e->n)
        return lang_error_at(e->err, MD_ERR_SYNTAX, t, "write a value after it",
                             "expected a value in the binding");
    e->i++;
    switch (t->kind) {
    case TOKEN_NUMBER:
        out->number = t->number;
        return MD_OK;
    case TOKEN_STRING:
    case TOKEN_DATE:
        out->kind = BIND_STRING;
        out->text = t->text;
        return MD_OK;
    case TOKEN_NAME:
        if (t->text[0] == '$')
            return lang_error_at(e->err, MD_ERR_NAME, t, "define it with let first",
                                 "unknown binding '%.60s'", t->text);
        if (baccept(e, "("))
            return eval_call(e, t, out);
        out->kind = BIND_SYMBOL;
        out->text = t->text;
        return MD_OK;
    default:
        break;
    }
    if (token_is_op(t, "(")) {
        MdStatus rc = eval_concat(e, out);
        if (rc == MD_OK && !baccept(e, ")"))
            rc = lang_error_at(e->err, MD_ERR_SYNTAX, bpeek(e), "close every '('",
                               "expected ')' in the binding");
        return rc;
    }
    return lang_error_at(e->err, MD_ERR_SYNTAX, t, "a binding is a number, string, name or "
                         "function call", "unexpected %s in a binding",
                         token_describe(t, buf, sizeof(buf)));
}

/* unary := '-' unary | prim */
static MdStatus eval_unary(BindEval *e, BindValue *out)
{
    const Token *t = bpeek(e);
    if (++e->depth > LANG_MAX_EXPR_DEPTH)
        return lang_error_at(e->err, MD_ERR_LIMIT, t, NULL, "binding nested too deeply");
    MdStatus rc;
    if (baccept(e, "-")) {
        rc = eval_unary(e, out);
        if (rc == MD_OK)
            rc = need_number(e, out, t, "-");
        out->number = -out->number;
    } else {
        rc = eval_primary(e, out);
    }
    e->depth--;
    return rc;
}

/* pow := unary ('^' pow)? */
static MdStatus eval_pow(BindEval *e, BindValue *out)
{
    MdStatus rc = eval_unary(e, out);
    const Token *t = bpeek(e);
    if (rc != MD_OK || !baccept(e, "^"))
        return rc;
    BindValue rhs;
    if (++e->depth > LANG_MAX_EXPR_DEPTH)
        return lang_error_at(e->err, MD_ERR_LIMIT, t, NULL, "binding nested too deeply");
    rc = eval_pow(e, &rhs);
    e->depth--;
    if (rc == MD_OK)
        rc = need_number(e, out, t, "^");
    if (rc == MD_OK)
        rc = need_number(e, &rhs, t, "^");
    out->number = pow(out->number, rhs.number);
    return rc;
}

/* sum := prod (('+'|'-') prod)*   prod := pow (('*'|'/') pow)* */
static MdStatus eval_binary(BindEval *e, BindValue *out, bool additive)
{
    MdStatus rc = additive ? eval_binary(e, out, false) : eval_pow(e, out);
    while (rc == MD_OK) {
        if (e->i >= e->n)
            break;
        const Token *t = bpeek(e);
        const char *ops = additive ? "+-" : "*/";
        if (t->kind != TOKEN_OP || strlen(t->text) != 1 || !strchr(ops, t->text[0]))
            break;
        e->i++;
        BindValue rhs;
        rc = additive ? eval_binary(e, &rhs, false) : eval_pow(e, &rhs);
        if (rc == MD_OK)
            rc = need_number(e, out, t, t->text);
        if (rc == MD_OK)
            rc = need_number(e, &rhs, t, t->text);
        if (rc != MD_OK)
            break;
        char op = t->text[0];
        if (op == '/' && rhs.number == 0)
            return lang_error_at(e->err, MD_ERR_VALUE, t, NULL, "division by zero in a binding");
        out->number = op == '+' ? out->number + rhs.number : op == '-' ? out->number - rhs.number
                      : op == '*' ? out->number * rhs.number : out->number / rhs.number;
    }
    return rc;
}

static MdStatus eval_concat(BindEval *e, BindValue *out)
{
    MdStatus rc = eval_binary(e, out, true);
    while (rc == MD_OK) {
        const Token *t = bpeek(e);
        if (!baccept(e, "++"))
            break;
        BindValue rhs, joined;
        rc = eval_binary(e, &rhs, true);
        if (rc == MD_OK)
            rc = join_values(e->arena, out, &rhs, &joined, t, e->err);
        if (rc == MD_OK)
            *out = joined;
    }
    return rc;
}

MdStatus bindexpr_eval(Arena *arena, const Bindings *b, const Token *tokens, int32_t n,
                       BindValue *out, MdError *err)
{
    BindEval e = {.arena = arena, .b = b, .t = tokens, .n = n, .err = err};
    MdStatus rc = eval_concat(&e, out);
    if (rc == MD_OK && e.i < n) {
        char buf[96];
        rc = lang_error_at(err, MD_ERR_SYNTAX, &tokens[e.i], "a binding holds one value",
                           "unexpected %s in a binding",
                           token_describe(&tokens[e.i], buf, sizeof(buf)));
    }
    if (rc == MD_OK && out->kind != BIND_NUMBER && !out->text)
        rc = md_error_set(err, MD_ERR_MEMORY, "out of memory while evaluating a binding");
    if (rc == MD_OK && out->kind == BIND_NUMBER && !isfinite(out->number))
        rc = lang_error_at(err, MD_ERR_VALUE, n > 0 ? &tokens[0] : NULL, NULL,
                           "the binding is not a finite number");
    return rc;
}

/* Tokens after a '(' at t[0] up to and including its ')', or 0 when it is not closed. */
static int32_t group_span(const Token *t, int32_t n)
{
    int32_t depth = 0;
    for (int32_t i = 0; i < n; i++) {
        if (token_is_op(&t[i], "("))
            depth++;
        else if (token_is_op(&t[i], ")") && --depth == 0)
            return i + 1;
    }
    return 0;
}

/* operand := '-' NUMBER | NUMBER | STRING | DATE | NAME | NAME '(' ... ')'. A list in
 * parentheses stays an error, as in the reference. */
static int32_t operand_span(const Token *t, int32_t n)
{
    if (n >= 2 && token_is_op(&t[0], "-") && t[1].kind == TOKEN_NUMBER)
        return 2;
    if (n < 1)
        return 0;
    if (t[0].kind == TOKEN_NAME && n > 1 && token_is_op(&t[1], "("))
        return (int32_t)(group_span(t + 1, n - 1) ? 1 + group_span(t + 1, n - 1) : 0);
    return t[0].kind == TOKEN_NUMBER || t[0].kind == TOKEN_STRING || t[0].kind == TOKEN_DATE ||
           t[0].kind == TOKEN_NAME;
}

int32_t bindexpr_item_span(const Token *t, int32_t n)
{
    int32_t len = operand_span(t, n);
    while (len > 0 && len + 1 < n && token_is_op(&t[len], "++")) {
        int32_t more = operand_span(t + len + 1, n - len - 1);
        if (more == 0)
            break;
        len += 1 + more;
    }
    return len;
}
