/* \summary: a byte stream: a file, stdin, a gzip stream, an archive member
 *
 * Implementations live above (ingest/); parsers and decoders only read.
 * read() returns bytes read, 0 at end, -1 on error; after an error or a
 * damaged end, err holds a one-line reason (no path) and damaged is set.
 */
#ifndef AUTHSCOPE_CORE_STREAM_H
#define AUTHSCOPE_CORE_STREAM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct stream {
	ssize_t (*read)(struct stream *s, void *buf, size_t n);
	void (*close)(struct stream *s);      /* frees s */
	uint64_t offset;                      /* bytes delivered so far */
	uint64_t size_hint;                   /* total when known (progress), else 0 */
	int damaged;                          /* the container broke: truncated gzip, ... */
	char err[160];
};

static inline ssize_t stream_read(struct stream *s, void *buf, size_t n)
{
	ssize_t r = s->read(s, buf, n);
	if (r > 0)
		s->offset += (uint64_t)r;
	return r;
}

#endif
