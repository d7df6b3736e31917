/*
 * test_engine_commands_data.c - unit tests of the data-preparation commands: keep/drop,
 * rename, clone-variables, collapse and aggregate (every statistic), merge (by unit id, on
 * a pointer, on a collapsed key), recode, destring, label lists, sample, reshape, the
 * support commands, disclosure checks of row filters, and that failures change nothing.
 */
#include "commands_fixture.h"

#define PERSONS "require no.ssb.fdb:1 as db\ncreate-dataset p\nimport db/KJOENN as k\n" \
                "import db/INNT 2022-12-31 as inn\nimport db/FAMNR as fam\n"

static void assert_near(double got, double want)
{
    if (fabs(got - want) > 1e-6 * fmax(1, fabs(want)))
        fprintf(stderr, "got %.10g, want %.10g\n", got, want);
    assert_true(fabs(got - want) <= 1e-6 * fmax(1, fabs(want)));
}

static void test_keep_drop_rename_clone(void **state)
{
    (void)state;
    Fixture f;
    fix_open(&f, false);
    fix_ok(&f, PERSONS "keep if inn >= 10000");
    assert_int_equal(fix_rows(&f), 21); /* persons 10..30 */
    fix_ok(&f, "drop if inn > 20000");
    assert_int_equal(fix_rows(&f), 11);
    assert_true(fix_number(&f, "inn", 10) == 20000);
    fix_ok(&f, "rename inn lonn\nclone-variables lonn -> l2 k, prefix(c_)");
    assert_true(fix_number(&f, "l2", 0) == 10000);
    assert_string_equal(fix_string(&f, "c_k", 0), "2");
    fix_fails(&f, "rename lonn k", MD_ERR_NAME, "already has");
    fix_fails(&f, "clone-variables lonn", MD_ERR_SYNTAX, "new name");
    fix_ok(&f, "drop l2 c_k");
    assert_int_equal(workspace_active(f.ws)->n_columns, 3);
    fix_ok(&f, "keep PERSONID_1 lonn");
    assert_int_equal(workspace_active(f.ws)->n_columns, 1);
    fix_fails(&f, "drop nope", MD_ERR_NAME, "no variable 'nope'");
    fix_fails(&f, "keep lonn if lonn > 1", MD_ERR_SYNTAX, "not both");
    fix_close(&f);
}

static void test_collapse_every_statistic(void **state)
{
    (void)state;
    Fixture f;
    fix_open(&f, false);
    fix_ok(&f, PERSONS "clone-variables inn -> b\nrecode b (min/2500 = 0) (2501/max = 1)\n"
                       "collapse (sum) inn -> s (count) inn -> n (mean) inn -> m (min) inn -> lo "
                       "(max) inn -> hi (median) inn -> med (sd) inn -> sd (semean) inn -> se "
                       "(iqr) inn -> iqr (gini) inn -> g (percent) inn -> pct "
                       "(sebinomial) b -> sb, by(fam)");
    Dataset *ds = workspace_active(f.ws);
    assert_int_equal(ds->n_rows, 10);
    assert_string_equal(ds->unit_type, "PERSON");
    assert_int_equal(ds->unit_ids[0], 1);
    assert_int_equal(ds->unit_ids[1], 5);
    assert_near(fix_number(&f, "s", 0), 10000);
    assert_near(fix_number(&f, "n", 0), 4);
    assert_near(fix_number(&f, "m", 0), 2500);
    assert_near(fix_number(&f, "lo", 0), 1000);
    assert_near(fix_number(&f, "hi", 0), 4000);
    assert_near(fix_number(&f, "med", 0), 2500);
    assert_near(fix_number(&f, "sd", 0), sqrt(5000000.0 / 3));
    assert_near(fix_number(&f, "se", 0), sqrt(5000000.0 / 3) / 2);
    assert_near(fix_number(&f, "iqr", 0), 1500);
    assert_near(fix_number(&f, "g", 0), 0.25);
    assert_near(fix_number(&f, "pct", 0), 400.0 / 30);
    assert_near(fix_number(&f, "sb", 0), 0.25);
    assert_near(fix_number(&f, "s", 7), 59000); /* family 29: two incomes */
    assert_near(fix_number(&f, "n", 8), 0);     /* family 33: none */
    assert_true(isnan(fix_number(&f, "m", 8)));
    fix_close(&f);
}

