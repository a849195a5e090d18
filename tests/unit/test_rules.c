/* rules: the parser's errors, expressions, each kind's firing semantics on
 * event time, templates, precedence, meta rules, regex limits. Events are
 * synthetic (ev_init), so these tests need no parser. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/event.h"
#include "core/finding.h"
#include "core/input.h"
#include "core/rulemeta.h"
#include "core/session.h"
#include "core/str.h"
#include "rules/engine.h"
#include "rules/rules_int.h"

#define S(x) ((int64_t)(x) * 1000000)
#define T0 S(1700000000)

/* ---- helpers ---- */

struct lintres {
	int errors;
	char *out;
};

/* Load text as "t.rules"; returns the error count and what was printed. */
static struct lintres lint(const char *text)
{
	struct lintres r;
	size_t n;
	FILE *f = open_memstream(&r.out, &n);
	struct rules *rs = rules_new();
	r.errors = rules_load_text(rs, "t.rules", text, strlen(text), f);
	if (!r.errors)
		r.errors = rules_check(rs, f, 1);
	fclose(f);
	rules_free(rs);
	return r;
}

static void expect_error(const char *text, const char *msg)
{
	struct lintres r = lint(text);
	if (!strstr(r.out, msg))
		fail_msg("expected \"%s\" in:\n%s", msg, r.out);
	assert_true(r.errors > 0);
	free(r.out);
}

struct world {
	struct rules *r;
	struct finding_set *fs;
	struct sess_table *st;
	char *diag;
	size_t ndiag;
	FILE *df;
};

static struct world *world(const char *text, int builtin)
{
	struct world *w = xcalloc(1, sizeof *w);
	w->r = rules_new();
	w->df = open_memstream(&w->diag, &w->ndiag);
	rules_set_diag(w->r, w->df);
	if (builtin)
		assert_int_equal(rules_load_builtin(w->r, stderr), 0);
	if (text)
		assert_int_equal(rules_load_text(w->r, "t.rules", text, strlen(text), stderr), 0);
	w->fs = findings_new();
	w->st = NULL;
	return w;
}

static void bind(struct world *w)
{
	rules_bind(w->r, w->fs, w->st);
}

static void world_free(struct world *w)
{
	rules_free(w->r);
	findings_free(w->fs);
	if (w->st)
		sess_free(w->st);
	fclose(w->df);
	free(w->diag);
	free(w);
	rulemeta_reset();
	input_reset_all();
}

static struct ev mk(unsigned kind, int64_t ts, const char *user, uint64_t pos)
{
	struct ev e;
	ev_init(&e, kind, SRC_AUTHPROXY_LOG, 1, pos);
	e.ts = ts;
	e.user = intern_cstr(user);
	e.raw = "the raw line";
	e.raw_len = strlen(e.raw);
	return e;
}

static size_t nfound(struct world *w, const char *rule)
{
	size_t n = 0;
	for (size_t i = 0; i < findings_count(w->fs); i++)
		if (!strcmp(findings_at(w->fs, i)->rule, rule))
			n++;
	return n;
}

static struct finding *first(struct world *w, const char *rule)
{
	for (size_t i = 0; i < findings_count(w->fs); i++)
		if (!strcmp(findings_at(w->fs, i)->rule, rule))
			return findings_at(w->fs, i);
	return NULL;
}

/* ---- parser ---- */

static void test_parse_errors_name_file_and_line(void **st)
{
	(void)st;
	expect_error("rule a\nkind match\non radius.request\nusr x\nseverity error\ntitle t\nsay s\n",
		     "t.rules:4: unknown key 'usr'");
	expect_error("rule a\nkind match\non radius.request\nwehre x\n",
		     "t.rules:4: unknown key 'wehre' (did you mean 'where'?)");
	expect_error("rule a\nkind match\non radius.request\nwhere usr == alice\nseverity error\ntitle t\nsay s\n",
		     "t.rules:4: unknown field 'usr' (did you mean 'user'?)");
	expect_error("rule a\nkind match\non radius.requets\nseverity error\ntitle t\nsay s\n",
		     "t.rules:3: unknown event kind 'radius.requets' (did you mean 'radius.request'?)");
	expect_error("rule a\nkind match\non radius.request\nwhere session.outcom == accept\nseverity error\ntitle t\nsay s\n",
		     "t.rules:4: unknown field 'session.outcom' (did you mean 'session.outcome'?)");
	expect_error("rule a\nkind match\non radius.request\nwhere text ~ /(ab/\nseverity error\ntitle t\nsay s\n",
		     "t.rules:4: regex /(ab/ does not compile");
	expect_error("rule a\nkind absence\non radius.request\nexpect radius.response\nlink nas_ip\n"
		     "within 10\nseverity error\ntitle t\nsay s\n",
		     "t.rules:6: bad duration '10' for 'within'");
	expect_error("rule a\nkind threshold\non radius.request\ncount >= 0\nseverity error\ntitle t\nsay s\n",
		     "t.rules:4: count >= 0 can never mean anything");
	expect_error("rule a\nkind absence\non radius.request\nseverity error\ntitle t\nsay s\n",
		     "t.rules:1: rule a (kind absence) needs 'expect'");
	expect_error("rule a\nkind match\non radius.request\nseverity error\nseverity info\ntitle t\nsay s\n",
		     "t.rules:5: duplicate key 'severity' (first at line 4)");
	expect_error("rule a\nkind match\non radius.request\nseverity error\ntitle t\nsay s\n\n"
		     "rule a\nkind match\non radius.request\nseverity error\ntitle t\nsay s\n",
		     "t.rules:8: duplicate rule id 'a'");
	expect_error("rule a\nkind match\non radius.request\nlink user\nseverity error\ntitle t\nsay s\n",
		     "t.rules:4: 'link' does not apply to kind match");
	expect_error("rule a\nkind match\non radius.request\nseverity error\ntitle t\nsay ${delta}\n",
		     "t.rules:6: unknown field 'delta' in template");
	expect_error("rule A_b\nkind match\n", "t.rules:1: rule id 'A_b' must be lower-case");
	expect_error("kind match\n", "t.rules:1: a rule starts with 'rule ID'");
	expect_error("rule a\nkind match\non radius.request\nwhere code == abc\nseverity error\ntitle t\nsay s\n",
		     "t.rules:4: field 'code' is a number; 'abc' is not");
	expect_error("rule a\nkind match\non radius.request\nwhere from == primery\nseverity error\ntitle t\nsay s\n",
		     "t.rules:4: unknown role 'primery'");
	expect_error("rule a\nkind correlate\nseq radius.request\nwithin 5s\nseverity error\ntitle t\nsay s\n",
		     "seq needs at least two steps");
	expect_error("rule a\nkind match\non radius.request\nseverity fatal\ntitle t\nsay s\n",
		     "t.rules:4: unknown severity 'fatal'");
	expect_error("rule a\nkind match\non radius.request\nwhere user == alice &&\nseverity error\ntitle t\nsay s\n",
		     "t.rules:4: expected a field name");
	/* errors point at the physical line of a continued value */
	expect_error("rule a\nkind match\non radius.request\nwhere user == alice\n   && usr == bob\n"
		     "severity error\ntitle t\nsay s\n",
		     "t.rules:5: unknown field 'usr'");
}

