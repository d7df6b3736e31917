/*
 * preprocess.c - script text -> logical lines: `//` comments outside quotes are cut, a line
 * whose first non-blank character is '#' is a comment, a trailing `\` joins the next line
 * (the logical line keeps the first line's number and a LineMap for the others),
 * `textblock` ... `endblock` becomes one Markdown line kept in script order. Blank lines
 * vanish. Loops and bindings are the next stage (script.c).
 */
#include <string.h>

#include "lang/lang_int.h"

typedef struct Builder {
    Arena *arena;
    LogicalLine *lines;
    size_t cap;
    int32_t n;
    StrBuf text;          /* the logical line being joined */
    int32_t seg_off[256];
    int32_t seg_line[256];
    int32_t seg_col[256];
    int32_t n_segs;
    int32_t first_line;
    MdError *err;
} Builder;

/* ==== Helpers ========================================================================== */

/* Length of the line without a `//` comment that starts outside quotes. */
static size_t strip_comment(const char *s, size_t len)
{
    char quote = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (quote) {
            if (c == quote)
                quote = 0;
        } else if (c == '\'' || c == '"') {
            quote = c;
        } else if (c == '/' && i + 1 < len && s[i + 1] == '/') {
            return i;
        }
    }
    return len;
}

static size_t rtrim(const char *s, size_t len)
{
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
        len--;
    return len;
}

static size_t ltrim(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len && (s[i] == ' ' || s[i] == '\t'))
        i++;
    return i;
}

/* True when the line holds exactly word (blanks around it allowed). */
static bool line_is_word(const char *s, size_t len, const char *word)
{
    size_t from = ltrim(s, len);
    size_t to = rtrim(s, len);
    return to > from && to - from == strlen(word) && memcmp(s + from, word, to - from) == 0;
}

static MdStatus fail_at(Builder *bd, int32_t line, MdStatus status, const char *hint,
                        const char *msg)
{
    md_error_set(bd->err, status, "%s", msg);
    if (hint)
        md_error_hint(bd->err, "%s", hint);
    md_error_at(bd->err, line, 1);
    return status;
}

static MdStatus push_line(Builder *bd, LogicalLine line)
{
    if (md_grow((void **)&bd->lines, &bd->cap, (size_t)bd->n + 1, sizeof(LogicalLine)) != MD_OK)
        return md_error_set(bd->err, MD_ERR_MEMORY, "out of memory while reading the script");
    bd->lines[bd->n++] = line;
    return MD_OK;
}

/* A textblock error does not stop the reading: it becomes a line of its own, so that
 * lang_check_script reports it in order and goes on with the next lines. */
static MdStatus push_error(Builder *bd, int32_t line, const char *hint, const char *msg)
{
    MdError *e = arena_alloc(bd->arena, sizeof(MdError));
    if (!e)
        return md_error_set(bd->err, MD_ERR_MEMORY, "out of memory while reading the script");
    md_error_clear(e);
    md_error_set(e, MD_ERR_SYNTAX, "%s", msg);
    md_error_hint(e, "%s", hint);
    md_error_at(e, line, 1);
    LogicalLine ll = {.kind = LINE_ERROR, .line = line, .error = e};
    return push_line(bd, ll);
}

/* ==== Logical lines ==================================================================== */

static MdStatus add_segment(Builder *bd, const char *s, size_t len, int32_t line)
{
    if (bd->n_segs == 0) {
        bd->first_line = line;
    } else {
        if (bd->n_segs >= (int32_t)MD_ARRAY_LEN(bd->seg_off))
            return fail_at(bd, line, MD_ERR_LIMIT, "join fewer lines with \\",
                           "too many continuation lines (limit is 256)");
        MdStatus rc = strbuf_putc(&bd->text, ' ');
        if (rc != MD_OK)
            return fail_at(bd, line, rc, "split the command", "line too long");
    }
    size_t skip = bd->n_segs == 0 ? 0 : ltrim(s, len);
    bd->seg_off[bd->n_segs] = (int32_t)bd->text.len;
    bd->seg_line[bd->n_segs] = line;
    bd->seg_col[bd->n_segs] = 1 + (int32_t)skip;
    bd->n_segs++;
    MdStatus rc = strbuf_append(&bd->text, s + skip, len - skip);
    if (rc != MD_OK)
        return fail_at(bd, line, rc, "split the command", "line too long");
    return MD_OK;
}

/* Ends the logical line being built (if any) and stores it with its line map. */
static MdStatus finish_line(Builder *bd)
{
    if (bd->n_segs == 0)
        return MD_OK;
    LogicalLine line = {.kind = LINE_COMMAND, .line = bd->first_line};
    line.text = arena_strndup(bd->arena, bd->text.data ? bd->text.data : "", bd->text.len);
    int32_t *mem = arena_alloc(bd->arena, 3 * (size_t)bd->n_segs * sizeof(int32_t));
    if (!line.text || !mem)
        return md_error_set(bd->err, MD_ERR_MEMORY, "out of memory while reading the script");
    memcpy(mem, bd->seg_off, (size_t)bd->n_segs * sizeof(int32_t));
    memcpy(mem + bd->n_segs, bd->seg_line, (size_t)bd->n_segs * sizeof(int32_t));
    memcpy(mem + 2 * bd->n_segs, bd->seg_col, (size_t)bd->n_segs * sizeof(int32_t));
    line.map = (LineMap){.n = bd->n_segs, .offset = mem, .line = mem + bd->n_segs,
                         .column = mem + 2 * bd->n_segs};
    bd->n_segs = 0;
    strbuf_reset(&bd->text);
    return push_line(bd, line);
}

