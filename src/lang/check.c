/*
 * check.c - validates a parsed Command against its command-table entry: the shape of the
 * positional arguments for each Grammar (through the typed views of terms.c, statitems.c
 * and recode.c), the options (known name, argument count, no duplicates) and the special
 * shapes (drop/keep, collapse's by(), ivregress's (endog = instr), coefplot's inner
 * command). Every error names the position and says what to write instead.
 */
#include <stdio.h>
#include <string.h>

#include "lang/lang_int.h"

static const char *const stat_names[] = {
    "mean", "min", "max", "median", "count", "sum", "semean", "sebinomial", "sd", "percent",
    "iqr", "gini",
};

/* ==== Suggestions ==================================================================== */

const char *lang_suggest(const char *name, const char *const *candidates, size_t n)
{
    size_t len = strlen(name);
    const char *best = NULL;
    for (size_t i = 0; len >= 2 && i < n; i++) {
        /* a Stata-style abbreviation: the shortest candidate that starts with name */
        if (strncmp(candidates[i], name, len) == 0 && (!best || strlen(candidates[i]) <
                                                                 strlen(best)))
            best = candidates[i];
    }
    if (best)
        return best;
    const char *near = text_suggest(name, candidates, n);
    if (!near)
        return NULL;
    int32_t limit = ((int32_t)strlen(name) + 2) / 3;
    return text_edit_distance(name, near, 100) <= limit ? near : NULL;
}

/* ==== Options ========================================================================== */

int32_t lang_option_arg_count(const Option *option)
{
    if (option->n_tokens == 0)
        return 0;
    int32_t depth = 0, commas = 0, groups = 1;
    for (int32_t k = 0; k < option->n_tokens; k++) {
        const Token *t = &option->tokens[k];
        if (token_is_op(t, "("))
            depth++;
        else if (token_is_op(t, ")"))
            depth--;
        else if (depth == 0 && token_is_op(t, ","))
            commas++;
        if (k > 0 && depth == 0 && !token_is_op(t, ",") &&
            !token_is_op(&option->tokens[k - 1], ",") &&
            !token_adjacent(&option->tokens[k - 1], t))
            groups++;
    }
    return commas > 0 ? commas + 1 : groups;
}

/* "options of tabulate: freq, rowpct, ..." (cut to fit) */
static void list_options(const CommandSpec *spec, char *buf, size_t cap)
{
    int used = snprintf(buf, cap, "options of %s:", spec->name);
    for (const OptionSpec *s = spec->options; s->name && used > 0 && (size_t)used < cap; s++) {
        const char *sep = s == spec->options ? " " : ", ";
        int n = snprintf(buf + used, cap - (size_t)used, "%s%s%s", sep, s->name,
                         s->min_args > 0 ? "()" : "");
        if (n < 0 || (size_t)(used + n) >= cap - 4) {
            snprintf(buf + used, cap - (size_t)used, ", ...");
            return;
        }
        used += n;
    }
}

/* Unknown option: suggest the nearest one and list them all in the hint. */
static MdStatus fail_unknown_option(const CommandSpec *spec, const Option *o, MdError *err)
{
    const char *names[64];
    size_t n = 0;
    for (const OptionSpec *s = spec->options; s->name && n < MD_ARRAY_LEN(names); s++)
        names[n++] = s->name;
    const char *near = n ? lang_suggest(o->name, names, n) : NULL;
    char hint[300];
    Token at = {.line = o->line, .column = o->column};
    list_options(spec, hint, sizeof(hint));
    if (near) {
        return lang_error_at(err, MD_ERR_NAME, &at, hint,
                             "unknown option '%.60s' for %s (did you mean '%s'?)", o->name,
                             spec->name, near);
    }
    if (n == 0)
        snprintf(hint, sizeof(hint), "%s takes no options", spec->name);
    return lang_error_at(err, MD_ERR_NAME, &at, hint, "unknown option '%.60s' for %s",
                         o->name, spec->name);
}

