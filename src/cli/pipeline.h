/* \summary: one run: ingest -> events -> sessions -> rules -> findings
 *
 * analyze, events, check and timeline all run this to end of input; live
 * runs the same objects forever. There is no second code path for batch.
 */
#ifndef AUTHSCOPE_CLI_PIPELINE_H
#define AUTHSCOPE_CLI_PIPELINE_H

#include <stdio.h>

#include "cli/opts.h"
#include "cli/progress.h"
#include "core/confcheck.h"
#include "core/correlate.h"
#include "core/finding.h"
#include "core/session.h"
#include "ingest/ingest.h"
#include "report/redact.h"
#include "rules/engine.h"

struct run;
/* Called for every event after the session table has seen it (events cmd). */
typedef void (*run_event_fn)(void *ctx, const struct ev *e);

struct run {
	const struct opts *o;
	struct ingest *ingest;
	struct sess_table *sessions;
	struct rules *rules;
	struct finding_set *findings;
	struct confcheck *confcheck;    /* config facts -> config.check events */
	int64_t watermark;
	run_event_fn on_event;
	void *on_event_ctx;
	struct ev_sink main_sink;       /* events from ingest */
	struct ev_sink end_sink;        /* session.end from the session table */
	void *secrets, *ike_keys, *ports;  /* decoder-owned option objects */
	struct redactor *redact;        /* --redact: learns every event's identities */
	struct progress progress;       /* the bar on a terminal's stderr */
	uint64_t nevents;
	struct ev_sink clock_sink;      /* first pass: keys for the clock estimator */
	struct clock_est *clock_est;
	struct role_map *roles;         /* addresses -> headend/proxy/primary */
};

/* Build a run from options: loads rules, registers inputs. Returns 0, or
 * 2 after a one-line message (usage error, unreadable input, bad rules). */
int run_setup(struct run *r, const struct opts *o);
/* Run to end of input; findings finalized afterwards. The same as
 * run_start, ingest_step until INGEST_DONE, run_finish. */
int run_all(struct run *r);
/* Incremental driving (live): start the run's ingest (progress: draw the
 * bar on a terminal), let the caller step r->ingest and any other ingest
 * feeding &r->main_sink, then run_finish closes sessions and timers and
 * finalizes findings. */
void run_start(struct run *r, int progress);
/* run_start with r->ingest's events going to sink first (live re-stamps a
 * replay mixed with live sources, then passes them to &r->main_sink). */
void run_start_into(struct run *r, int progress, struct ev_sink *sink);
void run_finish(struct run *r);
/* Advance the watermark to now (event time, us) when it is later: session
 * and rule timers fire. Events advance it themselves; live also calls it
 * with the wall clock minus an allowed lag, so a silent source cannot
 * freeze the screen. */
void run_tick(struct run *r, int64_t now);
/* A second ingest with the run's options (secrets, keys, ports, --tz),
 * for sources outside r->ingest (live: followed files, sockets). */
struct ingest *run_new_ingest(const struct run *r);
/* --follow, --interface or --syslog given: a run may have no INPUT. */
int run_live_sources(const struct opts *o);
void run_free(struct run *r);

/* Exit status per the contract: 1 when a reported finding is at or above
 * --fail-on, else 0. */
int run_exit_status(struct run *r);

/* Colour only on a terminal and never with NO_COLOR set. */
int term_color(FILE *f);

/* Open -o FILE or stdout. */
FILE *run_output(const struct opts *o);

#endif
