/*
 * engine_int.h - what the files of src/engine share and no other module may include: the
 * Workspace itself and the handler tables that connect the lang command table to code.
 *
 * The command table of lang (name, grammar, options, syntax, summary) is the one source for
 * the parser, help, errors and editor completion. The engine binds each command name to a
 * handler here; a command that lang knows but no table binds answers "not yet implemented".
 */
#ifndef MDATA_ENGINE_ENGINE_INT_H
#define MDATA_ENGINE_ENGINE_INT_H

#include "engine/engine.h"
#include "result/result.h"
#include "sdc/sdc.h"

typedef struct RequiredStore {
    char *alias;             /* the name scripts use: db/INNTEKT_WLONN */
    char *datastore;         /* "no.ssb.fdb" */
    char *version_label;     /* as the script wrote it, e.g. "53" or "1.0.0" */
    Store *store;
    StoreVersion *version;
} RequiredStore;

struct Workspace {
    EngineOptions options;
    Dataset **datasets;
    int32_t n_datasets;
    size_t cap_datasets;
    int32_t active;          /* index into datasets, -1 if none */
    LabelList **label_lists;
    int32_t n_label_lists;
    size_t cap_label_lists;
    RequiredStore *stores;
    int32_t n_stores;
    size_t cap_stores;
    char **history;          /* command texts run so far */
    int32_t n_history;
    size_t cap_history;
    Sdc *sdc;                /* borrowed from options */
};

/* Everything a handler needs. entry is this command's result entry (kind ENTRY_MESSAGE
 * until the handler changes it). On failure the handler sets err and returns its status;
 * it must leave the workspace as it was. */
typedef struct CommandContext {
    Workspace *ws;
    const Command *command;
    ResultDoc *doc;
    ResultEntry *entry;
    MdError *err;
} CommandContext;

typedef MdStatus (*CommandHandler)(CommandContext *ctx);

typedef struct HandlerEntry {
    const char *name;        /* a command name of the lang table */
    CommandHandler handler;
} HandlerEntry;

/* NULL-terminated tables, each in its own file. */
extern const HandlerEntry engine_data_handlers[];       /* datasets, preparation, support */
extern const HandlerEntry engine_statistics_handlers[]; /* descriptive statistics, analysis */
extern const HandlerEntry engine_expression_handlers[]; /* generate, replace */

#endif /* MDATA_ENGINE_ENGINE_INT_H */
