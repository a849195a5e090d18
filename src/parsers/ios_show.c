/* \summary: IOS XE show output: crypto IKEv2 SAs, sessions, stats, event trace
 *
 * `show crypto ikev2 sa [detailed]`, `show crypto ikev2 session detailed`
 * (with Child sa blocks), `show crypto session [remote X] [detail]`,
 * `show crypto ikev2 stats [exchange|ext-service|timeout|reconnect]`,
 * `show crypto ikev2 diagnose error`. (`show monitor event-trace crypto
 * ikev2` lines are stamped and read by ios_debug.c; `show clock` by ios.c.)
 *
 * Each record becomes one router.show event without time (EV_NO_TS) that
 * joins sessions by keys: SPIs (spi_i is the initiator's: the remote SPI
 * when "Initiator of SA : No"), SESSION ID, peer address, Remote EAP id,
 * assigned or pushed address. result names the record type, text its
 * status or row name, num the row's main counter, and detail the record's
 * lines with whitespace collapsed, so every value printed is in the event.
 * Lines inside a record that the grammar does not know become raw events
 * carrying the record's keys.
 */
#include "parsers/ios_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum lk {
	L_UNKNOWN,
	/* block headers: shape 2 */
	L_AF, L_AF_SESS, L_SESSHDR, L_TUNHDR, L_CSTATUS, L_IFACE, L_XHDR, L_OPHDR,
	L_TIMERHDR, L_STATSHDR, L_RECONN, L_EXITPATH,
	/* fields: shape 3 */
	L_ROW_SA, L_LOCAL6, L_REMOTE6, L_FIELD, L_CESESS, L_SPIS, L_LOCAL_ID, L_REMOTE_ID,
	L_EAPID, L_ASSIGNED, L_INITIATOR, L_PUSHED, L_SUBNETS, L_CHILD, L_CHILD_FIELD,
	L_CS_PROFILE, L_CS_FIELD, L_CS_USER, L_CS_ASSIGNED, L_CS_STATUS, L_CS_PEER, L_CS_SID,
	L_CS_IKESA, L_CS_REMOTE, L_FLOW, L_FLOW_FIELD, L_ERROR, L_TRACEBACK,
	/* generic: shape 1 */
	L_DASHES, L_LEGEND, L_SECTION, L_SELECTOR, L_SUBNET, L_STATUSWORD, L_COUNTER, L_LABEL,
};

enum { B_NONE, B_SA, B_CS, B_STATS, B_XCHG, B_EXT, B_TIMER, B_RECONN, B_DIAG };
enum { RT_NONE, RT_SA, RT_CHILD, RT_CS, RT_FLOW, RT_STATS, RT_ERROR };
enum { W_NONE, W_EAPID, W_STATUS, W_HOST };
enum { S_SPIS = 1, S_CESESS = 2, S_EAPID = 4, S_ASSIGNED = 8, S_PUSHED = 16, S_INIT = 32,
       S_PEER = 64, S_SID = 128, S_USER = 256, S_CSASSIGNED = 512, S_STATUS = 1024 };

#define MAX_UNKNOWN 64

struct ios_show {
	uint8_t block, rt, want, subnets, initiator;     /* initiator: 0 ?, 1 yes, 2 no */
	uint32_t seen;              /* fields met at the start of a line (F_*) */
	uint64_t line;
	struct sbuf sum, raw, unk, hdr;
	struct { size_t off, len; uint64_t line; } unk_v[MAX_UNKNOWN];
	unsigned nunk;
	/* the record's keys */
	uint64_t lspi, rspi;
	int64_t sid;
	const char *lip, *rip, *user, *assigned, *status, *pushed, *peer;
	int32_t lport, rport;
	/* the parent record's keys (child SAs, IPsec flows) */
	uint64_t p_spi_i, p_spi_r;
	int64_t p_sid;
	const char *p_client, *p_user, *p_assigned;
	/* tables */
	char section[48];
	unsigned cols;
};

struct ios_show *show_new(void)
{
	struct ios_show *s = xcalloc(1, sizeof *s);
	sbuf_init(&s->sum, 1u << 16);
	sbuf_init(&s->raw, 1u << 14);
	sbuf_init(&s->unk, 1u << 16);
	sbuf_init(&s->hdr, 1u << 10);
	s->sid = s->p_sid = -1;
	return s;
}

void show_free(struct ios_show *s)
{
	if (!s)
		return;
	sbuf_free(&s->sum);
	sbuf_free(&s->raw);
	sbuf_free(&s->unk);
	sbuf_free(&s->hdr);
	free(s);
}

/* ---- text ---- */

static size_t rtrim(const char *s, size_t n)
{
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	return n;
}

/* value after "label:" (trimmed), or NULL */
static const char *val_after(const char *t, size_t n, const char *label)
{
	const char *f = ios_memmem(t, n, label);
	if (!f)
		return NULL;
	size_t a = (size_t)(f - t) + strlen(label);
	return ios_intern_trim(t + a, n - a);
}

/* the first token after label */
static const char *tok_after(const char *t, size_t n, const char *label)
{
	const char *f = ios_memmem(t, n, label);
	if (!f)
		return NULL;
	size_t a = skipws(t, n, (size_t)(f - t) + strlen(label));
	size_t e = tok_end(t, n, a);
	return e > a ? intern(t + a, e - a) : NULL;
}

/* Address-looking (show output is not always valid: Genie's fixtures
 * carry "1.1.1::1"): hex digits, dots and colons, with a dot or colon. */
static int looks_ip(const char *s, size_t n)
{
	if (n < 2 || n > 45)
		return 0;
	int sep = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '.' || s[i] == ':')
			sep = 1;
		else if (!isxdigit((unsigned char)s[i]))
			return 0;
	}
	return sep;
}

