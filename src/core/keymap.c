/* \summary: hash map of join keys to sessions, with expiry and a cap */
#include "core/keymap.h"

#include <stdlib.h>
#include <string.h>

#include "core/str.h"

struct kentry {
	uint64_t h;
	char *key;                  /* NULL = empty, TOMB = deleted */
	uint32_t n;
	uint32_t sid;
	int64_t expires;
};

static char tomb_mark;
#define TOMB (&tomb_mark)

struct keymap {
	struct kentry *t;
	size_t cap, used, live, max;
	uint64_t evictions;
};

struct keymap *keymap_new(size_t max)
{
	struct keymap *km = xcalloc(1, sizeof *km);
	km->cap = 1024;
	km->max = max ? max : 1000000;
	km->t = xcalloc(km->cap, sizeof *km->t);
	return km;
}

void keymap_free(struct keymap *km)
{
	if (!km)
		return;
	for (size_t i = 0; i < km->cap; i++)
		if (km->t[i].key && km->t[i].key != TOMB)
			free(km->t[i].key);
	free(km->t);
	free(km);
}

static void rehash(struct keymap *km, size_t ncap)
{
	struct kentry *old = km->t;
	size_t ocap = km->cap;
	km->t = xcalloc(ncap, sizeof *km->t);
	km->cap = ncap;
	km->used = km->live = 0;
	for (size_t i = 0; i < ocap; i++) {
		if (!old[i].key || old[i].key == TOMB)
			continue;
		size_t j = old[i].h & (ncap - 1);
		while (km->t[j].key)
			j = (j + 1) & (ncap - 1);
		km->t[j] = old[i];
		km->used++;
		km->live++;
	}
	free(old);
}

static struct kentry *find(struct keymap *km, const void *key, size_t n, uint64_t h)
{
	size_t j = h & (km->cap - 1);
	while (km->t[j].key) {
		struct kentry *e = &km->t[j];
		if (e->key != TOMB && e->h == h && e->n == n && !memcmp(e->key, key, n))
			return e;
		j = (j + 1) & (km->cap - 1);
	}
	return NULL;
}

static void evict_oldest(struct keymap *km)
{
	/* Rare path (cap reached): drop the earliest-expiring eighth. */
	size_t target = km->live / 8 + 1;
	while (target--) {
		struct kentry *m = NULL;
		for (size_t i = 0; i < km->cap; i++) {
			struct kentry *e = &km->t[i];
			if (e->key && e->key != TOMB && (!m || e->expires < m->expires))
				m = e;
		}
		if (!m)
			return;
		free(m->key);
		m->key = TOMB;
		km->live--;
		km->evictions++;
	}
}

void keymap_put(struct keymap *km, const void *key, size_t n, uint32_t sid, int64_t expires)
{
	uint64_t h = hash_bytes(key, n);
	struct kentry *e = find(km, key, n, h);
	if (e) {
		e->sid = sid;
		e->expires = expires;
		return;
	}
	if (km->live >= km->max)
		evict_oldest(km);
	if ((km->used + 1) * 2 > km->cap)
		rehash(km, km->live * 4 > km->cap ? km->cap * 2 : km->cap);
	size_t j = h & (km->cap - 1);
	while (km->t[j].key && km->t[j].key != TOMB)
		j = (j + 1) & (km->cap - 1);
	if (!km->t[j].key)
		km->used++;
	km->t[j] = (struct kentry){h, xstrndup(key, n), (uint32_t)n, sid, expires};
	km->live++;
}

uint32_t keymap_get(struct keymap *km, const void *key, size_t n, int64_t now)
{
	struct kentry *e = find(km, key, n, hash_bytes(key, n));
	if (!e || (now != INT64_MIN && e->expires < now))
		return 0;
	return e->sid;
}

void keymap_del(struct keymap *km, const void *key, size_t n)
{
	struct kentry *e = find(km, key, n, hash_bytes(key, n));
	if (e) {
		free(e->key);
		e->key = TOMB;
		km->live--;
	}
}

size_t keymap_expire(struct keymap *km, int64_t now)
{
	size_t k = 0;
	for (size_t i = 0; i < km->cap; i++) {
		struct kentry *e = &km->t[i];
		if (e->key && e->key != TOMB && e->expires < now) {
			free(e->key);
			e->key = TOMB;
			km->live--;
			k++;
		}
	}
	/* Shrink when mostly empty. Tombstones are not cleared here: an insert
	 * rehashes in place once live entries plus tombstones reach half the
	 * table, so their cost is amortized over the inserts that made them
	 * (clearing on every sweep made a sweep O(table) allocations). */
	if (km->cap > 1024 && km->live * 8 < km->cap)
		rehash(km, km->cap / 2);
	return k;
}

size_t keymap_size(const struct keymap *km)
{
	return km->live;
}

uint64_t keymap_evictions(const struct keymap *km)
{
	return km->evictions;
}

void key_start(struct keybuf *k, char tag)
{
	k->b[0] = tag;
	k->n = 1;
}

void key_bytes(struct keybuf *k, const void *p, size_t n)
{
	if (k->n + 1 >= sizeof k->b)
		return;
	if (k->n + n + 1 > sizeof k->b)
		n = sizeof k->b - k->n - 1;
	k->b[k->n++] = 0x1f;
	memcpy(k->b + k->n, p, n);
	k->n += n;
}

void key_str(struct keybuf *k, const char *s)
{
	key_bytes(k, s ? s : "", s ? strlen(s) : 0);
}

void key_int(struct keybuf *k, int64_t v)
{
	key_bytes(k, &v, sizeof v);
}
