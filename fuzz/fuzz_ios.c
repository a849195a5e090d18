/* fuzz: the IOS / IOS XE text parser (debug, show, syslog copies) with the
 * session table behind it. The first byte picks the clock options (a --year,
 * a --tz, an mtime or none, so every year path runs) and where the input is
 * split into two reads; the rest goes through the line reader as ingest
 * feeds it. Every event is checked: strings bounded, raw bounded by the
 * input, keys in range, time only from a stamp. syslog_unwrap and the sniff
 * run on the whole input too. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/event.h"
#include "core/format.h"
#include "core/input.h"
#include "core/session.h"
#include "core/str.h"
#include "ingest/lines.h"
#include "parsers/ios.h"
#include "parsers/syslog.h"

struct sink {
	struct ev_sink base;
	struct sess_table *t;
	int64_t wm;
	size_t max_raw;
};

static void check(const struct ev *e, size_t max_raw)
{
	const char *s[] = {e->user, e->nas_ip, e->server_ip, e->text, e->detail, e->result,
			   e->calling_station, e->client_ip, e->state, e->assigned_ip};
	for (size_t i = 0; i < sizeof s / sizeof *s; i++)
		if (s[i] && strlen(s[i]) > (2u << 20))
			abort();
	if (e->raw && e->raw_len > max_raw + 1)
		abort();
	if (e->kind >= EVK__COUNT || e->src >= SRC__COUNT)
		abort();
	if (e->radius_id > 255 || e->nas_port > 65535 || e->server_port > 65535)
		abort();
	if (e->from >= ROLE__COUNT || e->to >= ROLE__COUNT)
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
}

static void end_emit(struct ev_sink *self, struct ev *e)
{
	(void)self;
	if (e->kind != EVK_SESSION_END)
		abort();
}

static void on_line(void *ctx, const char *rec, size_t len, uint64_t lineno)
{
	ios_line(ctx, rec, len, lineno);
}

static void run(const struct format *fmt, unsigned opt, const uint8_t *data, size_t size)
{
	struct ev_sink end = {end_emit};
	struct sink k = {{emit}, sess_new(&end), INT64_MIN, size};
	struct input *in = input_new("fuzz", fmt->kind);
	switch (opt & 3) {
	case 1:
		in->clock.year = 2021;
		in->clock.year_from = CF_OPTION;
		break;
	case 2:
		in->mtime = 1641038400;      /* 2022-01-01T12:00:00Z: Dec stamps are 2021 */
		break;
	case 3:
		in->mtime = 0;               /* a stream: this year, said as default */
		break;
	}
	if (opt & 4) {
		in->clock.zone_s = 19800;
		in->clock.zone_from = CF_OPTION;
	}
	struct format_ctx ctx = {in, &k.base, NULL, NULL, NULL, NULL};
	struct ios_parser *p = fmt->open(&ctx);
	struct linereader lr;
	lines_init(&lr, 0, on_line, NULL, p);
	size_t cut = size ? (size_t)(opt >> 3) * size / 32 : 0;
	lines_feed(&lr, (const char *)data, cut);
	lines_feed(&lr, (const char *)data + cut, size - cut);
	lines_finish(&lr);
	lines_free(&lr);
	fmt->close(p);
	sess_finish(k.t);
	sess_free(k.t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned opt = size ? data[0] : 0;
	if (size) {
		data++;
		size--;
	}
	run(opt & 64 ? &fmt_syslog : &fmt_ios_debug, opt, data, size);
	size_t head = size < SNIFF_HEAD ? size : SNIFF_HEAD;
	(void)fmt_ios_debug.sniff(data, head);
	(void)fmt_ios_show.sniff(data, head);
	(void)fmt_syslog.sniff(data, head);
	struct syslog_hdr h;
	if (syslog_unwrap((const char *)data, size, &h) && h.body > size)
		abort();
	input_reset_all();
	str_shutdown();
	return 0;
}
