/*
 * query.c - the four temporal queries of spec/datastore.md section 2 and language.md
 * 3.3-3.4 over the parts of a stored variable, restricted to a population when given.
 *
 * Every query becomes a closed window [lo, hi] (lo = hi = date for store_query_at) and a
 * row matches when start <= hi and stop >= lo; an open stop is DATE_OPEN (INT32_MAX), so it
 * overlaps everything after its start. Parts whose statistics cannot meet the window are
 * skipped unopened; when exactly one part answers, every row of it matches and there is no
 * population, the result is a zero-copy view into the mapping. Otherwise the matching rows
 * of the selected parts are merged (by unit id, then start, through a heap when there are
 * several) into one owned block. A dense population is merged without branches; a sparse
 * one gallops over both sorted id lists, costing a binary search per member.
 */
#include "store/store_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const uint64_t empty_ids[1];
static const int32_t empty_dates[1];
static const int64_t empty_longs[1];
static const double empty_doubles[1];
static const uint32_t empty_strings[1];

typedef struct Window {
    bool has_time;  /* false: FIXED, every row */
    int32_t lo, hi; /* closed */
} Window;

typedef struct Cursor {
    const PartMap *map;
    int64_t i;
    int64_t pj; /* population position */
} Cursor;

/* ==== Results ========================================================================== */

static void spells_empty(Spells *out, ValueType type)
{
    memset(out, 0, sizeof *out);
    out->type = type;
    out->unit_ids = empty_ids;
    out->starts = empty_dates;
    out->stops = empty_dates;
    out->longs = empty_longs;
    out->doubles = empty_doubles;
    out->dates = empty_dates;
    out->string_ids = empty_strings;
}

static void spells_set_values(Spells *out, const void *values)
{
    switch (out->type) {
    case VALUE_LONG: out->longs = values; break;
    case VALUE_DOUBLE: out->doubles = values; break;
    case VALUE_DATE: out->dates = values; break;
    case VALUE_STRING: out->string_ids = values; break;
    }
}

void spells_free(Spells *spells)
{
    if (!spells)
        return;
    md_free(spells->owned);
    spells_empty(spells, spells->type);
}

/* ==== Parts ============================================================================ */

const PartMap *store_part_map(StoreVersion *version, const VarEntry *entry, int64_t index,
                              MdError *err)
{
    MD_ASSERT(index >= 0 && index < entry->n_parts);
    pthread_mutex_lock(&version->lock);
    PartMap *map = entry->maps[index];
    if (!map) {
        char path[STORE_PATH_MAX];
        if (store_path(path, sizeof path, err, "%s/%s", version->store->dir,
                       entry->parts[index].file) == MD_OK)
            map = part_map_open(path, err);
        if (map && (map->n != entry->parts[index].n_rows || map->type != entry->info.value_type)) {
            md_error_set(err, MD_ERR_IO, "part file %s does not match the catalogue", path);
            part_map_close(map);
            map = NULL;
        }
        entry->maps[index] = map;
    }
    pthread_mutex_unlock(&version->lock);
    return map;
}

static bool part_may_match(const PartRef *p, const Window *w)
{
    if (p->n_rows == 0)
        return false;
    return !w->has_time || (p->min_start <= w->hi && p->max_stop >= w->lo);
}

static bool part_all_match(const PartRef *p, const Window *w)
{
    return !w->has_time || (p->max_start <= w->hi && p->min_stop >= w->lo);
}

/* ==== Galloping merge ================================================================== */

