/* \summary: fuzz IKEv2 decryption: the key table parser (byte 0 = 0), and
 * SK/SKF decryption plus the decoding of what comes out (byte 0 = 1..), with
 * one row per algorithm whose SPIs are patched into the message so every
 * input reaches ike_decrypt(). NULL encryption lets the fuzzer write the
 * plaintext itself. The keys are test keys (Wireshark's test suite). */
#include <stdint.h>
#include <string.h>

#include "core/event.h"
#include "decoders/dissect.h"
#include "decoders/fields.h"
#include "decoders/ike_crypt.h"
#include "decoders/ike_keys.h"
#include "decoders/ike_sa.h"
#include "decoders/ikev2.h"

static const char table[] =
	"0000000000000001,0000000000000002,,,\"NULL [RFC2410]\",,,\"NONE [RFC4306]\"\n"
	"0000000000000003,0000000000000004,,,\"NULL [RFC2410]\",,,\"ANY 96-bits of Authentication [No Checking]\"\n"
	"0000000000000005,0000000000000006,,,\"NULL [RFC2410]\",000102030405060708090a0b0c0d0e0f10111213,"
	"000102030405060708090a0b0c0d0e0f10111213,\"HMAC_SHA1_96 [RFC2404]\"\n"
	"19ab98963486359f,78f13157ccd3b3d8,2e0e194070fc658c2bfbfdbf8b956be4b2eaa33d02a43cca,219f3080e631774b8d5836d3a675b099b1e271c9bdcf6e15,\"3DES [RFC2451]\",c96f5bad08aebbff60509c7495f11c183818b916,e742ac415cdfdd709c9de92769a169e0a5224f79,\"HMAC_SHA1_160 [RFC4595]\"\n"
	"ea684d21597afd36,d9fe2ab22dac23ac,be83fe15f6a9976941870830fe26c014b863b3,79e0f4476861a76e64329e787b1c4ff38d732f,\"AES-CCM-128 with 12 octet ICV [RFC5282]\",,,\"NONE [RFC4306]\"\n"
	"a2926ae833c6f138,5464c57d0dc5e272,5daf82e6fd7e57d5fbf76cd5af73fd46035db0bc,68848f4a7602b20c7d033cc998b0c097032ac38a,\"AES-CTR-128 [RFC5930]\",,,\"ANY 96-bits of Authentication [No Checking]\"\n"
	"81f24c0acd8fa55c,192383172724c706,aaa06839eaf0959d486eeecda7a48b23080963b5fd7217928e8fbf58,92dc96ec87076caa84e26b3621c7c469427e2e4bcc1b962362a3dde3,\"AES-CTR-192 [RFC5930]\",65777be31ee2137f31cf23fa0ee834dfede11cc0adc9a84541026642c09df2bf96056a2036e97a67ce7d3c5b6f37e17e8fe64f4ef23e14f5997fb7671df3adaf,42abd4709f1b94fd8c2270c74aae3fbe61c0b9c109c55f3e3b9ed7e480bc75c3985c15234caa623c8ca0606c303921d7cfd44861df1e798370b2ee95fe712e52,\"HMAC_SHA2_512_256 [RFC4868]\"\n"
	"191ccd371a7a1f7b,bc123d15e4af593f,9096ddd2933620e8f48122c53a3f562cb0222c1cf97ce41fcc874ea2582a89ac,6718c6b2bbef2f234eac4c13832f885d87b574afd2af0111161e99b5dc61b4d4,\"AES-CBC-256 [RFC3602]\",12d532c3e83c757906af548dfe1ccf223ca5507af77898454e2d55c8ace57a17,30c4ead18c93024b58a86c1e3db60f550221801026853170b4cb0248d3a95329,\"HMAC_SHA2_256_128 [RFC4868]\"\n"
	"cd7ae76304b277e2,74f6080ed799d463,daa0a85a81e6adda7b8c568f1c4cfaa6e9f9edb242e9895f012caaa642eacf4d004903,e02281ba4bb8ed20321faff956b95ce7f841b3039984dad4ed4625e77743fce4a04f32,\"AES-CCM-256 with 16 octet ICV [RFC5282]\",,,\"NONE [RFC4306]\"\n"
	"5d48bfeeb7d574da,bbb73016c0503640,91b817d036d97db3ace64475cd8d1cbeab186295020211a9cf0c16cec10b92b453ecd24e,d04516586721974d970627d85f7d031433b6558c0ec6faecf9217e5445e17e7eeee6bc68,\"AES-GCM-256 with 8 octet ICV [RFC5282]\",,,\"NONE [RFC4306]\"\n"
	"0158b8fb90b7623d,13514610cea16160,647075bf167447a1c8683e8dbe4794b4cfe73799cc6bec34905441159ce13705c8dfb3a9,15c9eae6f94631d63068bf44bb69999abc07b3d15e915fd8f0ed99ad481efd75deb02a5e,\"AES-GCM-256 with 16 octet ICV [RFC5282]\",,,\"NONE [RFC4306]\"\n";

