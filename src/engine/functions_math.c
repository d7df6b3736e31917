/*
 * functions_math.c - the math functions of expressions (spec/language.md 5.4): trigonometry,
 * sqrt, exp, ln, log10, lnfactorial, logit, comb, abs, pi, the documented int/floor/ceil
 * behaviour, round to a unit, and quantile (rank groups over the whole column).
 *
 * Out-of-domain arguments (sqrt(-1), ln(0)) give missing, as any NaN or infinite result
 * does. floor and ceil follow the manual's documented examples, not the mathematical
 * functions: floor(-8.6) = -8 (truncation, "the same as int") and ceil(-17.3) = -18 (away
 * from zero). See docs/expressions.md.
 */
#include "engine/eval_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static double fn_acos(const double *a, int32_t n) { (void)n; return acos(a[0]); }
static double fn_asin(const double *a, int32_t n) { (void)n; return asin(a[0]); }
static double fn_atan(const double *a, int32_t n) { (void)n; return atan(a[0]); }
static double fn_cos(const double *a, int32_t n) { (void)n; return cos(a[0]); }
static double fn_sin(const double *a, int32_t n) { (void)n; return sin(a[0]); }
static double fn_tan(const double *a, int32_t n) { (void)n; return tan(a[0]); }
static double fn_exp(const double *a, int32_t n) { (void)n; return exp(a[0]); }
static double fn_abs(const double *a, int32_t n) { (void)n; return fabs(a[0]); }
static double fn_pi(const double *a, int32_t n) { (void)a; (void)n; return M_PI; }
static double fn_int(const double *a, int32_t n) { (void)n; return trunc(a[0]); }

static double fn_sqrt(const double *a, int32_t n)
{
    (void)n;
    return a[0] < 0 ? NAN : sqrt(a[0]);
}

static double fn_ln(const double *a, int32_t n)
{
    (void)n;
    return a[0] <= 0 ? NAN : log(a[0]);
}

static double fn_log10(const double *a, int32_t n)
{
    (void)n;
    return a[0] <= 0 ? NAN : log10(a[0]);
}

/* ln(n!) for n >= 0; n is truncated to an integer first (Stata). */
static double fn_lnfactorial(const double *a, int32_t n)
{
    (void)n;
    double k = trunc(a[0]);
    return k < 0 ? NAN : lgamma(k + 1.0);
}

static double fn_logit(const double *a, int32_t n)
{
    (void)n;
    double p = a[0];
    return p <= 0 || p >= 1 ? NAN : log(p / (1.0 - p));
}

/* n choose k for integers 0 <= k <= n; exact up to 2^53, then rounded from lgamma. */
static double fn_comb(const double *a, int32_t n)
{
    (void)n;
    double nn = a[0];
    double k = a[1];
    if (nn != trunc(nn) || k != trunc(k) || nn < 0 || k < 0 || k > nn)
        return NAN;
    if (k > nn - k)
        k = nn - k;
    double r = 1.0;
    for (double i = 1; i <= k; i++) {
        r = r * (nn - k + i) / i;
        if (r > 9007199254740992.0)
            return round(exp(lgamma(nn + 1) - lgamma(k + 1) - lgamma(nn - k + 1)));
    }
    return round(r);
}

/* Documented: floor(8.6) = 8, floor(-8.6) = -8 ("the same as int"). */
static double fn_floor(const double *a, int32_t n)
{
    (void)n;
    return trunc(a[0]);
}

/* Documented: ceil(8.3) = 9, ceil(-17.3) = -18 (away from zero). */
static double fn_ceil(const double *a, int32_t n)
{
    (void)n;
    return a[0] >= 0 ? ceil(a[0]) : floor(a[0]);
}

/* round(x [, unit]): nearest multiple of unit, halves away from zero. A unit like 0.01 is
 * applied as division by 100 so that round(7.321, 0.01) is exactly 7.32. */
static double fn_round(const double *a, int32_t n)
{
    double x = a[0];
    double unit = n > 1 ? a[1] : 1.0;
    if (!(unit > 0))
        return NAN;
    if (unit == 1.0)
        return round(x);
    double inverse = 1.0 / unit;
    if (unit < 1.0 && fabs(inverse - round(inverse)) < 1e-9 * inverse)
        return round(x * round(inverse)) / round(inverse);
    return round(x / unit) * unit;
}

