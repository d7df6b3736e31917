/*
 * test_engine_eval.c - unit tests of expression compilation and evaluation: operators and
 * their missing-value rules, string comparisons, type errors, names, pointer columns,
 * constant folding, user-missing values, conditions and block boundaries. Expressions are
 * built by hand (no parser needed) so these tests pin the evaluator alone.
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

static Arena *arena;

static Expr *mk(ExprKind kind)
{
    Expr *e = arena_alloc(arena, sizeof *e);
    e->kind = kind;
    e->line = 3;
    e->column = 7;
    return e;
}

static Expr *num(double v)
{
    Expr *e = mk(EXPR_NUMBER);
    e->number = v;
    return e;
}

static Expr *str(const char *s)
{
    Expr *e = mk(EXPR_STRING);
    e->text = s;
    return e;
}

static Expr *var(const char *name)
{
    Expr *e = mk(EXPR_NAME);
    e->text = name;
    return e;
}

static Expr *dot(void)
{
    return mk(EXPR_MISSING);
}

static Expr *bin(ExprOp op, Expr *a, Expr *b)
{
    Expr *e = mk(EXPR_BINARY);
    e->op = op;
    e->args = arena_alloc(arena, 2 * sizeof(Expr *));
    e->args[0] = a;
    e->args[1] = b;
    e->n_args = 2;
    return e;
}

static Expr *un(ExprOp op, Expr *a)
{
    Expr *e = mk(EXPR_UNARY);
    e->op = op;
    e->args = arena_alloc(arena, sizeof(Expr *));
    e->args[0] = a;
    e->n_args = 1;
    return e;
}

static Expr *call(const char *fn, int n, ...)
{
    Expr *e = mk(EXPR_CALL);
    e->text = fn;
    e->n_args = n;
    e->args = arena_alloc(arena, (size_t)(n + 1) * sizeof(Expr *));
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++)
        e->args[i] = va_arg(ap, Expr *);
    va_end(ap);
    return e;
}

#define M NAN

static void put_strings(Column *c, const char *const *texts, int n)
{
    for (int i = 0; i < n; i++)
        c->codes[i] = texts[i] ? string_pool_intern(c->pool, texts[i], strlen(texts[i]))
                               : COLUMN_STRING_MISSING;
}

static Dataset *fixture(void)
{
    Dataset *ds = dataset_new("d");
    ds->n_rows = 5;
    ds->unit_ids = md_malloc(5 * sizeof(uint64_t));
    ds->unit_keys = md_calloc(5, sizeof(uint64_t));
    for (int i = 0; i < 5; i++)
        ds->unit_ids[i] = (uint64_t)(100 + i);
    const double n[5] = {1, 2, M, 4, -3};
    const double m[5] = {0, 2, 5, M, 1};
    const double u[5] = {99, 1, 2, 3, 4};
    Column *cn = column_new_number("n", 5);
    Column *cm = column_new_number("m", 5);
    Column *cu = column_new_number("u", 5);
    for (int i = 0; i < 5; i++) {
        cn->numbers[i] = n[i];
        cm->numbers[i] = m[i];
        cu->numbers[i] = u[i];
    }
    cu->user_missing = md_malloc(sizeof(double));
    cu->user_missing[0] = 99;
    cu->n_user_missing = 1;
    Column *cs = column_new_string("s", 5);
    const char *texts[5] = {"a", "b", NULL, "a", "10"};
    put_strings(cs, texts, 5);
    Column *cp = column_new_number("far", 5);
    cp->pointer_to = md_strdup("PERSON");
    MdError err;
    md_error_clear(&err);
    assert_int_equal(dataset_add_column(ds, cn, &err), MD_OK);
    assert_int_equal(dataset_add_column(ds, cm, &err), MD_OK);
    assert_int_equal(dataset_add_column(ds, cu, &err), MD_OK);
    assert_int_equal(dataset_add_column(ds, cs, &err), MD_OK);
    assert_int_equal(dataset_add_column(ds, cp, &err), MD_OK);
    return ds;
}

static int setup(void **state)
{
    arena = arena_new(4096);
    *state = fixture();
    return 0;
}

static int teardown(void **state)
{
    dataset_free(*state);
    arena_free(arena);
    return 0;
}

/* Evaluates e and checks the five numbers (NaN = missing). */
static void expect_numbers(const Dataset *ds, const Expr *e, const double *want)
{
    MdError err;
    md_error_clear(&err);
    Column *c = expr_evaluate(NULL, ds, e, &err);
    if (!c)
        fail_msg("evaluation failed: %s", err.message);
    assert_int_equal(c->type, COLUMN_NUMBER);
    for (int64_t i = 0; i < ds->n_rows; i++) {
        if (isnan(want[i])) {
            if (!isnan(c->numbers[i]))
                fail_msg("row %d: want missing, got %g", (int)i, c->numbers[i]);
        } else if (fabs(c->numbers[i] - want[i]) > 1e-12 * (1 + fabs(want[i]))) {
            fail_msg("row %d: want %.17g, got %.17g", (int)i, want[i], c->numbers[i]);
        }
    }
    column_free(c);
}

