/*
 * sdc_test_util.h - helpers shared by the sdc unit tests: a gate with a fixed test secret,
 * cells of consecutive synthetic units, and a check that a message holds no digit.
 */
#ifndef MDATA_TESTS_SDC_TEST_UTIL_H
#define MDATA_TESTS_SDC_TEST_UTIL_H

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sdc/sdc_int.h"

/* The fixed test secret: bytes 0, 1, ..., 31. */
static inline void test_secret(uint8_t secret[32])
{
    for (int i = 0; i < 32; i++)
        secret[i] = (uint8_t)i;
}

static inline Sdc *test_sdc_with(const SdcConfig *config, bool trusted, const char *audit)
{
    SdcOptions o;
    memset(&o, 0, sizeof o);
    if (config)
        o.config = *config;
    else
        sdc_config_default(&o.config);
    test_secret(o.secret);
    o.data_version = "no.ssb.fdb:1.0.0";
    o.audit_path = audit;
    o.user = "tester";
    o.trusted = trusted;
    MdError err;
    md_error_clear(&err);
    return sdc_new(&o, &err);
}

static inline Sdc *test_sdc(void) { return test_sdc_with(NULL, false, NULL); }

/* A cell of n units with ids first, first+1, ... */
static inline SdcCell test_cell(const Sdc *sdc, uint64_t first, int64_t n)
{
    SdcCell c;
    sdc_cell_init(&c);
    for (int64_t i = 0; i < n; i++)
        sdc_cell_add(&c, first + (uint64_t)i, sdc_unit_key(sdc, first + (uint64_t)i));
    return c;
}

static inline bool has_digit(const char *s)
{
    for (; *s; s++) {
        if (isdigit((unsigned char)*s))
            return true;
    }
    return false;
}

#endif /* MDATA_TESTS_SDC_TEST_UTIL_H */
