/*
 * test_store_format.c - the datastore on disk: creation (manifest, secret key), the
 * writer's checks of sortedness and temporality rules and its all-or-nothing behaviour,
 * parts split by date and written in segments, damaged part files (truncated, bad magic,
 * header checksum, string ids), generated variables, and a randomised comparison of every
 * query kind against a brute-force filter.
 */
#include "store_fixture.h"

#include "store/store_int.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct Fixture {
    char tmp[256];
    char dir[300];
    Store *store;
} Fixture;

static int setup(void **state)
{
    Fixture *f = calloc(1, sizeof *f);
    fixture_store_dir(f->tmp, sizeof f->tmp, f->dir, sizeof f->dir);
    MdError err;
    md_error_clear(&err);
    f->store = store_open(f->dir, &err);
    assert_non_null(f->store);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    Fixture *f = *state;
    store_close(f->store);
    fixture_rm_rf(f->tmp);
    free(f);
    return 0;
}

static Spells rows_of(int64_t n, const uint64_t *ids, const int32_t *st, const int32_t *sp,
                      const int64_t *vals)
{
    Spells r;
    memset(&r, 0, sizeof r);
    r.n = n;
    r.type = VALUE_LONG;
    r.unit_ids = ids;
    r.starts = st;
    r.stops = sp;
    r.longs = vals;
    return r;
}

/* ==== Creation ========================================================================= */

static void create_writes_manifest_and_secret(void **state)
{
    Fixture *f = *state;
    struct stat st;
    assert_string_equal(store_name(f->store), "test.store");
    assert_false(store_is_synthetic(f->store));
    assert_int_equal(store_release_count(f->store), 0);
    assert_null(store_latest_release(f->store));
    assert_int_equal(stat(store_secret_path(f->store), &st), 0);
    assert_int_equal(st.st_size, 32);
    assert_int_equal(st.st_mode & 0777, 0600);
}

static void create_refuses_an_existing_store(void **state)
{
    Fixture *f = *state;
    MdError err;
    md_error_clear(&err);
    assert_int_equal(store_create(f->dir, "again", false, &err), MD_ERR_IO);
    assert_non_null(strstr(err.message, "already holds a datastore"));
}

static void open_refuses_a_directory_without_manifest(void **state)
{
    Fixture *f = *state;
    MdError err;
    md_error_clear(&err);
    assert_null(store_open(f->tmp, &err));
    assert_int_equal(err.status, MD_ERR_IO);
    assert_non_null(strstr(err.message, "manifest"));
}

/* ==== Writer checks ==================================================================== */

static void expect_add_fails(Store *store, const VariableInfo *info, const Spells *rows,
                             const char *needle)
{
    MdError err;
    md_error_clear(&err);
    VariableWriter *w = variable_writer_new(store, info, &err);
    assert_non_null(w);
    assert_int_not_equal(variable_writer_add(w, rows, &err), MD_OK);
    if (!strstr(err.message, needle))
        fail_msg("expected '%s' in '%s'", needle, err.message);
    variable_writer_abort(w);
}

