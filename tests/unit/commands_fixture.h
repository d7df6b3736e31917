/*
 * commands_fixture.h - shared set-up of the engine command tests: a tiny datastore written
 * through the store's public writer (persons 1..N with sex, income, a status code, civil
 * status spells and a family pointer; jobs pointing to persons), a workspace on it, and
 * helpers that run script text and read columns back. Included by test_engine_commands*.c.
 */
#ifndef MDATA_TESTS_COMMANDS_FIXTURE_H
#define MDATA_TESTS_COMMANDS_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <math.h>

#include "engine/commands.h"

#define FIX_PERSONS 40

typedef struct Fixture {
    char dir[256];
    Workspace *ws;
    ResultDoc *doc;
    MdError err;
} Fixture;

/* ==== Writing the store ================================================================ */

static inline void fix_write(Store *store, const VariableInfo *info, Spells *rows)
{
    MdError err;
    md_error_clear(&err);
    VariableWriter *w = variable_writer_new(store, info, &err);
    if (!w)
        fprintf(stderr, "writer: %s\n", err.message);
    assert_non_null(w);
    if (variable_writer_add(w, rows, &err) != MD_OK)
        fprintf(stderr, "add %s: %s\n", info->name, err.message);
    assert_int_equal(err.status, MD_OK);
    if (variable_writer_commit(w, &err) != MD_OK)
        fprintf(stderr, "commit %s: %s\n", info->name, err.message);
    assert_int_equal(err.status, MD_OK);
}

static inline VariableInfo fix_info(const char *name, Temporality t, const char *unit,
                             const char *id_name, ValueType type)
{
    VariableInfo v;
    memset(&v, 0, sizeof v);
    v.name = name;
    v.title = name;
    v.description = "";
    v.temporality = t;
    v.unit_type = unit;
    v.id_name = id_name;
    v.value_type = type;
    v.valid_from = date_from_ymd(2000, 1, 1);
    v.valid_until = date_from_ymd(2024, 12, 31);
    return v;
}

/* Persons 1..FIX_PERSONS: KJOENN '1' for odd ids, '2' for even. */
static inline void fix_write_persons(Store *store)
{
    static uint64_t ids[2 * FIX_PERSONS];
    static int32_t starts[2 * FIX_PERSONS], stops[2 * FIX_PERSONS];
    static uint32_t sids[2 * FIX_PERSONS];
    static int64_t longs[2 * FIX_PERSONS];
    static const char *const dict[] = {"1", "2", "0", "4"};
    static const CodeEntry sex_codes[] = {
        {"1", "Mann", 0, DATE_OPEN, false}, {"2", "Kvinne", 0, DATE_OPEN, false}};
    int32_t d2000 = date_from_ymd(2000, 1, 1);
    for (int i = 0; i < FIX_PERSONS; i++) {
        ids[i] = (uint64_t)i + 1;
        starts[i] = DATE_NONE;
        stops[i] = d2000;
        sids[i] = i % 2 == 0 ? 0 : 1;
        longs[i] = (i / 4) * 4 + 1; /* family = the first of each block of 4 */
    }
    VariableInfo sex = fix_info("KJOENN", TEMPORALITY_FIXED, "PERSON", "PERSONID_1",
                                VALUE_STRING);
    sex.codes = sex_codes;
    sex.n_codes = 2;
    Spells rows = {.n = FIX_PERSONS, .type = VALUE_STRING, .unit_ids = ids, .starts = starts,
                   .stops = stops, .string_ids = sids, .dictionary = dict, .n_dictionary = 2};
    fix_write(store, &sex, &rows);
    VariableInfo fam = fix_info("FAMNR", TEMPORALITY_FIXED, "PERSON", "PERSONID_1",
                                VALUE_LONG);
    fam.pointer_to = "PERSON";
    Spells famrows = {.n = FIX_PERSONS, .type = VALUE_LONG, .unit_ids = ids, .starts = starts,
                      .stops = stops, .longs = longs};
    fix_write(store, &fam, &famrows);
}