/* Collects the lines after `textblock` up to `endblock` verbatim into one Markdown line. */
static MdStatus add_textblock(Builder *bd, const char *text, size_t len, size_t *pos,
                              int32_t *line_no)
{
    int32_t open_line = *line_no;
    StrBuf md;
    strbuf_init(&md, LANG_MAX_EXPANDED_BYTES);
    MdStatus rc = MD_OK;
    while (*pos < len) {
        const char *s = text + *pos;
        const char *nl = memchr(s, '\n', len - *pos);
        size_t n = nl ? (size_t)(nl - s) : len - *pos;
        *pos += n + (nl ? 1 : 0);
        (*line_no)++;
        if (line_is_word(s, n, "endblock")) {
            LogicalLine tb = {.kind = LINE_TEXTBLOCK, .line = open_line};
            tb.markdown = arena_strndup(bd->arena, md.data ? md.data : "", md.len);
            strbuf_free(&md);
            if (!tb.markdown)
                return md_error_set(bd->err, MD_ERR_MEMORY, "out of memory");
            if (!text_utf8_valid(tb.markdown, strlen(tb.markdown)))
                return push_error(bd, open_line, "save the script as UTF-8",
                                  "invalid UTF-8 in the textblock");
            return push_line(bd, tb);
        }
        if (md.len > 0)
            rc = strbuf_putc(&md, '\n');
        if (rc == MD_OK)
            rc = strbuf_append(&md, s, rtrim(s, n));
        if (rc != MD_OK)
            return fail_at(bd, open_line, rc, NULL, "textblock too long");
    }
    strbuf_free(&md);
    return push_error(bd, open_line, "close the block with a line 'endblock'",
                      "textblock without endblock");
}

/* One physical line: comment cut, continuation noted, appended to the current line. */
static MdStatus add_physical(Builder *bd, const char *s, size_t n, int32_t line_no,
                             bool *continued)
{
    size_t from = ltrim(s, n);
    size_t len = from < n && s[from] == '#' && !*continued ? 0 : strip_comment(s, n);
    len = rtrim(s, len);
    bool more = len > 0 && s[len - 1] == '\\';
    if (more)
        len = rtrim(s, len - 1);
    MdStatus rc = MD_OK;
    if (len > ltrim(s, len) || (more && bd->n_segs == 0))
        rc = add_segment(bd, s, len, line_no);
    if (rc == MD_OK && !more)
        rc = finish_line(bd);
    *continued = more;
    return rc;
}

/* Walks the physical lines of the script. */
static MdStatus build_lines(Builder *bd, const char *text, size_t len)
{
    size_t pos = 0;
    int32_t line_no = 0;
    bool continued = false;
    while (pos < len) {
        const char *s = text + pos;
        const char *nl = memchr(s, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - s) : len - pos;
        pos += n + (nl ? 1 : 0);
        line_no++;
        MdStatus rc;
        if (!continued && line_is_word(s, n, "textblock")) {
            rc = add_textblock(bd, text, len, &pos, &line_no);
        } else if (!continued && line_is_word(s, n, "endblock")) {
            rc = push_error(bd, line_no, "open the block with a line 'textblock'",
                            "endblock without textblock");
        } else {
            rc = add_physical(bd, s, n, line_no, &continued);
        }
        if (rc != MD_OK)
            return rc;
    }
    return finish_line(bd);
}

MdStatus preprocess_lines(Arena *arena, const char *text, size_t len, LogicalLine **lines,
                          int32_t *n_lines, MdError *err)
{
    *lines = NULL;
    *n_lines = 0;
    if (!text || len == 0)
        return MD_OK;
    const char *nul = memchr(text, '\0', len);
    if (nul) {
        int32_t line = 1;
        for (const char *p = text; p < nul; p++)
            line += *p == '\n';
        md_error_set(err, MD_ERR_SYNTAX, "the script contains a NUL byte");
        md_error_hint(err, "save the script as plain UTF-8 text");
        md_error_at(err, line, 1);
        return MD_ERR_SYNTAX;
    }
    if (len > (size_t)INT32_MAX / 4)
        return md_error_set(err, MD_ERR_LIMIT, "the script is too large");
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3; /* a UTF-8 byte-order mark, as some editors write it */
        len -= 3;
    }
    Builder bd = {.arena = arena, .err = err};
    strbuf_init(&bd.text, LANG_MAX_EXPANDED_BYTES);
    MdStatus rc = build_lines(&bd, text, len);
    strbuf_free(&bd.text);
    if (rc == MD_OK && bd.n > 0) {
        *lines = arena_alloc(arena, (size_t)bd.n * sizeof(LogicalLine));
        if (!*lines)
            rc = md_error_set(err, MD_ERR_MEMORY, "out of memory while reading the script");
        else
            memcpy(*lines, bd.lines, (size_t)bd.n * sizeof(LogicalLine));
    }
    if (rc == MD_OK)
        *n_lines = bd.n;
    md_free(bd.lines);
    return rc;
}
