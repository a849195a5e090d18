/* \summary: the RADIUS dictionary as a data table (radius_dict.c is generated)
 *
 * rad_find() looks an attribute up by (vendor, code); the table is sorted
 * by vendor then code. An extended (RFC 6929) or TLV sub-attribute has code
 * parent * 256 + child. pf says how tshark prints the field.
 */
#ifndef AUTHSCOPE_DECODERS_RADIUS_DICT_H
#define AUTHSCOPE_DECODERS_RADIUS_DICT_H

#include <stddef.h>
#include <stdint.h>

enum rad_kind {
	RT_STRING, RT_OCTETS, RT_INTEGER, RT_IPADDR, RT_IPV6ADDR, RT_IPV6PREFIX, RT_IFID,
	RT_DATE, RT_INTEGER64, RT_SHORT, RT_BYTE, RT_SIGNED, RT_IPV4PREFIX, RT_COMBO_IP,
	RT_ETHER, RT_TLV, RT_EXTENDED, RT_LONG_EXTENDED, RT_EVS, RT_VSA
};

enum rad_print { PF_UINT, PF_UINT64, PF_INT, PF_STRING, PF_BYTES, PF_IPV4, PF_IPV6, PF_TIME,
		 PF_ETHER, PF_NONE };

#define RF_TAG      0x01u
#define RF_ENCRYPT1 0x02u   /* User-Password (RFC 2865 5.2) */
#define RF_ENCRYPT2 0x04u   /* Tunnel-Password style, salted (RFC 2868 3.5) */
#define RF_ENCRYPT3 0x08u   /* Ascend */

struct rad_attr {
	uint32_t vendor;
	uint16_t code;
	uint8_t kind;            /* enum rad_kind */
	uint8_t flags;           /* RF_* */
	uint8_t pf;              /* enum rad_print */
	const char *name;        /* "User-Name" */
	const char *field;       /* "radius.User_Name" */
};

struct rad_value {
	uint32_t vendor;
	uint16_t code;
	uint32_t value;
	const char *name;
};

struct rad_vendor {
	uint32_t id;
	const char *name;
};

extern const struct rad_attr rad_attrs[];
extern const size_t rad_nattrs;
extern const struct rad_value rad_values[];
extern const size_t rad_nvalues;
extern const struct rad_vendor rad_vendors[];
extern const size_t rad_nvendors;

const struct rad_attr *rad_find(uint32_t vendor, uint16_t code);
const char *rad_value_name(uint32_t vendor, uint16_t code, uint32_t value);
const char *rad_vendor_name(uint32_t vendor);
const char *rad_code_name(unsigned code);

#endif
