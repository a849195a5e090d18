/* live: session/finding release, the dashboard model and screen, followed files */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/event.h"
#include "core/finding.h"
#include "core/input.h"
#include "core/session.h"
#include "core/str.h"
#include "ingest/ingest.h"
#include "ingest/live.h"
#include "tui/dash.h"

#include "testfmt.h"

/* ---- sessions and findings by hand ---- */

static struct ev rad(unsigned kind, int64_t ts_s, const char *user, int id, int code)
{
	struct ev e;
	ev_init(&e, kind, SRC_AUTHPROXY_LOG, 1, (uint64_t)ts_s);
	e.ts = ts_s * 1000000;
	e.nas_ip = intern_cstr("10.106.54.143");
	e.nas_port = 1645;
	e.radius_id = id;
	e.user = intern_cstr(user);
	e.code = code;
	e.from = ROLE_HEADEND;
	e.to = ROLE_PROXY;
	if (kind == EVK_RADIUS_RESPONSE) {
		e.from = ROLE_PROXY;
		e.to = ROLE_HEADEND;
	}
	return e;
}

struct world {
	struct ev_sink end;
	struct sess_table *t;
	struct finding_set *fs;
	struct dash *d;
	int forgot;
};

static void world_end(struct ev_sink *self, struct ev *e)
{
	struct world *w = (struct world *)self;
	if (w->d)
		dash_on_event(w->d, e);
}

static void world_forget(void *ctx, const struct finding *f)
{
	(void)f;
	((struct world *)ctx)->forgot++;
}

static void world_init(struct world *w)
{
	memset(w, 0, sizeof *w);
	w->end.emit = world_end;
	w->t = sess_new(&w->end);
	w->fs = findings_new();
	w->d = dash_new(w->t, w->fs);
	dash_set_forget(w->d, world_forget, w);
}

static void world_free(struct world *w)
{
	dash_free(w->d);
	sess_free(w->t);
	findings_free(w->fs);
}

static uint32_t feed(struct world *w, struct ev e)
{
	sess_advance(w->t, e.ts);
	sess_on_event(w->t, &e);
	dash_on_event(w->d, &e);
	return e.session;
}

/* One login: request at ts, answer (2 accept, 3 reject, 0 none) a second later. */
static uint32_t login(struct world *w, int64_t ts, const char *user, int id, int code)
{
	struct ev e = rad(EVK_RADIUS_REQUEST, ts, user, id, -1);
	uint32_t sid = feed(w, e);
	if (code) {
		e = rad(EVK_RADIUS_RESPONSE, ts + 1, user, id, code);
		feed(w, e);
	}
	return sid;
}

static char *screen_text(struct dash *d, int rows, int cols)
{
	struct dash_screen s = {0};
	dash_render(d, &s, rows, cols, 0);
	for (int i = 0; i < s.rows; i++)
		assert_int_equal(dash_text_width(s.line[i].text.p, s.line[i].text.len), (size_t)cols);
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	dash_screen_dump(&s, f);
	fclose(f);
	dash_screen_free(&s);
	return buf;
}

static char *snapshot_text(struct dash *d)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	dash_snapshot(d, f);
	fclose(f);
	return buf;
}

static void test_sess_release(void **st)
{
	(void)st;
	struct sess_table *t = sess_new(NULL);
	uint32_t ids[600];
	for (int i = 0; i < 600; i++) {
		struct ev e = rad(EVK_RADIUS_REQUEST, 100 + i, "u", i % 256, -1);
		struct session *s = sess_on_event(t, &e);
		assert_non_null(s);
		ids[i] = s->id;
		e = rad(EVK_RADIUS_RESPONSE, 100 + i, "u", i % 256, 2);
		assert_ptr_equal(sess_on_event(t, &e), s);
	}
	assert_int_equal(sess_release(t, ids[599]), -1);     /* still open */
	sess_advance(t, 100000LL * 1000000);
	assert_int_equal(sess_open_count(t), 0);
	for (int i = 0; i < 500; i++)
		assert_int_equal(sess_release(t, ids[i]), 0);
	assert_int_equal(sess_release(t, ids[0]), -1);       /* gone already */
	assert_null(sess_get(t, ids[0]));
	assert_null(sess_get(t, ids[499]));
	assert_non_null(sess_get(t, ids[500]));
	assert_int_equal(sess_get(t, ids[599])->id, ids[599]);
	assert_int_equal(sess_count(t), 600);
	assert_int_equal(sess_released(t), 500);
	/* keys of a released login open a new one, as for a closed one */
	struct ev e = rad(EVK_RADIUS_RETRANSMIT, 100 + 499, "u", 499 % 256, -1);
	struct session *s = sess_on_event(t, &e);
	assert_non_null(s);
	assert_int_equal(s->id, 601);
	sess_finish(t);
	sess_free(t);
}

