/*
 * expr_parser.c - recursive-descent parser from tokens to the Expr tree.
 *
 * Precedence, loosest first (docs/language.md):
 *     or   := and ('|' and)*
 *     and  := not ('&' not)*
 *     not  := '!' not | cmp
 *     cmp  := add (('=='|'!='|'<'|'<='|'>'|'>=') add)*
 *     add  := mul (('+'|'-') mul)*
 *     mul  := pow (('*'|'/') pow)*
 *     pow  := unary ('^' pow)?              (right associative)
 *     unary:= '-' unary | '+' unary | '!' unary | primary
 *     primary := NUMBER | STRING | DATE | '.' | NAME | NAME '(' args ')' | '(' or ')'
 * Unary minus binds tighter than '^' (so -2^2 is 4), as the brief orders them. Calls are
 * checked against the function table (name and arity) here, and comparing with '.' is
 * refused with a hint to use sysmiss(). Depth is capped so no input can overflow the stack.
 */
#include <stdio.h>
#include <string.h>

#include "lang/lang_int.h"

typedef struct ExprParser {
    Arena *arena;
    const Token *tokens;
    int32_t n;
    int32_t pos;
    int32_t depth;
    Token end_at; /* what peek returns past the last token */
    MdError *err;
} ExprParser;

static Expr *parse_or(ExprParser *p);

/* ==== Helpers ========================================================================== */

static const Token *peek(ExprParser *p)
{
    if (p->pos < p->n)
        return &p->tokens[p->pos];
    p->end_at = (Token){.kind = TOKEN_END, .text = ""};
    if (p->n > 0) {
        const Token *last = &p->tokens[p->n - 1];
        p->end_at.line = last->line;
        p->end_at.column = last->column + (int32_t)strlen(last->text);
    }
    return &p->end_at;
}

static bool accept_op(ExprParser *p, const char *op)
{
    if (p->pos < p->n && token_is_op(&p->tokens[p->pos], op)) {
        p->pos++;
        return true;
    }
    return false;
}

/* A zeroed node at the position of at (arena). */
static Expr *new_expr(ExprParser *p, ExprKind kind, const Token *at)
{
    Expr *e = arena_alloc(p->arena, sizeof(Expr));
    if (!e) {
        md_error_set(p->err, MD_ERR_MEMORY, "out of memory while parsing an expression");
        return NULL;
    }
    e->kind = kind;
    e->line = at->line;
    e->column = at->column;
    return e;
}

static Expr *make_binary(ExprParser *p, ExprOp op, Expr *left, Expr *right, const Token *at)
{
    Expr *e = new_expr(p, EXPR_BINARY, at);
    Expr **args = arena_alloc(p->arena, 2 * sizeof(Expr *));
    if (!e || !args) {
        md_error_set(p->err, MD_ERR_MEMORY, "out of memory while parsing an expression");
        return NULL;
    }
    args[0] = left;
    args[1] = right;
    e->op = op;
    e->args = args;
    e->n_args = 2;
    e->line = left->line;
    e->column = left->column;
    return e;
}

static Expr *make_unary(ExprParser *p, ExprOp op, Expr *operand, const Token *at)
{
    Expr *e = new_expr(p, EXPR_UNARY, at);
    Expr **args = arena_alloc(p->arena, sizeof(Expr *));
    if (!e || !args) {
        md_error_set(p->err, MD_ERR_MEMORY, "out of memory while parsing an expression");
        return NULL;
    }
    args[0] = operand;
    e->op = op;
    e->args = args;
    e->n_args = 1;
    return e;
}

/* The catch-all syntax error, with a hint for the usual mistakes (&&, =, $x). */
static Expr *fail_unexpected(ExprParser *p, const Token *at)
{
    char buf[96];
    const char *hint = "an expression is a value, a variable, a function call or an operation";
    if (token_is_op(at, "&&") || token_is_op(at, "||"))
        hint = "the logical operators are single: & and |";
    else if (token_is_op(at, "="))
        hint = "compare with == (a single = only assigns in generate, replace and let)";
    else if (at->kind == TOKEN_NAME && at->text[0] == '$')
        hint = "define the binding with let before using it";
    lang_error_at(p->err, MD_ERR_SYNTAX, at, hint, "unexpected %s in expression",
                  token_describe(at, buf, sizeof(buf)));
    return NULL;
}

