/*
 * fuzz_engine_expr.c - libFuzzer target: parses the input as an expression with
 * lang_parse_expr_text and, when it parses, compiles and evaluates it over a small fixed
 * dataset (number columns with system and user-missing values, string columns with
 * missing values, a labelled column, a pointer column), both as a value and as a condition.
 * Any crash, sanitizer report or allocation left behind is a failure.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include "engine/engine_int.h"

#define FUZZ_ROWS 37 /* not a multiple of anything the evaluator uses */

static Dataset *dataset;
static Workspace workspace;

static void add(Column *column)
{
    MdError err;
    md_error_clear(&err);
    if (!column || dataset_add_column(dataset, column, &err) != MD_OK)
        abort();
}

static void add_strings(const char *name, const char *const *texts, int n_texts)
{
    Column *c = column_new_string(name, FUZZ_ROWS);
    for (int i = 0; c && i < FUZZ_ROWS; i++) {
        const char *t = texts[i % n_texts];
        c->codes[i] = t ? string_pool_intern(c->pool, t, strlen(t)) : COLUMN_STRING_MISSING;
    }
    add(c);
}

static void build_dataset(void)
{
    static const double xs[] = {1, -2.5, NAN, 0, 1e308, 7, -0.0, 99, 3.25, 16800};
    static const char *const ss[] = {"a", "b", NULL, "", "kjønn", "0301", "  x  "};
    static const char *const ks[] = {"1", "2", NULL};
    static char *codes[] = {"1", "2"};
    static char *labels[] = {"Mann", "Kvinne"};
    static LabelList list = {"kj", codes, labels, 2};
    static LabelList *lists[] = {&list};
    dataset = dataset_new("fuzz");
    dataset->n_rows = FUZZ_ROWS;
    dataset->unit_ids = md_malloc(FUZZ_ROWS * sizeof(uint64_t));
    dataset->unit_keys = md_calloc(FUZZ_ROWS, sizeof(uint64_t));
    Column *x = column_new_number("x", FUZZ_ROWS);
    Column *y = column_new_number("y", FUZZ_ROWS);
    for (int i = 0; i < FUZZ_ROWS; i++) {
        dataset->unit_ids[i] = (uint64_t)(i / 2);
        x->numbers[i] = xs[i % 10];
        y->numbers[i] = i % 5 == 0 ? NAN : i - 10;
    }
    x->user_missing = md_malloc(sizeof(double));
    x->user_missing[0] = 99;
    x->n_user_missing = 1;
    add(x);
    add(y);
    add_strings("s", ss, 7);
    add_strings("kjonn", ks, 3);
    dataset->columns[3]->label_list = md_strdup("kj");
    Column *p = column_new_number("far", FUZZ_ROWS);
    if (p)
        p->pointer_to = md_strdup("PERSON");
    add(p);
    workspace.label_lists = lists;
    workspace.n_label_lists = 1;
    workspace.active = -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!dataset)
        build_dataset();
    int64_t live = md_mem_live_allocations();
    char *text = md_malloc(size + 1);
    Arena *arena = arena_new(4096);
    if (!text || !arena)
        abort();
    memcpy(text, data, size);
    text[size] = '\0';
    MdError err;
    md_error_clear(&err);
    Expr *expr = lang_parse_expr_text(arena, text, &err);
    if (expr) {
        md_error_clear(&err);
        Column *c = expr_evaluate(&workspace, dataset, expr, &err);
        if (!c && err.status == MD_OK)
            abort(); /* a failure must say why */
        for (int64_t i = 0; c && c->type == COLUMN_NUMBER && i < FUZZ_ROWS; i++) {
            if (isinf(c->numbers[i]))
                abort(); /* infinity must have become missing */
        }
        column_free(c);
        uint8_t mask[FUZZ_ROWS];
        md_error_clear(&err);
        if (expr_evaluate_condition(&workspace, dataset, expr, mask, &err) == MD_OK) {
            for (int i = 0; i < FUZZ_ROWS; i++) {
                if (mask[i] > 1)
                    abort();
            }
        }
    }
    arena_free(arena);
    md_free(text);
    if (md_mem_live_allocations() != live)
        abort(); /* something the evaluator allocated was not freed */
    return 0;
}
