/*
 * test_sdc_keys.c - known-answer tests of the keyed hashes (spec 4.1, test H1): unit keys,
 * cell keys and released counts for the fixed test secret 0..31 and data version
 * "no.ssb.fdb:1.0.0". The constants were computed independently by
 * tools/sdc_keys_reference.py (pure Python SipHash-2-4 over hashlib BLAKE2b subkeys), and
 * the inputs are serialised little-endian, so they hold on every machine and compiler.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "sdc_test_util.h"

static void test_unit_keys_known_answers(void **state)
{
    (void)state;
    Sdc *s = test_sdc();
    assert_non_null(s);
    assert_true(sdc_unit_key(s, 0) == 0x5a6375785e855ff5ull);
    assert_true(sdc_unit_key(s, 1) == 0x0c1945b8d9656d7aull);
    assert_true(sdc_unit_key(s, 0x0123456789abcdefull) == 0xef644d911bd4304full);
    uint64_t ids[3] = {0, 1, 0x0123456789abcdefull}, keys[3];
    sdc_unit_keys(s, ids, 3, keys);
    assert_true(keys[0] == 0x5a6375785e855ff5ull);
    assert_true(keys[2] == 0xef644d911bd4304full);
    sdc_free(s);
}

static void test_cell_keys_known_answers(void **state)
{
    (void)state;
    Sdc *s = test_sdc();
    assert_true(sdc_cell_key(s, 0, SDC_KEY_COUNT, NULL) == 0xf75c6d26ba894557ull);
    assert_true(sdc_cell_key(s, 0, SDC_KEY_COUNT, "") == 0xf75c6d26ba894557ull);
    assert_true(sdc_cell_key(s, 0x1122334455667788ull, SDC_KEY_SUM, "inntekt") ==
                0xa6d994863fddec74ull);
    /* the statistic and the variable are part of the key */
    assert_true(sdc_cell_key(s, 0x1122334455667788ull, SDC_KEY_SUM, "formue") !=
                0xa6d994863fddec74ull);
    assert_true(sdc_cell_key(s, 0x1122334455667788ull, SDC_KEY_SUM_SQUARES, "inntekt") !=
                0xa6d994863fddec74ull);
    sdc_free(s);
}

