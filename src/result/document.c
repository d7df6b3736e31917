/*
 * document.c - the result document: entries (one per command) holding, in the order they
 * were added, text lines, Markdown (textblocks), released statistics, tables and charts,
 * plus warnings and an error. Everything is copied in; the document owns it. Numbers enter
 * only as sealed Released values made by sdc.
 */
#include "result/result_int.h"
#include "result/released_seal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define RESULT_TEXT_MAX 65536 /* one text line, warning or note */

bool released_is_sealed(const Released *value)
{
    if (!value || value->seal != RELEASED_SEAL_VALUE)
        return false;
    if (value->kind == RELEASED_NUMBER)
        return isfinite(value->value) && memchr(value->text, 0, sizeof value->text) &&
               value->text[0] != 0;
    return value->kind == RELEASED_SUPPRESSED && memchr(value->text, 0, sizeof value->text);
}

/* ---- text lists ---- */

static MdStatus list_add(TextList *list, char *text)
{
    if (!text)
        return MD_ERR_MEMORY;
    if (md_grow((void **)&list->items, &list->cap, (size_t)list->n + 1, sizeof *list->items)
        != MD_OK) {
        md_free(text);
        return MD_ERR_MEMORY;
    }
    list->items[list->n++] = text;
    return MD_OK;
}

static void list_free(TextList *list)
{
    for (int32_t i = 0; i < list->n; i++)
        md_free(list->items[i]);
    md_free(list->items);
    memset(list, 0, sizeof *list);
}

static char *vformat(const char *fmt, va_list ap)
{
    char buf[1024];
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(buf, sizeof buf, fmt, copy);
    va_end(copy);
    if (n < 0)
        return NULL;
    if ((size_t)n < sizeof buf)
        return md_strdup(buf);
    size_t size = (size_t)n + 1 > RESULT_TEXT_MAX ? RESULT_TEXT_MAX : (size_t)n + 1;
    char *big = md_malloc(size);
    if (big)
        vsnprintf(big, size, fmt, ap);
    return big;
}

static char *dup_or_empty(const char *s)
{
    return md_strdup(s ? s : "");
}

/* ---- the document ---- */

ResultDoc *result_doc_new(void)
{
    return md_calloc(1, sizeof(ResultDoc));
}

static void table_free(ResultTable *t)
{
    if (!t)
        return;
    md_free(t->title);
    for (int32_t i = 0; t->column_headers && i < t->n_columns; i++)
        md_free(t->column_headers[i]);
    md_free(t->column_headers);
    for (int32_t i = 0; i < t->n_row_header; i++)
        md_free(t->row_header[i]);
    md_free(t->row_header);
    for (int32_t r = 0; r < t->n_rows; r++) {
        for (int32_t i = 0; i < t->rows[r].n_labels; i++)
            md_free(t->rows[r].labels[i]);
        md_free(t->rows[r].labels);
        md_free(t->rows[r].cells);
    }
    md_free(t->rows);
    list_free(&t->notes);
    md_free(t);
}

static void chart_free(ResultChart *c)
{
    if (!c)
        return;
    for (int32_t i = 0; i < c->n_points; i++) {
        md_free(c->points[i].series);
        md_free(c->points[i].category);
    }
    md_free(c->points);
    md_free(c->type);
    md_free(c->title);
    md_free(c);
}

static void entry_free(ResultEntry *e)
{
    for (int32_t i = 0; i < e->n_items; i++) {
        md_free(e->items[i].text);
        table_free(e->items[i].table);
        chart_free(e->items[i].chart);
    }
    md_free(e->items);
    list_free(&e->warnings);
    md_free(e->command);
    md_free(e);
}

void result_doc_free(ResultDoc *doc)
{
    if (!doc)
        return;
    for (int32_t i = 0; i < doc->n_entries; i++)
        entry_free(doc->entries[i]);
    md_free(doc->entries);
    list_free(&doc->banners);
    md_free(doc);
}

MdStatus result_doc_set_banner(ResultDoc *doc, const char *text)
{
    if (!doc || !text)
        return MD_ERR_INTERNAL;
    for (int32_t i = 0; i < doc->banners.n; i++) {
        if (strcmp(doc->banners.items[i], text) == 0)
            return MD_OK; /* the same banner once */
    }
    return list_add(&doc->banners, md_strdup(text));
}

