/* \summary: IKEv2 placeholder (the IKEv2 work item replaces this file) */
#include "decoders/ikev2.h"

void ike_udp(struct pkt *p, const uint8_t *data, size_t len)
{
	(void)p;
	(void)data;
	(void)len;
}

void esp_ip(struct pkt *p, const uint8_t *data, size_t len)
{
	(void)p;
	(void)data;
	(void)len;
}

void ike_reset(void)
{
}
