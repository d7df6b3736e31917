/*
 * eval_run.c - runs a compiled EvalProgram over a dataset in blocks of EVAL_BLOCK rows and
 * delivers the root's values to a sink: a new column (expr_evaluate), a byte mask
 * (expr_evaluate_condition, where missing counts as false) or a plain array of doubles.
 *
 * Per block: number columns without user-missing values are read in place (no copy);
 * string columns are turned into string pointers through their pool; every other node runs
 * its kernel over the block. The only memory touched per block is the block buffers made at
 * compile time and the string arena, which is reset, not freed.
 */
#include "engine/eval_int.h"

#include <math.h>
#include <string.h>

typedef MdStatus (*EvalSink)(void *ctx, const EvalNode *root, int64_t start, int32_t n,
                             MdError *err);

static MdStatus sink_numbers(void *ctx, const EvalNode *root, int64_t start, int32_t n,
                             MdError *err);

static void load_column(EvalNode *node, int64_t start, int32_t n)
{
    const Column *column = node->column;
    if (column->type == COLUMN_STRING) {
        const uint32_t *codes = column->codes + start;
        char *const *strings = column->pool->strings;
        for (int32_t i = 0; i < n; i++)
            node->str[i] = codes[i] == COLUMN_STRING_MISSING ? NULL : strings[codes[i]];
        return;
    }
    const double *values = column->numbers + start;
    if (column->n_user_missing == 0) {
        node->num = (double *)values;
        return;
    }
    double missing = column_missing_number();
    for (int32_t i = 0; i < n; i++) {
        double v = values[i];
        node->num[i] = column_number_is_user_missing(column, v) ? missing : v;
    }
}

static void run_block(EvalNode **order, int32_t n_order, EvalRun *run, int32_t n)
{
    for (int32_t k = 0; k < n_order; k++) {
        EvalNode *node = order[k];
        switch (node->kind) {
        case EVAL_COLUMN:
            load_column(node, run->start, n);
            break;
        case EVAL_ARRAY:
            node->num = node->array + run->start;
            break;
        case EVAL_OP:
            node->kernel(node, run, n);
            break;
        case EVAL_CONST:
            break;
        }
    }
}

/* Runs order[first..last) over every block and hands root's block to sink. With direct
 * (the root is an operator writing numbers), the root kernel writes straight into
 * direct[start..] and sink is skipped: number kernels only write finite values or the
 * canonical missing value. */
static MdStatus run_range(EvalProgram *program, int32_t first, int32_t last,
                          const EvalNode *root, EvalSink sink, void *ctx, MdError *err)
{
    EvalNode *direct_root = NULL;
    double *direct = NULL;
    if (sink == sink_numbers && root->kind == EVAL_OP && root->type == EVAL_NUMBER &&
        last > first && program->order[last - 1] == root) {
        direct_root = program->order[last - 1];
        direct = ctx;
    }
    int64_t n_rows = program->dataset->n_rows;
    EvalRun run = {0};
    run.strings = arena_new(64 * 1024);
    run.tmp = md_malloc(EVAL_TMP_MAX);
    MdStatus status = MD_OK;
    if (!run.strings || !run.tmp) {
        status = md_error_set(err, MD_ERR_MEMORY, "out of memory evaluating an expression");
        goto done;
    }
    for (int64_t start = 0; start < n_rows; start += EVAL_BLOCK) {
        int32_t n = (int32_t)(n_rows - start < EVAL_BLOCK ? n_rows - start : EVAL_BLOCK);
        run.start = start;
        arena_reset(run.strings);
        if (direct)
            direct_root->num = direct + start;
        if (last > first) /* a constant program has no nodes to run (order may be NULL) */
            run_block(program->order + first, last - first, &run, n);
        if (run.out_of_memory) {
            status = md_error_set(err, MD_ERR_MEMORY, "out of memory evaluating an "
                                  "expression");
            goto done;
        }
        if (!direct && (status = sink(ctx, root, start, n, err)) != MD_OK)
            goto done;
    }
done:
    if (direct)
        direct_root->num = direct_root->num_buf;
    arena_free(run.strings);
    md_free(run.tmp);
    return status;
}

static MdStatus sink_numbers(void *ctx, const EvalNode *root, int64_t start, int32_t n,
                             MdError *err)
{
    (void)err;
    double *out = (double *)ctx + start;
    double missing = column_missing_number();
    const double *num = root->num;
    for (int32_t i = 0; i < n; i++)
        out[i] = isfinite(num[i]) ? num[i] : missing;
    return MD_OK;
}

