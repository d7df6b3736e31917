/*
 * test_store_import_rules.c - unit tests of dataset validation in memory
 * (import_dataset_validate): the four microdata-tools examples pass with the right
 * enrichment, and every rule of spec/datastore.md 1.1-1.4 rejects what it must, with the
 * file, the line and the rule in the message and never a unit id.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "store/import_int.h"

#define EXAMPLES MDATA_SHARED_DIR "/testdata/microdata-tools/examples"

#define MLS(text) "[{\"languageCode\": \"no\", \"value\": \"" text "\"}]"

/* The parts of a metadata document around the measure variable. */
#define META_HEAD(temporality)                                                            \
    "{\"temporalityType\": \"" temporality "\", \"sensitivityLevel\": \"PERSON_GENERAL\", "  \
    "\"populationDescription\": " MLS("Alle") ", \"subjectFields\": [" MLS("BEFOLKNING")    \
    "], \"dataRevision\": {\"description\": " MLS("Første") "}, "                          \
    "\"identifierVariables\": [{\"unitType\": \"PERSON\"}], \"measureVariables\": ["
#define META_TAIL "]}"

#define MEASURE_DESCRIBED(type)                                                           \
    "{\"name\": " MLS("Navn") ", \"description\": " MLS("Beskrivelse") ", \"dataType\": \"" \
    type "\", \"valueDomain\": {\"description\": " MLS("Verdi") "}}"

#define CODE(code, from) \
    "{\"code\": " code ", \"categoryTitle\": " MLS("Tittel") ", \"validFrom\": \"" from "\"}"
#define CODE_UNTIL(code, from, until)                                                      \
    "{\"code\": " code ", \"categoryTitle\": " MLS("Tittel") ", \"validFrom\": \"" from  \
    "\", \"validUntil\": \"" until "\"}"

#define MEASURE_CODES(type, codes, sentinels)                                             \
    "{\"name\": " MLS("Navn") ", \"description\": " MLS("Beskrivelse") ", \"dataType\": \"" \
    type "\", \"valueDomain\": {\"codeList\": [" codes "]" sentinels "}}"
#define SENTINEL(code) \
    ", \"sentinelAndMissingValues\": [{\"code\": " code ", \"categoryTitle\": " MLS("Ukjent") "}]"

typedef struct Check {
    ImportDataset dataset;
    ImportLog log;
    MdStatus status;
} Check;

static Check check;

static Check *validate(const char *name, const char *json, const char *csv)
{
    import_dataset_free(&check.dataset);
    ImportInput in = {name, json, strlen(json), csv, csv ? strlen(csv) : 0, false};
    check.status = import_dataset_validate(&in, &check.dataset, &check.log);
    return &check;
}

static bool has(const Check *c, const char *needle)
{
    for (int i = 0; i < c->log.n; i++) {
        if (strstr(c->log.items[i], needle))
            return true;
    }
    return false;
}

static char *read_all(const char *path, size_t *len)
{
    char *data = NULL;
    MdError err;
    md_error_clear(&err);
    assert_int_equal(import_read_file(path, 1 << 26, &data, len, &err), MD_OK);
    return data;
}

static Check *validate_example(const char *name)
{
    char path[512];
    size_t json_len, csv_len;
    snprintf(path, sizeof path, "%s/%s/%s.json", EXAMPLES, name, name);
    char *json = read_all(path, &json_len);
    snprintf(path, sizeof path, "%s/%s/%s.csv", EXAMPLES, name, name);
    char *csv = read_all(path, &csv_len);
    import_dataset_free(&check.dataset);
    ImportInput in = {name, json, json_len, csv, csv_len, false};
    check.status = import_dataset_validate(&in, &check.dataset, &check.log);
    md_free(json);
    md_free(csv);
    if (check.status != MD_OK)
        print_error("%s: %s\n", name, check.log.items[0]);
    return &check;
}

/* ==== The examples ===================================================================== */

