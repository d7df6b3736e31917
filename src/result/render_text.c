/*
 * render_text.c - the result document as plain text for the terminal.
 *
 * Layout (docs/result-document.md shows an example): banners first, each on its own line,
 * then a blank line; per entry ". command", its items in order, "warning: ..." lines and
 * "error (line N): message" with "hint: ..." below; a blank line between entries. Tables
 * and charts are grids: columns two spaces apart, label columns left-aligned, numbers
 * right-aligned, a dashed line under the header; widths count UTF-8 characters; no trailing
 * spaces. Consecutive statistics form one two-column block.
 */
#include "result/result_int.h"

#include <string.h>

#define RESULT_TEXT_OUT_MAX ((size_t)1 << 30)

/* A grid of borrowed strings: row 0 is the header; align[c] true = right-aligned. */
typedef struct Grid {
    int32_t n_cols, n_rows;
    const char **cells; /* n_rows * n_cols, NULL = empty */
    bool *right;
    bool header;
} Grid;

static MdStatus pad(StrBuf *sb, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (strbuf_putc(sb, ' ') != MD_OK)
            return MD_ERR_MEMORY;
    }
    return MD_OK;
}

/* Ends a line: drops trailing spaces, adds '\n'. */
static MdStatus end_line(StrBuf *sb)
{
    while (sb->len > 0 && sb->data[sb->len - 1] == ' ')
        sb->data[--sb->len] = 0;
    return strbuf_putc(sb, '\n');
}

static MdStatus grid_row(StrBuf *sb, const Grid *g, const size_t *width, int32_t r)
{
    for (int32_t c = 0; c < g->n_cols; c++) {
        const char *s = g->cells[r * g->n_cols + c];
        size_t w = text_utf8_length(s);
        if (c > 0 && pad(sb, 2) != MD_OK)
            return MD_ERR_MEMORY;
        if (g->right[c] && pad(sb, width[c] - w) != MD_OK)
            return MD_ERR_MEMORY;
        if (s && strbuf_puts(sb, s) != MD_OK)
            return MD_ERR_MEMORY;
        if (!g->right[c] && pad(sb, width[c] - w) != MD_OK)
            return MD_ERR_MEMORY;
    }
    return end_line(sb);
}

static MdStatus grid_render(StrBuf *sb, const Grid *g)
{
    if (g->n_cols == 0)
        return MD_OK;
    size_t *width = md_calloc((size_t)g->n_cols, sizeof *width);
    if (!width)
        return MD_ERR_MEMORY;
    for (int32_t r = 0; r < g->n_rows; r++) {
        for (int32_t c = 0; c < g->n_cols; c++) {
            size_t w = text_utf8_length(g->cells[r * g->n_cols + c]);
            if (w > width[c])
                width[c] = w;
        }
    }
    MdStatus status = MD_OK;
    for (int32_t r = 0; status == MD_OK && r < g->n_rows; r++) {
        status = grid_row(sb, g, width, r);
        if (status != MD_OK || r != 0 || !g->header)
            continue;
        for (int32_t c = 0; status == MD_OK && c < g->n_cols; c++) {
            if (c > 0)
                status = pad(sb, 2);
            for (size_t i = 0; status == MD_OK && i < width[c]; i++)
                status = strbuf_putc(sb, '-');
        }
        if (status == MD_OK)
            status = end_line(sb);
    }
    md_free(width);
    return status;
}

static bool grid_init(Grid *g, int32_t n_rows, int32_t n_cols, bool header)
{
    g->n_rows = n_rows;
    g->n_cols = n_cols;
    g->header = header;
    size_t n = (size_t)(n_rows > 0 ? n_rows : 1) * (size_t)(n_cols > 0 ? n_cols : 1);
    g->cells = md_calloc(n, sizeof *g->cells);
    g->right = md_calloc((size_t)(n_cols > 0 ? n_cols : 1), sizeof *g->right);
    return g->cells && g->right;
}

static void grid_free(Grid *g)
{
    md_free(g->cells);
    md_free(g->right);
}

static MdStatus line(StrBuf *sb, const char *prefix, const char *text)
{
    if (prefix && strbuf_puts(sb, prefix) != MD_OK)
        return MD_ERR_MEMORY;
    if (strbuf_puts(sb, text) != MD_OK)
        return MD_ERR_MEMORY;
    return end_line(sb);
}

static MdStatus render_table(StrBuf *sb, const ResultTable *t)
{
    if (t->title[0] && line(sb, NULL, t->title) != MD_OK)
        return MD_ERR_MEMORY;
    int32_t n_labels = t->n_row_header;
    for (int32_t r = 0; r < t->n_rows; r++) {
        if (t->rows[r].n_labels > n_labels)
            n_labels = t->rows[r].n_labels;
    }
    Grid g;
    MdStatus status = MD_ERR_MEMORY;
    if (grid_init(&g, t->n_rows + 1, n_labels + t->n_columns, true)) {
        for (int32_t c = 0; c < n_labels; c++)
            g.cells[c] = c < t->n_row_header ? t->row_header[c] : NULL;
        for (int32_t c = 0; c < t->n_columns; c++) {
            g.cells[n_labels + c] = t->column_headers[c];
            g.right[n_labels + c] = true;
        }
        for (int32_t r = 0; r < t->n_rows; r++) {
            const char **out = g.cells + (size_t)(r + 1) * (size_t)g.n_cols;
            for (int32_t c = 0; c < t->rows[r].n_labels; c++)
                out[c] = t->rows[r].labels[c];
            for (int32_t c = 0; c < t->n_columns; c++) {
                const TableCell *cell = &t->rows[r].cells[c];
                out[n_labels + c] = cell->set ? cell->value.text : NULL;
            }
        }
        status = grid_render(sb, &g);
    }
    grid_free(&g);
    for (int32_t i = 0; status == MD_OK && i < t->notes.n; i++)
        status = line(sb, NULL, t->notes.items[i]);
    return status;
}

