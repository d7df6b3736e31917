/*
 * places.c - the municipalities of the synthetic country: the municipalities valid on
 * 2024-01-01 with plausible sizes (Oslo large, the cities next), and for every date the
 * real code that a 2024 municipality had then, across the reforms of kommuner.json (same
 * name first; municipalities merged away are shared out among the codes that existed).
 */
#include "store/gen/gen_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PLACES_BUCKETS 4

/* Population shares of the largest municipalities in 2024 (about, in per mille). */
static const struct {
    const char *title;
    double share;
} big_places[] = {
    {"Oslo", 0.128},      {"Bergen", 0.052},     {"Trondheim", 0.040},   {"Stavanger", 0.026},
    {"Bærum", 0.023},     {"Kristiansand", 0.021}, {"Drammen", 0.019},   {"Asker", 0.019},
    {"Lillestrøm", 0.017}, {"Fredrikstad", 0.015}, {"Sandnes", 0.015},   {"Tromsø", 0.014},
    {"Ålesund", 0.012},   {"Sarpsborg", 0.011},  {"Skien", 0.010},       {"Bodø", 0.010},
    {"Larvik", 0.009},    {"Tønsberg", 0.009},   {"Karmøy", 0.008},      {"Moss", 0.009},
    {"Arendal", 0.008},   {"Indre Østfold", 0.008}, {"Haugesund", 0.007}, {"Lørenskog", 0.008},
    {"Ullensaker", 0.008}, {"Porsgrunn", 0.007},   {"Sandefjord", 0.012}, {"Nordre Follo", 0.011},
    {"Øygarden", 0.007},  {"Hamar", 0.006},      {"Lillehammer", 0.005}, {"Molde", 0.006},
};

static bool places_is_big(const char *title)
{
    for (size_t i = 0; i < MD_ARRAY_LEN(big_places); i++) {
        if (strcmp(big_places[i].title, title) == 0) {
            return true;
        }
    }
    return false;
}

/* A municipality proper: digits, and not Svalbard, Jan Mayen, the shelf or unknown. */
bool gen_places_is_municipality(const CodeEntry *e)
{
    const char *c = e->code;
    if (strlen(c) != 4 || c[0] < '0' || c[0] > '9' || c[1] < '0' || c[1] > '9') {
        return false;
    }
    return strncmp(c, "00", 2) != 0 && strncmp(c, "21", 2) != 0 &&
           strncmp(c, "22", 2) != 0 && strncmp(c, "23", 2) != 0 && strncmp(c, "99", 2) != 0;
}

bool gen_places_valid_at(const CodeEntry *e, int32_t date)
{
    return e->valid_from <= date && (e->valid_until == DATE_OPEN || e->valid_until >= date);
}

double gen_places_weight(const char *title, const char *code)
{
    for (size_t i = 0; i < MD_ARRAY_LEN(big_places); i++) {
        if (strcmp(big_places[i].title, title) == 0) {
            return big_places[i].share;
        }
    }
    uint64_t h = md_hash_bytes(code, strlen(code), 0x6b6f6d6d756e65ULL);
    double u = ((double)(h >> 11) + 0.5) / 9007199254740992.0;
    return 0.0012 * exp(1.1 * (u - 0.5) * 2.0); /* small places, about 1-10 thousand */
}

static int compare_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

/* The eras: every day on which some code starts or stops, from 1970 on. */
static MdStatus places_eras(GenPlaces *pl)
{
    int32_t floor = date_from_ymd(1970, 1, 1);
    int32_t *starts = arena_alloc(pl->arena, (size_t)(2 * pl->n_kommuner + 1) * sizeof(int32_t));
    if (starts == NULL) {
        return MD_ERR_MEMORY;
    }
    int32_t n = 0;
    starts[n++] = floor;
    for (int64_t i = 0; i < pl->n_kommuner; i++) {
        const CodeEntry *e = &pl->kommuner[i];
        if (e->valid_from > floor) {
            starts[n++] = e->valid_from;
        }
        if (e->valid_until != DATE_OPEN && e->valid_until + 1 > floor) {
            starts[n++] = e->valid_until + 1;
        }
    }
    qsort(starts, (size_t)n, sizeof(int32_t), compare_i32);
    int32_t m = 0;
    for (int32_t i = 0; i < n; i++) {
        if (m == 0 || starts[m - 1] != starts[i]) {
            starts[m++] = starts[i];
        }
    }
    pl->era_start = starts;
    pl->n_eras = m;
    return MD_OK;
}

