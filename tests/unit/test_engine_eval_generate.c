/*
 * test_engine_eval_generate.c - unit tests of the generate and replace handlers: values,
 * if conditions, type changes, name errors, the small-change rule R2 through sdc (refused
 * changes leave the dataset untouched), trusted mode, multi-row units and the wording of
 * the result entry (no counts).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <math.h>
#include <cmocka.h>

#include "engine/engine_int.h"

MdStatus cmd_generate(CommandContext *ctx);
MdStatus cmd_replace(CommandContext *ctx);

typedef struct Fixture {
    Workspace ws;
    Dataset *datasets[1];
    Sdc *sdc;
    ResultDoc *doc;
    Arena *arena;
} Fixture;

static int64_t fail_after = -1; /* allocation failure injected into the handler only */

#define N_ROWS 40 /* 30 units; units 0..9 have two rows */

static Dataset *make_dataset(void)
{
    Dataset *ds = dataset_new("people");
    ds->n_rows = N_ROWS;
    ds->shape = SHAPE_EVENT;
    ds->unit_ids = md_malloc(N_ROWS * sizeof(uint64_t));
    ds->unit_keys = md_calloc(N_ROWS, sizeof(uint64_t));
    Column *x = column_new_number("x", N_ROWS);
    Column *s = column_new_string("s", N_ROWS);
    for (int i = 0; i < N_ROWS; i++) {
        int unit = i < 20 ? i / 2 : i - 10; /* 0,0,1,1,...,9,9,10,11,...,29 */
        ds->unit_ids[i] = (uint64_t)(1000 + unit);
        x->numbers[i] = unit + 1; /* 1..30 */
        const char *t = unit % 2 ? "odd" : "even";
        s->codes[i] = string_pool_intern(s->pool, t, strlen(t));
    }
    MdError err;
    md_error_clear(&err);
    assert_int_equal(dataset_add_column(ds, x, &err), MD_OK);
    assert_int_equal(dataset_add_column(ds, s, &err), MD_OK);
    return ds;
}

static int setup(void **state)
{
    Fixture *f = md_calloc(1, sizeof *f);
    SdcOptions options;
    memset(&options, 0, sizeof options);
    sdc_config_default(&options.config);
    options.data_version = "test:1.0.0";
    MdError err;
    md_error_clear(&err);
    f->sdc = sdc_new(&options, &err);
    assert_non_null(f->sdc);
    f->datasets[0] = make_dataset();
    f->ws.datasets = f->datasets;
    f->ws.n_datasets = 1;
    f->ws.active = 0;
    f->ws.sdc = f->sdc;
    f->ws.options.sdc = f->sdc;
    f->doc = result_doc_new();
    f->arena = arena_new(4096);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    Fixture *f = *state;
    dataset_free(f->datasets[0]);
    sdc_free(f->sdc);
    result_doc_free(f->doc);
    arena_free(f->arena);
    md_free(f);
    return 0;
}

/* Runs `verb name = value [if condition]`; returns the status, err filled. */
static MdStatus run(Fixture *f, const char *verb, const char *name, const char *value,
                    const char *condition, MdError *err)
{
    md_error_clear(err);
    Command command;
    memset(&command, 0, sizeof command);
    command.spec = lang_command_find(verb);
    command.text = verb;
    command.line = 4;
    Token *token = arena_alloc(f->arena, sizeof *token);
    token->kind = TOKEN_NAME;
    token->text = name;
    command.args = token;
    command.n_args = 1;
    command.value = lang_parse_expr_text(f->arena, value, err);
    assert_non_null(command.value);
    if (condition) {
        command.condition = lang_parse_expr_text(f->arena, condition, err);
        assert_non_null(command.condition);
    }
    CommandContext ctx = {&f->ws, &command, f->doc, NULL, err};
    ctx.entry = result_doc_add(f->doc, verb, 4, ENTRY_MESSAGE);
    md_mem_fail_after(fail_after);
    MdStatus status = strcmp(verb, "generate") == 0 ? cmd_generate(&ctx) : cmd_replace(&ctx);
    md_mem_fail_after(-1);
    return status;
}

static const Column *col(Fixture *f, const char *name)
{
    return dataset_column(f->datasets[0], name);
}

