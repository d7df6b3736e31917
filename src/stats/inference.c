/*
 * inference.c - sampling distributions and the small inferential statistics built on
 * them: t, F, chi-square and normal p-values and quantiles (GSL), covariance, Pearson
 * correlation with its t-test p-value, and the t confidence interval of a mean.
 */
#include "stats/stats.h"

#include <math.h>

#include <gsl/gsl_cdf.h>

double stats_t_two_sided_p(double t, double df)
{
    if (isnan(t) || !(df > 0.0)) {
        return NAN;
    }
    return 2.0 * gsl_cdf_tdist_Q(fabs(t), df);
}

double stats_t_quantile(double p, double df)
{
    if (!(p > 0.0 && p < 1.0) || !(df > 0.0)) {
        return NAN;
    }
    return gsl_cdf_tdist_Pinv(p, df);
}

double stats_f_upper_p(double f, double df1, double df2)
{
    if (isnan(f) || f < 0.0 || !(df1 > 0.0) || !(df2 > 0.0)) {
        return NAN;
    }
    return gsl_cdf_fdist_Q(f, df1, df2);
}

double stats_chi2_upper_p(double x, double df)
{
    if (isnan(x) || x < 0.0 || !(df > 0.0)) {
        return NAN;
    }
    return gsl_cdf_chisq_Q(x, df);
}

double stats_normal_two_sided_p(double z)
{
    if (isnan(z)) {
        return NAN;
    }
    return 2.0 * gsl_cdf_ugaussian_Q(fabs(z));
}

double stats_covariance(const double *x, const double *y, int64_t n)
{
    if (n < 2) {
        return NAN;
    }
    double mx = stats_mean(x, n);
    double my = stats_mean(y, n);
    double s = 0.0;
    for (int64_t i = 0; i < n; i++) {
        s += (x[i] - mx) * (y[i] - my);
    }
    return s / (double)(n - 1);
}

double stats_correlation(const double *x, const double *y, int64_t n)
{
    if (n < 2) {
        return NAN;
    }
    double mx = stats_mean(x, n);
    double my = stats_mean(y, n);
    double sxy = 0.0;
    double sxx = 0.0;
    double syy = 0.0;
    for (int64_t i = 0; i < n; i++) {
        double dx = x[i] - mx;
        double dy = y[i] - my;
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    if (!(sxx > 0.0) || !(syy > 0.0)) {
        return NAN;
    }
    double r = sxy / sqrt(sxx * syy);
    return r > 1.0 ? 1.0 : (r < -1.0 ? -1.0 : r);
}

double stats_correlation_p(double r, int64_t n)
{
    if (isnan(r) || n < 3) {
        return NAN;
    }
    if (fabs(r) >= 1.0) {
        return 0.0;
    }
    double df = (double)(n - 2);
    double t = r * sqrt(df / (1.0 - r * r));
    return stats_t_two_sided_p(t, df);
}

void stats_mean_ci(const double *values, int64_t n, double level, StatsMeanCi *out)
{
    StatsMoments m;
    stats_moments(values, n, &m);
    out->mean = m.mean;
    out->se = NAN;
    out->low = NAN;
    out->high = NAN;
    if (n < 2 || !(level > 0.0 && level < 1.0)) {
        return;
    }
    out->se = m.sd / sqrt((double)n);
    double t = stats_t_quantile(0.5 + level / 2.0, (double)(n - 1));
    out->low = m.mean - t * out->se;
    out->high = m.mean + t * out->se;
}
