/* \summary: EAP placeholder (the captures/RADIUS work item replaces this file) */
#include "decoders/eap.h"

#include <string.h>

void eap_dissect(struct pkt *p, const uint8_t *data, size_t len, struct eap_info *info)
{
	(void)p;
	(void)data;
	(void)len;
	memset(info, 0, sizeof *info);
	info->code = info->id = info->type = -1;
}