static void test_generate_values(void **state)
{
    Fixture *f = *state;
    MdError err;
    assert_int_equal(run(f, "generate", "y", "x * 2 + 1", NULL, &err), MD_OK);
    const Column *y = col(f, "y");
    assert_non_null(y);
    assert_true(y->numbers[0] == 3 && y->numbers[1] == 3 && y->numbers[39] == 61);
    assert_int_equal(f->datasets[0]->n_columns, 3);
    char *text = result_render_text(f->doc);
    assert_non_null(strstr(text, "variable y created"));
    md_free(text);
    /* a string result with a condition: other rows missing */
    assert_int_equal(run(f, "generate", "t", "s", "x <= 20", &err), MD_OK);
    const Column *t = col(f, "t");
    assert_int_equal(t->type, COLUMN_STRING);
    assert_string_equal(column_string_at(t, 0), "even");
    assert_null(column_string_at(t, 39));
    /* a comparison dummy keeps missing as missing */
    assert_int_equal(run(f, "generate", "d", "t == 'odd'", NULL, &err), MD_OK);
    const Column *d = col(f, "d");
    assert_true(d->numbers[0] == 0 && d->numbers[2] == 1 && isnan(d->numbers[39]));
}

static void test_generate_refusals(void **state)
{
    Fixture *f = *state;
    MdError err;
    /* 5 of 30 units would get a value: R2 */
    assert_int_equal(run(f, "generate", "z", "x", "x <= 5", &err), MD_ERR_DISCLOSURE);
    assert_null(col(f, "z"));
    /* an indicator, or a product with one, that singles out 1 or 2 units: R2 (B2, B7) */
    assert_int_equal(run(f, "generate", "e", "x == 3", NULL, &err), MD_ERR_DISCLOSURE);
    assert_int_equal(run(f, "generate", "e", "x * (x > 28)", NULL, &err), MD_ERR_DISCLOSURE);
    assert_null(col(f, "e"));
    assert_int_equal(f->datasets[0]->n_columns, 2);
    /* 25 of 30: 5 left without a value: R2 */
    assert_int_equal(run(f, "generate", "z", "x", "x > 5", &err), MD_ERR_DISCLOSURE);
    /* 5 units have a missing value from the expression itself */
    assert_int_equal(run(f, "generate", "z", "x / (x > 5)", NULL, &err), MD_ERR_DISCLOSURE);
    assert_null(col(f, "z"));
    /* 15 of 30: fine */
    assert_int_equal(run(f, "generate", "z", "x", "x <= 15", &err), MD_OK);
    assert_true(isnan(col(f, "z")->numbers[39]));
    /* nobody gets a value: fine (0 changed) */
    assert_int_equal(run(f, "generate", "none", ".", NULL, &err), MD_OK);
    /* plain arithmetic that is zero for one unit (an age of 0) is no indicator: allowed */
    assert_int_equal(run(f, "generate", "e", "x - 3", NULL, &err), MD_OK);
    assert_non_null(col(f, "e"));
    /* names */
    assert_int_equal(run(f, "generate", "x", "1", NULL, &err), MD_ERR_NAME);
    assert_non_null(strstr(err.message, "already exists"));
    assert_non_null(strstr(err.hint, "replace"));
    assert_int_equal(run(f, "generate", "1x", "1", NULL, &err), MD_ERR_NAME);
    assert_int_equal(run(f, "generate", "START@x", "1", NULL, &err), MD_ERR_NAME);
    /* errors in the expression or condition */
    assert_int_equal(run(f, "generate", "q", "s + 1", NULL, &err), MD_ERR_TYPE);
    assert_int_equal(run(f, "generate", "q", "1", "s == 1", &err), MD_ERR_TYPE);
    assert_non_null(strstr(err.message, "string variable s"));
    assert_int_equal(run(f, "generate", "q", "1", "s", &err), MD_ERR_TYPE);
    assert_null(col(f, "q"));
    assert_int_equal(err.line, 1); /* the expression's own position wins */
}

static void test_replace_values(void **state)
{
    Fixture *f = *state;
    MdError err;
    /* units 1..3 = 5 rows would change: R2 */
    assert_int_equal(run(f, "replace", "x", "0", "x <= 3", &err), MD_ERR_DISCLOSURE);
    assert_true(col(f, "x")->numbers[0] == 1);
    assert_int_equal(run(f, "replace", "x", "0", "x <= 12", &err), MD_OK);
    const Column *x = col(f, "x");
    assert_true(x->numbers[0] == 0 && x->numbers[21] == 0 && x->numbers[22] == 13);
    char *text = result_render_text(f->doc);
    assert_non_null(strstr(text, "variable x replaced"));
    md_free(text);
    /* replacing with the same values changes nothing: fine */
    assert_int_equal(run(f, "replace", "x", "x", NULL, &err), MD_OK);
    /* replacing with missing */
    assert_int_equal(run(f, "replace", "x", ".", "x == 0", &err), MD_OK);
    assert_true(isnan(col(f, "x")->numbers[0]));
    /* strings */
    assert_int_equal(run(f, "replace", "s", "'none'", "s == 'odd'", &err), MD_OK);
    assert_string_equal(column_string_at(col(f, "s"), 2), "none");
    assert_string_equal(column_string_at(col(f, "s"), 0), "even");
    /* every row replaced: the type may change */
    assert_int_equal(run(f, "replace", "s", "1", NULL, &err), MD_OK);
    assert_int_equal(col(f, "s")->type, COLUMN_NUMBER);
}

