#!/usr/bin/env python3
"""Builds the testdata/traces/duo-* cases: one authproxy.log per proxy rule
of spec/rules.md (the scenario library of gen_authproxy.py plus hand-made
lines for the rarer families) and an expect file that says the rule fires
on its evidence, for its user, and that no other proxy rule fires.
Rerun after changing a case; the outputs are committed."""
import datetime as dt
import os
import random
import sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_authproxy as G
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'testdata', 'traces')
ALLP = ['primary-reject','reply-message-missing','primary-timeout','primary-unreachable','secret-mismatch',
        'unknown-client','protocol-mismatch','radius-retransmit','duplicate-push','challenge-state-lost',
        'client-ip-invalid','ad-bind-failed','ad-account-problem','duo-push-timeout','duo-deny','duo-enroll',
        'duo-bypass','duo-api-unreachable','failmode-open','failmode-closed','duo-credentials-invalid',
        'tls-verify-failed']
NAS = '10.106.54.143'

def case(name, comment, build, expect, era='C', crlf=False, debug=False, extra_zero=()):
    rnd = random.Random(sum(name.encode()))
    L = G.Log(dt.datetime(2024, 3, 4, 9, 0, 0), era=era, debug=debug)
    t = L.t0
    for k in range(6):   # sync noise around
        G.noise(L, t + dt.timedelta(seconds=k * 7), rnd)
    build(L, t + dt.timedelta(seconds=2), rnd)
    for k in range(4):
        G.noise(L, t + dt.timedelta(seconds=90 + k * 7), rnd)
    d = os.path.join(ROOT, name)
    os.makedirs(os.path.join(d, 'input'), exist_ok=True)
    with open(os.path.join(d, 'input', 'authproxy.log'), 'w', newline='') as f:
        f.write(L.render(crlf))
    lines = ['# ' + c for c in comment.strip().split('\n')]
    named = set()
    for rule, user, count in expect:
        lines.append('%-24s %-10s %s' % (rule, user, count))
        named.add(rule)
    for r in ALLP:
        if r not in named:
            lines.append('%-24s %-10s %s' % (r, '*', 0))
    with open(os.path.join(d, 'expect'), 'w') as f:
        f.write('\n'.join(lines) + '\n')

def at(L, t, s, msg, system=G.SYS):
    L.at(t + dt.timedelta(milliseconds=s), msg, system)

P = lambda user, rid, port=1645: G.px(NAS, port, user, rid)

# 1 primary reject without Reply-Message (NPS)
case('duo-primary-reject-no-reply', '''
The primary (NPS) rejects bob without a Reply-Message: primary-reject and
reply-message-missing, nothing else.''',
     lambda L, t, r: G.s_reject(L, t, NAS, 1645, 'bob', 26, 18, r),
     [('primary-reject', 'bob', 1), ('reply-message-missing', 'bob', 1)])

# 2 primary reject with a Reply-Message
case('duo-primary-reject-with-reason', '''
The primary rejects with a reason in its Reply-Message: primary-reject
only (the user sees why).''',
     lambda L, t, r: (G.received(L, t, NAS, 1645, 30, r),
                      G.primary(L, t, NAS, 1645, 'carol', 30, 40, 3, r, reply='Your password has expired')),
     [('primary-reject', 'carol', 1)])

# 3 primary timeout
case('duo-primary-timeout', '''
The primary never answers: primary-timeout (not primary-reject, though
the proxy answers the NAS with a reject).''',
     lambda L, t, r: G.s_primary_timeout(L, t, NAS, 1645, 'dave', 31, 41, r),
     [('primary-timeout', 'dave', 1)])

# 4 primary unreachable (ad_client)
def b_unreach(L, t, r):
    G.received(L, t, NAS, 1645, 32, r)
    at(L, t, 0, P('erin', 32) + "login attempt for username 'erin'")
    at(L, t, 0, "Sending AD authentication request for 'erin' to 'dc1.corp.example'")
    at(L, t, 10000, "AD Connection failed: [Failure instance: Traceback (failure with no frames): <class 'twisted.internet.error.TCPTimedOutError'>: TCP connection timed out: 110: Connection timed out.]")
    at(L, t, 10000, "Error sending AD auth request to 'dc1.corp.example'. Trying next fallback host...")
    at(L, t, 10000, "Sending AD authentication request for 'erin' to 'dc2.corp.example'")
    at(L, t, 20000, "AD Connection failed: [Failure instance: Traceback (failure with no frames): <class 'twisted.internet.error.ConnectionRefusedError'>: Connection was refused by other side: 111: Connection refused.]")
    at(L, t, 20000, "No remaining AD fallback hosts; returning authentication failure...")
    at(L, t, 20000, P('erin', 32) + "Primary credentials rejected - Failed to communicate with any Active Directory server")
    at(L, t, 20000, P('erin', 32) + "Returning response code 3: AccessReject")
