/*
 * result.h - the result document: one entry per command (its text, line, kind, and the
 * tables, statistics, messages, charts or error it produced), and its renderers (text
 * for the terminal, JSON for the browser and `mdata run --json`).
 *
 * result computes nothing. Every number in a document is a Released value, and only
 * src/sdc can make one (result/released_seal.h is included by sdc alone; a check in
 * `make test` enforces it). Labels, names and messages are plain text.
 *
 * Ownership: a ResultDoc owns everything added to it; entries and tables are borrowed
 * pointers valid until result_doc_free.
 */
#ifndef MDATA_RESULT_RESULT_H
#define MDATA_RESULT_RESULT_H

#include "base/base.h"

/* ==== Released values (made only by sdc) ============================================== */

typedef enum ReleasedKind {
    RELEASED_NUMBER,     /* text holds the released number as shown */
    RELEASED_SUPPRESSED, /* text holds the marker shown instead, e.g. "<5" or "-" */
} ReleasedKind;

typedef struct Released {
    ReleasedKind kind;
    double value;        /* the released (noisy, rounded) value; NaN when suppressed */
    char text[32];       /* exactly what is shown */
    uint32_t seal;       /* set by sdc; result refuses values without it */
} Released;

bool released_is_sealed(const Released *value);

/* ==== The document ===================================================================== */

typedef enum EntryKind {
    ENTRY_MESSAGE,   /* data commands: a short confirmation */
    ENTRY_TABLE,     /* tabulate and friends */
    ENTRY_STATISTICS,/* summarize, ci, correlate, normaltest */
    ENTRY_MODEL,     /* regressions */
    ENTRY_CHART,     /* charts */
    ENTRY_TEXT,      /* textblock (a markdown item), help, variables, history, list-labels */
    ENTRY_ERROR      /* the command failed; the script stopped here */
} EntryKind;

typedef struct ResultDoc ResultDoc;
typedef struct ResultEntry ResultEntry;
typedef struct ResultTable ResultTable;

ResultDoc *result_doc_new(void);                  /* returns owned: result_doc_free */
void result_doc_free(ResultDoc *doc);
/* Sets document-level notes (e.g. "TRUSTED MODE: disclosure control is off"): each call
 * adds one note; adding the same text again does nothing. */
MdStatus result_doc_set_banner(ResultDoc *doc, const char *text) MD_MUST_CHECK;

/* Appends an entry for a command; NULL on out-of-memory. */
ResultEntry *result_doc_add(ResultDoc *doc, const char *command_text, int32_t line,
                            EntryKind kind);
int32_t result_doc_entry_count(const ResultDoc *doc);
ResultEntry *result_doc_entry_at(const ResultDoc *doc, int32_t index);

void result_entry_set_kind(ResultEntry *entry, EntryKind kind);
EntryKind result_entry_kind(const ResultEntry *entry);
/* Adds a line of plain text (message, help, variables). */
MdStatus result_entry_text(ResultEntry *entry, const char *fmt, ...) MD_PRINTF(2, 3)
    MD_MUST_CHECK;
/* Adds a textblock's Markdown source, copied whole (item type "markdown" in the JSON
 * document, so the browser renders it; the terminal shows it as it is). */
MdStatus result_entry_markdown(ResultEntry *entry, const char *markdown) MD_MUST_CHECK;
/* Adds a warning shown with the entry (e.g. "synthetic datastore"). */
MdStatus result_entry_warning(ResultEntry *entry, const char *fmt, ...) MD_PRINTF(2, 3)
    MD_MUST_CHECK;
/* Marks the entry failed with err (kind becomes ENTRY_ERROR). */
MdStatus result_entry_error(ResultEntry *entry, const MdError *err) MD_MUST_CHECK;
/* Adds a named released statistic to the entry ("N", "R2", "chi2", ...). */
MdStatus result_entry_stat(ResultEntry *entry, const char *name, const Released *value)
    MD_MUST_CHECK;

/* ==== Tables =========================================================================== */

/* A table has column headers, and rows each with one or more row labels and n_columns
 * cells. Cells hold Released values or are empty. */
ResultTable *result_entry_table(ResultEntry *entry, const char *title, int32_t n_columns,
                                const char *const *column_headers);
/* The names of the row-label columns (e.g. {"kjonn"} or {"fylke", "kjonn"}). */
MdStatus result_table_row_header(ResultTable *table, int32_t n_labels,
                                 const char *const *names) MD_MUST_CHECK;
/* Appends a row; returns its index or -1 on out-of-memory. */
int32_t result_table_add_row(ResultTable *table, int32_t n_labels,
                             const char *const *labels);
/* Sets a cell; refuses (MD_ERR_INTERNAL) a value that sdc did not seal. */
MdStatus result_table_set(ResultTable *table, int32_t row, int32_t column,
                          const Released *value) MD_MUST_CHECK;
/* A free note under the table (e.g. the chi-square test line). */
MdStatus result_table_note(ResultTable *table, const char *fmt, ...) MD_PRINTF(2, 3)
    MD_MUST_CHECK;

/* ==== Charts =========================================================================== */

/* A chart is a type ("bar", "histogram", ...), a title, and series of released points
 * with category labels; the browser draws it, the text renderer prints it as a table. */
typedef struct ResultChart ResultChart;
ResultChart *result_entry_chart(ResultEntry *entry, const char *type, const char *title);
MdStatus result_chart_add_point(ResultChart *chart, const char *series, const char *category,
                                const Released *value) MD_MUST_CHECK;

/* ==== Renderers ======================================================================== */

/* Plain text for the terminal; returns owned (md_free) or NULL. */
char *result_render_text(const ResultDoc *doc);
/* The JSON result document; returns owned (md_free) or NULL. Keys in a fixed order, so
 * the same document always renders to the same bytes. */
char *result_render_json(const ResultDoc *doc);

#endif /* MDATA_RESULT_RESULT_H */
