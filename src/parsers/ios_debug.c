/* \summary: IOS debug families: IKEv2, RADIUS, AAA, IPsec, PKI, syslog messages
 *
 * `debug crypto ikev2` (plain, packet, internal, error, client flexvpn),
 * `debug radius [authentication]`, `debug aaa authentication`, `debug crypto
 * ipsec`, `debug crypto pki`, %FAC-SEV-MNEMONIC messages and `show monitor
 * event-trace crypto ikev2` lines. Each record arrives whole (wraps and
 * continuation segments already joined by ios.c); dispatch is on literal
 * prefixes, with a few loose PCRE2 patterns (JIT, compiled once) only for
 * lines nothing literal matched.
 *
 * Join keys: the IKEv2 SESSION ID (ike_session) with the SPIs, peer and
 * identities learned for it; the AAA unique id (aaa_id) and "id 1645/N"
 * (nas_port / radius_id) of RADIUS transactions, with the NAS address the
 * router used when the debug names it. A RADIUS request is tied to the IKE
 * session whose peer is its Calling-Station-Id, else to the session that
 * just handed off to AAA. Secrets never leave: User-Password and hex dumps
 * are not copied anywhere.
 */
#include "parsers/ios_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#define AAA_LINK_US (30LL * 1000000)   /* IKE -> AAA hand-off joins requests this long */

/* ---- scanning ---- */

/* Offset just past lit in s, or 0. */
static inline size_t after(const char *s, size_t n, const char *lit)
{
	const char *f = ios_memmem(s, n, lit);
	return f ? (size_t)(f - s) + strlen(lit) : 0;
}

static int64_t num_at(const char *s, size_t n, size_t *i)
{
	int64_t v = 0;
	size_t k = *i, d = 0;
	while (k < n && dig(s[k]) && d < 18) {
		v = v * 10 + (s[k++] - '0');
		d++;
	}
	*i = k;
	return d ? v : -1;
}

/* "ip:port" with the port after the last ':' (IPv6 literals allowed). */
static int ip_port(const char *s, size_t n, const char **ip, int32_t *port)
{
	size_t c = n;
	while (c > 0 && s[c - 1] != ':')
		c--;
	if (c < 2 || c == n)
		return 0;
	size_t k = c;
	int64_t v = num_at(s, n, &k);
	if (v < 0 || v > 65535 || k != n || !ios_is_ip(s, c - 1))
		return 0;
	*ip = intern(s, c - 1);
	*port = (int32_t)v;
	return 1;
}

/* 'quoted' value after lit */
static const char *quoted_after(const char *s, size_t n, const char *lit)
{
	size_t a = after(s, n, lit);
	if (!a)
		return NULL;
	const char *e = memchr(s + a, '\'', n - a);
	return e ? ios_intern_trim(s + a, (size_t)(e - (s + a))) : NULL;
}

static int looks_hexdump(const char *s, size_t n)
{
	int pairs = 0;
	for (size_t i = 0; i + 2 <= n;) {
		i = skipws(s, n, i);
		size_t e = tok_end(s, n, i);
		if (e - i == 2 && isxdigit((unsigned char)s[i]) && isxdigit((unsigned char)s[i + 1]))
			pairs++;
		else if (e > i && pairs < 4)
			pairs = 0;
		if (pairs >= 6)
			return 1;
		if (e == i)
			break;
		i = e;
	}
	return 0;
}

static void lower_word(char *b, size_t cap, const char *s, size_t n)
{
	size_t k = 0;
	for (; k < n && k + 1 < cap; k++)
		b[k] = (char)tolower((unsigned char)s[k]);
	b[k] = 0;
}

/* ---- loose patterns for lines no literal matched ---- */

static struct {
	pcre2_code *dpd, *aaa_to, *eap_ok, *eap_fail, *pool, *eap_id, *retx_max, *auth_fail;
	pcre2_match_data *md;
	int ready;
} re;

static pcre2_code *re_comp(const char *pat)
{
	int err;
	PCRE2_SIZE off;
	pcre2_code *c = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED, PCRE2_CASELESS,
				      &err, &off, NULL);
	if (c)
		pcre2_jit_compile(c, PCRE2_JIT_COMPLETE);
	return c;
}

static void re_init(void)
{
	if (re.ready)
		return;
	re.ready = 1;
	re.dpd = re_comp("\\bDPD\\b.*\\b(dead|no (reply|response)|timed? ?out|expired|exceed|fail)");
	re.aaa_to = re_comp("(\\bAAA\\b.*\\btime(d)?[ -]?out)|(\\btime(d)?[ -]?out\\b.*\\bAAA\\b)|"
			    "ext(ernal)? service timer");
	re.eap_ok = re_comp("\\bEAP\\b.*\\b(success|succeeded|passed)\\b");
	re.eap_fail = re_comp("\\bEAP\\b.*\\b(fail|failure|failed)\\b");
	re.pool = re_comp("\\b(pool|address)\\b.*\\b(exhaust\\w*|no free|not available|"
			  "failed to (allocate|assign))");
	re.eap_id = re_comp("\\bEAP[ -]?(id|identity)\\b[ :=]*'?([^' ,]+)");
	re.retx_max = re_comp("retransmi\\w*.*\\b(max\\w*|exceed\\w*|exhaust\\w*|limit)");
	re.auth_fail = re_comp("\\b(failed to (authenticate|verify)|authentication (failed|failure))");
	re.md = pcre2_match_data_create(8, NULL);
}

/* 1 on a match; group g (when > 0) into o and l. */
static int re_hit(pcre2_code *c, const char *s, size_t n, int g, size_t *o, size_t *l)
{
	if (!c || !re.md)
		return 0;
	if (pcre2_match(c, (PCRE2_SPTR)s, n, 0, 0, re.md, NULL) < 0)
		return 0;
	if (g > 0) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(re.md);
		if (ov[2 * g] == PCRE2_UNSET)
			return 0;
		*o = ov[2 * g];
		*l = ov[2 * g + 1] - ov[2 * g];
	}
	return 1;
}

/* ---- emission ---- */

static void ev_start(struct ios_parser *p, struct ev *e, unsigned kind)
{
	iosp_ev(p, e, kind, p->rec_line);
	e->raw = p->raw;
	e->raw_len = p->raw_len;
}

static void emit(struct ios_parser *p, struct ev *e)
{
	iosp_emit(p, e, &p->rec_ts);
}

static const char *detailf(struct ios_parser *p, const char *fmt, ...)
	PRINTF_LIKE(2, 3);
static const char *detailf(struct ios_parser *p, const char *fmt, ...)
{
	sbuf_reset(&p->scratch);
	va_list ap;
	va_start(ap, fmt);
	if (sbuf_vprintf(&p->scratch, fmt, ap)) {
		/* capped: what fits is kept */
	}
	va_end(ap);
	return p->scratch.len ? intern(p->scratch.p, p->scratch.len) : NULL;
}

/* Append s to b (cap bytes, always NUL-terminated). */
static void dcat(char *b, size_t *n, size_t cap, const char *s)
{
	size_t l = strlen(s);
	if (*n + l >= cap)
		l = cap - 1 - *n;
	memcpy(b + *n, s, l);
	*n += l;
	b[*n] = 0;
}

/* A message text for detail: whitespace collapsed, at most max bytes. */
static const char *msg_text(struct ios_parser *p, const char *s, size_t n, size_t max)
{
	(void)p;
	char b[512];
	size_t k = 0;
	int sp = 0;
	if (max > sizeof b)
		max = sizeof b;
	for (size_t i = 0; i < n && k < max; i++) {
		char c = s[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			sp = k > 0;
			continue;
		}
		if (sp) {
			b[k++] = ' ';
			sp = 0;
			if (k >= max)
				break;
		}
		b[k++] = c;
	}
	return k ? intern(b, k) : NULL;
}

/* ---- IKE sessions ---- */

static struct ike_sess *ike_find(struct ios_parser *p, int64_t sid)
{
	struct ike_sess *c = p->ike_last;
	if (c && c->sid == sid) {
		c->used = ++p->ike_clock;
		return c;
	}
	for (size_t i = 0; i < IKE_SLOTS; i++)
		if (p->ike[i].sid == sid) {
			p->ike[i].used = ++p->ike_clock;
			p->ike_last = &p->ike[i];
			return &p->ike[i];
		}
	return NULL;
}

static struct ike_sess *ike_get(struct ios_parser *p, int64_t sid)
{
	if (sid < 0)
		return NULL;
	struct ike_sess *s = ike_find(p, sid);
	if (s)
		return s;
	size_t v = 0;
	for (size_t i = 0; i < IKE_SLOTS; i++) {
		if (p->ike[i].sid < 0) {
			v = i;
			break;
		}
		if (p->ike[i].used < p->ike[v].used)
			v = i;
	}
	if (p->ike[v].sid >= 0)
		p->in->evictions++;
	s = &p->ike[v];
	memset(s, 0, sizeof *s);
	p->ike_last = s;
	s->sid = sid;
	s->said = -1;
	s->peer_port = -1;
	s->used = ++p->ike_clock;
	return s;
}

static struct ike_sess *ike_by_said(struct ios_parser *p, int64_t said)
{
	struct ike_sess *best = NULL;
	for (size_t i = 0; i < IKE_SLOTS; i++)
		if (p->ike[i].sid >= 0 && p->ike[i].said == said &&
		    (!best || p->ike[i].used > best->used))
			best = &p->ike[i];
	return best;
}

/* The peer's newest session still up, else its newest (a DOWN message
 * follows the delete). */
static struct ike_sess *ike_by_peer(struct ios_parser *p, const char *ip)
{
	struct ike_sess *best = NULL, *any = NULL;
	if (!ip)
		return NULL;
	for (size_t i = 0; i < IKE_SLOTS; i++) {
		struct ike_sess *s = &p->ike[i];
		if (s->sid < 0 || s->peer_ip != ip)
			continue;
		if (!any || s->used > any->used)
			any = s;
		if (!s->down && (!best || s->used > best->used))
			best = s;
	}
	return best ? best : any;
}

static void ike_keys(struct ev *e, const struct ike_sess *s)
{
	if (!s)
		return;
	e->ike_session = s->sid;
	e->spi_i = s->spi_i;
	e->spi_r = s->spi_r;
	e->client_ip = s->peer_ip;
	e->user = s->user;
}

static void ike_simple(struct ios_parser *p, struct ike_sess *s, unsigned kind, const char *result,
		       const char *text, const char *detail)
{
	struct ev e;
	ev_start(p, &e, kind);
	ike_keys(&e, s);
	e.result = result ? intern_cstr(result) : NULL;
	e.text = text;
	e.detail = detail;
	emit(p, &e);
}

static void raw_event(struct ios_parser *p, struct ike_sess *s, const char *t, size_t tn,
		      int64_t aaa_id)
{
	if (looks_hexdump(t, tn))
		return;
	struct ev e;
	ev_start(p, &e, EVK_RAW);
	ike_keys(&e, s);
	e.aaa_id = aaa_id;
	e.detail = msg_text(p, t, tn, 240);
	emit(p, &e);
}

