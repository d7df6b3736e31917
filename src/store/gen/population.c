/*
 * population.c - the persons of the synthetic country and their life histories: births by
 * cohort (Norwegian birth counts), immigration by arrival year, Gompertz mortality,
 * emigration and return, residence (a 2024 municipality and one move), education level and
 * a latent earnings factor. Every person is drawn from its own random stream, seeded by
 * (seed, cohort, number), so the result does not depend on order or threads. Persons who
 * died or left before 1970 never enter the register. Persons are sorted by birth date.
 */
#include "store/gen/gen_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define POP_FIRST_YEAR 1900
#define POP_LAST_YEAR 2024
#define POP_DAYS_PER_YEAR 365.2425
/* Calibrates scale 1.0 to about 5.5 million residents on 2024-01-01. */
#define POP_CALIBRATION 0.987

/* Births per year in thousands, at the years given (linear in between). */
static const double birth_table[][2] = {
    {1900, 66}, {1915, 62}, {1920, 68}, {1930, 47}, {1935, 44}, {1942, 57}, {1946, 70},
    {1950, 63}, {1960, 62}, {1970, 65}, {1977, 50}, {1983, 50}, {1990, 61}, {2000, 59},
    {2009, 62}, {2015, 59}, {2020, 53}, {2024, 54},
};
/* Immigrations per year in thousands. */
static const double immig_table[][2] = {
    {1970, 8},  {1980, 10}, {1987, 19}, {1990, 14}, {2000, 24}, {2005, 34}, {2008, 50},
    {2011, 61}, {2015, 52}, {2017, 38}, {2020, 33}, {2021, 46}, {2022, 78}, {2023, 80},
    {2024, 62},
};
/* Countries of birth of immigrants (catalogue code, weight). */
static const uint16_t immig_country[][2] = {
    {131, 18}, {136, 7}, {106, 6}, {148, 9}, {564, 6}, {346, 5}, {144, 4}, {241, 4},
    {452, 3},  {428, 3}, {534, 3}, {568, 2}, {101, 3}, {575, 2}, {404, 2}, {456, 2},
    {140, 2},  {133, 2}, {444, 2}, {139, 2}, {124, 2}, {155, 2}, {143, 2}, {484, 2},
    {684, 2},  {424, 2}, {246, 2},
};

static double pop_table_at(const double (*table)[2], size_t n, double year)
{
    if (year <= table[0][0]) {
        return table[0][1];
    }
    for (size_t i = 1; i < n; i++) {
        if (year <= table[i][0]) {
            double t = (year - table[i - 1][0]) / (table[i][0] - table[i - 1][0]);
            return table[i - 1][1] + t * (table[i][1] - table[i - 1][1]);
        }
    }
    return table[n - 1][1];
}

static int64_t pop_count(double thousands, double scale)
{
    return (int64_t)llround(thousands * 1000.0 * scale * POP_CALIBRATION);
}

static int32_t pop_add_years(int32_t date, double years)
{
    double d = (double)date + years * POP_DAYS_PER_YEAR;
    return d > 2000000.0 ? DATE_OPEN : (int32_t)floor(d);
}

/* Lifespan in years from a Gompertz law whose mode rises with the cohort. */
static double pop_lifespan(Rng *rng, int32_t cohort)
{
    if (rng_uniform(rng) < (cohort < 1950 ? 0.02 : cohort < 1980 ? 0.008 : 0.003)) {
        return rng_uniform(rng) * 2.0;
    }
    double mode = 82.0 + 0.08 * (cohort - 1900);
    mode = mode > 91.0 ? 91.0 : mode;
    double b = 0.115, a = b * exp(-b * mode);
    double u = rng_uniform(rng);
    return log(1.0 - (b / a) * log(1.0 - u)) / b;
}

/* Highest education level 0..8 for a cohort and an education rank in [0,1). */
static uint8_t pop_education(int32_t cohort, double rank)
{
    double c = cohort < 1920 ? 0 : cohort > 1995 ? 1 : (cohort - 1920) / 75.0;
    double higher = 0.05 + 0.42 * c;     /* 6, 7, 8 */
    double fagskole = 0.02 + 0.03 * c;   /* 5 */
    double upper = 0.28 + 0.14 * c;      /* 3, 4 */
    double r = 1.0 - rank;
    if (r < higher * 0.05) {
        return 8;
    }
    if (r < higher * 0.38) {
        return 7;
    }
    if (r < higher) {
        return 6;
    }
    if (r < higher + fagskole) {
        return 5;
    }
    if (r < higher + fagskole + upper) {
        return r < higher + fagskole + upper * 0.45 ? 4 : 3;
    }
    return cohort < 1935 && r > 0.9 ? 1 : 2;
}

/* Age in years at which a level is completed. */
static double pop_edu_age(uint8_t level, double jitter)
{
    static const double ages[] = {6, 13, 16, 19, 19, 21, 23, 25, 31};
    return ages[level < 9 ? level : 8] + (level >= 5 ? jitter * 2.0 : jitter * 0.3);
}

