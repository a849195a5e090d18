#!/bin/sh
# live --follow at 80x24 (tmux): a login appended to the file shows up, also
# after the file is rotated (renamed + re-created) and truncated; Enter opens
# its ladder, / filters, a resize re-lays the screen, and q gives the
# terminal back as it was found (same stty settings, the shell's text back).
. tests/sh/live.inc
F=$T/authproxy.log
$LOGIN warmup 2 accept > "$F"       # an older login: read from the end, not shown
start 80 24 "stty -g > $T/stty.before; echo BEFORE-MARK; $A live --follow $F; echo AFTER-MARK rc=\$?; stty -g > $T/stty.after"
wait_for "0 sessions  follow" 5 || fail "dashboard did not start"
wait_for "(no session yet)" 3 || fail "the existing content was shown"
$LOGIN alice 10 accept >> "$F"
wait_for "alice" 5 || fail "appended login not shown"
wait_for "accept" 5 || fail "alice's outcome not shown"
# rotation: the old file moves away, a new one takes its name
mv "$F" "$F.1"
$LOGIN bob 12 reject > "$F"
wait_for "bob" 5 || fail "login in the re-created file not shown"
wait_for "rotated" 3 || fail "no rotation note"
pane | grep -q "alice" || fail "alice lost at rotation"
# truncation (copytruncate)
: > "$F"
$LOGIN carol 14 push >> "$F"
wait_for "carol" 5 || fail "login after truncation not shown"
wait_for "pending" 3 || fail "carol's open login not pending"
# the newest row is selected: Enter shows its ladder
keys Enter
wait_for "user carol" 3 || fail "no detail view"
pane | grep -q "client  headend" || fail "no ladder header"
pane | grep -q "|------>|" || fail "no request arrow"
keys Escape
wait_for "FINDINGS" 3 || fail "Esc did not go back"
# filter
keys / b o b Enter
wait_for "filter: bob" 3 || fail "no filter"
wait_gone "alice" 3 || fail "filter kept alice"
pane | grep -q "1/3 sessions" || fail "filter count"
keys Escape
wait_for "alice" 3 || fail "Esc did not clear the filter"
# resize: wider shows more columns, back to 80x24 lays out again
tm resize-window -t t -x 140 -y 40
wait_for "PRIMARY" 3 || fail "no PRIMARY column at 140 columns"
tm resize-window -t t -x 80 -y 24
wait_for "TIME     USER" 3 || fail "no table header at 80x24"
pane | grep -q "PRIMARY" && fail "PRIMARY still at 80 columns"
pane | head -1 | grep -q "authscope live" || { pane; fail "title line lost after resize"; }
pane | tail -1 | grep -q "q quit" || fail "status line lost after resize"
keys q
wait_for "AFTER-MARK rc=0" 5 || fail "q did not quit with status 0"
pane | grep -q "BEFORE-MARK" || fail "the shell's screen was not restored"
! pane | grep -q "FINDINGS" || fail "dashboard left on the screen"
cmp -s "$T/stty.before" "$T/stty.after" || fail "terminal modes changed"
exit 0
