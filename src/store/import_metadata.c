/*
 * import_metadata.c - the metadata JSON model of microdata-tools (spec/datastore.md 1.4)
 * read with jansson and validated into an ImportMeta.
 *
 * Follows the pydantic model: required fields, enumerations, lists of at least one item,
 * exactly one identifier and one measure variable, extra keys forbidden where the model
 * forbids them (dataRevision, identifierVariables items, valueDomain, codeList and sentinel
 * items), the two measure forms (ordinary or unit-typed), the two value domain kinds
 * (described or enumerated), code types matching the dataType, and the code-list validity
 * rule (a code may not be defined twice in any period). Every MultiLingualString must hold a
 * "no" entry, since the datastore keeps only the Norwegian text.
 *
 * Errors name NAME.json, the JSON path of the field and the rule. Metadata is not
 * unit-level data, so enumeration values may be quoted.
 */
#include "store/import_int.h"

#include <jansson.h>
#include <string.h>

typedef struct MetaParser {
    ImportLog *log;
    ImportMeta *meta;
    Arena *arena;
} MetaParser;

static const char *const revision_keys[] = {"description", "temporalEnd", NULL};
static const char *const identifier_keys[] = {"unitType", NULL};
static const char *const domain_keys[] = {"description", "measurementType",
                                          "measurementUnitDescription", "uriDefinition",
                                          "codeList", "sentinelAndMissingValues", NULL};
static const char *const code_keys[] = {"code", "categoryTitle", "validFrom", "validUntil",
                                        NULL};
static const char *const sentinel_keys[] = {"code", "categoryTitle", NULL};
static const char *const sensitivities[] = {"PERSON_GENERAL", "PERSON_SPECIAL", "PUBLIC",
                                            "NONPUBLIC", NULL};
static const char *const languages[] = {"no", "nb", "nn", "en", NULL};

/* ==== Helpers ========================================================================== */

static void meta_error(MetaParser *p, const char *path, const char *rule, const char *what)
{
    import_log_add(p->log, MD_ERR_VALUE, 0, rule, "%s: %s", path, what);
}

/* Copies text into the arena; logs an out-of-memory error when that fails. */
static const char *keep(MetaParser *p, const char *text)
{
    const char *copy = text ? arena_strdup(p->arena, text) : NULL;
    if (text && !copy)
        import_log_add(p->log, MD_ERR_MEMORY, 0, "memory", "out of memory reading metadata");
    return copy;
}

static bool in_list(const char *s, const char *const *list)
{
    for (int i = 0; list[i]; i++) {
        if (strcmp(s, list[i]) == 0)
            return true;
    }
    return false;
}

/* Reports every key of obj that is not in allowed (pydantic extra="forbid"). */
static void check_keys(MetaParser *p, const json_t *obj, const char *path,
                       const char *const *allowed)
{
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)obj, key, value) {
        (void)value;
        if (!in_list(key, allowed)) {
            char where[160];
            snprintf(where, sizeof where, "%s.%s", path, key);
            meta_error(p, where, "1.4 extra keys forbidden", "extra field not permitted");
        }
    }
}

/* An optional list of strings (uriDefinition, successors): null or absent is fine. */
static void check_string_list(MetaParser *p, const json_t *v, const char *path, bool non_empty)
{
    if (!v || json_is_null(v))
        return;
    bool ok = json_is_array(v) && (!non_empty || json_array_size(v) > 0);
    for (size_t i = 0; ok && i < json_array_size(v); i++)
        ok = json_is_string(json_array_get(v, i));
    if (!ok)
        meta_error(p, path, "1.4 metadata model",
                   non_empty ? "expected a list of at least 1 string"
                             : "expected a list of strings");
}

/* An optional string (format, measurementType). */
static void check_string(MetaParser *p, const json_t *v, const char *path)
{
    if (v && !json_is_null(v) && !json_is_string(v))
        meta_error(p, path, "1.4 metadata model", "expected a string");
}