static int drop_odd(void *ctx, const struct finding *f)
{
	(*(int *)ctx)++;
	return f->session % 2;
}

static void test_findings_release_keeps_ids_unique(void **st)
{
	(void)st;
	struct finding_set *fs = findings_new();
	for (uint32_t s = 1; s <= 10; s++) {
		struct finding *f = findings_get(fs, "r", s, NULL, NULL);
		finding_add_evidence(f, 1, s, (int64_t)s, "line", 4);
	}
	int asked = 0;
	assert_int_equal(findings_release(fs, drop_odd, &asked), 5);
	assert_int_equal(asked, 10);
	assert_int_equal(findings_count(fs), 5);
	int created;
	struct finding *a = findings_get(fs, "r", 2, NULL, &created);
	assert_int_equal(created, 0);
	assert_int_equal(a->session, 2);
	struct finding *b = findings_get(fs, "r", 1, NULL, &created);
	assert_int_equal(created, 1);
	assert_int_equal(b->id, 11);            /* never a reused id */
	findings_free(fs);
}

static void test_dash_table_and_counters(void **st)
{
	(void)st;
	struct world w;
	world_init(&w);
	login(&w, 1000, "alice", 1, 2);
	uint32_t bob = login(&w, 1010, "bob", 2, 3);
	login(&w, 1020, "carol", 3, 0);         /* pending */
	struct finding *f = findings_get(w.fs, "primary-reject", bob, NULL, NULL);
	finding_set_text(f, "bob: the primary server rejected", "check the password");
	finding_add_evidence(f, 1, 1011, 1011LL * 1000000, "Got response code 3", 19);
	f->sev = SEV_ERROR;
	dash_clock(w.d, 1021LL * 1000000);
	assert_int_equal(dash_update(w.d), 1);
	assert_int_equal(dash_update(w.d), 0);  /* nothing new */
	char *s = screen_text(w.d, 24, 80);
	assert_non_null(strstr(s, "alice"));
	assert_non_null(strstr(s, "accept"));
	assert_non_null(strstr(s, "pending"));
	assert_non_null(strstr(s, "primary-reject"));
	assert_non_null(strstr(s, "FINDINGS (1)"));
	assert_non_null(strstr(s, "3 sessions"));
	/* newest first: carol above bob above alice */
	char *c = strstr(s, "carol"), *b = strstr(s, "bob"), *a = strstr(s, "alice");
	assert_true(c && b && a && c < b && b < a);
	free(s);
	struct dash_counts k;
	dash_counts(w.d, &k);
	assert_int_equal(k.requests, 3);
	assert_int_equal(k.events, 5);
	/* closing: outcomes are counted from session.end */
	sess_advance(w.t, 5000LL * 1000000);
	dash_counts(w.d, &k);
	assert_int_equal(k.outcome[OUT_ACCEPT], 1);
	assert_int_equal(k.outcome[OUT_REJECT], 1);
	assert_int_equal(k.outcome[OUT_TIMEOUT], 1);   /* carol's request never answered */
	dash_update(w.d);
	s = snapshot_text(w.d);
	assert_non_null(strstr(s, "outcomes: accept 1  reject 1  timeout 1"));
	assert_non_null(strstr(s, "sessions (3):"));
	assert_non_null(strstr(s, "error   primary-reject s2 bob: the primary server rejected"));
	free(s);
	world_free(&w);
}