static void expect_error(const Dataset *ds, const Expr *e, MdStatus status, const char *text,
                         const char *hint)
{
    MdError err;
    md_error_clear(&err);
    Column *c = expr_evaluate(NULL, ds, e, &err);
    assert_null(c);
    assert_int_equal(err.status, status);
    if (!strstr(err.message, text))
        fail_msg("message \"%s\" lacks \"%s\"", err.message, text);
    if (hint && !strstr(err.hint, hint))
        fail_msg("hint \"%s\" lacks \"%s\"", err.hint, hint);
    assert_true(err.line > 0);
}

static void test_arithmetic(void **state)
{
    const Dataset *ds = *state;
    expect_numbers(ds, bin(OP_ADD, var("n"), var("m")), (double[]){1, 4, M, M, -2});
    expect_numbers(ds, bin(OP_SUB, var("n"), num(1)), (double[]){0, 1, M, 3, -4});
    expect_numbers(ds, bin(OP_MUL, var("n"), var("n")), (double[]){1, 4, M, 16, 9});
    expect_numbers(ds, bin(OP_DIV, var("n"), var("m")), (double[]){M, 1, M, M, -3});
    expect_numbers(ds, bin(OP_POW, var("n"), num(2)), (double[]){1, 4, M, 16, 9});
    expect_numbers(ds, un(OP_NEG, var("n")), (double[]){-1, -2, M, -4, 3});
    expect_numbers(ds, bin(OP_ADD, var("n"), dot()), (double[]){M, M, M, M, M});
}

static void test_missing_edge_cases(void **state)
{
    const Dataset *ds = *state;
    /* C's pow(., 0) = 1, but missing stays missing; 0^-1 is inf: missing */
    expect_numbers(ds, bin(OP_POW, var("n"), num(0)), (double[]){1, 1, M, 1, 1});
    expect_numbers(ds, bin(OP_POW, var("m"), num(-1)), (double[]){M, 0.5, 0.2, M, 1});
    expect_numbers(ds, bin(OP_POW, num(1), var("m")), (double[]){1, 1, 1, M, 1});
    /* (-3)^0.5 is NaN: missing */
    expect_numbers(ds, bin(OP_POW, var("n"), num(0.5)),
                   (double[]){1, sqrt(2), M, 2, M});
    /* overflow is missing */
    expect_numbers(ds, bin(OP_MUL, var("n"), num(1e308)),
                   (double[]){1e308, M, M, M, M});
    expect_numbers(ds, bin(OP_DIV, num(0), num(0)), (double[]){M, M, M, M, M});
}

static void test_comparisons_three_valued(void **state)
{
    const Dataset *ds = *state;
    expect_numbers(ds, bin(OP_EQ, var("n"), var("m")), (double[]){0, 1, M, M, 0});
    expect_numbers(ds, bin(OP_NE, var("n"), var("m")), (double[]){1, 0, M, M, 1});
    expect_numbers(ds, bin(OP_LT, var("n"), num(2)), (double[]){1, 0, M, 0, 1});
    expect_numbers(ds, bin(OP_LE, var("n"), num(2)), (double[]){1, 1, M, 0, 1});
    expect_numbers(ds, bin(OP_GT, var("n"), num(2)), (double[]){0, 0, M, 1, 0});
    expect_numbers(ds, bin(OP_GE, var("n"), num(2)), (double[]){0, 1, M, 1, 0});
}