/* "1.1.1.1/500" → ip, port */
static int addr_port(const char *s, size_t n, const char **ip, int32_t *port)
{
	const char *sl = NULL;
	for (size_t i = n; i-- > 0;)
		if (s[i] == '/') {
			sl = s + i;
			break;
		}
	if (!sl)
		return 0;
	size_t il = (size_t)(sl - s);
	if (!looks_ip(s, il))
		return 0;
	int32_t v = 0;
	size_t k = il + 1;
	if (k >= n)
		return 0;
	for (; k < n && dig(s[k]); k++)
		v = v * 10 + (s[k] - '0');
	if (k != n || v > 65535)
		return 0;
	*ip = intern(s, il);
	*port = v;
	return 1;
}

static int is_addr_port(const char *s, size_t n)
{
	size_t sl = n;
	while (sl > 0 && s[sl - 1] != '/')
		sl--;
	if (!sl || sl == n)
		return 0;
	for (size_t k = sl; k < n; k++)
		if (!dig(s[k]))
			return 0;
	return n - sl <= 5 && looks_ip(s, sl - 1);
}

static void sum_add_pref(struct sbuf *b, const char *pref, const char *s, size_t n)
{
	n = rtrim(s, n);
	size_t i = skipws(s, n, 0);
	if (i >= n)
		return;
	if (b->len && sbuf_addc(b, ' '))     /* a space: a wrap may have cut anywhere */
		return;
	if (pref && sbuf_adds(b, pref))
		return;
	int sp = 0;
	for (; i < n; i++) {
		char c = s[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			sp = 1;
			continue;
		}
		if (sp && sbuf_addc(b, ' '))
			return;
		sp = 0;
		if (sbuf_addc(b, c))
			return;
	}
}

static void sum_add(struct sbuf *b, const char *s, size_t n)
{
	sum_add_pref(b, NULL, s, n);
}

static int is_upper_word(const char *s, size_t n)
{
	if (!n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || s[i] == '-' || s[i] == '_'))
			return 0;
	return 1;
}

/* trailing numeric tokens: how many, and where the name ends */
static unsigned trailing_numbers(const char *s, size_t n, size_t *name_end, int64_t *v,
				 unsigned max)
{
	unsigned c = 0;
	size_t e = rtrim(s, n);
	int64_t tmp[8];
	while (e > 0 && c < 8) {
		size_t b = e;
		while (b > 0 && dig(s[b - 1]))
			b--;
		if (b == e || (b > 0 && s[b - 1] != ' ' && s[b - 1] != '\t'))
			break;
		int64_t x = 0;
		for (size_t i = b; i < e && i - b < 18; i++)
			x = x * 10 + (s[i] - '0');
		tmp[c++] = x;
		e = rtrim(s, b);
	}
	*name_end = e;
	for (unsigned i = 0; i < c && i < max; i++)
		v[i] = tmp[c - 1 - i];
	return c;
}

#define L(x, k) {x, sizeof(x) - 1, k}
static const struct {
	const char *lit;
	size_t len;
	uint8_t kind;
} lits[] = {
	L("IPv4 Crypto IKEv2 Session", L_AF_SESS),
	L("IPv6 Crypto IKEv2 Session", L_AF_SESS),
	L("IPv4 Crypto IKEv2", L_AF),
	L("IPv6 Crypto IKEv2", L_AF),
	L("Session-id:", L_SESSHDR),
	L("Tunnel-id", L_TUNHDR),
	L("Crypto session current status", L_CSTATUS),
	L("Interface:", L_IFACE),
	L("EXCHANGE/NOTIFY", L_XHDR),
	L("IKEV2 TIMER", L_TIMERHDR),
	L("Crypto IKEv2 SA Statistics", L_STATSHDR),
	L("System Resource Limit:", L_STATSHDR),
	L("Total incoming reconnect connection", L_RECONN),
	L("Exit Path Table", L_EXITPATH),
	L("Encr:", L_FIELD),
	L("PQC Key Exchange:", L_FIELD),
	L("Life/Active Time:", L_FIELD),
	L("CE id:", L_CESESS),
	L("Status Description:", L_FIELD),
	L("Local spi:", L_SPIS),
	L("Local id:", L_LOCAL_ID),
	L("Remote id:", L_REMOTE_ID),
	L("Remote EAP id:", L_EAPID),
	L("Local req msg id:", L_FIELD),
	L("Local next msg id:", L_FIELD),
	L("Local req queued:", L_FIELD),
	L("Local window:", L_FIELD),
	L("DPD configured", L_FIELD),
	L("Fragmentation", L_FIELD),
	L("IETF Std Fragmentation", L_FIELD),
	L("Dynamic Route Update:", L_FIELD),
	L("Extended Authentication", L_FIELD),
	L("NAT-T is", L_FIELD),
	L("Cisco Trust Security", L_FIELD),
	L("Assigned host addr:", L_ASSIGNED),
	L("Initiator of SA", L_INITIATOR),
	L("Pushed IP address:", L_PUSHED),
	L("Remote subnets:", L_SUBNETS),
	L("PEER TYPE:", L_FIELD),
	L("Quantum", L_FIELD),
	L("Local Sys Id:", L_FIELD),
	L("Child sa:", L_CHILD),
	L("local selector", L_CHILD_FIELD),
	L("ESP spi in/out:", L_CHILD_FIELD),
	L("AH spi in/out:", L_CHILD_FIELD),
	L("CPI in/out:", L_CHILD_FIELD),
	L("ah_hmac:", L_CHILD_FIELD),
	L("Profile:", L_CS_PROFILE),
	L("Uptime:", L_CS_FIELD),
	L("Username:", L_CS_USER),
	L("Group:", L_CS_FIELD),
	L("Assigned address:", L_CS_ASSIGNED),
	L("Session status:", L_CS_STATUS),
	L("Peer:", L_CS_PEER),
	L("Phase1_id:", L_CS_FIELD),
	L("Desc:", L_CS_FIELD),
	L("Session ID:", L_CS_SID),
	L("IKEv2 SA:", L_CS_IKESA),
	L("IKEv1 SA:", L_CS_IKESA),
	L("IKE SA:", L_CS_IKESA),
	L("Capabilities:", L_CS_FIELD),
	L("IPSEC FLOW:", L_FLOW),
	L("Active SAs:", L_FLOW_FIELD),
	L("Inbound:", L_FLOW_FIELD),
	L("Outbound:", L_FLOW_FIELD),
	L("Error(", L_ERROR),
	L("-Traceback=", L_TRACEBACK),
	L("Code:", L_LEGEND),
	L("EXCHANGES", L_SECTION),
	L("ERROR NOTIFY", L_SECTION),
	L("OTHER NOTIFY", L_SECTION),
	L("CONFIG PAYLOAD TYPE", L_SECTION),
	L("OTHER COUNTERS", L_SECTION),
};
#undef L

