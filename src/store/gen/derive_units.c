/*
 * derive_units.c - variables of the unit types other than PERSON: jobs (A-ordningen:
 * owner, dates, position percentage, occupation, monthly pay), courses, vehicles, electricity
 * metering points, traffic accidents and the persons in them, hospital stays, all derived
 * from the person that owns the unit; and municipality (KOMMUNE) statistics that scale
 * with the size of the municipality. A unit has values only while it exists.
 */
#include "store/gen/gen_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

enum {
    U_GENERIC, U_OWNER, U_ORDINAL, U_START, U_STOP, U_PERCENT, U_HOURS, U_FULLTIME,
    U_OCCUPATION, U_FULLPART, U_MAIN, U_MARKET, U_OWNER_KOMMUNE, U_PAY, U_YYYYMM, U_AGE,
    U_SEX, U_ACCIDENT, U_SELF_ID, U_PAY_HOURS
};

static const struct {
    const char *name;
    int role;
} unit_rules[] = {
    {"ARBEIDSFORHOLD_PERSON", U_OWNER},     {"NUDB_KURS_FNR", U_OWNER},
    {"KJORETOY_KJORETOYID_FNR", U_OWNER},   {"ELHUB_PERS_MALEPUNKTID_FNR", U_OWNER},
    {"TRAFULYK_PERS_FNR", U_OWNER},         {"NUDB_KURS_LOEPENR", U_ORDINAL},
    {"ARBLONN_ARB_START", U_START},         {"ARBLONN_ARB_SLUTT", U_STOP},
    {"INNDATO", U_START},                   {"UTDATO", U_STOP},
    {"ARBLONN_ARB_STILLINGSPST", U_PERCENT}, {"ARBLONN_ARB_STILLINGSPST_INNRAPP", U_PERCENT},
    {"ARBLONN_ARB_ARBEIDSTID", U_HOURS},    {"ARBLONN_ARB_TIMEANT_FULLTID", U_FULLTIME},
    {"ARBLONN_ARB_TIMEANT_FULLTID_INNRAPP", U_FULLTIME},
    {"ARBLONN_ARB_YRKE_STYRK08", U_OCCUPATION}, {"ARBLONN_ARB_H3LDELTID", U_FULLPART},
    {"ARBLONN_ARB_HOVEDARBEID", U_MAIN},    {"ARBLONN_ARB_ARBMARK_STATUS", U_MARKET},
    {"ARBLONN_ARB_SYSS", U_MARKET},         {"ARBLONN_ARB_ARBKOMM", U_OWNER_KOMMUNE},
    {"ELHUB_PERS_MALEPUNKT_ADR_KOMMUNE", U_OWNER_KOMMUNE}, {"TRAFULYK_KOMMUNE", U_OWNER_KOMMUNE},
    {"NUDB_KURS_SKOLEKOM", U_OWNER_KOMMUNE}, {"ARBLONN_LONN_FAST", U_PAY},
    {"ARBLONN_LONN_FAST_INNRAPP", U_PAY},   {"ARBLONN_LONN_KONTANT_IMP", U_PAY},
    {"ARBLONN_LONN_KONTANT_INNRAPP", U_PAY}, {"ARBLONN_LONN_EKV_IALT", U_PAY},
    {"ARBLONN_LONN_EKV_FMLONN", U_PAY},     {"ARBLONN_LONN_TIME_ANTALL", U_PAY_HOURS},
    {"ARBLONN_LONN_TIME_ANTALL_INNRAPP", U_PAY_HOURS}, {"TRAFULYK_AARMND", U_YYYYMM},
    {"TRAFULYK_PERS_AARMND", U_YYYYMM},     {"TRAFULYK_PERS_ALDER", U_AGE},
    {"TRAFULYK_PERS_KJOENN", U_SEX},        {"TRAFULYK_PERS_TRAFULYK", U_ACCIDENT},
    {"AGGRSHOPPID", U_SELF_ID},
};