static void test_dash_escapes_hostile_names(void **st)
{
	(void)st;
	struct world w;
	world_init(&w);
	login(&w, 1000, "evil\x1b]0;pwned\x07\x1b[2J\xff", 1, 3);
	login(&w, 1001, "flip\xe2\x80\xaeresu", 2, 2);
	dash_update(w.d);
	char *s = screen_text(w.d, 24, 100);
	assert_null(strchr(s, '\x1b'));
	assert_null(strchr(s, '\x07'));
	assert_null(strstr(s, "\xe2\x80\xae"));
	assert_non_null(strstr(s, "evil\\x1b]0~"));      /* cut to the column */
	assert_non_null(strstr(s, "flip\\u{202~"));
	free(s);
	/* the detail view shows the whole name, escaped */
	dash_key(w.d, 'j');
	dash_key(w.d, DK_ENTER);
	s = screen_text(w.d, 24, 100);
	assert_null(strchr(s, '\x1b'));
	assert_non_null(strstr(s, "user evil\\x1b]0;pwned\\x07\\x1b[2J\\xff"));
	free(s);
	dash_key(w.d, DK_ESC);
	s = snapshot_text(w.d);
	assert_null(strchr(s, '\x1b'));
	assert_non_null(strstr(s, "evil\\x1b]0;pwned\\x07\\x1b[2J\\xff"));
	assert_non_null(strstr(s, "flip\\u{202e}resu"));
	free(s);
	world_free(&w);
}

static void type(struct dash *d, const char *keys)
{
	for (const char *p = keys; *p; p++)
		assert_int_equal(dash_key(d, (unsigned char)*p), 0);
}

static void test_dash_keys_filter_sort_detail_pause(void **st)
{
	(void)st;
	struct world w;
	world_init(&w);
	login(&w, 1000, "alice", 1, 2);
	login(&w, 1010, "bob", 2, 3);
	login(&w, 1020, "zed", 3, 2);
	dash_update(w.d);
	/* a typed lone C1 byte (CSI on 8-bit terminals) is shown escaped */
	type(w.d, "/\x9b[2J");
	char *s = screen_text(w.d, 24, 80);
	assert_null(strchr(s, '\x9b'));
	assert_non_null(strstr(s, "/\\x9b[2J"));
	free(s);
	dash_key(w.d, DK_ESC);
	/* filter */
	type(w.d, "/bo");
	s = screen_text(w.d, 24, 80);
	assert_non_null(strstr(s, "/bo"));
	free(s);
	dash_key(w.d, DK_ENTER);
	s = screen_text(w.d, 24, 80);
	assert_non_null(strstr(s, "1/3 sessions"));
	assert_non_null(strstr(s, "filter: bo"));
	assert_null(strstr(s, "alice"));
	free(s);
	dash_key(w.d, DK_ESC);
	s = screen_text(w.d, 24, 80);
	assert_non_null(strstr(s, "alice"));
	free(s);
	/* sort by user: alice first */
	dash_key(w.d, 's');
	s = screen_text(w.d, 24, 80);
	assert_non_null(strstr(s, "sort:user"));
	assert_true(strstr(s, "alice") < strstr(s, "zed"));
	free(s);
	/* detail of the selected (first) row: its ladder */
	dash_key(w.d, 'j');
	dash_key(w.d, 'k');
	dash_key(w.d, DK_ENTER);
	assert_int_equal(dash_view(w.d), DV_DETAIL);
	s = screen_text(w.d, 24, 80);
	assert_non_null(strstr(s, "session s1"));
	assert_non_null(strstr(s, "user alice"));
	assert_non_null(strstr(s, "client  headend"));
	assert_non_null(strstr(s, "|------>|"));   /* the request, headend -> proxy */
	assert_non_null(strstr(s, "|<------|"));   /* the accept back */
	free(s);
	dash_key(w.d, DK_ESC);
	assert_int_equal(dash_view(w.d), DV_TABLE);
	/* help and back */
	dash_key(w.d, '?');
	s = screen_text(w.d, 24, 80);
	assert_non_null(strstr(s, "filter by user or any text"));
	free(s);
	dash_key(w.d, 'x');
	assert_int_equal(dash_view(w.d), DV_TABLE);
	/* pause: a new login does not show until resumed */
	dash_key(w.d, 'p');
	login(&w, 1030, "newbie", 4, 2);
	dash_update(w.d);
	s = screen_text(w.d, 24, 80);
	assert_non_null(strstr(s, "[PAUSED]"));
	assert_null(strstr(s, "newbie"));
	free(s);
	dash_key(w.d, 'p');
	dash_update(w.d);
	s = screen_text(w.d, 24, 80);
	assert_non_null(strstr(s, "newbie"));
	free(s);
	/* small and odd sizes lay out without overflowing */
	s = screen_text(w.d, 8, 30);
	assert_non_null(strstr(s, "too small"));
	free(s);
	s = screen_text(w.d, 10, 40);
	free(s);
	s = screen_text(w.d, 50, 200);
	assert_non_null(strstr(s, "PRIMARY"));
	free(s);
	assert_int_equal(dash_key(w.d, 'q'), 1);
	world_free(&w);
}

