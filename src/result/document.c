/*
 * document.c - placeholder for the result document; the sdc/result work replaces it.
 */
#include "result/result.h"

bool released_is_sealed(const Released *value) { return value && value->seal != 0; }
