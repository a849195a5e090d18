#!/bin/sh
# The README's "Keep your own traces as CI checks" block works as written:
# it is cut out of README.md and run in a copy of the tree's testdata.
set -u
A=${AUTHSCOPE:-build/authscope}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
awk '/readme-ci-example/ {on=1; next} on && /^```sh/ {inb=1; next} inb && /^```/ {exit} inb {print}' \
    README.md > "$T/block.sh"
[ -s "$T/block.sh" ] || fail "no example block in README.md"
mkdir -p "$T/tree/build" "$T/tree/testdata"
cp -r testdata/traces "$T/tree/testdata/"
ln -s "$(cd "$(dirname "$A")" && pwd)/$(basename "$A")" "$T/tree/build/authscope"
(cd "$T/tree" && sh -e "$T/block.sh") > "$T/out" 2>&1 || { cat "$T/out"; fail "the README block failed"; }
[ -s "$T/tree/ci/traces/my-incident/expect" ] || fail "no expect written"
n=$(ls "$T"/tree/ci/traces/*/junit.xml | wc -l)
[ "$n" -ge 2 ] || fail "junit reports: $n"
python3 -c "
import sys, xml.etree.ElementTree as ET
for p in sys.argv[1:]:
    r = ET.parse(p).getroot(); assert r.tag == 'testsuites'
" "$T"/tree/ci/traces/*/junit.xml || fail "junit"
exit 0
