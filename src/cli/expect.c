/* \summary: check's expectation files: parse, compare with findings, rewrite */
#include "cli/expect.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/ident.h"
#include "core/str.h"

static int is_comment_or_blank(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return *s == 0 || *s == '#';
}

/* Next token of s at *p: a bare word or a "quoted string" with \" \\.
 * Returns a malloc'd token, NULL at end of line/comment, or sets *bad. */
static char *next_token(const char **p, int *bad)
{
	const char *s = *p;
	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s || *s == '#') {
		*p = s;
		return NULL;
	}
	struct sbuf b;
	sbuf_init(&b, 4096);
	int r = 0;
	if (*s == '"') {
		s++;
		while (*s && *s != '"') {
			if (*s == '\\' && s[1]) {
				char c = s[1];
				s += 2;
				r |= sbuf_addc(&b, c == 'n' ? '\n' : c == 'r' ? '\r' : c == 't' ? '\t' : c);
				continue;
			}
			r |= sbuf_addc(&b, *s++);
		}
		if (*s != '"') {
			*bad = 1;
			sbuf_free(&b);
			*p = s;
			return NULL;
		}
		s++;
	} else {
		while (*s && *s != ' ' && *s != '\t' && *s != '#')
			r |= sbuf_addc(&b, *s++);
	}
	*p = s;
	if (r) {
		*bad = 1;
		sbuf_free(&b);
		return NULL;
	}
	sbuf_cstr(&b);
	return b.p ? sbuf_take(&b) : xstrdup("");
}

static int parse_u32(const char *s, const char *end, uint32_t *v)
{
	if (s == end || end - s > 10)
		return -1;
	uint64_t x = 0;
	for (const char *p = s; p < end; p++) {
		if (!isdigit((unsigned char)*p))
			return -1;
		x = x * 10 + (uint64_t)(*p - '0');
	}
	if (x >= UINT32_MAX)
		return -1;
	*v = (uint32_t)x;
	return 0;
}

static int parse_count(const char *s, uint32_t *lo, uint32_t *hi)
{
	const char *dots = strstr(s, "..");
	const char *end = s + strlen(s);
	if (!dots)
		return parse_u32(s, end, lo) ? -1 : (*hi = *lo, 0);
	if (parse_u32(s, dots, lo))
		return -1;
	if (dots + 2 == end) {
		*hi = EXPECT_MAX_COUNT;
		return 0;
	}
	if (parse_u32(dots + 2, end, hi) || *hi < *lo)
		return -1;
	return 0;
}

static int rule_id_ok(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || *s == '"' || *s == '#' || *s == 0x7f)
			return 0;
	return 1;
}

static void push_line(struct expect_file *ef, const char *s, size_t n)
{
	ef->lines = xrealloc(ef->lines, (ef->nlines + 1) * sizeof *ef->lines);
	ef->lines[ef->nlines++] = xstrndup(s, n);
}

