/* \summary: fuzz the IKEv2/IKEv1/NAT-T/ESP decoder with fields, tree and
 * events all on. Byte 0 picks the path (UDP 500, UDP 4500, ESP); the rest
 * is the datagram. */
#include <stdint.h>
#include <string.h>

#include "core/event.h"
#include "decoders/dissect.h"
#include "decoders/fields.h"
#include "decoders/ike_sa.h"
#include "decoders/ikev2.h"

static void sink_emit(struct ev_sink *self, struct ev *e)
{
	(void)self;
	/* touch what a real sink reads */
	volatile size_t n = e->text ? strlen(e->text) : 0;
	(void)n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const cols[] = {
		"isakmp.ispi", "isakmp.nextpayload", "isakmp.typepayload", "isakmp.payloadlength",
		"isakmp.notify.msgtype", "isakmp.tf.type", "isakmp.id.type", "isakmp.auth.data",
		"isakmp.ts.type", "isakmp.cfg.type", "isakmp.enc.iv", "isakmp.frag.number",
		"udpencap.non_esp_marker", "esp.spi", "eap.code",
	};
	if (size < 1)
		return 0;
	struct fields_opts fo = {'\t', '|', 'a', 0, 0};
	struct fields *f = fields_new(cols, sizeof cols / sizeof cols[0], &fo);
	struct dtree *t = dtree_new();
	struct ev_sink sink = {sink_emit};
	struct ike_state *st = ike_state_new();
	struct sbuf sum;
	sbuf_init(&sum, 4096);
	struct pkt p;
	memset(&p, 0, sizeof p);
	p.frame = 1;
	p.src = "192.0.2.1";
	p.dst = "192.0.2.2";
	p.fields = f;
	p.tree = t;
	p.summary = &sum;
	p.sink = &sink;
	p.ike = st;
	p.caplen = p.wirelen = (uint32_t)size + 41;
	switch (data[0] % 4) {
	case 0:
		p.sport = p.dport = 500;
		ike_udp(&p, data + 1, size - 1);
		break;
	case 1:
		p.sport = p.dport = 4500;
		ike_udp(&p, data + 1, size - 1);
		break;
	case 2:
		esp_ip(&p, data + 1, size - 1);
		break;
	default:
		/* the same datagram twice: retransmission paths */
		p.sport = p.dport = 500;
		ike_udp(&p, data + 1, size - 1);
		p.frame = 2;
		p.wirelen = p.caplen + 10;       /* and as a cut frame */
		ike_udp(&p, data + 1, size - 1);
		break;
	}
	ike_flush(&p);
	sbuf_free(&sum);
	ike_state_free(st);
	dtree_free(t);
	fields_free(f);
	return 0;
}
