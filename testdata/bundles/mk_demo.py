#!/usr/bin/env python3
"""Builds the other sources of the multi-source demo bundle from its
authproxy.log (bench/mk_duo_traces.py writes that one): the headend's debug
and show output and a capture taken on the proxy host, all consistent with
the log's users, ids and times.

- router-debug.txt: the C8000V's `debug crypto ikev2` + `debug radius
  authentication` on its console. Its clock runs in UTC (the stamps say so)
  and is 2.6 s fast: authscope must find that error (clock-skew) and still
  join every login. The router's RADIUS server has `timeout 10` and
  `retransmit 2` (router.cfg), so it gives up on amal after 30 s while the
  Duo push is still pending.
- router-show.txt: `show crypto ikev2 sa detailed` and `show crypto session
  detail` after sadks connected (no time: it joins by keys alone).
- proxy.pcap: both RADIUS legs as the proxy host (10.197.243.97) saw them,
  PAP with the bundle's secret, authenticators computed as RFC 2865 says.
The proxy log is in +05:30, the router in UTC, the capture in epoch time.
Rerun after changing the proxy log; the outputs are committed."""
import hashlib
import os
import re
import struct
import datetime as dt

D = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'demo')
NAS, PROXY, ISE, CLIENT = '10.106.54.143', '10.197.243.97', '10.197.243.116', '10.197.243.98'
SECRET = b'cisco'                  # radius_secret_1 and [radius_client] secret of the bundle
ROUTER_ERR = dt.timedelta(milliseconds=2600)
PASSWORDS = {'sadks': b'C1sco12345', 'amal': b'Winter2022!', 'jdoe': b'wrong-pass'}

# ---- the proxy log: what happened when (true time = the proxy's) ----
rx = re.compile(r'^(\S+) \[[^\]]*\] (.*)$')
logins = {}
order = []
for line in open(os.path.join(D, 'authproxy.log')):
    m = rx.match(line.rstrip('\n'))
    if not m:
        continue
    t = dt.datetime.strptime(m.group(1), '%Y-%m-%dT%H:%M:%S.%f%z').astimezone(dt.timezone.utc)
    msg = m.group(2)
    r = re.match(r"Received new request id (\d+) from \('([\d.]+)', (\d+)\)", msg)
    if r:
        cur = {'id': int(r.group(1)), 't': t, 'dups': []}
        continue
    r = re.match(r"\(\('[\d.]+', \d+\), (\w+), (\d+)\): (.*)", msg)
    if r:
        user, rid, what = r.group(1), int(r.group(2)), r.group(3)
        if what.startswith('login attempt'):
            logins[user] = cur
            cur['user'] = user
            order.append(user)
        L = logins[user]
        if what == 'Received duplicate request':
            L['dups'].append(t)
        m2 = re.match(r'Returning response code (\d+)', what)
        if m2:
            L['answer'] = (t, int(m2.group(1)))
        continue
    r = re.match(r"Sending request for user '(\w+)' to \('([\d.]+)', \d+\) with id (\d+)", msg)
    if r:
        logins[r.group(1)]['out'] = (t, int(r.group(3)))
        continue
    r = re.match(r"Got response for id (\d+) from .*; code (\d+)", msg)
    if r:
        for L in logins.values():
            if L.get('out') and L['out'][1] == int(r.group(1)):
                L['presp'] = (t, int(r.group(2)))

# ---- RADIUS packets (RFC 2865) ----
def auth_of(seed):
    return hashlib.md5(b'demo-authenticator' + seed.encode()).digest()

def attr(t, v):
    return struct.pack('!BB', t, len(v) + 2) + v

def pap(pw, ra, secret=SECRET):
    pw = pw + b'\0' * (-len(pw) % 16)
    out, prev = b'', ra
    for i in range(0, len(pw), 16):
        b = hashlib.md5(secret + prev).digest()
        c = bytes(x ^ y for x, y in zip(pw[i:i + 16], b))
        out += c
        prev = c
    return out

def ip4(a):
    return bytes(int(x) for x in a.split('.'))

