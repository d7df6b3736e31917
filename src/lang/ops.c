/*
 * ops.c - the printable names of expression operators. ORDER ExprOp.
 */
#include "lang/lang.h"

static const char *const op_names[] = {
    "", "+", "-", "*", "/", "^", "-", "!", "==", "!=", "<", "<=", ">", ">=", "&", "|",
};
_Static_assert(MD_ARRAY_LEN(op_names) == OP_OR + 1, "op_names out of step with ExprOp");

const char *lang_op_name(ExprOp op)
{
    return (unsigned)op < MD_ARRAY_LEN(op_names) ? op_names[op] : "?";
}
