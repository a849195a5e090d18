/* \summary: every input format authscope knows, in sniff order
 *
 * Add a format here when its parser or decoder lands. Sniffing is by
 * content only: the highest score wins, ties go to the earlier entry.
 */
#include "ingest/ingest.h"

#include "decoders/capture.h"
#include "parsers/authproxy.h"
#include "parsers/config_ios.h"
#include "parsers/config_proxy.h"
#include "parsers/ios.h"

const struct format *const format_registry[] = {
	&fmt_pcap, &fmt_pcapng,
	&fmt_authproxy,
	&fmt_connectivity,
	&fmt_authevents,
	&fmt_authproxy_cfg,
	&fmt_ios_config,
	&fmt_ios_debug, &fmt_ios_show, &fmt_syslog,
	NULL
};

const struct format *format_sniff(const uint8_t *head, size_t n)
{
	return format_sniff_in(format_registry, head, n);
}
