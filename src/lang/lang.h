/*
 * lang.h - the public interface of the language module: preprocessor, lexer, parser, the
 * command table and the expression AST.
 *
 * lang touches no data. It turns script text into a Script: a list of Commands, each with
 * its command-table entry, positional argument tokens, an optional `= expr` (generate,
 * replace), an optional `if` expression and options. Everything a Script holds lives in
 * the Arena passed to lang_parse_script ("arena" ownership).
 */
#ifndef MDATA_LANG_LANG_H
#define MDATA_LANG_LANG_H

#include "base/base.h"

/* ==== Tokens =========================================================================== */

typedef enum TokenKind {
    TOKEN_END,
    TOKEN_NAME,     /* identifier, UTF-8 letters/digits/_/@ (kjønn, START@x, date@panel) */
    TOKEN_NUMBER,   /* 12, 3.5, .5 */
    TOKEN_STRING,   /* 'a' or "a"; text holds the unquoted contents */
    TOKEN_DATE,     /* 2024-01-01 (anywhere; an expression uses its day number) */
    TOKEN_PATH,     /* alias/VARIABLE (made in positional arguments only) */
    TOKEN_DOT,      /* a lone '.' (the missing value) */
    TOKEN_OP        /* punctuation: = == != < <= > >= + ++ - * / ^ & | ! ( ) , -> # ## : ; */
} TokenKind;

typedef struct Token {
    TokenKind kind;
    const char *text; /* NUL-terminated, arena */
    double number;    /* TOKEN_NUMBER */
    int32_t date;     /* TOKEN_DATE, days since 1970-01-01 */
    int32_t line;
    int32_t column;
} Token;

/* ==== Expressions ====================================================================== */

typedef enum ExprKind {
    EXPR_NUMBER,
    EXPR_STRING,
    EXPR_MISSING, /* . */
    EXPR_NAME,    /* a variable */
    EXPR_UNARY,
    EXPR_BINARY,
    EXPR_CALL
} ExprKind;

/* ORDER ExprOp */
typedef enum ExprOp {
    OP_NONE,
    OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_POW,
    OP_NEG, OP_NOT,
    OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE,
    OP_AND, OP_OR
} ExprOp;

typedef struct Expr {
    ExprKind kind;
    ExprOp op;             /* EXPR_UNARY, EXPR_BINARY */
    double number;         /* EXPR_NUMBER */
    const char *text;      /* EXPR_STRING contents, EXPR_NAME name, EXPR_CALL function */
    struct Expr **args;    /* EXPR_UNARY: 1, EXPR_BINARY: 2, EXPR_CALL: n_args */
    int32_t n_args;
    int32_t line;
    int32_t column;
} Expr;

/* Parses one expression from tokens[0..n); everything must be consumed. */
Expr *lang_parse_expr(Arena *arena, const Token *tokens, int32_t n, MdError *err);
/* Parses expression text (used by tests and the fuzzers). */
Expr *lang_parse_expr_text(Arena *arena, const char *text, MdError *err);
const char *lang_op_name(ExprOp op); /* "+", "==", ... */

/* ==== The function table =============================================================== */

typedef struct FunctionSpec {
    const char *name;
    int32_t min_args;
    int32_t max_args;  /* -1: variadic */
    const char *signature; /* "substr(s, pos, len)" */
    const char *summary;   /* one line of help */
} FunctionSpec;

const FunctionSpec *lang_function_find(const char *name);
int32_t lang_function_count(void);
const FunctionSpec *lang_function_at(int32_t index);

/* ==== The command table ================================================================ */

typedef enum CommandGroup {
    GROUP_DATASETS, GROUP_PREPARATION, GROUP_BINDINGS, GROUP_STATISTICS, GROUP_ANALYSIS,
    GROUP_REGRESSION, GROUP_SURVIVAL, GROUP_CHARTS, GROUP_SUPPORT
} CommandGroup;

/* The shapes of argument lists. The parser checks the shape; the handler interprets. */
typedef enum Grammar {
    GRAMMAR_NONE,        /* no arguments */
    GRAMMAR_WORDS,       /* any positional tokens (names, paths, dates, numbers) */
    GRAMMAR_ASSIGN,      /* name = expr (generate, replace) */
    GRAMMAR_VARLIST,     /* variable names, factor notation allowed (i.x, c.x, a#b, a##b) */
    GRAMMAR_STATLIST,    /* (stat) var [-> new] ... (collapse, aggregate, barchart) */
    GRAMMAR_RECODE,      /* varlist (rule) (rule) ... */
    GRAMMAR_LABELS,      /* name code label code label ... */
    GRAMMAR_TEXT         /* free text (textblock lines, help topics) */
} Grammar;

typedef struct OptionSpec {
    const char *name;
    int32_t min_args; /* 0: bare option allowed */
    int32_t max_args; /* -1: any number */
} OptionSpec;

typedef struct CommandSpec {
    const char *name;          /* "import-event" */
    CommandGroup group;
    Grammar grammar;
    bool allows_if;
    const OptionSpec *options; /* terminated by {NULL} */
    const char *syntax;        /* one-line usage for help and errors */
    const char *summary;       /* one line of help */
} CommandSpec;

const CommandSpec *lang_command_find(const char *name);
int32_t lang_command_count(void);
const CommandSpec *lang_command_at(int32_t index);
const char *lang_command_suggest(const char *name);  /* nearest command name or NULL */

/* ==== Commands and scripts ============================================================= */