static bool places_title_is_now(const GenPlaces *pl, const char *title, const int32_t *now_idx)
{
    for (int32_t k = 0; k < pl->n_now; k++) {
        if (strcmp(pl->kommuner[now_idx[k]].label, title) == 0) {
            return true;
        }
    }
    return false;
}

/* Fills the code map of one era. */
static void places_map_era(GenPlaces *pl, int32_t era, const int32_t *now_idx, int32_t *scratch)
{
    int32_t date = pl->era_start[era];
    int32_t n_valid = 0, n_orphan = 0;
    for (int64_t i = 0; i < pl->n_kommuner; i++) {
        const CodeEntry *e = &pl->kommuner[i];
        if (gen_places_is_municipality(e) && gen_places_valid_at(e, date)) {
            scratch[n_valid++] = (int32_t)i;
        }
    }
    /* Orphans (codes whose name no 2024 municipality carries) go after the others. */
    for (int32_t j = 0; j < n_valid; j++) {
        if (!places_title_is_now(pl, pl->kommuner[scratch[j]].label, now_idx)) {
            int32_t t = scratch[n_orphan];
            scratch[n_orphan++] = scratch[j];
            scratch[j] = t;
        }
    }
    for (int32_t k = 0; k < pl->n_now; k++) {
        const char *title = pl->kommuner[now_idx[k]].label;
        int32_t same = -1;
        for (int32_t j = 0; j < n_valid && same < 0; j++) {
            if (strcmp(pl->kommuner[scratch[j]].label, title) == 0) {
                same = scratch[j];
            }
        }
        for (uint32_t b = 0; b < PLACES_BUCKETS; b++) {
            int32_t code = same;
            if (code < 0 && n_valid > 0) {
                int32_t pool = n_orphan > 0 ? n_orphan : n_valid;
                uint64_t h = md_hash_u64(((uint64_t)k << 8 | b) ^ ((uint64_t)era << 32));
                code = scratch[h % (uint64_t)pool];
            }
            pl->era_map[((size_t)era * (size_t)pl->n_now + (size_t)k) * PLACES_BUCKETS + b] =
                code < 0 ? now_idx[k] : code;
        }
    }
}

static MdStatus places_now(GenPlaces *pl, int32_t **now_idx)
{
    int32_t date = date_from_ymd(2024, 1, 1);
    int32_t *idx = arena_alloc(pl->arena, (size_t)pl->n_kommuner * sizeof(int32_t));
    if (idx == NULL) {
        return MD_ERR_MEMORY;
    }
    int32_t n = 0;
    for (int64_t i = 0; i < pl->n_kommuner; i++) {
        const CodeEntry *e = &pl->kommuner[i];
        if (gen_places_is_municipality(e) && gen_places_valid_at(e, date)) {
            idx[n++] = (int32_t)i;
        }
    }
    pl->n_now = n;
    pl->now_codes = arena_alloc(pl->arena, (size_t)(n > 0 ? n : 1) * sizeof(char *));
    pl->cum_weight = arena_alloc(pl->arena, (size_t)(n > 0 ? n : 1) * sizeof(double));
    if (n == 0 || pl->now_codes == NULL || pl->cum_weight == NULL) {
        return n == 0 ? MD_ERR_VALUE : MD_ERR_MEMORY;
    }
    /* The big places keep their shares; the small ones share the rest. */
    double big = 0, small = 0;
    for (int32_t k = 0; k < n; k++) {
        const CodeEntry *e = &pl->kommuner[idx[k]];
        pl->now_codes[k] = e->code;
        double w = gen_places_weight(e->label, e->code);
        pl->cum_weight[k] = w;
        if (places_is_big(e->label)) {
            big += w;
        } else {
            small += w;
        }
    }
    double factor = small > 0 && big < 1.0 ? (1.0 - big) / small : 1.0;
    double total = 0;
    for (int32_t k = 0; k < n; k++) {
        bool is_big = places_is_big(pl->kommuner[idx[k]].label);
        total += pl->cum_weight[k] * (is_big ? 1.0 : factor);
        pl->cum_weight[k] = total;
    }
    for (int32_t k = 0; k < n; k++) {
        pl->cum_weight[k] /= total;
    }
    pl->cum_weight[n - 1] = 1.0;
    *now_idx = idx;
    return MD_OK;
}

