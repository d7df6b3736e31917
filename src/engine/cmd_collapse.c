/*
 * cmd_collapse.c - collapse and aggregate: group statistics by exactly one variable
 * (language.md 4.2). Statistics: mean min max median count sum semean sebinomial sd
 * percent iqr gini.
 *
 * Rows are grouped by an index sort of (key, row) pairs, so no per-row allocation. Rows
 * with a missing key are dropped (collapse) or get missing (aggregate). collapse re-keys
 * the dataset: by the unit id it stays at that unit type; by a pointer it takes the
 * pointer's unit type (unit ids = the pointer's values); by any other variable the unit
 * type becomes "collapsed by X" with unit ids 1..k in key order and X kept as a column.
 * Values are exact in the workspace; disclosure control applies where results are
 * released (docs/commands.md, disclosure.md R7).
 */
#include "engine/commands.h"
#include "stats/stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum CollapseStat {
    STAT_MEAN, STAT_MIN, STAT_MAX, STAT_MEDIAN, STAT_COUNT, STAT_SUM, STAT_SEMEAN,
    STAT_SEBINOMIAL, STAT_SD, STAT_PERCENT, STAT_IQR, STAT_GINI
} CollapseStat;

/* ORDER CollapseStat */
static const char *const stat_names[] = {
    "mean", "min", "max", "median", "count", "sum", "semean", "sebinomial", "sd", "percent",
    "iqr", "gini",
};

typedef struct CollapseItem {
    CollapseStat stat;
    const Column *source;
    const char *target;
} CollapseItem;

/* The grouping: pairs sorted by key; groups are runs of equal keys. */
typedef struct Grouping {
    const Column *key_column; /* NULL when grouping by the unit id */
    bool by_pointer;
    SortPair *pairs;          /* rows with a non-missing key, sorted by key */
    int64_t n_pairs;
    int64_t *group_start;     /* n_groups + 1 offsets into pairs */
    int64_t n_groups;
} Grouping;

static void grouping_free(Grouping *g)
{
    md_free(g->pairs);
    md_free(g->group_start);
}

static bool collapse_find_stat(const char *name, CollapseStat *out)
{
    for (size_t i = 0; i < MD_ARRAY_LEN(stat_names); i++) {
        if (strcmp(stat_names[i], name) == 0) {
            *out = (CollapseStat)i;
            return true;
        }
    }
    return false;
}

/* ==== Keys ============================================================================= */

typedef struct RankedString {
    const char *text;
    uint32_t code;
} RankedString;

static int collapse_compare_strings(const void *a, const void *b)
{
    const RankedString *x = a, *y = b;
    return strcmp(x->text, y->text);
}

/* Ranks of the strings of a pool in byte order: rank[code]. */
static uint64_t *collapse_string_ranks(const StringPool *pool)
{
    size_t n = pool->n > 0 ? pool->n : 1;
    RankedString *sorted = md_malloc(n * sizeof *sorted);
    uint64_t *rank = md_malloc(n * sizeof *rank);
    if (!sorted || !rank) {
        md_free(sorted);
        md_free(rank);
        return NULL;
    }
    for (uint32_t i = 0; i < pool->n; i++)
        sorted[i] = (RankedString){pool->strings[i], i};
    qsort(sorted, pool->n, sizeof *sorted, collapse_compare_strings);
    for (uint32_t i = 0; i < pool->n; i++)
        rank[sorted[i].code] = i;
    md_free(sorted);
    return rank;
}

/* The key of row i, false when missing. */
static bool collapse_row_key(const Dataset *ds, const Grouping *g, const uint64_t *ranks,
                             int64_t i, uint64_t *key)
{
    const Column *c = g->key_column;
    if (!c) {
        *key = ds->unit_ids[i];
        return true;
    }
    if (column_is_missing(c, i))
        return false;
    if (c->type == COLUMN_STRING) {
        *key = ranks[c->codes[i]];
        return true;
    }
    if (g->by_pointer)
        return cmd_double_to_id(c->numbers[i], key);
    *key = cmd_double_key(c->numbers[i]);
    return true;
}

