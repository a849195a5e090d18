/* \summary: sources and lanes: what the time-ordered merge pulls from
 *
 * A *lane* is one input's FIFO of events (struct input, core/input.h): the
 * merge keeps a small min-heap of lanes keyed on the corrected time of each
 * lane's oldest event and always emits the earliest; within a lane, order
 * is kept as read. An event without a time (EV_NO_TS) goes out in its
 * lane's order, keyed as the lane's last stamped time (-inf at the start).
 * Equal keys go to the lower input id (registration order).
 *
 * A *source* fills one or more lanes. The merge pulls a source when one of
 * its lanes runs empty, until that lane has an event again or the source
 * says SRC_EOF. What a pull does is the source's business:
 *
 *   - a file, stdin or a .gz of either: read one chunk, parse it, queue the
 *     events (so a lane holds at most one chunk's events: memory grows with
 *     the number of open inputs, not with their size);
 *   - a bundle (.tar, .tar.gz, .zip): members can only be read one after
 *     another, so the first pull reads them all, one lane per member, and
 *     reports SRC_EOF; the merge then runs from memory;
 *   - later (live): a followed file, a syslog socket, a capture interface:
 *     pull reads what is there without blocking and returns SRC_AGAIN when
 *     nothing is; ops->fd names the descriptor to poll (ingest_pollfds).
 *
 * A source emits an input's events to lane_sink(lane); the lane copies the
 * event and its raw text (raw is borrowed) and counts it on the input. To
 * add a new kind of source: fill a struct source_ops, embed struct source
 * at the start of your state, source_init() it, create its lanes with
 * ingest_lane() (inputs with ingest_input()), and hand it to
 * ingest_add_source(). The merge never blocks on a SRC_AGAIN source: while
 * it waits, the others go on (live accepts that small disorder; its
 * watermark tolerates a lag).
 */
#ifndef AUTHSCOPE_INGEST_SOURCE_H
#define AUTHSCOPE_INGEST_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "core/event.h"
#include "core/input.h"

struct ingest;
struct lane;
struct source;

enum src_state { SRC_READY, SRC_AGAIN, SRC_EOF };

struct source_ops {
	const char *name;
	/* Make progress (queue zero or more events in the source's lanes).
	 * Returns SRC_READY (call again for more), SRC_AGAIN (nothing now:
	 * poll fd()), or SRC_EOF (done for good; lanes are final). */
	int (*pull)(struct source *s);
	/* Descriptor to poll while SRC_AGAIN, or -1 (NULL op = -1). */
	int (*fd)(const struct source *s);
	/* Free the source's own state (not its lanes: ingest owns them). */
	void (*close)(struct source *s);
};

struct source {
	const struct source_ops *ops;
	struct ingest *g;
	int state;                  /* enum src_state, kept by ingest */
	struct lane **lanes;        /* the lanes this source fills */
	size_t nlanes, cap_lanes;
};

void source_init(struct source *s, const struct source_ops *ops, struct ingest *g);

/* The input named path: created on first use, reused (counts and errors
 * reset, clock estimate kept) when a second pass opens it again. */
struct input *ingest_input(struct ingest *g, const char *path, unsigned kind);
/* A lane for input in, filled by s. */
struct lane *ingest_lane(struct ingest *g, struct source *s, struct input *in);
/* Where s emits in's events: copies them into the lane's queue. */
struct ev_sink *lane_sink(struct lane *l);
/* Take s into the merge (before or during ingest_start/step). */
void ingest_add_source(struct ingest *g, struct source *s);

#endif
