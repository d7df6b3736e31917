/*
 * names.c - the names of temporalities and value types as they appear in metadata JSON,
 * the catalogue and error messages. ORDER Temporality, ORDER ValueType.
 */
#include "store/store.h"

#include <string.h>

static const char *const temporality_names[] = {"FIXED", "STATUS", "ACCUMULATED", "EVENT"};
static const char *const value_type_names[] = {"LONG", "DOUBLE", "DATE", "STRING"};

const char *temporality_name(Temporality t)
{
    return (unsigned)t < MD_ARRAY_LEN(temporality_names) ? temporality_names[t] : "?";
}

bool temporality_parse(const char *name, Temporality *out)
{
    for (size_t i = 0; i < MD_ARRAY_LEN(temporality_names); i++) {
        if (strcmp(name, temporality_names[i]) == 0) {
            *out = (Temporality)i;
            return true;
        }
    }
    return false;
}

const char *value_type_name(ValueType t)
{
    return (unsigned)t < MD_ARRAY_LEN(value_type_names) ? value_type_names[t] : "?";
}

bool value_type_parse(const char *name, ValueType *out)
{
    for (size_t i = 0; i < MD_ARRAY_LEN(value_type_names); i++) {
        if (strcmp(name, value_type_names[i]) == 0) {
            *out = (ValueType)i;
            return true;
        }
    }
    return false;
}
