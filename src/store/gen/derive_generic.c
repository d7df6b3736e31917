/*
 * derive_generic.c - the long tail of the catalogue: person variables without a rule of
 * their own. A value is drawn from hash(seed, variable, person, period) and conditioned on
 * the history: only persons resident at the date (or in the period) and eligible by age,
 * work or benefit status have a value; codes are drawn from the code list (skewed, stable
 * over five-year epochs); amounts scale with the person's earnings level; municipalities
 * follow the residence. EVENT variables get one or two spells inside residence.
 */
#include "store/gen/gen_int.h"

#include <math.h>
#include <string.h>

/* Eligibility tags (bits of role). */
#define TAG_PENSION 1
#define TAG_DISABLED 2
#define TAG_YOUNG 4
#define TAG_STUDENT 8
#define TAG_WORK 16
#define TAG_ALL 32     /* everyone resident (register variables) */
#define TAG_AMOUNT 64  /* value is an amount of money */
#define TAG_ZERO 128   /* income-like: every resident adult has a row, most are zero */

static bool has(const char *name, const char *part) { return strstr(name, part) != NULL; }

static int generic_tags(const char *name)
{
    int t = 0;
    if (has(name, "ALDP") || has(name, "PENSJ") || has(name, "AFP")) {
        t |= TAG_PENSION;
    }
    if (has(name, "UFOER") || has(name, "UFOR") || has(name, "ARBAVKLAR") || has(name, "REHAB")) {
        t |= TAG_DISABLED;
    }
    if (has(name, "BARNEVERN") || has(name, "GRUNNSKOLE") || has(name, "BARN_")) {
        t |= TAG_YOUNG;
    }
    if (has(name, "LAANEKASSEN") || has(name, "STUDIE") || strncmp(name, "NUDB_", 5) == 0) {
        t |= TAG_STUDENT;
    }
    if (strncmp(name, "ARBSTATUS", 9) == 0 || strncmp(name, "REGSYS", 6) == 0 ||
        strncmp(name, "ARBLONN", 7) == 0 || has(name, "SYKEFRAV")) {
        t |= TAG_WORK;
    }
    if (strncmp(name, "BEFOLKNING", 10) == 0 || strncmp(name, "VALG", 4) == 0) {
        t |= TAG_ALL;
    }
    if (strncmp(name, "INNTEKT_", 8) == 0 || strncmp(name, "SKATT_", 6) == 0) {
        t |= TAG_ZERO | TAG_AMOUNT;
    }
    static const char *const money[] = {"BELOP", "BEL", "KR", "LONN", "STOTTE", "INNT", "UTG",
                                        "FORMUE", "GJELD", "TRYGD", "STIPEND", "LAAN", "SUM"};
    for (size_t k = 0; k < MD_ARRAY_LEN(money); k++) {
        t |= has(name, money[k]) ? TAG_AMOUNT : 0;
    }
    return t;
}

static bool generic_eligible(const DeriveCtx *c, int64_t i, int32_t at)
{
    const GenPersons *p = c->p;
    int32_t age = gen_age_at(p, i, at);
    int t = c->role;
    if ((t & TAG_PENSION) && age < 62) {
        return false;
    }
    if ((t & TAG_DISABLED) && ((p->flags[i] & GEN_F_DISABLED) == 0 || age < 18 || age > 67)) {
        return false;
    }
    if ((t & TAG_YOUNG) && age > 22) {
        return false;
    }
    if ((t & TAG_STUDENT) && !(t & TAG_YOUNG) && (age < 15 || age > 45)) {
        return false;
    }
    if ((t & TAG_WORK) && gen_work_months(&c->st->h, i, date_year(at)) <= 0) {
        return false;
    }
    return (t & (TAG_ALL | TAG_YOUNG)) != 0 || age >= 16;
}

enum { HINT_NONE, HINT_FORMAT, HINT_AGE, HINT_SHARE, HINT_COUNT, HINT_YEAR, HINT_AMOUNT,
       HINT_SMALL };

