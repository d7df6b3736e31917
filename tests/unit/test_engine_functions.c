/*
 * test_engine_functions.c - unit tests of the expression functions with the values the
 * manual documents (dates, int/floor/ceil, round, substr) and reference values for the
 * distributions (central ones against known quantiles, non-central ones against their
 * central limits, numeric derivatives and identities). Expressions are parsed with
 * lang_parse_expr_text and evaluated over small datasets.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <math.h>
#include <cmocka.h>

#include "engine/eval_int.h"

static Dataset *one_row(void)
{
    Dataset *ds = dataset_new("one");
    ds->n_rows = 1;
    ds->unit_ids = md_calloc(1, sizeof(uint64_t));
    ds->unit_keys = md_calloc(1, sizeof(uint64_t));
    Column *x = column_new_number("x", 1);
    x->numbers[0] = 2.5;
    Column *s = column_new_string("s", 1);
    s->codes[0] = string_pool_intern(s->pool, "kjønn", strlen("kjønn"));
    MdError err;
    md_error_clear(&err);
    assert_int_equal(dataset_add_column(ds, x, &err), MD_OK);
    assert_int_equal(dataset_add_column(ds, s, &err), MD_OK);
    return ds;
}

static Column *eval_text(const Workspace *ws, const Dataset *ds, const char *text,
                         MdError *err)
{
    Arena *arena = arena_new(4096);
    md_error_clear(err);
    Expr *e = lang_parse_expr_text(arena, text, err);
    if (!e)
        fail_msg("parse of %s failed: %s", text, err->message);
    Column *c = expr_evaluate(ws, ds, e, err);
    arena_free(arena);
    return c;
}

/* The value of a one-row expression; NaN for missing. */
static double value(const char *text)
{
    Dataset *ds = one_row();
    MdError err;
    Column *c = eval_text(NULL, ds, text, &err);
    if (!c)
        fail_msg("%s failed: %s", text, err.message);
    if (c->type != COLUMN_NUMBER)
        fail_msg("%s is not a number", text);
    double v = c->numbers[0];
    column_free(c);
    dataset_free(ds);
    return v;
}

/* The string of a one-row expression; "<missing>" for missing. */
static const char *text_of(const char *text, char *buf, size_t cap)
{
    Dataset *ds = one_row();
    MdError err;
    Column *c = eval_text(NULL, ds, text, &err);
    if (!c)
        fail_msg("%s failed: %s", text, err.message);
    if (c->type != COLUMN_STRING)
        fail_msg("%s is not a string", text);
    const char *s = column_string_at(c, 0);
    snprintf(buf, cap, "%s", s ? s : "<missing>");
    column_free(c);
    dataset_free(ds);
    return buf;
}

#define EQ(text, want) assert_true(value(text) == (want))
#define NEAR(text, want, tol)                                                             \
    do {                                                                                   \
        double v_ = value(text);                                                           \
        if (!(fabs(v_ - (want)) <= (tol)))                                                 \
            fail_msg("%s = %.15g, want %.15g", text, v_, (double)(want));                 \
    } while (0)
#define MISSING(text) assert_true(isnan(value(text)))
#define STR(text, want)                                                                   \
    do {                                                                                   \
        char b_[256];                                                                      \
        assert_string_equal(text_of(text, b_, sizeof b_), want);                           \
    } while (0)

