/*
 * test_store_pages.c - a query that answers with a copy drops the part's pages from the
 * resident set (part_map_release_pages); the mapping must stay valid: later copies and
 * views of the same part read the same values, over many rounds and part sizes larger
 * than a page.
 */
#include "store_fixture.h"

#define N_ROWS 20000 /* 8 bytes of id + 8 of value per row: many pages */

static void test_queries_after_pages_are_released(void **state)
{
    (void)state;
    char tmp[256], dir[300];
    fixture_store_dir(tmp, sizeof tmp, dir, sizeof dir);
    MdError err;
    md_error_clear(&err);
    Store *store = store_open(dir, &err);
    assert_non_null(store);
    VariableInfo info = fixture_info("WLONN", TEMPORALITY_STATUS, VALUE_LONG);
    static const int32_t dates[1] = {18262}; /* 2020-01-01 */
    info.status_dates = dates;
    info.n_status_dates = 1;
    uint64_t *ids = md_malloc(N_ROWS * sizeof *ids);
    int32_t *days = md_malloc(N_ROWS * sizeof *days);
    int64_t *values = md_malloc(N_ROWS * sizeof *values);
    for (int64_t i = 0; i < N_ROWS; i++) {
        ids[i] = (uint64_t)(i * 3 + 1);
        days[i] = dates[0];
        values[i] = i * 7 - 5;
    }
    assert_int_equal(fixture_write_longs(store, &info, N_ROWS, ids, days, days, values, &err),
                     MD_OK);
    StoreVersion *v = fixture_version(store, "draft");
    const VariableInfo *stored = store_version_variable(v, "WLONN");
    assert_non_null(stored);
    uint64_t every_other[N_ROWS / 2];
    for (int64_t i = 0; i < N_ROWS / 2; i++)
        every_other[i] = ids[2 * i];
    Population pop = {every_other, N_ROWS / 2};
    for (int round = 0; round < 3; round++) {
        Spells copy, view;
        assert_int_equal(store_query_at(v, stored, dates[0], &pop, &copy, &err), MD_OK);
        assert_false(copy.is_view);
        assert_int_equal(copy.n, N_ROWS / 2);
        for (int64_t i = 0; i < copy.n; i++) {
            assert_true(copy.unit_ids[i] == ids[2 * i]);
            assert_true(copy.longs[i] == values[2 * i]);
        }
        spells_free(&copy);
        assert_int_equal(store_query_at(v, stored, dates[0], NULL, &view, &err), MD_OK);
        assert_true(view.is_view);
        assert_int_equal(view.n, N_ROWS);
        for (int64_t i = 0; i < view.n; i++)
            assert_true(view.longs[i] == values[i] && view.unit_ids[i] == ids[i]);
        spells_free(&view);
    }
    store_version_close(v);
    store_close(store);
    md_free(ids);
    md_free(days);
    md_free(values);
    fixture_rm_rf(tmp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_queries_after_pages_are_released),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
