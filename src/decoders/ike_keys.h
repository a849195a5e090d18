/* \summary: IKEv2 SA keys for decryption (--ike-keys FILE)
 *
 * The file is Wireshark's ikev2_decryption_table (one CSV row per IKE SA:
 * SPIi,SPIr,SK_ei,SK_er,"encryption",SK_ai,SK_ar,"integrity"), which is also
 * what strongSwan's save-keys plugin writes. Algorithm names are Wireshark's
 * exact enum strings ("AES-CBC-256 [RFC3602]", "HMAC_SHA2_256_128 [RFC4868]",
 * "ANY 96-bits of Authentication [No Checking]", ...). Key material lives
 * only here and in ike_crypt.c; it never reaches an event or any output.
 */
#ifndef AUTHSCOPE_DECODERS_IKE_KEYS_H
#define AUTHSCOPE_DECODERS_IKE_KEYS_H

#include <stddef.h>
#include <stdint.h>

enum ike_cmode { IKE_CM_NULL, IKE_CM_CBC, IKE_CM_CTR, IKE_CM_GCM, IKE_CM_CCM };

struct ike_encr_spec {
	const char *name;          /* Wireshark's string */
	unsigned mode;             /* enum ike_cmode */
	const char *cipher;        /* cipher family: "aes", "des-ede3", NULL */
	unsigned key_len;          /* cipher key bytes */
	unsigned salt_len;         /* bytes after the key in SK_e (CTR 4, GCM 4, CCM 3) */
	unsigned iv_len;           /* IV bytes on the wire */
	unsigned block_len;        /* 1 for stream modes */
	unsigned icv_len;          /* AEAD tag bytes; 0 otherwise */
};

struct ike_integ_spec {
	const char *name;
	const char *md;            /* OpenSSL digest name for HMAC; NULL = no check */
	unsigned key_len;
	unsigned icv_len;
};

#define IKE_KEY_MAX 64

struct ike_sa_keys {
	uint64_t spi_i, spi_r;
	const struct ike_encr_spec *encr;
	const struct ike_integ_spec *integ;
	uint8_t sk_ei[IKE_KEY_MAX], sk_er[IKE_KEY_MAX], sk_ai[IKE_KEY_MAX], sk_ar[IKE_KEY_MAX];
	uint8_t len_ei, len_er, len_ai, len_ar;
};

struct ike_keys;

const struct ike_encr_spec *ike_encr_lookup(const char *name);
const struct ike_integ_spec *ike_integ_lookup(const char *name);

/* Parse a table from memory. Returns NULL and writes "line N: why" into err
 * on the first bad row (a wrong key file is a usage error, not data). */
struct ike_keys *ike_keys_parse(const char *text, size_t n, char *err, size_t errsz);
/* Load FILE; err gets "FILE: why" or "FILE:N: why". */
struct ike_keys *ike_keys_load(const char *path, char *err, size_t errsz);
void ike_keys_free(struct ike_keys *k);
size_t ike_keys_count(const struct ike_keys *k);
/* The row for an SPI pair, or NULL. */
const struct ike_sa_keys *ike_keys_find(const struct ike_keys *k, uint64_t spi_i, uint64_t spi_r);

#endif
