/* \summary: IKEv2 SK payload decryption: 3DES/AES-CBC, AES-CTR (RFC 5930),
 * AES-GCM and AES-CCM (RFC 5282), NULL; HMAC ICV check (RFC 7296 3.14) */
#include "decoders/ike_crypt.h"

#include <string.h>

#include <openssl/evp.h>

void ike_crypt_lens(const struct ike_sa_keys *k, unsigned *iv_len, unsigned *icv_len)
{
	*iv_len = k->encr->iv_len;
	*icv_len = k->encr->icv_len ? k->encr->icv_len : k->integ->icv_len;
}

/* Ciphers and digests are fetched once per thread (an implicit fetch on
 * every packet costs more than the decryption of a small SK payload). */
static _Thread_local EVP_CIPHER *fetched[4][3];     /* mode x key size */
static _Thread_local EVP_CIPHER *des3;
static _Thread_local EVP_CIPHER_CTX *cctx;
static _Thread_local EVP_MD_CTX *mdctx;
static _Thread_local struct { const char *name; EVP_MD *md; } mds[6];

static const EVP_CIPHER *cipher_for(const struct ike_encr_spec *e, unsigned mode)
{
	static const char *const names[4][3] = {
		{"AES-128-CBC", "AES-192-CBC", "AES-256-CBC"},
		{"AES-128-CTR", "AES-192-CTR", "AES-256-CTR"},
		{"AES-128-GCM", "AES-192-GCM", "AES-256-GCM"},
		{"AES-128-CCM", "AES-192-CCM", "AES-256-CCM"},
	};
	if (!e->cipher)
		return NULL;
	if (!strcmp(e->cipher, "des-ede3")) {
		if (!des3)
			des3 = EVP_CIPHER_fetch(NULL, "DES-EDE3-CBC", NULL);
		return des3;
	}
	int m = mode == IKE_CM_CBC ? 0 : mode == IKE_CM_CTR ? 1 : mode == IKE_CM_GCM ? 2 : mode == IKE_CM_CCM ? 3 : -1;
	int k = e->key_len == 16 ? 0 : e->key_len == 24 ? 1 : e->key_len == 32 ? 2 : -1;
	if (m < 0 || k < 0)
		return NULL;
	if (!fetched[m][k])
		fetched[m][k] = EVP_CIPHER_fetch(NULL, names[m][k], NULL);
	return fetched[m][k];
}

static EVP_MD *md_for(const char *name)
{
	for (size_t i = 0; i < sizeof mds / sizeof mds[0]; i++) {
		if (mds[i].name == name)
			return mds[i].md;
		if (!mds[i].name) {
			mds[i].name = name;
			mds[i].md = EVP_MD_fetch(NULL, name, NULL);
			return mds[i].md;
		}
	}
	return NULL;
}

/* HMAC (RFC 2104) over a reused digest context. */
static int hmac(const char *mdname, const uint8_t *key, size_t klen, const uint8_t *msg, size_t n,
		uint8_t *out, unsigned *outlen)
{
	EVP_MD *md = md_for(mdname);
	if (!md)
		return -1;
	if (!mdctx && !(mdctx = EVP_MD_CTX_new()))
		return -1;
	int bs = EVP_MD_get_block_size(md);
	uint8_t k0[128], pad[128], inner[EVP_MAX_MD_SIZE];
	unsigned il = 0;
	if (bs <= 0 || bs > 128)
		return -1;
	memset(k0, 0, sizeof k0);
	if (klen > (size_t)bs) {
		if (EVP_DigestInit_ex(mdctx, md, NULL) != 1 || EVP_DigestUpdate(mdctx, key, klen) != 1 ||
		    EVP_DigestFinal_ex(mdctx, k0, &il) != 1)
			return -1;
	} else {
		memcpy(k0, key, klen);
	}
	for (int i = 0; i < bs; i++)
		pad[i] = k0[i] ^ 0x36;
	if (EVP_DigestInit_ex(mdctx, md, NULL) != 1 || EVP_DigestUpdate(mdctx, pad, (size_t)bs) != 1 ||
	    EVP_DigestUpdate(mdctx, msg, n) != 1 || EVP_DigestFinal_ex(mdctx, inner, &il) != 1)
		return -1;
	for (int i = 0; i < bs; i++)
		pad[i] = k0[i] ^ 0x5c;
	if (EVP_DigestInit_ex(mdctx, md, NULL) != 1 || EVP_DigestUpdate(mdctx, pad, (size_t)bs) != 1 ||
	    EVP_DigestUpdate(mdctx, inner, il) != 1 || EVP_DigestFinal_ex(mdctx, out, outlen) != 1)
		return -1;
	memset(k0, 0, sizeof k0);
	memset(pad, 0, sizeof pad);
	return 0;
}

