/* \summary: IOS / IOS XE line grammar, record boundaries, event time
 *
 * A physical line is, in order: an optional syslog wrapper (syslog.h), an
 * optional sequence number ("2328304: "), an optional origin host ("R1: "),
 * an optional clock mark ('*' not authoritative, '.' sync lost), a stamp
 * ("May  2 16:05:33.248", "Nov 30 2024 11:16:54.881 UTC", uptime
 * "00:04:09", "1d02h") and ": ", then a body whose first word names its
 * family (IKEv2, RADIUS, AAA, IPSEC, CRYPTO_PKI, %FAC-SEV-MNEMONIC, ...).
 * Any of these may be missing: IOS XE prints some debug lines with no
 * stamp at all.
 *
 * A record is a start line plus the lines that continue it. Repairs:
 *   - a console wrapped at N columns (N >= 40) splits a line anywhere, even
 *     mid-token, and the rest carries no prefix: a line that starts nothing
 *     and follows a logical line of 40 columns or more is glued back on
 *     byte for byte;
 *   - indented or prefix-less continuations (packet summaries, proposal
 *     dumps, IPsec blocks, re-wrapped document copies) become '\n'-separated
 *     segments of the record; the family parsers read them as whitespace;
 *   - messages glued without a newline ("...timeout*May  2 ..." or
 *     "...OFF%SYS-5-...") are cut apart before anything else;
 *   - CLI prompts ("R1#show crypto ikev2 sa") are records of their own and
 *     switch to show mode; CR is stripped by ingest.
 *
 * Time: a stamp with a zone abbreviation is converted with that zone, one
 * without with --tz (or UTC, said as "default"). A stamp without a year
 * takes it from --year, else from a year seen elsewhere in the same input
 * (a stamp that has one, a syslog receiver's stamp, `show clock`), else
 * from the file's mtime, rolling Dec -> Jan forward. Until the year is
 * known, events wait in a queue (in order, capped); inputs[].clock says
 * where zone and year came from.
 */
#include "parsers/ios_int.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/clock.h"
#include "parsers/syslog.h"

#define WRAP_MIN 40               /* narrowest console we repair */
#define REC_MAX (1u << 20)        /* a record longer than this is cut */
#define QUEUE_MAX 65536           /* events waiting for their year */
#define QUEUE_RAW_MAX (32u << 20)

enum { R_NONE, R_DEBUG, R_SHOW };

/* ---- small text helpers ---- */

size_t ios_seg(const char *s, size_t n)
{
	const char *nl = memchr(s, '\n', n);
	return nl ? (size_t)(nl - s) : n;
}

int ios_is_ip(const char *s, size_t n)
{
	char b[64];
	unsigned char a[16];
	if (n == 0 || n >= sizeof b)
		return 0;
	memcpy(b, s, n);
	b[n] = 0;
	if (memchr(s, ':', n))
		return inet_pton(AF_INET6, b, a) == 1;
	return inet_pton(AF_INET, b, a) == 1;
}

const char *ios_intern_trim(const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t' || *s == '\n')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	return n ? intern(s, n) : NULL;
}

uint64_t ios_hex64(const char *s, size_t n, int *ok)
{
	uint64_t v = 0;
	size_t i = 0;
	*ok = 0;
	if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		i = 2;
	size_t start = i;
	for (; i < n && isxdigit((unsigned char)s[i]); i++) {
		if (i - start >= 16)
			return 0;
		int c = (unsigned char)s[i];
		v = v << 4 | (uint64_t)(dig(c) ? c - '0' : (tolower(c) - 'a' + 10));
	}
	*ok = i > start;
	return v;
}

