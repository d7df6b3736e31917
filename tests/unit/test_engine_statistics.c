/*
 * test_engine_statistics.c - unit tests of the statistics command handlers (tabulate,
 * summarize, correlate, ci, normaltest, anova, transitions-panel) on a small hand-built
 * dataset: exact values in trusted mode (computed independently in the test), the table
 * layouts and options, refusals (pointer, string, sparse, small populations) and the
 * disclosure-controlled output (noise bounds, "<5", no exact small counts).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <math.h>
#include <cmocka.h>
#include <jansson.h>

#include "engine/commands.h"

#define N_UNITS 60

typedef struct Fixture {
    Workspace *ws;
    Sdc *sdc;
    ResultDoc *doc;
    Arena *arena;
    json_t *json;
} Fixture;

static double x_of(int i)
{
    return i % 10 == 0 ? NAN : i * 1.5 + (i % 7);
}

static double y_of(int i)
{
    return 2.0 * x_of(i) + (i % 5);
}

static Dataset *make_cross(void)
{
    Dataset *ds = dataset_new("people");
    ds->n_rows = N_UNITS;
    ds->shape = SHAPE_CROSS;
    ds->unit_type = md_strdup("PERSON");
    ds->id_name = md_strdup("PERSONID_1");
    ds->unit_ids = md_malloc(N_UNITS * sizeof(uint64_t));
    ds->unit_keys = md_malloc(N_UNITS * sizeof(uint64_t));
    Column *g = column_new_number("g", N_UNITS);
    Column *gm = column_new_number("gm", N_UNITS);
    Column *s = column_new_string("s", N_UNITS);
    Column *x = column_new_number("x", N_UNITS);
    Column *y = column_new_number("y", N_UNITS);
    Column *p = column_new_number("p", N_UNITS);
    Column *small = column_new_number("small", N_UNITS);
    for (int i = 0; i < N_UNITS; i++) {
        ds->unit_ids[i] = (uint64_t)(1000 + i);
        ds->unit_keys[i] = md_hash_u64((uint64_t)(1000 + i));
        g->numbers[i] = i % 3 + 1;
        gm->numbers[i] = i < 6 ? NAN : i % 2;
        const char *t = i < 36 ? "a" : "b";
        s->codes[i] = string_pool_intern(s->pool, t, 1);
        x->numbers[i] = x_of(i);
        y->numbers[i] = y_of(i);
        p->numbers[i] = 5000 + i;
        small->numbers[i] = i < 8 ? 1 : 2;
    }
    p->pointer_to = md_strdup("PERSON");
    MdError err;
    md_error_clear(&err);
    Column *cols[7] = {g, gm, s, x, y, p, small};
    for (int c = 0; c < 7; c++) {
        assert_int_equal(dataset_add_column(ds, cols[c], &err), MD_OK);
    }
    return ds;
}

static Dataset *make_panel(void)
{
    Dataset *ds = dataset_new("panel");
    int n = 30 * 3;
    ds->n_rows = n;
    ds->shape = SHAPE_PANEL;
    ds->unit_type = md_strdup("PERSON");
    ds->id_name = md_strdup("PERSONID_1");
    ds->unit_ids = md_malloc((size_t)n * sizeof(uint64_t));
    ds->unit_keys = md_malloc((size_t)n * sizeof(uint64_t));
    Column *date = column_new_number("date@panel", n);
    Column *st = column_new_number("st", n);
    for (int i = 0; i < n; i++) {
        int unit = i / 3;
        int t = i % 3;
        ds->unit_ids[i] = (uint64_t)(2000 + unit);
        ds->unit_keys[i] = md_hash_u64((uint64_t)(2000 + unit));
        date->numbers[i] = date_from_ymd(2020 + t, 1, 1);
        /* units 0..9 stay 1; units 10..29 go 1 -> 2 -> 2 */
        st->numbers[i] = unit < 10 ? 1 : (t == 0 ? 1 : 2);
    }
    MdError err;
    md_error_clear(&err);
    assert_int_equal(dataset_add_column(ds, date, &err), MD_OK);
    assert_int_equal(dataset_add_column(ds, st, &err), MD_OK);
    return ds;
}

