/*
 * recode.c - the typed view of recode's arguments: variables, then rules in parentheses.
 *
 *     rule  := '(' match+ '=' result [label] ['missing'] ')'
 *     match := value | low '/' high | 'missing' | 'nonmissing' | '*'
 *     value := ['-'] NUMBER | STRING          low/high: ['-'] NUMBER | 'min' | 'max'
 *     result:= ['-'] NUMBER | STRING | '.'    label: STRING or a word
 * Examples: (1/7 = 0) (min/5 = 0 'low') ('1' '2' = '0') (missing = 99 "vet ikke" missing).
 */
#include <string.h>

#include "lang/lang_int.h"

typedef struct RecodeParser {
    Arena *arena;
    const Token *t;
    int32_t n;
    int32_t i;
    Token end;    /* what cur() returns past the last token */
    MdError *err;
} RecodeParser;

static bool fail(RecodeParser *p, const Token *at, const char *hint, const char *what)
{
    char buf[96];
    lang_error_at(p->err, MD_ERR_SYNTAX, at, hint, "recode rule: expected %s, found %s", what,
                  token_describe(at, buf, sizeof(buf)));
    return false;
}

static const Token *cur(const RecodeParser *p)
{
    return p->i < p->n ? &p->t[p->i] : &p->end;
}

/* A number with an optional leading minus, as one token. */
static bool take_number(RecodeParser *p, Token *out)
{
    bool neg = false;
    if (p->i < p->n && token_is_op(&p->t[p->i], "-")) {
        neg = true;
        p->i++;
    }
    if (p->i >= p->n || p->t[p->i].kind != TOKEN_NUMBER) {
        if (neg)
            p->i--;
        return false;
    }
    *out = p->t[p->i++];
    if (neg) {
        out->number = -out->number;
        out->text = arena_printf(p->arena, "-%s", out->text);
        if (!out->text) {
            md_error_set(p->err, MD_ERR_MEMORY, "out of memory while parsing recode");
            return false;
        }
        out->column--;
    }
    return true;
}

/* A range end: a number, or the word min (low end) / max (high end). */
static bool take_bound(RecodeParser *p, Token *out, const char *word)
{
    if (p->i < p->n && token_is_word(&p->t[p->i], word)) {
        *out = p->t[p->i++];
        return true;
    }
    return take_number(p, out);
}

/* match := value | low '/' high | missing | nonmissing | '*' */
static bool parse_match(RecodeParser *p, RecodeMatch *m)
{
    const Token *t = cur(p);
    memset(m, 0, sizeof(*m));
    if (token_is_word(t, "missing") || token_is_word(t, "nonmissing") || token_is_op(t, "*")) {
        m->kind = token_is_op(t, "*") ? MATCH_ANY
                  : token_is_word(t, "missing") ? MATCH_MISSING : MATCH_NONMISSING;
        p->i++;
        return true;
    }
    if (t->kind == TOKEN_STRING) {
        m->kind = MATCH_VALUE;
        m->value = *t;
        p->i++;
        return true;
    }
    Token low;
    if (!take_bound(p, &low, "min"))
        return fail(p, t, "values are numbers, 'strings', a/b ranges, missing, nonmissing or *",
                    "a value to match");
    if (p->i < p->n && token_is_op(&p->t[p->i], "/")) {
        p->i++;
        m->kind = MATCH_RANGE;
        m->low = low;
        if (!take_bound(p, &m->high, "max"))
            return fail(p, cur(p), "write a range as low/high, e.g. 1/7 or 10/max",
                        "the upper end of the range");
        return true;
    }
    if (low.kind != TOKEN_NUMBER)
        return fail(p, &low, "min and max only appear in ranges such as min/5",
                    "a value to match");
    m->kind = MATCH_VALUE;
    m->value = low;
    return true;
}

