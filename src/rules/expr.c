/* \summary: rule expressions: fields, values, regexes (PCRE2 + JIT with a
 * literal prefilter and match limits), durations, templates
 *
 * Everything is compiled once when a rule file is loaded; evaluation does
 * not allocate. A regex that hits its match limit makes the evaluation
 * return -1: the engine turns the rule off, the run goes on.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "rules/rules_int.h"

#include <ctype.h>
#include <inttypes.h>
#include <limits.h>
#include <pcre2.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/escape.h"

/* ---- diagnostics ---- */

uint32_t diag_line(const struct diag *d, size_t off)
{
	uint32_t line = d->line;
	for (size_t i = 0; i < d->nseg; i++)
		if (d->seg_off[i] <= off)
			line = d->seg_line[i];
	return line;
}

/* Messages quote the file's text: escaped like any output. */
static void diag_v(struct diag *d, size_t off, const char *what, const char *fmt, va_list ap)
{
	if (!d->err)
		return;
	char msg[1024];
	vsnprintf(msg, sizeof msg, fmt, ap);
	fprintf(d->err, "%s:%" PRIu32 ": %s", d->file, diag_line(d, off), what);
	fputs_text(d->err, msg);
	fputc('\n', d->err);
}

void diag_error(struct diag *d, size_t off, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_v(d, off, "", fmt, ap);
	va_end(ap);
	d->errors++;
}

void diag_warn(struct diag *d, size_t off, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_v(d, off, "warning: ", fmt, ap);
	va_end(ap);
	d->warnings++;
}

unsigned edit_distance(const char *a, const char *b, unsigned cap)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 63 || lb > 63)
		return cap + 1;
	unsigned row[64];
	for (size_t j = 0; j <= lb; j++)
		row[j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++) {
		unsigned prev = row[0], best;
		row[0] = (unsigned)i;
		best = row[0];
		for (size_t j = 1; j <= lb; j++) {
			unsigned cur = row[j];
			unsigned sub = prev + (a[i - 1] != b[j - 1]);
			unsigned v = row[j] + 1 < row[j - 1] + 1 ? row[j] + 1 : row[j - 1] + 1;
			row[j] = v < sub ? v : sub;
			prev = cur;
			if (row[j] < best)
				best = row[j];
		}
		if (best > cap)
			return cap + 1;
	}
	return row[lb];
}

/* ---- fields ---- */

static uint8_t ev_types[EF__COUNT], sess_types[SF__COUNT], types_ready;

/* Field types come from the tables themselves: a probe event and session
 * with every member set tell which fields are numbers and which strings, so
 * a field added to core is typed here without an edit. */
static void probe_types(void)
{
	if (types_ready)
		return;
	struct ev e;
	ev_init(&e, 0, 1, 1, 1);
	const char *x = "x";
	e.ts = 1;
	e.from = e.to = 1;
	e.session = 1;
	e.flags = EVF_REQ_AUTH;
	e.user = e.nas_ip = e.server_ip = e.state = e.calling_station = x;
	e.client_ip = e.assigned_ip = e.result = e.text = e.detail = e.raw = x;
	e.nas_port = e.server_port = e.radius_id = e.out_id = e.code = 1;
	e.spi_i = e.spi_r = 1;
	e.msgid = e.ike_session = e.aaa_id = e.num = 1;
	struct val v;
	for (unsigned f = 0; f < EF__COUNT; f++) {
		ev_field_get(&e, f, &v);
		ev_types[f] = (uint8_t)v.t;
	}
	struct session s;
	memset(&s, 0, sizeof s);
	s.id = 1;
	s.user = s.client_ip = s.nas_ip = s.server_ip = s.primary_ip = s.assigned_ip = x;
	s.calling_station = s.duo_result = s.preauth = x;
	s.start = s.end = s.first_request_ts = s.last_retransmit_ts = s.final_ts = 1;
	s.primary_req_ts = s.primary_resp_ts = s.push_ts = s.duo_result_ts = 1;
	s.primary_latency_us = s.push_latency_us = s.total_latency_us = 1;
	s.final_code = 1;
	for (unsigned f = 0; f < SF__COUNT; f++) {
		sess_field_get(&s, f, &v);
		sess_types[f] = (uint8_t)v.t;
	}
	types_ready = 1;
}

enum val_type fref_type(struct fref fr)
{
	probe_types();
	return (enum val_type)(fr.sess ? sess_types[fr.f] : ev_types[fr.f]);
}

/* Strings of these fields are interned, so == compares pointers. The
 * others (kind, source, from, to come from static tables; raw is borrowed)
 * compare by content. */
static int fref_interned(struct fref fr)
{
	if (fref_type(fr) != V_STR)
		return 0;
	if (fr.sess)
		return 1;
	return fr.f != EF_KIND && fr.f != EF_SRC && fr.f != EF_FROM && fr.f != EF_TO &&
	       fr.f != EF_RAW;
}

