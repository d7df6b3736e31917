/*
 * gen.c - store_generate, the driver of `mdata gen`: loads the catalogue, draws the
 * population and its life histories, creates the datastore no.ssb.fdb, writes the
 * histories into <store>/gen (mmap'd by on-demand queries), stores the most used variables
 * as real parts (one part per status date or accumulation period) and marks the rest as
 * generated on demand, then releases the store as 1.0.0.
 */
#include "store/gen/gen_int.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* Stored as real parts at every scale (scale 1.0: about 330 million rows). */
static const char *const stored_core[] = {
    "BEFOLKNING_KJOENN", "BEFOLKNING_FOEDSELS_AAR_MND", "BEFOLKNING_DOEDS_DATO",
    "BEFOLKNING_FODELAND", "BEFOLKNING_INVKAT", "BEFOLKNING_MOR_FNR", "BEFOLKNING_FAR_FNR",
    "ARBEIDSFORHOLD_PERSON", "BEFOLKNING_REGSTAT_FAMNR", "INNTEKT_WLONN",
};
/* Stored up to scale 0.2 (yearly status and income of the whole population). */
static const char *const stored_medium[] = {
    "BEFOLKNING_STATUSKODE", "BEFOLKNING_KOMMNR_FORMELL", "BEFOLKNING_EKT_FNR",
    "SIVSTANDFDT_SIVSTAND", "NUDB_BU", "INNTEKT_WSAMINNT",
};
/* Stored at test scales only: monthly job data grows fast (128 dates x every job). */
static const char *const stored_small[] = {
    "ARBLONN_ARB_YRKE_STYRK08", "ARBLONN_ARB_STILLINGSPST", "INNTEKT_WYRKINNT", "INNTEKT_WIES",
};
#define GEN_MEDIUM_SCALE 0.2
#define GEN_SMALL_SCALE 0.005

typedef struct GenTotals {
    int64_t parts;
    int64_t rows;
    int64_t stored_vars;
} GenTotals;

static bool gen_in_list(const char *name, const char *const *list, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        if (strcmp(list[k], name) == 0) {
            return true;
        }
    }
    return false;
}

bool gen_is_stored(const char *name, double scale)
{
    return gen_in_list(name, stored_core, MD_ARRAY_LEN(stored_core)) ||
           (scale <= GEN_MEDIUM_SCALE &&
            gen_in_list(name, stored_medium, MD_ARRAY_LEN(stored_medium))) ||
           (scale <= GEN_SMALL_SCALE &&
            gen_in_list(name, stored_small, MD_ARRAY_LEN(stored_small)));
}

/* Derives one part (or everything, for FIXED and EVENT) and adds it to the writer. */
static MdStatus gen_write_part(const GenState *st, VariableWriter *w, const VariableInfo *info,
                               QueryKind kind, int32_t at, GenTotals *tot, MdError *err)
{
    Spells rows;
    if (gen_derive_query(st, info, kind, at, at, NULL, &rows, err) != MD_OK) {
        return err->status;
    }
    MdStatus status = MD_OK;
    if (rows.n > 0) {
        status = variable_writer_add(w, &rows, err);
        tot->parts++;
        tot->rows += rows.n;
    }
    md_free(rows.owned);
    return status;
}

/* One part per accumulation period. */
static MdStatus gen_write_periods(const GenState *st, VariableWriter *w, const VariableInfo *info,
                                  GenTotals *tot, MdError *err)
{
    int32_t *slots = NULL;
    int64_t n = gen_periods(info, INT32_MIN + 1, INT32_MAX - 1, &slots);
    if (n < 0) {
        return md_error_set(err, MD_ERR_MEMORY, "out of memory listing periods");
    }
    MdStatus status = MD_OK;
    for (int64_t k = 0; k < n && status == MD_OK; k++) {
        status = gen_write_part(st, w, info, QUERY_AT, slots[k], tot, err);
    }
    md_free(slots);
    return status;
}

static MdStatus gen_write_variable(Store *store, const GenState *st, const VariableInfo *info,
                                   double scale, GenTotals *tot, MdError *err)
{
    VariableWriter *w = variable_writer_new(store, info, err);
    if (w == NULL) {
        return err->status;
    }
    MdStatus status = MD_OK;
    if (!gen_is_stored(info->name, scale)) {
        variable_writer_set_generated(w);
    } else if (info->temporality == TEMPORALITY_STATUS) {
        tot->stored_vars++;
        for (int64_t k = 0; k < info->n_status_dates && status == MD_OK; k++) {
            status = gen_write_part(st, w, info, QUERY_AT, info->status_dates[k], tot, err);
        }
    } else if (info->temporality == TEMPORALITY_ACCUMULATED) {
        tot->stored_vars++;
        status = gen_write_periods(st, w, info, tot, err);
    } else {
        tot->stored_vars++;
        status = gen_write_part(st, w, info, QUERY_FIXED, 0, tot, err);
    }
    if (status != MD_OK) {
        variable_writer_abort(w);
        md_error_where(err, "variable %s", info->name);
        return status;
    }
    return variable_writer_commit(w, err);
}

