/*
 * cmd_reshape.c - reshape-to-panel PREFIX... and reshape-from-panel (language.md 3.6,
 * 4.1): between wide (one row per unit) and panel (unit x date@panel) datasets.
 *
 * To panel: each prefix names the variables PREFIX<suffix> whose suffix holds digits and
 * other non-letters (18, 2019, 201901, 2021_01_01); the suffixes, ordered by their digits
 * read as a number, become date@panel (that number). Variables no prefix covers are
 * repeated on every row of the unit; a unit gets a row for every suffix, missing where its
 * PREFIX<suffix> variable does not exist. From panel: every variable becomes
 * <name><date@panel value, %.15g> (17897 after import-panel, 2019 after reshape-to-panel);
 * under disclosure control each value must be shared by enough units (R3).
 */
#include "engine/commands.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RESHAPE_MAX_SUFFIXES 1000

/* ==== reshape-to-panel ================================================================= */

typedef struct Suffix {
    char text[64];
    double number;
} Suffix;

/* A valid suffix: not empty, no letters, at least one digit. Its number = its digits. */
static bool reshape_suffix(const char *s, double *number)
{
    double v = 0;
    bool digit = false;
    if (!*s || strlen(s) > 40)
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p >= '0' && *p <= '9') {
            v = v * 10 + (*p - '0');
            digit = true;
        } else if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p >= 0x80) {
            return false;
        }
    }
    *number = v;
    return digit;
}

static int reshape_compare_suffix(const void *a, const void *b)
{
    const Suffix *x = a, *y = b;
    if (x->number != y->number)
        return x->number < y->number ? -1 : 1;
    return strcmp(x->text, y->text);
}

/* owner[k] = index of the prefix column k belongs to, -1 if none. Fills the suffixes. */
static MdStatus reshape_classify(CommandContext *ctx, const Dataset *ds, int32_t *owner,
                                 Suffix *suffixes, int32_t *n_suffixes)
{
    const Command *c = ctx->command;
    *n_suffixes = 0;
    for (int32_t k = 0; k < ds->n_columns; k++) {
        const char *name = ds->columns[k]->name;
        owner[k] = -1;
        for (int32_t p = 0; p < c->n_args && owner[k] < 0; p++) {
            size_t len = strlen(c->args[p].text);
            double number;
            if (strncmp(name, c->args[p].text, len) != 0 || !reshape_suffix(name + len, &number))
                continue;
            owner[k] = p;
            bool seen = false;
            for (int32_t s = 0; s < *n_suffixes && !seen; s++)
                seen = strcmp(suffixes[s].text, name + len) == 0;
            if (seen)
                continue;
            if (*n_suffixes == RESHAPE_MAX_SUFFIXES)
                return cmd_fail(ctx, MD_ERR_LIMIT, "reshape-to-panel takes at most %d suffixes",
                                RESHAPE_MAX_SUFFIXES);
            Suffix *s = &suffixes[(*n_suffixes)++];
            snprintf(s->text, sizeof s->text, "%s", name + len);
            s->number = number;
        }
    }
    for (int32_t p = 0; p < c->n_args; p++) {
        bool any = false;
        for (int32_t k = 0; k < ds->n_columns; k++)
            any = any || owner[k] == p;
        if (!any)
            return cmd_fail(ctx, MD_ERR_NAME, "no variable is named %s followed by a number "
                            "suffix", c->args[p].text);
        if (dataset_column(ds, c->args[p].text))
            return cmd_fail(ctx, MD_ERR_NAME, "a variable is already named %s", c->args[p].text);
    }
    qsort(suffixes, (size_t)*n_suffixes, sizeof *suffixes, reshape_compare_suffix);
    for (int32_t s = 1; s < *n_suffixes; s++) {
        if (suffixes[s].number == suffixes[s - 1].number)
            return cmd_fail(ctx, MD_ERR_VALUE, "the suffixes %s and %s give the same "
                            "date@panel", suffixes[s - 1].text, suffixes[s].text);
    }
    return MD_OK;
}

