/*
 * test_engine_commands_faults.c - "a failed command changes nothing", tested by fault
 * injection: every data command is run with the Nth allocation failing, for N = 0, 1, 2 ...
 * until it succeeds; after each failure the whole workspace (datasets, rows, columns and
 * their values, label lists, active dataset) must be exactly as before, and nothing may
 * leak.
 */
#include "commands_fixture.h"

#define PRELUDE "require no.ssb.fdb:1 as db\ncreate-dataset jobs\nimport db/JPERS as per\n" \
                "import db/JLONN as pay\ncreate-dataset p\nimport db/KJOENN as k\n"        \
                "import db/INNT 2022-12-31 as inn\nimport db/FAMNR as fam\n"               \
                "define-labels kl '1' Mann '2' Kvinne\n"

/* A fingerprint of everything a command may change. */
static uint64_t snapshot(const Workspace *ws)
{
    uint64_t h = md_hash_u64((uint64_t)ws->active + 7);
    h ^= md_hash_u64((uint64_t)ws->n_label_lists * 31 + (uint64_t)ws->n_datasets);
    for (int32_t d = 0; d < ws->n_datasets; d++) {
        const Dataset *ds = ws->datasets[d];
        h = md_hash_bytes(ds->name, strlen(ds->name), h);
        h = md_hash_u64(h ^ (uint64_t)ds->n_rows ^ ((uint64_t)ds->shape << 40));
        if (ds->n_rows > 0)
            h = md_hash_bytes(ds->unit_ids, (size_t)ds->n_rows * sizeof(uint64_t), h);
        for (int32_t k = 0; k < ds->n_columns; k++) {
            const Column *c = ds->columns[k];
            h = md_hash_bytes(c->name, strlen(c->name), h);
            if (c->label_list)
                h = md_hash_bytes(c->label_list, strlen(c->label_list), h);
            h = md_hash_u64(h ^ (uint64_t)c->n_user_missing);
            if (ds->n_rows > 0 && c->type == COLUMN_NUMBER)
                h = md_hash_bytes(c->numbers, (size_t)ds->n_rows * sizeof(double), h);
            else if (ds->n_rows > 0)
                h = md_hash_bytes(c->codes, (size_t)ds->n_rows * sizeof(uint32_t), h);
        }
    }
    for (int32_t i = 0; i < ws->n_label_lists; i++) {
        const LabelList *l = ws->label_lists[i];
        h = md_hash_bytes(l->name, strlen(l->name), h);
        for (int32_t k = 0; k < l->n; k++)
            h = md_hash_bytes(l->labels[k], strlen(l->labels[k]), h);
    }
    return h;
}

/* Runs command with allocation N failing until it succeeds; checks nothing changed. */
static void run_with_faults(const char *setup, const char *command)
{
    Fixture f;
    fix_open(&f, false);
    fix_ok(&f, PRELUDE);
    if (setup)
        fix_ok(&f, setup);
    result_doc_free(f.doc);
    f.doc = result_doc_new();
    int64_t live = md_mem_live_allocations();
    uint64_t before = snapshot(f.ws);
    int32_t failures = 0;
    for (int64_t n = 0; n < 100000; n++) {
        md_mem_fail_after(n);
        MdStatus status = fix_run(&f, command);
        md_mem_fail_after(-1);
        if (status == MD_OK)
            break;
        if (snapshot(f.ws) != before)
            fprintf(stderr, "'%s' changed the workspace when allocation %lld failed (%s)\n",
                    command, (long long)n, f.err.message);
        assert_true(snapshot(f.ws) == before);
        failures++;
        /* the result document grows by at most one error entry: start a fresh one */
        result_doc_free(f.doc);
        f.doc = result_doc_new();
        if (md_mem_live_allocations() != live)
            fprintf(stderr, "'%s' leaked when allocation %lld failed\n", command,
                    (long long)n);
        assert_int_equal(md_mem_live_allocations(), live);
    }
    assert_true(failures > 0);
    assert_true(snapshot(f.ws) != before);
    fix_close(&f);
}

static void test_faults_datasets(void **state)
{
    (void)state;
    run_with_faults(NULL, "clone-dataset p q");
    run_with_faults(NULL, "clone-units p q");
    run_with_faults(NULL, "create-dataset q");
    run_with_faults(NULL, "rename-dataset p q");
}

static void test_faults_imports(void **state)
{
    (void)state;
    /* the store maps a variable's files on first use: warm that cache first */
    run_with_faults("create-dataset w\nimport db/STAT 2024-01-01\nuse p",
                    "import db/STAT 2024-01-01 as st");
    run_with_faults("create-dataset w\nimport db/INNT 2023-01-01\nuse p",
                    "import db/INNT 2023-01-01 as i2, outer_join");
    run_with_faults("create-dataset w\nimport-event db/SIV 2020-01-01 to 2023-12-31\n"
                    "create-dataset e", "import-event db/SIV 2020-01-01 to 2023-12-31 as s");
    run_with_faults("create-dataset w\nimport db/INNT 2023-01-01\nclone-units p q\nuse q",
                    "import-panel db/INNT db/KJOENN 2022-01-01 2023-01-01");
}

static void test_faults_preparation(void **state)
{
    (void)state;
    run_with_faults(NULL, "keep if inn > 3000");
    run_with_faults(NULL, "drop k fam");
    run_with_faults(NULL, "clone-variables inn -> i2 k -> k2");
    run_with_faults(NULL, "collapse (sum) inn (median) inn -> m (count) k -> n, by(fam)");
    run_with_faults(NULL, "collapse (count) inn, by(k)");
    run_with_faults(NULL, "aggregate (mean) inn -> fm (gini) inn -> g, by(fam)");
    run_with_faults(NULL, "merge k inn into jobs on per");
    run_with_faults(NULL, "recode inn (min/5000 = 1 'low') (missing = 9 'none' missing)");
    run_with_faults(NULL, "recode k ('1' = 'M'), prefix(r_)");
    run_with_faults(NULL, "destring k, prefix(n_)");
    run_with_faults(NULL, "sample 10 3");
    run_with_faults(NULL, "define-labels x 1 a 2 b");
    run_with_faults(NULL, "assign-labels k kl");
    run_with_faults(NULL, "drop-labels kl");
}

static void test_faults_reshape(void **state)
{
    (void)state;
    run_with_faults("clone-variables inn -> l2022 inn -> l2023\ndrop inn", "reshape-to-panel l");
    run_with_faults("clone-variables inn -> l2022 inn -> l2023\ndrop inn\nreshape-to-panel l",
                    "reshape-from-panel");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_faults_datasets),
        cmocka_unit_test(test_faults_imports),
        cmocka_unit_test(test_faults_preparation),
        cmocka_unit_test(test_faults_reshape),
    };
    return cmocka_run_group_tests(tests, NULL, fix_remove_all);
}
