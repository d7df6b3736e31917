/*
 * date.c - civil dates as int32_t days since 1970-01-01, proleptic Gregorian calendar.
 * The conversions are the closed-form era arithmetic (no tables, no libc time functions).
 */
#include "base.h"

#include <stdio.h>

bool date_is_leap(int32_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int32_t date_days_in_month(int32_t y, int32_t m)
{
    static const int8_t days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12)
        return 0;
    return days[m - 1] + (m == 2 && date_is_leap(y));
}

bool date_ymd_valid(int32_t y, int32_t m, int32_t d)
{
    return y >= -9999 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
           d <= date_days_in_month(y, m);
}

int32_t date_from_ymd(int32_t y, int32_t m, int32_t d)
{
    int64_t yy = (int64_t)y - (m <= 2);
    int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
    int64_t yoe = yy - era * 400;
    int64_t mp = (m + 9) % 12;
    int64_t doy = (153 * mp + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int32_t)(era * 146097 + doe - 719468);
}

void date_to_ymd(int32_t days, int32_t *year, int32_t *month, int32_t *day)
{
    int64_t z = (int64_t)days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    *year = (int32_t)(y + (m <= 2));
    *month = (int32_t)m;
    *day = (int32_t)d;
}

int32_t date_year(int32_t days)
{
    int32_t y, m, d;
    date_to_ymd(days, &y, &m, &d);
    return y;
}

static bool digits(const char *s, int n, int32_t *out)
{
    int32_t v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

bool date_parse_iso(const char *text, size_t len, int32_t *days)
{
    int32_t y, m, d;
    if (len != 10 || text[4] != '-' || text[7] != '-')
        return false;
    if (!digits(text, 4, &y) || !digits(text + 5, 2, &m) || !digits(text + 8, 2, &d))
        return false;
    if (!date_ymd_valid(y, m, d))
        return false;
    *days = date_from_ymd(y, m, d);
    return true;
}

void date_format_iso(int32_t days, char *buf)
{
    if (days == DATE_OPEN) {
        snprintf(buf, 11, "open");
        return;
    }
    if (days == DATE_NONE) {
        snprintf(buf, 11, "none");
        return;
    }
    int32_t y, m, d;
    date_to_ymd(days, &y, &m, &d);
    /* Years are within -9999..9999 by construction of valid dates; clamp for safety. */
    int yy = y < 0 ? 0 : (y > 9999 ? 9999 : (int)y);
    buf[0] = (char)('0' + yy / 1000);
    buf[1] = (char)('0' + yy / 100 % 10);
    buf[2] = (char)('0' + yy / 10 % 10);
    buf[3] = (char)('0' + yy % 10);
    buf[4] = '-';
    buf[5] = (char)('0' + m / 10);
    buf[6] = (char)('0' + m % 10);
    buf[7] = '-';
    buf[8] = (char)('0' + d / 10);
    buf[9] = (char)('0' + d % 10);
    buf[10] = 0;
}
