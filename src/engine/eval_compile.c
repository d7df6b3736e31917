/*
 * eval_compile.c - turns an Expr tree into an EvalProgram once per command: resolves
 * variable names to columns (refusing pointer columns), checks types (numbers vs strings),
 * binds operators and functions to kernels, and folds constant subtrees.
 *
 * Every error names the variable or function, the position in the script and what to do.
 * Errors never mention a data value: compilation looks at names, types and literals only.
 */
#include "engine/eval_int.h"

#include <gsl/gsl_errno.h>
#include <math.h>
#include <string.h>

void eval_kernel_add(EvalNode *node, EvalRun *run, int32_t n);
void eval_kernel_sub(EvalNode *node, EvalRun *run, int32_t n);
void eval_kernel_mul(EvalNode *node, EvalRun *run, int32_t n);
void eval_kernel_div(EvalNode *node, EvalRun *run, int32_t n);
void eval_kernel_pow(EvalNode *node, EvalRun *run, int32_t n);
void eval_kernel_neg(EvalNode *node, EvalRun *run, int32_t n);
void eval_kernel_not(EvalNode *node, EvalRun *run, int32_t n);
void eval_kernel_and(EvalNode *node, EvalRun *run, int32_t n);
void eval_kernel_or(EvalNode *node, EvalRun *run, int32_t n);
EvalKernel eval_kernel_compare(ExprOp op, EvalType type);
void eval_kernel_code_table(EvalNode *node, EvalRun *run, int32_t n);

static EvalNode *compile_expr(EvalProgram *program, const Expr *expr, MdError *err);

MdStatus eval_error(const EvalNode *node, MdError *err, MdStatus status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    md_error_setv(err, status, fmt, ap);
    va_end(ap);
    if (node && node->expr)
        md_error_at(err, node->expr->line, node->expr->column);
    return err->status;
}

const char *eval_node_variable(const EvalNode *node)
{
    if (node->kind == EVAL_COLUMN && node->column)
        return node->column->name;
    return NULL;
}

static const char *type_name(EvalType type)
{
    return type == EVAL_NUMBER ? "a number" : "a string";
}

static EvalNode *node_new(EvalProgram *program, const Expr *expr, EvalNodeKind kind,
                          MdError *err)
{
    EvalNode *node = arena_alloc(program->arena, sizeof *node);
    if (!node) {
        md_error_set(err, MD_ERR_MEMORY, "out of memory compiling an expression");
        return NULL;
    }
    node->kind = kind;
    node->expr = expr;
    return node;
}

/* Allocates the block buffers the node's kind and type need and fills constants. */
static MdStatus node_buffers(EvalProgram *program, EvalNode *node, MdError *err)
{
    bool own = node->kind == EVAL_OP || node->kind == EVAL_CONST ||
               (node->kind == EVAL_COLUMN && (node->type == EVAL_STRING ||
                                              node->column->n_user_missing > 0));
    if (own && node->type == EVAL_NUMBER && !node->num_buf)
        node->num_buf = arena_alloc(program->arena, EVAL_BLOCK * sizeof(double));
    if (own && node->type == EVAL_STRING && !node->str_buf)
        node->str_buf = arena_alloc(program->arena, EVAL_BLOCK * sizeof(char *));
    if (own && !node->num_buf && !node->str_buf)
        return eval_error(node, err, MD_ERR_MEMORY, "out of memory compiling an expression");
    node->num = node->num_buf;
    node->str = node->str_buf;
    if (node->kind != EVAL_CONST)
        return MD_OK;
    for (int32_t i = 0; i < EVAL_BLOCK; i++) {
        if (node->type == EVAL_NUMBER)
            node->num_buf[i] = node->param[0];
        else
            node->str_buf[i] = node->text;
    }
    return MD_OK;
}

