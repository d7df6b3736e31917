/*
 * bench_engine_import.c - times the data commands on a synthetic register: import of a
 * STATUS variable (the population), of an ACCUMULATED variable and of a pointer into that
 * population, collapse (sum) by family, and merge of the family sums back onto persons.
 * Each command runs through engine_execute exactly as in a script (trusted mode, so the
 * figures are the engine's own). Prints seconds per command, rows per second, and the
 * ratio of each step to the first import, then imports 20 variables in all and prints the
 * peak resident memory (VmHWM). It never asserts a time.
 *
 * The store is BENCH_STORE, else BENCH_BUILD/bench-store-SCALE (BENCH_SCALE, default 1.0,
 * about 5.5 million persons), generated with seed 1 when it does not exist.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine/engine_int.h"

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The store directory, generated when missing. */
static const char *bench_store(char *buf, size_t cap, double scale)
{
    const char *env = getenv("BENCH_STORE");
    if (env && *env)
        return env;
    const char *build = getenv("BENCH_BUILD");
    snprintf(buf, cap, "%s/bench-store-%g", build && *build ? build : ".", scale);
    FILE *probe = fopen(buf, "r");
    if (probe) {
        fclose(probe);
        return buf;
    }
    char catalog[1200], kommuner[1200], here[1024];
    snprintf(here, sizeof here, "%s", __FILE__);
    char *slash = strrchr(here, '/');
    if (slash)
        *slash = '\0';
    snprintf(catalog, sizeof catalog, "%s/../../shared/catalog/fdb-variables.json", here);
    snprintf(kommuner, sizeof kommuner, "%s/../../shared/catalog/kommuner.json", here);
    GenOptions g = {.scale = scale, .seed = 1, .catalog_path = catalog,
                    .kommuner_path = kommuner, .threads = 2, .quiet = true};
    MdError err;
    md_error_clear(&err);
    printf("generating %s (scale %g) ...\n", buf, scale);
    double t0 = now_seconds();
    if (store_generate(buf, &g, &err) != MD_OK) {
        fprintf(stderr, "store_generate: %s\n", err.message);
        return NULL;
    }
    printf("generated in %.1f s\n", now_seconds() - t0);
    return buf;
}

/* Runs one command line; returns its seconds or a negative number on error. */
static double bench_command(Workspace *ws, ResultDoc *doc, const char *text)
{
    Arena *arena = arena_new(4096);
    MdError err;
    md_error_clear(&err);
    Script *script = lang_parse_script(arena, text, strlen(text), &err);
    double t0 = now_seconds();
    MdStatus status = script ? engine_run_script(ws, script, doc, &err) : err.status;
    double seconds = now_seconds() - t0;
    arena_free(arena);
    if (status != MD_OK) {
        fprintf(stderr, "'%s' failed: %s\n", text, err.message);
        return -1;
    }
    return seconds;
}

/* Peak resident set size in MB from /proc/self/status, or -1. */
static double peak_mb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    double kb = -1;
    while (f && fgets(line, sizeof line, f)) {
        if (strncmp(line, "VmHWM:", 6) == 0)
            kb = atof(line + 6);
    }
    if (f)
        fclose(f);
    return kb < 0 ? -1 : kb / 1024;
}

/* Imports more variables into pop until it holds 20; prints time and peak memory. */
static int bench_twenty(Workspace *ws, ResultDoc *doc)
{
    static const char *const more[] = {
        "use pop",
        "import db/BEFOLKNING_KJOENN as kjonn",
        "import db/BEFOLKNING_FOEDSELS_AAR_MND as fodt",
        "import db/BEFOLKNING_KOMMNR_FORMELL 2024-01-01 as kommune",
        "import db/INNTEKT_WLONN 2022-12-31 as lonn22",
        "import db/INNTEKT_WLONN 2021-12-31 as lonn21",
        "import db/INNTEKT_WLONN 2020-12-31 as lonn20",
        "import db/INNTEKT_WYRKINNT 2023-12-31 as yrk",
        "import db/INNTEKT_BRUTTOFORM 2023-12-31 as formue",
        "import db/INNTEKT_UTSKATT 2023-12-31 as skatt",
        "import db/BEFOLKNING_REGSTAT_FAMTYP 2024-01-01 as famtype",
        "import db/BEFOLKNING_MOR_FNR as mor",
        "import db/BEFOLKNING_FAR_FNR as far",
        "import db/SIVSTANDFDT_SIVSTAND 2023-12-31 as sivst",
        "import db/NUDB_BU 2023-10-01 as nus",
        "import db/BEFOLKNING_KOMMNR_FAKTISK 2024-01-01 as bosted",
        "import db/BEFOLKNING_STATUSKODE 2023-01-01 as regstat23",
    };
    double total = 0;
    for (size_t i = 0; i < MD_ARRAY_LEN(more); i++) {
        double s = bench_command(ws, doc, more[i]);
        if (s < 0)
            return 1;
        total += s;
    }
    Dataset *pop = workspace_dataset(ws, "pop");
    printf("20 variables: %d columns x %lld rows, imports %.3f s, peak memory %.0f MB\n",
           pop ? pop->n_columns : 0, (long long)(pop ? pop->n_rows : 0), total, peak_mb());
    return 0;
}

int main(void)
{
    const char *scale_text = getenv("BENCH_SCALE");
    double scale = scale_text ? atof(scale_text) : 1.0;
    if (!(scale > 0))
        scale = 1.0;
    char buf[1024];
    const char *dir = bench_store(buf, sizeof buf, scale);
    if (!dir)
        return 1;
    EngineOptions o = {.store_dir = dir, .trusted = true};
    MdError err;
    md_error_clear(&err);
    Workspace *ws = workspace_new(&o, &err);
    ResultDoc *doc = result_doc_new();
    if (!ws || !doc)
        return 1;
    static const char *const steps[] = {
        "require no.ssb.fdb:1.0.0 as db\ncreate-dataset pop",
        "import db/BEFOLKNING_STATUSKODE 2024-01-01 as regstat",
        "import db/INNTEKT_WLONN 2023-12-31 as lonn",
        "import db/BEFOLKNING_REGSTAT_FAMNR 2024-01-01 as famnr",
        "clone-dataset pop fam\nuse fam",
        "collapse (sum) lonn -> faminnt, by(famnr)",
        "merge faminnt into pop on famnr",
    };
    double first = 0;
    printf("%-58s %10s %12s %8s\n", "command", "seconds", "rows/s", "ratio");
    for (size_t i = 0; i < MD_ARRAY_LEN(steps); i++) {
        Dataset *before = workspace_active(ws);
        int64_t rows = before ? before->n_rows : 0;
        double s = bench_command(ws, doc, steps[i]);
        if (s < 0)
            return 1;
        Dataset *after = workspace_active(ws);
        if (after && after->n_rows > rows)
            rows = after->n_rows;
        if (i == 1)
            first = s;
        char shown[64];
        snprintf(shown, sizeof shown, "%s", steps[i]);
        for (char *p = shown; *p; p++)
            if (*p == '\n')
                *p = ';';
        printf("%-58s %10.3f %12.0f %8.2f\n", shown, s, s > 0 ? (double)rows / s : 0,
               first > 0 ? s / first : 0);
    }
    Dataset *pop = workspace_dataset(ws, "pop");
    Dataset *fam = workspace_dataset(ws, "fam");
    printf("persons: %lld, families: %lld\n", (long long)(pop ? pop->n_rows : 0),
           (long long)(fam ? fam->n_rows : 0));
    int status = bench_twenty(ws, doc);
    result_doc_free(doc);
    workspace_free(ws);
    return status;
}
