/*
 * main.c - the `mdata` program: dispatches to a subcommand and prints the overall help.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const CliCommand commands[] = {
    {"gen", cmd_gen, "create a synthetic register of a country (no.ssb.fdb)"},
    {"import", cmd_import, "import microdata-tools datasets or encrypted packages into the draft"},
    {"release", cmd_release, "turn the draft into the next datastore version"},
    {"catalog", cmd_catalog, "list, search and show the variables of a datastore"},
    {"run", cmd_run, "run a script and print its results"},
    {"check", cmd_check, "check a script without running it"},
    {"repl", cmd_repl, "an interactive command line"},
};

static void usage(FILE *out)
{
    fprintf(out,
            "usage: mdata COMMAND [ARGS]\n\n"
            "mdata analyses confidential register data without showing a single row:\n"
            "scripts in the Microdata.no command language run against a versioned\n"
            "datastore, and only disclosure-controlled aggregates come back.\n\n"
            "commands:\n");
    for (size_t i = 0; i < MD_ARRAY_LEN(commands); i++)
        fprintf(out, "  %-9s %s\n", commands[i].name, commands[i].summary);
    fprintf(out,
            "\nEvery command that reads or writes a datastore takes --store DIR (default:\n"
            "$MDATA_STORE, else ~/.local/share/mdata/store, which `make run` creates).\n"
            "`mdata COMMAND --help` describes a command and its flags.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return 0;
    }
    for (size_t i = 0; i < MD_ARRAY_LEN(commands); i++) {
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    }
    const char *names[MD_ARRAY_LEN(commands)];
    for (size_t i = 0; i < MD_ARRAY_LEN(commands); i++)
        names[i] = commands[i].name;
    const char *near = text_suggest(argv[1], names, MD_ARRAY_LEN(commands));
    fprintf(stderr, "mdata: unknown command '%s'%s%s%s\n", argv[1],
            near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
    return 2;
}
