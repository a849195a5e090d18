/* \summary: -T fields collector and -V tree, shared by every dissector */
#include "decoders/fields.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "decoders/radius_dict.h"

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
	f->fast = xcalloc(n ? n : 1, 1);
	f->touched = xcalloc(n ? n : 1, sizeof *f->touched);
	f->npmap = 1024;
	f->pmap = xcalloc(f->npmap, sizeof *f->pmap);
	sbuf_init(&f->row, 64u << 20);
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < i; j++)
			if (!strcmp(names[i], names[j]))
				f->dup[j] = 1;
	f->can_direct = !f->o.quote;
	for (size_t i = 0; i < n; i++) {
		f->fast[i] = !f->dup[i] && f->o.occurrence == 'a' && f->o.aggregator;
		if (!f->fast[i])
			f->can_direct = 0;
	}
	f->dl = xcalloc(n ? n : 1, sizeof *f->dl);
	f->cur = -1;
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
	fields_flush(f);
	for (size_t i = 0; i < f->n; i++) {
		free(f->names[i]);
		sbuf_free(&f->vals[i]);
	}
	free(f->names);
	free(f->vals);
	free(f->count);
	free(f->slot);
	free(f->dup);
	free(f->fast);
	free(f->touched);
	free(f->pmap);
	free(f->dl);
	free(f->idcls);
	free(f->rowbuf);
	sbuf_free(&f->row);
	free(f);
}

int fld_id_class(const char *field)
{
	static const struct {
		const char *name;
		int cls;
	} named[] = {
		{"ip.src", PID_IP}, {"ip.dst", PID_IP}, {"ip.addr", PID_IP},
		{"ipv6.src", PID_IP}, {"ipv6.dst", PID_IP}, {"ipv6.addr", PID_IP},
		{"eap.identity", PID_USER}, {"eap.ms_chap_v2.name", PID_USER},
		{"radius.User_Name", PID_USER}, {"radius.MS_HCAP_User_Name", PID_USER},
		{"radius.Chargeable_User_Identity", PID_USER},
		{"radius.Tunnel_Client_Auth_Id", PID_USER}, {"radius.Tunnel_Server_Auth_Id", PID_USER},
		{"radius.MS_User_Security_Identity", PID_USER}, {"radius.Mobile_Node_Identifier", PID_USER},
		{"radius.Callback_Id", PID_USER}, {"radius.Callback_Number", PID_STATION},
		{"radius.CVPN3000_Group_Name", PID_USER}, {"radius.CVPN3000_IPSec_Group_Name", PID_USER},
		{"radius.Calling_Station_Id", PID_STATION}, {"radius.Called_Station_Id", PID_STATION},
		{"radius.NAS_Identifier", PID_NAS},
		{"radius.MS_Machine_Name", PID_HOST}, {"radius.MS_RAS_Client_Name", PID_HOST},
		{"radius.GSS_Acceptor_Host_Name", PID_HOST}, {"radius.Tunnel_Client_Endpoint", PID_HOST},
		{"radius.Tunnel_Server_Endpoint", PID_HOST}, {"radius.Login_LAT_Node", PID_HOST},
	};
	if (!field)
		return -1;
	for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
		if (!strcmp(field, named[i].name))
			return named[i].cls;
	if (strncmp(field, "radius.", 7))
		return -1;
	/* every address-typed RADIUS attribute (the dictionary says which) */
	for (size_t i = 0; i < rad_nattrs; i++) {
		const struct rad_attr *a = &rad_attrs[i];
		if (a->field && !strcmp(a->field, field))
			switch (a->kind) {
			case RT_IPADDR: case RT_IPV6ADDR: case RT_IPV6PREFIX: case RT_IPV4PREFIX:
			case RT_COMBO_IP: case RT_IFID:
				return PID_IP;
			default:
				break;
			}
	}
	return -1;
}