static const char *get_enum(MetaParser *p, const json_t *obj, const char *key,
                            const char *const *allowed, const char *rule)
{
    const json_t *v = json_object_get(obj, key);
    if (!v) {
        meta_error(p, key, rule, "field required");
        return NULL;
    }
    if (!json_is_string(v) || !in_list(json_string_value(v), allowed)) {
        meta_error(p, key, rule, "not one of the permitted values");
        return NULL;
    }
    return json_string_value(v);
}

/* Checks a MultiLingualString: a list (>= 1) of {languageCode, value}. Returns false
 * after logging; *no_text is the first "no" text (borrowed from the JSON) or NULL. */
static bool check_mls(MetaParser *p, const json_t *v, const char *path, const char **no_text)
{
    *no_text = NULL;
    if (!json_is_array(v) || json_array_size(v) == 0) {
        meta_error(p, path, "1.4 MultiLingualString", "expected a list of at least 1 item");
        return false;
    }
    size_t i;
    json_t *item;
    json_array_foreach((json_t *)v, i, item) {
        const json_t *code = json_object_get(item, "languageCode");
        const json_t *text = json_object_get(item, "value");
        if (!json_is_string(code) || !in_list(json_string_value(code), languages)) {
            meta_error(p, path, "1.4 MultiLingualString",
                       "languageCode must be one of no, nb, nn, en");
            return false;
        }
        if (!json_is_string(text) || json_string_length(text) == 0) {
            meta_error(p, path, "1.4 MultiLingualString", "value must be a non-empty string");
            return false;
        }
        if (strcmp(json_string_value(code), "no") == 0 && !*no_text)
            *no_text = json_string_value(text);
    }
    return true;
}

/* A MultiLingualString whose Norwegian text the datastore keeps: returns the "no" text
 * copied into the arena, or NULL after logging. */
static const char *read_mls(MetaParser *p, const json_t *v, const char *path)
{
    const char *no_text;
    if (!check_mls(p, v, path, &no_text))
        return NULL;
    if (!no_text) {
        meta_error(p, path, "1.4 MultiLingualString",
                   "needs a \"no\" entry (the datastore keeps only the Norwegian text)");
        return NULL;
    }
    return keep(p, no_text);
}

static bool read_date_string(const json_t *v, int32_t *days)
{
    return json_is_string(v) && date_parse_iso(json_string_value(v), json_string_length(v), days);
}

/* ==== dataRevision, identifier ========================================================= */

static void read_revision(MetaParser *p, const json_t *root)
{
    const json_t *rev = json_object_get(root, "dataRevision");
    if (!json_is_object(rev)) {
        meta_error(p, "dataRevision", "1.4 dataRevision", "field required (an object)");
        return;
    }
    check_keys(p, rev, "dataRevision", revision_keys);
    read_mls(p, json_object_get(rev, "description"), "dataRevision.description");
    const json_t *end = json_object_get(rev, "temporalEnd");
    if (!end || json_is_null(end))
        return;
    if (!json_is_object(end)) {
        meta_error(p, "dataRevision.temporalEnd", "1.4 dataRevision", "expected an object");
        return;
    }
    read_mls(p, json_object_get(end, "description"), "dataRevision.temporalEnd.description");
    check_string_list(p, json_object_get(end, "successors"),
                      "dataRevision.temporalEnd.successors", true);
}

