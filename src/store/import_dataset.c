/*
 * import_dataset.c - store_import_dataset and store_import_datasets: a microdata-tools
 * dataset directory (NAME/NAME.json + NAME/NAME.csv) validated by every rule of
 * spec/datastore.md 1.1-1.4 and then written into the store's draft.
 *
 * Pipeline: name rule (1.1) -> metadata model (import_metadata.c) -> CSV reader
 * (import_csv.c) -> temporality, overlap, uniqueness and code rules (import_rules.c) ->
 * enrichment (status dates, temporal coverage) -> VariableInfo + sorted columns ->
 * VariableWriter (import_write.c). All or nothing: with several directories every one is
 * validated before the first is written, and a dataset that fails changes nothing. Memory
 * holds one dataset at a time: with several, pass 1 validates each and frees it, pass 2
 * reads, validates and writes them one by one (a lone dataset is validated once).
 */
#include "store/import_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* ==== Files ============================================================================ */

MdStatus import_read_file(const char *path, size_t max, char **data, size_t *len, MdError *err)
{
    *data = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return md_error_set(err, MD_ERR_IO, "cannot open %s: %s", path, strerror(errno));
    StrBuf sb;
    strbuf_init(&sb, max);
    char chunk[65536];
    MdStatus st = MD_OK;
    for (;;) {
        size_t got = fread(chunk, 1, sizeof chunk, f);
        if (got > 0 && (st = strbuf_append(&sb, chunk, got)) != MD_OK)
            break;
        if (got < sizeof chunk)
            break;
    }
    bool failed = ferror(f);
    fclose(f);
    if (st == MD_ERR_LIMIT)
        return md_error_set(err, st, "%s is larger than the limit of %zu bytes", path, max);
    if (st != MD_OK)
        return md_error_set(err, st, "out of memory reading %s", path);
    if (failed) {
        strbuf_free(&sb);
        return md_error_set(err, MD_ERR_IO, "cannot read %s", path);
    }
    *len = sb.len;
    *data = sb.data ? strbuf_take(&sb) : md_calloc(1, 1);
    if (!*data)
        return md_error_set(err, MD_ERR_MEMORY, "out of memory reading %s", path);
    return MD_OK;
}

MdStatus import_map_file(const char *path, const char **data, size_t *len, MdError *err)
{
    static const char empty[1];
    *data = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return md_error_set(err, MD_ERR_IO, "cannot open %s: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return md_error_set(err, MD_ERR_IO, "%s is not a readable file", path);
    }
    if (st.st_size == 0) {
        close(fd);
        *data = empty;
        return MD_OK;
    }
    void *map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (map == MAP_FAILED)
        return md_error_set(err, MD_ERR_IO, "cannot map %s: %s", path, strerror(errno));
    madvise(map, (size_t)st.st_size, MADV_SEQUENTIAL);
    *data = map;
    *len = (size_t)st.st_size;
    return MD_OK;
}

void import_unmap_file(const char *data, size_t len)
{
    if (data && len > 0)
        munmap((void *)data, len);
}

/* ==== Enrichment ======================================================================= */

/* Status dates (STATUS) and the temporal coverage, as microdata-tools' enricher: FIXED
 * starts on 1900-01-01 and ends at the latest stop; the others cover min..max of every
 * start and stop present. */
static MdStatus enrich(ImportDataset *d)
{
    const ImportRows *r = &d->rows;
    int32_t lo = DATE_OPEN, hi = DATE_NONE;
    for (int64_t i = 0; i < r->n; i++) {
        int32_t dates[2] = {r->starts[i], r->stops[i]};
        for (int k = 0; k < 2; k++) {
            if (dates[k] == DATE_NONE || dates[k] == DATE_OPEN)
                continue;
            lo = dates[k] < lo ? dates[k] : lo;
            hi = dates[k] > hi ? dates[k] : hi;
        }
    }
    d->info.valid_from = r->n ? lo : DATE_NONE;
    d->info.valid_until = r->n ? hi : DATE_OPEN;
    if (d->meta.temporality == TEMPORALITY_FIXED)
        d->info.valid_from = date_from_ymd(1900, 1, 1);
    if (d->meta.temporality != TEMPORALITY_STATUS)
        return MD_OK;
    d->status_dates = md_malloc((size_t)(r->n ? r->n : 1) * sizeof *d->status_dates);
    if (!d->status_dates)
        return MD_ERR_MEMORY;
    /* rows are in (unit, start) order: collect, then sort the dates by insertion */
    int64_t n = 0;
    for (int64_t k = 0; k < r->n; k++) {
        int32_t s = r->starts[d->order[k]];
        int64_t j = n;
        while (j > 0 && d->status_dates[j - 1] > s)
            j--;
        if (j > 0 && d->status_dates[j - 1] == s)
            continue;
        memmove(d->status_dates + j + 1, d->status_dates + j,
                (size_t)(n - j) * sizeof *d->status_dates);
        d->status_dates[j] = s;
        n++;
    }
    d->n_status_dates = n;
    return MD_OK;
}

