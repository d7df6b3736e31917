/*
 * test_sdc_audit.c - the population audit (sdc rule R15): differencing by a few units is
 * refused, judged on units across datasets and data versions (C9); the log is hash-chained
 * and tampering is detected (G6); state survives a restart; the daily rate limit; parallel
 * processes of one user are serialised by the lock (C7); refusals carry no digits (B4);
 * the fast path of an output's selection whose population was released before.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "sdc_test_util.h"

#define BASE_N 2000

static uint64_t ids[BASE_N + 20];

static void fill_ids(void)
{
    for (int i = 0; i < BASE_N + 20; i++)
        ids[i] = 100000 + 3 * (uint64_t)i;
}

static MdStatus release(Sdc *s, const uint64_t *units, int64_t n, MdError *err)
{
    md_error_clear(err);
    return sdc_check_population_units(s, units, n, err);
}

/* Removes an audit log and the files beside it (unit lists, reconstruction budget). */
static void remove_log(const char *path)
{
    char sets[256], exposure[256];
    snprintf(sets, sizeof sets, "%s.sets", path);
    snprintf(exposure, sizeof exposure, "%s.exposure", path);
    remove(path);
    remove(sets);
    remove(exposure);
}

static void test_differencing_refused(void **state)
{
    (void)state;
    fill_ids();
    Sdc *s = test_sdc();
    MdError err;
    assert_int_equal(release(s, ids, BASE_N, &err), MD_OK);
    assert_int_equal(release(s, ids, BASE_N, &err), MD_OK); /* the same population again */
    /* leave out 1..9 units: refused */
    assert_int_equal(release(s, ids + 1, BASE_N - 1, &err), MD_ERR_DISCLOSURE);
    assert_false(has_digit(err.message));
    assert_non_null(strstr(err.message, "differencing"));
    assert_int_equal(release(s, ids + 9, BASE_N - 9, &err), MD_ERR_DISCLOSURE);
    /* add 5 units: refused */
    assert_int_equal(release(s, ids, BASE_N + 5, &err), MD_ERR_DISCLOSURE);
    /* swap one unit (same size, symmetric difference 2): refused */
    assert_int_equal(release(s, ids + 1, BASE_N, &err), MD_ERR_DISCLOSURE);
    /* 10 units fewer: allowed */
    assert_int_equal(release(s, ids + 10, BASE_N - 10, &err), MD_OK);
    /* a disjoint population of the same size: allowed */
    uint64_t other[BASE_N];
    for (int i = 0; i < BASE_N; i++)
        other[i] = 900000 + (uint64_t)i;
    assert_int_equal(release(s, other, BASE_N, &err), MD_OK);
    /* unsorted or repeated ids are a caller bug */
    uint64_t bad[3] = {5, 5, 6};
    assert_int_equal(release(s, bad, 3, &err), MD_ERR_INTERNAL);
    sdc_free(s);
}

static void test_cell_form_fails_closed(void **state)
{
    (void)state;
    Sdc *s = test_sdc();
    MdError err;
    SdcCell a = test_cell(s, 1, 1500), same = test_cell(s, 1, 1500);
    SdcCell near = test_cell(s, 3, 1495), far = test_cell(s, 1, 1600);
    md_error_clear(&err);
    assert_int_equal(sdc_check_population(s, &a, &err), MD_OK);
    assert_int_equal(sdc_check_population(s, &same, &err), MD_OK);
    /* without units a population of nearly the same size cannot be judged: refused */
    assert_int_equal(sdc_check_population(s, &near, &err), MD_ERR_DISCLOSURE);
    assert_false(has_digit(err.message));
    md_error_clear(&err);
    assert_int_equal(sdc_check_population(s, &far, &err), MD_OK);
    /* the units form is also cautious about a near release that has no unit list */
    uint64_t units[1505];
    for (int i = 0; i < 1505; i++)
        units[i] = 1000000 + (uint64_t)i;
    assert_int_equal(release(s, units, 1505, &err), MD_ERR_DISCLOSURE);
    assert_int_equal(release(s, units, 1300, &err), MD_OK);
    /* the units of a population first released as a cell fill in its list, after which a
     * far-enough population of nearly the same size is judged on units */
    uint64_t a_units[1500];
    for (int i = 0; i < 1500; i++)
        a_units[i] = 1 + (uint64_t)i;
    assert_int_equal(release(s, a_units, 1500, &err), MD_OK);
    assert_int_equal(release(s, units, 1305, &err), MD_ERR_DISCLOSURE); /* near 1300 */
    assert_int_equal(release(s, a_units + 3, 1497, &err), MD_ERR_DISCLOSURE);
    uint64_t disjoint[1502];
    for (int i = 0; i < 1502; i++)
        disjoint[i] = 7000000 + (uint64_t)i;
    assert_int_equal(release(s, disjoint, 1502, &err), MD_OK);
    sdc_free(s);
}