static void test_example_bosted_status(void **state)
{
    (void)state;
    Check *c = validate_example("BEFOLKNING_BOSTED");
    assert_int_equal(c->status, MD_OK);
    const VariableInfo *info = &c->dataset.info;
    assert_string_equal(info->name, "BEFOLKNING_BOSTED");
    assert_string_equal(info->title, "Bosted");
    assert_int_equal(info->temporality, TEMPORALITY_STATUS);
    assert_string_equal(info->unit_type, "PERSON");
    assert_string_equal(info->id_name, "PERSONID_1");
    assert_int_equal(info->value_type, VALUE_STRING);
    assert_null(info->pointer_to);
    assert_int_equal(info->n_rows, 21);
    assert_int_equal(info->n_status_dates, 2);
    assert_int_equal(info->status_dates[0], date_from_ymd(1920, 1, 1));
    assert_int_equal(info->status_dates[1], date_from_ymd(1926, 1, 1));
    assert_int_equal(info->valid_from, date_from_ymd(1920, 1, 1));
    assert_int_equal(info->valid_until, date_from_ymd(1926, 1, 1));
    assert_int_equal(info->n_codes, 5);
    assert_string_equal(info->codes[0].code, "0");
    assert_true(info->codes[0].is_missing);
    assert_false(info->codes[1].is_missing);
}

static void test_example_inntekt_accumulated(void **state)
{
    (void)state;
    Check *c = validate_example("BEFOLKNING_INNTEKT");
    assert_int_equal(c->status, MD_OK);
    const ImportDataset *d = &c->dataset;
    assert_int_equal(d->info.temporality, TEMPORALITY_ACCUMULATED);
    assert_int_equal(d->info.n_rows, 21);
    assert_int_equal(d->info.n_codes, 0);
    assert_int_equal(d->info.valid_from, date_from_ymd(1920, 1, 1));
    assert_int_equal(d->info.valid_until, date_from_ymd(1929, 12, 31));
    /* sorted order: unit 1 first, its 1920 period before 1926 */
    int64_t first = d->order[0], second = d->order[1];
    assert_int_equal(d->rows.ids[first], 1);
    assert_int_equal(d->rows.starts[first], date_from_ymd(1920, 1, 1));
    assert_int_equal(d->rows.starts[second], date_from_ymd(1926, 1, 1));
    assert_string_equal(strmap_key_at(d->rows.dictionary, d->rows.string_ids[first]),
                        "100120");
    /* unit 8's first period is 1921 although it comes late in the file */
    for (int64_t k = 1; k < d->rows.n; k++) {
        int64_t a = d->order[k - 1], b = d->order[k];
        assert_true(d->rows.ids[a] < d->rows.ids[b] ||
                    (d->rows.ids[a] == d->rows.ids[b] && d->rows.starts[a] < d->rows.starts[b]));
    }
}

static void test_example_kjoenn_fixed(void **state)
{
    (void)state;
    Check *c = validate_example("BEFOLKNING_KJOENN");
    assert_int_equal(c->status, MD_OK);
    assert_int_equal(c->dataset.info.temporality, TEMPORALITY_FIXED);
    assert_int_equal(c->dataset.info.n_rows, 100); /* the last line has no newline */
    assert_int_equal(c->dataset.info.valid_from, date_from_ymd(1900, 1, 1));
    assert_int_equal(c->dataset.info.valid_until, date_from_ymd(2021, 1, 1));
    assert_int_equal(c->dataset.rows.ids[0], 10000000000000);
}

static void test_example_sivilstand_event(void **state)
{
    (void)state;
    Check *c = validate_example("BEFOLKNING_SIVILSTAND");
    assert_int_equal(c->status, MD_OK);
    assert_int_equal(c->dataset.info.temporality, TEMPORALITY_EVENT);
    assert_int_equal(c->dataset.info.n_codes, 10);
    assert_int_equal(c->dataset.rows.stops[1], DATE_OPEN); /* open-ended row */
    const CodeEntry *six = &c->dataset.info.codes[6]; /* "0" (sentinel), "1".."9" */
    assert_string_equal(six->code, "6");
    assert_string_equal(six->label, "Registrert partner");
    assert_int_equal(six->valid_from, date_from_ymd(1927, 7, 1));
    assert_int_equal(six->valid_until, DATE_OPEN);
}

/* ==== Temporality rules ================================================================ */

#define STRING_META(t) META_HEAD(t) MEASURE_DESCRIBED("STRING") META_TAIL

