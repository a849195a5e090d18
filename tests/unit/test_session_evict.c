/* session eviction: at the cap on open sessions (200 000) each new login
 * closes the one idle the longest (by last activity, the older session
 * first on a tie), counted in sess_evictions, without scanning them all */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "core/event.h"
#include "core/input.h"
#include "core/session.h"
#include "core/str.h"

#define CAP 200000          /* SESS_MAX_OPEN in core/session.c */

static uint32_t ended[4096];
static size_t nended;

static void on_end(struct ev_sink *s, struct ev *e)
{
	(void)s;
	if (e->kind == EVK_SESSION_END && nended < sizeof ended / sizeof ended[0])
		ended[nended++] = e->session;
}

/* a request that opens (or joins) the login on NAS port `port` */
static struct session *req_kind(struct sess_table *t, unsigned kind, int32_t port, int64_t ts_us)
{
	static const char *nas;
	if (!nas)
		nas = intern_cstr("192.0.2.10");
	struct ev e;
	ev_init(&e, kind, SRC_PCAP, 1, (uint64_t)port);
	e.ts = ts_us;
	e.nas_ip = nas;
	e.nas_port = port;
	e.radius_id = 1;
	return sess_on_event(t, &e);
}

static struct session *req(struct sess_table *t, int32_t port, int64_t ts_us)
{
	return req_kind(t, EVK_RADIUS_REQUEST, port, ts_us);
}

static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_evicts_idle_longest(void **st)
{
	(void)st;
	struct ev_sink sink = {on_end};
	struct sess_table *t = sess_new(&sink);
	nended = 0;
	const int64_t t0 = 1700000000LL * 1000000;
	/* CAP logins, one a microsecond; logins 1000..1009 share one time */
	uint32_t id[CAP + 1];
	for (int32_t i = 1; i <= CAP; i++) {
		int64_t ts = t0 + (i >= 1000 && i < 1010 ? 1000 : i);
		struct session *s = req(t, i, ts);
		assert_non_null(s);
		id[i] = s->id;
	}
	assert_int_equal(sess_open_count(t), CAP);
	assert_int_equal(sess_evictions(t), 0);
	assert_int_equal(nended, 0);
	/* the first 500 are active again later: no longer the idle ones */
	for (int32_t i = 1; i <= 500; i++)
		assert_int_equal(req_kind(t, EVK_RADIUS_RETRANSMIT, i, t0 + CAP + i)->id, id[i]);
	/* 3000 new logins: 3000 evictions, the oldest by last activity */
	double c0 = cpu_now();
	for (int32_t i = 0; i < 3000; i++)
		assert_non_null(req(t, CAP + 1 + i, t0 + 2 * CAP + i));
	double took = cpu_now() - c0;
	assert_int_equal(sess_open_count(t), CAP);
	assert_int_equal(sess_evictions(t), 3000);
	assert_int_equal(nended, 3000);
	/* 501..999, then the tie at 1000 (logins 1000..1009, by id), then
	 * 501..999's time order resumes at 1010 (1000..1009 sit at t0+1000) */
	size_t k = 0;
	for (int32_t i = 501; i < 1000; i++)
		assert_int_equal(ended[k++], id[i]);
	for (int32_t i = 1000; i < 1010; i++)
		assert_int_equal(ended[k++], id[i]);
	for (int32_t i = 1010; k < 3000; i++)
		assert_int_equal(ended[k++], id[i]);
	/* evicted logins are closed; the refreshed ones are still open */
	assert_int_equal(sess_get(t, id[501])->closed, 1);
	assert_int_equal(sess_get(t, id[1])->closed, 0);
	assert_int_equal(sess_get(t, id[3600])->closed, 0);
	/* no scan of all open logins per eviction: the scan it replaces took
	 * ~0.5 ms each (1.5 s here, far more under sanitizers); the heap
	 * takes a few ms (CPU time: a loaded machine does not inflate it) */
	assert_true(took < 0.5);
	sess_finish(t);
	sess_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_evicts_idle_longest),
	};
	int r = cmocka_run_group_tests(tests, NULL, NULL);
	input_reset_all();
	str_shutdown();
	return r;
}
