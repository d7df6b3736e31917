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
 * share of a table, and every low cell needs a charged one beside it). A cell nested in
 * the finest earlier cell of all its units pays only the difference of the two charges
 * (a drill-down adds the rank of the split, not of both cells).
 *
 * State: audit_path + ".exposure", mapped shared:
 *   header (64 bytes): "MDXP0002", le32 slot bits, le32 fixed-point bits, le64 records
 *   slots: 2^slot bits ExposureSlot (exposure in fixed point, 1.0 = 2^24, and the unit's
 *          finest cell), indexed by unit id modulo the slot count (datasets are sorted by
 *          unit id, so a release is three sequential passes: nesting, check, write; two
 *          units sharing a slot over-count across releases, which is conservative)
 *   records after the slots: le64 set hash, le64 size of every charged contributor set.
 * Charges round up. Every charge holds flock(LOCK_EX) on the file and first reads the
 * records other processes of the same user appended. A refused release writes nothing.
 * Slots are written before the records, so a crash in between over-counts. Without an
 * audit path the same state lives in memory (allocated at the first charge).
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

#define EXPOSURE_MAGIC "MDXP0002"
#define EXPOSURE_HEADER 64
#define EXPOSURE_RECORD 16

typedef struct ExposureHeader {
    char magic[8];
    uint32_t slot_bits;
    uint32_t fixed_bits;
    uint64_t n_records;
    uint8_t reserved[EXPOSURE_HEADER - 24];
} ExposureHeader;

_Static_assert(sizeof(ExposureHeader) == EXPOSURE_HEADER, "exposure header layout");

/* One unit's state. The finest cell is the smallest charged cell holding the unit: a new
 * cell all of whose units have the same finest cell T is nested in T, and adds only the
 * difference of the two charges (exact for the leverage of nested cells: a drill-down such
 * as a total, then its split by sex, costs what the split alone would). */
typedef struct ExposureSlot {
    uint32_t exposure;      /* fixed point */
    uint32_t finest_tag;    /* 32-bit tag of the finest cell; 0: none */
    uint32_t finest_charge; /* its full charge */
} ExposureSlot;

struct SdcExposure {
    char *path;             /* NULL: in memory */
    int fd;
    void *map;              /* header + slots (file) or slots (memory) */
    size_t map_len;
    ExposureHeader *header; /* NULL in memory */
    ExposureSlot *slots;
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
    return ((size_t)1 << SDC_EXPOSURE_SLOT_BITS) * sizeof(ExposureSlot);
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
    e->slots = (ExposureSlot *)((char *)e->map + EXPOSURE_HEADER);
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
    double one = ldexp(1.0, SDC_EXPOSURE_FIXED_BITS);
    double charge = ceil(one / ((double)n_units + 4 * variance));
    return charge >= (double)UINT32_MAX ? UINT32_MAX - 1 : (uint32_t)charge;
}

uint32_t sdc_exposure_budget_fixed(const SdcConfig *config)
{
    double v = ldexp(config->exposure_budget, SDC_EXPOSURE_FIXED_BITS);
    return v >= (double)UINT32_MAX ? UINT32_MAX - 1 : (uint32_t)v;
}

/* The plan of one cell in a release. */
typedef struct CellPlan {
    uint32_t full;          /* 1/(n + 4V) in fixed point; 0: not charged */
    uint32_t tag;           /* the cell's 32-bit tag */
    uint32_t add;           /* what each of its units pays */
    uint32_t parent_tag;    /* the finest cell of its first unit */
    uint32_t parent_charge;
    uint8_t nested;         /* 0 unseen, 1 every unit so far has parent_tag, 2 not nested */
    uint64_t last_unit;     /* the unit that last paid for it, plus one */
} CellPlan;

typedef struct Release {
    ExposureSlot *slots;
    CellPlan *plan;
    int64_t n_cells;
    const int32_t *cell_of_row; /* NULL: every row is cell 0 */
    const uint64_t *unit_ids;
    int64_t n_rows;
    uint32_t budget;
} Release;

