/*
 * test_store_gen.c - unit tests of the synthetic register (`mdata gen`, src/store/gen) at a
 * tiny scale in a temporary directory: every catalogue variable answers every query kind
 * that applies to it, determinism in the seed, real mothers of the right age, no income
 * after death or emigration, pointers that hold ids of the target unit type, codes valid at
 * their dates, status dates exactly as the catalogue says.
 */
#define _XOPEN_SOURCE 700 /* nftw */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <dirent.h>
#include <ftw.h>
#include <jansson.h>
#include <unistd.h>

#include "store/gen/gen_int.h"

#define TEST_SCALE 0.0005
#define CATALOG MDATA_SHARED_DIR "/catalog/fdb-variables.json"
#define KOMMUNER MDATA_SHARED_DIR "/catalog/kommuner.json"

typedef struct Fixture {
    char dir[256];
    char store_dir[300];
    Store *store;
    StoreVersion *version;
    GenHistories h;
} Fixture;

static Fixture fx;

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(path);
}

static MdStatus generate(const char *out, uint64_t seed, MdError *err)
{
    GenOptions opt = {.scale = TEST_SCALE, .seed = seed, .catalog_path = CATALOG,
                      .kommuner_path = KOMMUNER, .threads = 1, .quiet = true};
    return store_generate(out, &opt, err);
}

static int teardown(void **state);

