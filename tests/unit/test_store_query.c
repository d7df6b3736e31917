/*
 * test_store_query.c - the temporal queries of the datastore (spec/datastore.md section 2,
 * language.md 3.3-3.4) on a small store built through the writer: STATUS at status dates
 * and elsewhere, ACCUMULATED on the first and last day of a period and between periods,
 * EVENT spells at a date and over periods (touching ends, open stops, starts not clipped),
 * FIXED, populations (empty, all, disjoint, interleaved, small), views against copies and
 * string dictionaries.
 */
#include "store_fixture.h"

typedef struct Fixture {
    char tmp[256];
    char dir[300];
    Store *store;
    StoreVersion *v;
} Fixture;

static const int32_t status_dates[] = {0, 0, 0};

/* BEF (STATUS at 2020-01-01, 2021-01-01, 2022-01-01): ids 1..4 at 2020, 2..5 at 2021. */
static void write_status(Store *store)
{
    int32_t dates[3] = {D(2020, 1, 1), D(2021, 1, 1), D(2022, 1, 1)};
    VariableInfo info = fixture_info("BEF", TEMPORALITY_STATUS, VALUE_LONG);
    info.status_dates = dates;
    info.n_status_dates = 3;
    info.valid_from = D(2020, 1, 1);
    info.valid_until = D(2022, 1, 1);
    uint64_t ids[] = {1, 2, 2, 3, 3, 4, 4, 5};
    int32_t st[] = {dates[0], dates[0], dates[1], dates[0], dates[1], dates[0], dates[1],
                    dates[1]};
    int64_t val[] = {10, 20, 21, 30, 31, 40, 41, 51};
    assert_int_equal(fixture_write_longs(store, &info, 8, ids, st, st, val, NULL), MD_OK);
    (void)status_dates;
}

/* INNT (ACCUMULATED): yearly 2019-2021 for unit 1; unit 2 has 2020-07-01..2021-06-30 and
 * 2021-07-01..2021-12-31; unit 3 has 2019 and 2021 (a gap in 2020). */
static void write_accumulated(Store *store)
{
    VariableInfo info = fixture_info("INNT", TEMPORALITY_ACCUMULATED, VALUE_LONG);
    uint64_t ids[] = {1, 1, 1, 2, 2, 3, 3};
    int32_t st[] = {D(2019, 1, 1), D(2020, 1, 1), D(2021, 1, 1), D(2020, 7, 1), D(2021, 7, 1),
                    D(2019, 1, 1), D(2021, 1, 1)};
    int32_t sp[] = {D(2019, 12, 31), D(2020, 12, 31), D(2021, 12, 31), D(2021, 6, 30),
                    D(2021, 12, 31), D(2019, 12, 31), D(2021, 12, 31)};
    int64_t val[] = {119, 120, 121, 220, 221, 319, 321};
    assert_int_equal(fixture_write_longs(store, &info, 7, ids, st, sp, val, NULL), MD_OK);
}

/* SIVIL (EVENT): unit 1 [2000-01-01, 2005-12-31] then [2006-01-01, open); unit 2
 * [2010-05-01, 2010-05-31]; unit 3 [2019-12-31, 2020-01-01]; unit 4 [1990-01-01, open). */
static void write_event(Store *store)
{
    VariableInfo info = fixture_info("SIVIL", TEMPORALITY_EVENT, VALUE_LONG);
    uint64_t ids[] = {1, 1, 2, 3, 4};
    int32_t st[] = {D(2000, 1, 1), D(2006, 1, 1), D(2010, 5, 1), D(2019, 12, 31), D(1990, 1, 1)};
    int32_t sp[] = {D(2005, 12, 31), DATE_OPEN, D(2010, 5, 31), D(2020, 1, 1), DATE_OPEN};
    int64_t val[] = {11, 12, 21, 31, 41};
    assert_int_equal(fixture_write_longs(store, &info, 5, ids, st, sp, val, NULL), MD_OK);
}

