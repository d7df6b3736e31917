/*
 * config.c - the disclosure-control settings: the spec's defaults (disclosure.md section 4)
 * and the loader of a "key = value" file that overrides them (config/sdc.conf documents
 * every key). One table below lists each setting with its type and valid range; defaults,
 * loading and validation all read it, so a setting cannot be half-wired.
 */
#include "sdc/sdc.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* R15b: chosen from the D1 curve (docs/attacks/D1-curve.txt, docs/disclosure.md). */
#define SDC_DEFAULT_EXPOSURE_BUDGET 0.12

typedef enum SettingType { SETTING_INT, SETTING_INT32, SETTING_DOUBLE, SETTING_BOOL } SettingType;

typedef struct Setting {
    const char *name;
    SettingType type;
    size_t offset;
    double min; /* inclusive */
    double max; /* inclusive */
} Setting;

#define SETTING(name, type, lo, hi) {#name, type, offsetof(SdcConfig, name), lo, hi}

static const Setting SETTINGS[] = {
    SETTING(min_population, SETTING_INT, 1, 1e12),
    SETTING(small_change, SETTING_INT, 1, 1e9),
    SETTING(min_units_statistic, SETTING_INT, 1, 1e9),
    SETTING(noise_max, SETTING_INT32, 0, 8),
    SETTING(noise_variance, SETTING_DOUBLE, 0, 64),
    SETTING(low_count, SETTING_INT, 1, 1e9),
    SETTING(zeros_are_disclosive, SETTING_BOOL, 0, 1),
    SETTING(sparse_share, SETTING_DOUBLE, 0, 1),
    SETTING(winsor_share, SETTING_DOUBLE, 0, 0.5),
    SETTING(winsor_min_units, SETTING_INT, 1, 1e9),
    SETTING(magnitude_noise_scale, SETTING_DOUBLE, 0, 100),
    SETTING(dominance_share, SETTING_DOUBLE, 0, 1),
    SETTING(p_rule, SETTING_DOUBLE, 0, 10),
    SETTING(quantile_units, SETTING_INT, 1, 1e9),
    SETTING(quantile_digits, SETTING_INT32, 1, 15),
    SETTING(digits, SETTING_INT32, 1, 15),
    SETTING(audit_min_difference, SETTING_INT, 0, 1e9),
    SETTING(rate_limit_per_day, SETTING_INT, 0, 1e12),
    SETTING(max_table_cells, SETTING_INT, 1, 1e9),
    SETTING(exposure_budget, SETTING_DOUBLE, 0, 100),
};

void sdc_config_default(SdcConfig *c)
{
    memset(c, 0, sizeof *c);
    c->min_population = 1000;       /* sdc rule R1 */
    c->small_change = 10;           /* sdc rule R2 */
    c->min_units_statistic = 10;    /* sdc rule R3 */
    c->noise_max = 2;               /* sdc rule R4 */
    c->noise_variance = 1.0;        /* sdc rule R4 */
    c->low_count = 5;               /* sdc rule R5 */
    c->zeros_are_disclosive = false;/* sdc rule R5 */
    c->sparse_share = 0.5;          /* sdc rule R6 */
    c->winsor_share = 0.01;         /* sdc rule R7 */
    c->winsor_min_units = 10;       /* sdc rule R7 */
    c->magnitude_noise_scale = 0.5; /* sdc rule R8 */
    c->dominance_share = 0.9;       /* sdc rule R8 */
    c->p_rule = 0.1;                /* sdc rule R8 */
    c->quantile_units = 10;         /* sdc rule R9 */
    c->quantile_digits = 3;         /* sdc rule R9 */
    c->digits = 4;                  /* sdc rule R10 */
    c->audit_min_difference = 10;   /* sdc rule R15 */
    c->rate_limit_per_day = 500;    /* sdc rule R15 */
    c->max_table_cells = 10000;
    c->exposure_budget = SDC_DEFAULT_EXPOSURE_BUDGET; /* sdc rule R15b */
}

static const Setting *find_setting(const char *name, size_t len)
{
    for (size_t i = 0; i < MD_ARRAY_LEN(SETTINGS); i++) {
        if (strlen(SETTINGS[i].name) == len && memcmp(SETTINGS[i].name, name, len) == 0)
            return &SETTINGS[i];
    }
    return NULL;
}

static bool parse_bool(const char *s, size_t len, bool *out)
{
    static const char *const yes[] = {"true", "yes", "on", "1"};
    static const char *const no[] = {"false", "no", "off", "0"};
    for (size_t i = 0; i < MD_ARRAY_LEN(yes); i++) {
        if (strlen(yes[i]) == len && memcmp(yes[i], s, len) == 0) {
            *out = true;
            return true;
        }
        if (strlen(no[i]) == len && memcmp(no[i], s, len) == 0) {
            *out = false;
            return true;
        }
    }
    return false;
}

/* Stores the text value into config for setting s; false if it is not a valid value. */
static bool setting_store(SdcConfig *config, const Setting *s, const char *v, size_t len)
{
    char *field = (char *)config + s->offset;
    if (s->type == SETTING_BOOL) {
        bool b;
        if (!parse_bool(v, len, &b))
            return false;
        memcpy(field, &b, sizeof b);
        return true;
    }
    if (s->type == SETTING_DOUBLE) {
        double d;
        if (!text_parse_double(v, len, false, &d) || !isfinite(d) || d < s->min || d > s->max)
            return false;
        memcpy(field, &d, sizeof d);
        return true;
    }
    int64_t i;
    if (!text_parse_int64(v, len, false, &i) || (double)i < s->min || (double)i > s->max)
        return false;
    if (s->type == SETTING_INT32) {
        int32_t i32 = (int32_t)i;
        memcpy(field, &i32, sizeof i32);
    } else {
        memcpy(field, &i, sizeof i);
    }
    return true;
}

