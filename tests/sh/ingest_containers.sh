#!/bin/sh
# One authproxy.log seen through every container ingest unwraps must give
# the same sessions: .gz, stdin .gz, .tar.gz with a directory, .zip with a
# nested .gz member, a rotated pair (authproxy.log.1 + authproxy.log) in a
# directory and inside a bundle; CRLF line ends; no final newline. Refs
# name the member (bundle.tgz:logs/...).
set -u
A=${AUTHSCOPE:-$(pwd)/build/authscope}
L=$(pwd)/testdata/traces/authproxy-accept-and-reject/input/authproxy.log
T=$(mktemp -d /tmp/authscope-sh-XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
sessions() { "$A" analyze --fail-on none "$@" 2>"$T/err" | sed -n '/^SESSIONS/,/^$/p'; }

sessions "$L" >"$T/want"
[ "$(grep -c 'accept\|reject' "$T/want")" = 2 ] || fail "baseline: $(cat "$T/want")"

mkdir -p "$T/rot" "$T/b/logs"
n=$(wc -l <"$L")
head -n 8 "$L" >"$T/rot/authproxy.log.1"
tail -n $((n - 8)) "$L" >"$T/rot/authproxy.log"
cp "$L" "$T/b/logs/authproxy.log"
gzip -c "$L" >"$T/one.log.gz"
(cd "$T/b" && tar czf "$T/bundle.tgz" logs) || fail "tar"
python3 - "$T" "$L" <<'PY' || fail "zip"
import gzip, sys, zipfile
t, l = sys.argv[1], sys.argv[2]
data = open(l, "rb").read()
lines = data.splitlines(keepends=True)
with zipfile.ZipFile(f"{t}/nested.zip", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("support/logs/authproxy.log.gz", gzip.compress(data))
    z.writestr("support/readme.bin", b"\x00\x01 not a log")
with zipfile.ZipFile(f"{t}/rotated.zip", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("log/authproxy.log", b"".join(lines[8:]))
    z.writestr("log/authproxy.log.1.gz", gzip.compress(b"".join(lines[:8])))
PY

sed 's/$/\r/' "$L" >"$T/crlf.log"
printf '%s' "$(cat "$L")" >"$T/nofinal.log"
for x in one.log.gz bundle.tgz nested.zip rot rotated.zip crlf.log nofinal.log; do
  sessions "$T/$x" >"$T/got"
  cmp -s "$T/want" "$T/got" || { diff "$T/want" "$T/got"; fail "$x: sessions differ"; }
done
sessions - <"$T/one.log.gz" >"$T/got"
cmp -s "$T/want" "$T/got" || fail "stdin .gz: sessions differ"

"$A" analyze --fail-on none --format json "$T/bundle.tgz" >"$T/j" || fail "json run"
grep -q "\"path\": \"$T/bundle.tgz:logs/authproxy.log\", \"kind\": \"authproxy-log\"" "$T/j" ||
  fail "member input path: $(grep path "$T/j" | head -3)"
grep -q "\"ref\": \"$T/bundle.tgz:logs/authproxy.log:[0-9]" "$T/j" || fail "member refs"
"$A" analyze --fail-on none --format json "$T/nested.zip" >"$T/j" || fail "json run"
grep -q "nested.zip:support/readme.bin\", \"kind\": \"unknown\"" "$T/j" || fail "unknown member not listed"
# rotated directory: .1 (older) is read before the live file
"$A" analyze --fail-on none --format json "$T/rot" >"$T/j" || fail "json run"
a=$(grep -n 'authproxy.log.1"' "$T/j" | head -1 | cut -d: -f1)
b=$(grep -n 'rot/authproxy.log"' "$T/j" | head -1 | cut -d: -f1)
[ -n "$a" ] && [ -n "$b" ] && [ "$a" -lt "$b" ] || fail "rotation order in inputs"
echo ok
