/*
 * test_lang_bindings_kept.c - unit tests of bindings kept from one script to the next
 * (lang_parse_script_kept, used by mdata repl): a let on one input holds on later ones,
 * a new let replaces the kept value, loop variables and the lets of a failed input are not
 * kept, string values outlive the arena of the input that made them, nothing leaks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lang_test_util.h"

/* Parses one input with kept in an arena of its own, freed (and scribbled over by a new
 * one) before returning: the command texts joined with '\n', or "ERR message". */
static const char *input(LangBindings *kept, const char *text)
{
    static char buf[2048];
    Arena *arena = arena_new(1 << 12);
    assert_non_null(arena);
    MdError err;
    md_error_clear(&err);
    Script *s = lang_parse_script_kept(arena, kept, text, strlen(text), &err);
    if (!s) {
        snprintf(buf, sizeof buf, "ERR %s", err.message);
    } else {
        buf[0] = '\0';
        for (int32_t i = 0; i < s->n_statements; i++) {
            size_t used = strlen(buf);
            snprintf(buf + used, sizeof buf - used, "%s%s", i ? "\n" : "",
                     s->statements[i].command.text);
        }
    }
    arena_free(arena);
    Arena *scribble = arena_new(1 << 12);
    assert_non_null(scribble);
    for (int i = 0; i < 64; i++)
        assert_non_null(arena_strdup(scribble, "XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"));
    arena_free(scribble);
    return buf;
}

static void test_let_holds_on_later_inputs(void **state)
{
    (void)state;
    int64_t live = md_mem_live_allocations();
    LangBindings *kept = lang_bindings_new();
    assert_non_null(kept);
    assert_string_equal(input(kept, "let y = 2023\n"), "");
    assert_string_equal(input(kept, "generate t = date_fmt($y)\n"),
                        "generate t = date_fmt(2023)");
    assert_string_equal(input(kept, "let navn = 'kj\xc3\xb8nn'\nlet v = kjonn\n"), "");
    assert_string_equal(input(kept, "generate s = $navn\ntabulate $v"),
                        "generate s = 'kj\xc3\xb8nn'\ntabulate kjonn");
    assert_string_equal(input(kept, "let y = $y + 1\n"), "");
    assert_string_equal(input(kept, "generate t = $y\n"), "generate t = 2024");
    assert_string_equal(input(kept, "let neste = aar ++ $y\n"), "");
    assert_string_equal(input(kept, "keep $neste\n"), "keep aar2024");
    lang_bindings_free(kept);
    assert_int_equal(md_mem_live_allocations(), live);
}

static void test_loops_and_failed_inputs_keep_nothing(void **state)
{
    (void)state;
    int64_t live = md_mem_live_allocations();
    LangBindings *kept = lang_bindings_new();
    assert_non_null(kept);
    assert_string_equal(input(kept, "let a = 1\n"), "");
    assert_string_equal(input(kept, "for i in 1 2\n  let a = 9\n  keep x$i\nend\n"),
                        "keep x1\nkeep x2");
    assert_string_equal(input(kept, "keep x$a\n"), "keep x1");
    assert_string_equal(input(kept, "keep x$i\n"), "ERR unknown binding '$i'");
    /* the whole input fails, so its let is not kept either */
    assert_string_equal(input(kept, "let a = 5\nlet b = 2\nkeep $nope\n"),
                        "ERR unknown binding '$nope'");
    assert_string_equal(input(kept, "keep x$a\n"), "keep x1");
    assert_string_equal(input(kept, "keep x$b\n"), "ERR unknown binding '$b'");
    lang_bindings_free(kept);
    assert_int_equal(md_mem_live_allocations(), live);
}

static void test_redefining_does_not_grow(void **state)
{
    (void)state;
    LangBindings *kept = lang_bindings_new();
    assert_non_null(kept);
    /* more redefinitions than the 10000 live bindings a script may hold */
    for (int i = 0; i < 10050; i++) {
        char line[64];
        snprintf(line, sizeof line, "let n = %d\nlet m = $n\n", i);
        Arena *arena = arena_new(1 << 12);
        MdError err;
        md_error_clear(&err);
        assert_non_null(lang_parse_script_kept(arena, kept, line, strlen(line), &err));
        arena_free(arena);
    }
    assert_string_equal(input(kept, "keep x$n y$m\n"), "keep x10049 y10049");
    lang_bindings_free(kept);
}

static void test_plain_parse_keeps_nothing(void **state)
{
    (void)state;
    Arena *arena = arena_new(1 << 12);
    MdError err;
    md_error_clear(&err);
    assert_non_null(lang_parse_script(arena, "let y = 1\n", 10, &err));
    md_error_clear(&err);
    assert_null(lang_parse_script(arena, "keep x$y\n", 9, &err));
    assert_string_equal(err.message, "unknown binding '$y'");
    arena_free(arena);
    lang_bindings_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_let_holds_on_later_inputs),
        cmocka_unit_test(test_loops_and_failed_inputs_keep_nothing),
        cmocka_unit_test(test_redefining_does_not_grow),
        cmocka_unit_test(test_plain_parse_keeps_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
