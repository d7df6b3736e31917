/*
 * workspace.c - the workspace: named datasets with one active, user label lists, the
 * datastores connected by `require`, and the history of commands run so far.
 *
 * Datasets are kept in creation order, so listings are deterministic. Removing a dataset
 * keeps the active one active (its index shifts) or leaves no dataset active.
 */
#include "engine/commands.h"

#include <string.h>

Workspace *workspace_new(const EngineOptions *options, MdError *err)
{
    if (!options) {
        md_error_set(err, MD_ERR_INTERNAL, "workspace_new needs options");
        return NULL;
    }
    if (!options->trusted && !options->sdc) {
        md_error_set(err, MD_ERR_INTERNAL,
                     "disclosure control is required unless the run is trusted");
        return NULL;
    }
    Workspace *ws = md_calloc(1, sizeof *ws);
    if (!ws) {
        md_error_set(err, MD_ERR_MEMORY, "out of memory creating the workspace");
        return NULL;
    }
    ws->options = *options;
    ws->active = -1;
    ws->sdc = options->sdc;
    return ws;
}

static void workspace_free_stores(Workspace *ws)
{
    for (int32_t i = 0; i < ws->n_stores; i++) {
        RequiredStore *rs = &ws->stores[i];
        if (rs->version)
            store_version_close(rs->version);
        if (rs->store)
            store_close(rs->store);
        md_free(rs->alias);
        md_free(rs->datastore);
        md_free(rs->version_label);
    }
    md_free(ws->stores);
    ws->stores = NULL;
    ws->n_stores = 0;
    ws->cap_stores = 0;
}

void workspace_clear(Workspace *ws)
{
    for (int32_t i = 0; i < ws->n_datasets; i++)
        dataset_free(ws->datasets[i]);
    ws->n_datasets = 0;
    ws->active = -1;
    for (int32_t i = 0; i < ws->n_label_lists; i++)
        label_list_free(ws->label_lists[i]);
    ws->n_label_lists = 0;
    for (int32_t i = 0; i < ws->n_history; i++)
        md_free(ws->history[i]);
    ws->n_history = 0;
}

void workspace_free(Workspace *ws)
{
    if (!ws)
        return;
    workspace_clear(ws);
    md_free(ws->datasets);
    md_free(ws->label_lists);
    md_free(ws->history);
    workspace_free_stores(ws);
    md_free(ws);
}

Dataset *workspace_active(const Workspace *ws)
{
    if (!ws || ws->active < 0 || ws->active >= ws->n_datasets)
        return NULL;
    return ws->datasets[ws->active];
}

int32_t workspace_index(const Workspace *ws, const char *name)
{
    for (int32_t i = 0; i < ws->n_datasets; i++) {
        if (strcmp(ws->datasets[i]->name, name) == 0)
            return i;
    }
    return -1;
}

Dataset *workspace_dataset(const Workspace *ws, const char *name)
{
    int32_t i = workspace_index(ws, name);
    return i < 0 ? NULL : ws->datasets[i];
}

int32_t workspace_dataset_count(const Workspace *ws) { return ws->n_datasets; }

Dataset *workspace_dataset_at(const Workspace *ws, int32_t index)
{
    if (index < 0 || index >= ws->n_datasets)
        return NULL;
    return ws->datasets[index];
}

MdStatus workspace_add(Workspace *ws, Dataset *dataset, MdError *err)
{
    if (md_grow((void **)&ws->datasets, &ws->cap_datasets, (size_t)ws->n_datasets + 1,
                sizeof *ws->datasets) != MD_OK)
        return md_error_set(err, MD_ERR_MEMORY, "out of memory adding a dataset");
    ws->datasets[ws->n_datasets++] = dataset;
    return MD_OK;
}

void workspace_remove_at(Workspace *ws, int32_t index)
{
    MD_ASSERT(index >= 0 && index < ws->n_datasets);
    dataset_free(ws->datasets[index]);
    memmove(&ws->datasets[index], &ws->datasets[index + 1],
            (size_t)(ws->n_datasets - index - 1) * sizeof *ws->datasets);
    ws->n_datasets--;
    if (ws->active == index)
        ws->active = -1;
    else if (ws->active > index)
        ws->active--;
}

void workspace_replace_at(Workspace *ws, int32_t index, Dataset *next)
{
    MD_ASSERT(index >= 0 && index < ws->n_datasets);
    if (ws->datasets[index] != next)
        dataset_free(ws->datasets[index]);
    ws->datasets[index] = next;
}

/* ==== Label lists ====================================================================== */

void label_list_free(LabelList *list)
{
    if (!list)
        return;
    for (int32_t i = 0; i < list->n; i++) {
        md_free(list->codes[i]);
        md_free(list->labels[i]);
    }
    md_free(list->codes);
    md_free(list->labels);
    md_free(list->name);
    md_free(list);
}

static int32_t workspace_label_index(const Workspace *ws, const char *name)
{
    for (int32_t i = 0; i < ws->n_label_lists; i++) {
        if (strcmp(ws->label_lists[i]->name, name) == 0)
            return i;
    }
    return -1;
}

LabelList *workspace_label_list(const Workspace *ws, const char *name)
{
    int32_t i = workspace_label_index(ws, name);
    return i < 0 ? NULL : ws->label_lists[i];
}

MdStatus workspace_put_label_list(Workspace *ws, LabelList *list, MdError *err)
{
    int32_t i = workspace_label_index(ws, list->name);
    if (i >= 0) {
        label_list_free(ws->label_lists[i]);
        ws->label_lists[i] = list;
        return MD_OK;
    }
    if (md_grow((void **)&ws->label_lists, &ws->cap_label_lists,
                (size_t)ws->n_label_lists + 1, sizeof *ws->label_lists) != MD_OK)
        return md_error_set(err, MD_ERR_MEMORY, "out of memory adding a label list");
    ws->label_lists[ws->n_label_lists++] = list;
    return MD_OK;
}

bool workspace_drop_label_list(Workspace *ws, const char *name)
{
    int32_t i = workspace_label_index(ws, name);
    if (i < 0)
        return false;
    label_list_free(ws->label_lists[i]);
    memmove(&ws->label_lists[i], &ws->label_lists[i + 1],
            (size_t)(ws->n_label_lists - i - 1) * sizeof *ws->label_lists);
    ws->n_label_lists--;
    return true;
}

/* ==== History and stores =============================================================== */

MdStatus workspace_history_add(Workspace *ws, const char *text, MdError *err)
{
    if (md_grow((void **)&ws->history, &ws->cap_history, (size_t)ws->n_history + 1,
                sizeof *ws->history) != MD_OK)
        return md_error_set(err, MD_ERR_MEMORY, "out of memory recording history");
    char *copy = md_strdup(text ? text : "");
    if (!copy)
        return md_error_set(err, MD_ERR_MEMORY, "out of memory recording history");
    ws->history[ws->n_history++] = copy;
    return MD_OK;
}

RequiredStore *workspace_store(const Workspace *ws, const char *alias)
{
    for (int32_t i = 0; i < ws->n_stores; i++) {
        if (strcmp(ws->stores[i].alias, alias) == 0)
            return &ws->stores[i];
    }
    return NULL;
}
