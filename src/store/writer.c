/*
 * writer.c - VariableWriter: takes the rows of one variable in batches, checks them
 * (sortedness and the temporality rules of spec/datastore.md 1.3, defensively: importers
 * check first with better messages), splits them into parts (one per status date for
 * STATUS, one per start year for ACCUMULATED, one for FIXED and EVENT), writes each part as
 * a hidden column file, and on commit renames the files into place and writes the
 * variable's draft catalogue entry, all under the store lock.
 *
 * Memory: a part is buffered until a later batch holds only later parts (or the buffers
 * pass WRITER_FLUSH_BYTES); then it is written as a segment. Rows for a key that was already
 * written start a new segment with the same key, so a STATUS variable given date by date, or
 * a big import given in unit-id chunks, never holds more than a few parts in memory.
 * STRING values go into one dictionary per writer that only grows, so the dictionary of
 * every part is a prefix of the final one.
 *
 * A failing add leaves the writer as it was before the call; abort (or a failed commit)
 * removes every file the writer made, so nothing becomes visible.
 */
#include "store/store_int.h"

#include <inttypes.h>

#include <errno.h>
#include <jansson.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define WRITER_FLUSH_BYTES ((size_t)1 << 30)

size_t store_writer_flush_bytes = WRITER_FLUSH_BYTES;

typedef struct PartStats {
    int64_t n;
    bool has_last;
    uint64_t last_id;
    int32_t last_start, last_stop;
    int32_t min_start, max_start, min_stop, max_stop;
} PartStats;

typedef struct OpenPart {
    int32_t key;
    int64_t seq;      /* segment order among parts of the same key */
    bool is_written;  /* flushed to its file; buffers freed */
    PartStats stats;
    size_t cap;
    uint64_t *ids;
    int32_t *starts;
    int32_t *stops;
    uint8_t *values;
    char *file;       /* hidden file name under parts/<NAME>/, once written */
} OpenPart;

struct VariableWriter {
    Store *store;
    Arena *arena;
    VarEntry entry;
    bool is_generated;
    OpenPart *parts;
    int64_t n_parts;
    size_t cap_parts;
    int64_t *current;    /* per key: index of the part that takes its rows, sorted by key */
    int64_t n_current;
    size_t cap_current;
    size_t buffered;     /* bytes held in open parts */
    StrMap *dict;
    const char **dict_strings;
    size_t cap_dict;
    int64_t id;
    int64_t next_seq;
};

static atomic_llong writer_counter;

/* ==== Creating ========================================================================= */

static int code_cmp(const void *a, const void *b)
{
    const CodeEntry *x = a, *y = b;
    int c = strcmp(x->code, y->code);
    if (c != 0)
        return c;
    return (x->valid_from > y->valid_from) - (x->valid_from < y->valid_from);
}

static MdStatus info_check(const VariableInfo *info, MdError *err)
{
    if (!store_name_valid(info->name))
        return md_error_set(err, MD_ERR_NAME, "variable name '%s' is not valid (letters, "
                            "digits, '_' and '-' only)", info->name ? info->name : "");
    if ((unsigned)info->temporality > TEMPORALITY_EVENT ||
        (unsigned)info->value_type > VALUE_STRING)
        return md_error_set(err, MD_ERR_VALUE, "variable %s: unknown temporality or value "
                            "type", info->name);
    for (int64_t i = 1; i < info->n_status_dates; i++) {
        if (info->status_dates[i] <= info->status_dates[i - 1])
            return md_error_set(err, MD_ERR_VALUE, "variable %s: status dates must be sorted "
                                "and distinct", info->name);
    }
    if (info->n_status_dates > 0 && info->temporality != TEMPORALITY_STATUS)
        return md_error_set(err, MD_ERR_VALUE, "variable %s: only STATUS variables have "
                            "status dates", info->name);
    return MD_OK;
}

static MdStatus writer_dirs(const VariableWriter *w, MdError *err)
{
    char path[STORE_PATH_MAX];
    if (store_path(path, sizeof path, err, "%s/%s/%s", w->store->dir, STORE_PARTS_DIR,
                   w->entry.info.name))
        return err->status;
    return store_mkdir(path, err);
}