def request(rid, ra, user):
    attrs = (attr(1, user.encode()) + attr(2, pap(PASSWORDS[user], ra)) + attr(4, ip4(NAS)) +
             attr(5, struct.pack('!I', 0)) + attr(6, struct.pack('!I', 1)) +
             attr(31, CLIENT.encode()) + attr(61, struct.pack('!I', 5)))
    return struct.pack('!BBH', 1, rid, 20 + len(attrs)) + ra + attrs

def response(code, rid, ra, reply=None):
    attrs = attr(18, reply.encode()) if reply else b''
    hdr = struct.pack('!BBH', code, rid, 20 + len(attrs))
    return hdr + hashlib.md5(hdr + ra + attrs + SECRET).digest() + attrs

# ---- pcap ----
frames = []
def udp(t, src, sport, dst, dport, payload):
    u = struct.pack('!HHHH', sport, dport, 8 + len(payload), 0) + payload
    iph = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(u), len(frames) + 1, 0, 64, 17, 0,
                      ip4(src), ip4(dst))
    s = sum(struct.unpack('!10H', iph))
    s = (s & 0xffff) + (s >> 16)
    s = (s & 0xffff) + (s >> 16)
    iph = iph[:10] + struct.pack('!H', ~s & 0xffff) + iph[12:]
    eth = b'\x00\x50\x56\x01\x02\x03' + b'\x00\x50\x56\x0a\x0b\x0c' + b'\x08\x00'
    frames.append((t, eth + iph + u))

PPORT = 54000                      # the proxy's source port towards ISE
REPLY = {2: 'Success. Logging you in...'}
for user in order:
    L = logins[user]
    ra = auth_of(user)
    req = request(L['id'], ra, user)
    udp(L['t'], NAS, 1645, PROXY, 1812, req)
    for d in L['dups']:
        udp(d, NAS, 1645, PROXY, 1812, req)
    ot, oid = L['out']
    ra2 = auth_of(user + '-primary')
    udp(ot + dt.timedelta(milliseconds=1), PROXY, PPORT, ISE, 1812, request(oid, ra2, user))
    pt, pcode = L['presp']
    udp(pt + dt.timedelta(milliseconds=1), ISE, 1812, PROXY, PPORT, response(pcode, oid, ra2))
    at, acode = L['answer']
    udp(at + dt.timedelta(milliseconds=1), PROXY, 1812, NAS, 1645,
        response(acode, L['id'], ra, REPLY.get(acode) if L.get('answer') and user == 'sadks' else None))
