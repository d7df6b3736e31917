/*
 * test_store_package.c - unit tests of package import (package_*.c): the microdata-tools
 * known-answer package VALID.tar decrypts with the test key to the expected CSV and MD5;
 * MISSING_CHUNK, MISSING_SYMKEY, metadata-only, tampered and wrong-key packages fail with
 * clear errors; the tar reader and base64url/Fernet checks reject damaged input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "store/import_int.h"

#define PACKAGING MDATA_SHARED_DIR "/testdata/microdata-tools/packaging"
#define KEY PACKAGING "/rsa_test_key/microdata_private_key.pem"

static char tmp_dir[256];

static int setup(void **state)
{
    (void)state;
    snprintf(tmp_dir, sizeof tmp_dir, "/tmp/mdata-test-package-XXXXXX");
    return mkdtemp(tmp_dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp_dir);
    return system(cmd) == 0 ? 0 : -1;
}

static char *read_all(const char *path, size_t *len)
{
    char *data = NULL;
    MdError err;
    md_error_clear(&err);
    assert_int_equal(import_read_file(path, 1 << 26, &data, len, &err), MD_OK);
    return data;
}

static void write_all(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
}

static void test_valid_decrypts_to_expected(void **state)
{
    (void)state;
    PackageContent c;
    MdError err;
    md_error_clear(&err);
    assert_int_equal(package_unpack(PACKAGING "/input_unpackage/VALID.tar", KEY, &c, &err),
                     MD_OK);
    assert_string_equal(c.name, "VALID");
    assert_int_equal(c.csv_len, 15);
    assert_memory_equal(c.csv, "1;2;3;4\n5;6;7;8", 15);
    size_t len;
    char *expected = read_all(PACKAGING "/expected_unpackage/VALID_expected.csv", &len);
    assert_int_equal(len, c.csv_len);
    assert_memory_equal(expected, c.csv, len);
    char hex[33];
    package_md5_hex(c.csv, c.csv_len, hex);
    assert_string_equal(hex, "4234195c923978a525c0b55d87435863");
    assert_int_equal(c.json_len, 2);
    assert_memory_equal(c.json, "{}", 2);
    md_free(expected);
    package_content_free(&c);
}

static void test_valid_lists_tar(void **state)
{
    (void)state;
    size_t len;
    char *tar = read_all(PACKAGING "/input_unpackage/VALID.tar", &len);
    PackageFile *files;
    int64_t n;
    MdError err;
    md_error_clear(&err);
    assert_int_equal(package_tar_list(tar, len, &files, &n, &err), MD_OK);
    assert_int_equal(n, 4); /* the chunks/ directory is not a file */
    assert_string_equal(files[0].name, "VALID.json");
    assert_string_equal(files[1].name, "VALID.symkey.encr");
    assert_int_equal(files[1].len, 256);
    assert_string_equal(files[2].name, "chunks/1.csv.encr");
    assert_int_equal(files[2].len, 100);
    assert_string_equal(files[3].name, "VALID.md5");
    assert_memory_equal(files[3].data, "4234195c923978a525c0b55d87435863", 32);
    md_free(files);
    /* a damaged header checksum is refused */
    tar[10] ^= 1;
    md_error_clear(&err);
    assert_int_equal(package_tar_list(tar, len, &files, &n, &err), MD_ERR_SYNTAX);
    assert_non_null(strstr(err.message, "header at byte 0 is damaged"));
    /* an archive cut inside an entry is refused */
    tar[10] ^= 1;
    md_error_clear(&err);
    assert_int_equal(package_tar_list(tar, 1024 + 512 + 100, &files, &n, &err),
                     MD_ERR_SYNTAX);
    assert_non_null(strstr(err.message, "truncated tar archive"));
    md_error_clear(&err);
    assert_int_equal(package_tar_list(tar, 100, &files, &n, &err), MD_ERR_SYNTAX);
    md_free(tar);
}

