/* \summary: the stanza rule file parser (authscope-rules(5))
 *
 * A rule is a block of "key value" lines starting with "rule ID"; blocks
 * are separated by blank lines, '#' after whitespace starts a comment, a
 * value continues on lines that start with whitespace. Every error names
 * file:line, and the parser goes on to find the next one. Input is
 * arbitrary bytes (fuzz_rules): nothing here trusts it.
 */
#include "rules/rules_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/finding.h"

static const char *const rkey_names[RKEY__COUNT] = {
	[RKEY_RULE] = "rule", [RKEY_KIND] = "kind", [RKEY_ON] = "on", [RKEY_SEQ] = "seq",
	[RKEY_WHERE] = "where", [RKEY_EXPECT] = "expect", [RKEY_EXPECT_WHERE] = "expect-where",
	[RKEY_LINK] = "link", [RKEY_UNLESS] = "unless", [RKEY_KEY] = "key",
	[RKEY_ALIAS] = "alias", [RKEY_WITHIN] = "within", [RKEY_COUNT] = "count",
	[RKEY_DISTINCT] = "distinct", [RKEY_SUPPRESS] = "suppress", [RKEY_RESET] = "reset",
	[RKEY_SEVERITY] = "severity", [RKEY_TITLE] = "title", [RKEY_SAY] = "say",
	[RKEY_HINT] = "hint", [RKEY_EXPLAIN] = "explain", [RKEY_SUPERSEDES] = "supersedes",
};

const char *rkey_name(unsigned k)
{
	return k < RKEY__COUNT ? rkey_names[k] : "?";
}

static const char *const rkind_names[RK__COUNT] = {"match", "absence", "threshold", "correlate"};

const char *rkind_name(unsigned k)
{
	return k < RK__COUNT ? rkind_names[k] : "?";
}

#define B(k) (1u << (k))
#define COMMON (B(RKEY_RULE) | B(RKEY_KIND) | B(RKEY_KEY) | B(RKEY_SEVERITY) | B(RKEY_TITLE) | \
		B(RKEY_SAY) | B(RKEY_HINT) | B(RKEY_EXPLAIN) | B(RKEY_SUPERSEDES))
static const uint32_t allowed[RK__COUNT] = {
	[RK_MATCH] = COMMON | B(RKEY_ON) | B(RKEY_WHERE),
	[RK_ABSENCE] = COMMON | B(RKEY_ON) | B(RKEY_WHERE) | B(RKEY_EXPECT) |
		       B(RKEY_EXPECT_WHERE) | B(RKEY_LINK) | B(RKEY_WITHIN),
	[RK_THRESHOLD] = COMMON | B(RKEY_ON) | B(RKEY_WHERE) | B(RKEY_WITHIN) | B(RKEY_COUNT) |
			 B(RKEY_DISTINCT) | B(RKEY_SUPPRESS) | B(RKEY_RESET) | B(RKEY_ALIAS),
	[RK_CORRELATE] = COMMON | B(RKEY_SEQ) | B(RKEY_UNLESS) | B(RKEY_ALIAS) | B(RKEY_WITHIN),
};
#define REQ_ALL (B(RKEY_KIND) | B(RKEY_SEVERITY) | B(RKEY_TITLE) | B(RKEY_SAY))
static const uint32_t required[RK__COUNT] = {
	[RK_MATCH] = REQ_ALL | B(RKEY_ON),
	[RK_ABSENCE] = REQ_ALL | B(RKEY_ON) | B(RKEY_EXPECT) | B(RKEY_LINK) | B(RKEY_WITHIN),
	[RK_THRESHOLD] = REQ_ALL | B(RKEY_ON) | B(RKEY_COUNT),
	[RK_CORRELATE] = REQ_ALL | B(RKEY_SEQ) | B(RKEY_WITHIN),
};

int kindset_has(const struct kindset *k, unsigned kind)
{
	for (size_t i = 0; i < k->n; i++)
		if (k->v[i] == kind)
			return 1;
	return 0;
}

static void kindset_add(struct kindset *k, unsigned kind)
{
	if (kindset_has(k, kind))
		return;
	k->v = xrealloc(k->v, (k->n + 1) * sizeof *k->v);
	k->v[k->n++] = (uint16_t)kind;
}

