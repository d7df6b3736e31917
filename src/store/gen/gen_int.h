/*
 * gen_int.h - what the files of the synthetic register generator (src/store/gen) share:
 * the loaded catalogue, the municipality table, the life histories of the population
 * (columnar arrays, written to <store>/gen/histories.bin and mmap'd back), the child units
 * derived from persons (jobs, courses, vehicles, ...) and the row builder that turns a
 * derived variable into Spells.
 *
 * One coherent population: every variable is derived from the same histories, so the same
 * (seed, variable, unit, date) always gives the same value, whoever asks and in which order.
 */
#ifndef MDATA_STORE_GEN_GEN_INT_H
#define MDATA_STORE_GEN_GEN_INT_H

#include "store/store_int.h"

/* ==== Unit id spaces ===================================================================== */

/* Unit ids are the index of the unit plus a base per id space, so that the ids of one unit
 * type are sorted in the order the generator makes them. PERSON, FAMILIE and HUSHOLDNING
 * share the person space (a family number is the id of its oldest member). */
#define GEN_PERSON_BASE 100000000ULL
#define GEN_CHILD_BASE 1000000000ULL  /* child type k uses GEN_CHILD_BASE * (k + 2) */

/* ORDER GenChild: the unit types derived from persons, a few per person. */
typedef enum GenChild {
    GEN_CHILD_JOBB,
    GEN_CHILD_KURS,
    GEN_CHILD_KJORETOY,
    GEN_CHILD_MALEPUNKT,
    GEN_CHILD_ULYKKE,        /* TRAFIKKULYKKE: accidents, owned by the first person in it */
    GEN_CHILD_ULYKKE_PERSON, /* TRAFIKKULYKKE_PERSON */
    GEN_CHILD_SYKEHUS,       /* NPR_SYKEHUSOPPHOLD */
    GEN_CHILD_COUNT
} GenChild;

const char *gen_child_unit_type(GenChild child);
uint64_t gen_child_id(GenChild child, uint64_t index);

/* ==== The catalogue ====================================================================== */

typedef struct GenCatalog {
    Arena *arena;
    VariableInfo *vars;
    int64_t n_vars;
    /* Municipality codes of kommuner.json (sorted by code, then valid_from). */
    CodeEntry *kommuner;
    int64_t n_kommuner;
} GenCatalog;

/* Loads fdb-variables.json and kommuner.json into catalog (caller frees with
 * gen_catalog_free); catalog_path NULL loads only the municipalities. Status dates are
 * laid out over the validity period, never before
 * 1970; variables whose value is a municipality code get the kommuner.json code list. */
MdStatus gen_catalog_load(GenCatalog *catalog, const char *catalog_path,
                          const char *kommuner_path, MdError *err) MD_MUST_CHECK;
void gen_catalog_free(GenCatalog *catalog);
/* True for STRING variables whose value is a municipality code. */
bool gen_is_kommune_variable(const char *name, ValueType type, int64_t n_codes);
/* The first and last day a variable covers, clipped to 1970.. and defaulted. */
void gen_variable_window(const VariableInfo *info, int32_t *first, int32_t *last);

/* ==== Municipalities ===================================================================== */

/* The municipalities of 2024 with a size weight, and for every date the code valid then. */
typedef struct GenPlaces {
    int32_t n_now;             /* municipalities valid on 2024-01-01 */
    const char **now_codes;    /* borrowed from the catalogue */
    double *cum_weight;        /* cumulative weights of now_codes, last = 1 */
    int32_t n_eras;
    int32_t *era_start;        /* sorted first days of the eras (breakpoints) */
    int32_t *era_map;          /* [era * n_now * 4 + now * 4 + bucket] -> kommune index */
    const CodeEntry *kommuner; /* borrowed */
    int64_t n_kommuner;
    /* KOMMUNE units: distinct municipality codes as numbers, sorted, with the range of
     * first entry in kommuner (entries of one code are adjacent). */
    int64_t n_units;
    uint64_t *unit_ids;
    int32_t *unit_entry;
    Arena *arena;
} GenPlaces;

MdStatus gen_places_build(GenPlaces *places, const GenCatalog *catalog, MdError *err)
    MD_MUST_CHECK;