/* IANA IKEv2 notify message types, and the names IOS prints for some. */
static const struct {
	const char *name;
	int code;
	const char *canon;            /* NULL: name itself */
} notifies[] = {
	{"UNSUPPORTED_CRITICAL_PAYLOAD", 1, NULL}, {"INVALID_IKE_SPI", 4, NULL},
	{"INVALID_MAJOR_VERSION", 5, NULL}, {"INVALID_SYNTAX", 7, NULL},
	{"INVALID_MESSAGE_ID", 9, NULL}, {"INVALID_SPI", 11, NULL},
	{"NO_PROPOSAL_CHOSEN", 14, NULL}, {"INVALID_KE_PAYLOAD", 17, NULL},
	{"AUTHENTICATION_FAILED", 24, NULL}, {"SINGLE_PAIR_REQUIRED", 34, NULL},
	{"NO_ADDITIONAL_SAS", 35, NULL}, {"INTERNAL_ADDRESS_FAILURE", 36, NULL},
	{"FAILED_CP_REQUIRED", 37, NULL}, {"TS_UNACCEPTABLE", 38, NULL},
	{"INVALID_SELECTORS", 39, NULL}, {"UNACCEPTABLE_ADDRESSES", 40, NULL},
	{"UNEXPECTED_NAT_DETECTED", 41, NULL}, {"USE_ASSIGNED_HoA", 42, NULL},
	{"TEMPORARY_FAILURE", 43, NULL}, {"CHILD_SA_NOT_FOUND", 44, NULL},
	{"INVALID_GROUP_ID", 45, NULL}, {"AUTHORIZATION_FAILED", 46, NULL},
	{"INITIAL_CONTACT", 16384, NULL}, {"SET_WINDOW_SIZE", 16385, NULL},
	{"ADDITIONAL_TS_POSSIBLE", 16386, NULL}, {"IPCOMP_SUPPORTED", 16387, NULL},
	{"NAT_DETECTION_SOURCE_IP", 16388, NULL}, {"NAT_DETECTION_DESTINATION_IP", 16389, NULL},
	{"COOKIE", 16390, NULL}, {"USE_TRANSPORT_MODE", 16391, NULL},
	{"HTTP_CERT_LOOKUP_SUPPORTED", 16392, NULL}, {"REKEY_SA", 16393, NULL},
	{"ESP_TFC_PADDING_NOT_SUPPORTED", 16394, NULL},
	{"ESP_TFC_NO_SUPPORT", 16394, "ESP_TFC_PADDING_NOT_SUPPORTED"},
	{"NON_FIRST_FRAGMENTS_ALSO", 16395, NULL},
	{"NON_FIRST_FRAGS", 16395, "NON_FIRST_FRAGMENTS_ALSO"},
	{"MOBIKE_SUPPORTED", 16396, NULL}, {"COOKIE2", 16401, NULL},
	{"NO_NATS_ALLOWED", 16402, NULL}, {"AUTH_LIFETIME", 16403, NULL},
	{"MULTIPLE_AUTH_SUPPORTED", 16404, NULL}, {"ANOTHER_AUTH_FOLLOWS", 16405, NULL},
	{"REDIRECT_SUPPORTED", 16406, NULL}, {"REDIRECT", 16407, NULL},
	{"REDIRECTED_FROM", 16408, NULL}, {"EAP_ONLY_AUTHENTICATION", 16417, NULL},
	{"CHILDLESS_IKEV2_SUPPORTED", 16418, NULL}, {"QUICK_CRASH_DETECTION", 16419, NULL},
	{"IKEV2_MESSAGE_ID_SYNC_SUPPORTED", 16420, NULL},
	{"IKEV2_FRAGMENTATION_SUPPORTED", 16430, NULL},
	{"SIGNATURE_HASH_ALGORITHMS", 16431, NULL}, {"USE_PPK", 16435, NULL},
	{"PPK_IDENTITY", 16436, NULL}, {"NO_PPK_AUTH", 16437, NULL},
	{"INTERMEDIATE_EXCHANGE_SUPPORTED", 16438, NULL},
};

int ios_notify_code(const char *name, size_t n, const char **canon)
{
	for (size_t i = 0; i < sizeof notifies / sizeof *notifies; i++)
		if (strlen(notifies[i].name) == n && !memcmp(notifies[i].name, name, n)) {
			if (canon)
				*canon = notifies[i].canon ? notifies[i].canon : notifies[i].name;
			return notifies[i].code;
		}
	return -1;
}

int ios_exchange_code(const char *name, size_t n, const char **canon)
{
	static const struct { const char *name; int code; } x[] = {
		{"IKE_SA_INIT", 34}, {"IKE_AUTH", 35}, {"CREATE_CHILD_SA", 36},
		{"INFORMATIONAL", 37}, {"IKE_SESSION_RESUME", 38}, {"IKE_INTERMEDIATE", 43},
	};
	for (size_t i = 0; i < sizeof x / sizeof *x; i++)
		if (strlen(x[i].name) == n && !memcmp(x[i].name, name, n)) {
			if (canon)
				*canon = x[i].name;
			return x[i].code;
		}
	return -1;
}

/* ---- prefix: sequence number, origin host, mark, stamp ---- */

