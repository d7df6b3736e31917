/*
 * bench_store_query.c - times store_query_at on a STATUS and an ACCUMULATED variable of
 * 5.5 million persons (env BENCH_ROWS), for the whole population and for a population of
 * every second person, against a plain loop that reads the same bytes of the mmap'd part
 * file. Prints figures and ratios; asserts nothing.
 *
 *   bench_store_query                      builds a store in $BENCH_DIR (default /tmp)
 *   bench_store_query DIR VARIABLE DATE [VERSION]   measures one variable of a store
 */
#include "store/store_int.h"

#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define BENCH_REPEAT 5

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void die(const MdError *err)
{
    char buf[1024];
    md_error_format(err, buf, sizeof buf);
    fprintf(stderr, "bench_store_query: %s\n", buf);
    exit(1);
}

/* ==== Building the store =============================================================== */

static void write_variable(Store *store, const char *name, Temporality t, int64_t rows,
                           const int32_t *starts_of, const int32_t *stops_of, int n_periods)
{
    MdError err;
    md_error_clear(&err);
    VariableInfo info;
    memset(&info, 0, sizeof info);
    info.name = name;
    info.title = name;
    info.temporality = t;
    info.unit_type = "PERSON";
    info.value_type = VALUE_LONG;
    info.valid_from = DATE_NONE;
    info.valid_until = DATE_NONE;
    VariableWriter *w = variable_writer_new(store, &info, &err);
    if (!w)
        die(&err);
    uint64_t *ids = md_malloc((size_t)rows * 8);
    int32_t *st = md_malloc((size_t)rows * 4), *sp = md_malloc((size_t)rows * 4);
    int64_t *vals = md_malloc((size_t)rows * 8);
    Rng rng;
    rng_seed(&rng, 7);
    for (int p = 0; p < n_periods; p++) {
        for (int64_t i = 0; i < rows; i++) {
            ids[i] = (uint64_t)(1000 + 3 * i);
            st[i] = starts_of[p];
            sp[i] = stops_of[p];
            vals[i] = (int64_t)rng_below(&rng, 1000000);
        }
        Spells batch = {.n = rows, .type = VALUE_LONG, .unit_ids = ids, .starts = st,
                        .stops = sp, .longs = vals};
        if (variable_writer_add(w, &batch, &err) != MD_OK)
            die(&err);
    }
    md_free(ids), md_free(st), md_free(sp), md_free(vals);
    if (variable_writer_commit(w, &err) != MD_OK)
        die(&err);
}

static void build_store(const char *dir, int64_t rows)
{
    MdError err;
    md_error_clear(&err);
    if (store_create(dir, "bench.store", true, &err) != MD_OK)
        die(&err);
    Store *store = store_open(dir, &err);
    if (!store)
        die(&err);
    int32_t status[2] = {date_from_ymd(2023, 1, 1), date_from_ymd(2024, 1, 1)};
    int32_t acc_start[2] = {date_from_ymd(2022, 1, 1), date_from_ymd(2023, 1, 1)};
    int32_t acc_stop[2] = {date_from_ymd(2022, 12, 31), date_from_ymd(2023, 12, 31)};
    double t0 = now_seconds();
    write_variable(store, "BENCH_STATUS", TEMPORALITY_STATUS, rows, status, status, 2);
    write_variable(store, "BENCH_ACCUMULATED", TEMPORALITY_ACCUMULATED, rows, acc_start,
                   acc_stop, 2);
    printf("write: 2 variables x 2 parts x %" PRId64 " rows in %.2f s\n", rows,
           now_seconds() - t0);
    store_close(store);
}

/* ==== Measuring ======================================================================== */

/* The value of row i as 64 bits, whatever the type. */
static uint64_t value_bits(const Spells *s, int64_t i)
{
    switch (s->type) {
    case VALUE_LONG: return (uint64_t)s->longs[i];
    case VALUE_DOUBLE: return (uint64_t)s->doubles[i];
    case VALUE_DATE: return (uint64_t)s->dates[i];
    case VALUE_STRING: return s->string_ids[i];
    }
    return 0;
}