/* As the capture decoder says it: code = type, text = IANA name, result =
 * error|status, num = the exchange it came in (-1 when the line does not
 * say). */
static void notify(struct ios_parser *p, struct ike_sess *s, const char *name, size_t nn,
		   int sending, const char *where, int exch)
{
	const char *canon = NULL;
	int code = ios_notify_code(name, nn, &canon);
	if (s && code >= 0 && code < 64) {
		if (s->notified & (1ull << code))
			return;
		s->notified |= 1ull << code;
	}
	struct ev e;
	ev_start(p, &e, EVK_IKE_NOTIFY);
	ike_keys(&e, s);
	e.code = code;
	e.num = exch;
	if (code >= 0)
		e.result = intern_cstr(code < 16384 ? "error" : "status");
	e.text = canon ? intern_cstr(canon) : intern(name, nn);
	if (sending) {
		e.from = ROLE_HEADEND;
		e.to = ROLE_CLIENT;
	} else if (sending == 0) {
		e.from = ROLE_CLIENT;
		e.to = ROLE_HEADEND;
	}
	char d[256];
	size_t dn = 0;
	dcat(d, &dn, sizeof d, e.text);
	dcat(d, &dn, sizeof d, sending ? " sent" : " received");
	if (where)
		dcat(d, &dn, sizeof d, where);
	e.detail = intern(d, dn);
	emit(p, &e);
}

static void sa_up(struct ios_parser *p, struct ike_sess *s, const char *text)
{
	if (s) {
		if (s->up)
			return;
		s->up = 1;
		if (s->down_reason) {
			/* created while its delete was already queued: never usable */
			ike_simple(p, s, EVK_RAW, NULL, NULL,
				   detailf(p, "IKE SA created but already queued for delete (%s)",
					   s->down_reason));
			return;
		}
	}
	ike_simple(p, s, EVK_IKE_SA_UP, "ok", text,
		   detailf(p, "IKE SA up%s%s", text ? " with " : "", text ? text : ""));
}

/* An SA's outcome is often said twice (a syslog line and a debug line, or
 * an event-trace line): the first saying is the event. Without a known SA,
 * each is. */
static int said_before(uint8_t *flag)
{
	if (*flag)
		return 1;
	*flag = 1;
	return 0;
}

static void sa_down(struct ios_parser *p, struct ike_sess *s, const char *why)
{
	if (s && said_before(&s->down))
		return;
	ike_simple(p, s, EVK_IKE_SA_DOWN, "down", why,
		   detailf(p, "IKE SA deleted%s%s", why ? ": " : "", why ? why : ""));
}

static void auth_failed(struct ios_parser *p, struct ike_sess *s, const char *why)
{
	if (s && said_before(&s->auth_failed))
		return;
	ike_simple(p, s, EVK_IKE_AUTH, "failed", intern_cstr(why), intern_cstr(why));
}

static void cert_failed(struct ios_parser *p, struct ike_sess *s, const char *why)
{
	if (s && said_before(&s->cert_failed))
		return;
	ike_simple(p, s, EVK_IKE_CERT_FAILED, "failed", intern_cstr(why), intern_cstr(why));
}

static void no_response(struct ios_parser *p, struct ike_sess *s, const char *why)
{
	if (s && said_before(&s->no_resp))
		return;
	ike_simple(p, s, EVK_IKE_NO_RESPONSE, "timeout", intern_cstr(why), intern_cstr(why));
}

static void dpd_dead(struct ios_parser *p, struct ike_sess *s, const char *t, size_t tn)
{
	if (s && said_before(&s->dpd))
		return;
	ike_simple(p, s, EVK_IKE_DPD_DEAD, "dead", NULL, msg_text(p, t, tn, 200));
}

static void eap_event(struct ios_parser *p, struct ike_sess *s, int code, int sending,
		      const char *detail)
{
	struct ev e;
	ev_start(p, &e, EVK_IKE_EAP);
	ike_keys(&e, s);
	e.code = code;
	e.from = sending ? ROLE_HEADEND : ROLE_CLIENT;
	e.to = sending ? ROLE_CLIENT : ROLE_HEADEND;
	e.result = intern_cstr(code == 1 ? "request" : code == 2 ? "response" : code == 3 ? "success"
			       : "failure");
	e.detail = detail;
	emit(p, &e);
}

static void aaa_timeout(struct ios_parser *p, struct ike_sess *s, int64_t aaa_id, const char *why)
{
	struct ev e;
	ev_start(p, &e, EVK_AAA_TIMEOUT);
	ike_keys(&e, s);
	e.aaa_id = aaa_id;
	e.result = intern_cstr("timeout");
	e.text = intern_cstr(why);
	e.detail = intern_cstr(why);
	emit(p, &e);
}

/* NOTIFY(X) tokens of a payload list */
static void notify_tokens(struct ios_parser *p, struct ike_sess *s, const char *tok, size_t tokn,
			  int sending, const char *where, int exch)
{
	for (size_t i = 0; tok && i < tokn;) {
		const char *nf = ios_memmem(tok + i, tokn - i, "NOTIFY(");
		if (!nf)
			break;
		size_t a = (size_t)(nf - tok) + 7;
		const char *cp = memchr(tok + a, ')', tokn - a);
		if (!cp)
			break;
		size_t nn = (size_t)(cp - (tok + a));
		if (nn && nn < 64)
			notify(p, s, tok + a, nn, sending, where, exch);
		i = (size_t)(cp - tok) + 1;
	}
}

/* "Sending Packet [To a:p/From b:p/VRF i0:f0]" + summary segments. */
static void ike_packet(struct ios_parser *p, struct ike_sess *s, int sending, const char *t,
		       size_t tn, const char *rest, size_t rn)
{
	const char *lb = memchr(t, '[', tn), *rb = lb ? memchr(lb, ']', tn - (size_t)(lb - t)) : NULL;
	const char *peer = NULL, *local = NULL;
	int32_t pport = -1, lport = -1;
	if (lb && rb) {
		const char *in = lb + 1;
		size_t inn = (size_t)(rb - in);
		const char *first = sending ? "To " : "From ", *second = sending ? "/From " : "/To ";
		size_t a = after(in, inn, first), bb = after(in, inn, second);
		if (a && bb) {
			size_t e1 = bb - strlen(second);
			const char *v = ios_memmem(in + bb, inn - bb, "/VRF");
			size_t e2 = v ? (size_t)(v - in) : inn;
			if (e1 > a)
				ip_port(in + a, e1 - a, &peer, &pport);
			if (e2 > bb)
				ip_port(in + bb, e2 - bb, &local, &lport);
		}
	}
	if (s && peer) {
		s->peer_ip = peer;
		s->peer_port = pport;
		s->local_ip = local;
	}
	/* header: Initiator SPI : X - Responder SPI : Y Message id: N */
	int64_t msgid = -1;
	size_t k = after(rest, rn, "Initiator SPI :");
	if (k) {
		k = skipws(rest, rn, k);
		size_t e = tok_end(rest, rn, k);
		int ok1, ok2;
		uint64_t si = ios_hex64(rest + k, e - k, &ok1), sr = 0;
		size_t k2 = after(rest + e, rn - e, "Responder SPI :");
		ok2 = 0;
		if (k2) {
			k2 = skipws(rest, rn, e + k2);
			size_t e2 = tok_end(rest, rn, k2);
			sr = ios_hex64(rest + k2, e2 - k2, &ok2);
		}
		size_t from = k2 ? k2 : e;
		size_t m = after(rest + from, rn - from, "Message id:");
		if (m) {
			m = skipws(rest, rn, from + m);
			msgid = num_at(rest, rn, &m);
		}
		if (s && ok1 && si)
			s->spi_i = si;
		if (s && ok2 && sr)
			s->spi_r = sr;
	}
	/* exchange: "IKEv2 IKE_AUTH Exchange REQUEST" */
	int code = -1;
	const char *xname = NULL;
	int request = -1;
	const char *xx = ios_memmem(rest, rn, " Exchange ");
	if (xx) {
		size_t xe = (size_t)(xx - rest), xs = xe;
		while (xs > 0 && rest[xs - 1] != ' ' && rest[xs - 1] != '\n')
			xs--;
		code = ios_exchange_code(rest + xs, xe - xs, &xname);
		if (code < 0 && xe > xs)
			xname = intern(rest + xs, xe - xs);
		size_t d = skipws(rest, rn, xe + 10);
		if (rn - d >= 7 && !memcmp(rest + d, "REQUEST", 7))
			request = 1;
		else if (rn - d >= 8 && !memcmp(rest + d, "RESPONSE", 8))
			request = 0;
	}
	if (s && code == 34 && request == 1)
		s->role = sending ? 'I' : 'R';
	/* payload tokens */
	size_t px = xx ? (size_t)(xx - rest) : 0;
	size_t pc = after(rest + px, rn - px, "Payload contents:");
	if (pc)
		pc += px;
	const char *tok = pc ? rest + pc : NULL;
	size_t tokn = pc ? rn - pc : 0;
	if (s && s->retx && sending) {
		s->retx = 0;     /* the retransmitted copy: already told */
		return;
	}
	char pstr[80];
	size_t pn = 0;
	dcat(pstr, &pn, sizeof pstr, peer ? peer : "?");
	if (pport >= 0) {
		char num[12];
		int nl = snprintf(num, sizeof num, ":%d", pport);
		if (nl > 0)
			dcat(pstr, &pn, sizeof pstr, num);
	}
	struct ev e;
	ev_start(p, &e, EVK_IKE_EXCHANGE);
	ike_keys(&e, s);
	if (!s) {
		e.client_ip = peer;
	}
	e.code = code;
	e.text = xname;
	e.msgid = msgid;
	e.result = request == 1 ? intern_cstr("request") : request == 0 ? intern_cstr("response")
					       : NULL;
	e.from = sending ? ROLE_HEADEND : ROLE_CLIENT;
	e.to = sending ? ROLE_CLIENT : ROLE_HEADEND;
	const char *toks = tok ? msg_text(p, tok, tokn, 160) : NULL;
	int has_eap = 0;
	if (toks) {
		size_t tl = strlen(toks);
		for (size_t i = 0; i < tl;) {
			i = skipws(toks, tl, i);
			size_t te = tok_end(toks, tl, i);
			if (te - i == 3 && !memcmp(toks + i, "EAP", 3))
				has_eap = 1;
			i = te;
		}
	}
	if (has_eap && s) {
		if (!sending)
			s->eap_rounds++;
		s->eap_seen = 1;
	}
	{
		char d[320];
		size_t dn = 0;
		dcat(d, &dn, sizeof d, xname ? xname : "IKE");
		dcat(d, &dn, sizeof d, request == 1 ? " request " : request == 0 ? " response "
					: " message ");
		dcat(d, &dn, sizeof d, sending ? "to " : "from ");
		dcat(d, &dn, sizeof d, pstr);
		if (toks) {
			dcat(d, &dn, sizeof d, " [");
			dcat(d, &dn, sizeof d, toks);
			dcat(d, &dn, sizeof d, "]");
		}
		e.detail = intern(d, dn);
	}
	emit(p, &e);
	if (has_eap) {
		eap_event(p, s, sending ? 1 : 2, sending,
			  detailf(p, "EAP %s in %s (round %u)", sending ? "request" : "response",
				  xname ? xname : "IKE_AUTH", s ? s->eap_rounds + (sending ? 1 : 0) : 0));
		if (!sending && s) {
			p->aaa_sid = s->sid;
			p->aaa_sid_ts = p->last_ts;
			s->aaa_wait = 1;
		}
	}
	if (tok && ios_memmem(tok, tokn, "NOTIFY(")) {
		char w[96];
		snprintf(w, sizeof w, " in %s %s", xname ? xname : "?",
			 request == 1 ? "request" : request == 0 ? "response" : "message");
		notify_tokens(p, s, tok, tokn, sending, w, code);
	}
}

