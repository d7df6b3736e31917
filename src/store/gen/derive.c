/*
 * derive.c - answers a query for one synthetic variable: chooses the rule that derives it
 * (derive_person.c, derive_income.c, derive_units.c, derive_generic.c), walks the units in
 * id order (or the population given), and emits the rows the temporality asks for: one per
 * unit (FIXED), one per unit and status date (STATUS), one per unit and accumulation period
 * (ACCUMULATED), or the spells that meet the query (EVENT). Rows come out sorted by unit
 * id then start, exactly as a stored variable would return them.
 */
#include "store/gen/gen_int.h"

#include <stdlib.h>
#include <string.h>

static const char *const generic_dict[] = {"1", "2", "3", "4", "5"};

static bool derive_monthly(const VariableInfo *info);

/* ==== Units ============================================================================== */

static int64_t unit_count(const DeriveCtx *c)
{
    if (c->space == GEN_SPACE_PERSON) {
        return c->p->n;
    }
    if (c->space == GEN_SPACE_KOMMUNE) {
        return c->st->places.n_units;
    }
    return c->p->child_first[c->child][c->p->n];
}

static uint64_t unit_id(const DeriveCtx *c, int64_t u)
{
    if (c->space == GEN_SPACE_PERSON) {
        return gen_person_id(u);
    }
    if (c->space == GEN_SPACE_KOMMUNE) {
        return c->st->places.unit_ids[u];
    }
    return gen_child_id(c->child, (uint64_t)u);
}