static int month3(const char *s)
{
	static const char m[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	for (int i = 0; i < 12; i++)
		if (s[0] == m[3 * i] && s[1] == m[3 * i + 1] && s[2] == m[3 * i + 2])
			return i + 1;
	return 0;
}

static size_t digits(const char *s, size_t n, size_t i, int max, int *v)
{
	int x = 0;
	size_t k = i;
	while (k < n && dig(s[k]) && (int)(k - i) < max)
		x = x * 10 + (s[k++] - '0');
	*v = x;
	return k - i;
}

/* The stamp at s, through its ':' and one space. 0 when none. */
static size_t parse_stamp(const char *s, size_t n, struct ios_stamp *st)
{
	memset(st, 0, sizeof *st);
	size_t i = 0;
	int v;
	if (n >= 16 && s[0] >= 'A' && s[0] <= 'Z') {
		int mon = month3(s);
		if (!mon || s[3] != ' ')
			return 0;
		i = 4;
		if (s[i] == ' ')
			i++;
		size_t k = digits(s, n, i, 2, &v);
		if (!k || v < 1 || v > 31 || i + k >= n || s[i + k] != ' ')
			return 0;
		st->day = (int8_t)v;
		i += k + 1;
		k = digits(s, n, i, 4, &v);
		if (k == 4 && i + 4 < n && s[i + 4] == ' ') {
			st->has_year = 1;
			st->year = (int16_t)v;
			i += 5;
			k = digits(s, n, i, 2, &v);
		}
		int h = v, mi, sec;
		if (k != 2 || i + 2 >= n || s[i + 2] != ':')
			return 0;
		i += 3;
		if (digits(s, n, i, 2, &mi) != 2 || i + 2 >= n || s[i + 2] != ':')
			return 0;
		i += 3;
		if (digits(s, n, i, 2, &sec) != 2)
			return 0;
		i += 2;
		if (h > 23 || mi > 59 || sec > 60)
			return 0;
		int32_t us = 0;
		if (i < n && s[i] == '.') {
			int nd = 0;
			i++;
			while (i < n && dig(s[i])) {
				if (nd < 6) {
					us = us * 10 + (s[i] - '0');
					nd++;
				}
				i++;
			}
			if (!nd)
				return 0;
			while (nd++ < 6)
				us *= 10;
		}
		if (i < n && s[i] == ' ') {
			/* a zone abbreviation, then ':' */
			size_t z = i + 1, e = z;
			while (e < n && e - z < 6 && ((s[e] >= 'A' && s[e] <= 'Z') || s[e] == '+' ||
						     s[e] == '-' || dig(s[e])))
				e++;
			if (e == z || e >= n || s[e] != ':')
				return 0;
			char zb[8];
			memcpy(zb, s + z, e - z);
			zb[e - z] = 0;
			int32_t off;
			if (!clock_parse_zone(zb, &off)) {
				st->has_zone = 1;
				st->zone_s = off;
			}
			i = e;
		}
		if (i >= n || s[i] != ':')
			return 0;
		i++;
		st->kind = ST_DATE;
		st->mon = (int8_t)mon;
		st->h = (int8_t)h;
		st->mi = (int8_t)mi;
		st->s = (int8_t)sec;
		st->us = us;
		if (i < n && s[i] == ' ')
			i++;
		return i;
	}
	/* uptime: "00:04:09:" or "1d02h:" / "2w3d:" */
	size_t k = digits(s, n, 0, 6, &v);
	if (!k)
		return 0;
	i = k;
	if (i + 6 <= n && s[i] == ':' && dig(s[i + 1]) && dig(s[i + 2]) && s[i + 3] == ':' &&
	    dig(s[i + 4]) && dig(s[i + 5])) {
		i += 6;
	} else {
		int parts = 0;
		i = 0;
		while (i < n && parts < 4) {
			size_t d = digits(s, n, i, 4, &v);
			if (!d || i + d >= n || !strchr("wdhm", s[i + d]))
				break;
			i += d + 1;
			parts++;
		}
		if (parts < 2)
			return 0;
	}
	if (i >= n || s[i] != ':')
		return 0;
	i++;
	st->kind = ST_UPTIME;
	if (i < n && s[i] == ' ')
		i++;
	return i;
}

/* Sequence number, origin host, mark and stamp at s. Returns the body
 * offset (0 when there is no prefix); *seq says a sequence number led. */
static size_t parse_prefix(const char *s, size_t n, struct ios_stamp *st, int *seq)
{
	size_t i = 0, j = 0;
	*seq = 0;
	memset(st, 0, sizeof *st);
	while (j < n && j < 12 && dig(s[j]))
		j++;
	if (j && j + 1 < n && s[j] == ':' && s[j + 1] == ' ') {
		i = j + 2;
		*seq = 1;
		/* origin host (logging origin-id): "R1: " before the stamp */
		size_t k = i;
		while (k < n && k - i < 64 && (isalnum((unsigned char)s[k]) || s[k] == '.' ||
					       s[k] == '-' || s[k] == '_'))
			k++;
		if (k > i && k + 2 < n && s[k] == ':' && s[k + 1] == ' ' && !dig(s[i])) {
			struct ios_stamp t;
			size_t m = k + 2 + (s[k + 2] == '*' || s[k + 2] == '.');
			if (parse_stamp(s + m, n - m, &t))
				i = k + 2;
		}
	}
	size_t m = i;
	if (m < n && (s[m] == '*' || s[m] == '.'))
		m++;
	size_t k = parse_stamp(s + m, n - m, st);
	if (k)
		return m + k;
	return i;
}

/* "%FAC-SEV-MNEMONIC" at s: its length (without the ':'), else 0. */
static size_t sysmsg_len(const char *s, size_t n)
{
	size_t i = 1;
	if (n < 7 || s[0] != '%' || !(s[1] >= 'A' && s[1] <= 'Z'))
		return 0;
	while (i < n && ((s[i] >= 'A' && s[i] <= 'Z') || dig(s[i]) || s[i] == '_'))
		i++;
	if (i + 3 >= n || s[i] != '-' || !dig(s[i + 1]) || s[i + 2] != '-')
		return 0;
	i += 3;
	size_t st = i;
	while (i < n && ((s[i] >= 'A' && s[i] <= 'Z') || dig(s[i]) || s[i] == '_'))
		i++;
	if (i == st || i >= n || s[i] != ':')
		return 0;
	return i;
}

static unsigned family(const char *s, size_t n)
{
	if (n < 3)
		return F_NONE;
	switch (s[0]) {
	case 'I':
		if (LIT(s, n, "IKEv2") && n > 5 && (s[5] == ':' || s[5] == '-'))
			return F_IKEV2;
		if (LIT(s, n, "IPSEC(") || LIT(s, n, "IPSEC:("))
			return F_IPSEC;
		if (LIT(s, n, "ISAKMP") && n > 6 && (s[6] == ':' || s[6] == '-' || s[6] == ' ' ||
						    s[6] == '('))
			return F_ISAKMP;
		break;
	case 'R':
		if ((LIT(s, n, "RADIUS") && n > 6 && (s[6] == '(' || s[6] == ':' || s[6] == '/')) ||
		    LIT(s, n, "Radius:"))
			return F_RADIUS;
		break;
	case 'A':
		if (LIT(s, n, "AAA/") || LIT(s, n, "AAA:") || LIT(s, n, "AAA("))
			return F_AAA;
		break;
	case '%':
		if (sysmsg_len(s, n))
			return F_SYSMSG;
		break;
	case 'C':
		if (LIT(s, n, "CRYPTO_PKI"))
			return F_PKI;
		if (LIT(s, n, "Crypto mapdb"))
			return F_IPSEC;
		break;
	case 'S':
		if (LIT(s, n, "SA ID:"))
			return F_TRACE;
		break;
	case '(':
		if (LIT(s, n, "(ipsec_process_proposal)"))
			return F_IPSEC;
		break;
	case 'N':
		if (LIT(s, n, "No authoritative response"))
			return F_NOAUTH;
		break;
	}
	return F_NONE;
}

/* "R1#", "XE-R4(config-if)#cmd", "Router>": the command's offset. */
static int prompt(const char *s, size_t n, size_t *cmd)
{
	size_t i = 0;
	if (!n || !isalpha((unsigned char)s[0]))
		return 0;
	while (i < n && i < 64 && (isalnum((unsigned char)s[i]) || s[i] == '.' || s[i] == '_' ||
				   s[i] == '-'))
		i++;
	if (!isalnum((unsigned char)s[i - 1]))
		return 0;               /* "e->" is the rest of "Trace->", not host "e-" */
	if (i < n && s[i] == '(') {
		size_t j = i + 1;
		while (j < n && j - i < 40 && (isalnum((unsigned char)s[j]) || s[j] == '-' ||
					       s[j] == '/' || s[j] == '_'))
			j++;
		if (j >= n || s[j] != ')')
			return 0;
		i = j + 1;
	}
	if (i >= n || (s[i] != '#' && s[i] != '>'))
		return 0;
	/* nothing, or a command word, after the prompt ("L>!w??" is the
	 * ASCII column of a hex dump) */
	if (i + 1 < n && s[i + 1] != ' ' && !(s[i + 1] >= 'a' && s[i + 1] <= 'z'))
		return 0;
	*cmd = i + 1;
	return 1;
}

/* `show clock`: "*10:12:01.123 UTC Mon Mar 1 2024". */
static int clock_line(const char *s, size_t n, int *year, int *mon)
{
	size_t i = 0;
	int v;
	if (i < n && (s[i] == '*' || s[i] == '.'))
		i++;
	size_t k = digits(s, n, i, 2, &v);
	if (!k || i + k + 6 > n || s[i + k] != ':')
		return 0;
	i += k + 1;
	if (digits(s, n, i, 2, &v) != 2 || s[i + 2] != ':')
		return 0;
	i += 3;
	if (digits(s, n, i, 2, &v) != 2)
		return 0;
	i += 2;
	if (i < n && s[i] == '.')
		while (++i < n && dig(s[i]))
			;
	if (i >= n || s[i] != ' ')
		return 0;
	while (i < n && s[i] == ' ')
		i++;
	while (i < n && s[i] != ' ')       /* zone */
		i++;
	while (i < n && s[i] == ' ')
		i++;
	if (i + 4 > n || !isupper((unsigned char)s[i]))   /* weekday */
		return 0;
	i += 3;
	while (i < n && s[i] == ' ')
		i++;
	if (i + 3 > n || !(*mon = month3(s + i)))
		return 0;
	i += 3;
	while (i < n && s[i] == ' ')
		i++;
	if (!digits(s, n, i, 2, &v))
		return 0;
	while (i < n && dig(s[i]))
		i++;
	while (i < n && s[i] == ' ')
		i++;
	if (digits(s, n, i, 4, year) != 4)
		return 0;
	i += 4;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i == n;
}

/* Lines that continue a debug record as a new segment even after a long
 * line (packet summary, proposal dump, IPsec block, config payload). */
static int block_literal(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	s += i;
	n -= i;
	if (!n)
		return 0;
	switch (s[0]) {
	case 'I':
		return LIT(s, n, "Initiator SPI") || LIT(s, n, "IKEv2 ") || LIT(s, n, "IKE Proposal");
	case 'P':
		return LIT(s, n, "Payload contents") || LIT(s, n, "Proposal ");
	case 'E':
		return LIT(s, n, "ESP Proposal") || LIT(s, n, "ESP: Proposal");
	case 'N':
		return LIT(s, n, "Num. transforms") || LIT(s, n, "Next payload");
	case '(':
		return LIT(s, n, "(sa)") || LIT(s, n, "(key eng") || LIT(s, n, "(identity)");
	case 's':
		return LIT(s, n, "src addr") || LIT(s, n, "src port") || LIT(s, n, "sa_") ||
		       LIT(s, n, "spi=");
	case 'd':
		return LIT(s, n, "dst addr") || LIT(s, n, "dst port");
	case 'l':
		return LIT(s, n, "local_proxy") || LIT(s, n, "lifedur") || LIT(s, n, "local=");
	case 'r':
		return LIT(s, n, "remote_proxy");
	case 'p':
		return LIT(s, n, "protocol");
	case 'C':
		return LIT(s, n, "Config-type") || LIT(s, n, "Config data");
	case 'A':
		return LIT(s, n, "Attrib type");
	}
	return 0;
}

/* ---- time ---- */

static void year_step(struct src_clock *c, int mon)
{
	if (c->last_month == 12 && mon == 1)
		c->year++;
	c->last_month = (int8_t)mon;
}

static int64_t stamp_ts(struct ios_parser *p, const struct ios_stamp *st)
{
	struct src_clock *c = &p->in->clock;
	if (st->has_zone) {
		int y = st->year;
		if (!st->has_year) {
			year_step(c, st->mon);
			y = c->year;
		} else {
			c->last_month = st->mon;
		}
		uint8_t yf = c->year_from;
		int32_t yr = c->year;
		int64_t v = clock_stamp_zoned(c, y, st->mon, st->day, st->h, st->mi, st->s, st->us,
					      st->zone_s);
		if (!st->has_year) {
			c->year_from = yf;
			c->year = yr;
		}
		return v;
	}
	return clock_stamp_local(c, st->has_year ? st->year : 0, st->mon, st->day, st->h, st->mi,
				 st->s, st->us);
}

static int64_t compute_ts(struct ios_parser *p, const struct tsinfo *t, uint32_t *flags)
{
	switch (t->how) {
	case TS_ABS:
		p->last_ts = t->abs;
		return t->abs;
	case TS_INHERIT:
		if (p->last_ts != EV_NO_TS)
			*flags |= EVF_TS_GUESSED;
		return p->last_ts;
	case TS_STAMP:
		if (t->st.kind != ST_DATE) {
			if (p->last_ts != EV_NO_TS)
				*flags |= EVF_TS_GUESSED;
			return p->last_ts;
		}
		if (t->rec && t->rec == p->ts_cache_rec)
			return p->ts_cache_val;
		p->ts_cache_rec = t->rec;
		p->ts_cache_val = stamp_ts(p, &t->st);
		p->last_ts = p->ts_cache_val;
		return p->ts_cache_val;
	}
	return EV_NO_TS;
}

static int year_unknown(struct ios_parser *p)
{
	return p->in->clock.year_from == CF_NONE;
}

static int needs_year(const struct tsinfo *t)
{
	return t->how == TS_STAMP && t->st.kind == ST_DATE && !t->st.has_year;
}

static int carries_year(const struct tsinfo *t)
{
	return (t->how == TS_STAMP && t->st.kind == ST_DATE && t->st.has_year) ||
	       (t->how == TS_ABS && t->st.has_year);
}

/* Give the queued events their year: year_end is the year of the last
 * queued year-less stamp; earlier ones step back over Dec -> Jan. */
static void resolve(struct ios_parser *p, int year_end, unsigned from)
{
	struct src_clock *c = &p->in->clock;
	int prev = -1, roll = 0;
	for (size_t i = 0; i < p->nq; i++) {
		const struct tsinfo *t = &p->q[i].t;
		if (!needs_year(t))
			continue;
		if (prev == 12 && t->st.mon == 1)
			roll++;
		prev = t->st.mon;
	}
	c->year = year_end - roll;
	c->year_from = (uint8_t)from;
	c->last_month = -1;
	p->ts_cache_rec = 0;
	for (size_t i = 0; i < p->nq; i++) {
		struct qent *q = &p->q[i];
		q->e.ts = compute_ts(p, &q->t, &q->e.flags);
		if (q->has_raw)
			q->e.raw = p->qraw.p + q->raw_off;
		ev_emit(p->ctx.sink, &q->e);
	}
	p->nq = 0;
	sbuf_reset(&p->qraw);
}

static int last_queued_month(const struct ios_parser *p)
{
	for (size_t i = p->nq; i-- > 0;)
		if (needs_year(&p->q[i].t))
			return p->q[i].t.st.mon;
	return 0;
}

/* No year in the input: the file's modification time (the last stamp is
 * not later than it), or this year for a stream, said as "default". */
static void resolve_fallback(struct ios_parser *p)
{
	time_t mt = p->in->mtime;
	unsigned from = CF_MTIME;
	if (mt <= 0) {
		mt = time(NULL);
		from = CF_DEFAULT;
	}
	struct tm tm;
	gmtime_r(&mt, &tm);
	int y = tm.tm_year + 1900, m = tm.tm_mon + 1;
	int last = last_queued_month(p);
	if (last > m)
		y--;
	resolve(p, y, from);
}

void iosp_year_anchor(struct ios_parser *p, int year, int mon)
{
	struct src_clock *c = &p->in->clock;
	if (!year_unknown(p) || year < 1970 || year > 9999)
		return;
	int last = last_queued_month(p);
	resolve(p, last == 12 && mon == 1 ? year - 1 : year, CF_OTHER_SOURCE);
	c->year = year;
	c->last_month = (int8_t)mon;
}

void iosp_emit(struct ios_parser *p, struct ev *e, const struct tsinfo *t)
{
	if (p->nq && carries_year(t)) {
		int last = last_queued_month(p);
		int y = t->st.year, m = t->st.mon;
		resolve(p, last == 12 && m == 1 ? y - 1 : y, CF_TIMESTAMPS);
	}
	if (p->nq || (needs_year(t) && year_unknown(p))) {
		if (p->nq == p->capq) {
			p->capq = p->capq ? p->capq * 2 : 256;
			p->q = xrealloc(p->q, p->capq * sizeof *p->q);
		}
		struct qent *q = &p->q[p->nq++];
		q->e = *e;
		q->t = *t;
		q->has_raw = 0;
		if (e->raw) {
			q->raw_off = p->qraw.len;
			if (!sbuf_add(&p->qraw, e->raw, e->raw_len) && !sbuf_addc(&p->qraw, 0))
				q->has_raw = 1;
			else
				q->e.raw_len = 0;
		}
		q->e.raw = NULL;
		if (p->nq >= QUEUE_MAX || p->qraw.len >= QUEUE_RAW_MAX)
			resolve_fallback(p);
		return;
	}
	e->ts = compute_ts(p, t, &e->flags);
	ev_emit(p->ctx.sink, e);
}

void iosp_ev(struct ios_parser *p, struct ev *e, unsigned kind, uint64_t pos)
{
	ev_init(e, kind, p->src, p->in->id, pos);
}

const struct tsinfo *iosp_no_ts(void)
{
	static const struct tsinfo none = {TS_NONE, {0}, 0, 0};
	return &none;
}

/* ---- records ---- */

/* A prompt ends the command before it; "sh", "sho", "show" (any case)
 * starts show mode for the output that follows. */
static void do_prompt(struct ios_parser *p, const char *s, size_t n, size_t cmd)
{
	while (cmd < n && s[cmd] == ' ')
		cmd++;
	size_t w = cmd;
	while (w < n && s[w] != ' ')
		w++;
	p->in_show = w - cmd >= 2 && w - cmd <= 4 && !strncasecmp(s + cmd, "show", w - cmd);
}

static void rec_flush(struct ios_parser *p)
{
	unsigned k = p->rec_kind;
	if (k == R_NONE)
		return;
	p->rec_kind = R_NONE;
	if (k != R_DEBUG)
		iosd_flush(p);
	switch (k) {
	case R_DEBUG: {
		/* the family word may have been cut by a console wrap: look again */
		const char *b = p->rec.p + p->rec_body;
		size_t bn = p->rec.len - p->rec_body;
		iosd_record(p, b, bn, p->rec_fam != F_NONE ? p->rec_fam : family(b, bn));
		break;
	}
	case R_SHOW:
		show_line(p, p->show, p->rec.p, p->rec.len, p->rec_line);
		break;
	}
}

static void rec_begin(struct ios_parser *p, unsigned kind, const char *s, size_t n,
		      uint64_t lineno)
{
	rec_flush(p);
	if (kind == R_SHOW && show_shape(s, n) == 2 && !p->in_show) {
		/* a new block: the previous one is over */
		show_end(p, p->show);
		p->in_show = 0;
		p->show_paused = 0;
	}
	if (kind == R_DEBUG) {
		if (p->in_show)
			p->show_paused = 1;     /* debug output interleaved with show output */
		p->in_show = 0;
		p->seen_debug = 1;
	}
	if (kind == R_SHOW) {
		p->in_show = 1;
		p->show_paused = 0;
	}
	sbuf_reset(&p->rec);
	if (sbuf_add(&p->rec, s, n > REC_MAX ? REC_MAX : n)) {
		/* capped */
	}
	p->rec_kind = (uint8_t)kind;
	p->rec_line = lineno;
	p->rec_body = 0;
	p->seg_start = 0;
	p->seg_break = 0;
}

static void rec_append(struct ios_parser *p, const char *s, size_t n, int newseg)
{
	if (p->rec.len + n + 1 > REC_MAX) {
		p->unknown++;
		return;
	}
	if (newseg) {
		if (sbuf_addc(&p->rec, '\n'))
			return;
		p->seg_start = p->rec.len;
	}
	if (sbuf_add(&p->rec, s, n)) {
		/* capped */
	}
	p->seg_break = 0;
}

/* The record's time from its stamp, or the wrapper's, or inherited. */
static void rec_time(struct ios_parser *p, const struct ios_stamp *st, const struct syslog_hdr *sh,
		     int wrapped)
{
	struct tsinfo *t = &p->rec_ts;
	memset(t, 0, sizeof *t);
	t->rec = ++p->serial;
	if (st->kind == ST_DATE) {
		t->how = TS_STAMP;
		t->st = *st;
	} else if (wrapped && sh->has_time) {
		t->st.kind = ST_DATE;
		t->st.has_year = sh->has_year;
		t->st.year = sh->year;
		t->st.mon = sh->mon;
		t->st.day = sh->day;
		t->st.h = sh->h;
		t->st.mi = sh->mi;
		t->st.s = sh->s;
		t->st.us = sh->us;
		t->st.has_zone = sh->has_zone;
		t->st.zone_s = sh->zone_s;
		if (sh->has_year && sh->has_zone) {
			t->how = TS_ABS;
			t->abs = civil_to_us(sh->year, sh->mon, sh->day, sh->h, sh->mi, sh->s, sh->us) -
				 (int64_t)sh->zone_s * 1000000;
		} else {
			t->how = TS_STAMP;
		}
	} else {
		t->how = TS_INHERIT;
	}
}

/* Where a console message was glued onto the line without a newline:
 * "%FAC-SEV-MNEMONIC:" or "*Mmm dd hh:mm:ss" after the body's start. */
static size_t glued_at(const char *s, size_t n, size_t body)
{
	for (size_t i = body + 1; i + 7 < n; i++) {
		if (s[i] == '%') {
			if (sysmsg_len(s + i, n - i) && s[i - 1] != '(' && s[i - 1] != '"')
				return i;
		} else if (s[i] == '*' && i + 16 < n && month3(s + i + 1)) {
			struct ios_stamp st;
			if (parse_stamp(s + i + 1, n - i - 1, &st))
				return i;
		}
	}
	return 0;
}

static void physical(struct ios_parser *p, const char *s, size_t n, uint64_t lineno)
{
	size_t i = 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i == n) {
		if (p->in_show) {
			rec_flush(p);
			show_line(p, p->show, "", 0, lineno);
		} else if (p->rec_kind == R_DEBUG) {
			p->seg_break = 1;
		}
		return;
	}
	struct syslog_hdr sh;
	size_t off = 0;
	int wrapped = 0;
	unsigned char c0 = (unsigned char)s[0];
	if ((c0 == '<' || dig(c0) || (c0 >= 'A' && c0 <= 'Z')) && syslog_unwrap(s, n, &sh)) {
		off = sh.body;
		wrapped = 1;
	}
	struct ios_stamp st;
	int seq;
	size_t b = off + parse_prefix(s + off, n - off, &st, &seq);
	unsigned fam = family(s + b, n - b);
	size_t cmd;
	if (wrapped && st.kind == ST_NONE && !seq && fam == F_NONE && p->rec_kind == R_DEBUG) {
		/* a syslog server files each line of a multi-line message alone */
		rec_append(p, s + off, n - off, 1);
		return;
	}
	if (seq && st.kind == ST_NONE && fam == F_NONE)
		seq = 0;                /* "6: ::" is the rest of "IPv6: ::" */
	if (wrapped || st.kind != ST_NONE || seq || fam != F_NONE) {
		rec_begin(p, R_DEBUG, s, n, lineno);
		p->rec_body = b;
		p->rec_fam = (uint8_t)fam;
		rec_time(p, &st, &sh, wrapped);
		if (wrapped && sh.has_year)
			iosp_year_anchor(p, sh.year, sh.mon);
		return;
	}
	if (prompt(s, n, &cmd)) {
		rec_flush(p);
		iosd_flush(p);          /* a RADIUS dump ends with the command line */
		show_end(p, p->show);
		p->show_paused = 0;
		do_prompt(p, s, n, cmd);
		return;
	}
	int y, m;
	if ((c0 == '*' || c0 == '.' || dig(c0)) && clock_line(s, n, &y, &m)) {
		rec_flush(p);
		iosd_flush(p);
		iosp_year_anchor(p, y, m);
		return;
	}
	/* A console wrap cut the line before at the console's width, and no
	 * line of a wrapped capture is longer than that: so the line before
	 * must be the longest seen so far, and at least WRAP_MIN long. */
	int cut = p->prev_len >= WRAP_MIN && p->prev_len == p->lmax && !p->seg_break;
	if (p->in_show) {
		if (p->rec_kind == R_SHOW && show_join(p->show, p->rec.p, p->rec.len, s, n, cut))
			rec_append(p, s, n, 0);
		else
			rec_begin(p, R_SHOW, s, n, lineno);
		return;
	}
	/* in a debug capture only a block header (or, while show output was
	 * interrupted, a field of it) switches to show mode */
	int shape = p->show_paused || p->rec_kind == R_NONE ? show_shape(s, n)
		    : show_is_header(s, n) ? 2 : 0;
	if (shape == 2 || (shape == 3 && p->show_paused)) {
		rec_begin(p, R_SHOW, s, n, lineno);
		return;
	}
	if (p->rec_kind == R_DEBUG) {
		/* a block line starts a segment, unless the cut fell inside a
		 * token ("...):[" + "IKEv2 -> AAA]") */
		int mid = p->rec.len && p->rec.p[p->rec.len - 1] != ' ' && s[0] != ' ' && s[0] != '\t';
		if (cut && (mid || !block_literal(s, n)))
			rec_append(p, s, n, 0);
		else
			rec_append(p, s, n, 1);
		return;
	}
	if (shape && p->rec_kind == R_NONE && !p->seen_debug) {
		rec_begin(p, R_SHOW, s, n, lineno);
		return;
	}
	p->unknown++;
}