void rule_free(struct rule *ru)
{
	if (!ru)
		return;
	free(ru->file);
	for (unsigned k = 0; k < RKEY__COUNT; k++)
		free(ru->val[k]);
	free(ru->on.v);
	free(ru->expect.v);
	free(ru->reset.v);
	free(ru->unless.v);
	expr_free(ru->where);
	expr_free(ru->expect_where);
	expr_free(ru->reset_where);
	expr_free(ru->unless_where);
	for (size_t i = 0; i < ru->nseq; i++) {
		free(ru->seq[i].k.v);
		expr_free(ru->seq[i].where);
	}
	for (size_t i = 0; i < ru->nalias; i++)
		free(ru->alias[i].prefix);
	tmpl_free(&ru->say);
	tmpl_free(&ru->hint);
	free(ru->sup);
	free(ru);
}

/* ---- one block's raw keys ---- */

struct kv {
	int key;
	uint32_t line;
	struct sbuf val;
	uint32_t *seg_off, *seg_line;
	size_t nseg;
};

struct block {
	struct kv kv[RKEY__COUNT];
	uint32_t present;
	uint32_t line;              /* line of "rule" */
	int last;                   /* key continuation lines extend, -1 none */
	int skip;                   /* broken start: ignore to the next blank line */
};

static void block_reset(struct block *b)
{
	for (unsigned k = 0; k < RKEY__COUNT; k++) {
		sbuf_free(&b->kv[k].val);
		free(b->kv[k].seg_off);
		free(b->kv[k].seg_line);
	}
	memset(b, 0, sizeof *b);
	b->last = -1;
}

static void kv_append(struct kv *kv, const char *s, size_t n, uint32_t line)
{
	int bad = 0;
	if (kv->val.len && n)
		bad |= sbuf_addc(&kv->val, ' ');
	kv->seg_off = xrealloc(kv->seg_off, (kv->nseg + 1) * sizeof *kv->seg_off);
	kv->seg_line = xrealloc(kv->seg_line, (kv->nseg + 1) * sizeof *kv->seg_line);
	kv->seg_off[kv->nseg] = (uint32_t)kv->val.len;
	kv->seg_line[kv->nseg] = line;
	kv->nseg++;
	bad |= sbuf_add(&kv->val, s, n);
	(void)bad;   /* the buffer's cap is the file size cap: content so far stays */
}

static void diag_for(struct diag *d, const struct kv *kv)
{
	d->line = kv->line;
	d->seg_off = kv->seg_off;
	d->seg_line = kv->seg_line;
	d->nseg = kv->nseg;
}

static void diag_at(struct diag *d, uint32_t line)
{
	d->line = line;
	d->nseg = 0;
}

/* ---- small value parsers ---- */

static int valid_id(const char *s, size_t n)
{
	if (n == 0 || n > 64 || !(islower((unsigned char)s[0]) || isdigit((unsigned char)s[0])))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '-'))
			return 0;
	return 1;
}

static void trim(const char **s, size_t *n)
{
	while (*n && isspace((unsigned char)**s))
		(*s)++, (*n)--;
	while (*n && isspace((unsigned char)(*s)[*n - 1]))
		(*n)--;
}

/* One kind name or a namespace glob "ike.*". */
static int parse_kind_item(const char *s, size_t n, size_t off, struct diag *d, struct kindset *out)
{
	char name[96];
	if (n == 0) {
		diag_error(d, off, "empty event kind in list");
		return -1;
	}
	snprintf(name, sizeof name, "%.*s", (int)(n > 90 ? 90 : n), s);
	if (n >= 2 && s[n - 1] == '*' && s[n - 2] == '.') {
		size_t pl = n - 1, hits = 0;
		for (unsigned k = 0; k < EVK__COUNT; k++)
			if (!strncmp(ev_kind_name(k), s, pl)) {
				kindset_add(out, k);
				hits++;
			}
		if (!hits) {
			diag_error(d, off, "no event kind matches '%s'", name);
			return -1;
		}
		return 0;
	}
	int k = ev_kind_lookup(name);
	if (k < 0) {
		const char *sug = kind_suggest(name);
		if (sug)
			diag_error(d, off, "unknown event kind '%s' (did you mean '%s'?)", name, sug);
		else
			diag_error(d, off, "unknown event kind '%s' (see src/core/kinds.def)", name);
		return -1;
	}
	kindset_add(out, (unsigned)k);
	return 0;
}

