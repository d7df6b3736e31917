/*
 * audit.c - the per-user population audit (sdc rule R15, attacks C7, C9, G6): a hash-chained
 * append-only log of every released or refused population and every output command, the
 * unit-level differencing check, and the daily rate limit.
 *
 * Files (audit_path = the user's log, e.g. <work dir>/audit/<user>.log):
 * - audit_path: one JSON object per line, keys in this order: seq (1, 2, ...), prev (hex
 *   SHA-256 of the previous line's bytes without its newline; 64 zeros for the first), user,
 *   day (days since 1970, UTC), event ("population", "output", "change" or "table"), then
 *   for populations fingerprint (hex 64-bit set hash), n (distinct units, server side only),
 *   set (byte offset of its unit-hash list in the sets file, -1 if none) and decision
 *   ("released", "refused R1", "refused R15"); for outputs decision ("counted",
 *   "refused rate"); for changes and tables the refusal ("refused R2", "refused R6",
 *   "refused cells").
 * - audit_path + ".sets": the sorted unit-hash list of each distinct released population
 *   (format in audit_sets.c; about 2 bytes per unit).
 * A new population is compared only with earlier ones whose size differs by less than
 * audit_min_difference (the symmetric difference is at least the size difference), by one
 * merge over the two sorted lists. Hash-prefix collisions can only hide differences, so
 * they err towards refusal. Populations checked without their units (sdc_check_population)
 * have no list: one that is not identical to an earlier release (same set hash and size)
 * but has an earlier release of nearly the same size is refused, since nothing shows that
 * the difference is large.
 * Every operation holds flock(LOCK_EX) on the log, reads the lines other processes of the
 * same user appended since, checks their chain, decides, appends: parallel runs of one user
 * are serialised (C7). With no audit_path the same state is kept in memory only.
 * The clock is read only for the day of the rate limit; it never affects a released number.
 */
#include "sdc/sdc_int.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define AUDIT_LINE_MAX 2048

typedef struct AuditPop {
    uint64_t fingerprint;
    int64_t n;
    int64_t set_ref;
} AuditPop;

struct SdcAudit {
    char *user;
    char *path;          /* NULL: in memory */
    int log_fd;
    SdcSetStore sets;    /* the unit-hash lists (audit_sets.c) */
    int64_t read_offset; /* bytes of the log already checked */
    int64_t seq;
    uint8_t last_hash[32];
    AuditPop *pops;      /* released populations */
    size_t n_pops, cap_pops;
    int32_t day_override;
    int32_t count_day;   /* the latest day with counted outputs, and how many */
    int64_t count_on_day;
};

/* ---- state from log lines ---- */

static void hex_encode(const uint8_t *bytes, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 15];
    }
    out[2 * n] = 0;
}

static MdStatus damaged(MdError *err, const char *path, int64_t seq, const char *what)
{
    md_error_set(err, MD_ERR_VALUE, "the audit log %s is not intact after entry %lld: %s",
                 path ? path : "(memory)", (long long)seq, what);
    md_error_hint(err, "an operator must inspect the log; releases stop until it is fixed");
    return MD_ERR_VALUE;
}

typedef struct ChainState {
    int64_t seq;
    uint8_t last_hash[32];
} ChainState;

/* Checks one line against the chain and advances it; returns the parsed object. */
static json_t *chain_line(ChainState *chain, const char *line, size_t len, const char *path,
                          MdError *err)
{
    json_error_t jerr;
    json_t *obj = json_loadb(line, len, 0, &jerr);
    char prev_hex[65];
    hex_encode(chain->last_hash, 32, prev_hex);
    json_t *seq = obj ? json_object_get(obj, "seq") : NULL;
    json_t *prev = obj ? json_object_get(obj, "prev") : NULL;
    if (!json_is_object(obj) || !json_is_integer(seq) || !json_is_string(prev)) {
        damaged(err, path, chain->seq, "a line is not an audit record");
    } else if (json_integer_value(seq) != chain->seq + 1) {
        damaged(err, path, chain->seq, "the sequence numbers are broken");
    } else if (strcmp(json_string_value(prev), prev_hex) != 0) {
        damaged(err, path, chain->seq, "the hash chain is broken");
    } else {
        chain->seq++;
        crypto_hash_sha256(chain->last_hash, (const unsigned char *)line, len);
        return obj;
    }
    json_decref(obj);
    return NULL;
}

