/* \summary: authscope decode: per-packet RADIUS/IKEv2/ESP dump, tshark-like */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/pipeline.h"
#include "cli/ikekeys_opt.h"
#include "cli/secrets_opt.h"
#include "decoders/decode_cmd.h"
#include "core/escape.h"
#include "decoders/secrets.h"
#include "ingest/streams.h"
#include "report/redact.h"

/* --redact: the decoders reach the report redactor through these
 * (dissect.h struct pkt_redact). PID_* are RC_* in the same order. */
static void red_learn(void *ctx, unsigned cls, const uint8_t *s, size_t n)
{
	struct redactor *r = ctx;
	const uint8_t *z = memchr(s, 0, n);
	if (z)
		n = (size_t)(z - s);
	if (!n)
		return;
	char *raw = xstrndup((const char *)s, n);
	redact_learn(r, cls, raw);
	/* as the dissectors print it: escaped for a terminal, and printable
	 * ASCII with \xNN for the rest (IKE identities) */
	struct sbuf b;
	sbuf_init(&b, 1u << 16);
	if (!esc_text(&b, raw, n))
		redact_learn(r, cls, sbuf_cstr(&b));
	sbuf_reset(&b);
	int e = 0;
	for (size_t i = 0; i < n; i++)
		e |= (s[i] >= 0x20 && s[i] < 0x7f) ? sbuf_addc(&b, (char)s[i])
						   : sbuf_printf(&b, "\\x%02x", s[i]);
	if (!e)
		redact_learn(r, cls, sbuf_cstr(&b));
	sbuf_free(&b);
	free(raw);
}

static const char *red_pseudo(void *ctx, unsigned cls, const char *s)
{
	return redact_str(ctx, cls, s);
}

static const char *red_text(void *ctx, const char *s)
{
	return redact_text(ctx, s);
}

int cmd_decode(struct opts *o)
{
	struct decode_opts d;
	memset(&d, 0, sizeof d);
	decode_default_E(&d.fo);
	if (o->T && strcmp(o->T, "fields")) {
		fprintf(stderr, "authscope decode: -T supports only 'fields'\n");
		return 2;
	}
	if (o->T && !o->e.n) {
		fprintf(stderr, "authscope decode: -T fields needs at least one -e FIELD\n");
		return 2;
	}
	if (!o->T && o->e.n) {
		fprintf(stderr, "authscope decode: -e needs -T fields\n");
		return 2;
	}
	for (size_t i = 0; i < o->E.n; i++)
		if (decode_parse_E(&d.fo, o->E.v[i])) {
			fprintf(stderr, "authscope decode: bad -E option '%s' (header=y|n, "
				"separator=/t|/s|C, occurrence=a|f|l, aggregator=C, quote=d|s|n)\n",
				o->E.v[i]);
			return 2;
		}
	if (o->inputs.n == 0) {
		fprintf(stderr, "authscope decode: no capture given (a pcap or pcapng file, or -)\n");
		return 2;
	}
	struct secrets *sec;
	struct port_map *pm;
	struct ike_keys *ik = NULL;
	int rc = secrets_opt_setup(o, &sec, &pm);
	if (!rc)
		rc = ike_keys_opt_setup(o, &ik);
	if (rc) {
		ike_keys_free(ik);
		secrets_free(sec);
		port_map_free(pm);
		return rc;
	}
	/* --redact: names the dissectors meet and every address become the
	 * report redactor's pseudonyms (a random key per run) */
	struct redactor *red = NULL;
	struct pkt_redact pr;
	if (o->redact) {
		red = redact_new();
		if (!red) {
			fprintf(stderr, "authscope decode: --redact: no randomness for the key\n");
			ike_keys_free(ik);
			secrets_free(sec);
			port_map_free(pm);
			return 2;
		}
		pr = (struct pkt_redact){red_learn, red_pseudo, red_text, red};
	}
	FILE *out = run_output(o);
	if (!out) {
		redact_free(red);
		ike_keys_free(ik);
		secrets_free(sec);
		port_map_free(pm);
		return 2;
	}
	d.out = out;
	d.diag = stderr;
	d.fields = (const char *const *)o->e.v;
	d.nfields = o->e.n;
	d.tree = o->V;
	d.hex = o->x;
	d.secrets = sec;
	d.ike_keys = ik;
	d.ports = pm;
	d.redact = red ? &pr : NULL;
	struct decoder *dec = decoder_new(&d);
	for (size_t i = 0; i < o->inputs.n && !rc; i++) {
		const char *path = o->inputs.v[i];
		char err[160];
		struct stream *s = strcmp(path, "-") ? stream_file_open(path, NULL, err, sizeof err)
						     : stream_fd_new(0, 0, NULL);
		if (!s) {
			fprintf(stderr, "authscope decode: %s: %s\n", path, err);
			rc = 2;
			break;
		}
		/* a gzipped capture (any number of members) reads through ingest's
		 * gzip stream; damage in it is reported like damage in the capture */
		uint8_t head[2];
		ssize_t hn = stream_read_full(s, head, sizeof head);
		s = stream_with_head(s, head, hn > 0 ? (size_t)hn : 0);
		if (hn == 2 && head[0] == 0x1f && head[1] == 0x8b)
			s = stream_gz_new(s);
		decoder_run(dec, s, path);
		s->close(s);
	}
	decoder_free(dec);
	redact_free(red);
	if (out != stdout)
		fclose(out);
	ike_keys_free(ik);
	secrets_free(sec);
	port_map_free(pm);
	return rc;
}
