#!/bin/sh
# live --replay in a terminal (tmux): every user and outcome analyze finds in
# the same log shows in the sessions table, push timeouts named in WHY, the
# counters agree; q quits with status 0.
. tests/sh/live.inc
IN=$(pwd)/testdata/live/mix.log
"$A" analyze -f json --fail-on none "$IN" > "$T/a.json" || fail "analyze"
python3 - "$T/a.json" > "$T/want" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
why = {}
for f in d["findings"]:
    if f["rule"] == "duo-push-timeout":
        why[f["user"]] = f["rule"]
for s in d["sessions"]:
    print(s["user"], s["outcome"], why.get(s["user"], "-"))
PY
[ "$(wc -l < "$T/want")" -ge 10 ] || fail "fixture too small"
grep -q ' duo-push-timeout$' "$T/want" || fail "fixture has no push timeout"
start 120 40 "$A live --replay --speed 5000 $IN"
wait_for "[finished]" 10 || fail "replay did not finish"
pane > "$T/screen"
while read -r user outcome why; do
    line=$(grep -F " $user " "$T/screen") || fail "user $user missing"
    echo "$line" | grep -qw "$outcome" || fail "$user: want $outcome in: $line"
    [ "$why" = - ] || echo "$line" | grep -q "$why" || fail "$user: want $why in: $line"
done < "$T/want"
acc=$(grep -c ' accept ' "$T/want"); rej=$(grep -c ' reject ' "$T/want")
grep -q "accept $acc  reject $rej " "$T/screen" || { cat "$T/screen"; fail "counters: want accept $acc reject $rej"; }
grep -q "FINDINGS (" "$T/screen" || fail "no findings feed"
grep -q "duo-push-timeout" "$T/screen" || fail "no push timeout in the feed"
keys q
wait_for PANE-END 5 || fail "q did not quit"
exit 0
