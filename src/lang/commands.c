/*
 * commands.c - THE command table: every command of language.md section 4 with its group,
 * argument grammar, whether it takes `if`, its options (with argument counts), a syntax
 * line and one line of help. The parser, help, error messages and completion read it; the
 * engine binds handlers by name. Order follows the manual's groups.
 *
 * An option's {min, max} counts the arguments inside its parentheses; {0, 0} is a bare
 * flag, {1, 1} needs one argument, max -1 means any number, min 0 with max > 0 allows both
 * `margins` and `margins(x)`.
 */
#include <string.h>

#include "lang/lang_int.h"

#define ANY (-1)
#define END_OPTIONS {NULL, 0, 0}
#define OPT_MODEL {"noconstant", 0, 0}, {"level", 1, 1}, {"robust", 0, 0}, \
    {"cluster", 1, 1}, {"control", 1, ANY}
#define OPT_MFX {"mfx", 1, 1}, {"mfx_at", 1, 1}, {"margins", 0, 1}
#define OPT_TABLE {"freq", 0, 0}, {"rowpct", 0, 0}, {"colpct", 0, 0}, {"cellpct", 0, 0}, \
    {"missing", 0, 0}, {"nolabels", 0, 0}, {"chi2", 0, 0}, {"flatten", 0, 0}, \
    {"colsort", 0, ANY}, {"rowsort", 0, ANY}, {"top", 1, 1}, {"bottom", 1, 1}, \
    {"summarize", 1, ANY}, {"mean", 0, 0}, {"std", 0, 0}, {"sum", 0, 0}, {"p25", 0, 0}, \
    {"p50", 0, 0}, {"p75", 0, 0}, {"gini", 0, 0}, {"iqr", 0, 0}
#define OPT_PREDICT {"predicted", 0, 1}, {"residuals", 0, 1}, {"noconstant", 0, 0}

static const OptionSpec opt_none[] = {END_OPTIONS};
static const OptionSpec opt_import[] = {{"outer_join", 0, 0}, END_OPTIONS};
static const OptionSpec opt_clone_vars[] = {{"prefix", 1, 1}, {"suffix", 1, 1}, END_OPTIONS};
static const OptionSpec opt_by[] = {{"by", 1, 1}, END_OPTIONS};
static const OptionSpec opt_recode[] = {{"prefix", 1, 1}, {"generate", 1, ANY}, END_OPTIONS};
static const OptionSpec opt_destring[] = {{"prefix", 1, 1}, {"ignore", 1, 1}, {"force", 0, 0},
                                          {"dpcomma", 0, 0}, END_OPTIONS};
static const OptionSpec opt_summarize[] = {{"gini", 0, 0}, {"iqr", 0, 0}, END_OPTIONS};
static const OptionSpec opt_tabulate[] = {OPT_TABLE, END_OPTIONS};
static const OptionSpec opt_anova[] = {{"noconstant", 0, 0}, {"posthoc", 0, 0}, END_OPTIONS};
static const OptionSpec opt_ci[] = {{"level", 1, 1}, END_OPTIONS};
static const OptionSpec opt_correlate[] = {{"covariance", 0, 0}, {"pairwise", 0, 0},
                                           {"obs", 0, 0}, {"sig", 0, 0}, END_OPTIONS};
static const OptionSpec opt_regress[] = {
    OPT_MODEL, {"ov", 0, 0}, {"vif", 0, 0}, {"het_bp", 0, 0}, {"het_iid", 0, 0},
    {"het_fstat", 0, 0}, {"standardize", 0, 0}, {"margins", 0, 1}, END_OPTIONS};
static const OptionSpec opt_regress_predict[] = {OPT_PREDICT, {"cooksd", 0, 1}, END_OPTIONS};
static const OptionSpec opt_panel[] = {OPT_MODEL, {"fe", 0, 0}, {"re", 0, 0}, {"be", 0, 0},
                                       {"pooled", 0, 0}, END_OPTIONS};
