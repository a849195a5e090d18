/* core: strings, clocks, escaping, keymap, findings, sessions */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/clock.h"
#include "core/escape.h"
#include "core/event.h"
#include "core/finding.h"
#include "core/ident.h"
#include "core/keymap.h"
#include "core/session.h"
#include "core/str.h"

/* hash_bytes reads a short tail with whole loads: the hash must depend on
 * the n bytes alone (not the alignment, not the bytes after them) and on
 * each of them */
static void test_hash_bytes_tail(void **st)
{
	(void)st;
	unsigned char a[48], b[48];
	for (size_t n = 0; n <= 24; n++)
		for (size_t off = 0; off < 8; off++) {
			for (size_t i = 0; i < sizeof a; i++) {
				a[i] = (unsigned char)(i * 37 + n);
				b[i] = (unsigned char)~a[i];      /* other bytes around */
			}
			memcpy(b + off, a + 3, n);
			uint64_t h = hash_bytes(a + 3, n);
			assert_true(hash_bytes(b + off, n) == h);
			for (size_t k = 0; k < n; k++) {
				b[off + k] ^= 0x40;
				assert_true(hash_bytes(b + off, n) != h);
				b[off + k] ^= 0x40;
			}
		}
}

static void test_intern_is_pointer_equal(void **st)
{
	(void)st;
	const char *a = intern("alice", 5);
	char buf[] = "alice";
	assert_ptr_equal(a, intern_cstr(buf));
	assert_ptr_not_equal(a, intern("alicE", 5));
	assert_null(intern_cstr(NULL));
	/* growth keeps old pointers */
	char k[16];
	for (int i = 0; i < 5000; i++) {
		snprintf(k, sizeof k, "u%d", i);
		intern_cstr(k);
	}
	assert_ptr_equal(a, intern("alice", 5));
}

static void test_sbuf_cap(void **st)
{
	(void)st;
	struct sbuf b;
	sbuf_init(&b, 8);
	assert_int_equal(sbuf_adds(&b, "12345678"), 0);
	assert_int_equal(sbuf_addc(&b, 'x'), -1);
	assert_string_equal(sbuf_cstr(&b), "12345678");
	sbuf_free(&b);
}

static void test_clock_rfc3339_roundtrip(void **st)
{
	(void)st;
	int64_t us;
	assert_int_equal(clock_parse_rfc3339("2022-02-08T23:24:50.080854+0530", &us), 0);
	char out[32];
	clock_fmt_rfc3339(out, us);
	assert_string_equal(out, "2022-02-08T17:54:50.080854Z");
	assert_int_equal(clock_parse_rfc3339("2022-02-08T17:54:50Z", &us), 0);
	clock_fmt_rfc3339(out, us);
	assert_string_equal(out, "2022-02-08T17:54:50.000000Z");
	assert_int_equal(clock_parse_rfc3339("2022-13-08T17:54:50Z", &us), -1);
	assert_int_equal(clock_parse_rfc3339("garbage", &us), -1);
	clock_fmt_rfc3339(out, 0);
	assert_string_equal(out, "1970-01-01T00:00:00.000000Z");
}

static void test_clock_local_year_rollover(void **st)
{
	(void)st;
	struct src_clock c;
	clock_init(&c);
	c.year = 2023;
	c.year_from = CF_OPTION;
	int32_t z;
	assert_int_equal(clock_parse_zone("+05:30", &z), 0);
	assert_int_equal(z, 19800);
	c.zone_s = z;
	int64_t a = clock_stamp_local(&c, 0, 12, 31, 23, 59, 59, 0);
	int64_t b = clock_stamp_local(&c, 0, 1, 1, 0, 0, 1, 0);
	assert_int_equal(b - a, 2000000);
	char out[32];
	clock_fmt_rfc3339(out, b);
	assert_string_equal(out, "2023-12-31T18:30:01.000000Z");
}

