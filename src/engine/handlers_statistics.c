/*
 * handlers_statistics.c - binds the descriptive-statistics and analysis commands to their
 * handlers. Empty until those handlers land; their commands answer "not yet implemented".
 */
#include "engine/engine_int.h"

const HandlerEntry engine_statistics_handlers[] = {
    {NULL, NULL},
};