/* The long column of prefix p: row u*T + t from column PREFIX<suffix t> at unit u. */
static Column *reshape_long_column(const Dataset *ds, const char *prefix, const Suffix *sfx,
                                   int32_t n_sfx)
{
    int64_t n = ds->n_rows * n_sfx;
    const Column *first = NULL;
    char name[256];
    for (int32_t t = 0; t < n_sfx && !first; t++) {
        snprintf(name, sizeof name, "%s%s", prefix, sfx[t].text);
        first = dataset_column(ds, name);
    }
    Column *out = first->type == COLUMN_NUMBER ? column_new_number(prefix, n)
                                               : column_new_string(prefix, n);
    if (!out || column_copy_attributes(out, first) != MD_OK) {
        column_free(out);
        return NULL;
    }
    for (int32_t t = 0; t < n_sfx; t++) { /* read at several dates: no single code list date */
        snprintf(name, sizeof name, "%s%s", prefix, sfx[t].text);
        const Column *src = dataset_column(ds, name);
        if (src && src->source_date != first->source_date)
            out->source_date = DATE_NONE;
    }
    for (int32_t t = 0; t < n_sfx; t++) {
        snprintf(name, sizeof name, "%s%s", prefix, sfx[t].text);
        const Column *src = dataset_column(ds, name);
        for (int64_t u = 0; src && u < ds->n_rows; u++) {
            int64_t r = u * n_sfx + t;
            if (out->type == COLUMN_NUMBER) {
                out->numbers[r] = src->numbers[u];
            } else if (src->codes[u] != COLUMN_STRING_MISSING) {
                const char *s = src->pool->strings[src->codes[u]];
                if ((out->codes[r] = string_pool_intern(out->pool, s, strlen(s))) ==
                    COLUMN_STRING_MISSING) {
                    column_free(out);
                    return NULL;
                }
            }
        }
    }
    return out;
}

static MdStatus reshape_check_types(CommandContext *ctx, const Dataset *ds, const int32_t *owner)
{
    for (int32_t k = 0; k < ds->n_columns; k++) {
        for (int32_t m = 0; m < k; m++) {
            if (owner[k] >= 0 && owner[k] == owner[m] &&
                ds->columns[k]->type != ds->columns[m]->type)
                return cmd_fail(ctx, MD_ERR_TYPE, "%s and %s mix text and numbers",
                                ds->columns[m]->name, ds->columns[k]->name);
        }
        if (owner[k] >= 0 && ds->columns[k]->pointer_to)
            return cmd_refuse_pointer(ctx, ds->columns[k]);
    }
    return MD_OK;
}

static Dataset *reshape_to_build(CommandContext *ctx, const Dataset *ds, const int32_t *owner,
                                 const Suffix *sfx, int32_t n_sfx)
{
    int64_t n = ds->n_rows * n_sfx;
    int64_t *rows = md_malloc((size_t)(n > 0 ? n : 1) * sizeof *rows);
    Dataset view = *ds;
    view.n_columns = 0;
    Dataset *next = NULL;
    for (int64_t i = 0; rows && i < n; i++)
        rows[i] = i / n_sfx;
    if (rows)
        next = dataset_subset_rows(&view, rows, n, NULL, ctx->err);
    Column *dates = column_new_number("date@panel", n);
    bool ok = next && dates && dataset_reserve_columns(next, ds->n_columns + 1) == MD_OK;
    for (int32_t k = 0; ok && k < ds->n_columns; k++) {
        if (owner[k] >= 0)
            continue;
        Column *c = column_subset(ds->columns[k], rows, n, NULL);
        ok = c != NULL;
        if (ok)
            next->columns[next->n_columns++] = c;
    }
    if (ok) {
        for (int64_t i = 0; i < n; i++)
            dates->numbers[i] = sfx[i % n_sfx].number;
        next->columns[next->n_columns++] = dates;
        dates = NULL;
    }
    for (int32_t p = 0; ok && p < ctx->command->n_args; p++) {
        Column *c = reshape_long_column(ds, ctx->command->args[p].text, sfx, n_sfx);
        ok = c && dataset_add_column(next, c, ctx->err) == MD_OK;
        if (!ok)
            column_free(c);
    }
    md_free(rows);
    column_free(dates);
    if (!ok) {
        dataset_free(next);
        if (ctx->err->status == MD_OK)
            cmd_fail(ctx, MD_ERR_MEMORY, "out of memory reshaping");
        return NULL;
    }
    next->shape = SHAPE_PANEL;
    return next;
}

