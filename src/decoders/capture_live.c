/* \summary: live capture for the dashboard: immediate mode, BPF, dropped privileges */
#include "decoders/capture.h"

#include <errno.h>
#include <grp.h>
#include <pcap/pcap.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/str.h"

struct capture_live {
	pcap_t *pc;
	struct capture *c;
	int linktype;
};

static int drop_privileges(const char *user, char *err, size_t errsz)
{
	if (!user || geteuid() != 0)
		return 0;
	struct passwd *pw = getpwnam(user);
	if (!pw) {
		snprintf(err, errsz, "cannot drop privileges: no user '%s'", user);
		return -1;
	}
	if (initgroups(pw->pw_name, pw->pw_gid) != 0 || setgid(pw->pw_gid) != 0 ||
	    setuid(pw->pw_uid) != 0) {
		snprintf(err, errsz, "cannot drop privileges to '%s': %s", user, strerror(errno));
		return -1;
	}
	if (setuid(0) == 0) {       /* must not be able to get root back */
		snprintf(err, errsz, "privileges to '%s' were not dropped", user);
		return -1;
	}
	return 0;
}

static void live_cb(u_char *u, const struct pcap_pkthdr *h, const u_char *data)
{
	struct capture_live *l = (struct capture_live *)u;
	int64_t ts = (int64_t)h->ts.tv_sec * 1000000000 + (int64_t)h->ts.tv_usec;
	if (pcap_get_tstamp_precision(l->pc) != PCAP_TSTAMP_PRECISION_NANO)
		ts = (int64_t)h->ts.tv_sec * 1000000000 + (int64_t)h->ts.tv_usec * 1000;
	capture_frame(l->c, l->linktype, ts, data, h->caplen, h->len);
}

struct capture_live *capture_live_open(const char *ifname, const char *bpf,
				       const char *drop_user, struct input *in,
				       struct ev_sink *sink, const struct capture_opts *o,
				       char *err, size_t errsz)
{
	char eb[PCAP_ERRBUF_SIZE];
	eb[0] = 0;
	pcap_t *pc = pcap_create(ifname, eb);
	if (!pc) {
		snprintf(err, errsz, "%s: %s", ifname, eb);
		return NULL;
	}
	pcap_set_snaplen(pc, 262144);
	pcap_set_immediate_mode(pc, 1);
	pcap_set_tstamp_precision(pc, PCAP_TSTAMP_PRECISION_NANO);
	int r = pcap_activate(pc);
	if (r < 0) {
		snprintf(err, errsz, "%s: %s", ifname, pcap_geterr(pc));
		pcap_close(pc);
		return NULL;
	}
	struct bpf_program prog;
	const char *filter = bpf ? bpf : "udp or icmp or icmp6 or esp or (ip[6:2] & 0x1fff != 0)";
	if (pcap_compile(pc, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) != 0 ||
	    pcap_setfilter(pc, &prog) != 0) {
		snprintf(err, errsz, "bad filter '%s': %s", filter, pcap_geterr(pc));
		pcap_close(pc);
		return NULL;
	}
	pcap_freecode(&prog);
	if (drop_privileges(drop_user, err, errsz)) {
		pcap_close(pc);
		return NULL;
	}
	pcap_setnonblock(pc, 1, eb);
	struct capture_live *l = xcalloc(1, sizeof *l);
	l->pc = pc;
	l->c = capture_new(in, sink, o);
	l->linktype = pcap_datalink(pc);
	capture_set_linktype(l->c, l->linktype);
	if (in) {
		in->clock.zone_s = 0;
		in->clock.zone_from = CF_TIMESTAMPS;
		in->clock.year_from = CF_TIMESTAMPS;
	}
	return l;
}

int capture_live_fd(const struct capture_live *l)
{
	return pcap_get_selectable_fd(l->pc);
}

int capture_live_dispatch(struct capture_live *l, int max, char *err, size_t errsz)
{
	int r = pcap_dispatch(l->pc, max, live_cb, (u_char *)l);
	if (r == PCAP_ERROR) {
		snprintf(err, errsz, "%s", pcap_geterr(l->pc));
		return -1;
	}
	return r < 0 ? 0 : r;
}

void capture_live_tick(struct capture_live *l, int64_t now_ns)
{
	capture_advance(l->c, now_ns);
}

uint64_t capture_live_drops(struct capture_live *l)
{
	struct pcap_stat st;
	if (pcap_stats(l->pc, &st) != 0)
		return 0;
	return st.ps_drop;
}

void capture_live_close(struct capture_live *l)
{
	if (!l)
		return;
	capture_close(l->c);
	pcap_close(l->pc);
	free(l);
}
