/*
 * facts.c - what a life history says about a person at a date: resident or not, age,
 * municipality, education level attained, partner and family number. All derivations of
 * person variables go through these, so that they agree with each other.
 */
#include "store/gen/gen_int.h"

/* Standard ages at which the intermediate levels of education are completed. */
static const int32_t edu_step_age[9] = {6, 13, 16, 19, 19, 21, 23, 25, 31};

bool gen_exists_at(const GenPersons *p, int64_t i, int32_t date)
{
    return p->birth[i] <= date && (p->death[i] == DATE_OPEN || date < p->death[i]);
}

bool gen_resident_at(const GenPersons *p, int64_t i, int32_t date)
{
    if (!gen_exists_at(p, i, date) || date < p->arrival[i]) {
        return false;
    }
    if (p->emig[i] != DATE_OPEN && date >= p->emig[i]) {
        return p->ret[i] != DATE_OPEN && date >= p->ret[i];
    }
    return true;
}

static int32_t overlap(int32_t a0, int32_t a1, int32_t b0, int32_t b1)
{
    int32_t lo = a0 > b0 ? a0 : b0, hi = a1 < b1 ? a1 : b1;
    return hi >= lo ? hi - lo + 1 : 0;
}

int32_t gen_resident_days(const GenPersons *p, int64_t i, int32_t from, int32_t to)
{
    int32_t end = p->death[i] == DATE_OPEN ? to : p->death[i] - 1;
    int32_t start = p->arrival[i];
    if (p->emig[i] == DATE_OPEN) {
        return overlap(start, end, from, to);
    }
    int32_t days = overlap(start, (end < p->emig[i] - 1 ? end : p->emig[i] - 1), from, to);
    if (p->ret[i] != DATE_OPEN) {
        days += overlap(p->ret[i], end, from, to);
    }
    return days;
}

int32_t gen_age_at(const GenPersons *p, int64_t i, int32_t date)
{
    int32_t by, bm, bd, y, m, d;
    date_to_ymd(p->birth[i], &by, &bm, &bd);
    date_to_ymd(date, &y, &m, &d);
    int32_t age = y - by;
    if (m < bm || (m == bm && d < bd)) {
        age--;
    }
    return age;
}

int32_t gen_home_at(const GenPersons *p, int64_t i, int32_t date)
{
    return date < p->move_date[i] ? p->home[i] : p->home2[i];
}

/* The levels on the way to a final level (ascending). */
static int edu_path(int final, int *steps)
{
    static const int paths[9][7] = {
        {0, -1}, {1, -1}, {1, 2, -1}, {1, 2, 3, -1}, {1, 2, 4, -1}, {1, 2, 3, 5, -1},
        {1, 2, 4, 6, -1}, {1, 2, 4, 6, 7, -1}, {1, 2, 4, 6, 7, 8, -1},
    };
    int n = 0;
    for (int k = 0; k < 7 && paths[final][k] >= 0; k++) {
        steps[n++] = paths[final][k];
    }
    return n;
}

int32_t gen_edu_at(const GenPersons *p, int64_t i, int32_t date)
{
    int final = p->edu[i] > 8 ? 8 : p->edu[i];
    if (date >= p->edu_done[i]) {
        return final;
    }
    int steps[7];
    int n = edu_path(final, steps);
    int level = 0;
    int32_t age = gen_age_at(p, i, date);
    for (int k = 0; k < n - 1; k++) {
        if (age >= edu_step_age[steps[k]]) {
            level = steps[k];
        }
    }
    return level;
}

int32_t gen_partner_at(const GenPersons *p, int64_t i, int32_t date, bool *married)
{
    int32_t q = p->partner[i];
    *married = false;
    if (q < 0 || date < p->union_start[i] ||
        (p->union_end[i] != DATE_OPEN && date >= p->union_end[i])) {
        return -1;
    }
    if (!gen_exists_at(p, i, date) || !gen_exists_at(p, q, date)) {
        return -1;
    }
    *married = (p->flags[i] & GEN_F_MARRIED) != 0;
    return q;
}

/* The oldest adult of the couple i belongs to (the persons are sorted by birth). */
static int64_t family_of_adult(const GenPersons *p, int64_t i, int32_t date)
{
    bool married;
    int32_t q = gen_partner_at(p, i, date, &married);
    if (q >= 0 && gen_resident_at(p, q, date)) {
        return q < i ? q : i;
    }
    return i;
}

int64_t gen_family_at(const GenPersons *p, int64_t i, int32_t date)
{
    if (gen_age_at(p, i, date) < 18) {
        int32_t mother = p->mother[i], father = p->father[i];
        if (mother >= 0 && gen_resident_at(p, mother, date) &&
            gen_home_at(p, mother, date) == gen_home_at(p, i, date)) {
            return family_of_adult(p, mother, date);
        }
        if (father >= 0 && gen_resident_at(p, father, date)) {
            return family_of_adult(p, father, date);
        }
    }
    return family_of_adult(p, i, date);
}

MdStatus gen_siblings_build(GenState *st)
{
    const GenPersons *p = &st->h.p;
    size_t n = (size_t)(p->n > 0 ? p->n : 1);
    int32_t *sibling = md_malloc(n * sizeof(int32_t));
    int32_t *last = md_malloc(n * sizeof(int32_t));
    if (sibling == NULL || last == NULL) {
        md_free(sibling);
        md_free(last);
        return MD_ERR_MEMORY;
    }
    for (int64_t i = 0; i < p->n; i++) {
        sibling[i] = -1;
        last[i] = -1;
    }
    for (int64_t i = 0; i < p->n; i++) {
        int32_t m = p->mother[i];
        if (m < 0) {
            continue;
        }
        if (last[m] >= 0) {
            sibling[i] = last[m];
            if (sibling[last[m]] < 0) {
                sibling[last[m]] = (int32_t)i;
            }
        }
        last[m] = (int32_t)i;
    }
    md_free(last);
    st->sibling = sibling;
    return MD_OK;
}
