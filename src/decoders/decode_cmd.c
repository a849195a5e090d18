/* \summary: the decode command's engine (fields rows, summaries, trees, hex) */
#include "decoders/decode_cmd.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/escape.h"
#include "core/input.h"
#include "core/str.h"

struct decoder {
	struct decode_opts o;
	struct fields *fields;
	struct dtree *tree;
	struct sbuf summary;
	unsigned damaged;
	int header_done;
	const char *path;
};

void decode_default_E(struct fields_opts *fo)
{
	fo->separator = '\t';
	fo->aggregator = ',';
	fo->occurrence = 'a';
	fo->quote = 0;
	fo->header = 0;
}

static int one_char(const char *v, char *out)
{
	if (!strcmp(v, "/t"))
		*out = '\t';
	else if (!strcmp(v, "/s"))
		*out = ' ';
	else if (v[0] && !v[1])
		*out = v[0];
	else
		return -1;
	return 0;
}

int decode_parse_E(struct fields_opts *fo, const char *opt)
{
	const char *eq = strchr(opt, '=');
	if (!eq)
		return -1;
	size_t k = (size_t)(eq - opt);
	const char *v = eq + 1;
	if (k == 6 && !strncmp(opt, "header", k)) {
		if (strcmp(v, "y") && strcmp(v, "n"))
			return -1;
		fo->header = v[0] == 'y';
	} else if (k == 9 && !strncmp(opt, "separator", k)) {
		return one_char(v, &fo->separator);
	} else if (k == 10 && !strncmp(opt, "aggregator", k)) {
		return one_char(v, &fo->aggregator);
	} else if (k == 10 && !strncmp(opt, "occurrence", k)) {
		if (strcmp(v, "a") && strcmp(v, "f") && strcmp(v, "l"))
			return -1;
		fo->occurrence = v[0];
	} else if (k == 5 && !strncmp(opt, "quote", k)) {
		if (!strcmp(v, "d"))
			fo->quote = '"';
		else if (!strcmp(v, "s"))
			fo->quote = '\'';
		else if (!strcmp(v, "n"))
			fo->quote = 0;
		else
			return -1;
	} else {
		return -1;
	}
	return 0;
}

struct decoder *decoder_new(const struct decode_opts *o)
{
	struct decoder *d = xcalloc(1, sizeof *d);
	d->o = *o;
	if (!d->o.out)
		d->o.out = stdout;
	if (!d->o.diag)
		d->o.diag = stderr;
	if (o->nfields) {
		d->fields = fields_new(o->fields, o->nfields, &o->fo);
		fields_set_redact(d->fields, o->redact);
	} else
		sbuf_init(&d->summary, 1u << 20);
	if (o->tree && !o->nfields)
		d->tree = dtree_new();
	return d;
}

void decoder_free(struct decoder *d)
{
	if (!d)
		return;
	fields_free(d->fields);
	dtree_free(d->tree);
	sbuf_free(&d->summary);
	free(d);
}

unsigned decoder_damaged(const struct decoder *d)
{
	return d->damaged;
}

static int masked(const struct pkt *k, size_t at)
{
	for (unsigned i = 0; i < k->nmask; i++)
		if (at >= k->mask_off[i] && at - k->mask_off[i] < k->mask_len[i])
			return 1;
	return 0;
}

/* tshark -x layout; encrypted passwords and keys show as "**" */
static void hexdump(FILE *out, const struct pkt *k, const uint8_t *p, size_t n)
{
	for (size_t off = 0; off < n; off += 16) {
		fprintf(out, "%04zx  ", off);
		for (size_t i = 0; i < 16; i++) {
			if (off + i >= n)
				fputs("   ", out);
			else if (masked(k, off + i))
				fputs("** ", out);
			else
				fprintf(out, "%02x ", p[off + i]);
			if (i == 7)
				fputc(' ', out);
		}
		fputc(' ', out);
		for (size_t i = 0; i < 16 && off + i < n; i++)
			fputc(masked(k, off + i) ? '*' : isprint(p[off + i]) ? p[off + i] : '.', out);
		fputc('\n', out);
	}
}

/* --redact: the frame's lines as on_frame writes them, every line through
 * the redactor's text pass (the dissectors have taught it this frame's
 * names; address literals it finds itself); -x masks what pkt_mask
 * marked, which under --redact is every address and attribute body. */
