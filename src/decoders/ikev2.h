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

/* Per-capture IKE state (SA tracking, fragments); created by the capture
 * reader, passed through struct pkt in later versions. */
void ike_reset(void);

#endif
