/*
 * test_lang_examples.c - every example script of language.md section 9 parses completely:
 * the exact sequence of commands, and for each script the details a handler relies on
 * (paths, dates, expressions, options, loop expansion with the exact command texts).
 * The scripts are kept verbatim (comments and continuations included).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lang_test_util.h"

/* language.md section 9.1 */
static const char example_9_1[] =
    "require no.ssb.fdb:53 as db\n"
    "create-dataset pop\n"
    "import db/BEFOLKNING_STATUSKODE 2024-01-01 as regstat    // first import →"
    " population = everyone with a status code on that date\n"
    "keep if regstat == '1'                                   // residents only"
    " (string code)\n"
    "import db/BEFOLKNING_KJOENN as kjonn                     // FIXED: no date\n"
    "import db/BEFOLKNING_FOEDSELS_AAR_MND as fodt            // FIXED, integer"
    " YYYYMM\n"
    "import db/INNTEKT_WLONN 2023-12-31 as lonn23             // ACCUMULATED: wage"
    " income for 2023\n"
    "generate alder = 2024 - int(fodt / 100)\n"
    "keep if alder >= 25 & alder <= 66\n"
    "tabulate kjonn                 // → 2 rows (Mann, Kvinne) + total, frequency"
    " column\n"
    "summarize lonn23 alder         // → 2 rows × (mean, sd, N, p1, p25, p50, p75,"
    " p99)\n"
    "tabulate kjonn, summarize(lonn23) p50   // → 2 rows, cells = median wage per"
    " sex (3 significant digits)\n"
    "histogram lonn23, bin(20)      // → chart\n";

/* language.md section 9.2 */
static const char example_9_2[] =
    "require no.ssb.fdb:53 as db\n"
    "create-dataset d\n"
    "import db/BEFOLKNING_KOMMNR_FORMELL 2024-01-01 as kommune\n"
    "import db/NUDB_BU 2023-10-01 as nus\n"
    "generate fylke = substr(kommune, 1, 2)             // string '03', '46', ...\n"
    "define-labels fylkenavn '03' Oslo '46' Vestland '50' Trøndelag \\\n"
    "    '11' Rogaland '18' Nordland\n"
    "assign-labels fylke fylkenavn\n"
    "generate utdniva = substr(nus, 1, 1)\n"
    "destring utdniva, force                            // non-numeric codes →"
    " missing\n"
    "recode utdniva (0/2 = 1 'Grunnskole') (3/5 = 2 'Videregående') (6/8 = 3"
    " 'Høyere') \\\n"
    "    (9 = 99 'Uoppgitt' missing)          // 99 flagged as missing\n"
    "generate oslo = kommune == '0301'                  // 0/1 dummy\n"
    "tabulate fylke utdniva, rowpct                     // → fylke × 3 levels, row"
    " %, totals\n";

/* language.md section 9.3 */
static const char example_9_3[] =
    "require no.ssb.fdb:53 as db\n"
    "create-dataset bosatte\n"
    "import db/BEFOLKNING_STATUSKODE 2024-01-01 as regstat\n"
    "keep if regstat == '1'\n"
    "import db/BEFOLKNING_KJOENN as kjonn\n"
    "\n"
    "create-dataset siv\n"
    "import-event db/SIVSTANDFDT_SIVSTAND 2023-01-01 to 2023-12-31 as sivst\n"
    "                                // → one row per civil-status spell overlapping"
    " 2023:\n"
    "                                //   PERSONID_1, sivst, START@sivst, STOP@sivst\n"
    "keep if sivst == '4' & START@sivst >= date(2023, 1, 1)   // spells \"divorced\""
    " that started in 2023\n"
    "collapse (count) sivst -> n_skilt, by(PERSONID_1)        // → person-level"
    " dataset\n"
    "merge n_skilt into bosatte                               // key = unit id on"
    " both sides\n"
    "use bosatte\n"
    "generate skilt23 = 0\n"
    "replace skilt23 = 1 if n_skilt >= 1\n"
    "tabulate skilt23 kjonn, colpct                           // → 2×2 table with"
    " column %\n";