const char *fref_name(struct fref fr, char *buf, size_t n)
{
	if (fr.sess)
		snprintf(buf, n, "session.%s", sess_field_name(fr.f));
	else
		snprintf(buf, n, "%s", ev_field_name(fr.f));
	return buf;
}

int fref_parse(const char *name, struct fref *out)
{
	int f;
	if (!strncmp(name, "session.", 8)) {
		if ((f = sess_field_lookup(name + 8)) < 0)
			return -1;
		out->sess = 1;
		out->f = (uint8_t)f;
		return 0;
	}
	if ((f = ev_field_lookup(name)) < 0)
		return -1;
	out->sess = 0;
	out->f = (uint8_t)f;
	return 0;
}

const char *fref_suggest(const char *name, char *buf, size_t n)
{
	unsigned best = 3;
	int found = 0;
	char cand[64];
	for (unsigned f = 0; f < EF__COUNT; f++) {
		unsigned d = edit_distance(name, ev_field_name(f), best);
		if (d < best) {
			best = d;
			snprintf(buf, n, "%s", ev_field_name(f));
			found = 1;
		}
	}
	for (unsigned f = 0; f < SF__COUNT; f++) {
		snprintf(cand, sizeof cand, "session.%s", sess_field_name(f));
		unsigned d = edit_distance(name, cand, best);
		if (d < best) {
			best = d;
			snprintf(buf, n, "%s", cand);
			found = 1;
		}
	}
	return found ? buf : NULL;
}

int ctx_get(struct evctx *c, struct fref fr, struct val *v)
{
	if (!fr.sess)
		return ev_field_get(c->e, fr.f, v);
	if (!c->s_loaded) {
		c->s_loaded = 1;
		c->s = c->sessions && c->e->session ? sess_get(c->sessions, c->e->session) : NULL;
	}
	if (!c->s) {
		v->t = V_NONE;
		v->i = 0;
		v->s = NULL;
		return -1;
	}
	return sess_field_get(c->s, fr.f, v);
}

/* ---- durations and numbers ---- */

int parse_duration(const char *s, size_t n, int64_t *us)
{
	size_t i = 0;
	int64_t total = 0;
	if (n == 0)
		return -1;
	while (i < n) {
		int64_t whole = 0, frac = 0, fden = 1;
		size_t d0 = i;
		while (i < n && isdigit((unsigned char)s[i])) {
			if (whole > INT64_MAX / 10 - 10)
				return -1;
			whole = whole * 10 + (s[i++] - '0');
		}
		if (i < n && s[i] == '.') {
			i++;
			while (i < n && isdigit((unsigned char)s[i])) {
				if (fden < 1000000) {
					frac = frac * 10 + (s[i] - '0');
					fden *= 10;
				}
				i++;
			}
		}
		if (i == d0)
			return -1;
		int64_t unit;
		if (i + 1 < n && s[i] == 'u' && s[i + 1] == 's')
			unit = 1, i += 2;
		else if (i + 1 < n && s[i] == 'm' && s[i + 1] == 's')
			unit = 1000, i += 2;
		else if (i < n && s[i] == 's')
			unit = 1000000, i++;
		else if (i < n && s[i] == 'm')
			unit = 60000000, i++;
		else if (i < n && s[i] == 'h')
			unit = 3600000000LL, i++;
		else if (i < n && s[i] == 'd')
			unit = 86400000000LL, i++;
		else
			return -1;
		if (whole > INT64_MAX / unit / 2)
			return -1;
		total += whole * unit + frac * unit / fden;
		if (total < 0 || total > INT64_MAX / 4)
			return -1;
	}
	*us = total;
	return 0;
}

int parse_number(const char *s, size_t n, int64_t *v, int *isdur)
{
	size_t i = 0;
	int neg = 0;
	*isdur = 0;
	if (n == 0)
		return -1;
	if (s[0] == '-') {
		neg = 1;
		i = 1;
		if (n == 1)
			return -1;
	}
	if (n - i > 2 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
		uint64_t x = 0;
		if (n - i - 2 > 16)
			return -1;
		for (size_t j = i + 2; j < n; j++) {
			int c = (unsigned char)s[j], d;
			if (isdigit(c))
				d = c - '0';
			else if (isxdigit(c))
				d = (tolower(c) - 'a') + 10;
			else
				return -1;
			x = x * 16 + (uint64_t)d;
		}
		*v = neg ? -(int64_t)x : (int64_t)x;
		return 0;
	}
	size_t j = i;
	int64_t x = 0;
	while (j < n && isdigit((unsigned char)s[j])) {
		if (x > INT64_MAX / 10 - 10)
			return -1;
		x = x * 10 + (s[j++] - '0');
	}
	if (j == i)
		return -1;
	if (j == n) {
		*v = neg ? -x : x;
		return 0;
	}
	int64_t us;
	if (parse_duration(s + i, n - i, &us))
		return -1;
	*isdur = 1;
	*v = neg ? -us : us;
	return 0;
}

