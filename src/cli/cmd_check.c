/*
 * cmd_check.c - `mdata check`: placeholder until the issue that builds it lands; it says so
 * instead of pretending to work.
 */
#include "cli/cli.h"

#include <stdio.h>

int cmd_check(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "mdata check: not yet implemented\n");
    return 1;
}
