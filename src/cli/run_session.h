/*
 * run_session.h - what `mdata run` and `mdata repl` share: a session holds disclosure
 * control built from the datastore's secret key, a workspace that keeps its datasets and
 * the bindings (let) that stay from one script (or repl line) to the next.
 */
#ifndef MDATA_CLI_RUN_SESSION_H
#define MDATA_CLI_RUN_SESSION_H

#include "base/base.h"
#include "result/result.h"

typedef struct RunOptions {
    const char *store_dir;
    const char *script;
    const char *user;     /* NULL: $USER, else "local" */
    const char *config;   /* sdc settings file or NULL */
    const char *audit;    /* audit log file; NULL: $MDATA_AUDIT, else
                           * <store>/work/audit/<user>.log (trusted: in memory) */
    bool json;
    bool trusted;
} RunOptions;

typedef struct RunSession RunSession;

/* Opens the datastore for its secret and builds the sdc gate and an empty workspace.
 * Returns owned (run_session_free) or NULL with err set. */
RunSession *run_session_new(const RunOptions *options, MdError *err);
void run_session_free(RunSession *session);
/* Parses and runs text, appending one entry per statement to doc (a parse error becomes
 * one error entry). Bindings made by earlier calls hold in text; those text makes are kept
 * when it parses. Returns the first error's status. */
MdStatus run_session_script(RunSession *session, const char *text, size_t len, ResultDoc *doc,
                            MdError *err) MD_MUST_CHECK;
/* Reads all of path ('-' = stdin); returns owned (md_free) or NULL with err set. */
char *run_read_script(const char *path, size_t *len, MdError *err);

#endif /* MDATA_CLI_RUN_SESSION_H */
