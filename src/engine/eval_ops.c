/*
 * eval_ops.c - the kernels of the operators: arithmetic, comparisons (numbers and strings),
 * three-valued & | !, and the generic kernel that applies a scalar numeric function row by
 * row. Each kernel runs one tight loop over a block of rows.
 *
 * Missing rules (spec/language.md 5.3, docs/expressions.md): arithmetic with a missing
 * operand is missing; a result that is infinite or NaN (x/0, overflow, 0^-1) is missing;
 * a comparison with a missing operand is missing; 0 & . = 0 and 1 | . = 1, otherwise & and |
 * with a missing operand are missing; !. is missing. Non-zero counts as true.
 */
#include "engine/eval_int.h"

/* The block loops below are meant to be vectorised; -O2 alone (GCC 12) does not do it. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("tree-vectorize")
#endif

#include <float.h>
#include <math.h>
#include <string.h>

#define EVAL_NAN ((double)NAN)

/* Finite values pass; NaN and +-inf become the canonical missing value. */
static inline double finite_or_missing(double r)
{
    return fabs(r) <= DBL_MAX ? r : EVAL_NAN;
}

void eval_kernel_add(EvalNode *node, EvalRun *run, int32_t n)
{
    (void)run;
    const double *restrict a = node->args[0]->num;
    const double *restrict b = node->args[1]->num;
    double *restrict out = node->num;
    for (int32_t i = 0; i < n; i++)
        out[i] = finite_or_missing(a[i] + b[i]);
}

void eval_kernel_sub(EvalNode *node, EvalRun *run, int32_t n)
{
    (void)run;
    const double *restrict a = node->args[0]->num;
    const double *restrict b = node->args[1]->num;
    double *restrict out = node->num;
    for (int32_t i = 0; i < n; i++)
        out[i] = finite_or_missing(a[i] - b[i]);
}

void eval_kernel_mul(EvalNode *node, EvalRun *run, int32_t n)
{
    (void)run;
    const double *restrict a = node->args[0]->num;
    const double *restrict b = node->args[1]->num;
    double *restrict out = node->num;
    for (int32_t i = 0; i < n; i++)
        out[i] = finite_or_missing(a[i] * b[i]);
}

void eval_kernel_div(EvalNode *node, EvalRun *run, int32_t n)
{
    (void)run;
    const double *restrict a = node->args[0]->num;
    const double *restrict b = node->args[1]->num;
    double *restrict out = node->num;
    for (int32_t i = 0; i < n; i++)
        out[i] = finite_or_missing(a[i] / b[i]); /* x/0 is inf or NaN: missing */
}

void eval_kernel_pow(EvalNode *node, EvalRun *run, int32_t n)
{
    (void)run;
    const double *a = node->args[0]->num;
    const double *b = node->args[1]->num;
    double *out = node->num;
    for (int32_t i = 0; i < n; i++) {
        /* C's pow(., 0) = 1 and pow(1, .) = 1; a missing operand must stay missing. */
        if (isnan(a[i]) || isnan(b[i]))
            out[i] = EVAL_NAN;
        else
            out[i] = finite_or_missing(pow(a[i], b[i]));
    }
}

void eval_kernel_neg(EvalNode *node, EvalRun *run, int32_t n)
{
    (void)run;
    const double *restrict a = node->args[0]->num;
    double *restrict out = node->num;
    for (int32_t i = 0; i < n; i++)
        out[i] = a[i] == a[i] ? -a[i] : EVAL_NAN;
}

void eval_kernel_not(EvalNode *node, EvalRun *run, int32_t n)
{
    (void)run;
    const double *restrict a = node->args[0]->num;
    double *restrict out = node->num;
    for (int32_t i = 0; i < n; i++)
        out[i] = a[i] == a[i] ? (double)(a[i] == 0) : EVAL_NAN;
}

void eval_kernel_and(EvalNode *node, EvalRun *run, int32_t n)
{
    (void)run;
    const double *restrict a = node->args[0]->num;
    const double *restrict b = node->args[1]->num;
    double *restrict out = node->num;
    for (int32_t i = 0; i < n; i++) {
        double x = a[i];
        double y = b[i];
        bool is_false = x == 0 || y == 0;
        bool missing = x != x || y != y;
        out[i] = is_false ? 0.0 : missing ? EVAL_NAN : 1.0;
    }
}

