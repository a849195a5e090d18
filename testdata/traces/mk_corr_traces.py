#!/usr/bin/env python3
"""Builds the testdata/traces/corr-* cases: cross-source conclusions that
need two vantage points joined into one login. Written for authscope (no
third-party content). Rerun after changing a case; outputs are committed.

- corr-late-approval: the router gives up after 3 tries (10 s apart), the
  user approves the push 45 s in: late-approval (P+R), which supersedes
  nas-timeout-too-short and the router's own ike-aaa-timeout/radius-timeout.
- corr-push-pending: the same router transcript, the push still pending
  at the proxy: nas-timeout-too-short (P+R), which supersedes ike-aaa-timeout.
- corr-capture-late: a capture alone on the NAS's leg: tries 5 s apart,
  then the answer 30 s after the last: nas-timeout-too-short (C).
- corr-duplicate-push: the proxy log shows one login waiting for its push;
  the capture shows the NAS's new request (new id, new port) for the same
  user meanwhile: duplicate-push (P+C), the capture's request as evidence."""
import datetime as dt
import hashlib
import os
import struct

ROOT = os.path.dirname(os.path.abspath(__file__))
NAS, PROXY, ISE, CLIENT = '10.106.54.143', '10.197.243.97', '10.197.243.116', '10.197.243.98'
SECRET = b'cisco'
T = dt.datetime(2024, 5, 6, 8, 0, 0, tzinfo=dt.timezone.utc)
IST = dt.timezone(dt.timedelta(hours=5, minutes=30))
SYS = '[duoauthproxy.lib.log#info]'
API = 'api-1a2b3c4d.duosecurity.com'


def ms(x):
    return dt.timedelta(milliseconds=x)


def plog(lines):
    return ''.join('%s %s %s\n' % (t.astimezone(IST).strftime('%Y-%m-%dT%H:%M:%S.%f') + '+0530', SYS, m)
                   for t, m in sorted(lines, key=lambda x: x[0]))


def px(user, rid, port=1645):
    return "(('%s', %d), %s, %d): " % (NAS, port, user, rid)


def proxy_login(user, rid, oid, t, push_ms, result, dups=(), port=1645):
    L = [(t, "Received new request id %d from ('%s', %d)" % (rid, NAS, port)),
         (t, px(user, rid, port) + "login attempt for username '%s'" % user),
         (t, "Sending request for user '%s' to ('%s', 1812) with id %d" % (user, ISE, oid)),
         (t + ms(60), "Got response for id %d from ('%s', 1812); code 2" % (oid, ISE)),
         (t + ms(60), 'http POST to https://%s:443/rest/v1/preauth' % API),
         (t + ms(500), px(user, rid, port) + "Got preauth result for: 'auth'"),
         (t + ms(500), 'http POST to https://%s:443/rest/v1/auth' % API)]
    for d in dups:
        L.append((t + ms(d), px(user, rid, port) + 'Received duplicate request'))
    if push_ms is not None:
        te = t + ms(500 + push_ms)
        if result == 'allow':
            L.append((te, px(user, rid, port) + "Duo authentication returned 'allow': 'Success. Logging you in...'"))
            L.append((te, px(user, rid, port) + 'Returning response code 2: AccessAccept'))
        else:
            L.append((te, px(user, rid, port) + "Duo authentication returned 'deny': 'Login timed out.'"))
            L.append((te, px(user, rid, port) + 'Returning response code 3: AccessReject'))
        L.append((te, px(user, rid, port) + 'Sending response'))
    return L


