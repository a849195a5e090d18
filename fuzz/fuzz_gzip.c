/* \summary: fuzz the gzip stream over arbitrary bytes
 *
 * Reads everything in odd-sized pieces; a damaged end must come with a
 * one-line reason; output is capped so a bomb cannot stall the fuzzer. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/streams.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct stream *s = stream_gz_new(stream_mem_new(data, size));
	static char buf[4099];
	size_t step = size ? (size_t)data[size - 1] % sizeof buf + 1 : 1;
	uint64_t total = 0;
	ssize_t r;
	while ((r = stream_read(s, buf, step)) > 0) {
		total += (uint64_t)r;
		if (total > (64u << 20))
			break;
	}
	if (s->damaged && (!s->err[0] || memchr(s->err, '\n', sizeof s->err)))
		abort();
	if (r < 0 && !s->damaged)
		abort();
	s->close(s);
	return 0;
}
