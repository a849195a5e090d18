/* \summary: IPv4/IPv6 fragment reassembly with hard caps */
#include "decoders/ipreasm.h"

#include <stdlib.h>
#include <string.h>

#include "core/str.h"

struct range {
	uint32_t off, end;
};

struct dgram {
	int used;
	struct reasm_key k;
	int64_t first_ts;
	uint64_t seq;               /* age, for eviction */
	uint32_t total;             /* payload length once the last fragment came; 0 unknown */
	uint8_t have_last;
	uint32_t nr;
	struct range r[REASM_MAX_FRAGS];
	uint8_t *buf;               /* REASM_MAX_BYTES */
};

struct reasm {
	struct dgram d[REASM_MAX_DGRAMS];
	uint64_t seq, evictions;
	uint8_t *done;              /* the last completed datagram, until the next call */
};

struct reasm *reasm_new(void)
{
	return xcalloc(1, sizeof(struct reasm));
}

void reasm_free(struct reasm *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < REASM_MAX_DGRAMS; i++)
		free(r->d[i].buf);
	free(r->done);
	free(r);
}

uint64_t reasm_evictions(const struct reasm *r)
{
	return r->evictions;
}

static int key_eq(const struct reasm_key *a, const struct reasm_key *b)
{
	return a->ver == b->ver && a->proto == b->proto && a->id == b->id &&
	       !memcmp(a->src, b->src, 16) && !memcmp(a->dst, b->dst, 16);
}

static void drop(struct dgram *d)
{
	d->used = 0;
	d->nr = 0;
	d->total = 0;
	d->have_last = 0;
}

static int cmp_range(const void *a, const void *b)
{
	const struct range *x = a, *y = b;
	return x->off < y->off ? -1 : x->off > y->off;
}

/* Covered [0,total) without a hole? */
static int complete(struct dgram *d)
{
	if (!d->have_last)
		return 0;
	qsort(d->r, d->nr, sizeof *d->r, cmp_range);
	uint32_t reach = 0;
	for (uint32_t i = 0; i < d->nr; i++) {
		if (d->r[i].off > reach)
			return 0;
		if (d->r[i].end > reach)
			reach = d->r[i].end;
	}
	return reach >= d->total;
}

int reasm_add(struct reasm *r, const struct reasm_key *k, int64_t ts_ns, uint32_t off,
	      int more, const uint8_t *data, size_t len, const uint8_t **out, size_t *outlen)
{
	struct dgram *d = NULL, *free_slot = NULL, *oldest = NULL;
	for (size_t i = 0; i < REASM_MAX_DGRAMS; i++) {
		struct dgram *x = &r->d[i];
		if (x->used && ts_ns - x->first_ts > REASM_TIMEOUT_NS) {
			r->evictions++;
			drop(x);
		}
		if (!x->used) {
			if (!free_slot)
				free_slot = x;
			continue;
		}
		if (key_eq(&x->k, k)) {
			d = x;
			break;
		}
		if (!oldest || x->seq < oldest->seq)
			oldest = x;
	}
	if (!d) {
		if (!free_slot) {
			r->evictions++;
			drop(oldest);
			free_slot = oldest;
		}
		d = free_slot;
		d->used = 1;
		d->k = *k;
		d->first_ts = ts_ns;
		d->seq = ++r->seq;
		if (!d->buf)
			d->buf = xmalloc(REASM_MAX_BYTES);
	}
	if ((uint64_t)off + len > REASM_MAX_BYTES || d->nr >= REASM_MAX_FRAGS) {
		r->evictions++;
		drop(d);
		return -1;
	}
	uint32_t end = off + (uint32_t)len;
	if (!more) {
		if (d->have_last && d->total != end) {
			drop(d);
			return -1;
		}
		d->have_last = 1;
		d->total = end;
	}
	if (d->have_last && end > d->total) {
		drop(d);
		return -1;
	}
	memcpy(d->buf + off, data, len);
	d->r[d->nr++] = (struct range){off, end};
	if (!complete(d))
		return 0;
	/* hand the buffer out: swap it with the spare */
	uint8_t *b = d->buf;
	d->buf = r->done;
	r->done = b;
	*out = b;
	*outlen = d->total;
	drop(d);
	return 1;
}