static void test_fixed_rules(void **state)
{
    (void)state;
    const char *meta = STRING_META("FIXED");
    Check *c = validate("T", meta, "1;a;;2020-01-01;\n2;b;2020-01-01;2020-01-01;\n3;c;;;\n");
    assert_int_equal(c->status, MD_ERR_VALUE);
    assert_int_equal(c->log.n_total, 2);
    assert_true(has(c, "T.csv line 2: FIXED: start must be empty [rule 1.3 FIXED dates]"));
    assert_true(has(c, "T.csv line 3: FIXED: stop (the measurement date) is required"));
    c = validate("T", meta, "1;a;;2020-01-01;\n2;b;;2020-01-01;\n00001;c;;2020-01-01;\n");
    assert_int_equal(c->status, MD_ERR_VALUE);
    /* "00001" and "1" are different ids that map to the same stored id */
    assert_true(has(c, "T.csv line 3: two different unit ids (lines 1 and 3)"));
    /* two ids whose keyed 48-bit hashes collide */
    c = validate("T", meta, "ID-1530341;a;;2020-01-01;\n2;b;;2020-01-01;\n"
                            "ID-20739497;c;;2020-01-01;\n");
    assert_true(has(c, "T.csv line 3: two different unit ids (lines 1 and 3) map to the same "
                       "stored id; see docs/import.md [rule import unit id mapping]"));
    c = validate("T", meta, "1;a;;2020-01-01;\n2;b;;2020-01-01;\n1;c;;2020-01-01;\n");
    assert_true(has(c, "T.csv line 3: unit_id repeats the one on line 1 [rule 1.3 FIXED "
                       "unique unit_id]"));
    assert_false(has(c, ";1;")); /* never the id itself */
}

static void test_status_rules(void **state)
{
    (void)state;
    const char *meta = STRING_META("STATUS");
    Check *c = validate("T", meta, "1;a;2020-01-01;2020-01-01;\n1;a;2021-01-01;2021-01-01;\n"
                                   "2;a;2020-01-01;2020-01-02;\n3;a;;2020-01-01;\n");
    assert_int_equal(c->log.n_total, 2);
    assert_true(has(c, "T.csv line 3: STATUS: start must equal stop (one status date) [rule "
                       "1.3 STATUS dates]"));
    assert_true(has(c, "T.csv line 4: STATUS: start and stop are both required"));
    c = validate("T", meta, "1;a;2020-01-01;2020-01-01;\n1;b;2020-01-01;2020-01-01;\n");
    assert_true(has(c, "T.csv line 2: unit_id repeats the one on line 1 for the same date "
                       "[rule 1.3 STATUS unique unit_id per date]"));
    c = validate("T", meta, "2;a;2021-01-01;2021-01-01;\n1;a;2020-01-01;2020-01-01;\n"
                            "1;a;2021-01-01;2021-01-01;\n");
    assert_int_equal(c->status, MD_OK);
    assert_int_equal(c->dataset.n_status_dates, 2);
    assert_int_equal(c->dataset.status_dates[0], date_from_ymd(2020, 1, 1));
}

static void test_accumulated_rules(void **state)
{
    (void)state;
    const char *meta = STRING_META("ACCUMULATED");
    Check *c = validate("T", meta, "1;a;2020-01-01;2020-01-01;\n2;a;2020-01-02;2020-01-01;\n"
                                   "3;a;2020-01-01;;\n");
    assert_int_equal(c->log.n_total, 3);
    assert_true(has(c, "T.csv line 1: ACCUMULATED: start must be before stop (start >= stop) "
                       "[rule 1.3 ACCUMULATED dates]"));
    assert_true(has(c, "T.csv line 2: ACCUMULATED: start must be before stop"));
    assert_true(has(c, "T.csv line 3: ACCUMULATED: start and stop are both required"));
    /* overlapping spells of one unit, in any file order */
    c = validate("T", meta, "1;a;2020-06-01;2020-12-31;\n2;a;2020-01-01;2020-12-31;\n"
                            "1;a;2020-01-01;2020-06-30;\n");
    assert_int_equal(c->log.n_total, 1);
    assert_true(has(c, "T.csv line 1: period overlaps or touches the period of the same "
                       "unit_id on line 3 [rule 1.3 no overlapping periods]"));
    /* touching spells: intervals are closed, so stop == next start is invalid */
    c = validate("T", meta, "1;a;2020-01-01;2020-06-30;\n1;a;2020-06-30;2020-12-31;\n");
    assert_true(has(c, "T.csv line 2: period overlaps or touches"));
    c = validate("T", meta, "1;a;2020-01-01;2020-06-30;\n1;a;2020-07-01;2020-12-31;\n");
    assert_int_equal(c->status, MD_OK);
}

