/*
 * test_lang_parser.c - unit tests of the command parser and the tables: every command of
 * language.md section 4 and every function of 5.4 is in its table; positional arguments,
 * paths, dates, `= expr`, `if`, options (bare, with arguments, nested parentheses, quotes,
 * empty), statistic selectors, factor notation, recode rules, ivregress groups, coefplot,
 * and each error with its message.
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

static const Command *one(const char *line)
{
    MdError err;
    Script *s = parse_text(arena, line, &err);
    if (!s)
        fail_msg("'%s' failed: %s", line, err.message);
    assert_int_equal(s->n_statements, 1);
    return &s->statements[0].command;
}

static MdError bad(const char *line)
{
    MdError err;
    Script *s = parse_text(arena, line, &err);
    if (s)
        fail_msg("'%s' should fail", line);
    return err;
}

/* ==== Tables =========================================================================== */

static void test_every_command_is_in_the_table(void **state)
{
    (void)state;
    static const char *const names[] = {
        "require", "create-dataset", "delete-dataset", "use", "clone-dataset", "clone-units",
        "rename-dataset", "reshape-from-panel", "reshape-to-panel", "import", "import-event",
        "import-panel", "generate", "replace", "rename", "clone-variables", "drop", "keep",
        "aggregate", "collapse", "merge", "recode", "destring", "assign-labels",
        "define-labels", "drop-labels", "list-labels", "sample", "let", "for", "end",
        "summarize", "summarize-panel", "tabulate", "tabulate-panel", "anova", "ci",
        "correlate", "normaltest", "transitions-panel", "regress", "regress-predict",
        "regress-panel", "regress-panel-predict", "regress-panel-diff", "regress-mml",
        "regress-mml-predict", "hausman", "ivregress", "ivregress-predict", "logit",
        "logit-predict", "probit", "probit-predict", "mlogit", "mlogit-predict", "poisson",
        "poisson-predict", "negative-binomial", "negative-binomial-predict", "oaxaca", "rdd",
        "kaplan-meier", "weibull", "cox", "barchart", "boxplot", "coefplot", "hexbin",
        "histogram", "piechart", "sankey", "help", "help-function", "history", "clear", "edit",
        "load", "save", "textblock", "variables", "configure",
    };
    assert_int_equal(lang_command_count(), (int32_t)MD_ARRAY_LEN(names));
    for (size_t i = 0; i < MD_ARRAY_LEN(names); i++) {
        const CommandSpec *c = lang_command_find(names[i]);
        if (!c)
            fail_msg("command %s missing", names[i]);
        assert_string_equal(c->name, names[i]);
        assert_non_null(c->syntax);
        assert_non_null(c->summary);
        assert_non_null(c->options);
        assert_ptr_equal(lang_command_at((int32_t)i), c); /* table order = manual order */
    }
    assert_null(lang_command_at(-1));
    assert_null(lang_command_at(lang_command_count()));
    assert_null(lang_command_find("gen"));
    assert_int_equal(lang_command_find("generate")->grammar, GRAMMAR_ASSIGN);
    assert_int_equal(lang_command_find("collapse")->group, GROUP_PREPARATION);
    assert_int_equal(lang_command_find("cox")->group, GROUP_SURVIVAL);
    assert_true(lang_command_find("tabulate")->allows_if);
    assert_false(lang_command_find("use")->allows_if);
}

/* Table integrity: syntax lines start with the name, options are unique and sane. */
static void test_command_table_is_consistent(void **state)
{
    (void)state;
    for (int32_t i = 0; i < lang_command_count(); i++) {
        const CommandSpec *c = lang_command_at(i);
        assert_int_equal(strncmp(c->syntax, c->name, strlen(c->name)), 0);
        assert_true(c->summary[0] != '\0');
        assert_true(c->group >= GROUP_DATASETS && c->group <= GROUP_SUPPORT);
        for (const OptionSpec *o = c->options; o->name; o++) {
            assert_true(o->max_args < 0 || o->max_args >= o->min_args);
            for (const OptionSpec *q = c->options; q < o; q++) {
                if (strcmp(q->name, o->name) == 0)
                    fail_msg("%s lists option %s twice", c->name, o->name);
            }
        }
        for (int32_t j = 0; j < i; j++)
            assert_string_not_equal(lang_command_at(j)->name, c->name);
    }
    for (int32_t i = 0; i < lang_function_count(); i++) {
        const FunctionSpec *f = lang_function_at(i);
        assert_int_equal(strncmp(f->signature, f->name, strlen(f->name)), 0);
        assert_int_equal(f->signature[strlen(f->name)], '(');
        for (int32_t j = 0; j < i; j++)
            assert_string_not_equal(lang_function_at(j)->name, f->name);
    }
}

