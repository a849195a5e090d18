/* Cross-source correlation: clock estimation (zone, year, error), session
 * merges, records without time joining by keys alone, and the corr.*
 * conclusions the session table raises. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/clock.h"
#include "core/correlate.h"
#include "core/event.h"
#include "core/finding.h"
#include "core/input.h"
#include "core/session.h"
#include "core/str.h"

#define S(x) ((int64_t)(x) * 1000000)
#define T0 civil_to_us(2022, 2, 8, 17, 54, 0, 0)

static void test_center_ignores_outliers(void **st)
{
	(void)st;
	int64_t v[] = {S(3) + 100000, S(3) + 300000, -S(3600), S(3) + 200000, S(900),
		       S(3) + 250000, S(3) + 150000};
	size_t sup;
	int64_t c = clock_est_center(v, sizeof v / sizeof *v, S(2), &sup);
	assert_int_equal(sup, 5);
	assert_true(c >= S(3) + 150000 && c <= S(3) + 250000);
	int64_t one[] = {S(-7)};
	assert_int_equal(clock_est_center(one, 1, S(2), &sup), S(-7));
	assert_int_equal(sup, 1);
}

/* The headend's request id as input `in` stamped it. */
static struct ev req(uint32_t in, unsigned src, int64_t ts, int id)
{
	struct ev e;
	ev_init(&e, EVK_RADIUS_REQUEST, src, in, (uint64_t)id);
	e.ts = ts;
	e.from = ROLE_HEADEND;
	e.to = ROLE_PROXY;
	e.nas_ip = intern_cstr("10.106.54.143");
	e.nas_port = 1645;
	e.radius_id = id;
	e.user = intern_cstr("sadks");
	return e;
}

static void test_zone_then_error(void **st)
{
	(void)st;
	input_reset_all();
	struct input *p = input_new("authproxy.log", SRC_AUTHPROXY_LOG);
	struct input *r = input_new("router.txt", SRC_IOS_DEBUG);
	p->clock.zone_from = CF_TIMESTAMPS;
	p->clock.year_from = CF_TIMESTAMPS;
	r->clock.year_from = CF_TIMESTAMPS;     /* stamps without zone: read as UTC */
	struct clock_est *ce = clock_est_new();
	for (int i = 0; i < 6; i++) {
		int64_t t = T0 + S(40 * i);
		struct ev a = req(p->id, SRC_AUTHPROXY_LOG, t, 160 + i);
		/* the router's clock: local +05:30 without saying so, 3.2 s fast */
		struct ev b = req(r->id, SRC_IOS_DEBUG, t + S(19800) + S(3) + 200000 + i * 1000, 160 + i);
		clock_est_on_event(ce, &a);
		clock_est_on_event(ce, &b);
	}
	/* a wrapped id seen once by the router an hour later: an outlier */
	struct ev w = req(r->id, SRC_IOS_DEBUG, T0 + S(3600 + 19800), 160);
	clock_est_on_event(ce, &w);
	assert_int_equal(clock_est_solve(ce), 1);
	assert_int_equal(r->clock.zone_s, 19800);
	assert_int_equal(r->clock.zone_from, CF_INFERRED);
	assert_true(r->clock.offset_s > 3.0 && r->clock.offset_s < 3.4);
	assert_true(r->clock.offset_basis >= 6);
	assert_true(p->clock.offset_s == 0.0);      /* the proxy log is the reference */
	const struct clock_est_res *res;
	assert_int_equal(clock_est_results(ce, &res), 1);
	assert_int_equal(res[0].input, r->id);
	assert_int_equal(res[0].ref, p->id);
	clock_est_free(ce);
	input_reset_all();
}

