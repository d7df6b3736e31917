/*
 * test_store_import_dataset.c - end-to-end tests of store_import_datasets and
 * store_import_dataset against a real datastore in a temp dir: the four microdata-tools
 * examples import and answer the temporal queries with the right rows; broken datasets
 * written from the test (wrong delimiter, bad dates, decimal comma, overlapping and touching
 * spells, bad ACCUMULATED/FIXED/STATUS dates, duplicate ids, unknown codes, a truncated file,
 * bad UTF-8, a huge line, extra JSON keys, a code list on the wrong type, a bad name) fail
 * with the file, line and rule in the message and leave every byte of the store unchanged;
 * several directories are all or nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "store/import_int.h"

#define EXAMPLES MDATA_SHARED_DIR "/testdata/microdata-tools/examples"
#define MLS(text) "[{\"languageCode\": \"no\", \"value\": \"" text "\"}]"
#define META(temporality, measure)                                                        \
    "{\"temporalityType\": \"" temporality "\", \"sensitivityLevel\": \"PERSON_GENERAL\", "  \
    "\"populationDescription\": " MLS("Alle") ", \"subjectFields\": [" MLS("BEFOLKNING")    \
    "], \"dataRevision\": {\"description\": " MLS("Første") "}, "                          \
    "\"identifierVariables\": [{\"unitType\": \"PERSON\"}], \"measureVariables\": ["        \
    measure "]}"
#define DESCRIBED(type)                                                                   \
    "{\"name\": " MLS("Navn") ", \"description\": " MLS("Beskrivelse") ", \"dataType\": \"" \
    type "\", \"valueDomain\": {\"description\": " MLS("Verdi") "}}"
#define CODES(type, code1, code2)                                                          \
    "{\"name\": " MLS("Navn") ", \"description\": " MLS("Beskrivelse") ", \"dataType\": \"" \
    type "\", \"valueDomain\": {\"codeList\": [{\"code\": " code1 ", \"categoryTitle\": "   \
    MLS("En") ", \"validFrom\": \"2000-01-01\"}, {\"code\": " code2 ", \"categoryTitle\": " \
    MLS("To") ", \"validFrom\": \"2000-01-01\"}]}}"

static char tmp_dir[256];
static char store_path_dir[300];
static Store *store;

static int setup(void **state)
{
    (void)state;
    snprintf(tmp_dir, sizeof tmp_dir, "/tmp/mdata-test-import-XXXXXX");
    if (!mkdtemp(tmp_dir))
        return -1;
    snprintf(store_path_dir, sizeof store_path_dir, "%s/store", tmp_dir);
    MdError err;
    md_error_clear(&err);
    if (store_create(store_path_dir, "test.import", false, &err) != MD_OK)
        return -1;
    store = store_open(store_path_dir, &err);
    return store ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    store_close(store);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp_dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* A fingerprint of every file (and, with dirs, every directory) under the store: names and
 * MD5s. */
static char *fingerprint(bool dirs)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "cd '%s' && find . -type f %s | sort | while read f; do "
             "if [ -f \"$f\" ]; then md5sum \"$f\"; else echo \"$f\"; fi; done",
             store_path_dir, dirs ? "-o -type d" : "");
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    StrBuf sb;
    strbuf_init(&sb, 1 << 24);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0)
        assert_int_equal(strbuf_append(&sb, buf, n), MD_OK);
    pclose(p);
    return sb.data ? strbuf_take(&sb) : md_strdup("");
}

static char *store_fingerprint(void)
{
    return fingerprint(true);
}

static void write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
}

/* Writes tmp/NAME/NAME.json and NAME.csv (csv_len bytes); returns the directory. */
static const char *make_dataset(const char *name, const char *json, const char *csv,
                                size_t csv_len)
{
    static char dir[400];
    char path[600];
    snprintf(dir, sizeof dir, "%s/%s", tmp_dir, name);
    mkdir(dir, 0700);
    snprintf(path, sizeof path, "%s/%s.json", dir, name);
    write_file(path, json, strlen(json));
    snprintf(path, sizeof path, "%s/%s.csv", dir, name);
    write_file(path, csv, csv_len);
    return dir;
}

/* Imports a broken dataset; asserts it fails naming file, line and rule, store unchanged. */
static void expect_failure(const char *name, const char *json, const char *csv, size_t len,
                           const char *needle)
{
    char *before = store_fingerprint();
    const char *dir = make_dataset(name, json, csv, len);
    MdError err;
    md_error_clear(&err);
    MdStatus st = store_import_dataset(store, dir, &err);
    char *after = store_fingerprint();
    if (st == MD_OK || !strstr(err.message, needle))
        print_error("%s: got \"%s\", wanted \"%s\"\n", name, err.message, needle);
    assert_int_not_equal(st, MD_OK);
    assert_non_null(strstr(err.message, needle));
    assert_non_null(strstr(err.message, "[rule "));
    assert_string_equal(before, after);
    md_free(before);
    md_free(after);
}

