/*
 * string_pool.c - the dictionary of a string column: each distinct string once, codes in
 * first-seen order, a hash index from string to code.
 */
#include "engine/engine.h"

#include <string.h>

StringPool *string_pool_new(void)
{
    StringPool *pool = md_calloc(1, sizeof *pool);
    if (!pool)
        return NULL;
    pool->index = strmap_new();
    if (!pool->index) {
        md_free(pool);
        return NULL;
    }
    return pool;
}

void string_pool_free(StringPool *pool)
{
    if (!pool)
        return;
    for (uint32_t i = 0; i < pool->n; i++)
        md_free(pool->strings[i]);
    md_free(pool->strings);
    strmap_free(pool->index);
    md_free(pool);
}

uint32_t string_pool_intern(StringPool *pool, const char *s, size_t len)
{
    int64_t code;
    if (strmap_get_len(pool->index, s, len, &code))
        return (uint32_t)code;
    if (pool->n == COLUMN_STRING_MISSING - 1)
        return COLUMN_STRING_MISSING;
    if (md_grow((void **)&pool->strings, &pool->cap, (size_t)pool->n + 1,
                sizeof *pool->strings) != MD_OK)
        return COLUMN_STRING_MISSING;
    char *copy = md_strndup(s, len);
    if (!copy)
        return COLUMN_STRING_MISSING;
    if (strmap_put_len(pool->index, s, len, pool->n) != MD_OK) {
        md_free(copy);
        return COLUMN_STRING_MISSING;
    }
    pool->strings[pool->n] = copy;
    return pool->n++;
}
