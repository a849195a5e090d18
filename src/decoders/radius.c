/* \summary: RADIUS from captures: decode, verify, pair, and emit events
 *
 * The attribute walk mirrors tshark 4.0's (so -T fields agrees with it on
 * malformed packets too): an attribute whose length is under 2 or runs past
 * the RADIUS length stops the walk; a VSA too short for its vendor id is
 * skipped; a bad VSA sub-attribute leaves the walk where the sub-attribute
 * began; a run of EAP-Message attributes is reassembled and decoded where
 * the run ends; a read past the captured bytes stops everything (the packet
 * was cut by the capture). Each problem is a named anomaly.
 */
#include "decoders/radius.h"

#include <arpa/inet.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "core/escape.h"
#include "core/input.h"
#include "core/str.h"
#include "decoders/eap.h"
#include "decoders/fields.h"
#include "decoders/ipfmt.h"
#include "decoders/radius_dict.h"
#include "decoders/rd.h"
#include "decoders/secrets.h"

/* fields cost nothing on the analyze path: not even the call */
#define fld_add(f, ...) do { if (f) fld_add(f, __VA_ARGS__); } while (0)
#define FLD_U(f, name, v) do { if (f) fld_u(f, name, v); } while (0)

#define RADIUS_MAX_LEN 4096
#define MAX_ANOMALIES 4
#define MAX_REPLY 1024              /* Reply-Message text kept per packet */
#define MAX_CHALLENGE_ROUNDS 64
#define MAX_HOSTS 65536
#define HOLD_MAX 65536

/* ---- the dictionary ---- */

static const struct rad_attr *std_index[256];
static int std_ready;

static void std_build(void)
{
	for (size_t i = 0; i < rad_nattrs; i++)
		if (rad_attrs[i].vendor == 0 && rad_attrs[i].code < 256)
			std_index[rad_attrs[i].code] = &rad_attrs[i];
	std_ready = 1;
}

const struct rad_attr *rad_find(uint32_t vendor, uint16_t code)
{
	if (vendor == 0 && code < 256) {
		if (!std_ready)
			std_build();
		return std_index[code];
	}
	size_t lo = 0, hi = rad_nattrs;
	while (lo < hi) {
		size_t m = (lo + hi) / 2;
		const struct rad_attr *a = &rad_attrs[m];
		if (a->vendor < vendor || (a->vendor == vendor && a->code < code))
			lo = m + 1;
		else
			hi = m;
	}
	if (lo < rad_nattrs && rad_attrs[lo].vendor == vendor && rad_attrs[lo].code == code)
		return &rad_attrs[lo];
	return NULL;
}

const char *rad_value_name(uint32_t vendor, uint16_t code, uint32_t value)
{
	size_t lo = 0, hi = rad_nvalues;
	while (lo < hi) {
		size_t m = (lo + hi) / 2;
		const struct rad_value *v = &rad_values[m];
		if (v->vendor < vendor || (v->vendor == vendor && (v->code < code ||
		    (v->code == code && v->value < value))))
			lo = m + 1;
		else
			hi = m;
	}
	if (lo < rad_nvalues && rad_values[lo].vendor == vendor && rad_values[lo].code == code &&
	    rad_values[lo].value == value)
		return rad_values[lo].name;
	return NULL;
}

const char *rad_vendor_name(uint32_t vendor)
{
	for (size_t i = 0; i < rad_nvendors; i++)
		if (rad_vendors[i].id == vendor)
			return rad_vendors[i].name;
	return NULL;
}

const char *rad_code_name(unsigned c)
{
	switch (c) {
	case 1: return "Access-Request";
	case 2: return "Access-Accept";
	case 3: return "Access-Reject";
	case 4: return "Accounting-Request";
	case 5: return "Accounting-Response";
	case 6: return "Accounting-Status";
	case 7: return "Password-Request";
	case 8: return "Password-Ack";
	case 9: return "Password-Reject";
	case 10: return "Accounting-Message";
	case 11: return "Access-Challenge";
	case 12: return "Status-Server";
	case 13: return "Status-Client";
	case 21: return "Resource-Free-Request";
	case 22: return "Resource-Free-Response";
	case 23: return "Resource-Query-Request";
	case 24: return "Query_Response";
	case 25: return "Alternate-Resource-Reclaim-Request";
	case 26: return "NAS-Reboot-Request";
	case 27: return "NAS-Reboot-Response";
	case 29: return "Next-Passcode";
	case 30: return "New-Pin";
	case 31: return "Terminate-Session";
	case 32: return "Password-Expired";
	case 33: return "Event-Request";
	case 34: return "Event-Response";
	case 40: return "Disconnect-Request";
	case 41: return "Disconnect-ACK";
	case 42: return "Disconnect-NAK";
	case 43: return "CoA-Request";
	case 44: return "CoA-ACK";
	case 45: return "CoA-NAK";
	case 50: return "IP-Address-Allocate";
	case 51: return "IP-Address-Release";
	case 129: return "ALU-State-Request";
	case 130: return "ALU-State-Accept";
	case 131: return "ALU-State-Reject";
	case 132: return "ALU-State-Error";
	}
	return NULL;
}

int radius_port(uint16_t port)
{
	switch (port) {
	case 1812: case 1813: case 1645: case 1646: case 1700: case 3799:
		return 1;
	}
	return 0;
}

int radius_looks_valid(const uint8_t *data, size_t len)
{
	if (len < 20 || !rad_code_name(data[0]))
		return 0;
	unsigned l = (unsigned)data[2] << 8 | data[3];
	return l >= 20 && l <= RADIUS_MAX_LEN;
}

/* Requests carry a Request Authenticator; responses answer one. */
static int is_request(unsigned c)
{
	switch (c) {
	case 1: case 4: case 7: case 12: case 21: case 23: case 25: case 26: case 33:
	case 40: case 43: case 50: case 51: case 129:
		return 1;
	}
	return 0;
}

static int is_response(unsigned c)
{
	switch (c) {
	case 2: case 3: case 5: case 8: case 9: case 11: case 22: case 24: case 27: case 34:
	case 41: case 42: case 44: case 45: case 130: case 131: case 132:
		return 1;
	}
	return 0;
}

/* ---- one packet ---- */

struct rpkt {
	struct pkt *p;
	struct rd all;              /* the UDP payload as captured */
	size_t caplen, paylen;
	uint8_t code, id;
	uint16_t rlen;
	const uint8_t *auth;
	int stop;                   /* an "exception": the walk ended early */
	int pf;                     /* events are made: prefetch the keys' pool slots */
	const char *anom[MAX_ANOMALIES];
	uint8_t anom_trunc[MAX_ANOMALIES];
	int nanom;
	/* facts, pointing into the packet */
	const uint8_t *user, *state, *calling, *upw;
	size_t user_n, state_n, calling_n, upw_n;
	const uint8_t *tpw[4];
	size_t tpw_n[4];
	int ntpw;
	int has_nas_ip;
	uint8_t nas_ip[4];
	size_t ma_off;              /* Message-Authenticator value offset, 0 = none */
	size_t ma_len;
	size_t reply_n;
	int chap, mschap;
	/* EAP */
	size_t eap_n;
	int eap_run;
	struct eap_info eapi;
	int have_eap;
	/* not zeroed per packet */
	char reply[MAX_REPLY];
	uint8_t eap[RADIUS_MAX_LEN];
};

static void anomaly(struct rpkt *x, const char *name, int truncated)
{
	for (int i = 0; i < x->nanom; i++)
		if (x->anom[i] == name)
			return;
	if (x->nanom < MAX_ANOMALIES) {
		x->anom_trunc[x->nanom] = (uint8_t)truncated;
		x->anom[x->nanom++] = name;
	}
}

/* A window of n bytes at absolute offset off of the payload; -1 when the
 * capture cut it (tshark's exception): the walk stops. */
static int window(struct rpkt *x, size_t off, size_t n, struct rd *w)
{
	struct rd t = x->all;
	if (rd_skip(&t, off) || rd_sub(&t, w, n)) {
		anomaly(x, "truncated", 1);
		x->stop = 1;
		return -1;
	}
	return 0;
}

static int at_u8(struct rpkt *x, size_t off, uint8_t *v)
{
	if (rd_peek_u8(&x->all, off, v)) {
		anomaly(x, "truncated", 1);
		x->stop = 1;
		return -1;
	}
	return 0;
}

static size_t nul_len(const uint8_t *s, size_t n)
{
	const uint8_t *z = memchr(s, 0, n);
	return z ? (size_t)(z - s) : n;
}

static void esc_add(struct sbuf *b, const uint8_t *s, size_t n)
{
	if (esc_text(b, (const char *)s, n)) {
		/* capped: what fits is kept */
	}
}

static void add_hexs(struct sbuf *b, const uint8_t *s, size_t n)
{
	static const char hx[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		char t[2] = {hx[s[i] >> 4], hx[s[i] & 15]};
		if (sbuf_add(b, t, 2))
			return;
	}
}

static void fmt_time(struct sbuf *b, uint32_t t)
{
	static const char *mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
				    "Sep", "Oct", "Nov", "Dec"};
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	if (sbuf_printf(b, "%s %2d, %04d %02d:%02d:%02d.000000000 UTC", mon[tm.tm_mon], tm.tm_mday,
			tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec)) {
		/* capped */
	}
}

/* Big-endian integer of 1..4 bytes (tshark's rule), or of 8 (uint64). */
static int read_uint(const uint8_t *v, size_t n, uint64_t *out)
{
	if (n == 0 || (n > 4 && n != 8))
		return -1;
	uint64_t u = 0;
	for (size_t i = 0; i < n; i++)
		u = u << 8 | v[i];
	*out = u;
	return 0;
}

/* Format a value the way tshark prints its field into b. Returns 0 when a
 * field value exists (a wrong-length address has none). */
static int fmt_field(struct sbuf *b, const struct rad_attr *a, const uint8_t *v, size_t n)
{
	char ip[INET6_ADDRSTRLEN];
	uint64_t u;
	switch (a->pf) {
	case PF_UINT: case PF_UINT64: case PF_INT:
		if (read_uint(v, n, &u))
			return -1;
		if (a->pf == PF_INT && n == 4)
			return sbuf_printf(b, "%d", (int32_t)(uint32_t)u) ? -1 : 0;
		return sbuf_printf(b, "%llu", (unsigned long long)u) ? -1 : 0;
	case PF_STRING:
		esc_add(b, v, nul_len(v, n));
		return 0;
	case PF_IPV4: {
		if (n != 4)
			return -1;
		/* dotted quad without inet_ntop's sprintf */
		char *o = ip;
		for (int i = 0; i < 4; i++) {
			unsigned d = v[i];
			if (d >= 100)
				*o++ = (char)('0' + d / 100);
			if (d >= 10)
				*o++ = (char)('0' + d / 10 % 10);
			*o++ = (char)('0' + d % 10);
			if (i < 3)
				*o++ = '.';
		}
		return sbuf_add(b, ip, (size_t)(o - ip)) ? -1 : 0;
	}
	case PF_IPV6:
		if (n != 16 || !inet_ntop(AF_INET6, v, ip, sizeof ip))
			return -1;
		return sbuf_adds(b, ip) ? -1 : 0;
	case PF_TIME:
		if (n != 4)
			return -1;
		fmt_time(b, (uint32_t)v[0] << 24 | (uint32_t)v[1] << 16 | (uint32_t)v[2] << 8 | v[3]);
		return 0;
	case PF_ETHER:
		for (size_t i = 0; i < n; i++)
			if (sbuf_printf(b, i ? ":%02x" : "%02x", v[i]))
				return -1;
		return 0;
	case PF_NONE:
		return -1;
	default:
		if (!n)
			return -1;  /* tshark adds no empty byte field */
		add_hexs(b, v, n);
		return 0;
	}
}

