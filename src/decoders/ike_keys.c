/* \summary: the IKEv2 decryption table: parse once, look up by SPI pair */
#include "decoders/ike_keys.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Wireshark's ikev2_encr_algs, by its exact strings. */
static const struct ike_encr_spec encrs[] = {
	{"NULL [RFC2410]", IKE_CM_NULL, NULL, 0, 0, 0, 1, 0},
	{"3DES [RFC2451]", IKE_CM_CBC, "des-ede3", 24, 0, 8, 8, 0},
	{"AES-CBC-128 [RFC3602]", IKE_CM_CBC, "aes", 16, 0, 16, 16, 0},
	{"AES-CBC-192 [RFC3602]", IKE_CM_CBC, "aes", 24, 0, 16, 16, 0},
	{"AES-CBC-256 [RFC3602]", IKE_CM_CBC, "aes", 32, 0, 16, 16, 0},
	{"AES-CTR-128 [RFC5930]", IKE_CM_CTR, "aes", 16, 4, 8, 1, 0},
	{"AES-CTR-192 [RFC5930]", IKE_CM_CTR, "aes", 24, 4, 8, 1, 0},
	{"AES-CTR-256 [RFC5930]", IKE_CM_CTR, "aes", 32, 4, 8, 1, 0},
	{"AES-GCM-128 with 8 octet ICV [RFC5282]", IKE_CM_GCM, "aes", 16, 4, 8, 1, 8},
	{"AES-GCM-192 with 8 octet ICV [RFC5282]", IKE_CM_GCM, "aes", 24, 4, 8, 1, 8},
	{"AES-GCM-256 with 8 octet ICV [RFC5282]", IKE_CM_GCM, "aes", 32, 4, 8, 1, 8},
	{"AES-GCM-128 with 12 octet ICV [RFC5282]", IKE_CM_GCM, "aes", 16, 4, 8, 1, 12},
	{"AES-GCM-192 with 12 octet ICV [RFC5282]", IKE_CM_GCM, "aes", 24, 4, 8, 1, 12},
	{"AES-GCM-256 with 12 octet ICV [RFC5282]", IKE_CM_GCM, "aes", 32, 4, 8, 1, 12},
	{"AES-GCM-128 with 16 octet ICV [RFC5282]", IKE_CM_GCM, "aes", 16, 4, 8, 1, 16},
	{"AES-GCM-192 with 16 octet ICV [RFC5282]", IKE_CM_GCM, "aes", 24, 4, 8, 1, 16},
	{"AES-GCM-256 with 16 octet ICV [RFC5282]", IKE_CM_GCM, "aes", 32, 4, 8, 1, 16},
	{"AES-CCM-128 with 8 octet ICV [RFC5282]", IKE_CM_CCM, "aes", 16, 3, 8, 1, 8},
	{"AES-CCM-192 with 8 octet ICV [RFC5282]", IKE_CM_CCM, "aes", 24, 3, 8, 1, 8},
	{"AES-CCM-256 with 8 octet ICV [RFC5282]", IKE_CM_CCM, "aes", 32, 3, 8, 1, 8},
	{"AES-CCM-128 with 12 octet ICV [RFC5282]", IKE_CM_CCM, "aes", 16, 3, 8, 1, 12},
	{"AES-CCM-192 with 12 octet ICV [RFC5282]", IKE_CM_CCM, "aes", 24, 3, 8, 1, 12},
	{"AES-CCM-256 with 12 octet ICV [RFC5282]", IKE_CM_CCM, "aes", 32, 3, 8, 1, 12},
	{"AES-CCM-128 with 16 octet ICV [RFC5282]", IKE_CM_CCM, "aes", 16, 3, 8, 1, 16},
	{"AES-CCM-192 with 16 octet ICV [RFC5282]", IKE_CM_CCM, "aes", 24, 3, 8, 1, 16},
	{"AES-CCM-256 with 16 octet ICV [RFC5282]", IKE_CM_CCM, "aes", 32, 3, 8, 1, 16},
};

/* Wireshark's ikev2_auth_algs. */
static const struct ike_integ_spec integs[] = {
	{"NONE [RFC4306]", NULL, 0, 0},
	{"HMAC_MD5_96 [RFC2403]", "md5", 16, 12},
	{"HMAC_SHA1_96 [RFC2404]", "sha1", 20, 12},
	{"HMAC_MD5_128 [RFC4595]", "md5", 16, 16},
	{"HMAC_SHA1_160 [RFC4595]", "sha1", 20, 20},
	{"HMAC_SHA2_256_96 [draft-ietf-ipsec-ciph-sha-256-00]", "sha256", 32, 12},
	{"HMAC_SHA2_256_128 [RFC4868]", "sha256", 32, 16},
	{"HMAC_SHA2_384_192 [RFC4868]", "sha384", 48, 24},
	{"HMAC_SHA2_512_256 [RFC4868]", "sha512", 64, 32},
	{"ANY 64-bits of Authentication [No Checking]", NULL, 0, 8},
	{"ANY 96-bits of Authentication [No Checking]", NULL, 0, 12},
	{"ANY 128-bits of Authentication [No Checking]", NULL, 0, 16},
	{"ANY 160-bits of Authentication [No Checking]", NULL, 0, 20},
	{"ANY 192-bits of Authentication [No Checking]", NULL, 0, 24},
	{"ANY 256-bits of Authentication [No Checking]", NULL, 0, 32},
};

