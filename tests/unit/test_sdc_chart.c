/*
 * test_sdc_chart.c - what charts release (sdc rule R12, attack E3): histogram and hexbin
 * axes span the winsorised bounds with nice widths and never put an edge on a value of the
 * data (so never on the true minimum or maximum); bins clip outliers; width() beyond the
 * bin limit is refused; boxplot whiskers sit at p1/p99 only from 1000 values, else p5/p95
 * or p10/p90, none below 100; shares come from released counts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <math.h>
#include <cmocka.h>

#include "sdc/sdc.h"
#include "sdc_test_util.h"

#define N 2000

static bool is_edge(const SdcAxis *a, double v)
{
    for (int32_t i = 0; i <= a->n_bins; i++) {
        Released e = sdc_release_axis(a, (double)i);
        if (e.kind == RELEASED_NUMBER && e.value == v)
            return true;
    }
    return false;
}

/* Ages 0..99 with unique outliers at -50 and 1000: whole numbers, edges at x.5. */
static void test_axis_whole_numbers(void **state)
{
    (void)state;
    Sdc *sdc = test_sdc();
    static double v[N];
    for (int i = 0; i < N; i++)
        v[i] = (double)(i % 100);
    v[0] = -50;
    v[1] = 1000;
    SdcAxis a;
    MdError err;
    md_error_clear(&err);
    assert_int_equal(sdc_chart_axis(sdc, v, N, 10, 0, &a, &err), MD_OK);
    assert_true(a.n_bins >= 1 && a.n_bins <= 10);
    assert_true(a.width == 10.0);                 /* 100 / 10 is already nice */
    assert_true(fabs(a.first - (-0.5)) < 1e-12);  /* off the lattice of whole numbers */
    assert_false(is_edge(&a, -50));
    assert_false(is_edge(&a, 1000));
    for (int i = 0; i < N; i++)
        assert_false(is_edge(&a, v[i]));
    /* the outliers are clipped into the outer bins */
    assert_int_equal(sdc_axis_bin(&a, -50), 0);
    assert_int_equal(sdc_axis_bin(&a, 1000), a.n_bins - 1);
    assert_int_equal(sdc_axis_bin(&a, NAN), -1);
    Released last = sdc_release_axis(&a, a.n_bins);
    assert_true(last.value < 1000 && last.value > 98);
    assert_string_equal(sdc_release_axis(&a, 0).text, "-0.5");
    sdc_free(sdc);
}

/* Incomes in hundreds: the width is nice, edges sit at 50 past a multiple of 100. */
static void test_axis_nice_width(void **state)
{
    (void)state;
    Sdc *sdc = test_sdc();
    static double v[N];
    for (int i = 0; i < N; i++)
        v[i] = 100.0 * (double)((i * 7919) % 12345);
    SdcAxis a;
    MdError err;
    md_error_clear(&err);
    assert_int_equal(sdc_chart_axis(sdc, v, N, 20, 0, &a, &err), MD_OK);
    /* span about 1.23 million over 20 bins: width 50 000 gives 25 bins, 100 000 gives 13;
     * 25 is nearer 20 */
    assert_true(a.width == 50000.0);
    assert_int_equal(a.n_bins, 25);
    assert_true(a.first == -50.0);
    for (int i = 0; i < N; i++)
        assert_false(is_edge(&a, v[i]));
    /* one unit (or nine) with finer decimals does not move the edges: no single unit
     * decides the lattice; ten do */
    for (int k = 0; k < 10; k++) {
        v[100 + k] = 500000.5 + k;
        md_error_clear(&err);
        assert_int_equal(sdc_chart_axis(sdc, v, N, 20, 0, &a, &err), MD_OK);
        assert_true(fabs(a.first - (k < 9 ? -50.0 : -0.05)) < 1e-9);
    }
    /* 8 bins asked of ages 25..66 (a span of 41): width 5 (9 bins), not 10 (5 bins) */
    static double ages[N];
    for (int i = 0; i < N; i++)
        ages[i] = 25.0 + (double)(i % 42);
    md_error_clear(&err);
    assert_int_equal(sdc_chart_axis(sdc, ages, N, 8, 0, &a, &err), MD_OK);
    assert_true(a.width == 5.0);
    assert_int_equal(a.n_bins, 9);
    assert_true(a.first == 24.5);
    sdc_free(sdc);
}

/* Continuous values: edges at odd multiples of half the width. */
static void test_axis_continuous(void **state)
{
    (void)state;
    Sdc *sdc = test_sdc();
    static double v[N];
    for (int i = 0; i < N; i++)
        v[i] = sqrt((double)i + 0.1);
    SdcAxis a;
    MdError err;
    md_error_clear(&err);
    assert_int_equal(sdc_chart_axis(sdc, v, N, 25, 0, &a, &err), MD_OK);
    assert_true(a.width == 2.0);
    assert_true(fabs(fmod(a.first, 2.0)) == 1.0); /* an odd multiple of half the width */
    assert_false(is_edge(&a, v[0]));
    assert_false(is_edge(&a, v[N - 1]));
    sdc_free(sdc);
}