static const OptionSpec opt_panel_predict[] = {OPT_PREDICT, {"effects", 0, 1}, {"fe", 0, 0},
                                               {"re", 0, 0}, {"be", 0, 0}, {"pooled", 0, 0},
                                               END_OPTIONS};
static const OptionSpec opt_panel_diff[] = {{"level", 1, 1}, {"robust", 0, 0},
                                            {"cluster", 1, 1}, END_OPTIONS};
static const OptionSpec opt_mml[] = {{"control", 1, ANY}, {"noconstant", 0, 0},
                                     {"level", 1, 1}, END_OPTIONS};
static const OptionSpec opt_mml_predict[] = {OPT_PREDICT, END_OPTIONS};
static const OptionSpec opt_hausman[] = {{"noconstant", 0, 0}, {"level", 1, 1},
                                         {"sigmamore", 0, 0}, {"sigmaless", 0, 0},
                                         {"include_constant", 0, 0}, END_OPTIONS};
static const OptionSpec opt_ivregress[] = {OPT_MODEL, {"tsls", 0, 0}, {"liml", 0, 0},
                                           {"gmm", 0, 0}, {"endog", 0, 0},
                                           {"firststage", 0, 0}, {"overid", 0, 0}, END_OPTIONS};
static const OptionSpec opt_iv_predict[] = {OPT_PREDICT, {"tsls", 0, 0}, {"liml", 0, 0},
                                            {"gmm", 0, 0}, END_OPTIONS};
static const OptionSpec opt_logit[] = {OPT_MODEL, OPT_MFX, {"or", 0, 0}, END_OPTIONS};
static const OptionSpec opt_probit[] = {OPT_MODEL, OPT_MFX, END_OPTIONS};
static const OptionSpec opt_binary_predict[] = {{"probabilities", 0, 1}, OPT_PREDICT,
                                                END_OPTIONS};
static const OptionSpec opt_mlogit[] = {OPT_MODEL, {"mfx", 1, 1}, {"mfx_at", 1, 1},
                                        END_OPTIONS};
static const OptionSpec opt_poisson[] = {OPT_MODEL, {"irr", 0, 0}, {"exposure", 1, 1},
                                         END_OPTIONS};
static const OptionSpec opt_count_predict[] = {OPT_PREDICT, {"exposure", 1, 1}, END_OPTIONS};
static const OptionSpec opt_oaxaca[] = {{"robust", 0, 0}, {"noconstant", 0, 0},
                                        {"pool", 0, 0}, END_OPTIONS};
static const OptionSpec opt_rdd[] = {{"cutoff", 1, 1}, {"polynomial", 1, 1}, {"fuzzy", 1, 1},
                                     {"derivate", 1, 1}, {"level", 1, 1}, {"cluster", 1, 1},
                                     END_OPTIONS};
static const OptionSpec opt_cox[] = {{"hazard", 0, 0}, {"level", 1, 1}, END_OPTIONS};
static const OptionSpec opt_barchart[] = {{"over", 1, ANY}, {"by", 1, ANY}, {"stack", 0, 0},
                                          {"horizontal", 0, 0}, END_OPTIONS};
static const OptionSpec opt_boxplot[] = {{"over", 1, ANY}, {"horizontal", 0, 0}, END_OPTIONS};
static const OptionSpec opt_hexbin[] = {{"gridsize", 1, 1}, {"groups", 1, 1}, END_OPTIONS};
static const OptionSpec opt_histogram[] = {{"by", 1, 1}, {"density", 0, 0}, {"freq", 0, 0},
                                           {"fraction", 0, 0}, {"percent", 0, 0},
                                           {"bin", 1, 1}, {"width", 1, 1}, {"normal", 0, 0},
                                           {"discrete", 0, 0}, END_OPTIONS};
static const OptionSpec opt_save[] = {{"edit", 0, 0}, END_OPTIONS};

#define D GROUP_DATASETS
#define P GROUP_PREPARATION
#define B GROUP_BINDINGS
#define S GROUP_STATISTICS
#define A GROUP_ANALYSIS
#define R GROUP_REGRESSION
#define V GROUP_SURVIVAL
#define C GROUP_CHARTS
#define U GROUP_SUPPORT