/* "SM Trace-> SA: I_SPI=X R_SPI=Y (I) MsgID = N CurState: S Event: E" */
static void sm_trace(struct ios_parser *p, struct ike_sess *s, const char *t, size_t tn)
{
	size_t a = after(t, tn, "I_SPI="), b = after(t, tn, "R_SPI=");
	int ok;
	if (a && s) {
		uint64_t v = ios_hex64(t + a, tok_end(t, tn, a) - a, &ok);
		if (ok && v)
			s->spi_i = v;
	}
	if (b && s) {
		uint64_t v = ios_hex64(t + b, tok_end(t, tn, b) - b, &ok);
		if (ok && v)
			s->spi_r = v;
	}
	size_t ev = after(t, tn, "Event:");
	if (!ev)
		return;
	ev = skipws(t, tn, ev);
	size_t ee = tok_end(t, tn, ev);
	const char *w = t + ev;
	size_t wn = ee - ev;
	if (ios_memmem(w, wn, "CERT_FAIL"))
		cert_failed(p, s, "certificate verification failed (EV_CERT_FAIL)");
	else if (ios_memmem(w, wn, "AUTH_FAIL"))
		auth_failed(p, s, "peer authentication failed (EV_AUTH_FAIL)");
	else if (ios_memmem(w, wn, "RE_XMT_EXCEED"))
		no_response(p, s, "retransmissions exhausted (EV_RE_XMT_EXCEED)");
	else if (ios_memmem(w, wn, "DPD") && (ios_memmem(w, wn, "DEAD") || ios_memmem(w, wn, "FAIL") ||
					       ios_memmem(w, wn, "EXCEED")))
		dpd_dead(p, s, t, tn);
	else if (ios_memmem(w, wn, "EAP") && ios_memmem(w, wn, "FAIL"))
		eap_event(p, s, 4, 1, intern_cstr("EAP failure (state machine)"));
}

/* Messages that say nothing a rule needs: no event, not even raw. */
static int ike_info(const char *t, size_t n)
{
#define L(x) {x, sizeof(x) - 1}
	static const struct { const char *s; size_t n; } lits[] = {
		L("Searching Policy with"),
		L("Using the Default Policy"),
		L("Found Policy"),
		L("Getting preshared key"),
		L("Matched peer block"),
		L("not a VPN-SIP session"),
		L("Verify peer's policy"),
		L("Peer's policy verified"),
		L("Generating IKE_SA_INIT"),
		L("IKE Proposal"),
		L("IKEv2 initiator - no config"),
		L("Insert SA"),
		L("Processing IKE_SA_INIT"),
		L("Verify SA init message"),
		L("Checking NAT discovery"),
		L("NAT not found"),
		L("NAT OUTSIDE"),
		L("NAT INSIDE"),
		L("NAT detected"),
		L("Processing nat detect"),
		L("Local address not matched"),
		L("Host is located NAT"),
		L("[IKEv2 -> Crypto Engine]"),
		L("[Crypto Engine -> IKEv2]"),
		L("Request queued for computation"),
		L("Completed SA init exchange"),
		L("Config data to send"),
		L("Config data recieved"),
		L("Config data received"),
		L("Have config mode data"),
		L("Check for EAP exchange"),
		L("Generate my authentication data"),
		L("Use preshared key"),
		L("Get my authentication method"),
		L("My authentication method"),
		L("Generating IKE_AUTH"),
		L("Constructing IDi payload"),
		L("Constructing IDr payload"),
		L("ESP Proposal"),
		L("Building packet for encryption"),
		L("Process auth response notify"),
		L("Get peer's authentication method"),
		L("Peer's authentication method"),
		L("Get peer's preshared key"),
		L("Verify peer's authentication data"),
		L("Processing IKE_AUTH"),
		L("IKEv2 MIB tunnel started"),
		L("Checking for duplicate"),
		L("No duplicate IKEv2 SA"),
		L("Checking if request will fit"),
		L("Check for existing"),
		L("Delete all IKE SAs"),
		L("Processing ACK to informational"),
		L("Processing INFORMATIONAL"),
		L("Set received config mode data"),
		L("Received valid config mode data"),
		L("IPSec policy validate request"),
		L("Process delete"),
		L("Processing delete"),
		L("Get peer"),
		L("Sending ACK to informational"),
		L("Processing any notify-messages"),
		L("Validating"),
		L("Using"),
		L("Building"),
		L("Processing"),
		L("Construct"),
		L("Generating"),
		L("Sending INFORMATIONAL"),
		L("Received INFORMATIONAL"),
		L("Action: Action_Null"),
		L("Starting timer"),
		L("Stopping timer"),
		L("Increment"),
		L("Decrement"),
		L("Initializing DPD"),
		L("Peer supports"),
		L("Check for"),
		L("Verify"),
		L("Send AUTH"),
		L("Use EAP exported key"),
		L("Processing EAP"),
		L("Received EAP"),
		L("Sending EAP"),
		L("Send EAP"),
		L("IKEv2 IKE_"),
		L("Next payload"),
		L("Remote EAP"),
		L("Locking"),
		L("Unlocking"),
		L("Adding"),
		L("Setting"),
		L("Set "),
		L("Checking"),
	};
#undef L
	for (size_t i = 0; i < sizeof lits / sizeof *lits; i++)
		if (n >= lits[i].n && t[0] == lits[i].s[0] && !memcmp(t, lits[i].s, lits[i].n))
			return 1;
	return 0;
}

static void ike_profile_none(struct ios_parser *p, struct ike_sess *s, const char *why)
{
	if (s) {
		if (s->profile_search == 3)
			return;
		s->profile_search = 3;
	}
	struct ev e;
	ev_start(p, &e, EVK_IKE_PROFILE);
	ike_keys(&e, s);
	e.result = intern_cstr("none");
	e.text = s ? s->peer_id : NULL;
	e.detail = detailf(p, "no IKEv2 profile matched%s%s%s: %s", s && s->peer_id ? " identity '" : "",
			   s && s->peer_id ? s->peer_id : "", s && s->peer_id ? "'" : "", why);
	emit(p, &e);
}

static void ipsec_del(struct ios_parser *p, struct ike_sess *s, const char *t, size_t tn)
{
	size_t sp = after(t, tn, "SPI:");
	struct ev e;
	ev_start(p, &e, EVK_ROUTER_IPSEC_SA);
	ike_keys(&e, s);
	e.result = intern_cstr("deleted");
	if (sp) {
		sp = skipws(t, tn, sp);
		size_t se = sp;
		while (se < tn && t[se] != ']' && t[se] != ' ')
			se++;
		e.text = intern(t + sp, se - sp);
	}
	e.detail = msg_text(p, t, tn, 200);
	emit(p, &e);
}

/* Messages followed by lines of their own (packet summaries, proposal and
 * policy dumps, payload lists). */
static int block_message(const char *t, size_t tn)
{
	switch (tn ? t[0] : 0) {
	case 'S':
		return LIT(t, tn, "Sending Packet");
	case 'R':
		return LIT(t, tn, "Received Packet") || LIT(t, tn, "Received Policies") ||
		       LIT(t, tn, "Retransmitting");
	case 'B':
		return LIT(t, tn, "Building packet");
	case 'I':
		return LIT(t, tn, "IKE Proposal");
	case 'E':
		return LIT(t, tn, "ESP Proposal") || LIT(t, tn, "Expected Policies");
	case 'F':
		return LIT(t, tn, "Failed to find a matching policy");
	case 'C':
		return LIT(t, tn, "Config data");
	}
	return 0;
}

