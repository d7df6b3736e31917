/*
 * test_sdc_noise.c - the noise law of released counts (sdc rules R4, R5; test A4) and the
 * p-table: 100,000 distinct cells with the same true count, the compiled-in table against
 * its generating method, small counts, zeros, and a changed noise setting (G4).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <cmocka.h>

#include "sdc_test_util.h"

#define N_CELLS 100000
#define TRUE_N 50

static void test_noise_law_over_many_cells(void **state)
{
    (void)state;
    Sdc *s = test_sdc();
    double sum = 0, sum_sq = 0;
    int64_t seen[5] = {0};
    for (int64_t i = 0; i < N_CELLS; i++) {
        SdcCell c = test_cell(s, (uint64_t)i * TRUE_N, TRUE_N);
        Released r = sdc_release_count(s, &c);
        assert_int_equal(r.kind, RELEASED_NUMBER);
        int64_t noise = (int64_t)r.value - TRUE_N;
        assert_true(noise >= -2 && noise <= 2);
        seen[noise + 2]++;
        sum += (double)noise;
        sum_sq += (double)(noise * noise);
    }
    double mean = sum / N_CELLS;
    double var = sum_sq / N_CELLS - mean * mean;
    double table_var = sdc_ptable_variance(&s->ptable, 2);
    print_message("noise law over %d cells: mean %.4f, variance %.4f\n", N_CELLS, mean, var);
    assert_true(fabs(table_var - 1.0) < 1e-12);
    assert_true(fabs(mean) <= 0.02);
    assert_true(fabs(var - table_var) <= 0.05 * table_var);
    for (int i = 0; i < 5; i++) /* every noise value occurs */
        assert_true(seen[i] > 0);
    /* the empirical shares follow the table within 1 percentage point */
    for (int i = 0; i < 5; i++) {
        double want = s->ptable.weight[2][i] / 65536.0;
        assert_true(fabs((double)seen[i] / N_CELLS - want) < 0.01);
    }
    sdc_free(s);
}

static void test_small_counts_never_negative_never_one_to_four(void **state)
{
    (void)state;
    Sdc *s = test_sdc();
    for (int64_t n = 0; n <= 12; n++) {
        for (uint64_t start = 0; start < 20000; start += 20) {
            SdcCell c = test_cell(s, start * 100, n);
            Released r = sdc_release_count(s, &c);
            if (n == 0) {
                assert_string_equal(r.text, "0");
                assert_true(r.value == 0);
                continue;
            }
            int32_t noise = sdc_count_noise(s, &c);
            assert_true(n + noise >= 0);
            if (r.kind == RELEASED_NUMBER) {
                assert_true(r.value >= 5);
                assert_true(n >= 5);
            } else {
                assert_string_equal(r.text, "<5");
                assert_true(isnan(r.value));
            }
        }
    }
    sdc_free(s);
}

static void test_zeros_are_disclosive_setting(void **state)
{
    (void)state;
    SdcConfig cfg;
    sdc_config_default(&cfg);
    cfg.zeros_are_disclosive = true;
    Sdc *s = test_sdc_with(&cfg, false, NULL);
    SdcCell empty;
    sdc_cell_init(&empty);
    Released r = sdc_release_count(s, &empty);
    assert_int_equal(r.kind, RELEASED_SUPPRESSED);
    assert_string_equal(r.text, "<5");
    sdc_free(s);
}

