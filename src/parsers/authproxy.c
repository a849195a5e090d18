/* \summary: authproxy.log (Duo Authentication Proxy) records to events
 *
 * Grammar (all eras): `<stamp> [<system>] <message>`, TAB-led continuation
 * lines joined by ingest (FMT_JOIN_TAB). Stamps: era C
 * `2023-03-02T10:15:01.125107-0500`, era B `2020-07-15T10:12:13-0400`,
 * era A `2020-07-15 10:12:13` with or without an offset (then the input's
 * clock gives the zone). The system tag is never trusted: a message is
 * classified by its text alone.
 *
 * Cost model: 95 % of a real log is directory-sync noise. A line is
 * dispatched on the literal its message starts with (a 256-way bucket by
 * first byte, then memcmp); noise returns before the stamp is even
 * converted. No PCRE2 and no allocation on the per-line path: parser state
 * lives in fixed tables sized at open.
 *
 * State ties lines the proxy logs without the `((ip, port), user, id): `
 * prefix back to the incoming request: the outgoing id of a primary
 * request (`Sending request for user 'u' ... with id N` → the user's latest
 * login attempt; `Sending proxied request for id I ... with id N` → the
 * latest request with incoming id I), the request a line's callback chain
 * is working on (context, bounded in time), and the user named in a debug
 * HTTP body. A new request's event waits for the next line of the same
 * request so it can carry the user (challenge and EAP rounds join their
 * login by user and NAS).
 *
 * Packet dumps (`Packet dump - ...` and the `b'...'` payload) and HTTP
 * bodies never reach an event field or raw; any bytes literal left in an
 * evidence line is blanked.
 */
#include "parsers/authproxy.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/str.h"

#define REQ_CAP    4096u       /* in-flight incoming requests (power of two) */
#define USER_CAP   4096u       /* users with a recent login attempt */
#define OUT_CAP    4096u       /* outgoing requests to primaries */
#define PROBE      8u          /* bounded probing: a full window evicts the oldest */
#define SRV_MAX    16          /* primary servers remembered for leg guessing */
#define TIE_US     2000000LL   /* an unprefixed line joins the request in context */
#define USER_TIE_US 10000000LL /* a primary request joins its user's login attempt */
#define PUSH_WAIT_US 90000000LL /* a push with no result is still pending this long */
#define KC_SLOTS   128         /* interned constants cache */
#define SC_SLOTS   256         /* interned spans cache */
#define MAX_DAMAGE 100         /* damage events per input; more are only counted */
#define CALL_MAX   64          /* outstanding Duo/AD calls remembered */
#define CALL_WAIT_US 180000000LL /* a failure this late still belongs to its call */

enum fam {
	F_NONE, F_NOISE, F_SKIP,
	/* request lifecycle (prefixed) */
	F_NEW_REQUEST, F_DUPLICATE, F_LOGIN, F_RETURNING, F_DECODE_PW,
	F_NO_USERNAME, F_PROTOCOL, F_CHALLENGE_VALID, F_CHALLENGE_LOST,
	F_PRIMARY_BADCODE, F_PRIMARY_REJECT, F_PRIMARY_ERROR,
	F_PREAUTH_RESULT, F_PREAUTH_RETURNED, F_DUO_AUTH_RETURNED, F_NO_FACTORS,
	F_ENROLL_PLEASE, F_FAILMODE_SAFE, F_FAILMODE_SECURE, F_PRIMARY_ONLY,
	F_EAP_NOTE, F_UNHANDLED,
	/* primary leg and Duo calls (unprefixed) */
	F_SEND_PRIMARY, F_SEND_PROXIED, F_GOT_RESPONSE, F_OUT_TIMEOUT, F_DROPPING,
	F_HTTP_POST, F_DUO_CALL_FAILED,
	F_AD_SEND, F_AD_CONN_FAILED, F_AD_CLOSED, F_AD_BIND_FAILED, F_AD_SEARCH_FAILED,
	F_AD_NO_FALLBACK, F_AD_AUTH_FAILED, F_AD_FALLBACK,
	F_INVALID_IP, F_NO_USER_IP, F_CERT_FAILED, F_TLS_INBOUND,
	F_STARTUP, F_CONFIG_ERROR, F_PACKET_DUMP, F_PACKET_BYTES,
	/* connectivity tool */
	F_CT_SECTION, F_CT_API_CREDS, F_CT_PING, F_CT_BIND, F_CT_CONNECT,
	F_CT_LDAP_CONNECT, F_CT_RADIUS, F_CT_PORT, F_CT_DRIFT, F_CT_SKEY, F_CT_SEARCH,
};

struct lit {
	const char *s;
	uint8_t n;
	uint8_t fam;
};

#define L(s, f) {s, sizeof(s) - 1, f}
static const struct lit lits[] = {
	/* noise first: it is what most lines are */
	L("Summary: ", F_NOISE),
	L("Returning list of configured directory syncs", F_NOISE),
	L("Starting factory", F_NOISE),
	L("Stopping factory", F_NOISE),
	L("Sending request from ", F_NOISE),
	L("Sending response", F_NOISE),
	L("Sending authentication challenge packet", F_NOISE),
	L("Sending enrollment", F_NOISE),
	L("Sending deny access", F_NOISE),
	L("Sending auth deny access", F_NOISE),
	L("Sending access ", F_NOISE),
	L("Re-sending challenge", F_NOISE),
	L("Allow concat is configured", F_NOISE),
	L("Failing certificate:", F_SKIP),
	/* request lifecycle */
	L("Received new request id ", F_NEW_REQUEST),
	L("Received duplicate request", F_DUPLICATE),
	L("login attempt for username ", F_LOGIN),
	L("Returning response code ", F_RETURNING),
	L("Cannot decode password", F_DECODE_PW),
	L("No username provided", F_NO_USERNAME),
	L("Missing or improperly-formatted password", F_PROTOCOL),
	L("Only the PAP", F_PROTOCOL),
	L("Only PAP", F_PROTOCOL),
	L("No password or CHAP2 attributes provided", F_PROTOCOL),
	L("No password provided", F_PROTOCOL),
	L("Cannot proxy RADIUS requests", F_PROTOCOL),
	L("Valid response to challenge issued at id ", F_CHALLENGE_VALID),
	L("Response to unknown AccessChallenge", F_CHALLENGE_LOST),
	L("Response to AccessChallenge from wrong source ip", F_CHALLENGE_LOST),
	L("Response to AccessChallenge with incorrect username", F_CHALLENGE_LOST),
	L("Response packet is not Access-Accept", F_PRIMARY_BADCODE),
	L("Primary credentials rejected - ", F_PRIMARY_REJECT),
	L("Error performing primary authentication: ", F_PRIMARY_ERROR),
	L("Got preauth result for: ", F_PREAUTH_RESULT),
	L("Duo preauth returned ", F_PREAUTH_RETURNED),
	L("Duo authentication returned ", F_DUO_AUTH_RETURNED),
	L("User has no Duo factors usable", F_NO_FACTORS),
	L("Please complete the enrollment process", F_ENROLL_PLEASE),
	L("Failmode Safe - ", F_FAILMODE_SAFE),
	L("Failmode Secure - ", F_FAILMODE_SECURE),
	L("Primary Only Mode - ", F_PRIMARY_ONLY),
	L("Creating EAP session", F_EAP_NOTE),
	L("Destroying EAP session", F_EAP_NOTE),
	L("attempting authentication with factor", F_EAP_NOTE),
	L("Authentication successful", F_EAP_NOTE),
	L("Authcookie validation result", F_EAP_NOTE),
	L("unhandled error processing request from ", F_UNHANDLED),
	/* primary leg */
	L("Sending request for user ", F_SEND_PRIMARY),
	L("Sending proxied request for id ", F_SEND_PROXIED),
	L("Got response for id ", F_GOT_RESPONSE),
	L("Request timeout for (outgoing) id ", F_OUT_TIMEOUT),
	L("dropping packet from ", F_DROPPING),
	L("http POST to ", F_HTTP_POST),
	L("Duo preauth call failed", F_DUO_CALL_FAILED),
	L("Duo auth call failed", F_DUO_CALL_FAILED),
	L("Duo auth failed", F_DUO_CALL_FAILED),
	L("Duo proxy_init call failed", F_DUO_CALL_FAILED),
	L("Duo proxy_finish call failed", F_DUO_CALL_FAILED),
	L("Sending AD authentication request for ", F_AD_SEND),
	L("AD Connection failed", F_AD_CONN_FAILED),
	L("AD Connection closed prematurely", F_AD_CLOSED),
	L("AD connection timed out", F_AD_CONN_FAILED),
	L("Initial LDAP bind to AD failed", F_AD_BIND_FAILED),
	L("LDAP search on AD service failed", F_AD_SEARCH_FAILED),
	L("Bad AD client configuration value", F_AD_SEARCH_FAILED),
	L("No remaining AD fallback hosts", F_AD_NO_FALLBACK),
	L("LDAP Authentication Failed", F_AD_AUTH_FAILED),
	L("Error sending AD auth request to ", F_AD_FALLBACK),
	L("Unexpected Error sending AD auth request to ", F_AD_FALLBACK),
	L("Invalid single ip", F_INVALID_IP),
	L("User IP not provided", F_NO_USER_IP),
	L("Certificate verification failed", F_CERT_FAILED),
	L("Unable to establish SSL connection", F_TLS_INBOUND),
	L("The downstream application and the Authentication Proxy were not able to establish an SSL", F_TLS_INBOUND),
	L("Duo Security Authentication Proxy ", F_STARTUP),
	L("Packet dump - ", F_PACKET_DUMP),
	L("b'", F_PACKET_BYTES),
	L("b\"", F_PACKET_BYTES),
	/* configuration errors (startup, connectivity tool) */
	L("Missing required configuration item", F_CONFIG_ERROR),
	L("Invalid value for configuration item", F_CONFIG_ERROR),
	L("Invalid IP, network, or range", F_CONFIG_ERROR),
	L("Invalid secret (None) configured", F_CONFIG_ERROR),
	L("Invalid module: ", F_CONFIG_ERROR),
	L("No integrations in config file", F_CONFIG_ERROR),
	L("Config file missing or unreadable", F_CONFIG_ERROR),
	L("Config is unparseable", F_CONFIG_ERROR),
	L("Configuration has duplicated keys", F_CONFIG_ERROR),
	L("Neither module ", F_CONFIG_ERROR),
	L("Could not open private key file", F_CONFIG_ERROR),
	L("Could not open certificate file", F_CONFIG_ERROR),
	L("Unable to decrypt secret", F_CONFIG_ERROR),
	L("Couldn't listen on ", F_CONFIG_ERROR),
	L("FATAL: Error loading certificates", F_CONFIG_ERROR),
	/* connectivity tool results */
	L("Testing section '", F_CT_SECTION),
	L("The Auth Proxy was not able to validate the provided API credentials", F_CT_API_CREDS),
	L("The Auth Proxy was not able to ping Duo", F_CT_PING),
	L("The Auth Proxy was unable to bind as ", F_CT_BIND),
	L("The Auth Proxy was not able to establish a connection to ", F_CT_CONNECT),
	L("The Auth Proxy was not able to establish an LDAP connection to ", F_CT_LDAP_CONNECT),
	L("We cannot confirm that the Auth Proxy was able to establish a RADIUS connection", F_CT_RADIUS),
	L("The Auth Proxy will not be able to accept connections on port", F_CT_PORT),
	L("The time drift between the Auth Proxy host and Duo", F_CT_DRIFT),
	L("The provided skey_protected could not be decrypted", F_CT_SKEY),
	L("The Auth Proxy did not get results searching for users", F_CT_SEARCH),
};
#undef L

/* Per first byte: the range of lits[] entries starting with it. Built once
 * (idempotent, no allocation). */
static uint16_t bucket_idx[256][24];
static uint8_t bucket_n[256];
static uint64_t lit_pre[sizeof lits / sizeof *lits];    /* first 8 bytes, masked */
static uint64_t lit_mask[sizeof lits / sizeof *lits];
static int buckets_ready;

