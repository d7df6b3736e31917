/*
 * test_sdc_exposure.c - the reconstruction budget (sdc rule R15b, attack D1): each released
 * cell adds 1/(size + 4V) to its units' exposure, once per contributor set, cells below
 * low_count nothing, a cell nested in one earlier cell the difference; a release that would
 * pass the budget is refused, changes nothing, is flagged in the audit log and says no
 * number; margins are free; units with several rows pay once per cell; the audit charges
 * populations and flags a refused one; the state and the charged sets persist in the file
 * beside the audit log; budget 0 and trusted mode charge nothing; slot collisions only
 * over-count; two processes of one user charging at once both land (C7).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "sdc_test_util.h"

#define N 1000
#define ONE_ULP (1.0 / (double)(1u << SDC_EXPOSURE_FIXED_BITS))

/* The charge of a cell of n units with the default noise variance 1. */
static double share(int64_t n)
{
    return 1.0 / ((double)n + 4.0);
}

static uint64_t ids[N];
static int32_t map[N];

static Sdc *budget_sdc(double budget, const char *audit)
{
    SdcConfig c;
    sdc_config_default(&c);
    c.exposure_budget = budget;
    Sdc *s = test_sdc_with(&c, false, audit);
    assert_non_null(s);
    if (audit) {
        MdError err;
        md_error_clear(&err);
        assert_int_equal(sdc_exposure_use_file(s, audit, &err), MD_OK);
    }
    return s;
}

static void done(Sdc *s)
{
    sdc_exposure_close(s);
    sdc_free(s);
}

/* Cells of units 1..N: unit i goes to cell (i * mult) % n_cells. */
static void partition(const Sdc *s, SdcCell *cells, int32_t n_cells, int32_t mult)
{
    for (int32_t c = 0; c < n_cells; c++)
        sdc_cell_init(&cells[c]);
    for (int32_t i = 0; i < N; i++) {
        ids[i] = (uint64_t)i + 1;
        map[i] = (int32_t)(((int64_t)i * mult) % n_cells);
        sdc_cell_add(&cells[map[i]], ids[i], sdc_unit_key(s, ids[i]));
    }
}

static MdStatus charge(Sdc *s, SdcCell *cells, int32_t n_cells, MdError *err)
{
    md_error_clear(err);
    return sdc_charge_cells(s, cells, n_cells, map, ids, N, err);
}

static void test_partition_charges_once(void **state)
{
    (void)state;
    Sdc *s = budget_sdc(1.0, NULL);
    SdcCell cells[40];
    MdError err;
    partition(s, cells, 40, 1); /* 40 cells of 25 units: 1/29 each */
    assert_int_equal(charge(s, cells, 40, &err), MD_OK);
    for (int i = 0; i < N; i += 97)
        assert_true(fabs(sdc_exposure_of(s, ids[i]) - share(25)) <= ONE_ULP);
    /* the same cells again (same contributor sets, same noise): nothing new */
    assert_int_equal(charge(s, cells, 40, &err), MD_OK);
    assert_true(fabs(sdc_exposure_of(s, ids[5]) - share(25)) <= ONE_ULP);
    /* another partition into 20 cells of 50: + 1/54 */
    partition(s, cells, 20, 3);
    assert_int_equal(charge(s, cells, 20, &err), MD_OK);
    assert_true(fabs(sdc_exposure_of(s, ids[5]) - share(25) - share(50)) <= 2 * ONE_ULP);
    /* 250 cells of 4 units (below low_count, shown as "<5"): not charged */
    static SdcCell tiny[250];
    partition(s, tiny, 250, 1);
    assert_int_equal(charge(s, tiny, 250, &err), MD_OK);
    assert_true(fabs(sdc_exposure_of(s, ids[5]) - share(25) - share(50)) <= 2 * ONE_ULP);
    /* a unit outside every release */
    assert_true(sdc_exposure_of(s, 5000) == 0.0);
    done(s);
}

