/* \summary: wiring of one run */
#include "cli/pipeline.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "cli/config_secrets.h"
#include "cli/ikekeys_opt.h"
#include "cli/secrets_opt.h"
#include "core/confcheck.h"
#include "core/input.h"
#include "core/rulemeta.h"
#include "core/str.h"

static void pipe_event(struct run *r, struct ev *e)
{
	struct input *in = input_get(e->input);
	if (in && e->ts != EV_NO_TS && in->clock.offset_s != 0)
		e->ts -= (int64_t)(in->clock.offset_s * 1e6);
	if (e->ts != EV_NO_TS && e->ts > r->watermark)
		run_tick(r, e->ts);
	roles_learn(r->roles, e);
	roles_fix(r->roles, e);
	sess_on_event(r->sessions, e);
	struct ev pm;
	if (roles_pap_mismatch(r->roles, e, &pm)) {
		if (r->on_event)
			r->on_event(r->on_event_ctx, &pm);
		rules_on_event(r->rules, &pm);
	}
	if (r->redact)
		redact_learn_event(r->redact, e);
	if (r->on_event)
		r->on_event(r->on_event_ctx, e);
	rules_on_event(r->rules, e);
	r->nevents++;
	progress_tick(&r->progress, r->ingest);
	confcheck_on_event(r->confcheck, e);   /* may emit config.check back here */
}

static void main_emit(struct ev_sink *self, struct ev *e)
{
	struct run *r = (struct run *)((char *)self - offsetof(struct run, main_sink));
	pipe_event(r, e);
}

static void clock_emit(struct ev_sink *self, struct ev *e)
{
	struct run *r = (struct run *)((char *)self - offsetof(struct run, clock_sink));
	clock_est_on_event(r->clock_est, e);
}

/* One plain file (not a directory, not an archive by its magic) has no
 * other clock to be matched against: the first pass would be wasted. */
static int single_plain_file(const struct opts *o)
{
	return o->inputs.n == 1 && ingest_plain_file(o->inputs.v[0]);
}

/* The first pass: estimate each source's zone and clock error from the
 * transactions several inputs saw (core/correlate.h). */
static void clock_prepass(struct run *r)
{
	r->clock_sink.emit = clock_emit;
	r->clock_est = clock_est_new();
	if (single_plain_file(r->o))
		return;
	ingest_prepass(r->ingest, &r->clock_sink);
	clock_est_solve(r->clock_est);
}

/* A clock error over CLOCK_SKEW_S becomes a clock.skew event for rules. */
static void clock_events(struct run *r)
{
	const struct clock_est_res *res;
	size_t n = r->clock_est ? clock_est_results(r->clock_est, &res) : 0;
	for (size_t i = 0; i < n; i++) {
		double off = res[i].offset_s;
		if (off < CLOCK_SKEW_S && off > -CLOCK_SKEW_S)
			continue;
		struct input *in = input_get(res[i].input), *ref = input_get(res[i].ref);
		struct ev e;
		ev_init(&e, EVK_CLOCK_SKEW, in->kind, res[i].input, res[i].pos);
		e.ts = res[i].ts;
		e.num = (int64_t)(off * 1e6);
		e.text = intern_cstr(ref->path);
		char d[512];
		snprintf(d, sizeof d, "%s runs %.1f s %s %s (median of %u matched events)",
			 in->path, off < 0 ? -off : off, off < 0 ? "behind" : "ahead of", ref->path,
			 res[i].basis);
		e.detail = intern_cstr(d);
		if (e.ts != EV_NO_TS && e.ts > r->watermark)
			r->watermark = e.ts;
		rules_on_event(r->rules, &e);
		if (r->on_event)
			r->on_event(r->on_event_ctx, &e);
	}
}

static void end_emit(struct ev_sink *self, struct ev *e)
{
	struct run *r = (struct run *)((char *)self - offsetof(struct run, end_sink));
	if (r->on_event)
		r->on_event(r->on_event_ctx, e);
	rules_on_event(r->rules, e);
}

struct ingest *run_new_ingest(const struct run *r)
{
	const struct opts *o = r->o;
	struct ingest_opts io = {
		.secrets = r->secrets, .ike_keys = r->ike_keys, .ports = r->ports,
		.tz = o->tz, .ntz = o->ntz, .year = o->year, .nyear = o->nyear,
		.diag = stderr, .quiet = o->quiet, .verbose = o->verbose, .cmd = o->cmd,
	};
	return ingest_new(&io);
}

int run_live_sources(const struct opts *o)
{
	return o->follow.n || o->interfaces.n || o->syslog;
}

