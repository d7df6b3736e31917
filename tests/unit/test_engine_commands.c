/*
 * test_engine_commands.c - unit tests of require, the dataset commands and the three
 * import commands against a tiny datastore written through the store's writer.
 */
#include "commands_fixture.h"

#define REQ "require no.ssb.fdb:1 as db\n"

static void test_require_versions(void **state)
{
    (void)state;
    Fixture f;
    fix_open(&f, false);
    fix_fails(&f, "require no.ssb.fdb:53 as db", MD_ERR_VALUE, "has no version 53");
    assert_non_null(strstr(f.err.hint, "1.0.0"));
    fix_fails(&f, "require no.other.db:1 as db", MD_ERR_NAME, "not available");
    fix_ok(&f, "require no.ssb.fdb:1.0.0 as db");
    fix_fails(&f, "require no.ssb.fdb:1 as db", MD_ERR_NAME, "already in use");
    fix_ok(&f, "require no.ssb.fdb:1.0 as db2");
    assert_int_equal(f.ws->n_stores, 2);
    fix_close(&f);
}

static void test_require_synthetic_any_version(void **state)
{
    (void)state;
    Fixture f;
    fix_open(&f, true);
    fix_ok(&f, "require no.ssb.fdb:53 as db");
    assert_int_equal(f.ws->n_stores, 1);
    assert_string_equal(f.ws->stores[0].version_label, "53");
    fix_close(&f);
}

static void test_datasets(void **state)
{
    (void)state;
    Fixture f;
    fix_open(&f, false);
    fix_fails(&f, "use a", MD_ERR_NAME, "no dataset named 'a'");
    fix_ok(&f, "create-dataset a\ncreate-dataset b");
    assert_string_equal(workspace_active(f.ws)->name, "b");
    fix_fails(&f, "create-dataset a", MD_ERR_NAME, "already exists");
    fix_ok(&f, "use a\nclone-dataset a c");
    assert_string_equal(workspace_active(f.ws)->name, "a");
    fix_ok(&f, "rename-dataset c d");
    assert_null(workspace_dataset(f.ws, "c"));
    assert_non_null(workspace_dataset(f.ws, "d"));
    fix_ok(&f, "delete-dataset a");
    assert_null(workspace_active(f.ws));
    assert_int_equal(workspace_dataset_count(f.ws), 2);
    fix_fails(&f, "keep if 1", MD_ERR_NAME, "no active dataset");
    fix_close(&f);
}

static void test_import_population_and_left_join(void **state)
{
    (void)state;
    Fixture f;
    fix_open(&f, false);
    fix_ok(&f, REQ "create-dataset p\nimport db/STAT 2024-01-01 as st");
    assert_int_equal(fix_rows(&f), FIX_PERSONS - 4); /* persons 5..40 */
    Dataset *ds = workspace_active(f.ws);
    assert_string_equal(ds->unit_type, "PERSON");
    assert_string_equal(ds->id_name, "PERSONID_1");
    assert_int_equal(ds->unit_ids[0], 5);
    assert_string_equal(fix_string(&f, "st", 0), "1");
    assert_string_equal(fix_string(&f, "st", FIX_PERSONS - 5), "3");
    fix_ok(&f, "import db/INNT 2023-06-30 as inn\nimport db/KJOENN");
    assert_int_equal(fix_rows(&f), FIX_PERSONS - 4);
    assert_true(fix_number(&f, "inn", 0) == 5001);          /* person 5, year 2023 */
    assert_true(isnan(fix_number(&f, "inn", FIX_PERSONS - 5))); /* person 40: none */
    assert_string_equal(fix_string(&f, "KJOENN", 0), "1");
    assert_ptr_equal(fix_column(&f, "KJOENN")->source,
                     store_version_variable(f.ws->stores[0].version, "KJOENN"));
    fix_close(&f);
}

static void test_import_outer_join_and_errors(void **state)
{
    (void)state;
    Fixture f;
    fix_open(&f, false);
    fix_ok(&f, REQ "create-dataset p\nimport db/STAT 2024-01-01 as st");
    fix_ok(&f, "import db/INNT 2022-01-01 as inn, outer_join");
    assert_int_equal(fix_rows(&f), FIX_PERSONS);
    assert_int_equal(workspace_active(f.ws)->unit_ids[0], 1);
    assert_null(fix_string(&f, "st", 0));
    assert_true(fix_number(&f, "inn", 0) == 1000);
    fix_fails(&f, "import db/KJOENN 2020-01-01", MD_ERR_VALUE, "takes no date");
    fix_fails(&f, "import db/INNT", MD_ERR_VALUE, "needs a date");
    fix_fails(&f, "import db/INNT 2023-01-01 as inn", MD_ERR_NAME, "already has");
    fix_fails(&f, "import db/JLONN", MD_ERR_TYPE, "JOBB units");
    fix_fails(&f, "import db/KJONN", MD_ERR_NAME, "no variable KJONN");
    assert_non_null(strstr(f.err.hint, "KJOENN"));
    fix_fails(&f, "import xx/KJOENN", MD_ERR_NAME, "no datastore is connected");
    int64_t rows = fix_rows(&f);
    fix_fails(&f, "import db/STAT 2023-06-01 as s2", MD_ERR_VALUE, "");
    assert_int_equal(fix_rows(&f), rows);
    assert_null(dataset_column(workspace_active(f.ws), "s2"));
    fix_close(&f);
}