static void test_missing_chunk_fails(void **state)
{
    (void)state;
    PackageContent c;
    MdError err;
    md_error_clear(&err);
    assert_int_equal(package_unpack(PACKAGING "/input_unpackage/MISSING_CHUNK.tar", KEY, &c,
                                    &err), MD_ERR_VALUE);
    assert_non_null(strstr(err.message, "no data chunk chunks/1.csv.encr"));
    assert_non_null(strstr(err.where, "MISSING_CHUNK.tar"));
    assert_null(c.json);
    assert_null(c.csv);
}

static void test_missing_symkey_fails(void **state)
{
    (void)state;
    PackageContent c;
    MdError err;
    md_error_clear(&err);
    assert_int_equal(package_unpack(PACKAGING "/input_unpackage/MISSING_SYMKEY.tar", KEY, &c,
                                    &err), MD_ERR_VALUE);
    assert_non_null(strstr(err.message, "no MISSING_SYMKEY.symkey.encr"));
}

static void test_only_json_is_metadata_only(void **state)
{
    (void)state;
    PackageContent c;
    MdError err;
    md_error_clear(&err);
    assert_int_equal(package_unpack(PACKAGING "/input_unpackage/ONLY_JSON.tar", KEY, &c, &err),
                     MD_OK);
    assert_null(c.csv);
    assert_int_equal(c.json_len, 2);
    package_content_free(&c);
    /* store_import_package validates the metadata ("{}" fails) and never writes */
    md_error_clear(&err);
    assert_int_not_equal(store_import_package(NULL, PACKAGING "/input_unpackage/ONLY_JSON.tar",
                                              KEY, &err), MD_OK);
    assert_non_null(strstr(err.message, "ONLY_JSON.json: temporalityType: field required"));
}

static void test_wrong_key_fails(void **state)
{
    (void)state;
    char path[400];
    snprintf(path, sizeof path, "%s/other.pem", tmp_dir);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 "
             "-out '%s' 2>/dev/null", path);
    if (system(cmd) != 0)
        skip();
    PackageContent c;
    MdError err;
    md_error_clear(&err);
    assert_int_equal(package_unpack(PACKAGING "/input_unpackage/VALID.tar", path, &c, &err),
                     MD_ERR_VALUE);
    assert_non_null(strstr(err.message, "cannot decrypt the symmetric key"));
    md_error_clear(&err);
    assert_int_equal(package_unpack(PACKAGING "/input_unpackage/VALID.tar", "/nonexistent.pem",
                                    &c, &err), MD_ERR_IO);
    md_error_clear(&err);
    assert_int_equal(package_unpack(PACKAGING "/input_unpackage/VALID.tar",
                                    PACKAGING "/expected_unpackage/VALID_expected.csv", &c,
                                    &err), MD_ERR_VALUE);
    assert_non_null(strstr(err.message, "not a PEM private key"));
}

/* Copies VALID.tar under a new name, flipping one byte at offset (or none if < 0). */
static void copy_tar(const char *name, long offset, char *path, size_t cap)
{
    size_t len;
    char *tar = read_all(PACKAGING "/input_unpackage/VALID.tar", &len);
    if (offset >= 0)
        tar[offset] ^= 0x01;
    snprintf(path, cap, "%s/%s", tmp_dir, name);
    write_all(path, tar, len);
    md_free(tar);
}

static void test_tampered_chunk_fails(void **state)
{
    (void)state;
    char path[400];
    /* chunks/1.csv.encr: header at 0xa00, data at 0xc00; flip a ciphertext character */
    copy_tar("VALID.tar", 0xc00 + 60, path, sizeof path);
    PackageContent c;
    MdError err;
    md_error_clear(&err);
    assert_int_equal(package_unpack(path, KEY, &c, &err), MD_ERR_VALUE);
    assert_true(strstr(err.message, "signature does not match") ||
                strstr(err.message, "not a Fernet token"));
    assert_non_null(strstr(err.where, "chunks/1.csv.encr"));
}