typedef struct Option {
    const char *name;
    bool has_parens;       /* opt() vs opt */
    Token *tokens;         /* everything between the parentheses */
    int32_t n_tokens;
    int32_t line;
    int32_t column;
} Option;

typedef struct Command {
    const CommandSpec *spec;
    const char *text;      /* the command line after preprocessing */
    int32_t line;          /* first script line of the command, 1-based */
    int32_t column;
    Token *args;           /* positional tokens before `if`, `=` and the option comma */
    int32_t n_args;
    Expr *value;           /* GRAMMAR_ASSIGN: the expression after '=' */
    Expr *condition;       /* the `if` expression or NULL */
    Option *options;
    int32_t n_options;
} Command;

/* A line of output that is not a command: a textblock (Markdown) kept in script order. */
typedef enum StatementKind { STATEMENT_COMMAND, STATEMENT_TEXTBLOCK } StatementKind;

typedef struct Statement {
    StatementKind kind;
    Command command;       /* STATEMENT_COMMAND */
    const char *markdown;  /* STATEMENT_TEXTBLOCK */
    int32_t line;
} Statement;

typedef struct Script {
    Statement *statements;
    int32_t n_statements;
} Script;

/* Preprocesses and parses a whole script: continuations, comments, textblocks, let/for
 * expansion with $bindings and ++, then each command. Stops at the first error (err names
 * line, column, what is wrong and how to fix it). Returns NULL on error. */
Script *lang_parse_script(Arena *arena, const char *text, size_t len, MdError *err);

/* Bindings kept from one script to the next: `mdata repl` (like the browser's command
 * window) runs each input as a script of its own, and a `let` on one input must still hold
 * on the later ones. Owns copies of the values. */
typedef struct LangBindings LangBindings;
LangBindings *lang_bindings_new(void);           /* returns owned: lang_bindings_free */
void lang_bindings_free(LangBindings *kept);
/* lang_parse_script starting with the bindings in kept. When the parse succeeds, the
 * top-level bindings the text made (its `let`s; loop variables end with their loop) join
 * kept, each replacing a kept one of the same name. A failed parse leaves kept as it was. */
Script *lang_parse_script_kept(Arena *arena, LangBindings *kept, const char *text, size_t len,
                               MdError *err);

/* Like lang_parse_script but collects every problem instead of stopping at the first:
 * errs receives up to max_errors records; returns the number found. */
int32_t lang_check_script(Arena *arena, const char *text, size_t len, MdError *errs,
                          int32_t max_errors);

/* Finds an option by name; NULL if the command does not have it. */
const Option *command_option(const Command *command, const char *name);

/* ==== Typed views of argument lists (used by the engine's handlers) ===================== */

/* A model or variable-list term: x, i.x, c.x, a#b, a##b. */
typedef enum TermKind { TERM_VARIABLE, TERM_FACTOR, TERM_CONTINUOUS, TERM_INTERACTION,
                        TERM_FULL_INTERACTION } TermKind;
typedef struct Term {
    TermKind kind;
    const char *name;        /* TERM_VARIABLE/FACTOR/CONTINUOUS */
    struct Term *left;       /* interactions */
    struct Term *right;
} Term;
/* Parses tokens as a variable list with factor notation. */
Term *lang_parse_terms(Arena *arena, const Token *tokens, int32_t n, int32_t *n_terms,
                       MdError *err);

/* (stat) var [-> new] groups of collapse/aggregate/barchart. */
typedef struct StatItem {
    const char *stat;        /* "mean", "sum", ... (carried over from the last (stat)) */
    const char *source;
    const char *target;      /* after ->, or NULL */
} StatItem;
StatItem *lang_parse_stat_items(Arena *arena, const Token *tokens, int32_t n,
                                int32_t *n_items, MdError *err);

/* recode rules: (lhs... = rhs [label] [missing]) */
typedef enum RecodeMatchKind { MATCH_VALUE, MATCH_RANGE, MATCH_MISSING, MATCH_NONMISSING,
                               MATCH_ANY } RecodeMatchKind;
typedef struct RecodeMatch {
    RecodeMatchKind kind;
    Token value;             /* MATCH_VALUE: number or string */
    Token low, high;         /* MATCH_RANGE: numbers or names "min"/"max" */
} RecodeMatch;
typedef struct RecodeRule {
    RecodeMatch *matches;
    int32_t n_matches;
    Token result;            /* number, string, or TOKEN_DOT for missing */
    const char *label;       /* or NULL */
    bool result_is_missing;  /* the trailing `missing` flag */
    int32_t line;
    int32_t column;
} RecodeRule;
typedef struct RecodeSpec {
    const char **variables;
    int32_t n_variables;
    RecodeRule *rules;
    int32_t n_rules;
} RecodeSpec;
RecodeSpec *lang_parse_recode(Arena *arena, const Token *tokens, int32_t n, MdError *err);

/* ivregress and ivregress-predict: y exog... (endog... = instruments...) [exog...].
 * Exogenous regressors may stand before and after the group; all take factor notation. */
typedef struct IvSpec {
    const char *depvar;
    Term *exog;
    int32_t n_exog;
    Term *endog;
    int32_t n_endog;
    Term *instruments;
    int32_t n_instruments;
} IvSpec;
IvSpec *lang_parse_iv(Arena *arena, const Token *tokens, int32_t n, MdError *err);

#endif /* MDATA_LANG_LANG_H */
