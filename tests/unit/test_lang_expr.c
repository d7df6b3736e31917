/*
 * test_lang_expr.c - unit tests of the expression parser: precedence and associativity as
 * tree shapes, calls checked against the function table, the '.' comparison rule, dates as
 * day numbers, and every error path with its message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lang_test_util.h"

static Arena *arena;

static int setup(void **state)
{
    (void)state;
    arena = arena_new(1 << 16);
    return arena ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    arena_free(arena);
    return 0;
}

/* Parses text and returns its S-expression, or "ERR: message" */
static const char *shape(const char *text)
{
    static char buf[1024];
    MdError err;
    md_error_clear(&err);
    Expr *e = lang_parse_expr_text(arena, text, &err);
    if (!e) {
        snprintf(buf, sizeof(buf), "ERR: %s", err.message);
        return buf;
    }
    return sexpr(e, buf, sizeof(buf));
}

static MdError parse_error(const char *text)
{
    MdError err;
    md_error_clear(&err);
    Expr *e = lang_parse_expr_text(arena, text, &err);
    assert_null(e);
    assert_int_not_equal(err.status, MD_OK);
    return err;
}

static void test_precedence_arithmetic(void **state)
{
    (void)state;
    assert_string_equal(shape("1 + 2 * 3"), "(+ 1 (* 2 3))");
    assert_string_equal(shape("1 * 2 + 3"), "(+ (* 1 2) 3)");
    assert_string_equal(shape("a - b - c"), "(- (- a b) c)");
    assert_string_equal(shape("a / b / c"), "(/ (/ a b) c)");
    assert_string_equal(shape("a / b ^ 2"), "(/ a (^ b 2))");
    assert_string_equal(shape("2 ^ 3 ^ 2"), "(^ 2 (^ 3 2))");
    assert_string_equal(shape("(1 + 2) * 3"), "(* (+ 1 2) 3)");
}

static void test_unary_minus_binds_tighter_than_pow(void **state)
{
    (void)state;
    assert_string_equal(shape("-2 ^ 2"), "(^ (neg 2) 2)");
    assert_string_equal(shape("2 ^ -1"), "(^ 2 (neg 1))");
    assert_string_equal(shape("--x"), "(neg (neg x))");
    assert_string_equal(shape("+x"), "x");
    assert_string_equal(shape("a - -b"), "(- a (neg b))");
}

static void test_precedence_logic(void **state)
{
    (void)state;
    assert_string_equal(shape("a > 1 & b < 2 | c == 3"),
                        "(| (& (> a 1) (< b 2)) (== c 3))");
    assert_string_equal(shape("a | b & c"), "(| a (& b c))");
    assert_string_equal(shape("!a == 1"), "(! (== a 1))");
    assert_string_equal(shape("!a & b"), "(& (! a) b)");
    assert_string_equal(shape("!sysmiss(x)"), "(! sysmiss(x))");
    assert_string_equal(shape("a + 1 >= b * 2"), "(>= (+ a 1) (* b 2))");
    assert_string_equal(shape("a != 'x'"), "(!= a 'x')");
    assert_string_equal(shape("a <= 1"), "(<= a 1)");
    assert_string_equal(shape("x + !y"), "(+ x (! y))");
}

static void test_literals_and_names(void **state)
{
    (void)state;
    assert_string_equal(shape("365.24"), "365.24");
    assert_string_equal(shape(".5"), "0.5");
    assert_string_equal(shape("1e3"), "1000");
    assert_string_equal(shape("\"1\""), "'1'");
    assert_string_equal(shape("'it\"s'"), "'it\"s'");
    assert_string_equal(shape("."), ".");
    assert_string_equal(shape("kjønn"), "kjønn");
    assert_string_equal(shape("START@x > 3"), "(> START@x 3)");
    assert_string_equal(shape("year(date@panel)"), "year(date@panel)");
    assert_string_equal(shape("første_jobbstart"), "første_jobbstart");
}

static void test_date_literal_is_day_number(void **state)
{
    (void)state;
    assert_string_equal(shape("2015-12-31"), "16800");
    assert_string_equal(shape("x >= 1970-01-01"), "(>= x 0)");
    MdError err = parse_error("2015-13-01");
    assert_string_equal(err.message, "invalid date");
}

static void test_calls(void **state)
{
    (void)state;
    assert_string_equal(shape("pi()"), "pi()");
    assert_string_equal(shape("inlist(substr(nus, 1, 1), '7', '8')"),
                        "inlist(substr(nus, 1, 1), '7', '8')");
    assert_string_equal(shape("round(x, 0.01)"), "round(x, 0.01)");
    assert_string_equal(shape("rowmax(a, b, c, d, e, f)"), "rowmax(a, b, c, d, e, f)");
    assert_string_equal(shape("F(x, 1, 2)"), "F(x, 1, 2)");
    assert_string_equal(shape("date(2015, 1, 1) - 1"), "(- date(2015, 1, 1) 1)");
}