/* INNT: yearly income 2022 and 2023 for persons 1..FIX_PERSONS-10 (id * 1000 + year). */
static inline void fix_write_income(Store *store)
{
    static uint64_t ids[2 * FIX_PERSONS];
    static int32_t starts[2 * FIX_PERSONS], stops[2 * FIX_PERSONS];
    static int64_t longs[2 * FIX_PERSONS];
    int64_t n = 0;
    for (int i = 1; i <= FIX_PERSONS - 10; i++) {
        for (int y = 2022; y <= 2023; y++) {
            ids[n] = (uint64_t)i;
            starts[n] = date_from_ymd(y, 1, 1);
            stops[n] = date_from_ymd(y, 12, 31);
            longs[n] = i * 1000 + (y - 2022);
            n++;
        }
    }
    VariableInfo inc = fix_info("INNT", TEMPORALITY_ACCUMULATED, "PERSON", "PERSONID_1",
                                VALUE_LONG);
    Spells rows = {.n = n, .type = VALUE_LONG, .unit_ids = ids, .starts = starts,
                   .stops = stops, .longs = longs};
    fix_write(store, &inc, &rows);
}

/* STAT: status '1' at 2023-01-01 and 2024-01-01 for persons 5..FIX_PERSONS. */
static inline void fix_write_status(Store *store)
{
    static uint64_t ids[2 * FIX_PERSONS];
    static int32_t starts[2 * FIX_PERSONS], stops[2 * FIX_PERSONS];
    static uint32_t sids[2 * FIX_PERSONS];
    static const char *const dict[] = {"1", "3"};
    static int32_t dates[2];
    dates[0] = date_from_ymd(2023, 1, 1);
    dates[1] = date_from_ymd(2024, 1, 1);
    int64_t n = 0;
    for (int i = 5; i <= FIX_PERSONS; i++) {
        for (int k = 0; k < 2; k++) {
            ids[n] = (uint64_t)i;
            starts[n] = stops[n] = dates[k];
            sids[n] = i == FIX_PERSONS && k == 1 ? 1 : 0;
            n++;
        }
    }
    VariableInfo st = fix_info("STAT", TEMPORALITY_STATUS, "PERSON", "PERSONID_1",
                               VALUE_STRING);
    st.status_dates = dates;
    st.n_status_dates = 2;
    Spells rows = {.n = n, .type = VALUE_STRING, .unit_ids = ids, .starts = starts,
                   .stops = stops, .string_ids = sids, .dictionary = dict, .n_dictionary = 2};
    fix_write(store, &st, &rows);
}

/* SIV: persons 1..10 each have spell '2' from 2020-01-01 to 2022-06-30 and '4' from
 * 2022-07-01, open (even ids) or closed at 2023-12-31 (odd ids). */
static inline void fix_write_events(Store *store)
{
    static uint64_t ids[20];
    static int32_t starts[20], stops[20];
    static uint32_t sids[20];
    static const char *const dict[] = {"2", "4"};
    int64_t n = 0;
    for (int i = 1; i <= 10; i++) {
        ids[n] = (uint64_t)i;
        starts[n] = date_from_ymd(2020, 1, 1);
        stops[n] = date_from_ymd(2022, 6, 30);
        sids[n++] = 0;
        ids[n] = (uint64_t)i;
        starts[n] = date_from_ymd(2022, 7, 1);
        stops[n] = i % 2 == 0 ? DATE_OPEN : date_from_ymd(2023, 12, 31);
        sids[n++] = 1;
    }
    VariableInfo siv = fix_info("SIV", TEMPORALITY_EVENT, "PERSON", "PERSONID_1",
                                VALUE_STRING);
    Spells rows = {.n = n, .type = VALUE_STRING, .unit_ids = ids, .starts = starts,
                   .stops = stops, .string_ids = sids, .dictionary = dict, .n_dictionary = 2};
    fix_write(store, &siv, &rows);
}

/* JPERS: jobs 100..109 belong to persons 1,1,2,2,...; JLONN their pay (job id). */
static inline void fix_write_jobs(Store *store)
{
    static uint64_t ids[10];
    static int32_t starts[10], stops[10];
    static int64_t owner[10], pay[10];
    for (int i = 0; i < 10; i++) {
        ids[i] = 100 + (uint64_t)i;
        starts[i] = DATE_NONE;
        stops[i] = date_from_ymd(2000, 1, 1);
        owner[i] = i / 2 + 1;
        pay[i] = 100 + i;
    }
    VariableInfo jp = fix_info("JPERS", TEMPORALITY_FIXED, "JOBB", "JOBBID_1", VALUE_LONG);
    jp.pointer_to = "PERSON";
    Spells rows = {.n = 10, .type = VALUE_LONG, .unit_ids = ids, .starts = starts,
                   .stops = stops, .longs = owner};
    fix_write(store, &jp, &rows);
    VariableInfo jl = fix_info("JLONN", TEMPORALITY_FIXED, "JOBB", "JOBBID_1", VALUE_LONG);
    Spells payrows = {.n = 10, .type = VALUE_LONG, .unit_ids = ids, .starts = starts,
                      .stops = stops, .longs = pay};
    fix_write(store, &jl, &payrows);
}