static int compare_doubles(const void *pa, const void *pb)
{
    double a = *(const double *)pa;
    double b = *(const double *)pb;
    return (a > b) - (a < b);
}

/* Index of the first element of sorted[0..n) that is >= value. */
static int64_t lower_bound(const double *sorted, int64_t n, double value)
{
    int64_t lo = 0;
    int64_t hi = n;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (sorted[mid] < value)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Groups values into n equal-count rank groups 0..n-1: a value whose rank (the number of
 * smaller non-missing values) is r gets floor(r * n / N). Ties share a group. */
static MdStatus quantile_groups(double *values, int64_t n_rows, int32_t groups, MdError *err)
{
    size_t bytes;
    double *sorted = NULL;
    if (md_size_mul(n_rows > 0 ? (size_t)n_rows : 1, sizeof(double), &bytes))
        sorted = md_malloc(bytes);
    if (!sorted)
        return md_error_set(err, MD_ERR_MEMORY, "out of memory computing quantile()");
    int64_t count = 0;
    for (int64_t i = 0; i < n_rows; i++) {
        if (!isnan(values[i]))
            sorted[count++] = values[i];
    }
    qsort(sorted, (size_t)count, sizeof(double), compare_doubles);
    for (int64_t i = 0; i < n_rows; i++) {
        if (isnan(values[i]))
            continue;
        int64_t rank = lower_bound(sorted, count, values[i]);
        values[i] = floor((double)rank * groups / (double)count);
    }
    md_free(sorted);
    return MD_OK;
}

static MdStatus prepare_quantile(EvalProgram *program, EvalNode *node, MdError *err)
{
    EvalNode *groups = node->args[1];
    double n = groups->param[0];
    if (groups->kind != EVAL_CONST) {
        eval_error(node, err, MD_ERR_VALUE, "the number of groups of quantile() must be a "
                   "constant, not a variable");
        md_error_hint(err, "e.g. quantile(inntekt, 10) for deciles");
        return err->status;
    }
    if (!(n >= 2 && n <= 100) || n != trunc(n)) {
        eval_error(node, err, MD_ERR_VALUE, "the number of groups of quantile() must be a "
                   "whole number from 2 to 100");
        md_error_hint(err, "e.g. quantile(inntekt, 10) for deciles");
        return err->status;
    }
    double *values = eval_program_array(program, program->dataset->n_rows);
    if (!values)
        return md_error_set(err, MD_ERR_MEMORY, "out of memory computing quantile()");
    MdStatus status = eval_program_run_arg(program, node, 0, values, err);
    if (status == MD_OK)
        status = quantile_groups(values, program->dataset->n_rows, (int32_t)n, err);
    if (status != MD_OK)
        return status;
    node->kind = EVAL_ARRAY;
    node->array = values;
    return MD_OK;
}

#define MATH1(name, fn) {name, 1, 1, "n", EVAL_NUMBER, fn, NULL, NULL, false, false}

const EvalFunction eval_functions_math[] = {
    MATH1("acos", fn_acos),
    MATH1("asin", fn_asin),
    MATH1("atan", fn_atan),
    MATH1("cos", fn_cos),
    MATH1("sin", fn_sin),
    MATH1("tan", fn_tan),
    MATH1("sqrt", fn_sqrt),
    MATH1("exp", fn_exp),
    MATH1("ln", fn_ln),
    MATH1("log10", fn_log10),
    MATH1("lnfactorial", fn_lnfactorial),
    MATH1("logit", fn_logit),
    MATH1("abs", fn_abs),
    MATH1("int", fn_int),
    MATH1("floor", fn_floor),
    MATH1("ceil", fn_ceil),
    {"comb", 2, 2, "n", EVAL_NUMBER, fn_comb, NULL, NULL, false, false},
    {"pi", 0, 0, "n", EVAL_NUMBER, fn_pi, NULL, NULL, false, false},
    {"round", 1, 2, "n", EVAL_NUMBER, fn_round, NULL, NULL, false, false},
    {"quantile", 2, 2, "n", EVAL_NUMBER, NULL, NULL, prepare_quantile, false, true},
    {NULL, 0, 0, NULL, EVAL_NUMBER, NULL, NULL, NULL, false, false},
};
