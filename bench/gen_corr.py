#!/usr/bin/env python3
"""Three views of the same N logins for bench_corr.sh: the proxy's
authproxy.log (+05:30), the headend's debug (UTC, 1.7 s fast) and a capture
of both RADIUS legs on the proxy host. RADIUS ids wrap (256), the NAS port
is shared, users repeat: the joins must go by compound keys and time.
Usage: gen_corr.py N OUTDIR"""
import hashlib
import os
import struct
import sys
import datetime as dt

N = int(sys.argv[1])
OUT = sys.argv[2]
os.makedirs(OUT, exist_ok=True)
NAS, PROXY, ISE, CLIENT = '10.106.54.143', '10.197.243.97', '10.197.243.116', '10.197.243.98'
T0 = dt.datetime(2022, 2, 8, 0, 0, 0, tzinfo=dt.timezone.utc)
IST = dt.timezone(dt.timedelta(hours=5, minutes=30))
ERR = dt.timedelta(milliseconds=1700)
SECRET = b'cisco'
API = 'api-1a2b3c4d.duosecurity.com'

def ms(x):
    return dt.timedelta(milliseconds=x)

def pstamp(t):
    return t.astimezone(IST).strftime('%Y-%m-%dT%H:%M:%S.%f') + '+0530'

def rstamp(t):
    r = t + ERR
    return r.strftime('%b ') + ('%2d' % r.day) + r.strftime(' %H:%M:%S.') + '%03d UTC' % (r.microsecond // 1000)

def attr(t, v):
    return struct.pack('!BB', t, len(v) + 2) + v

def request(rid, ra, user):
    pw = hashlib.md5(SECRET + ra).digest()      # stands for the hidden password block
    attrs = attr(1, user.encode()) + attr(2, pw) + attr(4, bytes([10, 106, 54, 143])) + attr(31, CLIENT.encode())
    return struct.pack('!BBH', 1, rid, 20 + len(attrs)) + ra + attrs

def response(code, rid, ra):
    hdr = struct.pack('!BBH', code, rid, 20)
    return hdr + hashlib.md5(hdr + ra + SECRET).digest()

def ip4(a):
    return bytes(int(x) for x in a.split('.'))

def udp(t, src, sport, dst, dport, payload, ident):
    u = struct.pack('!HHHH', sport, dport, 8 + len(payload), 0) + payload
    iph = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(u), ident & 0xffff, 0, 64, 17, 0, ip4(src), ip4(dst))
    frame = b'\x00\x50\x56\x01\x02\x03\x00\x50\x56\x0a\x0b\x0c\x08\x00' + iph + u
    us = int(t.timestamp() * 1000000)
    return struct.pack('<IIII', us // 1000000, us % 1000000, len(frame), len(frame)) + frame

px = open(os.path.join(OUT, 'authproxy.log'), 'w')
rt = open(os.path.join(OUT, 'router-debug.txt'), 'w')
cap = open(os.path.join(OUT, 'proxy.pcap'), 'wb')
cap.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
SYS = '[duoauthproxy.lib.log#info]'
pend = []                                   # (time, text) of the proxy log, in order
frames = []
rlines = []

def flush(upto):
    pend.sort(key=lambda x: x[0])
    frames.sort(key=lambda x: x[0])
    rlines.sort(key=lambda x: x[0])
    while pend and (upto is None or pend[0][0] < upto):
        t, m = pend.pop(0)
        px.write('%s %s %s\n' % (pstamp(t), SYS, m))
    while frames and (upto is None or frames[0][0] < upto):
        cap.write(frames.pop(0)[1])
    while rlines and (upto is None or rlines[0][0] < upto):
        rt.write(rlines.pop(0)[1])

for i in range(N):
    t = T0 + ms(600 * i)
    if i % 64 == 0:
        flush(t - ms(20000))
    user = 'u%04d' % (i % 5000)
    rid, oid = i % 256, (i * 7 + 3) % 256
    pfx = "(('%s', 1645), %s, %d): " % (NAS, user, rid)
    push = 3000 + (i * 37) % 9000
    ra = hashlib.md5(b'r%d' % i).digest()
    ra2 = hashlib.md5(b'p%d' % i).digest()
    # proxy
    pend.append((t, "Received new request id %d from ('%s', 1645)" % (rid, NAS)))
    pend.append((t, pfx + "login attempt for username '%s'" % user))
    pend.append((t, "Sending request for user '%s' to ('%s', 1812) with id %d" % (user, ISE, oid)))
    pend.append((t + ms(50), "Got response for id %d from ('%s', 1812); code 2" % (oid, ISE)))
    pend.append((t + ms(50), 'http POST to https://%s:443/rest/v1/preauth' % API))
    pend.append((t + ms(500), pfx + "Got preauth result for: 'auth'"))
    pend.append((t + ms(500), 'http POST to https://%s:443/rest/v1/auth' % API))
    pend.append((t + ms(500 + push), pfx + "Duo authentication returned 'allow': 'Success. Logging you in...'"))
    pend.append((t + ms(500 + push), pfx + 'Returning response code 2: AccessAccept'))
    pend.append((t + ms(500 + push), pfx + 'Sending response'))
    # capture
    frames.append((t, udp(t, NAS, 1645, PROXY, 1812, request(rid, ra, user), 4 * i)))
    frames.append((t + ms(1), udp(t + ms(1), PROXY, 54000, ISE, 1812, request(oid, ra2, user), 4 * i + 1)))
    frames.append((t + ms(50), udp(t + ms(50), ISE, 1812, PROXY, 54000, response(2, oid, ra2), 4 * i + 2)))
    ta = t + ms(501 + push)
    frames.append((ta, udp(ta, PROXY, 1812, NAS, 1645, response(2, rid, ra), 4 * i + 3)))
    # router
    sid = 1000 + i
    spi = '%016X' % (0x1000000000000000 + i)
    t0 = t - ms(190)
    block = ('%s: IKEv2:(SESSION ID = %d,SA ID = 1):Received Packet [From %s:%d/To %s:500/VRF i0:f0] \n'
             'Initiator SPI : %s - Responder SPI : 0000000000000000 Message id: 0\n'
             'IKEv2 IKE_SA_INIT Exchange REQUEST \nPayload contents: \n SA KE N VID NOTIFY(NAT_DETECTION_SOURCE_IP) \n\n'
             % (rstamp(t0), sid, CLIENT, 50000 + i % 10000, NAS, spi))
    rlines.append((t0, block))
    a = 0x10000 + i
    txt = ('%s: IKEv2:(SESSION ID = %d,SA ID = 1):[IKEv2 -> AAA] Authentication request sent\n'
           '%s: RADIUS(%08X): Send Access-Request to %s:1812 id 1645/%d, len 70\n'
           'RADIUS:  authenticator %s\n'
           'RADIUS:  User-Name           [1]   7   "%s"\n'
           'RADIUS:  User-Password       [2]   18  *\n'
           'RADIUS:  NAS-IP-Address      [4]   6   %s\n'
           '%s: RADIUS(%08X): Started 120 sec timeout\n'
           % (rstamp(t - ms(2)), sid, rstamp(t - ms(1)), a, PROXY, rid,
              ' '.join('%02X' % x for x in ra[:8]) + ' - ' + ' '.join('%02X' % x for x in ra[8:]),
              user, NAS, rstamp(t - ms(1)), a))
    rlines.append((t - ms(2), txt))
    tr = t + ms(502 + push)
    txt = ('%s: RADIUS: Received from id 1645/%d %s:1812, Access-Accept, len 20\n'
           '%s: RADIUS(%08X): Received from id 1645/%d\n'
           '%s: IKEv2:(SESSION ID = %d,SA ID = 1):[AAA -> IKEv2] Received AAA reply\n'
           '%s: IKEv2:(SESSION ID = %d,SA ID = 1):Session with IKE ID PAIR (cisco.com, %s) is UP\n'
           % (rstamp(tr), rid, PROXY, rstamp(tr), a, rid, rstamp(tr + ms(1)), sid, rstamp(tr + ms(60)), sid, NAS))
    rlines.append((tr, txt))
flush(None)
for f in (px, rt, cap):
    f.close()
