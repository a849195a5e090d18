/* \summary: the rules engine: dispatch by event kind, timers on event time,
 * thresholds, correlation, findings with templates and evidence
 *
 * Each rule is compiled once (parse.c, expr.c) and indexed by the event
 * kinds it names, so an event meets only the rules of its kind and the
 * no-match path allocates nothing. Time is event time: absence timers sit
 * in a min-heap ordered by deadline and fire when the watermark passes
 * them (rules_advance), or at rules_finish with open_at_end set. Every
 * finding raised or extended is fed back as a `finding` event (depth
 * capped, never to its own rule) so meta rules such as widespread-failure
 * can count findings.
 */
#include "rules/engine.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/clock.h"
#include "core/escape.h"
#include "core/input.h"
#include "core/rulemeta.h"
#include "core/str.h"
#include "rules/pack.h"
#include "rules/rules_int.h"

#define MAX_META_DEPTH 4            /* finding -> finding -> ... */
#define MAX_TIMERS (1u << 20)       /* open absence timers, all rules */
#define TIMER_MAX_EV 16             /* opener + linked events kept per timer */
#define GROUP_MAX_ENTRIES 4096      /* counted events kept per threshold key */
#define MAX_USERS_LISTED 10
#define MAX_RULE_FILE (16u << 20)

/* ---- hashed state: timers, groups, partials ---- */

struct hent {
	struct hent *next;
	uint64_t h;
	uint32_t rule;
};

struct htab {
	struct hent **b;
	size_t nb, n;
};

static void ht_grow(struct htab *t)
{
	size_t nb = t->nb ? t->nb * 2 : 256;
	struct hent **b = xcalloc(nb, sizeof *b);
	for (size_t i = 0; i < t->nb; i++)
		for (struct hent *e = t->b[i], *nx; e; e = nx) {
			nx = e->next;
			e->next = b[e->h & (nb - 1)];
			b[e->h & (nb - 1)] = e;
		}
	free(t->b);
	t->b = b;
	t->nb = nb;
}

static void ht_put(struct htab *t, struct hent *e)
{
	if (t->n >= t->nb)
		ht_grow(t);
	e->next = t->b[e->h & (t->nb - 1)];
	t->b[e->h & (t->nb - 1)] = e;
	t->n++;
}

static void ht_del(struct htab *t, struct hent *e)
{
	struct hent **pp = &t->b[e->h & (t->nb - 1)];
	while (*pp && *pp != e)
		pp = &(*pp)->next;
	if (*pp) {
		*pp = e->next;
		t->n--;
	}
}

static uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	return h * 0xbf58476d1ce4e5b9ull;
}

/* evidence kept by the engine until a finding takes it */
struct evid {
	uint32_t input;
	uint64_t pos;
	int64_t ts;
	char *text;
};

static void evid_set(struct evid *d, const struct ev *e)
{
	d->input = e->input;
	d->pos = e->pos;
	d->ts = e->ts;
	if (e->raw)
		d->text = xstrndup(e->raw, e->raw_len ? e->raw_len : strlen(e->raw));
	else if (e->detail)
		d->text = xstrdup(e->detail);
	else
		d->text = xstrdup(ev_kind_name(e->kind));
}

/* an event kept for templates: borrowed raw dropped */
static void ev_keep(struct ev *dst, const struct ev *src)
{
	*dst = *src;
	dst->raw = NULL;
	dst->raw_len = 0;
}

struct timer {
	struct hent h;
	struct rule *ru;
	struct val link[RULE_MAX_LINK];
	int64_t deadline;
	size_t hpos;
	struct ev ctx;
	struct evid *ev;            /* opener first, then linked events */
	uint32_t nev, cap;
	struct evid ev0;            /* storage for the first: no second malloc */
};

struct entry {
	int64_t ts;
	const char *dv;             /* distinct value, interned; NULL when not distinct */
	const char *user;
	struct evid ev;
};

struct dslot {
	const char *k;
	uint32_t n;
};

struct group {
	struct hent h;
	struct rule *ru;
	uint32_t sess;
	const char *key;
	struct group *rnext, *rprev;    /* the rule's groups */
	struct entry *e;
	size_t off, n, cap;
	struct dslot *dc;
	size_t dcap, dused, ndistinct;
	uint8_t fired;
	int64_t supp_until;
};

struct partial {
	struct hent h;
	struct rule *ru;
	uint32_t sess;
	const char *key;
	uint32_t stage;
	int64_t ts0;
	struct ev ctx[RULE_MAX_SEQ];
	struct evid ev[RULE_MAX_SEQ];
};

/* what the engine remembers per finding (by finding id) */
struct frec {
	struct rule *ru;
	uint8_t nctx;
	uint64_t hits;
	uint32_t count;
	char *users;
	struct ev ctx[];            /* nctx of them: sized when the finding is made */
};

/* a finding event waiting to be fed back */
struct qev {
	struct ev e;
	char *raw;
	int depth;
};

enum role_bits { RB_ON = 1, RB_EXPECT = 2, RB_RESET = 4, RB_UNLESS = 8 };
struct ient {
	struct rule *ru;
	uint8_t roles;
	uint8_t steps;              /* bit i: seq step i */
};

struct rules {
	struct rule **v;
	size_t n, cap;
	struct ient *idx[EVK__COUNT];
	uint32_t nidx[EVK__COUNT];
	int indexed;
	struct finding_set *fs;
	struct sess_table *sessions;
	int64_t now;                /* watermark: the largest event time seen */
	int64_t next_sweep;
	FILE *diag;

	struct htab timers, groups, partials;
	struct timer **heap;
	size_t nheap, capheap;
	struct group **rgroups;     /* per rule: head of its groups */

	struct frec **frec;
	size_t nfrec;

	struct qev *q;
	size_t qhead, qn, qcap;
	int depth;
	int draining;

	uint64_t evictions;
	struct sbuf tb;
};

/* ---- loading ---- */

struct rules *rules_new(void)
{
	struct rules *r = xcalloc(1, sizeof *r);
	r->now = EV_NO_TS;
	r->next_sweep = INT64_MIN;
	r->diag = stderr;
	sbuf_init(&r->tb, 1 << 20);
	return r;
}

void rules_set_diag(struct rules *r, FILE *f)
{
	r->diag = f;
}

static void timer_free(struct timer *t)
{
	for (uint32_t i = 0; i < t->nev; i++)
		free(t->ev[i].text);
	if (t->ev != &t->ev0)
		free(t->ev);
	free(t);
}

/* The timer's next evidence slot, grown as needed; NULL when it holds
 * TIMER_MAX_EV already. */
static struct evid *timer_ev_slot(struct timer *t)
{
	if (t->nev == TIMER_MAX_EV)
		return NULL;
	if (t->nev == t->cap) {
		uint32_t cap = t->cap * 4 > TIMER_MAX_EV ? TIMER_MAX_EV : t->cap * 4;
		struct evid *v = xmalloc(cap * sizeof *v);
		memcpy(v, t->ev, t->nev * sizeof *v);
		if (t->ev != &t->ev0)
			free(t->ev);
		t->ev = v;
		t->cap = cap;
	}
	return &t->ev[t->nev++];
}

static void timer_add_ev(struct timer *t, const struct ev *e)
{
	struct evid *v = timer_ev_slot(t);
	if (v)
		evid_set(v, e);
}

static void group_free(struct group *g)
{
	for (size_t i = 0; i < g->n; i++)
		free(g->e[g->off + i].ev.text);
	free(g->e);
	free(g->dc);
	free(g);
}

