/* \summary: IPv4/IPv6 fragment reassembly with hard caps
 *
 * A datagram is keyed by (version, src, dst, id, protocol). Fragments are
 * copied into a per-datagram buffer; when the last byte range is covered
 * the whole payload is handed back (valid until the next call). Caps: at
 * most REASM_MAX_DGRAMS datagrams in flight (the oldest is evicted and
 * counted), REASM_MAX_FRAGS fragments and 65535 bytes each, and a
 * datagram older than REASM_TIMEOUT_NS of capture time is dropped.
 */
#ifndef AUTHSCOPE_DECODERS_IPREASM_H
#define AUTHSCOPE_DECODERS_IPREASM_H

#include <stddef.h>
#include <stdint.h>

#define REASM_MAX_DGRAMS 64
#define REASM_MAX_FRAGS 128
#define REASM_MAX_BYTES 65535
#define REASM_TIMEOUT_NS (30LL * 1000000000)

struct reasm;

struct reasm_key {
	uint8_t ver, proto;
	uint8_t src[16], dst[16];
	uint32_t id;
};

struct reasm *reasm_new(void);
void reasm_free(struct reasm *r);

/* Add a fragment (payload bytes data[0, len) at byte offset off; more =
 * more fragments follow). Returns 1 and sets *out and *outlen when the datagram
 * is complete, 0 while it is not, -1 when the fragment is refused (past the
 * cap, or inconsistent). */
int reasm_add(struct reasm *r, const struct reasm_key *k, int64_t ts_ns, uint32_t off,
	      int more, const uint8_t *data, size_t len, const uint8_t **out, size_t *outlen);

/* Datagrams evicted or expired incomplete so far. */
uint64_t reasm_evictions(const struct reasm *r);

#endif