static void writer_rejects_broken_rows(void **state)
{
    Fixture *f = *state;
    VariableInfo ev = fixture_info("EV", TEMPORALITY_EVENT, VALUE_LONG);
    int64_t v[] = {1, 2};
    Spells r = rows_of(2, (uint64_t[]){2, 1}, (int32_t[]){0, 0}, (int32_t[]){5, 5}, v);
    expect_add_fails(f->store, &ev, &r, "not sorted by unit id");
    r = rows_of(2, (uint64_t[]){1, 1}, (int32_t[]){0, 5}, (int32_t[]){5, 9}, v);
    expect_add_fails(f->store, &ev, &r, "overlap");
    r = rows_of(2, (uint64_t[]){1, 1}, (int32_t[]){0, 5}, (int32_t[]){DATE_OPEN, 9}, v);
    expect_add_fails(f->store, &ev, &r, "overlap");
    r = rows_of(1, (uint64_t[]){1}, (int32_t[]){5}, (int32_t[]){4}, v);
    expect_add_fails(f->store, &ev, &r, "not before it");
    VariableInfo acc = fixture_info("AC", TEMPORALITY_ACCUMULATED, VALUE_LONG);
    r = rows_of(1, (uint64_t[]){1}, (int32_t[]){5}, (int32_t[]){5}, v);
    expect_add_fails(f->store, &acc, &r, "start before stop");
    VariableInfo sta = fixture_info("ST", TEMPORALITY_STATUS, VALUE_LONG);
    r = rows_of(1, (uint64_t[]){1}, (int32_t[]){5}, (int32_t[]){6}, v);
    expect_add_fails(f->store, &sta, &r, "start = stop");
    r = rows_of(2, (uint64_t[]){1, 1}, (int32_t[]){5, 5}, (int32_t[]){5, 5}, v);
    expect_add_fails(f->store, &sta, &r, "more than one row");
    int32_t dates[] = {10};
    sta.status_dates = dates;
    sta.n_status_dates = 1;
    r = rows_of(1, (uint64_t[]){1}, (int32_t[]){5}, (int32_t[]){5}, v);
    expect_add_fails(f->store, &sta, &r, "not one of the variable's status dates");
    VariableInfo fix = fixture_info("FX", TEMPORALITY_FIXED, VALUE_LONG);
    r = rows_of(1, (uint64_t[]){1}, (int32_t[]){5}, (int32_t[]){5}, v);
    expect_add_fails(f->store, &fix, &r, "no start date");
    Spells typed = r;
    typed.type = VALUE_DOUBLE;
    expect_add_fails(f->store, &fix, &typed, "holds LONG values");
}

static void writer_rejects_bad_metadata(void **state)
{
    Fixture *f = *state;
    MdError err;
    md_error_clear(&err);
    VariableInfo bad = fixture_info("../etc", TEMPORALITY_FIXED, VALUE_LONG);
    assert_null(variable_writer_new(f->store, &bad, &err));
    assert_int_equal(err.status, MD_ERR_NAME);
    VariableInfo sta = fixture_info("ST", TEMPORALITY_STATUS, VALUE_LONG);
    int32_t dates[] = {10, 10};
    sta.status_dates = dates;
    sta.n_status_dates = 2;
    md_error_clear(&err);
    assert_null(variable_writer_new(f->store, &sta, &err));
    assert_int_equal(err.status, MD_ERR_VALUE);
}

static void failed_add_leaves_writer_as_before(void **state)
{
    Fixture *f = *state;
    MdError err;
    md_error_clear(&err);
    VariableInfo ev = fixture_info("EV", TEMPORALITY_EVENT, VALUE_LONG);
    VariableWriter *w = variable_writer_new(f->store, &ev, &err);
    Spells good = rows_of(1, (uint64_t[]){1}, (int32_t[]){0}, (int32_t[]){5}, (int64_t[]){7});
    assert_int_equal(variable_writer_add(w, &good, &err), MD_OK);
    /* The second row of this batch overlaps the first: nothing of it may stay. */
    Spells bad = rows_of(2, (uint64_t[]){2, 2}, (int32_t[]){0, 3}, (int32_t[]){5, 9},
                         (int64_t[]){8, 9});
    assert_int_not_equal(variable_writer_add(w, &bad, &err), MD_OK);
    md_error_clear(&err);
    Spells more = rows_of(1, (uint64_t[]){2}, (int32_t[]){1}, (int32_t[]){2}, (int64_t[]){10});
    assert_int_equal(variable_writer_add(w, &more, &err), MD_OK);
    assert_int_equal(variable_writer_commit(w, &err), MD_OK);
    StoreVersion *v = fixture_version(f->store, "draft");
    Spells s;
    assert_int_equal(store_query_fixed(v, store_version_variable(v, "EV"), NULL, &s, &err),
                     MD_OK);
    assert_int_equal(s.n, 2);
    assert_int_equal(s.longs[0], 7);
    assert_int_equal(s.longs[1], 10);
    assert_int_equal(store_version_variable(v, "EV")->n_rows, 2);
    spells_free(&s);
    store_version_close(v);
}

