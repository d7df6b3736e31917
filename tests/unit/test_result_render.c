/*
 * test_result_render.c - the result document and its two renderers: exact expected text
 * and JSON for a document with a banner, a table, statistics, text, an error and a chart;
 * unsealed values are refused; nothing leaks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "result/result.h"
#include "result/released_seal.h"

static Released num(const char *text, double value)
{
    Released r;
    memset(&r, 0, sizeof r);
    r.kind = RELEASED_NUMBER;
    r.value = value;
    snprintf(r.text, sizeof r.text, "%s", text);
    r.seal = RELEASED_SEAL_VALUE;
    return r;
}

static Released supp(const char *text)
{
    Released r = num(text, NAN);
    r.kind = RELEASED_SUPPRESSED;
    return r;
}

static ResultDoc *sample_doc(void)
{
    ResultDoc *doc = result_doc_new();
    assert_int_equal(result_doc_set_banner(doc, "TRUSTED MODE: disclosure control is off"),
                     MD_OK);
    assert_int_equal(result_doc_set_banner(doc, "TRUSTED MODE: disclosure control is off"),
                     MD_OK);
    ResultEntry *e = result_doc_add(doc, "tabulate kjonn", 3, ENTRY_TABLE);
    const char *cols[] = {"Frequency", "Percent"};
    ResultTable *t = result_entry_table(e, "Frequencies", 2, cols);
    const char *rh[] = {"kjonn"};
    assert_int_equal(result_table_row_header(t, 1, rh), MD_OK);
    const char *mann[] = {"Mann"}, *kvinne[] = {"Kvinne"}, *total[] = {"Sum"};
    assert_int_equal(result_table_add_row(t, 1, mann), 0);
    assert_int_equal(result_table_add_row(t, 1, kvinne), 1);
    assert_int_equal(result_table_add_row(t, 1, total), 2);
    Released a = num("1234", 1234), b = num("50.12", 50.12), c = supp("<5");
    Released d = num("1239", 1239), e100 = num("100", 100);
    assert_int_equal(result_table_set(t, 0, 0, &a), MD_OK);
    assert_int_equal(result_table_set(t, 0, 1, &b), MD_OK);
    assert_int_equal(result_table_set(t, 1, 0, &c), MD_OK);
    assert_int_equal(result_table_set(t, 2, 0, &d), MD_OK);
    assert_int_equal(result_table_set(t, 2, 1, &e100), MD_OK);
    assert_int_equal(result_table_note(t, "chi2(%d) = %s", 1, "3.2"), MD_OK);
    assert_int_equal(result_entry_warning(e, "synthetic datastore"), MD_OK);
    ResultEntry *s = result_doc_add(doc, "summarize inntekt", 4, ENTRY_MESSAGE);
    result_entry_set_kind(s, ENTRY_STATISTICS);
    Released n = num("1234", 1234), mean = num("345600", 345600), sd = supp("x");
    assert_int_equal(result_entry_stat(s, "N", &n), MD_OK);
    assert_int_equal(result_entry_stat(s, "mean", &mean), MD_OK);
    assert_int_equal(result_entry_stat(s, "sd", &sd), MD_OK);
    ResultEntry *x = result_doc_add(doc, "textblock", 5, ENTRY_TEXT);
    assert_int_equal(result_entry_text(x, "Hei, %s", "verden"), MD_OK);
    ResultEntry *k = result_doc_add(doc, "keep if x", 6, ENTRY_MESSAGE);
    MdError err;
    md_error_clear(&err);
    md_error_set(&err, MD_ERR_DISCLOSURE, "the population is too small");
    md_error_hint(&err, "widen the selection");
    assert_int_equal(result_entry_error(k, &err), MD_OK);
    ResultEntry *g = result_doc_add(doc, "barchart (count) kjonn", 7, ENTRY_CHART);
    ResultChart *ch = result_entry_chart(g, "bar", "By sex");
    Released ten = num("10", 10), twelve = num("12.5", 12.5);
    assert_int_equal(result_chart_add_point(ch, "", "Mann", &ten), MD_OK);
    assert_int_equal(result_chart_add_point(ch, "", "Kvinne", &twelve), MD_OK);
    return doc;
}

static const char EXPECTED_TEXT[] =
    "TRUSTED MODE: disclosure control is off\n"
    "\n"
    ". tabulate kjonn\n"
    "Frequencies\n"
    "kjonn   Frequency  Percent\n"
    "------  ---------  -------\n"
    "Mann         1234    50.12\n"
    "Kvinne         <5\n"
    "Sum          1239      100\n"
    "chi2(1) = 3.2\n"
    "warning: synthetic datastore\n"
    "\n"
    ". summarize inntekt\n"
    "N       1234\n"
    "mean  345600\n"
    "sd         x\n"
    "\n"
    ". textblock\n"
    "Hei, verden\n"
    "\n"
    ". keep if x\n"
    "error (line 6): the population is too small\n"
    "hint: widen the selection\n"
    "\n"
    ". barchart (count) kjonn\n"
    "bar chart: By sex\n"
    "        value\n"
    "------  -----\n"
    "Mann       10\n"
    "Kvinne   12.5\n";

static void test_render_text(void **state)
{
    (void)state;
    int64_t live = md_mem_live_allocations();
    ResultDoc *doc = sample_doc();
    char *text = result_render_text(doc);
    assert_non_null(text);
    assert_string_equal(text, EXPECTED_TEXT);
    md_free(text);
    result_doc_free(doc);
    assert_int_equal(md_mem_live_allocations(), live);
}

static void test_render_text_utf8_widths(void **state)
{
    (void)state;
    ResultDoc *doc = result_doc_new();
    ResultEntry *e = result_doc_add(doc, "", 0, ENTRY_TABLE);
    const char *cols[] = {"Antall"};
    ResultTable *t = result_entry_table(e, "", 1, cols);
    const char *r1[] = {"Tromsø"}, *r2[] = {"Bø"};
    result_table_add_row(t, 1, r1);
    result_table_add_row(t, 1, r2);
    Released v = num("73", 73);
    assert_int_equal(result_table_set(t, 0, 0, &v), MD_OK);
    assert_int_equal(result_table_set(t, 1, 0, &v), MD_OK);
    MdError err;
    md_error_clear(&err);
    md_error_set(&err, MD_ERR_SYNTAX, "unexpected end");
    ResultEntry *bad = result_doc_add(doc, "", 0, ENTRY_MESSAGE);
    assert_int_equal(result_entry_error(bad, &err), MD_OK);
    char *text = result_render_text(doc);
    assert_string_equal(text, "        Antall\n"
                              "------  ------\n"
                              "Tromsø      73\n"
                              "Bø          73\n"
                              "\n"
                              "error: unexpected end\n");
    md_free(text);
    result_doc_free(doc);
}

static void test_render_text_two_labels_and_series(void **state)
{
    (void)state;
    ResultDoc *doc = result_doc_new();
    ResultEntry *e = result_doc_add(doc, "tabulate fylke kjonn, flatten", 2, ENTRY_TABLE);
    const char *cols[] = {"Frequency"}, *rh[] = {"fylke", "kjonn"};
    ResultTable *t = result_entry_table(e, NULL, 1, cols);
    assert_int_equal(result_table_row_header(t, 2, rh), MD_OK);
    const char *r1[] = {"Oslo", "Mann"}, *r2[] = {"Oslo", "Kvinne"}, *r3[] = {"Troms", "Mann"};
    Released a = num("51234", 51234), b = num("7", 7), c = supp("<5");
    assert_int_equal(result_table_add_row(t, 2, r1), 0);
    assert_int_equal(result_table_add_row(t, 2, r2), 1);
    assert_int_equal(result_table_add_row(t, 2, r3), 2);
    assert_int_equal(result_table_set(t, 0, 0, &a), MD_OK);
    assert_int_equal(result_table_set(t, 1, 0, &b), MD_OK);
    assert_int_equal(result_table_set(t, 2, 0, &c), MD_OK);
    ResultChart *ch = result_entry_chart(e, "bar", "");
    assert_int_equal(result_chart_add_point(ch, "Mann", "2020", &a), MD_OK);
    assert_int_equal(result_chart_add_point(ch, "Kvinne", "2020", &b), MD_OK);
    assert_int_equal(result_chart_add_point(ch, "Mann", "2021", &c), MD_OK);
    char *text = result_render_text(doc);
    assert_string_equal(text, ". tabulate fylke kjonn, flatten\n"
                              "fylke  kjonn   Frequency\n"
                              "-----  ------  ---------\n"
                              "Oslo   Mann        51234\n"
                              "Oslo   Kvinne          7\n"
                              "Troms  Mann           <5\n"
                              "bar chart\n"
                              "       Mann  Kvinne\n"
                              "----  -----  ------\n"
                              "2020  51234       7\n"
                              "2021     <5\n");
    md_free(text);
    result_doc_free(doc);
}

static const char EXPECTED_JSON[] =
    "{\n"
    "  \"format\": \"mdata-result-1\",\n"
    "  \"banners\": [\n"
    "    \"TRUSTED MODE: disclosure control is off\"\n"
    "  ],\n"
    "  \"entries\": [\n"
    "    {\n"
    "      \"line\": 4,\n"
    "      \"command\": \"summarize inntekt\",\n"
    "      \"kind\": \"statistics\",\n"
    "      \"items\": [\n"
    "        {\n"
    "          \"type\": \"stat\",\n"
    "          \"name\": \"mean\",\n"
    "          \"value\": {\n"
    "            \"text\": \"0.1235\",\n"
    "            \"value\": 0.1235\n"
    "          }\n"
    "        },\n"
    "        {\n"
    "          \"type\": \"table\",\n"
    "          \"title\": \"T\",\n"
    "          \"row_header\": [\n"
    "            \"k\"\n"
    "          ],\n"
    "          \"columns\": [\n"
    "            \"n\",\n"
    "            \"m\"\n"
    "          ],\n"
    "          \"rows\": [\n"
    "            {\n"
    "              \"labels\": [\n"
    "                \"a\\\"b\"\n"
    "              ],\n"
    "              \"cells\": [\n"
    "                {\n"
    "                  \"text\": \"<5\",\n"
    "                  \"value\": null\n"
    "                },\n"
    "                null\n"
    "              ]\n"
    "            }\n"
    "          ],\n"
    "          \"notes\": []\n"
    "        },\n"
    "        {\n"
    "          \"type\": \"chart\",\n"
    "          \"chart\": \"bar\",\n"
    "          \"title\": \"C\",\n"
    "          \"points\": [\n"
    "            {\n"
    "              \"series\": \"s\",\n"
    "              \"category\": \"c\",\n"
    "              \"value\": {\n"
    "                \"text\": \"1.235e+20\",\n"
    "                \"value\": 1.235e20\n"
    "              }\n"
    "            }\n"
    "          ]\n"
    "        },\n"
    "        {\n"
    "          \"type\": \"text\",\n"
    "          \"text\": \"done\"\n"
    "        }\n"
    "      ],\n"
    "      \"warnings\": [\n"
    "        \"w\"\n"
    "      ],\n"
    "      \"error\": null\n"
    "    },\n"
    "    {\n"
    "      \"line\": 9,\n"
    "      \"command\": \"keep if x\",\n"
    "      \"kind\": \"error\",\n"
    "      \"items\": [],\n"
    "      \"warnings\": [],\n"
    "      \"error\": {\n"
    "        \"status\": \"disclosure\",\n"
    "        \"line\": 9,\n"
    "        \"column\": 0,\n"
    "        \"where\": \"\",\n"
    "        \"message\": \"refused\",\n"
    "        \"hint\": \"\"\n"
    "      }\n"
    "    }\n"
    "  ]\n"
    "}\n";

static void test_render_json(void **state)
{
    (void)state;
    ResultDoc *doc = result_doc_new();
    assert_int_equal(result_doc_set_banner(doc, "TRUSTED MODE: disclosure control is off"),
                     MD_OK);
    ResultEntry *e = result_doc_add(doc, "summarize inntekt", 4, ENTRY_STATISTICS);
    Released mean = num("0.1235", 0.1235), low = supp("<5"), big = num("1.235e+20", 1.235e20);
    assert_int_equal(result_entry_stat(e, "mean", &mean), MD_OK);
    const char *cols[] = {"n", "m"}, *rh[] = {"k"}, *lab[] = {"a\"b"};
    ResultTable *t = result_entry_table(e, "T", 2, cols);
    assert_int_equal(result_table_row_header(t, 1, rh), MD_OK);
    assert_int_equal(result_table_add_row(t, 1, lab), 0);
    assert_int_equal(result_table_set(t, 0, 0, &low), MD_OK);
    ResultChart *c = result_entry_chart(e, "bar", "C");
    assert_int_equal(result_chart_add_point(c, "s", "c", &big), MD_OK);
    assert_int_equal(result_entry_text(e, "done"), MD_OK);
    assert_int_equal(result_entry_warning(e, "w"), MD_OK);
    ResultEntry *k = result_doc_add(doc, "keep if x", 9, ENTRY_MESSAGE);
    MdError err;
    md_error_clear(&err);
    md_error_set(&err, MD_ERR_DISCLOSURE, "refused");
    assert_int_equal(result_entry_error(k, &err), MD_OK);
    char *json = result_render_json(doc);
    assert_string_equal(json, EXPECTED_JSON);
    char *again = result_render_json(doc);
    assert_string_equal(json, again);
    md_free(again);
    md_free(json);
    result_doc_free(doc);
}

/* A textblock is a markdown item in JSON (type "markdown", the source whole in "text"),
 * while help and messages stay text items; the terminal shows both as they are. */
