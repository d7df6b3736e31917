/*
 * package_crypt.c - the cryptography of microdata-tools packages (spec/datastore.md 1.5)
 * with OpenSSL's libcrypto: the RSA-2048 OAEP(SHA-256, MGF1-SHA-256) unwrap of the Fernet
 * key, Fernet token verification and decryption, and MD5.
 *
 * Fernet token = base64url(0x80 | 8-byte timestamp | 16-byte IV | AES-128-CBC ciphertext
 * with PKCS7 padding | HMAC-SHA256 of everything before it). The 32-byte key is the HMAC
 * key (first 16 bytes) followed by the AES key (last 16). The HMAC is checked, in constant
 * time, before anything is decrypted; the timestamp is not checked (packages do not expire).
 * Key material is wiped (OPENSSL_cleanse) before it is freed.
 */
#include "store/import_int.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <stdio.h>
#include <string.h>

#define FERNET_VERSION 0x80
#define FERNET_HEADER 25 /* version + timestamp + IV */
#define FERNET_MAC 32

/* ==== base64url ======================================================================== */

static int b64_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '-' || c == '+')
        return 62;
    if (c == '_' || c == '/')
        return 63;
    return -1;
}

/* Decodes base64url (or standard base64) text; '=' padding and trailing whitespace are
 * allowed. out must hold len * 3 / 4 + 3 bytes. Returns false on a bad character. */
static bool base64url_decode(const char *text, size_t len, unsigned char *out, size_t *out_len)
{
    while (len && (text[len - 1] == '\n' || text[len - 1] == '\r' || text[len - 1] == ' '))
        len--;
    while (len && text[len - 1] == '=')
        len--;
    uint32_t acc = 0;
    int bits = 0;
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        int v = b64_value((unsigned char)text[i]);
        if (v < 0)
            return false;
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[n++] = (unsigned char)(acc >> bits);
        }
    }
    if (bits >= 6)
        return false; /* a single dangling character cannot encode a byte */
    *out_len = n;
    return true;
}

/* ==== RSA unwrap ======================================================================= */

static EVP_PKEY *load_private_key(const char *pem_path, MdError *err)
{
    FILE *f = fopen(pem_path, "rb");
    if (!f) {
        md_error_set(err, MD_ERR_IO, "cannot open the private key %s", pem_path);
        return NULL;
    }
    EVP_PKEY *key = PEM_read_PrivateKey(f, NULL, NULL, NULL);
    fclose(f);
    if (!key)
        md_error_set(err, MD_ERR_VALUE, "%s is not a PEM private key (or needs a passphrase)",
                     pem_path);
    return key;
}

static MdStatus rsa_oaep_decrypt(EVP_PKEY *key, const unsigned char *block, size_t len,
                                 unsigned char *out, size_t *out_len)
{
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(key, NULL);
    bool ok = ctx && EVP_PKEY_decrypt_init(ctx) > 0 &&
              EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_OAEP_PADDING) > 0 &&
              EVP_PKEY_CTX_set_rsa_oaep_md(ctx, EVP_sha256()) > 0 &&
              EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, EVP_sha256()) > 0 &&
              EVP_PKEY_decrypt(ctx, out, out_len, block, len) > 0;
    EVP_PKEY_CTX_free(ctx);
    return ok ? MD_OK : MD_ERR_VALUE;
}

MdStatus package_unwrap_key(const char *pem_path, const unsigned char *block, size_t len,
                            unsigned char key[32], MdError *err)
{
    EVP_PKEY *pkey = load_private_key(pem_path, err);
    if (!pkey)
        return err->status;
    unsigned char plain[512];
    size_t plain_len = sizeof plain;
    MdStatus st = MD_OK;
    if ((size_t)EVP_PKEY_get_size(pkey) > sizeof plain || len != (size_t)EVP_PKEY_get_size(pkey) ||
        rsa_oaep_decrypt(pkey, block, len, plain, &plain_len) != MD_OK) {
        st = md_error_set(err, MD_ERR_VALUE, "cannot decrypt the symmetric key with %s "
                          "(RSA-OAEP SHA-256)", pem_path);
        md_error_hint(err, "use the private key matching the public key the package was "
                           "made with");
    }
    EVP_PKEY_free(pkey);
    if (st != MD_OK)
        return st;
    /* Fernet keys travel as their base64url text (44 bytes); accept the raw 32 bytes too */
    unsigned char raw[64];
    size_t raw_len = 0;
    if (plain_len == 32) {
        memcpy(key, plain, 32);
    } else if (plain_len < 60 && base64url_decode((const char *)plain, plain_len, raw,
                                                  &raw_len) && raw_len == 32) {
        memcpy(key, raw, 32);
    } else {
        st = md_error_set(err, MD_ERR_VALUE, "the decrypted symmetric key is not a Fernet key");
    }
    OPENSSL_cleanse(plain, sizeof plain);
    OPENSSL_cleanse(raw, sizeof raw);
    return st;
}