static int count_files(const char *dir)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "ls -A %s 2>/dev/null | wc -l", dir);
    FILE *p = popen(cmd, "r");
    int n = -1;
    assert_int_equal(fscanf(p, "%d", &n), 1);
    pclose(p);
    return n;
}

static void abort_leaves_nothing_visible(void **state)
{
    Fixture *f = *state;
    MdError err;
    md_error_clear(&err);
    VariableInfo sta = fixture_info("ST", TEMPORALITY_STATUS, VALUE_LONG);
    VariableWriter *w = variable_writer_new(f->store, &sta, &err);
    for (int32_t d = 0; d < 3; d++) {
        Spells r = rows_of(1, (uint64_t[]){1}, &d, &d, (int64_t[]){d});
        assert_int_equal(variable_writer_add(w, &r, &err), MD_OK);
    }
    char parts[400];
    snprintf(parts, sizeof parts, "%s/parts/ST", f->dir);
    assert_int_equal(count_files(parts), 2); /* dates 0 and 1 were written as segments */
    variable_writer_abort(w);
    assert_int_equal(count_files(parts), 0);
    StoreVersion *v = fixture_version(f->store, "draft");
    assert_null(store_version_variable(v, "ST"));
    assert_int_equal(store_version_variable_count(v), 0);
    store_version_close(v);
}

static void status_given_in_chunks_reopens_dates(void **state)
{
    Fixture *f = *state;
    MdError err;
    md_error_clear(&err);
    VariableInfo sta = fixture_info("ST", TEMPORALITY_STATUS, VALUE_LONG);
    VariableWriter *w = variable_writer_new(f->store, &sta, &err);
    /* Chunk 1: units 1-2 at dates 10 and 20; chunk 2: unit 3 at 20 only (closes date 10);
     * chunk 3: unit 4 at date 10 again (a new segment). */
    Spells c1 = rows_of(4, (uint64_t[]){1, 1, 2, 2}, (int32_t[]){10, 20, 10, 20},
                        (int32_t[]){10, 20, 10, 20}, (int64_t[]){110, 120, 210, 220});
    Spells c2 = rows_of(1, (uint64_t[]){3}, (int32_t[]){20}, (int32_t[]){20}, (int64_t[]){320});
    Spells c3 = rows_of(1, (uint64_t[]){4}, (int32_t[]){10}, (int32_t[]){10}, (int64_t[]){410});
    Spells bad = rows_of(1, (uint64_t[]){2}, (int32_t[]){10}, (int32_t[]){10}, (int64_t[]){0});
    assert_int_equal(variable_writer_add(w, &c1, &err), MD_OK);
    assert_int_equal(variable_writer_add(w, &c2, &err), MD_OK);
    assert_int_not_equal(variable_writer_add(w, &bad, &err), MD_OK); /* order is kept */
    md_error_clear(&err);
    assert_int_equal(variable_writer_add(w, &c3, &err), MD_OK);
    assert_int_equal(variable_writer_commit(w, &err), MD_OK);
    StoreVersion *v = fixture_version(f->store, "draft");
    const VariableInfo *info = store_version_variable(v, "ST");
    assert_int_equal(info->n_status_dates, 2);
    assert_int_equal(info->n_rows, 6);
    Spells s;
    assert_int_equal(store_query_at(v, info, 10, NULL, &s, &err), MD_OK);
    assert_int_equal(s.n, 3);
    assert_false(s.is_view); /* two segments */
    assert_int_equal(s.unit_ids[2], 4);
    assert_int_equal(s.longs[2], 410);
    spells_free(&s);
    assert_int_equal(store_query_at(v, info, 20, NULL, &s, &err), MD_OK);
    assert_int_equal(s.n, 3);
    assert_true(s.is_view);
    assert_int_equal(s.longs[2], 320);
    spells_free(&s);
    store_version_close(v);
}