static void test_parse_good_file_and_continuations(void **st)
{
	(void)st;
	const char *text =
		"# a comment\n"
		"rule     good-one      # trailing comment\n"
		"kind     match\n"
		"on       radius.request, proxy.*\n"
		"where    (user == alice || user in {bob, \"carol x\"}) && !(code >= 3)\n"
		"         && text !~ /x#y/i && exists nas_ip\n"
		"severity warning\n"
		"title    \"A title\"\n"
		"say      ${user} said \\#1\n"
		"hint     first line\n"
		"  second line\n"
		"explain  Long text\n"
		"# a comment inside the block\n"
		"         continues.\n"
		"\n"
		"\n"
		"rule other\n"
		"kind match\n"
		"on finding\n"
		"where text == good-one\n"
		"severity info\n"
		"title o\n"
		"say o\n"
		"supersedes good-one\n";
	struct lintres r = lint(text);
	assert_string_equal(r.out, "");
	assert_int_equal(r.errors, 0);
	free(r.out);
	const struct rule_meta *m = rulemeta_get("good-one");
	assert_non_null(m);
	assert_string_equal(m->title, "A title");
	assert_string_equal(m->hint, "first line second line");
	assert_string_equal(m->explain, "Long text continues.");
	assert_int_equal(m->line, 2);
	assert_int_equal(m->sev, SEV_WARNING);
	rulemeta_reset();
}

static void test_supersedes_unknown_is_a_warning(void **st)
{
	(void)st;
	struct lintres r = lint("rule a\nkind match\non radius.request\nseverity error\ntitle t\nsay s\n"
				"supersedes not-here\n");
	assert_int_equal(r.errors, 0);
	assert_non_null(strstr(r.out, "t.rules:7: warning: rule a supersedes 'not-here'"));
	free(r.out);
	rulemeta_reset();
}

static void test_meta_rules_in_a_loop_are_an_error(void **st)
{
	(void)st;
	struct lintres r = lint(
		"rule a\nkind match\non finding\nwhere text == b\nseverity error\ntitle t\nsay s\n\n"
		"rule b\nkind correlate\nseq finding where text == a, radius.request\nwithin 5s\n"
		"severity error\ntitle t\nsay s\n");
	assert_true(r.errors > 0);
	assert_non_null(strstr(r.out, "feed each other"));
	free(r.out);
	rulemeta_reset();
}

static void test_user_file_overrides_builtin_not_itself(void **st)
{
	(void)st;
	struct rules *r = rules_new();
	assert_int_equal(rules_load_builtin(r, stderr), 0);
	size_t n = rules_count(r);
	const char *mine = "rule input-damaged\nkind match\non input.damaged\nseverity info\ntitle mine\nsay s\n";
	assert_int_equal(rules_load_text(r, "mine.rules", mine, strlen(mine), stderr), 0);
	assert_int_equal(rules_count(r), n);
	assert_string_equal(rulemeta_get("input-damaged")->title, "mine");
	assert_int_equal(rulemeta_get("input-damaged")->builtin, 0);
	char *out;
	size_t on;
	FILE *f = open_memstream(&out, &on);
	assert_int_equal(rules_load_text(r, "other.rules", mine, strlen(mine), f), 1);
	fclose(f);
	assert_non_null(strstr(out, "other.rules:1: duplicate rule id 'input-damaged' (first defined at mine.rules:1)"));
	free(out);
	rules_free(r);
	rulemeta_reset();
}

/* ---- expressions ---- */

static int eval_on(const char *expr, const struct ev *e)
{
	struct diag d = {.file = "x", .err = stderr, .line = 1};
	struct expr *x = expr_compile(expr, strlen(expr), 0, &d);
	assert_non_null(x);
	struct evctx c = {.e = e};
	int v = expr_eval(x, &c);
	expr_free(x);
	return v;
}

static void test_expressions(void **st)
{
	(void)st;
	struct ev e = mk(EVK_RADIUS_RESPONSE, T0, "alice", 1);
	e.code = 3;
	e.num = 1500000;            /* 1.5 s */
	e.from = ROLE_PRIMARY;
	e.text = intern_cstr("No reply message in packet");
	e.result = intern_cstr("52e");
	assert_int_equal(eval_on("user == alice", &e), 1);
	assert_int_equal(eval_on("user != alice", &e), 0);
	assert_int_equal(eval_on("user == \"alice\"", &e), 1);
	assert_int_equal(eval_on("code == 3 && from == primary", &e), 1);
	assert_int_equal(eval_on("code > 2 && code <= 3 && code < 4 && code >= 3", &e), 1);
	assert_int_equal(eval_on("num > 1s && num < 2s && num == 1500ms", &e), 1);
	assert_int_equal(eval_on("code in {2, 11}", &e), 0);
	assert_int_equal(eval_on("user in {bob, alice}", &e), 1);
	assert_int_equal(eval_on("text ~ /no REPLY/i", &e), 1);
	assert_int_equal(eval_on("text ~ /^No reply$/", &e), 0);
	assert_int_equal(eval_on("text !~ /Invalid/", &e), 1);
	assert_int_equal(eval_on("result == 52e", &e), 1);
	assert_int_equal(eval_on("code ~ /^3$/", &e), 1);
	assert_int_equal(eval_on("kind == radius.response && source == authproxy-log", &e), 1);
	/* precedence: && binds tighter than ||, ! tighter than both */
	assert_int_equal(eval_on("user == bob && code == 3 || code == 3", &e), 1);
	assert_int_equal(eval_on("user == bob && (code == 3 || code == 3)", &e), 0);
	assert_int_equal(eval_on("!user == bob", &e), 1);
	/* absent fields: exists; == < ~ in are false, != and !~ (their
	 * negations) true */
	assert_int_equal(eval_on("exists nas_ip", &e), 0);
	assert_int_equal(eval_on("exists user", &e), 1);
	assert_int_equal(eval_on("nas_ip == 10.0.0.1", &e), 0);
	assert_int_equal(eval_on("nas_ip != 10.0.0.1", &e), 1);
	assert_int_equal(eval_on("nas_ip ~ /10/", &e), 0);
	assert_int_equal(eval_on("nas_ip !~ /10/", &e), 1);
	assert_int_equal(eval_on("nas_ip in {10.0.0.1}", &e), 0);
	assert_int_equal(eval_on("!(nas_ip == 10.0.0.1)", &e), 1);
	assert_int_equal(eval_on("radius_id < 5", &e), 0);
	/* session facts without a session are absent */
	assert_int_equal(eval_on("exists session.outcome", &e), 0);
}

