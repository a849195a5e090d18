#!/bin/sh
# IOS parser throughput (median of RUNS runs, default 5) on a generated IOS XE
# console capture (LINES lines, default 1M, ~67 bytes each; bench/gen_ios.py:
# IKEv2 with EAP to RADIUS, challenge then accept, every 10th login with its
# RADIUS servers silent):
#   - ios-parser: line reader + IOS parser into a counting sink (lines/s)
#   - ios-analyze: `authscope analyze` end to end (sessions, rules, JSON
#     report to /dev/null), for scale
#   - with CALLGRIND=1: instructions per line of the parser on 100k lines
set -u
BUILD=${1:-build}
RUNS=${RUNS:-5}
LINES=${LINES:-1000000}
D=$BUILD/bench
mkdir -p "$D"
cc -O2 -std=c11 -D_GNU_SOURCE -Isrc -o "$D/bench_ios" bench/bench_ios.c \
   "$BUILD/libauthscope.a" $(make -s --no-print-directory print-libs) || exit 1
LOG=$D/ios-$LINES.log
[ -s "$LOG" ] || python3 bench/gen_ios.py "$LINES" "$LOG" || exit 1
N=$(wc -l <"$LOG")
MB=$(awk -v b="$(stat -c %s "$LOG")" 'BEGIN { printf "%.1f", b / 1e6 }')

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
rate() { awk -v n="$1" -v t="$2" 'BEGIN { printf "%.2f", n / t / 1e6 }'; }

i=0; : >"$D/ios.times"
while [ $i -lt "$RUNS" ]; do "$D/bench_ios" "$LOG" >>"$D/ios.times"; i=$((i+1)); done
t=$(awk '{ print $2 }' "$D/ios.times" | median)
ev=$(awk 'NR == 1 { print $3 }' "$D/ios.times")
echo "bench ios-parser: $(rate "$N" "$t") M lines/s ($N lines, $MB MB, ${t}s, $ev events)"

i=0
t=$(while [ $i -lt "$RUNS" ]; do
  s=$(date +%s.%N)
  "$BUILD/authscope" analyze --fail-on none -f json -o /dev/null --year 2022 "$LOG"
  e=$(date +%s.%N); echo "$s $e" | awk '{ printf "%.6f\n", $2 - $1 }'; i=$((i+1))
done | median)
echo "bench ios-analyze: $(rate "$N" "$t") M lines/s (${t}s: parse, sessions, rules, JSON report)"

if [ "${CALLGRIND:-0}" = 1 ] && command -v valgrind >/dev/null; then
  head -100000 "$LOG" >"$D/ios-100k.log"
  ir=$(valgrind --tool=callgrind --callgrind-out-file="$D/ios.cg" "$D/bench_ios" "$D/ios-100k.log" 2>&1 |
       awk '/refs:/ { gsub(",", "", $NF); print $NF }')
  echo "bench ios-parser-instructions: $(awk -v i="$ir" 'BEGIN { printf "%.0f", i / 100000 }') instructions/line (callgrind, 100k lines)"
fi
