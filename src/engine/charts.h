/*
 * charts.h - what the chart command files (cmd_histogram.c, cmd_boxplot.c, cmd_hexbin.c,
 * cmd_barchart.c, cmd_sankey.c) share: their handlers, option parsing, the groups of by()
 * and over() (combinations of the levels of categorical variables), and adding released
 * points to a chart (sdc rule R12).
 */
#ifndef MDATA_ENGINE_CHARTS_H
#define MDATA_ENGINE_CHARTS_H

#include "engine/stats_shared.h"

#define CHART_MAX_GROUP_VARS 4
#define CHART_MAX_GROUPS 1000

/* ==== Handlers ========================================================================= */

MdStatus handle_histogram(CommandContext *ctx);
MdStatus handle_boxplot(CommandContext *ctx);
MdStatus handle_hexbin(CommandContext *ctx);
MdStatus handle_barchart(CommandContext *ctx);
MdStatus handle_piechart(CommandContext *ctx);
MdStatus handle_sankey(CommandContext *ctx);

/* ==== Options (chart_shared.c) ========================================================= */

/* A whole-number option in 1..max; *out = fallback when the option is absent. */
MdStatus chart_option_count(CommandContext *ctx, const char *name, int64_t max,
                            int64_t fallback, int64_t *out) MD_MUST_CHECK;
/* A positive finite number option; *out = 0 when the option is absent. */
MdStatus chart_option_positive(CommandContext *ctx, const char *name, double *out)
    MD_MUST_CHECK;
/* Refuses when more than one of the named options is given. */
MdStatus chart_options_exclusive(CommandContext *ctx, const char *const *names, int32_t n)
    MD_MUST_CHECK;

/* ==== Groups of by() and over() ======================================================== */

typedef struct ChartGroups {
    int32_t n_vars;
    StatFactor factors[CHART_MAX_GROUP_VARS];
    int64_t n_groups;     /* product of the levels; 1 without variables */
    int32_t *row_group;   /* n_rows: the group of each row, -1 = not selected or missing */
} ChartGroups;

/* The groups of the variables named in opt (NULL: one group of the selected rows). */
MdStatus chart_groups(CommandContext *ctx, const StatSelection *sel, const Option *opt,
                      ChartGroups *groups) MD_MUST_CHECK;
void chart_groups_free(ChartGroups *groups);
/* "kjonn = Mann, fylke = Oslo" (empty without variables). */
void chart_group_label(const ChartGroups *groups, int64_t k, char *buf, size_t size);

/* ==== Chart output ===================================================================== */

/* A new chart in the entry (kind ENTRY_CHART); NULL with err set on out-of-memory. */
ResultChart *chart_new(CommandContext *ctx, const char *type, const char *title);
MdStatus chart_point(CommandContext *ctx, ResultChart *chart, const char *series,
                     const char *category, Released value) MD_MUST_CHECK;

#endif /* MDATA_ENGINE_CHARTS_H */