static void ikev2(struct ios_parser *p, const char *b, size_t n)
{
	size_t seg0 = ios_seg(b, n);
	size_t i = 5;
	int sub = 0;
	if (i < seg0 && b[i] == '-') {
		size_t j = i + 1;
		while (j < seg0 && b[j] != ':' && j - i < 16)
			j++;
		const char *w = b + i + 1;
		size_t wn = j - i - 1;
		if (wn == 5 && !memcmp(w, "ERROR", 5))
			sub = 1;
		else if (wn == 8 && !memcmp(w, "INTERNAL", 8))
			sub = 2;
		else if ((wn == 3 && !memcmp(w, "PAK", 3)) || (wn >= 6 && !memcmp(w, "PACKET", 6)))
			sub = 3;
		i = j;
	}
	if (i < seg0 && b[i] == ':')
		i++;
	int64_t sid = -1, said = -1;
	if (i < seg0 && b[i] == '(') {
		const char *cl = memchr(b + i, ')', seg0 - i);
		if (cl && cl - (b + i) < 80) {
			const char *in = b + i + 1;
			size_t inn = (size_t)(cl - in), k = 0;
			/* "SESSION ID = n,SA ID = m" or "SA ID = m" */
			if (LIT(in, inn, "SESSION ID =")) {
				k = skipws(in, inn, 12);
				sid = num_at(in, inn, &k);
				while (k < inn && (in[k] == ',' || in[k] == ' '))
					k++;
			}
			if (LIT(in + k, inn - k, "SA ID =")) {
				k = skipws(in, inn, k + 7);
				said = num_at(in, inn, &k);
			}
			if (sid < 0 && said < 0) {
				k = 0;
				sid = num_at(in, inn, &k);
				if (k != inn)
					sid = -1;
			}
			i = (size_t)(cl - b) + 1;
		}
	}
	while (i < seg0 && (b[i] == ' ' || b[i] == '%' || b[i] == ':'))
		i++;
	if (i >= seg0 && seg0 < n) {
		/* a console wrap cut right after the header and the message
		 * began with a block word: it is the next segment */
		i = seg0 + 1;
		seg0 = i + ios_seg(b + i, n - i);
		while (i < seg0 && (b[i] == ' ' || b[i] == '%' || b[i] == ':'))
			i++;
	}
	const char *t = b + i;
	size_t tn = seg0 - i;
	const char *rest = b + seg0, *endp = b + n;
	size_t rn = (size_t)(endp - rest);
	if (rn && !block_message(t, tn)) {
		/* a one-line message whose later words a console cut off (and
		 * one of them looked like a block line): it is all one text */
		sbuf_reset(&p->flat);
		int sp = 0;
		for (size_t q = i; q < n; q++) {
			char c = b[q];
			if (c == ' ' || c == '\t' || c == '\n') {
				sp = 1;
				continue;
			}
			if ((sp && p->flat.len && sbuf_addc(&p->flat, ' ')) || sbuf_addc(&p->flat, c))
				break;
			sp = 0;
		}
		t = sbuf_cstr(&p->flat);
		tn = p->flat.len;
		rest = t + tn;
		rn = 0;
	}
	while (tn && (t[tn - 1] == ' ' || t[tn - 1] == '\t'))
		tn--;
	if (sub == 3)
		return;          /* packet field dumps */
	struct ike_sess *s = NULL;
	if (sid >= 0) {
		s = ike_get(p, sid);
		if (said >= 0)
			s->said = said;
		p->cur_sid = sid;
	} else if (said >= 0) {
		s = ike_by_said(p, said);
	} else if (p->cur_sid >= 0) {
		s = ike_find(p, p->cur_sid);    /* global lines: the session in progress */
	}
	if (!tn) {
		if (sub == 1 && s)      /* "IKEv2-ERROR:<S>" with no text: a failure follows */
			raw_event(p, s, "IKEv2-ERROR", 11, -1);
		return;
	}
	size_t k;
	switch (t[0]) {
	case 'S':
		if (LIT(t, tn, "Sending Packet [")) {
			ike_packet(p, s, 1, t, tn, rest, rn);
			return;
		}
		if (LIT(t, tn, "Searching policy based on peer's identity")) {
			if (s) {
				s->peer_id = quoted_after(t, tn, "identity '");
				s->profile_search = 1;
			}
			return;
		}
		if (LIT(t, tn, "SM Trace->")) {
			sm_trace(p, s, t, tn);
			return;
		}
		if (LIT(t, tn, "Session with IKE ID PAIR")) {
			const char *lp = memchr(t, '(', tn);
			const char *id = NULL;
			if (lp) {
				size_t a = (size_t)(lp - t) + 1, e = a;
				while (e < tn && t[e] != ',' && t[e] != ')')
					e++;
				id = ios_intern_trim(t + a, e - a);
			}
			if (s && id && !s->peer_id)
				s->peer_id = id;
			sa_up(p, s, id);
			return;
		}
		if (LIT(t, tn, "Sending DELETE INFO message for IKEv2 SA")) {
			sa_down(p, s, s && s->down_reason ? s->down_reason : intern_cstr("DELETE sent"));
			return;
		}
		if (LIT(t, tn, "Sending DELETE INFO message for IPsec SA")) {
			ipsec_del(p, s, t, tn);
			return;
		}
		if (LIT(t, tn, "Sending no proposal chosen notify")) {
			notify(p, s, "NO_PROPOSAL_CHOSEN", 18, 1, NULL, -1);
			return;
		}
		break;
	case 'R':
		if (LIT(t, tn, "Received Packet [")) {
			ike_packet(p, s, 0, t, tn, rest, rn);
			return;
		}
		if (LIT(t, tn, "Retransmitting packet")) {
			if (s)
				s->retx = 1;
			ike_simple(p, s, EVK_IKE_RETRANSMIT, NULL, NULL,
				   detailf(p, "retransmit to %s", s && s->peer_ip ? s->peer_ip : "?"));
			return;
		}
		if (LIT(t, tn, "Received no proposal chosen notify")) {
			notify(p, s, "NO_PROPOSAL_CHOSEN", 18, 0, NULL, -1);
			return;
		}
		break;
	case 'f':
	case 'F':
		if (LIT(t, tn, "found matching IKEv2 profile") ||
		    LIT(t, tn, "Found matching IKEv2 profile")) {
			const char *name = quoted_after(t, tn, "profile '");
			if (s) {
				s->profile = name;
				s->profile_search = 2;
			}
			struct ev e;
			ev_start(p, &e, EVK_IKE_PROFILE);
			ike_keys(&e, s);
			e.result = intern_cstr("matched");
			e.text = name;
			e.detail = detailf(p, "IKEv2 profile '%s' matched", name ? name : "?");
			emit(p, &e);
			return;
		}
		if (LIT(t, tn, "Failed to locate an item in the database")) {
			if (s && s->profile_search && s->profile_search != 2)
				ike_profile_none(p, s, "no profile for the peer's identity");
			else
				raw_event(p, s, t, tn, -1);
			return;
		}
		if (LIT(t, tn, "Failed to receive the AUTH msg")) {
			no_response(p, s, "peer did not send IKE_AUTH before the timer expired");
			return;
		}
		break;
	case 'P':
		if (LIT(t, tn, "Profile could not be found")) {
			ike_profile_none(p, s, "profile could not be found by peer certificate");
			return;
		}
		break;
	case 'I':
		if (LIT(t, tn, "IKEv2 profile not found")) {
			ike_profile_none(p, s, "IKEv2 profile not found");
			return;
		}
		if (LIT(t, tn, "IKEV2 SA created")) {
			sa_up(p, s, s ? s->peer_id : NULL);
			return;
		}
		if (LIT(t, tn, "Initial exchange failed")) {
			no_response(p, s, "initial exchange failed");
			return;
		}
		break;
	case 'V':
		if (LIT(t, tn, "Verification of peer's authen")) {
			if (ios_memmem(t, tn, "FAILED")) {
				auth_failed(p, s, "peer authentication data failed verification");
			} else if (ios_memmem(t, tn, "PASSED")) {
				ike_simple(p, s, EVK_IKE_AUTH, "ok", NULL,
					   intern_cstr("peer authentication data verified"));
			}
			return;
		}
		if (LIT(t, tn, "Verify cert failed")) {
			cert_failed(p, s, "certificate verification failed");
			return;
		}
		break;
	case 'Q':
		if ((k = after(t, tn, "delete request reason:"))) {
			const char *why = ios_intern_trim(t + k, tn - k);
			if (s)
				s->down_reason = why ? why : intern_cstr("unknown");
			else
				sa_down(p, s, why);
			return;
		}
		break;
	case 'B':
		if (LIT(t, tn, "Building packet for encryption")) {
			/* the clear payload list of an encrypted message we send */
			size_t pc = after(rest, rn, "Payload contents:");
			if (pc)
				notify_tokens(p, s, rest + pc, rn - pc, 1, " (encrypted message)", -1);
			return;
		}
		break;
	case 'D':
		if (LIT(t, tn, "Deleting SA")) {
			sa_down(p, s, s ? s->down_reason : NULL);
			return;
		}
		break;
	case 'C':
		if (LIT(t, tn, "Config-type: Config-reply")) {
			if (s)
				s->cfg_reply = 1;
			return;
		}
		if (LIT(t, tn, "Config-type: Config-request")) {
			if (s)
				s->cfg_reply = 0;
			return;
		}
		break;
	case 'A':
		if (LIT(t, tn, "Attrib type: ipv4-addr,") || LIT(t, tn, "Attrib type: ipv6-addr,")) {
			size_t d = after(t, tn, "data:");
			if (d && s && s->cfg_reply) {
				d = skipws(t, tn, d);
				size_t de = tok_end(t, tn, d);
				if (ios_is_ip(t + d, de - d)) {
					struct ev e;
					ev_start(p, &e, EVK_IKE_ADDRESS);
					ike_keys(&e, s);
					e.assigned_ip = intern(t + d, de - d);
					e.detail = detailf(p, "address %s assigned", e.assigned_ip);
					emit(p, &e);
				}
			}
			return;
		}
		if (LIT(t, tn, "Attrib type:"))
			return;
		break;
	}
	if (ike_info(t, tn))
		return;
	/* anywhere in the line */
	if ((t[0] == 'F' || t[0] == 'R' || t[0] == 'E') &&
	    ios_memmem(t, tn, "Failed to find a matching policy")) {
		char w[160];
		const char *pr = rn ? msg_text(p, rest, rn, 120) : NULL;
		snprintf(w, sizeof w, "%s: no matching %s policy%s%s",
			 ios_memmem(t, tn, "Expected") ? " (expected)" : "",
			 ios_memmem(rest, rn, "ESP") ? "IPsec" : "IKE", pr ? " " : "", pr ? pr : "");
		notify(p, s, "NO_PROPOSAL_CHOSEN", 18, 1, w, -1);
		return;
	}
	if (LIT(t, tn, "Auth exchange failed")) {
		auth_failed(p, s, "IKE_AUTH exchange failed");
		return;
	}
	if (t[0] == '[' && (k = after(t, tn, "-> AAA]"))) {
		if (s) {
			p->aaa_sid = s->sid;
			p->aaa_sid_ts = p->last_ts;
			s->aaa_wait = 1;
		}
		ike_simple(p, s, EVK_AAA_REQUEST, NULL, NULL, msg_text(p, t, tn, 200));
		return;
	}
	if (LIT(t, tn, "[AAA ->")) {
		if (s)
			s->aaa_wait = 0;
		const char *res = NULL;
		if (ios_memmem(t, tn, "FAIL") || ios_memmem(t, tn, "fail"))
			res = "fail";
		else if (ios_memmem(t, tn, "PASS") || ios_memmem(t, tn, "success"))
			res = "pass";
		re_init();
		if (re_hit(re.aaa_to, t, tn, 0, NULL, NULL)) {
			aaa_timeout(p, s, -1, "AAA did not answer in time");
			return;
		}
		ike_simple(p, s, EVK_AAA_RESPONSE, res, NULL, msg_text(p, t, tn, 200));
		return;
	}
	/* loose patterns */
	re_init();
	size_t o, l;
	if (re_hit(re.dpd, t, tn, 0, NULL, NULL)) {
		dpd_dead(p, s, t, tn);
		return;
	}
	if (re_hit(re.aaa_to, t, tn, 0, NULL, NULL)) {
		aaa_timeout(p, s, -1, "AAA did not answer in time");
		return;
	}
	if (re_hit(re.eap_fail, t, tn, 0, NULL, NULL)) {
		eap_event(p, s, 4, 1, msg_text(p, t, tn, 200));
		return;
	}
	if (re_hit(re.eap_ok, t, tn, 0, NULL, NULL)) {
		eap_event(p, s, 3, 1, msg_text(p, t, tn, 200));
		return;
	}
	if (re_hit(re.pool, t, tn, 0, NULL, NULL)) {
		ike_simple(p, s, EVK_IKE_POOL_EXHAUSTED, "failed", NULL, msg_text(p, t, tn, 200));
		return;
	}
	if (re_hit(re.retx_max, t, tn, 0, NULL, NULL)) {
		no_response(p, s, "retransmissions exhausted");
		return;
	}
	if (re_hit(re.auth_fail, t, tn, 0, NULL, NULL)) {
		auth_failed(p, s, "peer authentication failed");
		return;
	}
	if (s && re_hit(re.eap_id, t, tn, 2, &o, &l) && l) {
		s->user = intern(t + o, l);
		return;
	}
	raw_event(p, s, t, tn, -1);
}

/* ---- RADIUS ---- */

static struct rad_req *rad_find(struct ios_parser *p, int32_t key)
{
	for (size_t i = 0; i < RAD_SLOTS; i++)
		if (p->rad[i].key == key)
			return &p->rad[i];
	return NULL;
}

static struct rad_req *rad_by_ident(struct ios_parser *p, int32_t ident)
{
	struct rad_req *best = NULL;
	for (size_t i = 0; i < RAD_SLOTS; i++)
		if (p->rad[i].key >= 0 && (p->rad[i].key & 0xff) == ident &&
		    (!best || p->rad[i].used > best->used))
			best = &p->rad[i];
	return best;
}

