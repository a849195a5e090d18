/* \summary: the ladder: a session's stages as arrows between five roles
 *
 * One model for every view that draws a login: the text timeline and the
 * HTML SVG (report/) and the dashboard's detail view (tui/), which is why it
 * lives on the floor both stand on. Columns are the roles client,
 * headend, proxy, primary and Duo. A stage with from/to roles is an arrow;
 * one without is a note at the column of the box that logged it. A
 * response's latency is measured from the last unanswered message the
 * other way on the same leg. The failing leg is the row a finding of the
 * session cites as evidence (the most severe finding first); without one,
 * for a login that did not succeed, the last row whose kind says it broke.
 */
#ifndef AUTHSCOPE_CORE_LADDER_H
#define AUTHSCOPE_CORE_LADDER_H

#include <stddef.h>
#include <stdint.h>

#include "core/finding.h"
#include "core/session.h"

#define LADDER_COLS 5               /* client headend proxy primary duo */

struct ladder_row {
	int64_t ts;                 /* EV_NO_TS when the source had no time */
	int64_t rel_us;             /* since the session's first stamped row; -1 */
	int64_t latency_us;         /* response: since its request; else -1 */
	int8_t from, to;            /* columns 0..4, or -1 */
	int8_t col;                 /* note: the column it happened at */
	uint8_t failed;             /* the failing leg */
	uint16_t kind;
	const char *what;           /* the kind's full name (radius.request) */
	const char *detail;         /* stage detail (may be NULL) */
	uint32_t input;
	uint64_t pos;
};

struct ladder {
	const struct session *s;
	struct ladder_row *rows;
	size_t n;
	long fail_row;              /* index, or -1 */
	const struct finding *why;  /* the finding the failing leg is cited by, or NULL */
	uint8_t cols_used;          /* bit per column that has an arrow end or a note */
};

/* Build from a finished session; fs may be NULL (no findings known). */
void ladder_build(struct ladder *l, const struct session *s, struct finding_set *fs);
/* Same with the session's most severe finding already known (NULL: none);
 * for many sessions, ladder_why_index finds them all in one pass. */
void ladder_build_why(struct ladder *l, const struct session *s, const struct finding *why);
/* The most severe unsuppressed finding of each session, indexed by session
 * id (1..nsess); the caller frees the array. */
const struct finding **ladder_why_index(struct finding_set *fs, size_t nsess);
void ladder_free(struct ladder *l);

/* Column title ("client", ...); col 0..4. */
const char *ladder_col_name(int col);
/* Column of a role, -1 for ROLE_NONE. */
int ladder_role_col(unsigned role);
/* A latency as "412 us", "12.3 ms", "1.58 s"; "" for -1. */
void ladder_fmt_latency(char *b, size_t n, int64_t us);

#endif