static void generated_variable_takes_no_rows(void **state)
{
    Fixture *f = *state;
    MdError err;
    md_error_clear(&err);
    VariableInfo info = fixture_info("GEN", TEMPORALITY_FIXED, VALUE_LONG);
    VariableWriter *w = variable_writer_new(f->store, &info, &err);
    variable_writer_set_generated(w);
    Spells r = rows_of(1, (uint64_t[]){1}, (int32_t[]){DATE_NONE}, (int32_t[]){1},
                       (int64_t[]){1});
    assert_int_equal(variable_writer_add(w, &r, &err), MD_ERR_VALUE);
    md_error_clear(&err);
    assert_int_equal(variable_writer_commit(w, &err), MD_OK);
    StoreVersion *v = fixture_version(f->store, "draft");
    const VariableInfo *got = store_version_variable(v, "GEN");
    assert_non_null(got);
    assert_int_equal(got->n_rows, 0);
    char path[400], *text = NULL;
    snprintf(path, sizeof path, "%s/draft/GEN.json", f->dir);
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    text = calloc(1, 4096);
    assert_true(fread(text, 1, 4095, fp) > 0);
    fclose(fp);
    assert_non_null(strstr(text, "\"source\": \"generated\""));
    free(text);
    store_version_close(v);
}

/* With the buffer limit at one byte every batch is written at once, so an EVENT variable
 * given in three batches has three segments that queries merge, a unit straddling two. */
static void memory_limit_writes_segments(void **state)
{
    Fixture *f = *state;
    size_t saved = store_writer_flush_bytes;
    store_writer_flush_bytes = 1;
    MdError err;
    md_error_clear(&err);
    VariableInfo ev = fixture_info("EV", TEMPORALITY_EVENT, VALUE_LONG);
    VariableWriter *w = variable_writer_new(f->store, &ev, &err);
    Spells b1 = rows_of(2, (uint64_t[]){1, 2}, (int32_t[]){0, 0}, (int32_t[]){9, 9},
                        (int64_t[]){10, 20});
    Spells b2 = rows_of(2, (uint64_t[]){2, 3}, (int32_t[]){10, 0}, (int32_t[]){19, 9},
                        (int64_t[]){21, 30});
    Spells overlap = rows_of(1, (uint64_t[]){3}, (int32_t[]){5}, (int32_t[]){6},
                             (int64_t[]){0});
    Spells b3 = rows_of(1, (uint64_t[]){3}, (int32_t[]){10}, (int32_t[]){DATE_OPEN},
                        (int64_t[]){31});
    assert_int_equal(variable_writer_add(w, &b1, &err), MD_OK);
    assert_int_equal(variable_writer_add(w, &b2, &err), MD_OK);
    assert_int_not_equal(variable_writer_add(w, &overlap, &err), MD_OK); /* across segments */
    md_error_clear(&err);
    assert_int_equal(variable_writer_add(w, &b3, &err), MD_OK);
    assert_int_equal(variable_writer_commit(w, &err), MD_OK);
    store_writer_flush_bytes = saved;
    StoreVersion *v = fixture_version(f->store, "draft");
    const VariableInfo *info = store_version_variable(v, "EV");
    Spells s;
    assert_int_equal(store_query_period(v, info, 0, 100, NULL, &s, &err), MD_OK);
    assert_int_equal(s.n, 5);
    int64_t want[] = {10, 20, 21, 30, 31};
    for (int i = 0; i < 5; i++)
        assert_int_equal(s.longs[i], want[i]);
    spells_free(&s);
    uint64_t ids[] = {2, 3};
    Population pop = {ids, 2};
    assert_int_equal(store_query_at(v, info, 15, &pop, &s, &err), MD_OK);
    assert_int_equal(s.n, 2);
    assert_int_equal(s.longs[0], 21);
    assert_int_equal(s.longs[1], 31);
    spells_free(&s);
    store_version_close(v);
}

/* ==== Damaged part files =============================================================== */

static void write_one_string_var(Store *store)
{
    MdError err;
    md_error_clear(&err);
    VariableInfo info = fixture_info("STR", TEMPORALITY_FIXED, VALUE_STRING);
    VariableWriter *w = variable_writer_new(store, &info, &err);
    const char *dict[] = {"a", "bb"};
    Spells r = {.n = 2, .type = VALUE_STRING, .unit_ids = (uint64_t[]){1, 2},
                .starts = (int32_t[]){DATE_NONE, DATE_NONE}, .stops = (int32_t[]){0, 0},
                .string_ids = (uint32_t[]){1, 0}, .dictionary = dict, .n_dictionary = 2};
    assert_int_equal(variable_writer_add(w, &r, &err), MD_OK);
    assert_int_equal(variable_writer_commit(w, &err), MD_OK);
}

