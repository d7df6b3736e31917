/*
 * package_import.c - store_import_package: NAME.tar from microdata-tools' packager
 * (spec/datastore.md 1.5) unpacked and decrypted in memory, then validated and written like
 * a dataset directory.
 *
 * The package holds NAME.json, NAME.md5 (hex MD5 of the whole plain CSV),
 * NAME.symkey.encr (the Fernet key under RSA-OAEP) and chunks/1.csv.encr, 2, ... (Fernet
 * tokens of consecutive slices of the CSV, cut at arbitrary bytes). The chunks are
 * concatenated in numeric order, so chunk numbers must run 1..N without a gap. Nothing is
 * written to disk before the whole package has decrypted, its MD5 matched and the dataset
 * validated. A package with only NAME.json is metadata-only: its metadata is validated and
 * then it is refused, because mdata keeps no variable without data (docs/import.md).
 */
#include "store/import_int.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PACKAGE_MAX_BYTES ((size_t)1 << 40)
#define PACKAGE_MAX_CHUNKS 100000

typedef struct PackageParts {
    const PackageFile *json;
    const PackageFile *md5;
    const PackageFile *symkey;
    const PackageFile **chunks;  /* by number - 1 */
    int64_t n_chunks;
} PackageParts;

/* "chunks/12.csv.encr" -> 12; 0 if the name is not a chunk. */
static int64_t chunk_number(const char *name)
{
    if (strncmp(name, "chunks/", 7) != 0)
        return 0;
    const char *p = name + 7;
    int64_t n = 0;
    for (; *p >= '0' && *p <= '9'; p++) {
        n = n * 10 + (*p - '0');
        if (n > PACKAGE_MAX_CHUNKS)
            return 0;
    }
    return strcmp(p, ".csv.encr") == 0 ? n : 0;
}

static MdStatus find_parts(const char *name, const PackageFile *files, int64_t n,
                           PackageParts *parts, MdError *err)
{
    char want[3][160];
    snprintf(want[0], sizeof want[0], "%s.json", name);
    snprintf(want[1], sizeof want[1], "%s.md5", name);
    snprintf(want[2], sizeof want[2], "%s.symkey.encr", name);
    int64_t max_chunk = 0;
    for (int64_t i = 0; i < n; i++) {
        int64_t c = chunk_number(files[i].name);
        max_chunk = c > max_chunk ? c : max_chunk;
        if (strcmp(files[i].name, want[0]) == 0)
            parts->json = &files[i];
        else if (strcmp(files[i].name, want[1]) == 0)
            parts->md5 = &files[i];
        else if (strcmp(files[i].name, want[2]) == 0)
            parts->symkey = &files[i];
    }
    if (!parts->json)
        return md_error_set(err, MD_ERR_VALUE, "the package has no %s [rule 1.5 package "
                            "content]", want[0]);
    parts->chunks = md_calloc((size_t)max_chunk + 1, sizeof *parts->chunks);
    if (!parts->chunks)
        return md_error_set(err, MD_ERR_MEMORY, "out of memory reading the package");
    parts->n_chunks = max_chunk;
    for (int64_t i = 0; i < n; i++) {
        int64_t c = chunk_number(files[i].name);
        if (c > 0)
            parts->chunks[c - 1] = &files[i];
    }
    return MD_OK;
}

/* Everything but the JSON must be present for a package with data. */
static MdStatus check_parts(const char *name, const PackageParts *parts, MdError *err)
{
    if (!parts->symkey)
        return md_error_set(err, MD_ERR_VALUE, "the package has data but no %s.symkey.encr "
                            "(the encrypted key) [rule 1.5 package content]", name);
    if (parts->n_chunks == 0)
        return md_error_set(err, MD_ERR_VALUE, "the package has no data chunk "
                            "chunks/1.csv.encr [rule 1.5 package content]");
    for (int64_t i = 0; i < parts->n_chunks; i++) {
        if (!parts->chunks[i])
            return md_error_set(err, MD_ERR_VALUE, "chunk chunks/%lld.csv.encr is missing "
                                "[rule 1.5 chunks 1..N]", (long long)(i + 1));
    }
    if (!parts->md5)
        return md_error_set(err, MD_ERR_VALUE, "the package has no %s.md5 [rule 1.5 package "
                            "content]", name);
    return MD_OK;
}

static MdStatus decrypt_chunks(const PackageParts *parts, const char *key_pem_path,
                               PackageContent *out, MdError *err)
{
    unsigned char key[32];
    MdStatus st = package_unwrap_key(key_pem_path, (const unsigned char *)parts->symkey->data,
                                     parts->symkey->len, key, err);
    if (st != MD_OK)
        return st;
    StrBuf csv;
    strbuf_init(&csv, PACKAGE_MAX_BYTES);
    for (int64_t i = 0; i < parts->n_chunks && st == MD_OK; i++) {
        st = package_fernet_decrypt(key, parts->chunks[i]->data, parts->chunks[i]->len, &csv,
                                    err);
        if (st != MD_OK)
            md_error_where(err, "chunks/%lld.csv.encr", (long long)(i + 1));
    }
    OPENSSL_cleanse(key, sizeof key);
    if (st != MD_OK) {
        strbuf_free(&csv);
        return st;
    }
    out->csv_len = csv.len;
    out->csv = csv.data ? strbuf_take(&csv) : md_calloc(1, 1);
    if (!out->csv)
        return md_error_set(err, MD_ERR_MEMORY, "out of memory reading the package");
    return MD_OK;
}

