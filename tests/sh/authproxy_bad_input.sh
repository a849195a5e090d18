#!/bin/sh
# Issue 2's bad-input list on a real proxy log with debug on (the
# duo-debug-windows trace): CRLF line ends, a 2 MB record, NUL bytes (a
# zero-filled hole before a record, NULs inside noise lines) give the clean
# file's findings and sessions; a truncated .gz gives the findings of its
# intact part plus exactly one input-damaged; 1 MB of random bytes is listed
# as unknown. Exit status stays within 0-2 throughout.
set -u
A=${AUTHSCOPE:-build/authscope}
L=testdata/traces/duo-debug-windows/input/authproxy.log
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# findings (rule, user, severity, summary) and sessions (user, outcome) of a run
summary() {
    "$A" analyze -f json --fail-on none "$1" > "$T/j" 2> "$T/e"; st=$?
    [ $st -le 2 ] || fail "$1: exit $st"
    python3 - "$T/j" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
for f in j["findings"]:
    print("finding", f["rule"], f.get("user"), f["severity"], f.get("summary", "").replace("/crlf", "").replace("/nul", ""))
for s in j["sessions"]:
    print("session", s.get("user"), s.get("outcome"))
PY
}

summary "$L" > "$T/clean" || exit 1
grep -q '^finding duo-push-timeout ivy' "$T/clean" || fail "the clean log's findings: $(cat "$T/clean")"
[ "$(grep -c '^session' "$T/clean")" -ge 8 ] || fail "the clean log's sessions"

python3 - "$L" "$T" <<'PY' || fail "generating inputs"
import gzip, random, sys
src, d = sys.argv[1], sys.argv[2]
raw = open(src, "rb").read()
ls = raw.split(b"\n")
open(f"{d}/crlf.log", "wb").write(b"\r\n".join(ls))
big = b"2022-02-08T23:26:39.589679+0530 [duoauthproxy.lib.log#info] " + b"A" * (2 << 20)
nul = ls[:5] + [big] + ls[5:20] + [b"\0" * 4096 + ls[20]] + \
      [l.replace(b"Syncing", b"Sync\0ing") for l in ls[21:]]
open(f"{d}/nul.log", "wb").write(b"\n".join(nul))
z = gzip.compress(raw)
open(f"{d}/cut.log.gz", "wb").write(z[: len(z) * 6 // 10])
r = random.Random(11)
open(f"{d}/random.bin", "wb").write(bytes(r.getrandbits(8) for _ in range(1 << 20)))
PY
grep -q "$(printf '\r')" "$T/crlf.log" || fail "no CRLF made"

summary "$T/crlf.log" > "$T/crlf" || exit 1
diff "$T/clean" "$T/crlf" > "$T/d" || fail "CRLF changes the result: $(cat "$T/d")"
summary "$T/nul.log" > "$T/nul" || exit 1
diff "$T/clean" "$T/nul" > "$T/d" || fail "NULs or a 2 MB line change the result: $(cat "$T/d")"

# the intact part of the cut .gz, as gzip itself recovers it
gzip -dc < "$T/cut.log.gz" > "$T/cut.log" 2>/dev/null
[ "$(wc -l < "$T/cut.log")" -gt 40 ] || fail "the cut keeps too little"
summary "$T/cut.log" > "$T/part" || exit 1
summary "$T/cut.log.gz" | sed 's#cut\.log\.gz#cut.log#g' > "$T/cutgz" || exit 1
[ "$(grep -c '^finding input-damaged' "$T/cutgz")" = 1 ] || fail "input-damaged: $(grep input-damaged "$T/cutgz")"
# (the plain part may end mid-line, itself damage: both compared without it)
grep -v '^finding input-damaged' "$T/part" > "$T/part2"
grep -v '^finding input-damaged' "$T/cutgz" | diff "$T/part2" - > "$T/d" ||
    fail "the truncated .gz's findings differ from its intact part's: $(cat "$T/d")"
grep -q '^finding' "$T/part" || fail "the intact part has no finding to compare"

"$A" analyze -f json "$T/random.bin" > "$T/j" 2> "$T/e"; st=$?
[ $st -le 2 ] || fail "random bytes: exit $st"
grep -q '"kind": "unknown"' "$T/j" || fail "random bytes not listed as unknown"
exit 0