int run_setup(struct run *r, const struct opts *o)
{
	memset(r, 0, sizeof *r);
	r->o = o;
	r->watermark = INT64_MIN;
	r->main_sink.emit = main_emit;
	r->end_sink.emit = end_emit;
	r->findings = findings_new();
	r->sessions = sess_new(&r->end_sink);
	r->roles = roles_new();
	r->rules = rules_new();
	r->confcheck = confcheck_new(&r->main_sink);
	if (o->redact && !(r->redact = redact_new())) {
		fprintf(stderr, "authscope %s: --redact: no random key could be drawn\n", o->cmd);
		return 2;
	}
	for (size_t i = 0; r->redact && i < o->secrets.n; i++) {
		/* [IP=]SECRET: the secret itself may hold '=', so learn every reading */
		const char *v = o->secrets.v[i], *a = strchr(v, '='), *b = strrchr(v, '=');
		redact_learn(r->redact, RC_SECRET, v);
		if (a && a[1])
			redact_learn(r->redact, RC_SECRET, a + 1);
		if (b && b[1])
			redact_learn(r->redact, RC_SECRET, b + 1);
	}

	int errs = 0;
	if (!o->no_default_rules)
		errs += rules_load_builtin(r->rules, stderr);
	for (size_t i = 0; i < o->rules.n; i++)
		errs += rules_load_path(r->rules, o->rules.v[i], stderr);
	if (errs) {
		fprintf(stderr, "authscope %s: %d error(s) in rules\n", o->cmd, errs);
		return 2;
	}
	for (size_t i = 0; i < o->severity.n; i++) {
		const char *eq = strchr(o->severity.v[i], '=');
		int sev = eq ? sev_lookup(eq + 1) : -1;
		char *id = eq ? xstrndup(o->severity.v[i], (size_t)(eq - o->severity.v[i])) : NULL;
		int bad = sev < 0 || rules_set_severity(r->rules, id, (unsigned)sev);
		free(id);
		if (bad) {
			fprintf(stderr, "authscope %s: --severity wants RULE=info|warning|error "
				"for a loaded rule: %s\n", o->cmd, o->severity.v[i]);
			return 2;
		}
	}
	rules_bind(r->rules, r->findings, r->sessions);

	struct secrets *sec;
	struct port_map *pm;
	int bad_secrets = secrets_opt_setup(o, &sec, &pm);
	r->secrets = sec;
	r->ports = pm;
	if (bad_secrets)
		return 2;
	struct ike_keys *ik;
	int bad_keys = ike_keys_opt_setup(o, &ik);
	r->ike_keys = ik;
	if (bad_keys)
		return 2;
	r->ingest = run_new_ingest(r);
	if (o->inputs.n == 0 && !run_live_sources(o)) {
		fprintf(stderr, "authscope %s: no input given (a file, a directory, a bundle or -)\n",
			o->cmd);
		return 2;
	}
	for (size_t i = 0; i < o->inputs.n; i++)
		if (ingest_add(r->ingest, o->inputs.v[i]))
			return 2;
	/* configs first: their RADIUS secrets serve the capture decoder */
	struct secrets *s = r->secrets;
	config_secrets_prepass(r->ingest, o, &s);
	r->secrets = s;
	clock_prepass(r);
	return 0;
}

static uint32_t sess_resolve_fn(void *ctx, uint32_t id)
{
	return sess_resolve(ctx, id);
}

void run_start_into(struct run *r, int progress, struct ev_sink *sink)
{
	progress_init(&r->progress, progress && !r->o->quiet);
	clock_events(r);
	ingest_start(r->ingest, sink);
}

void run_start(struct run *r, int progress)
{
	run_start_into(r, progress, &r->main_sink);
}

void run_tick(struct run *r, int64_t now)
{
	if (now == EV_NO_TS || now <= r->watermark)
		return;
	r->watermark = now;
	sess_advance(r->sessions, now);
	rules_advance(r->rules, now);
}

void run_finish(struct run *r)
{
	progress_done(&r->progress);
	confcheck_finish(r->confcheck);
	sess_finish(r->sessions);
	rules_finish(r->rules);
	findings_resession(r->findings, sess_resolve_fn, r->sessions);
	findings_finalize(r->findings);
	if (r->o->verbose) {
		uint64_t done, total;
		ingest_progress(r->ingest, &done, &total);
		size_t nf = 0;
		for (size_t i = 0; i < findings_count(r->findings); i++)
			nf += !findings_at(r->findings, i)->suppressed;
		fprintf(stderr, "authscope %s: %u input(s), %llu bytes, %llu events, %zu session(s), "
			"%zu finding(s)\n", r->o->cmd, input_count(), (unsigned long long)done,
			(unsigned long long)r->nevents, sess_count(r->sessions), nf);
	}
}

int run_all(struct run *r)
{
	/* no bar while events stream to the same terminal: they would mix */
	run_start(r, !(r->on_event && isatty(STDOUT_FILENO) &&
		       (!r->o->output || !strcmp(r->o->output, "-"))));
	while (ingest_step(r->ingest, SIZE_MAX) == INGEST_MORE)
		;
	run_finish(r);
	return 0;
}

void run_free(struct run *r)
{
	ingest_free(r->ingest);
	rules_free(r->rules);
	sess_free(r->sessions);
	confcheck_free(r->confcheck);
	clock_est_free(r->clock_est);
	roles_free(r->roles);
	findings_free(r->findings);
	secrets_free(r->secrets);
	ike_keys_free(r->ike_keys);
	port_map_free(r->ports);
	redact_free(r->redact);
}

int run_exit_status(struct run *r)
{
	if (r->o->fail_on == SEV_NONE)
		return 0;
	for (size_t i = 0; i < findings_count(r->findings); i++) {
		const struct finding *f = findings_at(r->findings, i);
		if (!f->suppressed && f->sev >= r->o->fail_on)
			return 1;
	}
	return 0;
}

FILE *run_output(const struct opts *o)
{
	if (!o->output || !strcmp(o->output, "-"))
		return stdout;
	FILE *f = fopen(o->output, "w");
	if (!f)
		fprintf(stderr, "authscope %s: cannot write %s\n", o->cmd, o->output);
	return f;
}

int term_color(FILE *f)
{
	const char *nc = getenv("NO_COLOR");
	const char *term = getenv("TERM");
	return isatty(fileno(f)) && !(nc && *nc) && !(term && !strcmp(term, "dumb"));
}
