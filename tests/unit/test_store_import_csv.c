/*
 * test_store_import_csv.c - unit tests of the microdata-tools CSV reader (import_csv.c) and
 * the unit id mapping (import_log.c): fields, quoting, trimming, typed values, null tokens,
 * dates and their int16 range, line endings, UTF-8, line length, empty files, error limits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "store/import_int.h"

typedef struct Read {
    ImportRows rows;
    ImportLog log;
    MdStatus status;
} Read;

static Read *read_csv(const char *text, ValueType type, bool pointer)
{
    static Read r;
    import_rows_free(&r.rows);
    import_log_init(&r.log, "T.csv");
    ImportCsvOptions options = {type, pointer};
    r.status = import_csv_read(text, strlen(text), &options, &r.rows, &r.log);
    return &r;
}

static bool log_has(const ImportLog *log, const char *needle)
{
    for (int i = 0; i < log->n; i++) {
        if (strstr(log->items[i], needle))
            return true;
    }
    return false;
}

static void test_reads_string_rows(void **state)
{
    (void)state;
    Read *r = read_csv("00000000000001;a;2020-01-01;2020-12-31;\n"
                       " 00000000000002 ; b ;1926-01-01;;src\r\n",
                       VALUE_STRING, false);
    assert_int_equal(r->status, MD_OK);
    assert_int_equal(r->rows.n, 2);
    assert_int_equal(r->rows.ids[0], 1);
    assert_int_equal(r->rows.ids[1], 2);
    assert_int_equal(r->rows.starts[0], date_from_ymd(2020, 1, 1));
    assert_int_equal(r->rows.stops[0], date_from_ymd(2020, 12, 31));
    assert_int_equal(r->rows.stops[1], DATE_OPEN);
    assert_int_equal(r->rows.lines[1], 2);
    assert_int_equal(strmap_count(r->rows.dictionary), 2);
    assert_string_equal(strmap_key_at(r->rows.dictionary, r->rows.string_ids[1]), "b");
}

static void test_empty_start_is_none(void **state)
{
    (void)state;
    Read *r = read_csv("1;1;;2021-01-01;\n", VALUE_STRING, false);
    assert_int_equal(r->status, MD_OK);
    assert_int_equal(r->rows.starts[0], DATE_NONE);
}

static void test_long_values_with_spaces(void **state)
{
    (void)state;
    Read *r = read_csv(" 000002 ; 12345;2020-01-01;2020-01-01;\n2;-7;2020-01-01;2020-01-01;\n",
                       VALUE_LONG, false);
    assert_int_equal(r->status, MD_OK);
    assert_int_equal(r->rows.longs[0], 12345);
    assert_int_equal(r->rows.longs[1], -7);
    assert_int_equal(r->rows.ids[0], 2);
}

static void test_double_rejects_decimal_comma(void **state)
{
    (void)state;
    Read *r = read_csv("1;12345.125;2020-01-01;2020-01-01;\n", VALUE_DOUBLE, false);
    assert_int_equal(r->status, MD_OK);
    assert_true(r->rows.doubles[0] == 12345.125);
    r = read_csv("1;2.5;2020-01-01;2020-01-01;\n1;12345,12345;2020-01-01;2020-01-01;\n",
                 VALUE_DOUBLE, false);
    assert_int_equal(r->status, MD_ERR_TYPE);
    assert_true(log_has(&r->log, "T.csv line 2:"));
    assert_true(log_has(&r->log, "not a valid DOUBLE"));
    assert_true(log_has(&r->log, "[rule 1.2 value type]"));
    assert_false(log_has(&r->log, "12345"));
}

static void test_date_values(void **state)
{
    (void)state;
    Read *r = read_csv("1;1999-12-31;2020-01-01;2020-01-01;\n", VALUE_DATE, false);
    assert_int_equal(r->status, MD_OK);
    assert_int_equal(r->rows.dates[0], date_from_ymd(1999, 12, 31));
    r = read_csv("1;1999-13-31;2020-01-01;2020-01-01;\n", VALUE_DATE, false);
    assert_int_equal(r->status, MD_ERR_TYPE);
}

static void test_bad_dates(void **state)
{
    (void)state;
    Read *r = read_csv("1;a;2020-13-01;2020-12-31;\n", VALUE_STRING, false);
    assert_int_not_equal(r->status, MD_OK);
    assert_true(log_has(&r->log, "T.csv line 1: invalid date, expected YYYY-MM-DD (field "
                                 "start) [rule 1.2 dates]"));
    r = read_csv("1;a;2020-01-01;2020/12/31;\n", VALUE_STRING, false);
    assert_true(log_has(&r->log, "(field stop)"));
}

static void test_date_int16_range(void **state)
{
    (void)state;
    /* int16 days since 1970 start on 1880-04-14 (spec 1.2 says 04-12, two days early) */
    assert_int_equal(date_from_ymd(1880, 4, 14), IMPORT_MIN_DATE);
    assert_int_equal(date_from_ymd(2059, 9, 18), IMPORT_MAX_DATE);
    Read *r = read_csv("1;a;1880-04-14;2059-09-18;\n", VALUE_STRING, false);
    assert_int_equal(r->status, MD_OK);
    r = read_csv("1;a;1880-04-13;2000-01-01;\n", VALUE_STRING, false);
    assert_true(log_has(&r->log, "[rule 1.2 date range]"));
    r = read_csv("1;a;2000-01-01;2059-09-19;\n", VALUE_STRING, false);
    assert_true(log_has(&r->log, "line 1"));
    assert_true(log_has(&r->log, "(field stop) [rule 1.2 date range]"));
}

