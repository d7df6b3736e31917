/*
 * chart_shared.c - helpers of the chart commands: whole-number and positive options,
 * mutually exclusive options, the groups of by() and over() (rows numbered by the
 * combination of the levels of up to four categorical variables, with labels), and new
 * charts and points whose values sdc released.
 */
#include "engine/charts.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ==== Options ========================================================================== */

static const Token *option_token(CommandContext *ctx, const char *name, bool *present,
                                 MdStatus *status)
{
    const Option *opt = command_option(ctx->command, name);
    *present = opt != NULL;
    *status = MD_OK;
    if (opt == NULL) {
        return NULL;
    }
    if (opt->n_tokens != 1 || opt->tokens[0].kind != TOKEN_NUMBER) {
        *status = md_error_set(ctx->err, MD_ERR_SYNTAX, "%s() takes one number", name);
        md_error_hint(ctx->err, "usage: %s", ctx->command->spec->syntax);
        return NULL;
    }
    return &opt->tokens[0];
}

MdStatus chart_option_count(CommandContext *ctx, const char *name, int64_t max,
                            int64_t fallback, int64_t *out)
{
    bool present = false;
    MdStatus status = MD_OK;
    const Token *tok = option_token(ctx, name, &present, &status);
    *out = fallback;
    if (!present || status != MD_OK) {
        return status;
    }
    double v = tok->number;
    if (!(v >= 1) || v != floor(v) || v > (double)max) {
        md_error_set(ctx->err, MD_ERR_VALUE, "%s() takes a whole number from 1 to %lld",
                     name, (long long)max);
        md_error_hint(ctx->err, "write %s(%lld) or less", name, (long long)max);
        return MD_ERR_VALUE;
    }
    *out = (int64_t)v;
    return MD_OK;
}

MdStatus chart_option_positive(CommandContext *ctx, const char *name, double *out)
{
    bool present = false;
    MdStatus status = MD_OK;
    const Token *tok = option_token(ctx, name, &present, &status);
    *out = 0.0;
    if (!present || status != MD_OK) {
        return status;
    }
    if (!(tok->number > 0) || !isfinite(tok->number)) {
        md_error_set(ctx->err, MD_ERR_VALUE, "%s() takes a positive number", name);
        md_error_hint(ctx->err, "write for example %s(1000)", name);
        return MD_ERR_VALUE;
    }
    *out = tok->number;
    return MD_OK;
}

MdStatus chart_options_exclusive(CommandContext *ctx, const char *const *names, int32_t n)
{
    const char *first = NULL;
    for (int32_t i = 0; i < n; i++) {
        if (command_option(ctx->command, names[i]) == NULL) {
            continue;
        }
        if (first != NULL) {
            md_error_set(ctx->err, MD_ERR_SYNTAX, "%s: the options %s and %s cannot be "
                         "used together", ctx->command->spec->name, first, names[i]);
            md_error_hint(ctx->err, "keep one of them");
            return MD_ERR_SYNTAX;
        }
        first = names[i];
    }
    return MD_OK;
}

/* ==== Groups =========================================================================== */

void chart_groups_free(ChartGroups *groups)
{
    for (int32_t v = 0; v < groups->n_vars; v++) {
        statcmd_factor_free(&groups->factors[v]);
    }
    md_free(groups->row_group);
    memset(groups, 0, sizeof *groups);
}

static MdStatus group_names(CommandContext *ctx, const Option *opt, const char **names,
                            int32_t *n)
{
    *n = 0;
    for (int32_t i = 0; opt != NULL && i < opt->n_tokens; i++) {
        const Token *tok = &opt->tokens[i];
        if (tok->kind == TOKEN_OP && strcmp(tok->text, ",") == 0) {
            continue;
        }
        if (tok->kind != TOKEN_NAME || *n >= CHART_MAX_GROUP_VARS) {
            md_error_set(ctx->err, MD_ERR_SYNTAX, "%s() takes up to %d variable names",
                         opt->name, CHART_MAX_GROUP_VARS);
            md_error_hint(ctx->err, "usage: %s", ctx->command->spec->syntax);
            return MD_ERR_SYNTAX;
        }
        names[(*n)++] = tok->text;
    }
    return MD_OK;
}