/* language.md section 9.4 */
static const char example_9_4[] =
    "require no.ssb.fdb:53 as db\n"
    "create-dataset pers\n"
    "import db/BEFOLKNING_REGSTAT_FAMTYP 2024-01-01 as famtype\n"
    "keep if famtype == '2.1.1'                          // married couples with"
    " small children\n"
    "import db/BEFOLKNING_REGSTAT_FAMNR 2024-01-01 as famnr\n"
    "\n"
    "create-dataset fam\n"
    "import db/BEFOLKNING_REGSTAT_FAMNR 2024-01-01 as famnr\n"
    "import db/INNTEKT_WYRKINNT 2023-12-31 as yrk\n"
    "collapse (sum) yrk -> faminnt (count) yrk -> n_innt, by(famnr)   // → one row"
    " per family; unit = famnr\n"
    "merge faminnt n_innt into pers on famnr             // many persons ← one family\n"
    "use pers\n"
    "summarize faminnt                                   // → 1 row, winsorised"
    " mean/sd\n"
    "barchart (mean) faminnt, over(famtype)              // → chart\n";

/* language.md section 9.5 */
static const char example_9_5[] =
    "require no.ssb.fdb:53 as db\n"
    "create-dataset jobb                                   // unit = job"
    " (ARBLONN_ARB_*)\n"
    "import db/ARBLONN_ARB_STILLINGSPST 2025-01-16 as pst  // status date = the 16th\n"
    "import db/ARBLONN_ARB_YRKE_STYRK08 2025-01-16 as yrke\n"
    "import db/ARBLONN_LONN_FAST 2025-01-16 as fastlonn\n"
    "import db/ARBEIDSFORHOLD_PERSON as personid          // pointer job → person\n"
    "\n"
    "create-dataset pers\n"
    "import db/BEFOLKNING_KJOENN as kjonn\n"
    "merge kjonn into jobb on personid                     // person attribute onto"
    " every job\n"
    "\n"
    "clone-dataset jobb jobb_kopi                          // keep a job-level copy;"
    " active is still pers\n"
    "use jobb\n"
    "collapse (sum) pst -> sum_pst (count) pst -> n_jobber, by(personid)   // →"
    " person level\n"
    "merge sum_pst n_jobber into pers\n"
    "use pers\n"
    "tabulate n_jobber kjonn, flatten                      // → flat grid for export\n"
    "use jobb_kopi\n"
    "generate yrke1 = substr(yrke, 1, 1)\n"
    "tabulate yrke1 kjonn, summarize(fastlonn) p50        // → occupation × sex,"
    " median monthly pay\n";

/* language.md section 9.6 */
static const char example_9_6[] =
    "require no.ssb.fdb:53 as db\n"
    "create-dataset barn\n"
    "import db/BEFOLKNING_FOEDSELS_AAR_MND as fodt\n"
    "keep if inrange(int(fodt/100), 1985, 1990)\n"
    "import db/INNTEKT_WLONN 2023-12-31 as lonn\n"
    "import db/BEFOLKNING_MOR_FNR as mor\n"
    "import db/BEFOLKNING_FAR_FNR as far\n"
    "\n"
    "create-dataset foreldre\n"
    "import db/INNTEKT_WLONN 2005-12-31 as lonn_far\n"
    "clone-variables lonn_far -> lonn_mor\n"
    "merge lonn_far into barn on far        // parent's PERSONID_1 ↔ child's pointer\n"
    "merge lonn_mor into barn on mor\n"
    "use barn\n"
    "correlate lonn lonn_far lonn_mor       // → 3×3 matrix\n"
    "regress lonn lonn_far lonn_mor, robust // → coefficient table, N, R²\n";

/* language.md section 9.7 */
static const char example_9_7[] =
    "require no.ssb.fdb:53 as db\n"
    "create-dataset utvalg\n"
    "import db/BEFOLKNING_STATUSKODE 2019-01-01 as regstat\n"
    "keep if regstat == '1'\n"
    "sample 50000 2024                      // 50 000 units, seed 2024\n"
    "clone-units utvalg panel\n"
    "use panel\n"
    "import-panel db/INNTEKT_WLONN db/SIVSTANDFDT_SIVSTAND"
    " db/BEFOLKNING_KOMMNR_FAKTISK \\\n"
    "    2019-01-01 2020-01-01 2021-01-01 2022-01-01\n"
    "rename INNTEKT_WLONN lonn\n"
    "generate gift = SIVSTANDFDT_SIVSTAND == '2'\n"
    "generate oslo = BEFOLKNING_KOMMNR_FAKTISK == '0301'\n"
    "generate aar = year(date@panel)\n"
    "tabulate-panel gift                    // → categories × 4 date columns\n"
    "summarize-panel lonn                   // → 4 rows (one per date)\n"
    "transitions-panel gift oslo            // → two from×to tables\n"
    "regress-panel lonn gift oslo, fe\n"
    "regress-panel lonn gift oslo, re\n"
    "hausman lonn gift oslo                 // → FE vs RE table + chi2, P\n";