static void test_md5_mismatch_fails(void **state)
{
    (void)state;
    char path[400];
    copy_tar("VALID.tar", 0x1000 + 3, path, sizeof path); /* VALID.md5 data */
    PackageContent c;
    MdError err;
    md_error_clear(&err);
    assert_int_equal(package_unpack(path, KEY, &c, &err), MD_ERR_VALUE);
    assert_non_null(strstr(err.message, "does not match VALID.md5 [rule 1.5 MD5 check]"));
}

static void test_package_name_rules(void **state)
{
    (void)state;
    char path[400];
    copy_tar("valid.tar", -1, path, sizeof path);
    PackageContent c;
    MdError err;
    md_error_clear(&err);
    assert_int_equal(package_unpack(path, KEY, &c, &err), MD_ERR_NAME);
    assert_non_null(strstr(err.message, "rule 1.1 dataset name"));
    copy_tar("OTHER.tar", -1, path, sizeof path);
    md_error_clear(&err);
    assert_int_equal(package_unpack(path, KEY, &c, &err), MD_ERR_VALUE);
    assert_non_null(strstr(err.message, "no OTHER.json"));
    md_error_clear(&err);
    assert_int_equal(package_unpack(MDATA_SHARED_DIR "/testdata/microdata-tools/LICENSE", KEY,
                                    &c, &err), MD_ERR_NAME);
}

static void test_fernet_rejects_garbage(void **state)
{
    (void)state;
    unsigned char key[32] = {0};
    StrBuf out;
    strbuf_init(&out, 1 << 20);
    MdError err;
    md_error_clear(&err);
    assert_int_equal(package_fernet_decrypt(key, "!!!!", 4, &out, &err), MD_ERR_VALUE);
    md_error_clear(&err);
    assert_int_equal(package_fernet_decrypt(key, "gAAAAA", 6, &out, &err), MD_ERR_VALUE);
    assert_non_null(strstr(err.message, "not a Fernet token"));
    strbuf_free(&out);
}


/* ==== Building packages the way microdata-tools' packager does ======================== */

static void base64url_encode(const unsigned char *in, size_t len, StrBuf *out)
{
    static const char digits[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (size_t i = 0; i < len; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16;
        if (i + 1 < len)
            v |= (uint32_t)in[i + 1] << 8;
        if (i + 2 < len)
            v |= in[i + 2];
        char quad[4] = {digits[(v >> 18) & 63], digits[(v >> 12) & 63],
                        i + 1 < len ? digits[(v >> 6) & 63] : '=',
                        i + 2 < len ? digits[v & 63] : '='};
        assert_int_equal(strbuf_append(out, quad, 4), MD_OK);
    }
}

/* A Fernet token of plain under key (fixed IV and timestamp: tests need no randomness). */
static void fernet_encrypt(const unsigned char key[32], const char *plain, size_t len,
                           StrBuf *token)
{
    unsigned char *raw = md_malloc(len + 128);
    assert_non_null(raw);
    raw[0] = 0x80;
    for (int i = 1; i < 9; i++)
        raw[i] = (unsigned char)(i == 8 ? 0x42 : 0);
    for (int i = 9; i < 25; i++)
        raw[i] = (unsigned char)(i * 7);
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int a = 0, b = 0;
    assert_true(EVP_EncryptInit_ex(ctx, EVP_aes_128_cbc(), NULL, key + 16, raw + 9) > 0);
    assert_true(EVP_EncryptUpdate(ctx, raw + 25, &a, (const unsigned char *)plain,
                                  (int)len) > 0);
    assert_true(EVP_EncryptFinal_ex(ctx, raw + 25 + a, &b) > 0);
    EVP_CIPHER_CTX_free(ctx);
    size_t n = 25 + (size_t)a + (size_t)b;
    unsigned int mac_len = 0;
    assert_non_null(HMAC(EVP_sha256(), key, 16, raw, n, raw + n, &mac_len));
    base64url_encode(raw, n + mac_len, token);
    md_free(raw);
}

/* RSA-OAEP(SHA-256) of the base64url text of key, with the test key's public half. */
static void wrap_key(const unsigned char key[32], unsigned char out[256])
{
    FILE *f = fopen(KEY, "rb");
    assert_non_null(f);
    EVP_PKEY *pkey = PEM_read_PrivateKey(f, NULL, NULL, NULL);
    fclose(f);
    assert_non_null(pkey);
    StrBuf text;
    strbuf_init(&text, 1024);
    base64url_encode(key, 32, &text);
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(pkey, NULL);
    size_t out_len = 256;
    assert_true(EVP_PKEY_encrypt_init(ctx) > 0);
    assert_true(EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_OAEP_PADDING) > 0);
    assert_true(EVP_PKEY_CTX_set_rsa_oaep_md(ctx, EVP_sha256()) > 0);
    assert_true(EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, EVP_sha256()) > 0);
    assert_true(EVP_PKEY_encrypt(ctx, out, &out_len, (const unsigned char *)text.data,
                                 text.len) > 0);
    assert_int_equal(out_len, 256);
    EVP_PKEY_CTX_free(ctx);
    EVP_PKEY_free(pkey);
    strbuf_free(&text);
}