static MdStatus groups_number_rows(CommandContext *ctx, const StatSelection *sel,
                                   ChartGroups *g)
{
    const Dataset *ds = sel->ds;
    g->n_groups = 1;
    for (int32_t v = 0; v < g->n_vars; v++) {
        g->n_groups *= g->factors[v].n_levels > 0 ? g->factors[v].n_levels : 1;
        if (g->n_groups > CHART_MAX_GROUPS) {
            md_error_set(ctx->err, MD_ERR_LIMIT, "the chart would have too many groups");
            md_error_hint(ctx->err, "group the categories with recode, or use fewer "
                          "variables");
            return MD_ERR_LIMIT;
        }
    }
    for (int64_t i = 0; i < ds->n_rows; i++) {
        int64_t k = sel->mask[i] ? 0 : -1;
        for (int32_t v = 0; k >= 0 && v < g->n_vars; v++) {
            int32_t level = g->factors[v].row_level[i];
            k = level < 0 ? -1 : k * g->factors[v].n_levels + level;
        }
        g->row_group[i] = (int32_t)k;
    }
    return MD_OK;
}

MdStatus chart_groups(CommandContext *ctx, const StatSelection *sel, const Option *opt,
                      ChartGroups *groups)
{
    memset(groups, 0, sizeof *groups);
    const char *names[CHART_MAX_GROUP_VARS];
    int32_t n = 0;
    MdStatus status = group_names(ctx, opt, names, &n);
    if (status != MD_OK) {
        return status;
    }
    const Dataset *ds = sel->ds;
    groups->row_group = md_malloc((size_t)(ds->n_rows > 0 ? ds->n_rows : 1) * sizeof(int32_t));
    if (groups->row_group == NULL) {
        return statcmd_fail_memory(ctx);
    }
    for (int32_t v = 0; status == MD_OK && v < n; v++) {
        const Column *column = cmd_column(ctx, ds, names[v]);
        status = column == NULL ? ctx->err->status
                                : statcmd_factor(ctx, ds, column, sel->mask, false, false,
                                                 &groups->factors[v]);
        if (status == MD_OK) {
            groups->n_vars = v + 1;
        }
    }
    if (status == MD_OK) {
        status = groups_number_rows(ctx, sel, groups);
    }
    if (status != MD_OK) {
        chart_groups_free(groups);
    }
    return status;
}

void chart_group_label(const ChartGroups *groups, int64_t k, char *buf, size_t size)
{
    int32_t levels[CHART_MAX_GROUP_VARS];
    for (int32_t v = groups->n_vars - 1; v >= 0; v--) {
        int32_t n = groups->factors[v].n_levels > 0 ? groups->factors[v].n_levels : 1;
        levels[v] = (int32_t)(k % n);
        k /= n;
    }
    size_t used = 0;
    buf[0] = '\0';
    for (int32_t v = 0; v < groups->n_vars && used < size; v++) {
        const StatFactor *f = &groups->factors[v];
        if (f->n_levels <= 0) {
            continue;
        }
        int written = snprintf(buf + used, size - used, "%s%s = %s", v > 0 ? ", " : "",
                               f->column->name, f->labels[levels[v]]);
        if (written < 0) {
            break;
        }
        used += (size_t)written;
    }
}

/* ==== Chart output ===================================================================== */

ResultChart *chart_new(CommandContext *ctx, const char *type, const char *title)
{
    result_entry_set_kind(ctx->entry, ENTRY_CHART);
    ResultChart *chart = result_entry_chart(ctx->entry, type, title);
    if (chart == NULL) {
        statcmd_fail_memory(ctx);
    }
    return chart;
}

MdStatus chart_point(CommandContext *ctx, ResultChart *chart, const char *series,
                     const char *category, Released value)
{
    MdStatus status = result_chart_add_point(chart, series, category, &value);
    if (status != MD_OK) {
        return md_error_set(ctx->err, status, "cannot add a point to the chart");
    }
    return MD_OK;
}
