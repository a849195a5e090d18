#!/bin/sh
# live --headless: text snapshots of the same state; with --replay it ends
# after a final snapshot that agrees with analyze; --on-change prints only
# changed states; --follow runs until a signal, then prints its last state.
# Usage errors exit 2 with one line.
set -u
A=${AUTHSCOPE:-$(pwd)/build/authscope}
LOGIN="python3 $(pwd)/tests/sh/live_login.py"
IN=testdata/live/mix.log
T=$(mktemp -d); PID=
trap '[ -n "$PID" ] && kill $PID 2>/dev/null; rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# the last snapshot of a replay: finished, the sessions analyze finds in
# the same input with their outcomes, the same counts and findings
same_as_analyze() {
    timeout --foreground 30 "$A" live --headless --replay --speed 1e6 "$1" > "$T/out" 2> "$T/err" ||
        fail "$1: exit $?: $(cat "$T/err")"
    [ ! -s "$T/err" ] || fail "$1: stderr: $(cat "$T/err")"
    grep -q '^--- authscope live ' "$T/out" || fail "$1: no snapshot"
    awk '/^--- authscope live/{buf=""} {buf=buf $0 "\n"} END{printf "%s", buf}' "$T/out" > "$T/last"
    grep -q '\[finished\]' "$T/last" || fail "$1: last snapshot not finished"
    "$A" analyze -f json --fail-on none "$1" > "$T/a.json"
    python3 - "$T/a.json" "$T/last" <<'PY' || fail "$1: snapshot and analyze disagree"
import json, sys
d = json.load(open(sys.argv[1]))
want = sorted((s["user"], s["outcome"]) for s in d["sessions"])
rows, feed, on = [], [], None
for line in open(sys.argv[2]):
    if line.startswith("sessions ("):
        on = "s"
        continue
    if line.startswith("findings ("):
        on = "f"
        continue
    if on == "s" and not line.lstrip().startswith("TIME"):
        f = line.split()
        rows.append((f[1], f[4]))
    if on == "f":
        feed.append(line.split()[2])
got = sorted(rows)
if got != want:
    print("want", want)
    print("got ", got)
    sys.exit(1)
txt = open(sys.argv[2]).read()
n = {o: sum(1 for u, x in want if x == o) for o in ("accept", "reject", "timeout")}
line = "outcomes: accept %(accept)d  reject %(reject)d  timeout %(timeout)d" % n
if line not in txt:
    print("counters: want", line, "in", txt)
    sys.exit(1)
rules = sorted(f["rule"] for f in d["findings"])
if sorted(feed) != rules:
    print("findings: want", rules, "got", sorted(feed))
    sys.exit(1)
PY
}
same_as_analyze "$IN"
grep -q 'duo-push-timeout' "$T/last" || fail "push timeout finding missing"
# a proxy log with debug on as the proxy writes it (sync noise, packet dumps,
# MS-CHAPv2, duplicates, a push timeout after the NAS re-sent)
same_as_analyze testdata/traces/duo-debug-windows/input/authproxy.log
grep -q ' ivy .* duo-push-timeout$' "$T/last" ||
    fail "debug log: ivy's push timeout not in the table and feed"
# three sources of the same logins (proxy log, router debug, capture, configs):
# joined across sources, clocks corrected, as analyze does
same_as_analyze testdata/bundles/demo

# --redact: pseudonyms in the table, the feed and the notes
"$A" live --headless --redact --replay --speed 5000 "$IN" > "$T/red" || fail "redact exit $?"
grep -q ' user-[0-9a-f]\{12\} ' "$T/red" || fail "no pseudonyms"
! grep -q 'user08358\|10\.106\.54\.' "$T/red" || fail "a name or address leaked: $(grep 'user08358\|10\.106\.54\.' "$T/red" | head -2)"

# --on-change: several snapshots while the replay runs, each one different
timeout --foreground 30 "$A" live --headless --on-change --replay --speed 150 "$IN" > "$T/oc" ||
    fail "on-change exit $?"
n=$(grep -c '^--- authscope live' "$T/oc")
[ "$n" -ge 3 ] || fail "on-change: $n snapshots"
awk '/^--- authscope live/{if (prev != "" && cur == prev) dup++; prev = cur; cur = ""; next}
     {cur = cur $0 "\n"} END {exit dup ? 1 : 0}' "$T/oc" || fail "on-change printed an unchanged state"

# --follow: runs until a signal, a login appended shows in a snapshot
$LOGIN old 1 accept > "$T/f.log"
# --foreground: a signal to timeout goes to authscope only, not to its
# process group (which, under ASan, holds LeakSanitizer's tracer at exit)
timeout --foreground 60 "$A" live --headless --follow "$T/f.log" > "$T/fo" 2> "$T/fe" & PID=$!
# the first snapshot: the file is open (and read from its end)
i=0; while [ $i -lt 100 ] && ! grep -q '^--- authscope live' "$T/fo"; do sleep 0.1; i=$((i+1)); done
$LOGIN dora 20 reject >> "$T/f.log"
i=0; while [ $i -lt 50 ] && ! grep -q ' dora ' "$T/fo"; do sleep 0.1; i=$((i+1)); done
grep -q ' dora .* reject' "$T/fo" || fail "followed login not in a snapshot: $(tail -20 "$T/fo")"
grep -q ' old ' "$T/fo" && fail "the file's existing content was read"
kill -TERM $PID; wait $PID; st=$?; PID=
[ $st = 0 ] || fail "SIGTERM: exit $st"
tail -30 "$T/fo" | grep -q ' dora ' || fail "no final snapshot"

# usage errors
for args in "" "$IN" "--replay" "--bpf udp --follow $T/f.log" "--follow $T" "--speed 0 --replay $IN"; do
    "$A" live --headless $args > /dev/null 2> "$T/e"; st=$?
    [ $st = 2 ] || fail "live $args: exit $st"
    [ "$(wc -l < "$T/e")" = 1 ] || fail "live $args: $(cat "$T/e")"
done
"$A" live --replay "$IN" < /dev/null > "$T/o" 2> "$T/e"; st=$?
[ $st = 2 ] && grep -q 'needs a terminal' "$T/e" || fail "no terminal: exit $st $(cat "$T/e")"
exit 0
