/* \summary: a minimal pcap/pcapng walker for the IKE unit tests
 *
 * Test-only: it lets the IKE decoder be checked against tshark oracles
 * without the capture layer. It reads the whole file (gzip or not) and
 * calls back with each UDP datagram or ESP packet (IPv4 and IPv6,
 * Ethernet/VLAN, SLL, SLL2, raw IP, BSD loopback). IPv4 fragments are
 * skipped, not reassembled (the real capture layer does that).
 */
#ifndef PCAP_MINI_H
#define PCAP_MINI_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

struct mini_pkt {
	uint64_t frame;
	int64_t ts_ns;
	uint32_t wirelen, caplen;
	int ipver;
	char src[64], dst[64];
	int proto;                  /* 17 UDP, 50 ESP, 0 none */
	uint16_t sport, dport;
	const uint8_t *data;        /* UDP payload or ESP packet */
	size_t len;
	int fragment;               /* an IPv4/IPv6 fragment: not decoded */
};

typedef void (*mini_cb)(void *ctx, const struct mini_pkt *p);

static uint8_t *mini_slurp(const char *path, size_t *n)
{
	gzFile g = gzopen(path, "rb");
	if (!g)
		return NULL;
	size_t cap = 1 << 16, k = 0;
	uint8_t *b = malloc(cap);
	int r;
	while ((r = gzread(g, b + k, (unsigned)(cap - k))) > 0) {
		k += (size_t)r;
		if (k == cap)
			b = realloc(b, cap *= 2);
	}
	gzclose(g);
	*n = k;
	return b;
}

static uint32_t mini_u32(const uint8_t *p, int swap)
{
	uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
	if (swap)
		v = __builtin_bswap32(v);
	return v;
}