case('duo-primary-unreachable', '''
ad_client: both domain controllers fail to connect: primary-unreachable,
not primary-reject.''', b_unreach, [('primary-unreachable', 'erin', 1)])

# 5a secret mismatch NAS side (3 users -> also widespread-failure, not ours to assert)
def b_decode(L, t, r):
    G.s_decode(L, t, NAS, 1645, 'frank', 33, 0, r)
case('duo-secret-mismatch-nas', '''
The NAS and the proxy disagree on radius_secret: "Cannot decode password"
and an AccessReject. secret-mismatch only: no primary-reject, no
reply-message-missing.''', b_decode, [('secret-mismatch', 'frank', 1)])

# 5b secret mismatch proxy<->primary: invalid authenticator then timeout
def b_srvsecret(L, t, r):
    G.received(L, t, NAS, 1645, 34, r)
    at(L, t, 0, P('gina', 34) + "login attempt for username 'gina'")
    at(L, t, 0, "Sending request for user 'gina' to ('%s', 1812) with id 50" % G.NPS)
    for k in range(4):
        at(L, t, 40 + 2000 * k, "dropping packet from %s:1812 - response packet has invalid authenticator" % G.NPS)
    at(L, t, 8000, "Request timeout for (outgoing) id 50 to ('%s', 1812)" % G.NPS)
    at(L, t, 8000, P('gina', 34) + "Error performing primary authentication: RADIUS auth request timed out")
    at(L, t, 8000, P('gina', 34) + "Returning response code 3: AccessReject")
case('duo-secret-mismatch-primary', '''
[radius_client] secret differs from NPS: every reply is dropped for a bad
authenticator, then the request times out. secret-mismatch explains the
timeout: primary-timeout is not raised.''', b_srvsecret, [('secret-mismatch', 'gina', 1)])

# 6 unknown client
case('duo-unknown-client', '''
A NAS whose address is in no radius_ip_N: the proxy drops its requests
(no login is logged). unknown-client, once for that address.''',
     lambda L, t, r: G.s_unknown_client(L, t, NAS, 1645, 'x', 7, 0, r),
     [('unknown-client', '-', 1)])

# 7 protocol mismatch
def b_proto(L, t, r):
    G.received(L, t, NAS, 1645, 35, r)
    at(L, t, 0, P('hank', 35) + "Missing or improperly-formatted password")
    at(L, t, 0, P('hank', 35) + "Returning response code 3: AccessReject")
case('duo-protocol-mismatch', '''
The NAS sends MS-CHAPv2 to a radius_server_auto whose path needs PAP:
protocol-mismatch, not primary-reject.''', b_proto, [('protocol-mismatch', 'hank', 1)])

# 8 push timeout after the NAS re-sent
case('duo-push-timeout-retransmit', '''
The push is not answered; meanwhile the NAS re-sent the request twice:
duo-push-timeout and radius-retransmit for the same login.''',
     lambda L, t, r: G.s_push_timeout(L, t, NAS, 1645, 'ivy', 36, 42, r),
     [('duo-push-timeout', 'ivy', 1), ('radius-retransmit', 'ivy', 1)])

# 9 duplicate push
case('duo-duplicate-push', '''
The NAS gives up after 12 s and retries with a new id and port while the
first push waits: two logins, the second raises duplicate-push.''',
     lambda L, t, r: G.s_duplicate_push(L, t, NAS, 1645, 'jack', 38, 44, r),
     [('duplicate-push', 'jack', 1)])

# 10 challenge state lost
def b_chal(L, t, r):
    G.received(L, t, NAS, 1645, 40, r)
    at(L, t, 0, P('kate', 40) + "Response to unknown AccessChallenge! state b'\\x8f\\x12\\xa0'")
    at(L, t, 0, P('kate', 40) + "Returning response code 3: AccessReject")
