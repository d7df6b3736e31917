/*
 * import_csv.c - the reader of the microdata-tools CSV data file (spec/datastore.md 1.2).
 *
 * Input: the whole file in memory. Each non-empty line (LF or CRLF) holds exactly five
 * fields separated by ';' (unit_id; value; start; stop; attributes), no header, fields
 * optionally quoted with '"' ("" inside quotes is a quote; a quoted field cannot span
 * lines, as Arrow's newlines_in_values is off). The fifth field is read and discarded.
 * Output: columns in file order (ImportRows); typed values by the measure's dataType,
 * dates as days since 1970 inside the int16 range the datastore uses.
 *
 * Errors go to the ImportLog with the line and the field name, never the field's text.
 * The reader goes on after a bad line so one run reports up to IMPORT_MAX_ERRORS problems.
 * Memory: the columns grow geometrically; nothing is allocated per row except the first
 * copy of each distinct STRING value in the dictionary.
 */
#include "store/import_int.h"

#include <string.h>

#define CSV_FIELDS 5

typedef struct Field {
    const char *text;
    size_t len;
    bool quoted;
} Field;

typedef struct CsvReader {
    const ImportCsvOptions *options;
    ImportRows *rows;
    ImportLog *log;
    int64_t line;
    char *scratch;               /* unescaped quoted fields of the current line */
    size_t scratch_cap;
    MdStatus fatal;              /* out of memory: stop at once */
    size_t n_lines;              /* lines in the file: the first size of the columns */
} CsvReader;

/* Arrow's default null tokens for typed columns (pandas-compatible list). */
static const char *const null_tokens[] = {
    "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND",
    "1.#QNAN", "N/A", "NA", "NULL", "NaN", "n/a", "nan", "null",
};

static const char *const field_names[CSV_FIELDS] = {"unit_id", "value", "start", "stop",
                                                    "attributes"};

/* ==== Small helpers ==================================================================== */

static bool is_null_token(const char *s, size_t len)
{
    if (len == 0)
        return true;
    if (len > 8) /* the longest token is "#N/A N/A" */
        return false;
    for (size_t i = 1; i < MD_ARRAY_LEN(null_tokens); i++) {
        if (null_tokens[i][0] == s[0] && strlen(null_tokens[i]) == len &&
            memcmp(null_tokens[i], s, len) == 0)
            return true;
    }
    return false;
}

static void trim_spaces(Field *f)
{
    while (f->len && f->text[0] == ' ') {
        f->text++;
        f->len--;
    }
    while (f->len && f->text[f->len - 1] == ' ')
        f->len--;
}

static void row_error(CsvReader *r, const char *rule, const char *message, int field)
{
    if (field >= 0) {
        import_log_add(r->log, MD_ERR_VALUE, r->line, rule, "%s (field %s)", message,
                       field_names[field]);
    } else {
        import_log_add(r->log, MD_ERR_SYNTAX, r->line, rule, "%s", message);
    }
}

/* ==== Splitting a line into fields ===================================================== */

/* Parses a quoted field starting at line[*pos] == '"' into the scratch buffer. */
static bool split_quoted(CsvReader *r, const char *line, size_t len, size_t *pos,
                         size_t *scratch_used, Field *field)
{
    size_t i = *pos + 1;
    size_t start = *scratch_used;
    for (;;) {
        if (i >= len) {
            row_error(r, "1.2 quoting", "unterminated quoted field", -1);
            return false;
        }
        if (line[i] == '"') {
            if (i + 1 < len && line[i + 1] == '"') {
                r->scratch[(*scratch_used)++] = '"';
                i += 2;
                continue;
            }
            i++;
            break;
        }
        r->scratch[(*scratch_used)++] = line[i++];
    }
    if (i < len && line[i] != ';') {
        row_error(r, "1.2 quoting", "text after the closing quote of a field", -1);
        return false;
    }
    field->text = r->scratch + start;
    field->len = *scratch_used - start;
    field->quoted = true;
    *pos = i;
    return true;
}

/* Splits one line (without its line ending) into fields; false after logging an error. */
static bool split_line(CsvReader *r, const char *line, size_t len, Field *fields)
{
    size_t pos = 0;
    size_t scratch_used = 0;
    int n = 0;
    for (;;) {
        Field f = {line + pos, 0, false};
        if (pos < len && line[pos] == '"') {
            if (!split_quoted(r, line, len, &pos, &scratch_used, &f))
                return false;
        } else {
            const char *semi = memchr(line + pos, ';', len - pos);
            size_t end = semi ? (size_t)(semi - line) : len;
            f.len = end - pos;
            pos = end;
        }
        if (n < CSV_FIELDS)
            fields[n] = f;
        n++;
        if (pos >= len)
            break;
        pos++; /* the ';' */
    }
    if (n != CSV_FIELDS) {
        import_log_add(r->log, MD_ERR_SYNTAX, r->line, "1.2 five fields",
                       "expected 5 columns, got %d (fields are separated by ';' and every "
                       "line ends with ';')", n);
        return false;
    }
    return true;
}