static MdStatus order_push(EvalProgram *program, EvalNode *node, MdError *err)
{
    if (md_grow((void **)&program->order, &program->cap_order, (size_t)program->n_order + 1,
                sizeof *program->order) != MD_OK)
        return md_error_set(err, MD_ERR_MEMORY, "out of memory compiling an expression");
    program->order[program->n_order++] = node;
    return MD_OK;
}

static EvalNode *const_number(EvalProgram *program, const Expr *expr, double value,
                              MdError *err)
{
    EvalNode *node = node_new(program, expr, EVAL_CONST, err);
    if (!node)
        return NULL;
    node->type = EVAL_NUMBER;
    node->param[0] = isfinite(value) ? value : column_missing_number();
    return node_buffers(program, node, err) == MD_OK ? node : NULL;
}

static EvalNode *const_string(EvalProgram *program, const Expr *expr, MdError *err)
{
    EvalNode *node = node_new(program, expr, EVAL_CONST, err);
    if (!node)
        return NULL;
    node->type = EVAL_STRING;
    node->text = arena_strdup(program->arena, expr->text ? expr->text : "");
    if (!node->text) {
        md_error_set(err, MD_ERR_MEMORY, "out of memory compiling an expression");
        return NULL;
    }
    return node_buffers(program, node, err) == MD_OK ? node : NULL;
}

static void unknown_variable(EvalProgram *program, const Expr *expr, MdError *err)
{
    const Dataset *ds = program->dataset;
    md_error_set(err, MD_ERR_NAME, "unknown variable %s in dataset %s", expr->text,
                 ds->name);
    md_error_at(err, expr->line, expr->column);
    const char **names = arena_alloc(program->arena,
                                     (size_t)(ds->n_columns + 1) * sizeof *names);
    const char *near = NULL;
    if (names) {
        for (int32_t i = 0; i < ds->n_columns; i++)
            names[i] = ds->columns[i]->name;
        near = text_suggest(expr->text, names, (size_t)ds->n_columns);
    }
    if (near)
        md_error_hint(err, "did you mean %s?", near);
    else
        md_error_hint(err, "list the variables of the dataset with `variables`");
}

static EvalNode *compile_name(EvalProgram *program, const Expr *expr, MdError *err)
{
    const Column *column = dataset_column(program->dataset, expr->text);
    if (!column) {
        unknown_variable(program, expr, err);
        return NULL;
    }
    if (column->pointer_to) {
        md_error_set(err, MD_ERR_TYPE,
                     "%s holds %s identifiers and cannot be used in an expression",
                     column->name, column->pointer_to);
        md_error_at(err, expr->line, expr->column);
        md_error_hint(err, "use it as a key: merge ... on %s, or collapse ..., by(%s)",
                      column->name, column->name);
        return NULL;
    }
    EvalNode *node = node_new(program, expr, EVAL_COLUMN, err);
    if (!node)
        return NULL;
    program->uses_free_text = program->uses_free_text || column->is_free_text;
    node->column = column;
    node->type = column->type == COLUMN_STRING ? EVAL_STRING : EVAL_NUMBER;
    if (node_buffers(program, node, err) != MD_OK || order_push(program, node, err) != MD_OK)
        return NULL;
    return node;
}

/* Runs a node whose arguments are all constant once and turns it into a constant. */
static MdStatus fold_node(EvalProgram *program, EvalNode *node, MdError *err)
{
    EvalRun run = {.start = 0, .strings = program->arena, .out_of_memory = false};
    run.tmp = arena_alloc(program->arena, EVAL_TMP_MAX);
    if (!run.tmp)
        return eval_error(node, err, MD_ERR_MEMORY, "out of memory compiling an expression");
    node->kernel(node, &run, 1);
    if (run.out_of_memory)
        return eval_error(node, err, MD_ERR_MEMORY, "out of memory compiling an expression");
    node->kind = EVAL_CONST;
    if (node->type == EVAL_NUMBER)
        node->param[0] = isfinite(node->num[0]) ? node->num[0] : column_missing_number();
    else
        node->text = node->str[0];
    return node_buffers(program, node, err);
}

