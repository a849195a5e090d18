#!/bin/sh
# IKEv2/EAP lab: strongSwan client -> strongSwan headend -> FreeRADIUS.
#
#   sudo sh testdata/lab/run.sh CASE OUTDIR        (one case)
#   sudo sh testdata/lab/run.sh all  testdata/lab/out
#
# Two network namespaces made here (asc-cli 10.99.0.1, asc-hub 10.99.0.2,
# joined by a veth pair); FreeRADIUS listens on the headend namespace's own
# loopback; each charon runs in its namespace with a private /run. tcpdump
# -i any in the headend namespace captures both legs (IKE on the veth,
# RADIUS on lo) into OUTDIR/CASE.pcap. The IKE SA keys come from the
# client's charon log at ike level 4 (the Debian build has no save-keys
# plugin) and are written as Wireshark's ikev2_decryption_table into
# OUTDIR/CASE.ike-keys. Nothing leaves the namespaces; they are deleted at
# the end (also on error). Needs: strongswan-charon, strongswan-swanctl,
# libcharon-extra-plugins (eap-radius, eap-md5), freeradius, tcpdump, iproute2.
#
# Cases: mschapv2-ok md5-ok wrong-password unknown-user no-proposal
#        invalid-ke radius-down radius-silent
set -u
CASE=${1:?case}
OUT=${2:?outdir}
HERE=$(cd "$(dirname "$0")" && pwd)
if [ "$CASE" = all ]; then
  for c in mschapv2-ok md5-ok wrong-password unknown-user no-proposal invalid-ke radius-down radius-silent; do
    sh "$0" "$c" "$OUT" || exit 1
  done
  exit 0
fi
for t in /usr/lib/ipsec/charon swanctl freeradius tcpdump ip; do
  command -v "$t" >/dev/null 2>&1 || [ -x "$t" ] ||
    { echo "lab: $t is missing; run: sh tools/deps.sh lab" >&2; exit 2; }
done
[ -f /usr/lib/ipsec/plugins/libstrongswan-eap-radius.so ] ||
  { echo "lab: the eap-radius plugin is missing; run: sh tools/deps.sh lab" >&2; exit 2; }
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
LAB=$(mktemp -d /tmp/asc-lab.XXXXXX)
CLI=asc-cli HUB=asc-hub
PIDS=""
cleanup() {
  for p in $PIDS; do kill "$p" 2>/dev/null; done
  sleep 1
  for p in $PIDS; do kill -9 "$p" 2>/dev/null; done
  ip netns del $CLI 2>/dev/null
  ip netns del $HUB 2>/dev/null
  rm -rf "$LAB"
}
trap cleanup EXIT INT TERM

# ---- the case ----
CLI_PROPOSALS=aes256-sha256-ecp256
HUB_PROPOSALS=aes256-sha256-ecp256
EAP=eap-mschapv2
USER=alice PASS=wonderland
RADIUS=yes
case $CASE in
  mschapv2-ok) ;;
  md5-ok) EAP=eap-md5; CLI_PROPOSALS=aes256gcm16-prfsha256-ecp256; HUB_PROPOSALS=$CLI_PROPOSALS ;;
  wrong-password) EAP=eap-md5; PASS=not-the-password ;;
  unknown-user) USER=mallory ;;
  no-proposal) CLI_PROPOSALS=aes128-sha1-modp2048 ;;
  invalid-ke) CLI_PROPOSALS=aes256-sha256-modp3072-ecp256 ;;
  radius-down) RADIUS=no ;;          # nothing listens: ICMP port unreachable
  radius-silent) RADIUS=silent ;;     # FreeRADIUS with another secret drops every request
  *) echo "unknown case $CASE" >&2; exit 2 ;;
esac

# ---- namespaces ----
ip netns add $CLI && ip netns add $HUB || exit 1
ip link add asc-v0 type veth peer name asc-v1 || exit 1
ip link set asc-v0 netns $CLI && ip link set asc-v1 netns $HUB
ip -n $CLI addr add 10.99.0.1/24 dev asc-v0
ip -n $HUB addr add 10.99.0.2/24 dev asc-v1
for ns in $CLI $HUB; do ip -n $ns link set lo up; done
ip -n $CLI link set asc-v0 up
ip -n $HUB link set asc-v1 up