/* Counts recursion depth so that no input can overflow the C stack. */
static bool enter(ExprParser *p)
{
    if (++p->depth > LANG_MAX_EXPR_DEPTH) {
        lang_error_at(p->err, MD_ERR_LIMIT, peek(p), "split it into several generate steps",
                      "expression nested too deeply (limit is %d)", LANG_MAX_EXPR_DEPTH);
        return false;
    }
    return true;
}

/* ==== Calls ============================================================================ */

static bool check_call(ExprParser *p, const Token *name, int32_t n_args)
{
    const FunctionSpec *fn = lang_function_find(name->text);
    if (!fn) {
        const char *names[256];
        int32_t count = lang_function_count();
        size_t k = 0;
        for (int32_t i = 0; i < count && k < MD_ARRAY_LEN(names); i++)
            names[k++] = lang_function_at(i)->name;
        const char *near = lang_suggest(name->text, names, k);
        char hint[160] = "help-function lists the functions";
        if (near)
            snprintf(hint, sizeof(hint), "call it as %s", lang_function_find(near)->signature);
        lang_error_at(p->err, MD_ERR_NAME, name, hint, "unknown function '%.60s'%s%s%s",
                      name->text, near ? " (did you mean '" : "", near ? near : "",
                      near ? "'?)" : "");
        return false;
    }
    if (n_args < fn->min_args || (fn->max_args >= 0 && n_args > fn->max_args)) {
        char range[64];
        if (fn->max_args < 0)
            snprintf(range, sizeof(range), "at least %d argument%s", fn->min_args,
                     fn->min_args == 1 ? "" : "s");
        else if (fn->min_args == fn->max_args)
            snprintf(range, sizeof(range), "%d argument%s", fn->min_args,
                     fn->min_args == 1 ? "" : "s");
        else
            snprintf(range, sizeof(range), "%d to %d arguments", fn->min_args, fn->max_args);
        char hint[200];
        snprintf(hint, sizeof(hint), "help-function %s describes it", fn->name);
        lang_error_at(p->err, MD_ERR_SYNTAX, name, hint,
                      "function '%s' takes %s, not %d: %s", fn->name, range, n_args,
                      fn->signature);
        return false;
    }
    return true;
}

/* args := expr (',' expr)*   after NAME '(' ; checked against the function table. */
static Expr *parse_call(ExprParser *p, const Token *name)
{
    Expr *call = new_expr(p, EXPR_CALL, name);
    if (!call)
        return NULL;
    call->text = name->text;
    Expr *local[64];
    Expr **args = local;
    int32_t n = 0, cap = 64;
    if (!accept_op(p, ")")) {
        for (;;) {
            Expr *arg = parse_or(p);
            if (!arg)
                return NULL;
            if (n == cap) {
                Expr **more = arena_alloc(p->arena, (size_t)cap * 2 * sizeof(Expr *));
                if (!more) {
                    md_error_set(p->err, MD_ERR_MEMORY, "out of memory while parsing");
                    return NULL;
                }
                memcpy(more, args, (size_t)n * sizeof(Expr *));
                args = more;
                cap *= 2;
            }
            args[n++] = arg;
            if (accept_op(p, ")"))
                break;
            if (!accept_op(p, ",")) {
                char buf[96];
                lang_error_at(p->err, MD_ERR_SYNTAX, peek(p), "separate arguments with ','",
                              "expected ',' or ')' in the call of %.60s, found %s", name->text,
                              token_describe(peek(p), buf, sizeof(buf)));
                return NULL;
            }
        }
    }
    if (!check_call(p, name, n))
        return NULL;
    call->args = arena_alloc(p->arena, (size_t)(n ? n : 1) * sizeof(Expr *));
    if (!call->args) {
        md_error_set(p->err, MD_ERR_MEMORY, "out of memory while parsing");
        return NULL;
    }
    memcpy(call->args, args, (size_t)n * sizeof(Expr *));
    call->n_args = n;
    return call;
}