static void tar_add(StrBuf *tar, const char *name, const char *data, size_t len)
{
    unsigned char h[512] = {0};
    snprintf((char *)h, 100, "%s", name);
    snprintf((char *)h + 100, 8, "%07o", 0644);
    snprintf((char *)h + 108, 8, "%07o", 0);
    snprintf((char *)h + 116, 8, "%07o", 0);
    snprintf((char *)h + 124, 12, "%011o", (unsigned)len);
    snprintf((char *)h + 136, 12, "%011o", 0);
    h[156] = '0';
    memcpy(h + 257, "ustar", 6);
    memcpy(h + 263, "00", 2);
    memset(h + 148, ' ', 8);
    unsigned sum = 0;
    for (int i = 0; i < 512; i++)
        sum += h[i];
    snprintf((char *)h + 148, 8, "%06o", sum);
    assert_int_equal(strbuf_append(tar, (const char *)h, 512), MD_OK);
    assert_int_equal(strbuf_append(tar, data, len), MD_OK);
    static const char zeros[512];
    if (len % 512)
        assert_int_equal(strbuf_append(tar, zeros, 512 - len % 512), MD_OK);
}

#define MLS(text) "[{\"languageCode\": \"no\", \"value\": \"" text "\"}]"
static const char pkg_json[] =
    "{\"temporalityType\": \"EVENT\", \"sensitivityLevel\": \"PERSON_GENERAL\", "
    "\"populationDescription\": " MLS("Alle") ", \"subjectFields\": [" MLS("B") "], "
    "\"dataRevision\": {\"description\": " MLS("F") "}, \"identifierVariables\": "
    "[{\"unitType\": \"PERSON\"}], \"measureVariables\": [{\"name\": " MLS("Lønn")
    ", \"description\": " MLS("D") ", \"dataType\": \"LONG\", \"valueDomain\": "
    "{\"description\": " MLS("V") "}}]}";

/* Writes tmp/NAME.tar holding csv in chunks cut at the given offsets (ascending). */
static void build_package(const char *name, const char *csv, const size_t *cuts, int n_cuts,
                          bool with_md5, char *path, size_t cap)
{
    unsigned char key[32];
    for (int i = 0; i < 32; i++)
        key[i] = (unsigned char)(3 * i + 1);
    StrBuf tar;
    strbuf_init(&tar, 1 << 24);
    char member[200];
    snprintf(member, sizeof member, "%s.json", name);
    tar_add(&tar, member, pkg_json, strlen(pkg_json));
    unsigned char wrapped[256];
    wrap_key(key, wrapped);
    snprintf(member, sizeof member, "%s.symkey.encr", name);
    tar_add(&tar, member, (const char *)wrapped, 256);
    size_t len = strlen(csv), from = 0;
    for (int c = 0; c <= n_cuts; c++) {
        size_t to = c < n_cuts ? cuts[c] : len;
        StrBuf token;
        strbuf_init(&token, 1 << 20);
        fernet_encrypt(key, csv + from, to - from, &token);
        snprintf(member, sizeof member, "chunks/%d.csv.encr", c + 1);
        tar_add(&tar, member, token.data, token.len);
        strbuf_free(&token);
        from = to;
    }
    if (with_md5) {
        char hex[34];
        package_md5_hex(csv, len, hex);
        hex[32] = '\n';
        snprintf(member, sizeof member, "%s.md5", name);
        tar_add(&tar, member, hex, 33);
    }
    static const char end[1024];
    assert_int_equal(strbuf_append(&tar, end, sizeof end), MD_OK);
    snprintf(path, cap, "%s/%s.tar", tmp_dir, name);
    write_all(path, tar.data, tar.len);
    strbuf_free(&tar);
}

