/*
 * functions_dates.c - the date functions of expressions. A date is a number of days since
 * 1970-01-01 (negative before). date(y, m, d) builds one; day, month, year, halfyear,
 * quarter, week (ISO 8601), dow (1 = Monday), doy take one apart; isoformatdate writes
 * 'YYYY-MM-DD'.
 *
 * Documented values: date(2015,12,31) = 16800, date(1967,5,27) = -950, week(16800) = 53,
 * week(0) = 1, week(-950) = 21, dow(0) = 4. A date argument with a fraction is truncated
 * to its day; dates outside years 1..9999 and invalid y/m/d give missing.
 */
#include "engine/eval_int.h"

#include <math.h>
#include <stdio.h>

/* Days of 0001-01-01 and 9999-12-31. */
#define DATE_MIN_DAYS (-719162)
#define DATE_MAX_DAYS 2932896

static bool day_of(double x, int32_t *days)
{
    double t = floor(x);
    if (!(t >= DATE_MIN_DAYS && t <= DATE_MAX_DAYS))
        return false;
    *days = (int32_t)t;
    return true;
}

static double fn_date(const double *a, int32_t n)
{
    (void)n;
    for (int32_t i = 0; i < 3; i++) {
        if (a[i] != trunc(a[i]) || fabs(a[i]) > 100000)
            return NAN;
    }
    int32_t y = (int32_t)a[0];
    int32_t m = (int32_t)a[1];
    int32_t d = (int32_t)a[2];
    if (y < 1 || y > 9999 || !date_ymd_valid(y, m, d))
        return NAN;
    return date_from_ymd(y, m, d);
}

static bool ymd_of(double x, int32_t *y, int32_t *m, int32_t *d)
{
    int32_t days;
    if (!day_of(x, &days))
        return false;
    date_to_ymd(days, y, m, d);
    return true;
}

static double fn_day(const double *a, int32_t n)
{
    (void)n;
    int32_t y, m, d;
    return ymd_of(a[0], &y, &m, &d) ? d : NAN;
}

static double fn_month(const double *a, int32_t n)
{
    (void)n;
    int32_t y, m, d;
    return ymd_of(a[0], &y, &m, &d) ? m : NAN;
}

static double fn_year(const double *a, int32_t n)
{
    (void)n;
    int32_t y, m, d;
    return ymd_of(a[0], &y, &m, &d) ? y : NAN;
}

static double fn_halfyear(const double *a, int32_t n)
{
    (void)n;
    int32_t y, m, d;
    return ymd_of(a[0], &y, &m, &d) ? (m <= 6 ? 1 : 2) : NAN;
}

static double fn_quarter(const double *a, int32_t n)
{
    (void)n;
    int32_t y, m, d;
    return ymd_of(a[0], &y, &m, &d) ? (m - 1) / 3 + 1 : NAN;
}

/* 1 = Monday ... 7 = Sunday; 1970-01-01 was a Thursday. */
static int32_t weekday(int32_t days)
{
    int32_t r = (days + 3) % 7;
    if (r < 0)
        r += 7;
    return r + 1;
}

static double fn_dow(const double *a, int32_t n)
{
    (void)n;
    int32_t days;
    return day_of(a[0], &days) ? weekday(days) : NAN;
}

static double fn_doy(const double *a, int32_t n)
{
    (void)n;
    int32_t days;
    if (!day_of(a[0], &days))
        return NAN;
    return days - date_from_ymd(date_year(days), 1, 1) + 1;
}

/* ISO 8601: the week belongs to the year of its Thursday. */
static double fn_week(const double *a, int32_t n)
{
    (void)n;
    int32_t days;
    if (!day_of(a[0], &days))
        return NAN;
    int32_t thursday = days - weekday(days) + 4;
    int32_t year = date_year(thursday);
    return (thursday - date_from_ymd(year, 1, 1)) / 7 + 1;
}

static void kernel_isoformatdate(EvalNode *node, EvalRun *run, int32_t n)
{
    const double *x = node->args[0]->num;
    for (int32_t i = 0; i < n; i++) {
        int32_t days;
        if (!day_of(x[i], &days)) {
            node->str[i] = NULL;
            continue;
        }
        char buf[16];
        date_format_iso(days, buf);
        node->str[i] = eval_run_string(run, buf, 10);
    }
}

#define DATE1(name, fn) {name, 1, 1, "n", EVAL_NUMBER, fn, NULL, NULL, false, false}

const EvalFunction eval_functions_dates[] = {
    {"date", 3, 3, "n", EVAL_NUMBER, fn_date, NULL, NULL, false, false},
    DATE1("day", fn_day),
    DATE1("month", fn_month),
    DATE1("year", fn_year),
    DATE1("halfyear", fn_halfyear),
    DATE1("quarter", fn_quarter),
    DATE1("week", fn_week),
    DATE1("dow", fn_dow),
    DATE1("doy", fn_doy),
    {"isoformatdate", 1, 1, "n", EVAL_STRING, NULL, kernel_isoformatdate, NULL, false, false},
    {NULL, 0, 0, NULL, EVAL_NUMBER, NULL, NULL, NULL, false, false},
};
