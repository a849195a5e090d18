#!/usr/bin/env python3
"""Print one login in authproxy.log form, stamped now (for the live tests).

    live_login.py USER ID accept|reject|push [NAS] [--at EPOCH]

accept: primary accept, Duo push approved after 0.4 s; reject: the primary
rejects; push: the push is sent and no answer is written (the login stays
pending). Stamps are UTC (+0000) starting at --at (default: now).
"""
import sys
import time

args = [a for a in sys.argv[1:] if not a.startswith("--at")]
at = time.time()
for a in sys.argv[1:]:
    if a.startswith("--at="):
        at = float(a[5:])
user, rid, kind = args[0], int(args[1]), args[2]
nas = args[3] if len(args) > 3 else "10.106.54.143"
S = "[duoauthproxy.lib.log#info]"
tag = "(('%s', 1645), %s, %d)" % (nas, user, rid)
oid = (rid * 7 + 3) % 256
lines = [
    (0.000, "Received new request id %d from ('%s', 1645)" % (rid, nas)),
    (0.000, "%s: login attempt for username '%s'" % (tag, user)),
    (0.001, "Sending request for user '%s' to ('10.20.0.5', 1812) with id %d" % (user, oid)),
]
if kind == "reject":
    lines += [
        (0.090, "Got response for id %d from ('10.20.0.5', 1812); code 3" % oid),
        (0.090, "%s: Primary credentials rejected - No reply message in packet" % tag),
        (0.090, "%s: Returning response code 3: AccessReject" % tag),
        (0.090, "%s: Sending response" % tag),
    ]
else:
    lines += [
        (0.090, "Got response for id %d from ('10.20.0.5', 1812); code 2" % oid),
        (0.090, "http POST to https://api-1a2b3c4d.duosecurity.com:443/rest/v1/preauth"),
        (0.200, "%s: Got preauth result for: 'auth'" % tag),
        (0.200, "http POST to https://api-1a2b3c4d.duosecurity.com:443/rest/v1/auth"),
    ]
    if kind == "accept":
        lines += [
            (0.600, "%s: Duo authentication returned 'allow': 'Success. Logging you in...'" % tag),
            (0.600, "%s: Returning response code 2: AccessAccept" % tag),
            (0.600, "%s: Sending response" % tag),
        ]
out = []
for off, msg in lines:
    t = at + off
    st = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + ".%06d+0000" % int((t % 1) * 1e6)
    out.append("%s %s %s\n" % (st, S, msg))
sys.stdout.write("".join(out))