case('duo-challenge-state-lost', '''
The answer to a challenge reaches a proxy that never issued it (two
proxies behind a load balancer): challenge-state-lost.''', b_chal,
     [('challenge-state-lost', 'kate', 1)])

# 11 client ip invalid (login still succeeds)
def b_ip(L, t, r):
    G.received(L, t, NAS, 1645, 41, r)
    t2 = G.primary(L, t, NAS, 1645, 'liam', 41, 45, 2, r)
    at(L, t2, 0, "Invalid single ip: 199.71.186.246:1194.")
    at(L, t2, 0, "User IP not provided. Authorized Networks policies will not work for this authentication.")
    G.post(L, t2, 'preauth', 'liam')
    at(L, t2, 500, P('liam', 41) + "Got preauth result for: 'auth'")
    G.post(L, t2 + dt.timedelta(milliseconds=500), 'auth', 'liam', 'auto')
    at(L, t2, 6000, P('liam', 41) + "Duo authentication returned 'allow': 'Success. Logging you in...'")
    at(L, t2, 6000, P('liam', 41) + "Returning response code 2: AccessAccept")
case('duo-client-ip-invalid', '''
Calling-Station-Id holds ip:port: client-ip-invalid (a warning; the login
itself succeeds).''', b_ip, [('client-ip-invalid', 'liam', 1)])

# 12 ad bind failed
def b_bind(L, t, r):
    G.received(L, t, NAS, 1645, 42, r)
    at(L, t, 0, P('mia', 42) + "login attempt for username 'mia'")
    at(L, t, 0, "Sending AD authentication request for 'mia' to 'dc1.corp.example'")
    at(L, t, 50, "Initial LDAP bind to AD failed: 'invalidCredentials: 80090308: LdapErr: DSID-0C090439, comment: AcceptSecurityContext error, data 52e, v4563'")
    at(L, t, 50, P('mia', 42) + "Primary credentials rejected - User Authentication Failed")
    at(L, t, 50, P('mia', 42) + "Returning response code 3: AccessReject")
case('duo-ad-bind-failed', '''
The proxy's own service account cannot bind (data 52e: wrong
service_account_password): ad-bind-failed.''', b_bind,
     [('ad-bind-failed', '*', 1), ('primary-reject', 'mia', '0..1')])

# 13 ad account problem
def b_acct(L, t, r):
    G.received(L, t, NAS, 1645, 43, r)
    at(L, t, 0, P('noah', 43) + "login attempt for username 'noah'")
    at(L, t, 0, "Sending AD authentication request for 'noah' to 'dc1.corp.example'")
    at(L, t, 80, "LDAP Authentication Failed: 'invalidCredentials: 80090308: LdapErr: DSID-0C090439, comment: AcceptSecurityContext error, data 775, v4563'")
    at(L, t, 80, P('noah', 43) + "Primary credentials rejected - User Authentication Failed")
    at(L, t, 80, P('noah', 43) + "Returning response code 3: AccessReject")
case('duo-ad-account-locked', '''
AD refuses noah with subcode 775 (locked out): ad-account-problem names
it; primary-reject is superseded.''', b_acct, [('ad-account-problem', 'noah', 1)])

# 14 duo deny (user pressed deny) and preauth deny
def b_deny(L, t, r):
    G.s_deny(L, t, NAS, 1645, 'olga', 44, 46, r)
    G.s_preauth(L, t + dt.timedelta(seconds=30), NAS, 1645, 'pete', 46, 48, r, 'deny')
case('duo-deny', '''
olga presses Deny on the push; pete is denied at preauth (policy): one
duo-deny each, no duo-push-timeout.''', b_deny, [('duo-deny', 'olga', 1), ('duo-deny', 'pete', 1)])

# 15 enroll
case('duo-enroll', '''
quinn is unknown to Duo and the policy requires enrollment: duo-enroll.''',
     lambda L, t, r: G.s_enroll(L, t, NAS, 1645, 'quinn', 48, 50, r),
     [('duo-enroll', 'quinn', 1)])

# 16 bypass
case('duo-bypass', '''
rosa is a bypass user: preauth 'allow', no push. duo-bypass.''',
     lambda L, t, r: G.s_preauth(L, t, NAS, 1645, 'rosa', 50, 52, r, 'allow'),
     [('duo-bypass', 'rosa', 1)])