MdStatus handle_reshape_to_panel(CommandContext *ctx)
{
    Dataset *ds = cmd_active(ctx);
    if (!ds)
        return ctx->err->status;
    if (ds->shape != SHAPE_CROSS)
        return cmd_fail(ctx, MD_ERR_VALUE, "reshape-to-panel needs a cross-section dataset "
                        "(one row per unit); %s is not one", ds->name);
    if (ctx->command->n_args == 0)
        return cmd_fail_usage(ctx, "name at least one variable prefix");
    for (int32_t p = 0; p < ctx->command->n_args; p++) {
        if (ctx->command->args[p].kind != TOKEN_NAME)
            return cmd_fail_usage(ctx, "prefixes are names");
    }
    int32_t *owner = md_calloc((size_t)ds->n_columns + 1, sizeof *owner);
    Suffix *sfx = md_malloc(RESHAPE_MAX_SUFFIXES * sizeof *sfx);
    int32_t n_sfx = 0;
    MdStatus status = owner && sfx ? MD_OK : cmd_fail(ctx, MD_ERR_MEMORY, "out of memory");
    if (status == MD_OK)
        status = reshape_classify(ctx, ds, owner, sfx, &n_sfx);
    if (status == MD_OK)
        status = reshape_check_types(ctx, ds, owner);
    Dataset *next = NULL;
    if (status == MD_OK && !(next = reshape_to_build(ctx, ds, owner, sfx, n_sfx)))
        status = ctx->err->status;
    md_free(owner);
    md_free(sfx);
    if (status != MD_OK)
        return status;
    dataset_swap(ds, next);
    dataset_free(next);
    return cmd_done(ctx, "reshaped to a panel with %d time point%s in date@panel", n_sfx,
                   n_sfx == 1 ? "" : "s");
}

/* ==== reshape-from-panel =============================================================== */

typedef struct PanelLayout {
    double *dates;       /* distinct date@panel values, ascending */
    int32_t n_dates;
    int64_t n_units;
    int64_t *first_row;  /* n_units: a row of each unit (for ids and keys) */
    int64_t *slot;       /* n_dates * n_units: source row of (date t, unit u), or -1 */
} PanelLayout;

static void reshape_layout_free(PanelLayout *l)
{
    md_free(l->dates);
    md_free(l->first_row);
    md_free(l->slot);
}

