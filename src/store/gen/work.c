/*
 * work.c - careers, jobs and wages, and the other units that hang off a person (courses,
 * vehicles, metering points, accidents, hospital stays). A person's career runs from the
 * end of education to retirement, disability, death or emigration and is cut into a few
 * jobs; a job's employer, occupation, position percentage and dates come from hash(seed,
 * person, job), so any job can be rebuilt from its id without storing it. Wages rise with
 * age, education and the latent earnings factor.
 */
#include "store/gen/gen_int.h"

#include <math.h>

#define WORK_YEAR 365.2425
#define WORK_MAX_JOBS 8

static int32_t work_now(void) { return date_from_ymd(2025, 12, 31); }

static int32_t work_years(int32_t date, double years)
{
    return (int32_t)floor((double)date + years * WORK_YEAR);
}

static const char *const child_units[GEN_CHILD_COUNT] = {
    "JOBB", "KURS", "KJORETOY", "MALEPUNKT", "TRAFIKKULYKKE", "TRAFIKKULYKKE_PERSON",
    "NPR_SYKEHUSOPPHOLD",
};

const char *gen_child_unit_type(GenChild child)
{
    return (unsigned)child < GEN_CHILD_COUNT ? child_units[child] : "?";
}

uint64_t gen_child_id(GenChild child, uint64_t index)
{
    return GEN_CHILD_BASE * (uint64_t)(child + 2) + index;
}

/* The career [*cs, *ce] of person i and its number of jobs (0: none). */
static uint32_t work_career(const GenHistories *h, int64_t i, int32_t *cs, int32_t *ce)
{
    const GenPersons *p = &h->p;
    if ((p->flags[i] & GEN_F_NOWORK) != 0) {
        return 0;
    }
    double u = gen_u01(h->seed, 0x636172, (uint64_t)i, 0);
    int32_t start = work_years(p->birth[i], 17.0);
    start = p->edu_done[i] > start ? p->edu_done[i] : start;
    start = p->arrival[i] > start ? p->arrival[i] : start;
    start = work_years(start, 0.5 * u);
    double stop_age = (p->flags[i] & GEN_F_DISABLED) ? 38.0 + 24.0 * u : 62.0 + 5.0 * u;
    int32_t end = work_years(p->birth[i], stop_age);
    if (p->death[i] != DATE_OPEN && p->death[i] - 1 < end) {
        end = p->death[i] - 1;
    }
    if (p->emig[i] != DATE_OPEN) {
        if (p->emig[i] > start) {
            end = p->emig[i] - 1 < end ? p->emig[i] - 1 : end;
        } else if (p->ret[i] != DATE_OPEN && p->ret[i] < end) {
            start = p->ret[i] > start ? p->ret[i] : start;
        } else {
            return 0;
        }
    }
    int32_t floor1970 = date_from_ymd(1970, 1, 1);
    start = start < floor1970 ? floor1970 : start;
    if (start > work_now() || end < start + 30) {
        return 0;
    }
    *cs = start;
    *ce = end;
    double years = (end - start) / WORK_YEAR;
    uint32_t k = 1 + (uint32_t)(years / (3.0 + 9.0 * gen_u01(h->seed, 0x6b6a62, (uint64_t)i, 0)));
    return k > WORK_MAX_JOBS ? WORK_MAX_JOBS : k;
}

/* Dates of job j of a career cut in k parts. */
static void work_job_dates(const GenHistories *h, int64_t i, uint32_t j, uint32_t k, int32_t cs,
                           int32_t ce, int32_t *start, int32_t *stop)
{
    int32_t seg = (ce - cs + 1) / (int32_t)k;
    int32_t s = cs + (int32_t)j * seg, e = j + 1 == k ? ce : cs + (int32_t)(j + 1) * seg - 1;
    if (j > 0 && gen_u01(h->seed, 0x676170, (uint64_t)i, j) < 0.3) {
        int32_t gap = (int32_t)(30 + 300 * gen_u01(h->seed, 0x676171, (uint64_t)i, j));
        s = s + gap < e ? s + gap : s;
    }
    *start = s;
    *stop = e > work_now() ? DATE_OPEN : e;
}

static double work_percent(const GenHistories *h, int64_t i, uint32_t j);

static uint32_t work_job_count(const GenHistories *h, int64_t i)
{
    int32_t cs = 0, ce = 0, s, e;
    uint32_t k = work_career(h, i, &cs, &ce), n = 0;
    for (uint32_t j = 0; j < k; j++) {
        work_job_dates(h, i, j, k, cs, ce, &s, &e);
        n += s <= work_now() ? 1 : 0;
    }
    return n;
}

