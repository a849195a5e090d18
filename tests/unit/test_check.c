/* check: expectation files parsed, compared with findings, rewritten */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cli/expect.h"
#include "cli/progress.h"
#include "core/finding.h"
#include "core/str.h"

static struct finding_set *make_findings(void)
{
	/* primary-reject: sadks x2 (two sessions, spellings differ), bob x1;
	 * radius-retransmit: no user x1; duo-deny suppressed for carol */
	struct finding_set *fs = findings_new();
	int cr;
	struct finding *f = findings_get(fs, intern_cstr("primary-reject"), 1, NULL, &cr);
	f->user = intern_cstr("sadks");
	f = findings_get(fs, intern_cstr("primary-reject"), 2, NULL, &cr);
	f->user = intern_cstr("CORP\\Sadks");
	f = findings_get(fs, intern_cstr("primary-reject"), 3, NULL, &cr);
	f->user = intern_cstr("bob");
	f = findings_get(fs, intern_cstr("radius-retransmit"), 4, NULL, &cr);
	f = findings_get(fs, intern_cstr("duo-deny"), 5, NULL, &cr);
	f->user = intern_cstr("carol");
	f->suppressed = 1;
	return fs;
}

static int parse(struct expect_file *ef, const char *text)
{
	FILE *err = fopen("/dev/null", "w");
	int n = expect_parse(ef, "expect", text, strlen(text), err);
	fclose(err);
	return n;
}

static void test_parse_forms(void **st)
{
	(void)st;
	struct expect_file ef;
	assert_int_equal(parse(&ef, "# header\n\nprimary-reject sadks 2\r\n"
				    "radius-retransmit  *  1..3   # range\n"
				    "x - 0\n" "y \"a b\" 2..\n"), 0);
	assert_int_equal(ef.n, 4);
	assert_int_equal(ef.header, 2);
	assert_string_equal(ef.v[0].rule, "primary-reject");
	assert_string_equal(ef.v[0].user, "sadks");
	assert_int_equal(ef.v[0].lo, 2);
	assert_int_equal(ef.v[0].hi, 2);
	assert_ptr_equal(ef.v[1].user, EXPECT_ANY_USER);
	assert_int_equal(ef.v[1].lo, 1);
	assert_int_equal(ef.v[1].hi, 3);
	assert_null(ef.v[2].user);
	assert_string_equal(ef.v[3].user, "a b");
	assert_int_equal(ef.v[3].hi, EXPECT_MAX_COUNT);
	assert_int_equal(ef.v[3].line, 6);
	expect_free(&ef);
}

static void test_parse_errors(void **st)
{
	(void)st;
	struct expect_file ef;
	assert_int_equal(parse(&ef, "a b\n"), 1);
	expect_free(&ef);
	assert_int_equal(parse(&ef, "a b c\n"), 1);
	expect_free(&ef);
	assert_int_equal(parse(&ef, "a b 3..1\n"), 1);
	expect_free(&ef);
	assert_int_equal(parse(&ef, "a \"b 1\n"), 1);
	expect_free(&ef);
	assert_int_equal(parse(&ef, "a b 1 extra\n"), 1);
	expect_free(&ef);
	assert_int_equal(parse(&ef, "a b 99999999999\n"), 1);
	expect_free(&ef);
	assert_int_equal(parse(&ef, "\"t %d \" o 5\n"), 1);     /* found by fuzz_expect */
	expect_free(&ef);
	assert_int_equal(parse(&ef, "a b -1\nok * 0\n"), 1);
	assert_int_equal(ef.n, 1);
	expect_free(&ef);
}

static void test_compare(void **st)
{
	(void)st;
	struct finding_set *fs = make_findings();
	struct expect_file ef;
	assert_int_equal(parse(&ef, "primary-reject sadks 2\n"      /* holds: spellings join */
				    "primary-reject * 1..2\n"       /* fails: 3 */
				    "primary-reject * 3\n"          /* holds */
				    "radius-retransmit - 1\n"       /* holds: no user */
				    "radius-retransmit bob 0\n"     /* holds */
				    "duo-deny * 0\n"                /* holds: suppressed */
				    "radius-timeout * 0\n"          /* holds */
				    "radius-timeout * 1\n"),        /* fails: 0 */
			 0);
	assert_int_equal(expect_compare(&ef, fs, NULL, NULL), 2);
	int want[] = {1, 0, 1, 1, 1, 1, 1, 0};
	uint32_t act[] = {2, 3, 3, 1, 0, 0, 0, 0};
	for (size_t i = 0; i < ef.n; i++) {
		assert_int_equal(ef.v[i].holds, want[i]);
		assert_int_equal(ef.v[i].actual, act[i]);
	}
	expect_free(&ef);
	findings_free(fs);
}

static int only_bob(void *ctx, const struct finding *f)
{
	(void)ctx;
	return f->user && !strcmp(f->user, "bob");
}

