/* \summary: IKEv1/IKEv2 value names (IANA registries), as data tables
 *
 * Every lookup returns a static string, or NULL when the value has no name
 * (callers print "Unknown (N)"). Names follow the IANA registries and
 * tshark 4.0's value strings where they print them.
 */
#ifndef AUTHSCOPE_DECODERS_IKE_NAMES_H
#define AUTHSCOPE_DECODERS_IKE_NAMES_H

#include <stddef.h>
#include <stdint.h>

struct ike_vs {
	uint32_t v;
	const char *name;
};

const char *ike_vs_find(const struct ike_vs *t, size_t n, uint32_t v);

const char *ike_exch_name(int major, unsigned v);
const char *ike_payload_name(unsigned v);
const char *ike_notify_name(int major, unsigned v);
const char *ike_tf_type_name(unsigned v);
const char *ike_tf_id_name(unsigned type, unsigned id);
const char *ike_tf_attr_name(unsigned v);
const char *ike_protoid_name(unsigned v);
const char *ike_id_type_name(int major, unsigned v);
const char *ike_auth_method_name(unsigned v);
const char *ike_ts_type_name(unsigned v);
const char *ike_cfg_type_name(unsigned v);
const char *ike_cfg_attr_name(unsigned v);
const char *ike_cert_enc_name(unsigned v);
/* A vendor ID's name when it starts with a known pattern, else NULL. */
const char *ike_vendor_name(const uint8_t *p, size_t n);

#define IKE_N_IS_ERROR(t) ((t) > 0 && (t) < 16384)

#endif