/* Event data: units 0..2 have five rows each (15 rows), units 3..42 one row each. */
static Dataset *make_event(void)
{
    Dataset *ds = dataset_new("events");
    int n = 15 + 40;
    ds->n_rows = n;
    ds->shape = SHAPE_EVENT;
    ds->unit_type = md_strdup("PERSON");
    ds->id_name = md_strdup("PERSONID_1");
    ds->unit_ids = md_malloc((size_t)n * sizeof(uint64_t));
    ds->unit_keys = md_malloc((size_t)n * sizeof(uint64_t));
    Column *k = column_new_number("k", n);
    Column *v = column_new_number("v", n);
    for (int i = 0; i < n; i++) {
        int unit = i < 15 ? i / 5 : i - 12;
        ds->unit_ids[i] = (uint64_t)(3000 + unit);
        ds->unit_keys[i] = md_hash_u64((uint64_t)(3000 + unit));
        k->numbers[i] = unit < 3 ? 1 : 2;
        v->numbers[i] = 100.0 + i;
    }
    MdError err;
    md_error_clear(&err);
    assert_int_equal(dataset_add_column(ds, k, &err), MD_OK);
    assert_int_equal(dataset_add_column(ds, v, &err), MD_OK);
    return ds;
}

static Fixture *fixture_with_budget(bool trusted, int64_t min_population, double budget)
{
    Fixture *f = md_calloc(1, sizeof *f);
    SdcOptions options;
    memset(&options, 0, sizeof options);
    sdc_config_default(&options.config);
    options.config.min_population = min_population;
    options.config.exposure_budget = budget;
    options.data_version = "test:1.0.0";
    options.trusted = trusted;
    options.user = "tester";
    MdError err;
    md_error_clear(&err);
    f->sdc = sdc_new(&options, &err);
    assert_non_null(f->sdc);
    EngineOptions eo = {.store_dir = NULL, .sdc = f->sdc, .trusted = trusted, .max_rows = 0};
    f->ws = workspace_new(&eo, &err);
    assert_non_null(f->ws);
    assert_int_equal(workspace_add(f->ws, make_cross(), &err), MD_OK);
    assert_int_equal(workspace_add(f->ws, make_panel(), &err), MD_OK);
    assert_int_equal(workspace_add(f->ws, make_event(), &err), MD_OK);
    f->ws->active = 0;
    f->doc = result_doc_new();
    f->arena = arena_new(4096);
    return f;
}

/* Tiny fixtures run without the reconstruction budget (R15b is tested in
 * test_sdc_exposure, and its wiring below). */
static Fixture *fixture_new(bool trusted, int64_t min_population)
{
    return fixture_with_budget(trusted, min_population, 0);
}

static void fixture_free(Fixture *f)
{
    workspace_free(f->ws);
    sdc_free(f->sdc);
    result_doc_free(f->doc);
    arena_free(f->arena);
    json_decref(f->json);
    md_free(f);
}

/* Runs one command line; returns its status and leaves the last entry's JSON in f->json. */
static MdStatus run(Fixture *f, const char *text)
{
    MdError err;
    md_error_clear(&err);
    Script *script = lang_parse_script(f->arena, text, strlen(text), &err);
    if (script == NULL) {
        print_error("parse error: %s\n", err.message);
    }
    assert_non_null(script);
    assert_int_equal(script->n_statements, 1);
    MdStatus status = engine_execute(f->ws, &script->statements[0].command, f->doc, &err);
    char *out = result_render_json(f->doc);
    assert_non_null(out);
    json_decref(f->json);
    json_t *root = json_loads(out, 0, NULL);
    md_free(out);
    assert_non_null(root);
    json_t *entries = json_object_get(root, "entries");
    f->json = json_incref(json_array_get(entries, json_array_size(entries) - 1));
    json_decref(root);
    return status;
}

static json_t *table_at(Fixture *f, size_t index)
{
    json_t *items = json_object_get(f->json, "items");
    size_t seen = 0;
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *it = json_array_get(items, i);
        if (strcmp(json_string_value(json_object_get(it, "type")), "table") == 0) {
            if (seen++ == index) {
                return it;
            }
        }
    }
    return NULL;
}

