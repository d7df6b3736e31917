/*
 * cmd_release.c - `mdata release`: turns the draft of a datastore into its next version
 * (MAJOR when a released variable changed, else MINOR; the first is 1.0.0) and prints the
 * new label on stdout. The work is store_release (src/store/release.c).
 */
#include "cli/cli.h"

#include "store/store.h"

#include <stdio.h>
#include <string.h>

static const char *const release_help =
    "usage: mdata release [--store DIR]\n"
    "\n"
    "Freezes the draft of the datastore into the next release and prints its label\n"
    "(MAJOR.MINOR.PATCH). The first release is 1.0.0; a release in which a variable of the\n"
    "previous one was replaced bumps MAJOR, one that only adds variables bumps MINOR.\n"
    "A release never changes afterwards. A draft equal to the latest release is refused.\n"
    "\n"
    "options:\n"
    "  --store DIR    the datastore (default: $MDATA_STORE, else the one `make run` makes)\n"
    "  -h, --help     this text\n";

int cmd_release(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(release_help, stdout);
        return 0;
    }
    const char *dir = cli_store_dir(&argc, argv);
    if (argc > 1) {
        fprintf(stderr, "mdata release: unexpected argument '%s'\n%s", argv[1], release_help);
        return 2;
    }
    MdError err;
    md_error_clear(&err);
    Store *store = store_open(dir, &err);
    char label[64];
    if (!store || store_release(store, label, sizeof label, &err) != MD_OK) {
        cli_print_error(&err);
        store_close(store);
        return 1;
    }
    printf("%s\n", label);
    store_close(store);
    return 0;
}
