#!/bin/sh
# RADIUS capture throughput (bench/README.md): a generated 1M-packet
# capture (bench_radius gen: 10 000 PAP logins/s from 200 NAS x 8 ports,
# retransmits, unanswered requests), then
#   - capture -> events: fmt_pcap into a counting sink (packets/s), and its
#     peak RSS (target >= 2 M packets/s, <= 64 MB)
#   - authscope decode -T fields against tshark -T fields with the same 84
#     fields (the oracle schema without _ws.*) on the same file (target 50x)
#   - authscope analyze on a 200k-packet file of the same kind (the whole
#     pipeline; not a target: see bench/README.md for why not 1M)
# Times are medians of RUNS (default 5; tshark runs TSHARK_RUNS, default 1)
# and are reported both as wall time and as CPU time (user + sys): the
# machine is shared, and on a loaded machine CPU time is the steadier
# measure of our own cost.
set -u
BUILD=${1:-build}
RUNS=${RUNS:-5}
TSHARK_RUNS=${TSHARK_RUNS:-1}
N=${PACKETS:-1000000}
D=$BUILD/bench
mkdir -p "$D"
cc -O2 -std=c11 -D_GNU_SOURCE -Isrc -o "$D/bench_radius" bench/bench_radius.c \
   "$BUILD/libauthscope.a" $(make -s --no-print-directory print-libs) || exit 1
CAP=$D/radius-$N.pcap
[ -s "$CAP" ] || "$D/bench_radius" gen "$CAP" "$N" || exit 1
cat "$CAP" >/dev/null                       # warm the page cache
FIELDS=$(printf '%s\n' frame.number frame.time_epoch frame.len ip.src ip.dst ipv6.src ipv6.dst \
  udp.srcport udp.dstport udpencap.non_esp_marker udpencap.nat_keepalive esp.spi esp.sequence \
  radius.code radius.id radius.length radius.authenticator radius.authenticator.valid \
  radius.avp.type radius.User_Name radius.User_Password radius.CHAP_Password \
  radius.NAS_IP_Address radius.NAS_Identifier radius.NAS_Port radius.NAS_Port_Type \
  radius.Service_Type radius.Framed_IP_Address radius.Reply_Message radius.State radius.Class \
  radius.Session_Timeout radius.Termination_Action radius.Called_Station_Id \
  radius.Calling_Station_Id radius.Proxy_State radius.Acct_Status_Type radius.Acct_Session_Id \
  radius.Error_Cause radius.EAP_Message radius.Message_Authenticator radius.avp.vendor_id \
  radius.avp.vendor_type radius.MS_CHAP_Challenge radius.MS_CHAP2_Response \
  radius.MS_CHAP2_Success radius.MS_CHAP_Error radius.MS_MPPE_Send_Key radius.MS_MPPE_Recv_Key \
  radius.MS_MPPE_Encryption_Policy radius.MS_MPPE_Encryption_Types eap.code eap.id eap.len \
  eap.type eap.identity isakmp.ispi isakmp.rspi isakmp.version isakmp.exchangetype isakmp.flags \
  isakmp.messageid isakmp.length isakmp.nextpayload isakmp.typepayload isakmp.payloadlength \
  isakmp.notify.protoid isakmp.notify.msgtype isakmp.frag.number isakmp.frag.total \
  isakmp.key_exchange.dh_group isakmp.tf.type isakmp.tf.id.encr isakmp.tf.id.prf \
  isakmp.tf.id.integ isakmp.tf.id.dh isakmp.id.type isakmp.auth.method isakmp.auth.data \
  isakmp.delete.protoid isakmp.ts.type isakmp.cfg.type isakmp.enc.iv isakmp.enc.icd |
  sed 's/^/-e /' | tr '\n' ' ')
E="-T fields -E header=y -E separator=/t -E occurrence=a -E aggregator=| -E quote=n"

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# measure RUNS CMD...: prints "wall cpu maxrss_kb" (medians)
measure() {
  n=$1; shift; i=0
  while [ $i -lt "$n" ]; do
    /usr/bin/time -f "%e %U %S %M" -o "$D/time.tmp" "$@" >/dev/null 2>&1
    cat "$D/time.tmp"; i=$((i+1))
  done >"$D/times.tmp"
  w=$(awk '{ print $1 }' "$D/times.tmp" | median)
  c=$(awk '{ print $2 + $3 }' "$D/times.tmp" | median)
  m=$(awk '{ print $4 }' "$D/times.tmp" | sort -n | tail -1)
  echo "$w $c $m"
}
rate() { awk -v n="$N" -v t="$1" 'BEGIN { printf "%.2f", n / t / 1e6 }'; }

set -- $(measure "$RUNS" "$D/bench_radius" run "$CAP")
echo "bench radius-capture-events: $(rate "$2") M packets/s CPU, $(rate "$1") M packets/s wall ($N packets, median cpu ${2}s wall ${1}s, peak RSS $(($3 / 1024)) MB)"
set -- $(measure "$RUNS" "$BUILD/authscope" decode $E $FIELDS "$CAP")
ours_c=$2 ours_w=$1
echo "bench radius-decode-fields: $(rate "$2") M frames/s CPU, $(rate "$1") M frames/s wall (84 fields, peak RSS $(($3 / 1024)) MB)"
if [ "$TSHARK_RUNS" -gt 0 ] && command -v tshark >/dev/null; then
  set -- $(measure "$TSHARK_RUNS" tshark -r "$CAP" $E $FIELDS)
  echo "bench radius-tshark-fields: $(awk -v n="$N" -v t="$2" 'BEGIN { printf "%.0f", n / t / 1e3 }') k frames/s CPU (${2}s cpu, ${1}s wall, peak RSS $(($3 / 1024)) MB)"
  echo "bench radius-decode-vs-tshark: $(awk -v a="$2" -v b="$ours_c" 'BEGIN { printf "%.0f", a / b }')x CPU, $(awk -v a="$1" -v b="$ours_w" 'BEGIN { printf "%.0f", a / b }')x wall"
fi
SMALL=$D/radius-200000.pcap
[ -s "$SMALL" ] || "$D/bench_radius" gen "$SMALL" 200000 || exit 1
set -- $(measure "$RUNS" "$BUILD/authscope" analyze --fail-on none "$SMALL")
echo "bench radius-analyze-200k: $(awk -v t="$2" 'BEGIN { printf "%.2f", 200000 / t / 1e6 }') M packets/s CPU (${2}s cpu, ${1}s wall, peak RSS $(($3 / 1024)) MB)"
