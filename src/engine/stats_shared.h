/*
 * stats_shared.h - what the statistics command files (cmd_tabulate.c, cmd_summarize.c,
 * cmd_analysis.c) share: the analysed selection (active dataset, `if` mask, population
 * checks), variable lists, numeric column checks, categorical factors with their labels,
 * per-cell gathering of values, and the handler functions bound in handlers_statistics.c.
 */
#ifndef MDATA_ENGINE_STATS_SHARED_H
#define MDATA_ENGINE_STATS_SHARED_H

#include "engine/commands.h"

/* The rows an output command analyses. */
typedef struct StatSelection {
    Dataset *ds;          /* the active dataset (borrowed) */
    uint8_t *mask;        /* n_rows bytes, 1 = row selected (owned) */
    int64_t n_selected;   /* selected rows */
    SdcCell population;   /* distinct units of the selected rows */
    Sdc *sdc;
} StatSelection;

/* Finds the active dataset, evaluates `if`, applies R1/R2 to the filter and R1/R15 to the
 * analysed population, and counts one output command (rate limit). */
MdStatus statcmd_select(CommandContext *ctx, StatSelection *sel) MD_MUST_CHECK;
void statcmd_selection_free(StatSelection *sel);

/* The positional variable names of the command (names only, no factor notation). When
 * there are none and all_numeric is set, every analysable number column. Owned array of
 * borrowed names: md_free(*names). */
MdStatus statcmd_varlist(CommandContext *ctx, const Dataset *ds, bool all_numeric,
                         const char ***names, int32_t *n) MD_MUST_CHECK;
/* A number column that statistics may use: not a pointer, not a string (G5, R13). */
Column *statcmd_numeric(CommandContext *ctx, const Dataset *ds, const char *name);

/* A categorical variable of a table: the level of each row and the text of each level. */
typedef struct StatFactor {
    const Column *column;
    int32_t n_levels;
    int32_t *row_level;   /* n_rows; -1 = not in the table (excluded or missing) */
    char **labels;        /* n_levels texts shown (labels, or codes with nolabels) */
    char **codes;         /* n_levels code texts (for colsort/rowsort) */
    double *values;       /* n_levels numeric codes (NaN for missing and strings) */
} StatFactor;

/* Builds the factor of a column over the selected rows. Refuses pointers, free text. */
MdStatus statcmd_factor(CommandContext *ctx, const Dataset *ds, const Column *column,
                        const uint8_t *mask, bool include_missing, bool nolabels,
                        StatFactor *factor) MD_MUST_CHECK;
void statcmd_factor_free(StatFactor *factor);

/* True when x holds one value per unit: every row of a unit carries the same value (or
 * every one is missing), as for a person variable merged into event or panel data. Such
 * a variable contributes once per unit to a statistic, never once per row (attack C4). */
bool statcmd_unit_level(const Dataset *ds, const double *x);

/* Rows grouped by cell: for rows with cell[i] >= 0 and a non-missing x, the values in
 * cell order (stable), offsets[c]..offsets[c+1] per cell, and the contributing-unit
 * SdcCell of each cell. When x holds one value per unit (every row of a unit carries the
 * same value, as after merging a person variable into event or panel data), each unit
 * contributes its value once per cell: duplicating rows never adds weight (attack C4).
 * Owned arrays freed by statcmd_groups_free. */
typedef struct StatGroups {
    int64_t n_cells;
    int64_t *offsets;     /* n_cells + 1 */
    double *values;
    SdcCell *units;       /* n_cells */
} StatGroups;

MdStatus statcmd_groups(CommandContext *ctx, const Dataset *ds, const int32_t *cell,
                        int64_t n_cells, const double *x, StatGroups *groups) MD_MUST_CHECK;
void statcmd_groups_free(StatGroups *groups);

/* Releases the named descriptive statistic ("mean", "std"/"sd", "sum", "p1".."p99",
 * "gini", "iqr", "count") of values (one cell) with winsorising bounds low/high. */
Released statcmd_release_stat(const Sdc *sdc, const SdcCell *cell, const char *variable,
                              const char *stat, double *values, int64_t n, double low,
                              double high);
/* Winsorising bounds of x over selected rows (NaN bounds when too few values); a
 * unit-level x counts once per unit, as in statcmd_groups. */
MdStatus statcmd_winsor(CommandContext *ctx, const Dataset *ds, const double *x,
                        const uint8_t *mask, double *low, double *high) MD_MUST_CHECK;

MdStatus statcmd_fail_memory(CommandContext *ctx);
/* A result table with one row-label column; NULL (err set) on out-of-memory. */
ResultTable *statcmd_named_table(CommandContext *ctx, const char *title, int32_t n_columns,
                                 const char *const *headers, const char *row_header);
/* Sets a released cell of a table, mapping the result error to err. */
MdStatus statcmd_set(CommandContext *ctx, ResultTable *table, int32_t row, int32_t column,
                     Released value) MD_MUST_CHECK;
MdStatus statcmd_stat(CommandContext *ctx, const char *name, Released value) MD_MUST_CHECK;

/* ==== Handlers ========================================================================= */

MdStatus handle_tabulate(CommandContext *ctx);
MdStatus handle_tabulate_panel(CommandContext *ctx);
MdStatus handle_summarize(CommandContext *ctx);
MdStatus handle_summarize_panel(CommandContext *ctx);
MdStatus handle_correlate(CommandContext *ctx);
MdStatus handle_ci(CommandContext *ctx);
MdStatus handle_normaltest(CommandContext *ctx);
MdStatus handle_anova(CommandContext *ctx);
MdStatus handle_transitions_panel(CommandContext *ctx);

#endif /* MDATA_ENGINE_STATS_SHARED_H */
