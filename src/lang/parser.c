/*
 * parser.c - one command line (after preprocessing) -> Command.
 *
 * Shape: command <positional args> [= expr] [if expr] [, options]. The command word is read
 * first (letters, digits, '_', '-': import-event, regress-panel-predict), so `barchart(mean)`
 * and `collapse(sum)` work. The rest is lexed once and split at depth 0: the first
 * top-level comma starts the options, an `if` before it starts the condition, and for
 * GRAMMAR_ASSIGN the first top-level '=' before that separates the value. In positional
 * arguments adjacent NAME '/' NAME becomes a TOKEN_PATH and adjacent NAME '-' NAME that
 * spells a command (help import-event, coefplot logit-predict) becomes one NAME.
 */
#include <stdio.h>
#include <string.h>

#include "lang/lang_int.h"

typedef struct Split {
    int32_t args_end;   /* positional args are [0, args_end) */
    int32_t eq;         /* index of '=' or -1 */
    int32_t if_at;      /* index of `if` or -1 */
    int32_t comma;      /* index of the option comma or n */
} Split;

/* ==== Command word ===================================================================== */

int32_t parser_command_word(const char *text, int32_t from, int32_t len)
{
    int32_t p = from;
    while (p < len) {
        unsigned char c = (unsigned char)text[p];
        if (lexer_is_name_char(c) && c != '@')
            p++;
        else if (c == '-' && p > from && p + 1 < len &&
                 lexer_is_name_char((unsigned char)text[p + 1]))
            p++;
        else
            break;
    }
    return p - from;
}

/* Unknown command: suggest the full name (Stata abbreviations are prefixes of it). */
static MdStatus fail_unknown_command(const char *name, const Token *at, MdError *err)
{
    const char *near = commands_suggest(name);
    if (near) {
        char hint[160];
        snprintf(hint, sizeof(hint), "write the full command name '%s'; abbreviations are "
                 "not accepted", near);
        return lang_error_at(err, MD_ERR_NAME, at, hint,
                             "unknown command '%.60s' (did you mean '%s'?)", name, near);
    }
    return lang_error_at(err, MD_ERR_NAME, at, "help lists the commands",
                         "unknown command '%.60s'", name);
}

/* ==== Splitting ======================================================================== */

static MdStatus split_line(const Lexed *lx, const CommandSpec *spec, Split *out, MdError *err)
{
    int32_t depth = 0;
    out->comma = lx->n;
    out->if_at = -1;
    out->eq = -1;
    for (int32_t i = 0; i < lx->n; i++) {
        const Token *t = &lx->tokens[i];
        if (token_is_op(t, "(")) {
            depth++;
        } else if (token_is_op(t, ")")) {
            if (--depth < 0)
                return lang_error_at(err, MD_ERR_SYNTAX, t, "remove it or add the '(' it closes",
                                     "unmatched ')'");
        } else if (depth == 0 && out->comma == lx->n && spec->grammar != GRAMMAR_TEXT) {
            if (token_is_op(t, ","))
                out->comma = i;
            else if (out->if_at < 0 && token_is_word(t, "if"))
                out->if_at = i;
            else if (out->if_at < 0 && out->eq < 0 && spec->grammar == GRAMMAR_ASSIGN &&
                     token_is_op(t, "="))
                out->eq = i;
        }
    }
    if (depth > 0)
        return lang_error_at(err, MD_ERR_SYNTAX, &lx->tokens[lx->n],
                             "close every '(' with a ')'", "unclosed '('");
    out->args_end = out->eq >= 0 ? out->eq : out->if_at >= 0 ? out->if_at : out->comma;
    return MD_OK;
}

/* ==== Positional arguments ============================================================= */

static bool is_adjacent_op(const Token *t, int32_t i, int32_t end, const char *op)
{
    return i + 2 < end && token_is_op(&t[i + 1], op) &&
           t[i + 2].kind == TOKEN_NAME && token_adjacent(&t[i], &t[i + 1]) &&
           token_adjacent(&t[i + 1], &t[i + 2]);
}

/* Length in tokens of the longest hyphenated command name starting at t[i] (1 if none). */
static int32_t hyphen_span(Arena *arena, const Token *t, int32_t i, int32_t end, char **name)
{
    int32_t best = 1;
    char buf[128];
    if (!is_adjacent_op(t, i, end, "-"))
        return 1;
    snprintf(buf, sizeof(buf), "%s", t[i].text);
    for (int32_t j = i; j + 2 < end && is_adjacent_op(t, j, end, "-"); j += 2) {
        size_t used = strlen(buf);
        snprintf(buf + used, sizeof(buf) - used, "-%s", t[j + 2].text);
        if (lang_command_find(buf)) {
            best = j + 3 - i;
            *name = arena_strdup(arena, buf);
        }
    }
    return best;
}

/* define-labels: a label written without quotes may hold hyphens and digits
 * (ikke-bosatt, 0-17), and a code may be negative (-1). Adjacent pieces become one token. */
