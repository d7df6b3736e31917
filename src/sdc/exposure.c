/*
 * exposure.c - the per-user reconstruction budget (sdc rule R15b, attack D1): every
 * released count cell (the inner cells of a table) and every population an output is
 * computed on adds 1/(size + 4V) to the exposure of each of its units (V the count noise
 * variance); a release that would take any unit of this user past exposure_budget is
 * refused, rolled back and flagged in the audit log.
 *
 * Why: a released count is one noisy linear equation shared by its units; for a 0/1
 * attribute it explains at most 1/(size + 4V) of one unit's variance (the leverage of the
 * equation), and each release adds less than 1 to the sum of all exposures. Dinur-Nissim
 * reconstruction needs of the order of n equations for n units; the D1 curve
 * (docs/attacks/D1-curve.txt) gives the exposure at which a decoder starts to beat
 * guessing. Not charged: a cell whose contributor set (set hash and size) was charged
 * before (same noise, nothing new); margins (sums of the inner cells of the same table, no
 * new rank); cells of fewer than low_count units (released only as "<5"; R6 bounds their
 * share of a table, and every low cell needs a charged one beside it).
 *
 * State: audit_path + ".exposure", mapped shared:
 *   header (64 bytes): "MDXP0001", le32 slot bits, le32 fixed-point bits, le64 records
 *   slots: 2^slot bits uint32 exposures in fixed point (1.0 = 2^24), indexed by unit id
 *          modulo the slot count (datasets are sorted by unit id, so a release is one
 *          sequential pass; two units sharing a slot only over-count, which is
 *          conservative)
 *   records after the slots: le64 set hash, le64 size of every charged contributor set.
 * Charges round up. Every charge holds flock(LOCK_EX) on the file and first reads the
 * records other processes of the same user appended. Slots are written before the
 * records, so a crash in between over-counts. Without an audit path the same state lives
 * in memory (allocated at the first charge).
 */
#include "sdc/sdc_int.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the exposure file is mapped as little-endian"
#endif

#define EXPOSURE_MAGIC "MDXP0001"
#define EXPOSURE_HEADER 64
#define EXPOSURE_RECORD 16
#define EXPOSURE_UNCHARGED UINT32_MAX /* charge not yet computed for a cell */

typedef struct ExposureHeader {
    char magic[8];
    uint32_t slot_bits;
    uint32_t fixed_bits;
    uint64_t n_records;
    uint8_t reserved[EXPOSURE_HEADER - 24];
} ExposureHeader;

_Static_assert(sizeof(ExposureHeader) == EXPOSURE_HEADER, "exposure header layout");

struct SdcExposure {
    char *path;             /* NULL: in memory */
    int fd;
    void *map;              /* header + slots (file) or slots (memory) */
    size_t map_len;
    ExposureHeader *header; /* NULL in memory */
    uint32_t *slots;
    uint64_t *known;        /* open-addressing set of charged fingerprints (0 = empty) */
    size_t known_cap, n_known;
    uint64_t n_loaded;      /* records already read from the file */
};

/* ---- the set of charged contributor sets ---- */

static uint64_t fingerprint_key(uint64_t set_hash, int64_t n_units)
{
    uint64_t k = set_hash ^ md_hash_u64((uint64_t)n_units + 0x9e3779b97f4a7c15ull);
    return k ? k : 1;
}

static bool known_has(const SdcExposure *e, uint64_t key)
{
    if (e->known_cap == 0)
        return false;
    size_t mask = e->known_cap - 1;
    for (size_t i = (size_t)md_hash_u64(key) & mask;; i = (i + 1) & mask) {
        if (e->known[i] == key)
            return true;
        if (e->known[i] == 0)
            return false;
    }
}

static void known_put_slot(uint64_t *table, size_t cap, uint64_t key)
{
    size_t mask = cap - 1;
    size_t i = (size_t)md_hash_u64(key) & mask;
    while (table[i] != 0 && table[i] != key)
        i = (i + 1) & mask;
    table[i] = key;
}

