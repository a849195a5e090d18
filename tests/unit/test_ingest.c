/* ingest: line reader, gzip, bundles, rotation order, merge, damage */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include <archive.h>
#include <archive_entry.h>
#include <zlib.h>

#include "core/input.h"
#include "core/str.h"
#include "ingest/evq.h"
#include "ingest/ingest.h"
#include "ingest/ingest_int.h"
#include "ingest/lines.h"
#include "ingest/streams.h"
#include "testfmt.h"

static char g_dir[64];

static char *P(const char *name)
{
	static char buf[8][512];
	static int i;
	i = (i + 1) % 8;
	snprintf(buf[i], sizeof buf[i], "%s/%s", g_dir, name);
	return buf[i];
}

static void write_file(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(p, 1, n, f), n);
	fclose(f);
}

static void write_str(const char *path, const char *s)
{
	write_file(path, s, strlen(s));
}

static uint8_t *gz_mem(const void *p, size_t n, size_t *outn)
{
	z_stream z;
	memset(&z, 0, sizeof z);
	assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
	size_t cap = deflateBound(&z, (uLong)n) + 64;
	uint8_t *out = malloc(cap);
	z.next_in = (Bytef *)(uintptr_t)p;
	z.avail_in = (uInt)n;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	*outn = cap - z.avail_out;
	deflateEnd(&z);
	return out;
}

static void write_gz(const char *path, const char *s)
{
	size_t n;
	uint8_t *z = gz_mem(s, strlen(s), &n);
	write_file(path, z, n);
	free(z);
}

/* ---- a recording sink ---- */

struct rec {
	int64_t ts;
	uint32_t input;
	uint64_t pos;
	unsigned kind;
	const char *text;
	char *raw;
};

struct recsink {
	struct ev_sink base;
	struct rec *v;
	size_t n, cap;
	struct ingest *g;
	size_t peak_mem;
};

static void rec_emit(struct ev_sink *self, struct ev *e)
{
	struct recsink *r = (struct recsink *)self;
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 64;
		r->v = realloc(r->v, r->cap * sizeof *r->v);
	}
	r->v[r->n++] = (struct rec){e->ts, e->input, e->pos, e->kind, e->text,
				    e->raw ? strndup(e->raw, e->raw_len) : NULL};
	if (r->g) {
		size_t m = 0;
		for (size_t i = 0; i < r->g->nlanes; i++)
			m += r->g->lanes[i]->q.mem;
		if (m > r->peak_mem)
			r->peak_mem = m;
	}
}

static void rec_init(struct recsink *r)
{
	memset(r, 0, sizeof *r);
	r->base.emit = rec_emit;
}

static void rec_free(struct recsink *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->v[i].raw);
	free(r->v);
	r->v = NULL;
	r->n = r->cap = 0;
}

static size_t count_kind(const struct recsink *r, unsigned kind)
{
	size_t k = 0;
	for (size_t i = 0; i < r->n; i++)
		k += r->v[i].kind == kind;
	return k;
}

static const char *path_of(uint32_t id)
{
	const struct input *in = input_get(id);
	return in ? in->path : "?";
}

static struct input *input_by_path(const char *path)
{
	for (uint32_t id = 1; id <= input_count(); id++)
		if (!strcmp(input_get(id)->path, path))
			return input_get(id);
	return NULL;
}

static struct ingest *new_ingest(uint64_t max_bundle, FILE *diag)
{
	input_reset_all();
	struct ingest_opts o = {.formats = test_formats, .max_bundle_bytes = max_bundle,
				.diag = diag, .cmd = "analyze"};
	return ingest_new(&o);
}

/* Run the given paths; returns the ingest (caller frees). */
static struct ingest *run(struct recsink *r, uint64_t max_bundle, const char *a, const char *b,
			  const char *c)
{
	struct ingest *g = new_ingest(max_bundle, NULL);
	const char *paths[] = {a, b, c};
	for (int i = 0; i < 3; i++)
		if (paths[i])
			assert_int_equal(ingest_add(g, paths[i]), 0);
	r->g = g;
	ingest_run(g, &r->base);
	return g;
}

/* ---- the line reader ---- */

struct lines_out {
	struct sbuf all;            /* "lineno:record\n" for each */
	int cuts;
	uint64_t cut_line, cut_bytes;
	size_t longest;
};

static void lo_line(void *ctx, const char *rec, size_t len, uint64_t lineno)
{
	struct lines_out *o = ctx;
	assert_int_equal(rec[len], 0);
	if (len > o->longest)
		o->longest = len;
	if (sbuf_printf(&o->all, "%llu:", (unsigned long long)lineno) ||
	    sbuf_add(&o->all, rec, len < 64 ? len : 64) || sbuf_addc(&o->all, '\n'))
		fail();
}

static void lo_cut(void *ctx, uint64_t lineno, uint64_t dropped)
{
	struct lines_out *o = ctx;
	o->cuts++;
	o->cut_line = lineno;
	o->cut_bytes = dropped;
}