/* The KOMMUNE units: one per distinct municipality code. */
static MdStatus places_units(GenPlaces *pl)
{
    size_t n = (size_t)pl->n_kommuner;
    pl->unit_ids = arena_alloc(pl->arena, (n + 1) * sizeof(uint64_t));
    pl->unit_entry = arena_alloc(pl->arena, (n + 1) * sizeof(int32_t));
    if (pl->unit_ids == NULL || pl->unit_entry == NULL) {
        return MD_ERR_MEMORY;
    }
    int64_t m = 0;
    for (int64_t i = 0; i < pl->n_kommuner; i++) {
        const CodeEntry *e = &pl->kommuner[i];
        if (!gen_places_is_municipality(e)) {
            continue;
        }
        uint64_t id = strtoull(e->code, NULL, 10);
        if (m > 0 && pl->unit_ids[m - 1] == id) {
            continue;
        }
        pl->unit_ids[m] = id;
        pl->unit_entry[m] = (int32_t)i;
        m++;
    }
    pl->n_units = m;
    return MD_OK;
}

MdStatus gen_places_build(GenPlaces *places, const GenCatalog *catalog, MdError *err)
{
    memset(places, 0, sizeof(*places));
    places->kommuner = catalog->kommuner;
    places->n_kommuner = catalog->n_kommuner;
    places->arena = arena_new(1 << 20);
    int32_t *now_idx = NULL;
    MdStatus st = places->arena == NULL ? MD_ERR_MEMORY : places_now(places, &now_idx);
    if (st == MD_OK) {
        st = places_eras(places);
    }
    if (st == MD_OK) {
        st = places_units(places);
    }
    int32_t *scratch = NULL;
    if (st == MD_OK) {
        size_t cells = (size_t)places->n_eras * (size_t)places->n_now * PLACES_BUCKETS;
        places->era_map = arena_alloc(places->arena, cells * sizeof(int32_t));
        scratch = arena_alloc(places->arena, (size_t)places->n_kommuner * sizeof(int32_t));
        st = places->era_map == NULL || scratch == NULL ? MD_ERR_MEMORY : MD_OK;
    }
    for (int32_t e = 0; st == MD_OK && e < places->n_eras; e++) {
        places_map_era(places, e, now_idx, scratch);
    }
    if (st != MD_OK) {
        gen_places_free(places);
        return md_error_set(err, st, "cannot build the municipality table from kommuner.json");
    }
    return MD_OK;
}

void gen_places_free(GenPlaces *places)
{
    if (places->arena != NULL) {
        arena_free(places->arena);
    }
    memset(places, 0, sizeof(*places));
}

int32_t gen_places_draw(const GenPlaces *places, double u)
{
    int32_t lo = 0, hi = places->n_now - 1;
    while (lo < hi) {
        int32_t mid = (lo + hi) / 2;
        if (places->cum_weight[mid] > u) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    return lo;
}

int32_t gen_places_code_at(const GenPlaces *places, int32_t now, uint32_t bucket, int32_t date)
{
    int32_t lo = 0, hi = places->n_eras - 1;
    while (lo < hi) {
        int32_t mid = (lo + hi + 1) / 2;
        if (places->era_start[mid] <= date) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    size_t cell = ((size_t)lo * (size_t)places->n_now + (size_t)now) * PLACES_BUCKETS +
                  bucket % PLACES_BUCKETS;
    return places->era_map[cell];
}
