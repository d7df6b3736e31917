/*
 * functions_row.c - the row functions: rowmax, rowmin, rowmean, rowmedian, rowtotal, rowstd
 * over numbers, rowmissing and rowvalid over anything, and rowconcat joining strings.
 *
 * They ignore missing arguments (Stata's egen row functions). With no non-missing
 * argument rowmax/rowmin/rowmean/rowmedian are missing and rowtotal is 0; rowstd is the
 * sample standard deviation (n - 1) and needs two non-missing values. rowconcat skips
 * missing arguments and writes numbers with up to 15 significant digits.
 */
#include "engine/eval_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Moves the non-missing arguments to the front; returns how many there are. */
static int32_t compact(double *a, int32_t n)
{
    int32_t k = 0;
    for (int32_t i = 0; i < n; i++) {
        if (!isnan(a[i]))
            a[k++] = a[i];
    }
    return k;
}

static double fn_rowmax(const double *args, int32_t n)
{
    double best = NAN;
    for (int32_t i = 0; i < n; i++) {
        if (!isnan(args[i]) && (isnan(best) || args[i] > best))
            best = args[i];
    }
    return best;
}

static double fn_rowmin(const double *args, int32_t n)
{
    double best = NAN;
    for (int32_t i = 0; i < n; i++) {
        if (!isnan(args[i]) && (isnan(best) || args[i] < best))
            best = args[i];
    }
    return best;
}

static double fn_rowtotal(const double *args, int32_t n)
{
    double sum = 0;
    for (int32_t i = 0; i < n; i++) {
        if (!isnan(args[i]))
            sum += args[i];
    }
    return sum;
}

static double fn_rowmean(const double *args, int32_t n)
{
    double sum = 0;
    int32_t k = 0;
    for (int32_t i = 0; i < n; i++) {
        if (!isnan(args[i])) {
            sum += args[i];
            k++;
        }
    }
    return k ? sum / k : NAN;
}

static double fn_rowstd(const double *args, int32_t n)
{
    double mean = fn_rowmean(args, n);
    int32_t k = 0;
    double ss = 0;
    for (int32_t i = 0; i < n; i++) {
        if (!isnan(args[i])) {
            ss += (args[i] - mean) * (args[i] - mean);
            k++;
        }
    }
    return k < 2 ? NAN : sqrt(ss / (k - 1));
}

/* Sorts the scratch vector in place (insertion sort: row functions have few arguments). */
static double fn_rowmedian(const double *args, int32_t n)
{
    double *a = (double *)args; /* the kernel's scratch vector, rewritten every row */
    int32_t k = compact(a, n);
    if (k == 0)
        return NAN;
    for (int32_t i = 1; i < k; i++) {
        double v = a[i];
        int32_t j = i - 1;
        while (j >= 0 && a[j] > v) {
            a[j + 1] = a[j];
            j--;
        }
        a[j + 1] = v;
    }
    return k % 2 ? a[k / 2] : (a[k / 2 - 1] + a[k / 2]) / 2.0;
}

static bool arg_missing(const EvalNode *a, int32_t i)
{
    return a->type == EVAL_NUMBER ? isnan(a->num[i]) : a->str[i] == NULL;
}

static void kernel_rowmissing(EvalNode *node, EvalRun *run, int32_t n)
{
    (void)run;
    for (int32_t i = 0; i < n; i++) {
        int32_t k = 0;
        for (int32_t j = 0; j < node->n_args; j++)
            k += arg_missing(node->args[j], i);
        node->num[i] = k;
    }
}

static void kernel_rowvalid(EvalNode *node, EvalRun *run, int32_t n)
{
    (void)run;
    for (int32_t i = 0; i < n; i++) {
        int32_t k = 0;
        for (int32_t j = 0; j < node->n_args; j++)
            k += !arg_missing(node->args[j], i);
        node->num[i] = k;
    }
}

/* Appends text to buf[*len..EVAL_TMP_MAX); false when it does not fit. */
static bool append(char *buf, size_t *len, const char *text, size_t n)
{
    if (*len + n >= EVAL_TMP_MAX)
        return false;
    memcpy(buf + *len, text, n);
    *len += n;
    return true;
}

static void kernel_rowconcat(EvalNode *node, EvalRun *run, int32_t n)
{
    for (int32_t i = 0; i < n; i++) {
        size_t len = 0;
        bool ok = true;
        for (int32_t j = 0; j < node->n_args && ok; j++) {
            const EvalNode *a = node->args[j];
            if (arg_missing(a, i))
                continue;
            if (a->type == EVAL_STRING) {
                ok = append(run->tmp, &len, a->str[i], strlen(a->str[i]));
            } else {
                char number[40];
                int w = snprintf(number, sizeof number, "%.15g", a->num[i]);
                ok = append(run->tmp, &len, number, (size_t)w);
            }
        }
        node->str[i] = ok ? eval_run_string(run, run->tmp, len) : NULL;
    }
}

#define ROWFN(name, fn) {name, 1, -1, "n", EVAL_NUMBER, fn, NULL, NULL, true, false}

const EvalFunction eval_functions_row[] = {
    ROWFN("rowmax", fn_rowmax),
    ROWFN("rowmin", fn_rowmin),
    ROWFN("rowmean", fn_rowmean),
    ROWFN("rowmedian", fn_rowmedian),
    ROWFN("rowtotal", fn_rowtotal),
    ROWFN("rowstd", fn_rowstd),
    {"rowmissing", 1, -1, "a", EVAL_NUMBER, NULL, kernel_rowmissing, NULL, false, false},
    {"rowvalid", 1, -1, "a", EVAL_NUMBER, NULL, kernel_rowvalid, NULL, false, false},
    {"rowconcat", 1, -1, "a", EVAL_STRING, NULL, kernel_rowconcat, NULL, false, false},
    {NULL, 0, 0, NULL, EVAL_NUMBER, NULL, NULL, NULL, false, false},
};