/* KJONN (FIXED): ids 2, 4, 6, 8, 10 with values id % 3. */
static void write_fixed(Store *store)
{
    VariableInfo info = fixture_info("KJONN", TEMPORALITY_FIXED, VALUE_LONG);
    uint64_t ids[] = {2, 4, 6, 8, 10};
    int32_t st[] = {DATE_NONE, DATE_NONE, DATE_NONE, DATE_NONE, DATE_NONE};
    int32_t sp[] = {D(2020, 1, 1), D(2020, 1, 1), D(2020, 1, 1), D(2020, 1, 1), D(2020, 1, 1)};
    int64_t val[] = {2, 1, 0, 2, 1};
    assert_int_equal(fixture_write_longs(store, &info, 5, ids, st, sp, val, NULL), MD_OK);
}

/* YRKE (STATUS, STRING) at two dates; the second date brings a new string. */
static void write_strings(Store *store)
{
    MdError err;
    md_error_clear(&err);
    VariableInfo info = fixture_info("YRKE", TEMPORALITY_STATUS, VALUE_STRING);
    VariableWriter *w = variable_writer_new(store, &info, &err);
    assert_non_null(w);
    const char *dict1[] = {"lærer", "snekker"};
    uint64_t ids1[] = {1, 2, 3};
    int32_t d1[] = {D(2020, 1, 1), D(2020, 1, 1), D(2020, 1, 1)};
    uint32_t s1[] = {1, 0, 1};
    Spells rows = {.n = 3, .type = VALUE_STRING, .unit_ids = ids1, .starts = d1, .stops = d1,
                   .string_ids = s1, .dictionary = dict1, .n_dictionary = 2};
    assert_int_equal(variable_writer_add(w, &rows, &err), MD_OK);
    const char *dict2[] = {"Øvrige", "lærer"};
    uint64_t ids2[] = {1, 3};
    int32_t d2[] = {D(2021, 1, 1), D(2021, 1, 1)};
    uint32_t s2[] = {0, 1};
    Spells rows2 = {.n = 2, .type = VALUE_STRING, .unit_ids = ids2, .starts = d2, .stops = d2,
                    .string_ids = s2, .dictionary = dict2, .n_dictionary = 2};
    assert_int_equal(variable_writer_add(w, &rows2, &err), MD_OK);
    assert_int_equal(variable_writer_commit(w, &err), MD_OK);
}

static int setup(void **state)
{
    Fixture *f = calloc(1, sizeof *f);
    fixture_store_dir(f->tmp, sizeof f->tmp, f->dir, sizeof f->dir);
    MdError err;
    md_error_clear(&err);
    f->store = store_open(f->dir, &err);
    assert_non_null(f->store);
    write_status(f->store);
    write_accumulated(f->store);
    write_event(f->store);
    write_fixed(f->store);
    write_strings(f->store);
    f->v = fixture_version(f->store, "draft");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    Fixture *f = *state;
    store_version_close(f->v);
    store_close(f->store);
    fixture_rm_rf(f->tmp);
    free(f);
    return 0;
}

static const VariableInfo *var(Fixture *f, const char *name)
{
    const VariableInfo *info = store_version_variable(f->v, name);
    assert_non_null(info);
    return info;
}

static Spells at(Fixture *f, const char *name, int32_t date, const Population *pop)
{
    Spells s;
    MdError err;
    md_error_clear(&err);
    if (store_query_at(f->v, var(f, name), date, pop, &s, &err) != MD_OK)
        fail_msg("query_at %s failed: %s", name, err.message);
    return s;
}

static Spells period(Fixture *f, const char *name, int32_t from, int32_t to,
                     const Population *pop)
{
    Spells s;
    MdError err;
    md_error_clear(&err);
    if (store_query_period(f->v, var(f, name), from, to, pop, &s, &err) != MD_OK)
        fail_msg("query_period %s failed: %s", name, err.message);
    return s;
}