static bool store_number(const DeriveCtx *c, double x, int64_t *v)
{
    if (c->info->value_type == VALUE_DOUBLE) {
        memcpy(v, &x, sizeof(double));
    } else {
        *v = (int64_t)llround(x);
    }
    return true;
}

static bool unit_generic(const DeriveCtx *c, int64_t u, int32_t at, int64_t owner, int64_t *v)
{
    ValueType type = c->info->value_type;
    if (type == VALUE_STRING) {
        *v = gen_code_draw(c, gen_u01(c->seed, c->salt, (uint64_t)u, 5));
        return *v >= 0;
    }
    if (type == VALUE_DATE) {
        *v = at == DATE_NONE ? c->hi : at;
        return true;
    }
    double level = owner >= 0 ? exp(0.3 * c->p->ability[owner]) : 1.0;
    return store_number(c, gen_generic_number(c, (uint64_t)u, DATE_NONE, level), v);
}

/* The value of child unit u at date `at` (s0..s1 for periods). */
static bool unit_value(const DeriveCtx *c, int64_t u, int64_t owner, uint32_t ordinal,
                       int32_t start, int32_t stop, int32_t s0, int32_t s1, int64_t *v)
{
    const GenHistories *h = &c->st->h;
    int32_t at = s0 == DATE_NONE ? start : s0;
    GenJob job = {0};
    if (c->child == GEN_CHILD_JOBB) {
        gen_job_get(h, owner, ordinal, &job);
    }
    char code[16];
    int32_t y, m, d;
    switch (c->role) {
    case U_OWNER: *v = (int64_t)gen_person_id(owner); return true;
    case U_ORDINAL: *v = ordinal + 1; return true;
    case U_START: *v = start; return true;
    case U_STOP: *v = stop; return stop != DATE_OPEN;
    case U_PERCENT: return store_number(c, job.percent, v);
    case U_HOURS: return store_number(c, 37.5 * job.percent / 100.0, v);
    case U_FULLTIME: return store_number(c, 37.5, v);
    case U_PAY_HOURS: return store_number(c, 162.5 * job.percent / 100.0, v);
    case U_OCCUPATION:
        snprintf(code, sizeof(code), "%u", (unsigned)(job.occupation / 100));
        *v = gen_code_index(c, code, DATE_NONE);
        return *v >= 0;
    case U_FULLPART:
    case U_MARKET:
        *v = gen_code_index(c, job.percent >= 100.0f ? "1" : "2", DATE_NONE);
        return *v >= 0;
    case U_MAIN: *v = gen_code_index(c, ordinal == 0 || job.percent >= 50 ? "1" : "2", DATE_NONE);
        return *v >= 0;
    case U_OWNER_KOMMUNE: *v = gen_kommune_value(c, owner, at); return *v >= 0;
    case U_PAY: {
        double days = (double)((s1 < stop || stop == DATE_OPEN ? s1 : stop) -
                               (s0 > start ? s0 : start) + 1);
        double month = (double)(s1 - s0 + 1);
        double pay = gen_monthly_wage(h, owner, date_year(s0)) * job.percent / 100.0 *
                     (days / month);
        return store_number(c, floor(pay), v);
    }
    case U_YYYYMM: date_to_ymd(start, &y, &m, &d); *v = y * 100 + m; return true;
    case U_AGE: *v = gen_age_at(c->p, owner, start); return true;
    case U_SEX: *v = gen_code_index(c, c->p->sex[owner] == 1 ? "1" : "2", DATE_NONE);
        return *v >= 0;
    case U_ACCIDENT: {
        uint64_t n = c->p->child_first[GEN_CHILD_ULYKKE][c->p->n];
        if (n == 0) {
            return false;
        }
        uint64_t k = gen_hash4(c->seed, 0x61636364, (uint64_t)u, 0) % n;
        *v = (int64_t)gen_child_id(GEN_CHILD_ULYKKE, k);
        return true;
    }
    case U_SELF_ID: *v = (int64_t)gen_child_id(c->child, (uint64_t)u); return true;
    default: return unit_generic(c, u, s0, owner, v);
    }
}

