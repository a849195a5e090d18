/* \summary: EAP (RFC 3748) inside RADIUS EAP-Message and IKEv2 EAP payloads
 *
 * Reads through struct rd only. Field names and what tshark 4.0 adds when a
 * packet is short are mirrored (the header fields come first; a body cut
 * short stops there). info never carries a secret: MD5 values, MS-CHAPv2
 * responses and AnyConnect passwords stay out of it; identities go in.
 */
#include "decoders/eap.h"

#include <string.h>

#include "core/escape.h"
#include "core/str.h"
#include "decoders/rd.h"

#define EAP_MAX_IDENTITY 256         /* longer identities are cut in info */

static const char *code_name(int c)
{
	switch (c) {
	case 1: return "Request";
	case 2: return "Response";
	case 3: return "Success";
	case 4: return "Failure";
	case 5: return "Initiate";
	case 6: return "Finish";
	}
	return "Unknown";
}

const char *eap_type_name(int t)
{
	switch (t) {
	case 1: return "Identity";
	case 2: return "Notification";
	case 3: return "Legacy Nak";
	case 4: return "MD5-Challenge";
	case 5: return "One-Time Password";
	case 6: return "Generic Token Card";
	case 13: return "TLS";
	case 17: return "LEAP";
	case 18: return "SIM";
	case 21: return "TTLS";
	case 23: return "AKA";
	case 25: return "PEAP";
	case 26: return "MS-CHAP-v2";
	case 29: return "MS-CHAPv2 (Cisco)";
	case 43: return "FAST";
	case 49: return "IKEv2";
	case 50: return "AKA'";
	case 52: return "PWD";
	case 55: return "TEAP";
	case 254: return "Expanded";
	case 255: return "Experimental";
	}
	return "Unknown";
}

/* Escaped text of untrusted bytes into b (for tree and summary). */
static void esc_into(struct sbuf *b, const uint8_t *s, size_t n)
{
	if (esc_text(b, (const char *)s, n)) {
		/* capped: what fits is kept */
	}
}

/* A string field: tshark stops at the first NUL. */
static size_t strlen_nul(const uint8_t *s, size_t n)
{
	const uint8_t *z = memchr(s, 0, n);
	return z ? (size_t)(z - s) : n;
}

static void add_str(struct pkt *p, const char *field, const uint8_t *s, size_t n)
{
	if (!p->fields || !fld_wanted(p->fields, field))
		return;
	struct sbuf b;
	sbuf_init(&b, 1u << 20);
	esc_into(&b, s, strlen_nul(s, n));
	fld_add(p->fields, field, "%s", sbuf_cstr(&b));
	sbuf_free(&b);
}

static void tree_str(struct pkt *p, const char *label, const uint8_t *s, size_t n)
{
	if (!p->tree)
		return;
	struct sbuf b;
	sbuf_init(&b, 1u << 16);
	esc_into(&b, s, n);
	tree_add(p->tree, "%s: %s", label, sbuf_cstr(&b));
	sbuf_free(&b);
}

static const char *intern_identity(const uint8_t *s, size_t n)
{
	n = strlen_nul(s, n);
	if (n > EAP_MAX_IDENTITY)
		n = EAP_MAX_IDENTITY;
	return n ? intern((const char *)s, n) : NULL;
}

/* <username>...</username> out of AnyConnect's aggregate-auth XML (never
 * the password). */
static const char *anyconnect_user(const uint8_t *x, size_t n)
{
	static const char open[] = "<username>", close[] = "</username>";
	const uint8_t *a = memmem(x, n, open, sizeof open - 1);
	if (!a)
		return NULL;
	a += sizeof open - 1;
	const uint8_t *e = memmem(a, n - (size_t)(a - x), close, sizeof close - 1);
	if (!e)
		return NULL;
	return intern_identity(a, (size_t)(e - a));
}

