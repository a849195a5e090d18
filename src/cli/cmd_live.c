/* \summary: live: the dashboard over the same run as analyze, one poll loop
 *
 * Two ingests feed the run's one pipeline (struct run: sessions, rules,
 * findings): r.ingest holds the --replay inputs, paced on their own event
 * time scaled by --speed; a second one holds the live sources (followed
 * files, the syslog receiver, capture interfaces), which say when they
 * have nothing (SRC_AGAIN) and name a descriptor to poll. One poll()
 * waits on those descriptors, the terminal, the captured standard error
 * and a timeout (the next redraw, the next replayed event, the one-second
 * stat fallback of followed files): no busy waiting.
 *
 * Event-time timers (sessions, rules) advance on the events' watermark and
 * also on the clock minus an allowed lag (run_tick), so a silent source
 * cannot freeze the screen. The clock is the wall clock when a live source
 * is given; a replay alone runs a virtual clock (its first event's time,
 * advancing at --speed). A replay mixed with live sources is moved to the
 * present: its events are re-stamped as if happening now.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/pipeline.h"
#include "core/str.h"
#include "ingest/live.h"
#include "report/redact.h"
#include "rules/engine.h"
#include "tui/dash.h"
#include "tui/screen.h"

#define LIVE_LAG_US (3LL * 1000000)     /* live sources may be this late (a capture
					   holds RADIUS events 2 s for pairing) */
#define LIVE_BATCH 4096                 /* events per source per loop turn */
#define LIVE_MAX_FDS 256

static volatile sig_atomic_t live_stop;

static void on_signal(int sig)
{
	(void)sig;
	live_stop = 1;
}

static int64_t mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int64_t real_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

struct live {
	struct run r;
	const struct opts *o;
	struct ingest *lg;          /* live sources; NULL when none */
	struct dash *d;
	struct tui *tui;
	int replay, replay_done, finished;
	int only_replay;            /* no live source: the virtual clock */
	double speed;
	int64_t base, wall0;        /* replay: event time base at monotonic wall0 */
	int64_t real0;              /* mixed: the real time replay starts at */
	struct ev_sink shift;       /* mixed: re-stamps replayed events */
	int err_rd, saved_err;      /* standard error captured while the screen is up */
	struct sbuf errbuf;
};

/* The replay's clock: event time now, from the monotonic clock. */
static int64_t replay_clock(const struct live *L, int64_t mono)
{
	if (L->base == EV_NO_TS)
		return EV_NO_TS;
	return L->base + (int64_t)((double)(mono - L->wall0) * L->speed);
}

static void shift_emit(struct ev_sink *self, struct ev *e)
{
	struct live *L = (struct live *)((char *)self - offsetof(struct live, shift));
	if (e->ts != EV_NO_TS && L->base != EV_NO_TS)
		e->ts = L->real0 + (int64_t)((double)(e->ts - L->base) / L->speed);
	L->r.main_sink.emit(&L->r.main_sink, e);
}

static void on_event(void *ctx, const struct ev *e)
{
	struct live *L = ctx;
	dash_on_event(L->d, e);
}

static void forget(void *ctx, const struct finding *f)
{
	struct live *L = ctx;
	rules_forget_finding(L->r.rules, f->id);
}

static const char *red_str_cb(void *ctx, int cls, const char *s)
{
	static const unsigned map[] = {[DR_USER] = RC_USER, [DR_IP] = RC_IP, [DR_NAS] = RC_NAS,
				       [DR_STATION] = RC_STATION};
	return redact_str(ctx, cls >= 0 && cls <= DR_STATION ? map[cls] : RC_IP, s);
}

static const char *red_text_cb(void *ctx, const char *s)
{
	return redact_text(ctx, s);   /* each use copies it at once */
}

static void live_note(void *ctx, const char *msg)
{
	struct live *L = ctx;
	if (L->tui || !L->o->headless) {
		dash_note(L->d, "%s", msg);
	} else {
		fprintf(stderr, "authscope live: %s\n", msg);
		dash_note(L->d, "%s", msg);
	}
}

/* Standard error goes to a pipe while curses owns the terminal: rule and
 * source messages become status notes instead of garbling the screen. */