/* Pushes the node for per-block evaluation, or folds it when every argument is constant. */
static EvalNode *finish_op(EvalProgram *program, EvalNode *node, bool foldable,
                           MdError *err)
{
    if (node_buffers(program, node, err) != MD_OK)
        return NULL;
    bool all_const = true;
    for (int32_t i = 0; i < node->n_args; i++)
        all_const = all_const && node->args[i]->kind == EVAL_CONST;
    if (foldable && all_const)
        return fold_node(program, node, err) == MD_OK ? node : NULL;
    return order_push(program, node, err) == MD_OK ? node : NULL;
}

static EvalNode **alloc_args(EvalProgram *program, int32_t n, MdError *err)
{
    EvalNode **args = arena_alloc(program->arena, (size_t)(n > 0 ? n : 1) * sizeof *args);
    if (!args)
        md_error_set(err, MD_ERR_MEMORY, "out of memory compiling an expression");
    return args;
}

static EvalNode *compile_unary(EvalProgram *program, const Expr *expr, MdError *err)
{
    EvalNode *node = node_new(program, expr, EVAL_OP, err);
    if (!node || !(node->args = alloc_args(program, 1, err)))
        return NULL;
    node->n_args = 1;
    if (!(node->args[0] = compile_expr(program, expr->args[0], err)))
        return NULL;
    if (node->args[0]->type != EVAL_NUMBER) {
        const char *var = eval_node_variable(node->args[0]);
        eval_error(node, err, MD_ERR_TYPE, "operator %s needs a number, not %s%s%s",
                   lang_op_name(expr->op), var ? "the string variable " : "a string",
                   var ? var : "", "");
        md_error_hint(err, "convert strings to numbers with destring");
        return NULL;
    }
    node->type = EVAL_NUMBER;
    node->kernel = expr->op == OP_NEG ? eval_kernel_neg : eval_kernel_not;
    return finish_op(program, node, true, err);
}

static bool op_is_comparison(ExprOp op)
{
    return op == OP_EQ || op == OP_NE || op == OP_LT || op == OP_LE || op == OP_GT ||
           op == OP_GE;
}

static MdStatus mixed_type_error(EvalNode *node, MdError *err)
{
    const Expr *expr = node->expr;
    EvalNode *a = node->args[0];
    EvalNode *b = node->args[1];
    const EvalNode *s = a->type == EVAL_STRING ? a : b;
    const char *var = eval_node_variable(s);
    if (op_is_comparison(expr->op)) {
        if (var)
            eval_error(node, err, MD_ERR_TYPE,
                       "cannot compare the string variable %s with a number (operator %s)",
                       var, lang_op_name(expr->op));
        else
            eval_error(node, err, MD_ERR_TYPE, "cannot compare a string with a number "
                       "(operator %s)", lang_op_name(expr->op));
        if (s->expr && s->expr->kind == EXPR_CALL && strcmp(s->expr->text, "date_fmt") == 0)
            md_error_hint(err, "date_fmt() gives the text 'YYYY-MM-DD'; for a day number "
                          "write date(y, m, d)");
        else
            md_error_hint(err, "write the code in quotes ('1'), or convert %s with destring",
                          var ? var : "the variable");
        return err->status;
    }
    eval_error(node, err, MD_ERR_TYPE, "operator %s needs numbers on both sides, not %s%s",
               lang_op_name(expr->op), var ? "the string variable " : "a string",
               var ? var : "");
    md_error_hint(err, "convert strings with destring; join strings with rowconcat()");
    return err->status;
}

static EvalKernel arithmetic_kernel(ExprOp op)
{
    switch (op) {
    case OP_ADD: return eval_kernel_add;
    case OP_SUB: return eval_kernel_sub;
    case OP_MUL: return eval_kernel_mul;
    case OP_DIV: return eval_kernel_div;
    case OP_POW: return eval_kernel_pow;
    case OP_AND: return eval_kernel_and;
    case OP_OR: return eval_kernel_or;
    default: return NULL;
    }
}

