/* \summary: compound join keys with a validity window
 *
 * A key is a short byte string (built with key_*); it maps to one session
 * until its expiry (event time, us). An expired key never joins: that is
 * how RADIUS id wrap and reused ports stay apart. Capped: at the cap the
 * oldest-expiring entries are evicted and counted.
 */
#ifndef AUTHSCOPE_CORE_KEYMAP_H
#define AUTHSCOPE_CORE_KEYMAP_H

#include <stddef.h>
#include <stdint.h>

struct keymap;
struct keymap *keymap_new(size_t cap);
void keymap_free(struct keymap *km);
/* Insert or refresh. */
void keymap_put(struct keymap *km, const void *key, size_t n, uint32_t sid, int64_t expires);
/* Session id, or 0 when absent or expired at time now (now = INT64_MIN: ignore expiry). */
uint32_t keymap_get(struct keymap *km, const void *key, size_t n, int64_t now);
void keymap_del(struct keymap *km, const void *key, size_t n);
/* Drop entries expired before now; returns how many. */
size_t keymap_expire(struct keymap *km, int64_t now);
size_t keymap_size(const struct keymap *km);
uint64_t keymap_evictions(const struct keymap *km);

/* Key builder: a tag byte then fields separated by 0x1f. */
struct keybuf {
	char b[256];
	size_t n;
};
void key_start(struct keybuf *k, char tag);
void key_str(struct keybuf *k, const char *s);
void key_int(struct keybuf *k, int64_t v);
void key_bytes(struct keybuf *k, const void *p, size_t n);

#endif
