#!/usr/bin/env python3
"""Realistic Duo Authentication Proxy authproxy.log, for the bench and for
building test inputs.

    gen_authproxy.py [--lines N] [--logins M] [--seed S] [--debug] [--crlf]
                     [--era A|B|C] > authproxy.log

Writes about N lines (default 1,000,000) holding M logins (default 40,000)
of every outcome, interleaved with directory-sync noise the way a real
5.x proxy writes it (noise is most of a real log). Logins overlap in time
like real traffic. Deterministic for a given seed. Message texts follow the
Duo format notes (lib/radius/server.py, client.py, duo_server.py); the
scenario mix is in MIX below.

As a module, Log and the scenario functions build small hand-made cases.
"""
import argparse
import datetime as dt
import random
import sys

SYS = "duoauthproxy.lib.log#info"
SYS_HTTP = "duoauthproxy.lib.http._DuoHTTPClientFactory#info"
SYS_SYNC = "duoauthproxy.modules.drpc_plugins.ldap_directory_sync.LdapSyncClientFactory#info"
API = "api-1a2b3c4d.duosecurity.com"
NPS = "10.20.0.5"


class Log:
    """Lines with stamps in one era; events are queued by time so that
    overlapping logins interleave as a single-threaded Twisted proxy logs
    them (file order = time order, stamps may repeat)."""

    def __init__(self, start, tz="+0530", era="C", debug=False):
        self.t0 = start
        self.tz = tz
        self.era = era
        self.debug = debug
        self.q = []          # (time, seq, system, message)
        self.seq = 0

    def stamp(self, t):
        if self.era == "C":
            return t.strftime("%Y-%m-%dT%H:%M:%S.%f") + self.tz
        if self.era == "B":
            return t.strftime("%Y-%m-%dT%H:%M:%S") + self.tz
        return t.strftime("%Y-%m-%d %H:%M:%S")

    def at(self, t, msg, system=SYS):
        self.seq += 1
        self.q.append((t, self.seq, system, msg))

    def render(self, crlf=False):
        self.q.sort(key=lambda x: (x[0], x[1]))
        nl = "\r\n" if crlf else "\n"
        out = []
        for t, _, system, msg in self.q:
            # continuation lines (tracebacks) start with a TAB
            out.append(self.stamp(t) + " [" + system + "] " + msg.replace("\n", nl + "\t") + nl)
        return "".join(out)


def ms(x):
    return dt.timedelta(milliseconds=x)


def px(nas, port, user, rid):
    return "(('%s', %d), %s, %d): " % (nas, port, user, rid)


def dump(L, t, direction, peer, rnd):
    if L.debug:
        L.at(t, "Packet dump - %s %s:" % (direction, peer))
        payload = "".join("\\x%02x" % rnd.randrange(256) for _ in range(rnd.randrange(20, 60)))
        L.at(t, "b'" + payload + "'")


def received(L, t, nas, port, rid, rnd):
    L.at(t, "Sending request from %s to radius_server_auto" % nas)
    L.at(t, "Received new request id %d from ('%s', %d)" % (rid, nas, port))
    dump(L, t, "received from", nas, rnd)


def post(L, t, path, user, factor=None):
    if L.debug:
        body = "ipaddr=198.51.100.23&user=%s" % user
        if factor:
            body = "factor=%s&async=0&%s" % (factor, body)
        L.at(t, "http POST to https://%s:443/rest/v1/%s: %s" % (API, path, body))
    else:
        L.at(t, "http POST to https://%s:443/rest/v1/%s" % (API, path))
    L.at(t, "Starting factory <_DuoHTTPClientFactory: b'https://%s:443/rest/v1/%s'>" % (API, path), SYS_HTTP)


def primary(L, t, nas, port, user, rid, oid, code, rnd, lat=90, reply=None):
    """The proxy's request to the primary (PAP or MS-CHAPv2 to NPS/ISE)."""
    L.at(t, px(nas, port, user, rid) + "login attempt for username '%s'" % user)
    L.at(t, "Sending request for user '%s' to ('%s', 1812) with id %d" % (user, NPS, oid))
    dump(L, t, "sent to", NPS, rnd)
    t = t + ms(lat)
    L.at(t, "Got response for id %d from ('%s', 1812); code %d" % (oid, NPS, code))
    if code == 3:
        L.at(t, px(nas, port, user, rid) + "Primary credentials rejected - %s" %
             (reply or "No reply message in packet"))
        L.at(t, px(nas, port, user, rid) + "Returning response code 3: AccessReject")
        L.at(t, px(nas, port, user, rid) + "Sending response")
    return t


def answer(L, t, nas, port, user, rid, code):
    name = {2: "AccessAccept", 3: "AccessReject", 11: "AccessChallenge"}[code]
    L.at(t, px(nas, port, user, rid) + "Returning response code %d: %s" % (code, name))
    L.at(t, px(nas, port, user, rid) + "Sending response")


