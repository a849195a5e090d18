#!/bin/sh
# Clock estimation end to end: the demo bundle's router debug rewritten as a
# router whose stamps carry no zone (local time, +05:30) and whose clock is
# another 4.4 s fast (7.0 s with the 2.6 s it already has). authscope must
# infer the zone, report the error within 0.5 s, and still join every login
# across the proxy log, the router and the capture.
set -u
A=${AUTHSCOPE:-build/authscope}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
command -v python3 >/dev/null || { echo "SKIP: python3 missing"; exit 77; }
D=testdata/bundles/demo
mkdir "$T/b"
cp "$D/authproxy.log" "$D/proxy.pcap" "$D/router-show.txt" "$T/b/"
python3 - "$D/router-debug.txt" "$T/b/router-debug.txt" <<'PY' || fail "rewrite"
import datetime as dt, re, sys
shift = dt.timedelta(hours=5, minutes=30, seconds=4.4)
rx = re.compile(r'^([A-Z][a-z]{2}) +(\d+) (\d\d:\d\d:\d\d\.\d{3}) UTC: ')
out = []
for line in open(sys.argv[1]):
    if line.startswith('R1#show clock') or line.startswith('*'):
        continue                     # no zone, no year anchor
    m = rx.match(line)
    if m:
        t = dt.datetime.strptime('2022 %s %s %s' % m.groups(), '%Y %b %d %H:%M:%S.%f') + shift
        line = '%s %2d %s.%03d: %s' % (t.strftime('%b'), t.day, t.strftime('%H:%M:%S'),
                                       t.microsecond // 1000, line[m.end():])
    out.append(line)
open(sys.argv[2], 'w').write(''.join(out))
PY
grep -q 'UTC' "$T/b/router-debug.txt" && fail "zone left in the rewritten stamps"
"$A" analyze -f json --fail-on none "$T/b" > "$T/out.json" 2>"$T/err" || fail "analyze: $(cat "$T/err")"
python3 - "$T/out.json" <<'PY' || exit 1
import json, sys
d = json.load(open(sys.argv[1]))
def fail(m):
    print('FAIL:', m); sys.exit(1)
rt = [i for i in d['inputs'] if i['path'].endswith('router-debug.txt')][0]['clock']
if rt['zone'] != '+05:30' or rt['zone_from'] != 'inferred':
    fail('zone not inferred: %r' % rt)
if abs(rt['offset_s'] - 7.0) > 0.5:
    fail('offset %.3f, want 7.0 +- 0.5' % rt['offset_s'])
cl = [c for c in d['clock'] if c['source'].endswith('router-debug.txt')]
if not cl or abs(cl[0]['offset_s'] - 7.0) > 0.5:
    fail('clock[] entry: %r' % d['clock'])
ss = {s['user']: s for s in d['sessions']}
if sorted(ss) != ['amal', 'jdoe', 'sadks'] or len(d['sessions']) != 3:
    fail('sessions: %r' % [(s['id'], s['user']) for s in d['sessions']])
for u, s in ss.items():
    src = set(st['source'] for st in s['stages'])
    if not {'authproxy-log', 'ios-debug', 'pcap'} <= src:
        fail('%s not joined across sources: %r' % (u, sorted(src)))
if ss['sadks'].get('assigned_ip') != '192.168.13.5':
    fail('sadks assigned address: %r' % ss['sadks'].get('assigned_ip'))
rules = sorted(set(f['rule'] for f in d['findings']))
for r in ('clock-skew', 'nas-timeout-too-short'):
    if r not in rules:
        fail('%s missing: %r' % (r, rules))
PY
echo ok
