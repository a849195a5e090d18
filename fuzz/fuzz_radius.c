/* \summary: fuzz the RADIUS decoder (and EAP) through the capture layer
 *
 * Input: records [flags:1][len:2 big-endian][payload:len], up to 32, each
 * sent as one UDP datagram in one capture so pairing, retransmits,
 * timeouts and roles are exercised across them. flags bit 0: a response
 * (server -> client); bit 1: through a second host (the proxy's outgoing
 * leg); bits 2-3: seconds to the next packet (0, 1, 40, 100). Every tshark
 * field of the dictionary is asked for, the tree and the summary are on,
 * and a secret is given for one server, so the formatting and the checks
 * run too. A raw event must stay NUL-terminated and carry no control
 * character (escaped). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "core/input.h"
#include "core/str.h"
#include "decoders/capture.h"
#include "decoders/fields.h"
#include "decoders/radius_dict.h"
#include "decoders/secrets.h"

static void sink_emit(struct ev_sink *self, struct ev *e)
{
	(void)self;
	if (e->raw) {
		if (e->raw[e->raw_len] != 0)
			abort();
		for (size_t i = 0; i < e->raw_len; i++)
			if ((unsigned char)e->raw[i] < 0x20)
				abort();
	}
}

static struct fields *fields;

static void make_fields(void)
{
	static const char *extra[] = {"radius.code", "radius.id", "radius.length",
		"radius.authenticator", "radius.authenticator.valid", "radius.avp.type",
		"radius.avp.vendor_id", "radius.avp.vendor_type", "radius.avp.vendor_len",
		"radius.avp.extended_type", "radius.avp.extended_more", "radius.Unknown_Attribute",
		"radius.CHAP_Ident", "eap.code", "eap.id", "eap.len", "eap.type", "eap.identity",
		"eap.md5.value_size", "eap.tls.flags", "eap.ms_chap_v2.opcode", "eap.desired_type",
		"eap.notification", "eap.ms_chap_v2.name", "eap.ms_chap_v2.message", "udp.srcport"};
	size_t n = sizeof extra / sizeof *extra + rad_nattrs * 2;
	const char **names = xcalloc(n, sizeof *names);
	size_t k = 0;
	for (size_t i = 0; i < sizeof extra / sizeof *extra; i++)
		names[k++] = extra[i];
	char buf[160];
	for (size_t i = 0; i < rad_nattrs; i++) {
		names[k++] = xstrdup(rad_attrs[i].field);
		snprintf(buf, sizeof buf, "%s.tag", rad_attrs[i].field);
		names[k++] = xstrdup(buf);
	}
	struct fields_opts fo = {'\t', '|', 'a', 0, 0};
	fields = fields_new(names, k, &fo);
	for (size_t i = sizeof extra / sizeof *extra; i < k; i++)
		free((char *)names[i]);
	free(names);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!fields)
		make_fields();
	static struct dtree *tree;
	if (!tree)
		tree = dtree_new();
	struct sbuf summary;
	sbuf_init(&summary, 1u << 20);
	struct secrets *sec = secrets_new();
	char err[64];
	if (secrets_add(sec, "10.0.0.2=testing123", err, sizeof err))
		abort();
	struct ev_sink sink = {sink_emit};
	struct capture_opts o = {.secrets = sec, .fields = fields, .tree = tree,
				 .summary = &summary};
	struct capture *c = capture_new(input_new("fuzz.pcap", SRC_PCAP), &sink, &o);
	static uint8_t frame[28 + 65536];
	int64_t ts = 1700000000LL * 1000000000;
	static const int64_t gap[] = {0, 1, 40, 100};
	for (int rec = 0; rec < 32 && size >= 3; rec++) {
		uint8_t fl = data[0];
		size_t n = (size_t)data[1] << 8 | data[2];
		data += 3;
		size -= 3;
		if (n > size)
			n = size;
		int resp = fl & 1, leg2 = (fl >> 1) & 1;
		uint8_t cli = leg2 ? 2 : 1, srv = leg2 ? 3 : 2;
		uint16_t cport = leg2 ? 40000 : 1645, sport = 1812;
		size_t ulen = n + 8, tot = 20 + ulen;
		uint8_t h[28] = {0x45, 0, (uint8_t)(tot >> 8), (uint8_t)tot, 0, 0, 0, 0, 64, 17, 0, 0,
				 10, 0, 0, resp ? srv : cli, 10, 0, 0, resp ? cli : srv,
				 (uint8_t)((resp ? sport : cport) >> 8), (uint8_t)(resp ? sport : cport),
				 (uint8_t)((resp ? cport : sport) >> 8), (uint8_t)(resp ? cport : sport),
				 (uint8_t)(ulen >> 8), (uint8_t)ulen, 0, 0};
		memcpy(frame, h, 28);
		memcpy(frame + 28, data, n);
		capture_frame(c, DLT_RAW, ts, frame, 28 + n, 28 + n);
		ts += gap[(fl >> 2) & 3] * 1000000000;
		data += n;
		size -= n;
	}
	capture_close(c);
	secrets_free(sec);
	sbuf_free(&summary);
	input_reset_all();
	return 0;
}
