#!/bin/sh
# Spot checks of the command-line contract (man/authscope.1, the spec's
# cli.md): exit status by --fail-on, usage errors exit 2 with one line,
# --user / --since / --until filter, --tz only for stamps without a zone
# (a stamp's own offset wins), --year.
set -u
A=${AUTHSCOPE:-build/authscope}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
L=testdata/traces/authproxy-accept-and-reject/input/authproxy.log   # stamps +0530
R=testdata/traces/ios-radius-accept/input/r1-console.txt            # no zone, no year
"$A" analyze "$L" >/dev/null; [ $? = 1 ] || fail "an error finding with the default --fail-on"
"$A" analyze --fail-on none "$L" >/dev/null || fail "--fail-on none"
"$A" analyze --fail-on warning "$L" >/dev/null; [ $? = 1 ] || fail "--fail-on warning"
for bad in "--bogus" "-f xml" "--fail-on fatal" "--tz nowhere" "--year 12" "--since yesterday"; do
  "$A" analyze $bad "$L" >/dev/null 2>"$T/err"; st=$?
  [ $st = 2 ] || fail "analyze $bad: exit $st"
  [ "$(wc -l < "$T/err")" = 1 ] || fail "analyze $bad: $(cat "$T/err")"
done
"$A" analyze "$T/missing.log" >/dev/null 2>"$T/err"; [ $? = 2 ] || fail "unreadable input"
grep -q "missing.log" "$T/err" || fail "the message names the file"
python3 - "$A" "$L" "$R" <<'PY' || fail "options"
import json, subprocess, sys
A, L, R = sys.argv[1:]
def j(*args):
    return json.loads(subprocess.run([A, "analyze", "-f", "json", "--fail-on", "none", *args],
                                     check=True, capture_output=True).stdout)
base = j(L)
assert {s["user"] for s in base["sessions"]} == {"sadks", "jdoe"}
d = j("--user", "jdoe", L)
assert {s["user"] for s in d["sessions"]} == {"jdoe"} and {f["user"] for f in d["findings"]} == {"jdoe"}, d
d = j("--since", "2022-02-08T17:56:00Z", "--until", "2022-02-08T18:00:00Z", L)
assert [s["user"] for s in d["sessions"]] == ["jdoe"], d["sessions"]
# a zoned stamp is read in its own zone whatever --tz says
d = j("--tz", "+01:00", L)
assert [s["start"] for s in d["sessions"]] == [s["start"] for s in base["sessions"]]
# a stamp without a zone takes --tz (UTC text read as +02:00: two hours earlier)
r0, r2 = j(R), j("--tz", "+02:00", R)
c = r2["inputs"][0]["clock"]
assert c["zone"] == "+02:00" and c["zone_from"] == "option", c
assert r0["sessions"][0]["start"].replace("17:", "15:", 1) == r2["sessions"][0]["start"], \
    (r0["sessions"][0]["start"], r2["sessions"][0]["start"])
d = j("--year", "2021", R)
assert d["inputs"][0]["clock"]["year_from"] == "option" and d["sessions"][0]["start"].startswith("2021-")
PY
exit 0