static void test_markdown_item(void **state)
{
    (void)state;
    int64_t live = md_mem_live_allocations();
    ResultDoc *doc = result_doc_new();
    ResultEntry *e = result_doc_add(doc, "textblock", 2, ENTRY_TEXT);
    assert_int_equal(result_entry_markdown(e, "## Kilder\n- *kj\xc3\xb8nn*"), MD_OK);
    ResultEntry *h = result_doc_add(doc, "help", 5, ENTRY_TEXT);
    assert_int_equal(result_entry_text(h, "use NAME"), MD_OK);
    assert_int_equal(result_entry_markdown(NULL, "x"), MD_ERR_INTERNAL);
    assert_int_equal(result_entry_markdown(e, NULL), MD_ERR_INTERNAL);
    char *json = result_render_json(doc);
    assert_non_null(json);
    assert_non_null(strstr(json, "\"type\": \"markdown\",\n"
                                 "          \"text\": \"## Kilder\\n- *kj\xc3\xb8nn*\""));
    assert_non_null(strstr(json, "\"type\": \"text\",\n          \"text\": \"use NAME\""));
    assert_null(strstr(strstr(json, "\"help\""), "markdown"));
    char *text = result_render_text(doc);
    assert_string_equal(text, ". textblock\n## Kilder\n- *kj\xc3\xb8nn*\n\n. help\nuse NAME\n");
    md_free(text);
    md_free(json);
    result_doc_free(doc);
    assert_int_equal(md_mem_live_allocations(), live);
}

