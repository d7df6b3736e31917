/*
 * base.h - the public interface of the base module: errors, memory, arenas, growable
 * strings, string maps, dates, text parsing and a deterministic random generator.
 *
 * Everything else in mdata is built on this header. base knows nothing about data or
 * scripts. Ownership words used below: "borrows" (the callee keeps no reference), "takes"
 * (the callee frees it), "returns owned" (the caller frees it with the named function),
 * "arena" (lives as long as the arena passed in).
 */
#ifndef MDATA_BASE_BASE_H
#define MDATA_BASE_BASE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__) || defined(__clang__)
#define MD_MUST_CHECK __attribute__((warn_unused_result))
#define MD_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define MD_MUST_CHECK
#define MD_PRINTF(f, a)
#endif

/* ==== Assertions ======================================================================= */

void md_assert_fail(const char *expr, const char *file, int line);
#ifdef NDEBUG
#define MD_ASSERT(c) ((void)0)
#else
#define MD_ASSERT(c) ((c) ? (void)0 : md_assert_fail(#c, __FILE__, __LINE__))
#endif
/* "Cannot happen" branches that release builds must still survive (SQLite ALWAYS/NEVER). */
#define MD_ALWAYS(c) (c)
#define MD_NEVER(c) (c)
#define MD_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ==== Errors =========================================================================== */

/* One code per kind of failure. ORDER MdStatus: keep md_status_name() in step. */
typedef enum MdStatus {
    MD_OK = 0,
    MD_ERR_SYNTAX,          /* script or file does not follow the grammar */
    MD_ERR_NAME,            /* unknown or clashing name */
    MD_ERR_TYPE,            /* wrong value type */
    MD_ERR_VALUE,           /* value out of range or otherwise invalid */
    MD_ERR_LIMIT,           /* a configured limit was reached */
    MD_ERR_MEMORY,          /* out of memory */
    MD_ERR_IO,              /* file system or network */
    MD_ERR_DISCLOSURE,      /* refused by disclosure control */
    MD_ERR_NOT_IMPLEMENTED, /* a command or option that is not built yet */
    MD_ERR_INTERNAL         /* a bug: an invariant did not hold */
} MdStatus;

#define MD_ERROR_MESSAGE_MAX 512
#define MD_ERROR_HINT_MAX 256
#define MD_ERROR_WHERE_MAX 256

/* The error record. Fixed-size buffers, so reporting never allocates. The first error wins:
 * md_error_set on a record that already holds an error does nothing. Messages may name
 * variables, functions, rules and limits, never a data value or an unreleased count. */
typedef struct MdError {
    MdStatus status;
    int32_t line;   /* script line, 1-based; 0 when unknown */
    int32_t column; /* 1-based; 0 when unknown */
    char where[MD_ERROR_WHERE_MAX];   /* file name, command name or other context */
    char message[MD_ERROR_MESSAGE_MAX];
    char hint[MD_ERROR_HINT_MAX];     /* what to do about it, may be empty */
} MdError;

void md_error_clear(MdError *err);
/* Sets status and message unless err already holds an error; returns the status held. */
MdStatus md_error_set(MdError *err, MdStatus status, const char *fmt, ...) MD_PRINTF(3, 4);
MdStatus md_error_setv(MdError *err, MdStatus status, const char *fmt, va_list ap);
/* Adds a hint (overwrites an earlier hint). */
void md_error_hint(MdError *err, const char *fmt, ...) MD_PRINTF(2, 3);
/* Sets line and column when they are not set yet. */
void md_error_at(MdError *err, int32_t line, int32_t column);
/* Sets the context (file, command) when not set yet. */
void md_error_where(MdError *err, const char *fmt, ...) MD_PRINTF(2, 3);
const char *md_status_name(MdStatus status);
/* Writes "where:line:column: message (hint)" into buf. */
void md_error_format(const MdError *err, char *buf, size_t cap);

/* ==== Memory =========================================================================== */

/* All heap memory goes through these. They count bytes and calls, and tests can make the
 * Nth allocation fail. Sizes are overflow-checked. They return NULL on failure. */
void *md_malloc(size_t size);
void *md_calloc(size_t count, size_t size);
void *md_realloc(void *ptr, size_t size);
void *md_realloc_array(void *ptr, size_t count, size_t size);
void md_free(void *ptr);
char *md_strdup(const char *s);
char *md_strndup(const char *s, size_t len);
/* Multiplies with overflow check; false on overflow. */
bool md_size_mul(size_t a, size_t b, size_t *out);
/* Grows *items so that it holds at least need elements of elem_size bytes. */
MdStatus md_grow(void **items, size_t *cap, size_t need, size_t elem_size) MD_MUST_CHECK;
/* Test hooks: fail every allocation after n more have succeeded (n < 0 turns it off). */
void md_mem_fail_after(int64_t n);
int64_t md_mem_live_allocations(void);

/* ==== Arena ============================================================================ */

/* A bump allocator: many small allocations freed together. */
typedef struct Arena Arena;
Arena *arena_new(size_t block_size);              /* returns owned: arena_free */
void *arena_alloc(Arena *arena, size_t size);     /* 16-byte aligned, zeroed, NULL on OOM */
char *arena_strdup(Arena *arena, const char *s);
char *arena_strndup(Arena *arena, const char *s, size_t len);
char *arena_printf(Arena *arena, const char *fmt, ...) MD_PRINTF(2, 3);
void arena_reset(Arena *arena);
void arena_free(Arena *arena);
size_t arena_bytes_used(const Arena *arena);

