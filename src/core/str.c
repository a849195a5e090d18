/* \summary: arena, intern pool, capped buffer, allocation helpers */
#include "core/str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p) {
		fputs("authscope: out of memory\n", stderr);
		abort();
	}
	return p;
}

void *xcalloc(size_t n, size_t m)
{
	void *p = calloc(n ? n : 1, m ? m : 1);
	if (!p) {
		fputs("authscope: out of memory\n", stderr);
		abort();
	}
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q) {
		fputs("authscope: out of memory\n", stderr);
		abort();
	}
	return q;
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

/* A word at a time (FNV-1a's byte loop was 5 % of a big run: every join
 * key and interned string is hashed): multiply-xorshift per 8 bytes, the
 * tail as one word, a final avalanche so the low bits tables use are mixed.
 * For hash tables only: values are not stable across versions. */
uint64_t hash_bytes(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 0x9e3779b97f4a7c15ull ^ ((uint64_t)n * 0xff51afd7ed558ccdull);
	while (n >= 8) {
		uint64_t w;
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xbf58476d1ce4e5b9ull;
		h ^= h >> 31;
		s += 8;
		n -= 8;
	}
	uint64_t w = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	/* the same word as the memcpy, from whole loads: a byte-wise copy
	 * to the stack read back as one word stalls store forwarding */
	if (n >= 4) {
		uint32_t a, b;
		memcpy(&a, s, 4);
		memcpy(&b, s + n - 4, 4);
		w = a | (uint64_t)b << (8 * (n - 4));
	} else if (n) {
		w = s[0] | (uint64_t)s[n / 2] << (8 * (n / 2)) | (uint64_t)s[n - 1] << (8 * (n - 1));
	}
#else
	memcpy(&w, s, n);
#endif
	h = (h ^ w) * 0x94d049bb133111ebull;
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 32;
	return h;
}

int str_ieq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	for (; *a && *b; a++, b++) {
		int x = (*a >= 'A' && *a <= 'Z') ? *a + 32 : *a;
		int y = (*b >= 'A' && *b <= 'Z') ? *b + 32 : *b;
		if (x != y)
			return 0;
	}
	return *a == *b;
}

int hex_encode(char *out, size_t outsz, const uint8_t *p, size_t n)
{
	static const char hx[] = "0123456789abcdef";
	if (outsz < 2 * n + 1)
		return -1;
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hx[p[i] >> 4];
		out[2 * i + 1] = hx[p[i] & 15];
	}
	out[2 * n] = 0;
	return 0;
}

/* ---- arena ---- */

struct arena_block {
	struct arena_block *next;
	size_t size, off;
	_Alignas(16) unsigned char data[];
};