static void fill_info(ImportDataset *d)
{
    const ImportMeta *m = &d->meta;
    VariableInfo *info = &d->info;
    info->name = m->name;
    info->title = m->title ? m->title : m->name;
    info->description = m->description ? m->description : "";
    info->temporality = m->temporality;
    info->unit_type = m->unit_type;
    info->id_name = m->id_name;
    info->value_type = m->value_type;
    info->pointer_to = m->pointer_to;
    info->format = m->format;
    info->status_dates = d->status_dates;
    info->n_status_dates = d->n_status_dates;
    info->codes = m->codes;
    info->n_codes = m->n_codes;
    info->n_rows = d->rows.n;
}

/* ==== Validation ======================================================================= */

MdStatus import_dataset_validate(const ImportInput *in, ImportDataset *out, ImportLog *log)
{
    const char *name = in->name;
    memset(out, 0, sizeof *out);
    char file[160];
    snprintf(file, sizeof file, "%.120s.json", name);
    import_log_init(log, file);
    if (!import_dataset_name_valid(name)) {
        import_log_add(log, MD_ERR_NAME, 0, "1.1 dataset name",
                       "dataset name must match ^[A-Z][A-Z0-9_]*$");
        return log->status;
    }
    MdStatus st = import_meta_parse(name, in->json, in->json_len, &out->meta, log);
    if (st != MD_OK || !in->csv)
        goto done;
    snprintf(file, sizeof file, "%.120s.csv", name);
    import_log_file(log, file);
    ImportCsvOptions options = {out->meta.value_type, out->meta.pointer_to != NULL};
    st = import_csv_read(in->csv, in->csv_len, &options, &out->rows, log);
    if (in->csv_is_mapped && in->csv_len > 0)
        madvise((void *)in->csv, in->csv_len, MADV_DONTNEED); /* parsed: free its pages */
    if (st != MD_OK)
        goto done;
    out->order = md_malloc((size_t)(out->rows.n ? out->rows.n : 1) * sizeof *out->order);
    if (!out->order) {
        st = MD_ERR_MEMORY;
        goto done;
    }
    st = import_rules_check(&out->meta, &out->rows, out->order, log);
    if (st == MD_OK)
        st = enrich(out);
done:
    if (st == MD_ERR_MEMORY && !import_log_failed(log))
        import_log_add(log, st, 0, "memory", "out of memory");
    if (st != MD_OK || import_log_failed(log)) {
        import_dataset_free(out);
        return import_log_failed(log) ? log->status : st;
    }
    fill_info(out);
    return MD_OK;
}

void import_dataset_free(ImportDataset *d)
{
    import_meta_free(&d->meta);
    import_rows_free(&d->rows);
    md_free(d->order);
    md_free(d->status_dates);
    memset(d, 0, sizeof *d);
}

/* ==== Directories ====================================================================== */

/* The dataset name is the last component of the directory path. */
static void dir_basename(const char *dir, char *name, size_t cap)
{
    size_t len = strlen(dir);
    while (len > 1 && dir[len - 1] == '/')
        len--;
    size_t start = len;
    while (start > 0 && dir[start - 1] != '/')
        start--;
    size_t n = len - start < cap - 1 ? len - start : cap - 1;
    memcpy(name, dir + start, n);
    name[n] = 0;
}