static void partial_free(struct partial *p)
{
	for (uint32_t i = 0; i < p->stage && i < RULE_MAX_SEQ; i++)
		free(p->ev[i].text);
	free(p);
}

static void ht_free_all(struct htab *t, void (*fn)(void *))
{
	for (size_t i = 0; i < t->nb; i++)
		for (struct hent *e = t->b[i], *nx; e; e = nx) {
			nx = e->next;
			fn(e);
		}
	free(t->b);
	memset(t, 0, sizeof *t);
}

static void timer_free_v(void *p) { timer_free(p); }
static void group_free_v(void *p) { group_free(p); }
static void partial_free_v(void *p) { partial_free(p); }

void rules_free(struct rules *r)
{
	if (!r)
		return;
	ht_free_all(&r->timers, timer_free_v);
	ht_free_all(&r->groups, group_free_v);
	ht_free_all(&r->partials, partial_free_v);
	free(r->heap);
	free(r->rgroups);
	for (size_t i = 0; i < r->nfrec; i++)
		if (r->frec[i]) {
			free(r->frec[i]->users);
			free(r->frec[i]);
		}
	free(r->frec);
	for (size_t i = r->qhead; i < r->qn; i++)
		free(r->q[i].raw);
	free(r->q);
	for (unsigned k = 0; k < EVK__COUNT; k++)
		free(r->idx[k]);
	for (size_t i = 0; i < r->n; i++)
		rule_free(r->v[i]);
	free(r->v);
	sbuf_free(&r->tb);
	free(r);
}

static struct rule *find_rule(const struct rules *r, const char *id)
{
	id = intern_cstr(id);
	for (size_t i = 0; i < r->n; i++)
		if (r->v[i]->id == id)
			return r->v[i];
	return NULL;
}

static void register_meta(const struct rule *ru)
{
	struct rule_meta m = {
		.id = ru->id, .sev = ru->sev, .kind = rkind_name(ru->kind),
		.title = ru->val[RKEY_TITLE], .explain = ru->val[RKEY_EXPLAIN],
		.hint = ru->val[RKEY_HINT], .file = ru->file, .line = ru->line,
		.builtin = ru->builtin,
	};
	rulemeta_add(&m);
}

struct addctx {
	struct rules *r;
	int builtin;
};

static int add_rule(void *vctx, struct rule *ru, struct diag *d)
{
	struct addctx *ac = vctx;
	struct rules *r = ac->r;
	ru->builtin = (uint8_t)ac->builtin;
	for (size_t i = 0; i < r->n; i++) {
		struct rule *old = r->v[i];
		if (old->id != ru->id)
			continue;
		if (old->builtin && !ru->builtin) {
			/* a user's file redefines a built-in rule: it replaces it */
			ru->idx = old->idx;
			r->v[i] = ru;
			rule_free(old);
			register_meta(ru);
			r->indexed = 0;
			return 0;
		}
		d->line = ru->line;
		d->nseg = 0;
		diag_error(d, 0, "duplicate rule id '%s' (first defined at %s:%u)", ru->id, old->file,
			   (unsigned)old->line);
		return -1;
	}
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 64;
		r->v = xrealloc(r->v, r->cap * sizeof *r->v);
	}
	ru->idx = (uint32_t)r->n;
	r->v[r->n++] = ru;
	register_meta(ru);
	r->indexed = 0;
	return 0;
}

static int load_text(struct rules *r, const char *name, const char *text, size_t len, FILE *err,
		     int builtin)
{
	struct addctx ac = {r, builtin};
	return rules_parse_text(name, text, len, err, add_rule, &ac, NULL);
}

int rules_load_text(struct rules *r, const char *name, const char *text, size_t len, FILE *err)
{
	return load_text(r, name, text, len, err, 0);
}

int rules_load_builtin(struct rules *r, FILE *err)
{
	int errs = 0;
	char name[256];
	for (const struct pack_file *p = pack_files; p->name; p++) {
		snprintf(name, sizeof name, "builtin:%s", p->name);
		errs += load_text(r, name, p->text, p->len, err, 1);
	}
	return errs;
}

static int load_file(struct rules *r, const char *path, FILE *err)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(err, "%s: cannot read: %s\n", path, strerror(errno));
		return 1;
	}
	struct sbuf b;
	sbuf_init(&b, MAX_RULE_FILE);
	char chunk[65536];
	size_t n;
	int big = 0;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (sbuf_add(&b, chunk, n)) {
			big = 1;
			break;
		}
	int rerr = ferror(f);
	fclose(f);
	if (big || rerr) {
		fprintf(err, "%s: %s\n", path, big ? "larger than 16 MiB: not a rule file" : "read error");
		sbuf_free(&b);
		return 1;
	}
	int errs = load_text(r, path, b.p ? b.p : "", b.len, err, 0);
	sbuf_free(&b);
	return errs;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int rules_load_path(struct rules *r, const char *path, FILE *err)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		fprintf(err, "%s: cannot read: %s\n", path, strerror(errno));
		return 1;
	}
	if (!S_ISDIR(st.st_mode))
		return load_file(r, path, err);
	DIR *d = opendir(path);
	if (!d) {
		fprintf(err, "%s: cannot read: %s\n", path, strerror(errno));
		return 1;
	}
	char **names = NULL;
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);
		if (de->d_name[0] == '.' || l < 7 || strcmp(de->d_name + l - 6, ".rules"))
			continue;
		names = xrealloc(names, (n + 1) * sizeof *names);
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof *names, cmp_str);
	int errs = 0;
	for (size_t i = 0; i < n; i++) {
		size_t pl = strlen(path) + strlen(names[i]) + 2;
		char *p = xmalloc(pl);
		snprintf(p, pl, "%s/%s", path, names[i]);
		errs += load_file(r, p, err);
		free(p);
		free(names[i]);
	}
	free(names);
	return errs;
}

int rules_set_severity(struct rules *r, const char *id, unsigned sev)
{
	struct rule *ru = id ? find_rule(r, id) : NULL;
	if (!ru || sev > SEV_NONE)
		return -1;
	ru->sev = (uint8_t)sev;
	register_meta(ru);
	return 0;
}

size_t rules_count(const struct rules *r)
{
	return r->n;
}

uint64_t rules_evictions(const struct rules *r)
{
	return r->evictions;
}

/* ---- lint: what only the whole set can tell ---- */

static int cycle_from(const struct rules *r, size_t start, size_t cur, uint8_t *seen,
		      size_t *path, size_t depth)
{
	const struct rule *ru = r->v[cur];
	path[depth] = cur;
	if (ru->nfeeds <= 0)
		return 0;
	for (int i = 0; i < ru->nfeeds; i++) {
		const struct rule *nx = find_rule(r, ru->feeds[i]);
		if (!nx || nx == ru)
			continue;
		if (nx->idx == start)
			return (int)depth + 1;
		if (seen[nx->idx] || depth + 1 >= r->n)
			continue;
		seen[nx->idx] = 1;
		int got = cycle_from(r, start, nx->idx, seen, path, depth + 1);
		if (got)
			return got;
	}
	return 0;
}

