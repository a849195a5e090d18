/* \summary: bundles (.tar, .tar.gz/.tgz, .zip) read in memory with libarchive
 *
 * Never extracted: each regular member is a stream handed to
 * ingest_open_stream (so a member may itself be a .gz, or another bundle,
 * up to INGEST_MAX_DEPTH), displayed as "bundle.zip:logs/authproxy.log".
 * Members can only be read one after another, so the first pull reads the
 * whole bundle into the members' lanes and the merge runs from memory.
 * A broken member is that member's damage; a broken archive (bad header,
 * truncated) after some members is recorded on the bundle itself (an input
 * named by the bundle path, kind unknown); the bundle cap on decompressed
 * bytes stops the reading with a damage, never a crash.
 */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>

#include "core/str.h"
#include "ingest/ingest_int.h"
#include "ingest/streams.h"

#define ARC_BUF (64u << 10)

struct bundle {
	struct source base;
	char *display;
	struct stream *s;           /* when read as a stream */
	int fd;                     /* when read from a file (seekable) */
	uint64_t *counter;
	struct budget own_budget, *b;
	int depth;
	struct source *owner;       /* lanes go here (NULL: this bundle) */
	int damaged;                /* the bundle's own damage is reported once */
	struct archive *a;
	uint8_t buf[ARC_BUF];
};

static la_ssize_t io_read(struct archive *a, void *ud, const void **out)
{
	struct bundle *bd = ud;
	*out = bd->buf;
	if (bd->fd >= 0) {
		for (;;) {
			ssize_t r = read(bd->fd, bd->buf, sizeof bd->buf);
			if (r >= 0) {
				*bd->counter += (uint64_t)r;
				return r;
			}
			if (errno != EINTR) {
				archive_set_error(a, errno, "read error: %s", strerror(errno));
				return -1;
			}
		}
	}
	ssize_t r = stream_read(bd->s, bd->buf, sizeof bd->buf);
	if (r < 0) {
		archive_set_error(a, EIO, "%s", bd->s->err[0] ? bd->s->err : "read error");
		return -1;
	}
	return r;
}

static la_int64_t io_seek(struct archive *a, void *ud, la_int64_t off, int whence)
{
	struct bundle *bd = ud;
	off_t r = lseek(bd->fd, (off_t)off, whence);
	if (r < 0) {
		archive_set_error(a, errno, "seek error: %s", strerror(errno));
		return ARCHIVE_FATAL;
	}
	return (la_int64_t)r;
}

static la_int64_t io_skip(struct archive *a, void *ud, la_int64_t req)
{
	struct bundle *bd = ud;
	(void)a;
	off_t cur = lseek(bd->fd, 0, SEEK_CUR);
	off_t end = lseek(bd->fd, 0, SEEK_END);
	if (cur < 0 || end < 0)
		return 0;
	la_int64_t k = req < end - cur ? req : (la_int64_t)(end - cur);
	if (k < 0)
		k = 0;
	lseek(bd->fd, cur + (off_t)k, SEEK_SET);
	return k;
}

/* ---- one member as a stream ---- */

struct member {
	struct stream s;
	struct archive *a;
	struct stream *under;       /* the bundle's own stream, if any */
	int *fatal;
};

static ssize_t member_read(struct stream *s, void *buf, size_t n)
{
	struct member *m = (struct member *)s;
	la_ssize_t r = archive_read_data(m->a, buf, n);
	if (r >= 0)
		return (ssize_t)r;
	if (r == ARCHIVE_FATAL)
		*m->fatal = 1;
	const char *why = archive_error_string(m->a);
	if (m->under && m->under->damaged)
		why = m->under->err;    /* a truncated .tar.gz: name the gzip offset */
	s->damaged = 1;
	snprintf(s->err, sizeof s->err, "archive member damaged at byte %llu: %.110s",
		 (unsigned long long)s->offset, why ? why : "read error");
	return -1;
}

static void member_close(struct stream *s)
{
	free(s);
}

static void bundle_damage(struct bundle *bd, const char *fmt, const char *a, const char *b)
{
	struct ingest *g = bd->base.g;
	if (bd->damaged++)
		return;
	struct input *in = ingest_input(g, bd->display, SRC_UNKNOWN);
	char msg[512];
	snprintf(msg, sizeof msg, fmt, a ? a : "", b ? b : "");
	ingest_damage(g, bd->owner ? bd->owner : &bd->base, in, msg);
}

static int open_archive(struct bundle *bd)
{
	bd->a = archive_read_new();
	archive_read_support_format_tar(bd->a);
	archive_read_support_format_zip(bd->a);
	archive_read_set_callback_data(bd->a, bd);
	archive_read_set_read_callback(bd->a, io_read);
	if (bd->fd >= 0) {
		archive_read_set_seek_callback(bd->a, io_seek);
		archive_read_set_skip_callback(bd->a, io_skip);
	}
	return archive_read_open1(bd->a) != ARCHIVE_OK;
}

/* After a member broke libarchive's state: a zip on disk is read through
 * its central directory, so reopen it and skip the entries already seen. */
