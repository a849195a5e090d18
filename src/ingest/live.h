/* \summary: live sources for the dashboard: followed files, syslog, interfaces
 *
 * Each is an ingest source (ingest/source.h) that never ends: pull reads
 * what is there without blocking and says SRC_AGAIN when nothing is; the
 * descriptor to poll is an inotify instance (followed files: a regular
 * file always polls readable, so the file itself cannot be polled), the
 * UDP socket, or the capture handle. live_wake names the next time a
 * source wants a turn even without a descriptor event (the stat fallback
 * of followed files, a record held for continuation lines).
 *
 *   live_follow     tail -F: starts at the file's end, survives rotation
 *                   (rename + re-create, the old file read to its end
 *                   first), copytruncate and truncation, waits for a file
 *                   that does not exist yet; inotify plus a stat every
 *                   second, so a missed or unsupported watch costs at most
 *                   a second. The format is sniffed from the file's head.
 *   live_syslog     udp:ADDR:PORT: RFC 3164 and RFC 5424 datagrams, each a
 *                   line for the IOS parser; one input per sending host.
 *   live_interface  libpcap live capture (immediate mode, BPF), dissected
 *                   as a pcap file would be.
 *
 * Messages for the user (a rotation, a file that cannot be reopened after
 * privileges were dropped) go to env->note as one line.
 */
#ifndef AUTHSCOPE_INGEST_LIVE_H
#define AUTHSCOPE_INGEST_LIVE_H

#include <stddef.h>
#include <stdint.h>

#include "ingest/ingest.h"

struct live_env {
	void (*note)(void *ctx, const char *msg);
	void *note_ctx;
	const char *drop_user;      /* -Z: drop root after the capture handle is open */
};

/* Each returns 0, or -1 with a one-line reason in err (the caller exits 2). */
int live_follow(struct ingest *g, const char *path, const struct live_env *env, char *err,
		size_t errsz);
int live_syslog(struct ingest *g, const char *spec, const struct live_env *env, char *err,
		size_t errsz);
int live_interface(struct ingest *g, const char *ifname, const char *bpf,
		   const struct live_env *env, char *err, size_t errsz);
/* -Z without an interface: drop root now (files and sockets are open). */
int live_drop_privileges(const char *user, const struct live_env *env);

/* Monotonic time (us, CLOCK_MONOTONIC) by which a live source of g wants
 * a pull even if its descriptor stays quiet; INT64_MAX when none does. */
int64_t live_wake(const struct ingest *g);

/* How a followed file stands (tests, notes). */
struct follow_stat {
	uint64_t rotations, truncations, reopen_failures;
	uint64_t bytes;
	int waiting;                /* the path does not exist (yet) */
	int inotify;                /* watches are set (else stat polling only) */
};
int live_follow_stat(const struct ingest *g, const char *path, struct follow_stat *st);

#endif