static MdStatus gen_copy_file(const char *from, const char *to, MdError *err)
{
    FILE *in = fopen(from, "rb");
    FILE *out = in != NULL ? fopen(to, "wb") : NULL;
    char buf[65536];
    size_t n;
    bool ok = in != NULL && out != NULL;
    while (ok && (n = fread(buf, 1, sizeof(buf), in)) > 0) {
        ok = fwrite(buf, 1, n, out) == n;
    }
    ok = ok && !ferror(in);
    if (out != NULL && fclose(out) != 0) {
        ok = false;
    }
    if (in != NULL) {
        fclose(in);
    }
    if (!ok) {
        return md_error_set(err, MD_ERR_IO, "cannot copy %s to %s", from, to);
    }
    return MD_OK;
}

/* Writes <out>/gen/histories.bin and <out>/gen/kommuner.json. */
static MdStatus gen_write_histories(const char *out_dir, const GenState *st,
                                    const GenOptions *opt, MdError *err)
{
    char path[4200];
    snprintf(path, sizeof(path), "%s/gen", out_dir);
    if (mkdir(path, 0755) != 0 && errno != EEXIST) {
        return md_error_set(err, MD_ERR_IO, "cannot create %s: %s", path, strerror(errno));
    }
    snprintf(path, sizeof(path), "%s/gen/histories.bin", out_dir);
    if (gen_histories_write(&st->h, path, err) != MD_OK) {
        return err->status;
    }
    snprintf(path, sizeof(path), "%s/gen/kommuner.json", out_dir);
    return gen_copy_file(opt->kommuner_path, path, err);
}

static int64_t gen_residents(const GenPersons *p, int32_t date)
{
    int64_t n = 0;
    for (int64_t i = 0; i < p->n; i++) {
        n += gen_resident_at(p, i, date);
    }
    return n;
}

static MdStatus gen_write_store(const char *out_dir, GenState *st, const GenOptions *opt,
                                GenTotals *tot, MdError *err)
{
    if (store_create(out_dir, "no.ssb.fdb", true, err) != MD_OK) {
        return err->status;
    }
    if (gen_write_histories(out_dir, st, opt, err) != MD_OK) {
        return err->status;
    }
    Store *store = store_open(out_dir, err);
    if (store == NULL) {
        return err->status;
    }
    MdStatus status = MD_OK;
    for (int64_t k = 0; k < st->catalog.n_vars && status == MD_OK; k++) {
        status = gen_write_variable(store, st, &st->catalog.vars[k], opt->scale, tot, err);
    }
    char label[32];
    if (status == MD_OK) {
        status = store_release(store, label, sizeof(label), err);
    }
    store_close(store);
    return status;
}

static MdStatus gen_build_state(GenState *st, const GenOptions *opt, MdError *err)
{
    memset(st, 0, sizeof(*st));
    if (gen_catalog_load(&st->catalog, opt->catalog_path, opt->kommuner_path, err) != MD_OK) {
        return err->status;
    }
    st->has_catalog = true;
    if (gen_places_build(&st->places, &st->catalog, err) != MD_OK) {
        return err->status;
    }
    return gen_population_build(&st->h, &st->places, &st->catalog, opt->scale, opt->seed,
                                opt->threads, err);
}

static void gen_state_release(GenState *st)
{
    md_free(st->sibling);
    gen_histories_free(&st->h);
    gen_places_free(&st->places);
    if (st->has_catalog) {
        gen_catalog_free(&st->catalog);
    }
}

MdStatus store_generate(const char *out_dir, const GenOptions *options, MdError *err)
{
    if (!(options->scale > 0.0) || options->scale > 4.0) {
        md_error_set(err, MD_ERR_VALUE, "scale must be above 0 and at most 4");
        md_error_hint(err, "scale 1.0 is Norway, about 5.5 million residents");
        return err->status;
    }
    GenState st;
    GenTotals tot = {0};
    MdStatus status = gen_build_state(&st, options, err);
    if (status == MD_OK) {
        status = gen_write_store(out_dir, &st, options, &tot, err);
    }
    if (status == MD_OK && !options->quiet) {
        printf("persons:             %lld\n", (long long)st.h.p.n);
        printf("residents 2024-01-01: %lld\n",
               (long long)gen_residents(&st.h.p, date_from_ymd(2024, 1, 1)));
        printf("variables:           %lld (%lld stored, the rest generated on demand)\n",
               (long long)st.catalog.n_vars, (long long)tot.stored_vars);
        printf("parts:               %lld (%lld rows)\n", (long long)tot.parts,
               (long long)tot.rows);
    }
    gen_state_release(&st);
    return status;
}