/* Printable ASCII, nothing to escape. */
static int printable(const uint8_t *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < 0x20 || s[i] >= 0x7f || s[i] == '\\')
			return 0;
	return 1;
}

/* "radius.Tunnel_Type.tag": made once per attribute and kept for the
 * process, so the name has static storage as fld_add wants. */
static const char *tag_field(const struct rad_attr *a)
{
	static const char **names;
	size_t i = (size_t)(a - rad_attrs);
	if (i >= rad_nattrs)
		return "radius.tag";
	if (!names)
		names = xcalloc(rad_nattrs, sizeof *names);
	if (!names[i]) {
		char buf[160];
		snprintf(buf, sizeof buf, "%s.tag", a->field);
		names[i] = xstrdup(buf);
	}
	return names[i];
}

/* A value that cannot be what its type says (an address of 3 bytes, an
 * integer of 5): named once per packet. */
static void check_value_len(struct rpkt *x, const struct rad_attr *a, size_t n)
{
	int bad = 0;
	switch (a->kind) {
	case RT_INTEGER: bad = n != 4; break;      /* a tag is one of the 4 */
	case RT_IPADDR: bad = n != 4; break;
	case RT_IPV6ADDR: bad = n != 16; break;
	case RT_DATE: bad = n != 4; break;
	case RT_INTEGER64: bad = n != 8; break;
	case RT_IFID: bad = n != 8; break;
	case RT_IPV6PREFIX: bad = n < 2 || n > 18; break;
	case RT_SHORT: bad = n != 2; break;
	case RT_BYTE: bad = n != 1; break;
	default: break;
	}
	if (bad)
		anomaly(x, "attribute-value-length", 0);
}

static void note_facts(struct rpkt *x, uint32_t vendor, unsigned code, const uint8_t *v,
		       size_t n, size_t off)
{
	if (vendor == 9 && code == 1) {
		/* Cisco-AVPair: "protocol:attribute=value" or "attribute*value" */
		size_t k = nul_len(v, n);
		if (!memchr(v, '=', k) && !memchr(v, '*', k))
			anomaly(x, "cisco-avpair-malformed", 0);
		return;
	}
	if (vendor == 311) {
		if (code == 1 || code == 11 || code == 25)
			x->mschap = 1;
		return;
	}
	if (vendor)
		return;
	switch (code) {
	case 1:
		if (!x->user) {
			x->user = v;
			x->user_n = nul_len(v, n);
			if (x->user_n && x->pf)
				intern_prefetch((const char *)v, x->user_n > 253 ? 253 : x->user_n);
		}
		break;
	case 2:
		if (!x->upw) {
			x->upw = v;
			x->upw_n = n;
		}
		break;
	case 3:
		x->chap = 1;
		break;
	case 4:
		if (n == 4 && !x->has_nas_ip) {
			memcpy(x->nas_ip, v, 4);
			x->has_nas_ip = 1;
		}
		break;
	case 18: {
		size_t k = nul_len(v, n);
		if (x->reply_n && x->reply_n < MAX_REPLY - 1)
			x->reply[x->reply_n++] = '\n';
		if (k > MAX_REPLY - 1 - x->reply_n)
			k = MAX_REPLY - 1 - x->reply_n;
		memcpy(x->reply + x->reply_n, v, k);
		x->reply_n += k;
		break;
	}
	case 24:
		if (!x->state) {
			x->state = v;
			x->state_n = n;
		}
		break;
	case 31:
		if (!x->calling) {
			x->calling = v;
			x->calling_n = nul_len(v, n);
			if (x->calling_n && x->pf)
				intern_prefetch((const char *)v, x->calling_n > 253 ? 253 : x->calling_n);
		}
		break;
	case 69:
		if (x->ntpw < 4) {
			x->tpw[x->ntpw] = v;
			x->tpw_n[x->ntpw++] = n;
		}
		break;
	case 80:
		x->ma_off = off;
		x->ma_len = n;
		if (n != 16)
			anomaly(x, "message-authenticator-length", 0);
		break;
	}
}

/* One attribute value (after its header), standard or vendor. */
static void value(struct rpkt *x, uint32_t vendor, unsigned code, const struct rad_attr *a,
		  size_t off, size_t n, int depth)
{
	struct rd w;
	if (window(x, off, n, &w))
		return;
	const uint8_t *v = rd_ptr(&w);
	struct pkt *p = x->p;
	note_facts(x, vendor, code, v, n, off);
	if (p->redact && a && a->kind == RT_STRING) {
		int cls = fld_id_class(a->field);
		if (cls >= 0) {
			size_t sl = nul_len(v, n);
			pkt_ident(p, (unsigned)cls, v, sl);
			if ((a->flags & RF_TAG) && sl > 1 && v[0] <= 0x1f)
				pkt_ident(p, (unsigned)cls, v + 1, nul_len(v + 1, n - 1));
		}
	}
	/* a hex dump never shows encrypted passwords or keys */
	if ((vendor == 0 && (code == 2 || code == 69)) ||
	    (vendor == 311 && (code == 12 || code == 16 || code == 17)))
		pkt_mask(p, v, n);
	if (!p->fields && !p->tree) {
		/* the analyze path: facts and checks only, nothing formatted */
		if (a && a->kind != RT_TLV) {
			if ((a->flags & RF_TAG) && n == 1 && a->kind == RT_INTEGER)
				anomaly(x, "tag-without-value", 0);
			else if ((a->flags & RF_TAG) && n == 1 && v[0] <= 0x1f)
				anomaly(x, "tag-without-value", 0);
			check_value_len(x, a, n);
		}
		return;
	}
	if (!a) {
		if (vendor == 0) {
			fld_add_hex(p->fields, "radius.Unknown_Attribute", v, n);
			if (p->tree) {
				struct sbuf b;
				sbuf_init(&b, 1u << 16);
				add_hexs(&b, v, n);
				tree_add(p->tree, "AVP: t=Unknown-Attribute(%u) l=%zu val=%s", code, n + 2,
					 sbuf_cstr(&b));
				sbuf_free(&b);
			}
		}
		return;
	}
	if (a->kind == RT_TLV && depth == 0) {
		/* sub-attributes: type, length, value */
		size_t o = 0;
		while (o + 2 <= n) {
			unsigned st = v[o], sl = v[o + 1];
			if (sl < 2 || o + sl > n) {
				anomaly(x, "attribute-length-invalid", 0);
				break;
			}
			value(x, vendor, (uint16_t)(code * 256 + st), rad_find(vendor, (uint16_t)(code * 256 + st)),
			      off + o + 2, sl - 2, depth + 1);
			o += sl;
		}
		return;
	}
	const uint8_t *val = v;
	size_t vn = n;
	int tagged = 0;
	struct sbuf b = {NULL, 0, 0, 1u << 16};   /* sbuf_init, no call */
	if (a->flags & RF_TAG) {
		/* RFC 2868: an integer always has a tag byte; a string has one
		 * when its first byte is 0x00..0x1f */
		if (vn >= 1 && (a->kind == RT_INTEGER || val[0] <= 0x1f)) {
			if (p->fields) {
				char t[5] = {'0', 'x', "0123456789abcdef"[val[0] >> 4],
					     "0123456789abcdef"[val[0] & 15], 0};
				fld_add_str(p->fields, tag_field(a), t, 4);
			}
			val++;
			vn--;
			tagged = 1;
		}
		if (tagged && vn == 0)
			anomaly(x, "tag-without-value", 0);
	}
	check_value_len(x, a, n);
	int shown;
	int want = p->fields && fld_wanted(p->fields, a->field);
	uint64_t u;
	if (!want && !p->tree) {
		shown = 0;          /* not asked for: not formatted */
		if (vendor == 0 && code == 3 && n == 17 && p->fields)
			fld_add(p->fields, "radius.CHAP_Ident", "0x%02x", v[0]);
	} else if (vendor == 0 && code == 2) {
		/* User-Password: only "<ok>" or "<undecodable>", after the
		 * secret check; nothing without a secret */
		shown = 0;
	} else if (vendor == 0 && code == 69) {
		shown = 0;          /* Tunnel-Password: the same */
	} else if (vendor == 0 && code == 3) {
		/* CHAP-Password: the whole value, and its ident */
		shown = n == 17;    /* tshark: ident + 16 bytes, else nothing */
		if (shown) {
			add_hexs(&b, v, n);
			fld_add(p->fields, "radius.CHAP_Ident", "0x%02x", v[0]);
		}
	} else if (vendor == 0 && code == 79) {
		shown = 0;          /* tshark leaves EAP-Message to the EAP dissector */
	} else if (a->kind == RT_INTEGER && (a->flags & RF_TAG)) {
		shown = vn >= 1 && vn <= 3 && !read_uint(val, vn, &u);
		if (shown && want && !p->tree) {
			fld_add_uint(p->fields, a->field, u);
			shown = 0;
		} else if (shown) {
			shown = !sbuf_printf(&b, "%llu", (unsigned long long)u);
		}
	} else if (want && !p->tree && (a->pf == PF_UINT || a->pf == PF_UINT64) &&
		   !read_uint(val, vn, &u)) {
		fld_u(p->fields, a->field, u);     /* the fast path */
		shown = 0;
	} else if (want && !p->tree && a->pf == PF_BYTES && vn) {
		fld_add_hex(p->fields, a->field, val, vn);
		shown = 0;
	} else if (want && !p->tree && a->pf == PF_STRING && printable(val, nul_len(val, vn))) {
		fld_s(p->fields, a->field, (const char *)val, nul_len(val, vn));
		shown = 0;
	} else {
		shown = fmt_field(&b, a, val, vn) == 0;
	}
	if (shown && want)
		fld_add_str(p->fields, a->field, sbuf_cstr(&b), b.len);
	if (p->tree) {
		struct sbuf t;
		sbuf_init(&t, 1u << 16);
		const char *vname = NULL;
		if (a->kind == RT_INTEGER && !read_uint(val, vn, &u) && u <= 0xffffffffu)
			vname = rad_value_name(vendor, (uint16_t)code, (uint32_t)u);
		if (vendor == 0 && (code == 2 || code == 69))
			tree_add(p->tree, "%s: t=%s(%u) l=%zu (encrypted)", vendor ? "VSA" : "AVP",
				 a->name, code, n + 2);
		else if (vendor == 0 && code == 79)
			tree_add(p->tree, "AVP: t=%s(%u) l=%zu (%zu bytes of EAP)", a->name, code,
				 n + 2, n);
		else
			tree_add(p->tree, "%s: t=%s(%u) l=%zu%s%s%s%s", vendor ? "VSA" : "AVP", a->name,
				 code & 0xff, n + 2, shown || vname ? " val=" : "",
				 shown ? sbuf_cstr(&b) : "", vname ? (shown ? " " : "") : "",
				 vname ? vname : "");
		sbuf_free(&t);
	}
	if (b.p)
		sbuf_free(&b);
}

