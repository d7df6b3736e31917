/*
 * cmd_merge.c - `merge VARLIST into TARGET [on KEY]`: copies variables from the active
 * dataset (the source, one row per unit) into another dataset, many-to-one, without adding
 * or removing target rows (language.md 4.2).
 *
 * Source key: the source's unit id, or for a dataset collapsed by a plain variable that
 * variable's values. Target key: the target's unit id, or KEY (a pointer variable whose
 * unit type must be the source's, or a plain variable matching a collapsed source's key).
 * Keys are matched by a linear merge of two index-sorted key lists (strings through a hash
 * of the source's keys). Unmatched target rows get missing; a name clash is an error.
 */
#include "engine/commands.h"

#include <stdio.h>
#include <string.h>

typedef struct MergeArgs {
    int32_t n_vars;          /* the first n_vars arguments */
    Dataset *target;
    const char *key;         /* on KEY, or NULL */
} MergeArgs;

static MdStatus merge_parse(CommandContext *ctx, const Dataset *src, MergeArgs *a)
{
    const Command *c = ctx->command;
    int32_t into = -1;
    for (int32_t i = 0; i < c->n_args; i++) {
        if (strcmp(c->args[i].text, "into") == 0 && c->args[i].kind == TOKEN_NAME) {
            into = i;
            break;
        }
    }
    bool ok = into > 0 && (c->n_args == into + 2 ||
                           (c->n_args == into + 4 && strcmp(c->args[into + 2].text, "on") == 0));
    if (!ok)
        return cmd_fail_usage(ctx, "write VARIABLES into DATASET [on KEY]");
    a->n_vars = into;
    a->key = c->n_args == into + 4 ? c->args[into + 3].text : NULL;
    const char *target = c->args[into + 1].text;
    a->target = workspace_dataset(ctx->ws, target);
    if (!a->target) {
        md_error_set(ctx->err, MD_ERR_NAME, "there is no dataset named '%s'", target);
        md_error_hint(ctx->err, "merge copies into an existing dataset; create it first");
        return MD_ERR_NAME;
    }
    if (a->target == src)
        return cmd_fail(ctx, MD_ERR_VALUE, "merge copies from the active dataset into another "
                        "one; %s is the active dataset", target);
    for (int32_t i = 0; i < into; i++) {
        const char *name = c->args[i].text;
        if (c->args[i].kind != TOKEN_NAME || !cmd_column(ctx, src, name) ||
            cmd_check_new_variable(ctx, a->target, name) != MD_OK) {
            if (ctx->err->status == MD_OK)
                return cmd_fail_usage(ctx, "list the variables to merge before 'into'");
            return ctx->err->status;
        }
        for (int32_t k = 0; k < i; k++) {
            if (strcmp(c->args[k].text, name) == 0)
                return cmd_fail(ctx, MD_ERR_NAME, "%s is listed twice", name);
        }
    }
    return MD_OK;
}

/* ==== Keys ============================================================================= */

typedef struct MergeSide {
    const Column *column;  /* key column, or NULL for the unit ids */
    bool as_ids;           /* compare number keys as unit ids */
} MergeSide;

static bool merge_key(const Dataset *ds, const MergeSide *side, int64_t row, uint64_t *key)
{
    if (!side->column) {
        *key = ds->unit_ids[row];
        return true;
    }
    if (column_is_missing(side->column, row))
        return false;
    if (side->as_ids)
        return cmd_double_to_id(side->column->numbers[row], key);
    *key = cmd_double_key(side->column->numbers[row]);
    return true;
}

/* Sorted (key, row) pairs of every row of ds with a key; returns owned pairs. */
static SortPair *merge_pairs(const Dataset *ds, const MergeSide *side, int64_t *n_out)
{
    SortPair *pairs = md_malloc((size_t)(ds->n_rows > 0 ? ds->n_rows : 1) * sizeof *pairs);
    if (!pairs)
        return NULL;
    int64_t n = 0;
    for (int64_t i = 0; i < ds->n_rows; i++) {
        uint64_t key;
        if (merge_key(ds, side, i, &key))
            pairs[n++] = (SortPair){key, i};
    }
    if (side->column)
        cmd_sort_pairs(pairs, n);
    *n_out = n;
    return pairs;
}

/* Decides how the two sides are keyed; errors for combinations that cannot match. */
static MdStatus merge_sides(CommandContext *ctx, const Dataset *src, const MergeArgs *a,
                            MergeSide *s, MergeSide *t)
{
    const Dataset *dst = a->target;
    *s = (MergeSide){NULL, false};
    *t = (MergeSide){NULL, false};
    if (src->shape == SHAPE_COLLAPSED && src->id_name)
        s->column = dataset_column(src, src->id_name);
    if (a->key && !(dst->id_name && strcmp(a->key, dst->id_name) == 0 &&
                    !dataset_column(dst, a->key))) {
        if (!(t->column = cmd_column(ctx, dst, a->key)))
            return ctx->err->status;
    }
    if (!s->column) {
        const char *src_type = src->unit_type ? src->unit_type : "(none)";
        if (!t->column) {
            if (dst->unit_type && src->unit_type && strcmp(dst->unit_type, src->unit_type) == 0)
                return MD_OK;
            md_error_set(ctx->err, MD_ERR_TYPE, "%s holds %s units and %s holds %s units",
                         src->name, src_type, dst->name, dst->unit_type ? dst->unit_type : "no");
            md_error_hint(ctx->err, "name the target variable that points to %s units: "
                          "merge ... into %s on VARIABLE", src_type, dst->name);
            return MD_ERR_TYPE;
        }
        if (t->column->type != COLUMN_NUMBER || !t->column->pointer_to || !src->unit_type ||
            strcmp(t->column->pointer_to, src->unit_type) != 0) {
            md_error_set(ctx->err, MD_ERR_TYPE, "%s does not identify %s units", a->key,
                         src_type);
            md_error_hint(ctx->err, "use a pointer variable of %s whose values are %s "
                          "identifiers", dst->name, src_type);
            return MD_ERR_TYPE;
        }
        t->as_ids = true;
        return MD_OK;
    }
    if (!t->column) {
        md_error_set(ctx->err, MD_ERR_VALUE, "%s is keyed by the values of %s", src->name,
                     s->column->name);
        md_error_hint(ctx->err, "name the matching variable: merge ... into %s on VARIABLE",
                      dst->name);
        return MD_ERR_VALUE;
    }
    if (s->column->type != t->column->type)
        return cmd_fail(ctx, MD_ERR_TYPE, "the keys %s and %s are not of one type (text and "
                        "number)", s->column->name, t->column->name);
    return MD_OK;
}

