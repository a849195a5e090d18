#!/bin/sh
# Correlation across sources: the same N logins (default 100,000) seen by
# the proxy (authproxy.log, +05:30), the headend (IOS debug, UTC, 1.7 s
# fast, no year) and a capture of both RADIUS legs (bench/gen_corr.py).
# Times `authscope analyze -f json` on the three inputs together (clock
# prepass, sessions joined across sources) against the sum of the three
# inputs analysed one by one. Target: together <= 2x separately. Also
# checks the joined result: N sessions, each with stages from all three
# sources. Medians of RUNS runs (default 3).
#   N=100000 RUNS=3 sh bench/bench_corr.sh build
set -u
BUILD=${1:-build}
RUNS=${RUNS:-3}
N=${N:-100000}
D=$BUILD/bench/corr-$N
A=$BUILD/authscope
[ -x /usr/bin/time ] || { echo "bench_corr: /usr/bin/time missing (apt-get install time)" >&2; exit 1; }
if [ ! -s "$D/proxy.pcap" ]; then
  python3 bench/gen_corr.py "$N" "$D.tmp" && rm -rf "$D" && mv "$D.tmp" "$D" || exit 1
fi
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
run_as() { /usr/bin/time -f "%e %U %S %M" "$@" 2>&1 >/dev/null | tail -1; }
: > "$D/sep.runs"; : > "$D/all.runs"
i=0
while [ $i -lt "$RUNS" ]; do
  t=0
  for f in authproxy.log router-debug.txt proxy.pcap; do
    w=$(run_as "$A" analyze -f json --fail-on none -o "$D/sep.json" "$D/$f" | awk '{ print $1 }')
    t=$(awk -v a="$t" -v b="$w" 'BEGIN { print a + b }')
  done
  echo "$t" >> "$D/sep.runs"
  run_as "$A" analyze -f json --fail-on none -o "$D/all.json" "$D/authproxy.log" \
    "$D/router-debug.txt" "$D/proxy.pcap" >> "$D/all.runs"
  i=$((i+1))
done
sep=$(median < "$D/sep.runs")
all=$(awk '{ print $1 }' "$D/all.runs" | median)
rss=$(awk '{ print $4 }' "$D/all.runs" | sort -n | tail -1)
ratio=$(awk -v a="$all" -v s="$sep" 'BEGIN { printf "%.2f", a / s }')
joined=$(python3 - "$D/all.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
ok = sum(1 for s in d['sessions']
         if {'authproxy-log', 'ios-debug', 'pcap'} <= set(st['source'] for st in s['stages']))
print(len(d['sessions']), ok)
PY
)
echo "bench corr-3-sources: ${all} s ($N logins, 3 inputs together; peak RSS ${rss} KB)"
echo "bench corr-separately: ${sep} s (the 3 inputs analysed one by one, summed)"
echo "bench corr-ratio: ${ratio} x (together / separately; target <= 2)"
echo "bench corr-joined: $joined (sessions, sessions with stages from all 3 sources)"
awk -v r="$ratio" 'BEGIN { exit !(r <= 2) }' || { echo "bench_corr: ratio $ratio over 2" >&2; exit 1; }