static void eap_run_end(struct rpkt *x)
{
	if (!x->eap_run)
		return;
	x->eap_run = 0;
	if (!x->eap_n)
		return;
	eap_dissect(x->p, x->eap, x->eap_n, &x->eapi);
	x->have_eap = 1;
	if (!x->eapi.valid) {
		anomaly(x, "eap-length-invalid", 0);
		x->stop = 1;        /* tshark's EAP exception ends the packet */
	}
}

/* The attribute walk (tshark's dissect_attribute_value_pairs). */
static void walk(struct rpkt *x, size_t off, size_t length)
{
	struct pkt *p = x->p;
	for (unsigned guard = 0; length > 0 && !x->stop && guard < RADIUS_MAX_LEN; guard++) {
		uint8_t type, alen;
		if (length < 2) {
			anomaly(x, "attribute-header-truncated", 0);
			break;
		}
		if (at_u8(x, off, &type) || at_u8(x, off + 1, &alen))
			break;
		if (alen < 2) {
			anomaly(x, "attribute-length-invalid", 0);
			break;
		}
		if (length < alen) {
			anomaly(x, "attribute-overruns-packet", 0);
			break;
		}
		length -= alen;
		size_t voff = off + 2, vlen = (size_t)alen - 2;
		if (type == 26) {
			if (vlen < 4) {
				anomaly(x, "vsa-too-short", 0);
				off = voff + vlen;
				continue;
			}
			struct rd w;
			uint32_t vendor;
			if (window(x, voff, 4, &w) || rd_be32(&w, &vendor))
				break;
			FLD_U(p->fields, "radius.avp.type", 26);
			FLD_U(p->fields, "radius.avp.vendor_id", vendor);
			const char *vn = rad_vendor_name(vendor);
			if (vn)
				tree_push(p->tree, "AVP: t=Vendor-Specific(26) l=%u vnd=%s(%u)", alen, vn,
					  vendor);
			else
				tree_push(p->tree, "AVP: t=Vendor-Specific(26) l=%u vnd=%u", alen, vendor);
			size_t maxoff = voff + vlen, o = voff + 4;
			while (o < maxoff && !x->stop) {
				uint8_t st, sl;
				if (at_u8(x, o, &st) || at_u8(x, o + 1, &sl))
					break;
				o += 2;
				if (sl < 2) {
					anomaly(x, "vsa-attribute-length-invalid", 0);
					break;
				}
				if (o - 2 + sl > maxoff)
					anomaly(x, "vsa-attribute-overruns", 0);
				FLD_U(p->fields, "radius.avp.vendor_type", st);
				FLD_U(p->fields, "radius.avp.vendor_len", sl);
				const struct rad_attr *a = rad_find(vendor, st);
				if (!a && p->tree)
					tree_add(p->tree, "VSA: t=%u l=%u", st, sl);
				value(x, vendor, st, a, o, (size_t)sl - 2, 0);
				o += (size_t)sl - 2;
			}
			tree_pop(p->tree);
			off = o;
			if (x->eap_run)
				eap_run_end(x);
			continue;
		}
		const struct rad_attr *a = rad_find(0, type);
		if (a && (a->kind == RT_EXTENDED || a->kind == RT_LONG_EXTENDED)) {
			/* RFC 6929: extended type (+ flags for the long form) */
			uint8_t et, fl = 0;
			if (vlen < 1) {
				/* tshark: "Extended AVP too short", the walk ends */
				anomaly(x, "extended-attribute-too-short", 0);
				break;
			}
			if (at_u8(x, voff, &et))
				break;
			size_t hdr = 1;
			if (a->kind == RT_LONG_EXTENDED) {
				if (vlen < 2) {
					/* no flags byte: tshark 4.0 fails an assertion here
					 * (documented in testdata/captures/ORACLE-EXCEPTIONS);
					 * the length is sound, so the walk goes on */
					anomaly(x, "extended-attribute-too-short", 0);
					FLD_U(p->fields, "radius.avp.type", type);
					FLD_U(p->fields, "radius.avp.extended_type", et);
					off = voff + vlen;
					continue;
				}
				if (at_u8(x, voff + 1, &fl))
					break;
				hdr = 2;
			}
			if (et == 26 && vlen - hdr < 4) {
				anomaly(x, "vsa-too-short", 0);
				off = voff + vlen;
				continue;
			}
			FLD_U(p->fields, "radius.avp.type", type);
			FLD_U(p->fields, "radius.avp.extended_type", et);
			if (a->kind == RT_LONG_EXTENDED)
				FLD_U(p->fields, "radius.avp.extended_more", fl >> 7);
			if (et == 26) {
				struct rd w;
				uint32_t vendor;
				if (window(x, voff + hdr, 4, &w) || rd_be32(&w, &vendor))
					break;
				FLD_U(p->fields, "radius.avp.vendor_id", vendor);
				tree_add(p->tree, "AVP: t=%s(%u.26) l=%u vnd=%u", a->name, type, alen, vendor);
				off = voff + vlen;
				if (x->eap_run)
					eap_run_end(x);
				continue;
			}
			const struct rad_attr *ea = rad_find(0, (uint16_t)(type * 256 + et));
			if (!ea)
				tree_add(p->tree, "AVP: t=%s(%u.%u) l=%u", a->name, type, et, alen);
			else
				value(x, 0, (uint16_t)(type * 256 + et), ea, voff + hdr, vlen - hdr, 0);
			off = voff + vlen;
			if (x->eap_run)
				eap_run_end(x);
			continue;
		}
		FLD_U(p->fields, "radius.avp.type", type);
		if (type == 0)
			anomaly(x, "attribute-type-zero", 0);
		if (type == 79) {
			struct rd w;
			if (window(x, voff, vlen, &w))
				break;
			value(x, 0, type, a, voff, vlen, 0);
			if (x->eap_n + vlen <= sizeof x->eap) {
				memcpy(x->eap + x->eap_n, rd_ptr(&w), vlen);
				x->eap_n += vlen;
			}
			x->eap_run = 1;
			/* the run ends where the next byte is not another EAP-Message
			 * (or there is no next byte): decode there, as tshark */
			uint8_t next;
			if (rd_peek_u8(&x->all, voff + vlen, &next) || next != 79)
				eap_run_end(x);
			off = voff + vlen;
			continue;
		}
		value(x, 0, type, a, voff, vlen, 0);
		off = voff + vlen;
	}
	if (x->eap_run && !x->stop)
		eap_run_end(x);
}

/* ---- secrets: authenticators and passwords ---- */

static int md5(const uint8_t *a, size_t an, const uint8_t *b, size_t bn, uint8_t out[16])
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	unsigned ol = 0;
	int ok = c && EVP_DigestInit_ex(c, EVP_md5(), NULL) && EVP_DigestUpdate(c, a, an) &&
		 (!bn || EVP_DigestUpdate(c, b, bn)) && EVP_DigestFinal_ex(c, out, &ol);
	EVP_MD_CTX_free(c);
	return ok && ol == 16 ? 0 : -1;
}

/* The packet (rlen bytes) with the authenticator replaced by auth16 (NULL:
 * zeros) and the Message-Authenticator value zeroed (when zero_ma). */
static size_t packet_copy(const struct rpkt *x, uint8_t *buf, const uint8_t *auth16, int zero_ma)
{
	size_t n = x->rlen;
	memcpy(buf, rd_ptr(&x->all), n);
	if (auth16)
		memcpy(buf + 4, auth16, 16);
	else
		memset(buf + 4, 0, 16);
	if (zero_ma && x->ma_off && x->ma_len == 16 && x->ma_off + 16 <= n)
		memset(buf + x->ma_off, 0, 16);
	return n;
}

/* 1 valid, 0 invalid, -1 cannot tell */
static int check_resp_auth(const struct rpkt *x, const uint8_t *req_auth, const uint8_t *s,
			   size_t sn)
{
	uint8_t buf[RADIUS_MAX_LEN], d[16];
	size_t n = packet_copy(x, buf, req_auth, 0);
	if (md5(buf, n, s, sn, d))
		return -1;
	return !memcmp(d, x->auth, 16);
}

static int check_req_auth(const struct rpkt *x, const uint8_t *s, size_t sn)
{
	uint8_t buf[RADIUS_MAX_LEN], d[16];
	size_t n = packet_copy(x, buf, NULL, 0);
	if (md5(buf, n, s, sn, d))
		return -1;
	return !memcmp(d, x->auth, 16);
}

static int check_ma(const struct rpkt *x, const uint8_t *req_auth, const uint8_t *s, size_t sn)
{
	if (!x->ma_off || x->ma_len != 16 || x->ma_off + 16 > x->rlen)
		return -1;
	uint8_t buf[RADIUS_MAX_LEN], d[EVP_MAX_MD_SIZE];
	unsigned dl = 0;
	size_t n = packet_copy(x, buf, req_auth ? req_auth : x->auth, 1);
	if (!HMAC(EVP_md5(), s, (int)sn, buf, n, d, &dl) || dl != 16)
		return -1;
	return !memcmp(d, rd_ptr(&x->all) + x->ma_off, 16);
}

/* RFC 2865 5.2: 1 = decrypts to a printable, well padded password. The
 * plaintext is wiped before returning and never leaves this function. */
static int check_user_password(const uint8_t *c, size_t n, const uint8_t *ra, const uint8_t *s,
			       size_t sn)
{
	if (n < 16 || n > 128 || n % 16)
		return 0;
	uint8_t pt[128], b[16];
	const uint8_t *prev = ra;
	for (size_t i = 0; i < n; i += 16) {
		if (md5(s, sn, prev, 16, b))
			return 0;
		for (size_t j = 0; j < 16; j++)
			pt[i + j] = c[i + j] ^ b[j];
		prev = c + i;
	}
	size_t len = nul_len(pt, n);
	int ok = len > 0 && n - len < 16;       /* padding is under one block */
	for (size_t i = 0; i < len && ok; i++)
		if (pt[i] < 0x20 || pt[i] == 0x7f)
			ok = 0;
	for (size_t i = len; i < n && ok; i++)
		if (pt[i])
			ok = 0;
	if (ok && len && utf8_seq_len(pt, len) == 0)
		ok = 0;
	volatile uint8_t *w = pt;
	for (size_t i = 0; i < sizeof pt; i++)
		w[i] = 0;
	return ok;
}

/* RFC 2868 3.5: tag, salt (2 bytes, high bit set), then the encrypted
 * length byte + password + padding. */
static int check_tunnel_password(const uint8_t *v, size_t n, const uint8_t *ra, const uint8_t *s,
				 size_t sn)
{
	if (n < 1 + 2 + 16 || (n - 3) % 16)
		return 0;
	const uint8_t *salt = v + 1, *c = v + 3;
	size_t cn = n - 3;
	if (cn > 240)
		return 0;
	uint8_t pt[240], b[16], seed[18];
	memcpy(seed, ra, 16);
	memcpy(seed + 16, salt, 2);
	const uint8_t *prev = seed;
	size_t prevn = 18;
	for (size_t i = 0; i < cn; i += 16) {
		if (md5(s, sn, prev, prevn, b))
			return 0;
		for (size_t j = 0; j < 16; j++)
			pt[i + j] = c[i + j] ^ b[j];
		prev = c + i;
		prevn = 16;
	}
	size_t len = pt[0];
	int ok = (salt[0] & 0x80) && len > 0 && len <= cn - 1 && cn - 1 - len < 16;
	for (size_t i = 1 + len; i < cn && ok; i++)
		if (pt[i])
			ok = 0;
	volatile uint8_t *w = pt;
	for (size_t i = 0; i < sizeof pt; i++)
		w[i] = 0;
	return ok;
}

