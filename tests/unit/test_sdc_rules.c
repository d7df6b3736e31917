/*
 * test_sdc_rules.c - every rule at its boundary: population floor (R1, 999 vs 1000), small
 * change (R2, 9 vs 10 and all-but-9), minimum contributing units (R3/B8), sparse tables
 * (R6, exactly half low), winsorising bounds (R7), dominance and the p % rule (R8),
 * quantiles (R9), significant digits (R10), NaN/Inf (G3), refusal texts without digits
 * (B4/R17) and settings that change behaviour (G4).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <cmocka.h>

#include "sdc_test_util.h"

static void test_population_floor(void **state)
{
    (void)state;
    Sdc *s = test_sdc();
    MdError err;
    md_error_clear(&err);
    SdcCell small = test_cell(s, 1, 999), enough = test_cell(s, 1, 1000);
    assert_int_equal(sdc_check_population(s, &small, &err), MD_ERR_DISCLOSURE);
    assert_false(has_digit(err.message));
    assert_non_null(strstr(err.message, "population-floor"));
    md_error_clear(&err);
    assert_int_equal(sdc_check_population(s, &enough, &err), MD_OK);
    sdc_free(s);
    s = test_sdc(); /* a fresh audit: the units below are near the cell's size */
    uint64_t ids[1000];
    for (int i = 0; i < 1000; i++)
        ids[i] = 5000 + (uint64_t)i;
    assert_int_equal(sdc_check_population_units(s, ids, 999, &err), MD_ERR_DISCLOSURE);
    assert_false(has_digit(err.message));
    md_error_clear(&err);
    assert_int_equal(sdc_check_population_units(s, ids, 1000, &err), MD_OK);
    sdc_free(s);
}

static void test_small_change(void **state)
{
    (void)state;
    Sdc *s = test_sdc();
    MdError err;
    static const struct {
        int64_t changed, total;
        MdStatus want;
    } cases[] = {
        {0, 5000, MD_OK},    {1, 5000, MD_ERR_DISCLOSURE},    {9, 5000, MD_ERR_DISCLOSURE},
        {10, 5000, MD_OK},   {4990, 5000, MD_OK},             {4991, 5000, MD_ERR_DISCLOSURE},
        {4999, 5000, MD_ERR_DISCLOSURE}, {5000, 5000, MD_OK}, {5, 12, MD_ERR_DISCLOSURE},
        {0, 0, MD_OK},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        md_error_clear(&err);
        assert_int_equal(sdc_check_change(s, cases[i].changed, cases[i].total, &err),
                         cases[i].want);
        assert_false(has_digit(err.message));
    }
    md_error_clear(&err);
    assert_int_equal(sdc_check_change(s, 6, 5, &err), MD_ERR_INTERNAL);
    sdc_free(s);
}

static void test_contributing_units_threshold(void **state)
{
    (void)state;
    Sdc *s = test_sdc();
    /* B8: a group of 12 persons where 2 have a value: the contributing cell has 2 units */
    double two[2] = {300000, 450000};
    SdcCell contributing = test_cell(s, 100, 2), group = test_cell(s, 100, 12);
    assert_int_equal(sdc_release_mean(s, &contributing, "inntekt", two, 2, 0, 1e6).kind,
                     RELEASED_SUPPRESSED);
    assert_int_equal(sdc_release_sum(s, &contributing, "inntekt", two, 2, 0, 1e6).kind,
                     RELEASED_SUPPRESSED);
    assert_int_equal(sdc_release_sd(s, &contributing, "inntekt", two, 2, 0, 1e6).kind,
                     RELEASED_SUPPRESSED);
    /* even when handed the whole group's cell, two values are too few */
    assert_int_equal(sdc_release_mean(s, &group, "inntekt", two, 2, 0, 1e6).kind,
                     RELEASED_SUPPRESSED);
    assert_int_equal(sdc_release_value(s, &contributing, 0.5).kind, RELEASED_SUPPRESSED);
    double ten[10];
    for (int i = 0; i < 10; i++)
        ten[i] = 100 + i;
    SdcCell nine = test_cell(s, 100, 9), tenu = test_cell(s, 100, 10);
    assert_int_equal(sdc_release_mean(s, &nine, "x", ten, 9, 100, 109).kind,
                     RELEASED_SUPPRESSED);
    Released m = sdc_release_mean(s, &tenu, "x", ten, 10, 100, 109);
    assert_int_equal(m.kind, RELEASED_NUMBER);
    assert_true(m.value > 80 && m.value < 130);
    assert_int_equal(sdc_release_value(s, &tenu, 0.5).kind, RELEASED_NUMBER);
    sdc_free(s);
}

