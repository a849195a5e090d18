#!/usr/bin/env python3
"""Generate src/decoders/radius_dict.c, the RADIUS dictionary as a data table.

Run once by hand when the table should grow; the output is committed, so a
build never needs this script or Wireshark:

    python3 tools/gen_radius_dict.py /usr/share/wireshark/radius \
        <(tshark -G fields) > src/decoders/radius_dict.c

Input: Wireshark's RADIUS dictionary (the FreeRADIUS format: attribute
numbers, names, types and value names as the RFCs define them) and
`tshark -G fields`, which gives each attribute's tshark field name and the
type tshark prints it as. Standard attributes (RFC 2865/2866/2867/2868/
2869/3162/3576/3580/4072/4372/4603/4675/4679/4818/4849/5176/5447/5580/
5607/5904/6519/6572/6677/6911/6929/6930/7055/7499/7930), Microsoft (311),
Cisco (9) and Cisco VPN3000/ASA (3076).
"""
import re
import sys

ddir, fieldsfile = sys.argv[1], sys.argv[2]
STD = ("rfc2865 rfc2866 rfc2867 rfc2868 rfc2869 rfc3162 rfc3576 rfc3580 rfc4072 rfc4372 "
       "rfc4603 rfc4675 rfc4679 rfc4818 rfc4849 rfc5176 rfc5447 rfc5580 rfc5607 rfc5904 "
       "rfc6519 rfc6572 rfc6677 rfc6911 rfc6929 rfc6930 rfc7055 rfc7499 rfc7930").split()
VENDOR_FILES = ["microsoft", "cisco", "cisco.vpn3000"]
WANT_VENDORS = {0, 311, 9, 3076}

ftypes = {}
for line in open(fieldsfile, encoding="utf-8", errors="replace"):
    p = line.rstrip("\n").split("\t")
    if len(p) >= 5 and p[0] == "F" and p[4] == "radius":
        ftypes[p[2]] = p[3]

vendors = {}
attrs = {}      # (vendor, code) -> (name, type, flags)
values = {}     # (vendor, attrname) -> [(value, name)]
order = []

def parse(path):
    vendor = 0
    for raw in open(path, encoding="utf-8", errors="replace"):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        t = line.split()
        if t[0] == "VENDOR":
            vendors[t[1]] = int(t[2])
        elif t[0] == "BEGIN-VENDOR":
            vendor = vendors.get(t[1], -1)
        elif t[0] == "END-VENDOR":
            vendor = 0
        elif t[0] == "ATTRIBUTE" and vendor in WANT_VENDORS:
            name, num, typ = t[1], t[2], t[3]
            flags = t[4] if len(t) > 4 else ""
            if "." in num:
                a, b = num.split(".", 1)
                if "." in b:
                    continue            # deeper nesting: not needed
                code = int(a) * 256 + int(b)
            else:
                code = int(num, 0)
            key = (vendor, code)
            if key not in attrs:
                order.append(key)
            attrs[key] = (name, typ, flags)
        elif t[0] == "VALUE" and vendor in WANT_VENDORS and len(t) >= 4:
            try:
                v = int(t[3], 0)
            except ValueError:
                continue
            values.setdefault((vendor, t[1]), []).append((v, t[2]))

for f in STD:
    parse(f"{ddir}/dictionary.{f}")
for f in VENDOR_FILES:
    parse(f"{ddir}/dictionary.{f}")

KIND = {"string": "RT_STRING", "octets": "RT_OCTETS", "integer": "RT_INTEGER",
        "ipaddr": "RT_IPADDR", "ipv6addr": "RT_IPV6ADDR", "ipv6prefix": "RT_IPV6PREFIX",
        "ifid": "RT_IFID", "date": "RT_DATE", "integer64": "RT_INTEGER64", "short": "RT_SHORT",
        "byte": "RT_BYTE", "signed": "RT_SIGNED", "ipv4prefix": "RT_IPV4PREFIX",
        "combo-ip": "RT_COMBO_IP", "ether": "RT_ETHER", "tlv": "RT_TLV",
        "extended": "RT_EXTENDED", "long-extended": "RT_LONG_EXTENDED", "evs": "RT_EVS",
        "abinary": "RT_OCTETS", "vsa": "RT_VSA"}
