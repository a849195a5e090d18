/* \summary: a followed file (tail -F): rotation, truncation, re-creation
 *
 * The file is read from its end when it exists at start (its head is only
 * sniffed for the format), from its start when it appears later or is
 * re-created. An inotify instance watches the file (modify, attrib, move,
 * delete) and its directory (create, move into it) and is the descriptor
 * the loop polls; a stat every second covers a missed or impossible watch
 * (NFS, inotify limits). At the end of what was written:
 *   - another file now has the path (rename or delete + create): the old
 *     descriptor was read to its end already; its last line without a
 *     newline is delivered, then the new file is read from its start;
 *   - the same file is shorter than what was read (copytruncate, > file):
 *     reading starts again at 0;
 *   - the path is gone: the old descriptor stays open (the writer may still
 *     write to it) until a file appears under the path again.
 * A record held for possible TAB continuation lines (authproxy tracebacks)
 * is delivered once the file has been quiet for FOLLOW_HOLD_US.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/format.h"
#include "core/str.h"
#include "ingest/lines.h"
#include "ingest/live_int.h"

#define FOLLOW_STAT_US 1000000          /* stat fallback period */
#define FOLLOW_HOLD_US 200000           /* a held record goes out after this quiet */
#define FOLLOW_CHUNK (256u << 10)       /* bytes per pull */

struct follow {
	struct live_src ls;
	struct ingest *g;
	char *path, *dir, *name;
	struct input *in;
	struct lane *lane;
	const struct format *fmt;
	void *st;
	struct format_ctx ctx;
	struct linereader lr;
	int lr_on;
	int fd;                     /* the file being read, -1 while waiting */
	dev_t dev;
	ino_t ino;
	off_t off;                  /* bytes read from fd */
	uint8_t head[SNIFF_HEAD];   /* appended bytes kept while the format is unknown */
	size_t nhead;
	int unknown;                /* SNIFF_HEAD bytes and still no format: ignored */
	int ifd, wd_file, wd_dir;
	int check;                  /* inotify said: look at the path now */
	int gone_said, open_fail_said;
	int64_t next_stat, last_data;
	struct follow_stat fs;
};