# ---- scenarios: (L, t, nas, port, user, rid, oid, rnd) -> end time ----

def s_accept(L, t, nas, port, user, rid, oid, rnd, push=None, dups=(), result=("allow", "Success. Logging you in...")):
    received(L, t, nas, port, rid, rnd)
    t = primary(L, t, nas, port, user, rid, oid, 2, rnd, lat=rnd.randrange(40, 400))
    post(L, t, "preauth", user)
    t2 = t + ms(rnd.randrange(150, 1600))
    L.at(t2, px(nas, port, user, rid) + "Got preauth result for: 'auth'")
    post(L, t2, "auth", user, "auto")
    L.at(t2, "Stopping factory <_DuoHTTPClientFactory: b'https://%s:443/rest/v1/preauth'>" % API, SYS_HTTP)
    push = push if push is not None else rnd.randrange(3000, 14000)
    for d in dups:
        L.at(t2 + ms(d), px(nas, port, user, rid) + "Received duplicate request")
    t3 = t2 + ms(push)
    L.at(t3, px(nas, port, user, rid) + "Duo authentication returned '%s': '%s'" % result)
    answer(L, t3, nas, port, user, rid, 2 if result[0] == "allow" else 3)
    L.at(t3, "Stopping factory <_DuoHTTPClientFactory: b'https://%s:443/rest/v1/auth'>" % API, SYS_HTTP)
    return t3


def s_reject(L, t, nas, port, user, rid, oid, rnd):
    received(L, t, nas, port, rid, rnd)
    return primary(L, t, nas, port, user, rid, oid, 3, rnd, lat=rnd.randrange(40, 400))


def s_push_timeout(L, t, nas, port, user, rid, oid, rnd):
    # the NAS re-sends every 10 s, then the push times out at 60 s
    return s_accept(L, t, nas, port, user, rid, oid, rnd, push=60000 + rnd.randrange(0, 900),
                    dups=(10000, 20000), result=("deny", "Login timed out."))


def s_deny(L, t, nas, port, user, rid, oid, rnd):
    return s_accept(L, t, nas, port, user, rid, oid, rnd, result=("deny", "Login request denied."))


def s_preauth(L, t, nas, port, user, rid, oid, rnd, result="allow"):
    received(L, t, nas, port, rid, rnd)
    t = primary(L, t, nas, port, user, rid, oid, 2, rnd, lat=rnd.randrange(40, 400))
    post(L, t, "preauth", user)
    t2 = t + ms(rnd.randrange(150, 900))
    L.at(t2, px(nas, port, user, rid) + "Got preauth result for: '%s'" % result)
    answer(L, t2, nas, port, user, rid, 2 if result == "allow" else 3)
    return t2


def s_enroll(L, t, nas, port, user, rid, oid, rnd):
    return s_preauth(L, t, nas, port, user, rid, oid, rnd, "enroll")


def s_primary_timeout(L, t, nas, port, user, rid, oid, rnd):
    received(L, t, nas, port, rid, rnd)
    L.at(t, px(nas, port, user, rid) + "login attempt for username '%s'" % user)
    L.at(t, "Sending request for user '%s' to ('%s', 1812) with id %d" % (user, NPS, oid))
    t2 = t + ms(8000)
    L.at(t2, "Request timeout for (outgoing) id %d to ('%s', 1812)" % (oid, NPS))
    L.at(t2, px(nas, port, user, rid) + "Error performing primary authentication: RADIUS auth request timed out")
    answer(L, t2, nas, port, user, rid, 3)
    return t2


def s_failmode_safe(L, t, nas, port, user, rid, oid, rnd):
    received(L, t, nas, port, rid, rnd)
    t = primary(L, t, nas, port, user, rid, oid, 2, rnd)
    post(L, t, "preauth", user)
    t2 = t + ms(5000)
    L.at(t2, "Duo preauth call failed\nTraceback (most recent call last):\n"
         "  File \"duoauthproxy/lib/duo_async.py\", line 278, in call\n"
         "duoauthproxy.lib.duo_async.DuoAPIFailOpenError: API Request Failed: "
         "DNSLookupError('%s')" % API, "duoauthproxy.lib.log#critical")
    L.at(t2, px(nas, port, user, rid) + "Failmode Safe - Allowed Duo login on preauth failure")
    answer(L, t2, nas, port, user, rid, 2)
    return t2


def s_decode(L, t, nas, port, user, rid, oid, rnd):
    received(L, t, nas, port, rid, rnd)
    L.at(t, px(nas, port, user, rid) + "Cannot decode password using the configured radius_secret. "
         "Please ensure the client and Authentication Proxy use the same shared secret.")
    answer(L, t, nas, port, user, rid, 3)
    return t


def s_duplicate_push(L, t, nas, port, user, rid, oid, rnd):
    # the NAS gives up after 12 s and retries with a new id and port
    s_accept(L, t, nas, port, user, rid, oid, rnd, push=25000)
    return s_accept(L, t + ms(12000), nas, port + 1, user, (rid + 1) % 256, (oid + 1) % 256, rnd,
                    push=9000)


