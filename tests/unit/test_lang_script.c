/*
 * test_lang_script.c - unit tests of the preprocessor and the macro layer: continuations
 * (line numbers of the first line, columns on later lines), `//` and `#` comments,
 * textblocks, let with every kind of value and binding function, for loops (lists,
 * ranges, zipped, nested groups, nested loops, scoping), `$` and `++` anywhere, limits,
 * and lang_check_script collecting every error.
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

/* The command texts of a script joined with '\n' (textblocks as [md:...]). */
static const char *texts(const char *script)
{
    static char buf[8192];
    MdError err;
    Script *s = parse_text(arena, script, &err);
    if (!s) {
        snprintf(buf, sizeof(buf), "ERR %d:%d %s", err.line, err.column, err.message);
        return buf;
    }
    buf[0] = '\0';
    for (int32_t i = 0; i < s->n_statements; i++) {
        const Statement *st = &s->statements[i];
        size_t used = strlen(buf);
        if (st->kind == STATEMENT_TEXTBLOCK)
            snprintf(buf + used, sizeof(buf) - used, "%s[md:%s]", i ? "\n" : "", st->markdown);
        else
            snprintf(buf + used, sizeof(buf) - used, "%s%s", i ? "\n" : "", st->command.text);
    }
    return buf;
}

static MdError script_error(const char *script)
{
    MdError err;
    Script *s = parse_text(arena, script, &err);
    assert_null(s);
    assert_int_not_equal(err.status, MD_OK);
    return err;
}

static void test_comments_and_blank_lines(void **state)
{
    (void)state;
    assert_string_equal(texts("# Bruke bindinger\n\n// whole line\n"
                              "replace region = 2 if inlist(fylke,'30','34') //Østlandet\n"
                              "generate url = 'http://x' // cut here\n   \n"),
                        "replace region = 2 if inlist(fylke,'30','34')\n"
                        "generate url = 'http://x'");
    assert_string_equal(texts(""), "");
    MdError err;
    md_error_clear(&err);
    Script *empty = lang_parse_script(arena, NULL, 0, &err);
    assert_non_null(empty);
    assert_int_equal(empty->n_statements, 0);
    assert_string_equal(texts("\n\n// only comments\n# and this\n"), "");
    assert_string_equal(texts("generate x = 1\r\ngenerate y = 2\r\n"),
                        "generate x = 1\ngenerate y = 2");
    assert_string_equal(texts("\xEF\xBB\xBFuse a\n"), "use a");
}

static void test_continuations_keep_first_line(void **state)
{
    (void)state;
    MdError err;
    Script *s = parse_text(arena, "create-dataset d\n"
                                  "define-labels fylkenavn '03' Oslo \\\n"
                                  "    '46' Vestland \\   // a comment after the backslash? no\n"
                                  "    '50' Trøndelag\n"
                                  "use d\n", &err);
    /* the comment cut leaves '\' at the end of line 3, so line 4 continues it */
    assert_non_null(s);
    assert_int_equal(s->n_statements, 3);
    assert_int_equal(s->statements[1].line, 2);
    assert_int_equal(s->statements[1].command.line, 2);
    assert_string_equal(s->statements[1].command.text,
                        "define-labels fylkenavn '03' Oslo '46' Vestland '50' Trøndelag");
    assert_int_equal(s->statements[1].command.n_args, 7);
    assert_int_equal(s->statements[1].command.args[3].line, 3);
    assert_int_equal(s->statements[1].command.args[3].column, 5);
    assert_int_equal(s->statements[1].command.args[6].line, 4);
    assert_int_equal(s->statements[1].command.args[6].column, 10);
    assert_int_equal(s->statements[2].line, 5);
}

static void test_continuation_error_positions(void **state)
{
    (void)state;
    MdError err = script_error("generate x = \\\n  a +\\\n\n");
    assert_int_equal(err.line, 2);
    err = script_error("import-panel db/A \\\n   2019-01-01 \\\n   2019-13-01\n");
    assert_string_equal(err.message, "invalid date");
    assert_int_equal(err.line, 3);
    assert_int_equal(err.column, 4);
    /* the same after a substitution on the first line */
    err = script_error("let y = 2020\nimport-panel db/A $y \\\n   2019-13-01\n");
    assert_string_equal(err.message, "invalid date");
    assert_int_equal(err.line, 3);
    assert_int_equal(err.column, 4);
    MdError e2;
    Script *s = parse_text(arena, "let v = lonn\nregress $v \\\n  alder\n", &e2);
    assert_non_null(s);
    assert_int_equal(s->statements[0].command.args[1].line, 3);
    assert_int_equal(s->statements[0].command.args[1].column, 3);
}

