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
#include <float.h>
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

/* ==== Ladders: a regularised gamma or beta function stepped along its first parameter ===
 *
 * The distribution functions of the series terms differ only in their first parameter a,
 * by one from term to term, and obey P(a + 1) = P(a) - g(a) (upper tails: Q(a + 1) =
 * Q(a) + g(a)) with g(a) = z^a e^-z / Gamma(a + 1) for the gamma function and
 * Gamma(a + b) / (Gamma(a + 1) Gamma(b)) y^a (1 - y)^b for the beta function. So GSL is
 * called once, at the Poisson mode, and every other term costs a few logarithms. */

typedef struct Ladder {
    bool beta;     /* regularised incomplete beta I_y(a, b), else gamma P(a, z) */
    bool upper;    /* the upper tail (Q, 1 - I) */
    double x;      /* z or y */
    double b;
} Ladder;

static double ladder_value(const Ladder *l, double a)
{
    if (l->beta)
        return l->upper ? gsl_cdf_beta_Q(l->x, a, l->b) : gsl_cdf_beta_P(l->x, a, l->b);
    return l->upper ? gsl_sf_gamma_inc_Q(a, l->x) : gsl_sf_gamma_inc_P(a, l->x);
}

static double ladder_log_g(const Ladder *l, double a)
{
    if (l->beta)
        return lgamma(a + l->b) - lgamma(a + 1) - lgamma(l->b) + a * log(l->x) +
               l->b * log1p(-l->x);
    return a * log(l->x) - l->x - lgamma(a + 1);
}

/* log g(a + 1) - log g(a) */
static double ladder_dlog(const Ladder *l, double a)
{
    if (l->beta)
        return log(l->x) + log(a + l->b) - log(a + 1);
    return log(l->x) - log(a + 1);
}

static double clamp01(double v)
{
    return v < 0 ? 0 : v > 1 ? 1 : v;
}

/* sum_j w_j F(a0 + j) with weights w_j = exp(log_w0 + j ln mu - lgamma(j + 1 + shift)),
 * summed from the mode of the weights outwards until they are negligible. */
static double ladder_mixture(const Ladder *l, double a0, double mu, double shift,
                             double log_w0)
{
    if (mu <= 0)
        return shift == 0 ? exp(log_w0) * ladder_value(l, a0) : 0;
    double mode = floor(mu);
    double log_mu = log(mu);
    double v0 = ladder_value(l, a0 + mode);
    double lw0 = log_w0 + mode * log_mu - lgamma(mode + 1 + shift);
    double sum = 0;
    double v = v0;
    double lw = lw0;
    double lg = ladder_log_g(l, a0 + mode);
    for (double j = mode; j < mode + SERIES_MAX_TERMS; j++) {
        double w = exp(lw);
        sum += w * v;
        if (w < SERIES_EPS && j > mu)
            break;
        v = clamp01(l->upper ? v + exp(lg) : v - exp(lg));
        lg += ladder_dlog(l, a0 + j);
        lw += log_mu - log(j + 1 + shift);
    }
    v = v0;
    lw = lw0;
    if (mode >= 1)
        lg = ladder_log_g(l, a0 + mode - 1);
    for (double j = mode - 1; j >= 0; j--) {
        lw -= log_mu - log(j + 1 + shift);
        v = clamp01(l->upper ? v - exp(lg) : v + exp(lg));
        double w = exp(lw);
        sum += w * v;
        if (w < SERIES_EPS)
            break;
        if (j >= 1)
            lg -= ladder_dlog(l, a0 + j - 1);
    }
    return sum;
}

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
    Ladder l = {false, false, x / 2, 0};
    return clamp01(ladder_mixture(&l, df / 2, lambda / 2, 0, -lambda / 2));
}

