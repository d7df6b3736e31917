/*
 * functions_labels.c - the label functions: label_to_code(var, "Label") gives the code of a
 * label; inlabels(var, "L1", ...) is 1 for rows whose code has one of the labels;
 * labelcontains(var, "text") is 1 for rows whose code's label contains the text.
 *
 * The labels come from the column's user label list (define-labels/assign-labels, found in
 * the Workspace by name) or else from the register code list of the variable it was
 * imported from (column->source, codes valid at column->source_date). The first argument
 * must be a variable. The code sets are worked out once at compile time: a per-code table
 * for string columns, a value list for number columns. Missing rows give missing.
 */
#include "engine/eval_int.h"

#include <math.h>
#include <string.h>

#define EVAL_NAN ((double)NAN)

typedef struct LabelSource {
    const LabelList *list;
    const VariableInfo *info;
    int32_t date;
    int32_t n;
} LabelSource;

static const LabelList *find_list(const Workspace *ws, const char *name)
{
    if (!ws || !name)
        return NULL;
    for (int32_t i = 0; i < ws->n_label_lists; i++) {
        if (strcmp(ws->label_lists[i]->name, name) == 0)
            return ws->label_lists[i];
    }
    return NULL;
}

static MdStatus label_source(EvalProgram *program, EvalNode *node, LabelSource *src,
                             MdError *err)
{
    const char *fn = node->expr->text;
    const Column *column = node->args[0]->kind == EVAL_COLUMN ? node->args[0]->column : NULL;
    if (!column) {
        eval_error(node, err, MD_ERR_TYPE, "the first argument of %s() must be a variable", fn);
        md_error_hint(err, "e.g. %s(kjonn, 'Mann')", fn);
        return err->status;
    }
    memset(src, 0, sizeof *src);
    src->list = find_list(program->ws, column->label_list);
    if (src->list) {
        src->n = src->list->n;
        return MD_OK;
    }
    if (column->source && column->source->n_codes > 0) {
        src->info = column->source;
        src->date = column->source_date;
        src->n = (int32_t)column->source->n_codes;
        return MD_OK;
    }
    eval_error(node, err, MD_ERR_VALUE, "%s has no labels for %s()", column->name, fn);
    md_error_hint(err, "attach labels with define-labels and assign-labels first");
    return err->status;
}

/* The code and label of entry i, false when the entry is not valid at the source date. */
static bool label_entry(const LabelSource *src, int32_t i, const char **code,
                        const char **label)
{
    if (src->list) {
        *code = src->list->codes[i];
        *label = src->list->labels[i];
        return true;
    }
    const CodeEntry *e = &src->info->codes[i];
    if (src->date != DATE_NONE && (e->valid_from > src->date || e->valid_until < src->date))
        return false;
    *code = e->code;
    *label = e->label;
    return true;
}

static const char *label_arg(const EvalNode *node, int32_t i, MdError *err)
{
    const EvalNode *arg = node->args[i];
    if (arg->kind != EVAL_CONST || arg->type != EVAL_STRING) {
        eval_error(node, err, MD_ERR_TYPE, "argument %d of %s() must be a quoted label",
                   i + 1, node->expr->text);
        md_error_hint(err, "write the label text in quotes, e.g. %s(%s, \"Mann\")",
                      node->expr->text, node->args[0]->column ? node->args[0]->column->name
                                                              : "var");
        return NULL;
    }
    return arg->text;
}

static MdStatus unknown_label(EvalNode *node, const char *label, MdError *err)
{
    eval_error(node, err, MD_ERR_VALUE, "%s has no label \"%s\" (in %s())",
               node->args[0]->column->name, label, node->expr->text);
    md_error_hint(err, "see the labels with list-labels; labels must match exactly");
    return err->status;
}

/* Marks the code for a string column (table) or a number column (values). */
static MdStatus mark_code(EvalProgram *program, EvalNode *node, const char *code)
{
    const Column *column = node->args[0]->column;
    if (column->type == COLUMN_STRING) {
        int64_t index;
        if (strmap_get(column->pool->index, code, &index))
            node->table[index] = 1;
        return MD_OK;
    }
    double value;
    if (!text_parse_double(code, strlen(code), true, &value))
        return MD_OK; /* a code that is not a number never matches a number column */
    double *values = arena_alloc(program->arena, (size_t)(node->n_values + 1) * sizeof *values);
    if (!values)
        return MD_ERR_MEMORY;
    if (node->n_values)
        memcpy(values, node->values, (size_t)node->n_values * sizeof *values);
    values[node->n_values++] = value;
    node->values = values;
    return MD_OK;
}

