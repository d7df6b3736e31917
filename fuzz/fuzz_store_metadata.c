/*
 * fuzz_store_metadata.c - libFuzzer entry point for the metadata JSON model of
 * microdata-tools (src/store/import_metadata.c): any bytes go to the validator, which must
 * either accept them into a consistent ImportMeta or log why not. Nothing touches the disk.
 */
#include "store/import_int.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ImportMeta meta;
    ImportLog log;
    import_log_init(&log, "FUZZ.json");
    MdStatus st = import_meta_parse("FUZZ", (const char *)data, size, &meta, &log);
    if (st == MD_OK) {
        MD_ASSERT(!import_log_failed(&log));
        MD_ASSERT(meta.id_name && meta.unit_type && meta.title && meta.description);
        for (int64_t i = 1; i < meta.n_codes; i++)
            MD_ASSERT(strcmp(meta.codes[i - 1].code, meta.codes[i].code) <= 0);
        import_meta_free(&meta);
    } else {
        MD_ASSERT(import_log_failed(&log));
    }
    return 0;
}