static void test_dates(void **state)
{
    (void)state;
    EQ("date(2015, 12, 31)", 16800);
    EQ("date(1970, 1, 1)", 0);
    EQ("date(1967, 5, 27)", -950);
    MISSING("date(2015, 2, 29)");
    MISSING("date(2015, 13, 1)");
    MISSING("date(2015.5, 1, 1)");
    EQ("date(2016, 2, 29)", 16860);
    EQ("week(16800)", 53);
    EQ("week(0)", 1);
    EQ("week(-950)", 21);
    EQ("week(date(2021, 1, 3))", 53);
    EQ("week(date(2021, 1, 4))", 1);
    EQ("week(date(2008, 12, 29))", 1);
    EQ("dow(0)", 4);
    EQ("dow(date(2024, 1, 1))", 1);
    EQ("dow(date(2024, 1, 7))", 7);
    EQ("dow(-950)", 6);
    EQ("doy(16800)", 365);
    EQ("doy(date(2016, 12, 31))", 366);
    EQ("doy(0)", 1);
    EQ("day(16800)", 31);
    EQ("month(16800)", 12);
    EQ("year(-950)", 1967);
    EQ("halfyear(date(2020, 6, 30))", 1);
    EQ("halfyear(date(2020, 7, 1))", 2);
    EQ("quarter(date(2020, 3, 31))", 1);
    EQ("quarter(date(2020, 4, 1))", 2);
    EQ("quarter(16800)", 4);
    EQ("year(16800.9)", 2015);
    MISSING("year(.)");
    MISSING("year(1e12)");
    STR("isoformatdate(16800)", "2015-12-31");
    STR("isoformatdate(-950)", "1967-05-27");
    STR("isoformatdate(.)", "<missing>");
}

static void test_math(void **state)
{
    (void)state;
    EQ("int(7.5)", 7);
    EQ("int(-17.6)", -17);
    EQ("floor(8.6)", 8);
    EQ("floor(-8.6)", -8);   /* documented: the same as int */
    EQ("ceil(8.3)", 9);
    EQ("ceil(-17.3)", -18);  /* documented: away from zero */
    EQ("ceil(-17)", -17);
    EQ("round(7.3)", 7);
    EQ("round(-7.6)", -8);
    EQ("round(7.321, 0.01)", 7.32);
    EQ("round(2.5)", 3);
    EQ("round(-2.5)", -3);
    EQ("round(1234, 100)", 1200);
    EQ("round(1250, 100)", 1300);
    MISSING("round(5, 0)");
    MISSING("round(5, -1)");
    EQ("sqrt(16)", 4);
    MISSING("sqrt(-1)");
    MISSING("ln(0)");
    EQ("ln(1)", 0);
    EQ("log10(1000)", 3);
    EQ("exp(0)", 1);
    MISSING("exp(1000)");
    EQ("abs(-3)", 3);
    NEAR("pi()", M_PI, 0);
    NEAR("cos(2 * pi())", 1, 1e-15);
    NEAR("atan(1) * 4", M_PI, 1e-15);
    NEAR("lnfactorial(5)", log(120), 1e-12);
    EQ("lnfactorial(0)", 0);
    MISSING("lnfactorial(-1)");
    NEAR("logit(0.5)", 0, 0);
    MISSING("logit(1)");
    EQ("comb(5, 2)", 10);
    EQ("comb(52, 5)", 2598960);
    EQ("comb(5, 0)", 1);
    MISSING("comb(2, 5)");
    MISSING("comb(5.5, 2)");
    MISSING("sqrt(.)");
    EQ("x * 2", 5);
}

static void test_strings(void **state)
{
    (void)state;
    STR("substr('y32ssx', 2, 3)", "32s");
    STR("substr('y32ssx', -3, 2)", "ss");
    STR("substr('y32ssx', -1, 5)", "x");
    STR("substr('y32ssx', 5, 10)", "sx");
    STR("substr('y32ssx', 0, 2)", "");
    STR("substr('y32ssx', 7, 2)", "");
    STR("substr('y32ssx', -7, 2)", "");
    STR("substr('y32ssx', 2, 0)", "");
    STR("substr(s, 4, 1)", "n");
    STR("substr(s, 3, 1)", "ø");
    EQ("length(s)", 5);
    EQ("length('')", 0);
    STR("string(199812)", "199812");
    STR("string(0.1 + 0.2)", "0.3");
    STR("string(-0)", "0");
    STR("string(.)", "<missing>");
    STR("lower('ABC Ø')", "abc Ø");
    STR("upper('abc æ')", "ABC æ");
    EQ("startswith('0301', '03')", 1);
    EQ("startswith('0301', '3')", 0);
    EQ("endswith('0301', '01')", 1);
    EQ("endswith('01', '0301')", 0);
    STR("trim('  a b  ')", "a b");
    STR("ltrim('  a ')", "a ");
    STR("rtrim('  a ')", "  a");
    STR("rowconcat('a', ' ', 'b', 1.5)", "a b1.5");
}

