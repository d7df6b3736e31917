/*
 * import_rules.c - the rules of spec/datastore.md 1.3 checked on parsed CSV rows: the dates
 * each temporality requires, code-list membership (all codes regardless of validity, plus
 * sentinel codes), unique unit ids (FIXED) or unit ids per status date (STATUS), no
 * overlapping periods (ACCUMULATED, EVENT; closed intervals, so touching periods overlap),
 * and no two different unit id texts mapping to the same uint64 id.
 *
 * Row checks run in file order so errors come by line; the order-dependent checks run on
 * a permutation sorted by (unit id, start, line), the order the VariableWriter needs. Two
 * texts mapping to one id show up as neighbours in that order with different check hashes.
 */
#include "store/import_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* ==== Sorting ========================================================================== */

static void merge_runs(int64_t *src, int64_t *dst, int64_t lo, int64_t mid, int64_t hi,
                       ImportCompare cmp, const void *ctx)
{
    int64_t i = lo, j = mid, k = lo;
    while (i < mid && j < hi)
        dst[k++] = cmp(ctx, src[j], src[i]) < 0 ? src[j++] : src[i++];
    while (i < mid)
        dst[k++] = src[i++];
    while (j < hi)
        dst[k++] = src[j++];
}

void import_sort(int64_t *index, int64_t *scratch, int64_t n, ImportCompare cmp,
                 const void *ctx)
{
    int64_t *src = index, *dst = scratch;
    for (int64_t width = 1; width < n; width *= 2) {
        for (int64_t lo = 0; lo < n; lo += 2 * width) {
            int64_t mid = lo + width < n ? lo + width : n;
            int64_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            merge_runs(src, dst, lo, mid, hi, cmp, ctx);
        }
        int64_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != index)
        memcpy(index, src, (size_t)n * sizeof *index);
}

/* Rows are sorted as (key, row) pairs in one contiguous array: the key packs the 48-bit
 * unit id above the start date's 16-bit offset in the int16 range, which is exact because
 * ids are below 2^48 and dates were range-checked; FIXED rows (no start) all get 0. The
 * merge is stable, so rows with equal keys stay in file order. */
typedef struct SortPair {
    uint64_t key;
    int64_t row;
} SortPair;

static void merge_pairs(const SortPair *src, SortPair *dst, int64_t lo, int64_t mid, int64_t hi)
{
    int64_t i = lo, j = mid, k = lo;
    while (i < mid && j < hi)
        dst[k++] = src[j].key < src[i].key ? src[j++] : src[i++];
    while (i < mid)
        dst[k++] = src[i++];
    while (j < hi)
        dst[k++] = src[j++];
}

/* Sorts pairs (scratch holds n more); skips the work when they are already in order. */
static void sort_pairs(SortPair *pairs, SortPair *scratch, int64_t n)
{
    bool sorted = true;
    for (int64_t i = 1; i < n && sorted; i++)
        sorted = pairs[i - 1].key <= pairs[i].key;
    if (sorted)
        return;
    SortPair *src = pairs, *dst = scratch;
    for (int64_t width = 1; width < n; width *= 2) {
        for (int64_t lo = 0; lo < n; lo += 2 * width) {
            int64_t mid = lo + width < n ? lo + width : n;
            int64_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            merge_pairs(src, dst, lo, mid, hi);
        }
        SortPair *t = src;
        src = dst;
        dst = t;
    }
    if (src != pairs)
        memcpy(pairs, src, (size_t)n * sizeof *pairs);
}

static uint64_t row_key(const ImportRows *r, int64_t i)
{
    int32_t s = r->starts[i];
    uint64_t low = s == DATE_NONE ? 0 : (uint64_t)(s - IMPORT_MIN_DATE) & 0xffff;
    return (r->ids[i] << 16) | low;
}

/* ==== Row checks (file order) ========================================================== */

static const char *row_date_problem(Temporality t, int32_t start, int32_t stop,
                                    const char **rule)
{
    bool has_start = start != DATE_NONE, has_stop = stop != DATE_OPEN;
    switch (t) {
    case TEMPORALITY_FIXED:
        *rule = "1.3 FIXED dates";
        if (has_start)
            return "FIXED: start must be empty";
        return has_stop ? NULL : "FIXED: stop (the measurement date) is required";
    case TEMPORALITY_STATUS:
        *rule = "1.3 STATUS dates";
        if (!has_start || !has_stop)
            return "STATUS: start and stop are both required";
        return start == stop ? NULL : "STATUS: start must equal stop (one status date)";
    case TEMPORALITY_ACCUMULATED:
        *rule = "1.3 ACCUMULATED dates";
        if (!has_start || !has_stop)
            return "ACCUMULATED: start and stop are both required";
        return start < stop ? NULL : "ACCUMULATED: start must be before stop (start >= stop)";
    case TEMPORALITY_EVENT:
        *rule = "1.3 EVENT dates";
        if (!has_start)
            return "EVENT: start is required";
        return !has_stop || stop >= start ? NULL : "EVENT: stop is before start";
    }
    return NULL;
}

