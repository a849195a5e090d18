/* \summary: pcap/pcapng through libpcap, link layers, IPv4/IPv6, UDP dispatch */
#include "decoders/capture.h"

#include <arpa/inet.h>
#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "decoders/fields.h"
#include "decoders/ike_sa.h"
#include "decoders/ikev2.h"
#include "decoders/ipfmt.h"
#include "decoders/ipreasm.h"
#include "decoders/radius.h"
#include "decoders/rd.h"

/* fields cost nothing on the analyze path: not even the call */
#define fld_add(f, ...) do { if (f) fld_add(f, __VA_ARGS__); } while (0)
#define FLD_U(f, name, v) do { if (f) fld_u(f, name, v); } while (0)
#define FLD_S(f, name, s) do { if (f) fld_s(f, name, s, strlen(s)); } while (0)

#ifndef DLT_LINUX_SLL2
#define DLT_LINUX_SLL2 276
#endif
#define LT_RAW_LINKTYPE 101         /* LINKTYPE_RAW as stored in files */
#ifndef DLT_IPV4
#define DLT_IPV4 228
#endif
#ifndef DLT_IPV6
#define DLT_IPV6 229
#endif

#define MAX_VLAN_TAGS 8
#define MAX_IPV6_EXT 16
#define MAX_IP_NEST 2              /* an ICMP error quotes one datagram */

/* ---- -d udp.port==N,proto ---- */

struct port_map {
	size_t n;
	struct {
		uint16_t port;
		uint8_t proto;
	} v[64];
};

int port_map_add(struct port_map **pm, const char *spec, char *err, size_t errsz)
{
	const char *p = spec;
	if (strncmp(p, "udp.port==", 10)) {
		snprintf(err, errsz, "-d wants udp.port==N,radius or udp.port==N,isakmp");
		return -1;
	}
	p += 10;
	char *end;
	errno = 0;
	long port = strtol(p, &end, 10);
	if (end == p || *end != ',' || errno || port < 1 || port > 65535) {
		snprintf(err, errsz, "-d: bad port in '%s'", spec);
		return -1;
	}
	const char *proto = end + 1;
	unsigned pr;
	if (!strcmp(proto, "radius"))
		pr = CPROTO_RADIUS;
	else if (!strcmp(proto, "isakmp"))
		pr = CPROTO_ISAKMP;
	else {
		snprintf(err, errsz, "-d: protocol must be radius or isakmp, not '%s'", proto);
		return -1;
	}
	if (!*pm)
		*pm = xcalloc(1, sizeof **pm);
	struct port_map *m = *pm;
	for (size_t i = 0; i < m->n; i++)
		if (m->v[i].port == port) {
			m->v[i].proto = (uint8_t)pr;
			return 0;
		}
	if (m->n == sizeof m->v / sizeof m->v[0]) {
		snprintf(err, errsz, "-d: at most 64 port mappings");
		return -1;
	}
	m->v[m->n].port = (uint16_t)port;
	m->v[m->n].proto = (uint8_t)pr;
	m->n++;
	return 0;
}

unsigned port_map_get(const struct port_map *pm, uint16_t port)
{
	if (pm)
		for (size_t i = 0; i < pm->n; i++)
			if (pm->v[i].port == port)
				return pm->v[i].proto;
	return CPROTO_NONE;
}

void port_map_free(struct port_map *pm)
{
	free(pm);
}

/* ---- the reader ---- */

/* Interned addresses by their bytes: an open-addressed table (a capture
 * names few hosts; past ADDR_MAX the table starts over). A direct-mapped
 * cache thrashed on colliding pairs, and each miss paid inet_ntop. */
#define ADDR_SLOTS 4096
#define ADDR_MAX (ADDR_SLOTS / 2)

struct addr_slot {
	const char *s;              /* NULL = empty */
	uint8_t ver;
	uint8_t a[16];
};

struct capture {
	struct format_ctx ctx;      /* in, sink: for format_damage */
	struct capture_opts o;
	pcap_t *pc;
	FILE *fp;
	int linktype;
	uint64_t frame;
	int64_t last_ts_ns;
	int reported;               /* damage reported once */
	int bad_link_reported;
	struct reasm *reasm;
	uint64_t reasm_ev_seen;
	struct radius_track *radius;
	struct ike_state *ike;
	uint32_t naddr;
	struct addr_slot addrs[ADDR_SLOTS];
	/* a plain pcap file: records parsed here from big reads (see
	 * fast_step), libpcap only opens it and takes over at anything odd */
	uint8_t head[24];           /* the file header as it went through ck_read */
	size_t headn;
	int fast;                   /* records are read by fast_step */
	int swapped, nano;
	uint32_t snap;              /* libpcap's snapshot length for the file */
	FILE *src;                  /* libpcap's FILE, read past its header */
	uint8_t *rbuf;
	size_t rpos, rlen;
	pcap_t *tpc;                /* libpcap reading the rest after a takeover */
	FILE *tfp;
	size_t tpos;                /* takeover stream: bytes of head + rbuf served */
};