void fmt_duration(char *out, size_t n, int64_t us)
{
	if (us < 0) {
		if (n > 1) {
			out[0] = '-';
			fmt_duration(out + 1, n - 1, us == INT64_MIN ? INT64_MAX : -us);
		}
		return;
	}
	if (us < 1000)
		snprintf(out, n, "%" PRId64 "us", us);
	else if (us < 1000000)
		snprintf(out, n, "%" PRId64 "ms", (us + 500) / 1000);
	else if (us < 60000000) {
		if (us % 1000000 == 0)
			snprintf(out, n, "%" PRId64 "s", us / 1000000);
		else
			snprintf(out, n, "%.1fs", (double)us / 1e6);
	} else if (us < 3600000000LL) {
		int64_t s = us / 1000000;
		if (s % 60)
			snprintf(out, n, "%" PRId64 "m%" PRId64 "s", s / 60, s % 60);
		else
			snprintf(out, n, "%" PRId64 "m", s / 60);
	} else {
		int64_t m = us / 60000000;
		if (m % 60)
			snprintf(out, n, "%" PRId64 "h%" PRId64 "m", m / 60, m % 60);
		else
			snprintf(out, n, "%" PRId64 "h", m / 60);
	}
}

/* ---- regexes ---- */

#define RE_MATCH_LIMIT 200000u
#define RE_DEPTH_LIMIT 2000u
#define RE_HEAP_LIMIT 8192u          /* KiB */

struct regex {
	pcre2_code *code;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	char *lit;                  /* a literal every match contains, or NULL */
	size_t litlen;
	size_t rare;                /* offset of its rarest byte: memchr for that */
	uint8_t icase;
};

/* How common a byte is in log text (higher = more common): the prefilter
 * looks for the literal's rarest byte with memchr, then compares. */
static unsigned byte_rank(unsigned char c)
{
	static const char common[] = "etaoinsrhldcumfpgwybvkxjqz";
	const char *p = c ? strchr(common, c) : NULL;
	if (c == ' ')
		return 255;
	if (p)
		return 250 - (unsigned)(p - common) * 4;
	if (isdigit(c))
		return 150;
	if (c == '.' || c == ':' || c == '-' || c == '/' || c == '_' || c == '=')
		return 140;
	if (isupper(c))
		return 60;
	return 30;
}

/* The longest literal run at the top level of the pattern that every match
 * must contain; conservative: any construct it does not understand ends
 * the run, alternation or inline options give no prefilter at all. */
static void extract_literal(const char *p, size_t n, int extended, char **out, size_t *outlen)
{
	*out = NULL;
	*outlen = 0;
	if (extended || memmem(p, n, "(?", 2) || memmem(p, n, "\\Q", 2))
		return;
	char *run = xmalloc(n + 1), *best = xmalloc(n + 1);
	size_t rl = 0, bl = 0;
	int depth = 0;
#define END_RUN() do { if (rl > bl) { memcpy(best, run, rl); bl = rl; } rl = 0; } while (0)
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c == '\\' && i + 1 < n) {
			unsigned char d = (unsigned char)p[++i];
			if (isalnum(d)) {
				END_RUN();
				/* skip the escape's operands conservatively */
				while (i + 1 < n && (isalnum((unsigned char)p[i + 1]) ||
						     strchr("{}<>'", p[i + 1])))
					i++;
				continue;
			}
			if (depth == 0)
				run[rl++] = (char)d;
			continue;
		}
		switch (c) {
		case '|':
			/* alternation anywhere: no literal is certain */
			free(run);
			free(best);
			return;
		case '[': {
			END_RUN();
			size_t j = i + 1;
			if (j < n && p[j] == '^')
				j++;
			if (j < n && p[j] == ']')
				j++;
			while (j < n && p[j] != ']') {
				if (p[j] == '\\')
					j++;
				j++;
			}
			i = j;
			break;
		}
		case '(':
			END_RUN();
			depth++;
			break;
		case ')':
			END_RUN();
			depth--;
			break;
		case '*': case '?': case '{':
			if (rl)
				rl--;
			END_RUN();
			break;
		case '+': case '.': case '^': case '$':
			END_RUN();
			break;
		default:
			if (depth == 0)
				run[rl++] = (char)c;
			else
				END_RUN();
		}
	}
	END_RUN();
#undef END_RUN
	free(run);
	if (bl >= 2) {
		best[bl] = 0;
		*out = best;
		*outlen = bl;
	} else {
		free(best);
	}
}

