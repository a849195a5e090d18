/* \summary: the rules engine: stanza rules over events and sessions
 *
 * Rules are data (the .rules files, see authscope-rules(5)). The engine
 * compiles each rule once, indexes it by the event kinds it names, runs
 * timers on event time, and writes findings into a finding_set. Findings
 * are also fed back as `finding` events, so rules can reason over them
 * (widespread-failure). Precedence (one cause, one finding) is declared by
 * rules (`supersedes`) and applied by findings_finalize().
 */
#ifndef AUTHSCOPE_RULES_ENGINE_H
#define AUTHSCOPE_RULES_ENGINE_H

#include <stdint.h>
#include <stdio.h>

#include "core/event.h"
#include "core/finding.h"
#include "core/session.h"

struct rules;

struct rules *rules_new(void);
void rules_free(struct rules *r);

/* Load the embedded pack / a file or a directory of *.rules. Errors are
 * written as "file:line: message" lines to err; returns the error count. */
int rules_load_builtin(struct rules *r, FILE *err);
int rules_load_path(struct rules *r, const char *path, FILE *err);
int rules_load_text(struct rules *r, const char *name, const char *text, size_t len, FILE *err);

/* Severity overrides (from options): rule id -> severity. */
int rules_set_severity(struct rules *r, const char *id, unsigned sev);

/* Wire the engine to a run. sessions may be NULL (events only). */
void rules_bind(struct rules *r, struct finding_set *fs, struct sess_table *sessions);

/* Feed one event (after the session table has seen it: e->session set). */
void rules_on_event(struct rules *r, const struct ev *e);
/* Advance timers to event time now (a watermark; never the wall clock). */
void rules_advance(struct rules *r, int64_t now);
/* End of input: close every open timer explicitly (findings say so). */
void rules_finish(struct rules *r);

/* Where runtime notes go (a rule turned off by its regex's match limit);
 * stderr by default, NULL for none. */
void rules_set_diag(struct rules *r, FILE *f);
/* Checks only the whole loaded set can make (for `rules lint`): warns about
 * supersedes naming no loaded rule, reports rules that feed each other
 * through finding events in a loop. Returns the error count. Built-in rules
 * are checked only when include_builtin is set. */
int rules_check(struct rules *r, FILE *err, int include_builtin);
/* The full text of one rule (for `rules explain`); -1 when unknown. */
int rules_explain(struct rules *r, const char *id, FILE *out);
size_t rules_count(const struct rules *r);
/* Live: the finding with this id is being released from the finding set
 * (core/finding.h findings_release): free what the engine keeps for it. */
void rules_forget_finding(struct rules *r, uint32_t id);
/* State dropped because a table was full (timers, counted events). */
uint64_t rules_evictions(const struct rules *r);

#endif