/* ==== The examples import and answer queries ========================================== */

static const char *string_value(const Spells *s, int64_t i)
{
    return s->dictionary[s->string_ids[i]];
}

static int64_t find_unit(const Spells *s, uint64_t id)
{
    for (int64_t i = 0; i < s->n; i++) {
        if (s->unit_ids[i] == id)
            return i;
    }
    return -1;
}

static void test_examples_import(void **state)
{
    (void)state;
    const char *dirs[] = {EXAMPLES "/BEFOLKNING_BOSTED", EXAMPLES "/BEFOLKNING_INNTEKT",
                          EXAMPLES "/BEFOLKNING_KJOENN/", EXAMPLES "/BEFOLKNING_SIVILSTAND"};
    StrBuf report;
    strbuf_init(&report, 1 << 16);
    MdError err;
    md_error_clear(&err);
    MdStatus st = store_import_datasets(store, dirs, 4, &report, &err);
    if (st != MD_OK)
        print_error("%s\n%s\n", err.message, report.data ? report.data : "");
    assert_int_equal(st, MD_OK);
    assert_int_equal(report.len, 0);
    strbuf_free(&report);
    StoreVersion *v = store_version_open(store, "draft", &err);
    assert_non_null(v);
    assert_int_equal(store_version_variable_count(v), 4);
    const VariableInfo *bosted = store_version_variable(v, "BEFOLKNING_BOSTED");
    assert_non_null(bosted);
    assert_int_equal(bosted->temporality, TEMPORALITY_STATUS);
    assert_string_equal(bosted->id_name, "PERSONID_1");
    assert_int_equal(bosted->n_status_dates, 2);
    Spells s;
    assert_int_equal(store_query_at(v, bosted, date_from_ymd(1926, 1, 1), NULL, &s, &err),
                     MD_OK);
    assert_int_equal(s.n, 20);
    assert_int_equal(s.unit_ids[0], 2);
    assert_string_equal(string_value(&s, 0), "1");
    assert_string_equal(string_value(&s, find_unit(&s, 3)), "2");
    spells_free(&s);
    assert_int_equal(store_query_at(v, bosted, date_from_ymd(1920, 1, 1), NULL, &s, &err),
                     MD_OK);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.unit_ids[0], 1);
    assert_string_equal(string_value(&s, 0), "0"); /* the sentinel code */
    spells_free(&s);

    const VariableInfo *inntekt = store_version_variable(v, "BEFOLKNING_INNTEKT");
    assert_non_null(inntekt);
    assert_int_equal(store_query_at(v, inntekt, date_from_ymd(1926, 6, 1), NULL, &s, &err),
                     MD_OK);
    assert_int_equal(s.n, 8); /* units 1-8 all have a 1926 period */
    assert_string_equal(string_value(&s, find_unit(&s, 1)), "100121");
    assert_string_equal(string_value(&s, find_unit(&s, 3)), "100125");
    assert_string_equal(string_value(&s, find_unit(&s, 8)), "100126");
    spells_free(&s);
    assert_int_equal(store_query_at(v, inntekt, date_from_ymd(1922, 3, 1), NULL, &s, &err),
                     MD_OK);
    assert_int_equal(s.n, 2); /* unit 1 (1920-1925) and unit 8 (1922) */
    assert_string_equal(string_value(&s, find_unit(&s, 8)), "100125");
    spells_free(&s);

    const VariableInfo *kjoenn = store_version_variable(v, "BEFOLKNING_KJOENN");
    assert_non_null(kjoenn);
    assert_int_equal(store_query_fixed(v, kjoenn, NULL, &s, &err), MD_OK);
    assert_int_equal(s.n, 100);
    assert_int_equal(s.unit_ids[0], 10000000000000);
    assert_string_equal(string_value(&s, 0), "1");
    assert_string_equal(string_value(&s, 2), "2");
    spells_free(&s);

    const VariableInfo *siv = store_version_variable(v, "BEFOLKNING_SIVILSTAND");
    assert_non_null(siv);
    assert_int_equal(store_query_at(v, siv, date_from_ymd(1926, 2, 5), NULL, &s, &err), MD_OK);
    assert_string_equal(string_value(&s, find_unit(&s, 3)), "5");
    assert_string_equal(string_value(&s, find_unit(&s, 1)), "1"); /* open since 1926 */
    spells_free(&s);
    assert_int_equal(store_query_period(v, siv, date_from_ymd(1926, 1, 1),
                                        date_from_ymd(1926, 12, 31), NULL, &s, &err), MD_OK);
    int64_t unit3 = 0;
    for (int64_t i = 0; i < s.n; i++)
        unit3 += s.unit_ids[i] == 3;
    assert_true(unit3 >= 2);
    spells_free(&s);
    store_version_close(v);

    /* the release made after the import holds the four variables */
    char label[32];
    assert_int_equal(store_release(store, label, sizeof label, &err), MD_OK);
    assert_string_equal(label, "1.0.0");
    v = store_version_open(store, "1.0.0", &err);
    assert_non_null(v);
    assert_int_equal(store_version_variable_count(v), 4);
    kjoenn = store_version_variable(v, "BEFOLKNING_KJOENN");
    assert_non_null(kjoenn);
    assert_int_equal(store_query_fixed(v, kjoenn, NULL, &s, &err), MD_OK);
    assert_int_equal(s.n, 100);
    spells_free(&s);
    store_version_close(v);
}

