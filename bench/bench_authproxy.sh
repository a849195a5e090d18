#!/bin/sh
# authproxy.log end to end: `authscope analyze` (text report to a file) on
# a generated 1M-line log holding 40,000 logins of every outcome
# (bench/gen_authproxy.py), against `LC_ALL=C grep -c -F 'login attempt'`
# on the same file. Prints lines/s (wall and CPU), the ratio to grep, and
# peak RSS (/usr/bin/time). Medians of RUNS runs (default 5).
#   LINES=1000000 LOGINS=40000 RUNS=5 sh bench/bench_authproxy.sh build
set -u
BUILD=${1:-build}
RUNS=${RUNS:-5}
LINES=${LINES:-1000000}
LOGINS=${LOGINS:-40000}
D=$BUILD/bench
A=$BUILD/authscope
mkdir -p "$D"
F=$D/authproxy-$LINES-$LOGINS.log
if [ ! -s "$F" ]; then
  python3 bench/gen_authproxy.py --lines "$LINES" --logins "$LOGINS" --seed 1 > "$F.tmp" && mv "$F.tmp" "$F" || exit 1
fi
n=$(wc -l < "$F")
[ -x /usr/bin/time ] || { echo "bench_authproxy: /usr/bin/time missing (apt-get install time)" >&2; exit 1; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# one line per run: wall user+sys maxrss_kb
run_as() { /usr/bin/time -f "%e %U %S %M" "$@" 2>&1 >/dev/null | tail -1; }
i=0; : > "$D/ap.runs"
while [ $i -lt "$RUNS" ]; do
  run_as "$A" analyze --fail-on none -o "$D/ap.out" "$F" >> "$D/ap.runs"; i=$((i+1))
done
i=0; : > "$D/grep.runs"
while [ $i -lt "$RUNS" ]; do
  # to a file: grep stops at the first match when its output is /dev/null
  /usr/bin/time -f "%e %U %S %M" sh -c "LC_ALL=C grep -c -F 'login attempt' '$F' > '$D/grep.out'" \
    2>&1 | tail -1 >> "$D/grep.runs"; i=$((i+1))
done
aw=$(awk '{ print $1 }' "$D/ap.runs" | median)
ac=$(awk '{ print $2 + $3 }' "$D/ap.runs" | median)
rss=$(awk '{ print $4 }' "$D/ap.runs" | sort -n | tail -1)
gw=$(awk '{ print $1 }' "$D/grep.runs" | median)
gc=$(awk '{ print $2 + $3 }' "$D/grep.runs" | median)
sessions=$("$A" analyze --fail-on none -f json "$F" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["sessions"]))')
awk -v n="$n" -v aw="$aw" -v ac="$ac" -v gw="$gw" -v gc="$gc" -v rss="$rss" -v s="$sessions" 'BEGIN {
  printf "bench authproxy-analyze: %.2f M lines/s wall, %.2f M lines/s CPU (%d lines, %d sessions; %.2f s wall, %.2f s user+sys)\n",
    n / aw / 1e6, n / (ac > 0 ? ac : 1e-9) / 1e6, n, s, aw, ac
  printf "bench authproxy-vs-grep: %.1fx wall, %.1fx CPU (grep -c -F: %.3f s wall, %.3f s user+sys)\n",
    aw / (gw > 0 ? gw : 1e-9), ac / (gc > 0 ? gc : 1e-9), gw, gc
  printf "bench authproxy-peak-rss: %.1f MB (max of the runs)\n", rss / 1024
}'