/* Feed in pieces of `step` bytes (0 = all at once) and return the log. */
static char *lines_run(const char *in, size_t n, int join, size_t step, struct lines_out *o)
{
	memset(o, 0, sizeof *o);
	sbuf_init(&o->all, 0);
	struct linereader lr;
	lines_init(&lr, join, lo_line, lo_cut, o);
	if (!step)
		step = n ? n : 1;
	for (size_t i = 0; i < n; i += step)
		lines_feed(&lr, in + i, n - i < step ? n - i : step);
	lines_finish(&lr);
	lines_free(&lr);
	return sbuf_take(&o->all);
}

/* fuzz_archive found it: the queue drained (its one block kept, empty),
 * then a record bigger than a block: the empty block stayed in front and
 * peek read a record that was never written. */
static void test_evq_big_record_after_drain(void **st)
{
	(void)st;
	struct evq q;
	evq_init(&q);
	struct ev e;
	ev_init(&e, EVK_RAW, SRC_SYSLOG, 1, 1);
	e.raw = "small";
	e.raw_len = 5;
	evq_push(&q, &e);
	evq_pop(&q);
	assert_null(evq_peek(&q));
	size_t big = 300u << 10;
	char *raw = malloc(big);
	memset(raw, 'x', big);
	ev_init(&e, EVK_INPUT_DAMAGED, SRC_SYSLOG, 1, 2);
	e.raw = raw;
	e.raw_len = big;
	evq_push(&q, &e);
	ev_init(&e, EVK_RAW, SRC_SYSLOG, 1, 3);
	e.raw = "after";
	e.raw_len = 5;
	evq_push(&q, &e);
	struct ev *p = evq_peek(&q);
	assert_non_null(p);
	assert_int_equal(p->kind, EVK_INPUT_DAMAGED);
	assert_int_equal(p->pos, 2);
	assert_int_equal(p->raw_len, big);
	assert_int_equal(p->raw[big - 1], 'x');
	assert_int_equal(p->raw[big], 0);
	evq_pop(&q);
	p = evq_peek(&q);
	assert_non_null(p);
	assert_int_equal(p->pos, 3);
	assert_string_equal(p->raw, "after");
	evq_pop(&q);
	assert_null(evq_peek(&q));
	assert_int_equal(q.n, 0);
	evq_free(&q);
	free(raw);
}

static void test_lines_crlf_nul_utf8_no_final_newline(void **st)
{
	(void)st;
	struct lines_out o;
	static const char lf[] = "a b\nc\xff\xfe d\n\nlast";
	static const char crlf[] = "a b\r\nc\xff\xfe d\r\n\r\nlast\r";
	char *x = lines_run(lf, sizeof lf - 1, 0, 0, &o);
	char *y = lines_run(crlf, sizeof crlf - 1, 0, 0, &o);
	assert_string_equal(x, "1:a b\n2:c\xff\xfe d\n3:\n4:last\n");
	assert_string_equal(x, y);
	free(y);
	/* byte by byte gives the same records */
	y = lines_run(crlf, sizeof crlf - 1, 0, 1, &o);
	assert_string_equal(x, y);
	free(x);
	free(y);
	/* NUL bytes stay inside the record (length counts them) */
	static const char nul[] = "a\0b\nc\n";
	x = lines_run(nul, sizeof nul - 1, 0, 0, &o);
	assert_int_equal(o.longest, 3);
	assert_memory_equal(x, "1:a\0b\n2:c\n", 10);
	free(x);
	/* a zero-filled hole before a line is dropped, the line kept */
	static const char hole[] = "\0\0\0\0x\n\0\0\n";
	x = lines_run(hole, sizeof hole - 1, 0, 0, &o);
	assert_string_equal(x, "1:x\n2:\n");
	free(x);
}

static void test_lines_tab_join(void **st)
{
	(void)st;
	struct lines_out o;
	static const char in[] = "\tlead\nrec one\n\tcont a\r\n\tcont b\nrec two\r\n\tc\n";
	char *whole = lines_run(in, sizeof in - 1, 1, 0, &o);
	assert_string_equal(whole, "1:\tlead\n2:rec one\ncont a\ncont b\n5:rec two\nc\n");
	for (size_t step = 1; step < 9; step++) {
		char *y = lines_run(in, sizeof in - 1, 1, step, &o);
		assert_string_equal(whole, y);
		free(y);
	}
	free(whole);
}

static void test_lines_long_and_capped(void **st)
{
	(void)st;
	struct lines_out o;
	size_t n = 2u << 20;            /* a 2 MB line is delivered whole */
	char *big = malloc(n + 16);
	memset(big, 'x', n);
	memcpy(big + n, "\nshort\n", 7);
	char *x = lines_run(big, n + 7, 0, 65536, &o);
	assert_int_equal(o.longest, n);
	assert_int_equal(o.cuts, 0);
	assert_non_null(strstr(x, "2:short\n"));
	free(x);
	free(big);
	/* past the cap: cut there, reported once, the next line intact */
	n = LINES_MAX_RECORD + 1000;
	big = malloc(n + 16);
	memset(big, 'y', n);
	memcpy(big + n, "\nnext\n", 6);
	x = lines_run(big, n + 6, 0, 100000, &o);
	assert_int_equal(o.longest, LINES_MAX_RECORD);
	assert_int_equal(o.cuts, 1);
	assert_int_equal(o.cut_line, 1);
	assert_int_equal(o.cut_bytes, 1000);
	assert_non_null(strstr(x, "2:next\n"));
	free(x);
	free(big);
}