/* Records a released population once; a later unit list fills in a missing one. */
static MdStatus add_pop(SdcAudit *a, uint64_t fingerprint, int64_t n, int64_t set_ref)
{
    for (size_t i = 0; i < a->n_pops; i++) {
        AuditPop *p = &a->pops[i];
        if (p->fingerprint == fingerprint && p->n == n) {
            if (p->set_ref < 0)
                p->set_ref = set_ref;
            return MD_OK;
        }
    }
    if (md_grow((void **)&a->pops, &a->cap_pops, a->n_pops + 1, sizeof *a->pops) != MD_OK)
        return MD_ERR_MEMORY;
    a->pops[a->n_pops++] = (AuditPop){fingerprint, n, set_ref};
    return MD_OK;
}

/* Folds a checked record into the state. */
static MdStatus apply_record(SdcAudit *a, json_t *obj)
{
    const char *event = json_string_value(json_object_get(obj, "event"));
    const char *decision = json_string_value(json_object_get(obj, "decision"));
    int32_t day = (int32_t)json_integer_value(json_object_get(obj, "day"));
    if (!event || !decision)
        return MD_ERR_VALUE;
    if (strcmp(event, "output") == 0 && strcmp(decision, "counted") == 0) {
        if (day != a->count_day) {
            a->count_day = day;
            a->count_on_day = 0;
        }
        a->count_on_day++;
    } else if (strcmp(event, "population") == 0 && strcmp(decision, "released") == 0) {
        const char *fp = json_string_value(json_object_get(obj, "fingerprint"));
        if (!fp)
            return MD_ERR_VALUE;
        uint64_t fingerprint = strtoull(fp, NULL, 16);
        return add_pop(a, fingerprint, json_integer_value(json_object_get(obj, "n")),
                       json_integer_value(json_object_get(obj, "set")));
    }
    return MD_OK;
}

/* Reads and checks what was appended to the log since the last look (lock held). */
static MdStatus catch_up(SdcAudit *a, MdError *err)
{
    if (a->log_fd < 0)
        return MD_OK;
    struct stat st;
    if (fstat(a->log_fd, &st) != 0)
        return md_error_set(err, MD_ERR_IO, "cannot read the audit log %s", a->path);
    if (st.st_size < a->read_offset)
        return damaged(err, a->path, a->seq, "it became shorter");
    if (st.st_size == a->read_offset)
        return MD_OK;
    size_t size = (size_t)(st.st_size - a->read_offset);
    char *buf = md_malloc(size);
    if (!buf)
        return md_error_set(err, MD_ERR_MEMORY, "out of memory reading the audit log");
    ssize_t got = pread(a->log_fd, buf, size, a->read_offset);
    MdStatus status = MD_OK;
    if (got != (ssize_t)size)
        status = md_error_set(err, MD_ERR_IO, "cannot read the audit log %s", a->path);
    ChainState chain = {a->seq, {0}};
    memcpy(chain.last_hash, a->last_hash, 32);
    size_t pos = 0;
    while (status == MD_OK && pos < size) {
        char *nl = memchr(buf + pos, '\n', size - pos);
        if (!nl) {
            status = damaged(err, a->path, chain.seq, "the last line is incomplete");
            break;
        }
        size_t len = (size_t)(nl - (buf + pos));
        json_t *obj = chain_line(&chain, buf + pos, len, a->path, err);
        if (!obj) {
            status = MD_ERR_VALUE;
            break;
        }
        status = apply_record(a, obj);
        json_decref(obj);
        if (status != MD_OK) {
            damaged(err, a->path, chain.seq, "a record lacks a field");
            break;
        }
        pos += len + 1;
        a->seq = chain.seq;
        memcpy(a->last_hash, chain.last_hash, 32);
        a->read_offset += (int64_t)(len + 1);
    }
    md_free(buf);
    return status;
}

/* ---- appending ---- */

static int32_t audit_today(const SdcAudit *a)
{
    if (a->day_override >= 0)
        return a->day_override;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int32_t)(ts.tv_sec / 86400);
}