static void test_logic_three_valued(void **state)
{
    const Dataset *ds = *state;
    /* m: 0 2 5 . 1 ; n > 0: 1 1 . 1 0 */
    Expr *pos = bin(OP_GT, var("n"), num(0));
    expect_numbers(ds, bin(OP_AND, var("m"), pos), (double[]){0, 1, M, M, 0});
    expect_numbers(ds, bin(OP_OR, var("m"), pos), (double[]){1, 1, 1, 1, 1});
    expect_numbers(ds, bin(OP_OR, bin(OP_EQ, var("m"), num(0)), pos),
                   (double[]){1, 1, M, 1, 0});
    expect_numbers(ds, bin(OP_AND, num(0), dot()), (double[]){0, 0, 0, 0, 0});
    expect_numbers(ds, bin(OP_OR, num(1), dot()), (double[]){1, 1, 1, 1, 1});
    expect_numbers(ds, bin(OP_AND, num(1), dot()), (double[]){M, M, M, M, M});
    expect_numbers(ds, un(OP_NOT, var("m")), (double[]){1, 0, 0, M, 0});
}

static void test_condition_missing_is_false(void **state)
{
    const Dataset *ds = *state;
    MdError err;
    md_error_clear(&err);
    uint8_t mask[5];
    assert_int_equal(expr_evaluate_condition(NULL, ds, bin(OP_GT, var("n"), num(0)), mask,
                                             &err), MD_OK);
    const uint8_t want[5] = {1, 1, 0, 1, 0};
    assert_memory_equal(mask, want, 5);
    /* a bare number: non-zero is true, missing false */
    assert_int_equal(expr_evaluate_condition(NULL, ds, var("m"), mask, &err), MD_OK);
    const uint8_t want2[5] = {0, 1, 1, 0, 1};
    assert_memory_equal(mask, want2, 5);
    /* !(n > 0) with n missing stays missing: false */
    assert_int_equal(expr_evaluate_condition(NULL, ds, un(OP_NOT, bin(OP_GT, var("n"),
                                                                       num(0))), mask, &err),
                     MD_OK);
    const uint8_t want3[5] = {0, 0, 0, 0, 1};
    assert_memory_equal(mask, want3, 5);
    /* a string is not a condition */
    assert_int_equal(expr_evaluate_condition(NULL, ds, var("s"), mask, &err), MD_ERR_TYPE);
    assert_non_null(strstr(err.hint, "kjonn == '1'"));
}

static void test_strings(void **state)
{
    const Dataset *ds = *state;
    expect_numbers(ds, bin(OP_EQ, var("s"), str("a")), (double[]){1, 0, M, 1, 0});
    expect_numbers(ds, bin(OP_NE, var("s"), str("a")), (double[]){0, 1, M, 0, 1});
    expect_numbers(ds, bin(OP_LT, var("s"), str("b")), (double[]){1, 0, M, 1, 1});
    expect_numbers(ds, bin(OP_GE, str("b"), var("s")), (double[]){1, 1, M, 1, 1});
    expect_numbers(ds, bin(OP_EQ, var("s"), var("s")), (double[]){1, 1, M, 1, 1});
    MdError err;
    md_error_clear(&err);
    Column *c = expr_evaluate(NULL, ds, var("s"), &err);
    assert_non_null(c);
    assert_int_equal(c->type, COLUMN_STRING);
    assert_string_equal(column_string_at(c, 0), "a");
    assert_null(column_string_at(c, 2));
    assert_string_equal(column_string_at(c, 4), "10");
    assert_int_equal(c->pool->n, 3);
    column_free(c);
    c = expr_evaluate(NULL, ds, str("x"), &err);
    assert_non_null(c);
    assert_string_equal(column_string_at(c, 3), "x");
    column_free(c);
}

static void test_type_errors(void **state)
{
    const Dataset *ds = *state;
    expect_error(ds, bin(OP_EQ, var("s"), num(1)), MD_ERR_TYPE,
                 "cannot compare the string variable s with a number", "destring");
    expect_error(ds, bin(OP_EQ, num(1), var("s")), MD_ERR_TYPE, "string variable s", "'1'");
    expect_error(ds, bin(OP_ADD, var("s"), str("a")), MD_ERR_TYPE, "operator + needs numbers",
                 "rowconcat");
    expect_error(ds, un(OP_NEG, var("s")), MD_ERR_TYPE, "needs a number", NULL);
    expect_error(ds, bin(OP_AND, var("s"), num(1)), MD_ERR_TYPE, "needs numbers", NULL);
    expect_error(ds, call("sqrt", 1, var("s")), MD_ERR_TYPE,
                 "argument 1 of sqrt() must be a number, not the variable s", "destring");
    expect_error(ds, call("length", 1, var("n")), MD_ERR_TYPE, "must be a string", "string()");
}

