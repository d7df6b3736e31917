/*
 * cmd_repl.c - `mdata repl`: placeholder until the issue that builds it lands; it says so
 * instead of pretending to work.
 */
#include "cli/cli.h"

#include <stdio.h>

int cmd_repl(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "mdata repl: not yet implemented\n");
    return 1;
}