/* ---- detection and order ---- */

static int cmp_rot(const void *a, const void *b)
{
	return rotation_cmp(*(char *const *)a, *(char *const *)b);
}

static void test_rotation_order(void **st)
{
	(void)st;
	const char *v[] = {"authproxy.log", "authproxy.log.1", "authevents.log.1", "authproxy.log.10",
			   "authproxy.log.2.gz", "authevents.log", "authproxy.log.6", "router.txt",
			   "authproxy.log.bak"};
	qsort(v, sizeof v / sizeof *v, sizeof *v, cmp_rot);
	const char *want[] = {"authevents.log.1", "authevents.log", "authproxy.log.10",
			      "authproxy.log.6", "authproxy.log.2.gz", "authproxy.log.1",
			      "authproxy.log", "authproxy.log.bak", "router.txt"};
	for (size_t i = 0; i < sizeof v / sizeof *v; i++)
		assert_string_equal(v[i], want[i]);
}

static void test_detect_container(void **st)
{
	(void)st;
	uint8_t h[512];
	memset(h, 0, sizeof h);
	memcpy(h, "\x1f\x8b\x08", 3);
	assert_int_equal(detect_container(h, 3), CT_GZIP);
	memcpy(h, "PK\x03\x04", 4);
	assert_int_equal(detect_container(h, 4), CT_ZIP);
	memset(h, 0, sizeof h);
	memcpy(h, "plain text", 10);
	assert_int_equal(detect_container(h, sizeof h), CT_NONE);
	memcpy(h + 257, "ustar", 5);
	assert_int_equal(detect_container(h, sizeof h), CT_TAR);
	assert_int_equal(detect_container(h, 100), CT_NONE);
}

/* what the clock prepass is skipped for: one plain regular file, by the
 * same magic ingest opens containers by */
static void test_plain_file(void **st)
{
	(void)st;
	write_str(P("plain.log"), "2022-02-08T23:24:01 line\n");
	assert_int_equal(ingest_plain_file(P("plain.log")), 1);
	write_str(P("empty.log"), "");
	assert_int_equal(ingest_plain_file(P("empty.log")), 1);
	write_file(P("z.gz"), "\x1f\x8b\x08\0\0\0\0\0", 8);
	assert_int_equal(ingest_plain_file(P("z.gz")), 0);
	write_file(P("e.zip"), "PK\x05\x06\0\0\0\0", 8);
	assert_int_equal(ingest_plain_file(P("e.zip")), 0);
	/* a v7 tar header: no ustar magic, only a valid checksum */
	uint8_t h[512];
	memset(h, 0, sizeof h);
	memcpy(h, "a.log", 5);
	unsigned sum = 0;
	for (int i = 0; i < 512; i++)
		sum += (i >= 148 && i < 156) ? ' ' : h[i];
	snprintf((char *)h + 148, 8, "%06o", sum);
	write_file(P("v7.tar"), h, sizeof h);
	assert_int_equal(ingest_plain_file(P("v7.tar")), 0);
	assert_int_equal(ingest_plain_file(g_dir), 0);
	assert_int_equal(ingest_plain_file(P("missing.log")), 0);
}

/* ---- gzip stream ---- */

static char *gz_read_all(const uint8_t *p, size_t n, int *damaged, char *err, size_t *outn)
{
	struct stream *s = stream_gz_new(stream_mem_new(p, n));
	struct sbuf b;
	sbuf_init(&b, 0);
	char buf[333];
	ssize_t r;
	while ((r = stream_read(s, buf, sizeof buf)) > 0)
		if (sbuf_add(&b, buf, (size_t)r))
			fail();
	*damaged = s->damaged;
	snprintf(err, 160, "%s", s->err);
	s->close(s);
	*outn = b.len;
	return sbuf_take(&b);
}

