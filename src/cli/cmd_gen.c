/*
 * cmd_gen.c - `mdata gen`: creates the synthetic register no.ssb.fdb (store_generate) at
 * --out DIR (default: the configured store), finding the catalogue through --catalog /
 * --kommuner, $MDATA_CATALOG_DIR, or a shared/catalog directory above the program or the
 * working directory. Refuses to overwrite an existing store unless --force.
 */
#define _XOPEN_SOURCE 700 /* nftw */
#include "cli/cli.h"
#include "store/store.h"

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char gen_usage[] =
    "usage: mdata gen [--scale F] [--seed S] [--out DIR] [--catalog PATH] [--kommuner PATH]\n"
    "                 [--threads N] [--force] [--quiet]\n"
    "\n"
    "Creates the synthetic register no.ssb.fdb: one coherent population with life histories\n"
    "(births, deaths, migration, residence, families, education, jobs, income) and every\n"
    "variable of the catalogue, released as version 1.0.0.\n"
    "\n"
    "  --scale F        size, above 0 and at most 4; 1.0 is Norway (about 5.5 million\n"
    "                   residents in 2024). Default 0.02\n"
    "  --seed S         random seed; the same seed gives the same store. Default 1\n"
    "  --out DIR        where to create the store. Default: --store, $MDATA_STORE, or\n"
    "                   ~/.local/share/mdata/store\n"
    "  --catalog PATH   fdb-variables.json. Default: $MDATA_CATALOG_DIR, or shared/catalog\n"
    "                   found above the program or the working directory\n"
    "  --kommuner PATH  kommuner.json (same search)\n"
    "  --threads N      worker threads; accepted, the generator runs on one thread today\n"
    "  --force          replace an existing synthetic store at DIR\n"
    "  --quiet          print nothing but errors\n";

typedef struct GenArgs {
    GenOptions opt;
    const char *out;
    bool force;
    char catalog[PATH_MAX];
    char kommuner[PATH_MAX];
} GenArgs;

static bool gen_file_exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

/* Looks for shared/catalog at each ancestor of start (and its sibling ../shared). */
static bool gen_find_catalog_dir(const char *start, char *out, size_t cap)
{
    char dir[PATH_MAX];
    snprintf(dir, sizeof(dir), "%s", start);
    for (int depth = 0; depth < 8 && dir[0] != '\0'; depth++) {
        static const char *const tries[] = {"%s/shared/catalog", "%s/../shared/catalog"};
        for (size_t k = 0; k < 2; k++) {
            char path[PATH_MAX + 64];
            snprintf(path, sizeof(path), tries[k], dir);
            char probe[PATH_MAX + 96];
            snprintf(probe, sizeof(probe), "%s/fdb-variables.json", path);
            if (gen_file_exists(probe) && strlen(path) < cap) {
                snprintf(out, cap, "%s", path);
                return true;
            }
        }
        char *slash = strrchr(dir, '/');
        if (slash == NULL) {
            break;
        }
        *slash = '\0';
    }
    return false;
}

static bool gen_default_catalog_dir(char *out, size_t cap)
{
    const char *env = getenv("MDATA_CATALOG_DIR");
    if (env != NULL && *env != '\0') {
        snprintf(out, cap, "%s", env);
        return true;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash != NULL) {
            *slash = '\0';
        }
        if (gen_find_catalog_dir(exe, out, cap)) {
            return true;
        }
    }
    char cwd[PATH_MAX];
    return getcwd(cwd, sizeof(cwd)) != NULL && gen_find_catalog_dir(cwd, out, cap);
}

static int gen_bad_usage(const char *what)
{
    fprintf(stderr, "mdata gen: %s\n%s", what, gen_usage);
    return 2;
}