# ---- FreeRADIUS on the headend's loopback ----
mkdir -p "$LAB/raddb" "$LAB/radlog" "$LAB/radrun"
RSECRET=labsecret
[ $RADIUS = silent ] && RSECRET=not-the-headends-secret
sed -e "s#@LAB@#$LAB#g" -e "s#@SECRET@#$RSECRET#g" "$HERE/radiusd.conf" > "$LAB/raddb/radiusd.conf"
printf 'alice Cleartext-Password := "wonderland"\n' > "$LAB/raddb/users"
: > "$LAB/raddb/dictionary"
if [ $RADIUS != no ]; then
  ip netns exec $HUB freeradius -f -d "$LAB/raddb" -l "$LAB/radlog/radius.log" &
  PIDS="$PIDS $!"
fi

# ---- charon x2 ----
mkconf() {  # name role
  sed -e "s#@LAB@#$LAB#g" -e "s#@NAME@#$1#g" "$HERE/strongswan-$2.conf" > "$LAB/$1.strongswan.conf"
}
mkconf cli client
mkconf hub headend
sed -e "s#@PROPOSALS@#$CLI_PROPOSALS#" -e "s#@EAP@#$EAP#" -e "s#@USER@#$USER#" -e "s#@PASS@#$PASS#" \
  "$HERE/swanctl-client.conf" > "$LAB/cli.swanctl.conf"
sed -e "s#@PROPOSALS@#$HUB_PROPOSALS#" "$HERE/swanctl-headend.conf" > "$LAB/hub.swanctl.conf"
start_charon() {  # ns name
  ip netns exec "$1" unshare -m sh -c "mount -t tmpfs none /run && STRONGSWAN_CONF=$LAB/$2.strongswan.conf exec /usr/lib/ipsec/charon" \
    >"$LAB/$2.stdout" 2>&1 &
  PIDS="$PIDS $!"
}
ip netns exec $HUB tcpdump -i any -s 0 -U -w "$OUT/$CASE.pcap" 'udp port 500 or udp port 4500 or udp port 1812 or esp or icmp' \
  >"$LAB/tcpdump.log" 2>&1 &
TCPDUMP=$!
PIDS="$PIDS $TCPDUMP"
start_charon $HUB hub
start_charon $CLI cli
for i in 1 2 3 4 5 6 7 8 9 10; do
  [ -S "$LAB/hub.vici" ] && [ -S "$LAB/cli.vici" ] && break
  sleep 0.5
done
sleep 1
swanctl --load-all --noprompt --file "$LAB/hub.swanctl.conf" --uri "unix://$LAB/hub.vici" >"$LAB/hub.load" 2>&1 ||
  { cat "$LAB/hub.load" >&2; exit 1; }
swanctl --load-all --noprompt --file "$LAB/cli.swanctl.conf" --uri "unix://$LAB/cli.vici" >"$LAB/cli.load" 2>&1 ||
  { cat "$LAB/cli.load" >&2; exit 1; }
swanctl --initiate --ike lab --timeout 60 --uri "unix://$LAB/cli.vici" >"$OUT/$CASE.initiate.txt" 2>&1
sleep 2
swanctl --list-sas --uri "unix://$LAB/cli.vici" >>"$OUT/$CASE.initiate.txt" 2>&1
# an orderly close when the SA is up (INFORMATIONAL delete)
swanctl --terminate --ike lab --timeout 10 --uri "unix://$LAB/cli.vici" >>"$OUT/$CASE.initiate.txt" 2>&1
sleep 2
kill "$TCPDUMP"; sleep 1
for p in $PIDS; do kill "$p" 2>/dev/null; done; sleep 1   # charon flushes its log
cp "$LAB/cli.charon.log" "$OUT/$CASE.client.log"
cp "$LAB/hub.charon.log" "$OUT/$CASE.headend.log"
[ -f "$LAB/radlog/radius.log" ] && cp "$LAB/radlog/radius.log" "$OUT/$CASE.radius.log"

# ---- keys: the client's log (ike level 4) + the SPIs from the capture ----
sh "$HERE/keys_from_log.sh" "$OUT/$CASE.client.log" "$OUT/$CASE.pcap" >"$OUT/$CASE.ike-keys"
echo "lab $CASE: $(wc -l <"$OUT/$CASE.ike-keys") key row(s), $(tcpdump -r "$OUT/$CASE.pcap" 2>/dev/null | wc -l) packets"
