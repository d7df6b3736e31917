/*
 * config.c - the disclosure-control settings: the spec's defaults (disclosure.md section 4)
 * and a "key = value" file that overrides them. Placeholder defaults until the sdc work
 * lands; the loader is part of that work.
 */
#include "sdc/sdc.h"

void sdc_config_default(SdcConfig *c)
{
    c->min_population = 1000;
    c->small_change = 10;
    c->min_units_statistic = 10;
    c->noise_max = 2;
    c->noise_variance = 1.0;
    c->low_count = 5;
    c->zeros_are_disclosive = false;
    c->sparse_share = 0.5;
    c->winsor_share = 0.01;
    c->winsor_min_units = 10;
    c->magnitude_noise_scale = 0.5;
    c->dominance_share = 0.9;
    c->p_rule = 0.1;
    c->quantile_units = 10;
    c->quantile_digits = 3;
    c->digits = 4;
    c->audit_min_difference = 10;
    c->rate_limit_per_day = 500;
    c->max_table_cells = 10000;
}