static void test_dash_ages_out_closed_sessions(void **st)
{
	(void)st;
	struct world w;
	world_init(&w);
	dash_set_max_rows(w.d, 3);
	uint32_t first = login(&w, 1000, "u0", 0, 3);
	struct finding *f = findings_get(w.fs, "primary-reject", first, NULL, NULL);
	finding_set_text(f, "u0 rejected", NULL);
	uint32_t open = login(&w, 1001, "stays-open", 1, 0);
	for (int i = 2; i < 10; i++)
		login(&w, 1000 + i, "u", i, 2);
	sess_advance(w.t, 1040LL * 1000000);   /* the accepted ones close (30 s) */
	dash_update(w.d);
	struct dash_counts k;
	dash_counts(w.d, &k);
	assert_int_equal(k.aged_out, 6);       /* 8 closed old ones, the newest 3 stay (2 open) */
	assert_null(sess_get(w.t, first));
	assert_non_null(sess_get(w.t, open));  /* open: kept until it closes */
	assert_int_equal(findings_count(w.fs), 0);
	assert_int_equal(w.forgot, 1);
	char *s = screen_text(w.d, 24, 80);
	assert_non_null(strstr(s, "stays-open"));
	free(s);
	/* a rule timer raising a finding for a login that left already */
	f = findings_get(w.fs, "late-rule", first, NULL, NULL);
	finding_set_text(f, "late", NULL);
	dash_update(w.d);
	assert_int_equal(findings_count(w.fs), 0);
	assert_int_equal(w.forgot, 2);
	sess_advance(w.t, 2000LL * 1000000);
	dash_update(w.d);
	assert_null(sess_get(w.t, open));
	dash_counts(w.d, &k);
	assert_int_equal(k.outcome[OUT_ACCEPT] + k.outcome[OUT_REJECT] + k.outcome[OUT_TIMEOUT], 10);
	world_free(&w);
}

static void test_dash_merged_sessions(void **st)
{
	(void)st;
	struct world w;
	world_init(&w);
	dash_set_max_rows(w.d, 1);
	/* the proxy's request, then the router's AAA line of the same login,
	 * then a line naming both keys: the two sessions merge into the first */
	struct ev e = rad(EVK_RADIUS_REQUEST, 1000, "mia", 9, -1);
	uint32_t a = feed(&w, e);
	ev_init(&e, EVK_AAA_REQUEST, SRC_IOS_DEBUG, 2, 5);
	e.ts = 1000LL * 1000000 + 1000;
	e.aaa_id = 77;
	e.user = intern_cstr("mia");
	uint32_t b = feed(&w, e);
	assert_int_not_equal(a, b);
	e = rad(EVK_RADIUS_RETRANSMIT, 1001, "mia", 9, -1);
	e.aaa_id = 77;
	e.input = 2;
	feed(&w, e);
	assert_int_equal(sess_get(w.t, b)->merged_into, a);
	struct finding *f = findings_get(w.fs, "radius-retransmit", b, NULL, NULL);
	finding_set_text(f, "mia: re-sent", NULL);
	login(&w, 1010, "next", 10, 0);         /* pushes the merged pair past max_rows */
	dash_update(w.d);
	char *s = screen_text(w.d, 24, 80);
	assert_non_null(strstr(s, "2 sessions"));               /* mia once, and next */
	assert_non_null(strstr(s, "radius-retransmit s1"));     /* the finding follows the merge */
	free(s);
	assert_non_null(sess_get(w.t, a));
	assert_non_null(sess_get(w.t, b));     /* merged, but its survivor is open: kept */
	e = rad(EVK_RADIUS_RESPONSE, 1002, "mia", 9, 2);
	feed(&w, e);
	sess_advance(w.t, 1100LL * 1000000);
	dash_update(w.d);
	assert_null(sess_get(w.t, a));
	assert_null(sess_get(w.t, b));
	struct dash_counts k;
	dash_counts(w.d, &k);
	assert_int_equal(k.outcome[OUT_ACCEPT], 1);             /* one login, one session.end */
	world_free(&w);
}

