/*
 * gen_query.c - on-demand generation of synthetic variables: the store calls
 * gen_variable_query for a variable marked as generated; the first call maps the life
 * histories (<store>/gen/histories.bin) and loads the municipality table
 * (<store>/gen/kommuner.json) into a GenState cached on the version, and every call derives
 * the rows the query asks for (derive.c).
 */
#include "store/gen/gen_int.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* Finds <dir>/gen, <dir>/../gen or <dir>/../../gen (the store or a version directory). */
static bool query_find_gen_dir(const char *dir, char *out, size_t cap)
{
    static const char *const ups[] = {"", "/..", "/../.."};
    for (size_t k = 0; k < MD_ARRAY_LEN(ups); k++) {
        struct stat sb;
        int n = snprintf(out, cap, "%s%s/gen/histories.bin", dir, ups[k]);
        if (n > 0 && (size_t)n < cap && stat(out, &sb) == 0) {
            out[(size_t)n - strlen("/histories.bin")] = '\0';
            return true;
        }
    }
    return false;
}

static MdStatus query_open_state(const char *store_dir, GenState **out, MdError *err)
{
    char gen_dir[4096], path[4200];
    if (!query_find_gen_dir(store_dir, gen_dir, sizeof(gen_dir))) {
        md_error_set(err, MD_ERR_IO, "store %s has no synthetic life histories (gen/)",
                     store_dir);
        md_error_hint(err, "generated variables exist only in stores made by `mdata gen`");
        return err->status;
    }
    GenState *st = md_calloc(1, sizeof(GenState));
    if (st == NULL) {
        return md_error_set(err, MD_ERR_MEMORY, "out of memory opening the life histories");
    }
    snprintf(path, sizeof(path), "%s/kommuner.json", gen_dir);
    MdStatus status = gen_catalog_load(&st->catalog, NULL, path, err);
    st->has_catalog = status == MD_OK;
    if (status == MD_OK) {
        status = gen_places_build(&st->places, &st->catalog, err);
    }
    if (status == MD_OK) {
        snprintf(path, sizeof(path), "%s/histories.bin", gen_dir);
        status = gen_histories_open(&st->h, path, err);
    }
    if (status == MD_OK && gen_siblings_build(st) != MD_OK) {
        status = md_error_set(err, MD_ERR_MEMORY, "out of memory indexing siblings");
    }
    if (status != MD_OK) {
        gen_state_free(st);
        return status;
    }
    *out = st;
    return MD_OK;
}

MdStatus gen_variable_query(const char *store_dir, void **gen_state, const VariableInfo *info,
                            QueryKind kind, int32_t from, int32_t to,
                            const Population *population, Spells *out, MdError *err)
{
    if (*gen_state == NULL) {
        GenState *st = NULL;
        if (query_open_state(store_dir, &st, err) != MD_OK) {
            return err->status;
        }
        *gen_state = st;
    }
    return gen_derive_query(*gen_state, info, kind, from, to, population, out, err);
}

void gen_state_free(void *gen_state)
{
    GenState *st = gen_state;
    if (st == NULL) {
        return;
    }
    gen_histories_free(&st->h);
    gen_places_free(&st->places);
    md_free(st->sibling);
    if (st->has_catalog) {
        gen_catalog_free(&st->catalog);
    }
    md_free(st);
}
