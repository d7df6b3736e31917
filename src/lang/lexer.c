/*
 * lexer.c - turns one logical script line into Tokens with byte spans.
 *
 * Names are UTF-8 (kjønn), may hold '@' (START@x, date@panel) and inner dots before a
 * letter (i.kjonn, no.ssb.fdb). `$name` is a name whose text keeps the '$'. A YYYY-MM-DD
 * literal is a TOKEN_DATE everywhere (in expressions it means its day number). Paths
 * (alias/VAR) are not made here: the command parser joins NAME '/' NAME in positional
 * arguments, because in expressions '/' divides. Strings have no escapes and do not span
 * lines. Never reads past len; invalid input is an MdError with line and column.
 */
#include <stdio.h>
#include <string.h>

#include "lang/lang_int.h"

/* Operators, longest first so that "##" wins over "#". */
static const char *const operators[] = {
    "->", "##", "==", "!=", "<=", ">=", "++", "&&", "||",
    "#", "=", "<", ">", "+", "-", "*", "/", "^", "&", "|", "!", "(", ")", ",", ":", ";",
};

typedef struct Lexer {
    Arena *arena;
    const char *text;
    int32_t pos;
    int32_t len;
    const LineMap *map;
    Token *tokens;        /* heap scratch while lexing; copied to the arena at the end */
    int32_t *start;
    int32_t *end;
    size_t cap_tokens;
    size_t cap_start;
    size_t cap_end;
    int32_t n;
    int32_t cursor_pos;   /* position cache: the last offset converted and its column */
    int32_t cursor_line;
    int32_t cursor_column;
    int32_t cursor_seg;
    MdError *err;
} Lexer;

/* ==== Positions ======================================================================== */

void linemap_position(const LineMap *map, const char *text, int32_t pos, int32_t *line,
                      int32_t *column)
{
    int32_t seg_off = 0, seg_line = 1, seg_col = 1;
    if (map) {
        for (int32_t k = 0; k < map->n; k++) {
            if (map->offset[k] > pos)
                break;
            seg_off = map->offset[k];
            seg_line = map->line[k];
            seg_col = map->column[k];
        }
    }
    int32_t col = seg_col;
    for (int32_t i = seg_off; i < pos && text[i]; i++) {
        if (((unsigned char)text[i] & 0xC0) != 0x80)
            col++;
    }
    *line = seg_line;
    *column = col;
}

/* ==== Character classes ================================================================ */