/* Damages the part file of STR with how, then expects a query to fail with MD_ERR_IO. */
static void expect_damage_detected(Fixture *f, void (*how)(int fd, off_t size),
                                   const char *needle)
{
    write_one_string_var(f->store);
    char path[400];
    snprintf(path, sizeof path, "%s/parts/STR/g1-0.part", f->dir);
    chmod(path, 0644);
    int fd = open(path, O_RDWR);
    assert_true(fd >= 0);
    struct stat st;
    fstat(fd, &st);
    how(fd, st.st_size);
    close(fd);
    StoreVersion *v = fixture_version(f->store, "draft");
    Spells s;
    MdError err;
    md_error_clear(&err);
    assert_int_equal(store_query_fixed(v, store_version_variable(v, "STR"), NULL, &s, &err),
                     MD_ERR_IO);
    assert_non_null(strstr(err.message, "parts/STR/g1-0.part"));
    if (!strstr(err.message, needle))
        fail_msg("expected '%s' in '%s'", needle, err.message);
    store_version_close(v);
}

static void cut_the_end(int fd, off_t size) { assert_int_equal(ftruncate(fd, size - 8), 0); }
static void cut_to_ten(int fd, off_t size) { (void)size, assert_int_equal(ftruncate(fd, 10), 0); }

static void poke(int fd, off_t at, unsigned char byte)
{
    assert_int_equal(pwrite(fd, &byte, 1, at), 1);
}

static void bad_magic(int fd, off_t size) { (void)size, poke(fd, 0, 'X'); }
static void bad_row_count(int fd, off_t size) { (void)size, poke(fd, 16, 9); }
static void bad_string_id(int fd, off_t size)
{
    (void)size;
    /* values start after the header (104) and 2 ids, 2 starts, 2 stops = 104 + 32 */
    poke(fd, 136, 7);
}

static void truncated_part_is_an_io_error(void **state)
{
    expect_damage_detected(*state, cut_the_end, "truncated");
}

static void tiny_part_is_an_io_error(void **state)
{
    expect_damage_detected(*state, cut_to_ten, "shorter than its header");
}

static void bad_magic_is_an_io_error(void **state)
{
    expect_damage_detected(*state, bad_magic, "bad magic");
}

static void header_checksum_catches_a_changed_byte(void **state)
{
    expect_damage_detected(*state, bad_row_count, "checksum");
}

static void string_id_outside_dictionary_is_an_io_error(void **state)
{
    expect_damage_detected(*state, bad_string_id, "string id");
}

/* ==== Randomised comparison with a brute-force filter ================================== */

typedef struct Row {
    uint64_t id;
    int32_t start, stop;
    int64_t value;
} Row;

static int64_t brute(const Row *rows, int64_t n, int32_t lo, int32_t hi, const Population *pop,
                     Row *out)
{
    static bool member[1024];
    memset(member, 0, sizeof member);
    for (int64_t j = 0; pop && j < pop->n; j++)
        member[pop->unit_ids[j]] = true;
    int64_t k = 0;
    for (int64_t i = 0; i < n; i++) {
        bool in_pop = !pop || member[rows[i].id];
        if (in_pop && rows[i].start <= hi && rows[i].stop >= lo)
            out[k++] = rows[i];
    }
    return k; /* rows are generated in (id, start) order, so out is sorted */
}

/* Spells for 300 units over days 0..1999, written in 3 batches: EVENT with open stops in
 * one part, or ACCUMULATED (start < stop) spread over six start-year parts. */