def rstamp(t):
    return t.strftime('%b ') + ('%2d' % t.day) + t.strftime(' %H:%M:%S.') + '%03d UTC' % (t.microsecond // 1000)


def attr(t, v):
    return struct.pack('!BB', t, len(v) + 2) + v


def ip4(a):
    return bytes(int(x) for x in a.split('.'))


def request(rid, ra, user):
    pw = bytes(x ^ y for x, y in zip(b'Passw0rd-Demo!!!', hashlib.md5(SECRET + ra).digest()))
    attrs = attr(1, user.encode()) + attr(2, pw) + attr(4, ip4(NAS)) + attr(31, CLIENT.encode())
    return struct.pack('!BBH', 1, rid, 20 + len(attrs)) + ra + attrs


def response(code, rid, ra):
    hdr = struct.pack('!BBH', code, rid, 20)
    return hdr + hashlib.md5(hdr + ra + SECRET).digest()


def pcap(path, frames):
    with open(path, 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for n, (t, src, sport, dst, dport, payload) in enumerate(sorted(frames, key=lambda x: x[0])):
            u = struct.pack('!HHHH', sport, dport, 8 + len(payload), 0) + payload
            iph = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(u), n + 1, 0, 64, 17, 0, ip4(src), ip4(dst))
            s = sum(struct.unpack('!10H', iph))
            s = (s & 0xffff) + (s >> 16)
            s = (s & 0xffff) + (s >> 16)
            iph = iph[:10] + struct.pack('!H', ~s & 0xffff) + iph[12:]
            b = b'\x00\x50\x56\x01\x02\x03\x00\x50\x56\x0a\x0b\x0c\x08\x00' + iph + u
            us = int(t.timestamp() * 1000000)
            f.write(struct.pack('<IIII', us // 1000000, us % 1000000, len(b), len(b)) + b)


def write(case, files, expect):
    d = os.path.join(ROOT, case, 'input')
    os.makedirs(d, exist_ok=True)
    for name, data in files.items():
        with open(os.path.join(d, name), 'wb' if isinstance(data, bytes) else 'w') as f:
            f.write(data)
    with open(os.path.join(ROOT, case, 'expect'), 'w') as f:
        f.write(expect.lstrip('\n'))


# ---- corr-late-approval (P+R) ----
user, rid, sid = 'nina', 52, 71
rt = []
def rl(t, msg):
    rt.append('%s: %s' % (rstamp(t), msg))
rl(T - ms(60), 'IKEv2:(SESSION ID = %d,SA ID = 1):Received Packet [From %s:50123/To %s:4500/VRF i0:f0] ' % (sid, CLIENT, NAS))
rt += ['Initiator SPI : 0A1B2C3D4E5F6071 - Responder SPI : 8899AABBCCDDEEFF Message id: 2',
       'IKEv2 IKE_AUTH Exchange REQUEST ', 'Payload contents: ', ' EAP ', '']
rl(T - ms(2), 'IKEv2:(SESSION ID = %d,SA ID = 1):[IKEv2 -> AAA] Authentication request sent' % sid)
rl(T - ms(1), 'RADIUS(00000031): Send Access-Request to %s:1812 id 1645/%d, len 80' % (PROXY, rid))
rt += ['RADIUS:  authenticator 11 22 33 44 55 66 77 88 - 99 AA BB CC DD EE FF 00',
       'RADIUS:  User-Name           [1]   6   "%s"' % user, 'RADIUS:  User-Password       [2]   18  *',
       'RADIUS:  NAS-IP-Address      [4]   6   %s' % NAS]
rl(T - ms(1), 'RADIUS(00000031): Started 10 sec timeout')
for k in (1, 2):
    rl(T + ms(10000 * k - 1), 'RADIUS(00000031): Request timed out!')
    rl(T + ms(10000 * k - 1), 'RADIUS: Retransmit to (%s:1812,1813) for id 1645/%d' % (PROXY, rid))
    rl(T + ms(10000 * k - 1), 'RADIUS(00000031): Started 10 sec timeout')
g = T + ms(29999)
rl(g, 'RADIUS(00000031): Request timed out!')
rl(g, 'RADIUS: No response from (%s:1812,1813) for id 1645/%d' % (PROXY, rid))
rl(g, 'RADIUS: No response from server')
rl(g + ms(1), 'IKEv2:(SESSION ID = %d,SA ID = 1):[AAA -> IKEv2] AAA authentication request timed out' % sid)
write('corr-late-approval', {
    'authproxy.log': plog(proxy_login(user, rid, 90, T, 44500, 'allow', dups=(10000, 20000))),
    'router-debug.txt': '\n'.join(rt) + '\n'}, '''
# The router (timeout 10, retransmit 2) gives up on nina after 30 s; she
# approves the push 45 s in, the proxy's Accept goes nowhere: late-approval,
# one finding that supersedes nas-timeout-too-short and the router's own
# view of it (ike-aaa-timeout, radius-timeout). Generated by mk_corr_traces.py.
late-approval           nina    1
nas-timeout-too-short   *       0
ike-aaa-timeout         *       0
radius-timeout          *       0
duo-push-timeout        *       0
radius-retransmit       nina    1
''')

# ---- corr-push-pending (P+R) ----
# The same router transcript; the proxy log ends with nina's push still
# pending: the router gave up during the push. nas-timeout-too-short names
# the cause and supersedes the router's own view (ike-aaa-timeout).
write('corr-push-pending', {
    'authproxy.log': plog(proxy_login(user, rid, 90, T, None, None, dups=(10000, 20000))),
    'router-debug.txt': '\n'.join(rt) + '\n'}, '''
# The router (timeout 10, retransmit 2) gives up on nina after 30 s while
# her push is still pending at the proxy: nas-timeout-too-short, which
# supersedes the router's own ike-aaa-timeout and radius-timeout for the
# same login (both fire from the router alone). Generated by mk_corr_traces.py.
nas-timeout-too-short   nina    1
ike-aaa-timeout         *       0
radius-timeout          *       0
late-approval           *       0
radius-retransmit       nina    1
''')

# ---- corr-capture-late (C) ----
ra = hashlib.md5(b'capture-late').digest()
req = request(77, ra, 'omar')
fr = [(T + ms(5000 * k), NAS, 1645, PROXY, 1812, req) for k in range(3)]
fr.append((T + ms(40000), PROXY, 1812, NAS, 1645, response(2, 77, ra)))
p = os.path.join(ROOT, 'corr-capture-late', 'input')
os.makedirs(p, exist_ok=True)
pcap(os.path.join(p, 'nas-leg.pcap'), fr)
write('corr-capture-late', {}, '''
# A capture of the NAS's leg alone: three tries 5 s apart, then the
# proxy's Accept 30 s after the last try: the NAS had stopped waiting
# (it would have tried again after 5 s): nas-timeout-too-short from the
# capture alone. Generated by mk_corr_traces.py.
nas-timeout-too-short   omar    1
late-approval           *       0
radius-retransmit       omar    1
''')

# ---- corr-duplicate-push (P+C) ----
# the proxy log shows only the first login (its push pending, no answer
# yet when the log excerpt ends); the capture shows the NAS's new request
L = proxy_login('pia', 60, 100, T, None, None)
ra1, ra2 = hashlib.md5(b'dup1').digest(), hashlib.md5(b'dup2').digest()
fr = [(T, NAS, 1645, PROXY, 1812, request(60, ra1, 'pia')),
      (T + ms(12000), NAS, 1646, PROXY, 1812, request(61, ra2, 'pia'))]
p = os.path.join(ROOT, 'corr-duplicate-push', 'input')
os.makedirs(p, exist_ok=True)
pcap(os.path.join(p, 'proxy-host.pcap'), fr)
write('corr-duplicate-push', {'authproxy.log': plog(L)}, '''
# The proxy waits for pia's push (proxy log); meanwhile the capture shows
# the NAS sending a new request for pia from another port and id: a second
# push is coming. duplicate-push from the joined view (P+C), the capture's
# new request as evidence. The capture ends 12 s after the first request,
# still unanswered (the push is pending): radius-timeout says so, open at
# the end of the capture. Generated by mk_corr_traces.py.
duplicate-push          pia     1
radius-timeout          pia     1
nas-timeout-too-short   *       0
''')
print('ok')