int rules_check(struct rules *r, FILE *err, int include_builtin)
{
	int errs = 0;
	for (size_t i = 0; i < r->n; i++) {
		const struct rule *ru = r->v[i];
		if (ru->builtin && !include_builtin)
			continue;
		for (size_t j = 0; j < ru->nsup; j++)
			if (!find_rule(r, ru->sup[j]))
				fprintf(err, "%s:%u: warning: rule %s supersedes '%s', which no loaded "
					"file defines (another pack may)\n", ru->file,
					(unsigned)ru->keyline[RKEY_SUPERSEDES], ru->id, ru->sup[j]);
	}
	if (!r->n)
		return 0;
	uint8_t *seen = xcalloc(r->n, 1), *reported = xcalloc(r->n, 1);
	size_t *path = xcalloc(r->n + 1, sizeof *path);
	for (size_t i = 0; i < r->n; i++) {
		const struct rule *ru = r->v[i];
		if (reported[i] || (ru->builtin && !include_builtin))
			continue;
		memset(seen, 0, r->n);
		int len = cycle_from(r, i, i, seen, path, 0);
		if (!len)
			continue;
		fprintf(err, "%s:%u: rules feed each other through finding events, a loop: ",
			ru->file, (unsigned)ru->line);
		for (int k = 0; k < len; k++) {
			fprintf(err, "%s -> ", r->v[path[k]]->id);
			reported[path[k]] = 1;
		}
		fprintf(err, "%s\n", ru->id);
		errs++;
	}
	free(seen);
	free(reported);
	free(path);
	return errs;
}

static void explain_line(FILE *out, const char *key, const char *val, const char *suffix)
{
	fprintf(out, "%-10s ", key);
	fputs_text(out, val);
	fprintf(out, "%s\n", suffix ? suffix : "");
}

int rules_explain(struct rules *r, const char *id, FILE *out)
{
	const struct rule *ru = find_rule(r, id);
	if (!ru)
		return -1;
	explain_line(out, "rule", ru->id, NULL);
	static const unsigned order[] = {
		RKEY_KIND, RKEY_ON, RKEY_SEQ, RKEY_WHERE, RKEY_EXPECT, RKEY_EXPECT_WHERE, RKEY_LINK,
		RKEY_UNLESS, RKEY_KEY, RKEY_ALIAS, RKEY_WITHIN, RKEY_COUNT, RKEY_DISTINCT,
		RKEY_SUPPRESS, RKEY_RESET,
	};
	for (size_t i = 0; i < sizeof order / sizeof *order; i++)
		if (ru->val[order[i]])
			explain_line(out, rkey_name(order[i]), ru->val[order[i]], NULL);
	if (!ru->val[RKEY_KEY])
		explain_line(out, "key", "session", " (default)");
	explain_line(out, "severity", sev_name(ru->sev),
		     ru->sev != ru->sev_default ? " (overridden)" : NULL);
	static const unsigned text[] = {RKEY_TITLE, RKEY_SAY, RKEY_HINT, RKEY_EXPLAIN, RKEY_SUPERSEDES};
	for (size_t i = 0; i < sizeof text / sizeof *text; i++)
		if (ru->val[text[i]])
			explain_line(out, rkey_name(text[i]), ru->val[text[i]], NULL);
	char where[600];
	snprintf(where, sizeof where, "%s:%u", ru->file, (unsigned)ru->line);
	explain_line(out, "defined", where, ru->builtin ? " (built-in pack)" : NULL);
	return 0;
}

/* ---- the index ---- */

static void idx_add(struct rules *r, unsigned kind, struct rule *ru, uint8_t role, uint8_t step)
{
	for (uint32_t i = 0; i < r->nidx[kind]; i++)
		if (r->idx[kind][i].ru == ru) {
			r->idx[kind][i].roles |= role;
			r->idx[kind][i].steps |= step;
			return;
		}
	r->idx[kind] = xrealloc(r->idx[kind], (r->nidx[kind] + 1) * sizeof **r->idx);
	r->idx[kind][r->nidx[kind]++] = (struct ient){ru, role, step};
}

static void build_index(struct rules *r)
{
	for (unsigned k = 0; k < EVK__COUNT; k++) {
		free(r->idx[k]);
		r->idx[k] = NULL;
		r->nidx[k] = 0;
	}
	for (size_t i = 0; i < r->n; i++) {
		struct rule *ru = r->v[i];
		for (size_t j = 0; j < ru->on.n; j++)
			idx_add(r, ru->on.v[j], ru, RB_ON, 0);
		for (size_t j = 0; j < ru->expect.n; j++)
			idx_add(r, ru->expect.v[j], ru, RB_EXPECT, 0);
		for (size_t j = 0; j < ru->reset.n; j++)
			idx_add(r, ru->reset.v[j], ru, RB_RESET, 0);
		for (size_t j = 0; j < ru->unless.n; j++)
			idx_add(r, ru->unless.v[j], ru, RB_UNLESS, 0);
		for (size_t s = 0; s < ru->nseq; s++)
			for (size_t j = 0; j < ru->seq[s].k.n; j++)
				idx_add(r, ru->seq[s].k.v[j], ru, 0, (uint8_t)(1u << s));
	}
	free(r->rgroups);
	r->rgroups = xcalloc(r->n ? r->n : 1, sizeof *r->rgroups);
	r->indexed = 1;
}

static void session_merged(void *ctx, uint32_t gone, uint32_t into);

void rules_bind(struct rules *r, struct finding_set *fs, struct sess_table *sessions)
{
	r->fs = fs;
	r->sessions = sessions;
	if (sessions)
		sess_set_merge_hook(sessions, session_merged, r);
	build_index(r);
	for (size_t i = 0; i < r->n; i++)
		for (size_t j = 0; j < r->v[i]->nsup; j++)
			findings_supersede(fs, r->v[i]->id, r->v[i]->sup[j]);
}

/* ---- keys ---- */

static const char *input_key(uint32_t input)
{
	const struct input *in = input_get(input);
	if (in && in->path)
		return intern_cstr(in->path);
	char b[32];
	snprintf(b, sizeof b, "input %" PRIu32, input);
	return intern_cstr(b);
}

static const char *val_str(const struct val *v)
{
	if (v->t == V_STR)
		return intern_cstr(v->s);   /* already interned: a lookup */
	char b[24];
	snprintf(b, sizeof b, "%" PRId64, v->i);
	return intern_cstr(b);
}

static const char *xform(const char *s, uint8_t xf)
{
	char b[256];
	size_t n = strlen(s);
	if (xf & XF_STRIP_REALM) {
		const char *bs = strrchr(s, '\\');
		if (bs) {
			s = bs + 1;
			n = strlen(s);
		}
		const char *at = memchr(s, '@', n);
		if (at)
			n = (size_t)(at - s);
	}
	if (n >= sizeof b)
		n = sizeof b - 1;
	memcpy(b, s, n);
	b[n] = 0;
	if (xf & XF_LOWER)
		for (size_t i = 0; i < n; i++)
			if (b[i] >= 'A' && b[i] <= 'Z')
				b[i] = (char)(b[i] - 'A' + 'a');
	return intern(b, n);
}

static int alias_get(const struct rule *ru, struct evctx *c, struct val *v)
{
	const char *kn = ev_kind_name(c->e->kind);
	for (size_t i = 0; i < ru->nalias; i++) {
		const struct alias_ent *a = &ru->alias[i];
		if (a->kind >= 0 ? a->kind != c->e->kind : strncmp(kn, a->prefix, strlen(a->prefix)))
			continue;
		if (ctx_get(c, a->fr, v))
			return -1;
		if (a->xf && v->t == V_STR)
			v->s = xform(v->s, a->xf);
		return 0;
	}
	/* no entry for this kind: the field of the alias's name, when there is one */
	struct fref fr;
	if (fref_parse(ru->alias_name, &fr))
		return -1;
	return ctx_get(c, fr, v);
}

