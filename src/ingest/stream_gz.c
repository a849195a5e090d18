/* \summary: gzip stream (zlib streaming inflate, concatenated members)
 *
 * Everything decompressed before a break is delivered. A stream that ends
 * inside a member (Z_BUF_ERROR with no more input) or whose data is
 * corrupt (Z_DATA_ERROR) ends with damaged set and a one-line err naming
 * the compressed byte offset. Trailing zero bytes (tape padding) are
 * ignored, as gzip(1) does; other trailing bytes are reported.
 */
#include "ingest/streams.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "core/str.h"

#define GZ_IN (128u << 10)

struct gz_stream {
	struct stream s;
	struct stream *inner;
	z_stream z;
	uint64_t in_off;            /* compressed bytes handed to zlib */
	int in_eof, member_done, end, zinit;
	uint8_t in[GZ_IN];
};

static int refill(struct gz_stream *g)
{
	if (g->z.avail_in || g->in_eof)
		return 0;
	ssize_t r = stream_read(g->inner, g->in, sizeof g->in);
	if (r < 0) {
		g->s.damaged = 1;
		snprintf(g->s.err, sizeof g->s.err, "%s", g->inner->err[0] ? g->inner->err : "read error");
		g->end = 1;
		return -1;
	}
	if (r == 0) {
		g->in_eof = 1;
		if (g->inner->damaged) {
			g->s.damaged = 1;
			memcpy(g->s.err, g->inner->err, sizeof g->s.err);
		}
		return 0;
	}
	g->z.next_in = g->in;
	g->z.avail_in = (uInt)r;
	g->in_off += (uint64_t)r;
	return 0;
}

/* Offset (in the compressed input) of the next byte zlib would read. */
static unsigned long long at(const struct gz_stream *g)
{
	return (unsigned long long)(g->in_off - g->z.avail_in);
}

static void fail(struct gz_stream *g, const char *fmt, const char *what)
{
	g->s.damaged = 1;
	g->end = 1;
	snprintf(g->s.err, sizeof g->s.err, fmt, at(g), what ? what : "");
}

/* Between members: another member, zero padding, or garbage. 1 = go on. */
static int next_member(struct gz_stream *g)
{
	for (;;) {
		if (refill(g))
			return 0;
		if (!g->z.avail_in) {
			g->end = 1;             /* clean end */
			return 0;
		}
		if (g->z.next_in[0] == 0) {     /* padding: skip zeros */
			while (g->z.avail_in && g->z.next_in[0] == 0) {
				g->z.next_in++;
				g->z.avail_in--;
			}
			continue;
		}
		break;
	}
	/* a member must start with 1f 8b; let zlib judge the rest of the header */
	if (g->z.next_in[0] != 0x1f) {
		fail(g, "trailing garbage after the gzip data at byte %llu%s", NULL);
		return 0;
	}
	inflateReset(&g->z);
	g->member_done = 0;
	return 1;
}

static ssize_t gz_read(struct stream *s, void *buf, size_t n)
{
	struct gz_stream *g = (struct gz_stream *)s;
	if (g->end || !n)
		return 0;
	g->z.next_out = buf;
	g->z.avail_out = n > UINT32_MAX ? UINT32_MAX : (uInt)n;
	uInt want = g->z.avail_out;
	while (g->z.avail_out == want && !g->end) {
		if (g->member_done && !next_member(g))
			break;
		uInt before_in = g->z.avail_in;
		if (!before_in) {
			if (refill(g))
				break;
			if (!g->z.avail_in && g->in_eof) {
				fail(g, "truncated gzip stream: the data ends at byte %llu%s", NULL);
				break;
			}
		}
		int ret = inflate(&g->z, Z_NO_FLUSH);
		switch (ret) {
		case Z_STREAM_END:
			g->member_done = 1;
			break;
		case Z_OK:
			break;
		case Z_BUF_ERROR:
			/* no progress: needs input; the loop reads more or reports */
			if (g->z.avail_in) {
				fail(g, "gzip stream stalled at byte %llu%s", NULL);
			}
			break;
		case Z_MEM_ERROR:
			fail(g, "gzip: out of memory at byte %llu%s", NULL);
			break;
		default:                /* Z_DATA_ERROR, Z_NEED_DICT, Z_STREAM_ERROR */
			fail(g, "corrupt gzip stream at byte %llu: %s",
			     g->z.msg ? g->z.msg : "invalid data");
			break;
		}
	}
	return (ssize_t)(want - g->z.avail_out);
}

static void gz_close(struct stream *s)
{
	struct gz_stream *g = (struct gz_stream *)s;
	if (g->zinit)
		inflateEnd(&g->z);
	g->inner->close(g->inner);
	free(g);
}

struct stream *stream_gz_new(struct stream *inner)
{
	struct gz_stream *g = xcalloc(1, sizeof *g);
	g->s.read = gz_read;
	g->s.close = gz_close;
	g->inner = inner;
	if (inflateInit2(&g->z, 16 + MAX_WBITS) != Z_OK) {
		g->s.damaged = 1;
		g->end = 1;
		snprintf(g->s.err, sizeof g->s.err, "gzip: cannot initialise zlib");
	} else {
		g->zinit = 1;
	}
	return &g->s;
}

struct stream *stream_gz_auto(struct stream *s)
{
	uint8_t h[3];
	ssize_t n = stream_read_full(s, h, sizeof h);
	s = stream_with_head(s, h, n > 0 ? (size_t)n : 0);
	if (n == 3 && h[0] == 0x1f && h[1] == 0x8b && h[2] == 8)
		s = stream_gz_new(s);
	return s;
}
