#!/bin/sh
# Ingest throughput (median of RUNS runs, default 5) on a generated
# authproxy-like log (LINES lines, default 1M, ~140 bytes each):
#   - line reader alone (lines/s), against LC_ALL=C grep -c on the same file
#   - the gzip stream (MB/s decompressed), against gzip -dc
#   - the whole ingest path, one event per line with raw copied into the
#     lane queue and merged (events/s), on one file and on the file split
#     into 4 interleaved inputs
set -u
BUILD=${1:-build}
RUNS=${RUNS:-5}
LINES=${LINES:-1000000}
D=$BUILD/bench
mkdir -p "$D"
cc -O2 -std=c11 -D_GNU_SOURCE -Isrc -o "$D/bench_ingest" bench/bench_ingest.c \
   "$BUILD/libauthscope.a" $(make -s --no-print-directory print-libs) || exit 1
LOG=$D/ingest-$LINES.log
if [ ! -s "$LOG" ]; then
  awk -v n="$LINES" 'BEGIN { for (i = 0; i < n; i++)
    printf "2022-02-08T23:24:%02d.%06d+0530 [duoauthproxy.lib.log#info] Sending request from 10.106.54.%d to radius_server_auto (user%d)\n", i % 60, i % 1000000, i % 250, i % 5000 }' >"$LOG"
  gzip -kf "$LOG"
  split -n r/4 "$LOG" "$D/part-"
fi
MB=$(awk -v b="$(stat -c %s "$LOG")" 'BEGIN { printf "%.1f", b / 1e6 }')

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# run CMD RUNS times; print the median seconds
timeit() {
  i=0; while [ $i -lt "$RUNS" ]; do
    s=$(date +%s.%N); "$@" >"$D/out.tmp"; e=$(date +%s.%N)
    echo "$s $e" | awk '{ printf "%.6f\n", $2 - $1 }'; i=$((i+1))
  done | median
}
inner() {  # median of the program's own timing (excludes process start)
  i=0; while [ $i -lt "$RUNS" ]; do "$@" | awk '{ print $2 }'; i=$((i+1)); done | median
}
rate() { awk -v n="$1" -v t="$2" 'BEGIN { printf "%.2f", n / t / 1e6 }'; }

t=$(inner "$D/bench_ingest" lines "$LOG")
tg=$(timeit env LC_ALL=C grep -c e "$LOG")
echo "bench line-reader: $(rate "$LINES" "$t") M lines/s ($LINES lines, $MB MB, ${t}s; LC_ALL=C grep -c: $(rate "$LINES" "$tg") M lines/s, ${tg}s)"
t=$(inner "$D/bench_ingest" gz "$LOG.gz")
tz=$(timeit gzip -dc "$LOG.gz")
echo "bench gzip-stream: $(awk -v m="$MB" -v t="$t" 'BEGIN { printf "%.0f", m / t }') MB/s out (${t}s; gzip -dc: $(awk -v m="$MB" -v t="$tz" 'BEGIN { printf "%.0f", m / t }') MB/s)"
t=$(inner "$D/bench_ingest" ingest "$LOG")
echo "bench ingest-1-input: $(rate "$LINES" "$t") M events/s (${t}s, raw copied to the lane queue)"
t=$(inner "$D/bench_ingest" ingest "$D"/part-aa "$D"/part-ab "$D"/part-ac "$D"/part-ad)
echo "bench ingest-4-inputs-merged: $(rate "$LINES" "$t") M events/s (${t}s)"
t=$(inner "$D/bench_ingest" ingest "$LOG.gz")
echo "bench ingest-gz: $(rate "$LINES" "$t") M events/s (${t}s)"
