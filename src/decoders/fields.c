/* \summary: -T fields collector and -V tree, shared by every dissector */
#include "decoders/fields.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define PTR_CACHE 1024

/* Field names have static storage (literals, static tables, interned
 * strings: see dissect.h), so a lookup by the pointer saves hashing the
 * name on every call. */
struct ptr_slot {
	const char *name;
	int first;                 /* first column index, -1 = not asked for */
};

struct fields {
	size_t n;
	char **names;
	struct sbuf *vals;         /* aggregated values of the current frame */
	uint32_t *count;
	uint32_t *slot;            /* hash of names -> index + 1 */
	size_t nslot;
	uint8_t *dup;              /* column i's name is asked for again later */
	struct fields_opts o;
	struct ptr_slot cache[PTR_CACHE];
	struct sbuf row;           /* one row, written with one fwrite (quoted) */
	char *rowbuf;              /* the same, unquoted */
	size_t rowcap;
	size_t *touched;           /* columns with a value this frame */
	size_t ntouched;
};

static size_t fslot(const struct fields *f, const char *name)
{
	return hash_bytes(name, strlen(name)) & (f->nslot - 1);
}

struct fields *fields_new(const char *const *names, size_t n, const struct fields_opts *o)
{
	struct fields *f = xcalloc(1, sizeof *f);
	f->n = n;
	f->names = xcalloc(n, sizeof *f->names);
	f->vals = xcalloc(n, sizeof *f->vals);
	f->count = xcalloc(n, sizeof *f->count);
	f->nslot = 16;
	while (f->nslot < 4 * n)
		f->nslot *= 2;
	f->slot = xcalloc(f->nslot, sizeof *f->slot);
	f->o = *o;
	f->dup = xcalloc(n ? n : 1, 1);
	f->touched = xcalloc(n ? n : 1, sizeof *f->touched);
	sbuf_init(&f->row, 64u << 20);
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < i; j++)
			if (!strcmp(names[i], names[j]))
				f->dup[j] = 1;
	for (size_t i = 0; i < n; i++) {
		f->names[i] = xstrdup(names[i]);
		sbuf_init(&f->vals[i], 1u << 20);
		size_t j = fslot(f, names[i]);
		while (f->slot[j])
			j = (j + 1) & (f->nslot - 1);
		f->slot[j] = (uint32_t)(i + 1);
	}
	return f;
}

void fields_free(struct fields *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->n; i++) {
		free(f->names[i]);
		sbuf_free(&f->vals[i]);
	}
	free(f->names);
	free(f->vals);
	free(f->count);
	free(f->slot);
	free(f->dup);
	free(f->touched);
	free(f->rowbuf);
	sbuf_free(&f->row);
	free(f);
}

void fields_reset(struct fields *f)
{
	for (size_t k = 0; k < f->ntouched; k++) {
		size_t i = f->touched[k];
		sbuf_reset(&f->vals[i]);
		f->count[i] = 0;
	}
	f->ntouched = 0;
}

/* Calls fn for every column named name (a field may be asked for twice). */
static int field_index(const struct fields *f, const char *name, size_t start)
{
	size_t j = fslot(f, name);
	while (f->slot[j]) {
		size_t i = f->slot[j] - 1;
		if (i >= start && !strcmp(f->names[i], name))
			return (int)i;
		j = (j + 1) & (f->nslot - 1);
	}
	return -1;
}

static int first_index(struct fields *f, const char *name)
{
	struct ptr_slot *c = &f->cache[((uintptr_t)name >> 3) & (PTR_CACHE - 1)];
	if (c->name == name)
		return c->first;
	int i = field_index(f, name, 0);
	c->name = name;
	c->first = i;
	return i;
}

int fld_wanted(const struct fields *f, const char *name)
{
	return f && first_index((struct fields *)f, name) >= 0;
}

static void touch(struct fields *f, size_t i)
{
	if (f->count[i] == 0 && f->vals[i].len == 0)
		f->touched[f->ntouched++] = i;
}

static void put(struct fields *f, size_t i, const char *v, size_t n)
{
	struct sbuf *b = &f->vals[i];
	int r = 0;
	touch(f, i);
	switch (f->o.occurrence) {
	case 'f':
		if (f->count[i] == 0)
			r = sbuf_add(b, v, n);
		break;
	case 'l':
		sbuf_reset(b);
		r = sbuf_add(b, v, n);
		break;
	default:
		if (f->count[i] && f->o.aggregator)
			r = sbuf_addc(b, f->o.aggregator);
		if (!r)
			r = sbuf_add(b, v, n);
	}
	(void)r;  /* a value past the 1 MiB cap is cut: the row stays well formed */
	f->count[i]++;
}

