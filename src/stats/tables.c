/*
 * tables.c - the pieces of frequency tables that do not depend on disclosure control:
 * the sorted distinct levels of a tabulated variable, level lookup, the Pearson
 * chi-square test of independence, and the transition cells of panel data.
 */
#include "stats/stats.h"

#include <math.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

MdStatus stats_levels_build(const double *x, const uint8_t *mask, int64_t n,
                            bool include_missing, int32_t max_levels, StatsLevels *out,
                            MdError *err)
{
    memset(out, 0, sizeof *out);
    double *values = md_malloc(n > 0 ? (size_t)n * sizeof *values : sizeof *values);
    if (values == NULL) {
        return md_error_set(err, MD_ERR_MEMORY, "out of memory while building table levels");
    }
    bool any_missing = false;
    int64_t m = 0;
    for (int64_t i = 0; i < n; i++) {
        if (mask != NULL && !mask[i]) {
            continue;
        }
        if (isnan(x[i])) {
            any_missing = true;
        } else {
            values[m++] = x[i];
        }
    }
    stats_sort(values, m);
    int64_t distinct = 0;
    for (int64_t i = 0; i < m; i++) {
        if (distinct == 0 || values[i] != values[distinct - 1]) {
            values[distinct++] = values[i];
        }
    }
    bool with_missing = include_missing && any_missing;
    int64_t total = distinct + (with_missing ? 1 : 0);
    if (max_levels > 0 && total > max_levels) {
        md_free(values);
        md_error_set(err, MD_ERR_LIMIT, "the variable has too many distinct values to be "
                     "tabulated");
        md_error_hint(err, "tabulate categorical variables; group a continuous variable "
                      "with recode first");
        return MD_ERR_LIMIT;
    }
    if (with_missing) {
        values[distinct] = NAN;
    }
    out->values = values;
    out->n = (int32_t)total;
    out->has_missing = with_missing;
    return MD_OK;
}

void stats_levels_free(StatsLevels *levels)
{
    md_free(levels->values);
    levels->values = NULL;
    levels->n = 0;
    levels->has_missing = false;
}

int32_t stats_levels_find(const StatsLevels *levels, double v)
{
    if (isnan(v)) {
        return levels->has_missing ? levels->n - 1 : -1;
    }
    int32_t lo = 0;
    int32_t hi = levels->n - (levels->has_missing ? 1 : 0);
    while (lo < hi) {
        int32_t mid = lo + (hi - lo) / 2;
        if (levels->values[mid] < v) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    int32_t n_real = levels->n - (levels->has_missing ? 1 : 0);
    if (lo < n_real && levels->values[lo] == v) {
        return lo;
    }
    return -1;
}

void stats_chi2_independence(const double *counts, int32_t rows, int32_t cols,
                             StatsTest *out)
{
    out->statistic = NAN;
    out->df = NAN;
    out->df2 = NAN;
    out->p = NAN;
    double total = 0.0;
    int32_t used_rows = 0;
    int32_t used_cols = 0;
    for (int32_t r = 0; r < rows; r++) {
        double row_total = 0.0;
        for (int32_t c = 0; c < cols; c++) {
            row_total += counts[(int64_t)r * cols + c];
        }
        used_rows += row_total > 0.0;
        total += row_total;
    }
    for (int32_t c = 0; c < cols; c++) {
        double col_total = 0.0;
        for (int32_t r = 0; r < rows; r++) {
            col_total += counts[(int64_t)r * cols + c];
        }
        used_cols += col_total > 0.0;
    }
    if (used_rows < 2 || used_cols < 2) {
        return;
    }
    double chi2 = 0.0;
    for (int32_t r = 0; r < rows; r++) {
        double row_total = 0.0;
        for (int32_t c = 0; c < cols; c++) {
            row_total += counts[(int64_t)r * cols + c];
        }
        for (int32_t c = 0; c < cols && row_total > 0.0; c++) {
            double col_total = 0.0;
            for (int32_t k = 0; k < rows; k++) {
                col_total += counts[(int64_t)k * cols + c];
            }
            if (col_total <= 0.0) {
                continue;
            }
            double expected = row_total * col_total / total;
            double d = counts[(int64_t)r * cols + c] - expected;
            chi2 += d * d / expected;
        }
    }
    out->statistic = chi2;
    out->df = (double)(used_rows - 1) * (double)(used_cols - 1);
    out->p = gsl_cdf_chisq_Q(chi2, out->df);
}

void stats_transition_cells(const uint64_t *unit_ids, const int32_t *time,
                            const int32_t *state, int64_t n, int32_t n_states,
                            int32_t *cell)
{
    for (int64_t i = 0; i < n; i++) {
        cell[i] = -1;
        if (i + 1 >= n || unit_ids[i + 1] != unit_ids[i] || time[i + 1] != time[i] + 1) {
            continue;
        }
        int32_t from = state[i];
        int32_t to = state[i + 1];
        if (from >= 0 && to >= 0 && from < n_states && to < n_states) {
            cell[i] = from * n_states + to;
        }
    }
}
