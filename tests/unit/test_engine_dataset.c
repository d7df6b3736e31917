/*
 * test_engine_dataset.c - unit tests of columns and datasets: missing values (system and
 * user), names, deep copies, subsets by mask and index list, atomic add/replace/remove,
 * distinct units and out-of-memory behaviour.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <math.h>
#include <cmocka.h>

#include "engine/engine_int.h"

static Dataset *make_dataset(void)
{
    static const uint64_t ids[6] = {10, 10, 11, 12, 12, 13};
    Dataset *ds = dataset_new("people");
    assert_non_null(ds);
    ds->shape = SHAPE_EVENT;
    ds->unit_type = md_strdup("PERSON");
    ds->id_name = md_strdup("PERSONID_1");
    ds->n_rows = 6;
    ds->unit_ids = md_malloc(6 * sizeof(uint64_t));
    ds->unit_keys = md_malloc(6 * sizeof(uint64_t));
    for (int i = 0; i < 6; i++) {
        ds->unit_ids[i] = ids[i];
        ds->unit_keys[i] = ids[i] * 7;
    }
    Column *x = column_new_number("x", 6);
    for (int i = 0; i < 6; i++)
        x->numbers[i] = i * 1.5;
    x->numbers[2] = column_missing_number();
    x->user_missing = md_malloc(sizeof(double));
    x->user_missing[0] = 6.0;
    x->n_user_missing = 1;
    x->label_list = md_strdup("xl");
    Column *s = column_new_string("s", 6);
    const char *texts[6] = {"a", "b", NULL, "a", "c", "b"};
    for (int i = 0; i < 6; i++)
        s->codes[i] = texts[i] ? string_pool_intern(s->pool, texts[i], strlen(texts[i]))
                               : COLUMN_STRING_MISSING;
    MdError err;
    md_error_clear(&err);
    assert_int_equal(dataset_add_column(ds, x, &err), MD_OK);
    assert_int_equal(dataset_add_column(ds, s, &err), MD_OK);
    return ds;
}

static void test_column_missing(void **state)
{
    (void)state;
    Dataset *ds = make_dataset();
    Column *x = dataset_column(ds, "x");
    Column *s = dataset_column(ds, "s");
    assert_non_null(x);
    assert_false(column_is_missing(x, 0));
    assert_true(column_is_missing(x, 2));  /* sysmiss */
    assert_true(column_is_missing(x, 4));  /* 6.0 is user-missing */
    assert_false(column_is_missing(x, 5));
    assert_true(column_is_missing(s, 2));
    assert_false(column_is_missing(s, 1));
    assert_string_equal(column_string_at(s, 4), "c");
    assert_null(column_string_at(s, 2));
    assert_null(column_string_at(x, 0));
    assert_true(isnan(column_missing_number()));
    dataset_free(ds);
}

static void test_column_names(void **state)
{
    (void)state;
    assert_true(column_name_valid("x"));
    assert_true(column_name_valid("_a1"));
    assert_true(column_name_valid("kjønn"));
    assert_false(column_name_valid(""));
    assert_false(column_name_valid(NULL));
    assert_false(column_name_valid("1x"));
    assert_false(column_name_valid("START@x"));
    assert_false(column_name_valid("a b"));
    assert_false(column_name_valid("a-b"));
    assert_false(column_name_valid("\xff\xfe"));
    char long_name[80];
    memset(long_name, 'a', 65);
    long_name[65] = '\0';
    assert_false(column_name_valid(long_name));
    long_name[64] = '\0';
    assert_true(column_name_valid(long_name));
}

static void test_dataset_lookup_and_units(void **state)
{
    (void)state;
    Dataset *ds = make_dataset();
    assert_int_equal(dataset_column_index(ds, "x"), 0);
    assert_int_equal(dataset_column_index(ds, "s"), 1);
    assert_int_equal(dataset_column_index(ds, "X"), -1);
    assert_null(dataset_column(ds, "nope"));
    assert_int_equal(dataset_distinct_units(ds), 4);
    uint8_t mask[6] = {1, 0, 0, 1, 1, 0};
    assert_int_equal(dataset_count_units_where(ds, mask), 2);
    uint8_t none[6] = {0};
    assert_int_equal(dataset_count_units_where(ds, none), 0);
    Dataset *empty = dataset_new("e");
    assert_int_equal(dataset_distinct_units(empty), 0);
    empty->n_rows = 3; /* rows without unit ids count one unit each */
    assert_int_equal(dataset_distinct_units(empty), 3);
    uint8_t two[3] = {1, 0, 1};
    assert_int_equal(dataset_count_units_where(empty, two), 2);
    empty->n_rows = 0;
    assert_int_equal(empty->shape, SHAPE_EMPTY);
    dataset_free(empty);
    dataset_free(ds);
}

static void test_dataset_add_replace_remove(void **state)
{
    (void)state;
    Dataset *ds = make_dataset();
    MdError err;
    md_error_clear(&err);
    Column *dup = column_new_number("x", 6);
    assert_int_equal(dataset_add_column(ds, dup, &err), MD_ERR_NAME);
    assert_non_null(strstr(err.message, "already exists"));
    assert_int_equal(ds->n_columns, 2);
    /* replace swaps in and hands back the old one */
    dup->numbers[0] = 42;
    Column *old = dataset_replace_column(ds, dup);
    assert_non_null(old);
    assert_true(dataset_column(ds, "x") == dup);
    assert_int_equal(dataset_column_index(ds, "x"), 0);
    column_free(old);
    Column *other = column_new_number("zz", 6);
    assert_null(dataset_replace_column(ds, other));
    assert_int_equal(dataset_reserve_columns(ds, 3), MD_OK);
    assert_true(ds->cap_columns >= 5);
    assert_int_equal(dataset_add_column(ds, other, &err), MD_OK);
    assert_int_equal(ds->n_columns, 3);
    Column *removed = dataset_remove_column(ds, "x");
    assert_true(removed == dup);
    column_free(removed);
    assert_int_equal(ds->n_columns, 2);
    assert_string_equal(ds->columns[0]->name, "s");
    assert_string_equal(ds->columns[1]->name, "zz");
    assert_null(dataset_remove_column(ds, "x"));
    dataset_free(ds);
}

