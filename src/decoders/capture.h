/* \summary: packet captures: pcap/pcapng files and live interfaces
 *
 * capture.c reads frames through libpcap (files come from a struct stream,
 * so a .pcap.gz works through ingest's gzip stream), walks the link layer
 * (Ethernet with VLAN/QinQ, Linux SLL/SLL2, raw IP, BSD loopback), IPv4
 * (fragments reassembled, the fields land on the completing fragment, as in
 * tshark) and IPv6 (extension headers, fragments), ICMP errors (matched to
 * the RADIUS request they quote), and hands UDP payloads to the dissector
 * its ports name: RADIUS (1812/1813/1645/1646/1700/3799 and -d), IKE/NAT-T
 * (500/4500 and -d ...,isakmp) and ESP (IP protocol 50). AH is walked past.
 *
 * Two users: the fmt_pcap/fmt_pcapng input formats (events to a sink, the
 * analyze path), and decode (decode_cmd.c), which asks for tshark fields, a
 * tree and a summary and gets a callback after every frame.
 */
#ifndef AUTHSCOPE_DECODERS_CAPTURE_H
#define AUTHSCOPE_DECODERS_CAPTURE_H

#include <stddef.h>
#include <stdint.h>

#include "core/format.h"
#include "core/input.h"
#include "core/stream.h"
#include "decoders/dissect.h"

extern const struct format fmt_pcap;
extern const struct format fmt_pcapng;

/* ---- -d udp.port==N,radius|isakmp ---- */
enum cap_proto { CPROTO_NONE, CPROTO_RADIUS, CPROTO_ISAKMP };

struct port_map;
/* Parse one -d value and add it to *pm (allocated on first use). 0, or -1
 * with a one-line reason in err. */
int port_map_add(struct port_map **pm, const char *spec, char *err, size_t errsz);
/* The protocol mapped to port, CPROTO_NONE when none. */
unsigned port_map_get(const struct port_map *pm, uint16_t port);
void port_map_free(struct port_map *pm);

/* ---- a capture reader ---- */
struct capture;

struct capture_opts {
	const struct secrets *secrets;
	const struct ike_keys *ike_keys;
	const struct port_map *ports;
	struct fields *fields;          /* decode -T fields; NULL on analyze */
	struct dtree *tree;             /* decode -V */
	struct sbuf *summary;           /* decode's summary lines */
	int no_events;                  /* decode: pair and verify, emit no events */
	const struct pkt_redact *redact;    /* decode --redact (dissect.h); NULL = off */
	/* decode: called after each frame is dissected (fields are complete) */
	void (*on_frame)(void *ctx, const struct pkt *p, const uint8_t *data, size_t caplen);
	void *on_frame_ctx;
};

/* Open a pcap or pcapng file over stream s (not taken: the caller closes
 * it after capture_close). Events go to sink (may be NULL). NULL with a
 * one-line reason recorded on in (format_damage) when the file cannot be
 * read at all. */
struct capture *capture_open(struct stream *s, struct input *in, struct ev_sink *sink,
			     const struct capture_opts *o);
/* Read and dissect one frame: 1 = a frame was read, 0 = end (or damage,
 * reported once through format_damage). */
int capture_step(struct capture *c);
/* Flush pending state (RADIUS timeouts, ...) and free. */
void capture_close(struct capture *c);
uint64_t capture_frames(const struct capture *c);

/* Dissect one frame given its link type: the fuzz harness and tests use it
 * to drive the layers without a file. */
void capture_frame(struct capture *c, int linktype, int64_t ts_ns, const uint8_t *data,
		   size_t caplen, size_t wirelen);
/* A reader with no file, for capture_frame() (fuzzing, tests, live). */
struct capture *capture_new(struct input *in, struct ev_sink *sink, const struct capture_opts *o);
void capture_set_linktype(struct capture *c, int linktype);
/* Time passed without a frame (live): events held for pairing (RADIUS
 * holds each packet's events RADIUS_HOLD_US) and timeouts come out as if
 * a frame stamped now_ns had been read. */
void capture_advance(struct capture *c, int64_t now_ns);

/* ---- live capture (the dashboard; capture_live.c) ----
 * Opens IF in immediate mode with the BPF filter (NULL = "udp or icmp or
 * icmp6 or esp"), then, when drop_user is set and we are root, drops
 * privileges to that user (tcpdump -Z): setgroups/setgid/setuid, checked.
 * Returns NULL with a one-line reason in err. */
struct capture_live;
struct capture_live *capture_live_open(const char *ifname, const char *bpf,
				       const char *drop_user, struct input *in,
				       struct ev_sink *sink, const struct capture_opts *o,
				       char *err, size_t errsz);
/* The descriptor to poll for readability (-1 when not selectable). */
int capture_live_fd(const struct capture_live *l);
/* Dissect what is ready (at most max frames); returns frames handled, or
 * -1 on a capture error (reason in err). */
int capture_live_dispatch(struct capture_live *l, int max, char *err, size_t errsz);
/* No frame for a while: let held events and timeouts out (capture_advance
 * with the realtime clock, ns). */
void capture_live_tick(struct capture_live *l, int64_t now_ns);
/* Frames the kernel dropped so far (pcap_stats), 0 when unknown. */
uint64_t capture_live_drops(struct capture_live *l);
void capture_live_close(struct capture_live *l);

#endif
