#!/bin/sh
# Colour only on a terminal and never with NO_COLOR: the text report and the
# timeline, on a pty (script(1)) with and without NO_COLOR, and into a pipe.
. tests/sh/pty.inc; need_pty
set -u
A=${AUTHSCOPE:-build/authscope}
IN=testdata/traces/authproxy-accept-and-reject/input/authproxy.log
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
esc=$(printf '\033')
unset NO_COLOR
export TERM=xterm
for cmd in "analyze --fail-on none" timeline; do
  script -qec "$A $cmd $IN" /dev/null > "$T/tty" 2>&1
  grep -q "$esc\[" "$T/tty" || fail "$cmd: no colour on a terminal"
  NO_COLOR=1 script -qec "$A $cmd $IN" /dev/null > "$T/nc" 2>&1
  ! grep -q "$esc\[" "$T/nc" || fail "$cmd: colour despite NO_COLOR"
  grep -q jdoe "$T/nc" || fail "$cmd: no report under NO_COLOR"
  $A $cmd $IN > "$T/pipe" 2>&1
  ! grep -q "$esc\[" "$T/pipe" || fail "$cmd: colour into a pipe"
done
exit 0
