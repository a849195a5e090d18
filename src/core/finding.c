/* \summary: finding store: merge by key, evidence, precedence */
#include "core/finding.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/event.h"
#include "core/str.h"

const char *sev_name(unsigned s)
{
	static const char *const n[] = {"info", "warning", "error", "none"};
	return s <= SEV_NONE ? n[s] : "error";
}

int sev_lookup(const char *name)
{
	for (int i = 0; i <= SEV_NONE; i++)
		if (!strcmp(sev_name((unsigned)i), name))
			return i;
	if (!strcmp(name, "warn"))
		return SEV_WARNING;
	return -1;
}

struct pair {
	const char *winner, *loser;
};

struct finding_set {
	struct finding **v;
	size_t n, cap;
	/* index: open addressing over (rule, session, key) */
	uint32_t *idx;              /* 1-based positions into v, 0 = empty */
	size_t icap;
	struct pair *sup;
	size_t nsup, capsup;
	uint32_t last_id;           /* ids stay unique when findings are released */
};

struct finding_set *findings_new(void)
{
	struct finding_set *fs = xcalloc(1, sizeof *fs);
	fs->icap = 256;
	fs->idx = xcalloc(fs->icap, sizeof *fs->idx);
	return fs;
}

void findings_free(struct finding_set *fs)
{
	if (!fs)
		return;
	for (size_t i = 0; i < fs->n; i++) {
		struct finding *f = fs->v[i];
		for (uint32_t j = 0; j < f->nev; j++)
			free(f->ev[j].text);
		free(f->ev);
		free(f->summary);
		free(f);
	}
	free(fs->v);
	free(fs->idx);
	free(fs->sup);
	free(fs);
}

static uint64_t fkey(const char *rule, uint32_t session, const char *key)
{
	/* rule and key are interned: their addresses identify them */
	uint64_t h = (uintptr_t)rule * 0x9e3779b97f4a7c15ull;
	h ^= session * 0xbf58476d1ce4e5b9ull;
	h ^= (uintptr_t)key * 0x94d049bb133111ebull;
	return h ^ (h >> 31);
}

static void reindex(struct finding_set *fs)
{
	free(fs->idx);
	fs->icap *= 2;
	fs->idx = xcalloc(fs->icap, sizeof *fs->idx);
	for (size_t i = 0; i < fs->n; i++) {
		struct finding *f = fs->v[i];
		size_t j = fkey(f->rule, f->session, f->key) & (fs->icap - 1);
		while (fs->idx[j])
			j = (j + 1) & (fs->icap - 1);
		fs->idx[j] = (uint32_t)(i + 1);
	}
}

struct finding *findings_get(struct finding_set *fs, const char *rule,
			     uint32_t session, const char *key, int *created)
{
	rule = intern_cstr(rule);
	key = session ? NULL : intern_cstr(key);
	size_t j = fkey(rule, session, key) & (fs->icap - 1);
	while (fs->idx[j]) {
		struct finding *f = fs->v[fs->idx[j] - 1];
		if (f->rule == rule && f->session == session && f->key == key) {
			if (created)
				*created = 0;
			return f;
		}
		j = (j + 1) & (fs->icap - 1);
	}
	if (fs->n == fs->cap) {
		fs->cap = fs->cap ? fs->cap * 2 : 64;
		fs->v = xrealloc(fs->v, fs->cap * sizeof *fs->v);
	}
	struct finding *f = xcalloc(1, sizeof *f);
	f->id = ++fs->last_id;
	f->rule = rule;
	f->session = session;
	f->key = key;
	f->ts = EV_NO_TS;
	f->sev = SEV_ERROR;
	fs->v[fs->n++] = f;
	fs->idx[j] = (uint32_t)fs->n;
	if (fs->n * 2 > fs->icap)
		reindex(fs);
	if (created)
		*created = 1;
	return f;
}

void finding_add_evidence(struct finding *f, uint32_t input, uint64_t pos,
			  int64_t ts, const char *text, size_t len)
{
	for (uint32_t i = 0; i < f->nev; i++)
		if (f->ev[i].input == input && f->ev[i].pos == pos)
			return;
	if (f->nev >= FINDING_MAX_EVIDENCE) {
		f->evidence_dropped++;
		return;
	}
	if (f->nev == f->cap_ev) {
		f->cap_ev = f->cap_ev ? f->cap_ev * 2 : 4;
		f->ev = xrealloc(f->ev, f->cap_ev * sizeof *f->ev);
	}
	f->ev[f->nev++] = (struct evidence){input, pos, ts,
					    text ? xstrndup(text, len) : xstrdup("")};
	if (ts != EV_NO_TS && (f->ts == EV_NO_TS || ts < f->ts))
		f->ts = ts;
}

void finding_set_text(struct finding *f, const char *summary, const char *hint)
{
	if (summary) {
		free(f->summary);
		f->summary = xstrdup(summary);
	}
	if (hint)
		f->hint = intern_cstr(hint);
}

