/* \summary: IOS parser throughput: a console capture through the line
 * reader and the IOS parser into a counting sink (no sessions, no rules).
 * Prints "<lines> <seconds> <events>" for one run; bench_ios.sh repeats
 * and takes medians.
 *   bench_ios FILE
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/event.h"
#include "core/format.h"
#include "core/input.h"
#include "core/str.h"
#include "ingest/lines.h"
#include "parsers/ios.h"

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static uint64_t nev, lines;

static void emit(struct ev_sink *self, struct ev *e)
{
	(void)self;
	nev += 1 + (e->raw_len & 1);
}

static void on_line(void *ctx, const char *rec, size_t len, uint64_t lineno)
{
	lines = lineno;
	ios_line(ctx, rec, len, lineno);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: bench_ios FILE\n");
		return 2;
	}
	int fd = open(argv[1], O_RDONLY);
	if (fd < 0) {
		perror(argv[1]);
		return 2;
	}
	struct ev_sink sink = {emit};
	struct input *in = input_new(argv[1], SRC_IOS_DEBUG);
	in->clock.year = 2022;
	in->clock.year_from = CF_OPTION;
	struct format_ctx ctx = {in, &sink, NULL, NULL, NULL, NULL};
	double t0 = now();
	struct ios_parser *p = ios_open(&ctx, SRC_IOS_DEBUG);
	struct linereader lr;
	lines_init(&lr, 0, on_line, NULL, p);
	static char buf[1 << 16];
	ssize_t r;
	while ((r = read(fd, buf, sizeof buf)) > 0)
		lines_feed(&lr, buf, (size_t)r);
	lines_finish(&lr);
	lines_free(&lr);
	ios_close(p);
	double t = now() - t0;
	close(fd);
	printf("%llu %.6f %llu\n", (unsigned long long)lines, t, (unsigned long long)nev);
	input_reset_all();
	str_shutdown();
	return 0;
}