static void redacted_frame(struct decoder *d, const struct pkt *p, const uint8_t *data,
			   size_t caplen)
{
	const struct pkt_redact *r = d->o.redact;
	FILE *out = d->o.out;
	struct sbuf l;
	sbuf_init(&l, 1u << 20);
	char ts[32];
	clock_fmt_rfc3339(ts, p->ts_ns / 1000);
	int e = sbuf_printf(&l, "%llu %s ", (unsigned long long)p->frame, ts);
	if (p->src && p->dst && p->proto != 17)
		e |= sbuf_printf(&l, "%s -> %s ", p->src, p->dst);
	else if (p->src && p->dst && p->ipver == 6)
		e |= sbuf_printf(&l, "[%s]:%u -> [%s]:%u ", p->src, p->sport, p->dst, p->dport);
	else if (p->src && p->dst)
		e |= sbuf_printf(&l, "%s:%u -> %s:%u ", p->src, p->sport, p->dst, p->dport);
	e |= sbuf_add(&l, d->summary.p, d->summary.len);
	(void)e;                /* capped: what fits is printed */
	const char *t = r->text(r->ctx, sbuf_cstr(&l));
	fputs(t, out);
	if (!*t || t[strlen(t) - 1] != '\n')
		fputc('\n', out);
	sbuf_free(&l);
	if (d->tree)
		fputs(r->text(r->ctx, dtree_text(d->tree)), out);
	if (d->o.hex)
		hexdump(out, p, data, caplen);
	if (d->tree || d->o.hex)
		fputc('\n', out);
}

static void on_frame(void *ctx, const struct pkt *p, const uint8_t *data, size_t caplen)
{
	struct decoder *d = ctx;
	FILE *out = d->o.out;
	if (d->fields) {
		fields_print_row(d->fields, out);
		return;
	}
	if (!d->summary.len)
		return;             /* not RADIUS / IKE / ESP */
	if (d->o.redact) {
		redacted_frame(d, p, data, caplen);
		return;
	}
	char ts[32];
	clock_fmt_rfc3339(ts, p->ts_ns / 1000);
	fprintf(out, "%llu %s ", (unsigned long long)p->frame, ts);
	if (p->src && p->dst && p->proto != 17) {
		fprintf(out, "%s -> %s ", p->src, p->dst);
	} else if (p->src && p->dst) {
		if (p->ipver == 6)
			fprintf(out, "[%s]:%u -> [%s]:%u ", p->src, p->sport, p->dst, p->dport);
		else
			fprintf(out, "%s:%u -> %s:%u ", p->src, p->sport, p->dst, p->dport);
	}
	/* the dissectors escape what came from the packet */
	fputs(sbuf_cstr(&d->summary), out);
	if (d->summary.p[d->summary.len - 1] != '\n')
		fputc('\n', out);
	if (d->tree) {
		fputs(dtree_text(d->tree), out);
	}
	if (d->o.hex)
		hexdump(out, p, data, caplen);
	if (d->tree || d->o.hex)
		fputc('\n', out);
}

struct diag_sink {
	struct ev_sink base;
	struct decoder *d;
};

static void diag_emit(struct ev_sink *self, struct ev *e)
{
	struct diag_sink *s = (struct diag_sink *)self;
	if (e->kind != EVK_INPUT_DAMAGED)
		return;
	s->d->damaged++;
	fields_flush(s->d->fields);     /* the rows before it come first */
	struct sbuf b;
	sbuf_init(&b, 4096);
	if (esc_text(&b, s->d->path, strlen(s->d->path)) || sbuf_adds(&b, ": ") ||
	    esc_text(&b, e->text ? e->text : "damaged", e->text ? strlen(e->text) : 7)) {
		/* capped: what fits is printed */
	}
	fflush(s->d->o.out);
	fprintf(s->d->o.diag, "authscope decode: %s\n", sbuf_cstr(&b));
	sbuf_free(&b);
}

uint64_t decoder_run(struct decoder *d, struct stream *s, const char *path)
{
	d->path = path;
	struct input *in = input_new(path, SRC_PCAP);
	struct diag_sink ds = {{diag_emit}, d};
	struct capture_opts co = {
		.secrets = d->o.secrets, .ike_keys = d->o.ike_keys, .ports = d->o.ports,
		.fields = d->fields, .tree = d->tree, .summary = d->fields ? NULL : &d->summary,
		.on_frame = on_frame, .on_frame_ctx = d, .no_events = 1, .redact = d->o.redact,
	};
	if (d->fields && d->o.fo.header && !d->header_done) {
		fields_print_header(d->fields, d->o.out);
		d->header_done = 1;
	}
	struct capture *c = capture_open(s, in, &ds.base, &co);
	while (capture_step(c))
		;
	uint64_t n = capture_frames(c);
	capture_close(c);
	fields_flush(d->fields);
	return n;
}
