/*
 * run_session.c - a run session: the sdc gate made from the datastore's secret key and the
 * settings, the workspace, the bindings made by `let`, and the parse-then-execute step
 * shared by `mdata run` and `mdata repl`; workspace and bindings last for the session, so
 * a repl line sees the datasets and bindings of the lines before it. In trusted mode the
 * gate still computes unit keys but releases exact values, and every document carries a
 * banner saying so.
 */
#include "cli/run_session.h"
#include "engine/engine.h"
#include "sdc/sdc.h"
#include "store/store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define RUN_TRUSTED_BANNER \
    "TRUSTED MODE: disclosure control is off; results are exact and must not be published"

struct RunSession {
    Sdc *sdc;
    Workspace *ws;
    LangBindings *bindings; /* the `let`s of earlier scripts (repl lines) */
    bool trusted;
};

/* Reads the secret key and release label of the datastore at dir. */
static MdStatus run_store_identity(const char *dir, uint8_t secret[32], char *version,
                                   size_t cap, MdError *err)
{
    Store *store = store_open(dir, err);
    if (!store) {
        md_error_hint(err, "give the datastore with --store DIR (make one with mdata gen)");
        return err->status;
    }
    MdStatus status = sdc_read_secret(store_secret_path(store), secret, err);
    const char *latest = store_latest_release(store);
    snprintf(version, cap, "%s:%s", store_name(store), latest ? latest : "draft");
    store_close(store);
    return status;
}

/* The default per-user audit log: <store>/work/audit/<user>.log, with the user name
 * reduced to [A-Za-z0-9._-] so it cannot leave the folder. Creates the folders. */
static MdStatus run_default_audit_path(const char *store_dir, const char *user, char *path,
                                       size_t cap, MdError *err)
{
    char safe[128];
    size_t n = 0;
    for (const char *p = user; *p && n + 1 < sizeof safe; p++) {
        char c = *p;
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '_' || c == '-';
        safe[n++] = ok ? c : '_';
    }
    safe[n] = '\0';
    if (n == 0 || safe[0] == '.')
        snprintf(safe, sizeof safe, "user");
    snprintf(path, cap, "%s/work", store_dir);
    mkdir(path, 0700);
    snprintf(path, cap, "%s/work/audit", store_dir);
    if (mkdir(path, 0700) != 0 && errno != EEXIST)
        return md_error_set(err, MD_ERR_IO, "cannot create the audit folder %s", path);
    snprintf(path, cap, "%s/work/audit/%s.log", store_dir, safe);
    return MD_OK;
}

RunSession *run_session_new(const RunOptions *options, MdError *err)
{
    SdcOptions so;
    memset(&so, 0, sizeof so);
    char version[160];
    sdc_config_default(&so.config);
    if (options->config && sdc_config_load(&so.config, options->config, err) != MD_OK)
        return NULL;
    if (run_store_identity(options->store_dir, so.secret, version, sizeof version, err) !=
        MD_OK)
        return NULL;
    const char *user = options->user ? options->user : getenv("USER");
    so.data_version = version;
    so.user = user && *user ? user : "local";
    char audit_path[4096];
    const char *env_audit = getenv("MDATA_AUDIT");
    so.audit_path = options->audit ? options->audit
                                   : (env_audit && *env_audit ? env_audit : NULL);
    if (!so.audit_path && !options->trusted) {
        if (run_default_audit_path(options->store_dir, so.user, audit_path, sizeof audit_path,
                                   err) != MD_OK)
            return NULL;
        so.audit_path = audit_path;
    }
    so.trusted = options->trusted;
    RunSession *session = md_calloc(1, sizeof *session);
    if (!session) {
        md_error_set(err, MD_ERR_MEMORY, "out of memory starting the run");
        return NULL;
    }
    session->trusted = options->trusted;
    session->sdc = sdc_new(&so, err);
    memset(so.secret, 0, sizeof so.secret);
    if (!session->sdc) {
        md_free(session);
        return NULL;
    }
    EngineOptions eo = {.store_dir = options->store_dir, .sdc = session->sdc,
                        .trusted = options->trusted, .max_rows = 0};
    session->ws = workspace_new(&eo, err);
    session->bindings = session->ws ? lang_bindings_new() : NULL;
    if (!session->bindings) {
        if (session->ws)
            md_error_set(err, MD_ERR_MEMORY, "out of memory starting the run");
        run_session_free(session);
        return NULL;
    }
    return session;
}

void run_session_free(RunSession *session)
{
    if (!session)
        return;
    lang_bindings_free(session->bindings);
    workspace_free(session->ws);
    sdc_free(session->sdc);
    md_free(session);
}

/* Copies script line number (1-based) into buf; empty if there is none. */
static void run_source_line(const char *text, size_t len, int32_t number, char *buf,
                            size_t cap)
{
    buf[0] = '\0';
    size_t start = 0;
    for (int32_t line = 1; line < number && start < len; start++) {
        if (text[start] == '\n')
            line++;
    }
    if (number < 1 || start >= len)
        return;
    size_t end = start;
    while (end < len && text[end] != '\n' && text[end] != '\r')
        end++;
    snprintf(buf, cap, "%.*s", (int)(end - start), text + start);
}

MdStatus run_session_script(RunSession *session, const char *text, size_t len, ResultDoc *doc,
                            MdError *err)
{
    if (session->trusted && result_doc_set_banner(doc, RUN_TRUSTED_BANNER) != MD_OK)
        return md_error_set(err, MD_ERR_MEMORY, "out of memory");
    Arena *arena = arena_new(1 << 16);
    if (!arena)
        return md_error_set(err, MD_ERR_MEMORY, "out of memory parsing the script");
    Script *script = lang_parse_script_kept(arena, session->bindings, text, len, err);
    MdStatus status;
    if (!script) {
        status = err->status;
        char line[512];
        run_source_line(text, len, err->line, line, sizeof line);
        ResultEntry *entry = result_doc_add(doc, line, err->line, ENTRY_ERROR);
        if (entry && result_entry_error(entry, err) != MD_OK)
            status = MD_ERR_MEMORY;
    } else {
        status = engine_run_script(session->ws, script, doc, err);
    }
    arena_free(arena);
    return status;
}
