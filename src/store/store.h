/*
 * store.h - the public interface of the datastore: a directory of versioned register
 * variables stored columnar, sorted by unit id then start, and read through mmap.
 *
 * Lifetimes: a Store is opened for the process; a StoreVersion (one release, or the draft)
 * is read-only and lives until store_version_close. VariableInfo pointers and their strings
 * live as long as the StoreVersion. Spells returned by queries are owned by the caller
 * (spells_free), although their arrays may point into the mmap'd files when is_view is set.
 *
 * Data flows one way: store knows nothing about scripts. The on-disk format is described
 * in docs/datastore-format.md.
 */
#ifndef MDATA_STORE_STORE_H
#define MDATA_STORE_STORE_H

#include "base/base.h"

/* ==== Metadata ========================================================================= */

typedef enum Temporality {
    TEMPORALITY_FIXED,
    TEMPORALITY_STATUS,
    TEMPORALITY_ACCUMULATED,
    TEMPORALITY_EVENT
} Temporality;

typedef enum ValueType {
    VALUE_LONG,   /* int64_t */
    VALUE_DOUBLE, /* double */
    VALUE_DATE,   /* int32_t days since 1970-01-01 */
    VALUE_STRING  /* uint32_t index into a dictionary of strings */
} ValueType;

const char *temporality_name(Temporality t);   /* "FIXED", ... */
bool temporality_parse(const char *name, Temporality *out);
const char *value_type_name(ValueType t);      /* "LONG", ... */
bool value_type_parse(const char *name, ValueType *out);

/* One code of a code list, valid over [valid_from, valid_until] (valid_until may be
 * DATE_OPEN). is_missing marks a sentinel ("missing/unknown") code. */
typedef struct CodeEntry {
    const char *code;
    const char *label;
    int32_t valid_from;
    int32_t valid_until;
    bool is_missing;
} CodeEntry;

/* How the measurement (status) dates of a STATUS variable are laid out. */
typedef struct VariableInfo {
    const char *name;        /* e.g. "INNTEKT_WLONN" */
    const char *title;       /* short Norwegian title */
    const char *description; /* may be "" */
    Temporality temporality;
    const char *unit_type;   /* "PERSON", "JOBB", ... */
    const char *id_name;     /* the unit id variable, "PERSONID_1", "JOBBID_1", ... */
    ValueType value_type;
    const char *pointer_to;  /* unit type the value points to, or NULL */
    const char *format;      /* "YYYYMM", "YYYYMMDD" or NULL */
    int32_t valid_from;      /* first day covered; DATE_NONE if unknown */
    int32_t valid_until;     /* last day covered; DATE_OPEN if ongoing */
    const int32_t *status_dates; /* sorted; STATUS only */
    int64_t n_status_dates;
    const CodeEntry *codes;  /* sorted by code, then valid_from */
    int64_t n_codes;
    int64_t n_rows;          /* total stored rows over all parts (0 if generated) */
} VariableInfo;

/* ==== Opening a store ================================================================== */

typedef struct Store Store;
typedef struct StoreVersion StoreVersion;

/* Opens the datastore directory; returns owned (store_close) or NULL with err set. */
Store *store_open(const char *dir, MdError *err);
void store_close(Store *store);
const char *store_name(const Store *store);       /* e.g. "no.ssb.fdb" */
const char *store_dir(const Store *store);
bool store_is_synthetic(const Store *store);      /* made by `mdata gen` */
/* Released versions, oldest first, as "MAJOR.MINOR.PATCH". Borrowed. */
int64_t store_release_count(const Store *store);
const char *store_release_at(const Store *store, int64_t index);
const char *store_latest_release(const Store *store); /* NULL if none */
/* Path of the secret key file used by disclosure control (made at creation). */
const char *store_secret_path(const Store *store);

/* Opens one release ("1.0.0") or the draft ("draft"). Returns owned or NULL with err set;
 * an unknown version's error names the versions that exist. */
StoreVersion *store_version_open(Store *store, const char *version, MdError *err);
void store_version_close(StoreVersion *version);
const char *store_version_label(const StoreVersion *version);

int64_t store_version_variable_count(const StoreVersion *version);
const VariableInfo *store_version_variable_at(const StoreVersion *version, int64_t index);
/* NULL when unknown; store_version_suggest gives the nearest name or NULL. */
const VariableInfo *store_version_variable(const StoreVersion *version, const char *name);
const char *store_version_suggest(const StoreVersion *version, const char *name);
/* The label of a code valid at date (DATE_NONE: any period), or NULL. */
const char *variable_code_label(const VariableInfo *info, const char *code, int32_t date);

/* ==== Query results ==================================================================== */

/* Rows of one variable, sorted by unit id, then start. For STRING values, string_ids index
 * into dictionary (n_dictionary entries). For FIXED rows start is DATE_NONE; an open
 * stop is DATE_OPEN. */
typedef struct Spells {
    int64_t n;
    ValueType type;
    const uint64_t *unit_ids;
    const int32_t *starts;
    const int32_t *stops;
    const int64_t *longs;      /* VALUE_LONG */
    const double *doubles;     /* VALUE_DOUBLE */
    const int32_t *dates;      /* VALUE_DATE */
    const uint32_t *string_ids; /* VALUE_STRING */
    const char *const *dictionary;
    uint32_t n_dictionary;
    bool is_view;              /* arrays point into the mapping; nothing to free but this */
    void *owned;               /* internal: memory to release in spells_free */
} Spells;