static void test_dataset_subset(void **state)
{
    (void)state;
    Dataset *ds = make_dataset();
    MdError err;
    md_error_clear(&err);
    uint8_t mask[6] = {0, 1, 1, 0, 1, 0};
    Dataset *sub = dataset_subset_mask(ds, mask, "sub", &err);
    assert_non_null(sub);
    assert_string_equal(sub->name, "sub");
    assert_int_equal(sub->n_rows, 3);
    assert_int_equal(sub->shape, SHAPE_EVENT);
    assert_string_equal(sub->id_name, "PERSONID_1");
    assert_int_equal(sub->unit_ids[0], 10);
    assert_int_equal(sub->unit_ids[2], 12);
    assert_int_equal(sub->unit_keys[1], 77);
    Column *x = dataset_column(sub, "x");
    assert_true(x->numbers[0] == 1.5);
    assert_true(isnan(x->numbers[1]));
    assert_true(column_is_missing(x, 2)); /* user-missing carried over */
    assert_string_equal(x->label_list, "xl");
    Column *s = dataset_column(sub, "s");
    assert_string_equal(column_string_at(s, 0), "b");
    assert_null(column_string_at(s, 1));
    assert_string_equal(column_string_at(s, 2), "c");
    dataset_free(sub);

    int64_t rows[4] = {5, -1, 0, 0};
    Dataset *picked = dataset_subset_rows(ds, rows, 4, NULL, &err);
    assert_non_null(picked);
    assert_string_equal(picked->name, "people");
    s = dataset_column(picked, "s");
    assert_string_equal(column_string_at(s, 0), "b");
    assert_null(column_string_at(s, 1));
    assert_string_equal(column_string_at(s, 3), "a");
    assert_int_equal(picked->unit_ids[0], 13);
    assert_int_equal(picked->unit_ids[1], 0);
    assert_int_equal(picked->unit_keys[1], 0);
    x = dataset_column(picked, "x");
    assert_true(x->numbers[0] == 7.5);
    assert_true(isnan(x->numbers[1]));
    dataset_free(picked);

    uint8_t none[6] = {0};
    Dataset *empty = dataset_subset_mask(ds, none, NULL, &err);
    assert_non_null(empty);
    assert_int_equal(empty->n_rows, 0);
    assert_int_equal(empty->n_columns, 2);
    dataset_free(empty);
    dataset_free(ds);
}

static void test_dataset_copy_and_swap(void **state)
{
    (void)state;
    Dataset *ds = make_dataset();
    MdError err;
    md_error_clear(&err);
    Dataset *copy = dataset_copy(ds, "copy", &err);
    assert_non_null(copy);
    Column *cx = dataset_column(copy, "x");
    cx->numbers[0] = 99;
    assert_true(dataset_column(ds, "x")->numbers[0] == 0.0);
    assert_true(column_values_equal(dataset_column(ds, "s"), 4, dataset_column(copy, "s"), 4));
    assert_true(column_values_equal(dataset_column(ds, "x"), 2, cx, 4)); /* both missing */
    assert_false(column_values_equal(dataset_column(ds, "x"), 0, cx, 0));
    dataset_swap(ds, copy);
    assert_string_equal(ds->name, "copy");
    assert_string_equal(copy->name, "people");
    dataset_free(copy);
    dataset_free(ds);
}

static void test_column_normalize(void **state)
{
    (void)state;
    Column *c = column_new_number("n", 4);
    c->numbers[0] = 1.0 / 0.0;
    c->numbers[1] = -1.0 / 0.0;
    c->numbers[2] = 3;
    c->numbers[3] = -NAN;
    column_normalize_missing(c, 4);
    assert_true(isnan(c->numbers[0]));
    assert_true(isnan(c->numbers[1]));
    assert_true(c->numbers[2] == 3);
    assert_false(signbit(c->numbers[3]));
    column_free(c);
    column_free(NULL);
    dataset_free(NULL);
}

static void test_dataset_out_of_memory(void **state)
{
    (void)state;
    Dataset *ds = make_dataset();
    int64_t live = md_mem_live_allocations();
    for (int64_t n = 0; n < 40; n++) {
        MdError err;
        md_error_clear(&err);
        md_mem_fail_after(n);
        Dataset *copy = dataset_copy(ds, "c", &err);
        md_mem_fail_after(-1);
        if (copy) {
            dataset_free(copy);
            break;
        }
        assert_int_equal(err.status, MD_ERR_MEMORY);
        assert_int_equal(md_mem_live_allocations(), live);
    }
    assert_int_equal(md_mem_live_allocations(), live);
    dataset_free(ds);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_column_missing),
        cmocka_unit_test(test_column_names),
        cmocka_unit_test(test_dataset_lookup_and_units),
        cmocka_unit_test(test_dataset_add_replace_remove),
        cmocka_unit_test(test_dataset_subset),
        cmocka_unit_test(test_dataset_copy_and_swap),
        cmocka_unit_test(test_column_normalize),
        cmocka_unit_test(test_dataset_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