static void test_import_event(void **state)
{
    (void)state;
    Fixture f;
    fix_open(&f, false);
    fix_ok(&f, REQ "create-dataset e\nimport-event db/SIV 2023-01-01 to 2023-12-31 as s");
    assert_int_equal(fix_rows(&f), 10); /* only the second spell overlaps 2023 */
    assert_int_equal(workspace_active(f.ws)->shape, SHAPE_EVENT);
    assert_string_equal(fix_string(&f, "s", 0), "4");
    assert_true(fix_number(&f, "START@s", 0) == date_from_ymd(2022, 7, 1));
    assert_true(fix_number(&f, "STOP@s", 0) == date_from_ymd(2023, 12, 31)); /* id 1 */
    assert_true(isnan(fix_number(&f, "STOP@s", 1)));                         /* id 2: open */
    fix_fails(&f, "import db/KJOENN", MD_ERR_VALUE, "event data");
    fix_fails(&f, "import-event db/SIV 2020-01-01 to 2023-12-31 as t", MD_ERR_VALUE,
              "dataset of its own");
    fix_ok(&f, "create-dataset e2\nimport-event db/SIV 2020-01-01 to 2023-12-31");
    assert_int_equal(fix_rows(&f), 20);
    assert_int_equal(workspace_active(f.ws)->unit_ids[1], 1);
    assert_true(fix_number(&f, "START@SIV", 1) > fix_number(&f, "START@SIV", 0));
    fix_fails(&f, "create-dataset e3\nimport-event db/KJOENN 2020-01-01 to 2023-12-31",
              MD_ERR_TYPE, "not an event variable");
    fix_fails(&f, "import-event db/SIV 2023-01-01 to 2020-01-01", MD_ERR_VALUE, "ends before");
    fix_close(&f);
}

static void test_import_panel(void **state)
{
    (void)state;
    Fixture f;
    fix_open(&f, false);
    fix_fails(&f, REQ "create-dataset p\nimport db/KJOENN\n"
                      "import-panel db/INNT 2022-01-01 2023-01-01",
              MD_ERR_VALUE, "already holds variables");
    fix_ok(&f, "import db/INNT 2022-12-31 as i\nkeep if i < 11000\nclone-units p q\nuse q\n"
               "import-panel db/INNT db/KJOENN 2023-01-01 2022-01-01");
    Dataset *ds = workspace_active(f.ws);
    assert_int_equal(ds->shape, SHAPE_PANEL);
    assert_int_equal(ds->n_rows, 20);
    assert_true(fix_number(&f, "date@panel", 0) == date_from_ymd(2022, 1, 1));
    assert_true(fix_number(&f, "date@panel", 1) == date_from_ymd(2023, 1, 1));
    assert_true(fix_number(&f, "INNT", 0) == 1000);
    assert_true(fix_number(&f, "INNT", 1) == 1001);
    assert_string_equal(fix_string(&f, "KJOENN", 3), "2");
    fix_close(&f);
}

static void test_execute_entries(void **state)
{
    (void)state;
    Fixture f;
    fix_open(&f, false);
    fix_ok(&f, "textblock\n# Title\nendblock\ncreate-dataset a");
    assert_int_equal(result_doc_entry_count(f.doc), 2);
    assert_int_equal(result_entry_kind(result_doc_entry_at(f.doc, 0)), ENTRY_TEXT);
    assert_int_equal(result_entry_kind(result_doc_entry_at(f.doc, 1)), ENTRY_MESSAGE);
    /* a command lang knows but no table binds */
    static const OptionSpec none[] = {{NULL, 0, 0}};
    const CommandSpec spec = {"no-such-command", GROUP_SUPPORT, GRAMMAR_NONE, false, none,
                              "no-such-command", "test"};
    Command c = {.spec = &spec, .text = "no-such-command", .line = 7, .column = 1};
    md_error_clear(&f.err);
    assert_int_equal(engine_execute(f.ws, &c, f.doc, &f.err), MD_ERR_NOT_IMPLEMENTED);
    assert_string_equal(f.err.message, "'no-such-command' is not yet implemented");
    assert_int_equal(f.err.line, 7);
    assert_int_equal(result_doc_entry_count(f.doc), 3);
    assert_int_equal(result_entry_kind(result_doc_entry_at(f.doc, 2)), ENTRY_ERROR);
    /* a script stops at the first error: the third command does not run */
    fix_fails(&f, "create-dataset b\nuse nothing\ncreate-dataset c", MD_ERR_NAME, "nothing");
    assert_non_null(workspace_dataset(f.ws, "b"));
    assert_null(workspace_dataset(f.ws, "c"));
    assert_int_equal(result_doc_entry_count(f.doc), 5);
    assert_int_equal(f.ws->n_history, 2); /* create-dataset a, create-dataset b */
    fix_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_execute_entries),
        cmocka_unit_test(test_require_versions),
        cmocka_unit_test(test_require_synthetic_any_version),
        cmocka_unit_test(test_datasets),
        cmocka_unit_test(test_import_population_and_left_join),
        cmocka_unit_test(test_import_outer_join_and_errors),
        cmocka_unit_test(test_import_event),
        cmocka_unit_test(test_import_panel),
    };
    return cmocka_run_group_tests(tests, NULL, fix_remove_all);
}