/* Reads every row of s the way a consumer would (ids, starts, stops, values). */
static uint64_t consume(const Spells *s)
{
    uint64_t sum = 0;
    if (s->type == VALUE_LONG || s->type == VALUE_DOUBLE) {
        const uint64_t *v = s->type == VALUE_LONG ? (const uint64_t *)(const void *)s->longs
                                                  : (const uint64_t *)(const void *)s->doubles;
        for (int64_t i = 0; i < s->n; i++)
            sum += s->unit_ids[i] + (uint64_t)s->starts[i] + (uint64_t)s->stops[i] + v[i];
        return sum;
    }
    for (int64_t i = 0; i < s->n; i++)
        sum += s->unit_ids[i] + (uint64_t)s->starts[i] + (uint64_t)s->stops[i] +
               value_bits(s, i);
    return sum;
}

/* The plain loop: the same columns of the part file, mapped by hand (width: value bytes). */
static double plain_loop(const char *path, int64_t n, size_t width, uint64_t *sum_out)
{
    int fd = open(path, O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        fprintf(stderr, "bench_store_query: cannot open %s\n", path);
        exit(1);
    }
    const uint8_t *base = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    const uint64_t *ids = (const uint64_t *)(base + 104);
    const int32_t *starts = (const int32_t *)(ids + n), *stops = starts + n;
    const uint8_t *vals = base + ((104 + 16 * (size_t)n + 7) & ~(size_t)7);
    double best = 1e30;
    for (int r = 0; r < BENCH_REPEAT; r++) {
        double t0 = now_seconds();
        uint64_t sum = 0;
        if (width == 8) {
            const uint64_t *v = (const uint64_t *)vals;
            for (int64_t i = 0; i < n; i++)
                sum += ids[i] + (uint64_t)starts[i] + (uint64_t)stops[i] + v[i];
        } else {
            const uint32_t *v = (const uint32_t *)vals;
            for (int64_t i = 0; i < n; i++)
                sum += ids[i] + (uint64_t)starts[i] + (uint64_t)stops[i] + v[i];
        }
        volatile uint64_t sink = sum; /* keeps every repetition */
        double t = now_seconds() - t0;
        best = t < best ? t : best;
        *sum_out = sink;
    }
    munmap((void *)base, (size_t)st.st_size);
    return best;
}

typedef struct Timing {
    double query;       /* store_query_at alone */
    double with_scan;   /* store_query_at plus reading every returned row */
    int64_t rows;
    bool is_view;
} Timing;

static Timing time_query(StoreVersion *v, const VariableInfo *info, int32_t date,
                         const Population *pop)
{
    Timing best = {1e30, 1e30, 0, false};
    for (int r = 0; r < BENCH_REPEAT; r++) {
        MdError err;
        md_error_clear(&err);
        Spells s;
        double t0 = now_seconds();
        if (store_query_at(v, info, date, pop, &s, &err) != MD_OK)
            die(&err);
        double t1 = now_seconds();
        volatile uint64_t sink = consume(&s);
        (void)sink;
        double t2 = now_seconds();
        best.query = t1 - t0 < best.query ? t1 - t0 : best.query;
        best.with_scan = t2 - t0 < best.with_scan ? t2 - t0 : best.with_scan;
        best.rows = s.n;
        best.is_view = s.is_view;
        spells_free(&s);
    }
    return best;
}

static void report(const char *what, const Timing *t, double loop)
{
    printf("  %-34s %9" PRId64 " rows  query %8.2f ms  query+read %8.2f ms  %s  "
           "ratio to loop %.2f\n", what, t->rows, t->query * 1e3, t->with_scan * 1e3,
           t->is_view ? "view" : "copy", t->with_scan / loop);
}

