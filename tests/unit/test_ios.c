/* parsers: IOS line grammar, syslog wrappers, event time and year, sniffing */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "core/clock.h"
#include "core/event.h"
#include "core/format.h"
#include "core/input.h"
#include "core/str.h"
#include "parsers/ios.h"
#include "parsers/syslog.h"

/* ---- a sink that keeps what the tests look at ---- */

#define MAXEV 256
struct got {
	unsigned kind;
	int64_t ts;
	uint32_t flags;
	uint64_t pos;
	const char *text, *result, *user, *detail, *server_ip, *assigned_ip;
	int32_t code, radius_id, nas_port;
	int64_t ike_session, aaa_id;
	uint64_t spi_i, spi_r;
	char raw[256];
};
struct col {
	struct ev_sink base;
	struct got ev[MAXEV];
	size_t n;
};

static void col_emit(struct ev_sink *self, struct ev *e)
{
	struct col *c = (struct col *)self;
	if (c->n >= MAXEV)
		return;
	struct got *g = &c->ev[c->n++];
	memset(g, 0, sizeof *g);
	g->kind = e->kind;
	g->ts = e->ts;
	g->flags = e->flags;
	g->pos = e->pos;
	g->text = e->text;
	g->result = e->result;
	g->user = e->user;
	g->detail = e->detail;
	g->server_ip = e->server_ip;
	g->assigned_ip = e->assigned_ip;
	g->code = e->code;
	g->radius_id = e->radius_id;
	g->nas_port = e->nas_port;
	g->ike_session = e->ike_session;
	g->aaa_id = e->aaa_id;
	g->spi_i = e->spi_i;
	g->spi_r = e->spi_r;
	if (e->raw)
		snprintf(g->raw, sizeof g->raw, "%.*s", (int)e->raw_len, e->raw);
}

struct opt {
	int year;           /* --year, 0 none */
	int tz_set;
	int32_t tz;         /* --tz seconds east */
	time_t mtime;
};

/* Run text (lines split on '\n') through the parser; returns the input. */
static struct input *run(struct col *c, const char *text, const struct opt *o, unsigned kind)
{
	memset(c, 0, sizeof *c);
	c->base.emit = col_emit;
	struct input *in = input_new("t.txt", kind);
	if (o) {
		in->mtime = o->mtime;
		if (o->year) {
			in->clock.year = o->year;
			in->clock.year_from = CF_OPTION;
		}
		if (o->tz_set) {
			in->clock.zone_s = o->tz;
			in->clock.zone_from = CF_OPTION;
		}
	}
	struct format_ctx ctx = {in, &c->base, NULL, NULL, NULL, NULL};
	struct ios_parser *p = ios_open(&ctx, kind);
	uint64_t ln = 0;
	for (const char *s = text; *s;) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		ios_line(p, s, len, ++ln);
		s += len + (nl ? 1 : 0);
	}
	ios_close(p);
	return in;
}

static const struct got *find(const struct col *c, unsigned kind, size_t nth)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->ev[i].kind == kind && nth-- == 0)
			return &c->ev[i];
	return NULL;
}

static size_t count(const struct col *c, unsigned kind)
{
	size_t n = 0;
	for (size_t i = 0; i < c->n; i++)
		n += c->ev[i].kind == kind;
	return n;
}

static char *iso(int64_t us)
{
	static char b[4][32];
	static int k;
	k = (k + 1) % 4;
	if (us == EV_NO_TS)
		return strcpy(b[k], "none");
	clock_fmt_rfc3339(b[k], us);
	return b[k];
}

static void teardown(void)
{
	input_reset_all();
	str_shutdown();
}

/* ---- syslog wrappers ---- */