/* "a, b, c" (sep ',') or "a|b" (sep '|') */
static int parse_kinds(const char *s, size_t n, size_t base, char sep, struct diag *d,
		       struct kindset *out)
{
	int bad = 0;
	size_t i = 0;
	while (i <= n) {
		size_t j = i;
		while (j < n && s[j] != sep)
			j++;
		const char *p = s + i;
		size_t pn = j - i;
		size_t lead = 0;
		while (lead < pn && isspace((unsigned char)p[lead]))
			lead++;
		trim(&p, &pn);
		if (parse_kind_item(p, pn, base + i + lead, d, out))
			bad = 1;
		i = j + 1;
	}
	return bad ? -1 : 0;
}

/* Find " where " at the top level: returns the offset of "where" or n. */
static size_t find_where(const char *s, size_t n)
{
	for (size_t i = 0; i + 5 <= n; i++)
		if (!memcmp(s + i, "where", 5) && (i == 0 || isspace((unsigned char)s[i - 1])) &&
		    (i + 5 == n || isspace((unsigned char)s[i + 5])))
			return i;
	return n;
}

/* "KIND[, KIND] [where EXPR]" */
static int parse_kinds_where(const char *s, size_t n, size_t base, char sep, struct diag *d,
			     struct kindset *ks, struct expr **where)
{
	size_t w = find_where(s, n);
	int bad = 0;
	size_t kn = w;
	while (kn && isspace((unsigned char)s[kn - 1]))
		kn--;
	if (parse_kinds(s, kn, base, sep, d, ks))
		bad = 1;
	if (w < n) {
		*where = expr_compile(s + w + 5, n - w - 5, base + w + 5, d);
		if (!*where)
			bad = 1;
	}
	return bad ? -1 : 0;
}

/* Split at top-level commas (outside quotes, braces, parens, /regex/). */
static size_t split_top(const char *s, size_t n, size_t *starts, size_t *lens, size_t max)
{
	size_t cnt = 0, i = 0, st = 0;
	int depth = 0, in_str = 0, in_re = 0;
	char prev = 0;
	for (; i < n; i++) {
		char c = s[i];
		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = 0;
			continue;
		}
		if (in_re) {
			if (c == '\\')
				i++;
			else if (c == '/')
				in_re = 0;
			continue;
		}
		if (c == '"')
			in_str = 1;
		else if (c == '/' && prev == '~')
			in_re = 1;
		else if (c == '(' || c == '{')
			depth++;
		else if (c == ')' || c == '}')
			depth--;
		else if (c == ',' && depth == 0) {
			if (cnt < max) {
				starts[cnt] = st;
				lens[cnt] = i - st;
			}
			cnt++;
			st = i + 1;
		}
		if (!isspace((unsigned char)c))
			prev = c;
	}
	if (cnt < max) {
		starts[cnt] = st;
		lens[cnt] = n - st;
	}
	return cnt + 1;
}

static int parse_fref_item(const char *s, size_t n, size_t off, struct diag *d, struct fref *fr)
{
	char name[96], sug[64];
	snprintf(name, sizeof name, "%.*s", (int)(n > 90 ? 90 : n), s);
	if (n == 0) {
		diag_error(d, off, "expected a field name");
		return -1;
	}
	if (fref_parse(name, fr)) {
		if (fref_suggest(name, sug, sizeof sug))
			diag_error(d, off, "unknown field '%s' (did you mean '%s'?)", name, sug);
		else
			diag_error(d, off, "unknown field '%s'", name);
		return -1;
	}
	return 0;
}

static int parse_dur_key(const char *s, size_t n, struct diag *d, const char *key, int64_t *out)
{
	if (parse_duration(s, n, out) || *out <= 0) {
		diag_error(d, 0, "bad duration '%.*s' for '%s' (use 500ms, 10s, 5m, 2h)",
			   (int)(n > 40 ? 40 : n), s, key);
		return -1;
	}
	return 0;
}