static bool compare_holds(ExprOp op, int cmp)
{
    switch (op) {
    case OP_EQ: return cmp == 0;
    case OP_NE: return cmp != 0;
    case OP_LT: return cmp < 0;
    case OP_LE: return cmp <= 0;
    case OP_GT: return cmp > 0;
    default: return cmp >= 0;
    }
}

/* A string column compared with a constant (kjonn == '1'): the answer for every code of
 * the column's dictionary is worked out once, and the kernel looks codes up. The column
 * node is then not needed per block (order is cut back to mark). */
static MdStatus compile_code_compare(EvalProgram *program, EvalNode *node, int32_t mark,
                                     MdError *err)
{
    EvalNode *a = node->args[0];
    EvalNode *b = node->args[1];
    bool left = a->kind == EVAL_COLUMN && b->kind == EVAL_CONST;
    bool right = b->kind == EVAL_COLUMN && a->kind == EVAL_CONST;
    if (a->type != EVAL_STRING || (!left && !right))
        return MD_OK;
    const Column *column = left ? a->column : b->column;
    const char *constant = left ? b->text : a->text;
    const StringPool *pool = column->pool;
    node->table = arena_alloc(program->arena, (size_t)pool->n + 1);
    if (!node->table)
        return md_error_set(err, MD_ERR_MEMORY, "out of memory compiling an expression");
    for (uint32_t code = 0; code < pool->n; code++) {
        int cmp = strcmp(pool->strings[code], constant);
        node->table[code] = compare_holds(node->expr->op, left ? cmp : -cmp);
    }
    node->table_size = pool->n;
    node->column = column;
    node->kernel = eval_kernel_code_table;
    program->n_order = mark;
    return MD_OK;
}

static EvalNode *compile_binary(EvalProgram *program, const Expr *expr, MdError *err)
{
    EvalNode *node = node_new(program, expr, EVAL_OP, err);
    if (!node || !(node->args = alloc_args(program, 2, err)))
        return NULL;
    node->n_args = 2;
    bool compare = op_is_comparison(expr->op);
    if (compare && (expr->args[0]->kind == EXPR_MISSING || expr->args[1]->kind == EXPR_MISSING)) {
        eval_error(node, err, MD_ERR_VALUE, "comparisons with . (missing) are not allowed");
        md_error_hint(err, "test for missing values with sysmiss(x), or sysmiss(x) == 0");
        return NULL;
    }
    int32_t mark = program->n_order;
    for (int32_t i = 0; i < 2; i++) {
        if (!(node->args[i] = compile_expr(program, expr->args[i], err)))
            return NULL;
    }
    EvalType ta = node->args[0]->type;
    EvalType tb = node->args[1]->type;
    node->type = EVAL_NUMBER;
    if (compare && ta == tb) {
        node->kernel = eval_kernel_compare(expr->op, ta);
        if (compile_code_compare(program, node, mark, err) != MD_OK)
            return NULL;
    } else if (!compare && ta == EVAL_NUMBER && tb == EVAL_NUMBER) {
        node->kernel = arithmetic_kernel(expr->op);
    } else {
        mixed_type_error(node, err);
        return NULL;
    }
    if (!node->kernel) {
        eval_error(node, err, MD_ERR_INTERNAL, "unknown operator in an expression");
        return NULL;
    }
    return finish_op(program, node, true, err);
}

static char signature_letter(const char *sig, int32_t i)
{
    size_t len = strlen(sig);
    if (len == 0)
        return 'a';
    return (size_t)i < len ? sig[i] : sig[len - 1];
}