static void test_logic_and_rows(void **state)
{
    (void)state;
    EQ("inlist(2, 1, 2, 3)", 1);
    EQ("inlist(4, 1, 2, 3)", 0);
    MISSING("inlist(., 1, 2)");
    EQ("inlist(2, ., 2)", 1);
    EQ("inlist('1', 'x', '1')", 1);
    EQ("inlist(s, 'a', 'kjønn')", 1);
    EQ("inrange(5, 1, 5)", 1);
    EQ("inrange(0, 1, 5)", 0);
    EQ("inrange('b', 'a', 'c')", 1);
    MISSING("inrange(., 1, 5)");
    EQ("sysmiss(.)", 1);
    EQ("sysmiss(x)", 0);
    EQ("!sysmiss(x)", 1);
    EQ("rowmax(1, ., 3)", 3);
    EQ("rowmin(1, ., 3)", 1);
    EQ("rowmean(1, ., 3)", 2);
    EQ("rowtotal(1, ., 3)", 4);
    EQ("rowtotal(., .)", 0);
    MISSING("rowmax(., .)");
    MISSING("rowmean(., .)");
    EQ("rowmedian(5, 1, ., 3)", 3);
    EQ("rowmedian(4, 1, 3, 2)", 2.5);
    NEAR("rowstd(2, 4, 4, 4, 5, 5, 7, 9)", sqrt(32.0 / 7), 1e-12);
    MISSING("rowstd(1, .)");
    EQ("rowmissing(1, ., s, .)", 2);
    EQ("rowvalid(1, ., s, .)", 2);
}

static void test_binding_functions(void **state)
{
    (void)state;
    STR("date_fmt(2020)", "2020-01-01");
    STR("date_fmt(2020, 5)", "2020-05-01");
    STR("date_fmt(2020, 2, 29)", "2020-02-29");
    STR("date_fmt(2021, 2, 29)", "<missing>");
    EQ("to_int('100')", 100);
    EQ("to_int(' 42 ')", 42);
    MISSING("to_int('1x')");
    EQ("to_int(7.9)", 7);
    EQ("to_int('-4.9')", -4); /* as to_int('-4.9') in a let: truncated toward zero */
    MISSING("to_int('')");
    MISSING("to_int('4x')");
    STR("date_fmt(2020, 13)", "<missing>");
    STR("date_fmt(2020.5)", "<missing>");
    STR("to_str(12)", "12");
    STR("to_str(0.1 + 0.2)", "0.3");
    STR("to_str('a')", "a");
    EQ("to_symbol('x') + 1", 3.5);
}