static SdcCell cell_of(int64_t n)
{
    SdcCell c;
    sdc_cell_init(&c);
    c.n_units = n;
    c.n_rows = n;
    return c;
}

static void test_sparse_tables(void **state)
{
    (void)state;
    Sdc *s = test_sdc();
    MdError err;
    SdcCell cells[10];
    for (int i = 0; i < 10; i++)
        cells[i] = cell_of(i < 5 ? 3 : 40); /* exactly half low */
    md_error_clear(&err);
    assert_int_equal(sdc_check_table(s, cells, 10, &err), MD_OK);
    cells[5] = cell_of(4); /* six of ten low */
    assert_int_equal(sdc_check_table(s, cells, 10, &err), MD_ERR_DISCLOSURE);
    assert_false(has_digit(err.message));
    /* empty cells are structural unless zeros are disclosive */
    cells[0] = cell_of(40);
    cells[5] = cell_of(0);
    cells[6] = cell_of(0); /* four low of eight non-empty: allowed */
    md_error_clear(&err);
    assert_int_equal(sdc_check_table(s, cells, 10, &err), MD_OK);
    SdcConfig cfg;
    sdc_config_default(&cfg);
    cfg.zeros_are_disclosive = true;
    Sdc *z = test_sdc_with(&cfg, false, NULL);
    assert_int_equal(sdc_check_table(z, cells, 10, &err), MD_ERR_DISCLOSURE);
    /* G4: a different share changes the decision */
    cfg.zeros_are_disclosive = false;
    cfg.sparse_share = 0.4;
    Sdc *strict = test_sdc_with(&cfg, false, NULL);
    cells[5] = cell_of(40);
    cells[6] = cell_of(40);
    cells[0] = cell_of(3); /* five low of ten: above 40 % */
    md_error_clear(&err);
    assert_int_equal(sdc_check_table(strict, cells, 10, &err), MD_ERR_DISCLOSURE);
    cfg.sparse_share = 0.5;
    cfg.max_table_cells = 9;
    Sdc *few = test_sdc_with(&cfg, false, NULL);
    md_error_clear(&err);
    assert_int_equal(sdc_check_table(few, cells, 10, &err), MD_ERR_DISCLOSURE);
    assert_false(has_digit(err.message));
    Sdc *trusted = test_sdc_with(NULL, true, NULL);
    cells[6] = cell_of(1);
    assert_int_equal(sdc_check_table(trusted, cells, 10, &err), MD_OK);
    sdc_free(trusted);
    sdc_free(few);
    sdc_free(strict);
    sdc_free(z);
    sdc_free(s);
}

