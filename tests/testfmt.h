/* \summary: test-only input formats for ingest tests and fuzz harnesses
 *
 * Never registered in the product. "testfmt" (text, TAB-joining): a file
 * that starts with "#testfmt"; every other line is "<ts_us> <text>" or
 * "- <text>" (no time), one EVK_RAW event per record, raw = the record.
 * Lines starting with '#' make no event. "testbin" (binary): "TBIN" then
 * records of 8-byte big-endian ts + 1-byte length + text; a short record at
 * the end is reported as truncated.
 */
#ifndef AUTHSCOPE_TESTS_TESTFMT_H
#define AUTHSCOPE_TESTS_TESTFMT_H

#include <stdlib.h>
#include <string.h>

#include "core/format.h"
#include "core/str.h"

static int tf_sniff(const uint8_t *h, size_t n)
{
	return n >= 8 && !memcmp(h, "#testfmt", 8) ? 100 : 0;
}

static void *tf_open(const struct format_ctx *ctx)
{
	return (void *)ctx;
}

static void tf_line(void *st, const char *line, size_t len, uint64_t lineno)
{
	const struct format_ctx *ctx = st;
	if (len && line[0] == '#')
		return;
	struct ev e;
	ev_init(&e, EVK_RAW, ctx->in->kind, ctx->in->id, lineno);
	if (len && line[0] >= '0' && line[0] <= '9')
		e.ts = strtoll(line, NULL, 10);
	const char *sp = memchr(line, ' ', len);
	if (sp)
		e.text = intern(sp + 1, len - (size_t)(sp + 1 - line));
	e.raw = line;
	e.raw_len = len;
	ev_emit(ctx->sink, &e);
}

static void tf_close(void *st)
{
	(void)st;
}

static const struct format fmt_testfmt = {
	"testfmt", SRC_SYSLOG, FMT_TEXT | FMT_JOIN_TAB, tf_sniff, tf_open, tf_line, NULL, tf_close,
};

/* ---- binary ---- */

struct tb {
	const struct format_ctx *ctx;
	uint64_t frame;
};

static int tb_sniff(const uint8_t *h, size_t n)
{
	return n >= 4 && !memcmp(h, "TBIN", 4) ? 100 : 0;
}

static void *tb_open(const struct format_ctx *ctx)
{
	struct tb *t = calloc(1, sizeof *t);
	t->ctx = ctx;
	uint8_t magic[4];
	size_t got = 0;
	while (got < 4) {
		ssize_t r = stream_read(ctx->stream, magic + got, 4 - got);
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	return t;
}

static ssize_t tb_full(struct stream *s, uint8_t *p, size_t n)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r = stream_read(s, p + got, n - got);
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

static int tb_step(void *st)
{
	struct tb *t = st;
	uint8_t h[9], txt[256];
	ssize_t r = tb_full(t->ctx->stream, h, 9);
	if (r == 0)
		return 0;
	t->frame++;
	if (r < 9 || tb_full(t->ctx->stream, txt, h[8]) < h[8]) {
		format_damage(t->ctx, IE_TRUNCATED, t->frame, "record %llu truncated",
			      (unsigned long long)t->frame);
		return 0;
	}
	struct ev e;
	ev_init(&e, EVK_RAW, t->ctx->in->kind, t->ctx->in->id, t->frame);
	uint64_t ts = 0;
	for (int i = 0; i < 8; i++)
		ts = ts << 8 | h[i];
	e.ts = (int64_t)ts;
	e.text = intern((const char *)txt, h[8]);
	ev_emit(t->ctx->sink, &e);
	return 1;
}

static void tb_close(void *st)
{
	free(st);
}

static const struct format fmt_testbin = {
	"testbin", SRC_PCAP, FMT_BINARY, tb_sniff, tb_open, NULL, tb_step, tb_close,
};

static const struct format *const test_formats[] = {&fmt_testfmt, &fmt_testbin, NULL};

#endif