/* ==== Typed fields ===================================================================== */

/* Parses a start or stop date; *days is DATE_NONE/DATE_OPEN (null_value) when empty. */
static bool parse_date_field(CsvReader *r, Field f, int field, int32_t null_value,
                             int32_t *days)
{
    trim_spaces(&f);
    if (is_null_token(f.text, f.len)) {
        *days = null_value;
        return true;
    }
    if (!date_parse_iso(f.text, f.len, days)) {
        row_error(r, "1.2 dates", "invalid date, expected YYYY-MM-DD", field);
        return false;
    }
    if (*days < IMPORT_MIN_DATE || *days > IMPORT_MAX_DATE) {
        row_error(r, "1.2 date range",
                  "date outside 1880-04-14..2059-09-18 (int16 days since 1970)", field);
        return false;
    }
    return true;
}

static bool parse_string_value(CsvReader *r, Field f, int64_t row)
{
    trim_spaces(&f);
    if (f.len == 0) {
        row_error(r, "1.3 value required", "empty value", 1);
        return false;
    }
    int64_t id;
    if (!strmap_get_len(r->rows->dictionary, f.text, f.len, &id)) {
        id = strmap_count(r->rows->dictionary);
        if (id >= (int64_t)UINT32_MAX ||
            strmap_put_len(r->rows->dictionary, f.text, f.len, id) != MD_OK) {
            r->fatal = MD_ERR_MEMORY;
            return false;
        }
    }
    r->rows->string_ids[row] = (uint32_t)id;
    return true;
}

static bool parse_value(CsvReader *r, Field f, int64_t row)
{
    const ImportCsvOptions *o = r->options;
    if (o->is_pointer) {
        trim_spaces(&f);
        if (f.len == 0) {
            row_error(r, "1.3 value required", "empty unit id in a unit-typed value", 1);
            return false;
        }
        r->rows->longs[row] = (int64_t)import_unit_id(f.text, f.len, &r->rows->value_checks[row]);
        return true;
    }
    if (o->value_type == VALUE_STRING)
        return parse_string_value(r, f, row);
    trim_spaces(&f);
    if (is_null_token(f.text, f.len)) {
        row_error(r, "1.3 value required", "missing value", 1);
        return false;
    }
    bool ok = false;
    switch (o->value_type) {
    case VALUE_LONG:
        ok = text_parse_int64(f.text, f.len, false, &r->rows->longs[row]);
        break;
    case VALUE_DOUBLE:
        ok = text_parse_double(f.text, f.len, false, &r->rows->doubles[row]);
        break;
    case VALUE_DATE:
        ok = date_parse_iso(f.text, f.len, &r->rows->dates[row]);
        break;
    case VALUE_STRING:
        break;
    }
    if (!ok) {
        import_log_add(r->log, MD_ERR_TYPE, r->line, "1.2 value type",
                       "value is not a valid %s%s (field value)", value_type_name(o->value_type),
                       o->value_type == VALUE_DOUBLE ? " (decimal point '.', no comma)" : "");
    }
    return ok;
}

/* ==== Rows ============================================================================= */

/* The value column the options use, and its element size. */
static void **value_array(ImportRows *rows, const ImportCsvOptions *o, size_t *size)
{
    *size = 8;
    if (o->is_pointer || o->value_type == VALUE_LONG)
        return (void **)&rows->longs;
    if (o->value_type == VALUE_DOUBLE)
        return (void **)&rows->doubles;
    *size = 4;
    if (o->value_type == VALUE_DATE)
        return (void **)&rows->dates;
    return (void **)&rows->string_ids;
}

static MdStatus grow_array(void **array, size_t cap, size_t size)
{
    void *p = md_realloc_array(*array, cap, size);
    if (!p)
        return MD_ERR_MEMORY;
    *array = p;
    return MD_OK;
}

/* Makes room for one more row: the first call sizes the columns for first_cap rows (the
 * line count of the file), later ones double them. */