static void test_distributions_central(void **state)
{
    (void)state;
    NEAR("normal(0)", 0.5, 1e-15);
    NEAR("normal(1.959963984540054)", 0.975, 1e-12);
    NEAR("normalden(0)", 1 / sqrt(2 * M_PI), 1e-15);
    NEAR("normalden(1, 1, 2)", 1 / (2 * sqrt(2 * M_PI)), 1e-15);
    NEAR("normalden(2, 2)", exp(-0.5) / (2 * sqrt(2 * M_PI)), 1e-15);
    NEAR("binomial(10, 3, 0.5)", 176.0 / 1024, 1e-12);
    NEAR("binomialp(10, 3, 0.5)", 120.0 / 1024, 1e-12);
    NEAR("binomialtail(10, 3, 0.5)", 1 - 56.0 / 1024, 1e-12);
    NEAR("binomial(10, 3.7, 0.5)", 176.0 / 1024, 1e-12);
    EQ("binomial(10, -1, 0.5)", 0);
    EQ("binomial(10, 10, 0.5)", 1);
    EQ("binomialtail(10, 0, 0.5)", 1);
    EQ("binomialtail(10, 11, 0.5)", 0);
    MISSING("binomial(10, 3, 1.5)");
    NEAR("chi2(3.841458820694124, 1)", 0.95, 1e-12);
    NEAR("chi2tail(3.841458820694124, 1)", 0.05, 1e-12);
    NEAR("invchi2(0.95, 1)", 3.841458820694124, 1e-9);
    NEAR("invchi2tail(0.05, 1)", 3.841458820694124, 1e-9);
    NEAR("chi2den(2, 2)", 0.5 * exp(-1), 1e-15);
    MISSING("chi2(1, 0)");
    NEAR("t(2.228138851986274, 10)", 0.975, 1e-12);
    NEAR("ttail(2.228138851986274, 10)", 0.025, 1e-12);
    NEAR("invttail(0.025, 10)", 2.228138851986274, 1e-9);
    NEAR("invt(0.975, 10)", 2.228138851986274, 1e-9);
    NEAR("tden(0, 1)", 1 / M_PI, 1e-15);
    NEAR("F(4.964602743730711, 1, 10)", 0.95, 1e-10);
    NEAR("Ftail(4.964602743730711, 1, 10)", 0.05, 1e-10);
    NEAR("invF(0.95, 1, 10)", 4.964602743730711, 1e-8);
    NEAR("invFtail(0.05, 1, 10)", 4.964602743730711, 1e-8);
    NEAR("Fden(1, 2, 2)", 0.25, 1e-15);
    NEAR("ibeta(0.5, 2, 2)", 0.5, 1e-15);
    NEAR("ibetatail(0.25, 1, 1)", 0.75, 1e-15);
    NEAR("betaden(0.5, 2, 2)", 1.5, 1e-12);
    NEAR("invibeta(0.5, 2, 2)", 0.5, 1e-12);
    NEAR("invibetatail(0.75, 1, 1)", 0.25, 1e-12);
    MISSING("invchi2(1, 3)");
    MISSING("invt(0, 3)");
}