static const uint64_t spis[][2] = {
	{1, 2}, {3, 4}, {5, 6},
	{0x19ab98963486359fULL, 0x78f13157ccd3b3d8ULL}, {0xea684d21597afd36ULL, 0xd9fe2ab22dac23acULL},
	{0xa2926ae833c6f138ULL, 0x5464c57d0dc5e272ULL}, {0x81f24c0acd8fa55cULL, 0x192383172724c706ULL},
	{0x191ccd371a7a1f7bULL, 0xbc123d15e4af593fULL}, {0xcd7ae76304b277e2ULL, 0x74f6080ed799d463ULL},
	{0x5d48bfeeb7d574daULL, 0xbbb73016c0503640ULL}, {0x0158b8fb90b7623dULL, 0x13514610cea16160ULL},
};

static void sink_emit(struct ev_sink *self, struct ev *e)
{
	(void)self;
	(void)e;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ike_keys *keys;
	char err[600];
	if (!keys)
		keys = ike_keys_parse(table, sizeof table - 1, err, sizeof err);
	if (size < 2 || !keys)
		return 0;
	if (data[0] == 0) {
		struct ike_keys *k = ike_keys_parse((const char *)data + 1, size - 1, err, sizeof err);
		if (k && ike_keys_count(k))
			(void)ike_keys_find(k, 0, 0);
		ike_keys_free(k);
		return 0;
	}
	size_t row = data[1] % (sizeof spis / sizeof spis[0]);
	static uint8_t msg[65536 + 64];
	size_t n = size - 2 > 65536 ? 65536 : size - 2;
	memcpy(msg, data + 2, n);
	if (n >= 16)
		for (int i = 0; i < 8; i++) {
			msg[i] = (uint8_t)(spis[row][0] >> (56 - 8 * i));
			msg[8 + i] = (uint8_t)(spis[row][1] >> (56 - 8 * i));
		}
	if (data[0] == 1) {
		/* straight into ike_decrypt with body = everything after the header */
		const struct ike_sa_keys *k = ike_keys_find(keys, spis[row][0], spis[row][1]);
		static uint8_t out[65536 + 64];
		struct ike_dec d;
		if (k && n > 32)
			ike_decrypt(k, n & 1, msg, n, 32, n - 32, 32, out, sizeof out, &d);
		return 0;
	}
	static const char *const cols[] = {"isakmp.typepayload", "isakmp.enc.iv", "isakmp.enc.icd",
					   "isakmp.auth.data", "isakmp.cfg.type", "eap.code"};
	struct fields_opts fo = {'\t', '|', 'a', 0, 0};
	struct fields *f = fields_new(cols, sizeof cols / sizeof cols[0], &fo);
	struct dtree *t = dtree_new();
	struct ev_sink sink = {sink_emit};
	struct ike_state *st = ike_state_new();
	struct pkt p;
	memset(&p, 0, sizeof p);
	p.frame = 1;
	p.src = "192.0.2.1";
	p.dst = "192.0.2.2";
	p.sport = p.dport = 500;
	p.fields = f;
	p.tree = t;
	p.sink = &sink;
	p.ike = st;
	p.ike_keys = keys;
	p.caplen = p.wirelen = (uint32_t)n + 42;
	if (data[0] == 3 && n >= 64) {
		/* two messages (fragments of one, say): halves with the same SPIs */
		size_t h = n / 2;
		static uint8_t two[65536 + 64];
		memcpy(two, msg, 16);
		memcpy(two + 16, msg + h, n - h > 16 ? n - h - 16 : 0);
		ike_udp(&p, msg, h);
		p.frame = 2;
		ike_udp(&p, two, n - h);
	} else {
		ike_udp(&p, msg, n);
	}
	ike_flush(&p);
	ike_state_free(st);
	dtree_free(t);
	fields_free(f);
	return 0;
}