static void buckets_init(void)
{
	if (buckets_ready)
		return;
	for (size_t i = 0; i < sizeof lits / sizeof *lits; i++) {
		unsigned char c = (unsigned char)lits[i].s[0];
		size_t k = lits[i].n < 8 ? lits[i].n : 8;
		memcpy(&lit_pre[i], lits[i].s, k);
		lit_mask[i] = k == 8 ? ~0ull : ((1ull << (8 * k)) - 1);
		if (bucket_n[c] < 24)
			bucket_idx[c][bucket_n[c]++] = (uint16_t)i;
	}
	buckets_ready = 1;
}

static unsigned classify(const char *m, size_t n, size_t *litlen)
{
	if (!n)
		return F_NONE;
	unsigned char c = (unsigned char)m[0];
	uint64_t w = 0;
	if (n >= 8)
		memcpy(&w, m, 8);
	for (unsigned i = 0; i < bucket_n[c]; i++) {
		unsigned li = bucket_idx[c][i];
		const struct lit *l = &lits[li];
		if (n < l->n)
			continue;
		/* a word compare first: most candidates differ in 8 bytes */
		if (n >= 8 ? (w & lit_mask[li]) != lit_pre[li] : memcmp(m, l->s, l->n) != 0)
			continue;
		if (n < 8 || l->n <= 8 || !memcmp(m + 8, l->s + 8, l->n - 8u)) {
			if (litlen)
				*litlen = l->n;
			return l->fam;
		}
	}
	return F_NONE;
}

/* ---- parser state ---- */

struct req {                    /* an incoming request the proxy works on */
	const char *nas_ip;         /* interned; NULL = free slot */
	int32_t nas_port, id;
	const char *user;
	const char *srv;            /* the primary it was sent to, when known */
	int32_t srv_port;
	int64_t ts;                 /* last activity */
	uint32_t gen;
	uint8_t push_pending, await_auth;
	uint8_t calls;              /* call_type bits it may have open */
};

typedef uint64_t rref;          /* (gen << 32) | (slot + 1); 0 = none */

struct uent {
	const char *user;
	rref req;
	int64_t ts;
	int32_t pending;            /* pushes sent with no result yet */
	int64_t push_ts;            /* latest push */
};

struct oent {
	const char *srv;            /* interned; NULL = free */
	int32_t out_id, srv_port;
	int32_t in_id;              /* proxied: the incoming id it names, else -1 */
	const char *user;           /* the user it names, or NULL */
	rref req;
	int64_t ts;
	uint8_t answered;
};

struct srv {
	const char *ip;
	uint32_t last_out;          /* slot + 1 of its latest outgoing request */
};

/* A call the proxy made for a request and whose outcome it has not logged
 * yet: failures of it arrive unprefixed, maybe long after (TCP timeouts,
 * AD failover), and belong to it. */
enum call_type { CALL_PREAUTH = 1, CALL_AUTH = 2, CALL_AD = 4, CALL_DUO = CALL_PREAUTH | CALL_AUTH };
struct call {
	rref req;
	int64_t ts;
	uint8_t type;
};

struct pending_req {
	int live;
	rref req;
	int64_t ts;
	uint64_t pos;
	struct sbuf raw;
};

struct ap {
	struct format_ctx ctx;
	unsigned src;
	struct req *reqs;
	uint32_t gen;
	rref by_id[256];
	struct uent *users;
	struct oent *outs;
	struct srv srv[SRV_MAX];
	int nsrv;
	rref cur;                   /* the request the last tied line named */
	int64_t cur_ts;
	rref await_push;            /* preauth said 'auth': the push POST follows */
	int64_t await_ts;
	struct call calls[CALL_MAX];
	unsigned ncall_next;        /* ring position */
	struct pending_req pend;
	struct oent *carry;         /* an orphan primary request this line's request owns */
	unsigned pre_fam;           /* the line's family, classified once */
	size_t pre_ll;
	int after_dump;             /* a packet dump header: its payload follows */
	uint64_t ndamage;
	struct { const char *lit, *v; } kc[KC_SLOTS];
	struct { const char *v; size_t n; } sc[SC_SLOTS];
	struct sbuf scratch;        /* evidence line with bytes literals blanked */
	struct sbuf tmp;

	/* the current line */
	const char *line;
	size_t len;                 /* first physical line only */
	const char *tail;           /* continuation lines (after '\n'), or NULL */
	size_t tail_len;
	uint64_t pos;
	const char *stamp;          /* NULL: no stamp (lean format) */
	const char *msg_at;         /* where the stamp's ' [' begins */
	char full_key[40];          /* the last stamp converted, whole */
	size_t full_klen;
	int64_t full_ts;
	char ts_key[32];            /* the last converted second: `YYYY-MM-DDTHH:MM:SS` + zone */
	size_t ts_klen;
	int64_t ts_base;
	int have_ts;
	int64_t ts;
};

static const char *kstr(struct ap *st, const char *lit)
{
	unsigned i = (unsigned)(((uintptr_t)lit >> 3) % KC_SLOTS);
	if (st->kc[i].lit != lit) {
		st->kc[i].lit = lit;
		st->kc[i].v = intern_cstr(lit);
	}
	return st->kc[i].v;
}

static const char *ispan(struct ap *st, const char *p, size_t n)
{
	if (!n)
		return intern(p, 0);
	unsigned h = (unsigned)n * 31u + (unsigned char)p[0] * 7u + (unsigned char)p[n - 1] * 131u +
		     (unsigned char)p[n / 2] * 17u;
	unsigned i = h % SC_SLOTS;
	if (st->sc[i].v && st->sc[i].n == n && !memcmp(st->sc[i].v, p, n))
		return st->sc[i].v;
	st->sc[i].v = intern(p, n);
	st->sc[i].n = n;
	return st->sc[i].v;
}

/* ---- small scanners (length-bounded; lines may hold NUL bytes) ---- */

static int lit_at(const char *p, size_t n, const char *lit)
{
	size_t l = strlen(lit);
	return n >= l && !memcmp(p, lit, l);
}

/* memmem for short needles in short lines: glibc's two-way setup costs
 * more than the search here. */
static const char *find(const char *p, size_t n, const char *lit)
{
	size_t l = strlen(lit);
	if (!l || l > n)
		return l ? NULL : p;
	const char *end = p + n - l + 1;
	for (const char *q = p; q < end; q++) {
		q = memchr(q, lit[0], (size_t)(end - q));
		if (!q)
			return NULL;
		if (!memcmp(q + 1, lit + 1, l - 1))
			return q;
	}
	return NULL;
}

/* Unsigned decimal of at most maxd digits; -1 when none. */
static long long num_at(const char **pp, const char *end, int maxd)
{
	const char *p = *pp;
	long long v = 0;
	int d = 0;
	while (p < end && *p >= '0' && *p <= '9' && d < maxd) {
		v = v * 10 + (*p++ - '0');
		d++;
	}
	if (!d)
		return -1;
	*pp = p;
	return v;
}

/* ('ip', port) → ip span and port. p points at '('. */
static int tuple_at(const char **pp, const char *end, const char **ip, size_t *iplen,
		    int32_t *port)
{
	const char *p = *pp;
	if (end - p < 8 || p[0] != '(' || (p[1] != '\'' && p[1] != '"'))
		return -1;
	char q = p[1];
	p += 2;
	const char *e = memchr(p, q, (size_t)(end - p));
	if (!e || e - p > 255)
		return -1;
	*ip = p;
	*iplen = (size_t)(e - p);
	p = e + 1;
	if (end - p < 3 || p[0] != ',' || p[1] != ' ')
		return -1;
	p += 2;
	long long v = num_at(&p, end, 5);
	if (v < 0 || v > 65535 || p >= end || *p != ')')
		return -1;
	*port = (int32_t)v;
	*pp = p + 1;
	return 0;
}

/* Python repr of a str ('...' or "...") at p → unescaped into out (NUL
 * terminated, capped). Returns bytes written or -1; *pp moves past it. */
static int py_unrepr(const char **pp, const char *end, char *out, size_t cap)
{
	const char *p = *pp;
	if (p >= end || (*p != '\'' && *p != '"') || cap < 2)
		return -1;
	char q = *p++;
	size_t o = 0;
	while (p < end && *p != q) {
		char c = *p++;
		if (c == '\\' && p < end) {
			char x = *p++;
			unsigned v = 0;
			int hex = 0;
			switch (x) {
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'r': c = '\r'; break;
			case 'x': hex = 2; break;
			case 'u': hex = 4; break;
			case 'U': hex = 8; break;
			default: c = x; break;
			}
			if (hex) {
				for (int i = 0; i < hex; i++, p++) {
					if (p >= end)
						return -1;
					char h = *p;
					v = v * 16 + (unsigned)(h >= '0' && h <= '9' ? h - '0' :
						(h | 32) >= 'a' && (h | 32) <= 'f' ? (h | 32) - 'a' + 10 : 0);
				}
				/* code point → UTF-8 */
				char u[4];
				size_t un;
				if (v < 0x80) { u[0] = (char)v; un = 1; }
				else if (v < 0x800) { u[0] = (char)(0xc0 | v >> 6); u[1] = (char)(0x80 | (v & 63)); un = 2; }
				else if (v < 0x10000) { u[0] = (char)(0xe0 | v >> 12); u[1] = (char)(0x80 | ((v >> 6) & 63)); u[2] = (char)(0x80 | (v & 63)); un = 3; }
				else { v &= 0x1fffff; u[0] = (char)(0xf0 | v >> 18); u[1] = (char)(0x80 | ((v >> 12) & 63)); u[2] = (char)(0x80 | ((v >> 6) & 63)); u[3] = (char)(0x80 | (v & 63)); un = 4; }
				if (o + un >= cap)
					return -1;
				memcpy(out + o, u, un);
				o += un;
				continue;
			}
		}
		if (o + 1 >= cap)
			return -1;
		out[o++] = c;
	}
	if (p >= end)
		return -1;
	out[o] = 0;
	*pp = p + 1;
	return (int)o;
}

/* Details are formatted per event: a formatter for the conversions used
 * here (%s %d %lld %.*s %%) costs a tenth of vsnprintf. Output is cut at
 * the buffer's end like snprintf's. */
static size_t put(char *b, size_t o, size_t cap, const char *s, size_t n)
{
	if (o + n >= cap)
		n = o < cap - 1 ? cap - 1 - o : 0;
	memcpy(b + o, s, n);
	return o + n;
}

static size_t put_int(char *b, size_t o, size_t cap, long long v)
{
	char t[24];
	size_t k = sizeof t;
	unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
	do
		t[--k] = (char)('0' + u % 10);
	while ((u /= 10));
	if (v < 0)
		t[--k] = '-';
	return put(b, o, cap, t + k, sizeof t - k);
}

static const char *intern_fmt(struct ap *st, const char *fmt, ...) PRINTF_LIKE(2, 3);
static const char *intern_fmt(struct ap *st, const char *fmt, ...)
{
	(void)st;
	char b[320];
	size_t o = 0;
	va_list ap;
	va_start(ap, fmt);
	for (const char *f = fmt; *f; f++) {
		const char *pc = strchr(f, '%');
		if (!pc) {
			o = put(b, o, sizeof b, f, strlen(f));
			break;
		}
		o = put(b, o, sizeof b, f, (size_t)(pc - f));
		f = pc + 1;
		if (*f == 's') {
			const char *a = va_arg(ap, const char *);
			o = put(b, o, sizeof b, a ? a : "(null)", a ? strlen(a) : 6);
		} else if (*f == 'd') {
			o = put_int(b, o, sizeof b, va_arg(ap, int));
		} else if (f[0] == 'l' && f[1] == 'l' && f[2] == 'd') {
			o = put_int(b, o, sizeof b, va_arg(ap, long long));
			f += 2;
		} else if (f[0] == '.' && f[1] == '*' && f[2] == 's') {
			int w = va_arg(ap, int);
			const char *a = va_arg(ap, const char *);
			o = put(b, o, sizeof b, a, w > 0 ? (size_t)w : 0);
			f += 2;
		} else if (*f == '%') {
			o = put(b, o, sizeof b, "%", 1);
		} else {
			break;          /* not used here */
		}
	}
	va_end(ap);
	return intern(b, o);
}

