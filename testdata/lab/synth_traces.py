#!/usr/bin/env python3
"""Build the synthetic IKEv2 trace captures under testdata/traces/ike-*/.

Each case is a small pcap of one client (198.51.100.7) and one headend
(203.0.113.1) speaking IKEv2 on UDP 500, with the IKE_AUTH payloads
encrypted (AES-CBC-128 + HMAC-SHA1-96, RFC 7296 3.14) under fixed test keys
that are written beside it as a Wireshark ikev2_decryption_table
(input/keys.ike-keys, passed with --ike-keys through the case's args file).
Only the stdlib and the openssl command line are needed:

    python3 testdata/lab/synth_traces.py testdata/traces

The lab captures from strongSwan (testdata/lab/run.sh) are the real thing;
these pin down each rule with a minimal, readable exchange.
"""
import hashlib, hmac, os, struct, subprocess, sys

SPI_I, SPI_R = 0x1122334455667788, 0x99aabbccddeeff00
SK_EI = bytes(range(16)); SK_ER = bytes(range(16, 32))
SK_AI = bytes(range(32, 52)); SK_AR = bytes(range(52, 72))
CLIENT, HEADEND = (198, 51, 100, 7), (203, 0, 113, 1)

def keys_row():
    return ('%016x,%016x,%s,%s,"AES-CBC-128 [RFC3602]",%s,%s,"HMAC_SHA1_96 [RFC2404]"\n'
            % (SPI_I, SPI_R, SK_EI.hex(), SK_ER.hex(), SK_AI.hex(), SK_AR.hex()))

def pl(np, body, crit=0):
    return struct.pack('!BBH', np, crit, 4 + len(body)) + body

def hdr(np, exch, flags, msgid, length, rspi=SPI_R):
    return struct.pack('!QQBBBBII', SPI_I, rspi, np, 0x20, exch, flags, msgid, length)

def cbc(key, iv, data):
    return subprocess.run(['openssl', 'enc', '-aes-128-cbc', '-nopad', '-K', key.hex(), '-iv', iv.hex()],
                          input=data, capture_output=True, check=True).stdout

def sk_message(exch, flags, msgid, first_np, inner, seq):
    """An IKE message whose only payload is SK{inner}."""
    from_init = bool(flags & 0x08)
    ke, ka = (SK_EI, SK_AI) if from_init else (SK_ER, SK_AR)
    pad = (16 - (len(inner) + 1) % 16) % 16
    plain = inner + bytes(pad) + bytes([pad])
    iv = hashlib.sha256(b'iv%d' % seq).digest()[:16]
    ct = cbc(ke, iv, plain)
    body_len = 4 + 16 + len(ct) + 12
    h = hdr(46, exch, flags, msgid, 28 + body_len)
    msg = h + struct.pack('!BBH', first_np, 0, body_len) + iv + ct
    return msg + hmac.new(ka, msg, hashlib.sha1).digest()[:12]

def sa_init(flags, msgid=0, rspi=0, notify=None):
    prop = struct.pack('!BBBB', 1, 1, 0, 4)
    tfs = [(1, 12, b'\x80\x0e\x00\x80'), (2, 2, b''), (3, 2, b''), (4, 14, b'')]
    tbody = b''
    for i, (t, tid, attr) in enumerate(tfs):
        tbody += pl(3 if i < len(tfs) - 1 else 0, struct.pack('!BBH', t, 0, tid) + attr)
    sa = pl(34, pl(0, prop + tbody))
    ke = pl(40, struct.pack('!HH', 14, 0) + bytes(256))
    nonce = pl(0 if not notify else 41, bytes(32))
    body = sa + ke + nonce
    if notify:
        body += pl(0, struct.pack('!BBH', 0, 0, notify) + b'\x00\x0e')
    return hdr(33, 34, flags, msgid, 28 + len(body), rspi) + body

def notify(np, t, data=b''):
    return pl(np, struct.pack('!BBH', 0, 0, t) + data)