/* One candidate person before the cut at 1970 and the sort by birth. */
typedef struct PopCand {
    int32_t birth, death, arrival, emig, ret, move_date, edu_done;
    float ability;
    uint16_t home, home2, country;
    uint8_t sex, edu, flags;
} PopCand;

static uint16_t pop_country(Rng *rng)
{
    uint32_t total = 0;
    for (size_t i = 0; i < MD_ARRAY_LEN(immig_country); i++) {
        total += immig_country[i][1];
    }
    uint32_t u = (uint32_t)rng_below(rng, total);
    for (size_t i = 0; i < MD_ARRAY_LEN(immig_country); i++) {
        if (u < immig_country[i][1]) {
            return immig_country[i][0];
        }
        u -= immig_country[i][1];
    }
    return immig_country[0][0];
}

/* Fills the parts every person has: sex, death, education, work flags, residence. */
static void pop_common(PopCand *c, Rng *rng, const GenPlaces *places, int32_t cohort)
{
    c->sex = rng_uniform(rng) < 0.512 ? 1 : 2;
    c->death = pop_add_years(c->birth, pop_lifespan(rng, cohort));
    if (c->death > date_from_ymd(2025, 12, 31)) {
        c->death = DATE_OPEN;
    }
    double ability = rng_normal(rng);
    c->ability = (float)ability;
    double rank = 0.5 * (1.0 + erf((0.75 * ability + 0.66 * rng_normal(rng)) / sqrt(2.0)));
    c->edu = pop_education(cohort, rank);
    c->edu_done = pop_add_years(c->birth, pop_edu_age(c->edu, rng_normal(rng)));
    double nowork = cohort < 1945 && c->sex == 2 ? 0.30 : 0.07;
    c->flags |= rng_uniform(rng) < nowork ? GEN_F_NOWORK : 0;
    c->flags |= rng_uniform(rng) < 0.09 ? GEN_F_DISABLED : 0;
    c->flags |= rng_uniform(rng) < 0.06 ? GEN_F_SELFEMP : 0;
    c->home = (uint16_t)gen_places_draw(places, rng_uniform(rng));
    c->home2 = c->home;
    c->move_date = DATE_OPEN;
    if (rng_uniform(rng) < 0.4) {
        c->home2 = (uint16_t)gen_places_draw(places, rng_uniform(rng));
        c->move_date = pop_add_years(c->birth, 18.0 + 17.0 * rng_uniform(rng));
    }
    c->emig = DATE_OPEN;
    c->ret = DATE_OPEN;
}

static void pop_native(PopCand *c, uint64_t seed, int32_t year, int64_t k,
                       const GenPlaces *places)
{
    Rng rng;
    rng_seed(&rng, gen_hash4(seed, 0x6e6174, (uint64_t)year, (uint64_t)k));
    memset(c, 0, sizeof(*c));
    int32_t first = date_from_ymd(year, 1, 1);
    c->birth = first + (int32_t)rng_below(&rng, date_is_leap(year) ? 366 : 365);
    c->arrival = c->birth;
    pop_common(c, &rng, places, year);
    if (rng_uniform(&rng) < 0.07) {
        c->emig = pop_add_years(c->birth, 20.0 + 25.0 * rng_uniform(&rng));
        if (rng_uniform(&rng) < 0.45) {
            c->ret = pop_add_years(c->emig, 1.0 + 12.0 * rng_uniform(&rng));
        }
    }
}

static void pop_immigrant(PopCand *c, uint64_t seed, int32_t year, int64_t k,
                          const GenPlaces *places)
{
    Rng rng;
    rng_seed(&rng, gen_hash4(seed, 0x696d6d, (uint64_t)year, (uint64_t)k));
    memset(c, 0, sizeof(*c));
    int32_t first = date_from_ymd(year, 1, 1);
    c->arrival = first + (int32_t)rng_below(&rng, 365);
    double u = rng_uniform(&rng), age;
    if (u < 0.2) {
        age = 17.9 * rng_uniform(&rng);
    } else if (u < 0.9) {
        age = fmin(fmax(29.0 + 7.0 * rng_normal(&rng), 18.0), 60.0);
    } else {
        age = 40.0 + 30.0 * rng_uniform(&rng);
    }
    c->birth = pop_add_years(c->arrival, -age);
    c->flags = GEN_F_IMMIGRANT;
    c->country = pop_country(&rng);
    pop_common(c, &rng, places, date_year(c->birth));
    if (c->death != DATE_OPEN && c->death <= c->arrival) {
        c->death = pop_add_years(c->arrival, 1.0 + 5.0 * rng_uniform(&rng));
        c->death = c->death > date_from_ymd(2025, 12, 31) ? DATE_OPEN : c->death;
    }
    if (rng_uniform(&rng) < 0.36) {
        c->emig = pop_add_years(c->arrival, 0.5 - 4.5 * log(1.0 - rng_uniform(&rng)));
    }
    if (c->move_date != DATE_OPEN && c->move_date < c->arrival) {
        c->move_date = pop_add_years(c->arrival, 3.0 * rng_uniform(&rng));
    }
}

