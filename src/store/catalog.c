/*
 * catalog.c - the catalogue files of the datastore: one JSON object per variable holding
 * every VariableInfo field, the code list with validity periods, the status dates, the parts
 * with their files and statistics, "source" ("stored" or "generated") and the generation.
 *
 * The draft keeps one file per variable (draft/<NAME>.json) so a commit rewrites one small
 * file; a release is one immutable file (releases/<label>.json) holding every entry sorted by
 * name. Dates are written as "YYYY-MM-DD" ("open" for DATE_OPEN, null for DATE_NONE).
 * Everything read lives in the catalogue's arena.
 */
#include "store/store_int.h"

#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ==== Writing ========================================================================== */

static json_t *date_json(int32_t date)
{
    if (date == DATE_NONE)
        return json_null();
    char buf[16];
    date_format_iso(date, buf);
    return json_string(buf);
}

static json_t *str_json(const char *s) { return s ? json_string(s) : json_null(); }

static json_t *codes_json(const VariableInfo *info)
{
    json_t *list = json_array();
    for (int64_t i = 0; list && i < info->n_codes; i++) {
        const CodeEntry *c = &info->codes[i];
        json_t *o = json_object();
        if (!o || json_array_append_new(list, o) != 0) {
            json_decref(list);
            return NULL;
        }
        json_object_set_new(o, "code", json_string(c->code));
        json_object_set_new(o, "label", json_string(c->label ? c->label : ""));
        json_object_set_new(o, "valid_from", date_json(c->valid_from));
        json_object_set_new(o, "valid_until", date_json(c->valid_until));
        json_object_set_new(o, "missing", json_boolean(c->is_missing));
    }
    return list;
}

static json_t *parts_json(const VarEntry *e)
{
    json_t *list = json_array();
    for (int64_t i = 0; list && i < e->n_parts; i++) {
        const PartRef *p = &e->parts[i];
        json_t *o = json_object();
        if (!o || json_array_append_new(list, o) != 0) {
            json_decref(list);
            return NULL;
        }
        json_object_set_new(o, "file", json_string(p->file));
        json_object_set_new(o, "key", date_json(p->key));
        json_object_set_new(o, "rows", json_integer(p->n_rows));
        json_object_set_new(o, "min_start", date_json(p->min_start));
        json_object_set_new(o, "max_start", date_json(p->max_start));
        json_object_set_new(o, "min_stop", date_json(p->min_stop));
        json_object_set_new(o, "max_stop", date_json(p->max_stop));
    }
    return list;
}

static json_t *dates_json(const int32_t *dates, int64_t n)
{
    json_t *list = json_array();
    for (int64_t i = 0; list && i < n; i++) {
        if (json_array_append_new(list, date_json(dates[i])) != 0) {
            json_decref(list);
            return NULL;
        }
    }
    return list;
}

void *catalog_entry_to_json(const VarEntry *e)
{
    const VariableInfo *v = &e->info;
    json_t *o = json_object();
    json_t *codes = codes_json(v), *parts = parts_json(e);
    json_t *dates = dates_json(v->status_dates, v->n_status_dates);
    if (!o || !codes || !parts || !dates) {
        json_decref(o), json_decref(codes), json_decref(parts), json_decref(dates);
        return NULL;
    }
    json_object_set_new(o, "name", json_string(v->name));
    json_object_set_new(o, "title", json_string(v->title ? v->title : ""));
    json_object_set_new(o, "description", json_string(v->description ? v->description : ""));
    json_object_set_new(o, "temporality", json_string(temporality_name(v->temporality)));
    json_object_set_new(o, "unit_type", str_json(v->unit_type));
    json_object_set_new(o, "id_name", str_json(v->id_name));
    json_object_set_new(o, "value_type", json_string(value_type_name(v->value_type)));
    json_object_set_new(o, "pointer_to", str_json(v->pointer_to));
    json_object_set_new(o, "format", str_json(v->format));
    json_object_set_new(o, "valid_from", date_json(v->valid_from));
    json_object_set_new(o, "valid_until", date_json(v->valid_until));
    json_object_set_new(o, "n_rows", json_integer(v->n_rows));
    json_object_set_new(o, "source", json_string(e->is_generated ? "generated" : "stored"));
    json_object_set_new(o, "generation", json_integer(e->generation));
    json_object_set_new(o, "status_dates", dates);
    json_object_set_new(o, "codes", codes);
    json_object_set_new(o, "parts", parts);
    return o;
}