static struct rad_req *rad_put(struct ios_parser *p, int32_t key)
{
	size_t v = 0;
	for (size_t i = 0; i < RAD_SLOTS; i++) {
		if (p->rad[i].key == key || p->rad[i].key < 0) {
			v = i;
			break;
		}
		if (p->rad[i].used < p->rad[v].used)
			v = i;
	}
	if (p->rad[v].key >= 0 && p->rad[v].key != key)
		p->in->evictions++;
	struct rad_req *r = &p->rad[v];
	memset(r, 0, sizeof *r);
	r->key = key;
	r->aaa_id = -1;
	r->ike_session = -1;
	r->server_port = -1;
	r->used = ++p->rad_clock;
	p->last_req = (int)v;
	return r;
}

static struct rad_req *rad_last(struct ios_parser *p)
{
	return p->last_req >= 0 && p->rad[p->last_req].key >= 0 ? &p->rad[p->last_req] : NULL;
}

static const char *nas_for(struct ios_parser *p, const char *server)
{
	for (unsigned i = 0; i < p->nnas; i++)
		if (p->nasmap[i].server == server)
			return p->nasmap[i].nas;
	return NULL;
}

static void rad_keys(struct ev *e, const struct rad_req *r)
{
	if (!r)
		return;
	e->nas_ip = r->nas_ip;
	e->nas_port = r->key >> 8;
	e->radius_id = r->key & 0xff;
	e->aaa_id = r->aaa_id;
	e->user = r->user;
	e->calling_station = r->calling;
	e->ike_session = r->ike_session;
	e->server_ip = r->server_ip;
	e->server_port = r->server_port;
	if (r->has_auth) {
		memcpy(e->req_auth, r->auth, 16);
		e->flags |= EVF_REQ_AUTH;
	}
}

static void hex_of(char *out, size_t cap, const uint8_t *b, size_t n)
{
	static const char hx[] = "0123456789abcdef";
	size_t k = 0;
	for (size_t i = 0; i < n && k + 2 < cap; i++) {
		out[k++] = hx[b[i] >> 4];
		out[k++] = hx[b[i] & 15];
	}
	out[k] = 0;
}

/* "id 1645/23": srcport << 8 | ident, or -1 */
static int32_t rad_id(const char *s, size_t n)
{
	size_t k = after(s, n, "id ");
	while (k) {
		size_t a = k;
		int64_t sp = num_at(s, n, &k);
		if (sp >= 0 && k < n && s[k] == '/') {
			k++;
			int64_t id = num_at(s, n, &k);
			if (id >= 0 && id <= 255 && sp <= 65535)
				return (int32_t)(sp << 8 | id);
		}
		size_t more = after(s + a, n - a, "id ");
		k = more ? a + more : 0;
	}
	return -1;
}

/* "(10.1.1.1:1812,1813)" */
static void rad_server(const char *s, size_t n, const char **ip, int32_t *port)
{
	const char *lp = memchr(s, '(', n);
	*ip = NULL;
	*port = -1;
	if (!lp)
		return;
	size_t a = (size_t)(lp - s) + 1, e = a;
	while (e < n && s[e] != ',' && s[e] != ')')
		e++;
	ip_port(s + a, e - a, ip, port);
}

static void rad_close(struct ios_parser *p)
{
	struct rad_pkt *k = &p->pkt;
	if (k->open == PK_NONE)
		return;
	unsigned open = k->open;
	k->open = PK_NONE;
	int32_t key = k->sp >= 0 && k->ident >= 0 ? (k->sp << 8 | k->ident) : -1;
	struct ev e;
	iosp_ev(p, &e, EVK_RAW, k->line);
	e.raw = k->raw.len ? k->raw.p : NULL;
	e.raw_len = k->raw.len;
	if (open == PK_REQUEST || open == PK_ACCOUNTING) {
		struct rad_req *r = key >= 0 && open == PK_REQUEST ? rad_find(p, key) : NULL;
		int retx = r && open == PK_REQUEST && r->aaa_id == k->aaa_id &&
			   (!r->has_auth || !k->has_auth || !memcmp(r->auth, k->auth, 16));
		if (!retx && key >= 0 && open == PK_REQUEST)
			r = rad_put(p, key);
		if (open == PK_REQUEST && r && !retx) {
			r->aaa_id = k->aaa_id;
			r->server_ip = k->server_ip;
			r->server_port = k->server_port;
			r->user = k->user ? k->user : k->eap_user;
			r->calling = k->calling;
			r->state = k->state;
			const char *nas = nas_for(p, k->server_ip);
			r->nas_ip = nas ? nas : k->nas_attr ? k->nas_attr : p->cfg_nas;
			if (k->has_auth) {
				memcpy(r->auth, k->auth, 16);
				r->has_auth = 1;
			}
			struct ike_sess *s = NULL;
			if (r->calling)
				s = ike_by_peer(p, r->calling);
			/* else the session that just handed a round to AAA and waits */
			if (!s && p->aaa_sid >= 0 && (p->last_ts == EV_NO_TS ||
						      (p->aaa_sid_ts != EV_NO_TS &&
						       p->last_ts - p->aaa_sid_ts <= AAA_LINK_US))) {
				s = ike_find(p, p->aaa_sid);
				if (s && !s->aaa_wait)
					s = NULL;
			}
			if (s)
				p->aaa_sid = -1;
			if (s) {
				r->ike_session = s->sid;
				if (!s->user && r->user)
					s->user = r->user;
			}
		}
		if (r)
			r->used = ++p->rad_clock;
		rad_keys(&e, r);
		if (!r) {
			e.server_ip = k->server_ip;
			e.server_port = k->server_port;
			e.aaa_id = k->aaa_id;
			e.user = k->user;
			if (k->sp >= 0) {
				e.nas_port = k->sp;
				e.radius_id = k->ident;
			}
		}
		e.kind = open == PK_ACCOUNTING ? EVK_RADIUS_ACCOUNTING
			 : retx ? EVK_RADIUS_RETRANSMIT : EVK_RADIUS_REQUEST;
		e.code = open == PK_ACCOUNTING ? 4 : 1;
		if (k->state)
			e.state = k->state;
		if (open == PK_ACCOUNTING && k->has_auth) {
			e.flags &= ~EVF_REQ_AUTH;
		}
		e.from = ROLE_HEADEND;
		e.to = ROLE_PROXY;
		e.detail = detailf(p, "%s id %d/%d to %s:%d%s%s", open == PK_ACCOUNTING ?
				   "Accounting-Request" : retx ? "Access-Request again" : "Access-Request",
				   k->sp, k->ident, k->server_ip ? k->server_ip : "?", k->server_port,
				   e.user ? " for " : "", e.user ? e.user : "");
	} else {
		struct rad_req *r = key >= 0 ? rad_find(p, key) : NULL;
		rad_keys(&e, r);
		e.flags &= ~EVF_REQ_AUTH;
		if (k->discard) {
			/* the router dropped it: a secret mismatch, not an answer */
			e.kind = EVK_RADIUS_BAD_AUTH;
			if (!r) {
				e.nas_port = k->sp;
				e.radius_id = k->ident;
			}
			if (k->aaa_id >= 0)
				e.aaa_id = k->aaa_id;
			e.server_ip = k->server_ip;
			e.server_port = k->server_port;
			e.code = k->code;
			e.from = ROLE_PROXY;
			e.to = ROLE_HEADEND;
			e.text = k->discard;
			e.detail = detailf(p, "response id %d/%d from %s:%d failed the %s check and was "
					   "dropped (shared secret?)", k->sp, k->ident,
					   k->server_ip ? k->server_ip : "?", k->server_port, k->discard);
			p->bad_key = key;
			e.pos = p->rec_line;       /* the line that says why is the evidence */
			e.raw = p->raw;
			e.raw_len = p->raw_len;
			iosp_emit(p, &e, &p->rec_ts);
			return;
		}
		if (!r) {
			e.nas_port = k->sp;
			e.radius_id = k->ident;
		}
		if (k->aaa_id >= 0)
			e.aaa_id = k->aaa_id;
		if (r && e.aaa_id >= 0 && r->aaa_id < 0)
			r->aaa_id = e.aaa_id;
		e.server_ip = k->server_ip;
		e.server_port = k->server_port;
		if (k->user && !e.user)
			e.user = k->user;
		e.kind = EVK_RADIUS_RESPONSE;
		e.code = k->code;
		e.text = k->reply;
		e.state = k->state;
		e.from = ROLE_PROXY;
		e.to = ROLE_HEADEND;
		static const char *const names[] = {"?", "Access-Request", "Access-Accept",
			"Access-Reject", "Accounting-Request", "Accounting-Response"};
		const char *cn = k->code >= 0 && k->code <= 5 ? names[k->code]
				 : k->code == 11 ? "Access-Challenge" : "response";
		e.result = k->code == 2 ? intern_cstr("accept") : k->code == 3 ? intern_cstr("reject")
			   : k->code == 11 ? intern_cstr("challenge") : NULL;
		e.detail = detailf(p, "%s id %d/%d from %s:%d%s%s", cn, k->sp, k->ident,
				   k->server_ip ? k->server_ip : "?", k->server_port,
				   k->reply ? ": " : "", k->reply ? k->reply : "");
		if (r && (k->code == 11) && k->state)
			r->state = k->state;
	}
	iosp_emit(p, &e, &k->t);
}

void iosd_flush(struct ios_parser *p)
{
	rad_close(p);
}

static void rad_open(struct ios_parser *p, unsigned kind, int64_t aaa_id, const char *line,
		     size_t ln)
{
	rad_close(p);
	struct rad_pkt *k = &p->pkt;
	struct sbuf raw = k->raw;
	memset(k, 0, sizeof *k);
	k->raw = raw;
	sbuf_reset(&k->raw);
	if (sbuf_add(&k->raw, line, ln)) {
		/* capped */
	}
	k->open = (uint8_t)kind;
	k->aaa_id = aaa_id;
	k->sp = k->ident = -1;
	k->server_port = -1;
	k->code = -1;
	k->hex_attr = -1;
	k->eap_code = k->eap_type = -1;
	k->t = p->rec_ts;
	k->line = p->rec_line;
}