static size_t trim_end(const char *s, size_t len)
{
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
        len--;
    return len;
}

static const char *skip_space(const char *s, const char *end)
{
    while (s < end && (*s == ' ' || *s == '\t'))
        s++;
    return s;
}

/* Parses one line into config. Blank lines and '#' comments are fine. */
static MdStatus parse_line(SdcConfig *config, const char *path, int line_no, const char *line,
                           size_t len, MdError *err)
{
    const char *end = line + trim_end(line, len);
    const char *p = skip_space(line, end);
    if (p == end || *p == '#')
        return MD_OK;
    const char *eq = memchr(p, '=', (size_t)(end - p));
    if (!eq) {
        md_error_set(err, MD_ERR_SYNTAX, "%s:%d: expected \"key = value\"", path, line_no);
        md_error_hint(err, "each setting is one line such as \"min_population = 1000\"");
        return MD_ERR_SYNTAX;
    }
    size_t key_len = trim_end(p, (size_t)(eq - p));
    const char *value = skip_space(eq + 1, end);
    size_t value_len = (size_t)(end - value);
    const char *hash = memchr(value, '#', value_len);
    if (hash)
        value_len = trim_end(value, (size_t)(hash - value));
    const Setting *s = find_setting(p, key_len);
    if (!s) {
        md_error_set(err, MD_ERR_NAME, "%s:%d: unknown setting \"%.*s\"", path, line_no,
                     (int)(key_len > 64 ? 64 : key_len), p);
        md_error_hint(err, "docs/disclosure.md lists every setting of config/sdc.conf");
        return MD_ERR_NAME;
    }
    if (!setting_store(config, s, value, value_len)) {
        md_error_set(err, MD_ERR_VALUE, "%s:%d: invalid value for %s", path, line_no, s->name);
        if (s->type == SETTING_BOOL)
            md_error_hint(err, "use true or false");
        else
            md_error_hint(err, "use a number from %g to %g", s->min, s->max);
        return MD_ERR_VALUE;
    }
    return MD_OK;
}

/* Rules across settings that single ranges cannot express. */
static MdStatus check_consistency(const SdcConfig *c, const char *path, MdError *err)
{
    if (c->noise_max > 0 && !(c->noise_variance > 0 &&
                              c->noise_variance < (double)c->noise_max * c->noise_max)) {
        md_error_set(err, MD_ERR_VALUE, "%s: noise_variance must be above zero and below "
                     "the square of noise_max", path);
        return MD_ERR_VALUE;
    }
    return MD_OK;
}

MdStatus sdc_config_load(SdcConfig *config, const char *path, MdError *err)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        md_error_set(err, MD_ERR_IO, "cannot open the disclosure settings %s: %s", path,
                     strerror(errno));
        return MD_ERR_IO;
    }
    SdcConfig next = *config;
    char line[1024];
    int line_no = 0;
    MdStatus status = MD_OK;
    while (status == MD_OK && fgets(line, sizeof line, f)) {
        line_no++;
        size_t len = strlen(line);
        if (len == sizeof line - 1 && line[len - 1] != '\n' && !feof(f)) {
            status = md_error_set(err, MD_ERR_SYNTAX, "%s:%d: line too long", path, line_no);
            break;
        }
        if (len > 0 && line[len - 1] == '\n')
            len--;
        status = parse_line(&next, path, line_no, line, len, err);
    }
    if (status == MD_OK && ferror(f))
        status = md_error_set(err, MD_ERR_IO, "cannot read %s", path);
    fclose(f);
    if (status == MD_OK)
        status = check_consistency(&next, path, err);
    if (status == MD_OK)
        *config = next;
    return status;
}

MdStatus sdc_config_validate(const SdcConfig *config, MdError *err)
{
    for (size_t i = 0; i < MD_ARRAY_LEN(SETTINGS); i++) {
        const Setting *s = &SETTINGS[i];
        const char *field = (const char *)config + s->offset;
        double v;
        if (s->type == SETTING_BOOL) {
            continue;
        } else if (s->type == SETTING_DOUBLE) {
            memcpy(&v, field, sizeof v);
        } else if (s->type == SETTING_INT32) {
            int32_t x;
            memcpy(&x, field, sizeof x);
            v = x;
        } else {
            int64_t x;
            memcpy(&x, field, sizeof x);
            v = (double)x;
        }
        if (!(v >= s->min && v <= s->max)) {
            md_error_set(err, MD_ERR_VALUE, "disclosure setting %s is out of range", s->name);
            md_error_hint(err, "use a number from %g to %g", s->min, s->max);
            return MD_ERR_VALUE;
        }
    }
    return check_consistency(config, "disclosure settings", err);
}

int32_t sdc_config_setting_count(void) { return (int32_t)MD_ARRAY_LEN(SETTINGS); }

const char *sdc_config_setting_name(int32_t index)
{
    if (index < 0 || index >= (int32_t)MD_ARRAY_LEN(SETTINGS))
        return NULL;
    return SETTINGS[index].name;
}