void fields_set_redact(struct fields *f, const struct pkt_redact *r)
{
	if (!f)
		return;
	f->redact = r;
	free(f->idcls);
	f->idcls = NULL;
	if (!r)
		return;
	f->idcls = xcalloc(f->n ? f->n : 1, sizeof *f->idcls);
	/* no direct rows: every value lands in its column, where the row
	 * printer can rewrite it; identity columns leave the fast path so
	 * each occurrence passes put() */
	f->can_direct = 0;
	for (size_t i = 0; i < f->n; i++) {
		f->idcls[i] = (int8_t)fld_id_class(f->names[i]);
		if (f->idcls[i] >= 0)
			f->fast[i] = 0;
	}
}

/* The frame's direct values go into their columns; the frame goes on
 * the column way. */
static void spill(struct fields *f)
{
	if (!f->direct)
		return;
	f->direct = 0;
	for (size_t k = 0; k < f->ndl; k++) {
		const struct fields_dcol *d = &f->dl[k];
		struct sbuf *b = &f->vals[d->col];
		if (sbuf_add(b, f->rowbuf + d->off, d->len)) {
			/* cannot happen: a direct value stays under the cap */
		}
		f->count[d->col] = d->count;
		f->touched[f->ntouched++] = d->col;
	}
	f->ndl = 0;
	f->cur = -1;
	f->re = f->rowlen;
}

/* Column i's value of n bytes, behind the column being written: the rest
 * of the row moves up to make room (RADIUS adds radius.avp.type between
 * the attributes' own columns). NULL when there is no room: spill. */
char *fields_direct_insert(struct fields *f, int i, size_t n)
{
	size_t k = f->ndl;
	while (k > 0 && f->dl[k - 1].col > (uint32_t)i)
		k--;
	/* dl[k-1] is column i or the one before it; dl[k] the one after */
	int same = k > 0 && f->dl[k - 1].col == (uint32_t)i;
	size_t ins = same ? n + 1 : n;
	if (f->re + ins + 24 > f->rowcap || (same && f->dl[k - 1].len + ins >= FIELDS_VALUE_MAX))
		return NULL;
	size_t at;
	if (same)
		at = f->dl[k - 1].off + f->dl[k - 1].len;
	else if (k > 0)
		at = f->dl[k - 1].off + f->dl[k - 1].len + (size_t)i - f->dl[k - 1].col;
	else
		at = f->rowlen + (size_t)i;   /* i separators from the row's start */
	memmove(f->rowbuf + at + ins, f->rowbuf + at, f->re - at);
	f->re += ins;
	for (size_t j = k; j < f->ndl; j++)
		f->dl[j].off += ins;
	char *o = f->rowbuf + at;
	if (same) {
		struct fields_dcol *d = &f->dl[k - 1];
		*o++ = f->o.aggregator;
		d->count++;
		d->len += ins;
	} else {
		memmove(f->dl + k + 1, f->dl + k, (f->ndl - k) * sizeof *f->dl);
		f->ndl++;
		struct fields_dcol *d = &f->dl[k];
		d->col = (uint32_t)i;
		d->count = 1;
		d->off = at;
		d->len = n;
	}
	return o;
}

