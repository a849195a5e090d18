#!/bin/sh
# authscope check from the command line: exit codes, the report, --update,
# -f junit. Findings-level logic is in tests/unit/test_check.c; this runs
# the binary on an input that yields no finding.
set -u
A=${AUTHSCOPE:-build/authscope}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
: > "$T/empty.log"

# all hold -> 0, with = lines
printf '# case\nprimary-reject * 0\nradius-timeout bob 0..2\n' > "$T/ok"
"$A" check --expect "$T/ok" "$T/empty.log" > "$T/out" 2>&1; st=$?
[ $st = 0 ] || fail "holding expectations exit $st"
grep -q '^= primary-reject' "$T/out" || fail "no = line"
grep -q '2 hold, 0 fail' "$T/out" || fail "summary"

# one fails -> 1, with a - line naming the file line
printf 'primary-reject * 0\nprimary-reject sadks 1\n' > "$T/bad"
"$A" check --expect "$T/bad" "$T/empty.log" > "$T/out" 2>&1; st=$?
[ $st = 1 ] || fail "failing expectation exit $st"
grep -q "^- primary-reject .*sadks .*found 0  FAIL ($T/bad:2)" "$T/out" || { cat "$T/out"; fail "no - line"; }

# -o takes the text report too
"$A" check --expect "$T/bad" -o "$T/rep.txt" "$T/empty.log" >"$T/out" 2>&1; st=$?
[ $st = 1 ] || fail "-o exit $st"
grep -q '^- primary-reject' "$T/rep.txt" || fail "-o report"
[ ! -s "$T/out" ] || fail "report also on stdout with -o"

# usage and input errors -> 2
"$A" check "$T/empty.log" >/dev/null 2>&1; [ $? = 2 ] || fail "no --expect"
"$A" check --expect "$T/missing" "$T/empty.log" >/dev/null 2>&1; [ $? = 2 ] || fail "missing file"
printf 'just two\n' > "$T/syntax"
"$A" check --expect "$T/syntax" "$T/empty.log" 2> "$T/err" >/dev/null; st=$?
[ $st = 2 ] || fail "syntax error exit $st"
grep -q "$T/syntax:1:" "$T/err" || fail "syntax error names file:line"
"$A" check --expect "$T/ok" "$T/nonexistent.log" >/dev/null 2>&1; [ $? = 2 ] || fail "unreadable input"
"$A" check --expect "$T/ok" -f html "$T/empty.log" >/dev/null 2>&1; [ $? = 2 ] || fail "bad format"
"$A" check --expect "$T/ok" --update --redact "$T/empty.log" >/dev/null 2>&1; [ $? = 2 ] || fail "--update --redact"

# junit: the failing expectation is a failed testcase
"$A" check --expect "$T/bad" -f junit -o "$T/j.xml" "$T/empty.log" >/dev/null 2>&1; st=$?
[ $st = 1 ] || fail "junit exit $st"
python3 - "$T/j.xml" <<'PY' || fail "junit structure"
import sys, xml.etree.ElementTree as ET
r = ET.parse(sys.argv[1]).getroot()
assert r.tag == "testsuites", r.tag
cases = r.findall("./testsuite/testcase")
assert len(cases) == 2, len(cases)
assert cases[0].find("failure") is None
f = cases[1].find("failure")
assert f is not None and "expected 1, found 0" in f.get("message"), f
assert cases[1].get("name") == "primary-reject sadks 1"
assert r.find("testsuite").get("failures") == "1"
PY

# --update: rewrites from the result, keeps the header; then it holds
printf '# my header\nprimary-reject sadks 1   # was\nradius-timeout * 0\n' > "$T/up"
"$A" check --expect "$T/up" --update "$T/empty.log" >/dev/null 2>&1; st=$?
[ $st = 0 ] || fail "update exit $st"
head -1 "$T/up" | grep -q '^# my header$' || fail "header kept"
grep -q '^primary-reject  *sadks  *0$' "$T/up" || { cat "$T/up"; fail "failing line rewritten"; }
grep -q '^radius-timeout \* 0$' "$T/up" || fail "holding line kept"
cp "$T/up" "$T/up1"
"$A" check --expect "$T/up" "$T/empty.log" >/dev/null 2>&1 || fail "updated file does not hold"
"$A" check --expect "$T/up" --update "$T/empty.log" >/dev/null 2>&1
cmp -s "$T/up" "$T/up1" || fail "second update changed the file"
# --update creates a missing file
"$A" check --expect "$T/new" --update "$T/empty.log" >/dev/null 2>&1 || fail "update of new file"
grep -q '^#' "$T/new" || fail "new file header"
# --update never replaces what is not a regular file, and keeps a symlink
"$A" check --expect /dev/null --update "$T/empty.log" >/dev/null 2>"$T/err"; st=$?
[ $st = 2 ] || fail "--update on a device: exit $st"
[ -c /dev/null ] || fail "/dev/null was replaced"
grep -q 'regular file' "$T/err" || fail "device refusal message"
printf 'primary-reject sadks 1\n' > "$T/target"; ln -s target "$T/link"
"$A" check --expect "$T/link" --update "$T/empty.log" >/dev/null 2>&1 || fail "update via symlink"
[ -L "$T/link" ] || fail "symlink replaced by a file"
grep -q 'sadks  *0$' "$T/target" || fail "symlink target not updated"

# with a real finding: a truncated gzip gives one input-damaged (no user)
gzip -c testdata/traces/authproxy-accept-and-reject/input/authproxy.log | head -c 500 > "$T/cut.gz"
printf 'input-damaged * 1\ninput-damaged - 1\ninput-damaged * 1..\nprimary-reject * 0\n' > "$T/d1"
"$A" check --expect "$T/d1" "$T/cut.gz" >"$T/out" 2>&1 || { cat "$T/out"; fail "damage expectations"; }
printf 'input-damaged * 2..3\n' > "$T/d2"
"$A" check --expect "$T/d2" "$T/cut.gz" >"$T/out" 2>&1; st=$?
[ $st = 1 ] || fail "range that excludes the count: exit $st"
grep -q '^- input-damaged .*2\.\.3 .*found 1  FAIL' "$T/out" || { cat "$T/out"; fail "range - line"; }
printf 'input-damaged * 0\n' > "$T/d3"
"$A" check --expect "$T/d3" "$T/cut.gz" >/dev/null 2>&1; [ $? = 1 ] || fail "0 must not occur"
printf '# damage\n' > "$T/d4"
"$A" check --expect "$T/d4" "$T/cut.gz" >"$T/out" 2>&1 || fail "unlisted findings do not fail"
grep -q '^+ input-damaged  *-  *1 ' "$T/out" || { cat "$T/out"; fail "+ line"; }
"$A" check --expect "$T/d4" --update "$T/cut.gz" >/dev/null 2>&1 || fail "update with findings"
grep -q '^input-damaged  *-  *1$' "$T/d4" || { cat "$T/d4"; fail "update wrote the finding"; }
"$A" check --expect "$T/d4" "$T/cut.gz" >/dev/null 2>&1 || fail "updated file holds"
exit 0