static MdStatus check_call_args(EvalNode *node, const EvalFunction *fn, MdError *err)
{
    const char *name = node->expr->text;
    int32_t n = node->n_args;
    if (n > EVAL_MAX_ARGS) {
        eval_error(node, err, MD_ERR_LIMIT, "%s() has %d arguments; at most %d are allowed",
                   name, n, EVAL_MAX_ARGS);
        md_error_hint(err, "split the expression, e.g. rowtotal(a, b) + rowtotal(c, d)");
        return err->status;
    }
    if (n < fn->min_args || (fn->max_args >= 0 && n > fn->max_args)) {
        if (fn->max_args == fn->min_args)
            eval_error(node, err, MD_ERR_SYNTAX, "%s() takes %d argument%s, not %d", name,
                       fn->min_args, fn->min_args == 1 ? "" : "s", n);
        else if (fn->max_args < 0)
            eval_error(node, err, MD_ERR_SYNTAX, "%s() takes at least %d arguments, not %d",
                       name, fn->min_args, n);
        else
            eval_error(node, err, MD_ERR_SYNTAX, "%s() takes %d to %d arguments, not %d",
                       name, fn->min_args, fn->max_args, n);
        return err->status;
    }
    for (int32_t i = 0; i < n; i++) {
        char want = signature_letter(fn->args, i);
        EvalType have = node->args[i]->type;
        if (want == 'a' || (want == 'n') == (have == EVAL_NUMBER))
            continue;
        const char *var = eval_node_variable(node->args[i]);
        eval_error(node, err, MD_ERR_TYPE, "argument %d of %s() must be %s, not %s%s%s",
                   i + 1, name, want == 'n' ? "a number" : "a string",
                   var ? "the variable " : type_name(have), var ? var : "",
                   var ? (have == EVAL_NUMBER ? " (a number)" : " (a string)") : "");
        if (want == 'n')
            md_error_hint(err, "convert strings to numbers with destring or to_int()");
        else
            md_error_hint(err, "convert numbers to strings with string()");
        return err->status;
    }
    return MD_OK;
}

static EvalNode *compile_call(EvalProgram *program, const Expr *expr, MdError *err)
{
    const EvalFunction *fn = eval_function_find(expr->text);
    if (!fn) {
        md_error_set(err, MD_ERR_NAME, "unknown function %s()", expr->text);
        md_error_at(err, expr->line, expr->column);
        const char *near = eval_function_suggest(expr->text);
        if (near)
            md_error_hint(err, "did you mean %s()?", near);
        else
            md_error_hint(err, "see `help functions` for the list");
        return NULL;
    }
    EvalNode *node = node_new(program, expr, EVAL_OP, err);
    if (!node || !(node->args = alloc_args(program, expr->n_args, err)))
        return NULL;
    node->n_args = expr->n_args;
    int32_t mark = program->n_order;
    for (int32_t i = 0; i < node->n_args; i++) {
        if (!(node->args[i] = compile_expr(program, expr->args[i], err)))
            return NULL;
    }
    if (check_call_args(node, fn, err) != MD_OK)
        return NULL;
    node->type = fn->result;
    node->kernel = fn->kernel ? fn->kernel : eval_kernel_scalar;
    node->scalar = fn->scalar;
    node->missing_in = fn->missing_in;
    node->order_mark = mark;
    node->scratch = arena_alloc(program->arena, (size_t)(node->n_args + 1) * sizeof(double));
    if (!node->scratch) {
        md_error_set(err, MD_ERR_MEMORY, "out of memory compiling an expression");
        return NULL;
    }
    if (fn->prepare && fn->prepare(program, node, err) != MD_OK) {
        md_error_at(err, expr->line, expr->column);
        return NULL;
    }
    if (node->kind == EVAL_CONST) {
        program->n_order = mark; /* the arguments are not needed at run time */
        return node_buffers(program, node, err) == MD_OK ? node : NULL;
    }
    if (node->kind == EVAL_COLUMN || node->kind == EVAL_ARRAY) {
        program->n_order = mark; /* the arguments were consumed by prepare */
        if (node_buffers(program, node, err) != MD_OK)
            return NULL;
        return order_push(program, node, err) == MD_OK ? node : NULL;
    }
    return finish_op(program, node, !fn->no_fold, err);
}

