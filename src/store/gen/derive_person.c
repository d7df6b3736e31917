/*
 * derive_person.c - the person variables researchers use most, derived from the life
 * histories: sex, birth, death, country of birth, immigration, parents and grandparents,
 * register status, municipality of residence, family and household numbers, spouse and
 * cohabitant, family type, civil status spells and education spells (NUS codes).
 */
#include "store/gen/gen_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int64_t yyyymmdd(int32_t date)
{
    int32_t y, m, d;
    date_to_ymd(date, &y, &m, &d);
    return (int64_t)y * 10000 + m * 100 + d;
}

static bool v_sex(const DeriveCtx *c, int64_t i, int32_t s0, int32_t s1, int64_t *v)
{
    (void)s0, (void)s1;
    *v = gen_code_index(c, c->p->sex[i] == 1 ? "1" : "2", DATE_NONE);
    return *v >= 0;
}

static bool v_birth_ym(const DeriveCtx *c, int64_t i, int32_t s0, int32_t s1, int64_t *v)
{
    (void)s0, (void)s1;
    *v = yyyymmdd(c->p->birth[i]) / 100;
    return true;
}

static bool v_death(const DeriveCtx *c, int64_t i, int32_t s0, int32_t s1, int64_t *v)
{
    (void)s0, (void)s1;
    if (c->p->death[i] == DATE_OPEN) {
        return false;
    }
    *v = yyyymmdd(c->p->death[i]);
    return true;
}

static bool v_country(const DeriveCtx *c, int64_t i, int32_t s0, int32_t s1, int64_t *v)
{
    (void)s0, (void)s1;
    char code[8];
    snprintf(code, sizeof(code), "%03u", (unsigned)c->p->country[i]);
    *v = gen_code_index(c, code, DATE_NONE);
    return *v >= 0;
}

static bool is_immigrant(const GenPersons *p, int64_t i)
{
    return i >= 0 && (p->flags[i] & GEN_F_IMMIGRANT) != 0;
}

static bool v_invkat(const DeriveCtx *c, int64_t i, int32_t s0, int32_t s1, int64_t *v)
{
    (void)s0, (void)s1;
    const GenPersons *p = c->p;
    int foreign = is_immigrant(p, p->mother[i]) + is_immigrant(p, p->father[i]);
    const char *code = is_immigrant(p, i) ? "B" : foreign == 2 ? "C" : foreign == 1 ? "F" : "A";
    *v = gen_code_index(c, code, DATE_NONE);
    return *v >= 0;
}

static bool v_innalder(const DeriveCtx *c, int64_t i, int32_t s0, int32_t s1, int64_t *v)
{
    (void)s0, (void)s1;
    if (!is_immigrant(c->p, i)) {
        return false;
    }
    *v = gen_age_at(c->p, i, c->p->arrival[i]);
    return true;
}

static bool v_forstdato(const DeriveCtx *c, int64_t i, int32_t s0, int32_t s1, int64_t *v)
{
    (void)s0, (void)s1;
    if (!is_immigrant(c->p, i)) {
        return false;
    }
    *v = yyyymmdd(c->p->arrival[i]);
    return true;
}

static bool v_parity(const DeriveCtx *c, int64_t i, int32_t s0, int32_t s1, int64_t *v)
{
    (void)s0, (void)s1;
    if (c->p->sex[i] != 2 || gen_age_at(c->p, i, date_from_ymd(2024, 1, 1)) < 15) {
        return false;
    }
    *v = c->p->parity[i];
    return true;
}

static bool v_birth_kommune(const DeriveCtx *c, int64_t i, int32_t s0, int32_t s1, int64_t *v)
{
    (void)s0, (void)s1;
    if (is_immigrant(c->p, i)) {
        return false;
    }
    int32_t at = c->p->birth[i] < date_from_ymd(1988, 1, 1) ? date_from_ymd(1988, 1, 1)
                                                            : c->p->birth[i];
    *v = gen_kommune_value(c, i, at);
    return *v >= 0;
}

/* Pointers to relatives: role 1 mother, 2 father, 3..6 grandparents. */
static int64_t relative(const GenPersons *p, int64_t i, int role)
{
    switch (role) {
    case 1: return p->mother[i];
    case 2: return p->father[i];
    case 3: return p->mother[i] >= 0 ? p->mother[p->mother[i]] : -1;
    case 4: return p->mother[i] >= 0 ? p->father[p->mother[i]] : -1;
    case 5: return p->father[i] >= 0 ? p->mother[p->father[i]] : -1;
    case 6: return p->father[i] >= 0 ? p->father[p->father[i]] : -1;
    default: return -1;
    }
}