ResultEntry *result_doc_add(ResultDoc *doc, const char *command_text, int32_t line,
                            EntryKind kind)
{
    if (!doc)
        return NULL;
    if (md_grow((void **)&doc->entries, &doc->cap_entries, (size_t)doc->n_entries + 1,
                sizeof *doc->entries) != MD_OK)
        return NULL;
    ResultEntry *e = md_calloc(1, sizeof *e);
    if (!e)
        return NULL;
    e->command = dup_or_empty(command_text);
    if (!e->command) {
        md_free(e);
        return NULL;
    }
    e->line = line;
    e->kind = kind;
    doc->entries[doc->n_entries++] = e;
    return e;
}

int32_t result_doc_entry_count(const ResultDoc *doc)
{
    return doc ? doc->n_entries : 0;
}

ResultEntry *result_doc_entry_at(const ResultDoc *doc, int32_t index)
{
    if (!doc || index < 0 || index >= doc->n_entries)
        return NULL;
    return doc->entries[index];
}

void result_entry_set_kind(ResultEntry *entry, EntryKind kind)
{
    if (entry)
        entry->kind = kind;
}

EntryKind result_entry_kind(const ResultEntry *entry)
{
    return entry ? entry->kind : ENTRY_ERROR;
}

/* ---- entry content ---- */

static ResultItem *add_item(ResultEntry *e, ItemKind kind)
{
    if (md_grow((void **)&e->items, &e->cap_items, (size_t)e->n_items + 1, sizeof *e->items)
        != MD_OK)
        return NULL;
    ResultItem *item = &e->items[e->n_items];
    memset(item, 0, sizeof *item);
    item->kind = kind;
    return item;
}

MdStatus result_entry_text(ResultEntry *entry, const char *fmt, ...)
{
    if (!entry || !fmt)
        return MD_ERR_INTERNAL;
    ResultItem *item = add_item(entry, ITEM_TEXT);
    if (!item)
        return MD_ERR_MEMORY;
    va_list ap;
    va_start(ap, fmt);
    item->text = vformat(fmt, ap);
    va_end(ap);
    if (!item->text)
        return MD_ERR_MEMORY;
    entry->n_items++;
    return MD_OK;
}

MdStatus result_entry_markdown(ResultEntry *entry, const char *markdown)
{
    if (!entry || !markdown)
        return MD_ERR_INTERNAL;
    ResultItem *item = add_item(entry, ITEM_MARKDOWN);
    if (!item)
        return MD_ERR_MEMORY;
    item->text = md_strdup(markdown);
    if (!item->text)
        return MD_ERR_MEMORY;
    entry->n_items++;
    return MD_OK;
}

MdStatus result_entry_warning(ResultEntry *entry, const char *fmt, ...)
{
    if (!entry || !fmt)
        return MD_ERR_INTERNAL;
    va_list ap;
    va_start(ap, fmt);
    char *text = vformat(fmt, ap);
    va_end(ap);
    return list_add(&entry->warnings, text);
}

MdStatus result_entry_error(ResultEntry *entry, const MdError *err)
{
    if (!entry || !err)
        return MD_ERR_INTERNAL;
    entry->has_error = true;
    entry->error = *err;
    if (entry->error.status == MD_OK)
        entry->error.status = MD_ERR_INTERNAL;
    entry->kind = ENTRY_ERROR;
    return MD_OK;
}

MdStatus result_entry_stat(ResultEntry *entry, const char *name, const Released *value)
{
    if (!entry || !name || !released_is_sealed(value))
        return MD_ERR_INTERNAL;
    ResultItem *item = add_item(entry, ITEM_STAT);
    if (!item)
        return MD_ERR_MEMORY;
    item->text = md_strdup(name);
    if (!item->text)
        return MD_ERR_MEMORY;
    item->value = *value;
    entry->n_items++;
    return MD_OK;
}

/* ---- tables ---- */

static char **copy_strings(int32_t n, const char *const *src)
{
    char **out = md_calloc((size_t)(n > 0 ? n : 1), sizeof *out);
    if (!out)
        return NULL;
    for (int32_t i = 0; i < n; i++) {
        out[i] = dup_or_empty(src ? src[i] : NULL);
        if (!out[i]) {
            for (int32_t j = 0; j < i; j++)
                md_free(out[j]);
            md_free(out);
            return NULL;
        }
    }
    return out;
}

ResultTable *result_entry_table(ResultEntry *entry, const char *title, int32_t n_columns,
                                const char *const *column_headers)
{
    if (!entry || n_columns < 0)
        return NULL;
    ResultTable *t = md_calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->title = dup_or_empty(title);
    t->n_columns = n_columns;
    t->column_headers = copy_strings(n_columns, column_headers);
    ResultItem *item = (t->title && t->column_headers) ? add_item(entry, ITEM_TABLE) : NULL;
    if (!item) {
        table_free(t);
        return NULL;
    }
    item->table = t;
    entry->n_items++;
    return t;
}

