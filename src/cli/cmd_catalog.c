/*
 * cmd_catalog.c - `mdata catalog`: placeholder until the issue that builds it lands; it says so
 * instead of pretending to work.
 */
#include "cli/cli.h"

#include <stdio.h>

int cmd_catalog(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "mdata catalog: not yet implemented\n");
    return 1;
}
