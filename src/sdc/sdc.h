/*
 * sdc.h - disclosure control: the one gate every released number passes
 * (spec/disclosure.md section 4). Counts get cell-key noise keyed on the set of
 * contributing units; magnitudes are winsorised, noised and rounded; percentiles are
 * micro-aggregated; thresholds count distinct contributing units; every released
 * population is fingerprinted in a per-user audit log.
 *
 * sdc returns Released values (result.h) and errors whose messages name the rule, never a
 * count or a value. In trusted mode (`mdata run --trusted`, local operators only) values
 * are exact and every Released carries the text unchanged, but the document says so.
 * NaN, infinity or overflow anywhere means refusal (fail closed).
 */
#ifndef MDATA_SDC_SDC_H
#define MDATA_SDC_SDC_H

#include "base/base.h"
#include "result/result.h"

/* ==== Configuration (every threshold is a setting; defaults from the spec) ============ */

typedef struct SdcConfig {
    int64_t min_population;       /* R1: 1000 units */
    int64_t small_change;         /* R2: changes of 1..k-1 units refused; k = 10 */
    int64_t min_units_statistic;  /* R3: 10 */
    int32_t noise_max;            /* R4: D = 2 */
    double noise_variance;        /* R4: about 1 */
    int64_t low_count;            /* R5: released values below 5 shown as "<5" */
    bool zeros_are_disclosive;    /* R5 */
    double sparse_share;          /* R6: refuse if more than 50 % of cells are low */
    double winsor_share;          /* R7: 0.01 */
    int64_t winsor_min_units;     /* R7: at least 10 units at each bound */
    double magnitude_noise_scale; /* R8: sigma = 0.5 * (w_hi - w_lo) ... per unit */
    double dominance_share;       /* R8: top-2 share limit, 0.9 */
    double p_rule;                /* R8: 0.1 */
    int64_t quantile_units;       /* R9: k = 10 order statistics */
    int32_t quantile_digits;      /* R9: 3 significant digits */
    int32_t digits;               /* R10: 4 significant digits */
    int64_t audit_min_difference; /* R15: populations differing by < 10 units refused */
    int64_t rate_limit_per_day;   /* R15: output commands per user per day */
    int64_t max_table_cells;      /* tables with more cells are refused */
    double exposure_budget;       /* R15b: per-unit reconstruction budget (0 = off) */
} SdcConfig;

void sdc_config_default(SdcConfig *config);
/* Reads "key = value" lines (# comments) over the defaults; unknown keys are errors. */
MdStatus sdc_config_load(SdcConfig *config, const char *path, MdError *err) MD_MUST_CHECK;
/* Checks every setting against its valid range (sdc_new calls it). */
MdStatus sdc_config_validate(const SdcConfig *config, MdError *err) MD_MUST_CHECK;
/* The names of the settings, in the order of config/sdc.conf. */
int32_t sdc_config_setting_count(void);
const char *sdc_config_setting_name(int32_t index);

/* ==== The gate ========================================================================= */

/* An Sdc is used by one thread at a time (its audit state changes on every check). */
typedef struct Sdc Sdc;

typedef struct SdcOptions {
    SdcConfig config;
    uint8_t secret[32];      /* the datastore's secret key (never leaves the server) */
    const char *data_version;/* e.g. "no.ssb.fdb:1.0.0"; part of the unit keys */
    const char *audit_path;  /* per-user audit log file; NULL = in memory only */
    const char *user;        /* user name for the audit log */
    bool trusted;            /* disclosure control off (local operator) */
} SdcOptions;

Sdc *sdc_new(const SdcOptions *options, MdError *err);   /* returns owned: sdc_free */
void sdc_free(Sdc *sdc);
bool sdc_is_trusted(const Sdc *sdc);
const SdcConfig *sdc_config(const Sdc *sdc);
/* Reads the 32-byte secret of a datastore (store_secret_path). */
MdStatus sdc_read_secret(const char *path, uint8_t secret[32], MdError *err) MD_MUST_CHECK;

/* The keyed per-unit key rk(u) (spec 4.1), computed once when units enter a dataset. */
uint64_t sdc_unit_key(const Sdc *sdc, uint64_t unit_id);
void sdc_unit_keys(const Sdc *sdc, const uint64_t *unit_ids, int64_t n, uint64_t *keys);

/* ==== Contributor sets ================================================================= */

/* The distinct units contributing to a cell: an order-independent key sum and set hash,
 * and the count. Adding the same unit twice in a row counts it once (datasets are sorted
 * by unit id, so all rows of a unit arrive together). */
typedef struct SdcCell {
    uint64_t key_sum;   /* sum of rk(u) mod 2^64 */
    uint64_t set_hash;  /* sum of a second hash of u, for the audit fingerprint */
    int64_t n_units;    /* distinct units */
    int64_t n_rows;
    uint64_t last_unit;
    bool has_last;
} SdcCell;