void findings_supersede(struct finding_set *fs, const char *winner, const char *loser)
{
	if (fs->nsup == fs->capsup) {
		fs->capsup = fs->capsup ? fs->capsup * 2 : 16;
		fs->sup = xrealloc(fs->sup, fs->capsup * sizeof *fs->sup);
	}
	fs->sup[fs->nsup++] = (struct pair){intern_cstr(winner), intern_cstr(loser)};
}

static int by_time(const void *a, const void *b)
{
	const struct finding *x = *(struct finding *const *)a;
	const struct finding *y = *(struct finding *const *)b;
	if (x->ts != y->ts) {
		if (x->ts == EV_NO_TS)
			return 1;
		if (y->ts == EV_NO_TS)
			return -1;
		return x->ts < y->ts ? -1 : 1;
	}
	return x->id < y->id ? -1 : x->id > y->id;
}

static int by_session(const void *a, const void *b)
{
	const struct finding *x = *(struct finding *const *)a;
	const struct finding *y = *(struct finding *const *)b;
	return x->session < y->session ? -1 : x->session > y->session;
}

/* Mark losers within one session's findings g[0..n). Winners that are
 * themselves suppressed do not suppress (a chain resolves from the top
 * because pairs are applied in declaration order, repeated to a fixpoint). */
static void suppress_group(struct finding_set *fs, struct finding **g, size_t n)
{
	for (int changed = 1; changed;) {
		changed = 0;
		for (size_t k = 0; k < fs->nsup; k++) {
			int win = 0;
			for (size_t i = 0; i < n; i++)
				if (g[i]->rule == fs->sup[k].winner && !g[i]->suppressed)
					win = 1;
			if (!win)
				continue;
			for (size_t i = 0; i < n; i++)
				if (g[i]->rule == fs->sup[k].loser && !g[i]->suppressed) {
					g[i]->suppressed = 1;
					changed = 1;
				}
		}
	}
}

static void merge_into(struct finding *keep, struct finding *drop)
{
	for (uint32_t k = 0; k < drop->nev; k++)
		finding_add_evidence(keep, drop->ev[k].input, drop->ev[k].pos, drop->ev[k].ts,
				     drop->ev[k].text, strlen(drop->ev[k].text));
	drop->suppressed = 1;
	if (!keep->user)
		keep->user = drop->user;
}

void findings_resession(struct finding_set *fs, uint32_t (*resolve)(void *ctx, uint32_t id),
			void *ctx)
{
	int moved = 0;
	for (size_t i = 0; i < fs->n; i++) {
		struct finding *f = fs->v[i];
		uint32_t to = f->session ? resolve(ctx, f->session) : 0;
		if (to && to != f->session) {
			f->session = to;
			moved = 1;
		}
	}
	if (!moved)
		return;
	/* rebuild the index; a second finding of one (rule, session) hands
	 * its evidence to the earlier one and is suppressed */
	memset(fs->idx, 0, fs->icap * sizeof *fs->idx);
	for (size_t i = 0; i < fs->n; i++) {
		struct finding *f = fs->v[i];
		size_t j = fkey(f->rule, f->session, f->key) & (fs->icap - 1);
		struct finding *dup = NULL;
		while (fs->idx[j]) {
			struct finding *g = fs->v[fs->idx[j] - 1];
			if (g->rule == f->rule && g->session == f->session && g->key == f->key)
				dup = g;
			j = (j + 1) & (fs->icap - 1);
		}
		fs->idx[j] = (uint32_t)(i + 1);
		if (dup && f->session && !dup->suppressed && !f->suppressed) {
			if (dup->ts != EV_NO_TS && (f->ts == EV_NO_TS || dup->ts <= f->ts))
				merge_into(dup, f);
			else
				merge_into(f, dup);
		}
	}
}

void findings_finalize(struct finding_set *fs)
{
	if (fs->nsup && fs->n) {
		qsort(fs->v, fs->n, sizeof *fs->v, by_session);
		for (size_t i = 0, j; i < fs->n; i = j) {
			for (j = i + 1; j < fs->n && fs->v[j]->session == fs->v[i]->session; j++)
				;
			if (fs->v[i]->session)
				suppress_group(fs, fs->v + i, j - i);
		}
	}
	if (fs->n)
		qsort(fs->v, fs->n, sizeof *fs->v, by_time);
	/* positions changed: rebuild the index at the same size */
	fs->icap /= 2;
	reindex(fs);
}

size_t findings_count(const struct finding_set *fs)
{
	return fs->n;
}

struct finding *findings_at(struct finding_set *fs, size_t i)
{
	return i < fs->n ? fs->v[i] : NULL;
}

size_t findings_release(struct finding_set *fs, int (*drop)(void *ctx, const struct finding *f),
			void *ctx)
{
	size_t k = 0, n0 = fs->n;
	for (size_t i = 0; i < fs->n; i++) {
		struct finding *f = fs->v[i];
		if (!drop(ctx, f)) {
			fs->v[k++] = f;
			continue;
		}
		for (uint32_t j = 0; j < f->nev; j++)
			free(f->ev[j].text);
		free(f->ev);
		free(f->summary);
		free(f);
	}
	fs->n = k;
	if (k != n0) {
		fs->icap /= 2;          /* reindex doubles it back */
		reindex(fs);
	}
	return n0 - k;
}