/* "  User-Name           [1]   7   "sadks"" */
static int rad_attr(struct ios_parser *p, const char *t, size_t tn)
{
	size_t i = skipws(t, tn, 0);
	if (i >= tn || !isalpha((unsigned char)t[i]))
		return 0;
	size_t lim = i + 28 < tn ? i + 28 : tn, lb = i;
	while (lb < lim && t[lb] != '[')
		lb++;
	if (lb >= lim)
		return 0;
	size_t k = lb + 1;
	int64_t type = num_at(t, tn, &k);
	if (type < 0 || k >= tn || t[k] != ']')
		return 0;
	k = skipws(t, tn, k + 1);
	num_at(t, tn, &k);           /* length */
	k = skipws(t, tn, k);
	const char *v = t + k;
	size_t vn = tn - k;
	while (vn && (v[vn - 1] == ' ' || v[vn - 1] == '\n'))
		vn--;
	struct rad_pkt *pk = &p->pkt;
	if (pk->open == PK_NONE)
		return 1;
	pk->hex_attr = -1;
	if (!pk->attr_indent)
		pk->attr_indent = (uint8_t)(i < 255 ? i : 255);
	int vsa = i > pk->attr_indent;     /* a vendor's sub-attribute */
	if (vn >= 2 && v[0] == '"') {
		const char *q = memchr(v + 1, '"', vn - 1);
		size_t qn = q ? (size_t)(q - (v + 1)) : vn - 1;
		v++;
		vn = qn;
	}
	if (vsa)
		return 1;
	switch (type) {
	case 1:
		pk->user = ios_intern_trim(v, vn);
		break;
	case 4:
		if (ios_is_ip(v, vn))
			pk->nas_attr = intern(v, vn);
		break;
	case 18:
		pk->reply = ios_intern_trim(v, vn);
		break;
	case 31:
		pk->calling = ios_intern_trim(v, vn);
		break;
	case 24:
	case 79:
		pk->hex_attr = (int32_t)type;
		pk->blen = 0;
		break;
	case 2:
	case 3:
	default:
		break;   /* User-Password / CHAP-Password: never read */
	}
	return 1;
}

static void hex_into(struct rad_pkt *k, const char *t, size_t tn)
{
	for (size_t i = 0; i < tn;) {
		i = skipws(t, tn, i);
		size_t e = tok_end(t, tn, i);
		if (e - i != 2 || !isxdigit((unsigned char)t[i]) || !isxdigit((unsigned char)t[i + 1]))
			break;
		int ok;
		uint64_t v = ios_hex64(t + i, 2, &ok);
		if (k->blen < sizeof k->buf)
			k->buf[k->blen++] = (uint8_t)v;
		i = e;
	}
}

static int hexline(const char *t, size_t tn)
{
	size_t i = skipws(t, tn, 0);
	size_t e = tok_end(t, tn, i);
	if (e - i != 2 || !isxdigit((unsigned char)t[i]) || !isxdigit((unsigned char)t[i + 1]))
		return 0;
	size_t j = skipws(t, tn, e);
	size_t e2 = tok_end(t, tn, j);
	return j >= tn || (e2 - j == 2 && isxdigit((unsigned char)t[j])) || t[j] == '[';
}

static void hex_done(struct ios_parser *p)
{
	struct rad_pkt *k = &p->pkt;
	if (k->hex_attr == 24 && k->blen) {
		char h[520];
		hex_of(h, sizeof h, k->buf, k->blen);
		k->state = intern_cstr(h);
	} else if (k->hex_attr == 79 && k->blen >= 4) {
		k->eap_code = k->buf[0];
		if (k->blen >= 5)
			k->eap_type = k->buf[4];
		/* EAP-Response/Identity: the identity is the user */
		if (k->eap_code == 2 && k->eap_type == 1 && k->blen > 5) {
			size_t len = (size_t)k->buf[2] << 8 | k->buf[3];
			if (len > k->blen)
				len = k->blen;
			if (len > 5) {
				int printable = 1;
				for (size_t i = 5; i < len; i++)
					if (k->buf[i] < 0x20 || k->buf[i] > 0x7e)
						printable = 0;
				if (printable)
					k->eap_user = intern((const char *)k->buf + 5, len - 5);
			}
		}
	}
}

/* A response the router could not authenticate: which check failed. */
static const char *bad_which(const char *x, size_t xn)
{
	if (!ios_memmem(x, xn, "decrypt") && !ios_memmem(x, xn, "uthenticator"))
		return NULL;
	if (!ios_memmem(x, xn, "decrypt fail") && !ios_memmem(x, xn, "failed decrypt") &&
	    !ios_memmem(x, xn, "fails decrypt") && !ios_memmem(x, xn, "bad authenticator") &&
	    !ios_memmem(x, xn, "invalid authenticator") && !ios_memmem(x, xn, "authenticator mismatch"))
		return NULL;
	if (ios_memmem(x, xn, "message-authenticator") || ios_memmem(x, xn, "Message-Authenticator"))
		return "message-authenticator";
	if (ios_memmem(x, xn, "response-authenticator"))
		return "response-authenticator";
	return "failed decrypt";
}

static void radius(struct ios_parser *p, const char *b, size_t n)
{
	size_t seg0 = ios_seg(b, n);
	/* RADIUS[/ENCODE|/DECODE][(XXXXXXXX)]: text */
	size_t i = 6;
	int64_t aaa = -1;
	if (i < seg0 && b[i] == '/') {
		while (i < seg0 && b[i] != '(' && b[i] != ':')
			i++;
	}
	if (i < seg0 && b[i] == '(') {
		const char *cl = memchr(b + i, ')', seg0 - i);
		if (cl && cl - (b + i) <= 17) {
			int ok;
			uint64_t v = ios_hex64(b + i + 1, (size_t)(cl - (b + i + 1)), &ok);
			if (ok)
				aaa = (int64_t)v;
			i = (size_t)(cl - b) + 1;
		}
	}
	if (i < seg0 && b[i] == ':')
		i++;
	/* the whole record: wrapped dumps came back as segments */
	const char *t = b + i;
	size_t tn = n - i;
	size_t ws = skipws(t, tn, 0);
	const char *x = t + ws;
	size_t xn = tn - ws;
	while (xn && (x[xn - 1] == ' ' || x[xn - 1] == '\n'))
		xn--;
	struct rad_pkt *k = &p->pkt;
	/* inside a packet dump: authenticator, attributes, hex lines */
	if (k->open != PK_NONE) {
		if (LIT(x, xn, "authenticator ")) {
			uint8_t a[16];
			size_t c = 0;
			for (size_t j = 14; j < xn && c < 16;) {
				j = skipws(x, xn, j);
				size_t e = tok_end(x, xn, j);
				int ok;
				if (e - j == 2) {
					uint64_t v = ios_hex64(x + j, 2, &ok);
					if (ok)
						a[c++] = (uint8_t)v;
				}
				if (e == j)
					break;
				j = e;
			}
			if (c == 16) {
				memcpy(k->auth, a, 16);
				k->has_auth = 1;
			}
			return;
		}
		if (k->hex_attr >= 0 && hexline(x, xn)) {
			hex_into(k, x, xn);
			return;
		}
		if (k->hex_attr >= 0)
			hex_done(p);
		if (rad_attr(p, t, tn))
			return;
		if (k->open == PK_RESPONSE && bad_which(x, xn)) {
			k->discard = bad_which(x, xn);
			rad_close(p);
			return;
		}
		if (aaa < 0 && hexline(x, xn))
			return;
		/* "RADIUS(id): Received from id 1645/23" closes a response */
		if (k->open == PK_RESPONSE && LIT(x, xn, "Received from id") && aaa >= 0 &&
		    k->aaa_id < 0)
			k->aaa_id = aaa;
		rad_close(p);
	} else if (rad_attr(p, t, tn) || hexline(x, xn) || LIT(x, xn, "authenticator ")) {
		return;          /* a dump whose header we did not see */
	}
	const char *bw = bad_which(x, xn);
	if (bw && p->bad_key >= 0) {
		/* "Response (12) failed decrypt" after the packet's own message */
		int32_t id = -1;
		if (LIT(x, xn, "Response (") || LIT(x, xn, "Reply for ")) {
			size_t q = 10;     /* strlen("Response (") == strlen("Reply for ") */
			int64_t v = num_at(x, xn, &q);
			id = v >= 0 && v <= 255 ? (int32_t)v : -1;
		}
		if (id < 0 || id == (p->bad_key & 0xff))
			return;
	}
	if (!bw)
		p->bad_key = -1;
	size_t a;
	switch (x[0]) {
	case 'S':
		if (LIT(x, xn, "Send Access-Request to ") || LIT(x, xn, "Send Accounting-Request to ")) {
			int acct = x[5] == 'c' && x[6] == 'c' && x[7] == 'o';
			rad_open(p, acct ? PK_ACCOUNTING : PK_REQUEST, aaa, p->raw, p->raw_len);
			size_t s0 = acct ? 27 : 23, e = tok_end(x, xn, s0);
			ip_port(x + s0, e - s0, &k->server_ip, &k->server_port);
			int32_t key = rad_id(x + e, xn - e);
			if (key >= 0) {
				k->sp = key >> 8;
				k->ident = key & 0xff;
			}
			return;
		}
		if (LIT(x, xn, "Started ")) {
			if (ios_memmem(x, xn, "No authoritative response"))
				goto noauth;
			return;
		}
		break;
	case 'R':
		if (LIT(x, xn, "Received from id ")) {
			const char *c = ios_memmem(x, xn, ", ");
			if (!c)
				return;          /* the trailing form without a packet */
			rad_open(p, PK_RESPONSE, aaa, p->raw, p->raw_len);
			int32_t key = rad_id(x, xn);
			if (key >= 0) {
				k->sp = key >> 8;
				k->ident = key & 0xff;
			}
			size_t e = (size_t)(c - x), s0 = e;
			while (s0 > 0 && x[s0 - 1] != ' ')
				s0--;
			ip_port(x + s0, e - s0, &k->server_ip, &k->server_port);
			const char *cn = x + e + 2;
			size_t cl = xn - e - 2;
			k->code = LIT(cn, cl, "Access-Accept") ? 2 : LIT(cn, cl, "Access-Reject") ? 3
				  : LIT(cn, cl, "Access-Challenge") ? 11
				  : LIT(cn, cl, "Accounting-response") || LIT(cn, cl, "Accounting-Response")
				  ? 5 : -1;
			return;
		}
		/* fall through */
	case 'F':
		if (LIT(x, xn, "Retransmit to (") || LIT(x, xn, "Fail-over to (") ||
		    LIT(x, xn, "Retransmit id ")) {
			int fail = x[0] == 'F';
			int32_t key = rad_id(x, xn);
			struct rad_req *r = key >= 0 ? rad_find(p, key) : NULL;
			const char *sip;
			int32_t sport;
			rad_server(x, xn, &sip, &sport);
			struct ev e;
			ev_start(p, &e, fail ? EVK_RADIUS_FAILOVER : EVK_RADIUS_RETRANSMIT);
			rad_keys(&e, r);
			if (!r && key >= 0) {
				e.nas_port = key >> 8;
				e.radius_id = key & 0xff;
				e.aaa_id = aaa;
			}
			if (sip) {
				e.server_ip = sip;
				e.server_port = sport;
			}
			if (fail && r && sip) {
				e.text = r->server_ip;
				r->server_ip = sip;
				r->server_port = sport;
			}
			e.from = ROLE_HEADEND;
			e.to = ROLE_PROXY;
			e.code = 1;
			e.detail = detailf(p, "%s id %d/%d to %s", fail ? "fail-over" : "retransmit",
					   key >> 8, key & 0xff, sip ? sip : "?");
			emit(p, &e);
			return;
		}
		if (LIT(x, xn, "Request timed out") || LIT(x, xn, "Removing all radius") ||
		    LIT(x, xn, "Radius protocol") || LIT(x, xn, "Radius packet") ||
		    LIT(x, xn, "RADIUS_"))
			return;
		break;
	case 'N':
		if (LIT(x, xn, "No response from (")) {
			int32_t key = rad_id(x, xn);
			struct rad_req *r = key >= 0 ? rad_find(p, key) : NULL;
			const char *sip;
			int32_t sport;
			rad_server(x, xn, &sip, &sport);
			struct ev e;
			ev_start(p, &e, EVK_RADIUS_TIMEOUT);
			rad_keys(&e, r);
			e.code = 1;             /* the Access-Request that got no answer */
			if (!r && key >= 0) {
				e.nas_port = key >> 8;
				e.radius_id = key & 0xff;
				e.aaa_id = aaa;
			}
			if (sip) {
				e.server_ip = sip;
				e.server_port = sport;
			}
			e.from = ROLE_HEADEND;
			e.to = ROLE_PROXY;
			e.result = intern_cstr("timeout");
			e.detail = detailf(p, "no response from %s for id %d/%d", sip ? sip : "?",
					   key >> 8, key & 0xff);
			emit(p, &e);
			return;
		}
		if (LIT(x, xn, "No response from server")) {
			struct rad_req *r = rad_last(p);
			struct ev e;
			ev_start(p, &e, EVK_AAA_TIMEOUT);
			rad_keys(&e, r);
			e.flags &= ~EVF_REQ_AUTH;
			if (aaa >= 0)
				e.aaa_id = aaa;
			e.result = intern_cstr("timeout");
			e.text = intern_cstr("no response from any RADIUS server");
			e.detail = e.text;
			emit(p, &e);
			return;
		}
		if (LIT(x, xn, "No authoritative response"))
			goto noauth;
		break;
	case 'B':
		if ((a = after(x, xn, "Best Local IP-Address "))) {
			size_t e = tok_end(x, xn, a);
			size_t f = after(x, xn, "Radius-Server ");
			if (f && ios_is_ip(x + a, e - a)) {
				size_t fe = tok_end(x, xn, f);
				if (ios_is_ip(x + f, fe - f)) {
					const char *srv = intern(x + f, fe - f), *nas = intern(x + a, e - a);
					unsigned j = 0;
					while (j < p->nnas && p->nasmap[j].server != srv)
						j++;
					if (j == p->nnas && p->nnas < 16)
						p->nnas++;
					if (j < 16) {
						p->nasmap[j].server = srv;
						p->nasmap[j].nas = nas;
					}
				}
			}
			return;
		}
		break;
	case 'C':
		if ((a = after(x, xn, "Config NAS IP: "))) {
			size_t e = tok_end(x, xn, a);
			if (ios_is_ip(x + a, e - a) && !(e - a == 7 && !memcmp(x + a, "0.0.0.0", 7)))
				p->cfg_nas = intern(x + a, e - a);
			return;
		}
		break;
	case 'P':
		if ((a = after(x, xn, "cfg_addr="))) {
			size_t e = tok_end(x, xn, a);
			if (ios_is_ip(x + a, e - a) && !(e - a == 7 && !memcmp(x + a, "0.0.0.0", 7)))
				p->cfg_nas = intern(x + a, e - a);
			return;
		}
		break;
	}
	if (bw) {

		const char *which = bw;
		struct rad_req *r = NULL;
		if (LIT(x, xn, "Response (") || LIT(x, xn, "Reply for ")) {
			size_t qq = 10;     /* strlen("Response (") == strlen("Reply for ") */
			int64_t id = num_at(x, xn, &qq);
			if (id >= 0 && id <= 255)
				r = rad_by_ident(p, (int32_t)id);
		}
		if (!r)
			r = rad_last(p);
		struct ev e;
		ev_start(p, &e, EVK_RADIUS_BAD_AUTH);
		rad_keys(&e, r);
		e.flags &= ~EVF_REQ_AUTH;
		if (aaa >= 0)
			e.aaa_id = aaa;
		e.from = ROLE_PROXY;
		e.to = ROLE_HEADEND;
		e.text = intern_cstr(which);
		e.detail = detailf(p, "response from %s failed the %s check (shared secret?)",
				   r && r->server_ip ? r->server_ip : "the server", which);
		p->bad_key = r ? r->key : 0;
		emit(p, &e);
		return;
	}
	if (ios_memmem(x, xn, "No authoritative response")) {
noauth:;
		struct rad_req *r = rad_last(p);
		struct ev e;
		ev_start(p, &e, EVK_AAA_TIMEOUT);
		rad_keys(&e, r);
		e.flags &= ~EVF_REQ_AUTH;
		e.result = intern_cstr("timeout");
		e.text = intern_cstr("no authoritative response from any server");
		e.detail = e.text;
		emit(p, &e);
		return;
	}
	static const char *const info[] = {
		"Orig. component type", "sending", "Sending a IPv", "ustruct", "acct_session_id",
		"radius_port_info", "DSL line rate", "ask ", "send packet", "Pick NAS IP",
		"Config NAS IPv6", "AAA Unsupported", "dropping service type", "Using",
		"Received from id", "Initial Transmit", "Retransmit", "Stopping", "Starting",
		"Radius ", "Timeout", "Storing", "Encoding", "Decoding", "Added", "Adding",
		"Creating", "Freeing", "Cleaning", "Attribute", "Vendor", "Choosing",
		"Server", "server", "Local", "Message", "Framed", "Tunnel", "Service",
	};
	for (size_t j = 0; j < sizeof info / sizeof *info; j++) {
		size_t l = strlen(info[j]);
		if (xn >= l && !memcmp(x, info[j], l))
			return;
	}
	raw_event(p, NULL, x, ios_seg(x, xn), aaa);
}