/* Interned constants, cached by the literal's address (per parser: the
 * pool may be reset between runs). */
static const char *kstr(struct ap *st, const char *lit);

/* Interned spans (addresses, users) repeat line after line: a small
 * content-checked cache in front of the pool. */
static const char *ispan(struct ap *st, const char *p, size_t n);

/* A span trimmed of trailing blanks, dots kept. */
static size_t rtrim(const char *p, size_t n)
{
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r'))
		n--;
	return n;
}

#define TEXT_MAX 400            /* cap on a message kept as text */

static const char *intern_text(const char *p, size_t n)
{
	n = rtrim(p, n);
	if (n > TEXT_MAX)
		n = TEXT_MAX;
	return intern(p, n);
}

/* ---- tables ---- */

static uint64_t mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	return h;
}

static struct req *req_get(struct ap *st, rref r)
{
	if (!r)
		return NULL;
	uint32_t slot = (uint32_t)(r & 0xffffffffu) - 1;
	if (slot >= REQ_CAP)
		return NULL;
	struct req *q = &st->reqs[slot];
	return q->nas_ip && q->gen == (uint32_t)(r >> 32) ? q : NULL;
}

static rref req_ref(struct ap *st, struct req *q)
{
	return ((uint64_t)q->gen << 32) | (uint64_t)(q - st->reqs + 1);
}

static uint64_t req_hash(const char *ip, int32_t port, int32_t id)
{
	return mix((uintptr_t)ip ^ ((uint64_t)(uint32_t)port << 16) ^ ((uint64_t)(uint32_t)id << 40));
}

static struct req *req_find(struct ap *st, const char *ip, int32_t port, int32_t id)
{
	uint64_t h = req_hash(ip, port, id);
	for (unsigned i = 0; i < PROBE; i++) {
		struct req *q = &st->reqs[(h + i) & (REQ_CAP - 1)];
		if (q->nas_ip == ip && q->nas_port == port && q->id == id)
			return q;
	}
	return NULL;
}

/* A (re)started request under this key: same key means the proxy took it
 * as new, so its old state goes. */
static struct req *req_new(struct ap *st, const char *ip, int32_t port, int32_t id, int64_t ts)
{
	uint64_t h = req_hash(ip, port, id);
	struct req *victim = NULL;
	for (unsigned i = 0; i < PROBE; i++) {
		struct req *q = &st->reqs[(h + i) & (REQ_CAP - 1)];
		if ((q->nas_ip == ip && q->nas_port == port && q->id == id) || !q->nas_ip) {
			victim = q;
			break;
		}
		if (!victim || q->ts < victim->ts)
			victim = q;
	}
	memset(victim, 0, sizeof *victim);
	victim->nas_ip = ip;
	victim->nas_port = port;
	victim->id = id;
	victim->ts = ts;
	victim->gen = ++st->gen;
	st->by_id[id & 255] = req_ref(st, victim);
	return victim;
}

/* The request a prefixed line names; created when its `Received new
 * request` line was not seen (log rotated in between, or filtered). */
static struct req *req_for_prefix(struct ap *st, const char *ip, int32_t port, int32_t id,
				  const char *user, int64_t ts)
{
	struct req *q = req_find(st, ip, port, id);
	if (!q)
		q = req_new(st, ip, port, id, ts);
	if (user)
		q->user = user;
	if (ts != EV_NO_TS)
		q->ts = ts;
	return q;
}

static struct uent *user_slot(struct ap *st, const char *user, int create)
{
	uint64_t h = mix((uintptr_t)user);
	struct uent *victim = NULL;
	for (unsigned i = 0; i < PROBE; i++) {
		struct uent *u = &st->users[(h + i) & (USER_CAP - 1)];
		if (u->user == user)
			return u;
		if (!create)
			continue;
		if (!u->user && !victim)
			victim = u;
		else if (victim && victim->user && u->ts < victim->ts)
			victim = u;
		else if (!victim)
			victim = u;
	}
	if (!create)
		return NULL;
	memset(victim, 0, sizeof *victim);
	victim->user = user;
	return victim;
}

static struct oent *out_slot(struct ap *st, const char *srv, int32_t out_id, int create)
{
	uint64_t h = mix((uintptr_t)srv ^ ((uint64_t)(uint32_t)out_id << 24));
	struct oent *victim = NULL;
	for (unsigned i = 0; i < PROBE; i++) {
		struct oent *o = &st->outs[(h + i) & (OUT_CAP - 1)];
		if (o->srv == srv && o->out_id == out_id)
			return o;
		if (!create)
			continue;
		if (!victim || !o->srv || (victim->srv && o->ts < victim->ts))
			if (!victim || victim->srv)
				victim = o;
	}
	if (!create)
		return NULL;
	memset(victim, 0, sizeof *victim);
	victim->srv = srv;
	victim->out_id = out_id;
	return victim;
}

static struct srv *srv_get(struct ap *st, const char *ip, int create)
{
	for (int i = 0; i < st->nsrv; i++)
		if (st->srv[i].ip == ip)
			return &st->srv[i];
	if (!create)
		return NULL;
	if (st->nsrv < SRV_MAX) {
		st->srv[st->nsrv] = (struct srv){ip, 0};
		return &st->srv[st->nsrv++];
	}
	return NULL;
}

/* ---- the current line ---- */

static int digits(const char *p, int n)
{
	for (int i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return 0;
	return 1;
}

/* `YYYY-MM-DD?HH:MM:SS` at p (19 bytes readable), `?` = 'T' or ' ': two
 * word tests instead of a loop over 14 digits. */
static uint64_t digit_lanes(uint64_t w)
{
	/* lanes holding '0'..'9' become 0; the high nibble must be 3 and adding
	 * 6 must not carry into it */
	return ((w & 0xf0f0f0f0f0f0f0f0ull) ^ 0x3030303030303030ull) |
	       (((w + 0x0606060606060606ull) & 0xf0f0f0f0f0f0f0f0ull) ^ 0x3030303030303030ull);
}

static int stamp_shape(const char *p)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return digits(p, 4) && p[4] == '-' && digits(p + 5, 2) && p[7] == '-' &&
	       digits(p + 8, 2) && (p[10] == 'T' || p[10] == ' ') && digits(p + 11, 2) &&
	       p[13] == ':' && digits(p + 14, 2) && p[16] == ':' && digits(p + 17, 2);
#endif
	uint64_t a, b;
	memcpy(&a, p, 8);          /* YYYY-MM- */
	memcpy(&b, p + 11, 8);     /* HH:MM:SS */
	const uint64_t sep_a = 0xff0000ff00000000ull, sep_b = 0x0000ff0000ff0000ull;
	/* little-endian lanes: byte i is bits 8i..8i+7 */
	if (((digit_lanes(a) & ~sep_a) | (digit_lanes(b) & ~sep_b)) != 0)
		return 0;
	if ((a & sep_a) != 0x2d00002d00000000ull || (b & sep_b) != 0x00003a00003a0000ull)
		return 0;
	return digits(p + 8, 2) && (p[10] == 'T' || p[10] == ' ');
}

static int d2(const char *p)
{
	return (p[0] - '0') * 10 + (p[1] - '0');
}

/* The whole stamp up to its system tag, for the next line. */
static void remember_stamp(struct ap *st)
{
	size_t n = st->msg_at ? (size_t)(st->msg_at - st->stamp) : 0;
	if (n && n <= sizeof st->full_key) {
		memcpy(st->full_key, st->stamp, n);
		st->full_klen = n;
		st->full_ts = st->ts;
	} else {
		st->full_klen = 0;
	}
}

/* The stamp at st->stamp to UTC us, once per line. */
static int64_t line_ts(struct ap *st)
{
	if (st->have_ts)
		return st->ts;
	st->have_ts = 1;
	st->ts = EV_NO_TS;
	const char *p = st->stamp;
	if (!p)
		return st->ts;
	const char *end = st->line + st->len;
	/* one callback logs several lines under one stamp: same bytes, same time */
	if (st->msg_at && st->full_klen && (size_t)(st->msg_at - p) == st->full_klen &&
	    !memcmp(p, st->full_key, st->full_klen)) {
		st->ts = st->full_ts;
		return st->ts;
	}
	int y = d2(p) * 100 + d2(p + 2), mo = d2(p + 5), d = d2(p + 8);
	int h = d2(p + 11), mi = d2(p + 14), s = d2(p + 17), us = 0;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60)
		return st->ts;
	p += 19;
	if (p < end && *p == '.') {
		p++;
		int nd = 0;
		while (p < end && *p >= '0' && *p <= '9') {
			if (nd < 6) {
				us = us * 10 + (*p - '0');
				nd++;
			}
			p++;
		}
		for (; nd < 6; nd++)
			us *= 10;
	}
	/* lines come in bursts within one second: reuse the conversion of the
	 * second (and zone) the previous line had, add the fraction */
	size_t sk = (size_t)(end - st->stamp) < sizeof st->ts_key ? (size_t)(end - st->stamp) : sizeof st->ts_key;
	const char *zend = p;
	while (zend < end && zend - p < 6 && *zend != ' ')
		zend++;
	size_t klen = 19 + (size_t)(zend - p);
	if (klen <= sk && st->ts_klen && klen == st->ts_klen && st->ts_base != EV_NO_TS &&
	    !memcmp(st->stamp, st->ts_key, 19) && !memcmp(p, st->ts_key + 19, klen - 19)) {
		st->ts = st->ts_base + us;
		struct src_clock *c = &st->ctx.in->clock;
		if (c->last_ts == INT64_MIN || st->ts > c->last_ts)
			c->last_ts = st->ts;
		remember_stamp(st);
		return st->ts;
	}
	int64_t base;
	if (p < end && (*p == '+' || *p == '-') && end - p >= 5 && digits(p + 1, 2)) {
		int sign = *p == '-' ? -1 : 1;
		int oh = d2(p + 1), om;
		if (p[3] == ':' && end - p >= 6 && digits(p + 4, 2))
			om = d2(p + 4);
		else if (digits(p + 3, 2))
			om = d2(p + 3);
		else
			om = 0;
		st->ts = clock_stamp_zoned(&st->ctx.in->clock, y, mo, d, h, mi, s, us,
					   sign * (oh * 3600 + om * 60));
		base = st->ts - us;
	} else if (p < end && *p == 'Z') {
		st->ts = clock_stamp_zoned(&st->ctx.in->clock, y, mo, d, h, mi, s, us, 0);
		base = st->ts - us;
	} else {
		/* no zone: the clock decides (year rollover too): no cache */
		st->ts = clock_stamp_local(&st->ctx.in->clock, y, mo, d, h, mi, s, us);
		st->ts_klen = 0;
		return st->ts;
	}
	if (klen <= sizeof st->ts_key) {
		memcpy(st->ts_key, st->stamp, 19);
		memcpy(st->ts_key + 19, p, klen - 19);
		st->ts_klen = klen;
		st->ts_base = base;
	}
	remember_stamp(st);
	return st->ts;
}

/* Split `<stamp> [<system>] <message>`: 0 and *msg set, or -1. */
static int split_record(struct ap *st, const char *p, size_t n, const char **msg)
{
	const char *end = p + n;
	st->stamp = NULL;
	st->msg_at = NULL;
	if (n >= 22 && stamp_shape(p)) {
		const char *q = p + 19;
		/* fraction and zone: at most ".123456789+05:30" */
		const char *lim = q + 17 < end ? q + 17 : end;
		while (q < lim && *q != ' ')
			q++;
		if (q + 2 > end || q[0] != ' ' || q[1] != '[')
			return -1;
		st->stamp = p;
		st->msg_at = q;
		q += 2;
		const char *rb = q;
		for (;;) {
			rb = memchr(rb, ']', (size_t)(end - rb));
			if (!rb)
				return -1;
			if (rb + 1 == end || rb[1] == ' ')
				break;
			rb++;
		}
		*msg = rb + 1 < end ? rb + 2 : end;
		return 0;
	}
	/* connectivity tool stdout: `[info]  message` (level padded to 7) */
	if (st->src == SRC_CONNECTIVITY && n >= 3 && p[0] == '[') {
		const char *rb = memchr(p, ']', n < 12 ? n : 12);
		if (rb) {
			const char *q = rb + 1;
			while (q < end && *q == ' ')
				q++;
			*msg = q;
			return 0;
		}
	}
	return -1;
}