static MdStatus rows_reserve(ImportRows *rows, const ImportCsvOptions *o, size_t first_cap)
{
    if ((size_t)rows->n < rows->cap)
        return MD_OK;
    size_t cap = rows->cap ? rows->cap * 2 : (first_cap ? first_cap : 1024);
    size_t value_size;
    void **value = value_array(rows, o, &value_size);
    bool ok = grow_array((void **)&rows->ids, cap, 8) == MD_OK &&
              grow_array((void **)&rows->id_checks, cap, 8) == MD_OK &&
              grow_array((void **)&rows->starts, cap, 4) == MD_OK &&
              grow_array((void **)&rows->stops, cap, 4) == MD_OK &&
              grow_array((void **)&rows->lines, cap, 8) == MD_OK &&
              grow_array(value, cap, value_size) == MD_OK &&
              (!o->is_pointer || grow_array((void **)&rows->value_checks, cap, 8) == MD_OK);
    if (!ok)
        return MD_ERR_MEMORY; /* arrays already grown stay valid; cap still tells the truth */
    rows->cap = cap;
    return MD_OK;
}

static void read_row(CsvReader *r, const char *line, size_t len)
{
    if (len > IMPORT_MAX_LINE) {
        import_log_add(r->log, MD_ERR_LIMIT, r->line, "1.2 line length",
                       "line longer than %u bytes", (unsigned)IMPORT_MAX_LINE);
        return;
    }
    if (!text_utf8_valid(line, len)) {
        import_log_add(r->log, MD_ERR_VALUE, r->line, "1.2 UTF-8", "invalid UTF-8");
        return;
    }
    Field f[CSV_FIELDS];
    if (!split_line(r, line, len, f))
        return;
    ImportRows *rows = r->rows;
    if (rows_reserve(rows, r->options, r->n_lines) != MD_OK) {
        r->fatal = MD_ERR_MEMORY;
        return;
    }
    int64_t i = rows->n;
    Field id = f[0];
    trim_spaces(&id);
    if (id.len == 0) {
        row_error(r, "1.3 unit_id required", "empty unit id", 0);
        return;
    }
    bool ok = parse_date_field(r, f[2], 2, DATE_NONE, &rows->starts[i]);
    ok = parse_date_field(r, f[3], 3, DATE_OPEN, &rows->stops[i]) && ok;
    ok = parse_value(r, f[1], i) && ok;
    if (!ok)
        return;
    rows->ids[i] = import_unit_id(id.text, id.len, &rows->id_checks[i]);
    rows->lines[i] = r->line;
    rows->n++;
}

/* ==== Public =========================================================================== */

static MdStatus scratch_reserve(CsvReader *r, size_t len)
{
    if (len <= r->scratch_cap)
        return MD_OK;
    char *p = md_realloc(r->scratch, len);
    if (!p)
        return MD_ERR_MEMORY;
    r->scratch = p;
    r->scratch_cap = len;
    return MD_OK;
}

MdStatus import_csv_read(const char *data, size_t len, const ImportCsvOptions *options,
                         ImportRows *rows, ImportLog *log)
{
    memset(rows, 0, sizeof *rows);
    rows->dictionary = strmap_new();
    if (!rows->dictionary)
        return MD_ERR_MEMORY;
    CsvReader r = {.options = options, .rows = rows, .log = log};
    size_t pos = 0;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        pos = 3; /* a UTF-8 byte order mark, as Arrow skips it */
    /* One pass of memchr counts the lines, so the columns are allocated once, exactly. */
    r.n_lines = 1;
    for (const char *p = data + pos, *end = data + len; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            break;
        r.n_lines++;
        p = nl + 1;
    }
    bool any_line = false;
    while (pos < len && !import_log_full(log) && r.fatal == MD_OK) {
        const char *nl = memchr(data + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - data) : len;
        size_t line_len = end - pos;
        if (line_len && data[pos + line_len - 1] == '\r')
            line_len--;
        r.line++;
        if (line_len > 0) {
            any_line = true;
            if (line_len <= IMPORT_MAX_LINE && scratch_reserve(&r, line_len + 1) != MD_OK)
                r.fatal = MD_ERR_MEMORY;
            else
                read_row(&r, data + pos, line_len);
        }
        pos = end + 1;
    }
    md_free(r.scratch);
    if (r.fatal != MD_OK) {
        import_log_add(log, r.fatal, r.line, "memory", "out of memory reading the CSV file");
        return r.fatal;
    }
    if (!any_line)
        import_log_add(log, MD_ERR_VALUE, 0, "1.2 not empty", "Empty CSV file");
    return import_log_failed(log) ? log->status : MD_OK;
}

void import_rows_free(ImportRows *rows)
{
    md_free(rows->ids);
    md_free(rows->id_checks);
    md_free(rows->starts);
    md_free(rows->stops);
    md_free(rows->lines);
    md_free(rows->longs);
    md_free(rows->value_checks);
    md_free(rows->doubles);
    md_free(rows->dates);
    md_free(rows->string_ids);
    strmap_free(rows->dictionary);
    memset(rows, 0, sizeof *rows);
}