static MdStatus sink_strings(void *ctx, const EvalNode *root, int64_t start, int32_t n,
                             MdError *err)
{
    Column *out = ctx;
    uint32_t *codes = out->codes + start;
    for (int32_t i = 0; i < n; i++) {
        const char *s = root->str[i];
        if (!s) {
            codes[i] = COLUMN_STRING_MISSING;
            continue;
        }
        codes[i] = string_pool_intern(out->pool, s, strlen(s));
        if (codes[i] == COLUMN_STRING_MISSING)
            return md_error_set(err, MD_ERR_MEMORY, "out of memory storing strings");
    }
    return MD_OK;
}

static MdStatus sink_mask(void *ctx, const EvalNode *root, int64_t start, int32_t n,
                          MdError *err)
{
    (void)err;
    uint8_t *mask = (uint8_t *)ctx + start;
    const double *num = root->num;
    for (int32_t i = 0; i < n; i++)
        mask[i] = (uint8_t)(num[i] == num[i] && num[i] != 0);
    return MD_OK;
}

MdStatus eval_program_run(EvalProgram *program, Column *out, MdError *err)
{
    const EvalNode *root = program->root;
    if (root->type == EVAL_NUMBER) {
        if (out->type != COLUMN_NUMBER)
            return md_error_set(err, MD_ERR_INTERNAL, "result column has the wrong type");
        return run_range(program, 0, program->n_order, root, sink_numbers, out->numbers, err);
    }
    if (out->type != COLUMN_STRING)
        return md_error_set(err, MD_ERR_INTERNAL, "result column has the wrong type");
    return run_range(program, 0, program->n_order, root, sink_strings, out, err);
}

MdStatus eval_program_run_numbers(EvalProgram *program, double *out, MdError *err)
{
    if (program->root->type != EVAL_NUMBER)
        return md_error_set(err, MD_ERR_INTERNAL, "expression is not a number");
    return run_range(program, 0, program->n_order, program->root, sink_numbers, out, err);
}

MdStatus eval_program_run_arg(EvalProgram *program, EvalNode *node, int32_t arg, double *out,
                              MdError *err)
{
    EvalNode *root = node->args[arg];
    if (root->type != EVAL_NUMBER)
        return md_error_set(err, MD_ERR_INTERNAL, "argument is not a number");
    return run_range(program, node->order_mark, program->n_order, root, sink_numbers, out,
                     err);
}

/* A plain string variable: its codes and dictionary are copied, nothing is re-interned. */
static Column *copy_string_column(const Column *src, int64_t n_rows)
{
    Column *out = column_new_string("", n_rows);
    if (!out)
        return NULL;
    for (uint32_t i = 0; i < src->pool->n; i++) {
        const char *s = src->pool->strings[i];
        if (string_pool_intern(out->pool, s, strlen(s)) != i) {
            column_free(out);
            return NULL;
        }
    }
    memcpy(out->codes, src->codes, (size_t)n_rows * sizeof *out->codes);
    return out;
}

static Column *evaluate_program(EvalProgram *program, int64_t n_rows, MdError *err)
{
    const EvalNode *root = program->root;
    if (root->kind == EVAL_COLUMN && root->type == EVAL_STRING) {
        Column *copy = copy_string_column(root->column, n_rows);
        if (!copy)
            md_error_set(err, MD_ERR_MEMORY, "out of memory evaluating an expression");
        return copy;
    }
    Column *out = root->type == EVAL_NUMBER ? column_new_number_uninit("", n_rows)
                                            : column_new_string("", n_rows);
    if (!out) {
        md_error_set(err, MD_ERR_MEMORY, "out of memory evaluating an expression");
    } else if (eval_program_run(program, out, err) != MD_OK) {
        column_free(out);
        out = NULL;
    }
    return out;
}

Column *expr_evaluate(const Workspace *ws, const Dataset *dataset, const Expr *expr,
                      MdError *err)
{
    EvalProgram *program = eval_program_compile(ws, dataset, expr, err);
    if (!program)
        return NULL;
    Column *out = evaluate_program(program, dataset->n_rows, err);
    if (out)
        out->is_free_text = out->type == COLUMN_STRING && program->uses_free_text;
    eval_program_free(program);
    return out;
}

MdStatus expr_evaluate_condition(const Workspace *ws, const Dataset *dataset,
                                 const Expr *expr, uint8_t *mask, MdError *err)
{
    EvalProgram *program = eval_program_compile(ws, dataset, expr, err);
    if (!program)
        return err->status;
    MdStatus status;
    if (program->root->type != EVAL_NUMBER) {
        status = md_error_set(err, MD_ERR_TYPE, "an if condition must be a number or a "
                              "comparison, not a string");
        md_error_at(err, expr->line, expr->column);
        md_error_hint(err, "compare the string with a value, e.g. if kjonn == '1'");
    } else {
        status = run_range(program, 0, program->n_order, program->root, sink_mask, mask, err);
    }
    eval_program_free(program);
    return status;
}