static void test_year_from_other_source(void **st)
{
	(void)st;
	input_reset_all();
	struct input *p = input_new("authproxy.log", SRC_AUTHPROXY_LOG);
	struct input *r = input_new("router.txt", SRC_IOS_DEBUG);
	p->clock.zone_from = r->clock.zone_from = CF_TIMESTAMPS;
	p->clock.year_from = CF_TIMESTAMPS;
	r->clock.year_from = CF_MTIME;              /* guessed: 2026 */
	int64_t shift = civil_to_us(2026, 2, 8, 0, 0, 0, 0) - civil_to_us(2022, 2, 8, 0, 0, 0, 0);
	struct clock_est *ce = clock_est_new();
	for (int i = 0; i < 3; i++) {
		int64_t t = T0 + S(30 * i);
		struct ev a = req(p->id, SRC_AUTHPROXY_LOG, t, 10 + i);
		struct ev b = req(r->id, SRC_IOS_DEBUG, t + shift - 500000, 10 + i);
		r->clock.first_ts = T0 + shift;
		clock_est_on_event(ce, &a);
		clock_est_on_event(ce, &b);
	}
	assert_int_equal(clock_est_solve(ce), 1);
	assert_int_equal(r->clock.year, 2022);
	assert_int_equal(r->clock.year_from, CF_INFERRED);
	assert_true(r->clock.offset_s > -0.6 && r->clock.offset_s < -0.4);
	clock_est_free(ce);
	input_reset_all();
}

/* ---- sessions ---- */

struct sink {
	struct ev_sink base;
	int ends, late, dup;
	char late_result[4][16];
	uint64_t late_pos[4];
};

static void on_end(struct ev_sink *self, struct ev *e)
{
	struct sink *k = (struct sink *)self;
	if (e->kind == EVK_SESSION_END)
		k->ends++;
	if (e->kind == EVK_CORR_LATE && k->late < 4) {
		snprintf(k->late_result[k->late], 16, "%s", e->result);
		k->late_pos[k->late++] = e->pos;
	}
	if (e->kind == EVK_CORR_DUP_PUSH)
		k->dup++;
}

static struct ev rev(unsigned kind, uint32_t in, unsigned src, int64_t ts, uint64_t pos)
{
	struct ev e;
	ev_init(&e, kind, src, in, pos);
	e.ts = ts;
	return e;
}

static void test_merge_open_sessions(void **st)
{
	(void)st;
	struct sink k = {{on_end}, 0, 0, 0, {{0}}, {0}};
	struct sess_table *t = sess_new(&k.base);
	/* the proxy sees the request first (its log runs ahead) */
	struct ev p = req(1, SRC_AUTHPROXY_LOG, T0, 163);
	struct session *a = sess_on_event(t, &p);
	/* the router's IKE session, keyed by its SESSION ID only */
	struct ev i = rev(EVK_IKE_EXCHANGE, 2, SRC_IOS_DEBUG, T0 + 1000, 9);
	i.ike_session = 15;
	i.spi_i = 0x802f3cc9e1c33c2full;
	struct session *b = sess_on_event(t, &i);
	assert_int_not_equal(a->id, b->id);
	/* the router's request carries both: one login, the lower id survives */
	struct ev r = req(2, SRC_IOS_DEBUG, T0 + 2000, 163);
	r.ike_session = 15;
	struct session *m = sess_on_event(t, &r);
	assert_int_equal(m->id, a->id);
	assert_int_equal(sess_resolve(t, b->id), a->id);
	assert_int_equal(b->merged_into, a->id);
	assert_int_equal(m->requests, 1);           /* two vantage points, one request */
	assert_int_equal(m->nstage, 3);
	assert_true(m->src_mask & (1u << SRC_IOS_DEBUG));
	/* later IKE events (keyed by the merged-away id) land in the survivor */
	struct ev up = rev(EVK_IKE_SA_UP, 2, SRC_IOS_DEBUG, T0 + S(9), 20);
	up.ike_session = 15;
	assert_int_equal(sess_on_event(t, &up)->id, a->id);
	assert_int_equal(m->outcome, OUT_ACCEPT);
	/* more logins after the merge: the open list stays consistent */
	for (int n = 0; n < 3; n++) {
		struct ev x = req(1, SRC_AUTHPROXY_LOG, T0 + S(100 + 10 * n), 170 + n);
		sess_on_event(t, &x);
	}
	sess_advance(t, T0 + S(1000));
	assert_int_equal(k.ends, 4);                /* no session.end for the merged id */
	sess_finish(t);
	assert_int_equal(k.ends, 4);
	sess_free(t);
}

