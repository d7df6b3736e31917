/*
 * import_int.h - what the import files of src/store share: the error log that collects up to
 * IMPORT_MAX_ERRORS messages per dataset, the parsed metadata model (import_metadata.c), the
 * parsed CSV rows (import_csv.c), the rule checks (import_rules.c) and the package reader
 * (package_*.c). No other module includes this header.
 *
 * Ownership: an ImportMeta owns an arena holding all its strings; ImportRows owns its column
 * arrays (import_rows_free). Messages never hold a unit id or a data value: they name the
 * file, the line, the field and the rule of spec/datastore.md 1.1-1.5.
 */
#ifndef MDATA_STORE_IMPORT_INT_H
#define MDATA_STORE_IMPORT_INT_H

#include "store/store.h"

/* ==== Limits =========================================================================== */

#ifndef IMPORT_MAX_ERRORS
#define IMPORT_MAX_ERRORS 20             /* errors collected per dataset before stopping */
#endif
#ifndef IMPORT_MAX_LINE
#define IMPORT_MAX_LINE (1u << 20)       /* a CSV line longer than this is an error */
#endif
#define IMPORT_ERROR_LEN 336
#define IMPORT_MIN_DATE (-32768)         /* 1880-04-14 (spec 1.2 says 04-12: off by 2) */
#define IMPORT_MAX_DATE 32767            /* 2059-09-18 */
#define IMPORT_ID_BITS 48

/* ==== The error log ==================================================================== */

/* Collects errors of one dataset. The first IMPORT_MAX_ERRORS are kept; n_total counts all. */
typedef struct ImportLog {
    char file[128];                      /* the file the next errors are about */
    int n;
    int64_t n_total;
    MdStatus status;                     /* status of the first error */
    int64_t first_line;
    char first_file[128];
    char items[IMPORT_MAX_ERRORS][IMPORT_ERROR_LEN];
} ImportLog;

void import_log_init(ImportLog *log, const char *file);
/* Switches the file named by later errors (e.g. from NAME.json to NAME.csv). */
void import_log_file(ImportLog *log, const char *file);
/* Records "FILE line N: message [rule]" (no line part when line <= 0). */
void import_log_add(ImportLog *log, MdStatus status, int64_t line, const char *rule,
                    const char *fmt, ...) MD_PRINTF(5, 6);
bool import_log_full(const ImportLog *log);
bool import_log_failed(const ImportLog *log);
/* Fills err with the first errors (as many as fit) and the total count. */
MdStatus import_log_to_error(const ImportLog *log, MdError *err);
/* Appends every kept error, one per line, to report (may be NULL). */
MdStatus import_log_to_report(const ImportLog *log, StrBuf *report) MD_MUST_CHECK;

/* ==== Unit ids ========================================================================= */

/* The uint64 id of a unit id text (already trimmed): the number itself when it is all
 * digits and below 2^48, else a keyed 48-bit hash. *check is a second, independent hash of
 * the text, so two different texts with the same id can be found (a collision). */
uint64_t import_unit_id(const char *text, size_t len, uint64_t *check);

/* The central identifier variable of a unit type ("PERSON" -> "PERSONID_1"), NULL if the
 * unit type is unknown (spec/datastore.md section 3). */
const char *import_unit_id_name(const char *unit_type);
bool import_dataset_name_valid(const char *name);

/* ==== Metadata model =================================================================== */

typedef struct ImportMeta {
    Arena *arena;
    const char *name;
    Temporality temporality;
    const char *sensitivity;
    const char *unit_type;
    const char *id_name;
    ValueType value_type;
    const char *pointer_to;      /* unit-typed measure: the unit type it points to */
    const char *title;           /* measure name, Norwegian */
    const char *description;     /* measure description, Norwegian */
    const char *format;
    CodeEntry *codes;            /* code list then sentinels, sorted by code, valid_from */
    int64_t n_codes;
    bool has_code_list;
    StrMap *code_set;            /* every code and sentinel code (membership) */
} ImportMeta;

/* Parses and validates NAME.json text (spec 1.4). On failure the log holds the reasons and
 * meta is left empty. Returns owned (import_meta_free) on success. */
MdStatus import_meta_parse(const char *name, const char *json, size_t len, ImportMeta *meta,
                           ImportLog *log) MD_MUST_CHECK;
void import_meta_free(ImportMeta *meta);

/* ==== CSV rows ========================================================================= */

/* Parsed rows in file order. Empty start is DATE_NONE, empty stop DATE_OPEN. */
typedef struct ImportRows {
    int64_t n;
    size_t cap;
    uint64_t *ids;
    uint64_t *id_checks;
    int32_t *starts;
    int32_t *stops;
    int64_t *lines;
    int64_t *longs;              /* LONG values, and pointer values (mapped ids) */
    uint64_t *value_checks;      /* pointer values: the second hash */
    double *doubles;
    int32_t *dates;
    uint32_t *string_ids;
    StrMap *dictionary;          /* STRING values, in order of first appearance */
} ImportRows;