/* ==== Grammar ========================================================================== */

static Expr *parse_primary(ExprParser *p)
{
    const Token *t = peek(p);
    Expr *e = NULL;
    switch (t->kind) {
    case TOKEN_NUMBER:
    case TOKEN_DATE:
        p->pos++;
        e = new_expr(p, EXPR_NUMBER, t);
        if (e)
            e->number = t->kind == TOKEN_DATE ? (double)t->date : t->number;
        return e;
    case TOKEN_STRING:
        p->pos++;
        e = new_expr(p, EXPR_STRING, t);
        if (e)
            e->text = t->text;
        return e;
    case TOKEN_DOT:
        p->pos++;
        return new_expr(p, EXPR_MISSING, t);
    case TOKEN_NAME:
        if (t->text[0] == '$') {
            lang_error_at(p->err, MD_ERR_NAME, t, "define it with let before using it",
                          "unknown binding '%.60s'", t->text);
            return NULL;
        }
        p->pos++;
        if (accept_op(p, "("))
            return parse_call(p, t);
        e = new_expr(p, EXPR_NAME, t);
        if (e)
            e->text = t->text;
        return e;
    default:
        break;
    }
    if (token_is_op(t, "(")) {
        p->pos++;
        e = parse_or(p);
        if (!e)
            return NULL;
        if (!accept_op(p, ")")) {
            char buf[96];
            lang_error_at(p->err, MD_ERR_SYNTAX, peek(p), "close every '(' with a ')'",
                          "expected ')', found %s", token_describe(peek(p), buf, sizeof(buf)));
            return NULL;
        }
        return e;
    }
    return fail_unexpected(p, t);
}

static Expr *parse_unary(ExprParser *p)
{
    if (!enter(p))
        return NULL;
    const Token *t = peek(p);
    Expr *e;
    if (accept_op(p, "-")) {
        Expr *operand = parse_unary(p);
        e = operand ? make_unary(p, OP_NEG, operand, t) : NULL;
    } else if (accept_op(p, "+")) {
        e = parse_unary(p);
    } else if (accept_op(p, "!")) {
        Expr *operand = parse_unary(p);
        e = operand ? make_unary(p, OP_NOT, operand, t) : NULL;
    } else {
        e = parse_primary(p);
    }
    p->depth--;
    return e;
}

static Expr *parse_pow(ExprParser *p)
{
    Expr *base = parse_unary(p);
    if (!base)
        return NULL;
    const Token *t = peek(p);
    if (!accept_op(p, "^"))
        return base;
    if (!enter(p))
        return NULL;
    Expr *exponent = parse_pow(p);
    p->depth--;
    return exponent ? make_binary(p, OP_POW, base, exponent, t) : NULL;
}

static Expr *parse_mul(ExprParser *p)
{
    Expr *left = parse_pow(p);
    while (left) {
        const Token *t = peek(p);
        ExprOp op = accept_op(p, "*") ? OP_MUL : accept_op(p, "/") ? OP_DIV : OP_NONE;
        if (op == OP_NONE)
            break;
        Expr *right = parse_pow(p);
        left = right ? make_binary(p, op, left, right, t) : NULL;
    }
    return left;
}

static Expr *parse_add(ExprParser *p)
{
    Expr *left = parse_mul(p);
    while (left) {
        const Token *t = peek(p);
        ExprOp op = accept_op(p, "+") ? OP_ADD : accept_op(p, "-") ? OP_SUB : OP_NONE;
        if (op == OP_NONE)
            break;
        Expr *right = parse_mul(p);
        left = right ? make_binary(p, op, left, right, t) : NULL;
    }
    return left;
}