static void test_configured_difference(void **state)
{
    (void)state;
    fill_ids();
    SdcConfig cfg;
    sdc_config_default(&cfg);
    cfg.audit_min_difference = 20; /* G4 */
    Sdc *s = test_sdc_with(&cfg, false, NULL);
    MdError err;
    assert_int_equal(release(s, ids, BASE_N, &err), MD_OK);
    assert_int_equal(release(s, ids + 15, BASE_N - 15, &err), MD_ERR_DISCLOSURE);
    assert_int_equal(release(s, ids + 20, BASE_N - 20, &err), MD_OK);
    sdc_free(s);
    cfg.audit_min_difference = 0; /* off */
    s = test_sdc_with(&cfg, false, NULL);
    assert_int_equal(release(s, ids, BASE_N, &err), MD_OK);
    assert_int_equal(release(s, ids + 1, BASE_N - 1, &err), MD_OK);
    sdc_free(s);
}

static void test_across_data_versions_and_restart(void **state)
{
    (void)state;
    fill_ids();
    const char *path = "test_sdc_audit_c9.log";
    remove_log(path);
    Sdc *a = test_sdc_with(NULL, false, path);
    assert_non_null(a);
    MdError err;
    assert_int_equal(release(a, ids, BASE_N, &err), MD_OK);
    sdc_free(a);
    /* another data version, another process: the same persons are recognised (C9) */
    SdcOptions o;
    memset(&o, 0, sizeof o);
    sdc_config_default(&o.config);
    test_secret(o.secret);
    o.data_version = "no.ssb.fdb:2.0.0";
    o.audit_path = path;
    o.user = "tester";
    md_error_clear(&err);
    Sdc *b = sdc_new(&o, &err);
    assert_non_null(b);
    assert_int_equal(release(b, ids + 1, BASE_N - 1, &err), MD_ERR_DISCLOSURE);
    SdcCell same = test_cell(b, 0, 0);
    for (int i = 0; i < BASE_N; i++)
        sdc_cell_add(&same, ids[i], sdc_unit_key(b, ids[i]));
    md_error_clear(&err);
    assert_int_equal(sdc_check_population(b, &same, &err), MD_OK);
    sdc_free(b);
    md_error_clear(&err);
    assert_int_equal(sdc_audit_verify(path, &err), MD_OK);
    remove_log(path);
}

static char *read_file(const char *path, long *size)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    *size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = md_malloc((size_t)*size + 1);
    assert_int_equal(fread(buf, 1, (size_t)*size, f), (size_t)*size);
    buf[*size] = 0;
    fclose(f);
    return buf;
}

static void write_file(const char *path, const char *data, long size)
{
    FILE *f = fopen(path, "wb");
    fwrite(data, 1, (size_t)size, f);
    fclose(f);
}

