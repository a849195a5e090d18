/* \summary: EAP (RFC 3748) inside RADIUS EAP-Message and IKEv2 EAP payloads
 *
 * eap_dissect() decodes one complete EAP packet (RADIUS callers reassemble
 * EAP-Message attributes first): Identity, Notification, Nak, MD5,
 * MS-CHAPv2, TLS/PEAP/TTLS headers, and AnyConnect-EAP (expanded type 254,
 * vendor 9). It adds the eap.* fields and tree lines to p, and fills info
 * for the caller's events. It never copies secrets (MS-CHAPv2 responses,
 * MD5 values) into info.
 */
#ifndef AUTHSCOPE_DECODERS_EAP_H
#define AUTHSCOPE_DECODERS_EAP_H

#include <stddef.h>
#include <stdint.h>

#include "decoders/dissect.h"

struct eap_info {
	int code;                   /* 1 Request 2 Response 3 Success 4 Failure; -1 */
	int id;                     /* -1 when absent */
	int type;                   /* 1 Identity, 4 MD5, 26 MS-CHAPv2, 254 expanded; -1 */
	uint32_t vendor_id, vendor_type;   /* expanded types */
	const char *identity;       /* interned (Identity responses, AnyConnect XML user) */
	int valid;                  /* 0 when truncated or invalid */
};

void eap_dissect(struct pkt *p, const uint8_t *data, size_t len, struct eap_info *info);

/* "Identity", "MD5-Challenge", "MS-CHAP-v2", ...; "Unknown" otherwise. */
const char *eap_type_name(int type);

#endif