static MdStatus known_add(SdcExposure *e, uint64_t key, MdError *err)
{
    if (known_has(e, key))
        return MD_OK;
    if (2 * (e->n_known + 1) > e->known_cap) {
        size_t cap = e->known_cap ? 2 * e->known_cap : 1024;
        uint64_t *table = md_calloc(cap, sizeof *table);
        if (!table)
            return md_error_set(err, MD_ERR_MEMORY, "out of memory in the exposure budget");
        for (size_t i = 0; i < e->known_cap; i++) {
            if (e->known[i])
                known_put_slot(table, cap, e->known[i]);
        }
        md_free(e->known);
        e->known = table;
        e->known_cap = cap;
    }
    known_put_slot(e->known, e->known_cap, key);
    e->n_known++;
    return MD_OK;
}

/* ---- opening ---- */

static size_t slots_bytes(void)
{
    return ((size_t)1 << SDC_EXPOSURE_SLOT_BITS) * sizeof(uint32_t);
}

static MdStatus open_memory(SdcExposure *e, MdError *err)
{
    e->slots = md_calloc((size_t)1 << SDC_EXPOSURE_SLOT_BITS, sizeof *e->slots);
    if (!e->slots)
        return md_error_set(err, MD_ERR_MEMORY, "out of memory in the exposure budget");
    return MD_OK;
}

static MdStatus file_error(const SdcExposure *e, MdError *err, const char *what)
{
    md_error_set(err, MD_ERR_IO, "the exposure file %s %s: %s", e->path, what,
                 strerror(errno ? errno : EINVAL));
    md_error_hint(err, "an operator must inspect it; releases stop until it is fixed");
    return MD_ERR_IO;
}

/* Creates the header of a new (empty) file, or checks that of an existing one. */
static MdStatus prepare_file(SdcExposure *e, MdError *err)
{
    struct stat st;
    if (fstat(e->fd, &st) != 0)
        return file_error(e, err, "cannot be read");
    size_t need = EXPOSURE_HEADER + slots_bytes();
    if (st.st_size == 0) {
        ExposureHeader h;
        memset(&h, 0, sizeof h);
        memcpy(h.magic, EXPOSURE_MAGIC, 8);
        h.slot_bits = SDC_EXPOSURE_SLOT_BITS;
        h.fixed_bits = SDC_EXPOSURE_FIXED_BITS;
        if (ftruncate(e->fd, (off_t)need) != 0 ||
            pwrite(e->fd, &h, sizeof h, 0) != (ssize_t)sizeof h)
            return file_error(e, err, "cannot be created");
        return MD_OK;
    }
    ExposureHeader h;
    errno = 0;
    if ((size_t)st.st_size < need || pread(e->fd, &h, sizeof h, 0) != (ssize_t)sizeof h ||
        memcmp(h.magic, EXPOSURE_MAGIC, 8) != 0 || h.slot_bits != SDC_EXPOSURE_SLOT_BITS ||
        h.fixed_bits != SDC_EXPOSURE_FIXED_BITS)
        return file_error(e, err, "is not an exposure file of this version");
    return MD_OK;
}

