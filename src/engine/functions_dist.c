/*
 * functions_dist.c - the probability functions of expressions with Stata's definitions:
 * binomial, normal, F, chi2, beta and t families, with densities, tails, inverses and the
 * non-central variants (series in functions_noncentral.c). Central ones use GSL.
 *
 * Argument order follows spec/language.md 5.4: the value comes first, then the parameters
 * (chi2(x, v), F(x, v1, v2 [, lambda]), t(x, v), ibeta(x, a, b), nchi2(x, v, lambda));
 * the inverses take the probability first (invchi2(p, v), invF(p, v1, v2)). Stata writes
 * the parameters first; docs/expressions.md has the mapping. Binomial counts are truncated
 * with floor. Any argument out of range (df <= 0, p outside [0, 1]) gives missing.
 */
#include "engine/eval_int.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>
#include <math.h>

#define UNIT(p) ((p) >= 0 && (p) <= 1)
#define OPEN_UNIT(p) ((p) > 0 && (p) < 1)

static bool binomial_args(const double *a, double *n, double *k)
{
    *n = floor(a[0]);
    *k = floor(a[1]);
    return *n >= 0 && *n <= 4e9 && UNIT(a[2]);
}

static double fn_binomial(const double *a, int32_t c)
{
    (void)c;
    double n, k;
    if (!binomial_args(a, &n, &k))
        return NAN;
    if (k < 0)
        return 0;
    if (k >= n)
        return 1;
    return gsl_cdf_binomial_P((unsigned)k, a[2], (unsigned)n);
}

static double fn_binomialp(const double *a, int32_t c)
{
    (void)c;
    double n, k;
    if (!binomial_args(a, &n, &k))
        return NAN;
    if (k < 0 || k > n)
        return 0;
    return gsl_ran_binomial_pdf((unsigned)k, a[2], (unsigned)n);
}

static double fn_binomialtail(const double *a, int32_t c)
{
    (void)c;
    double n, k;
    if (!binomial_args(a, &n, &k))
        return NAN;
    if (k <= 0)
        return 1;
    if (k > n)
        return 0;
    return gsl_cdf_binomial_Q((unsigned)(k - 1), a[2], (unsigned)n);
}

static double fn_normal(const double *a, int32_t c)
{
    (void)c;
    return gsl_cdf_ugaussian_P(a[0]);
}

/* normalden(z), normalden(x, sd), normalden(x, mean, sd) as in Stata. */
static double fn_normalden(const double *a, int32_t c)
{
    double mean = c == 3 ? a[1] : 0;
    double sd = c == 3 ? a[2] : c == 2 ? a[1] : 1;
    if (!(sd > 0))
        return NAN;
    return gsl_ran_gaussian_pdf(a[0] - mean, sd);
}

static bool df_ok(double v) { return v > 0; }

static double fn_F(const double *a, int32_t c)
{
    if (c == 4)
        return eval_nf_cdf(a[0], a[1], a[2], a[3]);
    if (!df_ok(a[1]) || !df_ok(a[2]))
        return NAN;
    return a[0] <= 0 ? 0 : gsl_cdf_fdist_P(a[0], a[1], a[2]);
}

static double fn_Ftail(const double *a, int32_t c)
{
    if (c == 4)
        return eval_nf_tail(a[0], a[1], a[2], a[3]);
    if (!df_ok(a[1]) || !df_ok(a[2]))
        return NAN;
    return a[0] <= 0 ? 1 : gsl_cdf_fdist_Q(a[0], a[1], a[2]);
}

static double fn_Fden(const double *a, int32_t c)
{
    (void)c;
    if (!df_ok(a[1]) || !df_ok(a[2]))
        return NAN;
    return a[0] < 0 ? 0 : gsl_ran_fdist_pdf(a[0], a[1], a[2]);
}

static double fn_invF(const double *a, int32_t c)
{
    (void)c;
    if (!OPEN_UNIT(a[0]) || !df_ok(a[1]) || !df_ok(a[2]))
        return NAN;
    return gsl_cdf_fdist_Pinv(a[0], a[1], a[2]);
}

static double fn_invFtail(const double *a, int32_t c)
{
    (void)c;
    if (!OPEN_UNIT(a[0]) || !df_ok(a[1]) || !df_ok(a[2]))
        return NAN;
    return gsl_cdf_fdist_Qinv(a[0], a[1], a[2]);
}

