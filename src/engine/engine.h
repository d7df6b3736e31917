/*
 * engine.h - the public interface of the engine: the workspace of named datasets, columns
 * with missing values and labels, expression evaluation over whole columns, and the
 * execution of every command.
 *
 * A Dataset's rows are sorted by unit id (then START@ for event data, date@panel for
 * panel data). Columns are heap arrays owned by their Dataset. A command builds new columns
 * off to the side and swaps them in at the end, so a failed command changes nothing.
 * The engine never formats output: analysis results go through stats and sdc into the
 * result document.
 */
#ifndef MDATA_ENGINE_ENGINE_H
#define MDATA_ENGINE_ENGINE_H

#include "base/base.h"
#include "lang/lang.h"
#include "store/store.h"

struct Sdc;
struct ResultDoc;
struct ResultEntry;

/* ==== Columns ========================================================================== */

/* Missing is a NaN in number columns and COLUMN_STRING_MISSING in string columns. */
#define COLUMN_STRING_MISSING UINT32_MAX

typedef enum ColumnType { COLUMN_NUMBER, COLUMN_STRING } ColumnType;

/* The distinct strings of a string column; codes index into strings. */
typedef struct StringPool {
    char **strings;
    uint32_t n;
    size_t cap;
    StrMap *index;  /* string -> code */
} StringPool;

StringPool *string_pool_new(void);                 /* returns owned: string_pool_free */
void string_pool_free(StringPool *pool);
/* Returns the code of s, adding it when new; COLUMN_STRING_MISSING on out-of-memory. */
uint32_t string_pool_intern(StringPool *pool, const char *s, size_t len);

typedef struct Column {
    char *name;
    ColumnType type;
    double *numbers;       /* COLUMN_NUMBER, n_rows entries, NaN = missing */
    uint32_t *codes;       /* COLUMN_STRING, n_rows entries */
    StringPool *pool;      /* COLUMN_STRING, owned */
    char *label_list;      /* name of an attached user label list, or NULL */
    const VariableInfo *source; /* register variable it came from (code labels), or NULL */
    int32_t source_date;   /* date of the code list to use for labels */
    char *pointer_to;      /* unit type when the values are unit ids (keys only), or NULL */
    double *user_missing;  /* values flagged missing by recode (number columns) */
    int32_t n_user_missing;
    bool is_free_text;     /* free-text strings: never tabulated */
} Column;

void column_free(Column *column);
bool column_is_missing(const Column *column, int64_t row); /* sysmiss or user-missing */

/* ==== Datasets ========================================================================= */

typedef enum DatasetShape {
    SHAPE_EMPTY,     /* no units yet */
    SHAPE_CROSS,     /* one row per unit */
    SHAPE_EVENT,     /* one row per spell: START@v, STOP@v */
    SHAPE_PANEL,     /* one row per unit x date@panel */
    SHAPE_COLLAPSED  /* one row per value of a collapse key */
} DatasetShape;

typedef struct Dataset {
    char *name;
    char *unit_type;      /* NULL while empty */
    char *id_name;        /* "PERSONID_1", ...; NULL while empty */
    DatasetShape shape;
    int64_t n_rows;
    uint64_t *unit_ids;   /* n_rows, ascending */
    uint64_t *unit_keys;  /* n_rows, the sdc per-unit key of each row's unit */
    Column **columns;
    int32_t n_columns;
    size_t cap_columns;
} Dataset;

Dataset *dataset_new(const char *name);            /* returns owned: dataset_free */
void dataset_free(Dataset *dataset);
Column *dataset_column(const Dataset *dataset, const char *name); /* NULL if absent */
int64_t dataset_distinct_units(const Dataset *dataset);

/* ==== Label lists ====================================================================== */

typedef struct LabelList {
    char *name;
    char **codes;   /* code text ('1', '03', or a number printed with %.15g) */
    char **labels;
    int32_t n;
} LabelList;

/* ==== Workspace ======================================================================== */

typedef struct Workspace Workspace;

typedef struct EngineOptions {
    const char *store_dir;   /* datastore directory (borrowed) */
    struct Sdc *sdc;         /* disclosure control (borrowed); required unless trusted */
    bool trusted;            /* `mdata run --trusted`: disclosure control off */
    int64_t max_rows;        /* limit on rows of one dataset; 0 = default */
} EngineOptions;

Workspace *workspace_new(const EngineOptions *options, MdError *err); /* returns owned */
void workspace_free(Workspace *ws);
Dataset *workspace_active(const Workspace *ws);       /* NULL if none */
Dataset *workspace_dataset(const Workspace *ws, const char *name);
int32_t workspace_dataset_count(const Workspace *ws);
Dataset *workspace_dataset_at(const Workspace *ws, int32_t index);

/* Executes one command against the workspace, appending its result entry to doc. On
 * failure the workspace is as it was and err names the line, the problem and the fix. */
MdStatus engine_execute(Workspace *ws, const Command *command, struct ResultDoc *doc,
                        MdError *err) MD_MUST_CHECK;
/* Runs every statement of a script in order, stopping at the first error. Each command
 * gets one entry in doc (the failing one carries the error). */
MdStatus engine_run_script(Workspace *ws, const Script *script, struct ResultDoc *doc,
                           MdError *err) MD_MUST_CHECK;

/* ==== Expressions ====================================================================== */

/* Evaluates expr over every row of dataset into a new column (name NULL). Returns owned
 * (column_free) or NULL with err set. Compiles once, then runs whole-column loops. */
Column *expr_evaluate(const Workspace *ws, const Dataset *dataset, const Expr *expr,
                      MdError *err);
/* Evaluates a condition into mask (n_rows bytes, 1 = true; missing counts as false). */
MdStatus expr_evaluate_condition(const Workspace *ws, const Dataset *dataset,
                                 const Expr *expr, uint8_t *mask, MdError *err)
    MD_MUST_CHECK;

#endif /* MDATA_ENGINE_ENGINE_H */