static void test_every_function_is_in_the_table(void **state)
{
    (void)state;
    static const char *const names[] = {
        "date", "isoformatdate", "day", "month", "year", "halfyear", "quarter", "week", "dow",
        "doy", "binomial", "binomialp", "binomialtail", "normal", "normalden", "F", "Fden",
        "Ftail", "invF", "invFtail", "nF", "nFden", "nFtail", "invnFtail", "chi2", "chi2den",
        "chi2tail", "invchi2", "invchi2tail", "nchi2", "nchi2den", "nchi2tail", "betaden",
        "ibeta", "ibetatail", "invibeta", "invibetatail", "t", "tden", "ttail", "invt",
        "invttail", "nt", "ntden", "nttail", "invnttail", "acos", "asin", "atan", "cos", "sin",
        "tan", "sqrt", "exp", "ln", "log10", "lnfactorial", "logit", "comb", "abs", "pi",
        "ceil", "floor", "int", "round", "quantile", "rowmax", "rowmin", "rowmean",
        "rowmedian", "rowtotal", "rowstd", "rowconcat", "rowmissing", "rowvalid", "length",
        "string", "lower", "upper", "startswith", "endswith", "substr", "ltrim", "rtrim",
        "trim", "inlist", "inrange", "sysmiss", "label_to_code", "inlabels", "labelcontains",
        "date_fmt", "to_int", "to_str", "to_symbol", "bind",
    };
    assert_int_equal(lang_function_count(), (int32_t)MD_ARRAY_LEN(names));
    for (size_t i = 0; i < MD_ARRAY_LEN(names); i++) {
        const FunctionSpec *f = lang_function_find(names[i]);
        if (!f)
            fail_msg("function %s missing", names[i]);
        assert_non_null(strstr(f->signature, names[i]));
        assert_true(f->max_args < 0 || f->max_args >= f->min_args);
    }
    assert_int_equal(lang_function_find("substr")->min_args, 3);
    assert_int_equal(lang_function_find("pi")->max_args, 0);
    assert_int_equal(lang_function_find("rowmax")->max_args, -1);
    assert_int_equal(lang_function_find("normalden")->max_args, 3);
    assert_null(lang_function_find("f"));
    assert_null(lang_function_at(lang_function_count()));
}

static void test_suggestions(void **state)
{
    (void)state;
    assert_string_equal(lang_command_suggest("gen"), "generate");
    assert_string_equal(lang_command_suggest("reg"), "regress");
    assert_string_equal(lang_command_suggest("tab"), "tabulate");
    assert_string_equal(lang_command_suggest("sum"), "summarize");
    assert_string_equal(lang_command_suggest("generat"), "generate");
    assert_string_equal(lang_command_suggest("improt"), "import");
    assert_null(lang_command_suggest("qqqqqqqqqq"));
    MdError err = bad("gen x = 1");
    assert_int_equal(err.status, MD_ERR_NAME);
    assert_string_equal(err.message, "unknown command 'gen' (did you mean 'generate'?)");
    assert_int_equal(err.line, 1);
    assert_int_equal(err.column, 1);
    err = bad("  browse x");
    assert_string_equal(err.message, "unknown command 'browse'");
    assert_int_equal(err.column, 3);
}

/* ==== Arguments ======================================================================== */