static void test_syslog_forms(void **st)
{
	(void)st;
	struct syslog_hdr h;
	const char *l;

	l = "<191>1 2024-03-01T10:00:00.123456+05:30 r1 ios 42 - [x@1 a=\"b\\]c\"] \xef\xbb\xbf" "12: msg";
	assert_int_equal(syslog_unwrap(l, strlen(l), &h), 1);
	assert_int_equal(h.form, SYSLOG_5424);
	assert_int_equal(h.pri, 191);
	assert_true(h.has_year && h.has_zone);
	assert_int_equal(h.zone_s, 19800);
	assert_int_equal(h.us, 123456);
	assert_int_equal(h.host_len, 2);
	assert_memory_equal(h.host, "r1", 2);
	assert_string_equal(l + h.body, "12: msg");

	l = "<189>1234: R1: *Mar  1 00:10:12.345: %SYS-5-CONFIG_I: x";
	assert_int_equal(syslog_unwrap(l, strlen(l), &h), 1);
	assert_int_equal(h.form, SYSLOG_PRI);
	assert_int_equal(h.has_time, 0);
	assert_string_equal(l + h.body, "1234: R1: *Mar  1 00:10:12.345: %SYS-5-CONFIG_I: x");

	l = "<13>Feb  5 17:32:18 10.0.0.99 Use the BFG!";
	assert_int_equal(syslog_unwrap(l, strlen(l), &h), 1);
	assert_int_equal(h.form, SYSLOG_3164);
	assert_int_equal(h.mon, 2);
	assert_int_equal(h.day, 5);
	assert_int_equal(h.has_year, 0);
	assert_string_equal(l + h.body, "Use the BFG!");

	/* the device's own stamp after <PRI> is not a 3164 header */
	l = "<167>Sep 06 2013 14:32:17: %ASA-7-713236: x";
	assert_int_equal(syslog_unwrap(l, strlen(l), &h), 1);
	assert_int_equal(h.form, SYSLOG_PRI);

	l = "Fri Sep 06 14:32:18 2013: <167>Sep 06 2013 14:32:17: %ASA-7-713236: x";
	assert_int_equal(syslog_unwrap(l, strlen(l), &h), 1);
	assert_int_equal(h.form, SYSLOG_RECEIVER);
	assert_int_equal(h.year, 2013);
	assert_string_equal(l + h.body, "<167>Sep 06 2013 14:32:17: %ASA-7-713236: x");

	l = "Feb  8 18:54:50 10.1.1.1 1234: *Feb  8 18:54:50.123: %CRYPTO-5-X: y";
	assert_int_equal(syslog_unwrap(l, strlen(l), &h), 1);
	assert_int_equal(h.form, SYSLOG_3164);
	assert_string_equal(l + h.body, "1234: *Feb  8 18:54:50.123: %CRYPTO-5-X: y");

	l = "2013-09-06 14:32:18\tLocal7.Debug\t10.1.1.1\t*Sep  6 14:32:17.001: %SYS-5-CONFIG_I: y";
	assert_int_equal(syslog_unwrap(l, strlen(l), &h), 1);
	assert_int_equal(h.host_len, 8);
	assert_string_equal(l + h.body, "*Sep  6 14:32:17.001: %SYS-5-CONFIG_I: y");

	/* not wrappers: an IOS stamp (':' after the time), a GMT stamp, the
	 * Duo proxy's log, a bad PRI */
	const char *no[] = {
		"Nov 30 22:49:14.464: IKEv2:(SESSION ID = 172,SA ID = 1):x",
		"Jun  8 19:14:38 GMT: IKEv2:x",
		"2022-02-08T17:54:50.080854-0500 [duoauthproxy.lib.log#info] Sending request",
		"<192>oops", "<1x>", "",
	};
	for (size_t i = 0; i < sizeof no / sizeof *no; i++)
		assert_int_equal(syslog_unwrap(no[i], strlen(no[i]), &h), 0);
}

/* ---- stamps and zones ---- */

