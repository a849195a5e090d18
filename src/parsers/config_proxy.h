/* \summary: the Duo Authentication Proxy's authproxy.cfg (INI)
 *
 * Sections per the proxy's modules: [main], [radius_client], [ad_client],
 * [duo_only_client], [radius_server_auto|challenge|duo_only|iframe|eap|
 * concat] (numbered: [radius_server_auto2]), [ldap_server_auto], [cloud],
 * [sso], [http_proxy]; ';'/'#' comments; keys case-insensitive; '=' or ':';
 * indented lines continue the previous value (as Python's configparser
 * reads them). Emits typed facts (kinds.def, config section) with the
 * line as ref; secrets never leave the parser except as keyed
 * fingerprints (core/confcheck.h). Problems the proxy itself would refuse
 * to start with become proxy.config_error events in the proxy's words.
 */
#ifndef AUTHSCOPE_PARSERS_CONFIG_PROXY_H
#define AUTHSCOPE_PARSERS_CONFIG_PROXY_H

#include <stddef.h>

#include "core/format.h"

extern const struct format fmt_authproxy_cfg;

/* While a config-secret receiver is registered (core/confcheck.h):
 * [radius_client] host/host_N with a plain secret are published as (host,
 * secret), the primary being the server of that leg; radius_secret_N are
 * published for the NAS -> proxy leg (server = [section] interface, else
 * as the default) only when the file holds one distinct value, since a
 * leg keyed by server address cannot tell clients apart. */

#endif
