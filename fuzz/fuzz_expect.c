/* \summary: fuzz check's expectation parser and --update: arbitrary bytes
 * as an expect file give errors or expectations, never a crash; and when
 * they parse, the --update text of them parses again and every line of it
 * holds against the same findings (the round trip check --update promises). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/expect.h"
#include "core/finding.h"
#include "core/str.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct finding_set *findings(void)
{
	static const char *const rules[] = {"primary-reject", "radius-retransmit", "duo-deny"};
	static const char *const users[] = {"alice", "CORP\\Alice", "bob", NULL, "o\"d d#"};
	struct finding_set *fs = findings_new();
	for (unsigned i = 0; i < 9; i++) {
		int cr;
		struct finding *f = findings_get(fs, intern_cstr(rules[i % 3]), i + 1, NULL, &cr);
		f->user = intern_cstr(users[i % 5]);
	}
	return fs;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *devnull = fopen("/dev/null", "w");
	if (!devnull)
		return 0;
	struct finding_set *fs = findings();
	struct expect_file ef;
	int errs = expect_parse(&ef, "fuzz", (const char *)data, size, devnull);
	expect_compare(&ef, fs, NULL, NULL);
	struct expect_group *g = NULL;
	size_t ng = expect_groups(&ef, fs, NULL, NULL, &g);
	if (!errs) {
		char *out = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&out, &len);
		if (m) {
			expect_write_update(m, &ef, g, ng);
			fclose(m);
			struct expect_file again;
			if (expect_parse(&again, "update", out, len, devnull) != 0)
				abort();
			if (expect_compare(&again, fs, NULL, NULL) != 0)
				abort();
			expect_free(&again);
		}
		free(out);
	}
	free(g);
	expect_free(&ef);
	findings_free(fs);
	str_shutdown();     /* one input is one run: its interned strings go too */
	fclose(devnull);
	return 0;
}
