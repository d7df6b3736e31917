/*
 * store_file.c - the file-system layer of the datastore: path building, crash-safe writes
 * (temporary name, fsync, rename, fsync of the directory), whole-file reads, directory
 * creation, the store lock (a pthread mutex inside the process plus flock on DIR/.lock
 * between processes) and the manifest (manifest.json: name, synthetic flag, format version,
 * releases oldest first).
 *
 * Invariant: a file that a reader can see under its final name is complete; a failed write
 * leaves at most a hidden temporary file (".tmp-" prefix) that no reader ever opens.
 */
#include "store/store_int.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* ==== Paths ============================================================================ */

MdStatus store_path(char *buf, size_t cap, MdError *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(buf, cap, fmt, ap);
    va_end(ap);
    if (len < 0 || (size_t)len >= cap)
        return md_error_set(err, MD_ERR_LIMIT, "path too long (more than %zu bytes)", cap - 1);
    return MD_OK;
}

/* Variable names become directory names, so they may not contain '/', '.' or control
 * characters. Letters (also UTF-8), digits, '_' and '-' are allowed. */
bool store_name_valid(const char *name)
{
    if (!name || !*name || strlen(name) > 128)
        return false;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        bool ok = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
                  (*p >= '0' && *p <= '9') || *p == '_' || *p == '-' || *p >= 0x80;
        if (!ok)
            return false;
    }
    return true;
}

/* ==== Writes and reads ================================================================= */

static MdStatus write_all(int fd, const void *data, size_t len, const char *path, MdError *err)
{
    const char *p = data;
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return md_error_set(err, MD_ERR_IO, "cannot write %s: %s", path, strerror(errno));
        p += w;
        len -= (size_t)w;
    }
    return MD_OK;
}

MdStatus store_fsync_dir(const char *path, MdError *err)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        return md_error_set(err, MD_ERR_IO, "cannot open directory %s: %s", path,
                            strerror(errno));
    int rc = fsync(fd);
    close(fd);
    if (rc != 0)
        return md_error_set(err, MD_ERR_IO, "cannot sync directory %s: %s", path,
                            strerror(errno));
    return MD_OK;
}

/* Splits path into its directory (written into dir) for the temporary name and fsync. */
static void path_dirname(const char *path, char *dir, size_t cap)
{
    const char *slash = strrchr(path, '/');
    if (!slash) {
        snprintf(dir, cap, ".");
        return;
    }
    size_t len = (size_t)(slash - path);
    if (len == 0)
        len = 1;
    snprintf(dir, cap, "%.*s", (int)len, path);
}

MdStatus store_file_write_atomic(const char *path, const void *data, size_t len, int mode,
                                 MdError *err)
{
    char dir[STORE_PATH_MAX], tmp[STORE_PATH_MAX];
    path_dirname(path, dir, sizeof dir);
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    if (store_path(tmp, sizeof tmp, err, "%s/.tmp-%ld-%s", dir, (long)getpid(), base))
        return err->status;
    unlink(tmp); /* a leftover of a crash may be read-only */
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, mode);
    if (fd < 0)
        return md_error_set(err, MD_ERR_IO, "cannot create %s: %s", tmp, strerror(errno));
    MdStatus st = write_all(fd, data, len, tmp, err);
    if (st == MD_OK && fsync(fd) != 0)
        st = md_error_set(err, MD_ERR_IO, "cannot sync %s: %s", tmp, strerror(errno));
    if (close(fd) != 0 && st == MD_OK)
        st = md_error_set(err, MD_ERR_IO, "cannot close %s: %s", tmp, strerror(errno));
    if (st == MD_OK && rename(tmp, path) != 0)
        st = md_error_set(err, MD_ERR_IO, "cannot rename %s to %s: %s", tmp, path,
                          strerror(errno));
    if (st != MD_OK) {
        unlink(tmp);
        return st;
    }
    return store_fsync_dir(dir, err);
}