/* ---- the tracker ---- */

struct req {
	/* first cache line: what the index, the lists and an eviction read */
	int32_t prev, next;         /* list links (pending or answered) */
	const char *cli, *srv;
	uint16_t cport, sport;
	uint8_t id, code;
	uint8_t answered, timed_out, dup_reported;
	int used;
	int32_t hnext;              /* free list */
	uint32_t retrans;
	uint8_t auth[16];
	uint64_t frame;
	int64_t first_ns, last_ns, answer_ns;
	const char *user, *state, *calling;
	uint32_t rounds;            /* challenge rounds before this request */
	/* a proxy's outgoing request: the login's key on the headend leg */
	const char *pcli;
	uint16_t pcport;
	uint8_t pid, has_parent;
	uint8_t pauth[16];
};

struct list {
	int32_t head, tail;
};

struct hslot {
	int32_t i;                  /* request, -1 = empty */
	uint32_t h;                 /* its key's req_hash() */
};

/* The event a packet is building (held_event() hands it out; the next
 * one, or the end of the packet, moves it into the hold queue). */
struct held {
	struct ev e;
	const char *cli;            /* the leg's client */
	uint8_t dir;                /* 1 client->server, 2 server->client */
	char raw[200];
	size_t raw_len;
};

/* An event in the hold queue, compact: a busy capture holds tens of
 * thousands for RADIUS_HOLD_US, and at a whole struct ev and a 200-byte
 * line apiece the queue alone was larger than the caches. It keeps the
 * fields the tracker sets on an event (held_commit, held_release: a new
 * one set on a held event needs a place here), the line follows it. */
struct hrec {
	int64_t ts;
	uint64_t pos;
	const char *user, *nas_ip, *server_ip, *state, *calling, *client_ip;
	const char *result, *text, *detail, *cli;
	int64_t num;
	int32_t nas_port, server_port, radius_id, out_id, code;
	uint32_t flags;
	uint8_t req_auth[16];
	uint16_t kind;
	uint8_t dir, raw_len;       /* the line: raw_len bytes and a NUL */
};

struct endpoint {
	const char *addr;
	uint16_t port;
};



struct state_round {
	const char *state;
	uint32_t rounds;
};

#define DETAIL_SLOTS (1u << 17)
#define DETAIL_MAX (DETAIL_SLOTS / 2)
#define CALLING_CACHE 4096

struct calling_slot {
	const char *s;
	const char *ip;             /* the address it names, or NULL */
};

struct detail_slot {
	const char *s, *srv;
	uint32_t nip;
	uint16_t sport;
	uint8_t id, code, what, has_nip;
};

struct radius_track {
	struct ev_sink *sink;
	uint32_t input;
	uint8_t src_kind;
	struct req *r;
	uint32_t cap;
	struct hslot *hash;         /* open-addressed, at most half full */
	uint32_t nhash;
	int32_t free_head;
	struct list pending, answered, expired;
	uint64_t evictions;
	int64_t now_ns;
	/* held events: hrec records with their lines, in a byte ring; a
	 * record never wraps (hend: where the upper part ends when the newest
	 * ones start over at 0) */
	uint8_t *h;
	size_t hhead, htail, hend, hcap;
	uint32_t hcount;
	int hwrapped, staged;
	struct held stage;
	/* roles */
	struct endpoint proxy[64];
	uint32_t nproxy;
	const char *servers[64];
	uint32_t nservers;
	struct state_round *sr;
	uint32_t nsr, nsr_used;
	struct detail_slot *details;    /* DETAIL_SLOTS, allocated on first use */
	const char *rword[256];         /* interned result_word() by code, on first use */
	uint32_t ndetails;
	struct calling_slot callings[CALLING_CACHE];
};

#define ANSWERED_KEEP_NS (10LL * 1000000000)   /* match duplicates for this long */
#define TIMED_OUT_KEEP_NS (30LL * 1000000000)  /* then late answers */

static uint32_t req_hash(const char *cli, uint16_t cport, uint8_t id)
{
	uint64_t h = (uint64_t)(uintptr_t)cli * 0x9e3779b97f4a7c15ull;
	h ^= ((uint64_t)cport << 8 | id) * 0xff51afd7ed558ccdull;
	h ^= h >> 29;
	return (uint32_t)(h ^ h >> 32);
}

struct radius_track *radius_track_new(struct ev_sink *sink, uint32_t input, unsigned src_kind)
{
	struct radius_track *t = xcalloc(1, sizeof *t);
	t->sink = sink;
	t->input = input;
	t->src_kind = (uint8_t)src_kind;
	t->pending.head = t->pending.tail = -1;
	t->answered.head = t->answered.tail = -1;
	t->expired.head = t->expired.tail = -1;
	t->free_head = -1;
	t->nhash = 1024;
	t->hash = xmalloc(t->nhash * sizeof *t->hash);
	for (uint32_t i = 0; i < t->nhash; i++)
		t->hash[i].i = -1;
	t->now_ns = INT64_MIN;
	return t;
}

void radius_track_free(struct radius_track *t)
{
	if (!t)
		return;
	free(t->r);
	free(t->hash);
	free(t->h);
	free(t->sr);
	free(t->details);
	free(t);
}

/* ---- roles: who is the proxy ----
 *
 * A server endpoint (address, port) is a proxy's when, soon after it got a
 * request, a request for the same user leaves its address for another
 * server endpoint: the proxy forwarding to the primary. Endpoints, not
 * addresses, because a lab (or a host running both) puts the proxy and the
 * primary on one address. A request to a proxy endpoint is on the
 * HEADEND->PROXY leg; one from a proxy's address to any other endpoint is
 * PROXY->PRIMARY; with nothing known, the server is taken for the proxy
 * (the headend's RADIUS server is the Duo proxy). */

#define RECENT 64
#define MAX_PROXIES 64
#define MAX_SERVERS 64

static int is_proxy_ep(const struct radius_track *t, const char *a, uint16_t port)
{
	for (uint32_t i = 0; i < t->nproxy; i++)
		if (t->proxy[i].addr == a && t->proxy[i].port == port)
			return 1;
	return 0;
}

/* Addresses that received requests (a small set: the RADIUS servers). */
static int is_server_addr(const struct radius_track *t, const char *a)
{
	if (t->nservers > MAX_SERVERS)
		return 1;           /* too many to keep: ask the slow way */
	for (uint32_t i = 0; i < t->nservers; i++)
		if (t->servers[i] == a)
			return 1;
	return 0;
}

static void note_server(struct radius_track *t, const char *a)
{
	if (t->nservers > MAX_SERVERS || (t->nservers && t->servers[t->nservers - 1] == a))
		return;
	for (uint32_t i = 0; i < t->nservers; i++)
		if (t->servers[i] == a)
			return;
	if (t->nservers < MAX_SERVERS)
		t->servers[t->nservers] = a;
	t->nservers++;
}

static int is_proxy_addr(const struct radius_track *t, const char *a)
{
	for (uint32_t i = 0; i < t->nproxy; i++)
		if (t->proxy[i].addr == a)
			return 1;
	return 0;
}

/* A new request cli -> srv:sport for user: is it a proxy forwarding one it
 * got and has not answered yet? Returns that request (the parent), and
 * remembers the proxy's endpoint. */
static int32_t learn_roles(struct radius_track *t, int32_t self, const char *cli, const char *srv,
			   uint16_t sport, const char *user, int64_t ts)
{
	if (is_proxy_ep(t, srv, sport))
		return -1;          /* a request to the proxy is forwarded by nobody */
	if (!is_server_addr(t, cli))
		return -1;          /* only a server's address can forward */
	for (int l = 0; l < 2; l++) {
	int k = 0;
	/* open requests, then answered ones the client sent again */
	for (int32_t i = l ? t->answered.tail : t->pending.tail; i >= 0 && k < RECENT;
	     i = t->r[i].prev, k++) {
		const struct req *r = &t->r[i];
		if (i == self)
			continue;
		if (ts - r->last_ns > RADIUS_HOLD_US * 1000) {
			if (l)
				continue;   /* answered: ordered by answer, not by last send */
			break;
		}
		if (r->srv != cli || (r->srv == srv && r->sport == sport))
			continue;
		if (user && r->user && user != r->user)
			continue;
		if (!is_proxy_ep(t, r->srv, r->sport) && t->nproxy < MAX_PROXIES) {
			t->proxy[t->nproxy].addr = r->srv;
			t->proxy[t->nproxy].port = r->sport;
			t->nproxy++;
		}
		return i;
	}
	}
	return -1;
}

static void leg_roles(struct radius_track *t, const char *cli, const char *srv, uint16_t sport,
		      uint8_t *rc, uint8_t *rs)
{
	if (!is_proxy_ep(t, srv, sport) && cli && is_proxy_addr(t, cli)) {
		*rc = ROLE_PROXY;
		*rs = ROLE_PRIMARY;
	} else {
		*rc = ROLE_HEADEND;
		*rs = ROLE_PROXY;
	}
}

/* ---- challenge rounds, keyed by State ---- */

static uint32_t *state_rounds(struct radius_track *t, const char *state, int add)
{
	if (!state)
		return NULL;
	if (!t->sr) {
		if (!add)
			return NULL;
		t->nsr = 1024;
		t->sr = xcalloc(t->nsr, sizeof *t->sr);
	}
	uint32_t m = t->nsr - 1, i = (uint32_t)(((uintptr_t)state >> 4) * 2654435761u) & m;
	for (uint32_t k = 0; k < t->nsr; k++, i = (i + 1) & m) {
		if (t->sr[i].state == state)
			return &t->sr[i].rounds;
		if (!t->sr[i].state)
			break;
	}
	if (!add)
		return NULL;
	if (++t->nsr_used > t->nsr / 2) {  /* cap: start over (rounds are a heuristic) */
		memset(t->sr, 0, t->nsr * sizeof *t->sr);
		t->nsr_used = 1;
		i = (uint32_t)(((uintptr_t)state >> 4) * 2654435761u) & m;
	}
	while (t->sr[i].state)
		i = (i + 1) & m;
	t->sr[i].state = state;
	t->sr[i].rounds = 0;
	return &t->sr[i].rounds;
}

/* ---- request table ---- */

static void list_del(struct radius_track *t, struct list *l, int32_t i)
{
	struct req *e = &t->r[i];
	if (e->prev >= 0)
		t->r[e->prev].next = e->next;
	else
		l->head = e->next;
	if (e->next >= 0)
		t->r[e->next].prev = e->prev;
	else
		l->tail = e->prev;
	e->prev = e->next = -1;
}

static void list_add(struct radius_track *t, struct list *l, int32_t i)
{
	struct req *e = &t->r[i];
	e->next = -1;
	e->prev = l->tail;
	if (l->tail >= 0)
		t->r[l->tail].next = i;
	else
		l->head = i;
	l->tail = i;
}

