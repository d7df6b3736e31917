/*
 * functions_noncentral.c - the non-central chi-squared, F and t distributions, which GSL
 * does not have, as Poisson-mixture series of central distributions, and a bracketing
 * root finder for their inverses.
 *
 *   nchi2: P(X <= x) = sum_j w_j P(chi2(v + 2j) <= x),          w_j = Pois(j; lambda/2)
 *   nF:    P(X <= x) = sum_j w_j I_y(v1/2 + j, v2/2),          y = v1 x / (v1 x + v2)
 *   nt:    Lenth (1989, AS 243): P(T <= t) = Phi(-d) + 1/2 sum_j (p_j I_y(j + 1/2, v/2)
 *          + q_j I_y(j + 1, v/2)), y = t^2 / (t^2 + v), p_j = Pois(j; d^2/2),
 *          q_j = d exp(-d^2/2) (d^2/2)^j / (sqrt 2 Gamma(j + 3/2)); t < 0 by symmetry.
 *   nt density: f(t) = v/t (F_{v+2,d}(t sqrt(1 + 2/v)) - F_{v,d}(t)), t != 0.
 *
 * Weights are computed in log space from the Poisson mode outwards, so large
 * non-centralities do not underflow; the sum stops when the weights fall below 1e-17 of
 * the total. Every function answers NaN (missing) for arguments out of range.
 */
#include "engine/eval_int.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>
#include <math.h>

#define SERIES_EPS 1e-17
#define SERIES_MAX_TERMS 100000
/* Stata's domains: non-centrality 0..10000 for chi2 and F, -1000..1000 for t. Outside
 * them the series would be slow, and the answer is missing. */
#define LAMBDA_MAX 10000.0
#define DELTA_MAX 1000.0

typedef double (*SeriesTerm)(double j, const double *params);

static double log_poisson(double j, double mu)
{
    if (mu == 0)
        return j == 0 ? 0.0 : -INFINITY;
    return -mu + j * log(mu) - lgamma(j + 1.0);
}

/* sum_j Pois(j; mu) term(j), summed from the mode up and then down. */
static double poisson_mixture(double mu, SeriesTerm term, const double *params)
{
    double mode = floor(mu);
    double sum = 0;
    for (double j = mode; j < mode + SERIES_MAX_TERMS; j++) {
        double w = exp(log_poisson(j, mu));
        sum += w * term(j, params);
        if (w < SERIES_EPS && j > mu)
            break;
    }
    for (double j = mode - 1; j >= 0; j--) {
        double w = exp(log_poisson(j, mu));
        sum += w * term(j, params);
        if (w < SERIES_EPS)
            break;
    }
    return sum;
}

static double term_chi2_p(double j, const double *p) { return gsl_cdf_chisq_P(p[0], p[1] + 2 * j); }
static double term_chi2_q(double j, const double *p) { return gsl_cdf_chisq_Q(p[0], p[1] + 2 * j); }
static double term_chi2_d(double j, const double *p)
{
    return gsl_ran_chisq_pdf(p[0], p[1] + 2 * j);
}

double eval_nchi2_cdf(double x, double df, double lambda)
{
    if (!(df > 0) || !(lambda >= 0 && lambda <= LAMBDA_MAX) || isnan(x))
        return NAN;
    if (x <= 0)
        return 0;
    double p[2] = {x, df};
    double r = poisson_mixture(lambda / 2, term_chi2_p, p);
    return r > 1 ? 1 : r;
}

double eval_nchi2_tail(double x, double df, double lambda)
{
    if (!(df > 0) || !(lambda >= 0 && lambda <= LAMBDA_MAX) || isnan(x))
        return NAN;
    if (x <= 0)
        return 1;
    double p[2] = {x, df};
    double r = poisson_mixture(lambda / 2, term_chi2_q, p);
    return r > 1 ? 1 : r;
}

double eval_nchi2_pdf(double x, double df, double lambda)
{
    if (!(df > 0) || !(lambda >= 0 && lambda <= LAMBDA_MAX) || isnan(x))
        return NAN;
    if (x < 0)
        return 0;
    double p[2] = {x, df};
    return poisson_mixture(lambda / 2, term_chi2_d, p);
}

/* p = {y, v1, v2, dy/dx} */
static double term_f_p(double j, const double *p)
{
    return gsl_cdf_beta_P(p[0], p[1] / 2 + j, p[2] / 2);
}

static double term_f_q(double j, const double *p)
{
    return gsl_cdf_beta_Q(p[0], p[1] / 2 + j, p[2] / 2);
}

static double term_f_d(double j, const double *p)
{
    return gsl_ran_beta_pdf(p[0], p[1] / 2 + j, p[2] / 2) * p[3];
}