void fields_reset(struct fields *f)
{
	f->direct = 0;
	f->ndl = 0;
	f->cur = -1;
	f->re = f->rowlen;
	if (f->can_direct) {
		/* room for a usual row; a bigger one spills and grows the buffer */
		if (f->rowlen + 8192 + 2 * f->n > f->rowcap) {
			fields_flush(f);
			if (8192 + 2 * f->n > f->rowcap) {
				f->rowcap = OUT_FLUSH * 2 + 8192 + 2 * f->n;
				f->rowbuf = xrealloc(f->rowbuf, f->rowcap);
			}
		}
		f->direct = 1;
		f->re = f->rowlen;
	}
	for (size_t k = 0; k < f->ntouched; k++) {
		size_t i = f->touched[k];
		struct sbuf *b = &f->vals[i];
		b->len = 0;
		if (b->p)
			b->p[0] = 0;
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

#define pslot fields_pslot

static int first_index_slow(struct fields *f, const char *name)
{
	int i = field_index(f, name, 0);
	if (f->pmap_used + 1 > f->npmap / 2) {
		size_t on = f->npmap;
		struct ptr_slot *old = f->pmap;
		f->npmap *= 2;
		f->pmap = xcalloc(f->npmap, sizeof *f->pmap);
		for (size_t k = 0; k < on; k++)
			if (old[k].name) {
				size_t j = pslot(f, old[k].name);
				while (f->pmap[j].name)
					j = (j + 1) & (f->npmap - 1);
				f->pmap[j] = old[k];
			}
		free(old);
	}
	size_t j = pslot(f, name);
	while (f->pmap[j].name)
		j = (j + 1) & (f->npmap - 1);
	f->pmap[j].name = name;
	f->pmap[j].first = i;
	f->pmap_used++;
	return i;
}

static inline int first_index(struct fields *f, const char *name)
{
	int i = fields_first(f, name);
	return i == FIELDS_UNSEEN ? first_index_slow(f, name) : i;
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
	char *own = NULL;
	if (f->idcls && f->idcls[i] >= 0) {
		own = xstrndup(v, n);
		v = f->redact->pseudo(f->redact->ctx, (unsigned)f->idcls[i], own);
		n = v ? strlen(v) : 0;
		if (!v)
			v = "";
	}
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
	free(own);
}

static void add_all(struct fields *f, int first, const char *name, const char *v, size_t n)
{
	spill(f);
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
	spill(f);
	va_list ap;
	va_start(ap, fmt);
	if (!f->dup[first] && f->o.occurrence != 'l' && !(f->idcls && f->idcls[first] >= 0) &&
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

static void add_value_slow(struct fields *f, int first, const char *name, const char *v, size_t n)
{
	spill(f);
	if (f->fast[first]) {
		struct sbuf *b = &f->vals[first];
		int r = 0;
		touch(f, (size_t)first);
		if (f->count[first])
			r = sbuf_addc(b, f->o.aggregator);
		if (!r)
			r = sbuf_add(b, v, n);
		(void)r;    /* a value past the 1 MiB cap is cut: the row stays well formed */
		f->count[first]++;
		return;
	}
	add_all(f, first, name, v, n);
}

/* Append v (n bytes) as one occurrence of the field whose first column is
 * first: straight into the column in the common case (the column's name
 * asked for once, -E occurrence=a with an aggregator, room in its buffer). */
static inline __attribute__((always_inline)) void
add_value(struct fields *f, int first, const char *name, const char *v, size_t n)
{
	char *o = fields_fast_slot(f, first, n);
	if (o) {
		fields_copy_small(o, v, n);
		fields_fast_done(f, first, o + n);
		return;
	}
	add_value_slow(f, first, name, v, n);
}

void fld_add_uint(struct fields *f, const char *name, uint64_t v)
{
	if (!f)
		return;
	int first = first_index(f, name);
	if (first < 0)
		return;
	static const char d2[] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
				 "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
				 "8081828384858687888990919293949596979899";
	char t[24];
	size_t k = sizeof t;
	while (v >= 100) {
		unsigned r = (unsigned)(v % 100);
		v /= 100;
		t[--k] = d2[2 * r + 1];
		t[--k] = d2[2 * r];
	}
	if (v >= 10) {
		t[--k] = d2[2 * v + 1];
		t[--k] = d2[2 * v];
	} else {
		t[--k] = (char)('0' + v);
	}
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

/* "000102...ff": two characters a byte */
static const char hex_pairs[513] =
		"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
		"202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
		"404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
		"606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
		"808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
		"a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
		"c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf"
		"e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";

static void hex_to(char *o, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint16_t w;
		memcpy(&w, hex_pairs + 2 * p[i], 2);
		memcpy(o + 2 * i, &w, 2);
	}
}

void fld_add_hex(struct fields *f, const char *name, const uint8_t *p, size_t n)
{
	if (!f)
		return;
	int first = first_index(f, name);
	if (first < 0)
		return;
	char *o = fields_fast_slot(f, first, 2 * n);
	if (o) {
		hex_to(o, p, n);
		fields_fast_done(f, first, o + 2 * n);
		return;
	}
	char small[512];
	char *s = 2 * n + 1 <= sizeof small ? small : xmalloc(2 * n + 1);
	hex_to(s, p, n);
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
	if (f->direct && (!f->rowout || f->rowout == out) && f->re + f->n + 16 <= f->rowcap) {
		/* the separators left, the end of the line */
		char *o = f->rowbuf + f->re;
		size_t gap = f->n == 0 ? 0 : f->cur < 0 ? f->n - 1 : f->n - 1 - (size_t)f->cur;
		memset(o, f->o.separator, gap);
		o[gap] = '\n';
		f->rowlen = f->re + gap + 1;
		f->rowout = out;
		f->direct = 0;          /* the row is done: values go nowhere until reset */
		f->ndl = 0;
		f->cur = -1;
		f->re = f->rowlen;
		if (f->rowlen >= OUT_FLUSH)
			fields_flush(f);
		return;
	}
	spill(f);
	if (f->redact) {
		/* free-text columns: learned identities and address literals */
		for (size_t k = 0; k < f->ntouched; k++) {
			size_t i = f->touched[k];
			if (f->idcls[i] >= 0 || !f->vals[i].len)
				continue;
			const char *t = f->redact->text(f->redact->ctx, sbuf_cstr(&f->vals[i]));
			if (t && strcmp(t, f->vals[i].p)) {
				char *c = xstrdup(t);
				sbuf_reset(&f->vals[i]);
				if (sbuf_adds(&f->vals[i], c)) {
					/* capped: what fits is kept */
				}
				free(c);
			}
		}
	}
	if (f->o.quote) {
		fields_flush(f);
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
	if (f->rowout && f->rowout != out)
		fields_flush(f);
	f->rowout = out;
	size_t need = f->n + 1;
	for (size_t k = 0; k < f->ntouched; k++)
		need += f->vals[f->touched[k]].len;
	need += 16;                     /* slack: gaps are filled 8 bytes at a time */
	if (f->rowlen + need > f->rowcap) {
		fields_flush(f);
		if (need > f->rowcap) {
			f->rowcap = need * 2 > OUT_FLUSH * 2 ? need * 2 : OUT_FLUSH * 2;
			f->rowbuf = xrealloc(f->rowbuf, f->rowcap);
		}
	}
	uint64_t seps = 0x0101010101010101ull * (uint8_t)f->o.separator;
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
	char *o = f->rowbuf + f->rowlen;
	char sep = f->o.separator;
	size_t col = 0;                 /* columns written so far */
	for (size_t k = 0; k < f->ntouched; k++) {
		size_t i = t[k];
		/* separators up to column i: i before it in all, col - 1 written */
		size_t gap = col ? i - col + 1 : i;
		for (size_t g = 0; g < gap; g += 8)   /* may write past the gap: the
						       * value (or slack) comes there */
			memcpy(o + g, &seps, 8);
		o += gap;
		col = i + 1;
		size_t l = f->vals[i].len;
		fields_copy_small(o, f->vals[i].p, l);
		o += l;
	}
	if (f->n > 0) {
		size_t gap = col ? f->n - col : f->n - 1;   /* the empty columns at the end */
		memset(o, sep, gap);
		o += gap;
	}
	*o++ = '\n';
	f->rowlen = (size_t)(o - f->rowbuf);
	if (f->rowlen >= OUT_FLUSH)
		fields_flush(f);
}

void fields_flush(struct fields *f)
{
	if (f)
		spill(f);               /* the frame's row so far is not written */
	if (f && f->rowlen && f->rowout)
		fwrite(f->rowbuf, 1, f->rowlen, f->rowout);
	if (f)
		f->rowlen = 0;
}

const char *fields_value(struct fields *f, size_t i)
{
	spill(f);
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
	if (!p->frame_data || s < p->frame_data || !n ||
	    (size_t)(s - p->frame_data) > p->caplen || n > p->caplen - (size_t)(s - p->frame_data))
		return;
	uint32_t off = (uint32_t)(s - p->frame_data);
	if (p->nmask && p->mask_off[p->nmask - 1] + p->mask_len[p->nmask - 1] == off) {
		p->mask_len[p->nmask - 1] += (uint32_t)n;
		return;
	}
	if (p->nmask >= 8) {
		/* no room: the last range covers this one and all after it */
		uint32_t *lo = &p->mask_off[7], *ln = &p->mask_len[7];
		if (off < *lo)
			*lo = off;
		*ln = p->caplen - *lo;
		return;
	}
	p->mask_off[p->nmask] = off;
	p->mask_len[p->nmask] = (uint32_t)n;
	p->nmask++;
}
