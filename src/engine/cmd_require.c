/*
 * cmd_require.c - `require DATASTORE:VERSION as ALIAS`: connects a release of the
 * datastore at EngineOptions.store_dir under an alias used as `alias/VARIABLE`.
 *
 * The line is read from the command text (the version may be 53, 1.0.0 or draft, which
 * the lexer may split into several tokens). A synthetic store (made by `mdata gen`) accepts
 * any version and answers with its latest release, with a warning, so scripts written for
 * Microdata.no run unchanged. Any other store accepts only the versions it holds ("1" and
 * "1.0" mean "1.0.0"), and warns when a newer release exists.
 */
#include "engine/commands.h"

#include <stdio.h>
#include <string.h>

typedef struct RequireArgs {
    char datastore[128];
    char version[64];
    char alias[128];
} RequireArgs;

/* Copies the next whitespace-separated word of *p into buf; false if none or too long. */
static bool require_word(const char **p, char *buf, size_t cap)
{
    const char *s = *p;
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = 0;
    while (s[n] && s[n] != ' ' && s[n] != '\t')
        n++;
    if (n == 0 || n >= cap)
        return false;
    memcpy(buf, s, n);
    buf[n] = '\0';
    *p = s + n;
    return true;
}

static MdStatus require_parse(CommandContext *ctx, RequireArgs *out)
{
    const char *p = ctx->command->text ? ctx->command->text : "";
    char word[256], as[16];
    if (!require_word(&p, word, sizeof word) || !require_word(&p, word, sizeof word))
        return cmd_fail_usage(ctx, "name the datastore and its version");
    char *colon = strrchr(word, ':');
    if (!colon || colon == word || !colon[1])
        return cmd_fail_usage(ctx, "write the datastore and version as no.ssb.fdb:VERSION");
    *colon = '\0';
    if (strlen(word) >= sizeof out->datastore || strlen(colon + 1) >= sizeof out->version)
        return cmd_fail_usage(ctx, "the datastore name or version is too long");
    strcpy(out->datastore, word);
    strcpy(out->version, colon + 1);
    if (!require_word(&p, as, sizeof as) || strcmp(as, "as") != 0 ||
        !require_word(&p, out->alias, sizeof out->alias))
        return cmd_fail_usage(ctx, "give the datastore an alias: ... as ALIAS");
    char extra[8];
    if (require_word(&p, extra, sizeof extra))
        return cmd_fail_usage(ctx, "unexpected text after the alias");
    if (!column_name_valid(out->alias))
        return cmd_fail(ctx, MD_ERR_NAME, "'%s' is not a valid alias", out->alias);
    return MD_OK;
}

/* The release of a non-synthetic store that the script's version names, or NULL. */
static const char *require_match_release(const Store *store, const char *wanted)
{
    char full[80];
    int dots = 0;
    for (const char *s = wanted; *s; s++)
        dots += *s == '.';
    if (dots == 0)
        snprintf(full, sizeof full, "%s.0.0", wanted);
    else if (dots == 1)
        snprintf(full, sizeof full, "%s.0", wanted);
    else
        snprintf(full, sizeof full, "%s", wanted);
    for (int64_t i = 0; i < store_release_count(store); i++) {
        const char *r = store_release_at(store, i);
        if (strcmp(r, wanted) == 0 || strcmp(r, full) == 0)
            return r;
    }
    return NULL;
}

static MdStatus require_unknown_version(CommandContext *ctx, const Store *store,
                                        const char *wanted)
{
    char list[256] = "";
    size_t used = 0;
    for (int64_t i = 0; i < store_release_count(store) && used + 20 < sizeof list; i++)
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "",
                                 store_release_at(store, i));
    md_error_set(ctx->err, MD_ERR_VALUE, "datastore %s has no version %s", store_name(store),
                 wanted);
    md_error_hint(ctx->err, "versions held: %s", used ? list : "none (run mdata release)");
    return MD_ERR_VALUE;
}