/* ---- AAA ---- */

static void aaa(struct ios_parser *p, const char *b, size_t n)
{
	size_t seg0 = ios_seg(b, n);
	int64_t id = -1;
	const char *lp = memchr(b, '(', seg0 < 40 ? seg0 : 40);
	if (lp) {
		const char *cl = memchr(lp, ')', seg0 - (size_t)(lp - b));
		int ok;
		if (cl && cl - lp == 9) {
			uint64_t v = ios_hex64(lp + 1, 8, &ok);
			if (ok)
				id = (int64_t)v;
		}
	}
	const char *c = memchr(b, ':', seg0);
	size_t i = c ? (size_t)(c - b) + 1 : seg0;
	i = skipws(b, seg0, i);
	const char *t = b + i;
	size_t tn = seg0 - i;
	re_init();
	if (re_hit(re.aaa_to, b, seg0, 0, NULL, NULL) ||
	    ios_memmem(b, seg0, "timed out") || ios_memmem(b, seg0, "TIMEOUT")) {
		aaa_timeout(p, NULL, id, "AAA request timed out");
		return;
	}
	size_t a;
	if ((a = after(b, seg0, "Status=")) || (a = after(b, seg0, "status = "))) {
		size_t e = tok_end(b, seg0, a);
		char w[24];
		lower_word(w, sizeof w, b + a, e - a);
		struct ev ev;
		ev_start(p, &ev, EVK_AAA_RESPONSE);
		ev.aaa_id = id;
		ev.result = intern_cstr(w);
		ev.detail = msg_text(p, t, tn, 200);
		emit(p, &ev);
		return;
	}
	if ((a = after(b, seg0, "Method="))) {
		size_t e = tok_end(b, seg0, a);
		struct ev ev;
		ev_start(p, &ev, EVK_AAA_REQUEST);
		ev.aaa_id = id;
		ev.text = intern(b + a, e - a);
		ev.detail = msg_text(p, t, tn, 200);
		emit(p, &ev);
		return;
	}
	static const char *const info[] = {
		"AAA/AUTHOR", "AAA/MEMORY", "AAA/SG", "AAA: parse", "AAA/BIND", "AAA/ACCT",
		"AAA/AUTHEN", "AAA/ID", "AAA/LOCAL", "AAA/SERVER",
	};
	for (size_t j = 0; j < sizeof info / sizeof *info; j++) {
		size_t l = strlen(info[j]);
		if (seg0 >= l && !memcmp(b, info[j], l))
			return;
	}
	raw_event(p, NULL, t, tn, id);
}

/* ---- IPsec ---- */

static void ipsec(struct ios_parser *p, const char *b, size_t n)
{
	size_t seg0 = ios_seg(b, n);
	int64_t sid = -1;
	size_t a;
	if ((a = after(b, seg0 < 40 ? seg0 : 40, "SESSION ID ="))) {
		a = skipws(b, seg0, a);
		sid = num_at(b, seg0, &a);
	}
	int created = LIT(b, seg0, "IPSEC(create_sa)") || (sid >= 0 && ios_memmem(b, seg0, "(create_sa)"));
	int deleted = LIT(b, seg0, "IPSEC(delete_sa)") || (sid >= 0 && ios_memmem(b, seg0, "(delete_sa)"));
	if (created || deleted) {
		struct ike_sess *s = sid >= 0 ? ike_find(p, sid) : NULL;
		/* (identity) local= X, remote= Y: the peer */
		size_t r = after(b, n, "remote= ");
		if (!s && r) {
			size_t e = r;
			while (e < n && b[e] != ',' && b[e] != ':' && b[e] != ' ' && b[e] != '\n')
				e++;
			if (ios_is_ip(b + r, e - r))
				s = ike_by_peer(p, intern(b + r, e - r));
		}
		struct ev e;
		ev_start(p, &e, EVK_ROUTER_IPSEC_SA);
		ike_keys(&e, s);
		e.result = intern_cstr(created ? "created" : "deleted");
		size_t sp = after(b, n, "sa_spi= ");
		if (sp) {
			size_t se = sp;
			while (se < n && b[se] != '(' && b[se] != ',' && b[se] != ' ' && b[se] != '\n')
				se++;
			e.text = intern(b + sp, se - sp);
		}
		const char *dest = NULL;
		size_t d = after(b, n, "sa_dest= ");
		if (d) {
			size_t de = d;
			while (de < n && b[de] != ',' && b[de] != ' ' && b[de] != '\n')
				de++;
			if (ios_is_ip(b + d, de - d))
				dest = intern(b + d, de - d);
		}
		e.detail = detailf(p, "IPsec SA %s%s%s%s%s", created ? "created" : "deleted",
				   e.text ? " spi " : "", e.text ? e.text : "", dest ? " dest " : "",
				   dest ? dest : "");
		emit(p, &e);
		return;
	}
	if (ios_memmem(b, seg0, "not supported") || ios_memmem(b, seg0, "not acceptable") ||
	    ios_memmem(b, seg0, "fail") || ios_memmem(b, seg0, "reject"))
		raw_event(p, sid >= 0 ? ike_find(p, sid) : NULL, b, seg0, -1);
}

/* ---- PKI ---- */

static void pki(struct ios_parser *p, const char *b, size_t n)
{
	size_t seg0 = ios_seg(b, n);
	struct ike_sess *s = p->cur_sid >= 0 ? ike_find(p, p->cur_sid) : NULL;
	if (ios_memmem(b, seg0, "No suitable trustpoints found")) {
		cert_failed(p, s, "no trustpoint for the peer certificate's issuer");
		return;
	}
	if (ios_memmem(b, seg0, "validation failed") || ios_memmem(b, seg0, "Validation failed") ||
	    ios_memmem(b, seg0, "has expired") || ios_memmem(b, seg0, "not yet valid") ||
	    ios_memmem(b, seg0, "is revoked") || ios_memmem(b, seg0, "Failed to verify signature") ||
	    ios_memmem(b, seg0, "chain validation") ) {
		cert_failed(p, s, msg_text(p, b, seg0, 200));
		return;
	}
}

