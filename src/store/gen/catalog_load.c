/*
 * catalog_load.c - reads the variable catalogue (fdb-variables.json) and the municipality
 * classification (kommuner.json) into VariableInfo records for the synthetic register:
 * temporality, unit type, value type, code list, validity window and the status dates laid
 * out as the catalogue's status_dates rule says (never before 1970).
 */
#include "store/gen/gen_int.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define GEN_FIRST_DAY_YEAR 1970

/* The id variable of each unit type the catalogue uses. */
static const char *catalog_id_name(const char *unit_type)
{
    static const char *const pairs[][2] = {
        {"PERSON", "PERSONID_1"}, {"JOBB", "JOBBID_1"}, {"KURS", "KURSID_1"},
        {"KJORETOY", "KJORETOY_ID"}, {"KOMMUNE", "KOMMUNEID"},
        {"TRAFIKKULYKKE", "TRAFIKKULYKKE_ID"}, {"TRAFIKKULYKKE_PERSON", "TRAFIKKULYKKE_PERSON_ID"},
        {"NPR_SYKEHUSOPPHOLD", "NPR_SYKEHUSOPPHOLD_ID"}, {"MALEPUNKT", "MALEPUNKT_ID"},
        {"FAMILIE", "FAMILIE_ID"}, {"HUSHOLDNING", "HUSHOLDNING_ID"},
    };
    for (size_t i = 0; i < MD_ARRAY_LEN(pairs); i++) {
        if (strcmp(pairs[i][0], unit_type) == 0) {
            return pairs[i][1];
        }
    }
    return "UNIT_ID";
}

bool gen_is_kommune_variable(const char *name, ValueType type, int64_t n_codes)
{
    if (type != VALUE_STRING || n_codes > 0) {
        return false;
    }
    return strstr(name, "KOMM") != NULL || strcmp(name, "BOSATTEFDT_BOSTED") == 0 ||
           strstr(name, "SKOLEKOM") != NULL;
}

void gen_variable_window(const VariableInfo *info, int32_t *first, int32_t *last)
{
    int32_t floor = date_from_ymd(GEN_FIRST_DAY_YEAR, 1, 1);
    int32_t lo = info->valid_from == DATE_NONE ? date_from_ymd(2015, 1, 1) : info->valid_from;
    int32_t hi = info->valid_until == DATE_OPEN ? date_from_ymd(2024, 12, 31) : info->valid_until;
    if (lo < floor) {
        lo = floor;
    }
    if (hi < lo) {
        hi = lo;
    }
    *first = lo;
    *last = hi;
}

static MdStatus catalog_fail(MdError *err, const char *path, const char *what)
{
    md_error_set(err, MD_ERR_VALUE, "catalogue %s: %s", path, what);
    md_error_hint(err, "use the fdb-variables.json and kommuner.json of shared/catalog");
    return err->status;
}

static bool catalog_date(json_t *value, int32_t *out)
{
    const char *s = json_string_value(value);
    return s != NULL && date_parse_iso(s, strlen(s), out);
}

static int code_entry_compare(const void *a, const void *b)
{
    const CodeEntry *x = a, *y = b;
    int c = strcmp(x->code, y->code);
    if (c != 0) {
        return c;
    }
    return (x->valid_from > y->valid_from) - (x->valid_from < y->valid_from);
}

/* The day of a status date in year/month: a number, or "last" (clamped to the month). */
static int32_t status_day(int32_t year, int32_t month, int32_t day)
{
    int32_t dim = date_days_in_month(year, month);
    return date_from_ymd(year, month, day <= 0 || day > dim ? dim : day);
}