static MdStatus collapse_group(CommandContext *ctx, const Dataset *ds, Grouping *g)
{
    uint64_t *ranks = NULL;
    const Column *c = g->key_column;
    if (c && c->type == COLUMN_STRING && !(ranks = collapse_string_ranks(c->pool)))
        return cmd_fail(ctx, MD_ERR_MEMORY, "out of memory grouping");
    size_t n = (size_t)(ds->n_rows > 0 ? ds->n_rows : 1);
    g->pairs = md_malloc(n * sizeof *g->pairs);
    g->group_start = md_malloc((n + 1) * sizeof *g->group_start);
    if (!g->pairs || !g->group_start) {
        md_free(ranks);
        return cmd_fail(ctx, MD_ERR_MEMORY, "out of memory grouping");
    }
    g->n_pairs = 0;
    for (int64_t i = 0; i < ds->n_rows; i++) {
        uint64_t key;
        if (collapse_row_key(ds, g, ranks, i, &key))
            g->pairs[g->n_pairs++] = (SortPair){key, i};
    }
    md_free(ranks);
    if (c) /* by the unit id the rows are sorted already */
        cmd_sort_pairs(g->pairs, g->n_pairs);
    g->n_groups = 0;
    for (int64_t i = 0; i < g->n_pairs; i++) {
        if (i == 0 || g->pairs[i].key != g->pairs[i - 1].key)
            g->group_start[g->n_groups++] = i;
    }
    g->group_start[g->n_groups] = g->n_pairs;
    return MD_OK;
}

/* ==== Statistics ======================================================================= */

/* The statistic of the valid values of source over pairs[from, to); scratch holds n. */
static double collapse_value(const CollapseItem *item, const SortPair *pairs, int64_t from,
                             int64_t to, double *scratch, int64_t total_valid)
{
    const Column *src = item->source;
    int64_t n = 0;
    for (int64_t i = from; i < to; i++) {
        int64_t r = pairs[i].row;
        if (column_is_missing(src, r))
            continue;
        scratch[n++] = src->type == COLUMN_NUMBER ? src->numbers[r] : 0;
    }
    if (item->stat == STAT_COUNT)
        return (double)n;
    if (item->stat == STAT_PERCENT)
        return total_valid > 0 ? 100.0 * (double)n / (double)total_valid : NAN;
    if (item->stat == STAT_SUM)
        return stats_sum(scratch, n);
    if (n == 0)
        return NAN;
    StatsMoments m;
    switch (item->stat) {
    case STAT_MEAN:
        return stats_mean(scratch, n);
    case STAT_MIN:
    case STAT_MAX: {
        double best = scratch[0];
        for (int64_t i = 1; i < n; i++)
            best = item->stat == STAT_MIN ? fmin(best, scratch[i]) : fmax(best, scratch[i]);
        return best;
    }
    case STAT_SD:
    case STAT_SEMEAN:
        stats_moments(scratch, n, &m);
        return item->stat == STAT_SD ? m.sd : m.sd / sqrt((double)n);
    case STAT_SEBINOMIAL: {
        for (int64_t i = 0; i < n; i++)
            if (scratch[i] != 0 && scratch[i] != 1)
                return NAN;
        double p = stats_mean(scratch, n);
        return sqrt(p * (1 - p) / (double)n);
    }
    case STAT_MEDIAN:
    case STAT_IQR:
    case STAT_GINI:
        stats_sort(scratch, n);
        if (item->stat == STAT_MEDIAN)
            return stats_quantile_sorted(scratch, n, 0.5);
        return item->stat == STAT_IQR ? stats_iqr_sorted(scratch, n)
                                      : stats_gini_sorted(scratch, n);
    default:
        return NAN;
    }
}

static int64_t collapse_total_valid(const CollapseItem *item, const Grouping *g)
{
    int64_t n = 0;
    for (int64_t i = 0; i < g->n_pairs; i++)
        n += !column_is_missing(item->source, g->pairs[i].row);
    return n;
}

/* Fills out (numbers) with one value per group (collapse) or per row (aggregate). */
static void collapse_fill(const CollapseItem *item, const Grouping *g, double *scratch,
                          Column *out, bool per_row)
{
    int64_t total = item->stat == STAT_PERCENT ? collapse_total_valid(item, g) : 0;
    for (int64_t k = 0; k < g->n_groups; k++) {
        int64_t from = g->group_start[k], to = g->group_start[k + 1];
        double v = collapse_value(item, g->pairs, from, to, scratch, total);
        if (!isfinite(v))
            v = column_missing_number();
        if (!per_row) {
            out->numbers[k] = v;
            continue;
        }
        for (int64_t i = from; i < to; i++)
            out->numbers[g->pairs[i].row] = v;
    }
}

/* ==== Parsing ========================================================================== */