/* The cell (row labels joined with '|', column header) of table index. */
static json_t *cell(Fixture *f, size_t index, const char *row, const char *column)
{
    json_t *t = table_at(f, index);
    assert_non_null(t);
    json_t *cols = json_object_get(t, "columns");
    size_t c = 0;
    for (; c < json_array_size(cols); c++) {
        if (strcmp(json_string_value(json_array_get(cols, c)), column) == 0) {
            break;
        }
    }
    if (c == json_array_size(cols)) {
        print_error("no column %s\n", column);
        fail();
    }
    json_t *rows = json_object_get(t, "rows");
    for (size_t r = 0; r < json_array_size(rows); r++) {
        json_t *labels = json_object_get(json_array_get(rows, r), "labels");
        char joined[256] = "";
        for (size_t l = 0; l < json_array_size(labels); l++) {
            if (l > 0) {
                strcat(joined, "|");
            }
            strcat(joined, json_string_value(json_array_get(labels, l)));
        }
        if (strcmp(joined, row) == 0) {
            return json_array_get(json_object_get(json_array_get(rows, r), "cells"), c);
        }
    }
    print_error("no row %s\n", row);
    fail();
    return NULL;
}

static double value(Fixture *f, size_t index, const char *row, const char *column)
{
    json_t *v = json_object_get(cell(f, index, row, column), "value");
    return json_is_number(v) ? json_number_value(v) : NAN;
}

static const char *text(Fixture *f, size_t index, const char *row, const char *column)
{
    return json_string_value(json_object_get(cell(f, index, row, column), "text"));
}

static double stat(Fixture *f, const char *name)
{
    json_t *items = json_object_get(f->json, "items");
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *it = json_array_get(items, i);
        const char *n = json_string_value(json_object_get(it, "name"));
        if (n != NULL && strcmp(n, name) == 0) {
            return json_number_value(json_object_get(json_object_get(it, "value"), "value"));
        }
    }
    fail_msg("no statistic %s", name);
    return NAN;
}

static size_t row_count(Fixture *f, size_t index)
{
    return json_array_size(json_object_get(table_at(f, index), "rows"));
}

#define assert_near(a, b, tol) assert_true(fabs((double)(a) - (double)(b)) <= (tol))

/* ==== Trusted mode: exact values ======================================================= */

static void test_tabulate_oneway(void **state)
{
    (void)state;
    Fixture *f = fixture_new(true, 1000);
    assert_int_equal(run(f, "tabulate g, cellpct"), MD_OK);
    assert_near(value(f, 0, "1", "Freq"), 20, 0);
    assert_near(value(f, 0, "3", "Freq"), 20, 0);
    assert_near(value(f, 0, "Total", "Freq"), 60, 0);
    assert_near(value(f, 0, "2", "Percent"), 100.0 / 3.0, 1e-7);
    assert_int_equal(row_count(f, 0), 4);
    /* missing: the '.' category appears only with the option */
    assert_int_equal(run(f, "tabulate gm"), MD_OK);
    assert_near(value(f, 0, "Total", "Freq"), 54, 0);
    assert_int_equal(row_count(f, 0), 3);
    assert_int_equal(run(f, "tabulate gm, missing"), MD_OK);
    assert_near(value(f, 0, ".", "Freq"), 6, 0);
    assert_near(value(f, 0, "Total", "Freq"), 60, 0);
    /* strings sort by text */
    assert_int_equal(run(f, "tabulate s if g == 1"), MD_OK);
    assert_near(value(f, 0, "a", "Freq"), 12, 0);
    assert_near(value(f, 0, "b", "Freq"), 8, 0);
    fixture_free(f);
}

static void test_tabulate_twoway(void **state)
{
    (void)state;
    Fixture *f = fixture_new(true, 1000);
    double counts[3][2] = {{0}};
    for (int i = 0; i < N_UNITS; i++) {
        counts[i % 3][i < 36 ? 0 : 1] += 1;
    }
    assert_int_equal(run(f, "tabulate g s, freq rowpct chi2"), MD_OK);
    assert_near(value(f, 0, "1", "a"), counts[0][0], 0);
    assert_near(value(f, 0, "3", "b"), counts[2][1], 0);
    assert_near(value(f, 0, "2", "Total"), 20, 0);
    assert_near(value(f, 0, "Total", "a"), 36, 0);
    assert_near(value(f, 0, "Total", "Total"), 60, 0);
    assert_near(value(f, 1, "1", "a"), 100.0 * counts[0][0] / 20.0, 1e-7);
    assert_near(value(f, 1, "1", "Total"), 100.0, 1e-9);
    double chi2 = 0.0;
    for (int r = 0; r < 3; r++) {
        for (int c = 0; c < 2; c++) {
            double e = 20.0 * (c == 0 ? 36.0 : 24.0) / 60.0;
            chi2 += (counts[r][c] - e) * (counts[r][c] - e) / e;
        }
    }
    assert_near(stat(f, "chi2"), chi2, 1e-8 * (1 + chi2));
    assert_near(stat(f, "df"), 2, 0);
    fixture_free(f);
}

