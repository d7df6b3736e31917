/*
 * error.c - the MdError record: first error wins, fixed buffers, never allocates.
 *
 * Callers propagate an error without rewording it and only add context (line, column,
 * command) that they know and the record does not have yet.
 */
#include "base.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void md_assert_fail(const char *expr, const char *file, int line)
{
    fprintf(stderr, "mdata: assertion failed: %s (%s:%d)\n", expr, file, line);
    abort();
}

void md_error_clear(MdError *err)
{
    if (!err)
        return;
    memset(err, 0, sizeof *err);
}

MdStatus md_error_setv(MdError *err, MdStatus status, const char *fmt, va_list ap)
{
    if (!err)
        return status;
    if (err->status != MD_OK)
        return err->status;
    err->status = status;
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    return status;
}

MdStatus md_error_set(MdError *err, MdStatus status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    MdStatus s = md_error_setv(err, status, fmt, ap);
    va_end(ap);
    return s;
}

void md_error_hint(MdError *err, const char *fmt, ...)
{
    if (!err)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->hint, sizeof err->hint, fmt, ap);
    va_end(ap);
}

void md_error_at(MdError *err, int32_t line, int32_t column)
{
    if (!err)
        return;
    if (err->line == 0) {
        err->line = line;
        err->column = column;
    }
}

void md_error_where(MdError *err, const char *fmt, ...)
{
    if (!err || err->where[0])
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->where, sizeof err->where, fmt, ap);
    va_end(ap);
}

/* ORDER MdStatus */
static const char *const status_names[] = {
    "ok", "syntax error", "name error", "type error", "value error", "limit reached",
    "out of memory", "i/o error", "disclosure control", "not yet implemented",
    "internal error",
};
_Static_assert(MD_ARRAY_LEN(status_names) == MD_ERR_INTERNAL + 1, "status_names out of step");

const char *md_status_name(MdStatus status)
{
    if ((int)status < 0 || (size_t)status >= MD_ARRAY_LEN(status_names))
        return "unknown error";
    return status_names[status];
}

void md_error_format(const MdError *err, char *buf, size_t cap)
{
    /* "where:line:column: kind - message (hint)", leaving out the parts that are unknown. */
    char pos[64] = "";
    if (err->line > 0 && err->column > 0)
        snprintf(pos, sizeof pos, "%d:%d", err->line, err->column);
    else if (err->line > 0)
        snprintf(pos, sizeof pos, "%d", err->line);
    const char *sep = err->where[0] && pos[0] ? ":" : "";
    const char *colon = err->where[0] || pos[0] ? ": " : "";
    snprintf(buf, cap, "%s%s%s%s%s%s%s", err->where, sep, pos, colon,
             md_status_name(err->status), err->message[0] ? " - " : "", err->message);
    if (err->hint[0]) {
        size_t n = strlen(buf);
        if (n < cap)
            snprintf(buf + n, cap - n, " (%s)", err->hint);
    }
}
