/*
 * gate.c - the Sdc object: creation from options (settings checked, p-table chosen, keys
 * derived from the datastore secret), the secret file, and the keyed hashes of spec 4.1:
 * the per-unit key rk(u) and the cell key.
 *
 * Keys: 16-byte keys are derived from the 32-byte secret with keyed BLAKE2b
 * (crypto_generichash): the SipHash-2-4 key of rk(u) is bound to the data version ("mdata
 * unit key v1" NUL data_version); the SipHash key of cell keys (secret2) and the auditor's
 * salt are not, so the auditor recognises the same persons across data versions and
 * datasets (attack C9). All inputs are
 * serialised little-endian, so keys are the same on every machine (test H1).
 */
#include "sdc/sdc_int.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

static void derive_key(const uint8_t secret[32], const char *label, const char *extra,
                       uint8_t out[16])
{
    crypto_generichash_state st;
    crypto_generichash_init(&st, secret, 32, 16);
    crypto_generichash_update(&st, (const unsigned char *)label, strlen(label) + 1);
    if (extra)
        crypto_generichash_update(&st, (const unsigned char *)extra, strlen(extra));
    crypto_generichash_final(&st, out, 16);
}

static void store_le64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t load_le64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

Sdc *sdc_new(const SdcOptions *options, MdError *err)
{
    if (sodium_init() < 0) {
        md_error_set(err, MD_ERR_INTERNAL, "the cryptography library did not start");
        return NULL;
    }
    if (sdc_config_validate(&options->config, err) != MD_OK)
        return NULL;
    Sdc *sdc = md_calloc(1, sizeof *sdc);
    if (!sdc) {
        md_error_set(err, MD_ERR_MEMORY, "out of memory creating disclosure control");
        return NULL;
    }
    sdc->config = options->config;
    sdc->trusted = options->trusted;
    const char *version = options->data_version ? options->data_version : "";
    derive_key(options->secret, "mdata unit key v1", version, sdc->unit_subkey);
    derive_key(options->secret, "mdata cell key v1", NULL, sdc->cell_subkey);
    derive_key(options->secret, "mdata audit key v1", NULL, sdc->audit_subkey);
    sdc->audit_salt = load_le64(sdc->audit_subkey);
    const SdcConfig *c = &sdc->config;
    if (c->noise_max == 2 && c->noise_variance == 1.0) {
        sdc_ptable_default(&sdc->ptable);
    } else if (sdc_ptable_build(&sdc->ptable, c->noise_max, c->noise_variance, err) != MD_OK) {
        sdc_free(sdc);
        return NULL;
    }
    if (sdc_audit_open(sdc, options->audit_path, options->user, err) != MD_OK) {
        sdc_free(sdc);
        return NULL;
    }
    return sdc;
}

void sdc_free(Sdc *sdc)
{
    if (!sdc)
        return;
    sdc_audit_close(sdc);
    sodium_memzero(sdc, sizeof *sdc);
    md_free(sdc);
}

bool sdc_is_trusted(const Sdc *sdc) { return sdc && sdc->trusted; }

const SdcConfig *sdc_config(const Sdc *sdc) { return &sdc->config; }

MdStatus sdc_read_secret(const char *path, uint8_t secret[32], MdError *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        md_error_set(err, MD_ERR_IO, "cannot open the datastore secret %s: %s", path,
                     strerror(errno));
        return MD_ERR_IO;
    }
    uint8_t buf[33];
    size_t got = fread(buf, 1, sizeof buf, f);
    fclose(f);
    if (got != 32) {
        sodium_memzero(buf, sizeof buf);
        md_error_set(err, MD_ERR_VALUE, "the datastore secret %s is not a 32-byte key", path);
        md_error_hint(err, "the secret is made when the datastore is created; restore it "
                      "from backup");
        return MD_ERR_VALUE;
    }
    memcpy(secret, buf, 32);
    sodium_memzero(buf, sizeof buf);
    return MD_OK;
}

uint64_t sdc_unit_key(const Sdc *sdc, uint64_t unit_id)
{
    uint8_t in[8], out[8];
    store_le64(in, unit_id);
    crypto_shorthash(out, in, sizeof in, sdc->unit_subkey);
    return load_le64(out);
}

void sdc_unit_keys(const Sdc *sdc, const uint64_t *unit_ids, int64_t n, uint64_t *keys)
{
    for (int64_t i = 0; i < n; i++)
        keys[i] = sdc_unit_key(sdc, unit_ids[i]);
}

uint64_t sdc_cell_key(const Sdc *sdc, uint64_t key_sum, uint32_t stat, const char *variable)
{
    uint8_t buf[12 + 128];
    size_t len = 12;
    store_le64(buf, key_sum);
    for (int i = 0; i < 4; i++)
        buf[8 + i] = (uint8_t)(stat >> (8 * i));
    uint8_t out[8];
    if (variable && *variable) {
        size_t vlen = strlen(variable);
        if (vlen <= sizeof buf - 12) {
            memcpy(buf + 12, variable, vlen);
            len += vlen;
        } else {
            /* long names: hash the name first, so the key stays a function of it */
            crypto_generichash(buf + 12, 32, (const unsigned char *)variable, vlen, NULL, 0);
            len += 32;
        }
    }
    crypto_shorthash(out, buf, len, sdc->cell_subkey);
    return load_le64(out);
}

uint64_t sdc_audit_unit_hash(const Sdc *sdc, uint64_t unit_id)
{
    /* a salted 64-bit mixer, not a PRF: the lists it feeds never leave the server, and it
     * is fast enough to hash millions of units per output command */
    return md_hash_u64(unit_id ^ sdc->audit_salt);
}