static void test_stamp_variants(void **st)
{
	(void)st;
	struct col c;
	struct opt o = {.year = 2022};
	run(&c,
	    "*May  2 16:05:33.248: %SYS-5-A: p1\n"                        /* '*' mark */
	    "May  2 16:05:34.001: %SYS-5-B: p2\n"                         /* no mark */
	    ".May  2 16:05:35: %SYS-5-C: p3 no msec\n"                    /* '.' mark */
	    "1234: R1: *May  3 00:10:12.345: %SYS-5-G: p10 host\n"        /* seq + origin */
	    "2328304: Jun  8 19:14:38.051 GMT: %SYS-5-D: p4\n"            /* seq + zone */
	    "Nov 30 2024 11:16:54.881 UTC: %SYS-5-E: p5\n"                /* year + zone */
	    "Feb  8 2025 18:54:50.123 IST: %SYS-5-F: p5 IST\n"
	    "Feb  8 18:54:51.000: %SYS-5-H: the device's zone, now known\n",
	    &o, SRC_IOS_DEBUG);
	assert_int_equal(count(&c, EVK_ROUTER_SYSLOG), 8);
	assert_string_equal(iso(c.ev[0].ts), "2022-05-02T16:05:33.248000Z");
	assert_string_equal(iso(c.ev[1].ts), "2022-05-02T16:05:34.001000Z");
	assert_string_equal(iso(c.ev[2].ts), "2022-05-02T16:05:35.000000Z");
	assert_string_equal(iso(c.ev[3].ts), "2022-05-03T00:10:12.345000Z");
	assert_string_equal(iso(c.ev[4].ts), "2022-06-08T19:14:38.051000Z");
	assert_string_equal(iso(c.ev[5].ts), "2024-11-30T11:16:54.881000Z");
	assert_string_equal(iso(c.ev[6].ts), "2025-02-08T13:24:50.123000Z");
	assert_string_equal(iso(c.ev[7].ts), "2022-02-08T13:24:51.000000Z");
	assert_string_equal(c.ev[3].text, "SYS-5-G");
	teardown();
}

static void test_zone_from_stamp_else_tz(void **st)
{
	(void)st;
	struct col c;
	struct opt o = {.year = 2022, .tz_set = 1, .tz = -18000};
	struct input *in = run(&c,
			       "Feb  8 12:00:00.000: %SYS-5-A: local, --tz -05:00\n"
			       "Feb  8 12:00:00.000 CET: %SYS-5-B: CET in the stamp\n",
			       &o, SRC_IOS_DEBUG);
	assert_string_equal(iso(c.ev[0].ts), "2022-02-08T17:00:00.000000Z");
	assert_string_equal(iso(c.ev[1].ts), "2022-02-08T11:00:00.000000Z");
	assert_int_equal(in->clock.zone_from, CF_OPTION);
	int32_t z;
	assert_int_equal(clock_zone_shown(&in->clock, &z), CF_OPTION);  /* a local stamp took it */
	assert_int_equal(z, -18000);
	teardown();

	in = run(&c, "Feb  8 12:00:00.000 IST: %SYS-5-B: x\n", &o, SRC_IOS_DEBUG);
	assert_string_equal(iso(c.ev[0].ts), "2022-02-08T06:30:00.000000Z");
	/* every stamp carried its zone: --tz was not where the zone came from */
	assert_int_equal(clock_zone_shown(&in->clock, &z), CF_TIMESTAMPS);
	assert_int_equal(z, 19800);
	teardown();

	struct opt o2 = {.year = 2022};
	in = run(&c, "Feb  8 12:00:00.000 IST: %SYS-5-B: x\n", &o2, SRC_IOS_DEBUG);
	assert_int_equal(in->clock.zone_from, CF_TIMESTAMPS);
	assert_int_equal(in->clock.zone_s, 19800);
	teardown();

	/* nothing says the zone: UTC, said as the default */
	in = run(&c, "Feb  8 12:00:00.000: %SYS-5-B: x\n", &o2, SRC_IOS_DEBUG);
	assert_int_equal(in->clock.zone_from, CF_DEFAULT);
	assert_string_equal(iso(c.ev[0].ts), "2022-02-08T12:00:00.000000Z");
	teardown();
}

/* ---- the year ---- */

static void test_year_option(void **st)
{
	(void)st;
	struct col c;
	struct opt o = {.year = 2019, .mtime = 1700000000};
	struct input *in = run(&c, "Mar  3 03:03:03.000: %SYS-5-A: x\n", &o, SRC_IOS_DEBUG);
	assert_string_equal(iso(c.ev[0].ts), "2019-03-03T03:03:03.000000Z");
	assert_int_equal(in->clock.year_from, CF_OPTION);
	teardown();
}

