/*
 * test_sdc_precision.c - numerical precision of released magnitudes: the standard
 * deviation of constant or nearly constant data must not suffer cancellation (it used
 * s2 - s1^2/n, which showed 3.6e-07 for a column of exp(1)).
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

#define N 200

static void test_sd_of_constant_is_zero(void **state)
{
    (void)state;
    Sdc *sdc = test_sdc_with(NULL, true, NULL);
    SdcCell cell = test_cell(sdc, 1, N);
    static const double constants[] = {2.718281828459045, 1.0986122886681098, 0.5,
                                       126410606437752.0, 1e-9};
    double values[N];
    for (size_t k = 0; k < sizeof constants / sizeof constants[0]; k++) {
        for (int i = 0; i < N; i++)
            values[i] = constants[k];
        Released sd = sdc_release_sd(sdc, &cell, "x", values, N, constants[k], constants[k]);
        assert_int_equal(sd.kind, RELEASED_NUMBER);
        assert_true(sd.value == 0.0);
        assert_string_equal(sd.text, "0");
    }
    sdc_free(sdc);
}

static void test_sd_exact_in_trusted_mode(void **state)
{
    (void)state;
    Sdc *sdc = test_sdc_with(NULL, true, NULL);
    SdcCell cell = test_cell(sdc, 1, N);
    double values[N];
    /* 1e9 + {0, 1} alternating: sd = sqrt(n/(4(n-1))) exactly, cancellation-prone. */
    for (int i = 0; i < N; i++)
        values[i] = 1e9 + (i % 2);
    Released sd = sdc_release_sd(sdc, &cell, "x", values, N, 1e9, 1e9 + 1);
    assert_int_equal(sd.kind, RELEASED_NUMBER);
    assert_true(fabs(sd.value - sqrt((double)N / (4.0 * (N - 1)))) < 1e-9);
    sdc_free(sdc);
}

static void test_sd_controlled_near_truth(void **state)
{
    (void)state;
    Sdc *sdc = test_sdc();
    SdcCell cell = test_cell(sdc, 1, N);
    double values[N];
    for (int i = 0; i < N; i++)
        values[i] = 500000.0 + 1000.0 * (i % 10);
    /* true sd about 2880; the noise must not blow it up or make it negative */
    Released sd = sdc_release_sd(sdc, &cell, "x", values, N, 500000.0, 509000.0);
    assert_int_equal(sd.kind, RELEASED_NUMBER);
    assert_true(sd.value >= 0 && sd.value < 10000);
    sdc_free(sdc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sd_of_constant_is_zero),
        cmocka_unit_test(test_sd_exact_in_trusted_mode),
        cmocka_unit_test(test_sd_controlled_near_truth),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