static unsigned classify(const char *s, size_t n)
{
	n = rtrim(s, n);
	size_t i = skipws(s, n, 0);
	const char *t = s + i;
	size_t tn = n - i;
	if (!tn)
		return L_UNKNOWN;
	for (size_t k = 0; k < sizeof lits / sizeof *lits; k++)
		if (t[0] == lits[k].lit[0] && tn >= lits[k].len && !memcmp(t, lits[k].lit, lits[k].len))
			return lits[k].kind;
	/* "Local  2001:DB8::1/500" (IPv6 layout), "remote 1.1.1.1/500 Active" */
	if (LIT(t, tn, "Local ") || LIT(t, tn, "Remote ") || LIT(t, tn, "remote ")) {
		size_t a = skipws(t, tn, t[0] == 'L' ? 6 : 7), e = tok_end(t, tn, a);
		if (is_addr_port(t + a, e - a))
			return t[0] == 'L' ? L_LOCAL6 : t[0] == 'R' ? L_REMOTE6 : L_CS_REMOTE;
	}
	size_t k = 0;
	while (k < tn && t[k] == '-')
		k++;
	if (k == tn && k >= 5)
		return L_DASHES;
	if (tn >= 4 && t[0] >= 'A' && t[0] <= 'Z' && t[1] == ' ' && t[2] == '-' && t[3] == ' ')
		return L_LEGEND;
	if (ios_memmem(t, tn, "OPERATION") && ios_memmem(t, tn, "PASSED") &&
	    ios_memmem(t, tn, "FAILED"))
		return L_OPHDR;
	/* data row: "<tid> <local>/<p> <remote>/<p> <fvrf>/<ivrf> [status]" or
	 * the IPv6 layout "<tid> <fvrf>/<ivrf> [status]" */
	if (dig(t[0])) {
		size_t e0 = tok_end(t, tn, 0);
		int alldig = 1;
		for (size_t q = 0; q < e0; q++)
			alldig &= dig(t[q]);
		size_t a1 = skipws(t, tn, e0), e1 = tok_end(t, tn, a1);
		size_t a2 = skipws(t, tn, e1), e2 = tok_end(t, tn, a2);
		size_t a3 = skipws(t, tn, e2);
		if (alldig && e1 > a1 && memchr(t + a1, '/', e1 - a1)) {
			/* "<tid> <local>/<p> <remote>/<p> ..." or "<tid> <fvrf>/<ivrf> [STATUS]" */
			if (is_addr_port(t + a1, e1 - a1) && e2 > a2 && is_addr_port(t + a2, e2 - a2))
				return L_ROW_SA;
			const char *sl = memchr(t + a1, '/', e1 - a1);
			if (a3 >= tn && (e2 == a2 || is_upper_word(t + a2, e2 - a2)) &&
			    !looks_ip(t + a1, (size_t)(sl - (t + a1))))
				return L_ROW_SA;
		}
		/* a row a narrow console cut: "<tid>    <addr>..." in its columns */
		if (alldig && a1 >= e0 + 2 && e1 > a1) {
			size_t q = a1;
			while (q < e1 && (isxdigit((unsigned char)t[q]) || t[q] == '.' || t[q] == ':'))
				q++;
			if (q - a1 >= 3 && (memchr(t + a1, '.', q - a1) || memchr(t + a1, ':', q - a1)) &&
			    (q == e1 || t[q] == '/'))
				return L_ROW_SA;
		}
		/* subnet "10.0.0.0 255.0.0.0" */
		if (e1 > a1 && ios_is_ip(t, e0) && ios_is_ip(t + a1, e1 - a1) &&
		    skipws(t, tn, e1) == tn)
			return L_SUBNET;
	}
	{
		/* a selector "<ip>/<port> - <ip>/<port> -> ..." (maybe cut) */
		size_t e = tok_end(t, tn, 0);
		const char *sl = memchr(t, '/', e);
		if (sl && ios_is_ip(t, (size_t)(sl - t)) && (ios_memmem(t, tn, " - ") ||
							    ios_memmem(t, tn, "->")))
			return L_CHILD_FIELD;
	}
	size_t e0 = tok_end(t, tn, 0);
	if (e0 == tn && is_upper_word(t, tn))
		return L_STATUSWORD;
	size_t ne;
	int64_t v[8];
	if (t[0] >= 'A' && t[0] <= 'Z' && trailing_numbers(t, tn, &ne, v, 8) && ne > 0) {
		int up = 1;
		for (size_t q = 0; q < ne; q++)
			if (!((t[q] >= 'A' && t[q] <= 'Z') || dig(t[q]) || t[q] == '_' || t[q] == ' ' ||
			      t[q] == '(' || t[q] == ')' || t[q] == '/' || t[q] == '-'))
				up = 0;
		if (up)
			return L_COUNTER;
	}
	/* "Label words: value" (no space before the colon) */
	if (isalpha((unsigned char)t[0])) {
		for (size_t q = 1; q < tn && q < 64; q++) {
			char c = t[q];
			if (c == ':') {
				if (t[q - 1] != ' ')
					return L_LABEL;
				break;
			}
			if (!(isalnum((unsigned char)c) || c == ' ' || c == '_' || c == '/' ||
			      c == '(' || c == ')' || c == '.' || c == ',' || c == '-'))
				break;
		}
	}
	return L_UNKNOWN;
}