VariableWriter *variable_writer_new(Store *store, const VariableInfo *info, MdError *err)
{
    MD_ASSERT(store && info);
    if (info_check(info, err))
        return NULL;
    VariableWriter *w = md_calloc(1, sizeof *w);
    if (!w || !(w->arena = arena_new(16 * 1024)) || !(w->dict = strmap_new()) ||
        catalog_copy_info(w->arena, info, &w->entry.info) != MD_OK) {
        md_error_set(err, MD_ERR_MEMORY, "out of memory writing variable %s", info->name);
        variable_writer_abort(w);
        return NULL;
    }
    w->store = store;
    w->id = atomic_fetch_add(&writer_counter, 1);
    VariableInfo *v = &w->entry.info;
    if (v->n_codes > 1)
        qsort((void *)v->codes, (size_t)v->n_codes, sizeof *v->codes, code_cmp);
    v->n_rows = 0;
    if (writer_dirs(w, err)) {
        variable_writer_abort(w);
        return NULL;
    }
    return w;
}

void variable_writer_set_generated(VariableWriter *writer)
{
    writer->is_generated = true;
}

/* ==== Parts ============================================================================ */

/* The part key of a row; the year of the last ACCUMULATED key is cached in *year (its
 * first and last day), since rows mostly come year by year. */
static int32_t row_key(Temporality t, int32_t start, int32_t year[2])
{
    if (t == TEMPORALITY_STATUS)
        return start;
    if (t != TEMPORALITY_ACCUMULATED)
        return DATE_NONE;
    if (start < year[0] || start > year[1]) {
        int32_t y = date_year(start);
        year[0] = date_from_ymd(y, 1, 1);
        year[1] = date_from_ymd(y, 12, 31);
    }
    return year[0];
}