static bool v_relative(const DeriveCtx *c, int64_t i, int32_t s0, int32_t s1, int64_t *v)
{
    (void)s0, (void)s1;
    int64_t r = relative(c->p, i, c->role);
    if (r < 0) {
        return false;
    }
    *v = (int64_t)gen_person_id(r);
    return true;
}

/* A sibling: another child of the same mother (the one born just before, else after). */
static bool v_sibling(const DeriveCtx *c, int64_t i, int32_t s0, int32_t s1, int64_t *v)
{
    (void)s0, (void)s1;
    if (c->st->sibling == NULL || c->st->sibling[i] < 0) {
        return false;
    }
    *v = (int64_t)gen_person_id(c->st->sibling[i]);
    return true;
}

static bool v_statuskode(const DeriveCtx *c, int64_t i, int32_t s0, int32_t s1, int64_t *v)
{
    (void)s1;
    const GenPersons *p = c->p;
    if (p->birth[i] > s0 || p->arrival[i] > s0) {
        return false;
    }
    const char *code = !gen_exists_at(p, i, s0) ? "5" : gen_resident_at(p, i, s0) ? "1" : "3";
    *v = gen_code_index(c, code, DATE_NONE);
    return *v >= 0;
}

static bool v_kommune(const DeriveCtx *c, int64_t i, int32_t s0, int32_t s1, int64_t *v)
{
    (void)s1;
    if (!gen_resident_at(c->p, i, s0)) {
        return false;
    }
    *v = gen_kommune_value(c, i, s0);
    return *v >= 0;
}

static bool v_family(const DeriveCtx *c, int64_t i, int32_t s0, int32_t s1, int64_t *v)
{
    (void)s1;
    if (!gen_resident_at(c->p, i, s0)) {
        return false;
    }
    *v = (int64_t)gen_person_id(gen_family_at(c->p, i, s0));
    return true;
}

/* role 1: spouse (married), role 2: cohabitant. */
static bool v_partner(const DeriveCtx *c, int64_t i, int32_t s0, int32_t s1, int64_t *v)
{
    (void)s1;
    bool married;
    if (!gen_resident_at(c->p, i, s0)) {
        return false;
    }
    int32_t q = gen_partner_at(c->p, i, s0, &married);
    if (q < 0 || married != (c->role == 1)) {
        return false;
    }
    *v = (int64_t)gen_person_id(q);
    return true;
}

/* The youngest of a family: a child is itself; an adult the younger of the couple. */
static bool v_youngest(const DeriveCtx *c, int64_t i, int32_t s0, int32_t s1, int64_t *v)
{
    (void)s1;
    if (!gen_resident_at(c->p, i, s0)) {
        return false;
    }
    bool married;
    int32_t q = gen_partner_at(c->p, i, s0, &married);
    int64_t young = q >= 0 && q > i && gen_resident_at(c->p, q, s0) ? q : i;
    *v = (int64_t)gen_person_id(young);
    return true;
}

static bool v_famtype(const DeriveCtx *c, int64_t i, int32_t s0, int32_t s1, int64_t *v)
{
    (void)s1;
    const GenPersons *p = c->p;
    if (!gen_resident_at(p, i, s0)) {
        return false;
    }
    int64_t head = gen_family_at(p, i, s0);
    bool married;
    int32_t q = gen_partner_at(p, head, s0, &married);
    int32_t age = gen_age_at(p, head, s0);
    int band = age < 30 ? 1 : age < 45 ? 2 : age < 67 ? 3 : 4;
    bool kids = gen_age_at(p, i, s0) < 18 || (p->parity[head] > 0 && age < 50);
    char code[8];
    if (q >= 0 && gen_resident_at(p, q, s0)) {
        if (kids) {
            snprintf(code, sizeof(code), "2.%d.%d", age < 35 ? 1 : 2, married ? 1 : 2);
        } else {
            snprintf(code, sizeof(code), "3.1.%d", band + (married ? 0 : 4));
        }
    } else if (kids && head != i) {
        snprintf(code, sizeof(code), "2.%d.%d", age < 35 ? 3 : 4, p->sex[head] == 2 ? 1 : 2);
    } else {
        snprintf(code, sizeof(code), "1.1.%d", band);
    }
    *v = gen_code_index(c, code, DATE_NONE);
    return *v >= 0;
}

/* ==== Spells ============================================================================= */

