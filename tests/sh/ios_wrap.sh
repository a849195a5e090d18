#!/bin/sh
# Console wrap repair: router captures hard-wrapped at console widths 40 and
# 200 and at random widths in 40..200 (seeds 1-3, or $WRAP_SEEDS) give the
# same events as the unwrapped text (tools/wrap_check.py). The hazards
# capture is already wrapped at 80 columns and syslog files are never
# console-wrapped, so they are not re-wrapped here; the diagnose-error
# fixture carries a device wrap of its own.
set -u
A=${AUTHSCOPE:-$(pwd)/build/authscope}
files="testdata/traces/ios-radius-accept/input/r1-console.txt
testdata/traces/ios-child-no-proposal/input/xe-r4-console.txt
testdata/traces/ios-profile-mismatch/input/hub-debug.txt
testdata/traces/ios-cert-no-trustpoint/input/hub-debug-pki.txt
testdata/traces/ios-ike-aaa-timeout/input/c8000v-debug.txt
testdata/traces/ios-radius-timeout-failover/input/r1-test-aaa.txt
testdata/traces/ios-secret-mismatch/input/r1-debug-radius.txt
testdata/traces/ios-no-timestamps/input/r1-nostamps.txt
$(ls testdata/ios-show/*.txt | grep -v diagnose-error)"
rc=0
for seed in ${WRAP_SEEDS:-1 2 3}; do
  python3 tools/wrap_check.py "$A" "$seed" $files >/tmp/ios_wrap.$$ 2>&1 || rc=1
  grep -v '^ok' /tmp/ios_wrap.$$ | head -20
done
rm -f /tmp/ios_wrap.$$
[ $rc = 0 ] && echo "ok: same events at every width"
exit $rc