static void test_distributions_noncentral(void **state)
{
    (void)state;
    /* lambda = 0 is the central distribution */
    NEAR("nchi2(3, 2, 0)", value("chi2(3, 2)"), 1e-14);
    NEAR("nchi2den(3, 2, 0)", value("chi2den(3, 2)"), 1e-14);
    NEAR("nF(2, 3, 7, 0)", value("F(2, 3, 7)"), 1e-13);
    NEAR("F(2, 3, 7, 0)", value("F(2, 3, 7)"), 1e-13);
    NEAR("nt(1.5, 4, 0)", value("t(1.5, 4)"), 1e-13);
    NEAR("ntden(1.5, 4, 0)", value("tden(1.5, 4)"), 1e-7);
    /* nchi2 with 2 df at x: 1 - Marcum Q; check by the closed form for v = 2, lambda = 2:
     * complement sums to 1 and the tail matches */
    NEAR("nchi2(4, 3, 2) + nchi2tail(4, 3, 2)", 1, 1e-13);
    NEAR("nF(2, 3, 7, 1.5) + nFtail(2, 3, 7, 1.5)", 1, 1e-13);
    NEAR("F(2, 3, 7, 1.5)", value("nF(2, 3, 7, 1.5)"), 0);
    NEAR("Ftail(2, 3, 7, 1.5)", value("nFtail(2, 3, 7, 1.5)"), 0);
    /* P(T <= 0) = Phi(-delta) exactly */
    NEAR("nt(0, 5, 1.3)", value("normal(-1.3)"), 1e-14);
    NEAR("nt(1, 5, 1.3) + nttail(1, 5, 1.3)", 1, 1e-12);
    /* a known value: noncentral chi2, v = 1, lambda = 1, x = 1 is
     * P(-1 <= Z + 1 <= 1) = Phi(0) - Phi(-2) */
    NEAR("nchi2(1, 1, 1)", value("normal(0) - normal(-2)"), 1e-12);
    /* the densities are the derivatives of the distribution functions */
    NEAR("(nchi2(3.001, 4, 2.5) - nchi2(2.999, 4, 2.5)) / 0.002", value("nchi2den(3, 4, 2.5)"),
         1e-6);
    NEAR("(nF(1.501, 3, 9, 2) - nF(1.499, 3, 9, 2)) / 0.002", value("nFden(1.5, 3, 9, 2)"),
         1e-6);
    NEAR("(nt(1.001, 6, 0.8) - nt(0.999, 6, 0.8)) / 0.002", value("ntden(1, 6, 0.8)"), 1e-6);
    NEAR("(nt(-0.999, 6, 0.8) - nt(-1.001, 6, 0.8)) / 0.002", value("ntden(-1, 6, 0.8)"),
         1e-6);
    /* inverses */
    NEAR("nFtail(invnFtail(0.05, 3, 9, 2), 3, 9, 2)", 0.05, 1e-10);
    NEAR("nttail(invnttail(0.05, 6, 0.8), 6, 0.8)", 0.05, 1e-10);
    NEAR("nttail(invnttail(0.9, 6, -2), 6, -2)", 0.9, 1e-10);
    /* reference values by numerical integration of the defining densities (mpmath, 30
     * digits; see docs/expressions.md) */
    NEAR("nchi2(4, 3, 2)", 0.483881358388074375, 1e-10);
    NEAR("nchi2den(3, 4, 2.5)", 0.109355826842078990, 1e-10);
    NEAR("nchi2(30, 5, 20)", 0.725504632320467804, 1e-10);
    NEAR("nt(1.7, 5, 1.2)", 0.642428741387197577, 1e-10);
    NEAR("nt(-0.5, 3, -1)", 0.701889506629036853, 1e-10);
    NEAR("nt(4, 10, 3)", 0.748313926911580678, 1e-10);
    NEAR("nF(2, 3, 7, 1.5)", 0.656516914822893621, 1e-10);
    NEAR("nt(-3, 4, 2.5)", 0.0000206965904604965198, 1e-12);
    NEAR("nt(12, 30, 10)", 0.849479322205096738, 1e-10);
    NEAR("nt(990, 7, 999)", 0.415691476963025244, 1e-8);
    /* large non-centrality does not underflow */
    NEAR("nchi2(2000, 10, 2000)", 0.4, 0.2);
    NEAR("nchi2(10, 10, 2000)", 0, 1e-12);
    /* Stata's domains: lambda <= 10000, |delta| <= 1000 */
    MISSING("nchi2(1, 1, 10001)");
    MISSING("nF(1, 1, 1, 10001)");
    MISSING("nt(1, 5, 1001)");
    MISSING("nt(1, 5, -1001)");
    MISSING("invnFtail(0.05, 3, 9, 20000)");
    MISSING("invnttail(0.05, 3, 2000)");
    NEAR("nchi2(10000, 1, 10000)", 0.5, 0.01);
    NEAR("nt(0, 30, 1000)", 0, 1e-12);
    NEAR("nt(1000, 1e6, 1000)", 0.5, 0.01);
    NEAR("nttail(invnttail(0.3, 20, 500), 20, 500)", 0.3, 1e-8);
    MISSING("nchi2(1, 0, 1)");
    MISSING("nchi2(1, 1, -1)");
    MISSING("nt(1, 0, 1)");
}

static void test_noncentral_monte_carlo(void **state)
{
    (void)state;
    /* T = (Z + delta) / sqrt(chi2_v / v) by simulation against the series */
    Rng rng;
    rng_seed(&rng, 42);
    const double v = 5;
    const double delta = 1.2;
    const double t = 1.7;
    int below = 0;
    const int n = 200000;
    for (int i = 0; i < n; i++) {
        double chi = 0;
        for (int k = 0; k < 5; k++) {
            double z = rng_normal(&rng);
            chi += z * z;
        }
        double x = (rng_normal(&rng) + delta) / sqrt(chi / v);
        below += x <= t;
    }
    double p = eval_nt_cdf(t, v, delta);
    assert_true(fabs(p - (double)below / n) < 0.004);
    /* noncentral chi2 with v = 3, lambda = 2.25: (Z1 + 1.5)^2 + Z2^2 + Z3^2 */
    below = 0;
    for (int i = 0; i < n; i++) {
        double a = rng_normal(&rng) + 1.5;
        double b = rng_normal(&rng);
        double c = rng_normal(&rng);
        below += a * a + b * b + c * c <= 4;
    }
    assert_true(fabs(eval_nchi2_cdf(4, 3, 2.25) - (double)below / n) < 0.004);
}