void spells_free(Spells *spells);

/* A population: sorted, distinct unit ids (borrowed by the queries). */
typedef struct Population {
    const uint64_t *unit_ids;
    int64_t n;
} Population;

/* ==== The four temporal queries (spec/datastore.md section 2, language.md 3.3-3.4) ==== */

/* FIXED variables: all rows (restricted to population when not NULL). */
MdStatus store_query_fixed(StoreVersion *version, const VariableInfo *info,
                           const Population *population, Spells *out, MdError *err)
    MD_MUST_CHECK;

/* The value each unit has at date:
 *   STATUS: date must be one of the variable's status dates (else MD_ERR_VALUE naming the
 *           nearest valid dates); rows with start = stop = date.
 *   ACCUMULATED: the period that covers date (start <= date <= stop).
 *   EVENT: the spell that covers date (start <= date and (stop open or stop >= date)).
 *   FIXED: an error (a fixed variable takes no date). */
MdStatus store_query_at(StoreVersion *version, const VariableInfo *info, int32_t date,
                        const Population *population, Spells *out, MdError *err)
    MD_MUST_CHECK;

/* EVENT (and ACCUMULATED) spells that overlap [from, to], closed at both ends, starts not
 * clipped; an open stop overlaps everything after its start. */
MdStatus store_query_period(StoreVersion *version, const VariableInfo *info, int32_t from,
                            int32_t to, const Population *population, Spells *out,
                            MdError *err) MD_MUST_CHECK;

/* ==== Writing: drafts, imports and releases ============================================ */

/* Creates an empty datastore directory named name (e.g. "no.ssb.fdb") with a fresh secret
 * key. Fails if dir already holds a store. */
MdStatus store_create(const char *dir, const char *name, bool synthetic, MdError *err)
    MD_MUST_CHECK;

/* Writes a variable into the draft: metadata plus rows in parts. A part holds the rows of
 * one status date (STATUS), one period start (ACCUMULATED) or everything (FIXED, EVENT).
 * Nothing becomes visible until variable_writer_commit; variable_writer_abort (or a failed
 * commit) leaves the datastore as it was. */
typedef struct VariableWriter VariableWriter;
VariableWriter *variable_writer_new(Store *store, const VariableInfo *info, MdError *err);
/* rows must be sorted by unit id then start, and valid for the temporality. Copied. */
MdStatus variable_writer_add(VariableWriter *writer, const Spells *rows, MdError *err)
    MD_MUST_CHECK;
/* Marks the variable as generated on demand (synthetic stores): no rows are stored and
 * queries call gen_variable_query (store_int.h). */
void variable_writer_set_generated(VariableWriter *writer);
/* Takes the writer: it is freed whether the commit succeeds or fails. */
MdStatus variable_writer_commit(VariableWriter *writer, MdError *err) MD_MUST_CHECK;
void variable_writer_abort(VariableWriter *writer);

/* Turns the draft into the next release (MAJOR if a variable was changed or removed, else
 * MINOR; the first release is 1.0.0). Writes the new version label into label_out. */
MdStatus store_release(Store *store, char *label_out, size_t cap, MdError *err)
    MD_MUST_CHECK;

/* ==== Import of microdata-tools datasets and packages =================================== */

/* Validates the dataset directory (NAME/NAME.json + NAME/NAME.csv) by every rule of
 * spec/datastore.md 1.2-1.4 and stores it in the draft, all or nothing. Errors name the
 * file, line and rule. */
MdStatus store_import_dataset(Store *store, const char *dataset_dir, MdError *err)
    MD_MUST_CHECK;
/* Validates every dataset directory first and writes them only when all are valid. When
 * report is not NULL, every error found (up to 20 per dataset) is appended to it, one per
 * line; err holds the first failing dataset's errors. With store NULL it only validates.
 * (Added by the import engineer.) */
MdStatus store_import_datasets(Store *store, const char *const *dirs, int64_t n_dirs,
                               StrBuf *report, MdError *err) MD_MUST_CHECK;
/* Unpacks and decrypts NAME.tar with the RSA private key (PEM), checks the MD5, then
 * imports as above (with store NULL it only validates). */
MdStatus store_import_package(Store *store, const char *tar_path, const char *key_pem_path,
                              MdError *err) MD_MUST_CHECK;

/* ==== Synthetic register ================================================================ */

typedef struct GenOptions {
    double scale;          /* 1.0 = Norway, about 5.5 million residents in 2024 */
    uint64_t seed;
    const char *catalog_path; /* fdb-variables.json */
    const char *kommuner_path; /* kommuner.json */
    int threads;           /* 0 = all cores */
    bool quiet;
} GenOptions;

/* Creates the datastore no.ssb.fdb at out_dir holding every catalogue variable, and
 * releases it as 1.0.0. Deterministic in the seed. */
MdStatus store_generate(const char *out_dir, const GenOptions *options, MdError *err)
    MD_MUST_CHECK;

#endif /* MDATA_STORE_STORE_H */
