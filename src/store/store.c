/*
 * store.c - creating and opening a datastore directory and opening its versions: the
 * manifest, the secret key, a release's immutable catalogue or the draft's entries, and the
 * metadata lookups on an open version (variables by name, nearest name, code labels).
 *
 * A StoreVersion owns its catalogue (arena) and the part mappings that queries open lazily;
 * it is read-only after opening except for those mappings and the generator's cached state,
 * both guarded by the version's mutex.
 */
#include "store/store_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* ==== Creating ========================================================================= */

static MdStatus secret_make(const char *path, MdError *err)
{
    unsigned char key[STORE_SECRET_BYTES];
    int fd = open("/dev/urandom", O_RDONLY);
    if (fd < 0)
        return md_error_set(err, MD_ERR_IO, "cannot open /dev/urandom: %s", strerror(errno));
    size_t got = 0;
    while (got < sizeof key) {
        ssize_t r = read(fd, key + got, sizeof key - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    if (got != sizeof key)
        return md_error_set(err, MD_ERR_IO, "cannot read 32 random bytes from /dev/urandom");
    MdStatus st = store_file_write_atomic(path, key, sizeof key, 0600, err);
    memset(key, 0, sizeof key);
    return st;
}

MdStatus store_create(const char *dir, const char *name, bool synthetic, MdError *err)
{
    MD_ASSERT(dir && name);
    char path[STORE_PATH_MAX];
    if (!name[0] || strchr(name, '/') || strchr(name, '"'))
        return md_error_set(err, MD_ERR_VALUE, "datastore name '%s' is not valid", name);
    if (store_path(path, sizeof path, err, "%s/%s", dir, STORE_MANIFEST_FILE))
        return err->status;
    if (access(path, F_OK) == 0) {
        md_error_set(err, MD_ERR_IO, "%s already holds a datastore", dir);
        md_error_hint(err, "choose an empty directory, or open the existing store");
        return err->status;
    }
    if (store_mkdir(dir, err))
        return err->status;
    static const char *const subdirs[] = {STORE_DRAFT_DIR, STORE_RELEASES_DIR, STORE_PARTS_DIR};
    for (size_t i = 0; i < MD_ARRAY_LEN(subdirs); i++) {
        if (store_path(path, sizeof path, err, "%s/%s", dir, subdirs[i]) ||
            store_mkdir(path, err))
            return err->status;
    }
    if (store_path(path, sizeof path, err, "%s/%s", dir, STORE_SECRET_FILE) ||
        secret_make(path, err))
        return err->status;
    /* The manifest comes last: until it exists the directory is not a store. */
    return store_manifest_write(dir, name, synthetic, NULL, 0, err);
}

/* ==== Opening ========================================================================== */

Store *store_open(const char *dir, MdError *err)
{
    MD_ASSERT(dir);
    Store *store = md_calloc(1, sizeof *store);
    if (!store) {
        md_error_set(err, MD_ERR_MEMORY, "out of memory opening %s", dir);
        return NULL;
    }
    pthread_mutex_init(&store->lock, NULL);
    char path[STORE_PATH_MAX];
    store->dir = md_strdup(dir);
    if (!store->dir ||
        store_path(path, sizeof path, err, "%s/%s", dir, STORE_SECRET_FILE) != MD_OK ||
        !(store->secret_path = md_strdup(path))) {
        md_error_set(err, MD_ERR_MEMORY, "out of memory opening %s", dir);
        store_close(store);
        return NULL;
    }
    if (store_manifest_reload(store, err) != MD_OK) {
        store_close(store);
        return NULL;
    }
    return store;
}

void store_close(Store *store)
{
    if (!store)
        return;
    for (int64_t i = 0; i < store->n_releases; i++)
        md_free(store->releases[i]);
    md_free(store->releases);
    md_free(store->dir);
    md_free(store->name);
    md_free(store->secret_path);
    pthread_mutex_destroy(&store->lock);
    md_free(store);
}

const char *store_name(const Store *store) { return store->name; }
const char *store_dir(const Store *store) { return store->dir; }
bool store_is_synthetic(const Store *store) { return store->is_synthetic; }
int64_t store_release_count(const Store *store) { return store->n_releases; }
const char *store_secret_path(const Store *store) { return store->secret_path; }

const char *store_release_at(const Store *store, int64_t index)
{
    return index >= 0 && index < store->n_releases ? store->releases[index] : NULL;
}

const char *store_latest_release(const Store *store)
{
    return store->n_releases > 0 ? store->releases[store->n_releases - 1] : NULL;
}

/* ==== Versions ========================================================================= */

static bool is_draft_label(const char *version)
{
    return strcasecmp(version, "draft") == 0;
}

static const char *known_release(const Store *store, const char *version)
{
    for (int64_t i = 0; i < store->n_releases; i++) {
        if (strcmp(store->releases[i], version) == 0)
            return store->releases[i];
    }
    return NULL;
}

static MdStatus unknown_version(const Store *store, const char *version, MdError *err)
{
    char list[256] = "";
    size_t used = 0;
    for (int64_t i = 0; i < store->n_releases && used + 20 < sizeof list; i++)
        used += (size_t)snprintf(list + used, sizeof list - used, "%s, ", store->releases[i]);
    snprintf(list + used, sizeof list - used, "draft");
    md_error_set(err, MD_ERR_NAME, "datastore %s has no version '%s'; it has: %s",
                 store->name, version, list);
    md_error_hint(err, "name a released version as MAJOR.MINOR.PATCH, or draft");
    md_error_where(err, "%s", store->dir);
    return err->status;
}

static MdStatus version_load(StoreVersion *v, const char *label, MdError *err)
{
    Store *store = v->store;
    if (is_draft_label(label))
        return catalog_load_draft(store->dir, &v->catalog, err);
    char path[STORE_PATH_MAX];
    if (store_path(path, sizeof path, err, "%s/%s/%s.json", store->dir, STORE_RELEASES_DIR,
                   label))
        return err->status;
    return catalog_load_file(path, &v->catalog, err);
}

static MdStatus version_index(StoreVersion *v, MdError *err)
{
    Catalog *c = &v->catalog;
    v->names = md_calloc((size_t)c->n + 1, sizeof *v->names);
    if (!v->names)
        return md_error_set(err, MD_ERR_MEMORY, "out of memory opening version %s", v->label);
    for (int64_t i = 0; i < c->n; i++) {
        v->names[i] = c->vars[i].info.name;
        c->vars[i].maps = md_calloc((size_t)c->vars[i].n_parts + 1, sizeof *c->vars[i].maps);
        if (!c->vars[i].maps)
            return md_error_set(err, MD_ERR_MEMORY, "out of memory opening version %s",
                                v->label);
    }
    return MD_OK;
}

StoreVersion *store_version_open(Store *store, const char *version, MdError *err)
{
    MD_ASSERT(store && version);
    if (!is_draft_label(version) && !known_release(store, version)) {
        /* Another process may have released since the store was opened. */
        if (store_manifest_reload(store, err) != MD_OK)
            return NULL;
        if (!known_release(store, version)) {
            unknown_version(store, version, err);
            return NULL;
        }
    }
    StoreVersion *v = md_calloc(1, sizeof *v);
    if (!v) {
        md_error_set(err, MD_ERR_MEMORY, "out of memory opening version %s", version);
        return NULL;
    }
    pthread_mutex_init(&v->lock, NULL);
    v->store = store;
    v->label = md_strdup(is_draft_label(version) ? "draft" : version);
    if (!v->label) {
        md_error_set(err, MD_ERR_MEMORY, "out of memory opening version %s", version);
        store_version_close(v);
        return NULL;
    }
    if (version_load(v, v->label, err) != MD_OK || version_index(v, err) != MD_OK) {
        store_version_close(v);
        return NULL;
    }
    return v;
}

void store_version_close(StoreVersion *version)
{
    if (!version)
        return;
    if (version->gen_state)
        gen_state_free(version->gen_state);
    catalog_free(&version->catalog);
    md_free(version->names);
    md_free(version->label);
    pthread_mutex_destroy(&version->lock);
    md_free(version);
}

const char *store_version_label(const StoreVersion *version) { return version->label; }

int64_t store_version_variable_count(const StoreVersion *version)
{
    return version->catalog.n;
}

const VariableInfo *store_version_variable_at(const StoreVersion *version, int64_t index)
{
    if (index < 0 || index >= version->catalog.n)
        return NULL;
    return &version->catalog.vars[index].info;
}

const VariableInfo *store_version_variable(const StoreVersion *version, const char *name)
{
    const VarEntry *e = catalog_find(&version->catalog, name);
    return e ? &e->info : NULL;
}

const char *store_version_suggest(const StoreVersion *version, const char *name)
{
    if (version->catalog.n == 0)
        return NULL;
    return text_suggest(name, version->names, (size_t)version->catalog.n);
}

/* The entry that holds info (info must come from this version). */
const VarEntry *store_version_entry(const StoreVersion *version, const VariableInfo *info)
{
    const Catalog *c = &version->catalog;
    if (c->n > 0) {
        const VarEntry *first = &c->vars[0];
        const VarEntry *e = (const VarEntry *)(const void *)info;
        /* VariableInfo is the first member of VarEntry, so a pointer handed out by this
         * version converts back; anything else is looked up by name. */
        if (e >= first && e < first + c->n)
            return e;
    }
    return info && info->name ? catalog_find(c, info->name) : NULL;
}

/* ==== Code lists ======================================================================= */

const char *variable_code_label(const VariableInfo *info, const char *code, int32_t date)
{
    const char *found = NULL;
    for (int64_t i = 0; i < info->n_codes; i++) {
        const CodeEntry *c = &info->codes[i];
        if (strcmp(c->code, code) != 0)
            continue;
        if (date == DATE_NONE) {
            found = c->label; /* the latest period wins */
            continue;
        }
        bool after_start = c->valid_from == DATE_NONE || date >= c->valid_from;
        bool before_end = c->valid_until == DATE_NONE || date <= c->valid_until;
        if (after_start && before_end)
            return c->label;
    }
    return found;
}