static void test_year_from_mtime_with_rollover(void **st)
{
	(void)st;
	struct col c;
	/* the file was last written on 2022-01-01 12:00 UTC */
	struct opt o = {.mtime = 1641038400};
	struct input *in = run(&c,
			       "Dec 31 23:59:59.000: %SYS-5-A: old year\n"
			       "Jan  1 00:00:01.000: %SYS-5-B: new year\n",
			       &o, SRC_IOS_DEBUG);
	assert_int_equal(c.n, 2);
	assert_string_equal(iso(c.ev[0].ts), "2021-12-31T23:59:59.000000Z");
	assert_string_equal(iso(c.ev[1].ts), "2022-01-01T00:00:01.000000Z");
	assert_int_equal(in->clock.year_from, CF_MTIME);
	teardown();

	/* a December capture written in January: December of the year before */
	in = run(&c, "Dec 30 10:00:00.000: %SYS-5-A: x\n", &o, SRC_IOS_DEBUG);
	assert_string_equal(iso(c.ev[0].ts), "2021-12-30T10:00:00.000000Z");
	teardown();
}

static void test_year_from_other_stamp_later(void **st)
{
	(void)st;
	struct col c;
	struct opt o = {.mtime = 1700000000};       /* 2023: must not be used */
	struct input *in = run(&c,
			       "Dec 31 23:59:58.000: %SYS-5-A: before the anchor\n"
			       "Jan  1 00:00:01.000: %SYS-5-B: rolls over\n"
			       "Jan  1 2025 00:00:02.000 UTC: %SYS-5-C: carries the year\n"
			       "Jan  1 00:00:03.000: %SYS-5-D: after\n",
			       &o, SRC_IOS_DEBUG);
	assert_int_equal(c.n, 4);
	assert_string_equal(iso(c.ev[0].ts), "2024-12-31T23:59:58.000000Z");
	assert_string_equal(iso(c.ev[1].ts), "2025-01-01T00:00:01.000000Z");
	assert_string_equal(iso(c.ev[2].ts), "2025-01-01T00:00:02.000000Z");
	assert_string_equal(iso(c.ev[3].ts), "2025-01-01T00:00:03.000000Z");
	assert_int_equal(in->clock.year_from, CF_TIMESTAMPS);
	/* events keep input order across the wait */
	for (size_t i = 1; i < c.n; i++)
		assert_true(c.ev[i].pos > c.ev[i - 1].pos);
	teardown();
}

static void test_year_from_show_clock_and_receiver(void **st)
{
	(void)st;
	struct col c;
	struct opt o = {.mtime = 1700000000};
	struct input *in = run(&c,
			       "*Mar  1 09:00:00.000: %SYS-5-A: x\n"
			       "R1#show clock\n"
			       "*09:00:05.000 UTC Fri Mar 1 2019\n",
			       &o, SRC_IOS_DEBUG);
	assert_int_equal(c.n, 1);
	assert_string_equal(iso(c.ev[0].ts), "2019-03-01T09:00:00.000000Z");
	assert_int_equal(in->clock.year_from, CF_OTHER_SOURCE);
	teardown();

	in = run(&c,
		 "<189>1 2020-07-04T10:00:00.000Z r1 - - - - 55: *Jul  4 10:00:00.100: %SYS-5-A: x\n",
		 &o, SRC_SYSLOG);
	assert_string_equal(iso(c.ev[0].ts), "2020-07-04T10:00:00.100000Z");
	assert_int_equal(in->clock.year_from, CF_OTHER_SOURCE);
	teardown();

	/* no device stamp: the receiver's (zoned, with a year) is the time */
	in = run(&c, "<189>1 2020-07-04T12:00:00.250+02:00 r1 - - - - %SYS-5-A: x\n", &o,
		 SRC_SYSLOG);
	assert_string_equal(iso(c.ev[0].ts), "2020-07-04T10:00:00.250000Z");
	teardown();
}