/* language.md section 9.8 */
static const char example_9_8[] =
    "require no.ssb.fdb:53 as db\n"
    "create-dataset w\n"
    "import db/BEFOLKNING_KJOENN as kjonn\n"
    "for aar in 2019 : 2023\n"
    "  let d = date_fmt($aar, 12, 31)\n"
    "  import db/INNTEKT_WLONN $d as lonn ++ $aar        // lonn2019 … lonn2023\n"
    "end\n"
    "generate maks = rowmax(lonn2019, lonn2020, lonn2021, lonn2022, lonn2023)\n"
    "generate n_aar = rowvalid(lonn2019, lonn2020, lonn2021, lonn2022, lonn2023)\n"
    "reshape-to-panel lonn                              // → long; date@panel ="
    " 2019..2023; kjonn repeated\n"
    "summarize-panel lonn\n";

/* language.md section 9.9 */
static const char example_9_9[] =
    "require no.ssb.fdb:53 as db\n"
    "create-dataset ledig\n"
    "import-event db/ARBSOEK2001FDT_HOVED 2015-01-01 to 2022-12-31 as as_status\n"
    "keep if as_status == '1' & START@as_status >= date(2015, 1, 1)\n"
    "collapse (min) START@as_status -> forste, by(PERSONID_1)\n"
    "generate dager = forste - date(2015, 1, 1)\n"
    "\n"
    "create-dataset kohort\n"
    "import db/BEFOLKNING_STATUSKODE 2015-01-01 as regstat\n"
    "keep if regstat == '1'\n"
    "import db/BEFOLKNING_KJOENN as kjonn\n"
    "import db/BEFOLKNING_FOEDSELS_AAR_MND as fodt\n"
    "generate alder = 2015 - int(fodt/100)\n"
    "keep if inrange(alder, 25, 55)\n"
    "use ledig\n"
    "merge dager into kohort\n"
    "use kohort\n"
    "generate hendelse = sysmiss(dager) == 0\n"
    "replace dager = date(2022,12,31) - date(2015,1,1) if sysmiss(dager)   //"
    " censored → window length\n"
    "kaplan-meier hendelse dager, by(kjonn)      // → survival curves + key figures"
    " per sex\n"
    "cox hendelse dager alder i.kjonn, hazard    // → hazard-ratio table\n";

/* language.md section 9.10 */
static const char example_9_10[] =
    "require no.ssb.fdb:53 as db\n"
    "create-dataset m\n"
    "import db/BEFOLKNING_STATUSKODE 2024-01-01 as regstat\n"
    "keep if regstat == '1'\n"
    "import db/BEFOLKNING_FOEDSELS_AAR_MND as fodt\n"
    "generate alder = 2024 - int(fodt/100)\n"
    "keep if inrange(alder, 30, 60)\n"
    "import db/BEFOLKNING_KJOENN as kjonn\n"
    "import db/NUDB_BU 2023-10-01 as nus\n"
    "import db/INNTEKT_WLONN 2023-12-31 as lonn\n"
    "generate hoyutd = inlist(substr(nus, 1, 1), '7', '8')\n"
    "generate hoylonn = lonn > 800000\n"
    "logit hoylonn hoyutd alder i.kjonn, or                  // → odds-ratio table\n"
    "logit hoylonn hoyutd alder i.kjonn, mfx(dydx) mfx_at(mean)\n"
    "logit-predict hoylonn hoyutd alder i.kjonn, probabilities(p_hat)\n"
    "summarize p_hat\n"
    "coefplot logit hoylonn hoyutd alder i.kjonn             // → chart\n";

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

/* Parses a script and checks that its commands are exactly `names` (space separated). */
static Script *expect_commands(const char *script, const char *names)
{
    MdError err;
    Script *s = parse_text(arena, script, &err);
    if (!s)
        fail_msg("line %d col %d: %s", err.line, err.column, err.message);
    char got[2048] = "";
    for (int32_t i = 0; i < s->n_statements; i++) {
        assert_int_equal(s->statements[i].kind, STATEMENT_COMMAND);
        strncat(got, s->statements[i].command.spec->name, sizeof(got) - strlen(got) - 2);
        if (i + 1 < s->n_statements)
            strncat(got, " ", sizeof(got) - strlen(got) - 1);
    }
    assert_string_equal(got, names);
    MdError errs[4];
    assert_int_equal(lang_check_script(arena, script, strlen(script), errs, 4), 0);
    return s;
}

