/*
 * anova.c - one-way analysis of variance and Tukey-Kramer HSD pairwise comparisons, with
 * the distribution of the studentized range (CDF by nested numerical integration with
 * GSL, quantile by bisection) that the comparisons need.
 */
#include "stats/stats.h"

#include <math.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>

#define TUKEY_LIMIT 200

typedef struct RangeParams {
    double w;
    int32_t k;
} RangeParams;

static double range_integrand(double z, void *params)
{
    const RangeParams *rp = params;
    double inside = gsl_cdf_ugaussian_P(z) - gsl_cdf_ugaussian_P(z - rp->w);
    if (inside <= 0.0) {
        return 0.0;
    }
    return gsl_ran_ugaussian_pdf(z) * pow(inside, rp->k - 1);
}

/* P(range of k standard normals <= w). */
static double range_cdf(double w, int32_t k, gsl_integration_workspace *ws)
{
    if (!(w > 0.0)) {
        return 0.0;
    }
    RangeParams rp = {w, k};
    gsl_function f = {range_integrand, &rp};
    double result = 0.0;
    double abserr = 0.0;
    gsl_integration_qag(&f, -8.5, 8.5, 1e-13, 1e-10, TUKEY_LIMIT, GSL_INTEG_GAUSS41, ws,
                        &result, &abserr);
    result *= k;
    return result > 1.0 ? 1.0 : (result < 0.0 ? 0.0 : result);
}

typedef struct StudentParams {
    double q;
    int32_t k;
    double df;
    double log_norm;
    gsl_integration_workspace *inner;
} StudentParams;

static double student_integrand(double s, void *params)
{
    const StudentParams *sp = params;
    if (!(s > 0.0)) {
        return 0.0;
    }
    double log_density = sp->log_norm + (sp->df - 1.0) * log(s) - sp->df * s * s / 2.0;
    if (log_density < -700.0) {
        return 0.0;
    }
    return exp(log_density) * range_cdf(sp->q * s, sp->k, sp->inner);
}

double stats_ptukey(double q, int32_t k, double df)
{
    if (isnan(q) || k < 2 || !(df > 0.0)) {
        return NAN;
    }
    if (q <= 0.0) {
        return 0.0;
    }
    gsl_set_error_handler_off();
    gsl_integration_workspace *inner = gsl_integration_workspace_alloc(TUKEY_LIMIT);
    gsl_integration_workspace *outer = gsl_integration_workspace_alloc(TUKEY_LIMIT);
    if (inner == NULL || outer == NULL) {
        gsl_integration_workspace_free(inner);
        gsl_integration_workspace_free(outer);
        return NAN;
    }
    double result;
    if (isinf(df) || df > 1e5) {
        result = range_cdf(q, k, inner);
    } else {
        StudentParams sp = {q, k, df, 0.0, inner};
        sp.log_norm = log(2.0) + df / 2.0 * log(df / 2.0) - gsl_sf_lngamma(df / 2.0);
        gsl_function f = {student_integrand, &sp};
        double low = 0.0;
        double high = 0.0;
        double abserr = 0.0;
        gsl_integration_qags(&f, 0.0, 1.0, 1e-12, 1e-9, TUKEY_LIMIT, outer, &low, &abserr);
        gsl_integration_qagiu(&f, 1.0, 1e-12, 1e-9, TUKEY_LIMIT, outer, &high, &abserr);
        result = low + high;
    }
    gsl_integration_workspace_free(inner);
    gsl_integration_workspace_free(outer);
    return result > 1.0 ? 1.0 : (result < 0.0 ? 0.0 : result);
}