int expect_parse(struct expect_file *ef, const char *name, const char *text,
		 size_t len, FILE *err)
{
	memset(ef, 0, sizeof *ef);
	int errs = 0, in_header = 1;
	size_t cap = 0;
	for (size_t off = 0; off < len;) {
		const char *nl = memchr(text + off, '\n', len - off);
		size_t n = nl ? (size_t)(nl - (text + off)) : len - off;
		size_t m = n;
		if (m && text[off + m - 1] == '\r')
			m--;
		push_line(ef, text + off, m);
		off += n + (nl ? 1 : 0);
		unsigned lineno = (unsigned)ef->nlines;
		const char *line = ef->lines[ef->nlines - 1];
		if (memchr(line, 0, m) != NULL) {
			fprintf(err, "%s:%u: NUL byte in line\n", name, lineno);
			errs++;
			continue;
		}
		if (is_comment_or_blank(line)) {
			if (in_header)
				ef->header = ef->nlines;
			continue;
		}
		in_header = 0;
		const char *p = line;
		int bad = 0;
		char *tok[4] = {0};
		int nt = 0;
		while (nt < 4) {
			char *t = next_token(&p, &bad);
			if (!t)
				break;
			tok[nt++] = t;
		}
		const char *msg = NULL;
		uint32_t lo = 0, hi = 0;
		if (bad)
			msg = "unterminated quote";
		else if (nt != 3)
			msg = "want RULE USER COUNT (USER may be * or -; COUNT N, A..B or A..)";
		else if (parse_count(tok[2], &lo, &hi))
			msg = "bad count (want N, A..B with A <= B, or A..)";
		else if (!rule_id_ok(tok[0]))
			msg = "bad rule id (no blanks, quotes, # or control characters)";
		if (msg) {
			fprintf(err, "%s:%u: %s\n", name, lineno, msg);
			errs++;
		} else {
			if (ef->n == cap) {
				cap = cap ? cap * 2 : 16;
				ef->v = xrealloc(ef->v, cap * sizeof *ef->v);
			}
			struct expectation *x = &ef->v[ef->n++];
			memset(x, 0, sizeof *x);
			x->rule = tok[0];
			tok[0] = NULL;
			if (!strcmp(tok[1], "*"))
				x->user = EXPECT_ANY_USER;
			else if (!strcmp(tok[1], "-"))
				x->user = NULL;
			else {
				x->user = tok[1];
				tok[1] = NULL;
			}
			x->lo = lo;
			x->hi = hi;
			x->line = lineno;
		}
		for (int i = 0; i < nt; i++)
			free(tok[i]);
	}
	return errs;
}

void expect_free(struct expect_file *ef)
{
	for (size_t i = 0; i < ef->n; i++) {
		free(ef->v[i].rule);
		if (ef->v[i].user != EXPECT_ANY_USER)
			free((char *)ef->v[i].user);
	}
	free(ef->v);
	for (size_t i = 0; i < ef->nlines; i++)
		free(ef->lines[i]);
	free(ef->lines);
	memset(ef, 0, sizeof *ef);
}

static int visible(const struct finding *f, expect_filter_fn filter, void *ctx)
{
	if (f->suppressed)
		return 0;
	return filter ? filter(ctx, f) : 1;
}

static int user_fits(const char *want, const char *user)
{
	if (want == EXPECT_ANY_USER)
		return 1;
	if (!want)
		return user == NULL || !*user;
	return user && *user && user_matches(want, user);
}

static int expectation_matches(const struct expectation *x, const struct finding *f)
{
	return f->rule && !strcmp(x->rule, f->rule) && user_fits(x->user, f->user);
}

size_t expect_compare(struct expect_file *ef, struct finding_set *fs,
		      expect_filter_fn filter, void *ctx)
{
	size_t fails = 0;
	for (size_t i = 0; i < ef->n; i++) {
		struct expectation *x = &ef->v[i];
		x->actual = 0;
		for (size_t j = 0; j < findings_count(fs); j++) {
			const struct finding *f = findings_at(fs, j);
			if (visible(f, filter, ctx) && expectation_matches(x, f))
				x->actual++;
		}
		x->holds = x->actual >= x->lo && x->actual <= x->hi;
		fails += !x->holds;
	}
	return fails;
}

static int group_cmp(const void *a, const void *b)
{
	const struct expect_group *x = a, *y = b;
	int c = strcmp(x->rule, y->rule);
	if (c)
		return c;
	if (!x->user || !y->user)
		return (x->user != NULL) - (y->user != NULL);
	return strcmp(user_norm(x->user), user_norm(y->user));
}

size_t expect_groups(const struct expect_file *ef, struct finding_set *fs,
		     expect_filter_fn filter, void *ctx, struct expect_group **out)
{
	struct expect_group *g = NULL;
	size_t n = 0, cap = 0;
	for (size_t j = 0; j < findings_count(fs); j++) {
		const struct finding *f = findings_at(fs, j);
		if (!visible(f, filter, ctx) || !f->rule)
			continue;
		const char *user = f->user && *f->user ? f->user : NULL;
		const char *norm = user ? user_norm(user) : NULL;
		size_t i;
		for (i = 0; i < n; i++)
			if (g[i].rule == f->rule &&
			    (g[i].user ? user_norm(g[i].user) : NULL) == norm)
				break;
		if (i == n) {
			if (n == cap) {
				cap = cap ? cap * 2 : 16;
				g = xrealloc(g, cap * sizeof *g);
			}
			g[n++] = (struct expect_group){f->rule, user, 0, 0};
			for (size_t k = 0; ef && k < ef->n; k++)
				if (expectation_matches(&ef->v[k], f))
					g[i].covered = 1;
		}
		g[i].count++;
	}
	if (n)
		qsort(g, n, sizeof *g, group_cmp);
	*out = g;
	return n;
}

