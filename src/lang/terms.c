/*
 * terms.c - the typed view of a variable list with factor notation: x, i.x (categorical),
 * c.x (continuous), a#b (interaction only) and a##b (main effects plus interaction).
 *
 *     list := term*      term := factor (('#' | '##') factor)*      (left associative)
 *     factor := NAME     with an optional i. or c. prefix
 * Used by the parser to check GRAMMAR_VARLIST commands and by the engine's model handlers.
 */
#include <string.h>

#include "lang/lang_int.h"

static Term *new_term(Arena *arena, TermKind kind, MdError *err)
{
    Term *t = arena_alloc(arena, sizeof(Term));
    if (!t)
        md_error_set(err, MD_ERR_MEMORY, "out of memory while parsing a variable list");
    else
        t->kind = kind;
    return t;
}

static Term *parse_factor(Arena *arena, const Token *tok, MdError *err)
{
    char buf[96];
    if (tok->kind != TOKEN_NAME)
        return lang_error_at(err, MD_ERR_SYNTAX, tok,
                             "a variable list holds names, i.x, c.x, a#b or a##b",
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
