/* \summary: JUnit XML: check's expectations, analyze's findings
 *
 * The schema is the one Jenkins, GitLab and GitHub actions read:
 * testsuites > testsuite(name, tests, failures, errors, skipped) >
 * testcase(classname, name) > failure(message, type) text | system-out.
 */
#include "report/junit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/input.h"
#include "core/rulemeta.h"
#include "core/str.h"
#include "report/redact.h"
#include "report/report.h"
#include "report/xmlout.h"

int junit_write(FILE *o, const char *suite, const struct junit_case *v, size_t n)
{
	size_t fails = 0;
	for (size_t i = 0; i < n; i++)
		fails += v[i].failure != NULL;
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"authscope\" ", o);
	fprintf(o, "tests=\"%zu\" failures=\"%zu\" errors=\"0\">\n", n, fails);
	fputs("  <testsuite name=\"", o);
	put_xml(o, suite);
	fprintf(o, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"0\">\n", n, fails);
	for (size_t i = 0; i < n; i++) {
		const struct junit_case *c = &v[i];
		fputs("    <testcase classname=\"", o);
		put_xml(o, c->classname);
		fputs("\" name=\"", o);
		put_xml(o, c->name);
		fputs("\"", o);
		if (!c->failure && !c->out) {
			fputs("/>\n", o);
			continue;
		}
		fputs(">\n", o);
		if (c->failure) {
			fputs("      <failure message=\"", o);
			put_xml(o, c->failure);
			fputs("\" type=\"", o);
			put_xml(o, c->failure_type ? c->failure_type : "failure");
			fputs("\">", o);
			put_xml(o, c->body);
			fputs("</failure>\n", o);
		}
		if (c->out) {
			fputs("      <system-out>", o);
			put_xml(o, c->out);
			fputs("</system-out>\n", o);
		}
		fputs("    </testcase>\n", o);
	}
	fputs("  </testsuite>\n</testsuites>\n", o);
	return ferror(o) ? -1 : 0;
}

/* analyze -f junit: one testcase per input (fails when damaged) and one per
 * rule (fails when it found something at or above --fail-on), so a CI
 * server sees the same test names run after run and keeps their history;
 * each finding is listed, with hint and evidence, under its rule's case. */
int report_junit(const struct report_ctx *c)
{
	struct redactor *rd = c->redact;
	size_t nin = input_count(), nf = findings_count(c->findings);
	/* rule ids: every loaded rule, then any a finding names without metadata */
	size_t nr = 0, capr = rulemeta_count() + nf + 1;
	const char **rules = xcalloc(capr, sizeof *rules);
	for (size_t i = 0; i < rulemeta_count(); i++)
		rules[nr++] = rulemeta_at(i)->id;
	for (size_t i = 0; i < nf; i++) {
		const struct finding *f = findings_at(c->findings, i);
		size_t j;
		for (j = 0; j < nr && strcmp(rules[j], f->rule); j++)
			;
		if (j == nr && report_finding_visible(c, f))
			rules[nr++] = f->rule;
	}
	struct junit_case *v = xcalloc(nin + nr + 1, sizeof *v);
	char **own = xcalloc(nin + 2 * nr + 1, sizeof *own);
	size_t n = 0, nown = 0;
	for (uint32_t id = 1; id <= nin; id++) {
		const struct input *in = input_get(id);
		struct junit_case *jc = &v[n++];
		jc->classname = "authscope.inputs";
		jc->name = in->path;
		if (in->nerr) {
			struct sbuf b;
			sbuf_init(&b, 1 << 20);
			for (uint32_t j = 0; j < in->nerr; j++) {
				char ref[1024];
				input_ref(ref, sizeof ref, id, in->errs[j].pos);
				if (sbuf_printf(&b, "%s: %s: %s\n", ref,
						input_err_class_name(in->errs[j].cls),
						redact_text(rd, in->errs[j].msg)))
					break;
			}
			sbuf_cstr(&b);
			own[nown++] = sbuf_take(&b);
			jc->failure = "input damaged";
			jc->failure_type = "input-damaged";
			jc->body = own[nown - 1];
		}
	}
	for (size_t r = 0; r < nr; r++) {
		struct sbuf body;
		sbuf_init(&body, 8u << 20);
		size_t hits = 0, fails = 0;
		int worst = -1, e = 0;
		for (size_t i = 0; i < nf && !e; i++) {
			const struct finding *f = findings_at(c->findings, i);
			if (strcmp(f->rule, rules[r]) || !report_finding_visible(c, f))
				continue;
			hits++;
			if (c->fail_on != SEV_NONE && f->sev >= c->fail_on)
				fails++;
			if ((int)f->sev > worst)
				worst = f->sev;
			char t[32] = "-";
			if (f->ts != EV_NO_TS)
				clock_fmt_rfc3339(t, f->ts);
			e |= sbuf_printf(&body, "%s %s", sev_name(f->sev), t);
			if (f->user)
				e |= sbuf_printf(&body, " user %s", redact_str(rd, RC_USER, f->user));
			if (f->session)
				e |= sbuf_printf(&body, " session s%u", f->session);
			e |= sbuf_printf(&body, "\n  %s\n", redact_text(rd, f->summary ? f->summary : ""));
			if (f->hint && *f->hint)
				e |= sbuf_printf(&body, "  hint: %s\n", redact_text(rd, f->hint));
			for (uint32_t j = 0; j < f->nev && !e; j++) {
				char ref[1024];
				input_ref(ref, sizeof ref, f->ev[j].input, f->ev[j].pos);
				e |= sbuf_printf(&body, "    %s  %s\n", ref, redact_text(rd, f->ev[j].text));
			}
		}
		struct junit_case *jc = &v[n++];
		jc->classname = "authscope.rules";
		jc->name = rules[r];
		if (!hits) {
			sbuf_free(&body);
			continue;
		}
		sbuf_cstr(&body);
		own[nown++] = sbuf_take(&body);
		if (fails) {
			char msg[128];
			snprintf(msg, sizeof msg, "%zu finding(s), %zu at or above %s", hits, fails,
				 sev_name((unsigned)c->fail_on));
			own[nown++] = xstrdup(msg);
			jc->failure = own[nown - 1];
			jc->failure_type = sev_name((unsigned)worst);
			jc->body = own[nown - 2];
		} else {
			jc->out = own[nown - 1];
		}
	}
	if (n == 0)
		v[n++] = (struct junit_case){"authscope.inputs", "no input", NULL, NULL, NULL, NULL};
	int rc = junit_write(c->out, "authscope analyze", v, n);
	for (size_t i = 0; i < nown; i++)
		free(own[i]);
	free(own);
	free(v);
	free(rules);
	return rc;
}
