/*
 * cmd_import.c - `mdata import`: placeholder until the issue that builds it lands; it says so
 * instead of pretending to work.
 */
#include "cli/cli.h"

#include <stdio.h>

int cmd_import(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "mdata import: not yet implemented\n");
    return 1;
}