/* A capture with both legs of an IKEv2/EAP login (decrypted): the IKE
 * session knows the EAP identity and the client's address; the headend's
 * first RADIUS request names both (User-Name, Calling-Station-Id) and
 * joins it, even when it reaches the table after the SA came up (a
 * capture holds RADIUS events until their answer). Another client
 * address, a request after the login concluded, or a second request
 * without State stays apart. */
static struct ev ike_ev(unsigned kind, int64_t ts, uint64_t spi, const char *user,
			const char *client)
{
	struct ev e = rev(kind, 1, SRC_PCAP, ts, (uint64_t)(ts / 1000));
	e.from = ROLE_CLIENT;
	e.to = ROLE_HEADEND;
	e.spi_i = spi;
	e.client_ip = intern_cstr(client);
	e.user = user ? intern_cstr(user) : NULL;
	return e;
}

static struct ev cap_req(int64_t ts, int id, const char *user, const char *client)
{
	struct ev e = req(1, SRC_PCAP, ts, id);
	e.nas_ip = intern_cstr("127.0.0.1");
	e.nas_port = 50693;
	e.user = intern_cstr(user);
	e.client_ip = intern_cstr(client);
	e.calling_station = intern_cstr(client);
	return e;
}

static void test_ike_and_radius_one_login(void **st)
{
	(void)st;
	struct sink k = {{on_end}, 0, 0, 0, {{0}}, {0}};
	struct sess_table *t = sess_new(&k.base);
	struct ev x = ike_ev(EVK_IKE_EXCHANGE, T0, 0xc07e7da29874755dull, NULL, "10.99.0.1");
	struct session *ike = sess_on_event(t, &x);
	struct ev id = ike_ev(EVK_IKE_EAP, T0 + 11000, 0xc07e7da29874755dull, "alice", "10.99.0.1");
	assert_int_equal(sess_on_event(t, &id)->id, ike->id);
	struct ev up = ike_ev(EVK_IKE_SA_UP, T0 + 17000, 0xc07e7da29874755dull, "alice", "10.99.0.1");
	assert_int_equal(sess_on_event(t, &up)->id, ike->id);
	/* the request (sent at +11.2 ms) arrives after the SA-up event */
	struct ev r = cap_req(T0 + 11200, 231, "Alice", "10.99.0.1");
	assert_int_equal(sess_on_event(t, &r)->id, ike->id);
	assert_int_equal(ike->requests, 1);
	/* its answer joins by the RADIUS key */
	struct ev a = r;
	a.kind = EVK_RADIUS_RESPONSE;
	a.from = ROLE_PROXY;
	a.to = ROLE_HEADEND;
	a.code = 2;
	a.ts = T0 + 12000;
	assert_int_equal(sess_on_event(t, &a)->id, ike->id);
	/* a second request of the same user and client, no State: not this login */
	struct ev r2 = cap_req(T0 + 13000, 232, "alice", "10.99.0.1");
	assert_int_not_equal(sess_on_event(t, &r2)->id, ike->id);

	/* another IKE login of bob; a request for bob from another address */
	struct ev b = ike_ev(EVK_IKE_EAP, T0 + S(5), 0x1111222233334444ull, "bob", "10.99.0.7");
	struct session *bs = sess_on_event(t, &b);
	struct ev rb = cap_req(T0 + S(5) + 500, 240, "bob", "10.99.0.8");
	assert_int_not_equal(sess_on_event(t, &rb)->id, bs->id);
	/* carol's IKE login failed before her request was seen */
	struct ev c = ike_ev(EVK_IKE_EAP, T0 + S(10), 0x5555666677778888ull, "carol", "10.99.0.9");
	struct session *cs = sess_on_event(t, &c);
	struct ev cf = ike_ev(EVK_IKE_AUTH, T0 + S(10) + 1000, 0x5555666677778888ull, "carol",
			      "10.99.0.9");
	cf.result = intern_cstr("failed");
	assert_int_equal(sess_on_event(t, &cf)->id, cs->id);
	struct ev rc = cap_req(T0 + S(11), 250, "carol", "10.99.0.9");
	assert_int_not_equal(sess_on_event(t, &rc)->id, cs->id);
	sess_finish(t);
	sess_free(t);
}