static void test_name_errors(void **state)
{
    const Dataset *ds = *state;
    expect_error(ds, var("nn"), MD_ERR_NAME, "unknown variable nn", "did you mean n");
    expect_error(ds, var("zzzzzz"), MD_ERR_NAME, "unknown variable zzzzzz", "variables");
    expect_error(ds, var("far"), MD_ERR_TYPE, "far holds PERSON identifiers", "merge");
    expect_error(ds, bin(OP_ADD, var("far"), num(1)), MD_ERR_TYPE, "identifiers", NULL);
    expect_error(ds, call("sqrtt", 1, num(1)), MD_ERR_NAME, "unknown function sqrtt()",
                 "sqrt");
    expect_error(ds, call("sqrt", 2, num(1), num(2)), MD_ERR_SYNTAX,
                 "sqrt() takes 1 argument, not 2", NULL);
    expect_error(ds, call("round", 3, num(1), num(2), num(3)), MD_ERR_SYNTAX,
                 "round() takes 1 to 2 arguments, not 3", NULL);
    expect_error(ds, call("rowmax", 0), MD_ERR_SYNTAX, "at least 1", NULL);
    Expr *many = call("rowtotal", 0);
    many->n_args = EVAL_MAX_ARGS + 1;
    many->args = arena_alloc(arena, (size_t)many->n_args * sizeof(Expr *));
    for (int32_t i = 0; i < many->n_args; i++)
        many->args[i] = var("n");
    expect_error(ds, many, MD_ERR_LIMIT, "at most 64", "split");
    many->n_args = EVAL_MAX_ARGS;
    Expr *sum = bin(OP_DIV, many, num(EVAL_MAX_ARGS));
    expect_numbers(ds, sum, (double[]){1, 2, 0, 4, -3});
    expect_error(ds, bin(OP_EQ, var("n"), dot()), MD_ERR_VALUE, "comparisons with .",
                 "sysmiss");
    expect_error(ds, bin(OP_NE, dot(), var("n")), MD_ERR_VALUE, "comparisons with .", NULL);
}

static void test_user_missing(void **state)
{
    const Dataset *ds = *state;
    expect_numbers(ds, var("u"), (double[]){M, 1, 2, 3, 4});
    expect_numbers(ds, bin(OP_ADD, var("u"), num(1)), (double[]){M, 2, 3, 4, 5});
    expect_numbers(ds, call("sysmiss", 1, var("u")), (double[]){1, 0, 0, 0, 0});
    expect_numbers(ds, call("sysmiss", 1, var("s")), (double[]){0, 0, 1, 0, 0});
}

static void test_constant_folding(void **state)
{
    const Dataset *ds = *state;
    MdError err;
    md_error_clear(&err);
    Expr *e = bin(OP_ADD, var("n"), bin(OP_MUL, num(2), call("sqrt", 1, num(9))));
    EvalProgram *p = eval_program_compile(NULL, ds, e, &err);
    assert_non_null(p);
    assert_int_equal(p->n_order, 2); /* the column and the + */
    assert_int_equal(p->root->args[1]->kind, EVAL_CONST);
    assert_true(p->root->args[1]->param[0] == 6);
    eval_program_free(p);
    p = eval_program_compile(NULL, ds, call("substr", 3, str("abcdef"), num(2), num(3)), &err);
    assert_non_null(p);
    assert_int_equal(p->n_order, 0);
    assert_int_equal(p->root->kind, EVAL_CONST);
    assert_string_equal(p->root->text, "bcd");
    eval_program_free(p);
    expect_numbers(ds, e, (double[]){7, 8, M, 10, 3});
    /* a string column against a constant is answered per dictionary code */
    p = eval_program_compile(NULL, ds, bin(OP_EQ, str("b"), var("s")), &err);
    assert_int_equal(p->n_order, 1);
    assert_int_equal(p->root->table_size, 3);
    eval_program_free(p);
    expect_numbers(ds, bin(OP_LE, str("b"), var("s")), (double[]){0, 1, M, 0, 0});
    expect_numbers(ds, bin(OP_GT, var("s"), str("a")), (double[]){0, 1, M, 0, 0});
    /* a number column without user-missing values is read in place */
    p = eval_program_compile(NULL, ds, var("n"), &err);
    assert_null(p->root->num_buf);
    eval_program_free(p);
}