static int shape_of(unsigned k)
{
	switch (k) {
	case L_UNKNOWN:
		return 0;
	case L_LABEL: case L_STATUSWORD: case L_COUNTER: case L_SUBNET:
		return 1;               /* could as well be the rest of a wrapped line */
	}
	return k <= L_EXITPATH ? 2 : 3;
}

int show_is_header(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	const char *t = s + i;
	size_t tn = n - i;
	if (!tn)
		return 0;
	/* the headers lead the table */
	for (size_t k = 0; k < sizeof lits / sizeof *lits && lits[k].kind <= L_EXITPATH; k++)
		if (t[0] == lits[k].lit[0] && tn >= lits[k].len && !memcmp(t, lits[k].lit, lits[k].len))
			return 1;
	return t[0] >= 'A' && t[0] <= 'Z' && tn > 20 && t[tn - 1] == 'D' &&
	       shape_of(classify(s, n)) == 2;    /* "... OPERATION  PASSED  FAILED" */
}

int show_shape(const char *s, size_t n)
{
	return shape_of(classify(s, n));
}

/* The lines of `show crypto ikev2 stats` start with these words. */
static int stats_line(const char *s, size_t n)
{
	static const char *const w[] = {
		"System Resource", "Total ", "Incoming ", "Outgoing ", "Rejected ",
		"IKEv2 packets", "Sessions with", "PPK ", "SA Strength", "accepted:", "Max ",
	};
	size_t i = skipws(s, n, 0);
	for (size_t k = 0; k < sizeof w / sizeof *w; k++)
		if (n - i >= strlen(w[k]) && !memcmp(s + i, w[k], strlen(w[k])))
			return 1;
	return 0;
}

/* "<tid> <local>/<p> <remote>/<p>" without its "<fvrf>/<ivrf>", or a
 * selector "<a>/<p> - <b>/<p> -> <c>/<p> - <d>/<p>" cut short */
static int row_incomplete(const char *s, size_t n)
{
	unsigned k = classify(s, n);
	if (k == L_CHILD_FIELD && ios_memmem(s, n, " - ")) {
		size_t e = rtrim(s, n), b = e;
		while (b > 0 && s[b - 1] != ' ')
			b--;
		const char *arrow = ios_memmem(s, n, "->");
		return !arrow || !memchr(s + b, '/', e - b) || !ios_memmem(arrow, n - (size_t)(arrow - s), " - ");
	}
	if (k != L_ROW_SA)
		return 0;
	size_t a[4], e[4];
	unsigned c = 0;
	for (size_t i = 0; i < n && c < 4;) {
		i = skipws(s, n, i);
		if (i >= n)
			break;
		a[c] = i;
		e[c] = tok_end(s, n, i);
		i = e[c++];
	}
	return c >= 2 && c < 4 && is_addr_port(s + a[1], e[1] - a[1]);
}

int show_join(const struct ios_show *st, const char *prev, size_t pn, const char *s, size_t n,
	      int cut)
{
	if (!cut)
		return 0;
	int mid = pn && prev[pn - 1] != ' ' && prev[pn - 1] != '\t' && s[0] != ' ' && s[0] != '\t';
	if (mid && strchr("/:.,", prev[pn - 1]))
		return 1;               /* an address or a list was cut */
	if (mid && row_incomplete(prev, pn))
		return 1;               /* an SA row cut before its vrf column */
	unsigned k = classify(s, n);
	int sh = shape_of(k);
	if (sh >= 2)
		return 0;               /* a block, a record or a field starts */
	int table = st->block == B_XCHG || st->block == B_EXT || st->block == B_TIMER;
	int own = (k == L_COUNTER && table) || (k == L_LABEL && st->block == B_RECONN) ||
		  (k == L_LABEL && st->rt == RT_STATS && stats_line(s, n)) ||
		  (k == L_SUBNET && st->subnets);
	if (!own)
		return 1;               /* unknown or generic: the rest of a cut line */
	/* a line of its own here: a table row always (its name is shorter
	 * than any console), a known label line unless the cut fell inside a
	 * word that does not start with a capital */
	if (k == L_COUNTER && table)
		return 0;
	return mid && !isupper((unsigned char)s[0]);
}

/* ---- records ---- */

static void unk_add(struct ios_show *s, const char *t, size_t n, uint64_t line)
{
	if (s->nunk >= MAX_UNKNOWN)
		return;
	size_t off = s->unk.len;
	if (sbuf_add(&s->unk, t, n))
		return;
	s->unk_v[s->nunk].off = off;
	s->unk_v[s->nunk].len = n;
	s->unk_v[s->nunk].line = line;
	s->nunk++;
}

