#!/usr/bin/env python3
"""Write the seed corpora of fuzz_radius and fuzz_pcap (run from the repo
root; the output is committed). Seeds: every RADIUS datagram of the
reference captures in testdata/captures, paired as the captures pair them,
plus one hand-made input per bad-input item of hardening.md section 3
(RADIUS and pcap)."""
import glob
import os
import struct

R = "fuzz/corpus/fuzz_radius"
P = "fuzz/corpus/fuzz_pcap"
os.makedirs(R, exist_ok=True)
os.makedirs(P, exist_ok=True)

def frames(path):
    """(linktype, ts, data) of a classic pcap (pcapng skipped)."""
    b = open(path, "rb").read()
    if len(b) < 24:
        return
    m = b[:4]
    if m in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        e = "<"
    elif m in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        e = ">"
    else:
        return
    lt = struct.unpack(e + "I", b[20:24])[0] & 0xffff
    o = 24
    while o + 16 <= len(b):
        s, us, cl, wl = struct.unpack(e + "IIII", b[o:o + 16])
        yield lt, b[o + 16:o + 16 + cl]
        o += 16 + cl

def udp_payload(lt, d):
    if lt == 1:
        o, t = 12, None
        t = struct.unpack(">H", d[12:14])[0]; o = 14
        while t in (0x8100, 0x88a8):
            t = struct.unpack(">H", d[o + 2:o + 4])[0]; o += 4
        if t != 0x0800:
            return None
        d = d[o:]
    elif lt == 113:
        if struct.unpack(">H", d[14:16])[0] != 0x0800:
            return None
        d = d[16:]
    elif lt == 0:
        if d[:4] not in (b"\x02\x00\x00\x00", b"\x00\x00\x00\x02"):
            return None
        d = d[4:]
    else:
        return None
    if len(d) < 28 or d[0] >> 4 != 4 or d[9] != 17:
        return None
    hl = (d[0] & 15) * 4
    sp, dp = struct.unpack(">HH", d[hl:hl + 4])
    return sp, dp, d[hl + 8:]

RPORTS = {1812, 1813, 1645, 1646, 1700, 3799}

def rec(flags, pl):
    return bytes([flags]) + struct.pack(">H", len(pl)) + pl

n = 0
for path in sorted(glob.glob("testdata/captures/*/*.pcap")):
    recs = []
    for lt, d in frames(path):
        u = udp_payload(lt, d)
        if not u:
            continue
        sp, dp, pl = u
        if sp in RPORTS or dp in RPORTS:
            recs.append(rec(1 if sp in RPORTS else 0, pl))
    if recs:
        name = os.path.basename(path).replace(".pcap", "")
        open(f"{R}/corpus-{name}", "wb").write(b"".join(recs[:32]))
        n += 1

def radius(code, ident, attrs, auth=b"\x11" * 16, length=None):
    body = b"".join(attrs)
    l = 20 + len(body) if length is None else length
    return struct.pack(">BBH", code, ident, l) + auth + body

def a(t, v):
    return bytes([t, len(v) + 2]) + v

def vsa(vendor, t, v):
    inner = bytes([t, len(v) + 2]) + v
    return bytes([26, len(inner) + 6]) + struct.pack(">I", vendor) + inner

