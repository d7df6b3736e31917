/*
 * bench_sdc_exposure.c - the cost of the reconstruction budget (sdc rule R15b) on a table
 * over 5.5 million units: building the contributor sets of a 100-cell table (what every
 * tabulate does) against charging the table's cells to the units' exposure, for a new
 * table (first touch of the slots, then warm), a repeated table (known sets), a nested
 * drill-down, and with the state in a file beside the audit log. Prints figures; asserts
 * nothing about time.
 */
#include <stdio.h>
#include <time.h>

#include "sdc/sdc_int.h"

#define N_UNITS 5500000
#define N_CELLS 100

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts); /* CPU time: steadier on a shared machine */
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

typedef struct Table {
    uint64_t *ids;
    uint64_t *keys;
    int32_t *cell_of_row;
    SdcCell cells[2 * N_CELLS];
} Table;

/* Cells of a table: unit i goes to cell hash(i, salt) % n, or (split) to its cell of salt
 * 0 refined in two. Returns the time of building the contributor sets. */
static double build(Table *t, uint64_t salt, int32_t n, bool split)
{
    for (int64_t i = 0; i < N_UNITS; i++) {
        int32_t c = (int32_t)(md_hash_u64((uint64_t)i ^ (split ? 0 : salt)) % N_CELLS);
        t->cell_of_row[i] = split ? 2 * c + (int32_t)(i & 1) : c % n;
    }
    int32_t cells = split ? 2 * N_CELLS : n;
    double t0 = now();
    for (int32_t c = 0; c < cells; c++)
        sdc_cell_init(&t->cells[c]);
    sdc_cells_add_rows(t->cells, t->cell_of_row, t->ids, t->keys, N_UNITS);
    return now() - t0;
}

static double charge(Sdc *sdc, Table *t, int32_t n_cells, MdStatus *status)
{
    MdError err;
    md_error_clear(&err);
    double t0 = now();
    *status = sdc_charge_cells(sdc, t->cells, n_cells, t->cell_of_row, t->ids, N_UNITS, &err);
    return now() - t0;
}

static void run(const char *label, Sdc *sdc, Table *t)
{
    MdStatus st;
    double cells = build(t, 1, N_CELLS, false);
    double first = charge(sdc, t, N_CELLS, &st);
    printf("  %s: contributor sets %6.1f ms; charge new table (first touch) %6.1f ms (%s)\n",
           label, cells * 1e3, first * 1e3, md_status_name(st));
    double repeat = charge(sdc, t, N_CELLS, &st);
    build(t, 2, N_CELLS, false);
    double warm = charge(sdc, t, N_CELLS, &st);
    printf("  %s: same table again %6.1f ms; another new table %6.1f ms (%s)\n", label,
           repeat * 1e3, warm * 1e3, md_status_name(st));
    build(t, 2, N_CELLS, true);
    double nested = charge(sdc, t, 2 * N_CELLS, &st);
    printf("  %s: drill-down (each cell split in two) %6.1f ms (%s); exposure of unit 7: "
           "%.6f\n", label, nested * 1e3, md_status_name(st), sdc_exposure_of(sdc, 7));
}

int main(void)
{
    SdcOptions o = {0};
    sdc_config_default(&o.config);
    o.config.exposure_budget = 1.0;
    for (int i = 0; i < 32; i++)
        o.secret[i] = (uint8_t)(7 * i + 1);
    o.data_version = "bench:1.0.0";
    MdError err;
    md_error_clear(&err);
    static Table t;
    Sdc *sdc = sdc_new(&o, &err);
    t.ids = md_malloc(N_UNITS * sizeof *t.ids);
    t.keys = md_malloc(N_UNITS * sizeof *t.keys);
    t.cell_of_row = md_malloc(N_UNITS * sizeof *t.cell_of_row);
    if (!sdc || !t.ids || !t.keys || !t.cell_of_row) {
        fprintf(stderr, "bench_sdc_exposure: setup failed\n");
        return 1;
    }
    for (int64_t i = 0; i < N_UNITS; i++)
        t.ids[i] = 1 + (uint64_t)i; /* dense ids, as the synthetic register has */
    sdc_unit_keys(sdc, t.ids, N_UNITS, t.keys);
    printf("bench_sdc_exposure: %d units, %d cells (budget 1.0)\n", N_UNITS, N_CELLS);
    run("memory", sdc, &t);
    sdc_exposure_close(sdc);
    sdc_free(sdc);
    const char *log = "/tmp/bench_sdc_exposure.audit";
    remove(log);
    remove("/tmp/bench_sdc_exposure.audit.exposure");
    o.audit_path = log;
    sdc = sdc_new(&o, &err);
    if (sdc && sdc_exposure_use_file(sdc, log, &err) == MD_OK)
        run("file  ", sdc, &t);
    if (sdc) {
        sdc_exposure_close(sdc);
        sdc_free(sdc);
    }
    remove(log);
    remove("/tmp/bench_sdc_exposure.audit.sets");
    remove("/tmp/bench_sdc_exposure.audit.exposure");
    md_free(t.cell_of_row);
    md_free(t.keys);
    md_free(t.ids);
    return 0;
}