void gen_places_free(GenPlaces *places);
/* A municipality proper (not Svalbard, the shelf, unknown or invalid). */
bool gen_places_is_municipality(const CodeEntry *e);
bool gen_places_valid_at(const CodeEntry *e, int32_t date);
/* Relative size of a municipality (share of the population, about). */
double gen_places_weight(const char *title, const char *code);
/* Draws a 2024 municipality for u in [0,1). */
int32_t gen_places_draw(const GenPlaces *places, double u);
/* Index into kommuner of the code that the 2024 municipality `now` had at date. */
int32_t gen_places_code_at(const GenPlaces *places, int32_t now, uint32_t bucket, int32_t date);

/* ==== Life histories ===================================================================== */

/* Columnar person arrays; index i is person id GEN_PERSON_BASE + i, sorted by birth. */
typedef struct GenPersons {
    int64_t n;
    int32_t *birth;      /* days */
    int32_t *death;      /* days or DATE_OPEN */
    int32_t *arrival;    /* first day resident: birth, or immigration date */
    int32_t *emig;       /* emigration day or DATE_OPEN */
    int32_t *ret;        /* return after emigration, or DATE_OPEN */
    int32_t *mother;     /* person index or -1 */
    int32_t *father;
    int32_t *partner;    /* person index or -1 */
    int32_t *union_start;
    int32_t *union_end;  /* divorce, or DATE_OPEN; death of either also ends it */
    int32_t *move_date;  /* move from home to home2, DATE_OPEN if none */
    int32_t *edu_done;   /* date the highest education was completed */
    float *ability;      /* latent earnings factor, standard normal */
    uint16_t *home;      /* 2024 municipality index */
    uint16_t *home2;
    uint16_t *country;   /* index into the BEFOLKNING_FODELAND codes; 0 = Norway */
    uint8_t *sex;        /* 1 man, 2 woman */
    uint8_t *edu;        /* highest level 0..8 (first digit of NUS) */
    uint8_t *flags;      /* GEN_F_* */
    uint8_t *parity;     /* number of children born */
    uint32_t *child_first[GEN_CHILD_COUNT]; /* n + 1 prefix sums per child type */
} GenPersons;

#define GEN_F_IMMIGRANT 1u
#define GEN_F_MARRIED 2u     /* the union is a marriage, not cohabitation */
#define GEN_F_DISABLED 4u    /* leaves work early with disability benefit */
#define GEN_F_NOWORK 8u      /* never employed */
#define GEN_F_SELFEMP 16u    /* self-employed part of the career */

/* The memory behind a GenPersons: either owned arrays or one mmap'd file. */
typedef struct GenHistories {
    GenPersons p;
    uint64_t seed;
    double scale;
    void *map;
    size_t map_len;
    void *owned;         /* one md_malloc block when generated in memory */
} GenHistories;

/* Generates the population at scale with seed. Returns MD_OK and fills h. */
MdStatus gen_population_build(GenHistories *h, const GenPlaces *places,
                              const GenCatalog *catalog, double scale, uint64_t seed,
                              int threads, MdError *err) MD_MUST_CHECK;
/* Marriages, parents, children counts: second pass over the sorted persons. */
void gen_family_link(GenHistories *h, uint64_t seed);
/* Counts the child units of every person (prefix sums). */
void gen_children_count(GenHistories *h);
void gen_histories_free(GenHistories *h);
void gen_histories_unmap(void *map, size_t len);
/* Points the columns of p at block (when p is not NULL) and returns the block's size. */
size_t gen_persons_layout(GenPersons *p, char *block, int64_t n);
/* Writes the histories to dir/histories.bin; gen_histories_open maps it back. */
MdStatus gen_histories_write(const GenHistories *h, const char *path, MdError *err)
    MD_MUST_CHECK;
MdStatus gen_histories_open(GenHistories *h, const char *path, MdError *err) MD_MUST_CHECK;

/* ==== Person facts at a date (derived from histories) ================================== */