static void test_event_rules(void **state)
{
    (void)state;
    const char *meta = STRING_META("EVENT");
    Check *c = validate("T", meta, "1;a;;2020-01-01;\n2;a;2020-01-02;2020-01-01;\n"
                                   "3;a;2020-01-01;2020-01-01;\n4;a;2020-01-01;;\n");
    assert_int_equal(c->log.n_total, 2);
    assert_true(has(c, "T.csv line 1: EVENT: start is required [rule 1.3 EVENT dates]"));
    assert_true(has(c, "T.csv line 2: EVENT: stop is before start"));
    /* an open spell overlaps every later spell of the unit */
    c = validate("T", meta, "1;a;2020-01-01;;\n1;b;2021-01-01;2021-02-01;\n");
    assert_true(has(c, "T.csv line 2: period overlaps or touches the period of the same "
                       "unit_id on line 1"));
    c = validate("T", meta, "1;a;2020-01-01;2020-12-31;\n1;b;2021-01-01;;\n");
    assert_int_equal(c->status, MD_OK);
    assert_int_equal(c->dataset.info.valid_until, date_from_ymd(2021, 1, 1));
}

/* ==== Code lists ======================================================================= */

static void test_unknown_codes(void **state)
{
    (void)state;
    const char *meta = META_HEAD("FIXED") MEASURE_CODES("STRING", CODE("\"1\"", "2020-01-01")
                       "," CODE("\"2\"", "2020-01-01"), SENTINEL("\"0\"")) META_TAIL;
    Check *c = validate("T", meta, "1;1;;2020-01-01;\n2;3;;2020-01-01;\n3;0;;2020-01-01;\n"
                                   "4;2;;1900-01-01;\n");
    assert_int_equal(c->log.n_total, 1);
    assert_true(has(c, "T.csv line 2: value is not a code of the code list or a sentinel code "
                       "[rule 1.3 code list]"));
    /* membership ignores the validity period: code 2 dated 1900 is accepted */
    c = validate("T", meta, "4;2;;1900-01-01;\n");
    assert_int_equal(c->status, MD_OK);
}

static void test_long_codes(void **state)
{
    (void)state;
    const char *meta = META_HEAD("FIXED") MEASURE_CODES("LONG", CODE("1", "2020-01-01") ","
                       CODE("20", "2020-01-01"), SENTINEL("-1")) META_TAIL;
    Check *c = validate("T", meta, "1;20;;2020-01-01;\n2;-1;;2020-01-01;\n3;7;;2020-01-01;\n");
    assert_int_equal(c->log.n_total, 1);
    assert_true(has(c, "T.csv line 3: value is not a code"));
}

static void test_code_type_must_match(void **state)
{
    (void)state;
    Check *c = validate("T", META_HEAD("FIXED") MEASURE_CODES("LONG", CODE("\"1\"", "2020-01-01"),
                        "") META_TAIL, NULL);
    assert_true(has(c, "T.json: measureVariables[0].valueDomain.codeList[0].code: code must be "
                       "a JSON integer for dataType LONG [rule 1.4 code type matches dataType]"));
    c = validate("T", META_HEAD("FIXED") MEASURE_CODES("STRING", CODE("1", "2020-01-01"), "")
                 META_TAIL, NULL);
    assert_true(has(c, "code must be a non-empty JSON string for dataType STRING"));
    c = validate("T", META_HEAD("FIXED") MEASURE_CODES("DOUBLE", CODE("1", "2020-01-01"), "")
                 META_TAIL, NULL);
    assert_true(has(c, "only allowed with dataType STRING or LONG"));
    c = validate("T", META_HEAD("FIXED") MEASURE_CODES("STRING", CODE("\"1\"", "2020-01-01"),
                 SENTINEL("0")) META_TAIL, NULL);
    assert_true(has(c, "sentinelAndMissingValues[0].code: code must be a non-empty JSON string"));
}