struct regex *regex_compile(const char *pat, size_t len, const char *flags, char *errbuf,
			    size_t errn)
{
	uint32_t opt = 0;
	int extended = 0, icase = 0;
	for (const char *f = flags; f && *f; f++) {
		switch (*f) {
		case 'i': opt |= PCRE2_CASELESS; icase = 1; break;
		case 'm': opt |= PCRE2_MULTILINE; break;
		case 's': opt |= PCRE2_DOTALL; break;
		case 'x': opt |= PCRE2_EXTENDED; extended = 1; break;
		default:
			snprintf(errbuf, errn, "unknown regex flag '%c' (use i, m, s, x)", *f);
			return NULL;
		}
	}
	int ec;
	PCRE2_SIZE eo;
	pcre2_code *code = pcre2_compile((PCRE2_SPTR)pat, len, opt, &ec, &eo, NULL);
	if (!code) {
		PCRE2_UCHAR msg[160];
		pcre2_get_error_message(ec, msg, sizeof msg);
		snprintf(errbuf, errn, "regex /%.*s/ does not compile: %s at offset %zu",
			 (int)(len > 80 ? 80 : len), pat, (const char *)msg, (size_t)eo);
		return NULL;
	}
	struct regex *re = xcalloc(1, sizeof *re);
	re->code = code;
	(void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);   /* interpreter if JIT is absent */
	re->md = pcre2_match_data_create(1, NULL);
	re->mctx = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(re->mctx, RE_MATCH_LIMIT);
	pcre2_set_depth_limit(re->mctx, RE_DEPTH_LIMIT);
	pcre2_set_heap_limit(re->mctx, RE_HEAP_LIMIT);
	re->icase = (uint8_t)icase;
	extract_literal(pat, len, extended, &re->lit, &re->litlen);
	for (size_t i = 1; i < re->litlen; i++)
		if (byte_rank((unsigned char)re->lit[i]) < byte_rank((unsigned char)re->lit[re->rare]))
			re->rare = i;
	return re;
}

void regex_free(struct regex *re)
{
	if (!re)
		return;
	pcre2_code_free(re->code);
	pcre2_match_data_free(re->md);
	pcre2_match_context_free(re->mctx);
	free(re->lit);
	free(re);
}

const char *regex_literal(const struct regex *re, size_t *len)
{
	*len = re->litlen;
	return re->lit;
}

static const char *memmem_ci(const char *h, size_t hn, const char *nd, size_t nn)
{
	if (nn > hn)
		return NULL;
	int f0 = tolower((unsigned char)nd[0]);
	for (size_t i = 0; i + nn <= hn; i++) {
		if (tolower((unsigned char)h[i]) != f0)
			continue;
		size_t j = 1;
		while (j < nn && tolower((unsigned char)h[i + j]) == tolower((unsigned char)nd[j]))
			j++;
		if (j == nn)
			return h + i;
	}
	return NULL;
}

static int lit_find(const struct regex *re, const char *h, size_t n)
{
	size_t len = re->litlen, off = re->rare;
	if (n < len)
		return 0;
	const char *p = h + off, *end = h + (n - len) + off + 1;
	unsigned char c = (unsigned char)re->lit[off];
	while (p < end && (p = memchr(p, c, (size_t)(end - p)))) {
		if (!memcmp(p - off, re->lit, len))
			return 1;
		p++;
	}
	return 0;
}

int regex_match(struct regex *re, const char *s, size_t n)
{
	if (re->lit) {
		int hit = re->icase ? memmem_ci(s, n, re->lit, re->litlen) != NULL : lit_find(re, s, n);
		if (!hit)
			return 0;
	}
	int rc = pcre2_match(re->code, (PCRE2_SPTR)s, n, 0, 0, re->md, re->mctx);
	if (rc >= 0)
		return 1;
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	return -1;
}

/* ---- lexer ---- */

enum tok { T_EOF, T_ERR, T_LP, T_RP, T_LB, T_RB, T_COMMA, T_AND, T_OR, T_NOT,
	   T_EQ, T_NE, T_LT, T_LE, T_GT, T_GE, T_RE, T_NRE, T_WORD, T_STR };

struct lexer {
	const char *s;
	size_t n, i, base;
	struct diag *d;
	int t;
	size_t start;               /* offset of the token */
	const char *tp;             /* word: points into s; string: into sb */
	size_t tn;
	struct sbuf sb;
};

static int wordch(int c)
{
	return isalnum(c) || c == '_' || c == '.' || c == '-' || c == ':' || c == '@';
}

static size_t lx_off(const struct lexer *l)
{
	return l->base + l->start;
}

