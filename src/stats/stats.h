/*
 * stats.h - pure statistical computations on arrays of doubles and level codes: moments,
 * percentiles, gini, iqr, frequency-table level coding, correlation and covariance,
 * chi-square, t/F/studentized-range p-values, normality tests, one-way ANOVA with Tukey
 * HSD, and transition cells of panel data.
 *
 * stats knows nothing of datasets, disclosure control or output: the engine's handlers
 * give it exact values and pass every result through src/sdc before anything is shown.
 * Functions that can fail return MdStatus and fill err; the rest are total and return NaN
 * when a statistic is undefined (too few values, zero variance). Missing values (NaN) must
 * be removed by the caller unless a function says otherwise.
 */
#ifndef MDATA_STATS_STATS_H
#define MDATA_STATS_STATS_H

#include "base/base.h"

/* ==== Moments and order statistics ===================================================== */

typedef struct StatsMoments {
    int64_t n;
    double sum;
    double mean;
    double variance;  /* sample variance (n - 1); NaN if n < 2 */
    double sd;
    double skewness;  /* g1 = m3 / m2^1.5 (biased, as Stata's summarize, detail) */
    double kurtosis;  /* b2 = m4 / m2^2 (not excess: 3 for the normal) */
} StatsMoments;

/* Two-pass moments of values[0..n). All fields NaN (n = 0) where undefined. */
void stats_moments(const double *values, int64_t n, StatsMoments *out);
double stats_sum(const double *values, int64_t n);   /* compensated (Neumaier) sum */
double stats_mean(const double *values, int64_t n);  /* NaN if n == 0 */

/* Sorts ascending in place (NaN must not be present). */
void stats_sort(double *values, int64_t n);
/* Copies the non-missing values of x (mask may be NULL = all rows) into out (capacity n);
 * returns how many were copied. */
int64_t stats_collect(const double *x, const uint8_t *mask, int64_t n, double *out);
/* The p-quantile (0 <= p <= 1) of sorted values by linear interpolation between order
 * statistics (type 7, numpy/R default). NaN if n == 0. */
double stats_quantile_sorted(const double *sorted, int64_t n, double p);
/* Interquartile range of sorted values (type 7 quantiles). */
double stats_iqr_sorted(const double *sorted, int64_t n);
/* Gini coefficient of sorted non-negative values: sum_i (2i - n - 1) x_i / (n sum x).
 * NaN if n < 2, the sum is not positive, or a value is negative. */
double stats_gini_sorted(const double *sorted, int64_t n);

/* ==== Levels (categories of tabulated variables) ======================================= */

/* The distinct values of a number column among the selected rows, ascending. A NaN level
 * (missing) is appended last when include_missing and a selected row is missing. */
typedef struct StatsLevels {
    double *values;     /* owned: stats_levels_free */
    int32_t n;
    bool has_missing;   /* the last level is the missing level */
} StatsLevels;

MdStatus stats_levels_build(const double *x, const uint8_t *mask, int64_t n,
                            bool include_missing, int32_t max_levels, StatsLevels *out,
                            MdError *err) MD_MUST_CHECK;
void stats_levels_free(StatsLevels *levels);
/* The level index of v (binary search); -1 if v is not a level (e.g. missing excluded). */
int32_t stats_levels_find(const StatsLevels *levels, double v);

/* ==== Tests on tables ================================================================== */

typedef struct StatsTest {
    double statistic;
    double df;          /* degrees of freedom (first); NaN if not applicable */
    double df2;         /* second degrees of freedom (F); NaN otherwise */
    double p;           /* p-value */
} StatsTest;

/* Pearson chi-square test of independence on an r x c table of counts (row-major). Rows
 * and columns with zero total are left out of the degrees of freedom. NaN statistic if
 * fewer than 2 non-empty rows or columns. */
void stats_chi2_independence(const double *counts, int32_t rows, int32_t cols,
                             StatsTest *out);

/* ==== Distributions ==================================================================== */

double stats_t_two_sided_p(double t, double df);   /* P(|T| >= |t|) */
double stats_t_quantile(double p, double df);      /* inverse CDF of Student t */
double stats_f_upper_p(double f, double df1, double df2);
double stats_chi2_upper_p(double x, double df);
double stats_normal_two_sided_p(double z);
/* The CDF of the studentized range for k groups and df error degrees of freedom
 * (df = INFINITY allowed). Computed by numerical integration; accurate to about 1e-7. */
double stats_ptukey(double q, int32_t k, double df);

/* ==== Correlation ====================================================================== */

/* Covariance (n - 1) and Pearson correlation of paired values; NaN where undefined. */
double stats_covariance(const double *x, const double *y, int64_t n);
double stats_correlation(const double *x, const double *y, int64_t n);
/* Two-sided p-value of a Pearson correlation r from n pairs (t test, n - 2 df). */
double stats_correlation_p(double r, int64_t n);

