/*
 * strmap.c - a string -> int64 hash map with open addressing (linear probing) and entries
 * kept in insertion order, so iterating it never depends on hash order.
 *
 * The table holds indexes into the entry array; it doubles when more than half full.
 */
#include "base.h"

#include <string.h>

typedef struct StrMapEntry {
    char *key;
    size_t len;
    uint64_t hash;
    int64_t value;
} StrMapEntry;

struct StrMap {
    StrMapEntry *entries;
    size_t n_entries;
    size_t cap_entries;
    int64_t *slots; /* -1 empty, else entry index */
    size_t n_slots; /* power of two */
};

StrMap *strmap_new(void)
{
    StrMap *m = md_calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->n_slots = 16;
    m->slots = md_malloc(m->n_slots * sizeof *m->slots);
    if (!m->slots) {
        md_free(m);
        return NULL;
    }
    memset(m->slots, 0xff, m->n_slots * sizeof *m->slots);
    return m;
}

void strmap_free(StrMap *map)
{
    if (!map)
        return;
    for (size_t i = 0; i < map->n_entries; i++)
        md_free(map->entries[i].key);
    md_free(map->entries);
    md_free(map->slots);
    md_free(map);
}

static int64_t find_slot(const StrMap *m, const char *key, size_t len, uint64_t h)
{
    size_t mask = m->n_slots - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        int64_t e = m->slots[i];
        if (e < 0)
            return -(int64_t)i - 1;
        const StrMapEntry *en = &m->entries[e];
        if (en->hash == h && en->len == len && memcmp(en->key, key, len) == 0)
            return (int64_t)i;
    }
}

static MdStatus rehash(StrMap *m)
{
    size_t n = m->n_slots * 2;
    int64_t *slots = md_malloc(n * sizeof *slots);
    if (!slots)
        return MD_ERR_MEMORY;
    memset(slots, 0xff, n * sizeof *slots);
    for (size_t e = 0; e < m->n_entries; e++) {
        size_t i = m->entries[e].hash & (n - 1);
        while (slots[i] >= 0)
            i = (i + 1) & (n - 1);
        slots[i] = (int64_t)e;
    }
    md_free(m->slots);
    m->slots = slots;
    m->n_slots = n;
    return MD_OK;
}

MdStatus strmap_put_len(StrMap *map, const char *key, size_t len, int64_t value)
{
    uint64_t h = md_hash_bytes(key, len, 0);
    int64_t s = find_slot(map, key, len, h);
    if (s >= 0) {
        map->entries[map->slots[s]].value = value;
        return MD_OK;
    }
    if ((map->n_entries + 1) * 2 > map->n_slots) {
        if (rehash(map) != MD_OK)
            return MD_ERR_MEMORY;
        s = find_slot(map, key, len, h);
    }
    if (md_grow((void **)&map->entries, &map->cap_entries, map->n_entries + 1,
                sizeof *map->entries) != MD_OK)
        return MD_ERR_MEMORY;
    char *k = md_strndup(key, len);
    if (!k)
        return MD_ERR_MEMORY;
    StrMapEntry *en = &map->entries[map->n_entries];
    en->key = k;
    en->len = len;
    en->hash = h;
    en->value = value;
    map->slots[-s - 1] = (int64_t)map->n_entries;
    map->n_entries++;
    return MD_OK;
}

MdStatus strmap_put(StrMap *map, const char *key, int64_t value)
{
    return strmap_put_len(map, key, strlen(key), value);
}

bool strmap_get_len(const StrMap *map, const char *key, size_t len, int64_t *value)
{
    int64_t s = find_slot(map, key, len, md_hash_bytes(key, len, 0));
    if (s < 0)
        return false;
    if (value)
        *value = map->entries[map->slots[s]].value;
    return true;
}

bool strmap_get(const StrMap *map, const char *key, int64_t *value)
{
    return strmap_get_len(map, key, strlen(key), value);
}

int64_t strmap_count(const StrMap *map) { return (int64_t)map->n_entries; }

const char *strmap_key_at(const StrMap *map, int64_t index)
{
    MD_ASSERT(index >= 0 && (size_t)index < map->n_entries);
    return map->entries[index].key;
}

int64_t strmap_value_at(const StrMap *map, int64_t index)
{
    MD_ASSERT(index >= 0 && (size_t)index < map->n_entries);
    return map->entries[index].value;
}