user = a(1, b"alice")
hard = {
    "len-0": rec(0, radius(1, 1, [user], length=0)),
    "len-19": rec(0, radius(1, 1, [user], length=19)),
    "len-5000": rec(0, radius(1, 1, [user], length=5000)),
    "len-past-payload": rec(0, radius(1, 1, [user], length=300)),
    "trailing-garbage": rec(0, radius(1, 1, [user]) + b"\x01\x05zzz\xff"),
    "attr-len-0": rec(0, radius(1, 1, [b"\x01\x00ab"])),
    "attr-len-1": rec(0, radius(1, 1, [b"\x01\x01ab"])),
    "attr-len-2": rec(0, radius(1, 1, [b"\x01\x02", user])),
    "attr-past-end": rec(0, radius(1, 1, [b"\x01\x09ab"])),
    "last-attr-cut": rec(0, radius(1, 1, [user, a(31, b"00-11-22")])[:-4]),
    "vsa-short": rec(0, radius(1, 1, [b"\x1a\x05\x00\x00\x09", user])),
    "vsa-inner-long": rec(0, radius(1, 1, [b"\x1a\x0c\x00\x00\x00\x09\x01\x0ca=bc", user])),
    "avpair-no-eq": rec(0, radius(1, 1, [vsa(9, 1, b"noequals"), user])),
    "string-nul-utf8": rec(0, radius(1, 1, [a(1, b"bo\x00b\xff\x1b[2J")])),
    "tag-len-1": rec(1, radius(2, 1, [a(64, b"\x01"), a(81, b"\x05")])),
    "ma-wrong-len": rec(0, radius(1, 1, [user, a(80, b"\xaa" * 3)])),
    "eap-split": rec(0, radius(1, 1, [user, a(79, b"\x02\x01\x00\x0a\x01al"), a(79, b"ice"),
                                      a(80, b"\x00" * 16)])),
    "eap-short": rec(0, radius(1, 1, [a(79, b"\x02\x01\x00\x14\x01")])),
    "extended": rec(0, radius(1, 1, [b"\xf1\x02", user])),
    "long-extended": rec(0, radius(4, 1, [b"\xf5\x03\x01", b"\xf5\x05\x01\x80\xab",
                                          b"\xf5\x05\x01\x00\xcd", user])),
    "evs": rec(0, radius(1, 1, [b"\xf1\x09\x1a\x00\x00\x00\x09\x01A", b"\xf1\x04\x1a\x00", user])),
    "ms-chap": rec(0, radius(1, 1, [user, vsa(311, 11, b"\x11" * 16), vsa(311, 25, b"\x22" * 50)])),
    "anyconnect-eap": rec(0, radius(1, 1, [a(79, b"\x02\x08\x00\x3c\xfe\x00\x00\x09\x00\x00\x00\x01"
        b"<config-auth><auth><username>bob</username></auth></config-auth>"[:48])])),
    "coa": rec(0, radius(43, 1, [user, a(80, b"\x00" * 16)])),
}
def eap(code, ident, body):
    return bytes([code, ident]) + struct.pack(">H", 4 + len(body)) + body
eaps = [eap(2, 1, b"\x01alice"), eap(1, 2, b"\x02Enter passcode"), eap(2, 2, b"\x03\x1a"),
        eap(1, 3, b"\x04\x10" + b"\x33" * 16 + b"srv"), eap(2, 3, b"\x04\x10" + b"\x44" * 16),
        eap(1, 4, b"\x1a\x01\x04\x00\x1a\x10" + b"\x55" * 16 + b"srv"),
        eap(2, 4, b"\x1a\x02\x04\x00\x3f\x31" + b"\x66" * 49 + b"alice"),
        eap(1, 5, b"\x1a\x03\x05\x00\x2eS=0123456789ABCDEF0123456789ABCDEF01234567 M=ok"),
        eap(2, 5, b"\x1a\x03"), eap(1, 6, b"\x1a\x04\x06\x00\x10E=691 R=1 V=3"),
        eap(1, 7, b"\x0d\x20"), eap(2, 8, b"\x0d\x80\x00\x00\x10\x00\x16\x03\x01"),
        eap(1, 9, b"\x19\xc1\x00\x00\x00\x20\x16"), eap(2, 9, b"\x15\x00\x16"),
        eap(1, 10, b"\x2b\x21"), eap(3, 11, b""), eap(4, 12, b""), eap(2, 13, b"\x11\x01\x00\x08"),
        eap(1, 14, b"\xfe\x00\x00\x09\x00\x00\x00\x01<config-auth type=\"hello\"></config-auth>"),
        eap(2, 15, b"\xfe\x00\x00\x09\x00\x00\x00\x01<config-auth type=\"auth-reply\"><auth>"
            b"<username>bob</username><password>x</password></auth></config-auth>"), b"\x02\x01\x00\x02",
        eap(2, 16, b"")]