int64_t live_mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void live_say(const struct live_env *env, const char *fmt, ...)
{
	if (!env->note)
		return;
	char b[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(b, sizeof b, fmt, ap);
	va_end(ap);
	env->note(env->note_ctx, b);
}

static void on_line(void *ctx, const char *rec, size_t len, uint64_t lineno)
{
	struct follow *f = ctx;
	f->in->lines = f->lr.lineno;
	f->fmt->line(f->st, rec, len, lineno);
}

static void on_cut(void *ctx, uint64_t lineno, uint64_t dropped)
{
	struct follow *f = ctx;
	format_damage(&f->ctx, IE_TRUNCATED, lineno, "record longer than %u MiB: %llu bytes cut",
		      LINES_MAX_RECORD >> 20, (unsigned long long)dropped);
}

static void lr_restart(struct follow *f)
{
	if (f->lr_on)
		lines_free(&f->lr);
	lines_init(&f->lr, !!(f->fmt->flags & FMT_JOIN_TAB), on_line, on_cut, f);
	f->lr_on = 1;
}

/* The format is known: the input, its lane and the parser. */
static void start_parser(struct follow *f, const struct format *fmt)
{
	f->fmt = fmt;
	f->in = ingest_input(f->g, f->path, fmt->kind);
	f->lane = ingest_lane(f->g, &f->ls.base, f->in);
	f->ctx = (struct format_ctx){f->in, lane_sink(f->lane), NULL, f->g->o.secrets,
				     f->g->o.ike_keys, f->g->o.ports};
	f->st = fmt->open(&f->ctx);
	lr_restart(f);
}

/* The text format of h[0..n): sniffed on complete lines only (a line cut
 * at the end could mislead); a binary format (a capture) is said at once. */
static const struct format *sniff_text(struct follow *f, const uint8_t *h, size_t n)
{
	const struct format *fmt = n ? format_sniff_in(f->g->formats, h, n) : NULL;
	size_t upto = n;
	while (upto && h[upto - 1] != '\n')
		upto--;
	if (fmt && (fmt->flags & FMT_TEXT) && upto != n)
		fmt = upto ? format_sniff_in(f->g->formats, h, upto) : NULL;
	if (fmt && !(fmt->flags & FMT_TEXT) && !f->unknown) {
		f->unknown = 1;
		live_say(&f->ls.env, "%s: a %s file cannot be followed (its frames are not lines): "
			 "read it with --replay, or capture with --interface", f->path, fmt->name);
	}
	return fmt && (fmt->flags & FMT_TEXT) ? fmt : NULL;
}

static void feed(struct follow *f, const char *p, size_t n);

/* One read of the current file: straight into the line reader's buffer
 * once the format is known (no copy), else into a scratch buffer kept for
 * sniffing. Returns the bytes read (0 at the end, -1 on an error). */
static ssize_t read_some(struct follow *f, int fd)
{
	ssize_t n;
	if (f->fmt) {
		size_t room;
		char *p = lines_space(&f->lr, &room);
		if (room > FOLLOW_CHUNK)
			room = FOLLOW_CHUNK;
		n = read(fd, p, room);
		if (n > 0)
			lines_commit(&f->lr, (size_t)n);
	} else {
		char buf[SNIFF_HEAD];
		n = read(fd, buf, sizeof buf);
		if (n > 0)
			feed(f, buf, (size_t)n);
	}
	if (n > 0) {
		f->fs.bytes += (uint64_t)n;
		if (f->in)
			f->in->bytes += (uint64_t)n;
	}
	return n;
}

/* Bytes read from the file: to the line reader, or kept for sniffing. */
static void feed(struct follow *f, const char *p, size_t n)
{
	if (f->fmt) {
		lines_feed(&f->lr, p, n);
		return;
	}
	if (f->unknown)
		return;
	size_t k = n < sizeof f->head - f->nhead ? n : sizeof f->head - f->nhead;
	memcpy(f->head + f->nhead, p, k);
	f->nhead += k;
	const struct format *fmt = sniff_text(f, f->head, f->nhead);
	if (fmt) {
		start_parser(f, fmt);
		lines_feed(&f->lr, (const char *)f->head, f->nhead);
		if (k < n)
			lines_feed(&f->lr, p + k, n - k);
		f->nhead = 0;
	} else if (f->nhead == sizeof f->head) {
		f->unknown = 1;
		live_say(&f->ls.env, "%s: not a text log authscope knows (authproxy.log, authevents, "
			 "IOS debug or syslog): ignored until it is replaced", f->path);
	}
}

static void watch_file(struct follow *f)
{
	if (f->ifd < 0)
		return;
	if (f->wd_file >= 0)
		inotify_rm_watch(f->ifd, f->wd_file);
	f->wd_file = inotify_add_watch(f->ifd, f->path, IN_MODIFY | IN_ATTRIB | IN_DELETE_SELF |
				       IN_MOVE_SELF | IN_CLOSE_WRITE);
}

/* The old file was read to its end: its last line without a newline is
 * complete now. */
static void finish_old(struct follow *f)
{
	if (f->fmt && f->lr_on)
		lines_finish(&f->lr);
}

/* Open the file now under the path; at_end: skip what it holds (start). */
static int open_file(struct follow *f, int at_end, char *err, size_t errsz)
{
	int fd = open(f->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		if (err)
			snprintf(err, errsz, "%s: %s", f->path, strerror(errno));
		return -errno;
	}
	struct stat st;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		if (err)
			snprintf(err, errsz, "%s: not a regular file (follow a log file)", f->path);
		close(fd);
		return -EINVAL;
	}
	if (f->fd >= 0) {
		/* what the writer put into the old file before moving on */
		while (read_some(f, f->fd) > 0)
			;
		finish_old(f);
		close(f->fd);
	}
	f->fd = fd;
	f->dev = st.st_dev;
	f->ino = st.st_ino;
	f->off = 0;
	f->nhead = 0;
	f->unknown = 0;
	if (!f->fmt) {
		/* the file's head says what it is, even when reading starts at its end */
		uint8_t h[SNIFF_HEAD];
		ssize_t n = pread(fd, h, sizeof h, 0);
		const struct format *fmt = sniff_text(f, h, n > 0 ? (size_t)n : 0);
		if (fmt)
			start_parser(f, fmt);
	} else {
		lr_restart(f);      /* line numbers start again with the new file */
	}
	if (at_end) {
		f->off = lseek(fd, 0, SEEK_END);
		if (f->off < 0)
			f->off = 0;
	}
	watch_file(f);
	f->gone_said = f->open_fail_said = 0;
	f->fs.waiting = 0;
	return 0;
}

static void drain_inotify(struct follow *f)
{
	if (f->ifd < 0)
		return;
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	ssize_t n;
	while ((n = read(f->ifd, buf, sizeof buf)) > 0) {
		for (char *p = buf; p < buf + n;) {
			const struct inotify_event *ev = (const struct inotify_event *)p;
			if (ev->wd == f->wd_dir) {
				if (ev->len && !strcmp(ev->name, f->name))
					f->check = 1;
			} else if (ev->mask & (IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED)) {
				f->check = 1;
				if (ev->mask & IN_IGNORED)
					f->wd_file = -1;
			}
			p += sizeof *ev + ev->len;
		}
	}
}

/* At the end of the data: did the path change under us? Returns 1 when
 * there is something to read now. */
