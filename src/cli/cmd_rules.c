/* \summary: authscope rules list | lint FILE... | explain RULE-ID
 *
 * list: every loaded rule (the built-in pack unless --no-default-rules,
 * plus --rules), one line each: id, severity, kind, title.
 * lint: parse the files given (against the built-in pack, so a file may
 * override a built-in rule and supersede rules defined elsewhere); errors
 * as "file:line: message", exit 1 on any error. explain: one rule's text.
 */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "core/escape.h"
#include "core/finding.h"
#include "core/rulemeta.h"
#include "rules/engine.h"

static int load_all(struct rules *r, const struct opts *o, FILE *err)
{
	int errs = 0;
	if (!o->no_default_rules)
		errs += rules_load_builtin(r, err);
	for (size_t i = 0; i < o->rules.n; i++)
		errs += rules_load_path(r, o->rules.v[i], err);
	return errs;
}

static int do_list(struct opts *o)
{
	struct rules *r = rules_new();
	int errs = load_all(r, o, stderr);
	if (errs) {
		fprintf(stderr, "authscope rules: %d error(s) in rules\n", errs);
		rules_free(r);
		return 2;
	}
	size_t w = 4;
	for (size_t i = 0; i < rulemeta_count(); i++) {
		size_t l = strlen(rulemeta_at(i)->id);
		if (l > w)
			w = l;
	}
	printf("%-*s  %-8s  %-10s  %s\n", (int)w, "RULE", "SEVERITY", "KIND", "TITLE");
	for (size_t i = 0; i < rulemeta_count(); i++) {
		const struct rule_meta *m = rulemeta_at(i);
		printf("%-*s  %-8s  %-10s  ", (int)w, m->id, sev_name(m->sev), m->kind ? m->kind : "?");
		fputs_text(stdout, m->title ? m->title : "");
		putchar('\n');
	}
	rules_free(r);
	return 0;
}

static int do_lint(struct opts *o)
{
	if (o->inputs.n < 2) {
		fprintf(stderr, "authscope rules lint: name the rule files (or directories) to check\n");
		return 2;
	}
	struct rules *r = rules_new();
	int errs = o->no_default_rules ? 0 : rules_load_builtin(r, stderr);
	if (errs)
		fprintf(stderr, "authscope rules lint: the built-in pack itself has %d error(s)\n", errs);
	for (size_t i = 1; i < o->inputs.n; i++)
		errs += rules_load_path(r, o->inputs.v[i], stdout);
	if (!errs)
		errs += rules_check(r, stdout, 0);
	rules_free(r);
	if (errs) {
		fprintf(stderr, "authscope rules lint: %d error(s)\n", errs);
		return 1;
	}
	return 0;
}

static int do_explain(struct opts *o)
{
	if (o->inputs.n != 2) {
		fprintf(stderr, "authscope rules explain: name one rule id (see authscope rules list)\n");
		return 2;
	}
	struct rules *r = rules_new();
	int errs = load_all(r, o, stderr);
	int rc = 0;
	if (errs) {
		fprintf(stderr, "authscope rules: %d error(s) in rules\n", errs);
		rc = 2;
	} else if (rules_explain(r, o->inputs.v[1], stdout)) {
		fprintf(stderr, "authscope rules explain: no rule '");
		fputs_text(stderr, o->inputs.v[1]);
		fprintf(stderr, "' (see authscope rules list)\n");
		rc = 2;
	}
	rules_free(r);
	return rc;
}

int cmd_rules(struct opts *o)
{
	const char *sub = o->inputs.n ? o->inputs.v[0] : NULL;
	if (sub && !strcmp(sub, "list"))
		return o->inputs.n == 1 ? do_list(o)
					: (fprintf(stderr, "authscope rules list: takes no arguments\n"), 2);
	if (sub && !strcmp(sub, "lint"))
		return do_lint(o);
	if (sub && !strcmp(sub, "explain"))
		return do_explain(o);
	fprintf(stderr, "usage: authscope rules list | lint FILE... | explain RULE-ID\n");
	return 2;
}