/* ---- followed files ---- */

static char g_dir[64];

static char *P(const char *name)
{
	static char buf[4][512];
	static int i;
	i = (i + 1) % 4;
	snprintf(buf[i], sizeof buf[i], "%s/%s", g_dir, name);
	return buf[i];
}

static void append(const char *path, const char *s)
{
	FILE *f = fopen(path, "a");
	assert_non_null(f);
	fputs(s, f);
	fclose(f);
}

struct recs {
	struct ev_sink base;
	char text[64][32];
	size_t n;
	/* every event (syslog test) */
	unsigned kind[256];
	int64_t ts[256];
	uint32_t input[256];
	const char *user[256];
	size_t nall;
};

static void recs_emit(struct ev_sink *self, struct ev *e)
{
	struct recs *r = (struct recs *)self;
	if (r->nall < 256) {
		r->kind[r->nall] = e->kind;
		r->ts[r->nall] = e->ts;
		r->input[r->nall] = e->input;
		r->user[r->nall++] = e->user;
	}
	if (r->n < 64 && e->text)
		snprintf(r->text[r->n++], sizeof r->text[0], "%s", e->text);
}

struct notes {
	char last[600];
	int n;
};

static void on_note(void *ctx, const char *msg)
{
	struct notes *n = ctx;
	snprintf(n->last, sizeof n->last, "%s", msg);
	n->n++;
}

static const struct format *const tf_only[] = {&fmt_testfmt, NULL};

static int64_t ms_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Step and poll like the live loop until want events arrived (3 s max). */
static void pump(struct ingest *g, struct recs *r, size_t want)
{
	int64_t end = ms_now() + 3000;
	while (ms_now() < end) {
		while (ingest_step(g, 1000) == INGEST_MORE)
			;
		if (r->n >= want)
			return;
		int fds[8];
		size_t n = ingest_pollfds(g, fds, 8);
		struct pollfd pf[8];
		for (size_t i = 0; i < n; i++)
			pf[i] = (struct pollfd){fds[i], POLLIN, 0};
		poll(pf, n, 50);
	}
}

static void test_follow_rotation_truncation(void **st)
{
	(void)st;
	input_reset_all();
	char *log = P("f.log");
	FILE *f0 = fopen(log, "w");
	fputs("#testfmt\n1 old\n", f0);
	fclose(f0);
	struct ingest_opts o = {.formats = tf_only, .cmd = "live"};
	struct ingest *g = ingest_new(&o);
	struct recs r;
	memset(&r, 0, sizeof r);
	r.base.emit = recs_emit;
	struct notes nt = {{0}, 0};
	struct live_env env = {on_note, &nt, NULL};
	ingest_start(g, &r.base);
	char err[256];
	assert_int_equal(live_follow(g, log, &env, err, sizeof err), 0);
	pump(g, &r, 1);
	assert_int_equal(r.n, 0);                       /* starts at the end */
	append(log, "2 new\n");
	pump(g, &r, 1);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.text[0], "new");
	/* a record held for TAB continuations goes out when the file is quiet */
	append(log, "3 held\n\tcontinued\n");
	pump(g, &r, 2);
	assert_int_equal(r.n, 2);
	assert_string_equal(r.text[1], "held\ncontinued");
	/* rotation: the writer finishes the old file, a new one takes the path */
	char *old = P("f.log.1");
	assert_int_equal(rename(log, old), 0);
	append(old, "4 late\n8 no-newline");
	append(log, "5 fresh\n");
	pump(g, &r, 5);
	assert_int_equal(r.n, 5);
	assert_string_equal(r.text[2], "late");
	assert_string_equal(r.text[3], "no-newline");   /* last line of the old file */
	assert_string_equal(r.text[4], "fresh");
	struct follow_stat fs;
	assert_int_equal(live_follow_stat(g, log, &fs), 0);
	assert_int_equal(fs.rotations, 1);
	assert_non_null(strstr(nt.last, "rotated"));
	/* truncation (copytruncate): read again from the start */
	int fd = open(log, O_WRONLY | O_TRUNC);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "6 x\n", 4), 4);
	close(fd);
	pump(g, &r, 6);
	assert_int_equal(r.n, 6);
	assert_string_equal(r.text[5], "x");
	assert_int_equal(live_follow_stat(g, log, &fs), 0);
	assert_int_equal(fs.truncations, 1);
	ingest_free(g);
	unlink(log);
	unlink(old);
}

