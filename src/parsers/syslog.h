/* \summary: syslog wrappers around device lines (RFC 3164, RFC 5424, receivers)
 *
 * A syslog server files a router's message behind its own header: the
 * <PRI> of RFC 3164/5424, an RFC 5424 header (version, stamp, host, app,
 * procid, msgid, structured data), an RFC 3164 "Mmm dd hh:mm:ss host"
 * header, or a receiver's own stamp (Kiwi "Fri Sep 06 14:32:18 2013: ",
 * rsyslog "Feb  8 18:54:50 10.1.1.1 ", an RFC 3339 stamp and host).
 * syslog_unwrap() peels these off and says where the device's own line
 * starts; the IOS parser then reads that line as if it came from the
 * console. The live syslog receiver uses the same call on each datagram.
 * Nothing here allocates; every pointer in the header points into line.
 */
#ifndef AUTHSCOPE_PARSERS_SYSLOG_H
#define AUTHSCOPE_PARSERS_SYSLOG_H

#include <stddef.h>
#include <stdint.h>

enum syslog_form {
	SYSLOG_NONE,          /* no wrapper: the line is the device's own */
	SYSLOG_PRI,           /* <PRI> then the device line (IOS logging host) */
	SYSLOG_3164,          /* [<PRI>]Mmm dd hh:mm:ss host msg */
	SYSLOG_5424,          /* <PRI>1 stamp host app procid msgid sd msg */
	SYSLOG_RECEIVER,      /* a receiver's stamp (Kiwi ctime, RFC 3339) */
};

struct syslog_hdr {
	uint8_t form;         /* enum syslog_form */
	int16_t pri;          /* -1 when absent; facility = pri / 8 */
	/* the wrapper's stamp, when it has one: civil fields as written */
	uint8_t has_time, has_year, has_zone;
	int16_t year;
	int8_t mon, day, h, mi, s;
	int32_t us;
	int32_t zone_s;       /* seconds east, when has_zone */
	const char *host;     /* not NUL-terminated; host_len bytes */
	size_t host_len;
	const char *app;      /* RFC 5424 APP-NAME */
	size_t app_len;
	size_t body;          /* offset of the message inside the line */
};

/* Peel a syslog wrapper off line[0..n). Returns 1 and fills h when one
 * was found (h->body is where the device line starts), 0 otherwise. */
int syslog_unwrap(const char *line, size_t n, struct syslog_hdr *h);

/* "Mmm dd hh:mm:ss" (day padded or not) at s: fills the fields and
 * returns the bytes read, 0 when s does not start with one. */
size_t syslog_bsd_stamp(const char *s, size_t n, int8_t *mon, int8_t *day,
			int8_t *h, int8_t *mi, int8_t *sec);

#endif