static void read_identifier(MetaParser *p, const json_t *root)
{
    const json_t *ids = json_object_get(root, "identifierVariables");
    if (!json_is_array(ids) || json_array_size(ids) != 1) {
        meta_error(p, "identifierVariables", "1.4 identifierVariables",
                   "expected a list of exactly 1 item");
        return;
    }
    const json_t *id = json_array_get(ids, 0);
    if (!json_is_object(id)) {
        meta_error(p, "identifierVariables[0]", "1.4 identifierVariables", "expected an object");
        return;
    }
    check_keys(p, id, "identifierVariables[0]", identifier_keys);
    const json_t *ut = json_object_get(id, "unitType");
    const char *name = json_is_string(ut) ? import_unit_id_name(json_string_value(ut)) : NULL;
    if (!name) {
        meta_error(p, "identifierVariables[0].unitType", "3 unit types",
                   "missing or unknown unitType");
        return;
    }
    p->meta->unit_type = keep(p, json_string_value(ut));
    p->meta->id_name = name;
}

/* ==== Code lists ======================================================================= */

/* Copies a code (string for STRING, integer for LONG) into the arena as text. */
static const char *read_code(MetaParser *p, const json_t *v, const char *path)
{
    ValueType t = p->meta->value_type;
    if (t == VALUE_STRING && json_is_string(v) && json_string_length(v) > 0)
        return keep(p, json_string_value(v));
    if (t == VALUE_LONG && json_is_integer(v)) {
        char buf[32];
        snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(v));
        return keep(p, buf);
    }
    meta_error(p, path, "1.4 code type matches dataType",
               t == VALUE_STRING ? "code must be a non-empty JSON string for dataType STRING"
               : t == VALUE_LONG ? "code must be a JSON integer for dataType LONG"
                                 : "a code list is only allowed with dataType STRING or LONG");
    return NULL;
}

static bool read_code_item(MetaParser *p, const json_t *item, const char *path, CodeEntry *e)
{
    if (!json_is_object(item)) {
        meta_error(p, path, "1.4 codeList", "expected an object");
        return false;
    }
    check_keys(p, item, path, code_keys);
    char sub[192];
    snprintf(sub, sizeof sub, "%s.code", path);
    e->code = read_code(p, json_object_get(item, "code"), sub);
    snprintf(sub, sizeof sub, "%s.categoryTitle", path);
    e->label = read_mls(p, json_object_get(item, "categoryTitle"), sub);
    if (!read_date_string(json_object_get(item, "validFrom"), &e->valid_from)) {
        snprintf(sub, sizeof sub, "%s.validFrom", path);
        meta_error(p, sub, "1.4 codeList dates", "required, a valid date YYYY-MM-DD");
        return false;
    }
    const json_t *until = json_object_get(item, "validUntil");
    e->valid_until = DATE_OPEN;
    if (until && !json_is_null(until) && !read_date_string(until, &e->valid_until)) {
        snprintf(sub, sizeof sub, "%s.validUntil", path);
        meta_error(p, sub, "1.4 codeList dates", "must be null or a valid date YYYY-MM-DD");
        return false;
    }
    if (e->valid_until < e->valid_from) {
        snprintf(sub, sizeof sub, "%s.validUntil", path);
        meta_error(p, sub, "1.4 codeList dates", "validUntil is before validFrom");
        return false;
    }
    return e->code && e->label;
}

static bool read_sentinel_item(MetaParser *p, const json_t *item, const char *path,
                               CodeEntry *e)
{
    if (!json_is_object(item)) {
        meta_error(p, path, "1.4 sentinelAndMissingValues", "expected an object");
        return false;
    }
    check_keys(p, item, path, sentinel_keys);
    char sub[192];
    snprintf(sub, sizeof sub, "%s.code", path);
    e->code = read_code(p, json_object_get(item, "code"), sub);
    snprintf(sub, sizeof sub, "%s.categoryTitle", path);
    e->label = read_mls(p, json_object_get(item, "categoryTitle"), sub);
    e->valid_from = DATE_NONE;
    e->valid_until = DATE_OPEN;
    e->is_missing = true;
    return e->code && e->label;
}

static int compare_codes(const void *ctx, int64_t a, int64_t b)
{
    const CodeEntry *codes = ctx;
    int c = strcmp(codes[a].code, codes[b].code);
    if (c)
        return c;
    if (codes[a].is_missing != codes[b].is_missing)
        return codes[a].is_missing ? 1 : -1;
    int32_t x = codes[a].valid_from, y = codes[b].valid_from;
    return (x > y) - (x < y);
}