static const char *addr_intern(struct capture *c, unsigned ver, const uint8_t *a)
{
	size_t n = ver == 4 ? 4 : 16;
	uint64_t h;
	if (ver == 4) {
		uint32_t w;
		memcpy(&w, a, 4);
		h = (uint64_t)w * 0x9e3779b97f4a7c15ull;
	} else {
		uint64_t w0, w1;
		memcpy(&w0, a, 8);
		memcpy(&w1, a + 8, 8);
		h = (w0 ^ (w1 * 0xff51afd7ed558ccdull)) * 0x9e3779b97f4a7c15ull;
	}
	uint32_t m = ADDR_SLOTS - 1, i = (uint32_t)(h >> 40) & m;
	struct addr_slot *s;
	for (;; i = (i + 1) & m) {
		s = &c->addrs[i];
		if (!s->s)
			break;
		if (s->ver == ver && (ver == 4 ? !memcmp(s->a, a, 4) : !memcmp(s->a, a, 16)))
			return s->s;
	}
	char buf[INET6_ADDRSTRLEN];
	size_t len;
	if (ver == 4) {
		len = ip4_fmt(buf, a);
	} else {
		if (!inet_ntop(AF_INET6, a, buf, sizeof buf))
			buf[0] = 0;
		len = strlen(buf);
	}
	const char *r = intern(buf, len);
	if (c->naddr >= ADDR_MAX) {
		memset(c->addrs, 0, sizeof c->addrs);   /* full: start over */
		c->naddr = 0;
		for (i = (uint32_t)(h >> 40) & m; c->addrs[i].s; i = (i + 1) & m)
			;
		s = &c->addrs[i];
	}
	c->naddr++;
	s->s = r;
	s->ver = (uint8_t)ver;
	memcpy(s->a, a, n);
	return r;
}

static void ip_payload(struct capture *c, struct pkt *p, unsigned proto, const uint8_t *data,
		       size_t len, int depth);

/* ---- UDP ---- */

static unsigned port_proto(const struct capture *c, uint16_t port)
{
	unsigned pr = port_map_get(c->o.ports, port);
	if (pr)
		return pr;
	if (radius_port(port))
		return CPROTO_RADIUS;
	if (port == 500 || port == 4500)
		return CPROTO_ISAKMP;
	return CPROTO_NONE;
}

/* decode --redact -x: a RADIUS packet shows its 20-byte header, an IKE
 * message its 28-byte header (after a non-ESP marker), ESP its SPI and
 * sequence; every attribute and payload body (names, addresses, EAP,
 * AnyConnect XML) and any other UDP payload is masked. */
static void redact_mask_udp(struct pkt *p, unsigned pr, uint16_t sport, uint16_t dport,
			    const uint8_t *pl, size_t plen)
{
	size_t keep = 0;
	if (pr == CPROTO_RADIUS) {
		keep = 20;
	} else if (pr == CPROTO_ISAKMP) {
		int natt = sport == 4500 || dport == 4500;
		if (natt && plen >= 4 && !(pl[0] | pl[1] | pl[2] | pl[3]))
			keep = 4 + 28;      /* non-ESP marker, IKE header */
		else if (natt && plen > 8)
			keep = 8;           /* ESP in UDP: SPI, sequence, ciphertext */
		else
			keep = 28;
		if (keep == 8)
			return;
	}
	if (plen > keep)
		pkt_mask(p, pl + keep, plen - keep);
}

static void udp(struct capture *c, struct pkt *p, const uint8_t *data, size_t len)
{
	struct rd r = rd_make(data, len);
	uint16_t sport, dport, ulen;
	if (rd_be16(&r, &sport) || rd_be16(&r, &dport))
		return;
	FLD_U(p->fields, "udp.srcport", sport);
	FLD_U(p->fields, "udp.dstport", dport);
	FLD_U(p->fields, "udp.port", sport);
	FLD_U(p->fields, "udp.port", dport);
	if (rd_be16(&r, &ulen) || rd_skip(&r, 2))
		return;
	FLD_U(p->fields, "udp.length", ulen);
	p->sport = sport;
	p->dport = dport;
	size_t plen = rd_left(&r);
	if (ulen == 0 && p->ipver == 6) {
		/* jumbogram: the IPv6 length rules */
	} else if (ulen < 8) {
		return;
	} else if ((size_t)ulen - 8 < plen) {
		plen = (size_t)ulen - 8;     /* the rest is link padding */
	}
	const uint8_t *pl = rd_ptr(&r);
	p->udp_paylen = ulen >= 8 ? (uint32_t)ulen - 8 : (uint32_t)plen;
	if (p->udp_paylen < plen)
		p->udp_paylen = (uint32_t)plen;
	/* tshark tries the lower port first */
	uint16_t lo = sport < dport ? sport : dport, hi = sport < dport ? dport : sport;
	unsigned pr = port_proto(c, lo);
	if (!pr)
		pr = port_proto(c, hi);
	if (p->redact)
		redact_mask_udp(p, pr, sport, dport, pl, plen);
	if (pr == CPROTO_RADIUS) {
		radius_udp(p, pl, plen);   /* it checks the header itself */
	} else if (pr == CPROTO_ISAKMP) {
		ike_udp(p, pl, plen);
	}
}

/* ---- ICMP errors ---- */