static void test_textblocks(void **state)
{
    (void)state;
    assert_string_equal(texts("textblock\n# Tittel\nSome *text* // kept\n\nendblock\n"
                              "use d\n"),
                        "[md:# Tittel\nSome *text* // kept\n]\nuse d");
    MdError err;
    Script *s = parse_text(arena, "use a\n  textblock  \nx\n  endblock\n", &err);
    assert_non_null(s);
    assert_int_equal(s->n_statements, 2);
    assert_int_equal(s->statements[1].kind, STATEMENT_TEXTBLOCK);
    assert_int_equal(s->statements[1].line, 2);
    err = script_error("use a\ntextblock\nnever closed\n");
    assert_string_equal(err.message, "textblock without endblock");
    assert_int_equal(err.line, 2);
    err = script_error("endblock\n");
    assert_string_equal(err.message, "endblock without textblock");
    err = script_error("textblock\n\xff\nendblock\n");
    assert_string_equal(err.message, "invalid UTF-8 in the textblock");
    MdError errs[4];
    const char *script = "gen x\nendblock\nuse a if b\ntextblock\nnot closed\n";
    assert_int_equal(lang_check_script(arena, script, strlen(script), errs, 4), 4);
    assert_int_equal(errs[1].line, 2);
    assert_string_equal(errs[1].message, "endblock without textblock");
    assert_int_equal(errs[2].line, 3);
    assert_int_equal(errs[3].line, 4);
    assert_string_equal(errs[3].message, "textblock without endblock");
}

static void test_let_values(void **state)
{
    (void)state;
    assert_string_equal(texts("let totusen = 2000\n"
                              "let dato = $totusen ++ \"-01-01\"\n"
                              "let var = lønn ++ $totusen\n"
                              "let approx = 22/7\n"
                              "let en = cos(2 * pi())\n"
                              "let s = 'indre'\n"
                              "let start = date_fmt($totusen + 1)\n"
                              "import db/X $dato as $var\n"
                              "generate a = $approx\n"
                              "generate b = $en + $totusen - 3\n"
                              "generate c = $s\n"
                              "import db/Y $start\n"),
                        "import db/X 2000-01-01 as lønn2000\n"
                        "generate a = 3.14285714285714\n"
                        "generate b = 1 + 2000 - 3\n"
                        "generate c = 'indre'\n"
                        "import db/Y 2001-01-01");
}

static void test_binding_functions(void **state)
{
    (void)state;
    assert_string_equal(texts("let kpi2020 = 118\n"
                              "let v = bind(kpi ++ 2020)\n"
                              "let n = to_int('100') + 1\n"
                              "let t = to_str(lønn)\n"
                              "let y = to_symbol('inntekt' ++ 2020)\n"
                              "let d = date_fmt(2020, 12, 31)\n"
                              "generate a = $v + $n\n"
                              "generate b = $t\n"
                              "summarize $y\n"
                              "import db/X date_fmt(2000) as x\n"
                              "import db/X date_fmt($n + 1919, 2, 29) as z\n"
                              "generate s = to_str(x) + to_str(2)\n"
                              "generate r = round(x, 0.5)\n"),
                        "generate a = 118 + 101\n"
                        "generate b = 'lønn'\n"
                        "summarize inntekt2020\n"
                        "import db/X 2000-01-01 as x\n"
                        "import db/X 2020-02-29 as z\n"
                        "generate s = to_str(x) + to_str(2)\n"
                        "generate r = round(x, 0.5)");
}

/* Binding contexts (arguments, options, ++ operands, let, for lists) evaluate binding
 * functions; in the value of generate/replace and in if conditions the engine does. */