static void anyconnect_kind(struct pkt *p, const uint8_t *x, size_t n)
{
	static const char key[] = "type=\"";
	const uint8_t *a = memmem(x, n, key, sizeof key - 1);
	if (!a || !p->tree)
		return;
	a += sizeof key - 1;
	const uint8_t *e = memchr(a, '"', n - (size_t)(a - x));
	if (e && e - a < 64)
		tree_str(p, "AnyConnect message type", a, (size_t)(e - a));
}

static void tls_like(struct pkt *p, struct rd *r)
{
	uint8_t fl;
	if (rd_u8(r, &fl))
		return;
	fld_add(p->fields, "eap.tls.flags", "0x%02x", fl);
	tree_add(p->tree, "Flags: 0x%02x%s%s%s", fl, fl & 0x80 ? " Length" : "",
		 fl & 0x40 ? " More" : "", fl & 0x20 ? " Start" : "");
	if (fl & 0x80) {
		uint32_t tl;
		if (rd_be32(r, &tl))
			return;
		fld_add(p->fields, "eap.tls.len", "%u", tl);
		tree_add(p->tree, "Length: %u", tl);
	}
	tree_add(p->tree, "Data: %zu bytes", rd_left(r));
}

static void mschapv2(struct pkt *p, struct rd *r, struct eap_info *info)
{
	uint8_t op, id, vs;
	uint16_t len;
	(void)info;
	if (rd_u8(r, &op))
		return;
	fld_add(p->fields, "eap.ms_chap_v2.opcode", "%u", op);
	static const char *ops[] = {"?", "Challenge", "Response", "Success", "Failure",
				    "?", "?", "Change-Password"};
	tree_add(p->tree, "OpCode: %s (%u)", op < 8 ? ops[op] : "?", op);
	if (op == 3 || op == 4) {
		/* a Success/Failure Response from the peer is the opcode alone */
		if (rd_left(r) == 0)
			return;
	}
	if (rd_u8(r, &id) || rd_be16(r, &len))
		return;
	fld_add(p->fields, "eap.ms_chap_v2.id", "%u", id);
	fld_add(p->fields, "eap.ms_chap_v2.length", "%u", len);
	if (op == 1 || op == 2) {
		const uint8_t *v;
		if (rd_u8(r, &vs))
			return;
		fld_add(p->fields, "eap.ms_chap_v2.value_size", "%u", vs);
		if (rd_bytes(r, &v, vs))
			return;
		if (op == 1)
			fld_add_hex(p->fields, "eap.ms_chap_v2.challenge", v, vs);
		pkt_ident(p, PID_USER, rd_ptr(r), rd_left(r));
		add_str(p, "eap.ms_chap_v2.name", rd_ptr(r), rd_left(r));
		tree_str(p, "Name", rd_ptr(r), rd_left(r));
	} else if (op == 3 || op == 4) {
		add_str(p, "eap.ms_chap_v2.message", rd_ptr(r), rd_left(r));
		tree_str(p, "Message", rd_ptr(r), rd_left(r));
	}
}

