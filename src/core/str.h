/* \summary: strings: an arena, an intern pool, and a capped growable buffer
 *
 * Interned strings are stable for the life of their pool and compare by
 * pointer: two events naming the same user share one pointer. The pool owns
 * them; callers never free an interned string.
 */
#ifndef AUTHSCOPE_CORE_STR_H
#define AUTHSCOPE_CORE_STR_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define WARN_UNUSED __attribute__((warn_unused_result))
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))

/* Bump allocator: many small objects, freed all at once. */
struct arena {
	struct arena_block *head;
	size_t used;                /* bytes handed out, for reports */
};
void *arena_alloc(struct arena *a, size_t n);          /* zeroed, 16-aligned */
char *arena_strndup(struct arena *a, const char *s, size_t n);
void arena_free(struct arena *a);

/* Intern pool. intern() returns a stable pointer to a NUL-terminated copy. */
struct strpool;
struct strpool *strpool_new(void);
void strpool_free(struct strpool *p);
const char *strpool_intern(struct strpool *p, const char *s, size_t n);
size_t strpool_count(const struct strpool *p);

/* The run's default pool (created on first use, freed by str_shutdown). */
const char *intern(const char *s, size_t n);
const char *intern_cstr(const char *s);            /* NULL stays NULL */
/* A hint: intern(s, n) comes soon; start fetching its slot (a pool with
 * many strings is cold). */
void intern_prefetch(const char *s, size_t n);
/* printf into the pool; what passes 4 KiB is cut (details, not data) */
const char *intern_printf(const char *fmt, ...) PRINTF_LIKE(1, 2);
void str_shutdown(void);

/* Growable byte buffer with a hard cap (curl's dynbuf). Adds fail with -1
 * once the cap would be passed; the content so far stays valid. */
struct sbuf {
	char *p;
	size_t len, cap, max;
};
#define SBUF_DEFAULT_MAX (64u << 20)
void sbuf_init(struct sbuf *b, size_t max);
int sbuf_add(struct sbuf *b, const void *s, size_t n) WARN_UNUSED;
int sbuf_addc(struct sbuf *b, char c) WARN_UNUSED;
int sbuf_adds(struct sbuf *b, const char *s) WARN_UNUSED;
int sbuf_printf(struct sbuf *b, const char *fmt, ...) PRINTF_LIKE(2, 3) WARN_UNUSED;
int sbuf_vprintf(struct sbuf *b, const char *fmt, va_list ap) WARN_UNUSED;
/* sbuf_init, then what fits of fmt (messages: cut, never failed) */
void sbuf_initv(struct sbuf *b, size_t max, const char *fmt, va_list ap);
void sbuf_reset(struct sbuf *b);
const char *sbuf_cstr(struct sbuf *b);   /* NUL-terminated view, "" when empty */
char *sbuf_take(struct sbuf *b);         /* caller owns the result; b is reset */
void sbuf_free(struct sbuf *b);

/* Small helpers used everywhere. */
void *xmalloc(size_t n);                 /* abort on OOM with a message */
void *xcalloc(size_t n, size_t m);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
uint64_t hash_bytes(const void *p, size_t n);   /* for hash tables; not stable across versions */
int str_ieq(const char *a, const char *b);      /* ASCII case-insensitive == */
int hex_encode(char *out, size_t outsz, const uint8_t *p, size_t n);

#endif