static void add_all(struct fields *f, int first, const char *name, const char *v, size_t n)
{
	for (int i = first; i >= 0; i = f->dup[i] ? field_index(f, name, (size_t)i + 1) : -1)
		put(f, (size_t)i, v, n);
}

void fld_add(struct fields *f, const char *name, const char *fmt, ...)
{
	if (!f)
		return;
	int first = first_index(f, name);
	if (first < 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	if (!f->dup[first] && f->o.occurrence != 'l' &&
	    (f->o.occurrence != 'f' || f->count[first] == 0)) {
		/* the common case: format straight into the column */
		struct sbuf *b = &f->vals[first];
		int r = 0;
		touch(f, (size_t)first);
		if (f->count[first] && f->o.aggregator && f->o.occurrence == 'a')
			r = sbuf_addc(b, f->o.aggregator);
		if (!r)
			r = sbuf_vprintf(b, fmt, ap);
		(void)r;    /* a value past the 1 MiB cap is cut: the row stays well formed */
		f->count[first]++;
		va_end(ap);
		return;
	}
	struct sbuf b;
	sbuf_init(&b, 1u << 20);
	if (sbuf_vprintf(&b, fmt, ap)) {
		/* capped: what fits is kept */
	}
	va_end(ap);
	add_all(f, first, name, sbuf_cstr(&b), b.len);
	sbuf_free(&b);
}

/* Append v (n bytes) as one occurrence of the field whose first column is
 * first: straight into the column in the common case. */
static void add_value(struct fields *f, int first, const char *name, const char *v, size_t n)
{
	if (!f->dup[first] && f->o.occurrence == 'a') {
		struct sbuf *b = &f->vals[first];
		touch(f, (size_t)first);
		size_t need = n + 1;
		if (b->len + need + 1 <= b->cap) {      /* room: no checks per byte */
			char *o = b->p + b->len;
			if (f->count[first])
				*o++ = f->o.aggregator;
			if (n <= 16) {
				for (size_t i = 0; i < n; i++)
					o[i] = v[i];
			} else {
				memcpy(o, v, n);
			}
			o[n] = 0;
			b->len = (size_t)(o + n - b->p);
		} else {
			int r = 0;
			if (f->count[first] && f->o.aggregator)
				r = sbuf_addc(b, f->o.aggregator);
			if (!r)
				r = sbuf_add(b, v, n);
			(void)r;
		}
		f->count[first]++;
		return;
	}
	add_all(f, first, name, v, n);
}

void fld_add_uint(struct fields *f, const char *name, uint64_t v)
{
	if (!f)
		return;
	int first = first_index(f, name);
	if (first < 0)
		return;
	char t[24];
	size_t k = sizeof t;
	do
		t[--k] = (char)('0' + v % 10);
	while ((v /= 10) && k);
	add_value(f, first, name, t + k, sizeof t - k);
}

void fld_add_str(struct fields *f, const char *name, const char *s, size_t n)
{
	if (!f)
		return;
	int first = first_index(f, name);
	if (first < 0)
		return;
	add_value(f, first, name, s, n);
}

void fld_add_hex(struct fields *f, const char *name, const uint8_t *p, size_t n)
{
	if (!f)
		return;
	int first = first_index(f, name);
	if (first < 0)
		return;
	static char pairs[512];     /* "000102...ff": two characters a byte */
	if (!pairs[1]) {
		static const char hx[] = "0123456789abcdef";
		for (int i = 0; i < 256; i++) {
			pairs[2 * i] = hx[i >> 4];
			pairs[2 * i + 1] = hx[i & 15];
		}
	}
	char small[512];
	char *s = 2 * n + 1 <= sizeof small ? small : xmalloc(2 * n + 1);
	for (size_t i = 0; i < n; i++)
		memcpy(s + 2 * i, pairs + 2 * p[i], 2);
	s[2 * n] = 0;
	add_value(f, first, name, s, 2 * n);
	if (s != small)
		free(s);
}

static void print_cell(struct fields *f, FILE *out, const char *s, size_t n)
{
	if (f->o.quote)
		fputc(f->o.quote, out);
	fwrite(s, 1, n, out);
	if (f->o.quote)
		fputc(f->o.quote, out);
}

static int row_cell(struct fields *f, const char *s, size_t n)
{
	int r = 0;
	if (f->o.quote)
		r |= sbuf_addc(&f->row, f->o.quote);
	r |= sbuf_add(&f->row, s, n);
	if (f->o.quote)
		r |= sbuf_addc(&f->row, f->o.quote);
	return r;
}

void fields_print_header(struct fields *f, FILE *out)
{
	for (size_t i = 0; i < f->n; i++) {
		if (i)
			fputc(f->o.separator, out);
		print_cell(f, out, f->names[i], strlen(f->names[i]));
	}
	fputc('\n', out);
}

void fields_print_row(struct fields *f, FILE *out)
{
	if (f->o.quote) {
		sbuf_reset(&f->row);
		int r = 0;
		for (size_t i = 0; i < f->n; i++) {
			if (i)
				r |= sbuf_addc(&f->row, f->o.separator);
			r |= row_cell(f, f->vals[i].p ? f->vals[i].p : "", f->vals[i].len);
		}
		r |= sbuf_addc(&f->row, '\n');
		(void)r;    /* past 64 MiB a row is cut, never overrun */
		fwrite(f->row.p, 1, f->row.len, out);
		return;
	}
	size_t need = f->n + 1;
	for (size_t k = 0; k < f->ntouched; k++)
		need += f->vals[f->touched[k]].len;
	if (need > f->rowcap) {
		f->rowcap = need * 2;
		f->rowbuf = xrealloc(f->rowbuf, f->rowcap);
	}
	/* most columns are empty: sort the few with a value (insertion sort,
	 * they come nearly in order) and write runs of separators between */
	size_t *t = f->touched;
	for (size_t k = 1; k < f->ntouched; k++) {
		size_t v = t[k], j = k;
		while (j > 0 && t[j - 1] > v) {
			t[j] = t[j - 1];
			j--;
		}
		t[j] = v;
	}
	char *o = f->rowbuf;
	char sep = f->o.separator;
	size_t col = 0;                 /* columns written so far */
	for (size_t k = 0; k < f->ntouched; k++) {
		size_t i = t[k];
		/* separators up to column i: i before it in all, col - 1 written */
		size_t gap = col ? i - col + 1 : i;
		memset(o, sep, gap);
		o += gap;
		col = i + 1;
		size_t l = f->vals[i].len;
		memcpy(o, f->vals[i].p, l);
		o += l;
	}
	if (f->n > 0) {
		size_t gap = col ? f->n - col : f->n - 1;   /* the empty columns at the end */
		memset(o, sep, gap);
		o += gap;
	}
	*o++ = '\n';
	fwrite(f->rowbuf, 1, (size_t)(o - f->rowbuf), out);
}

const char *fields_value(struct fields *f, size_t i)
{
	return i < f->n ? sbuf_cstr(&f->vals[i]) : "";
}

/* ---- -V tree ---- */

struct dtree {
	struct sbuf text;
	int depth;
};

struct dtree *dtree_new(void)
{
	struct dtree *t = xcalloc(1, sizeof *t);
	sbuf_init(&t->text, 16u << 20);
	return t;
}

void dtree_free(struct dtree *t)
{
	if (!t)
		return;
	sbuf_free(&t->text);
	free(t);
}

void dtree_reset(struct dtree *t)
{
	sbuf_reset(&t->text);
	t->depth = 0;
}

const char *dtree_text(struct dtree *t)
{
	return sbuf_cstr(&t->text);
}

static void tree_line(struct dtree *t, const char *fmt, va_list ap)
{
	int r = 0;
	for (int i = 0; i < t->depth && !r; i++)
		r = sbuf_adds(&t->text, "    ");
	if (!r)
		r = sbuf_vprintf(&t->text, fmt, ap);
	if (!r)
		r = sbuf_addc(&t->text, '\n');
	(void)r;  /* past 16 MiB a tree is cut, never overrun */
}

void tree_add(struct dtree *t, const char *fmt, ...)
{
	if (!t)
		return;
	va_list ap;
	va_start(ap, fmt);
	tree_line(t, fmt, ap);
	va_end(ap);
}

void tree_push(struct dtree *t, const char *fmt, ...)
{
	if (!t)
		return;
	va_list ap;
	va_start(ap, fmt);
	tree_line(t, fmt, ap);
	va_end(ap);
	t->depth++;
}

void tree_pop(struct dtree *t)
{
	if (t && t->depth > 0)
		t->depth--;
}

void pkt_mask(struct pkt *p, const uint8_t *s, size_t n)
{
	if (!p->frame_data || s < p->frame_data || p->nmask >= 8 ||
	    (size_t)(s - p->frame_data) + n > p->caplen)
		return;
	p->mask_off[p->nmask] = (uint32_t)(s - p->frame_data);
	p->mask_len[p->nmask] = (uint32_t)n;
	p->nmask++;
}