static void test_collapse_by_text_and_id(void **state)
{
    (void)state;
    Fixture f;
    fix_open(&f, false);
    fix_ok(&f, PERSONS "clone-dataset p keep\ncollapse (count) inn -> n, by(k)");
    Dataset *ds = workspace_active(f.ws);
    assert_int_equal(ds->n_rows, 2);
    assert_int_equal(ds->shape, SHAPE_COLLAPSED);
    assert_string_equal(ds->unit_type, "collapsed by k");
    assert_string_equal(fix_string(&f, "k", 0), "1");
    assert_near(fix_number(&f, "n", 1), 15);
    fix_ok(&f, "merge n into keep on k\nuse keep");
    assert_near(fix_number(&f, "n", 0), 15);
    assert_near(fix_number(&f, "n", 39), 15);
    fix_ok(&f, "create-dataset e\nimport-event db/SIV 2020-01-01 to 2023-12-31 as s\n"
               "collapse (count) s -> ns (min) START@s -> first, by(PERSONID_1)");
    assert_int_equal(fix_rows(&f), 10);
    assert_int_equal(workspace_active(f.ws)->shape, SHAPE_CROSS);
    assert_near(fix_number(&f, "first", 0), date_from_ymd(2020, 1, 1));
    fix_ok(&f, "merge ns into keep\nuse keep");
    assert_near(fix_number(&f, "ns", 9), 2);
    assert_true(isnan(fix_number(&f, "ns", 10)));
    fix_fails(&f, "collapse (mean) k, by(fam)", MD_ERR_TYPE, "numeric");
    fix_fails(&f, "collapse (sum) fam, by(k)", MD_ERR_TYPE, "only be a key");
    fix_fails(&f, "collapse (avg) inn, by(k)", MD_ERR_SYNTAX, "unknown statistic");
    fix_fails(&f, "collapse (sum) inn", MD_ERR_SYNTAX, "by(");
    fix_close(&f);
}

static void test_aggregate(void **state)
{
    (void)state;
    Fixture f;
    fix_open(&f, false);
    fix_ok(&f, PERSONS "aggregate (mean) inn -> fm (count) inn -> fn, by(fam)");
    assert_int_equal(fix_rows(&f), 40);
    assert_near(fix_number(&f, "fm", 0), 2500);
    assert_near(fix_number(&f, "fm", 3), 2500);
    assert_near(fix_number(&f, "fm", 28), 29500);
    assert_near(fix_number(&f, "fn", 39), 0);
    fix_fails(&f, "aggregate (mean) inn -> fm, by(fam)", MD_ERR_NAME, "already has");
    fix_close(&f);
}

static void test_merge_pointers_and_errors(void **state)
{
    (void)state;
    Fixture f;
    fix_open(&f, false);
    fix_ok(&f, PERSONS "create-dataset jobs\nimport db/JPERS as per\nimport db/JLONN as pay\n"
                       "use p\nmerge k into jobs on per\nuse jobs");
    assert_int_equal(fix_rows(&f), 10);
    assert_string_equal(fix_string(&f, "k", 0), "1");
    assert_string_equal(fix_string(&f, "k", 2), "2");
    fix_ok(&f, "clone-dataset jobs jobs2\ncollapse (sum) pay -> sp, by(per)\nmerge sp into p\n"
               "use p");
    assert_near(fix_number(&f, "sp", 0), 201);
    assert_true(isnan(fix_number(&f, "sp", 5)));
    fix_fails(&f, "merge inn into nowhere", MD_ERR_NAME, "no dataset named");
    fix_fails(&f, "merge k into jobs2 on per", MD_ERR_NAME, "already has");
    fix_fails(&f, "merge inn into jobs2", MD_ERR_TYPE, "PERSON units");
    fix_fails(&f, "merge inn into jobs2 on pay", MD_ERR_TYPE, "does not identify");
    fix_fails(&f, "merge inn jobs2", MD_ERR_SYNTAX, "into");
    fix_ok(&f, "create-dataset e\nimport-event db/SIV 2020-01-01 to 2023-12-31 as s");
    fix_fails(&f, "merge s into p", MD_ERR_VALUE, "several rows per unit");
    assert_null(dataset_column(workspace_dataset(f.ws, "p"), "s"));
    fix_close(&f);
}