void sdc_cell_init(SdcCell *cell);
void sdc_cell_add(SdcCell *cell, uint64_t unit_id, uint64_t unit_key);
/* Adds rows 0..n-1 to cells[cell_of_row[i]] (rows with a negative index are skipped): the
 * whole-column form of sdc_cell_add for tables (same result as adding row by row). */
void sdc_cells_add_rows(SdcCell *cells, const int32_t *cell_of_row, const uint64_t *unit_ids,
                        const uint64_t *unit_keys, int64_t n);
/* Merges b into a (for margins built from disjoint inner cells of distinct units). */
void sdc_cell_merge(SdcCell *a, const SdcCell *b);

/* ==== Rules ============================================================================ */

/* R1 + R15: the population an output is computed on (or a dataset after keep/drop/sample)
 * must have at least min_population units, and must not differ from an earlier released
 * population of this user by fewer than audit_min_difference units. Records it.
 * Without the units this form cannot measure a difference: a population that is not
 * identical to an earlier release but within audit_min_difference of its size is refused
 * (fail closed). sdc_check_population_rows judges on the units and refuses less. */
MdStatus sdc_check_population(Sdc *sdc, const SdcCell *population, MdError *err)
    MD_MUST_CHECK;
/* R1 + R15 on the units themselves (ids sorted ascending, distinct): as
 * sdc_check_population, and refuses when the population differs from an earlier released
 * population of this user (in any dataset: units, not dataset names, are compared) by 1 to
 * audit_min_difference-1 units of symmetric difference. Records it. */
MdStatus sdc_check_population_units(Sdc *sdc, const uint64_t *sorted_unit_ids, int64_t n,
                                    MdError *err) MD_MUST_CHECK;
/* The same from a dataset's rows: unit_ids sorted ascending with repeats (several rows per
 * unit), mask[i] != 0 for the selected rows (NULL: all rows). */
MdStatus sdc_check_population_rows(Sdc *sdc, const uint64_t *unit_ids, const uint8_t *mask,
                                   int64_t n_rows, MdError *err) MD_MUST_CHECK;
/* The same for an output's selection whose contributor set (population: sdc_cell_add
 * over the selected rows) is already known: a population released before with its units
 * is recorded from its fingerprint alone, without a pass over the rows. */
MdStatus sdc_check_population_selection(Sdc *sdc, const SdcCell *population,
                                        const uint64_t *unit_ids, const uint8_t *mask,
                                        int64_t n_rows, MdError *err) MD_MUST_CHECK;
/* G6: checks the hash chain of an audit log file; MD_ERR_VALUE names the first bad line. */
MdStatus sdc_audit_verify(const char *path, MdError *err) MD_MUST_CHECK;
/* R2: a command that changes (or filters out) n_changed of n_total units is refused when
 * n_changed or n_total - n_changed is in 1..small_change-1. */
MdStatus sdc_check_change(const Sdc *sdc, int64_t n_changed, int64_t n_total, MdError *err)
    MD_MUST_CHECK;
/* R6 and the cell limit: refuses a table whose non-structural cells are too sparse. */
MdStatus sdc_check_table(const Sdc *sdc, const SdcCell *cells, int64_t n_cells, MdError *err)
    MD_MUST_CHECK;
/* R15b reconstruction budget (exposure.c): charges the released count cells of a table.
 * cell_of_row[i] is the cell of row i (negative: none); every distinct (unit, cell) adds
 * 1/(n_units + 4 * noise_variance) of the cell to the unit's exposure, except cells below
 * low_count and cells whose contributor set was charged before. Cells no row maps to must
 * be margins (sums of mapped cells): they are not charged but count as charged afterwards.
 * Refuses (and changes nothing) when a unit would pass exposure_budget; the refusal is
 * flagged in the audit log. */
MdStatus sdc_charge_cells(Sdc *sdc, const SdcCell *cells, int64_t n_cells,
                          const int32_t *cell_of_row, const uint64_t *unit_ids, int64_t n_rows,
                          MdError *err) MD_MUST_CHECK;
/* R15 rate limit: counts one output command; refuses past the daily limit. */
MdStatus sdc_count_output(Sdc *sdc, MdError *err) MD_MUST_CHECK;

/* ==== Releases ========================================================================= */

/* R4 + R5: the perturbed count of the cell (noise from the cell key, "<5" for small). */
Released sdc_release_count(const Sdc *sdc, const SdcCell *cell);
/* A percentage whose numerator and denominator are both released counts. */
Released sdc_release_percent(const Sdc *sdc, const SdcCell *part, const SdcCell *whole);

/* R7: winsorising bounds of values (any order, missing already removed): the values at
 * rank max(ceil(share * n), winsor_min_units) from each end. false if n is too small. */
bool sdc_winsor_bounds(const Sdc *sdc, const double *values, int64_t n, double *low,
                       double *high);

/* Identifies which statistic a magnitude release is (part of the noise key). */
typedef enum SdcStatistic {
    SDC_STAT_SUM, SDC_STAT_MEAN, SDC_STAT_SD, SDC_STAT_GINI, SDC_STAT_IQR, SDC_STAT_OTHER
} SdcStatistic;

