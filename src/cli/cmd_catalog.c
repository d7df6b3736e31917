/*
 * cmd_catalog.c - `mdata catalog`: lists the variables of a datastore version whose name or
 * title contains every given word, one line each, or, given one exact variable name, shows
 * everything about that variable: metadata, validity, status dates (summarised when many)
 * and its code list with validity periods.
 *
 * Matching folds ASCII letters only and compares every other byte exactly, so words with
 * æ, ø and å match titles that spell them the same way and UTF-8 is never cut. The command
 * reads metadata only; it never opens a part file and never prints a unit-level value.
 */
#include "cli/cli.h"

#include "store/store.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char *const catalog_help =
    "usage: mdata catalog [--store DIR] [--version V] [WORDS...]\n"
    "       mdata catalog [--store DIR] [--version V] NAME\n"
    "\n"
    "Lists the variables of the datastore whose name or title contains all the WORDS\n"
    "(case-insensitive for ASCII letters; æøå must match as written), one line each:\n"
    "name, temporality, unit type, value type, validity, title and, for STATUS\n"
    "variables, their status dates in short. Without words every variable is listed.\n"
    "Given one exact variable NAME it shows everything about it: description, unit type,\n"
    "status dates and the code list with validity periods.\n"
    "\n"
    "options:\n"
    "  --store DIR    the datastore (default: $MDATA_STORE, else the one `make run` makes)\n"
    "  --version V    a release such as 1.0.0, or draft (default: the latest release,\n"
    "                 else the draft)\n"
    "  -h, --help     this text\n";

#define CATALOG_MAX_WORDS 32
#define CATALOG_DATES_LISTED 12

typedef struct CatalogArgs {
    const char *version;
    const char *words[CATALOG_MAX_WORDS];
    int n_words;
} CatalogArgs;

static int parse_args(int argc, char **argv, CatalogArgs *a)
{
    memset(a, 0, sizeof *a);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--version") == 0 && i + 1 < argc) {
            a->version = argv[++i];
        } else if (strncmp(argv[i], "--version=", 10) == 0) {
            a->version = argv[i] + 10;
        } else if (argv[i][0] == '-' && argv[i][1] == '-') {
            fprintf(stderr, "mdata catalog: unknown option '%s'\n%s", argv[i], catalog_help);
            return 2;
        } else if (a->n_words == CATALOG_MAX_WORDS) {
            fprintf(stderr, "mdata catalog: at most %d words\n", CATALOG_MAX_WORDS);
            return 2;
        } else {
            a->words[a->n_words++] = argv[i];
        }
    }
    return 0;
}

/* ==== Matching ========================================================================= */