/* ---- emitting ---- */

/* Copy of a raw line with Python bytes literals (packet payloads, State)
 * blanked: such bytes never reach an output. */
/* The next Python bytes literal that looks binary (escapes, or longer
 * than a name): packet bytes, State, MPPE keys. Short plain ones such as
 * b'CN' in a certificate subject are kept. */
static const char *next_bytes_lit(const char *p, const char *from, const char *end)
{
	for (const char *q = from; q + 1 < end; q++) {
		q = memchr(q, 'b', (size_t)(end - q));
		if (!q || q + 1 >= end)
			return NULL;
		if ((q[1] == '\'' || q[1] == '"') &&
		    (q == p || !(((q[-1] | 32) >= 'a' && (q[-1] | 32) <= 'z') ||
				 (q[-1] >= '0' && q[-1] <= '9') || q[-1] == '_'))) {
			const char *r = q + 2;
			int esc = 0;
			while (r < end && *r != q[1]) {
				if (*r == '\\') {
					esc = 1;
					r++;
				}
				r++;
			}
			if (esc || r - q > 66 || r >= end)
				return q;
			q = r < end ? r : end - 1;
		}
	}
	return NULL;
}

static const char *scrub(struct ap *st, const char *p, size_t n, size_t *outn)
{
	const char *b = next_bytes_lit(p, p, p + n);
	if (!b) {
		*outn = n;
		return p;
	}
	sbuf_reset(&st->scratch);
	const char *q = p, *end = p + n;
	int ok = 0;
	while (b) {
		char quote = b[1];
		ok |= sbuf_add(&st->scratch, q, (size_t)(b - q));
		ok |= sbuf_adds(&st->scratch, quote == '\'' ? "b'...'" : "b\"...\"");
		/* the literal ends at the next unescaped quote */
		const char *r = b + 2;
		while (r < end && *r != quote)
			r += *r == '\\' ? 2 : 1;
		q = r < end ? r + 1 : end;
		b = next_bytes_lit(p, q, end);
	}
	ok |= sbuf_add(&st->scratch, q, (size_t)(end - q));
	(void)ok;              /* capped: what fits is kept */
	*outn = st->scratch.len;
	return sbuf_cstr(&st->scratch);
}

static void ev_line_n(struct ap *st, struct ev *e, unsigned kind, size_t rawlen)
{
	ev_init(e, kind, st->src, st->ctx.in->id, st->pos);
	e->ts = line_ts(st);
	/* the stamp and the system tag hold no bytes literal: look after them */
	const char *from = st->msg_at && st->msg_at < st->line + rawlen ? st->msg_at : st->line;
	if (!next_bytes_lit(st->line, from, st->line + rawlen)) {
		e->raw = st->line;
		e->raw_len = rawlen;
		return;
	}
	e->raw = scrub(st, st->line, rawlen, &e->raw_len);
}

static void ev_line(struct ap *st, struct ev *e, unsigned kind)
{
	ev_line_n(st, e, kind, st->len);
}

static void set_req(struct ev *e, const struct req *q)
{
	if (!q)
		return;
	e->nas_ip = q->nas_ip;
	e->nas_port = q->nas_port;
	e->radius_id = q->id;
	e->user = q->user;
}

/* The primary this request went to, for outcome lines about it. */
static void set_primary(struct ev *e, const struct req *q)
{
	if (!q || !q->srv)
		return;
	e->server_ip = q->srv;
	e->server_port = q->srv_port;
}

static void flush_pending(struct ap *st, const char *user);

static void emit(struct ap *st, struct ev *e)
{
	/* the first line naming a request whose primary leg was logged before
	 * its key was known carries that leg's key, so the two join */
	if (st->carry && e->out_id < 0 && e->nas_ip &&
	    (!e->server_ip || e->server_ip == st->carry->srv)) {
		e->server_ip = st->carry->srv;
		e->server_port = st->carry->srv_port;
		e->out_id = st->carry->out_id;
	}
	ev_emit(st->ctx.sink, e);
}

static void flush_pending(struct ap *st, const char *user)
{
	if (!st->pend.live)
		return;
	st->pend.live = 0;
	struct req *q = req_get(st, st->pend.req);
	struct ev e;
	ev_init(&e, EVK_RADIUS_REQUEST, st->src, st->ctx.in->id, st->pend.pos);
	e.ts = st->pend.ts;
	e.from = ROLE_HEADEND;
	e.to = ROLE_PROXY;
	if (q) {
		set_req(&e, q);
		if (user)
			e.user = user;
		e.detail = intern_fmt(st, "id %d from %s:%d", q->id, q->nas_ip, q->nas_port);
	}
	e.raw = sbuf_cstr(&st->pend.raw);
	e.raw_len = st->pend.raw.len;
	emit(st, &e);
}

/* Context: the request a tied or prefixed line named last. */
static void set_cur(struct ap *st, struct req *q)
{
	if (!q)
		return;
	st->cur = req_ref(st, q);
	st->cur_ts = line_ts(st);
	q->ts = st->cur_ts;
}

static struct req *cur_req(struct ap *st)
{
	struct req *q = req_get(st, st->cur);
	if (!q)
		return NULL;
	int64_t now = line_ts(st);
	if (now != EV_NO_TS && st->cur_ts != EV_NO_TS &&
	    (now - st->cur_ts > TIE_US || st->cur_ts - now > TIE_US))
		return NULL;
	return q;
}

static void call_open(struct ap *st, struct req *q, unsigned type)
{
	if (!q)
		return;
	q->calls |= (uint8_t)type;
	rref r = req_ref(st, q);
	for (unsigned i = 0; i < CALL_MAX; i++)
		if (st->calls[i].req == r && st->calls[i].type == type) {
			st->calls[i].ts = line_ts(st);
			return;
		}
	st->calls[st->ncall_next++ % CALL_MAX] = (struct call){r, line_ts(st), (uint8_t)type};
}

/* The login's push has its answer (or the login its final response): the
 * user has one push fewer waiting, for duplicate-push. */
static void push_settled(struct ap *st, struct req *q)
{
	if (!q)
		return;
	struct uent *u = q->user ? user_slot(st, q->user, 0) : NULL;
	if (u && q->push_pending && u->pending > 0)
		u->pending--;
	q->push_pending = 0;
}

static void call_close(struct ap *st, struct req *q, unsigned type)
{
	if (!q || !(q->calls & (type ? type : 0xff)))
		return;
	q->calls &= (uint8_t)~(type ? type : 0xff);
	rref r = req_ref(st, q);
	for (unsigned i = 0; i < CALL_MAX; i++)
		if (st->calls[i].req == r && (!type || (st->calls[i].type & type)))
			st->calls[i].req = 0;
}

/* The request an unprefixed failure of a call of these types belongs to:
 * the oldest such call still open (the calls caught in one outage fail in
 * the order they were made); else the request in context. */
static struct req *call_req(struct ap *st, unsigned types)
{
	int64_t now = line_ts(st);
	struct call *best = NULL;
	for (unsigned i = 0; i < CALL_MAX; i++) {
		struct call *c = &st->calls[i];
		if (!c->req || !(c->type & types) || !req_get(st, c->req))
			continue;
		if (now != EV_NO_TS && c->ts != EV_NO_TS && now - c->ts > CALL_WAIT_US)
			continue;
		if (!best || c->ts < best->ts)
			best = c;
	}
	return best ? req_get(st, best->req) : cur_req(st);
}

static struct req *user_req(struct ap *st, const char *user, int64_t window)
{
	struct uent *u = user ? user_slot(st, user, 0) : NULL;
	if (!u)
		return NULL;
	struct req *q = req_get(st, u->req);
	int64_t now = line_ts(st);
	if (q && now != EV_NO_TS && u->ts != EV_NO_TS && now - u->ts > window)
		return NULL;
	return q;
}

/* ---- message handlers ---- */

static const char *ad_subcode_meaning(const char *code)
{
	static const struct { const char *c, *m; } t[] = {
		{"525", "user not found"}, {"52e", "bad password"},
		{"530", "logon not permitted at this time"},
		{"531", "logon not permitted at this workstation"},
		{"532", "password expired"}, {"533", "account disabled"},
		{"701", "account expired"}, {"773", "user must change password"},
		{"775", "account locked out"},
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++)
		if (!strcmp(t[i].c, code))
			return t[i].m;
	return NULL;
}

/* "..., data 52e, v..." → "52e" (lowercase) when known. */
static const char *ad_subcode(const char *p, size_t n, const char **meaning)
{
	const char *d = find(p, n, "data ");
	*meaning = NULL;
	while (d) {
		const char *q = d + 5, *end = p + n;
		char c[8];
		size_t k = 0;
		while (q < end && k < 7 && ((*q >= '0' && *q <= '9') || ((*q | 32) >= 'a' && (*q | 32) <= 'f'))) {
			c[k++] = (char)(*q >= 'A' ? *q | 32 : *q);
			q++;
		}
		c[k] = 0;
		if (k) {
			const char *m = ad_subcode_meaning(c);
			if (m) {
				*meaning = m;
				return intern(c, k);
			}
		}
		size_t off = (size_t)(d + 5 - p);
		d = off < n ? find(d + 5, n - off, "data ") : NULL;
	}
	return NULL;
}

/* The exception of a traceback: the last non-empty continuation line. */
static void last_line(const char *p, size_t n, const char **lp, size_t *ln)
{
	*lp = NULL;
	*ln = 0;
	while (n) {
		n = rtrim(p, n);
		const char *nl = n ? memrchr(p, '\n', n) : NULL;
		const char *s = nl ? nl + 1 : p;
		size_t sl = (size_t)(p + n - s);
		while (sl && (*s == ' ' || *s == '\t')) {
			s++;
			sl--;
		}
		if (sl) {
			*lp = s;
			*ln = sl;
			return;
		}
		if (!nl)
			return;
		n = (size_t)(nl - p);
	}
}

/* Class of a Duo API failure, from the exception text. */
static const char *api_error_class(const char *p, size_t n)
{
	static const struct { const char *lit, *cls; } t[] = {
		{"DNSLookupError", "dns"}, {"TCPTimedOutError", "tcp-timeout"},
		{"ConnectionRefusedError", "refused"}, {"User timeout caused", "timeout"},
		{"TimeoutError", "timeout"}, {"Certificate verification failed", "tls"},
		{"certificate verify failed", "tls"}, {"SSL", "tls"},
		{"ConnectionLost", "connection-lost"}, {"ResponseNeverReceived", "connection-lost"},
		{"ConnectError", "connect"}, {"NoRouteError", "no-route"},
		{"HTTP Error", "http"}, {"Invalid Remote API Response", "invalid-response"},
		{"Malformed API Response", "invalid-response"},
		{"primary-only mode", "primary-only"}, {"Proxy Error", "http-proxy"},
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++)
		if (find(p, n, t[i].lit))
			return t[i].cls;
	return "other";
}

/* 40101..40103 in an API error → the code; 0 otherwise. */
static int duo_cred_code(const char *p, size_t n)
{
	static const char *const codes[] = {"40101", "40102", "40103"};
	for (int i = 0; i < 3; i++)
		if (find(p, n, codes[i]))
			return 40101 + i;
	return 0;
}

static const char *quoted_word(struct ap *st, const char *p, size_t n)
{
	/* 'auth' → auth */
	if (n >= 2 && (p[0] == '\'' || p[0] == '"')) {
		const char *e = memchr(p + 1, p[0], n - 1);
		if (e)
			return intern(p + 1, (size_t)(e - p - 1));
	}
	(void)st;
	return intern_text(p, n);
}

