/*
 * functions_binding.c - the binding functions as they work inside ordinary expressions (the
 * value of generate/replace and if conditions, where the script preprocessor leaves them):
 * date_fmt(y [, m [, d]]) gives the string 'YYYY-MM-DD' (missing for an invalid date or a
 * missing part); to_int(x) gives the number a text holds, truncated toward zero (blanks
 * around allowed; any other text is missing), and truncates a number; to_str(x) writes a
 * number as text (up to 15 significant digits; strings pass through); to_symbol('name')
 * must get a constant and refers to the variable called name. bind() belongs to the
 * preprocessor, which replaces it everywhere, so reaching the engine is an error.
 * In let, for lists and command arguments the preprocessor evaluates the same functions
 * (src/lang/bindings.c), where a value that cannot be made is an error instead of missing.
 */
#include "engine/eval_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define EVAL_NAN ((double)NAN)

static void kernel_date_fmt(EvalNode *node, EvalRun *run, int32_t n)
{
    for (int32_t i = 0; i < n; i++) {
        double y = node->args[0]->num[i];
        double m = node->n_args > 1 ? node->args[1]->num[i] : 1;
        double d = node->n_args > 2 ? node->args[2]->num[i] : 1;
        node->str[i] = NULL;
        if (y != trunc(y) || m != trunc(m) || d != trunc(d) || y < 1 || y > 9999 ||
            fabs(m) > 99 || fabs(d) > 99 || !date_ymd_valid((int32_t)y, (int32_t)m, (int32_t)d))
            continue;
        char buf[16];
        snprintf(buf, sizeof buf, "%04d-%02d-%02d", (int)y, (int)m, (int)d);
        node->str[i] = eval_run_string(run, buf, 10);
    }
}

static void kernel_to_int(EvalNode *node, EvalRun *run, int32_t n)
{
    (void)run;
    const EvalNode *a = node->args[0];
    for (int32_t i = 0; i < n; i++) {
        if (a->type == EVAL_NUMBER) {
            node->num[i] = a->num[i] == a->num[i] ? trunc(a->num[i]) : EVAL_NAN;
            continue;
        }
        double v;
        const char *s = a->str[i];
        if (s && text_parse_double(s, strlen(s), true, &v))
            node->num[i] = trunc(v);
        else
            node->num[i] = EVAL_NAN;
    }
}

static void kernel_to_str(EvalNode *node, EvalRun *run, int32_t n)
{
    const EvalNode *a = node->args[0];
    for (int32_t i = 0; i < n; i++) {
        if (a->type == EVAL_STRING) {
            node->str[i] = a->str[i];
            continue;
        }
        if (isnan(a->num[i])) {
            node->str[i] = NULL;
            continue;
        }
        char buf[40];
        int w = snprintf(buf, sizeof buf, "%.15g", a->num[i] == 0 ? 0.0 : a->num[i]);
        node->str[i] = eval_run_string(run, buf, (size_t)w);
    }
}

static MdStatus prepare_to_symbol(EvalProgram *program, EvalNode *node, MdError *err)
{
    const EvalNode *arg = node->args[0];
    if (arg->kind != EVAL_CONST || arg->type != EVAL_STRING) {
        eval_error(node, err, MD_ERR_TYPE, "to_symbol() needs a constant name in quotes");
        md_error_hint(err, "e.g. to_symbol('inntekt')");
        return err->status;
    }
    if (!column_name_valid(arg->text) && !dataset_column(program->dataset, arg->text)) {
        eval_error(node, err, MD_ERR_NAME, "to_symbol(): \"%s\" is not a valid name",
                   arg->text);
        md_error_hint(err, "names use letters, digits and _, and do not start with a digit");
        return err->status;
    }
    const Column *column = dataset_column(program->dataset, arg->text);
    if (!column) {
        eval_error(node, err, MD_ERR_NAME, "unknown variable %s (from to_symbol())",
                   arg->text);
        md_error_hint(err, "list the variables of the dataset with `variables`");
        return err->status;
    }
    if (column->pointer_to) {
        eval_error(node, err, MD_ERR_TYPE, "%s holds identifiers and cannot be used in an "
                   "expression", column->name);
        return err->status;
    }
    node->kind = EVAL_COLUMN;
    program->uses_free_text = program->uses_free_text || column->is_free_text;
    node->column = column;
    node->n_args = 0;
    node->type = column->type == COLUMN_STRING ? EVAL_STRING : EVAL_NUMBER;
    return MD_OK;
}

static MdStatus prepare_bind(EvalProgram *program, EvalNode *node, MdError *err)
{
    (void)program;
    eval_error(node, err, MD_ERR_NOT_IMPLEMENTED, "bind() can only be used where bindings "
               "are expanded (let, for, import names)");
    md_error_hint(err, "write $name to use a binding's value in a command");
    return err->status;
}

const EvalFunction eval_functions_binding[] = {
    {"date_fmt", 1, 3, "n", EVAL_STRING, NULL, kernel_date_fmt, NULL, false, false},
    {"to_int", 1, 1, "a", EVAL_NUMBER, NULL, kernel_to_int, NULL, false, false},
    {"to_str", 1, 1, "a", EVAL_STRING, NULL, kernel_to_str, NULL, false, false},
    {"to_symbol", 1, 1, "s", EVAL_NUMBER, NULL, NULL, prepare_to_symbol, false, true},
    {"bind", 1, 1, "a", EVAL_NUMBER, NULL, NULL, prepare_bind, false, true},
    {NULL, 0, 0, NULL, EVAL_NUMBER, NULL, NULL, NULL, false, false},
};