MdStatus catalog_write_file(const char *path, const Catalog *catalog, const char *label,
                            MdError *err)
{
    json_t *root = json_object(), *list = json_array();
    if (!root || !list)
        goto oom;
    json_object_set_new(root, "version", json_string(label));
    json_object_set(root, "variables", list);
    for (int64_t i = 0; i < catalog->n; i++) {
        json_t *e = catalog_entry_to_json(&catalog->vars[i]);
        if (!e || json_array_append_new(list, e) != 0)
            goto oom;
    }
    json_decref(list);
    StrBuf text;
    MdStatus st = store_json_dump(root, &text, err);
    json_decref(root);
    if (st == MD_OK)
        st = store_file_write_atomic(path, text.data, text.len, 0444, err);
    strbuf_free(&text);
    return st;
oom:
    json_decref(root);
    json_decref(list);
    return md_error_set(err, MD_ERR_MEMORY, "out of memory writing %s", path);
}

/* ==== Reading ========================================================================== */

typedef struct Reader {
    Arena *arena;
    const char *file;
    MdError *err;
} Reader;

static MdStatus bad(Reader *r, const char *name, const char *what)
{
    md_error_set(r->err, MD_ERR_IO, "catalogue %s is damaged: %s of variable %s", r->file,
                 what, name ? name : "?");
    return r->err->status;
}

/* A date field: "YYYY-MM-DD", "open" or null (DATE_NONE). */
static bool date_get(const json_t *o, const char *key, int32_t *out)
{
    const json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v)) {
        *out = DATE_NONE;
        return true;
    }
    if (!json_is_string(v))
        return false;
    const char *s = json_string_value(v);
    if (strcmp(s, "open") == 0) {
        *out = DATE_OPEN;
        return true;
    }
    return date_parse_iso(s, strlen(s), out);
}

/* A string field copied into the arena; NULL when absent or null and optional. */
static bool str_get(Reader *r, const json_t *o, const char *key, bool optional,
                    const char **out)
{
    const json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v)) {
        *out = optional ? NULL : "";
        return optional;
    }
    if (!json_is_string(v))
        return false;
    *out = arena_strdup(r->arena, json_string_value(v));
    return *out != NULL;
}

static MdStatus read_codes(Reader *r, const json_t *list, VariableInfo *v)
{
    size_t n = json_array_size(list);
    CodeEntry *codes = arena_alloc(r->arena, (n ? n : 1) * sizeof *codes);
    if (!codes)
        return md_error_set(r->err, MD_ERR_MEMORY, "out of memory reading %s", r->file);
    for (size_t i = 0; i < n; i++) {
        const json_t *c = json_array_get(list, i);
        CodeEntry *e = &codes[i];
        if (!json_is_object(c) || !str_get(r, c, "code", false, &e->code) ||
            !str_get(r, c, "label", false, &e->label) ||
            !date_get(c, "valid_from", &e->valid_from) ||
            !date_get(c, "valid_until", &e->valid_until))
            return bad(r, v->name, "a code list entry");
        e->is_missing = json_is_true(json_object_get(c, "missing"));
    }
    v->codes = codes;
    v->n_codes = (int64_t)n;
    return MD_OK;
}

static MdStatus read_dates(Reader *r, const json_t *list, VariableInfo *v)
{
    size_t n = json_array_size(list);
    int32_t *dates = arena_alloc(r->arena, (n ? n : 1) * sizeof *dates);
    if (!dates)
        return md_error_set(r->err, MD_ERR_MEMORY, "out of memory reading %s", r->file);
    for (size_t i = 0; i < n; i++) {
        const json_t *d = json_array_get(list, i);
        const char *s = json_string_value(d);
        if (!s || !date_parse_iso(s, strlen(s), &dates[i]) || (i > 0 && dates[i] <= dates[i - 1]))
            return bad(r, v->name, "the status dates");
    }
    v->status_dates = dates;
    v->n_status_dates = (int64_t)n;
    return MD_OK;
}

static MdStatus read_parts(Reader *r, const json_t *list, VarEntry *e)
{
    size_t n = json_array_size(list);
    e->parts = arena_alloc(r->arena, (n ? n : 1) * sizeof *e->parts);
    if (!e->parts)
        return md_error_set(r->err, MD_ERR_MEMORY, "out of memory reading %s", r->file);
    for (size_t i = 0; i < n; i++) {
        const json_t *p = json_array_get(list, i);
        PartRef *ref = &e->parts[i];
        const json_t *rows = json_object_get(p, "rows");
        if (!json_is_object(p) || !str_get(r, p, "file", false, &ref->file) ||
            !json_is_integer(rows) || json_integer_value(rows) < 0 ||
            !date_get(p, "key", &ref->key) || !date_get(p, "min_start", &ref->min_start) ||
            !date_get(p, "max_start", &ref->max_start) ||
            !date_get(p, "min_stop", &ref->min_stop) || !date_get(p, "max_stop", &ref->max_stop) ||
            strstr(ref->file, "..") || ref->file[0] == '/')
            return bad(r, e->info.name, "a part");
        ref->n_rows = json_integer_value(rows);
    }
    e->n_parts = (int64_t)n;
    return MD_OK;
}