static double fn_nF(const double *a, int32_t c)
{
    (void)c;
    return eval_nf_cdf(a[0], a[1], a[2], a[3]);
}

static double fn_nFden(const double *a, int32_t c)
{
    (void)c;
    return eval_nf_pdf(a[0], a[1], a[2], a[3]);
}

static double fn_nFtail(const double *a, int32_t c)
{
    (void)c;
    return eval_nf_tail(a[0], a[1], a[2], a[3]);
}

static double neg_nf_tail(double x, const double *p) { return -eval_nf_tail(x, p[0], p[1], p[2]); }

static double fn_invnFtail(const double *a, int32_t c)
{
    (void)c;
    if (!OPEN_UNIT(a[0]) || !df_ok(a[1]) || !df_ok(a[2]) || !(a[3] >= 0))
        return NAN;
    return eval_solve_increasing(neg_nf_tail, a + 1, -a[0], 0, 1);
}

static double fn_chi2(const double *a, int32_t c)
{
    (void)c;
    if (!df_ok(a[1]))
        return NAN;
    return a[0] <= 0 ? 0 : gsl_cdf_chisq_P(a[0], a[1]);
}

static double fn_chi2tail(const double *a, int32_t c)
{
    (void)c;
    if (!df_ok(a[1]))
        return NAN;
    return a[0] <= 0 ? 1 : gsl_cdf_chisq_Q(a[0], a[1]);
}

static double fn_chi2den(const double *a, int32_t c)
{
    (void)c;
    if (!df_ok(a[1]))
        return NAN;
    return a[0] < 0 ? 0 : gsl_ran_chisq_pdf(a[0], a[1]);
}

static double fn_invchi2(const double *a, int32_t c)
{
    (void)c;
    if (!OPEN_UNIT(a[0]) || !df_ok(a[1]))
        return NAN;
    return gsl_cdf_chisq_Pinv(a[0], a[1]);
}

static double fn_invchi2tail(const double *a, int32_t c)
{
    (void)c;
    if (!OPEN_UNIT(a[0]) || !df_ok(a[1]))
        return NAN;
    return gsl_cdf_chisq_Qinv(a[0], a[1]);
}

static double fn_nchi2(const double *a, int32_t c)
{
    (void)c;
    return eval_nchi2_cdf(a[0], a[1], a[2]);
}

static double fn_nchi2den(const double *a, int32_t c)
{
    (void)c;
    return eval_nchi2_pdf(a[0], a[1], a[2]);
}

static double fn_nchi2tail(const double *a, int32_t c)
{
    (void)c;
    return eval_nchi2_tail(a[0], a[1], a[2]);
}

static bool beta_ok(const double *a) { return a[1] > 0 && a[2] > 0; }

static double fn_betaden(const double *a, int32_t c)
{
    (void)c;
    if (!beta_ok(a))
        return NAN;
    return a[0] < 0 || a[0] > 1 ? 0 : gsl_ran_beta_pdf(a[0], a[1], a[2]);
}

static double fn_ibeta(const double *a, int32_t c)
{
    (void)c;
    if (!beta_ok(a))
        return NAN;
    return a[0] <= 0 ? 0 : a[0] >= 1 ? 1 : gsl_cdf_beta_P(a[0], a[1], a[2]);
}

static double fn_ibetatail(const double *a, int32_t c)
{
    (void)c;
    if (!beta_ok(a))
        return NAN;
    return a[0] <= 0 ? 1 : a[0] >= 1 ? 0 : gsl_cdf_beta_Q(a[0], a[1], a[2]);
}

static double fn_invibeta(const double *a, int32_t c)
{
    (void)c;
    if (!beta_ok(a) || !UNIT(a[0]))
        return NAN;
    return gsl_cdf_beta_Pinv(a[0], a[1], a[2]);
}

static double fn_invibetatail(const double *a, int32_t c)
{
    (void)c;
    if (!beta_ok(a) || !UNIT(a[0]))
        return NAN;
    return gsl_cdf_beta_Qinv(a[0], a[1], a[2]);
}

static double fn_t(const double *a, int32_t c)
{
    (void)c;
    return df_ok(a[1]) ? gsl_cdf_tdist_P(a[0], a[1]) : NAN;
}

