/*
 * functions_strings.c - the string functions of expressions: length, string, lower, upper,
 * startswith, endswith, substr, ltrim, rtrim, trim.
 *
 * Lengths and positions count UTF-8 characters (so 'kjønn' has length 5). lower/upper
 * change ASCII letters only. substr(s, pos, len) is 1-based; a negative pos counts from the
 * end (-1 is the last character); a position outside the string or len <= 0 gives ''. The
 * trims remove ASCII blanks (space, tab, newline, CR, VT, FF). string(x) writes up to 15
 * significant digits (string(199812) = '199812'). Strings longer than 4095 bytes made by a
 * function are missing.
 */
#include "engine/eval_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define EVAL_NAN ((double)NAN)

static int64_t utf8_length(const char *s)
{
    int64_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* Byte offset of character index k (0-based) of s, or strlen(s) if past the end. */
static size_t utf8_offset(const char *s, int64_t k)
{
    size_t i = 0;
    int64_t seen = -1;
    for (; s[i]; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80 && ++seen == k)
            return i;
    }
    return i;
}

static void kernel_length(EvalNode *node, EvalRun *run, int32_t n)
{
    (void)run;
    const char **s = node->args[0]->str;
    for (int32_t i = 0; i < n; i++)
        node->num[i] = s[i] ? (double)utf8_length(s[i]) : EVAL_NAN;
}

static void kernel_string(EvalNode *node, EvalRun *run, int32_t n)
{
    const double *x = node->args[0]->num;
    for (int32_t i = 0; i < n; i++) {
        if (isnan(x[i])) {
            node->str[i] = NULL;
            continue;
        }
        char buf[40];
        int w = snprintf(buf, sizeof buf, "%.15g", x[i] == 0 ? 0.0 : x[i]);
        node->str[i] = eval_run_string(run, buf, (size_t)w);
    }
}

static void change_case(EvalNode *node, EvalRun *run, int32_t n, bool upper)
{
    const char **s = node->args[0]->str;
    for (int32_t i = 0; i < n; i++) {
        if (!s[i]) {
            node->str[i] = NULL;
            continue;
        }
        size_t len = strlen(s[i]);
        char *out = (char *)eval_run_string(run, s[i], len);
        for (size_t k = 0; out && k < len; k++) {
            char c = out[k];
            if (upper && c >= 'a' && c <= 'z')
                out[k] = (char)(c - 'a' + 'A');
            else if (!upper && c >= 'A' && c <= 'Z')
                out[k] = (char)(c - 'A' + 'a');
        }
        node->str[i] = out;
    }
}

static void kernel_lower(EvalNode *node, EvalRun *run, int32_t n)
{
    change_case(node, run, n, false);
}

static void kernel_upper(EvalNode *node, EvalRun *run, int32_t n)
{
    change_case(node, run, n, true);
}

static void kernel_startswith(EvalNode *node, EvalRun *run, int32_t n)
{
    (void)run;
    const char **s = node->args[0]->str;
    const char **p = node->args[1]->str;
    for (int32_t i = 0; i < n; i++) {
        if (!s[i] || !p[i])
            node->num[i] = EVAL_NAN;
        else
            node->num[i] = strncmp(s[i], p[i], strlen(p[i])) == 0;
    }
}

static void kernel_endswith(EvalNode *node, EvalRun *run, int32_t n)
{
    (void)run;
    const char **s = node->args[0]->str;
    const char **p = node->args[1]->str;
    for (int32_t i = 0; i < n; i++) {
        if (!s[i] || !p[i]) {
            node->num[i] = EVAL_NAN;
            continue;
        }
        size_t ls = strlen(s[i]);
        size_t lp = strlen(p[i]);
        node->num[i] = lp <= ls && memcmp(s[i] + ls - lp, p[i], lp) == 0;
    }
}

/* The byte range [*from, *to) of substr(s, pos, len) in character positions. */
static void substr_range(const char *s, double pos, double len, size_t *from, size_t *to)
{
    int64_t chars = utf8_length(s);
    *from = *to = 0;
    if (pos == 0 || !(len > 0) || fabs(pos) > (double)chars)
        return;
    int64_t start = pos > 0 ? (int64_t)pos - 1 : chars + (int64_t)pos;
    double end = (double)start + floor(len);
    int64_t stop = end > (double)chars ? chars : (int64_t)end;
    *from = utf8_offset(s, start);
    *to = utf8_offset(s, stop);
}

static void kernel_substr(EvalNode *node, EvalRun *run, int32_t n)
{
    const char **s = node->args[0]->str;
    const double *pos = node->args[1]->num;
    const double *len = node->args[2]->num;
    for (int32_t i = 0; i < n; i++) {
        if (!s[i] || isnan(pos[i]) || isnan(len[i])) {
            node->str[i] = NULL;
            continue;
        }
        size_t from, to;
        substr_range(s[i], trunc(pos[i]), len[i], &from, &to);
        node->str[i] = eval_run_string(run, s[i] + from, to - from);
    }
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static void trim(EvalNode *node, EvalRun *run, int32_t n, bool left, bool right)
{
    const char **s = node->args[0]->str;
    for (int32_t i = 0; i < n; i++) {
        if (!s[i]) {
            node->str[i] = NULL;
            continue;
        }
        const char *p = s[i];
        size_t len = strlen(p);
        while (left && len > 0 && is_blank(*p)) {
            p++;
            len--;
        }
        while (right && len > 0 && is_blank(p[len - 1]))
            len--;
        node->str[i] = eval_run_string(run, p, len);
    }
}

static void kernel_ltrim(EvalNode *node, EvalRun *run, int32_t n)
{
    trim(node, run, n, true, false);
}

static void kernel_rtrim(EvalNode *node, EvalRun *run, int32_t n)
{
    trim(node, run, n, false, true);
}

static void kernel_trim(EvalNode *node, EvalRun *run, int32_t n)
{
    trim(node, run, n, true, true);
}

#define STRFN(name, min, max, sig, type, kernel)                                           \
    {name, min, max, sig, type, NULL, kernel, NULL, false, false}

const EvalFunction eval_functions_strings[] = {
    STRFN("length", 1, 1, "s", EVAL_NUMBER, kernel_length),
    STRFN("string", 1, 1, "n", EVAL_STRING, kernel_string),
    STRFN("lower", 1, 1, "s", EVAL_STRING, kernel_lower),
    STRFN("upper", 1, 1, "s", EVAL_STRING, kernel_upper),
    STRFN("startswith", 2, 2, "s", EVAL_NUMBER, kernel_startswith),
    STRFN("endswith", 2, 2, "s", EVAL_NUMBER, kernel_endswith),
    STRFN("substr", 3, 3, "snn", EVAL_STRING, kernel_substr),
    STRFN("ltrim", 1, 1, "s", EVAL_STRING, kernel_ltrim),
    STRFN("rtrim", 1, 1, "s", EVAL_STRING, kernel_rtrim),
    STRFN("trim", 1, 1, "s", EVAL_STRING, kernel_trim),
    {NULL, 0, 0, NULL, EVAL_NUMBER, NULL, NULL, NULL, false, false},
};
