/* \summary: an input format: how a parser or decoder plugs into ingest
 *
 * Ingest sniffs the first bytes of every input (never its name), picks the
 * format with the highest sniff score, and drives it: a text format gets
 * one record per line() call (CR stripped, NUL-terminated, any length;
 * TAB-continuation lines joined into their record when FMT_JOIN_TAB), a
 * binary format pulls bytes itself from ctx->stream in step(). Events go to
 * ctx->sink. Bad records are counted through input_error() and become
 * input.damaged events; they never stop the input.
 */
#ifndef AUTHSCOPE_CORE_FORMAT_H
#define AUTHSCOPE_CORE_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "core/event.h"
#include "core/input.h"
#include "core/stream.h"

struct secrets;                 /* decoders/secrets.h */
struct ike_keys;                /* decoders/ike_keys.h */
struct port_map;                /* decoders/capture.h: -d udp.port==N,proto */

struct format_ctx {
	struct input *in;
	struct ev_sink *sink;
	struct stream *stream;      /* binary formats read here */
	const struct secrets *secrets;
	const struct ike_keys *ike_keys;
	const struct port_map *ports;
};

#define FMT_TEXT     0x1u       /* line-oriented: open/line/close */
#define FMT_BINARY   0x2u       /* pulls from ctx->stream: open/step/close */
#define FMT_JOIN_TAB 0x4u       /* TAB-led lines continue the previous record */

#define SNIFF_HEAD 8192         /* bytes offered to sniff() */

struct format {
	const char *name;           /* as inputs[].kind: "authproxy-log" */
	unsigned kind;              /* enum src_kind */
	unsigned flags;
	/* 0 = not this format; else confidence 1..100 from the first bytes */
	int (*sniff)(const uint8_t *head, size_t n);
	void *(*open)(const struct format_ctx *ctx);
	void (*line)(void *st, const char *line, size_t len, uint64_t lineno);
	int (*step)(void *st);      /* binary: 1 = more to come, 0 = done */
	void (*close)(void *st);    /* flush pending records, free st */
};

/* Report a damaged/invalid record: records it on the input and emits one
 * input.damaged event to the sink. Use from any parser or decoder. */
void format_damage(const struct format_ctx *ctx, unsigned cls, uint64_t pos,
		   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#endif