static void test_code_validity_periods(void **state)
{
    (void)state;
    /* the same code in two periods that do not overlap is fine */
    Check *c = validate("T", META_HEAD("FIXED") MEASURE_CODES("STRING",
                        CODE_UNTIL("\"1\"", "2000-01-01", "2009-12-31") ","
                        CODE("\"1\"", "2010-01-01"), "") META_TAIL, "1;1;;2020-01-01;\n");
    assert_int_equal(c->status, MD_OK);
    assert_int_equal(c->dataset.info.n_codes, 2);
    /* validUntil is inclusive: redefining on that day overlaps */
    c = validate("T", META_HEAD("FIXED") MEASURE_CODES("STRING",
                 CODE_UNTIL("\"1\"", "2000-01-01", "2010-01-01") ","
                 CODE("\"1\"", "2010-01-01"), "") META_TAIL, NULL);
    assert_true(has(c, "code \"1\" is defined twice in an overlapping period [rule 1.4 code "
                       "list validity]"));
    c = validate("T", META_HEAD("FIXED") MEASURE_CODES("STRING", CODE("\"1\"", "2000-01-01") ","
                 CODE("\"1\"", "2005-01-01"), "") META_TAIL, NULL);
    assert_true(has(c, "defined twice"));
    c = validate("T", META_HEAD("FIXED") MEASURE_CODES("STRING", CODE("\"1\"", "2000-13-01"), "")
                 META_TAIL, NULL);
    assert_true(has(c, "codeList[0].validFrom: required, a valid date YYYY-MM-DD"));
    c = validate("T", META_HEAD("FIXED") MEASURE_CODES("STRING",
                 CODE_UNTIL("\"1\"", "2000-01-01", "1999-01-01"), "") META_TAIL, NULL);
    assert_true(has(c, "validUntil is before validFrom"));
    c = validate("T", META_HEAD("FIXED") MEASURE_CODES("STRING", "", "") META_TAIL, NULL);
    assert_true(has(c, "codeList: expected a list of at least 1 item"));
}

/* ==== Metadata model =================================================================== */

static void test_metadata_extra_keys(void **state)
{
    (void)state;
    Check *c = validate("T", "{\"temporalityType\": \"FIXED\", \"sensitivityLevel\": \"PUBLIC\", "
                        "\"populationDescription\": " MLS("A") ", \"subjectFields\": [" MLS("B")
                        "], \"dataRevision\": {\"description\": " MLS("C") ", \"extra\": 1}, "
                        "\"identifierVariables\": [{\"unitType\": \"PERSON\", \"x\": 2}], "
                        "\"measureVariables\": [{\"name\": " MLS("N") ", \"description\": "
                        MLS("D") ", \"dataType\": \"LONG\", \"valueDomain\": {\"description\": "
                        MLS("V") ", \"unknownField\": true}}]}", NULL);
    assert_int_equal(c->status, MD_ERR_VALUE);
    assert_int_equal(c->log.n_total, 3);
    assert_true(has(c, "T.json: dataRevision.extra: extra field not permitted [rule 1.4 extra "
                       "keys forbidden]"));
    assert_true(has(c, "identifierVariables[0].x: extra field not permitted"));
    assert_true(has(c, "valueDomain.unknownField: extra field not permitted"));
}

static void test_metadata_extra_keys_in_codes(void **state)
{
    (void)state;
    /* as microdata-tools' EXTRA_FIELDS case: validTo in a code, validFrom in a sentinel */
    Check *c = validate("T", META_HEAD("FIXED") MEASURE_CODES("STRING",
                        "{\"code\": \"a\", \"categoryTitle\": " MLS("A") ", \"validFrom\": "
                        "\"2020-01-01\", \"validTo\": \"2020-12-31\"}",
                        ", \"sentinelAndMissingValues\": [{\"code\": \"0\", \"categoryTitle\": "
                        MLS("U") ", \"validFrom\": \"2020-01-01\"}]") META_TAIL, NULL);
    assert_int_equal(c->log.n_total, 2);
    assert_true(has(c, "codeList[0].validTo: extra field not permitted"));
    assert_true(has(c, "sentinelAndMissingValues[0].validFrom: extra field not permitted"));
}