static int capture_stderr(struct live *L)
{
	int p[2];
	if (pipe(p))
		return -1;
	fflush(stderr);
	L->saved_err = dup(STDERR_FILENO);
	if (L->saved_err < 0 || dup2(p[1], STDERR_FILENO) < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	close(p[1]);
	fcntl(p[0], F_SETFL, fcntl(p[0], F_GETFL) | O_NONBLOCK);
	fcntl(p[0], F_SETFD, FD_CLOEXEC);
	L->err_rd = p[0];
	setvbuf(stderr, NULL, _IONBF, 0);
	return 0;
}

static void drain_stderr(struct live *L)
{
	char buf[4096];
	ssize_t n;
	while ((n = read(L->err_rd, buf, sizeof buf)) > 0) {
		if (sbuf_add(&L->errbuf, buf, (size_t)n)) {
			sbuf_reset(&L->errbuf);   /* runaway messages: keep the newest */
		}
	}
	/* the last complete line becomes the note */
	const char *p = L->errbuf.p;
	size_t len = L->errbuf.len;
	if (!len)
		return;
	size_t end = len;
	while (end && p[end - 1] != '\n')
		end--;
	if (!end)
		return;
	size_t start = end - 1;
	while (start && p[start - 1] != '\n')
		start--;
	char line[512];
	size_t ln = end - 1 - start;
	if (ln >= sizeof line)
		ln = sizeof line - 1;
	memcpy(line, p + start, ln);
	line[ln] = 0;
	dash_note(L->d, "%s", line);
}

static void restore_stderr(struct live *L)
{
	if (L->saved_err < 0)
		return;
	drain_stderr(L);
	fflush(stderr);
	dup2(L->saved_err, STDERR_FILENO);
	close(L->saved_err);
	close(L->err_rd);
	L->saved_err = L->err_rd = -1;
	if (L->errbuf.len)   /* what was said while the screen was up */
		fwrite(L->errbuf.p, 1, L->errbuf.len, stderr);
}

static int add_sources(struct live *L, char *err, size_t errsz)
{
	const struct opts *o = L->o;
	struct live_env env = {
		.note = live_note, .note_ctx = L,
		.drop_user = o->drop_user,
	};
	for (size_t i = 0; i < o->follow.n; i++)
		if (live_follow(L->lg, o->follow.v[i], &env, err, errsz))
			return -1;
	if (o->syslog && live_syslog(L->lg, o->syslog, &env, err, errsz))
		return -1;
	/* interfaces last: -Z drops privileges once their handles are open */
	for (size_t i = 0; i < o->interfaces.n; i++) {
		env.drop_user = i + 1 == o->interfaces.n ? o->drop_user : NULL;
		if (live_interface(L->lg, o->interfaces.v[i], o->bpf, &env, err, errsz))
			return -1;
	}
	if (o->drop_user && !o->interfaces.n)
		live_drop_privileges(o->drop_user, &env);
	return 0;
}

static void make_title(struct live *L)
{
	const struct opts *o = L->o;
	struct sbuf b;
	sbuf_init(&b, 4096);
	for (size_t i = 0; i < o->follow.n; i++)
		if (sbuf_printf(&b, "%sfollow %s", b.len ? ", " : "", o->follow.v[i])) {
		}
	for (size_t i = 0; i < o->interfaces.n; i++)
		if (sbuf_printf(&b, "%sinterface %s", b.len ? ", " : "", o->interfaces.v[i])) {
		}
	if (o->syslog && sbuf_printf(&b, "%ssyslog %s", b.len ? ", " : "", o->syslog)) {
	}
	if (L->replay && o->inputs.n == 1 &&
	    sbuf_printf(&b, "%sreplay %s at %gx", b.len ? ", " : "", o->inputs.v[0], o->speed)) {
	}
	if (L->replay && o->inputs.n > 1 &&
	    sbuf_printf(&b, "%sreplay %zu inputs at %gx", b.len ? ", " : "", o->inputs.n,
			o->speed)) {
	}
	dash_set_title(L->d, sbuf_cstr(&b));
	sbuf_free(&b);
}

/* Emit the replay's due events (at most LIVE_BATCH). Returns 1 when more
 * are due right now; *next_due is the monotonic time of the next one. */
static int pace_replay(struct live *L, int64_t mono, int64_t *next_due)
{
	*next_due = INT64_MAX;
	for (int n = 0; n < LIVE_BATCH; n++) {
		int64_t k;
		if (!ingest_peek(L->r.ingest, &k)) {
			if (ingest_step(L->r.ingest, 1) == INGEST_DONE) {
				L->replay_done = 1;
				return 0;
			}
			continue;
		}
		if (k != INT64_MIN && L->base == EV_NO_TS) {
			L->base = k;
			L->wall0 = mono;
			L->real0 = real_us();
		}
		if (k != INT64_MIN && k > replay_clock(L, mono)) {
			*next_due = L->wall0 + (int64_t)((double)(k - L->base) / L->speed) + 1;
			return 0;
		}
		ingest_step(L->r.ingest, 1);
	}
	return 1;
}

static int64_t live_clock(const struct live *L, int64_t mono)
{
	return L->only_replay ? replay_clock(L, mono) : real_us();
}

static int run_loop(struct live *L)
{
	const struct opts *o = L->o;
	int headless = o->headless;
	int64_t next_draw = 0, last_snap = mono_us() - 1000000, last_draw = 0;
	uint64_t drawn_events = UINT64_MAX;
	int keyed = 0;
	while (!live_stop) {
		int64_t mono = mono_us();
		int busy = 0;
		int64_t next_due = INT64_MAX;
		if (L->replay && !L->replay_done)
			busy |= pace_replay(L, mono, &next_due);
		if (L->lg && ingest_step(L->lg, LIVE_BATCH) == INGEST_MORE)
			busy = 1;

		/* the watermark: the clock minus the lag, never past a queued
		 * replay event that is due but not emitted yet */
		if (!L->finished) {
			int64_t now = live_clock(L, mono);
			if (now != EV_NO_TS) {
				int64_t wm = L->only_replay ? now : now - LIVE_LAG_US;
				int64_t k;
				if (L->only_replay && busy && ingest_peek(L->r.ingest, &k) && k < wm)
					wm = k;
				run_tick(&L->r, wm);
				dash_clock(L->d, now);
			}
		}
		if (L->replay_done && L->only_replay && !L->finished) {
			run_finish(&L->r);
			L->finished = 1;
			dash_set_finished(L->d, 1);
			if (headless)
				break;
			next_draw = 0;
		}

		mono = mono_us();
		if (headless) {
			if (o->on_change) {
				/* a snapshot when something changed: looked at after
				 * new events (at most ten times a second) and once a
				 * second (notes, the clock closing sessions) */
				int fresh = L->r.nevents != drawn_events;
				if ((fresh && mono - last_snap >= 100000) || mono >= next_draw) {
					if (dash_update(L->d)) {
						dash_snapshot(L->d, stdout);
						last_snap = mono;
					}
					drawn_events = L->r.nevents;
					next_draw = mono + 1000000;
				} else if (fresh && last_snap + 100000 < next_draw) {
					next_draw = last_snap + 100000;
				}
			} else if (mono >= next_draw) {
				dash_update(L->d);
				dash_snapshot(L->d, stdout);
				next_draw = mono + 1000000;
			}
			if (ferror(stdout))
				return 2;
		} else {
			/* new events: redraw within 100 ms; else once a second (the
			 * clock, the rate window); a key: at once */
			if (L->r.nevents != drawn_events && next_draw > last_draw + 100000)
				next_draw = last_draw + 100000;
			if (mono >= next_draw || keyed) {
				dash_update(L->d);
				tui_draw(L->tui, L->d);
				drawn_events = L->r.nevents;
				last_draw = mono;
				next_draw = mono + 1000000;
				keyed = 0;
			}
		}

		/* wait */
		int timeout;
		if (busy) {
			timeout = 0;
		} else {
			int64_t until = next_draw;
			if (next_due < until)
				until = next_due;
			if (L->lg) {
				int64_t w = live_wake(L->lg);
				if (w < until)
					until = w;
			}
			int64_t ms = (until - mono + 999) / 1000;
			timeout = ms < 0 ? 0 : ms > 1000 ? 1000 : (int)ms;
		}
		struct pollfd pf[LIVE_MAX_FDS + 2];
		nfds_t npf = 0;
		int ifd[LIVE_MAX_FDS];
		size_t nfd = L->lg ? ingest_pollfds(L->lg, ifd, LIVE_MAX_FDS) : 0;
		for (size_t i = 0; i < nfd; i++)
			pf[npf++] = (struct pollfd){ifd[i], POLLIN, 0};
		int err_at = -1;
		if (L->tui)
			pf[npf++] = (struct pollfd){tui_fd(L->tui), POLLIN, 0};
		if (L->err_rd >= 0) {
			err_at = (int)npf;
			pf[npf++] = (struct pollfd){L->err_rd, POLLIN, 0};
		}
		int pr = poll(pf, npf, timeout);
		if (pr < 0 && errno != EINTR)
			break;
		if (L->tui) {
			/* keys (a resize arrives as a key after EINTR too) */
			int k;
			while ((k = tui_key(L->tui)) != -1) {
				if (dash_key(L->d, k))
					return 0;
				keyed = 1;
			}
		}
		if (err_at >= 0 && pr > 0 && (pf[err_at].revents & POLLIN))
			drain_stderr(L);
	}
	return 0;
}

int cmd_live(struct opts *o)
{
	if (o->inputs.n && !o->replay) {
		fprintf(stderr, "authscope live: INPUT is read with --replay (or follow a growing file "
			"with --follow)\n");
		return 2;
	}
	if (o->replay && !o->inputs.n) {
		fprintf(stderr, "authscope live: --replay wants at least one INPUT\n");
		return 2;
	}
	if (!o->replay && !run_live_sources(o)) {
		fprintf(stderr, "authscope live: nothing to watch: give --follow FILE, --interface IF, "
			"--syslog udp:ADDR:PORT or --replay INPUT...\n");
		return 2;
	}
	if (o->bpf && !o->interfaces.n) {
		fprintf(stderr, "authscope live: --bpf filters an --interface capture\n");
		return 2;
	}
	struct live L;
	memset(&L, 0, sizeof L);
	L.o = o;
	L.err_rd = L.saved_err = -1;
	L.base = EV_NO_TS;
	L.speed = o->speed > 0 ? o->speed : 1.0;
	L.replay = o->replay;
	L.only_replay = !run_live_sources(o);
	L.shift.emit = shift_emit;
	sbuf_init(&L.errbuf, 1u << 16);
	live_stop = 0;
	int rc = run_setup(&L.r, o);
	if (rc) {
		run_free(&L.r);
		sbuf_free(&L.errbuf);
		return rc;
	}
	L.d = dash_new(L.r.sessions, L.r.findings);
	dash_set_forget(L.d, forget, &L);
	if (L.r.redact) {
		struct dash_redact dr = {red_str_cb, red_text_cb, L.r.redact};
		dash_set_redact(L.d, &dr);
	}
	if (o->user)
		dash_set_filter(L.d, o->user);
	L.r.on_event = on_event;
	L.r.on_event_ctx = &L;
	make_title(&L);

	char err[512] = "";
	if (run_live_sources(o)) {
		L.lg = run_new_ingest(&L.r);
		ingest_start(L.lg, &L.r.main_sink);
		if (add_sources(&L, err, sizeof err)) {
			fprintf(stderr, "authscope live: %s\n", err);
			rc = 2;
			goto out;
		}
	}
	if (L.replay)   /* clock-skew findings of the prepass first, as analyze */
		run_start_into(&L.r, 0, L.only_replay ? &L.r.main_sink : &L.shift);

	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (!o->headless) {
		L.tui = tui_open(term_color(stdout), err, sizeof err);
		if (!L.tui) {
			fprintf(stderr, "authscope live: %s\n", err);
			rc = 2;
			goto out;
		}
		capture_stderr(&L);
	}
	rc = run_loop(&L);
	if (L.tui) {
		tui_close(L.tui);
		L.tui = NULL;
		restore_stderr(&L);
	} else if (rc == 0) {
		/* the last state, after the replay's end or a signal */
		dash_update(L.d);
		dash_snapshot(L.d, stdout);
	}
out:
	if (L.saved_err >= 0)
		restore_stderr(&L);
	dash_free(L.d);
	ingest_free(L.lg);
	run_free(&L.r);
	sbuf_free(&L.errbuf);
	return rc;
}