static void test_quantile(void **state)
{
    (void)state;
    Dataset *ds = dataset_new("q");
    const int n = 12;
    ds->n_rows = n;
    Column *x = column_new_number("x", n);
    const double v[12] = {5, 1, NAN, 3, 3, 9, 7, 2, 8, 6, 4, 10};
    for (int i = 0; i < n; i++)
        x->numbers[i] = v[i];
    MdError err;
    md_error_clear(&err);
    assert_int_equal(dataset_add_column(ds, x, &err), MD_OK);
    Column *c = eval_text(NULL, ds, "quantile(x, 4)", &err);
    assert_non_null(c);
    /* 11 values; sorted 1 2 3 3 4 5 6 7 8 9 10; group = floor(rank * 4 / 11) */
    const double want[12] = {1, 0, NAN, 0, 0, 3, 2, 0, 2, 2, 1, 3};
    for (int i = 0; i < n; i++) {
        if (isnan(want[i]))
            assert_true(isnan(c->numbers[i]));
        else if (c->numbers[i] != want[i])
            fail_msg("row %d: %g, want %g", i, c->numbers[i], want[i]);
    }
    column_free(c);
    c = eval_text(NULL, ds, "quantile(x * 2, 2) + 1", &err);
    assert_non_null(c);
    assert_true(c->numbers[1] == 1 && c->numbers[11] == 2);
    column_free(c);
    assert_null(eval_text(NULL, ds, "quantile(x, 1)", &err));
    assert_int_equal(err.status, MD_ERR_VALUE);
    assert_null(eval_text(NULL, ds, "quantile(x, x)", &err));
    assert_null(eval_text(NULL, ds, "quantile(x, 101)", &err));
    dataset_free(ds);
}

static void test_labels(void **state)
{
    (void)state;
    Dataset *ds = dataset_new("l");
    ds->n_rows = 4;
    Column *k = column_new_string("kjonn", 4);
    const char *codes[4] = {"1", "2", NULL, "2"};
    for (int i = 0; i < 4; i++)
        k->codes[i] = codes[i] ? string_pool_intern(k->pool, codes[i], 1) : COLUMN_STRING_MISSING;
    k->label_list = md_strdup("kj");
    Column *g = column_new_number("grp", 4);
    g->numbers[0] = 1;
    g->numbers[1] = 3;
    g->numbers[2] = 2;
    g->numbers[3] = NAN;
    g->label_list = md_strdup("gl");
    Column *r = column_new_string("reg", 4);
    const char *rc[4] = {"0301", "1103", "0301", "5001"};
    for (int i = 0; i < 4; i++)
        r->codes[i] = string_pool_intern(r->pool, rc[i], 4);
    static const CodeEntry entries[] = {
        {"0301", "Oslo", 0, DATE_OPEN, false},
        {"1103", "Stavanger", 0, DATE_OPEN, false},
        {"5001", "Trondheim", 17532, DATE_OPEN, false},
        {"1601", "Trondheim", 0, 17531, false},
    };
    static VariableInfo info;
    info.name = "BOSTEDSKOMMUNE";
    info.codes = entries;
    info.n_codes = 4;
    r->source = &info;
    r->source_date = 18000;
    MdError err;
    md_error_clear(&err);
    assert_int_equal(dataset_add_column(ds, k, &err), MD_OK);
    assert_int_equal(dataset_add_column(ds, g, &err), MD_OK);
    assert_int_equal(dataset_add_column(ds, r, &err), MD_OK);

    char *kc[2] = {"1", "2"};
    char *kl[2] = {"Mann", "Kvinne"};
    LabelList kj = {"kj", kc, kl, 2};
    char *gc[3] = {"1", "2", "3"};
    char *gl[3] = {"Low", "Middle", "High"};
    LabelList glist = {"gl", gc, gl, 3};
    LabelList *lists[2] = {&kj, &glist};
    Workspace ws;
    memset(&ws, 0, sizeof ws);
    ws.label_lists = lists;
    ws.n_label_lists = 2;

    Column *c = eval_text(&ws, ds, "kjonn == label_to_code(kjonn, 'Mann')", &err);
    assert_non_null(c);
    assert_true(c->numbers[0] == 1 && c->numbers[1] == 0 && isnan(c->numbers[2]));
    column_free(c);
    c = eval_text(&ws, ds, "label_to_code(grp, 'High')", &err);
    assert_true(c->numbers[0] == 3);
    column_free(c);
    c = eval_text(&ws, ds, "inlabels(grp, 'Low', 'High')", &err);
    assert_true(c->numbers[0] == 1 && c->numbers[1] == 1 && c->numbers[2] == 0);
    assert_true(isnan(c->numbers[3]));
    column_free(c);
    c = eval_text(&ws, ds, "labelcontains(kjonn, 'nn')", &err);
    assert_true(c->numbers[0] == 1 && c->numbers[1] == 1 && c->numbers[3] == 1);
    column_free(c);
    c = eval_text(&ws, ds, "labelcontains(kjonn, 'Kv')", &err);
    assert_true(c->numbers[0] == 0 && c->numbers[1] == 1);
    column_free(c);
    /* register code list at the column's date: 1601 is no longer Trondheim */
    c = eval_text(&ws, ds, "inlabels(reg, 'Oslo', 'Trondheim')", &err);
    assert_true(c->numbers[0] == 1 && c->numbers[1] == 0 && c->numbers[3] == 1);
    column_free(c);
    c = eval_text(&ws, ds, "label_to_code(reg, 'Trondheim')", &err);
    assert_string_equal(column_string_at(c, 0), "5001");
    column_free(c);
    assert_null(eval_text(&ws, ds, "inlabels(kjonn, 'Mann', 'Dame')", &err));
    assert_int_equal(err.status, MD_ERR_VALUE);
    assert_non_null(strstr(err.message, "no label \"Dame\""));
    assert_null(eval_text(&ws, ds, "label_to_code('1', 'Mann')", &err));
    assert_non_null(strstr(err.message, "must be a variable"));
    assert_null(eval_text(NULL, ds, "inlabels(kjonn, 'Mann')", &err));
    assert_non_null(strstr(err.message, "kjonn has no labels"));
    dataset_free(ds);
}

