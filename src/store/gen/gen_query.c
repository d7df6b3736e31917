/*
 * gen_query.c - placeholder for on-demand generation of synthetic variables; the generator
 * work replaces this file. Until then a generated variable cannot be queried.
 */
#include "store/store_int.h"

MdStatus gen_variable_query(const char *store_dir, void **gen_state, const VariableInfo *info,
                            QueryKind kind, int32_t from, int32_t to,
                            const Population *population, Spells *out, MdError *err)
{
    (void)store_dir, (void)gen_state, (void)kind, (void)from, (void)to, (void)population;
    (void)out;
    return md_error_set(err, MD_ERR_NOT_IMPLEMENTED,
                        "variable %s is generated on demand, which is not built yet",
                        info->name);
}

void gen_state_free(void *gen_state) { (void)gen_state; }