static const char pkg_csv[] = "1;100;2020-01-01;2020-06-30;\n1;200;2020-07-01;;\n"
                              "2;300;2019-01-01;2019-12-31;\n3;-5;2021-01-01;2021-01-01;\n";

static void test_built_package_imports(void **state)
{
    (void)state;
    char path[400], store_path_dir[400];
    static const size_t cuts[] = {7, 8, 40};
    build_package("PKG_LONN", pkg_csv, cuts, 3, true, path, sizeof path);
    PackageContent c;
    MdError err;
    md_error_clear(&err);
    assert_int_equal(store_import_package(NULL, path, KEY, &err), MD_OK); /* validate only */
    assert_int_equal(package_unpack(path, KEY, &c, &err), MD_OK);
    assert_int_equal(c.csv_len, strlen(pkg_csv));
    assert_memory_equal(c.csv, pkg_csv, c.csv_len);
    package_content_free(&c);

    snprintf(store_path_dir, sizeof store_path_dir, "%s/store", tmp_dir);
    assert_int_equal(store_create(store_path_dir, "test.package", false, &err), MD_OK);
    Store *store = store_open(store_path_dir, &err);
    assert_non_null(store);
    assert_int_equal(store_import_package(store, path, KEY, &err), MD_OK);
    StoreVersion *v = store_version_open(store, "draft", &err);
    assert_non_null(v);
    const VariableInfo *info = store_version_variable(v, "PKG_LONN");
    assert_non_null(info);
    assert_string_equal(info->title, "Lønn");
    assert_int_equal(info->value_type, VALUE_LONG);
    Spells s;
    assert_int_equal(store_query_at(v, info, date_from_ymd(2020, 8, 1), NULL, &s, &err), MD_OK);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.unit_ids[0], 1);
    assert_int_equal(s.longs[0], 200);
    spells_free(&s);
    assert_int_equal(store_query_at(v, info, date_from_ymd(2021, 1, 1), NULL, &s, &err), MD_OK);
    assert_int_equal(s.n, 2);
    assert_int_equal(s.longs[1], -5);
    spells_free(&s);
    store_version_close(v);
    store_close(store);
}

static void test_built_package_gap_and_md5(void **state)
{
    (void)state;
    char path[400];
    static const size_t cuts[] = {10, 20};
    build_package("PKG_GAP", pkg_csv, cuts, 2, true, path, sizeof path);
    /* drop chunk 2 by renaming it in the archive: chunks 1 and 3 remain */
    size_t len;
    char *tar = read_all(path, &len);
    char *at = NULL;
    for (size_t i = 0; i + 17 <= len && !at; i += 512) {
        if (memcmp(tar + i, "chunks/2.csv.encr", 17) == 0)
            at = tar + i;
    }
    assert_non_null(at);
    memcpy(at, "chunks/x.csv.encr", 17);
    unsigned char *h = (unsigned char *)at; /* fix the header checksum */
    memset(h + 148, ' ', 8);
    unsigned sum = 0;
    for (int i = 0; i < 512; i++)
        sum += h[i];
    snprintf((char *)h + 148, 8, "%06o", sum);
    write_all(path, tar, len);
    md_free(tar);
    PackageContent c;
    MdError err;
    md_error_clear(&err);
    assert_int_equal(package_unpack(path, KEY, &c, &err), MD_ERR_VALUE);
    assert_non_null(strstr(err.message, "chunk chunks/2.csv.encr is missing"));
    build_package("PKG_NO_MD5", pkg_csv, cuts, 2, false, path, sizeof path);
    md_error_clear(&err);
    assert_int_equal(package_unpack(path, KEY, &c, &err), MD_ERR_VALUE);
    assert_non_null(strstr(err.message, "no PKG_NO_MD5.md5"));
}

