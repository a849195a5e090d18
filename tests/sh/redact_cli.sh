#!/bin/sh
# --redact end to end: every output of every command that prints identities
# is grepped for the user names, addresses and hosts of a real log.
set -u
A=${AUTHSCOPE:-build/authscope}
IN=testdata/traces/authproxy-accept-and-reject/input/authproxy.log
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
for f in text json ndjson html junit sarif; do
  "$A" analyze --redact --fail-on none -f "$f" -o "$T/analyze.$f" "$IN" || fail "analyze -f $f"
done
"$A" events --redact "$IN" > "$T/events.json" || fail events
"$A" events --redact -f ndjson "$IN" > "$T/events.ndjson" || fail "events ndjson"
"$A" timeline --fail-on none --redact "$IN" > "$T/timeline.txt" || fail timeline
printf '# nothing expected\n' > "$T/expect"
"$A" check --redact --expect "$T/expect" "$IN" > "$T/check.txt" 2>&1 || fail check
grep -q '^+ primary-reject' "$T/check.txt" || fail "check lists the finding"
rm "$T/expect"
for f in "$T"/*; do
  [ -s "$f" ] || fail "$(basename "$f") is empty"
  for id in sadks jdoe 10.106.54.143 10.197.243.116 api-xxxx.duosecurity.com; do
    if grep -qF -- "$id" "$f"; then fail "$(basename "$f") leaks $id: $(grep -F -- "$id" "$f" | head -1)"; fi
  done
done
# decode pseudonymizes too (tests/sh/decode_redact.sh covers every mode)
C=testdata/captures/zeek/radius_localhost.pcap
"$A" decode --redact "$C" > "$T/decode.out" 2> "$T/decode.err" || fail "decode --redact exited $?"
grep -q 'user=user-[0-9a-f]\{12\}' "$T/decode.out" || fail "decode --redact: no user pseudonym"
grep -qF steve "$T/decode.out" && fail "decode --redact leaks steve"
grep -qF 127.0.0.1 "$T/decode.out" && fail "decode --redact leaks 127.0.0.1"
"$A" decode -T fields -e radius.User_Name --redact "$C" | grep -q '^user-[0-9a-f]\{12\}$' ||
  fail "decode -T fields --redact: no pseudonym"
"$A" decode "$C" | grep -q 'user=steve' || fail "plain decode lost user=steve"
rm -f "$T/decode.out" "$T/decode.err"
# the same user keeps one pseudonym within a run, and only within it
u=$(grep -o 'user-[0-9a-f]*' "$T/timeline.txt" | head -1)
[ -n "$u" ] || fail "no user pseudonym in the timeline"
[ "$(grep -c "$u" "$T/timeline.txt")" -ge 1 ] || fail "pseudonym"
u2=$("$A" timeline --redact "$IN" | grep -o 'user-[0-9a-f]*' | head -1)
[ "$u" != "$u2" ] || fail "two runs gave the same pseudonym: the key is not random"
# without --redact the identities are there (so the greps above can fail)
"$A" timeline "$IN" | grep -q jdoe || fail "plain timeline lost jdoe"
exit 0