static void test_winsor_bounds(void **state)
{
    (void)state;
    Sdc *s = test_sdc();
    double *v = md_malloc(2000 * sizeof *v);
    for (int i = 0; i < 2000; i++) /* a permutation of 1..2000 */
        v[i] = (double)((i * 7919) % 2000 + 1);
    double lo, hi;
    assert_true(sdc_winsor_bounds(s, v, 2000, &lo, &hi));
    assert_true(lo == 20 && hi == 1981); /* rank ceil(0.01 n) = 20 */
    for (int i = 0; i < 1000; i++)
        v[i] = (double)((i * 7919) % 1000 + 1);
    assert_true(sdc_winsor_bounds(s, v, 1000, &lo, &hi));
    assert_true(lo == 10 && hi == 991);
    int at_lo = 0, at_hi = 0;
    for (int i = 0; i < 1000; i++) {
        at_lo += v[i] <= lo;
        at_hi += v[i] >= hi;
    }
    assert_true(at_lo >= 10 && at_hi >= 10);
    for (int i = 0; i < 20; i++)
        v[i] = 20 - i;
    assert_true(sdc_winsor_bounds(s, v, 20, &lo, &hi)); /* rank 10 from each end */
    assert_true(lo == 10 && hi == 11);
    assert_false(sdc_winsor_bounds(s, v, 19, &lo, &hi));
    v[3] = NAN;
    assert_false(sdc_winsor_bounds(s, v, 20, &lo, &hi));
    v[3] = INFINITY;
    assert_false(sdc_winsor_bounds(s, v, 20, &lo, &hi));
    Sdc *t = test_sdc_with(NULL, true, NULL);
    for (int i = 0; i < 20; i++)
        v[i] = 20 - i;
    assert_true(sdc_winsor_bounds(t, v, 20, &lo, &hi));
    assert_true(lo == 1 && hi == 20);
    assert_true(sdc_winsor_bounds(t, v + 4, 1, &lo, &hi));
    assert_true(lo == 16 && hi == 16);
    SdcConfig cfg;
    sdc_config_default(&cfg);
    cfg.winsor_min_units = 5; /* G4 */
    Sdc *five = test_sdc_with(&cfg, false, NULL);
    assert_true(sdc_winsor_bounds(five, v, 20, &lo, &hi));
    assert_true(lo == 5 && hi == 16);
    sdc_free(five);
    sdc_free(t);
    md_free(v);
    sdc_free(s);
}