/* Bare where arguments are needed, parentheses on a flag, too few or too many arguments. */
static MdStatus check_option_args(const CommandSpec *spec, const OptionSpec *s, const Option *o,
                                  MdError *err)
{
    Token at = {.line = o->line, .column = o->column};
    char hint[160];
    int32_t count = lang_option_arg_count(o);
    if (!o->has_parens && s->min_args > 0) {
        snprintf(hint, sizeof(hint), "write %s(...)", s->name);
        return lang_error_at(err, MD_ERR_SYNTAX, &at, hint,
                             "option '%s' of %s needs an argument in parentheses", s->name,
                             spec->name);
    }
    if (o->has_parens && s->max_args == 0) {
        snprintf(hint, sizeof(hint), "write just %s", s->name);
        return lang_error_at(err, MD_ERR_SYNTAX, &at, hint,
                             "option '%s' of %s takes no arguments", s->name, spec->name);
    }
    if (o->has_parens && count < s->min_args) {
        snprintf(hint, sizeof(hint), "write %s(...) with %d argument%s", s->name, s->min_args,
                 s->min_args == 1 ? "" : "s");
        return lang_error_at(err, MD_ERR_SYNTAX, &at, hint,
                             "option '%s' of %s needs at least %d argument%s", s->name,
                             spec->name, s->min_args, s->min_args == 1 ? "" : "s");
    }
    if (s->max_args >= 0 && count > s->max_args) {
        snprintf(hint, sizeof(hint), "give %s at most %d argument%s", s->name, s->max_args,
                 s->max_args == 1 ? "" : "s");
        return lang_error_at(err, MD_ERR_SYNTAX, &at, hint,
                             "option '%s' of %s takes at most %d argument%s, not %d", s->name,
                             spec->name, s->max_args, s->max_args == 1 ? "" : "s", count);
    }
    return MD_OK;
}

MdStatus lang_check_options(const CommandSpec *spec, const Option *options, int32_t n, MdError *err)
{
    for (int32_t i = 0; i < n; i++) {
        const Option *o = &options[i];
        const OptionSpec *s = spec->options;
        while (s->name && strcmp(s->name, o->name) != 0)
            s++;
        if (!s->name)
            return fail_unknown_option(spec, o, err);
        MdStatus rc = check_option_args(spec, s, o, err);
        if (rc != MD_OK)
            return rc;
        for (int32_t j = 0; j < i; j++) {
            if (strcmp(options[j].name, o->name) == 0) {
                Token at = {.line = o->line, .column = o->column};
                return lang_error_at(err, MD_ERR_SYNTAX, &at, "give each option once",
                                     "option '%s' is given twice", o->name);
            }
        }
    }
    return MD_OK;
}

/* ==== Grammar checks =================================================================== */

static MdStatus usage_error(const Command *c, const Token *at, MdError *err, const char *msg)
{
    char hint[300];
    snprintf(hint, sizeof(hint), "usage: %.280s", c->spec->syntax);
    Token here = {.line = c->line, .column = c->column};
    return lang_error_at(err, MD_ERR_SYNTAX, at ? at : &here, hint, "%s: %s", c->spec->name,
                         msg);
}

/* generate/replace: exactly one name before '=' and an expression after it. */
static MdStatus check_assign(const Command *c, MdError *err)
{
    if (!c->value)
        return usage_error(c, c->n_args ? &c->args[c->n_args] : NULL, err,
                           "expected '=' and an expression after the variable name");
    if (c->n_args != 1 || c->args[0].kind != TOKEN_NAME)
        return usage_error(c, c->n_args ? &c->args[0] : NULL, err,
                           "expected exactly one variable name before '='");
    return MD_OK;
}