/* alias NAME = SEL:FIELD[|lower|strip_realm], ... */
static int parse_alias(struct rule *ru, const char *s, size_t n, struct diag *d)
{
	const char *eq = memchr(s, '=', n);
	if (!eq) {
		diag_error(d, 0, "alias wants NAME = KIND:FIELD[|lower|strip_realm], ...");
		return -1;
	}
	const char *nm = s;
	size_t nn = (size_t)(eq - s);
	trim(&nm, &nn);
	if (!nn || !valid_id(nm, nn)) {
		diag_error(d, 0, "alias name '%.*s' must be lower-case letters, digits, dashes",
			   (int)(nn > 40 ? 40 : nn), nm);
		return -1;
	}
	char nbuf[70];
	snprintf(nbuf, sizeof nbuf, "%.*s", (int)nn, nm);
	struct fref tmp;
	if (!strcmp(nbuf, "session") || !strcmp(nbuf, "input")) {
		diag_error(d, 0, "alias name '%s' is a key word", nbuf);
		return -1;
	}
	(void)tmp;
	ru->alias_name = intern_cstr(nbuf);
	size_t base = (size_t)(eq + 1 - s);
	size_t st[RULE_MAX_ALIAS + 1], ln[RULE_MAX_ALIAS + 1];
	size_t cnt = split_top(s + base, n - base, st, ln, RULE_MAX_ALIAS + 1);
	if (cnt > RULE_MAX_ALIAS) {
		diag_error(d, 0, "alias has more than %d entries", RULE_MAX_ALIAS);
		return -1;
	}
	int bad = 0;
	for (size_t i = 0; i < cnt; i++) {
		const char *p = s + base + st[i];
		size_t pn = ln[i];
		trim(&p, &pn);
		size_t off = (size_t)(p - s);
		const char *colon = memchr(p, ':', pn);
		if (!colon) {
			diag_error(d, off, "alias entry '%.*s' wants KIND:FIELD", (int)(pn > 40 ? 40 : pn), p);
			bad = 1;
			continue;
		}
		struct alias_ent *a = &ru->alias[ru->nalias];
		memset(a, 0, sizeof *a);
		a->kind = -1;
		size_t sn = (size_t)(colon - p);
		if (sn == 1 && p[0] == '*') {
			a->prefix = xstrdup("");
		} else if (sn >= 2 && p[sn - 1] == '*' && p[sn - 2] == '.') {
			a->prefix = xstrndup(p, sn - 1);
		} else {
			char kn[96];
			snprintf(kn, sizeof kn, "%.*s", (int)(sn > 90 ? 90 : sn), p);
			a->kind = ev_kind_lookup(kn);
			if (a->kind < 0) {
				const char *sug = kind_suggest(kn);
				diag_error(d, off, "unknown event kind '%s'%s%s%s", kn, sug ? " (did you mean '" : "",
					   sug ? sug : "", sug ? "'?)" : "");
				bad = 1;
				continue;
			}
		}
		ru->nalias++;
		const char *f = colon + 1, *end = p + pn;
		const char *bar = memchr(f, '|', (size_t)(end - f));
		const char *fe = bar ? bar : end;
		if (parse_fref_item(f, (size_t)(fe - f), (size_t)(f - s), d, &a->fr)) {
			bad = 1;
			continue;
		}
		while (bar) {
			const char *x = bar + 1;
			bar = memchr(x, '|', (size_t)(end - x));
			const char *xe = bar ? bar : end;
			size_t xn = (size_t)(xe - x);
			if (xn == 5 && !memcmp(x, "lower", 5))
				a->xf |= XF_LOWER;
			else if (xn == 11 && !memcmp(x, "strip_realm", 11))
				a->xf |= XF_STRIP_REALM;
			else {
				diag_error(d, (size_t)(x - s), "unknown alias transform '%.*s' (lower, strip_realm)",
					   (int)(xn > 30 ? 30 : xn), x);
				bad = 1;
			}
		}
	}
	return bad ? -1 : 0;
}

/* text keys may be written in double quotes */
static char *text_value(const char *s, size_t n)
{
	if (n >= 2 && s[0] == '"' && s[n - 1] == '"' && !memchr(s + 1, '"', n - 2))
		return xstrndup(s + 1, n - 2);
	return xstrndup(s, n);
}

static int feeds_of(const struct expr *where, const char **ids, int max)
{
	return expr_text_ids(where, ids, max);
}

/* Compile a block into a rule; NULL after reporting its errors. */
static struct rule *compile_block(struct block *b, const char *file, struct diag *d)
{
	int errs0 = d->errors;
	struct rule *ru = xcalloc(1, sizeof *ru);
	ru->file = xstrdup(file);
	ru->line = b->line;
	ru->within = -1;
	ru->keytype = KEY_SESSION;
	ru->sev = ru->sev_default = SEV_WARNING;
	for (unsigned k = 0; k < RKEY__COUNT; k++)
		if (b->present & B(k)) {
			ru->val[k] = xstrndup(b->kv[k].val.p ? b->kv[k].val.p : "", b->kv[k].val.len);
			ru->keyline[k] = b->kv[k].line;
		}

