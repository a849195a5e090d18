/* \summary: RADIUS from captures (first cut: header fields; the full decoder follows) */
#include "decoders/radius.h"

#include <stdlib.h>

#include "core/str.h"
#include "decoders/rd.h"

int radius_port(uint16_t port)
{
	switch (port) {
	case 1812: case 1813: case 1645: case 1646: case 1700: case 3799:
		return 1;
	}
	return 0;
}

static int known_code(unsigned c)
{
	return (c >= 1 && c <= 13) || (c >= 21 && c <= 34 && c != 28) || (c >= 40 && c <= 45) ||
	       c == 50 || c == 51 || (c >= 129 && c <= 132);
}

int radius_looks_valid(const uint8_t *data, size_t len)
{
	if (len < 20 || !known_code(data[0]))
		return 0;
	unsigned l = (unsigned)data[2] << 8 | data[3];
	return l >= 20 && l <= 4096;
}

void radius_udp(struct pkt *p, const uint8_t *data, size_t len)
{
	struct rd r = rd_make(data, len);
	uint8_t code, id;
	uint16_t rlen;
	const uint8_t *auth;
	if (rd_u8(&r, &code) || rd_u8(&r, &id) || rd_be16(&r, &rlen) || rd_bytes(&r, &auth, 16))
		return;
	fld_add(p->fields, "radius.code", "%u", code);
	fld_add(p->fields, "radius.id", "%u", id);
	fld_add(p->fields, "radius.length", "%u", rlen);
	fld_add_hex(p->fields, "radius.authenticator", auth, 16);
}

void radius_icmp_unreach(struct pkt *p, const char *qsrc, const char *qdst,
			 uint16_t qsport, uint16_t qdport, int port, int code)
{
	(void)p; (void)qsrc; (void)qdst; (void)qsport; (void)qdport; (void)port; (void)code;
}

struct radius_track {
	int unused;
};

struct radius_track *radius_track_new(struct ev_sink *sink, uint32_t input, unsigned src_kind)
{
	(void)sink; (void)input; (void)src_kind;
	return xcalloc(1, sizeof(struct radius_track));
}

void radius_track_advance(struct radius_track *t, int64_t now_ns)
{
	(void)t; (void)now_ns;
}

void radius_track_finish(struct radius_track *t)
{
	(void)t;
}

void radius_track_free(struct radius_track *t)
{
	free(t);
}