static MdStatus open_file(SdcExposure *e, MdError *err)
{
    e->fd = open(e->path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (e->fd < 0)
        return file_error(e, err, "cannot be opened");
    while (flock(e->fd, LOCK_EX) != 0) {
        if (errno != EINTR)
            return file_error(e, err, "cannot be locked");
    }
    MdStatus status = prepare_file(e, err);
    flock(e->fd, LOCK_UN);
    if (status != MD_OK)
        return status;
    e->map_len = EXPOSURE_HEADER + slots_bytes();
    e->map = mmap(NULL, e->map_len, PROT_READ | PROT_WRITE, MAP_SHARED, e->fd, 0);
    if (e->map == MAP_FAILED) {
        e->map = NULL;
        return file_error(e, err, "cannot be mapped");
    }
    e->header = e->map;
    e->slots = (uint32_t *)((char *)e->map + EXPOSURE_HEADER);
    return MD_OK;
}

static SdcExposure *exposure_new(Sdc *sdc)
{
    if (!sdc->exposure) {
        sdc->exposure = md_calloc(1, sizeof *sdc->exposure);
        if (sdc->exposure)
            sdc->exposure->fd = -1;
    }
    return sdc->exposure;
}

MdStatus sdc_exposure_use_file(Sdc *sdc, const char *audit_path, MdError *err)
{
    SdcExposure *e = exposure_new(sdc);
    size_t len = strlen(audit_path);
    char *path = e ? md_malloc(len + 10) : NULL;
    if (!path)
        return md_error_set(err, MD_ERR_MEMORY, "out of memory in the exposure budget");
    memcpy(path, audit_path, len);
    memcpy(path + len, ".exposure", 10);
    md_free(e->path);
    e->path = path;
    return MD_OK;
}

/* The state, opened at the first charge. */
static MdStatus exposure_state(Sdc *sdc, SdcExposure **out, MdError *err)
{
    SdcExposure *e = exposure_new(sdc);
    if (!e)
        return md_error_set(err, MD_ERR_MEMORY, "out of memory in the exposure budget");
    if (!e->slots) {
        MdStatus status = e->path ? open_file(e, err) : open_memory(e, err);
        if (status != MD_OK)
            return status;
    }
    *out = e;
    return MD_OK;
}

void sdc_exposure_close(Sdc *sdc)
{
    SdcExposure *e = sdc->exposure;
    if (!e)
        return;
    if (e->map)
        munmap(e->map, e->map_len);
    else
        md_free(e->slots);
    if (e->fd >= 0)
        close(e->fd);
    md_free(e->known);
    md_free(e->path);
    md_free(e);
    sdc->exposure = NULL;
}

/* ---- locking and the records ---- */

/* Locks the file and reads the records appended since the last look. */
static MdStatus lock_and_catch_up(SdcExposure *e, MdError *err)
{
    if (e->fd < 0)
        return MD_OK;
    while (flock(e->fd, LOCK_EX) != 0) {
        if (errno != EINTR)
            return file_error(e, err, "cannot be locked");
    }
    uint64_t total = e->header->n_records;
    off_t base = (off_t)(EXPOSURE_HEADER + slots_bytes());
    while (e->n_loaded < total) {
        uint64_t rec[2];
        errno = 0;
        if (pread(e->fd, rec, sizeof rec, base + (off_t)(e->n_loaded * EXPOSURE_RECORD)) !=
            (ssize_t)sizeof rec)
            return file_error(e, err, "is shorter than its header says");
        if (known_add(e, fingerprint_key(rec[0], (int64_t)rec[1]), err) != MD_OK)
            return err->status;
        e->n_loaded++;
    }
    return MD_OK;
}

static void unlock(SdcExposure *e)
{
    if (e->fd >= 0)
        flock(e->fd, LOCK_UN);
}

/* Records a charged set: in the file (after the slots are written) and in memory. */
static MdStatus record_set(SdcExposure *e, uint64_t set_hash, int64_t n_units, MdError *err)
{
    uint64_t key = fingerprint_key(set_hash, n_units);
    if (known_has(e, key))
        return MD_OK;
    if (e->fd >= 0) {
        uint64_t rec[2] = {set_hash, (uint64_t)n_units};
        off_t at = (off_t)(EXPOSURE_HEADER + slots_bytes() +
                           e->header->n_records * EXPOSURE_RECORD);
        errno = 0;
        if (pwrite(e->fd, rec, sizeof rec, at) != (ssize_t)sizeof rec)
            return file_error(e, err, "cannot be written");
        e->header->n_records++;
        e->n_loaded++;
    }
    return known_add(e, key, err);
}

/* ---- charging ---- */

/* The fixed-point charge of a new contributor set of n units, rounded up: 1/(n + 4V). A
 * released count is n plus noise of variance V; for a 0/1 attribute (variance at most 1/4
 * per unit) the share of one unit's variance that such a count explains is at most
 * (1/4) / (n/4 + V) = 1/(n + 4V), the leverage of one noisy equation. */
static uint32_t charge_of(const SdcConfig *config, int64_t n_units)
{
    double variance = config->noise_max > 0 ? config->noise_variance : 0.0;
    double charge = ceil(ldexp(1.0, SDC_EXPOSURE_FIXED_BITS) / ((double)n_units + 4 * variance));
    return charge >= (double)UINT32_MAX ? UINT32_MAX - 1 : (uint32_t)charge;
}

uint32_t sdc_exposure_budget_fixed(const SdcConfig *config)
{
    double v = ldexp(config->exposure_budget, SDC_EXPOSURE_FIXED_BITS);
    return v >= (double)UINT32_MAX ? UINT32_MAX - 1 : (uint32_t)v;
}

/* One pass over rows: adds (sign > 0) or takes back (sign < 0) each unit's charge, once per
 * distinct (unit, cell). Adding stops at the first unit that would pass the budget and
 * returns the row where its run starts (n_rows when all fit). */
typedef struct ChargePass {
    uint32_t *slots;
    const uint32_t *charge;   /* per cell */
    uint64_t *last_unit;      /* per cell: the unit that last paid for it, plus one */
    int64_t n_cells;
    const int32_t *cell_of_row; /* NULL: every row is cell 0 */
    const uint64_t *unit_ids;
    int64_t n_rows;
    uint32_t budget;
} ChargePass;

static bool apply_unit(const ChargePass *p, uint64_t unit, uint64_t add, int sign)
{
    uint32_t *slot = &p->slots[unit & (((uint64_t)1 << SDC_EXPOSURE_SLOT_BITS) - 1)];
    if (sign < 0) {
        *slot -= (uint32_t)add;
        return true;
    }
    uint64_t next = (uint64_t)*slot + add;
    if (next > p->budget)
        return false;
    *slot = (uint32_t)next;
    return true;
}

static int64_t charge_pass(const ChargePass *p, int64_t end, int sign)
{
    int64_t start = 0;
    uint64_t add = 0;
    for (int64_t i = 0; i < end; i++) {
        uint64_t u = p->unit_ids[i];
        if (i > 0 && u != p->unit_ids[i - 1]) {
            if (add && !apply_unit(p, p->unit_ids[i - 1], add, sign))
                return start;
            add = 0;
            start = i;
        }
        int32_t c = p->cell_of_row ? p->cell_of_row[i] : 0;
        if (c < 0 || p->last_unit[c] == u + 1)
            continue;
        p->last_unit[c] = u + 1;
        add += p->charge[c];
    }
    if (end > 0 && add && !apply_unit(p, p->unit_ids[end - 1], add, sign))
        return start;
    return end;
}

static MdStatus refuse_budget(const Sdc *sdc, MdError *err)
{
    sdc_audit_refusal(sdc, "exposure", "refused R15b flagged");
    md_error_set(err, MD_ERR_DISCLOSURE, "the release would describe some persons too "
                 "closely together with what was released to you before "
                 "(reconstruction-budget rule)");
    md_error_hint(err, "the reconstruction budget under rule R15 in docs/disclosure.md: "
                  "this user is flagged for review; ask an operator");
    return MD_ERR_DISCLOSURE;
}

/* Charges the rows; on refusal every slot is as before. Lock held. */
static MdStatus charge_locked(const Sdc *sdc, ChargePass *p, MdError *err)
{
    memset(p->last_unit, 0, (size_t)p->n_cells * sizeof *p->last_unit);
    int64_t stop = charge_pass(p, p->n_rows, 1);
    if (stop == p->n_rows)
        return MD_OK;
    memset(p->last_unit, 0, (size_t)p->n_cells * sizeof *p->last_unit);
    charge_pass(p, stop, -1);
    return refuse_budget(sdc, err);
}

/* Records the referenced, newly charged cells after a successful pass. */
static MdStatus record_cells(SdcExposure *e, const ChargePass *p, const SdcCell *cells,
                             MdError *err)
{
    for (int64_t c = 0; c < p->n_cells; c++) {
        if (p->last_unit[c] == 0 || p->charge[c] == 0)
            continue;
        if (record_set(e, cells[c].set_hash, cells[c].n_units, err) != MD_OK)
            return err->status;
    }
    return MD_OK;
}

MdStatus sdc_charge_cells(Sdc *sdc, const SdcCell *cells, int64_t n_cells,
                          const int32_t *cell_of_row, const uint64_t *unit_ids, int64_t n_rows,
                          MdError *err)
{
    if (sdc->trusted || sdc->config.exposure_budget <= 0 || n_cells <= 0 || n_rows <= 0)
        return MD_OK;
    SdcExposure *e = NULL;
    if (exposure_state(sdc, &e, err) != MD_OK)
        return err->status;
    uint32_t *charge = md_malloc((size_t)n_cells * sizeof *charge);
    uint64_t *last = md_malloc((size_t)n_cells * sizeof *last);
    MdStatus status = charge && last ? lock_and_catch_up(e, err)
                                     : md_error_set(err, MD_ERR_MEMORY, "out of memory in "
                                                    "the exposure budget");
    if (status == MD_OK) {
        for (int64_t c = 0; c < n_cells; c++) {
            int64_t n = cells[c].n_units;
            charge[c] = n < sdc->config.low_count || n <= 0 ||
                                known_has(e, fingerprint_key(cells[c].set_hash, n))
                            ? 0 : charge_of(&sdc->config, n);
        }
        ChargePass p = {e->slots, charge, last, n_cells, cell_of_row, unit_ids, n_rows,
                        sdc_exposure_budget_fixed(&sdc->config)};
        status = charge_locked(sdc, &p, err);
        if (status == MD_OK)
            status = record_cells(e, &p, cells, err);
    }
    unlock(e);
    md_free(charge);
    md_free(last);
    return status;
}

MdStatus sdc_exposure_charge_population(Sdc *sdc, const uint64_t *sorted_unit_ids, int64_t n,
                                        uint64_t set_hash, MdError *err)
{
    if (sdc->trusted || sdc->config.exposure_budget <= 0 || n <= 0)
        return MD_OK;
    SdcExposure *e = NULL;
    if (exposure_state(sdc, &e, err) != MD_OK || lock_and_catch_up(e, err) != MD_OK) {
        if (e)
            unlock(e);
        return err->status;
    }
    uint64_t key = fingerprint_key(set_hash, n);
    MdStatus status = MD_OK;
    if (!known_has(e, key)) {
        uint32_t charge = charge_of(&sdc->config, n);
        uint64_t last = 0;
        ChargePass p = {e->slots, &charge, &last, 1, NULL, sorted_unit_ids, n,
                        sdc_exposure_budget_fixed(&sdc->config)};
        status = charge_locked(sdc, &p, err);
        if (status == MD_OK)
            status = record_set(e, set_hash, n, err);
    }
    unlock(e);
    return status;
}

double sdc_exposure_of(Sdc *sdc, uint64_t unit_id)
{
    SdcExposure *e = sdc->exposure;
    if (!e || !e->slots)
        return 0.0;
    uint32_t v = e->slots[unit_id & (((uint64_t)1 << SDC_EXPOSURE_SLOT_BITS) - 1)];
    return ldexp((double)v, -SDC_EXPOSURE_FIXED_BITS);
}
