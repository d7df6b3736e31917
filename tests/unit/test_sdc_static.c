/*
 * test_sdc_static.c - static checks of src/sdc (test H2): no libc rand(), srand(),
 * random() or time() anywhere in the module (noise comes only from keyed hashes), and only
 * src/sdc and src/result include the seal header.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "sdc_test_util.h"

static int run(const char *command)
{
    int status = system(command);
    return status;
}

static void test_no_rand_or_time_in_sdc(void **state)
{
    (void)state;
    /* grep exits 1 when nothing matches */
    int found = run("grep -rnE '(^|[^a-z_])(rand|srand|random|time|rand_r|drand48)\\(' "
                    MDATA_SOURCE_DIR "/src/sdc > /dev/null");
    assert_int_not_equal(found, 0);
    /* the check itself works: it finds a call in a known string */
    int self = run("echo 'x = time(NULL);' | grep -qE "
                   "'(^|[^a-z_])(rand|srand|random|time|rand_r|drand48)\\('");
    assert_int_equal(self, 0);
}

static void test_seal_header_only_in_sdc_and_result(void **state)
{
    (void)state;
    int found = run("grep -rl 'released_seal.h' " MDATA_SOURCE_DIR "/src | grep -vE "
                    "'/src/(sdc|result)/' > /dev/null");
    assert_int_not_equal(found, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_rand_or_time_in_sdc),
        cmocka_unit_test(test_seal_header_only_in_sdc_and_result),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