/* Enters the register: alive and in the country some day from 1970 on. */
static bool pop_keep(const PopCand *c)
{
    int32_t floor = date_from_ymd(1970, 1, 1);
    if (c->death != DATE_OPEN && c->death < floor) {
        return false;
    }
    if (c->emig != DATE_OPEN && c->emig < floor && (c->ret == DATE_OPEN || c->ret >= c->death)) {
        return false;
    }
    if (c->emig != DATE_OPEN && c->death != DATE_OPEN && c->emig >= c->death) {
        return true;
    }
    return c->arrival <= date_from_ymd(2025, 12, 31);
}

static int pop_cand_compare(const void *a, const void *b)
{
    const PopCand *x = a, *y = b;
    if (x->birth != y->birth) {
        return x->birth < y->birth ? -1 : 1;
    }
    if (x->arrival != y->arrival) {
        return x->arrival < y->arrival ? -1 : 1;
    }
    if (x->death != y->death) {
        return x->death < y->death ? -1 : 1;
    }
    return memcmp(&x->ability, &y->ability, sizeof(float));
}

/* Draws every candidate into cands; returns how many were kept. */
static int64_t pop_draw(PopCand *cands, uint64_t seed, double scale, const GenPlaces *places)
{
    int64_t n = 0;
    for (int32_t y = POP_FIRST_YEAR; y <= POP_LAST_YEAR; y++) {
        int64_t count = pop_count(pop_table_at(birth_table, MD_ARRAY_LEN(birth_table), y), scale);
        for (int64_t k = 0; k < count; k++) {
            pop_native(&cands[n], seed, y, k, places);
            n += pop_keep(&cands[n]) ? 1 : 0;
        }
    }
    for (int32_t y = 1970; y <= POP_LAST_YEAR; y++) {
        int64_t count = pop_count(pop_table_at(immig_table, MD_ARRAY_LEN(immig_table), y), scale);
        for (int64_t k = 0; k < count; k++) {
            pop_immigrant(&cands[n], seed, y, k, places);
            n += pop_keep(&cands[n]) ? 1 : 0;
        }
    }
    return n;
}

static int64_t pop_capacity(double scale)
{
    int64_t n = 0;
    for (int32_t y = POP_FIRST_YEAR; y <= POP_LAST_YEAR; y++) {
        n += pop_count(pop_table_at(birth_table, MD_ARRAY_LEN(birth_table), y), scale);
    }
    for (int32_t y = 1970; y <= POP_LAST_YEAR; y++) {
        n += pop_count(pop_table_at(immig_table, MD_ARRAY_LEN(immig_table), y), scale);
    }
    return n;
}

/* Allocates the columns of n persons in one zeroed block. */
static MdStatus pop_alloc(GenHistories *h, int64_t n)
{
    size_t total = gen_persons_layout(NULL, NULL, n);
    char *block = md_calloc(1, total > 0 ? total : 16);
    if (block == NULL) {
        return MD_ERR_MEMORY;
    }
    gen_persons_layout(&h->p, block, n);
    h->owned = block;
    return MD_OK;
}

static void pop_store(GenPersons *p, int64_t i, const PopCand *c)
{
    p->birth[i] = c->birth;
    p->death[i] = c->death;
    p->arrival[i] = c->arrival;
    p->emig[i] = c->emig;
    p->ret[i] = c->ret;
    p->mother[i] = p->father[i] = p->partner[i] = -1;
    p->union_start[i] = p->union_end[i] = DATE_OPEN;
    p->move_date[i] = c->move_date;
    p->edu_done[i] = c->edu_done;
    p->ability[i] = c->ability;
    p->home[i] = c->home;
    p->home2[i] = c->home2;
    p->country[i] = c->country;
    p->sex[i] = c->sex;
    p->edu[i] = c->edu;
    p->flags[i] = c->flags;
}

MdStatus gen_population_build(GenHistories *h, const GenPlaces *places,
                              const GenCatalog *catalog, double scale, uint64_t seed,
                              int threads, MdError *err)
{
    (void)catalog, (void)threads;
    memset(h, 0, sizeof(*h));
    h->seed = seed;
    h->scale = scale;
    int64_t cap = pop_capacity(scale);
    PopCand *cands = md_malloc((size_t)(cap > 0 ? cap : 1) * sizeof(PopCand));
    if (cands == NULL) {
        return md_error_set(err, MD_ERR_MEMORY, "out of memory drawing %lld persons",
                            (long long)cap);
    }
    int64_t n = pop_draw(cands, seed, scale, places);
    qsort(cands, (size_t)n, sizeof(PopCand), pop_cand_compare);
    if (pop_alloc(h, n) != MD_OK) {
        md_free(cands);
        return md_error_set(err, MD_ERR_MEMORY, "out of memory for the life histories");
    }
    for (int64_t i = 0; i < n; i++) {
        pop_store(&h->p, i, &cands[i]);
    }
    md_free(cands);
    gen_family_link(h, seed);
    gen_children_count(h);
    return MD_OK;
}

void gen_histories_free(GenHistories *h)
{
    md_free(h->owned);
    if (h->map != NULL) {
        gen_histories_unmap(h->map, h->map_len);
    }
    memset(h, 0, sizeof(*h));
}
