/*
 * cmd_datasets.c - the dataset commands of language.md 4.1: create-dataset, use,
 * clone-dataset, clone-units, delete-dataset and rename-dataset.
 *
 * Dataset names follow the variable-name rules. create-dataset activates the new dataset;
 * clone-dataset and clone-units do not (the active dataset stays as it was).
 */
#include "engine/commands.h"

#include <string.h>

/* An error unless name is a valid dataset name that is not taken. */
static MdStatus datasets_check_new(CommandContext *ctx, const char *name)
{
    if (!column_name_valid(name)) {
        md_error_set(ctx->err, MD_ERR_NAME, "'%s' is not a valid dataset name", name);
        md_error_hint(ctx->err, "names start with a letter or _ and hold letters, digits "
                                "and _");
        return MD_ERR_NAME;
    }
    if (workspace_index(ctx->ws, name) >= 0) {
        md_error_set(ctx->err, MD_ERR_NAME, "a dataset named '%s' already exists", name);
        md_error_hint(ctx->err, "choose another name, or delete-dataset %s first", name);
        return MD_ERR_NAME;
    }
    return MD_OK;
}

/* The index of an existing dataset, or -1 with an error suggesting the nearest name. */
static int32_t datasets_find(CommandContext *ctx, const char *name)
{
    int32_t index = workspace_index(ctx->ws, name);
    if (index >= 0)
        return index;
    const Workspace *ws = ctx->ws;
    const char **names = md_calloc((size_t)ws->n_datasets + 1, sizeof *names);
    const char *near = NULL;
    if (names) {
        for (int32_t i = 0; i < ws->n_datasets; i++)
            names[i] = ws->datasets[i]->name;
        near = text_suggest(name, names, (size_t)ws->n_datasets);
    }
    md_error_set(ctx->err, MD_ERR_NAME, "there is no dataset named '%s'", name);
    if (near)
        md_error_hint(ctx->err, "did you mean '%s'?", near);
    else
        md_error_hint(ctx->err, "create it with create-dataset %s", name);
    md_free(names);
    return -1;
}

MdStatus handle_create_dataset(CommandContext *ctx)
{
    const char *name;
    if (cmd_args_names(ctx, 1, &name) != MD_OK || datasets_check_new(ctx, name) != MD_OK)
        return ctx->err->status;
    Dataset *ds = dataset_new(name);
    if (!ds)
        return cmd_fail(ctx, MD_ERR_MEMORY, "out of memory creating dataset %s", name);
    if (workspace_add(ctx->ws, ds, ctx->err) != MD_OK) {
        dataset_free(ds);
        return ctx->err->status;
    }
    ctx->ws->active = ctx->ws->n_datasets - 1;
    return cmd_done(ctx, "created dataset %s (active)", name);
}

MdStatus handle_use(CommandContext *ctx)
{
    const char *name;
    if (cmd_args_names(ctx, 1, &name) != MD_OK)
        return ctx->err->status;
    int32_t index = datasets_find(ctx, name);
    if (index < 0)
        return ctx->err->status;
    ctx->ws->active = index;
    return cmd_done(ctx, "dataset %s is active", name);
}

MdStatus handle_clone_dataset(CommandContext *ctx)
{
    const char *names[2];
    if (cmd_args_names(ctx, 2, names) != MD_OK)
        return ctx->err->status;
    int32_t index = datasets_find(ctx, names[0]);
    if (index < 0 || datasets_check_new(ctx, names[1]) != MD_OK)
        return ctx->err->status;
    Dataset *copy = dataset_copy(ctx->ws->datasets[index], names[1], ctx->err);
    if (!copy)
        return ctx->err->status;
    if (workspace_add(ctx->ws, copy, ctx->err) != MD_OK) {
        dataset_free(copy);
        return ctx->err->status;
    }
    return cmd_done(ctx, "cloned dataset %s to %s", names[0], names[1]);
}

/* The first row of each unit (rows are sorted by unit id). */
static int64_t datasets_unit_rows(const Dataset *ds, int64_t *rows)
{
    int64_t n = 0;
    for (int64_t i = 0; i < ds->n_rows; i++) {
        if (i == 0 || ds->unit_ids[i] != ds->unit_ids[i - 1])
            rows[n++] = i;
    }
    return n;
}

MdStatus handle_clone_units(CommandContext *ctx)
{
    const char *names[2];
    if (cmd_args_names(ctx, 2, names) != MD_OK)
        return ctx->err->status;
    int32_t index = datasets_find(ctx, names[0]);
    if (index < 0 || datasets_check_new(ctx, names[1]) != MD_OK)
        return ctx->err->status;
    const Dataset *src = ctx->ws->datasets[index];
    int64_t *rows = md_malloc((size_t)(src->n_rows > 0 ? src->n_rows : 1) * sizeof *rows);
    if (!rows)
        return cmd_fail(ctx, MD_ERR_MEMORY, "out of memory cloning units of %s", names[0]);
    int64_t n = datasets_unit_rows(src, rows);
    /* Units only: subset the unit arrays of a column-free view of the source. */
    Dataset view = *src;
    view.n_columns = 0;
    Dataset *units = dataset_subset_rows(&view, rows, n, names[1], ctx->err);
    md_free(rows);
    if (!units)
        return ctx->err->status;
    if (units->shape != SHAPE_EMPTY)
        units->shape = SHAPE_CROSS;
    if (workspace_add(ctx->ws, units, ctx->err) != MD_OK) {
        dataset_free(units);
        return ctx->err->status;
    }
    return cmd_done(ctx, "dataset %s holds the units of %s and no variables", names[1],
                   names[0]);
}

MdStatus handle_delete_dataset(CommandContext *ctx)
{
    const char *name;
    if (cmd_args_names(ctx, 1, &name) != MD_OK)
        return ctx->err->status;
    int32_t index = datasets_find(ctx, name);
    if (index < 0)
        return ctx->err->status;
    bool was_active = ctx->ws->active == index;
    workspace_remove_at(ctx->ws, index);
    return cmd_done(ctx, "deleted dataset %s%s", name,
                   was_active ? "; no dataset is active now" : "");
}

MdStatus handle_rename_dataset(CommandContext *ctx)
{
    const char *names[2];
    if (cmd_args_names(ctx, 2, names) != MD_OK)
        return ctx->err->status;
    int32_t index = datasets_find(ctx, names[0]);
    if (index < 0 || datasets_check_new(ctx, names[1]) != MD_OK)
        return ctx->err->status;
    char *copy = md_strdup(names[1]);
    if (!copy)
        return cmd_fail(ctx, MD_ERR_MEMORY, "out of memory renaming dataset %s", names[0]);
    Dataset *ds = ctx->ws->datasets[index];
    md_free(ds->name);
    ds->name = copy;
    return cmd_done(ctx, "renamed dataset %s to %s", names[0], names[1]);
}