static void test_durations_and_numbers(void **st)
{
	(void)st;
	int64_t us;
	int dur;
	assert_int_equal(parse_duration("500ms", 5, &us), 0);
	assert_int_equal(us, 500000);
	assert_int_equal(parse_duration("1m30s", 5, &us), 0);
	assert_int_equal(us, S(90));
	assert_int_equal(parse_duration("2h", 2, &us), 0);
	assert_int_equal(us, S(7200));
	assert_int_equal(parse_duration("1.5s", 4, &us), 0);
	assert_int_equal(us, 1500000);
	assert_int_equal(parse_duration("10", 2, &us), -1);
	assert_int_equal(parse_duration("10x", 3, &us), -1);
	assert_int_equal(parse_duration("s", 1, &us), -1);
	assert_int_equal(parse_duration("99999999999999999999h", 21, &us), -1);
	assert_int_equal(parse_number("-1", 2, &us, &dur), 0);
	assert_int_equal(us, -1);
	assert_int_equal(parse_number("0x1f", 4, &us, &dur), 0);
	assert_int_equal(us, 31);
	assert_int_equal(parse_number("52e", 3, &us, &dur), -1);
	char b[32];
	fmt_duration(b, sizeof b, 850);
	assert_string_equal(b, "850us");
	fmt_duration(b, sizeof b, 120000);
	assert_string_equal(b, "120ms");
	fmt_duration(b, sizeof b, 1500000);
	assert_string_equal(b, "1.5s");
	fmt_duration(b, sizeof b, S(10));
	assert_string_equal(b, "10s");
	fmt_duration(b, sizeof b, S(125));
	assert_string_equal(b, "2m5s");
	fmt_duration(b, sizeof b, S(3720));
	assert_string_equal(b, "1h2m");
}