static void test_filter_and_groups(void **st)
{
	(void)st;
	struct finding_set *fs = make_findings();
	struct expect_file ef;
	assert_int_equal(parse(&ef, "primary-reject * 1\n"), 0);
	assert_int_equal(expect_compare(&ef, fs, only_bob, NULL), 0);
	expect_free(&ef);

	assert_int_equal(parse(&ef, "primary-reject bob 1\n"), 0);
	struct expect_group *g;
	size_t n = expect_groups(&ef, fs, NULL, NULL, &g);
	assert_int_equal(n, 3);
	assert_string_equal(g[0].rule, "primary-reject");
	assert_string_equal(g[0].user, "bob");
	assert_int_equal(g[0].covered, 1);
	assert_string_equal(g[1].user, "sadks");      /* first spelling */
	assert_int_equal(g[1].count, 2);
	assert_int_equal(g[1].covered, 0);
	assert_string_equal(g[2].rule, "radius-retransmit");
	assert_null(g[2].user);
	free(g);
	expect_free(&ef);
	findings_free(fs);
}

static char *update_text(const char *in, struct finding_set *fs)
{
	struct expect_file ef;
	assert_int_equal(parse(&ef, in), 0);
	expect_compare(&ef, fs, NULL, NULL);
	struct expect_group *g;
	size_t n = expect_groups(&ef, fs, NULL, NULL, &g);
	char *out = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&out, &len);
	expect_write_update(m, &ef, g, n);
	fclose(m);
	free(g);
	expect_free(&ef);
	return out;
}

static void test_update_round_trip(void **st)
{
	(void)st;
	struct finding_set *fs = make_findings();
	const char *in = "# my trace\n# second line\n"
			 "radius-timeout * 0   # never\n"
			 "primary-reject bob 5\n";
	char *once = update_text(in, fs);
	/* header and the holding line kept verbatim, bob fixed, rest appended */
	assert_non_null(strstr(once, "# my trace\n# second line\nradius-timeout * 0   # never\n"));
	assert_non_null(strstr(once, "primary-reject          bob             1\n"));
	assert_non_null(strstr(once, "primary-reject          sadks           2\n"));
	assert_non_null(strstr(once, "radius-retransmit       -               1\n"));
	assert_null(strstr(once, "duo-deny"));
	/* the result holds, and a second update changes nothing */
	struct expect_file ef;
	assert_int_equal(parse(&ef, once), 0);
	assert_int_equal(expect_compare(&ef, fs, NULL, NULL), 0);
	expect_free(&ef);
	char *twice = update_text(once, fs);
	assert_string_equal(once, twice);
	free(once);
	free(twice);
	/* a new file gets a header */
	char *fresh = update_text("", fs);
	assert_int_equal(fresh[0], '#');
	free(fresh);
	findings_free(fs);
}

static void test_quoted_user_round_trip(void **st)
{
	(void)st;
	struct finding_set *fs = findings_new();
	int cr;
	struct finding *f = findings_get(fs, intern_cstr("r"), 1, NULL, &cr);
	f->user = intern_cstr("Jo \"Q\" Smith#1\n\tx\\");
	char *out = update_text("", fs);
	struct expect_file ef;
	assert_int_equal(parse(&ef, out), 0);
	assert_int_equal(ef.n, 1);
	assert_string_equal(ef.v[0].user, "Jo \"Q\" Smith#1\n\tx\\");
	assert_int_equal(expect_compare(&ef, fs, NULL, NULL), 0);
	expect_free(&ef);
	free(out);
	findings_free(fs);
}

static void test_progress_line(void **st)
{
	(void)st;
	char b[256];
	/* 25 MiB of 100 MiB in 1 s: 25 %, 25 MiB/s, 3 s left */
	progress_format(b, sizeof b, 25u << 20, 100u << 20, 1.0, 100);
	assert_non_null(strstr(b, " 25% 25.0 MiB of 100.0 MiB, 25.0 MiB/s, ETA 3s"));
	assert_non_null(strstr(b, "[##########..............................]"));
	/* unknown total (stdin): no bar, no ETA */
	progress_format(b, sizeof b, 3000, 0, 2.0, 100);
	assert_string_equal(b, "2.9 KiB read, 1.5 KiB/s");
	/* a long wait reads in minutes; a narrow terminal cuts the line */
	progress_format(b, sizeof b, 1u << 20, 200u << 20, 1.0, 200);
	assert_non_null(strstr(b, "ETA 3m19s"));
	progress_format(b, sizeof b, 1u << 20, 61u << 20, 1.0, 200);
	assert_non_null(strstr(b, "ETA 1m00s"));
	progress_format(b, sizeof b, 1u << 20, 200u << 20, 1.0, 30);
	assert_true(strlen(b) < 30);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_forms),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_compare),
		cmocka_unit_test(test_filter_and_groups),
		cmocka_unit_test(test_update_round_trip),
		cmocka_unit_test(test_quoted_user_round_trip),
		cmocka_unit_test(test_progress_line),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	str_shutdown();
	return rc;
}