/* The quoted datagram: dissected for fields (inner = 1), then matched. */
static void icmp_quote(struct capture *c, struct pkt *p, unsigned ver, const uint8_t *q,
		       size_t qlen, int port_unreach, int code, int depth)
{
	size_t mark = p->summary ? p->summary->len : 0;
	if (p->summary && sbuf_printf(p->summary, "ICMP%s %s (code %d) for: ", ver == 6 ? "v6" : "",
				      port_unreach ? "port unreachable" : "error", code)) {
		/* capped */
	}
	size_t after = p->summary ? p->summary->len : 0;
	struct pkt in = *p;
	in.inner = 1;
	in.sink = NULL;
	in.src = in.dst = NULL;
	in.sport = in.dport = 0;
	in.ipver = 0;
	in.proto = 0;
	ip_payload(c, &in, 0, q, qlen, depth + 1);
	/* what the quote's dissection masked is masked in this frame's dump */
	p->nmask = in.nmask;
	memcpy(p->mask_off, in.mask_off, sizeof p->mask_off);
	memcpy(p->mask_len, in.mask_len, sizeof p->mask_len);
	if (p->summary && p->summary->len == after)
		p->summary->len = mark;     /* the quote was nothing we decode */
	if (in.proto == 17 && in.src && in.dst && in.sport && p->radius)
		radius_icmp_unreach(p, in.src, in.dst, in.sport, in.dport, port_unreach, code);
}

static void icmp4(struct capture *c, struct pkt *p, const uint8_t *data, size_t len, int depth)
{
	struct rd r = rd_make(data, len);
	uint8_t type, code;
	if (rd_u8(&r, &type) || rd_u8(&r, &code))
		return;
	FLD_U(p->fields, "icmp.type", type);
	FLD_U(p->fields, "icmp.code", code);
	if (rd_skip(&r, 6))
		return;
	if ((type == 3 || type == 11 || type == 12) && depth < MAX_IP_NEST)
		icmp_quote(c, p, 4, rd_ptr(&r), rd_left(&r), type == 3 && code == 3,
			   type == 3 ? code : -1, depth);
}

static void icmp6(struct capture *c, struct pkt *p, const uint8_t *data, size_t len, int depth)
{
	struct rd r = rd_make(data, len);
	uint8_t type, code;
	if (rd_u8(&r, &type) || rd_u8(&r, &code))
		return;
	FLD_U(p->fields, "icmpv6.type", type);
	FLD_U(p->fields, "icmpv6.code", code);
	if (rd_skip(&r, 6))
		return;
	if ((type == 1 || type == 3) && depth < MAX_IP_NEST)
		icmp_quote(c, p, 6, rd_ptr(&r), rd_left(&r), type == 1 && code == 4,
			   type == 1 ? 100 + code : -1, depth);
}

/* ---- IP ---- */

static void transport(struct capture *c, struct pkt *p, unsigned proto, const uint8_t *data,
		      size_t len, int depth)
{
	p->proto = (uint8_t)proto;
	switch (proto) {
	case 17:
		udp(c, p, data, len);
		break;
	case 50:
		if (!p->inner)
			esp_ip(p, data, len);
		break;
	case 1:
		if (p->ipver == 4)
			icmp4(c, p, data, len, depth);
		break;
	case 58:
		if (p->ipver == 6)
			icmp6(c, p, data, len, depth);
		break;
	}
}

/* AH (RFC 4302) walked past: next header, length in 32-bit words minus 2. */
static int skip_ah(struct rd *r, unsigned *proto)
{
	uint8_t nh, l;
	if (rd_u8(r, &nh) || rd_u8(r, &l) || rd_skip(r, ((size_t)l + 2) * 4 - 2))
		return -1;
	*proto = nh;
	return 0;
}

static void ipv4(struct capture *c, struct pkt *p, const uint8_t *data, size_t len, int depth)
{
	struct rd r = rd_make(data, len);
	uint8_t vhl, ttl, proto;
	uint16_t tot, id, frag;
	if (rd_u8(&r, &vhl) || rd_skip(&r, 1) || rd_be16(&r, &tot) || rd_be16(&r, &id) ||
	    rd_be16(&r, &frag) || rd_u8(&r, &ttl) || rd_u8(&r, &proto) || rd_skip(&r, 2))
		return;
	size_t hlen = (size_t)(vhl & 15) * 4;
	if ((vhl >> 4) != 4 || hlen < 20 || tot < hlen)
		return;                 /* tshark: bogus header or total length */
	const uint8_t *src = rd_ptr(&r), *dst = src + 4;
	if (rd_skip(&r, 8))
		return;
	p->ipver = 4;
	if (p->redact)
		pkt_mask(p, src, 8);        /* source and destination */
	p->src = addr_intern(c, 4, src);
	p->dst = addr_intern(c, 4, dst);
	FLD_S(p->fields, "ip.src", p->src);
	FLD_S(p->fields, "ip.dst", p->dst);
	FLD_S(p->fields, "ip.addr", p->src);
	FLD_S(p->fields, "ip.addr", p->dst);
	FLD_U(p->fields, "ip.proto", proto);
	FLD_U(p->fields, "ip.len", tot);
	if (p->fields) {
		static const char hx[] = "0123456789abcdef";
		char t[6] = {'0', 'x', hx[id >> 12], hx[(id >> 8) & 15], hx[(id >> 4) & 15], hx[id & 15]};
		fld_add_str(p->fields, "ip.id", t, 6);
	}
	FLD_U(p->fields, "ip.ttl", ttl);
	if (rd_skip(&r, hlen - 20))
		return;
	size_t plen = rd_left(&r);
	if ((size_t)tot - hlen < plen)
		plen = (size_t)tot - hlen;  /* link-layer padding after the datagram */
	const uint8_t *pl = rd_ptr(&r);
	uint32_t off = (uint32_t)(frag & 0x1fff) * 8;
	int more = !!(frag & 0x2000);
	/* tshark: a fragment whose payload was captured whole goes to
	 * reassembly (fields land on the completing frame); otherwise a first
	 * fragment is dissected as far as it goes and a later one not at all */
	if ((off || more) && p->redact)
		pkt_mask(p, pl, plen);      /* dissected reassembled, elsewhere */
	if (off || more) {
		if (!p->inner && tot > hlen && (size_t)tot - hlen <= plen) {
			struct reasm_key k;
			memset(&k, 0, sizeof k);
			k.ver = 4;
			k.proto = proto;
			memcpy(k.src, src, 4);
			memcpy(k.dst, dst, 4);
			k.id = id;
			const uint8_t *whole;
			size_t wlen;
			if (reasm_add(c->reasm, &k, p->ts_ns, off, more, pl, plen, &whole, &wlen) == 1)
				transport(c, p, proto, whole, wlen, depth);
			return;
		}
		if (off)
			return;
	}
	unsigned pr = proto;
	struct rd body = rd_make(pl, plen);
	if (pr == 51 && skip_ah(&body, &pr))
		return;
	transport(c, p, pr, rd_ptr(&body), rd_left(&body), depth);
}

