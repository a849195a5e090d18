/* \summary: the live dashboard: model, views and keys (no terminal here)
 *
 * The dashboard reads the run's own objects: the session table and the
 * finding set (the same ones analyze reports from) plus every event the
 * run sees. It keeps counters (requests/s, outcomes, Duo push latency,
 * per-bucket series for sparklines), the table's sessions (the newest
 * DASH_MAX_ROWS; older closed ones age out: they are released from the
 * session table and the finding set and live on in the counters) and a
 * findings feed.
 *
 * dash_update() rebuilds the *view* (the formatted rows, feed and counter
 * lines) unless paused; dash_render() lays the view and the UI state
 * (selection, filter, detail, help) out as screen lines of exactly the
 * terminal's width, with attribute spans; tui/screen.c paints them with
 * ncurses, and dash_snapshot() writes the same state as plain text for
 * --headless. Every string that came from input goes through esc_text()
 * before it is laid out, so it cannot reach the terminal raw.
 */
#ifndef AUTHSCOPE_TUI_DASH_H
#define AUTHSCOPE_TUI_DASH_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/event.h"
#include "core/finding.h"
#include "core/session.h"
#include "core/str.h"

#define DASH_MAX_ROWS 1000          /* sessions kept in the table */
#define DASH_MAX_FEED 200           /* findings kept in the feed */
#define DASH_MAX_PINNED_SHOWN 100   /* open sessions past the newest rows shown */
#define DASH_BUCKET_US (10LL * 1000000)   /* sparkline bucket */
#define DASH_NBUCKET 60             /* sparklines span 10 minutes */
#define DASH_RATE_US (10LL * 1000000)     /* requests/s averages this window */
#define DASH_NLAT 512               /* push latencies kept for p50/p95 */

/* keys (printable ASCII stands for itself) */
enum {
	DK_UP = 0x1000, DK_DOWN, DK_PGUP, DK_PGDN, DK_HOME, DK_END, DK_ENTER,
	DK_ESC, DK_BACKSPACE, DK_RESIZE,
};

/* attributes of screen spans; the painter maps them to colour or bold */
enum {
	DA_NORMAL, DA_TITLE, DA_HEAD, DA_SEL, DA_OK, DA_BAD, DA_WARN, DA_OPEN,
	DA_DIM, DA_FAIL, DA__COUNT
};

enum { DV_TABLE, DV_DETAIL, DV_HELP };
enum { DS_TIME, DS_USER, DS_OUTCOME, DS_LATENCY, DS__COUNT };

#define DASH_MAX_SPANS 16
struct dash_span {
	uint16_t col, len;
	uint8_t attr;
};

struct dash_line {
	struct sbuf text;           /* UTF-8, exactly the screen's width in columns */
	struct dash_span span[DASH_MAX_SPANS];
	uint8_t nspan;
};

struct dash_screen {
	int rows, cols;
	struct dash_line *line;     /* rows of them */
	int cursor_row, cursor_col; /* -1: no cursor (else the filter prompt) */
};

struct dash;

/* Called when the dashboard releases a finding (before it is freed). */
typedef void (*dash_forget_fn)(void *ctx, const struct finding *f);

struct dash *dash_new(struct sess_table *t, struct finding_set *fs);
void dash_free(struct dash *d);
void dash_set_forget(struct dash *d, dash_forget_fn fn, void *ctx);
/* One line naming the sources (shown in the header). */
void dash_set_title(struct dash *d, const char *title);
/* A message for the status line (and the snapshot): rotations, errors. */
void dash_note(struct dash *d, const char *fmt, ...) PRINTF_LIKE(2, 3);
/* --redact: pseudonyms for identities (cls: DR_*) and free text; both
 * return their argument when there is nothing to hide. */
enum { DR_USER, DR_IP, DR_NAS, DR_STATION };
struct dash_redact {
	const char *(*str)(void *ctx, int cls, const char *s);
	const char *(*text)(void *ctx, const char *s);
	void *ctx;
};
void dash_set_redact(struct dash *d, const struct dash_redact *r);
/* Start with a filter (--user). */
void dash_set_filter(struct dash *d, const char *text);
/* Row cap (tests); default DASH_MAX_ROWS. */
void dash_set_max_rows(struct dash *d, size_t n);
/* The replay ended / the input is finished: said in the header. */
void dash_set_finished(struct dash *d, int finished);

/* Every event of the run, after the session table has seen it. */
void dash_on_event(struct dash *d, const struct ev *e);
/* The live clock in event time (us): windows and sparklines roll on it. */
void dash_clock(struct dash *d, int64_t now);
/* Take new sessions and findings, age old ones out, rebuild the view
 * (unless paused). Returns 1 when the state changed since the last call. */
int dash_update(struct dash *d);

/* A key; returns 1 when the user asked to quit. */
int dash_key(struct dash *d, int key);
int dash_paused(const struct dash *d);
int dash_view(const struct dash *d);

/* Lay the screen out (rows x cols; any size, 80x24 and up is comfortable).
 * unicode: sparklines with block characters, else ASCII. */
void dash_render(struct dash *d, struct dash_screen *s, int rows, int cols, int unicode);
void dash_screen_free(struct dash_screen *s);
/* The screen as plain text, one line each, trailing blanks trimmed (tests). */
void dash_screen_dump(const struct dash_screen *s, FILE *f);

/* --headless: the same state as plain text. */
void dash_snapshot(struct dash *d, FILE *f);

/* Counters, for tests and the bench. */
struct dash_counts {
	uint64_t events, sessions, requests;
	uint64_t outcome[4];        /* enum outcome: incomplete accept reject timeout */
	uint64_t aged_out;          /* sessions released from the table */
	double req_rate;            /* requests/s over the last DASH_RATE_US */
	int64_t push_p50, push_p95; /* us, -1 when no push finished */
};
void dash_counts(const struct dash *d, struct dash_counts *c);

/* Display width of escaped UTF-8 text (tests). */
size_t dash_text_width(const char *s, size_t n);

#endif
