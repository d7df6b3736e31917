/*
 * cmd_run.c - `mdata run`: placeholder until the issue that builds it lands; it says so
 * instead of pretending to work.
 */
#include "cli/cli.h"

#include <stdio.h>

int cmd_run(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "mdata run: not yet implemented\n");
    return 1;
}