static void ipv6(struct capture *c, struct pkt *p, const uint8_t *data, size_t len, int depth)
{
	struct rd r = rd_make(data, len);
	uint32_t vtf;
	uint16_t plen16;
	uint8_t nh, hlim;
	if (rd_be32(&r, &vtf) || rd_be16(&r, &plen16) || rd_u8(&r, &nh) || rd_u8(&r, &hlim))
		return;
	if ((vtf >> 28) != 6)
		return;
	const uint8_t *src = rd_ptr(&r), *dst = src + 16;
	if (rd_skip(&r, 32))
		return;
	p->ipver = 6;
	if (p->redact)
		pkt_mask(p, src, 32);       /* source and destination */
	p->src = addr_intern(c, 6, src);
	p->dst = addr_intern(c, 6, dst);
	FLD_S(p->fields, "ipv6.src", p->src);
	FLD_S(p->fields, "ipv6.dst", p->dst);
	FLD_S(p->fields, "ipv6.addr", p->src);
	FLD_S(p->fields, "ipv6.addr", p->dst);
	FLD_U(p->fields, "ipv6.plen", plen16);
	FLD_U(p->fields, "ipv6.nxt", nh);
	/* the payload: bounded by the payload length (0 = jumbo: what we have) */
	struct rd body;
	size_t avail = rd_left(&r), blen = avail;
	if (plen16 && plen16 < blen)
		blen = plen16;
	rd_sub(&r, &body, blen);
	unsigned proto = nh;
	for (int i = 0; i < MAX_IPV6_EXT; i++) {
		if (proto == 0 || proto == 43 || proto == 60) {
			uint8_t n, l;
			const uint8_t *eh = rd_ptr(&body);
			if (rd_u8(&body, &n) || rd_u8(&body, &l) || rd_skip(&body, (size_t)l * 8 + 6))
				return;
			if (p->redact)      /* a routing header lists addresses */
				pkt_mask(p, eh, (size_t)l * 8 + 8);
			proto = n;
		} else if (proto == 51) {
			if (skip_ah(&body, &proto))
				return;
		} else if (proto == 44) {
			uint8_t n;
			uint16_t offm;
			uint32_t fid;
			if (rd_u8(&body, &n) || rd_skip(&body, 1) || rd_be16(&body, &offm) ||
			    rd_be32(&body, &fid))
				return;
			uint32_t off = (uint32_t)(offm & 0xfff8);
			int more = offm & 1;
			if (!off && !more) {     /* an atomic fragment */
				proto = n;
				continue;
			}
			if (p->redact)
				pkt_mask(p, rd_ptr(&body), rd_left(&body));
			if (p->inner || (plen16 && plen16 > avail)) {
				if (off)
					return;
				proto = n;   /* a first fragment not captured whole */
				break;
			}
			struct reasm_key k;
			memset(&k, 0, sizeof k);
			k.ver = 6;
			k.proto = n;
			memcpy(k.src, src, 16);
			memcpy(k.dst, dst, 16);
			k.id = fid;
			const uint8_t *whole;
			size_t wlen;
			if (reasm_add(c->reasm, &k, p->ts_ns, off, more, rd_ptr(&body),
				      rd_left(&body), &whole, &wlen) == 1)
				transport(c, p, n, whole, wlen, depth);
			return;
		} else {
			break;
		}
	}
	transport(c, p, proto, rd_ptr(&body), rd_left(&body), depth);
}

