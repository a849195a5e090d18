/* \summary: what a dissector gets for one frame, and where it writes fields
 *
 * The capture layer (capture.c) walks link/IP/UDP and hands each datagram to
 * the dissector its ports name (RADIUS, IKE/NAT-T, ESP). A dissector decodes
 * through struct rd, emits events into pkt->sink, and, only when asked (for
 * `decode`), adds tshark-named fields (pkt->fields) and tree lines
 * (pkt->tree). Both are NULL on the analyze path, so they cost nothing there.
 */
#ifndef AUTHSCOPE_DECODERS_DISSECT_H
#define AUTHSCOPE_DECODERS_DISSECT_H

#include <stddef.h>
#include <stdint.h>

#include "core/event.h"
#include "core/str.h"

struct fields;                     /* fields.c: -T fields collector */
struct dtree;                      /* tree.c: -V tree */
struct radius_track;               /* radius.c: per-capture request/response pairing */
struct ike_state;                  /* ike_sa.h: per-capture IKE SA tracking */

/* decode --redact. Decoders know no redactor (that is report/'s): the cli
 * hands them these callbacks. learn() is told every name-like identity a
 * dissector meets (raw bytes as in the packet), so the printed text can
 * lose it; pseudo() is the pseudonym of one value (-T fields columns);
 * text() replaces learned identities and every address literal in free
 * text (summaries, trees, the other columns). The classes are the
 * report redactor's, in its order. */
enum pkt_id_class { PID_USER, PID_IP, PID_HOST, PID_NAS, PID_STATION };
struct pkt_redact {
	void (*learn)(void *ctx, unsigned cls, const uint8_t *s, size_t n);
	const char *(*pseudo)(void *ctx, unsigned cls, const char *s);
	const char *(*text)(void *ctx, const char *s);
	void *ctx;
};

struct pkt {
	uint32_t input;            /* core/input.h id */
	uint64_t frame;            /* 1-based frame number */
	int64_t ts_ns;             /* capture time, ns since the epoch (UTC) */
	uint32_t wirelen, caplen;
	uint8_t ipver;             /* 4 or 6, 0 when none */
	const char *src, *dst;     /* interned addresses, NULL when none */
	uint16_t sport, dport;
	struct ev_sink *sink;      /* events (may be NULL in decode-only runs) */
	struct fields *fields;     /* NULL unless -T fields */
	struct dtree *tree;        /* NULL unless -V */
	struct sbuf *summary;      /* NULL unless decode's one-line summary */
	const struct secrets *secrets; /* NULL when none given */
	const struct ike_keys *ike_keys; /* NULL when none given */
	struct radius_track *radius;   /* per-capture RADIUS state; NULL = none */
	struct ike_state *ike;         /* per-capture IKE state (ikev2.h); NULL = a shared one */
	uint8_t inner;                 /* dissecting the datagram quoted inside an
	                                * ICMP error: add fields, keep no state,
	                                * emit no events */
	uint8_t proto;                 /* IP protocol of the payload (17, 50, ...) */
	const uint8_t *frame_data;     /* the frame as captured */
	uint8_t nmask;                 /* -x: byte ranges of the frame never shown */
	uint32_t mask_off[8], mask_len[8];  /* (encrypted passwords, keys) */
	uint32_t udp_paylen;           /* UDP payload length the header claims: more
	                                * than the bytes handed over when the
	                                * capture cut the frame */
	const struct pkt_redact *redact;   /* decode --redact; NULL otherwise */
};

/* An identity met in a packet (decode --redact learns it; free otherwise). */
static inline void pkt_ident(const struct pkt *p, unsigned cls, const void *s, size_t n)
{
	if (p->redact && s && n)
		p->redact->learn(p->redact->ctx, cls, (const uint8_t *)s, n);
}

/* -T fields: add one occurrence of a tshark field (printf-formatted value).
 * Names not requested are ignored cheaply. No-op when f is NULL. A name
 * must have static storage (a literal, a static table entry or an interned
 * string): lookups are cached by its pointer. */
void fld_add(struct fields *f, const char *name, const char *fmt, ...)
	PRINTF_LIKE(3, 4);
void fld_add_hex(struct fields *f, const char *name, const uint8_t *p, size_t n);
/* The same without printf, for hot paths: a decimal, and bytes as given
 * (the caller escapes what came from input). */
void fld_add_uint(struct fields *f, const char *name, uint64_t v);
void fld_add_str(struct fields *f, const char *name, const char *s, size_t n);

/* Mark n bytes at s (inside p->frame_data) as never to be shown in a hex
 * dump: encrypted passwords and keys (and, under --redact, addresses and
 * attribute/payload bodies). Ignored for bytes outside the frame
 * (reassembled data). A range that starts where the last one ends extends
 * it; past 8 ranges the last one grows to the end of the frame (more is
 * hidden, never less). */
void pkt_mask(struct pkt *p, const uint8_t *s, size_t n);
int fld_wanted(const struct fields *f, const char *name);

/* -V: a nested tree of lines. No-op when t is NULL. */
void tree_add(struct dtree *t, const char *fmt, ...) PRINTF_LIKE(2, 3);
void tree_push(struct dtree *t, const char *fmt, ...) PRINTF_LIKE(2, 3);
void tree_pop(struct dtree *t);

#endif