static void test_escape_text_and_json(void **st)
{
	(void)st;
	struct sbuf b;
	sbuf_init(&b, 0);
	const char evil[] = "bob\033[2J\x07\xff\xc3\xa9";
	assert_int_equal(esc_text(&b, evil, sizeof evil - 1), 0);
	assert_string_equal(sbuf_cstr(&b), "bob\\x1b[2J\\x07\\xff\xc3\xa9");
	sbuf_reset(&b);
	assert_int_equal(esc_json(&b, evil, sizeof evil - 1), 0);
	assert_string_equal(sbuf_cstr(&b), "bob\\u001b[2J\\u0007\\u00ff\xc3\xa9");
	sbuf_reset(&b);
	assert_int_equal(esc_html(&b, "<a href='x'>&", 13), 0);
	assert_string_equal(sbuf_cstr(&b), "&lt;a href=&#39;x&#39;&gt;&amp;");
	/* plain runs are copied whole: runs before, between and after escapes */
	sbuf_reset(&b);
	const char mixed[] = "DOM\\bob \"q\"\tend";
	assert_int_equal(esc_text(&b, mixed, sizeof mixed - 1), 0);
	assert_string_equal(sbuf_cstr(&b), "DOM\\\\bob \"q\"\\tend");
	sbuf_reset(&b);
	assert_int_equal(esc_json(&b, mixed, sizeof mixed - 1), 0);
	assert_string_equal(sbuf_cstr(&b), "DOM\\\\bob \\\"q\\\"\\tend");
	sbuf_free(&b);
	/* fputs_*: the no-escape fast path and the escaping path agree */
	char *out = NULL;
	size_t on = 0;
	FILE *f = open_memstream(&out, &on);
	fputs_text(f, "plain");
	fputs_text(f, "a\\b");
	fputs_json(f, "plain");
	fputs_json(f, "q\"");
	fputs_json(f, NULL);
	fclose(f);
	assert_string_equal(out, "plaina\\\\b\"plain\"\"q\\\"\"null");
	free(out);
}

static void test_keymap_expiry(void **st)
{
	(void)st;
	struct keymap *km = keymap_new(0);
	struct keybuf k;
	key_start(&k, 'R');
	key_str(&k, "10.0.0.1");
	key_int(&k, 1645);
	keymap_put(km, k.b, k.n, 7, 1000);
	assert_int_equal(keymap_get(km, k.b, k.n, 999), 7);
	assert_int_equal(keymap_get(km, k.b, k.n, 1001), 0);
	assert_int_equal(keymap_expire(km, 2000), 1);
	assert_int_equal(keymap_size(km), 0);
	keymap_free(km);
}

static void test_user_norm(void **st)
{
	(void)st;
	assert_ptr_equal(user_norm("CORP\\Alice"), user_norm("alice@corp.example"));
	assert_true(user_matches("ALICE", "alice"));
	assert_false(user_matches("alice", "bob"));
}

static void test_findings_merge_and_supersede(void **st)
{
	(void)st;
	struct finding_set *fs = findings_new();
	int created;
	struct finding *a = findings_get(fs, "radius-timeout", 3, NULL, &created);
	assert_true(created);
	finding_add_evidence(a, 1, 10, 5, "line 10", 7);
	finding_add_evidence(a, 1, 10, 5, "line 10", 7);
	assert_int_equal(a->nev, 1);
	struct finding *b = findings_get(fs, "primary-timeout", 3, NULL, &created);
	finding_add_evidence(b, 1, 11, 6, "line 11", 7);
	struct finding *c = findings_get(fs, "radius-timeout", 4, NULL, &created);
	finding_add_evidence(c, 1, 12, 7, "line 12", 7);
	assert_ptr_equal(findings_get(fs, "radius-timeout", 3, NULL, &created), a);
	assert_false(created);
	findings_supersede(fs, "primary-timeout", "radius-timeout");
	findings_finalize(fs);
	assert_true(a->suppressed);
	assert_false(b->suppressed);
	assert_false(c->suppressed);
	findings_free(fs);
}

struct end_count {
	struct ev_sink base;
	int n;
	const char *last_outcome;
};

static void count_end(struct ev_sink *s, struct ev *e)
{
	struct end_count *c = (struct end_count *)s;
	c->n++;
	c->last_outcome = e->result;
}

static struct ev radius_ev(unsigned kind, int64_t ts, int id, int code)
{
	struct ev e;
	ev_init(&e, kind, SRC_AUTHPROXY_LOG, 1, (uint64_t)ts);
	e.ts = ts * 1000000;
	e.nas_ip = intern_cstr("10.106.54.143");
	e.nas_port = 1645;
	e.radius_id = id;
	e.user = intern_cstr("sadks");
	e.code = code;
	if (kind == EVK_RADIUS_RESPONSE) {
		e.from = ROLE_PROXY;
		e.to = ROLE_HEADEND;
	}
	return e;
}

