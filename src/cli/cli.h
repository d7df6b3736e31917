/*
 * cli.h - the subcommands of the `mdata` program. Each lives in its own cmd_*.c file and
 * takes the arguments after the subcommand name (argv[0] is the subcommand). They return
 * the process exit status: 0 success, 1 failure, 2 usage error.
 */
#ifndef MDATA_CLI_CLI_H
#define MDATA_CLI_CLI_H

#include "base/base.h"

typedef struct CliCommand {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} CliCommand;

int cmd_gen(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_release(int argc, char **argv);
int cmd_catalog(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_repl(int argc, char **argv);

/* The datastore directory to use: --store DIR if given (removed from argv), else
 * $MDATA_STORE, else the default that `make run` creates
 * ($HOME/.local/share/mdata/store). Returns a static buffer. */
const char *cli_store_dir(int *argc, char **argv);
/* Prints err to stderr as "mdata: where:line:col: kind - message (hint)". */
void cli_print_error(const MdError *err);
/* True if argv holds -h or --help. */
bool cli_wants_help(int argc, char **argv);

#endif /* MDATA_CLI_CLI_H */