static void test_positional_args_paths_dates(void **state)
{
    (void)state;
    const Command *c = one("import db/INNTEKT_WLONN 2023-12-31 as lonn23, outer_join");
    assert_string_equal(c->spec->name, "import");
    assert_int_equal(c->n_args, 4);
    assert_int_equal(c->args[0].kind, TOKEN_PATH);
    assert_string_equal(c->args[0].text, "db/INNTEKT_WLONN");
    assert_int_equal(c->args[1].kind, TOKEN_DATE);
    assert_int_equal(c->args[1].date, date_from_ymd(2023, 12, 31));
    assert_string_equal(c->args[3].text, "lonn23");
    assert_int_equal(c->args[4].kind, TOKEN_END);
    assert_int_equal(c->n_options, 1);
    assert_string_equal(c->options[0].name, "outer_join");
    assert_false(c->options[0].has_parens);
    assert_non_null(command_option(c, "outer_join"));
    assert_null(command_option(c, "by"));
    c = one("require no.ssb.fdb:53 as db");
    assert_int_equal(c->n_args, 5);
    assert_string_equal(c->args[0].text, "no.ssb.fdb");
    assert_true(c->args[2].number == 53);
    c = one("help import-event");
    assert_int_equal(c->n_args, 1);
    assert_string_equal(c->args[0].text, "import-event");
    c = one("merge a b into pers on famnr");
    assert_int_equal(c->n_args, 6);
    c = one("reshape-from-panel");
    assert_int_equal(c->n_args, 0);
    assert_string_equal(c->text, "reshape-from-panel");
}

static void test_assign_and_if(void **state)
{
    (void)state;
    char buf[256];
    const Command *c = one("generate alder = 2024 - int(fodt / 100) if fodt > 0");
    assert_int_equal(c->n_args, 1);
    assert_string_equal(c->args[0].text, "alder");
    assert_string_equal(sexpr(c->value, buf, sizeof(buf)), "(- 2024 int((/ fodt 100)))");
    assert_string_equal(sexpr(c->condition, buf, sizeof(buf)), "(> fodt 0)");
    c = one("replace x = inlist(a, 1, 2)");
    assert_null(c->condition);
    assert_string_equal(sexpr(c->value, buf, sizeof(buf)), "inlist(a, 1, 2)");
    c = one("generate gift = SIVSTANDFDT_SIVSTAND == '2'");
    assert_string_equal(sexpr(c->value, buf, sizeof(buf)), "(== SIVSTANDFDT_SIVSTAND '2')");
    c = one("keep if alder >= 16 & alder < 67");
    assert_int_equal(c->n_args, 0);
    assert_string_equal(sexpr(c->condition, buf, sizeof(buf)),
                        "(& (>= alder 16) (< alder 67))");
    c = one("tabulate kommune if storby, missing");
    assert_string_equal(sexpr(c->condition, buf, sizeof(buf)), "storby");
    assert_int_equal(c->n_options, 1);
    c = one("generate x = .");
    assert_int_equal(c->value->kind, EXPR_MISSING);
    c = one("summarize");
    assert_int_equal(c->n_args, 0);
}

static void test_assign_errors(void **state)
{
    (void)state;
    MdError err = bad("generate x");
    assert_string_equal(err.message,
                        "generate: expected '=' and an expression after the variable name");
    assert_string_equal(err.hint, "usage: generate <new> = <expr> [if <cond>]");
    err = bad("generate x y = 1");
    assert_string_equal(err.message, "generate: expected exactly one variable name before '='");
    err = bad("generate x = ");
    assert_string_equal(err.message, "expected an expression after '='");
    err = bad("generate x = 1 if");
    assert_string_equal(err.message, "expected an expression after 'if'");
    err = bad("use d if x");
    assert_string_equal(err.message, "command 'use' does not take an if condition");
    assert_int_equal(err.column, 7);
    assert_string_equal(err.where, "use");
    err = bad("history now");
    assert_string_equal(err.message, "history: takes no arguments");
}

/* ==== Options ========================================================================== */