static void test_session_dup_window_and_reuse(void **st)
{
	(void)st;
	struct end_count ec = {{count_end}, 0, NULL};
	struct sess_table *t = sess_new(&ec.base);
	struct ev e = radius_ev(EVK_RADIUS_REQUEST, 100, 163, -1);
	struct session *s1 = sess_on_event(t, &e);
	assert_non_null(s1);
	e = radius_ev(EVK_RADIUS_RETRANSMIT, 110, 163, -1);
	assert_ptr_equal(sess_on_event(t, &e), s1);
	e = radius_ev(EVK_RADIUS_RESPONSE, 120, 163, 2);
	assert_ptr_equal(sess_on_event(t, &e), s1);
	assert_int_equal(s1->outcome, OUT_ACCEPT);
	assert_int_equal(s1->retransmits, 1);
	/* a duplicate inside the 30 s window still joins */
	e = radius_ev(EVK_RADIUS_RETRANSMIT, 140, 163, -1);
	assert_ptr_equal(sess_on_event(t, &e), s1);
	/* past the window the same id is a new login */
	sess_advance(t, 200 * 1000000LL);
	assert_int_equal(ec.n, 1);
	assert_string_equal(ec.last_outcome, "accept");
	e = radius_ev(EVK_RADIUS_REQUEST, 200, 163, -1);
	struct session *s2 = sess_on_event(t, &e);
	assert_non_null(s2);
	assert_int_not_equal(s2->id, s1->id);
	sess_finish(t);
	assert_int_equal(ec.n, 2);
	assert_string_equal(ec.last_outcome, "incomplete");
	sess_free(t);
}

/* A closed login's stage array is shrunk to fit; a time-less record that
 * still joins it by key (show output) must grow it again (fuzz crash). */
static void test_session_stages_grow_after_shrink(void **st)
{
	(void)st;
	struct sess_table *t = sess_new(NULL);
	struct ev e = radius_ev(EVK_RADIUS_REQUEST, 100, 7, -1);
	struct session *s = sess_on_event(t, &e);
	assert_non_null(s);
	sess_finish(t);
	assert_int_equal(s->closed, 1);
	assert_int_equal(s->cap_stage, 1);
	for (int i = 0; i < 20; i++) {
		struct ev r = radius_ev(EVK_RADIUS_RETRANSMIT, 100, 7, -1);
		r.ts = EV_NO_TS;
		struct session *j = sess_on_event(t, &r);
		if (j)
			assert_true(j->nstage <= j->cap_stage);
	}
	sess_free(t);
}

/* The compact stage keeps wide refs; counters of a login seen by several
 * inputs (kept apart from the first one's) give the largest count of any
 * one input, not their sum. */
static void test_session_stage_refs_and_vantage_points(void **st)
{
	(void)st;
	struct sess_table *t = sess_new(NULL);
	struct ev e = radius_ev(EVK_RADIUS_REQUEST, 100, 9, -1);
	e.input = 70000;
	e.pos = (1ULL << 39) + 5;
	struct session *s = sess_on_event(t, &e);
	assert_non_null(s);
	assert_int_equal(s->stages[0].input, 70000);
	assert_true(s->stages[0].pos == (1ULL << 39) + 5);
	assert_int_equal(s->stages[0].kind, EVK_RADIUS_REQUEST);
	/* the same request and two retransmits seen by a second input, one
	 * retransmit by a third */
	for (uint32_t in = 2; in <= 3; in++) {
		e = radius_ev(EVK_RADIUS_REQUEST, 100, 9, -1);
		e.input = in;
		assert_ptr_equal(sess_on_event(t, &e), s);
	}
	for (int i = 0; i < 2; i++) {
		e = radius_ev(EVK_RADIUS_RETRANSMIT, 101 + i, 9, -1);
		e.input = 2;
		assert_ptr_equal(sess_on_event(t, &e), s);
	}
	e = radius_ev(EVK_RADIUS_RETRANSMIT, 102, 9, -1);
	e.input = 3;
	assert_ptr_equal(sess_on_event(t, &e), s);
	assert_int_equal(s->requests, 1);
	assert_int_equal(s->retransmits, 2);
	assert_int_equal(s->nvp, 3);
	assert_int_equal(s->nstage, 6);
	sess_finish(t);
	sess_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_intern_is_pointer_equal),
		cmocka_unit_test(test_hash_bytes_tail),
		cmocka_unit_test(test_sbuf_cap),
		cmocka_unit_test(test_clock_rfc3339_roundtrip),
		cmocka_unit_test(test_clock_local_year_rollover),
		cmocka_unit_test(test_escape_text_and_json),
		cmocka_unit_test(test_keymap_expiry),
		cmocka_unit_test(test_user_norm),
		cmocka_unit_test(test_findings_merge_and_supersede),
		cmocka_unit_test(test_session_dup_window_and_reuse),
		cmocka_unit_test(test_session_stages_grow_after_shrink),
		cmocka_unit_test(test_session_stage_refs_and_vantage_points),
	};
	int rc = cmocka_run_group_tests_name("core", tests, NULL, NULL);
	str_shutdown();
	return rc;
}