/* Copies out of documents carry Unicode spaces (U+00A0, U+2000-U+200A,
 * U+202F, U+3000) where the device printed ASCII ones: make them spaces,
 * one per byte, so the line keeps its length. */
static const char *unicode_spaces(struct ios_parser *p, const char *s, size_t n)
{
	if (!memchr(s, 0xc2, n) && !memchr(s, 0xe2, n) && !memchr(s, 0xe3, n))
		return s;
	sbuf_reset(&p->norm);
	if (sbuf_add(&p->norm, s, n))
		return s;
	unsigned char *b = (unsigned char *)p->norm.p;
	for (size_t i = 0; i + 1 < n; i++) {
		size_t w = 0;
		if (b[i] == 0xc2 && b[i + 1] == 0xa0)
			w = 2;
		else if (i + 2 < n && b[i] == 0xe2 && b[i + 1] == 0x80 &&
			 ((b[i + 2] >= 0x80 && b[i + 2] <= 0x8a) || b[i + 2] == 0xaf))
			w = 3;
		else if (i + 2 < n && b[i] == 0xe3 && b[i + 1] == 0x80 && b[i + 2] == 0x80)
			w = 3;
		if (w) {
			memset(b + i, ' ', w);
			i += w - 1;
		}
	}
	return p->norm.p;
}