static void test_replace_type_change(void **state)
{
    Fixture *f = *state;
    MdError err;
    assert_int_equal(run(f, "replace", "x", "string(x)", "x > 5", &err), MD_ERR_TYPE);
    assert_non_null(strstr(err.message, "only when every row is replaced"));
    assert_int_equal(col(f, "x")->type, COLUMN_NUMBER);
    assert_int_equal(run(f, "replace", "x", "string(x)", NULL, &err), MD_OK);
    const Column *x = col(f, "x");
    assert_int_equal(x->type, COLUMN_STRING);
    assert_string_equal(column_string_at(x, 39), "30");
    assert_int_equal(run(f, "replace", "nope", "1", NULL, &err), MD_ERR_NAME);
    assert_non_null(strstr(err.hint, "generate nope"));
}

static void test_trusted_and_pointer(void **state)
{
    Fixture *f = *state;
    MdError err;
    f->ws.options.trusted = true;
    assert_int_equal(run(f, "replace", "x", "0", "x == 1", &err), MD_OK);
    assert_int_equal(run(f, "generate", "one", "1", "x == 2", &err), MD_OK);
    f->ws.options.trusted = false;
    Column *p = column_new_number("far", N_ROWS);
    p->pointer_to = md_strdup("PERSON");
    assert_int_equal(dataset_add_column(f->datasets[0], p, &err), MD_OK);
    assert_int_equal(run(f, "replace", "far", "1", NULL, &err), MD_ERR_TYPE);
    assert_int_equal(run(f, "generate", "g", "far", NULL, &err), MD_ERR_TYPE);
    /* without sdc and not trusted: refuse (fail closed) */
    f->ws.sdc = NULL;
    assert_int_equal(run(f, "generate", "h", "1", NULL, &err), MD_ERR_INTERNAL);
    assert_null(col(f, "h"));
    /* no active dataset */
    f->ws.active = -1;
    assert_int_equal(run(f, "generate", "h", "1", NULL, &err), MD_ERR_NAME);
    assert_non_null(strstr(err.hint, "create-dataset"));
    f->ws.active = 0;
}

static void test_free_text_spreads(void **state)
{
    Fixture *f = *state;
    MdError err;
    Column *s = dataset_column(f->datasets[0], "s");
    s->is_free_text = true;
    assert_int_equal(run(f, "generate", "copy", "s", NULL, &err), MD_OK);
    assert_true(col(f, "copy")->is_free_text);
    assert_string_equal(column_string_at(col(f, "copy"), 2), "odd");
    assert_int_equal(run(f, "generate", "part", "substr(s, 1, 2)", NULL, &err), MD_OK);
    assert_true(col(f, "part")->is_free_text);
    assert_int_equal(run(f, "generate", "flag", "s == 'odd'", NULL, &err), MD_OK);
    assert_false(col(f, "flag")->is_free_text); /* a number is not free text */
    assert_int_equal(run(f, "generate", "t", "string(x)", NULL, &err), MD_OK);
    assert_false(col(f, "t")->is_free_text);
    assert_int_equal(run(f, "replace", "t", "s", "x > 15", &err), MD_OK);
    assert_true(col(f, "t")->is_free_text);
}

static void test_out_of_memory(void **state)
{
    Fixture *f = *state;
    MdError err;
    int32_t before = f->datasets[0]->n_columns;
    bool done = false;
    for (int64_t n = 0; n < 200 && !done; n++) {
        fail_after = n;
        MdStatus status = run(f, "replace", "s", "rowconcat(s, '-')", "x > 15", &err);
        fail_after = -1;
        if (status == MD_OK) {
            done = true;
            assert_string_equal(column_string_at(col(f, "s"), 39), "odd-");
        } else {
            assert_string_equal(column_string_at(col(f, "s"), 39), "odd");
        }
        assert_int_equal(f->datasets[0]->n_columns, before);
    }
    assert_true(done);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_generate_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_generate_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_replace_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_replace_type_change, setup, teardown),
        cmocka_unit_test_setup_teardown(test_trusted_and_pointer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_free_text_spreads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_out_of_memory, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
