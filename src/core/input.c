/* \summary: the input registry */
#include "core/input.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/event.h"

static struct input **g_inputs;
static uint32_t g_n, g_cap;

const char *input_err_class_name(unsigned c)
{
	static const char *const n[] = {"truncated", "invalid", "damaged"};
	return c < 3 ? n[c] : "damaged";
}

struct input *input_new(const char *path, unsigned kind)
{
	if (g_n == g_cap) {
		g_cap = g_cap ? g_cap * 2 : 16;
		g_inputs = xrealloc(g_inputs, g_cap * sizeof *g_inputs);
	}
	struct input *in = xcalloc(1, sizeof *in);
	in->id = ++g_n;
	in->path = xstrdup(path);
	in->kind = (uint8_t)kind;
	in->pos_is_frame = (uint8_t)src_kind_is_capture(kind);
	clock_init(&in->clock);
	g_inputs[g_n - 1] = in;
	return in;
}

struct input *input_get(uint32_t id)
{
	return id >= 1 && id <= g_n ? g_inputs[id - 1] : NULL;
}

uint32_t input_count(void)
{
	return g_n;
}

void input_reset_all(void)
{
	for (uint32_t i = 0; i < g_n; i++) {
		struct input *in = g_inputs[i];
		for (uint32_t j = 0; j < in->nerr; j++)
			free(in->errs[j].msg);
		free(in->errs);
		free(in->path);
		free(in);
	}
	free(g_inputs);
	g_inputs = NULL;
	g_n = g_cap = 0;
}

int input_error(struct input *in, unsigned cls, uint64_t pos, const char *fmt, ...)
{
	if (in->nerr >= INPUT_MAX_ERRS) {
		in->nerr_dropped++;
		return 0;
	}
	if (in->nerr == in->cap_err) {
		in->cap_err = in->cap_err ? in->cap_err * 2 : 4;
		in->errs = xrealloc(in->errs, in->cap_err * sizeof *in->errs);
	}
	struct sbuf b;
	va_list ap;
	va_start(ap, fmt);
	sbuf_initv(&b, 4096, fmt, ap);
	va_end(ap);
	in->errs[in->nerr++] = (struct input_err){(uint8_t)cls, pos, sbuf_take(&b)};
	return in->nerr == 1;
}

void input_ref(char *out, size_t outsz, uint32_t input, uint64_t pos)
{
	const struct input *in = input_get(input);
	const char *p = in ? in->path : "?";
	if (!pos)
		snprintf(out, outsz, "%s", p);
	else
		snprintf(out, outsz, "%s%c%llu", p, in && in->pos_is_frame ? '#' : ':',
			 (unsigned long long)pos);
}
