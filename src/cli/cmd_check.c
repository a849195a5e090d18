/* \summary: check: findings of a run against an expectation file (CI)
 *
 * Runs the same pipeline as analyze, then compares each expectation line
 * of --expect FILE with the findings and prints a diff-like report:
 *   = holds, - fails (expected vs actual), + a finding no line expects.
 * Exit 0 when every expectation holds, 1 when one fails, 2 on a usage or
 * input error. --update rewrites FILE from the result; -f junit writes
 * one testcase per expectation for CI servers.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/expect.h"
#include "cli/pipeline.h"
#include "core/escape.h"
#include "core/str.h"
#include "report/junit.h"
#include "report/report.h"

static int write_update_at(const char *path, const struct expect_file *ef,
			   const struct expect_group *g, size_t ng);

static int read_file(const char *path, char **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	struct sbuf b;
	sbuf_init(&b, 16u << 20);
	char buf[8192];
	size_t n;
	int e = 0;
	while (!e && (n = fread(buf, 1, sizeof buf, f)) > 0)
		e = sbuf_add(&b, buf, n);
	int bad = ferror(f) || e;
	fclose(f);
	if (bad) {
		sbuf_free(&b);
		errno = e ? EFBIG : EIO;
		return -1;
	}
	*len = b.len;
	sbuf_cstr(&b);
	*out = sbuf_take(&b);
	return 0;
}

static int visible(void *ctx, const struct finding *f)
{
	return report_finding_visible(ctx, f);
}

/* s escaped for a terminal, padded to w columns, then a blank */
static void pad_text(FILE *o, const char *s, int w)
{
	struct sbuf b;
	sbuf_init(&b, 0);
	if (!esc_text(&b, s, strlen(s)))
		fprintf(o, "%-*s ", w, sbuf_cstr(&b));
	sbuf_free(&b);
}

static void put_exp(FILE *o, char mark, const char *rule, const char *user,
		    uint32_t lo, uint32_t hi)
{
	char *u = NULL;
	size_t ul = 0;
	fprintf(o, "%c ", mark);
	pad_text(o, rule, 24);
	FILE *m = open_memstream(&u, &ul);
	if (m) {
		expect_put_user(m, user);
		fclose(m);
		pad_text(o, u ? u : "", 16);
	}
	free(u);
	char cnt[32];
	if (lo == hi)
		snprintf(cnt, sizeof cnt, "%u", lo);
	else if (hi == EXPECT_MAX_COUNT)
		snprintf(cnt, sizeof cnt, "%u..", lo);
	else
		snprintf(cnt, sizeof cnt, "%u..%u", lo, hi);
	fprintf(o, "%-8s", cnt);
}

/* Replace the file atomically (a temporary beside it, then rename), but
 * only a regular file: a device such as /dev/null is refused, and a
 * symlink is followed so the link itself stays. */
static int write_update(const char *given, const struct expect_file *ef,
			const struct expect_group *g, size_t ng)
{
	struct stat st;
	char *real = NULL;
	const char *path = given;
	if (lstat(given, &st) == 0) {
		if (S_ISLNK(st.st_mode)) {
			real = realpath(given, NULL);
			if (!real || stat(real, &st) != 0) {
				free(real);
				return -1;
			}
			path = real;
		}
		if (!S_ISREG(st.st_mode)) {
			free(real);
			errno = EINVAL;
			return -1;
		}
	}
	int rc = write_update_at(path, ef, g, ng);
	free(real);
	return rc;
}