static inline uint64_t gen_person_id(int64_t i) { return GEN_PERSON_BASE + (uint64_t)i; }
/* Resident in Norway (born or arrived, not dead, not emigrated) at date. */
bool gen_resident_at(const GenPersons *p, int64_t i, int32_t date);
/* Alive and registered (resident or not) at date. */
bool gen_exists_at(const GenPersons *p, int64_t i, int32_t date);
/* Days resident within [from, to]. */
int32_t gen_resident_days(const GenPersons *p, int64_t i, int32_t from, int32_t to);
int32_t gen_age_at(const GenPersons *p, int64_t i, int32_t date);
/* 2024 municipality index of the residence at date. */
int32_t gen_home_at(const GenPersons *p, int64_t i, int32_t date);
/* Highest education level (0..8) attained at date. */
int32_t gen_edu_at(const GenPersons *p, int64_t i, int32_t date);
/* Union partner at date or -1; *married tells whether it is a marriage. */
int32_t gen_partner_at(const GenPersons *p, int64_t i, int32_t date, bool *married);
/* Family number at date (index of the oldest member of the family). */
int64_t gen_family_at(const GenPersons *p, int64_t i, int32_t date);

/* ==== Jobs and other child units ======================================================== */

typedef struct GenJob {
    int64_t person;
    int32_t start;
    int32_t stop;        /* DATE_OPEN when still running */
    float percent;       /* stillingsprosent */
    uint32_t employer;   /* establishment number */
    uint16_t occupation; /* index into the occupation list */
    uint16_t industry;
} GenJob;

/* Job j (0-based, j < count) of person i. */
void gen_job_get(const GenHistories *h, int64_t i, uint32_t j, GenJob *job);
/* Full-time equivalent months employed in year y (0..12). */
double gen_work_months(const GenHistories *h, int64_t i, int32_t year);
/* Yearly wage income (NOK) of person i in year y (0 when not working). */
int64_t gen_wage_income(const GenHistories *h, int64_t i, int32_t year);
/* Expected full-time monthly wage of a person in a year. */
double gen_monthly_wage(const GenHistories *h, int64_t i, int32_t year);
/* Owner person of child unit k of type c; sets *ordinal to its number within the owner. */
int64_t gen_child_owner(const GenHistories *h, GenChild c, uint64_t k, uint32_t *ordinal);
/* Life span [start, stop] of child unit (owner, ordinal). */
void gen_child_span(const GenHistories *h, GenChild c, int64_t owner, uint32_t ordinal,
                    int32_t *start, int32_t *stop);

/* ==== Deterministic draws ================================================================ */

/* A value in [0,1) from hash(seed, a, b, c). */
double gen_u01(uint64_t seed, uint64_t a, uint64_t b, uint64_t c);
uint64_t gen_hash4(uint64_t seed, uint64_t a, uint64_t b, uint64_t c);
/* Standard normal from hash. */
double gen_normal(uint64_t seed, uint64_t a, uint64_t b, uint64_t c);

/* ==== Rows ============================================================================== */

/* A growable set of rows that becomes a Spells with one owned block. */
typedef struct GenRows {
    ValueType type;
    int64_t n, cap;
    uint64_t *ids;
    int32_t *starts;
    int32_t *stops;
    int64_t *vals;       /* LONG values, DATE days, STRING dictionary index, DOUBLE bits */
} GenRows;

void gen_rows_init(GenRows *rows, ValueType type);
MdStatus gen_rows_push(GenRows *rows, uint64_t id, int32_t start, int32_t stop, int64_t v)
    MD_MUST_CHECK;
MdStatus gen_rows_push_double(GenRows *rows, uint64_t id, int32_t start, int32_t stop,
                              double v) MD_MUST_CHECK;
void gen_rows_free(GenRows *rows);
/* Moves the rows into out (dictionary copied in). rows is empty afterwards. */
MdStatus gen_rows_to_spells(GenRows *rows, const char *const *dictionary, uint32_t n_dict,
                            Spells *out, MdError *err) MD_MUST_CHECK;

/* ==== Derivation ======================================================================== */

/* Everything a derivation needs: the histories, the places and the seed. */
typedef struct GenState {
    GenHistories h;
    GenPlaces places;
    GenCatalog catalog;  /* for the kommune code list (places borrow from it) */
    bool has_catalog;
    int32_t *sibling;    /* a sibling (same mother) of each person, or -1; may be NULL */
} GenState;