/* Each (stat) must be a known statistic; aggregate also needs a target for every variable. */
static MdStatus check_stat_names(const Command *c, const StatItem *items, int32_t n,
                                 MdError *err)
{
    for (int32_t i = 0; i < n; i++) {
        if (!items[i].stat) {
            if (strcmp(c->spec->name, "barchart") == 0)
                continue;
            return usage_error(c, &c->args[0], err, "start with a statistic such as (mean)");
        }
        bool known = false;
        for (size_t k = 0; k < MD_ARRAY_LEN(stat_names); k++)
            known = known || strcmp(items[i].stat, stat_names[k]) == 0;
        if (!known) {
            const char *near = lang_suggest(items[i].stat, stat_names, MD_ARRAY_LEN(stat_names));
            char msg[160];
            snprintf(msg, sizeof(msg), "unknown statistic '%.40s'%s%s%s", items[i].stat,
                     near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
            return usage_error(c, &c->args[0], err, msg);
        }
        if (strcmp(c->spec->name, "aggregate") == 0 && !items[i].target)
            return usage_error(c, &c->args[0], err,
                               "each variable needs '-> <new name>' (aggregate adds columns)");
    }
    return MD_OK;
}

/* collapse, aggregate, barchart: (stat) groups, and by() for the first two. */
static MdStatus check_statlist(Arena *arena, const Command *c, MdError *err)
{
    int32_t n = 0;
    if (c->n_args == 0)
        return usage_error(c, NULL, err, "expected (<stat>) and variables");
    StatItem *items = lang_parse_stat_items(arena, c->args, c->n_args, &n, err);
    if (!items)
        return err->status;
    MdStatus rc = check_stat_names(c, items, n, err);
    if (rc == MD_OK && strcmp(c->spec->name, "barchart") != 0 && !command_option(c, "by"))
        rc = usage_error(c, NULL, err, "needs the grouping variable in by(<var>)");
    return rc;
}

/* Variable lists with factor notation; drop/keep take a list or an if, exactly one. */
static MdStatus check_varlist(Arena *arena, const Command *c, MdError *err)
{
    bool row_form = strcmp(c->spec->name, "drop") == 0 || strcmp(c->spec->name, "keep") == 0;
    if (row_form && c->n_args > 0 && c->condition)
        return usage_error(c, &c->args[0], err,
                           "give either variables or an if condition, not both");
    if (row_form && c->n_args == 0 && !c->condition)
        return usage_error(c, NULL, err, "expected variable names or an if condition");
    if (c->n_args == 0)
        return MD_OK;
    int32_t n = 0;
    return lang_parse_terms(arena, c->args, c->n_args, &n, err) ? MD_OK : err->status;
}

/* define-labels: a list name, then code/label pairs. */
static MdStatus check_labels(const Command *c, MdError *err)
{
    if (c->n_args < 3)
        return usage_error(c, NULL, err, "expected a list name and at least one code and label");
    if (c->args[0].kind != TOKEN_NAME)
        return usage_error(c, &c->args[0], err, "the list name must be a name");
    int32_t k = 1;
    int32_t pairs = 0;
    while (k < c->n_args) {
        const Token *code = &c->args[k];
        if (code->kind != TOKEN_NUMBER && code->kind != TOKEN_STRING)
            return usage_error(c, code, err, "a code must be a number or a quoted string");
        if (++k >= c->n_args)
            return usage_error(c, code, err, "the last code has no label");
        const Token *label = &c->args[k++];
        if (label->kind != TOKEN_NAME && label->kind != TOKEN_STRING &&
            label->kind != TOKEN_NUMBER)
            return usage_error(c, label, err, "a label must be a word or a quoted string");
        pairs++;
    }
    return pairs > 0 ? MD_OK : usage_error(c, NULL, err, "expected codes and labels");
}

static MdStatus check_ivregress(Arena *arena, const Command *c, MdError *err)
{
    return lang_parse_iv(arena, c->args, c->n_args, err) ? MD_OK : err->status;
}

/* coefplot wraps a model command: its options are that command's options. */
static MdStatus check_coefplot(const Command *c, MdError *err)
{
    const CommandSpec *inner = c->n_args ? lang_command_find(c->args[0].text) : NULL;
    if (!inner || (inner->group != GROUP_REGRESSION && inner->group != GROUP_SURVIVAL))
        return usage_error(c, c->n_args ? &c->args[0] : NULL, err,
                           "expected a regression command such as regress or logit");
    return lang_check_options(inner, c->options, c->n_options, err);
}

MdStatus lang_check_command(Arena *arena, const Command *c, MdError *err)
{
    const CommandSpec *spec = c->spec;
    if (strcmp(spec->name, "coefplot") == 0)
        return check_coefplot(c, err);
    MdStatus rc = lang_check_options(spec, c->options, c->n_options, err);
    if (rc != MD_OK)
        return rc;
    switch (spec->grammar) {
    case GRAMMAR_NONE:
        return c->n_args == 0 ? MD_OK : usage_error(c, &c->args[0], err, "takes no arguments");
    case GRAMMAR_ASSIGN:
        return check_assign(c, err);
    case GRAMMAR_VARLIST:
        return check_varlist(arena, c, err);
    case GRAMMAR_STATLIST:
        return check_statlist(arena, c, err);
    case GRAMMAR_RECODE:
        return lang_parse_recode(arena, c->args, c->n_args, err) ? MD_OK : err->status;
    case GRAMMAR_LABELS:
        return check_labels(c, err);
    case GRAMMAR_WORDS:
        if (strncmp(spec->name, "ivregress", 9) == 0)
            return check_ivregress(arena, c, err);
        return MD_OK;
    case GRAMMAR_TEXT:
        return MD_OK;
    }
    return MD_OK;
}
