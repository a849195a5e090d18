/* \summary: IKEv2 / IKEv1 (ISAKMP) over UDP 500 and 4500, NAT-T, ESP
 *
 * The dissector follows tshark 4.0's ISAKMP dissector closely, so that
 * `decode -T fields` prints what tshark prints, including on damaged input:
 * every payload is read from the message ("the tvb") at an offset with a
 * length that may be wrong; a read past the end of the message stops the
 * whole message (tshark's exception), and what was added before it stays.
 * Bytes are read only through struct rd over the message, so a length field
 * can move the offset but never the memory bound. Payload chains advance by
 * at least 4 bytes and are capped at 255 entries.
 *
 * What the message says (exchange, notifies, EAP, CP address, ...) goes into
 * a struct ike_msg; ike_sa.c turns it into events.
 */
#include "decoders/ikev2.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/input.h"
#include "core/str.h"
#include "decoders/eap.h"
#include "decoders/ike_crypt.h"
#include "decoders/ike_keys.h"
#include "decoders/ike_names.h"
#include "decoders/ike_sa.h"
#include "decoders/rd.h"

#define IKE_HDR 28
#define MAX_CHAIN 255
#define MAX_DEPTH 3            /* SK inside SK inside SK: no further */
#define PLAIN_MAX 65536

struct dc {
	struct pkt *p;
	struct ike_state *st;
	const uint8_t *b;          /* the buffer ("tvb"): message or plaintext */
	int n;
	int ver;                   /* major version */
	int exc;                   /* a read went past the buffer: stop */
	int depth;
	struct ike_msg *m;
	const uint8_t *msg;        /* the outer message (for SK) */
	int msg_n;
	int captured_short;        /* the frame was cut by the snap length */
};

/* ---- the tvb emulation ---------------------------------------------- */

static int thr(struct dc *c)
{
	if (!c->exc) {
		c->exc = 1;
		c->m->anomalies |= c->captured_short ? IKE_A_TRUNCATED : IKE_A_INVALID;
	}
	return -1;
}

/* A reader over [off, off+len) of the buffer, or an exception. The bounds
 * are checked here once; the bytes are then read through the child reader. */
static inline int at(struct dc *c, int off, int len, struct rd *r)
{
	if (c->exc)
		return -1;
	if (off < 0 || len < 0 || off > c->n || len > c->n - off)
		return thr(c);
	*r = rd_make(c->b + off, (size_t)len);
	return 0;
}

static inline int g8(struct dc *c, int off)
{
	struct rd r;
	uint8_t v;
	if (at(c, off, 1, &r) || rd_u8(&r, &v))
		return -1;
	return v;
}

static inline int g16(struct dc *c, int off)
{
	struct rd r;
	uint16_t v;
	if (at(c, off, 2, &r) || rd_be16(&r, &v))
		return -1;
	return v;
}

static inline int64_t g32(struct dc *c, int off)
{
	struct rd r;
	uint32_t v;
	if (at(c, off, 4, &r) || rd_be32(&r, &v))
		return -1;
	return v;
}

/* proto_tree_add_item's bounds: -1 = to the end, other negatives and
 * ranges past the end stop the message. Returns the length, or -1. */
static inline int item(struct dc *c, int off, int len)
{
	struct rd r;
	if (c->exc)
		return -1;
	if (len == -1) {
		if (off < 0 || off > c->n)
			return thr(c);
		return c->n - off;
	}
	if (at(c, off, len, &r))
		return -1;
	return len;
}

/* A view of [off, off+len) when it is inside the buffer (no exception). */
static const uint8_t *view(struct dc *c, int off, int len)
{
	if (off < 0 || len < 0 || off > c->n || len > c->n - off)
		return NULL;
	struct rd t = rd_make(c->b, (size_t)c->n), r;
	const uint8_t *v;
	if (rd_skip(&t, (size_t)off) || rd_sub(&t, &r, (size_t)len) || rd_bytes(&r, &v, (size_t)len))
		return NULL;
	return v;
}

/* fields and tree lines cost nothing (not even their arguments) on the
 * analyze path, where both are NULL */
#define FLD(c, ...) do { if ((c)->p->fields) fld_add((c)->p->fields, __VA_ARGS__); } while (0)
#define TADD(c, ...) do { if ((c)->p->tree) tree_add((c)->p->tree, __VA_ARGS__); } while (0)
#define TPUSH(c, ...) do { if ((c)->p->tree) tree_push((c)->p->tree, __VA_ARGS__); } while (0)
#define TPOP(c) tree_pop((c)->p->tree)

static const char *nz(const char *s, char *buf, size_t n, unsigned v)
{
	if (s)
		return s;
	snprintf(buf, n, "Unknown (%u)", v);
	return buf;
}

static void hexs(char *out, size_t outsz, const uint8_t *p, size_t n)
{
	if (hex_encode(out, outsz, p, n) < 0 && outsz)
		out[0] = 0;
}

/* ---- payload bodies -------------------------------------------------- */

static void payloads(struct dc *c, int initial, int off, int len);

static int attr(struct dc *c, int off, int v2)
{
	int t = g16(c, off);
	if (t < 0)
		return -1;
	if (t & 0x8000) {
		int v = g16(c, off + 2);
		if (v < 0 || item(c, off, 4) < 0)
			return -1;
		if (v2 && (t & 0x7fff) == 14)
			TADD(c, "Transform Attribute (t=14,l=2): Key Length: %d", v);
		else
			TADD(c, "Attribute (t=%d,l=2): %d", t & 0x7fff, v);
		return 4;
	}
	int l = g16(c, off + 2);
	if (l < 0 || item(c, off + 4, l) < 0)
		return -1;
	TADD(c, "Attribute (t=%d,l=%d)", t, l);
	return 4 + l;
}

static void transform2(struct dc *c, int off, int len)
{
	char b[32];
	int type = g8(c, off);
	if (type < 0 || item(c, off, 1) < 0)
		return;
	FLD(c, "isakmp.tf.type", "%d", type);
	off += 2;
	len -= 2;
	int id = g16(c, off);
	if (id < 0 || item(c, off, 2) < 0)
		return;
	static const char *const fn[] = {NULL, "isakmp.tf.id.encr", "isakmp.tf.id.prf",
					 "isakmp.tf.id.integ", "isakmp.tf.id.dh", "isakmp.tf.id.esn"};
	if (type >= 1 && type <= 5)
		FLD(c, fn[type], "%d", id);
	TADD(c, "Transform Type: %s (%d)", nz(ike_tf_type_name((unsigned)type), b, sizeof b, (unsigned)type), type);
	TADD(c, "Transform ID: %s (%d)", nz(ike_tf_id_name((unsigned)type, (unsigned)id), b, sizeof b, (unsigned)id), id);
	off += 2;
	len -= 2;
	while (len > 0 && !c->exc) {
		int sz = attr(c, off, 1);
		if (sz < 0)
			return;
		off += sz;
		len -= sz;
	}
}

