/* \summary: check's expectation files: parse, compare with findings, rewrite
 *
 * One expectation a line: `RULE USER COUNT [# comment]`. USER is a name
 * (compared like --user: case, DOMAIN\ and @realm ignored), `*` for any
 * user, or `-` for findings that name no user. COUNT is exact (`2`), a
 * range (`1..3`) or open above (`1..`); `0` says the finding must not
 * occur. `#` starts a comment; a name with blanks or `#` is written in
 * double quotes (escapes \" \\ \n \r \t). Findings whose rule no expectation names are listed by
 * check but do not make it fail.
 */
#ifndef AUTHSCOPE_CLI_EXPECT_H
#define AUTHSCOPE_CLI_EXPECT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/finding.h"

#define EXPECT_ANY_USER ((const char *)1)    /* `*` */
#define EXPECT_MAX_COUNT UINT32_MAX          /* `A..` */

struct expectation {
	char *rule;
	const char *user;           /* owned copy, EXPECT_ANY_USER, or NULL for `-` */
	uint32_t lo, hi;
	unsigned line;              /* 1-based line in the file */
	uint32_t actual;            /* filled by expect_compare */
	int holds;
};

struct expect_file {
	char **lines;               /* every line as read (for --update) */
	size_t nlines;
	size_t header;              /* leading comment/blank lines kept by --update */
	struct expectation *v;
	size_t n;
};

/* Parse text; errors as "NAME:LINE: message" lines to err. Returns the
 * error count (0 = ok). ef is valid (maybe partial) either way. */
int expect_parse(struct expect_file *ef, const char *name, const char *text,
		 size_t len, FILE *err);
void expect_free(struct expect_file *ef);

/* A visible finding (filter decides; NULL = every unsuppressed one). */
typedef int (*expect_filter_fn)(void *ctx, const struct finding *f);

/* Fill actual/holds of each expectation; returns how many fail. */
size_t expect_compare(struct expect_file *ef, struct finding_set *fs,
		      expect_filter_fn filter, void *ctx);

/* (rule, user) groups of visible findings, sorted by rule then user (no
 * user first). Each group counts findings of that rule whose user
 * normalizes the same. covered = some expectation names the rule. */
struct expect_group {
	const char *rule, *user;    /* interned; user NULL = none */
	uint32_t count;
	int covered;
};
size_t expect_groups(const struct expect_file *ef, struct finding_set *fs,
		     expect_filter_fn filter, void *ctx, struct expect_group **out);

/* Write the token for a user (quoted when needed) / a count. */
void expect_put_user(FILE *o, const char *user);
void expect_put_count(FILE *o, uint32_t lo, uint32_t hi);

/* The --update text: the header comment kept (or a new one), lines of
 * holding expectations kept as they are, failing ones rewritten with the
 * actual count, then uncovered groups appended in sorted order. Running it
 * twice gives the same file. */
void expect_write_update(FILE *o, const struct expect_file *ef,
			 const struct expect_group *g, size_t ng);

#endif