void ios_line(struct ios_parser *p, const char *s, size_t n, uint64_t lineno)
{
	size_t full = n;
	s = unicode_spaces(p, s, n);
	/* cut glued messages apart; each piece is a physical line of its own */
	for (int guard = 0; guard < 64; guard++) {
		if (n < 8 || (!memchr(s + 1, '%', n - 1) && !memchr(s + 1, '*', n - 1)))
			break;
		struct syslog_hdr sh;
		size_t off = 0;
		unsigned char c0 = n ? (unsigned char)s[0] : 0;
		if ((c0 == '<' || dig(c0) || (c0 >= 'A' && c0 <= 'Z')) && syslog_unwrap(s, n, &sh))
			off = sh.body;
		struct ios_stamp st;
		int seq;
		size_t b = off + parse_prefix(s + off, n - off, &st, &seq);
		size_t k = glued_at(s, n, b);
		if (!k)
			break;
		physical(p, s, k, lineno);
		s += k;
		n -= k;
	}
	physical(p, s, n, lineno);
	if (full > p->lmax)
		p->lmax = full;
	p->prev_len = full;
}

/* ---- open / close / formats ---- */

struct ios_parser *ios_open(const struct format_ctx *ctx, unsigned src_kind)
{
	struct ios_parser *p = xcalloc(1, sizeof *p);
	p->ctx = *ctx;
	p->in = ctx->in;
	p->src = src_kind;
	sbuf_init(&p->rec, REC_MAX + 16);
	sbuf_init(&p->qraw, QUEUE_RAW_MAX + (1u << 20));
	sbuf_init(&p->norm, REC_MAX + 16);
	p->last_ts = EV_NO_TS;
	p->show = show_new();
	iosd_init(p);
	return p;
}