const struct ike_encr_spec *ike_encr_lookup(const char *name)
{
	for (size_t i = 0; i < N(encrs); i++)
		if (!strcmp(encrs[i].name, name))
			return &encrs[i];
	return NULL;
}

const struct ike_integ_spec *ike_integ_lookup(const char *name)
{
	for (size_t i = 0; i < N(integs); i++)
		if (!strcmp(integs[i].name, name))
			return &integs[i];
	return NULL;
}

struct ike_keys {
	struct ike_sa_keys *v;
	size_t n, cap;
};

static int hexdig(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Hex (optionally 0x-prefixed, ':' or ' ' separated) into out. */
static int parse_hex(const char *s, size_t n, uint8_t *out, size_t cap, size_t *outn)
{
	size_t k = 0;
	int hi = -1;
	if (n >= 2 && s[0] == '0' && (s[1] | 0x20) == 'x') {
		s += 2;
		n -= 2;
	}
	for (size_t i = 0; i < n; i++) {
		if (s[i] == ':' || s[i] == ' ')
			continue;
		int d = hexdig((unsigned char)s[i]);
		if (d < 0)
			return -1;
		if (hi < 0) {
			hi = d;
		} else {
			if (k == cap)
				return -1;
			out[k++] = (uint8_t)(hi << 4 | d);
			hi = -1;
		}
	}
	if (hi >= 0)
		return -1;
	*outn = k;
	return 0;
}

/* Split one CSV line into up to 8 fields; quotes are stripped. */
static int split_csv(const char *s, size_t n, const char **f, size_t *fl, int max)
{
	int k = 0;
	size_t i = 0;
	while (k < max) {
		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i < n && s[i] == '"') {
			size_t st = ++i;
			while (i < n && s[i] != '"')
				i++;
			if (i == n)
				return -1;
			f[k] = s + st;
			fl[k] = i - st;
			i++;
			while (i < n && (s[i] == ' ' || s[i] == '\t'))
				i++;
		} else {
			size_t st = i;
			while (i < n && s[i] != ',')
				i++;
			size_t e = i;
			while (e > st && (s[e - 1] == ' ' || s[e - 1] == '\t'))
				e--;
			f[k] = s + st;
			fl[k] = e - st;
		}
		k++;
		if (i >= n)
			break;
		if (s[i] != ',')
			return -1;
		i++;
	}
	return i < n ? -1 : k;
}

static int spi_parse(const char *s, size_t n, uint64_t *v)
{
	uint8_t b[8];
	size_t k;
	if (parse_hex(s, n, b, sizeof b, &k) || k != 8)
		return -1;
	*v = 0;
	for (int i = 0; i < 8; i++)
		*v = *v << 8 | b[i];
	return 0;
}

static int cmp_keys(const void *a, const void *b)
{
	const struct ike_sa_keys *x = a, *y = b;
	if (x->spi_i != y->spi_i)
		return x->spi_i < y->spi_i ? -1 : 1;
	if (x->spi_r != y->spi_r)
		return x->spi_r < y->spi_r ? -1 : 1;
	return 0;
}

