/* fuzz: authproxy.log / connectivity-tool / authevents.log parsers, with the
 * session table behind them (the proxy is its main user). The input runs
 * through all three formats, fed in two chunks split where the first byte
 * says, so records straddle reads. Every event is checked: strings readable,
 * raw bounded by the input, keys in range. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/event.h"
#include "core/format.h"
#include "core/input.h"
#include "core/session.h"
#include "core/str.h"
#include "ingest/lines.h"
#include "parsers/authproxy.h"

struct sink {
	struct ev_sink base;
	struct sess_table *t;
	int64_t wm;
	size_t max_raw;
	size_t n;
};

static void check(const struct ev *e, size_t max_raw)
{
	const char *s[] = {e->user, e->nas_ip, e->server_ip, e->text, e->detail,
			   e->result, e->calling_station, e->client_ip, e->state};
	for (size_t i = 0; i < sizeof s / sizeof *s; i++)
		if (s[i] && strlen(s[i]) > (1u << 20))
			abort();
	if (e->raw && e->raw_len > 2 * max_raw + 64)   /* blanking b"" to b"..." at most doubles */
		abort();
	if (e->kind >= EVK__COUNT)
		abort();
	if (e->radius_id > 255 || e->out_id > 255 || e->nas_port > 65535)
		abort();
}

static void emit(struct ev_sink *self, struct ev *e)
{
	struct sink *k = (struct sink *)self;
	check(e, k->max_raw);
	if (e->ts != EV_NO_TS && e->ts > k->wm) {
		k->wm = e->ts;
		sess_advance(k->t, k->wm);
	}
	sess_on_event(k->t, e);
	k->n++;
}

static void end_emit(struct ev_sink *self, struct ev *e)
{
	(void)self;
	if (e->kind != EVK_SESSION_END && e->kind != EVK_CORR_LATE && e->kind != EVK_CORR_DUP_PUSH)
		abort();
}

struct drive {
	const struct format *fmt;
	void *st;
};

static void on_line(void *ctx, const char *rec, size_t len, uint64_t lineno)
{
	struct drive *d = ctx;
	d->fmt->line(d->st, rec, len, lineno);
}

static void run(const struct format *fmt, const uint8_t *data, size_t size)
{
	struct ev_sink end = {end_emit};
	struct sink k = {{emit}, sess_new(&end), INT64_MIN, size, 0};
	struct input *in = input_new("fuzz", fmt->kind);
	struct format_ctx ctx = {in, &k.base, NULL, NULL, NULL, NULL};
	struct drive d = {fmt, fmt->open(&ctx)};
	struct linereader lr;
	lines_init(&lr, !!(fmt->flags & FMT_JOIN_TAB), on_line, NULL, &d);
	size_t cut = size ? (size_t)data[0] * size / 256 : 0;
	lines_feed(&lr, (const char *)data, cut);
	lines_feed(&lr, (const char *)data + cut, size - cut);
	lines_finish(&lr);
	lines_free(&lr);
	fmt->close(d.st);
	sess_finish(k.t);
	for (size_t i = 1; i <= sess_count(k.t); i++) {
		const struct session *s = sess_get(k.t, (uint32_t)i);
		if (!s->closed || s->outcome > OUT_TIMEOUT)
			abort();
	}
	sess_free(k.t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	run(&fmt_authproxy, data, size);
	run(&fmt_connectivity, data, size);
	run(&fmt_authevents, data, size);
	(void)fmt_authproxy.sniff(data, size < SNIFF_HEAD ? size : SNIFF_HEAD);
	(void)fmt_connectivity.sniff(data, size < SNIFF_HEAD ? size : SNIFF_HEAD);
	(void)fmt_authevents.sniff(data, size < SNIFF_HEAD ? size : SNIFF_HEAD);
	input_reset_all();
	str_shutdown();
	return 0;
}