static bool enum_get(const json_t *o, const char *key, bool is_temporality, int *out)
{
    const char *s = json_string_value(json_object_get(o, key));
    if (!s)
        return false;
    if (is_temporality) {
        Temporality t;
        bool ok = temporality_parse(s, &t);
        *out = (int)t;
        return ok;
    }
    ValueType t;
    bool ok = value_type_parse(s, &t);
    *out = (int)t;
    return ok;
}

static MdStatus read_scalars(Reader *r, const json_t *o, VarEntry *e)
{
    VariableInfo *v = &e->info;
    int temporality = 0, value_type = 0;
    if (!str_get(r, o, "name", false, &v->name) || !store_name_valid(v->name))
        return bad(r, NULL, "the name");
    const json_t *rows = json_object_get(o, "n_rows");
    const json_t *generation = json_object_get(o, "generation");
    const char *source = json_string_value(json_object_get(o, "source"));
    if (!str_get(r, o, "title", false, &v->title) ||
        !str_get(r, o, "description", false, &v->description) ||
        !str_get(r, o, "unit_type", true, &v->unit_type) ||
        !str_get(r, o, "id_name", true, &v->id_name) ||
        !str_get(r, o, "pointer_to", true, &v->pointer_to) ||
        !str_get(r, o, "format", true, &v->format) ||
        !enum_get(o, "temporality", true, &temporality) ||
        !enum_get(o, "value_type", false, &value_type) ||
        !date_get(o, "valid_from", &v->valid_from) ||
        !date_get(o, "valid_until", &v->valid_until) || !json_is_integer(rows) ||
        !json_is_integer(generation) || !source)
        return bad(r, v->name, "a field");
    if (!v->unit_type && !(v->unit_type = arena_strdup(r->arena, "")))
        return md_error_set(r->err, MD_ERR_MEMORY, "out of memory reading %s", r->file);
    v->temporality = (Temporality)temporality;
    v->value_type = (ValueType)value_type;
    v->n_rows = json_integer_value(rows);
    e->generation = json_integer_value(generation);
    e->is_generated = strcmp(source, "generated") == 0;
    return MD_OK;
}

MdStatus catalog_entry_from_json(const void *json, Arena *arena, VarEntry *out,
                                 const char *file, MdError *err)
{
    Reader r = {arena, file, err};
    const json_t *o = json;
    memset(out, 0, sizeof *out);
    if (!json_is_object(o))
        return bad(&r, NULL, "an entry that is not an object");
    if (read_scalars(&r, o, out))
        return err->status;
    if (read_dates(&r, json_object_get(o, "status_dates"), &out->info) ||
        read_codes(&r, json_object_get(o, "codes"), &out->info) ||
        read_parts(&r, json_object_get(o, "parts"), out))
        return err->status;
    return MD_OK;
}

/* ==== Catalogues ======================================================================= */

static int entry_cmp(const void *a, const void *b)
{
    return strcmp(((const VarEntry *)a)->info.name, ((const VarEntry *)b)->info.name);
}

void catalog_sort(Catalog *catalog)
{
    if (catalog->n > 1)
        qsort(catalog->vars, (size_t)catalog->n, sizeof *catalog->vars, entry_cmp);
}