def s_eap(L, t, nas, port, user, rid, oid, rnd):
    # EAP passthrough to ISE: a challenge round, then the accept and the push
    received(L, t, nas, port, rid, rnd)
    L.at(t, px(nas, port, user, rid) + "login attempt for username '%s'" % user)
    L.at(t, "Sending proxied request for id %d to ('%s', 1812) with id %d" % (rid, NPS, oid))
    t += ms(60)
    L.at(t, "Got response for id %d from ('%s', 1812); code 11" % (oid, NPS))
    answer(L, t, nas, port, user, rid, 11)
    t += ms(400)
    rid2, oid2 = (rid + 1) % 256, (oid + 1) % 256
    received(L, t, nas, port, rid2, rnd)
    L.at(t, px(nas, port, user, rid2) + "login attempt for username '%s'" % user)
    L.at(t, "Sending proxied request for id %d to ('%s', 1812) with id %d" % (rid2, NPS, oid2))
    t += ms(70)
    L.at(t, "Got response for id %d from ('%s', 1812); code 2" % (oid2, NPS))
    post(L, t, "preauth", user)
    t += ms(700)
    L.at(t, px(nas, port, user, rid2) + "Got preauth result for: 'auth'")
    post(L, t, "auth", user, "auto")
    t += ms(rnd.randrange(3000, 12000))
    L.at(t, px(nas, port, user, rid2) + "Duo authentication returned 'allow': 'Success. Logging you in...'")
    answer(L, t, nas, port, user, rid2, 2)
    return t


def s_unknown_client(L, t, nas, port, user, rid, oid, rnd):
    for k in range(3):
        L.at(t + ms(5000 * k), "dropping packet from 10.99.0.%d:%d - Unknown Client: 10.99.0.%d"
             % (rid % 250 + 1, port, rid % 250 + 1))
    return t + ms(10000)


MIX = [  # (weight, scenario)
    (60, s_accept), (10, s_reject), (5, s_push_timeout), (4, s_deny), (3, s_preauth),
    (2, s_enroll), (3, s_primary_timeout), (2, s_failmode_safe), (2, s_decode),
    (2, s_duplicate_push), (6, s_eap), (1, s_unknown_client),
]

SYNC = [
    "Summary: drpc_timing. ldap_sync.search_users: count=%d avg=0.%04d max=0.%04d",
    "Summary: drpc_jsonify_metrics. count=%d total_bytes=%d",
    "Summary: drpc_msg_metrics. received=%d sent=%d errors=0",
    "Returning list of configured directory syncs. []",
]


def noise(L, t, rnd):
    k = rnd.randrange(6)
    if k < 4:
        msg = SYNC[k]
        n = msg.count("%")
        L.at(t, msg % tuple(rnd.randrange(1, 9999) for _ in range(n)))
    elif k == 4:
        L.at(t, "Starting factory <LdapSyncClientFactory: b'ldaps://dc1.corp.example:636'>", SYS_SYNC)
    else:
        L.at(t, "Stopping factory <LdapSyncClientFactory: b'ldaps://dc1.corp.example:636'>", SYS_SYNC)


def generate(lines, logins, seed, debug=False, era="C"):
    rnd = random.Random(seed)
    L = Log(dt.datetime(2024, 3, 4, 8, 0, 0), era=era, debug=debug)
    weights = [w for w, _ in MIX]
    funcs = [f for _, f in MIX]
    t = L.t0
    nases = ["10.106.54.%d" % i for i in range(140, 148)]
    next_port = {n: 1645 for n in nases}
    rid = {n: 0 for n in nases}
    oid = 0
    for i in range(logins):
        t += ms(rnd.randrange(200, 2500))
        nas = rnd.choice(nases)
        rid[nas] = (rid[nas] + 2) % 256
        oid = (oid + 2) % 256
        port = next_port[nas]
        user = "user%05d" % rnd.randrange(20000)
        f = rnd.choices(funcs, weights)[0]
        f(L, t, nas, port, user, rid[nas], oid, rnd)
    # noise up to the line budget, spread over the same span
    span = (t - L.t0).total_seconds() + 60
    extra = max(0, lines - len(L.q))
    for _ in range(extra):
        noise(L, L.t0 + dt.timedelta(seconds=rnd.random() * span), rnd)
    return L


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--lines", type=int, default=1000000)
    ap.add_argument("--logins", type=int, default=40000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--debug", action="store_true", help="packet dumps and HTTP bodies")
    ap.add_argument("--crlf", action="store_true")
    ap.add_argument("--era", default="C", choices="ABC")
    a = ap.parse_args()
    L = generate(a.lines, a.logins, a.seed, a.debug, a.era)
    sys.stdout.write(L.render(a.crlf))


if __name__ == "__main__":
    main()