/* The kind of number a name suggests (computed once per query). */
int gen_generic_hint(const DeriveCtx *c)
{
    const char *name = c->info->name;
    if (c->info->format != NULL) {
        return HINT_FORMAT;
    }
    if (has(name, "ALDER")) {
        return HINT_AGE;
    }
    if (has(name, "PROS") || has(name, "PST") || has(name, "ANDEL") || has(name, "GRAD")) {
        return HINT_SHARE;
    }
    if (has(name, "ANT") || has(name, "DAG") || has(name, "TIMER") || has(name, "POENG")) {
        return HINT_COUNT;
    }
    if (has(name, "AAR") || has(name, "_AR")) {
        return HINT_YEAR;
    }
    if ((generic_tags(name) & TAG_AMOUNT) || c->space == GEN_SPACE_KOMMUNE) {
        return HINT_AMOUNT;
    }
    return HINT_SMALL;
}

double gen_generic_number(const DeriveCtx *c, uint64_t key, int32_t date, double level)
{
    double u = gen_u01(c->seed, c->salt, key, (uint64_t)date);
    double stable = gen_u01(c->seed, c->salt, key, 0);
    int hint = c->hint == HINT_NONE ? gen_generic_hint(c) : c->hint;
    if (hint == HINT_FORMAT) {
        int32_t d = (date == DATE_NONE ? date_from_ymd(2024, 1, 1) : date) -
                    (int32_t)(u * 3650);
        int32_t y, m, dd;
        date_to_ymd(d, &y, &m, &dd);
        return strcmp(c->info->format, "YYYYMM") == 0 ? y * 100 + m : y * 10000 + m * 100 + dd;
    }
    if (hint == HINT_AGE) {
        return floor(18 + 60 * stable);
    }
    if (hint == HINT_SHARE) {
        return floor(1000 * (0.1 + 0.9 * u)) / 10.0;
    }
    if (hint == HINT_COUNT) {
        return floor(1 + 30 * u * u);
    }
    if (hint == HINT_YEAR) {
        int32_t y = date == DATE_NONE ? 2024 : date_year(date);
        return (double)(y - (int32_t)(25 * stable));
    }
    if (hint == HINT_AMOUNT) {
        double mu = 9.0 + 3.0 * gen_u01(c->seed, c->salt, 1, 2);
        return floor(exp(mu + 0.9 * (2 * u - 1)) * level);
    }
    return floor(1 + 99 * stable);
}

static bool generic_store(const DeriveCtx *c, double x, int64_t *v)
{
    if (c->info->value_type == VALUE_DOUBLE) {
        memcpy(v, &x, sizeof(double));
    } else {
        *v = (int64_t)x;
    }
    return true;
}

/* The value of person i at date `at` (epoch-stable codes, period-varying amounts). */
static bool generic_value_of(const DeriveCtx *c, int64_t i, int32_t at, int64_t *v)
{
    const GenPersons *p = c->p;
    ValueType type = c->info->value_type;
    if (type == VALUE_STRING) {
        if (c->kommune) {
            *v = gen_kommune_value(c, i, at == DATE_NONE ? date_from_ymd(2024, 1, 1) : at);
            return *v >= 0;
        }
        int32_t epoch = at == DATE_NONE ? 0 : date_year(at) / 5;
        *v = gen_code_draw(c, gen_u01(c->seed, c->salt, (uint64_t)i, (uint64_t)epoch));
        return *v >= 0;
    }
    if (type == VALUE_DATE) {
        int32_t base = at == DATE_NONE ? c->hi : at;
        int32_t d = base - (int32_t)(gen_u01(c->seed, c->salt, (uint64_t)i, 7) * 1500);
        *v = d < p->birth[i] ? p->birth[i] : d;
        return true;
    }
    double level = exp(0.3 * p->ability[i]);
    if ((c->role & TAG_ZERO) && gen_u01(c->seed, c->salt, (uint64_t)i, 3) > c->presence) {
        return generic_store(c, 0.0, v);
    }
    return generic_store(c, gen_generic_number(c, (uint64_t)i, at, level), v);
}

