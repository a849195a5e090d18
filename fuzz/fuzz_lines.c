/* \summary: fuzz the line reader: chunking, CR stripping, TAB joining, cap
 *
 * Byte 0 picks TAB joining (bit 0) and the chunk size (the rest); the
 * records must come out NUL-terminated, never longer than the cap, and the
 * same whatever the chunking (compared with a one-shot feed). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "ingest/lines.h"

struct acc {
	uint64_t h, n, last_line;
};

static void on_line(void *ctx, const char *rec, size_t len, uint64_t lineno)
{
	struct acc *a = ctx;
	if (rec[len] != 0 || len > LINES_MAX_RECORD || lineno <= a->last_line)
		abort();
	a->last_line = lineno;
	a->h = a->h * 31 + hash_bytes(rec, len) + lineno;
	a->n++;
}

static void on_cut(void *ctx, uint64_t lineno, uint64_t dropped)
{
	struct acc *a = ctx;
	a->h = a->h * 7 + lineno + dropped;
}

static struct acc run(const uint8_t *p, size_t n, int join, size_t step)
{
	struct acc a = {0, 0, 0};
	struct linereader lr;
	lines_init(&lr, join, on_line, on_cut, &a);
	for (size_t i = 0; i < n; i += step)
		lines_feed(&lr, (const char *)p + i, n - i < step ? n - i : step);
	lines_finish(&lr);
	lines_free(&lr);
	return a;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	int join = data[0] & 1;
	size_t step = (size_t)(data[0] >> 1) + 1;
	struct acc a = run(data + 1, size - 1, join, step);
	struct acc b = run(data + 1, size - 1, join, size);
	if (a.h != b.h || a.n != b.n)
		abort();
	return 0;
}