static int gen_parse(int argc, char **argv, GenArgs *a)
{
    const char *catalog = NULL, *kommuner = NULL;
    for (int i = 1; i < argc; i++) {
        const char *flag = argv[i];
        bool has_value = i + 1 < argc;
        if (strcmp(flag, "--force") == 0) {
            a->force = true;
        } else if (strcmp(flag, "--quiet") == 0) {
            a->opt.quiet = true;
        } else if (!has_value) {
            return gen_bad_usage("unknown option or missing value");
        } else if (strcmp(flag, "--scale") == 0) {
            char *end;
            a->opt.scale = strtod(argv[++i], &end);
            if (*end != '\0' || !(a->opt.scale > 0.0)) {
                return gen_bad_usage("--scale takes a number above 0");
            }
        } else if (strcmp(flag, "--seed") == 0) {
            char *end;
            a->opt.seed = strtoull(argv[++i], &end, 10);
            if (*end != '\0') {
                return gen_bad_usage("--seed takes a whole number");
            }
        } else if (strcmp(flag, "--threads") == 0) {
            a->opt.threads = atoi(argv[++i]);
        } else if (strcmp(flag, "--out") == 0) {
            a->out = argv[++i];
        } else if (strcmp(flag, "--catalog") == 0) {
            catalog = argv[++i];
        } else if (strcmp(flag, "--kommuner") == 0) {
            kommuner = argv[++i];
        } else {
            return gen_bad_usage("unknown option");
        }
    }
    char dir[PATH_MAX] = "";
    if ((catalog == NULL || kommuner == NULL) && !gen_default_catalog_dir(dir, sizeof(dir))) {
        fprintf(stderr, "mdata gen: cannot find shared/catalog; give --catalog and --kommuner "
                        "or set MDATA_CATALOG_DIR\n");
        return 1;
    }
    snprintf(a->catalog, sizeof(a->catalog), "%s", catalog ? catalog : dir);
    if (catalog == NULL) {
        snprintf(a->catalog, sizeof(a->catalog), "%.*s/fdb-variables.json", PATH_MAX - 32, dir);
    }
    snprintf(a->kommuner, sizeof(a->kommuner), "%s", kommuner ? kommuner : dir);
    if (kommuner == NULL) {
        snprintf(a->kommuner, sizeof(a->kommuner), "%.*s/kommuner.json", PATH_MAX - 32, dir);
    }
    a->opt.catalog_path = a->catalog;
    a->opt.kommuner_path = a->kommuner;
    return 0;
}

static int gen_remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(path);
}

/* An existing store at out: refuse, or (with --force) remove it if `mdata gen` made it. */
static int gen_check_out(const GenArgs *a)
{
    if (!gen_file_exists(a->out)) {
        return 0;
    }
    char probe[PATH_MAX + 32];
    snprintf(probe, sizeof(probe), "%s/gen/histories.bin", a->out);
    if (!a->force) {
        fprintf(stderr, "mdata gen: %s already exists; give --force to replace it\n", a->out);
        return 1;
    }
    if (!gen_file_exists(probe)) {
        fprintf(stderr, "mdata gen: %s exists and was not made by `mdata gen`; "
                        "not removing it, choose another --out\n", a->out);
        return 1;
    }
    if (nftw(a->out, gen_remove_entry, 16, FTW_DEPTH | FTW_PHYS) != 0) {
        fprintf(stderr, "mdata gen: cannot remove %s: %s\n", a->out, strerror(errno));
        return 1;
    }
    return 0;
}

static double gen_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int64_t gen_du_total;
static int gen_du_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)path, (void)ftw;
    if (flag == FTW_F) {
        gen_du_total += (int64_t)sb->st_blocks * 512;
    }
    return 0;
}

int cmd_gen(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(gen_usage, stdout);
        return 0;
    }
    GenArgs a;
    memset(&a, 0, sizeof(a));
    a.opt.scale = 0.02;
    a.opt.seed = 1;
    a.out = cli_store_dir(&argc, argv);
    int rc = gen_parse(argc, argv, &a);
    if (rc != 0 || (rc = gen_check_out(&a)) != 0) {
        return rc;
    }
    double t0 = gen_seconds();
    MdError err;
    md_error_clear(&err);
    if (store_generate(a.out, &a.opt, &err) != MD_OK) {
        cli_print_error(&err);
        /* A failure leaves nothing behind: the directory did not exist before. */
        nftw(a.out, gen_remove_entry, 16, FTW_DEPTH | FTW_PHYS);
        return 1;
    }
    if (!a.opt.quiet) {
        gen_du_total = 0;
        nftw(a.out, gen_du_entry, 16, FTW_PHYS);
        printf("bytes on disk:       %lld\n", (long long)gen_du_total);
        printf("time:                %.1f s\n", gen_seconds() - t0);
        printf("store:               %s (release 1.0.0)\n", a.out);
    }
    return 0;
}
