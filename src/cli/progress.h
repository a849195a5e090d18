/* \summary: the progress bar on standard error (bytes done, rate, ETA)
 *
 * Drawn only when standard error is a terminal, -q is not given, and the
 * run has taken more than a second (AUTHSCOPE_PROGRESS_DELAY_MS changes
 * that delay, for tests). Redrawn at most ten times a second; erased when
 * the run ends so reports start on a clean line.
 */
#ifndef AUTHSCOPE_CLI_PROGRESS_H
#define AUTHSCOPE_CLI_PROGRESS_H

#include <stdint.h>
#include <stdio.h>

#include "ingest/ingest.h"

struct progress {
	FILE *tty;                  /* NULL = off */
	int64_t t0, last, delay;    /* monotonic us */
	uint32_t calls;
	int shown;
	int color;
};

/* on: the command wants a bar (not -q, not live). */
void progress_init(struct progress *p, int on);
/* Cheap: call per event; looks at the clock every 64 calls. */
void progress_tick(struct progress *p, const struct ingest *g);
/* Erase the bar (if drawn). */
void progress_done(struct progress *p);

/* Format one bar line into out (for tests): width columns. */
void progress_format(char *out, size_t n, uint64_t done, uint64_t total,
		     double elapsed_s, int width);

#endif
