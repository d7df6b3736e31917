/*
 * lang_int.h - what the files of src/lang share and no other module may include: the
 * lexer's output with byte spans, the line map from logical-line offsets back to script
 * lines and columns, binding values, the command-line parser entry and the limits.
 *
 * Pipeline inside lang: preprocess.c (physical lines -> logical lines, comments,
 * continuations, textblocks) -> script.c (let, for ... end) with bindings.c and rewrite.c
 * ($bindings, ++, binding functions in binding contexts) -> lexer.c ->
 * parser.c (Command) with expr_parser.c, terms.c, statitems.c, recode.c as typed views.
 * Everything lives in the caller's Arena; temporary heap buffers are freed before return.
 */
#ifndef MDATA_LANG_LANG_INT_H
#define MDATA_LANG_LANG_INT_H

#include "lang/lang.h"

/* ==== Limits (errors, never hangs) ===================================================== */

#define LANG_MAX_EXPR_DEPTH 200        /* nesting of parentheses and unary operators */
#define LANG_MAX_TOKENS 20000          /* tokens on one logical line */
#ifndef LANG_MAX_LOOP_ITERATIONS /* the fuzz build lowers it so inputs stay fast */
#define LANG_MAX_LOOP_ITERATIONS 10000 /* iterations of one for header */
#endif
#ifndef LANG_MAX_STATEMENTS /* the fuzz build lowers it so inputs stay fast */
#define LANG_MAX_STATEMENTS 100000     /* statements after loop expansion */
#endif
#ifndef LANG_MAX_EXPANDED_LINES /* the fuzz build lowers it so inputs stay fast */
#define LANG_MAX_EXPANDED_LINES 200000 /* lines processed, counting every loop iteration */
#endif
#ifndef LANG_MAX_EXPANDED_BYTES /* the fuzz build lowers it so inputs stay fast */
#define LANG_MAX_EXPANDED_BYTES (16u << 20) /* command text after loop expansion */
#endif
#define LANG_MAX_LOOP_DEPTH 32         /* for inside for */
#define LANG_MAX_BINDINGS 10000        /* live bindings */
#define LANG_MAX_VALUE_BYTES 4096      /* a binding's string or symbol */

/* ==== Line map ========================================================================= */

/* Maps a byte offset of a logical line (continuations joined) back to script line and
 * column. Segment k starts at offset[k] which is script line line[k], column column[k]. */
typedef struct LineMap {
    int32_t n;
    const int32_t *offset;
    const int32_t *line;
    const int32_t *column;
} LineMap;

/* Line and 1-based column (in characters) of byte offset pos of text. */
void linemap_position(const LineMap *map, const char *text, int32_t pos, int32_t *line,
                      int32_t *column);

/* ==== Logical lines (preprocess.c) ==================================================== */

typedef enum LineKind { LINE_COMMAND, LINE_TEXTBLOCK, LINE_ERROR } LineKind;
typedef struct LogicalLine {
    LineKind kind;
    const char *text;      /* LINE_COMMAND: continuations joined, comment cut; arena */
    const char *markdown;  /* LINE_TEXTBLOCK: the lines between textblock and endblock */
    const MdError *error;  /* LINE_ERROR: a block error, reported in script order */
    int32_t line;          /* first script line */
    LineMap map;
} LogicalLine;

/* Splits script text into logical lines (arena). Blank and comment lines are dropped. */
MdStatus preprocess_lines(Arena *arena, const char *text, size_t len, LogicalLine **lines,
                          int32_t *n_lines, MdError *err) MD_MUST_CHECK;

/* ==== Lexer ============================================================================ */

/* Tokens of one text, with the byte span [start, end) of each in that text. tokens[n] is a
 * TOKEN_END. `$name` is a TOKEN_NAME whose text starts with '$'. */
typedef struct Lexed {
    Token *tokens;
    int32_t *start;
    int32_t *end;
    int32_t n;
} Lexed;

/* Lexes text[from, len). map may be NULL (line 1, column = offset + 1). Arena. */
MdStatus lexer_run(Arena *arena, const char *text, int32_t from, int32_t len,
                   const LineMap *map, Lexed *out, MdError *err) MD_MUST_CHECK;
bool lexer_is_name_start(unsigned char c);
bool lexer_is_name_char(unsigned char c);
bool token_is_op(const Token *token, const char *op);
bool token_is_word(const Token *token, const char *word);
/* True when b starts right where a ends on the same line (no space between). */
bool token_adjacent(const Token *a, const Token *b);

/* ==== Errors =========================================================================== */

/* Sets a syntax-like error at a token's position, with a hint (hint may be NULL). */
MdStatus lang_error_at(MdError *err, MdStatus status, const Token *at, const char *hint,
                       const char *fmt, ...) MD_PRINTF(5, 6);
