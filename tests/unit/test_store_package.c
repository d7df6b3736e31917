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
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
