/* \summary: IP addresses and ranges as configs write them
 *
 * authproxy.cfg's radius_ip_N takes a single address, a CIDR network
 * (host bits may be set: 10.1.1.5/24 is 10.1.1.0-10.1.1.255), an
 * address/dotted-mask, or a range "a-b"; IOS writes "A M" pairs. Both
 * parsers and the config comparison use these, so they live in core.
 * Addresses are kept as 16 bytes (IPv4 as ::ffff:a.b.c.d) so that v4 and
 * v6 compare with one memcmp.
 */
#ifndef AUTHSCOPE_CORE_IPRANGE_H
#define AUTHSCOPE_CORE_IPRANGE_H

#include <stddef.h>
#include <stdint.h>

struct ip_addr {
	uint8_t b[16];
	uint8_t v4;                 /* 1 when an IPv4 address */
};

struct ip_range {
	struct ip_addr lo, hi;      /* inclusive; same family */
};

/* Parse one address of n bytes (no surrounding spaces). 0 or -1. */
int ip_parse(const char *s, size_t n, struct ip_addr *a);
/* A dotted IPv4 mask with contiguous ones: its prefix length, or -1. */
int ip_mask_len(const char *s, size_t n);
/* radius_ip_N syntax: IP, IP/len, IP/mask, IP-IP (spaces around '-' and
 * the whole are allowed). 0, or -1 with a short reason in *why. */
int ip_range_parse(const char *s, struct ip_range *r, const char **why);
/* The network of address a with prefix len (len counted in the family). */
void ip_range_prefix(struct ip_range *r, const struct ip_addr *a, int len);
int ip_range_contains(const struct ip_range *r, const struct ip_addr *a);
/* 1 when the text is an address inside the range text (both parsed). */
int ip_in_range_text(const char *range, const char *ip);
/* Canonical text of a into out (INET6_ADDRSTRLEN is enough). */
void ip_format(char *out, size_t outsz, const struct ip_addr *a);

#endif