/* Plain counter mode over out[0,n) with a 16-byte initial counter block. */
static int ctr_crypt(EVP_CIPHER_CTX *c, const struct ike_encr_spec *e, const uint8_t *key,
		     const uint8_t ctr[16], const uint8_t *in, size_t n, uint8_t *out)
{
	int l = 0, l2 = 0;
	if (EVP_DecryptInit_ex(c, cipher_for(e, IKE_CM_CTR), NULL, key, ctr) != 1)
		return -1;
	if (n && EVP_DecryptUpdate(c, out, &l, in, (int)n) != 1)
		return -1;
	if (EVP_DecryptFinal_ex(c, out + l, &l2) != 1)
		return -1;
	return 0;
}

static int do_decrypt(EVP_CIPHER_CTX *c, const struct ike_encr_spec *e, const uint8_t *sk_e,
		      const uint8_t *iv, const uint8_t *in, size_t n, const uint8_t *aad,
		      size_t aad_len, const uint8_t *tag, unsigned tag_len, uint8_t *out, int *icv)
{
	const uint8_t *key = sk_e, *salt = sk_e + e->key_len;
	int l = 0, l2 = 0;
	uint8_t blk[16];
	switch (e->mode) {
	case IKE_CM_NULL:
		memcpy(out, in, n);
		return 0;
	case IKE_CM_CBC:
		if (EVP_DecryptInit_ex(c, cipher_for(e, IKE_CM_CBC), NULL, key, iv) != 1)
			return -1;
		EVP_CIPHER_CTX_set_padding(c, 0);
		if (EVP_DecryptUpdate(c, out, &l, in, (int)n) != 1 ||
		    EVP_DecryptFinal_ex(c, out + l, &l2) != 1)
			return -1;
		return 0;
	case IKE_CM_CTR:     /* RFC 3686 block: nonce(4) | IV(8) | counter(4) = 1 */
		memcpy(blk, salt, 4);
		memcpy(blk + 4, iv, 8);
		blk[12] = blk[13] = blk[14] = 0;
		blk[15] = 1;
		return ctr_crypt(c, e, key, blk, in, n, out);
	case IKE_CM_GCM: {   /* nonce = salt(4) | IV(8) */
		uint8_t nonce[12];
		memcpy(nonce, salt, 4);
		memcpy(nonce + 4, iv, 8);
		if (EVP_DecryptInit_ex(c, cipher_for(e, IKE_CM_GCM), NULL, NULL, NULL) != 1 ||
		    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_IVLEN, 12, NULL) != 1 ||
		    EVP_DecryptInit_ex(c, NULL, NULL, key, nonce) != 1)
			return -1;
		if (aad_len && EVP_DecryptUpdate(c, NULL, &l, aad, (int)aad_len) != 1)
			return -1;
		if (n && EVP_DecryptUpdate(c, out, &l, in, (int)n) != 1)
			return -1;
		if (EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, (int)tag_len, (void *)tag) != 1)
			return -1;
		*icv = EVP_DecryptFinal_ex(c, out + l, &l2) == 1 ? IKE_ICV_OK : IKE_ICV_BAD;
		return 0;
	}
	case IKE_CM_CCM: {   /* nonce = salt(3) | IV(8); L = 4 */
		uint8_t nonce[11];
		memcpy(nonce, salt, 3);
		memcpy(nonce + 3, iv, 8);
		int ok = EVP_DecryptInit_ex(c, cipher_for(e, IKE_CM_CCM), NULL, NULL, NULL) == 1 &&
			 EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_CCM_SET_IVLEN, 11, NULL) == 1 &&
			 EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_CCM_SET_TAG, (int)tag_len, (void *)tag) == 1 &&
			 EVP_DecryptInit_ex(c, NULL, NULL, key, nonce) == 1 &&
			 EVP_DecryptUpdate(c, NULL, &l, NULL, (int)n) == 1 &&
			 (!aad_len || EVP_DecryptUpdate(c, NULL, &l, aad, (int)aad_len) == 1);
		if (!ok)
			return -1;
		*icv = EVP_DecryptUpdate(c, out, &l, in, (int)n) == 1 ? IKE_ICV_OK : IKE_ICV_BAD;
		if (*icv == IKE_ICV_BAD) {
			/* OpenSSL withholds the plaintext on a bad tag: CCM's payload
			 * keystream is CTR from A1 = flags(L-1=3) | nonce | 1. */
			blk[0] = 3;
			memcpy(blk + 1, nonce, 11);
			blk[12] = blk[13] = blk[14] = 0;
			blk[15] = 1;
			EVP_CIPHER_CTX_reset(c);
			return ctr_crypt(c, e, key, blk, in, n, out);
		}
		return 0;
	}
	}
	return -1;
}