/* Reads and validates one directory; on failure the log (or err for I/O) says why. */
static MdStatus validate_dir(const char *dir, ImportDataset *out, ImportLog *log, MdError *err)
{
    char name[128], path[4096];
    dir_basename(dir, name, sizeof name);
    memset(out, 0, sizeof *out);
    char *json = NULL;
    const char *csv = NULL;
    size_t json_len = 0, csv_len = 0;
    snprintf(path, sizeof path, "%s/%s.json", dir, name);
    MdStatus st = import_read_file(path, 64u << 20, &json, &json_len, err);
    if (st == MD_OK) {
        snprintf(path, sizeof path, "%s/%s.csv", dir, name);
        st = import_map_file(path, &csv, &csv_len, err);
        if (st == MD_ERR_IO)
            md_error_hint(err, "a dataset directory NAME/ holds NAME.json and NAME.csv; "
                               "metadata-only imports are not supported");
    }
    if (st == MD_OK) {
        ImportInput in = {name, json, json_len, csv, csv_len, true};
        st = import_dataset_validate(&in, out, log);
        if (st != MD_OK)
            import_log_to_error(log, err);
    }
    md_free(json);
    import_unmap_file(csv, csv_len);
    return st;
}

/* ==== Public =========================================================================== */

/* Two directories with the same last component would import one variable twice. */
static MdStatus check_duplicates(const char *const *dirs, int64_t n_dirs, MdError *err)
{
    char a[128], b[128];
    for (int64_t i = 0; i < n_dirs; i++) {
        dir_basename(dirs[i], a, sizeof a);
        for (int64_t j = 0; j < i; j++) {
            dir_basename(dirs[j], b, sizeof b);
            if (strcmp(a, b) == 0)
                return md_error_set(err, MD_ERR_NAME, "dataset %s is given twice", a);
        }
    }
    return MD_OK;
}

/* Adds one failed dataset's errors to the report; the first failure also fills err. */
static MdStatus report_failure(const ImportLog *log, const MdError *one, MdStatus *first,
                               StrBuf *report, MdError *err)
{
    if (*first == MD_OK) {
        *err = *one;
        *first = one->status;
    }
    if (import_log_failed(log))
        return import_log_to_report(log, report);
    if (!report)
        return MD_OK;
    char buf[1024];
    md_error_format(one, buf, sizeof buf);
    return strbuf_printf(report, "%s\n", buf);
}

/* Pass 1: validates every directory. A lone dataset is kept in *kept for writing; with
 * several, each is freed at once so memory holds one dataset at a time. */
static MdStatus validate_all(const char *const *dirs, int64_t n_dirs, ImportDataset *kept,
                             StrBuf *report, MdError *err)
{
    ImportLog *log = md_malloc(sizeof *log);
    if (!log)
        return md_error_set(err, MD_ERR_MEMORY, "out of memory starting the import");
    MdStatus first = MD_OK;
    for (int64_t i = 0; i < n_dirs; i++) {
        ImportDataset dataset;
        MdError one;
        md_error_clear(&one);
        import_log_init(log, "");
        if (validate_dir(dirs[i], &dataset, log, &one) != MD_OK &&
            report_failure(log, &one, &first, report, err) != MD_OK)
            first = MD_ERR_MEMORY;
        if (n_dirs == 1 && first == MD_OK)
            *kept = dataset;
        else
            import_dataset_free(&dataset);
    }
    md_free(log);
    return first;
}

/* Pass 2 for several datasets: reads, validates and writes them one by one. */
static MdStatus write_all(Store *store, const char *const *dirs, int64_t n_dirs, MdError *err)
{
    ImportLog *log = md_malloc(sizeof *log);
    if (!log)
        return md_error_set(err, MD_ERR_MEMORY, "out of memory writing the import");
    MdStatus st = MD_OK;
    for (int64_t i = 0; i < n_dirs && st == MD_OK; i++) {
        ImportDataset dataset;
        import_log_init(log, "");
        st = validate_dir(dirs[i], &dataset, log, err); /* changed since pass 1? */
        if (st == MD_OK)
            st = import_dataset_write(store, &dataset, err);
        import_dataset_free(&dataset);
    }
    md_free(log);
    return st;
}

MdStatus store_import_datasets(Store *store, const char *const *dirs, int64_t n_dirs,
                               StrBuf *report, MdError *err)
{
    MdStatus st = check_duplicates(dirs, n_dirs, err);
    if (st != MD_OK)
        return st;
    ImportDataset kept;
    memset(&kept, 0, sizeof kept);
    st = validate_all(dirs, n_dirs, &kept, report, err);
    if (st == MD_OK && store && n_dirs == 1)
        st = import_dataset_write(store, &kept, err);
    else if (st == MD_OK && store)
        st = write_all(store, dirs, n_dirs, err);
    import_dataset_free(&kept);
    return st;
}

MdStatus store_import_dataset(Store *store, const char *dataset_dir, MdError *err)
{
    const char *dirs[1] = {dataset_dir};
    return store_import_datasets(store, dirs, 1, NULL, err);
}