hard["eap-types"] = b"".join(rec(i & 1, radius(1 if i % 2 == 0 else 11, i, [a(79, e), a(80, b"\x00" * 16)],
                                                 auth=bytes([i]) * 16)) for i, e in enumerate(eaps))
ids = b"".join(rec(0, radius(1, i, [user], auth=bytes([i]) * 16)) for i in range(32))
hard["id-wrap-32-outstanding"] = ids
hard["retransmit-vs-reused"] = (rec(0, radius(1, 7, [user], auth=b"\x01" * 16)) +
                                rec(0, radius(1, 7, [user], auth=b"\x01" * 16)) +
                                rec(0, radius(1, 7, [user], auth=b"\x02" * 16)) +
                                rec(1, radius(2, 7, [])))
hard["orphan-and-duplicate-response"] = (rec(1, radius(3, 9, [])) + rec(0, radius(1, 3, [user])) +
                                          rec(1, radius(3, 3, [])) + rec(1, radius(3, 3, [])))
ch = b""
for i in range(16):
    ch += rec(0, radius(1, i, [user, a(24, bytes([i]) * 16)] if i else [user], auth=bytes([i]) * 16))
    ch += rec(1, radius(11, i, [a(24, bytes([i + 1]) * 16)]))
hard["challenge-loop"] = ch
hard["proxy-legs"] = (rec(0, radius(1, 1, [user], auth=b"\x03" * 16)) +
                      rec(2, radius(1, 40, [user], auth=b"\x04" * 16)) +
                      rec(3, radius(3, 40, [a(18, b"denied")])) + rec(1, radius(3, 1, [])))
hard["timeout"] = rec(4 | 8, radius(1, 1, [user])) + rec(0, radius(1, 2, [user]))
for k, v in hard.items():
    open(f"{R}/bad-{k}", "wb").write(v)

# ---- pcap seeds ----
def pcap(frames_, lt=101, magic=0xa1b2c3d4, snap=65535, e="<", recs=None):
    h = struct.pack(e + "IHHiIII", magic, 2, 4, 0, 0, snap, lt)
    out = h
    for i, f in enumerate(frames_):
        cl, wl = len(f), len(f)
        if recs and i in recs:
            cl, wl = recs[i]
        out += struct.pack(e + "IIII", 1700000000 + i, 0, cl, wl) + f
    return out

def ip4udp(sp, dp, pl, ident=1, frag=0, src=b"\x0a\x00\x00\x01", dst=b"\x0a\x00\x00\x02", tot=None):
    u = struct.pack(">HHHH", sp, dp, 8 + len(pl), 0) + pl
    t = 20 + len(u) if tot is None else tot
    return struct.pack(">BBHHHBBH4s4s", 0x45, 0, t, ident, frag, 64, 17, 0, src, dst) + u