static void open_rec(struct ios_show *s, unsigned rt, const char *line, size_t n, uint64_t lineno)
{
	s->rt = (uint8_t)rt;
	s->line = lineno;
	sbuf_reset(&s->sum);
	sbuf_reset(&s->raw);
	sbuf_reset(&s->unk);
	s->nunk = 0;
	if (sbuf_add(&s->raw, line, rtrim(line, n))) {
		/* capped */
	}
	s->lspi = s->rspi = 0;
	s->sid = -1;
	s->lip = s->rip = s->user = s->assigned = s->status = s->pushed = s->peer = NULL;
	s->lport = s->rport = -1;
	s->initiator = 0;
	s->subnets = 0;
	s->seen = 0;
	s->want = W_NONE;
}

/* A field that a wrap (or a capture's own layout) put in the middle of a
 * logical line: find it in the record's text. */
static const char *sum_tok(struct ios_show *s, const char *label)
{
	return s->sum.len ? tok_after(s->sum.p, s->sum.len, label) : NULL;
}

static void keys_from_text(struct ios_show *s)
{
	const char *v;
	int ok;
	if (s->rt == RT_SA) {
		if (!(s->seen & S_SPIS)) {
			if ((v = sum_tok(s, "Local spi:")))
				s->lspi = ios_hex64(v, strlen(v), &ok);
			if ((v = sum_tok(s, "Remote spi:")))
				s->rspi = ios_hex64(v, strlen(v), &ok);
		}
		if (!(s->seen & S_CESESS) && (v = sum_tok(s, ", Session-id:")))
			s->sid = atoll(v);
		if (!(s->seen & S_EAPID) && !s->user && (v = sum_tok(s, "Remote EAP id:")))
			s->user = v;
		if (!(s->seen & S_ASSIGNED) && (v = sum_tok(s, "Assigned host addr:")) &&
		    ios_is_ip(v, strlen(v)))
			s->assigned = v;
		if (!(s->seen & S_PUSHED) && (v = sum_tok(s, "Pushed IP address:")) &&
		    ios_is_ip(v, strlen(v)))
			s->pushed = v;
		if (!(s->seen & S_INIT) && (v = sum_tok(s, "Initiator of SA :")))
			s->initiator = v[0] == 'Y' || v[0] == 'y' ? 1 : 2;
	} else if (s->rt == RT_CS) {
		if (!(s->seen & S_PEER) && (v = sum_tok(s, "Peer:")) && ios_is_ip(v, strlen(v)))
			s->peer = v;
		if (!(s->seen & S_SID) && (v = sum_tok(s, "Session ID:")))
			s->sid = atoll(v);
		if (!(s->seen & S_USER) && (v = sum_tok(s, "Username:")))
			s->user = v;
		if (!(s->seen & S_CSASSIGNED) && (v = sum_tok(s, "Assigned address:")) &&
		    ios_is_ip(v, strlen(v)))
			s->assigned = v;
		if (!(s->seen & S_STATUS) && (v = sum_tok(s, "Session status:")))
			s->status = v;
	}
}

static void fill_keys(struct ios_show *s, struct ev *e)
{
	switch (s->rt) {
	case RT_SA: {
		int init = s->initiator == 1;
		e->spi_i = init ? s->lspi : s->rspi;
		e->spi_r = init ? s->rspi : s->lspi;
		e->ike_session = s->sid;
		e->client_ip = s->pushed ? s->lip : s->rip;
		e->user = s->user;
		e->assigned_ip = s->assigned ? s->assigned : s->pushed;
		s->p_spi_i = e->spi_i;
		s->p_spi_r = e->spi_r;
		s->p_sid = e->ike_session;
		s->p_client = e->client_ip;
		s->p_user = e->user;
		s->p_assigned = e->assigned_ip;
		break;
	}
	case RT_CS:
		e->ike_session = s->sid;
		e->client_ip = s->peer;
		e->user = s->user;
		e->assigned_ip = s->assigned;
		s->p_spi_i = s->p_spi_r = 0;
		s->p_sid = s->sid;
		s->p_client = s->peer;
		s->p_user = s->user;
		s->p_assigned = s->assigned;
		break;
	case RT_CHILD:
	case RT_FLOW:
		e->spi_i = s->p_spi_i;
		e->spi_r = s->p_spi_r;
		e->ike_session = s->p_sid;
		e->client_ip = s->p_client;
		e->user = s->p_user;
		e->assigned_ip = s->assigned ? s->assigned : s->p_assigned;
		break;
	}
}

static void emit_show(struct ios_parser *p, struct ev *e, const struct ios_show *s)
{
	(void)s;
	iosp_emit(p, e, iosp_no_ts());
}

static void end_rec(struct ios_parser *p, struct ios_show *s)
{
	if (s->rt == RT_NONE)
		return;
	static const char *const names[] = {"", "ikev2-sa", "child-sa", "crypto-session",
					    "ipsec-flow", "stats", "error"};
	keys_from_text(s);
	struct ev e;
	iosp_ev(p, &e, EVK_ROUTER_SHOW, s->line);
	fill_keys(s, &e);
	e.result = intern_cstr(names[s->rt]);
	e.text = s->status;
	e.detail = s->sum.len ? intern(s->sum.p, s->sum.len) : NULL;
	e.raw = s->raw.len ? s->raw.p : NULL;
	e.raw_len = s->raw.len;
	emit_show(p, &e, s);
	for (unsigned i = 0; i < s->nunk; i++) {
		struct ev r;
		iosp_ev(p, &r, EVK_RAW, s->unk_v[i].line);
		fill_keys(s, &r);
		const char *t = s->unk.p + s->unk_v[i].off;
		size_t tn = s->unk_v[i].len;
		sbuf_reset(&s->raw);
		sum_add(&s->raw, t, tn);
		r.detail = s->raw.len ? intern(s->raw.p, s->raw.len) : NULL;
		r.raw = t;
		r.raw_len = tn;
		emit_show(p, &r, s);
	}
	s->rt = RT_NONE;
	s->nunk = 0;
	s->want = W_NONE;
}

