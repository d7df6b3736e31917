/*
 * test_stats_core.c - unit tests of src/stats: moments, quantiles, gini, levels, chi-square,
 * correlation, confidence intervals, normality tests, the studentized range, one-way
 * ANOVA with Tukey HSD and panel transitions. Expected values were computed with
 * scipy 1.10 (Debian python3-scipy) or by hand, as noted at each test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "stats/stats.h"

#define assert_near(actual, expected, tol) \
    assert_true(fabs((double)(actual) - (double)(expected)) <= (tol))

static const double sample[22] = {
    2.1, 3.4, 1.9, 5.6, 4.4, 3.3, 2.8, 6.1, 4.0, 3.7, 2.2,
    5.0, 4.8, 3.1, 2.9, 7.2, 1.5, 3.9, 4.1, 2.6, 3.0, 5.5,
};

/* y = 0.5 x + (0.3, -0.2, ...) + 0.1 i */
static const double paired[22] = {
    1.35, 1.6, 1.45, 2.9, 2.9, 1.95, 2.3, 3.55, 3.1, 2.55, 2.4,
    3.4, 3.9, 2.65, 3.15, 4.9, 2.65, 3.45, 4.15, 3, 3.8, 4.65,
};

static void sorted_sample(double *out)
{
    memcpy(out, sample, sizeof sample);
    stats_sort(out, 22);
}

static void test_moments(void **state)
{
    (void)state;
    StatsMoments m;
    stats_moments(sample, 22, &m);
    assert_int_equal(m.n, 22);
    assert_near(m.sum, 83.1, 1e-12);
    assert_near(m.mean, 3.77727272727273, 1e-12);
    assert_near(m.variance, 2.14564935064935, 1e-12);
    assert_near(m.sd, sqrt(2.14564935064935), 1e-12);
    assert_near(m.skewness, 0.554108444530895, 1e-12);
    assert_near(m.kurtosis, 2.67841207268485, 1e-12);
}

static void test_moments_edge_cases(void **state)
{
    (void)state;
    StatsMoments m;
    stats_moments(NULL, 0, &m);
    assert_int_equal(m.n, 0);
    assert_true(isnan(m.mean));
    assert_true(isnan(m.sd));
    double one = 5.0;
    stats_moments(&one, 1, &m);
    assert_near(m.mean, 5.0, 0);
    assert_true(isnan(m.variance));
    double same[4] = {2, 2, 2, 2};
    stats_moments(same, 4, &m);
    assert_near(m.variance, 0.0, 0);
    assert_true(isnan(m.skewness));
    assert_true(isnan(m.kurtosis));
    /* The compensated sum keeps small terms next to large ones. */
    double big[4] = {1e16, 1.0, 1.0, -1e16};
    assert_near(stats_sum(big, 4), 2.0, 0);
}

