/* \summary: IKE SA tracking: messages in, ike.* events out
 *
 * ikev2.c decodes one message into a struct ike_msg (what was seen, no
 * bytes); ike_sa_message() keys it by SPI pair and message id and emits the
 * events: ike.exchange (code = exchange type, result request|response),
 * ike.retransmit, ike.notify, ike.eap, ike.auth, ike.address, ike.sa_up,
 * ike.sa_down, ike.anomaly; ike_sa_finish() emits ike.no_response for
 * requests still unanswered at the end of the capture. The client is the
 * initiator's address. Tables are capped; evictions are counted.
 */
#ifndef AUTHSCOPE_DECODERS_IKE_SA_H
#define AUTHSCOPE_DECODERS_IKE_SA_H

#include <stddef.h>
#include <stdint.h>

#include "decoders/dissect.h"
#include "decoders/eap.h"

#define IKE_MAX_NOTIFY 16
#define IKE_MAX_EAP 4

/* anomaly bits */
#define IKE_A_TRUNCATED   0x001u
#define IKE_A_INVALID     0x002u
#define IKE_A_PLEN        0x004u   /* a payload length under 4 / over what remains */
#define IKE_A_CAP         0x008u   /* more than 255 payloads in a chain */
#define IKE_A_ICV         0x010u   /* integrity check failed */
#define IKE_A_NOKEYS      0x020u   /* encrypted, not decoded */
#define IKE_A_DECRYPT     0x040u   /* keys given but decryption failed */
#define IKE_A_FRAG        0x080u   /* bad fragment number/total */
#define IKE_A_CRITICAL    0x100u   /* unknown payload with the critical bit */
#define IKE_A_HDRLEN      0x200u   /* header length under 28 */
#define IKE_A_LENGTH      0x400u   /* header length differs from the datagram */
#define IKE_A_EXTRA       0x800u   /* data after the last payload */
#define IKE_A_KELEN      0x1000u   /* KE data length does not fit its DH group */

struct ike_msg {
	uint64_t spi_i, spi_r;
	int ver;                    /* major version */
	unsigned exch, flags;
	uint32_t msgid;
	int is_response, from_initiator;
	int frag_num, frag_total;   /* SKF, 0 when none */
	int encrypted, decrypted;
	int nnotify;
	uint16_t notify[IKE_MAX_NOTIFY];
	int accepted_group;         /* INVALID_KE_PAYLOAD data, -1 */
	int ke_group;               /* -1 */
	int has_auth, has_sa, has_delete_ike, has_idi;
	int neap;
	struct eap_info eap[IKE_MAX_EAP];
	char eap_xml[IKE_MAX_EAP][24];   /* AnyConnect-EAP XML message type */
	const char *id_i;           /* interned IDi (FQDN, e-mail, address) */
	int id_i_type;              /* its ID type */
	char eap_summary[96];       /* what EAP added to the summary line */
	const char *assigned_ip;    /* CFG_REPLY INTERNAL_IP4/6_ADDRESS */
	unsigned anomalies;
};

struct ike_state;
struct ike_state *ike_state_new(void);
void ike_state_free(struct ike_state *st);
/* SAs dropped because the table was full (also added to the input's count). */
uint64_t ike_state_evictions(const struct ike_state *st);

/* One decoded message (p gives frame, time, addresses and the sink). */
void ike_sa_message(struct ike_state *st, struct pkt *p, const struct ike_msg *m);
/* One ESP packet (first per SPI becomes an esp.packet event). */
void ike_sa_esp(struct ike_state *st, struct pkt *p, uint32_t spi, uint32_t seq);
/* End of capture: ike.no_response for what is still pending. */
void ike_sa_finish(struct ike_state *st, struct ev_sink *sink, uint32_t input);

/* Fragment reassembly store (RFC 7383), owned by the state. Returns the
 * whole plaintext (caller does not free; valid until the next call) when
 * the set is complete, else NULL. */
const uint8_t *ike_frag_add(struct ike_state *st, uint64_t spi_i, uint32_t msgid, int dir,
			    unsigned num, unsigned total, int first_np, const uint8_t *p,
			    size_t n, size_t *outn, int *np_out);

#endif