static void test_recode(void **state)
{
    (void)state;
    Fixture f;
    fix_open(&f, false);
    fix_ok(&f, PERSONS "recode inn (min/5000 = 1 'low') (5001/20000 = 2) "
                       "(missing = 99 'unknown' missing) (* = 3)");
    assert_near(fix_number(&f, "inn", 0), 1);
    assert_near(fix_number(&f, "inn", 5), 2);
    assert_near(fix_number(&f, "inn", 25), 3);
    assert_near(fix_number(&f, "inn", 35), 99);
    const Column *c = fix_column(&f, "inn");
    assert_true(column_is_missing(c, 35));
    assert_non_null(c->label_list);
    const LabelList *l = workspace_label_list(f.ws, c->label_list);
    assert_non_null(l);
    assert_int_equal(l->n, 2);
    assert_string_equal(l->codes[1], "99");
    fix_ok(&f, "recode k ('1' = 'M') ('2' = 'K'), prefix(r_)");
    assert_string_equal(fix_string(&f, "r_k", 0), "M");
    assert_string_equal(fix_string(&f, "k", 0), "1");
    fix_ok(&f, "recode k ('1' = 'x') if inn == 1, generate(kk)");
    assert_string_equal(fix_string(&f, "kk", 0), "x");
    assert_null(fix_string(&f, "kk", 25));
    fix_fails(&f, "recode k (1 = 2)", MD_ERR_TYPE, "does not fit");
    fix_fails(&f, "recode inn ('1' = '2')", MD_ERR_TYPE, "does not fit");
    fix_fails(&f, "recode fam (1 = 2)", MD_ERR_TYPE, "only be a key");
    fix_close(&f);
}

static void test_destring(void **state)
{
    (void)state;
    Fixture f;
    fix_open(&f, false);
    fix_ok(&f, PERSONS "recode k ('2' = '1,5'), prefix(c)\nrecode k ('2' = 'a'), prefix(a)\n"
                       "destring k\ndestring ck, dpcomma prefix(n)");
    assert_near(fix_number(&f, "k", 0), 1);
    assert_near(fix_number(&f, "k", 1), 2);
    assert_near(fix_number(&f, "nck", 1), 1.5);
    fix_fails(&f, "destring ak", MD_ERR_VALUE, "not a number");
    assert_int_equal(fix_column(&f, "ak")->type, COLUMN_STRING);
    fix_ok(&f, "destring ak, force prefix(f)");
    assert_true(isnan(fix_number(&f, "fak", 1)));
    fix_ok(&f, "destring ak, ignore('a')");
    assert_true(isnan(fix_number(&f, "ak", 1))); /* 'a' stripped: empty text */
    assert_near(fix_number(&f, "ak", 0), 1);
    fix_fails(&f, "destring inn", MD_ERR_TYPE, "numeric already");
    fix_close(&f);
}

static void test_labels(void **state)
{
    (void)state;
    Fixture f;
    fix_open(&f, false);
    fix_ok(&f, PERSONS "define-labels kl '1' Mann '2' 'Kvinne og mor'\nassign-labels k kl");
    assert_string_equal(fix_column(&f, "k")->label_list, "kl");
    const LabelList *l = workspace_label_list(f.ws, "kl");
    assert_string_equal(l->labels[1], "Kvinne og mor");
    fix_ok(&f, "list-labels kl\nlist-labels db/KJOENN 2020-01-01");
    fix_fails(&f, "define-labels x 1 a 1 b", MD_ERR_VALUE, "listed twice");
    fix_fails(&f, "assign-labels k nolist", MD_ERR_NAME, "no label list");
    fix_fails(&f, "drop-labels kl nolist", MD_ERR_NAME, "no label list");
    assert_non_null(workspace_label_list(f.ws, "kl"));
    fix_ok(&f, "drop-labels kl");
    assert_null(workspace_label_list(f.ws, "kl"));
    assert_null(fix_column(&f, "k")->label_list);
    fix_close(&f);
}