static void test_tabulate_flatten_sort_top(void **state)
{
    (void)state;
    Fixture *f = fixture_new(true, 1000);
    assert_int_equal(run(f, "tabulate g s, flatten"), MD_OK);
    assert_int_equal(row_count(f, 0), 6);
    assert_near(value(f, 0, "2|b", "Freq"), 8, 0);
    /* rows sorted ascending by the column 'a', then only the first two */
    assert_int_equal(run(f, "tabulate g s, rowsort(a) top(2)"), MD_OK);
    assert_int_equal(row_count(f, 0), 4);
    assert_int_equal(run(f, "tabulate gm, rowsort() bottom(1)"), MD_OK);
    assert_int_equal(row_count(f, 0), 1);
    assert_int_not_equal(run(f, "tabulate g s, rowsort(zz)"), MD_OK);
    assert_int_not_equal(run(f, "tabulate g, rowpct"), MD_OK);
    fixture_free(f);
}

static void test_tabulate_summarize(void **state)
{
    (void)state;
    Fixture *f = fixture_new(true, 1000);
    assert_int_equal(run(f, "tabulate g, summarize(x) mean sum freq"), MD_OK);
    double sum[3] = {0};
    int n[3] = {0};
    double total = 0;
    for (int i = 0; i < N_UNITS; i++) {
        if (!isnan(x_of(i))) {
            sum[i % 3] += x_of(i);
            n[i % 3]++;
            total += x_of(i);
        }
    }
    assert_near(value(f, 0, "1", "mean(x)"), sum[0] / n[0], 1e-7);
    assert_near(value(f, 0, "3", "sum(x)"), sum[2], 1e-6);
    assert_near(value(f, 0, "Total", "mean(x)"), total / 54.0, 1e-7);
    assert_near(value(f, 0, "1", "Freq"), 20, 0);
    fixture_free(f);
}

static void test_summarize(void **state)
{
    (void)state;
    Fixture *f = fixture_new(true, 1000);
    assert_int_equal(run(f, "summarize x y, gini iqr"), MD_OK);
    double v[N_UNITS];
    int m = 0;
    double s = 0;
    for (int i = 0; i < N_UNITS; i++) {
        if (!isnan(x_of(i))) {
            v[m++] = x_of(i);
            s += x_of(i);
        }
    }
    double mean = s / m;
    double ss = 0;
    for (int i = 0; i < m; i++) {
        ss += (v[i] - mean) * (v[i] - mean);
    }
    assert_near(value(f, 0, "x", "N"), 54, 0);
    assert_near(value(f, 0, "x", "mean"), mean, 1e-7);
    assert_near(value(f, 0, "x", "sd"), sqrt(ss / (m - 1)), 1e-7);
    assert_true(value(f, 0, "x", "p25") < value(f, 0, "x", "p50"));
    assert_near(value(f, 0, "x", "iqr"), value(f, 0, "x", "p75") - value(f, 0, "x", "p25"),
                1e-6);
    assert_true(value(f, 0, "x", "gini") > 0 && value(f, 0, "x", "gini") < 1);
    /* without a list: every numeric non-pointer variable (g gm x y small, not p) */
    assert_int_equal(run(f, "summarize"), MD_OK);
    assert_int_equal(row_count(f, 0), 5);
    fixture_free(f);
}