static void test_binding_function_contexts(void **state)
{
    (void)state;
    assert_string_equal(texts("let a = 2020\n"
                              "let kpi2020 = 118\n"
                              "generate x = date_fmt(2015)\n"
                              "generate x = date_fmt(y, 1, 1) if to_int(s) > 3\n"
                              "keep if d > date_fmt($a) & to_str(2) == '2'\n"
                              "replace x = to_int('4x')\n"
                              "generate y = to_symbol('lonn' ++ $a - 1)\n"
                              "generate y = bind(kpi ++ $a) + to_int(bind(kpi ++ 2020))\n"
                              "generate to_symbol('v' ++ $a) = 1\n"
                              "import db/X date_fmt($a, 12, 31) as lonn ++ to_str($a - 2000)\n"
                              "tabulate to_symbol('kjonn'), summarize(to_symbol('lonn'))\n"
                              "generate s = x ++ to_str($a) + 1\n"
                              "generate s = date_fmt($a) ++ 'x'\n"
                              "import db/X ($a - 1) ++ '-12-31' as y ++ ($a - 1)\n"
                              "let d = date_fmt($a)\n"
                              "generate t = to_str($d) if x > $d & to_int($a) > 0\n"),
                        "generate x = date_fmt(2015)\n"
                        "generate x = date_fmt(y, 1, 1) if to_int(s) > 3\n"
                        "keep if d > date_fmt(2020) & to_str(2) == '2'\n"
                        "replace x = to_int('4x')\n"
                        "generate y = to_symbol('lonn2019')\n"
                        "generate y = 118 + to_int(118)\n"
                        "generate v2020 = 1\n"
                        "import db/X 2020-12-31 as lonn20\n"
                        "tabulate kjonn, summarize(lonn)\n"
                        "generate s = x2020 + 1\n"
                        "generate s = '2020-01-01x'\n"
                        "import db/X 2019-12-31 as y2019\n"
                        "generate t = to_str('2020-01-01') if x > 2020-01-01 & to_int(2020) > 0");
    MdError err = script_error("import db/X date_fmt(2020, 2, 30) as x\n");
    assert_string_equal(err.message, "date_fmt: not a valid date");
    assert_int_equal(err.column, 13);
    err = script_error("sample to_int('4x') 1\n");
    assert_string_equal(err.message, "to_int: '4x' is not a number");
    err = script_error("generate s = substr(a, 1, 2) ++ 'x'\n");
    assert_string_equal(err.message, "'++' cannot join the result of substr()");
    err = script_error("generate s = a ++ sysmiss(b)\n");
    assert_string_equal(err.message, "'++' cannot join the result of sysmiss()");
    err = script_error("gen x = date_fmt(20000)\n");
    assert_string_equal(err.message, "unknown command 'gen' (did you mean 'generate'?)");
    err = script_error("generate x = bind(nothing)\n");
    assert_string_equal(err.message, "bind: no binding named 'nothing'");
}

/* for lists take binding-function calls and ++ joins as items. */
static void test_for_list_calls(void **state)
{
    (void)state;
    assert_string_equal(texts("for d in date_fmt(2020) date_fmt(2021, 6)\n"
                              "import db/X $d\nend\n"),
                        "import db/X 2020-01-01\nimport db/X 2021-06-01");
    assert_string_equal(texts("for a, d in 1 2, date_fmt(2020, 12, 31) date_fmt(2021, 12, 31)\n"
                              "import db/X $d as x$a\nend\n"),
                        "import db/X 2020-12-31 as x1\nimport db/X 2021-12-31 as x2");
    assert_string_equal(texts("let y = 19\n"
                              "for v in lonn ++ $y to_symbol('x' ++ 1), -2\n"
                              "use $v\nend\n"),
                        "use lonn19\nuse x1\nuse -2");
    MdError err = script_error("for d in date_fmt(2020, 2, 30)\nuse a\nend\n");
    assert_string_equal(err.message, "date_fmt: not a valid date");
    err = script_error("for d in sysmiss(1)\nuse a\nend\n");
    assert_string_equal(err.message, "function 'sysmiss' cannot be used in a binding");
}

static void test_let_errors(void **state)
{
    (void)state;
    MdError err = script_error("let x = 1 +\n");
    assert_string_equal(err.message, "expected a value in the binding");
    err = script_error("let = 3\n");
    assert_string_equal(err.message, "let: expected a name, '=' and a value");
    err = script_error("let x = 'a' * 2\n");
    assert_string_equal(err.message, "'*' in a binding needs numbers");
    err = script_error("let x = sysmiss(y)\n");
    assert_string_equal(err.message, "function 'sysmiss' cannot be used in a binding");
    err = script_error("let x = date_fmt(2020, 2, 30)\n");
    assert_string_equal(err.message, "date_fmt: not a valid date");
    err = script_error("let x = to_int('abc')\n");
    assert_string_equal(err.message, "to_int: 'abc' is not a number");
    err = script_error("let x = to_symbol('a b')\n");
    assert_string_equal(err.message, "to_symbol: not a valid name");
    err = script_error("let x = bind(nothing)\n");
    assert_string_equal(err.message, "bind: no binding named 'nothing'");
    err = script_error("let x = 1 / 0\n");
    assert_string_equal(err.message, "division by zero in a binding");
    err = script_error("let x = $y\n");
    assert_string_equal(err.message, "unknown binding '$y'");
    assert_int_equal(err.column, 9);
}