/* ==== Broken datasets leave the store unchanged ========================================= */

#define FAIL(name, json, csv, needle) expect_failure(name, json, csv, strlen(csv), needle)

static void test_broken_csv_files(void **state)
{
    (void)state;
    const char *meta = META("EVENT", DESCRIBED("STRING"));
    FAIL("WRONG_DELIMITER", meta, "1,a,2020-01-01,,\n", "WRONG_DELIMITER.csv line 1: expected "
         "5 columns, got 1");
    FAIL("BAD_DATE", meta, "1;a;2020-01-01;;\n2;a;2020-13-01;;\n", "BAD_DATE.csv line 2: "
         "invalid date, expected YYYY-MM-DD (field start) [rule 1.2 dates]");
    FAIL("DECIMAL_COMMA", META("EVENT", DESCRIBED("DOUBLE")), "1;12345,12345;2020-01-01;;\n",
         "DECIMAL_COMMA.csv line 1: value is not a valid DOUBLE");
    FAIL("TRUNCATED", meta, "1;a;2020-01-01;;\n2;a;2020-01-01;;\n3;a;2020",
         "TRUNCATED.csv line 3: expected 5 columns, got 3 ");
    FAIL("BAD_UTF8", meta, "1;a;2020-01-01;;\n2;\xff\xfe;2020-01-01;;\n",
         "BAD_UTF8.csv line 2: invalid UTF-8 [rule 1.2 UTF-8]");
    FAIL("EMPTY", meta, "", "EMPTY.csv: Empty CSV file [rule 1.2 not empty]");
    size_t n = IMPORT_MAX_LINE + 10;
    char *huge = md_malloc(n + 64);
    assert_non_null(huge);
    memcpy(huge, "1;a;2020-01-01;;\n2;", 19);
    memset(huge + 19, 'x', n);
    memcpy(huge + 19 + n, ";2020-01-01;;\n", 14);
    expect_failure("HUGE_LINE", meta, huge, 19 + n + 14, "HUGE_LINE.csv line 2: line longer "
                   "than 1048576 bytes [rule 1.2 line length]");
    md_free(huge);
}

static void test_broken_temporal_rules(void **state)
{
    (void)state;
    FAIL("OVERLAP", META("EVENT", DESCRIBED("STRING")),
         "1;a;2020-01-01;2020-12-31;\n1;b;2020-06-01;2021-06-01;\n",
         "OVERLAP.csv line 2: period overlaps or touches the period of the same unit_id on "
         "line 1 [rule 1.3 no overlapping periods]");
    FAIL("TOUCHING", META("ACCUMULATED", DESCRIBED("LONG")),
         "1;5;2020-01-01;2020-12-31;\n1;6;2020-12-31;2021-12-31;\n",
         "TOUCHING.csv line 2: period overlaps or touches");
    FAIL("ACC_ORDER", META("ACCUMULATED", DESCRIBED("LONG")), "1;5;2020-01-01;2020-01-01;\n",
         "ACC_ORDER.csv line 1: ACCUMULATED: start must be before stop (start >= stop) [rule "
         "1.3 ACCUMULATED dates]");
    FAIL("FIXED_START", META("FIXED", DESCRIBED("LONG")), "1;5;;2020-01-01;\n"
         "2;5;2020-01-01;2020-01-01;\n", "FIXED_START.csv line 2: FIXED: start must be empty");
    FAIL("STATUS_DATES", META("STATUS", DESCRIBED("LONG")), "1;5;2020-01-01;2020-01-02;\n",
         "STATUS_DATES.csv line 1: STATUS: start must equal stop");
    FAIL("DUPLICATE", META("FIXED", DESCRIBED("LONG")), "1;5;;2020-01-01;\n2;5;;2020-01-01;\n"
         "1;6;;2020-01-01;\n", "DUPLICATE.csv line 3: unit_id repeats the one on line 1 [rule "
         "1.3 FIXED unique unit_id]");
    FAIL("UNKNOWN_CODE", META("FIXED", CODES("STRING", "\"1\"", "\"2\"")),
         "1;1;;2020-01-01;\n2;9;;2020-01-01;\n", "UNKNOWN_CODE.csv line 2: value is not a code "
         "of the code list or a sentinel code [rule 1.3 code list]");
}