static ExposureSlot *slot_of(const Release *r, uint64_t unit)
{
    return &r->slots[unit & (((uint64_t)1 << SDC_EXPOSURE_SLOT_BITS) - 1)];
}

static int32_t cell_at(const Release *r, int64_t i)
{
    return r->cell_of_row ? r->cell_of_row[i] : 0;
}

/* Pass 1 (reads): is each cell nested in one earlier cell, and what does it add? */
static void plan_nesting(const Release *r)
{
    for (int64_t i = 0; i < r->n_rows; i++) {
        int32_t c = cell_at(r, i);
        if (c < 0 || r->plan[c].full == 0 || r->plan[c].nested == 2)
            continue;
        CellPlan *p = &r->plan[c];
        const ExposureSlot *s = slot_of(r, r->unit_ids[i]);
        if (p->nested == 0) {
            p->parent_tag = s->finest_tag;
            p->parent_charge = s->finest_charge;
            p->nested = s->finest_tag ? 1 : 2;
        } else if (s->finest_tag != p->parent_tag) {
            p->nested = 2;
        }
    }
    for (int64_t c = 0; c < r->n_cells; c++) {
        CellPlan *p = &r->plan[c];
        p->add = p->full;
        if (p->nested == 1)
            p->add = p->full > p->parent_charge ? p->full - p->parent_charge : 0;
    }
}

/* Passes 2 and 3: with write false, true when every unit stays within the budget; with
 * write true, adds each unit's charges (once per distinct cell) and moves its finest cell. */
static bool pass_units(const Release *r, bool write)
{
    for (int64_t c = 0; c < r->n_cells; c++)
        r->plan[c].last_unit = 0;
    uint64_t add = 0;
    uint32_t tag = 0, full = 0;
    for (int64_t i = 0; i < r->n_rows; i++) {
        uint64_t u = r->unit_ids[i];
        int32_t c = cell_at(r, i);
        if (c >= 0 && r->plan[c].full > 0 && r->plan[c].last_unit != u + 1) {
            CellPlan *p = &r->plan[c];
            p->last_unit = u + 1;
            add += p->add;
            if (p->full > full) {
                full = p->full;
                tag = p->tag;
            }
        }
        if (i + 1 < r->n_rows && r->unit_ids[i + 1] == u)
            continue; /* the unit's run goes on */
        ExposureSlot *s = slot_of(r, u);
        if (!write && (uint64_t)s->exposure + add > r->budget)
            return false;
        if (write) {
            s->exposure = (uint32_t)((uint64_t)s->exposure + add);
            if (full > s->finest_charge) {
                s->finest_charge = full;
                s->finest_tag = tag;
            }
        }
        add = 0;
        full = 0;
    }
    return true;
}

static MdStatus refuse_budget(MdError *err)
{
    md_error_set(err, MD_ERR_DISCLOSURE, "the release would describe some persons too "
                 "closely together with what was released to you before "
                 "(reconstruction-budget rule)");
    md_error_hint(err, "the reconstruction budget under rule R15 in docs/disclosure.md: "
                  "this user is flagged for review; ask an operator");
    return MD_ERR_DISCLOSURE;
}

/* Plans, checks and (when everything fits) charges a release. Lock held. */
static MdStatus charge_locked(const Release *r, MdError *err)
{
    plan_nesting(r);
    if (!pass_units(r, false))
        return refuse_budget(err);
    pass_units(r, true);
    return MD_OK;
}

/* The charge and tag of a contributor set (0: not charged: too small or seen before). */
static void plan_cell(const Sdc *sdc, const SdcExposure *e, const SdcCell *cell, CellPlan *p)
{
    memset(p, 0, sizeof *p);
    int64_t n = cell->n_units;
    if (n <= 0 || n < sdc->config.low_count)
        return;
    uint64_t key = fingerprint_key(cell->set_hash, n);
    if (known_has(e, key))
        return;
    p->full = charge_of(&sdc->config, n);
    p->tag = (uint32_t)(key >> 32) | 1u;
}

