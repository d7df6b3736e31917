/*
 * test_store_release.c - versions of a datastore: the first release is 1.0.0, a new
 * variable bumps MINOR, a replaced variable bumps MAJOR, an unchanged draft is refused, a
 * release never changes when the draft changes later, unknown versions name the versions
 * that exist, and the metadata lookups of a version (suggestions, code labels by date).
 */
#include "store_fixture.h"

typedef struct Fixture {
    char tmp[256];
    char dir[300];
    Store *store;
} Fixture;

static int setup(void **state)
{
    Fixture *f = calloc(1, sizeof *f);
    fixture_store_dir(f->tmp, sizeof f->tmp, f->dir, sizeof f->dir);
    MdError err;
    md_error_clear(&err);
    f->store = store_open(f->dir, &err);
    assert_non_null(f->store);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    Fixture *f = *state;
    store_close(f->store);
    fixture_rm_rf(f->tmp);
    free(f);
    return 0;
}

/* A FIXED variable name with values base + id for ids 1..3. */
static void write_fixed(Store *store, const char *name, int64_t base)
{
    VariableInfo info = fixture_info(name, TEMPORALITY_FIXED, VALUE_LONG);
    uint64_t ids[] = {1, 2, 3};
    int32_t st[] = {DATE_NONE, DATE_NONE, DATE_NONE};
    int32_t sp[] = {100, 100, 100};
    int64_t val[] = {base + 1, base + 2, base + 3};
    assert_int_equal(fixture_write_longs(store, &info, 3, ids, st, sp, val, NULL), MD_OK);
}

static void release_expect(Store *store, const char *label)
{
    char got[32];
    MdError err;
    md_error_clear(&err);
    if (store_release(store, got, sizeof got, &err) != MD_OK)
        fail_msg("release failed: %s", err.message);
    assert_string_equal(got, label);
}

static int64_t first_value(Store *store, const char *version, const char *name)
{
    StoreVersion *v = fixture_version(store, version);
    const VariableInfo *info = store_version_variable(v, name);
    assert_non_null(info);
    Spells s;
    MdError err;
    md_error_clear(&err);
    assert_int_equal(store_query_fixed(v, info, NULL, &s, &err), MD_OK);
    assert_int_equal(s.n, 3);
    int64_t value = s.longs[0];
    spells_free(&s);
    store_version_close(v);
    return value;
}

static void empty_draft_cannot_be_released(void **state)
{
    Fixture *f = *state;
    char label[32];
    MdError err;
    md_error_clear(&err);
    assert_int_equal(store_release(f->store, label, sizeof label, &err), MD_ERR_VALUE);
    assert_non_null(strstr(err.message, "nothing to release"));
}

static void bumps_follow_add_and_change(void **state)
{
    Fixture *f = *state;
    write_fixed(f->store, "A", 0);
    release_expect(f->store, "1.0.0");
    write_fixed(f->store, "B", 10);
    release_expect(f->store, "1.1.0");
    write_fixed(f->store, "C", 20);
    release_expect(f->store, "1.2.0");
    write_fixed(f->store, "A", 100); /* replaces A: a change */
    release_expect(f->store, "2.0.0");
    write_fixed(f->store, "D", 30);
    write_fixed(f->store, "B", 200); /* add and change together: MAJOR wins */
    release_expect(f->store, "3.0.0");
    assert_int_equal(store_release_count(f->store), 5);
    assert_string_equal(store_release_at(f->store, 0), "1.0.0");
    assert_string_equal(store_release_at(f->store, 4), "3.0.0");
    assert_null(store_release_at(f->store, 5));
    assert_string_equal(store_latest_release(f->store), "3.0.0");
}

static void unchanged_draft_is_refused(void **state)
{
    Fixture *f = *state;
    write_fixed(f->store, "A", 0);
    release_expect(f->store, "1.0.0");
    char label[32];
    MdError err;
    md_error_clear(&err);
    assert_int_equal(store_release(f->store, label, sizeof label, &err), MD_ERR_VALUE);
    assert_non_null(strstr(err.message, "equals release 1.0.0"));
}

static void release_does_not_change_with_the_draft(void **state)
{
    Fixture *f = *state;
    write_fixed(f->store, "A", 0);
    release_expect(f->store, "1.0.0");
    write_fixed(f->store, "A", 100);
    write_fixed(f->store, "B", 10);
    assert_int_equal(first_value(f->store, "1.0.0", "A"), 1);
    assert_int_equal(first_value(f->store, "draft", "A"), 101);
    StoreVersion *v = fixture_version(f->store, "1.0.0");
    assert_int_equal(store_version_variable_count(v), 1);
    assert_null(store_version_variable(v, "B"));
    store_version_close(v);
    release_expect(f->store, "2.0.0");
    assert_int_equal(first_value(f->store, "1.0.0", "A"), 1);
    assert_int_equal(first_value(f->store, "2.0.0", "A"), 101);
    assert_int_equal(first_value(f->store, "2.0.0", "B"), 11);
}