/* a single-line record: a counter row, an exit path line */
static void row_event(struct ios_parser *p, struct ios_show *s, const char *res, const char *name,
		      size_t nn, int64_t num, int32_t code, const char *line, size_t n,
		      uint64_t lineno, const char *detail)
{
	struct ev e;
	iosp_ev(p, &e, EVK_ROUTER_SHOW, lineno);
	e.result = intern_cstr(res);
	e.text = ios_intern_trim(name, nn);
	e.num = num;
	e.code = code;
	e.detail = detail;
	e.raw = line;
	e.raw_len = rtrim(line, n);
	emit_show(p, &e, s);
}

void show_end(struct ios_parser *p, struct ios_show *s)
{
	end_rec(p, s);
	s->block = B_NONE;
	s->want = W_NONE;
	sbuf_reset(&s->hdr);
	s->section[0] = 0;
}

static void sa_row(struct ios_show *s, const char *t, size_t tn)
{
	/* tokens: tid, [local/p, remote/p,] fvrf/ivrf, [status] */
	size_t a[6], e[6];
	unsigned c = 0;
	for (size_t i = 0; i < tn && c < 6;) {
		i = skipws(t, tn, i);
		if (i >= tn)
			break;
		a[c] = i;
		e[c] = tok_end(t, tn, i);
		i = e[c++];
	}
	sbuf_reset(&s->sum);
	if (s->hdr.len) {
		if (sbuf_add(&s->sum, s->hdr.p, s->hdr.len)) {
			/* capped */
		}
	}
	unsigned st = 0;
	if (c >= 4 && addr_port(t + a[1], e[1] - a[1], &s->lip, &s->lport) &&
	    addr_port(t + a[2], e[2] - a[2], &s->rip, &s->rport)) {
		st = 4;
	} else if (c >= 2) {
		st = 2;
	}
	if (st && c > st && is_upper_word(t + a[st], e[st] - a[st]))
		s->status = intern(t + a[st], e[st] - a[st]);
	if (st && !s->status)
		s->want = W_STATUS;
	sum_add_pref(&s->sum, "tunnel ", t, tn);
}

static void spis(struct ios_show *s, const char *t, size_t tn)
{
	const char *l = tok_after(t, tn, "Local spi:"), *r = tok_after(t, tn, "Remote spi:");
	int ok;
	if (l)
		s->lspi = ios_hex64(l, strlen(l), &ok);
	if (r)
		s->rspi = ios_hex64(r, strlen(r), &ok);
}

static void cs_peer(struct ios_show *s, const char *t, size_t tn)
{
	size_t a = skipws(t, tn, 5), e = tok_end(t, tn, a);
	if (ios_is_ip(t + a, e - a))
		s->peer = intern(t + a, e - a);
}

static void flow_assigned(struct ios_show *s, const char *t, size_t tn)
{
	/* "IPSEC FLOW: permit ip 0.0.0.0/0.0.0.0 host 7.1.2.40": the remote
	 * proxy of a remote-access session is the client's pool address */
	const char *h = NULL;
	for (size_t i = 0; i + 5 < tn; i++)
		if (!memcmp(t + i, "host ", 5))
			h = t + i + 5;
	if (!h)
		return;
	size_t a = (size_t)(h - t), e = tok_end(t, tn, a);
	if (ios_is_ip(t + a, e - a)) {
		const char *ip = intern(t + a, e - a);
		if (ip != s->p_client && ios_memmem(t, tn, "0.0.0.0/0.0.0.0"))
			s->assigned = ip;
	}
}

static void counter_row(struct ios_parser *p, struct ios_show *s, const char *line, size_t n,
			const char *t, size_t tn, uint64_t lineno)
{
	size_t ne;
	int64_t v[8] = {0};
	unsigned c = trailing_numbers(t, tn, &ne, v, 8);
	char d[256];
	int dl = 0;
	int64_t num = v[0];
	int32_t code = -1;
	const char *res = "stats";
	if (s->block == B_XCHG) {
		res = "exchange";
		if (c >= 4) {
			dl = snprintf(d, sizeof d, "%.*s: TX(REQ) %lld TX(RES) %lld RX(REQ) %lld RX(RES) %lld",
				      (int)ne, t, (long long)v[0], (long long)v[1], (long long)v[2],
				      (long long)v[3]);
			num = v[0] + v[1] + v[2] + v[3];
		} else if (c == 2) {
			dl = snprintf(d, sizeof d, "%.*s: TX %lld RX %lld", (int)ne, t, (long long)v[0],
				      (long long)v[1]);
			num = v[0] + v[1];
		} else {
			dl = snprintf(d, sizeof d, "%.*s: %lld", (int)ne, t, (long long)v[0]);
		}
		code = ios_notify_code(t, ne, NULL);
	} else if (s->block == B_EXT) {
		res = "ext-service";
		dl = snprintf(d, sizeof d, "%s %.*s: passed %lld failed %lld", s->section, (int)ne, t,
			      (long long)v[0], (long long)(c > 1 ? v[1] : 0));
		num = c > 1 ? v[1] : v[0];
	} else {
		res = "timeout";
		dl = snprintf(d, sizeof d, "%.*s: timed out %lld", (int)ne, t, (long long)v[0]);
	}
	const char *detail = dl > 0 ? intern(d, (size_t)dl < sizeof d ? (size_t)dl : sizeof d - 1)
			     : NULL;
	row_event(p, s, res, t, ne, num, code, line, n, lineno, detail);
}

