/*
 * mem.c - the one door to the heap: counted, overflow-checked, and failable on demand.
 *
 * No other file calls malloc/free directly. Tests use md_mem_fail_after() to make the Nth
 * allocation fail and check that every error path leaves its inputs as they were.
 */
#include "base.h"

#include <stdlib.h>
#include <string.h>

static int64_t fail_after = -1;
static int64_t live_allocations;

static bool should_fail(void)
{
    if (fail_after < 0)
        return false;
    if (fail_after == 0)
        return true;
    fail_after--;
    return false;
}

void md_mem_fail_after(int64_t n) { fail_after = n; }
int64_t md_mem_live_allocations(void) { return live_allocations; }

bool md_size_mul(size_t a, size_t b, size_t *out)
{
    if (a != 0 && b > SIZE_MAX / a)
        return false;
    *out = a * b;
    return true;
}

void *md_malloc(size_t size)
{
    if (should_fail())
        return NULL;
    void *p = malloc(size ? size : 1);
    if (p)
        live_allocations++;
    return p;
}

void *md_calloc(size_t count, size_t size)
{
    size_t total;
    if (!md_size_mul(count, size, &total) || should_fail())
        return NULL;
    void *p = calloc(1, total ? total : 1);
    if (p)
        live_allocations++;
    return p;
}

void *md_realloc(void *ptr, size_t size)
{
    if (!ptr)
        return md_malloc(size);
    if (should_fail())
        return NULL;
    return realloc(ptr, size ? size : 1);
}

void *md_realloc_array(void *ptr, size_t count, size_t size)
{
    size_t total;
    if (!md_size_mul(count, size, &total))
        return NULL;
    return md_realloc(ptr, total);
}

void md_free(void *ptr)
{
    if (!ptr)
        return;
    live_allocations--;
    free(ptr);
}

char *md_strndup(const char *s, size_t len)
{
    char *p = md_malloc(len + 1);
    if (!p)
        return NULL;
    memcpy(p, s, len);
    p[len] = 0;
    return p;
}

char *md_strdup(const char *s) { return md_strndup(s, strlen(s)); }

MdStatus md_grow(void **items, size_t *cap, size_t need, size_t elem_size)
{
    if (need <= *cap)
        return MD_OK;
    size_t new_cap = *cap ? *cap : 8;
    while (new_cap < need) {
        if (new_cap > SIZE_MAX / 2)
            return MD_ERR_MEMORY;
        new_cap *= 2;
    }
    void *p = md_realloc_array(*items, new_cap, elem_size);
    if (!p)
        return MD_ERR_MEMORY;
    *items = p;
    *cap = new_cap;
    return MD_OK;
}
