/*
 * sdc_int.h - what the files of src/sdc share and no other module may include: the Sdc
 * object itself, the p-table, the keyed hashes, number formatting and the audit state.
 * Tests include it to reach the internals (known-answer keys, the p-table, the audit day).
 */
#ifndef MDATA_SDC_SDC_INT_H
#define MDATA_SDC_SDC_INT_H

#include "sdc/sdc.h"

/* ==== p-table (ptable.c) =============================================================== */

#define SDC_PTABLE_TOTAL 65536 /* every row's weights add up to 2^16 */
#define SDC_PTABLE_MAX_D 8     /* the largest noise_max a configuration may ask for */

/* Row k (1..max_d) holds the noise law for true counts n with min(n, max_d) == k: weights
 * for noise -k..k (index noise + k), integers adding up to SDC_PTABLE_TOTAL. */
typedef struct SdcPTable {
    int32_t max_d;
    uint32_t cumulative[SDC_PTABLE_MAX_D + 1][2 * SDC_PTABLE_MAX_D + 1];
    uint32_t weight[SDC_PTABLE_MAX_D + 1][2 * SDC_PTABLE_MAX_D + 1];
} SdcPTable;

/* The compiled-in default table (noise_max 2, variance 1). */
void sdc_ptable_default(SdcPTable *table);
/* Builds the table for (noise_max, variance) by the documented max-entropy method. */
MdStatus sdc_ptable_build(SdcPTable *table, int32_t noise_max, double variance,
                          MdError *err) MD_MUST_CHECK;
/* The noise for true count n (n >= 1) and a 16-bit uniform u. */
int32_t sdc_ptable_noise(const SdcPTable *table, int64_t n, uint32_t u16);
/* The exact variance of row k. */
double sdc_ptable_variance(const SdcPTable *table, int32_t k);

/* ==== The gate object ================================================================== */

typedef struct SdcAudit SdcAudit;
typedef struct SdcExposure SdcExposure;

struct Sdc {
    SdcConfig config;
    bool trusted;
    uint8_t unit_subkey[16];  /* SipHash key of rk(u), bound to the data version */
    uint8_t cell_subkey[16];  /* SipHash key of cell keys (secret2) */
    uint8_t audit_subkey[16]; /* key material of the auditor's unit hashes */
    uint64_t audit_salt;      /* its first 8 bytes, little-endian */
    SdcPTable ptable;
    SdcAudit *audit;
    SdcExposure *exposure;    /* R15b state (exposure.c), opened at the first charge */
};

/* Statistic ids in the cell key (stable numbers: they are part of the released noise). */
#define SDC_KEY_COUNT 1u
#define SDC_KEY_SUM 2u
#define SDC_KEY_SUM_SQUARES 3u
#define SDC_KEY_ROWS 4u
#define SDC_KEY_OTHER 9u

/* The cell key ck = SipHash(cell_subkey, le64(key_sum) || le32(stat) || variable). */
uint64_t sdc_cell_key(const Sdc *sdc, uint64_t key_sum, uint32_t stat, const char *variable);
/* The auditor's keyed hash of a unit id (independent of the data version). */
uint64_t sdc_audit_unit_hash(const Sdc *sdc, uint64_t unit_id);
/* The unkeyed second hash summed into SdcCell.set_hash. */
uint64_t sdc_set_hash_of(uint64_t unit_id);
/* The noise of a count cell (0 for n <= 0). */
int32_t sdc_count_noise(const Sdc *sdc, const SdcCell *cell);

/* ==== Released values (format.c) ======================================================= */

Released sdc_make_number(double value, int digits);
Released sdc_make_integer(int64_t value);
/* Rounds to digits significant digits; non-finite stays as it is. */
double sdc_round_significant(double value, int digits);

/* ==== Audit unit-hash lists (audit_sets.c) ============================================== */

typedef struct SdcMemSet {
    uint32_t *hashes;
    int64_t n;
} SdcMemSet;

typedef struct SdcSetStore {
    int fd;             /* the ".sets" file; -1: in memory */
    const char *path;   /* the audit log's path, for messages (borrowed) */
    SdcMemSet *mem;     /* in-memory lists */
    size_t n_mem, cap_mem;
} SdcSetStore;

/* Appends a sorted list; *ref is its byte offset (file) or index (memory). */
MdStatus sdc_sets_store(SdcSetStore *store, const uint32_t *hashes, int64_t n, int64_t *ref,
                        MdError *err) MD_MUST_CHECK;
/* Loads the list at ref (returns owned: md_free). */
MdStatus sdc_sets_load(const SdcSetStore *store, int64_t ref, uint32_t **out, int64_t *n,
                       MdError *err) MD_MUST_CHECK;
void sdc_sets_close(SdcSetStore *store);
/* LSD radix sort in two 16-bit passes; tmp holds n values, count 65536 counters. */
void sdc_sort_u32(uint32_t *v, uint32_t *tmp, uint32_t *count, int64_t n);
/* Symmetric difference of two sorted lists (as multisets), counted up to cap. */
int64_t sdc_symmetric_difference(const uint32_t *a, int64_t na, const uint32_t *b, int64_t nb,
                                 int64_t cap);

/* ==== Audit (audit.c) ================================================================== */

MdStatus sdc_audit_open(Sdc *sdc, const char *path, const char *user, MdError *err)
    MD_MUST_CHECK;
void sdc_audit_close(Sdc *sdc);
/* Records a population release decision (fingerprint only). */
MdStatus sdc_audit_population(Sdc *sdc, const SdcCell *population, const char *decision,
                              MdError *err) MD_MUST_CHECK;
/* Logs a refusal by another rule (event "change" or "table"); a failure to log is ignored,
 * since the caller refuses anyway. */
void sdc_audit_refusal(const Sdc *sdc, const char *event, const char *decision);
/* Test hook: the day number used by the rate limit (days since 1970; < 0: the clock). */
void sdc_audit_set_day(Sdc *sdc, int32_t day);

/* ==== Reconstruction budget (exposure.c, rule R15b) ==================================== */

#define SDC_EXPOSURE_SLOT_BITS 23  /* 2^23 slots, indexed by unit id modulo their count */
#define SDC_EXPOSURE_FIXED_BITS 24 /* exposure 1.0 = 2^24 in a slot */

/* Keeps the state in audit_path + ".exposure" (opened at the first charge); without this
 * call it lives in memory. */
MdStatus sdc_exposure_use_file(Sdc *sdc, const char *audit_path, MdError *err) MD_MUST_CHECK;
void sdc_exposure_close(Sdc *sdc);
/* R15b for a released population (ids sorted, distinct; set_hash its fingerprint): the
 * charge of a cell of n units to each unit, unless the same set was charged before.
 * Refuses and changes nothing when a unit would pass the budget; the caller (audit.c) logs
 * the refusal. */
MdStatus sdc_exposure_charge_population(Sdc *sdc, const uint64_t *sorted_unit_ids, int64_t n,
                                        uint64_t set_hash, MdError *err) MD_MUST_CHECK;
/* The exposure of a unit's slot (tests and the bench); 0 before any charge. */
double sdc_exposure_of(Sdc *sdc, uint64_t unit_id);
/* The budget in fixed point. */
uint32_t sdc_exposure_budget_fixed(const SdcConfig *config);

#endif /* MDATA_SDC_SDC_INT_H */
