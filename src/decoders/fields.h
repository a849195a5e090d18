/* \summary: the -T fields collector (tshark's field output) and the -V tree */
#ifndef AUTHSCOPE_DECODERS_FIELDS_H
#define AUTHSCOPE_DECODERS_FIELDS_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/str.h"
#include "decoders/dissect.h"

struct fields_opts {
	char separator;            /* -E separator=/t -> '\t' */
	char aggregator;           /* -E aggregator=| */
	char occurrence;           /* -E occurrence=a|f|l */
	char quote;                /* -E quote=n|d|s -> 0, '"', '\'' */
	int header;                /* -E header=y */
};

/* The collector. Its fields are internal to fields.c except for the inline
 * fast paths below (fld_u, fld_s), which dissectors use on hot paths. */
struct ptr_slot {
	const char *name;          /* NULL = empty */
	int first;                 /* first column, -1 = not asked for */
};

#define OUT_FLUSH (64u << 10)      /* rows are written in pieces of about this */

struct fields {
	size_t n;
	char **names;
	struct sbuf *vals;         /* aggregated values of the current frame */
	uint32_t *count;
	uint32_t *slot;            /* hash of names -> index + 1 */
	size_t nslot;
	uint8_t *dup;              /* column i's name is asked for again later */
	uint8_t *fast;             /* column i takes the fast path (name asked once,
	                            * occurrence=a, an aggregator) */
	struct fields_opts o;
	/* Field names have static storage (literals, static tables, interned
	 * strings: see dissect.h), so a name is looked up by its pointer: an
	 * open-addressed map from pointer to first column. The names a run
	 * passes are a bounded set, so the map only grows. */
	struct ptr_slot *pmap;
	size_t npmap, pmap_used;
	struct sbuf row;           /* one row, written with one fwrite (quoted) */
	char *rowbuf;              /* unquoted rows not yet written */
	size_t rowcap, rowlen;
	FILE *rowout;              /* where they go */
	size_t *touched;           /* columns with a value this frame */
	size_t ntouched;
	/* Direct rows: while a frame's values come in column order (as the
	 * dissectors add them when -e lists fields in protocol order), they
	 * are written straight into rowbuf after the rows kept so far
	 * (rowlen), separators and aggregators included, and the row is done
	 * by adding the separators left and '\n'. Anything else (a column
	 * before the current one, a column off the fast path, no room, a
	 * reader of the values) first moves what the frame has into the
	 * columns (fields.c: spill) and the frame goes on the column way. */
	int can_direct;            /* every column is fast and no quoting */
	int direct;                /* this frame is being written directly */
	int cur;                   /* the column being written, -1 before any */
	size_t re;                 /* end of the direct row so far */
	struct fields_dcol {
		uint32_t col, count;
		size_t off, len;
	} *dl;                     /* columns written directly this frame */
	size_t ndl;
	/* decode --redact (fields_set_redact): an identity column's every
	 * occurrence becomes its pseudonym as it is added; every other
	 * column's value goes through text() when the row is printed. */
	const struct pkt_redact *redact;
	int8_t *idcls;             /* column i's enum pkt_id_class, -1 = free text */
};

#define FIELDS_VALUE_MAX (1u << 20)   /* a column's aggregated value is cut past this */

static inline size_t fields_pslot(const struct fields *f, const char *name)
{
	uint64_t h = (uint64_t)(uintptr_t)name * 0x9e3779b97f4a7c15ull;
	return (size_t)(h >> 40) & (f->npmap - 1);
}

#define FIELDS_UNSEEN (-2)
/* The first column of name, -1 when not asked for, FIELDS_UNSEEN when the
 * name was never looked up (fields.c then does). */
static inline int fields_first(const struct fields *f, const char *name)
{
	size_t j = fields_pslot(f, name);
	for (;;) {
		const struct ptr_slot *c = &f->pmap[j];
		if (c->name == name)
			return c->first;
		if (!c->name)
			return FIELDS_UNSEEN;
		j = (j + 1) & (f->npmap - 1);
	}
}

/* n bytes from v to o without a call for the short values fields mostly
 * are (overlapping word moves; nothing outside [o, o+n) is written). */
static inline void fields_copy_small(char *o, const char *v, size_t n)
{
	if (n >= 8 && n <= 16) {
		uint64_t x, y;
		memcpy(&x, v, 8);
		memcpy(&y, v + n - 8, 8);
		memcpy(o, &x, 8);
		memcpy(o + n - 8, &y, 8);
	} else if (n >= 4 && n < 8) {
		uint32_t x, y;
		memcpy(&x, v, 4);
		memcpy(&y, v + n - 4, 4);
		memcpy(o, &x, 4);
		memcpy(o + n - 4, &y, 4);
	} else if (n < 4) {
		for (size_t i = 0; i < n; i++)
			o[i] = v[i];
	} else {
		memcpy(o, v, n);
	}
}

