/*
 * test_lang_lexer.c - unit tests of the lexer: token kinds and texts, UTF-8 and system
 * names, dates, numbers, strings, every operator, positions in characters, and invalid
 * input (bad UTF-8, unterminated strings, stray characters) with line and column.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lang/lang_int.h"
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

static Lexed lex_ok(const char *text)
{
    Lexed lx;
    MdError err;
    md_error_clear(&err);
    assert_int_equal(lexer_run(arena, text, 0, (int32_t)strlen(text), NULL, &lx, &err), MD_OK);
    assert_int_equal(lx.tokens[lx.n].kind, TOKEN_END);
    return lx;
}

static MdError lex_fail(const char *text, size_t len)
{
    Lexed lx;
    MdError err;
    md_error_clear(&err);
    assert_int_not_equal(lexer_run(arena, text, 0, (int32_t)len, NULL, &lx, &err), MD_OK);
    return err;
}

/* "kind:text kind:text ..." */
static const char *kinds(const char *text)
{
    static const char *names[] = {"END", "NAME", "NUM", "STR", "DATE", "PATH", "DOT", "OP"};
    static char buf[1024];
    Lexed lx = lex_ok(text);
    buf[0] = '\0';
    for (int32_t i = 0; i < lx.n; i++) {
        size_t used = strlen(buf);
        snprintf(buf + used, sizeof(buf) - used, "%s%s:%s", i ? " " : "",
                 names[lx.tokens[i].kind], lx.tokens[i].text);
    }
    return buf;
}

static void test_names_utf8_and_system(void **state)
{
    (void)state;
    assert_string_equal(kinds("kjønn lønn første_jobbstart"),
                        "NAME:kjønn NAME:lønn NAME:første_jobbstart");
    assert_string_equal(kinds("START@x STOP@sivst date@panel"),
                        "NAME:START@x NAME:STOP@sivst NAME:date@panel");
    assert_string_equal(kinds("i.kjonn c.alder no.ssb.fdb"),
                        "NAME:i.kjonn NAME:c.alder NAME:no.ssb.fdb");
    assert_string_equal(kinds("$aar x_$navn"), "NAME:$aar NAME:x_ NAME:$navn");
    assert_string_equal(kinds("_x BEFOLKNING_KJOENN"), "NAME:_x NAME:BEFOLKNING_KJOENN");
}

static void test_paths_are_split_by_lexer(void **state)
{
    (void)state;
    assert_string_equal(kinds("db/INNTEKT_WLONN"), "NAME:db OP:/ NAME:INNTEKT_WLONN");
}

static void test_numbers(void **state)
{
    (void)state;
    Lexed lx = lex_ok("12 3.5 .5 1e3 2.5E-1 0.01");
    assert_int_equal(lx.n, 6);
    assert_true(lx.tokens[0].number == 12);
    assert_true(lx.tokens[1].number == 3.5);
    assert_true(lx.tokens[2].number == 0.5);
    assert_true(lx.tokens[3].number == 1000);
    assert_true(lx.tokens[4].number == 0.25);
    assert_string_equal(lx.tokens[5].text, "0.01");
    assert_string_equal(kinds("2021_01_01 1a"), "NAME:2021_01_01 NAME:1a");
    assert_string_equal(kinds("201905"), "NUM:201905");
}

static void test_dates(void **state)
{
    (void)state;
    Lexed lx = lex_ok("2024-01-01 2015-12-31 1967-05-27");
    assert_int_equal(lx.tokens[0].kind, TOKEN_DATE);
    assert_int_equal(lx.tokens[0].date, date_from_ymd(2024, 1, 1));
    assert_int_equal(lx.tokens[1].date, 16800);
    assert_int_equal(lx.tokens[2].date, -950);
    assert_string_equal(kinds("2024-01-011"), "NUM:2024 OP:- NUM:01 OP:- NUM:011");
    assert_string_equal(kinds("2024-1-01"), "NUM:2024 OP:- NUM:1 OP:- NUM:01");
    MdError err = lex_fail("x 2023-02-29", 12);
    assert_string_equal(err.message, "invalid date");
    assert_int_equal(err.column, 3);
}

