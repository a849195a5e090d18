/* \summary: IKEv1/IKEv2 value names as data tables (IANA "Internet Key
 * Exchange Version 2 (IKEv2) Parameters" and the ISAKMP registries) */
#include "decoders/ike_names.h"

#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

const char *ike_vs_find(const struct ike_vs *t, size_t n, uint32_t v)
{
	size_t lo = 0, hi = n;         /* tables are sorted by value */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (t[mid].v == v)
			return t[mid].name;
		if (t[mid].v < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static const struct ike_vs exch_v1[] = {
	{0, "NONE"}, {1, "Base"}, {2, "Identity Protection (Main Mode)"},
	{3, "Authentication Only"}, {4, "Aggressive"}, {5, "Informational"},
	{6, "Transaction (Config Mode)"}, {32, "Quick Mode"}, {33, "New Group Mode"},
};
static const struct ike_vs exch_v2[] = {
	{34, "IKE_SA_INIT"}, {35, "IKE_AUTH"}, {36, "CREATE_CHILD_SA"},
	{37, "INFORMATIONAL"}, {38, "IKE_SESSION_RESUME"}, {39, "GSA_AUTH"},
	{40, "GSA_REGISTRATION"}, {41, "GSA_REKEY"}, {43, "IKE_INTERMEDIATE"},
	{44, "IKE_FOLLOWUP_KE"},
};

const char *ike_exch_name(int major, unsigned v)
{
	if (major == 1)
		return ike_vs_find(exch_v1, N(exch_v1), v);
	if (major == 2)
		return ike_vs_find(exch_v2, N(exch_v2), v);
	return NULL;
}

static const struct ike_vs payloads[] = {
	{0, "NONE / No Next Payload"}, {1, "Security Association"}, {2, "Proposal"},
	{3, "Transform"}, {4, "Key Exchange"}, {5, "Identification"},
	{6, "Certificate"}, {7, "Certificate Request"}, {8, "Hash"},
	{9, "Signature"}, {10, "Nonce"}, {11, "Notification"}, {12, "Delete"},
	{13, "Vendor ID"}, {14, "Attributes"}, {15, "SA KEK Payload"},
	{16, "SA TEK Payload"}, {17, "Key Download"}, {18, "Sequence Number"},
	{19, "Proof of Possession"}, {20, "NAT-D (RFC 3947)"},
	{21, "NAT-OA (RFC 3947)"}, {22, "Group Associated Policy"},
	{33, "Security Association"}, {34, "Key Exchange"},
	{35, "Identification - Initiator"}, {36, "Identification - Responder"},
	{37, "Certificate"}, {38, "Certificate Request"}, {39, "Authentication"},
	{40, "Nonce"}, {41, "Notify"}, {42, "Delete"}, {43, "Vendor ID"},
	{44, "Traffic Selector - Initiator"}, {45, "Traffic Selector - Responder"},
	{46, "Encrypted and Authenticated"}, {47, "Configuration"},
	{48, "Extensible Authentication"}, {49, "Generic Secure Password Method"},
	{50, "Group Identification"}, {51, "Group Security Association"},
	{52, "Key Download"}, {53, "Encrypted and Authenticated Fragment"},
	{130, "NAT-D (draft-ietf-ipsec-nat-t-ike-01 to 03)"},
	{131, "NAT-OA (draft-ietf-ipsec-nat-t-ike-01 to 04)"},
	{132, "Cisco-Fragmentation"},
};

const char *ike_payload_name(unsigned v)
{
	return ike_vs_find(payloads, N(payloads), v);
}

static const struct ike_vs notify_v2[] = {
	{1, "UNSUPPORTED_CRITICAL_PAYLOAD"}, {4, "INVALID_IKE_SPI"},
	{5, "INVALID_MAJOR_VERSION"}, {7, "INVALID_SYNTAX"},
	{9, "INVALID_MESSAGE_ID"}, {11, "INVALID_SPI"},
	{14, "NO_PROPOSAL_CHOSEN"}, {17, "INVALID_KE_PAYLOAD"},
	{24, "AUTHENTICATION_FAILED"}, {34, "SINGLE_PAIR_REQUIRED"},
	{35, "NO_ADDITIONAL_SAS"}, {36, "INTERNAL_ADDRESS_FAILURE"},
	{37, "FAILED_CP_REQUIRED"}, {38, "TS_UNACCEPTABLE"},
	{39, "INVALID_SELECTORS"}, {40, "UNACCEPTABLE_ADDRESSES"},
	{41, "UNEXPECTED_NAT_DETECTED"}, {42, "USE_ASSIGNED_HoA"},
	{43, "TEMPORARY_FAILURE"}, {44, "CHILD_SA_NOT_FOUND"},
	{45, "INVALID_GROUP_ID"}, {46, "AUTHORIZATION_FAILED"},
	{47, "STATE_NOT_FOUND"}, {48, "TS_MAX_QUEUE"},
	{16384, "INITIAL_CONTACT"}, {16385, "SET_WINDOW_SIZE"},
	{16386, "ADDITIONAL_TS_POSSIBLE"}, {16387, "IPCOMP_SUPPORTED"},
	{16388, "NAT_DETECTION_SOURCE_IP"}, {16389, "NAT_DETECTION_DESTINATION_IP"},
	{16390, "COOKIE"}, {16391, "USE_TRANSPORT_MODE"},
	{16392, "HTTP_CERT_LOOKUP_SUPPORTED"}, {16393, "REKEY_SA"},
	{16394, "ESP_TFC_PADDING_NOT_SUPPORTED"}, {16395, "NON_FIRST_FRAGMENTS_ALSO"},
	{16396, "MOBIKE_SUPPORTED"}, {16397, "ADDITIONAL_IP4_ADDRESS"},
	{16398, "ADDITIONAL_IP6_ADDRESS"}, {16399, "NO_ADDITIONAL_ADDRESSES"},
	{16400, "UPDATE_SA_ADDRESSES"}, {16401, "COOKIE2"}, {16402, "NO_NATS_ALLOWED"},
	{16403, "AUTH_LIFETIME"}, {16404, "MULTIPLE_AUTH_SUPPORTED"},
	{16405, "ANOTHER_AUTH_FOLLOWS"}, {16406, "REDIRECT_SUPPORTED"},
	{16407, "REDIRECT"}, {16408, "REDIRECTED_FROM"}, {16409, "TICKET_LT_OPAQUE"},
	{16410, "TICKET_REQUEST"}, {16411, "TICKET_ACK"}, {16412, "TICKET_NACK"},
	{16413, "TICKET_OPAQUE"}, {16414, "LINK_ID"}, {16415, "USE_WESP_MODE"},
	{16416, "ROHC_SUPPORTED"}, {16417, "EAP_ONLY_AUTHENTICATION"},
	{16418, "CHILDLESS_IKEV2_SUPPORTED"}, {16419, "QUICK_CRASH_DETECTION"},
	{16420, "IKEV2_MESSAGE_ID_SYNC_SUPPORTED"},
	{16421, "IPSEC_REPLAY_COUNTER_SYNC_SUPPORTED"}, {16422, "IKEV2_MESSAGE_ID_SYNC"},
	{16423, "IPSEC_REPLAY_COUNTER_SYNC"}, {16424, "SECURE_PASSWORD_METHODS"},
	{16425, "PSK_PERSIST"}, {16426, "PSK_CONFIRM"}, {16427, "ERX_SUPPORTED"},
	{16428, "IFOM_CAPABILITY"}, {16429, "SENDER_REQUEST_ID"},
	{16430, "IKEV2_FRAGMENTATION_SUPPORTED"}, {16431, "SIGNATURE_HASH_ALGORITHMS"},
	{16432, "CLONE_IKE_SA_SUPPORTED"}, {16433, "CLONE_IKE_SA"}, {16434, "PUZZLE"},
	{16435, "USE_PPK"}, {16436, "PPK_IDENTITY"}, {16437, "NO_PPK_AUTH"},
	{16438, "INTERMEDIATE_EXCHANGE_SUPPORTED"}, {16439, "IP4_ALLOWED"},
	{16440, "IP6_ALLOWED"}, {16441, "ADDITIONAL_KEY_EXCHANGE"},
	{16442, "USE_AGGFRAG"},
};
static const struct ike_vs notify_v1[] = {
	{1, "INVALID-PAYLOAD-TYPE"}, {2, "DOI-NOT-SUPPORTED"},
	{3, "SITUATION-NOT-SUPPORTED"}, {4, "INVALID-COOKIE"},
	{5, "INVALID-MAJOR-VERSION"}, {6, "INVALID-MINOR-VERSION"},
	{7, "INVALID-EXCHANGE-TYPE"}, {8, "INVALID-FLAGS"},
	{9, "INVALID-MESSAGE-ID"}, {10, "INVALID-PROTOCOL-ID"}, {11, "INVALID-SPI"},
	{12, "INVALID-TRANSFORM-ID"}, {13, "ATTRIBUTES-NOT-SUPPORTED"},
	{14, "NO-PROPOSAL-CHOSEN"}, {15, "BAD-PROPOSAL-SYNTAX"},
	{16, "PAYLOAD-MALFORMED"}, {17, "INVALID-KEY-INFORMATION"},
	{18, "INVALID-ID-INFORMATION"}, {19, "INVALID-CERT-ENCODING"},
	{20, "INVALID-CERTIFICATE"}, {21, "CERT-TYPE-UNSUPPORTED"},
	{22, "INVALID-CERT-AUTHORITY"}, {23, "INVALID-HASH-INFORMATION"},
	{24, "AUTHENTICATION-FAILED"}, {25, "INVALID-SIGNATURE"},
	{26, "ADDRESS-NOTIFICATION"}, {27, "NOTIFY-SA-LIFETIME"},
	{28, "CERTIFICATE-UNAVAILABLE"}, {29, "UNSUPPORTED-EXCHANGE-TYPE"},
	{30, "UNEQUAL-PAYLOAD-LENGTHS"}, {24576, "RESPONDER-LIFETIME"},
	{24577, "REPLAY-STATUS"}, {24578, "INITIAL-CONTACT"},
	{36136, "R-U-THERE"}, {36137, "R-U-THERE-ACK"},
};

const char *ike_notify_name(int major, unsigned v)
{
	if (major == 1)
		return ike_vs_find(notify_v1, N(notify_v1), v);
	return ike_vs_find(notify_v2, N(notify_v2), v);
}

static const struct ike_vs tf_types[] = {
	{1, "Encryption Algorithm (ENCR)"}, {2, "Pseudo-random Function (PRF)"},
	{3, "Integrity Algorithm (INTEG)"}, {4, "Diffie-Hellman Group (D-H)"},
	{5, "Extended Sequence Numbers (ESN)"},
};
static const struct ike_vs tf_encr[] = {
	{1, "ENCR_DES_IV64"}, {2, "ENCR_DES"}, {3, "ENCR_3DES"}, {4, "ENCR_RC5"},
	{5, "ENCR_IDEA"}, {6, "ENCR_CAST"}, {7, "ENCR_BLOWFISH"}, {8, "ENCR_3IDEA"},
	{9, "ENCR_DES_IV32"}, {11, "ENCR_NULL"}, {12, "ENCR_AES_CBC"},
	{13, "ENCR_AES_CTR"}, {14, "ENCR_AES_CCM_8"}, {15, "ENCR_AES_CCM_12"},
	{16, "ENCR_AES_CCM_16"}, {18, "ENCR_AES_GCM_8"}, {19, "ENCR_AES_GCM_12"},
	{20, "ENCR_AES_GCM_16"}, {21, "ENCR_NULL_AUTH_AES_GMAC"},
	{23, "ENCR_CAMELLIA_CBC"}, {24, "ENCR_CAMELLIA_CTR"},
	{25, "ENCR_CAMELLIA_CCM_8"}, {26, "ENCR_CAMELLIA_CCM_12"},
	{27, "ENCR_CAMELLIA_CCM_16"}, {28, "ENCR_CHACHA20_POLY1305"},
};
static const struct ike_vs tf_prf[] = {
	{1, "PRF_HMAC_MD5"}, {2, "PRF_HMAC_SHA1"}, {3, "PRF_HMAC_TIGER"},
	{4, "PRF_AES128_XCBC"}, {5, "PRF_HMAC_SHA2_256"}, {6, "PRF_HMAC_SHA2_384"},
	{7, "PRF_HMAC_SHA2_512"}, {8, "PRF_AES128_CMAC"},
};
static const struct ike_vs tf_integ[] = {
	{0, "NONE"}, {1, "AUTH_HMAC_MD5_96"}, {2, "AUTH_HMAC_SHA1_96"},
	{3, "AUTH_DES_MAC"}, {4, "AUTH_KPDK_MD5"}, {5, "AUTH_AES_XCBC_96"},
	{6, "AUTH_HMAC_MD5_128"}, {7, "AUTH_HMAC_SHA1_160"}, {8, "AUTH_AES_CMAC_96"},
	{9, "AUTH_AES_128_GMAC"}, {10, "AUTH_AES_192_GMAC"}, {11, "AUTH_AES_256_GMAC"},
	{12, "AUTH_HMAC_SHA2_256_128"}, {13, "AUTH_HMAC_SHA2_384_192"},
	{14, "AUTH_HMAC_SHA2_512_256"},
};
static const struct ike_vs tf_dh[] = {
	{0, "NONE"}, {1, "group 1 - 768 Bit MODP"}, {2, "group 2 - 1024 Bit MODP"},
	{5, "group 5 - 1536 Bit MODP"}, {14, "group 14 - 2048 Bit MODP"},
	{15, "group 15 - 3072 Bit MODP"}, {16, "group 16 - 4096 Bit MODP"},
	{17, "group 17 - 6144 Bit MODP"}, {18, "group 18 - 8192 Bit MODP"},
	{19, "group 19 - 256-bit random ECP group"},
	{20, "group 20 - 384-bit random ECP group"},
	{21, "group 21 - 521-bit random ECP group"},
	{22, "group 22 - 1024-bit MODP Group with 160-bit Prime Order Subgroup"},
	{23, "group 23 - 2048-bit MODP Group with 224-bit Prime Order Subgroup"},
	{24, "group 24 - 2048-bit MODP Group with 256-bit Prime Order Subgroup"},
	{25, "group 25 - 192-bit Random ECP Group"},
	{26, "group 26 - 224-bit Random ECP Group"},
	{27, "group 27 - 224-bit Brainpool ECP Group"},
	{28, "group 28 - 256-bit Brainpool ECP Group"},
	{29, "group 29 - 384-bit Brainpool ECP Group"},
	{30, "group 30 - 512-bit Brainpool ECP Group"},
	{31, "group 31 - Curve25519"}, {32, "group 32 - Curve448"},
};
static const struct ike_vs tf_esn[] = {
	{0, "No Extended Sequence Numbers"}, {1, "Extended Sequence Numbers"},
};

const char *ike_tf_type_name(unsigned v)
{
	return ike_vs_find(tf_types, N(tf_types), v);
}

const char *ike_tf_id_name(unsigned type, unsigned id)
{
	switch (type) {
	case 1: return ike_vs_find(tf_encr, N(tf_encr), id);
	case 2: return ike_vs_find(tf_prf, N(tf_prf), id);
	case 3: return ike_vs_find(tf_integ, N(tf_integ), id);
	case 4: return ike_vs_find(tf_dh, N(tf_dh), id);
	case 5: return ike_vs_find(tf_esn, N(tf_esn), id);
	}
	return NULL;
}

const char *ike_tf_attr_name(unsigned v)
{
	return v == 14 ? "Key Length" : NULL;
}

static const struct ike_vs protoids[] = {
	{0, "RESERVED"}, {1, "IKE"}, {2, "AH"}, {3, "ESP"}, {4, "FC_ESP_HEADER"},
	{5, "FC_CT_AUTHENTICATION"},
};

const char *ike_protoid_name(unsigned v)
{
	return ike_vs_find(protoids, N(protoids), v);
}

static const struct ike_vs id_v1[] = {
	{1, "IPV4_ADDR"}, {2, "FQDN"}, {3, "USER_FQDN"}, {4, "IPV4_ADDR_SUBNET"},
	{5, "IPV6_ADDR"}, {6, "IPV6_ADDR_SUBNET"}, {7, "IPV4_ADDR_RANGE"},
	{8, "IPV6_ADDR_RANGE"}, {9, "DER_ASN1_DN"}, {10, "DER_ASN1_GN"},
	{11, "KEY_ID"}, {12, "LIST"},
};
static const struct ike_vs id_v2[] = {
	{1, "ID_IPV4_ADDR"}, {2, "ID_FQDN"}, {3, "ID_RFC822_ADDR"},
	{5, "ID_IPV6_ADDR"}, {9, "ID_DER_ASN1_DN"}, {10, "ID_DER_ASN1_GN"},
	{11, "ID_KEY_ID"}, {12, "ID_FC_NAME"}, {13, "ID_NULL"},
};

const char *ike_id_type_name(int major, unsigned v)
{
	if (major == 1)
		return ike_vs_find(id_v1, N(id_v1), v);
	return ike_vs_find(id_v2, N(id_v2), v);
}

static const struct ike_vs auth_methods[] = {
	{1, "RSA Digital Signature"}, {2, "Shared Key Message Integrity Code"},
	{3, "DSS Digital Signature"}, {9, "ECDSA with SHA-256 on the P-256 curve"},
	{10, "ECDSA with SHA-384 on the P-384 curve"},
	{11, "ECDSA with SHA-512 on the P-521 curve"},
	{12, "Generic Secure Password Authentication Method"},
	{13, "NULL Authentication"}, {14, "Digital Signature"},
};

const char *ike_auth_method_name(unsigned v)
{
	return ike_vs_find(auth_methods, N(auth_methods), v);
}

static const struct ike_vs ts_types[] = {
	{7, "TS_IPV4_ADDR_RANGE"}, {8, "TS_IPV6_ADDR_RANGE"}, {9, "TS_FC_ADDR_RANGE"},
};

const char *ike_ts_type_name(unsigned v)
{
	return ike_vs_find(ts_types, N(ts_types), v);
}

static const struct ike_vs cfg_types[] = {
	{1, "CFG_REQUEST"}, {2, "CFG_REPLY"}, {3, "CFG_SET"}, {4, "CFG_ACK"},
};

const char *ike_cfg_type_name(unsigned v)
{
	return ike_vs_find(cfg_types, N(cfg_types), v);
}

static const struct ike_vs cfg_attrs[] = {
	{1, "INTERNAL_IP4_ADDRESS"}, {2, "INTERNAL_IP4_NETMASK"},
	{3, "INTERNAL_IP4_DNS"}, {4, "INTERNAL_IP4_NBNS"},
	{5, "INTERNAL_ADDRESS_EXPIRY"}, {6, "INTERNAL_IP4_DHCP"},
	{7, "APPLICATION_VERSION"}, {8, "INTERNAL_IP6_ADDRESS"},
	{9, "INTERNAL_IP6_NETMASK"}, {10, "INTERNAL_IP6_DNS"},
	{11, "INTERNAL_IP6_NBNS"}, {12, "INTERNAL_IP6_DHCP"},
	{13, "INTERNAL_IP4_SUBNET"}, {14, "SUPPORTED_ATTRIBUTES"},
	{15, "INTERNAL_IP6_SUBNET"}, {16, "MIP6_HOME_PREFIX"},
	{17, "INTERNAL_IP6_LINK"}, {18, "INTERNAL_IP6_PREFIX"},
	{19, "HOME_AGENT_ADDRESS"}, {20, "P_CSCF_IP4_ADDRESS"},
	{21, "P_CSCF_IP6_ADDRESS"}, {22, "FTT_KAT"},
	{23, "EXTERNAL_SOURCE_IP4_NAT_INFO"}, {24, "TIMEOUT_PERIOD_FOR_LIVENESS_CHECK"},
	{25, "INTERNAL_DNS_DOMAIN"}, {26, "INTERNAL_DNSSEC_TA"},
	{16520, "XAUTH_TYPE"}, {16521, "XAUTH_USER_NAME"}, {16522, "XAUTH_USER_PASSWORD"},
	{16523, "XAUTH_PASSCODE"}, {16524, "XAUTH_MESSAGE"}, {16525, "XAUTH_CHALLENGE"},
	{16526, "XAUTH_DOMAIN"}, {16527, "XAUTH_STATUS"},
	{28672, "UNITY_BANNER"}, {28673, "UNITY_SAVE_PASSWD"},
	{28674, "UNITY_DEF_DOMAIN"}, {28675, "UNITY_SPLIT_DOMAIN"},
	{28676, "UNITY_SPLIT_INCLUDE"}, {28677, "UNITY_NATT_PORT"},
	{28678, "UNITY_SPLIT_EXCLUDE"}, {28679, "UNITY_PFS"},
	{28680, "UNITY_FW_TYPE"}, {28681, "UNITY_BACKUP_SERVERS"},
	{28682, "UNITY_DDNS_HOSTNAME"},
};

const char *ike_cfg_attr_name(unsigned v)
{
	return ike_vs_find(cfg_attrs, N(cfg_attrs), v);
}

static const struct ike_vs cert_encs[] = {
	{1, "PKCS #7 wrapped X.509 certificate"}, {2, "PGP Certificate"},
	{3, "DNS Signed Key"}, {4, "X.509 Certificate - Signature"},
	{6, "Kerberos Tokens"}, {7, "Certificate Revocation List (CRL)"},
	{8, "Authority Revocation List (ARL)"}, {9, "SPKI Certificate"},
	{10, "X.509 Certificate - Attribute"}, {11, "Raw RSA Key"},
	{12, "Hash and URL of X.509 certificate"}, {13, "Hash and URL of X.509 bundle"},
	{14, "OCSP Content"}, {15, "Raw Public Key"},
};

const char *ike_cert_enc_name(unsigned v)
{
	return ike_vs_find(cert_encs, N(cert_encs), v);
}

/* Vendor IDs: a prefix of the payload data (binary or ASCII). */
struct vid {
	const char *pat;   /* hex when hex != 0, else ASCII */
	int hex;
	const char *name;
};
static const struct vid vids[] = {
	{"4a131c81070358455c5728f20e95452f", 1, "RFC 3947 Negotiation of NAT-Traversal in the IKE"},
	{"90cb80913ebb696e086381b5ec427b1f", 1, "draft-ietf-ipsec-nat-t-ike-02\\n"},
	{"cd60464335df21f87cfdb2fc68b6a448", 1, "draft-ietf-ipsec-nat-t-ike-02"},
	{"7d9419a65310ca6f2c179d9215529d56", 1, "draft-ietf-ipsec-nat-t-ike-03"},
	{"4485152d18b6bbcd0be8a8469579ddcc", 1, "draft-ietf-ipsec-nat-t-ike-00"},
	{"afcad71368a1f1c96b8696fc77570100", 1, "Dead Peer Detection"},
	{"09002689dfd6b712", 1, "XAUTH"},
	{"12f5f28c457168a9702d9fe274cc0100", 1, "Cisco Unity"},
	{"4048b7d56ebce88525e7de7f00d6c2d3", 1, "Cisco Fragmentation"},
	{"882fe56d6fd20dbc2251613b2ebe5beb", 1, "strongSwan"},
	{"1e2b516905991c7d7c96fcbfb587e461", 1, "MS NT5 ISAKMPOAKLEY"},
	{"fb1de3cdf341b7ea16b7e5be0855f120", 1, "MS-Negotiation Discovery Capable"},
	{"e3a5966a76379fe707228231e5ce8652", 1, "IKE CGA version 1"},
	{"214ca4faffa7f32d6748e5303395ae83", 1, "MS-MamieExists"},
	{"8f8d83826d246b6fc7a8a6a428c11de8", 1, "Microsoft Vid-Initial-Contact"},
	{"4865617274426561745f4e6f74696679", 1, "Heartbeat Notify"},
	{"f4ed19e0c114eb516faaac0ee37daf2807b4381f", 1, "Cisco VPN Concentrator"},
	{"1f07f70eaa6514d3b0fa96542a500100", 1, "Cisco VPN Concentrator (IKE Fragmentation)"},
	{"3b9031dce4fcf88b489a923963dd0c49", 1, "Fortinet"},
	{"4f45", 1, "Libreswan / Openswan (OE)"},
	{"CISCO(COPYRIGHT)", 0, "Cisco Copyright"},
	{"CISCO-DELETE-REASON", 0, "Cisco Delete Reason"},
	{"CISCO-DYNAMIC-ROUTE", 0, "Cisco Dynamic Route"},
	{"CISCO-GRE-MODE", 0, "Cisco GRE Mode"},
	{"FLEXVPN-SUPPORTED", 0, "Cisco FlexVPN Supported"},
	{"CISCO-CSCO-ANYCONNECT", 0, "Cisco AnyConnect"},
	{"MS NT5 ISAKMPOAKLEY", 0, "MS NT5 ISAKMPOAKLEY"},
};

static int hexval(char c)
{
	return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

const char *ike_vendor_name(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < N(vids); i++) {
		const char *s = vids[i].pat;
		size_t m = strlen(s);
		if (vids[i].hex) {
			if (m / 2 > n)
				continue;
			size_t j = 0;
			while (j < m / 2 && p[j] == (uint8_t)(hexval(s[2 * j]) << 4 | hexval(s[2 * j + 1])))
				j++;
			if (j == m / 2)
				return vids[i].name;
		} else if (m <= n && !memcmp(p, s, m)) {
			return vids[i].name;
		}
	}
	return NULL;
}