static void test_year_unknown_stream(void **st)
{
	(void)st;
	struct col c;
	struct opt o = {.mtime = 0};
	struct input *in = run(&c, "Mar  1 09:00:00.000: %SYS-5-A: x\n", &o, SRC_IOS_DEBUG);
	assert_int_equal(c.n, 1);
	assert_int_equal(in->clock.year_from, CF_DEFAULT);
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	char want[16];
	snprintf(want, sizeof want, "%04d", tm.tm_year + 1900 - (tm.tm_mon + 1 < 3));
	assert_memory_equal(iso(c.ev[0].ts), want, 4);
	teardown();
}

static void test_no_stamps_inherit_and_none(void **st)
{
	(void)st;
	struct col c;
	struct opt o = {.year = 2022};
	run(&c,
	    "IKEv2:(SESSION ID = 1,SA ID = 1):Deleting SA\n"
	    "*Mar 14 10:02:11.006: %SYS-5-CONFIG_I: Configured\n"
	    "IKEv2:(SESSION ID = 2,SA ID = 1):Deleting SA\n"
	    "00:04:09: %LINK-3-UPDOWN: Interface Tunnel0, changed state to up\n",
	    &o, SRC_IOS_DEBUG);
	assert_int_equal(c.n, 4);
	assert_int_equal(c.ev[0].ts, EV_NO_TS);       /* nothing known yet */
	assert_int_equal(c.ev[2].ts, c.ev[1].ts);     /* inherited, and said so */
	assert_true(c.ev[2].flags & EVF_TS_GUESSED);
	assert_false(c.ev[1].flags & EVF_TS_GUESSED);
	assert_int_equal(c.ev[3].ts, c.ev[1].ts);     /* uptime: no date of its own */
	teardown();
}

/* ---- record boundaries ---- */

static void test_wrap_glue_prompt(void **st)
{
	(void)st;
	struct col c;
	struct opt o = {.year = 2022};
	run(&c,
	    "Mar  1 00:10:12.347: RADIUS(00000004): Send Access-Request to 192.168.1.253:181\n"
	    "2 id 1645/54, len 84\n"
	    "Mar  1 00:10:12.347: RADIUS:  User-Name           [1]   6   \"dave\"\n"
	    "Mar  1 00:10:12.348: RADIUS(00000004): Started 3 sec timeoutNo authoritative response from any server.\n"
	    "R1(config)#end*Mar  1 00:11:05.123: %SYS-5-CONFIG_I: Configured from console\n"
	    "R1#show crypto ikev2 sa\n"
	    "Radius: x\n",
	    &o, SRC_IOS_DEBUG);
	const struct got *rq = find(&c, EVK_RADIUS_REQUEST, 0);
	assert_non_null(rq);
	assert_int_equal(rq->radius_id, 54);
	assert_int_equal(rq->nas_port, 1645);
	assert_string_equal(rq->server_ip, "192.168.1.253");
	assert_string_equal(rq->user, "dave");
	assert_int_equal(rq->aaa_id, 4);
	assert_string_equal(rq->raw,
			    "Mar  1 00:10:12.347: RADIUS(00000004): Send Access-Request to "
			    "192.168.1.253:1812 id 1645/54, len 84");
	assert_non_null(find(&c, EVK_AAA_TIMEOUT, 0));
	const struct got *sy = find(&c, EVK_ROUTER_SYSLOG, 0);
	assert_non_null(sy);
	assert_string_equal(sy->text, "SYS-5-CONFIG_I");
	assert_int_equal(sy->pos, 5);
	teardown();
}

static void test_secrets_never_in_events(void **st)
{
	(void)st;
	struct col c;
	struct opt o = {.year = 2022};
	run(&c,
	    "R1#test aaa group RAD alice S3cret! legacy\n"
	    "Mar  1 00:10:12.347: RADIUS(00000004): Send Access-Request to 10.1.1.1:1812 id 1645/9, len 84\n"
	    "Mar  1 00:10:12.347: RADIUS:  User-Password       [2]   18  *\n"
	    "Mar  1 00:10:12.347: RADIUS:  Tunnel-Password     [69]  21  S3cret!\n"
	    "IKEv2-PAK: 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F 10\n"
	    "IKEv2:(SESSION ID = 1,SA ID = 1):01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F 10\n",
	    &o, SRC_IOS_DEBUG);
	assert_true(c.n >= 1);
	for (size_t i = 0; i < c.n; i++) {
		const struct got *g = &c.ev[i];
		const char *s[] = {g->text, g->result, g->user, g->detail, g->raw};
		for (size_t k = 0; k < sizeof s / sizeof *s; k++) {
			assert_null(s[k] ? strstr(s[k], "S3cret") : NULL);
			assert_null(s[k] ? strstr(s[k], "0A 0B 0C") : NULL);
		}
	}
	teardown();
}