static void test_correlate_ci_normal(void **state)
{
    (void)state;
    Fixture *f = fixture_new(true, 1000);
    assert_int_equal(run(f, "correlate x y, obs sig"), MD_OK);
    double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
    int n = 0;
    for (int i = 0; i < N_UNITS; i++) {
        if (!isnan(x_of(i))) {
            double a = x_of(i);
            double b = y_of(i);
            sx += a;
            sy += b;
            sxx += a * a;
            syy += b * b;
            sxy += a * b;
            n++;
        }
    }
    double r = (sxy - sx * sy / n) / sqrt((sxx - sx * sx / n) * (syy - sy * sy / n));
    assert_near(value(f, 0, "x", "y"), r, 1e-8);
    assert_near(value(f, 0, "y", "x"), r, 1e-8);
    assert_near(value(f, 0, "x", "x"), 1, 0);
    assert_near(value(f, 1, "x", "y"), 54, 0);
    assert_true(value(f, 2, "x", "y") < 1e-10);
    assert_int_equal(run(f, "ci x, level(90)"), MD_OK);
    assert_near(value(f, 0, "x", "mean"), sx / n, 1e-7);
    assert_true(value(f, 0, "x", "90% CI low") < sx / n);
    assert_int_equal(run(f, "normaltest x"), MD_OK);
    assert_int_equal(row_count(f, 0), 5);
    double w = value(f, 0, "x|Shapiro-Wilk", "statistic");
    assert_true(w > 0.8 && w <= 1.0);
    fixture_free(f);
}

static void test_anova(void **state)
{
    (void)state;
    Fixture *f = fixture_new(true, 1000);
    assert_int_equal(run(f, "anova x g, posthoc"), MD_OK);
    assert_near(value(f, 0, "Between groups", "df"), 2, 0);
    assert_near(value(f, 0, "Within groups", "df"), 51, 0);
    assert_true(value(f, 0, "Between groups", "p") >= 0);
    assert_int_equal(row_count(f, 1), 3);
    /* n-way: two factors, an interaction, a covariate */
    assert_int_equal(run(f, "anova x g s"), MD_OK);
    assert_near(value(f, 0, "g", "df"), 2, 0);
    assert_near(value(f, 0, "s", "df"), 1, 0);
    assert_near(value(f, 0, "Residual", "df"), 54 - 4, 0);
    assert_int_equal(run(f, "anova x g##s c.y, posthoc"), MD_OK);
    assert_near(value(f, 0, "g#s", "df"), 2, 0);
    assert_near(value(f, 0, "c.y", "df"), 1, 0);
    assert_int_equal(row_count(f, 0), 7);
    assert_int_equal(row_count(f, 1), 3);
    assert_int_equal(run(f, "anova x g, noconstant"), MD_ERR_NOT_IMPLEMENTED);
    fixture_free(f);
    /* controlled: a cell of g#small with fewer than 10 units is refused (R3) */
    f = fixture_new(false, 20);
    assert_int_equal(run(f, "anova x g#small"), MD_ERR_DISCLOSURE);
    assert_int_equal(run(f, "anova x small"), MD_ERR_DISCLOSURE);
    fixture_free(f);
}

static void test_transitions(void **state)
{
    (void)state;
    Fixture *f = fixture_new(true, 1000);
    f->ws->active = 1;
    assert_int_equal(run(f, "transitions-panel st"), MD_OK);
    /* t0->t1: 10 stay 1, 20 go 1->2; t1->t2: 10 stay 1, 20 stay 2; transitions pooled
     * over the two time pairs, so the 10 units that stay in 1 make 20 transitions */
    assert_near(value(f, 0, "1", "1"), 20, 0);
    assert_near(value(f, 0, "1", "2"), 20, 0);
    assert_near(value(f, 0, "2", "2"), 20, 0);
    assert_near(value(f, 0, "1", "Total"), 40, 0);
    assert_near(value(f, 0, "Total", "Total"), 60, 0);
    /* row percentages are transition probabilities: each row adds up to 100 */
    assert_near(value(f, 1, "1", "1"), 50.0, 1e-7);
    assert_near(value(f, 1, "1", "2"), 50.0, 1e-7);
    assert_near(value(f, 1, "2", "2"), 100.0, 1e-7);
    assert_int_equal(run(f, "summarize-panel st"), MD_OK);
    assert_int_equal(row_count(f, 0), 3);
    assert_near(value(f, 0, "st|2021-01-01", "mean"), (10.0 + 40.0) / 30.0, 1e-8);
    assert_int_equal(run(f, "tabulate-panel st"), MD_OK);
    assert_near(value(f, 0, "2", "2022-01-01"), 20, 0);
    f->ws->active = 0;
    assert_int_equal(run(f, "transitions-panel g"), MD_ERR_TYPE);
    fixture_free(f);
}