static int needs_quotes(const char *s)
{
	if (!*s || !strcmp(s, "*") || !strcmp(s, "-") || *s == '"')
		return 1;
	for (; *s; s++)
		if (*s == ' ' || *s == '\t' || *s == '#' || (unsigned char)*s < 0x20)
			return 1;
	return 0;
}

static void user_token(struct sbuf *b, const char *user)
{
	int r = 0;
	if (user == EXPECT_ANY_USER || !user) {
		r |= sbuf_addc(b, user ? '*' : '-');
	} else if (!needs_quotes(user)) {
		r |= sbuf_adds(b, user);
	} else {
		r |= sbuf_addc(b, '"');
		for (const char *s = user; *s; s++) {
			if (*s == '"' || *s == '\\')
				r |= sbuf_addc(b, '\\');
			if (*s == '\n' || *s == '\r' || *s == '\t') {
				/* a line break would split the expectation */
				r |= sbuf_addc(b, '\\');
				r |= sbuf_addc(b, *s == '\n' ? 'n' : *s == '\r' ? 'r' : 't');
				continue;
			}
			r |= sbuf_addc(b, *s);
		}
		r |= sbuf_addc(b, '"');
	}
	(void)r;                    /* capped at 64 MiB; a longer name is cut */
}

void expect_put_user(FILE *o, const char *user)
{
	struct sbuf b;
	sbuf_init(&b, 0);
	user_token(&b, user);
	fputs(sbuf_cstr(&b), o);
	sbuf_free(&b);
}

void expect_put_count(FILE *o, uint32_t lo, uint32_t hi)
{
	if (lo == hi)
		fprintf(o, "%u", lo);
	else if (hi == EXPECT_MAX_COUNT)
		fprintf(o, "%u..", lo);
	else
		fprintf(o, "%u..%u", lo, hi);
}

static void put_line(FILE *o, const char *rule, const char *user, uint32_t lo, uint32_t hi)
{
	struct sbuf b;
	sbuf_init(&b, 0);
	user_token(&b, user);
	int w = (int)strlen(rule), w2 = (int)b.len;
	fprintf(o, "%s%*s%s%*s", rule, w < 24 ? 24 - w : 1, "", sbuf_cstr(&b),
		w2 < 16 ? 16 - w2 : 1, "");
	sbuf_free(&b);
	expect_put_count(o, lo, hi);
	fputc('\n', o);
}

void expect_write_update(FILE *o, const struct expect_file *ef,
			 const struct expect_group *g, size_t ng)
{
	size_t next = 0;            /* next expectation by line */
	if (!ef || ef->header == 0)
		fputs("# authscope check expectations: RULE USER COUNT\n"
		      "# USER: a name, * any user, - no user; COUNT: N, A..B, A..; 0 = must not occur\n",
		      o);
	for (size_t i = 0; ef && i < ef->nlines; i++) {
		unsigned lineno = (unsigned)i + 1;
		while (next < ef->n && ef->v[next].line < lineno)
			next++;
		if (next < ef->n && ef->v[next].line == lineno) {
			const struct expectation *x = &ef->v[next];
			if (x->holds)
				fprintf(o, "%s\n", ef->lines[i]);
			else
				put_line(o, x->rule, x->user, x->actual, x->actual);
		} else {
			fprintf(o, "%s\n", ef->lines[i]);
		}
	}
	for (size_t i = 0; i < ng; i++)
		if (!g[i].covered)
			put_line(o, g[i].rule, g[i].user, g[i].count, g[i].count);
}
