/*
 * family.c - links the persons into families: unions (marriage or cohabitation, with
 * divorce), mothers and fathers. A child born in Norway gets a mother who lives in the
 * country at the birth and is 15-50 years older (about 28 on average); the father is the
 * mother's partner when the union runs at the birth. Runs once over the persons sorted by
 * birth, in a fixed order, so it is deterministic in the seed.
 */
#include "store/gen/gen_int.h"

#include <math.h>

#define FAM_YEAR 365.2425
#define FAM_TRIES 24

/* First person index born on or after date. */
static int64_t fam_lower_bound(const GenPersons *p, int32_t date)
{
    int64_t lo = 0, hi = p->n;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (p->birth[mid] < date) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

static int32_t fam_years(int32_t date, double years)
{
    return (int32_t)floor((double)date + years * FAM_YEAR);
}

/* A person index born within [from, to] drawn from rng, or -1 if nobody. */
static int64_t fam_pick(const GenPersons *p, int32_t from, int32_t to, Rng *rng)
{
    int64_t lo = fam_lower_bound(p, from), hi = fam_lower_bound(p, to + 1);
    return hi > lo ? lo + rng_below(rng, hi - lo) : -1;
}

/* A union for woman i: a man 0-6 years older, both alive and here at the start. */
static void fam_union(GenPersons *p, int64_t i, uint64_t seed)
{
    Rng rng;
    rng_seed(&rng, gen_hash4(seed, 0x756e69, (uint64_t)i, 0));
    if (rng_uniform(&rng) > 0.88) {
        return;
    }
    int32_t start = fam_years(p->birth[i], 21.0 + 12.0 * rng_uniform(&rng));
    if (start < p->arrival[i]) {
        start = p->arrival[i];
    }
    if (!gen_resident_at(p, i, start) || start > date_from_ymd(2025, 12, 31)) {
        return;
    }
    double gap = 2.5 + 2.5 * rng_normal(&rng);
    int32_t centre = fam_years(p->birth[i], -gap);
    for (int t = 0; t < FAM_TRIES; t++) {
        int64_t m = fam_pick(p, centre - 400, centre + 400, &rng);
        if (m < 0 || p->sex[m] != 1 || p->partner[m] >= 0 || !gen_resident_at(p, m, start) ||
            gen_age_at(p, m, start) < 18) {
            continue;
        }
        p->partner[i] = (int32_t)m;
        p->partner[m] = (int32_t)i;
        p->union_start[i] = p->union_start[m] = start;
        bool married = rng_uniform(&rng) < (start < date_from_ymd(1980, 1, 1) ? 0.92 : 0.72);
        double divorce = start < date_from_ymd(1975, 1, 1) ? 0.15 : 0.35;
        int32_t end = DATE_OPEN;
        if (rng_uniform(&rng) < divorce) {
            end = fam_years(start, 1.0 - 10.0 * log(1.0 - rng_uniform(&rng)));
            end = end > date_from_ymd(2025, 12, 31) ? DATE_OPEN : end;
        }
        p->union_end[i] = p->union_end[m] = end;
        /* The couple lives together from the start of the union. */
        p->home2[m] = (uint16_t)gen_home_at(p, i, start);
        p->move_date[m] = start;
        if (married) {
            p->flags[i] |= GEN_F_MARRIED;
            p->flags[m] |= GEN_F_MARRIED;
        }
        return;
    }
}

static bool fam_union_runs(const GenPersons *p, int64_t w, int32_t date)
{
    return p->partner[w] >= 0 && p->union_start[w] <= date &&
           (p->union_end[w] == DATE_OPEN || p->union_end[w] > date);
}

/* Mother of child c: a woman here at the birth, 15-50 years older (mode about 28). */
static int64_t fam_mother(GenPersons *p, int64_t c, Rng *rng)
{
    int32_t b = p->birth[c];
    for (int t = 0; t < FAM_TRIES; t++) {
        double age = 28.5 + 5.5 * rng_normal(rng);
        age = age < 16.0 ? 16.0 : age > 46.0 ? 46.0 : age;
        int32_t centre = fam_years(b, -age);
        int64_t m = fam_pick(p, centre - 540, centre + 540, rng);
        if (m < 0 || p->sex[m] != 2 || p->parity[m] >= 7 || !gen_resident_at(p, m, b)) {
            continue;
        }
        int32_t gap = b - p->birth[m];
        if (gap < fam_years(0, 15.0) || gap > fam_years(0, 50.0)) {
            continue;
        }
        /* Women in a running union are three times as likely to be mothers. */
        if (!fam_union_runs(p, m, b) && rng_uniform(rng) < 0.67 && t < FAM_TRIES / 2) {
            continue;
        }
        return m;
    }
    return -1;
}

static int64_t fam_father(GenPersons *p, int64_t c, int64_t mother, Rng *rng)
{
    int32_t b = p->birth[c];
    if (mother >= 0 && fam_union_runs(p, mother, b) && p->death[p->partner[mother]] > b) {
        return p->partner[mother];
    }
    if (rng_uniform(rng) < 0.15) {
        return -1;
    }
    for (int t = 0; t < FAM_TRIES; t++) {
        int32_t centre = fam_years(b, -(31.0 + 6.0 * rng_normal(rng)));
        int64_t f = fam_pick(p, centre - 540, centre + 540, rng);
        if (f < 0 || p->sex[f] != 1 || !gen_exists_at(p, f, b)) {
            continue;
        }
        int32_t gap = b - p->birth[f];
        if (gap >= fam_years(0, 16.0) && gap <= fam_years(0, 60.0)) {
            return f;
        }
    }
    return -1;
}

/* A child lives with its mother, and moves when she moves. */
static void fam_follow_mother(GenPersons *p, int64_t c, int64_t mother)
{
    int32_t b = p->birth[c];
    p->home[c] = (uint16_t)gen_home_at(p, mother, b);
    if (p->move_date[mother] > b && p->move_date[mother] != DATE_OPEN) {
        p->home2[c] = p->home2[mother];
        p->move_date[c] = p->move_date[mother];
    } else if (p->move_date[c] == DATE_OPEN) {
        p->home2[c] = p->home[c];
    }
}

void gen_family_link(GenHistories *h, uint64_t seed)
{
    GenPersons *p = &h->p;
    for (int64_t i = 0; i < p->n; i++) {
        if (p->sex[i] == 2) {
            fam_union(p, i, seed);
        }
    }
    for (int64_t c = 0; c < p->n; c++) {
        if ((p->flags[c] & GEN_F_IMMIGRANT) != 0 || p->birth[c] < date_from_ymd(1925, 1, 1)) {
            continue;
        }
        Rng rng;
        rng_seed(&rng, gen_hash4(seed, 0x706172, (uint64_t)c, 0));
        int64_t mother = fam_mother(p, c, &rng);
        int64_t father = fam_father(p, c, mother, &rng);
        p->mother[c] = (int32_t)mother;
        p->father[c] = (int32_t)father;
        if (mother >= 0) {
            p->parity[mother]++;
            fam_follow_mother(p, c, mother);
        }
        if (father >= 0 && p->parity[father] < 255) {
            p->parity[father]++;
        }
    }
}