static void test_regex_literal_prefilter(void **st)
{
	(void)st;
	char eb[128];
	size_t n;
	struct {
		const char *re;
		const char *lit;    /* NULL: no prefilter */
	} cases[] = {
		{"Cannot decode password", "Cannot decode password"},
		{"^Request timeout for \\(outgoing\\) id [0-9]+", "Request timeout for (outgoing) id "},
		{"abc?def", "def"},          /* c is optional */
		{"ab*cdef", "cdef"},
		{"foo|barbaz", NULL},        /* alternation: nothing is certain */
		{"(?i)hello", NULL},
		{"x\\d+yz", "yz"},
		{"(optional)?tail", "tail"},
		{"a.b", NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct regex *re = regex_compile(cases[i].re, strlen(cases[i].re), "", eb, sizeof eb);
		assert_non_null(re);
		const char *l = regex_literal(re, &n);
		if (!cases[i].lit) {
			if (l)
				fail_msg("/%s/: unexpected prefilter '%s'", cases[i].re, l);
		} else {
			if (!l || strcmp(l, cases[i].lit))
				fail_msg("/%s/: prefilter '%s', want '%s'", cases[i].re, l ? l : "(none)",
					 cases[i].lit);
			/* and the prefilter never hides a match */
		}
		regex_free(re);
	}
	struct regex *re = regex_compile("ab?c", 4, "", eb, sizeof eb);
	assert_int_equal(regex_match(re, "xacx", 4), 1);
	assert_int_equal(regex_match(re, "xabcx", 5), 1);
	assert_int_equal(regex_match(re, "xbx", 3), 0);
	regex_free(re);
	re = regex_compile("Hello", 5, "i", eb, sizeof eb);
	assert_int_equal(regex_match(re, "say HELLO", 9), 1);
	regex_free(re);
	assert_null(regex_compile("x", 1, "q", eb, sizeof eb));
	assert_non_null(strstr(eb, "unknown regex flag"));
}

/* A regex that backtracks forever hits its match limit: the rule is turned
 * off, the run and the other rules go on. */
static void test_regex_limit_fails_the_rule_not_the_run(void **st)
{
	(void)st;
	struct world *w = world(
		"rule evil\nkind match\non proxy.note\nwhere text ~ /^(a|aa)+$/\nseverity error\ntitle t\nsay s\n\n"
		"rule fine\nkind match\non proxy.note\nseverity info\ntitle t\nsay ${text}\n", 0);
	bind(w);
	char big[200];
	memset(big, 'a', sizeof big - 2);
	big[sizeof big - 2] = 'b';
	big[sizeof big - 1] = 0;
	struct ev e = mk(EVK_PROXY_NOTE, T0, "alice", 1);
	e.text = intern_cstr(big);
	rules_on_event(w->r, &e);
	e.pos = 2;
	e.text = intern_cstr("aaaa");  /* would match, but the rule is off now */
	rules_on_event(w->r, &e);
	rules_finish(w->r);
	fflush(w->df);
	assert_non_null(strstr(w->diag, "rule evil"));
	assert_non_null(strstr(w->diag, "turned off"));
	assert_int_equal(nfound(w, "evil"), 0);
	assert_int_equal(nfound(w, "fine"), 1);
	assert_int_equal(first(w, "fine")->nev, 2);
	world_free(w);
}

/* ---- match ---- */

static void test_match_keys_and_evidence(void **st)
{
	(void)st;
	struct world *w = world(
		"rule rej\nkind match\non proxy.primary_reject\nwhere text ~ /reply/\nseverity error\n"
		"title t\nsay ${user}: rejected by ${server_ip} (${text}) [${rule}] x${count}\nhint check ${nas_ip}\n\n"
		"rule per-input\nkind match\non proxy.primary_reject\nkey input\nseverity info\ntitle t\nsay ${input} ${count}\n\n"
		"rule per-user\nkind match\non proxy.primary_reject\nkey user\nseverity info\ntitle t\nsay ${key}\n", 0);
	struct input *in = input_new("logs/authproxy.log", SRC_AUTHPROXY_LOG);
	bind(w);
	for (int i = 0; i < 3; i++) {
		struct ev e = mk(EVK_PROXY_PRIMARY_REJECT, T0 + S(i), i == 2 ? "bob" : "alice", (uint64_t)(10 + i));
		e.input = in->id;
		e.session = (uint32_t)(i == 2 ? 2 : 1);
		e.server_ip = intern_cstr("10.1.1.1");
		e.text = intern_cstr("No reply message in packet");
		rules_on_event(w->r, &e);
	}
	struct ev other = mk(EVK_PROXY_PRIMARY_REJECT, T0, "carol", 99);
	other.input = 0;   /* no input, no session: per-input falls back to the user */
	other.text = intern_cstr("nothing here");
	rules_on_event(w->r, &other);
	rules_finish(w->r);
	findings_finalize(w->fs);
	assert_int_equal(nfound(w, "rej"), 2);         /* sessions 1 and 2 */
	struct finding *f = first(w, "rej");
	assert_int_equal(f->session, 1);
	assert_int_equal(f->nev, 2);
	assert_int_equal(f->sev, SEV_ERROR);
	assert_string_equal(f->user, "alice");
	assert_string_equal(f->summary,
			    "alice: rejected by 10.1.1.1 (No reply message in packet) [rej] x2");
	assert_string_equal(f->hint, "check ?");
	assert_string_equal(f->ev[0].text, "the raw line");
	assert_int_equal(f->ev[0].pos, 10);
	assert_int_equal(f->ts, T0);
	assert_int_equal(nfound(w, "per-input"), 2);   /* the log, and carol's */
	f = first(w, "per-input");
	assert_string_equal(f->key, "logs/authproxy.log");
	assert_string_equal(f->summary, "logs/authproxy.log 3");
	assert_int_equal(nfound(w, "per-user"), 3);
	world_free(w);
}

static void test_templates_session_facts_and_units(void **st)
{
	(void)st;
	struct ev e;
	struct world *w = world(
		"rule slow\nkind match\non session.end\nwhere session.push_latency > 30s\nseverity warning\n"
		"title t\nsay ${user}: push took ${session.push_latency}, total ${num:dur}, "
		"outcome ${session.outcome}, ended ${session.end}, spi ${spi_i}, ${session.client_ip}\n", 0);
	w->st = sess_new(NULL);
	bind(w);
	/* a session from a real shape of events */
	e = mk(EVK_RADIUS_REQUEST, T0, "alice", 1);
	e.nas_ip = intern_cstr("10.0.0.1");
	e.nas_port = 1812;
	e.radius_id = 7;
	e.from = ROLE_HEADEND;
	e.to = ROLE_PROXY;
	struct session *s = sess_on_event(w->st, &e);
	assert_non_null(s);
	s->push_latency_us = S(42) + 300000;
	s->end = T0 + S(50);
	s->outcome = OUT_REJECT;
	struct ev end;
	ev_init(&end, EVK_SESSION_END, SRC_UNKNOWN, 0, 0);
	end.ts = T0 + S(50);
	end.session = s->id;
	end.user = s->user;
	end.num = S(50);
	end.spi_i = 0xabcdef;
	rules_on_event(w->r, &end);
	struct finding *f = first(w, "slow");
	assert_non_null(f);
	assert_string_equal(f->summary, "alice: push took 42.3s, total 50s, outcome reject, "
			    "ended 2023-11-14T22:14:10.000000Z, spi 0000000000abcdef, ?");
	world_free(w);
}

static void test_severity_override_and_none(void **st)
{
	(void)st;
	struct world *w = world("rule a\nkind match\non proxy.note\nseverity error\ntitle t\nsay s\n\n"
				"rule b\nkind match\non proxy.note\nseverity error\ntitle t\nsay s\n", 0);
	assert_int_equal(rules_set_severity(w->r, "a", SEV_INFO), 0);
	assert_int_equal(rules_set_severity(w->r, "b", SEV_NONE), 0);
	assert_int_equal(rules_set_severity(w->r, "nope", SEV_INFO), -1);
	assert_int_equal(rulemeta_get("a")->sev, SEV_INFO);
	bind(w);
	struct ev e = mk(EVK_PROXY_NOTE, T0, "alice", 1);
	rules_on_event(w->r, &e);
	assert_int_equal(first(w, "a")->sev, SEV_INFO);
	assert_int_equal(nfound(w, "b"), 0);   /* none turns a rule off */
	world_free(w);
}

/* ---- absence ---- */

#define ABSENCE \
	"rule unanswered\nkind absence\non radius.request\nexpect radius.response\n" \
	"expect-where code in {2, 3, 11}\nlink nas_ip, radius_id\nwithin 10s\nseverity error\n" \
	"title t\nsay ${user}: no answer to id ${radius_id} within ${within} (${count} tries)\n"

static struct ev req(int64_t ts, int id, uint64_t pos)
{
	struct ev e = mk(EVK_RADIUS_REQUEST, ts, "alice", pos);
	e.nas_ip = intern_cstr("10.0.0.1");
	e.radius_id = id;
	return e;
}

static struct ev resp(int64_t ts, int id, int code, uint64_t pos)
{
	struct ev e = req(ts, id, pos);
	e.kind = EVK_RADIUS_RESPONSE;
	e.code = code;
	return e;
}

static void test_absence_fires_on_event_time(void **st)
{
	(void)st;
	struct world *w = world(ABSENCE, 0);
	bind(w);
	struct ev e = req(T0, 5, 1);
	rules_on_event(w->r, &e);
	e = req(T0 + S(1), 6, 2);
	rules_on_event(w->r, &e);
	/* id 6 is answered in time; the link must match (id 5 is not) */
	e = resp(T0 + S(3), 6, 2, 3);
	rules_on_event(w->r, &e);
	/* a response whose code fails expect-where does not close id 5 */
	e = resp(T0 + S(4), 5, 99, 4);
	rules_on_event(w->r, &e);
	/* 9.9 s of event time: nothing yet, whatever the wall clock says */
	rules_advance(w->r, T0 + S(9) + 900000);
	assert_int_equal(nfound(w, "unanswered"), 0);
	/* exactly at the deadline a response is still in time ... */
	rules_advance(w->r, T0 + S(10));
	assert_int_equal(nfound(w, "unanswered"), 0);
	/* ... past it the rule fires */
	rules_advance(w->r, T0 + S(10) + 1);
	assert_int_equal(nfound(w, "unanswered"), 1);
	struct finding *f = first(w, "unanswered");
	assert_int_equal(f->open_at_end, 0);
	assert_string_equal(f->summary, "alice: no answer to id 5 within 10s (1 tries)");
	assert_int_equal(f->nev, 1);
	assert_int_equal(f->ev[0].pos, 1);
	/* a late response changes nothing, and the timer is gone */
	e = resp(T0 + S(12), 5, 2, 5);
	rules_on_event(w->r, &e);
	rules_finish(w->r);
	assert_int_equal(nfound(w, "unanswered"), 1);
	assert_int_equal(first(w, "unanswered")->nev, 1);
	world_free(w);
}

static void test_absence_open_at_end_and_linked_events(void **st)
{
	(void)st;
	struct world *w = world(ABSENCE, 0);
	bind(w);
	struct ev e = req(T0, 9, 1);
	rules_on_event(w->r, &e);
	e = req(T0 + S(5), 9, 2);           /* a retransmission: same identity */
	rules_on_event(w->r, &e);
	rules_advance(w->r, T0 + S(12));     /* 12 s after the first, 7 after the second */
	assert_int_equal(nfound(w, "unanswered"), 0);
	rules_finish(w->r);                  /* input ends with the timer open */
	assert_int_equal(nfound(w, "unanswered"), 1);
	struct finding *f = first(w, "unanswered");
	assert_int_equal(f->open_at_end, 1);
	assert_int_equal(f->nev, 2);
	assert_non_null(strstr(f->summary, "the input ended before the 10s window closed"));
	world_free(w);
}

/* ---- threshold ---- */

static void test_threshold_sliding_window_fires_once(void **st)
{
	(void)st;
	struct world *w = world(
		"rule burst\nkind threshold\non proxy.primary_reject\nkey user\nwithin 1m\ncount >= 3\n"
		"severity warning\ntitle t\nsay ${user}: ${count} rejects in ${within}\n", 0);
	bind(w);
	/* three events spread over more than a minute: never three in the window */
	int64_t t[] = {0, 40, 80, 120};
	for (int i = 0; i < 4; i++) {
		struct ev e = mk(EVK_PROXY_PRIMARY_REJECT, T0 + S(t[i]), "alice", (uint64_t)(i + 1));
		rules_on_event(w->r, &e);
	}
	assert_int_equal(nfound(w, "burst"), 0);
	/* three inside one minute: fires at the third, once */
	for (int i = 0; i < 5; i++) {
		struct ev e = mk(EVK_PROXY_PRIMARY_REJECT, T0 + S(300 + i), "alice", (uint64_t)(10 + i));
		rules_on_event(w->r, &e);
		if (i == 1)
			assert_int_equal(nfound(w, "burst"), 0);
	}
	struct ev b = mk(EVK_PROXY_PRIMARY_REJECT, T0 + S(301), "bob", 50);
	rules_on_event(w->r, &b);
	assert_int_equal(nfound(w, "burst"), 1);
	struct finding *f = first(w, "burst");
	/* the 4th and 5th joined the finding: one finding, count updated */
	assert_string_equal(f->summary, "alice: 5 rejects in 1m");
	assert_int_equal(f->nev, 5);
	assert_int_equal(f->ev[0].pos, 10);
	world_free(w);
}

static void test_threshold_distinct_and_suppress(void **st)
{
	(void)st;
	struct world *w = world(
		"rule spray\nkind threshold\non proxy.primary_reject\nkey nas_ip\ndistinct user\n"
		"count >= 3\nwithin 10m\nsuppress 1h\nseverity warning\ntitle t\nsay ${count} users: ${users}\n", 0);
	bind(w);
	const char *users[] = {"a", "a", "b", "a", "c", "d"};
	for (int i = 0; i < 6; i++) {
		struct ev e = mk(EVK_PROXY_PRIMARY_REJECT, T0 + S(i), users[i], (uint64_t)(i + 1));
		e.nas_ip = intern_cstr("10.0.0.9");
		rules_on_event(w->r, &e);
		if (i == 3)   /* a, a, b, a: two distinct */
			assert_int_equal(nfound(w, "spray"), 0);
	}
	assert_int_equal(nfound(w, "spray"), 1);
	struct finding *f = first(w, "spray");
	assert_string_equal(f->key, "10.0.0.9");
	assert_string_equal(f->summary, "4 users: a, b, c, d");
	size_t nev = f->nev;
	/* 20 minutes later the window is empty; three new users inside the
	 * suppression hour do not fire again */
	for (int i = 0; i < 3; i++) {
		const char *u[] = {"x", "y", "z"};
		struct ev e = mk(EVK_PROXY_PRIMARY_REJECT, T0 + S(1200 + i), u[i], (uint64_t)(100 + i));
		e.nas_ip = intern_cstr("10.0.0.9");
		rules_on_event(w->r, &e);
	}
	assert_int_equal(f->nev, nev);
	/* after the hour, it may fire again (the same key: the same finding) */
	for (int i = 0; i < 3; i++) {
		const char *u[] = {"p", "q", "r"};
		struct ev e = mk(EVK_PROXY_PRIMARY_REJECT, T0 + S(4000 + i), u[i], (uint64_t)(200 + i));
		e.nas_ip = intern_cstr("10.0.0.9");
		rules_on_event(w->r, &e);
	}
	assert_int_equal(nfound(w, "spray"), 1);
	assert_true(f->nev > nev);
	assert_string_equal(f->summary, "3 users: p, q, r");
	world_free(w);
}

static void test_threshold_reset(void **st)
{
	(void)st;
	struct world *w = world(
		"rule three\nkind threshold\non proxy.primary_reject\nkey server_ip\ncount >= 3\n"
		"reset radius.response where code == 2\nseverity warning\ntitle t\nsay ${count}\n", 0);
	bind(w);
	for (int i = 0; i < 5; i++) {
		struct ev e;
		if (i == 2) {
			e = resp(T0 + S(i), 1, 2, (uint64_t)(i + 1));      /* an accept in between */
		} else {
			e = mk(EVK_PROXY_PRIMARY_REJECT, T0 + S(i), "u", (uint64_t)(i + 1));
			e.server_ip = intern_cstr("10.9.9.9");
		}
		rules_on_event(w->r, &e);
	}
	assert_int_equal(nfound(w, "three"), 0);   /* 2 before, 2 after the reset */
	/* a reset that reports an earlier time clears only what came before it */
	struct ev late = resp(T0 + S(3) + 500000, 1, 2, 20);
	struct ev e = mk(EVK_PROXY_PRIMARY_REJECT, T0 + S(6), "u", 21);
	e.server_ip = intern_cstr("10.9.9.9");
	rules_on_event(w->r, &late);   /* clears the one at 3 s, keeps the one at 4 s */
	rules_on_event(w->r, &e);
	assert_int_equal(nfound(w, "three"), 0);
	e.ts = T0 + S(7);
	e.pos = 22;
	rules_on_event(w->r, &e);
	assert_int_equal(nfound(w, "three"), 1);
	assert_string_equal(first(w, "three")->summary, "3");
	world_free(w);
}

/* ---- correlate ---- */

static void test_correlate_parse_errors(void **st)
{
	(void)st;
	expect_error("rule x\nkind correlate\nseq duo.auth_request, aaa.timeout\nwithin 2m\nseverity error\n"
		     "title t\nsay ${who_is}\n", "unknown field 'who_is'");
	expect_error("rule x\nkind correlate\nseq duo.auth_request, aaa.timeout\nwhere user == a\n"
		     "within 2m\nseverity error\ntitle t\nsay s\n", "filter each step");
	expect_error("rule x\nkind correlate\nseq duo.auth_request, aaa.timeout\nkey who\n"
		     "alias who = aaa.*:user|upper\nwithin 2m\nseverity error\ntitle t\nsay s\n",
		     "unknown alias transform 'upper'");
}

static void test_correlate_fires_in_order_within_window(void **st)
{
	(void)st;
	struct world *w = world(
		"rule gave-up\nkind correlate\nseq duo.auth_request, aaa.timeout where code != 1\n"
		"unless duo.result\nkey who\nalias who = aaa.*:user|lower|strip_realm, duo.*:user|lower\n"
		"within 2m\nseverity error\ntitle t\nsay ${user} gave up at ${nas_ip} (${key})\n", 0);
	bind(w);
	struct ev push = mk(EVK_DUO_AUTH_REQUEST, T0, "Alice", 1);
	struct ev to = mk(EVK_AAA_TIMEOUT, T0 + S(30), "CORP\\alice@corp.example", 2);
	to.nas_ip = intern_cstr("10.0.0.1");
	/* wrong order: the timeout first does nothing */
	struct ev early = to;
	early.ts = T0 - S(5);
	early.pos = 3;
	rules_on_event(w->r, &early);
	rules_on_event(w->r, &push);
	rules_on_event(w->r, &to);
	assert_int_equal(nfound(w, "gave-up"), 1);
	struct finding *f = first(w, "gave-up");
	assert_string_equal(f->key, "alice");
	assert_string_equal(f->summary, "CORP\\alice@corp.example gave up at 10.0.0.1 (alice)");
	assert_int_equal(f->nev, 2);
	/* bob: the push result arrives in between: unless cancels */
	struct ev p2 = mk(EVK_DUO_AUTH_REQUEST, T0 + S(100), "bob", 10);
	struct ev r2 = mk(EVK_DUO_RESULT, T0 + S(110), "bob", 11);
	struct ev t2 = mk(EVK_AAA_TIMEOUT, T0 + S(120), "bob", 12);
	rules_on_event(w->r, &p2);
	rules_on_event(w->r, &r2);
	rules_on_event(w->r, &t2);
	/* carol: the timeout comes after the window */
	struct ev p3 = mk(EVK_DUO_AUTH_REQUEST, T0 + S(200), "carol", 20);
	struct ev t3 = mk(EVK_AAA_TIMEOUT, T0 + S(200 + 121), "carol", 21);
	rules_on_event(w->r, &p3);
	rules_on_event(w->r, &t3);
	/* dave: the step's where fails */
	struct ev p4 = mk(EVK_DUO_AUTH_REQUEST, T0 + S(400), "dave", 30);
	struct ev t4 = mk(EVK_AAA_TIMEOUT, T0 + S(410), "dave", 31);
	t4.code = 1;
	rules_on_event(w->r, &p4);
	rules_on_event(w->r, &t4);
	rules_finish(w->r);
	assert_int_equal(nfound(w, "gave-up"), 1);
	world_free(w);
}

/* ---- precedence and meta rules ---- */

static void test_supersedes_registers_precedence(void **st)
{
	(void)st;
	struct world *w = world(
		"rule general\nkind match\non radius.timeout\nseverity error\ntitle t\nsay g\n\n"
		"rule specific\nkind match\non proxy.primary_timeout\nseverity error\ntitle t\nsay s\n"
		"supersedes general\n", 0);
	bind(w);
	struct ev a = mk(EVK_RADIUS_TIMEOUT, T0, "alice", 1);
	struct ev b = mk(EVK_PROXY_PRIMARY_TIMEOUT, T0, "alice", 2);
	struct ev c = mk(EVK_RADIUS_TIMEOUT, T0, "bob", 3);
	a.session = b.session = 1;
	c.session = 2;
	rules_on_event(w->r, &a);
	rules_on_event(w->r, &b);
	rules_on_event(w->r, &c);
	rules_finish(w->r);
	findings_finalize(w->fs);
	int general_shown = 0, general_hidden = 0;
	for (size_t i = 0; i < findings_count(w->fs); i++) {
		struct finding *f = findings_at(w->fs, i);
		if (!strcmp(f->rule, "general"))
			f->suppressed ? general_hidden++ : general_shown++;
	}
	assert_int_equal(general_hidden, 1);   /* session 1: explained by specific */
	assert_int_equal(general_shown, 1);    /* session 2: nothing more specific */
	world_free(w);
}

/* A failure only the test's own rule matches (proxy.note: no built-in rule
 * reads it), so the built-in pack's widespread-failure counts it alone. */
static void fail_login(struct world *w, const char *user, int64_t ts, uint32_t sess)
{
	struct ev e = mk(EVK_PROXY_NOTE, ts, user, sess);
	e.session = sess;
	rules_on_event(w->r, &e);
}

#define PRIMARY_REJECT \
	"rule test-reject\nkind match\non proxy.note\nseverity error\ntitle t\nsay ${user}\n"

static void test_widespread_failure_from_finding_events(void **st)
{
	(void)st;
	struct world *w = world(PRIMARY_REJECT, 1);
	bind(w);
	fail_login(w, "alice", T0, 1);
	fail_login(w, "alice", T0 + S(1), 2);
	fail_login(w, "bob", T0 + S(2), 3);
	assert_int_equal(nfound(w, "widespread-failure"), 0);
	fail_login(w, "carol", T0 + S(3), 4);
	assert_int_equal(nfound(w, "widespread-failure"), 1);
	fail_login(w, "dave", T0 + S(4), 5);
	rules_finish(w->r);
	assert_int_equal(nfound(w, "widespread-failure"), 1);
	struct finding *f = first(w, "widespread-failure");
	assert_string_equal(f->key, "test-reject");
	assert_int_equal(f->sev, SEV_ERROR);
	assert_non_null(strstr(f->summary, "test-reject failed for 4 users (alice, bob, carol, dave)"));
	assert_int_equal(f->nev, 5);
	world_free(w);
}

/* The same logins fail a general and a specific rule: one widespread
 * finding, for the specific one. */
static void test_widespread_failure_follows_supersedes(void **st)
{
	(void)st;
	struct world *w = world(PRIMARY_REJECT "supersedes test-general\n\n"
				"rule test-general\nkind match\non proxy.note\nseverity error\n"
				"title t\nsay g\n", 1);
	bind(w);
	fail_login(w, "alice", T0, 1);
	fail_login(w, "bob", T0 + S(1), 2);
	fail_login(w, "carol", T0 + S(2), 3);
	rules_finish(w->r);
	findings_finalize(w->fs);
	int shown = 0;
	for (size_t i = 0; i < findings_count(w->fs); i++) {
		struct finding *f = findings_at(w->fs, i);
		if (!strcmp(f->rule, "widespread-failure") && !f->suppressed) {
			shown++;
			assert_string_equal(f->key, "test-reject");
		}
	}
	assert_int_equal(nfound(w, "widespread-failure"), 2);
	assert_int_equal(shown, 1);
	world_free(w);
}

static void test_widespread_failure_reset_by_a_good_login(void **st)
{
	(void)st;
	struct world *w = world(PRIMARY_REJECT, 1);
	bind(w);
	fail_login(w, "alice", T0, 1);
	fail_login(w, "bob", T0 + S(1), 2);
	struct ev ok;
	ev_init(&ok, EVK_SESSION_END, SRC_UNKNOWN, 0, 0);
	ok.ts = T0 + S(2);
	ok.session = 9;
	ok.result = intern_cstr("accept");
	rules_on_event(w->r, &ok);
	fail_login(w, "carol", T0 + S(3), 3);
	fail_login(w, "dave", T0 + S(4), 4);
	rules_finish(w->r);
	assert_int_equal(nfound(w, "widespread-failure"), 0);
	world_free(w);
}

static void test_input_damaged_one_finding_per_input(void **st)
{
	(void)st;
	struct world *w = world(NULL, 1);
	struct input *a = input_new("a.pcap", SRC_PCAP);
	struct input *b = input_new("b.log", SRC_AUTHPROXY_LOG);
	bind(w);
	for (int i = 0; i < 200; i++) {
		struct ev e;
		ev_init(&e, EVK_INPUT_DAMAGED, SRC_PCAP, a->id, (uint64_t)(i + 1));
		e.ts = T0 + i;
		e.text = intern_cstr(i ? "truncated frame" : "bad magic");
		rules_on_event(w->r, &e);
	}
	struct ev e;
	ev_init(&e, EVK_INPUT_DAMAGED, SRC_AUTHPROXY_LOG, b->id, 7);
	e.text = intern_cstr("invalid UTF-8");
	rules_on_event(w->r, &e);
	rules_finish(w->r);
	assert_int_equal(nfound(w, "input-damaged"), 2);
	struct finding *f = first(w, "input-damaged");
	assert_string_equal(f->key, "a.pcap");
	assert_int_equal(f->sev, SEV_WARNING);
	assert_int_equal(f->nev + f->evidence_dropped, 200);
	assert_int_equal(f->nev, FINDING_MAX_EVIDENCE);
	assert_string_equal(f->summary, "a.pcap: 200 damaged place(s), the first: bad magic");
	world_free(w);
}

/* A meta rule that consumes every finding (no text pinned) must not loop. */
static void test_meta_loop_guard(void **st)
{
	(void)st;
	struct world *w = world(
		"rule m1\nkind match\non finding\nkey text\nseverity error\ntitle t\nsay m1 ${text}\n\n"
		"rule m2\nkind match\non finding\nkey text\nseverity error\ntitle t\nsay m2 ${text}\n\n"
		"rule base\nkind match\non proxy.note\nseverity error\ntitle t\nsay b\n", 0);
	bind(w);
	struct ev e = mk(EVK_PROXY_NOTE, T0, "alice", 1);
	e.session = 1;
	rules_on_event(w->r, &e);
	rules_finish(w->r);
	assert_int_equal(nfound(w, "base"), 1);
	assert_true(nfound(w, "m1") >= 1 && nfound(w, "m1") <= 3);
	assert_true(findings_count(w->fs) < 20);
	world_free(w);
}

/* The engine's cost is per kind: a kind no rule names meets no rule, and
 * the no-match path of a named kind allocates nothing (findings stay 0). */
static void test_many_events_no_match(void **st)
{
	(void)st;
	struct world *w = world(ABSENCE, 1);
	bind(w);
	for (int i = 0; i < 20000; i++) {
		struct ev e = mk(i % 2 ? EVK_ESP : EVK_RADIUS_RESPONSE, T0 + i, "alice", (uint64_t)i);
		rules_on_event(w->r, &e);
	}
	rules_finish(w->r);
	assert_int_equal(findings_count(w->fs), 0);
	world_free(w);
}


/* ---- the man page must match the tables and the pack ---- */

static char *man_section(const char *sh)
{
	FILE *f = fopen("man/authscope-rules.5", "r");
	if (!f)
		fail_msg("man/authscope-rules.5 not found (run the tests from the repository root)");
	static char buf[1 << 20];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = 0;
	char head[128];
	snprintf(head, sizeof head, "\n.SH %s\n", sh);
	char *a = strstr(buf, head);
	if (!a)
		fail_msg("man/authscope-rules.5 has no section .SH %s", sh);
	a += strlen(head);
	char *b = strstr(a, "\n.SH ");
	return xstrndup(a, b ? (size_t)(b - a + 1) : strlen(a));
}

/* Whole-word search: word bounded by anything but [a-z0-9_.-]. */
static int has_word(const char *text, const char *w)
{
	size_t n = strlen(w);
	for (const char *p = text; (p = strstr(p, w)); p++) {
		int l = p == text || !strchr("abcdefghijklmnopqrstuvwxyz0123456789_.-", p[-1]);
		int r = !p[n] || !strchr("abcdefghijklmnopqrstuvwxyz0123456789_-", p[n]) ||
			(p[n] == '.' && !strchr("abcdefghijklmnopqrstuvwxyz", p[n + 1]));
		if (l && r)
			return 1;
	}
	return 0;
}

/* Words of the tag lines (the line after each .TP) of a section. */
static size_t tag_words(const char *sec, char words[][64], size_t max)
{
	size_t n = 0;
	for (const char *p = sec; (p = strstr(p, ".TP\n")); ) {
		p += 4;
		const char *e = strchr(p, '\n');
		if (!e)
			break;
		if (!strncmp(p, ".B", 2)) {
			const char *q = p + 2;
			while (q < e && *q != ' ')
				q++;
			while (q < e && n < max) {
				while (q < e && strchr(" ,\"", *q))
					q++;
				size_t l = 0;
				while (q + l < e && !strchr(" ,\"", q[l]))
					l++;
				if (l && l < 64) {
					memcpy(words[n], q, l);
					words[n++][l] = 0;
				}
				q += l;
			}
		}
		p = e;
	}
	return n;
}

static void test_man_fields_match_the_tables(void **st)
{
	(void)st;
	char words[256][64];
	char *sec = man_section("EVENT FIELDS");
	for (unsigned f = 0; f < EF__COUNT; f++)
		if (!has_word(sec, ev_field_name(f)))
			fail_msg("event field '%s' (src/core/event.c) is missing from the EVENT FIELDS "
				 "section of man/authscope-rules.5: add\n.TP\n.B %s\ntype: what it holds.",
				 ev_field_name(f), ev_field_name(f));
	size_t n = tag_words(sec, words, 256);
	assert_true(n >= EF__COUNT);
	for (size_t i = 0; i < n; i++)
		if (ev_field_lookup(words[i]) < 0)
			fail_msg("man/authscope-rules.5 documents event field '%s', which does not exist",
				 words[i]);
	free(sec);
	sec = man_section("SESSION FACTS");
	for (unsigned f = 0; f < SF__COUNT; f++)
		if (!has_word(sec, sess_field_name(f)))
			fail_msg("session fact '%s' (src/core/session.c) is missing from the SESSION FACTS "
				 "section of man/authscope-rules.5: add\n.TP\n.B %s\ntype: what it holds.",
				 sess_field_name(f), sess_field_name(f));
	n = tag_words(sec, words, 256);
	for (size_t i = 0; i < n; i++)
		if (sess_field_lookup(words[i]) < 0)
			fail_msg("man/authscope-rules.5 documents session fact '%s', which does not exist",
				 words[i]);
	free(sec);
	sec = man_section("EVENT KINDS");
	for (unsigned k = 0; k < EVK__COUNT; k++)
		if (!has_word(sec, ev_kind_name(k)))
			fail_msg("event kind '%s' (src/core/kinds.def) is missing from the EVENT KINDS "
				 "section of man/authscope-rules.5: add a line\n.BR %s ,\nunder its area's tag.",
				 ev_kind_name(k), ev_kind_name(k));
	for (const char *p = strstr(sec, ".TP\n"); p && (p = strstr(p, "\n.BR ")); ) {
		p += 5;
		char w[96];
		size_t l = 0;
		while (p[l] && !strchr(" ,\n", p[l]) && l < sizeof w - 1) {
			w[l] = p[l];
			l++;
		}
		w[l] = 0;
		if (ev_kind_lookup(w) < 0)
			fail_msg("man/authscope-rules.5 lists event kind '%s', which kinds.def does not define", w);
	}
	free(sec);
}

static void test_man_lists_every_builtin_rule(void **st)
{
	(void)st;
	struct rules *r = rules_new();
	char *out;
	size_t on;
	FILE *f = open_memstream(&out, &on);
	int errs = rules_load_path(r, "rules", f);
	fclose(f);
	if (errs)
		fail_msg("the rule files in rules/ do not load:\n%s", out);
	free(out);
	char *sec = man_section("BUILT-IN RULES");
	for (size_t i = 0; i < rulemeta_count(); i++) {
		const struct rule_meta *m = rulemeta_at(i);
		char line[96];
		snprintf(line, sizeof line, "\n.B %s\n", m->id);
		if (!strstr(sec, line))
			fail_msg("rule '%s' (%s:%u) is not documented in man/authscope-rules.5: add to the "
				 "BUILT-IN RULES section, in the order of rules list:\n.TP\n.B %s\n%s, %s: %s",
				 m->id, m->file, (unsigned)m->line, m->id, sev_name(m->sev), m->kind,
				 m->title ? m->title : "what it means");
	}
	for (const char *p = sec; (p = strstr(p, ".TP\n.B ")); ) {
		p += 7;
		char w[96];
		size_t l = 0;
		while (p[l] && p[l] != '\n' && l < sizeof w - 1) {
			w[l] = p[l];
			l++;
		}
		w[l] = 0;
		if (!rulemeta_get(w))
			fail_msg("man/authscope-rules.5 documents rule '%s', which no file in rules/ defines", w);
	}
	free(sec);
	rules_free(r);
	rulemeta_reset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_errors_name_file_and_line),
		cmocka_unit_test(test_parse_good_file_and_continuations),
		cmocka_unit_test(test_supersedes_unknown_is_a_warning),
		cmocka_unit_test(test_meta_rules_in_a_loop_are_an_error),
		cmocka_unit_test(test_user_file_overrides_builtin_not_itself),
		cmocka_unit_test(test_expressions),
		cmocka_unit_test(test_durations_and_numbers),
		cmocka_unit_test(test_regex_literal_prefilter),
		cmocka_unit_test(test_regex_limit_fails_the_rule_not_the_run),
		cmocka_unit_test(test_match_keys_and_evidence),
		cmocka_unit_test(test_templates_session_facts_and_units),
		cmocka_unit_test(test_severity_override_and_none),
		cmocka_unit_test(test_absence_fires_on_event_time),
		cmocka_unit_test(test_absence_open_at_end_and_linked_events),
		cmocka_unit_test(test_threshold_sliding_window_fires_once),
		cmocka_unit_test(test_threshold_distinct_and_suppress),
		cmocka_unit_test(test_threshold_reset),
		cmocka_unit_test(test_correlate_parse_errors),
		cmocka_unit_test(test_correlate_fires_in_order_within_window),
		cmocka_unit_test(test_supersedes_registers_precedence),
		cmocka_unit_test(test_widespread_failure_from_finding_events),
		cmocka_unit_test(test_widespread_failure_follows_supersedes),
		cmocka_unit_test(test_widespread_failure_reset_by_a_good_login),
		cmocka_unit_test(test_input_damaged_one_finding_per_input),
		cmocka_unit_test(test_meta_loop_guard),
		cmocka_unit_test(test_many_events_no_match),
		cmocka_unit_test(test_man_fields_match_the_tables),
		cmocka_unit_test(test_man_lists_every_builtin_rule),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	str_shutdown();
	return rc;
}
