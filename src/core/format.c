/* \summary: shared helper for formats: record damage as error + event */
#include "core/format.h"

#include <stdarg.h>
#include <stdlib.h>

#include "core/str.h"

void format_damage(const struct format_ctx *ctx, unsigned cls, uint64_t pos,
		   const char *fmt, ...)
{
	struct sbuf b;
	va_list ap;
	va_start(ap, fmt);
	sbuf_initv(&b, 1024, fmt, ap);
	va_end(ap);
	input_error(ctx->in, cls, pos, "%s", sbuf_cstr(&b));
	if (ctx->sink) {
		struct ev e;
		ev_init(&e, EVK_INPUT_DAMAGED, ctx->in->kind, ctx->in->id, pos);
		e.result = intern_cstr(input_err_class_name(cls));
		e.text = intern(sbuf_cstr(&b), b.len);
		e.raw = sbuf_cstr(&b);
		e.raw_len = b.len;
		ev_emit(ctx->sink, &e);
	}
	sbuf_free(&b);
}