static void test_ptable_method_reproduces_compiled_table(void **state)
{
    (void)state;
    SdcPTable compiled, built;
    sdc_ptable_default(&compiled);
    MdError err;
    md_error_clear(&err);
    assert_int_equal(sdc_ptable_build(&built, 2, 1.0, &err), MD_OK);
    assert_memory_equal(compiled.weight, built.weight, sizeof compiled.weight);
    assert_int_equal(compiled.weight[2][0], 4183);
    assert_int_equal(compiled.weight[2][1], 16036);
    assert_int_equal(compiled.weight[2][2], 25098);
    assert_int_equal(compiled.weight[1][1], 21846);
    assert_int_equal(compiled.cumulative[2][4], 65536);
    assert_int_equal(compiled.cumulative[1][2], 65536);
    /* noise lookup at the edges of the uniform */
    assert_int_equal(sdc_ptable_noise(&compiled, 50, 0), -2);
    assert_int_equal(sdc_ptable_noise(&compiled, 50, 4182), -2);
    assert_int_equal(sdc_ptable_noise(&compiled, 50, 4183), -1);
    assert_int_equal(sdc_ptable_noise(&compiled, 50, 65535), 2);
    assert_int_equal(sdc_ptable_noise(&compiled, 1, 0), -1);
    assert_int_equal(sdc_ptable_noise(&compiled, 1, 65535), 1);
    assert_int_equal(sdc_ptable_noise(&compiled, 0, 0), 0);
}

static void test_ptable_other_settings(void **state)
{
    (void)state;
    SdcPTable t;
    MdError err;
    md_error_clear(&err);
    assert_int_equal(sdc_ptable_build(&t, 3, 1.5, &err), MD_OK);
    for (int k = 1; k <= 3; k++) {
        assert_int_equal(t.cumulative[k][2 * k], 65536);
        for (int d = 1; d <= k; d++)
            assert_int_equal(t.weight[k][k - d], t.weight[k][k + d]);
    }
    assert_true(fabs(sdc_ptable_variance(&t, 3) - 1.5) < 1e-3);
    assert_true(fabs(sdc_ptable_variance(&t, 2) - 1.5) < 1e-3);
    assert_true(fabs(sdc_ptable_variance(&t, 1) - 2.0 / 3.0) < 1e-3);
    assert_int_equal(sdc_ptable_build(&t, 2, 4.0, &err), MD_ERR_VALUE);
    md_error_clear(&err);
    assert_int_equal(sdc_ptable_build(&t, 9, 1.0, &err), MD_ERR_VALUE);
}

static void test_changed_noise_setting_changes_output(void **state)
{
    (void)state;
    SdcConfig cfg;
    sdc_config_default(&cfg);
    cfg.noise_max = 0;
    Sdc *exact = test_sdc_with(&cfg, false, NULL);
    Sdc *noisy = test_sdc();
    assert_non_null(exact);
    int differ = 0;
    for (uint64_t i = 0; i < 200; i++) {
        SdcCell c = test_cell(noisy, i * 100, 30);
        Released a = sdc_release_count(exact, &c), b = sdc_release_count(noisy, &c);
        assert_true(a.value == 30);
        differ += a.value != b.value;
    }
    assert_true(differ > 100);
    cfg.low_count = 31; /* G4: a changed threshold changes what is shown */
    Sdc *high_low = test_sdc_with(&cfg, false, NULL);
    SdcCell c = test_cell(noisy, 0, 30);
    Released r = sdc_release_count(high_low, &c);
    assert_string_equal(r.text, "<31");
    sdc_free(high_low);
    sdc_free(exact);
    sdc_free(noisy);
}

static void test_trusted_counts_exact(void **state)
{
    (void)state;
    Sdc *s = test_sdc_with(NULL, true, NULL);
    assert_true(sdc_is_trusted(s));
    for (int64_t n = 0; n < 30; n++) {
        SdcCell c = test_cell(s, 77, n);
        Released r = sdc_release_count(s, &c);
        assert_int_equal(r.kind, RELEASED_NUMBER);
        assert_true(r.value == (double)n);
    }
    sdc_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_noise_law_over_many_cells),
        cmocka_unit_test(test_small_counts_never_negative_never_one_to_four),
        cmocka_unit_test(test_zeros_are_disclosive_setting),
        cmocka_unit_test(test_ptable_method_reproduces_compiled_table),
        cmocka_unit_test(test_ptable_other_settings),
        cmocka_unit_test(test_changed_noise_setting_changes_output),
        cmocka_unit_test(test_trusted_counts_exact),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
