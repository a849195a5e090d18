/* \summary: fuzz the container path: gzip/zip/tar detection, libarchive
 * members, nested streams, runners and the merge, over one memory buffer.
 * Uses the test-only formats (tests/testfmt.h) so members parse into
 * events. A 32 MiB budget keeps decompression bombs cheap. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/input.h"
#include "core/str.h"
#include "ingest/ingest.h"
#include "ingest/ingest_int.h"
#include "ingest/streams.h"
#include "../tests/testfmt.h"

static void sink_emit(struct ev_sink *self, struct ev *e)
{
	(void)self;
	if (e->raw && e->raw[e->raw_len] != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ingest_opts o = {.formats = test_formats, .max_bundle_bytes = 32u << 20};
	struct ingest *g = ingest_new(&o);
	struct ev_sink sink = {sink_emit};
	ingest_start(g, &sink);
	struct budget b = {32u << 20, 32u << 20, 0};
	struct source *s = ingest_open_stream(g, NULL, "fuzz.bin", stream_mem_new(data, size),
					      NULL, &b, 0, 0);
	if (s)
		ingest_add_source(g, s);
	while (ingest_step(g, SIZE_MAX) == INGEST_MORE)
		;
	ingest_free(g);
	input_reset_all();
	str_shutdown();   /* one input is one run: its interned strings go too */
	return 0;
}
