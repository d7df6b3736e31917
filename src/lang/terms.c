/*
 * terms.c - the typed view of a variable list with factor notation: x, i.x (categorical),
 * c.x (continuous), a#b (interaction only) and a##b (main effects plus interaction).
 *
 *     list := term*      term := factor (('#' | '##') factor)*      (left associative)
 *     factor := NAME     with an optional i. or c. prefix
 * Used by the parser to check GRAMMAR_VARLIST commands and by the engine's model handlers.
 * A string where a name belongs (often a binding made with quotes) gets a hint saying how
 * to write it as a name; statitems.c uses the same hint.
 */
#include <stdio.h>
#include <string.h>

#include "lang/lang_int.h"

/* True when text would lex as one plain name (so `let v = text` binds a symbol). */
static bool text_is_plain_name(const char *text)
{
    if (!text[0] || !lexer_is_name_start((unsigned char)text[0]))
        return false;
    for (const char *p = text + 1; *p; p++) {
        if (!lexer_is_name_char((unsigned char)*p))
            return false;
    }
    return true;
}

const char *lang_name_expected_hint(const Token *tok, const char *other, char *buf,
                                    size_t cap)
{
    if (tok->kind != TOKEN_STRING)
        return other;
    const char *name = text_is_plain_name(tok->text) && strlen(tok->text) <= 60 ? tok->text
                                                                                : "name";
    snprintf(buf, cap,
             "a variable name has no quotes: if it comes from a binding, bind the name "
             "without quotes (let v = %s) or write to_symbol($v)", name);
    return buf;
}

static Term *new_term(Arena *arena, TermKind kind, MdError *err)
{
    Term *t = arena_alloc(arena, sizeof(Term));
    if (!t)
        md_error_set(err, MD_ERR_MEMORY, "out of memory while parsing a variable list");
    else
        t->kind = kind;
    return t;
}

/* factor := NAME with an optional i. (categorical) or c. (continuous) prefix. */
static Term *parse_factor(Arena *arena, const Token *tok, MdError *err)
{
    char buf[96], hint[256];
    if (tok->kind != TOKEN_NAME)
        return lang_error_at(err, MD_ERR_SYNTAX, tok,
                             lang_name_expected_hint(
                                 tok, "a variable list holds names, i.x, c.x, a#b or a##b",
                                 hint, sizeof hint),
                             "expected a variable name, found %s",
                             token_describe(tok, buf, sizeof(buf))), NULL;
    const char *dot = strchr(tok->text, '.');
    TermKind kind = TERM_VARIABLE;
    const char *name = tok->text;
    if (dot) {
        size_t prefix = (size_t)(dot - tok->text);
        if (prefix == 1 && (tok->text[0] == 'i' || tok->text[0] == 'c')) {
            kind = tok->text[0] == 'i' ? TERM_FACTOR : TERM_CONTINUOUS;
            name = dot + 1;
        }
        if (kind == TERM_VARIABLE || strchr(name, '.'))
            return lang_error_at(err, MD_ERR_SYNTAX, tok,
                                 "only i. (categorical) and c. (continuous) prefixes exist",
                                 "unknown variable prefix in '%.60s'", tok->text), NULL;
    }
    Term *t = new_term(arena, kind, err);
    if (t)
        t->name = name;
    return t;
}

Term *lang_parse_terms(Arena *arena, const Token *tokens, int32_t n, int32_t *n_terms,
                       MdError *err)
{
    *n_terms = 0;
    Term *terms = arena_alloc(arena, (size_t)(n > 0 ? n : 1) * sizeof(Term));
    if (!terms) {
        md_error_set(err, MD_ERR_MEMORY, "out of memory while parsing a variable list");
        return NULL;
    }
    int32_t i = 0;
    while (i < n) {
        Term *left = parse_factor(arena, &tokens[i++], err);
        while (left && i < n && (token_is_op(&tokens[i], "#") || token_is_op(&tokens[i], "##"))) {
            TermKind kind = token_is_op(&tokens[i], "#") ? TERM_INTERACTION
                                                         : TERM_FULL_INTERACTION;
            if (i + 1 >= n) {
                lang_error_at(err, MD_ERR_SYNTAX, &tokens[i], "write a#b or a##b",
                              "'%s' needs a variable on both sides", tokens[i].text);
                return NULL;
            }
            Term *right = parse_factor(arena, &tokens[i + 1], err);
            Term *both = right ? new_term(arena, kind, err) : NULL;
            if (!both)
                return NULL;
            both->left = left;
            both->right = right;
            left = both;
            i += 2;
        }
        if (!left)
            return NULL;
        terms[(*n_terms)++] = *left;
    }
    return terms;
}

