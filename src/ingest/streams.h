/* \summary: stream implementations (files, stdin, replay of a sniffed head) */
#ifndef AUTHSCOPE_INGEST_STREAMS_H
#define AUTHSCOPE_INGEST_STREAMS_H

#include <stddef.h>
#include <stdint.h>

#include "core/stream.h"

struct stream *stream_fd_new(int fd, int owned);
struct stream *stream_file_open(const char *path, char *err, size_t errsz);
/* A stream that yields head[0..n) first, then inner's bytes. Takes inner. */
struct stream *stream_with_head(struct stream *inner, const uint8_t *head, size_t n);
ssize_t stream_read_full(struct stream *s, uint8_t *buf, size_t n);

#endif
