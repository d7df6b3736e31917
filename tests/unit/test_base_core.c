/*
 * test_base_core.c - unit tests of the base module: dates, text parsing, string maps,
 * growable strings, arenas, the random generator and the error record.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "base/base.h"

static void test_dates_documented_values(void **state)
{
    (void)state;
    assert_int_equal(date_from_ymd(1970, 1, 1), 0);
    assert_int_equal(date_from_ymd(2015, 12, 31), 16800);
    assert_int_equal(date_from_ymd(1967, 5, 27), -950);
    int32_t y, m, d;
    date_to_ymd(-950, &y, &m, &d);
    assert_int_equal(y, 1967);
    assert_int_equal(m, 5);
    assert_int_equal(d, 27);
    for (int32_t days = -40000; days < 40000; days += 7) {
        date_to_ymd(days, &y, &m, &d);
        assert_int_equal(date_from_ymd(y, m, d), days);
    }
}

static void test_date_parse(void **state)
{
    (void)state;
    int32_t days;
    assert_true(date_parse_iso("2024-02-29", 10, &days));
    assert_int_equal(days, date_from_ymd(2024, 2, 29));
    assert_false(date_parse_iso("2023-02-29", 10, &days));
    assert_false(date_parse_iso("2020-13-01", 10, &days));
    assert_false(date_parse_iso("2020-1-01", 9, &days));
    assert_false(date_parse_iso("2020/01/01", 10, &days));
    char buf[11];
    date_format_iso(date_from_ymd(1905, 6, 7), buf);
    assert_string_equal(buf, "1905-06-07");
}

static void test_numbers(void **state)
{
    (void)state;
    int64_t v;
    double x;
    assert_true(text_parse_int64(" 000002 ", 8, true, &v));
    assert_int_equal(v, 2);
    assert_false(text_parse_int64(" 2", 2, false, &v));
    assert_false(text_parse_int64("12a", 3, false, &v));
    assert_false(text_parse_int64("99999999999999999999", 20, false, &v));
    assert_true(text_parse_double("12345.125", 9, false, &x));
    assert_true(x == 12345.125);
    assert_false(text_parse_double("12345,12345", 11, false, &x));
    assert_false(text_parse_double("nan", 3, false, &x));
    assert_false(text_parse_double("inf", 3, false, &x));
}

static void test_utf8(void **state)
{
    (void)state;
    assert_true(text_utf8_valid("kj\xc3\xb8nn", 6));
    assert_false(text_utf8_valid("kj\xc3", 3));
    assert_false(text_utf8_valid("\xff", 1));
    assert_false(text_utf8_valid("\xc0\xaf", 2)); /* overlong */
    assert_false(text_utf8_valid("\xed\xa0\x80", 3)); /* surrogate */
}

static void test_suggest(void **state)
{
    (void)state;
    const char *names[] = {"generate", "replace", "tabulate", "summarize"};
    assert_string_equal(text_suggest("genrate", names, 4), "generate");
    assert_string_equal(text_suggest("tabulat", names, 4), "tabulate");
    assert_null(text_suggest("xyzzy", names, 4));
}

static void test_significant(void **state)
{
    (void)state;
    char buf[64];
    text_format_significant(123456.0, 4, buf, sizeof buf);
    assert_string_equal(buf, "123500");
    text_format_significant(0.0123456, 3, buf, sizeof buf);
    assert_string_equal(buf, "0.0123");
    text_format_significant(-2.5, 4, buf, sizeof buf);
    assert_string_equal(buf, "-2.5");
}

static void test_strmap(void **state)
{
    (void)state;
    StrMap *m = strmap_new();
    char key[32];
    for (int i = 0; i < 1000; i++) {
        snprintf(key, sizeof key, "k%d", i);
        assert_int_equal(strmap_put(m, key, i * 2), MD_OK);
    }
    int64_t v;
    assert_true(strmap_get(m, "k777", &v));
    assert_int_equal(v, 1554);
    assert_false(strmap_get(m, "nope", &v));
    assert_string_equal(strmap_key_at(m, 0), "k0");
    assert_int_equal(strmap_count(m), 1000);
    strmap_free(m);
}

static void test_strbuf_limit(void **state)
{
    (void)state;
    StrBuf sb;
    strbuf_init(&sb, 8);
    assert_int_equal(strbuf_puts(&sb, "1234"), MD_OK);
    assert_int_equal(strbuf_printf(&sb, "%d", 5678), MD_OK);
    assert_string_equal(sb.data, "12345678");
    assert_int_equal(strbuf_putc(&sb, 'x'), MD_ERR_LIMIT);
    assert_null(sb.data);
}

static void test_arena(void **state)
{
    (void)state;
    Arena *a = arena_new(1024);
    for (int i = 0; i < 1000; i++) {
        char *s = arena_printf(a, "item %d", i);
        assert_non_null(s);
        assert_true(((uintptr_t)arena_alloc(a, 3) & 15) == 0);
    }
    arena_reset(a);
    assert_int_equal(arena_bytes_used(a), 0);
    arena_free(a);
}

static void test_rng_deterministic(void **state)
{
    (void)state;
    Rng a, b;
    rng_seed(&a, 42);
    rng_seed(&b, 42);
    for (int i = 0; i < 100; i++)
        assert_true(rng_next(&a) == rng_next(&b));
    double sum = 0;
    for (int i = 0; i < 100000; i++)
        sum += rng_uniform(&a);
    assert_true(sum / 100000 > 0.49 && sum / 100000 < 0.51);
}

static void test_error_first_wins(void **state)
{
    (void)state;
    MdError err;
    md_error_clear(&err);
    md_error_set(&err, MD_ERR_NAME, "unknown variable %s", "x");
    md_error_set(&err, MD_ERR_TYPE, "second");
    md_error_at(&err, 3, 7);
    md_error_at(&err, 9, 9);
    assert_int_equal(err.status, MD_ERR_NAME);
    assert_string_equal(err.message, "unknown variable x");
    assert_int_equal(err.line, 3);
}

static void test_error_format(void **state)
{
    (void)state;
    MdError err;
    char buf[512];
    md_error_clear(&err);
    md_error_set(&err, MD_ERR_SYNTAX, "bad");
    md_error_format(&err, buf, sizeof buf);
    assert_string_equal(buf, "syntax error - bad");
    md_error_where(&err, "a.csv");
    md_error_format(&err, buf, sizeof buf);
    assert_string_equal(buf, "a.csv: syntax error - bad");
    md_error_at(&err, 4, 0);
    md_error_hint(&err, "fix it");
    md_error_format(&err, buf, sizeof buf);
    assert_string_equal(buf, "a.csv:4: syntax error - bad (fix it)");
}

static void test_mem_fail_injection(void **state)
{
    (void)state;
    md_mem_fail_after(0);
    assert_null(md_malloc(10));
    md_mem_fail_after(-1);
    void *p = md_malloc(10);
    assert_non_null(p);
    md_free(p);
    size_t out;
    assert_false(md_size_mul(SIZE_MAX / 2, 3, &out));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dates_documented_values),
        cmocka_unit_test(test_date_parse),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_suggest),
        cmocka_unit_test(test_significant),
        cmocka_unit_test(test_strmap),
        cmocka_unit_test(test_strbuf_limit),
        cmocka_unit_test(test_arena),
        cmocka_unit_test(test_rng_deterministic),
        cmocka_unit_test(test_error_first_wins),
        cmocka_unit_test(test_error_format),
        cmocka_unit_test(test_mem_fail_injection),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