/* pending: open requests, by last transmission; answered: by answer
 * time; expired: timed out, by deadline, kept for late answers */
static struct list *lst(struct radius_track *t, const struct req *e)
{
	return e->timed_out ? &t->expired : e->answered ? &t->answered : &t->pending;
}

/* The request index: (client, port, id) -> request, linear probing.
 * A slot keeps the key's hash, so a probe looks at a request only when
 * the hash matches (the requests are many and cold; the index is small). */
static void hash_put(struct radius_track *t, int32_t i)
{
	const struct req *e = &t->r[i];
	uint32_t h = req_hash(e->cli, e->cport, e->id), m = t->nhash - 1, j = h & m;
	while (t->hash[j].i >= 0)
		j = (j + 1) & m;
	t->hash[j].i = i;
	t->hash[j].h = h;
}

static void hash_del(struct radius_track *t, int32_t i)
{
	const struct req *e = &t->r[i];
	uint32_t m = t->nhash - 1, j = req_hash(e->cli, e->cport, e->id) & m;
	while (t->hash[j].i != i) {
		if (t->hash[j].i < 0)
			return;
		j = (j + 1) & m;
	}
	/* close the gap: a later slot of the run moves into it unless its
	 * home lies cyclically in (j, k] */
	for (uint32_t k = (j + 1) & m; t->hash[k].i >= 0; k = (k + 1) & m) {
		uint32_t home = t->hash[k].h & m;
		if (j <= k ? (j < home && home <= k) : (j < home || home <= k))
			continue;
		t->hash[j] = t->hash[k];
		j = k;
	}
	t->hash[j].i = -1;
}

static void req_free(struct radius_track *t, int32_t i)
{
	list_del(t, lst(t, &t->r[i]), i);
	hash_del(t, i);
	t->r[i].used = 0;
	t->r[i].hnext = t->free_head;
	t->free_head = i;
}

static int32_t req_find(struct radius_track *t, const char *cli, uint16_t cport, uint8_t id)
{
	uint32_t h = req_hash(cli, cport, id), m = t->nhash - 1;
	for (uint32_t j = h & m; t->hash[j].i >= 0; j = (j + 1) & m) {
		int32_t i = t->hash[j].i;
		if (t->hash[j].h == h && t->r[i].cli == cli && t->r[i].cport == cport && t->r[i].id == id)
			return i;
	}
	return -1;
}

static void rehash(struct radius_track *t, uint32_t n)
{
	free(t->hash);
	t->nhash = n;
	t->hash = xmalloc(n * sizeof *t->hash);
	for (uint32_t i = 0; i < n; i++)
		t->hash[i].i = -1;
	for (uint32_t i = 0; i < t->cap; i++)
		if (t->r[i].used)
			hash_put(t, (int32_t)i);
}

/* The table is full at a busy rate and every new request evicts the
 * oldest finished one: the next victim's record, its index slot and its
 * list neighbour are cold by then. The one just evicted unlinked it, so
 * its first line is here: fetch the rest now, well before the next
 * request needs them. */
/* (always inlined: GCC takes a function that only prefetches for pure and
 * drops the call) */
static inline __attribute__((always_inline)) void evict_prefetch(const struct radius_track *t)
{
	int32_t v = t->answered.head >= 0 ? t->answered.head
		  : t->expired.head >= 0 ? t->expired.head : t->pending.head;
	if (v < 0)
		return;
	const struct req *e = &t->r[v];
	__builtin_prefetch(&t->hash[req_hash(e->cli, e->cport, e->id) & (t->nhash - 1)]);
	if (e->next >= 0)
		__builtin_prefetch(&t->r[e->next]);
	const char *b = (const char *)e;
	__builtin_prefetch(b + 64);
	__builtin_prefetch(b + 128);
	__builtin_prefetch(b + sizeof *e - 1);
}

static int32_t req_alloc(struct radius_track *t)
{
	if (t->free_head < 0) {
		if (t->cap < RADIUS_MAX_PENDING) {
			uint32_t old = t->cap, n = t->cap ? t->cap * 2 : 256;
			if (n > RADIUS_MAX_PENDING)
				n = RADIUS_MAX_PENDING;
			t->r = xrealloc(t->r, n * sizeof *t->r);
			memset(t->r + old, 0, (n - old) * sizeof *t->r);
			for (uint32_t i = n; i-- > old;) {
				t->r[i].hnext = t->free_head;
				t->free_head = (int32_t)i;
			}
			t->cap = n;
			if (t->nhash < 2 * n)
				rehash(t, 2 * n);
		} else {
			/* full: the oldest finished entry goes, else the oldest open one */
			int32_t v = t->answered.head >= 0 ? t->answered.head
				  : t->expired.head >= 0 ? t->expired.head : t->pending.head;
			t->evictions++;
			struct input *in = input_get(t->input);
			if (in)
				in->evictions++;
			req_free(t, v);
			evict_prefetch(t);
		}
	}
	int32_t i = t->free_head;
	t->free_head = t->r[i].hnext;
	struct req *e = &t->r[i];
	memset(e, 0, sizeof *e);
	e->used = 1;
	e->prev = e->next = -1;
	return i;
}

/* ---- events ---- */

/* The keys of a request's events. On a proxy's outgoing leg (a parent is
 * known) they name the login as the proxy log's proxy.primary_* events do:
 * the headend leg's nas_ip/nas_port/radius_id/req_auth, the primary as
 * server_ip/server_port and the outgoing id as out_id, so both legs join
 * one session. */
static void ev_keys(struct ev *e, const struct req *r)
{
	e->nas_ip = r->has_parent ? r->pcli : r->cli;
	e->nas_port = r->has_parent ? r->pcport : r->cport;
	e->server_ip = r->srv;
	e->server_port = r->sport;
	e->radius_id = r->has_parent ? r->pid : r->id;
	if (r->has_parent)
		e->out_id = r->id;
	memcpy(e->req_auth, r->has_parent ? r->pauth : r->auth, 16);
	e->flags |= EVF_REQ_AUTH;
	e->user = r->user;
	e->state = r->state;
	e->calling_station = r->calling;
}

static void emit_now(struct radius_track *t, struct ev *e, const char *cli, uint8_t dir)
{
	if (!t->sink)
		return;
	uint8_t rc, rs;
	leg_roles(t, cli, e->server_ip, (uint16_t)(e->server_port > 0 ? e->server_port : 0), &rc, &rs);
	e->from = dir == 1 ? rc : rs;
	e->to = dir == 1 ? rs : rc;
	ev_emit(t->sink, e);
}

#define HOLD_AHEAD 2048

static size_t hrec_size(const struct hrec *r)
{
	return (sizeof *r + r->raw_len + 1 + 7) & ~(size_t)7;
}

static struct hrec *held_oldest(const struct radius_track *t)
{
	return t->hcount ? (struct hrec *)(void *)(t->h + t->hhead) : NULL;
}

static void held_release(struct radius_track *t)
{
	const struct hrec *r = held_oldest(t);
	struct ev e;
	ev_init(&e, r->kind, t->src_kind, t->input, r->pos);
	e.ts = r->ts;
	e.user = r->user;
	e.nas_ip = r->nas_ip;
	e.nas_port = r->nas_port;
	e.server_ip = r->server_ip;
	e.server_port = r->server_port;
	e.radius_id = r->radius_id;
	e.out_id = r->out_id;
	memcpy(e.req_auth, r->req_auth, 16);
	e.flags = r->flags;
	e.state = r->state;
	e.calling_station = r->calling;
	e.client_ip = r->client_ip;
	e.code = r->code;
	e.num = r->num;
	e.result = r->result;
	e.text = r->text;
	e.detail = r->detail;
	e.raw = (const char *)(r + 1);
	e.raw_len = r->raw_len;
	size_t sz = hrec_size(r);
	/* the ring is read in order but its records are written 2 s before
	 * and cold: fetch those a few ahead, as many lines as this one took */
	if (t->hhead + HOLD_AHEAD + sz <= t->hcap)
		for (size_t k = 0; k < sz; k += 64)
			__builtin_prefetch(t->h + t->hhead + HOLD_AHEAD + k);
	emit_now(t, &e, r->cli, r->dir);
	t->hhead += sz;
	if (--t->hcount == 0)
		t->hhead = t->htail = t->hend = 0, t->hwrapped = 0;
	else if (t->hwrapped && t->hhead == t->hend)
		t->hhead = 0, t->hwrapped = 0;
}

/* Room for sz bytes at the ring's tail: where, growing the ring (the
 * records moved in order to the start of a buffer twice as large) when
 * neither the end nor the start has it. */
static uint8_t *held_room(struct radius_track *t, size_t sz)
{
	if (!t->hwrapped && t->hcap - t->htail >= sz)
		return t->h + t->htail;
	if (!t->hwrapped && t->hhead >= sz) {
		t->hend = t->htail;         /* the newest start over at 0 */
		t->htail = 0;
		t->hwrapped = 1;
		return t->h;
	}
	if (t->hwrapped && t->hhead - t->htail >= sz)
		return t->h + t->htail;
	size_t ncap = t->hcap ? t->hcap * 2 : 64 * 1024;
	while (ncap < sz)
		ncap *= 2;
	uint8_t *n = xmalloc(ncap), *o = n;
	size_t at = t->hhead;
	for (uint32_t i = 0; i < t->hcount; i++) {
		if (t->hwrapped && at == t->hend)
			at = 0;
		size_t k = hrec_size((const struct hrec *)(void *)(t->h + at));
		memcpy(o, t->h + at, k);
		o += k;
		at += k;
	}
	free(t->h);
	t->h = n;
	t->hcap = ncap;
	t->hhead = t->hend = 0;
	t->htail = (size_t)(o - n);
	t->hwrapped = 0;
	return t->h + t->htail;
}

/* The staged event into the hold queue. */
static void held_commit(struct radius_track *t)
{
	if (!t->staged)
		return;
	t->staged = 0;
	if (t->hcount == HOLD_MAX)
		held_release(t);            /* full: the oldest goes out early */
	const struct held *h = &t->stage;
	const struct ev *e = &h->e;
	size_t n = h->raw_len < 255 ? h->raw_len : 254;
	size_t sz = (sizeof(struct hrec) + n + 1 + 7) & ~(size_t)7;
	struct hrec *r = (struct hrec *)(void *)held_room(t, sz);
	r->ts = e->ts;
	r->pos = e->pos;
	r->user = e->user;
	r->nas_ip = e->nas_ip;
	r->server_ip = e->server_ip;
	r->state = e->state;
	r->calling = e->calling_station;
	r->client_ip = e->client_ip;
	r->result = e->result;
	r->text = e->text;
	r->detail = e->detail;
	r->cli = h->cli;
	r->num = e->num;
	r->nas_port = e->nas_port;
	r->server_port = e->server_port;
	r->radius_id = e->radius_id;
	r->out_id = e->out_id;
	r->code = e->code;
	r->flags = e->flags;
	memcpy(r->req_auth, e->req_auth, 16);
	r->kind = e->kind;
	r->dir = h->dir;
	r->raw_len = (uint8_t)n;
	memcpy(r + 1, h->raw, n);
	((char *)(r + 1))[n] = 0;
	t->htail += sz;
	t->hcount++;
}