static ExprOp accept_comparison(ExprParser *p)
{
    static const struct { const char *text; ExprOp op; } ops[] = {
        {"==", OP_EQ}, {"!=", OP_NE}, {"<=", OP_LE}, {">=", OP_GE}, {"<", OP_LT}, {">", OP_GT},
    };
    for (size_t i = 0; i < MD_ARRAY_LEN(ops); i++) {
        if (accept_op(p, ops[i].text))
            return ops[i].op;
    }
    return OP_NONE;
}

/* Comparisons, left associative; comparing with '.' is refused (use sysmiss). */
static Expr *parse_cmp(ExprParser *p)
{
    Expr *left = parse_add(p);
    while (left) {
        const Token *t = peek(p);
        ExprOp op = accept_comparison(p);
        if (op == OP_NONE)
            break;
        Expr *right = parse_add(p);
        if (!right)
            return NULL;
        if (left->kind == EXPR_MISSING || right->kind == EXPR_MISSING) {
            const Expr *other = left->kind == EXPR_MISSING ? right : left;
            char hint[200];
            snprintf(hint, sizeof(hint), "test for missing with sysmiss(%.60s), or for a "
                     "value with sysmiss(%.60s) == 0",
                     other->kind == EXPR_NAME ? other->text : "x",
                     other->kind == EXPR_NAME ? other->text : "x");
            lang_error_at(p->err, MD_ERR_SYNTAX, t, hint,
                          "comparison with the missing value '.' is not allowed");
            return NULL;
        }
        left = make_binary(p, op, left, right, t);
    }
    return left;
}

static Expr *parse_not(ExprParser *p)
{
    const Token *t = peek(p);
    if (accept_op(p, "!")) {
        if (!enter(p))
            return NULL;
        Expr *operand = parse_not(p);
        p->depth--;
        return operand ? make_unary(p, OP_NOT, operand, t) : NULL;
    }
    return parse_cmp(p);
}

static Expr *parse_and(ExprParser *p)
{
    Expr *left = parse_not(p);
    while (left) {
        const Token *t = peek(p);
        if (!accept_op(p, "&"))
            break;
        Expr *right = parse_not(p);
        left = right ? make_binary(p, OP_AND, left, right, t) : NULL;
    }
    return left;
}

static Expr *parse_or(ExprParser *p)
{
    if (!enter(p))
        return NULL;
    Expr *left = parse_and(p);
    while (left) {
        const Token *t = peek(p);
        if (!accept_op(p, "|"))
            break;
        Expr *right = parse_and(p);
        left = right ? make_binary(p, OP_OR, left, right, t) : NULL;
    }
    p->depth--;
    return left;
}

/* ==== Public =========================================================================== */

Expr *lang_parse_expr(Arena *arena, const Token *tokens, int32_t n, MdError *err)
{
    ExprParser p = {.arena = arena, .tokens = tokens, .n = n, .err = err};
    if (n <= 0 || tokens[0].kind == TOKEN_END) {
        lang_error_at(err, MD_ERR_SYNTAX, n > 0 ? &tokens[0] : NULL,
                      "write an expression such as alder >= 18", "expected an expression");
        return NULL;
    }
    Expr *e = parse_or(&p);
    if (!e)
        return NULL;
    if (p.pos < n && tokens[p.pos].kind != TOKEN_END) {
        fail_unexpected(&p, &tokens[p.pos]);
        return NULL;
    }
    return e;
}

Expr *lang_parse_expr_text(Arena *arena, const char *text, MdError *err)
{
    Lexed lexed;
    size_t len = strlen(text);
    if (len > (size_t)INT32_MAX / 2) {
        md_error_set(err, MD_ERR_LIMIT, "expression text too long");
        return NULL;
    }
    if (lexer_run(arena, text, 0, (int32_t)len, NULL, &lexed, err) != MD_OK)
        return NULL;
    return lang_parse_expr(arena, lexed.tokens, lexed.n, err);
}
