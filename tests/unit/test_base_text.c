/*
 * test_base_text.c - unit tests of the text width helpers of the base module: code points
 * counted in UTF-8 names and the padding that lines text-table columns up by characters.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "base/base.h"

static void test_utf8_length_counts_code_points(void **state)
{
    (void)state;
    assert_int_equal(text_utf8_length(NULL), 0);
    assert_int_equal(text_utf8_length(""), 0);
    assert_int_equal(text_utf8_length("kjonn"), 5);
    assert_int_equal(text_utf8_length("kj\xc3\xb8nn"), 5);              /* kjønn */
    assert_int_equal(text_utf8_length("l\xc3\xb8nn_f\xc3\xb8r"), 8);    /* lønn_før */
    assert_int_equal(text_utf8_length("\xe2\x82\xac"), 1);              /* euro sign */
    assert_int_equal(text_utf8_length("\xf0\x9f\x98\x80x"), 2);         /* emoji + x */
}

static void test_pad_lines_up_by_characters(void **state)
{
    (void)state;
    assert_int_equal(text_pad("kjonn", 28), 23);
    assert_int_equal(text_pad("kj\xc3\xb8nn", 28), 23);
    assert_int_equal(text_pad("abc", 3), 0);
    assert_int_equal(text_pad("abcdef", 3), 0);
    char a[64], b[64];
    snprintf(a, sizeof a, "%s%*s|", "l\xc3\xb8nn_f\xc3\xb8r", text_pad("l\xc3\xb8nn_f\xc3\xb8r",
                                                                          12), "");
    snprintf(b, sizeof b, "%s%*s|", "lonn_for", text_pad("lonn_for", 12), "");
    assert_string_equal(a, "l\xc3\xb8nn_f\xc3\xb8r    |");
    assert_string_equal(b, "lonn_for    |");
    assert_int_equal(text_utf8_length(a), text_utf8_length(b));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_length_counts_code_points),
        cmocka_unit_test(test_pad_lines_up_by_characters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