static void test_gz_members_truncated_corrupt(void **st)
{
	(void)st;
	size_t n1, n2;
	uint8_t *a = gz_mem("hello ", 6, &n1);
	uint8_t *b = gz_mem("world\n", 6, &n2);
	uint8_t *cat = malloc(n1 + n2 + 8);
	memcpy(cat, a, n1);
	memcpy(cat + n1, b, n2);
	memset(cat + n1 + n2, 0, 8);    /* tape padding is fine */
	int dmg;
	char err[160];
	size_t outn;
	char *out = gz_read_all(cat, n1 + n2 + 8, &dmg, err, &outn);
	assert_string_equal(out, "hello world\n");
	assert_int_equal(dmg, 0);
	free(out);
	/* truncated: what came before is delivered, err names the offset */
	out = gz_read_all(cat, n1 + n2 - 9, &dmg, err, &outn);
	assert_int_equal(dmg, 1);
	assert_string_equal(out, "hello world\n");   /* trailer missing only */
	char want[80];
	snprintf(want, sizeof want, "at byte %zu", n1 + n2 - 9);
	assert_non_null(strstr(err, want));
	assert_non_null(strstr(err, "truncated"));
	free(out);
	/* corrupt deflate data */
	cat[n1 + 12] ^= 0xff;
	cat[n1 + 13] ^= 0xff;
	out = gz_read_all(cat, n1 + n2, &dmg, err, &outn);
	assert_int_equal(dmg, 1);
	assert_true(!strncmp(out, "hello ", 6));
	assert_non_null(strstr(err, "gzip"));
	free(out);
	/* garbage after the data */
	memcpy(cat, a, n1);
	memcpy(cat + n1, "junk", 4);
	out = gz_read_all(cat, n1 + 4, &dmg, err, &outn);
	assert_string_equal(out, "hello ");
	assert_int_equal(dmg, 1);
	assert_non_null(strstr(err, "trailing garbage"));
	free(out);
	/* stream_gz_auto: plain bytes pass, gzip is unwrapped */
	struct stream *s = stream_gz_auto(stream_mem_new("ab", 2));
	char buf[16];
	assert_int_equal(stream_read_full(s, (uint8_t *)buf, sizeof buf), 2);
	s->close(s);
	s = stream_gz_auto(stream_mem_new(a, n1));
	assert_int_equal(stream_read_full(s, (uint8_t *)buf, sizeof buf), 6);
	assert_memory_equal(buf, "hello ", 6);
	s->close(s);
	free(a);
	free(b);
	free(cat);
}

/* ---- ingest end to end (test formats) ---- */

static void test_merge_by_time(void **st)
{
	(void)st;
	write_str(P("m1.log"), "#testfmt\n100 a1\n300 a3\n- a3x\n500 a5\n");
	write_str(P("m2.log"), "#testfmt\n- b0\n200 b2\n300 b3\n400 b4\n");
	struct recsink r;
	rec_init(&r);
	struct ingest *g = run(&r, 0, P("m1.log"), P("m2.log"), NULL);
	const char *want[] = {"b0", "a1", "b2", "a3", "a3x", "b3", "b4", "a5"};
	assert_int_equal(r.n, 8);
	for (size_t i = 0; i < 8; i++)
		assert_string_equal(r.v[i].text, want[i]);
	/* refs: the line number in the right input */
	assert_string_equal(path_of(r.v[1].input), P("m1.log"));
	assert_int_equal(r.v[1].pos, 2);
	assert_string_equal(r.v[1].raw, "100 a1");
	assert_int_equal(input_get(r.v[0].input)->events, 4);
	uint64_t done, total;
	ingest_progress(g, &done, &total);
	assert_int_equal(done, total);
	assert_true(total > 60);
	ingest_free(g);
	rec_free(&r);
}

static void test_crlf_same_events(void **st)
{
	(void)st;
	write_str(P("lf.log"), "#testfmt\n100 one\n\ttraceback\n200 two\n300 three");
	write_str(P("crlf.log"), "#testfmt\r\n100 one\r\n\ttraceback\r\n200 two\r\n300 three\r\n");
	struct recsink a, b;
	rec_init(&a);
	rec_init(&b);
	ingest_free(run(&a, 0, P("lf.log"), NULL, NULL));
	ingest_free(run(&b, 0, P("crlf.log"), NULL, NULL));
	assert_int_equal(a.n, 3);
	assert_int_equal(a.n, b.n);
	for (size_t i = 0; i < a.n; i++) {
		assert_int_equal(a.v[i].ts, b.v[i].ts);
		assert_int_equal(a.v[i].pos, b.v[i].pos);
		assert_string_equal(a.v[i].raw, b.v[i].raw);
	}
	assert_string_equal(a.v[0].raw, "100 one\ntraceback");
	rec_free(&a);
	rec_free(&b);
}

static void test_gz_input_and_truncated(void **st)
{
	(void)st;
	struct sbuf t;
	sbuf_init(&t, 0);
	if (sbuf_adds(&t, "#testfmt\n"))
		fail();
	for (int i = 1; i <= 5000; i++)
		if (sbuf_printf(&t, "%d line number %d with some padding text\n", i * 10, i))
			fail();
	size_t zn;
	uint8_t *z = gz_mem(t.p, t.len, &zn);
	write_file(P("t.log.gz"), z, zn);
	write_file(P("cut.log.gz"), z, zn / 2);
	struct recsink r;
	rec_init(&r);
	struct ingest *g = run(&r, 0, P("t.log.gz"), NULL, NULL);
	assert_int_equal(r.n, 5000);
	assert_string_equal(path_of(r.v[0].input), P("t.log.gz"));
	assert_int_equal(count_kind(&r, EVK_INPUT_DAMAGED), 0);
	ingest_free(g);
	rec_free(&r);

	g = run(&r, 0, P("cut.log.gz"), NULL, NULL);
	assert_int_equal(count_kind(&r, EVK_INPUT_DAMAGED), 1);
	assert_true(r.n > 1000 && r.n < 5000);
	/* the intact part, in order, then the damage */
	for (size_t i = 0; i + 1 < r.n - 1; i++)
		assert_int_equal(r.v[i].ts, (int64_t)(i + 1) * 10);
	assert_int_equal(r.v[r.n - 1].kind, EVK_INPUT_DAMAGED);
	struct input *in = input_by_path(P("cut.log.gz"));
	assert_int_equal(in->nerr, 1);
	assert_int_equal(in->errs[0].cls, IE_DAMAGED);
	assert_non_null(strstr(in->errs[0].msg, "truncated gzip"));
	char want[40];
	snprintf(want, sizeof want, "byte %zu", zn / 2);
	assert_non_null(strstr(in->errs[0].msg, want));
	ingest_free(g);
	rec_free(&r);
	free(z);
	sbuf_free(&t);
}