static uint32_t resolve(void *ctx, uint32_t id)
{
	return sess_resolve(ctx, id);
}

static void test_findings_follow_merge(void **st)
{
	(void)st;
	struct finding_set *fs = findings_new();
	int c;
	struct finding *f1 = findings_get(fs, "radius-retransmit", 1, NULL, &c);
	finding_add_evidence(f1, 1, 10, S(10), "a", 1);
	struct finding *f2 = findings_get(fs, "radius-retransmit", 2, NULL, &c);
	finding_add_evidence(f2, 2, 20, S(12), "b", 1);
	struct finding *f3 = findings_get(fs, "duo-deny", 2, NULL, &c);
	finding_add_evidence(f3, 2, 30, S(14), "c", 1);
	struct sess_table *t = sess_new(NULL);
	struct ev p = req(1, SRC_AUTHPROXY_LOG, T0, 163);
	sess_on_event(t, &p);
	struct ev i = rev(EVK_IKE_EXCHANGE, 2, SRC_IOS_DEBUG, T0 + 1000, 9);
	i.ike_session = 15;
	sess_on_event(t, &i);
	struct ev r = req(2, SRC_IOS_DEBUG, T0 + 2000, 163);
	r.ike_session = 15;
	sess_on_event(t, &r);
	findings_resession(fs, resolve, t);
	assert_int_equal(f3->session, 1);
	assert_int_equal(f1->session, 1);
	assert_int_equal(f2->suppressed, 1);        /* one finding per (rule, session) */
	assert_int_equal(f1->nev, 2);
	assert_ptr_equal(findings_get(fs, "duo-deny", 1, NULL, &c), f3);
	assert_int_equal(c, 0);
	sess_free(t);
	findings_free(fs);
}