static bool v_generic(const DeriveCtx *c, int64_t i, int32_t s0, int32_t s1, int64_t *v)
{
    const GenPersons *p = c->p;
    Temporality t = c->info->temporality;
    if (t == TEMPORALITY_FIXED) {
        if (gen_u01(c->seed, c->salt, (uint64_t)i, 1) >= c->presence) {
            return false;
        }
        return generic_value_of(c, i, DATE_NONE, v);
    }
    int32_t at = t == TEMPORALITY_STATUS ? s0 : s1;
    bool here = t == TEMPORALITY_STATUS ? gen_resident_at(p, i, s0)
                                        : gen_resident_days(p, i, s0, s1) > 0;
    if (!here) {
        return false;
    }
    if (t == TEMPORALITY_ACCUMULATED && !gen_resident_at(p, i, s1)) {
        at = s0; /* left during the period: judged at its start */
    }
    if (!generic_eligible(c, i, at)) {
        return false;
    }
    if (!(c->role & TAG_ZERO) &&
        gen_u01(c->seed, c->salt, (uint64_t)i, (uint64_t)(date_year(at) / 3)) >= c->presence) {
        return false;
    }
    return generic_value_of(c, i, at, v);
}

/* One or two spells inside the window, while resident and eligible. */
static int s_generic(const DeriveCtx *c, int64_t i, GenSpell *sp)
{
    const GenPersons *p = c->p;
    if (gen_u01(c->seed, c->salt, (uint64_t)i, 11) >= c->presence) {
        return 0;
    }
    int n = 0;
    int32_t cursor = c->lo;
    int k_max = gen_u01(c->seed, c->salt, (uint64_t)i, 12) < 0.3 ? 2 : 1;
    for (int k = 0; k < k_max; k++) {
        double u = gen_u01(c->seed, c->salt, (uint64_t)i, 20 + (uint64_t)k);
        int32_t start = cursor + (int32_t)(u * (double)(c->hi - cursor));
        if (start > c->hi || !gen_resident_at(p, i, start) || !generic_eligible(c, i, start)) {
            break;
        }
        double ul = gen_u01(c->seed, c->salt, (uint64_t)i, 30 + (uint64_t)k);
        int32_t len = 30 + (int32_t)(1100 * ul);
        int32_t stop = start + len;
        int32_t dead = p->death[i] == DATE_OPEN ? DATE_OPEN : p->death[i] - 1;
        int32_t gone = p->emig[i] != DATE_OPEN && p->emig[i] > start ? p->emig[i] - 1 : DATE_OPEN;
        stop = dead != DATE_OPEN && dead < stop ? dead : stop;
        stop = gone != DATE_OPEN && gone < stop ? gone : stop;
        int64_t v;
        if (!generic_value_of(c, i, start, &v)) {
            break;
        }
        bool runs = stop > c->hi && dead == DATE_OPEN && gone == DATE_OPEN;
        sp[n].start = start;
        sp[n].stop = runs ? DATE_OPEN : (stop > c->hi ? c->hi : stop);
        sp[n].value = v;
        n++;
        if (runs || sp[n - 1].stop >= c->hi - 2) {
            break;
        }
        cursor = sp[n - 1].stop + 2;
    }
    return n;
}

void gen_rule_generic(DeriveCtx *c)
{
    c->role = generic_tags(c->info->name);
    c->hint = gen_generic_hint(c);
    double u = gen_u01(c->seed, c->salt, 0, 0);
    if (c->role & TAG_ZERO) {
        c->presence = 0.05 + 0.4 * u;
    } else if (c->role & (TAG_ALL | TAG_WORK)) {
        c->presence = 0.6 + 0.4 * u;
    } else {
        c->presence = 0.08 + 0.35 * u;
    }
    if (c->info->temporality == TEMPORALITY_EVENT) {
        c->spells = s_generic;
    } else {
        c->value = v_generic;
    }
}