MdStatus store_file_read(const char *path, char **data, size_t *len, MdError *err)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return md_error_set(err, MD_ERR_IO, "cannot open %s: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return md_error_set(err, MD_ERR_IO, "%s is not a readable file", path);
    }
    size_t size = (size_t)st.st_size;
    char *buf = md_malloc(size + 1);
    if (!buf) {
        close(fd);
        return md_error_set(err, MD_ERR_MEMORY, "out of memory reading %s", path);
    }
    size_t got = 0;
    while (got < size) {
        ssize_t r = read(fd, buf + got, size - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    if (got != size) {
        md_free(buf);
        return md_error_set(err, MD_ERR_IO, "cannot read %s", path);
    }
    buf[size] = '\0';
    *data = buf;
    *len = size;
    return MD_OK;
}

MdStatus store_mkdir(const char *path, MdError *err)
{
    if (mkdir(path, 0755) == 0 || errno == EEXIST) {
        struct stat st;
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
            return MD_OK;
        return md_error_set(err, MD_ERR_IO, "%s exists and is not a directory", path);
    }
    return md_error_set(err, MD_ERR_IO, "cannot create directory %s: %s", path,
                        strerror(errno));
}

/* ==== Lock ============================================================================= */

MdStatus store_lock_acquire(Store *store, int *fd, MdError *err)
{
    char path[STORE_PATH_MAX];
    if (store_path(path, sizeof path, err, "%s/%s", store->dir, STORE_LOCK_FILE))
        return err->status;
    pthread_mutex_lock(&store->lock);
    *fd = open(path, O_RDWR | O_CREAT, 0644);
    if (*fd < 0) {
        pthread_mutex_unlock(&store->lock);
        return md_error_set(err, MD_ERR_IO, "cannot open lock file %s: %s", path,
                            strerror(errno));
    }
    while (flock(*fd, LOCK_EX) != 0) {
        if (errno != EINTR) {
            close(*fd);
            pthread_mutex_unlock(&store->lock);
            return md_error_set(err, MD_ERR_IO, "cannot lock %s: %s", path, strerror(errno));
        }
    }
    return MD_OK;
}

void store_lock_release(Store *store, int fd)
{
    flock(fd, LOCK_UN);
    close(fd);
    pthread_mutex_unlock(&store->lock);
}

/* ==== JSON ============================================================================= */

static int dump_chunk(const char *buffer, size_t size, void *data)
{
    return strbuf_append(data, buffer, size) == MD_OK ? 0 : -1;
}

MdStatus store_json_dump(const void *json, StrBuf *out, MdError *err)
{
    strbuf_init(out, (size_t)1 << 31);
    if (json_dump_callback(json, dump_chunk, out, JSON_INDENT(1) | JSON_PRESERVE_ORDER) != 0 ||
        strbuf_putc(out, '\n') != MD_OK) {
        strbuf_free(out);
        return md_error_set(err, MD_ERR_MEMORY, "out of memory writing JSON");
    }
    return MD_OK;
}

/* ==== Manifest ========================================================================= */

MdStatus store_manifest_write(const char *dir, const char *name, bool synthetic,
                              char *const *releases, int64_t n, MdError *err)
{
    char path[STORE_PATH_MAX];
    if (store_path(path, sizeof path, err, "%s/%s", dir, STORE_MANIFEST_FILE))
        return err->status;
    json_t *list = json_array();
    json_t *root = json_object();
    if (!list || !root)
        goto oom;
    for (int64_t i = 0; i < n; i++) {
        if (json_array_append_new(list, json_string(releases[i])) != 0)
            goto oom;
    }
    json_object_set_new(root, "format", json_string("mdata-datastore"));
    json_object_set_new(root, "format_version", json_integer(STORE_FORMAT_VERSION));
    json_object_set_new(root, "name", json_string(name));
    json_object_set_new(root, "synthetic", json_boolean(synthetic));
    json_object_set(root, "releases", list);
    json_decref(list);
    StrBuf text;
    MdStatus st = store_json_dump(root, &text, err);
    json_decref(root);
    if (st == MD_OK)
        st = store_file_write_atomic(path, text.data, text.len, 0644, err);
    strbuf_free(&text);
    return st;
oom:
    json_decref(list);
    json_decref(root);
    return md_error_set(err, MD_ERR_MEMORY, "out of memory writing %s", path);
}

static MdStatus manifest_fail(json_t *root, const char *path, const char *what, MdError *err)
{
    json_decref(root);
    md_error_set(err, MD_ERR_IO, "%s is not a datastore manifest: %s", path, what);
    md_error_hint(err, "give --store the directory made by `mdata gen` or store_create");
    return err->status;
}

static bool release_known(const Store *store, const char *label)
{
    for (int64_t i = 0; i < store->n_releases; i++) {
        if (strcmp(store->releases[i], label) == 0)
            return true;
    }
    return false;
}

/* Appends releases listed in the manifest that the Store does not know yet; earlier
 * labels stay where they are, so pointers handed out by store_release_at stay valid. */
static MdStatus manifest_add_releases(Store *store, const json_t *list, const char *path,
                                      MdError *err)
{
    size_t i;
    const json_t *item;
    json_array_foreach(list, i, item) {
        if (!json_is_string(item))
            return md_error_set(err, MD_ERR_IO, "%s: releases must be strings", path);
        const char *label = json_string_value(item);
        if (release_known(store, label))
            continue;
        size_t cap = (size_t)store->n_releases + 1;
        char **grown = md_realloc_array(store->releases, cap, sizeof *grown);
        if (!grown)
            return md_error_set(err, MD_ERR_MEMORY, "out of memory reading %s", path);
        store->releases = grown;
        grown[store->n_releases] = md_strdup(label);
        if (!grown[store->n_releases])
            return md_error_set(err, MD_ERR_MEMORY, "out of memory reading %s", path);
        store->n_releases++;
    }
    return MD_OK;
}

MdStatus store_manifest_reload(Store *store, MdError *err)
{
    char path[STORE_PATH_MAX];
    if (store_path(path, sizeof path, err, "%s/%s", store->dir, STORE_MANIFEST_FILE))
        return err->status;
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    if (!root) {
        md_error_set(err, MD_ERR_IO, "cannot read datastore manifest %s: %s", path,
                     jerr.text);
        md_error_hint(err, "give --store the directory made by `mdata gen` or store_create");
        return err->status;
    }
    const json_t *name = json_object_get(root, "name");
    const json_t *version = json_object_get(root, "format_version");
    const json_t *list = json_object_get(root, "releases");
    if (!json_is_string(name) || !json_is_integer(version) || !json_is_array(list))
        return manifest_fail(root, path, "name, format_version or releases missing", err);
    if (json_integer_value(version) != STORE_FORMAT_VERSION)
        return manifest_fail(root, path, "unsupported format_version", err);
    MdStatus st = MD_OK;
    if (!store->name) {
        store->name = md_strdup(json_string_value(name));
        if (!store->name)
            st = md_error_set(err, MD_ERR_MEMORY, "out of memory reading %s", path);
    }
    store->is_synthetic = json_is_true(json_object_get(root, "synthetic"));
    if (st == MD_OK)
        st = manifest_add_releases(store, list, path, err);
    json_decref(root);
    return st;
}