static void test_broken_metadata(void **state)
{
    (void)state;
    FAIL("EXTRA_KEYS", "{\"temporalityType\": \"FIXED\", \"sensitivityLevel\": \"PUBLIC\", "
         "\"populationDescription\": " MLS("A") ", \"subjectFields\": [" MLS("B") "], "
         "\"dataRevision\": {\"description\": " MLS("C") ", \"notAKey\": 1}, "
         "\"identifierVariables\": [{\"unitType\": \"PERSON\"}], \"measureVariables\": ["
         DESCRIBED("LONG") "]}", "1;5;;2020-01-01;\n",
         "EXTRA_KEYS.json: dataRevision.notAKey: extra field not permitted [rule 1.4 extra "
         "keys forbidden]");
    FAIL("CODES_ON_DOUBLE", META("FIXED", CODES("DOUBLE", "1", "2")), "1;1;;2020-01-01;\n",
         "a code list is only allowed with dataType STRING or LONG [rule 1.4 code type "
         "matches dataType]");
    FAIL("CODES_WRONG_TYPE", META("FIXED", CODES("LONG", "\"1\"", "\"2\"")),
         "1;1;;2020-01-01;\n", "code must be a JSON integer for dataType LONG");
    FAIL("bad_name", META("FIXED", DESCRIBED("LONG")), "1;5;;2020-01-01;\n",
         "bad_name.json: dataset name must match ^[A-Z][A-Z0-9_]*$ [rule 1.1 dataset name]");
}

static void test_missing_files(void **state)
{
    (void)state;
    char dir[400];
    snprintf(dir, sizeof dir, "%s/NO_CSV", tmp_dir);
    mkdir(dir, 0700);
    char path[600];
    snprintf(path, sizeof path, "%s/NO_CSV.json", dir);
    write_file(path, "{}", 2);
    MdError err;
    md_error_clear(&err);
    assert_int_equal(store_import_dataset(store, dir, &err), MD_ERR_IO);
    assert_non_null(strstr(err.message, "NO_CSV.csv"));
    md_error_clear(&err);
    snprintf(dir, sizeof dir, "%s/NOT_THERE", tmp_dir);
    assert_int_equal(store_import_dataset(store, dir, &err), MD_ERR_IO);
    assert_non_null(strstr(err.message, "NOT_THERE.json"));
}

static void test_all_or_nothing(void **state)
{
    (void)state;
    char *before = store_fingerprint();
    char good[400], bad[400];
    snprintf(good, sizeof good, "%s", make_dataset("GOOD_ONE", META("FIXED", DESCRIBED("LONG")),
                                                   "1;5;;2020-01-01;\n", 17));
    snprintf(bad, sizeof bad, "%s", make_dataset("BAD_ONE", META("FIXED", DESCRIBED("LONG")),
                                                 "1;5;2020-01-01;2020-01-01;\n", 27));
    const char *dirs[] = {good, bad};
    StrBuf report;
    strbuf_init(&report, 1 << 16);
    MdError err;
    md_error_clear(&err);
    assert_int_not_equal(store_import_datasets(store, dirs, 2, &report, &err), MD_OK);
    assert_non_null(strstr(report.data, "BAD_ONE.csv line 1: FIXED: start must be empty"));
    assert_string_equal(err.where, "BAD_ONE.csv");
    char *after = store_fingerprint();
    assert_string_equal(before, after);
    md_free(after);
    strbuf_free(&report);
    /* a failing dataset before a good one: all are checked, nothing is written */
    const char *bad_first[] = {bad, good};
    strbuf_init(&report, 1 << 16);
    md_error_clear(&err);
    assert_int_not_equal(store_import_datasets(store, bad_first, 2, &report, &err), MD_OK);
    assert_non_null(strstr(report.data, "BAD_ONE.csv line 1"));
    strbuf_free(&report);
    after = store_fingerprint();
    assert_string_equal(before, after);
    md_free(after);
    /* the same directory twice is refused too */
    const char *twice[] = {good, good};
    md_error_clear(&err);
    assert_int_equal(store_import_datasets(store, twice, 2, NULL, &err), MD_ERR_NAME);
    after = store_fingerprint();
    assert_string_equal(before, after);
    md_free(after);
    md_free(before);
    /* alone, the good one imports */
    md_error_clear(&err);
    assert_int_equal(store_import_dataset(store, good, &err), MD_OK);
}

