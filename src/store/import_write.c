/*
 * import_write.c - hands a validated ImportDataset to the VariableWriter of store.h: the
 * VariableInfo built from the metadata and one Spells holding every row sorted by unit id
 * then start (the writer splits it into parts by status date or period).
 *
 * The sorted columns are built once off to the side; nothing becomes visible before
 * variable_writer_commit, and any failure aborts the writer, so the draft is unchanged.
 */
#include "store/import_int.h"

#include <string.h>

typedef struct SortedColumns {
    uint64_t *ids;
    int32_t *starts;
    int32_t *stops;
    void *values;
    const char **dictionary;
} SortedColumns;

static void columns_free(SortedColumns *c)
{
    md_free(c->ids);
    md_free(c->starts);
    md_free(c->stops);
    md_free(c->values);
    md_free(c->dictionary);
}

static size_t value_width(ValueType t)
{
    return t == VALUE_LONG || t == VALUE_DOUBLE ? 8 : 4;
}

static const void *value_column(const ImportRows *r, ValueType t)
{
    switch (t) {
    case VALUE_LONG:
        return r->longs;
    case VALUE_DOUBLE:
        return r->doubles;
    case VALUE_DATE:
        return r->dates;
    case VALUE_STRING:
        return r->string_ids;
    }
    return NULL;
}

/* Gathers every column in the sorted order into fresh arrays. */
static MdStatus columns_build(const ImportDataset *d, SortedColumns *c)
{
    const ImportRows *r = &d->rows;
    size_t n = (size_t)(r->n ? r->n : 1);
    size_t width = value_width(d->info.value_type);
    memset(c, 0, sizeof *c);
    c->ids = md_malloc(n * sizeof *c->ids);
    c->starts = md_malloc(n * sizeof *c->starts);
    c->stops = md_malloc(n * sizeof *c->stops);
    c->values = md_calloc(n, width);
    int64_t n_dict = d->info.value_type == VALUE_STRING ? strmap_count(r->dictionary) : 0;
    c->dictionary = md_calloc((size_t)n_dict + 1, sizeof *c->dictionary);
    if (!c->ids || !c->starts || !c->stops || !c->values || !c->dictionary)
        return MD_ERR_MEMORY;
    const char *src = value_column(r, d->info.value_type);
    for (int64_t k = 0; k < r->n; k++) {
        int64_t i = d->order[k];
        c->ids[k] = r->ids[i];
        c->starts[k] = d->info.temporality == TEMPORALITY_FIXED ? DATE_NONE : r->starts[i];
        c->stops[k] = r->stops[i];
        memcpy((char *)c->values + (size_t)k * width, src + (size_t)i * width, width);
    }
    for (int64_t i = 0; i < n_dict; i++)
        c->dictionary[i] = strmap_key_at(r->dictionary, i);
    return MD_OK;
}

static void spells_from_columns(const ImportDataset *d, const SortedColumns *c, Spells *s)
{
    memset(s, 0, sizeof *s);
    s->n = d->rows.n;
    s->type = d->info.value_type;
    s->unit_ids = c->ids;
    s->starts = c->starts;
    s->stops = c->stops;
    switch (s->type) {
    case VALUE_LONG:
        s->longs = c->values;
        break;
    case VALUE_DOUBLE:
        s->doubles = c->values;
        break;
    case VALUE_DATE:
        s->dates = c->values;
        break;
    case VALUE_STRING:
        s->string_ids = c->values;
        s->dictionary = c->dictionary;
        s->n_dictionary = (uint32_t)strmap_count(d->rows.dictionary);
        break;
    }
    s->is_view = true; /* borrowed arrays: the writer copies them */
}

MdStatus import_dataset_write(Store *store, const ImportDataset *d, MdError *err)
{
    SortedColumns cols;
    if (columns_build(d, &cols) != MD_OK) {
        columns_free(&cols);
        return md_error_set(err, MD_ERR_MEMORY, "out of memory writing %s", d->info.name);
    }
    Spells rows;
    spells_from_columns(d, &cols, &rows);
    VariableWriter *w = variable_writer_new(store, &d->info, err);
    MdStatus st = w ? MD_OK : err->status;
    if (st == MD_OK && rows.n > 0)
        st = variable_writer_add(w, &rows, err);
    if (st == MD_OK) {
        st = variable_writer_commit(w, err);
        w = NULL;
    }
    if (w)
        variable_writer_abort(w);
    columns_free(&cols);
    if (st != MD_OK)
        md_error_where(err, "%s", d->info.name);
    return st;
}
