/*
 * handlers_expression.c - binds the expression commands, generate and replace, to their
 * handlers in cmd_generate.c.
 */
#include "engine/engine_int.h"

MdStatus cmd_generate(CommandContext *ctx);
MdStatus cmd_replace(CommandContext *ctx);

const HandlerEntry engine_expression_handlers[] = {
    {"generate", cmd_generate},
    {"replace", cmd_replace},
    {NULL, NULL},
};