void *arena_alloc(struct arena *a, size_t n)
{
	n = (n + 15) & ~(size_t)15;
	struct arena_block *b = a->head;
	if (!b || b->size - b->off < n) {
		size_t sz = n > 32768 ? n : 32768;
		b = xmalloc(sizeof *b + sz);
		b->size = sz;
		b->off = 0;
		b->next = a->head;
		a->head = b;
	}
	void *p = b->data + b->off;
	b->off += n;
	a->used += n;
	memset(p, 0, n);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

void arena_free(struct arena *a)
{
	struct arena_block *b = a->head;
	while (b) {
		struct arena_block *n = b->next;
		free(b);
		b = n;
	}
	a->head = NULL;
	a->used = 0;
}

/* ---- intern pool: open addressing over (hash, pointer) ---- */

struct slot {
	uint64_t h;
	const char *s;
	size_t n;
};

struct strpool {
	struct arena mem;
	struct slot *tab;
	size_t cap, count;
};

struct strpool *strpool_new(void)
{
	struct strpool *p = xcalloc(1, sizeof *p);
	p->cap = 1024;
	p->tab = xcalloc(p->cap, sizeof *p->tab);
	return p;
}

void strpool_free(struct strpool *p)
{
	if (!p)
		return;
	arena_free(&p->mem);
	free(p->tab);
	free(p);
}

size_t strpool_count(const struct strpool *p)
{
	return p ? p->count : 0;
}

static void pool_grow(struct strpool *p)
{
	size_t ncap = p->cap * 2;
	struct slot *nt = xcalloc(ncap, sizeof *nt);
	for (size_t i = 0; i < p->cap; i++) {
		if (!p->tab[i].s)
			continue;
		size_t j = p->tab[i].h & (ncap - 1);
		while (nt[j].s)
			j = (j + 1) & (ncap - 1);
		nt[j] = p->tab[i];
	}
	free(p->tab);
	p->tab = nt;
	p->cap = ncap;
}

const char *strpool_intern(struct strpool *p, const char *s, size_t n)
{
	uint64_t h = hash_bytes(s, n);
	size_t j = h & (p->cap - 1);
	while (p->tab[j].s) {
		if (p->tab[j].h == h && p->tab[j].n == n && !memcmp(p->tab[j].s, s, n))
			return p->tab[j].s;
		j = (j + 1) & (p->cap - 1);
	}
	const char *c = arena_strndup(&p->mem, s, n);
	p->tab[j] = (struct slot){h, c, n};
	if (++p->count * 2 > p->cap)
		pool_grow(p);
	return c;
}

static struct strpool *g_pool;

const char *intern(const char *s, size_t n)
{
	if (!g_pool)
		g_pool = strpool_new();
	return strpool_intern(g_pool, s, n);
}

void intern_prefetch(const char *s, size_t n)
{
	if (g_pool)
		__builtin_prefetch(&g_pool->tab[hash_bytes(s, n) & (g_pool->cap - 1)]);
}

const char *intern_cstr(const char *s)
{
	return s ? intern(s, strlen(s)) : NULL;
}

const char *intern_printf(const char *fmt, ...)
{
	struct sbuf b;
	va_list ap;
	va_start(ap, fmt);
	sbuf_initv(&b, 4096, fmt, ap);
	va_end(ap);
	const char *s = intern(sbuf_cstr(&b), b.len);
	sbuf_free(&b);
	return s;
}

void str_shutdown(void)
{
	strpool_free(g_pool);
	g_pool = NULL;
}

/* ---- sbuf ---- */

void sbuf_init(struct sbuf *b, size_t max)
{
	b->p = NULL;
	b->len = b->cap = 0;
	b->max = max ? max : SBUF_DEFAULT_MAX;
}

static int sbuf_reserve(struct sbuf *b, size_t add)
{
	if (add > b->max || b->len > b->max - add)
		return -1;
	size_t need = b->len + add + 1;
	if (need <= b->cap)
		return 0;
	size_t ncap = b->cap ? b->cap : 64;
	while (ncap < need)
		ncap *= 2;
	if (ncap > b->max + 1)
		ncap = b->max + 1;
	b->p = xrealloc(b->p, ncap);
	b->cap = ncap;
	return 0;
}

int sbuf_add(struct sbuf *b, const void *s, size_t n)
{
	if (sbuf_reserve(b, n))
		return -1;
	if (n)
		memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = 0;
	return 0;
}

int sbuf_addc(struct sbuf *b, char c)
{
	return sbuf_add(b, &c, 1);
}

int sbuf_adds(struct sbuf *b, const char *s)
{
	return sbuf_add(b, s, strlen(s));
}

void sbuf_initv(struct sbuf *b, size_t max, const char *fmt, va_list ap)
{
	sbuf_init(b, max);
	if (sbuf_vprintf(b, fmt, ap)) {
		/* capped: what fits is kept */
	}
}

int sbuf_vprintf(struct sbuf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	char tmp[256];
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return -1;
	if ((size_t)n < sizeof tmp)
		return sbuf_add(b, tmp, (size_t)n);
	if (sbuf_reserve(b, (size_t)n))
		return -1;
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int sbuf_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = sbuf_vprintf(b, fmt, ap);
	va_end(ap);
	return r;
}

void sbuf_reset(struct sbuf *b)
{
	b->len = 0;
	if (b->p)
		b->p[0] = 0;
}

const char *sbuf_cstr(struct sbuf *b)
{
	return b->p ? b->p : "";
}

char *sbuf_take(struct sbuf *b)
{
	char *p = b->p ? b->p : xstrdup("");
	b->p = NULL;
	b->len = b->cap = 0;
	return p;
}

void sbuf_free(struct sbuf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}