static void test_show_records_join_by_keys(void **st)
{
	(void)st;
	struct sink k = {{on_end}, 0, 0, 0, {{0}}, {0}};
	struct sess_table *t = sess_new(&k.base);
	/* show output comes first (no time): two records of one tunnel */
	struct ev sa = rev(EVK_ROUTER_SHOW, 3, SRC_IOS_SHOW, EV_NO_TS, 5);
	sa.user = intern_cstr("SADKS");
	sa.spi_i = 0x802f3cc9e1c33c2full;
	sa.ike_session = 15;
	sa.client_ip = intern_cstr("10.197.243.98");
	sa.assigned_ip = intern_cstr("192.168.13.5");
	struct session *f1 = sess_on_event(t, &sa);
	struct ev cs = rev(EVK_ROUTER_SHOW, 3, SRC_IOS_SHOW, EV_NO_TS, 36);
	cs.ike_session = 114;
	cs.client_ip = intern_cstr("10.197.243.98");
	cs.assigned_ip = intern_cstr("192.168.13.5");
	struct session *f2 = sess_on_event(t, &cs);
	assert_int_not_equal(f1->id, f2->id);
	/* the proxy log of the login, a different spelling of the user */
	struct ev p = req(1, SRC_AUTHPROXY_LOG, T0, 163);
	struct session *s = sess_on_event(t, &p);
	struct ev a = rev(EVK_RADIUS_RESPONSE, 1, SRC_AUTHPROXY_LOG, T0 + S(9), 18);
	a.from = ROLE_PROXY;
	a.to = ROLE_HEADEND;
	a.nas_ip = p.nas_ip;
	a.nas_port = 1645;
	a.radius_id = 163;
	a.code = 2;
	sess_on_event(t, &a);
	/* another user's accepted login must not attract the records */
	struct ev o = req(1, SRC_AUTHPROXY_LOG, T0 + S(20), 170);
	o.user = intern_cstr("amal");
	sess_on_event(t, &o);
	sess_finish(t);
	uint32_t to = sess_resolve(t, s->id);
	assert_int_equal(sess_resolve(t, f2->id), to);
	assert_int_equal(to, f1->id);               /* the lowest id survives */
	const struct session *m = sess_get(t, to);
	assert_string_equal(m->assigned_ip, "192.168.13.5");
	assert_int_equal(m->outcome, OUT_ACCEPT);
	assert_int_equal(m->nstage, 4);
	/* the stamped stages first, the snapshot after them */
	assert_true(m->stages[0].ts != EV_NO_TS);
	assert_true(m->stages[3].ts == EV_NO_TS);
	assert_true(m->src_mask & (1u << SRC_IOS_SHOW));
	sess_free(t);
}

static void test_show_ambiguous_user_stays_apart(void **st)
{
	(void)st;
	struct sess_table *t = sess_new(NULL);
	struct ev sa = rev(EVK_ROUTER_SHOW, 3, SRC_IOS_SHOW, EV_NO_TS, 5);
	sa.user = intern_cstr("sadks");
	sa.spi_i = 0x1122334455667788ull;
	struct session *f = sess_on_event(t, &sa);
	assert_non_null(f);
	for (int i = 0; i < 2; i++) {             /* two accepted logins of sadks */
		struct ev p = req(1, SRC_AUTHPROXY_LOG, T0 + S(100 * i), 163 + i);
		sess_on_event(t, &p);
		struct ev a = rev(EVK_RADIUS_RESPONSE, 1, SRC_AUTHPROXY_LOG, T0 + S(100 * i + 5), 9);
		a.from = ROLE_PROXY;
		a.to = ROLE_HEADEND;
		a.nas_ip = p.nas_ip;
		a.nas_port = 1645;
		a.radius_id = 163 + i;
		a.code = 2;
		sess_on_event(t, &a);
	}
	sess_finish(t);
	assert_int_equal(f->merged_into, 0);        /* a weak key alone never merges */
	assert_int_equal(sess_resolve(t, f->id), f->id);
	sess_free(t);
}