static void test_null_tokens(void **state)
{
    (void)state;
    Read *r = read_csv("1;5;NA;NULL;\n2;6;N/A;null;\n3;7;NaN;;\n", VALUE_LONG, false);
    assert_int_equal(r->status, MD_OK);
    assert_int_equal(r->rows.starts[0], DATE_NONE);
    assert_int_equal(r->rows.stops[0], DATE_OPEN);
    assert_int_equal(r->rows.starts[2], DATE_NONE);
    r = read_csv("1;NA;2020-01-01;2020-01-01;\n2;;2020-01-01;2020-01-01;\n", VALUE_LONG, false);
    assert_int_equal(r->log.n_total, 2);
    assert_true(log_has(&r->log, "line 1: missing value (field value) [rule 1.3 value "
                                 "required]"));
    assert_true(log_has(&r->log, "line 2: missing value"));
    /* STRING values are never null: "NA" is a string, "" is rejected */
    r = read_csv("1;NA;2020-01-01;2020-01-01;\n", VALUE_STRING, false);
    assert_int_equal(r->status, MD_OK);
    r = read_csv("1;  ;2020-01-01;2020-01-01;\n", VALUE_STRING, false);
    assert_true(log_has(&r->log, "line 1: empty value"));
}

static void test_empty_unit_id(void **state)
{
    (void)state;
    Read *r = read_csv(" ;a;2020-01-01;2020-01-01;\n", VALUE_STRING, false);
    assert_true(log_has(&r->log, "line 1: empty unit id (field unit_id) [rule 1.3 unit_id "
                                 "required]"));
}

static void test_wrong_delimiter(void **state)
{
    (void)state;
    Read *r = read_csv("1,a,2020-01-01,2020-01-01,\n", VALUE_STRING, false);
    assert_int_equal(r->status, MD_ERR_SYNTAX);
    assert_true(log_has(&r->log, "line 1: expected 5 columns, got 1"));
    assert_true(log_has(&r->log, "[rule 1.2 five fields]"));
}

static void test_field_counts(void **state)
{
    (void)state;
    Read *r = read_csv("1;a;2020-01-01;2020-01-01\n", VALUE_STRING, false);
    assert_true(log_has(&r->log, "got 4"));
    r = read_csv("1;a;2020-01-01;2020-01-01;x;y\n", VALUE_STRING, false);
    assert_true(log_has(&r->log, "got 6"));
    /* truncated file: the last line has 3 fields and no newline */
    r = read_csv("1;a;2020-01-01;2020-01-01;\n2;b;2020-01", VALUE_STRING, false);
    assert_int_equal(r->log.n_total, 1);
    assert_true(log_has(&r->log, "T.csv line 2: expected 5 columns, got 3"));
}

