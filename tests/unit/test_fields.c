/* fields: the -T fields collector writes the rows a plain model of tshark's
 * aggregation gives, whatever order values come in (direct rows, values
 * inserted behind the current column, spills to the columns when a value
 * is read, a row outgrows the buffer or a flush comes mid-frame), for every
 * -E occurrence/aggregator/quote combination */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/str.h"
#include "decoders/fields.h"

#define NCOL 12
#define NNAME 14             /* two names no column asks for */

static const char *names[NNAME] = {
	"frame.number", "ip.src", "udp.srcport", "radius.code", "radius.avp.type",
	"radius.User_Name", "radius.Class", "radius.NAS_Port", "eap.type", "eap.identity",
	"radius.avp.vendor_id", "radius.Reply_Message", "not.asked", "also.not",
};

static uint64_t rs = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(uint32_t n)
{
	rs ^= rs << 13;
	rs ^= rs >> 7;
	rs ^= rs << 17;
	return (uint32_t)(rs % n);
}

/* the model: every value of every column of the frame, in order */
struct model {
	struct sbuf v[NCOL];
	unsigned cnt[NCOL];
};

static void m_add(struct model *m, const struct fields_opts *o, const int *col, int ncol,
		  int name, const char *s, size_t n)
{
	for (int c = 0; c < ncol; c++) {
		if (col[c] != name)
			continue;
		struct sbuf *b = &m->v[c];
		int r = 0;
		if (o->occurrence == 'f') {
			if (!m->cnt[c])
				r = sbuf_add(b, s, n);
		} else if (o->occurrence == 'l') {
			sbuf_reset(b);
			r = sbuf_add(b, s, n);
		} else {
			if (m->cnt[c] && o->aggregator)
				r = sbuf_addc(b, o->aggregator);
			if (!r)
				r = sbuf_add(b, s, n);
		}
		(void)r;
		m->cnt[c]++;
	}
}

static void m_row(struct model *m, const struct fields_opts *o, int ncol, struct sbuf *out)
{
	int r = 0;
	for (int c = 0; c < ncol; c++) {
		if (c)
			r |= sbuf_addc(out, o->separator);
		if (o->quote)
			r |= sbuf_addc(out, o->quote);
		r |= sbuf_add(out, m->v[c].p ? m->v[c].p : "", m->v[c].len);
		if (o->quote)
			r |= sbuf_addc(out, o->quote);
		sbuf_reset(&m->v[c]);
		m->cnt[c] = 0;
	}
	r |= sbuf_addc(out, '\n');
	assert_int_equal(r, 0);
}

static void run(const struct fields_opts *o, int ncol, const int *col, int frames, int big)
{
	const char *cn[NCOL] = {0};
	for (int c = 0; c < ncol; c++)
		cn[c] = names[col[c]];
	struct fields *f = fields_new(cn, (size_t)ncol, o);
	struct model m;
	memset(&m, 0, sizeof m);
	for (int c = 0; c < ncol; c++)
		sbuf_init(&m.v[c], 0);
	struct sbuf want;
	sbuf_init(&want, 0);
	char *got = NULL;
	size_t gotn = 0;
	FILE *out = open_memstream(&got, &gotn);
	assert_non_null(out);
	for (int fr = 0; fr < frames; fr++) {
		fields_reset(f);
		int nv = (int)rnd(30);
		for (int k = 0; k < nv; k++) {
			/* mostly in column order, as dissectors add them */
			int name = rnd(4) ? (int)((unsigned)k * NNAME / 30 + rnd(2)) % NNAME
					  : (int)rnd(NNAME);
			char buf[9000];
			size_t n;
			switch (rnd(big ? 5 : 4)) {
			case 0: {
				uint64_t v = rnd(3) == 0 ? rs : rnd(2) ? rnd(1000) : rnd(20000000);
				fld_add_uint(f, names[name], v);
				n = (size_t)snprintf(buf, sizeof buf, "%llu", (unsigned long long)v);
				break;
			}
			case 1: {
				uint64_t v = rnd(2) ? rnd(1000) : rnd(20000000);
				fld_u(f, names[name], v);
				n = (size_t)snprintf(buf, sizeof buf, "%llu", (unsigned long long)v);
				break;
			}
			case 2: {
				n = rnd(40);
				for (size_t i = 0; i < n; i++)
					buf[i] = (char)('a' + rnd(26));
				if (rnd(2))
					fld_s(f, names[name], buf, n);
				else
					fld_add_str(f, names[name], buf, n);
				break;
			}
			case 3: {
				uint8_t raw[64];
				size_t rn = rnd(sizeof raw);
				for (size_t i = 0; i < rn; i++)
					raw[i] = (uint8_t)rnd(256);
				fld_add_hex(f, names[name], raw, rn);
				for (size_t i = 0; i < rn; i++)
					snprintf(buf + 2 * i, 3, "%02x", raw[i]);
				n = 2 * rn;
				break;
			}
			default:        /* a value longer than a usual row */
				n = 1000 + rnd(8000);
				memset(buf, 'x', n);
				fld_add_str(f, names[name], buf, n);
				break;
			}
			m_add(&m, o, col, ncol, name, buf, n);
			if (rnd(97) == 0)      /* a reader mid-frame (tests do) */
				(void)fields_value(f, rnd((uint32_t)ncol));
			if (rnd(211) == 0)     /* a damage message mid-frame */
				fields_flush(f);
		}
		fields_print_row(f, out);
		m_row(&m, o, ncol, &want);
	}
	fields_flush(f);
	fclose(out);
	if (gotn != want.len || memcmp(got, want.p, gotn)) {
		size_t i = 0;
		while (i < gotn && i < want.len && got[i] == want.p[i])
			i++;
		fail_msg("rows differ at byte %zu of %zu/%zu (occurrence %c, aggregator '%c', quote %d)",
			 i, gotn, want.len, o->occurrence, o->aggregator ? o->aggregator : '0', o->quote);
	}
	free(got);
	sbuf_free(&want);
	for (int c = 0; c < ncol; c++)
		sbuf_free(&m.v[c]);
	fields_free(f);
}

static void test_rows_match_model(void **st)
{
	(void)st;
	int cols[NCOL];
	for (int c = 0; c < NCOL; c++)
		cols[c] = c;
	struct fields_opts o = {'\t', '|', 'a', 0, 0};
	run(&o, NCOL, cols, 3000, 0);       /* the direct path */
	run(&o, NCOL, cols, 300, 1);        /* with rows past the buffer */
	o.aggregator = ',';
	o.separator = ' ';
	run(&o, NCOL, cols, 1000, 0);
	o.occurrence = 'f';
	run(&o, NCOL, cols, 1000, 0);
	o.occurrence = 'l';
	run(&o, NCOL, cols, 1000, 0);
	o.occurrence = 'a';
	o.quote = '"';
	run(&o, NCOL, cols, 1000, 0);
	o.quote = 0;
	/* a column asked for twice, columns in reverse order */
	int twice[NCOL];
	for (int c = 0; c < NCOL; c++)
		twice[c] = c == NCOL - 1 ? 3 : NCOL - 2 - c;
	run(&o, NCOL, twice, 1000, 0);
	int rev[NCOL];
	for (int c = 0; c < NCOL; c++)
		rev[c] = NCOL - 1 - c;
	run(&o, NCOL, rev, 1000, 0);
	run(&o, 1, cols, 500, 0);           /* one column */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows_match_model),
	};
	int r = cmocka_run_group_tests(tests, NULL, NULL);
	str_shutdown();
	return r;
}