static void test_plus_plus_anywhere(void **state)
{
    (void)state;
    assert_string_equal(texts("let år = 2000\n"
                              "generate gift = 1 if siv_ ++ $år + 2 == \"1\"\n"
                              "import db/X 2000-01-01 as lønn ++ $år - 2000 ++ \"_2\"\n"
                              "drop lønn++$år\n"
                              "create-dataset nav ++ $år\n"
                              "generate x_$år = 1\n"
                              "let d = $år ++ '-12-31'\n"
                              "import db/X $d\n"
                              "keep if alder >= $år - 1980\n"),
                        "generate gift = 1 if siv_2002 == \"1\"\n"
                        "import db/X 2000-01-01 as lønn0_2\n"
                        "drop lønn2000\n"
                        "create-dataset nav2000\n"
                        "generate x_2000 = 1\n"
                        "import db/X 2000-12-31\n"
                        "keep if alder >= 2000 - 1980");
    assert_string_equal(texts("let s = \"it's\"\ngenerate y = $s\n"),
                        "generate y = \"it's\"");
    MdError err = script_error("let q = \"a'b\" ++ '\"'\ngenerate z = $q\n");
    assert_string_equal(err.message,
                        "a string holding both ' and \" cannot be written into a command");
    err = script_error("generate x = ++ a\n");
    assert_string_equal(err.message, "'++' needs a value on both sides");
}

static void test_for_lists_and_ranges(void **state)
{
    (void)state;
    assert_string_equal(texts("for i in 1 2 3\n  generate v$i = $i\nend\n"),
                        "generate v1 = 1\ngenerate v2 = 2\ngenerate v3 = 3");
    assert_string_equal(texts("for i in 1, 2, 3\nuse d$i\nend\n"), "use d1\nuse d2\nuse d3");
    assert_string_equal(texts("for forelder in mor, far\nuse $forelder\nend\n"),
                        "use mor\nuse far");
    assert_string_equal(texts("for s in 'indre' 'ytre'\ngenerate x = $s\nend\n"),
                        "generate x = 'indre'\ngenerate x = 'ytre'");
    assert_string_equal(texts("for år in 2000 : 2002\nuse d$år\nend\n"),
                        "use d2000\nuse d2001\nuse d2002");
    assert_string_equal(texts("for år in 2000:2002\nuse d$år\nend\n"),
                        "use d2000\nuse d2001\nuse d2002");
    assert_string_equal(texts("for k in 2 : 0\nuse d$k\nend\n"), "use d2\nuse d1\nuse d0");
    assert_string_equal(texts("for k in -1 0\ngenerate x = $k\nend\n"),
                        "generate x = -1\ngenerate x = 0");
    assert_string_equal(texts("let a = 1\nlet b = 2\nfor k in $a : $b + 1\nuse d$k\nend\n"),
                        "use d1\nuse d2\nuse d3");
    assert_string_equal(texts("for d in 2020-01-01 2021-01-01\nimport db/X $d\nend\n"),
                        "import db/X 2020-01-01\nimport db/X 2021-01-01");
}

static void test_for_zipped_and_nested_groups(void **state)
{
    (void)state;
    assert_string_equal(texts("for år, navn in 2000 : 2002, første andre tredje\n"
                              "  rename x$år $navn\nend\n"),
                        "rename x2000 første\nrename x2001 andre\nrename x2002 tredje");
    assert_string_equal(texts("for år, v in 0 : 2, første andre tredje; sted in 'indre' 'ytre'\n"
                              "generate $v = $år if s == $sted\nend\n"),
                        "generate første = 0 if s == 'indre'\n"
                        "generate andre = 1 if s == 'indre'\n"
                        "generate tredje = 2 if s == 'indre'\n"
                        "generate første = 0 if s == 'ytre'\n"
                        "generate andre = 1 if s == 'ytre'\n"
                        "generate tredje = 2 if s == 'ytre'");
    MdError err = script_error("for a, b in 1 2, x\nuse q\nend\n");
    assert_string_equal(err.message, "for: the lists have different lengths (2 and 1)");
    err = script_error("for a, b in 1 2 3\nuse q\nend\n");
    assert_string_equal(err.message, "for: 2 variables need 2 lists");
}

