/* IKE decoder throughput.
 *   bench_ike hdr N   -> packets seconds events : IKEv2 messages in clear
 *                        (IKE_SA_INIT request/response, a notify, an SK
 *                        message without keys) through ike_udp() to events
 *   bench_ike sk N ALG -> packets seconds events : IKE_AUTH SK payloads
 *                        (ALG gcm = AES-GCM-256/16, cbc = AES-CBC-256 +
 *                        HMAC-SHA2-256-128) decrypted, ICV checked, the inner
 *                        IDi/AUTH/SA/TS/CP payloads decoded to events */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "core/event.h"
#include "core/str.h"
#include "decoders/dissect.h"
#include "decoders/ike_keys.h"
#include "decoders/ike_sa.h"
#include "decoders/ikev2.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static long events;
static int show;
static void count_emit(struct ev_sink *s, struct ev *e)
{
	(void)s;
	if (show && events < 6)
		fprintf(stderr, "%s %s %s\n", ev_kind_name(e->kind), e->text ? e->text : "-",
			e->user ? e->user : "-");
	events++;
}

static size_t put(uint8_t *b, size_t k, const char *hex)
{
	for (; hex[0] && hex[1]; hex += 2) {
		if (*hex == ' ') {
			hex--;
			continue;
		}
		unsigned v;
		sscanf(hex, "%2x", &v);
		b[k++] = (uint8_t)v;
	}
	return k;
}

static void be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

#define NMSG 1024
static uint8_t msgs[NMSG][512];
static size_t lens[NMSG];

/* clear messages: SA_INIT request + response (SA, KE, Nonce, 2 notifies),
 * an SK message (no keys), for 256 SAs */
static void make_hdr(void)
{
	const char *init =
		"2100000000000000" "0000000000000000" "21 20 22 08 00000000 00000000"
		"22000030" "0000002c 01010004" "0300000c 0100000c 800e0080" "03000008 02000005"
		"03000008 0300000c" "00000008 04000013"
		"28000048 00130000" "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
		"29000024" "0000000000000000000000000000000000000000000000000000000000000000"
		"2900001c 00004004 0000000000000000000000000000000000000000"
		"0000001c 00004005 0000000000000000000000000000000000000000";
	for (int i = 0; i < NMSG; i++) {
		uint8_t *b = msgs[i];
		size_t k = put(b, 0, init);
		be32(b + 24, (uint32_t)k);
		be32(b, 0x21000000u | (uint32_t)(i / 4));      /* SPIi: 4 messages per SA */
		switch (i % 4) {
		case 1:                                           /* the response */
			b[8] = 0x5a;
			b[19] = 0x20;
			break;
		case 2:                                           /* IKE_AUTH request, SK */
			b[8] = 0x5a;
			b[16] = 46;
			b[18] = 35;
			b[19] = 0x08;
			b[23] = 1;
			k = 28 + put(b, 28, "2300004c 00112233445566778899aabbccddeeff");
			memset(b + 48, 0x5c, 56);
			k = 104;
			be32(b + 24, (uint32_t)k);
			break;
		case 3:                                           /* IKE_AUTH response, SK */
			b[8] = 0x5a;
			b[16] = 46;
			b[18] = 35;
			b[19] = 0x20;
			b[23] = 1;
			k = 28 + put(b, 28, "2400004c 00112233445566778899aabbccddeeff");
			memset(b + 48, 0x5c, 56);
			k = 104;
			be32(b + 24, (uint32_t)k);
			break;
		}
		lens[i] = k;
	}
}

static const char *ei = "647075bf167447a1c8683e8dbe4794b4cfe73799cc6bec34905441159ce13705c8dfb3a9";
static const char *er = "15c9eae6f94631d63068bf44bb69999abc07b3d15e915fd8f0ed99ad481efd75deb02a5e";
static const char *ai = "12d532c3e83c757906af548dfe1ccf223ca5507af77898454e2d55c8ace57a17";

