/*
 * bench_sdc_count.c - the cost of disclosure control on counting: 5.5 million units into a
 * 100-cell table, once as a plain counting loop and once through sdc (contributor sets
 * with key sums, then a released count per cell), plus the rate of unit keys (which the
 * engine computes once when units enter a dataset). Prints figures and ratios; asserts
 * nothing about time.
 */
#include <stdio.h>
#include <time.h>

#include "sdc/sdc.h"

#define N_UNITS 5500000
#define N_CELLS 100
#define REPEAT 5

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts); /* CPU time: steadier on a shared machine */
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(void)
{
    SdcOptions o = {0};
    sdc_config_default(&o.config);
    for (int i = 0; i < 32; i++)
        o.secret[i] = (uint8_t)(7 * i + 1);
    o.data_version = "bench:1.0.0";
    MdError err;
    md_error_clear(&err);
    Sdc *sdc = sdc_new(&o, &err);
    uint64_t *ids = md_malloc(N_UNITS * sizeof *ids);
    uint64_t *keys = md_malloc(N_UNITS * sizeof *keys);
    uint8_t *cat = md_malloc(N_UNITS);
    int32_t *cat32 = md_malloc(N_UNITS * sizeof *cat32);
    if (!sdc || !ids || !keys || !cat || !cat32) {
        fprintf(stderr, "bench_sdc_count: setup failed\n");
        return 1;
    }
    for (int64_t i = 0; i < N_UNITS; i++) {
        ids[i] = 1000000 + (uint64_t)i * 3;
        cat[i] = (uint8_t)(md_hash_u64((uint64_t)i) % N_CELLS);
        cat32[i] = cat[i];
    }
    double best_keys = 1e9, best_plain = 1e9, best_sdc = 1e9, best_rows = 1e9;
    int64_t check = 0;
    for (int r = 0; r < REPEAT; r++) {
        double t0 = now();
        sdc_unit_keys(sdc, ids, N_UNITS, keys);
        double t1 = now();
        int64_t counts[N_CELLS] = {0};
        for (int64_t i = 0; i < N_UNITS; i++)
            counts[cat[i]]++;
        double t2 = now();
        SdcCell cells[N_CELLS];
        for (int c = 0; c < N_CELLS; c++)
            sdc_cell_init(&cells[c]);
        for (int64_t i = 0; i < N_UNITS; i++)
            sdc_cell_add(&cells[cat[i]], ids[i], keys[i]);
        Released out[N_CELLS];
        for (int c = 0; c < N_CELLS; c++)
            out[c] = sdc_release_count(sdc, &cells[c]);
        double t3 = now();
        for (int c = 0; c < N_CELLS; c++)
            sdc_cell_init(&cells[c]);
        sdc_cells_add_rows(cells, cat32, ids, keys, N_UNITS);
        for (int c = 0; c < N_CELLS; c++)
            out[c] = sdc_release_count(sdc, &cells[c]);
        double t4 = now();
        best_rows = t4 - t3 < best_rows ? t4 - t3 : best_rows;
        check += counts[r % N_CELLS] + (int64_t)out[r % N_CELLS].value;
        best_keys = t1 - t0 < best_keys ? t1 - t0 : best_keys;
        best_plain = t2 - t1 < best_plain ? t2 - t1 : best_plain;
        best_sdc = t3 - t2 < best_sdc ? t3 - t2 : best_sdc;
    }
    printf("bench_sdc_count: %d units, %d cells, best of %d\n", N_UNITS, N_CELLS, REPEAT);
    printf("  unit keys:            %8.1f ms  (%.1f million keys/s)\n", best_keys * 1e3,
           N_UNITS / best_keys / 1e6);
    printf("  plain counting loop:  %8.1f ms\n", best_plain * 1e3);
    printf("  sdc cells + release:  %8.1f ms\n", best_sdc * 1e3);
    printf("  sdc_cells_add_rows:   %8.1f ms\n", best_rows * 1e3);
    printf("  ratio sdc / plain:    %8.2f (per-row calls), %.2f (whole column)\n",
           best_sdc / best_plain, best_rows / best_plain);
    printf("  ratio (keys + sdc) / plain: %.2f\n", (best_keys + best_sdc) / best_plain);
    /* R15 audit of populations of this size (in memory): the first release hashes, sorts
     * and stores the unit list; a repeat is recognised by its fingerprint; a population
     * of nearly the same size is merged against the stored list. */
    double t0 = now();
    MdStatus first = sdc_check_population_units(sdc, ids, N_UNITS, &err);
    double t1 = now();
    MdStatus repeat = sdc_check_population_units(sdc, ids, N_UNITS, &err);
    double t2 = now();
    md_error_clear(&err);
    MdStatus near = sdc_check_population_units(sdc, ids + 20, N_UNITS - 20, &err);
    double t3 = now();
    printf("  audit, new population:     %8.1f ms (%s)\n", (t1 - t0) * 1e3,
           md_status_name(first));
    printf("  audit, same population:    %8.1f ms (%s)\n", (t2 - t1) * 1e3,
           md_status_name(repeat));
    printf("  audit, 20 units fewer:     %8.1f ms (%s)\n", (t3 - t2) * 1e3,
           md_status_name(near));
    /* the same on disk: the log and the compressed unit list of one population */
    const char *log = "/tmp/bench_sdc_count_audit.log";
    remove(log);
    remove("/tmp/bench_sdc_count_audit.log.sets");
    o.audit_path = log;
    Sdc *disk = sdc_new(&o, &err);
    if (disk) {
        double d0 = now();
        MdStatus st = sdc_check_population_units(disk, ids, N_UNITS, &err);
        double d1 = now();
        sdc_free(disk);
        FILE *f = fopen("/tmp/bench_sdc_count_audit.log.sets", "rb");
        long bytes = 0;
        if (f) {
            fseek(f, 0, SEEK_END);
            bytes = ftell(f);
            fclose(f);
        }
        printf("  audit on disk, new:        %8.1f ms (%s), list %.1f MB = %.2f bytes/unit\n",
               (d1 - d0) * 1e3, md_status_name(st), bytes / 1e6, (double)bytes / N_UNITS);
    }
    remove(log);
    remove("/tmp/bench_sdc_count_audit.log.sets");
    printf("  (checksum %lld)\n", (long long)check);
    md_free(cat32);
    md_free(cat);
    md_free(keys);
    md_free(ids);
    sdc_free(sdc);
    return 0;
}
