/*
 * result_int.h - what the files of src/result share: the document's structures, read by
 * the renderers. No other module includes it; they build documents through result.h.
 */
#ifndef MDATA_RESULT_RESULT_INT_H
#define MDATA_RESULT_RESULT_INT_H

#include "result/result.h"

typedef enum ItemKind { ITEM_TEXT, ITEM_MARKDOWN, ITEM_STAT, ITEM_TABLE, ITEM_CHART } ItemKind;

typedef struct TextList {
    char **items;
    int32_t n;
    size_t cap;
} TextList;

typedef struct TableCell {
    bool set;
    Released value;
} TableCell;

typedef struct TableRow {
    char **labels;     /* n_labels */
    int32_t n_labels;
    TableCell *cells;  /* n_columns */
} TableRow;

struct ResultTable {
    char *title;
    int32_t n_columns;
    char **column_headers;
    int32_t n_row_header;
    char **row_header;
    TableRow *rows;
    int32_t n_rows;
    size_t cap_rows;
    TextList notes;
};

typedef struct ChartPoint {
    char *series;
    char *category;
    Released value;
} ChartPoint;

struct ResultChart {
    char *type;
    char *title;
    ChartPoint *points;
    int32_t n_points;
    size_t cap_points;
};

typedef struct ResultItem {
    ItemKind kind;
    char *text;          /* ITEM_TEXT, ITEM_MARKDOWN; the name for ITEM_STAT */
    Released value;      /* ITEM_STAT */
    ResultTable *table;  /* ITEM_TABLE */
    ResultChart *chart;  /* ITEM_CHART */
} ResultItem;

struct ResultEntry {
    char *command;
    int32_t line;
    EntryKind kind;
    ResultItem *items;
    int32_t n_items;
    size_t cap_items;
    TextList warnings;
    bool has_error;
    MdError error;
};

struct ResultDoc {
    TextList banners;
    ResultEntry **entries;
    int32_t n_entries;
    size_t cap_entries;
};

/* The lower-case name of a kind ("message", "table", ...), as the JSON shows it. */
const char *result_entry_kind_name(EntryKind kind);
/* The lower-case name of an error status ("syntax", "disclosure", ...). */
const char *result_status_name(MdStatus status);

#endif /* MDATA_RESULT_RESULT_INT_H */