static int64_t random_spells(Store *store, Rng *rng, Temporality t, Row *rows, int64_t cap)
{
    int64_t n = 0;
    for (uint64_t id = 1; id <= 300; id++) {
        int32_t day = (int32_t)rng_below(rng, 200);
        while (n < cap && day < 2000 && rng_below(rng, 5) != 0) {
            int32_t len = (int32_t)rng_below(rng, 100) + (t == TEMPORALITY_ACCUMULATED);
            bool open = t == TEMPORALITY_EVENT && rng_below(rng, 10) == 0;
            rows[n] = (Row){id * 3, day, open ? DATE_OPEN : day + len, (int64_t)n};
            n++;
            if (open)
                break;
            day += len + 1 + (int32_t)rng_below(rng, 50);
        }
    }
    MdError err;
    md_error_clear(&err);
    VariableInfo info = fixture_info(t == TEMPORALITY_EVENT ? "RND" : "RNDACC", t, VALUE_LONG);
    VariableWriter *w = variable_writer_new(store, &info, &err);
    uint64_t *ids = calloc((size_t)n, 8);
    int32_t *st = calloc((size_t)n, 4), *sp = calloc((size_t)n, 4);
    int64_t *vals = calloc((size_t)n, 8);
    for (int64_t i = 0; i < n; i++)
        ids[i] = rows[i].id, st[i] = rows[i].start, sp[i] = rows[i].stop, vals[i] = rows[i].value;
    for (int64_t from = 0; from < n; from += n / 3 + 1) {
        int64_t len = n - from < n / 3 + 1 ? n - from : n / 3 + 1;
        Spells r = rows_of(len, ids + from, st + from, sp + from, vals + from);
        assert_int_equal(variable_writer_add(w, &r, &err), MD_OK);
    }
    assert_int_equal(variable_writer_commit(w, &err), MD_OK);
    free(ids), free(st), free(sp), free(vals);
    return n;
}

static void compare(const Spells *s, const Row *want, int64_t n)
{
    assert_int_equal(s->n, n);
    for (int64_t i = 0; i < n; i++) {
        assert_int_equal(s->unit_ids[i], want[i].id);
        assert_int_equal(s->starts[i], want[i].start);
        assert_int_equal(s->stops[i], want[i].stop);
        assert_int_equal(s->longs[i], want[i].value);
    }
}

static void random_queries_match(Fixture *f, Temporality t)
{
    Rng rng;
    rng_seed(&rng, 42);
    enum { CAP = 20000 };
    Row *rows = calloc(CAP, sizeof *rows), *want = calloc(CAP, sizeof *want);
    int64_t n = random_spells(f->store, &rng, t, rows, CAP);
    assert_true(n > 500);
    StoreVersion *v = fixture_version(f->store, "draft");
    const VariableInfo *info = store_version_variable(v, t == TEMPORALITY_EVENT ? "RND"
                                                                                : "RNDACC");
    uint64_t pop_ids[400];
    for (int round = 0; round < 200; round++) {
        int64_t np = 0;
        int64_t density = rng_below(&rng, 4); /* 0: no population, 1: sparse, 2-3: dense */
        for (uint64_t id = 0; id < 400 && density > 0; id++) {
            if (rng_below(&rng, density == 1 ? 40 : 2) == 0)
                pop_ids[np++] = id;
        }
        Population pop = {pop_ids, np};
        const Population *p = density ? &pop : NULL;
        int32_t a = (int32_t)rng_below(&rng, 2200) - 100;
        int32_t b = a + (int32_t)rng_below(&rng, 3) * (int32_t)rng_below(&rng, 300);
        Spells s;
        MdError err;
        md_error_clear(&err);
        assert_int_equal(store_query_period(v, info, a, b, p, &s, &err), MD_OK);
        compare(&s, want, brute(rows, n, a, b, p, want));
        spells_free(&s);
        assert_int_equal(store_query_at(v, info, a, p, &s, &err), MD_OK);
        compare(&s, want, brute(rows, n, a, a, p, want));
        spells_free(&s);
    }
    store_version_close(v);
    free(rows);
    free(want);
}

static void random_event_queries_match_brute_force(void **state)
{
    random_queries_match(*state, TEMPORALITY_EVENT);
}

static void random_accumulated_queries_match_brute_force(void **state)
{
    random_queries_match(*state, TEMPORALITY_ACCUMULATED);
}