static void test_blocks(void **state)
{
    (void)state;
    const int64_t rows = 3 * EVAL_BLOCK + 17;
    Dataset *ds = dataset_new("big");
    ds->n_rows = rows;
    Column *x = column_new_number("x", rows);
    Column *s = column_new_string("s", rows);
    for (int64_t i = 0; i < rows; i++) {
        x->numbers[i] = i % 7 == 0 ? NAN : (double)i;
        char buf[16];
        int len = snprintf(buf, sizeof buf, "%d", (int)(i % 5));
        s->codes[i] = string_pool_intern(s->pool, buf, (size_t)len);
    }
    MdError err;
    md_error_clear(&err);
    assert_int_equal(dataset_add_column(ds, x, &err), MD_OK);
    assert_int_equal(dataset_add_column(ds, s, &err), MD_OK);
    Expr *e = bin(OP_MUL, bin(OP_ADD, var("x"), num(1)), bin(OP_EQ, var("s"), str("3")));
    Column *c = expr_evaluate(NULL, ds, e, &err);
    assert_non_null(c);
    for (int64_t i = 0; i < rows; i++) {
        double want = i % 7 == 0 ? NAN : (i + 1.0) * (i % 5 == 3);
        if (isnan(want))
            assert_true(isnan(c->numbers[i]));
        else
            assert_true(c->numbers[i] == want);
    }
    column_free(c);
    c = expr_evaluate(NULL, ds, call("rowconcat", 3, var("s"), str("-"), var("x")), &err);
    assert_non_null(c);
    char want[32];
    int64_t row = 2 * EVAL_BLOCK + 1;
    snprintf(want, sizeof want, "%d-%d", (int)(row % 5), (int)row);
    assert_string_equal(column_string_at(c, row), want);
    assert_string_equal(column_string_at(c, 7), "2-");
    column_free(c);
    uint8_t *mask = md_malloc((size_t)rows);
    assert_int_equal(expr_evaluate_condition(NULL, ds, var("x"), mask, &err), MD_OK);
    assert_int_equal(mask[0], 0);
    assert_int_equal(mask[1], 1);
    assert_int_equal(mask[rows - 1], (rows - 1) % 7 != 0);
    md_free(mask);
    dataset_free(ds);
}

static void test_empty_dataset(void **state)
{
    (void)state;
    Dataset *ds = dataset_new("e");
    MdError err;
    md_error_clear(&err);
    Column *c = expr_evaluate(NULL, ds, bin(OP_ADD, num(1), num(2)), &err);
    assert_non_null(c);
    column_free(c);
    dataset_free(ds);
}

static void test_out_of_memory(void **state)
{
    const Dataset *ds = *state;
    Expr *e = call("rowconcat", 3, var("s"), str("-"), call("string", 1, var("n")));
    int64_t live = md_mem_live_allocations();
    bool succeeded = false;
    for (int64_t n = 0; n < 200 && !succeeded; n++) {
        MdError err;
        md_error_clear(&err);
        md_mem_fail_after(n);
        Column *c = expr_evaluate(NULL, ds, e, &err);
        md_mem_fail_after(-1);
        if (c) {
            succeeded = true;
            assert_string_equal(column_string_at(c, 1), "b-2");
            assert_string_equal(column_string_at(c, 2), "-");
            column_free(c);
        } else {
            assert_int_equal(err.status, MD_ERR_MEMORY);
        }
        assert_int_equal(md_mem_live_allocations(), live);
    }
    assert_true(succeeded);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_arithmetic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_edge_cases, setup, teardown),
        cmocka_unit_test_setup_teardown(test_comparisons_three_valued, setup, teardown),
        cmocka_unit_test_setup_teardown(test_logic_three_valued, setup, teardown),
        cmocka_unit_test_setup_teardown(test_condition_missing_is_false, setup, teardown),
        cmocka_unit_test_setup_teardown(test_strings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_type_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_name_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_user_missing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_constant_folding, setup, teardown),
        cmocka_unit_test_setup_teardown(test_blocks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_dataset, setup, teardown),
        cmocka_unit_test_setup_teardown(test_out_of_memory, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
