/* \summary: decrypt and verify one IKEv2 SK / SKF payload (OpenSSL EVP)
 *
 * msg is the whole IKE message from its header; the encrypted payload body
 * is msg[body_off, body_off + body_len): IV, ciphertext, ICV. For AEAD the
 * associated data is msg[0, aad_end) (RFC 5282: header up to the end of
 * the SK/SKF payload's own header); for the rest the ICV covers msg[0, end
 * of ciphertext) (RFC 7296 3.14). A bad ICV still yields the plaintext, as
 * tshark does; the caller reports it.
 */
#ifndef AUTHSCOPE_DECODERS_IKE_CRYPT_H
#define AUTHSCOPE_DECODERS_IKE_CRYPT_H

#include <stddef.h>
#include <stdint.h>

#include "decoders/ike_keys.h"

enum ike_dec_status {
	IKE_DEC_OK,          /* decrypted (see icv) */
	IKE_DEC_SHORT,       /* body shorter than IV + ICV + 1 */
	IKE_DEC_BLOCK,       /* ciphertext not a multiple of the block size */
	IKE_DEC_PAD,         /* pad length larger than the plaintext */
	IKE_DEC_ERROR,       /* the cipher refused (should not happen) */
};

enum ike_icv { IKE_ICV_UNCHECKED, IKE_ICV_OK, IKE_ICV_BAD };

struct ike_dec {
	int status;            /* enum ike_dec_status */
	int icv;               /* enum ike_icv */
	unsigned iv_len, icv_len;
	size_t iv_off, icv_off;          /* in msg */
	size_t plain_len;      /* decrypted bytes, including padding and pad length */
	size_t payload_len;    /* plain_len - 1 - pad length (valid when OK) */
};

/* Decrypt into out (capacity outcap >= body_len). from_initiator selects
 * SK_ei/SK_ai versus SK_er/SK_ar. */
int ike_decrypt(const struct ike_sa_keys *k, int from_initiator,
		const uint8_t *msg, size_t msg_len, size_t body_off, size_t body_len,
		size_t aad_end, uint8_t *out, size_t outcap, struct ike_dec *d);

/* IV and ICV lengths a key row implies (for the fields before decrypting). */
void ike_crypt_lens(const struct ike_sa_keys *k, unsigned *iv_len, unsigned *icv_len);

#endif