static void lx_next(struct lexer *l)
{
	while (l->i < l->n && isspace((unsigned char)l->s[l->i]))
		l->i++;
	l->start = l->i;
	if (l->i >= l->n) {
		l->t = T_EOF;
		return;
	}
	char c = l->s[l->i], c2 = l->i + 1 < l->n ? l->s[l->i + 1] : 0;
	l->tp = l->s + l->i;
	l->tn = 1;
	switch (c) {
	case '(': l->i++; l->t = T_LP; return;
	case ')': l->i++; l->t = T_RP; return;
	case '{': l->i++; l->t = T_LB; return;
	case '}': l->i++; l->t = T_RB; return;
	case ',': l->i++; l->t = T_COMMA; return;
	case '~': l->i++; l->t = T_RE; return;
	case '&':
		if (c2 == '&') { l->i += 2; l->t = T_AND; l->tn = 2; return; }
		break;
	case '|':
		if (c2 == '|') { l->i += 2; l->t = T_OR; l->tn = 2; return; }
		break;
	case '!':
		if (c2 == '=') { l->i += 2; l->t = T_NE; l->tn = 2; return; }
		if (c2 == '~') { l->i += 2; l->t = T_NRE; l->tn = 2; return; }
		l->i++; l->t = T_NOT; return;
	case '=':
		if (c2 == '=') { l->i += 2; l->t = T_EQ; l->tn = 2; return; }
		break;
	case '<':
		if (c2 == '=') { l->i += 2; l->t = T_LE; l->tn = 2; return; }
		l->i++; l->t = T_LT; return;
	case '>':
		if (c2 == '=') { l->i += 2; l->t = T_GE; l->tn = 2; return; }
		l->i++; l->t = T_GT; return;
	case '"': {
		sbuf_reset(&l->sb);
		size_t j = l->i + 1;
		int bad = 0;
		while (j < l->n && l->s[j] != '"') {
			char ch = l->s[j];
			if (ch == '\\' && j + 1 < l->n) {
				char e = l->s[++j];
				ch = e == 'n' ? '\n' : e == 't' ? '\t' : e;
			}
			bad |= sbuf_addc(&l->sb, ch);
			j++;
		}
		if (j >= l->n || bad) {
			diag_error(l->d, lx_off(l), "unterminated string");
			l->t = T_ERR;
			l->i = l->n;
			return;
		}
		l->i = j + 1;
		l->t = T_STR;
		l->tp = sbuf_cstr(&l->sb);
		l->tn = l->sb.len;
		return;
	}
	default:
		if (wordch((unsigned char)c)) {
			size_t j = l->i;
			while (j < l->n && wordch((unsigned char)l->s[j]))
				j++;
			l->tn = j - l->i;
			l->i = j;
			l->t = T_WORD;
			return;
		}
	}
	diag_error(l->d, lx_off(l), "unexpected '%c' in expression", c);
	l->t = T_ERR;
	l->i = l->n;
}

static int lx_is(const struct lexer *l, const char *w)
{
	return l->t == T_WORD && l->tn == strlen(w) && !memcmp(l->tp, w, l->tn);
}

static const char *tok_desc(const struct lexer *l, char *buf, size_t n)
{
	if (l->t == T_EOF)
		return "the end";
	snprintf(buf, n, "'%.*s'", (int)(l->tn > 40 ? 40 : l->tn), l->tp);
	return buf;
}

/* ---- expressions ---- */

static struct expr *node(unsigned op)
{
	struct expr *x = xcalloc(1, sizeof *x);
	x->op = (uint8_t)op;
	return x;
}

void expr_free(struct expr *x)
{
	if (!x)
		return;
	expr_free(x->a);
	expr_free(x->b);
	free(x->set);
	regex_free(x->re);
	free(x);
}

static struct expr *p_or(struct lexer *l);

static int p_field(struct lexer *l, struct fref *fr)
{
	char name[128], sug[64], tb[64];
	if (l->t != T_WORD) {
		diag_error(l->d, lx_off(l), "expected a field name, found %s", tok_desc(l, tb, sizeof tb));
		return -1;
	}
	snprintf(name, sizeof name, "%.*s", (int)(l->tn > 100 ? 100 : l->tn), l->tp);
	if (fref_parse(name, fr)) {
		if (fref_suggest(name, sug, sizeof sug))
			diag_error(l->d, lx_off(l), "unknown field '%s' (did you mean '%s'?)", name, sug);
		else
			diag_error(l->d, lx_off(l), "unknown field '%s'", name);
		return -1;
	}
	lx_next(l);
	return 0;
}

const char *kind_suggest(const char *name)
{
	unsigned best = 4;
	const char *r = NULL;
	for (unsigned k = 0; k < EVK__COUNT; k++) {
		unsigned d = edit_distance(name, ev_kind_name(k), best);
		if (d < best) {
			best = d;
			r = ev_kind_name(k);
		}
	}
	return r;
}

/* Values of kind, source, from and to are names from fixed tables: an
 * unknown one can never match, so it is an error. */
