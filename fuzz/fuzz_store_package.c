/*
 * fuzz_store_package.c - libFuzzer entry point for the package readers (src/store/
 * package_tar.c, package_crypt.c): any bytes are listed as a tar archive, and every entry
 * is then offered to the Fernet verifier with a fixed key. Nothing touches the disk.
 */
#include "store/import_int.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    PackageFile *files = NULL;
    int64_t n = 0;
    MdError err;
    md_error_clear(&err);
    if (package_tar_list((const char *)data, size, &files, &n, &err) != MD_OK) {
        MD_ASSERT(err.status != MD_OK && files == NULL);
        return 0;
    }
    static const unsigned char key[32] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    for (int64_t i = 0; i < n; i++) {
        MD_ASSERT(files[i].data >= (const char *)data);
        MD_ASSERT(files[i].data + files[i].len <= (const char *)data + size);
        StrBuf out;
        strbuf_init(&out, 1 << 20);
        md_error_clear(&err);
        if (package_fernet_decrypt(key, files[i].data, files[i].len, &out, &err) != MD_OK)
            MD_ASSERT(err.status != MD_OK);
        strbuf_free(&out);
    }
    md_free(files);
    return 0;
}