MdStatus result_table_row_header(ResultTable *table, int32_t n_labels,
                                 const char *const *names)
{
    if (!table || n_labels < 0)
        return MD_ERR_INTERNAL;
    char **copy = copy_strings(n_labels, names);
    if (!copy)
        return MD_ERR_MEMORY;
    for (int32_t i = 0; i < table->n_row_header; i++)
        md_free(table->row_header[i]);
    md_free(table->row_header);
    table->row_header = copy;
    table->n_row_header = n_labels;
    return MD_OK;
}

int32_t result_table_add_row(ResultTable *table, int32_t n_labels, const char *const *labels)
{
    if (!table || n_labels < 0)
        return -1;
    if (md_grow((void **)&table->rows, &table->cap_rows, (size_t)table->n_rows + 1,
                sizeof *table->rows) != MD_OK)
        return -1;
    TableRow row = {copy_strings(n_labels, labels), n_labels,
                    md_calloc((size_t)(table->n_columns > 0 ? table->n_columns : 1),
                              sizeof(TableCell))};
    if (!row.labels || !row.cells) {
        if (row.labels) {
            for (int32_t i = 0; i < n_labels; i++)
                md_free(row.labels[i]);
        }
        md_free(row.labels);
        md_free(row.cells);
        return -1;
    }
    table->rows[table->n_rows] = row;
    return table->n_rows++;
}

MdStatus result_table_set(ResultTable *table, int32_t row, int32_t column,
                          const Released *value)
{
    if (!table || row < 0 || row >= table->n_rows || column < 0 || column >= table->n_columns)
        return MD_ERR_INTERNAL;
    if (!released_is_sealed(value))
        return MD_ERR_INTERNAL; /* only sdc makes numbers */
    table->rows[row].cells[column].set = true;
    table->rows[row].cells[column].value = *value;
    return MD_OK;
}

MdStatus result_table_note(ResultTable *table, const char *fmt, ...)
{
    if (!table || !fmt)
        return MD_ERR_INTERNAL;
    va_list ap;
    va_start(ap, fmt);
    char *text = vformat(fmt, ap);
    va_end(ap);
    return list_add(&table->notes, text);
}

/* ---- charts ---- */

ResultChart *result_entry_chart(ResultEntry *entry, const char *type, const char *title)
{
    if (!entry)
        return NULL;
    ResultChart *c = md_calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->type = dup_or_empty(type);
    c->title = dup_or_empty(title);
    ResultItem *item = (c->type && c->title) ? add_item(entry, ITEM_CHART) : NULL;
    if (!item) {
        chart_free(c);
        return NULL;
    }
    item->chart = c;
    entry->n_items++;
    return c;
}

MdStatus result_chart_add_point(ResultChart *chart, const char *series, const char *category,
                                const Released *value)
{
    if (!chart || !released_is_sealed(value))
        return MD_ERR_INTERNAL;
    if (md_grow((void **)&chart->points, &chart->cap_points, (size_t)chart->n_points + 1,
                sizeof *chart->points) != MD_OK)
        return MD_ERR_MEMORY;
    ChartPoint p = {dup_or_empty(series), dup_or_empty(category), *value};
    if (!p.series || !p.category) {
        md_free(p.series);
        md_free(p.category);
        return MD_ERR_MEMORY;
    }
    chart->points[chart->n_points++] = p;
    return MD_OK;
}

/* ---- names ---- */

const char *result_entry_kind_name(EntryKind kind)
{
    switch (kind) {
    case ENTRY_MESSAGE: return "message";
    case ENTRY_TABLE: return "table";
    case ENTRY_STATISTICS: return "statistics";
    case ENTRY_MODEL: return "model";
    case ENTRY_CHART: return "chart";
    case ENTRY_TEXT: return "text";
    case ENTRY_ERROR: return "error";
    }
    return "message";
}

const char *result_status_name(MdStatus status)
{
    switch (status) {
    case MD_OK: return "ok";
    case MD_ERR_SYNTAX: return "syntax";
    case MD_ERR_NAME: return "name";
    case MD_ERR_TYPE: return "type";
    case MD_ERR_VALUE: return "value";
    case MD_ERR_LIMIT: return "limit";
    case MD_ERR_MEMORY: return "memory";
    case MD_ERR_IO: return "io";
    case MD_ERR_DISCLOSURE: return "disclosure";
    case MD_ERR_NOT_IMPLEMENTED: return "not_implemented";
    case MD_ERR_INTERNAL: return "internal";
    }
    return "internal";
}
