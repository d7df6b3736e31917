/*
 * eval_int.h - what the expression evaluator's files share: the compiled program (a tree of
 * typed nodes, each with a block-sized output buffer), the function table format and the
 * kernel signature. Only src/engine/eval*.c and src/engine/functions_*.c include it.
 *
 * An Expr is compiled once (eval_compile.c): names are resolved to columns, types are
 * checked (number vs string), functions are bound to kernels, constant subtrees are folded.
 * The program then runs over blocks of EVAL_BLOCK rows (eval_run.c): every node computes its
 * whole block with one loop, reading its children's block buffers. Nothing is allocated per
 * row; strings made by functions live in an arena reset at every block.
 */
#ifndef MDATA_ENGINE_EVAL_INT_H
#define MDATA_ENGINE_EVAL_INT_H

#include "engine/engine_int.h"

#define EVAL_BLOCK 512
#define EVAL_MAX_ARGS 64  /* more function arguments than this is an error */

typedef enum EvalType { EVAL_NUMBER, EVAL_STRING } EvalType;

typedef enum EvalNodeKind {
    EVAL_CONST,   /* value fixed at compile time (buffers filled once) */
    EVAL_COLUMN,  /* a dataset column, read in place when possible */
    EVAL_ARRAY,   /* a whole-dataset array computed before the block loop (quantile) */
    EVAL_OP       /* an operator or function, computed by its kernel per block */
} EvalNodeKind;

typedef struct EvalNode EvalNode;
typedef struct EvalRun EvalRun;

/* Computes node's block (rows run->start .. run->start + n) from its children's blocks. */
typedef void (*EvalKernel)(EvalNode *node, EvalRun *run, int32_t n);
/* A scalar numeric function over n non-missing arguments; NaN or inf means missing. */
typedef double (*EvalScalar)(const double *args, int32_t n);

struct EvalNode {
    EvalNodeKind kind;
    EvalType type;
    const Column *column;     /* EVAL_COLUMN */
    double *array;            /* EVAL_ARRAY: n_rows values (owned by the program) */
    EvalNode **args;
    int32_t n_args;
    EvalKernel kernel;        /* EVAL_OP */
    EvalScalar scalar;        /* EVAL_OP with the generic numeric kernel */
    bool missing_in;          /* scalar sees missing arguments (row functions) */
    double param[4];          /* constants a kernel needs */
    const char *text;         /* a constant string a kernel needs */
    uint8_t *table;           /* per-code lookup (string columns), program arena */
    uint32_t table_size;
    double *values;           /* value sets (inlabels on number columns), program arena */
    int32_t n_values;
    double *scratch;          /* per-row argument vector of n_args doubles */
    double *num;              /* this block's numbers (own buffer or a view of a column) */
    const char **str;         /* this block's strings, NULL = missing */
    double *num_buf;
    const char **str_buf;
    const Expr *expr;         /* for error positions */
    int32_t order_mark;       /* EVAL_OP calls: program->n_order before the arguments */
};

struct EvalRun {
    int64_t start;            /* first row of the block */
    Arena *strings;           /* strings made by kernels during this block */
    bool out_of_memory;
    char *tmp;                /* EVAL_TMP_MAX bytes of scratch for string kernels */
};

#define EVAL_TMP_MAX 4096

typedef struct EvalProgram {
    const Workspace *ws;
    const Dataset *dataset;
    Arena *arena;             /* nodes, buffers, tables, folded strings */
    EvalNode *root;
    EvalNode **order;         /* non-constant nodes in evaluation (post) order */
    int32_t n_order;
    size_t cap_order;
    bool uses_free_text;      /* a free-text column is read: a string result is free text */
    double **arrays;          /* EVAL_ARRAY storage, md_malloc'd */
    int32_t n_arrays;
    size_t cap_arrays;
} EvalProgram;

/* ==== Compiling and running (eval_compile.c, eval_run.c) =============================== */

/* Compiles expr against dataset. Returns owned (eval_program_free) or NULL with err set. */
EvalProgram *eval_program_compile(const Workspace *ws, const Dataset *dataset,
                                  const Expr *expr, MdError *err);