static void test_code_list_overlap_like_microdata_tools(void **state)
{
    (void)state;
    /* a 2020, b 2020, a from 2021: valid; adding a 2020-09..2020-12 overlaps */
    Check *c = validate("T", META_HEAD("FIXED") MEASURE_CODES("STRING",
                        CODE_UNTIL("\"a\"", "2020-01-01", "2020-12-31") ","
                        CODE_UNTIL("\"b\"", "2020-01-01", "2020-12-31") ","
                        CODE("\"a\"", "2021-01-01"), "") META_TAIL, NULL);
    assert_int_equal(c->status, MD_OK);
    c = validate("T", META_HEAD("FIXED") MEASURE_CODES("STRING",
                 CODE_UNTIL("\"a\"", "2020-01-01", "2020-12-31") ","
                 CODE_UNTIL("\"b\"", "2020-01-01", "2020-12-31") ","
                 CODE("\"a\"", "2021-01-01") ","
                 CODE_UNTIL("\"a\"", "2020-09-01", "2020-12-31"), "") META_TAIL, NULL);
    assert_int_equal(c->log.n_total, 1);
    assert_true(has(c, "code \"a\" is defined twice in an overlapping period"));
}

static void test_metadata_string_fields(void **state)
{
    (void)state;
    Check *c = validate("T", META_HEAD("FIXED") "{\"name\": " MLS("N") ", \"description\": "
                        MLS("D") ", \"dataType\": \"LONG\", \"format\": 7, \"uriDefinition\": "
                        "[\"https://a\", 3], \"valueDomain\": {\"description\": " MLS("V")
                        ", \"measurementType\": [], \"uriDefinition\": \"x\"}}" META_TAIL, NULL);
    assert_int_equal(c->log.n_total, 4);
    assert_true(has(c, "measureVariables[0].format: expected a string"));
    assert_true(has(c, "measureVariables[0].uriDefinition: expected a list of strings"));
    assert_true(has(c, "valueDomain.measurementType: expected a string"));
    assert_true(has(c, "valueDomain.uriDefinition: expected a list of strings"));
    c = validate("T", "{\"dataRevision\": {\"description\": " MLS("C") ", \"temporalEnd\": "
                 "{\"description\": " MLS("E") ", \"successors\": []}}}", NULL);
    assert_true(has(c, "dataRevision.temporalEnd.successors: expected a list of at least 1 "
                       "string"));
}

static void test_metadata_required_and_enums(void **state)
{
    (void)state;
    Check *c = validate("T", "{}", NULL);
    assert_true(has(c, "T.json: temporalityType: field required"));
    assert_true(has(c, "sensitivityLevel: field required"));
    assert_true(has(c, "identifierVariables: expected a list of exactly 1 item"));
    assert_true(has(c, "measureVariables: expected a list of exactly 1 object"));
    c = validate("T", "{\"temporalityType\": \"WEEKLY\"}", NULL);
    assert_true(has(c, "temporalityType: not one of the permitted values"));
    c = validate("T", "[1, 2", NULL);
    assert_int_equal(c->status, MD_ERR_SYNTAX);
    assert_true(has(c, "T.json line 1: invalid JSON"));
    c = validate("T", "{\"a\": 1, \"a\": 2}", NULL);
    assert_int_equal(c->status, MD_ERR_SYNTAX);
}

static void test_metadata_mls_needs_no(void **state)
{
    (void)state;
    Check *c = validate("T", META_HEAD("FIXED") "{\"name\": [{\"languageCode\": \"en\", "
                        "\"value\": \"Name\"}], \"description\": " MLS("D") ", \"dataType\": "
                        "\"LONG\", \"valueDomain\": {\"description\": " MLS("V") "}}" META_TAIL,
                        NULL);
    assert_true(has(c, "measureVariables[0].name: needs a \"no\" entry"));
    c = validate("T", META_HEAD("FIXED") "{\"name\": [{\"languageCode\": \"de\", \"value\": "
                 "\"N\"}], \"description\": " MLS("D") ", \"dataType\": \"LONG\", "
                 "\"valueDomain\": {\"description\": " MLS("V") "}}" META_TAIL, NULL);
    assert_true(has(c, "languageCode must be one of no, nb, nn, en"));
    c = validate("T", META_HEAD("FIXED") "{\"name\": " MLS("") ", \"description\": " MLS("D")
                 ", \"dataType\": \"LONG\", \"valueDomain\": {\"description\": " MLS("V") "}}"
                 META_TAIL, NULL);
    assert_true(has(c, "value must be a non-empty string"));
    /* spatialCoverageDescription is dropped: English alone is fine, a bad entry is not */
    c = validate("T", "{\"temporalityType\": \"FIXED\", \"sensitivityLevel\": \"PUBLIC\", "
                 "\"populationDescription\": " MLS("A") ", \"spatialCoverageDescription\": "
                 "[{\"languageCode\": \"en\", \"value\": \"Norway\"}], \"subjectFields\": ["
                 MLS("B") "], \"dataRevision\": {\"description\": " MLS("C") "}, "
                 "\"identifierVariables\": [{\"unitType\": \"PERSON\"}], "
                 "\"measureVariables\": [" MEASURE_DESCRIBED("LONG") "]}", "1;5;;2020-01-01;\n");
    assert_int_equal(c->status, MD_OK);
    c = validate("T", "{\"spatialCoverageDescription\": []}", NULL);
    assert_true(has(c, "spatialCoverageDescription: expected a list of at least 1 item"));
}