static void reopened_store_sees_releases(void **state)
{
    Fixture *f = *state;
    write_fixed(f->store, "A", 0);
    release_expect(f->store, "1.0.0");
    MdError err;
    md_error_clear(&err);
    Store *again = store_open(f->dir, &err);
    assert_non_null(again);
    assert_int_equal(store_release_count(again), 1);
    assert_int_equal(first_value(again, "1.0.0", "A"), 1);
    /* A release made through another handle becomes visible on version open. */
    write_fixed(again, "B", 10);
    release_expect(again, "1.1.0");
    assert_int_equal(first_value(f->store, "1.1.0", "B"), 11);
    store_close(again);
}

static void unknown_version_names_what_exists(void **state)
{
    Fixture *f = *state;
    write_fixed(f->store, "A", 0);
    release_expect(f->store, "1.0.0");
    write_fixed(f->store, "B", 0);
    release_expect(f->store, "1.1.0");
    MdError err;
    md_error_clear(&err);
    assert_null(store_version_open(f->store, "9.9.9", &err));
    assert_int_equal(err.status, MD_ERR_NAME);
    assert_non_null(strstr(err.message, "9.9.9"));
    assert_non_null(strstr(err.message, "1.0.0, 1.1.0, draft"));
    StoreVersion *v = fixture_version(f->store, "DRAFT");
    assert_string_equal(store_version_label(v), "draft");
    store_version_close(v);
}

static void suggest_finds_the_nearest_name(void **state)
{
    Fixture *f = *state;
    write_fixed(f->store, "INNTEKT_WLONN", 0);
    write_fixed(f->store, "BEFOLKNING_KJOENN", 0);
    StoreVersion *v = fixture_version(f->store, "draft");
    assert_string_equal(store_version_suggest(v, "INNTEKT_WLON"), "INNTEKT_WLONN");
    assert_null(store_version_variable(v, "INNTEKT_WLON"));
    /* Variables are listed sorted by name. */
    assert_string_equal(store_version_variable_at(v, 0)->name, "BEFOLKNING_KJOENN");
    assert_string_equal(store_version_variable_at(v, 1)->name, "INNTEKT_WLONN");
    assert_null(store_version_variable_at(v, 2));
    store_version_close(v);
}

static void metadata_round_trips_through_a_release(void **state)
{
    Fixture *f = *state;
    CodeEntry codes[] = {
        {"0301", "Oslo", D(1838, 1, 1), DATE_OPEN, false},
        {"1201", "Bergen", D(1972, 1, 1), DATE_OPEN, false},
        {"0101", "Halden (før 2020)", D(1838, 1, 1), D(2019, 12, 31), false},
        {"0101", "Halden", D(2020, 1, 1), D(2023, 12, 31), false},
        {"9999", "Ukjent", DATE_NONE, DATE_OPEN, true},
    };
    VariableInfo info = fixture_info("BOSTED", TEMPORALITY_FIXED, VALUE_LONG);
    info.title = "Bostedskommune (æøå ÆØÅ)";
    info.description = "Kommune der personen er bosatt";
    info.pointer_to = "KOMMUNE";
    info.format = "YYYYMMDD";
    info.codes = codes;
    info.n_codes = 5;
    info.valid_from = D(1970, 1, 1);
    info.valid_until = DATE_OPEN;
    uint64_t ids[] = {1};
    int32_t st[] = {DATE_NONE}, sp[] = {D(2020, 1, 1)};
    int64_t val[] = {301};
    assert_int_equal(fixture_write_longs(f->store, &info, 1, ids, st, sp, val, NULL), MD_OK);
    release_expect(f->store, "1.0.0");
    StoreVersion *v = fixture_version(f->store, "1.0.0");
    const VariableInfo *got = store_version_variable(v, "BOSTED");
    assert_string_equal(got->title, "Bostedskommune (æøå ÆØÅ)");
    assert_string_equal(got->description, "Kommune der personen er bosatt");
    assert_string_equal(got->unit_type, "PERSON");
    assert_string_equal(got->id_name, "PERSONID_1");
    assert_string_equal(got->pointer_to, "KOMMUNE");
    assert_string_equal(got->format, "YYYYMMDD");
    assert_int_equal(got->temporality, TEMPORALITY_FIXED);
    assert_int_equal(got->valid_from, D(1970, 1, 1));
    assert_int_equal(got->valid_until, DATE_OPEN);
    assert_int_equal(got->n_rows, 1);
    assert_int_equal(got->n_codes, 5);
    /* Sorted by code, then validity start. */
    assert_string_equal(got->codes[0].code, "0101");
    assert_string_equal(got->codes[0].label, "Halden (før 2020)");
    assert_string_equal(got->codes[1].label, "Halden");
    assert_string_equal(got->codes[3].code, "1201");
    assert_true(got->codes[4].is_missing);
    assert_int_equal(got->codes[4].valid_from, DATE_NONE);
    assert_string_equal(variable_code_label(got, "0101", D(2019, 6, 1)), "Halden (før 2020)");
    assert_string_equal(variable_code_label(got, "0101", D(2020, 1, 1)), "Halden");
    assert_null(variable_code_label(got, "0101", D(2024, 1, 1)));
    assert_string_equal(variable_code_label(got, "0101", DATE_NONE), "Halden");
    assert_string_equal(variable_code_label(got, "9999", D(2024, 1, 1)), "Ukjent");
    assert_null(variable_code_label(got, "4242", DATE_NONE));
    store_version_close(v);
}


