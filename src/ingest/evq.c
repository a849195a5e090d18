/* \summary: event FIFO in blocks: copied events, raw kept inline */
#include "ingest/evq.h"

#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"

#define EVQ_BLK (256u << 10)

struct evq_blk {
	struct evq_blk *next;
	size_t cap, rd, wr;
	alignas(16) unsigned char data[];
};

struct evq_rec {
	size_t size;                /* whole record, aligned */
	struct ev e;
	/* raw bytes + NUL follow */
};

static size_t rec_size(size_t raw_len, int has_raw)
{
	size_t n = sizeof(struct evq_rec) + (has_raw ? raw_len + 1 : 0);
	return (n + 15) & ~(size_t)15;
}

void evq_init(struct evq *q)
{
	memset(q, 0, sizeof *q);
}

static struct evq_blk *blk_new(struct evq *q, size_t need)
{
	struct evq_blk *b;
	if (need <= EVQ_BLK && q->spare) {
		b = q->spare;
		q->spare = NULL;
	} else {
		size_t cap = need > EVQ_BLK ? need : EVQ_BLK;
		b = xmalloc(sizeof *b + cap);
		b->cap = cap;
		q->mem += sizeof *b + cap;
	}
	b->next = NULL;
	b->rd = b->wr = 0;
	return b;
}

static void blk_drop(struct evq *q, struct evq_blk *b)
{
	if (b->cap == EVQ_BLK && !q->spare) {
		q->spare = b;
	} else {
		q->mem -= sizeof *b + b->cap;
		free(b);
	}
}

void evq_push(struct evq *q, const struct ev *e)
{
	int has_raw = e->raw != NULL;
	size_t need = rec_size(e->raw_len, has_raw);
	struct evq_blk *b = q->tail;
	if (b && !q->n && b->cap - b->wr < need) {
		/* drained (pop left the one block in place, empty) and this
		 * record needs a bigger one: drop it, or peek would read the
		 * empty block in front of the new one */
		q->head = q->tail = NULL;
		blk_drop(q, b);
		b = NULL;
	}
	if (!b || b->cap - b->wr < need) {
		struct evq_blk *nb = blk_new(q, need);
		if (b)
			b->next = nb;
		else
			q->head = nb;
		q->tail = b = nb;
	}
	struct evq_rec *r = (struct evq_rec *)(b->data + b->wr);
	r->size = need;
	r->e = *e;
	if (has_raw) {
		char *raw = (char *)(r + 1);
		memcpy(raw, e->raw, e->raw_len);
		raw[e->raw_len] = 0;
		r->e.raw = raw;
	} else {
		r->e.raw_len = 0;
	}
	b->wr += need;
	q->n++;
}

struct ev *evq_peek(struct evq *q)
{
	if (!q->n)
		return NULL;
	struct evq_blk *b = q->head;
	return &((struct evq_rec *)(b->data + b->rd))->e;
}

void evq_pop(struct evq *q)
{
	if (!q->n)
		return;
	struct evq_blk *b = q->head;
	struct evq_rec *r = (struct evq_rec *)(b->data + b->rd);
	b->rd += r->size;
	q->n--;
	if (b->rd == b->wr) {
		if (b->next) {
			q->head = b->next;
			blk_drop(q, b);
		} else if (b->cap != EVQ_BLK) {
			q->head = q->tail = NULL;
			blk_drop(q, b);
		} else {
			b->rd = b->wr = 0;
		}
	}
}

void evq_free(struct evq *q)
{
	struct evq_blk *b = q->head;
	while (b) {
		struct evq_blk *n = b->next;
		free(b);
		b = n;
	}
	free(q->spare);
	memset(q, 0, sizeof *q);
}