static void test_binary_format_in_gz(void **st)
{
	(void)st;
	uint8_t b[64];
	size_t n = 0;
	memcpy(b, "TBIN", 4);
	n = 4;
	for (int i = 0; i < 3; i++) {
		memset(b + n, 0, 8);
		b[n + 7] = (uint8_t)(50 + i * 100);
		b[n + 8] = 2;
		b[n + 9] = 'p';
		b[n + 10] = (uint8_t)('0' + i);
		n += 11;
	}
	size_t zn;
	uint8_t *z = gz_mem(b, n - 5, &zn);     /* last record cut */
	write_file(P("cap.bin.gz"), z, zn);
	write_str(P("side.log"), "#testfmt\n100 s1\n")
	;
	struct recsink r;
	rec_init(&r);
	struct ingest *g = run(&r, 0, P("cap.bin.gz"), P("side.log"), NULL);
	assert_int_equal(r.n, 4);
	assert_string_equal(r.v[0].text, "p0");
	assert_string_equal(r.v[1].text, "s1");
	assert_string_equal(r.v[2].text, "p1");
	assert_int_equal(r.v[3].kind, EVK_INPUT_DAMAGED);
	assert_int_equal(input_by_path(P("cap.bin.gz"))->kind, SRC_PCAP);
	ingest_free(g);
	rec_free(&r);
	free(z);
}

/* ---- bundles ---- */

struct member_spec {
	const char *name;
	const void *data;
	size_t n;
};

static void make_archive(const char *path, int zip, int gz, const struct member_spec *m, size_t nm)
{
	struct archive *a = archive_write_new();
	if (zip)
		archive_write_set_format_zip(a);
	else
		archive_write_set_format_pax_restricted(a);
	if (gz)
		archive_write_add_filter_gzip(a);
	assert_int_equal(archive_write_open_filename(a, path), ARCHIVE_OK);
	for (size_t i = 0; i < nm; i++) {
		struct archive_entry *e = archive_entry_new();
		archive_entry_set_pathname(e, m[i].name);
		archive_entry_set_size(e, (la_int64_t)m[i].n);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
		assert_int_equal(archive_write_data(a, m[i].data, m[i].n), (la_ssize_t)m[i].n);
		archive_entry_free(e);
	}
	archive_write_close(a);
	archive_write_free(a);
}

static void test_bundles_tgz_zip_nested_gz(void **st)
{
	(void)st;
	static const char l1[] = "#testfmt\n100 x1\n300 x3\n";
	static const char l2[] = "#testfmt\n200 y2\n400 y4\n";
	static const char junk[] = "\x01\x02 no known format\n";
	size_t zn;
	uint8_t *z = gz_mem(l2, sizeof l2 - 1, &zn);
	struct member_spec m[] = {
		{"logs/a.log", l1, sizeof l1 - 1},
		{"logs/b.log.1.gz", z, zn},
		{"notes.bin", junk, sizeof junk - 1},
	};
	make_archive(P("b.tgz"), 0, 1, m, 3);
	make_archive(P("b.zip"), 1, 0, m, 3);
	make_archive(P("b.tar"), 0, 0, m, 3);
	const char *names[] = {"b.tgz", "b.zip", "b.tar"};
	for (int k = 0; k < 3; k++) {
		struct recsink r;
		rec_init(&r);
		struct ingest *g = run(&r, 0, P(names[k]), NULL, NULL);
		const char *want[] = {"x1", "y2", "x3", "y4"};
		assert_int_equal(r.n, 4);
		for (int i = 0; i < 4; i++)
			assert_string_equal(r.v[i].text, want[i]);
		char ref[600];
		input_ref(ref, sizeof ref, r.v[1].input, r.v[1].pos);
		char wantref[600];
		snprintf(wantref, sizeof wantref, "%s:logs/b.log.1.gz:2", P(names[k]));
		assert_string_equal(ref, wantref);
		char up[600];
		snprintf(up, sizeof up, "%s:notes.bin", P(names[k]));
		struct input *u = input_by_path(up);
		assert_non_null(u);
		assert_int_equal(u->kind, SRC_UNKNOWN);
		assert_int_equal(u->nerr, 0);
		ingest_free(g);
		rec_free(&r);
	}
	free(z);
}