/* The studentized-range quantile by bisection on the CDF. */
static double qtukey(double level, int32_t k, double df)
{
    double lo = 0.0;
    double hi = 1.0;
    while (stats_ptukey(hi, k, df) < level && hi < 1e4) {
        lo = hi;
        hi *= 2.0;
    }
    for (int i = 0; i < 60 && hi - lo > 1e-9 * hi; i++) {
        double mid = 0.5 * (lo + hi);
        if (stats_ptukey(mid, k, df) < level) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    return 0.5 * (lo + hi);
}

static void anova_clear(StatsAnova *out)
{
    memset(out, 0, sizeof *out);
    out->ss_between = NAN;
    out->ss_within = NAN;
    out->ss_total = NAN;
    out->df_between = NAN;
    out->df_within = NAN;
    out->ms_between = NAN;
    out->ms_within = NAN;
    out->f = NAN;
    out->p = NAN;
    out->r_squared = NAN;
}

void stats_anova_oneway(const double *y, const int32_t *group, int64_t n, int32_t n_groups,
                        StatsAnovaGroup *groups, StatsAnova *out)
{
    anova_clear(out);
    memset(groups, 0, (size_t)n_groups * sizeof *groups);
    double grand = 0.0;
    int64_t total = 0;
    for (int64_t i = 0; i < n; i++) {
        int32_t g = group[i];
        if (g < 0 || g >= n_groups || isnan(y[i])) {
            continue;
        }
        groups[g].n++;
        groups[g].mean += y[i];
        grand += y[i];
        total++;
    }
    for (int32_t g = 0; g < n_groups; g++) {
        groups[g].mean = groups[g].n > 0 ? groups[g].mean / (double)groups[g].n : NAN;
        out->k += groups[g].n > 0;
    }
    out->n = total;
    if (total == 0) {
        return;
    }
    grand /= (double)total;
    double ss_within = 0.0;
    for (int64_t i = 0; i < n; i++) {
        int32_t g = group[i];
        if (g < 0 || g >= n_groups || isnan(y[i])) {
            continue;
        }
        double d = y[i] - groups[g].mean;
        groups[g].sum_squares += d * d;
        ss_within += d * d;
    }
    double ss_between = 0.0;
    for (int32_t g = 0; g < n_groups; g++) {
        if (groups[g].n > 0) {
            double d = groups[g].mean - grand;
            ss_between += (double)groups[g].n * d * d;
        }
    }
    out->ss_between = ss_between;
    out->ss_within = ss_within;
    out->ss_total = ss_between + ss_within;
    out->df_between = (double)(out->k - 1);
    out->df_within = (double)(total - out->k);
    if (out->k < 2 || out->df_within < 1.0) {
        return;
    }
    out->ms_between = ss_between / out->df_between;
    out->ms_within = ss_within / out->df_within;
    out->r_squared = out->ss_total > 0.0 ? ss_between / out->ss_total : NAN;
    if (out->ms_within > 0.0) {
        out->f = out->ms_between / out->ms_within;
        out->p = stats_f_upper_p(out->f, out->df_between, out->df_within);
    }
}

int32_t stats_tukey_hsd(const StatsAnovaGroup *groups, int32_t n_groups,
                        const StatsAnova *anova, double level, StatsTukeyPair *out)
{
    if (anova->k < 2 || isnan(anova->ms_within) || !(anova->df_within > 0.0)) {
        return 0;
    }
    double q_crit = qtukey(level, anova->k, anova->df_within);
    int32_t m = 0;
    for (int32_t a = 0; a < n_groups; a++) {
        for (int32_t b = a + 1; b < n_groups && groups[a].n > 0; b++) {
            if (groups[b].n == 0) {
                continue;
            }
            StatsTukeyPair *pair = &out[m++];
            pair->a = a;
            pair->b = b;
            pair->difference = groups[b].mean - groups[a].mean;
            pair->se = sqrt(anova->ms_within / 2.0
                            * (1.0 / (double)groups[a].n + 1.0 / (double)groups[b].n));
            pair->q = pair->se > 0.0 ? fabs(pair->difference) / pair->se : NAN;
            pair->p = 1.0 - stats_ptukey(pair->q, anova->k, anova->df_within);
            if (pair->p < 0.0) {
                pair->p = 0.0;
            }
            pair->low = pair->difference - q_crit * pair->se;
            pair->high = pair->difference + q_crit * pair->se;
        }
    }
    return m;
}