static void test_for_nested_loops_and_scope(void **state)
{
    (void)state;
    assert_string_equal(texts("for i in 1 2\n"
                              "  let j = $i * 10\n"
                              "  for k in a b\n"
                              "    use d$j ++ $k\n"
                              "  end\n"
                              "end\n"),
                        "use d10a\nuse d10b\nuse d20a\nuse d20b");
    MdError err = script_error("for i in 1 2\n  let inner = $i\nend\nuse $inner\n");
    assert_string_equal(err.message, "unknown binding '$inner'");
    assert_int_equal(err.line, 4);
    err = script_error("for i in 1\nuse a\nend\nuse $i\n");
    assert_string_equal(err.message, "unknown binding '$i'");
    assert_string_equal(texts("let x = 1\nfor i in 5\nlet x = 2\nend\ngenerate y = $x\n"),
                        "generate y = 1");
}

static void test_for_errors_and_limits(void **state)
{
    (void)state;
    MdError err = script_error("for i in 1 2\nuse a\n");
    assert_string_equal(err.message, "for without end");
    assert_int_equal(err.line, 1);
    err = script_error("use a\nend\n");
    assert_string_equal(err.message, "end without for");
    assert_int_equal(err.line, 2);
    err = script_error("for i in (1 2)\nuse a\nend\n");
    assert_string_equal(err.message, "for: unexpected '(' in the list");
    err = script_error("for i in 2000 : 2010 : 2\nuse a\nend\n");
    assert_string_equal(err.message, "for: a range has no step");
    assert_int_equal(err.column, 22);
    err = script_error("for i in\nuse a\nend\n");
    assert_string_equal(err.message, "for: empty list");
    err = script_error("for in 1\nuse a\nend\n");
    assert_string_equal(err.message, "for: expected 'name in list'");
    err = script_error("for i in 1 : 20000\nend\n");
    assert_int_equal(err.status, MD_ERR_LIMIT);
    err = script_error("for i in 1.5 : 3\nend\n");
    assert_string_equal(err.message, "for: a range needs whole numbers");
    err = script_error("for a in 1:101; b in 1:100\nuse x\nend\n");
    assert_string_equal(err.message, "for: too many iterations (limit is 10000)");
    assert_int_equal(err.status, MD_ERR_LIMIT);
    /* nested loops: 8 levels of 10 would be 10^8 commands */
    char deep[2048] = "";
    for (int i = 0; i < 8; i++)
        snprintf(deep + strlen(deep), sizeof(deep) - strlen(deep), "for v%d in 1:10\n", i);
    strncat(deep, "use x\n", sizeof(deep) - strlen(deep) - 1);
    for (int i = 0; i < 8; i++)
        strncat(deep, "end\n", sizeof(deep) - strlen(deep) - 1);
    err = script_error(deep);
    assert_int_equal(err.status, MD_ERR_LIMIT);
    /* loops whose bodies make no commands (only let, or only errors) are limited too */
    deep[0] = '\0';
    for (int i = 0; i < 8; i++)
        snprintf(deep + strlen(deep), sizeof(deep) - strlen(deep), "for v%d in 1:10\n", i);
    strncat(deep, "let x = 1\n", sizeof(deep) - strlen(deep) - 1);
    for (int i = 0; i < 8; i++)
        strncat(deep, "end\n", sizeof(deep) - strlen(deep) - 1);
    err = script_error(deep);
    assert_int_equal(err.status, MD_ERR_LIMIT);
    assert_string_equal(err.message, "the loops expand to more than 200000 lines");
    MdError errs[4];
    const char *bad_body = "for a in 1:100\nfor b in 1:100\nfor c in 1:100\ngen x\nend\nend\nend\n";
    int32_t n = lang_check_script(arena, bad_body, strlen(bad_body), errs, 4);
    assert_int_equal(n, 2);
    assert_string_equal(errs[1].message, "the loops expand to more than 200000 lines");
}