void show_line(struct ios_parser *p, struct ios_show *s, const char *line, size_t n,
	       uint64_t lineno)
{
	size_t n0 = rtrim(line, n);
	size_t i = skipws(line, n0, 0);
	const char *t = line + i;
	size_t tn = n0 - i;
	if (!tn)
		return;                 /* blank lines end nothing */
	unsigned k = classify(line, n);
	if (s->want == W_EAPID && (k == L_UNKNOWN || k == L_STATUSWORD)) {
		if (!(tn >= 2 && t[0] == '/' && t[1] == '/')) {
			s->user = ios_intern_trim(t, tn);
			sum_add(&s->sum, t, tn);
			s->want = W_NONE;
			return;
		}
	}
	if (s->want == W_HOST && k == L_UNKNOWN && s->rt == RT_FLOW && ios_is_ip(t, tn)) {
		/* a document put the flow's "host <ip>" on a line of its own */
		const char *ip = intern(t, tn);
		if (ip != s->p_client)
			s->assigned = ip;
		sum_add(&s->sum, t, tn);
		s->want = W_NONE;
		return;
	}
	if (s->want == W_STATUS && k == L_STATUSWORD && s->rt == RT_SA) {
		s->status = intern(t, tn);
		sum_add(&s->sum, t, tn);
		s->want = W_NONE;
		return;
	}
	if (k != L_UNKNOWN)
		s->want = W_NONE;
	switch (k) {
	case L_AF:
	case L_AF_SESS:
		end_rec(p, s);
		s->block = B_SA;
		sbuf_reset(&s->hdr);
		return;
	case L_SESSHDR:
		end_rec(p, s);
		s->block = B_SA;
		sbuf_reset(&s->hdr);
		sum_add(&s->hdr, t, tn);
		return;
	case L_TUNHDR:
		end_rec(p, s);
		s->block = B_SA;
		return;
	case L_ROW_SA:
		end_rec(p, s);
		s->block = B_SA;
		open_rec(s, RT_SA, line, n, lineno);
		sa_row(s, t, tn);
		return;
	case L_CSTATUS:
		end_rec(p, s);
		s->block = B_CS;
		return;
	case L_LEGEND:
		return;
	case L_IFACE:
		end_rec(p, s);
		s->block = B_CS;
		open_rec(s, RT_CS, line, n, lineno);
		sum_add(&s->sum, t, tn);
		return;
	case L_STATSHDR:
		if (s->rt == RT_STATS && LIT(t, tn, "System Resource Limit:")) {
			sum_add(&s->sum, t, tn);
			return;
		}
		end_rec(p, s);
		s->block = B_STATS;
		open_rec(s, RT_STATS, line, n, lineno);
		s->status = intern_cstr("Crypto IKEv2 SA Statistics");
		if (LIT(t, tn, "System Resource Limit:"))
			sum_add(&s->sum, t, tn);
		return;
	case L_XHDR:
		end_rec(p, s);
		s->block = B_XCHG;
		s->cols = 4;
		snprintf(s->section, sizeof s->section, "EXCHANGES");
		return;
	case L_SECTION:
		if (s->block == B_XCHG) {
			size_t w = 0;
			while (w < tn && w + 1 < sizeof s->section && !(t[w] == ' ' && w + 1 < tn &&
									 t[w + 1] == ' '))
				w++;
			snprintf(s->section, sizeof s->section, "%.*s", (int)w, t);
			s->cols = LIT(t, tn, "CONFIG PAYLOAD") ? 2 : LIT(t, tn, "OTHER COUNTERS") ? 1 : 4;
		}
		return;
	case L_OPHDR: {
		end_rec(p, s);
		s->block = B_EXT;
		s->cols = 2;
		const char *o = ios_memmem(t, tn, "OPERATION");
		size_t w = rtrim(t, o ? (size_t)(o - t) : 0);
		snprintf(s->section, sizeof s->section, "%.*s", (int)w, t);
		return;
	}
	case L_TIMERHDR:
		end_rec(p, s);
		s->block = B_TIMER;
		s->cols = 1;
		return;
	case L_EXITPATH: {
		end_rec(p, s);
		s->block = B_DIAG;
		const char *ce = tok_after(t, tn, "current entry");
		row_event(p, s, "diagnose", "Exit Path Table", 15, ce ? atoll(ce) : -1, -1, line, n,
			  lineno, ios_intern_trim(t, tn));
		return;
	}
	case L_ERROR: {
		end_rec(p, s);
		s->block = B_DIAG;
		open_rec(s, RT_ERROR, line, n, lineno);
		const char *c = memchr(t, ':', tn);
		if (c)
			s->status = ios_intern_trim(c + 1, tn - (size_t)(c + 1 - t));
		sum_add(&s->sum, t, tn);
		return;
	}
	case L_TRACEBACK:
		if (s->rt == RT_ERROR)
			sum_add(&s->sum, t, tn);
		return;
	case L_DASHES:
		return;
	}
	/* reconnect counters: "Label: N" lines */
	if (k == L_RECONN || (s->block == B_RECONN && k == L_LABEL)) {
		end_rec(p, s);
		s->block = B_RECONN;
		const char *c = memchr(t, ':', tn);
		size_t nl = c ? (size_t)(c - t) : tn;
		const char *v = c ? ios_intern_trim(c + 1, tn - nl - 1) : NULL;
		char d[200];
		int dl = snprintf(d, sizeof d, "%.*s: %s", (int)nl, t, v ? v : "");
		row_event(p, s, "reconnect", t, nl, v ? atoll(v) : -1, -1, line, n, lineno,
			  dl > 0 ? intern(d, (size_t)dl < sizeof d ? (size_t)dl : sizeof d - 1) : NULL);
		return;
	}
	if (k == L_COUNTER && (s->block == B_XCHG || s->block == B_EXT || s->block == B_TIMER)) {
		counter_row(p, s, line, n, t, tn, lineno);
		return;
	}
	if (s->rt == RT_STATS) {
		sum_add(&s->sum, t, tn);
		return;
	}
	/* fields of an SA / child SA record */
	if (s->rt == RT_SA || s->rt == RT_CHILD) {
		switch (k) {
		case L_CHILD:
			end_rec(p, s);
			open_rec(s, RT_CHILD, line, n, lineno);
			return;
		case L_CHILD_FIELD:
			if (s->rt == RT_CHILD) {
				sum_add(&s->sum, t, tn);
				return;
			}
			break;
		case L_FIELD:
			if (s->rt == RT_SA || LIT(t, tn, "Encr:")) {
				sum_add(&s->sum, t, tn);
				return;
			}
			break;
		}
	}
	if (s->rt == RT_SA) {
		switch (k) {
		case L_LOCAL6:
		case L_REMOTE6: {
			size_t a = skipws(t, tn, k == L_LOCAL6 ? 6 : 7), e = tok_end(t, tn, a);
			if (k == L_LOCAL6)
				addr_port(t + a, e - a, &s->lip, &s->lport);
			else
				addr_port(t + a, e - a, &s->rip, &s->rport);
			sum_add(&s->sum, t, tn);
			return;
		}
		case L_CESESS: {
			s->seen |= S_CESESS;
			const char *v = tok_after(t, tn, "Session-id:");
			if (v)
				s->sid = atoll(v);
			sum_add(&s->sum, t, tn);
			return;
		}
		case L_SPIS:
			s->seen |= S_SPIS;
			spis(s, t, tn);
			sum_add(&s->sum, t, tn);
			return;
		case L_LOCAL_ID:
		case L_REMOTE_ID:
			sum_add(&s->sum, t, tn);
			return;
		case L_EAPID:
			s->seen |= S_EAPID;
			s->user = val_after(t, tn, "Remote EAP id:");
			if (!s->user)
				s->want = W_EAPID;
			sum_add(&s->sum, t, tn);
			return;
		case L_ASSIGNED:
			s->seen |= S_ASSIGNED;
			s->assigned = tok_after(t, tn, "addr:");
			sum_add(&s->sum, t, tn);
			return;
		case L_PUSHED:
			s->seen |= S_PUSHED;
			s->pushed = tok_after(t, tn, "address:");
			sum_add(&s->sum, t, tn);
			return;
		case L_INITIATOR: {
			s->seen |= S_INIT;
			const char *c = memchr(t, ':', tn);
			if (c) {
				size_t a = skipws(t, tn, (size_t)(c - t) + 1);
				s->initiator = (a < tn && (t[a] == 'Y' || t[a] == 'y')) ? 1 : 2;
			}
			sum_add(&s->sum, t, tn);
			return;
		}
		case L_SUBNETS:
			s->subnets = 1;
			sum_add(&s->sum, t, tn);
			return;
		case L_SUBNET:
			if (s->subnets) {
				sum_add(&s->sum, t, tn);
				return;
			}
			break;
		case L_STATUSWORD:
			if (!s->status) {
				s->status = intern(t, tn);
				sum_add(&s->sum, t, tn);
				return;
			}
			break;
		}
	}
	/* crypto session and its IPsec flows */
	if (s->rt == RT_CS || s->rt == RT_FLOW) {
		switch (k) {
		case L_FLOW:
			end_rec(p, s);
			open_rec(s, RT_FLOW, line, n, lineno);
			flow_assigned(s, t, tn);
			s->status = val_after(t, tn, "IPSEC FLOW:");
			sum_add(&s->sum, t, tn);
			if (tn >= 5 && !memcmp(t + tn - 4, "host", 4))
				s->want = W_HOST;
			return;
		case L_FLOW_FIELD:
			if (s->rt == RT_FLOW) {
				sum_add(&s->sum, t, tn);
				return;
			}
			break;
		}
	}
	if (s->rt == RT_CS) {
		switch (k) {
		case L_CS_STATUS:
			s->seen |= S_STATUS;
			s->status = val_after(t, tn, "Session status:");
			sum_add(&s->sum, t, tn);
			return;
		case L_CS_PEER:
			s->seen |= S_PEER;
			cs_peer(s, t, tn);
			sum_add(&s->sum, t, tn);
			return;
		case L_CS_SID: {
			s->seen |= S_SID;
			const char *v = tok_after(t, tn, "Session ID:");
			if (v)
				s->sid = atoll(v);
			sum_add(&s->sum, t, tn);
			return;
		}
		case L_CS_USER:
			s->seen |= S_USER;
			s->user = val_after(t, tn, "Username:");
			sum_add(&s->sum, t, tn);
			return;
		case L_CS_ASSIGNED:
			s->seen |= S_CSASSIGNED;
			s->assigned = tok_after(t, tn, "address:");
			sum_add(&s->sum, t, tn);
			return;
		case L_CS_PROFILE:
		case L_CS_FIELD:
		case L_CS_IKESA:
		case L_CS_REMOTE:
			sum_add(&s->sum, t, tn);
			return;
		}
	}
	if (s->rt != RT_NONE)
		unk_add(s, line, n0, lineno);
	else
		p->unknown++;
}
