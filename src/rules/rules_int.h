/* \summary: rules internals shared by parse.c, expr.c and engine.c
 *
 * A rule file is compiled once into struct rule: kind sets (the index),
 * compiled expressions (expr.c), compiled templates, windows in
 * microseconds. The engine (engine.c) owns the runtime state.
 */
#ifndef AUTHSCOPE_RULES_INT_H
#define AUTHSCOPE_RULES_INT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/event.h"
#include "core/session.h"
#include "core/str.h"

/* ---- field references: an event field or a session fact ---- */
struct fref {
	uint8_t sess;               /* 1: session.<f> */
	uint8_t f;                  /* enum ev_field or enum sess_field */
};

/* Field type as known at compile time (V_NONE = dynamic). */
enum val_type fref_type(struct fref fr);
const char *fref_name(struct fref fr, char *buf, size_t n);
/* Parse "user" or "session.outcome"; 0 ok, -1 unknown. */
int fref_parse(const char *name, struct fref *out);
/* Did-you-mean for an unknown field name (NULL when nothing is close). */
const char *fref_suggest(const char *name, char *buf, size_t n);

/* What expressions read: the event, and its session through the table. */
struct evctx {
	const struct ev *e;
	struct sess_table *sessions;
	const struct session *s;
	int s_loaded;
};
int ctx_get(struct evctx *c, struct fref fr, struct val *v);   /* 0, or -1 absent */

/* ---- diagnostics while compiling ---- */
struct diag {
	const char *file;
	FILE *err;
	int errors, warnings;
	/* physical lines of the value being compiled: offset -> line */
	const uint32_t *seg_off, *seg_line;
	size_t nseg;
	uint32_t line;              /* line of the key */
};
void diag_error(struct diag *d, size_t off, const char *fmt, ...) PRINTF_LIKE(3, 4);
void diag_warn(struct diag *d, size_t off, const char *fmt, ...) PRINTF_LIKE(3, 4);
uint32_t diag_line(const struct diag *d, size_t off);

/* ---- values and expressions (expr.c) ---- */
struct lit {
	uint8_t isnum;              /* n is valid */
	uint8_t isdur;              /* written with a unit */
	int64_t n;
	const char *s;              /* interned text as written (unquoted) */
};

struct regex;
struct regex *regex_compile(const char *pat, size_t len, const char *flags, char *errbuf,
			    size_t errn);
void regex_free(struct regex *re);
/* 1 match, 0 no match, -1 the match gave up (limits): the rule fails. */
int regex_match(struct regex *re, const char *s, size_t n);
const char *regex_literal(const struct regex *re, size_t *len);   /* prefilter, may be NULL */

enum xop { X_TRUE, X_AND, X_OR, X_NOT, X_EXISTS, X_CMP, X_RE, X_NRE, X_IN };
enum cmpop { C_EQ, C_NE, C_LT, C_LE, C_GT, C_GE };

struct expr {
	uint8_t op, cmp;
	uint8_t interned;           /* the field's strings are interned: == by pointer */
	struct fref fr;
	struct expr *a, *b;
	struct lit lit;
	struct lit *set;
	size_t nset;
	struct regex *re;
};

/* Compile src[0..n) (offsets in src map to lines through d). NULL on error
 * (already reported). */
struct expr *expr_compile(const char *src, size_t n, size_t base, struct diag *d);
void expr_free(struct expr *x);
/* 1 true, 0 false, -1 a regex gave up. */
int expr_eval(const struct expr *x, struct evctx *c);
/* The ids an expression pins `text` to (text == a, text in {a,b}) when it
 * is a conjunction that does; returns count, or -1 for "any". */
int expr_text_ids(const struct expr *x, const char **ids, int max);

/* Durations: "500ms", "10s", "1m30s", "2h", "1.5s"; 0 ok, -1 bad. */
int parse_duration(const char *s, size_t n, int64_t *us);
/* Human form of a duration: 850us, 120ms, 1.5s, 2m5s, 1h2m. */
void fmt_duration(char *out, size_t n, int64_t us);
/* A number or a duration as a literal; 0 ok, -1 not numeric. */
int parse_number(const char *s, size_t n, int64_t *v, int *isdur);