static MdStatus join_label_words(Arena *arena, Command *cmd, MdError *err)
{
    int32_t n = 0;
    for (int32_t i = 0; i < cmd->n_args; i++) {
        Token tok = cmd->args[i];
        bool minus = token_is_op(&tok, "-") && i + 1 < cmd->n_args &&
                     cmd->args[i + 1].kind == TOKEN_NUMBER &&
                     token_adjacent(&tok, &cmd->args[i + 1]) &&
                     (n == 0 || !token_adjacent(&cmd->args[n - 1], &tok));
        if (minus) {
            tok = cmd->args[++i];
            tok.number = -tok.number;
            tok.column--;
            tok.text = arena_printf(arena, "-%s", tok.text);
        } else if (tok.kind == TOKEN_NAME || tok.kind == TOKEN_NUMBER) {
            while (i + 1 < cmd->n_args && token_adjacent(&cmd->args[i], &cmd->args[i + 1]) &&
                   cmd->args[i + 1].kind != TOKEN_STRING) {
                tok.kind = TOKEN_NAME;
                tok.text = arena_printf(arena, "%s%s", tok.text, cmd->args[++i].text);
                if (!tok.text)
                    break;
            }
        }
        if (!tok.text)
            return md_error_set(err, MD_ERR_MEMORY, "out of memory while parsing");
        cmd->args[n++] = tok;
    }
    cmd->args[n] = cmd->args[cmd->n_args];
    cmd->n_args = n;
    return MD_OK;
}

/* Copies the positional tokens, joining paths and hyphenated command names at depth 0. */
static MdStatus build_args(Arena *arena, const Lexed *lx, int32_t end, Command *cmd,
                           MdError *err)
{
    const Token *t = lx->tokens;
    cmd->args = arena_alloc(arena, (size_t)(end + 1) * sizeof(Token));
    if (!cmd->args)
        return md_error_set(err, MD_ERR_MEMORY, "out of memory while parsing");
    int32_t n = 0, depth = 0;
    for (int32_t i = 0; i < end; i++) {
        Token tok = t[i];
        if (token_is_op(&tok, "("))
            depth++;
        else if (token_is_op(&tok, ")"))
            depth--;
        if (depth == 0 && tok.kind == TOKEN_NAME && i + 2 < end &&
            is_adjacent_op(t, i, end, "/")) {
            tok.kind = TOKEN_PATH;
            tok.text = arena_printf(arena, "%s/%s", t[i].text, t[i + 2].text);
            i += 2;
        } else if (depth == 0 && tok.kind == TOKEN_NAME && i + 2 < end) {
            char *name = NULL;
            int32_t span = hyphen_span(arena, t, i, end, &name);
            if (span > 1 && name) {
                tok.text = name;
                i += span - 1;
            }
        }
        if (!tok.text)
            return md_error_set(err, MD_ERR_MEMORY, "out of memory while parsing");
        cmd->args[n++] = tok;
    }
    cmd->args[n] = t[lx->n];
    cmd->n_args = n;
    if (cmd->spec->grammar == GRAMMAR_LABELS)
        return join_label_words(arena, cmd, err);
    return MD_OK;
}

/* ==== Options ========================================================================== */

static MdStatus parse_one_option(Arena *arena, const Token *t, int32_t n, int32_t *pos,
                                 Option *opt, MdError *err)
{
    char buf[96];
    const Token *name = &t[*pos];
    if (name->kind != TOKEN_NAME)
        return lang_error_at(err, MD_ERR_SYNTAX, name,
                             "options are words such as robust or by(var)",
                             "expected an option name, found %s",
                             token_describe(name, buf, sizeof(buf)));
    memset(opt, 0, sizeof(*opt));
    opt->name = name->text;
    opt->line = name->line;
    opt->column = name->column;
    (*pos)++;
    if (*pos >= n || !token_is_op(&t[*pos], "("))
        return MD_OK;
    opt->has_parens = true;
    int32_t from = ++(*pos), depth = 1;
    while (*pos < n) {
        if (token_is_op(&t[*pos], "("))
            depth++;
        else if (token_is_op(&t[*pos], ")") && --depth == 0)
            break;
        (*pos)++;
    }
    opt->n_tokens = *pos - from;
    opt->tokens = arena_alloc(arena, (size_t)(opt->n_tokens + 1) * sizeof(Token));
    if (!opt->tokens)
        return md_error_set(err, MD_ERR_MEMORY, "out of memory while parsing");
    memcpy(opt->tokens, t + from, (size_t)opt->n_tokens * sizeof(Token));
    opt->tokens[opt->n_tokens] = (Token){.kind = TOKEN_END, .text = "",
                                         .line = t[*pos].line, .column = t[*pos].column};
    (*pos)++; /* the ')' */
    return MD_OK;
}