/* Sorts the codes and checks that no code is defined twice in one period: with the entries
 * of one code sorted by validFrom, the elementary periods of the breakpoint rule overlap
 * exactly when an entry starts on or before the previous entry's (inclusive) validUntil. */
static MdStatus sort_and_check_codes(MetaParser *p)
{
    ImportMeta *m = p->meta;
    int64_t n = m->n_codes;
    int64_t *index = arena_alloc(p->arena, (size_t)(2 * n + 1) * sizeof *index);
    CodeEntry *sorted = arena_alloc(p->arena, (size_t)(n + 1) * sizeof *sorted);
    if (!index || !sorted)
        return MD_ERR_MEMORY;
    for (int64_t i = 0; i < n; i++)
        index[i] = i;
    import_sort(index, index + n, n, compare_codes, m->codes);
    for (int64_t i = 0; i < n; i++)
        sorted[i] = m->codes[index[i]];
    for (int64_t i = 1; i < n; i++) {
        const CodeEntry *a = &sorted[i - 1];
        const CodeEntry *b = &sorted[i];
        if (strcmp(a->code, b->code) != 0 || a->is_missing != b->is_missing)
            continue;
        if (a->is_missing || a->valid_until >= b->valid_from) {
            import_log_add(p->log, MD_ERR_VALUE, 0, "1.4 code list validity",
                           "measureVariables[0].valueDomain: code \"%.40s\" is defined twice "
                           "in an overlapping period", b->code);
        }
    }
    m->codes = sorted;
    return MD_OK;
}

static MdStatus read_code_list(MetaParser *p, const json_t *domain)
{
    const json_t *list = json_object_get(domain, "codeList");
    const json_t *sent = json_object_get(domain, "sentinelAndMissingValues");
    size_t n_list = json_array_size(list);
    size_t n_sent = json_is_array(sent) ? json_array_size(sent) : 0;
    if (!json_is_array(list) || n_list == 0) {
        meta_error(p, "measureVariables[0].valueDomain.codeList", "1.4 codeList",
                   "expected a list of at least 1 item");
        return MD_OK;
    }
    if (sent && !json_is_null(sent) && !json_is_array(sent)) {
        meta_error(p, "measureVariables[0].valueDomain.sentinelAndMissingValues",
                   "1.4 sentinelAndMissingValues", "expected a list");
    }
    CodeEntry *codes = arena_alloc(p->arena, (n_list + n_sent) * sizeof *codes);
    if (!codes)
        return MD_ERR_MEMORY;
    bool ok = true;
    char path[128];
    for (size_t i = 0; i < n_list && !import_log_full(p->log); i++) {
        snprintf(path, sizeof path, "measureVariables[0].valueDomain.codeList[%zu]", i);
        ok = read_code_item(p, json_array_get(list, i), path, &codes[i]) && ok;
    }
    for (size_t i = 0; i < n_sent && !import_log_full(p->log); i++) {
        snprintf(path, sizeof path,
                 "measureVariables[0].valueDomain.sentinelAndMissingValues[%zu]", i);
        ok = read_sentinel_item(p, json_array_get(sent, i), path, &codes[n_list + i]) && ok;
    }
    if (!ok || import_log_failed(p->log))
        return MD_OK;
    p->meta->codes = codes;
    p->meta->n_codes = (int64_t)(n_list + n_sent);
    p->meta->has_code_list = true;
    return sort_and_check_codes(p);
}

/* ==== Measure ========================================================================== */