static void test_late_answer_and_pending_push(void **st)
{
	(void)st;
	struct sink k = {{on_end}, 0, 0, 0, {{0}}, {0}};
	struct sess_table *t = sess_new(&k.base);
	struct ev p = req(1, SRC_AUTHPROXY_LOG, T0, 165);
	sess_on_event(t, &p);
	struct ev r = req(2, SRC_IOS_DEBUG, T0, 165);
	sess_on_event(t, &r);
	struct ev push = rev(EVK_DUO_AUTH_REQUEST, 1, SRC_AUTHPROXY_LOG, T0 + S(1), 35);
	push.user = p.user;
	push.nas_ip = p.nas_ip;
	push.nas_port = 1645;
	push.radius_id = 165;
	push.from = ROLE_PROXY;
	push.to = ROLE_DUO;
	struct session *s = sess_on_event(t, &push);
	/* the router gives up while the push is pending */
	struct ev g = req(2, SRC_IOS_DEBUG, T0 + S(30), 165);
	g.kind = EVK_RADIUS_TIMEOUT;
	g.pos = 132;
	g.raw = "RADIUS: No response from (10.197.243.97:1812,1813) for id 1645/165";
	g.raw_len = strlen(g.raw);
	sess_on_event(t, &g);
	assert_int_equal(k.late, 2);
	assert_string_equal(k.late_result[0], "pending");
	assert_int_equal(k.late_pos[0], 132);       /* the router's line */
	assert_int_equal(k.late_pos[1], 35);        /* the push */
	assert_int_equal(s->outcome, OUT_TIMEOUT);
	/* then the proxy answers, 31 s too late */
	struct ev a = rev(EVK_RADIUS_RESPONSE, 1, SRC_AUTHPROXY_LOG, T0 + S(61), 56);
	a.from = ROLE_PROXY;
	a.to = ROLE_HEADEND;
	a.nas_ip = p.nas_ip;
	a.nas_port = 1645;
	a.radius_id = 165;
	a.code = 3;
	sess_on_event(t, &a);
	assert_int_equal(k.late, 4);
	assert_string_equal(k.late_result[2], "answer");
	assert_int_equal(k.late_pos[2], 132);
	assert_int_equal(k.late_pos[3], 56);
	assert_int_equal(s->late_us, S(31));
	assert_int_equal(s->outcome, OUT_TIMEOUT);  /* the NAS never saw the reject */
	sess_free(t);
}

static void test_capture_only_inferred_give_up(void **st)
{
	(void)st;
	struct sink k = {{on_end}, 0, 0, 0, {{0}}, {0}};
	struct sess_table *t = sess_new(&k.base);
	for (int i = 0; i < 3; i++) {               /* tries every 10 s */
		struct ev r = req(1, SRC_PCAP, T0 + S(10 * i), 7);
		if (i)
			r.kind = EVK_RADIUS_RETRANSMIT;
		r.pos = (uint64_t)i + 1;
		sess_on_event(t, &r);
	}
	/* an answer 5 s after the last try: the NAS was still waiting */
	struct ev a = rev(EVK_RADIUS_RESPONSE, 1, SRC_PCAP, T0 + S(25), 4);
	a.from = ROLE_PROXY;
	a.to = ROLE_HEADEND;
	a.nas_ip = intern_cstr("10.106.54.143");
	a.nas_port = 1645;
	a.radius_id = 7;
	a.code = 2;
	struct session *s = sess_on_event(t, &a);
	assert_int_equal(k.late, 0);
	assert_int_equal(s->outcome, OUT_ACCEPT);
	sess_free(t);

	t = sess_new(&k.base);
	for (int i = 0; i < 3; i++) {
		struct ev r = req(1, SRC_PCAP, T0 + S(10 * i), 7);
		if (i)
			r.kind = EVK_RADIUS_RETRANSMIT;
		r.pos = (uint64_t)i + 1;
		sess_on_event(t, &r);
	}
	/* 40 s after the last try: the NAS had stopped waiting */
	a.ts = T0 + S(60);
	sess_on_event(t, &a);
	assert_int_equal(k.late, 2);
	assert_string_equal(k.late_result[1], "answer");
	assert_int_equal(k.late_pos[0], 3);         /* its last try */
	sess_free(t);
}

static void test_duplicate_push_across_sources(void **st)
{
	(void)st;
	struct sink k = {{on_end}, 0, 0, 0, {{0}}, {0}};
	struct sess_table *t = sess_new(&k.base);
	struct ev p = req(1, SRC_AUTHPROXY_LOG, T0, 40);
	sess_on_event(t, &p);
	struct ev push = rev(EVK_DUO_AUTH_REQUEST, 1, SRC_AUTHPROXY_LOG, T0 + S(1), 5);
	push.user = p.user;
	push.nas_ip = p.nas_ip;
	push.nas_port = 1645;
	push.radius_id = 40;
	sess_on_event(t, &push);
	/* the capture: the NAS retries with a new id while the push waits */
	struct ev n = req(2, SRC_PCAP, T0 + S(11), 41);
	n.user = intern_cstr("Sadks@corp.example");
	struct session *s2 = sess_on_event(t, &n);
	assert_int_not_equal(s2->id, 1);
	assert_int_equal(k.dup, 1);
	/* a retransmit of that one is no new login */
	n.kind = EVK_RADIUS_RETRANSMIT;
	n.ts += S(5);
	sess_on_event(t, &n);
	assert_int_equal(k.dup, 1);
	sess_free(t);
}