/* Reads the (stat) items and by(); checks every name. items has room for n_args. */
static MdStatus collapse_parse(CommandContext *ctx, const Dataset *ds, Arena *arena,
                               CollapseItem *items, int32_t *n_items, Grouping *g)
{
    const Command *c = ctx->command;
    const Option *by = command_option(c, "by");
    if (!by || by->n_tokens != 1 || by->tokens[0].kind != TOKEN_NAME)
        return cmd_fail_usage(ctx, "group by exactly one variable: by(VARIABLE)");
    const char *key = by->tokens[0].text;
    memset(g, 0, sizeof *g);
    if (!(ds->id_name && strcmp(key, ds->id_name) == 0 && !dataset_column(ds, key))) {
        if (!(g->key_column = cmd_column(ctx, ds, key)))
            return ctx->err->status;
        g->by_pointer = g->key_column->pointer_to != NULL;
    }
    int32_t n = 0;
    StatItem *parsed = lang_parse_stat_items(arena, c->args, c->n_args, &n, ctx->err);
    if (!parsed)
        return ctx->err->status;
    for (int32_t i = 0; i < n; i++) {
        CollapseItem *it = &items[i];
        if (!collapse_find_stat(parsed[i].stat, &it->stat))
            return cmd_fail(ctx, MD_ERR_NAME, "'%s' is not a statistic of %s", parsed[i].stat,
                            c->spec->name);
        if (!(it->source = cmd_column(ctx, ds, parsed[i].source)))
            return ctx->err->status;
        if (it->stat != STAT_COUNT && it->stat != STAT_PERCENT &&
            it->source->type != COLUMN_NUMBER)
            return cmd_fail(ctx, MD_ERR_TYPE, "(%s) needs a numeric variable; %s holds text",
                            stat_names[it->stat], it->source->name);
        if (cmd_refuse_pointer(ctx, it->source) != MD_OK)
            return ctx->err->status;
        it->target = parsed[i].target ? parsed[i].target : parsed[i].source;
        for (int32_t k = 0; k < i; k++) {
            if (strcmp(items[k].target, it->target) == 0)
                return cmd_fail(ctx, MD_ERR_NAME, "%s would be made twice; rename one with ->",
                                it->target);
        }
        if (strcmp(it->target, key) == 0)
            return cmd_fail(ctx, MD_ERR_NAME, "%s is the grouping variable", key);
    }
    if (n == 0)
        return cmd_fail_usage(ctx, "name at least one (stat) variable");
    *n_items = n;
    return MD_OK;
}

/* ==== collapse ========================================================================= */

/* The identity of the collapsed dataset and its key column (or NULL). */
static MdStatus collapse_identity(CommandContext *ctx, const Dataset *ds, const Grouping *g,
                                  Dataset *next, Column **key_out)
{
    const Column *key = g->key_column;
    *key_out = NULL;
    char type[200];
    const char *unit_type = ds->unit_type, *id_name = ds->id_name;
    next->shape = SHAPE_CROSS;
    if (key && g->by_pointer) {
        unit_type = key->pointer_to;
        id_name = key->name;
    } else if (key) {
        snprintf(type, sizeof type, "collapsed by %s", key->name);
        unit_type = type;
        id_name = key->name;
        next->shape = SHAPE_COLLAPSED;
    }
    if (!(next->unit_type = md_strdup(unit_type ? unit_type : "")) ||
        !(next->id_name = md_strdup(id_name ? id_name : "")))
        return cmd_fail(ctx, MD_ERR_MEMORY, "out of memory collapsing");
    if (key) {
        int64_t *rows = md_malloc((size_t)(g->n_groups > 0 ? g->n_groups : 1) * sizeof *rows);
        if (!rows)
            return cmd_fail(ctx, MD_ERR_MEMORY, "out of memory collapsing");
        for (int64_t k = 0; k < g->n_groups; k++)
            rows[k] = g->pairs[g->group_start[k]].row;
        *key_out = column_subset(key, rows, g->n_groups, NULL);
        md_free(rows);
        if (!*key_out)
            return cmd_fail(ctx, MD_ERR_MEMORY, "out of memory collapsing");
    }
    return MD_OK;
}

/* The unit ids of the collapsed rows: the key's ids, or 1..k for value keys. */
static void collapse_unit_ids(const Dataset *ds, const Grouping *g, Dataset *next)
{
    for (int64_t k = 0; k < g->n_groups; k++) {
        int64_t row = g->pairs[g->group_start[k]].row;
        if (!g->key_column)
            next->unit_ids[k] = ds->unit_ids[row];
        else if (g->by_pointer)
            next->unit_ids[k] = g->pairs[g->group_start[k]].key;
        else
            next->unit_ids[k] = (uint64_t)k + 1;
    }
}