/* First index in [from, n) whose id is >= key (ids sorted ascending). */
static int64_t gallop(const uint64_t *ids, int64_t from, int64_t n, uint64_t key)
{
    int64_t step = 1, lo = from, hi = from;
    while (hi < n && ids[hi] < key) {
        lo = hi + 1;
        hi = from + step;
        step *= 2;
    }
    if (hi > n)
        hi = n;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (ids[mid] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Moves c to its next matching row; false when the part is exhausted. */
static bool cursor_seek(Cursor *c, const Window *w, const Population *pop)
{
    const PartMap *m = c->map;
    while (c->i < m->n) {
        if (pop) {
            if (c->pj >= pop->n) {
                c->i = m->n;
                return false;
            }
            uint64_t u = m->unit_ids[c->i], p = pop->unit_ids[c->pj];
            if (u < p) {
                c->i = gallop(m->unit_ids, c->i, m->n, p);
                continue;
            }
            if (u > p) {
                c->pj = gallop(pop->unit_ids, c->pj, pop->n, u);
                continue;
            }
        }
        if (!w->has_time || (m->starts[c->i] <= w->hi && m->stops[c->i] >= w->lo))
            return true;
        c->i++;
    }
    return false;
}

typedef struct Builder {
    uint64_t *ids;
    int32_t *starts;
    int32_t *stops;
    uint8_t *values;
    size_t width;
    int64_t n;
} Builder;

static inline void builder_emit(Builder *b, const PartMap *m, int64_t i)
{
    int64_t n = b->n++;
    b->ids[n] = m->unit_ids[i];
    b->starts[n] = m->starts[i];
    b->stops[n] = m->stops[i];
    /* Both buffers are 8-byte aligned and hold no declared type (malloc, mmap). */
    if (b->width == 8)
        ((uint64_t *)(void *)b->values)[n] = ((const uint64_t *)m->values)[i];
    else
        ((uint32_t *)(void *)b->values)[n] = ((const uint32_t *)m->values)[i];
}

static bool cursor_before(const Cursor *a, const Cursor *b)
{
    uint64_t ua = a->map->unit_ids[a->i], ub = b->map->unit_ids[b->i];
    return ua < ub || (ua == ub && a->map->starts[a->i] < b->map->starts[b->i]);
}

/* Restores the heap order below slot at (heap of cursor pointers, earliest first). */
static void heap_sift_down(Cursor **heap, int64_t n, int64_t at)
{
    for (;;) {
        int64_t least = at, l = 2 * at + 1, r = l + 1;
        if (l < n && cursor_before(heap[l], heap[least]))
            least = l;
        if (r < n && cursor_before(heap[r], heap[least]))
            least = r;
        if (least == at)
            return;
        Cursor *t = heap[at];
        heap[at] = heap[least];
        heap[least] = t;
        at = least;
    }
}

/* K-way merge of the cursors through a binary heap: O(log K) per row, so a period query
 * over decades of yearly parts stays linear in the rows it returns. */
static void merge_cursors(Cursor *cursors, Cursor **heap, int64_t k, const Window *w,
                          const Population *pop, Builder *b)
{
    int64_t live = 0;
    for (int64_t j = 0; j < k; j++) {
        if (cursor_seek(&cursors[j], w, pop))
            heap[live++] = &cursors[j];
    }
    for (int64_t j = live / 2 - 1; j >= 0; j--)
        heap_sift_down(heap, live, j);
    while (live > 0) {
        Cursor *c = heap[0];
        builder_emit(b, c->map, c->i);
        c->i++;
        if (!cursor_seek(c, w, pop))
            heap[0] = heap[--live];
        heap_sift_down(heap, live, 0);
    }
}

/* A dense population against one part: a branch-free two-pointer merge. Every step writes
 * the current row into the next output slot and keeps it only when the ids are equal and
 * the row lies in the window, so the unpredictable 50/50 branches of an interleaved
 * population cost nothing. The part may hold several rows per unit (EVENT): the part side
 * advances on <=, the population side on <. The builder has one spare slot. */
static inline void merge_dense(const PartMap *m, const Window *w, bool all_match,
                               const Population *pop, Builder *b, size_t width)
{
    const uint64_t *ids = m->unit_ids, *pids = pop->unit_ids;
    const int32_t *starts = m->starts, *stops = m->stops;
    int64_t i = 0, j = 0, n = m->n, np = pop->n, o = b->n;
    int32_t lo = w->lo, hi = w->hi;
    while (i < n && j < np) {
        uint64_t u = ids[i], p = pids[j];
        b->ids[o] = u;
        b->starts[o] = starts[i];
        b->stops[o] = stops[i];
        if (width == 8)
            ((uint64_t *)(void *)b->values)[o] = ((const uint64_t *)m->values)[i];
        else
            ((uint32_t *)(void *)b->values)[o] = ((const uint32_t *)m->values)[i];
        bool in_time = all_match || (starts[i] <= hi && stops[i] >= lo);
        o += (int64_t)((u == p) & in_time);
        i += (int64_t)(u <= p);
        j += (int64_t)(p < u);
    }
    b->n = o;
}

/* One part: the rows in the window, restricted to the population. A sparse population (or
 * a sparse part) gallops past gaps longer than 8 ids on either side; a dense one merges
 * without branches. */
static void copy_one(const PartMap *m, const Window *w, bool all_match, const Population *pop,
                     Builder *b)
{
    const uint64_t *ids = m->unit_ids;
    int64_t n = m->n;
    if (!pop) {
        for (int64_t i = 0; i < n; i++) {
            if (all_match || (m->starts[i] <= w->hi && m->stops[i] >= w->lo))
                builder_emit(b, m, i);
        }
        return;
    }
    const uint64_t *pids = pop->unit_ids;
    int64_t i = 0, j = 0, np = pop->n;
    if (np >= n / 8 && n >= np / 8) {
        if (b->width == 8)
            merge_dense(m, w, all_match, pop, b, 8);
        else
            merge_dense(m, w, all_match, pop, b, 4);
        return;
    }
    while (i < n && j < np) {
        uint64_t u = ids[i], p = pids[j];
        if (u < p) {
            i = (i + 8 < n && ids[i + 8] < p) ? gallop(ids, i + 8, n, p) : i + 1;
        } else if (u > p) {
            j = (j + 8 < np && pids[j + 8] < u) ? gallop(pids, j + 8, np, u) : j + 1;
        } else {
            if (all_match || (m->starts[i] <= w->hi && m->stops[i] >= w->lo))
                builder_emit(b, m, i);
            i++;
        }
    }
}

/* ==== Answering from parts ============================================================= */

static void answer_view(const PartMap *m, Spells *out)
{
    spells_empty(out, m->type);
    out->n = m->n;
    out->unit_ids = m->unit_ids;
    out->starts = m->starts;
    out->stops = m->stops;
    spells_set_values(out, m->values);
    out->dictionary = m->dictionary;
    out->n_dictionary = m->n_dictionary;
    out->is_view = true;
}

static MdStatus builder_alloc(Builder *b, ValueType type, int64_t cap, void **block,
                              MdError *err)
{
    b->width = part_value_width(type);
    size_t c = (size_t)cap + 1; /* one spare slot for merge_dense's speculative write */
    size_t bytes = c * (8 + 4 + 4) + c * b->width + 8;
    *block = md_malloc(bytes);
    if (!*block)
        return md_error_set(err, MD_ERR_MEMORY, "out of memory for a query");
    uint8_t *p = *block;
    b->ids = (uint64_t *)p;
    b->values = p + 8 * c;
    b->starts = (int32_t *)(b->values + ((b->width * c + 7) & ~(size_t)7));
    b->stops = b->starts + c;
    b->n = 0;
    return MD_OK;
}

static MdStatus answer_copy(const PartMap **maps, int64_t k, const Window *w,
                            const Population *pop, int64_t cap, bool all_match, ValueType type,
                            Spells *out, MdError *err)
{
    Builder b = {0};
    void *block = NULL;
    Cursor *cursors = md_calloc((size_t)k, sizeof *cursors);
    Cursor **heap = md_calloc((size_t)k, sizeof *heap);
    if (!cursors || !heap || builder_alloc(&b, type, cap, &block, err)) {
        md_free(cursors);
        md_free(heap);
        return md_error_set(err, MD_ERR_MEMORY, "out of memory for a query");
    }
    const PartMap *dict = NULL;
    for (int64_t j = 0; j < k; j++) {
        cursors[j] = (Cursor){maps[j], 0, 0};
        if (!dict || maps[j]->n_dictionary > dict->n_dictionary)
            dict = maps[j];
    }
    if (k == 1)
        copy_one(maps[0], w, all_match, pop, &b);
    else
        merge_cursors(cursors, heap, k, w, pop, &b);
    md_free(cursors);
    md_free(heap);
    MD_ASSERT(b.n <= cap);
    spells_empty(out, type);
    out->n = b.n;
    out->unit_ids = b.ids;
    out->starts = b.starts;
    out->stops = b.stops;
    spells_set_values(out, b.values);
    /* Part dictionaries of one variable are prefixes of each other (the writer keeps one
     * growing dictionary), so the longest one names every id of every part. */
    out->dictionary = dict ? dict->dictionary : NULL;
    out->n_dictionary = dict ? dict->n_dictionary : 0;
    out->owned = block;
    return MD_OK;
}

/* Selects the parts that may match, maps them and answers with a view or a copy. */
static MdStatus answer_parts(StoreVersion *v, const VarEntry *e, const Window *w,
                             bool at_most_one_per_unit, const Population *pop, Spells *out,
                             MdError *err)
{
    const PartMap *one = NULL, **maps = NULL;
    int64_t k = 0, cap = 0, last = -1;
    MdStatus st = MD_OK;
    for (int64_t i = 0; i < e->n_parts && st == MD_OK; i++) {
        if (!part_may_match(&e->parts[i], w))
            continue;
        if (!maps && !(maps = md_calloc((size_t)e->n_parts, sizeof *maps)))
            st = md_error_set(err, MD_ERR_MEMORY, "out of memory querying %s", e->info.name);
        else if (!(maps[k] = store_part_map(v, e, i, err)))
            st = err->status;
        else
            cap += maps[k++]->n, last = i;
    }
    one = k == 1 ? maps[0] : NULL;
    if (st != MD_OK || k == 0) {
        md_free(maps);
        spells_empty(out, e->info.value_type);
        return st;
    }
    bool all_match = one && part_all_match(&e->parts[last], w);
    if (all_match && !pop) {
        md_free(maps);
        answer_view(one, out);
        return MD_OK;
    }
    /* Each part holds at most one row per unit at a date (the writer checks that within a
     * part), so k parts give at most k rows per member even for data that overlaps across
     * parts. */
    if (pop && at_most_one_per_unit && pop->n <= cap / k)
        cap = pop->n * k;
    st = answer_copy(maps, k, w, pop, cap, all_match, e->info.value_type, out, err);
    for (int64_t j = 0; j < k; j++)
        part_map_release_pages(maps[j]); /* the answer is a copy: the pages are not needed */
    md_free(maps);
    return st;
}

/* ==== Checks =========================================================================== */

static MdStatus status_date_error(const VariableInfo *info, int32_t date, MdError *err)
{
    char want[16], before[16] = "none", after[16] = "none";
    date_format_iso(date, want);
    int64_t lo = 0, hi = info->n_status_dates;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (info->status_dates[mid] < date)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo > 0)
        date_format_iso(info->status_dates[lo - 1], before);
    if (lo < info->n_status_dates)
        date_format_iso(info->status_dates[lo], after);
    if (info->n_status_dates == 0)
        md_error_set(err, MD_ERR_VALUE, "STATUS variable %s has no status dates, so it has "
                     "no value at %s", info->name, want);
    else
        md_error_set(err, MD_ERR_VALUE, "%s is not a status date of the STATUS variable %s; "
                     "the nearest valid dates are %s (before) and %s (after)", want,
                     info->name, before, after);
    md_error_hint(err, "a STATUS variable has values only at its status dates; "
                  "`mdata catalog %s` lists them", info->name);
    return err->status;
}

static bool is_status_date(const VariableInfo *info, int32_t date)
{
    int64_t lo = 0, hi = info->n_status_dates;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (info->status_dates[mid] == date)
            return true;
        if (info->status_dates[mid] < date)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

static bool outside_validity(const VariableInfo *info, int32_t lo, int32_t hi)
{
    if (info->valid_from != DATE_NONE && hi < info->valid_from)
        return true;
    return info->valid_until != DATE_NONE && lo > info->valid_until;
}

#ifndef NDEBUG
static bool population_sorted(const Population *pop)
{
    for (int64_t i = 1; pop && i < pop->n; i++) {
        if (pop->unit_ids[i] <= pop->unit_ids[i - 1])
            return false;
    }
    return true;
}
#endif

static MdStatus entry_get(StoreVersion *v, const VariableInfo *info, const VarEntry **out,
                          MdError *err)
{
    MD_ASSERT(v && info);
    *out = store_version_entry(v, info);
    if (!*out)
        return md_error_set(err, MD_ERR_NAME, "variable %s is not in version %s", info->name,
                            v->label);
    return MD_OK;
}

static MdStatus fixed_refuses_date(const VariableInfo *info, MdError *err)
{
    md_error_set(err, MD_ERR_VALUE, "%s is a FIXED variable and takes no date", info->name);
    md_error_hint(err, "leave the date out when importing a fixed variable");
    return err->status;
}

static MdStatus run_query(StoreVersion *v, const VarEntry *e, QueryKind kind, const Window *w,
                          const Population *pop, Spells *out, MdError *err)
{
    if (e->is_generated) {
        pthread_mutex_lock(&v->lock);
        MdStatus st = gen_variable_query(v->store->dir, &v->gen_state, &e->info, kind, w->lo,
                                         w->hi, pop, out, err);
        pthread_mutex_unlock(&v->lock);
        return st;
    }
    /* At one date a unit has at most one row (no overlap); so has a FIXED variable. */
    bool unique = kind == QUERY_AT || e->info.temporality == TEMPORALITY_FIXED;
    return answer_parts(v, e, w, unique, pop, out, err);
}

/* ==== The queries ====================================================================== */

MdStatus store_query_fixed(StoreVersion *version, const VariableInfo *info,
                           const Population *population, Spells *out, MdError *err)
{
    const VarEntry *e;
    MD_ASSERT(population_sorted(population)); /* a contract of store.h, checked in debug */
    spells_empty(out, info->value_type);
    if (entry_get(version, info, &e, err))
        return err->status;
    Window w = {false, DATE_NONE, DATE_OPEN};
    if (population && population->n == 0)
        return MD_OK;
    return run_query(version, e, QUERY_FIXED, &w, population, out, err);
}

MdStatus store_query_at(StoreVersion *version, const VariableInfo *info, int32_t date,
                        const Population *population, Spells *out, MdError *err)
{
    const VarEntry *e;
    MD_ASSERT(population_sorted(population)); /* a contract of store.h, checked in debug */
    spells_empty(out, info->value_type);
    if (entry_get(version, info, &e, err))
        return err->status;
    info = &e->info; /* this version's metadata decides */
    if (info->temporality == TEMPORALITY_FIXED)
        return fixed_refuses_date(info, err);
    if (date == DATE_NONE || date == DATE_OPEN)
        return md_error_set(err, MD_ERR_VALUE, "a query of %s needs a date", info->name);
    if (info->temporality == TEMPORALITY_STATUS && !is_status_date(info, date))
        return status_date_error(info, date, err);
    if (outside_validity(info, date, date) || (population && population->n == 0))
        return MD_OK;
    Window w = {true, date, date};
    return run_query(version, e, QUERY_AT, &w, population, out, err);
}

MdStatus store_query_period(StoreVersion *version, const VariableInfo *info, int32_t from,
                            int32_t to, const Population *population, Spells *out,
                            MdError *err)
{
    const VarEntry *e;
    MD_ASSERT(population_sorted(population)); /* a contract of store.h, checked in debug */
    spells_empty(out, info->value_type);
    if (entry_get(version, info, &e, err))
        return err->status;
    info = &e->info; /* this version's metadata decides */
    if (info->temporality == TEMPORALITY_FIXED)
        return fixed_refuses_date(info, err);
    if (from == DATE_NONE || to == DATE_NONE || from > to) {
        char a[16], b[16];
        date_format_iso(from, a);
        date_format_iso(to, b);
        md_error_set(err, MD_ERR_VALUE, "the period %s to %s of a query of %s is empty or "
                     "incomplete", a, b, info->name);
        md_error_hint(err, "give a start date that is not after the stop date");
        return err->status;
    }
    if (outside_validity(info, from, to) || (population && population->n == 0))
        return MD_OK;
    Window w = {true, from, to};
    return run_query(version, e, QUERY_PERIOD, &w, population, out, err);
}
