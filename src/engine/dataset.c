/*
 * dataset.c - a named table of rows sorted by unit id: the unit ids and their sdc keys, and
 * the columns. Helpers here add, replace and remove columns so that a command can build its
 * result aside and swap it in with operations that cannot fail, and copy a dataset or a
 * subset of its rows (by a byte mask or an index list) into a new dataset.
 *
 * Ownership: a Dataset owns its name, unit arrays and columns. dataset_add_column takes the
 * column only on success; dataset_replace_column and dataset_remove_column hand the old
 * column back to the caller (column_free).
 */
#include "engine/engine_int.h"

#include <string.h>

Dataset *dataset_new(const char *name)
{
    Dataset *dataset = md_calloc(1, sizeof *dataset);
    if (!dataset)
        return NULL;
    dataset->shape = SHAPE_EMPTY;
    dataset->name = md_strdup(name ? name : "");
    if (!dataset->name) {
        md_free(dataset);
        return NULL;
    }
    return dataset;
}

void dataset_free(Dataset *dataset)
{
    if (!dataset)
        return;
    for (int32_t i = 0; i < dataset->n_columns; i++)
        column_free(dataset->columns[i]);
    md_free(dataset->columns);
    md_free(dataset->name);
    md_free(dataset->unit_type);
    md_free(dataset->id_name);
    md_free(dataset->unit_ids);
    md_free(dataset->unit_keys);
    md_free(dataset);
}

int32_t dataset_column_index(const Dataset *dataset, const char *name)
{
    if (!dataset || !name)
        return -1;
    for (int32_t i = 0; i < dataset->n_columns; i++) {
        if (strcmp(dataset->columns[i]->name, name) == 0)
            return i;
    }
    return -1;
}

Column *dataset_column(const Dataset *dataset, const char *name)
{
    int32_t index = dataset_column_index(dataset, name);
    return index < 0 ? NULL : dataset->columns[index];
}

int64_t dataset_distinct_units(const Dataset *dataset)
{
    if (!dataset || dataset->n_rows <= 0)
        return 0;
    if (!dataset->unit_ids)
        return dataset->n_rows; /* no unit ids: every row is its own unit */
    int64_t n = 1;
    for (int64_t i = 1; i < dataset->n_rows; i++) {
        if (dataset->unit_ids[i] != dataset->unit_ids[i - 1])
            n++;
    }
    return n;
}

MdStatus dataset_reserve_columns(Dataset *dataset, int32_t extra)
{
    if (extra < 0)
        return MD_ERR_VALUE;
    return md_grow((void **)&dataset->columns, &dataset->cap_columns,
                   (size_t)dataset->n_columns + (size_t)extra, sizeof *dataset->columns);
}

MdStatus dataset_add_column(Dataset *dataset, Column *column, MdError *err)
{
    if (dataset_column_index(dataset, column->name) >= 0) {
        md_error_set(err, MD_ERR_NAME, "variable %s already exists in dataset %s",
                     column->name, dataset->name);
        md_error_hint(err, "choose another name, or use replace to change its values");
        return MD_ERR_NAME;
    }
    if (dataset_reserve_columns(dataset, 1) != MD_OK)
        return md_error_set(err, MD_ERR_MEMORY, "out of memory adding variable %s",
                            column->name);
    dataset->columns[dataset->n_columns++] = column;
    return MD_OK;
}

Column *dataset_replace_column(Dataset *dataset, Column *column)
{
    int32_t index = dataset_column_index(dataset, column->name);
    if (index < 0)
        return NULL;
    Column *old = dataset->columns[index];
    dataset->columns[index] = column;
    return old;
}

Column *dataset_remove_column(Dataset *dataset, const char *name)
{
    int32_t index = dataset_column_index(dataset, name);
    if (index < 0)
        return NULL;
    Column *old = dataset->columns[index];
    memmove(dataset->columns + index, dataset->columns + index + 1,
            (size_t)(dataset->n_columns - index - 1) * sizeof *dataset->columns);
    dataset->n_columns--;
    return old;
}