static Dataset *collapse_build(CommandContext *ctx, const Dataset *ds, const Grouping *g,
                               const CollapseItem *items, int32_t n_items, double *scratch)
{
    Dataset *next = dataset_new(ds->name);
    Column *key = NULL;
    int64_t n = g->n_groups;
    if (!next || dataset_reserve_columns(next, n_items + 1) != MD_OK ||
        !(next->unit_ids = md_malloc((size_t)(n > 0 ? n : 1) * sizeof(uint64_t))) ||
        !(next->unit_keys = md_malloc((size_t)(n > 0 ? n : 1) * sizeof(uint64_t))))
        goto oom;
    next->n_rows = n;
    if (collapse_identity(ctx, ds, g, next, &key) != MD_OK)
        goto fail;
    collapse_unit_ids(ds, g, next);
    cmd_unit_keys(ctx->ws, next->unit_ids, n, next->unit_keys);
    if (next->shape == SHAPE_COLLAPSED) {
        /* ranks 1..k are no register ids: key them apart from real units */
        uint64_t salt = md_hash_bytes(next->unit_type, strlen(next->unit_type), 0x636f6c6c);
        for (int64_t k = 0; k < n; k++)
            next->unit_keys[k] = md_hash_u64(next->unit_keys[k] ^ salt);
    }
    if (key)
        next->columns[next->n_columns++] = key;
    for (int32_t i = 0; i < n_items; i++) {
        Column *out = column_new_number(items[i].target, n);
        if (!out)
            goto oom;
        collapse_fill(&items[i], g, scratch, out, false);
        next->columns[next->n_columns++] = out;
    }
    return next;
oom:
    cmd_fail(ctx, MD_ERR_MEMORY, "out of memory collapsing");
fail:
    dataset_free(next);
    return NULL;
}

/* aggregate: one new column per item with the group's value on every row. */
static MdStatus collapse_aggregate(CommandContext *ctx, Dataset *ds, const Grouping *g,
                                   const CollapseItem *items, int32_t n_items, double *scratch)
{
    MdStatus status = MD_OK;
    Column **made = md_calloc((size_t)n_items, sizeof *made);
    if (!made || dataset_reserve_columns(ds, n_items) != MD_OK)
        status = cmd_fail(ctx, MD_ERR_MEMORY, "out of memory aggregating");
    for (int32_t i = 0; status == MD_OK && i < n_items; i++) {
        if (!(made[i] = column_new_number(items[i].target, ds->n_rows)))
            status = cmd_fail(ctx, MD_ERR_MEMORY, "out of memory aggregating");
        else
            collapse_fill(&items[i], g, scratch, made[i], true);
    }
    for (int32_t i = 0; made && i < n_items; i++) {
        if (status == MD_OK)
            ds->columns[ds->n_columns++] = made[i];
        else
            column_free(made[i]);
    }
    md_free(made);
    if (status != MD_OK)
        return status;
    return cmd_done(ctx, "added %d group statistic%s", n_items, n_items == 1 ? "" : "s");
}

/* Shared set-up of collapse and aggregate: parse, check, group, then build or add. */
static MdStatus collapse_run(CommandContext *ctx, bool aggregate)
{
    Dataset *ds = cmd_active(ctx);
    if (!ds)
        return ctx->err->status;
    Arena *arena = arena_new(4096);
    CollapseItem *items = md_calloc((size_t)ctx->command->n_args + 1, sizeof *items);
    double *scratch = md_malloc((size_t)(ds->n_rows > 0 ? ds->n_rows : 1) * sizeof *scratch);
    Grouping g = {0};
    int32_t n_items = 0;
    MdStatus status = MD_OK;
    if (!arena || !items || !scratch)
        status = cmd_fail(ctx, MD_ERR_MEMORY, "out of memory");
    if (status == MD_OK)
        status = collapse_parse(ctx, ds, arena, items, &n_items, &g);
    for (int32_t i = 0; aggregate && status == MD_OK && i < n_items; i++) {
        if (items[i].target == items[i].source->name ||
            strcmp(items[i].target, items[i].source->name) == 0) {
            status = cmd_fail(ctx, MD_ERR_SYNTAX, "aggregate adds new variables; give (%s) %s "
                              "a new name with ->", stat_names[items[i].stat],
                              items[i].source->name);
            md_error_hint(ctx->err, "write aggregate (%s) %s -> NEW, by(...)",
                          stat_names[items[i].stat], items[i].source->name);
            break;
        }
        status = cmd_check_new_variable(ctx, ds, items[i].target);
    }
    if (status == MD_OK)
        status = collapse_group(ctx, ds, &g);
    if (status == MD_OK && !aggregate) {
        Dataset *next = collapse_build(ctx, ds, &g, items, n_items, scratch);
        if (!next)
            status = ctx->err->status;
        else {
            dataset_swap(ds, next);
            dataset_free(next);
            status = cmd_done(ctx, "collapsed to one row per value of %s",
                             ds->id_name ? ds->id_name : "the key");
        }
    } else if (status == MD_OK) {
        status = collapse_aggregate(ctx, ds, &g, items, n_items, scratch);
    }
    grouping_free(&g);
    md_free(scratch);
    md_free(items);
    arena_free(arena);
    return status;
}

MdStatus handle_collapse(CommandContext *ctx) { return collapse_run(ctx, false); }

MdStatus handle_aggregate(CommandContext *ctx) { return collapse_run(ctx, true); }