static void test_dominance_and_p_rule(void **state)
{
    (void)state;
    Sdc *s = test_sdc();
    double v[12] = {1000, 1000, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
    SdcCell c = test_cell(s, 1, 12);
    assert_int_equal(sdc_release_sum(s, &c, "x", v, 12, 0, 1000).kind, RELEASED_SUPPRESSED);
    assert_int_equal(sdc_release_mean(s, &c, "x", v, 12, 0, 1000).kind, RELEASED_SUPPRESSED);
    for (int i = 2; i < 12; i++)
        v[i] = 30; /* top two = 2000 of 2300: below 90 % */
    assert_int_equal(sdc_release_sum(s, &c, "x", v, 12, 0, 1000).kind, RELEASED_NUMBER);
    /* the p % rule alone (dominance switched off): remainder must be >= 10 % of the top */
    SdcConfig cfg;
    sdc_config_default(&cfg);
    cfg.dominance_share = 1.0;
    Sdc *p = test_sdc_with(&cfg, false, NULL);
    for (int i = 2; i < 12; i++)
        v[i] = 9.9; /* remainder 99 < 100 */
    assert_int_equal(sdc_release_sum(p, &c, "x", v, 12, 0, 1000).kind, RELEASED_SUPPRESSED);
    for (int i = 2; i < 12; i++)
        v[i] = 10; /* remainder 100: allowed */
    assert_int_equal(sdc_release_sum(p, &c, "x", v, 12, 0, 1000).kind, RELEASED_NUMBER);
    /* winsorising first: the same outliers clipped to a narrow range are not dominant */
    v[0] = 1e9;
    v[1] = 1e9;
    assert_int_equal(sdc_release_sum(s, &c, "x", v, 12, 0, 12).kind, RELEASED_NUMBER);
    sdc_free(p);
    sdc_free(s);
}

static void test_magnitudes_noisy_bounded_deterministic(void **state)
{
    (void)state;
    Sdc *s = test_sdc();
    enum { N = 500 };
    double v[N];
    double true_sum = 0;
    for (int i = 0; i < N; i++) {
        v[i] = 1000 + (i * 37) % 400;
        true_sum += v[i];
    }
    double lo, hi;
    assert_true(sdc_winsor_bounds(s, v, N, &lo, &hi));
    double w_sum = 0;
    for (int i = 0; i < N; i++)
        w_sum += v[i] < lo ? lo : v[i] > hi ? hi : v[i];
    SdcCell c = test_cell(s, 70000, N);
    Released sum = sdc_release_sum(s, &c, "inntekt", v, N, lo, hi);
    Released again = sdc_release_sum(s, &c, "inntekt", v, N, lo, hi);
    assert_string_equal(sum.text, again.text);
    double sigma = 0.5 * (hi - lo);
    assert_true(fabs(sum.value - w_sum) <= 2.45 * sigma + 0.001 * fabs(w_sum));
    Released other = sdc_release_sum(s, &c, "formue", v, N, lo, hi);
    assert_int_equal(other.kind, RELEASED_NUMBER);
    Released mean = sdc_release_mean(s, &c, "inntekt", v, N, lo, hi);
    assert_true(fabs(mean.value - w_sum / N) < 0.02 * (w_sum / N));
    Released sd = sdc_release_sd(s, &c, "inntekt", v, N, lo, hi);
    assert_int_equal(sd.kind, RELEASED_NUMBER);
    assert_true(sd.value > 80 && sd.value < 150); /* uniform on 1000..1399: sd about 115 */
    /* E1: multiplying the top value by 1000 moves nothing once winsorised */
    double big[N];
    memcpy(big, v, sizeof big);
    int top = 0;
    for (int i = 1; i < N; i++)
        top = big[i] > big[top] ? i : top;
    big[top] *= 1000;
    double lo2, hi2;
    assert_true(sdc_winsor_bounds(s, big, N, &lo2, &hi2));
    assert_true(lo2 == lo && hi2 == hi);
    assert_string_equal(sdc_release_mean(s, &c, "inntekt", big, N, lo2, hi2).text, mean.text);
    /* trusted: exact */
    Sdc *t = test_sdc_with(NULL, true, NULL);
    Released exact = sdc_release_sum(t, &c, "inntekt", v, N, 0, 1e9);
    assert_true(exact.value == true_sum);
    sdc_free(t);
    sdc_free(s);
}

static void test_quantiles(void **state)
{
    (void)state;
    Sdc *s = test_sdc();
    double v[1000];
    for (int i = 0; i < 1000; i++)
        v[i] = i + 1;
    SdcCell c100 = test_cell(s, 1, 100), c1000 = test_cell(s, 1, 1000), c40 = test_cell(s, 1, 40);
    Released median = sdc_release_quantile(s, &c100, v, 100, 0.5);
    assert_string_equal(median.text, "50.5"); /* mean of order statistics 46..55 */
    assert_string_equal(sdc_release_quantile(s, &c100, v, 100, 0.1).text, "10.5");
    assert_int_equal(sdc_release_quantile(s, &c100, v, 100, 0.09).kind, RELEASED_SUPPRESSED);
    assert_int_equal(sdc_release_quantile(s, &c100, v, 100, 0.91).kind, RELEASED_SUPPRESSED);
    assert_string_equal(sdc_release_quantile(s, &c100, v, 100, 0.9).text, "90.5");
    /* E2: n = 40: p1 and p99 refused, p25 an average of ten */
    assert_int_equal(sdc_release_quantile(s, &c40, v, 40, 0.01).kind, RELEASED_SUPPRESSED);
    assert_int_equal(sdc_release_quantile(s, &c40, v, 40, 0.99).kind, RELEASED_SUPPRESSED);
    assert_string_equal(sdc_release_quantile(s, &c40, v, 40, 0.25).text, "10.5");
    /* never the minimum or maximum, even when they are extreme */
    v[0] = -1e12;
    v[999] = 1e12;
    assert_string_equal(sdc_release_quantile(s, &c1000, v, 1000, 0.01).text, "10.5");
    assert_string_equal(sdc_release_quantile(s, &c1000, v, 1000, 0.99).text, "990");
    /* 3 significant digits */
    double w[100];
    for (int i = 0; i < 100; i++)
        w[i] = (i + 1) * 1234.5;
    assert_string_equal(sdc_release_quantile(s, &c100, w, 100, 0.5).text, "62300");
    w[50] = NAN;
    assert_int_equal(sdc_release_quantile(s, &c100, w, 100, 0.5).kind, RELEASED_SUPPRESSED);
    assert_int_equal(sdc_release_quantile(s, &c100, v + 1, 100, 0).kind, RELEASED_SUPPRESSED);
    assert_int_equal(sdc_release_quantile(s, &c100, v + 1, 100, 1).kind, RELEASED_SUPPRESSED);
    /* trusted: the exact interpolated quantile */
    Sdc *t = test_sdc_with(NULL, true, NULL);
    assert_string_equal(sdc_release_quantile(t, &c100, v + 1, 100, 0.5).text, "51.5");
    assert_string_equal(sdc_release_quantile(t, &c100, v + 1, 100, 0.25).text, "26.75");
    /* G4: quantile_units changes the averaging window */
    SdcConfig cfg;
    sdc_config_default(&cfg);
    cfg.quantile_units = 20;
    Sdc *k20 = test_sdc_with(&cfg, false, NULL);
    assert_int_equal(sdc_release_quantile(k20, &c100, v + 1, 100, 0.1).kind,
                     RELEASED_SUPPRESSED);
    sdc_free(k20);
    sdc_free(t);
    sdc_free(s);
}

static void test_significant_digits(void **state)
{
    (void)state;
    Sdc *s = test_sdc();
    SdcCell c = test_cell(s, 1, 50);
    static const struct {
        double in;
        const char *out;
    } cases[] = {
        {12345.678, "12350"}, {0.000123456, "0.0001235"}, {-3.14159, "-3.142"},
        {1.23456e20, "1.235e+20"}, {9.99951, "10"}, {0, "0"}, {-0.00001, "-0.00001"},
        {1e-9, "1e-09"}, {100, "100"}, {0.5, "0.5"}, {-1234567, "-1235000"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        Released r = sdc_release_value(s, &c, cases[i].in);
        assert_string_equal(r.text, cases[i].out);
        assert_true(released_is_sealed(&r));
    }
    assert_true(sdc_release_value(s, &c, 12345.678).value == 12350);
    SdcConfig cfg;
    sdc_config_default(&cfg);
    cfg.digits = 2; /* G4 */
    Sdc *two = test_sdc_with(&cfg, false, NULL);
    assert_string_equal(sdc_release_value(two, &c, 12345.678).text, "12000");
    sdc_free(two);
    sdc_free(s);
}

static void test_non_finite_fails_closed(void **state)
{
    (void)state;
    Sdc *s = test_sdc();
    SdcCell c = test_cell(s, 1, 50);
    assert_int_equal(sdc_release_value(s, &c, NAN).kind, RELEASED_SUPPRESSED);
    assert_int_equal(sdc_release_value(s, &c, INFINITY).kind, RELEASED_SUPPRESSED);
    assert_int_equal(sdc_release_value(s, &c, -INFINITY).kind, RELEASED_SUPPRESSED);
    double v[50];
    for (int i = 0; i < 50; i++)
        v[i] = i;
    v[7] = NAN;
    assert_int_equal(sdc_release_sum(s, &c, "x", v, 50, 0, 49).kind, RELEASED_SUPPRESSED);
    assert_int_equal(sdc_release_sd(s, &c, "x", v, 50, 0, 49).kind, RELEASED_SUPPRESSED);
    for (int i = 0; i < 50; i++)
        v[i] = 1.7e307;
    /* overflow of the sum */
    assert_int_equal(sdc_release_sum(s, &c, "x", v, 50, 0, 1.7e307).kind,
                     RELEASED_SUPPRESSED);
    assert_int_equal(sdc_release_mean(s, &c, "x", v, 50, NAN, 1).kind, RELEASED_SUPPRESSED);
    assert_int_equal(sdc_release_mean(s, &c, "x", v, 50, 2, 1).kind, RELEASED_SUPPRESSED);
    assert_int_equal(sdc_release_mean(s, &c, "x", v, 50, -INFINITY, INFINITY).kind,
                     RELEASED_SUPPRESSED);
    Sdc *t = test_sdc_with(NULL, true, NULL);
    assert_int_equal(sdc_release_value(t, &c, NAN).kind, RELEASED_SUPPRESSED);
    sdc_free(t);
    sdc_free(s);
}

static void test_percent_constant_suppressed(void **state)
{
    (void)state;
    Sdc *s = test_sdc();
    SdcCell part = test_cell(s, 1, 30), whole = test_cell(s, 1, 60), tiny = test_cell(s, 1, 3);
    SdcCell empty;
    sdc_cell_init(&empty);
    Released p = sdc_release_percent(s, &part, &whole);
    Released a = sdc_release_count(s, &part), b = sdc_release_count(s, &whole);
    assert_int_equal(p.kind, RELEASED_NUMBER);
    assert_true(fabs(p.value - sdc_round_significant(100 * a.value / b.value, 4)) < 1e-9);
    assert_string_equal(sdc_release_percent(s, &tiny, &whole).text, "<5");
    assert_string_equal(sdc_release_percent(s, &empty, &empty).text, "-");
    assert_string_equal(sdc_release_percent(s, &empty, &whole).text, "0");
    assert_string_equal(sdc_release_constant(3).text, "3");
    assert_string_equal(sdc_release_constant(-2.5).text, "-2.5");
    assert_string_equal(sdc_release_constant(0.1).text, "0.1");
    assert_int_equal(sdc_release_constant(NAN).kind, RELEASED_SUPPRESSED);
    Released x = sdc_suppressed("-");
    assert_string_equal(x.text, "-");
    assert_true(released_is_sealed(&x));
    Released forged = x;
    forged.seal = 1;
    assert_false(released_is_sealed(&forged));
    sdc_free(s);
}

/* A cell of n units, each adding `rows` rows (as a unit making the same transition in
 * several time pairs does). */
static SdcCell rows_cell(const Sdc *sdc, uint64_t first, int64_t n, int64_t rows)
{
    SdcCell c;
    sdc_cell_init(&c);
    for (int64_t i = 0; i < n; i++) {
        for (int64_t r = 0; r < rows; r++)
            sdc_cell_add(&c, first + (uint64_t)i, sdc_unit_key(sdc, first + (uint64_t)i));
    }
    return c;
}

/* Row counts (transitions): n_rows plus bounded noise; low by distinct units, so 4 units
 * making 3 transitions each still show "<5"; noise independent of the unit count's. */
static void test_row_counts(void **state)
{
    (void)state;
    Sdc *s = test_sdc();
    Sdc *t = test_sdc_with(NULL, true, NULL);
    SdcCell four = rows_cell(s, 1, 4, 3);
    assert_int_equal(four.n_rows, 12);
    assert_string_equal(sdc_release_row_count(s, &four).text, "<5");
    assert_string_equal(sdc_release_row_count(t, &four).text, "12");
    int32_t differs = 0;
    for (int64_t i = 0; i < 200; i++) {
        SdcCell c = rows_cell(s, (uint64_t)(1000 + 50 * i), 20, 2);
        Released rows = sdc_release_row_count(s, &c);
        Released units = sdc_release_count(s, &c);
        assert_int_equal(rows.kind, RELEASED_NUMBER);
        assert_true(fabs(rows.value - 40.0) <= 2.0);
        assert_true(fabs(units.value - 20.0) <= 2.0);
        /* the same cell asked twice gets the same noise */
        assert_true(rows.value == sdc_release_row_count(s, &c).value);
        if (rows.value - units.value != 20.0)
            differs++;
    }
    /* independent noise: the difference of the two is not the exact row surplus */
    assert_true(differs > 50);
    SdcCell part = rows_cell(s, 1, 30, 2), whole = rows_cell(s, 1, 60, 2);
    Released p = sdc_release_row_percent(s, &part, &whole);
    Released a = sdc_release_row_count(s, &part), b = sdc_release_row_count(s, &whole);
    assert_true(fabs(p.value - sdc_round_significant(100 * a.value / b.value, 4)) < 1e-9);
    assert_string_equal(sdc_release_row_percent(t, &part, &whole).text, "50");
    SdcCell empty;
    sdc_cell_init(&empty);
    assert_string_equal(sdc_release_row_percent(s, &empty, &empty).text, "-");
    sdc_free(t);
    sdc_free(s);
}

static void test_trusted_mode_exact_and_no_refusals(void **state)
{
    (void)state;
    Sdc *t = test_sdc_with(NULL, true, NULL);
    MdError err;
    md_error_clear(&err);
    SdcCell three = test_cell(t, 1, 3);
    double v[3] = {1, 2, 6};
    assert_string_equal(sdc_release_sum(t, &three, "x", v, 3, 1, 6).text, "9");
    assert_string_equal(sdc_release_mean(t, &three, "x", v, 3, 1, 6).text, "3");
    /* sd of 1, 2, 6: sqrt(7) = 2.645751311 at 10 digits */
    assert_string_equal(sdc_release_sd(t, &three, "x", v, 3, 1, 6).text, "2.645751311");
    assert_string_equal(sdc_release_value(t, &three, 1.0 / 3.0).text, "0.3333333333");
    assert_string_equal(sdc_release_percent(t, &three, &three).text, "100");
    /* trusted callers may pass infinite bounds: nothing is clipped */
    assert_string_equal(sdc_release_mean(t, &three, "x", v, 3, -INFINITY, INFINITY).text, "3");
    assert_string_equal(sdc_release_sd(t, &three, "x", v, 3, -INFINITY, INFINITY).text,
                        "2.645751311");
    assert_int_equal(sdc_release_mean(t, &three, "x", v, 3, NAN, INFINITY).kind,
                     RELEASED_SUPPRESSED);
    assert_int_equal(sdc_check_population(t, &three, &err), MD_OK);
    assert_int_equal(sdc_check_change(t, 1, 5000, &err), MD_OK);
    assert_int_equal(err.status, MD_OK);
    sdc_free(t);
}

/* Degrees of freedom that depend on n come from the released count, never the true n:
 * over many populations of 1000..4999 units, df = released N - params always, and for the
 * cells with count noise df differs from the exact n - params (which 4 significant digits
 * of the true value would have shown). */
static void test_dof_from_released_count(void **state)
{
    (void)state;
    Sdc *s = test_sdc();
    int32_t noisy = 0;
    for (int64_t i = 0; i < 200; i++) {
        int64_t n = 1000 + 19 * i;
        SdcCell c = test_cell(s, (uint64_t)(1 + 7 * i), n);
        Released count = sdc_release_count(s, &c);
        Released dof = sdc_release_dof(s, &c, 3);
        assert_int_equal(dof.kind, RELEASED_NUMBER);
        assert_true(released_is_sealed(&dof));
        assert_true(fabs(dof.value - (count.value - 3)) < 1e-9);
        char expect[32];
        snprintf(expect, sizeof expect, "%lld", (long long)count.value - 3);
        assert_string_equal(dof.text, expect);
        noisy += (int64_t)dof.value != n - 3;
    }
    assert_true(noisy > 50);
    /* small or empty populations and no df left: suppressed */
    SdcCell nine = test_cell(s, 1, 9), twelve = test_cell(s, 1, 12);
    assert_int_equal(sdc_release_dof(s, &nine, 1).kind, RELEASED_SUPPRESSED);
    assert_int_equal(sdc_release_dof(s, &twelve, 40).kind, RELEASED_SUPPRESSED);
    assert_int_equal(sdc_release_dof(s, NULL, 1).kind, RELEASED_SUPPRESSED);
    assert_int_equal(sdc_release_dof(s, &twelve, -1).kind, RELEASED_SUPPRESSED);
    sdc_free(s);
    /* trusted mode: exact */
    Sdc *t = test_sdc_with(NULL, true, NULL);
    SdcCell big = test_cell(t, 1, 1234);
    assert_string_equal(sdc_release_dof(t, &big, 4).text, "1230");
    assert_int_equal(sdc_release_dof(t, &nine, 9).kind, RELEASED_SUPPRESSED);
    sdc_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_population_floor),
        cmocka_unit_test(test_small_change),
        cmocka_unit_test(test_contributing_units_threshold),
        cmocka_unit_test(test_sparse_tables),
        cmocka_unit_test(test_winsor_bounds),
        cmocka_unit_test(test_dominance_and_p_rule),
        cmocka_unit_test(test_magnitudes_noisy_bounded_deterministic),
        cmocka_unit_test(test_quantiles),
        cmocka_unit_test(test_significant_digits),
        cmocka_unit_test(test_non_finite_fails_closed),
        cmocka_unit_test(test_percent_constant_suppressed),
        cmocka_unit_test(test_row_counts),
        cmocka_unit_test(test_trusted_mode_exact_and_no_refusals),
        cmocka_unit_test(test_dof_from_released_count),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