	/* id */
	const struct kv *idkv = &b->kv[RKEY_RULE];
	diag_for(d, idkv);
	if (!valid_id(idkv->val.p ? idkv->val.p : "", idkv->val.len)) {
		diag_error(d, 0, "rule id '%.*s' must be lower-case letters, digits and dashes",
			   (int)(idkv->val.len > 64 ? 64 : idkv->val.len), idkv->val.p ? idkv->val.p : "");
		rule_free(ru);
		return NULL;
	}
	ru->id = intern(idkv->val.p, idkv->val.len);

	/* kind */
	if (!(b->present & B(RKEY_KIND))) {
		diag_at(d, b->line);
		diag_error(d, 0, "rule %s has no 'kind' (match, absence, threshold, correlate)", ru->id);
		rule_free(ru);
		return NULL;
	}
	{
		const struct kv *kv = &b->kv[RKEY_KIND];
		diag_for(d, kv);
		int k = -1;
		for (unsigned i = 0; i < RK__COUNT; i++)
			if (kv->val.len == strlen(rkind_names[i]) && !memcmp(kv->val.p, rkind_names[i], kv->val.len))
				k = (int)i;
		if (k < 0) {
			diag_error(d, 0, "unknown kind '%.*s' (match, absence, threshold, correlate)",
				   (int)(kv->val.len > 40 ? 40 : kv->val.len), kv->val.p);
			rule_free(ru);
			return NULL;
		}
		ru->kind = (uint8_t)k;
	}
	for (unsigned k = 0; k < RKEY__COUNT; k++) {
		if ((b->present & B(k)) && !(allowed[ru->kind] & B(k))) {
			diag_for(d, &b->kv[k]);
			if (k == RKEY_WHERE && ru->kind == RK_CORRELATE)
				diag_error(d, 0, "'where' does not apply to kind correlate: filter each step "
					   "(seq KIND where EXPR, ...)");
			else
				diag_error(d, 0, "'%s' does not apply to kind %s", rkey_names[k],
					   rkind_names[ru->kind]);
		}
		if (!(b->present & B(k)) && (required[ru->kind] & B(k))) {
			diag_at(d, b->line);
			diag_error(d, 0, "rule %s (kind %s) needs '%s'", ru->id, rkind_names[ru->kind],
				   rkey_names[k]);
		}
	}

