#!/bin/sh
# A user name made to break reports (<script>, an ANSI escape, an invalid
# UTF-8 byte, an entity) through the real authproxy parser into every
# format: terminals get no escape byte, JSON/NDJSON/SARIF parse, JUnit is
# well-formed XML, HTML carries no markup from the input, all valid UTF-8.
set -u
A=${AUTHSCOPE:-build/authscope}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
P='[duoauthproxy.lib.log#info] '
U=$(printf '<script>alert("x")</script>\033[31m\377&amp;')
cat > "$T/hostile.log" <<EOF2
2022-02-08T23:26:39.589679+0530 ${P}Received new request id 26 from ('10.106.54.143', 1645)
2022-02-08T23:26:39.589679+0530 ${P}(('10.106.54.143', 1645), ${U}, 26): login attempt for username '${U}'
2022-02-08T23:26:39.589679+0530 ${P}Sending proxied request for id 26 to ('10.197.243.116', 1812) with id 18
2022-02-08T23:26:39.920001+0530 ${P}Got response for id 18 from ('10.197.243.116', 1812); code 3
2022-02-08T23:26:39.920001+0530 ${P}(('10.106.54.143', 1645), ${U}, 26): Primary credentials rejected - ${U} no
2022-02-08T23:26:39.920001+0530 ${P}(('10.106.54.143', 1645), ${U}, 26): Returning response code 3: AccessReject
EOF2
for f in text json ndjson html junit sarif; do
  "$A" analyze --fail-on none -f "$f" -o "$T/out.$f" "$T/hostile.log" || fail "analyze -f $f"
done
"$A" timeline --fail-on none -o "$T/out.timeline" "$T/hostile.log" || fail timeline
"$A" events -f ndjson "$T/hostile.log" > "$T/out.events" || fail events
"$A" check --expect /dev/stdin "$T/hostile.log" < /dev/null > "$T/out.check" 2>&1 || fail check
python3 - "$T" <<'PY' || fail "formats"
import json, re, sys, xml.etree.ElementTree as ET
d = sys.argv[1]
user = '<script>alert("x")</script>\x1b[31m'
out = {}
for n in ("text", "json", "ndjson", "html", "junit", "sarif", "timeline", "events", "check"):
    b = open(f"{d}/out.{n}", "rb").read()
    b.decode("utf-8")                      # strict: every output is valid UTF-8
    out[n] = b.decode("utf-8")
for n in ("text", "timeline", "check"):
    assert "\x1b" not in out[n], n         # no escape sequence reaches a terminal
assert "\\x1b[31m" in out["timeline"]
j = json.loads(out["json"])
assert j["sessions"][0]["user"].startswith(user), j["sessions"][0]["user"]
assert j["findings"], "the parser and rules saw the reject"
for n in ("ndjson", "events"):
    for line in out[n].splitlines():
        json.loads(line)
s = json.loads(out["sarif"])
assert s["runs"][0]["results"][0]["properties"]["user"].startswith(user)
ET.fromstring(out["junit"].encode())
h = out["html"]
assert "<script>alert" not in h and h.count("<script>") == 1
assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in h
assert "&amp;amp;" in h                    # an entity in input stays text
assert "\x1b" not in h
PY
exit 0