static void test_options(void **state)
{
    (void)state;
    const Command *c = one("tabulate a b, colsort('1', 201905) rowsort() summarize(x, y) "
                           "mean freq top(5)");
    assert_int_equal(c->n_options, 6);
    const Option *o = command_option(c, "colsort");
    assert_true(o->has_parens);
    assert_int_equal(o->n_tokens, 3);
    assert_int_equal(o->tokens[0].kind, TOKEN_STRING);
    assert_string_equal(o->tokens[0].text, "1");
    assert_true(o->tokens[2].number == 201905);
    o = command_option(c, "rowsort");
    assert_true(o->has_parens);
    assert_int_equal(o->n_tokens, 0);
    assert_int_equal(command_option(c, "summarize")->n_tokens, 3);
    assert_false(command_option(c, "mean")->has_parens);
    assert_int_equal(command_option(c, "top")->column, 72);
    c = one("regress y x, control(i.bosted, i.næring) level(90), robust");
    assert_int_equal(c->n_options, 3);
    assert_string_equal(command_option(c, "control")->tokens[2].text, "i.næring");
    c = one("barchart(mean) lonn, over(kjønn sivilstand) by(f(x))");
    assert_int_equal(command_option(c, "by")->n_tokens, 4);
    c = one("rdd y x, cutoff(-5)");
    assert_int_equal(command_option(c, "cutoff")->n_tokens, 2);
    c = one("regress y x, margins");
    c = one("regress y x, margins(d)");
    c = one("regress-predict y x, predicted(p) residuals(r) cooksd(c)");
    assert_int_equal(c->n_options, 3);
}

static void test_option_arg_count(void **state)
{
    (void)state;
    const Command *c = one("tabulate a, colsort('1', 201905) rowsort() summarize(x y z) "
                           "top(-5) mean");
    assert_int_equal(lang_option_arg_count(command_option(c, "colsort")), 2);
    assert_int_equal(lang_option_arg_count(command_option(c, "rowsort")), 0);
    assert_int_equal(lang_option_arg_count(command_option(c, "summarize")), 3);
    assert_int_equal(lang_option_arg_count(command_option(c, "top")), 1);
    assert_int_equal(lang_option_arg_count(command_option(c, "mean")), 0);
    c = one("barchart (mean) x, over(f(a, b), c)");
    assert_int_equal(lang_option_arg_count(command_option(c, "over")), 2);
}

static void test_option_errors(void **state)
{
    (void)state;
    MdError err = bad("tabulate x, rowpc");
    assert_string_equal(err.message, "unknown option 'rowpc' for tabulate (did you mean "
                                     "'rowpct'?)");
    assert_int_equal(err.column, 13);
    err = bad("use d, robust");
    assert_string_equal(err.message, "unknown option 'robust' for use");
    assert_string_equal(err.hint, "use takes no options");
    err = bad("regress y x, rob");
    assert_string_equal(err.message, "unknown option 'rob' for regress (did you mean 'robust'?)");
    err = bad("tabulate x, nolab");
    assert_string_equal(err.message,
                        "unknown option 'nolab' for tabulate (did you mean 'nolabels'?)");
    err = bad("regress y x, cluster");
    assert_string_equal(err.message, "option 'cluster' of regress needs an argument in "
                                     "parentheses");
    err = bad("regress y x, robust(x)");
    assert_string_equal(err.message, "option 'robust' of regress takes no arguments");
    err = bad("ci x, level(90 95)");
    assert_string_equal(err.message, "option 'level' of ci takes at most 1 argument, not 2");
    err = bad("ci x, level()");
    assert_string_equal(err.message, "option 'level' of ci needs at least 1 argument");
    err = bad("regress y x, robust robust");
    assert_string_equal(err.message, "option 'robust' is given twice");
    err = bad("regress y x, 'robust'");
    assert_string_equal(err.message, "expected an option name, found string 'robust'");
    err = bad("regress y x, level(90");
    assert_string_equal(err.message, "unclosed '('");
}

/* ==== Typed views ====================================================================== */