static int check_enum_value(struct lexer *l, struct fref fr, const char *s, size_t off)
{
	if (fr.sess)
		return 0;
	if (fr.f == EF_KIND && ev_kind_lookup(s) < 0) {
		const char *sug = kind_suggest(s);
		if (sug)
			diag_error(l->d, off, "unknown event kind '%s' (did you mean '%s'?)", s, sug);
		else
			diag_error(l->d, off, "unknown event kind '%s'", s);
		return -1;
	}
	if (fr.f == EF_FROM || fr.f == EF_TO) {
		for (unsigned r = 1; r < ROLE__COUNT; r++)
			if (!strcmp(role_name(r), s))
				return 0;
		diag_error(l->d, off, "unknown role '%s' (roles: client, headend, proxy, primary, duo)", s);
		return -1;
	}
	if (fr.f == EF_SRC) {
		for (unsigned k = 0; k < SRC__COUNT; k++)
			if (!strcmp(src_kind_name(k), s))
				return 0;
		diag_error(l->d, off, "unknown source '%s'", s);
		return -1;
	}
	return 0;
}

static int p_value(struct lexer *l, struct fref fr, struct lit *lit)
{
	char tb[64];
	if (l->t != T_WORD && l->t != T_STR) {
		diag_error(l->d, lx_off(l), "expected a value, found %s", tok_desc(l, tb, sizeof tb));
		return -1;
	}
	size_t off = lx_off(l);
	memset(lit, 0, sizeof *lit);
	lit->s = intern(l->tp, l->tn);
	int isdur = 0;
	if (l->t == T_WORD && parse_number(l->tp, l->tn, &lit->n, &isdur) == 0) {
		lit->isnum = 1;
		lit->isdur = (uint8_t)isdur;
	}
	enum val_type ty = fref_type(fr);
	char fname[64];
	if (ty == V_INT && !lit->isnum) {
		diag_error(l->d, off, "field '%s' is a number; '%s' is not (durations need a unit: 10s)",
			   fref_name(fr, fname, sizeof fname), lit->s);
		return -1;
	}
	if (ty == V_STR && check_enum_value(l, fr, lit->s, off))
		return -1;
	lx_next(l);
	return 0;
}

static struct expr *p_cmp(struct lexer *l)
{
	char tb[64];
	struct fref fr;
	if (lx_is(l, "exists")) {
		lx_next(l);
		if (p_field(l, &fr))
			return NULL;
		struct expr *x = node(X_EXISTS);
		x->fr = fr;
		return x;
	}
	if (p_field(l, &fr))
		return NULL;
	struct expr *x = NULL;
	switch (l->t) {
	case T_EQ: case T_NE: case T_LT: case T_LE: case T_GT: case T_GE: {
		static const uint8_t map[] = {[T_EQ] = C_EQ, [T_NE] = C_NE, [T_LT] = C_LT,
					      [T_LE] = C_LE, [T_GT] = C_GT, [T_GE] = C_GE};
		x = node(X_CMP);
		x->cmp = map[l->t];
		x->fr = fr;
		lx_next(l);
		if (p_value(l, fr, &x->lit)) {
			expr_free(x);
			return NULL;
		}
		break;
	}
	case T_RE: case T_NRE: {
		x = node(l->t == T_RE ? X_RE : X_NRE);
		x->fr = fr;
		/* the regex: /.../flags */
		size_t j = l->i;
		while (j < l->n && isspace((unsigned char)l->s[j]))
			j++;
		if (j >= l->n || l->s[j] != '/') {
			diag_error(l->d, l->base + j, "expected /regex/ after '%s'",
				   x->op == X_RE ? "~" : "!~");
			expr_free(x);
			return NULL;
		}
		size_t p0 = ++j;
		while (j < l->n && l->s[j] != '/') {
			if (l->s[j] == '\\' && j + 1 < l->n)
				j++;
			j++;
		}
		if (j >= l->n) {
			diag_error(l->d, l->base + p0 - 1, "unterminated /regex/");
			expr_free(x);
			return NULL;
		}
		size_t p1 = j++;
		char flags[8];
		size_t nf = 0;
		while (j < l->n && isalpha((unsigned char)l->s[j]) && nf < sizeof flags - 1)
			flags[nf++] = l->s[j++];
		flags[nf] = 0;
		char eb[256];
		x->re = regex_compile(l->s + p0, p1 - p0, flags, eb, sizeof eb);
		if (!x->re) {
			diag_error(l->d, l->base + p0, "%s", eb);
			expr_free(x);
			return NULL;
		}
		l->i = j;
		lx_next(l);
		break;
	}
	default:
		if (lx_is(l, "in")) {
			x = node(X_IN);
			x->fr = fr;
			lx_next(l);
			if (l->t != T_LB) {
				diag_error(l->d, lx_off(l), "expected '{' after 'in', found %s",
					   tok_desc(l, tb, sizeof tb));
				expr_free(x);
				return NULL;
			}
			lx_next(l);
			size_t cap = 0;
			for (;;) {
				if (x->nset == cap) {
					cap = cap ? cap * 2 : 4;
					x->set = xrealloc(x->set, cap * sizeof *x->set);
				}
				if (p_value(l, fr, &x->set[x->nset])) {
					expr_free(x);
					return NULL;
				}
				x->nset++;
				if (l->t == T_COMMA) {
					lx_next(l);
					continue;
				}
				if (l->t == T_RB) {
					lx_next(l);
					break;
				}
				diag_error(l->d, lx_off(l), "expected ',' or '}' in set, found %s",
					   tok_desc(l, tb, sizeof tb));
				expr_free(x);
				return NULL;
			}
			break;
		}
		diag_error(l->d, lx_off(l), "expected an operator (== != < <= > >= ~ !~ in) after the field, found %s",
			   tok_desc(l, tb, sizeof tb));
		return NULL;
	}
	x->interned = (uint8_t)fref_interned(fr);
	return x;
}

