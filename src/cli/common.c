/*
 * common.c - what every subcommand shares: finding the datastore directory, printing
 * errors, recognising --help.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *cli_store_dir(int *argc, char **argv)
{
    static char dir[4096];
    for (int i = 1; i < *argc; i++) {
        const char *value = NULL;
        int used = 0;
        if (strcmp(argv[i], "--store") == 0 && i + 1 < *argc) {
            value = argv[i + 1];
            used = 2;
        } else if (strncmp(argv[i], "--store=", 8) == 0) {
            value = argv[i] + 8;
            used = 1;
        }
        if (value) {
            snprintf(dir, sizeof dir, "%s", value);
            for (int k = i; k + used < *argc; k++)
                argv[k] = argv[k + used];
            *argc -= used;
            argv[*argc] = NULL;
            return dir;
        }
    }
    const char *env = getenv("MDATA_STORE");
    if (env && *env) {
        snprintf(dir, sizeof dir, "%s", env);
        return dir;
    }
    const char *home = getenv("HOME");
    snprintf(dir, sizeof dir, "%s/.local/share/mdata/store", home ? home : ".");
    return dir;
}

void cli_print_error(const MdError *err)
{
    char buf[2048];
    md_error_format(err, buf, sizeof buf);
    fprintf(stderr, "mdata: %s\n", buf);
}

bool cli_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return true;
    }
    return false;
}