static void test_terms(void **state)
{
    (void)state;
    const Command *c = one("regress lonn i.kjonn c.alder utd##i.fylke c.x#c.y");
    int32_t n = 0;
    MdError err;
    md_error_clear(&err);
    Term *t = lang_parse_terms(arena, c->args, c->n_args, &n, &err);
    assert_non_null(t);
    assert_int_equal(n, 5);
    assert_int_equal(t[0].kind, TERM_VARIABLE);
    assert_string_equal(t[0].name, "lonn");
    assert_int_equal(t[1].kind, TERM_FACTOR);
    assert_string_equal(t[1].name, "kjonn");
    assert_int_equal(t[2].kind, TERM_CONTINUOUS);
    assert_int_equal(t[3].kind, TERM_FULL_INTERACTION);
    assert_string_equal(t[3].left->name, "utd");
    assert_int_equal(t[3].right->kind, TERM_FACTOR);
    assert_string_equal(t[3].right->name, "fylke");
    assert_int_equal(t[4].kind, TERM_INTERACTION);
    assert_int_equal(t[4].left->kind, TERM_CONTINUOUS);
    c = one("anova y a#b#c");
    t = lang_parse_terms(arena, c->args, c->n_args, &n, &err);
    assert_int_equal(n, 2);
    assert_int_equal(t[1].kind, TERM_INTERACTION);
    assert_int_equal(t[1].left->kind, TERM_INTERACTION);
    assert_string_equal(t[1].right->name, "c");
    err = bad("regress y a#");
    assert_string_equal(err.message, "'#' needs a variable on both sides");
    err = bad("regress y x.z");
    assert_string_equal(err.message, "unknown variable prefix in 'x.z'");
    err = bad("summarize x 3");
    assert_string_equal(err.message, "expected a variable name, found number 3");
    err = bad("tabulate 'x'");
    assert_int_equal(err.column, 10);
}

static void test_stat_items(void **state)
{
    (void)state;
    const Command *c = one("collapse(sum) a b -> c (max) d -> e f -> g, by(x)");
    int32_t n = 0;
    MdError err;
    md_error_clear(&err);
    StatItem *it = lang_parse_stat_items(arena, c->args, c->n_args, &n, &err);
    assert_non_null(it);
    assert_int_equal(n, 4);
    assert_string_equal(it[0].stat, "sum");
    assert_string_equal(it[0].source, "a");
    assert_null(it[0].target);
    assert_string_equal(it[1].stat, "sum");
    assert_string_equal(it[1].target, "c");
    assert_string_equal(it[2].stat, "max");
    assert_string_equal(it[3].source, "f");
    assert_string_equal(it[3].stat, "max");
    assert_string_equal(it[3].target, "g");
    c = one("collapse (min) START@x, by(PERSONID_1)");
    it = lang_parse_stat_items(arena, c->args, c->n_args, &n, &err);
    assert_string_equal(it[0].source, "START@x");
    c = one("barchart (mean) faminnt, over(famtype)");
    c = one("barchart lonn");
    it = lang_parse_stat_items(arena, c->args, c->n_args, &n, &err);
    assert_null(it[0].stat);
    err = bad("collapse (mean) x");
    assert_string_equal(err.message, "collapse: needs the grouping variable in by(<var>)");
    err = bad("collapse (avg) x, by(y)");
    assert_string_equal(err.message, "collapse: unknown statistic 'avg'");
    err = bad("collapse (meen) x, by(y)");
    assert_string_equal(err.message, "collapse: unknown statistic 'meen' (did you mean 'mean'?)");
    err = bad("collapse x, by(y)");
    assert_string_equal(err.message, "collapse: start with a statistic such as (mean)");
    err = bad("aggregate (sum) inntekt, by(f)");
    assert_string_equal(err.message,
                        "aggregate: each variable needs '-> <new name>' (aggregate adds columns)");
    err = bad("collapse (sum) (mean) x, by(y)");
    assert_string_equal(err.message, "statistic (sum) has no variables");
    err = bad("collapse (sum) x ->, by(y)");
    assert_string_equal(err.message, "'->' must be followed by the new variable name");
    err = bad("collapse (sum x), by(y)");
    assert_string_equal(err.message, "expected one statistic name in parentheses, found 'x'");
    err = bad("collapse (sum) x (mean), by(y)");
    assert_string_equal(err.message, "statistic (mean) has no variables");
}