static int clip_spells(const DeriveCtx *c, GenSpell *sp, int n)
{
    int m = 0;
    for (int k = 0; k < n; k++) {
        if (sp[k].stop != DATE_OPEN && sp[k].stop < c->lo) {
            continue;
        }
        if (sp[k].start > c->hi || sp[k].value < 0) {
            continue;
        }
        sp[m] = sp[k];
        sp[m].start = sp[m].start < c->lo ? c->lo : sp[m].start;
        if (sp[m].stop != DATE_OPEN && sp[m].stop < sp[m].start) {
            continue;
        }
        m++;
    }
    return m;
}

static int32_t last_day(const GenPersons *p, int64_t i)
{
    return p->death[i] == DATE_OPEN ? DATE_OPEN : p->death[i] - 1;
}

static int add_spell(GenSpell *sp, int n, int32_t start, int32_t stop, int64_t value)
{
    if (n < GEN_MAX_SPELLS && (stop == DATE_OPEN || stop >= start)) {
        sp[n].start = start;
        sp[n].stop = stop;
        sp[n].value = value;
        n++;
    }
    return n;
}

/* Civil status: 1 unmarried, 2 married, then 4 divorced or 3 widowed. */
static int s_sivstand(const DeriveCtx *c, int64_t i, GenSpell *sp)
{
    const GenPersons *p = c->p;
    int32_t end = last_day(p, i), start = p->birth[i];
    int64_t ugift = gen_code_index(c, "1", DATE_NONE);
    int n = 0;
    if (p->partner[i] < 0 || (p->flags[i] & GEN_F_MARRIED) == 0 ||
        (end != DATE_OPEN && p->union_start[i] > end)) {
        n = add_spell(sp, n, start, end, ugift);
        return clip_spells(c, sp, n);
    }
    int32_t wed = p->union_start[i];
    int32_t q_end = last_day(p, p->partner[i]);
    n = add_spell(sp, n, start, wed - 1, ugift);
    int32_t split = p->union_end[i];
    const char *after = "4";
    if (q_end != DATE_OPEN && (split == DATE_OPEN || q_end + 1 < split)) {
        split = q_end + 1;
        after = "3";
    }
    if (split != DATE_OPEN && (end == DATE_OPEN || split <= end)) {
        n = add_spell(sp, n, wed, split - 1, gen_code_index(c, "2", DATE_NONE));
        n = add_spell(sp, n, split, end, gen_code_index(c, after, DATE_NONE));
    } else {
        n = add_spell(sp, n, wed, end, gen_code_index(c, "2", DATE_NONE));
    }
    return clip_spells(c, sp, n);
}

/* The NUS code of person i at level (stable per person and level). */
static int64_t nus_code(const DeriveCtx *c, int64_t i, int level)
{
    int64_t first = -1, count = 0;
    for (uint32_t k = 0; k < c->n_dict; k++) {
        if (c->dict[k][0] == (char)('0' + level)) {
            first = first < 0 ? k : first;
            count++;
        }
    }
    if (count == 0) {
        return -1;
    }
    if (level == 0) {
        return first;
    }
    return first + (int64_t)(gen_hash4(c->seed, c->salt, (uint64_t)i, (uint64_t)level) %
                             (uint64_t)count);
}

/* Education: a spell per level attained, from age 6. */
static int s_education(const DeriveCtx *c, int64_t i, GenSpell *sp)
{
    const GenPersons *p = c->p;
    int32_t end = last_day(p, i);
    int n = 0, level = -1;
    int32_t start = 0;
    int32_t from = date_from_ymd(date_year(p->birth[i]) + 6, 8, 1);
    for (int32_t y = date_year(from); y <= 2025; y++) {
        int32_t d = date_from_ymd(y, 8, 1);
        if (end != DATE_OPEN && d > end) {
            break;
        }
        int now = gen_edu_at(p, i, d);
        if (now != level) {
            if (level >= 0) {
                n = add_spell(sp, n, start, d - 1, nus_code(c, i, level));
            }
            level = now;
            start = d;
        }
    }
    if (level >= 0) {
        n = add_spell(sp, n, start, end, nus_code(c, i, level));
    }
    return clip_spells(c, sp, n);
}