/* The merge key of an event for a rule: a session id, or a string.
 * Returns -1 when the event lacks the key. */
static int resolve_key(const struct rule *ru, struct evctx *c, uint32_t *sess, const char **key)
{
	const struct ev *e = c->e;
	struct val v;
	*sess = 0;
	*key = NULL;
	switch (ru->keytype) {
	case KEY_SESSION:
		if (e->session) {
			*sess = e->session;
			return 0;
		}
		return -1;
	case KEY_INPUT:
		if (!e->input)
			return -1;
		*key = input_key(e->input);
		return 0;
	case KEY_USER:
		if (e->user) {
			*key = e->user;
			return 0;
		}
		if (ctx_get(c, (struct fref){1, SF_USER}, &v) == 0) {
			*key = v.s;
			return 0;
		}
		return -1;
	case KEY_FIELD:
		if (ctx_get(c, ru->keyfield, &v))
			return -1;
		*key = val_str(&v);
		return 0;
	case KEY_ALIAS:
		if (alias_get(ru, c, &v))
			return -1;
		*key = val_str(&v);
		return 0;
	}
	return -1;
}

/* match and absence findings always have a key: without a session they
 * merge by user, else by input */
static void finding_key(const struct rule *ru, struct evctx *c, uint32_t *sess, const char **key)
{
	if (resolve_key(ru, c, sess, key) == 0)
		return;
	*sess = 0;
	if (c->e->user)
		*key = c->e->user;
	else if (c->e->input)
		*key = input_key(c->e->input);
	else
		*key = intern_cstr("-");
}

/* ---- templates ---- */

static const struct ev *ctx_field(struct rules *r, const struct frec *fr, struct fref f,
				  struct val *v)
{
	for (int i = (int)fr->nctx - 1; i >= 0; i--) {
		struct evctx c = {.e = &fr->ctx[i], .sessions = r->sessions};
		if (ctx_get(&c, f, v) == 0)
			return &fr->ctx[i];
	}
	return NULL;
}

static void put_val(struct sbuf *b, const struct tpart *p, const struct val *v)
{
	char tmp[64];
	int bad = 0;
	if (v->t == V_STR) {
		bad |= sbuf_adds(b, v->s);
	} else if (p->fmt == TF_DUR) {
		fmt_duration(tmp, sizeof tmp, v->i);
		bad |= sbuf_adds(b, tmp);
	} else if (p->fmt == TF_TS) {
		clock_fmt_rfc3339(tmp, v->i);
		bad |= sbuf_adds(b, tmp);
	} else if (!p->fr.sess && (p->fr.f == EF_SPI_I || p->fr.f == EF_SPI_R)) {
		bad |= sbuf_printf(b, "%016" PRIx64, (uint64_t)v->i);
	} else {
		bad |= sbuf_printf(b, "%" PRId64, v->i);
	}
	(void)bad;
}

static char *expand(struct rules *r, const struct tmpl *t, const struct frec *fr,
		    const struct finding *f)
{
	struct sbuf *b = &r->tb;
	char tmp[64];
	int bad = 0;
	struct val v;
	sbuf_reset(b);
	for (size_t i = 0; i < t->n; i++) {
		const struct tpart *p = &t->p[i];
		switch (p->type) {
		case TP_TEXT:
			bad |= sbuf_add(b, p->text, p->len);
			break;
		case TP_FIELD:
			if (ctx_field(r, fr, p->fr, &v))
				put_val(b, p, &v);
			else
				bad |= sbuf_addc(b, '?');
			break;
		case TP_COUNT:
			bad |= sbuf_printf(b, "%" PRIu64, fr->count ? (uint64_t)fr->count : fr->hits);
			break;
		case TP_WITHIN:
			if (fr->ru->within > 0) {
				fmt_duration(tmp, sizeof tmp, fr->ru->within);
				bad |= sbuf_adds(b, tmp);
			} else {
				bad |= sbuf_addc(b, '?');
			}
			break;
		case TP_USERS:
			bad |= sbuf_adds(b, fr->users ? fr->users : f->user ? f->user : "?");
			break;
		case TP_RULE:
			bad |= sbuf_adds(b, fr->ru->id);
			break;
		case TP_KEY:
			if (f->session)
				bad |= sbuf_printf(b, "s%" PRIu32, f->session);
			else
				bad |= sbuf_adds(b, f->key ? f->key : "?");
			break;
		case TP_INPUT: {
			const struct input *in = fr->nctx ? input_get(fr->ctx[fr->nctx - 1].input) : NULL;
			bad |= sbuf_adds(b, in && in->path ? in->path : "?");
			break;
		}
		}
	}
	(void)bad;   /* capped at 1 MiB: a longer summary is cut */
	return xstrdup(sbuf_cstr(b));
}

/* ---- findings ---- */

static struct frec *frec_for(struct rules *r, const struct finding *f, size_t nctx)
{
	if (f->id >= r->nfrec) {
		size_t n = r->nfrec ? r->nfrec : 64;
		while (n <= f->id)
			n *= 2;
		r->frec = xrealloc(r->frec, n * sizeof *r->frec);
		memset(r->frec + r->nfrec, 0, (n - r->nfrec) * sizeof *r->frec);
		r->nfrec = n;
	}
	if (!r->frec[f->id]) {
		/* one record per finding: its context events only (a match rule
		 * has one; 2 KiB for RULE_MAX_SEQ each was most of a big run's heap) */
		size_t n = nctx > RULE_MAX_SEQ ? RULE_MAX_SEQ : nctx;
		r->frec[f->id] = xcalloc(1, sizeof **r->frec + n * sizeof(struct ev));
	}
	return r->frec[f->id];
}

static void queue_finding(struct rules *r, const struct rule *ru, const struct finding *f,
			  const struct ev *trigger)
{
	if (r->depth + 1 > MAX_META_DEPTH)
		return;
	if (r->qn == r->qcap) {
		if (r->qhead) {
			memmove(r->q, r->q + r->qhead, (r->qn - r->qhead) * sizeof *r->q);
			r->qn -= r->qhead;
			r->qhead = 0;
		}
		if (r->qn == r->qcap) {
			r->qcap = r->qcap ? r->qcap * 2 : 16;
			r->q = xrealloc(r->q, r->qcap * sizeof *r->q);
		}
	}
	struct qev *q = &r->q[r->qn++];
	ev_init(&q->e, EVK_FINDING, trigger->src, trigger->input, trigger->pos);
	q->e.ts = trigger->ts;
	q->e.session = f->session;
	q->e.user = f->user;
	q->e.text = ru->id;
	q->e.result = intern_cstr(sev_name(f->sev));
	q->e.detail = NULL;
	q->raw = trigger->raw ? xstrndup(trigger->raw, trigger->raw_len ? trigger->raw_len
							      : strlen(trigger->raw)) : NULL;
	q->depth = r->depth + 1;
}

/* Raise or extend the finding (rule, sess|key). ctx: the events templates
 * read (last first); evs: evidence to add; users: owned, may be NULL. */