typedef struct ImportCsvOptions {
    ValueType value_type;
    bool is_pointer;             /* the value is a unit id (mapped like unit ids) */
} ImportCsvOptions;

/* Reads the CSV bytes (spec 1.2). Row errors go to the log (up to its limit); the status is
 * MD_OK only when the log holds no error. rows is owned by the caller (import_rows_free)
 * either way. */
MdStatus import_csv_read(const char *data, size_t len, const ImportCsvOptions *options,
                         ImportRows *rows, ImportLog *log) MD_MUST_CHECK;
void import_rows_free(ImportRows *rows);

/* ==== Rules and enrichment ============================================================ */

/* Checks spec 1.3 (temporality, uniqueness, overlap, codes) and id collisions, and sorts
 * the rows by unit id then start. order receives the permutation (rows->n entries). */
MdStatus import_rules_check(const ImportMeta *meta, const ImportRows *rows, int64_t *order,
                            ImportLog *log) MD_MUST_CHECK;

/* Stable merge sort of index[0..n) by cmp(ctx, a, b) < 0; scratch holds n entries. */
typedef int (*ImportCompare)(const void *ctx, int64_t a, int64_t b);
void import_sort(int64_t *index, int64_t *scratch, int64_t n, ImportCompare cmp,
                 const void *ctx);

/* ==== Dataset core (import_dataset.c) ================================================== */

/* A validated dataset, ready to write. */
typedef struct ImportDataset {
    ImportMeta meta;
    ImportRows rows;
    int64_t *order;
    int32_t *status_dates;
    int64_t n_status_dates;
    VariableInfo info;
} ImportDataset;

/* What one dataset is validated from: its name, the JSON text and the CSV bytes (csv NULL:
 * metadata only). csv_is_mapped says the CSV is a read-only file mapping whose pages may be
 * dropped once parsed (they are re-read from the file if touched again). */
typedef struct ImportInput {
    const char *name;
    const char *json;
    size_t json_len;
    const char *csv;
    size_t csv_len;
    bool csv_is_mapped;
} ImportInput;

/* Validates one dataset by every rule of spec 1.1-1.4 into out (import_dataset_free). */
MdStatus import_dataset_validate(const ImportInput *in, ImportDataset *out, ImportLog *log)
    MD_MUST_CHECK;
/* Writes a validated dataset into the store's draft. */
MdStatus import_dataset_write(Store *store, const ImportDataset *dataset, MdError *err)
    MD_MUST_CHECK;
void import_dataset_free(ImportDataset *dataset);
/* Maps a whole file read-only (an empty file gives a static empty buffer); release it with
 * import_unmap_file. Large CSV files are read this way so they cost no heap. */
MdStatus import_map_file(const char *path, const char **data, size_t *len, MdError *err)
    MD_MUST_CHECK;
void import_unmap_file(const char *data, size_t len);
/* Reads a whole file (at most max bytes) into an md_malloc'd buffer. */
MdStatus import_read_file(const char *path, size_t max, char **data, size_t *len,
                          MdError *err) MD_MUST_CHECK;

/* ==== Packages (package_*.c) =========================================================== */

typedef struct PackageFile {
    char name[272];
    const char *data;            /* points into the tar buffer */
    size_t len;
} PackageFile;

/* Lists the regular files of a ustar archive held in memory. files is md_malloc'd. */
MdStatus package_tar_list(const char *tar, size_t len, PackageFile **files, int64_t *n_files,
                          MdError *err) MD_MUST_CHECK;

/* Decrypts the 256-byte RSA-OAEP(SHA-256) block with the PEM private key into the 32-byte
 * Fernet key (base64url text of 44 bytes decoded). */
MdStatus package_unwrap_key(const char *pem_path, const unsigned char *block, size_t len,
                            unsigned char key[32], MdError *err) MD_MUST_CHECK;
/* Verifies and decrypts one Fernet token, appending the plain text to out. */
MdStatus package_fernet_decrypt(const unsigned char key[32], const char *token, size_t len,
                                StrBuf *out, MdError *err) MD_MUST_CHECK;
/* Lower-case hex MD5 of data into hex (33 bytes). */
void package_md5_hex(const char *data, size_t len, char hex[33]);

/* The unpacked content of NAME.tar: the dataset name, JSON and (unless metadata-only) CSV. */
typedef struct PackageContent {
    char name[128];
    char *json;
    size_t json_len;
    char *csv;                   /* NULL for a metadata-only package */
    size_t csv_len;
} PackageContent;

MdStatus package_unpack(const char *tar_path, const char *key_pem_path, PackageContent *out,
                        MdError *err) MD_MUST_CHECK;
void package_content_free(PackageContent *content);

#endif /* MDATA_STORE_IMPORT_INT_H */
