/*
 * normality.c - tests of normality for one variable: D'Agostino's skewness test, the
 * Anscombe-Glynn kurtosis test, their omnibus K^2 (unadjusted skewness-kurtosis), the
 * Jarque-Bera test, and the Shapiro-Wilk W with Royston's (1992, 1995) coefficients
 * and p-value approximation (algorithm AS R94, written from its published description).
 */
#include "stats/stats.h"

#include <math.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

static void test_clear(StatsTest *t)
{
    t->statistic = NAN;
    t->df = NAN;
    t->df2 = NAN;
    t->p = NAN;
}

/* D'Agostino (1970) transformation of the sample skewness g1 to a standard normal z. */
static double skewness_z(double g1, double n)
{
    double y = g1 * sqrt((n + 1.0) * (n + 3.0) / (6.0 * (n - 2.0)));
    double beta2 = 3.0 * (n * n + 27.0 * n - 70.0) * (n + 1.0) * (n + 3.0)
                   / ((n - 2.0) * (n + 5.0) * (n + 7.0) * (n + 9.0));
    double w2 = -1.0 + sqrt(2.0 * (beta2 - 1.0));
    double delta = 1.0 / sqrt(0.5 * log(w2));
    double alpha = sqrt(2.0 / (w2 - 1.0));
    return delta * asinh(y / alpha);
}

/* Anscombe and Glynn (1983) transformation of the sample kurtosis b2 to a normal z. */
static double kurtosis_z(double b2, double n)
{
    double e = 3.0 * (n - 1.0) / (n + 1.0);
    double var = 24.0 * n * (n - 2.0) * (n - 3.0)
                 / ((n + 1.0) * (n + 1.0) * (n + 3.0) * (n + 5.0));
    double x = (b2 - e) / sqrt(var);
    double sqrt_beta1 = 6.0 * (n * n - 5.0 * n + 2.0) / ((n + 7.0) * (n + 9.0))
                        * sqrt(6.0 * (n + 3.0) * (n + 5.0) / (n * (n - 2.0) * (n - 3.0)));
    double a = 6.0 + 8.0 / sqrt_beta1
               * (2.0 / sqrt_beta1 + sqrt(1.0 + 4.0 / (sqrt_beta1 * sqrt_beta1)));
    double term1 = 1.0 - 2.0 / (9.0 * a);
    double denom = 1.0 + x * sqrt(2.0 / (a - 4.0));
    if (denom == 0.0) {
        return NAN;
    }
    double term2 = cbrt((1.0 - 2.0 / a) / denom);
    return (term1 - term2) / sqrt(2.0 / (9.0 * a));
}

static double poly(const double *c, int nord, double x)
{
    double result = 0.0;
    for (int i = nord - 1; i >= 0; i--) {
        result = result * x + c[i];
    }
    return result;
}

/* Royston's approximation of the Shapiro-Wilk coefficients a[0..n/2). */
static void shapiro_coefficients(int64_t n, double *a)
{
    static const double c1[6] = {0.0, 0.221157, -0.147981, -2.071190, 4.434685, -2.706056};
    static const double c2[6] = {0.0, 0.042981, -0.293762, -1.752461, 5.682633, -3.582633};
    int64_t half = n / 2;
    if (n == 3) {
        a[0] = sqrt(0.5);
        return;
    }
    double an = (double)n;
    double summ2 = 0.0;
    for (int64_t i = 0; i < half; i++) {
        a[i] = gsl_cdf_ugaussian_Pinv(((double)(i + 1) - 0.375) / (an + 0.25));
        summ2 += a[i] * a[i];
    }
    summ2 *= 2.0;
    double ssumm2 = sqrt(summ2);
    double rsn = 1.0 / sqrt(an);
    double m0 = a[0];
    double m1 = a[1];
    double a1 = poly(c1, 6, rsn) - m0 / ssumm2;
    double fac;
    int64_t first;
    if (n > 5) {
        double a2 = -m1 / ssumm2 + poly(c2, 6, rsn);
        fac = sqrt((summ2 - 2.0 * m0 * m0 - 2.0 * m1 * m1)
                   / (1.0 - 2.0 * a1 * a1 - 2.0 * a2 * a2));
        a[1] = a2;
        first = 2;
    } else {
        fac = sqrt((summ2 - 2.0 * m0 * m0) / (1.0 - 2.0 * a1 * a1));
        first = 1;
    }
    a[0] = a1;
    for (int64_t i = first; i < half; i++) {
        a[i] = -a[i] / fac;
    }
}