static void mini_addr(char *out, size_t n, const uint8_t *a, int v6)
{
	if (!v6) {
		snprintf(out, n, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
		return;
	}
	size_t k = 0;
	for (int i = 0; i < 8; i++)
		k += (size_t)snprintf(out + k, n - k, "%s%x", i ? ":" : "", a[2 * i] << 8 | a[2 * i + 1]);
}

static void mini_ip(struct mini_pkt *p, const uint8_t *b, size_t n, mini_cb cb, void *ctx)
{
	if (n < 1)
		return;
	int v = b[0] >> 4;
	int proto;
	size_t hl;
	if (v == 4) {
		if (n < 20)
			return;
		hl = (size_t)(b[0] & 15) * 4;
		size_t tl = (size_t)b[2] << 8 | b[3];
		if (hl < 20 || n < hl)
			return;
		if (tl >= hl && tl < n)
			n = tl;
		if ((b[6] & 0x3f) || b[7])
			p->fragment = 1;
		proto = b[9];
		mini_addr(p->src, sizeof p->src, b + 12, 0);
		mini_addr(p->dst, sizeof p->dst, b + 16, 0);
		p->ipver = 4;
	} else if (v == 6) {
		if (n < 40)
			return;
		size_t pl = (size_t)b[4] << 8 | b[5];
		if (40 + pl < n)
			n = 40 + pl;
		proto = b[6];
		hl = 40;
		mini_addr(p->src, sizeof p->src, b + 8, 1);
		mini_addr(p->dst, sizeof p->dst, b + 24, 1);
		p->ipver = 6;
		while ((proto == 0 || proto == 43 || proto == 60 || proto == 44) && hl + 8 <= n) {
			if (proto == 44)
				p->fragment = 1;
			int nh = b[hl];
			hl += proto == 44 ? 8 : ((size_t)b[hl + 1] + 1) * 8;
			proto = nh;
		}
		if (hl > n)
			return;
	} else {
		return;
	}
	if (proto == 51 && hl + 2 <= n) {          /* AH: walk past */
		int nh = b[hl];
		hl += ((size_t)b[hl + 1] + 2) * 4;
		proto = nh;
		if (hl > n)
			return;
	}
	if (proto == 17) {
		if (n < hl + 8)
			return;
		p->proto = 17;
		p->sport = (uint16_t)(b[hl] << 8 | b[hl + 1]);
		p->dport = (uint16_t)(b[hl + 2] << 8 | b[hl + 3]);
		size_t ul = (size_t)b[hl + 4] << 8 | b[hl + 5];
		p->data = b + hl + 8;
		p->len = n - hl - 8;
		if (ul >= 8 && ul - 8 < p->len)
			p->len = ul - 8;
	} else if (proto == 50) {
		p->proto = 50;
		p->data = b + hl;
		p->len = n - hl;
	}
	cb(ctx, p);
}

static void mini_link(struct mini_pkt *p, int lt, const uint8_t *b, size_t n, mini_cb cb, void *ctx)
{
	size_t off = 0;
	unsigned et = 0;
	switch (lt) {
	case 1:
		if (n < 14)
			goto none;
		et = (unsigned)(b[12] << 8 | b[13]);
		off = 14;
		while ((et == 0x8100 || et == 0x88a8) && n >= off + 4) {
			et = (unsigned)(b[off + 2] << 8 | b[off + 3]);
			off += 4;
		}
		break;
	case 113:
		if (n < 16)
			goto none;
		et = (unsigned)(b[14] << 8 | b[15]);
		off = 16;
		break;
	case 276:
		if (n < 20)
			goto none;
		et = (unsigned)(b[0] << 8 | b[1]);
		off = 20;
		break;
	case 0:
	case 108:
		off = 4;
		et = 0x800;
		if (n > 4 && (b[4] >> 4) == 6)
			et = 0x86dd;
		break;
	case 101:
	case 12:
	case 14:
	case 228:
	case 229:
		et = n && (b[0] >> 4) == 6 ? 0x86dd : 0x800;
		break;
	default:
		goto none;
	}
	if ((et == 0x800 || et == 0x86dd) && off <= n) {
		mini_ip(p, b + off, n - off, cb, ctx);
		return;
	}
none:
	cb(ctx, p);
}

/* Returns frames read, or -1 when the file is not a capture. */
static long mini_walk(const char *path, mini_cb cb, void *ctx)
{
	size_t n;
	uint8_t *b = mini_slurp(path, &n);
	if (!b || n < 24) {
		free(b);
		return -1;
	}
	long frames = 0;
	uint32_t magic = mini_u32(b, 0);
	if (magic == 0xa1b2c3d4 || magic == 0xd4c3b2a1 || magic == 0xa1b23c4d || magic == 0x4d3cb2a1) {
		int swap = magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1;
		int nano = magic == 0xa1b23c4d || magic == 0x4d3cb2a1;
		int lt = (int)(mini_u32(b + 20, swap) & 0xffff);
		size_t off = 24;
		while (off + 16 <= n) {
			uint32_t s = mini_u32(b + off, swap), us = mini_u32(b + off + 4, swap);
			uint32_t cl = mini_u32(b + off + 8, swap), wl = mini_u32(b + off + 12, swap);
			off += 16;
			if (cl > n - off)
				break;
			struct mini_pkt p;
			memset(&p, 0, sizeof p);
			p.frame = (uint64_t)++frames;
			p.ts_ns = (int64_t)s * 1000000000LL + (int64_t)us * (nano ? 1 : 1000);
			p.caplen = cl;
			p.wirelen = wl;
			mini_link(&p, lt, b + off, cl, cb, ctx);
			off += cl;
		}
	} else if (magic == 0x0a0d0d0a) {
		int swap = mini_u32(b + 8, 0) != 0x1a2b3c4d;
		int lts[64];
		uint64_t tsres[64];
		int nif = 0;
		size_t off = 0;
		while (off + 12 <= n) {
			uint32_t t = mini_u32(b + off, swap), bl = mini_u32(b + off + 4, swap);
			if (bl < 12 || bl > n - off)
				break;
			const uint8_t *x = b + off + 8;
			if (t == 0x0a0d0d0a) {
				swap = mini_u32(x, 0) != 0x1a2b3c4d;
				nif = 0;
			} else if (t == 1 && nif < 64) {
				lts[nif] = (int)(mini_u32(x, swap) & 0xffff);
				tsres[nif] = 1000;       /* ns per tick: microseconds */
				size_t o = 8;
				while (o + 4 <= bl - 12) {
					unsigned oc = swap ? (unsigned)(x[o] << 8 | x[o + 1]) : (unsigned)(x[o] | x[o + 1] << 8);
					unsigned ol = swap ? (unsigned)(x[o + 2] << 8 | x[o + 3]) : (unsigned)(x[o + 2] | x[o + 3] << 8);
					if (oc == 0)
						break;
					if (oc == 9 && ol >= 1) {
						uint8_t r = x[o + 4];
						uint64_t per_s = 1;
						if (r & 0x80)
							for (int i = 0; i < (r & 0x7f); i++)
								per_s *= 2;
						else
							for (int i = 0; i < r; i++)
								per_s *= 10;
						tsres[nif] = per_s ? 1000000000ULL / per_s : 1;
					}
					o += 4 + ((ol + 3) & ~3u);
				}
				nif++;
			} else if (t == 6 || t == 3) {
				struct mini_pkt p;
				memset(&p, 0, sizeof p);
				p.frame = (uint64_t)++frames;
				int ifc = 0;
				const uint8_t *d;
				uint32_t cl, wl;
				if (t == 6) {
					ifc = (int)mini_u32(x, swap);
					uint64_t tsv = (uint64_t)mini_u32(x + 4, swap) << 32 | mini_u32(x + 8, swap);
					cl = mini_u32(x + 12, swap);
					wl = mini_u32(x + 16, swap);
					d = x + 20;
					if (ifc < nif)
						p.ts_ns = (int64_t)(tsv * tsres[ifc]);
				} else {
					wl = mini_u32(x, swap);
					cl = bl - 16 < wl ? bl - 16 : wl;
					d = x + 4;
				}
				if (d + cl <= b + off + bl) {
					p.caplen = cl;
					p.wirelen = wl;
					mini_link(&p, ifc < nif ? lts[ifc] : 1, d, cl, cb, ctx);
				}
			}
			off += bl;
		}
	} else {
		frames = -1;
	}
	free(b);
	return frames;
}

#endif