/* ==== Fernet =========================================================================== */

static bool fernet_mac_ok(const unsigned char key[32], const unsigned char *tok, size_t len)
{
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_len = 0;
    if (!HMAC(EVP_sha256(), key, 16, tok, len - FERNET_MAC, mac, &mac_len) ||
        mac_len != FERNET_MAC)
        return false;
    return CRYPTO_memcmp(mac, tok + len - FERNET_MAC, FERNET_MAC) == 0;
}

static MdStatus aes_cbc_decrypt(const unsigned char key[16], const unsigned char iv[16],
                                const unsigned char *in, size_t len, unsigned char *out,
                                size_t *out_len)
{
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int a = 0, b = 0;
    bool ok = ctx && len <= INT32_MAX &&
              EVP_DecryptInit_ex(ctx, EVP_aes_128_cbc(), NULL, key, iv) > 0 &&
              EVP_DecryptUpdate(ctx, out, &a, in, (int)len) > 0 &&
              EVP_DecryptFinal_ex(ctx, out + a, &b) > 0;
    EVP_CIPHER_CTX_free(ctx);
    *out_len = ok ? (size_t)a + (size_t)b : 0;
    return ok ? MD_OK : MD_ERR_VALUE;
}

MdStatus package_fernet_decrypt(const unsigned char key[32], const char *token, size_t len,
                                StrBuf *out, MdError *err)
{
    unsigned char *raw = md_malloc(len / 4 * 3 + 4);
    unsigned char *plain = md_malloc(len / 4 * 3 + 4);
    size_t raw_len = 0, plain_len = 0;
    MdStatus st = MD_OK;
    if (!raw || !plain) {
        st = md_error_set(err, MD_ERR_MEMORY, "out of memory decrypting a chunk");
    } else if (!base64url_decode(token, len, raw, &raw_len) ||
               raw_len < FERNET_HEADER + 16 + FERNET_MAC || raw[0] != FERNET_VERSION ||
               (raw_len - FERNET_HEADER - FERNET_MAC) % 16 != 0) {
        st = md_error_set(err, MD_ERR_VALUE, "not a Fernet token");
    } else if (!fernet_mac_ok(key, raw, raw_len)) {
        st = md_error_set(err, MD_ERR_VALUE, "Fernet token signature does not match (wrong "
                          "key or damaged chunk)");
    } else if (aes_cbc_decrypt(key + 16, raw + 9, raw + FERNET_HEADER,
                               raw_len - FERNET_HEADER - FERNET_MAC, plain,
                               &plain_len) != MD_OK) {
        st = md_error_set(err, MD_ERR_VALUE, "Fernet token does not decrypt (bad padding)");
    } else if ((st = strbuf_append(out, (const char *)plain, plain_len)) != MD_OK) {
        md_error_set(err, st, st == MD_ERR_LIMIT ? "decrypted data exceeds the size limit"
                                                 : "out of memory decrypting a chunk");
    }
    if (plain)
        OPENSSL_cleanse(plain, len / 4 * 3 + 4);
    md_free(raw);
    md_free(plain);
    return st;
}

/* ==== MD5 ============================================================================== */

void package_md5_hex(const char *data, size_t len, char hex[33])
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (!EVP_Digest(data, len, digest, &n, EVP_md5(), NULL) || n != 16) {
        hex[0] = 0;
        return;
    }
    static const char digits[] = "0123456789abcdef";
    for (unsigned int i = 0; i < 16; i++) {
        hex[2 * i] = digits[digest[i] >> 4];
        hex[2 * i + 1] = digits[digest[i] & 15];
    }
    hex[32] = 0;
}