static void test_roles_from_configs_then_traffic(void **st)
{
	(void)st;
	struct role_map *m = roles_new();
	struct ev c;
	ev_init(&c, EVK_CONFIG_PROXY_UPSTREAM, SRC_AUTHPROXY_CFG, 1, 5);
	c.result = intern_cstr("host");
	c.server_ip = intern_cstr("10.197.243.116");
	roles_learn(m, &c);
	ev_init(&c, EVK_CONFIG_PROXY_CLIENT, SRC_AUTHPROXY_CFG, 1, 9);
	c.result = intern_cstr("ip");
	c.nas_ip = intern_cstr("10.106.54.0/24");        /* a network names no host */
	roles_learn(m, &c);
	assert_int_equal(roles_of(m, "10.106.54.0/24"), ROLE_NONE);
	/* the router's debug: its server is the proxy, it is the headend */
	struct ev r = req(2, SRC_IOS_DEBUG, T0, 5);
	r.server_ip = intern_cstr("10.197.243.97");
	roles_learn(m, &r);
	assert_int_equal(roles_of(m, "10.197.243.97"), ROLE_PROXY);
	assert_int_equal(roles_of(m, "10.106.54.143"), ROLE_HEADEND);
	/* traffic never overrides a config */
	struct ev x = r;
	x.server_ip = intern_cstr("10.197.243.116");
	roles_learn(m, &x);
	assert_int_equal(roles_of(m, "10.197.243.116"), ROLE_PRIMARY);
	/* a capture's request to the primary, taken for the NAS's leg */
	struct ev p = req(3, SRC_PCAP, T0, 9);
	p.server_ip = intern_cstr("10.197.243.116");
	assert_int_equal(roles_fix(m, &p), 1);
	assert_int_equal(p.from, ROLE_PROXY);
	assert_int_equal(p.to, ROLE_PRIMARY);
	p.kind = EVK_RADIUS_RESPONSE;
	assert_int_equal(roles_fix(m, &p), 1);
	assert_int_equal(p.from, ROLE_PRIMARY);
	assert_int_equal(p.to, ROLE_PROXY);
	/* already right, an unknown server, or not a capture: untouched */
	struct ev q = req(3, SRC_PCAP, T0, 9);
	q.server_ip = intern_cstr("10.197.243.97");
	assert_int_equal(roles_fix(m, &q), 0);
	q.server_ip = intern_cstr("192.0.2.1");
	assert_int_equal(roles_fix(m, &q), 0);
	struct ev l = req(1, SRC_AUTHPROXY_LOG, T0, 9);
	l.server_ip = intern_cstr("10.197.243.116");
	assert_int_equal(roles_fix(m, &l), 0);
	roles_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_center_ignores_outliers),
		cmocka_unit_test(test_zone_then_error),
		cmocka_unit_test(test_year_from_other_source),
		cmocka_unit_test(test_merge_open_sessions),
		cmocka_unit_test(test_ike_and_radius_one_login),
		cmocka_unit_test(test_findings_follow_merge),
		cmocka_unit_test(test_show_records_join_by_keys),
		cmocka_unit_test(test_show_ambiguous_user_stays_apart),
		cmocka_unit_test(test_late_answer_and_pending_push),
		cmocka_unit_test(test_capture_only_inferred_give_up),
		cmocka_unit_test(test_duplicate_push_across_sources),
		cmocka_unit_test(test_roles_from_configs_then_traffic),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