FT = {"FT_UINT8": "PF_UINT", "FT_UINT16": "PF_UINT", "FT_UINT24": "PF_UINT",
      "FT_UINT32": "PF_UINT", "FT_UINT64": "PF_UINT64", "FT_INT32": "PF_INT",
      "FT_STRING": "PF_STRING", "FT_BYTES": "PF_BYTES", "FT_IPv4": "PF_IPV4",
      "FT_IPv6": "PF_IPV6", "FT_ABSOLUTE_TIME": "PF_TIME", "FT_ETHER": "PF_ETHER",
      "FT_NONE": "PF_NONE", "FT_BOOLEAN": "PF_UINT"}

def cstr(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

out = sys.stdout
out.write("""/* \\summary: the RADIUS dictionary as data (generated; see tools/gen_radius_dict.py)
 *
 * One row per attribute: vendor (0 = standard), code (an extended or TLV
 * sub-attribute is parent * 256 + child), kind (how the value is read),
 * flags (tag, encryption), name, tshark field name and print format.
 * Attribute numbers, names and types are those of the RFCs and vendor
 * documents named in the generator; value names follow.
 */
#include "decoders/radius_dict.h"

const struct rad_attr rad_attrs[] = {
""")
rows = sorted(attrs.items())
for (vendor, code), (name, typ, flags) in rows:
    kind = KIND.get(typ, "RT_OCTETS")
    fl = []
    if "has_tag" in flags:
        fl.append("RF_TAG")
    m = re.search(r"encrypt=(\d)", flags)
    if m:
        fl.append("RF_ENCRYPT" + m.group(1))
    field = "radius." + name.replace("-", "_")
    # tshark 4.0 fills these three from its own hyphenated fields and never
    # the dictionary-named ones
    if vendor == 0 and name in ("Framed-IP-Address", "Login-IP-Host", "Framed-IPX-Network"):
        field = "radius." + name
    ft = ftypes.get(field)
    if ft is None:
        alt = "radius." + name
        ft = ftypes.get(alt)
        if ft is not None:
            field = alt
    pf = FT.get(ft, {"RT_STRING": "PF_STRING", "RT_INTEGER": "PF_UINT", "RT_IPADDR": "PF_IPV4",
                     "RT_IPV6ADDR": "PF_IPV6", "RT_DATE": "PF_TIME", "RT_SHORT": "PF_UINT",
                     "RT_BYTE": "PF_UINT", "RT_SIGNED": "PF_INT"}.get(kind, "PF_BYTES"))
    out.write(f"\t{{{vendor}, {code}, {kind}, {'|'.join(fl) or '0'}, {pf}, {cstr(name)}, {cstr(field)}}},\n")
out.write("};\nconst size_t rad_nattrs = sizeof rad_attrs / sizeof rad_attrs[0];\n\n")
out.write("const struct rad_value rad_values[] = {\n")
name2code = {}
for (vendor, code), (name, typ, flags) in rows:
    name2code[(vendor, name)] = code
vrows = []
for (vendor, aname), vs in values.items():
    code = name2code.get((vendor, aname))
    if code is None:
        continue
    seen = set()
    for v, vn in vs:
        if v in seen:
            continue
        seen.add(v)
        vrows.append((vendor, code, v, vn))
for vendor, code, v, vn in sorted(vrows):
    out.write(f"\t{{{vendor}, {code}, {v}u, {cstr(vn)}}},\n")
out.write("};\nconst size_t rad_nvalues = sizeof rad_values / sizeof rad_values[0];\n\n")
names = {9: "Cisco", 311: "Microsoft", 3076: "Cisco-VPN3000"}
out.write("const struct rad_vendor rad_vendors[] = {\n")
for v in sorted(names):
    out.write(f"\t{{{v}, {cstr(names[v])}}},\n")
out.write("};\nconst size_t rad_nvendors = sizeof rad_vendors / sizeof rad_vendors[0];\n")
