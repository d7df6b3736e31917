/*
 * commands.h - what the data-handling command files of src/engine share: workspace
 * bookkeeping (datasets, label lists, stores, history), the handler functions bound in
 * handlers_data.c, and small helpers for columns, datasets, arguments and disclosure checks.
 *
 * Every handler follows one pattern: validate the arguments, build the new state off to the
 * side, and swap it in only when nothing can fail any more, so a failed command leaves the
 * workspace exactly as it was. Errors never name a unit id, a value or a count.
 */
#ifndef MDATA_ENGINE_COMMANDS_H
#define MDATA_ENGINE_COMMANDS_H

#include "engine/engine_int.h"

/* ==== Workspace bookkeeping (workspace.c) ============================================== */

int32_t workspace_index(const Workspace *ws, const char *name);     /* -1 if absent */
/* Takes dataset on success; does not change the active dataset. */
MdStatus workspace_add(Workspace *ws, Dataset *dataset, MdError *err) MD_MUST_CHECK;
/* Frees the dataset at index; the active index follows (or becomes -1). */
void workspace_remove_at(Workspace *ws, int32_t index);
/* Frees the dataset at index and puts next (taken) in its place. */
void workspace_replace_at(Workspace *ws, int32_t index, Dataset *next);
LabelList *workspace_label_list(const Workspace *ws, const char *name);
/* Takes list; a list of the same name is replaced. */
MdStatus workspace_put_label_list(Workspace *ws, LabelList *list, MdError *err)
    MD_MUST_CHECK;
bool workspace_drop_label_list(Workspace *ws, const char *name);
void label_list_free(LabelList *list);
MdStatus workspace_history_add(Workspace *ws, const char *text, MdError *err) MD_MUST_CHECK;
/* Wipes datasets, label lists and history (not the required stores). */
void workspace_clear(Workspace *ws);
RequiredStore *workspace_store(const Workspace *ws, const char *alias);

/* ==== Handlers (one file per family) =================================================== */

MdStatus handle_require(CommandContext *ctx);
MdStatus handle_create_dataset(CommandContext *ctx);
MdStatus handle_use(CommandContext *ctx);
MdStatus handle_clone_dataset(CommandContext *ctx);
MdStatus handle_clone_units(CommandContext *ctx);
MdStatus handle_delete_dataset(CommandContext *ctx);
MdStatus handle_rename_dataset(CommandContext *ctx);
MdStatus handle_import(CommandContext *ctx);
MdStatus handle_import_event(CommandContext *ctx);
MdStatus handle_import_panel(CommandContext *ctx);
MdStatus handle_reshape_to_panel(CommandContext *ctx);
MdStatus handle_reshape_from_panel(CommandContext *ctx);
MdStatus handle_rename(CommandContext *ctx);
MdStatus handle_clone_variables(CommandContext *ctx);
MdStatus handle_drop(CommandContext *ctx);
MdStatus handle_keep(CommandContext *ctx);
MdStatus handle_collapse(CommandContext *ctx);
MdStatus handle_aggregate(CommandContext *ctx);
MdStatus handle_merge(CommandContext *ctx);
MdStatus handle_recode(CommandContext *ctx);
MdStatus handle_destring(CommandContext *ctx);
MdStatus handle_define_labels(CommandContext *ctx);
MdStatus handle_assign_labels(CommandContext *ctx);
MdStatus handle_drop_labels(CommandContext *ctx);
MdStatus handle_list_labels(CommandContext *ctx);
MdStatus handle_sample(CommandContext *ctx);
MdStatus handle_help(CommandContext *ctx);
MdStatus handle_help_function(CommandContext *ctx);
MdStatus handle_variables(CommandContext *ctx);
MdStatus handle_clear(CommandContext *ctx);
MdStatus handle_history(CommandContext *ctx);
MdStatus handle_session_only(CommandContext *ctx);

/* ==== Errors and arguments (cmd_common.c) ============================================== */

/* Sets the command's error (status, message) and returns the status. */
MdStatus cmd_fail(CommandContext *ctx, MdStatus status, const char *fmt, ...) MD_PRINTF(3, 4);
/* The error for a wrong argument list: names the command's syntax line. */
MdStatus cmd_fail_usage(CommandContext *ctx, const char *problem);
/* Adds a confirmation line to the entry. */
MdStatus cmd_say(CommandContext *ctx, const char *fmt, ...) MD_PRINTF(2, 3);
/* The confirmation after a change is made: adds the line if it can, never fails (a
 * command that changed the workspace must not report failure). */
MdStatus cmd_done(CommandContext *ctx, const char *fmt, ...) MD_PRINTF(2, 3);
/* The text of positional argument i, or NULL. */
const char *cmd_arg_text(const CommandContext *ctx, int32_t i);
/* Requires exactly n positional names (TOKEN_NAME); fills names. */
MdStatus cmd_args_names(CommandContext *ctx, int32_t n, const char **names);
/* The active dataset, or an error saying to create-dataset/use one. */
Dataset *cmd_active(CommandContext *ctx);
/* The column name of ds, or an error suggesting the nearest name. */
Column *cmd_column(CommandContext *ctx, const Dataset *ds, const char *name);
/* Refuses a pointer (pseudonym) variable outside merge `on` and collapse `by`. */
MdStatus cmd_refuse_pointer(CommandContext *ctx, const Column *column);
/* A valid new variable or dataset name that does not clash with an existing one. */
MdStatus cmd_check_new_variable(CommandContext *ctx, const Dataset *ds, const char *name);
/* The option's single name argument, e.g. prefix(p); NULL when absent (err on misuse). */
MdStatus cmd_option_word(CommandContext *ctx, const char *option, const char **out);

/* ==== Columns and datasets (cmd_common.c) ============================================== */

/* A new dataset named name with ds's identity (unit type, id name, shape) and no rows. */
Dataset *cmd_dataset_shell(const Dataset *ds, const char *name);
/* Fills keys with the per-unit keys of ids (sdc if present, else a plain hash). */
void cmd_unit_keys(const Workspace *ws, const uint64_t *ids, int64_t n, uint64_t *keys);

/* ==== Sorting and disclosure checks (cmd_common.c) ===================================== */

typedef struct SortPair {
    uint64_t key;
    int64_t row;
} SortPair;
/* Sorts pairs by key; equal keys keep their order (so pairs made in row order end up
 * sorted by key, then row). A radix sort with a qsort fallback. */
void cmd_sort_pairs(SortPair *pairs, int64_t n);
/* An order-preserving map of doubles to unsigned keys (NaN sorts last). */
uint64_t cmd_double_key(double value);
/* True when value is an integral, non-negative number usable as a unit id. */
bool cmd_double_to_id(double value, uint64_t *id);
/* R1 + R2 for a row filter: mask[i] = 1 keeps row i. Counts distinct units. Off when
 * trusted. Messages name the rule, never a count. */
MdStatus cmd_check_filter(CommandContext *ctx, const Dataset *ds, const uint8_t *mask);

#endif /* MDATA_ENGINE_COMMANDS_H */
