/*
 * fuzz_store_csv.c - libFuzzer entry point for the microdata-tools CSV reader and the rules
 * of spec/datastore.md 1.3 (src/store/import_csv.c, import_rules.c).
 *
 * The first input byte picks the measure's value type, whether the value is a unit id and
 * the temporality; the rest is the CSV file. Parsed rows then go through the temporality,
 * overlap, uniqueness and collision checks. Nothing touches the disk.
 */
#include "store/import_int.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t mode = data[0];
    ImportCsvOptions options = {(ValueType)(mode & 3), (mode & 4) != 0};
    if (options.is_pointer)
        options.value_type = VALUE_LONG;
    ImportRows rows;
    ImportLog log;
    import_log_init(&log, "FUZZ.csv");
    MdStatus st = import_csv_read((const char *)data + 1, size - 1, &options, &rows, &log);
    MD_ASSERT(st == MD_OK || import_log_failed(&log));
    if (st == MD_OK) {
        ImportMeta meta = {0};
        meta.name = "FUZZ";
        meta.temporality = (Temporality)((mode >> 3) & 3);
        meta.value_type = options.value_type;
        meta.pointer_to = options.is_pointer ? "PERSON" : NULL;
        int64_t *order = md_malloc((size_t)(rows.n ? rows.n : 1) * sizeof *order);
        if (order) {
            import_log_init(&log, "FUZZ.csv");
            st = import_rules_check(&meta, &rows, order, &log);
            MD_ASSERT(st == MD_OK || import_log_failed(&log) || st == MD_ERR_MEMORY);
            for (int64_t i = 1; st == MD_OK && i < rows.n; i++)
                MD_ASSERT(rows.ids[order[i - 1]] <= rows.ids[order[i]]);
            md_free(order);
        }
    }
    MdError err;
    md_error_clear(&err);
    (void)import_log_to_error(&log, &err);
    import_rows_free(&rows);
    return 0;
}
