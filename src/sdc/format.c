/*
 * format.c - makes Released values: rounding to significant digits (sdc rule R10) and the
 * text shown for each number, sealed so that result accepts them. Only src/sdc makes
 * Released values; every other module receives them.
 *
 * Text: plain decimal without trailing zeros ("1234", "0.1235", "-12.5"); magnitudes of
 * 1e15 and above, or below 1e-6, in exponent form ("1.235e+20"), so text always fits.
 */
#include "sdc/sdc_int.h"
#include "result/released_seal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

double sdc_round_significant(double value, int digits)
{
    if (!isfinite(value) || value == 0)
        return value;
    char buf[64];
    snprintf(buf, sizeof buf, "%.*e", digits - 1, value);
    double r;
    if (!text_parse_double(buf, strlen(buf), false, &r))
        return value;
    return r;
}

static void strip_zeros(char *buf)
{
    char *e = strchr(buf, 'e');
    char exponent[16] = "";
    if (e) {
        snprintf(exponent, sizeof exponent, "%s", e);
        *e = 0;
    }
    if (strchr(buf, '.')) {
        size_t n = strlen(buf);
        while (n > 0 && buf[n - 1] == '0')
            buf[--n] = 0;
        if (n > 0 && buf[n - 1] == '.')
            buf[--n] = 0;
    }
    strcat(buf, exponent);
}

/* Writes value (already rounded to digits) into text[32]. */
static void format_number(double value, int digits, char text[32])
{
    double a = fabs(value);
    if (value == 0) {
        snprintf(text, 32, "0");
        return;
    }
    if (a >= 1e15 || a < 1e-6) {
        snprintf(text, 32, "%.*e", digits - 1, value);
        strip_zeros(text);
        return;
    }
    int magnitude = (int)floor(log10(a));
    int decimals = digits - 1 - magnitude;
    if (decimals < 0)
        decimals = 0;
    snprintf(text, 32, "%.*f", decimals, value);
    strip_zeros(text);
    if (strcmp(text, "-0") == 0)
        snprintf(text, 32, "0");
}

Released sdc_make_number(double value, int digits)
{
    if (!isfinite(value))
        return sdc_suppressed("x");
    if (digits < 1)
        digits = 1;
    if (digits > 15)
        digits = 15;
    Released r;
    memset(&r, 0, sizeof r);
    r.kind = RELEASED_NUMBER;
    r.value = sdc_round_significant(value, digits);
    if (r.value == 0)
        r.value = 0; /* no negative zero */
    format_number(r.value, digits, r.text);
    r.seal = RELEASED_SEAL_VALUE;
    return r;
}

Released sdc_make_integer(int64_t value)
{
    Released r;
    memset(&r, 0, sizeof r);
    r.kind = RELEASED_NUMBER;
    r.value = (double)value;
    snprintf(r.text, sizeof r.text, "%lld", (long long)value);
    r.seal = RELEASED_SEAL_VALUE;
    return r;
}

Released sdc_suppressed(const char *marker)
{
    Released r;
    memset(&r, 0, sizeof r);
    r.kind = RELEASED_SUPPRESSED;
    r.value = NAN;
    snprintf(r.text, sizeof r.text, "%s", marker && *marker ? marker : "x");
    r.seal = RELEASED_SEAL_VALUE;
    return r;
}

Released sdc_release_constant(double value)
{
    if (!isfinite(value))
        return sdc_suppressed("x");
    if (value == floor(value) && fabs(value) < 9e15)
        return sdc_make_integer((int64_t)value);
    return sdc_make_number(value, 15);
}