/* result [label] ['missing'] ')' */
static bool parse_result(RecodeParser *p, RecodeRule *rule)
{
    const Token *t = cur(p);
    if (t->kind == TOKEN_STRING || t->kind == TOKEN_DOT) {
        rule->result = *t;
        p->i++;
    } else if (!take_number(p, &rule->result)) {
        return fail(p, t, "the new value is a number, a 'string' or .", "the new value");
    }
    t = cur(p);
    if (p->i < p->n && (t->kind == TOKEN_STRING ||
                        (t->kind == TOKEN_NAME && !token_is_word(t, "missing")))) {
        rule->label = t->text;
        p->i++;
    }
    if (p->i < p->n && token_is_word(&p->t[p->i], "missing")) {
        rule->result_is_missing = true;
        p->i++;
    }
    if (p->i >= p->n || !token_is_op(&p->t[p->i], ")"))
        return fail(p, cur(p), "a rule ends after the new value, its label and 'missing'",
                    "')'");
    p->i++;
    return true;
}

/* rule := '(' match+ '=' result [label] ['missing'] ')' */
static bool parse_rule(RecodeParser *p, RecodeRule *rule)
{
    memset(rule, 0, sizeof(*rule));
    rule->line = p->t[p->i].line;
    rule->column = p->t[p->i].column;
    p->i++; /* '(' */
    rule->matches = arena_alloc(p->arena, (size_t)(p->n - p->i + 1) * sizeof(RecodeMatch));
    if (!rule->matches) {
        md_error_set(p->err, MD_ERR_MEMORY, "out of memory while parsing recode");
        return false;
    }
    while (p->i < p->n && !token_is_op(&p->t[p->i], "=") && !token_is_op(&p->t[p->i], ")")) {
        if (!parse_match(p, &rule->matches[rule->n_matches]))
            return false;
        rule->n_matches++;
    }
    if (p->i >= p->n || !token_is_op(&p->t[p->i], "="))
        return fail(p, cur(p), "write (old values = new value)", "'='");
    if (rule->n_matches == 0)
        return fail(p, &p->t[p->i], "write the old values before '='", "a value to match");
    p->i++;
    return parse_result(p, rule);
}

RecodeSpec *lang_parse_recode(Arena *arena, const Token *tokens, int32_t n, MdError *err)
{
    RecodeParser p = {.arena = arena, .t = tokens, .n = n, .err = err};
    p.end = (Token){.kind = TOKEN_END, .text = ""};
    if (n > 0) {
        p.end.line = tokens[n - 1].line;
        p.end.column = tokens[n - 1].column + (int32_t)strlen(tokens[n - 1].text);
    }
    RecodeSpec *spec = arena_alloc(arena, sizeof(RecodeSpec));
    if (spec) {
        spec->variables = arena_alloc(arena, (size_t)(n + 1) * sizeof(char *));
        spec->rules = arena_alloc(arena, (size_t)(n + 1) * sizeof(RecodeRule));
    }
    if (!spec || !spec->variables || !spec->rules) {
        md_error_set(err, MD_ERR_MEMORY, "out of memory while parsing recode");
        return NULL;
    }
    while (p.i < n && tokens[p.i].kind == TOKEN_NAME)
        spec->variables[spec->n_variables++] = tokens[p.i++].text;
    if (spec->n_variables == 0) {
        fail(&p, cur(&p), "write recode <variables> (<rule>) ...", "a variable name");
        return NULL;
    }
    while (p.i < n) {
        if (!token_is_op(&tokens[p.i], "(")) {
            fail(&p, &tokens[p.i], "each rule is in parentheses: (1/7 = 0)", "'('");
            return NULL;
        }
        if (!parse_rule(&p, &spec->rules[spec->n_rules]))
            return NULL;
        spec->n_rules++;
    }
    if (spec->n_rules == 0) {
        fail(&p, cur(&p), "add a rule such as (1/7 = 0)", "a rule in parentheses");
        return NULL;
    }
    return spec;
}
