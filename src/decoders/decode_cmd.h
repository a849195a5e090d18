/* \summary: the decode command's engine: frames in, tshark-like text out
 *
 * Without -T fields: a 1-3 line summary per RADIUS/IKEv2/ESP packet
 * (frames of other protocols print nothing), -V adds the attribute/payload
 * tree, -x a hex dump of the frame. With -T fields: one row per frame,
 * every frame, as tshark 4.0 prints it.
 */
#ifndef AUTHSCOPE_DECODERS_DECODE_CMD_H
#define AUTHSCOPE_DECODERS_DECODE_CMD_H

#include <stdio.h>

#include "core/stream.h"
#include "decoders/capture.h"
#include "decoders/fields.h"

struct decode_opts {
	FILE *out, *diag;
	const char *const *fields;      /* -e names; NULL/0 = summary mode */
	size_t nfields;
	struct fields_opts fo;          /* -E */
	int tree, hex;                  /* -V, -x */
	const struct secrets *secrets;
	const struct ike_keys *ike_keys;
	const struct port_map *ports;
	/* --redact: identities become pseudonyms in every mode, and -x masks
	 * addresses and attribute/payload bodies (dissect.h); NULL = off */
	const struct pkt_redact *redact;
};

struct decoder;
struct decoder *decoder_new(const struct decode_opts *o);
/* Decode one capture read from s (the caller closes s). path is how the
 * input is named in messages. Returns frames decoded; damage is reported
 * on o->diag ("authscope decode: PATH: ...") and the rest still printed. */
uint64_t decoder_run(struct decoder *d, struct stream *s, const char *path);
/* Inputs that had damage or could not be read as a capture. */
unsigned decoder_damaged(const struct decoder *d);
void decoder_free(struct decoder *d);

/* Parse one -E option into fo. 0, or -1 when unknown. */
int decode_parse_E(struct fields_opts *fo, const char *opt);
void decode_default_E(struct fields_opts *fo);

#endif