static void test_hash_chain_and_tampering(void **state)
{
    (void)state;
    fill_ids();
    const char *path = "test_sdc_audit_chain.log";
    remove_log(path);
    Sdc *s = test_sdc_with(NULL, false, path);
    MdError err;
    sdc_audit_set_day(s, 20000);
    assert_int_equal(release(s, ids, BASE_N, &err), MD_OK);
    assert_int_equal(release(s, ids + 2, BASE_N - 2, &err), MD_ERR_DISCLOSURE);
    md_error_clear(&err);
    assert_int_equal(sdc_count_output(s, &err), MD_OK);
    md_error_clear(&err);
    assert_int_equal(sdc_check_change(s, 3, 5000, &err), MD_ERR_DISCLOSURE);
    SdcCell sparse[2] = {test_cell(s, 1, 2), test_cell(s, 10, 3)};
    md_error_clear(&err);
    assert_int_equal(sdc_check_table(s, sparse, 2, &err), MD_ERR_DISCLOSURE);
    sdc_free(s);
    long size;
    char *log = read_file(path, &size);
    assert_non_null(strstr(log, "{\"seq\":1,\"prev\":\"0000000000000000000000000000000000000"
                                "000000000000000000000000000\",\"user\":\"tester\",\"day\":"
                                "20000,\"event\":\"population\",\"fingerprint\":\""));
    assert_non_null(strstr(log, "\"decision\":\"refused R15\""));
    assert_non_null(strstr(log, "{\"seq\":3,"));
    assert_non_null(strstr(log, "\"event\":\"output\",\"decision\":\"counted\"}\n"));
    assert_non_null(strstr(log, "\"event\":\"change\",\"decision\":\"refused R2\"}\n"));
    assert_non_null(strstr(log, "{\"seq\":5,"));
    assert_non_null(strstr(log, "\"event\":\"table\",\"decision\":\"refused R6\"}\n"));
    md_error_clear(&err);
    assert_int_equal(sdc_audit_verify(path, &err), MD_OK);
    /* change one byte of the first record */
    char *tampered = md_malloc((size_t)size + 1);
    memcpy(tampered, log, (size_t)size + 1);
    char *decision = strstr(tampered, "\"released\"");
    assert_non_null(decision);
    decision[1] = 'R';
    write_file(path, tampered, size);
    md_error_clear(&err);
    assert_int_equal(sdc_audit_verify(path, &err), MD_ERR_VALUE);
    assert_non_null(strstr(err.message, "hash chain"));
    md_error_clear(&err);
    assert_null(test_sdc_with(NULL, false, path)); /* releases stop on a broken log */
    /* drop the middle record */
    char *second = strchr(log, '\n') + 1;
    char *third = strchr(second, '\n') + 1;
    memcpy(tampered, log, (size_t)(second - log));
    memcpy(tampered + (second - log), third, (size_t)(size - (third - log)));
    write_file(path, tampered, size - (third - second));
    md_error_clear(&err);
    assert_int_equal(sdc_audit_verify(path, &err), MD_ERR_VALUE);
    /* cut the last line short */
    write_file(path, log, size - 3);
    md_error_clear(&err);
    assert_int_equal(sdc_audit_verify(path, &err), MD_ERR_VALUE);
    /* the intact log again */
    write_file(path, log, size);
    md_error_clear(&err);
    assert_int_equal(sdc_audit_verify(path, &err), MD_OK);
    md_free(tampered);
    md_free(log);
    remove_log(path);
}

static void test_damaged_sets_file(void **state)
{
    (void)state;
    fill_ids();
    const char *path = "test_sdc_audit_sets.log";
    remove_log(path);
    Sdc *s = test_sdc_with(NULL, false, path);
    MdError err;
    assert_int_equal(release(s, ids, BASE_N, &err), MD_OK);
    sdc_free(s);
    /* cut the stored unit list short: a near population cannot be judged, so it is refused
     * with an error rather than allowed */
    FILE *f = fopen("test_sdc_audit_sets.log.sets", "r+b");
    assert_non_null(f);
    assert_int_equal(ftruncate(fileno(f), 100), 0);
    fclose(f);
    s = test_sdc_with(NULL, false, path);
    assert_int_not_equal(release(s, ids + 1, BASE_N - 1, &err), MD_OK);
    assert_int_equal(err.status, MD_ERR_VALUE);
    assert_non_null(strstr(err.message, "not intact"));
    /* a far population does not need the list and is still judged */
    uint64_t far[1500];
    for (int i = 0; i < 1500; i++)
        far[i] = 5000000 + (uint64_t)i;
    assert_int_equal(release(s, far, 1500, &err), MD_OK);
    sdc_free(s);
    remove_log(path);
}