/* Opens the store and picks the release; fills rs (store and version owned by rs). */
static MdStatus require_open(CommandContext *ctx, const RequireArgs *args, RequiredStore *rs,
                             const char **warning_release)
{
    const char *dir = ctx->ws->options.store_dir;
    if (!dir)
        return cmd_fail(ctx, MD_ERR_IO, "no datastore is configured for this run");
    Store *store = store_open(dir, ctx->err);
    if (!store)
        return ctx->err->status;
    rs->store = store;
    if (strcmp(store_name(store), args->datastore) != 0) {
        md_error_set(ctx->err, MD_ERR_NAME, "datastore '%s' is not available here",
                     args->datastore);
        md_error_hint(ctx->err, "this server holds %s; write require %s:VERSION as ALIAS",
                      store_name(store), store_name(store));
        return MD_ERR_NAME;
    }
    const char *release;
    if (store_is_synthetic(store)) {
        release = store_latest_release(store);
        if (!release)
            return cmd_fail(ctx, MD_ERR_VALUE, "the synthetic datastore has no release yet");
        *warning_release = release;
    } else if (strcmp(args->version, "draft") == 0) {
        release = "draft";
    } else {
        release = require_match_release(store, args->version);
        if (!release)
            return require_unknown_version(ctx, store, args->version);
    }
    rs->version = store_version_open(store, release, ctx->err);
    return rs->version ? MD_OK : ctx->err->status;
}

static void require_release_store(RequiredStore *rs)
{
    if (rs->version)
        store_version_close(rs->version);
    if (rs->store)
        store_close(rs->store);
    md_free(rs->alias);
    md_free(rs->datastore);
    md_free(rs->version_label);
}

static MdStatus require_report(CommandContext *ctx, const RequiredStore *rs,
                               const char *synthetic_release)
{
    const char *label = store_version_label(rs->version);
    if (synthetic_release) {
        if (result_entry_warning(ctx->entry,
                                 "%s is a synthetic datastore made by mdata gen: version %s "
                                 "is answered by its release %s",
                                 rs->datastore, rs->version_label, label) != MD_OK)
            return cmd_fail(ctx, MD_ERR_MEMORY, "out of memory writing the result");
    } else {
        const char *latest = store_latest_release(rs->store);
        if (latest && strcmp(latest, label) != 0 && strcmp(label, "draft") != 0 &&
            result_entry_warning(ctx->entry, "version %s is not the newest; %s is", label,
                                 latest) != MD_OK)
            return cmd_fail(ctx, MD_ERR_MEMORY, "out of memory writing the result");
    }
    return cmd_say(ctx, "connected %s version %s as %s", rs->datastore, label, rs->alias);
}

MdStatus handle_require(CommandContext *ctx)
{
    RequireArgs args;
    if (require_parse(ctx, &args) != MD_OK)
        return ctx->err->status;
    Workspace *ws = ctx->ws;
    if (workspace_store(ws, args.alias)) {
        md_error_set(ctx->err, MD_ERR_NAME, "the alias '%s' is already in use", args.alias);
        md_error_hint(ctx->err, "choose another alias for this datastore version");
        return MD_ERR_NAME;
    }
    RequiredStore rs = {0};
    const char *synthetic_release = NULL;
    rs.alias = md_strdup(args.alias);
    rs.datastore = md_strdup(args.datastore);
    rs.version_label = md_strdup(args.version);
    MdStatus status = MD_OK;
    if (!rs.alias || !rs.datastore || !rs.version_label)
        status = cmd_fail(ctx, MD_ERR_MEMORY, "out of memory connecting a datastore");
    if (status == MD_OK)
        status = require_open(ctx, &args, &rs, &synthetic_release);
    if (status == MD_OK &&
        md_grow((void **)&ws->stores, &ws->cap_stores, (size_t)ws->n_stores + 1,
                sizeof *ws->stores) != MD_OK)
        status = cmd_fail(ctx, MD_ERR_MEMORY, "out of memory connecting a datastore");
    if (status == MD_OK)
        status = require_report(ctx, &rs, synthetic_release);
    if (status != MD_OK) {
        require_release_store(&rs);
        return status;
    }
    ws->stores[ws->n_stores++] = rs;
    return MD_OK;
}
