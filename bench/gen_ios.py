#!/usr/bin/env python3
"""Generate a large IOS XE console capture for bench_ios.sh.

usage: gen_ios.py LINES OUT

Repeats the debug of testdata/traces/ios-radius-accept (IKEv2 with EAP to
RADIUS, challenge then accept, address assigned, tunnel up: ~125 lines a
login) with a new SESSION ID, peer, SPIs, AAA unique ids, RADIUS ids, user,
assigned address, RADIUS State and time for each login; every 10th login instead gets its RADIUS server
silent (retransmits, fail-over, no response). Deterministic.
"""
import re
import sys

SRC = "testdata/traces/ios-radius-accept/input/r1-console.txt"


def template():
    lines = open(SRC).read().split("\n")
    a = next(i for i, l in enumerate(lines) if l.startswith("*Feb  8 17:54:38.011"))
    b = next(i for i, l in enumerate(lines) if l.startswith("R1#show crypto"))
    return lines[a:b]


FAIL = """*Feb  8 {t0}: RADIUS/ENCODE({aaa1}):Orig. component type = VPN IPSEC
*Feb  8 {t0}: RADIUS({aaa1}): Send Access-Request to 10.197.243.116:1812 id 1645/{rid1}, len 231
RADIUS:  authenticator 1B A3 BD 59 0E 4F 2C 77 - C5 06 91 3A 4D 62 88 10
RADIUS:  User-Name           [1]   7   "{user}"
RADIUS:  Calling-Station-Id  [31]  15  "{peer}"
*Feb  8 {t0}: RADIUS({aaa1}): Started 5 sec timeout
*Feb  8 {t1}: RADIUS({aaa1}): Request timed out!
*Feb  8 {t1}: RADIUS: Retransmit to (10.197.243.116:1812,1813) for id 1645/{rid1}
*Feb  8 {t2}: RADIUS: No response from (10.197.243.116:1812,1813) for id 1645/{rid1}
*Feb  8 {t2}: RADIUS: Fail-over to (10.197.243.117:1812,1813) for id 1645/{rid1}
*Feb  8 {t3}: RADIUS: No response from (10.197.243.117:1812,1813) for id 1645/{rid1}
*Feb  8 {t3}: RADIUS: No response from server""".split("\n")


def hms(sec):
    sec %= 86400
    return "%02d:%02d:%02d" % (sec // 3600, sec // 60 % 60, sec % 60)


def main():
    want, out = int(sys.argv[1]), sys.argv[2]
    tpl = template()
    stamp = re.compile(r"^\*Feb  8 17:54:(\d\d)\.(\d{3}): ")
    n = 0
    k = 0
    with open(out, "w") as f:
        while n < want:
            k += 1
            base = 17 * 3600 + 54 * 60 + k * 13
            peer = "10.%d.%d.%d" % (k >> 16 & 255, k >> 8 & 255, k & 255)
            sid = str(k)
            user = "user%d" % (k % 5000)
            aaa1, aaa2 = "%08X" % (2 * k), "%08X" % (2 * k + 1)
            rid1, rid2 = str(2 * k % 256), str((2 * k + 1) % 256)
            spi_i, spi_r = "%016X" % (k * 0x9E3779B1 + 1), "%016X" % (k * 0x85EBCA77 + 2)
            if k % 10 == 0:
                ts = [hms(base + d) + ".100" for d in (0, 5, 10, 15)]
                for l in FAIL:
                    f.write(l.format(t0=ts[0], t1=ts[1], t2=ts[2], t3=ts[3], aaa1=aaa1,
                                     rid1=rid1, user=user, peer=peer) + "\n")
                    n += 1
                continue
            for l in tpl:
                m = stamp.match(l)
                if m:
                    l = "*Feb  8 %s.%s: " % (hms(base + int(m.group(1)) - 38), m.group(2)) + l[m.end():]
                l = (l.replace("SESSION ID = 15", "SESSION ID = " + sid)
                      .replace("10.197.243.98", peer)
                      .replace("802F3CC9E1C33C2F", spi_i).replace("81094D322A295C92", spi_r)
                      .replace("0000001A", aaa1).replace("0000001B", aaa2)
                      .replace("1645/23", "1645/" + rid1).replace("1645/24", "1645/" + rid2)
                      .replace("30 30 30 31 30 32", "%02X %02X %02X 31 30 32" % (48 + k % 10, 48 + k // 10 % 10, 48 + k // 100 % 10))
                      .replace("192.168.13.5", "192.168.%d.%d" % (k >> 8 & 255, k & 255))
                      .replace('"sadks"', '"%s"' % user).replace(" 73 61 64 6B 73 ", " 75 73 65 72 31 "))
                f.write(l + "\n")
                n += 1


if __name__ == "__main__":
    main()
