/* \summary: fuzz a capture file: libpcap's reader over our stream, link
 * layers, IPv4/IPv6, fragments, ICMP, UDP dispatch, RADIUS and EAP
 *
 * Input: a pcap or pcapng file. The frame/ip/udp/radius fields, the tree
 * and the summary are on, with a secret for every leg. At most one damage
 * report per input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/input.h"
#include "core/str.h"
#include "decoders/capture.h"
#include "decoders/fields.h"
#include "decoders/secrets.h"
#include "ingest/streams.h"

static int damaged;

static void sink_emit(struct ev_sink *self, struct ev *e)
{
	(void)self;
	if (e->kind == EVK_INPUT_DAMAGED)
		damaged++;
	if (e->raw && e->raw[e->raw_len] != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *names[] = {"frame.number", "frame.time_epoch", "frame.len",
		"ip.src", "ip.dst", "ipv6.src", "ipv6.dst", "udp.srcport", "udp.dstport",
		"icmp.type", "icmpv6.type", "radius.code", "radius.id", "radius.avp.type",
		"radius.User_Name", "radius.User_Password", "radius.authenticator.valid",
		"radius.avp.vendor_id", "eap.code", "eap.type", "eap.identity"};
	static struct fields *f;
	static struct dtree *tree;
	if (!f) {
		struct fields_opts fo = {'\t', '|', 'a', 0, 1};
		f = fields_new(names, sizeof names / sizeof *names, &fo);
		tree = dtree_new();
	}
	struct sbuf summary;
	sbuf_init(&summary, 1u << 20);
	struct secrets *sec = secrets_new();
	char err[64];
	if (secrets_add(sec, "testing123", err, sizeof err))
		abort();
	struct port_map *pm = NULL;
	if (port_map_add(&pm, "udp.port==18120,radius", err, sizeof err))
		abort();
	struct stream *m = stream_mem_new(data, size);
	struct ev_sink sink = {sink_emit};
	struct capture_opts o = {.secrets = sec, .ports = pm, .fields = f, .tree = tree,
				 .summary = &summary};
	damaged = 0;
	/* through the input formats when the bytes sniff as one (as ingest
	 * drives them), else straight into the reader (libpcap's refusals) */
	const struct format *fmt = fmt_pcap.sniff(data, size) ? &fmt_pcap
				 : fmt_pcapng.sniff(data, size) ? &fmt_pcapng : NULL;
	if (fmt) {
		struct format_ctx ctx = {input_new("fuzz.pcap", fmt->kind), &sink, m, sec, NULL, pm};
		void *st = fmt->open(&ctx);
		for (int i = 0; i < 100000 && fmt->step(st); i++)
			;
		fmt->close(st);
	} else {
		struct capture *c = capture_open(m, input_new("fuzz.pcap", SRC_PCAP), &sink, &o);
		for (int i = 0; i < 100000 && capture_step(c); i++)
			;
		capture_close(c);
	}
	if (damaged > 2)    /* the file once, an unknown link type once */
		abort();
	m->close(m);
	port_map_free(pm);
	secrets_free(sec);
	sbuf_free(&summary);
	input_reset_all();
	return 0;
}