static void test_sample_deterministic(void **state)
{
    (void)state;
    Fixture f;
    fix_open(&f, false);
    fix_ok(&f, PERSONS "clone-dataset p q\nsample 10 7");
    assert_int_equal(fix_rows(&f), 10);
    uint64_t first[10];
    memcpy(first, workspace_active(f.ws)->unit_ids, sizeof first);
    fix_ok(&f, "use q\nsample 10 7");
    assert_memory_equal(first, workspace_active(f.ws)->unit_ids, sizeof first);
    fix_ok(&f, "create-dataset r\nimport db/KJOENN\nsample 0.5 3");
    assert_int_equal(fix_rows(&f), 20);
    fix_fails(&f, "sample 10 0", MD_ERR_VALUE, "seed");
    fix_fails(&f, "sample 2.5 1", MD_ERR_VALUE, "whole number");
    fix_close(&f);
}

static void test_reshape_round_trip(void **state)
{
    (void)state;
    Fixture f;
    fix_open(&f, false);
    fix_ok(&f, "require no.ssb.fdb:1 as db\ncreate-dataset w\nimport db/KJOENN as k\n"
               "import db/INNT 2022-12-31 as lonn2022\nimport db/INNT 2023-12-31 as lonn2023\n"
               "reshape-to-panel lonn");
    Dataset *ds = workspace_active(f.ws);
    assert_int_equal(ds->shape, SHAPE_PANEL);
    assert_int_equal(ds->n_rows, 80);
    assert_near(fix_number(&f, "date@panel", 1), 2023);
    assert_near(fix_number(&f, "lonn", 1), 1001);
    assert_string_equal(fix_string(&f, "k", 1), "1");
    fix_fails(&f, "drop date@panel", MD_ERR_VALUE, "time axis");
    fix_ok(&f, "reshape-from-panel");
    assert_int_equal(fix_rows(&f), 40);
    assert_near(fix_number(&f, "lonn2023", 0), 1001);
    assert_string_equal(fix_string(&f, "k2022", 0), "1");
    fix_fails(&f, "reshape-from-panel", MD_ERR_VALUE, "needs a panel");
    fix_fails(&f, "reshape-to-panel zz", MD_ERR_NAME, "no variable is named");
    fix_close(&f);
}

static void test_support_commands(void **state)
{
    (void)state;
    Fixture f;
    fix_open(&f, false);
    fix_ok(&f, PERSONS "help\nhelp collapse\nhelp-function\nhelp-function substr\nvariables\n"
                       "variables db/INNT\nhistory");
    fix_fails(&f, "help colapse", MD_ERR_NAME, "no command");
    assert_non_null(strstr(f.err.hint, "collapse"));
    fix_fails(&f, "save", MD_ERR_SYNTAX, "not available in scripts");
    assert_true(f.ws->n_history >= 5);
    fix_ok(&f, "clear");
    assert_int_equal(workspace_dataset_count(f.ws), 0);
    assert_int_equal(f.ws->n_history, 0);
    fix_close(&f);
}

/* Replaces the fixture's trusted workspace by one under disclosure control. */
static Sdc *with_sdc(Fixture *f, int64_t min_population, int64_t small_change)
{
    SdcOptions so;
    memset(&so, 0, sizeof so);
    sdc_config_default(&so.config);
    so.config.min_population = min_population;
    so.config.small_change = small_change;
    so.data_version = "no.ssb.fdb:1.0.0";
    so.user = "test";
    MdError err;
    md_error_clear(&err);
    Sdc *sdc = sdc_new(&so, &err);
    assert_non_null(sdc);
    workspace_free(f->ws);
    EngineOptions o = {.store_dir = f->dir, .sdc = sdc, .trusted = false};
    f->ws = workspace_new(&o, &err);
    assert_non_null(f->ws);
    return sdc;
}

/* With disclosure control on, a filter leaving too few units is refused and changes
 * nothing; the message gives no count. */