static void test_quotes(void **state)
{
    (void)state;
    Read *r = read_csv("\"1\";\"a;b\";\"2020-01-01\";\"2020-01-01\";\"\"\n"
                       "2;\"say \"\"hi\"\"\";2020-01-01;2020-01-01;\n",
                       VALUE_STRING, false);
    assert_int_equal(r->status, MD_OK);
    assert_int_equal(r->rows.n, 2);
    assert_string_equal(strmap_key_at(r->rows.dictionary, r->rows.string_ids[0]), "a;b");
    assert_string_equal(strmap_key_at(r->rows.dictionary, r->rows.string_ids[1]),
                        "say \"hi\"");
    r = read_csv("1;\"open;2020-01-01;2020-01-01;\n", VALUE_STRING, false);
    assert_true(log_has(&r->log, "line 1: unterminated quoted field [rule 1.2 quoting]"));
    r = read_csv("1;\"a\"b;2020-01-01;2020-01-01;\n", VALUE_STRING, false);
    assert_true(log_has(&r->log, "text after the closing quote"));
}

static void test_blank_lines_and_bom(void **state)
{
    (void)state;
    Read *r = read_csv("\xEF\xBB\xBF" "1;a;2020-01-01;2020-01-01;\n\n\r\n2;b;2020-01-01;"
                       "2020-01-01;\n\n", VALUE_STRING, false);
    assert_int_equal(r->status, MD_OK);
    assert_int_equal(r->rows.n, 2);
    assert_int_equal(r->rows.lines[1], 4);
}

static void test_empty_file(void **state)
{
    (void)state;
    Read *r = read_csv("", VALUE_STRING, false);
    assert_int_equal(r->status, MD_ERR_VALUE);
    assert_true(log_has(&r->log, "T.csv: Empty CSV file [rule 1.2 not empty]"));
    r = read_csv("\n\n", VALUE_STRING, false);
    assert_true(log_has(&r->log, "Empty CSV file"));
}

static void test_bad_utf8(void **state)
{
    (void)state;
    Read *r = read_csv("1;a;2020-01-01;2020-01-01;\n2;\xC3\x28;2020-01-01;2020-01-01;\n",
                       VALUE_STRING, false);
    assert_int_equal(r->log.n_total, 1);
    assert_true(log_has(&r->log, "T.csv line 2: invalid UTF-8 [rule 1.2 UTF-8]"));
    r = read_csv("1;bl\xC3\xA5;2020-01-01;2020-01-01;\n", VALUE_STRING, false);
    assert_int_equal(r->status, MD_OK);
}

static void test_huge_line(void **state)
{
    (void)state;
    size_t n = IMPORT_MAX_LINE + 100;
    char *text = md_malloc(n + 128);
    assert_non_null(text);
    strcpy(text, "1;a;2020-01-01;2020-01-01;\n2;");
    size_t used = strlen(text);
    memset(text + used, 'x', n);
    strcpy(text + used + n, ";2020-01-01;2020-01-01;\n3;c;2020-01-01;2020-01-01;\n");
    Read *r = read_csv(text, VALUE_STRING, false);
    md_free(text);
    assert_int_equal(r->status, MD_ERR_LIMIT);
    assert_int_equal(r->log.n_total, 1);
    assert_true(log_has(&r->log, "T.csv line 2: line longer than 1048576 bytes [rule 1.2 line "
                                 "length]"));
    assert_int_equal(r->rows.n, 2);
}

static void test_error_limit(void **state)
{
    (void)state;
    StrBuf sb;
    strbuf_init(&sb, 1 << 20);
    for (int i = 0; i < 100; i++)
        assert_int_equal(strbuf_puts(&sb, "1;a;bad;2020-01-01;\n"), MD_OK);
    Read *r = read_csv(sb.data, VALUE_STRING, false);
    strbuf_free(&sb);
    assert_int_equal(r->log.n, IMPORT_MAX_ERRORS);
    assert_int_equal(r->log.n_total, IMPORT_MAX_ERRORS);
    MdError err;
    md_error_clear(&err);
    assert_int_not_equal(import_log_to_error(&r->log, &err), MD_OK);
    assert_string_equal(err.where, "T.csv");
    assert_non_null(strstr(err.message, "T.csv line 1: invalid date"));
    assert_non_null(strstr(err.message, "more errors)"));
}

