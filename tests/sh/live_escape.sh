#!/bin/sh
# A user name holding terminal escapes (OSC title, colours) is drawn as
# escaped text: the pane title stays, no colour comes from the name, the
# name reads evil\x1b]2;pwned\x07... in the table, the detail view and the
# headless snapshot.
. tests/sh/live.inc
IN=$(pwd)/testdata/live/hostile.log
start 120 30 "printf '\\033]2;clean\\007'; $A live --replay --speed 5000 $IN"
wait_for "[finished]" 10 || fail "replay did not finish"
pane | grep -qF 'evil\x1b]2;pwned\x07' || fail "escaped name not in the table"
[ "$(tm display -p -t t '#{pane_title}')" = clean ] || fail "the name set the pane title"
tm capture-pane -e -p -t t > "$T/attr"
grep -q 'RED' "$T/attr" || fail "name not on screen"
grep -q "$(printf '\033')\[31mRED" "$T/attr" && fail "the name set a colour"
keys Enter
wait_for "user evil" 3 || fail "no detail view"
pane | grep -qF 'user evil\x1b]2;pwned\x07\x1b[31mRED\x1b[0m' || fail "detail: name not escaped"
[ "$(tm display -p -t t '#{pane_title}')" = clean ] || fail "detail: the name set the pane title"
keys q
wait_for PANE-END 5 || fail "q did not quit"
"$A" live --headless --replay --speed 5000 "$IN" > "$T/out" || fail "headless"
grep -qF 'evil\x1b]2;pwned\x07\x1b[31mRED\x1b[0m' "$T/out" || fail "headless: not escaped"
! grep -q "$(printf '\033')" "$T/out" || fail "headless: raw ESC in the output"
! grep -q "$(printf '\007')" "$T/out" || fail "headless: raw BEL in the output"
exit 0