/* Statistics of groups charge the reconstruction budget (R15b) as table cells do: boxplot
 * over(s) releases quartiles of x in two groups (36 and 24 units, 54 with x) that no count
 * table charged. The population costs 1/(60 + 4) = 0.016 a unit; the groups add about
 * 1/(33 + 4) or 1/(21 + 4), over a budget of 0.03. With the budget off it runs. */
static void test_group_statistics_charge_budget(void **state)
{
    (void)state;
    Fixture *f = fixture_with_budget(false, 20, 0.03);
    assert_int_equal(run(f, "summarize x"), MD_OK);
    assert_int_equal(run(f, "boxplot x, over(s)"), MD_ERR_DISCLOSURE);
    /* the cells of the factors of an n-way anova are charged too */
    assert_int_equal(run(f, "anova y g s"), MD_ERR_DISCLOSURE);
    fixture_free(f);
    f = fixture_with_budget(false, 20, 0);
    assert_int_equal(run(f, "summarize x"), MD_OK);
    assert_int_equal(run(f, "boxplot x, over(s)"), MD_OK);
    assert_int_equal(run(f, "anova y g s"), MD_OK);
    fixture_free(f);
}

/* ==== Refusals ========================================================================= */

static void test_refusals(void **state)
{
    (void)state;
    Fixture *f = fixture_new(true, 1000);
    assert_int_equal(run(f, "tabulate p"), MD_ERR_TYPE);   /* pseudonym (G5) */
    assert_int_equal(run(f, "summarize p"), MD_ERR_TYPE);
    assert_int_equal(run(f, "summarize s"), MD_ERR_TYPE);  /* string */
    assert_int_equal(run(f, "tabulate nosuch"), MD_ERR_NAME);
    assert_int_equal(run(f, "tabulate g, top(0)"), MD_ERR_SYNTAX);
    fixture_free(f);
}

/* ==== Disclosure control =============================================================== */

static void test_controlled_counts(void **state)
{
    (void)state;
    Fixture *f = fixture_new(false, 20);
    assert_int_equal(run(f, "tabulate g s"), MD_OK);
    double counts[3][2] = {{0}};
    for (int i = 0; i < N_UNITS; i++) {
        counts[i % 3][i < 36 ? 0 : 1] += 1;
    }
    const char *rows[3] = {"1", "2", "3"};
    const char *cols[2] = {"a", "b"};
    for (int r = 0; r < 3; r++) {
        for (int c = 0; c < 2; c++) {
            double v = value(f, 0, rows[r], cols[c]);
            assert_true(fabs(v - counts[r][c]) <= 2);
        }
    }
    assert_true(fabs(value(f, 0, "Total", "Total") - 60) <= 2);
    /* identical repeat: identical noise (A1) */
    char first[32];
    snprintf(first, sizeof first, "%s", text(f, 0, "1", "a"));
    assert_int_equal(run(f, "tabulate g s"), MD_OK);
    assert_string_equal(text(f, 0, "1", "a"), first);
    /* magnitudes of a group with fewer than 10 units are suppressed (R3) */
    assert_int_equal(run(f, "tabulate small, summarize(x) mean"), MD_OK);
    assert_true(isnan(value(f, 0, "1", "mean(x)")));
    assert_string_equal(text(f, 0, "1", "mean(x)"), "x");
    assert_false(isnan(value(f, 0, "2", "mean(x)")));
    /* a population below the floor is refused, without numbers in the message */
    MdStatus status = run(f, "summarize x if g == 1 & x < 10");
    assert_int_equal(status, MD_ERR_DISCLOSURE);
    fixture_free(f);
}

static void test_controlled_sparse(void **state)
{
    (void)state;
    Fixture *f = fixture_new(false, 20);
    /* x has 54 distinct values: every cell holds one unit */
    assert_int_equal(run(f, "tabulate x"), MD_ERR_DISCLOSURE);
    fixture_free(f);
}