req = radius(1, 1, [user, a(2, b"\x00" * 16)])
rsp = radius(3, 1, [a(18, b"no")])
good = [ip4udp(1645, 1812, req), ip4udp(1812, 1645, rsp, src=b"\x0a\x00\x00\x02", dst=b"\x0a\x00\x00\x01")]
seeds = {
    "bad-magic": b"\x00\x11\x22\x33" + pcap(good)[4:],
    "swapped-magic": pcap(good, e=">"),
    "nanosecond-magic": pcap(good, magic=0xa1b23c4d),
    "snaplen-0": pcap(good, snap=0),
    "snaplen-2g": pcap(good, snap=1 << 31),
    "caplen-gt-snaplen": pcap(good, snap=40),
    "caplen-gt-256k": pcap(good, recs={0: (300000, 300000)}),
    "caplen-gt-len": pcap(good, recs={0: (len(good[0]), 10)}),
    "truncated-last": pcap(good)[:-7],
    "linktype-unknown": pcap(good, lt=147),
    "linktype-null": pcap([b"\x02\x00\x00\x00" + f for f in good], lt=0),
    "linktype-sll": pcap([b"\x00" * 14 + b"\x08\x00" + f for f in good], lt=113),
    "linktype-sll2": pcap([b"\x08\x00" + b"\x00" * 18 + f for f in good], lt=276),
    "vlan-qinq": pcap([b"\x00" * 12 + b"\x88\xa8\x00\x01\x81\x00\x00\x02\x08\x00" + f for f in good], lt=1),
}
# IPv6 with hop-by-hop + dest options, and a fragment header (two pieces)
u = struct.pack(">HHHH", 1645, 1812, 8 + len(req), 0) + req
v6 = (struct.pack(">IHBB", 0x60000000, 16 + len(u), 0, 64) + b"\x00" * 15 + b"\x01" +
      b"\x20\x01\x0d\xb8" + b"\x00" * 11 + b"\x02" + bytes([60, 0]) + b"\x00" * 6 +
      bytes([17, 0]) + b"\x00" * 6 + u)
half = (len(u) // 2) & ~7
f1 = (struct.pack(">IHBB", 0x60000000, 8 + half, 44, 64) + b"\x00" * 15 + b"\x01" + b"\x00" * 15 + b"\x02" +
      struct.pack(">BBHI", 17, 0, 1, 99) + u[:half])
f2 = (struct.pack(">IHBB", 0x60000000, 8 + len(u) - half, 44, 64) + b"\x00" * 15 + b"\x01" + b"\x00" * 15 + b"\x02" +
      struct.pack(">BBHI", 17, 0, half, 99) + u[half:])
seeds["ipv6-ext-and-fragments"] = pcap([v6, f1, f2])
# IPv4 fragments: a RADIUS packet in three pieces, one repeated, one out of order
whole = struct.pack(">HHHH", 1645, 1812, 8 + len(req), 0) + req
p1, p2, p3 = whole[:16], whole[16:32], whole[32:]
def frag(off, more, data):
    return struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(data), 77, (0x2000 if more else 0) | off // 8,
                       64, 17, 0, b"\x0a\x00\x00\x01", b"\x0a\x00\x00\x02") + data
seeds["ipv4-fragments"] = pcap([frag(0, 1, p1), frag(32, 0, p3), frag(16, 1, p2), frag(16, 1, p2)])
# ICMP port unreachable quoting the request
icmp = struct.pack(">BBHI", 3, 3, 0, 0) + good[0]
seeds["icmp-port-unreachable"] = pcap([good[0], struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(icmp), 5, 0, 64, 1,
                                                               0, b"\x0a\x00\x00\x02", b"\x0a\x00\x00\x01") + icmp])
def ip4(proto, payload, src=b"\x0a\x00\x00\x01", dst=b"\x0a\x00\x00\x02", tot=None, vhl=0x45, frag=0):
    t = 20 + len(payload) if tot is None else tot
    return struct.pack(">BBHHHBBH4s4s", vhl, 0, t, 9, frag, 64, proto, 0, src, dst) + payload
def ip6(nh, payload, plen=None):
    pl = len(payload) if plen is None else plen
    return (struct.pack(">IHBB", 0x60000000, pl, nh, 64) + b"\x00" * 15 + b"\x01" +
            b"\x00" * 15 + b"\x02" + payload)