/* ==== Out of memory ==================================================================== */

/* Writes a STRING STATUS variable and queries it while allocation n fails, for every n
 * until everything succeeds: each failure is a clean error, leaks nothing and leaves the
 * draft without the variable. */
static MdStatus write_and_query(Store *store, MdError *err)
{
    VariableInfo info = fixture_info("OOM", TEMPORALITY_STATUS, VALUE_STRING);
    CodeEntry codes[] = {{"b", "B", DATE_NONE, DATE_OPEN, false},
                         {"a", "A", DATE_NONE, DATE_OPEN, false}};
    info.codes = codes;
    info.n_codes = 2;
    const char *dict[] = {"a", "b"};
    Spells r = {.n = 3, .type = VALUE_STRING, .unit_ids = (uint64_t[]){1, 1, 2},
                .starts = (int32_t[]){5, 9, 9}, .stops = (int32_t[]){5, 9, 9},
                .string_ids = (uint32_t[]){1, 0, 1}, .dictionary = dict, .n_dictionary = 2};
    VariableWriter *w = variable_writer_new(store, &info, err);
    if (!w)
        return err->status;
    if (variable_writer_add(w, &r, err) != MD_OK) {
        variable_writer_abort(w);
        return err->status;
    }
    if (variable_writer_commit(w, err) != MD_OK)
        return err->status;
    StoreVersion *v = store_version_open(store, "draft", err);
    if (!v)
        return err->status;
    uint64_t ids[] = {1};
    Population pop = {ids, 1};
    Spells s;
    MdStatus st = store_query_period(v, store_version_variable(v, "OOM"), 0, 10, &pop, &s, err);
    if (st == MD_OK) {
        assert_int_equal(s.n, 2);
        spells_free(&s);
    }
    store_version_close(v);
    return st;
}

static void out_of_memory_fails_cleanly(void **state)
{
    Fixture *f = *state;
    int64_t base = md_mem_live_allocations();
    for (int64_t n = 0; n < 500; n++) {
        MdError err;
        md_error_clear(&err);
        md_mem_fail_after(n);
        MdStatus st = write_and_query(f->store, &err);
        md_mem_fail_after(-1);
        assert_int_equal(md_mem_live_allocations(), base);
        if (st == MD_OK)
            return;
        assert_int_not_equal(err.status, MD_OK);
        /* Failures before the commit's entry write leave no variable in the draft. */
        StoreVersion *v = fixture_version(f->store, "draft");
        bool has = store_version_variable(v, "OOM") != NULL;
        store_version_close(v);
        if (!has) {
            char parts[400];
            snprintf(parts, sizeof parts, "%s/parts/OOM", f->dir);
            assert_int_equal(count_files(parts), 0);
        }
    }
    fail_msg("write_and_query never succeeded");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(create_writes_manifest_and_secret, setup, teardown),
        cmocka_unit_test_setup_teardown(create_refuses_an_existing_store, setup, teardown),
        cmocka_unit_test_setup_teardown(open_refuses_a_directory_without_manifest, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(writer_rejects_broken_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(writer_rejects_bad_metadata, setup, teardown),
        cmocka_unit_test_setup_teardown(failed_add_leaves_writer_as_before, setup, teardown),
        cmocka_unit_test_setup_teardown(abort_leaves_nothing_visible, setup, teardown),
        cmocka_unit_test_setup_teardown(status_given_in_chunks_reopens_dates, setup, teardown),
        cmocka_unit_test_setup_teardown(generated_variable_takes_no_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(memory_limit_writes_segments, setup, teardown),
        cmocka_unit_test_setup_teardown(truncated_part_is_an_io_error, setup, teardown),
        cmocka_unit_test_setup_teardown(tiny_part_is_an_io_error, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_magic_is_an_io_error, setup, teardown),
        cmocka_unit_test_setup_teardown(header_checksum_catches_a_changed_byte, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(string_id_outside_dictionary_is_an_io_error, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(random_event_queries_match_brute_force, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(random_accumulated_queries_match_brute_force, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(out_of_memory_fails_cleanly, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
