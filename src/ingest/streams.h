/* \summary: stream implementations: files, stdin, gzip, replay of a sniffed head
 *
 * File streams opened by path count the bytes they read into an optional
 * progress counter and may be "parked": when more regular files are open
 * than the descriptor budget allows (stream_file_max_open), the least
 * recently read one closes its descriptor and reopens it at the same
 * offset on its next read. So a directory of thousands of files can be
 * merged without running out of descriptors.
 */
#ifndef AUTHSCOPE_INGEST_STREAMS_H
#define AUTHSCOPE_INGEST_STREAMS_H

#include <stddef.h>
#include <stdint.h>

#include "core/stream.h"

/* fd (stdin, a pipe): never parked. counter may be NULL. */
struct stream *stream_fd_new(int fd, int owned, uint64_t *counter);
/* A file by path; NULL with a reason in err when it cannot be opened. */
struct stream *stream_file_open(const char *path, uint64_t *counter, char *err, size_t errsz);
/* Descriptor budget for parkable file streams (default from RLIMIT_NOFILE). */
void stream_file_max_open(unsigned n);
unsigned stream_file_open_count(void);      /* descriptors held now */

/* A stream that yields head[0..n) first, then inner's bytes. Takes inner. */
struct stream *stream_with_head(struct stream *inner, const uint8_t *head, size_t n);
/* gzip (RFC 1952) over inner, concatenated members, takes inner. A truncated
 * or corrupt stream ends with damaged set and err naming the byte offset. */
struct stream *stream_gz_new(struct stream *inner);
/* s itself, or a gzip stream over it when it starts with the gzip magic
 * (decode uses this to read .pcap.gz). Takes s. */
struct stream *stream_gz_auto(struct stream *s);
/* A stream over a memory buffer (not copied; must outlive the stream). */
struct stream *stream_mem_new(const void *p, size_t n);

ssize_t stream_read_full(struct stream *s, uint8_t *buf, size_t n);

#endif
