/*
 * test_sdc_config.c - the settings file: config/sdc.conf holds every setting with its
 * default, values override defaults, bad lines are refused with file and line and leave the
 * settings unchanged, and sdc_new refuses out-of-range settings.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "sdc_test_util.h"

static const char *write_conf(const char *text)
{
    static const char *path = "test_sdc_config.conf";
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    return path;
}

static void test_shipped_file_is_the_defaults(void **state)
{
    (void)state;
    SdcConfig defaults, loaded;
    sdc_config_default(&defaults);
    sdc_config_default(&loaded);
    loaded.min_population = 1; /* the file must set it back */
    MdError err;
    md_error_clear(&err);
    assert_int_equal(sdc_config_load(&loaded, MDATA_SOURCE_DIR "/config/sdc.conf", &err),
                     MD_OK);
    assert_memory_equal(&defaults, &loaded, sizeof defaults);
    /* every setting appears in the shipped file */
    FILE *f = fopen(MDATA_SOURCE_DIR "/config/sdc.conf", "r");
    assert_non_null(f);
    char text[8192];
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = 0;
    fclose(f);
    assert_true(sdc_config_setting_count() == 20);
    for (int32_t i = 0; i < sdc_config_setting_count(); i++) {
        char key[64];
        snprintf(key, sizeof key, "\n%s = ", sdc_config_setting_name(i));
        assert_non_null(strstr(text, key));
    }
    assert_null(sdc_config_setting_name(20));
}

static void test_values_override(void **state)
{
    (void)state;
    SdcConfig c;
    sdc_config_default(&c);
    MdError err;
    md_error_clear(&err);
    const char *path = write_conf("# comment\n\n  min_population=2000  # trailing\n"
                                  "zeros_are_disclosive = yes\r\nsparse_share = 0.25\n"
                                  "noise_max = 3\nnoise_variance = 1.5\n");
    assert_int_equal(sdc_config_load(&c, path, &err), MD_OK);
    assert_int_equal(c.min_population, 2000);
    assert_true(c.zeros_are_disclosive);
    assert_true(c.sparse_share == 0.25);
    assert_int_equal(c.noise_max, 3);
    assert_int_equal(c.small_change, 10); /* untouched */
    remove(path);
}

static void test_bad_files_change_nothing(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        MdStatus status;
        const char *needle;
    } cases[] = {
        {"min_population = 5\nmin_populaton = 7\n", MD_ERR_NAME, ":2: unknown setting"},
        {"min_population = 5\nlow_count = -1\n", MD_ERR_VALUE, ":2: invalid value"},
        {"digits\n", MD_ERR_SYNTAX, ":1: expected"},
        {"zeros_are_disclosive = maybe\n", MD_ERR_VALUE, "invalid value"},
        {"sparse_share = 1.5\n", MD_ERR_VALUE, "invalid value"},
        {"min_population = 12abc\n", MD_ERR_VALUE, "invalid value"},
        {"noise_max = 1\n", MD_ERR_VALUE, "noise_variance"},
        {"noise_variance = nan\n", MD_ERR_VALUE, "invalid value"},
        {"digits =\n", MD_ERR_VALUE, ":1: invalid value for digits"},
        {"= 4\n", MD_ERR_NAME, "unknown setting"},
        {"digits = 4 5\n", MD_ERR_VALUE, "invalid value"},
        {"min_population = 99999999999999999999\n", MD_ERR_VALUE, "invalid value"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        SdcConfig c, before;
        sdc_config_default(&c);
        before = c;
        MdError err;
        md_error_clear(&err);
        const char *path = write_conf(cases[i].text);
        assert_int_equal(sdc_config_load(&c, path, &err), cases[i].status);
        assert_non_null(strstr(err.message, cases[i].needle));
        assert_memory_equal(&c, &before, sizeof c);
        remove(path);
    }
    SdcConfig c;
    sdc_config_default(&c);
    MdError err;
    md_error_clear(&err);
    assert_int_equal(sdc_config_load(&c, "no-such-file.conf", &err), MD_ERR_IO);
    /* a line longer than the reader takes is refused, not split */
    char long_line[3000];
    memset(long_line, ' ', sizeof long_line);
    memcpy(long_line + sizeof long_line - 12, "digits = 3\n", 12);
    md_error_clear(&err);
    const char *path = write_conf(long_line);
    assert_int_equal(sdc_config_load(&c, path, &err), MD_ERR_SYNTAX);
    assert_non_null(strstr(err.message, "too long"));
    /* no newline at the end of the file is fine */
    path = write_conf("digits = 3");
    md_error_clear(&err);
    assert_int_equal(sdc_config_load(&c, path, &err), MD_OK);
    assert_int_equal(c.digits, 3);
    remove(path);
}

static void test_new_refuses_bad_settings(void **state)
{
    (void)state;
    SdcConfig c;
    sdc_config_default(&c);
    c.digits = 0;
    assert_null(test_sdc_with(&c, false, NULL));
    sdc_config_default(&c);
    c.noise_variance = 4.0;
    assert_null(test_sdc_with(&c, false, NULL));
    sdc_config_default(&c);
    MdError err;
    md_error_clear(&err);
    assert_int_equal(sdc_config_validate(&c, &err), MD_OK);
    c.sparse_share = -0.1;
    assert_int_equal(sdc_config_validate(&c, &err), MD_ERR_VALUE);
    assert_non_null(strstr(err.message, "sparse_share"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_file_is_the_defaults),
        cmocka_unit_test(test_values_override),
        cmocka_unit_test(test_bad_files_change_nothing),
        cmocka_unit_test(test_new_refuses_bad_settings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