static int parse_row(const char *s, size_t n, struct ike_sa_keys *k, char *why, size_t whysz)
{
	const char *f[8];
	size_t fl[8];
	char name[128];
	size_t got;
	memset(k, 0, sizeof *k);
	if (split_csv(s, n, f, fl, 8) != 8) {
		snprintf(why, whysz, "want 8 comma-separated fields (SPIi,SPIr,SK_ei,SK_er,\"encryption\",SK_ai,SK_ar,\"integrity\")");
		return -1;
	}
	if (spi_parse(f[0], fl[0], &k->spi_i) || spi_parse(f[1], fl[1], &k->spi_r)) {
		snprintf(why, whysz, "an SPI is not 16 hex digits");
		return -1;
	}
	snprintf(name, sizeof name, "%.*s", (int)(fl[4] < 127 ? fl[4] : 127), f[4]);
	k->encr = ike_encr_lookup(name);
	if (!k->encr) {
		snprintf(why, whysz, "unknown encryption algorithm \"%s\" (use Wireshark's names, e.g. \"AES-CBC-256 [RFC3602]\")", name);
		return -1;
	}
	snprintf(name, sizeof name, "%.*s", (int)(fl[7] < 127 ? fl[7] : 127), f[7]);
	k->integ = ike_integ_lookup(name);
	if (!k->integ) {
		snprintf(why, whysz, "unknown integrity algorithm \"%s\" (use Wireshark's names, e.g. \"HMAC_SHA2_256_128 [RFC4868]\")", name);
		return -1;
	}
	unsigned elen = k->encr->key_len + k->encr->salt_len;
	if (parse_hex(f[2], fl[2], k->sk_ei, sizeof k->sk_ei, &got) || got != elen) {
		snprintf(why, whysz, "SK_ei must be %u bytes of hex for %s", elen, k->encr->name);
		return -1;
	}
	k->len_ei = (uint8_t)got;
	if (parse_hex(f[3], fl[3], k->sk_er, sizeof k->sk_er, &got) || got != elen) {
		snprintf(why, whysz, "SK_er must be %u bytes of hex for %s", elen, k->encr->name);
		return -1;
	}
	k->len_er = (uint8_t)got;
	unsigned alen = k->integ->md ? k->integ->key_len : 0;
	if (parse_hex(f[5], fl[5], k->sk_ai, sizeof k->sk_ai, &got) || (k->integ->md && got != alen)) {
		snprintf(why, whysz, "SK_ai must be %u bytes of hex for %s", alen, k->integ->name);
		return -1;
	}
	k->len_ai = (uint8_t)got;
	if (parse_hex(f[6], fl[6], k->sk_ar, sizeof k->sk_ar, &got) || (k->integ->md && got != alen)) {
		snprintf(why, whysz, "SK_ar must be %u bytes of hex for %s", alen, k->integ->name);
		return -1;
	}
	k->len_ar = (uint8_t)got;
	if ((k->encr->mode == IKE_CM_GCM || k->encr->mode == IKE_CM_CCM) && k->integ->icv_len) {
		snprintf(why, whysz, "%s is AEAD: the integrity algorithm must be \"NONE [RFC4306]\"", k->encr->name);
		return -1;
	}
	return 0;
}

struct ike_keys *ike_keys_parse(const char *text, size_t n, char *err, size_t errsz)
{
	struct ike_keys *t = xcalloc(1, sizeof *t);
	size_t i = 0;
	unsigned line = 0;
	while (i < n) {
		size_t st = i;
		while (i < n && text[i] != '\n')
			i++;
		size_t e = i;
		if (i < n)
			i++;
		line++;
		if (e > st && text[e - 1] == '\r')
			e--;
		while (st < e && (text[st] == ' ' || text[st] == '\t'))
			st++;
		if (st == e || text[st] == '#')
			continue;
		struct ike_sa_keys k;
		char why[512];
		if (parse_row(text + st, e - st, &k, why, sizeof why)) {
			snprintf(err, errsz, "line %u: %s", line, why);
			ike_keys_free(t);
			return NULL;
		}
		if (t->n == t->cap) {
			t->cap = t->cap ? 2 * t->cap : 16;
			t->v = xrealloc(t->v, t->cap * sizeof *t->v);
		}
		t->v[t->n++] = k;
		memset(&k, 0, sizeof k);
	}
	if (t->n)
		qsort(t->v, t->n, sizeof *t->v, cmp_keys);
	return t;
}

struct ike_keys *ike_keys_load(const char *path, char *err, size_t errsz)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return NULL;
	}
	struct sbuf b;
	sbuf_init(&b, 64u << 20);
	char chunk[65536];
	size_t r;
	int big = 0;
	while ((r = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (sbuf_add(&b, chunk, r)) {
			big = 1;
			break;
		}
	fclose(f);
	if (big) {
		snprintf(err, errsz, "%s: larger than 64 MiB", path);
		sbuf_free(&b);
		return NULL;
	}
	char why[600];
	struct ike_keys *k = ike_keys_parse(b.p ? b.p : "", b.len, why, sizeof why);
	if (!k)
		snprintf(err, errsz, "%s:%s", path, why + 4);   /* "line N: x" -> "path:N: x" */
	if (b.p)
		memset(b.p, 0, b.len);        /* key material does not linger */
	sbuf_free(&b);
	return k;
}

void ike_keys_free(struct ike_keys *k)
{
	if (!k)
		return;
	if (k->v)
		memset(k->v, 0, k->n * sizeof *k->v);
	free(k->v);
	free(k);
}

size_t ike_keys_count(const struct ike_keys *k)
{
	return k ? k->n : 0;
}

const struct ike_sa_keys *ike_keys_find(const struct ike_keys *k, uint64_t spi_i, uint64_t spi_r)
{
	if (!k || !k->n)
		return NULL;
	struct ike_sa_keys key;
	key.spi_i = spi_i;
	key.spi_r = spi_r;
	return bsearch(&key, k->v, k->n, sizeof *k->v, cmp_keys);
}