static void transform1(struct dc *c, int off, int len)
{
	int num = g8(c, off);
	if (num < 0 || item(c, off, 1) < 0)
		return;
	int id = g8(c, off + 1);
	if (id < 0 || item(c, off + 1, 1) < 0)
		return;
	TADD(c, "Transform number: %d, Transform ID: %d", num, id);
	off += 4;
	len -= 4;
	while (len > 0 && !c->exc) {
		int sz = attr(c, off, 0);
		if (sz < 0)
			return;
		off += sz;
		len -= sz;
	}
}

static void proposal(struct dc *c, int off, int len)
{
	char b[32];
	int pnum = g8(c, off), proto = g8(c, off + 1), spisz = g8(c, off + 2), ntf = g8(c, off + 3);
	if (c->exc || item(c, off, 4) < 0)
		return;
	TADD(c, "Proposal number: %d, Protocol ID: %s (%d), SPI Size: %d, Proposal transforms: %d",
	     pnum, nz(ike_protoid_name((unsigned)proto), b, sizeof b, (unsigned)proto), proto, spisz, ntf);
	off += 4;
	len -= 4;
	if (spisz) {
		if (item(c, off, spisz) < 0)
			return;
		off += spisz;
		len -= spisz;
	}
	while (ntf > 0 && !c->exc) {
		if (len < 4) {
			TADD(c, "[Not enough room in payload for all transforms]");
			c->m->anomalies |= IKE_A_PLEN;
			thr(c);
			return;
		}
		int np = g8(c, off), plen = g16(c, off + 2);
		if (c->exc)
			return;
		FLD(c, "isakmp.typepayload", "3");
		FLD(c, "isakmp.nextpayload", "%d", np);
		FLD(c, "isakmp.payloadlength", "%d", plen);
		TPUSH(c, "Payload: Transform (3), length %d", plen);
		if (len < plen) {
			TADD(c, "[Payload (bogus, length is %d, greater than remaining length %d]", plen, len);
			c->m->anomalies |= IKE_A_PLEN;
			TPOP(c);
			break;
		}
		if (plen < 4) {
			TADD(c, "[Payload (bogus, length is %d, must be at least 4)]", plen);
			c->m->anomalies |= IKE_A_PLEN;
			TPOP(c);
			thr(c);
			return;
		}
		if (c->ver == 1)
			transform1(c, off + 4, plen - 4);
		else if (c->ver == 2)
			transform2(c, off + 4, plen - 4);
		TPOP(c);
		off += plen;
		len -= plen;
		ntf--;
	}
}

static void sa(struct dc *c, int off, int len)
{
	c->m->has_sa = 1;
	if (c->ver == 1) {
		int64_t doi = g32(c, off);
		if (doi < 0 || item(c, off, 4) < 0)
			return;
		TADD(c, "Domain of interpretation: %s (%lld)", doi == 1 ? "IPSEC" : "Unknown", (long long)doi);
		off += 4;
		len -= 4;
		if (doi == 1) {
			if (len < 4) {
				item(c, off, len);
				return;
			}
			if (item(c, off, 4) < 0)
				return;
			off += 4;
			len -= 4;
			payloads(c, 2, off, len);
		} else {
			item(c, off, len);
		}
	} else if (c->ver == 2) {
		payloads(c, 2, off, len);
	}
}

