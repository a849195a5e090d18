#!/bin/sh
# Rules engine throughput (median of RUNS runs, default 5): N events
# (default 1M; a mix of six kinds, one with no rule at all) through
# rules_on_event with the built-in pack plus 40 generated rules (30 regex
# matches, 5 absence timers over request/response, 5 thresholds).
set -u
BUILD=${1:-build}
RUNS=${RUNS:-5}
N=${EVENTS:-1000000}
D=$BUILD/bench
mkdir -p "$D"
cc -O2 -std=c11 -D_GNU_SOURCE -Isrc -o "$D/bench_rules" bench/bench_rules.c \
   "$BUILD/libauthscope.a" $(make -s --no-print-directory print-libs) || exit 1
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
i=0; t=$(while [ $i -lt "$RUNS" ]; do "$D/bench_rules" "$N" | awk '{ print $2 }'; i=$((i+1)); done | median)
f=$("$D/bench_rules" 1000 | awk '{ print $3 }')
awk -v n="$N" -v t="$t" 'BEGIN { printf "bench rules-engine: %.2f M events/s (%d events, %.3f s, 40 generated rules + the pack)\n", n / t / 1e6, n, t }'