# 17 failmode open
case('duo-failmode-open', '''
DNS for api_host fails; failmode=safe lets sam in with one factor:
duo-api-unreachable and failmode-open.''',
     lambda L, t, r: G.s_failmode_safe(L, t, NAS, 1645, 'sam', 52, 54, r),
     [('duo-api-unreachable', 'sam', 1), ('failmode-open', 'sam', 1)])

# 18 failmode closed
def b_closed(L, t, r):
    G.received(L, t, NAS, 1645, 54, r)
    t2 = G.primary(L, t, NAS, 1645, 'tina', 54, 56, 2, r)
    G.post(L, t2, 'preauth', 'tina')
    at(L, t2, 30000, "Duo preauth call failed\nTraceback (most recent call last):\n  File \"duoauthproxy/lib/duo_async.py\", line 278, in call\nduoauthproxy.lib.duo_async.DuoAPIFailOpenError: API Request Failed: TCPTimedOutError(110, 'Connection timed out')", "duoauthproxy.lib.log#critical")
    at(L, t2, 30000, P('tina', 54) + "Failmode Secure - Denied Duo login on preauth failure")
    at(L, t2, 30000, P('tina', 54) + "Returning response code 3: AccessReject")
case('duo-failmode-closed', '''
Outbound 443 to Duo is blocked and failmode=secure: failmode-closed; the
API failure itself is part of it (duo-api-unreachable superseded).''', b_closed,
     [('failmode-closed', 'tina', 1)])

# 19 credentials invalid
def b_creds(L, t, r):
    G.received(L, t, NAS, 1645, 56, r)
    t2 = G.primary(L, t, NAS, 1645, 'uma', 56, 58, 2, r)
    G.post(L, t2, 'preauth', 'uma')
    at(L, t2, 300, "Duo preauth call failed\nTraceback (most recent call last):\n  File \"duoauthproxy/lib/duo_async.py\", line 301, in call\nduoauthproxy.lib.duo_async.DuoAPIFailClosedError: 40103: Invalid signature in request credentials", "duoauthproxy.lib.log#critical")
    at(L, t2, 300, P('uma', 56) + "Failmode Secure - Denied Duo login on preauth failure")
    at(L, t2, 300, P('uma', 56) + "Returning response code 3: AccessReject")
case('duo-credentials-invalid', '''
The skey is wrong (40103): duo-credentials-invalid; it fails closed even
with failmode=safe, and failmode-closed is superseded.''', b_creds,
     [('duo-credentials-invalid', 'uma', 1)])

# 20 tls verify failed (era B: 4.x, repr-wrapped log.err)
def b_tls(L, t, r):
    G.received(L, t, NAS, 1645, 58, r)
    t2 = G.primary(L, t, NAS, 1645, 'vic', 58, 60, 2, r)
    G.post(L, t2, 'preauth', 'vic')
    at(L, t2, 200, "'Certificate verification failed: errno 20 depth=1 subject [(b'CN', b'Corp TLS Inspection CA')]'", "HTTPPageGetter (TLSMemoryBIOProtocol),client")
    at(L, t2, 200, "Duo preauth call failed\nTraceback (most recent call last):\nduoauthproxy.lib.duo_async.DuoAPIFailOpenError: API Request Failed: ResponseNeverReceived([<twisted.python.failure.Failure OpenSSL.SSL.Error: [('SSL routines', 'tls_process_server_certificate', 'certificate verify failed')]>])", "-")
    at(L, t2, 200, P('vic', 58) + "Failmode Secure - Denied Duo login on preauth failure")
    at(L, t2, 200, P('vic', 58) + "Returning response code 3: AccessReject")
case('duo-tls-verify-failed', '''
A TLS-inspecting firewall re-signs api_host (4.x proxy, whole-second
stamps): tls-verify-failed; API failure and fail-closed are part of it.''',
     b_tls, [('tls-verify-failed', 'vic', 1)], era='B')

# 21 healthy: accept + EAP accept, nothing fires
def b_ok(L, t, r):
    G.s_accept(L, t, NAS, 1645, 'walt', 60, 62, r)
    G.s_eap(L, t + dt.timedelta(seconds=20), NAS, 1646, 'xena', 62, 64, r)
case('duo-healthy-logins', '''
A PAP login and an EAP (passthrough to ISE) login with pushes, both
approved: no finding at all.''', b_ok, [])
print('ok')