static void test_metadata_value_domain_kinds(void **state)
{
    (void)state;
    Check *c = validate("T", META_HEAD("FIXED") "{\"name\": " MLS("N") ", \"description\": "
                        MLS("D") ", \"dataType\": \"LONG\", \"valueDomain\": {}}" META_TAIL, NULL);
    assert_true(has(c, "either a codeList or a description"));
    c = validate("T", META_HEAD("FIXED") "{\"name\": " MLS("N") ", \"description\": " MLS("D")
                 ", \"dataType\": \"LONG\", \"valueDomain\": {\"description\": " MLS("V")
                 SENTINEL("1") "}}" META_TAIL, NULL);
    assert_true(has(c, "sentinelAndMissingValues is not allowed with a described valueDomain"));
    c = validate("T", META_HEAD("FIXED") "{\"name\": " MLS("N") ", \"description\": " MLS("D")
                 ", \"dataType\": \"LONG\", \"valueDomain\": {\"measurementType\": \"X\", "
                 "\"codeList\": [" CODE("1", "2000-01-01") "]}}" META_TAIL, NULL);
    assert_true(has(c, "a codeList domain may not have description"));
    c = validate("T", META_HEAD("FIXED") "{\"name\": " MLS("N") ", \"description\": " MLS("D")
                 ", \"dataType\": \"LONG\"}" META_TAIL, NULL);
    assert_true(has(c, "missing valueDomain in measure variable"));
    c = validate("T", META_HEAD("FIXED") "{\"name\": " MLS("N") ", \"description\": " MLS("D")
                 ", \"dataType\": \"TEXT\", \"valueDomain\": {\"description\": " MLS("V") "}}"
                 META_TAIL, NULL);
    assert_true(has(c, "measureVariables[0].dataType: missing, or not one of STRING"));
}

static void test_unit_typed_measure(void **state)
{
    (void)state;
    const char *meta = META_HEAD("FIXED") "{\"unitType\": \"PERSON\", \"name\": " MLS("Mor")
                       ", \"description\": " MLS("Mor") "}" META_TAIL;
    Check *c = validate("SYNT_PERSON_MOR", meta, "1;00000000000002;;2020-01-01;\n"
                                                 "2;X7;;2020-01-01;\n");
    assert_int_equal(c->status, MD_OK);
    assert_string_equal(c->dataset.info.pointer_to, "PERSON");
    assert_int_equal(c->dataset.info.value_type, VALUE_LONG);
    assert_int_equal(c->dataset.rows.longs[0], 2);
    /* two different pointer texts that map to one id */
    c = validate("SYNT_PERSON_MOR", meta, "1;2;;2020-01-01;\n2;002;;2020-01-01;\n");
    assert_true(has(c, "line 2: two different unit ids in the value column"));
    c = validate("SYNT_PERSON_MOR", meta, "1;ID-9897380;;2020-01-01;\n"
                                          "2;ID-14771041;;2020-01-01;\n");
    assert_true(has(c, "two different unit ids in the value column map to the same stored id"));
    c = validate("T", META_HEAD("FIXED") "{\"unitType\": \"PERSON\", \"name\": " MLS("Mor")
                 ", \"description\": " MLS("Mor") ", \"dataType\": \"STRING\"}" META_TAIL, NULL);
    assert_true(has(c, "dataType and valueDomain may not be set together with a unitType"));
    c = validate("T", META_HEAD("FIXED") "{\"unitType\": \"ALIEN\", \"name\": " MLS("Mor")
                 ", \"description\": " MLS("Mor") "}" META_TAIL, NULL);
    assert_true(has(c, "measureVariables[0].unitType: unknown unitType [rule 3 unit types]"));
}