static const char *fmt_leg(char *b, size_t n, const char *a, uint16_t port)
{
	snprintf(b, n, strchr(a ? a : "", ':') ? "[%s]:%u" : "%s:%u", a ? a : "?", port);
	return b;
}

static void emit_timeout(struct radius_track *t, int32_t i, int64_t ts_ns, int at_end)
{
	struct req *r = &t->r[i];
	r->timed_out = 1;
	if (!t->sink)
		return;
	struct ev e;
	ev_init(&e, EVK_RADIUS_TIMEOUT, t->src_kind, t->input, r->frame);
	e.ts = ts_ns / 1000;
	ev_keys(&e, r);
	e.code = r->code;
	e.num = (ts_ns - r->first_ns) / 1000;
	e.result = intern_cstr(at_end ? "capture-end" : "timeout");
	char leg[80], raw[200];
	const char *cn = rad_code_name(r->code);
	int n = snprintf(raw, sizeof raw, "%s id %u to %s: no response after %u transmission%s%s",
			 cn ? cn : "request", r->id, fmt_leg(leg, sizeof leg, r->srv, r->sport),
			 r->retrans + 1, r->retrans ? "s" : "",
			 at_end ? " (the capture ended)" : "");
	e.detail = intern_cstr(raw);
	e.raw = raw;
	e.raw_len = n > 0 ? (size_t)n : 0;
	emit_now(t, &e, r->cli, 1);
}

/* Release what is due: held events older than cutoff, and timeouts whose
 * deadline is at most to_limit, in time order. */
static void drain(struct radius_track *t, int64_t cutoff_ns, int64_t to_limit_ns)
{
	for (;;) {
		const struct hrec *old = held_oldest(t);
		int64_t tev = old ? old->ts * 1000 : INT64_MAX;
		int32_t pd = t->pending.head;
		int64_t tto = pd >= 0 ? t->r[pd].last_ns + RADIUS_TIMEOUT_US * 1000 : INT64_MAX;
		if (tto <= tev && tto <= cutoff_ns && tto <= to_limit_ns) {
			list_del(t, &t->pending, pd);
			emit_timeout(t, pd, tto, 0);
			list_add(t, &t->expired, pd);
			t->r[pd].answer_ns = tto;
			continue;
		}
		if (tev != INT64_MAX && tev <= cutoff_ns) {
			held_release(t);
			continue;
		}
		break;
	}
}

void radius_track_advance(struct radius_track *t, int64_t now_ns)
{
	t->now_ns = now_ns;
	held_commit(t);
	drain(t, now_ns - RADIUS_HOLD_US * 1000, now_ns);
	while (t->answered.head >= 0 &&
	       t->r[t->answered.head].answer_ns + ANSWERED_KEEP_NS < now_ns)
		req_free(t, t->answered.head);
	while (t->expired.head >= 0 &&
	       t->r[t->expired.head].answer_ns + TIMED_OUT_KEEP_NS < now_ns)
		req_free(t, t->expired.head);
}

void radius_track_finish(struct radius_track *t)
{
	held_commit(t);
	drain(t, INT64_MAX, t->now_ns);
	while (t->pending.head >= 0) {
		int32_t i = t->pending.head;
		list_del(t, &t->pending, i);
		emit_timeout(t, i, t->now_ns, 1);
		list_add(t, &t->expired, i);
	}
	while (t->expired.head >= 0)
		req_free(t, t->expired.head);
	while (t->answered.head >= 0)
		req_free(t, t->answered.head);
}

/* ---- the packet: fields, checks, tracking, events ---- */

static const char *hex_intern(const uint8_t *v, size_t n)
{
	if (!v || !n)
		return NULL;
	char buf[2 * 253 + 1];
	if (n > 253)
		n = 253;
	hex_encode(buf, sizeof buf, v, n);
	return intern(buf, 2 * n);
}

static const char *str_intern(const uint8_t *v, size_t n)
{
	if (!v || !n)
		return NULL;
	if (n > 253)
		n = 253;
	return intern((const char *)v, n);
}

/* A Calling-Station-Id that is an IP address is the VPN client's outside
 * address (IOS sends the IKE peer's address there). */
static const char *calling_ip(struct radius_track *t, const char *calling)
{
	uint8_t a[16];
	if (!calling)
		return NULL;
	/* interned: the answer is cached per pointer */
	struct calling_slot *c = &t->callings[((uintptr_t)calling >> 4) & (CALLING_CACHE - 1)];
	if (c->s == calling)
		return c->ip;
	c->s = calling;
	c->ip = NULL;
	if (ip4_parse(calling, NULL) || (strchr(calling, ':') && inet_pton(AF_INET6, calling, a) == 1)) {
		c->ip = calling;
		return c->ip;
	}
	/* strongSwan's eap-radius writes "address[port]" */
	const char *br = strchr(calling, '[');
	size_t n = br ? (size_t)(br - calling) : 0;
	char ip[INET6_ADDRSTRLEN];
	if (!br || n == 0 || n >= sizeof ip || br[strlen(br) - 1] != ']')
		return NULL;
	memcpy(ip, calling, n);
	ip[n] = 0;
	if (ip4_parse(ip, NULL) || (strchr(ip, ':') && inet_pton(AF_INET6, ip, a) == 1))
		c->ip = intern(ip, n);
	return c->ip;
}

/* A small appender into a fixed buffer (no allocation per packet); input
 * bytes are escaped, and only when one needs it. */
struct line {
	char *b;
	size_t n, cap;
};

static inline void l_add(struct line *l, const char *s, size_t n)
{
	if (n > l->cap - 1 - l->n)
		n = l->cap - 1 - l->n;
	memcpy(l->b + l->n, s, n);     /* inlined for literals (l_lit) */
	l->n += n;
}

static void l_str(struct line *l, const char *s)
{
	l_add(l, s, strlen(s));
}

/* a string literal: its length is known */
#define l_lit(l, s) l_add(l, s, sizeof s - 1)

static void l_uint(struct line *l, unsigned v)
{
	size_t n = v < 10 ? 1 : v < 100 ? 2 : v < 1000 ? 3 : v < 10000 ? 4 : v < 100000 ? 5 : 10;
	if (n < 10 && l->n + n < l->cap) {
		/* the usual ids, lengths and ports: written in place */
		char *o = l->b + l->n;
		for (size_t k = n; k-- > 1; v /= 10)
			o[k] = (char)('0' + v % 10);
		o[0] = (char)('0' + v);
		l->n += n;
		return;
	}
	char t[12];
	size_t k = sizeof t;
	do
		t[--k] = (char)('0' + v % 10);
	while ((v /= 10) && k);
	l_add(l, t + k, sizeof t - k);
}

static void l_esc(struct line *l, const uint8_t *s, size_t n)
{
	if (ascii_plain(s, n)) {
		l_add(l, (const char *)s, n);
		return;
	}
	struct sbuf b;
	sbuf_init(&b, 4096);
	esc_add(&b, s, n);
	l_add(l, b.p ? b.p : "", b.len);
	sbuf_free(&b);
}

static void summary_line(struct rpkt *x, char *raw, size_t rawsz, size_t *rawn)
{
	struct pkt *p = x->p;
	const char *cn = rad_code_name(x->code);
	struct line l = {raw, 0, rawsz};
	l_lit(&l, "RADIUS ");
	l_str(&l, cn ? cn : "?");
	l_lit(&l, " id=");
	l_uint(&l, x->id);
	l_lit(&l, " len=");
	l_uint(&l, x->rlen);
	size_t head = l.n;
	if (x->user) {
		l_lit(&l, " user=");
		l_esc(&l, x->user, x->user_n);
	}
	if (x->calling) {
		l_lit(&l, " calling=");
		l_esc(&l, x->calling, x->calling_n);
	}
	if (x->reply_n) {
		l_lit(&l, " reply=\"");
		l_esc(&l, (const uint8_t *)x->reply, x->reply_n);
		l_lit(&l, "\"");
	}
	if (x->upw)
		l_lit(&l, " PAP");
	if (x->chap)
		l_lit(&l, " CHAP");
	if (x->mschap)
		l_lit(&l, " MS-CHAP");
	if (x->have_eap && x->eapi.code >= 0) {
		static const char *ec[] = {"?", "Request", "Response", "Success", "Failure"};
		l_str(&l, " EAP-");
		l_str(&l, x->eapi.code <= 4 ? ec[x->eapi.code] : "?");
		l_str(&l, " id=");
		l_uint(&l, (unsigned)x->eapi.id);
		if (x->eapi.type >= 0) {
			l_str(&l, " ");
			l_str(&l, eap_type_name(x->eapi.type));
		}
		if (x->eapi.identity) {
			l_str(&l, " identity=");
			l_esc(&l, (const uint8_t *)x->eapi.identity, strlen(x->eapi.identity));
		}
	}
	for (int i = 0; i < x->nanom; i++) {
		l_str(&l, " [");
		l_str(&l, x->anom[i]);
		l_str(&l, "]");
	}
	raw[l.n] = 0;
	*rawn = l.n;
	if (p->summary) {
		/* decode: the header on line 1, what the packet says on line 2 */
		int r = sbuf_add(p->summary, raw, head);
		if (l.n > head) {
			r |= sbuf_adds(p->summary, "\n   ");
			r |= sbuf_add(p->summary, raw + head, l.n - head);
		}
		(void)r;    /* capped: what fits is kept */
	}
}

static struct held *held_event(struct radius_track *t, unsigned kind, struct pkt *p,
			       const char *cli, uint8_t dir, const char *raw, size_t rawn)
{
	if (!t->sink)
		return NULL;
	held_commit(t);
	struct held *h = &t->stage;
	t->staged = 1;
	ev_init(&h->e, kind, t->src_kind, t->input, p->frame);
	h->e.ts = p->ts_ns / 1000;
	h->cli = cli;
	h->dir = dir;
	if (rawn >= sizeof h->raw)
		rawn = sizeof h->raw - 1;
	memcpy(h->raw, raw, rawn);
	h->raw[rawn] = 0;
	h->raw_len = rawn;
	return h;
}

static void ev_keys(struct ev *e, const struct req *r);

static void emit_anomalies(struct rpkt *x, const char *cli, uint8_t dir, const char *raw,
			   size_t rawn, const struct req *rq)
{
	struct pkt *p = x->p;
	struct radius_track *t = p->radius;
	for (int i = 0; i < x->nanom; i++) {
		struct held *h = held_event(t, EVK_RADIUS_ANOMALY, p, cli, dir, raw, rawn);
		if (!h)
			return;
		h->e.text = intern_cstr(x->anom[i]);
		h->e.result = intern_cstr(x->anom_trunc[i] ? "truncated" : "invalid");
		h->e.code = x->rlen >= 20 ? x->code : -1;
		h->e.radius_id = x->id;
		h->e.nas_ip = dir == 2 ? p->dst : p->src;
		h->e.nas_port = dir == 2 ? p->dport : p->sport;
		h->e.server_ip = dir == 2 ? p->src : p->dst;
		h->e.server_port = dir == 2 ? p->sport : p->dport;
		if (rq) {
			ev_keys(&h->e, rq);     /* the login's keys, so it joins its session */
			h->e.code = x->code;
		}
	}
}