/* Bytes of KE data a DH group needs (RFC 7296, 5903, 5114, 8031), 0 unknown. */
static int ke_size(int g)
{
	static const struct { int g, n; } t[] = {
		{1, 96}, {2, 128}, {5, 192}, {14, 256}, {15, 384}, {16, 512}, {17, 768},
		{18, 1024}, {19, 64}, {20, 96}, {21, 132}, {22, 128}, {23, 256}, {24, 256},
		{25, 48}, {26, 56}, {27, 56}, {28, 64}, {29, 96}, {30, 128}, {31, 32}, {32, 56},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (t[i].g == g)
			return t[i].n;
	return 0;
}

static void ke(struct dc *c, int off, int len)
{
	char b[32];
	if (c->ver == 2) {
		int g = g16(c, off);
		if (g < 0 || item(c, off, 2) < 0)
			return;
		FLD(c, "isakmp.key_exchange.dh_group", "%d", g);
		TADD(c, "DH Group #: %s (%d)", nz(ike_tf_id_name(4, (unsigned)g), b, sizeof b, (unsigned)g), g);
		if (c->m->ke_group < 0)
			c->m->ke_group = g;
		off += 4;
		len -= 4;
		int want = ke_size(g);
		if (want && len != want) {
			TADD(c, "[Key Exchange Data is %d bytes; group %d needs %d]", len, g, want);
			c->m->anomalies |= IKE_A_KELEN;
		}
	}
	if (item(c, off, len) >= 0)
		TADD(c, "Key Exchange Data (%d bytes)", len < 0 ? c->n - off : len);
}

static const char *addr_str(char *out, size_t n, const uint8_t *a, int v6)
{
	if (!v6) {
		snprintf(out, n, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
		return out;
	}
	/* RFC 5952 short form */
	int best = -1, bestlen = 0;
	for (int i = 0; i < 8;) {
		if (!a[2 * i] && !a[2 * i + 1]) {
			int j = i;
			while (j < 8 && !a[2 * j] && !a[2 * j + 1])
				j++;
			if (j - i > bestlen && j - i > 1) {
				best = i;
				bestlen = j - i;
			}
			i = j;
		} else {
			i++;
		}
	}
	size_t k = 0;
	for (int i = 0; i < 8 && k + 6 < n; i++) {
		if (i == best) {
			k += (size_t)snprintf(out + k, n - k, "::");
			i += bestlen - 1;
			continue;
		}
		if (k && out[k - 1] != ':')
			out[k++] = ':';
		k += (size_t)snprintf(out + k, n - k, "%x", a[2 * i] << 8 | a[2 * i + 1]);
	}
	out[k < n ? k : n - 1] = 0;
	return out;
}

/* A printable copy of an identity: ASCII printable kept, others escaped. */
static const char *id_text(const uint8_t *p, size_t n)
{
	char buf[260];
	size_t k = 0;
	if (n > 200)
		n = 200;
	for (size_t i = 0; i < n && k + 5 < sizeof buf; i++) {
		if (p[i] >= 0x20 && p[i] < 0x7f)
			buf[k++] = (char)p[i];
		else
			k += (size_t)snprintf(buf + k, sizeof buf - k, "\\x%02x", p[i]);
	}
	return intern(buf, k);
}

static void id(struct dc *c, int type, int off, int len)
{
	char b[64];
	int t = g8(c, off);
	if (t < 0)
		return;
	if ((c->ver == 1 || c->ver == 2) && item(c, off, 1) < 0)
		return;
	if (c->ver == 1 || c->ver == 2)
		FLD(c, "isakmp.id.type", "%d", t);
	TADD(c, "ID type: %s (%d)", nz(ike_id_type_name(c->ver, (unsigned)t), b, sizeof b, (unsigned)t), t);
	off += 1;
	len -= 1;
	if (c->ver == 1) {
		if (g8(c, off) < 0 || g16(c, off + 1) < 0)
			return;
	} else if (item(c, off, 3) < 0) {
		return;
	}
	off += 3;
	len -= 3;
	const uint8_t *v = NULL;
	const char *txt = NULL;
	switch (t) {
	case 1:
		if (item(c, off, 4) < 0)
			return;
		v = view(c, off, 4);
		txt = v ? intern_cstr(addr_str(b, sizeof b, v, 0)) : NULL;
		break;
	case 5:
		if (item(c, off, 16) < 0)
			return;
		v = view(c, off, 16);
		txt = v ? intern_cstr(addr_str(b, sizeof b, v, 1)) : NULL;
		break;
	case 4:
	case 7:
		if (item(c, off, 4) < 0 || item(c, off + 4, 4) < 0)
			return;
		break;
	case 6:
	case 8:
		if (item(c, off, 16) < 0 || item(c, off + 16, 16) < 0)
			return;
		break;
	default: {
		int l = item(c, off, len);
		if (l < 0)
			return;
		v = view(c, off, l);
		if (v && (t == 2 || t == 3 || t == 11)) {
			txt = id_text(v, (size_t)l);
			/* an FQDN names a host; an RFC 822 address or a key id a user */
			unsigned cls = t == 2 ? PID_HOST : PID_USER;
			pkt_ident(c->p, cls, v, (size_t)l);
			pkt_ident(c->p, cls, txt, strlen(txt));
		}
	}
	}
	if (txt)
		TADD(c, "Identification Data: %s", txt);
	if (txt && (type == 35 || (type == 5 && c->m->from_initiator && !c->m->id_i))) {
		c->m->id_i = txt;
		c->m->id_i_type = t;
		c->m->has_idi = 1;
	}
}

static void cert(struct dc *c, int off, int len)
{
	char b[48];
	int e = g8(c, off);
	if (e < 0 || item(c, off, 1) < 0)
		return;
	TADD(c, "Certificate Encoding: %s (%d)", nz(ike_cert_enc_name((unsigned)e), b, sizeof b, (unsigned)e), e);
	item(c, off + 1, len - 1);
}

static void certreq(struct dc *c, int off, int len)
{
	char b[48];
	int e = g8(c, off);
	if (e < 0 || item(c, off, 1) < 0)
		return;
	TADD(c, "Certificate Type: %s (%d)", nz(ike_cert_enc_name((unsigned)e), b, sizeof b, (unsigned)e), e);
	off += 1;
	len -= 1;
	if (c->ver == 2 && e == 4) {
		int k = 0;
		while (len > 0 && !c->exc && k++ < 4096) {
			if (item(c, off, 20) < 0)
				return;
			off += 20;
			len -= 20;
		}
		return;
	}
	item(c, off, len);
}

static void notify(struct dc *c, int off, int len)
{
	char b[40];
	if (c->ver == 1) {
		if (item(c, off, 4) < 0)
			return;
		off += 4;
		len -= 4;
	}
	int proto = g8(c, off);
	if (proto < 0 || item(c, off, 1) < 0)
		return;
	if (c->ver == 1 || c->ver == 2)
		FLD(c, "isakmp.notify.protoid", "%d", proto);
	off += 1;
	len -= 1;
	int spisz = g8(c, off);
	if (spisz < 0 || item(c, off, 1) < 0)
		return;
	off += 1;
	len -= 1;
	int type = g16(c, off);
	if (type < 0 || item(c, off, 2) < 0)
		return;
	if (c->ver == 1 || c->ver == 2)
		FLD(c, "isakmp.notify.msgtype", "%d", type);
	TADD(c, "Protocol ID: %s (%d), SPI Size: %d", nz(ike_protoid_name((unsigned)proto), b, sizeof b, (unsigned)proto), proto, spisz);
	TADD(c, "Notify Message Type: %s (%d)", nz(ike_notify_name(c->ver, (unsigned)type), b, sizeof b, (unsigned)type), type);
	if (c->m->nnotify < IKE_MAX_NOTIFY && (c->ver == 2 || c->ver == 1))
		c->m->notify[c->m->nnotify++] = (uint16_t)(c->ver == 1 ? 0x8000u | (unsigned)type : (unsigned)type);
	off += 2;
	len -= 2;
	if (spisz) {
		if (item(c, off, spisz) < 0)
			return;
		off += spisz;
		len -= spisz;
	}
	if (item(c, off, len) < 0)
		return;
	/* --redact: notify data that names a gateway or an address */
	int names = c->ver == 2 &&
		    (type == 16407 || type == 16408 || type == 16397 || type == 16398);
	if (c->p->tree && len > 0 && c->p->redact && names) {
		TADD(c, "Notification Data: <redacted> (%d bytes)", len);
	} else if (c->p->tree && len > 0) {
		char hx[2 * 32 + 1];
		const uint8_t *nd = view(c, off, len > 32 ? 32 : len);
		if (nd) {
			hexs(hx, sizeof hx, nd, (size_t)(len > 32 ? 32 : len));
			TADD(c, "Notification Data: %s%s (%d bytes)", hx, len > 32 ? "..." : "", len);
		}
	}
	if (c->ver != 2)
		return;
	switch (type) {
	case 17: {                      /* INVALID_KE_PAYLOAD: accepted group */
		int g = g16(c, off);
		if (g < 0 || item(c, off, 2) < 0)
			return;
		c->m->accepted_group = g;
		TADD(c, "Accepted DH group number: %s (%d)", nz(ike_tf_id_name(4, (unsigned)g), b, sizeof b, (unsigned)g), g);
		break;
	}
	case 16385:                     /* SET_WINDOW_SIZE */
	case 16403:                     /* AUTH_LIFETIME */
	case 16397:                     /* ADDITIONAL_IP4_ADDRESS */
		item(c, off, 4);
		break;
	case 16398:                     /* ADDITIONAL_IP6_ADDRESS */
		item(c, off, 16);
		break;
	case 16387:                     /* IPCOMP_SUPPORTED */
		if (item(c, off, 2) >= 0)
			item(c, off + 2, 1);
		break;
	case 16407:                     /* REDIRECT */
	case 16408: {                   /* REDIRECTED_FROM */
		int gt = g8(c, off), gl = g8(c, off + 1);
		if (c->exc || item(c, off, 2) < 0 || item(c, off + 2, gl) < 0)
			return;
		(void)gt;
		if (type == 16407 && len - 2 - gl > 0)
			item(c, off + 2 + gl, len - 2 - gl);
		break;
	}
	case 16431:                     /* SIGNATURE_HASH_ALGORITHMS */
	case 16424: {                   /* SECURE_PASSWORD_METHODS */
		int k = 0;
		while (len > 0 && !c->exc && k++ < 32768) {
			if (item(c, off, 2) < 0)
				return;
			off += 2;
			len -= 2;
		}
		break;
	}
	}
}

static void delete_(struct dc *c, int off, int len)
{
	char b[32];
	(void)len;
	if (c->ver == 1) {
		if (item(c, off, 4) < 0)
			return;
		off += 4;
	}
	int proto = g8(c, off);
	if (proto < 0 || item(c, off, 1) < 0)
		return;
	if (c->ver == 1 || c->ver == 2)
		FLD(c, "isakmp.delete.protoid", "%d", proto);
	int spisz = g8(c, off + 1), nspi = g16(c, off + 2);
	if (c->exc || item(c, off + 1, 3) < 0)
		return;
	TADD(c, "Protocol ID: %s (%d), SPI Size: %d, Number of SPIs: %d",
	     nz(ike_protoid_name((unsigned)proto), b, sizeof b, (unsigned)proto), proto, spisz, nspi);
	if (c->ver == 2 && proto == 1)
		c->m->has_delete_ike = 1;
	off += 4;
	if (spisz > 0)
		for (int i = 0; i < nspi && !c->exc; i++) {
			if (item(c, off, spisz) < 0)
				return;
			off += spisz;
		}
}

static void vid(struct dc *c, int off, int len)
{
	int l = item(c, off, len);
	if (l < 0)
		return;
	const uint8_t *v = view(c, off, l);
	const char *nm = v ? ike_vendor_name(v, (size_t)l) : NULL;
	char hx[2 * 32 + 1];
	if (v)
		hexs(hx, sizeof hx, v, (size_t)(l < 32 ? l : 32));
	else
		hx[0] = 0;
	TADD(c, "Vendor ID: %s%s%s", hx, nm ? " " : "", nm ? nm : "");
}

static void cfg_attr_value(struct dc *c, int t, int off, int l)
{
	char b[64];
	const uint8_t *v = view(c, off, l);
	const char *nm = ike_cfg_attr_name((unsigned)t);
	if (!v)
		return;
	if ((t == 1 || t == 3 || t == 4 || t == 6 || t == 2) && l >= 4) {
		addr_str(b, sizeof b, v, 0);
		TADD(c, "%s: %s", nm, b);
		if (t == 1 && !c->m->assigned_ip && c->m->is_response)
			c->m->assigned_ip = intern_cstr(b);
	} else if ((t == 8 || t == 10 || t == 12) && l >= 16) {
		addr_str(b, sizeof b, v, 1);
		TADD(c, "%s: %s", nm, b);
		if (t == 8 && !c->m->assigned_ip && c->m->is_response)
			c->m->assigned_ip = intern_cstr(b);
	} else if (nm) {
		TADD(c, "%s (%d bytes)", nm, l);
	} else {
		TADD(c, "Attribute Type %d (%d bytes)", t, l);
	}
}

static void config(struct dc *c, int off, int len)
{
	char b[32];
	int t = g8(c, off);
	if (t < 0 || item(c, off, 1) < 0)
		return;
	if (c->ver == 1 || c->ver == 2)
		FLD(c, "isakmp.cfg.type", "%d", t);
	TADD(c, "Type: %s (%d)", nz(ike_cfg_type_name((unsigned)t), b, sizeof b, (unsigned)t), t);
	off += 4;
	len -= 4;
	if (c->ver == 1 && (g8(c, off - 3) < 0 || g16(c, off - 2) < 0))
		return;
	int k = 0;
	while (len > 0 && !c->exc && k++ < 4096) {
		int at_ = g16(c, off);
		if (at_ < 0)
			return;
		int sz, vl;
		if (c->ver == 1 && (at_ & 0x8000)) {
			if (item(c, off, 4) < 0)
				return;
			TADD(c, "Attribute Type %d: %d", at_ & 0x7fff, g16(c, off + 2));
			sz = 4;
		} else {
			vl = g16(c, off + 2);
			if (vl < 0 || item(c, off + 4, vl) < 0)
				return;
			cfg_attr_value(c, at_ & 0x7fff, off + 4, vl);
			sz = 4 + vl;
		}
		off += sz;
		len -= sz;
	}
}

static void auth(struct dc *c, int off, int len)
{
	char b[48];
	int meth = g8(c, off);
	if (meth < 0 || item(c, off, 1) < 0)
		return;
	FLD(c, "isakmp.auth.method", "%d", meth);
	TADD(c, "Authentication Method: %s (%d)", nz(ike_auth_method_name((unsigned)meth), b, sizeof b, (unsigned)meth), meth);
	c->m->has_auth = 1;
	off += 4;
	len -= 4;
	if (meth == 14) {
		int al = g8(c, off);
		if (al < 0 || item(c, off, 1) < 0 || item(c, off + 1, al) < 0)
			return;
		item(c, off + 1 + al, len - 1 - al);
		return;
	}
	int l = item(c, off, len);
	if (l < 0)
		return;
	const uint8_t *v = view(c, off, l);
	if (v && c->p->fields)
		fld_add_hex(c->p->fields, "isakmp.auth.data", v, (size_t)l);
	TADD(c, "Authentication Data (%d bytes)", l);
}

static void ts(struct dc *c, int off, int len)
{
	char b[48], e[48];
	int num = g8(c, off);
	if (num < 0 || item(c, off, 1) < 0)
		return;
	TADD(c, "Number of TSs: %d", num);
	off += 4;
	len -= 4;
	int k = 0;
	while (len > 0 && !c->exc && k++ < 256) {
		int t = g8(c, off);
		if (t < 0 || item(c, off, 1) < 0)
			return;
		FLD(c, "isakmp.ts.type", "%d", t);
		int proto = g8(c, off + 1), sl = g16(c, off + 2), sp = g16(c, off + 4), ep = g16(c, off + 6);
		if (c->exc || item(c, off + 1, 7) < 0)
			return;
		int alen = t == 7 ? 4 : t == 8 ? 16 : 0;
		if (alen) {
			if (item(c, off + 8, alen) < 0 || item(c, off + 8 + alen, alen) < 0)
				return;
			const uint8_t *s = view(c, off + 8, alen), *en = view(c, off + 8 + alen, alen);
			if (s && en)
				TADD(c, "%s: protocol %d, ports %d-%d, %s - %s", nz(ike_ts_type_name((unsigned)t), b, sizeof b, (unsigned)t),
				     proto, sp, ep, addr_str(b, sizeof b, s, alen == 16), addr_str(e, sizeof e, en, alen == 16));
			off += 8 + 2 * alen;
			len -= 8 + 2 * alen;
		} else {
			TADD(c, "Traffic Selector Type: %d, Selector Length: %d", t, sl);
			if (sl < 8)
				return;
			if (item(c, off + 8, sl - 8) < 0)
				return;
			off += sl;
			len -= sl;
		}
	}
}

static void eap(struct dc *c, int off, int len)
{
	int l = item(c, off, len);
	if (l < 0)
		return;
	const uint8_t *v = view(c, off, l);
	struct eap_info info;
	TPUSH(c, "Extensible Authentication Protocol");
	/* EAP's words go after the IKE summary, not before it */
	struct sbuf *sum = c->p->summary, eb;
	if (sum) {
		sbuf_init(&eb, sizeof c->m->eap_summary - 1);
		c->p->summary = &eb;
	}
	eap_dissect(c->p, v, v ? (size_t)l : 0, &info);
	if (sum) {
		size_t k = strlen(c->m->eap_summary);
		snprintf(c->m->eap_summary + k, sizeof c->m->eap_summary - k, "%s%s", k ? "; " : "",
			 sbuf_cstr(&eb) + strspn(sbuf_cstr(&eb), " "));
		sbuf_free(&eb);
		c->p->summary = sum;
	}
	TPOP(c);
	if (c->m->neap < IKE_MAX_EAP) {
		char *xt = c->m->eap_xml[c->m->neap];
		xt[0] = 0;
		if (info.type == 254 && info.vendor_id == 9 && v && l > 12) {
			/* AnyConnect-EAP: the aggregate-auth message type="..." */
			static const char key[] = "type=\"";
			const uint8_t *a = memmem(v + 12, (size_t)l - 12, key, sizeof key - 1);
			if (a) {
				a += sizeof key - 1;
				size_t k = 0, left = (size_t)(v + l - a);
				while (k < left && k < 23 && a[k] != '"' && a[k] >= 0x20 && a[k] < 0x7f) {
					xt[k] = (char)a[k];
					k++;
				}
				xt[k] = 0;
			}
		}
		c->m->eap[c->m->neap++] = info;
	}
}

static void natoa(struct dc *c, int off, int len)
{
	(void)len;
	int t = g8(c, off);
	if (t < 0 || item(c, off, 1) < 0)
		return;
	if (t == 1)
		item(c, off + 4, 4);
	else if (t == 5)
		item(c, off + 4, 16);
}

static void sak(struct dc *c, int off, int len)
{
	int end = off + len;
	if (item(c, off, 4) < 0 || item(c, off + 4, 1) < 0 || item(c, off + 5, 1) < 0 || item(c, off + 6, 2) < 0)
		return;
	int sl = g16(c, off + 8);
	if (sl < 0 || item(c, off + 10, sl) < 0)
		return;
	off += 10 + sl;
	if (item(c, off, 1) < 0 || item(c, off + 1, 1) < 0 || item(c, off + 2, 2) < 0)
		return;
	int dl = g16(c, off + 4);
	if (dl < 0 || item(c, off + 6, dl) < 0)
		return;
	off += 6 + dl;
	if (item(c, off, 16) < 0 || item(c, off + 16, 2) < 0 || item(c, off + 18, 2) < 0)
		return;
	off += 20;
	int k = 0;
	while (off < end && !c->exc && k++ < 4096) {
		int sz = attr(c, off, 0);
		if (sz < 0)
			return;
		off += sz;
	}
}

static void sk(struct dc *c, int np, int off, int len);
static void skf(struct dc *c, int np, int off, int len);

static void body(struct dc *c, int type, int np, int off, int len)
{
	switch (type) {
	case 1: case 33: sa(c, off, len); break;
	case 2: proposal(c, off, len); break;
	case 4: case 34: ke(c, off, len); break;
	case 5: case 35: case 36: id(c, type, off, len); break;
	case 6: case 37: cert(c, off, len); break;
	case 7: case 38: certreq(c, off, len); break;
	case 11: case 41: notify(c, off, len); break;
	case 12: case 42: delete_(c, off, len); break;
	case 13: case 43: vid(c, off, len); break;
	case 14: case 47: config(c, off, len); break;
	case 15: sak(c, off, len); break;
	case 21: case 131: natoa(c, off, len); break;
	case 39: auth(c, off, len); break;
	case 44: case 45: ts(c, off, len); break;
	case 46:
		if (c->ver == 2)
			sk(c, np, off, len);
		break;
	case 48: eap(c, off, len); break;
	case 53:
		if (c->ver == 2)
			skf(c, np, off, len);
		break;
	default:
		item(c, off, len);
	}
}

static int known_payload(int t)
{
	return (t >= 1 && t <= 22) || (t >= 33 && t <= 53) || (t >= 130 && t <= 132);
}

/* The generic payload chain (tshark's dissect_payloads). */
static void payloads(struct dc *c, int type, int off, int len)
{
	char b[40];
	int count = 0;
	while (len > 0 && !c->exc) {
		if (type == 0) {
			TADD(c, "Extra data (%d bytes)", len);
			c->m->anomalies |= IKE_A_EXTRA;
			item(c, off, len);
			break;
		}
		if (len < 4) {
			TADD(c, "[Not enough room in payload for all transforms]");
			c->m->anomalies |= IKE_A_PLEN;
			break;
		}
		if (++count > MAX_CHAIN) {
			TADD(c, "[More than %d payloads in one chain: stopped]", MAX_CHAIN);
			c->m->anomalies |= IKE_A_CAP;
			break;
		}
		int np = g8(c, off), crit = g8(c, off + 1), plen = g16(c, off + 2);
		if (c->exc)
			return;
		FLD(c, "isakmp.typepayload", "%d", type);
		FLD(c, "isakmp.nextpayload", "%d", np);
		FLD(c, "isakmp.payloadlength", "%d", plen);
		TPUSH(c, "Payload: %s (%d), length %d", nz(ike_payload_name((unsigned)type), b, sizeof b, (unsigned)type), type, plen);
		if (c->ver == 2 && (crit & 0x80) && !known_payload(type)) {
			TADD(c, "[Unknown payload with the critical bit set]");
			c->m->anomalies |= IKE_A_CRITICAL;
		}
		if (plen >= 4) {
			if (item(c, off + 4, plen - 4) < 0) {
				TPOP(c);
				return;
			}
			body(c, type, np, off + 4, plen - 4);
		} else {
			TADD(c, "[Payload (bogus, length is %d, must be at least 4)]", plen);
			c->m->anomalies |= IKE_A_PLEN;
			plen = 4;
		}
		TPOP(c);
		off += plen;
		len -= plen;
		type = np;
	}
}

/* ---- SK / SKF ---------------------------------------------------------- */

static void inner(struct dc *c, const uint8_t *plain, size_t plain_len, size_t payload_len, int np)
{
	if (c->depth >= MAX_DEPTH)
		return;
	struct dc d = *c;
	d.b = plain;
	d.n = (int)plain_len;
	d.exc = 0;
	d.depth = c->depth + 1;
	d.captured_short = 0;
	c->m->decrypted = 1;
	TPUSH(c, "Decrypted Data (%zu bytes)", payload_len);
	if (payload_len > 0)
		payloads(&d, np, 0, (int)payload_len);
	TPOP(c);
}

/* Decrypts [off, off+len) of the outer message; the plaintext goes to buf. */
static int decrypt_body(struct dc *c, const struct ike_sa_keys *k, int off, int len, int aad_end,
			uint8_t *buf, struct ike_dec *d)
{
	int r = ike_decrypt(k, (c->m->flags & 0x08) != 0, c->msg, (size_t)c->msg_n,
			    (size_t)off, len > 0 ? (size_t)len : 0, (size_t)aad_end, buf, PLAIN_MAX, d);
	if (c->p->tree) {
		char hx[2 * 32 + 1];
		const uint8_t *icv = view(c, (int)d->icv_off, (int)d->icv_len);
		hexs(hx, sizeof hx, icv ? icv : (const uint8_t *)"", icv ? d->icv_len : 0);
		TADD(c, "Encryption: %s, integrity: %s", k->encr->name, k->integ->name);
		TADD(c, "Integrity Checksum Data: %s [%s]", hx, d->icv == IKE_ICV_OK ? "correct" :
		     d->icv == IKE_ICV_BAD ? "incorrect" : "not checked");
	}
	if (d->icv == IKE_ICV_BAD) {
		TADD(c, "[IKEv2 Integrity Checksum Data is incorrect]");
		c->m->anomalies |= IKE_A_ICV;
	}
	if (r != IKE_DEC_OK) {
		TADD(c, "[Decryption failed: %s]", r == IKE_DEC_SHORT ? "too short" :
		     r == IKE_DEC_BLOCK ? "not a multiple of the block size" :
		     r == IKE_DEC_PAD ? "bad padding" : "cipher error");
		c->m->anomalies |= IKE_A_DECRYPT;
	}
	return r;
}

static const struct ike_sa_keys *keys_for(struct dc *c)
{
	if (c->depth || !c->p->ike_keys)
		return NULL;
	return ike_keys_find(c->p->ike_keys, c->m->spi_i, c->m->spi_r);
}

static void sk(struct dc *c, int np, int off, int len)
{
	c->m->encrypted = 1;
	const struct ike_sa_keys *k = keys_for(c);
	if (!k) {
		/* tshark without keys: the first 4 bytes as "IV", the rest data */
		if (item(c, off, 4) < 0)
			return;
		const uint8_t *v = view(c, off, 4);
		if (v && c->p->fields)
			fld_add_hex(c->p->fields, "isakmp.enc.iv", v, 4);
		item(c, off + 4, len - 4);
		TADD(c, "Encrypted Data (%d bytes): encrypted, not decoded (no keys for this SA)", len);
		c->m->anomalies |= IKE_A_NOKEYS;
		return;
	}
	unsigned ivl, icvl;
	ike_crypt_lens(k, &ivl, &icvl);
	if (len - (int)ivl - (int)icvl <= 0) {
		TADD(c, "[Not enough data for IV, Encrypted data and ICD]");
		c->m->anomalies |= IKE_A_DECRYPT;
		return;
	}
	if (item(c, off, (int)ivl) < 0 || item(c, off + (int)ivl, len - (int)ivl - (int)icvl) < 0 ||
	    item(c, off + len - (int)icvl, (int)icvl) < 0)
		return;
	const uint8_t *iv = view(c, off, (int)ivl), *icv = view(c, off + len - (int)icvl, (int)icvl);
	if (c->p->fields) {
		if (iv && ivl)
			fld_add_hex(c->p->fields, "isakmp.enc.iv", iv, ivl);
		if (icv && icvl)
			fld_add_hex(c->p->fields, "isakmp.enc.icd", icv, icvl);
	}
	static uint8_t plain[PLAIN_MAX];
	struct ike_dec d;
	if (decrypt_body(c, k, off, len, off, plain, &d) == IKE_DEC_OK)
		inner(c, plain, d.plain_len, d.payload_len, np);
	memset(plain, 0, d.plain_len < PLAIN_MAX ? d.plain_len : PLAIN_MAX);
}

static void skf(struct dc *c, int np, int off, int len)
{
	int num = g16(c, off), total = g16(c, off + 2);
	if (c->exc || item(c, off, 2) < 0 || item(c, off + 2, 2) < 0)
		return;
	FLD(c, "isakmp.frag.number", "%d", num);
	FLD(c, "isakmp.frag.total", "%d", total);
	TADD(c, "Fragment Number: %d, Total Fragments: %d", num, total);
	c->m->frag_num = num;
	c->m->frag_total = total;
	c->m->encrypted = 1;
	if (c->p->summary) {
		/* appended by the caller from m */
	}
	if (num == 0 || num > total) {
		TADD(c, num == 0 ? "[Fragment number must not be zero]" :
		     "[Fragment number must not be greater than total fragments]");
		c->m->anomalies |= IKE_A_FRAG;
		return;
	}
	const struct ike_sa_keys *k = keys_for(c);
	if (!k) {
		TADD(c, "Encrypted Fragment (%d bytes): encrypted, not decoded (no keys for this SA)", len - 4);
		c->m->anomalies |= IKE_A_NOKEYS;
		return;
	}
	off += 4;
	len -= 4;
	unsigned ivl, icvl;
	ike_crypt_lens(k, &ivl, &icvl);
	if (len - (int)ivl - (int)icvl <= 0) {
		c->m->anomalies |= IKE_A_DECRYPT;
		return;
	}
	if (item(c, off, (int)ivl) < 0 || item(c, off + len - (int)icvl, (int)icvl) < 0)
		return;
	const uint8_t *iv = view(c, off, (int)ivl), *icv = view(c, off + len - (int)icvl, (int)icvl);
	if (c->p->fields) {
		if (iv && ivl)
			fld_add_hex(c->p->fields, "isakmp.enc.iv", iv, ivl);
		if (icv && icvl)
			fld_add_hex(c->p->fields, "isakmp.enc.icd", icv, icvl);
	}
	static uint8_t plain[PLAIN_MAX];
	struct ike_dec d;
	if (decrypt_body(c, k, off, len, off, plain, &d) != IKE_DEC_OK)
		return;
	size_t all = 0;
	int first_np = 0;
	const uint8_t *whole = ike_frag_add(c->st, c->m->spi_i, c->m->msgid, c->m->is_response,
					    (unsigned)num, (unsigned)total, num == 1 ? np : -1,
					    plain, d.payload_len, &all, &first_np);
	memset(plain, 0, d.plain_len < PLAIN_MAX ? d.plain_len : PLAIN_MAX);
	if (whole) {
		TADD(c, "Reassembled IKEv2 message (%d fragments, %zu bytes)", total, all);
		inner(c, whole, all, all, first_np);
	}
}

/* ---- the message ---------------------------------------------------------- */

#define PT(...) do { if (p->tree) tree_add(p->tree, __VA_ARGS__); } while (0)
#define PF(...) do { if (p->fields) fld_add(p->fields, __VA_ARGS__); } while (0)

static struct ike_state *global_state;

static struct ike_state *state_of(struct pkt *p)
{
	if (p->ike)
		return p->ike;
	if (!global_state)
		global_state = ike_state_new();
	return global_state;
}

void ike_reset(void)
{
	ike_state_free(global_state);
	global_state = NULL;
}

static void summary(struct pkt *p, const struct ike_msg *m)
{
	if (!p->summary)
		return;
	int r = 0;
	const char *en = ike_exch_name(m->ver, m->exch);
	if (m->ver == 2) {
		if (en)
			r |= sbuf_printf(p->summary, "%s MID=%02u %s %s", en, m->msgid,
					 m->flags & 0x08 ? "Initiator" : "Responder",
					 m->flags & 0x20 ? "Response" : "Request");
		else
			r |= sbuf_printf(p->summary, "Unknown %u MID=%02u %s %s", m->exch, m->msgid,
					 m->flags & 0x08 ? "Initiator" : "Responder",
					 m->flags & 0x20 ? "Response" : "Request");
		if (m->frag_total || m->frag_num)
			r |= sbuf_printf(p->summary, " (fragment %d/%d)", m->frag_num, m->frag_total);
		if (m->eap_summary[0])
			r |= sbuf_printf(p->summary, " [%s]", m->eap_summary);
	} else if (m->ver == 1) {
		if (en)
			r |= sbuf_adds(p->summary, en);
		else
			r |= sbuf_printf(p->summary, "Unknown %u", m->exch);
	}
	(void)r;
}

/* The ISAKMP message in data[0, len): decode, then SA tracking. */
static void isakmp(struct pkt *p, const uint8_t *data, size_t len)
{
	struct ike_msg m;
	memset(&m, 0, sizeof m);
	m.accepted_group = m.ke_group = -1;
	struct dc c = {
		.p = p, .st = state_of(p), .b = data, .n = len > 0x7fffffff ? 0x7fffffff : (int)len,
		.m = &m, .msg = data, .msg_n = len > 0x7fffffff ? 0x7fffffff : (int)len,
		.captured_short = p->caplen < p->wirelen,
	};
	char hx[17], b[40];
	struct rd r = rd_make(data, len);
	uint8_t ispi[8], rspi[8];
	uint8_t np = 0, ver = 0, exch = 0, flags = 0;
	uint32_t msgid = 0, hlen = 0;
	int have = 0;
	/* tshark drops a message whose length field is under 28 */
	if (len >= IKE_HDR) {
		struct rd h = r;
		if (rd_skip(&h, 24) || rd_be32(&h, &hlen))
			return;
		if (hlen < IKE_HDR) {
			m.anomalies |= IKE_A_HDRLEN;
			PT("ISAKMP: header length %u is shorter than the header (28)", hlen);
			goto track_anomaly;
		}
	}
	if (rd_copy(&r, ispi, 8))
		goto trunc;
	for (int i = 0; i < 8; i++)
		m.spi_i = m.spi_i << 8 | ispi[i];
	int show = p->fields || p->tree;
	if (show)
		hexs(hx, sizeof hx, ispi, 8);
	PF("isakmp.ispi", "%s", hx);
	if (p->tree)
		tree_push(p->tree, "Internet Security Association and Key Management Protocol");
	PT("Initiator SPI: %s", hx);
	if (rd_copy(&r, rspi, 8))
		goto trunc;
	for (int i = 0; i < 8; i++)
		m.spi_r = m.spi_r << 8 | rspi[i];
	if (show)
		hexs(hx, sizeof hx, rspi, 8);
	PF("isakmp.rspi", "%s", hx);
	PT("Responder SPI: %s", hx);
	if (rd_u8(&r, &np))
		goto trunc;
	PF("isakmp.nextpayload", "%u", np);
	PT("Next payload: %s (%u)", nz(ike_payload_name(np), b, sizeof b, np), np);
	if (rd_u8(&r, &ver))
		goto trunc;
	m.ver = ver >> 4;
	c.ver = m.ver;
	PF("isakmp.version", "0x%02x", ver);
	PT("Version: %u.%u", ver >> 4, ver & 15);
	if (rd_u8(&r, &exch))
		goto trunc;
	m.exch = exch;
	if (m.ver == 1 || m.ver == 2) {
		PF("isakmp.exchangetype", "%u", exch);
		PT("Exchange type: %s (%u)", nz(ike_exch_name(m.ver, exch), b, sizeof b, exch), exch);
	}
	if (rd_u8(&r, &flags))
		goto trunc;
	m.flags = flags;
	m.is_response = m.ver == 2 && (flags & 0x20);
	m.from_initiator = m.ver == 2 ? (flags & 0x08) != 0 : 1;
	PF("isakmp.flags", "0x%02x", flags);
	if (m.ver == 2)
		PT("Flags: 0x%02x (%s, %s)", flags, flags & 0x08 ? "Initiator" : "Responder",
			 flags & 0x20 ? "Response" : "Request");
	else
		PT("Flags: 0x%02x", flags);
	if (rd_be32(&r, &msgid))
		goto trunc;
	m.msgid = msgid;
	PF("isakmp.messageid", "0x%08x", msgid);
	PT("Message ID: 0x%08x", msgid);
	if (rd_be32(&r, &hlen))
		goto trunc;
	/* tshark checks the body against the datagram before the length field */
	if ((int32_t)(hlen - IKE_HDR) > 0 && (uint64_t)hlen - 4 > len) {
		m.anomalies |= c.captured_short ? IKE_A_TRUNCATED : IKE_A_INVALID;
		PT("[Length %u runs past the datagram (%zu bytes)]", hlen, len);
		goto out;
	}
	have = 1;
	PF("isakmp.length", "%u", hlen);
	PT("Length: %u", hlen);
	if (hlen != len)
		m.anomalies |= hlen > len && c.captured_short ? IKE_A_TRUNCATED : IKE_A_LENGTH;
	{
		int plen = (int)(hlen - IKE_HDR);   /* tshark: a signed int */
		if (m.ver == 1 && (flags & 0x01)) {
			if (plen > 0)
				PT("Encrypted Data (%d bytes): IKEv1, not decoded", plen);
			m.encrypted = 1;
		} else {
			payloads(&c, np, IKE_HDR, plen);
		}
	}
out:
	tree_pop(p->tree);
	summary(p, &m);
	if (m.ver == 2 || m.ver == 1)
		ike_sa_message(c.st, p, &m);
	return;
trunc:
	tree_pop(p->tree);
	m.anomalies |= IKE_A_TRUNCATED;
	summary(p, &m);
	(void)have;
track_anomaly:
	if (p->sink)
		ike_sa_message(c.st, p, &m);
}

/* tshark's ISAKMP dissector declines a datagram whose length field (read
 * when the header is all there) is under the header's 28 bytes. */
static int isakmp_refuses(const uint8_t *data, size_t len)
{
	struct rd r = rd_make(data, len);
	uint32_t hlen;
	return len >= IKE_HDR && !rd_skip(&r, 24) && !rd_be32(&r, &hlen) && hlen < IKE_HDR;
}

void ike_udp(struct pkt *p, const uint8_t *data, size_t len)
{
	if (!data)
		len = 0;
	/* tshark tries the lower port first: between 500 and 4500, ISAKMP gets
	 * the datagram unless it refuses it (a length field under 28) */
	int p500 = p->sport == 500 || p->dport == 500, p4500 = p->sport == 4500 || p->dport == 4500;
	if (p4500 && (!p500 || isakmp_refuses(data, len))) {
		if (len == 1 && data[0] == 0xff) {
			PF("udpencap.nat_keepalive", "1");
			PT("UDP Encapsulation of IPsec Packets: NAT-keepalive");
			if (p->summary && sbuf_adds(p->summary, "NAT-keepalive")) {
			}
			return;
		}
		struct rd r = rd_make(data, len);
		uint32_t spi;
		if (rd_be32(&r, &spi))
			return;                       /* tshark: malformed, nothing shown */
		if (spi == 0) {
			PF("udpencap.non_esp_marker", "1");
			PT("UDP Encapsulation of IPsec Packets: Non-ESP Marker");
			isakmp(p, data + 4, len - 4);
			return;
		}
		esp_ip(p, data, len);
		return;
	}
	isakmp(p, data, len);
}

void esp_ip(struct pkt *p, const uint8_t *data, size_t len)
{
	struct rd r = rd_make(data, data ? len : 0);
	uint32_t spi, seq;
	if (rd_be32(&r, &spi))
		return;
	PF("esp.spi", "0x%08x", spi);
	if (rd_be32(&r, &seq)) {
		PT("Encapsulating Security Payload: SPI 0x%08x (truncated)", spi);
		return;
	}
	PF("esp.sequence", "%u", seq);
	tree_push(p->tree, "Encapsulating Security Payload");
	PT("ESP SPI: 0x%08x (%u)", spi, spi);
	PT("ESP Sequence: %u", seq);
	tree_pop(p->tree);
	if (p->summary && sbuf_printf(p->summary, "ESP (SPI=0x%08x)", spi)) {
	}
	if (p->sink)
		ike_sa_esp(state_of(p), p, spi, seq);
}

void ike_flush(struct pkt *p)
{
	struct ike_state *st = p->ike ? p->ike : global_state;
	if (st && p->sink)
		ike_sa_finish(st, p->sink, p->input);
}
