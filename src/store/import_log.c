/*
 * import_log.c - the error log of an import, unit id mapping and the naming rules of the
 * microdata-tools input format (spec/datastore.md 1.1 and 3).
 *
 * The log keeps the first IMPORT_MAX_ERRORS messages of a dataset, as microdata-tools
 * reports a list of errors rather than only the first. Each message names the file, the
 * line and the rule; callers never pass unit ids or data values into it.
 *
 * Unit ids: the store holds uint64 ids while the input has strings. An id of only digits
 * below 2^48 keeps its number (the pseudonyms are RandomUInt48); anything else gets a keyed
 * 48-bit hash. A second hash of the text lets the rule checks find two different texts that
 * map to the same number (docs/import.md).
 */
#include "store/import_int.h"

#include <stdio.h>
#include <string.h>

/* ==== The error log ==================================================================== */

void import_log_init(ImportLog *log, const char *file)
{
    memset(log, 0, sizeof *log);
    snprintf(log->file, sizeof log->file, "%s", file ? file : "");
}

void import_log_file(ImportLog *log, const char *file)
{
    snprintf(log->file, sizeof log->file, "%s", file ? file : "");
}

void import_log_add(ImportLog *log, MdStatus status, int64_t line, const char *rule,
                    const char *fmt, ...)
{
    if (log->n_total == 0) {
        log->status = status;
        log->first_line = line;
        snprintf(log->first_file, sizeof log->first_file, "%s", log->file);
    }
    log->n_total++;
    if (log->n >= IMPORT_MAX_ERRORS)
        return;
    char message[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    char file[sizeof log->file];
    memcpy(file, log->file, sizeof file);
    char *item = log->items[log->n++];
    if (line > 0) {
        snprintf(item, IMPORT_ERROR_LEN, "%.60s line %lld: %.180s [rule %.48s]", file,
                 (long long)line, message, rule);
    } else {
        snprintf(item, IMPORT_ERROR_LEN, "%.60s: %.180s [rule %.48s]", file, message,
                 rule);
    }
}

bool import_log_full(const ImportLog *log)
{
    return log->n_total >= IMPORT_MAX_ERRORS;
}

bool import_log_failed(const ImportLog *log)
{
    return log->n_total > 0;
}

MdStatus import_log_to_error(const ImportLog *log, MdError *err)
{
    if (log->n_total == 0)
        return MD_OK;
    char message[MD_ERROR_MESSAGE_MAX];
    size_t used = 0;
    int shown = 0;
    for (int i = 0; i < log->n; i++) {
        size_t need = strlen(log->items[i]) + 2;
        /* keep room for the " (+N more errors)" tail */
        if (used + need + 32 >= sizeof message && shown > 0)
            break;
        int w = snprintf(message + used, sizeof message - used, "%s%s", shown ? "; " : "",
                         log->items[i]);
        if (w < 0)
            break;
        used += (size_t)w < sizeof message - used ? (size_t)w : sizeof message - used - 1;
        shown++;
    }
    if (log->n_total > shown && used < sizeof message) {
        snprintf(message + used, sizeof message - used, " (+%lld more error%s)",
                 (long long)(log->n_total - shown), log->n_total - shown == 1 ? "" : "s");
    }
    md_error_set(err, log->status, "%s", message);
    md_error_where(err, "%s", log->first_file);
    md_error_hint(err, "nothing was imported; fix the input and run mdata import again");
    return err->status;
}

MdStatus import_log_to_report(const ImportLog *log, StrBuf *report)
{
    if (!report)
        return MD_OK;
    for (int i = 0; i < log->n; i++) {
        if (strbuf_printf(report, "%s\n", log->items[i]) != MD_OK)
            return MD_ERR_MEMORY;
    }
    if (log->n_total > log->n) {
        if (strbuf_printf(report, "%s: %lld more errors not shown (stopped after %d)\n",
                          log->file, (long long)(log->n_total - log->n),
                          IMPORT_MAX_ERRORS) != MD_OK)
            return MD_ERR_MEMORY;
    }
    return MD_OK;
}

/* ==== Unit ids ========================================================================= */

/* Fixed keys: the mapping must be the same for every dataset and every store, so that
 * pointer variables join the ids of the unit type they point to. */
#define IMPORT_ID_KEY 0x6d64617461494431ULL    /* "mdataID1" */
#define IMPORT_CHECK_KEY 0x436865636b4b6579ULL /* "CheckKey" */

uint64_t import_unit_id(const char *text, size_t len, uint64_t *check)
{
    *check = md_hash_bytes(text, len, IMPORT_CHECK_KEY);
    const uint64_t limit = (uint64_t)1 << IMPORT_ID_BITS;
    uint64_t value = 0;
    bool is_number = len > 0 && len <= 20;
    for (size_t i = 0; is_number && i < len; i++) {
        if (text[i] < '0' || text[i] > '9')
            is_number = false;
        else
            value = value * 10 + (uint64_t)(text[i] - '0');
        if (value >= limit)
            is_number = false;
    }
    if (is_number)
        return value;
    return md_hash_bytes(text, len, IMPORT_ID_KEY) & (limit - 1);
}

/* ==== Names ============================================================================ */

/* The 24 unit types of microdata-tools and their central identifier variables (spec
 * section 3; components/unit_type_variables/<UNITTYPE>.json shortName). */
static const char *const unit_types[][2] = {
    {"PERSON", "PERSONID_1"},
    {"FAMILIE", "FAMILIE_ID"},
    {"HUSHOLDNING", "HUSHOLDNING_ID"},
    {"SOESKEN", "SOESKEN_ID"},
    {"FORETAK", "FORETAK_ID"},
    {"BEDRIFT", "BEDRIFT_ID"},
    {"VIRKSOMHET", "VIRKSOMHET_ID"},
    {"JOBB", "JOBBID_1"},
    {"KURS", "KURSID_1"},
    {"KJORETOY", "KJORETOY_ID"},
    {"KOMMUNE", "KOMMUNEID"},
    {"BK_HELSESTASJONSKONSULTASJON", "BK_HELSESTASJONSKONSULTASJONS_ID"},
    {"NPR_EPISODE", "NPR_EPISODE_ID"},
    {"NPR_SYKEHUSOPPHOLD", "NPR_SYKEHUSOPPHOLD_ID"},
    {"NPR_PROSEDYRE", "NPR_PROSEDYRE_ID"},
    {"HKDIR_STUDIESOKNAD", "HKDIR_STUDIESOKNAD_ID"},
    {"HKDIR_HYU_OPPMELDING", "HKDIR_HYU_OPPMELDING_ID"},
    {"SOSTIL", "SOSTIL_ID"},
    {"TRAFIKKULYKKE", "TRAFIKKULYKKE_ID"},
    {"TRAFIKKULYKKE_PERSON", "TRAFIKKULYKKE_PERSON_ID"},
    {"MALEPUNKT", "MALEPUNKT_ID"},
    {"KRG_KREFTTILFELLE", "KRG_TILFELLEID"},
    {"FENGSLINGER_TILGANG", "FENGSLINGER_TILGANG_ID"},
    {"BRUKSENHET", "BRUKSENHET_ID"},
};

const char *import_unit_id_name(const char *unit_type)
{
    for (size_t i = 0; i < MD_ARRAY_LEN(unit_types); i++) {
        if (strcmp(unit_types[i][0], unit_type) == 0)
            return unit_types[i][1];
    }
    return NULL;
}

bool import_dataset_name_valid(const char *name)
{
    if (!name || !(name[0] >= 'A' && name[0] <= 'Z'))
        return false;
    for (const char *p = name + 1; *p; p++) {
        bool ok = (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_';
        if (!ok)
            return false;
    }
    return true;
}