static void unlisted_release_file_is_invisible(void **state)
{
    Fixture *f = *state;
    write_fixed(f->store, "A", 0);
    release_expect(f->store, "1.0.0");
    /* A crash between writing the release file and the manifest leaves such a file. */
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "cp %s/releases/1.0.0.json %s/releases/1.1.0.json && "
             "chmod 644 %s/releases/1.1.0.json", f->dir, f->dir, f->dir);
    assert_int_equal(system(cmd), 0);
    MdError err;
    md_error_clear(&err);
    assert_null(store_version_open(f->store, "1.1.0", &err));
    assert_int_equal(err.status, MD_ERR_NAME);
    write_fixed(f->store, "B", 0);
    release_expect(f->store, "1.1.0"); /* overwrites the leftover */
    assert_int_equal(first_value(f->store, "1.1.0", "B"), 1);
}

static void interleaved_writers_both_commit(void **state)
{
    Fixture *f = *state;
    MdError err;
    md_error_clear(&err);
    VariableInfo a = fixture_info("A", TEMPORALITY_STATUS, VALUE_LONG);
    VariableInfo b = fixture_info("B", TEMPORALITY_STATUS, VALUE_LONG);
    VariableWriter *wa = variable_writer_new(f->store, &a, &err);
    VariableWriter *wb = variable_writer_new(f->store, &b, &err);
    assert_non_null(wa);
    assert_non_null(wb);
    for (int32_t d = 1; d <= 3; d++) {
        uint64_t ids[] = {1, 2, 3};
        int32_t dates[] = {d, d, d};
        int64_t va[] = {d, d, d}, vb[] = {-d, -d, -d};
        Spells ra = {.n = 3, .type = VALUE_LONG, .unit_ids = ids, .starts = dates,
                     .stops = dates, .longs = va};
        Spells rb = ra;
        rb.longs = vb;
        assert_int_equal(variable_writer_add(wa, &ra, &err), MD_OK);
        assert_int_equal(variable_writer_add(wb, &rb, &err), MD_OK);
    }
    assert_int_equal(variable_writer_commit(wb, &err), MD_OK);
    assert_int_equal(variable_writer_commit(wa, &err), MD_OK);
    StoreVersion *v = fixture_version(f->store, "draft");
    Spells s;
    assert_int_equal(store_query_at(v, store_version_variable(v, "B"), 2, NULL, &s, &err),
                     MD_OK);
    assert_int_equal(s.n, 3);
    assert_int_equal(s.longs[0], -2);
    spells_free(&s);
    assert_int_equal(store_query_at(v, store_version_variable(v, "A"), 3, NULL, &s, &err),
                     MD_OK);
    assert_int_equal(s.longs[2], 3);
    spells_free(&s);
    assert_int_equal(store_version_variable(v, "A")->n_status_dates, 3);
    store_version_close(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(empty_draft_cannot_be_released, setup, teardown),
        cmocka_unit_test_setup_teardown(bumps_follow_add_and_change, setup, teardown),
        cmocka_unit_test_setup_teardown(unchanged_draft_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(release_does_not_change_with_the_draft, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(reopened_store_sees_releases, setup, teardown),
        cmocka_unit_test_setup_teardown(unknown_version_names_what_exists, setup, teardown),
        cmocka_unit_test_setup_teardown(suggest_finds_the_nearest_name, setup, teardown),
        cmocka_unit_test_setup_teardown(metadata_round_trips_through_a_release, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(unlisted_release_file_is_invisible, setup, teardown),
        cmocka_unit_test_setup_teardown(interleaved_writers_both_commit, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
