#!/bin/sh
# Config parsing and comparison (median of RUNS runs, default 5), whole
# authscope process (`events` to /dev/null, so every fact is also written):
#   - a typical running-config: the seed demo router.cfg (~110 lines)
#   - a big IOS running-config: IFACES subinterfaces (default 20000, each
#     with an address), SERVERS radius servers (default 1000) all on the
#     EAP list, ~106 k lines
#   - a big authproxy.cfg: ENTRIES radius_ip_N/radius_secret_N pairs
#     (default 20000, each secret fingerprinted with HMAC-SHA256)
#   - both big files compared (analyze): every server against every entry
set -u
BUILD=${1:-build}
RUNS=${RUNS:-5}
IFACES=${IFACES:-20000}
SERVERS=${SERVERS:-1000}
ENTRIES=${ENTRIES:-20000}
A=$BUILD/authscope
D=$BUILD/bench/config
mkdir -p "$D/both"
R=$D/both/router.cfg
P=$D/both/authproxy.cfg
awk -v ni="$IFACES" -v ns="$SERVERS" 'BEGIN {
  print "Building configuration..."; print ""; print "Current configuration : 9 bytes"
  print "!"; print "version 17.10"; print "hostname big"; print "aaa new-model"
  for (i = 0; i < ni; i++) {
    printf "interface GigabitEthernet0/0/0.%d\n encapsulation dot1Q %d\n", i, i % 4000 + 1
    printf " ip address 10.%d.%d.1 255.255.255.0\n no shutdown\n!\n", int(i / 256), i % 256 }
  for (i = 0; i < ns; i++) {
    printf "radius server r%d\n address ipv4 172.16.%d.%d auth-port 1812 acct-port 1813\n", i, int(i / 256), i % 256
    printf " timeout 60\n key 7 070C285F4D06\n!\n" }
  print "aaa group server radius G"
  for (i = 0; i < ns; i++) printf " server name r%d\n", i
  print "aaa authentication login L group G"; print "crypto ikev2 profile P"
  print " aaa authentication eap L"; print "end" }' > "$R"
awk -v ne="$ENTRIES" 'BEGIN {
  print "[radius_client]"; print "host=10.0.0.1"; print "secret=x"
  print "[radius_server_auto]"; print "client=radius_client"
  for (i = 1; i <= ne; i++) {
    printf "radius_ip_%d=10.%d.%d.0/24\nradius_secret_%d=s%d\n", i, int(i / 256), i % 256, i, i } }' > "$P"

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
timeit() {
  i=0; while [ $i -lt "$RUNS" ]; do
    s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N)
    echo "$s $e" | awk '{ printf "%.6f\n", $2 - $1 }'; i=$((i+1))
  done | median
}
lines() { wc -l < "$1" | tr -d ' '; }
t=$(timeit "$A" events testdata/bundles/demo/router.cfg)
echo "bench config-typical: $t s (demo router.cfg, $(lines testdata/bundles/demo/router.cfg) lines, whole process)"
t=$(timeit "$A" events "$R")
echo "bench config-ios-big: $t s ($(lines "$R") lines, $IFACES interfaces, $SERVERS servers; $(awk -v n="$(lines "$R")" -v t="$t" 'BEGIN { printf "%.0f", n / t / 1000 }') k lines/s)"
t=$(timeit "$A" events "$P")
echo "bench config-proxy-big: $t s ($(lines "$P") lines, $ENTRIES radius_ip_N; $(awk -v n="$(lines "$P")" -v t="$t" 'BEGIN { printf "%.0f", n / t / 1000 }') k lines/s)"
t=$(timeit "$A" analyze --fail-on none "$D/both")
echo "bench config-compare-big: $t s (both big files: prepass + parse + $SERVERS servers x $ENTRIES entries)"