static void test_follow_waits_for_the_file(void **st)
{
	(void)st;
	input_reset_all();
	char *log = P("later.log");
	unlink(log);
	struct ingest_opts o = {.formats = tf_only, .cmd = "live"};
	struct ingest *g = ingest_new(&o);
	struct recs r;
	memset(&r, 0, sizeof r);
	r.base.emit = recs_emit;
	struct notes nt = {{0}, 0};
	struct live_env env = {on_note, &nt, NULL};
	ingest_start(g, &r.base);
	char err[256];
	assert_int_equal(live_follow(g, log, &env, err, sizeof err), 0);
	assert_non_null(strstr(nt.last, "does not exist yet"));
	struct follow_stat fs;
	assert_int_equal(live_follow_stat(g, log, &fs), 0);
	assert_int_equal(fs.waiting, 1);
	/* created later: read from its start; the format is sniffed then */
	append(log, "#testfmt\n7 born\n");
	pump(g, &r, 1);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.text[0], "born");
	assert_non_null(strstr(nt.last, "appeared"));
	ingest_free(g);
	unlink(log);
	/* a binary format cannot be followed: said at once */
	static const struct format *const with_bin[] = {&fmt_testfmt, &fmt_testbin, NULL};
	struct ingest_opts ob = {.formats = with_bin, .cmd = "live"};
	g = ingest_new(&ob);
	ingest_start(g, &r.base);
	char *bin = P("frames.bin");
	FILE *bf = fopen(bin, "w");
	fputs("TBIN\0\0\0\0\0\0\0\1\3abc", bf);
	fclose(bf);
	assert_int_equal(live_follow(g, bin, &env, err, sizeof err), 0);
	assert_non_null(strstr(nt.last, "cannot be followed"));
	ingest_free(g);
	unlink(bin);
	/* an unreadable path is an error at start, with the reason */
	g = ingest_new(&o);
	ingest_start(g, &r.base);
	assert_int_equal(live_follow(g, g_dir, &env, err, sizeof err), -1);
	assert_non_null(strstr(err, "not a regular file"));
	ingest_free(g);
}

static int64_t real_now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static size_t pump_all(struct ingest *g, struct recs *r, size_t want)
{
	int64_t end = ms_now() + 3000;
	while (ms_now() < end && r->nall < want) {
		while (ingest_step(g, 1000) == INGEST_MORE)
			;
		int fds[8];
		size_t n = ingest_pollfds(g, fds, 8);
		struct pollfd pf[8];
		for (size_t i = 0; i < n; i++)
			pf[i] = (struct pollfd){fds[i], POLLIN, 0};
		poll(pf, n, 50);
	}
	return r->nall;
}