/* Edit distance, capped: for did-you-mean. */
unsigned edit_distance(const char *a, const char *b, unsigned cap);
/* The event kind nearest a misspelt name, or NULL. */
const char *kind_suggest(const char *name);

/* ---- templates (engine.c expands them) ---- */
enum tp_type { TP_TEXT, TP_FIELD, TP_COUNT, TP_WITHIN, TP_USERS, TP_RULE, TP_KEY, TP_INPUT };
enum tp_fmt { TF_DEFAULT, TF_DUR, TF_TS };
struct tpart {
	uint8_t type, fmt;
	struct fref fr;
	char *text;
	size_t len;
};
struct tmpl {
	struct tpart *p;
	size_t n;
};
int tmpl_compile(struct tmpl *t, const char *src, size_t n, struct diag *d);
void tmpl_free(struct tmpl *t);

/* ---- rules ---- */
enum rkind { RK_MATCH, RK_ABSENCE, RK_THRESHOLD, RK_CORRELATE, RK__COUNT };
const char *rkind_name(unsigned k);

enum keytype { KEY_SESSION, KEY_INPUT, KEY_USER, KEY_FIELD, KEY_ALIAS };

struct kindset {
	uint16_t *v;
	size_t n;
};
int kindset_has(const struct kindset *k, unsigned kind);

#define RULE_MAX_LINK 8
#define RULE_MAX_SEQ 8
#define RULE_MAX_ALIAS 16

enum xform { XF_LOWER = 1, XF_STRIP_REALM = 2 };
struct alias_ent {
	int kind;                   /* exact kind, or -1 */
	char *prefix;               /* "ike." for ike.*, "" for *, NULL when exact */
	struct fref fr;
	uint8_t xf;                 /* XF_* */
};

struct step {
	struct kindset k;
	struct expr *where;
};

/* The keys of a stanza, in the order explain prints them. */
enum rkey { RKEY_RULE, RKEY_KIND, RKEY_ON, RKEY_SEQ, RKEY_WHERE, RKEY_EXPECT,
	    RKEY_EXPECT_WHERE, RKEY_LINK, RKEY_UNLESS, RKEY_KEY, RKEY_ALIAS,
	    RKEY_WITHIN, RKEY_COUNT, RKEY_DISTINCT, RKEY_SUPPRESS, RKEY_RESET,
	    RKEY_SEVERITY, RKEY_TITLE, RKEY_SAY, RKEY_HINT, RKEY_EXPLAIN,
	    RKEY_SUPERSEDES, RKEY__COUNT };
const char *rkey_name(unsigned k);

struct rule {
	const char *id;             /* interned */
	char *file;
	uint32_t line;
	uint32_t idx;               /* position in the rule set */
	uint8_t kind;               /* enum rkind */
	uint8_t sev, sev_default;
	uint8_t builtin;
	uint8_t failed;             /* a regex gave up: the rule is off for the run */
	char *val[RKEY__COUNT];     /* the values as written (for explain) */
	uint32_t keyline[RKEY__COUNT];

	struct kindset on, expect, reset, unless;
	struct expr *where, *expect_where, *reset_where, *unless_where;
	struct fref link[RULE_MAX_LINK];
	size_t nlink;
	uint8_t keytype;            /* enum keytype */
	struct fref keyfield;
	int64_t within;             /* us, -1 = none */
	int64_t suppress;           /* us, 0 = none */
	uint32_t count;
	uint8_t has_distinct;
	struct fref distinct;
	struct step seq[RULE_MAX_SEQ];
	size_t nseq;
	const char *alias_name;     /* interned */
	struct alias_ent alias[RULE_MAX_ALIAS];
	size_t nalias;
	struct tmpl say, hint;
	const char **sup;           /* interned ids this rule supersedes */
	size_t nsup;
	const char *feeds[16];      /* finding ids this rule consumes (cycle lint) */
	int nfeeds;                 /* -1 = any */
};

void rule_free(struct rule *ru);

/* Parse one file's text into rules (appended through add()). Returns the
 * error count; errors go to err as "file:line: message". */
typedef int (*rule_add_fn)(void *ctx, struct rule *ru, struct diag *d);
int rules_parse_text(const char *file, const char *text, size_t len, FILE *err,
		     rule_add_fn add, void *ctx, int *warnings);

#endif
