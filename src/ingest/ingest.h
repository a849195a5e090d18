/* \summary: ingest: paths in, events out, merged by event time
 *
 * A path is a file, a directory (walked recursively, sorted, rotated sets
 * oldest first), "-" for standard input, a .gz of any format, or a .tar,
 * .tar.gz/.tgz or .zip bundle (read in memory, never extracted). Each
 * readable stream becomes one struct input whose format is chosen by
 * content (core/format.h sniff), never by name. ingest_run drives every
 * input and hands events to the sink merged by corrected event time.
 */
#ifndef AUTHSCOPE_INGEST_INGEST_H
#define AUTHSCOPE_INGEST_INGEST_H

#include <stdint.h>
#include <stdio.h>

#include "core/event.h"
#include "core/format.h"

struct zone_opt {               /* --tz [INPUT=]ZONE, --year [INPUT=]YYYY */
	const char *input;          /* NULL = every input without its own */
	int32_t value;              /* zone seconds east, or a year */
};

struct ingest_opts {
	const struct secrets *secrets;
	const struct ike_keys *ike_keys;
	const struct port_map *ports;
	const struct zone_opt *tz;   size_t ntz;
	const struct zone_opt *year; size_t nyear;
	uint64_t max_bundle_bytes;  /* cap on decompressed bytes per bundle; 0 = default */
	FILE *diag;                 /* one-line messages (stderr) */
	int quiet, verbose;
};

struct ingest;
struct ingest *ingest_new(const struct ingest_opts *o);
void ingest_free(struct ingest *g);

/* Register a path. -1 when it cannot be read at all (message on diag):
 * the caller exits 2. A readable file of no known format is an input of
 * kind "unknown", not an error. */
int ingest_add(struct ingest *g, const char *path);

/* Run every input to its end; events reach sink in time order. */
int ingest_run(struct ingest *g, struct ev_sink *sink);

/* Progress for the progress bar: input bytes consumed so far and the total
 * when known (0 = unknown, e.g. stdin). Cheap; safe to call from a sink. */
void ingest_progress(const struct ingest *g, uint64_t *done, uint64_t *total);

/* The formats ingest knows (ingest/registry.c). */
extern const struct format *const format_registry[];
const struct format *format_sniff(const uint8_t *head, size_t n);

#endif