static void test_axis_width_and_limits(void **state)
{
    (void)state;
    Sdc *sdc = test_sdc();
    static double v[N];
    for (int i = 0; i < N; i++)
        v[i] = (double)(i % 100);
    SdcAxis a;
    MdError err;
    md_error_clear(&err);
    assert_int_equal(sdc_chart_axis(sdc, v, N, 10, 25, &a, &err), MD_OK);
    assert_true(a.width == 25.0);
    assert_true(fabs(a.first - (-0.5)) < 1e-12); /* 25k - 1/2, at or below the bound 0 */
    assert_int_equal(a.n_bins, 4);
    md_error_clear(&err);
    assert_int_equal(sdc_chart_axis(sdc, v, N, 10, 0.01, &a, &err), MD_ERR_LIMIT);
    /* too few values for winsorising bounds: refused, naming the rule, no number */
    md_error_clear(&err);
    assert_int_equal(sdc_chart_axis(sdc, v, 19, 10, 0, &a, &err), MD_ERR_DISCLOSURE);
    assert_non_null(strstr(err.message, "R7"));
    v[5] = NAN;
    md_error_clear(&err);
    assert_int_equal(sdc_chart_axis(sdc, v, N, 10, 0, &a, &err), MD_ERR_DISCLOSURE);
    sdc_free(sdc);
}

static void test_axis_trusted_is_exact(void **state)
{
    (void)state;
    Sdc *sdc = test_sdc_with(NULL, true, NULL);
    double v[] = {3, 7, 1, 11};
    SdcAxis a;
    MdError err;
    md_error_clear(&err);
    assert_int_equal(sdc_chart_axis(sdc, v, 4, 5, 0, &a, &err), MD_OK);
    assert_int_equal(a.n_bins, 5);
    assert_true(a.first == 1.0 && a.width == 2.0);
    assert_int_equal(sdc_axis_bin(&a, 11), 4);
    assert_int_equal(sdc_axis_bin(&a, 1), 0);
    assert_int_equal(sdc_axis_bin(&a, 3), 1);
    sdc_free(sdc);
}

static void test_whisker_rule_by_n(void **state)
{
    (void)state;
    Sdc *sdc = test_sdc();
    assert_true(sdc_whisker_share(sdc, 1000) == 0.01);
    assert_true(sdc_whisker_share(sdc, 999) == 0.05);
    assert_true(sdc_whisker_share(sdc, 200) == 0.05);
    assert_true(sdc_whisker_share(sdc, 199) == 0.10);
    assert_true(sdc_whisker_share(sdc, 100) == 0.10);
    assert_true(sdc_whisker_share(sdc, 99) == 0.0);
    /* the whisker itself: never the minimum or maximum */
    static double v[1000];
    for (int i = 0; i < 1000; i++)
        v[i] = (double)i;
    v[999] = 1e9;
    SdcCell cell = test_cell(sdc, 1, 1000);
    Released lo = sdc_release_quantile(sdc, &cell, v, 1000, 0.01);
    Released hi = sdc_release_quantile(sdc, &cell, v, 1000, 0.99);
    assert_int_equal(lo.kind, RELEASED_NUMBER);
    assert_int_equal(hi.kind, RELEASED_NUMBER);
    assert_true(lo.value > 0 && hi.value < 999);
    sdc_free(sdc);
}

static void test_share_of_released_counts(void **state)
{
    (void)state;
    Sdc *sdc = test_sdc();
    SdcCell part = test_cell(sdc, 1, 300);
    SdcCell whole = test_cell(sdc, 1, 1200);
    SdcCell low = test_cell(sdc, 5000, 3);
    SdcCell empty = test_cell(sdc, 1, 0);
    Released p = sdc_release_count(sdc, &part);
    Released w = sdc_release_count(sdc, &whole);
    Released s = sdc_release_share(sdc, &part, &whole, 100.0);
    assert_int_equal(s.kind, RELEASED_NUMBER);
    assert_true(fabs(s.value - 100.0 * p.value / w.value) < 0.01);
    assert_string_equal(sdc_release_share(sdc, &low, &whole, 1.0).text, "<5");
    assert_string_equal(sdc_release_share(sdc, &part, &empty, 1.0).text, "-");
    assert_true(sdc_release_share(sdc, &empty, &whole, 1.0).value == 0.0);
    sdc_free(sdc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_axis_whole_numbers),
        cmocka_unit_test(test_axis_nice_width),
        cmocka_unit_test(test_axis_continuous),
        cmocka_unit_test(test_axis_width_and_limits),
        cmocka_unit_test(test_axis_trusted_is_exact),
        cmocka_unit_test(test_whisker_rule_by_n),
        cmocka_unit_test(test_share_of_released_counts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