static bool f_params(double x, double df1, double df2, double lambda, double *p)
{
    if (!(df1 > 0) || !(df2 > 0) || !(lambda >= 0 && lambda <= LAMBDA_MAX) || isnan(x))
        return false;
    p[0] = df1 * x / (df1 * x + df2);
    p[1] = df1;
    p[2] = df2;
    p[3] = df1 * df2 / ((df1 * x + df2) * (df1 * x + df2));
    return true;
}

double eval_nf_cdf(double x, double df1, double df2, double lambda)
{
    double p[4];
    if (!f_params(x, df1, df2, lambda, p))
        return NAN;
    if (x <= 0)
        return 0;
    double r = poisson_mixture(lambda / 2, term_f_p, p);
    return r > 1 ? 1 : r;
}

double eval_nf_tail(double x, double df1, double df2, double lambda)
{
    double p[4];
    if (!f_params(x, df1, df2, lambda, p))
        return NAN;
    if (x <= 0)
        return 1;
    double r = poisson_mixture(lambda / 2, term_f_q, p);
    return r > 1 ? 1 : r;
}

double eval_nf_pdf(double x, double df1, double df2, double lambda)
{
    double p[4];
    if (!f_params(x, df1, df2, lambda, p))
        return NAN;
    if (x < 0)
        return 0;
    if (x == 0)
        return df1 < 2 ? NAN : df1 == 2 ? exp(-lambda / 2) : 0;
    return poisson_mixture(lambda / 2, term_f_d, p);
}

/* Term j of the AS 243 sum, with its two weights; *weight gets the larger of |p_j|, |q_j|
 * so the caller knows when the terms have become negligible. */
static double nt_term(double j, double y, double df, double d, double *weight)
{
    double lambda = d * d / 2;
    double p = exp(log_poisson(j, lambda));
    double q = 0;
    if (d != 0) {
        double log_q = -lambda + j * log(lambda) - lgamma(j + 1.5) + log(fabs(d)) -
                       0.5 * log(2.0);
        q = (d < 0 ? -1 : 1) * exp(log_q);
    }
    *weight = fmax(p, fabs(q));
    double term = p * gsl_cdf_beta_P(y, j + 0.5, df / 2);
    if (q != 0)
        term += q * gsl_cdf_beta_P(y, j + 1, df / 2);
    return term;
}

/* P(T <= t) for t >= 0 (AS 243 series), summed from the Poisson mode outwards. */
static double nt_cdf_upper(double t, double df, double d)
{
    double base = gsl_cdf_ugaussian_P(-d);
    if (t == 0)
        return base;
    double y = t * t / (t * t + df);
    double lambda = d * d / 2;
    double mode = floor(lambda);
    double sum = 0;
    double weight;
    for (double j = mode; j < mode + SERIES_MAX_TERMS; j++) {
        sum += nt_term(j, y, df, d, &weight);
        if (weight < SERIES_EPS && j > lambda)
            break;
    }
    for (double j = mode - 1; j >= 0; j--) {
        sum += nt_term(j, y, df, d, &weight);
        if (weight < SERIES_EPS)
            break;
    }
    double r = base + 0.5 * sum;
    return r < 0 ? 0 : r > 1 ? 1 : r;
}

double eval_nt_cdf(double t, double df, double delta)
{
    if (!(df > 0) || isnan(t) || !(fabs(delta) <= DELTA_MAX))
        return NAN;
    if (isinf(t))
        return t > 0 ? 1 : 0;
    if (t >= 0)
        return nt_cdf_upper(t, df, delta);
    return 1 - nt_cdf_upper(-t, df, -delta);
}

double eval_nt_pdf(double t, double df, double delta)
{
    if (!(df > 0) || isnan(t) || !(fabs(delta) <= DELTA_MAX))
        return NAN;
    if (fabs(t) < 1e-8) {
        double lg = lgamma((df + 1) / 2) - lgamma(df / 2);
        return exp(lg - delta * delta / 2) / sqrt(M_PI * df);
    }
    double a = eval_nt_cdf(t * sqrt(1 + 2 / df), df + 2, delta);
    double b = eval_nt_cdf(t, df, delta);
    double r = df / t * (a - b);
    return r < 0 ? 0 : r;
}

double eval_solve_increasing(double (*cdf)(double x, const double *params),
                             const double *params, double p, double lo, double hi)
{
    if (isnan(p) || isnan(cdf(lo, params)) || isnan(cdf(hi, params)))
        return NAN;
    for (int i = 0; i < 200 && cdf(hi, params) < p; i++)
        hi = hi > 0 ? hi * 2 : hi + 1;
    for (int i = 0; i < 200 && cdf(lo, params) > p; i++)
        lo = lo < 0 ? lo * 2 : lo - 1;
    if (cdf(hi, params) < p || cdf(lo, params) > p)
        return NAN;
    for (int i = 0; i < 200; i++) {
        double mid = lo + (hi - lo) / 2;
        if (mid == lo || mid == hi)
            break;
        if (cdf(mid, params) < p)
            lo = mid;
        else
            hi = mid;
    }
    return lo + (hi - lo) / 2;
}
