/*
 * cmd_sample.c - `sample N|FRACTION SEED`: keeps a random subset of the units of the
 * active dataset (language.md 4.2), with every row of each kept unit.
 *
 * Deterministic: units are ranked by md_hash_u64(seed ^ unit id) and the first N are kept
 * (a fraction f keeps round(f x units)). The same size and seed give the same sample on
 * every machine, independent of row order; a unit in two datasets is ranked the same in
 * both. The result passes R1 and R2 like keep if. A size above the number of units keeps
 * every unit without saying so (saying so would reveal a bound on the count).
 */
#include "engine/commands.h"

#include <math.h>

static MdStatus sample_parse(CommandContext *ctx, double *size, uint64_t *seed)
{
    const Command *c = ctx->command;
    if (c->n_args != 2 || c->args[0].kind != TOKEN_NUMBER || c->args[1].kind != TOKEN_NUMBER)
        return cmd_fail_usage(ctx, "give a count or a fraction, then a seed");
    *size = c->args[0].number;
    double s = c->args[1].number;
    bool fraction = *size > 0 && *size < 1;
    if (!fraction && !(*size >= 1 && *size == floor(*size) && *size < 9e15))
        return cmd_fail(ctx, MD_ERR_VALUE, "the sample size must be a whole number of units or "
                        "a fraction between 0 and 1");
    if (!(s >= 1 && s == floor(s) && s < 9e15))
        return cmd_fail(ctx, MD_ERR_VALUE, "the seed must be a positive whole number");
    *seed = (uint64_t)s;
    return MD_OK;
}

MdStatus handle_sample(CommandContext *ctx)
{
    Dataset *ds = cmd_active(ctx);
    double size = 0;
    uint64_t seed = 0;
    if (!ds || sample_parse(ctx, &size, &seed) != MD_OK)
        return ctx->err->status;
    size_t cap = (size_t)(ds->n_rows > 0 ? ds->n_rows : 1);
    SortPair *units = md_malloc(cap * sizeof *units);
    uint8_t *chosen = md_calloc(cap, 1);
    uint8_t *mask = md_malloc(cap);
    Dataset *next = NULL;
    MdStatus status = units && chosen && mask ? MD_OK : cmd_fail(ctx, MD_ERR_MEMORY,
                                                                  "out of memory sampling");
    int64_t n_units = 0;
    for (int64_t i = 0; status == MD_OK && i < ds->n_rows; i++) {
        if (i == 0 || ds->unit_ids[i] != ds->unit_ids[i - 1]) {
            units[n_units] = (SortPair){md_hash_u64(seed ^ ds->unit_ids[i]), n_units};
            n_units++;
        }
    }
    if (status == MD_OK) {
        int64_t want = size < 1 ? (int64_t)llround(size * (double)n_units) : (int64_t)size;
        cmd_sort_pairs(units, n_units);
        for (int64_t k = 0; k < n_units && k < want; k++)
            chosen[units[k].row] = 1;
        int64_t u = -1;
        for (int64_t i = 0; i < ds->n_rows; i++) {
            if (i == 0 || ds->unit_ids[i] != ds->unit_ids[i - 1])
                u++;
            mask[i] = chosen[u];
        }
        status = cmd_check_filter(ctx, ds, mask);
    }
    if (status == MD_OK && !(next = dataset_subset_mask(ds, mask, NULL, ctx->err)))
        status = ctx->err->status;
    md_free(units);
    md_free(chosen);
    md_free(mask);
    if (status != MD_OK)
        return status;
    dataset_swap(ds, next);
    dataset_free(next);
    return cmd_done(ctx, "kept a random sample of the units (seed %llu)",
                   (unsigned long long)seed);
}
