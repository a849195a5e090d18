#!/bin/sh
# Colour only when the terminal has it and NO_COLOR is unset: the same
# replay in tmux with NO_COLOR=1 has no colour in its cells, without it the
# outcome words are coloured; TERM=dumb-like terminals without colours fall
# back to bold/reverse (still readable).
. tests/sh/live.inc
IN=$(pwd)/testdata/live/mix.log
esc=$(printf '\033')
# colour codes tmux reports for the cells: 3x / 9x foregrounds
has_color() { grep -q "$esc\[[0-9;]*3[1-7]m\|$esc\[[0-9;]*9[1-7]m" "$1"; }
start 120 40 "env NO_COLOR=1 TERM=screen $A live --replay --speed 5000 $IN"
wait_for "[finished]" 10 || fail "replay did not finish"
tm capture-pane -e -p -t t > "$T/nc"
has_color "$T/nc" && fail "colour with NO_COLOR=1"
grep -q "$esc\[[0-9;]*7m" "$T/nc" || fail "no reverse video for the title/selection"
keys q
wait_for PANE-END 5 || fail "q did not quit"
tm kill-server
SOCK="$T/tmux2.sock"            # a fresh server: the old socket may linger
start 120 40 "env -u NO_COLOR TERM=screen $A live --replay --speed 5000 $IN"
wait_for "[finished]" 10 || fail "replay did not finish (colour)"
tm capture-pane -e -p -t t > "$T/c"
has_color "$T/c" || fail "no colour without NO_COLOR"
grep "accept" "$T/c" | grep -q "$esc\[[0-9;]*32m" || fail "accept not green"
keys q
wait_for PANE-END 5 || fail "q did not quit (colour)"
exit 0