static void test_function_errors(void **state)
{
    (void)state;
    Dataset *ds = one_row();
    MdError err;
    assert_null(eval_text(NULL, ds, "bind('x')", &err));
    assert_int_equal(err.status, MD_ERR_NOT_IMPLEMENTED);
    assert_null(eval_text(NULL, ds, "to_symbol('nope')", &err));
    assert_int_equal(err.status, MD_ERR_NAME);
    assert_null(eval_text(NULL, ds, "to_symbol(s)", &err));
    assert_int_equal(err.status, MD_ERR_TYPE);
    assert_null(eval_text(NULL, ds, "inlist(s, 1, 2)", &err));
    assert_int_equal(err.status, MD_ERR_TYPE);
    assert_non_null(strstr(err.message, "mixes strings and numbers"));
    assert_null(eval_text(NULL, ds, "substr(s, '1', 2)", &err));
    assert_int_equal(err.status, MD_ERR_TYPE);
    dataset_free(ds);
}

/* Every function lang knows (help, parser) is implemented, with the same arity. */
static void test_table_matches_lang(void **state)
{
    (void)state;
    int32_t n = lang_function_count();
    assert_true(n > 80);
    for (int32_t i = 0; i < n; i++) {
        const FunctionSpec *spec = lang_function_at(i);
        const EvalFunction *fn = eval_function_find(spec->name);
        if (!fn)
            fail_msg("%s() is in lang's table but not implemented", spec->name);
        if (fn->min_args != spec->min_args || fn->max_args != spec->max_args)
            fail_msg("%s(): lang says %d..%d arguments, the engine %d..%d", spec->name,
                     spec->min_args, spec->max_args, fn->min_args, fn->max_args);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_math),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_logic_and_rows),
        cmocka_unit_test(test_binding_functions),
        cmocka_unit_test(test_distributions_central),
        cmocka_unit_test(test_distributions_noncentral),
        cmocka_unit_test(test_noncentral_monte_carlo),
        cmocka_unit_test(test_quantile),
        cmocka_unit_test(test_labels),
        cmocka_unit_test(test_function_errors),
        cmocka_unit_test(test_table_matches_lang),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