void gen_job_get(const GenHistories *h, int64_t i, uint32_t j, GenJob *job)
{
    const GenPersons *p = &h->p;
    int32_t cs = 0, ce = 0;
    uint32_t k = work_career(h, i, &cs, &ce);
    job->person = i;
    work_job_dates(h, i, j, k > 0 ? k : 1, cs, ce, &job->start, &job->stop);
    job->percent = (float)work_percent(h, i, j);
    uint64_t n_employers = (uint64_t)(p->n / 12 + 50);
    job->employer = (uint32_t)(gen_hash4(h->seed, 0x656d70, (uint64_t)i, j) % n_employers);
    /* Occupation major group (STYRK-08 first digit) by education. */
    static const uint8_t by_edu[9][4] = {
        {9, 9, 8, 5}, {9, 8, 5, 7}, {9, 8, 5, 7}, {7, 5, 4, 8}, {7, 3, 4, 5},
        {3, 3, 7, 1}, {2, 3, 2, 1}, {2, 2, 1, 3}, {2, 2, 2, 1},
    };
    uint64_t r = gen_hash4(h->seed, 0x6f6363, (uint64_t)i, j);
    int level = p->edu[i] > 8 ? 8 : p->edu[i];
    job->occupation = (uint16_t)(by_edu[level][r % 4] * 100 + (r >> 8) % 100);
    job->industry = (uint16_t)((job->employer * 2654435761u) >> 20);
}

double gen_monthly_wage(const GenHistories *h, int64_t i, int32_t year)
{
    static const double edu_factor[9] = {0.78, 0.80, 0.84, 0.95, 0.98, 1.04, 1.10, 1.32, 1.40};
    const GenPersons *p = &h->p;
    double age = year - date_year(p->birth[i]);
    double age_factor = age < 20 ? 0.55 : age < 40 ? 0.55 + 0.45 * (age - 20) / 20.0
                                                   : age < 55 ? 1.0 + 0.004 * (age - 40) : 1.06;
    double sex_factor = p->sex[i] == 2 ? 0.90 : 1.0;
    double noise = 0.08 * gen_normal(h->seed, 0x776167, (uint64_t)i, (uint64_t)year);
    return 63500.0 * pow(1.038, year - 2023) * edu_factor[p->edu[i] > 8 ? 8 : p->edu[i]] *
           age_factor * sex_factor * exp(0.28 * p->ability[i] + noise);
}

static uint32_t child_count_of(const GenHistories *h, GenChild c, int64_t i)
{
    return h->p.child_first[c][i + 1] - h->p.child_first[c][i];
}

/* The position percentage of job j (as gen_job_get draws it). */
static double work_percent(const GenHistories *h, int64_t i, uint32_t j)
{
    double u = gen_u01(h->seed, 0x6a6f62, (uint64_t)i, j);
    double full = h->p.sex[i] == 1 ? 0.85 : 0.68;
    return u < full ? 100.0 : 20.0 + 10.0 * floor(7.0 * (u - full) / (1.0 - full));
}

double gen_work_months(const GenHistories *h, int64_t i, int32_t year)
{
    uint32_t n = child_count_of(h, GEN_CHILD_JOBB, i);
    if (n == 0) {
        return 0;
    }
    int32_t y0 = date_from_ymd(year, 1, 1), y1 = date_from_ymd(year, 12, 31);
    int32_t cs = 0, ce = 0;
    uint32_t k = work_career(h, i, &cs, &ce);
    if (cs > y1 || ce < y0) {
        return 0;
    }
    double months = 0;
    for (uint32_t j = 0; j < n; j++) {
        int32_t start, stop;
        work_job_dates(h, i, j, k, cs, ce, &start, &stop);
        int32_t s = start > y0 ? start : y0;
        int32_t e = stop == DATE_OPEN || stop > y1 ? y1 : stop;
        if (e >= s) {
            months += (e - s + 1) / 30.44 * work_percent(h, i, j) / 100.0;
        }
    }
    return months > 12.0 ? 12.0 : months;
}

int64_t gen_wage_income(const GenHistories *h, int64_t i, int32_t year)
{
    double months = gen_work_months(h, i, year);
    if (months <= 0) {
        return 0;
    }
    return (int64_t)llround(months * gen_monthly_wage(h, i, year) / 100.0) * 100;
}

/* ==== Other child units ================================================================ */

/* Number of child units of type c that person i has. */
static uint32_t child_count(const GenHistories *h, GenChild c, int64_t i)
{
    const GenPersons *p = &h->p;
    double u = gen_u01(h->seed, 0x63686c, (uint64_t)i, (uint64_t)c);
    int32_t adult = work_years(p->birth[i], 18.0);
    int32_t last = p->death[i] == DATE_OPEN ? work_now() : p->death[i] - 1;
    switch (c) {
    case GEN_CHILD_JOBB:
        return work_job_count(h, i);
    case GEN_CHILD_KURS: {
        int32_t from = date_from_ymd(1974, 9, 1);
        uint32_t n = 0;
        static const double step_age[] = {16.0, 19.0, 23.0, 25.0, 31.0};
        static const uint8_t step_level[] = {3, 4, 6, 7, 8};
        for (int k = 0; k < 5; k++) {
            int32_t d = work_years(p->birth[i], step_age[k] - 3.0);
            n += p->edu[i] >= step_level[k] && d >= from && d <= last && d <= work_now();
        }
        return n;
    }
    case GEN_CHILD_KJORETOY:
        if (last < date_from_ymd(1998, 12, 31) || adult > last) {
            return 0;
        }
        return u < 0.3 ? 0 : u < 0.8 ? 1 : 2;
    case GEN_CHILD_MALEPUNKT:
        return gen_resident_days(&h->p, i, date_from_ymd(2020, 1, 1), work_now()) > 0 &&
               work_years(p->birth[i], 20.0) <= work_now() &&
               (p->partner[i] < 0 || p->partner[i] > i) && u < 0.9;
    case GEN_CHILD_ULYKKE:
        return u < 0.004 && last >= date_from_ymd(2000, 1, 1);
    case GEN_CHILD_ULYKKE_PERSON:
        return u < 0.008 && last >= date_from_ymd(2000, 1, 1);
    case GEN_CHILD_SYKEHUS: {
        int32_t y0 = date_from_ymd(2023, 1, 1), y1 = date_from_ymd(2023, 12, 31);
        if (gen_resident_days(&h->p, i, y0, y1) == 0) {
            return 0;
        }
        double rate = 0.06 + 0.004 * gen_age_at(&h->p, i, y0);
        return u < rate * 0.6 ? 1 + (u < rate * 0.15) + (u < rate * 0.05) : 0;
    }
    default:
        return 0;
    }
}