static void test_over_budget_refused_unchanged(void **state)
{
    (void)state;
    char path[] = "test_sdc_exposure_refusal.audit";
    remove(path);
    Sdc *s = budget_sdc(0.1, path);
    SdcCell cells[100];
    MdError err;
    partition(s, cells, 40, 1); /* 1/29 */
    assert_int_equal(charge(s, cells, 40, &err), MD_OK);
    partition(s, cells, 20, 7); /* 1/54: 0.053 in all */
    assert_int_equal(charge(s, cells, 20, &err), MD_OK);
    double before[N];
    for (int i = 0; i < N; i++)
        before[i] = sdc_exposure_of(s, ids[i]);
    partition(s, cells, 100, 11); /* 1/14 more: past the budget */
    assert_int_equal(charge(s, cells, 100, &err), MD_ERR_DISCLOSURE);
    assert_false(has_digit(err.message));
    assert_non_null(strstr(err.message, "reconstruction-budget rule"));
    assert_non_null(strstr(err.hint, "R15"));
    for (int i = 0; i < N; i++)
        assert_true(sdc_exposure_of(s, ids[i]) == before[i]);
    /* a refused table is not recorded as charged: after a raise it is charged in full */
    done(s);
    s = budget_sdc(0.5, path);
    partition(s, cells, 100, 11);
    assert_int_equal(charge(s, cells, 100, &err), MD_OK);
    assert_true(fabs(sdc_exposure_of(s, ids[3]) - share(25) - share(50) - share(10)) <=
                3 * ONE_ULP);
    done(s);
    /* flagged in the audit log */
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char text[8192];
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = 0;
    fclose(f);
    assert_non_null(strstr(text, "\"event\":\"exposure\""));
    assert_non_null(strstr(text, "\"decision\":\"refused R15b flagged\""));
    md_error_clear(&err);
    assert_int_equal(sdc_audit_verify(path, &err), MD_OK);
    char extra[300];
    remove(path);
    snprintf(extra, sizeof extra, "%s.sets", path);
    remove(extra);
    snprintf(extra, sizeof extra, "%s.exposure", path);
    remove(extra);
}

/* The audit charges the populations it releases and logs a refusal as flagged. */
static void test_audit_charges_populations(void **state)
{
    (void)state;
    char path[] = "test_sdc_exposure_audit.audit";
    char extra[300];
    remove(path);
    Sdc *s = budget_sdc(0.0015, path); /* room for one population of 1000, not two */
    static uint64_t a[N], b[N];
    for (int i = 0; i < N; i++) {
        a[i] = 1 + (uint64_t)i;         /* 1..1000 */
        b[i] = 501 + (uint64_t)i;       /* 501..1500: crosses a */
    }
    MdError err;
    md_error_clear(&err);
    assert_int_equal(sdc_check_population_units(s, a, N, &err), MD_OK);
    assert_true(fabs(sdc_exposure_of(s, 1) - share(N)) <= ONE_ULP);
    assert_int_equal(sdc_check_population_units(s, a, N, &err), MD_OK); /* the same: free */
    assert_int_equal(sdc_check_population_units(s, b, N, &err), MD_ERR_DISCLOSURE);
    assert_non_null(strstr(err.message, "reconstruction-budget rule"));
    assert_false(has_digit(err.message));
    assert_true(sdc_exposure_of(s, 1000) == sdc_exposure_of(s, 1));
    assert_true(sdc_exposure_of(s, 1400) == 0.0);
    done(s);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char text[8192];
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = 0;
    fclose(f);
    assert_non_null(strstr(text, "\"decision\":\"refused R15b flagged\""));
    md_error_clear(&err);
    assert_int_equal(sdc_audit_verify(path, &err), MD_OK);
    remove(path);
    snprintf(extra, sizeof extra, "%s.sets", path);
    remove(extra);
    snprintf(extra, sizeof extra, "%s.exposure", path);
    remove(extra);
}

/* A margin (a cell no row maps to) is not charged, and counts as charged afterwards. */
static void test_margins_free(void **state)
{
    (void)state;
    Sdc *s = budget_sdc(1.0, NULL);
    SdcCell cells[3];
    MdError err;
    partition(s, cells, 2, 1); /* units i % 2: two cells of 500 */
    cells[2] = cells[0];
    sdc_cell_merge(&cells[2], &cells[1]); /* their total: all 1000 units */
    assert_int_equal(charge(s, cells, 3, &err), MD_OK);
    assert_true(fabs(sdc_exposure_of(s, ids[0]) - share(500)) <= ONE_ULP);
    /* the total as a cell of its own later: known */
    SdcCell total = cells[2];
    for (int i = 0; i < N; i++)
        map[i] = 0;
    assert_int_equal(charge(s, &total, 1, &err), MD_OK);
    assert_true(fabs(sdc_exposure_of(s, ids[0]) - share(500)) <= ONE_ULP);
    done(s);
}