# 22 a debug-on Windows log with a bit of everything
def b_mix(L, t, r):
    s = lambda k: t + dt.timedelta(seconds=k)
    G.s_accept(L, s(0), NAS, 1645, 'walt', 60, 62, r)
    G.s_eap(L, s(20), NAS, 1646, 'xena', 62, 64, r)
    G.s_push_timeout(L, s(40), NAS, 1645, 'ivy', 66, 68, r)
    G.s_reject(L, s(45), NAS, 1645, 'bob', 70, 72, r)
    G.s_failmode_safe(L, s(50), NAS, 1645, 'sam', 74, 76, r)
    G.s_duplicate_push(L, s(120), NAS, 1647, 'jack', 78, 80, r)
    G.s_decode(L, s(130), NAS, 1645, 'frank', 82, 84, r)
    G.s_accept(L, s(200), NAS, 1645, 'walt', 60, 86, r)
case('duo-debug-windows', '''
A debug-on proxy on Windows (CRLF, packet dumps, HTTP bodies, a
traceback): PAP and MS-CHAPv2 via NPS, an EAP login, a push timeout the
NAS re-sent for, a primary reject, Duo unreachable with failmode=safe, a
NAS that retried with a new id (two pushes), a secret mismatch, and walt
again with the same id later. Each finding once, for its user.''', b_mix,
     [('primary-reject', 'bob', 1), ('reply-message-missing', 'bob', 1),
      ('duo-push-timeout', 'ivy', 1), ('radius-retransmit', 'ivy', 1),
      ('duo-api-unreachable', 'sam', 1), ('failmode-open', 'sam', 1),
      ('duplicate-push', 'jack', 1), ('secret-mismatch', 'frank', 1)],
     crlf=True, debug=True)

# The demo bundle's authproxy.log (others add router/capture/config files
# beside it): a good login, a push timeout the NAS gave up on first (it
# re-sent twice, 10 s apart, then went quiet; Duo times out at 60 s), and
# a primary reject without a reason.
def push_timeout_from_request(L, t, nas, port, user, rid, oid, rnd):
    # G.s_push_timeout with the NAS's re-sends 10 s and 20 s after its first
    # request (as a router with `timeout 10` sends them), so the router debug
    # and the capture of testdata/bundles/mk_demo.py agree with this log
    G.received(L, t, nas, port, rid, rnd)
    t1 = G.primary(L, t, nas, port, user, rid, oid, 2, rnd, lat=rnd.randrange(40, 400))
    G.post(L, t1, "preauth", user)
    t2 = t1 + G.ms(rnd.randrange(150, 1600))
    L.at(t2, G.px(nas, port, user, rid) + "Got preauth result for: 'auth'")
    G.post(L, t2, "auth", user, "auto")
    L.at(t2, "Stopping factory <_DuoHTTPClientFactory: b'https://%s:443/rest/v1/preauth'>" % G.API, G.SYS_HTTP)
    push = 60000 + rnd.randrange(0, 900)
    for d in (10000, 20000):
        L.at(t + G.ms(d), G.px(nas, port, user, rid) + "Received duplicate request")
    t3 = t2 + G.ms(push)
    L.at(t3, G.px(nas, port, user, rid) + "Duo authentication returned 'deny': 'Login timed out.'")
    G.answer(L, t3, nas, port, user, rid, 3)
    L.at(t3, "Stopping factory <_DuoHTTPClientFactory: b'https://%s:443/rest/v1/auth'>" % G.API, G.SYS_HTTP)
    return t3

def demo():
    rnd = random.Random(7)
    G.NPS = '10.197.243.116'     # the seed setup's ISE
    L = G.Log(dt.datetime(2022, 2, 8, 23, 24, 40), tz='+0530')
    t = L.t0
    for k in range(40):
        G.noise(L, t + dt.timedelta(seconds=k * 4), rnd)
    s = lambda k: t + dt.timedelta(seconds=k)
    G.s_accept(L, s(10), '10.106.54.143', 1645, 'sadks', 163, 191, rnd, push=7600)
    push_timeout_from_request(L, s(40), '10.106.54.143', 1645, 'amal', 165, 193, rnd)
    G.s_reject(L, s(125), '10.106.54.143', 1645, 'jdoe', 167, 195, rnd)
    d = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'testdata', 'bundles', 'demo')
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, 'authproxy.log'), 'w') as f:
        f.write(L.render())

demo()