struct checks {
	const char *failed[4];
	int nfailed;
};

static void failed(struct checks *c, const char *what)
{
	if (c->nfailed < 4)
		c->failed[c->nfailed++] = what;
}

static void verify(struct rpkt *x, const struct req *rq, struct checks *c)
{
	struct pkt *p = x->p;
	int req = is_request(x->code);
	const char *server = req ? p->dst : p->src;
	size_t sn = 0;
	const uint8_t *s = secrets_for(p->secrets, server, &sn);
	if (!s)
		return;
	/* a Message-Authenticator or authenticator that verifies proves the
	 * leg's secret right: a password that still does not decrypt came
	 * garbled from upstream (a proxy re-encrypts what it got) */
	int proven = 0;
	if (req) {
		if (x->code == 1 || x->code == 12) {
			int v = x->ma_off ? check_ma(x, NULL, s, sn) : -1;
			if (v == 0)
				failed(c, "Message-Authenticator");
			proven = v == 1;
		} else if (x->code == 4 || x->code == 40 || x->code == 43) {
			int v = check_req_auth(x, s, sn);
			if (v == 0)
				failed(c, "Request Authenticator");
			proven = v == 1;
		}
		if (x->code == 1 && x->upw) {
			int ok = check_user_password(x->upw, x->upw_n, x->auth, s, sn);
			if (p->fields)
				fld_add_str(p->fields, "radius.User_Password", ok ? "<ok>" : "<undecodable>",
					    ok ? 4 : 13);
			tree_add(p->tree, "[User-Password: %s with the secret for %s]",
				 ok ? "decrypts to a well formed password" : "does not decrypt", server);
			if (!ok && !proven)
				failed(c, "User-Password");
		}
		return;
	}
	if (!rq)
		return;
	int v = check_resp_auth(x, rq->auth, s, sn);
	if (v >= 0) {
		FLD_U(p->fields, "radius.authenticator.valid", (unsigned)v);
		tree_add(p->tree, "[Authenticator: %s]", v ? "valid" : "INVALID");
		if (!v)
			failed(c, "Response Authenticator");
		proven = v == 1;
	}
	if (x->ma_off && check_ma(x, rq->auth, s, sn) == 0)
		failed(c, "Message-Authenticator");
	for (int i = 0; i < x->ntpw; i++) {
		int ok = check_tunnel_password(x->tpw[i], x->tpw_n[i], rq->auth, s, sn);
		if (p->fields)
			fld_add_str(p->fields, "radius.Tunnel_Password", ok ? "<ok>" : "<undecodable>",
				    ok ? 4 : 13);
		if (!ok && !proven)
			failed(c, "Tunnel-Password");
	}
}

static void emit_bad_auth(struct rpkt *x, const struct checks *c, const struct req *rq,
			  const char *cli, uint8_t dir)
{
	struct pkt *p = x->p;
	struct radius_track *t = p->radius;
	const char *srv = dir == 1 ? p->dst : p->src;
	uint16_t cport = dir == 1 ? p->sport : p->dport, sport = dir == 1 ? p->dport : p->sport;
	char l1[80], l2[80], raw[200];
	char what[96] = "";
	for (int i = 0; i < c->nfailed; i++) {
		size_t k = strlen(what);
		snprintf(what + k, sizeof what - k, "%s%s", i ? (i + 1 == c->nfailed ? " and " : ", ") : "",
			 c->failed[i]);
	}
	int n = snprintf(raw, sizeof raw, "%s %s not verify with the secret for %s (leg %s -> %s)",
			 what, c->nfailed > 1 || !strcmp(c->failed[0], "User-Password") ? "do" : "does",
			 srv, fmt_leg(l1, sizeof l1, cli, cport), fmt_leg(l2, sizeof l2, srv, sport));
	struct held *h = held_event(t, EVK_RADIUS_BAD_AUTH, p, cli, dir, raw, n > 0 ? (size_t)n : 0);
	if (!h)
		return;
	if (rq)
		ev_keys(&h->e, rq);
	h->e.nas_ip = cli;
	h->e.nas_port = cport;
	h->e.server_ip = srv;
	h->e.server_port = sport;
	h->e.radius_id = x->id;
	h->e.code = x->code;
	h->e.text = intern(raw, n > 0 ? (size_t)n : 0);
	h->e.result = intern_cstr(c->failed[0]);
	if (!h->e.user && x->user)
		h->e.user = str_intern(x->user, x->user_n);
}

/* "Access-Request to 10.0.0.2:1812 id 5 (NAS-IP-Address 10.0.0.1)" and
 * "Access-Accept from ... id 5": bounded by servers x NAS x 256 ids, so
 * each is built once and found again in an open-addressed table (past
 * DETAIL_MAX entries it starts over; the strings stay interned). */
static void l_leg(struct line *l, const char *a, uint16_t port)
{
	int v6 = a && strchr(a, ':');
	if (v6)
		l_add(l, "[", 1);
	l_str(l, a ? a : "?");
	l_add(l, v6 ? "]:" : ":", v6 ? 2 : 1);
	l_uint(l, port);
}

static uint64_t detail_hash(int what, unsigned code, const char *srv, uint16_t sport, unsigned id,
			    uint32_t nip)
{
	uint64_t h = (uint64_t)(uintptr_t)srv ^ ((uint64_t)sport << 48 | (uint64_t)id << 40 |
						 (uint64_t)code << 32 | (uint64_t)what << 24) ^
		     ((uint64_t)nip << 13);
	h *= 0x9e3779b97f4a7c15ull;
	h ^= h >> 29;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 32;
	return h;
}

static uint32_t nas_ip_u32(const uint8_t *nas_ip)
{
	return nas_ip ? (uint32_t)nas_ip[0] << 24 | (uint32_t)nas_ip[1] << 16 |
			(uint32_t)nas_ip[2] << 8 | nas_ip[3] : 0;
}

static const char *detail_cached(struct radius_track *t, int what, unsigned code, const char *srv,
				 uint16_t sport, unsigned id, const uint8_t *nas_ip)
{
	uint32_t nip = nas_ip_u32(nas_ip);
	uint64_t h = detail_hash(what, code, srv, sport, id, nip);
	if (!t->details)
		t->details = xcalloc(DETAIL_SLOTS, sizeof *t->details);
	uint32_t m = DETAIL_SLOTS - 1, i = (uint32_t)h & m;
	struct detail_slot *d;
	uint8_t has_nip = nas_ip != NULL;
	for (;; i = (i + 1) & m) {
		d = &t->details[i];
		if (!d->s)
			break;
		if (d->srv == srv && d->sport == sport && d->id == id && d->code == code &&
		    d->what == what && d->nip == nip && d->has_nip == has_nip)
			return d->s;
	}
	char det[200];
	struct line l = {det, 0, sizeof det};
	const char *cn = rad_code_name(code);
	l_str(&l, cn ? cn : what == 1 ? "request" : "response");
	l_str(&l, what == 1 ? " to " : " from ");
	l_leg(&l, srv, sport);
	l_lit(&l, " id ");
	l_uint(&l, id);
	if (what == 1 && nas_ip) {
		l_lit(&l, " (NAS-IP-Address ");
		if (l.n + 17 < sizeof det)     /* room for a dotted quad and ")" */
			l.n += ip4_fmt(det + l.n, nas_ip);
		l_lit(&l, ")");
	} else if (what == 3) {
		l_str(&l, " (no request seen)");
	}
	const char *r = intern(det, l.n);
	if (t->ndetails >= DETAIL_MAX) {
		memset(t->details, 0, DETAIL_SLOTS * sizeof *t->details);   /* full: start over */
		t->ndetails = 0;
		for (i = (uint32_t)h & m; t->details[i].s; i = (i + 1) & m)
			;
		d = &t->details[i];
	}
	t->ndetails++;
	d->s = r;
	d->srv = srv;
	d->sport = sport;
	d->id = (uint8_t)id;
	d->code = (uint8_t)code;
	d->what = (uint8_t)what;
	d->nip = nip;
	d->has_nip = has_nip;
	return r;
}

static const char *result_word(unsigned code)
{
	switch (code) {
	case 2: return "accept";
	case 3: return "reject";
	case 11: return "challenge";
	case 5: return "ok";
	case 41: case 44: return "ack";
	case 42: case 45: return "nak";
	}
	return NULL;
}