static void test_syslog_receiver(void **st)
{
	(void)st;
	input_reset_all();
	struct ingest_opts o = {.cmd = "live"};
	struct ingest *g = ingest_new(&o);
	struct recs *r = calloc(1, sizeof *r);
	r->base.emit = recs_emit;
	struct notes nt = {{0}, 0};
	struct live_env env = {on_note, &nt, NULL};
	ingest_start(g, &r->base);
	char err[256];
	assert_int_equal(live_syslog(g, "udp:localhost", &env, err, sizeof err), -1);
	assert_non_null(strstr(err, "udp:ADDR:PORT"));
	assert_int_equal(live_syslog(g, "udp:127.0.0.1:0", &env, err, sizeof err), 0);
	int fd;
	assert_int_equal(ingest_pollfds(g, &fd, 1), 1);
	struct sockaddr_in sa;
	socklen_t sl = sizeof sa;
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &sl), 0);
	int tx = socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(tx >= 0);
	/* RFC 3164 from a router whose clock says 2022 (and no year), then
	 * RFC 5424 with its own full stamp, then a message without any stamp */
	static const char *const msgs[] = {
		"<191>101: *Feb  8 17:54:38.011: RADIUS/ENCODE(0000001B):Orig. component type = VPN IPSEC",
		"<191>102: *Feb  8 17:54:38.012: RADIUS(0000001B): Send Access-Request to 10.106.54.143:1645 id 1645/22, len 270",
		"<191>103: *Feb  8 17:54:38.013: RADIUS:  User-Name           [1]   7   \"sadks\"",
		"<189>1 2022-02-08T17:54:38.500Z r1 - - - - 104: %CRYPTO-5-IKEV2_SESSION_STATUS: Crypto tunnel v2 is UP.  Peer 10.197.243.98:54198 Id: 10.197.243.98",
		"<189>%SYS-5-CONFIG_I: Configured from console by vty0 (10.1.1.1)",
	};
	int64_t t0 = real_now_us();
	for (size_t i = 0; i < sizeof msgs / sizeof *msgs; i++)
		assert_true(sendto(tx, msgs[i], strlen(msgs[i]), 0, (struct sockaddr *)&sa, sl) > 0);
	close(tx);
	pump_all(g, r, 3);
	/* the record held for continuation lines goes out when the sender is quiet */
	usleep(300000);
	pump_all(g, r, 4);
	assert_true(r->nall >= 3);
	const struct input *in = input_get(r->input[0]);
	assert_non_null(in);
	assert_string_equal(in->path, "syslog:127.0.0.1");
	assert_int_equal(in->kind, SRC_SYSLOG);
	int req = 0, up = 0, sys = 0;
	for (size_t i = 0; i < r->nall; i++) {
		if (r->kind[i] == EVK_RADIUS_REQUEST) {
			req++;
			assert_non_null(r->user[i]);
			assert_string_equal(r->user[i], "sadks");
		}
		/* the router's clock says 2022: its error is taken off, so every
		 * event lands at the receive time (the stamp-less one is it) */
		if (r->ts[i] != EV_NO_TS) {
			assert_true(r->ts[i] >= t0 - 3000000);
			assert_true(r->ts[i] <= real_now_us());
		}
		up += r->kind[i] == EVK_ROUTER_SYSLOG;
		sys += r->kind[i] == EVK_ROUTER_SYSLOG && r->ts[i] != EV_NO_TS;
	}
	assert_int_equal(req, 1);
	assert_true(up >= 2);
	assert_int_equal(sys, up);
	assert_non_null(strstr(nt.last, "clock is"));
	assert_non_null(strstr(nt.last, "behind"));
	ingest_free(g);
	free(r);
}

static int setup(void **st)
{
	(void)st;
	snprintf(g_dir, sizeof g_dir, "/tmp/authscope-live-XXXXXX");
	return mkdtemp(g_dir) ? 0 : -1;
}

static int teardown(void **st)
{
	(void)st;
	rmdir(g_dir);
	input_reset_all();
	str_shutdown();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sess_release),
		cmocka_unit_test(test_findings_release_keeps_ids_unique),
		cmocka_unit_test(test_dash_table_and_counters),
		cmocka_unit_test(test_dash_escapes_hostile_names),
		cmocka_unit_test(test_dash_keys_filter_sort_detail_pause),
		cmocka_unit_test(test_dash_ages_out_closed_sessions),
		cmocka_unit_test(test_dash_merged_sessions),
		cmocka_unit_test(test_follow_rotation_truncation),
		cmocka_unit_test(test_follow_waits_for_the_file),
		cmocka_unit_test(test_syslog_receiver),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