/* Builds st->sibling from the mothers (one pass in birth order). */
MdStatus gen_siblings_build(GenState *st) MD_MUST_CHECK;

/* What a derivation knows about the variable it derives. */
typedef enum GenSpace { GEN_SPACE_PERSON, GEN_SPACE_CHILD, GEN_SPACE_KOMMUNE } GenSpace;

#define GEN_MAX_SPELLS 16

typedef struct GenSpell {
    int32_t start, stop;
    int64_t value;
} GenSpell;

typedef struct DeriveCtx DeriveCtx;
/* The value of unit u over [s0, s1] (a status date twice, an accumulation period, or
 * DATE_NONE for FIXED). Returns false when the unit has no value then. */
typedef bool (*GenValueFn)(const DeriveCtx *c, int64_t u, int32_t s0, int32_t s1, int64_t *v);
/* The spells of unit u (EVENT), in time order; returns how many (<= GEN_MAX_SPELLS). */
typedef int (*GenSpellsFn)(const DeriveCtx *c, int64_t u, GenSpell *out);

struct DeriveCtx {
    const GenState *st;
    const GenPersons *p;
    const VariableInfo *info;
    uint64_t salt;          /* hash of the variable name */
    uint64_t seed;
    GenSpace space;
    GenChild child;
    int32_t lo, hi;         /* the window the variable covers */
    bool monthly;           /* accumulation periods are months (else years) */
    const char *const *dict;
    uint32_t n_dict;
    int32_t n_real;         /* dictionary entries that are not missing codes */
    int32_t *real;          /* their indexes */
    int role;               /* which rule derives the value (derive_*.c) */
    bool kommune;           /* a STRING variable whose value is a municipality code */
    int hint;               /* kind of number for the long tail (derive_generic.c) */
    double zipf_total;      /* sum of the code weights of gen_code_draw */
    double presence;        /* share of the eligible units that have a value */
    GenValueFn value;
    GenSpellsFn spells;
};

/* Index of code in the dictionary valid at date (DATE_NONE: any), or -1. */
int64_t gen_code_index(const DeriveCtx *c, const char *code, int32_t date);
/* A code index drawn from u in [0,1), skewed towards the first codes. */
int64_t gen_code_draw(const DeriveCtx *c, double u);
/* The dictionary index of a person's municipality at date, or -1. */
int64_t gen_kommune_value(const DeriveCtx *c, int64_t person, int32_t date);
/* A number for the long tail, by the hints in the variable's name (ages, shares, counts,
 * years, amounts times level, YYYYMM(DD) formats). */
double gen_generic_number(const DeriveCtx *c, uint64_t key, int32_t date, double level);
int gen_generic_hint(const DeriveCtx *c);
/* Chooses the rule of a variable: fills role, value or spells. */
void gen_rule_person(DeriveCtx *c);
void gen_rule_units(DeriveCtx *c);
void gen_rule_generic(DeriveCtx *c);
/* Income components of a person in a year (NOK), see derive_income.c. */
bool gen_rule_income(DeriveCtx *c);

/* The accumulation periods of info that meet [from, to]: returns n and an owned array
 * (md_free) of n starts followed by n stops; -1 when out of memory. */
int64_t gen_periods(const VariableInfo *info, int32_t from, int32_t to, int32_t **slots);
/* True when `mdata gen` stores the variable as real parts at this scale. */
bool gen_is_stored(const char *name, double scale);

/* Derives the rows of one variable for a query (kind, from, to, population) into out. */
MdStatus gen_derive_query(const GenState *st, const VariableInfo *info, QueryKind kind,
                          int32_t from, int32_t to, const Population *population,
                          Spells *out, MdError *err) MD_MUST_CHECK;

/* The dictionary of a STRING variable: its code list, or the municipality codes. */
const char *const *gen_dictionary(const GenState *st, const VariableInfo *info,
                                  uint32_t *n_out, Arena *arena);

#endif /* MDATA_STORE_GEN_GEN_INT_H */