static void track(struct rpkt *x, char *raw, size_t rawn)
{
	struct pkt *p = x->p;
	struct radius_track *t = p->radius;
	int64_t ts = p->ts_ns;
	/* the keys serve events and the anomalies a summary or tree shows
	 * (a challenge loop is found by State); decode -T fields wants none */
	int keys = t->sink || p->summary || p->tree;
	const char *user = keys ? str_intern(x->user, x->user_n) : NULL;
	if (keys && !user && x->have_eap && x->eapi.identity)
		user = x->eapi.identity;
	const char *state = keys ? hex_intern(x->state, x->state_n) : NULL;
	const char *calling = keys ? str_intern(x->calling, x->calling_n) : NULL;
	char leg[80], det[160];
	const char *cn = rad_code_name(x->code);
	struct checks ck = {{0}, 0};

	if (is_request(x->code)) {
		note_server(t, p->dst);
		int32_t i = req_find(t, p->src, p->sport, x->id);
		struct req *r = i >= 0 ? &t->r[i] : NULL;
		int retrans = r && r->srv == p->dst && r->sport == p->dport && r->code == x->code &&
			      !memcmp(r->auth, x->auth, 16);
		if (r && !retrans) {
			/* the id is reused with a new authenticator: a new request;
			 * an unanswered old one ends here */
			if (!r->answered && !r->timed_out) {
				list_del(t, &t->pending, i);
				emit_timeout(t, i, ts, 0);
				list_add(t, &t->expired, i);
				t->r[i].answer_ns = ts;
			}
			req_free(t, i);
			r = NULL;
		}
		verify(x, r, &ck);
		if (retrans) {
			r->retrans++;
			r->last_ns = ts;
			if (!r->answered && !r->timed_out) {
				list_del(t, &t->pending, i);
				list_add(t, &t->pending, i);
			}
			snprintf(det, sizeof det, "%s retransmit %u to %s id %u", cn, r->retrans,
				 fmt_leg(leg, sizeof leg, r->srv, r->sport), r->id);
			struct held *h = held_event(t, EVK_RADIUS_RETRANSMIT, p, p->src, 1, raw, rawn);
			if (h) {
				ev_keys(&h->e, r);
				h->e.code = x->code;
				h->e.num = r->retrans;
				h->e.detail = intern_cstr(det);
				if (r->answered)
					h->e.result = intern_cstr("after-answer");
			}
		} else {
			i = req_alloc(t);
			r = &t->r[i];
			r->cli = p->src;
			r->srv = p->dst;
			r->cport = p->sport;
			r->sport = p->dport;
			r->id = x->id;
			r->code = x->code;
			memcpy(r->auth, x->auth, 16);
			r->frame = p->frame;
			r->first_ns = r->last_ns = ts;
			r->user = user;
			r->state = state;
			r->calling = calling;
			uint32_t *rounds = state_rounds(t, state, 0);
			r->rounds = rounds ? *rounds : 0;
			hash_put(t, i);
			list_add(t, &t->pending, i);
			int32_t par = learn_roles(t, i, r->cli, r->srv, r->sport, user, ts);
			if (par >= 0) {
				const struct req *q = &t->r[par];
				r->has_parent = 1;
				r->pcli = q->has_parent ? q->pcli : q->cli;
				r->pcport = q->has_parent ? q->pcport : q->cport;
				r->pid = q->has_parent ? q->pid : q->id;
				memcpy(r->pauth, q->has_parent ? q->pauth : q->auth, 16);
			}
			const char *detail = !t->sink ? NULL :
					     detail_cached(t, 1, x->code, r->srv, r->sport, r->id,
							   x->has_nas_ip ? x->nas_ip : NULL);
			unsigned kind = x->code == 4 ? EVK_RADIUS_ACCOUNTING : EVK_RADIUS_REQUEST;
			struct held *hv = held_event(t, kind, p, p->src, 1, raw, rawn);
			if (hv) {
				ev_keys(&hv->e, r);
				hv->e.code = x->code;
				hv->e.detail = detail;
				hv->e.client_ip = calling_ip(t, calling);
				if (x->have_eap && x->eapi.type >= 0)
					hv->e.num = x->eapi.type;
				if (x->have_eap && x->eapi.identity && x->eapi.identity != user)
					hv->e.text = x->eapi.identity;
			}
		}
		if (ck.nfailed)
			emit_bad_auth(x, &ck, r, p->src, 1);
		emit_anomalies(x, p->src, 1, raw, rawn, r);
		return;
	}

	if (!is_response(x->code)) {
		/* neither (Terminate-Session, Accounting-Status, ...): no pairing */
		int req = !radius_port(p->sport) || radius_port(p->dport);
		emit_anomalies(x, req ? p->src : p->dst, req ? 1 : 2, raw, rawn, NULL);
		return;
	}
	/* a response: the request it answers */
	int32_t i = req_find(t, p->dst, p->dport, x->id);
	struct req *r = i >= 0 ? &t->r[i] : NULL;
	if (r && (r->srv != p->src || r->sport != p->sport))
		r = NULL;
	verify(x, r, &ck);
	int dup = r && r->answered;
	if (!r)
		anomaly(x, "response-without-request", 0);
	else if (dup && !r->dup_reported) {
		anomaly(x, "duplicate-response", 0);
		r->dup_reported = 1;
	}
	if (r && !dup) {
		int was_timed_out = r->timed_out;
		if (!was_timed_out)
			list_del(t, &t->pending, i);
		r->answered = 1;
		r->answer_ns = ts;
		if (!was_timed_out)
			list_add(t, &t->answered, i);
		/* challenge rounds, to catch a loop */
		if (x->code == 11 && state) {
			uint32_t *rounds = state_rounds(t, state, 1);
			if (rounds) {
				*rounds = r->rounds + 1;
				if (*rounds == MAX_CHALLENGE_ROUNDS + 1)
					anomaly(x, "challenge-loop", 0);
			}
		}
	}
	if (!dup) {
		const char *detail = !t->sink ? NULL :
				     detail_cached(t, r ? 2 : 3, x->code, p->src, p->sport, x->id, NULL);
		unsigned kind = x->code == 5 ? EVK_RADIUS_ACCOUNTING : EVK_RADIUS_RESPONSE;
		struct held *h = held_event(t, kind, p, p->dst, 2, raw, rawn);
		if (h) {
			if (r) {
				ev_keys(&h->e, r);
				h->e.num = (ts - r->first_ns) / 1000;
				if (r->timed_out)
					h->e.result = intern_cstr("late");
			} else {
				h->e.nas_ip = p->dst;
				h->e.nas_port = p->dport;
				h->e.server_ip = p->src;
				h->e.server_port = p->sport;
				h->e.radius_id = x->id;
			}
			if (user)
				h->e.user = user;
			if (state)
				h->e.state = state;
			h->e.code = x->code;
			if (!h->e.result) {
				if (!t->rword[x->code])
					t->rword[x->code] = intern_cstr(result_word(x->code));
				h->e.result = t->rword[x->code];
			}
			if (x->reply_n)
				h->e.text = intern(x->reply, x->reply_n);
			h->e.detail = detail;
		}
	}
	if (ck.nfailed)
		emit_bad_auth(x, &ck, r, p->dst, 2);
	emit_anomalies(x, p->dst, 2, raw, rawn, r);
}

void radius_udp(struct pkt *p, const uint8_t *data, size_t len)
{
	struct rpkt xs;                 /* on the stack: no allocation per packet */
	struct rpkt *x = &xs;
	memset(x, 0, offsetof(struct rpkt, reply));
	x->p = p;
	x->all = rd_make(data, len);
	x->caplen = len;
	x->paylen = p->udp_paylen > len ? p->udp_paylen : len;
	int trackable = p->radius && !p->inner;
	if (!radius_looks_valid(data, len)) {
		/* not RADIUS as tshark sees it: no fields; a named anomaly when
		 * it came to a RADIUS port at all */
		if (!trackable || !len)
			goto out;
		uint16_t rl = len >= 4 ? (uint16_t)(data[2] << 8 | data[3]) : 0;
		if (len < 20 && x->paylen > len)
			anomaly(x, "truncated", 1);
		else if (len < 20)
			anomaly(x, "short-packet", 0);
		else if (!rad_code_name(data[0]))
			anomaly(x, "unknown-code", 0);
		else if (rl < 20)
			anomaly(x, "length-too-short", 0);
		else
			anomaly(x, "length-too-long", 0);
		x->code = data[0];
		x->id = len >= 2 ? data[1] : 0;
		x->rlen = rl;
		char raw[96];
		int n = snprintf(raw, sizeof raw, "RADIUS? %zu bytes to port %u: %s", len, p->dport,
				 x->anom[0]);
		int req = !radius_port(p->sport) || radius_port(p->dport);
		emit_anomalies(x, req ? p->src : p->dst, req ? 1 : 2, raw, n > 0 ? (size_t)n : 0, NULL);
		goto out;
	}
	x->code = data[0];
	x->id = data[1];
	x->rlen = (uint16_t)(data[2] << 8 | data[3]);
	x->auth = data + 4;
	struct pkt *pp = p;
	FLD_U(pp->fields, "radius.code", x->code);
	FLD_U(pp->fields, "radius.id", x->id);
	FLD_U(pp->fields, "radius.length", x->rlen);
	fld_add_hex(pp->fields, "radius.authenticator", x->auth, 16);
	const char *cn = rad_code_name(x->code);
	tree_push(pp->tree, "RADIUS %s (%u) id=%u length=%u", cn, x->code, x->id, x->rlen);
	if (pp->tree) {
		char ah[33];
		hex_encode(ah, sizeof ah, x->auth, 16);
		tree_add(pp->tree, "Authenticator: %s", ah);
	}
	struct sbuf *summary = pp->summary;
	pp->summary = NULL;     /* EAP's summary words go into ours below */
	x->pf = trackable && pp->radius->sink;
	if (x->rlen > x->paylen)
		anomaly(x, "length-exceeds-payload", 0);   /* tshark: no attributes */
	else
		walk(x, 20, (size_t)x->rlen - 20);
	pp->summary = summary;
	/* RFC 3579 3.2: EAP needs a Message-Authenticator; RFC 5997: so does
	 * Status-Server */
	if (x->rlen <= x->caplen && !x->stop && x->ma_off == 0 &&
	    ((x->have_eap && (x->code == 1 || x->code == 2 || x->code == 3 || x->code == 11)) ||
	     x->code == 12))
		anomaly(x, "message-authenticator-missing", 0);
	if (trackable && pp->radius->sink && x->rlen <= x->caplen) {
		/* the cache lines track() will look at (the pool's slots, the
		 * request index's, a request's detail), fetched while the
		 * evidence line is built: the misses at once, and hidden */
		struct radius_track *t = pp->radius;
		int req = is_request(x->code);
		uint32_t h = req ? req_hash(p->src, p->sport, x->id) : req_hash(p->dst, p->dport, x->id);
		__builtin_prefetch(&t->hash[h & (t->nhash - 1)]);
		if (req && t->details)
			__builtin_prefetch(&t->details[detail_hash(1, x->code, p->dst, p->dport, x->id,
						   nas_ip_u32(x->has_nas_ip ? x->nas_ip : NULL)) &
						   (DETAIL_SLOTS - 1)]);
	}
	char raw[200];
	size_t rawn = 0;
	raw[0] = 0;
	if (pp->summary || (pp->radius && pp->radius->sink && !pp->inner))
		summary_line(x, raw, sizeof raw, &rawn);   /* evidence and decode's summary */
	if (trackable && x->rlen <= x->caplen) {
		/* pairing shows in events, a summary or tree (anomalies) and the
		 * secret checks of answers; decode -T fields without a secret
		 * takes none of them */
		if (pp->radius->sink || pp->summary || pp->tree || pp->secrets)
			track(x, raw, rawn);
	} else if (trackable)
		emit_anomalies(x, is_request(x->code) ? p->src : p->dst, is_request(x->code) ? 1 : 2,
			       raw, rawn, NULL);
	else if (p->secrets && x->rlen <= x->caplen) {
		struct checks ck = {{0}, 0};
		verify(x, NULL, &ck);
	}
	tree_pop(pp->tree);
out:
	if (p->radius)
		held_commit(p->radius);
}

void radius_icmp_unreach(struct pkt *p, const char *qsrc, const char *qdst,
			 uint16_t qsport, uint16_t qdport, int port, int code)
{
	struct radius_track *t = p->radius;
	if (!t || p->inner || !t->sink)
		return;
	/* the quoted datagram went qsrc:qsport -> qdst:qdport: the newest open
	 * request on that leg */
	int32_t found = -1;
	int n = 0;
	for (int32_t i = t->pending.tail; i >= 0 && n < 4096; i = t->r[i].prev, n++)
		if (t->r[i].cli == qsrc && t->r[i].cport == qsport && t->r[i].srv == qdst &&
		    t->r[i].sport == qdport) {
			found = i;
			break;
		}
	if (found < 0 && !radius_port(qdport))
		return;                 /* not a RADIUS request we know of */
	char leg[80], raw[200];
	int k = port ? snprintf(raw, sizeof raw, "ICMP port unreachable from %s: nothing listens on %s",
				p->src, fmt_leg(leg, sizeof leg, qdst, qdport))
		     : snprintf(raw, sizeof raw, "ICMP destination unreachable (code %d) from %s for %s",
				code, p->src, fmt_leg(leg, sizeof leg, qdst, qdport));
	/* the event names the request's leg (from its client to its server) */
	struct held *h = held_event(t, EVK_RADIUS_UNREACHABLE, p, qsrc, 1, raw, k > 0 ? (size_t)k : 0);
	if (!h)
		return;
	if (found >= 0) {
		ev_keys(&h->e, &t->r[found]);
		h->e.code = t->r[found].code;
	} else {
		h->e.nas_ip = qsrc;
		h->e.nas_port = qsport;
		h->e.server_ip = qdst;
		h->e.server_port = qdport;
	}
	h->e.num = code;            /* the ICMP code */
	h->e.result = intern_cstr(port ? "port-unreachable" : "unreachable");
	h->e.text = intern(raw, k > 0 ? (size_t)k : 0);
	held_commit(t);
}