static void expect_longs(const Spells *s, int64_t n, const uint64_t *ids, const int64_t *vals)
{
    assert_int_equal(s->n, n);
    for (int64_t i = 0; i < n; i++) {
        assert_int_equal(s->unit_ids[i], ids[i]);
        assert_int_equal(s->longs[i], vals[i]);
    }
}

/* ==== STATUS =========================================================================== */

static void status_at_status_date_is_a_view(void **state)
{
    Fixture *f = *state;
    Spells s = at(f, "BEF", D(2021, 1, 1), NULL);
    expect_longs(&s, 4, (uint64_t[]){2, 3, 4, 5}, (int64_t[]){21, 31, 41, 51});
    assert_true(s.is_view);
    assert_int_equal(s.starts[0], D(2021, 1, 1));
    assert_int_equal(s.stops[3], D(2021, 1, 1));
    spells_free(&s);
}

static void status_at_date_without_rows_is_empty(void **state)
{
    Fixture *f = *state;
    Spells s = at(f, "BEF", D(2022, 1, 1), NULL);
    assert_int_equal(s.n, 0);
    spells_free(&s);
}

static void status_at_other_date_names_nearest_dates(void **state)
{
    Fixture *f = *state;
    Spells s;
    MdError err;
    md_error_clear(&err);
    assert_int_equal(store_query_at(f->v, var(f, "BEF"), D(2020, 6, 1), NULL, &s, &err),
                     MD_ERR_VALUE);
    assert_non_null(strstr(err.message, "2020-06-01"));
    assert_non_null(strstr(err.message, "2020-01-01 (before)"));
    assert_non_null(strstr(err.message, "2021-01-01 (after)"));
    md_error_clear(&err);
    assert_int_equal(store_query_at(f->v, var(f, "BEF"), D(2019, 12, 31), NULL, &s, &err),
                     MD_ERR_VALUE);
    assert_non_null(strstr(err.message, "none (before) and 2020-01-01 (after)"));
    md_error_clear(&err);
    assert_int_equal(store_query_at(f->v, var(f, "BEF"), D(2030, 1, 1), NULL, &s, &err),
                     MD_ERR_VALUE);
    assert_non_null(strstr(err.message, "2022-01-01 (before) and none (after)"));
}

static void status_population_interleaved_is_a_copy(void **state)
{
    Fixture *f = *state;
    uint64_t pop_ids[] = {0, 2, 5, 7};
    Population pop = {pop_ids, 4};
    Spells s = at(f, "BEF", D(2021, 1, 1), &pop);
    expect_longs(&s, 2, (uint64_t[]){2, 5}, (int64_t[]){21, 51});
    assert_false(s.is_view);
    spells_free(&s);
}

static void population_edges(void **state)
{
    Fixture *f = *state;
    Population empty = {NULL, 0};
    Spells s = at(f, "BEF", D(2020, 1, 1), &empty);
    assert_int_equal(s.n, 0);
    spells_free(&s);
    uint64_t all_ids[] = {1, 2, 3, 4};
    Population all = {all_ids, 4};
    s = at(f, "BEF", D(2020, 1, 1), &all);
    expect_longs(&s, 4, all_ids, (int64_t[]){10, 20, 30, 40});
    spells_free(&s);
    uint64_t disjoint_ids[] = {6, 7, 100};
    Population disjoint = {disjoint_ids, 3};
    s = at(f, "BEF", D(2020, 1, 1), &disjoint);
    assert_int_equal(s.n, 0);
    spells_free(&s);
    uint64_t before_ids[] = {0};
    Population before = {before_ids, 1};
    s = at(f, "BEF", D(2020, 1, 1), &before);
    assert_int_equal(s.n, 0);
    spells_free(&s);
    uint64_t last_id[] = {4};
    Population last = {last_id, 1};
    s = at(f, "BEF", D(2020, 1, 1), &last);
    expect_longs(&s, 1, last_id, (int64_t[]){40});
    spells_free(&s);
}

/* ==== ACCUMULATED ====================================================================== */