/* Lays out the status dates of a STATUS variable over its window. */
static MdStatus catalog_status_dates(VariableInfo *info, json_t *rule, Arena *arena)
{
    const char *every = json_string_value(json_object_get(rule, "every"));
    json_t *jday = json_object_get(rule, "day");
    int32_t day = json_is_integer(jday) ? (int32_t)json_integer_value(jday) : 0;
    int32_t month = (int32_t)json_integer_value(json_object_get(rule, "month"));
    bool monthly = every != NULL && strcmp(every, "month") == 0;
    int32_t lo, hi, y0, y1, m, d;
    gen_variable_window(info, &lo, &hi);
    date_to_ymd(lo, &y0, &m, &d);
    date_to_ymd(hi, &y1, &m, &d);
    int64_t cap = (int64_t)(y1 - y0 + 1) * (monthly ? 12 : 1);
    int32_t *dates = arena_alloc(arena, (size_t)(cap > 0 ? cap : 1) * sizeof(int32_t));
    if (dates == NULL) {
        return MD_ERR_MEMORY;
    }
    int64_t n = 0;
    for (int32_t y = y0; y <= y1; y++) {
        for (int32_t mo = 1; mo <= 12; mo++) {
            if (!monthly && mo != (month < 1 || month > 12 ? 1 : month)) {
                continue;
            }
            int32_t date = status_day(y, mo, day);
            if (date >= lo && date <= hi) {
                dates[n++] = date;
            }
        }
    }
    info->status_dates = dates;
    info->n_status_dates = n;
    return MD_OK;
}

/* Copies the code list object {code: label} of a variable, sorted by code. */
static MdStatus catalog_codes(VariableInfo *info, json_t *codes, Arena *arena)
{
    size_t n = json_object_size(codes);
    CodeEntry *entries = arena_alloc(arena, (n > 0 ? n : 1) * sizeof(CodeEntry));
    if (entries == NULL) {
        return MD_ERR_MEMORY;
    }
    const char *key;
    json_t *label;
    size_t k = 0;
    json_object_foreach(codes, key, label) {
        entries[k].code = arena_strdup(arena, key);
        entries[k].label = arena_strdup(arena, json_is_string(label) ? json_string_value(label)
                                                                     : "");
        entries[k].valid_from = date_from_ymd(1900, 1, 1);
        entries[k].valid_until = DATE_OPEN;
        entries[k].is_missing = key[0] == '-';
        if (entries[k].code == NULL || entries[k].label == NULL) {
            return MD_ERR_MEMORY;
        }
        k++;
    }
    qsort(entries, n, sizeof(CodeEntry), code_entry_compare);
    info->codes = entries;
    info->n_codes = (int64_t)n;
    return MD_OK;
}

static const char *arena_json_string(Arena *arena, json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));
    return s == NULL ? NULL : arena_strdup(arena, s);
}

/* Fills one VariableInfo from its catalogue object. */
static MdStatus catalog_variable(GenCatalog *cat, json_t *obj, VariableInfo *info,
                                 const char *path, MdError *err)
{
    Arena *arena = cat->arena;
    const char *temporality = json_string_value(json_object_get(obj, "temporality"));
    const char *value_type = json_string_value(json_object_get(obj, "value_type"));
    info->name = arena_json_string(arena, obj, "name");
    info->title = arena_json_string(arena, obj, "title");
    info->unit_type = arena_json_string(arena, obj, "unit_type");
    if (info->name == NULL || info->title == NULL || info->unit_type == NULL ||
        temporality == NULL || !temporality_parse(temporality, &info->temporality) ||
        value_type == NULL || !value_type_parse(value_type, &info->value_type)) {
        return catalog_fail(err, path, "a variable lacks name, title, unit_type, "
                                       "temporality or value_type");
    }
    info->description = "";
    info->id_name = catalog_id_name(info->unit_type);
    info->pointer_to = arena_json_string(arena, obj, "pointer_to");
    info->format = arena_json_string(arena, obj, "format");
    info->valid_from = DATE_NONE;
    info->valid_until = DATE_OPEN;
    json_t *from = json_object_get(obj, "valid_from");
    json_t *until = json_object_get(obj, "valid_until");
    if ((from != NULL && !json_is_null(from) && !catalog_date(from, &info->valid_from)) ||
        (until != NULL && !json_is_null(until) && !catalog_date(until, &info->valid_until))) {
        return catalog_fail(err, path, "a variable has a bad valid_from or valid_until");
    }
    if (info->temporality != TEMPORALITY_FIXED) {
        int32_t lo, hi;
        gen_variable_window(info, &lo, &hi);
        info->valid_from = lo;
        info->valid_until = hi;
    }
    json_t *codes = json_object_get(obj, "codes");
    if (json_is_object(codes) && catalog_codes(info, codes, arena) != MD_OK) {
        return md_error_set(err, MD_ERR_MEMORY, "out of memory loading the catalogue");
    }
    if (gen_is_kommune_variable(info->name, info->value_type, info->n_codes)) {
        info->codes = cat->kommuner;
        info->n_codes = cat->n_kommuner;
    }
    json_t *rule = json_object_get(obj, "status_dates");
    if (info->temporality == TEMPORALITY_STATUS) {
        json_t *fallback = json_pack("{s:s,s:i,s:i}", "every", "year", "month", 1, "day", 1);
        MdStatus st = catalog_status_dates(info, json_is_object(rule) ? rule : fallback, arena);
        json_decref(fallback);
        if (st != MD_OK) {
            return md_error_set(err, MD_ERR_MEMORY, "out of memory loading the catalogue");
        }
    }
    return MD_OK;
}