udp_req = struct.pack(">HHHH", 1645, 1812, 8 + len(req), 0) + req
ah = bytes([17, 4]) + b"\x00" * 2 + b"\x00\x00\x01\x00" + b"\x00" * 4 + b"\x11" * 12   # 24 bytes
seeds["ah-ipv4-ipv6"] = pcap([ip4(51, ah + udp_req), ip6(51, ah + udp_req)])
seeds["esp"] = pcap([ip4(50, b"\x00\x00\x10\x01\x00\x00\x00\x01" + b"\xaa" * 32)])
seeds["icmpv6-port-unreachable"] = pcap([ip6(17, udp_req),
    ip6(58, struct.pack(">BBHI", 1, 4, 0, 0) + ip6(17, udp_req))])
seeds["ipv4-bogus"] = pcap([ip4(17, udp_req, vhl=0x44), ip4(17, udp_req, tot=10), ip4(17, udp_req)[:12],
    ip4(17, udp_req) + b"\x00" * 18, ip4(17, struct.pack(">HHHH", 1645, 1812, 4, 0) + req),
    ip4(17, struct.pack(">HHHH", 1645, 1812, 8 + 20, 0) + req), ip4(17, udp_req[:6]),
    ip4(17, udp_req, frag=0x2000, tot=400), ip4(17, udp_req, frag=0x0004, tot=400)])
seeds["ipv6-bogus"] = pcap([ip6(17, udp_req, plen=12), ip6(17, udp_req)[:30],
    b"\x50" + ip6(17, udp_req)[1:], ip6(0, bytes([17, 200]) + b"\x00" * 6 + udp_req),
    ip6(44, struct.pack(">BBHI", 17, 0, 1, 5) + udp_req, plen=900),
    ip6(44, struct.pack(">BBHI", 17, 0, 0, 5) + udp_req),
    ip6(44, struct.pack(">BBHI", 17, 0, 64, 6) + udp_req, plen=900)])
seeds["loopback-null-loop"] = pcap([b"\x00\x00\x00\x1e" + ip6(17, udp_req), b"\x1e\x00\x00\x00" + ip6(17, udp_req),
    b"\x07\x00\x00\x00" + good[0]], lt=0) + b""
seeds["loopback-loop"] = pcap([b"\x00\x00\x00\x02" + good[0], b"\x00\x00\x00\x18" + ip6(17, udp_req)], lt=108)
seeds["ethernet-non-ip"] = pcap([b"\x00" * 12 + b"\x08\x06" + b"\x00" * 28, b"\x00" * 12 + b"\x81\x00",
    b"\x00" * 13], lt=1)
seeds["raw-ipv4-ipv6-linktypes"] = pcap([good[0]], lt=228) + b""
seeds["raw-ipv6-linktype"] = pcap([ip6(17, udp_req)], lt=229)
seeds["isakmp-ports"] = pcap([ip4(17, struct.pack(">HHHH", 500, 500, 8 + 28, 0) + b"\x00" * 28),
    ip4(17, struct.pack(">HHHH", 4500, 4500, 9, 0) + b"\xff")])
seeds["decode-as-18120"] = pcap([ip4(17, struct.pack(">HHHH", 40000, 18120, 8 + len(req), 0) + req)])
for k, v in seeds.items():
    open(f"{P}/bad-{k}", "wb").write(v)
for path in ["tcpdump/RADIUS.pcap", "tcpdump/RADIUS-RFC4675.pcap", "zeek/radius_localhost.pcap",
             "scapy/scapy_radius_uts_frames.pcap", "ndpi/radius_false_positive.pcapng",
             "arkime/radius.pcap", "tcpdump/radius_rfc5447_invalid_length.pcap",
             "tcpdump/ikev2pI2-segfault.pcapng", "suricata-verify/IKEv2_SA_INIT_2-8-weak.pcap",
             "tcpdump/radius_attr_asan.pcap", "tcpdump/RADIUS-RFC3162.pcap"]:
    b = open("testdata/captures/" + path, "rb").read()
    open(f"{P}/corpus-{os.path.basename(path)}", "wb").write(b)
print(n, "capture seeds,", len(hard), "radius seeds,", len(seeds), "pcap seeds")