static void test_pointer_values(void **state)
{
    (void)state;
    Read *r = read_csv("1;00000000000042;;2021-01-01;\n2;ABC;;2021-01-01;\n", VALUE_LONG,
                       true);
    assert_int_equal(r->status, MD_OK);
    assert_int_equal(r->rows.longs[0], 42);
    uint64_t check;
    assert_int_equal((uint64_t)r->rows.longs[1], import_unit_id("ABC", 3, &check));
    assert_true(check == r->rows.value_checks[1]);
}

static void test_unit_id_mapping(void **state)
{
    (void)state;
    uint64_t c1, c2;
    assert_int_equal(import_unit_id("00000000000001", 14, &c1), 1);
    assert_int_equal(import_unit_id("1", 1, &c2), 1);
    assert_true(c1 != c2); /* different texts: a collision the rules report */
    uint64_t big = import_unit_id("281474976710655", 15, &c1); /* 2^48 - 1 */
    assert_true(big == ((uint64_t)1 << 48) - 1);
    uint64_t hashed = import_unit_id("281474976710656", 15, &c1); /* 2^48: hashed */
    assert_true(hashed < ((uint64_t)1 << 48));
    /* a true 48-bit collision of the keyed hash, found by search: the check hash differs */
    uint64_t x = import_unit_id("ID-1530341", 10, &c1);
    uint64_t y = import_unit_id("ID-20739497", 11, &c2);
    assert_true(x == y && x == 84819196480234ULL);
    assert_true(c1 != c2);
    uint64_t a = import_unit_id("AB-12", 5, &c1);
    uint64_t b = import_unit_id("AB-12", 5, &c2);
    assert_true(a == b && c1 == c2 && a < ((uint64_t)1 << 48));
}

static void test_names(void **state)
{
    (void)state;
    assert_true(import_dataset_name_valid("BEFOLKNING_KJOENN"));
    assert_true(import_dataset_name_valid("A1_2"));
    assert_false(import_dataset_name_valid("befolkning"));
    assert_false(import_dataset_name_valid("1ABC"));
    assert_false(import_dataset_name_valid("_ABC"));
    assert_false(import_dataset_name_valid("AB-C"));
    assert_false(import_dataset_name_valid(""));
    assert_string_equal(import_unit_id_name("PERSON"), "PERSONID_1");
    assert_string_equal(import_unit_id_name("JOBB"), "JOBBID_1");
    assert_string_equal(import_unit_id_name("KOMMUNE"), "KOMMUNEID");
    assert_null(import_unit_id_name("PERSONS"));
}

static int compare_keys(const void *ctx, int64_t a, int64_t b)
{
    const int *keys = ctx;
    return (keys[a] > keys[b]) - (keys[a] < keys[b]);
}

static void test_sort_is_stable(void **state)
{
    (void)state;
    static const int keys[] = {3, 1, 2, 1, 3, 0, 2, 1, 0};
    static const int64_t expect[] = {5, 8, 1, 3, 7, 2, 6, 0, 4};
    int64_t index[9], scratch[9];
    for (int i = 0; i < 9; i++)
        index[i] = i;
    import_sort(index, scratch, 9, compare_keys, keys);
    for (int i = 0; i < 9; i++)
        assert_int_equal(index[i], expect[i]);
    import_sort(index, scratch, 0, compare_keys, keys);
    import_sort(index, scratch, 1, compare_keys, keys);
    assert_int_equal(index[0], 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reads_string_rows),
        cmocka_unit_test(test_empty_start_is_none),
        cmocka_unit_test(test_long_values_with_spaces),
        cmocka_unit_test(test_double_rejects_decimal_comma),
        cmocka_unit_test(test_date_values),
        cmocka_unit_test(test_bad_dates),
        cmocka_unit_test(test_date_int16_range),
        cmocka_unit_test(test_null_tokens),
        cmocka_unit_test(test_empty_unit_id),
        cmocka_unit_test(test_wrong_delimiter),
        cmocka_unit_test(test_field_counts),
        cmocka_unit_test(test_quotes),
        cmocka_unit_test(test_blank_lines_and_bom),
        cmocka_unit_test(test_empty_file),
        cmocka_unit_test(test_bad_utf8),
        cmocka_unit_test(test_huge_line),
        cmocka_unit_test(test_error_limit),
        cmocka_unit_test(test_pointer_values),
        cmocka_unit_test(test_unit_id_mapping),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_sort_is_stable),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    Read *r = read_csv("", VALUE_STRING, false);
    import_rows_free(&r->rows);
    return failed;
}
