/*
 * handlers_expression.c - binds generate and replace to their handlers. Empty until they
 * land; the commands answer "not yet implemented" meanwhile.
 */
#include "engine/engine_int.h"

const HandlerEntry engine_expression_handlers[] = {
    {NULL, NULL},
};