static double fn_ttail(const double *a, int32_t c)
{
    (void)c;
    return df_ok(a[1]) ? gsl_cdf_tdist_Q(a[0], a[1]) : NAN;
}

static double fn_tden(const double *a, int32_t c)
{
    (void)c;
    return df_ok(a[1]) ? gsl_ran_tdist_pdf(a[0], a[1]) : NAN;
}

static double fn_invt(const double *a, int32_t c)
{
    (void)c;
    return OPEN_UNIT(a[0]) && df_ok(a[1]) ? gsl_cdf_tdist_Pinv(a[0], a[1]) : NAN;
}

static double fn_invttail(const double *a, int32_t c)
{
    (void)c;
    return OPEN_UNIT(a[0]) && df_ok(a[1]) ? gsl_cdf_tdist_Qinv(a[0], a[1]) : NAN;
}

static double fn_nt(const double *a, int32_t c) { (void)c; return eval_nt_cdf(a[0], a[1], a[2]); }
static double fn_ntden(const double *a, int32_t c)
{
    (void)c;
    return eval_nt_pdf(a[0], a[1], a[2]);
}

static double fn_nttail(const double *a, int32_t c)
{
    (void)c;
    double p = eval_nt_cdf(-a[0], a[1], -a[2]); /* P(T >= t) = P(-T <= -t), -T ~ nt(-d) */
    return p;
}

static double neg_nt_tail(double x, const double *p) { return -eval_nt_cdf(-x, p[0], -p[1]); }

static double fn_invnttail(const double *a, int32_t c)
{
    (void)c;
    if (!OPEN_UNIT(a[0]) || !df_ok(a[1]) || isnan(a[2]))
        return NAN;
    return eval_solve_increasing(neg_nt_tail, a + 1, -a[0], -1, 1);
}

#define DIST(name, min, max, fn) {name, min, max, "n", EVAL_NUMBER, fn, NULL, NULL, false, false}

const EvalFunction eval_functions_dist[] = {
    DIST("binomial", 3, 3, fn_binomial),
    DIST("binomialp", 3, 3, fn_binomialp),
    DIST("binomialtail", 3, 3, fn_binomialtail),
    DIST("normal", 1, 1, fn_normal),
    DIST("normalden", 1, 3, fn_normalden),
    DIST("F", 3, 4, fn_F),
    DIST("Fden", 3, 3, fn_Fden),
    DIST("Ftail", 3, 4, fn_Ftail),
    DIST("invF", 3, 3, fn_invF),
    DIST("invFtail", 3, 3, fn_invFtail),
    DIST("nF", 4, 4, fn_nF),
    DIST("nFden", 4, 4, fn_nFden),
    DIST("nFtail", 4, 4, fn_nFtail),
    DIST("invnFtail", 4, 4, fn_invnFtail),
    DIST("chi2", 2, 2, fn_chi2),
    DIST("chi2den", 2, 2, fn_chi2den),
    DIST("chi2tail", 2, 2, fn_chi2tail),
    DIST("invchi2", 2, 2, fn_invchi2),
    DIST("invchi2tail", 2, 2, fn_invchi2tail),
    DIST("nchi2", 3, 3, fn_nchi2),
    DIST("nchi2den", 3, 3, fn_nchi2den),
    DIST("nchi2tail", 3, 3, fn_nchi2tail),
    DIST("betaden", 3, 3, fn_betaden),
    DIST("ibeta", 3, 3, fn_ibeta),
    DIST("ibetatail", 3, 3, fn_ibetatail),
    DIST("invibeta", 3, 3, fn_invibeta),
    DIST("invibetatail", 3, 3, fn_invibetatail),
    DIST("t", 2, 2, fn_t),
    DIST("tden", 2, 2, fn_tden),
    DIST("ttail", 2, 2, fn_ttail),
    DIST("invt", 2, 2, fn_invt),
    DIST("invttail", 2, 2, fn_invttail),
    DIST("nt", 3, 3, fn_nt),
    DIST("ntden", 3, 3, fn_ntden),
    DIST("nttail", 3, 3, fn_nttail),
    DIST("invnttail", 3, 3, fn_invnttail),
    {NULL, 0, 0, NULL, EVAL_NUMBER, NULL, NULL, NULL, false, false},
};