static void test_quantiles(void **state)
{
    (void)state;
    double s[22];
    sorted_sample(s);
    assert_near(s[0], 1.5, 0);
    assert_near(s[21], 7.2, 0);
    assert_near(stats_quantile_sorted(s, 22, 0.25), 2.825, 1e-12);
    assert_near(stats_quantile_sorted(s, 22, 0.5), 3.55, 1e-12);
    assert_near(stats_quantile_sorted(s, 22, 0.75), 4.7, 1e-12);
    assert_near(stats_quantile_sorted(s, 22, 0.0), 1.5, 0);
    assert_near(stats_quantile_sorted(s, 22, 1.0), 7.2, 0);
    assert_near(stats_iqr_sorted(s, 22), 4.7 - 2.825, 1e-12);
    assert_true(isnan(stats_quantile_sorted(s, 0, 0.5)));
    assert_true(isnan(stats_quantile_sorted(s, 22, 1.5)));
    double one = 9.0;
    assert_near(stats_quantile_sorted(&one, 1, 0.3), 9.0, 0);
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void test_sort(void **state)
{
    (void)state;
    enum { N = 20000 };
    static double v[N];
    Rng rng;
    rng_seed(&rng, 7);
    static double copy[N], original[N];
    const int patterns = 7;
    /* N values go through the radix sort, 4000 through the introsort: both must give
     * what qsort gives */
    const int64_t lengths[2] = {N, 4000};
    for (int pattern = 0; pattern < patterns; pattern++) {
        for (int i = 0; i < N; i++) {
            switch (pattern) {
            case 0: v[i] = rng_normal(&rng); break;          /* random */
            case 1: v[i] = (double)(i % 7); break;           /* many ties */
            case 2: v[i] = (double)i; break;                 /* sorted */
            case 3: v[i] = (double)(N - i); break;           /* reversed */
            case 4: /* every magnitude and both signs */
                v[i] = rng_normal(&rng) * pow(10.0, (double)(i % 600) - 300.0);
                break;
            case 5: { /* signed zeros, infinities, subnormals among ordinary values */
                const double special[6] = {-0.0, 0.0, INFINITY, -INFINITY, 4.9e-324,
                                           -4.9e-324};
                v[i] = i % 5 == 0 ? special[(i / 5) % 6] : rng_normal(&rng);
                break;
            }
            default: v[i] = (double)((i * 7919) % 101) - 50.0; break;
            }
        }
        memcpy(original, v, sizeof v);
        for (int l = 0; l < 2; l++) {
            int64_t n = lengths[l];
            memcpy(copy, original, (size_t)n * sizeof *copy);
            qsort(copy, (size_t)n, sizeof *copy, compare_doubles);
            memcpy(v, original, (size_t)n * sizeof *v);
            stats_sort(v, n);
            for (int64_t i = 0; i < n; i++) {
                assert_true(v[i] == copy[i]);
            }
        }
    }
    double two[2] = {2, 1};
    stats_sort(two, 2);
    assert_near(two[0], 1, 0);
    stats_sort(two, 0);
}

static void test_gini(void **state)
{
    (void)state;
    double s[22];
    sorted_sample(s);
    assert_near(stats_gini_sorted(s, 22), 0.213051088502352, 1e-12);
    double equal[5] = {3, 3, 3, 3, 3};
    assert_near(stats_gini_sorted(equal, 5), 0.0, 1e-15);
    /* All income to one of four: (n - 1) / n. */
    double one_has_all[4] = {0, 0, 0, 8};
    assert_near(stats_gini_sorted(one_has_all, 4), 0.75, 1e-15);
    double negative[3] = {-1, 2, 3};
    assert_true(isnan(stats_gini_sorted(negative, 3)));
    double zeros[3] = {0, 0, 0};
    assert_true(isnan(stats_gini_sorted(zeros, 3)));
}

static void test_collect(void **state)
{
    (void)state;
    double x[5] = {1, NAN, 3, 4, 5};
    uint8_t mask[5] = {1, 1, 0, 1, 1};
    double out[5];
    assert_int_equal(stats_collect(x, mask, 5, out), 3);
    assert_near(out[0], 1, 0);
    assert_near(out[1], 4, 0);
    assert_near(out[2], 5, 0);
    assert_int_equal(stats_collect(x, NULL, 5, out), 4);
}

static void test_levels(void **state)
{
    (void)state;
    double x[8] = {3, 1, NAN, 2, 3, 1, 7, NAN};
    StatsLevels lv;
    MdError err;
    md_error_clear(&err);
    assert_int_equal(stats_levels_build(x, NULL, 8, false, 0, &lv, &err), MD_OK);
    assert_int_equal(lv.n, 4);
    assert_false(lv.has_missing);
    assert_near(lv.values[0], 1, 0);
    assert_near(lv.values[3], 7, 0);
    assert_int_equal(stats_levels_find(&lv, 3), 2);
    assert_int_equal(stats_levels_find(&lv, 7), 3);
    assert_int_equal(stats_levels_find(&lv, 4), -1);
    assert_int_equal(stats_levels_find(&lv, NAN), -1);
    stats_levels_free(&lv);
    assert_int_equal(stats_levels_build(x, NULL, 8, true, 0, &lv, &err), MD_OK);
    assert_int_equal(lv.n, 5);
    assert_true(lv.has_missing);
    assert_int_equal(stats_levels_find(&lv, NAN), 4);
    assert_int_equal(stats_levels_find(&lv, 1), 0);
    stats_levels_free(&lv);
    uint8_t mask[8] = {0, 1, 0, 1, 0, 0, 0, 0};
    assert_int_equal(stats_levels_build(x, mask, 8, true, 0, &lv, &err), MD_OK);
    assert_int_equal(lv.n, 2);
    assert_false(lv.has_missing);
    stats_levels_free(&lv);
    assert_int_equal(stats_levels_build(x, NULL, 8, false, 3, &lv, &err), MD_ERR_LIMIT);
    assert_null(lv.values);
    assert_null(strpbrk(err.message, "0123456789"));
    md_error_clear(&err);
    assert_int_equal(stats_levels_build(x, NULL, 0, false, 0, &lv, &err), MD_OK);
    assert_int_equal(lv.n, 0);
    assert_int_equal(stats_levels_find(&lv, 1), -1);
    stats_levels_free(&lv);
}

static void test_chi2(void **state)
{
    (void)state;
    /* scipy.stats.chi2_contingency(correction=False) */
    double t[6] = {10, 20, 30, 25, 15, 5};
    StatsTest r;
    stats_chi2_independence(t, 2, 3, &r);
    assert_near(r.statistic, 23.3333333333333, 1e-10);
    assert_near(r.df, 2, 0);
    assert_near(r.p, 8.57493910267228e-06, 1e-15);
    /* An empty column leaves the degrees of freedom. */
    double t2[8] = {10, 0, 20, 30, 25, 0, 15, 5};
    stats_chi2_independence(t2, 2, 4, &r);
    assert_near(r.statistic, 23.3333333333333, 1e-10);
    assert_near(r.df, 2, 0);
    double one_row[3] = {1, 2, 3};
    stats_chi2_independence(one_row, 1, 3, &r);
    assert_true(isnan(r.statistic));
    assert_true(isnan(r.p));
    /* Independent table: chi2 = 0, p = 1. */
    double indep[4] = {10, 20, 30, 60};
    stats_chi2_independence(indep, 2, 2, &r);
    assert_near(r.statistic, 0, 1e-12);
    assert_near(r.p, 1, 1e-12);
}

static void test_correlation(void **state)
{
    (void)state;
    assert_near(stats_correlation(sample, paired, 22), 0.708278688709343, 1e-12);
    assert_near(stats_covariance(sample, paired, 22), 0.994729437229437, 1e-12);
    assert_near(stats_correlation_p(0.708278688709343, 22), 0.000225500868135393, 1e-12);
    assert_near(stats_correlation(sample, sample, 22), 1.0, 1e-15);
    assert_near(stats_correlation_p(1.0, 22), 0.0, 0);
    double flat[3] = {1, 1, 1};
    assert_true(isnan(stats_correlation(flat, sample, 3)));
    assert_true(isnan(stats_covariance(sample, paired, 1)));
    assert_true(isnan(stats_correlation_p(0.5, 2)));
}

static void test_mean_ci(void **state)
{
    (void)state;
    StatsMeanCi ci;
    stats_mean_ci(sample, 22, 0.95, &ci);
    assert_near(ci.mean, 3.77727272727273, 1e-12);
    assert_near(ci.se, 0.3122971596710524, 1e-12);
    assert_near(ci.low, 3.127815230351681, 1e-9);
    assert_near(ci.high, 4.426730224193773, 1e-9);
    stats_mean_ci(sample, 1, 0.95, &ci);
    assert_true(isnan(ci.se));
    stats_mean_ci(sample, 22, 1.0, &ci);
    assert_true(isnan(ci.low));
}

static void test_distributions(void **state)
{
    (void)state;
    assert_near(stats_t_two_sided_p(0.0, 10), 1.0, 1e-15);
    assert_near(stats_t_two_sided_p(2.228138851986, 10), 0.05, 1e-9);
    assert_near(stats_t_quantile(0.975, 10), 2.228138851986, 1e-9);
    assert_near(stats_chi2_upper_p(5.991464547107979, 2), 0.05, 1e-12);
    assert_near(stats_normal_two_sided_p(1.959963984540054), 0.05, 1e-12);
    assert_near(stats_f_upper_p(4.102821015130399, 2, 10), 0.05, 1e-9);
    assert_true(isnan(stats_f_upper_p(NAN, 2, 10)));
    assert_true(isnan(stats_chi2_upper_p(1.0, 0)));
    assert_true(isnan(stats_t_quantile(1.0, 5)));
}

static void test_normality(void **state)
{
    (void)state;
    StatsNormality r;
    MdError err;
    md_error_clear(&err);
    assert_int_equal(stats_normality(sample, 22, &r, &err), MD_OK);
    assert_near(r.sample_skewness, 0.554108444530895, 1e-12);
    assert_near(r.sample_kurtosis, 2.67841207268485, 1e-12);
    assert_near(r.skewness.statistic, 1.2501831251367586, 1e-10);
    assert_near(r.skewness.p, 0.21123265971239813, 1e-10);
    assert_near(r.kurtosis.statistic, 0.1438465849629605, 1e-10);
    assert_near(r.kurtosis.p, 0.8856216158991893, 1e-10);
    assert_near(r.skew_kurtosis.statistic, 1.5836496863822185, 1e-10);
    assert_near(r.skew_kurtosis.p, 0.45301735490195516, 1e-10);
    assert_near(r.jarque_bera.statistic, 1.2205998458469216, 1e-10);
    assert_near(r.jarque_bera.p, 0.5431879301291658, 1e-10);
    /* scipy's shapiro computes in single precision. */
    assert_near(r.shapiro_wilk.statistic, 0.9685745239257812, 1e-6);
    assert_near(r.shapiro_wilk.p, 0.6780765652656555, 1e-5);
    /* Too few values: tests left out, no failure. */
    assert_int_equal(stats_normality(sample, 6, &r, &err), MD_OK);
    assert_true(isnan(r.skewness.statistic));
    assert_true(isnan(r.kurtosis.p));
    assert_false(isnan(r.shapiro_wilk.statistic));
    double flat[30];
    for (int i = 0; i < 30; i++) {
        flat[i] = 4.0;
    }
    assert_int_equal(stats_normality(flat, 30, &r, &err), MD_OK);
    assert_true(isnan(r.jarque_bera.statistic));
    assert_true(isnan(r.shapiro_wilk.statistic));
}

static void test_shapiro_small_n(void **state)
{
    (void)state;
    /* scipy.stats.shapiro on the first n values of the sample */
    static const struct { int n; double w; double p; } cases[] = {
        {3, 0.847989976406, 0.235088229179}, {4, 0.876031756401, 0.321964502335},
        {5, 0.932084798813, 0.610654830933}, {7, 0.940136790276, 0.639951884747},
        {11, 0.936088681221, 0.475663512945}, {12, 0.953490316868, 0.688430309296},
    };
    for (size_t c = 0; c < MD_ARRAY_LEN(cases); c++) {
        double s[22];
        memcpy(s, sample, sizeof s);
        stats_sort(s, cases[c].n);
        double w;
        double p;
        assert_true(stats_shapiro_wilk(s, cases[c].n, &w, &p));
        assert_near(w, cases[c].w, 2e-6);
        assert_near(p, cases[c].p, 2e-5);
    }
    double w;
    double p;
    assert_false(stats_shapiro_wilk(sample, 2, &w, &p));
    double flat[4] = {1, 1, 1, 1};
    assert_false(stats_shapiro_wilk(flat, 4, &w, &p));
    assert_true(isnan(w));
}

static void test_ptukey(void **state)
{
    (void)state;
    /* scipy.stats.studentized_range.cdf */
    assert_near(stats_ptukey(3.5, 3, 10), 0.922896689162, 1e-7);
    assert_near(stats_ptukey(2.0, 4, 20), 0.494559654588, 1e-7);
    assert_near(stats_ptukey(4.0, 5, INFINITY), 0.962303931779, 1e-7);
    assert_near(stats_ptukey(3.0, 2, 5), 0.912640691873, 1e-7);
    assert_near(stats_ptukey(0.0, 3, 10), 0.0, 0);
    assert_near(stats_ptukey(60.0, 3, 10), 1.0, 1e-7);
    assert_true(isnan(stats_ptukey(1.0, 1, 10)));
    /* Two groups: the range of two normals is sqrt(2) |Z|, so Q^2 / 2 = F(1, df). */
    assert_near(stats_ptukey(3.0, 2, 5), 1.0 - stats_f_upper_p(4.5, 1, 5), 1e-7);
}

static const double anova_y[21] = {
    4.2, 5.1, 3.9, 4.8, 5.0, 4.4,
    5.9, 6.3, 5.5, 6.8, 6.1, 5.7, 6.0,
    4.9, 5.2, 4.6, 5.8, 5.1, 5.4, 5.0, 4.7,
};
static const int32_t anova_g[21] = {
    0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2,
};

static void test_anova_tukey(void **state)
{
    (void)state;
    StatsAnovaGroup groups[4];
    StatsAnova a;
    /* A fourth, empty group is ignored. */
    stats_anova_oneway(anova_y, anova_g, 21, 4, groups, &a);
    assert_int_equal(a.k, 3);
    assert_int_equal(a.n, 21);
    assert_near(a.df_between, 2, 0);
    assert_near(a.df_within, 18, 0);
    assert_near(a.f, 20.46799379052141, 1e-9);
    assert_near(a.p, 2.3122109733263115e-05, 1e-12);
    assert_near(groups[0].mean, 27.4 / 6.0, 1e-12);
    assert_int_equal(groups[1].n, 7);
    StatsTukeyPair pairs[6];
    int32_t m = stats_tukey_hsd(groups, 4, &a, 0.95, pairs);
    assert_int_equal(m, 3);
    /* scipy.stats.tukey_hsd: statistic[i][j] = mean_i - mean_j; ours is mean_b - mean_a */
    assert_int_equal(pairs[0].a, 0);
    assert_int_equal(pairs[0].b, 1);
    assert_near(pairs[0].difference, 1.47619048, 1e-8);
    assert_near(pairs[0].p, 1.99645674e-05, 1e-9);
    assert_near(pairs[0].low, 0.87199639, 1e-6);
    assert_near(pairs[0].high, 2.08038457, 1e-6);
    assert_near(pairs[1].difference, 0.52083333, 1e-8);
    assert_near(pairs[1].p, 8.68520342e-02, 1e-7);
    assert_near(pairs[1].low, -0.06567318, 1e-6);
    assert_near(pairs[2].difference, -0.95535714, 1e-8);
    assert_near(pairs[2].p, 1.09814354e-03, 1e-8);
    assert_near(pairs[2].high, -0.39329924, 1e-6);
}

static void test_anova_edge_cases(void **state)
{
    (void)state;
    StatsAnovaGroup groups[2];
    StatsAnova a;
    double y[3] = {1, 2, 3};
    int32_t g[3] = {0, 0, -1};
    stats_anova_oneway(y, g, 3, 2, groups, &a);
    assert_int_equal(a.k, 1);
    assert_int_equal(a.n, 2);
    assert_true(isnan(a.f));
    StatsTukeyPair pairs[1];
    assert_int_equal(stats_tukey_hsd(groups, 2, &a, 0.95, pairs), 0);
    /* One value per group: no residual degrees of freedom. */
    int32_t g2[3] = {0, 1, -1};
    stats_anova_oneway(y, g2, 3, 2, groups, &a);
    assert_true(isnan(a.f));
    assert_true(isnan(a.p));
}

static void test_least_squares(void **state)
{
    (void)state;
    /* y on (1, x): RSS = Syy - Sxy^2 / Sxx; a duplicated column leaves RSS, drops rank */
    double x[3 * 22];
    for (int i = 0; i < 22; i++) {
        x[i] = 1.0;
        x[22 + i] = sample[i];
        x[44 + i] = sample[i];
    }
    double mx = stats_mean(sample, 22);
    double my = stats_mean(paired, 22);
    double sxx = 0, sxy = 0, syy = 0;
    for (int i = 0; i < 22; i++) {
        sxx += (sample[i] - mx) * (sample[i] - mx);
        sxy += (sample[i] - mx) * (paired[i] - my);
        syy += (paired[i] - my) * (paired[i] - my);
    }
    double rss;
    int32_t rank;
    MdError err;
    md_error_clear(&err);
    assert_int_equal(stats_least_squares(x, 22, 2, paired, NULL, &rss, &rank, &err), MD_OK);
    assert_int_equal(rank, 2);
    assert_near(rss, syy - sxy * sxy / sxx, 1e-10);
    assert_int_equal(stats_least_squares(x, 22, 3, paired, NULL, &rss, &rank, &err), MD_OK);
    assert_int_equal(rank, 2);
    assert_near(rss, syy - sxy * sxy / sxx, 1e-10);
    /* dropping x: only the constant, RSS = Syy */
    uint8_t use[3] = {1, 0, 0};
    assert_int_equal(stats_least_squares(x, 22, 3, paired, use, &rss, &rank, &err), MD_OK);
    assert_int_equal(rank, 1);
    assert_near(rss, syy, 1e-10);
    assert_int_equal(stats_least_squares(x, 0, 2, paired, NULL, &rss, &rank, &err),
                     MD_ERR_LIMIT);
}

static void test_transitions(void **state)
{
    (void)state;
    uint64_t unit[7] = {1, 1, 1, 2, 2, 3, 3};
    int32_t time[7] = {0, 1, 2, 0, 2, 1, 2};
    int32_t st[7] = {0, 1, 1, 0, 1, -1, 0};
    int32_t cell[7];
    stats_transition_cells(unit, time, st, 7, 2, cell);
    assert_int_equal(cell[0], 0 * 2 + 1);
    assert_int_equal(cell[1], 1 * 2 + 1);
    assert_int_equal(cell[2], -1); /* next row is another unit */
    assert_int_equal(cell[3], -1); /* gap in time */
    assert_int_equal(cell[4], -1);
    assert_int_equal(cell[5], -1); /* from missing */
    assert_int_equal(cell[6], -1);
}

/* The n-dependent normality tests evaluated at another n (output control passes the
 * released count): at the exact n the same values, at n + 2 Jarque-Bera scales with n,
 * the other statistics move, Shapiro-Wilk is kept; below the minimum n they are NaN. */
static void test_normality_at_n(void **state)
{
    (void)state;
    StatsNormality r;
    StatsNormality s;
    MdError err;
    md_error_clear(&err);
    assert_int_equal(stats_normality(sample, 22, &r, &err), MD_OK);
    s = r;
    stats_normality_at_n(&s, 22);
    assert_near(s.skewness.statistic, r.skewness.statistic, 1e-12);
    assert_near(s.kurtosis.statistic, r.kurtosis.statistic, 1e-12);
    assert_near(s.skew_kurtosis.p, r.skew_kurtosis.p, 1e-12);
    assert_near(s.jarque_bera.statistic, r.jarque_bera.statistic, 1e-12);
    stats_normality_at_n(&s, 24);
    assert_near(s.jarque_bera.statistic, r.jarque_bera.statistic * 24.0 / 22.0, 1e-12);
    assert_true(fabs(s.skewness.statistic - r.skewness.statistic) > 1e-6);
    assert_true(fabs(s.kurtosis.statistic - r.kurtosis.statistic) > 1e-6);
    assert_near(s.shapiro_wilk.statistic, r.shapiro_wilk.statistic, 0.0);
    stats_normality_at_n(&s, 10);
    assert_false(isnan(s.skewness.statistic));
    assert_true(isnan(s.kurtosis.statistic));
    stats_normality_at_n(&s, 0);
    assert_true(isnan(s.skewness.statistic));
    assert_true(isnan(s.jarque_bera.statistic));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_moments),
        cmocka_unit_test(test_moments_edge_cases),
        cmocka_unit_test(test_quantiles),
        cmocka_unit_test(test_sort),
        cmocka_unit_test(test_gini),
        cmocka_unit_test(test_collect),
        cmocka_unit_test(test_levels),
        cmocka_unit_test(test_chi2),
        cmocka_unit_test(test_correlation),
        cmocka_unit_test(test_mean_ci),
        cmocka_unit_test(test_distributions),
        cmocka_unit_test(test_normality),
        cmocka_unit_test(test_shapiro_small_n),
        cmocka_unit_test(test_ptukey),
        cmocka_unit_test(test_anova_tukey),
        cmocka_unit_test(test_anova_edge_cases),
        cmocka_unit_test(test_least_squares),
        cmocka_unit_test(test_transitions),
        cmocka_unit_test(test_normality_at_n),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