void ios_flush(struct ios_parser *p)
{
	rec_flush(p);
	iosd_flush(p);
}

void ios_close(struct ios_parser *p)
{
	if (!p)
		return;
	rec_flush(p);
	iosd_flush(p);
	show_end(p, p->show);
	if (p->nq)
		resolve_fallback(p);
	iosd_free(p);
	show_free(p->show);
	sbuf_free(&p->rec);
	sbuf_free(&p->qraw);
	sbuf_free(&p->norm);
	free(p->q);
	free(p);
}

void ios_sniff_count(const uint8_t *head, size_t n, struct ios_sniff *sn)
{
	memset(sn, 0, sizeof *sn);
	const char *s = (const char *)head;
	size_t i = 0;
	while (i < n && sn->lines < 400) {
		const char *nl = memchr(s + i, '\n', n - i);
		if (!nl && i > 0 && n >= SNIFF_HEAD)
			break;          /* a cut last line says little */
		size_t e = nl ? (size_t)(nl - s) : n;
		const char *l = s + i;
		size_t len = e - i;
		i = e + 1;
		if (len && l[len - 1] == '\r')
			len--;
		size_t k = 0;
		while (k < len && (l[k] == ' ' || l[k] == '\t'))
			k++;
		if (k == len || l[0] == '!')
			continue;
		if (memchr(l, 0, len))
			return;         /* binary */
		sn->lines++;
		struct syslog_hdr sh;
		size_t off = 0;
		int wrapped = syslog_unwrap(l, len, &sh);
		if (wrapped)
			off = sh.body;
		struct ios_stamp st;
		int seq;
		size_t b = off + parse_prefix(l + off, len - off, &st, &seq);
		unsigned fam = family(l + b, len - b);
		size_t cmd;
		if (wrapped) {
			if (fam != F_NONE || st.kind != ST_NONE)
				sn->syslog++;
			else
				sn->other++;
		} else if (fam != F_NONE || st.kind == ST_DATE) {
			sn->debug++;
		} else if (prompt(l, len, &cmd)) {
			sn->prompt++;
		} else if (show_shape(l, len) >= 2) {
			sn->show++;
		} else {
			sn->other++;
		}
	}
}