def eap(np, code, ident, typ=None, data=b''):
    e = struct.pack('!BBH', code, ident, 4 + (1 if typ is not None else 0) + len(data))
    if typ is not None:
        e += bytes([typ]) + data
    return pl(np, e)

def idi(np, s):
    return pl(np, struct.pack('!B3x', 2) + s)

def cp_reply(np, addr):
    return pl(np, struct.pack('!B3x', 2) + struct.pack('!HH', 1, 4) + bytes(addr))

def auth(np):
    return pl(np, struct.pack('!B3x', 2) + bytes(20))

def ts(np):
    sel = struct.pack('!BBHHH', 7, 0, 16, 0, 65535) + bytes([0, 0, 0, 0]) + bytes([255] * 4)
    return pl(np, struct.pack('!B3x', 1) + sel)

def csum(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xffff)
    s += s >> 16
    return (~s) & 0xffff

def write_pcap(path, msgs):
    with open(path, 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i, (t, from_client, payload) in enumerate(msgs):
            src, dst = (CLIENT, HEADEND) if from_client else (HEADEND, CLIENT)
            udp = struct.pack('!HHHH', 500, 500, 8 + len(payload), 0) + payload
            ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(udp), i + 1, 0, 64, 17, 0, bytes(src), bytes(dst))
            ip = ip[:10] + struct.pack('!H', csum(ip)) + ip[12:]
            fr = b'\x02\0\0\0\0\x02\x02\0\0\0\0\x01\x08\x00' + ip + udp
            sec = 1700000000 + int(t)
            usec = int(round((t - int(t)) * 1e6))
            f.write(struct.pack('<IIII', sec, usec, len(fr), len(fr)) + fr)

class Conv:
    def __init__(self):
        self.m, self.t, self.seq = [], 0.0, 0
    def add(self, dt, from_client, payload):
        self.t += dt
        self.m.append((self.t, from_client, payload))
    def sk(self, dt, exch, from_client, msgid, first_np, inner):
        self.seq += 1
        flags = 0x08 if from_client else 0x20
        self.add(dt, from_client, sk_message(exch, flags, msgid, first_np, inner, self.seq))
    def init(self):
        self.add(0, True, sa_init(0x08))
        self.add(0.02, False, sa_init(0x20, rspi=SPI_R))
        # IKE_AUTH 1: IDi, no AUTH (EAP), SA, TSi, TSr, CP request
        self.sk(0.05, 35, True, 1, 35, idi(33, b'*$AnyConnectClient$*') + pl(44, pl(0, struct.pack('!BBBB', 1, 3, 4, 1) + b'\x01\x02\x03\x04' + pl(0, struct.pack('!BBH', 1, 0, 12) + b'\x80\x0e\x00\x80'))) + ts(45) + ts(47) + pl(0, struct.pack('!B3x', 1) + struct.pack('!HH', 1, 0)))
        # response: IDr, AUTH, EAP Identity request
        self.sk(0.03, 35, False, 1, 36, pl(39, struct.pack('!B3x', 2) + b'vpn.example.net') + auth(48) + eap(0, 1, 1, 1))
    def eap_login(self, user, final):
        self.sk(1.0, 35, True, 2, 48, eap(0, 2, 1, 1, user))
        self.sk(0.2, 35, False, 2, 48, eap(0, 1, 2, 4, bytes([16]) + bytes(16)))
        self.sk(2.0, 35, True, 3, 48, eap(0, 2, 2, 4, bytes([16]) + bytes(range(16))))
        self.sk(0.3, 35, False, 3, 48, final)

def case(d, msgs, expect, args, keys=True):
    os.makedirs(os.path.join(d, 'input'), exist_ok=True)
    write_pcap(os.path.join(d, 'input', 'ike.pcap'), msgs)
    if keys:
        with open(os.path.join(d, 'input', 'keys.ike-keys'), 'w') as f:
            f.write(keys_row())
    with open(os.path.join(d, 'expect'), 'w') as f:
        f.write(expect)
    with open(os.path.join(d, 'args'), 'w') as f:
        f.write(args)

