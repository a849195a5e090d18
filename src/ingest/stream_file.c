/* \summary: a stream over a file descriptor (files and standard input) */
#include "ingest/streams.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/str.h"

struct fd_stream {
	struct stream s;
	int fd, owned;
};

static ssize_t fd_read(struct stream *s, void *buf, size_t n)
{
	struct fd_stream *f = (struct fd_stream *)s;
	for (;;) {
		ssize_t r = read(f->fd, buf, n);
		if (r >= 0)
			return r;
		if (errno == EINTR)
			continue;
		snprintf(s->err, sizeof s->err, "read error: %s", strerror(errno));
		return -1;
	}
}

static void fd_close(struct stream *s)
{
	struct fd_stream *f = (struct fd_stream *)s;
	if (f->owned)
		close(f->fd);
	free(f);
}

struct stream *stream_fd_new(int fd, int owned)
{
	struct fd_stream *f = xcalloc(1, sizeof *f);
	f->s.read = fd_read;
	f->s.close = fd_close;
	f->fd = fd;
	f->owned = owned;
	struct stat st;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		f->s.size_hint = (uint64_t)st.st_size;
	return &f->s;
}

struct stream *stream_file_open(const char *path, char *err, size_t errsz)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errsz, "%s", strerror(errno));
		return NULL;
	}
	return stream_fd_new(fd, 1);
}

/* ---- a stream that first replays bytes already read (the sniffed head) ---- */

struct head_stream {
	struct stream s;
	struct stream *inner;
	uint8_t *head;
	size_t n, off;
};

static ssize_t head_read(struct stream *s, void *buf, size_t n)
{
	struct head_stream *h = (struct head_stream *)s;
	if (h->off < h->n) {
		size_t k = h->n - h->off < n ? h->n - h->off : n;
		memcpy(buf, h->head + h->off, k);
		h->off += k;
		return (ssize_t)k;
	}
	ssize_t r = stream_read(h->inner, buf, n);
	if (r < 0 || h->inner->damaged) {
		s->damaged = h->inner->damaged;
		memcpy(s->err, h->inner->err, sizeof s->err);
	}
	return r;
}

static void head_close(struct stream *s)
{
	struct head_stream *h = (struct head_stream *)s;
	h->inner->close(h->inner);
	free(h->head);
	free(h);
}

struct stream *stream_with_head(struct stream *inner, const uint8_t *head, size_t n)
{
	struct head_stream *h = xcalloc(1, sizeof *h);
	h->s.read = head_read;
	h->s.close = head_close;
	h->s.size_hint = inner->size_hint;
	h->inner = inner;
	h->head = xmalloc(n ? n : 1);
	memcpy(h->head, head, n);
	h->n = n;
	return &h->s;
}

/* Read up to n bytes, looping over short reads. */
ssize_t stream_read_full(struct stream *s, uint8_t *buf, size_t n)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r = stream_read(s, buf + got, n - got);
		if (r < 0)
			return got ? (ssize_t)got : -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}
