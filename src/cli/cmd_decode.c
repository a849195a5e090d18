/* \summary: authscope decode: per-packet RADIUS/IKEv2/ESP dump, tshark-like */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/pipeline.h"
#include "cli/ikekeys_opt.h"
#include "cli/secrets_opt.h"
#include "decoders/decode_cmd.h"
#include "decoders/secrets.h"
#include "ingest/streams.h"

int cmd_decode(struct opts *o)
{
	struct decode_opts d;
	memset(&d, 0, sizeof d);
	decode_default_E(&d.fo);
	/* a packet dump cannot be pseudonymized line by line (user names are
	 * learned from events, which decode does not run): refuse rather
	 * than print identities the user asked to hide */
	if (o->redact) {
		fprintf(stderr, "authscope decode: --redact is not supported: decode prints packets "
			"as they are (use 'events --redact' or 'analyze --redact')\n");
		return 2;
	}
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
	FILE *out = run_output(o);
	if (!out) {
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
	if (out != stdout)
		fclose(out);
	ike_keys_free(ik);
	secrets_free(sec);
	port_map_free(pm);
	return rc;
}