static MdStatus read_value_domain(MetaParser *p, const json_t *domain)
{
    const char *path = "measureVariables[0].valueDomain";
    if (!json_is_object(domain)) {
        meta_error(p, path, "1.4 valueDomain", "expected an object");
        return MD_OK;
    }
    check_keys(p, domain, path, domain_keys);
    check_string_list(p, json_object_get(domain, "uriDefinition"),
                      "measureVariables[0].valueDomain.uriDefinition", false);
    check_string(p, json_object_get(domain, "measurementType"),
                 "measureVariables[0].valueDomain.measurementType");
    bool has_list = json_object_get(domain, "codeList") &&
                    !json_is_null(json_object_get(domain, "codeList"));
    bool has_desc = json_object_get(domain, "description") &&
                    !json_is_null(json_object_get(domain, "description"));
    if (has_list) {
        static const char *const not_with_list[] = {"description", "measurementType",
                                                    "measurementUnitDescription", NULL};
        for (int i = 0; not_with_list[i]; i++) {
            const json_t *v = json_object_get(domain, not_with_list[i]);
            if (v && !json_is_null(v))
                meta_error(p, path, "1.4 valueDomain kinds",
                           "a codeList domain may not have description, measurementType or "
                           "measurementUnitDescription");
        }
        return read_code_list(p, domain);
    }
    if (!has_desc) {
        meta_error(p, path, "1.4 valueDomain kinds",
                   "a valueDomain must contain either a codeList or a description");
        return MD_OK;
    }
    read_mls(p, json_object_get(domain, "description"),
             "measureVariables[0].valueDomain.description");
    const json_t *sent = json_object_get(domain, "sentinelAndMissingValues");
    if (sent && !json_is_null(sent))
        meta_error(p, path, "1.4 valueDomain kinds",
                   "sentinelAndMissingValues is not allowed with a described valueDomain");
    const json_t *unit = json_object_get(domain, "measurementUnitDescription");
    if (unit && !json_is_null(unit))
        read_mls(p, unit, "measureVariables[0].valueDomain.measurementUnitDescription");
    return MD_OK;
}

static void read_unit_measure(MetaParser *p, const json_t *measure)
{
    const char *path = "measureVariables[0]";
    const json_t *ut = json_object_get(measure, "unitType");
    if (!json_is_string(ut) || !import_unit_id_name(json_string_value(ut))) {
        meta_error(p, "measureVariables[0].unitType", "3 unit types", "unknown unitType");
        return;
    }
    static const char *const forbidden[] = {"dataType", "valueDomain", NULL};
    for (int i = 0; forbidden[i]; i++) {
        const json_t *v = json_object_get(measure, forbidden[i]);
        if (v && !json_is_null(v))
            meta_error(p, path, "1.4 unit-typed measure",
                       "dataType and valueDomain may not be set together with a unitType");
    }
    p->meta->pointer_to = keep(p, json_string_value(ut));
    p->meta->value_type = VALUE_LONG;
}

static MdStatus read_measure(MetaParser *p, const json_t *root)
{
    const json_t *list = json_object_get(root, "measureVariables");
    if (!json_is_array(list) || json_array_size(list) != 1 ||
        !json_is_object(json_array_get(list, 0))) {
        meta_error(p, "measureVariables", "1.4 measureVariables",
                   "expected a list of exactly 1 object");
        return MD_OK;
    }
    const json_t *m = json_array_get(list, 0);
    p->meta->title = read_mls(p, json_object_get(m, "name"), "measureVariables[0].name");
    p->meta->description =
        read_mls(p, json_object_get(m, "description"), "measureVariables[0].description");
    const json_t *format = json_object_get(m, "format");
    check_string(p, format, "measureVariables[0].format");
    check_string_list(p, json_object_get(m, "uriDefinition"), "measureVariables[0].uriDefinition",
                      false);
    if (json_is_string(format))
        p->meta->format = keep(p, json_string_value(format));
    const json_t *ut = json_object_get(m, "unitType");
    if (ut && !json_is_null(ut)) {
        read_unit_measure(p, m);
        return MD_OK;
    }
    const json_t *dt = json_object_get(m, "dataType");
    if (!json_is_string(dt) || !value_type_parse(json_string_value(dt), &p->meta->value_type)) {
        meta_error(p, "measureVariables[0].dataType", "1.4 dataType",
                   "missing, or not one of STRING, LONG, DOUBLE, DATE");
        return MD_OK;
    }
    const json_t *domain = json_object_get(m, "valueDomain");
    if (!domain || json_is_null(domain)) {
        meta_error(p, "measureVariables[0].valueDomain", "1.4 valueDomain",
                   "missing valueDomain in measure variable");
        return MD_OK;
    }
    return read_value_domain(p, domain);
}