static json_t *catalog_read_json(const char *path, MdError *err)
{
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    if (root == NULL) {
        md_error_set(err, MD_ERR_IO, "cannot read catalogue %s: line %d: %s", path, jerr.line,
                     jerr.text);
        md_error_hint(err, "give --catalog and --kommuner, or set MDATA_CATALOG_DIR");
    }
    return root;
}

/* Loads kommuner.json: codes with validity periods. */
static MdStatus catalog_load_kommuner(GenCatalog *cat, const char *path, MdError *err)
{
    json_t *root = catalog_read_json(path, err);
    if (root == NULL) {
        return err->status;
    }
    json_t *codes = json_object_get(root, "codes");
    size_t n = json_array_size(codes);
    cat->kommuner = arena_alloc(cat->arena, (n > 0 ? n : 1) * sizeof(CodeEntry));
    if (n == 0 || cat->kommuner == NULL) {
        json_decref(root);
        return catalog_fail(err, path, "no municipality codes");
    }
    for (size_t i = 0; i < n; i++) {
        json_t *c = json_array_get(codes, i);
        CodeEntry *e = &cat->kommuner[i];
        e->code = arena_json_string(cat->arena, c, "code");
        e->label = arena_json_string(cat->arena, c, "title");
        e->valid_until = DATE_OPEN;
        json_t *until = json_object_get(c, "valid_until");
        if (e->code == NULL || e->label == NULL ||
            !catalog_date(json_object_get(c, "valid_from"), &e->valid_from) ||
            (!json_is_null(until) && !catalog_date(until, &e->valid_until))) {
            json_decref(root);
            return catalog_fail(err, path, "a municipality code lacks code, title or dates");
        }
        e->is_missing = e->code[0] == '-';
    }
    qsort(cat->kommuner, n, sizeof(CodeEntry), code_entry_compare);
    cat->n_kommuner = (int64_t)n;
    json_decref(root);
    return MD_OK;
}

MdStatus gen_catalog_load(GenCatalog *catalog, const char *catalog_path,
                          const char *kommuner_path, MdError *err)
{
    memset(catalog, 0, sizeof(*catalog));
    catalog->arena = arena_new(1 << 20);
    if (catalog->arena == NULL) {
        return md_error_set(err, MD_ERR_MEMORY, "out of memory loading the catalogue");
    }
    if (catalog_load_kommuner(catalog, kommuner_path, err) != MD_OK) {
        gen_catalog_free(catalog);
        return err->status;
    }
    if (catalog_path == NULL) {
        return MD_OK;
    }
    json_t *root = catalog_read_json(catalog_path, err);
    if (root == NULL) {
        gen_catalog_free(catalog);
        return err->status;
    }
    json_t *vars = json_object_get(root, "variables");
    size_t n = json_array_size(vars);
    catalog->vars = arena_alloc(catalog->arena, (n > 0 ? n : 1) * sizeof(VariableInfo));
    if (n == 0 || catalog->vars == NULL) {
        json_decref(root);
        gen_catalog_free(catalog);
        return catalog_fail(err, catalog_path, "no \"variables\" array");
    }
    for (size_t i = 0; i < n; i++) {
        if (catalog_variable(catalog, json_array_get(vars, i), &catalog->vars[i],
                             catalog_path, err) != MD_OK) {
            json_decref(root);
            gen_catalog_free(catalog);
            return err->status;
        }
    }
    catalog->n_vars = (int64_t)n;
    json_decref(root);
    return MD_OK;
}

void gen_catalog_free(GenCatalog *catalog)
{
    if (catalog->arena != NULL) {
        arena_free(catalog->arena);
    }
    memset(catalog, 0, sizeof(*catalog));
}
