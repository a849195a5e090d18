/* \summary: IPv4 text without the C library's sprintf (hot paths)
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

#endif
