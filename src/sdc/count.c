/*
 * count.c - released counts (sdc rules R4 and R5), percentages of released counts, row
 * counts (transitions), other derived statistics (R3, R10), degrees of freedom from
 * released counts and the sparse-table check (R6).
 *
 * A released count is n + noise, where the noise comes from the p-table at the 16 low bits
 * of the cell key of (key sum, COUNT): the same contributor set gets the same noise
 * whichever command asks. True 1..low-1, or a noisy value below low_count, shows "<5";
 * true 0 shows "0" (or "<5" when zeros_are_disclosive).
 */
#include "sdc/sdc_int.h"

#include <math.h>
#include <stdio.h>

static Released low_marker(const Sdc *sdc)
{
    char marker[32];
    snprintf(marker, sizeof marker, "<%lld", (long long)sdc->config.low_count);
    return sdc_suppressed(marker);
}

/* The released number behind a count cell, or -1 when it is shown as low. */
static int64_t released_count_value(const Sdc *sdc, const SdcCell *cell)
{
    int64_t n = cell->n_units;
    if (n <= 0)
        return sdc->config.zeros_are_disclosive ? -1 : 0;
    if (n < sdc->config.low_count) /* sdc rule R5 */
        return -1;
    int64_t v = n + sdc_count_noise(sdc, cell); /* sdc rule R4 */
    return v < sdc->config.low_count ? -1 : v;
}

/* The released number behind a row count, or -1 when it is shown as low. */
static int64_t released_row_value(const Sdc *sdc, const SdcCell *cell)
{
    if (cell->n_units <= 0)
        return sdc->config.zeros_are_disclosive ? -1 : 0;
    if (cell->n_units < sdc->config.low_count) /* sdc rule R5, on distinct units */
        return -1;
    uint64_t ck = sdc_cell_key(sdc, cell->key_sum, SDC_KEY_ROWS, NULL);
    int64_t v = cell->n_rows + sdc_ptable_noise(&sdc->ptable, cell->n_rows,
                                                 (uint32_t)(ck & 0xFFFFu)); /* R4 */
    return v < sdc->config.low_count ? -1 : v;
}

/* What a count cell counts: its distinct units, or its rows (transitions). */
static int64_t counted(const SdcCell *cell, bool rows)
{
    return rows ? cell->n_rows : cell->n_units;
}

static int64_t released_value(const Sdc *sdc, const SdcCell *cell, bool rows)
{
    return rows ? released_row_value(sdc, cell) : released_count_value(sdc, cell);
}

static Released release_count_of(const Sdc *sdc, const SdcCell *cell, bool rows)
{
    if (!cell || cell->n_units < 0 || cell->n_rows < 0)
        return sdc_suppressed("x");
    if (sdc->trusted)
        return sdc_make_integer(counted(cell, rows));
    int64_t v = released_value(sdc, cell, rows);
    return v < 0 ? low_marker(sdc) : sdc_make_integer(v);
}

static Released release_percent_of(const Sdc *sdc, const SdcCell *part, const SdcCell *whole,
                                   bool rows)
{
    if (!part || !whole || part->n_units < 0 || whole->n_units < 0 || part->n_rows < 0 ||
        whole->n_rows < 0)
        return sdc_suppressed("x");
    if (sdc->trusted) {
        if (counted(whole, rows) == 0)
            return sdc_suppressed("-");
        return sdc_make_number(100.0 * (double)counted(part, rows) /
                               (double)counted(whole, rows), 10);
    }
    int64_t p = released_value(sdc, part, rows);
    int64_t w = released_value(sdc, whole, rows);
    if (w <= 0)
        return sdc_suppressed(w == 0 ? "-" : "x");
    if (p < 0)
        return low_marker(sdc);
    return sdc_make_number(100.0 * (double)p / (double)w, sdc->config.digits);
}

Released sdc_release_count(const Sdc *sdc, const SdcCell *cell)
{
    return release_count_of(sdc, cell, false);
}

Released sdc_release_percent(const Sdc *sdc, const SdcCell *part, const SdcCell *whole)
{
    return release_percent_of(sdc, part, whole, false);
}

Released sdc_release_row_count(const Sdc *sdc, const SdcCell *cell)
{
    return release_count_of(sdc, cell, true);
}

Released sdc_release_row_percent(const Sdc *sdc, const SdcCell *part, const SdcCell *whole)
{
    return release_percent_of(sdc, part, whole, true);
}

Released sdc_release_value(const Sdc *sdc, const SdcCell *cell, double value)
{
    if (!isfinite(value)) /* fail closed (G3) */
        return sdc_suppressed("x");
    if (sdc->trusted)
        return sdc_make_number(value, 10);
    if (!cell || cell->n_units < sdc->config.min_units_statistic) /* sdc rule R3 */
        return sdc_suppressed("x");
    return sdc_make_number(value, sdc->config.digits); /* sdc rule R10 */
}

Released sdc_release_dof(const Sdc *sdc, const SdcCell *cell, int64_t params)
{
    if (!cell || cell->n_units < 0 || params < 0)
        return sdc_suppressed("x");
    if (sdc->trusted)
        return cell->n_units - params >= 1 ? sdc_make_integer(cell->n_units - params)
                                           : sdc_suppressed("x");
    if (cell->n_units < sdc->config.min_units_statistic) /* sdc rule R3 */
        return sdc_suppressed("x");
    int64_t v = released_count_value(sdc, cell); /* sdc rule R4: the released N */
    if (v < 0 || v - params < 1)
        return sdc_suppressed("x");
    return sdc_make_integer(v - params);
}

MdStatus sdc_check_table(const Sdc *sdc, const SdcCell *cells, int64_t n_cells, MdError *err)
{
    if (sdc->trusted)
        return MD_OK;
    if (n_cells > sdc->config.max_table_cells) {
        sdc_audit_refusal(sdc, "table", "refused cells");
        md_error_set(err, MD_ERR_DISCLOSURE, "the table has more cells than disclosure "
                     "control allows");
        md_error_hint(err, "group the categories (recode) or tabulate fewer variables");
        return MD_ERR_DISCLOSURE;
    }
    int64_t counted = 0, low = 0;
    for (int64_t i = 0; i < n_cells; i++) {
        int64_t n = cells[i].n_units;
        if (n == 0 && !sdc->config.zeros_are_disclosive)
            continue; /* an empty cell is structural */
        counted++;
        if (n < sdc->config.low_count)
            low++;
    }
    /* sdc rule R6: refuse if more than sparse_share of the cells are low */
    if (counted > 0 && (double)low > sdc->config.sparse_share * (double)counted) {
        sdc_audit_refusal(sdc, "table", "refused R6");
        md_error_set(err, MD_ERR_DISCLOSURE, "the table is too sparse: too many of its cells "
                     "hold few units (sparse-table rule)");
        md_error_hint(err, "rule R6 in docs/disclosure.md: group categories (recode) or "
                      "tabulate fewer variables");
        return MD_ERR_DISCLOSURE;
    }
    return MD_OK;
}
