/* \summary: RADIUS (RFC 2865/2866/3576/5176/3579 ...) from captures
 *
 * radius_udp() decodes one UDP payload through struct rd: header checks
 * (named anomalies), every attribute of the dictionary (radius_dict.c),
 * VSAs (Microsoft, Cisco AV-pairs), EAP-Message reassembled and handed to
 * eap_dissect(), Message-Authenticator. With a secret for the leg it
 * verifies Response Authenticators and Message-Authenticators and checks
 * (never shows) User-Password / Tunnel-Password.
 *
 * A struct radius_track per capture pairs requests and responses on
 * (client address, client port, id, request authenticator), tells
 * retransmits from reused ids, finds timeouts and the roles of the hosts
 * (a server that also sends requests is the proxy), and emits the
 * radius.* events a short while after the packet (so the proxy's outgoing
 * request can name the roles of its incoming leg). Events never carry a
 * password or a secret.
 */
#ifndef AUTHSCOPE_DECODERS_RADIUS_H
#define AUTHSCOPE_DECODERS_RADIUS_H

#include <stddef.h>
#include <stdint.h>

#include "decoders/dissect.h"

/* Is port one of RADIUS's (1812 1813 1645 1646 1700 3799)? */
int radius_port(uint16_t port);

/* Does this payload look like RADIUS (tshark's test: a known code, a
 * length of 20..4096, at least 20 bytes)? A payload that does not is left
 * to plain UDP, as tshark does. */
int radius_looks_valid(const uint8_t *data, size_t len);

/* Decode one RADIUS datagram (p->src/dst/sport/dport set). */
void radius_udp(struct pkt *p, const uint8_t *data, size_t len);

/* An ICMP/ICMPv6 destination-unreachable quoting a UDP datagram from
 * qsrc:qsport to qdst:qdport (interned addresses). port = 1 when the code
 * says "port unreachable" (nobody listening). */
void radius_icmp_unreach(struct pkt *p, const char *qsrc, const char *qdst,
			 uint16_t qsport, uint16_t qdport, int port, int code);

/* Per-capture state. sink may be NULL (decode): nothing is emitted. */
struct radius_track *radius_track_new(struct ev_sink *sink, uint32_t input, unsigned src_kind);
/* Capture time moved to now_ns: emit what is due (timeouts, held events). */
void radius_track_advance(struct radius_track *t, int64_t now_ns);
/* End of capture: open requests time out, held events go out. */
void radius_track_finish(struct radius_track *t);
void radius_track_free(struct radius_track *t);

/* Window after which a request with no response is a timeout (us). */
#define RADIUS_TIMEOUT_US (30LL * 1000000)
/* How long events are held to learn the hosts' roles (us). */
#define RADIUS_HOLD_US (2LL * 1000000)
/* Cap on requests waiting for their response, per capture. */
#define RADIUS_MAX_PENDING 65536

#endif
