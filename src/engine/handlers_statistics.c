/*
 * handlers_statistics.c - binds the descriptive-statistics and analysis commands to their
 * handlers (cmd_tabulate.c, cmd_summarize.c, cmd_analysis.c).
 */
#include "engine/stats_shared.h"

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
    {NULL, NULL},
};