static void accumulated_first_and_last_day_of_period(void **state)
{
    Fixture *f = *state;
    Spells s = at(f, "INNT", D(2019, 1, 1), NULL);
    expect_longs(&s, 2, (uint64_t[]){1, 3}, (int64_t[]){119, 319});
    spells_free(&s);
    s = at(f, "INNT", D(2019, 12, 31), NULL);
    expect_longs(&s, 2, (uint64_t[]){1, 3}, (int64_t[]){119, 319});
    assert_int_equal(s.starts[1], D(2019, 1, 1));
    assert_int_equal(s.stops[1], D(2019, 12, 31));
    spells_free(&s);
}

static void accumulated_spanning_period_merges_parts(void **state)
{
    Fixture *f = *state;
    /* 2021-03-01: unit 1 (2021 part), unit 2's period started 2020, unit 3 (2021). */
    Spells s = at(f, "INNT", D(2021, 3, 1), NULL);
    expect_longs(&s, 3, (uint64_t[]){1, 2, 3}, (int64_t[]){121, 220, 321});
    assert_int_equal(s.starts[1], D(2020, 7, 1));
    assert_false(s.is_view);
    spells_free(&s);
    /* 2020-03-01: unit 1 only; unit 2 starts in July, unit 3 has a gap. */
    s = at(f, "INNT", D(2020, 3, 1), NULL);
    expect_longs(&s, 1, (uint64_t[]){1}, (int64_t[]){120});
    spells_free(&s);
    /* Day after unit 2's first period ends, its second begins. */
    s = at(f, "INNT", D(2021, 7, 1), NULL);
    expect_longs(&s, 3, (uint64_t[]){1, 2, 3}, (int64_t[]){121, 221, 321});
    spells_free(&s);
}

static void accumulated_outside_validity_is_empty(void **state)
{
    Fixture *f = *state;
    Spells s = at(f, "INNT", D(2018, 12, 31), NULL);
    assert_int_equal(s.n, 0);
    spells_free(&s);
    s = at(f, "INNT", D(2022, 1, 1), NULL);
    assert_int_equal(s.n, 0);
    spells_free(&s);
    const VariableInfo *info = var(f, "INNT");
    assert_int_equal(info->valid_from, D(2019, 1, 1));
    assert_int_equal(info->valid_until, D(2021, 12, 31));
}

static void accumulated_period_lists_every_overlap(void **state)
{
    Fixture *f = *state;
    Spells s = period(f, "INNT", D(2020, 12, 31), D(2021, 1, 1), NULL);
    expect_longs(&s, 4, (uint64_t[]){1, 1, 2, 3}, (int64_t[]){120, 121, 220, 321});
    spells_free(&s);
}

/* ==== EVENT ============================================================================ */

static void event_at_covering_spell_and_touching_ends(void **state)
{
    Fixture *f = *state;
    Spells s = at(f, "SIVIL", D(2005, 12, 31), NULL);
    expect_longs(&s, 2, (uint64_t[]){1, 4}, (int64_t[]){11, 41});
    spells_free(&s);
    s = at(f, "SIVIL", D(2006, 1, 1), NULL);
    expect_longs(&s, 2, (uint64_t[]){1, 4}, (int64_t[]){12, 41});
    assert_int_equal(s.stops[0], DATE_OPEN);
    spells_free(&s);
    s = at(f, "SIVIL", D(2010, 5, 31), NULL);
    expect_longs(&s, 3, (uint64_t[]){1, 2, 4}, (int64_t[]){12, 21, 41});
    spells_free(&s);
    s = at(f, "SIVIL", D(2010, 6, 1), NULL);
    expect_longs(&s, 2, (uint64_t[]){1, 4}, (int64_t[]){12, 41});
    spells_free(&s);
    s = at(f, "SIVIL", D(1989, 12, 31), NULL);
    assert_int_equal(s.n, 0);
    spells_free(&s);
}