static void test_built_package_bad_data_fails(void **state)
{
    (void)state;
    char path[400];
    static const char bad_csv[] = "1;100;2020-01-01;2020-06-30;\n1;200;2020-06-30;;\n";
    build_package("PKG_BAD", bad_csv, NULL, 0, true, path, sizeof path);
    MdError err;
    md_error_clear(&err);
    assert_int_not_equal(store_import_package(NULL, path, KEY, &err), MD_OK);
    assert_non_null(strstr(err.message, "PKG_BAD.csv line 2: period overlaps or touches"));
}

static void test_unpack_allocation_failures(void **state)
{
    (void)state;
    char path[400];
    static const size_t cuts[] = {5, 30};
    build_package("PKG_FAULT", pkg_csv, cuts, 2, true, path, sizeof path);
    int64_t live = md_mem_live_allocations();
    MdStatus st = MD_ERR_MEMORY;
    int64_t n = 0;
    for (; n < 10000 && st != MD_OK; n++) {
        PackageContent c;
        MdError err;
        md_error_clear(&err);
        md_mem_fail_after(n);
        st = package_unpack(path, KEY, &c, &err);
        md_mem_fail_after(-1);
        if (st == MD_OK) {
            assert_memory_equal(c.csv, pkg_csv, c.csv_len);
            package_content_free(&c);
        } else {
            assert_int_equal(st, MD_ERR_MEMORY);
        }
        assert_int_equal(md_mem_live_allocations(), live);
    }
    assert_int_equal(st, MD_OK);
    assert_true(n > 3);
}

static void test_repacked_tar_formats(void **state)
{
    (void)state;
    static const char *const formats[] = {"pax", "gnu", "ustar", "v7"};
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        char cmd[4096], path[400];
        snprintf(path, sizeof path, "%s/%s/VALID.tar", tmp_dir, formats[i]);
        snprintf(cmd, sizeof cmd, "mkdir -p '%s/%s/x' && tar -xf '%s' -C '%s/%s/x' && "
                 "tar --format=%s -cf '%s' -C '%s/%s/x' ./VALID.json ./VALID.symkey.encr "
                 "./chunks ./VALID.md5", tmp_dir, formats[i],
                 PACKAGING "/input_unpackage/VALID.tar", tmp_dir, formats[i], formats[i], path,
                 tmp_dir, formats[i]);
        if (system(cmd) != 0)
            skip();
        PackageContent c;
        MdError err;
        md_error_clear(&err);
        MdStatus st = package_unpack(path, KEY, &c, &err);
        if (st != MD_OK)
            print_error("%s: %s\n", formats[i], err.message);
        assert_int_equal(st, MD_OK);
        assert_int_equal(c.csv_len, 15);
        assert_memory_equal(c.csv, "1;2;3;4\n5;6;7;8", 15);
        package_content_free(&c);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_decrypts_to_expected),
        cmocka_unit_test(test_valid_lists_tar),
        cmocka_unit_test(test_missing_chunk_fails),
        cmocka_unit_test(test_missing_symkey_fails),
        cmocka_unit_test(test_only_json_is_metadata_only),
        cmocka_unit_test(test_wrong_key_fails),
        cmocka_unit_test(test_tampered_chunk_fails),
        cmocka_unit_test(test_md5_mismatch_fails),
        cmocka_unit_test(test_package_name_rules),
        cmocka_unit_test(test_fernet_rejects_garbage),
        cmocka_unit_test(test_built_package_imports),
        cmocka_unit_test(test_built_package_gap_and_md5),
        cmocka_unit_test(test_built_package_bad_data_fails),
        cmocka_unit_test(test_unpack_allocation_failures),
        cmocka_unit_test(test_repacked_tar_formats),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