static void test_identifier_unit_types(void **state)
{
    (void)state;
    Check *c = validate("T", "{\"temporalityType\": \"FIXED\", \"sensitivityLevel\": \"PUBLIC\", "
                        "\"populationDescription\": " MLS("A") ", \"subjectFields\": [" MLS("B")
                        "], \"dataRevision\": {\"description\": " MLS("C") "}, "
                        "\"identifierVariables\": [{\"unitType\": \"JOBB\"}], "
                        "\"measureVariables\": [" MEASURE_DESCRIBED("DOUBLE") "]}",
                        "J1;2.5;;2020-01-01;\n");
    assert_int_equal(c->status, MD_OK);
    assert_string_equal(c->dataset.info.unit_type, "JOBB");
    assert_string_equal(c->dataset.info.id_name, "JOBBID_1");
    assert_true(c->dataset.rows.doubles[0] == 2.5);
    c = validate("T", "{\"identifierVariables\": [{\"unitType\": \"PERSON\"}, "
                 "{\"unitType\": \"JOBB\"}]}", NULL);
    assert_true(has(c, "identifierVariables: expected a list of exactly 1 item"));
    c = validate("T", "{\"identifierVariables\": [{\"unitType\": \"NOPE\"}]}", NULL);
    assert_true(has(c, "identifierVariables[0].unitType: missing or unknown unitType"));
}

static void test_dataset_name_rule(void **state)
{
    (void)state;
    Check *c = validate("bad-name", STRING_META("FIXED"), "1;a;;2020-01-01;\n");
    assert_int_equal(c->status, MD_ERR_NAME);
    assert_true(has(c, "dataset name must match ^[A-Z][A-Z0-9_]*$ [rule 1.1 dataset name]"));
}

static void test_error_report_format(void **state)
{
    (void)state;
    Check *c = validate("T", STRING_META("EVENT"), "1;a;2020-13-01;;\n1;a;2020-01-01;x;\n");
    MdError err;
    md_error_clear(&err);
    assert_int_equal(import_log_to_error(&c->log, &err), MD_ERR_VALUE);
    assert_string_equal(err.where, "T.csv");
    assert_non_null(strstr(err.message, "T.csv line 1: invalid date"));
    assert_non_null(strstr(err.message, "; T.csv line 2: invalid date"));
    assert_non_null(strstr(err.hint, "nothing was imported"));
    StrBuf report;
    strbuf_init(&report, 1 << 16);
    assert_int_equal(import_log_to_report(&c->log, &report), MD_OK);
    assert_string_equal(report.data,
                        "T.csv line 1: invalid date, expected YYYY-MM-DD (field start) "
                        "[rule 1.2 dates]\n"
                        "T.csv line 2: invalid date, expected YYYY-MM-DD (field stop) "
                        "[rule 1.2 dates]\n");
    strbuf_free(&report);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_example_bosted_status),
        cmocka_unit_test(test_example_inntekt_accumulated),
        cmocka_unit_test(test_example_kjoenn_fixed),
        cmocka_unit_test(test_example_sivilstand_event),
        cmocka_unit_test(test_fixed_rules),
        cmocka_unit_test(test_status_rules),
        cmocka_unit_test(test_accumulated_rules),
        cmocka_unit_test(test_event_rules),
        cmocka_unit_test(test_unknown_codes),
        cmocka_unit_test(test_long_codes),
        cmocka_unit_test(test_code_type_must_match),
        cmocka_unit_test(test_code_validity_periods),
        cmocka_unit_test(test_metadata_extra_keys),
        cmocka_unit_test(test_metadata_extra_keys_in_codes),
        cmocka_unit_test(test_metadata_string_fields),
        cmocka_unit_test(test_code_list_overlap_like_microdata_tools),
        cmocka_unit_test(test_metadata_required_and_enums),
        cmocka_unit_test(test_metadata_mls_needs_no),
        cmocka_unit_test(test_metadata_value_domain_kinds),
        cmocka_unit_test(test_unit_typed_measure),
        cmocka_unit_test(test_identifier_unit_types),
        cmocka_unit_test(test_dataset_name_rule),
        cmocka_unit_test(test_error_report_format),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    import_dataset_free(&check.dataset);
    return failed;
}