def main(root):
    K = '--ike-keys input/keys.ike-keys'
    # EAP-Failure after the MD5 round
    c = Conv(); c.init(); c.eap_login(b'alice', eap(0, 4, 2))
    case(os.path.join(root, 'ike-eap-failure'), c.m,
         '# synthetic: EAP-MD5 for alice ends in EAP-Failure (AES-CBC/SHA1 keys given)\n'
         'ike-eap-failure    alice   1\nike-auth-failed    *       0\nike-keys-missing   *       0\n', K)
    # the same capture without keys: nothing about EAP can be seen
    case(os.path.join(root, 'ike-eap-failure-nokeys'), c.m,
         '# synthetic: the ike-eap-failure capture without --ike-keys\n'
         'ike-eap-failure    *       0\nike-keys-missing   *       1\n', '', keys=False)
    # EAP success, then AUTH + N(INTERNAL_ADDRESS_FAILURE)
    c = Conv(); c.init(); c.eap_login(b'bob', eap(0, 3, 2))
    c.sk(0.1, 35, True, 4, 39, auth(0))
    c.sk(0.1, 35, False, 4, 39, auth(41) + notify(0, 36))
    case(os.path.join(root, 'ike-pool-exhausted'), c.m,
         '# synthetic: EAP succeeds for bob, the headend has no address left\n'
         'ike-pool-exhausted bob     1\nike-eap-failure    *       0\n', K)
    # EAP success, AUTH, CP address, and TS_UNACCEPTABLE for the child SA
    c = Conv(); c.init(); c.eap_login(b'carol', eap(0, 3, 2))
    c.sk(0.1, 35, True, 4, 39, auth(0))
    c.sk(0.1, 35, False, 4, 39, auth(47) + cp_reply(41, (10, 8, 0, 5)) + notify(0, 38))
    case(os.path.join(root, 'ike-ts-unacceptable'), c.m,
         '# synthetic: carol logs in, gets 10.8.0.5, the child SA selectors are refused\n'
         'ike-ts-unacceptable carol  1\nike-pool-exhausted *       0\n', K)
    # AUTHENTICATION_FAILED in the first IKE_AUTH response (PSK mismatch)
    c = Conv()
    c.add(0, True, sa_init(0x08)); c.add(0.02, False, sa_init(0x20, rspi=SPI_R))
    c.sk(0.05, 35, True, 1, 35, pl(39, struct.pack('!B3x', 3) + b'dave@example.net') + auth(0))
    c.sk(0.03, 35, False, 1, 41, notify(0, 24))
    case(os.path.join(root, 'ike-auth-failed'), c.m,
         '# synthetic: the headend answers IKE_AUTH with AUTHENTICATION_FAILED\n'
         'ike-auth-failed    dave@example.net 1\n', K)
    # the EAP round never answered: the headend waits on AAA
    c = Conv(); c.init()
    for dt in (1.0, 2.0, 4.0, 8.0, 16.0):
        c.seq -= 0 if dt == 1.0 else 1      # the same bytes are retransmitted
        c.sk(dt, 35, True, 2, 48, eap(0, 2, 1, 1, b'erin'))
    case(os.path.join(root, 'ike-aaa-timeout'), c.m,
         '# synthetic: erin\'s EAP identity is retransmitted and never answered\n'
         'ike-aaa-timeout    erin    1\nike-no-response    *       0\n', K)
    # IKE_SA_INIT retransmitted and never answered
    c = Conv()
    for dt in (0, 2.0, 4.0, 8.0):
        c.add(dt, True, sa_init(0x08))
    case(os.path.join(root, 'ike-no-response'), c.m,
         '# synthetic: the headend never answers IKE_SA_INIT\n'
         'ike-no-response    -       1\n', '', keys=False)

if __name__ == '__main__':
    main(sys.argv[1] if len(sys.argv) > 1 else 'testdata/traces')
