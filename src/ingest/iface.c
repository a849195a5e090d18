/* \summary: a live capture interface as an ingest source
 *
 * decoders/capture_live.c opens the interface (immediate mode, the BPF
 * filter, -Z privilege drop) and dissects each frame as a pcap file's
 * would be; this wraps it as a source: the handle's selectable descriptor
 * is polled, each pull dispatches what the kernel has queued. Frames the
 * kernel dropped (the dashboard fell behind) are said once per change.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/str.h"
#include "decoders/capture.h"
#include "ingest/live_int.h"

#define IFACE_BATCH 1024                /* frames per pull */
#define IFACE_DROPS_US (5LL * 1000000)  /* look at kernel drops this often */
#define IFACE_TICK_US 500000            /* held events: look this often ... */
#define IFACE_TICK_FOR_US (40LL * 1000000)  /* ... this long after a frame */
#define IFACE_TICK_LAG_NS (200LL * 1000000) /* a frame may be this late to dispatch */

struct iface {
	struct live_src ls;
	struct capture_live *cl;
	struct input *in;
	char *name;
	uint64_t drops;
	int64_t next_drops;
	int64_t last_frame;         /* monotonic us */
};

static int64_t real_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int iface_pull(struct source *s)
{
	struct iface *f = (struct iface *)s;
	if (!f->cl)
		return SRC_EOF;
	char err[256];
	int n = capture_live_dispatch(f->cl, IFACE_BATCH, err, sizeof err);
	if (n < 0) {
		live_say(&f->ls.env, "interface %s: capture stopped: %s", f->name, err);
		capture_live_close(f->cl);
		f->cl = NULL;
		return SRC_EOF;
	}
	int64_t now = live_mono_us();
	if (n > 0)
		f->last_frame = now;
	else if (now - f->last_frame < IFACE_TICK_FOR_US)
		capture_live_tick(f->cl, real_ns() - IFACE_TICK_LAG_NS);
	if (now >= f->next_drops) {
		f->next_drops = now + IFACE_DROPS_US;
		uint64_t d = capture_live_drops(f->cl);
		if (d > f->drops) {
			live_say(&f->ls.env, "interface %s: the kernel dropped %llu frames (%llu in all): "
				 "narrow the capture with --bpf", f->name,
				 (unsigned long long)(d - f->drops), (unsigned long long)d);
			f->drops = d;
		}
	}
	return n > 0 ? SRC_READY : SRC_AGAIN;
}

static int iface_fd(const struct source *s)
{
	const struct iface *f = (const struct iface *)s;
	return f->cl ? capture_live_fd(f->cl) : -1;
}

static int64_t iface_wake(const struct live_src *s)
{
	const struct iface *f = (const struct iface *)s;
	/* a handle that cannot be polled is read on a short timer */
	int64_t now = live_mono_us();
	if (f->cl && capture_live_fd(f->cl) < 0)
		return now + 50000;
	if (now - f->last_frame < IFACE_TICK_FOR_US)
		return now + IFACE_TICK_US;
	return f->next_drops;
}

static void iface_close(struct source *s)
{
	struct iface *f = (struct iface *)s;
	capture_live_close(f->cl);
	free(f->name);
	free(f->ls.base.lanes);
	free(f);
}

static const struct source_ops iface_ops = {"live-interface", iface_pull, iface_fd, iface_close};

int live_interface(struct ingest *g, const char *ifname, const char *bpf,
		   const struct live_env *env, char *err, size_t errsz)
{
	struct iface *f = xcalloc(1, sizeof *f);
	source_init(&f->ls.base, &iface_ops, g);
	f->ls.env = *env;
	f->ls.wake = iface_wake;
	f->name = xstrdup(ifname);
	char path[300];
	snprintf(path, sizeof path, "if:%s", ifname);
	f->in = ingest_input(g, path, SRC_LIVE);
	struct lane *l = ingest_lane(g, &f->ls.base, f->in);
	struct capture_opts co = {
		.secrets = g->o.secrets, .ike_keys = g->o.ike_keys, .ports = g->o.ports,
	};
	char why[400];
	f->cl = capture_live_open(ifname, bpf, env->drop_user, f->in, lane_sink(l), &co, why,
				  sizeof why);
	if (!f->cl) {
		snprintf(err, errsz, "--interface %s", why);
		iface_close(&f->ls.base);
		return -1;
	}
	f->next_drops = live_mono_us() + IFACE_DROPS_US;
	f->last_frame = live_mono_us() - IFACE_TICK_FOR_US;
	ingest_add_source(g, &f->ls.base);
	return 0;
}