static int64_t unit_from_id(const DeriveCtx *c, uint64_t id)
{
    if (c->space == GEN_SPACE_KOMMUNE) {
        const uint64_t *ids = c->st->places.unit_ids;
        int64_t lo = 0, hi = c->st->places.n_units;
        while (lo < hi) {
            int64_t mid = lo + (hi - lo) / 2;
            if (ids[mid] < id) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo < c->st->places.n_units && ids[lo] == id ? lo : -1;
    }
    uint64_t base = c->space == GEN_SPACE_PERSON ? GEN_PERSON_BASE : gen_child_id(c->child, 0);
    if (id < base || id - base >= (uint64_t)unit_count(c)) {
        return -1;
    }
    return (int64_t)(id - base);
}

/* ==== Dictionary and codes =============================================================== */

int64_t gen_code_index(const DeriveCtx *c, const char *code, int32_t date)
{
    int64_t lo = 0, hi = c->n_dict;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (strcmp(c->dict[mid], code) < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    int64_t found = -1;
    for (int64_t k = lo; k < c->n_dict && strcmp(c->dict[k], code) == 0; k++) {
        const CodeEntry *e = c->info->n_codes == c->n_dict ? &c->info->codes[k] : NULL;
        if (date == DATE_NONE || e == NULL || gen_places_valid_at(e, date)) {
            return k;
        }
        found = found < 0 ? k : found;
    }
    return date == DATE_NONE ? found : -1;
}

int64_t gen_code_draw(const DeriveCtx *c, double u)
{
    if (c->n_real == 0) {
        return c->n_dict > 0 ? (int64_t)(u * c->n_dict) : 0;
    }
    /* Zipf-like: rank k with weight 1/(k+1.5). */
    double x = u * c->zipf_total;
    for (int32_t k = 0; k < c->n_real; k++) {
        x -= 1.0 / (k + 1.5);
        if (x < 0) {
            return c->real[k];
        }
    }
    return c->real[c->n_real - 1];
}

int64_t gen_kommune_value(const DeriveCtx *c, int64_t person, int32_t date)
{
    const GenPlaces *pl = &c->st->places;
    int32_t now = gen_home_at(c->p, person, date);
    uint32_t bucket = (uint32_t)(gen_hash4(c->seed, 0x6275, (uint64_t)person, 0) & 3);
    int32_t k = gen_places_code_at(pl, now, bucket, date);
    return gen_code_index(c, pl->kommuner[k].code, date);
}

static MdStatus ctx_dictionary(DeriveCtx *c)
{
    const VariableInfo *info = c->info;
    if (info->value_type != VALUE_STRING) {
        return MD_OK;
    }
    if (info->n_codes == 0) {
        c->dict = generic_dict;
        c->n_dict = MD_ARRAY_LEN(generic_dict);
        return MD_OK;
    }
    const char **dict = md_malloc((size_t)info->n_codes * sizeof(char *));
    c->real = md_malloc((size_t)info->n_codes * sizeof(int32_t));
    if (dict == NULL || c->real == NULL) {
        md_free(dict);
        return MD_ERR_MEMORY;
    }
    for (int64_t k = 0; k < info->n_codes; k++) {
        dict[k] = info->codes[k].code;
        if (!info->codes[k].is_missing && !(k > 0 && strcmp(dict[k - 1], dict[k]) == 0)) {
            c->real[c->n_real++] = (int32_t)k;
        }
    }
    c->dict = dict;
    c->n_dict = (uint32_t)info->n_codes;
    for (int32_t k = 0; k < c->n_real; k++) {
        c->zipf_total += 1.0 / (k + 1.5);
    }
    return MD_OK;
}

static void ctx_free(DeriveCtx *c)
{
    if (c->info->value_type == VALUE_STRING && c->info->n_codes > 0) {
        md_free((void *)c->dict);
    }
    md_free(c->real);
}

static MdStatus ctx_init(DeriveCtx *c, const GenState *st, const VariableInfo *info)
{
    memset(c, 0, sizeof(*c));
    c->st = st;
    c->p = &st->h.p;
    c->info = info;
    c->seed = st->h.seed;
    c->salt = md_hash_bytes(info->name, strlen(info->name), 0x6d64617461ULL);
    gen_variable_window(info, &c->lo, &c->hi);
    c->space = GEN_SPACE_PERSON;
    if (strcmp(info->unit_type, "KOMMUNE") == 0) {
        c->space = GEN_SPACE_KOMMUNE;
    }
    for (int k = 0; k < GEN_CHILD_COUNT; k++) {
        if (strcmp(info->unit_type, gen_child_unit_type((GenChild)k)) == 0) {
            c->space = GEN_SPACE_CHILD;
            c->child = (GenChild)k;
        }
    }
    c->monthly = derive_monthly(info);
    c->kommune = gen_is_kommune_variable(info->name, info->value_type, 0);
    c->presence = 1.0;
    return ctx_dictionary(c);
}

/* ==== Emitting rows ====================================================================== */

typedef struct Emit {
    const DeriveCtx *c;
    GenRows *rows;
    const int32_t *starts, *stops; /* the slots: status dates or periods */
    int64_t n_slots;
    int32_t from, to;              /* EVENT: the query interval */
} Emit;

static MdStatus emit_value(GenRows *rows, ValueType type, uint64_t id, int32_t s, int32_t e,
                           int64_t v)
{
    (void)type;
    return gen_rows_push(rows, id, s, e, v);
}

static MdStatus emit_unit(const Emit *em, int64_t u)
{
    const DeriveCtx *c = em->c;
    uint64_t id = unit_id(c, u);
    int64_t v;
    if (c->info->temporality == TEMPORALITY_EVENT) {
        GenSpell sp[GEN_MAX_SPELLS];
        int n = c->spells(c, u, sp);
        for (int k = 0; k < n; k++) {
            bool meets = sp[k].start <= em->to &&
                         (sp[k].stop == DATE_OPEN || sp[k].stop >= em->from);
            if (meets && emit_value(em->rows, c->info->value_type, id, sp[k].start, sp[k].stop,
                                    sp[k].value) != MD_OK) {
                return MD_ERR_MEMORY;
            }
        }
        return MD_OK;
    }
    if (c->info->temporality == TEMPORALITY_FIXED) {
        if (c->value(c, u, DATE_NONE, DATE_NONE, &v)) {
            return emit_value(em->rows, c->info->value_type, id, DATE_NONE, c->hi, v);
        }
        return MD_OK;
    }
    for (int64_t k = 0; k < em->n_slots; k++) {
        if (c->value(c, u, em->starts[k], em->stops[k], &v) &&
            emit_value(em->rows, c->info->value_type, id, em->starts[k], em->stops[k], v) !=
                MD_OK) {
            return MD_ERR_MEMORY;
        }
    }
    return MD_OK;
}

static MdStatus emit_all(const Emit *em, const Population *population)
{
    if (population != NULL) {
        for (int64_t k = 0; k < population->n; k++) {
            int64_t u = unit_from_id(em->c, population->unit_ids[k]);
            if (u >= 0 && emit_unit(em, u) != MD_OK) {
                return MD_ERR_MEMORY;
            }
        }
        return MD_OK;
    }
    int64_t n = unit_count(em->c);
    for (int64_t u = 0; u < n; u++) {
        if (emit_unit(em, u) != MD_OK) {
            return MD_ERR_MEMORY;
        }
    }
    return MD_OK;
}

/* ==== Slots: status dates and accumulation periods ===================================== */

static MdStatus status_slots(const DeriveCtx *c, QueryKind kind, int32_t from, int32_t to,
                             Emit *em, MdError *err)
{
    const VariableInfo *info = c->info;
    int64_t first = 0, last = info->n_status_dates;
    if (kind == QUERY_AT) {
        int64_t k = 0;
        while (k < info->n_status_dates && info->status_dates[k] < from) {
            k++;
        }
        if (k == info->n_status_dates || info->status_dates[k] != from) {
            char near[2][16] = {"none", "none"};
            if (k > 0) {
                date_format_iso(info->status_dates[k - 1], near[0]);
            }
            if (k < info->n_status_dates) {
                date_format_iso(info->status_dates[k], near[1]);
            }
            md_error_set(err, MD_ERR_VALUE, "%s is a STATUS variable and the date is not one of "
                         "its status dates; the nearest are %s and %s", info->name, near[0],
                         near[1]);
            return err->status;
        }
        first = k, last = k + 1;
    } else if (kind == QUERY_PERIOD) {
        while (first < last && info->status_dates[first] < from) {
            first++;
        }
        while (last > first && info->status_dates[last - 1] > to) {
            last--;
        }
    }
    em->starts = info->status_dates + first;
    em->stops = info->status_dates + first;
    em->n_slots = last - first;
    return MD_OK;
}

static bool derive_monthly(const VariableInfo *info)
{
    return strncmp(info->name, "ARBLONN_LONN", 12) == 0 || strcmp(info->unit_type, "JOBB") == 0;
}

int64_t gen_periods(const VariableInfo *info, int32_t from, int32_t to, int32_t **slots_out)
{
    int32_t lo, hi, y, m, d;
    gen_variable_window(info, &lo, &hi);
    bool monthly = derive_monthly(info);
    date_to_ymd(lo, &y, &m, &d);
    int64_t cap = (hi - lo) / 28 + 2;
    int32_t *slots = md_malloc((size_t)cap * 2 * sizeof(int32_t));
    if (slots == NULL) {
        return -1;
    }
    int64_t n = 0;
    for (int32_t k = 0;; k++) {
        int32_t s, e;
        if (monthly) {
            int32_t mm = m - 1 + k;
            s = k == 0 ? lo : date_from_ymd(y + mm / 12, mm % 12 + 1, 1);
            e = date_from_ymd(y + (mm + 1) / 12, (mm + 1) % 12 + 1, 1) - 1;
        } else {
            s = date_from_ymd(y + k, m, d > 28 ? 28 : d);
            e = date_from_ymd(y + k + 1, m, d > 28 ? 28 : d) - 1;
        }
        if (s > hi || n >= cap) {
            break;
        }
        e = e > hi ? hi : e;
        if (e > s && s <= to && e >= from) {
            slots[n] = s;
            slots[cap + n] = e;
            n++;
        }
    }
    memmove(slots + n, slots + cap, (size_t)n * sizeof(int32_t));
    *slots_out = slots;
    return n;
}

/* The accumulation periods that meet [from, to]; owned array in *buf. */
static MdStatus accumulated_slots(const DeriveCtx *c, int32_t from, int32_t to, Emit *em,
                                  int32_t **buf)
{
    int64_t n = gen_periods(c->info, from, to, buf);
    if (n < 0) {
        return MD_ERR_MEMORY;
    }
    em->starts = *buf;
    em->stops = *buf + n;
    em->n_slots = n;
    return MD_OK;
}

static void derive_choose_rule(DeriveCtx *c)
{
    if (c->space != GEN_SPACE_PERSON) {
        gen_rule_units(c);
    } else if (!gen_rule_income(c)) {
        gen_rule_person(c);
    }
    if (c->value == NULL && c->spells == NULL) {
        gen_rule_generic(c);
    }
}

static MdStatus derive_emit(DeriveCtx *c, QueryKind kind, int32_t from, int32_t to,
                            const Population *population, GenRows *rows, MdError *err)
{
    Emit em = {.c = c, .rows = rows, .from = INT32_MIN + 1, .to = INT32_MAX - 1};
    int32_t *buf = NULL;
    MdStatus st = MD_OK;
    Temporality t = c->info->temporality;
    if (t == TEMPORALITY_FIXED && kind != QUERY_FIXED) {
        md_error_set(err, MD_ERR_VALUE, "%s is a FIXED variable and takes no date",
                     c->info->name);
        return err->status;
    }
    if (kind == QUERY_AT) {
        to = from;
    }
    if (kind == QUERY_FIXED) {
        from = INT32_MIN + 1, to = INT32_MAX - 1;
    }
    if (t == TEMPORALITY_STATUS) {
        st = status_slots(c, kind, from, to, &em, err);
    } else if (t == TEMPORALITY_ACCUMULATED) {
        st = accumulated_slots(c, from, to, &em, &buf);
    } else if (t == TEMPORALITY_EVENT) {
        em.from = from, em.to = to;
    }
    if (st == MD_OK) {
        st = emit_all(&em, population);
    }
    md_free(buf);
    if (st != MD_OK) {
        return md_error_set(err, st, "cannot derive %s: %s", c->info->name,
                            st == MD_ERR_MEMORY ? "out of memory" : md_status_name(st));
    }
    return MD_OK;
}

MdStatus gen_derive_query(const GenState *st, const VariableInfo *info, QueryKind kind,
                          int32_t from, int32_t to, const Population *population,
                          Spells *out, MdError *err)
{
    DeriveCtx c;
    if (ctx_init(&c, st, info) != MD_OK) {
        ctx_free(&c);
        return md_error_set(err, MD_ERR_MEMORY, "out of memory deriving %s", info->name);
    }
    derive_choose_rule(&c);
    GenRows rows;
    gen_rows_init(&rows, info->value_type);
    MdStatus status = derive_emit(&c, kind, from, to, population, &rows, err);
    if (status == MD_OK) {
        status = gen_rows_to_spells(&rows, info->value_type == VALUE_STRING ? c.dict : NULL,
                                    info->value_type == VALUE_STRING ? c.n_dict : 0, out, err);
    }
    gen_rows_free(&rows);
    ctx_free(&c);
    return status;
}
