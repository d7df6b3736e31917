/*
 * column.c - one variable of a dataset: a number column (doubles, NaN = system missing) or a
 * string column (dictionary codes, COLUMN_STRING_MISSING = missing), with its attached label
 * list, register source, pointer flag and user-missing values.
 *
 * Columns are built whole, off to the side, and then handed to a Dataset (dataset.c). Copies
 * are deep: a column owns its arrays, its string pool and its strings. Missing numbers are
 * always the one canonical quiet NaN (column_missing_number), so that bit-for-bit equality of
 * two missing values holds and no NaN payload ever reaches a user.
 */
#include "engine/engine_int.h"

#include <math.h>
#include <string.h>
#include <sys/mman.h>

#define COLUMN_NAME_MAX 64
#define COLUMN_HUGE_BYTES (4u << 20)
#define COLUMN_HUGE_PAGE ((uintptr_t)2 << 20)

double column_missing_number(void)
{
    return (double)NAN;
}

bool column_name_valid(const char *name)
{
    if (!name || !name[0])
        return false;
    size_t len = strlen(name);
    if (len > COLUMN_NAME_MAX || !text_utf8_valid(name, len))
        return false;
    unsigned char first = (unsigned char)name[0];
    if (first >= '0' && first <= '9')
        return false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)name[i];
        bool ok = c >= 0x80 || c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
                  (c >= 'A' && c <= 'Z');
        if (!ok)
            return false;
    }
    return true;
}

/* Asks Linux for transparent huge pages on the aligned inside of a big array: a column of
 * millions of rows is then faulted in 2 MB at a time instead of 4 kB (a hint only). */
static void column_advise_huge(void *array, size_t bytes)
{
#ifdef MADV_HUGEPAGE
    if (!array || bytes < COLUMN_HUGE_BYTES)
        return;
    uintptr_t start = ((uintptr_t)array + COLUMN_HUGE_PAGE - 1) & ~(COLUMN_HUGE_PAGE - 1);
    uintptr_t end = ((uintptr_t)array + bytes) & ~(COLUMN_HUGE_PAGE - 1);
    if (end > start)
        (void)madvise((void *)start, end - start, MADV_HUGEPAGE);
#else
    (void)array;
    (void)bytes;
#endif
}

/* Allocates n elements (at least one, so that an empty column still has an array). */
static void *column_alloc_array(int64_t n, size_t size)
{
    size_t bytes;
    if (!md_size_mul(n > 0 ? (size_t)n : 1, size, &bytes))
        return NULL;
    void *array = md_malloc(bytes);
    column_advise_huge(array, bytes);
    return array;
}

static Column *column_alloc(const char *name, ColumnType type)
{
    Column *column = md_calloc(1, sizeof *column);
    if (!column)
        return NULL;
    column->type = type;
    column->source_date = DATE_NONE;
    column->name = md_strdup(name ? name : "");
    if (!column->name) {
        md_free(column);
        return NULL;
    }
    return column;
}

Column *column_new_number_uninit(const char *name, int64_t n_rows)
{
    if (n_rows < 0)
        return NULL;
    Column *column = column_alloc(name, COLUMN_NUMBER);
    if (!column)
        return NULL;
    column->numbers = column_alloc_array(n_rows, sizeof(double));
    if (!column->numbers) {
        column_free(column);
        return NULL;
    }
    return column;
}

Column *column_new_number(const char *name, int64_t n_rows)
{
    Column *column = column_new_number_uninit(name, n_rows);
    if (!column)
        return NULL;
    double missing = column_missing_number();
    for (int64_t i = 0; i < n_rows; i++)
        column->numbers[i] = missing;
    return column;
}

Column *column_new_string(const char *name, int64_t n_rows)
{
    if (n_rows < 0)
        return NULL;
    Column *column = column_alloc(name, COLUMN_STRING);
    if (!column)
        return NULL;
    column->codes = column_alloc_array(n_rows, sizeof(uint32_t));
    column->pool = string_pool_new();
    if (!column->codes || !column->pool) {
        column_free(column);
        return NULL;
    }
    for (int64_t i = 0; i < n_rows; i++)
        column->codes[i] = COLUMN_STRING_MISSING;
    return column;
}

void column_free(Column *column)
{
    if (!column)
        return;
    md_free(column->name);
    md_free(column->numbers);
    md_free(column->codes);
    string_pool_free(column->pool);
    md_free(column->label_list);
    md_free(column->pointer_to);
    md_free(column->user_missing);
    md_free(column);
}

bool column_number_is_user_missing(const Column *column, double value)
{
    for (int32_t i = 0; i < column->n_user_missing; i++) {
        if (column->user_missing[i] == value)
            return true;
    }
    return false;
}