static bool v_child(const DeriveCtx *c, int64_t u, int32_t s0, int32_t s1, int64_t *v)
{
    uint32_t ordinal = 0;
    int64_t owner = gen_child_owner(&c->st->h, c->child, (uint64_t)u, &ordinal);
    if (owner < 0) {
        return false;
    }
    int32_t start, stop;
    gen_child_span(&c->st->h, c->child, owner, ordinal, &start, &stop);
    if (s0 != DATE_NONE && (start > s1 || (stop != DATE_OPEN && stop < s0))) {
        return false;
    }
    return unit_value(c, u, owner, ordinal, start, stop, s0, s1, v);
}

static int s_child(const DeriveCtx *c, int64_t u, GenSpell *sp)
{
    uint32_t ordinal = 0;
    int64_t owner = gen_child_owner(&c->st->h, c->child, (uint64_t)u, &ordinal);
    if (owner < 0) {
        return 0;
    }
    int32_t start, stop;
    gen_child_span(&c->st->h, c->child, owner, ordinal, &start, &stop);
    if (start > c->hi || (stop != DATE_OPEN && stop < c->lo)) {
        return 0;
    }
    start = start < c->lo ? c->lo : start;
    if (!unit_value(c, u, owner, ordinal, start, stop, DATE_NONE, DATE_NONE, &sp[0].value)) {
        return 0;
    }
    sp[0].start = start;
    sp[0].stop = stop;
    return 1;
}

/* ==== KOMMUNE ============================================================================ */

static const CodeEntry *kommune_entry_at(const DeriveCtx *c, int64_t u, int32_t date)
{
    const GenPlaces *pl = &c->st->places;
    int32_t first = pl->unit_entry[u];
    for (int64_t k = first; k < pl->n_kommuner; k++) {
        const CodeEntry *e = &pl->kommuner[k];
        if (strcmp(e->code, pl->kommuner[first].code) != 0) {
            break;
        }
        if (date == DATE_NONE || gen_places_valid_at(e, date)) {
            return e;
        }
    }
    return NULL;
}

static bool v_kommune_unit(const DeriveCtx *c, int64_t u, int32_t s0, int32_t s1, int64_t *v)
{
    const CodeEntry *e = kommune_entry_at(c, u, s1 == DATE_NONE ? DATE_NONE : s1);
    if (e == NULL && s0 != DATE_NONE) {
        e = kommune_entry_at(c, u, s0);
    }
    if (e == NULL) {
        return false;
    }
    if (c->info->value_type == VALUE_STRING) {
        *v = gen_code_draw(c, gen_u01(c->seed, c->salt, (uint64_t)u, 5));
        return *v >= 0;
    }
    double size = gen_places_weight(e->label, e->code) * 5.5e6 / 1000.0;
    return store_number(c, gen_generic_number(c, (uint64_t)u, s0, size / 10.0), v);
}

void gen_rule_units(DeriveCtx *c)
{
    c->hint = gen_generic_hint(c);
    if (c->space == GEN_SPACE_KOMMUNE) {
        c->value = v_kommune_unit;
        return;
    }
    c->role = U_GENERIC;
    for (size_t k = 0; k < MD_ARRAY_LEN(unit_rules); k++) {
        if (strcmp(unit_rules[k].name, c->info->name) == 0) {
            c->role = unit_rules[k].role;
        }
    }
    if (c->role == U_GENERIC && c->info->value_type == VALUE_STRING &&
        gen_is_kommune_variable(c->info->name, VALUE_STRING, 0)) {
        c->role = U_OWNER_KOMMUNE;
    }
    if (c->info->temporality == TEMPORALITY_EVENT) {
        c->spells = s_child;
    } else {
        c->value = v_child;
    }
}
