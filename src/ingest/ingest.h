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
	uint64_t max_bundle_bytes;  /* cap on decompressed bytes per bundle; 0 = 4 GiB */
	FILE *diag;                 /* one-line messages (stderr) */
	int quiet, verbose;
	const char *cmd;            /* "analyze": messages read "authscope analyze: PATH: why" */
	/* NULL-terminated formats to sniff; NULL = format_registry (tests
	 * register test-only formats here, never in the product) */
	const struct format *const *formats;
};

struct ingest;
struct ingest *ingest_new(const struct ingest_opts *o);
void ingest_free(struct ingest *g);

/* Register a path. -1 when it cannot be read at all (one line on diag:
 * "authscope CMD: PATH: reason"): the caller exits 2. A readable file of no
 * known format is an input of kind "unknown", not an error. A file inside
 * a directory that cannot be opened becomes a damaged input instead. */
int ingest_add(struct ingest *g, const char *path);

/* Run every input to its end; events reach sink merged by corrected event
 * time (see ingest/source.h for the order). Equivalent to ingest_start and
 * ingest_step until INGEST_DONE. */
int ingest_run(struct ingest *g, struct ev_sink *sink);

/* Incremental driving, for the live dashboard. ingest_start opens every
 * registered path (inputs are created here, in registration order);
 * ingest_step emits at most max_events and returns INGEST_MORE (call
 * again), INGEST_WAIT (every source with nothing queued is waiting: poll
 * the descriptors from ingest_pollfds, then step again) or INGEST_DONE.
 * More sources (followed files, sockets) join with ingest_add_source
 * (ingest/source.h). */
enum { INGEST_DONE, INGEST_MORE, INGEST_WAIT };
int ingest_start(struct ingest *g, struct ev_sink *sink);
int ingest_step(struct ingest *g, size_t max_events);
size_t ingest_pollfds(const struct ingest *g, int *fds, size_t max);
/* The corrected time of the event ingest_step would emit next (replay
 * paces on it): 1 and *key set when one is queued, 0 when none is (all
 * sources waiting or done). An event without time is keyed as its lane's
 * last stamped time (INT64_MIN before the first). */
int ingest_peek(const struct ingest *g, int64_t *key);

/* A cheap first pass (clock estimation): every re-readable input (regular
 * files, their .gz, bundles on disk; not stdin or pipes) is read once
 * through its parser, input by input and NOT merged, events straight to
 * sink. A following ingest_run/ingest_start reads everything again from
 * the start and reuses the same struct input (same id): counts and errors
 * are reset, the clock is restored to its state before the first pass
 * except clock.offset_s/offset_basis, which keep what the estimator set. */
int ingest_prepass(struct ingest *g, struct ev_sink *sink);
/* 1 when path is a regular file that ingest_add reads as one plain input
 * (no gzip, zip or tar by its magic), else 0. */
int ingest_plain_file(const char *path);
/* The same first pass over only the inputs that sniff as one of formats
 * (NULL-terminated; the rest are not opened past their head and get no
 * input record in this pass): e.g. the config files, whose parsers publish
 * RADIUS secrets for the capture decoder before the captures are read. */
int ingest_prepass_only(struct ingest *g, const struct format *const *formats,
			struct ev_sink *sink);

/* Replace the secrets handed to decoders of inputs opened from now on
 * (after a config prepass found some). */
void ingest_set_secrets(struct ingest *g, const struct secrets *s);

/* Progress for the progress bar: input bytes consumed so far (compressed
 * bytes for .gz and bundles) and the total when known (file sizes summed;
 * 0 = unknown, e.g. stdin is among the inputs). Cheap; safe from a sink. */
void ingest_progress(const struct ingest *g, uint64_t *done, uint64_t *total);

/* The formats ingest knows (ingest/registry.c). */
extern const struct format *const format_registry[];
const struct format *format_sniff(const uint8_t *head, size_t n);
/* Sniff among reg (NULL-terminated): highest score wins, ties go first. */
const struct format *format_sniff_in(const struct format *const *reg, const uint8_t *head,
				     size_t n);

#endif