static const CommandSpec commands[] = {
    /* datasets */
    {"require", D, GRAMMAR_WORDS, false, opt_none, "require <datastore>:<version> as <alias>",
     "connects a versioned datastore under an alias"},
    {"create-dataset", D, GRAMMAR_WORDS, false, opt_none, "create-dataset <name>",
     "creates an empty dataset and makes it active"},
    {"delete-dataset", D, GRAMMAR_WORDS, false, opt_none, "delete-dataset <name>",
     "removes a dataset and its variables"},
    {"use", D, GRAMMAR_WORDS, false, opt_none, "use <name>", "makes a dataset active"},
    {"clone-dataset", D, GRAMMAR_WORDS, false, opt_none, "clone-dataset <source> <new>",
     "copies a dataset (units and variables); the active dataset does not change"},
    {"clone-units", D, GRAMMAR_WORDS, false, opt_none, "clone-units <source> <new>",
     "new dataset with the units of source and no variables"},
    {"rename-dataset", D, GRAMMAR_WORDS, false, opt_none, "rename-dataset <old> <new>",
     "renames a dataset"},
    {"reshape-from-panel", D, GRAMMAR_NONE, false, opt_none, "reshape-from-panel",
     "turns a panel (long) dataset into a wide one"},
    {"reshape-to-panel", D, GRAMMAR_WORDS, false, opt_none,
     "reshape-to-panel <prefix> [<prefix> ...]", "turns a wide dataset into a panel dataset"},
    /* data preparation */
    {"import", P, GRAMMAR_WORDS, false, opt_import,
     "import <alias>/<VAR> [<YYYY-MM-DD>] [as <name>] [, outer_join]",
     "adds one register variable to the active dataset"},
    {"import-event", P, GRAMMAR_WORDS, false, opt_none,
     "import-event <alias>/<VAR> <from> to <to> [as <name>]",
     "imports every spell of an event variable that overlaps a period"},
    {"import-panel", P, GRAMMAR_WORDS, false, opt_none,
     "import-panel <alias>/<VAR> [<alias>/<VAR> ...] <date> [<date> ...]",
     "imports variables at several dates in long format"},
    {"generate", P, GRAMMAR_ASSIGN, true, opt_none, "generate <new> = <expr> [if <cond>]",
     "creates a new variable"},
    {"replace", P, GRAMMAR_ASSIGN, true, opt_none, "replace <var> = <expr> [if <cond>]",
     "overwrites values of a variable where the condition holds"},
    {"rename", P, GRAMMAR_WORDS, false, opt_none, "rename <old> <new>", "renames a variable"},
    {"clone-variables", P, GRAMMAR_WORDS, false, opt_clone_vars,
     "clone-variables <var> [-> <new>] ... [, prefix(<p>) suffix(<s>)]",
     "copies variables under new names"},
    {"drop", P, GRAMMAR_VARLIST, true, opt_none, "drop <varlist> | drop if <cond>",
     "removes variables, or the rows where the condition holds"},
    {"keep", P, GRAMMAR_VARLIST, true, opt_none, "keep <varlist> | keep if <cond>",
     "keeps only the listed variables, or the rows where the condition holds"},
    {"aggregate", P, GRAMMAR_STATLIST, false, opt_by,
     "aggregate (<stat>) <var> -> <new> [...], by(<var>)",
     "adds group statistics as new variables on every row"},
    {"collapse", P, GRAMMAR_STATLIST, false, opt_by,
     "collapse (<stat>) <var> [-> <new>] [...], by(<var>)",
     "aggregates the dataset to one row per group"},
    {"merge", P, GRAMMAR_WORDS, false, opt_none, "merge <varlist> into <dataset> [on <var>]",
     "copies variables from the active dataset into another dataset"},
    {"recode", P, GRAMMAR_RECODE, true, opt_recode,
     "recode <varlist> (<rule>) [(<rule>) ...] [if <cond>] [, prefix(<p>)]",
     "rewrites values by rules"},
    {"destring", P, GRAMMAR_VARLIST, false, opt_destring,
     "destring <varlist> [, prefix(<p>) ignore('<chars>') force dpcomma]",
     "converts string variables to numbers"},
    {"assign-labels", P, GRAMMAR_WORDS, false, opt_none, "assign-labels <var> <list>",
     "attaches a label list to a variable"},
    {"define-labels", P, GRAMMAR_LABELS, false, opt_none,
     "define-labels <list> <code> <label> [<code> <label> ...]", "creates a label list"},
    {"drop-labels", P, GRAMMAR_WORDS, false, opt_none, "drop-labels <list> [<list> ...]",
     "deletes label lists"},
    {"list-labels", P, GRAMMAR_WORDS, false, opt_none,
     "list-labels <list> | list-labels <alias>/<VAR> [<date>]", "prints a code list"},
    {"sample", P, GRAMMAR_WORDS, false, opt_none, "sample <n>|<fraction> <seed>",
     "keeps a random subset of the units"},
    /* bindings and loops (handled by the preprocessor) */
    {"let", B, GRAMMAR_TEXT, false, opt_none, "let <name> = <binding-expr>",
     "defines a binding, used later as $name"},
    {"for", B, GRAMMAR_TEXT, false, opt_none,
     "for <i>[, <j>] in <list-or-range>[, <list>] [; <k> in <list>] ... end",
     "repeats the lines up to end for each value"},
    {"end", B, GRAMMAR_NONE, false, opt_none, "end", "closes a for loop"},
    /* statistics */
    {"summarize", S, GRAMMAR_VARLIST, true, opt_summarize,
     "summarize [<varlist>] [if <cond>] [, gini iqr]", "univariate summary statistics"},
    {"summarize-panel", S, GRAMMAR_VARLIST, true, opt_summarize,
     "summarize-panel <varlist> [if <cond>] [, gini iqr]", "summary statistics per time point"},
    {"tabulate", S, GRAMMAR_VARLIST, true, opt_tabulate,
     "tabulate <varlist> [if <cond>] [, options]", "frequency and cross tables"},
    {"tabulate-panel", S, GRAMMAR_VARLIST, true, opt_tabulate,
     "tabulate-panel <varlist> [if <cond>] [, options]", "tables with time points as columns"},
    /* analysis */
    {"anova", A, GRAMMAR_VARLIST, true, opt_anova,
     "anova <y> <factors> [if <cond>] [, noconstant posthoc]", "analysis of variance"},
    {"ci", A, GRAMMAR_VARLIST, true, opt_ci, "ci <varlist> [if <cond>] [, level(<pct>)]",
     "mean, standard error and confidence interval"},
    {"correlate", A, GRAMMAR_VARLIST, true, opt_correlate,
     "correlate [<varlist>] [if <cond>] [, covariance pairwise obs sig]", "correlation matrix"},
    {"normaltest", A, GRAMMAR_VARLIST, true, opt_none, "normaltest [<varlist>] [if <cond>]",
     "tests of normality"},
    {"transitions-panel", A, GRAMMAR_VARLIST, true, opt_none,
     "transitions-panel <var> [<var> ...] [if <cond>]", "transition tables between time points"},
    /* regression */
    {"regress", R, GRAMMAR_VARLIST, true, opt_regress, "regress <y> <x...> [if <cond>] [, options]",
     "linear regression (OLS)"},
    {"regress-predict", R, GRAMMAR_VARLIST, true, opt_regress_predict,
     "regress-predict <y> <x...> [if <cond>] [, predicted(<name>) residuals(<name>)]",
     "OLS predictions and residuals as new variables"},
    {"regress-panel", R, GRAMMAR_VARLIST, true, opt_panel,
     "regress-panel <y> <x...> [if <cond>] [, fe|re|be|pooled]", "panel regression"},
    {"regress-panel-predict", R, GRAMMAR_VARLIST, true, opt_panel_predict,
     "regress-panel-predict <y> <x...> [if <cond>] [, options]",
     "panel regression predictions as new variables"},
    {"regress-panel-diff", R, GRAMMAR_VARLIST, true, opt_panel_diff,
     "regress-panel-diff <y> <group> <treated> <x...> [if <cond>] [, options]",
     "difference-in-differences on panel data"},
    {"regress-mml", R, GRAMMAR_VARLIST, true, opt_mml,
     "regress-mml <y> <x...> by <g1> [<g2>] [if <cond>] [, options]",
     "linear mixed (multilevel) model"},
    {"regress-mml-predict", R, GRAMMAR_VARLIST, true, opt_mml_predict,
     "regress-mml-predict <y> <x...> by <g1> [<g2>] [if <cond>] [, options]",
     "mixed-model predictions as new variables"},
    {"hausman", R, GRAMMAR_VARLIST, true, opt_hausman, "hausman <y> <x...> [if <cond>] [, options]",
     "Hausman test of fixed against random effects"},
    {"ivregress", R, GRAMMAR_WORDS, true, opt_ivregress,
     "ivregress <y> <exog...> (<endog...> = <instr...>) [<exog...>] [if <cond>] [, options]",
     "instrumental-variables regression"},
    {"ivregress-predict", R, GRAMMAR_WORDS, true, opt_iv_predict,
     "ivregress-predict <y> <exog...> (<endog...> = <instr...>) [if <cond>] [, options]",
     "instrumental-variables predictions as new variables"},
    {"logit", R, GRAMMAR_VARLIST, true, opt_logit, "logit <y> <x...> [if <cond>] [, options]",
     "logistic regression"},
    {"logit-predict", R, GRAMMAR_VARLIST, true, opt_binary_predict,
     "logit-predict <y> <x...> [if <cond>] [, probabilities(<name>) predicted(<name>)]",
     "logit probabilities as new variables"},
    {"probit", R, GRAMMAR_VARLIST, true, opt_probit, "probit <y> <x...> [if <cond>] [, options]",
     "probit regression"},
    {"probit-predict", R, GRAMMAR_VARLIST, true, opt_binary_predict,
     "probit-predict <y> <x...> [if <cond>] [, probabilities(<name>) predicted(<name>)]",
     "probit probabilities as new variables"},
    {"mlogit", R, GRAMMAR_VARLIST, true, opt_mlogit, "mlogit <y> <x...> [if <cond>] [, options]",
     "multinomial logistic regression"},
    {"mlogit-predict", R, GRAMMAR_VARLIST, true, opt_binary_predict,
     "mlogit-predict <y> <x...> [if <cond>] [, probabilities(<prefix>)]",
     "multinomial probabilities as new variables"},
    {"poisson", R, GRAMMAR_VARLIST, true, opt_poisson, "poisson <y> <x...> [if <cond>] [, options]",
     "Poisson regression for counts"},
    {"poisson-predict", R, GRAMMAR_VARLIST, true, opt_count_predict,
     "poisson-predict <y> <x...> [if <cond>] [, predicted(<name>)]",
     "Poisson predictions as new variables"},
    {"negative-binomial", R, GRAMMAR_VARLIST, true, opt_poisson,
     "negative-binomial <y> <x...> [if <cond>] [, options]", "negative binomial regression"},
    {"negative-binomial-predict", R, GRAMMAR_VARLIST, true, opt_count_predict,
     "negative-binomial-predict <y> <x...> [if <cond>] [, predicted(<name>)]",
     "negative binomial predictions as new variables"},
    {"oaxaca", R, GRAMMAR_VARLIST, true, opt_oaxaca,
     "oaxaca <y> <x...> by <group> [if <cond>] [, robust noconstant pool]",
     "Blinder-Oaxaca decomposition"},
    {"rdd", R, GRAMMAR_VARLIST, true, opt_rdd, "rdd <y> <runvar> [<x...>] [if <cond>] [, options]",
     "regression discontinuity design"},
    /* survival */
    {"kaplan-meier", V, GRAMMAR_VARLIST, true, opt_by,
     "kaplan-meier <event> <time> [if <cond>] [, by(<var>)]", "Kaplan-Meier survival curve"},
    {"weibull", V, GRAMMAR_VARLIST, true, opt_by,
     "weibull <event> <time> [if <cond>] [, by(<var>)]",
     "Weibull survival curve"},
    {"cox", V, GRAMMAR_VARLIST, true, opt_cox,
     "cox <event> <time> <x...> [if <cond>] [, hazard level(<pct>)]",
     "Cox proportional hazards regression"},
    /* charts */
    {"barchart", C, GRAMMAR_STATLIST, true, opt_barchart,
     "barchart (<stat>) <varlist> [if <cond>] [, over(<vars>) by(<vars>) stack horizontal]",
     "bar chart"},
    {"boxplot", C, GRAMMAR_VARLIST, true, opt_boxplot,
     "boxplot <varlist> [if <cond>] [, over(<vars>) horizontal]", "box plot"},
    {"coefplot", C, GRAMMAR_WORDS, true, opt_none, "coefplot <regression command>",
     "plots the coefficients of a regression"},
    {"hexbin", C, GRAMMAR_VARLIST, true, opt_hexbin,
     "hexbin <y> <x> [if <cond>] [, gridsize(<n>) groups(<n>)]", "hexagonal-bin density plot"},
    {"histogram", C, GRAMMAR_VARLIST, true, opt_histogram,
     "histogram <var> [if <cond>] [, by(<var>) density|freq|fraction|percent bin(<n>) "
     "width(<w>) normal discrete]", "histogram"},
    {"piechart", C, GRAMMAR_VARLIST, true, opt_none, "piechart <var> [if <cond>]", "pie chart"},
    {"sankey", C, GRAMMAR_VARLIST, true, opt_none, "sankey <var1> <var2> [...] [if <cond>]",
     "flows between the categories of consecutive variables"},
    /* support */
    {"help", U, GRAMMAR_TEXT, false, opt_none, "help [<command>]", "help on commands"},
    {"help-function", U, GRAMMAR_TEXT, false, opt_none, "help-function [<function>]",
     "help on functions"},
    {"history", U, GRAMMAR_NONE, false, opt_none, "history", "lists the session's commands"},
    {"clear", U, GRAMMAR_NONE, false, opt_none, "clear", "wipes the session state"},
    {"edit", U, GRAMMAR_NONE, false, opt_none, "edit", "saves the session and opens the editor"},
    {"load", U, GRAMMAR_WORDS, false, opt_none, "load '<name>'", "loads a saved script"},
    {"save", U, GRAMMAR_WORDS, false, opt_save, "save [<name>] [, edit]",
     "saves the session as a script"},
    {"textblock", U, GRAMMAR_TEXT, false, opt_none, "textblock ... endblock",
     "a Markdown note in the output"},
    {"variables", U, GRAMMAR_WORDS, false, opt_none, "variables [<alias>/<VAR> ...]",
     "shows register metadata"},
    {"configure", U, GRAMMAR_WORDS, false, opt_none, "configure alpha | configure nocache [<what>]",
     "session settings"},
};

/* ==== Lookup =========================================================================== */

const CommandSpec *lang_command_find(const char *name)
{
    for (size_t i = 0; i < MD_ARRAY_LEN(commands); i++) {
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    }
    return NULL;
}

int32_t lang_command_count(void)
{
    return (int32_t)MD_ARRAY_LEN(commands);
}

const CommandSpec *lang_command_at(int32_t index)
{
    if (index < 0 || index >= lang_command_count())
        return NULL;
    return &commands[index];
}

/* A Stata abbreviation (gen, reg, tab, sum) is a prefix of the full name: the shortest
 * command that starts with name wins, else the nearest by edit distance. */
const char *commands_suggest(const char *name)
{
    const char *names[MD_ARRAY_LEN(commands)];
    for (size_t i = 0; i < MD_ARRAY_LEN(commands); i++)
        names[i] = commands[i].name;
    return lang_suggest(name, names, MD_ARRAY_LEN(commands));
}

const char *lang_command_suggest(const char *name)
{
    return commands_suggest(name);
}