static void test_unsealed_values_refused(void **state)
{
    (void)state;
    ResultDoc *doc = result_doc_new();
    ResultEntry *e = result_doc_add(doc, "tabulate x", 1, ENTRY_TABLE);
    const char *cols[] = {"n"};
    ResultTable *t = result_entry_table(e, "", 1, cols);
    assert_int_equal(result_table_add_row(t, 0, NULL), 0);
    Released raw = num("42", 42);
    raw.seal = 0;
    assert_false(released_is_sealed(&raw));
    assert_int_equal(result_table_set(t, 0, 0, &raw), MD_ERR_INTERNAL);
    assert_int_equal(result_entry_stat(e, "N", &raw), MD_ERR_INTERNAL);
    ResultChart *c = result_entry_chart(e, "bar", "");
    assert_int_equal(result_chart_add_point(c, "", "a", &raw), MD_ERR_INTERNAL);
    Released nan = num("nan", NAN); /* sealed but not a number: refused */
    assert_int_equal(result_table_set(t, 0, 0, &nan), MD_ERR_INTERNAL);
    Released ok = num("42", 42);
    assert_int_equal(result_table_set(t, 1, 0, &ok), MD_ERR_INTERNAL); /* no such row */
    assert_int_equal(result_table_set(t, 0, 1, &ok), MD_ERR_INTERNAL); /* no such column */
    assert_int_equal(result_table_set(t, 0, 0, &ok), MD_OK);
    assert_int_equal(result_doc_entry_count(doc), 1);
    assert_ptr_equal(result_doc_entry_at(doc, 0), e);
    assert_null(result_doc_entry_at(doc, 1));
    assert_int_equal(result_entry_kind(e), ENTRY_TABLE);
    result_doc_free(doc);
}

