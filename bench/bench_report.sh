#!/bin/sh
# Report rendering: the same run (a generated authproxy.log with LOGINS
# logins, default 10,000) rendered in every format, median of RUNS runs.
# Each time is the whole command; "render" subtracts the median of
# `analyze -f json -o /dev/null --user nobody` (the same pipeline with
# nothing to print), so it is what the renderer itself costs. Also the
# HTML page's size and the cost of --redact.
set -u
BUILD=${1:-build}
RUNS=${RUNS:-5}
LOGINS=${LOGINS:-10000}
D=$BUILD/bench
A=$BUILD/authscope
mkdir -p "$D"
LOG=$D/report-$LOGINS.log
[ -s "$LOG" ] || python3 bench/gen_authproxy.py --lines $((LOGINS * 25)) --logins "$LOGINS" >"$LOG"
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
timeit() {
  i=0; while [ $i -lt "$RUNS" ]; do
    s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N)
    echo "$s $e" | awk '{ printf "%.6f\n", $2 - $1 }'; i=$((i+1))
  done | median
}
sess=$("$A" analyze -f ndjson --fail-on none "$LOG" | grep -c '"event.action":"session"')
base=$(timeit "$A" analyze -f json --fail-on none --user nobody -o /dev/null "$LOG")
echo "bench report-pipeline: $base s ($sess sessions, nothing rendered)"
for f in text json ndjson html junit sarif; do
  t=$(timeit "$A" analyze -f "$f" --fail-on none -o "$D/report.$f" "$LOG")
  r=$(awk -v t="$t" -v b="$base" 'BEGIN { d = t - b; if (d < 0) d = 0; printf "%.3f", d }')
  sz=$(stat -c %s "$D/report.$f")
  echo "bench report-$f: $r s render ($t s total, $(awk -v s="$sz" 'BEGIN { printf "%.1f", s / 1e6 }') MB)"
done
t=$(timeit "$A" timeline -o "$D/report.timeline" "$LOG")
echo "bench report-timeline: $t s total"
t=$(timeit "$A" analyze --redact -f json --fail-on none -o "$D/report.red.json" "$LOG")
t0=$(timeit "$A" analyze -f json --fail-on none -o "$D/report.json" "$LOG")
echo "bench report-redact: $(awk -v a="$t" -v b="$t0" 'BEGIN { printf "%.3f", a - b }') s extra for --redact on json ($t s vs $t0 s)"
