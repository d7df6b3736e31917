/*
 * store_int.h - what the files inside src/store share and no other module may include.
 *
 * The synthetic store can answer a query for a variable that is not materialised on disk
 * by generating the rows on demand from the stored life histories (src/store/gen). The
 * query code calls gen_variable_query for every variable whose catalogue entry says
 * "source": "generated"; the generator fills out exactly as a stored variable would
 * (sorted by unit id then start, restricted to the population).
 */
#ifndef MDATA_STORE_STORE_INT_H
#define MDATA_STORE_STORE_INT_H

#include "store/store.h"

typedef enum QueryKind {
    QUERY_FIXED,  /* all rows */
    QUERY_AT,     /* value at date `from` (STATUS/ACCUMULATED/EVENT rules of store.h) */
    QUERY_PERIOD  /* spells overlapping [from, to] */
} QueryKind;

/* Implemented in src/store/gen. version_dir is the release (or draft) directory; state is
 * opened lazily by the generator and cached on the version through *gen_state. */
MdStatus gen_variable_query(const char *store_dir, void **gen_state, const VariableInfo *info,
                            QueryKind kind, int32_t from, int32_t to,
                            const Population *population, Spells *out, MdError *err)
    MD_MUST_CHECK;
void gen_state_free(void *gen_state);

#endif /* MDATA_STORE_STORE_INT_H */