static void ip_payload(struct capture *c, struct pkt *p, unsigned ethertype, const uint8_t *data,
		       size_t len, int depth)
{
	if (depth > MAX_IP_NEST || !len)
		return;
	unsigned v = data[0] >> 4;
	if (ethertype == 0x0800 || (!ethertype && v == 4))
		ipv4(c, p, data, len, depth);
	else if (ethertype == 0x86dd || (!ethertype && v == 6))
		ipv6(c, p, data, len, depth);
}

/* ---- link layers ---- */

static void link_layer(struct capture *c, struct pkt *p, int lt, const uint8_t *data, size_t len)
{
	struct rd r = rd_make(data, len);
	uint16_t type;
	switch (lt) {
	case DLT_EN10MB:
		if (rd_skip(&r, 12) || rd_be16(&r, &type))
			return;
		for (int i = 0; i < MAX_VLAN_TAGS && (type == 0x8100 || type == 0x88a8 ||
						      type == 0x9100); i++)
			if (rd_skip(&r, 2) || rd_be16(&r, &type))
				return;
		break;
	case DLT_LINUX_SLL:
		if (rd_skip(&r, 14) || rd_be16(&r, &type))
			return;
		break;
	case DLT_LINUX_SLL2:
		if (rd_be16(&r, &type) || rd_skip(&r, 18))
			return;
		break;
	case DLT_NULL:
	case DLT_LOOP: {
		uint32_t fam;
		if (lt == DLT_LOOP ? rd_be32(&r, &fam) : rd_le32(&r, &fam))
			return;
		if (lt == DLT_NULL && (fam & 0xffff) == 0)
			fam = ((fam >> 24) & 0xff) | ((fam >> 8) & 0xff00);  /* other byte order */
		if (fam == 2)
			type = 0x0800;
		else if (fam == 10 || fam == 24 || fam == 28 || fam == 30)
			type = 0x86dd;
		else
			return;
		break;
	}
	case DLT_RAW:
	case LT_RAW_LINKTYPE:
	case DLT_IPV4:
	case DLT_IPV6:
		type = 0;
		break;
	default:
		if (!c->bad_link_reported) {
			c->bad_link_reported = 1;
			format_damage(&c->ctx, IE_INVALID, 0,
				      "link type %d is not supported: frames counted, not decoded", lt);
		}
		return;
	}
	ip_payload(c, p, type, rd_ptr(&r), rd_left(&r), 0);
}

/* ---- frames ---- */

static void frame_fields(struct pkt *p)
{
	if (!p->fields)
		return;
	FLD_U(p->fields, "frame.number", p->frame);
	int64_t s = p->ts_ns / 1000000000, ns = p->ts_ns % 1000000000;
	if (ns < 0) {
		ns += 1000000000;
		s -= 1;
	}
	/* the seconds change rarely: their text is kept */
	static _Thread_local int64_t last_s = INT64_MIN;
	static _Thread_local char st[24];
	static _Thread_local size_t stn;
	if (s != last_s) {
		char u8[24];
		size_t k = sizeof u8;
		uint64_t u = s < 0 ? (uint64_t)-s : (uint64_t)s;
		do
			u8[--k] = (char)('0' + u % 10);
		while ((u /= 10) && k > 1);
		if (s < 0)
			u8[--k] = '-';
		stn = sizeof u8 - k;
		memcpy(st, u8 + k, stn);
		last_s = s;
	}
	static const char d2[] = "0001020304050607080910111213141516171819"
				 "2021222324252627282930313233343536373839"
				 "4041424344454647484950515253545556575859"
				 "6061626364656667686970717273747576777879"
				 "8081828384858687888990919293949596979899";
	char t[40];
	memcpy(t, st, stn);
	size_t k = stn;
	t[k++] = '.';
	uint32_t v = (uint32_t)ns;       /* 9 digits: 1 + 4 pairs */
	char *o = t + k + 9;
	for (int i = 0; i < 4; i++) {
		uint32_t r = v % 100;
		v /= 100;
		*--o = d2[2 * r + 1];
		*--o = d2[2 * r];
	}
	*--o = (char)('0' + v);
	fld_add_str(p->fields, "frame.time_epoch", t, k + 9);
	FLD_U(p->fields, "frame.len", p->wirelen);
	FLD_U(p->fields, "frame.cap_len", p->caplen);
}

void capture_frame(struct capture *c, int linktype, int64_t ts_ns, const uint8_t *data,
		   size_t caplen, size_t wirelen)
{
	c->frame++;
	if (c->o.fields)
		fields_reset(c->o.fields);
	if (c->o.tree)
		dtree_reset(c->o.tree);
	if (c->o.summary)
		sbuf_reset(c->o.summary);
	if (ts_ns > c->last_ts_ns) {
		c->last_ts_ns = ts_ns;
		if (c->radius)
			radius_track_advance(c->radius, ts_ns);
	}
	struct input *in = c->ctx.in;
	if (in) {
		int64_t us = ts_ns / 1000;
		if (in->clock.first_ts == INT64_MIN || us < in->clock.first_ts)
			in->clock.first_ts = us;
		if (in->clock.last_ts == INT64_MIN || us > in->clock.last_ts)
			in->clock.last_ts = us;
	}
	struct pkt p;
	memset(&p, 0, sizeof p);
	p.input = in ? in->id : 0;
	p.frame = c->frame;
	p.ts_ns = ts_ns;
	p.caplen = (uint32_t)caplen;
	p.wirelen = (uint32_t)(wirelen < caplen ? caplen : wirelen);
	p.sink = c->ctx.sink;
	p.fields = c->o.fields;
	p.tree = c->o.tree;
	p.summary = c->o.summary;
	p.secrets = c->o.secrets;
	p.ike_keys = c->o.ike_keys;
	p.radius = c->radius;
	p.ike = c->ike;
	p.frame_data = data;
	p.redact = c->o.redact;
	frame_fields(&p);
	link_layer(c, &p, linktype, data, caplen);
	if (in) {
		uint64_t ev = reasm_evictions(c->reasm);
		in->evictions += ev - c->reasm_ev_seen;
		c->reasm_ev_seen = ev;
	}
	if (c->o.on_frame)
		c->o.on_frame(c->o.on_frame_ctx, &p, data, caplen);
}