/* ==== ivregress ======================================================================== */

static bool iv_fail(const Token *at, MdError *err, const char *msg)
{
    lang_error_at(err, MD_ERR_SYNTAX, at, "write ivregress y exog... (endog... = instruments...)",
                  "ivregress: %s", msg);
    return false;
}

/* Finds the one (endog = instr) group: indexes of '(', '=' and ')'. */
static bool iv_find_group(const Token *t, int32_t n, int32_t *open, int32_t *eq,
                          int32_t *close, MdError *err)
{
    *open = *eq = *close = -1;
    for (int32_t i = 0; i < n; i++) {
        if (token_is_op(&t[i], "(")) {
            if (*open >= 0)
                return iv_fail(&t[i], err, "only one (endogenous = instruments) group");
            *open = i;
        } else if (token_is_op(&t[i], ")") && *open >= 0 && *close < 0) {
            *close = i;
        } else if (token_is_op(&t[i], "=") && *open >= 0 && *close < 0) {
            if (*eq >= 0)
                return iv_fail(&t[i], err, "one '=' in the group");
            *eq = i;
        }
    }
    if (*open < 0 || *close < 0)
        return iv_fail(n > 0 ? &t[0] : NULL, err,
                       "expected one group (endogenous = instruments)");
    if (*eq < 0 || *eq == *open + 1 || *eq == *close - 1)
        return iv_fail(&t[*open], err, "write (endogenous... = instruments...)");
    if (*open == 0)
        return iv_fail(&t[0], err, "the dependent variable comes first");
    return true;
}

/* Terms of t[from, to); an empty range gives zero terms (a non-NULL array). */
static Term *iv_terms(Arena *arena, const Token *t, int32_t from, int32_t to, int32_t *n,
                      MdError *err)
{
    *n = 0;
    if (to <= from)
        return arena_alloc(arena, sizeof(Term));
    return lang_parse_terms(arena, t + from, to - from, n, err);
}

IvSpec *lang_parse_iv(Arena *arena, const Token *tokens, int32_t n, MdError *err)
{
    int32_t open, eq, close, n_before, n_after;
    if (!iv_find_group(tokens, n, &open, &eq, &close, err))
        return NULL;
    IvSpec *iv = arena_alloc(arena, sizeof(IvSpec));
    if (!iv) {
        md_error_set(err, MD_ERR_MEMORY, "out of memory while parsing ivregress");
        return NULL;
    }
    if (tokens[0].kind != TOKEN_NAME || token_is_op(&tokens[1], "#") ||
        token_is_op(&tokens[1], "##") || strchr(tokens[0].text, '.')) {
        iv_fail(&tokens[0], err, "the dependent variable must be a plain variable name");
        return NULL;
    }
    iv->depvar = tokens[0].text;
    Term *before = iv_terms(arena, tokens, 1, open, &n_before, err);
    iv->endog = before ? iv_terms(arena, tokens, open + 1, eq, &iv->n_endog, err) : NULL;
    iv->instruments = iv->endog ? iv_terms(arena, tokens, eq + 1, close, &iv->n_instruments,
                                           err) : NULL;
    Term *after = iv->instruments ? iv_terms(arena, tokens, close + 1, n, &n_after, err) : NULL;
    if (!after)
        return err->status == MD_OK ? (md_error_set(err, MD_ERR_MEMORY, "out of memory"), NULL)
                                    : NULL;
    iv->n_exog = n_before + n_after;
    iv->exog = arena_alloc(arena, (size_t)(iv->n_exog + 1) * sizeof(Term));
    if (!iv->exog) {
        md_error_set(err, MD_ERR_MEMORY, "out of memory while parsing ivregress");
        return NULL;
    }
    memcpy(iv->exog, before, (size_t)n_before * sizeof(Term));
    memcpy(iv->exog + n_before, after, (size_t)n_after * sizeof(Term));
    return iv;
}
