/* \summary: dashboard internals shared by dash.c, view.c, detail.c, screen.c */
#ifndef AUTHSCOPE_TUI_DASH_INT_H
#define AUTHSCOPE_TUI_DASH_INT_H

#include <stddef.h>
#include <stdint.h>

#include "tui/dash.h"

#define SERIES_N 64                 /* >= DASH_NBUCKET and the rate window */

struct series {                     /* counts per time bucket, a ring */
	int64_t id[SERIES_N];
	uint32_t n[SERIES_N];
};
uint32_t series_get(const struct series *s, int64_t id);

enum { C_TIME, C_USER, C_CLIENT, C_STAGE, C_OUTCOME, C_PRIMARY, C_PUSH, C_TOTAL, C_WHY,
       NCOL };

struct vrow {                       /* one session, formatted when the view was built */
	uint32_t id;
	int64_t start, total;
	uint8_t rank;               /* outcome order for sorting: failures first */
	uint8_t attr;               /* outcome span attribute */
	uint8_t why_attr;
	uint32_t cell[NCOL];        /* offsets into view.cells (NUL-terminated, escaped) */
};

struct vfeed {
	uint32_t text;              /* offset into view.cells */
	uint8_t attr;               /* by severity */
};

struct view {                       /* what the screen shows: frozen while paused */
	struct sbuf cells;
	struct vrow *rows;
	size_t nrows, caprows;
	size_t total_rows;          /* before the filter */
	struct vfeed *feed;
	size_t nfeed, capfeed;
	struct dash_counts counts;
	int64_t now;
	uint32_t req_spark[DASH_NBUCKET], fail_spark[DASH_NBUCKET];
	int stale;                  /* rebuild even without new events (filter, sort) */
};

struct dash {
	struct sess_table *t;
	struct finding_set *fs;
	dash_forget_fn forget;
	void *forget_ctx;
	size_t max_rows;

	/* counters */
	uint64_t events, requests, outcome[4], aged_out;
	struct series req_b, fail_b, req_s;
	int64_t lat[DASH_NLAT];
	size_t nlat, lat_pos;
	int64_t now;

	/* sessions in the table: ids lo+1..hi, plus open ones past the line */
	uint32_t lo, hi;
	uint32_t *pinned;
	size_t npinned, cappinned;
	uint32_t *rel;              /* ids being released (sorted) */
	size_t nrel, caprel;

	/* findings feed: newest last */
	struct finding **feed;
	struct finding *feed_tmp[DASH_MAX_FEED];
	size_t feed_head, nfeed;
	uint32_t f_last;            /* highest finding id taken */

	struct dash_redact redact;  /* .str NULL: none */

	/* UI */
	struct view v;
	int dirty, paused, finished;
	int view;                   /* DV_* */
	int prev_view;              /* under the help screen */
	int sort;
	int typing;                 /* the filter prompt is open */
	struct sbuf filter, input, title, note;
	uint64_t note_seq;
	uint32_t sel_id;
	size_t sel, top;
	int sel_at_top;             /* follow the newest row */
	uint32_t detail_id;
	size_t detail_scroll;
	int page;                   /* rows per page, from the last render */
};

/* sbuf helpers that ignore the cap (a line past 1 MiB is cut, not fatal) */
void sb_put(struct sbuf *b, const char *s, size_t n);
void sb_puts(struct sbuf *b, const char *s);
void sb_printf(struct sbuf *b, const char *fmt, ...) PRINTF_LIKE(2, 3);
/* esc_text, plus invisible/bidi code points as \u{XXXX} */
void sb_esc(struct sbuf *b, const char *s);
/* escaped text in exactly w columns ('~' marks a cut) */
void sb_fit(struct sbuf *b, const char *s, size_t w, int right);
/* --redact applied (or the value itself) */
const char *red_str(const struct dash *d, int cls, const char *s);
const char *red_text(const struct dash *d, const char *s);
void fmt_lat(char *b, size_t n, int64_t us);
void fmt_hms(char *b, size_t n, int64_t us);

/* view.c */
void view_init(struct view *v);
void view_free(struct view *v);
void view_build(struct dash *d);
const char *view_cell(const struct view *v, const struct vrow *r, int col);
/* stage reached, as a word */
const char *sess_stage(const struct session *s, char *buf, size_t n);

/* detail.c: the detail view's body lines (ladder, finding, evidence) */
struct dlines {
	struct dash_line *v;
	size_t n, cap;
};
void detail_lines(struct dash *d, struct dlines *out, int cols);
void dlines_free(struct dlines *l);
struct dash_line *dlines_add(struct dlines *l);
void line_span(struct dash_line *l, size_t col, size_t len, int attr);

#endif