/* The index of value in the sorted dates. */
static int32_t reshape_date_index(const PanelLayout *l, double value)
{
    int32_t lo = 0, hi = l->n_dates - 1;
    while (lo < hi) {
        int32_t mid = (lo + hi) / 2;
        if (l->dates[mid] < value)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static MdStatus reshape_layout(CommandContext *ctx, const Dataset *ds, const Column *date,
                               PanelLayout *l)
{
    size_t cap = (size_t)(ds->n_rows > 0 ? ds->n_rows : 1);
    SortPair *pairs = md_malloc(cap * sizeof *pairs);
    l->dates = md_malloc(cap * sizeof *l->dates);
    l->first_row = md_malloc(cap * sizeof *l->first_row);
    if (!pairs || !l->dates || !l->first_row) {
        md_free(pairs);
        return cmd_fail(ctx, MD_ERR_MEMORY, "out of memory reshaping");
    }
    int64_t n = 0;
    for (int64_t i = 0; i < ds->n_rows; i++) {
        if (column_is_missing(date, i)) {
            md_free(pairs);
            return cmd_fail(ctx, MD_ERR_VALUE, "date@panel is missing on some rows");
        }
        pairs[n++] = (SortPair){cmd_double_key(date->numbers[i]), i};
    }
    cmd_sort_pairs(pairs, n);
    l->n_dates = 0;
    for (int64_t i = 0; i < n; i++) {
        double v = date->numbers[pairs[i].row];
        if (l->n_dates == 0 || l->dates[l->n_dates - 1] != v) {
            if (l->n_dates == RESHAPE_MAX_SUFFIXES) {
                md_free(pairs);
                return cmd_fail(ctx, MD_ERR_LIMIT, "the panel has more than %d time points",
                                RESHAPE_MAX_SUFFIXES);
            }
            l->dates[l->n_dates++] = v;
        }
    }
    md_free(pairs);
    l->n_units = 0;
    for (int64_t i = 0; i < ds->n_rows; i++) {
        if (i == 0 || ds->unit_ids[i] != ds->unit_ids[i - 1])
            l->first_row[l->n_units++] = i;
    }
    size_t slots;
    if (!md_size_mul((size_t)l->n_dates, (size_t)(l->n_units > 0 ? l->n_units : 1), &slots) ||
        !(l->slot = md_malloc(slots * sizeof *l->slot)))
        return cmd_fail(ctx, MD_ERR_MEMORY, "out of memory reshaping");
    for (size_t i = 0; i < slots; i++)
        l->slot[i] = -1;
    int64_t u = -1;
    for (int64_t i = 0; i < ds->n_rows; i++) {
        if (i == 0 || ds->unit_ids[i] != ds->unit_ids[i - 1])
            u++;
        int64_t *cell = &l->slot[(int64_t)reshape_date_index(l, date->numbers[i]) * l->n_units + u];
        if (*cell >= 0)
            return cmd_fail(ctx, MD_ERR_VALUE, "a unit has two rows at one date@panel");
        *cell = i;
    }
    return MD_OK;
}

/* Disclosure: date@panel values become variable names. Unless trusted, every value must
 * be shared by at least min_units_statistic units, so a value copied from unit data (say
 * replace date@panel = income) cannot be read back from the names. */
static MdStatus reshape_check_dates(CommandContext *ctx, const PanelLayout *l)
{
    if (ctx->ws->options.trusted || !ctx->ws->sdc)
        return MD_OK;
    int64_t need = sdc_config(ctx->ws->sdc)->min_units_statistic;
    for (int32_t t = 0; t < l->n_dates; t++) {
        int64_t units = 0;
        for (int64_t u = 0; u < l->n_units && units < need; u++)
            units += l->slot[(int64_t)t * l->n_units + u] >= 0;
        if (units < need) {
            md_error_set(ctx->err, MD_ERR_DISCLOSURE, "a date@panel value is held by too few "
                         "units to become part of a variable name (rule R3)");
            md_error_hint(ctx->err, "date@panel should hold the panel's dates; keep whole "
                                    "time points, not single rows");
            return MD_ERR_DISCLOSURE;
        }
    }
    return MD_OK;
}

static Dataset *reshape_from_build(CommandContext *ctx, const Dataset *ds, const PanelLayout *l)
{
    Dataset view = *ds;
    view.n_columns = 0;
    Dataset *next = dataset_subset_rows(&view, l->first_row, l->n_units, NULL, ctx->err);
    if (!next)
        return NULL;
    next->shape = SHAPE_CROSS;
    if (dataset_reserve_columns(next, (ds->n_columns - 1) * l->n_dates) != MD_OK) {
        dataset_free(next);
        cmd_fail(ctx, MD_ERR_MEMORY, "out of memory reshaping");
        return NULL;
    }
    for (int32_t k = 0; k < ds->n_columns; k++) {
        const Column *src = ds->columns[k];
        if (strcmp(src->name, "date@panel") == 0)
            continue;
        for (int32_t t = 0; t < l->n_dates; t++) {
            char name[256];
            snprintf(name, sizeof name, "%s%.15g", src->name, l->dates[t]);
            Column *c = column_subset(src, &l->slot[(int64_t)t * l->n_units], l->n_units, name);
            /* after import-panel, date@panel holds the dates the register was read at */
            if (c && src->source && src->source_date == (double)l->dates[0] &&
                l->dates[t] == (double)(int32_t)l->dates[t])
                c->source_date = (int32_t)l->dates[t];
            if (!c || dataset_add_column(next, c, ctx->err) != MD_OK) {
                column_free(c);
                dataset_free(next);
                if (ctx->err->status == MD_OK)
                    cmd_fail(ctx, MD_ERR_MEMORY, "out of memory reshaping");
                return NULL;
            }
        }
    }
    return next;
}

MdStatus handle_reshape_from_panel(CommandContext *ctx)
{
    Dataset *ds = cmd_active(ctx);
    if (!ds)
        return ctx->err->status;
    const Column *date = dataset_column(ds, "date@panel");
    if (ds->shape != SHAPE_PANEL || !date || date->type != COLUMN_NUMBER)
        return cmd_fail(ctx, MD_ERR_VALUE, "reshape-from-panel needs a panel dataset with "
                        "date@panel; %s is not one", ds->name);
    if (ctx->command->n_args > 0)
        return cmd_fail_usage(ctx, "reshape-from-panel takes no arguments");
    PanelLayout l = {0};
    Dataset *next = NULL;
    MdStatus status = reshape_layout(ctx, ds, date, &l);
    if (status == MD_OK)
        status = reshape_check_dates(ctx, &l);
    if (status == MD_OK && !(next = reshape_from_build(ctx, ds, &l)))
        status = ctx->err->status;
    int32_t n_dates = l.n_dates;
    reshape_layout_free(&l);
    if (status != MD_OK)
        return status;
    dataset_swap(ds, next);
    dataset_free(next);
    return cmd_done(ctx, "reshaped to one row per unit; each variable now has %d suffixed "
                   "copies", n_dates);
}