static MdStatus check_md5(const char *name, const PackageParts *parts,
                          const PackageContent *out, MdError *err)
{
    char hex[33];
    package_md5_hex(out->csv, out->csv_len, hex);
    size_t n = parts->md5->len;
    while (n && (parts->md5->data[n - 1] == '\n' || parts->md5->data[n - 1] == '\r' ||
                 parts->md5->data[n - 1] == ' '))
        n--;
    if (n < 32 || strncasecmp(parts->md5->data, hex, 32) != 0 ||
        (n > 32 && parts->md5->data[32] != ' ')) {
        return md_error_set(err, MD_ERR_VALUE, "the decrypted CSV does not match %s.md5 "
                            "[rule 1.5 MD5 check]", name);
    }
    return MD_OK;
}

/* The package name: the file name without directories and ".tar". */
static MdStatus package_name(const char *tar_path, char *name, size_t cap, MdError *err)
{
    const char *base = strrchr(tar_path, '/');
    base = base ? base + 1 : tar_path;
    size_t len = strlen(base);
    if (len < 5 || strcmp(base + len - 4, ".tar") != 0 || len - 4 >= cap)
        return md_error_set(err, MD_ERR_NAME, "%s: a package is named NAME.tar", tar_path);
    memcpy(name, base, len - 4);
    name[len - 4] = 0;
    if (!import_dataset_name_valid(name))
        return md_error_set(err, MD_ERR_NAME, "%s: dataset name must match ^[A-Z][A-Z0-9_]*$ "
                            "[rule 1.1 dataset name]", tar_path);
    return MD_OK;
}

MdStatus package_unpack(const char *tar_path, const char *key_pem_path, PackageContent *out,
                        MdError *err)
{
    memset(out, 0, sizeof *out);
    MdStatus st = package_name(tar_path, out->name, sizeof out->name, err);
    const char *tar = NULL;
    size_t tar_len = 0;
    PackageFile *files = NULL;
    int64_t n_files = 0;
    PackageParts parts = {0};
    if (st == MD_OK)
        st = import_map_file(tar_path, &tar, &tar_len, err);
    if (st == MD_OK)
        st = package_tar_list(tar, tar_len, &files, &n_files, err);
    if (st == MD_OK)
        st = find_parts(out->name, files, n_files, &parts, err);
    if (st == MD_OK) {
        out->json = md_strndup(parts.json->data, parts.json->len);
        out->json_len = parts.json->len;
        if (!out->json)
            st = md_error_set(err, MD_ERR_MEMORY, "out of memory reading the package");
    }
    bool metadata_only = st == MD_OK && n_files == 1;
    if (st == MD_OK && !metadata_only)
        st = check_parts(out->name, &parts, err);
    if (st == MD_OK && !metadata_only)
        st = decrypt_chunks(&parts, key_pem_path, out, err);
    if (st == MD_OK && !metadata_only)
        st = check_md5(out->name, &parts, out, err);
    md_free(parts.chunks);
    md_free(files);
    import_unmap_file(tar, tar_len);
    if (st != MD_OK) {
        md_error_where(err, "%s", tar_path);
        package_content_free(out);
    }
    return st;
}

void package_content_free(PackageContent *content)
{
    md_free(content->json);
    if (content->csv)
        OPENSSL_cleanse(content->csv, content->csv_len);
    md_free(content->csv);
    content->json = content->csv = NULL;
    content->json_len = content->csv_len = 0;
}

MdStatus store_import_package(Store *store, const char *tar_path, const char *key_pem_path,
                              MdError *err)
{
    PackageContent content;
    MdStatus st = package_unpack(tar_path, key_pem_path, &content, err);
    if (st != MD_OK)
        return st;
    ImportDataset *dataset = md_malloc(sizeof *dataset);
    ImportLog *log = md_malloc(sizeof *log);
    if (!dataset || !log) {
        st = md_error_set(err, MD_ERR_MEMORY, "out of memory importing %s", tar_path);
    } else {
        ImportInput in = {content.name, content.json, content.json_len, content.csv,
                          content.csv_len, false};
        st = import_dataset_validate(&in, dataset, log);
        if (st != MD_OK) {
            import_log_to_error(log, err);
        } else if (!content.csv) {
            import_dataset_free(dataset);
            st = md_error_set(err, MD_ERR_VALUE, "%s.tar holds only metadata (a metadata-only "
                              "package); mdata imports variables with their data [rule 1.5 "
                              "package content]", content.name);
            md_error_hint(err, "package the dataset with its CSV file");
        } else {
            st = store ? import_dataset_write(store, dataset, err) : MD_OK;
            import_dataset_free(dataset);
        }
    }
    md_free(dataset);
    md_free(log);
    package_content_free(&content);
    return st;
}