static void test_bundle_cap_and_corrupt(void **st)
{
	(void)st;
	struct sbuf t;
	sbuf_init(&t, 0);
	if (sbuf_adds(&t, "#testfmt\n"))
		fail();
	for (int i = 1; i <= 2000; i++)
		if (sbuf_printf(&t, "%d entry %d\n", i, i))
			fail();
	struct member_spec m[] = {
		{"one.log", t.p, t.len},
		{"two.log", t.p, t.len},
	};
	make_archive(P("cap.zip"), 1, 0, m, 2);
	struct recsink r;
	rec_init(&r);
	struct ingest *g = run(&r, t.len / 2, P("cap.zip"), NULL, NULL);
	assert_int_equal(count_kind(&r, EVK_INPUT_DAMAGED), 2);   /* the cut member + the bundle */
	char one[600];
	snprintf(one, sizeof one, "%s:one.log", P("cap.zip"));
	struct input *in = input_by_path(one);
	assert_int_equal(in->nerr, 1);
	assert_non_null(strstr(in->errs[0].msg, "cap"));
	assert_true(r.n > 500 && r.n < 2000);
	ingest_free(g);
	rec_free(&r);

	/* a corrupt member: its data garbled inside the zip */
	FILE *f = fopen(P("cap.zip"), "r+b");
	assert_non_null(f);
	fseek(f, 200, SEEK_SET);
	fwrite("GARBAGEGARBAGEGARBAGE", 1, 21, f);
	fclose(f);
	g = run(&r, 0, P("cap.zip"), NULL, NULL);
	assert_int_equal(count_kind(&r, EVK_INPUT_DAMAGED), 1);
	in = input_by_path(one);
	assert_int_equal(in->nerr, 1);
	assert_non_null(strstr(in->errs[0].msg, "archive member damaged"));
	snprintf(one, sizeof one, "%s:two.log", P("cap.zip"));
	assert_int_equal(input_by_path(one)->events, 2000);    /* the next member is whole */
	ingest_free(g);
	rec_free(&r);

	/* a truncated tar.gz: members before the cut survive */
	static const char small[] = "#testfmt\n1 s1\n2 s2\n3 s3\n";
	struct member_spec m2[] = {
		{"one.log", small, sizeof small - 1},
		{"two.log", t.p, t.len},
	};
	make_archive(P("cut.tgz"), 0, 1, m2, 2);
	struct stat sb;
	assert_int_equal(stat(P("cut.tgz"), &sb), 0);
	assert_int_equal(truncate(P("cut.tgz"), sb.st_size * 3 / 4), 0);
	g = run(&r, 0, P("cut.tgz"), NULL, NULL);
	assert_int_equal(count_kind(&r, EVK_INPUT_DAMAGED), 1);
	snprintf(one, sizeof one, "%s:one.log", P("cut.tgz"));
	assert_int_equal(input_by_path(one)->events, 3);
	snprintf(one, sizeof one, "%s:two.log", P("cut.tgz"));
	in = input_by_path(one);
	assert_true(in->events > 100 && in->events < 2001);
	assert_int_equal(in->nerr, 1);
	assert_non_null(strstr(in->errs[0].msg, "truncated gzip"));
	ingest_free(g);
	rec_free(&r);
	sbuf_free(&t);
}

/* ---- directories, rotation, bad input ---- */

static void test_dir_rotation_and_unknown(void **st)
{
	(void)st;
	mkdir(P("rot"), 0755);
	mkdir(P("rot/sub"), 0755);
	write_str(P("rot/app.log"), "#testfmt\n- newest\n");
	write_str(P("rot/app.log.1"), "#testfmt\n- one\n");
	write_gz(P("rot/app.log.2.gz"), "#testfmt\n- two\n");
	write_str(P("rot/app.log.10"), "#testfmt\n- ten\n");
	write_str(P("rot/sub/z.log"), "#testfmt\n- sub\n");
	/* 1 MB of random bytes: an input of kind unknown, no events */
	uint8_t *rnd = malloc(1 << 20);
	uint32_t x = 12345;
	for (size_t i = 0; i < 1 << 20; i++) {
		x = x * 1103515245u + 12345u;
		rnd[i] = (uint8_t)(x >> 16);
	}
	rnd[0] = 'R';
	write_file(P("rot/random.bin"), rnd, 1 << 20);
	free(rnd);
	struct recsink r;
	rec_init(&r);
	struct ingest *g = run(&r, 0, P("rot"), NULL, NULL);
	const char *want[] = {"ten", "two", "one", "newest", "sub"};
	assert_int_equal(r.n, 5);
	for (int i = 0; i < 5; i++)
		assert_string_equal(r.v[i].text, want[i]);
	struct input *u = input_by_path(P("rot/random.bin"));
	assert_non_null(u);
	assert_int_equal(u->kind, SRC_UNKNOWN);
	assert_int_equal(u->nerr, 0);
	ingest_free(g);
	rec_free(&r);
}

