/* \summary: findings: a named diagnosis with its evidence
 *
 * One cause, one finding: findings merge by (rule, key) — the key is the
 * session id when the finding belongs to a login, else a string the rule
 * chooses (an input, a user, a config pair). A rule can supersede others:
 * when a finding of the winner exists for a session, the loser's finding
 * for that session is dropped at finalize time (rules.md precedence).
 */
#ifndef AUTHSCOPE_CORE_FINDING_H
#define AUTHSCOPE_CORE_FINDING_H

#include <stddef.h>
#include <stdint.h>

enum severity { SEV_INFO, SEV_WARNING, SEV_ERROR, SEV_NONE };
const char *sev_name(unsigned s);
int sev_lookup(const char *name);       /* -1 when unknown; "none" = SEV_NONE */

struct evidence {
	uint32_t input;
	uint64_t pos;
	int64_t ts;
	char *text;                 /* owned; raw as read, escaped at output */
};

#define FINDING_MAX_EVIDENCE 64     /* more are counted in evidence_dropped */

struct finding {
	uint32_t id;                /* order of creation, 1-based */
	const char *rule;           /* interned rule id */
	uint8_t sev;
	uint8_t open_at_end;        /* an absence timer still open at end of input */
	uint8_t suppressed;         /* dropped by precedence: not reported */
	const char *user;           /* interned, may be NULL */
	uint32_t session;           /* 0 = not tied to one login */
	const char *key;            /* interned merge key when session == 0 */
	int64_t ts;                 /* time of the first evidence */
	char *summary;              /* owned */
	const char *hint;           /* interned: most findings of a rule share one text */
	struct evidence *ev;
	uint32_t nev, cap_ev, evidence_dropped;
};

struct finding_set;
struct finding_set *findings_new(void);
void findings_free(struct finding_set *fs);

/* The finding for (rule, session) or (rule, key); created when new (then
 * *created = 1 and summary/hint are NULL for the caller to fill). */
struct finding *findings_get(struct finding_set *fs, const char *rule,
			     uint32_t session, const char *key, int *created);
/* Append evidence unless the same (input, pos) is already there. */
void finding_add_evidence(struct finding *f, uint32_t input, uint64_t pos,
			  int64_t ts, const char *text, size_t len);
void finding_set_text(struct finding *f, const char *summary, const char *hint);

/* winner supersedes loser (both rule ids). */
void findings_supersede(struct finding_set *fs, const char *winner, const char *loser);
/* Sessions merged after findings were raised: every finding's session
 * becomes resolve(ctx, session); a finding that then duplicates (rule,
 * session) of an earlier one hands it its evidence and is suppressed. */
void findings_resession(struct finding_set *fs, uint32_t (*resolve)(void *ctx, uint32_t id),
			void *ctx);
/* Apply precedence and sort by (time, id). Idempotent. */
void findings_finalize(struct finding_set *fs);

size_t findings_count(const struct finding_set *fs);     /* including suppressed */

/* Live: free every finding drop() says yes to (the findings of logins
 * that aged out of the dashboard). The rest keep their order; pointers to
 * the dropped ones become invalid. A later findings_get for the same
 * (rule, session|key) makes a new finding with a new id. Returns how many. */
size_t findings_release(struct finding_set *fs, int (*drop)(void *ctx, const struct finding *f),
			void *ctx);
struct finding *findings_at(struct finding_set *fs, size_t i);

#endif