static void test_noisy_counts_known_answers(void **state)
{
    (void)state;
    Sdc *s = test_sdc();
    static const struct {
        int64_t n;
        uint64_t key_sum;
        int32_t noise;
        const char *text;
    } cases[] = {
        {5, 0x0a2acb62e7c1ec1cull, 2, "7"},    {16, 0xed5573b9f7f49bfcull, -1, "15"},
        {27, 0x7289e2884fbbcf13ull, 0, "27"},  {38, 0xec4361ff7ed76a4dull, 1, "39"},
        {49, 0x7e1ae09f935761c5ull, 1, "50"},  {60, 0xaa1bf9c83386cf43ull, 0, "60"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        SdcCell c = test_cell(s, 1000, cases[i].n);
        assert_true(c.key_sum == cases[i].key_sum);
        assert_int_equal(sdc_count_noise(s, &c), cases[i].noise);
        Released r = sdc_release_count(s, &c);
        assert_int_equal(r.kind, RELEASED_NUMBER);
        assert_string_equal(r.text, cases[i].text);
        assert_true(released_is_sealed(&r));
    }
    sdc_free(s);
}

static void test_noisy_sum_known_answer(void **state)
{
    (void)state;
    Sdc *s = test_sdc();
    SdcCell c = test_cell(s, 1000, 50);
    assert_true(c.key_sum == 0x0628f2194abb2821ull);
    double v[50];
    for (int i = 0; i < 50; i++)
        v[i] = 10.0 * i;
    /* true sum 12250; noise 0.5 * 490 * z from the SUM cell key: 12423.46 -> 4 digits */
    Released r = sdc_release_sum(s, &c, "inntekt", v, 50, 0, 490);
    assert_string_equal(r.text, "12420");
    assert_true(r.value == 12420);
    sdc_free(s);
}

static void test_same_units_same_noise_any_order(void **state)
{
    (void)state;
    Sdc *s = test_sdc();
    SdcCell forward = test_cell(s, 500, 40);
    SdcCell backward;
    sdc_cell_init(&backward);
    for (uint64_t id = 539; id >= 500; id--) {
        sdc_cell_add(&backward, id, sdc_unit_key(s, id));
        sdc_cell_add(&backward, id, sdc_unit_key(s, id)); /* a second row: same unit */
    }
    assert_true(forward.key_sum == backward.key_sum);
    assert_true(forward.set_hash == backward.set_hash);
    assert_int_equal(backward.n_units, 40);
    assert_int_equal(backward.n_rows, 80);
    Released a = sdc_release_count(s, &forward), b = sdc_release_count(s, &backward);
    assert_string_equal(a.text, b.text);
    /* margins from disjoint cells equal the cell of the union */
    SdcCell lo = test_cell(s, 500, 20), hi = test_cell(s, 520, 20);
    sdc_cell_merge(&lo, &hi);
    assert_true(lo.key_sum == forward.key_sum);
    assert_int_equal(lo.n_units, 40);
    sdc_free(s);
}

static void test_whole_column_adds_match_row_adds(void **state)
{
    (void)state;
    Sdc *s = test_sdc();
    enum { ROWS = 3000, CELLS = 7 };
    uint64_t *ids = md_malloc(ROWS * sizeof *ids), *keys = md_malloc(ROWS * sizeof *keys);
    int32_t *cell_of = md_malloc(ROWS * sizeof *cell_of);
    for (int i = 0; i < ROWS; i++) {
        ids[i] = 10 + (uint64_t)(i / 2); /* two rows per unit */
        keys[i] = sdc_unit_key(s, ids[i]);
        cell_of[i] = (int32_t)((ids[i] * 7) % (CELLS + 1)) - 1; /* -1: skipped */
    }
    SdcCell a[CELLS], b[CELLS];
    for (int c = 0; c < CELLS; c++) {
        sdc_cell_init(&a[c]);
        sdc_cell_init(&b[c]);
    }
    sdc_cells_add_rows(a, cell_of, ids, keys, ROWS);
    for (int i = 0; i < ROWS; i++) {
        if (cell_of[i] >= 0)
            sdc_cell_add(&b[cell_of[i]], ids[i], keys[i]);
    }
    int64_t units = 0;
    for (int c = 0; c < CELLS; c++) {
        assert_true(a[c].key_sum == b[c].key_sum);
        assert_true(a[c].set_hash == b[c].set_hash);
        assert_int_equal(a[c].n_units, b[c].n_units);
        assert_int_equal(a[c].n_rows, 2 * b[c].n_units);
        units += a[c].n_units;
    }
    assert_true(units > 1000 && units < ROWS / 2);
    md_free(cell_of);
    md_free(keys);
    md_free(ids);
    sdc_free(s);
}

static void test_other_secret_or_version_changes_keys(void **state)
{
    (void)state;
    SdcOptions o;
    memset(&o, 0, sizeof o);
    sdc_config_default(&o.config);
    test_secret(o.secret);
    o.data_version = "no.ssb.fdb:1.0.1";
    MdError err;
    md_error_clear(&err);
    Sdc *v2 = sdc_new(&o, &err);
    Sdc *v1 = test_sdc();
    assert_non_null(v2);
    assert_true(sdc_unit_key(v1, 1) != sdc_unit_key(v2, 1));
    /* the cell key itself does not depend on the data version */
    assert_true(sdc_cell_key(v1, 7, SDC_KEY_COUNT, NULL) ==
                sdc_cell_key(v2, 7, SDC_KEY_COUNT, NULL));
    o.secret[0] ^= 1;
    Sdc *other = sdc_new(&o, &err);
    assert_true(sdc_cell_key(other, 7, SDC_KEY_COUNT, NULL) !=
                sdc_cell_key(v2, 7, SDC_KEY_COUNT, NULL));
    sdc_free(other);
    sdc_free(v1);
    sdc_free(v2);
}

static void test_read_secret(void **state)
{
    (void)state;
    const char *path = "test_sdc_keys.secret";
    FILE *f = fopen(path, "wb");
    uint8_t bytes[32];
    test_secret(bytes);
    fwrite(bytes, 1, 32, f);
    fclose(f);
    uint8_t got[32] = {0};
    MdError err;
    md_error_clear(&err);
    assert_int_equal(sdc_read_secret(path, got, &err), MD_OK);
    assert_memory_equal(got, bytes, 32);
    f = fopen(path, "ab");
    fputc(0, f);
    fclose(f);
    assert_int_equal(sdc_read_secret(path, got, &err), MD_ERR_VALUE);
    md_error_clear(&err);
    assert_int_equal(sdc_read_secret("no-such-secret", got, &err), MD_ERR_IO);
    remove(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unit_keys_known_answers),
        cmocka_unit_test(test_cell_keys_known_answers),
        cmocka_unit_test(test_noisy_counts_known_answers),
        cmocka_unit_test(test_noisy_sum_known_answer),
        cmocka_unit_test(test_same_units_same_noise_any_order),
        cmocka_unit_test(test_whole_column_adds_match_row_adds),
        cmocka_unit_test(test_other_secret_or_version_changes_keys),
        cmocka_unit_test(test_read_secret),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