int ike_decrypt(const struct ike_sa_keys *k, int from_initiator,
		const uint8_t *msg, size_t msg_len, size_t body_off, size_t body_len,
		size_t aad_end, uint8_t *out, size_t outcap, struct ike_dec *d)
{
	const struct ike_encr_spec *e = k->encr;
	memset(d, 0, sizeof *d);
	ike_crypt_lens(k, &d->iv_len, &d->icv_len);
	d->icv = IKE_ICV_UNCHECKED;
	if (body_off > msg_len || body_len > msg_len - body_off || aad_end > msg_len ||
	    body_len <= (size_t)d->iv_len + d->icv_len) {
		d->status = IKE_DEC_SHORT;
		return d->status;
	}
	size_t enc_len = body_len - d->iv_len - d->icv_len;
	d->iv_off = body_off;
	d->icv_off = body_off + d->iv_len + enc_len;
	if (enc_len > outcap || enc_len % e->block_len) {
		d->status = IKE_DEC_BLOCK;
		return d->status;
	}
	const uint8_t *sk_e = from_initiator ? k->sk_ei : k->sk_er;
	const uint8_t *sk_a = from_initiator ? k->sk_ai : k->sk_ar;
	unsigned sk_a_len = from_initiator ? k->len_ai : k->len_ar;
	const uint8_t *iv = msg + d->iv_off, *ct = iv + d->iv_len, *icv = msg + d->icv_off;

	if (k->integ->md && !e->icv_len) {
		uint8_t mac[EVP_MAX_MD_SIZE];
		unsigned ml = 0;
		if (!hmac(k->integ->md, sk_a, sk_a_len, msg, d->icv_off, mac, &ml) && ml >= d->icv_len)
			d->icv = memcmp(mac, icv, d->icv_len) ? IKE_ICV_BAD : IKE_ICV_OK;
	}
	if (!cctx)
		cctx = EVP_CIPHER_CTX_new();
	else
		EVP_CIPHER_CTX_reset(cctx);
	int icvr = d->icv;
	int r = cctx ? do_decrypt(cctx, e, sk_e, iv, ct, enc_len, msg, aad_end, icv, d->icv_len, out, &icvr) : -1;
	if (r) {
		d->status = IKE_DEC_ERROR;
		return d->status;
	}
	d->icv = icvr;
	d->plain_len = enc_len;
	if (enc_len == 0) {
		d->status = IKE_DEC_PAD;
		return d->status;
	}
	unsigned pad = out[enc_len - 1];
	if ((size_t)pad + 1 > enc_len) {
		d->status = IKE_DEC_PAD;
		return d->status;
	}
	d->payload_len = enc_len - 1 - pad;
	d->status = IKE_DEC_OK;
	return d->status;
}