static void test_filters_disclosure(void **state)
{
    (void)state;
    Fixture f;
    fix_open(&f, false);
    Sdc *sdc = with_sdc(&f, 20, 10);
    fix_ok(&f, PERSONS);
    fix_fails(&f, "keep if inn < 10000", MD_ERR_DISCLOSURE, "");
    assert_null(strstr(f.err.message, "9"));
    assert_int_equal(fix_rows(&f), 40);
    fix_fails(&f, "drop if inn < 3000", MD_ERR_DISCLOSURE, "");
    assert_int_equal(fix_rows(&f), 40);
    fix_fails(&f, "recode inn (1000 = 5) (* = 1)", MD_ERR_DISCLOSURE, "");
    assert_true(fix_number(&f, "inn", 0) == 1000);
    fix_ok(&f, "recode inn (min/12000 = 5), prefix(r)");
    assert_true(fix_number(&f, "rinn", 0) == 5);
    fix_ok(&f, "keep if inn < 25000");
    assert_int_equal(fix_rows(&f), 24);
    fix_close(&f);
    sdc_free(sdc);
}

static void test_sort_pairs(void **state)
{
    (void)state;
    enum { N = 5000 };
    static SortPair pairs[N];
    Rng rng;
    rng_seed(&rng, 11);
    for (int64_t i = 0; i < N; i++) {
        uint64_t r = rng_next(&rng);
        /* small keys with many ties, and keys using every byte */
        pairs[i] = (SortPair){i % 3 == 0 ? r % 50 : r, i};
    }
    pairs[7].key = UINT64_MAX;
    cmd_sort_pairs(pairs, N);
    for (int64_t i = 1; i < N; i++) {
        assert_true(pairs[i - 1].key <= pairs[i].key);
        if (pairs[i - 1].key == pairs[i].key)
            assert_true(pairs[i - 1].row < pairs[i].row);
    }
    assert_true(pairs[N - 1].key == UINT64_MAX);
    assert_true(cmd_double_key(-1.5) < cmd_double_key(-0.0));
    assert_true(cmd_double_key(0.0) == cmd_double_key(-0.0));
    assert_true(cmd_double_key(2.0) < cmd_double_key(1e300));
    assert_true(cmd_double_key(1e300) < cmd_double_key(NAN));
    uint64_t id;
    assert_true(cmd_double_to_id(42, &id) && id == 42);
    assert_false(cmd_double_to_id(-1, &id));
    assert_false(cmd_double_to_id(1.5, &id));
    assert_false(cmd_double_to_id(NAN, &id));
}

/* date@panel values become variable names: each must be held by enough units. */
static void test_reshape_disclosure(void **state)
{
    (void)state;
    Fixture f;
    fix_open(&f, false);
    Sdc *sdc = with_sdc(&f, 20, 2);
    fix_ok(&f, PERSONS "keep k inn\nclone-variables inn -> l2022 inn -> l2023\ndrop inn\n"
                       "reshape-to-panel l\nrecode date@panel (2022 = 1) if l < 5000");
    fix_fails(&f, "reshape-from-panel", MD_ERR_DISCLOSURE, "too few units");
    assert_int_equal(workspace_active(f.ws)->shape, SHAPE_PANEL);
    fix_ok(&f, "recode date@panel (1 = 2022)\nreshape-from-panel");
    assert_non_null(dataset_column(workspace_active(f.ws), "l2023"));
    fix_close(&f);
    sdc_free(sdc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sort_pairs),
        cmocka_unit_test(test_keep_drop_rename_clone),
        cmocka_unit_test(test_collapse_every_statistic),
        cmocka_unit_test(test_collapse_by_text_and_id),
        cmocka_unit_test(test_aggregate),
        cmocka_unit_test(test_merge_pointers_and_errors),
        cmocka_unit_test(test_recode),
        cmocka_unit_test(test_destring),
        cmocka_unit_test(test_labels),
        cmocka_unit_test(test_sample_deterministic),
        cmocka_unit_test(test_reshape_round_trip),
        cmocka_unit_test(test_support_commands),
        cmocka_unit_test(test_filters_disclosure),
        cmocka_unit_test(test_reshape_disclosure),
    };
    return cmocka_run_group_tests(tests, NULL, fix_remove_all);
}