static void test_call_errors(void **state)
{
    (void)state;
    MdError err = parse_error("substr(a, 1)");
    assert_int_equal(err.status, MD_ERR_SYNTAX);
    assert_string_equal(err.message,
                        "function 'substr' takes 3 arguments, not 2: substr(s, pos, len)");
    assert_string_equal(err.hint, "help-function substr describes it");
    assert_int_equal(err.column, 1);
    err = parse_error("pi(1)");
    assert_string_equal(err.message, "function 'pi' takes 0 arguments, not 1: pi()");
    err = parse_error("round()");
    assert_string_equal(err.message,
                        "function 'round' takes 1 to 2 arguments, not 0: round(x [, unit])");
    err = parse_error("inlist(x)");
    assert_string_equal(err.message, "function 'inlist' takes at least 2 arguments, not 1: "
                                     "inlist(x, v1, v2, ...)");
    err = parse_error("sqr(2)");
    assert_int_equal(err.status, MD_ERR_NAME);
    assert_string_equal(err.message, "unknown function 'sqr' (did you mean 'sqrt'?)");
    assert_string_equal(err.hint, "call it as sqrt(x)");
    err = parse_error("x + zzzzzzzz(2)");
    assert_string_equal(err.message, "unknown function 'zzzzzzzz'");
    assert_int_equal(err.column, 5);
    err = parse_error("f(1 2)");
    assert_int_equal(err.status, MD_ERR_SYNTAX);
}

static void test_missing_comparison_refused(void **state)
{
    (void)state;
    MdError err = parse_error("x == .");
    assert_string_equal(err.message, "comparison with the missing value '.' is not allowed");
    assert_string_equal(err.hint,
                        "test for missing with sysmiss(x), or for a value with sysmiss(x) == 0");
    assert_int_equal(err.column, 3);
    parse_error(". != lonn");
    parse_error("x > .");
    assert_string_equal(shape("x + ."), "(+ x .)");
}

static void test_syntax_errors(void **state)
{
    (void)state;
    MdError err = parse_error("1 +");
    assert_string_equal(err.message, "unexpected end of the line in expression");
    assert_int_equal(err.column, 4);
    err = parse_error("(1 + 2");
    assert_string_equal(err.message, "expected ')', found end of the line");
    err = parse_error("1 2");
    assert_string_equal(err.message, "unexpected number 2 in expression");
    err = parse_error("a && b");
    assert_string_equal(err.hint, "the logical operators are single: & and |");
    err = parse_error("a = b");
    assert_string_equal(err.message, "unexpected '=' in expression");
    err = parse_error("$x + 1");
    assert_string_equal(err.message, "unknown binding '$x'");
    err = parse_error("");
    assert_string_equal(err.message, "expected an expression");
    err = parse_error("'abc");
    assert_string_equal(err.message, "unterminated string");
    err = parse_error("a ~ b");
    assert_string_equal(err.message, "unexpected character '~'");
    assert_int_equal(err.column, 3);
    err = parse_error("x ,");
    assert_string_equal(err.message, "unexpected ',' in expression");
}

static void test_depth_limit(void **state)
{
    (void)state;
    char deep[2000];
    memset(deep, '(', 600);
    deep[600] = '1';
    memset(deep + 601, ')', 600);
    deep[1201] = '\0';
    MdError err = parse_error(deep);
    assert_int_equal(err.status, MD_ERR_LIMIT);
    memset(deep, '-', 1000);
    deep[1000] = 'x';
    deep[1001] = '\0';
    err = parse_error(deep);
    assert_int_equal(err.status, MD_ERR_LIMIT);
    memset(deep, '(', 50);
    deep[50] = '1';
    memset(deep + 51, ')', 50);
    deep[101] = '\0';
    assert_string_equal(shape(deep), "1");
}

static void test_positions(void **state)
{
    (void)state;
    MdError err;
    md_error_clear(&err);
    Expr *e = lang_parse_expr_text(arena, "alder >= 18 & kjønn == '1'", &err);
    assert_non_null(e);
    assert_int_equal(e->op, OP_AND);
    assert_int_equal(e->args[1]->args[0]->column, 15);
    assert_int_equal(e->args[1]->args[1]->column, 24); /* ø counts as one column */
    assert_int_equal(e->args[0]->args[1]->number, 18);
}

static void test_op_names(void **state)
{
    (void)state;
    assert_string_equal(lang_op_name(OP_ADD), "+");
    assert_string_equal(lang_op_name(OP_GE), ">=");
    assert_string_equal(lang_op_name(OP_NOT), "!");
    assert_string_equal(lang_op_name(OP_OR), "|");
    assert_string_equal(lang_op_name((ExprOp)99), "?");
}

/* Every allocation failing in turn gives MD_ERR_MEMORY and leaks nothing. */
static void test_allocation_failures(void **state)
{
    (void)state;
    const char *text = "inlist(substr(nus, 1, 1), '7', '8') & -x ^ 2 >= rowmax(a, b, c) | !y";
    int64_t before = md_mem_live_allocations();
    bool succeeded = false;
    for (int64_t n = 0; n < 1000 && !succeeded; n++) {
        md_mem_fail_after(n);
        Arena *a = arena_new(128);
        if (a) {
            MdError err;
            md_error_clear(&err);
            Expr *e = lang_parse_expr_text(a, text, &err);
            if (e)
                succeeded = true;
            else
                assert_int_equal(err.status, MD_ERR_MEMORY);
            arena_free(a);
        }
        md_mem_fail_after(-1);
        assert_int_equal(md_mem_live_allocations(), before);
    }
    assert_true(succeeded);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_precedence_arithmetic),
        cmocka_unit_test(test_unary_minus_binds_tighter_than_pow),
        cmocka_unit_test(test_precedence_logic),
        cmocka_unit_test(test_literals_and_names),
        cmocka_unit_test(test_date_literal_is_day_number),
        cmocka_unit_test(test_calls),
        cmocka_unit_test(test_call_errors),
        cmocka_unit_test(test_missing_comparison_refused),
        cmocka_unit_test(test_syntax_errors),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_positions),
        cmocka_unit_test(test_op_names),
        cmocka_unit_test(test_allocation_failures),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