/* ---- %FAC-SEV-MNEMONIC ---- */

static void sysmsg(struct ios_parser *p, const char *b, size_t n)
{
	size_t seg0 = ios_seg(b, n);
	const char *c = memchr(b, ':', seg0);
	if (!c)
		return;
	size_t ml = (size_t)(c - b);
	const char *mn = b + 1;
	size_t mnl = ml - 1;
	size_t i = skipws(b, seg0, ml + 1);
	const char *t = b + i;
	size_t tn = seg0 - i;
	while (tn && (t[tn - 1] == ' ' || t[tn - 1] == '\t'))
		tn--;
	struct ev e;
	ev_start(p, &e, EVK_ROUTER_SYSLOG);
	e.text = intern(mn, mnl);
	e.detail = msg_text(p, t, tn, 240);
	/* the severity digit */
	const char *d1 = memchr(mn, '-', mnl);
	if (d1 && d1 + 1 < mn + mnl && dig(d1[1]))
		e.code = d1[1] - '0';
	struct ike_sess *s = NULL;
	const char *peer = NULL;
	size_t a = after(t, tn, "Peer ");
	if (a) {
		size_t pe = a;
		while (pe < tn && t[pe] != ' ' && t[pe] != '\t')
			pe++;
		int32_t port;
		if (!ip_port(t + a, pe - a, &peer, &port) && ios_is_ip(t + a, pe - a))
			peer = intern(t + a, pe - a);
		s = ike_by_peer(p, peer);
	}
	ike_keys(&e, s);
	if (peer)
		e.client_ip = peer;
	emit(p, &e);
	if (LIT(mn, mnl, "CRYPTO-5-IKEV2_SESSION_STATUS") || LIT(mn, mnl, "IKEV2-5-SA_")) {
		const char *id = NULL;
		size_t ia = after(t, tn, "Id:");
		if (ia)
			id = ios_intern_trim(t + ia, tn - ia);
		if (ios_memmem(t, tn, " is UP") || ios_memmem(t, tn, "SA_UP"))
			sa_up(p, s, id);
		else if (ios_memmem(t, tn, " is DOWN") || ios_memmem(t, tn, "SA_DOWN"))
			sa_down(p, s, id);
		return;
	}
	if (LIT(mn, mnl, "PKI-") && ios_memmem(mn, mnl, "CERT") && mnl > 5 && dig(mn[4]) &&
	    mn[4] <= '4') {
		struct ike_sess *cs = s ? s : p->cur_sid >= 0 ? ike_find(p, p->cur_sid) : NULL;
		cert_failed(p, cs, msg_text(p, t, tn, 200));
	}
}

/* ---- show monitor event-trace crypto ikev2 event all ---- */

static void trace(struct ios_parser *p, const char *b, size_t n)
{
	size_t seg0 = ios_seg(b, n), k;
	int64_t said = -1, sid = -1;
	if ((k = after(b, seg0, "SA ID:")))
		said = num_at(b, seg0, &k);
	if ((k = after(b, seg0, "SESSION ID:")))
		sid = num_at(b, seg0, &k);
	const char *rip = NULL, *lip = NULL;
	int32_t rport = -1, lport = -1;
	size_t rs = after(b, seg0, "Remote: "), ls = after(b, seg0, "Local: ");
	size_t re_ = rs ? tok_end(b, seg0, rs) : 0, le = ls ? tok_end(b, seg0, ls) : 0;
	const char *slash;
	if (rs && (slash = memchr(b + rs, '/', re_ - rs))) {
		size_t sl = (size_t)(slash - b);
		if (ios_is_ip(b + rs, sl - rs)) {
			rip = intern(b + rs, sl - rs);
			size_t q = sl + 1;
			rport = (int32_t)num_at(b, re_, &q);
		}
	}
	if (ls && (slash = memchr(b + ls, '/', le - ls))) {
		size_t sl = (size_t)(slash - b);
		if (ios_is_ip(b + ls, sl - ls)) {
			lip = intern(b + ls, sl - ls);
			size_t q = sl + 1;
			lport = (int32_t)num_at(b, le, &q);
		}
	}
	size_t m = skipws(b, seg0, le ? le : seg0);
	const char *t = b + m;
	size_t tn = seg0 - m;
	while (tn && t[tn - 1] == ' ')
		tn--;
	struct ike_sess *s = ike_get(p, sid);
	if (s) {
		if (said >= 0)
			s->said = said;
		if (rip) {
			s->peer_ip = rip;
			s->peer_port = rport;
		}
		if (lip)
			s->local_ip = lip;
		p->cur_sid = sid;
	}
	char ctx[160];
	snprintf(ctx, sizeof ctx, " (sa %lld, remote %s/%d, local %s/%d)", (long long)said,
		 rip ? rip : "?", rport, lip ? lip : "?", lport);
	sbuf_reset(&p->scratch);
	const char *msg = msg_text(p, t, tn, 240);
	if (sbuf_printf(&p->scratch, "%s%s", msg ? msg : "", ctx)) {
		/* capped */
	}
	const char *detail = intern(p->scratch.p, p->scratch.len);
	size_t j = 0;
	if (tn > 4 && t[0] == '(' && t[2] == ')')
		j = skipws(t, tn, 3);
	const char *u = t + j;
	size_t un = tn - j;
	struct ev e;
	int sending = LIT(u, un, "Sending "), recv = LIT(u, un, "Received ");
	if ((sending || recv) && ios_memmem(u, un, " Exchange ") && !ios_memmem(u, un, "Contains")) {
		size_t xs = after(u, un, "IKEv2 ");
		const char *xe = xs ? memchr(u + xs, ' ', un - xs) : NULL;
		const char *xname = NULL;
		int code = xe ? ios_exchange_code(u + xs, (size_t)(xe - (u + xs)), &xname) : -1;
		ev_start(p, &e, EVK_IKE_EXCHANGE);
		ike_keys(&e, s);
		e.code = code;
		e.text = xname;
		e.result = ios_memmem(u, un, "REQUEST") ? intern_cstr("request")
			   : ios_memmem(u, un, "RESPONSE") ? intern_cstr("response") : NULL;
		e.from = sending ? ROLE_HEADEND : ROLE_CLIENT;
		e.to = sending ? ROLE_CLIENT : ROLE_HEADEND;
		e.detail = detail;
		emit(p, &e);
		return;
	}
	if (ios_memmem(u, un, "DELETE INFO message for IKEv2 SA")) {
		size_t a = after(u, un, "ISPI: "), r = after(u, un, "RSPI: ");
		int ok;
		if (s && a) {
			uint64_t v = ios_hex64(u + a, tok_end(u, un, a) - a, &ok);
			if (ok && v)
				s->spi_i = v;
		}
		if (s && r) {
			size_t re2 = r;
			while (re2 < un && u[re2] != ']' && u[re2] != ' ')
				re2++;
			uint64_t v = ios_hex64(u + r, re2 - r, &ok);
			if (ok && v)
				s->spi_r = v;
		}
		if (s && !s->down) {
			s->down = 1;
			ike_simple(p, s, EVK_IKE_SA_DOWN, "down", NULL, detail);
			return;
		}
	} else if (ios_memmem(u, un, "DELETE INFO message for IPsec SA")) {
		size_t a = after(u, un, "SPI: ");
		ev_start(p, &e, EVK_ROUTER_IPSEC_SA);
		ike_keys(&e, s);
		e.result = intern_cstr("deleted");
		if (a) {
			size_t ae = a;
			while (ae < un && u[ae] != ']' && u[ae] != ' ')
				ae++;
			e.text = intern(u + a, ae - a);
		}
		e.detail = detail;
		emit(p, &e);
		return;
	} else if (LIT(u, un, "Session with IKE ID PAIR") && s && !s->up) {
		s->up = 1;
		ike_simple(p, s, EVK_IKE_SA_UP, "ok", NULL, detail);
		return;
	}
	ev_start(p, &e, EVK_RAW);
	ike_keys(&e, s);
	e.detail = detail;
	emit(p, &e);
}

/* ---- entry ---- */

void iosd_init(struct ios_parser *p)
{
	for (size_t i = 0; i < IKE_SLOTS; i++)
		p->ike[i].sid = -1;
	for (size_t i = 0; i < RAD_SLOTS; i++)
		p->rad[i].key = -1;
	p->last_req = -1;
	p->bad_key = -1;
	p->cur_sid = -1;
	p->aaa_sid = -1;
	p->aaa_sid_ts = EV_NO_TS;
	sbuf_init(&p->scratch, 4096);
	sbuf_init(&p->scratch2, 4096);
	sbuf_init(&p->flat, 1u << 20);
	sbuf_init(&p->pkt.raw, 8192);
}

void iosd_free(struct ios_parser *p)
{
	sbuf_free(&p->scratch);
	sbuf_free(&p->scratch2);
	sbuf_free(&p->flat);
	sbuf_free(&p->pkt.raw);
}

void iosd_record(struct ios_parser *p, const char *b, size_t n, unsigned fam)
{
	p->raw = p->rec.p;
	p->raw_len = ios_seg(p->rec.p, p->rec.len);
	if (fam != F_RADIUS)
		rad_close(p);
	if (fam == F_TRACE || fam == F_SYSMSG || fam == F_AAA || fam == F_PKI) {
		/* one-line messages: segments are only where a console cut them;
		 * whitespace runs become one space either way */
		sbuf_reset(&p->flat);
		int sp = 0;
		for (size_t i = 0; i < n; i++) {
			char c = b[i];
			if (c == ' ' || c == '\t' || c == '\n') {
				sp = 1;
				continue;
			}
			if ((sp && p->flat.len && sbuf_addc(&p->flat, ' ')) || sbuf_addc(&p->flat, c))
				break;
			sp = 0;
		}
		b = sbuf_cstr(&p->flat);
		n = p->flat.len;
	}
	switch (fam) {
	case F_IKEV2:
		ikev2(p, b, n);
		break;
	case F_RADIUS:
		radius(p, b, n);
		break;
	case F_AAA:
		aaa(p, b, n);
		break;
	case F_IPSEC:
		ipsec(p, b, n);
		break;
	case F_PKI:
		pki(p, b, n);
		break;
	case F_SYSMSG:
		sysmsg(p, b, n);
		break;
	case F_TRACE:
		trace(p, b, n);
		break;
	case F_NOAUTH: {
		struct rad_req *r = rad_last(p);
		struct ev e;
		ev_start(p, &e, EVK_AAA_TIMEOUT);
		rad_keys(&e, r);
		e.flags &= ~EVF_REQ_AUTH;
		e.result = intern_cstr("timeout");
		e.text = intern_cstr("no authoritative response from any server");
		e.detail = e.text;
		emit(p, &e);
		break;
	}
	default:
		p->unknown++;
		break;
	}
}