static bool value_in_codes(const ImportMeta *meta, const ImportRows *rows, int64_t i,
                           const bool *dict_ok)
{
    if (meta->value_type == VALUE_STRING)
        return dict_ok[rows->string_ids[i]];
    char buf[32];
    snprintf(buf, sizeof buf, "%" PRId64, rows->longs[i]);
    int64_t index;
    return strmap_get(meta->code_set, buf, &index);
}

static MdStatus check_rows(const ImportMeta *meta, const ImportRows *rows, ImportLog *log)
{
    bool *dict_ok = NULL;
    bool check_codes = meta->has_code_list && !meta->pointer_to;
    if (check_codes && meta->value_type == VALUE_STRING) {
        int64_t n_dict = strmap_count(rows->dictionary);
        dict_ok = md_calloc((size_t)n_dict + 1, sizeof *dict_ok);
        if (!dict_ok)
            return MD_ERR_MEMORY;
        int64_t index;
        for (int64_t d = 0; d < n_dict; d++)
            dict_ok[d] = strmap_get(meta->code_set, strmap_key_at(rows->dictionary, d), &index);
    }
    for (int64_t i = 0; i < rows->n && !import_log_full(log); i++) {
        const char *rule = "";
        const char *problem = row_date_problem(meta->temporality, rows->starts[i],
                                               rows->stops[i], &rule);
        if (problem)
            import_log_add(log, MD_ERR_VALUE, rows->lines[i], rule, "%s", problem);
        if (check_codes && !value_in_codes(meta, rows, i, dict_ok)) {
            import_log_add(log, MD_ERR_VALUE, rows->lines[i], "1.3 code list",
                           "value is not a code of the code list or a sentinel code");
        }
    }
    md_free(dict_ok);
    return MD_OK;
}

/* ==== Order checks ===================================================================== */

static void check_pair(const ImportMeta *meta, const ImportRows *r, int64_t a, int64_t b,
                       ImportLog *log)
{
    if (r->ids[a] != r->ids[b])
        return;
    int64_t line = r->lines[b] > r->lines[a] ? r->lines[b] : r->lines[a];
    int64_t other = r->lines[b] > r->lines[a] ? r->lines[a] : r->lines[b];
    if (r->id_checks[a] != r->id_checks[b]) {
        import_log_add(log, MD_ERR_VALUE, line, "import unit id mapping",
                       "two different unit ids (lines %" PRId64 " and %" PRId64 ") map to the "
                       "same stored id; see docs/import.md", other, line);
        return;
    }
    switch (meta->temporality) {
    case TEMPORALITY_FIXED:
        import_log_add(log, MD_ERR_VALUE, line, "1.3 FIXED unique unit_id",
                       "unit_id repeats the one on line %" PRId64, other);
        break;
    case TEMPORALITY_STATUS:
        if (r->starts[a] == r->starts[b])
            import_log_add(log, MD_ERR_VALUE, line, "1.3 STATUS unique unit_id per date",
                           "unit_id repeats the one on line %" PRId64 " for the same date",
                           other);
        break;
    case TEMPORALITY_ACCUMULATED:
    case TEMPORALITY_EVENT:
        /* closed intervals: an open stop overlaps every later spell, stop == start too */
        if (r->stops[a] == DATE_OPEN || r->stops[a] >= r->starts[b])
            import_log_add(log, MD_ERR_VALUE, r->lines[b], "1.3 no overlapping periods",
                           "period overlaps or touches the period of the same unit_id on "
                           "line %" PRId64, r->lines[a]);
        break;
    }
}

static void check_pointer_collisions(const ImportRows *rows, SortPair *pairs,
                                     SortPair *scratch, ImportLog *log)
{
    for (int64_t i = 0; i < rows->n; i++)
        pairs[i] = (SortPair){(uint64_t)rows->longs[i], i};
    sort_pairs(pairs, scratch, rows->n);
    for (int64_t i = 1; i < rows->n && !import_log_full(log); i++) {
        int64_t a = pairs[i - 1].row, b = pairs[i].row;
        if (rows->longs[a] == rows->longs[b] && rows->value_checks[a] != rows->value_checks[b])
            import_log_add(log, MD_ERR_VALUE, rows->lines[b], "import unit id mapping",
                           "two different unit ids in the value column map to the same stored "
                           "id; see docs/import.md");
    }
}

MdStatus import_rules_check(const ImportMeta *meta, const ImportRows *rows, int64_t *order,
                            ImportLog *log)
{
    MdStatus st = check_rows(meta, rows, log);
    if (st != MD_OK || import_log_failed(log))
        return st != MD_OK ? st : log->status;
    int64_t n = rows->n;
    SortPair *pairs = md_malloc((size_t)(n ? n : 1) * 2 * sizeof *pairs);
    if (!pairs)
        return MD_ERR_MEMORY;
    for (int64_t i = 0; i < n; i++)
        pairs[i] = (SortPair){row_key(rows, i), i};
    sort_pairs(pairs, pairs + n, n);
    for (int64_t i = 0; i < n; i++)
        order[i] = pairs[i].row;
    for (int64_t i = 1; i < n && !import_log_full(log); i++)
        check_pair(meta, rows, order[i - 1], order[i], log);
    if (meta->pointer_to && !import_log_failed(log))
        check_pointer_collisions(rows, pairs, pairs + n, log);
    md_free(pairs);
    return import_log_failed(log) ? log->status : MD_OK;
}
