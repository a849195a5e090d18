/* \summary: IPv4 text without the C library's sprintf, and a fast check
 * for text that needs no escaping (hot paths)
 *
 * inet_ntop(AF_INET) formats through sprintf and inet_pton copies and
 * scans; per packet both cost more than the rest of an address's handling.
 * These produce exactly what glibc's do (tests/unit/test_ipfmt.c compares
 * them on every address class and on malformed text).
 */
#ifndef AUTHSCOPE_DECODERS_IPFMT_H
#define AUTHSCOPE_DECODERS_IPFMT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Dotted quad of a[0..3] into o (at least 16 bytes), NUL-terminated.
 * Returns its length (7..15). */
static inline size_t ip4_fmt(char *o, const uint8_t *a)
{
	char *p = o;
	for (int i = 0; i < 4; i++) {
		unsigned d = a[i];
		if (d >= 100)
			*p++ = (char)('0' + d / 100);
		if (d >= 10)
			*p++ = (char)('0' + d / 10 % 10);
		*p++ = (char)('0' + d % 10);
		if (i < 3)
			*p++ = '.';
	}
	*p = 0;
	return (size_t)(p - o);
}

/* 1 when s (NUL-terminated) is what inet_pton(AF_INET) accepts: four
 * decimal parts of 0..255 joined by dots, no leading zero, nothing else
 * (glibc's inet_pton4). The address goes to out when out is not NULL. */
static inline int ip4_parse(const char *s, uint8_t *out)
{
	uint8_t t[4] = {0, 0, 0, 0};
	int octets = 0, saw = 0;
	unsigned k = 0;
	for (; *s; s++) {
		unsigned ch = (unsigned char)*s;
		if (ch >= '0' && ch <= '9') {
			unsigned v = t[k] * 10u + (ch - '0');
			if (saw && t[k] == 0)
				return 0;
			if (v > 255)
				return 0;
			t[k] = (uint8_t)v;
			if (!saw) {
				if (++octets > 4)
					return 0;
				saw = 1;
			}
		} else if (ch == '.' && saw) {
			if (octets == 4)
				return 0;
			t[++k] = 0;
			saw = 0;
		} else {
			return 0;
		}
	}
	if (octets < 4)
		return 0;
	if (out)
		for (int i = 0; i < 4; i++)
			out[i] = t[i];
	return 1;
}

/* Are all n bytes printable ASCII other than '\\' (nothing for
 * core/escape.h to escape)? Eight at a time: a byte under 0x20, one with
 * the high bit set or 0x7f (x + 1 reaches 0x80), and a backslash each
 * leave a high bit set; a group that might hold one is looked at byte by
 * byte. */
static inline int ascii_plain(const uint8_t *s, size_t n)
{
	size_t i = 0;
	const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
	for (; i + 8 <= n; i += 8) {
		uint64_t x;
		memcpy(&x, s + i, 8);
		uint64_t y = x ^ (ones * '\\');
		if (((x - ones * 0x20) | (x + ones) | x | ((y - ones) & ~y)) & highs)
			break;
	}
	for (; i < n; i++)
		if (s[i] < 0x20 || s[i] >= 0x7f || s[i] == '\\')
			return 0;
	return 1;
}

#endif