static struct expr *p_unary(struct lexer *l)
{
	char tb[64];
	if (l->t == T_NOT) {
		lx_next(l);
		struct expr *a = p_unary(l);
		if (!a)
			return NULL;
		struct expr *x = node(X_NOT);
		x->a = a;
		return x;
	}
	if (l->t == T_LP) {
		size_t off = lx_off(l);
		lx_next(l);
		struct expr *x = p_or(l);
		if (!x)
			return NULL;
		if (l->t != T_RP) {
			diag_error(l->d, off, "'(' is not closed (found %s)", tok_desc(l, tb, sizeof tb));
			expr_free(x);
			return NULL;
		}
		lx_next(l);
		return x;
	}
	return p_cmp(l);
}

static struct expr *p_and(struct lexer *l)
{
	struct expr *a = p_unary(l);
	while (a && l->t == T_AND) {
		lx_next(l);
		struct expr *b = p_unary(l);
		if (!b) {
			expr_free(a);
			return NULL;
		}
		struct expr *x = node(X_AND);
		x->a = a;
		x->b = b;
		a = x;
	}
	return a;
}

static struct expr *p_or(struct lexer *l)
{
	struct expr *a = p_and(l);
	while (a && l->t == T_OR) {
		lx_next(l);
		struct expr *b = p_and(l);
		if (!b) {
			expr_free(a);
			return NULL;
		}
		struct expr *x = node(X_OR);
		x->a = a;
		x->b = b;
		a = x;
	}
	return a;
}

struct expr *expr_compile(const char *src, size_t n, size_t base, struct diag *d)
{
	char tb[64];
	struct lexer l = {.s = src, .n = n, .base = base, .d = d};
	sbuf_init(&l.sb, 1 << 16);
	lx_next(&l);
	if (l.t == T_EOF) {
		diag_error(d, base, "empty expression");
		sbuf_free(&l.sb);
		return NULL;
	}
	struct expr *x = l.t == T_ERR ? NULL : p_or(&l);
	if (x && l.t != T_EOF) {
		if (l.t != T_ERR)
			diag_error(d, lx_off(&l), "unexpected %s after the expression (missing && or ||?)",
				   tok_desc(&l, tb, sizeof tb));
		expr_free(x);
		x = NULL;
	}
	sbuf_free(&l.sb);
	return x;
}

static int lit_eq(const struct expr *x, const struct val *v, const struct lit *lit)
{
	if (v->t == V_INT)
		return lit->isnum && v->i == lit->n;
	if (v->s == lit->s)
		return 1;
	return !x->interned && !strcmp(v->s, lit->s);
}

int expr_eval(const struct expr *x, struct evctx *c)
{
	struct val v;
	int r;
	switch (x->op) {
	case X_TRUE:
		return 1;
	case X_AND:
		r = expr_eval(x->a, c);
		return r <= 0 ? r : expr_eval(x->b, c);
	case X_OR:
		r = expr_eval(x->a, c);
		return r != 0 ? r : expr_eval(x->b, c);
	case X_NOT:
		r = expr_eval(x->a, c);
		return r < 0 ? r : !r;
	case X_EXISTS:
		return ctx_get(c, x->fr, &v) == 0;
	case X_CMP: {
		if (ctx_get(c, x->fr, &v))
			return x->cmp == C_NE;   /* != is the negation of ==, also when absent */
		int cmp;
		if (x->cmp == C_EQ)
			return lit_eq(x, &v, &x->lit);
		if (x->cmp == C_NE)
			return !lit_eq(x, &v, &x->lit);
		if (v.t == V_INT) {
			if (!x->lit.isnum)
				return 0;
			cmp = v.i < x->lit.n ? -1 : v.i > x->lit.n;
		} else {
			cmp = strcmp(v.s, x->lit.s);
		}
		switch (x->cmp) {
		case C_LT: return cmp < 0;
		case C_LE: return cmp <= 0;
		case C_GT: return cmp > 0;
		default: return cmp >= 0;
		}
	}
	case X_RE: case X_NRE: {
		if (ctx_get(c, x->fr, &v))
			return x->op == X_NRE;
		char nb[24];
		const char *s = v.s;
		size_t n;
		if (v.t == V_INT) {
			n = (size_t)snprintf(nb, sizeof nb, "%" PRId64, v.i);
			s = nb;
		} else {
			n = strlen(s);
		}
		r = regex_match(x->re, s, n);
		if (r < 0)
			return -1;
		return x->op == X_RE ? r : !r;
	}
	case X_IN:
		if (ctx_get(c, x->fr, &v))
			return 0;
		for (size_t i = 0; i < x->nset; i++)
			if (lit_eq(x, &v, &x->set[i]))
				return 1;
		return 0;
	}
	return 0;
}