static void event_open_stop_overlaps_far_future(void **state)
{
    Fixture *f = *state;
    Spells s = at(f, "SIVIL", D(2050, 1, 1), NULL);
    expect_longs(&s, 2, (uint64_t[]){1, 4}, (int64_t[]){12, 41});
    spells_free(&s);
    s = period(f, "SIVIL", D(2040, 1, 1), D(2041, 1, 1), NULL);
    expect_longs(&s, 2, (uint64_t[]){1, 4}, (int64_t[]){12, 41});
    assert_int_equal(s.starts[1], D(1990, 1, 1)); /* not clipped */
    spells_free(&s);
}

static void event_period_overlapping_window_ends(void **state)
{
    Fixture *f = *state;
    /* Window ends on the day unit 3's spell starts and starts on unit 1's first stop. */
    Spells s = period(f, "SIVIL", D(2005, 12, 31), D(2019, 12, 31), NULL);
    expect_longs(&s, 5, (uint64_t[]){1, 1, 2, 3, 4}, (int64_t[]){11, 12, 21, 31, 41});
    assert_int_equal(s.starts[0], D(2000, 1, 1));
    assert_true(s.is_view);
    spells_free(&s);
    /* One day after unit 3's spell: it ends 2020-01-01, so 2020-01-02 misses it. */
    s = period(f, "SIVIL", D(2020, 1, 2), D(2020, 12, 31), NULL);
    expect_longs(&s, 2, (uint64_t[]){1, 4}, (int64_t[]){12, 41});
    assert_false(s.is_view);
    spells_free(&s);
    /* A window strictly inside unit 2's spell. */
    s = period(f, "SIVIL", D(2010, 5, 10), D(2010, 5, 11), NULL);
    expect_longs(&s, 3, (uint64_t[]){1, 2, 4}, (int64_t[]){12, 21, 41});
    spells_free(&s);
}

static void event_period_before_everything_is_empty(void **state)
{
    Fixture *f = *state;
    Spells s = period(f, "SIVIL", D(1980, 1, 1), D(1989, 12, 31), NULL);
    assert_int_equal(s.n, 0);
    spells_free(&s);
}

static void event_period_with_population(void **state)
{
    Fixture *f = *state;
    uint64_t ids[] = {1, 3};
    Population pop = {ids, 2};
    Spells s = period(f, "SIVIL", D(2000, 1, 1), D(2030, 1, 1), &pop);
    expect_longs(&s, 3, (uint64_t[]){1, 1, 3}, (int64_t[]){11, 12, 31});
    spells_free(&s);
}

static void period_with_start_after_stop_is_an_error(void **state)
{
    Fixture *f = *state;
    Spells s;
    MdError err;
    md_error_clear(&err);
    assert_int_equal(store_query_period(f->v, var(f, "SIVIL"), D(2021, 1, 1), D(2020, 1, 1),
                                        NULL, &s, &err), MD_ERR_VALUE);
}

/* ==== FIXED ============================================================================ */

static void fixed_all_rows_is_a_view(void **state)
{
    Fixture *f = *state;
    Spells s;
    MdError err;
    md_error_clear(&err);
    assert_int_equal(store_query_fixed(f->v, var(f, "KJONN"), NULL, &s, &err), MD_OK);
    expect_longs(&s, 5, (uint64_t[]){2, 4, 6, 8, 10}, (int64_t[]){2, 1, 0, 2, 1});
    assert_true(s.is_view);
    assert_int_equal(s.starts[0], DATE_NONE);
    spells_free(&s);
    uint64_t ids[] = {1, 4, 5, 10, 11};
    Population pop = {ids, 5};
    assert_int_equal(store_query_fixed(f->v, var(f, "KJONN"), &pop, &s, &err), MD_OK);
    expect_longs(&s, 2, (uint64_t[]){4, 10}, (int64_t[]){1, 1});
    spells_free(&s);
}

