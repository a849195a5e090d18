/* \summary: fuzz the config parsers (authproxy.cfg, IOS running-config) and
 * the comparison: the input goes through both formats (whatever it sniffs
 * as), as two inputs, and through core/confcheck. The first byte picks
 * whether config secrets are wanted (the prepass path). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/confcheck.h"
#include "core/format.h"
#include "core/input.h"
#include "core/str.h"
#include "ingest/lines.h"
#include "parsers/config_ios.h"
#include "parsers/config_proxy.h"

struct fz {
	struct ev_sink base;
	struct confcheck *cc;
	uint64_t n;
};

static void emit(struct ev_sink *self, struct ev *e)
{
	struct fz *f = (struct fz *)self;
	f->n += e->raw_len + (e->text ? strlen(e->text) : 0) + (e->detail ? strlen(e->detail) : 0);
	confcheck_on_event(f->cc, e);
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

static void take(void *ctx, const char *ip, const void *s, size_t n)
{
	(void)ip;
	(void)s;
	*(size_t *)ctx += n;
}

static void run(struct fz *f, const struct format *fmt, const char *name, const uint8_t *data,
		size_t size)
{
	(void)fmt->sniff(data, size < SNIFF_HEAD ? size : SNIFF_HEAD);
	struct input *in = input_new(name, fmt->kind);
	struct format_ctx ctx = {in, &f->base, NULL, NULL, NULL, NULL};
	struct drive d = {fmt, fmt->open(&ctx)};
	struct linereader lr;
	lines_init(&lr, !!(fmt->flags & FMT_JOIN_TAB), on_line, NULL, &d);
	lines_feed(&lr, (const char *)data, size);
	lines_finish(&lr);
	lines_free(&lr);
	fmt->close(d.st);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t taken = 0;
	if (size && (data[0] & 1))
		conf_secret_receiver(take, &taken);
	struct fz f = {{emit}, NULL, 0};
	f.cc = confcheck_new(&f.base);
	run(&f, &fmt_ios_config, "router.cfg", data, size);
	run(&f, &fmt_authproxy_cfg, "authproxy.cfg", data, size);
	confcheck_finish(f.cc);
	confcheck_free(f.cc);
	conf_secret_receiver(NULL, NULL);
	input_reset_all();
	return 0;
}
