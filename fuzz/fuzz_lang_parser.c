/*
 * fuzz_lang_parser.c - libFuzzer target for the language front end: arbitrary bytes go
 * through lang_parse_script and lang_check_script (preprocessor, loops, bindings, lexer,
 * parser, typed views), then through lang_parse_expr_text. Any crash, leak or sanitizer
 * report is a bug; every allocation lives in one arena that is freed after each input.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lang/lang.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void walk_views(Arena *arena, const Script *script)
{
    for (int32_t i = 0; i < script->n_statements; i++) {
        const Statement *st = &script->statements[i];
        if (st->kind != STATEMENT_COMMAND)
            continue;
        const Command *c = &st->command;
        MdError err;
        int32_t n = 0;
        md_error_clear(&err);
        (void)lang_parse_terms(arena, c->args, c->n_args, &n, &err);
        md_error_clear(&err);
        (void)lang_parse_stat_items(arena, c->args, c->n_args, &n, &err);
        md_error_clear(&err);
        (void)lang_parse_recode(arena, c->args, c->n_args, &err);
        for (int32_t k = 0; k < c->n_options; k++)
            (void)command_option(c, c->options[k].name);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Arena *arena = arena_new(1 << 16);
    if (!arena)
        return 0;
    MdError err;
    md_error_clear(&err);
    Script *script = lang_parse_script(arena, (const char *)data, size, &err);
    if (script) {
        walk_views(arena, script);
    } else {
        /* the collecting mode differs from the first-error mode only after an error */
        MdError errs[8];
        (void)lang_check_script(arena, (const char *)data, size, errs, 8);
    }
    if (size < 4096 && !memchr(data, '\0', size)) {
        char *text = arena_strndup(arena, (const char *)data, size);
        if (text) {
            md_error_clear(&err);
            (void)lang_parse_expr_text(arena, text, &err);
        }
    }
    arena_free(arena);
    return 0;
}
