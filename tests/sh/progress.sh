#!/bin/sh
# The progress bar: drawn on a terminal's stderr (here a pty from script(1))
# with bytes, rate and ETA, erased at the end; never with -q, never when
# stderr is not a terminal. The one-second delay is lowered for the test.
. tests/sh/pty.inc; need_pty
set -u
A=${AUTHSCOPE:-build/authscope}
IN=testdata/traces/authproxy-accept-and-reject/input/authproxy.log
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
command -v script >/dev/null || fail "script(1) missing (bsdutils)"
i=0; while [ $i -lt 3000 ]; do cat "$IN"; i=$((i+1)); done > "$T/big.log"
export AUTHSCOPE_PROGRESS_DELAY_MS=0
script -qec "$A analyze -f json -o $T/out.json $T/big.log" /dev/null > "$T/tty" 2>&1
grep -q 'MiB/s' "$T/tty" || { od -c "$T/tty" | head; fail "no bar on a terminal"; }
grep -q 'ETA' "$T/tty" || fail "no ETA"
grep -q '%' "$T/tty" || fail "no percentage"
tail -c 8 "$T/tty" | od -c | grep -q 'K' || fail "bar not erased at the end"
python3 -c "import json,sys; json.load(open('$T/out.json'))" || fail "report damaged by the bar"
script -qec "$A analyze -q -f json -o $T/out.json $T/big.log" /dev/null > "$T/tty.q" 2>&1
! grep -q 'MiB/s' "$T/tty.q" || fail "bar despite -q"
"$A" analyze -f json -o "$T/out.json" "$T/big.log" 2> "$T/err"
[ ! -s "$T/err" ] || fail "output on a non-terminal stderr: $(head -c 200 "$T/err")"
# events streaming to the terminal itself: no bar to mix with them
script -qec "$A events $T/big.log" /dev/null > "$T/tty.ev" 2>&1
! grep -q 'MiB/s' "$T/tty.ev" || fail "bar mixed into events on the terminal"
grep -q '"kind":"radius.request"' "$T/tty.ev" || fail "no events on the terminal"
# -v: a summary line
"$A" analyze -v -f json -o "$T/out.json" "$T/big.log" 2> "$T/err"
grep -q '45000 events' "$T/err" || fail "-v summary: $(cat "$T/err")"
exit 0
