/* \summary: what the live sources share (follow.c, syslog_rx.c, iface.c, live.c) */
#ifndef AUTHSCOPE_INGEST_LIVE_INT_H
#define AUTHSCOPE_INGEST_LIVE_INT_H

#include <stdint.h>

#include "ingest/ingest_int.h"
#include "ingest/live.h"

/* A live source starts with this; its ops->name starts with "live-". */
struct live_src {
	struct source base;
	struct live_env env;
	/* monotonic us of the next pull wanted without a descriptor event */
	int64_t (*wake)(const struct live_src *s);
};

int64_t live_mono_us(void);
void live_say(const struct live_env *env, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

extern const struct source_ops follow_ops;

#endif