/* B5/C4: thresholds and counts use distinct units, not rows. */
static void test_event_distinct_units(void **state)
{
    (void)state;
    Fixture *f = fixture_new(true, 1000);
    f->ws->active = 2;
    assert_int_equal(run(f, "tabulate k"), MD_OK);
    assert_near(value(f, 0, "1", "Freq"), 3, 0);
    assert_near(value(f, 0, "2", "Freq"), 40, 0);
    assert_near(value(f, 0, "Total", "Freq"), 43, 0);
    assert_int_equal(run(f, "summarize v"), MD_OK);
    assert_near(value(f, 0, "v", "N"), 43, 0);
    fixture_free(f);
    f = fixture_new(false, 20);
    f->ws->active = 2;
    /* 15 rows from 3 persons: a magnitude cell of 3 units is suppressed (R3) */
    assert_int_equal(run(f, "tabulate k, summarize(v) mean freq"), MD_OK);
    assert_true(isnan(value(f, 0, "1", "mean(v)")));
    assert_string_equal(text(f, 0, "1", "Freq"), "<5");
    assert_false(isnan(value(f, 0, "2", "mean(v)")));
    fixture_free(f);
}

static void test_three_way_and_colsort(void **state)
{
    (void)state;
    Fixture *f = fixture_new(true, 1000);
    assert_int_equal(run(f, "tabulate g small s"), MD_OK);
    /* g 1..3 x small 1..2 nested in rows (6 combinations, all non-empty), s across */
    assert_int_equal(row_count(f, 0), 7);
    double n = 0;
    for (int i = 0; i < N_UNITS; i++) {
        n += i % 3 == 0 && i < 8 && i < 36;
    }
    assert_near(value(f, 0, "1|1", "a"), n, 0);
    assert_int_equal(run(f, "tabulate g s, colsort(2)"), MD_OK);
    /* flat: row combination 2 sorted by its counts: b (8) before a (12) */
    assert_int_equal(row_count(f, 0), 6);
    json_t *rows = json_object_get(table_at(f, 0), "rows");
    json_t *labels = json_object_get(json_array_get(rows, 0), "labels");
    assert_string_equal(json_string_value(json_array_get(labels, 1)), "b");
    assert_int_equal(run(f, "tabulate g s, colpct cellpct"), MD_OK);
    assert_near(value(f, 0, "Total", "a"), 100.0, 1e-9);
    assert_near(value(f, 1, "Total", "Total"), 100.0, 1e-9);
    fixture_free(f);
}

static void test_labels(void **state)
{
    (void)state;
    Fixture *f = fixture_new(true, 1000);
    LabelList *list = md_calloc(1, sizeof *list);
    list->name = md_strdup("gl");
    list->n = 2;
    list->codes = md_calloc(2, sizeof *list->codes);
    list->labels = md_calloc(2, sizeof *list->labels);
    list->codes[0] = md_strdup("1");
    list->labels[0] = md_strdup("one");
    list->codes[1] = md_strdup("3");
    list->labels[1] = md_strdup("three");
    MdError err;
    md_error_clear(&err);
    assert_int_equal(workspace_put_label_list(f->ws, list, &err), MD_OK);
    Column *g = dataset_column(workspace_active(f->ws), "g");
    g->label_list = md_strdup("gl");
    assert_int_equal(run(f, "tabulate g"), MD_OK);
    assert_near(value(f, 0, "one", "Freq"), 20, 0);
    assert_near(value(f, 0, "2", "Freq"), 20, 0);      /* no label: the code */
    assert_near(value(f, 0, "three", "Freq"), 20, 0);
    assert_int_equal(run(f, "tabulate g, nolabels"), MD_OK);
    assert_near(value(f, 0, "1", "Freq"), 20, 0);
    /* the anova post-hoc rows carry the labels too */
    assert_int_equal(run(f, "anova x g, posthoc"), MD_OK);
    assert_false(isnan(value(f, 1, "three vs one", "difference")));
    fixture_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tabulate_oneway),
        cmocka_unit_test(test_tabulate_twoway),
        cmocka_unit_test(test_tabulate_flatten_sort_top),
        cmocka_unit_test(test_tabulate_summarize),
        cmocka_unit_test(test_summarize),
        cmocka_unit_test(test_correlate_ci_normal),
        cmocka_unit_test(test_anova),
        cmocka_unit_test(test_transitions),
        cmocka_unit_test(test_group_statistics_charge_budget),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_controlled_counts),
        cmocka_unit_test(test_controlled_sparse),
        cmocka_unit_test(test_event_distinct_units),
        cmocka_unit_test(test_three_way_and_colsort),
        cmocka_unit_test(test_labels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
