/*
 * functions_logic.c - the logic functions of expressions: inlist (either direction),
 * inrange and sysmiss. They accept numbers or strings, but all arguments of one call must
 * have the same type.
 *
 * inlist(x, v1, ...) is 1 when a non-missing vi equals a non-missing x, else missing when x
 * is missing, else 0; so inlist('1', reg1, reg2) is 1 if either variable is '1'.
 * inrange(x, lo, hi) is lo <= x <= hi, missing if any argument is missing. sysmiss(x) is 1
 * for missing (system or user-missing) and never missing itself.
 */
#include "engine/eval_int.h"

#include <math.h>
#include <string.h>

#define EVAL_NAN ((double)NAN)

static MdStatus same_types(EvalNode *node, MdError *err)
{
    const char *name = node->expr->text;
    EvalType first = node->args[0]->type;
    for (int32_t i = 1; i < node->n_args; i++) {
        if (node->args[i]->type == first)
            continue;
        const EvalNode *s = first == EVAL_STRING ? node->args[0] : node->args[i];
        const char *var = eval_node_variable(s);
        eval_error(node, err, MD_ERR_TYPE, "%s() mixes strings and numbers (argument %d)",
                   name, i + 1);
        if (var)
            md_error_hint(err, "write codes of the string variable %s in quotes, or convert "
                          "it with destring", var);
        else
            md_error_hint(err, "give every argument of %s() the same type: all quoted text "
                          "or all numbers", name);
        return err->status;
    }
    return MD_OK;
}

static bool value_equal(const EvalNode *a, const EvalNode *b, int32_t i)
{
    if (a->type == EVAL_NUMBER) {
        double x = a->num[i];
        double y = b->num[i];
        return x == y; /* false when either is missing */
    }
    const char *x = a->str[i];
    const char *y = b->str[i];
    return x && y && (x == y || strcmp(x, y) == 0);
}

static bool value_missing(const EvalNode *a, int32_t i)
{
    return a->type == EVAL_NUMBER ? isnan(a->num[i]) : a->str[i] == NULL;
}

static void kernel_inlist(EvalNode *node, EvalRun *run, int32_t n)
{
    (void)run;
    const EvalNode *x = node->args[0];
    for (int32_t i = 0; i < n; i++) {
        bool found = false;
        for (int32_t j = 1; j < node->n_args && !found; j++)
            found = value_equal(x, node->args[j], i);
        node->num[i] = found ? 1.0 : value_missing(x, i) ? EVAL_NAN : 0.0;
    }
}

static int compare_at(const EvalNode *a, const EvalNode *b, int32_t i)
{
    if (a->type == EVAL_NUMBER)
        return (a->num[i] > b->num[i]) - (a->num[i] < b->num[i]);
    return strcmp(a->str[i], b->str[i]);
}

static void kernel_inrange(EvalNode *node, EvalRun *run, int32_t n)
{
    (void)run;
    const EvalNode *x = node->args[0];
    const EvalNode *lo = node->args[1];
    const EvalNode *hi = node->args[2];
    for (int32_t i = 0; i < n; i++) {
        if (value_missing(x, i) || value_missing(lo, i) || value_missing(hi, i)) {
            node->num[i] = EVAL_NAN;
            continue;
        }
        node->num[i] = compare_at(lo, x, i) <= 0 && compare_at(x, hi, i) <= 0 ? 1.0 : 0.0;
    }
}

static void kernel_sysmiss(EvalNode *node, EvalRun *run, int32_t n)
{
    (void)run;
    const EvalNode *x = node->args[0];
    for (int32_t i = 0; i < n; i++)
        node->num[i] = value_missing(x, i) ? 1.0 : 0.0;
}

static MdStatus prepare_inlist(EvalProgram *program, EvalNode *node, MdError *err)
{
    (void)program;
    node->kernel = kernel_inlist;
    return same_types(node, err);
}

static MdStatus prepare_inrange(EvalProgram *program, EvalNode *node, MdError *err)
{
    (void)program;
    node->kernel = kernel_inrange;
    return same_types(node, err);
}

const EvalFunction eval_functions_logic[] = {
    {"inlist", 2, -1, "a", EVAL_NUMBER, NULL, kernel_inlist, prepare_inlist, false, false},
    {"inrange", 3, 3, "a", EVAL_NUMBER, NULL, kernel_inrange, prepare_inrange, false, false},
    {"sysmiss", 1, 1, "a", EVAL_NUMBER, NULL, kernel_sysmiss, NULL, false, false},
    {NULL, 0, 0, NULL, EVAL_NUMBER, NULL, NULL, NULL, false, false},
};