static void test_rows_of_one_unit_pay_once_per_cell(void **state)
{
    (void)state;
    Sdc *s = budget_sdc(1.0, NULL);
    /* units 1..100 with three rows each; unit 1's rows fall in cells 0, 0, 1 */
    static uint64_t rows[300];
    static int32_t cell_of[300];
    SdcCell cells[2];
    sdc_cell_init(&cells[0]);
    sdc_cell_init(&cells[1]);
    for (int i = 0; i < 300; i++) {
        rows[i] = (uint64_t)(i / 3) + 1;
        cell_of[i] = i / 3 < 50 ? 0 : 1;
        if (i == 2)
            cell_of[i] = 1;
        sdc_cell_add(&cells[cell_of[i]], rows[i], sdc_unit_key(s, rows[i]));
    }
    /* cell 0 has units 1..50 (50), cell 1 has unit 1 and 51..100 (51) */
    assert_int_equal(cells[0].n_units, 50);
    assert_int_equal(cells[1].n_units, 51);
    MdError err;
    md_error_clear(&err);
    assert_int_equal(sdc_charge_cells(s, cells, 2, cell_of, rows, 300, &err), MD_OK);
    assert_true(fabs(sdc_exposure_of(s, 2) - share(50)) <= ONE_ULP);
    assert_true(fabs(sdc_exposure_of(s, 60) - share(51)) <= ONE_ULP);
    assert_true(fabs(sdc_exposure_of(s, 1) - share(50) - share(51)) <= 2 * ONE_ULP);
    done(s);
}

static void test_population_charged_once(void **state)
{
    (void)state;
    Sdc *s = budget_sdc(0.01, NULL); /* a population of 100 (1/104) would pass it */
    for (int i = 0; i < N; i++)
        ids[i] = 10 + 2 * (uint64_t)i;
    SdcCell pop = test_cell(s, 0, 0);
    for (int i = 0; i < N; i++)
        sdc_cell_add(&pop, ids[i], sdc_unit_key(s, ids[i]));
    MdError err;
    md_error_clear(&err);
    assert_int_equal(sdc_exposure_charge_population(s, ids, N, pop.set_hash, &err), MD_OK);
    assert_true(fabs(sdc_exposure_of(s, ids[7]) - share(N)) <= ONE_ULP);
    for (int k = 0; k < 20; k++) /* the same population: free */
        assert_int_equal(sdc_exposure_charge_population(s, ids, N, pop.set_hash, &err), MD_OK);
    assert_true(fabs(sdc_exposure_of(s, ids[7]) - share(N)) <= ONE_ULP);
    /* 100 of them (nested in the first): pays 1/104 - 1/1004, so 1/104 in all */
    SdcCell small = test_cell(s, 0, 0);
    for (int i = 0; i < 100; i++)
        sdc_cell_add(&small, ids[i], sdc_unit_key(s, ids[i]));
    assert_int_equal(sdc_exposure_charge_population(s, ids, 100, small.set_hash, &err),
                     MD_OK);
    assert_true(fabs(sdc_exposure_of(s, ids[7]) - share(100)) <= 2 * ONE_ULP);
    assert_true(fabs(sdc_exposure_of(s, ids[700]) - share(N)) <= ONE_ULP);
    /* 100 that cross it (units 50..149, not nested in one earlier set): 1/104 more would
     * pass the budget: refused, nothing changed */
    SdcCell cross = test_cell(s, 0, 0);
    for (int i = 50; i < 150; i++)
        sdc_cell_add(&cross, ids[i], sdc_unit_key(s, ids[i]));
    assert_int_equal(sdc_exposure_charge_population(s, ids + 50, 100, cross.set_hash, &err),
                     MD_ERR_DISCLOSURE);
    assert_true(fabs(sdc_exposure_of(s, ids[7]) - share(100)) <= 2 * ONE_ULP);
    assert_true(fabs(sdc_exposure_of(s, ids[120]) - share(N)) <= ONE_ULP);
    done(s);
}

