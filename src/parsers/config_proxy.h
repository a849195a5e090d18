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

/* Shared secrets in an authproxy.cfg, for decoding captures: for every
 * radius_ip_N with a plain radius_secret_N, cb(range, secret) (the proxy
 * is the server of that leg: range = the RADIUS clients); for
 * [radius_client] host/host_N with a plain secret, cb(host, secret) (the
 * primary is the server of that leg). The secret is only valid during the
 * call. Returns the number of callbacks. */
typedef void (*cfg_secret_fn)(void *ctx, const char *who, int who_is_server,
			      const char *secret, size_t len);
size_t authproxy_cfg_secrets(const char *text, size_t n, cfg_secret_fn cb, void *ctx);

#endif