static void test_check_collects_errors(void **state)
{
    (void)state;
    const char *script = "gen x = 1\n"
                         "generate y = substr(a)\n"
                         "generate ok = 1\n"
                         "tabulate x, rowpc\n"
                         "for i in 1 2\n"
                         "  reg y x\n"
                         "end\n"
                         "keep if x == .\n";
    MdError errs[10];
    int32_t n = lang_check_script(arena, script, strlen(script), errs, 10);
    assert_int_equal(n, 5);
    assert_int_equal(errs[0].line, 1);
    assert_string_equal(errs[0].message, "unknown command 'gen' (did you mean 'generate'?)");
    assert_int_equal(errs[1].line, 2);
    assert_int_equal(errs[2].line, 4);
    assert_string_equal(errs[2].message, "unknown option 'rowpc' for tabulate (did you mean "
                                         "'rowpct'?)");
    assert_int_equal(errs[3].line, 6); /* reported once, not once per iteration */
    assert_int_equal(errs[4].line, 8);
    assert_int_equal(lang_check_script(arena, script, strlen(script), errs, 2), 5);
    assert_int_equal(lang_check_script(arena, "use a\n", 6, errs, 10), 0);
    assert_int_equal(lang_check_script(arena, "use a\n", 6, NULL, 0), 0);
}

static void test_nul_byte_and_invalid_utf8(void **state)
{
    (void)state;
    MdError err;
    md_error_clear(&err);
    const char text[] = "use a\nuse \0b\n";
    assert_null(lang_parse_script(arena, text, sizeof(text) - 1, &err));
    assert_string_equal(err.message, "the script contains a NUL byte");
    assert_int_equal(err.line, 2);
    err = script_error("use a\ngenerate x = '\xc3\x28'\n");
    assert_string_equal(err.message, "invalid UTF-8 in the script");
    assert_string_equal(err.where, "generate");
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 15);
}

/* Every allocation failing in turn: a clean error (or success), never a crash or leak. */
static void test_allocation_failures(void **state)
{
    (void)state;
    const char *script = "let d = date_fmt(2020, 12, 31)\n"
                         "for aar, v in 2019 : 2020, a b; s in 'x' 'y'\n"
                         "  import db/INNTEKT_WLONN $d as lonn ++ $aar\n"
                         "  generate $v = inlist(x, 1, 2) if sted == $s\n"
                         "  import db/X date_fmt($aar) as l ++ to_str($aar - 1)\n"
                         "  generate d = date_fmt($aar) if to_symbol('x' ++ $aar) > 1\n"
                         "end\n"
                         "for d in date_fmt(2020) x ++ 1\nuse $d\nend\n"
                         "textblock\n# T\nendblock\n"
                         "recode x (1/7 = 0 'low') (missing = 9 missing), prefix(r)\n"
                         "collapse (sum) a -> b (mean) c, by(k)\n"
                         "regress y i.x##c.z, robust\n";
    int64_t before = md_mem_live_allocations();
    bool succeeded = false;
    for (int64_t n = 0; n < 5000 && !succeeded; n++) {
        md_mem_fail_after(n);
        Arena *a = arena_new(256);
        if (a) {
            MdError err;
            md_error_clear(&err);
            Script *s = lang_parse_script(a, script, strlen(script), &err);
            if (s)
                succeeded = true;
            else
                assert_int_equal(err.status, MD_ERR_MEMORY);
            MdError errs[4];
            md_mem_fail_after(n);
            int32_t k = lang_check_script(a, script, strlen(script), errs, 4);
            for (int32_t i = 0; i < k && i < 4; i++)
                assert_int_equal(errs[i].status, MD_ERR_MEMORY);
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
        cmocka_unit_test(test_comments_and_blank_lines),
        cmocka_unit_test(test_continuations_keep_first_line),
        cmocka_unit_test(test_continuation_error_positions),
        cmocka_unit_test(test_textblocks),
        cmocka_unit_test(test_let_values),
        cmocka_unit_test(test_binding_functions),
        cmocka_unit_test(test_binding_function_contexts),
        cmocka_unit_test(test_for_list_calls),
        cmocka_unit_test(test_let_errors),
        cmocka_unit_test(test_plus_plus_anywhere),
        cmocka_unit_test(test_for_lists_and_ranges),
        cmocka_unit_test(test_for_zipped_and_nested_groups),
        cmocka_unit_test(test_for_nested_loops_and_scope),
        cmocka_unit_test(test_for_errors_and_limits),
        cmocka_unit_test(test_check_collects_errors),
        cmocka_unit_test(test_nul_byte_and_invalid_utf8),
        cmocka_unit_test(test_allocation_failures),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
