/* \summary: streams over file descriptors (files, stdin), memory, a replayed head */
#include "ingest/streams.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/str.h"

struct fd_stream {
	struct stream s;
	int fd, owned;
	char *path;                 /* reopenable (parkable) when set */
	uint64_t pos;               /* file offset, for reopening */
	uint64_t *counter;
	struct fd_stream *prev, *next;   /* LRU of open parkable streams */
};

/* LRU of parkable streams holding a descriptor: head = most recent. */
static struct fd_stream *lru_head, *lru_tail;
static unsigned lru_n, lru_max;

void stream_file_max_open(unsigned n)
{
	lru_max = n ? n : 1;
}

unsigned stream_file_open_count(void)
{
	return lru_n;
}

static unsigned budget(void)
{
	if (!lru_max) {
		struct rlimit rl;
		rlim_t soft = getrlimit(RLIMIT_NOFILE, &rl) == 0 ? rl.rlim_cur : 1024;
		rlim_t m = soft / 2;
		lru_max = m < 8 ? 8 : m > 512 ? 512 : (unsigned)m;
	}
	return lru_max;
}

static void lru_unlink(struct fd_stream *f)
{
	if (f->prev)
		f->prev->next = f->next;
	else
		lru_head = f->next;
	if (f->next)
		f->next->prev = f->prev;
	else
		lru_tail = f->prev;
	f->prev = f->next = NULL;
	lru_n--;
}

static void lru_front(struct fd_stream *f)
{
	f->prev = NULL;
	f->next = lru_head;
	if (lru_head)
		lru_head->prev = f;
	lru_head = f;
	if (!lru_tail)
		lru_tail = f;
	lru_n++;
}

/* Make room for one more descriptor: park the least recently read. */
static void lru_make_room(void)
{
	while (lru_n >= budget() && lru_tail) {
		struct fd_stream *v = lru_tail;
		lru_unlink(v);
		close(v->fd);
		v->fd = -1;
	}
}

static int unpark(struct fd_stream *f)
{
	if (f->fd >= 0) {
		if (f != lru_head) {
			lru_unlink(f);
			lru_front(f);
		}
		return 0;
	}
	lru_make_room();
	int fd = open(f->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || lseek(fd, (off_t)f->pos, SEEK_SET) != (off_t)f->pos) {
		snprintf(f->s.err, sizeof f->s.err, "cannot reopen: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	f->fd = fd;
	lru_front(f);
	return 0;
}

static ssize_t fd_read(struct stream *s, void *buf, size_t n)
{
	struct fd_stream *f = (struct fd_stream *)s;
	if (f->path && unpark(f))
		return -1;
	for (;;) {
		ssize_t r = read(f->fd, buf, n);
		if (r >= 0) {
			f->pos += (uint64_t)r;
			if (f->counter)
				*f->counter += (uint64_t)r;
			return r;
		}
		if (errno == EINTR)
			continue;
		snprintf(s->err, sizeof s->err, "read error at byte %llu: %s",
			 (unsigned long long)f->pos, strerror(errno));
		return -1;
	}
}

static void fd_close(struct stream *s)
{
	struct fd_stream *f = (struct fd_stream *)s;
	if (f->path && f->fd >= 0)
		lru_unlink(f);
	if (f->owned && f->fd >= 0)
		close(f->fd);
	free(f->path);
	free(f);
}

static struct fd_stream *fd_alloc(int fd, int owned, uint64_t *counter)
{
	struct fd_stream *f = xcalloc(1, sizeof *f);
	f->s.read = fd_read;
	f->s.close = fd_close;
	f->fd = fd;
	f->owned = owned;
	f->counter = counter;
	struct stat st;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		f->s.size_hint = (uint64_t)st.st_size;
	return f;
}

struct stream *stream_fd_new(int fd, int owned, uint64_t *counter)
{
	return &fd_alloc(fd, owned, counter)->s;
}

struct stream *stream_file_open(const char *path, uint64_t *counter, char *err, size_t errsz)
{
	lru_make_room();
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errsz, "%s", strerror(errno));
		return NULL;
	}
	struct fd_stream *f = fd_alloc(fd, 1, counter);
	struct stat st;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		f->path = xstrdup(path);
		lru_front(f);
	}
	return &f->s;
}

/* ---- memory ---- */

struct mem_stream {
	struct stream s;
	const uint8_t *p;
	size_t n, off;
};

static ssize_t mem_read(struct stream *s, void *buf, size_t n)
{
	struct mem_stream *m = (struct mem_stream *)s;
	size_t k = m->n - m->off < n ? m->n - m->off : n;
	memcpy(buf, m->p + m->off, k);
	m->off += k;
	return (ssize_t)k;
}

static void mem_close(struct stream *s)
{
	free(s);
}

struct stream *stream_mem_new(const void *p, size_t n)
{
	struct mem_stream *m = xcalloc(1, sizeof *m);
	m->s.read = mem_read;
	m->s.close = mem_close;
	m->s.size_hint = n;
	m->p = p;
	m->n = n;
	return &m->s;
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
	h->s.damaged = inner->damaged;
	memcpy(h->s.err, inner->err, sizeof h->s.err);
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