static void test_errors_never_show_ids(void **state)
{
    (void)state;
    const char *dir = make_dataset("SECRET_IDS", META("FIXED", DESCRIBED("LONG")),
                                   "12345678901;5;;2020-01-01;\n12345678901;6;;2020-01-01;\n"
                                   "98765432109;7.5;;2020-01-01;\n", 83);
    StrBuf report;
    strbuf_init(&report, 1 << 16);
    MdError err;
    md_error_clear(&err);
    const char *dirs[] = {dir};
    assert_int_not_equal(store_import_datasets(store, dirs, 1, &report, &err), MD_OK);
    assert_non_null(strstr(report.data, "SECRET_IDS.csv line 3: value is not a valid LONG"));
    assert_null(strstr(report.data, "12345678901"));
    assert_null(strstr(report.data, "98765432109"));
    assert_null(strstr(report.data, "7.5"));
    assert_null(strstr(err.message, "12345678901"));
    strbuf_free(&report);
}

static void test_validate_only(void **state)
{
    (void)state;
    char *before = store_fingerprint();
    const char *dirs[] = {EXAMPLES "/BEFOLKNING_BOSTED", EXAMPLES "/BEFOLKNING_SIVILSTAND"};
    MdError err;
    md_error_clear(&err);
    assert_int_equal(store_import_datasets(NULL, dirs, 2, NULL, &err), MD_OK);
    const char *bad = make_dataset("CHECK_BAD", META("FIXED", DESCRIBED("LONG")),
                                   "1;x;;2020-01-01;\n", 17);
    md_error_clear(&err);
    assert_int_equal(store_import_datasets(NULL, &bad, 1, NULL, &err), MD_ERR_TYPE);
    assert_non_null(strstr(err.message, "CHECK_BAD.csv line 1: value is not a valid LONG"));
    char *after = store_fingerprint();
    assert_string_equal(before, after);
    md_free(before);
    md_free(after);
}

static void test_allocation_failures(void **state)
{
    (void)state;
    const char *dir = make_dataset("FAULTY", META("EVENT", CODES("STRING", "\"1\"", "\"2\"")),
                                   "1;1;2020-01-01;2020-06-30;\n1;2;2020-07-01;;\n"
                                   "2;2;2019-01-01;2019-12-31;\n", 71);
    /* Files only: the writer makes parts/NAME/ at its start and leaves it, empty, when it
     * fails (src/store/writer.c); no file changes. */
    char *before = fingerprint(false);
    int64_t live = md_mem_live_allocations();
    MdStatus st = MD_ERR_MEMORY;
    int64_t n = 0;
    for (; n < 100000 && st != MD_OK; n++) {
        MdError err;
        md_error_clear(&err);
        md_mem_fail_after(n);
        st = store_import_dataset(store, dir, &err);
        md_mem_fail_after(-1);
        assert_int_equal(md_mem_live_allocations(), live);
        if (st == MD_OK)
            break;
        if (st != MD_ERR_MEMORY)
            print_error("allocation %lld: %s: %s\n", (long long)n, md_status_name(st),
                        err.message);
        assert_int_equal(st, MD_ERR_MEMORY);
        char *after = fingerprint(false);
        if (strcmp(before, after) != 0) {
            print_error("allocation %lld failed: %s; store changed:\n", (long long)n,
                        err.message);
            write_file("/tmp/mdata-import-before.txt", before, strlen(before));
            write_file("/tmp/mdata-import-after.txt", after, strlen(after));
        }
        assert_string_equal(before, after);
        md_free(after);
    }
    assert_int_equal(st, MD_OK);
    assert_true(n > 10);
    md_free(before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_examples_import),
        cmocka_unit_test(test_broken_csv_files),
        cmocka_unit_test(test_broken_temporal_rules),
        cmocka_unit_test(test_broken_metadata),
        cmocka_unit_test(test_missing_files),
        cmocka_unit_test(test_all_or_nothing),
        cmocka_unit_test(test_errors_never_show_ids),
        cmocka_unit_test(test_validate_only),
        cmocka_unit_test(test_allocation_failures),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
