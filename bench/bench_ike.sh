#!/bin/sh
# IKE decoder throughput (median of RUNS runs, default 5):
#  ike-header: IKEv2 messages in clear (IKE_SA_INIT request/response with SA,
#    KE, Nonce, NAT-D notifies; IKE_AUTH SK messages without keys), 256 SAs a
#    round, through ike_udp() and SA tracking to events (target >= 1 M/s);
#  ike-sk-gcm / ike-sk-cbc: IKE_AUTH SK payloads decrypted (AES-GCM-256/16,
#    AES-CBC-256 + HMAC-SHA2-256-128 checked) and the inner IDi, AUTH, SA,
#    TSi, TSr, CP decoded to events (target >= 100 k/s).
set -u
BUILD=${1:-build}
RUNS=${RUNS:-5}
N=${PACKETS:-2000000}
NSK=${SKPACKETS:-500000}
D=$BUILD/bench
mkdir -p "$D"
cc -O2 -std=c11 -D_GNU_SOURCE -Isrc -o "$D/bench_ike" bench/bench_ike.c \
   "$BUILD/libauthscope.a" $(make -s --no-print-directory print-libs) || exit 1
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
run() { i=0; while [ $i -lt "$RUNS" ]; do "$D/bench_ike" "$@" | awk '{ print $2 }'; i=$((i+1)); done | median; }
t=$(run hdr "$N")
ev=$("$D/bench_ike" hdr 100000 | awk '{ print $3 }')
awk -v n="$N" -v t="$t" -v ev="$ev" 'BEGIN { printf "bench ike-header: %.2f M packets/s (%d packets, %.3f s; %.1f events per packet)\n", n / t / 1e6, n, t, ev / 100000 }'
for alg in gcm cbc; do
  t=$(run sk "$NSK" $alg)
  awk -v n="$NSK" -v t="$t" -v a="$alg" 'BEGIN { printf "bench ike-sk-%s: %.0f k SK payloads/s (%d payloads, %.3f s)\n", a, n / t / 1e3, n, t }'
done
