#!/bin/sh
# The live dashboard's targets (bench/README.md):
#   - replay throughput: a generated 1M-line authproxy.log through
#     `live --headless --replay --speed 1e9` (the whole live path: merge,
#     sessions, rules, the dashboard's counters, age-out and snapshots);
#   - sustained follow: a writer appends logins to a followed file at RATES
#     lines/s (12 lines, 9 events per login) for SECS seconds; the delay
#     until a last marker login shows says whether the dashboard kept up;
#   - follow latency: a login appended to a quiet file (and one written as a
#     new file after a rotation) until it shows in a snapshot;
#   - idle CPU: a quiet followed file, headless and full screen (tmux).
set -u
BUILD=${1:-build}
A=$(pwd)/$BUILD/authscope
D=$BUILD/bench/live
RATES=${RATES:-15000 30000}
SECS=${SECS:-15}
IDLE=${IDLE:-30}
mkdir -p "$D"
LOG=$D/authproxy-1m.log
[ -s "$LOG" ] || python3 bench/gen_authproxy.py --lines 1000000 --logins 40000 > "$LOG"
s=$(date +%s.%N)
"$A" live --headless --replay --speed 1e9 "$LOG" > "$D/replay.out"
e=$(date +%s.%N)
ev=$(awk '/^counters: events/ { n = $3 } END { print n }' "$D/replay.out")
echo "$s $e $ev" | awk '{ t = $2 - $1; printf "bench live-replay: %.0f events/s (%d events of 1M lines in %.2f s)\n", $3 / t, $3, t }'
for r in $RATES; do
  echo "bench live-follow-$r-lines/s: $(python3 bench/live_drive.py "$A" "$D" rate "$r" "$SECS")"
done
echo "bench live-follow-latency: $(python3 bench/live_drive.py "$A" "$D" latency 15)"
echo "bench live-idle-cpu: $(python3 bench/live_drive.py "$A" "$D" idle "$IDLE")"
if command -v tmux >/dev/null; then
  echo "bench live-idle-cpu: $(python3 bench/live_drive.py "$A" "$D" idle "$IDLE" tui)"
fi