/* IKE_AUTH messages with distinct message ids, SK{IDi, AUTH, SA, TSi, TSr, CP} */
static void make_sk(int gcm)
{
	const char *inner =
		"27000019 02000000 616c696365406578616d706c652e6e6574"           /* IDi FQDN */
		"21000028 02000000 0000000000000000000000000000000000000000000000000000000000000000"
		"2c00002c 00000028 01030403 01020304 0300000c 0100000c 800e0100 03000008 0300000c 00000008 05000000"
		"2d000018 01000000 07000010 0000ffff 0a000000 0affffff"
		"2f000018 01000000 07000010 0000ffff 00000000 ffffffff"
		"00000010 02000000 00010004 0a080005";
	uint8_t plain[400], kei[64], kai[64];
	size_t pn = put(plain, 0, inner);
	put(kei, 0, ei);
	put(kai, 0, ai);
	size_t pad = gcm ? 0 : (16 - (pn + 1) % 16) % 16;
	memset(plain + pn, 0, pad);
	pn += pad;
	plain[pn++] = (uint8_t)pad;
	unsigned ivl = gcm ? 8 : 16, icvl = 16;
	for (int i = 0; i < NMSG; i++) {
		uint8_t *b = msgs[i];
		size_t k = put(b, 0, "0158b8fb90b7623d 13514610cea16160 2e 20 23 08 00000000 00000000");
		be32(b + 20, (uint32_t)(i + 1));
		size_t body = 4 + ivl + pn + icvl;
		be32(b + 24, (uint32_t)(28 + body));
		b[k++] = 35;
		b[k++] = 0;
		b[k++] = (uint8_t)(body >> 8);
		b[k++] = (uint8_t)body;
		uint8_t *iv = b + k;
		for (unsigned j = 0; j < ivl; j++)
			iv[j] = (uint8_t)(i * 7 + j);
		k += ivl;
		EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
		int l = 0;
		if (gcm) {
			uint8_t nonce[12];
			memcpy(nonce, kei + 32, 4);
			memcpy(nonce + 4, iv, 8);
			EVP_EncryptInit_ex(c, EVP_aes_256_gcm(), NULL, NULL, NULL);
			EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_IVLEN, 12, NULL);
			EVP_EncryptInit_ex(c, NULL, NULL, kei, nonce);
			EVP_EncryptUpdate(c, NULL, &l, b, (int)(k - ivl));
			EVP_EncryptUpdate(c, b + k, &l, plain, (int)pn);
			EVP_EncryptFinal_ex(c, b + k + l, &l);
			EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, 16, b + k + pn);
		} else {
			EVP_EncryptInit_ex(c, EVP_aes_256_cbc(), NULL, kei, iv);
			EVP_CIPHER_CTX_set_padding(c, 0);
			EVP_EncryptUpdate(c, b + k, &l, plain, (int)pn);
			unsigned ml;
			uint8_t mac[64];
			HMAC(EVP_sha256(), kai, 32, b, k + pn, mac, &ml);
			memcpy(b + k + pn, mac, 16);
		}
		EVP_CIPHER_CTX_free(c);
		lens[i] = k + pn + icvl;
	}
}

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	long n = atol(argv[2]);
	show = getenv("BENCH_IKE_SHOW") != NULL;
	int sk = !strcmp(argv[1], "sk");
	int gcm = argc > 3 && !strcmp(argv[3], "gcm");
	struct ike_keys *keys = NULL;
	if (sk) {
		char row[600], err[300];
		snprintf(row, sizeof row, "0158b8fb90b7623d,13514610cea16160,%s,%s,\"%s\",%s,%s,\"%s\"\n",
			 gcm ? ei : "9096ddd2933620e8f48122c53a3f562cb0222c1cf97ce41fcc874ea2582a89ac",
			 gcm ? er : "6718c6b2bbef2f234eac4c13832f885d87b574afd2af0111161e99b5dc61b4d4",
			 gcm ? "AES-GCM-256 with 16 octet ICV [RFC5282]" : "AES-CBC-256 [RFC3602]",
			 gcm ? "" : ai, gcm ? "" : ai,
			 gcm ? "NONE [RFC4306]" : "HMAC_SHA2_256_128 [RFC4868]");
		if (!gcm)
			ei = "9096ddd2933620e8f48122c53a3f562cb0222c1cf97ce41fcc874ea2582a89ac";
		keys = ike_keys_parse(row, strlen(row), err, sizeof err);
		if (!keys) {
			fprintf(stderr, "%s\n", err);
			return 1;
		}
		make_sk(gcm);
	} else {
		make_hdr();
	}
	struct ev_sink sink = {count_emit};
	struct ike_state *st = ike_state_new();
	struct pkt p;
	memset(&p, 0, sizeof p);
	p.src = intern_cstr("198.51.100.7");
	p.dst = intern_cstr("203.0.113.1");
	p.sport = p.dport = 500;
	p.sink = &sink;
	p.ike = st;
	p.ike_keys = keys;
	double t0 = now();
	for (long i = 0; i < n; i++) {
		int m = (int)(i % NMSG);
		if (!sk && m == 0 && i) {
			/* new SAs for the next round: bump the SPI's high byte */
			for (int j = 0; j < NMSG; j++)
				msgs[j][1]++;
		}
		p.frame = (uint64_t)i + 1;
		p.ts_ns = i * 1000LL;
		p.caplen = p.wirelen = (uint32_t)lens[m] + 42;
		ike_udp(&p, msgs[m], lens[m]);
	}
	double t = now() - t0;
	ike_flush(&p);
	printf("%ld %.6f %ld\n", n, t, events);
	ike_state_free(st);
	ike_keys_free(keys);
	return 0;
}
