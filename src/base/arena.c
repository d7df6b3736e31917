/*
 * arena.c - a bump allocator for things that die together: a script's AST, a command's
 * scratch space, an HTTP request. Blocks are chained; arena_reset keeps the first block.
 */
#include "base.h"

#include <stdio.h>
#include <string.h>

typedef struct ArenaBlock {
    struct ArenaBlock *next;
    size_t size;
    size_t used;
    _Alignas(16) unsigned char data[];
} ArenaBlock;

struct Arena {
    ArenaBlock *head;
    size_t block_size;
    size_t bytes_used;
};

static ArenaBlock *block_new(size_t size)
{
    ArenaBlock *b = md_malloc(sizeof *b + size);
    if (!b)
        return NULL;
    b->next = NULL;
    b->size = size;
    b->used = 0;
    return b;
}

Arena *arena_new(size_t block_size)
{
    Arena *a = md_calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->block_size = block_size < 1024 ? 1024 : block_size;
    return a;
}

void *arena_alloc(Arena *arena, size_t size)
{
    size_t aligned = (size + 15) & ~(size_t)15;
    if (aligned < size)
        return NULL;
    ArenaBlock *b = arena->head;
    if (!b || b->size - b->used < aligned) {
        size_t want = aligned > arena->block_size ? aligned : arena->block_size;
        ArenaBlock *nb = block_new(want);
        if (!nb)
            return NULL;
        nb->next = arena->head;
        arena->head = nb;
        b = nb;
    }
    void *p = b->data + b->used;
    b->used += aligned;
    arena->bytes_used += aligned;
    memset(p, 0, size);
    return p;
}

char *arena_strndup(Arena *arena, const char *s, size_t len)
{
    char *p = arena_alloc(arena, len + 1);
    if (!p)
        return NULL;
    memcpy(p, s, len);
    p[len] = 0;
    return p;
}

char *arena_strdup(Arena *arena, const char *s) { return arena_strndup(arena, s, strlen(s)); }

char *arena_printf(Arena *arena, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *p = arena_alloc(arena, (size_t)n + 1);
    if (!p)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

void arena_reset(Arena *arena)
{
    ArenaBlock *b = arena->head;
    while (b && b->next) {
        ArenaBlock *next = b->next;
        md_free(b);
        b = next;
    }
    arena->head = b;
    if (b)
        b->used = 0;
    arena->bytes_used = 0;
}

void arena_free(Arena *arena)
{
    if (!arena)
        return;
    ArenaBlock *b = arena->head;
    while (b) {
        ArenaBlock *next = b->next;
        md_free(b);
        b = next;
    }
    md_free(arena);
}

size_t arena_bytes_used(const Arena *arena) { return arena->bytes_used; }