/* The hint for tok where a variable name belongs: for a string (often a binding made with
 * quotes, `let v = 'kjonn'`) how to write it as a name, else other. In buf or other. */
const char *lang_name_expected_hint(const Token *tok, const char *other, char *buf,
                                    size_t cap);
/* Human text for a token in messages: 'name', "string", end of line. Arena or static. */
const char *token_describe(const Token *token, char *buf, size_t cap);

/* ==== Binding values =================================================================== */

typedef enum BindKind { BIND_NUMBER, BIND_STRING, BIND_SYMBOL } BindKind;
typedef struct BindValue {
    BindKind kind;
    double number;
    const char *text;   /* BIND_STRING contents or BIND_SYMBOL name; arena */
} BindValue;

typedef struct Bindings Bindings;
Bindings *bindings_new(void);               /* returns owned: bindings_free */
void bindings_free(Bindings *b);
MdStatus bindings_set(Bindings *b, const char *name, BindValue value) MD_MUST_CHECK;
bool bindings_get(const Bindings *b, const char *name, BindValue *value);
int32_t bindings_mark(const Bindings *b);        /* for scopes: restore with pop */
void bindings_pop(Bindings *b, int32_t mark);
/* The binding store inside kept (lang_parse_script_kept parses with it). */
Bindings *lang_bindings_store(LangBindings *kept);
/* Makes the bindings pushed since mark permanent in kept: their texts are copied into
 * kept's arena and each replaces an older binding of the same name. On out-of-memory
 * drops them all (kept as before mark) and returns MD_ERR_MEMORY. */
MdStatus lang_bindings_keep(LangBindings *kept, int32_t mark) MD_MUST_CHECK;

/* Evaluates a binding expression (let right-hand side, for-list items) from tokens[0..n)
 * after $ substitution: numbers, strings, symbols, + - * / ^, ++, binding and math
 * functions. */
MdStatus bindexpr_eval(Arena *arena, const Bindings *b, const Token *tokens, int32_t n,
                       BindValue *out, MdError *err) MD_MUST_CHECK;
/* Renders a value as script text ('quoted' strings, dates unquoted). Arena. */
const char *bindvalue_render(Arena *arena, const BindValue *v);
/* Renders a value as plain text (no quotes). Arena. */
const char *bindvalue_text(Arena *arena, const BindValue *v);
/* Makes a token carrying the value at the position of at. */
Token bindvalue_token(Arena *arena, const BindValue *v, const Token *at);
/* True for the binding functions (date_fmt, to_int, to_str, to_symbol, bind). */
bool bindexpr_is_binding_function(const char *name);
/* True for the functions a binding expression may call (binding functions and math). */
bool bindexpr_function_usable(const char *name);
/* Tokens of the for-list item starting at t[0] (of n): a value, a negative number or a
 * call, joined by ++ to more of them. 0 if t[0] starts none. */
int32_t bindexpr_item_span(const Token *t, int32_t n);

/* Rewrites one command line: $name substitution, binding-function calls and ++ joins.
 * *out is the new text (or text itself when nothing changed) and *out_map its line map:
 * each continuation segment keeps its script line, shifted by the replacements before it
 * (columns after a replacement refer to the rewritten text). Arena. */
MdStatus bindings_rewrite_line(Arena *arena, const Bindings *b, const char *text,
                               const LineMap *map, const char **out, LineMap *out_map,
                               MdError *err) MD_MUST_CHECK;

/* The candidate the user most likely meant: the shortest one that starts with name (Stata
 * abbreviations: gen, reg, rob), else text_suggest with a stricter distance (about a third
 * of the name), so short typos do not suggest unrelated names. NULL when nothing is close. */
const char *lang_suggest(const char *name, const char *const *candidates, size_t n);

/* ==== Command parser =================================================================== */

/* Parses one logical line (after expansion) into a Command. Arena. */
MdStatus parser_parse_command(Arena *arena, const char *text, const LineMap *map,
                              Command *out, MdError *err) MD_MUST_CHECK;
/* Length of the command word at the start of text (letters, digits, _, -). */
int32_t parser_command_word(const char *text, int32_t from, int32_t len);
/* The command name nearest to name, preferring a command that starts with name. */
const char *commands_suggest(const char *name);

/* Validates an option list against spec; err names the option. */
MdStatus lang_check_options(const CommandSpec *spec, const Option *options, int32_t n,
                       MdError *err) MD_MUST_CHECK;
/* Validates the positional arguments of a parsed command against its grammar. */
MdStatus lang_check_command(Arena *arena, const Command *command, MdError *err) MD_MUST_CHECK;
/* Number of comma- or space-separated arguments inside an option's parentheses. */
int32_t lang_option_arg_count(const Option *option);

#endif /* MDATA_LANG_LANG_INT_H */