/* Prefixed or tied Duo/primary outcome lines. q may be NULL. */
static void on_request_msg(struct ap *st, unsigned fam, struct req *q, const char *m,
			   size_t n, size_t ll)
{
	struct ev e;
	const char *end = m + n;
	switch (fam) {
	case F_LOGIN: {
		ev_line(st, &e, EVK_PROXY_LOGIN);
		set_req(&e, q);
		e.detail = kstr(st, "login attempt");
		if (q && q->user) {
			struct uent *u = user_slot(st, q->user, 1);
			u->req = req_ref(st, q);
			u->ts = line_ts(st);
		}
		emit(st, &e);
		return;
	}
	case F_DUPLICATE:
		ev_line(st, &e, EVK_RADIUS_RETRANSMIT);
		set_req(&e, q);
		e.from = ROLE_HEADEND;
		e.to = ROLE_PROXY;
		if (q)
			e.detail = intern_fmt(st, "duplicate id %d from %s:%d", q->id, q->nas_ip, q->nas_port);
		emit(st, &e);
		return;
	case F_RETURNING: {
		const char *p = m + ll;
		long long code = num_at(&p, end, 3);
		if (code == 2 || code == 3)
			call_close(st, q, 0);
		ev_line(st, &e, EVK_RADIUS_RESPONSE);
		set_req(&e, q);
		e.from = ROLE_PROXY;
		e.to = ROLE_HEADEND;
		e.code = (int32_t)code;
		if (p + 2 <= end && p[0] == ':' && p[1] == ' ')
			e.text = intern_text(p + 2, (size_t)(end - p - 2));
		e.detail = e.text ? intern_fmt(st, "code %lld %s", code, e.text)
				  : intern_fmt(st, "code %lld", code);
		if (code == 2 || code == 3)
			push_settled(st, q);
		emit(st, &e);
		return;
	}
	case F_DECODE_PW:
		ev_line(st, &e, EVK_RADIUS_BAD_AUTH);
		set_req(&e, q);
		e.from = ROLE_HEADEND;
		e.to = ROLE_PROXY;
		e.result = kstr(st, "decode-password");
		e.text = kstr(st, "Cannot decode password: the User-Password does not decrypt "
				     "with the radius_secret configured for this client");
		e.detail = kstr(st, "password undecodable: NAS-proxy secret differs");
		emit(st, &e);
		return;
	case F_NO_USERNAME:
		ev_line(st, &e, EVK_PROXY_NOTE);
		set_req(&e, q);
		e.result = kstr(st, "no-username");
		e.text = e.detail = kstr(st, "No username provided");
		emit(st, &e);
		return;
	case F_PROTOCOL:
		ev_line(st, &e, EVK_PROXY_PROTOCOL);
		set_req(&e, q);
		e.text = intern_text(m, n);
		e.detail = kstr(st, "request not usable as PAP");
		emit(st, &e);
		return;
	case F_CHALLENGE_VALID: {
		const char *p = m + ll;
		long long id = num_at(&p, end, 3);
		ev_line(st, &e, EVK_PROXY_NOTE);
		set_req(&e, q);
		e.result = kstr(st, "challenge-answered");
		e.num = id;
		e.detail = intern_fmt(st, "answers challenge of id %lld", id);
		emit(st, &e);
		return;
	}
	case F_CHALLENGE_LOST: {
		/* the State repr after "state" is kept nowhere */
		const char *cut = find(m, n, "! state");
		size_t tn = cut ? (size_t)(cut - m) : n;
		ev_line_n(st, &e, EVK_PROXY_CHALLENGE_LOST, cut ? (size_t)(cut + 1 - st->line) : st->len);
		set_req(&e, q);
		e.text = intern_text(m, tn);
		e.detail = kstr(st, "challenge state unknown to this proxy");
		emit(st, &e);
		return;
	}
	case F_PRIMARY_BADCODE:
		ev_line(st, &e, EVK_PROXY_PRIMARY_ERROR);
		set_req(&e, q);
		e.text = intern_text(m, n);
		e.detail = kstr(st, "unexpected packet from the primary");
		emit(st, &e);
		return;
	case F_PRIMARY_REJECT: {
		const char *why = m + ll;
		call_close(st, q, CALL_AD);
		size_t wn = (size_t)(end - why);
		if (lit_at(why, wn, "No password.")) {
			ev_line(st, &e, EVK_PROXY_PROTOCOL);
			set_req(&e, q);
			e.text = intern_text(m, n);
			e.detail = kstr(st, "no cleartext password for the primary");
		} else if (lit_at(why, wn, "Failed to communicate with any Active Directory")) {
			ev_line(st, &e, EVK_PROXY_PRIMARY_DOWN);
			set_req(&e, q);
			e.result = kstr(st, "all");
			e.text = intern_text(why, wn);
			e.detail = kstr(st, "no AD server reachable");
		} else {
			ev_line(st, &e, EVK_PROXY_PRIMARY_REJECT);
			set_req(&e, q);
			set_primary(&e, q);
			e.from = ROLE_PRIMARY;
			e.to = ROLE_PROXY;
			e.text = intern_text(why, wn);
			e.detail = intern_fmt(st, "rejected: %s", e.text);
		}
		emit(st, &e);
		return;
	}
	case F_PRIMARY_ERROR:
		ev_line(st, &e, EVK_PROXY_PRIMARY_ERROR);
		set_req(&e, q);
		set_primary(&e, q);
		e.text = intern_text(m + ll, (size_t)(end - m - ll));
		e.detail = intern_fmt(st, "primary error: %s", e.text);
		emit(st, &e);
		return;
	case F_PREAUTH_RESULT:
	case F_PREAUTH_RETURNED: {
		/* Got preauth result for: 'auth'   /  Duo preauth returned 'deny': 'status' */
		const char *p = m + ll;
		ev_line(st, &e, EVK_DUO_PREAUTH);
		set_req(&e, q);
		e.from = ROLE_DUO;
		e.to = ROLE_PROXY;
		const char *colon = find(p, (size_t)(end - p), "': ");
		if (!colon)
			colon = find(p, (size_t)(end - p), "\": ");
		e.result = quoted_word(st, p, (size_t)(end - p));
		if (colon && colon + 4 < end) {
			/* 'status' */
			const char *s0 = colon + 3;
			size_t sn = rtrim(s0, (size_t)(end - s0));
			if (sn >= 2 && (s0[0] == '\'' || s0[0] == '"') && s0[sn - 1] == s0[0]) {
				s0++;
				sn -= 2;
			}
			e.text = intern_text(s0, sn);
		} else if (e.result && strcmp(e.result, "auth")) {
			/* authproxy.log has no reason: say where it is */
			e.text = intern_fmt(st, "preauth returned '%s' (the reason is in authevents.log "
					    "and the Duo Authentication Log)", e.result);
		}
		e.detail = intern_fmt(st, "preauth %s", e.result);
		call_close(st, q, CALL_PREAUTH);
		if (q && e.result && !strcmp(e.result, "auth")) {
			q->await_auth = 1;
			st->await_push = req_ref(st, q);
			st->await_ts = line_ts(st);
		}
		emit(st, &e);
		return;
	}
	case F_DUO_AUTH_RETURNED: {
		const char *p = m + ll;
		ev_line(st, &e, EVK_DUO_RESULT);
		set_req(&e, q);
		e.from = ROLE_DUO;
		e.to = ROLE_PROXY;
		e.result = quoted_word(st, p, (size_t)(end - p));
		const char *colon = find(p, (size_t)(end - p), ": ");
		if (colon && colon + 2 < end) {
			const char *s = colon + 2;
			size_t sn = (size_t)(end - s);
			sn = rtrim(s, sn);
			if (sn >= 2 && (s[0] == '\'' || s[0] == '"') && s[sn - 1] == s[0]) {
				s++;
				sn -= 2;
			}
			e.text = intern_text(s, sn);
		}
		e.detail = e.text ? intern_fmt(st, "%s: %s", e.result, e.text)
				  : intern_fmt(st, "%s", e.result);
		call_close(st, q, CALL_DUO);
		push_settled(st, q);
		emit(st, &e);
		return;
	}
	case F_NO_FACTORS:
		ev_line(st, &e, EVK_DUO_RESULT);
		set_req(&e, q);
		e.from = ROLE_DUO;
		e.to = ROLE_PROXY;
		e.result = kstr(st, "deny");
		e.text = intern_text(m, n);
		e.detail = kstr(st, "deny: no usable Duo factor");
		emit(st, &e);
		return;
	case F_ENROLL_PLEASE:
		ev_line(st, &e, EVK_DUO_PREAUTH);
		set_req(&e, q);
		e.from = ROLE_DUO;
		e.to = ROLE_PROXY;
		e.result = kstr(st, "enroll");
		e.text = intern_text(m, n);
		e.detail = kstr(st, "preauth enroll");
		emit(st, &e);
		return;
	case F_FAILMODE_SAFE:
	case F_FAILMODE_SECURE:
	case F_PRIMARY_ONLY:
		call_close(st, q, CALL_DUO);
		ev_line(st, &e, EVK_DUO_FAILMODE);
		set_req(&e, q);
		e.result = intern_cstr(fam == F_FAILMODE_SAFE ? "safe" :
				       fam == F_FAILMODE_SECURE ? "secure" : "primary-only");
		e.text = intern_text(m, n);
		e.detail = intern_cstr(fam == F_FAILMODE_SAFE ? "failmode safe: allowed without Duo" :
				       fam == F_FAILMODE_SECURE ? "failmode secure: denied" :
				       "primary-only mode: Duo bypassed");
		emit(st, &e);
		return;
	case F_EAP_NOTE:
		ev_line(st, &e, EVK_PROXY_NOTE);
		set_req(&e, q);
		e.text = e.detail = intern_text(m, n > 120 ? 120 : n);
		emit(st, &e);
		return;
	}
}

/* `Duo preauth call failed` + traceback: the exception decides the kind. */
static void on_duo_call_failed(struct ap *st, struct req *q, const char *m, size_t n)
{
	const char *x = NULL;
	size_t xn = 0;
	if (st->tail)
		last_line(st->tail, st->tail_len, &x, &xn);
	if (!x) {
		x = m;
		xn = n;
	}
	struct ev e;
	int code = duo_cred_code(x, xn);
	const char *cls = api_error_class(x, xn);
	ev_line(st, &e, code ? EVK_DUO_CREDENTIALS : EVK_DUO_API_ERROR);
	set_req(&e, q);
	e.from = ROLE_DUO;
	e.to = ROLE_PROXY;
	e.code = code ? code : -1;
	e.result = intern_cstr(code ? "credentials" : cls);
	/* the exception without its module path */
	const char *colon = find(x, xn, "Error: ");
	const char *s = x;
	if (colon) {
		const char *dot = x;
		for (const char *p = x; p < colon; p++)
			if (*p == '.')
				dot = p + 1;
		s = dot;
	}
	size_t sn = (size_t)(x + xn - s);
	size_t sn2 = 0;
	const char *s2 = scrub(st, s, sn, &sn2);
	e.text = intern_text(s2, sn2);
	size_t hn = 0;
	const char *head = m;
	hn = rtrim(m, n);
	e.detail = intern_fmt(st, "%.*s: %s", (int)(hn > 60 ? 60 : hn), head,
			      code ? "credentials rejected" : cls);
	/* evidence: the head line and the exception */
	sbuf_reset(&st->tmp);
	int bad = sbuf_add(&st->tmp, st->line, st->len);
	if (st->tail)
		bad |= sbuf_adds(&st->tmp, " | ") | sbuf_add(&st->tmp, s2, sn2);
	(void)bad;
	e.raw = sbuf_cstr(&st->tmp);
	e.raw_len = st->tmp.len;
	emit(st, &e);
}