static void test_unreadable_path(void **st)
{
	(void)st;
	char *buf = NULL;
	size_t n = 0;
	FILE *d = open_memstream(&buf, &n);
	struct ingest *g = new_ingest(0, d);
	assert_int_equal(ingest_add(g, P("does-not-exist.log")), -1);
	fclose(d);
	char want[600];
	snprintf(want, sizeof want, "authscope analyze: %s: No such file or directory\n",
		 P("does-not-exist.log"));
	assert_string_equal(buf, want);
	free(buf);
	ingest_free(g);
}

static void test_streaming_memory_bounded(void **st)
{
	(void)st;
	/* 200k lines (~12 MB) in two files: queues stay at a chunk's worth */
	FILE *f1 = fopen(P("big1.log"), "w"), *f2 = fopen(P("big2.log"), "w");
	fputs("#testfmt\n", f1);
	fputs("#testfmt\n", f2);
	for (int i = 0; i < 100000; i++) {
		fprintf(f1, "%d first file line with text %d abcdefghijklmnopqrstuvwxyz\n", 2 * i, i);
		fprintf(f2, "%d second file line with text %d abcdefghijklmnopqrstuvwxyz\n", 2 * i + 1, i);
	}
	fclose(f1);
	fclose(f2);
	struct recsink r;
	rec_init(&r);
	struct ingest *g = run(&r, 0, P("big1.log"), P("big2.log"), NULL);
	assert_int_equal(r.n, 200000);
	for (size_t i = 0; i < r.n; i++)
		if (r.v[i].ts != (int64_t)i)
			fail_msg("event %zu has ts %lld", i, (long long)r.v[i].ts);
	assert_true(r.peak_mem <= 4u << 20);
	ingest_free(g);
	rec_free(&r);
}

static void test_parking_many_files(void **st)
{
	(void)st;
	mkdir(P("many"), 0755);
	char name[64];
	for (int f = 0; f < 12; f++) {
		snprintf(name, sizeof name, "many/f%02d.log", f);
		FILE *o = fopen(P(name), "w");
		fputs("#testfmt\n", o);
		for (int i = 0; i < 3000; i++)
			fprintf(o, "%d file %d line %d .................................\n",
				i * 12 + f, f, i);
		fclose(o);
	}
	stream_file_max_open(3);
	struct recsink r;
	rec_init(&r);
	struct ingest *g = run(&r, 0, P("many"), NULL, NULL);
	assert_int_equal(r.n, 36000);
	for (size_t i = 0; i < r.n; i++)
		assert_int_equal(r.v[i].ts, (int64_t)i);
	assert_true(stream_file_open_count() <= 3);
	ingest_free(g);
	rec_free(&r);
	stream_file_max_open(512);
}

static void test_prepass_then_run(void **st)
{
	(void)st;
	write_str(P("p1.log"), "#testfmt\n100 a\n300 c\n");
	write_gz(P("p2.log.gz"), "#testfmt\n200 b\n");
	struct ingest *g = new_ingest(0, NULL);
	assert_int_equal(ingest_add(g, P("p1.log")), 0);
	assert_int_equal(ingest_add(g, P("p2.log.gz")), 0);
	struct recsink pre, r;
	rec_init(&pre);
	rec_init(&r);
	ingest_prepass(g, &pre.base);
	assert_int_equal(pre.n, 3);          /* input by input, not merged */
	assert_string_equal(pre.v[1].text, "c");
	uint32_t n_inputs = input_count();
	struct input *in1 = input_by_path(P("p1.log"));
	in1->clock.offset_s = -0.00015;     /* what an estimator would set: +150 us */
	ingest_run(g, &r.base);
	assert_int_equal(input_count(), n_inputs);
	assert_int_equal(in1->events, 2);
	assert_true(in1->clock.offset_s == -0.00015);
	/* merged on corrected time: a at 250, b at 200, c at 450 */
	assert_int_equal(r.n, 3);
	assert_string_equal(r.v[0].text, "b");
	assert_string_equal(r.v[1].text, "a");
	assert_string_equal(r.v[2].text, "c");
	ingest_free(g);
	rec_free(&pre);
	rec_free(&r);
}

static void test_tz_year_options_by_input(void **st)
{
	(void)st;
	mkdir(P("tz"), 0755);
	write_str(P("tz/router.txt"), "#testfmt\n- r\n");
	write_str(P("tz/other.txt"), "#testfmt\n- o\n");
	write_str(P("tz/xrouter.txt"), "#testfmt\n- x\n");
	input_reset_all();
	struct zone_opt tz[] = {{"router.txt", 3600}, {NULL, -18000}};
	struct zone_opt yr[] = {{NULL, 2021}, {"tz/other.txt", 2019}};
	struct ingest_opts o = {.formats = test_formats, .tz = tz, .ntz = 2, .year = yr, .nyear = 2};
	struct ingest *g = ingest_new(&o);
	assert_int_equal(ingest_add(g, P("tz")), 0);
	struct recsink r;
	rec_init(&r);
	ingest_run(g, &r.base);
	struct input *a = input_by_path(P("tz/router.txt"));
	struct input *b = input_by_path(P("tz/other.txt"));
	struct input *c = input_by_path(P("tz/xrouter.txt"));
	assert_int_equal(a->clock.zone_s, 3600);        /* its own wins over the later global */
	assert_int_equal(b->clock.zone_s, -18000);
	assert_int_equal(c->clock.zone_s, -18000);      /* a tail match needs a '/' or ':' */
	assert_int_equal(a->clock.zone_from, CF_OPTION);
	assert_int_equal(a->clock.year, 2021);
	assert_int_equal(b->clock.year, 2019);
	ingest_free(g);
	rec_free(&r);
}