const VarEntry *catalog_find(const Catalog *catalog, const char *name)
{
    int64_t lo = 0, hi = catalog->n;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        int c = strcmp(catalog->vars[mid].info.name, name);
        if (c == 0)
            return &catalog->vars[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

void catalog_free(Catalog *catalog)
{
    if (!catalog)
        return;
    for (int64_t i = 0; i < catalog->n; i++) {
        VarEntry *e = &catalog->vars[i];
        for (int64_t k = 0; e->maps && k < e->n_parts; k++)
            part_map_close(e->maps[k]);
        md_free(e->maps);
    }
    md_free(catalog->vars);
    arena_free(catalog->arena);
    memset(catalog, 0, sizeof *catalog);
}

static MdStatus catalog_push(Catalog *c, size_t *cap, const json_t *o, const char *file,
                             MdError *err)
{
    if (md_grow((void **)&c->vars, cap, (size_t)c->n + 1, sizeof *c->vars) != MD_OK)
        return md_error_set(err, MD_ERR_MEMORY, "out of memory reading %s", file);
    if (catalog_entry_from_json(o, c->arena, &c->vars[c->n], file, err))
        return err->status;
    c->n++;
    return MD_OK;
}

static MdStatus catalog_init(Catalog *out, MdError *err)
{
    memset(out, 0, sizeof *out);
    out->arena = arena_new(64 * 1024);
    if (!out->arena)
        return md_error_set(err, MD_ERR_MEMORY, "out of memory opening a catalogue");
    return MD_OK;
}

MdStatus catalog_load_file(const char *path, Catalog *out, MdError *err)
{
    if (catalog_init(out, err))
        return err->status;
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    if (!root) {
        catalog_free(out);
        return md_error_set(err, MD_ERR_IO, "cannot read catalogue %s: %s (line %d)", path,
                            jerr.text, jerr.line);
    }
    const json_t *list = json_object_get(root, "variables");
    size_t cap = 0, i;
    const json_t *item;
    MdStatus st = json_is_array(list) ? MD_OK
                  : md_error_set(err, MD_ERR_IO, "catalogue %s has no variables list", path);
    json_array_foreach(list, i, item) {
        if (st != MD_OK || (st = catalog_push(out, &cap, item, path, err)) != MD_OK)
            break;
    }
    json_decref(root);
    if (st != MD_OK) {
        catalog_free(out);
        return st;
    }
    catalog_sort(out);
    return MD_OK;
}

static bool is_entry_file(const char *name)
{
    size_t len = strlen(name);
    return name[0] != '.' && len > 5 && strcmp(name + len - 5, ".json") == 0;
}

static MdStatus load_draft_file(const char *dir, const char *name, Catalog *out, size_t *cap,
                                MdError *err)
{
    char path[STORE_PATH_MAX];
    if (store_path(path, sizeof path, err, "%s/%s", dir, name))
        return err->status;
    json_error_t jerr;
    json_t *o = json_load_file(path, 0, &jerr);
    if (!o)
        return md_error_set(err, MD_ERR_IO, "cannot read catalogue entry %s: %s", path,
                            jerr.text);
    MdStatus st = catalog_push(out, cap, o, path, err);
    json_decref(o);
    return st;
}

MdStatus catalog_load_draft(const char *store_dir, Catalog *out, MdError *err)
{
    char dir[STORE_PATH_MAX];
    if (store_path(dir, sizeof dir, err, "%s/%s", store_dir, STORE_DRAFT_DIR) ||
        catalog_init(out, err))
        return err->status;
    DIR *d = opendir(dir);
    if (!d) {
        catalog_free(out);
        return md_error_set(err, MD_ERR_IO, "cannot open the draft catalogue %s", dir);
    }
    size_t cap = 0;
    MdStatus st = MD_OK;
    const struct dirent *ent;
    while (st == MD_OK && (ent = readdir(d)) != NULL) {
        if (is_entry_file(ent->d_name))
            st = load_draft_file(dir, ent->d_name, out, &cap, err);
    }
    closedir(d);
    if (st != MD_OK) {
        catalog_free(out);
        return st;
    }
    catalog_sort(out);
    return MD_OK;
}

/* ==== Copying metadata ================================================================= */

static const char *dup_opt(Arena *arena, const char *s, bool *ok)
{
    if (!s)
        return NULL;
    const char *d = arena_strdup(arena, s);
    if (!d)
        *ok = false;
    return d;
}

MdStatus catalog_copy_info(Arena *arena, const VariableInfo *src, VariableInfo *dst)
{
    bool ok = true;
    *dst = *src;
    dst->name = dup_opt(arena, src->name, &ok);
    dst->title = dup_opt(arena, src->title ? src->title : "", &ok);
    dst->description = dup_opt(arena, src->description ? src->description : "", &ok);
    dst->unit_type = dup_opt(arena, src->unit_type ? src->unit_type : "", &ok);
    dst->id_name = dup_opt(arena, src->id_name, &ok);
    dst->pointer_to = dup_opt(arena, src->pointer_to, &ok);
    dst->format = dup_opt(arena, src->format, &ok);
    int32_t *dates = arena_alloc(arena, (size_t)(src->n_status_dates + 1) * sizeof *dates);
    CodeEntry *codes = arena_alloc(arena, (size_t)(src->n_codes + 1) * sizeof *codes);
    if (!ok || !dates || !codes)
        return MD_ERR_MEMORY;
    for (int64_t i = 0; i < src->n_status_dates; i++)
        dates[i] = src->status_dates[i];
    for (int64_t i = 0; i < src->n_codes; i++) {
        codes[i] = src->codes[i];
        codes[i].code = dup_opt(arena, src->codes[i].code ? src->codes[i].code : "", &ok);
        codes[i].label = dup_opt(arena, src->codes[i].label ? src->codes[i].label : "", &ok);
    }
    dst->status_dates = dates;
    dst->codes = codes;
    return ok ? MD_OK : MD_ERR_MEMORY;
}