/* http POST to https://host:443/rest/v1/preauth[: body] */
static void on_http_post(struct ap *st, const char *m, size_t n, size_t ll)
{
	const char *url = m + ll, *end = m + n;
	const char *rest = find(url, (size_t)(end - url), "/rest/v1/");
	if (!rest)
		rest = find(url, (size_t)(end - url), "/auth/v2/");
	if (!rest)
		return;
	const char *ep = rest + 9;
	size_t epn = 0;
	while (ep + epn < end && ep[epn] != ':' && ep[epn] != ' ' && ep[epn] != '?' && ep[epn] != '\'')
		epn++;
	int preauth = epn == 7 && !memcmp(ep, "preauth", 7);
	int auth = epn == 4 && !memcmp(ep, "auth", 4);
	if (!preauth && !auth)
		return;
	/* debug bodies: user=...&factor=... (never kept: passcodes live here) */
	const char *body = ep + epn < end && ep[epn] == ':' ? ep + epn + 1 : NULL;
	const char *user = NULL, *factor = NULL;
	if (body) {
		char ub[256];
		const char *u = find(body, (size_t)(end - body), "user=");
		if (u && (u == body || u[-1] == '&' || u[-1] == ' ')) {
			size_t k = 0;
			for (const char *p = u + 5; p < end && *p != '&' && *p != ' ' && k + 1 < sizeof ub; p++) {
				if (*p == '%' && p + 2 < end) {
					char hx[3] = {p[1], p[2], 0};
					ub[k++] = (char)strtol(hx, NULL, 16);
					p += 2;
				} else {
					ub[k++] = *p == '+' ? ' ' : *p;
				}
			}
			user = intern(ub, k);
		}
		const char *f = find(body, (size_t)(end - body), "factor=");
		if (f) {
			size_t k = 0;
			while (f + 7 + k < end && f[7 + k] != '&' && f[7 + k] != ' ' && k < 16)
				k++;
			factor = intern(f + 7, k);
		}
	}
	struct req *q = NULL;
	if (user)
		q = user_req(st, user, USER_TIE_US);
	if (!q && auth) {
		q = req_get(st, st->await_push);
		int64_t now = line_ts(st);
		if (q && (!q->await_auth || (now != EV_NO_TS && st->await_ts != EV_NO_TS &&
					     now - st->await_ts > TIE_US)))
			q = NULL;
	}
	if (!q)
		q = cur_req(st);
	struct ev e;
	/* evidence stops at the URL: the body may hold a passcode */
	ev_line_n(st, &e, preauth ? EVK_DUO_PREAUTH_REQUEST : EVK_DUO_AUTH_REQUEST,
		  body ? (size_t)(body - 1 - st->line) : st->len);
	set_req(&e, q);
	if (!e.user)
		e.user = user;
	e.from = ROLE_PROXY;
	e.to = ROLE_DUO;
	if (preauth) {
		e.detail = kstr(st, "preauth call");
	} else {
		e.result = factor;
		e.detail = factor ? intern_fmt(st, "auth call (factor %s)", factor)
				  : kstr(st, "auth call (push)");
		if (q) {
			q->await_auth = 0;
			if (q->user) {
				struct uent *u = user_slot(st, q->user, 1);
				int64_t now = line_ts(st);
				if (now != EV_NO_TS && u->push_ts != EV_NO_TS && u->pending &&
				    now - u->push_ts > PUSH_WAIT_US)
					u->pending = 0;
				if (!q->push_pending)
					u->pending++;
				u->push_ts = now;
				e.num = u->pending;
			}
			q->push_pending = 1;
		}
	}
	call_close(st, q, CALL_AD);
	call_open(st, q, preauth ? CALL_PREAUTH : CALL_AUTH);
	set_cur(st, q);
	emit(st, &e);
}

/* Sending request for user 'u' to ('ip', port) with id N
 * Sending proxied request for id I to ('ip', port) with id N */
static void on_primary_send(struct ap *st, unsigned fam, const char *m, size_t n, size_t ll)
{
	const char *p = m + ll, *end = m + n;
	struct req *q = NULL;
	const char *user = NULL;
	long long in_id = -1;
	if (fam == F_SEND_PRIMARY) {
		char ub[512];
		int k = py_unrepr(&p, end, ub, sizeof ub);
		if (k < 0)
			return;
		user = intern(ub, (size_t)k);
		q = user_req(st, user, USER_TIE_US);
	} else {
		in_id = num_at(&p, end, 3);
		if (in_id < 0 || in_id > 255)
			return;
		q = req_get(st, st->by_id[in_id]);
	}
	if (!lit_at(p, (size_t)(end - p), " to "))
		return;
	p += 4;
	const char *ip;
	size_t iplen;
	int32_t port;
	if (tuple_at(&p, end, &ip, &iplen, &port) || !lit_at(p, (size_t)(end - p), " with id "))
		return;
	p += 9;
	long long out = num_at(&p, end, 3);
	if (out < 0 || out > 255)
		return;
	const char *srv = ispan(st, ip, iplen);
	struct ev e;
	ev_line(st, &e, EVK_PROXY_PRIMARY_REQ);
	set_req(&e, q);
	if (!e.user)
		e.user = user;
	e.from = ROLE_PROXY;
	e.to = ROLE_PRIMARY;
	e.server_ip = srv;
	e.server_port = port;
	e.out_id = (int32_t)out;
	e.detail = in_id >= 0 ? intern_fmt(st, "id %lld to %s:%d (proxied id %lld)", out, srv, port, in_id)
			      : intern_fmt(st, "id %lld to %s:%d", out, srv, port);
	if (q) {
		q->srv = srv;
		q->srv_port = port;
	}
	struct oent *o = out_slot(st, srv, (int32_t)out, 1);
	o->srv_port = port;
	o->in_id = (int32_t)in_id;
	o->user = user;
	o->req = q ? req_ref(st, q) : 0;
	o->ts = line_ts(st);
	o->answered = 0;
	struct srv *sv = srv_get(st, srv, 1);
	if (sv)
		sv->last_out = (uint32_t)(o - st->outs) + 1;
	set_cur(st, q);
	emit(st, &e);
}

/* Got response for id N from ('ip', port); code C
 * Request timeout for (outgoing) id N to ('ip', port) */
static void on_primary_answer(struct ap *st, unsigned fam, const char *m, size_t n, size_t ll)
{
	const char *p = m + ll, *end = m + n;
	long long out = num_at(&p, end, 3);
	const char *sep = fam == F_GOT_RESPONSE ? " from " : " to ";
	if (out < 0 || out > 255 || !lit_at(p, (size_t)(end - p), sep))
		return;
	p += strlen(sep);
	const char *ip;
	size_t iplen;
	int32_t port;
	if (tuple_at(&p, end, &ip, &iplen, &port))
		return;
	long long code = -1;
	if (fam == F_GOT_RESPONSE) {
		if (!lit_at(p, (size_t)(end - p), "; code "))
			return;
		p += 7;
		code = num_at(&p, end, 3);
	}
	const char *srv = ispan(st, ip, iplen);
	struct oent *o = out_slot(st, srv, (int32_t)out, 0);
	struct req *q = o ? req_get(st, o->req) : NULL;
	if (o)
		o->answered = 1;
	struct ev e;
	ev_line(st, &e, fam == F_GOT_RESPONSE ? EVK_PROXY_PRIMARY_RESP : EVK_PROXY_PRIMARY_TIMEOUT);
	set_req(&e, q);
	e.server_ip = srv;
	e.server_port = port;
	e.out_id = (int32_t)out;
	if (fam == F_GOT_RESPONSE) {
		e.from = ROLE_PRIMARY;
		e.to = ROLE_PROXY;
		e.code = (int32_t)code;
		e.detail = intern_fmt(st, "code %lld from %s:%d", code, srv, port);
	} else {
		e.detail = intern_fmt(st, "no answer from %s:%d to id %lld", srv, port, out);
		e.text = kstr(st, "Request timeout for (outgoing) id");
	}
	set_cur(st, q);
	emit(st, &e);
}

/* dropping packet from <ip>:<port> - <reason> */
static void on_dropping(struct ap *st, const char *m, size_t n, size_t ll)
{
	const char *p = m + ll, *end = m + n;
	const char *dash = find(p, (size_t)(end - p), " - ");
	if (!dash)
		return;
	const char *colon = memrchr(p, ':', (size_t)(dash - p));
	if (!colon)
		return;
	const char *pp = colon + 1;
	long long port = num_at(&pp, dash, 5);
	const char *ip = ispan(st, p, (size_t)(colon - p));
	const char *why = dash + 3;
	size_t wn = (size_t)(end - why);
	struct ev e;
	int primary_leg = srv_get(st, ip, 0) != NULL;
	if (lit_at(why, wn, "Invalid Message-Authenticator") ||
	    lit_at(why, wn, "response packet has invalid authenticator")) {
		int resp = why[0] == 'r';
		if (resp)
			primary_leg = 1;
		else if (!primary_leg && (port == 1812 || port == 1645) && st->nsrv)
			primary_leg = 0;   /* a NAS may send from 1645 too: only known servers count */
		ev_line(st, &e, EVK_RADIUS_BAD_AUTH);
		e.result = intern_cstr(resp ? "response-authenticator" : "message-authenticator");
		if (primary_leg) {
			e.from = ROLE_PRIMARY;
			e.to = ROLE_PROXY;
			e.server_ip = ip;
			e.server_port = (int32_t)port;
			/* the reply belongs to the latest unanswered request to that server */
			struct srv *sv = srv_get(st, ip, 0);
			struct oent *o = sv && sv->last_out ? &st->outs[sv->last_out - 1] : NULL;
			if (o && o->srv == ip && !o->answered) {
				struct req *q = req_get(st, o->req);
				set_req(&e, q);
				e.out_id = o->out_id;
			}
			e.text = intern_cstr(resp ? "the primary's replies fail the authenticator check "
						    "(response packet has invalid authenticator)"
						  : "the primary's replies fail the Message-Authenticator check");
			e.detail = intern_fmt(st, "reply from %s:%lld fails the secret check", ip, port);
		} else {
			e.from = ROLE_HEADEND;
			e.to = ROLE_PROXY;
			e.nas_ip = ip;
			e.nas_port = (int32_t)port;
			e.text = kstr(st, "the NAS's requests fail the Message-Authenticator check");
			e.detail = intern_fmt(st, "request from %s:%lld fails the secret check", ip, port);
		}
		emit(st, &e);
		return;
	}
	ev_line(st, &e, EVK_PROXY_DROPPED);
	const char *cls = "other";
	if (lit_at(why, wn, "Unknown Client"))
		cls = "unknown-client";
	else if (lit_at(why, wn, "response packet from unknown address"))
		cls = "unknown-address";
	else if (lit_at(why, wn, "unrecognized id in response packet"))
		cls = "late-response";
	else if (lit_at(why, wn, "non-AccessRequest packet"))
		cls = "not-access-request";
	else if (lit_at(why, wn, "Packet ") || lit_at(why, wn, "Attribute "))
		cls = "malformed";
	e.result = intern_cstr(cls);
	if (primary_leg || !strcmp(cls, "unknown-address") || !strcmp(cls, "late-response")) {
		e.from = ROLE_PRIMARY;
		e.to = ROLE_PROXY;
		e.server_ip = ip;
		e.server_port = (int32_t)port;
	} else {
		e.from = ROLE_HEADEND;
		e.to = ROLE_PROXY;
		e.nas_ip = ip;
		e.nas_port = (int32_t)port;
	}
	e.text = intern_text(why, wn);
	e.detail = intern_fmt(st, "dropped from %s:%lld: %s", ip, port, cls);
	emit(st, &e);
}

/* Lines about AD and TLS carry no prefix: they join the request in context
 * (or the user they name). */