static double shapiro_p(double w, int64_t n)
{
    static const double g[2] = {-2.273, 0.459};
    static const double c3[4] = {0.5440, -0.39978, 0.025054, -6.714e-4};
    static const double c4[4] = {1.3822, -0.77857, 0.062767, -0.0020322};
    static const double c5[4] = {-1.5861, -0.31082, -0.083751, 0.0038915};
    static const double c6[3] = {-0.4803, -0.082676, 0.0030302};
    double an = (double)n;
    if (n == 3) {
        double p = 1.90985931710274 * (asin(sqrt(w)) - 1.04719755119660);
        return p < 0.0 ? 0.0 : p;
    }
    double y = log(1.0 - w);
    double m;
    double s;
    if (n <= 11) {
        double gamma = poly(g, 2, an);
        if (y >= gamma) {
            return 1e-99;
        }
        y = -log(gamma - y);
        m = poly(c3, 4, an);
        s = exp(poly(c4, 4, an));
    } else {
        double xx = log(an);
        m = poly(c5, 4, xx);
        s = exp(poly(c6, 3, xx));
    }
    return gsl_cdf_ugaussian_Q((y - m) / s);
}

bool stats_shapiro_wilk(const double *sorted, int64_t n, double *w, double *p)
{
    *w = NAN;
    *p = NAN;
    if (n < 3 || n > 5000 || !(sorted[n - 1] - sorted[0] > 0.0)) {
        return false;
    }
    double *a = md_malloc((size_t)(n / 2) * sizeof *a);
    if (a == NULL) {
        return false;
    }
    shapiro_coefficients(n, a);
    double mean = stats_mean(sorted, n);
    double ss = 0.0;
    for (int64_t i = 0; i < n; i++) {
        ss += (sorted[i] - mean) * (sorted[i] - mean);
    }
    double b = 0.0;
    for (int64_t i = 0; i < n / 2; i++) {
        b += a[i] * (sorted[n - 1 - i] - sorted[i]);
    }
    md_free(a);
    double value = b * b / ss;
    if (value > 1.0) {
        value = 1.0;
    }
    *w = value;
    *p = shapiro_p(value, n);
    return true;
}

void stats_normality_at_n(StatsNormality *out, int64_t n)
{
    test_clear(&out->skewness);
    test_clear(&out->kurtosis);
    test_clear(&out->skew_kurtosis);
    test_clear(&out->jarque_bera);
    if (isnan(out->sample_skewness) || isnan(out->sample_kurtosis) || n < 3) {
        return;
    }
    double dn = (double)n;
    double skew = out->sample_skewness;
    if (n >= 8) {
        out->skewness.statistic = skewness_z(skew, dn);
        out->skewness.p = stats_normal_two_sided_p(out->skewness.statistic);
    }
    if (n >= 20) {
        out->kurtosis.statistic = kurtosis_z(out->sample_kurtosis, dn);
        out->kurtosis.p = stats_normal_two_sided_p(out->kurtosis.statistic);
        double zs = out->skewness.statistic;
        double zk = out->kurtosis.statistic;
        out->skew_kurtosis.statistic = zs * zs + zk * zk;
        out->skew_kurtosis.df = 2.0;
        out->skew_kurtosis.p = stats_chi2_upper_p(out->skew_kurtosis.statistic, 2.0);
    }
    double excess = out->sample_kurtosis - 3.0;
    out->jarque_bera.statistic = dn / 6.0 * (skew * skew + excess * excess / 4.0);
    out->jarque_bera.df = 2.0;
    out->jarque_bera.p = stats_chi2_upper_p(out->jarque_bera.statistic, 2.0);
}

MdStatus stats_normality(const double *values, int64_t n, StatsNormality *out, MdError *err)
{
    memset(out, 0, sizeof *out);
    test_clear(&out->skewness);
    test_clear(&out->kurtosis);
    test_clear(&out->skew_kurtosis);
    test_clear(&out->jarque_bera);
    test_clear(&out->shapiro_wilk);
    StatsMoments m;
    stats_moments(values, n, &m);
    out->sample_skewness = m.skewness;
    out->sample_kurtosis = m.kurtosis;
    if (isnan(m.skewness) || isnan(m.kurtosis)) {
        return MD_OK;
    }
    stats_normality_at_n(out, n);
    if (n >= 3 && n <= 5000) {
        double *sorted = md_malloc((size_t)n * sizeof *sorted);
        if (sorted == NULL) {
            return md_error_set(err, MD_ERR_MEMORY, "out of memory in normaltest");
        }
        for (int64_t i = 0; i < n; i++) {
            sorted[i] = values[i];
        }
        stats_sort(sorted, n);
        (void)stats_shapiro_wilk(sorted, n, &out->shapiro_wilk.statistic,
                                 &out->shapiro_wilk.p);
        md_free(sorted);
    }
    return MD_OK;
}