static void fixed_refuses_a_date(void **state)
{
    Fixture *f = *state;
    Spells s;
    MdError err;
    md_error_clear(&err);
    assert_int_equal(store_query_at(f->v, var(f, "KJONN"), D(2020, 1, 1), NULL, &s, &err),
                     MD_ERR_VALUE);
    assert_non_null(strstr(err.message, "FIXED"));
    md_error_clear(&err);
    assert_int_equal(store_query_period(f->v, var(f, "KJONN"), 0, 1, NULL, &s, &err),
                     MD_ERR_VALUE);
}

static void fixed_query_of_event_gives_all_spells(void **state)
{
    Fixture *f = *state;
    Spells s;
    MdError err;
    md_error_clear(&err);
    assert_int_equal(store_query_fixed(f->v, var(f, "SIVIL"), NULL, &s, &err), MD_OK);
    assert_int_equal(s.n, 5);
    spells_free(&s);
}

/* ==== Strings ========================================================================== */

static void string_dictionary_of_each_date(void **state)
{
    Fixture *f = *state;
    Spells s = at(f, "YRKE", D(2020, 1, 1), NULL);
    assert_int_equal(s.n, 3);
    assert_string_equal(s.dictionary[s.string_ids[0]], "snekker");
    assert_string_equal(s.dictionary[s.string_ids[1]], "lærer");
    assert_string_equal(s.dictionary[s.string_ids[2]], "snekker");
    spells_free(&s);
    s = at(f, "YRKE", D(2021, 1, 1), NULL);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.dictionary[s.string_ids[0]], "Øvrige");
    assert_string_equal(s.dictionary[s.string_ids[1]], "lærer");
    assert_int_equal(s.n_dictionary, 3);
    spells_free(&s);
    const VariableInfo *info = var(f, "YRKE");
    assert_int_equal(info->n_status_dates, 2);
    assert_int_equal(info->status_dates[1], D(2021, 1, 1));
}

static void string_period_over_parts_uses_one_dictionary(void **state)
{
    Fixture *f = *state;
    Spells s = period(f, "YRKE", D(2019, 1, 1), D(2022, 1, 1), NULL);
    assert_int_equal(s.n, 5);
    assert_int_equal(s.unit_ids[0], 1);
    assert_string_equal(s.dictionary[s.string_ids[0]], "snekker");
    assert_string_equal(s.dictionary[s.string_ids[1]], "Øvrige");
    assert_int_equal(s.starts[1], D(2021, 1, 1));
    assert_string_equal(s.dictionary[s.string_ids[2]], "lærer");
    spells_free(&s);
}

static void unknown_variable_info_is_refused(void **state)
{
    Fixture *f = *state;
    VariableInfo other = fixture_info("FINNES_IKKE", TEMPORALITY_FIXED, VALUE_LONG);
    Spells s;
    MdError err;
    md_error_clear(&err);
    assert_int_equal(store_query_fixed(f->v, &other, NULL, &s, &err), MD_ERR_NAME);
}


