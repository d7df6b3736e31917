/*
 * cmd_release.c - `mdata release`: placeholder until the issue that builds it lands; it says so
 * instead of pretending to work.
 */
#include "cli/cli.h"

#include <stdio.h>

int cmd_release(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "mdata release: not yet implemented\n");
    return 1;
}
