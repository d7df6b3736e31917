/*
 * store_int.h - what the files inside src/store share and no other module may include.
 *
 * The synthetic store can answer a query for a variable that is not materialised on disk
 * by generating the rows on demand from the stored life histories (src/store/gen). The
 * query code calls gen_variable_query for every variable whose catalogue entry says
 * "source": "generated"; the generator fills out exactly as a stored variable would
 * (sorted by unit id then start, restricted to the population).
 */
#ifndef MDATA_STORE_STORE_INT_H
#define MDATA_STORE_STORE_INT_H

#include "store/store.h"

typedef enum QueryKind {
    QUERY_FIXED,  /* all rows */
    QUERY_AT,     /* value at date `from` (STATUS/ACCUMULATED/EVENT rules of store.h) */
    QUERY_PERIOD  /* spells overlapping [from, to] */
} QueryKind;

/* Implemented in src/store/gen. version_dir is the release (or draft) directory; state is
 * opened lazily by the generator and cached on the version through *gen_state. */
MdStatus gen_variable_query(const char *store_dir, void **gen_state, const VariableInfo *info,
                            QueryKind kind, int32_t from, int32_t to,
                            const Population *population, Spells *out, MdError *err)
    MD_MUST_CHECK;
void gen_state_free(void *gen_state);


/* ==== Internal: catalogue entries, part files, store state (store owner only) ========== */

#include <pthread.h>

#define STORE_FORMAT_VERSION 1
#define STORE_MANIFEST_FILE "manifest.json"
#define STORE_SECRET_FILE "secret.key"
#define STORE_SECRET_BYTES 32
#define STORE_LOCK_FILE ".lock"
#define STORE_DRAFT_DIR "draft"
#define STORE_RELEASES_DIR "releases"
#define STORE_PARTS_DIR "parts"
#define STORE_PATH_MAX 4096

/* One part of a stored variable: its file (relative to the store directory), its key (the
 * status date, the start year's 1 January, or DATE_NONE for FIXED/EVENT) and row statistics
 * that let a query skip it or answer with a view. */
typedef struct PartRef {
    const char *file;
    int32_t key;
    int64_t n_rows;
    int32_t min_start, max_start, min_stop, max_stop;
} PartRef;

typedef struct PartMap PartMap;

/* A catalogue entry: the public VariableInfo plus what the store alone needs. */
typedef struct VarEntry {
    VariableInfo info;
    bool is_generated;
    int64_t generation; /* bumped each time the draft gets a new version of the variable */
    PartRef *parts;     /* sorted by key */
    int64_t n_parts;
    PartMap **maps;     /* lazily opened mappings, one per part (StoreVersion only) */
} VarEntry;

/* A catalogue: entries sorted by name, all memory in arena. */
typedef struct Catalog {
    Arena *arena;
    VarEntry *vars;
    int64_t n;
} Catalog;

struct Store {
    char *dir;
    char *name;
    bool is_synthetic;
    char *secret_path;
    char **releases;
    int64_t n_releases;
    pthread_mutex_t lock;
};

struct StoreVersion {
    Store *store;
    char *label;
    Catalog catalog;
    const char **names;  /* for store_version_suggest */
    void *gen_state;
    pthread_mutex_t lock; /* guards lazy part mapping and gen_state */
};

/* catalog.c: JSON <-> entries. */
MdStatus catalog_entry_from_json(const void *json, Arena *arena, VarEntry *out,
                                 const char *file, MdError *err) MD_MUST_CHECK;
void *catalog_entry_to_json(const VarEntry *entry); /* json_t *, NULL on OOM */
MdStatus catalog_load_file(const char *path, Catalog *out, MdError *err) MD_MUST_CHECK;
MdStatus catalog_load_draft(const char *store_dir, Catalog *out, MdError *err) MD_MUST_CHECK;
MdStatus catalog_write_file(const char *path, const Catalog *catalog, const char *label,
                            MdError *err) MD_MUST_CHECK;
void catalog_free(Catalog *catalog);
void catalog_sort(Catalog *catalog);
const VarEntry *catalog_find(const Catalog *catalog, const char *name);
MdStatus catalog_copy_info(Arena *arena, const VariableInfo *src, VariableInfo *dst)
    MD_MUST_CHECK;

/* store_file.c: paths, atomic writes, locking. */
MdStatus store_path(char *buf, size_t cap, MdError *err, const char *fmt, ...) MD_PRINTF(4, 5)
    MD_MUST_CHECK;
MdStatus store_file_write_atomic(const char *path, const void *data, size_t len, int mode,
                                 MdError *err) MD_MUST_CHECK;
MdStatus store_file_read(const char *path, char **data, size_t *len, MdError *err)
    MD_MUST_CHECK;
/* Serialises json (a json_t *) into out (initialised here; strbuf_free it). */
MdStatus store_json_dump(const void *json, StrBuf *out, MdError *err) MD_MUST_CHECK;
MdStatus store_mkdir(const char *path, MdError *err) MD_MUST_CHECK;
MdStatus store_fsync_dir(const char *path, MdError *err) MD_MUST_CHECK;
MdStatus store_lock_acquire(Store *store, int *fd, MdError *err) MD_MUST_CHECK;
void store_lock_release(Store *store, int fd);
bool store_name_valid(const char *name);
MdStatus store_manifest_write(const char *dir, const char *name, bool synthetic,
                              char *const *releases, int64_t n, MdError *err) MD_MUST_CHECK;
MdStatus store_manifest_reload(Store *store, MdError *err) MD_MUST_CHECK;

/* part_file.c: the column file of one part. */
struct PartMap {
    const uint8_t *base;
    size_t size;
    int64_t n;
    ValueType type;
    const uint64_t *unit_ids;
    const int32_t *starts;
    const int32_t *stops;
    const void *values;
    const char **dictionary;
    uint32_t n_dictionary;
};

typedef struct PartData {
    int64_t n;
    ValueType type;
    const uint64_t *unit_ids;
    const int32_t *starts;
    const int32_t *stops;
    const void *values;
    const char *const *dictionary;
    uint32_t n_dictionary;
} PartData;

size_t part_value_width(ValueType type);
/* Writes the part file at path (through a temporary name, fsync, rename). */
MdStatus part_file_write(const char *path, const PartData *data, MdError *err) MD_MUST_CHECK;
/* Maps and validates; bad files give MD_ERR_IO naming the file. */
PartMap *part_map_open(const char *path, MdError *err);
void part_map_close(PartMap *map);
/* Drops the mapping's pages from the resident set (they fault back in when read). */
void part_map_release_pages(const PartMap *map);

/* writer.c: buffered bytes above which a writer writes every open part (1 GiB; tests lower
 * it to exercise segments). */
extern size_t store_writer_flush_bytes;

/* query.c helpers used by the bench and tests. */
const PartMap *store_part_map(StoreVersion *version, const VarEntry *entry, int64_t index,
                              MdError *err);
const VarEntry *store_version_entry(const StoreVersion *version, const VariableInfo *info);

#endif /* MDATA_STORE_STORE_INT_H */
