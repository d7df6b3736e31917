/*
 * cmd_gen.c - `mdata gen`: placeholder until the issue that builds it lands; it says so
 * instead of pretending to work.
 */
#include "cli/cli.h"

#include <stdio.h>

int cmd_gen(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "mdata gen: not yet implemented\n");
    return 1;
}