char *fields_direct_insert(struct fields *f, int i, size_t n);

/* Where column i's next value (exactly n bytes) goes on the fast path (an
 * aggregator before it is written here), or NULL: the caller then takes
 * fields.c's general path. fields_fast_done() ends the value. */
static inline __attribute__((always_inline)) char *fields_fast_slot(struct fields *f, int i, size_t n)
{
	if (i < 0 || !f->fast[i])
		return NULL;
	if (f->direct) {
		if (i < f->cur)
			return fields_direct_insert(f, i, n);   /* behind: moves the rest */
		if (f->re + (size_t)(i - f->cur) + n + 24 > f->rowcap)
			return NULL;
		char *o = f->rowbuf + f->re;
		if (i == f->cur) {
			struct fields_dcol *d = &f->dl[f->ndl - 1];
			if (d->len + n + 1 >= FIELDS_VALUE_MAX)
				return NULL;
			*o++ = f->o.aggregator;
			d->count++;
			d->len += n + 1;
		} else {
			/* separators up to column i, 8 at a time (the slack in
			 * rowbuf takes what goes past; the value overwrites it) */
			size_t gap = f->cur < 0 ? (size_t)i : (size_t)(i - f->cur);
			uint64_t seps = 0x0101010101010101ull * (uint8_t)f->o.separator;
			for (size_t g = 0; g < gap; g += 8)
				memcpy(o + g, &seps, 8);
			o += gap;
			struct fields_dcol *d = &f->dl[f->ndl++];
			d->col = (uint32_t)i;
			d->count = 1;
			d->off = (size_t)(o - f->rowbuf);
			d->len = n;
			f->cur = i;
		}
		f->re = (size_t)(o - f->rowbuf) + n;
		return o;
	}
	struct sbuf *b = &f->vals[i];
	if (b->len + n + 2 > b->cap)
		return NULL;
	char *o = b->p + b->len;
	if (f->count[i]++)
		*o++ = f->o.aggregator;
	else
		f->touched[f->ntouched++] = (size_t)i;
	return o;
}

static inline void fields_fast_done(struct fields *f, int i, char *end)
{
	if (f->direct)
		return;
	struct sbuf *b = &f->vals[i];
	*end = 0;
	b->len = (size_t)(end - b->p);
}

/* fld_add_str / fld_add_uint with the common case inline. f not NULL. */
static inline __attribute__((always_inline)) void fld_s(struct fields *f, const char *name, const char *s, size_t n)
{
	int i = fields_first(f, name);
	if (i == -1)
		return;
	char *o = fields_fast_slot(f, i, n);
	if (!o) {
		fld_add_str(f, name, s, n);
		return;
	}
	fields_copy_small(o, s, n);
	fields_fast_done(f, i, o + n);
}

static inline __attribute__((always_inline)) void fld_u(struct fields *f, const char *name, uint64_t v)
{
	int i = fields_first(f, name);
	if (i == -1)
		return;
	char *o;
	size_t n = v < 10 ? 1 : v < 100 ? 2 : v < 1000 ? 3 : v < 10000 ? 4 : v < 100000 ? 5 :
		   v < 1000000 ? 6 : 7;
	/* under 10^7: codes, ids, types, lengths, ports, frame numbers */
	if (v >= 10000000 || !(o = fields_fast_slot(f, i, n))) {
		fld_add_uint(f, name, v);
		return;
	}
	uint32_t u = (uint32_t)v;
	for (size_t k = n; k-- > 1; u /= 10)
		o[k] = (char)('0' + u % 10);
	o[0] = (char)('0' + u);
	fields_fast_done(f, i, o + n);
}

struct fields *fields_new(const char *const *names, size_t n, const struct fields_opts *o);
void fields_free(struct fields *f);
/* decode --redact: redact every column (r NULL: off). Call before the first row. */
void fields_set_redact(struct fields *f, const struct pkt_redact *r);
/* The identity class (enum pkt_id_class) of a tshark field whose value
 * names a user, host, NAS, station or address; -1 for any other field. */
int fld_id_class(const char *field);
void fields_reset(struct fields *f);          /* start a new frame */
void fields_print_header(struct fields *f, FILE *out);
/* Rows are kept and written in pieces of about 64 KiB: fields_flush()
 * writes what is kept (before anything else goes to out, and at the end;
 * fields_free does too). */
void fields_print_row(struct fields *f, FILE *out);
void fields_flush(struct fields *f);
/* Value of field i in the current frame (aggregated), for tests. */
const char *fields_value(struct fields *f, size_t i);

struct dtree *dtree_new(void);
void dtree_free(struct dtree *t);
void dtree_reset(struct dtree *t);
const char *dtree_text(struct dtree *t);      /* indented lines, '\n'-ended */

#endif