void dataset_swap(Dataset *a, Dataset *b)
{
    Dataset tmp = *a;
    *a = *b;
    *b = tmp;
}

static MdStatus dataset_copy_header(Dataset *dst, const Dataset *src)
{
    dst->shape = src->shape;
    if (src->unit_type && !(dst->unit_type = md_strdup(src->unit_type)))
        return MD_ERR_MEMORY;
    if (src->id_name && !(dst->id_name = md_strdup(src->id_name)))
        return MD_ERR_MEMORY;
    return MD_OK;
}

static uint64_t *dataset_pick_u64(const uint64_t *src, const int64_t *rows, int64_t n)
{
    size_t bytes;
    if (!md_size_mul(n > 0 ? (size_t)n : 1, sizeof(uint64_t), &bytes))
        return NULL;
    uint64_t *dst = md_malloc(bytes);
    if (!dst)
        return NULL;
    for (int64_t i = 0; i < n; i++) {
        int64_t r = rows ? rows[i] : i;
        dst[i] = src && r >= 0 ? src[r] : 0; /* row -1: no source row */
    }
    return dst;
}

Dataset *dataset_subset_rows(const Dataset *src, const int64_t *rows, int64_t n,
                             const char *name, MdError *err)
{
    Dataset *dst = dataset_new(name ? name : src->name);
    if (!dst || dataset_copy_header(dst, src) != MD_OK)
        goto oom;
    dst->n_rows = n;
    if (src->unit_ids) {
        dst->unit_ids = dataset_pick_u64(src->unit_ids, rows, n);
        dst->unit_keys = dataset_pick_u64(src->unit_keys, rows, n);
        if (!dst->unit_ids || !dst->unit_keys)
            goto oom;
    }
    if (dataset_reserve_columns(dst, src->n_columns) != MD_OK)
        goto oom;
    for (int32_t i = 0; i < src->n_columns; i++) {
        Column *column = column_subset(src->columns[i], rows, n, NULL);
        if (!column)
            goto oom;
        dst->columns[dst->n_columns++] = column;
    }
    return dst;
oom:
    dataset_free(dst);
    md_error_set(err, MD_ERR_MEMORY, "out of memory copying dataset %s", src->name);
    return NULL;
}

Dataset *dataset_subset_mask(const Dataset *src, const uint8_t *mask, const char *name,
                             MdError *err)
{
    int64_t n = 0;
    for (int64_t i = 0; i < src->n_rows; i++)
        n += mask[i] != 0;
    size_t bytes;
    int64_t *rows = NULL;
    if (md_size_mul(n > 0 ? (size_t)n : 1, sizeof *rows, &bytes))
        rows = md_malloc(bytes);
    if (!rows) {
        md_error_set(err, MD_ERR_MEMORY, "out of memory copying dataset %s", src->name);
        return NULL;
    }
    int64_t k = 0;
    for (int64_t i = 0; i < src->n_rows; i++) {
        if (mask[i])
            rows[k++] = i;
    }
    Dataset *dst = dataset_subset_rows(src, rows, n, name, err);
    md_free(rows);
    return dst;
}

Dataset *dataset_copy(const Dataset *src, const char *name, MdError *err)
{
    return dataset_subset_rows(src, NULL, src->n_rows, name, err);
}

int64_t dataset_count_units_where(const Dataset *dataset, const uint8_t *mask)
{
    int64_t n = 0;
    bool have_last = false;
    uint64_t last = 0;
    for (int64_t i = 0; i < dataset->n_rows; i++) {
        if (!mask[i])
            continue;
        uint64_t id = dataset->unit_ids ? dataset->unit_ids[i] : (uint64_t)i;
        if (!have_last || id != last)
            n++;
        last = id;
        have_last = true;
    }
    return n;
}