/* Everything after the option comma: options separated by blanks or commas. */
static MdStatus parse_options(Arena *arena, const Lexed *lx, int32_t from, Command *cmd,
                              MdError *err)
{
    int32_t n = lx->n;
    cmd->options = arena_alloc(arena, (size_t)(n - from + 1) * sizeof(Option));
    if (!cmd->options)
        return md_error_set(err, MD_ERR_MEMORY, "out of memory while parsing");
    int32_t pos = from;
    while (pos < n) {
        if (token_is_op(&lx->tokens[pos], ",")) {
            pos++;
            continue;
        }
        MdStatus rc = parse_one_option(arena, lx->tokens, n, &pos, &cmd->options[cmd->n_options],
                                       err);
        if (rc != MD_OK)
            return rc;
        cmd->n_options++;
    }
    return MD_OK;
}

/* ==== Expressions of the command ======================================================= */

static MdStatus parse_part(Arena *arena, const Lexed *lx, int32_t from, int32_t to,
                           const char *what, Expr **out, MdError *err)
{
    if (to <= from) {
        const Token *at = &lx->tokens[from < lx->n ? from : lx->n];
        return lang_error_at(err, MD_ERR_SYNTAX, at, "write the expression after it",
                             "expected an expression after '%s'", what);
    }
    *out = lang_parse_expr(arena, lx->tokens + from, to - from, err);
    return *out ? MD_OK : err->status;
}

/* The value, the condition and the options of a split line. */
static MdStatus parse_tail(Arena *arena, const Lexed *lx, const Split *sp, Command *cmd,
                           MdError *err)
{
    MdStatus rc = MD_OK;
    int32_t cond_end = sp->comma;
    if (sp->eq >= 0) {
        int32_t value_end = sp->if_at >= 0 ? sp->if_at : sp->comma;
        rc = parse_part(arena, lx, sp->eq + 1, value_end, "=", &cmd->value, err);
    }
    if (rc == MD_OK && sp->if_at >= 0) {
        if (!cmd->spec->allows_if) {
            char hint[200];
            snprintf(hint, sizeof(hint), "usage: %s", cmd->spec->syntax);
            return lang_error_at(err, MD_ERR_SYNTAX, &lx->tokens[sp->if_at], hint,
                                 "command '%s' does not take an if condition", cmd->spec->name);
        }
        rc = parse_part(arena, lx, sp->if_at + 1, cond_end, "if", &cmd->condition, err);
    }
    if (rc == MD_OK && sp->comma < lx->n)
        rc = parse_options(arena, lx, sp->comma + 1, cmd, err);
    return rc;
}

/* ==== Entry ============================================================================ */

MdStatus parser_parse_command(Arena *arena, const char *text, const LineMap *map,
                              Command *out, MdError *err)
{
    memset(out, 0, sizeof(*out));
    int32_t len = (int32_t)strlen(text);
    int32_t from = 0;
    while (from < len && (text[from] == ' ' || text[from] == '\t'))
        from++;
    while (len > from && (text[len - 1] == ' ' || text[len - 1] == '\t' || text[len - 1] == '\r'))
        len--;
    Token word = {.kind = TOKEN_NAME, .text = ""};
    linemap_position(map, text, from, &word.line, &word.column);
    out->line = word.line;
    out->column = word.column;
    out->text = arena_strndup(arena, text + from, (size_t)(len - from));
    int32_t w = parser_command_word(text, from, len);
    if (!out->text)
        return md_error_set(err, MD_ERR_MEMORY, "out of memory while parsing");
    if (w == 0) {
        Lexed probe;
        if (lexer_run(arena, text, from, len, map, &probe, err) != MD_OK)
            return err->status;
        return lang_error_at(err, MD_ERR_SYNTAX, &word, "a line starts with a command name "
                             "such as generate or tabulate", "expected a command name");
    }
    char *name = arena_strndup(arena, text + from, (size_t)w);
    if (!name)
        return md_error_set(err, MD_ERR_MEMORY, "out of memory while parsing");
    word.text = name;
    out->spec = lang_command_find(name);
    if (!out->spec)
        return fail_unknown_command(name, &word, err);
    Lexed lx;
    Split sp = {0};
    if (lexer_run(arena, text, from + w, len, map, &lx, err) != MD_OK)
        return err->status;
    MdStatus rc = split_line(&lx, out->spec, &sp, err);
    if (rc == MD_OK)
        rc = build_args(arena, &lx, sp.args_end, out, err);
    if (rc == MD_OK)
        rc = parse_tail(arena, &lx, &sp, out, err);
    if (rc == MD_OK)
        rc = lang_check_command(arena, out, err);
    if (rc != MD_OK)
        md_error_where(err, "%s", out->spec->name);
    return rc;
}

const Option *command_option(const Command *command, const char *name)
{
    for (int32_t i = 0; i < command->n_options; i++) {
        if (strcmp(command->options[i].name, name) == 0)
            return &command->options[i];
    }
    return NULL;
}
