#!/bin/sh
# Show outputs with an independent oracle: for every testdata/ios-show/*.txt,
# the events authscope emits must carry the values Cisco's Genie parser
# extracted from the same text (*.genie.json; tools/genie_check.py), and
# every IKEv2 SA record's SPIs, status, session id and pushed address are
# typed fields of one event (tools/genie_keys.py).
set -u
A=${AUTHSCOPE:-$(pwd)/build/authscope}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
rc=0; n=0
for f in testdata/ios-show/*.txt; do
  j=${f%.txt}.genie.json
  [ -f "$j" ] || continue
  n=$((n+1))
  if ! "$A" events "$f" >"$T/ev" 2>"$T/err"; then
    echo "FAIL $f: events exited non-zero"; cat "$T/err"; rc=1; continue
  fi
  python3 tools/genie_check.py "$T/ev" "$j" || rc=1
  # and the SA keys are typed fields, not only detail text
  python3 tools/genie_keys.py "$T/ev" "$j" >"$T/keys" || { cat "$T/keys"; rc=1; }
done
[ $n -gt 0 ] || { echo "no oracle files"; exit 1; }
exit $rc
