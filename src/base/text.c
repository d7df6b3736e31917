/*
 * text.c - UTF-8 validation and width in code points (for padding text tables), strict
 * number parsing, name suggestions ("did you mean") and significant-digit formatting. No
 * locale dependence: '.' is always the decimal mark.
 */
#include "base.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool text_utf8_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        unsigned char c = p[i];
        size_t n;
        uint32_t cp;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xe0) == 0xc0) {
            n = 1;
            cp = c & 0x1f;
        } else if ((c & 0xf0) == 0xe0) {
            n = 2;
            cp = c & 0x0f;
        } else if ((c & 0xf8) == 0xf0) {
            n = 3;
            cp = c & 0x07;
        } else {
            return false;
        }
        for (size_t k = 1; k <= n; k++) {
            if (i + k >= len || (p[i + k] & 0xc0) != 0x80)
                return false;
            cp = (cp << 6) | (p[i + k] & 0x3f);
        }
        if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
            cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        i += n + 1;
    }
    return true;
}

static void trim_span(const char **s, size_t *len)
{
    while (*len && isspace((unsigned char)**s)) {
        (*s)++;
        (*len)--;
    }
    while (*len && isspace((unsigned char)(*s)[*len - 1]))
        (*len)--;
}

size_t text_utf8_length(const char *s)
{
    size_t n = 0;
    for (; s && *s; s++) {
        if (((unsigned char)*s & 0xc0) != 0x80)
            n++;
    }
    return n;
}

int text_pad(const char *s, size_t width)
{
    size_t n = text_utf8_length(s);
    return n < width ? (int)(width - n) : 0;
}

bool text_parse_int64(const char *s, size_t len, bool trim, int64_t *out)
{
    char buf[32];
    if (trim)
        trim_span(&s, &len);
    if (len == 0 || len >= sizeof buf)
        return false;
    memcpy(buf, s, len);
    buf[len] = 0;
    if (isspace((unsigned char)buf[0]))
        return false;
    char *end;
    errno = 0;
    long long v = strtoll(buf, &end, 10);
    if (errno || *end)
        return false;
    *out = (int64_t)v;
    return true;
}

bool text_parse_double(const char *s, size_t len, bool trim, double *out)
{
    char buf[64];
    if (trim)
        trim_span(&s, &len);
    if (len == 0 || len >= sizeof buf)
        return false;
    memcpy(buf, s, len);
    buf[len] = 0;
    /* Only plain decimal notation: digits, sign, '.', exponent. No hex, inf or nan. */
    for (size_t i = 0; i < len; i++) {
        char c = buf[i];
        if (!(isdigit((unsigned char)c) || c == '.' || c == '-' || c == '+' || c == 'e' ||
              c == 'E'))
            return false;
    }
    char *end;
    errno = 0;
    double v = strtod(buf, &end);
    if (errno == ERANGE && fabs(v) > 1.0)
        return false;
    if (*end || !isfinite(v))
        return false;
    *out = v;
    return true;
}

int32_t text_edit_distance(const char *a, const char *b, int32_t cap)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return cap;
    int32_t prev[65], cur[65];
    for (size_t j = 0; j <= lb; j++)
        prev[j] = (int32_t)j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = (int32_t)i;
        for (size_t j = 1; j <= lb; j++) {
            int cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
            int32_t best = prev[j - 1] + cost;
            if (prev[j] + 1 < best)
                best = prev[j] + 1;
            if (cur[j - 1] + 1 < best)
                best = cur[j - 1] + 1;
            cur[j] = best;
        }
        memcpy(prev, cur, (lb + 1) * sizeof *prev);
    }
    return prev[lb] < cap ? prev[lb] : cap;
}

const char *text_suggest(const char *name, const char *const *candidates, size_t n)
{
    const char *best = NULL;
    int32_t best_d = 1000;
    int32_t limit = (int32_t)strlen(name) / 3 + 1;
    if (limit > 3)
        limit = 3;
    for (size_t i = 0; i < n; i++) {
        int32_t d = text_edit_distance(name, candidates[i], 100);
        if (d < best_d) {
            best_d = d;
            best = candidates[i];
        }
    }
    return best_d <= limit ? best : NULL;
}

void text_format_significant(double value, int digits, char *buf, size_t cap)
{
    if (!isfinite(value)) {
        snprintf(buf, cap, "NaN");
        return;
    }
    if (value == 0) {
        snprintf(buf, cap, "0");
        return;
    }
    double mag = floor(log10(fabs(value)));
    int decimals = digits - 1 - (int)mag;
    if (decimals < 0) {
        double scale = pow(10, -decimals);
        double r = round(value / scale) * scale;
        snprintf(buf, cap, "%.0f", r);
        return;
    }
    if (decimals > 15)
        decimals = 15;
    snprintf(buf, cap, "%.*f", decimals, value);
    if (strchr(buf, '.')) {
        size_t n = strlen(buf);
        while (n > 0 && buf[n - 1] == '0')
            buf[--n] = 0;
        if (n > 0 && buf[n - 1] == '.')
            buf[--n] = 0;
    }
    if (strcmp(buf, "-0") == 0)
        snprintf(buf, cap, "0");
}
