/* \summary: Duo Authentication Proxy inputs: authproxy.log, authevents.log,
 * connectivity-tool output
 *
 * fmt_authproxy reads authproxy.log in all three timestamp eras (also
 * connectivity_tool.log, which shares its grammar), fmt_connectivity the
 * tool's "lean" stdout and its log, fmt_authevents the JSON lines of
 * authevents.log. Every login-relevant message becomes an event keyed by the
 * incoming request (nas_ip, nas_port, radius_id); lines the proxy logs
 * without that prefix are tied back by parser state. The message families
 * and their meaning are in the Duo format notes; the mapping to event kinds
 * is in authproxy.c.
 */
#ifndef AUTHSCOPE_PARSERS_AUTHPROXY_H
#define AUTHSCOPE_PARSERS_AUTHPROXY_H

#include "core/format.h"

extern const struct format fmt_authproxy;
extern const struct format fmt_connectivity;
extern const struct format fmt_authevents;

#endif
