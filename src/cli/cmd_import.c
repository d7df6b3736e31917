/*
 * cmd_import.c - `mdata import`: puts microdata-tools datasets (directories NAME/ holding
 * NAME.json and NAME.csv) or one encrypted package (NAME.tar with --key PEM) into the
 * store's draft, all or nothing. `mdata release` then makes a version of the draft.
 *
 * Every error of every dataset (up to 20 each) is printed, each naming the file, the line
 * and the rule; none shows a unit id or a value. The work is done by store_import_datasets
 * and store_import_package (src/store/import_*.c, package_*.c); this file only parses the
 * command line and reports.
 */
#include "cli/cli.h"

#include "store/store.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static const char *const import_help =
    "usage: mdata import [--store DIR] [--init NAME] DATASET_DIR...\n"
    "       mdata import --check DATASET_DIR... | PACKAGE.tar --key PRIVATE_KEY.pem\n"
    "       mdata import [--store DIR] [--init NAME] PACKAGE.tar --key PRIVATE_KEY.pem\n"
    "\n"
    "Validates microdata-tools datasets and stores them in the datastore's draft.\n"
    "A dataset is a directory NAME/ holding NAME.json (metadata) and NAME.csv (data:\n"
    "unit_id;value;start;stop;attributes, no header). NAME matches ^[A-Z][A-Z0-9_]*$.\n"
    "Every rule of the input format is checked (docs/import.md); with several directories\n"
    "all are validated before any is written, and a failure changes nothing.\n"
    "\n"
    "A package NAME.tar (made by microdata-tools' packager) is decrypted in memory with the\n"
    "RSA private key given by --key, its MD5 checked, then imported like a directory.\n"
    "A metadata-only package (NAME.json alone) is validated and then refused.\n"
    "\n"
    "options:\n"
    "  --store DIR    the datastore (default: $MDATA_STORE, else the one `make run` makes)\n"
    "  --init NAME    create the datastore NAME (e.g. no.ssb.fdb) at DIR if none is there\n"
    "  --key PEM      the RSA private key that opens a package\n"
    "  --check        only validate (and decrypt); no datastore is opened or changed\n"
    "  -h, --help     this text\n"
    "\n"
    "Afterwards, `mdata release` turns the draft into the next version.\n";

typedef struct ImportArgs {
    const char *key;
    const char *init;
    bool check_only;
    const char *paths[256];
    int n_paths;
    int n_packages;
} ImportArgs;

static bool ends_with(const char *s, const char *tail)
{
    size_t a = strlen(s), b = strlen(tail);
    return a >= b && strcmp(s + a - b, tail) == 0;
}

/* Returns 0 when the arguments are usable, else the exit status (2: usage). */
static int parse_args(int argc, char **argv, ImportArgs *a)
{
    memset(a, 0, sizeof *a);
    for (int i = 1; i < argc; i++) {
        bool has_value = i + 1 < argc;
        if (strcmp(argv[i], "--key") == 0 && has_value) {
            a->key = argv[++i];
        } else if (strcmp(argv[i], "--init") == 0 && has_value) {
            a->init = argv[++i];
        } else if (strcmp(argv[i], "--check") == 0) {
            a->check_only = true;
        } else if (argv[i][0] == '-') {
            fprintf(stderr, "mdata import: unknown option %s (see mdata import --help)\n",
                    argv[i]);
            return 2;
        } else if (a->n_paths < (int)(sizeof a->paths / sizeof a->paths[0])) {
            a->n_packages += ends_with(argv[i], ".tar");
            a->paths[a->n_paths++] = argv[i];
        } else {
            fprintf(stderr, "mdata import: too many datasets in one call (at most 256)\n");
            return 2;
        }
    }
    if (a->n_paths == 0) {
        fprintf(stderr, "mdata import: name at least one dataset directory or package\n%s",
                import_help);
        return 2;
    }
    if (a->n_packages > 0 && (a->n_packages != 1 || a->n_paths != 1 || !a->key)) {
        fprintf(stderr, "mdata import: give exactly one PACKAGE.tar, with --key PEM\n");
        return 2;
    }
    if (a->key && a->n_packages == 0) {
        fprintf(stderr, "mdata import: --key only goes with a PACKAGE.tar\n");
        return 2;
    }
    return 0;
}

/* Creates the missing parent directories of dir (mkdir -p of its dirname). */
static void make_parents(const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s", dir);
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = 0;
        if (mkdir(path, 0755) != 0 && errno != EEXIST)
            return;
        *p = '/';
    }
}

static Store *open_store(const char *dir, const char *init)
{
    MdError err;
    md_error_clear(&err);
    Store *store = store_open(dir, &err);
    if (store || !init) {
        if (!store) {
            cli_print_error(&err);
            fprintf(stderr, "mdata import: to make a new datastore there, add --init NAME\n");
        }
        return store;
    }
    md_error_clear(&err);
    make_parents(dir);
    if (store_create(dir, init, false, &err) != MD_OK) {
        cli_print_error(&err);
        return NULL;
    }
    store = store_open(dir, &err);
    if (!store)
        cli_print_error(&err);
    return store;
}

int cmd_import(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(import_help, stdout);
        return 0;
    }
    const char *dir = cli_store_dir(&argc, argv);
    ImportArgs a;
    int usage = parse_args(argc, argv, &a);
    if (usage)
        return usage;
    Store *store = a.check_only ? NULL : open_store(dir, a.init);
    if (!store && !a.check_only)
        return 1;
    MdError err;
    md_error_clear(&err);
    StrBuf report;
    strbuf_init(&report, 1 << 20);
    MdStatus st;
    if (a.n_packages)
        st = store_import_package(store, a.paths[0], a.key, &err);
    else
        st = store_import_datasets(store, a.paths, a.n_paths, &report, &err);
    if (store)
        store_close(store);
    if (st != MD_OK) {
        if (report.len > 0)
            fputs(report.data, stderr);
        else
            cli_print_error(&err);
        fprintf(stderr, "mdata import: failed%s\n",
                a.check_only ? "" : "; the datastore is unchanged");
        strbuf_free(&report);
        return 1;
    }
    strbuf_free(&report);
    if (a.check_only) {
        for (int i = 0; i < a.n_paths; i++)
            printf("valid: %s\n", a.paths[i]);
        return 0;
    }
    for (int i = 0; i < a.n_paths; i++)
        printf("imported %s into the draft of %s\n", a.paths[i], dir);
    printf("run `mdata release --store %s` to make a version\n", dir);
    return 0;
}