static void test_recode(void **state)
{
    (void)state;
    const Command *c = one("recode x (1/7 = 0) (min/5 -1 = 2 'low') (10/max = 99) "
                           "(nonmissing = 1) (missing = 99 \"vet ikke\" missing) (* = .) "
                           "if y > 1, prefix(r_)");
    MdError err;
    md_error_clear(&err);
    RecodeSpec *r = lang_parse_recode(arena, c->args, c->n_args, &err);
    assert_non_null(r);
    assert_non_null(c->condition);
    assert_non_null(command_option(c, "prefix"));
    assert_int_equal(r->n_variables, 1);
    assert_string_equal(r->variables[0], "x");
    assert_int_equal(r->n_rules, 6);
    assert_int_equal(r->rules[0].matches[0].kind, MATCH_RANGE);
    assert_true(r->rules[0].matches[0].low.number == 1);
    assert_true(r->rules[0].matches[0].high.number == 7);
    assert_true(r->rules[0].result.number == 0);
    assert_int_equal(r->rules[1].n_matches, 2);
    assert_string_equal(r->rules[1].matches[0].low.text, "min");
    assert_int_equal(r->rules[1].matches[1].kind, MATCH_VALUE);
    assert_true(r->rules[1].matches[1].value.number == -1);
    assert_string_equal(r->rules[1].matches[1].value.text, "-1");
    assert_string_equal(r->rules[1].label, "low");
    assert_string_equal(r->rules[2].matches[0].high.text, "max");
    assert_int_equal(r->rules[3].matches[0].kind, MATCH_NONMISSING);
    assert_int_equal(r->rules[4].matches[0].kind, MATCH_MISSING);
    assert_string_equal(r->rules[4].label, "vet ikke");
    assert_true(r->rules[4].result_is_missing);
    assert_false(r->rules[3].result_is_missing);
    assert_int_equal(r->rules[5].matches[0].kind, MATCH_ANY);
    assert_int_equal(r->rules[5].result.kind, TOKEN_DOT);
    c = one("recode a b c ('1' '2' '3' = '0') ('4' = '1' 'ikke-bosatt')");
    r = lang_parse_recode(arena, c->args, c->n_args, &err);
    assert_non_null(r);
    assert_int_equal(r->n_variables, 3);
    assert_int_equal(r->rules[0].n_matches, 3);
    assert_string_equal(r->rules[0].matches[2].value.text, "3");
    assert_string_equal(r->rules[0].result.text, "0");
}

static void test_recode_errors(void **state)
{
    (void)state;
    MdError err = bad("recode x");
    assert_string_equal(err.message, "recode rule: expected a rule in parentheses, found end "
                                     "of the line");
    err = bad("recode (1 = 2)");
    assert_string_equal(err.message, "recode rule: expected a variable name, found '('");
    err = bad("recode x 1 = 2");
    assert_string_equal(err.message, "recode rule: expected '(', found number 1");
    err = bad("recode x (1 2)");
    assert_string_equal(err.message, "recode rule: expected '=', found ')'");
    err = bad("recode x (= 2)");
    assert_string_equal(err.message, "recode rule: expected a value to match, found '='");
    err = bad("recode x (1/ = 2)");
    assert_string_equal(err.message, "recode rule: expected the upper end of the range, "
                                     "found '='");
    err = bad("recode x (1 = )");
    assert_string_equal(err.message, "recode rule: expected the new value, found ')'");
    err = bad("recode x (1 = 2 'a' 'b')");
    assert_string_equal(err.message, "recode rule: expected ')', found string 'b'");
    err = bad("recode x (min = 2)");
    assert_string_equal(err.message, "recode rule: expected a value to match, found 'min'");
}

static void test_labels_and_iv_and_coefplot(void **state)
{
    (void)state;
    const Command *c = one("define-labels kj 1 Mann 2 'Kvinne' -1 ukjent '03' Oslo "
                           "4 ikke-bosatt 5 0-17år");
    assert_int_equal(c->n_args, 13);
    assert_int_equal(c->args[5].kind, TOKEN_NUMBER);
    assert_true(c->args[5].number == -1);
    assert_string_equal(c->args[5].text, "-1");
    assert_int_equal(c->args[5].column, 36);
    assert_string_equal(c->args[10].text, "ikke-bosatt");
    assert_string_equal(c->args[12].text, "0-17år");
    assert_int_equal(c->args[12].kind, TOKEN_NAME);
    MdError err = bad("define-labels kj 1 Mann 2");
    assert_string_equal(err.message, "define-labels: the last code has no label");
    err = bad("define-labels kj Mann 1");
    assert_string_equal(err.message, "define-labels: a code must be a number or a quoted string");
    c = one("ivregress lonn alder (utd = far_utd mor_utd) kjonn, robust firststage");
    (void)c;
}

