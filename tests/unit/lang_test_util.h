/*
 * lang_test_util.h - helpers shared by the lang unit tests: an S-expression printer for
 * Expr trees (so tests assert tree shapes as text), and script parsing with a fresh arena.
 */
#ifndef MDATA_TESTS_LANG_TEST_UTIL_H
#define MDATA_TESTS_LANG_TEST_UTIL_H

#include <stdio.h>
#include <string.h>

#include "lang/lang.h"

/* Appends the S-expression form of e to buf: (+ a 1), f(x, y), 'str', ., 2.5 */
static inline void sexpr_append(const Expr *e, char *buf, size_t cap)
{
    size_t used = strlen(buf);
    char *out = buf + used;
    size_t room = cap - used;
    switch (e->kind) {
    case EXPR_NUMBER:
        snprintf(out, room, "%g", e->number);
        return;
    case EXPR_STRING:
        snprintf(out, room, "'%s'", e->text);
        return;
    case EXPR_MISSING:
        snprintf(out, room, ".");
        return;
    case EXPR_NAME:
        snprintf(out, room, "%s", e->text);
        return;
    case EXPR_UNARY:
        snprintf(out, room, "(%s ", e->op == OP_NEG ? "neg" : lang_op_name(e->op));
        sexpr_append(e->args[0], buf, cap);
        strncat(buf, ")", cap - strlen(buf) - 1);
        return;
    case EXPR_BINARY:
        snprintf(out, room, "(%s ", lang_op_name(e->op));
        sexpr_append(e->args[0], buf, cap);
        strncat(buf, " ", cap - strlen(buf) - 1);
        sexpr_append(e->args[1], buf, cap);
        strncat(buf, ")", cap - strlen(buf) - 1);
        return;
    case EXPR_CALL:
        snprintf(out, room, "%s(", e->text);
        for (int32_t i = 0; i < e->n_args; i++) {
            if (i)
                strncat(buf, ", ", cap - strlen(buf) - 1);
            sexpr_append(e->args[i], buf, cap);
        }
        strncat(buf, ")", cap - strlen(buf) - 1);
        return;
    }
}

static inline const char *sexpr(const Expr *e, char *buf, size_t cap)
{
    buf[0] = '\0';
    if (e)
        sexpr_append(e, buf, cap);
    return buf;
}

static inline Script *parse_text(Arena *arena, const char *text, MdError *err)
{
    md_error_clear(err);
    return lang_parse_script(arena, text, strlen(text), err);
}

#endif /* MDATA_TESTS_LANG_TEST_UTIL_H */