static int compare_day(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

/* Residence spells: split exactly at moves, emigration, return and code reforms. */
static int s_residence(const DeriveCtx *c, int64_t i, GenSpell *sp)
{
    const GenPersons *p = c->p;
    const GenPlaces *pl = &c->st->places;
    int32_t points[96];
    int np = 0;
    /* hi + 1 closes the last spell at the end of the coverage, where codes may change. */
    int32_t own[] = {c->lo, p->arrival[i], p->move_date[i], p->emig[i], p->ret[i], c->hi + 1};
    for (size_t k = 0; k < MD_ARRAY_LEN(own); k++) {
        if (own[k] != DATE_OPEN && own[k] >= c->lo && own[k] <= c->hi + 1) {
            points[np++] = own[k];
        }
    }
    for (int32_t e = 0; e < pl->n_eras && np < 96; e++) {
        if (pl->era_start[e] > c->lo && pl->era_start[e] <= c->hi) {
            points[np++] = pl->era_start[e];
        }
    }
    qsort(points, (size_t)np, sizeof(int32_t), compare_day);
    int32_t end = last_day(p, i);
    int n = 0;
    int64_t cur = -1;
    int32_t start = 0;
    for (int k = 0; k < np; k++) {
        int32_t d = points[k];
        if ((k > 0 && d == points[k - 1]) || (end != DATE_OPEN && d > end)) {
            continue;
        }
        int64_t v = gen_resident_at(p, i, d) ? gen_kommune_value(c, i, d) : -1;
        if (v != cur) {
            if (cur >= 0) {
                n = add_spell(sp, n, start, d - 1, cur);
            }
            cur = v;
            start = d;
        }
    }
    if (cur >= 0) {
        n = add_spell(sp, n, start, end, cur);
    }
    return clip_spells(c, sp, n);
}

/* ==== Rule table ========================================================================= */

static const struct {
    const char *name;
    GenValueFn value;
    GenSpellsFn spells;
    int role;
} person_rules[] = {
    {"BEFOLKNING_KJOENN", v_sex, NULL, 0},
    {"ARBEIDSSOKER_KJOENN", v_sex, NULL, 0},
    {"BEFOLKNING_FOEDSELS_AAR_MND", v_birth_ym, NULL, 0},
    {"BEFOLKNING_DOEDS_DATO", v_death, NULL, 0},
    {"BEFOLKNING_FODELAND", v_country, NULL, 0},
    {"BEFOLKNING_INVKAT", v_invkat, NULL, 0},
    {"BEFOLKNING_INNALDER", v_innalder, NULL, 0},
    {"BEFOLKNING_FORSTDATO", v_forstdato, NULL, 0},
    {"BEFOLKNING_PARITET", v_parity, NULL, 0},
    {"BEFOLKNING_FOEDEKOMMNR", v_birth_kommune, NULL, 0},
    {"BEFOLKNING_MOR_FNR", v_relative, NULL, 1},
    {"BEFOLKNING_FAR_FNR", v_relative, NULL, 2},
    {"BEFOLKNING_MORMOR_FNR", v_relative, NULL, 3},
    {"BEFOLKNING_MORFAR_FNR", v_relative, NULL, 4},
    {"BEFOLKNING_FARMOR_FNR", v_relative, NULL, 5},
    {"BEFOLKNING_FARFAR_FNR", v_relative, NULL, 6},
    {"BEFOLKNING_SOESKEN_FNR", v_sibling, NULL, 0},
    {"BEFOLKNING_STATUSKODE", v_statuskode, NULL, 0},
    {"BEFOLKNING_REGSTAT_FAMNR", v_family, NULL, 0},
    {"BEFOLKNING_ELDST_I_REGSTAT_FAMNR", v_family, NULL, 0},
    {"BEFOLKNING_HUSHNR", v_family, NULL, 0},
    {"BEFOLKNING_YNGST_I_REGSTAT_FAMNR", v_youngest, NULL, 0},
    {"INNTEKT_HUSHNR", v_family, NULL, 0},
    {"BEFOLKNING_EKT_FNR", v_partner, NULL, 1},
    {"BEFOLKNING_SAMB_FNR", v_partner, NULL, 2},
    {"BEFOLKNING_REGSTAT_FAMTYP", v_famtype, NULL, 0},
    {"SIVSTANDFDT_SIVSTAND", NULL, s_sivstand, 0},
    {"NUDB_BU", NULL, s_education, 0},
    {"BOSATTEFDT_BOSTED", NULL, s_residence, 0},
};

void gen_rule_person(DeriveCtx *c)
{
    const char *name = c->info->name;
    for (size_t k = 0; k < MD_ARRAY_LEN(person_rules); k++) {
        if (strcmp(person_rules[k].name, name) != 0) {
            continue;
        }
        bool event = c->info->temporality == TEMPORALITY_EVENT;
        if ((person_rules[k].spells != NULL) == event) {
            c->value = person_rules[k].value;
            c->spells = person_rules[k].spells;
            c->role = person_rules[k].role;
        }
        return;
    }
    /* Any other municipality of residence (status): the residence code. */
    if (c->info->temporality == TEMPORALITY_STATUS &&
        gen_is_kommune_variable(name, c->info->value_type, 0) && c->info->n_codes > 0) {
        c->value = v_kommune;
    }
}