void eval_program_free(EvalProgram *program);
/* Runs the program over rows [0, n_rows) and writes the root's values into out (a column
 * of the root's type with n_rows rows, made by the caller). */
MdStatus eval_program_run(EvalProgram *program, Column *out, MdError *err) MD_MUST_CHECK;
/* Runs the program into a full array of doubles (root must be a number). */
MdStatus eval_program_run_numbers(EvalProgram *program, double *out, MdError *err)
    MD_MUST_CHECK;
/* Allocates an array of n_rows doubles the program owns (EVAL_ARRAY nodes). */
double *eval_program_array(EvalProgram *program, int64_t n_rows);
/* Runs the subtree of node (an EVAL_OP call being prepared: its argument nodes are
 * program->order[node->order_mark ..]) over every row and writes argument arg's numbers
 * into out (n_rows doubles). Used by whole-column functions such as quantile. */
MdStatus eval_program_run_arg(EvalProgram *program, EvalNode *node, int32_t arg, double *out,
                              MdError *err) MD_MUST_CHECK;

/* ==== Building blocks for function files =============================================== */

/* Kernels of operators (eval_ops.c). */
void eval_kernel_scalar(EvalNode *node, EvalRun *run, int32_t n);
/* Copies a string into the run's block arena; sets run->out_of_memory on failure. */
const char *eval_run_string(EvalRun *run, const char *s, size_t len);
/* The name of a node when it is a plain variable reference, else NULL. */
const char *eval_node_variable(const EvalNode *node);

/* Compile-time hook of a function: checks argument types beyond the signature, binds the
 * kernel and precomputes tables. Sets node->type, node->kernel (or node->scalar). */
typedef MdStatus (*EvalPrepare)(EvalProgram *program, EvalNode *node, MdError *err);

typedef struct EvalFunction {
    const char *name;
    int32_t min_args;
    int32_t max_args;     /* -1: any number */
    const char *args;     /* one letter per argument: n number, s string, a any; the last
                           * letter repeats for further arguments */
    EvalType result;
    EvalScalar scalar;    /* numeric functions: the generic kernel calls it per row */
    EvalKernel kernel;    /* or a kernel of its own */
    EvalPrepare prepare;  /* optional compile hook */
    bool missing_in;      /* scalar gets missing arguments too (row functions) */
    bool no_fold;         /* never constant-fold (whole-column functions) */
} EvalFunction;

/* The tables of the function files, each terminated by {NULL}. */
extern const EvalFunction eval_functions_math[];
extern const EvalFunction eval_functions_dates[];
extern const EvalFunction eval_functions_dist[];
extern const EvalFunction eval_functions_row[];
extern const EvalFunction eval_functions_strings[];
extern const EvalFunction eval_functions_logic[];
extern const EvalFunction eval_functions_labels[];
extern const EvalFunction eval_functions_binding[];

/* Finds a function by name in every table; NULL if unknown. */
const EvalFunction *eval_function_find(const char *name);
/* The nearest known function name (for "did you mean"), or NULL. */
const char *eval_function_suggest(const char *name);

/* Sets a positioned compile error for node. */
MdStatus eval_error(const EvalNode *node, MdError *err, MdStatus status, const char *fmt,
                    ...) MD_PRINTF(4, 5);

/* The distribution functions' series for non-central families (functions_noncentral.c),
 * exposed for tests. NaN when not computable. */
double eval_nchi2_cdf(double x, double df, double lambda);
double eval_nchi2_pdf(double x, double df, double lambda);
double eval_nchi2_tail(double x, double df, double lambda);
double eval_nf_tail(double x, double df1, double df2, double lambda);
double eval_nf_cdf(double x, double df1, double df2, double lambda);
double eval_nf_pdf(double x, double df1, double df2, double lambda);
double eval_nt_cdf(double x, double df, double delta);
double eval_nt_pdf(double x, double df, double delta);
/* Solves cdf(x) = p for x in [lo, hi] by bisection (cdf increasing). */
double eval_solve_increasing(double (*cdf)(double x, const double *params),
                             const double *params, double p, double lo, double hi);

#endif /* MDATA_ENGINE_EVAL_INT_H */