static void raise_finding(struct rules *r, struct rule *ru, uint32_t sess, const char *key,
			  const struct ev *ctx, size_t nctx, const struct evid *evs, size_t nevs,
			  int open_at_end, uint32_t count, char *users, const struct ev *trigger)
{
	if (!r->fs) {
		free(users);
		return;
	}
	int created;
	struct finding *f = findings_get(r->fs, ru->id, sess, key, &created);
	struct frec *fr = frec_for(r, f, nctx);
	if (created) {
		fr->ru = ru;
		fr->nctx = (uint8_t)(nctx > RULE_MAX_SEQ ? RULE_MAX_SEQ : nctx);
		for (size_t i = 0; i < fr->nctx; i++)
			ev_keep(&fr->ctx[i], &ctx[i]);
		f->sev = ru->sev;
		f->open_at_end = (uint8_t)open_at_end;
	} else if (!open_at_end) {
		f->open_at_end = 0;
	}
	if (!f->user) {
		for (size_t i = 0; i < nctx && !f->user; i++)
			f->user = ctx[i].user;
		if (!f->user && r->sessions) {
			for (size_t i = 0; i < nctx && !f->user; i++) {
				const struct session *s = ctx[i].session ? sess_get(r->sessions, ctx[i].session)
									 : NULL;
				if (s)
					f->user = s->user;
			}
		}
	}
	fr->hits++;
	if (count)
		fr->count = count;
	if (users) {
		free(fr->users);
		fr->users = users;
	}
	for (size_t i = 0; i < nevs; i++)
		finding_add_evidence(f, evs[i].input, evs[i].pos, evs[i].ts, evs[i].text,
				     strlen(evs[i].text));
	char *sum = expand(r, &ru->say, fr, f);
	if (f->open_at_end) {
		char w[32];
		fmt_duration(w, sizeof w, ru->within);
		size_t l = strlen(sum) + 96;
		char *s2 = xmalloc(l);
		snprintf(s2, l, "%s (the input ended before the %s window closed)", sum, w);
		free(sum);
		sum = s2;
	}
	char *hint = ru->hint.n ? expand(r, &ru->hint, fr, f) : NULL;
	finding_set_text(f, sum, hint);
	free(sum);
	free(hint);
	queue_finding(r, ru, f, trigger);
}

static void rule_fail(struct rules *r, struct rule *ru, const struct ev *e)
{
	char ref[512];
	ru->failed = 1;
	input_ref(ref, sizeof ref, e->input, e->pos);
	if (r->diag)
		fprintf(r->diag, "authscope: rule %s (%s:%u) turned off for this run: a regex gave up "
			"(match limit) at %s\n", ru->id, ru->file, (unsigned)ru->line, ref);
}

/* eval with the failure policy: -1 turns the rule off */
static int check(struct rules *r, struct rule *ru, const struct expr *x, struct evctx *c)
{
	if (!x)
		return 1;
	int v = expr_eval(x, c);
	if (v < 0) {
		rule_fail(r, ru, c->e);
		return 0;
	}
	return v;
}

static int64_t eff_ts(const struct rules *r, const struct ev *e)
{
	return e->ts != EV_NO_TS ? e->ts : r->now;
}

/* ---- match ---- */

static void do_match(struct rules *r, struct rule *ru, struct evctx *c)
{
	uint32_t sess;
	const char *key;
	struct evid d;
	finding_key(ru, c, &sess, &key);
	evid_set(&d, c->e);
	raise_finding(r, ru, sess, key, c->e, 1, &d, 1, 0, 0, NULL, c->e);
	free(d.text);
}

/* ---- absence: timers in a min-heap on deadline ---- */

static void heap_swap(struct rules *r, size_t a, size_t b)
{
	struct timer *t = r->heap[a];
	r->heap[a] = r->heap[b];
	r->heap[b] = t;
	r->heap[a]->hpos = a;
	r->heap[b]->hpos = b;
}

static void heap_up(struct rules *r, size_t i)
{
	while (i > 0) {
		size_t p = (i - 1) / 2;
		if (r->heap[p]->deadline <= r->heap[i]->deadline)
			break;
		heap_swap(r, i, p);
		i = p;
	}
}

static void heap_down(struct rules *r, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, m = i;
		if (l < r->nheap && r->heap[l]->deadline < r->heap[m]->deadline)
			m = l;
		if (l + 1 < r->nheap && r->heap[l + 1]->deadline < r->heap[m]->deadline)
			m = l + 1;
		if (m == i)
			return;
		heap_swap(r, i, m);
		i = m;
	}
}

static void heap_remove(struct rules *r, struct timer *t)
{
	size_t i = t->hpos;
	r->nheap--;
	if (i != r->nheap) {
		r->heap[i] = r->heap[r->nheap];
		r->heap[i]->hpos = i;
		heap_down(r, i);
		heap_up(r, i);
	}
}

static uint64_t link_hash(const struct rule *ru, const struct val *v)
{
	uint64_t h = mix(0x51ed27, ru->idx);
	for (size_t i = 0; i < ru->nlink; i++)
		h = mix(h, v[i].t == V_STR ? (uint64_t)(uintptr_t)v[i].s : (uint64_t)v[i].i ^ v[i].t);
	return h;
}

static void link_vals(struct rules *r, const struct rule *ru, struct evctx *c, struct val *v)
{
	(void)r;
	for (size_t i = 0; i < ru->nlink; i++) {
		if (ctx_get(c, ru->link[i], &v[i])) {
			v[i].t = V_NONE;
			v[i].i = 0;
			v[i].s = NULL;
		} else if (v[i].t == V_STR && (ru->link[i].sess == 0 && ru->link[i].f == EF_RAW)) {
			v[i].s = intern_cstr(v[i].s);
		}
	}
}

static int link_eq(const struct rule *ru, const struct val *a, const struct val *b)
{
	for (size_t i = 0; i < ru->nlink; i++) {
		if (a[i].t != b[i].t)
			return 0;
		if (a[i].t == V_INT && a[i].i != b[i].i)
			return 0;
		if (a[i].t == V_STR && a[i].s != b[i].s && strcmp(a[i].s, b[i].s))
			return 0;
	}
	return 1;
}

static struct timer *timer_find(struct rules *r, const struct rule *ru, const struct val *v, uint64_t h)
{
	if (!r->timers.nb)
		return NULL;
	for (struct hent *e = r->timers.b[h & (r->timers.nb - 1)]; e; e = e->next) {
		struct timer *t = (struct timer *)e;
		if (e->h == h && t->ru == ru && link_eq(ru, t->link, v))
			return t;
	}
	return NULL;
}

static void timer_close(struct rules *r, struct timer *t)
{
	ht_del(&r->timers, &t->h);
	heap_remove(r, t);
	timer_free(t);
}

static void timer_fire(struct rules *r, struct timer *t, int open_at_end)
{
	struct rule *ru = t->ru;
	struct evctx c = {.e = &t->ctx, .sessions = r->sessions};
	uint32_t sess;
	const char *key;
	finding_key(ru, &c, &sess, &key);
	if (!ru->failed)
		raise_finding(r, ru, sess, key, &t->ctx, 1, t->ev, t->nev, open_at_end, 0, NULL, &t->ctx);
	timer_close(r, t);
}

static void absence_expect(struct rules *r, struct rule *ru, struct evctx *c)
{
	struct val v[RULE_MAX_LINK];
	link_vals(r, ru, c, v);
	struct timer *t = timer_find(r, ru, v, link_hash(ru, v));
	if (t)
		timer_close(r, t);
}