	for (unsigned k = RKEY_ON; k < RKEY__COUNT; k++) {
		if (!(b->present & B(k)) || !(allowed[ru->kind] & B(k)))
			continue;
		struct kv *kv = &b->kv[k];
		diag_for(d, kv);
		const char *s = kv->val.p ? kv->val.p : "";
		size_t n = kv->val.len;
		switch (k) {
		case RKEY_ON:
			parse_kinds(s, n, 0, ',', d, &ru->on);
			break;
		case RKEY_EXPECT:
			parse_kinds(s, n, 0, ',', d, &ru->expect);
			break;
		case RKEY_WHERE:
			ru->where = expr_compile(s, n, 0, d);
			break;
		case RKEY_EXPECT_WHERE:
			if (!(b->present & B(RKEY_EXPECT)))
				diag_error(d, 0, "'expect-where' without 'expect'");
			ru->expect_where = expr_compile(s, n, 0, d);
			break;
		case RKEY_RESET:
			parse_kinds_where(s, n, 0, ',', d, &ru->reset, &ru->reset_where);
			break;
		case RKEY_UNLESS:
			parse_kinds_where(s, n, 0, ',', d, &ru->unless, &ru->unless_where);
			break;
		case RKEY_SEQ: {
			size_t st[RULE_MAX_SEQ + 1], ln[RULE_MAX_SEQ + 1];
			size_t cnt = split_top(s, n, st, ln, RULE_MAX_SEQ + 1);
			if (cnt > RULE_MAX_SEQ) {
				diag_error(d, 0, "seq has more than %d steps", RULE_MAX_SEQ);
				break;
			}
			if (cnt < 2)
				diag_error(d, 0, "seq needs at least two steps (seq A, B)");
			for (size_t i = 0; i < cnt; i++) {
				struct step *sp = &ru->seq[ru->nseq++];
				parse_kinds_where(s + st[i], ln[i], st[i], '|', d, &sp->k, &sp->where);
			}
			break;
		}
		case RKEY_LINK: {
			size_t st[RULE_MAX_LINK + 1], ln[RULE_MAX_LINK + 1];
			size_t cnt = split_top(s, n, st, ln, RULE_MAX_LINK + 1);
			if (cnt > RULE_MAX_LINK) {
				diag_error(d, 0, "link has more than %d fields", RULE_MAX_LINK);
				break;
			}
			for (size_t i = 0; i < cnt; i++) {
				const char *p = s + st[i];
				size_t pn = ln[i];
				trim(&p, &pn);
				if (parse_fref_item(p, pn, (size_t)(p - s), d, &ru->link[ru->nlink]) == 0)
					ru->nlink++;
			}
			break;
		}
		case RKEY_ALIAS:
			parse_alias(ru, s, n, d);
			break;
		case RKEY_WITHIN:
			parse_dur_key(s, n, d, "within", &ru->within);
			break;
		case RKEY_SUPPRESS:
			parse_dur_key(s, n, d, "suppress", &ru->suppress);
			break;
		case RKEY_COUNT: {
			const char *p = s;
			size_t pn = n;
			if (pn >= 2 && p[0] == '>' && p[1] == '=') {
				p += 2;
				pn -= 2;
				trim(&p, &pn);
			}
			int64_t v;
			int isdur;
			if (parse_number(p, pn, &v, &isdur) || isdur) {
				diag_error(d, 0, "count wants '>= N' with N a whole number, not '%.*s'",
					   (int)(n > 40 ? 40 : n), s);
			} else if (v < 1 || v > 1000000) {
				diag_error(d, 0, "count >= %lld can never mean anything: N must be 1..1000000",
					   (long long)v);
			} else {
				ru->count = (uint32_t)v;
			}
			break;
		}
		case RKEY_DISTINCT:
			if (parse_fref_item(s, n, 0, d, &ru->distinct) == 0)
				ru->has_distinct = 1;
			break;
		case RKEY_SEVERITY: {
			char sv[16];
			snprintf(sv, sizeof sv, "%.*s", (int)(n > 12 ? 12 : n), s);
			int sev = sev_lookup(sv);
			if (sev < 0 || sev == SEV_NONE || n > 12)
				diag_error(d, 0, "unknown severity '%.*s' (info, warning, error)",
					   (int)(n > 20 ? 20 : n), s);
			else
				ru->sev = ru->sev_default = (uint8_t)sev;
			break;
		}
		case RKEY_SAY:
			tmpl_compile(&ru->say, s, n, d);
			break;
		case RKEY_HINT:
			tmpl_compile(&ru->hint, s, n, d);
			break;
		case RKEY_TITLE: case RKEY_EXPLAIN:
			free(ru->val[k]);
			ru->val[k] = text_value(s, n);
			break;
		case RKEY_SUPERSEDES: {
			size_t i = 0;
			while (i <= n) {
				size_t j = i;
				while (j < n && s[j] != ',')
					j++;
				const char *p = s + i;
				size_t pn = j - i;
				trim(&p, &pn);
				if (!valid_id(p, pn)) {
					diag_error(d, (size_t)(p - s), "supersedes: '%.*s' is not a rule id",
						   (int)(pn > 64 ? 64 : pn), p);
				} else if (intern(p, pn) == ru->id) {
					diag_error(d, (size_t)(p - s), "rule %s supersedes itself", ru->id);
				} else {
					ru->sup = xrealloc(ru->sup, (ru->nsup + 1) * sizeof *ru->sup);
					ru->sup[ru->nsup++] = intern(p, pn);
				}
				i = j + 1;
			}
			break;
		}
		case RKEY_KEY:
			break;   /* after alias, below */
		}
	}

	/* key: session | input | user | ALIAS | FIELD */
	if (b->present & B(RKEY_KEY)) {
		struct kv *kv = &b->kv[RKEY_KEY];
		diag_for(d, kv);
		char kn[96];
		snprintf(kn, sizeof kn, "%.*s", (int)(kv->val.len > 90 ? 90 : kv->val.len),
			 kv->val.p ? kv->val.p : "");
		if (!strcmp(kn, "session"))
			ru->keytype = KEY_SESSION;
		else if (!strcmp(kn, "input"))
			ru->keytype = KEY_INPUT;
		else if (ru->alias_name && !strcmp(kn, ru->alias_name))
			ru->keytype = KEY_ALIAS;
		else if (!strcmp(kn, "user"))
			ru->keytype = KEY_USER;
		else if (parse_fref_item(kn, strlen(kn), 0, d, &ru->keyfield) == 0)
			ru->keytype = KEY_FIELD;
	}
	if (ru->alias_name && ru->keytype != KEY_ALIAS) {
		diag_for(d, &b->kv[RKEY_ALIAS]);
		diag_error(d, 0, "alias '%s' is defined but 'key' does not name it", ru->alias_name);
	}
	if (ru->kind == RK_ABSENCE && ru->nlink == 0 && (b->present & B(RKEY_LINK)) && d->errors == errs0) {
		diag_for(d, &b->kv[RKEY_LINK]);
		diag_error(d, 0, "link names no field");
	}