static unsigned char fold(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

static bool contains_folded(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    if (n == 0)
        return true;
    for (const char *h = hay; *h; h++) {
        size_t k = 0;
        while (k < n && h[k] && fold((unsigned char)h[k]) == fold((unsigned char)needle[k]))
            k++;
        if (k == n)
            return true;
    }
    return false;
}

static bool matches(const VariableInfo *info, const CatalogArgs *a)
{
    for (int i = 0; i < a->n_words; i++) {
        if (!contains_folded(info->name, a->words[i]) &&
            !contains_folded(info->title ? info->title : "", a->words[i]))
            return false;
    }
    return true;
}

/* ==== Listing ========================================================================== */

static bool dates_step(const int32_t *dates, int64_t n, bool monthly)
{
    int32_t y0, m0, d0;
    date_to_ymd(dates[0], &y0, &m0, &d0);
    for (int64_t i = 1; i < n; i++) {
        int32_t y, m, d, py, pm, pd;
        date_to_ymd(dates[i], &y, &m, &d);
        date_to_ymd(dates[i - 1], &py, &pm, &pd);
        bool next = monthly ? (y * 12 + m == py * 12 + pm + 1) : (y == py + 1 && m == m0);
        if (!next || d != d0)
            return false;
    }
    return true;
}

/* "yearly on 01-01", "monthly on day 16" or "" for status dates without a pattern. */
static const char *status_pattern(const VariableInfo *info, char *buf, size_t cap)
{
    int64_t n = info->n_status_dates;
    char a[16];
    buf[0] = '\0';
    if (n <= 2)
        return buf;
    date_format_iso(info->status_dates[0], a);
    if (dates_step(info->status_dates, n, false))
        snprintf(buf, cap, "yearly on %s", a + 5);
    else if (dates_step(info->status_dates, n, true))
        snprintf(buf, cap, "monthly on day %s", a + 8);
    return buf;
}


static void format_validity(const VariableInfo *info, char *buf, size_t cap)
{
    char from[16] = "?", until[16] = "?";
    if (info->valid_from != DATE_NONE)
        date_format_iso(info->valid_from, from);
    if (info->valid_until != DATE_NONE)
        date_format_iso(info->valid_until, until);
    snprintf(buf, cap, "%s..%s", from, until);
}

/* Column widths of the listing: the longest name and unit type among the matches. */
static void list_widths(const StoreVersion *v, const CatalogArgs *a, int *name_w, int *unit_w)
{
    *name_w = 4;
    *unit_w = 6;
    for (int64_t i = 0; i < store_version_variable_count(v); i++) {
        const VariableInfo *info = store_version_variable_at(v, i);
        if (!matches(info, a))
            continue;
        int n = (int)strlen(info->name), u = (int)strlen(info->unit_type);
        *name_w = n > *name_w ? n : *name_w;
        *unit_w = u > *unit_w ? u : *unit_w;
    }
}

static int list_matches(const StoreVersion *v, const CatalogArgs *a)
{
    int64_t shown = 0, total = store_version_variable_count(v);
    int name_w, unit_w;
    list_widths(v, a, &name_w, &unit_w);
    for (int64_t i = 0; i < total; i++) {
        const VariableInfo *info = store_version_variable_at(v, i);
        if (!matches(info, a))
            continue;
        char validity[40];
        format_validity(info, validity, sizeof validity);
        printf("%-*s  %-11s  %-*s  %-6s  %-22s  %s", name_w, info->name,
               temporality_name(info->temporality), unit_w, info->unit_type,
               value_type_name(info->value_type), validity, info->title);
        if (info->n_status_dates > 0) {
            char pattern[48];
            status_pattern(info, pattern, sizeof pattern);
            printf("  [%" PRId64 " status dates%s%s]", info->n_status_dates,
                   pattern[0] ? ", " : "", pattern);
        }
        printf("\n");
        shown++;
    }
    if (shown == 0 && a->n_words > 0) {
        fprintf(stderr, "mdata catalog: no variable of version %s matches", store_version_label(v));
        for (int i = 0; i < a->n_words; i++)
            fprintf(stderr, " '%s'", a->words[i]);
        fprintf(stderr, "\n");
        return 1;
    }
    printf("%" PRId64 " of %" PRId64 " variables (version %s)\n", shown, total,
           store_version_label(v));
    return 0;
}

/* ==== One variable ===================================================================== */

static void print_status_dates(const VariableInfo *info)
{
    int64_t n = info->n_status_dates;
    const int32_t *dates = info->status_dates;
    char a[16], b[16];
    if (n == 0)
        return;
    char pattern[48];
    date_format_iso(dates[0], a);
    date_format_iso(dates[n - 1], b);
    if (status_pattern(info, pattern, sizeof pattern)[0]) {
        printf("  status dates: %" PRId64 ", %s from %s to %s\n", n, pattern, a, b);
        return;
    }
    printf("  status dates: %" PRId64 ":", n);
    for (int64_t i = 0; i < n; i++) {
        if (n > CATALOG_DATES_LISTED && i == CATALOG_DATES_LISTED / 2) {
            printf(" ...");
            i = n - CATALOG_DATES_LISTED / 2;
        }
        date_format_iso(dates[i], a);
        printf(" %s", a);
    }
    printf("\n");
}

static void print_codes(const VariableInfo *info)
{
    if (info->n_codes == 0)
        return;
    printf("  code list (%" PRId64 " entries):\n", info->n_codes);
    for (int64_t i = 0; i < info->n_codes; i++) {
        const CodeEntry *c = &info->codes[i];
        char from[16] = "-", until[16] = "open";
        if (c->valid_from != DATE_NONE)
            date_format_iso(c->valid_from, from);
        if (c->valid_until != DATE_NONE)
            date_format_iso(c->valid_until, until);
        printf("    %-12s %-10s..%-10s %s%s\n", c->code, from, until, c->label,
               c->is_missing ? "  (missing)" : "");
    }
}

static void show_variable(const StoreVersion *v, const VariableInfo *info)
{
    char validity[40];
    format_validity(info, validity, sizeof validity);
    printf("%s (version %s)\n", info->name, store_version_label(v));
    printf("  title:        %s\n", info->title);
    if (info->description && info->description[0])
        printf("  description:  %s\n", info->description);
    printf("  temporality:  %s\n", temporality_name(info->temporality));
    printf("  unit type:    %s", info->unit_type);
    if (info->id_name)
        printf(" (identifier %s)", info->id_name);
    printf("\n  value type:   %s", value_type_name(info->value_type));
    if (info->format)
        printf(" (format %s)", info->format);
    if (info->pointer_to)
        printf(", points to %s", info->pointer_to);
    printf("\n  valid:        %s\n", validity);
    print_status_dates(info);
    print_codes(info);
}

/* ==== Command ========================================================================== */

static StoreVersion *open_version(Store *store, const char *wanted, MdError *err)
{
    const char *label = wanted ? wanted : store_latest_release(store);
    return store_version_open(store, label ? label : "draft", err);
}

int cmd_catalog(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(catalog_help, stdout);
        return 0;
    }
    const char *dir = cli_store_dir(&argc, argv);
    CatalogArgs args;
    int rc = parse_args(argc, argv, &args);
    if (rc != 0)
        return rc;
    MdError err;
    md_error_clear(&err);
    Store *store = store_open(dir, &err);
    StoreVersion *v = store ? open_version(store, args.version, &err) : NULL;
    if (!v) {
        cli_print_error(&err);
        store_close(store);
        return 1;
    }
    const VariableInfo *one = args.n_words == 1 ? store_version_variable(v, args.words[0])
                                                : NULL;
    if (one) {
        show_variable(v, one);
        rc = 0;
    } else {
        rc = list_matches(v, &args);
    }
    if (rc != 0 && args.n_words == 1) {
        const char *near = store_version_suggest(v, args.words[0]);
        if (near)
            fprintf(stderr, "did you mean %s?\n", near);
    }
    store_version_close(v);
    store_close(store);
    return rc;
}