static void absence_open(struct rules *r, struct rule *ru, struct evctx *c)
{
	struct val v[RULE_MAX_LINK];
	link_vals(r, ru, c, v);
	uint64_t h = link_hash(ru, v);
	int64_t ts = eff_ts(r, c->e);
	int64_t dl = ts == EV_NO_TS ? INT64_MAX : ts + ru->within;
	struct timer *t = timer_find(r, ru, v, h);
	if (t) {
		/* the same identity again (a retransmission): linked evidence, and
		 * the window runs from the latest one */
		timer_add_ev(t, c->e);
		if (dl > t->deadline) {
			t->deadline = dl;
			heap_down(r, t->hpos);
		}
		return;
	}
	if (r->nheap >= MAX_TIMERS) {
		/* the table is full: the timer closest to its deadline fires now */
		r->evictions++;
		timer_fire(r, r->heap[0], 0);
	}
	t = xmalloc(sizeof *t);
	t->h.next = NULL;
	t->h.h = h;
	t->h.rule = ru->idx;
	t->ru = ru;
	memcpy(t->link, v, ru->nlink * sizeof *v);
	t->deadline = dl;
	ev_keep(&t->ctx, c->e);
	t->ev = &t->ev0;
	t->cap = 1;
	t->nev = 0;
	timer_add_ev(t, c->e);
	ht_put(&r->timers, &t->h);
	if (r->nheap == r->capheap) {
		r->capheap = r->capheap ? r->capheap * 2 : 256;
		r->heap = xrealloc(r->heap, r->capheap * sizeof *r->heap);
	}
	t->hpos = r->nheap;
	r->heap[r->nheap++] = t;
	heap_up(r, t->hpos);
}

/* ---- threshold ---- */

static uint64_t gkey_hash(const struct rule *ru, uint32_t sess, const char *key)
{
	return mix(mix(mix(0x7a11, ru->idx), sess), (uint64_t)(uintptr_t)key);
}

static struct hent *gfind(struct htab *t, uint64_t h, uint32_t rule, size_t off_sess,
			  size_t off_key, uint32_t sess, const char *key)
{
	if (!t->nb)
		return NULL;
	for (struct hent *e = t->b[h & (t->nb - 1)]; e; e = e->next)
		if (e->h == h && e->rule == rule &&
		    *(const uint32_t *)((const char *)e + off_sess) == sess &&
		    *(const char *const *)((const char *)e + off_key) == key)
			return e;
	return NULL;
}

static struct dslot *dc_slot(struct group *g, const char *k)
{
	size_t i = ((uintptr_t)k >> 4) * 0x9e3779b97f4a7c15ull & (g->dcap - 1);
	while (g->dc[i].k && g->dc[i].k != k)
		i = (i + 1) & (g->dcap - 1);
	return &g->dc[i];
}

static void dc_rebuild(struct group *g)
{
	struct dslot *old = g->dc;
	size_t ocap = g->dcap;
	g->dcap = 16;
	while (g->dcap < g->ndistinct * 4)
		g->dcap *= 2;
	g->dc = xcalloc(g->dcap, sizeof *g->dc);
	g->dused = 0;
	for (size_t i = 0; i < ocap; i++)
		if (old[i].k && old[i].n) {
			*dc_slot(g, old[i].k) = old[i];
			g->dused++;
		}
	free(old);
}

static void dc_inc(struct group *g, const char *k)
{
	if (!g->dcap || (g->dused + 1) * 2 > g->dcap)
		dc_rebuild(g);
	struct dslot *s = dc_slot(g, k);
	if (!s->k) {
		s->k = k;
		g->dused++;
	}
	if (s->n++ == 0)
		g->ndistinct++;
}

static void dc_dec(struct group *g, const char *k)
{
	if (!g->dcap)
		return;
	struct dslot *s = dc_slot(g, k);
	if (s->k && s->n && --s->n == 0)
		g->ndistinct--;
}

static void group_pop_front(struct group *g)
{
	struct entry *e = &g->e[g->off];
	if (e->dv)
		dc_dec(g, e->dv);
	free(e->ev.text);
	g->off++;
	g->n--;
}

static void group_expire(struct group *g, int64_t now)
{
	const struct rule *ru = g->ru;
	if (ru->within <= 0 || now == EV_NO_TS)
		return;
	while (g->n && g->e[g->off].ts != EV_NO_TS && g->e[g->off].ts < now - ru->within)
		group_pop_front(g);
}

static uint32_t group_count(const struct group *g)
{
	return (uint32_t)(g->ru->has_distinct ? g->ndistinct : g->n);
}

static char *group_users(const struct group *g)
{
	const char *seen[MAX_USERS_LISTED];
	size_t ns = 0, more = 0;
	struct sbuf b;
	sbuf_init(&b, 1 << 16);
	int bad = 0;
	for (size_t i = 0; i < g->n; i++) {
		const char *u = g->e[g->off + i].user;
		if (!u)
			continue;
		size_t j;
		for (j = 0; j < ns; j++)
			if (seen[j] == u)
				break;
		if (j < ns)
			continue;
		if (ns == MAX_USERS_LISTED) {
			/* count the rest once each */
			size_t k;
			for (k = 0; k < i; k++)
				if (g->e[g->off + k].user == u)
					break;
			if (k == i)
				more++;
			continue;
		}
		seen[ns++] = u;
		if (ns > 1)
			bad |= sbuf_adds(&b, ", ");
		bad |= sbuf_adds(&b, u);
	}
	if (more)
		bad |= sbuf_printf(&b, " and %zu more", more);
	(void)bad;
	if (!ns) {
		sbuf_free(&b);
		return NULL;
	}
	return sbuf_take(&b);
}

static void group_unlink(struct rules *r, struct group *g)
{
	if (g->rprev)
		g->rprev->rnext = g->rnext;
	else
		r->rgroups[g->ru->idx] = g->rnext;
	if (g->rnext)
		g->rnext->rprev = g->rprev;
	ht_del(&r->groups, &g->h);
}

static void threshold_count(struct rules *r, struct rule *ru, struct evctx *c)
{
	uint32_t sess;
	const char *key;
	if (resolve_key(ru, c, &sess, &key))
		return;
	const char *dv = NULL;
	if (ru->has_distinct) {
		struct val v;
		if (ctx_get(c, ru->distinct, &v))
			return;             /* no value to count */
		dv = val_str(&v);
	}
	uint64_t h = gkey_hash(ru, sess, key);
	struct group *g = (struct group *)gfind(&r->groups, h, ru->idx, offsetof(struct group, sess),
					       offsetof(struct group, key), sess, key);
	if (!g) {
		g = xcalloc(1, sizeof *g);
		g->h.h = h;
		g->h.rule = ru->idx;
		g->ru = ru;
		g->sess = sess;
		g->key = key;
		g->supp_until = INT64_MIN;
		g->rnext = r->rgroups[ru->idx];
		if (g->rnext)
			g->rnext->rprev = g;
		r->rgroups[ru->idx] = g;
		ht_put(&r->groups, &g->h);
	}
	int64_t ts = eff_ts(r, c->e);
	group_expire(g, ts);
	if (g->n == GROUP_MAX_ENTRIES) {
		group_pop_front(g);
		r->evictions++;
	}
	if (g->off + g->n == g->cap) {
		if (g->off) {
			memmove(g->e, g->e + g->off, g->n * sizeof *g->e);
			g->off = 0;
		} else {
			g->cap = g->cap ? g->cap * 2 : 8;
			g->e = xrealloc(g->e, g->cap * sizeof *g->e);
		}
	}
	struct entry *en = &g->e[g->off + g->n++];
	en->ts = ts;
	en->dv = dv;
	en->user = c->e->user;
	if (!en->user) {
		struct val uv;
		if (ctx_get(c, (struct fref){1, SF_USER}, &uv) == 0)
			en->user = uv.s;
	}
	evid_set(&en->ev, c->e);
	if (dv)
		dc_inc(g, dv);

	uint32_t cnt = group_count(g);
	if (cnt < ru->count) {
		g->fired = 0;
		return;
	}
	if (g->fired) {
		/* the same episode: this event joins the finding */
		raise_finding(r, ru, sess, key, c->e, 1, &en->ev, 1, 0, cnt, group_users(g), c->e);
		return;
	}
	if (ru->suppress && ts != EV_NO_TS && ts < g->supp_until)
		return;
	g->fired = 1;
	if (ru->suppress && ts != EV_NO_TS)
		g->supp_until = ts + ru->suppress;
	struct evid *evs = xmalloc(g->n * sizeof *evs);
	for (size_t i = 0; i < g->n; i++)
		evs[i] = g->e[g->off + i].ev;
	raise_finding(r, ru, sess, key, c->e, 1, evs, g->n, 0, cnt, group_users(g), c->e);
	free(evs);
}