/* A live-like source: events arrive in bursts; SRC_AGAIN in between. */
struct tsrc {
	struct source base;
	struct lane *lane;
	int avail, sent, closed;
};

static int tsrc_pull(struct source *s)
{
	struct tsrc *t = (struct tsrc *)s;
	if (t->sent < t->avail) {
		struct ev e;
		ev_init(&e, EVK_RAW, SRC_SYSLOG, 0, (uint64_t)t->sent + 1);
		e.input = input_by_path("live")->id;
		e.ts = 1000 + t->sent;
		e.raw = "live line";
		e.raw_len = 9;
		ev_emit(lane_sink(t->lane), &e);
		t->sent++;
		return SRC_READY;
	}
	return t->closed ? SRC_EOF : SRC_AGAIN;
}

static int tsrc_fd(const struct source *s)
{
	(void)s;
	return 42;
}

static void tsrc_close(struct source *s)
{
	free(s->lanes);
}

static const struct source_ops tsrc_ops = {"test-live", tsrc_pull, tsrc_fd, tsrc_close};

static void test_step_with_waiting_source(void **st)
{
	(void)st;
	write_str(P("w.log"), "#testfmt\n5 f1\n2000 f2\n");
	struct ingest *g = new_ingest(0, NULL);
	assert_int_equal(ingest_add(g, P("w.log")), 0);
	struct recsink r;
	rec_init(&r);
	ingest_start(g, &r.base);
	struct tsrc t;
	memset(&t, 0, sizeof t);
	source_init(&t.base, &tsrc_ops, g);
	t.lane = ingest_lane(g, &t.base, ingest_input(g, "live", SRC_SYSLOG));
	ingest_add_source(g, &t.base);
	/* nothing live yet: the file goes on, then the merge waits */
	assert_int_equal(ingest_step(g, 100), INGEST_WAIT);
	assert_int_equal(r.n, 2);
	int fds[4];
	assert_int_equal(ingest_pollfds(g, fds, 4), 1);
	assert_int_equal(fds[0], 42);
	t.avail = 3;
	assert_int_equal(ingest_step(g, 2), INGEST_MORE);
	assert_int_equal(r.n, 4);
	assert_int_equal(ingest_step(g, 100), INGEST_WAIT);
	assert_int_equal(r.n, 5);
	assert_string_equal(r.v[4].raw, "live line");
	t.closed = 1;
	assert_int_equal(ingest_step(g, 100), INGEST_DONE);
	assert_int_equal(ingest_pollfds(g, fds, 4), 0);
	assert_int_equal(input_by_path("live")->events, 3);
	ingest_free(g);
	rec_free(&r);
}

static int setup(void **st)
{
	(void)st;
	snprintf(g_dir, sizeof g_dir, "/tmp/authscope-ingest-XXXXXX");
	return mkdtemp(g_dir) ? 0 : -1;
}

static int teardown(void **st)
{
	(void)st;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_evq_big_record_after_drain),
		cmocka_unit_test(test_lines_crlf_nul_utf8_no_final_newline),
		cmocka_unit_test(test_lines_tab_join),
		cmocka_unit_test(test_lines_long_and_capped),
		cmocka_unit_test(test_rotation_order),
		cmocka_unit_test(test_detect_container),
		cmocka_unit_test(test_plain_file),
		cmocka_unit_test(test_gz_members_truncated_corrupt),
		cmocka_unit_test(test_merge_by_time),
		cmocka_unit_test(test_crlf_same_events),
		cmocka_unit_test(test_gz_input_and_truncated),
		cmocka_unit_test(test_binary_format_in_gz),
		cmocka_unit_test(test_bundles_tgz_zip_nested_gz),
		cmocka_unit_test(test_bundle_cap_and_corrupt),
		cmocka_unit_test(test_dir_rotation_and_unknown),
		cmocka_unit_test(test_unreadable_path),
		cmocka_unit_test(test_streaming_memory_bounded),
		cmocka_unit_test(test_parking_many_files),
		cmocka_unit_test(test_prepass_then_run),
		cmocka_unit_test(test_step_with_waiting_source),
		cmocka_unit_test(test_tz_year_options_by_input),
	};
	int rc = cmocka_run_group_tests_name("ingest", tests, setup, teardown);
	input_reset_all();
	str_shutdown();
	return rc;
}