/* Appends a record (seq, prev, user, day, event, then the fields of rest). */
static MdStatus append_record(SdcAudit *a, const char *event, json_t *rest, MdError *err)
{
    char prev_hex[65];
    hex_encode(a->last_hash, 32, prev_hex);
    json_t *obj = json_pack("{s:I,s:s,s:s,s:i,s:s}", "seq", (json_int_t)(a->seq + 1), "prev",
                            prev_hex, "user", a->user, "day", (int)audit_today(a), "event",
                            event);
    if (!obj || json_object_update(obj, rest) != 0) {
        json_decref(obj);
        return md_error_set(err, MD_ERR_MEMORY, "out of memory writing the audit log");
    }
    char line[AUDIT_LINE_MAX];
    size_t len = json_dumpb(obj, line, sizeof line - 1, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(obj);
    if (len == 0 || len >= sizeof line - 1)
        return md_error_set(err, MD_ERR_INTERNAL, "an audit record is too long");
    ChainState chain = {a->seq, {0}};
    memcpy(chain.last_hash, a->last_hash, 32);
    json_t *checked = chain_line(&chain, line, len, a->path, err);
    if (!checked)
        return MD_ERR_INTERNAL;
    line[len] = '\n';
    if (a->log_fd >= 0 && write(a->log_fd, line, len + 1) != (ssize_t)(len + 1)) {
        json_decref(checked);
        return md_error_set(err, MD_ERR_IO, "cannot append to the audit log %s", a->path);
    }
    MdStatus status = apply_record(a, checked);
    json_decref(checked);
    a->seq = chain.seq;
    memcpy(a->last_hash, chain.last_hash, 32);
    if (a->log_fd >= 0)
        a->read_offset += (int64_t)(len + 1);
    if (status != MD_OK)
        return md_error_set(err, MD_ERR_MEMORY, "out of memory keeping the audit state");
    return MD_OK;
}

static MdStatus append_population(SdcAudit *a, uint64_t fingerprint, int64_t n,
                                  int64_t set_ref, const char *decision, MdError *err)
{
    char fp[17];
    snprintf(fp, sizeof fp, "%016llx", (unsigned long long)fingerprint);
    json_t *rest = json_pack("{s:s,s:I,s:I,s:s}", "fingerprint", fp, "n", (json_int_t)n,
                             "set", (json_int_t)set_ref, "decision", decision);
    if (!rest)
        return md_error_set(err, MD_ERR_MEMORY, "out of memory writing the audit log");
    MdStatus status = append_record(a, "population", rest, err);
    json_decref(rest);
    return status;
}

/* ---- locking ---- */

static MdStatus lock_log(SdcAudit *a, MdError *err)
{
    if (a->log_fd < 0)
        return MD_OK;
    while (flock(a->log_fd, LOCK_EX) != 0) {
        if (errno != EINTR)
            return md_error_set(err, MD_ERR_IO, "cannot lock the audit log %s", a->path);
    }
    return catch_up(a, err);
}

static void unlock_log(SdcAudit *a)
{
    if (a->log_fd >= 0)
        flock(a->log_fd, LOCK_UN);
}

/* ---- open and close ---- */

MdStatus sdc_audit_open(Sdc *sdc, const char *path, const char *user, MdError *err)
{
    SdcAudit *a = md_calloc(1, sizeof *a);
    if (!a)
        return md_error_set(err, MD_ERR_MEMORY, "out of memory creating the audit");
    a->log_fd = -1;
    a->sets.fd = -1;
    a->day_override = -1;
    a->count_day = -1;
    a->user = md_strdup(user && *user ? user : "local");
    sdc->audit = a;
    if (!a->user)
        return md_error_set(err, MD_ERR_MEMORY, "out of memory creating the audit");
    if (!path)
        return MD_OK;
    if (sdc_exposure_use_file(sdc, path, err) != MD_OK) /* sdc rule R15b */
        return err->status;
    a->path = md_strdup(path);
    a->sets.path = a->path;
    size_t len = strlen(path);
    char *sets = md_malloc(len + 6);
    if (!a->path || !sets) {
        md_free(sets);
        return md_error_set(err, MD_ERR_MEMORY, "out of memory creating the audit");
    }
    memcpy(sets, path, len);
    memcpy(sets + len, ".sets", 6);
    a->log_fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    a->sets.fd = a->log_fd >= 0 ? open(sets, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600)
                                : -1;
    md_free(sets);
    if (a->log_fd < 0 || a->sets.fd < 0) {
        md_error_set(err, MD_ERR_IO, "cannot open the audit log %s: %s", path,
                     strerror(errno));
        md_error_hint(err, "the directory of the audit log must exist and be writable");
        return MD_ERR_IO;
    }
    MdStatus status = lock_log(a, err);
    unlock_log(a);
    return status;
}

void sdc_audit_close(Sdc *sdc)
{
    sdc_exposure_close(sdc); /* sdc rule R15b */
    SdcAudit *a = sdc->audit;
    if (!a)
        return;
    if (a->log_fd >= 0)
        close(a->log_fd);
    sdc_sets_close(&a->sets);
    md_free(a->pops);
    md_free(a->path);
    md_free(a->user);
    md_free(a);
    sdc->audit = NULL;
}

void sdc_audit_set_day(Sdc *sdc, int32_t day)
{
    sdc->audit->day_override = day < 0 ? -1 : day;
}

/* ---- decisions ---- */

static const AuditPop *find_same(const SdcAudit *a, uint64_t fingerprint, int64_t n)
{
    for (size_t i = 0; i < a->n_pops; i++) {
        if (a->pops[i].fingerprint == fingerprint && a->pops[i].n == n)
            return &a->pops[i];
    }
    return NULL;
}

static MdStatus refuse_floor(MdError *err)
{
    md_error_set(err, MD_ERR_DISCLOSURE, "the population is smaller than the minimum that "
                 "output may be computed on (population-floor rule)");
    md_error_hint(err, "rule R1 in docs/disclosure.md: widen the selection (keep, drop, if)");
    return MD_ERR_DISCLOSURE;
}

static MdStatus refuse_difference(MdError *err)
{
    md_error_set(err, MD_ERR_DISCLOSURE, "the population differs from one released to you "
                 "earlier by only a few units (differencing rule)");
    md_error_hint(err, "rule R15 in docs/disclosure.md: outputs on nearly identical "
                  "populations could single out persons");
    return MD_ERR_DISCLOSURE;
}

MdStatus sdc_audit_population(Sdc *sdc, const SdcCell *population, const char *decision,
                              MdError *err)
{
    SdcAudit *a = sdc->audit;
    MdStatus status = lock_log(a, err);
    if (status == MD_OK)
        status = append_population(a, population->set_hash, population->n_units, -1,
                                   decision, err);
    unlock_log(a);
    return status;
}

/* sdc rule R15 without the units: an earlier, different population of nearly the same size
 * may differ by a few units, and nothing here can tell, so it counts as near. */
static bool near_by_size(const SdcAudit *a, int64_t n, int64_t min_d)
{
    for (size_t i = 0; i < a->n_pops; i++) {
        int64_t gap = a->pops[i].n > n ? a->pops[i].n - n : n - a->pops[i].n;
        if (gap < min_d)
            return true;
    }
    return false;
}

void sdc_audit_refusal(const Sdc *sdc, const char *event, const char *decision)
{
    if (sdc->trusted || !sdc->audit)
        return;
    SdcAudit *a = sdc->audit;
    MdError ignored;
    md_error_clear(&ignored);
    json_t *rest = json_pack("{s:s}", "decision", decision);
    if (rest && lock_log(a, &ignored) == MD_OK)
        (void)append_record(a, event, rest, &ignored);
    unlock_log(a);
    json_decref(rest);
}

MdStatus sdc_check_population(Sdc *sdc, const SdcCell *population, MdError *err)
{
    if (sdc->trusted)
        return MD_OK;
    SdcAudit *a = sdc->audit;
    uint64_t fingerprint = population->set_hash;
    int64_t n = population->n_units;
    bool low = n < sdc->config.min_population; /* sdc rule R1 */
    bool near = false;
    MdStatus status = lock_log(a, err);
    if (status == MD_OK) {
        const AuditPop *same = find_same(a, fingerprint, n);
        near = !low && !same && near_by_size(a, n, sdc->config.audit_min_difference);
        const char *decision = low ? "refused R1" : near ? "refused R15" : "released";
        status = append_population(a, fingerprint, n, same ? same->set_ref : -1, decision,
                                   err);
    }
    unlock_log(a);
    if (status != MD_OK)
        return status;
    return low ? refuse_floor(err) : near ? refuse_difference(err) : MD_OK;
}

/* The sorted hash list of a population (owned: md_free). */
static MdStatus population_hashes(const Sdc *sdc, const uint64_t *ids, int64_t n,
                                  uint32_t **out, MdError *err)
{
    size_t cells = (size_t)(n > 0 ? n : 1);
    uint32_t *h = md_malloc(cells * sizeof *h);
    uint32_t *tmp = md_malloc(cells * sizeof *tmp);
    uint32_t *count = md_malloc(65536 * sizeof *count);
    if (!h || !tmp || !count) {
        md_free(h);
        md_free(tmp);
        md_free(count);
        return md_error_set(err, MD_ERR_MEMORY, "out of memory in the audit");
    }
    for (int64_t i = 0; i < n; i++)
        h[i] = (uint32_t)(sdc_audit_unit_hash(sdc, ids[i]) >> 32);
    sdc_sort_u32(h, tmp, count, n);
    md_free(tmp);
    md_free(count);
    *out = h;
    return MD_OK;
}

/* sdc rule R15: is there an earlier release within audit_min_difference units? */
static MdStatus near_earlier(const SdcAudit *a, const uint32_t *h, int64_t n, int64_t min_d,
                             bool *near, MdError *err)
{
    *near = false;
    for (size_t i = 0; i < a->n_pops && !*near; i++) {
        const AuditPop *p = &a->pops[i];
        int64_t gap = p->n > n ? p->n - n : n - p->n;
        if (gap >= min_d)
            continue;
        if (p->set_ref < 0) { /* released without its units: assume the worst */
            *near = true;
            break;
        }
        uint32_t *other = NULL;
        int64_t n_other = 0;
        if (sdc_sets_load(&a->sets, p->set_ref, &other, &n_other, err) != MD_OK)
            return err->status;
        *near = sdc_symmetric_difference(h, n, other, n_other, min_d) < min_d;
        md_free(other);
    }
    return MD_OK;
}

static MdStatus check_units_locked(Sdc *sdc, const uint64_t *ids, int64_t n,
                                   uint64_t fingerprint, bool *refused, MdError *err)
{
    SdcAudit *a = sdc->audit;
    const AuditPop *same = find_same(a, fingerprint, n);
    if (same && same->set_ref >= 0)
        return append_population(a, fingerprint, n, same->set_ref, "released", err);
    uint32_t *h = NULL;
    if (population_hashes(sdc, ids, n, &h, err) != MD_OK)
        return err->status;
    bool near = false;
    int64_t ref = -1;
    MdStatus status = MD_OK;
    if (!same) /* released before without its units: only its list is missing */
        status = near_earlier(a, h, n, sdc->config.audit_min_difference, &near, err);
    if (status == MD_OK && !near) { /* sdc rule R15b: the population is charged */
        status = sdc_exposure_charge_population(sdc, ids, n, fingerprint, err);
        if (status == MD_ERR_DISCLOSURE) {
            md_free(h);
            MdError logged = *err;
            if (append_population(a, fingerprint, n, -1, "refused R15b flagged", err) != MD_OK)
                return err->status;
            *err = logged;
            return MD_ERR_DISCLOSURE;
        }
    }
    if (status == MD_OK && !near)
        status = sdc_sets_store(&a->sets, h, n, &ref, err);
    md_free(h);
    if (status != MD_OK)
        return status;
    *refused = near;
    return append_population(a, fingerprint, n, ref, near ? "refused R15" : "released", err);
}

MdStatus sdc_check_population_units(Sdc *sdc, const uint64_t *sorted_unit_ids, int64_t n,
                                    MdError *err)
{
    if (sdc->trusted)
        return MD_OK;
    if (n < 0 || (n > 0 && !sorted_unit_ids))
        return md_error_set(err, MD_ERR_INTERNAL, "population check without units");
    uint64_t fingerprint = 0;
    for (int64_t i = 0; i < n; i++) {
        if (i > 0 && sorted_unit_ids[i] <= sorted_unit_ids[i - 1])
            return md_error_set(err, MD_ERR_INTERNAL, "population units are not sorted and "
                                "distinct");
        fingerprint += sdc_set_hash_of(sorted_unit_ids[i]);
    }
    SdcAudit *a = sdc->audit;
    MdStatus status = lock_log(a, err);
    bool refused = false;
    if (status == MD_OK && n < sdc->config.min_population) { /* sdc rule R1 */
        status = append_population(a, fingerprint, n, -1, "refused R1", err);
        unlock_log(a);
        return status == MD_OK ? refuse_floor(err) : status;
    }
    if (status == MD_OK)
        status = check_units_locked(sdc, sorted_unit_ids, n, fingerprint, &refused, err);
    unlock_log(a);
    if (status != MD_OK)
        return status;
    return refused ? refuse_difference(err) : MD_OK;
}

/* A population released before together with its unit list needs no new list: the common
 * case of several outputs on one dataset. *done is true when it was recorded that way. */
static MdStatus check_known_population(Sdc *sdc, uint64_t fingerprint, int64_t n, bool *done,
                                       MdError *err)
{
    *done = false;
    if (n < sdc->config.min_population)
        return MD_OK;
    SdcAudit *a = sdc->audit;
    MdStatus status = lock_log(a, err);
    const AuditPop *same = status == MD_OK ? find_same(a, fingerprint, n) : NULL;
    if (same && same->set_ref >= 0) {
        status = append_population(a, fingerprint, n, same->set_ref, "released", err);
        *done = status == MD_OK;
    }
    unlock_log(a);
    return status;
}

MdStatus sdc_check_population_selection(Sdc *sdc, const SdcCell *population,
                                        const uint64_t *unit_ids, const uint8_t *mask,
                                        int64_t n_rows, MdError *err)
{
    if (sdc->trusted)
        return MD_OK;
    bool done = false;
    MdStatus known = check_known_population(sdc, population->set_hash, population->n_units,
                                            &done, err);
    if (known != MD_OK || done)
        return known;
    return sdc_check_population_rows(sdc, unit_ids, mask, n_rows, err);
}

MdStatus sdc_check_population_rows(Sdc *sdc, const uint64_t *unit_ids, const uint8_t *mask,
                                   int64_t n_rows, MdError *err)
{
    if (sdc->trusted)
        return MD_OK;
    if (n_rows < 0 || (n_rows > 0 && !unit_ids))
        return md_error_set(err, MD_ERR_INTERNAL, "population check without units");
    uint64_t *distinct = md_malloc((size_t)(n_rows > 0 ? n_rows : 1) * sizeof *distinct);
    if (!distinct)
        return md_error_set(err, MD_ERR_MEMORY, "out of memory in the audit");
    int64_t n = 0;
    for (int64_t i = 0; i < n_rows; i++) {
        if (mask && !mask[i])
            continue;
        if (n > 0 && unit_ids[i] < distinct[n - 1]) {
            md_free(distinct);
            return md_error_set(err, MD_ERR_INTERNAL, "dataset rows are not sorted by unit");
        }
        if (n == 0 || unit_ids[i] != distinct[n - 1])
            distinct[n++] = unit_ids[i];
    }
    MdStatus status = sdc_check_population_units(sdc, distinct, n, err);
    md_free(distinct);
    return status;
}

MdStatus sdc_count_output(Sdc *sdc, MdError *err)
{
    if (sdc->trusted)
        return MD_OK;
    SdcAudit *a = sdc->audit;
    MdStatus status = lock_log(a, err);
    int64_t limit = sdc->config.rate_limit_per_day;
    int64_t done = a->count_day == audit_today(a) ? a->count_on_day : 0;
    bool over = limit > 0 && done >= limit; /* sdc rule R15: rate limit */
    json_t *rest = json_pack("{s:s}", "decision", over ? "refused rate" : "counted");
    if (status == MD_OK)
        status = rest ? append_record(a, "output", rest, err)
                      : md_error_set(err, MD_ERR_MEMORY, "out of memory in the audit");
    json_decref(rest);
    unlock_log(a);
    if (status != MD_OK)
        return status;
    if (over) {
        md_error_set(err, MD_ERR_LIMIT, "you have reached the daily limit of output commands "
                     "(rate limit)");
        md_error_hint(err, "rule R15 in docs/disclosure.md: try again tomorrow, or ask an "
                      "operator");
        return MD_ERR_LIMIT;
    }
    return MD_OK;
}

/* ---- verification (G6) ---- */

MdStatus sdc_audit_verify(const char *path, MdError *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return md_error_set(err, MD_ERR_IO, "cannot open the audit log %s: %s", path,
                            strerror(errno));
    struct stat st;
    char *buf = NULL;
    MdStatus status = MD_OK;
    if (fstat(fd, &st) != 0 || !(buf = md_malloc((size_t)st.st_size + 1)) ||
        pread(fd, buf, (size_t)st.st_size, 0) != (ssize_t)st.st_size)
        status = md_error_set(err, MD_ERR_IO, "cannot read the audit log %s", path);
    close(fd);
    ChainState chain = {0, {0}};
    size_t pos = 0, size = status == MD_OK ? (size_t)st.st_size : 0;
    while (status == MD_OK && pos < size) {
        char *nl = memchr(buf + pos, '\n', size - pos);
        if (!nl) {
            status = damaged(err, path, chain.seq, "the last line is incomplete");
            break;
        }
        size_t len = (size_t)(nl - (buf + pos));
        json_t *obj = chain_line(&chain, buf + pos, len, path, err);
        if (!obj)
            status = MD_ERR_VALUE;
        json_decref(obj);
        pos += len + 1;
    }
    md_free(buf);
    return status;
}