static int check_path(struct follow *f)
{
	struct stat st;
	if (stat(f->path, &st) != 0) {
		if (errno == ENOENT && f->fd >= 0 && !f->gone_said) {
			f->gone_said = 1;
			live_say(&f->ls.env, "%s: gone (rotated?): waiting for it to come back", f->path);
		}
		if (f->fd < 0)
			f->fs.waiting = 1;
		return 0;
	}
	if (f->fd >= 0 && st.st_dev == f->dev && st.st_ino == f->ino) {
		if (st.st_size < f->off) {
			if (lseek(f->fd, 0, SEEK_SET) == 0) {
				f->off = 0;
				f->fs.truncations++;
				if (f->fmt)
					lr_restart(f);
				live_say(&f->ls.env, "%s: truncated: reading it again from the start",
					 f->path);
				return 1;
			}
		}
		return st.st_size > f->off;
	}
	/* another file under the path: the old one is read to its end */
	int had = f->fd >= 0;
	char err[400];
	int r = open_file(f, 0, err, sizeof err);
	if (r) {
		f->fs.reopen_failures++;
		if (!f->open_fail_said) {
			f->open_fail_said = 1;
			if (r == -EACCES && f->ls.env.drop_user)
				live_say(&f->ls.env, "%s: the new file cannot be opened: %s (privileges "
					 "were dropped to '%s' with -Z; give that user read access)",
					 f->path, strerror(EACCES), f->ls.env.drop_user);
			else
				live_say(&f->ls.env, "%s: the new file cannot be opened: %s", f->path,
					 strerror(-r));
		}
		return 0;
	}
	if (had) {
		f->fs.rotations++;
		live_say(&f->ls.env, "%s: rotated: following the new file", f->path);
	} else {
		live_say(&f->ls.env, "%s: appeared: following it", f->path);
	}
	return 1;
}

static int follow_pull(struct source *s)
{
	struct follow *f = (struct follow *)s;
	int64_t now = live_mono_us();
	drain_inotify(f);
	if (f->fd >= 0) {
		ssize_t n = read_some(f, f->fd);
		if (n > 0) {
			f->off += n;
			f->last_data = now;
			return SRC_READY;
		}
	}
	if (f->check || now >= f->next_stat) {
		f->check = 0;
		f->next_stat = now + FOLLOW_STAT_US;
		if (check_path(f))
			return SRC_READY;
	}
	if (f->fmt && f->lr_on && f->lr.have_rec && now - f->last_data >= FOLLOW_HOLD_US)
		lines_flush(&f->lr);
	return SRC_AGAIN;
}

static int follow_fd(const struct source *s)
{
	const struct follow *f = (const struct follow *)s;
	return f->ifd;
}

static int64_t follow_wake(const struct live_src *s)
{
	const struct follow *f = (const struct follow *)s;
	int64_t w = f->next_stat;
	if (f->fmt && f->lr_on && f->lr.have_rec && f->last_data + FOLLOW_HOLD_US < w)
		w = f->last_data + FOLLOW_HOLD_US;
	return w;
}

static void follow_close(struct source *s)
{
	struct follow *f = (struct follow *)s;
	if (f->st)
		f->fmt->close(f->st);
	if (f->lr_on)
		lines_free(&f->lr);
	if (f->fd >= 0)
		close(f->fd);
	if (f->ifd >= 0)
		close(f->ifd);
	free(f->path);
	free(f->dir);
	free(f->ls.base.lanes);
	free(f);
}

const struct source_ops follow_ops = {"live-follow", follow_pull, follow_fd, follow_close};

int live_follow(struct ingest *g, const char *path, const struct live_env *env, char *err,
		size_t errsz)
{
	struct follow *f = xcalloc(1, sizeof *f);
	source_init(&f->ls.base, &follow_ops, g);
	f->ls.env = *env;
	f->ls.wake = follow_wake;
	f->g = g;
	f->fd = -1;
	f->wd_file = f->wd_dir = -1;
	f->path = xstrdup(path);
	const char *slash = strrchr(path, '/');
	f->dir = slash ? (slash == path ? xstrdup("/") : xstrndup(path, (size_t)(slash - path)))
		       : xstrdup(".");
	f->name = slash ? f->path + (slash - path) + 1 : f->path;
	if (!*f->name) {
		snprintf(err, errsz, "--follow %s: name a file, not a directory", path);
		follow_close(&f->ls.base);
		return -1;
	}
	f->ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (f->ifd >= 0) {
		f->wd_dir = inotify_add_watch(f->ifd, f->dir, IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM |
					      IN_DELETE | IN_ONLYDIR);
		if (f->wd_dir < 0) {
			close(f->ifd);      /* stat polling alone */
			f->ifd = -1;
		}
	}
	f->fs.inotify = f->ifd >= 0;
	int r = open_file(f, 1, err, errsz);
	if (r == -ENOENT) {
		f->fs.waiting = 1;
		live_say(env, "%s: does not exist yet: waiting for it", path);
	} else if (r) {
		follow_close(&f->ls.base);
		return -1;
	}
	f->last_data = live_mono_us();
	f->next_stat = f->last_data + FOLLOW_STAT_US;
	ingest_add_source(g, &f->ls.base);
	return 0;
}

int live_follow_stat(const struct ingest *g, const char *path, struct follow_stat *st)
{
	for (size_t i = 0; i < g->nsrc; i++) {
		const struct source *s = g->src[i];
		if (s && s->ops == &follow_ops && !strcmp(((const struct follow *)s)->path, path)) {
			*st = ((const struct follow *)s)->fs;
			return 0;
		}
	}
	return -1;
}
