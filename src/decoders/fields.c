/* \summary: -T fields collector and -V tree, shared by every dissector */
#include "decoders/fields.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct fields {
	size_t n;
	char **names;
	struct sbuf *vals;         /* aggregated values of the current frame */
	uint32_t *count;
	uint32_t *slot;            /* hash of names -> index + 1 */
	size_t nslot;
	struct fields_opts o;
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
	free(f);
}

void fields_reset(struct fields *f)
{
	for (size_t i = 0; i < f->n; i++) {
		sbuf_reset(&f->vals[i]);
		f->count[i] = 0;
	}
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

int fld_wanted(const struct fields *f, const char *name)
{
	return f && field_index(f, name, 0) >= 0;
}

static void put(struct fields *f, size_t i, const char *v, size_t n)
{
	struct sbuf *b = &f->vals[i];
	int r = 0;
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

static void add_all(struct fields *f, const char *name, const char *v, size_t n)
{
	for (int i = field_index(f, name, 0); i >= 0; i = field_index(f, name, (size_t)i + 1))
		put(f, (size_t)i, v, n);
}

void fld_add(struct fields *f, const char *name, const char *fmt, ...)
{
	if (!f || field_index(f, name, 0) < 0)
		return;
	struct sbuf b;
	sbuf_init(&b, 1u << 20);
	va_list ap;
	va_start(ap, fmt);
	if (sbuf_vprintf(&b, fmt, ap)) {
		/* capped: what fits is kept */
	}
	va_end(ap);
	add_all(f, name, sbuf_cstr(&b), b.len);
	sbuf_free(&b);
}

void fld_add_hex(struct fields *f, const char *name, const uint8_t *p, size_t n)
{
	if (!f || field_index(f, name, 0) < 0)
		return;
	static const char hx[] = "0123456789abcdef";
	char *s = xmalloc(2 * n + 1);
	for (size_t i = 0; i < n; i++) {
		s[2 * i] = hx[p[i] >> 4];
		s[2 * i + 1] = hx[p[i] & 15];
	}
	s[2 * n] = 0;
	add_all(f, name, s, 2 * n);
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
	for (size_t i = 0; i < f->n; i++) {
		if (i)
			fputc(f->o.separator, out);
		if (f->vals[i].len || f->o.quote)
			print_cell(f, out, sbuf_cstr(&f->vals[i]), f->vals[i].len);
	}
	fputc('\n', out);
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