void eval_kernel_or(EvalNode *node, EvalRun *run, int32_t n)
{
    (void)run;
    const double *restrict a = node->args[0]->num;
    const double *restrict b = node->args[1]->num;
    double *restrict out = node->num;
    for (int32_t i = 0; i < n; i++) {
        double x = a[i];
        double y = b[i];
        bool is_true = (x == x && x != 0) || (y == y && y != 0);
        bool missing = x != x || y != y;
        out[i] = is_true ? 1.0 : missing ? EVAL_NAN : 0.0;
    }
}

#define EVAL_NUMBER_COMPARE(fname, OP)                                                     \
    static void fname(EvalNode *node, EvalRun *run, int32_t n)                             \
    {                                                                                      \
        (void)run;                                                                         \
        const double *restrict a = node->args[0]->num;                                     \
        const double *restrict b = node->args[1]->num;                                     \
        double *restrict out = node->num;                                                  \
        for (int32_t i = 0; i < n; i++) {                                                  \
            double x = a[i];                                                               \
            double y = b[i];                                                               \
            double r = (double)(x OP y);                                                   \
            out[i] = (x == x && y == y) ? r : EVAL_NAN;                                    \
        }                                                                                  \
    }

EVAL_NUMBER_COMPARE(number_eq, ==)
EVAL_NUMBER_COMPARE(number_ne, !=)
EVAL_NUMBER_COMPARE(number_lt, <)
EVAL_NUMBER_COMPARE(number_le, <=)
EVAL_NUMBER_COMPARE(number_gt, >)
EVAL_NUMBER_COMPARE(number_ge, >=)

/* Strings compare byte by byte (strcmp); a missing string makes the result missing. */
#define EVAL_STRING_COMPARE(fname, OP)                                                     \
    static void fname(EvalNode *node, EvalRun *run, int32_t n)                             \
    {                                                                                      \
        (void)run;                                                                         \
        const char **a = node->args[0]->str;                                               \
        const char **b = node->args[1]->str;                                               \
        double *out = node->num;                                                           \
        for (int32_t i = 0; i < n; i++) {                                                  \
            if (!a[i] || !b[i])                                                            \
                out[i] = EVAL_NAN;                                                         \
            else                                                                           \
                out[i] = (double)((a[i] == b[i] ? 0 : strcmp(a[i], b[i])) OP 0);           \
        }                                                                                  \
    }

EVAL_STRING_COMPARE(string_eq, ==)
EVAL_STRING_COMPARE(string_ne, !=)
EVAL_STRING_COMPARE(string_lt, <)
EVAL_STRING_COMPARE(string_le, <=)
EVAL_STRING_COMPARE(string_gt, >)
EVAL_STRING_COMPARE(string_ge, >=)

EvalKernel eval_kernel_compare(ExprOp op, EvalType type)
{
    bool num = type == EVAL_NUMBER;
    switch (op) {
    case OP_EQ: return num ? number_eq : string_eq;
    case OP_NE: return num ? number_ne : string_ne;
    case OP_LT: return num ? number_lt : string_lt;
    case OP_LE: return num ? number_le : string_le;
    case OP_GT: return num ? number_gt : string_gt;
    case OP_GE: return num ? number_ge : string_ge;
    default: return NULL;
    }
}

/* A string column against a constant, answered per dictionary code (node->table). */
void eval_kernel_code_table(EvalNode *node, EvalRun *run, int32_t n)
{
    const uint32_t *codes = node->column->codes + run->start;
    const uint8_t *table = node->table;
    double *out = node->num;
    for (int32_t i = 0; i < n; i++)
        out[i] = codes[i] == COLUMN_STRING_MISSING ? EVAL_NAN : (double)table[codes[i]];
}

void eval_kernel_scalar(EvalNode *node, EvalRun *run, int32_t n)
{
    (void)run;
    int32_t n_args = node->n_args;
    double *args = node->scratch;
    double *out = node->num;
    for (int32_t i = 0; i < n; i++) {
        bool missing = false;
        for (int32_t j = 0; j < n_args; j++) {
            double v = node->args[j]->num[i];
            missing = missing || v != v;
            args[j] = v;
        }
        if (missing && !node->missing_in)
            out[i] = EVAL_NAN;
        else
            out[i] = finite_or_missing(node->scalar(args, n_args));
    }
}

const char *eval_run_string(EvalRun *run, const char *s, size_t len)
{
    char *copy = arena_strndup(run->strings, s, len);
    if (!copy)
        run->out_of_memory = true;
    return copy;
}