struct capture *capture_new(struct input *in, struct ev_sink *sink, const struct capture_opts *o)
{
	struct capture *c = xcalloc(1, sizeof *c);
	c->ctx.in = in;
	c->ctx.sink = sink;
	if (o) {
		c->o = *o;
		c->ctx.secrets = o->secrets;
		c->ctx.ike_keys = o->ike_keys;
		c->ctx.ports = o->ports;
	}
	c->reasm = reasm_new();
	c->radius = radius_track_new(o && o->no_events ? NULL : sink, in ? in->id : 0,
				     in ? in->kind : SRC_PCAP);
	c->last_ts_ns = INT64_MIN;
	c->linktype = DLT_EN10MB;
	c->ike = ike_state_new();
	return c;
}

void capture_advance(struct capture *c, int64_t now_ns)
{
	if (now_ns <= c->last_ts_ns)
		return;
	c->last_ts_ns = now_ns;
	if (c->radius)
		radius_track_advance(c->radius, now_ns);
}

uint64_t capture_frames(const struct capture *c)
{
	return c->frame;
}

void capture_set_linktype(struct capture *c, int linktype)
{
	c->linktype = linktype;
}

/* ---- files through libpcap, over a struct stream ---- */

static ssize_t ck_read(void *cookie, char *buf, size_t n)
{
	struct capture *c = cookie;
	ssize_t r = stream_read(c->ctx.stream, buf, n);
	if (r > 0 && c->headn < sizeof c->head) {
		size_t k = sizeof c->head - c->headn;
		if (k > (size_t)r)
			k = (size_t)r;
		memcpy(c->head + c->headn, buf, k);
		c->headn += k;
	}
	return r < 0 ? -1 : r;
}

static int ck_close(void *cookie)
{
	(void)cookie;
	return 0;
}

/* ---- plain pcap without a library call per record ----
 *
 * libpcap reads every record with two freads (header, data) through the
 * stdio cookie: about 500 instructions a frame, more than link, IP and
 * UDP together. For a classic pcap file (version 2.4, micro- or
 * nanosecond magic, a link type we decode) the records are parsed here
 * from 1 MiB reads of the same FILE. Only records libpcap would hand over
 * unchanged are taken this way: a usual time stamp, a captured length
 * within the snapshot length and libpcap's maximum, all bytes present. At
 * the first record that is anything else (or at the end of the file) the
 * rest is handed to a new libpcap reader over the same bytes (the file
 * header again, what is buffered, then the FILE), so truncation, damage
 * and odd records come out exactly as libpcap reports them. */

#define FAST_BUF (1u << 20)
#define FAST_MAX_CAPLEN 262144u     /* libpcap's MAXIMUM_SNAPLEN */

static uint32_t get32(const uint8_t *b, int swapped)
{
	uint32_t v;
	memcpy(&v, b, 4);
	return swapped ? __builtin_bswap32(v) : v;
}

static void fast_setup(struct capture *c)
{
	if (c->headn < sizeof c->head)
		return;
	uint32_t magic;
	memcpy(&magic, c->head, 4);
	int sw, nano;
	switch (magic) {
	case 0xa1b2c3d4: sw = 0; nano = 0; break;
	case 0xd4c3b2a1: sw = 1; nano = 0; break;
	case 0xa1b23c4d: sw = 0; nano = 1; break;
	case 0x4d3cb2a1: sw = 1; nano = 1; break;
	default: return;            /* pcapng, modified formats: libpcap */
	}
	uint16_t maj, min;
	memcpy(&maj, c->head + 4, 2);
	memcpy(&min, c->head + 6, 2);
	if (sw) {
		maj = __builtin_bswap16(maj);
		min = __builtin_bswap16(min);
	}
	if (maj != 2 || min < 4)
		return;                 /* caplen/len may be swapped: libpcap */
	switch (c->linktype) {
	case DLT_EN10MB: case DLT_RAW: case LT_RAW_LINKTYPE: case DLT_NULL: case DLT_LOOP:
	case DLT_IPV4: case DLT_IPV6:
		break;
	default:
		return;                 /* pseudo-headers libpcap may fix up */
	}
	int snap = pcap_snapshot(c->pc);
	FILE *f = pcap_file(c->pc);
	if (snap <= 0 || !f)
		return;
	c->snap = (uint32_t)snap;
	c->src = f;
	c->swapped = sw;
	c->nano = nano;
	c->rbuf = xmalloc(FAST_BUF);
	c->rpos = c->rlen = 0;
	c->fast = 1;
}

