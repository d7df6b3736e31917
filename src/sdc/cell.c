/*
 * cell.c - contributor sets: the distinct units behind one released number, kept as an
 * order-independent key sum (for the cell key, spec 4.1), a set hash (for the audit
 * fingerprint) and counts of units and rows. O(1) per row, no allocation.
 */
#include "sdc/sdc_int.h"

#include <string.h>

/* The murmur3 64-bit finaliser (a bijection with full avalanche), inlined here because it
 * runs once per row of every table. */
static inline uint64_t set_mix(uint64_t x)
{
    x ^= 0x6d64617461736574ull; /* "mdataset" */
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    return x ^ (x >> 33);
}

uint64_t sdc_set_hash_of(uint64_t unit_id)
{
    return set_mix(unit_id);
}

void sdc_cell_init(SdcCell *cell)
{
    memset(cell, 0, sizeof *cell);
}

void sdc_cell_add(SdcCell *cell, uint64_t unit_id, uint64_t unit_key)
{
    cell->n_rows++;
    if (cell->has_last && cell->last_unit == unit_id)
        return;
    cell->key_sum += unit_key;
    cell->set_hash += set_mix(unit_id);
    cell->n_units++;
    cell->last_unit = unit_id;
    cell->has_last = true;
}

void sdc_cells_add_rows(SdcCell *cells, const int32_t *cell_of_row, const uint64_t *unit_ids,
                        const uint64_t *unit_keys, int64_t n)
{
    for (int64_t i = 0; i < n; i++) {
        int32_t c = cell_of_row[i];
        if (c < 0)
            continue;
        SdcCell *cell = &cells[c];
        uint64_t u = unit_ids[i];
        cell->n_rows++;
        if (cell->has_last && cell->last_unit == u)
            continue;
        cell->key_sum += unit_keys[i];
        cell->set_hash += set_mix(u);
        cell->n_units++;
        cell->last_unit = u;
        cell->has_last = true;
    }
}

void sdc_cell_merge(SdcCell *a, const SdcCell *b)
{
    a->key_sum += b->key_sum;
    a->set_hash += b->set_hash;
    a->n_units += b->n_units;
    a->n_rows += b->n_rows;
    if (b->has_last) {
        a->last_unit = b->last_unit;
        a->has_last = true;
    }
}

int32_t sdc_count_noise(const Sdc *sdc, const SdcCell *cell)
{
    if (cell->n_units <= 0)
        return 0;
    uint64_t ck = sdc_cell_key(sdc, cell->key_sum, SDC_KEY_COUNT, NULL);
    return sdc_ptable_noise(&sdc->ptable, cell->n_units, (uint32_t)(ck & 0xFFFFu));
}