frames.sort(key=lambda f: f[0])
with open(os.path.join(D, 'proxy.pcap'), 'wb') as f:
    f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for t, b in frames:
        us = int(t.timestamp() * 1000000)
        f.write(struct.pack('<IIII', us // 1000000, us % 1000000, len(b), len(b)) + b)

# ---- router debug (router clock: UTC, 2.6 s fast) ----
out = []
def stamp(t):
    r = t + ROUTER_ERR
    return r.strftime('%b ') + ('%2d' % r.day) + r.strftime(' %H:%M:%S.') + '%03d' % (r.microsecond // 1000) + ' UTC'

def line(t, msg):
    out.append('%s: %s' % (stamp(t), msg))

def ms(x):
    return dt.timedelta(milliseconds=x)

def hexa(b):
    h = ' '.join('%02X' % x for x in b)
    return h[:23] + ' - ' + h[24:]

def ike_pkt(t, sid, sa, direction, port, spi_i, spi_r, msgid, exch, payload):
    if direction == 'in':
        line(t, 'IKEv2:(SESSION ID = %d,SA ID = %d):Received Packet [From %s:%d/To %s:%d/VRF i0:f0] '
             % (sid, sa, CLIENT, port, NAS, 500 if exch == 'IKE_SA_INIT' else 4500))
    else:
        line(t, 'IKEv2:(SESSION ID = %d,SA ID = %d):Sending Packet [To %s:%d/From %s:%d/VRF i0:f0] '
             % (sid, sa, CLIENT, port, NAS, 500 if exch == 'IKE_SA_INIT' else 4500))
    out.append('Initiator SPI : %s - Responder SPI : %s Message id: %d' % (spi_i, spi_r, msgid))
    out.append('IKEv2 %s Exchange %s ' % (exch, 'REQUEST' if direction == 'in' else 'RESPONSE'))
    out.append('Payload contents: ')
    out.append(' %s ' % payload)
    out.append('')

out.append('R1#show clock')
first = logins[order[0]]['t'] - ms(20000)
r0 = first + ROUTER_ERR
out.append('*%s.%03d UTC %s' % (r0.strftime('%H:%M:%S'), r0.microsecond // 1000,
                                r0.strftime('%a %b ') + str(r0.day) + r0.strftime(' %Y')))
out += ['R1#debug crypto ikev2', 'IKEv2 default debugging is on',
        'R1#debug radius authentication', 'Radius protocol debugging is on',
        'Radius packet protocol (authentication) debugging is on', 'R1#terminal monitor']

SPIS = {'sadks': ('802F3CC9E1C33C2F', '81094D322A295C92'), 'amal': ('5A1C09E2D4B37F60', '3E8842A1C07B19D5'),
        'jdoe': ('C47B2E90A15D6F38', '9D02F6B1E4C8A357')}
AAA_ID = {'sadks': 0x1A, 'amal': 0x1B, 'jdoe': 0x1C}
for n, user in enumerate(order):
    L = logins[user]
    sid, sa = 15 + n, 1 + n
    spi_i, spi_r = SPIS[user]
    port = 54198 + 2 * n
    t = L['t']                       # the proxy received the request at t
    t0 = t - ms(190)                 # IKE_SA_INIT from the client
    ike_pkt(t0, sid, sa, 'in', port, spi_i, '0000000000000000', 0, 'IKE_SA_INIT',
            'SA KE N VID VID VID VID NOTIFY(NAT_DETECTION_SOURCE_IP) NOTIFY(NAT_DETECTION_DESTINATION_IP) NOTIFY(IKEV2_FRAGMENTATION_SUPPORTED)')
    ike_pkt(t0 + ms(11), sid, sa, 'out', port, spi_i, spi_r, 0, 'IKE_SA_INIT',
            'SA KE N VID VID NOTIFY(NAT_DETECTION_SOURCE_IP) NOTIFY(NAT_DETECTION_DESTINATION_IP) CERTREQ NOTIFY(HTTP_CERT_LOOKUP_SUPPORTED)')
    line(t0 + ms(12), 'IKEv2:(SESSION ID = %d,SA ID = %d):Completed SA init exchange' % (sid, sa))
    ike_pkt(t0 + ms(120), sid, sa, 'in', port + 1, spi_i, spi_r, 1, 'IKE_AUTH',
            'VID IDi CERTREQ CFG SA TSi TSr NOTIFY(INITIAL_CONTACT) NOTIFY(SET_WINDOW_SIZE) NOTIFY(ESP_TFC_NO_SUPPORT) NOTIFY(NON_FIRST_FRAGS)')
    line(t0 + ms(121), "IKEv2:(SESSION ID = %d,SA ID = %d):Searching policy based on peer's identity 'cisco.com' of type 'FQDN'" % (sid, sa))
    out.append("IKEv2:found matching IKEv2 profile 'FlexVPN-ikev2_Profile'")
    ike_pkt(t0 + ms(129), sid, sa, 'out', port + 1, spi_i, spi_r, 1, 'IKE_AUTH', 'IDr CERT AUTH EAP')
    ike_pkt(t0 + ms(186), sid, sa, 'in', port + 1, spi_i, spi_r, 2, 'IKE_AUTH', 'EAP')
    a = AAA_ID[user]
    line(t0 + ms(187), 'IKEv2:(SESSION ID = %d,SA ID = %d):[IKEv2 -> AAA] Authentication request sent' % (sid, sa))
    line(t0 + ms(188), 'RADIUS/ENCODE(%08X):Orig. component type = VPN IPSEC' % a)
    line(t0 + ms(188), 'RADIUS/ENCODE: Best Local IP-Address %s for Radius-Server %s' % (NAS, PROXY))
    req = request(L['id'], auth_of(user), user)
    ts = t - ms(1)
    line(ts, 'RADIUS(%08X): Send Access-Request to %s:1812 id 1645/%d, len %d' % (a, PROXY, L['id'], len(req)))
    out.append('RADIUS:  authenticator %s' % hexa(auth_of(user)))
    out.append('RADIUS:  User-Name           [1]   %-3d "%s"' % (len(user) + 2, user))
    out.append('RADIUS:  User-Password       [2]   18  *')
    out.append('RADIUS:  Calling-Station-Id  [31]  15  "%s"' % CLIENT)
    out.append('RADIUS:  NAS-IP-Address      [4]   6   %s' % NAS)
    line(ts, 'RADIUS(%08X): Sending a IPv4 Radius Packet' % a)
    line(ts, 'RADIUS(%08X): Started 10 sec timeout' % a)
    at, acode = L['answer']
    if L['dups']:
        # the router re-sends every 10 s, twice, then gives up
        for d in L['dups']:
            line(d - ms(1), 'RADIUS(%08X): Request timed out!' % a)
            line(d - ms(1), 'RADIUS: Retransmit to (%s:1812,1813) for id 1645/%d' % (PROXY, L['id']))
            line(d - ms(1), 'RADIUS(%08X): Started 10 sec timeout' % a)
        g = L['dups'][-1] + ms(10000)
        line(g, 'RADIUS(%08X): Request timed out!' % a)
        line(g, 'RADIUS: No response from (%s:1812,1813) for id 1645/%d' % (PROXY, L['id']))
        line(g, 'RADIUS: No response from server')
        line(g + ms(1), 'IKEv2:(SESSION ID = %d,SA ID = %d):[AAA -> IKEv2] AAA authentication request timed out' % (sid, sa))
        ike_pkt(g + ms(2), sid, sa, 'out', port + 1, spi_i, spi_r, 2, 'IKE_AUTH', 'EAP')
        line(g + ms(3), 'IKEv2-ERROR:(SESSION ID = %d,SA ID = %d):: Auth exchange failed' % (sid, sa))
        line(g + ms(4), 'IKEv2:(SESSION ID = %d,SA ID = %d):Deleting SA' % (sid, sa))
        continue
    name = {2: 'Access-Accept', 3: 'Access-Reject'}[acode]
    rt = at + ms(2)
    rsp = response(acode, L['id'], auth_of(user), REPLY.get(acode))
    line(rt, 'RADIUS: Received from id 1645/%d %s:1812, %s, len %d' % (L['id'], PROXY, name, len(rsp)))
    out.append('RADIUS:  authenticator %s' % hexa(rsp[4:20]))
    if acode in REPLY:
        out.append('RADIUS:  Reply-Message       [18]  %-3d "%s"' % (len(REPLY[acode]) + 2, REPLY[acode]))
    line(rt, 'RADIUS(%08X): Received from id 1645/%d' % (a, L['id']))
    line(rt + ms(1), 'IKEv2:(SESSION ID = %d,SA ID = %d):[AAA -> IKEv2] Received AAA reply' % (sid, sa))
    if acode == 3:
        ike_pkt(rt + ms(2), sid, sa, 'out', port + 1, spi_i, spi_r, 2, 'IKE_AUTH', 'EAP')
        line(rt + ms(3), 'IKEv2-ERROR:(SESSION ID = %d,SA ID = %d):: Auth exchange failed' % (sid, sa))
        line(rt + ms(4), 'IKEv2:(SESSION ID = %d,SA ID = %d):Deleting SA' % (sid, sa))
        continue
    ike_pkt(rt + ms(2), sid, sa, 'out', port + 1, spi_i, spi_r, 2, 'IKE_AUTH', 'EAP')
    ike_pkt(rt + ms(60), sid, sa, 'in', port + 1, spi_i, spi_r, 3, 'IKE_AUTH', 'AUTH')
    line(rt + ms(61), "IKEv2:(SESSION ID = %d,SA ID = %d):Verification of peer's authentication data PASSED" % (sid, sa))
    line(rt + ms(63), 'IKEv2:(SESSION ID = %d,SA ID = %d):Attrib type: ipv4-addr, length: 4, data: 192.168.13.5' % (sid, sa))
    ike_pkt(rt + ms(65), sid, sa, 'out', port + 1, spi_i, spi_r, 3, 'IKE_AUTH',
            'AUTH CFG SA TSi TSr NOTIFY(SET_WINDOW_SIZE) NOTIFY(ESP_TFC_NO_SUPPORT) NOTIFY(NON_FIRST_FRAGS)')
    line(rt + ms(66), 'IKEv2:(SESSION ID = %d,SA ID = %d):IKEV2 SA created; inserting SA into database. SA lifetime timer (86400 sec) started' % (sid, sa))
    line(rt + ms(66), 'IKEv2:(SESSION ID = %d,SA ID = %d):Session with IKE ID PAIR (cisco.com, %s) is UP' % (sid, sa, NAS))
    line(rt + ms(69), '%%CRYPTO-5-IKEV2_SESSION_STATUS: Crypto tunnel v2 is UP.  Peer %s:%d       Id: cisco.com' % (CLIENT, port + 1))
with open(os.path.join(D, 'router-debug.txt'), 'w') as f:
    f.write('\n'.join(out) + '\n')

# ---- show output after sadks connected (no time) ----
spi_i, spi_r = SPIS['sadks']
show = '''R1#show crypto ikev2 sa detailed
 IPv4 Crypto IKEv2  SA

Tunnel-id Local                 Remote                fvrf/ivrf            Status
1         {nas}/4500    {cl}/54199   none/none            READY
      Encr: AES-CBC, keysize: 256, PRF: SHA384, Hash: SHA384, DH Grp:19, Auth sign: RSA, Auth verify: AnyConnect-EAP
      Life/Active Time: 86400/147 sec
      CE id: 1108, Session-id: 15
      Status Description: Negotiation done
      Local spi: {r}       Remote spi: {i}
      Local id: {nas}
      Remote id: cisco.com
      Remote EAP id: sadks
      Local req msg id:  0              Remote req msg id:  10
      Local next msg id: 0              Remote next msg id: 10
      Local req queued:  0              Remote req queued:  10
      Local window:      5              Remote window:      1
      DPD configured for 60 seconds, retry 2
      Fragmentation not  configured.
      Dynamic Route Update: disabled
      Extended Authentication not configured.
      NAT-T is detected  outside
      Cisco Trust Security SGT is disabled
      Assigned host addr: 192.168.13.5
      Initiator of SA : No

R1#show crypto session detail
Crypto session current status

Code: C - IKE Configuration mode, D - Dead Peer Detection
K - Keepalives, N - NAT-traversal, T - cTCP encapsulation
X - IKE Extended Authentication, F - IKE Fragmentation
R - IKE Auto Reconnect, U - IKE Dynamic Route Update
S - SIP VPN

Interface: Virtual-Access2
Profile: FlexVPN-ikev2_Profile
Uptime: 00:02:27
Session status: UP-ACTIVE
Peer: {cl} port 54199 fvrf: (none) ivrf: (none)
      Phase1_id: cisco.com
      Desc: (none)
  Session ID: 114
  IKEv2 SA: local {nas}/4500 remote {cl}/54199 Active
          Capabilities:DN connid:1 lifetime:23:57:33
  IPSEC FLOW: permit ip 0.0.0.0/0.0.0.0 host 192.168.13.5
        Active SAs: 2, origin: crypto map
        Inbound:  #pkts dec'ed 193 drop 0 life (KB/Sec) 4607942/3452
        Outbound: #pkts enc'ed 88 drop 0 life (KB/Sec) 4607990/3452

R1#
'''.format(nas=NAS, cl=CLIENT, r=spi_r, i=spi_i)
with open(os.path.join(D, 'router-show.txt'), 'w') as f:
    f.write(show)
print('ok')