static inline void fix_make_store(const char *dir, bool synthetic)
{
    MdError err;
    md_error_clear(&err);
    if (store_create(dir, "no.ssb.fdb", synthetic, &err) != MD_OK)
        fprintf(stderr, "store_create: %s\n", err.message);
    assert_int_equal(err.status, MD_OK);
    Store *store = store_open(dir, &err);
    assert_non_null(store);
    fix_write_persons(store);
    fix_write_income(store);
    fix_write_status(store);
    fix_write_events(store);
    fix_write_jobs(store);
    char label[32];
    if (store_release(store, label, sizeof label, &err) != MD_OK)
        fprintf(stderr, "release: %s\n", err.message);
    assert_int_equal(err.status, MD_OK);
    store_close(store);
}

/* ==== Running scripts ================================================================== */

/* Removes every store a test of this process made (group teardown: a failed assertion
 * skips fix_close). */
static inline int fix_remove_all(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf /tmp/mdata-cmdtest-%d-*", (int)getpid());
    return system(cmd) == 0 ? 0 : -1;
}

static inline void fix_open(Fixture *f, bool synthetic)
{
    static int counter;
    snprintf(f->dir, sizeof f->dir, "/tmp/mdata-cmdtest-%d-%d", (int)getpid(), counter++);
    fix_make_store(f->dir, synthetic);
    EngineOptions o = {.store_dir = f->dir, .sdc = NULL, .trusted = true, .max_rows = 0};
    md_error_clear(&f->err);
    f->ws = workspace_new(&o, &f->err);
    assert_non_null(f->ws);
    f->doc = result_doc_new();
    assert_non_null(f->doc);
}

static inline void fix_close(Fixture *f)
{
    workspace_free(f->ws);
    result_doc_free(f->doc);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    assert_int_equal(system(cmd), 0);
}

/* Runs text; returns the status (f->err holds the error). */
static inline MdStatus fix_run(Fixture *f, const char *text)
{
    Arena *arena = arena_new(4096);
    md_error_clear(&f->err);
    Script *script = lang_parse_script(arena, text, strlen(text), &f->err);
    MdStatus status = script ? engine_run_script(f->ws, script, f->doc, &f->err)
                             : f->err.status;
    arena_free(arena);
    return status;
}

static inline void fix_ok(Fixture *f, const char *text)
{
    MdStatus status = fix_run(f, text);
    if (status != MD_OK)
        fprintf(stderr, "unexpected error in '%s': %s (%s)\n", text, f->err.message,
                f->err.hint);
    assert_int_equal(status, MD_OK);
}

/* Runs text expecting status and a message containing needle. */
static inline void fix_fails(Fixture *f, const char *text, MdStatus status, const char *needle)
{
    MdStatus got = fix_run(f, text);
    if (got != status || !strstr(f->err.message, needle))
        fprintf(stderr, "'%s' gave %s: %s\n", text, md_status_name(got), f->err.message);
    assert_int_equal(got, status);
    assert_non_null(strstr(f->err.message, needle));
}

static const Column *fix_column(Fixture *f, const char *name)
{
    Dataset *ds = workspace_active(f->ws);
    assert_non_null(ds);
    const Column *c = dataset_column(ds, name);
    if (!c)
        fprintf(stderr, "no column %s\n", name);
    assert_non_null(c);
    return c;
}

static inline double fix_number(Fixture *f, const char *name, int64_t row)
{
    const Column *c = fix_column(f, name);
    assert_int_equal(c->type, COLUMN_NUMBER);
    return c->numbers[row];
}

static inline const char *fix_string(Fixture *f, const char *name, int64_t row)
{
    const Column *c = fix_column(f, name);
    assert_int_equal(c->type, COLUMN_STRING);
    return c->codes[row] == COLUMN_STRING_MISSING ? NULL : c->pool->strings[c->codes[row]];
}

static inline int64_t fix_rows(Fixture *f)
{
    return workspace_active(f->ws)->n_rows;
}

#endif /* MDATA_TESTS_COMMANDS_FIXTURE_H */
