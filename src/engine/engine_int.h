/*
 * engine_int.h - what the files of src/engine share and no other module may include: the
 * Workspace itself and the handler tables that connect the lang command table to code.
 *
 * The command table of lang (name, grammar, options, syntax, summary) is the one source for
 * the parser, help, errors and editor completion. The engine binds each command name to a
 * handler here; a command that lang knows but no table binds answers "not yet implemented".
 */
#ifndef MDATA_ENGINE_ENGINE_INT_H
#define MDATA_ENGINE_ENGINE_INT_H

#include "engine/engine.h"
#include "result/result.h"
#include "sdc/sdc.h"

typedef struct RequiredStore {
    char *alias;             /* the name scripts use: db/INNTEKT_WLONN */
    char *datastore;         /* "no.ssb.fdb" */
    char *version_label;     /* as the script wrote it, e.g. "53" or "1.0.0" */
    Store *store;
    StoreVersion *version;
} RequiredStore;

struct Workspace {
    EngineOptions options;
    Dataset **datasets;
    int32_t n_datasets;
    size_t cap_datasets;
    int32_t active;          /* index into datasets, -1 if none */
    LabelList **label_lists;
    int32_t n_label_lists;
    size_t cap_label_lists;
    RequiredStore *stores;
    int32_t n_stores;
    size_t cap_stores;
    char **history;          /* command texts run so far */
    int32_t n_history;
    size_t cap_history;
    Sdc *sdc;                /* borrowed from options */
};

/* Everything a handler needs. entry is this command's result entry (kind ENTRY_MESSAGE
 * until the handler changes it). On failure the handler sets err and returns its status;
 * it must leave the workspace as it was. */
typedef struct CommandContext {
    Workspace *ws;
    const Command *command;
    ResultDoc *doc;
    ResultEntry *entry;
    MdError *err;
} CommandContext;

typedef MdStatus (*CommandHandler)(CommandContext *ctx);

typedef struct HandlerEntry {
    const char *name;        /* a command name of the lang table */
    CommandHandler handler;
} HandlerEntry;

/* NULL-terminated tables, each in its own file. */
extern const HandlerEntry engine_data_handlers[];       /* datasets, preparation, support */
extern const HandlerEntry engine_statistics_handlers[]; /* descriptive statistics, analysis */
extern const HandlerEntry engine_expression_handlers[]; /* generate, replace */

/* ==== Column and dataset helpers (column.c, dataset.c) ================================ */

/* The canonical quiet NaN every missing number is stored as. */
double column_missing_number(void);
/* A new variable name: letters (UTF-8 allowed), digits, '_', not starting with a digit,
 * at most 64 bytes, no '@' (system names such as START@x are made by the engine only). */
bool column_name_valid(const char *name);
/* New columns of n_rows missing values; returns owned (column_free) or NULL on OOM. */
Column *column_new_number(const char *name, int64_t n_rows);
Column *column_new_string(const char *name, int64_t n_rows);
/* A number column whose values the caller will write (not initialised). */
Column *column_new_number_uninit(const char *name, int64_t n_rows);
/* Deep copy of rows[0..n) of src (rows NULL: rows 0..n-1; a row of -1 gives missing),
 * with its label list, source, pointer flag and user-missing values. name NULL keeps the
 * name. Returns owned or NULL on OOM. */
Column *column_subset(const Column *src, const int64_t *rows, int64_t n, const char *name);
Column *column_copy(const Column *src, int64_t n_rows, const char *name);
/* Copies label list, source, pointer flag, user missing, free-text flag; dst unchanged on
 * failure. */
MdStatus column_copy_attributes(Column *dst, const Column *src) MD_MUST_CHECK;
MdStatus column_rename(Column *column, const char *name) MD_MUST_CHECK;
bool column_number_is_user_missing(const Column *column, double value);
/* The string of a row, NULL when missing or not a string column (borrowed). */
const char *column_string_at(const Column *column, int64_t row);
/* Turns every NaN and infinity into the canonical missing value. */
void column_normalize_missing(Column *column, int64_t n_rows);
/* Same value (both missing counts as equal; user-missing counts as missing). */
bool column_values_equal(const Column *a, int64_t row_a, const Column *b, int64_t row_b);

int32_t dataset_column_index(const Dataset *dataset, const char *name); /* -1 if absent */
/* Makes room for extra more columns so that the next adds cannot fail. */
MdStatus dataset_reserve_columns(Dataset *dataset, int32_t extra) MD_MUST_CHECK;
/* Appends column (takes it on success only); MD_ERR_NAME if the name exists. Cannot fail
 * after dataset_reserve_columns unless the name clashes. */
MdStatus dataset_add_column(Dataset *dataset, Column *column, MdError *err) MD_MUST_CHECK;
/* Puts column in place of the column of the same name; returns the old one (owned by the
 * caller) or NULL (nothing changed) if there is none. Never fails. */
Column *dataset_replace_column(Dataset *dataset, Column *column);
/* Takes the named column out; returns it (owned by the caller) or NULL if absent. */
Column *dataset_remove_column(Dataset *dataset, const char *name);
/* Exchanges the whole contents of two datasets (to swap a rebuilt dataset in). */
void dataset_swap(Dataset *a, Dataset *b);
/* New datasets holding rows[0..n) (rows NULL: 0..n-1; a row of -1 gives missing values
 * and unit id and key 0) or the rows where mask[i] != 0, of every column, with unit ids,
 * keys, shape and unit type; name NULL keeps the name.
 * Returns owned (dataset_free) or NULL with err set. */
Dataset *dataset_subset_rows(const Dataset *src, const int64_t *rows, int64_t n,
                             const char *name, MdError *err);
Dataset *dataset_subset_mask(const Dataset *src, const uint8_t *mask, const char *name,
                             MdError *err);
Dataset *dataset_copy(const Dataset *src, const char *name, MdError *err);
/* Distinct units among the rows where mask[i] != 0 (rows are sorted by unit id). Without
 * unit ids (dataset_distinct_units too) every row counts as a unit. */
int64_t dataset_count_units_where(const Dataset *dataset, const uint8_t *mask);

#endif /* MDATA_ENGINE_ENGINE_INT_H */
