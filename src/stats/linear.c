/*
 * linear.c - least squares for the analysis of variance: the residual sum of squares and
 * rank of y regressed on a design matrix (LAPACK dgelsy, complete orthogonal factorisation
 * with column pivoting, so collinear dummy columns are dropped instead of failing), and
 * the partial sums of squares of groups of columns (each group dropped from the full model).
 */
#include "stats/stats.h"

#include <math.h>
#include <string.h>

#include <lapacke.h>

#define LINEAR_RCOND 1e-10

MdStatus stats_least_squares(const double *x, int64_t n, int32_t p, const double *y,
                             const uint8_t *use_column, double *rss, int32_t *rank,
                             MdError *err)
{
    *rss = NAN;
    *rank = 0;
    int32_t q = 0;
    for (int32_t j = 0; j < p; j++) {
        q += use_column == NULL || use_column[j];
    }
    if (n <= 0 || n > INT32_MAX) {
        return md_error_set(err, MD_ERR_LIMIT, "too many rows for the least-squares solver");
    }
    size_t cells = (size_t)n * (size_t)(q > 0 ? q : 1);
    double *a = md_malloc(cells * sizeof *a);
    double *b = md_malloc((size_t)n * sizeof *b);
    lapack_int *jpvt = md_calloc((size_t)(q > 0 ? q : 1), sizeof *jpvt);
    if (a == NULL || b == NULL || jpvt == NULL) {
        md_free(a);
        md_free(b);
        md_free(jpvt);
        return md_error_set(err, MD_ERR_MEMORY, "out of memory in least squares");
    }
    int32_t k = 0;
    for (int32_t j = 0; j < p; j++) {
        if (use_column == NULL || use_column[j]) {
            memcpy(a + (size_t)k * (size_t)n, x + (size_t)j * (size_t)n,
                   (size_t)n * sizeof *a);
            k++;
        }
    }
    memcpy(b, y, (size_t)n * sizeof *b);
    lapack_int r = 0;
    MdStatus status = MD_OK;
    if (q > 0) {
        lapack_int info = LAPACKE_dgelsy(LAPACK_COL_MAJOR, (lapack_int)n, (lapack_int)q, 1, a,
                                         (lapack_int)n, b, (lapack_int)n, jpvt, LINEAR_RCOND,
                                         &r);
        if (info != 0) {
            status = md_error_set(err, MD_ERR_VALUE, "the least-squares problem could not be "
                                  "solved");
        }
    }
    if (status == MD_OK) {
        double s = 0.0;
        for (int64_t i = 0; i < n; i++) {
            double fit = 0.0;
            k = 0;
            for (int32_t j = 0; j < p; j++) {
                if (use_column == NULL || use_column[j]) {
                    fit += x[(size_t)j * (size_t)n + (size_t)i] * b[k++];
                }
            }
            double e = y[i] - fit;
            s += e * e;
        }
        *rss = s;
        *rank = (int32_t)r;
    }
    md_free(a);
    md_free(b);
    md_free(jpvt);
    return status;
}