static void test_strings(void **state)
{
    (void)state;
    assert_string_equal(kinds("'1' \"2\" 'a \"b\"' \"it's\" ''"),
                        "STR:1 STR:2 STR:a \"b\" STR:it's STR:");
    MdError err = lex_fail("generate x = 'abc", 17);
    assert_string_equal(err.message, "unterminated string");
    assert_int_equal(err.line, 1);
    assert_int_equal(err.column, 14);
}

static void test_operators(void **state)
{
    (void)state;
    assert_string_equal(kinds("-> ## # == != <= >= ++ = < > + - * / ^ & | ! ( ) , : ;"),
                        "OP:-> OP:## OP:# OP:== OP:!= OP:<= OP:>= OP:++ OP:= OP:< OP:> "
                        "OP:+ OP:- OP:* OP:/ OP:^ OP:& OP:| OP:! OP:( OP:) OP:, OP:: OP:;");
    assert_string_equal(kinds("a##b a#b x->y"),
                        "NAME:a OP:## NAME:b NAME:a OP:# NAME:b NAME:x OP:-> NAME:y");
    assert_string_equal(kinds(". x.5"), "DOT:. NAME:x NUM:.5");
    MdError err = lex_fail("a % b", 5);
    assert_string_equal(err.message, "unexpected character '%'");
    assert_int_equal(err.column, 3);
    err = lex_fail("a $ b", 5);
    assert_string_equal(err.message, "'$' without a binding name");
    err = lex_fail("a\x01", 2);
    assert_string_equal(err.message, "unexpected control character (code 1)");
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    MdError err = lex_fail("ab\xff", 3);
    assert_string_equal(err.message, "invalid UTF-8 in the script");
    assert_int_equal(err.column, 3);
    err = lex_fail("kjønn \xc3", 8);
    assert_int_equal(err.column, 7);
    err = lex_fail("x \xe2\x82", 4);
    assert_int_equal(err.column, 3);
}

static void test_columns_count_characters(void **state)
{
    (void)state;
    Lexed lx = lex_ok("lønn  = kjønn");
    assert_int_equal(lx.tokens[0].column, 1);
    assert_int_equal(lx.tokens[1].column, 7);
    assert_int_equal(lx.tokens[2].column, 9);
    assert_int_equal(lx.start[2], 9);
    assert_int_equal(lx.end[2], 15);
    assert_true(token_adjacent(&lx.tokens[0], &lx.tokens[0]) == false);
    Lexed adj = lex_ok("db/X");
    assert_true(token_adjacent(&adj.tokens[0], &adj.tokens[1]));
    Lexed gap = lex_ok("db / X");
    assert_false(token_adjacent(&gap.tokens[0], &gap.tokens[1]));
}

static void test_line_map(void **state)
{
    (void)state;
    int32_t offs[] = {0, 10};
    int32_t lines[] = {4, 5};
    int32_t cols[] = {1, 5};
    LineMap map = {.n = 2, .offset = offs, .line = lines, .column = cols};
    const char *text = "import a/b 2020-01-01";
    Lexed lx;
    MdError err;
    md_error_clear(&err);
    assert_int_equal(lexer_run(arena, text, 0, (int32_t)strlen(text), &map, &lx, &err), MD_OK);
    assert_int_equal(lx.tokens[0].line, 4);
    assert_int_equal(lx.tokens[4].line, 5);
    assert_int_equal(lx.tokens[4].column, 6);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names_utf8_and_system),
        cmocka_unit_test(test_paths_are_split_by_lexer),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_operators),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_columns_count_characters),
        cmocka_unit_test(test_line_map),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