static void test_out_of_memory_is_clean(void **state)
{
    (void)state;
    int64_t live = md_mem_live_allocations();
    for (int64_t fail = 0; fail < 200; fail++) {
        md_mem_fail_after(fail);
        ResultDoc *doc = result_doc_new();
        if (doc) {
            ResultEntry *e = result_doc_add(doc, "tabulate kjonn", 3, ENTRY_TABLE);
            const char *cols[] = {"n"};
            ResultTable *t = e ? result_entry_table(e, "T", 1, cols) : NULL;
            const char *lab[] = {"a"};
            if (t && result_table_add_row(t, 1, lab) == 0) {
                Released v = num("5", 5);
                if (result_table_set(t, 0, 0, &v) != MD_OK)
                    t = NULL;
            }
            if (e)
                if (result_entry_text(e, "note %d", 1) != MD_OK)
                    e = NULL;
            char *a = result_render_text(doc);
            char *b = result_render_json(doc);
            md_free(a);
            md_free(b);
        }
        result_doc_free(doc);
        md_mem_fail_after(-1);
        assert_int_equal(md_mem_live_allocations(), live);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_render_text),
        cmocka_unit_test(test_render_text_utf8_widths),
        cmocka_unit_test(test_render_text_two_labels_and_series),
        cmocka_unit_test(test_render_json),
        cmocka_unit_test(test_markdown_item),
        cmocka_unit_test(test_unsealed_values_refused),
        cmocka_unit_test(test_out_of_memory_is_clean),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