bool column_is_missing(const Column *column, int64_t row)
{
    if (column->type == COLUMN_STRING)
        return column->codes[row] == COLUMN_STRING_MISSING;
    double value = column->numbers[row];
    if (isnan(value))
        return true;
    return column->n_user_missing > 0 && column_number_is_user_missing(column, value);
}

const char *column_string_at(const Column *column, int64_t row)
{
    if (column->type != COLUMN_STRING)
        return NULL;
    uint32_t code = column->codes[row];
    if (code == COLUMN_STRING_MISSING || code >= column->pool->n)
        return NULL;
    return column->pool->strings[code];
}

MdStatus column_rename(Column *column, const char *name)
{
    char *copy = md_strdup(name);
    if (!copy)
        return MD_ERR_MEMORY;
    md_free(column->name);
    column->name = copy;
    return MD_OK;
}

static MdStatus column_copy_strdup(char **dst, const char *src)
{
    *dst = NULL;
    if (!src)
        return MD_OK;
    *dst = md_strdup(src);
    return *dst ? MD_OK : MD_ERR_MEMORY;
}

MdStatus column_copy_attributes(Column *dst, const Column *src)
{
    char *label_list = NULL;
    char *pointer_to = NULL;
    double *user_missing = NULL;
    if (column_copy_strdup(&label_list, src->label_list) != MD_OK ||
        column_copy_strdup(&pointer_to, src->pointer_to) != MD_OK)
        goto fail;
    if (src->n_user_missing > 0) {
        user_missing = column_alloc_array(src->n_user_missing, sizeof(double));
        if (!user_missing)
            goto fail;
        memcpy(user_missing, src->user_missing, (size_t)src->n_user_missing * sizeof(double));
    }
    md_free(dst->label_list);
    md_free(dst->pointer_to);
    md_free(dst->user_missing);
    dst->label_list = label_list;
    dst->pointer_to = pointer_to;
    dst->user_missing = user_missing;
    dst->n_user_missing = src->n_user_missing;
    dst->source = src->source;
    dst->source_date = src->source_date;
    dst->is_free_text = src->is_free_text;
    return MD_OK;
fail:
    md_free(label_list);
    md_free(pointer_to);
    md_free(user_missing);
    return MD_ERR_MEMORY;
}

static MdStatus column_copy_pool(StringPool *dst, const StringPool *src)
{
    for (uint32_t i = 0; i < src->n; i++) {
        const char *s = src->strings[i];
        if (string_pool_intern(dst, s, strlen(s)) != i)
            return MD_ERR_MEMORY;
    }
    return MD_OK;
}

Column *column_subset(const Column *src, const int64_t *rows, int64_t n, const char *name)
{
    const char *new_name = name ? name : src->name;
    Column *dst = src->type == COLUMN_NUMBER ? column_new_number(new_name, n)
                                             : column_new_string(new_name, n);
    if (!dst)
        return NULL;
    if (column_copy_attributes(dst, src) != MD_OK)
        goto fail;
    if (src->type == COLUMN_NUMBER) {
        for (int64_t i = 0; i < n; i++) {
            int64_t r = rows ? rows[i] : i;
            if (r >= 0)
                dst->numbers[i] = src->numbers[r];
        }
        return dst;
    }
    if (column_copy_pool(dst->pool, src->pool) != MD_OK)
        goto fail;
    for (int64_t i = 0; i < n; i++) {
        int64_t r = rows ? rows[i] : i;
        if (r >= 0)
            dst->codes[i] = src->codes[r];
    }
    return dst;
fail:
    column_free(dst);
    return NULL;
}

Column *column_copy(const Column *src, int64_t n_rows, const char *name)
{
    return column_subset(src, NULL, n_rows, name);
}

void column_normalize_missing(Column *column, int64_t n_rows)
{
    if (column->type != COLUMN_NUMBER)
        return;
    double missing = column_missing_number();
    for (int64_t i = 0; i < n_rows; i++) {
        if (!isfinite(column->numbers[i]))
            column->numbers[i] = missing;
    }
}

bool column_values_equal(const Column *a, int64_t row_a, const Column *b, int64_t row_b)
{
    bool miss_a = column_is_missing(a, row_a);
    bool miss_b = column_is_missing(b, row_b);
    if (miss_a || miss_b)
        return miss_a == miss_b;
    if (a->type != b->type)
        return false;
    if (a->type == COLUMN_NUMBER)
        return a->numbers[row_a] == b->numbers[row_b];
    if (a->pool == b->pool)
        return a->codes[row_a] == b->codes[row_b];
    return strcmp(column_string_at(a, row_a), column_string_at(b, row_b)) == 0;
}