static void test_nested_cells_pay_the_difference(void **state)
{
    (void)state;
    Sdc *s = budget_sdc(1.0, NULL);
    SdcCell cells[80];
    MdError err;
    partition(s, cells, 20, 1); /* 20 cells of 50: units i with i % 20 == c */
    assert_int_equal(charge(s, cells, 20, &err), MD_OK);
    assert_true(fabs(sdc_exposure_of(s, ids[0]) - share(50)) <= ONE_ULP);
    /* a drill-down: each cell split in four (i % 80 refines i % 20): pays the difference */
    partition(s, cells, 80, 1);
    assert_int_equal(charge(s, cells, 80, &err), MD_OK);
    assert_true(fabs(sdc_exposure_of(s, ids[0]) - share(13)) <= 2 * ONE_ULP);
    assert_true(fabs(sdc_exposure_of(s, ids[79]) - share(12)) <= 2 * ONE_ULP);
    /* the coarse cells again: known, free; a crossing partition (i % 7): full charge */
    partition(s, cells, 20, 1);
    assert_int_equal(charge(s, cells, 20, &err), MD_OK);
    assert_true(fabs(sdc_exposure_of(s, ids[0]) - share(13)) <= 2 * ONE_ULP);
    for (int i = 0; i < N; i++)
        map[i] = i % 7;
    for (int c = 0; c < 7; c++)
        sdc_cell_init(&cells[c]);
    for (int i = 0; i < N; i++)
        sdc_cell_add(&cells[map[i]], ids[i], sdc_unit_key(s, ids[i]));
    assert_int_equal(charge(s, cells, 7, &err), MD_OK);
    assert_true(fabs(sdc_exposure_of(s, ids[0]) - share(13) - share(143)) <= 3 * ONE_ULP);
    done(s);
}

static void test_state_persists_in_file(void **state)
{
    (void)state;
    char path[] = "test_sdc_exposure_persist.audit";
    char file[300];
    snprintf(file, sizeof file, "%s.exposure", path);
    remove(path);
    remove(file);
    SdcCell cells[40];
    MdError err;
    Sdc *s = budget_sdc(1.0, path);
    partition(s, cells, 40, 1);
    assert_int_equal(charge(s, cells, 40, &err), MD_OK);
    done(s);
    s = budget_sdc(1.0, path); /* a later run of the same user */
    partition(s, cells, 40, 1);
    assert_int_equal(charge(s, cells, 40, &err), MD_OK); /* known sets: free */
    assert_true(fabs(sdc_exposure_of(s, ids[9]) - share(25)) <= ONE_ULP);
    partition(s, cells, 20, 3);
    assert_int_equal(charge(s, cells, 20, &err), MD_OK);
    assert_true(fabs(sdc_exposure_of(s, ids[9]) - share(25) - share(50)) <= 2 * ONE_ULP);
    done(s);
    /* a damaged file stops releases with a clear error */
    FILE *f = fopen(file, "r+b");
    assert_non_null(f);
    fputs("XXXX", f);
    fclose(f);
    s = budget_sdc(1.0, path);
    partition(s, cells, 40, 1);
    assert_int_equal(charge(s, cells, 40, &err), MD_ERR_IO);
    assert_non_null(strstr(err.message, "exposure file"));
    done(s);
    remove(path);
    remove(file);
    snprintf(file, sizeof file, "%s.sets", path);
    remove(file);
}

static void test_off_trusted_and_collisions(void **state)
{
    (void)state;
    SdcCell cells[100];
    MdError err;
    Sdc *s = budget_sdc(0.0, NULL); /* off */
    partition(s, cells, 100, 1);
    for (int k = 0; k < 200; k++)
        assert_int_equal(charge(s, cells, 100, &err), MD_OK);
    assert_true(sdc_exposure_of(s, ids[0]) == 0.0);
    done(s);
    SdcConfig c;
    sdc_config_default(&c);
    c.exposure_budget = 0.001;
    s = test_sdc_with(&c, true, NULL); /* trusted */
    partition(s, cells, 100, 1);
    assert_int_equal(charge(s, cells, 100, &err), MD_OK);
    done(s);
    /* units u and u + 2^slot_bits share a slot: their charges add up (conservative) */
    s = budget_sdc(1.0, NULL);
    uint64_t two[2] = {7, 7 + ((uint64_t)1 << SDC_EXPOSURE_SLOT_BITS)};
    int32_t cell_of[2] = {0, 1};
    SdcCell pair[2];
    sdc_cell_init(&pair[0]);
    sdc_cell_init(&pair[1]);
    for (int i = 0; i < 20; i++) {
        sdc_cell_add(&pair[0], 100 + (uint64_t)i, 0); /* sizes 21 and 21 */
        sdc_cell_add(&pair[1], 200 + (uint64_t)i, 0);
    }
    sdc_cell_add(&pair[0], two[0], 0);
    sdc_cell_add(&pair[1], two[1], 0);
    md_error_clear(&err);
    assert_int_equal(sdc_charge_cells(s, pair, 2, cell_of, two, 2, &err), MD_OK);
    assert_true(fabs(sdc_exposure_of(s, two[0]) - 2 * share(21)) <= 2 * ONE_ULP);
    done(s);
}