/* ==== Confidence interval of a mean ==================================================== */

typedef struct StatsMeanCi {
    double mean;
    double se;
    double low;
    double high;
} StatsMeanCi;

/* t-based interval at level (0 < level < 1, e.g. 0.95). NaN fields if n < 2. */
void stats_mean_ci(const double *values, int64_t n, double level, StatsMeanCi *out);

/* ==== Normality tests ================================================================== */

typedef struct StatsNormality {
    StatsTest skewness;        /* D'Agostino z test of skewness (n >= 8) */
    StatsTest kurtosis;        /* Anscombe-Glynn z test of kurtosis (n >= 20) */
    StatsTest skew_kurtosis;   /* K^2 = z_s^2 + z_k^2, chi-square 2 df (unadjusted) */
    StatsTest jarque_bera;     /* n/6 (S^2 + (K - 3)^2 / 4), chi-square 2 df */
    StatsTest shapiro_wilk;    /* W and its p-value (Royston 1995), 3 <= n <= 5000 */
    double sample_skewness;    /* g1 */
    double sample_kurtosis;    /* b2 */
} StatsNormality;

/* All tests on values (any order, no missing). Tests that need more values than n are
 * NaN. Fails only on out-of-memory. */
MdStatus stats_normality(const double *values, int64_t n, StatsNormality *out, MdError *err)
    MD_MUST_CHECK;
/* Recomputes the tests that depend on n (skewness, kurtosis, K^2, Jarque-Bera) from the
 * sample skewness and kurtosis in out at the given n: output control passes a released
 * count, so the statistics reveal no exact unit count. Shapiro-Wilk is left as it is. */
void stats_normality_at_n(StatsNormality *out, int64_t n);
/* Shapiro-Wilk W and p-value of sorted values (3 <= n <= 5000, not all equal); false
 * otherwise. */
bool stats_shapiro_wilk(const double *sorted, int64_t n, double *w, double *p);

/* ==== One-way ANOVA and Tukey HSD ====================================================== */

typedef struct StatsAnovaGroup {
    int64_t n;
    double mean;
    double sum_squares;  /* within-group sum of squared deviations */
} StatsAnovaGroup;

typedef struct StatsAnova {
    int32_t k;           /* groups with at least one value */
    int64_t n;
    double ss_between;
    double ss_within;
    double ss_total;
    double df_between;
    double df_within;
    double ms_between;
    double ms_within;
    double f;
    double p;
    double r_squared;
} StatsAnova;

/* One-way ANOVA over group codes (0..n_groups-1, -1 = leave the row out). groups receives
 * per-group n, mean and sum of squares (capacity n_groups). Statistics are NaN when fewer
 * than 2 groups or no residual degrees of freedom. */
void stats_anova_oneway(const double *y, const int32_t *group, int64_t n, int32_t n_groups,
                        StatsAnovaGroup *groups, StatsAnova *out);

typedef struct StatsTukeyPair {
    int32_t a;           /* group indices, a < b */
    int32_t b;
    double difference;   /* mean_b - mean_a */
    double se;           /* sqrt(ms_within / 2 * (1/n_a + 1/n_b)) */
    double q;            /* |difference| / se */
    double p;            /* adjusted p-value from the studentized range */
    double low;          /* simultaneous confidence interval of the difference */
    double high;
} StatsTukeyPair;

/* Tukey-Kramer HSD over every pair of non-empty groups. out holds up to
 * n_groups*(n_groups-1)/2 pairs; returns the number written. */
int32_t stats_tukey_hsd(const StatsAnovaGroup *groups, int32_t n_groups,
                        const StatsAnova *anova, double level, StatsTukeyPair *out);

/* ==== Least squares (n-way ANOVA, ANCOVA) =============================================== */

/* Regresses y on the columns j of x (n rows, column-major, p columns) with use_column[j]
 * set (NULL: all). Gives the residual sum of squares and the numerical rank; collinear
 * columns are dropped (rank-revealing QR). */
MdStatus stats_least_squares(const double *x, int64_t n, int32_t p, const double *y,
                             const uint8_t *use_column, double *rss, int32_t *rank,
                             MdError *err) MD_MUST_CHECK;

/* ==== Panel transitions ================================================================ */

/* For panel rows sorted by unit then time: cell[i] = from * n_states + to when row i and
 * row i+1 belong to the same unit, time[i+1] == time[i] + 1 and both states are >= 0;
 * otherwise -1. (The transition is attributed to the row at time t.) */
void stats_transition_cells(const uint64_t *unit_ids, const int32_t *time,
                            const int32_t *state, int64_t n, int32_t n_states,
                            int32_t *cell);

#endif /* MDATA_STATS_STATS_H */