static void on_context_msg(struct ap *st, unsigned fam, const char *m, size_t n, size_t ll,
			   struct req *pq)
{
	const char *end = m + n;
	struct req *q = pq;         /* the prefix's request, when the line had one */
	struct ev e;
	switch (fam) {
	case F_AD_SEND: {
		/* Sending AD authentication request for 'u' to 'host' */
		const char *p = m + ll;
		char ub[512], hb[256];
		int k = py_unrepr(&p, end, ub, sizeof ub);
		if (k < 0)
			return;
		const char *user = intern(ub, (size_t)k);
		if (!q)
			q = user_req(st, user, USER_TIE_US);
		const char *host = NULL;
		if (lit_at(p, (size_t)(end - p), " to ")) {
			p += 4;
			int hk = py_unrepr(&p, end, hb, sizeof hb);
			if (hk >= 0)
				host = intern(hb, (size_t)hk);
		}
		ev_line(st, &e, EVK_PROXY_PRIMARY_REQ);
		set_req(&e, q);
		if (!e.user)
			e.user = user;
		e.from = ROLE_PROXY;
		e.to = ROLE_PRIMARY;
		e.server_ip = host;
		if (q && host) {
			q->srv = host;
			q->srv_port = -1;
		}
		call_open(st, q, CALL_AD);
		e.detail = intern_fmt(st, "AD bind for %s to %s", user, host ? host : "?");
		set_cur(st, q);
		emit(st, &e);
		return;
	}
	case F_AD_FALLBACK: {
		if (!q)
			q = call_req(st, CALL_AD);
		ev_line(st, &e, EVK_RADIUS_FAILOVER);
		set_req(&e, q);
		e.from = ROLE_PROXY;
		e.to = ROLE_PRIMARY;
		const char *p = find(m, n, " to '");
		if (p) {
			p += 4;
			char hb[256];
			int hk = py_unrepr(&p, end, hb, sizeof hb);
			if (hk >= 0)
				e.server_ip = intern(hb, (size_t)hk);
		}
		e.text = intern_text(m, n);
		e.detail = intern_fmt(st, "AD host %s failed: next host", e.server_ip ? e.server_ip : "?");
		emit(st, &e);
		return;
	}
	case F_AD_CONN_FAILED:
	case F_AD_CLOSED:
	case F_AD_SEARCH_FAILED: {
		if (!q)
			q = call_req(st, CALL_AD);
		ev_line(st, &e, EVK_PROXY_PRIMARY_ERROR);
		set_req(&e, q);
		const char *x = m;
		size_t xn = n;
		if (fam == F_AD_CONN_FAILED) {
			/* the Failure repr names the error class */
			static const char *const errs[] = {
				"TCPTimedOutError", "ConnectionRefusedError", "DNSLookupError",
				"User timeout caused connection failure", "NoRouteError",
				"ConnectError", "timed out",
			};
			for (size_t i = 0; i < sizeof errs / sizeof *errs; i++)
				if (find(m, n, errs[i]) || (st->tail && find(st->tail, st->tail_len, errs[i]))) {
					e.result = intern_cstr(errs[i]);
					break;
				}
		}
		e.text = intern_text(x, xn);
		e.detail = fam == F_AD_SEARCH_FAILED ? kstr(st, "AD search failed")
			 : e.result ? intern_fmt(st, "AD connection failed: %s", e.result)
				    : kstr(st, "AD connection failed");
		emit(st, &e);
		return;
	}
	case F_AD_NO_FALLBACK:
		if (!q)
			q = call_req(st, CALL_AD);
		ev_line(st, &e, EVK_PROXY_PRIMARY_DOWN);
		set_req(&e, q);
		e.result = kstr(st, "all");
		e.text = intern_text(m, n);
		e.detail = kstr(st, "no AD server left to try");
		emit(st, &e);
		return;
	case F_AD_BIND_FAILED: {
		if (!q)
			q = call_req(st, CALL_AD);
		ev_line(st, &e, EVK_PROXY_AD_BIND_FAILED);
		set_req(&e, q);
		const char *meaning;
		e.result = ad_subcode(m, n, &meaning);
		e.text = intern_text(m, n);
		e.detail = meaning ? intern_fmt(st, "service account bind failed: %s", meaning)
				   : kstr(st, "service account bind failed");
		emit(st, &e);
		return;
	}
	case F_AD_AUTH_FAILED: {
		if (!q)
			q = call_req(st, CALL_AD);
		ev_line(st, &e, EVK_PROXY_AD_AUTH_FAILED);
		set_req(&e, q);
		const char *meaning;
		const char *code = ad_subcode(m, n, &meaning);
		e.result = code;
		e.text = meaning ? intern_fmt(st, "%s (AD data %s)", meaning, code) : intern_text(m, n);
		e.detail = meaning ? intern_fmt(st, "AD refused the user: %s", meaning)
				   : kstr(st, "AD refused the user");
		emit(st, &e);
		return;
	}
	case F_INVALID_IP:
	case F_NO_USER_IP:
		if (!q)
			q = cur_req(st);
		ev_line(st, &e, EVK_PROXY_CLIENT_IP);
		set_req(&e, q);
		if (fam == F_INVALID_IP) {
			const char *p = m + ll;
			while (p < end && (*p == ':' || *p == ' '))
				p++;
			size_t vn = rtrim(p, (size_t)(end - p));
			if (vn && p[vn - 1] == '.')
				vn--;
			e.calling_station = intern_text(p, vn);
			e.text = intern_text(m, n);
			e.detail = intern_fmt(st, "client IP attribute not an IP: %s", e.calling_station);
		} else {
			e.text = intern_text(m, n);
			e.detail = kstr(st, "no client IP sent to Duo");
		}
		emit(st, &e);
		return;
	case F_CERT_FAILED:
		if (!q)
			q = call_req(st, CALL_DUO);
		ev_line(st, &e, EVK_PROXY_TLS_FAILED);
		set_req(&e, q);
		e.text = intern_text(m, n);
		e.detail = kstr(st, "certificate verification failed");
		emit(st, &e);
		return;
	case F_TLS_INBOUND:
		ev_line(st, &e, EVK_PROXY_NOTE);
		e.result = kstr(st, "tls-inbound");
		e.text = e.detail = intern_text(m, n > 160 ? 160 : n);
		emit(st, &e);
		return;
	}
}

/* Connectivity tool verdicts and configuration errors: no login, no keys. */
static void on_tool_msg(struct ap *st, unsigned fam, const char *m, size_t n)
{
	struct ev e;
	unsigned kind;
	const char *res = NULL, *det;
	switch (fam) {
	case F_CT_API_CREDS: kind = EVK_DUO_CREDENTIALS; det = "connectivity: API credentials rejected"; break;
	case F_CT_PING: kind = EVK_DUO_API_ERROR; res = "unreachable"; det = "connectivity: Duo not reachable"; break;
	case F_CT_BIND: kind = EVK_PROXY_AD_BIND_FAILED; det = "connectivity: service account bind failed"; break;
	case F_CT_CONNECT: case F_CT_LDAP_CONNECT:
		kind = EVK_PROXY_PRIMARY_DOWN; res = "connect"; det = "connectivity: primary not reachable"; break;
	case F_CT_RADIUS: kind = EVK_PROXY_NOTE; res = "radius-unconfirmed"; det = "connectivity: RADIUS primary unconfirmed"; break;
	case F_CT_DRIFT: kind = EVK_PROXY_NOTE; res = "time-drift"; det = "connectivity: clock drift to Duo"; break;
	case F_CT_SEARCH: kind = EVK_PROXY_PRIMARY_ERROR; res = "search"; det = "connectivity: AD search found no users"; break;
	case F_CT_PORT: case F_CT_SKEY: case F_CONFIG_ERROR:
		kind = EVK_PROXY_CONFIG_ERROR; det = "configuration error"; break;
	case F_STARTUP:
		kind = EVK_PROXY_STARTUP; det = "proxy started"; break;
	default:
		return;
	}
	ev_line(st, &e, kind);
	e.result = res ? intern_cstr(res) : NULL;
	e.text = intern_text(m, n);
	e.detail = intern_cstr(det);
	emit(st, &e);
}

/* ---- the prefix `(('ip', port), user, id): ` ---- */

struct prefix {
	const char *ip;
	size_t iplen;
	int32_t port, id;
	const char *user;           /* span, NULL when absent */
	size_t ulen;
	const char *msg;
	size_t mlen;
	unsigned fam;
	size_t ll;
};

/* Candidates are every `, <1-3 digits>): ` after the tuple (the username is
 * free text). Prefer the last one whose message is a known family and whose
 * key is a request in flight, then the last known family, then the last. */
static int parse_prefix(struct ap *st, const char *m, size_t n, struct prefix *px)
{
	const char *p = m + 1, *end = m + n;
	if (tuple_at(&p, end, &px->ip, &px->iplen, &px->port) || end - p < 5 ||
	    p[0] != ',' || p[1] != ' ')
		return -1;
	p += 2;
	const char *ustart = p;
	/* no-username form (4.x UnicodeEncodeError): `((ip, port), id): msg` */
	struct cand { const char *at, *msg; int32_t id; } c[16];
	int nc = 0;
	{
		const char *q = p;
		long long id = num_at(&q, end, 3);
		if (id >= 0 && end - q >= 3 && q[0] == ')' && q[1] == ':' && q[2] == ' ')
			c[nc++] = (struct cand){NULL, q + 3, (int32_t)id};
	}
	for (const char *q = p; q < end && nc < 16;) {
		const char *r = find(q, (size_t)(end - q), "): ");
		if (!r)
			break;
		const char *d = r;
		while (d > ustart && d[-1] >= '0' && d[-1] <= '9' && r - d < 4)
			d--;
		if (r - d >= 1 && r - d <= 3 && d - ustart >= 2 && d[-2] == ',' && d[-1] == ' ') {
			const char *dd = d;
			long long id = num_at(&dd, r, 3);
			if (id >= 0 && id <= 255)
				c[nc++] = (struct cand){d - 2, r + 3, (int32_t)id};
		}
		q = r + 3;
	}
	if (!nc)
		return -1;
	const char *ip = NULL;
	int best = -1, best_known = -1;
	for (int i = nc - 1; i >= 0; i--) {
		size_t ll = 0;
		unsigned f = classify(c[i].msg, (size_t)(end - c[i].msg), &ll);
		if (f == F_NONE)
			continue;
		if (best_known < 0)
			best_known = i;
		if (!ip)
			ip = ispan(st, px->ip, px->iplen);
		if (req_find(st, ip, px->port, c[i].id)) {
			best = i;
			break;
		}
	}
	int pick = best >= 0 ? best : best_known >= 0 ? best_known : nc - 1;
	px->id = c[pick].id;
	px->msg = c[pick].msg;
	px->mlen = (size_t)(end - c[pick].msg);
	if (c[pick].at) {
		px->user = ustart;
		px->ulen = (size_t)(c[pick].at - ustart);
		if (px->ulen == 4 && !memcmp(ustart, "None", 4))
			px->user = NULL;
	} else {
		px->user = NULL;
		px->ulen = 0;
	}
	px->ll = 0;
	px->fam = classify(px->msg, px->mlen, &px->ll);
	return 0;
}

static void on_prefixed(struct ap *st, const char *m, size_t n)
{
	struct prefix px;
	if (parse_prefix(st, m, n, &px)) {
		if (st->ndamage++ < MAX_DAMAGE)
			format_damage(&st->ctx, IE_INVALID, st->pos, "unreadable request prefix");
		return;
	}
	const char *ip = ispan(st, px.ip, px.iplen);
	const char *user = px.user && px.ulen ? ispan(st, px.user, px.ulen) : NULL;
	int64_t ts = line_ts(st);
	struct req *q = req_find(st, ip, px.port, px.id);
	if (st->pend.live) {
		struct req *pq = req_get(st, st->pend.req);
		flush_pending(st, pq == q ? user : NULL);
	}
	int fresh = !q;
	q = req_for_prefix(st, ip, px.port, px.id, user, ts);
	if (fresh) {
		/* a primary request logged before this request's key was seen
		 * (the log starts mid-login): adopt it */
		for (int i = 0; i < st->nsrv; i++) {
			struct oent *o = st->srv[i].last_out ? &st->outs[st->srv[i].last_out - 1] : NULL;
			if (!o || o->srv != st->srv[i].ip || req_get(st, o->req))
				continue;
			if (ts != EV_NO_TS && o->ts != EV_NO_TS && ts - o->ts > USER_TIE_US)
				continue;
			if (o->in_id == px.id || (user && o->user == user)) {
				o->req = req_ref(st, q);
				q->srv = o->srv;
				q->srv_port = o->srv_port;
				st->carry = o;
				break;
			}
		}
	}
	set_cur(st, q);
	switch (px.fam) {
	case F_NONE: case F_NOISE: case F_SKIP:
		return;
	case F_DUO_CALL_FAILED:
		on_duo_call_failed(st, q, px.msg, px.mlen);
		return;
	case F_INVALID_IP: case F_NO_USER_IP: case F_CERT_FAILED:
	case F_AD_CONN_FAILED: case F_AD_CLOSED: case F_AD_BIND_FAILED:
	case F_AD_SEARCH_FAILED: case F_AD_NO_FALLBACK: case F_AD_AUTH_FAILED:
		on_context_msg(st, px.fam, px.msg, px.mlen, px.ll, q);
		return;
	default:
		on_request_msg(st, px.fam, q, px.msg, px.mlen, px.ll);
	}
}