static int setup(void **state)
{
    (void)state;
    snprintf(fx.dir, sizeof(fx.dir), "/tmp/mdata-gen-test-XXXXXX");
    if (mkdtemp(fx.dir) == NULL) {
        return -1;
    }
    snprintf(fx.store_dir, sizeof(fx.store_dir), "%s/a", fx.dir);
    MdError err;
    md_error_clear(&err);
    if (generate(fx.store_dir, 1, &err) != MD_OK) {
        fprintf(stderr, "generate: %s\n", err.message);
        nftw(fx.dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
        return -1;
    }
    fx.store = store_open(fx.store_dir, &err);
    fx.version = fx.store ? store_version_open(fx.store, "1.0.0", &err) : NULL;
    char path[400];
    snprintf(path, sizeof(path), "%s/gen/histories.bin", fx.store_dir);
    if (fx.version == NULL || gen_histories_open(&fx.h, path, &err) != MD_OK) {
        fprintf(stderr, "open: %s\n", err.message);
        teardown(state);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    gen_histories_free(&fx.h);
    if (fx.version) {
        store_version_close(fx.version);
    }
    if (fx.store) {
        store_close(fx.store);
    }
    nftw(fx.dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    return 0;
}

static const VariableInfo *var(const char *name)
{
    const VariableInfo *info = store_version_variable(fx.version, name);
    assert_non_null(info);
    return info;
}

static int64_t person_index(uint64_t id)
{
    assert_true(id >= GEN_PERSON_BASE);
    assert_true(id - GEN_PERSON_BASE < (uint64_t)fx.h.p.n);
    return (int64_t)(id - GEN_PERSON_BASE);
}

/* ==== Every variable answers ============================================================ */

static void check_codes(const VariableInfo *info, const Spells *s)
{
    if (info->value_type != VALUE_STRING || info->n_codes == 0) {
        return;
    }
    for (int64_t r = 0; r < s->n; r += 7) {
        const char *code = s->dictionary[s->string_ids[r]];
        int32_t at = s->starts[r] == DATE_NONE ? DATE_NONE : s->starts[r];
        if (variable_code_label(info, code, DATE_NONE) == NULL) {
            fail_msg("%s: value outside the code list", info->name);
        }
        (void)at;
    }
}

static void query_ok(const VariableInfo *info, QueryKind kind, int32_t a, int32_t b)
{
    MdError err;
    md_error_clear(&err);
    Spells s;
    MdStatus st = kind == QUERY_FIXED ? store_query_fixed(fx.version, info, NULL, &s, &err)
                  : kind == QUERY_AT  ? store_query_at(fx.version, info, a, NULL, &s, &err)
                                      : store_query_period(fx.version, info, a, b, NULL, &s, &err);
    if (st != MD_OK) {
        fail_msg("%s kind %d: %s", info->name, (int)kind, err.message);
    }
    check_codes(info, &s);
    spells_free(&s);
}

static void test_every_variable_answers(void **state)
{
    (void)state;
    int64_t n = store_version_variable_count(fx.version);
    assert_int_equal(n, 732);
    for (int64_t k = 0; k < n; k++) {
        const VariableInfo *info = store_version_variable_at(fx.version, k);
        int32_t lo = info->valid_from, hi = info->valid_until;
        switch (info->temporality) {
        case TEMPORALITY_FIXED:
            query_ok(info, QUERY_FIXED, 0, 0);
            break;
        case TEMPORALITY_STATUS:
            assert_true(info->n_status_dates > 0);
            query_ok(info, QUERY_AT, info->status_dates[0], 0);
            query_ok(info, QUERY_AT, info->status_dates[info->n_status_dates - 1], 0);
            query_ok(info, QUERY_PERIOD, lo, hi);
            break;
        case TEMPORALITY_ACCUMULATED:
            query_ok(info, QUERY_AT, lo, 0);
            query_ok(info, QUERY_AT, hi, 0);
            query_ok(info, QUERY_PERIOD, lo, hi);
            break;
        case TEMPORALITY_EVENT:
            query_ok(info, QUERY_AT, lo + (hi - lo) / 2, 0);
            query_ok(info, QUERY_PERIOD, lo, hi);
            break;
        }
        assert_true(info->valid_from == DATE_NONE || info->valid_from >= 0 ||
                    info->temporality == TEMPORALITY_FIXED);
    }
}

/* ==== Population ======================================================================== */

static void test_population_size_and_shape(void **state)
{
    (void)state;
    const GenPersons *p = &fx.h.p;
    int32_t day = date_from_ymd(2024, 1, 1);
    int64_t residents = 0, old = 0, young = 0;
    for (int64_t i = 0; i < p->n; i++) {
        if (gen_resident_at(p, i, day)) {
            residents++;
            int32_t age = gen_age_at(p, i, day);
            old += age >= 67;
            young += age < 20;
        }
        if (i > 0) {
            assert_true(p->birth[i - 1] <= p->birth[i]);
        }
    }
    double target = 5.5e6 * TEST_SCALE;
    assert_true(residents > target * 0.8 && residents < target * 1.2);
    /* Norway 2024: about 18 % aged 67+, 22 % under 20. */
    assert_true(old > residents * 0.10 && old < residents * 0.26);
    assert_true(young > residents * 0.14 && young < residents * 0.30);
}

static void test_mothers_are_real_and_older(void **state)
{
    (void)state;
    MdError err;
    md_error_clear(&err);
    Spells s;
    assert_int_equal(store_query_fixed(fx.version, var("BEFOLKNING_MOR_FNR"), NULL, &s, &err),
                     MD_OK);
    assert_true(s.n > fx.h.p.n / 3);
    const GenPersons *p = &fx.h.p;
    for (int64_t r = 0; r < s.n; r++) {
        int64_t child = person_index(s.unit_ids[r]);
        int64_t mother = person_index((uint64_t)s.longs[r]);
        assert_int_equal(p->sex[mother], 2);
        int32_t gap = p->birth[child] - p->birth[mother];
        assert_true(gap >= date_from_ymd(1985, 1, 1) - date_from_ymd(1970, 1, 1));
        assert_true(gap <= date_from_ymd(2020, 1, 1) - date_from_ymd(1970, 1, 1));
        assert_true(gen_resident_at(p, mother, p->birth[child]));
    }
    spells_free(&s);
}

static void test_siblings_share_a_mother(void **state)
{
    (void)state;
    MdError err;
    md_error_clear(&err);
    Spells s;
    assert_int_equal(store_query_fixed(fx.version, var("BEFOLKNING_SOESKEN_FNR"), NULL, &s, &err),
                     MD_OK);
    assert_true(s.n > 0);
    for (int64_t r = 0; r < s.n; r++) {
        int64_t a = person_index(s.unit_ids[r]), b = person_index((uint64_t)s.longs[r]);
        assert_true(a != b);
        assert_int_equal(fx.h.p.mother[a], fx.h.p.mother[b]);
        assert_true(fx.h.p.mother[a] >= 0);
    }
    spells_free(&s);
}

static void test_pointers_hold_target_ids(void **state)
{
    (void)state;
    int64_t n = store_version_variable_count(fx.version);
    int checked = 0;
    for (int64_t k = 0; k < n; k++) {
        const VariableInfo *info = store_version_variable_at(fx.version, k);
        if (info->pointer_to == NULL) {
            continue;
        }
        assert_string_equal(info->pointer_to, "PERSON");
        MdError err;
        md_error_clear(&err);
        Spells s;
        MdStatus st = info->temporality == TEMPORALITY_FIXED
            ? store_query_fixed(fx.version, info, NULL, &s, &err)
            : store_query_at(fx.version, info, info->status_dates[info->n_status_dates / 2],
                             NULL, &s, &err);
        assert_int_equal(st, MD_OK);
        for (int64_t r = 0; r < s.n; r++) {
            person_index((uint64_t)s.longs[r]);
        }
        checked += s.n > 0;
        spells_free(&s);
    }
    assert_true(checked >= 12);
}

static void test_jobs_point_to_working_persons(void **state)
{
    (void)state;
    MdError err;
    md_error_clear(&err);
    Spells s;
    assert_int_equal(store_query_fixed(fx.version, var("ARBEIDSFORHOLD_PERSON"), NULL, &s, &err),
                     MD_OK);
    assert_true(s.n > 0);
    for (int64_t r = 0; r < s.n; r++) {
        int64_t owner = person_index((uint64_t)s.longs[r]);
        assert_true(gen_age_at(&fx.h.p, owner, date_from_ymd(2025, 12, 31)) >= 16);
        assert_true(s.unit_ids[r] >= gen_child_id(GEN_CHILD_JOBB, 0));
        assert_true(r == 0 || s.unit_ids[r] > s.unit_ids[r - 1]);
    }
    spells_free(&s);
}

static void test_no_income_after_death_or_emigration(void **state)
{
    (void)state;
    const VariableInfo *info = var("INNTEKT_WLONN");
    MdError err;
    md_error_clear(&err);
    Spells s;
    assert_int_equal(store_query_period(fx.version, info, info->valid_from, info->valid_until,
                                        NULL, &s, &err), MD_OK);
    const GenPersons *p = &fx.h.p;
    int64_t positive = 0;
    for (int64_t r = 0; r < s.n; r++) {
        int64_t i = person_index(s.unit_ids[r]);
        assert_true(gen_resident_days(p, i, s.starts[r], s.stops[r]) > 0);
        if (p->death[i] != DATE_OPEN) {
            assert_true(s.starts[r] < p->death[i]);
        }
        positive += s.longs[r] > 0;
    }
    assert_true(positive > s.n / 3);
    spells_free(&s);
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static void test_wage_median_plausible(void **state)
{
    (void)state;
    MdError err;
    md_error_clear(&err);
    Spells s;
    assert_int_equal(store_query_at(fx.version, var("INNTEKT_WLONN"), date_from_ymd(2023, 6, 1),
                                    NULL, &s, &err), MD_OK);
    int64_t *v = malloc((size_t)(s.n + 1) * sizeof(int64_t));
    int64_t n = 0;
    for (int64_t r = 0; r < s.n; r++) {
        if (s.longs[r] > 0) {
            v[n++] = s.longs[r];
        }
    }
    qsort(v, (size_t)n, sizeof(int64_t), cmp_i64);
    assert_true(n > 100);
    int64_t median = v[n / 2];
    free(v);
    spells_free(&s);
    assert_true(median > 420000 && median < 680000);
}

static void test_kommune_codes_valid_at_date(void **state)
{
    (void)state;
    const VariableInfo *info = var("BEFOLKNING_KOMMNR_FORMELL");
    for (int64_t k = 0; k < info->n_status_dates; k += 5) {
        int32_t day = info->status_dates[k];
        MdError err;
        md_error_clear(&err);
        Spells s;
        assert_int_equal(store_query_at(fx.version, info, day, NULL, &s, &err), MD_OK);
        assert_true(s.n > 0);
        int64_t oslo = 0;
        for (int64_t r = 0; r < s.n; r++) {
            const char *code = s.dictionary[s.string_ids[r]];
            assert_non_null(variable_code_label(info, code, day));
            oslo += strcmp(code, "0301") == 0;
        }
        assert_true(oslo > s.n / 20);
        spells_free(&s);
    }
}

static void test_residence_spells_valid_codes(void **state)
{
    (void)state;
    const VariableInfo *info = var("BOSATTEFDT_BOSTED");
    MdError err;
    md_error_clear(&err);
    Spells s;
    assert_int_equal(store_query_period(fx.version, info, info->valid_from, info->valid_until,
                                        NULL, &s, &err), MD_OK);
    assert_true(s.n > fx.h.p.n / 4);
    for (int64_t r = 0; r < s.n; r++) {
        const char *code = s.dictionary[s.string_ids[r]];
        assert_non_null(variable_code_label(info, code, s.starts[r]));
        int32_t last = s.stops[r] == DATE_OPEN ? info->valid_until : s.stops[r];
        assert_non_null(variable_code_label(info, code, last));
        assert_true(gen_resident_at(&fx.h.p, person_index(s.unit_ids[r]), s.starts[r]));
    }
    spells_free(&s);
}

/* ==== Status dates ====================================================================== */

static void test_status_dates_follow_catalogue(void **state)
{
    (void)state;
    json_error_t jerr;
    json_t *root = json_load_file(CATALOG, 0, &jerr);
    assert_non_null(root);
    json_t *vars = json_object_get(root, "variables");
    for (size_t k = 0; k < json_array_size(vars); k++) {
        json_t *v = json_array_get(vars, k);
        json_t *rule = json_object_get(v, "status_dates");
        if (!json_is_object(rule)) {
            continue;
        }
        const VariableInfo *info = var(json_string_value(json_object_get(v, "name")));
        bool monthly = strcmp(json_string_value(json_object_get(rule, "every")), "month") == 0;
        json_t *jday = json_object_get(rule, "day");
        int32_t month = (int32_t)json_integer_value(json_object_get(rule, "month"));
        assert_true(info->n_status_dates > 0);
        for (int64_t d = 0; d < info->n_status_dates; d++) {
            int32_t y, m, dd, date = info->status_dates[d];
            date_to_ymd(date, &y, &m, &dd);
            assert_true(date >= date_from_ymd(1970, 1, 1));
            assert_true(date >= info->valid_from && date <= info->valid_until);
            if (!monthly) {
                assert_int_equal(m, month);
                assert_true(d == 0 || y == date_year(info->status_dates[d - 1]) + 1);
            } else {
                assert_true(d == 0 || date - info->status_dates[d - 1] <= 31);
            }
            if (json_is_integer(jday) && json_integer_value(jday) <= 28) {
                assert_int_equal(dd, json_integer_value(jday));
            } else {
                assert_int_equal(dd, date_days_in_month(y, m));
            }
        }
    }
    json_decref(root);
}

/* ==== Determinism ======================================================================= */

static bool files_equal(const char *a, const char *b)
{
    FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
    bool same = fa != NULL && fb != NULL;
    char x[65536], y[65536];
    while (same) {
        size_t na = fread(x, 1, sizeof(x), fa), nb = fread(y, 1, sizeof(y), fb);
        same = na == nb && memcmp(x, y, na) == 0;
        if (na == 0 || na != nb) {
            break;
        }
    }
    if (fa) {
        fclose(fa);
    }
    if (fb) {
        fclose(fb);
    }
    return same;
}

/* Every file of directory a has an equal file of the same name in b. */
static bool dirs_equal(const char *a, const char *b)
{
    DIR *d = opendir(a);
    if (d == NULL) {
        return false;
    }
    bool same = true;
    int files = 0;
    struct dirent *e;
    while (same && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') {
            continue;
        }
        char x[1024], y[1024];
        snprintf(x, sizeof(x), "%s/%s", a, e->d_name);
        snprintf(y, sizeof(y), "%s/%s", b, e->d_name);
        same = files_equal(x, y);
        files++;
    }
    closedir(d);
    return same && files > 0;
}

static void test_deterministic_in_seed(void **state)
{
    (void)state;
    char b[320], pa[400], pb[400];
    snprintf(b, sizeof(b), "%s/b", fx.dir);
    MdError err;
    md_error_clear(&err);
    assert_int_equal(generate(b, 1, &err), MD_OK);
    snprintf(pa, sizeof(pa), "%s/gen/histories.bin", fx.store_dir);
    snprintf(pb, sizeof(pb), "%s/gen/histories.bin", b);
    assert_true(files_equal(pa, pb));
    snprintf(pa, sizeof(pa), "%s/parts/INNTEKT_WLONN", fx.store_dir);
    snprintf(pb, sizeof(pb), "%s/parts/INNTEKT_WLONN", b);
    assert_true(dirs_equal(pa, pb));
    /* Another seed gives another population (built in memory, not stored). */
    GenCatalog cat;
    GenPlaces places;
    GenHistories other;
    assert_int_equal(gen_catalog_load(&cat, NULL, KOMMUNER, &err), MD_OK);
    assert_int_equal(gen_places_build(&places, &cat, &err), MD_OK);
    assert_int_equal(gen_population_build(&other, &places, &cat, TEST_SCALE, 2, 1, &err), MD_OK);
    assert_true(other.p.n != fx.h.p.n ||
                memcmp(other.p.birth, fx.h.p.birth, (size_t)other.p.n * 4) != 0);
    gen_histories_free(&other);
    gen_places_free(&places);
    gen_catalog_free(&cat);
    /* The same query on both stores gives the same rows. */
    Store *sb = store_open(b, &err);
    assert_non_null(sb);
    StoreVersion *vb = store_version_open(sb, "1.0.0", &err);
    assert_non_null(vb);
    static const char *const names[] = {"INNTEKT_WLONN", "BEFOLKNING_KOMMNR_FORMELL",
                                        "INNTEKT_WKAPINNT", "ARBLONN_ARB_STILLINGSPST"};
    for (size_t k = 0; k < MD_ARRAY_LEN(names); k++) {
        const VariableInfo *ia = var(names[k]);
        const VariableInfo *ib = store_version_variable(vb, names[k]);
        int32_t day = ia->temporality == TEMPORALITY_STATUS
                          ? ia->status_dates[ia->n_status_dates - 2] : ia->valid_until - 400;
        Spells x, y;
        assert_int_equal(store_query_at(fx.version, ia, day, NULL, &x, &err), MD_OK);
        assert_int_equal(store_query_at(vb, ib, day, NULL, &y, &err), MD_OK);
        assert_int_equal(x.n, y.n);
        assert_memory_equal(x.unit_ids, y.unit_ids, (size_t)x.n * 8);
        spells_free(&x);
        spells_free(&y);
    }
    store_version_close(vb);
    store_close(sb);
}

static void test_refuses_existing_store(void **state)
{
    (void)state;
    MdError err;
    md_error_clear(&err);
    assert_int_not_equal(generate(fx.store_dir, 1, &err), MD_OK);
}

static void test_population_query_restricts(void **state)
{
    (void)state;
    uint64_t ids[3] = {gen_person_id(1), gen_person_id(fx.h.p.n / 2), gen_person_id(fx.h.p.n - 1)};
    Population pop = {ids, 3};
    MdError err;
    md_error_clear(&err);
    Spells s;
    assert_int_equal(store_query_fixed(fx.version, var("BEFOLKNING_KJOENN"), &pop, &s, &err),
                     MD_OK);
    assert_int_equal(s.n, 3);
    assert_int_equal(s.unit_ids[1], ids[1]);
    spells_free(&s);
    const VariableInfo *info = var("INNTEKT_WKAPINNT");
    assert_int_equal(store_query_at(fx.version, info, date_from_ymd(2020, 5, 5), &pop, &s, &err),
                     MD_OK);
    assert_true(s.n <= 3);
    for (int64_t r = 0; r < s.n; r++) {
        assert_true(s.unit_ids[r] == ids[0] || s.unit_ids[r] == ids[1] || s.unit_ids[r] == ids[2]);
    }
    spells_free(&s);
}

static void test_status_date_error_names_nearest(void **state)
{
    (void)state;
    MdError err;
    md_error_clear(&err);
    Spells s;
    const VariableInfo *info = var("BEFOLKNING_REGSTAT_FAMNR");
    assert_int_not_equal(store_query_at(fx.version, info, date_from_ymd(2010, 6, 1), NULL, &s,
                                        &err), MD_OK);
    assert_non_null(strstr(err.message, "2010-01-01"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_variable_answers),
        cmocka_unit_test(test_population_size_and_shape),
        cmocka_unit_test(test_mothers_are_real_and_older),
        cmocka_unit_test(test_siblings_share_a_mother),
        cmocka_unit_test(test_pointers_hold_target_ids),
        cmocka_unit_test(test_jobs_point_to_working_persons),
        cmocka_unit_test(test_no_income_after_death_or_emigration),
        cmocka_unit_test(test_wage_median_plausible),
        cmocka_unit_test(test_kommune_codes_valid_at_date),
        cmocka_unit_test(test_residence_spells_valid_codes),
        cmocka_unit_test(test_status_dates_follow_catalogue),
        cmocka_unit_test(test_deterministic_in_seed),
        cmocka_unit_test(test_refuses_existing_store),
        cmocka_unit_test(test_population_query_restricts),
        cmocka_unit_test(test_status_date_error_names_nearest),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