/* Position in w->current of key, or where it would go (found tells which). */
static int64_t current_find(const VariableWriter *w, int32_t key, bool *found)
{
    int64_t lo = 0, hi = w->n_current;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        int32_t k = w->parts[w->current[mid]].key;
        if (k == key) {
            *found = true;
            return mid;
        }
        if (k < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = false;
    return lo;
}

static void stats_init(PartStats *s)
{
    memset(s, 0, sizeof *s);
    s->min_start = s->min_stop = DATE_OPEN;
    s->max_start = s->max_stop = DATE_NONE;
}

/* The part that takes rows of key: the open one, or a new segment (continuing the order
 * checks of the written segment before it). Returns its index, or -1 on OOM. */
static int64_t part_for_key(VariableWriter *w, int32_t key)
{
    bool found;
    int64_t pos = current_find(w, key, &found);
    if (found && !w->parts[w->current[pos]].is_written)
        return w->current[pos];
    if (md_grow((void **)&w->parts, &w->cap_parts, (size_t)w->n_parts + 1, sizeof *w->parts) ||
        (!found && md_grow((void **)&w->current, &w->cap_current, (size_t)w->n_current + 1,
                           sizeof *w->current)))
        return -1;
    OpenPart *p = &w->parts[w->n_parts];
    memset(p, 0, sizeof *p);
    p->key = key;
    p->seq = w->next_seq++;
    stats_init(&p->stats);
    if (found) {
        const PartStats *prev = &w->parts[w->current[pos]].stats;
        p->stats.has_last = prev->has_last;
        p->stats.last_id = prev->last_id;
        p->stats.last_start = prev->last_start;
        p->stats.last_stop = prev->last_stop;
        w->current[pos] = w->n_parts;
    } else {
        memmove(w->current + pos + 1, w->current + pos,
                (size_t)(w->n_current - pos) * sizeof *w->current);
        w->current[pos] = w->n_parts;
        w->n_current++;
    }
    return w->n_parts++;
}

static MdStatus part_reserve(VariableWriter *w, OpenPart *p)
{
    if ((size_t)p->stats.n < p->cap)
        return MD_OK;
    size_t cap = p->cap ? p->cap * 2 : 1024;
    size_t width = part_value_width(w->entry.info.value_type);
    uint64_t *ids = md_realloc_array(p->ids, cap, 8);
    if (ids)
        p->ids = ids;
    int32_t *starts = ids ? md_realloc_array(p->starts, cap, 4) : NULL;
    if (starts)
        p->starts = starts;
    int32_t *stops = starts ? md_realloc_array(p->stops, cap, 4) : NULL;
    if (stops)
        p->stops = stops;
    uint8_t *values = stops ? md_realloc_array(p->values, cap, width) : NULL;
    if (!values)
        return MD_ERR_MEMORY;
    p->values = values;
    w->buffered += (cap - p->cap) * (16 + width);
    p->cap = cap;
    return MD_OK;
}

static void part_free_buffers(OpenPart *p)
{
    md_free(p->ids);
    md_free(p->starts);
    md_free(p->stops);
    md_free(p->values);
    p->ids = NULL;
    p->starts = p->stops = NULL;
    p->values = NULL;
    p->cap = 0;
}

static MdStatus part_flush(VariableWriter *w, OpenPart *p, MdError *err)
{
    char name[96], path[STORE_PATH_MAX];
    snprintf(name, sizeof name, ".w%ld-%" PRId64 "-%" PRId64 ".part", (long)getpid(), w->id,
             p->seq);
    if (store_path(path, sizeof path, err, "%s/%s/%s/%s", w->store->dir, STORE_PARTS_DIR,
                   w->entry.info.name, name))
        return err->status;
    PartData d = {p->stats.n, w->entry.info.value_type, p->ids, p->starts, p->stops,
                  p->values, w->dict_strings, (uint32_t)strmap_count(w->dict)};
    p->file = arena_strdup(w->arena, name);
    if (!p->file)
        return md_error_set(err, MD_ERR_MEMORY, "out of memory writing %s", w->entry.info.name);
    if (part_file_write(path, &d, err)) {
        p->file = NULL;
        return err->status;
    }
    size_t width = part_value_width(w->entry.info.value_type);
    w->buffered -= p->cap * (16 + width);
    part_free_buffers(p);
    p->is_written = true;
    return MD_OK;
}

/* Writes every open part whose key is before key (all parts for DATE_OPEN). */
static MdStatus flush_before(VariableWriter *w, int32_t key, MdError *err)
{
    for (int64_t i = 0; i < w->n_parts; i++) {
        OpenPart *p = &w->parts[i];
        if (!p->is_written && (p->key < key || key == DATE_OPEN) && part_flush(w, p, err))
            return err->status;
    }
    return MD_OK;
}

/* ==== Adding rows ====================================================================== */

static const char *row_problem(Temporality t, int32_t start, int32_t stop)
{
    switch (t) {
    case TEMPORALITY_FIXED:
        return start == DATE_NONE ? NULL : "a FIXED row must have no start date";
    case TEMPORALITY_STATUS:
        return start != DATE_NONE && start == stop ? NULL
               : "a STATUS row must have start = stop (its status date)";
    case TEMPORALITY_ACCUMULATED:
        return start != DATE_NONE && stop != DATE_NONE && stop != DATE_OPEN && start < stop
               ? NULL : "an ACCUMULATED row must have start before stop";
    case TEMPORALITY_EVENT:
        return start != DATE_NONE && stop != DATE_NONE && stop >= start
               ? NULL : "an EVENT row must have a start and a stop not before it (or open)";
    }
    return "unknown temporality";
}

/* Sort order and overlap against the previous row of the same part. */
static const char *order_problem(Temporality t, const PartStats *s, uint64_t id, int32_t start)
{
    if (!s->has_last || id > s->last_id)
        return NULL;
    if (id < s->last_id)
        return "rows are not sorted by unit id";
    if (t == TEMPORALITY_FIXED || t == TEMPORALITY_STATUS)
        return "a unit has more than one row (for one status date)";
    if (start <= s->last_start)
        return "rows of a unit are not sorted by start";
    if (s->last_stop == DATE_OPEN || s->last_stop >= start)
        return "two periods of a unit overlap (intervals are closed at both ends)";
    return NULL;
}

static void stats_add(PartStats *s, uint64_t id, int32_t start, int32_t stop)
{
    s->has_last = true;
    s->last_id = id;
    s->last_start = start;
    s->last_stop = stop;
    s->min_start = start < s->min_start ? start : s->min_start;
    s->max_start = start > s->max_start ? start : s->max_start;
    s->min_stop = stop < s->min_stop ? stop : s->min_stop;
    s->max_stop = stop > s->max_stop ? stop : s->max_stop;
    s->n++;
}

/* Maps the batch's string ids to the writer's dictionary (remap[i] for rows->dictionary[i]). */
static MdStatus dict_map(VariableWriter *w, const Spells *rows, uint32_t *remap, uint32_t id,
                         MdError *err)
{
    if (remap[id] != UINT32_MAX)
        return MD_OK;
    const char *s = rows->dictionary[id] ? rows->dictionary[id] : "";
    int64_t found;
    if (!strmap_get(w->dict, s, &found)) {
        found = strmap_count(w->dict);
        if (found >= (int64_t)UINT32_MAX - 1 ||
            md_grow((void **)&w->dict_strings, &w->cap_dict, (size_t)found + 1,
                    sizeof *w->dict_strings) || strmap_put(w->dict, s, found))
            return md_error_set(err, MD_ERR_MEMORY, "out of memory for the strings of %s",
                                w->entry.info.name);
        w->dict_strings[found] = strmap_key_at(w->dict, found);
    }
    remap[id] = (uint32_t)found;
    return MD_OK;
}

static void value_store(const Spells *rows, int64_t i, const uint32_t *remap, uint8_t *dst)
{
    switch (rows->type) {
    case VALUE_LONG: memcpy(dst, &rows->longs[i], 8); break;
    case VALUE_DOUBLE: memcpy(dst, &rows->doubles[i], 8); break;
    case VALUE_DATE: memcpy(dst, &rows->dates[i], 4); break;
    case VALUE_STRING: memcpy(dst, &remap[rows->string_ids[i]], 4); break;
    }
}

typedef struct Snapshot {
    int64_t n_parts;
    int64_t n_current;
    int64_t *current;
    PartStats *stats;
} Snapshot;

static MdStatus snapshot_take(const VariableWriter *w, Snapshot *s)
{
    s->n_parts = w->n_parts;
    s->n_current = w->n_current;
    s->current = md_malloc(((size_t)w->n_current + 1) * sizeof *s->current);
    s->stats = md_malloc(((size_t)w->n_parts + 1) * sizeof *s->stats);
    if (!s->current || !s->stats)
        return MD_ERR_MEMORY;
    for (int64_t i = 0; i < w->n_current; i++)
        s->current[i] = w->current[i];
    for (int64_t i = 0; i < w->n_parts; i++)
        s->stats[i] = w->parts[i].stats;
    return MD_OK;
}

/* Puts the writer back as it was before the batch (new parts dropped, counts restored). */
static void snapshot_restore(VariableWriter *w, const Snapshot *s)
{
    for (int64_t i = s->n_parts; i < w->n_parts; i++) {
        w->buffered -= w->parts[i].cap * (16 + part_value_width(w->entry.info.value_type));
        part_free_buffers(&w->parts[i]);
    }
    w->n_parts = s->n_parts;
    w->n_current = s->n_current;
    for (int64_t i = 0; i < s->n_current; i++)
        w->current[i] = s->current[i];
    for (int64_t i = 0; i < s->n_parts; i++)
        w->parts[i].stats = s->stats[i];
}

static void snapshot_free(Snapshot *s)
{
    md_free(s->current);
    md_free(s->stats);
}

static MdStatus row_fail(const VariableWriter *w, const char *problem, MdError *err)
{
    md_error_set(err, MD_ERR_VALUE, "variable %s (%s): %s", w->entry.info.name,
                 temporality_name(w->entry.info.temporality), problem);
    md_error_hint(err, "give rows sorted by unit id then start that follow the rules of "
                  "spec/datastore.md 1.3");
    return err->status;
}

static bool status_date_known(const VariableInfo *v, int32_t date)
{
    if (v->n_status_dates == 0)
        return true;
    for (int64_t lo = 0, hi = v->n_status_dates; lo < hi;) {
        int64_t mid = lo + (hi - lo) / 2;
        if (v->status_dates[mid] == date)
            return true;
        if (v->status_dates[mid] < date)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

static MdStatus add_row(VariableWriter *w, const Spells *rows, int64_t i, uint32_t *remap,
                        int32_t key, MdError *err)
{
    const VariableInfo *v = &w->entry.info;
    int32_t start = rows->starts[i], stop = rows->stops[i];
    const char *problem = row_problem(v->temporality, start, stop);
    if (problem)
        return row_fail(w, problem, err);
    if (v->temporality == TEMPORALITY_STATUS && !status_date_known(v, start))
        return row_fail(w, "a row's date is not one of the variable's status dates", err);
    if (rows->type == VALUE_STRING) {
        if (rows->string_ids[i] >= rows->n_dictionary)
            return row_fail(w, "a string id is outside the batch's dictionary", err);
        if (dict_map(w, rows, remap, rows->string_ids[i], err))
            return err->status;
    }
    int64_t k = part_for_key(w, key);
    if (k < 0 || part_reserve(w, &w->parts[k]))
        return md_error_set(err, MD_ERR_MEMORY, "out of memory writing %s", v->name);
    OpenPart *p = &w->parts[k];
    problem = order_problem(v->temporality, &p->stats, rows->unit_ids[i], start);
    if (problem)
        return row_fail(w, problem, err);
    int64_t n = p->stats.n;
    p->ids[n] = rows->unit_ids[i];
    p->starts[n] = start;
    p->stops[n] = stop;
    value_store(rows, i, remap, p->values + n * part_value_width(v->value_type));
    stats_add(&p->stats, rows->unit_ids[i], start, stop);
    return MD_OK;
}

static MdStatus add_batch(VariableWriter *w, const Spells *rows, uint32_t *remap,
                          int32_t *kmin, MdError *err)
{
    *kmin = DATE_OPEN;
    int32_t year[2] = {DATE_OPEN, DATE_NONE};
    Temporality t = w->entry.info.temporality;
    for (int64_t i = 0; i < rows->n; i++) {
        int32_t key = rows->starts[i] == DATE_NONE ? DATE_NONE : row_key(t, rows->starts[i], year);
        if (add_row(w, rows, i, remap, key, err))
            return err->status;
        *kmin = key < *kmin ? key : *kmin;
    }
    return MD_OK;
}

MdStatus variable_writer_add(VariableWriter *w, const Spells *rows, MdError *err)
{
    MD_ASSERT(w && rows);
    if (w->is_generated)
        return md_error_set(err, MD_ERR_VALUE, "variable %s is generated on demand and takes "
                            "no rows", w->entry.info.name);
    if (rows->type != w->entry.info.value_type)
        return md_error_set(err, MD_ERR_TYPE, "variable %s holds %s values, the rows are %s",
                            w->entry.info.name, value_type_name(w->entry.info.value_type),
                            value_type_name(rows->type));
    if (rows->n == 0)
        return MD_OK;
    Snapshot snap;
    uint32_t *remap = NULL;
    if (rows->type == VALUE_STRING) {
        remap = md_malloc(((size_t)rows->n_dictionary + 1) * sizeof *remap);
        if (remap)
            memset(remap, 0xff, ((size_t)rows->n_dictionary + 1) * sizeof *remap);
    }
    MdStatus st = snapshot_take(w, &snap);
    if (st != MD_OK || (rows->type == VALUE_STRING && !remap))
        st = md_error_set(err, MD_ERR_MEMORY, "out of memory writing %s", w->entry.info.name);
    int32_t kmin = DATE_OPEN;
    if (st == MD_OK && (st = add_batch(w, rows, remap, &kmin, err)) != MD_OK)
        snapshot_restore(w, &snap);
    snapshot_free(&snap);
    md_free(remap);
    if (st != MD_OK)
        return st;
    /* Parts before the batch's first key are complete unless a later batch reopens them. */
    if (w->buffered > store_writer_flush_bytes)
        kmin = DATE_OPEN;
    if (kmin != DATE_NONE)
        return flush_before(w, kmin, err);
    return MD_OK;
}

/* ==== Commit and abort ================================================================= */

static void remove_files(VariableWriter *w, bool final_names)
{
    char path[STORE_PATH_MAX];
    MdError ignored;
    for (int64_t i = 0; i < w->entry.n_parts && final_names; i++) {
        md_error_clear(&ignored);
        if (store_path(path, sizeof path, &ignored, "%s/%s", w->store->dir,
                       w->entry.parts[i].file) == MD_OK)
            unlink(path);
    }
    for (int64_t i = 0; i < w->n_parts; i++) {
        md_error_clear(&ignored);
        if (w->parts[i].file && store_path(path, sizeof path, &ignored, "%s/%s/%s/%s",
                                           w->store->dir, STORE_PARTS_DIR, w->entry.info.name,
                                           w->parts[i].file) == MD_OK)
            unlink(path);
    }
}

void variable_writer_abort(VariableWriter *w)
{
    if (!w)
        return;
    if (w->store)
        remove_files(w, false);
    for (int64_t i = 0; i < w->n_parts; i++)
        part_free_buffers(&w->parts[i]);
    md_free(w->parts);
    md_free(w->current);
    md_free(w->dict_strings);
    strmap_free(w->dict);
    arena_free(w->arena);
    md_free(w);
}

static int part_order(const void *a, const void *b)
{
    const OpenPart *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

/* The generation of the draft's current entry for name, or 0 when there is none. */
static MdStatus draft_generation(const VariableWriter *w, const char *path, int64_t *gen,
                                 MdError *err)
{
    *gen = 0;
    if (access(path, F_OK) != 0)
        return MD_OK;
    Catalog c = {0};
    c.arena = arena_new(4096);
    json_error_t jerr;
    json_t *o = json_load_file(path, 0, &jerr);
    MdStatus st = MD_OK;
    if (!c.arena || !o)
        st = md_error_set(err, MD_ERR_IO, "cannot read the draft entry of %s (%s)",
                          w->entry.info.name, path);
    VarEntry old;
    if (st == MD_OK && (st = catalog_entry_from_json(o, c.arena, &old, path, err)) == MD_OK)
        *gen = old.generation;
    json_decref(o);
    arena_free(c.arena);
    return st;
}

/* Status dates of a STATUS variable given none: the keys of its parts. */
static MdStatus derive_status_dates(VariableWriter *w)
{
    VariableInfo *v = &w->entry.info;
    if (v->temporality != TEMPORALITY_STATUS || v->n_status_dates > 0)
        return MD_OK;
    int32_t *dates = arena_alloc(w->arena, ((size_t)w->n_parts + 1) * sizeof *dates);
    if (!dates)
        return MD_ERR_MEMORY;
    int64_t n = 0;
    for (int64_t i = 0; i < w->n_parts; i++) {
        if (n == 0 || dates[n - 1] != w->parts[i].key)
            dates[n++] = w->parts[i].key;
    }
    v->status_dates = dates;
    v->n_status_dates = n;
    return MD_OK;
}

/* Validity from the data when the metadata leaves it open (DATE_NONE). */
static void derive_validity(VariableWriter *w)
{
    VariableInfo *v = &w->entry.info;
    int32_t lo = DATE_OPEN, hi = DATE_NONE;
    for (int64_t i = 0; i < w->n_parts; i++) {
        const PartStats *s = &w->parts[i].stats;
        int32_t first = v->temporality == TEMPORALITY_FIXED ? s->min_stop : s->min_start;
        lo = first < lo ? first : lo;
        hi = s->max_stop > hi ? s->max_stop : hi;
    }
    if (v->valid_from == DATE_NONE && w->n_parts > 0)
        v->valid_from = lo;
    if (v->valid_until == DATE_NONE && w->n_parts > 0)
        v->valid_until = hi;
}

/* Renames the hidden part files to parts/<NAME>/g<gen>-<k>.part and fills entry.parts. */
static MdStatus parts_publish(VariableWriter *w, MdError *err)
{
    VarEntry *e = &w->entry;
    e->parts = arena_alloc(w->arena, ((size_t)w->n_parts + 1) * sizeof *e->parts);
    if (!e->parts)
        return md_error_set(err, MD_ERR_MEMORY, "out of memory writing %s", e->info.name);
    char from[STORE_PATH_MAX], to[STORE_PATH_MAX], dir[STORE_PATH_MAX];
    if (store_path(dir, sizeof dir, err, "%s/%s/%s", w->store->dir, STORE_PARTS_DIR,
                   e->info.name))
        return err->status;
    for (int64_t k = 0; k < w->n_parts; k++) {
        const OpenPart *p = &w->parts[k];
        PartRef *ref = &e->parts[k];
        ref->file = arena_printf(w->arena, "%s/%s/g%" PRId64 "-%" PRId64 ".part",
                                 STORE_PARTS_DIR, e->info.name, e->generation, k);
        if (!ref->file)
            return md_error_set(err, MD_ERR_MEMORY, "out of memory writing %s", e->info.name);
        if (store_path(from, sizeof from, err, "%s/%s", dir, p->file) ||
            store_path(to, sizeof to, err, "%s/%s", w->store->dir, ref->file))
            return err->status;
        if (rename(from, to) != 0)
            return md_error_set(err, MD_ERR_IO, "cannot rename %s: %s", from, strerror(errno));
        p = &w->parts[k];
        ref->key = p->key;
        ref->n_rows = p->stats.n;
        ref->min_start = p->stats.min_start;
        ref->max_start = p->stats.max_start;
        ref->min_stop = p->stats.min_stop;
        ref->max_stop = p->stats.max_stop;
        e->n_parts = k + 1;
        e->info.n_rows += p->stats.n;
    }
    return store_fsync_dir(dir, err);
}

static MdStatus entry_write(VariableWriter *w, const char *path, MdError *err)
{
    json_t *o = catalog_entry_to_json(&w->entry);
    if (!o)
        return md_error_set(err, MD_ERR_MEMORY, "out of memory writing %s", path);
    StrBuf text;
    MdStatus st = store_json_dump(o, &text, err);
    json_decref(o);
    if (st == MD_OK)
        st = store_file_write_atomic(path, text.data, text.len, 0644, err);
    strbuf_free(&text);
    return st;
}

static MdStatus commit_locked(VariableWriter *w, MdError *err)
{
    char path[STORE_PATH_MAX];
    int64_t old = 0;
    if (store_path(path, sizeof path, err, "%s/%s/%s.json", w->store->dir, STORE_DRAFT_DIR,
                   w->entry.info.name) ||
        draft_generation(w, path, &old, err))
        return err->status;
    w->entry.generation = old + 1;
    w->entry.is_generated = w->is_generated;
    if (parts_publish(w, err))
        return err->status;
    return entry_write(w, path, err);
}

MdStatus variable_writer_commit(VariableWriter *w, MdError *err)
{
    MD_ASSERT(w);
    MdStatus st = flush_before(w, DATE_OPEN, err);
    if (st == MD_OK && w->n_parts > 1)
        qsort(w->parts, (size_t)w->n_parts, sizeof *w->parts, part_order);
    if (st == MD_OK && derive_status_dates(w) != MD_OK)
        st = md_error_set(err, MD_ERR_MEMORY, "out of memory writing %s", w->entry.info.name);
    if (st == MD_OK)
        derive_validity(w);
    int fd = -1;
    if (st == MD_OK && (st = store_lock_acquire(w->store, &fd, err)) == MD_OK) {
        st = commit_locked(w, err);
        if (st != MD_OK)
            remove_files(w, true);
        store_lock_release(w->store, fd);
    }
    if (st == MD_OK)
        w->entry.n_parts = 0; /* the files are the draft's now: keep them */
    else
        md_error_where(err, "%s", w->entry.info.name);
    if (st == MD_OK) {
        for (int64_t i = 0; i < w->n_parts; i++)
            w->parts[i].file = NULL;
    }
    variable_writer_abort(w);
    return st;
}