/* Cells i % m of units 1..N. */
static void modulo(const Sdc *s, SdcCell *cells, int32_t m)
{
    for (int32_t c = 0; c < m; c++)
        sdc_cell_init(&cells[c]);
    for (int32_t i = 0; i < N; i++) {
        ids[i] = (uint64_t)i + 1;
        map[i] = i % m;
        sdc_cell_add(&cells[map[i]], ids[i], sdc_unit_key(s, ids[i]));
    }
}

static const int32_t MODULI[2][5] = {{11, 13, 17, 19, 23}, {29, 31, 37, 41, 43}};

/* Two processes of one user charging at the same time: every charge lands (C7). */
static void test_parallel_processes_add_up(void **state)
{
    (void)state;
    char path[] = "test_sdc_exposure_parallel.audit";
    char file[300];
    snprintf(file, sizeof file, "%s.exposure", path);
    remove(path);
    remove(file);
    pid_t pids[2];
    for (int p = 0; p < 2; p++) {
        pids[p] = fork();
        assert_true(pids[p] >= 0);
        if (pids[p] == 0) {
            Sdc *s = budget_sdc(10.0, path);
            SdcCell cells[64];
            MdError err;
            int bad = 0;
            for (int k = 0; k < 5; k++) {
                modulo(s, cells, MODULI[p][k]);
                bad += charge(s, cells, MODULI[p][k], &err) != MD_OK;
            }
            done(s);
            _exit(bad);
        }
    }
    for (int p = 0; p < 2; p++) {
        int status = 0;
        assert_int_equal(waitpid(pids[p], &status, 0), pids[p]);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    Sdc *s = budget_sdc(10.0, path);
    double want = 0;
    for (int p = 0; p < 2; p++) {
        for (int k = 0; k < 5; k++)
            want += share((N - 1) / MODULI[p][k] + 1); /* the class of unit 1 (index 0) */
    }
    assert_true(fabs(sdc_exposure_of(s, 1) - want) <= 10 * ONE_ULP);
    /* both processes' sets are known: charging one again adds nothing */
    SdcCell cells[64];
    MdError err;
    modulo(s, cells, 43);
    assert_int_equal(charge(s, cells, 43, &err), MD_OK);
    assert_true(fabs(sdc_exposure_of(s, 1) - want) <= 10 * ONE_ULP);
    done(s);
    remove(path);
    remove(file);
    snprintf(file, sizeof file, "%s.sets", path);
    remove(file);
}

static void test_setting(void **state)
{
    (void)state;
    SdcConfig c;
    sdc_config_default(&c);
    MdError err;
    md_error_clear(&err);
    c.exposure_budget = 101;
    assert_int_equal(sdc_config_validate(&c, &err), MD_ERR_VALUE);
    c.exposure_budget = 0.25;
    assert_int_equal(sdc_config_validate(&c, &err), MD_OK);
    assert_int_equal(sdc_exposure_budget_fixed(&c), 1u << (SDC_EXPOSURE_FIXED_BITS - 2));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_partition_charges_once),
        cmocka_unit_test(test_over_budget_refused_unchanged),
        cmocka_unit_test(test_margins_free),
        cmocka_unit_test(test_audit_charges_populations),
        cmocka_unit_test(test_rows_of_one_unit_pay_once_per_cell),
        cmocka_unit_test(test_population_charged_once),
        cmocka_unit_test(test_nested_cells_pay_the_difference),
        cmocka_unit_test(test_state_persists_in_file),
        cmocka_unit_test(test_off_trusted_and_collisions),
        cmocka_unit_test(test_parallel_processes_add_up),
        cmocka_unit_test(test_setting),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