/* The stored lists round-trip through their compressed form at a larger size. */
static void test_large_population_lists(void **state)
{
    (void)state;
    enum { BIG = 200000 };
    const char *path = "test_sdc_audit_big.log";
    remove_log(path);
    uint64_t *big = md_malloc(BIG * sizeof *big);
    for (int i = 0; i < BIG; i++)
        big[i] = 1000000 + 7 * (uint64_t)i;
    Sdc *s = test_sdc_with(NULL, false, path);
    MdError err;
    assert_int_equal(release(s, big, BIG, &err), MD_OK);
    sdc_free(s);
    s = test_sdc_with(NULL, false, path); /* read back from disk */
    assert_int_equal(release(s, big + 5, BIG - 5, &err), MD_ERR_DISCLOSURE);
    assert_int_equal(release(s, big, BIG - 9, &err), MD_ERR_DISCLOSURE);
    big[BIG / 2] += 3; /* swap one unit for another: symmetric difference 2 */
    assert_int_equal(release(s, big, BIG, &err), MD_ERR_DISCLOSURE);
    assert_int_equal(release(s, big + 10, BIG - 10, &err), MD_OK);
    sdc_free(s);
    FILE *f = fopen("test_sdc_audit_big.log.sets", "rb");
    fseek(f, 0, SEEK_END);
    long bytes = ftell(f);
    fclose(f);
    /* two lists of about three bytes per unit (gaps near 2^32 / n need 3 varint bytes) */
    assert_true(bytes < 2 * (20 + 3 * BIG + BIG / 10));
    assert_true(bytes > 2 * 2 * BIG);
    md_free(big);
    remove_log(path);
}

static void test_rate_limit(void **state)
{
    (void)state;
    SdcConfig cfg;
    sdc_config_default(&cfg);
    cfg.rate_limit_per_day = 3;
    const char *path = "test_sdc_audit_rate.log";
    remove_log(path);
    Sdc *s = test_sdc_with(&cfg, false, path);
    sdc_audit_set_day(s, 20500);
    MdError err;
    for (int i = 0; i < 3; i++) {
        md_error_clear(&err);
        assert_int_equal(sdc_count_output(s, &err), MD_OK);
    }
    md_error_clear(&err);
    assert_int_equal(sdc_count_output(s, &err), MD_ERR_LIMIT);
    assert_false(has_digit(err.message));
    sdc_free(s);
    /* a restart does not reset the count; the next day does */
    s = test_sdc_with(&cfg, false, path);
    sdc_audit_set_day(s, 20500);
    md_error_clear(&err);
    assert_int_equal(sdc_count_output(s, &err), MD_ERR_LIMIT);
    sdc_audit_set_day(s, 20501);
    md_error_clear(&err);
    assert_int_equal(sdc_count_output(s, &err), MD_OK);
    sdc_free(s);
    /* trusted mode counts nothing and refuses nothing */
    Sdc *t = test_sdc_with(&cfg, true, NULL);
    for (int i = 0; i < 10; i++)
        assert_int_equal(sdc_count_output(t, &err), MD_OK);
    uint64_t few[2] = {1, 2};
    assert_int_equal(sdc_check_population_units(t, few, 2, &err), MD_OK);
    sdc_free(t);
    remove_log(path);
}

/* C7: two processes release the halves of a differencing pair at the same moment. */
static void test_parallel_processes_serialised(void **state)
{
    (void)state;
    fill_ids();
    const char *path = "test_sdc_audit_parallel.log";
    for (int round = 0; round < 5; round++) {
        remove_log(path);
        pid_t pids[2];
        for (int k = 0; k < 2; k++) {
            pids[k] = fork();
            assert_true(pids[k] >= 0);
            if (pids[k] == 0) {
                Sdc *s = test_sdc_with(NULL, false, path);
                MdError err;
                MdStatus st = s ? release(s, ids + k * 3, BASE_N - k * 3, &err) : MD_ERR_IO;
                for (int i = 0; s && i < 20; i++) {
                    md_error_clear(&err);
                    if (sdc_count_output(s, &err) != MD_OK)
                        st = MD_ERR_INTERNAL;
                }
                sdc_free(s);
                _exit(st == MD_OK ? 0 : st == MD_ERR_DISCLOSURE ? 1 : 2);
            }
        }
        int ok = 0, refused = 0;
        for (int k = 0; k < 2; k++) {
            int status;
            waitpid(pids[k], &status, 0);
            assert_true(WIFEXITED(status));
            ok += WEXITSTATUS(status) == 0;
            refused += WEXITSTATUS(status) == 1;
        }
        assert_int_equal(ok, 1);
        assert_int_equal(refused, 1);
        MdError err;
        md_error_clear(&err);
        assert_int_equal(sdc_audit_verify(path, &err), MD_OK);
        long size;
        char *log = read_file(path, &size);
        assert_non_null(strstr(log, "{\"seq\":42,"));
        assert_null(strstr(log, "{\"seq\":43,"));
        md_free(log);
    }
    remove_log(path);
}

