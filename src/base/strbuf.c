/*
 * strbuf.c - a growable byte string with a maximum size fixed at creation. A failing
 * append frees the buffer, so a caller only checks the status and returns.
 */
#include "base.h"

#include <stdio.h>
#include <string.h>

void strbuf_init(StrBuf *sb, size_t max)
{
    sb->data = NULL;
    sb->len = 0;
    sb->cap = 0;
    sb->max = max ? max : SIZE_MAX / 2;
}

MdStatus strbuf_append(StrBuf *sb, const char *s, size_t len)
{
    if (len > sb->max || sb->len > sb->max - len) {
        strbuf_free(sb);
        return MD_ERR_LIMIT;
    }
    if (md_grow((void **)&sb->data, &sb->cap, sb->len + len + 1, 1) != MD_OK) {
        strbuf_free(sb);
        return MD_ERR_MEMORY;
    }
    if (len)
        memcpy(sb->data + sb->len, s, len);
    sb->len += len;
    sb->data[sb->len] = 0;
    return MD_OK;
}

MdStatus strbuf_puts(StrBuf *sb, const char *s) { return strbuf_append(sb, s, strlen(s)); }

MdStatus strbuf_putc(StrBuf *sb, char c) { return strbuf_append(sb, &c, 1); }

MdStatus strbuf_printf(StrBuf *sb, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        strbuf_free(sb);
        return MD_ERR_VALUE;
    }
    if ((size_t)n < sizeof small)
        return strbuf_append(sb, small, (size_t)n);
    char *big = md_malloc((size_t)n + 1);
    if (!big) {
        strbuf_free(sb);
        return MD_ERR_MEMORY;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    MdStatus s = strbuf_append(sb, big, (size_t)n);
    md_free(big);
    return s;
}

void strbuf_reset(StrBuf *sb)
{
    sb->len = 0;
    if (sb->data)
        sb->data[0] = 0;
}

char *strbuf_take(StrBuf *sb)
{
    char *p = sb->data;
    if (!p)
        p = md_strdup("");
    sb->data = NULL;
    sb->len = 0;
    sb->cap = 0;
    return p;
}

void strbuf_free(StrBuf *sb)
{
    md_free(sb->data);
    sb->data = NULL;
    sb->len = 0;
    sb->cap = 0;
}