void gen_children_count(GenHistories *h)
{
    for (int c = 0; c < GEN_CHILD_COUNT; c++) {
        uint32_t *first = h->p.child_first[c];
        first[0] = 0;
        for (int64_t i = 0; i < h->p.n; i++) {
            first[i + 1] = first[i] + child_count(h, (GenChild)c, i);
        }
    }
}

int64_t gen_child_owner(const GenHistories *h, GenChild c, uint64_t k, uint32_t *ordinal)
{
    const uint32_t *first = h->p.child_first[c];
    if (k >= first[h->p.n]) {
        return -1;
    }
    int64_t lo = 0, hi = h->p.n - 1;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo + 1) / 2;
        if (first[mid] <= k) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    *ordinal = (uint32_t)(k - first[lo]);
    return lo;
}

void gen_child_span(const GenHistories *h, GenChild c, int64_t owner, uint32_t ordinal,
                    int32_t *start, int32_t *stop)
{
    const GenPersons *p = &h->p;
    int32_t last = p->death[owner] == DATE_OPEN ? DATE_OPEN : p->death[owner] - 1;
    double u = gen_u01(h->seed, 0x737061, (uint64_t)owner, ((uint64_t)c << 8) | ordinal);
    if (c == GEN_CHILD_JOBB) {
        GenJob job;
        gen_job_get(h, owner, ordinal, &job);
        *start = job.start;
        *stop = job.stop;
        return;
    }
    if (c == GEN_CHILD_KURS) {
        static const double step_age[] = {16.0, 19.0, 23.0, 25.0, 31.0};
        static const double step_len[] = {3.0, 3.0, 3.0, 2.0, 4.0};
        static const uint8_t step_level[] = {3, 4, 6, 7, 8};
        uint32_t seen = 0;
        for (int k = 0; k < 5; k++) {
            int32_t d = work_years(p->birth[owner], step_age[k] - 3.0);
            if (p->edu[owner] >= step_level[k] && d >= date_from_ymd(1974, 9, 1) &&
                (last == DATE_OPEN || d <= last) && d <= work_now() && seen++ == ordinal) {
                int32_t y, m, dd;
                date_to_ymd(d, &y, &m, &dd);
                *start = date_from_ymd(y, 8, 15);
                *stop = work_years(*start, step_len[k]) - 60;
                *stop = *stop > work_now() ? DATE_OPEN : *stop;
                return;
            }
        }
    }
    int32_t from = work_years(p->birth[owner], 18.0);
    int32_t floor = c == GEN_CHILD_KJORETOY ? date_from_ymd(1995, 1, 1)
                    : c == GEN_CHILD_MALEPUNKT ? date_from_ymd(2020, 1, 1)
                    : c == GEN_CHILD_SYKEHUS   ? date_from_ymd(2023, 1, 1)
                                               : date_from_ymd(2000, 1, 1);
    from = from < floor ? floor : from;
    from = p->arrival[owner] > from ? p->arrival[owner] : from;
    int32_t to = last == DATE_OPEN || last > work_now() ? work_now() : last;
    if (c == GEN_CHILD_SYKEHUS) {
        to = date_from_ymd(2023, 12, 31) < to ? date_from_ymd(2023, 12, 31) : to;
    }
    *start = to > from ? from + (int32_t)(u * (to - from)) : from;
    int32_t len = c == GEN_CHILD_SYKEHUS ? 1 + (int32_t)(u * 9) : (int32_t)(365 * (3 + 12 * u));
    *stop = c == GEN_CHILD_MALEPUNKT ? last : *start + len;
    if (*stop != DATE_OPEN && (*stop > work_now() || (last != DATE_OPEN && *stop > last))) {
        *stop = c == GEN_CHILD_SYKEHUS ? *start : (last == DATE_OPEN ? DATE_OPEN : last);
    }
    if (c == GEN_CHILD_MALEPUNKT && ordinal == 0) {
        *start = from;
    }
}
