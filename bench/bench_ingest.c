/* \summary: ingest throughput: the line reader, the gzip stream, the full
 * ingest path (runner + lane queues + merge) with a one-event-per-line
 * format. Prints "<count> <seconds>" for one run; bench_ingest.sh repeats
 * and takes medians.
 *   bench_ingest lines FILE      physical lines via read(2) + line reader
 *   bench_ingest gz FILE.gz      decompressed bytes via the gzip stream
 *   bench_ingest ingest FILE...  events via ingest_run (format below)
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/format.h"
#include "core/input.h"
#include "core/str.h"
#include "ingest/ingest.h"
#include "ingest/lines.h"
#include "ingest/streams.h"

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static uint64_t count, sum;

static void on_line(void *ctx, const char *rec, size_t len, uint64_t lineno)
{
	(void)ctx;
	(void)lineno;
	count++;
	sum += len + (uint8_t)rec[0];
}

/* every line is an event stamped with its line number; raw = the line */
static int b_sniff(const uint8_t *h, size_t n)
{
	(void)h;
	return n ? 1 : 0;
}
static void *b_open(const struct format_ctx *ctx)
{
	return (void *)ctx;
}
static void b_line(void *st, const char *line, size_t len, uint64_t lineno)
{
	const struct format_ctx *ctx = st;
	struct ev e;
	ev_init(&e, EVK_RAW, SRC_SYSLOG, ctx->in->id, lineno);
	e.ts = (int64_t)lineno;
	e.raw = line;
	e.raw_len = len;
	ev_emit(ctx->sink, &e);
}
static void b_close(void *st)
{
	(void)st;
}
static const struct format fmt_bench = {"bench", SRC_SYSLOG, FMT_TEXT, b_sniff, b_open, b_line,
					NULL, b_close};
static const struct format *const bench_formats[] = {&fmt_bench, NULL};

static void count_emit(struct ev_sink *s, struct ev *e)
{
	(void)s;
	count++;
	sum += e->raw_len;
}

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	double t0 = now();
	if (!strcmp(argv[1], "lines")) {
		int fd = open(argv[2], O_RDONLY);
		if (fd < 0)
			return 1;
		struct linereader lr;
		lines_init(&lr, 0, on_line, NULL, NULL);
		for (;;) {
			size_t room;
			char *p = lines_space(&lr, &room);
			ssize_t r = read(fd, p, room);
			if (r <= 0)
				break;
			lines_commit(&lr, (size_t)r);
		}
		lines_finish(&lr);
		lines_free(&lr);
		close(fd);
	} else if (!strcmp(argv[1], "gz")) {
		char err[160];
		struct stream *s = stream_gz_new(stream_file_open(argv[2], NULL, err, sizeof err));
		static char buf[256 << 10];
		ssize_t r;
		while ((r = stream_read(s, buf, sizeof buf)) > 0)
			count += (uint64_t)r;
		s->close(s);
	} else if (!strcmp(argv[1], "ingest")) {
		struct ingest_opts o = {.formats = bench_formats};
		struct ingest *g = ingest_new(&o);
		for (int i = 2; i < argc; i++)
			if (ingest_add(g, argv[i]))
				return 1;
		struct ev_sink sink = {count_emit};
		ingest_run(g, &sink);
		ingest_free(g);
	} else {
		return 2;
	}
	printf("%llu %.6f\n", (unsigned long long)count, now() - t0);
	return sum == 42 ? 3 : 0;   /* keep sum alive */
}