static void kernel_codeset(EvalNode *node, EvalRun *run, int32_t n)
{
    const Column *column = node->args[0]->column;
    if (column->type == COLUMN_STRING) {
        const uint32_t *codes = column->codes + run->start;
        for (int32_t i = 0; i < n; i++)
            node->num[i] = codes[i] == COLUMN_STRING_MISSING ? EVAL_NAN : node->table[codes[i]];
        return;
    }
    const double *x = node->args[0]->num;
    for (int32_t i = 0; i < n; i++) {
        bool found = false;
        for (int32_t k = 0; k < node->n_values && !found; k++)
            found = x[i] == node->values[k];
        node->num[i] = isnan(x[i]) ? EVAL_NAN : found;
    }
}

static MdStatus codeset_begin(EvalProgram *program, EvalNode *node, LabelSource *src,
                              MdError *err)
{
    if (label_source(program, node, src, err) != MD_OK)
        return err->status;
    const Column *column = node->args[0]->column;
    node->kernel = kernel_codeset;
    if (column->type == COLUMN_STRING) {
        node->table_size = column->pool->n;
        node->table = arena_alloc(program->arena, (size_t)column->pool->n + 1);
        if (!node->table)
            return md_error_set(err, MD_ERR_MEMORY, "out of memory compiling labels");
    }
    return MD_OK;
}

static MdStatus prepare_inlabels(EvalProgram *program, EvalNode *node, MdError *err)
{
    LabelSource src;
    if (codeset_begin(program, node, &src, err) != MD_OK)
        return err->status;
    for (int32_t a = 1; a < node->n_args; a++) {
        const char *want = label_arg(node, a, err);
        if (!want)
            return err->status;
        bool found = false;
        for (int32_t i = 0; i < src.n; i++) {
            const char *code, *label;
            if (!label_entry(&src, i, &code, &label) || strcmp(label, want) != 0)
                continue;
            found = true;
            if (mark_code(program, node, code) != MD_OK)
                return md_error_set(err, MD_ERR_MEMORY, "out of memory compiling labels");
        }
        if (!found)
            return unknown_label(node, want, err);
    }
    return MD_OK;
}

static MdStatus prepare_labelcontains(EvalProgram *program, EvalNode *node, MdError *err)
{
    LabelSource src;
    if (codeset_begin(program, node, &src, err) != MD_OK)
        return err->status;
    const char *want = label_arg(node, 1, err);
    if (!want)
        return err->status;
    for (int32_t i = 0; i < src.n; i++) {
        const char *code, *label;
        if (!label_entry(&src, i, &code, &label) || !strstr(label, want))
            continue;
        if (mark_code(program, node, code) != MD_OK)
            return md_error_set(err, MD_ERR_MEMORY, "out of memory compiling labels");
    }
    return MD_OK;
}

/* label_to_code is a constant: the code (a string for string variables, a number for
 * number variables) of the first entry with exactly that label. */
static MdStatus prepare_label_to_code(EvalProgram *program, EvalNode *node, MdError *err)
{
    LabelSource src;
    if (label_source(program, node, &src, err) != MD_OK)
        return err->status;
    const char *want = label_arg(node, 1, err);
    if (!want)
        return err->status;
    for (int32_t i = 0; i < src.n; i++) {
        const char *code, *label;
        if (!label_entry(&src, i, &code, &label) || strcmp(label, want) != 0)
            continue;
        node->kind = EVAL_CONST;
        if (node->args[0]->column->type == COLUMN_STRING) {
            node->type = EVAL_STRING;
            node->text = arena_strdup(program->arena, code);
            return node->text ? MD_OK : md_error_set(err, MD_ERR_MEMORY, "out of memory");
        }
        node->type = EVAL_NUMBER;
        if (!text_parse_double(code, strlen(code), true, &node->param[0]))
            node->param[0] = column_missing_number();
        return MD_OK;
    }
    return unknown_label(node, want, err);
}

const EvalFunction eval_functions_labels[] = {
    {"label_to_code", 2, 2, "as", EVAL_STRING, NULL, NULL, prepare_label_to_code, false,
     true},
    {"inlabels", 2, -1, "as", EVAL_NUMBER, NULL, kernel_codeset, prepare_inlabels, false,
     true},
    {"labelcontains", 2, 2, "as", EVAL_NUMBER, NULL, kernel_codeset, prepare_labelcontains,
     false, true},
    {NULL, 0, 0, NULL, EVAL_NUMBER, NULL, NULL, NULL, false, false},
};