/* map[target row] = source row, for number or id keys. */
static MdStatus merge_map_sorted(CommandContext *ctx, const Dataset *src, const Dataset *dst,
                                 const MergeSide *s, const MergeSide *t, int64_t *map)
{
    int64_t ns = 0, nt = 0;
    SortPair *sp = merge_pairs(src, s, &ns);
    SortPair *tp = merge_pairs(dst, t, &nt);
    MdStatus status = MD_OK;
    if (!sp || !tp)
        status = cmd_fail(ctx, MD_ERR_MEMORY, "out of memory merging");
    for (int64_t i = 1; status == MD_OK && i < ns; i++) {
        if (sp[i].key == sp[i - 1].key) {
            status = cmd_fail(ctx, MD_ERR_VALUE, "%s has several rows per unit; merge needs "
                              "one", src->name);
            md_error_hint(ctx->err, "collapse %s by its unit id first", src->name);
        }
    }
    int64_t j = 0;
    for (int64_t i = 0; status == MD_OK && i < nt; i++) {
        while (j < ns && sp[j].key < tp[i].key)
            j++;
        if (j < ns && sp[j].key == tp[i].key)
            map[tp[i].row] = sp[j].row;
    }
    md_free(sp);
    md_free(tp);
    return status;
}

/* map[target row] = source row, for text keys. */
static MdStatus merge_map_strings(CommandContext *ctx, const Dataset *src, const Dataset *dst,
                                  const MergeSide *s, const MergeSide *t, int64_t *map)
{
    StrMap *index = strmap_new();
    if (!index)
        return cmd_fail(ctx, MD_ERR_MEMORY, "out of memory merging");
    MdStatus status = MD_OK;
    for (int64_t i = 0; status == MD_OK && i < src->n_rows; i++) {
        const char *k = column_string_at(s->column, i);
        int64_t seen;
        if (!k)
            continue;
        if (strmap_get(index, k, &seen))
            status = cmd_fail(ctx, MD_ERR_VALUE, "%s has several rows per key", src->name);
        else if (strmap_put(index, k, i) != MD_OK)
            status = cmd_fail(ctx, MD_ERR_MEMORY, "out of memory merging");
    }
    for (int64_t i = 0; status == MD_OK && i < dst->n_rows; i++) {
        const char *k = column_string_at(t->column, i);
        int64_t row;
        if (k && strmap_get(index, k, &row))
            map[i] = row;
    }
    strmap_free(index);
    return status;
}

MdStatus handle_merge(CommandContext *ctx)
{
    Dataset *src = cmd_active(ctx);
    MergeArgs a = {0};
    MergeSide s, t;
    if (!src || merge_parse(ctx, src, &a) != MD_OK || merge_sides(ctx, src, &a, &s, &t))
        return ctx->err->status;
    Dataset *dst = a.target;
    int64_t *map = md_malloc((size_t)(dst->n_rows > 0 ? dst->n_rows : 1) * sizeof *map);
    Column **made = md_calloc((size_t)a.n_vars, sizeof *made);
    MdStatus status = MD_OK;
    if (!map || !made || dataset_reserve_columns(dst, a.n_vars) != MD_OK)
        status = cmd_fail(ctx, MD_ERR_MEMORY, "out of memory merging");
    for (int64_t i = 0; map && i < dst->n_rows; i++)
        map[i] = -1;
    if (status == MD_OK)
        status = s.column && s.column->type == COLUMN_STRING
                     ? merge_map_strings(ctx, src, dst, &s, &t, map)
                     : merge_map_sorted(ctx, src, dst, &s, &t, map);
    for (int32_t i = 0; status == MD_OK && i < a.n_vars; i++) {
        const Column *from = dataset_column(src, ctx->command->args[i].text);
        if (!(made[i] = column_subset(from, map, dst->n_rows, NULL)))
            status = cmd_fail(ctx, MD_ERR_MEMORY, "out of memory merging");
    }
    for (int32_t i = 0; made && i < a.n_vars; i++) {
        if (status == MD_OK)
            dst->columns[dst->n_columns++] = made[i];
        else
            column_free(made[i]);
    }
    md_free(made);
    md_free(map);
    if (status != MD_OK)
        return status;
    return cmd_done(ctx, "merged %d variable%s into %s", a.n_vars, a.n_vars == 1 ? "" : "s",
                   dst->name);
}