void eap_dissect(struct pkt *p, const uint8_t *data, size_t len, struct eap_info *info)
{
	memset(info, 0, sizeof *info);
	info->code = info->id = info->type = -1;
	struct rd r = rd_make(data, len);
	uint8_t code, id, type;
	uint16_t elen;
	/* tshark reads the whole header before it adds a field */
	if (rd_u8(&r, &code) || rd_u8(&r, &id) || rd_be16(&r, &elen))
		return;
	info->code = code;
	info->id = id;
	if (p->fields) {
		fld_add_uint(p->fields, "eap.code", code);
		fld_add_uint(p->fields, "eap.id", id);
		fld_add_uint(p->fields, "eap.len", elen);
	}
	tree_push(p->tree, "Extensible Authentication Protocol: %s (%u) id=%u len=%u",
		  code_name(code), code, id, elen);
	if (p->summary && sbuf_printf(p->summary, " EAP %s", code_name(code))) {
		/* capped */
	}
	/* the EAP length bounds the body; a body cut short is reported by
	 * valid = 0 after what could be read */
	int short_body = elen < 4 || (size_t)elen > len;
	struct rd body = rd_make(NULL, 0);
	size_t blen = elen >= 4 ? (size_t)elen - 4 : 0;
	if (blen > rd_left(&r))
		blen = rd_left(&r);
	rd_sub(&r, &body, blen);
	if (code != 1 && code != 2) {
		info->valid = !short_body;
		tree_pop(p->tree);
		return;
	}
	if (elen < 5 || rd_u8(&body, &type)) {
		tree_pop(p->tree);
		return;
	}
	info->type = type;
	if (p->fields)
		fld_add_uint(p->fields, "eap.type", type);
	tree_add(p->tree, "Type: %s (%u)", eap_type_name(type), type);
	if (p->summary && sbuf_printf(p->summary, "/%s", eap_type_name(type))) {
		/* capped */
	}
	if (short_body) {
		/* tshark stops here with an exception: so do we (valid = 0) */
		tree_add(p->tree, "[EAP length %u is more than the %zu bytes present]", elen, len);
		tree_pop(p->tree);
		return;
	}
	switch (type) {
	case 1:
		if (rd_left(&body)) {
			pkt_ident(p, PID_USER, rd_ptr(&body), rd_left(&body));
			add_str(p, "eap.identity", rd_ptr(&body), rd_left(&body));
			tree_str(p, "Identity", rd_ptr(&body), rd_left(&body));
			info->identity = intern_identity(rd_ptr(&body), rd_left(&body));
			if (info->identity)     /* as the summary prints it (maybe cut) */
				pkt_ident(p, PID_USER, info->identity, strlen(info->identity));
			if (p->summary && info->identity) {
				if (sbuf_adds(p->summary, " ")) {
					/* capped */
				}
				esc_into(p->summary, (const uint8_t *)info->identity,
					 strlen(info->identity));
			}
		}
		break;
	case 2:
		if (rd_left(&body)) {
			add_str(p, "eap.notification", rd_ptr(&body), rd_left(&body));
			tree_str(p, "Notification", rd_ptr(&body), rd_left(&body));
		}
		break;
	case 3: {
		uint8_t want;
		if (!rd_u8(&body, &want)) {
			fld_add(p->fields, "eap.desired_type", "%u", want);
			tree_add(p->tree, "Desired Auth Type: %s (%u)", eap_type_name(want), want);
			if (p->summary && sbuf_printf(p->summary, " (wants %s)", eap_type_name(want))) {
				/* capped */
			}
		}
		break;
	}
	case 4: {
		uint8_t vs;
		if (!rd_u8(&body, &vs)) {
			fld_add(p->fields, "eap.md5.value_size", "%u", vs);
			tree_add(p->tree, "Value-Size: %u", vs);
			const uint8_t *v;
			if (!rd_bytes(&body, &v, vs)) {
				fld_add_hex(p->fields, "eap.md5.value", v, vs);
				if (rd_left(&body))
					tree_str(p, "Extra data", rd_ptr(&body), rd_left(&body));
			}
		}
		break;
	}
	case 13: case 21: case 25: case 43:
		tls_like(p, &body);
		break;
	case 26:
		mschapv2(p, &body, info);
		break;
	case 254: {
		uint32_t vid, vt;
		if (rd_be24(&body, &vid) || rd_be32(&body, &vt))
			break;
		info->vendor_id = vid;
		info->vendor_type = vt;
		tree_add(p->tree, "Vendor: %u, type %u%s", vid, vt,
			 vid == 9 ? " (Cisco AnyConnect-EAP)" : "");
		if (vid == 9) {
			const char *u = anyconnect_user(rd_ptr(&body), rd_left(&body));
			if (u) {
				info->identity = u;
				pkt_ident(p, PID_USER, u, strlen(u));
			}
			anyconnect_kind(p, rd_ptr(&body), rd_left(&body));
			if (p->summary && sbuf_adds(p->summary, " AnyConnect-EAP")) {
				/* capped */
			}
		}
		break;
	}
	default:
		break;
	}
	info->valid = !short_body;
	tree_pop(p->tree);
}