	/* which findings a meta rule consumes (for the cycle check) */
	ru->nfeeds = 0;
	const int maxf = (int)(sizeof ru->feeds / sizeof *ru->feeds);
	if (kindset_has(&ru->on, EVK_FINDING))
		ru->nfeeds = feeds_of(ru->where, ru->feeds, maxf);
	for (size_t i = 0; i < ru->nseq && ru->nfeeds >= 0; i++)
		if (kindset_has(&ru->seq[i].k, EVK_FINDING)) {
			int got = feeds_of(ru->seq[i].where, ru->feeds + ru->nfeeds, maxf - ru->nfeeds);
			ru->nfeeds = got < 0 ? -1 : ru->nfeeds + got;
		}

	if (d->errors != errs0) {
		rule_free(ru);
		return NULL;
	}
	return ru;
}

/* ---- the file ---- */

/* Copy one physical line without its comment: '#' at the start or after
 * whitespace, outside "strings" and /regexes/, starts a comment; '\#'
 * is a literal '#'. */
static void strip_comment(const char *s, size_t n, struct sbuf *out)
{
	int in_str = 0, in_re = 0, bad = 0;
	char prev = 0;
	sbuf_reset(out);
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (in_str || in_re) {
			if (c == '\\' && i + 1 < n) {
				bad |= sbuf_addc(out, c);
				bad |= sbuf_addc(out, s[++i]);
				continue;
			}
			if ((in_str && c == '"') || (in_re && c == '/'))
				in_str = in_re = 0;
			bad |= sbuf_addc(out, c);
			continue;
		}
		if (c == '\\' && i + 1 < n && s[i + 1] == '#') {
			bad |= sbuf_addc(out, '#');
			i++;
			prev = '#';
			continue;
		}
		if (c == '#' && (i == 0 || isspace((unsigned char)s[i - 1])))
			break;
		if (c == '"')
			in_str = 1;
		else if (c == '/' && prev == '~')
			in_re = 1;
		bad |= sbuf_addc(out, c);
		if (!isspace((unsigned char)c))
			prev = c;
	}
	(void)bad;
}

static int lookup_key(const char *s, size_t n)
{
	for (unsigned k = 0; k < RKEY__COUNT; k++)
		if (strlen(rkey_names[k]) == n && !memcmp(rkey_names[k], s, n))
			return (int)k;
	return -1;
}

static const char *key_suggest(const char *s)
{
	unsigned best = 3;
	const char *r = NULL;
	for (unsigned k = 0; k < RKEY__COUNT; k++) {
		unsigned d = edit_distance(s, rkey_names[k], best);
		if (d < best) {
			best = d;
			r = rkey_names[k];
		}
	}
	return r;
}

struct seen {
	const char **id;
	uint32_t *line;
	size_t n;
};

/* a second block with the same id in one file: reported even when the
 * first one did not compile */
static int seen_dup(struct seen *sn, struct block *b, struct diag *d)
{
	const struct kv *kv = &b->kv[RKEY_RULE];
	if (!kv->val.len)
		return 0;
	const char *id = intern(kv->val.p, kv->val.len);
	for (size_t i = 0; i < sn->n; i++)
		if (sn->id[i] == id) {
			diag_for(d, kv);
			diag_error(d, 0, "duplicate rule id '%s' (first at line %u)", id, (unsigned)sn->line[i]);
			return 1;
		}
	sn->id = xrealloc(sn->id, (sn->n + 1) * sizeof *sn->id);
	sn->line = xrealloc(sn->line, (sn->n + 1) * sizeof *sn->line);
	sn->id[sn->n] = id;
	sn->line[sn->n++] = b->line;
	return 0;
}

