/* \summary: Cisco IOS / IOS XE running-config (show running-config)
 *
 * Reads the parts that decide a FlexVPN/AnyConnect EAP login: RADIUS
 * servers (`radius server NAME` blocks and legacy `radius-server host`),
 * `aaa group server radius`, aaa method lists, `ip radius
 * source-interface` and interface addresses (and static routes, to derive
 * the source when no source-interface is set), crypto ikev2
 * proposal/policy/profile/authorization policy, ip local pool, crypto
 * ipsec transform-set/profile, virtual templates. At the end of the file it
 * resolves the IKEv2 profile's EAP list down to the RADIUS servers it
 * uses, applies IOS defaults (timeout 5 s, retransmit 3, auth-port 1645)
 * and emits typed facts (kinds.def, config section) plus config.check
 * ref-missing events for references to objects the file does not define.
 * Keys: type 0 and type 7 (decoded with the well-known table) become
 * keyed fingerprints; type 6 (AES under the router's master key) cannot be
 * decoded and is said so. No key ever appears in an event.
 */
#ifndef AUTHSCOPE_PARSERS_CONFIG_IOS_H
#define AUTHSCOPE_PARSERS_CONFIG_IOS_H

#include <stddef.h>

#include "core/format.h"

extern const struct format fmt_ios_config;

/* Decode an IOS type 7 string into out (NUL-terminated). Returns the
 * length, or -1 when it is not a valid type 7 string or does not fit. */
int ios_type7_decode(const char *enc, size_t n, char *out, size_t outsz);

/* Mask secrets in one config line (`key`, `password`, `secret`,
 * `pre-shared-key`, `key-string`, `community`: the value becomes
 * <hidden>, a type digit is kept). Returns the length written. */
size_t ios_mask_line(const char *line, size_t n, char *out, size_t outsz);

/* While a config-secret receiver is registered (core/confcheck.h), every
 * RADIUS server with a type 0/7 key is published as (address, key): the
 * router is the client of that leg, the address its server. */

#endif
