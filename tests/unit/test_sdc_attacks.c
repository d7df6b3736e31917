/*
 * test_sdc_attacks.c - attacks of spec/disclosure.md section 5 played directly against the
 * gate: averaging repeats (A1), the cloning/padding attack on the auditor (A6), margin
 * subtraction (C5), and the binary search for a maximum through counts (E4).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <cmocka.h>

#include "sdc_test_util.h"

/* A1: repeating a query gives the same noisy answer, so averaging does not converge. */
static void test_repeats_do_not_average_out(void **state)
{
    (void)state;
    Sdc *s = test_sdc();
    int nonzero = 0;
    for (uint64_t first = 0; first < 50 * 300; first += 300) {
        SdcCell c = test_cell(s, first, 37);
        Released r0 = sdc_release_count(s, &c);
        double sum = 0;
        for (int i = 0; i < 1000; i++) {
            SdcCell again = test_cell(s, first, 37);
            Released r = sdc_release_count(s, &again);
            assert_string_equal(r.text, r0.text);
            sum += r.value;
        }
        assert_true(sum / 1000 == r0.value);
        nonzero += r0.value != 37;
    }
    assert_true(nonzero > 20); /* the average is the noisy value, not the truth */
    sdc_free(s);
}

/* Sorted random subset of [0, universe) of size n, drawn with rng, plus extra if >= 0. */
static int64_t random_population(Rng *rng, uint64_t universe, int64_t n, int64_t extra,
                                 uint64_t *out)
{
    int64_t k = 0;
    uint64_t need = (uint64_t)n;
    for (uint64_t u = 0; u < universe && need > 0; u++) {
        if ((uint64_t)rng_below(rng, (int64_t)(universe - u)) < need) {
            out[k++] = u;
            need--;
        }
    }
    if (extra >= 0) {
        int64_t pos = k;
        while (pos > 0 && out[pos - 1] > (uint64_t)extra)
            pos--;
        if (pos == 0 || out[pos - 1] != (uint64_t)extra) {
            memmove(out + pos + 1, out + pos, (size_t)(k - pos) * sizeof *out);
            out[pos] = (uint64_t)extra;
            k++;
        }
    }
    return k;
}

/* A6: pairs (S_i with the target, S_i without) with fresh padding sets: the auditor lets
 * at most one half of every pair through, so no difference of a pair is ever observed. */
static void test_cloning_attack_refused_by_audit(void **state)
{
    (void)state;
    Sdc *s = test_sdc();
    Rng rng;
    rng_seed(&rng, 2024);
    enum { UNIVERSE = 50000, TARGET = 77777 };
    uint64_t *with = md_malloc(1200 * sizeof *with), *without = md_malloc(1200 * sizeof *with);
    int both = 0, first_ok = 0;
    for (int i = 0; i < 200; i++) {
        int64_t size = 1000 + rng_below(&rng, 100);
        Rng copy = rng;
        int64_t n_with = random_population(&rng, UNIVERSE, size, TARGET, with);
        int64_t n_without = random_population(&copy, UNIVERSE, size, -1, without);
        assert_int_equal(n_with, n_without + 1);
        MdError err;
        md_error_clear(&err);
        bool target_first = i % 2 == 0;
        MdStatus a = target_first ? sdc_check_population_units(s, with, n_with, &err)
                                  : sdc_check_population_units(s, without, n_without, &err);
        md_error_clear(&err);
        MdStatus b = target_first ? sdc_check_population_units(s, without, n_without, &err)
                                  : sdc_check_population_units(s, with, n_with, &err);
        first_ok += a == MD_OK;
        both += a == MD_OK && b == MD_OK;
    }
    assert_true(first_ok > 150); /* each half is allowed on its own */
    assert_int_equal(both, 0);
    md_free(without);
    md_free(with);
    sdc_free(s);
}

/* C5: a small inner cell recovered as (released margin - released other cell) equals the
 * truth only as often as the noise law predicts: P(noise_m == noise_b) = sum p(d)^2. */
static void test_margin_subtraction_follows_noise_law(void **state)
{
    (void)state;
    Sdc *s = test_sdc();
    double predicted = 0;
    for (int i = 0; i < 5; i++) {
        double p = s->ptable.weight[2][i] / 65536.0;
        predicted += p * p;
    }
    int exact = 0;
    enum { TABLES = 10000 };
    for (int64_t t = 0; t < TABLES; t++) {
        uint64_t base = (uint64_t)t * 100;
        SdcCell small = test_cell(s, base, 3), big = test_cell(s, base + 3, 60);
        SdcCell margin = small;
        sdc_cell_merge(&margin, &big);
        assert_string_equal(sdc_release_count(s, &small).text, "<5");
        Released m = sdc_release_count(s, &margin), b = sdc_release_count(s, &big);
        exact += (int64_t)(m.value - b.value) == 3;
    }
    double rate = (double)exact / TABLES;
    print_message("margin subtraction exact in %.4f of tables (noise law %.4f)\n", rate,
                  predicted);
    assert_true(fabs(rate - predicted) < 0.02);
    sdc_free(s);
}

/* E4: counting "income > c" for a sequence of c never shows counts 1..4, so the top few
 * units cannot be located: every c above the fifth largest value gives "<5". */
static void test_binary_search_for_maximum(void **state)
{
    (void)state;
    Sdc *s = test_sdc();
    for (int64_t above = 1; above <= 4; above++) {
        SdcCell c = test_cell(s, 500000, above);
        Released r = sdc_release_count(s, &c);
        assert_int_equal(r.kind, RELEASED_SUPPRESSED);
        assert_string_equal(r.text, "<5");
    }
    /* and just above the threshold the answer is noisy, so the step cannot be pinned */
    int differ = 0;
    for (uint64_t start = 0; start < 100 * 1000; start += 1000) {
        SdcCell c = test_cell(s, start, 6);
        differ += sdc_release_count(s, &c).value != 6;
    }
    assert_true(differ > 30);
    sdc_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_repeats_do_not_average_out),
        cmocka_unit_test(test_cloning_attack_refused_by_audit),
        cmocka_unit_test(test_margin_subtraction_follows_noise_law),
        cmocka_unit_test(test_binary_search_for_maximum),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