double eval_nchi2_tail(double x, double df, double lambda)
{
    if (!(df > 0) || !(lambda >= 0 && lambda <= LAMBDA_MAX) || isnan(x))
        return NAN;
    if (x <= 0)
        return 1;
    Ladder l = {false, true, x / 2, 0};
    return clamp01(ladder_mixture(&l, df / 2, lambda / 2, 0, -lambda / 2));
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


static double term_f_d(double j, const double *p)
{
    return gsl_ran_beta_pdf(p[0], p[1] / 2 + j, p[2] / 2) * p[3];
}

static bool f_params(double x, double df1, double df2, double lambda, double *p)
{
    if (!(df1 > 0) || !(df2 > 0) || !(lambda >= 0 && lambda <= LAMBDA_MAX) || isnan(x))
        return false;
    p[0] = x > 0 ? 1 / (1 + df2 / (df1 * x)) : 0; /* v1 x / (v1 x + v2) */
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
    Ladder l = {true, false, p[0], df2 / 2};
    return clamp01(ladder_mixture(&l, df1 / 2, lambda / 2, 0, -lambda / 2));
}

double eval_nf_tail(double x, double df1, double df2, double lambda)
{
    double p[4];
    if (!f_params(x, df1, df2, lambda, p))
        return NAN;
    if (x <= 0)
        return 1;
    Ladder l = {true, true, p[0], df2 / 2};
    return clamp01(ladder_mixture(&l, df1 / 2, lambda / 2, 0, -lambda / 2));
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

/* P(T <= t) for t >= 0 (AS 243): Phi(-d) + 1/2 (sum_j p_j I_y(j + 1/2, v/2)
 * + sum_j q_j I_y(j + 1, v/2)), both sums as ladders from the mode. */
static double nt_cdf_upper(double t, double df, double d)
{
    double base = gsl_cdf_ugaussian_P(-d);
    if (t == 0)
        return base;
    double y = 1 / (1 + df / (t * t)); /* t^2 / (t^2 + v), safe when t^2 overflows */
    double lambda = d * d / 2;
    Ladder l = {true, false, y, df / 2};
    double sum = ladder_mixture(&l, 0.5, lambda, 0, -lambda);
    if (d != 0) {
        double log_q0 = -lambda + log(fabs(d)) - 0.5 * log(2.0);
        double q = ladder_mixture(&l, 1.0, lambda, 0.5, log_q0);
        sum += d < 0 ? -q : q;
    }
    return clamp01(base + 0.5 * sum);
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

/* Widens [lo, hi] until cdf(lo) <= p <= cdf(hi); false if it cannot. *flo, *fhi get
 * cdf - p at the ends. */
static bool solve_bracket(double (*cdf)(double x, const double *params), const double *params,
                          double p, double *lo, double *hi, double *flo, double *fhi)
{
    *flo = cdf(*lo, params) - p;
    *fhi = cdf(*hi, params) - p;
    for (int i = 0; i < 1100 && *fhi < 0; i++) {
        *lo = *hi;
        *flo = *fhi;
        *hi = *hi > 0 ? *hi * 2 : *hi + 1;
        *fhi = cdf(*hi, params) - p;
    }
    for (int i = 0; i < 1100 && *flo > 0; i++) {
        *hi = *lo;
        *fhi = *flo;
        *lo = *lo < 0 ? *lo * 2 : *lo - 1;
        *flo = cdf(*lo, params) - p;
    }
    return *flo <= 0 && *fhi >= 0;
}

/* Bracketing, then the Illinois variant of regula falsi: superlinear, about a dozen
 * evaluations of the (expensive) distribution function instead of sixty for bisection. */
double eval_solve_increasing(double (*cdf)(double x, const double *params),
                             const double *params, double p, double lo, double hi)
{
    double flo, fhi;
    if (isnan(p) || isnan(cdf(lo, params)) || isnan(cdf(hi, params)) ||
        !solve_bracket(cdf, params, p, &lo, &hi, &flo, &fhi))
        return NAN;
    int side = 0;
    double x = lo + (hi - lo) / 2;
    for (int i = 0; i < 200 && hi - lo > 1e-13 * fmax(fabs(lo), fabs(hi)) + DBL_MIN; i++) {
        x = fhi - flo > 0 ? (lo * fhi - hi * flo) / (fhi - flo) : lo + (hi - lo) / 2;
        if (!(x > lo && x < hi))
            x = lo + (hi - lo) / 2;
        double fx = cdf(x, params) - p;
        if (fabs(fx) < 1e-15 * fmax(p > 0 ? p : -p, 1e-300))
            return x;
        if (fx < 0) {
            lo = x;
            flo = fx;
            fhi = side == -1 ? fhi / 2 : fhi;
            side = -1;
        } else {
            hi = x;
            fhi = fx;
            flo = side == 1 ? flo / 2 : flo;
            side = 1;
        }
    }
    return x;
}
