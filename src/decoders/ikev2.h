/* \summary: IKEv2/IKEv1 over UDP 500 and 4500 (NAT-T), and ESP
 *
 * The capture layer calls ike_udp() for every UDP datagram to or from port
 * 500 or 4500 (or a port mapped with -d ...,isakmp), and esp_ip() for IP
 * protocol 50. On 4500, ike_udp() itself tells the non-ESP marker (IKE), a
 * lone 0xff (NAT keepalive) and ESP-in-UDP apart.
 */
#ifndef AUTHSCOPE_DECODERS_IKEV2_H
#define AUTHSCOPE_DECODERS_IKEV2_H

#include <stddef.h>
#include <stdint.h>

#include "decoders/dissect.h"

void ike_udp(struct pkt *p, const uint8_t *data, size_t len);
void esp_ip(struct pkt *p, const uint8_t *data, size_t len);

/* Per-capture IKE state (SA tracking, fragment reassembly): the capture
 * reader creates one per input with ike_state_new() (decoders/ike_sa.h),
 * sets pkt.ike, calls ike_flush() once at the end of the input (it emits
 * ike.no_response for requests still unanswered) and ike_state_free().
 * With pkt.ike NULL a shared state is used; ike_reset() drops it. */
void ike_flush(struct pkt *p);
void ike_reset(void);

#endif