/* R3 + R7 + R8 + R10: sum, mean and standard deviation of values (one per contributing
 * row, in cell order) over the cell's units: winsorised at [low, high], dominance checks,
 * noise keyed on (cell, variable, statistic), 4 significant digits. variable names the
 * analysed variable (part of the noise key). Suppressed with a rule marker if refused. */
Released sdc_release_sum(const Sdc *sdc, const SdcCell *cell, const char *variable,
                         const double *values, int64_t n, double low, double high);
Released sdc_release_mean(const Sdc *sdc, const SdcCell *cell, const char *variable,
                          const double *values, int64_t n, double low, double high);
Released sdc_release_sd(const Sdc *sdc, const SdcCell *cell, const char *variable,
                        const double *values, int64_t n, double low, double high);
/* R9: the p-quantile (0 < p < 1) of sorted values: mean of the quantile_units order
 * statistics nearest the position, 3 significant digits; suppressed if n*min(p,1-p) is
 * below quantile_units. Never min or max. */
Released sdc_release_quantile(const Sdc *sdc, const SdcCell *cell, const double *sorted,
                              int64_t n, double p);
/* R4 + R5 for counts of rows rather than units (transitions pooled over time pairs, where
 * one unit may add several): n_rows + noise keyed on (key sum, ROWS), independent of the
 * unit count's noise so that the two do not give away their exact difference; "<5" when
 * the cell has 1..low-1 distinct units or the noisy count is low. */
Released sdc_release_row_count(const Sdc *sdc, const SdcCell *cell);
/* A percentage of two released row counts (part of whole). */
Released sdc_release_row_percent(const Sdc *sdc, const SdcCell *part, const SdcCell *whole);
/* R3 + R10 for any other derived statistic (correlation, test statistic, p-value, gini,
 * coefficient): released with `digits` significant digits if the cell has enough units
 * and value is finite; suppressed otherwise. */
Released sdc_release_value(const Sdc *sdc, const SdcCell *cell, double value);
/* Degrees of freedom that are a function of the number of units (n - params, e.g. an
 * ANOVA's residual or total df): derived from the released (perturbed) count of the cell,
 * never from the true n, so that they reveal no more than the released N (R4). Suppressed
 * if the count is low, the cell is below R3, or fewer than 1 df remain. */
Released sdc_release_dof(const Sdc *sdc, const SdcCell *cell, int64_t params);
/* A number that is not about units at all (a level, a degrees-of-freedom count, a date
 * from the script): released as given. */
Released sdc_release_constant(double value);
/* A suppressed cell with the given marker ("<5", "-", "x"). */
Released sdc_suppressed(const char *marker);

/* ==== Charts (chart.c, sdc rule R12) ==================================================== */

#define SDC_CHART_MAX_BINS 200

/* A chart axis cut into n_bins equal bins, edge i = first + i * width. Controlled: it spans
 * the winsorised bounds (R7; values are clipped to clip_low..clip_high before binning), the
 * width is nice (1, 2, 2.5, 5 times a power of ten, never finer than the data's decimal
 * resolution) or the one asked for, and the edges sit half a grid unit off the decimal
 * lattice of the values between the bounds (fewer than winsor_min_units exceptions allowed),
 * so no edge is a value on it (the true min and max included, E3).
 * Trusted: from the exact minimum to the exact maximum. */
typedef struct SdcAxis {
    int32_t n_bins;
    double first;
    double width;
    double clip_low, clip_high;
} SdcAxis;

/* The axis of values (any order, missing removed) with about max_bins bins (1..200: the
 * nice width whose bin count is nearest, fewer on a tie; exactly max_bins in trusted mode),
 * or with bins of the given width when width > 0. Refuses (naming R7) when there are too few
 * values for winsorising bounds, and width() giving more than SDC_CHART_MAX_BINS bins. */
MdStatus sdc_chart_axis(const Sdc *sdc, const double *values, int64_t n, int32_t max_bins,
                        double width, SdcAxis *axis, MdError *err) MD_MUST_CHECK;
/* The bin (0..n_bins-1) of a value clipped into the axis; -1 for a missing value. */
int32_t sdc_axis_bin(const SdcAxis *axis, double value);
/* The axis position first + steps * width (0 <= steps <= n_bins): an edge, or a hexagon
 * centre at a half step. */
Released sdc_release_axis(const SdcAxis *axis, double steps);
/* R9 + R12: the tail share p of boxplot whiskers (at p and 1-p) for n units: the most
 * extreme of 0.01, 0.05, 0.10 with n * p >= quantile_units; 0 when none is releasable. */
double sdc_whisker_share(const Sdc *sdc, int64_t n_units);
/* scale * released count of part / released count of whole (density, fraction, percent
 * of a bar): "<5" when the part is low, "-" when the whole is 0. */
Released sdc_release_share(const Sdc *sdc, const SdcCell *part, const SdcCell *whole,
                           double scale);

#endif /* MDATA_SDC_SDC_H */