static void test_iv_and_coefplot(void **state)
{
    (void)state;
    const Command *c = one("ivregress lonn alder (utd = far_utd mor_utd) kjonn, liml robust");
    assert_int_equal(c->n_args, 9);
    assert_string_equal(c->args[2].text, "(");
    assert_string_equal(c->args[4].text, "=");
    MdError err;
    md_error_clear(&err);
    IvSpec *iv = lang_parse_iv(arena, c->args, c->n_args, &err);
    assert_non_null(iv);
    assert_string_equal(iv->depvar, "lonn");
    assert_int_equal(iv->n_exog, 2);
    assert_string_equal(iv->exog[0].name, "alder");
    assert_string_equal(iv->exog[1].name, "kjonn");
    assert_int_equal(iv->n_endog, 1);
    assert_string_equal(iv->endog[0].name, "utd");
    assert_int_equal(iv->n_instruments, 2);
    assert_string_equal(iv->instruments[1].name, "mor_utd");
    c = one("ivregress-predict y (a b = i.z) , predicted(p)");
    iv = lang_parse_iv(arena, c->args, c->n_args, &err);
    assert_int_equal(iv->n_exog, 0);
    assert_int_equal(iv->n_endog, 2);
    assert_int_equal(iv->instruments[0].kind, TERM_FACTOR);
    err = bad("ivregress y (a = b) (c = d)");
    assert_string_equal(err.message, "ivregress: only one (endogenous = instruments) group");
    err = bad("ivregress (a = b) y");
    assert_string_equal(err.message, "ivregress: the dependent variable comes first");
    err = bad("ivregress i.y x (a = b)");
    assert_string_equal(err.message,
                        "ivregress: the dependent variable must be a plain variable name");
    err = bad("ivregress y x (a = )");
    assert_string_equal(err.message, "ivregress: write (endogenous... = instruments...)");
    err = bad("ivregress y x (a = 'b')");
    assert_string_equal(err.message, "expected a variable name, found string 'b'");
    err = bad("ivregress y x z");
    assert_string_equal(err.message, "ivregress: expected one group (endogenous = instruments)");
    err = bad("ivregress y (x) z");
    assert_string_equal(err.message, "ivregress: write (endogenous... = instruments...)");
    c = one("coefplot logit hoylonn hoyutd alder i.kjonn, or");
    assert_string_equal(c->args[0].text, "logit");
    c = one("coefplot regress-panel y x, fe");
    assert_string_equal(c->args[0].text, "regress-panel");
    err = bad("coefplot regress y x, or");
    assert_string_equal(err.message, "unknown option 'or' for regress (did you mean 'ov'?)");
    err = bad("regress y x, foo");
    assert_string_equal(err.message, "unknown option 'foo' for regress");
    assert_string_equal(err.hint, "options of regress: noconstant, level(), robust, cluster(), "
                                  "control(), ov, vif, het_bp, het_iid, het_fstat, standardize, "
                                  "margins");
    err = bad("coefplot tabulate x");
    assert_string_equal(err.message, "coefplot: expected a regression command such as regress "
                                     "or logit");
}

static void test_drop_keep_forms(void **state)
{
    (void)state;
    assert_int_equal(one("drop a b c")->n_args, 3);
    assert_non_null(one("drop if sysmiss(a) | sysmiss(b)")->condition);
    MdError err = bad("keep x if y");
    assert_string_equal(err.message, "keep: give either variables or an if condition, not both");
    err = bad("drop");
    assert_string_equal(err.message, "drop: expected variable names or an if condition");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_command_is_in_the_table),
        cmocka_unit_test(test_command_table_is_consistent),
        cmocka_unit_test(test_every_function_is_in_the_table),
        cmocka_unit_test(test_suggestions),
        cmocka_unit_test(test_positional_args_paths_dates),
        cmocka_unit_test(test_assign_and_if),
        cmocka_unit_test(test_assign_errors),
        cmocka_unit_test(test_options),
        cmocka_unit_test(test_option_arg_count),
        cmocka_unit_test(test_option_errors),
        cmocka_unit_test(test_terms),
        cmocka_unit_test(test_stat_items),
        cmocka_unit_test(test_recode),
        cmocka_unit_test(test_recode_errors),
        cmocka_unit_test(test_labels_and_iv_and_coefplot),
        cmocka_unit_test(test_iv_and_coefplot),
        cmocka_unit_test(test_drop_keep_forms),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