/* ==== Growable string ================================================================== */

/* A byte buffer with a maximum size given at creation (curl's toobig). A failing append
 * frees the buffer and returns MD_ERR_LIMIT or MD_ERR_MEMORY. data is always
 * NUL-terminated when len > 0 or after the first append. */
typedef struct StrBuf {
    char *data;
    size_t len;
    size_t cap;
    size_t max;
} StrBuf;

void strbuf_init(StrBuf *sb, size_t max);
MdStatus strbuf_append(StrBuf *sb, const char *s, size_t len) MD_MUST_CHECK;
MdStatus strbuf_puts(StrBuf *sb, const char *s) MD_MUST_CHECK;
MdStatus strbuf_putc(StrBuf *sb, char c) MD_MUST_CHECK;
MdStatus strbuf_printf(StrBuf *sb, const char *fmt, ...) MD_PRINTF(2, 3) MD_MUST_CHECK;
void strbuf_reset(StrBuf *sb);
char *strbuf_take(StrBuf *sb); /* returns owned (md_free); sb is empty afterwards */
void strbuf_free(StrBuf *sb);

/* ==== String map ======================================================================= */

/* Open-addressing hash map from string keys (copied) to int64 values. Iteration by index
 * 0..strmap_count-1 follows insertion order, so output built from it is deterministic. */
typedef struct StrMap StrMap;
StrMap *strmap_new(void);                              /* returns owned: strmap_free */
void strmap_free(StrMap *map);
MdStatus strmap_put(StrMap *map, const char *key, int64_t value) MD_MUST_CHECK;
MdStatus strmap_put_len(StrMap *map, const char *key, size_t len, int64_t value) MD_MUST_CHECK;
bool strmap_get(const StrMap *map, const char *key, int64_t *value);
bool strmap_get_len(const StrMap *map, const char *key, size_t len, int64_t *value);
int64_t strmap_count(const StrMap *map);
const char *strmap_key_at(const StrMap *map, int64_t index);   /* insertion order */
int64_t strmap_value_at(const StrMap *map, int64_t index);

/* ==== Hashing and deterministic randomness ============================================ */

uint64_t md_hash_bytes(const void *data, size_t len, uint64_t seed);
uint64_t md_hash_u64(uint64_t x); /* a strong 64-bit mixer (splitmix64 finaliser) */

/* xoshiro256** seeded through splitmix64. Same seed, same sequence, on every machine. */
typedef struct Rng {
    uint64_t s[4];
} Rng;
void rng_seed(Rng *rng, uint64_t seed);
uint64_t rng_next(Rng *rng);
double rng_uniform(Rng *rng);                  /* [0, 1) */
int64_t rng_below(Rng *rng, int64_t n);        /* [0, n), n > 0, unbiased */
double rng_normal(Rng *rng);                   /* standard normal */

/* ==== Dates ============================================================================ */

/* Dates are int32_t days since 1970-01-01 (negative before). */
#define DATE_OPEN INT32_MAX /* an open stop: the spell is still running */
#define DATE_NONE INT32_MIN /* no date (the empty start of a FIXED row) */

int32_t date_from_ymd(int32_t year, int32_t month, int32_t day);
void date_to_ymd(int32_t days, int32_t *year, int32_t *month, int32_t *day);
bool date_ymd_valid(int32_t year, int32_t month, int32_t day);
int32_t date_days_in_month(int32_t year, int32_t month);
bool date_is_leap(int32_t year);
/* Parses exactly YYYY-MM-DD (len bytes, no surrounding space); false if invalid. */
bool date_parse_iso(const char *text, size_t len, int32_t *days);
/* Writes YYYY-MM-DD and a NUL into buf (at least 11 bytes); "open" for DATE_OPEN. */
void date_format_iso(int32_t days, char *buf);
int32_t date_year(int32_t days);

/* ==== Text ============================================================================= */

bool text_utf8_valid(const char *s, size_t len);
/* The number of UTF-8 code points of s (bytes that are not continuation bytes), which is
 * the column width of names like kjønn in text tables; 0 for NULL. */
size_t text_utf8_length(const char *s);
/* The spaces that pad s to width columns (in code points); 0 when s is as wide or wider.
 * For printf-style padding that counts characters: "%s%*s", s, text_pad(s, 28), "". */
int text_pad(const char *s, size_t width);
/* Strict conversions: the whole text must be the number (no space unless trim is true). */
bool text_parse_int64(const char *s, size_t len, bool trim, int64_t *out);
bool text_parse_double(const char *s, size_t len, bool trim, double *out);
/* Levenshtein distance on bytes, capped at cap (returns cap when larger). */
int32_t text_edit_distance(const char *a, const char *b, int32_t cap);
/* The candidate nearest to name (case-insensitive ASCII), or NULL if none is close. */
const char *text_suggest(const char *name, const char *const *candidates, size_t n);
/* Formats a double with up to `digits` significant digits, no trailing zeros. */
void text_format_significant(double value, int digits, char *buf, size_t cap);

#endif /* MDATA_BASE_BASE_H */