static void double_and_date_values_round_trip(void **state)
{
    Fixture *f = *state;
    MdError err;
    md_error_clear(&err);
    VariableInfo dinfo = fixture_info("PST", TEMPORALITY_STATUS, VALUE_DOUBLE);
    VariableWriter *w = variable_writer_new(f->store, &dinfo, &err);
    assert_non_null(w);
    /* Rows of two dates for one unit, sorted by unit then start, in one batch. */
    int32_t at[] = {D(2020, 1, 16), D(2020, 2, 16), D(2020, 1, 16)};
    Spells rows = {.n = 3, .type = VALUE_DOUBLE, .unit_ids = (uint64_t[]){7, 7, 9},
                   .starts = at, .stops = at, .doubles = (double[]){0.5, 100.25, -1e300}};
    assert_int_equal(variable_writer_add(w, &rows, &err), MD_OK);
    assert_int_equal(variable_writer_commit(w, &err), MD_OK);
    VariableInfo tinfo = fixture_info("DATO", TEMPORALITY_EVENT, VALUE_DATE);
    w = variable_writer_new(f->store, &tinfo, &err);
    Spells trows = {.n = 2, .type = VALUE_DATE, .unit_ids = (uint64_t[]){1, 2},
                    .starts = (int32_t[]){D(2001, 1, 1), D(1969, 12, 31)},
                    .stops = (int32_t[]){DATE_OPEN, D(1970, 1, 1)},
                    .dates = (int32_t[]){D(1950, 6, 1), -1}};
    assert_int_equal(variable_writer_add(w, &trows, &err), MD_OK);
    assert_int_equal(variable_writer_commit(w, &err), MD_OK);
    StoreVersion *v = fixture_version(f->store, "draft");
    Spells s;
    assert_int_equal(store_query_at(v, store_version_variable(v, "PST"), D(2020, 1, 16), NULL,
                                    &s, &err), MD_OK);
    assert_int_equal(s.n, 2);
    assert_true(s.doubles[0] == 0.5);
    assert_true(s.doubles[1] == -1e300);
    spells_free(&s);
    assert_int_equal(store_query_period(v, store_version_variable(v, "DATO"), D(1969, 1, 1),
                                        D(1969, 12, 31), NULL, &s, &err), MD_OK);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.dates[0], -1);
    assert_int_equal(s.starts[0], D(1969, 12, 31)); /* dates before 1970 are negative */
    spells_free(&s);
    assert_int_equal(store_query_at(v, store_version_variable(v, "DATO"), D(2030, 1, 1), NULL,
                                    &s, &err), MD_OK);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.dates[0], D(1950, 6, 1));
    spells_free(&s);
    store_version_close(v);
}

/* R17: a query that fails for memory names no size (the row count of a population is a
 * count of units); each allocation of the query fails in turn and nothing leaks. */
static void failed_query_names_no_size(void **state)
{
    Fixture *f = *state;
    uint64_t pop_ids[] = {0, 2, 5, 7};
    Population pop = {pop_ids, 4};
    int failures = 0;
    for (int64_t n = 0; n < 40; n++) {
        Spells s;
        MdError err;
        md_error_clear(&err);
        md_mem_fail_after(n);
        MdStatus st = store_query_at(f->v, var(f, "BEF"), D(2021, 1, 1), &pop, &s, &err);
        md_mem_fail_after(-1);
        if (st == MD_OK) {
            expect_longs(&s, 2, (uint64_t[]){2, 5}, (int64_t[]){21, 51});
            spells_free(&s);
            break;
        }
        failures++;
        assert_int_equal(st, MD_ERR_MEMORY);
        for (const char *c = err.message; *c; c++)
            assert_false(*c >= '0' && *c <= '9');
    }
    assert_true(failures > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(status_at_status_date_is_a_view),
        cmocka_unit_test(status_at_date_without_rows_is_empty),
        cmocka_unit_test(status_at_other_date_names_nearest_dates),
        cmocka_unit_test(status_population_interleaved_is_a_copy),
        cmocka_unit_test(population_edges),
        cmocka_unit_test(accumulated_first_and_last_day_of_period),
        cmocka_unit_test(accumulated_spanning_period_merges_parts),
        cmocka_unit_test(accumulated_outside_validity_is_empty),
        cmocka_unit_test(accumulated_period_lists_every_overlap),
        cmocka_unit_test(event_at_covering_spell_and_touching_ends),
        cmocka_unit_test(event_open_stop_overlaps_far_future),
        cmocka_unit_test(event_period_overlapping_window_ends),
        cmocka_unit_test(event_period_before_everything_is_empty),
        cmocka_unit_test(event_period_with_population),
        cmocka_unit_test(period_with_start_after_stop_is_an_error),
        cmocka_unit_test(fixed_all_rows_is_a_view),
        cmocka_unit_test(fixed_refuses_a_date),
        cmocka_unit_test(fixed_query_of_event_gives_all_spells),
        cmocka_unit_test(string_dictionary_of_each_date),
        cmocka_unit_test(string_period_over_parts_uses_one_dictionary),
        cmocka_unit_test(unknown_variable_info_is_refused),
        cmocka_unit_test(double_and_date_values_round_trip),
        cmocka_unit_test(failed_query_names_no_size),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