/* At least need bytes buffered from rpos? Reads more when not. */
static int fast_have(struct capture *c, size_t need)
{
	if (c->rlen - c->rpos >= need)
		return 1;
	if (c->rpos) {
		memmove(c->rbuf, c->rbuf + c->rpos, c->rlen - c->rpos);
		c->rlen -= c->rpos;
		c->rpos = 0;
	}
	while (c->rlen < need) {
		size_t r = fread(c->rbuf + c->rlen, 1, FAST_BUF - c->rlen, c->src);
		c->rlen += r;
		if (r == 0)
			break;
	}
	return c->rlen >= need;
}

/* The takeover stream: the file header, what is buffered, then the FILE. */
static ssize_t tk_read(void *cookie, char *buf, size_t n)
{
	struct capture *c = cookie;
	size_t k = 0;
	while (k < n && c->tpos < sizeof c->head) {
		size_t m = sizeof c->head - c->tpos;
		if (m > n - k)
			m = n - k;
		memcpy(buf + k, c->head + c->tpos, m);
		c->tpos += m;
		k += m;
	}
	if (k < n && c->rpos < c->rlen) {
		size_t m = c->rlen - c->rpos;
		if (m > n - k)
			m = n - k;
		memcpy(buf + k, c->rbuf + c->rpos, m);
		c->rpos += m;
		k += m;
	}
	if (k < n && c->rpos >= c->rlen) {
		size_t r = fread(buf + k, 1, n - k, c->src);
		k += r;
		if (!k && ferror(c->src))
			return -1;
	}
	return (ssize_t)k;
}

static void fast_takeover(struct capture *c)
{
	c->fast = 0;
	c->tpos = 0;
	cookie_io_functions_t io = {.read = tk_read, .close = ck_close};
	c->tfp = fopencookie(c, "r", io);
	char eb[PCAP_ERRBUF_SIZE];
	eb[0] = 0;
	if (c->tfp)
		c->tpc = pcap_fopen_offline_with_tstamp_precision(c->tfp, PCAP_TSTAMP_PRECISION_NANO,
								  eb);
	if (!c->tpc) {
		/* cannot happen with the header libpcap accepted once */
		if (c->tfp)
			fclose(c->tfp);
		c->tfp = NULL;
		if (!c->reported) {
			c->reported = 1;
			format_damage(&c->ctx, IE_INVALID, c->frame + 1,
				      "capture cannot be read past frame %llu: %s",
				      (unsigned long long)c->frame, eb[0] ? eb : "cannot reopen");
		}
	} else {
		c->tfp = NULL;          /* pcap_close(tpc) closes it */
	}
}

/* 1 = a frame was dissected, 0 = hand over to libpcap */
static int fast_step(struct capture *c)
{
	if (!fast_have(c, 16))
		return 0;
	const uint8_t *h = c->rbuf + c->rpos;
	uint32_t sec = get32(h, c->swapped), frac = get32(h + 4, c->swapped);
	uint32_t cap = get32(h + 8, c->swapped), wire = get32(h + 12, c->swapped);
	if (sec > INT32_MAX || frac >= (c->nano ? 1000000000u : 1000000u) || cap > c->snap ||
	    cap > FAST_MAX_CAPLEN)
		return 0;
	if (!fast_have(c, 16 + (size_t)cap))
		return 0;
	h = c->rbuf + c->rpos;
	c->rpos += 16 + (size_t)cap;
	int64_t ts = (int64_t)sec * 1000000000 + (int64_t)frac * (c->nano ? 1 : 1000);
	if (c->ctx.in)
		c->ctx.in->bytes = c->ctx.stream ? c->ctx.stream->offset : 0;
	capture_frame(c, c->linktype, ts, h + 16, cap, wire);
	return 1;
}

struct capture *capture_open(struct stream *s, struct input *in, struct ev_sink *sink,
			     const struct capture_opts *o)
{
	struct capture *c = capture_new(in, sink, o);
	c->ctx.stream = s;
	cookie_io_functions_t io = {.read = ck_read, .close = ck_close};
	c->fp = fopencookie(c, "r", io);
	char eb[PCAP_ERRBUF_SIZE];
	eb[0] = 0;
	if (c->fp) {
		setvbuf(c->fp, NULL, _IOFBF, 1u << 18);
		c->pc = pcap_fopen_offline_with_tstamp_precision(c->fp, PCAP_TSTAMP_PRECISION_NANO,
								 eb);
	}
	if (!c->pc) {
		if (s->damaged && s->err[0])
			format_damage(&c->ctx, IE_DAMAGED, 0, "%s", s->err);
		else
			format_damage(&c->ctx, IE_INVALID, 0, "not a readable capture: %s",
				      eb[0] ? eb : "cannot open");
		c->reported = 1;
		if (c->fp)
			fclose(c->fp);
		c->fp = NULL;
		return c;
	}
	c->fp = NULL;               /* pcap_close() closes it */
	c->linktype = pcap_datalink(c->pc);
	if (in) {
		in->clock.zone_s = 0;
		in->clock.zone_from = CF_TIMESTAMPS;
		in->clock.year_from = CF_TIMESTAMPS;
	}
	fast_setup(c);
	return c;
}

