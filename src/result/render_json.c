/*
 * render_json.c - the JSON result document (docs/result-document.md): keys in a fixed
 * order, two-space indentation, every number as {"text": shown text, "value": number or
 * null when suppressed}. The same document always renders to the same bytes.
 */
#include "result/result_int.h"

#include <jansson.h>
#include <math.h>
#include <string.h>

#define RESULT_JSON_MAX ((size_t)1 << 30)

static json_t *released_json(const Released *r)
{
    json_t *value;
    if (r->kind != RELEASED_NUMBER || !isfinite(r->value))
        value = json_null();
    else if (r->value == floor(r->value) && fabs(r->value) < 9007199254740992.0)
        value = json_integer((json_int_t)r->value);
    else
        value = json_real(r->value);
    return json_pack("{s:s,s:o}", "text", r->text, "value", value);
}

/* Appends v to a (taking v); on failure drops a and returns false, so no part of a
 * document is ever silently missing: the renderer then returns NULL. */
static bool append(json_t **a, json_t *v)
{
    if (*a && v && json_array_append_new(*a, v) == 0)
        return true;
    if (!*a || !v)
        json_decref(v);
    json_decref(*a);
    *a = NULL;
    return false;
}

static json_t *strings_json(char *const *items, int32_t n)
{
    json_t *a = json_array();
    for (int32_t i = 0; a && i < n; i++)
        append(&a, json_string(items[i]));
    return a;
}

static json_t *table_json(const ResultTable *t)
{
    json_t *rows = json_array();
    for (int32_t r = 0; rows && r < t->n_rows; r++) {
        const TableRow *row = &t->rows[r];
        json_t *cells = json_array();
        for (int32_t c = 0; cells && c < t->n_columns; c++) {
            const TableCell *cell = &row->cells[c];
            append(&cells, cell->set ? released_json(&cell->value) : json_null());
        }
        append(&rows, cells ? json_pack("{s:o,s:o}", "labels",
                                        strings_json(row->labels, row->n_labels), "cells",
                                        cells)
                            : NULL);
    }
    return json_pack("{s:s,s:s,s:o,s:o,s:o,s:o}", "type", "table", "title", t->title,
                     "row_header", strings_json(t->row_header, t->n_row_header), "columns",
                     strings_json(t->column_headers, t->n_columns), "rows", rows, "notes",
                     strings_json(t->notes.items, t->notes.n));
}

static json_t *chart_json(const ResultChart *c)
{
    json_t *points = json_array();
    for (int32_t i = 0; points && i < c->n_points; i++) {
        const ChartPoint *p = &c->points[i];
        append(&points, json_pack("{s:s,s:s,s:o}", "series", p->series, "category",
                                  p->category, "value", released_json(&p->value)));
    }
    return json_pack("{s:s,s:s,s:s,s:o}", "type", "chart", "chart", c->type, "title",
                     c->title, "points", points);
}

static json_t *item_json(const ResultItem *item)
{
    switch (item->kind) {
    case ITEM_TEXT:
        return json_pack("{s:s,s:s}", "type", "text", "text", item->text);
    case ITEM_MARKDOWN:
        return json_pack("{s:s,s:s}", "type", "markdown", "text", item->text);
    case ITEM_STAT:
        return json_pack("{s:s,s:s,s:o}", "type", "stat", "name", item->text, "value",
                         released_json(&item->value));
    case ITEM_TABLE:
        return table_json(item->table);
    case ITEM_CHART:
        return chart_json(item->chart);
    }
    return NULL;
}

static json_t *error_json(const ResultEntry *e)
{
    if (!e->has_error)
        return json_null();
    const MdError *err = &e->error;
    return json_pack("{s:s,s:i,s:i,s:s,s:s,s:s}", "status", result_status_name(err->status),
                     "line", err->line ? err->line : e->line, "column", err->column,
                     "where", err->where, "message", err->message, "hint", err->hint);
}

static json_t *entry_json(const ResultEntry *e)
{
    json_t *items = json_array();
    for (int32_t i = 0; items && i < e->n_items; i++)
        append(&items, item_json(&e->items[i]));
    return json_pack("{s:i,s:s,s:s,s:o,s:o,s:o}", "line", e->line, "command", e->command,
                     "kind", result_entry_kind_name(e->kind), "items", items, "warnings",
                     strings_json(e->warnings.items, e->warnings.n), "error", error_json(e));
}

static int sink(const char *buffer, size_t size, void *data)
{
    return strbuf_append(data, buffer, size) == MD_OK ? 0 : -1;
}

char *result_render_json(const ResultDoc *doc)
{
    if (!doc)
        return NULL;
    json_t *entries = json_array();
    for (int32_t i = 0; entries && i < doc->n_entries; i++)
        append(&entries, entry_json(doc->entries[i]));
    json_t *root = json_pack("{s:s,s:o,s:o}", "format", "mdata-result-1", "banners",
                             strings_json(doc->banners.items, doc->banners.n), "entries",
                             entries);
    if (!root)
        return NULL;
    StrBuf sb;
    strbuf_init(&sb, RESULT_JSON_MAX);
    size_t flags = JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15);
    int rc = json_dump_callback(root, sink, &sb, flags);
    json_decref(root);
    if (rc != 0 || strbuf_putc(&sb, '\n') != MD_OK) {
        strbuf_free(&sb);
        return NULL;
    }
    return strbuf_take(&sb);
}