static void threshold_reset(struct rules *r, struct rule *ru, const struct ev *e)
{
	int64_t ts = e->ts;
	for (struct group *g = r->rgroups[ru->idx]; g; g = g->rnext) {
		/* counted events that happened before the reset are forgotten */
		while (g->n && (ts == EV_NO_TS || g->e[g->off].ts == EV_NO_TS || g->e[g->off].ts <= ts))
			group_pop_front(g);
		if (g->n) {
			/* later events stay; keep them in order */
			size_t keep = 0;
			for (size_t i = 0; i < g->n; i++) {
				struct entry *en = &g->e[g->off + i];
				if (en->ts != EV_NO_TS && en->ts <= ts) {
					if (en->dv)
						dc_dec(g, en->dv);
					free(en->ev.text);
				} else {
					g->e[g->off + keep++] = *en;
				}
			}
			g->n = keep;
		}
		if (group_count(g) < ru->count)
			g->fired = 0;
	}
}

/* ---- correlate ---- */

static void correlate_event(struct rules *r, struct rule *ru, struct evctx *c, uint8_t roles,
			    uint8_t steps)
{
	uint32_t sess;
	const char *key;
	if (resolve_key(ru, c, &sess, &key))
		return;
	uint64_t h = gkey_hash(ru, sess, key);
	struct partial *p = (struct partial *)gfind(&r->partials, h, ru->idx,
						     offsetof(struct partial, sess),
						     offsetof(struct partial, key), sess, key);
	int64_t ts = eff_ts(r, c->e);
	if (p && ts != EV_NO_TS && p->ts0 != EV_NO_TS && ts - p->ts0 > ru->within) {
		ht_del(&r->partials, &p->h);
		partial_free(p);
		p = NULL;
	}
	if ((roles & RB_UNLESS) && p && check(r, ru, ru->unless_where, c)) {
		ht_del(&r->partials, &p->h);
		partial_free(p);
		return;
	}
	if (p && (steps & (1u << p->stage)) && check(r, ru, ru->seq[p->stage].where, c)) {
		ev_keep(&p->ctx[p->stage], c->e);
		evid_set(&p->ev[p->stage], c->e);
		p->stage++;
		if (p->stage == ru->nseq) {
			/* templates read the last step first, then the earlier ones */
			raise_finding(r, ru, ru->keytype == KEY_SESSION ? sess : 0,
				      ru->keytype == KEY_SESSION ? NULL : key, p->ctx, p->stage, p->ev,
				      p->stage, 0, 0, NULL, c->e);
			ht_del(&r->partials, &p->h);
			partial_free(p);
		}
		return;
	}
	if (!(steps & 1u) || !check(r, ru, ru->seq[0].where, c))
		return;
	if (p && p->stage > 1)
		return;                 /* under way: a new first step waits */
	if (!p) {
		p = xcalloc(1, sizeof *p);
		p->h.h = h;
		p->h.rule = ru->idx;
		p->ru = ru;
		p->sess = sess;
		p->key = key;
		ht_put(&r->partials, &p->h);
	} else {
		free(p->ev[0].text);    /* a newer first step restarts the window */
	}
	p->stage = 1;
	p->ts0 = ts;
	ev_keep(&p->ctx[0], c->e);
	evid_set(&p->ev[0], c->e);
}

/* ---- sessions that merge ---- */

/* Two sessions of one login merged (the proxy's view and the router's):
 * state the engine keeps by the old id moves to the surviving one, so a
 * sequence begun in one view completes in the other, a count goes on, and
 * an absence timer linked on the session is closed by the other view's
 * answer. */

static void partial_rekey(struct rules *r, struct rule *ru, uint32_t gone, uint32_t into)
{
	struct partial *p = (struct partial *)gfind(&r->partials, gkey_hash(ru, gone, NULL), ru->idx,
						     offsetof(struct partial, sess),
						     offsetof(struct partial, key), gone, NULL);
	if (!p)
		return;
	ht_del(&r->partials, &p->h);
	uint64_t h = gkey_hash(ru, into, NULL);
	struct partial *q = (struct partial *)gfind(&r->partials, h, ru->idx,
						     offsetof(struct partial, sess),
						     offsetof(struct partial, key), into, NULL);
	if (q) {
		/* one sequence per key: the one further along stays */
		if (q->stage >= p->stage) {
			partial_free(p);
			return;
		}
		ht_del(&r->partials, &q->h);
		partial_free(q);
	}
	p->sess = into;
	p->h.h = h;
	ht_put(&r->partials, &p->h);
}

static void group_rekey(struct rules *r, struct rule *ru, uint32_t gone, uint32_t into)
{
	struct group *g = (struct group *)gfind(&r->groups, gkey_hash(ru, gone, NULL), ru->idx,
					       offsetof(struct group, sess),
					       offsetof(struct group, key), gone, NULL);
	if (!g)
		return;
	uint64_t h = gkey_hash(ru, into, NULL);
	struct group *q = (struct group *)gfind(&r->groups, h, ru->idx, offsetof(struct group, sess),
					       offsetof(struct group, key), into, NULL);
	if (!q) {
		ht_del(&r->groups, &g->h);
		g->sess = into;
		g->h.h = h;
		ht_put(&r->groups, &g->h);
		return;
	}
	/* both views counted: one window, in time order */
	size_t n = q->n + g->n, i = 0, j = 0, k = 0;
	struct entry *e = xmalloc((n ? n : 1) * sizeof *e);
	while (i < q->n || j < g->n) {
		if (j == g->n || (i < q->n && q->e[q->off + i].ts <= g->e[g->off + j].ts))
			e[k++] = q->e[q->off + i++];
		else
			e[k++] = g->e[g->off + j++];
	}
	for (j = 0; j < g->n; j++)
		if (g->e[g->off + j].dv)
			dc_inc(q, g->e[g->off + j].dv);
	free(q->e);
	q->e = e;
	q->off = 0;
	q->n = q->cap = n;
	while (q->n > GROUP_MAX_ENTRIES) {
		group_pop_front(q);
		r->evictions++;
	}
	q->fired |= g->fired;
	if (g->supp_until > q->supp_until)
		q->supp_until = g->supp_until;
	group_unlink(r, g);
	free(g->e);                 /* its entries' texts moved to q */
	free(g->dc);
	free(g);
}

static int link_is_session(const struct fref *f)
{
	return (!f->sess && f->f == EF_SESSION) || (f->sess && f->f == SF_ID);
}