int expr_text_ids(const struct expr *x, const char **ids, int max)
{
	if (!x)
		return -1;
	if (x->op == X_AND) {
		int a = expr_text_ids(x->a, ids, max);
		if (a >= 0)
			return a;
		return expr_text_ids(x->b, ids, max);
	}
	if (x->fr.sess || x->fr.f != EF_TEXT)
		return -1;
	if (x->op == X_CMP && x->cmp == C_EQ && max > 0) {
		ids[0] = x->lit.s;
		return 1;
	}
	if (x->op == X_IN && (int)x->nset <= max) {
		for (size_t i = 0; i < x->nset; i++)
			ids[i] = x->set[i].s;
		return (int)x->nset;
	}
	return -1;
}

/* ---- templates ---- */

static void tp_push(struct tmpl *t, struct tpart p, size_t *cap)
{
	if (t->n == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		t->p = xrealloc(t->p, *cap * sizeof *t->p);
	}
	t->p[t->n++] = p;
}

static const char *const tp_special[] = {
	[TP_COUNT] = "count", [TP_WITHIN] = "within", [TP_USERS] = "users",
	[TP_RULE] = "rule", [TP_KEY] = "key", [TP_INPUT] = "input",
};

int tmpl_compile(struct tmpl *t, const char *src, size_t n, struct diag *d)
{
	size_t cap = 0, i = 0, lit0 = 0;
	int errs = d->errors;
	memset(t, 0, sizeof *t);
	while (i < n) {
		if (src[i] != '$' || i + 1 >= n || src[i + 1] != '{') {
			i++;
			continue;
		}
		if (i > lit0)
			tp_push(t, (struct tpart){.type = TP_TEXT, .text = xstrndup(src + lit0, i - lit0),
						  .len = i - lit0}, &cap);
		size_t j = i + 2;
		while (j < n && src[j] != '}')
			j++;
		if (j >= n) {
			diag_error(d, i, "'${' is not closed by '}'");
			break;
		}
		char name[96];
		snprintf(name, sizeof name, "%.*s", (int)(j - i - 2 > 90 ? 90 : j - i - 2), src + i + 2);
		struct tpart p = {.type = TP_FIELD};
		char *colon = strchr(name, ':');
		if (colon) {
			*colon++ = 0;
			if (!strcmp(colon, "dur"))
				p.fmt = TF_DUR;
			else if (!strcmp(colon, "ts"))
				p.fmt = TF_TS;
			else
				diag_error(d, i, "unknown format ':%s' in ${%s:%s} (use :dur or :ts)",
					   colon, name, colon);
		}
		int special = 0;
		for (unsigned k = TP_COUNT; k <= TP_INPUT; k++)
			if (!strcmp(name, tp_special[k])) {
				p.type = (uint8_t)k;
				special = 1;
			}
		if (!special) {
			char sug[64];
			if (fref_parse(name, &p.fr)) {
				if (fref_suggest(name, sug, sizeof sug))
					diag_error(d, i, "unknown field '%s' in template (did you mean '%s'?)",
						   name, sug);
				else
					diag_error(d, i, "unknown field '%s' in template (fields, session.FIELD, "
						   "count, within, users, rule, key, input)", name);
			} else if (!p.fr.sess && p.fr.f == EF_RAW) {
				diag_error(d, i, "${raw} is evidence, not a template field");
			} else if (!colon) {
				if (p.fr.sess && (p.fr.f == SF_PRIMARY_LATENCY || p.fr.f == SF_PUSH_LATENCY ||
						  p.fr.f == SF_TOTAL_LATENCY))
					p.fmt = TF_DUR;
				else if ((!p.fr.sess && p.fr.f == EF_TS) ||
					 (p.fr.sess && (p.fr.f == SF_START || p.fr.f == SF_END ||
							p.fr.f == SF_FINAL_TS ||
							p.fr.f == SF_LAST_RETRANSMIT)))
					p.fmt = TF_TS;
			}
		}
		tp_push(t, p, &cap);
		i = lit0 = j + 1;
	}
	if (n > lit0 && d->errors == errs)
		tp_push(t, (struct tpart){.type = TP_TEXT, .text = xstrndup(src + lit0, n - lit0),
					  .len = n - lit0}, &cap);
	return d->errors == errs ? 0 : -1;
}

void tmpl_free(struct tmpl *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->p[i].text);
	free(t->p);
	t->p = NULL;
	t->n = 0;
}