/* sdc_check_population_selection: a population released before with its units is
 * recorded from the selection's contributor set alone; anything else gets the full check
 * on the rows, so a near population is still refused and a new one is still released. */
static void test_population_selection(void **state)
{
    (void)state;
    fill_ids();
    Sdc *s = test_sdc();
    SdcCell all, fewer;
    sdc_cell_init(&all);
    sdc_cell_init(&fewer);
    uint8_t *mask = md_malloc(BASE_N);
    for (int64_t i = 0; i < BASE_N; i++) {
        mask[i] = (uint8_t)(i >= 3);
        sdc_cell_add(&all, ids[i], sdc_unit_key(s, ids[i]));
        if (mask[i])
            sdc_cell_add(&fewer, ids[i], sdc_unit_key(s, ids[i]));
    }
    MdError err;
    md_error_clear(&err);
    /* first time: the full check on the rows releases it and keeps its units */
    assert_int_equal(sdc_check_population_selection(s, &all, ids, NULL, BASE_N, &err), MD_OK);
    /* again: the fast path (the same fingerprint and size) */
    assert_int_equal(sdc_check_population_selection(s, &all, ids, NULL, BASE_N, &err), MD_OK);
    /* three units fewer: not known, so the rows are checked and the difference refused */
    assert_int_equal(sdc_check_population_selection(s, &fewer, ids, mask, BASE_N, &err),
                     MD_ERR_DISCLOSURE);
    assert_false(has_digit(err.message));
    /* below the floor: refused by R1 */
    SdcCell tiny;
    sdc_cell_init(&tiny);
    for (int64_t i = 0; i < 20; i++)
        sdc_cell_add(&tiny, ids[i], sdc_unit_key(s, ids[i]));
    md_error_clear(&err);
    assert_int_equal(sdc_check_population_selection(s, &tiny, ids, NULL, 20, &err),
                     MD_ERR_DISCLOSURE);
    md_free(mask);
    sdc_free(s);
}

static void test_population_from_rows(void **state)
{
    (void)state;
    fill_ids();
    Sdc *s = test_sdc();
    /* three rows per unit, every unit selected: the same population as its distinct ids */
    int64_t n_rows = 3 * BASE_N;
    uint64_t *rows = md_malloc((size_t)n_rows * sizeof *rows);
    uint8_t *mask = md_malloc((size_t)n_rows);
    for (int64_t i = 0; i < n_rows; i++) {
        rows[i] = ids[i / 3];
        mask[i] = 1;
    }
    MdError err;
    md_error_clear(&err);
    assert_int_equal(sdc_check_population_rows(s, rows, mask, n_rows, &err), MD_OK);
    assert_int_equal(release(s, ids, BASE_N, &err), MD_OK); /* identical */
    /* deselect every row of four units: refused as a small difference */
    for (int64_t i = 0; i < 12; i++)
        mask[i] = 0;
    md_error_clear(&err);
    assert_int_equal(sdc_check_population_rows(s, rows, mask, n_rows, &err),
                     MD_ERR_DISCLOSURE);
    /* deselecting only some rows of a unit keeps the unit */
    for (int64_t i = 0; i < 12; i++)
        mask[i] = (uint8_t)(i % 3 == 0);
    md_error_clear(&err);
    assert_int_equal(sdc_check_population_rows(s, rows, mask, n_rows, &err), MD_OK);
    md_error_clear(&err);
    assert_int_equal(sdc_check_population_rows(s, rows, NULL, 999 * 3, &err),
                     MD_ERR_DISCLOSURE);
    assert_false(has_digit(err.message));
    rows[5] = 1; /* not sorted */
    md_error_clear(&err);
    assert_int_equal(sdc_check_population_rows(s, rows, NULL, n_rows, &err), MD_ERR_INTERNAL);
    md_free(mask);
    md_free(rows);
    sdc_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_differencing_refused),
        cmocka_unit_test(test_cell_form_fails_closed),
        cmocka_unit_test(test_configured_difference),
        cmocka_unit_test(test_across_data_versions_and_restart),
        cmocka_unit_test(test_hash_chain_and_tampering),
        cmocka_unit_test(test_damaged_sets_file),
        cmocka_unit_test(test_large_population_lists),
        cmocka_unit_test(test_rate_limit),
        cmocka_unit_test(test_parallel_processes_serialised),
        cmocka_unit_test(test_population_selection),
        cmocka_unit_test(test_population_from_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
