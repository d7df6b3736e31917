/*
 * store_fixture.h - helpers shared by the datastore unit tests (test_store_format.c,
 * test_store_query.c, test_store_release.c): temporary directories, variable metadata and
 * writing small variables through the VariableWriter API.
 */
#ifndef MDATA_TESTS_STORE_FIXTURE_H
#define MDATA_TESTS_STORE_FIXTURE_H

#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "store/store.h"

#define D(y, m, d) date_from_ymd((y), (m), (d))

static inline int fixture_rm_one(const char *path, const struct stat *sb, int flag,
                                 struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(path);
}

static inline void fixture_rm_rf(const char *dir)
{
    nftw(dir, fixture_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Makes a fresh temporary directory and a store "test.store" in dir/store. */
static inline void fixture_store_dir(char *tmp, size_t cap, char *store_dir, size_t scap)
{
    snprintf(tmp, cap, "/tmp/mdata-store-test-XXXXXX");
    assert_non_null(mkdtemp(tmp));
    snprintf(store_dir, scap, "%s/store", tmp);
    MdError err;
    md_error_clear(&err);
    assert_int_equal(store_create(store_dir, "test.store", false, &err), MD_OK);
}

static inline VariableInfo fixture_info(const char *name, Temporality t, ValueType type)
{
    VariableInfo v;
    memset(&v, 0, sizeof v);
    v.name = name;
    v.title = "Testvariabel";
    v.description = "";
    v.temporality = t;
    v.unit_type = "PERSON";
    v.id_name = "PERSONID_1";
    v.value_type = type;
    v.valid_from = DATE_NONE;
    v.valid_until = DATE_NONE;
    return v;
}

/* Writes n LONG rows; returns the commit (or first) status. err may be NULL. */
static inline MdStatus fixture_write_longs(Store *store, const VariableInfo *info, int64_t n,
                                           const uint64_t *ids, const int32_t *starts,
                                           const int32_t *stops, const int64_t *values,
                                           MdError *err)
{
    MdError local;
    if (!err)
        err = &local;
    md_error_clear(err);
    VariableWriter *w = variable_writer_new(store, info, err);
    if (!w)
        return err->status;
    Spells rows;
    memset(&rows, 0, sizeof rows);
    rows.n = n;
    rows.type = VALUE_LONG;
    rows.unit_ids = ids;
    rows.starts = starts;
    rows.stops = stops;
    rows.longs = values;
    if (n > 0 && variable_writer_add(w, &rows, err) != MD_OK) {
        variable_writer_abort(w);
        return err->status;
    }
    return variable_writer_commit(w, err);
}

static inline StoreVersion *fixture_version(Store *store, const char *label)
{
    MdError err;
    md_error_clear(&err);
    StoreVersion *v = store_version_open(store, label, &err);
    if (!v)
        fail_msg("cannot open version %s: %s", label, err.message);
    return v;
}

#endif /* MDATA_TESTS_STORE_FIXTURE_H */
