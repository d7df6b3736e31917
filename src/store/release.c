/*
 * release.c - store_release: freezes the draft into an immutable release
 * (releases/<MAJOR.MINOR.PATCH>.json) and appends its label to the manifest.
 *
 * The bump follows the job-executor's rule (spec/datastore.md 1b): MAJOR when a variable of
 * the latest release was changed (its draft entry has another generation) or removed, else
 * MINOR when variables were added; the first release is 1.0.0. A draft that equals the
 * latest release is refused. A release references the part files of the draft entries, it
 * never copies them; part files are immutable, and a draft change writes new ones.
 * The manifest write is the commit point: a release file that the manifest does not list
 * is invisible and is overwritten by the next release.
 */
#include "store/store_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

typedef enum Bump { BUMP_NONE, BUMP_MINOR, BUMP_MAJOR } Bump;

static Bump bump_of(const Catalog *draft, const Catalog *latest)
{
    Bump bump = BUMP_NONE;
    for (int64_t i = 0; i < draft->n; i++) {
        const VarEntry *old = catalog_find(latest, draft->vars[i].info.name);
        if (!old)
            bump = bump == BUMP_NONE ? BUMP_MINOR : bump;
        else if (old->generation != draft->vars[i].generation)
            return BUMP_MAJOR;
    }
    for (int64_t i = 0; i < latest->n; i++) {
        if (!catalog_find(draft, latest->vars[i].info.name))
            return BUMP_MAJOR;
    }
    return bump;
}

static bool label_parse(const char *label, int64_t part[3])
{
    const char *p = label;
    for (int k = 0; k < 3; k++) {
        const char *start = p;
        while (*p >= '0' && *p <= '9')
            p++;
        if (p == start || !text_parse_int64(start, (size_t)(p - start), false, &part[k]))
            return false;
        if (k < 2 && *p++ != '.')
            return false;
    }
    return *p == '\0';
}

static MdStatus next_label(const Store *store, const Catalog *draft, char *label, size_t cap,
                           MdError *err)
{
    const char *latest = store_latest_release(store);
    if (!latest) {
        if (draft->n == 0)
            return md_error_set(err, MD_ERR_VALUE, "the draft of %s holds no variables, so "
                                "there is nothing to release", store->name);
        snprintf(label, cap, "1.0.0");
        return MD_OK;
    }
    int64_t v[3];
    if (!label_parse(latest, v))
        return md_error_set(err, MD_ERR_IO, "the manifest of %s lists a bad version '%s'",
                            store->dir, latest);
    char path[STORE_PATH_MAX];
    Catalog old;
    if (store_path(path, sizeof path, err, "%s/%s/%s.json", store->dir, STORE_RELEASES_DIR,
                   latest) ||
        catalog_load_file(path, &old, err))
        return err->status;
    Bump bump = bump_of(draft, &old);
    catalog_free(&old);
    if (bump == BUMP_NONE) {
        md_error_set(err, MD_ERR_VALUE, "the draft of %s equals release %s, so there is "
                     "nothing to release", store->name, latest);
        md_error_hint(err, "import or change a variable first");
        return err->status;
    }
    if (bump == BUMP_MAJOR)
        snprintf(label, cap, "%" PRId64 ".0.0", v[0] + 1);
    else
        snprintf(label, cap, "%" PRId64 ".%" PRId64 ".0", v[0], v[1] + 1);
    return MD_OK;
}

static MdStatus release_locked(Store *store, char *label, size_t cap, MdError *err)
{
    Catalog draft;
    if (store_manifest_reload(store, err) || catalog_load_draft(store->dir, &draft, err))
        return err->status;
    char path[STORE_PATH_MAX];
    MdStatus st = next_label(store, &draft, label, cap, err);
    if (st == MD_OK)
        st = store_path(path, sizeof path, err, "%s/%s/%s.json", store->dir,
                        STORE_RELEASES_DIR, label);
    if (st == MD_OK)
        st = catalog_write_file(path, &draft, label, err);
    catalog_free(&draft);
    if (st != MD_OK)
        return st;
    char **list = md_calloc((size_t)store->n_releases + 2, sizeof *list);
    if (!list)
        return md_error_set(err, MD_ERR_MEMORY, "out of memory releasing %s", label);
    for (int64_t i = 0; i < store->n_releases; i++)
        list[i] = store->releases[i];
    list[store->n_releases] = label;
    st = store_manifest_write(store->dir, store->name, store->is_synthetic, list,
                              store->n_releases + 1, err);
    md_free(list);
    return st == MD_OK ? store_manifest_reload(store, err) : st;
}

MdStatus store_release(Store *store, char *label_out, size_t cap, MdError *err)
{
    MD_ASSERT(store && label_out);
    char label[64];
    int fd;
    if (store_lock_acquire(store, &fd, err))
        return err->status;
    MdStatus st = release_locked(store, label, sizeof label, err);
    store_lock_release(store, fd);
    if (st != MD_OK) {
        md_error_where(err, "%s", store->dir);
        return st;
    }
    if (strlen(label) >= cap)
        return md_error_set(err, MD_ERR_LIMIT, "the release label %s does not fit in %zu "
                            "bytes", label, cap);
    snprintf(label_out, cap, "%s", label);
    return MD_OK;
}