static void timers_rekey(struct rules *r, struct rule *ru, uint32_t gone, uint32_t into)
{
	/* the rule's timers that name the old id (a scan: only rules that
	 * link on the session id get here) */
	struct timer **mv = NULL;
	size_t nmv = 0;
	for (size_t i = 0; i < r->nheap; i++) {
		struct timer *t = r->heap[i];
		if (t->ru != ru)
			continue;
		for (size_t l = 0; l < ru->nlink; l++)
			if (link_is_session(&ru->link[l]) && t->link[l].t == V_INT &&
			    t->link[l].i == (int64_t)gone) {
				mv = xrealloc(mv, (nmv + 1) * sizeof *mv);
				mv[nmv++] = t;
				break;
			}
	}
	for (size_t m = 0; m < nmv; m++) {
		struct timer *t = mv[m];
		ht_del(&r->timers, &t->h);
		for (size_t l = 0; l < ru->nlink; l++)
			if (link_is_session(&ru->link[l]) && t->link[l].t == V_INT &&
			    t->link[l].i == (int64_t)gone)
				t->link[l].i = into;
		uint64_t h = link_hash(ru, t->link);
		struct timer *d = timer_find(r, ru, t->link, h);
		if (!d) {
			t->h.h = h;
			ht_put(&r->timers, &t->h);
			continue;
		}
		/* the other view opened the same timer: one timer, both openers */
		struct evid *v;
		for (uint32_t i = 0; i < t->nev && (v = timer_ev_slot(d)); i++) {
			*v = t->ev[i];
			t->ev[i].text = NULL;
		}
		if (t->deadline > d->deadline) {
			d->deadline = t->deadline;
			heap_down(r, d->hpos);
		}
		heap_remove(r, t);
		timer_free(t);
	}
	free(mv);
}

static void session_merged(void *ctx, uint32_t gone, uint32_t into)
{
	struct rules *r = ctx;
	for (size_t i = 0; i < r->n; i++) {
		struct rule *ru = r->v[i];
		if (ru->kind == RK_CORRELATE && ru->keytype == KEY_SESSION && r->partials.n)
			partial_rekey(r, ru, gone, into);
		else if (ru->kind == RK_THRESHOLD && ru->keytype == KEY_SESSION && r->groups.n)
			group_rekey(r, ru, gone, into);
		else if (ru->kind == RK_ABSENCE && r->nheap)
			for (size_t l = 0; l < ru->nlink; l++)
				if (link_is_session(&ru->link[l])) {
					timers_rekey(r, ru, gone, into);
					break;
				}
	}
}

/* ---- dispatch ---- */

static void dispatch(struct rules *r, const struct ev *e)
{
	if (e->kind >= EVK__COUNT)
		return;
	uint32_t n = r->nidx[e->kind];
	if (!n)
		return;
	struct evctx c = {.e = e, .sessions = r->sessions};
	const struct ient *ix = r->idx[e->kind];
	for (uint32_t i = 0; i < n; i++) {
		struct rule *ru = ix[i].ru;
		if (ru->failed || ru->sev == SEV_NONE)
			continue;
		if (e->kind == EVK_FINDING && e->text == ru->id)
			continue;           /* a rule never feeds itself */
		switch (ru->kind) {
		case RK_MATCH:
			if (check(r, ru, ru->where, &c))
				do_match(r, ru, &c);
			break;
		case RK_ABSENCE:
			if ((ix[i].roles & RB_EXPECT) && check(r, ru, ru->expect_where, &c))
				absence_expect(r, ru, &c);
			if ((ix[i].roles & RB_ON) && !ru->failed && check(r, ru, ru->where, &c))
				absence_open(r, ru, &c);
			break;
		case RK_THRESHOLD:
			if ((ix[i].roles & RB_RESET) && check(r, ru, ru->reset_where, &c))
				threshold_reset(r, ru, e);
			if ((ix[i].roles & RB_ON) && !ru->failed && check(r, ru, ru->where, &c))
				threshold_count(r, ru, &c);
			break;
		case RK_CORRELATE:
			correlate_event(r, ru, &c, ix[i].roles, ix[i].steps);
			break;
		}
	}
}

static void drain(struct rules *r)
{
	if (r->draining)
		return;
	r->draining = 1;
	while (r->qhead < r->qn) {
		struct qev q = r->q[r->qhead++];
		q.e.raw = q.raw;
		q.e.raw_len = q.raw ? strlen(q.raw) : 0;
		r->depth = q.depth;
		dispatch(r, &q.e);
		free(q.raw);
	}
	r->qhead = r->qn = 0;
	r->depth = 0;
	r->draining = 0;
}

static void sweep(struct rules *r, int64_t now)
{
	if (now < r->next_sweep)
		return;
	r->next_sweep = now + 1000000;   /* once per second of event time */
	for (size_t i = 0; i < r->partials.nb; i++)
		for (struct hent *e = r->partials.b[i], *nx; e; e = nx) {
			nx = e->next;
			struct partial *p = (struct partial *)e;
			if (p->ts0 != EV_NO_TS && now - p->ts0 > p->ru->within) {
				ht_del(&r->partials, e);
				partial_free(p);
			}
		}
	for (size_t i = 0; i < r->n; i++)
		for (struct group *g = r->rgroups[i], *nx; g; g = nx) {
			nx = g->rnext;
			group_expire(g, now);
			if (g->n == 0 && (g->supp_until == INT64_MIN || g->supp_until <= now)) {
				group_unlink(r, g);
				group_free(g);
			}
		}
}

void rules_advance(struct rules *r, int64_t now)
{
	if (now == EV_NO_TS || (r->now != EV_NO_TS && now <= r->now))
		return;
	if (!r->indexed)
		build_index(r);
	r->now = now;
	while (r->nheap && r->heap[0]->deadline < now) {
		timer_fire(r, r->heap[0], 0);
		drain(r);
	}
	sweep(r, now);
}

void rules_on_event(struct rules *r, const struct ev *e)
{
	if (!r->indexed)
		build_index(r);
	if (e->ts != EV_NO_TS && (r->now == EV_NO_TS || e->ts > r->now))
		rules_advance(r, e->ts);
	dispatch(r, e);
	drain(r);
}

/* A meta rule keyed by the failing rule's id (key text over finding
 * events, like widespread-failure) raises one finding per rule id. When
 * both a rule and a rule it supersedes have one, only the winner's is
 * reported: one cause, one finding, one level up. */
static void meta_precedence(struct rules *r)
{
	if (!r->fs)
		return;
	size_t n = findings_count(r->fs);
	for (size_t i = 0; i < n; i++) {
		struct finding *f = findings_at(r->fs, i);
		if (f->session || !f->key || f->suppressed || f->id >= r->nfrec || !r->frec[f->id])
			continue;
		const struct rule *m = r->frec[f->id]->ru;
		if (!m || m->keytype != KEY_FIELD || m->keyfield.sess || m->keyfield.f != EF_TEXT ||
		    !kindset_has(&m->on, EVK_FINDING))
			continue;
		for (size_t j = 0; j < n && !f->suppressed; j++) {
			const struct finding *g = findings_at(r->fs, j);
			if (g == f || g->rule != f->rule || g->session || !g->key)
				continue;
			const struct rule *w = find_rule(r, g->key);
			for (size_t k = 0; w && k < w->nsup; k++)
				if (w->sup[k] == f->key)
					f->suppressed = 1;
		}
	}
}

void rules_finish(struct rules *r)
{
	if (!r->indexed)
		build_index(r);
	while (r->nheap) {
		timer_fire(r, r->heap[0], 1);
		drain(r);
	}
	meta_precedence(r);
}

void rules_forget_finding(struct rules *r, uint32_t id)
{
	if (id >= r->nfrec || !r->frec[id])
		return;
	free(r->frec[id]->users);
	free(r->frec[id]);
	r->frec[id] = NULL;
}