bool lexer_is_name_start(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

bool lexer_is_name_char(unsigned char c)
{
    return lexer_is_name_start(c) || (c >= '0' && c <= '9') || c == '@';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* ==== Token helpers ==================================================================== */

bool token_is_op(const Token *token, const char *op)
{
    return token->kind == TOKEN_OP && strcmp(token->text, op) == 0;
}

bool token_is_word(const Token *token, const char *word)
{
    return token->kind == TOKEN_NAME && strcmp(token->text, word) == 0;
}

/* Used to join alias/VAR, x_$navn and -5: nothing may stand between the two tokens. */
bool token_adjacent(const Token *a, const Token *b)
{
    if (a->kind == TOKEN_STRING || b->kind == TOKEN_STRING || a->line != b->line)
        return false;
    int32_t width = 0;
    for (const char *p = a->text; *p; p++) {
        if (((unsigned char)*p & 0xC0) != 0x80)
            width++;
    }
    return a->column + width == b->column;
}

/* How a token is named in messages: end of the line, string 'x', number 5, 'name'. */
const char *token_describe(const Token *token, char *buf, size_t cap)
{
    switch (token->kind) {
    case TOKEN_END:
        return "end of the line";
    case TOKEN_STRING:
        snprintf(buf, cap, "string '%.60s'", token->text);
        return buf;
    case TOKEN_NUMBER:
        snprintf(buf, cap, "number %.60s", token->text);
        return buf;
    default:
        snprintf(buf, cap, "'%.60s'", token->text);
        return buf;
    }
}

MdStatus lang_error_at(MdError *err, MdStatus status, const Token *at, const char *hint,
                       const char *fmt, ...)
{
    if (err->status != MD_OK)
        return err->status;
    va_list ap;
    va_start(ap, fmt);
    md_error_setv(err, status, fmt, ap);
    va_end(ap);
    if (hint)
        md_error_hint(err, "%s", hint);
    if (at)
        md_error_at(err, at->line, at->column);
    return status;
}

/* ==== Scanning ========================================================================= */

static MdStatus lex_fail(Lexer *lx, int32_t pos, const char *hint, const char *msg)
{
    int32_t line, col;
    linemap_position(lx->map, lx->text, pos, &line, &col);
    md_error_set(lx->err, MD_ERR_SYNTAX, "%s", msg);
    if (hint)
        md_error_hint(lx->err, "%s", hint);
    md_error_at(lx->err, line, col);
    return MD_ERR_SYNTAX;
}

/* Segment index of pos in the line map (-1 without a map). */
static int32_t segment_of(const LineMap *map, int32_t pos)
{
    int32_t seg = -1;
    for (int32_t k = 0; map && k < map->n && map->offset[k] <= pos; k++)
        seg = k;
    return seg;
}

/* linemap_position, but continuing from the previous token when it is in the same
 * segment, so a long line costs linear rather than quadratic time. */
static void token_position(Lexer *lx, int32_t pos, int32_t *line, int32_t *column)
{
    int32_t seg = segment_of(lx->map, pos);
    if (lx->cursor_pos < 0 || seg != lx->cursor_seg || pos < lx->cursor_pos) {
        linemap_position(lx->map, lx->text, pos, line, column);
    } else {
        int32_t col = lx->cursor_column;
        for (int32_t i = lx->cursor_pos; i < pos; i++) {
            if (((unsigned char)lx->text[i] & 0xC0) != 0x80)
                col++;
        }
        *line = lx->cursor_line;
        *column = col;
    }
    lx->cursor_pos = pos;
    lx->cursor_seg = seg;
    lx->cursor_line = *line;
    lx->cursor_column = *column;
}

/* Appends a token spanning [from, to); text NULL copies the source bytes. */
static MdStatus push(Lexer *lx, TokenKind kind, int32_t from, int32_t to, const char *text)
{
    if (lx->n >= LANG_MAX_TOKENS)
        return lex_fail(lx, from, "split the command into several shorter ones",
                        "too many tokens on one line (limit is 20000)");
    size_t need = (size_t)lx->n + 1;
    if (md_grow((void **)&lx->tokens, &lx->cap_tokens, need, sizeof(Token)) != MD_OK ||
        md_grow((void **)&lx->start, &lx->cap_start, need, sizeof(int32_t)) != MD_OK ||
        md_grow((void **)&lx->end, &lx->cap_end, need, sizeof(int32_t)) != MD_OK)
        return md_error_set(lx->err, MD_ERR_MEMORY, "out of memory while reading the script");
    Token *tok = &lx->tokens[lx->n];
    memset(tok, 0, sizeof(*tok));
    tok->kind = kind;
    tok->text = text ? text : arena_strndup(lx->arena, lx->text + from, (size_t)(to - from));
    if (!tok->text)
        return md_error_set(lx->err, MD_ERR_MEMORY, "out of memory while reading the script");
    token_position(lx, from, &tok->line, &tok->column);
    lx->start[lx->n] = from;
    lx->end[lx->n] = to;
    lx->n++;
    return MD_OK;
}

/* The end of a name starting at p: name characters, and dots followed by a letter. */
static int32_t scan_name_end(const Lexer *lx, int32_t p)
{
    while (p < lx->len) {
        unsigned char c = (unsigned char)lx->text[p];
        if (lexer_is_name_char(c)) {
            p++;
        } else if (c == '.' && p + 1 < lx->len &&
                   lexer_is_name_start((unsigned char)lx->text[p + 1])) {
            p++;
        } else {
            break;
        }
    }
    return p;
}

/* A name or a $binding reference. */
static MdStatus lex_name(Lexer *lx)
{
    int32_t from = lx->pos;
    int32_t p = lx->text[from] == '$' ? from + 1 : from;
    if (lx->text[from] == '$' &&
        (p >= lx->len || !lexer_is_name_start((unsigned char)lx->text[p])))
        return lex_fail(lx, from, "write $ directly followed by the binding's name, as $aar",
                        "'$' without a binding name");
    p = scan_name_end(lx, p);
    lx->pos = p;
    return push(lx, TOKEN_NAME, from, p, NULL);
}

/* A YYYY-MM-DD literal at pos that is not part of a longer word or number. */
static bool looks_like_date(const Lexer *lx, int32_t p)
{
    static const char shape[] = "dddd-dd-dd";
    if (p + 10 > lx->len)
        return false;
    for (int32_t i = 0; i < 10; i++) {
        char c = lx->text[p + i];
        if (shape[i] == 'd' ? !is_digit(c) : c != '-')
            return false;
    }
    if (p + 10 < lx->len) {
        unsigned char next = (unsigned char)lx->text[p + 10];
        if (lexer_is_name_char(next) || next == '.' || next == '-')
            return false;
    }
    return true;
}

static MdStatus lex_date(Lexer *lx)
{
    int32_t from = lx->pos;
    int32_t days;
    if (!date_parse_iso(lx->text + from, 10, &days))
        return lex_fail(lx, from, "dates are written YYYY-MM-DD with a real month and day",
                        "invalid date");
    lx->pos = from + 10;
    MdStatus rc = push(lx, TOKEN_DATE, from, from + 10, NULL);
    if (rc == MD_OK)
        lx->tokens[lx->n - 1].date = days;
    return rc;
}

static int32_t scan_digits(const Lexer *lx, int32_t p)
{
    while (p < lx->len && is_digit(lx->text[p]))
        p++;
    return p;
}

/* Digits [. digits] [e[+-]digits]; a digit-led word with letters or _ is a name. */
static MdStatus lex_number(Lexer *lx)
{
    int32_t from = lx->pos;
    int32_t p = scan_digits(lx, from);
    if (p < lx->len && lx->text[p] == '.')
        p = scan_digits(lx, p + 1);
    if (p < lx->len && (lx->text[p] == 'e' || lx->text[p] == 'E')) {
        int32_t q = p + 1;
        if (q < lx->len && (lx->text[q] == '+' || lx->text[q] == '-'))
            q++;
        if (q < lx->len && is_digit(lx->text[q]))
            p = scan_digits(lx, q);
    }
    if (p < lx->len && lexer_is_name_char((unsigned char)lx->text[p])) {
        /* 2021_01_01 or 1a: a word that starts with a digit is a name (reshape suffixes) */
        p = scan_name_end(lx, p);
        lx->pos = p;
        return push(lx, TOKEN_NAME, from, p, NULL);
    }
    double value;
    if (!text_parse_double(lx->text + from, (size_t)(p - from), false, &value))
        return lex_fail(lx, from, "write numbers like 12, 3.5 or .5", "malformed number");
    lx->pos = p;
    MdStatus rc = push(lx, TOKEN_NUMBER, from, p, NULL);
    if (rc == MD_OK)
        lx->tokens[lx->n - 1].number = value;
    return rc;
}

/* '...' or "..." on one line, without escapes; the token holds the contents. */
static MdStatus lex_string(Lexer *lx)
{
    int32_t from = lx->pos;
    char quote = lx->text[from];
    int32_t p = from + 1;
    while (p < lx->len && lx->text[p] != quote)
        p++;
    if (p >= lx->len)
        return lex_fail(lx, from, "close the string with the same quote it starts with",
                        "unterminated string");
    char *contents = arena_strndup(lx->arena, lx->text + from + 1, (size_t)(p - from - 1));
    if (!contents)
        return md_error_set(lx->err, MD_ERR_MEMORY, "out of memory while reading the script");
    lx->pos = p + 1;
    return push(lx, TOKEN_STRING, from, p + 1, contents);
}

/* The longest operator at pos, or an error naming the stray character. */
static MdStatus lex_operator(Lexer *lx)
{
    char c = lx->text[lx->pos];
    for (size_t i = 0; i < MD_ARRAY_LEN(operators); i++) {
        if (operators[i][0] != c)
            continue;
        size_t n = operators[i][1] ? 2 : 1;
        if ((size_t)(lx->len - lx->pos) >= n && memcmp(lx->text + lx->pos, operators[i], n) == 0) {
            int32_t from = lx->pos;
            lx->pos += (int32_t)n;
            return push(lx, TOKEN_OP, from, lx->pos, operators[i]);
        }
    }
    char msg[80];
    unsigned char uc = (unsigned char)c;
    if (uc >= 0x20 && uc < 0x7F)
        snprintf(msg, sizeof(msg), "unexpected character '%c'", uc);
    else
        snprintf(msg, sizeof(msg), "unexpected control character (code %u)", uc);
    return lex_fail(lx, lx->pos, "remove it or put it inside quotes", msg);
}

/* Lexes the token starting at pos (pos is not blank). */
static MdStatus lex_one(Lexer *lx)
{
    char c = lx->text[lx->pos];
    unsigned char uc = (unsigned char)c;
    if (c == '\'' || c == '"')
        return lex_string(lx);
    if (is_digit(c) && looks_like_date(lx, lx->pos))
        return lex_date(lx);
    if (is_digit(c) || (c == '.' && lx->pos + 1 < lx->len && is_digit(lx->text[lx->pos + 1])))
        return lex_number(lx);
    if (c == '.') {
        lx->pos++;
        return push(lx, TOKEN_DOT, lx->pos - 1, lx->pos, ".");
    }
    if (lexer_is_name_start(uc) || c == '$')
        return lex_name(lx);
    return lex_operator(lx);
}

/* The offset of the first byte that does not start a well-formed UTF-8 sequence (from
 * when only the strict check of base finds the problem). */
static int32_t first_invalid_utf8(const char *text, int32_t from, int32_t len)
{
    int32_t p = from;
    while (p < len) {
        unsigned char c = (unsigned char)text[p];
        int32_t extra = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2
                      : (c & 0xF8) == 0xF0 ? 3 : -1;
        if (extra < 0 || p + extra >= len + (extra == 0))
            return p;
        for (int32_t k = 1; k <= extra; k++) {
            if (((unsigned char)text[p + k] & 0xC0) != 0x80)
                return p;
        }
        if (!text_utf8_valid(text + p, (size_t)(extra + 1)))
            return p;
        p += extra + 1;
    }
    return from;
}

/* ==== Entry ============================================================================ */

/* Moves the scratch token arrays into the arena, exactly sized. */
static MdStatus finish(Lexer *lx, Lexed *out)
{
    size_t n = (size_t)lx->n;
    out->tokens = arena_alloc(lx->arena, n * sizeof(Token));
    out->start = arena_alloc(lx->arena, n * sizeof(int32_t));
    out->end = arena_alloc(lx->arena, n * sizeof(int32_t));
    if (!out->tokens || !out->start || !out->end)
        return md_error_set(lx->err, MD_ERR_MEMORY, "out of memory while reading the script");
    memcpy(out->tokens, lx->tokens, n * sizeof(Token));
    memcpy(out->start, lx->start, n * sizeof(int32_t));
    memcpy(out->end, lx->end, n * sizeof(int32_t));
    out->n = lx->n - 1;
    return MD_OK;
}

static MdStatus lex_all(Lexer *lx, Lexed *out)
{
    if (!text_utf8_valid(lx->text + lx->pos, (size_t)(lx->len - lx->pos)))
        return lex_fail(lx, first_invalid_utf8(lx->text, lx->pos, lx->len),
                        "save the script as UTF-8", "invalid UTF-8 in the script");
    while (lx->pos < lx->len) {
        char c = lx->text[lx->pos];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v') {
            lx->pos++;
            continue;
        }
        MdStatus rc = lex_one(lx);
        if (rc != MD_OK)
            return rc;
    }
    MdStatus rc = push(lx, TOKEN_END, lx->len, lx->len, "");
    return rc == MD_OK ? finish(lx, out) : rc;
}

MdStatus lexer_run(Arena *arena, const char *text, int32_t from, int32_t len,
                   const LineMap *map, Lexed *out, MdError *err)
{
    Lexer lx = {.arena = arena, .text = text, .pos = from, .len = len, .map = map, .err = err,
                .cursor_pos = -1};
    memset(out, 0, sizeof(*out));
    /* room for a typical line at once: about one token per three bytes */
    size_t guess = (size_t)(len - from) / 3 + 4;
    MdStatus rc = MD_OK;
    if (md_grow((void **)&lx.tokens, &lx.cap_tokens, guess, sizeof(Token)) != MD_OK ||
        md_grow((void **)&lx.start, &lx.cap_start, guess, sizeof(int32_t)) != MD_OK ||
        md_grow((void **)&lx.end, &lx.cap_end, guess, sizeof(int32_t)) != MD_OK)
        rc = md_error_set(err, MD_ERR_MEMORY, "out of memory while reading the script");
    if (rc == MD_OK)
        rc = lex_all(&lx, out);
    md_free(lx.tokens);
    md_free(lx.start);
    md_free(lx.end);
    if (rc != MD_OK)
        memset(out, 0, sizeof(*out));
    return rc;
}
