/*
 * handlers_statistics.c - binds the descriptive-statistics and analysis commands to their
 * handlers (cmd_tabulate.c, cmd_summarize.c, cmd_analysis.c), and the chart commands to
 * theirs (cmd_histogram.c, cmd_boxplot.c, cmd_hexbin.c, cmd_barchart.c,
 * cmd_sankey.c).
 */
#include "engine/charts.h"

const HandlerEntry engine_statistics_handlers[] = {
    {"tabulate", handle_tabulate},
    {"tabulate-panel", handle_tabulate_panel},
    {"summarize", handle_summarize},
    {"summarize-panel", handle_summarize_panel},
    {"correlate", handle_correlate},
    {"ci", handle_ci},
    {"normaltest", handle_normaltest},
    {"anova", handle_anova},
    {"transitions-panel", handle_transitions_panel},
    {"histogram", handle_histogram},
    {"boxplot", handle_boxplot},
    {"hexbin", handle_hexbin},
    {"barchart", handle_barchart},
    {"piechart", handle_piechart},
    {"sankey", handle_sankey},
    {NULL, NULL},
};