/* ---- sniffing ---- */

static int sniff(const struct format *f, const char *s)
{
	return f->sniff((const uint8_t *)s, strlen(s));
}

static void test_sniff(void **st)
{
	(void)st;
	const char *dbg = "*Feb  8 17:54:38.011: IKEv2:(SESSION ID = 15,SA ID = 1):Insert SA\n"
			  "*Feb  8 17:54:38.204: RADIUS(0000001A): Send Access-Request to 1.1.1.1:1812 id 1645/23, len 231\n"
			  "RADIUS:  authenticator 1B A3 BD 59 0E 4F 2C 77 - C5 06 91 3A 4D 62 88 10\n";
	const char *show = "! source: genie\n IPv4 Crypto IKEv2  SA \n\n"
			   "Tunnel-id Local                 Remote                fvrf/ivrf            Status \n"
			   "1         66.66.66.1/500        66.66.66.2/500        none/none            READY  \n";
	const char *sys = "<191>1 2022-02-08T17:54:38.011+00:00 r1 - - - - 101: *Feb  8 17:54:38.011: IKEv2:x\n"
			  "<191>1 2022-02-08T17:54:38.012+00:00 r1 - - - - 102: *Feb  8 17:54:38.012: RADIUS: y\n";
	const char *duo = "2022-02-08T17:54:50.080854-0500 [duoauthproxy.lib.log#info] Sending request\n"
			  "2022-02-08T17:54:50.080900-0500 [duoauthproxy.lib.log#info] Got response\n";
	const char *cfg = "version 17.10\nhostname R1\n!\naaa new-model\ncrypto ikev2 profile P\n";
	assert_true(sniff(&fmt_ios_debug, dbg) > sniff(&fmt_ios_show, dbg));
	assert_true(sniff(&fmt_ios_debug, dbg) > sniff(&fmt_syslog, dbg));
	assert_true(sniff(&fmt_ios_debug, dbg) >= 55);
	assert_true(sniff(&fmt_ios_show, show) > sniff(&fmt_ios_debug, show));
	assert_true(sniff(&fmt_ios_show, show) >= 55);
	assert_true(sniff(&fmt_syslog, sys) > sniff(&fmt_ios_debug, sys));
	assert_int_equal(sniff(&fmt_ios_debug, duo), 0);
	assert_int_equal(sniff(&fmt_ios_show, duo), 0);
	assert_int_equal(sniff(&fmt_syslog, duo), 0);
	assert_int_equal(sniff(&fmt_ios_debug, cfg), 0);
	assert_int_equal(sniff(&fmt_ios_show, cfg), 0);
	struct ios_sniff s;
	ios_sniff_count((const uint8_t *)"\x00\x01\x02", 3, &s);
	assert_int_equal(s.debug + s.show + s.syslog, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_syslog_forms),
		cmocka_unit_test(test_stamp_variants),
		cmocka_unit_test(test_zone_from_stamp_else_tz),
		cmocka_unit_test(test_year_option),
		cmocka_unit_test(test_year_from_mtime_with_rollover),
		cmocka_unit_test(test_year_from_other_stamp_later),
		cmocka_unit_test(test_year_from_show_clock_and_receiver),
		cmocka_unit_test(test_year_unknown_stream),
		cmocka_unit_test(test_no_stamps_inherit_and_none),
		cmocka_unit_test(test_wrap_glue_prompt),
		cmocka_unit_test(test_secrets_never_in_events),
		cmocka_unit_test(test_sniff),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