static EvalNode *compile_expr(EvalProgram *program, const Expr *expr, MdError *err)
{
    if (!expr) {
        md_error_set(err, MD_ERR_INTERNAL, "empty expression");
        return NULL;
    }
    switch (expr->kind) {
    case EXPR_NUMBER: return const_number(program, expr, expr->number, err);
    case EXPR_STRING: return const_string(program, expr, err);
    case EXPR_MISSING: return const_number(program, expr, column_missing_number(), err);
    case EXPR_NAME: return compile_name(program, expr, err);
    case EXPR_UNARY: return compile_unary(program, expr, err);
    case EXPR_BINARY: return compile_binary(program, expr, err);
    case EXPR_CALL: return compile_call(program, expr, err);
    }
    md_error_set(err, MD_ERR_INTERNAL, "unknown expression kind");
    return NULL;
}

EvalProgram *eval_program_compile(const Workspace *ws, const Dataset *dataset,
                                  const Expr *expr, MdError *err)
{
    EvalProgram *program = md_calloc(1, sizeof *program);
    if (!program || !(program->arena = arena_new(64 * 1024))) {
        md_free(program);
        md_error_set(err, MD_ERR_MEMORY, "out of memory compiling an expression");
        return NULL;
    }
    gsl_set_error_handler_off(); /* GSL answers NaN instead of aborting */
    program->ws = ws;
    program->dataset = dataset;
    program->root = compile_expr(program, expr, err);
    if (!program->root) {
        if (err->status == MD_OK)
            md_error_set(err, MD_ERR_INTERNAL, "expression did not compile");
        eval_program_free(program);
        return NULL;
    }
    return program;
}

void eval_program_free(EvalProgram *program)
{
    if (!program)
        return;
    for (int32_t i = 0; i < program->n_arrays; i++)
        md_free(program->arrays[i]);
    md_free(program->arrays);
    md_free(program->order);
    arena_free(program->arena);
    md_free(program);
}

double *eval_program_array(EvalProgram *program, int64_t n_rows)
{
    size_t bytes;
    if (!md_size_mul(n_rows > 0 ? (size_t)n_rows : 1, sizeof(double), &bytes))
        return NULL;
    if (md_grow((void **)&program->arrays, &program->cap_arrays,
                (size_t)program->n_arrays + 1, sizeof *program->arrays) != MD_OK)
        return NULL;
    double *array = md_malloc(bytes);
    if (array)
        program->arrays[program->n_arrays++] = array;
    return array;
}

/* ==== The function registry ============================================================ */

static const EvalFunction *const *function_tables(size_t *n)
{
    static const EvalFunction *const tables[] = {
        eval_functions_math, eval_functions_dates, eval_functions_dist,
        eval_functions_row, eval_functions_strings, eval_functions_logic,
        eval_functions_labels, eval_functions_binding,
    };
    *n = MD_ARRAY_LEN(tables);
    return tables;
}

const EvalFunction *eval_function_find(const char *name)
{
    size_t n;
    const EvalFunction *const *tables = function_tables(&n);
    for (size_t t = 0; t < n; t++) {
        for (const EvalFunction *fn = tables[t]; fn->name; fn++) {
            if (strcmp(fn->name, name) == 0)
                return fn;
        }
    }
    return NULL;
}

const char *eval_function_suggest(const char *name)
{
    size_t n;
    const EvalFunction *const *tables = function_tables(&n);
    const char *names[256];
    size_t count = 0;
    for (size_t t = 0; t < n; t++) {
        for (const EvalFunction *fn = tables[t]; fn->name && count < MD_ARRAY_LEN(names); fn++)
            names[count++] = fn->name;
    }
    return text_suggest(name, names, count);
}
