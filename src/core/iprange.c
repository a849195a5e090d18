/* \summary: IP addresses and ranges as configs write them */
#include "core/iprange.h"

#include <arpa/inet.h>
#include <string.h>

int ip_parse(const char *s, size_t n, struct ip_addr *a)
{
	char buf[64];
	if (n == 0 || n >= sizeof buf)
		return -1;
	memcpy(buf, s, n);
	buf[n] = 0;
	memset(a, 0, sizeof *a);
	uint8_t v4[4];
	if (inet_pton(AF_INET, buf, v4) == 1) {
		a->b[10] = a->b[11] = 0xff;
		memcpy(a->b + 12, v4, 4);
		a->v4 = 1;
		return 0;
	}
	if (inet_pton(AF_INET6, buf, a->b) == 1)
		return 0;
	return -1;
}

int ip_mask_len(const char *s, size_t n)
{
	struct ip_addr m;
	if (ip_parse(s, n, &m) || !m.v4)
		return -1;
	uint32_t v = (uint32_t)m.b[12] << 24 | (uint32_t)m.b[13] << 16 |
		     (uint32_t)m.b[14] << 8 | m.b[15];
	int len = 0;
	while (len < 32 && (v & (0x80000000u >> len)))
		len++;
	if (len < 32 && (v << len) != 0)
		return -1;               /* not contiguous */
	return len;
}

void ip_range_prefix(struct ip_range *r, const struct ip_addr *a, int len)
{
	int bits = a->v4 ? 96 + len : len;
	r->lo = *a;
	r->hi = *a;
	for (int i = 0; i < 128; i++) {
		if (i < bits)
			continue;
		uint8_t bit = (uint8_t)(0x80u >> (i % 8));
		r->lo.b[i / 8] &= (uint8_t)~bit;
		r->hi.b[i / 8] |= bit;
	}
}

static const char *trim(const char *s, const char *e, const char **end)
{
	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	*end = e;
	return s;
}

int ip_range_parse(const char *s, struct ip_range *r, const char **why)
{
	const char *dummy;
	if (!why)
		why = &dummy;
	const char *e = s + strlen(s);
	s = trim(s, e, &e);
	if (s == e) {
		*why = "empty";
		return -1;
	}
	const char *slash = memchr(s, '/', (size_t)(e - s));
	const char *dash = memchr(s, '-', (size_t)(e - s));
	struct ip_addr a, b;
	if (slash) {
		const char *ae, *ms = slash + 1, *me;
		const char *as = trim(s, slash, &ae);
		ms = trim(ms, e, &me);
		if (ip_parse(as, (size_t)(ae - as), &a)) {
			*why = "not an address";
			return -1;
		}
		int len = -1;
		if (me > ms && memchr(ms, '.', (size_t)(me - ms))) {
			if (!a.v4 || (len = ip_mask_len(ms, (size_t)(me - ms))) < 0) {
				*why = "bad netmask";
				return -1;
			}
		} else {
			len = 0;
			if (me == ms || me - ms > 3) {
				*why = "bad prefix length";
				return -1;
			}
			for (const char *p = ms; p < me; p++) {
				if (*p < '0' || *p > '9') {
					*why = "bad prefix length";
					return -1;
				}
				len = len * 10 + (*p - '0');
			}
			if (len > (a.v4 ? 32 : 128)) {
				*why = "prefix length too long";
				return -1;
			}
		}
		ip_range_prefix(r, &a, len);
		return 0;
	}
	if (dash) {
		const char *ae, *be;
		const char *as = trim(s, dash, &ae), *bs = trim(dash + 1, e, &be);
		if (ip_parse(as, (size_t)(ae - as), &a) || ip_parse(bs, (size_t)(be - bs), &b)) {
			*why = "not an address range";
			return -1;
		}
		if (a.v4 != b.v4) {
			*why = "range mixes IPv4 and IPv6";
			return -1;
		}
		if (memcmp(a.b, b.b, 16) > 0) {
			*why = "range end before its start";
			return -1;
		}
		r->lo = a;
		r->hi = b;
		return 0;
	}
	if (ip_parse(s, (size_t)(e - s), &a)) {
		*why = "not an IP address, network or range";
		return -1;
	}
	r->lo = r->hi = a;
	return 0;
}

int ip_range_contains(const struct ip_range *r, const struct ip_addr *a)
{
	return r->lo.v4 == a->v4 && memcmp(r->lo.b, a->b, 16) <= 0 &&
	       memcmp(a->b, r->hi.b, 16) <= 0;
}

int ip_in_range_text(const char *range, const char *ip)
{
	struct ip_range r;
	struct ip_addr a;
	if (!range || !ip || ip_range_parse(range, &r, NULL) || ip_parse(ip, strlen(ip), &a))
		return 0;
	return ip_range_contains(&r, &a);
}

void ip_format(char *out, size_t outsz, const struct ip_addr *a)
{
	if (!outsz)
		return;
	out[0] = 0;
	if (a->v4)
		inet_ntop(AF_INET, a->b + 12, out, (socklen_t)outsz);
	else
		inet_ntop(AF_INET6, a->b, out, (socklen_t)outsz);
}