/* libpcap's time (nanosecond precision asked) in ns. A pcapng file can
 * say any 64-bit time (if_tsresol, if_tsoffset): seconds are pinned to
 * what a pcap record's 32 bits say read either way (-2^31 .. 2^32-1, as
 * libpcap hands over a classic file's seconds past 2^31 negative), so the
 * product and every later sum on it stay in range. */
static int64_t pcap_ts_ns(int64_t sec, int64_t frac)
{
	if (sec < INT32_MIN)
		sec = INT32_MIN;
	else if (sec > (int64_t)UINT32_MAX)
		sec = UINT32_MAX;
	/* a classic file's fraction is 32 bits (x1000 for microseconds) and
	 * may pass a second, kept as libpcap says it; only absurd ones pinned */
	if (frac < -(INT64_C(1) << 42) || frac > INT64_C(1) << 42)
		frac = frac < 0 ? -(INT64_C(1) << 42) : INT64_C(1) << 42;
	return sec * 1000000000 + frac;
}

int capture_step(struct capture *c)
{
	if (c->fast) {
		if (fast_step(c))
			return 1;
		fast_takeover(c);
	}
	/* libpcap reads: the whole file, or the rest after a takeover */
	pcap_t *pc = c->rbuf ? c->tpc : c->pc;
	if (!pc)
		return 0;
	struct pcap_pkthdr *h;
	const u_char *data;
	int r = pcap_next_ex(pc, &h, &data);
	if (r == 1) {
		int64_t ts = pcap_ts_ns(h->ts.tv_sec, h->ts.tv_usec);
		size_t cap = h->caplen, wire = h->len;
		if (c->ctx.in)
			c->ctx.in->bytes = c->ctx.stream ? c->ctx.stream->offset : 0;
		capture_frame(c, c->linktype, ts, data, cap, wire);
		return 1;
	}
	if (r == PCAP_ERROR && !c->reported) {
		c->reported = 1;
		struct stream *s = c->ctx.stream;
		if (s && s->damaged)
			format_damage(&c->ctx, IE_DAMAGED, c->frame + 1,
				      "%s: capture decoded up to frame %llu",
				      s->err[0] ? s->err : "stream damaged",
				      (unsigned long long)c->frame);
		else
			format_damage(&c->ctx, IE_TRUNCATED, c->frame + 1,
				      "capture ends inside frame %llu (%s): decoded up to frame %llu",
				      (unsigned long long)c->frame + 1, pcap_geterr(pc),
				      (unsigned long long)c->frame);
	}
	return 0;
}

void capture_close(struct capture *c)
{
	if (!c)
		return;
	if (c->radius) {
		radius_track_finish(c->radius);
		radius_track_free(c->radius);
	}
	if (c->ike) {
		struct pkt p;             /* IKE requests still unanswered at the end */
		memset(&p, 0, sizeof p);
		p.input = c->ctx.in ? c->ctx.in->id : 0;
		p.sink = c->ctx.sink;
		p.ike = c->ike;
		ike_flush(&p);
		ike_state_free(c->ike);
	}
	if (c->tpc)
		pcap_close(c->tpc);
	if (c->pc)
		pcap_close(c->pc);
	free(c->rbuf);
	if (c->fp)
		fclose(c->fp);
	reasm_free(c->reasm);
	free(c);
}

/* ---- the input formats ---- */

static int sniff_pcap(const uint8_t *h, size_t n)
{
	if (n < 24)
		return 0;
	uint32_t m = (uint32_t)h[0] << 24 | (uint32_t)h[1] << 16 | (uint32_t)h[2] << 8 | h[3];
	switch (m) {
	case 0xa1b2c3d4: case 0xd4c3b2a1:       /* microseconds */
	case 0xa1b23c4d: case 0x4d3cb2a1:       /* nanoseconds */
	case 0xa1b2cd34: case 0x34cdb2a1:       /* Kuznetzov's modified format */
		return 100;
	}
	return 0;
}

static int sniff_pcapng(const uint8_t *h, size_t n)
{
	if (n < 28)
		return 0;
	if (memcmp(h, "\x0a\x0d\x0d\x0a", 4))
		return 0;
	if (memcmp(h + 8, "\x1a\x2b\x3c\x4d", 4) && memcmp(h + 8, "\x4d\x3c\x2b\x1a", 4))
		return 0;
	return 100;
}

static void *fmt_open(const struct format_ctx *ctx)
{
	struct capture_opts o = {.secrets = ctx->secrets, .ike_keys = ctx->ike_keys,
				 .ports = ctx->ports};
	return capture_open(ctx->stream, ctx->in, ctx->sink, &o);
}

static int fmt_step(void *st)
{
	return capture_step(st);
}

static void fmt_close(void *st)
{
	capture_close(st);
}

const struct format fmt_pcap = {
	.name = "pcap", .kind = SRC_PCAP, .flags = FMT_BINARY, .sniff = sniff_pcap,
	.open = fmt_open, .step = fmt_step, .close = fmt_close,
};

const struct format fmt_pcapng = {
	.name = "pcapng", .kind = SRC_PCAPNG, .flags = FMT_BINARY, .sniff = sniff_pcapng,
	.open = fmt_open, .step = fmt_step, .close = fmt_close,
};
