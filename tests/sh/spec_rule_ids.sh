#!/bin/sh
# Every rule id the spec requires exists in the built-in pack (rules list).
set -u
A=${AUTHSCOPE:-build/authscope}
have=$("$A" rules list | awk 'NR > 1 {print $1}')
rc=0
for id in $(grep -v '^#' testdata/spec-rule-ids.txt); do
  echo "$have" | grep -qx -- "$id" || { echo "FAIL: required rule '$id' is not in the built-in pack"; rc=1; }
done
exit $rc
