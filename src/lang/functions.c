/*
 * functions.c - THE function table: every function of language.md section 5.4 with its
 * arity, signature and one line of help. The expression parser checks calls against it;
 * help-function, error messages and completion read it. The engine binds the semantics.
 *
 * Names are case-sensitive (F, Fden, invF are Stata's spellings). Argument order follows
 * language.md's signatures: the value first, then the distribution's parameters.
 */
#include <string.h>

#include "lang/lang.h"

#define VAR (-1)

static const FunctionSpec functions[] = {
    /* dates */
    {"date", 3, 3, "date(y, m, d)", "day number (days since 1970-01-01) of a date"},
    {"isoformatdate", 1, 1, "isoformatdate(d)", "the date d as the string 'YYYY-MM-DD'"},
    {"day", 1, 1, "day(d)", "day of the month, 1-31"},
    {"month", 1, 1, "month(d)", "month, 1-12"},
    {"year", 1, 1, "year(d)", "calendar year"},
    {"halfyear", 1, 1, "halfyear(d)", "half of the year, 1-2"},
    {"quarter", 1, 1, "quarter(d)", "quarter of the year, 1-4"},
    {"week", 1, 1, "week(d)", "ISO-8601 week number, 1-53"},
    {"dow", 1, 1, "dow(d)", "day of the week, 1 = Monday ... 7 = Sunday"},
    {"doy", 1, 1, "doy(d)", "day of the year, 1-366"},
    /* distributions */
    {"binomial", 3, 3, "binomial(n, k, p)", "P(X <= k) for X ~ Binomial(n, p)"},
    {"binomialp", 3, 3, "binomialp(n, k, p)", "P(X = k) for X ~ Binomial(n, p)"},
    {"binomialtail", 3, 3, "binomialtail(n, k, p)", "P(X >= k) for X ~ Binomial(n, p)"},
    {"normal", 1, 1, "normal(z)", "standard normal cumulative distribution"},
    {"normalden", 1, 3, "normalden(x [, mu, sigma])", "normal density"},
    {"F", 3, 4, "F(x, v1, v2 [, lambda])", "cumulative F distribution"},
    {"Fden", 3, 3, "Fden(x, v1, v2)", "F density"},
    {"Ftail", 3, 4, "Ftail(x, v1, v2 [, lambda])", "upper tail of the F distribution"},
    {"invF", 3, 3, "invF(p, v1, v2)", "inverse cumulative F distribution"},
    {"invFtail", 3, 3, "invFtail(p, v1, v2)", "inverse upper tail of the F distribution"},
    {"nF", 4, 4, "nF(x, v1, v2, lambda)", "cumulative noncentral F distribution"},
    {"nFden", 4, 4, "nFden(x, v1, v2, lambda)", "noncentral F density"},
    {"nFtail", 4, 4, "nFtail(x, v1, v2, lambda)", "upper tail of the noncentral F"},
    {"invnFtail", 4, 4, "invnFtail(p, v1, v2, lambda)", "inverse upper tail of noncentral F"},
    {"chi2", 2, 2, "chi2(x, v)", "cumulative chi-squared distribution"},
    {"chi2den", 2, 2, "chi2den(x, v)", "chi-squared density"},
    {"chi2tail", 2, 2, "chi2tail(x, v)", "upper tail of the chi-squared distribution"},
    {"invchi2", 2, 2, "invchi2(p, v)", "inverse cumulative chi-squared distribution"},
    {"invchi2tail", 2, 2, "invchi2tail(p, v)", "inverse upper tail of chi-squared"},
    {"nchi2", 3, 3, "nchi2(x, v, lambda)", "cumulative noncentral chi-squared"},
    {"nchi2den", 3, 3, "nchi2den(x, v, lambda)", "noncentral chi-squared density"},
    {"nchi2tail", 3, 3, "nchi2tail(x, v, lambda)", "upper tail of noncentral chi-squared"},
    {"betaden", 3, 3, "betaden(x, a, b)", "beta density"},
    {"ibeta", 3, 3, "ibeta(x, a, b)", "regularised incomplete beta function"},
    {"ibetatail", 3, 3, "ibetatail(x, a, b)", "upper tail of the incomplete beta function"},
    {"invibeta", 3, 3, "invibeta(p, a, b)", "inverse of ibeta"},
    {"invibetatail", 3, 3, "invibetatail(p, a, b)", "inverse of ibetatail"},
    {"t", 2, 2, "t(x, v)", "cumulative Student's t distribution"},
    {"tden", 2, 2, "tden(x, v)", "Student's t density"},
    {"ttail", 2, 2, "ttail(x, v)", "upper tail of Student's t"},
    {"invt", 2, 2, "invt(p, v)", "inverse cumulative Student's t"},
    {"invttail", 2, 2, "invttail(p, v)", "inverse upper tail of Student's t"},
    {"nt", 3, 3, "nt(x, v, lambda)", "cumulative noncentral t"},
    {"ntden", 3, 3, "ntden(x, v, lambda)", "noncentral t density"},
    {"nttail", 3, 3, "nttail(x, v, lambda)", "upper tail of noncentral t"},
    {"invnttail", 3, 3, "invnttail(p, v, lambda)", "inverse upper tail of noncentral t"},
    /* math */
    {"acos", 1, 1, "acos(x)", "arc cosine"},
    {"asin", 1, 1, "asin(x)", "arc sine"},
    {"atan", 1, 1, "atan(x)", "arc tangent"},
    {"cos", 1, 1, "cos(x)", "cosine"},
    {"sin", 1, 1, "sin(x)", "sine"},
    {"tan", 1, 1, "tan(x)", "tangent"},
    {"sqrt", 1, 1, "sqrt(x)", "square root"},
    {"exp", 1, 1, "exp(x)", "exponential"},
    {"ln", 1, 1, "ln(x)", "natural logarithm"},
    {"log10", 1, 1, "log10(x)", "base-10 logarithm"},
    {"lnfactorial", 1, 1, "lnfactorial(n)", "natural logarithm of n!"},
    {"logit", 1, 1, "logit(p)", "ln(p / (1 - p))"},
    {"comb", 2, 2, "comb(n, k)", "number of combinations of k out of n"},
    {"abs", 1, 1, "abs(x)", "absolute value"},
    {"pi", 0, 0, "pi()", "the constant pi"},
    {"ceil", 1, 1, "ceil(x)", "round up (documented: away from zero)"},
    {"floor", 1, 1, "floor(x)", "round down (documented: toward zero, like int)"},
    {"int", 1, 1, "int(x)", "integer part, truncation toward zero"},
    {"round", 1, 2, "round(x [, unit])", "round to the nearest multiple of unit (default 1)"},
    {"quantile", 2, 2, "quantile(x, n)", "quantile group 0..n-1 of each value, 2 <= n <= 100"},
    /* row functions */
    {"rowmax", 1, VAR, "rowmax(x1, x2, ...)", "largest non-missing value in the row"},
    {"rowmin", 1, VAR, "rowmin(x1, x2, ...)", "smallest non-missing value in the row"},
    {"rowmean", 1, VAR, "rowmean(x1, x2, ...)", "mean of the non-missing values in the row"},
    {"rowmedian", 1, VAR, "rowmedian(x1, x2, ...)", "median of the non-missing values"},
    {"rowtotal", 1, VAR, "rowtotal(x1, x2, ...)", "sum of the non-missing values in the row"},
    {"rowstd", 1, VAR, "rowstd(x1, x2, ...)", "standard deviation of the row's values"},
    {"rowconcat", 1, VAR, "rowconcat(s1, s2, ...)", "joins strings and literals"},
    {"rowmissing", 1, VAR, "rowmissing(x1, x2, ...)", "number of missing values in the row"},
    {"rowvalid", 1, VAR, "rowvalid(x1, x2, ...)", "number of non-missing values in the row"},
    /* strings */
    {"length", 1, 1, "length(s)", "number of characters"},
    {"string", 1, 1, "string(x)", "number as a string"},
    {"lower", 1, 1, "lower(s)", "lower case (ASCII)"},
    {"upper", 1, 1, "upper(s)", "upper case (ASCII)"},
    {"startswith", 2, 2, "startswith(s, prefix)", "1 if s starts with prefix"},
    {"endswith", 2, 2, "endswith(s, suffix)", "1 if s ends with suffix"},
    {"substr", 3, 3, "substr(s, pos, len)", "substring, 1-based; negative pos counts from the end"},
    {"ltrim", 1, 1, "ltrim(s)", "removes leading blanks"},
    {"rtrim", 1, 1, "rtrim(s)", "removes trailing blanks"},
    {"trim", 1, 1, "trim(s)", "removes leading and trailing blanks"},
    /* logic */
    {"inlist", 2, VAR, "inlist(x, v1, v2, ...)", "1 if x equals any of the values"},
    {"inrange", 3, 3, "inrange(x, lo, hi)", "1 if lo <= x <= hi"},
    {"sysmiss", 1, 1, "sysmiss(x)", "1 if x is missing"},
    /* labels */
    {"label_to_code", 2, 2, "label_to_code(var, label)", "the code whose label is label"},
    {"inlabels", 2, VAR, "inlabels(var, label1, label2, ...)", "1 if the value's label is listed"},
    {"labelcontains", 2, 2, "labelcontains(var, text)", "1 if the value's label contains text"},
    /* bindings */
    {"date_fmt", 1, 3, "date_fmt(y [, m [, d]])",
     "the date as 'YYYY-MM-DD' (month and day default to 1)"},
    {"to_int", 1, 1, "to_int(s)", "string to integer"},
    {"to_str", 1, 1, "to_str(x)", "value or symbol as a string"},
    {"to_symbol", 1, 1, "to_symbol(s)", "string to a symbol (a name)"},
    {"bind", 1, 1, "bind(name)", "the value of the binding $name"},
};

const FunctionSpec *lang_function_find(const char *name)
{
    for (size_t i = 0; i < MD_ARRAY_LEN(functions); i++) {
        if (strcmp(functions[i].name, name) == 0)
            return &functions[i];
    }
    return NULL;
}

int32_t lang_function_count(void)
{
    return (int32_t)MD_ARRAY_LEN(functions);
}

const FunctionSpec *lang_function_at(int32_t index)
{
    if (index < 0 || index >= lang_function_count())
        return NULL;
    return &functions[index];
}