static int write_update_at(const char *path, const struct expect_file *ef,
			   const struct expect_group *g, size_t ng)
{
	size_t pl = strlen(path);
	char *tmp = xmalloc(pl + 16);
	snprintf(tmp, pl + 16, "%s.tmp%ld", path, (long)getpid());
	FILE *f = fopen(tmp, "w");
	if (!f) {
		free(tmp);
		return -1;
	}
	expect_write_update(f, ef, g, ng);
	int bad = ferror(f);
	bad |= fclose(f) != 0;
	if (bad || rename(tmp, path)) {
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}

static int write_junit(FILE *o, const char *expect_path, const struct expect_file *ef)
{
	struct junit_case *v = xcalloc(ef->n + 1, sizeof *v);
	char **own = xcalloc(2 * ef->n + 1, sizeof *own);
	size_t nown = 0;
	for (size_t i = 0; i < ef->n; i++) {
		const struct expectation *x = &ef->v[i];
		char *name = NULL, *msg = NULL;
		size_t nl = 0, ml = 0;
		FILE *m = open_memstream(&name, &nl);
		if (!m)
			break;
		fprintf(m, "%s ", x->rule);
		expect_put_user(m, x->user);
		fputc(' ', m);
		expect_put_count(m, x->lo, x->hi);
		fclose(m);
		own[nown++] = name;
		v[i].classname = expect_path;
		v[i].name = name;
		if (!x->holds) {
			m = open_memstream(&msg, &ml);
			if (!m)
				break;
			fprintf(m, "expected ");
			expect_put_count(m, x->lo, x->hi);
			fprintf(m, ", found %u (%s:%u)", x->actual, expect_path, x->line);
			fclose(m);
			own[nown++] = msg;
			v[i].failure = msg;
			v[i].failure_type = "expectation";
			v[i].body = msg;
		}
	}
	size_t n = ef->n;
	if (n == 0)
		v[n++] = (struct junit_case){expect_path, "no expectations", NULL, NULL, NULL, NULL};
	int rc = junit_write(o, "authscope check", v, n);
	for (size_t i = 0; i < nown; i++)
		free(own[i]);
	free(own);
	free(v);
	return rc;
}

int cmd_check(struct opts *o)
{
	if (!o->expect) {
		fprintf(stderr, "authscope check: --expect FILE is required (see authscope check --help)\n");
		return 2;
	}
	if (o->update && o->redact) {
		fprintf(stderr, "authscope check: --update cannot be used with --redact (pseudonyms "
			"change from run to run, so the file would never hold)\n");
		return 2;
	}
	const char *fmt = o->format ? o->format : "text";
	int junit = !strcmp(fmt, "junit");
	if (!junit && strcmp(fmt, "text")) {
		fprintf(stderr, "authscope check: -f wants text or junit, not '%s'\n", fmt);
		return 2;
	}
	char *text = NULL;
	size_t len = 0;
	struct expect_file ef;
	memset(&ef, 0, sizeof ef);
	if (read_file(o->expect, &text, &len)) {
		if (!(o->update && errno == ENOENT)) {
			fprintf(stderr, "authscope check: cannot read %s: %s\n", o->expect,
				strerror(errno));
			return 2;
		}
	} else {
		int errs = expect_parse(&ef, o->expect, text, len, stderr);
		free(text);
		if (errs) {
			fprintf(stderr, "authscope check: %d error(s) in %s\n", errs, o->expect);
			expect_free(&ef);
			return 2;
		}
	}

	struct run r;
	int rc = run_setup(&r, o);
	if (rc) {
		run_free(&r);
		expect_free(&ef);
		return rc;
	}
	run_all(&r);
	struct report_ctx c = {
		.sessions = r.sessions, .findings = r.findings, .user = o->user,
		.since = o->since, .until = o->until, .verbose = o->verbose,
		.command = o->cmd, .fail_on = o->fail_on,
		.redact = r.redact,
	};
	size_t fails = expect_compare(&ef, r.findings, visible, &c);
	struct expect_group *g = NULL;
	size_t ng = expect_groups(&ef, r.findings, visible, &c, &g);

	int status = fails ? 1 : 0;
	FILE *rep = junit ? stderr : run_output(o);
	if (!rep) {
		rep = stderr;
		status = 2;
	}
	int show = !(junit && o->quiet);
	FILE *out = NULL;
	if (junit) {
		out = run_output(o);
		if (!out)
			status = 2;
		else if (write_junit(out, o->expect, &ef))
			status = 2;
		if (out && out != stdout && fclose(out))
			status = 2;
	}
	size_t unlisted = 0;
	for (size_t i = 0; i < ng; i++)
		unlisted += !g[i].covered;
	if (show) {
		for (size_t i = 0; i < ef.n; i++) {
			const struct expectation *x = &ef.v[i];
			if (x->holds && o->quiet)
				continue;
			put_exp(rep, x->holds ? '=' : '-', x->rule, x->user, x->lo, x->hi);
			if (x->holds)
				fprintf(rep, " found %u\n", x->actual);
			else
				fprintf(rep, " found %u  FAIL (%s:%u)\n", x->actual, o->expect, x->line);
		}
		for (size_t i = 0; i < ng && !o->quiet; i++) {
			if (g[i].covered)
				continue;
			put_exp(rep, '+', g[i].rule, redact_str(r.redact, RC_USER, g[i].user),
				g[i].count, g[i].count);
			fputs(" not in expect file (not checked)\n", rep);
		}
		fprintf(rep, "check: %zu expectation(s), %zu hold, %zu fail; %zu finding group(s) "
			"not in %s\n", ef.n, ef.n - fails, fails, unlisted, o->expect);
	}
	if (o->update) {
		if (write_update(o->expect, &ef, g, ng)) {
			fprintf(stderr, "authscope check: cannot write %s: %s\n", o->expect,
				errno == EINVAL ? "--update rewrites only a regular file" :
				strerror(errno));
			status = 2;
		} else {
			if (!o->quiet)
				fprintf(stderr, "authscope check: updated %s\n", o->expect);
			if (status == 1)
				status = 0;
		}
	}
	if (rep != stdout && rep != stderr && fclose(rep))
		status = 2;
	free(g);
	expect_free(&ef);
	run_free(&r);
	return status;
}
