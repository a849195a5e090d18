/* \summary: a FIFO of copied events (with their raw text) for the merge
 *
 * Events are copied into large blocks together with their raw bytes, so a
 * queued event owns its raw (the sink's raw is borrowed). No allocation per
 * event: a block holds many records; a drained head block is kept as a
 * spare for the next push, so a streamed input's queue cycles through one
 * or two blocks however long the file.
 */
#ifndef AUTHSCOPE_INGEST_EVQ_H
#define AUTHSCOPE_INGEST_EVQ_H

#include <stddef.h>

#include "core/event.h"

struct evq_blk;
struct evq {
	struct evq_blk *head, *tail, *spare;
	size_t n;                   /* events queued */
	size_t mem;                 /* bytes of blocks held */
};

void evq_init(struct evq *q);
void evq_push(struct evq *q, const struct ev *e);   /* copies e and e->raw */
struct ev *evq_peek(struct evq *q);                 /* oldest, NULL when empty */
void evq_pop(struct evq *q);                        /* drop the oldest */
void evq_free(struct evq *q);

#endif