static void measure(StoreVersion *v, const char *name, int32_t date)
{
    const VariableInfo *info = store_version_variable(v, name);
    if (!info) {
        fprintf(stderr, "bench_store_query: no variable %s\n", name);
        exit(1);
    }
    MdError err;
    md_error_clear(&err);
    Spells all;
    if (store_query_at(v, info, date, NULL, &all, &err) != MD_OK)
        die(&err);
    const VarEntry *e = store_version_entry(v, info);
    int64_t part = -1;
    for (int64_t k = 0; k < e->n_parts; k++) {
        if (e->parts[k].min_start <= date && e->parts[k].max_stop >= date)
            part = k;
    }
    if (part < 0) {
        fprintf(stderr, "bench_store_query: no stored part of %s covers the date\n", name);
        exit(1);
    }
    char path[STORE_PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", store_dir(v->store), e->parts[part].file);
    uint64_t sum = 0;
    double loop = plain_loop(path, e->parts[part].n_rows, part_value_width(info->value_type),
                             &sum);
    char day[16];
    date_format_iso(date, day);
    printf("%s at %s: part of %" PRId64 " rows, plain loop over the mmap'd columns %.2f ms "
           "(%.0f MB/s)\n", name, day, e->parts[part].n_rows, loop * 1e3,
           (double)e->parts[part].n_rows * 24 / loop / 1e6);
    Timing whole = time_query(v, info, date, NULL);
    report("whole population", &whole, loop);
    uint64_t *half = md_malloc((size_t)(all.n / 2 + 1) * 8);
    int64_t nh = 0;
    for (int64_t i = 0; i < all.n; i += 2)
        half[nh++] = all.unit_ids[i];
    Population pop = {half, nh};
    Timing t50 = time_query(v, info, date, &pop);
    report("50 % population (every 2nd)", &t50, loop);
    int64_t small = nh < 1000 ? nh : 1000;
    Population tiny = {half + nh / 2, small};
    Timing t1k = time_query(v, info, date, &tiny);
    report("1000 persons", &t1k, loop);
    md_free(half);
    spells_free(&all);
}

int main(int argc, char **argv)
{
    MdError err;
    md_error_clear(&err);
    char dir[1024];
    bool built = argc < 4;
    if (built) {
        const char *env = getenv("BENCH_ROWS");
        int64_t rows = env ? strtoll(env, NULL, 10) : 5500000;
        const char *tmp = getenv("BENCH_DIR") ? getenv("BENCH_DIR") : "/tmp";
        snprintf(dir, sizeof dir, "%s/bench-store-%ld", tmp, (long)getpid());
        build_store(dir, rows > 0 ? rows : 5500000);
    } else {
        snprintf(dir, sizeof dir, "%s", argv[1]);
    }
    Store *store = store_open(dir, &err);
    if (!store)
        die(&err);
    const char *version = argc > 4 ? argv[4] : (built ? "draft" : store_latest_release(store));
    StoreVersion *v = store_version_open(store, version ? version : "draft", &err);
    if (!v)
        die(&err);
    if (built) {
        measure(v, "BENCH_STATUS", date_from_ymd(2024, 1, 1));
        measure(v, "BENCH_ACCUMULATED", date_from_ymd(2023, 6, 30));
    } else {
        int32_t date;
        if (!date_parse_iso(argv[3], strlen(argv[3]), &date)) {
            fprintf(stderr, "bench_store_query: DATE must be YYYY-MM-DD\n");
            return 2;
        }
        measure(v, argv[2], date);
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("peak memory (max RSS): %ld MB\n", ru.ru_maxrss / 1024);
    store_version_close(v);
    store_close(store);
    if (built) {
        char cmd[1200];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        if (system(cmd) != 0)
            fprintf(stderr, "bench_store_query: could not remove %s\n", dir);
    }
    return 0;
}