/* Received new request id N from ('ip', port) */
static void on_new_request(struct ap *st, const char *m, size_t n, size_t ll)
{
	const char *p = m + ll, *end = m + n;
	long long id = num_at(&p, end, 3);
	const char *ip;
	size_t iplen;
	int32_t port;
	if (id < 0 || id > 255 || !lit_at(p, (size_t)(end - p), " from "))
		return;
	p += 6;
	if (tuple_at(&p, end, &ip, &iplen, &port))
		return;
	flush_pending(st, NULL);
	struct req *q = req_new(st, ispan(st, ip, iplen), port, (int32_t)id, line_ts(st));
	st->pend.live = 1;
	st->pend.req = req_ref(st, q);
	st->pend.ts = line_ts(st);
	st->pend.pos = st->pos;
	sbuf_reset(&st->pend.raw);
	size_t rn;
	const char *raw = scrub(st, st->line, st->len, &rn);
	if (sbuf_add(&st->pend.raw, raw, rn)) {
		/* capped: what fits is kept */
	}
	set_cur(st, q);
}

static void on_message(struct ap *st, const char *m, size_t n, int depth)
{
	size_t ll = st->pre_ll;
	unsigned fam = st->pre_fam;       /* ap_line classified the line already */
	if (depth || ll > n)
		fam = classify(m, n, &ll);
	if (fam == F_NOISE)
		return;
	if (fam == F_NONE) {
		if (n >= 4 && m[0] == '(' && m[1] == '(') {
			on_prefixed(st, m, n);
			return;
		}
		/* 4.x log.err('string') logs the repr: strip the quotes */
		if (depth == 0 && n >= 2 && (m[0] == '\'' || m[0] == '"') && m[n - 1] == m[0]) {
			on_message(st, m + 1, n - 2, 1);
			return;
		}
		const char *x = find(m, n, " Rejected due to password expiration");
		if (x) {
			const char *user = intern(m, (size_t)(x - m));
			struct req *q = user_req(st, user, USER_TIE_US);
			struct ev e;
			ev_line(st, &e, EVK_PROXY_AD_AUTH_FAILED);
			set_req(&e, q);
			if (!e.user)
				e.user = user;
			e.result = kstr(st, "532");
			e.text = kstr(st, "password expired (MS-CHAP E=648)");
			e.detail = kstr(st, "password expired");
			flush_pending(st, NULL);
			emit(st, &e);
		}
		return;
	}
	switch (fam) {
	case F_SKIP:
		return;
	case F_PACKET_DUMP:
		st->after_dump = 1;
		return;
	case F_PACKET_BYTES:
		return;
	case F_NEW_REQUEST:
		on_new_request(st, m, n, ll);
		return;
	}
	/* anything else that makes an event lets the waiting request go */
	if (st->pend.live)
		flush_pending(st, NULL);
	switch (fam) {
	case F_SEND_PRIMARY: case F_SEND_PROXIED:
		on_primary_send(st, fam, m, n, ll);
		return;
	case F_GOT_RESPONSE: case F_OUT_TIMEOUT:
		on_primary_answer(st, fam, m, n, ll);
		return;
	case F_DROPPING:
		on_dropping(st, m, n, ll);
		return;
	case F_HTTP_POST:
		on_http_post(st, m, n, ll);
		return;
	case F_DUO_CALL_FAILED:
		on_duo_call_failed(st, call_req(st, lit_at(m, n, "Duo preauth") ? CALL_PREAUTH :
						lit_at(m, n, "Duo auth") ? CALL_AUTH : CALL_DUO), m, n);
		return;
	case F_AD_SEND: case F_AD_FALLBACK: case F_AD_CONN_FAILED: case F_AD_CLOSED:
	case F_AD_SEARCH_FAILED: case F_AD_NO_FALLBACK: case F_AD_BIND_FAILED:
	case F_AD_AUTH_FAILED: case F_INVALID_IP: case F_NO_USER_IP: case F_CERT_FAILED:
	case F_TLS_INBOUND:
		on_context_msg(st, fam, m, n, ll, NULL);
		return;
	case F_UNHANDLED: {
		/* unhandled error processing request from ip:port + traceback: no reply */
		const char *p = m + ll, *end = m + n;
		const char *colon = memrchr(p, ':', (size_t)(end - p));
		struct ev e;
		ev_line(st, &e, EVK_PROXY_NOTE);
		e.result = kstr(st, "unhandled-error");
		if (colon) {
			const char *pp = colon + 1;
			long long port = num_at(&pp, end, 5);
			e.nas_ip = ispan(st, p, (size_t)(colon - p));
			e.nas_port = (int32_t)port;
		}
		const char *x = NULL;
		size_t xn = 0;
		if (st->tail)
			last_line(st->tail, st->tail_len, &x, &xn);
		if (x) {
			size_t sn;
			const char *s = scrub(st, x, xn, &sn);
			e.text = intern_text(s, sn);
		}
		e.raw = scrub(st, st->line, st->len, &e.raw_len);
		e.detail = kstr(st, "unhandled error: no reply sent");
		emit(st, &e);
		return;
	}
	case F_STARTUP:
		if (!find(m, n, "Init Complete"))
			return;
		on_tool_msg(st, fam, m, n);
		return;
	case F_CT_SECTION:
		return;
	case F_CONFIG_ERROR: case F_CT_API_CREDS: case F_CT_PING: case F_CT_BIND:
	case F_CT_CONNECT: case F_CT_LDAP_CONNECT: case F_CT_RADIUS: case F_CT_PORT:
	case F_CT_DRIFT: case F_CT_SKEY: case F_CT_SEARCH:
		on_tool_msg(st, fam, m, n);
		return;
	default:
		/* a prefixed family logged without its prefix: join the context */
		on_request_msg(st, fam, cur_req(st), m, n, ll);
		return;
	}
}

/* ---- format glue ---- */

static void *ap_open_kind(const struct format_ctx *ctx, unsigned src)
{
	buckets_init();
	struct ap *st = xcalloc(1, sizeof *st);
	st->ctx = *ctx;
	st->src = src;
	st->reqs = xcalloc(REQ_CAP, sizeof *st->reqs);
	st->users = xcalloc(USER_CAP, sizeof *st->users);
	st->outs = xcalloc(OUT_CAP, sizeof *st->outs);
	st->cur_ts = EV_NO_TS;
	sbuf_init(&st->scratch, 1u << 20);
	sbuf_init(&st->tmp, 1u << 20);
	sbuf_init(&st->pend.raw, 1u << 20);
	return st;
}

static void *ap_open(const struct format_ctx *ctx)
{
	return ap_open_kind(ctx, SRC_AUTHPROXY_LOG);
}

static void *ct_open(const struct format_ctx *ctx)
{
	return ap_open_kind(ctx, SRC_CONNECTIVITY);
}

static void ap_line(void *vst, const char *rec, size_t len, uint64_t lineno)
{
	struct ap *st = vst;
	st->line = rec;
	st->len = len;
	st->tail = NULL;
	st->tail_len = 0;
	st->pos = lineno;
	st->have_ts = 0;
	const char *msg;
	int bad = split_record(st, rec, len, &msg);
	/* noise is decided by its literal before the record is looked at
	 * further (the '\n' of continuation lines included) */
	st->pre_fam = F_NONE;
	st->pre_ll = 0;
	if (!bad) {
		st->pre_fam = classify(msg, (size_t)(rec + len - msg), &st->pre_ll);
		if (st->pre_fam == F_NOISE && !st->after_dump)
			return;
	}
	const char *nl = memchr(rec, '\n', len);
	size_t first = nl ? (size_t)(nl - rec) : len;
	st->len = first;
	st->tail = nl ? nl + 1 : NULL;
	st->tail_len = nl ? len - first - 1 : 0;
	if (!bad && msg > rec + first)
		bad = 1;        /* the stamp's line had no message */
	if (bad) {
		/* a bare payload line after a packet dump header, or a blank line */
		size_t t = rtrim(rec, first);
		if (!t || (t >= 2 && rec[0] == 'b' && (rec[1] == '\'' || rec[1] == '"')) ||
		    st->after_dump) {
			st->after_dump = 0;
			return;
		}
		if (st->src == SRC_CONNECTIVITY)
			return;     /* the tool prints free text around its verdicts */
		if (st->ndamage++ < MAX_DAMAGE)
			format_damage(&st->ctx, IE_INVALID, lineno, "not an authproxy.log record");
		else
			input_error(st->ctx.in, IE_INVALID, lineno, "not an authproxy.log record");
		return;
	}
	size_t mn = (size_t)(rec + first - msg);
	if (st->after_dump) {
		st->after_dump = 0;
		if (mn >= 2 && msg[0] == 'b' && (msg[1] == '\'' || msg[1] == '"'))
			return;
	}
	on_message(st, msg, rtrim(msg, mn), 0);
	st->carry = NULL;
}

static void ap_close(void *vst)
{
	struct ap *st = vst;
	if (!st)
		return;
	flush_pending(st, NULL);
	sbuf_free(&st->scratch);
	sbuf_free(&st->tmp);
	sbuf_free(&st->pend.raw);
	free(st->reqs);
	free(st->users);
	free(st->outs);
	free(st);
}

/* ---- sniffing ---- */

static int head_has(const uint8_t *h, size_t n, const char *lit)
{
	return memmem(h, n, lit, strlen(lit)) != NULL;
}

/* Lines of the shape `YYYY-MM-DD[T ]HH:MM:SS... [` among the first ones. */
static int stamped_lines(const uint8_t *h, size_t n)
{
	int good = 0, lines = 0;
	const char *p = (const char *)h, *end = p + n;
	while (p < end && lines < 40) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t ln = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (!nl && lines)
			break;      /* a cut last line proves nothing */
		if (ln && p[0] != '\t') {
			lines++;
			if (ln >= 22 && digits(p, 4) && p[4] == '-' && p[7] == '-' &&
			    (p[10] == 'T' || p[10] == ' ') && p[13] == ':' && p[16] == ':' &&
			    memmem(p + 19, ln - 19 < 20 ? ln - 19 : 20, " [", 2))
				good++;
		}
		p = nl ? nl + 1 : end;
	}
	return lines ? good * 100 / lines : 0;
}

static const char *const ap_markers[] = {
	"duoauthproxy", "DuoForwardServer", "RadiusClient (UDP)", "login attempt for username",
	"Received new request id", "Summary: drpc", "_DuoHTTPClientFactory",
	"Duo Security Authentication Proxy", "Got preauth result for", "radius_server_",
	"Sending request for user '",
};

static int ap_sniff(const uint8_t *h, size_t n)
{
	int shape = stamped_lines(h, n);
	if (shape < 50)
		return 0;
	for (size_t i = 0; i < sizeof ap_markers / sizeof *ap_markers; i++)
		if (head_has(h, n, ap_markers[i]))
			return 90;
	return 0;
}

static int ct_sniff(const uint8_t *h, size_t n)
{
	/* the tool's log: same grammar, tool headers, no request traffic */
	if (head_has(h, n, "Testing section '") || head_has(h, n, "connectivity_tool") ||
	    head_has(h, n, "Running The Duo Authentication Proxy Connectivity Tool")) {
		if (stamped_lines(h, n) >= 50 && !head_has(h, n, "Received new request id"))
			return 95;
		/* lean stdout: `[info]  Testing section ...` */
		if (head_has(h, n, "[info]") || head_has(h, n, "[error]") || head_has(h, n, "[warn]"))
			return 95;
	}
	return 0;
}

const struct format fmt_authproxy = {
	.name = "authproxy-log",
	.kind = SRC_AUTHPROXY_LOG,
	.flags = FMT_TEXT | FMT_JOIN_TAB,
	.sniff = ap_sniff,
	.open = ap_open,
	.line = ap_line,
	.close = ap_close,
};

const struct format fmt_connectivity = {
	.name = "connectivity-tool",
	.kind = SRC_CONNECTIVITY,
	.flags = FMT_TEXT | FMT_JOIN_TAB,
	.sniff = ct_sniff,
	.open = ct_open,
	.line = ap_line,
	.close = ap_close,
};
