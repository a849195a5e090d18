/* \summary: ingest internals shared by ingest.c, runner.c, archive.c, detect.c */
#ifndef AUTHSCOPE_INGEST_INGEST_INT_H
#define AUTHSCOPE_INGEST_INGEST_INT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "core/clock.h"
#include "ingest/evq.h"
#include "ingest/ingest.h"
#include "ingest/source.h"

#define INGEST_MAX_DEPTH 4          /* gz in tar in zip ... */
#define INGEST_DEFAULT_BUNDLE_MAX (4ull << 30)

struct lane {
	struct ev_sink sink;        /* first: the sink sources emit to */
	struct ingest *g;
	struct input *in;
	struct source *src;
	struct evq q;
	struct ev_sink *direct;     /* first pass: pass events through, no queue */
	int64_t last_key;           /* key of the last stamped event popped */
	size_t heap_idx;            /* SIZE_MAX when not in the heap */
};

struct entry {                  /* a registered path */
	char *path;                 /* display path */
	char *fspath;               /* path to open; NULL for stdin */
	char *err;                  /* could not be walked: reported at open */
	time_t mtime;
	int rereadable;             /* a regular file */
};

struct inmap_ent {
	struct input *in;
	unsigned pass;
	struct src_clock clock0;    /* the clock before the first pass read it */
};

struct budget {                 /* decompressed-bytes cap of one bundle */
	uint64_t max, left;
	int hit;
};

struct ingest {
	struct ingest_opts o;
	const struct format *const *formats;
	uint64_t done, total;
	int total_unknown;
	struct entry *v;
	size_t n, cap;
	struct source **src;
	size_t nsrc, cap_src;
	struct lane **lanes;
	size_t nlanes, cap_lanes;
	struct lane **heap;
	size_t nheap, cap_heap;
	struct ev_sink *sink;
	struct ev_sink *direct;     /* set during the first pass */
	const struct format *const *only;  /* ingest_prepass_only: other inputs skipped */
	int started;
	size_t nagain;
	unsigned pass;
	struct inmap_ent *map;      /* inputs by display path, open addressing */
	size_t map_cap, map_n;
};

/* Open whatever s holds (gzip, bundle, or a format by sniffing) as input
 * display. Takes s. Lanes hang off owner when given (bundle members), else
 * off the returned source. Returns NULL when there is nothing to pull (an
 * unknown format: the input is recorded as kind unknown). fspath: a regular
 * file that may be reopened (for seeking zip). */
struct source *ingest_open_stream(struct ingest *g, struct source *owner, const char *display,
				  struct stream *s, const char *fspath, struct budget *b,
				  int depth, time_t mtime);
/* A format runner over s (already sniffed as fmt). */
struct source *runner_open(struct ingest *g, struct source *owner, struct input *in,
			   const struct format *fmt, struct stream *s);
/* A bundle: s holds a tar or zip (fspath: reopen it with seeking). */
struct source *bundle_open(struct ingest *g, struct source *owner, const char *display,
			   struct stream *s, const char *fspath, struct budget *b, int depth);
/* Record damage on in when there is no runner: error + one input.damaged event. */
void ingest_damage(struct ingest *g, struct source *owner, struct input *in,
		   const char *msg);
/* A stream that stops at the bundle budget (damaged, err says so). Takes s. */
struct stream *stream_capped(struct stream *s, struct budget *b);

/* detect.c */
enum container { CT_NONE, CT_GZIP, CT_ZIP, CT_TAR };
int detect_container(const uint8_t *h, size_t n);
/* Directory order: rotated sets oldest first (name.6 ... name.1, name). */
int rotation_cmp(const char *a, const char *b);

#endif
