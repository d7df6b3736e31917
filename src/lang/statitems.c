/*
 * statitems.c - the typed view of the argument list of collapse, aggregate and barchart:
 * groups `(stat) var [-> new] var [-> new] ... (stat) ...`. A (stat) carries over to the
 * following variables until the next one; variables before any (stat) get stat NULL (the
 * handler's default). The parser checks the statistic names against the table in check.c.
 */
#include <string.h>

#include "lang/lang_int.h"

static bool parse_selector(const Token *t, int32_t n, int32_t *i, const char **stat,
                           MdError *err)
{
    char buf[96];
    if (*i + 2 >= n) {
        lang_error_at(err, MD_ERR_SYNTAX, &t[*i], "write a statistic as (mean) or (sum)",
                      "unfinished statistic selector");
        return false;
    }
    if (t[*i + 1].kind != TOKEN_NAME || !token_is_op(&t[*i + 2], ")")) {
        const Token *at = t[*i + 1].kind != TOKEN_NAME ? &t[*i + 1] : &t[*i + 2];
        lang_error_at(err, MD_ERR_SYNTAX, at, "write a statistic as (mean) or (sum)",
                      "expected one statistic name in parentheses, found %s",
                      token_describe(at, buf, sizeof(buf)));
        return false;
    }
    *stat = t[*i + 1].text;
    *i += 3;
    return true;
}

StatItem *lang_parse_stat_items(Arena *arena, const Token *tokens, int32_t n,
                                int32_t *n_items, MdError *err)
{
    *n_items = 0;
    StatItem *items = arena_alloc(arena, (size_t)(n > 0 ? n : 1) * sizeof(StatItem));
    if (!items) {
        md_error_set(err, MD_ERR_MEMORY, "out of memory while parsing statistics");
        return NULL;
    }
    const char *stat = NULL;
    int32_t since_stat = 1, i = 0;
    char buf[96], hint[256];
    while (i < n) {
        const Token *t = &tokens[i];
        if (token_is_op(t, "(")) {
            if (since_stat == 0) {
                lang_error_at(err, MD_ERR_SYNTAX, t, "name the variables after each (stat)",
                              "statistic (%s) has no variables", stat);
                return NULL;
            }
            if (!parse_selector(tokens, n, &i, &stat, err))
                return NULL;
            since_stat = 0;
            continue;
        }
        if (t->kind != TOKEN_NAME) {
            lang_error_at(err, MD_ERR_SYNTAX, t,
                          lang_name_expected_hint(t, "write (stat) var [-> new] ...", hint,
                                                  sizeof hint),
                          "expected a variable name, found %s",
                          token_describe(t, buf, sizeof(buf)));
            return NULL;
        }
        StatItem *item = &items[(*n_items)++];
        item->stat = stat;
        item->source = t->text;
        i++;
        if (i < n && token_is_op(&tokens[i], "->")) {
            if (i + 1 >= n || tokens[i + 1].kind != TOKEN_NAME) {
                lang_error_at(err, MD_ERR_SYNTAX, &tokens[i], "write var -> new_name",
                              "'->' must be followed by the new variable name");
                return NULL;
            }
            item->target = tokens[i + 1].text;
            i += 2;
        }
        since_stat++;
    }
    if (since_stat == 0) {
        lang_error_at(err, MD_ERR_SYNTAX, &tokens[n > 0 ? n - 1 : 0],
                      "name the variables after each (stat)", "statistic (%s) has no variables",
                      stat);
        return NULL;
    }
    return items;
}
