#!/bin/sh
# Router transcripts: every testdata/traces/ios-*/ with an events.expect is
# run through `authscope events` and `authscope analyze -f json`, and the
# assertions in events.expect must hold (tools/events_expect.py).
set -u
A=${AUTHSCOPE:-$(pwd)/build/authscope}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
rc=0
for d in testdata/traces/ios-*/; do
  [ -f "$d/events.expect" ] || continue
  n=$(basename "$d")
  extra=""; [ -f "$d/events.args" ] && extra=$(cat "$d/events.args")
  if ! (cd "$d" && eval "\"$A\" events $extra input" >"$T/$n.ev" 2>"$T/$n.err"); then
    echo "FAIL $n: events exited non-zero"; cat "$T/$n.err"; rc=1; continue
  fi
  if ! (cd "$d" && eval "\"$A\" analyze --fail-on none -f json $extra input" >"$T/$n.an" 2>>"$T/$n.err"); then
    echo "FAIL $n: analyze exited non-zero"; cat "$T/$n.err"; rc=1; continue
  fi
  if python3 tools/events_expect.py "$d/events.expect" "$T/$n.ev" "$T/$n.an"; then
    echo "ok $n"
  else
    echo "FAIL $n"; rc=1
  fi
done
exit $rc