static void flush_block(struct block *b, const char *file, struct diag *d, rule_add_fn add,
			void *ctx, struct seen *sn)
{
	if ((b->present & B(RKEY_RULE)) && !b->skip && !seen_dup(sn, b, d)) {
		int empty = 0;
		for (unsigned k = 0; k < RKEY__COUNT; k++)
			if ((b->present & B(k)) && b->kv[k].val.len == 0) {
				diag_for(d, &b->kv[k]);
				diag_error(d, 0, "'%s' has no value", rkey_names[k]);
				empty = 1;
			}
		if (!empty) {
			struct rule *ru = compile_block(b, file, d);
			if (ru && add(ctx, ru, d))
				rule_free(ru);
		}
	}
	block_reset(b);
}

int rules_parse_text(const char *file, const char *text, size_t len, FILE *err,
		     rule_add_fn add, void *ctx, int *warnings)
{
	struct diag d = {.file = file, .err = err};
	struct block b;
	memset(&b, 0, sizeof b);
	block_reset(&b);
	struct sbuf line;
	sbuf_init(&line, SBUF_DEFAULT_MAX);
	struct seen sn = {0};
	uint32_t lineno = 0;
	size_t i = 0;
	while (i < len) {
		size_t j = i;
		while (j < len && text[j] != '\n')
			j++;
		const char *s = text + i;
		size_t n = j - i;
		i = j + 1;
		lineno++;
		if (n && s[n - 1] == '\r')
			n--;
		if (memchr(s, 0, n)) {
			diag_at(&d, lineno);
			diag_error(&d, 0, "NUL byte: this is not a rule file");
			b.skip = 1;
			continue;
		}
		strip_comment(s, n, &line);
		const char *p = sbuf_cstr(&line);
		size_t pn = line.len;
		int indented = n && (s[0] == ' ' || s[0] == '\t');
		size_t lead = 0;
		while (lead < pn && isspace((unsigned char)p[lead]))
			lead++;
		if (lead == pn) {
			/* blank line ends a block; a comment-only line does not */
			const char *q = s;
			size_t qn = n;
			trim(&q, &qn);
			if (qn == 0)
				flush_block(&b, file, &d, add, ctx, &sn);
			continue;
		}
		if (indented) {
			if (b.skip)
				continue;
			if (b.last < 0) {
				diag_at(&d, lineno);
				diag_error(&d, 0, "indented line continues no key");
				continue;
			}
			const char *v = p + lead;
			size_t vn = pn - lead;
			trim(&v, &vn);
			kv_append(&b.kv[b.last], v, vn, lineno);
			continue;
		}
		size_t kn = 0;
		while (kn < pn && !isspace((unsigned char)p[kn]))
			kn++;
		int key = lookup_key(p, kn);
		if (key == RKEY_RULE && b.present)
			flush_block(&b, file, &d, add, ctx, &sn);
		if (b.skip)
			continue;
		diag_at(&d, lineno);
		if (key < 0) {
			char kb[48], *kp = kb;
			snprintf(kb, sizeof kb, "%.*s", (int)(kn > 40 ? 40 : kn), p);
			for (; *kp; kp++)
				if (!isprint((unsigned char)*kp))
					*kp = '?';
			const char *sug = key_suggest(kb);
			if (sug)
				diag_error(&d, 0, "unknown key '%s' (did you mean '%s'?)", kb, sug);
			else
				diag_error(&d, 0, "unknown key '%s'", kb);
			if (!b.present)
				b.skip = 1;
			b.last = -1;
			continue;
		}
		if (!b.present && key != RKEY_RULE) {
			diag_error(&d, 0, "a rule starts with 'rule ID', not '%s'", rkey_names[key]);
			b.skip = 1;
			continue;
		}
		if (b.present & B(key)) {
			diag_error(&d, 0, "duplicate key '%s' (first at line %u)", rkey_names[key],
				   (unsigned)b.kv[key].line);
			b.last = -1;
			continue;
		}
		if (key == RKEY_RULE)
			b.line = lineno;
		b.present |= B(key);
		b.kv[key].key = key;
		b.kv[key].line = lineno;
		sbuf_init(&b.kv[key].val, SBUF_DEFAULT_MAX);
		const char *v = p + kn;
		size_t vn = pn - kn;
		trim(&v, &vn);
		kv_append(&b.kv[key], v, vn, lineno);
		b.last = key;
	}
	flush_block(&b, file, &d, add, ctx, &sn);
	sbuf_free(&line);
	free(sn.id);
	free(sn.line);
	if (warnings)
		*warnings += d.warnings;
	return d.errors;
}