/* Index of s in list (adding it when absent); -1 on out-of-memory. */
static int32_t intern(const char ***list, int32_t *n, size_t *cap, const char *s)
{
    for (int32_t i = 0; i < *n; i++) {
        if (strcmp((*list)[i], s) == 0)
            return i;
    }
    if (md_grow((void **)list, cap, (size_t)*n + 1, sizeof **list) != MD_OK)
        return -1;
    (*list)[*n] = s;
    return (*n)++;
}

/* A chart as a grid: one row per category, one column per series. */
static MdStatus render_chart(StrBuf *sb, const ResultChart *c)
{
    StrBuf title;
    strbuf_init(&title, 4096);
    if (strbuf_printf(&title, "%s chart%s%s", c->type, c->title[0] ? ": " : "", c->title)
        != MD_OK || line(sb, NULL, title.data) != MD_OK) {
        strbuf_free(&title);
        return MD_ERR_MEMORY;
    }
    strbuf_free(&title);
    const char **series = NULL, **categories = NULL;
    int32_t n_series = 0, n_categories = 0;
    size_t cap_s = 0, cap_c = 0;
    MdStatus status = MD_OK;
    for (int32_t i = 0; status == MD_OK && i < c->n_points; i++) {
        if (intern(&series, &n_series, &cap_s, c->points[i].series) < 0 ||
            intern(&categories, &n_categories, &cap_c, c->points[i].category) < 0)
            status = MD_ERR_MEMORY;
    }
    Grid g;
    if (status == MD_OK && !grid_init(&g, n_categories + 1, n_series + 1, true))
        status = MD_ERR_MEMORY;
    if (status == MD_OK) {
        for (int32_t s = 0; s < n_series; s++) {
            g.cells[1 + s] = series[s][0] ? series[s] : "value";
            g.right[1 + s] = true;
        }
        for (int32_t i = 0; i < c->n_points; i++) {
            const ChartPoint *p = &c->points[i];
            int32_t r = intern(&categories, &n_categories, &cap_c, p->category) + 1;
            int32_t s = intern(&series, &n_series, &cap_s, p->series) + 1;
            g.cells[r * g.n_cols] = p->category;
            g.cells[r * g.n_cols + s] = p->value.text;
        }
        status = grid_render(sb, &g);
        grid_free(&g);
    }
    md_free(series);
    md_free(categories);
    return status;
}

/* Renders items[from..to) which are all statistics, as one block. */
static MdStatus render_stats(StrBuf *sb, const ResultItem *items, int32_t n)
{
    Grid g;
    MdStatus status = MD_ERR_MEMORY;
    if (grid_init(&g, n, 2, false)) {
        g.right[1] = true;
        for (int32_t i = 0; i < n; i++) {
            g.cells[2 * i] = items[i].text;
            g.cells[2 * i + 1] = items[i].value.text;
        }
        status = grid_render(sb, &g);
    }
    grid_free(&g);
    return status;
}

static MdStatus render_error(StrBuf *sb, const ResultEntry *e)
{
    const MdError *err = &e->error;
    int32_t at = err->line ? err->line : e->line;
    MdStatus status = at > 0 ? strbuf_printf(sb, "error (line %d): ", (int)at)
                             : strbuf_puts(sb, "error: ");
    if (status == MD_OK)
        status = line(sb, NULL, err->message);
    if (status == MD_OK && err->hint[0])
        status = line(sb, "hint: ", err->hint);
    return status;
}

static MdStatus render_entry(StrBuf *sb, const ResultEntry *e)
{
    MdStatus status = MD_OK;
    if (e->command[0])
        status = line(sb, ". ", e->command);
    for (int32_t i = 0; status == MD_OK && i < e->n_items;) {
        const ResultItem *item = &e->items[i];
        if (item->kind == ITEM_STAT) {
            int32_t j = i;
            while (j < e->n_items && e->items[j].kind == ITEM_STAT)
                j++;
            status = render_stats(sb, item, j - i);
            i = j;
            continue;
        }
        if (item->kind == ITEM_TEXT || item->kind == ITEM_MARKDOWN)
            status = line(sb, NULL, item->text);
        else if (item->kind == ITEM_TABLE)
            status = render_table(sb, item->table);
        else
            status = render_chart(sb, item->chart);
        i++;
    }
    for (int32_t i = 0; status == MD_OK && i < e->warnings.n; i++)
        status = line(sb, "warning: ", e->warnings.items[i]);
    if (status == MD_OK && e->has_error)
        status = render_error(sb, e);
    return status;
}

char *result_render_text(const ResultDoc *doc)
{
    if (!doc)
        return NULL;
    StrBuf sb;
    strbuf_init(&sb, RESULT_TEXT_OUT_MAX);
    MdStatus status = strbuf_puts(&sb, "");
    for (int32_t i = 0; status == MD_OK && i < doc->banners.n; i++)
        status = line(&sb, NULL, doc->banners.items[i]);
    if (status == MD_OK && doc->banners.n > 0 && doc->n_entries > 0)
        status = strbuf_putc(&sb, '\n');
    for (int32_t i = 0; status == MD_OK && i < doc->n_entries; i++) {
        if (i > 0)
            status = strbuf_putc(&sb, '\n');
        if (status == MD_OK)
            status = render_entry(&sb, doc->entries[i]);
    }
    if (status != MD_OK) {
        strbuf_free(&sb);
        return NULL;
    }
    return strbuf_take(&sb);
}