/* ==== Top level ======================================================================== */

static void read_top(MetaParser *p, const json_t *root)
{
    /* The top-level model, like the measure, ignores extra keys (pydantic's default). */
    const char *t = get_enum(p, root, "temporalityType",
                             (const char *const[]){"FIXED", "STATUS", "ACCUMULATED", "EVENT",
                                                   NULL},
                             "1.4 temporalityType");
    if (t)
        temporality_parse(t, &p->meta->temporality);
    const char *s = get_enum(p, root, "sensitivityLevel", sensitivities, "1.4 sensitivityLevel");
    if (s)
        p->meta->sensitivity = keep(p, s);
    read_mls(p, json_object_get(root, "populationDescription"), "populationDescription");
    /* spatialCoverageDescription is dropped when stored, so it needs no "no" entry */
    const json_t *spatial = json_object_get(root, "spatialCoverageDescription");
    const char *no_text;
    if (spatial && !json_is_null(spatial))
        (void)check_mls(p, spatial, "spatialCoverageDescription", &no_text);
    const json_t *subjects = json_object_get(root, "subjectFields");
    if (!json_is_array(subjects) || json_array_size(subjects) == 0) {
        meta_error(p, "subjectFields", "1.4 subjectFields", "expected a list of at least 1 item");
    } else {
        for (size_t i = 0; i < json_array_size(subjects); i++)
            read_mls(p, json_array_get(subjects, i), "subjectFields[]");
    }
    read_revision(p, root);
    read_identifier(p, root);
}

MdStatus import_meta_parse(const char *name, const char *json, size_t len, ImportMeta *meta,
                           ImportLog *log)
{
    memset(meta, 0, sizeof *meta);
    json_error_t jerr;
    json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        import_log_add(log, MD_ERR_SYNTAX, jerr.line, "1.4 JSON syntax", "invalid JSON: %.120s",
                       jerr.text);
        return MD_ERR_SYNTAX;
    }
    MetaParser p = {.log = log, .meta = meta, .arena = arena_new(16384)};
    MdStatus st = p.arena ? MD_OK : MD_ERR_MEMORY;
    meta->arena = p.arena;
    if (st == MD_OK && !json_is_object(root)) {
        import_log_add(log, MD_ERR_VALUE, 0, "1.4 metadata model", "expected a JSON object");
    } else if (st == MD_OK) {
        meta->name = keep(&p, name);
        read_top(&p, root);
        st = read_measure(&p, root);
    }
    json_decref(root);
    if (st == MD_OK && meta->has_code_list) {
        meta->code_set = strmap_new();
        for (int64_t i = 0; meta->code_set && i < meta->n_codes && st == MD_OK; i++)
            st = strmap_put(meta->code_set, meta->codes[i].code, i);
        if (!meta->code_set)
            st = MD_ERR_MEMORY;
    }
    if (st != MD_OK)
        import_log_add(log, st, 0, "memory", "out of memory reading the metadata");
    if (import_log_failed(log)) {
        import_meta_free(meta);
        return log->status;
    }
    return MD_OK;
}

void import_meta_free(ImportMeta *meta)
{
    strmap_free(meta->code_set);
    arena_free(meta->arena);
    memset(meta, 0, sizeof *meta);
}