static int reopen_after(struct bundle *bd, int *reopens)
{
	if (bd->fd < 0 || ++*reopens > 16 ||
	    (archive_format(bd->a) & ARCHIVE_FORMAT_BASE_MASK) != ARCHIVE_FORMAT_ZIP)
		return 0;
	archive_read_free(bd->a);
	bd->a = NULL;
	if (lseek(bd->fd, 0, SEEK_SET) != 0 || open_archive(bd)) {
		if (bd->a)
			archive_read_free(bd->a);
		bd->a = NULL;
		return 0;
	}
	return 1;
}

static int bundle_pull(struct source *src)
{
	struct bundle *bd = (struct bundle *)src;
	if (!bd->a)
		return SRC_EOF;
	struct source *owner = bd->owner ? bd->owner : &bd->base;
	int fatal = 0, members = 0, retries = 0, reopens = 0;
	size_t idx = 0, skip = 0;   /* entries seen; entries to pass after a reopen */
	char *last = xstrdup("");
	while (bd->a) {
		struct archive *a = bd->a;
		struct archive_entry *ent;
		int r = archive_read_next_header(a, &ent);
		if (r == ARCHIVE_EOF)
			break;
		if (r == ARCHIVE_RETRY && ++retries < 16)
			continue;
		if (r < ARCHIVE_WARN) {
			const char *why = archive_error_string(a);
			if (bd->s && bd->s->damaged)
				why = bd->s->err;
			if (members)
				bundle_damage(bd, "archive damaged after member %s: %s", last, why);
			else
				bundle_damage(bd, "archive damaged: %s%s", why ? why : "unreadable", "");
			if (r == ARCHIVE_FATAL)
				break;
			if (++retries >= 16)
				break;
			continue;
		}
		if (idx++ < skip || archive_entry_filetype(ent) != AE_IFREG)
			continue;
		members++;
		const char *name = archive_entry_pathname(ent);
		if (!name)
			name = "?";
		free(last);
		last = xstrdup(name);
		struct sbuf p;
		sbuf_init(&p, 0);
		if (sbuf_printf(&p, "%s:%s", bd->display, name)) {
			/* capped: what fits is kept */
		}
		struct member *m = xcalloc(1, sizeof *m);
		m->s.read = member_read;
		m->s.close = member_close;
		if (archive_entry_size_is_set(ent))
			m->s.size_hint = (uint64_t)archive_entry_size(ent);
		m->a = a;
		m->under = bd->s;
		m->fatal = &fatal;
		time_t mt = archive_entry_mtime_is_set(ent) ? archive_entry_mtime(ent) : 0;
		struct source *ms = ingest_open_stream(bd->base.g, owner, sbuf_cstr(&p), &m->s,
						       NULL, bd->b, bd->depth + 1, mt);
		if (ms) {
			while (ms->ops->pull(ms) == SRC_READY)
				;
			ms->ops->close(ms);
		}
		sbuf_free(&p);
		if (bd->b->hit) {
			bundle_damage(bd, "bundle larger than the decompressed-size cap; "
				      "members after %s skipped%s", last, "");
			break;
		}
		if (fatal) {
			fatal = 0;
			skip = idx;
			idx = 0;
			if (!reopen_after(bd, &reopens))
				break;
		}
	}
	free(last);
	if (bd->a)
		archive_read_free(bd->a);
	bd->a = NULL;
	/* everything is in the lanes now: give the descriptor back early */
	if (bd->s)
		bd->s->close(bd->s);
	bd->s = NULL;
	if (bd->fd >= 0)
		close(bd->fd);
	bd->fd = -1;
	return SRC_EOF;
}

static void bundle_close(struct source *src)
{
	struct bundle *bd = (struct bundle *)src;
	if (bd->a)
		archive_read_free(bd->a);
	if (bd->s)
		bd->s->close(bd->s);
	if (bd->fd >= 0)
		close(bd->fd);
	free(bd->display);
	free(bd->base.lanes);
	free(bd);
}

static const struct source_ops bundle_ops = {"bundle", bundle_pull, NULL, bundle_close};

struct source *bundle_open(struct ingest *g, struct source *owner, const char *display,
			   struct stream *s, const char *fspath, struct budget *b, int depth)
{
	struct bundle *bd = xcalloc(1, sizeof *bd);
	source_init(&bd->base, &bundle_ops, g);
	bd->display = xstrdup(display);
	bd->owner = owner;
	bd->depth = depth;
	bd->counter = &g->done;
	bd->fd = -1;
	if (b) {
		bd->b = b;
	} else {
		uint64_t max = g->o.max_bundle_bytes ? g->o.max_bundle_bytes : INGEST_DEFAULT_BUNDLE_MAX;
		bd->own_budget = (struct budget){max, max, 0};
		bd->b = &bd->own_budget;
	}
	if (fspath) {
		/* reopen: libarchive reads zip's central directory by seeking */
		bd->fd = open(fspath, O_RDONLY | O_CLOEXEC);
	}
	if (bd->fd >= 0) {
		s->close(s);
	} else {
		bd->s = s;
	}
	if (open_archive(bd)) {
		const char *why = archive_error_string(bd->a);
		bundle_damage(bd, "archive unreadable: %s%s", why ? why : "unknown error", "");
		archive_read_free(bd->a);
		bd->a = NULL;
	}
	return &bd->base;
}