/* Records the new cells after a successful release: those the rows paid for, and the
 * others (margins: sums of the inner cells just charged, so nothing new later either). */
static MdStatus record_cells(SdcExposure *e, const Release *r, const SdcCell *cells,
                             MdError *err)
{
    for (int64_t c = 0; c < r->n_cells; c++) {
        if (r->plan[c].full == 0)
            continue;
        if (record_set(e, cells[c].set_hash, cells[c].n_units, err) != MD_OK)
            return err->status;
    }
    return MD_OK;
}

/* log: a refusal is flagged in the audit log here, after the exposure lock is released
 * (populations are logged by audit.c, which holds the log's lock when it asks: the locks
 * are always taken in the order log, then exposure). */
static MdStatus charge_release(Sdc *sdc, const SdcCell *cells, int64_t n_cells,
                               const int32_t *cell_of_row, const uint64_t *unit_ids,
                               int64_t n_rows, bool log, MdError *err)
{
    SdcExposure *e = NULL;
    if (exposure_state(sdc, &e, err) != MD_OK)
        return err->status;
    CellPlan *plan = md_calloc((size_t)n_cells, sizeof *plan);
    MdStatus status = plan ? lock_and_catch_up(e, err)
                           : md_error_set(err, MD_ERR_MEMORY, "out of memory in the "
                                          "exposure budget");
    bool any = false;
    for (int64_t c = 0; status == MD_OK && c < n_cells; c++) {
        plan_cell(sdc, e, &cells[c], &plan[c]);
        any = any || plan[c].full > 0;
    }
    if (status == MD_OK && any) { /* nothing new: no pass over the rows */
        Release r = {e->slots, plan, n_cells, cell_of_row, unit_ids, n_rows,
                     sdc_exposure_budget_fixed(&sdc->config)};
        status = charge_locked(&r, err);
        if (status == MD_OK)
            status = record_cells(e, &r, cells, err);
    }
    unlock(e);
    md_free(plan);
    if (status == MD_ERR_DISCLOSURE && log)
        sdc_audit_refusal(sdc, "exposure", "refused R15b flagged");
    return status;
}

MdStatus sdc_charge_cells(Sdc *sdc, const SdcCell *cells, int64_t n_cells,
                          const int32_t *cell_of_row, const uint64_t *unit_ids, int64_t n_rows,
                          MdError *err)
{
    if (sdc->trusted || sdc->config.exposure_budget <= 0 || n_cells <= 0 || n_rows <= 0)
        return MD_OK;
    return charge_release(sdc, cells, n_cells, cell_of_row, unit_ids, n_rows, true, err);
}

MdStatus sdc_exposure_charge_population(Sdc *sdc, const uint64_t *sorted_unit_ids, int64_t n,
                                        uint64_t set_hash, MdError *err)
{
    if (sdc->trusted || sdc->config.exposure_budget <= 0 || n <= 0)
        return MD_OK;
    SdcCell population;
    sdc_cell_init(&population);
    population.set_hash = set_hash;
    population.n_units = n;
    return charge_release(sdc, &population, 1, NULL, sorted_unit_ids, n, false, err);
}

double sdc_exposure_of(Sdc *sdc, uint64_t unit_id)
{
    SdcExposure *e = NULL;
    MdError ignored;
    md_error_clear(&ignored);
    if (exposure_state(sdc, &e, &ignored) != MD_OK)
        return -1.0;
    uint32_t v = e->slots[unit_id & (((uint64_t)1 << SDC_EXPOSURE_SLOT_BITS) - 1)].exposure;
    return ldexp((double)v, -SDC_EXPOSURE_FIXED_BITS);
}