static int pct(unsigned a, unsigned b)
{
	return b ? (int)(100u * a / b) : 0;
}

static int sniff_debug(const uint8_t *h, size_t n)
{
	struct ios_sniff s;
	ios_sniff_count(h, n, &s);
	if (!s.debug)
		return s.prompt && !s.show && !s.syslog ? 15 : 0;
	if (s.debug < s.show || s.debug < s.syslog)
		return 30;
	return 55 + 40 * pct(s.debug + s.prompt + s.show, s.lines) / 100;
}

static int sniff_show(const uint8_t *h, size_t n)
{
	struct ios_sniff s;
	ios_sniff_count(h, n, &s);
	if (!s.show || s.show <= s.debug || s.show < s.syslog)
		return s.show ? 25 : 0;
	return 55 + 40 * pct(s.show + s.prompt + s.debug, s.lines) / 100;
}

static int sniff_syslog(const uint8_t *h, size_t n)
{
	struct ios_sniff s;
	ios_sniff_count(h, n, &s);
	if (!s.syslog)
		return 0;
	if (s.syslog < s.debug)
		return 35;
	return 60 + 35 * pct(s.syslog, s.lines) / 100;
}

static void *open_debug(const struct format_ctx *ctx)
{
	return ios_open(ctx, SRC_IOS_DEBUG);
}

static void *open_show(const struct format_ctx *ctx)
{
	return ios_open(ctx, SRC_IOS_SHOW);
}

static void *open_syslog(const struct format_ctx *ctx)
{
	return ios_open(ctx, SRC_SYSLOG);
}

static void line_fn(void *st, const char *line, size_t len, uint64_t lineno)
{
	ios_line(st, line, len, lineno);
}

static void close_fn(void *st)
{
	ios_close(st);
}

const struct format fmt_ios_debug = {
	"ios-debug", SRC_IOS_DEBUG, FMT_TEXT, sniff_debug, open_debug, line_fn, NULL, close_fn,
};
const struct format fmt_ios_show = {
	"ios-show", SRC_IOS_SHOW, FMT_TEXT, sniff_show, open_show, line_fn, NULL, close_fn,
};
const struct format fmt_syslog = {
	"syslog", SRC_SYSLOG, FMT_TEXT, sniff_syslog, open_syslog, line_fn, NULL, close_fn,
};