static const Command *cmd(Script *s, int32_t i)
{
    return &s->statements[i].command;
}

static void test_example_9_1(void **state)
{
    (void)state;
    Script *s = expect_commands(example_9_1, "require create-dataset import keep import import "
                                "import generate keep tabulate summarize tabulate histogram");
    char buf[256];
    assert_string_equal(cmd(s, 2)->text, "import db/BEFOLKNING_STATUSKODE 2024-01-01 as regstat");
    assert_int_equal(cmd(s, 2)->args[1].date, date_from_ymd(2024, 1, 1));
    assert_int_equal(cmd(s, 2)->line, 3);
    assert_string_equal(sexpr(cmd(s, 7)->value, buf, sizeof(buf)), "(- 2024 int((/ fodt 100)))");
    assert_string_equal(sexpr(cmd(s, 8)->condition, buf, sizeof(buf)),
                        "(& (>= alder 25) (<= alder 66))");
    assert_int_equal(command_option(cmd(s, 11), "summarize")->n_tokens, 1);
    assert_string_equal(command_option(cmd(s, 12), "bin")->tokens[0].text, "20");
}

static void test_example_9_2(void **state)
{
    (void)state;
    Script *s = expect_commands(example_9_2, "require create-dataset import import generate "
                                "define-labels assign-labels generate destring recode generate "
                                "tabulate");
    const Command *labels = cmd(s, 5);
    assert_int_equal(labels->line, 6);
    assert_int_equal(labels->n_args, 11);
    assert_string_equal(labels->args[6].text, "Trøndelag");
    assert_int_equal(labels->args[7].line, 7);
    const Command *recode = cmd(s, 9);
    assert_int_equal(recode->line, 11);
    MdError err;
    md_error_clear(&err);
    RecodeSpec *r = lang_parse_recode(arena, recode->args, recode->n_args, &err);
    assert_non_null(r);
    assert_int_equal(r->n_rules, 4);
    assert_string_equal(r->rules[1].label, "Videregående");
    assert_true(r->rules[3].result_is_missing);
    assert_int_equal(r->rules[3].line, 12);
    assert_non_null(command_option(cmd(s, 8), "force"));
}

static void test_example_9_3(void **state)
{
    (void)state;
    Script *s = expect_commands(example_9_3, "require create-dataset import keep import "
                                "create-dataset import-event keep collapse merge use generate "
                                "replace tabulate");
    const Command *ev = cmd(s, 6);
    assert_int_equal(ev->n_args, 6);
    assert_int_equal(ev->args[1].kind, TOKEN_DATE);
    assert_string_equal(ev->args[2].text, "to");
    assert_int_equal(ev->args[3].date, date_from_ymd(2023, 12, 31));
    int32_t n = 0;
    MdError err;
    md_error_clear(&err);
    StatItem *it = lang_parse_stat_items(arena, cmd(s, 8)->args, cmd(s, 8)->n_args, &n, &err);
    assert_int_equal(n, 1);
    assert_string_equal(it[0].stat, "count");
    assert_string_equal(it[0].target, "n_skilt");
    assert_string_equal(command_option(cmd(s, 8), "by")->tokens[0].text, "PERSONID_1");
}

static void test_example_9_4(void **state)
{
    (void)state;
    Script *s = expect_commands(example_9_4, "require create-dataset import keep import "
                                "create-dataset import import collapse merge use summarize "
                                "barchart");
    int32_t n = 0;
    MdError err;
    md_error_clear(&err);
    StatItem *it = lang_parse_stat_items(arena, cmd(s, 8)->args, cmd(s, 8)->n_args, &n, &err);
    assert_int_equal(n, 2);
    assert_string_equal(it[1].stat, "count");
    assert_string_equal(it[1].target, "n_innt");
    assert_int_equal(cmd(s, 9)->n_args, 6);
}

static void test_example_9_5(void **state)
{
    (void)state;
    Script *s = expect_commands(example_9_5, "require create-dataset import import import import "
                                "create-dataset import merge clone-dataset use collapse merge "
                                "use tabulate use generate tabulate");
    assert_int_equal(cmd(s, 5)->n_args, 3); /* FIXED variable: no date */
    assert_non_null(command_option(cmd(s, 14), "flatten"));
    assert_non_null(command_option(cmd(s, 17), "p50"));
}

static void test_example_9_6(void **state)
{
    (void)state;
    Script *s = expect_commands(example_9_6, "require create-dataset import keep import import "
                                "import create-dataset import clone-variables merge merge use "
                                "correlate regress");
    const Command *clone = cmd(s, 9);
    assert_int_equal(clone->n_args, 3);
    assert_string_equal(clone->args[1].text, "->");
    assert_int_equal(clone->args[1].kind, TOKEN_OP);
    assert_non_null(command_option(cmd(s, 14), "robust"));
}

static void test_example_9_7(void **state)
{
    (void)state;
    Script *s = expect_commands(example_9_7, "require create-dataset import keep sample "
                                "clone-units use import-panel rename generate generate generate "
                                "tabulate-panel summarize-panel transitions-panel regress-panel "
                                "regress-panel hausman");
    const Command *panel = cmd(s, 7);
    assert_int_equal(panel->line, 8);
    assert_int_equal(panel->n_args, 7);
    assert_int_equal(panel->args[2].kind, TOKEN_PATH);
    assert_int_equal(panel->args[3].kind, TOKEN_DATE);
    assert_int_equal(panel->args[6].line, 9);
    char buf[128];
    assert_string_equal(sexpr(cmd(s, 11)->value, buf, sizeof(buf)), "year(date@panel)");
    assert_non_null(command_option(cmd(s, 16), "re"));
}

static void test_example_9_8_loop_expansion(void **state)
{
    (void)state;
    Script *s = expect_commands(example_9_8, "require create-dataset import import import import "
                                "import import generate generate reshape-to-panel "
                                "summarize-panel");
    for (int32_t y = 2019; y <= 2023; y++) {
        char want[128];
        snprintf(want, sizeof(want), "import db/INNTEKT_WLONN %d-12-31 as lonn%d", y, y);
        const Command *c = cmd(s, 3 + (y - 2019));
        assert_string_equal(c->text, want);
        assert_int_equal(c->line, 6);
        assert_int_equal(c->args[1].kind, TOKEN_DATE);
        assert_int_equal(c->args[1].date, date_from_ymd(y, 12, 31));
    }
    assert_int_equal(cmd(s, 8)->value->n_args, 5);
}

static void test_example_9_9(void **state)
{
    (void)state;
    Script *s = expect_commands(example_9_9, "require create-dataset import-event keep collapse "
                                "generate create-dataset import keep import import generate keep "
                                "use merge use generate replace kaplan-meier cox");
    int32_t n = 0;
    MdError err;
    md_error_clear(&err);
    StatItem *it = lang_parse_stat_items(arena, cmd(s, 4)->args, cmd(s, 4)->n_args, &n, &err);
    assert_string_equal(it[0].source, "START@as_status");
    Term *t = lang_parse_terms(arena, cmd(s, 19)->args, cmd(s, 19)->n_args, &n, &err);
    assert_int_equal(n, 4);
    assert_int_equal(t[3].kind, TERM_FACTOR);
    assert_non_null(cmd(s, 17)->condition);
}

static void test_example_9_10(void **state)
{
    (void)state;
    Script *s = expect_commands(example_9_10, "require create-dataset import keep import generate "
                                "keep import import import generate generate logit logit "
                                "logit-predict summarize coefplot");
    const Option *mfx = command_option(cmd(s, 13), "mfx");
    assert_string_equal(mfx->tokens[0].text, "dydx");
    assert_string_equal(command_option(cmd(s, 14), "probabilities")->tokens[0].text, "p_hat");
    assert_string_equal(cmd(s, 16)->args[0].text, "logit");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_example_9_1),
        cmocka_unit_test(test_example_9_2),
        cmocka_unit_test(test_example_9_3),
        cmocka_unit_test(test_example_9_4),
        cmocka_unit_test(test_example_9_5),
        cmocka_unit_test(test_example_9_6),
        cmocka_unit_test(test_example_9_7),
        cmocka_unit_test(test_example_9_8_loop_expansion),
        cmocka_unit_test(test_example_9_9),
        cmocka_unit_test(test_example_9_10),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
