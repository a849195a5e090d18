#!/bin/sh
# decode --redact in every output mode (summaries, -V, -V -x, -T fields)
# over captures with RADIUS, EAP, MS-CHAPv2, IKEv2 (decrypted with
# --ike-keys), an ICMP-quoted RADIUS request and an IKE REDIRECT: no user
# name, identity or address of the plain output survives, one value keeps
# one pseudonym within a run, and -T fields keeps its rows and columns.
set -u
A=${AUTHSCOPE:-build/authscope}
case $A in /*) ;; *) A=$PWD/$A ;; esac
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
ID="-e radius.User_Name -e eap.identity -e eap.ms_chap_v2.name -e radius.Calling_Station_Id
    -e radius.Called_Station_Id -e radius.NAS_Identifier -e ip.src -e ip.dst -e ip.addr
    -e ipv6.src -e ipv6.dst -e radius.NAS_IP_Address -e radius.Framed-IP-Address"
MORE="-e frame.number -e radius.code -e radius.id -e udp.srcport -e radius.Reply_Message -e eap.code"

# the bytes of s as hex, to find them in a -x dump whatever its line breaks
hexof() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n'; }
dumphex() { grep -E '^[0-9a-f]{4}  ' "$1" | cut -c7-55 | tr -d ' \n'; }

# check NAME DIR CAPTURE EXTRA-IDS [decode args...]
check() {
  name=$1 dir=$2 cap=$3 extra=$4; shift 4
  o=$T/$name
  mkdir -p "$o"
  ( cd "$dir" || exit 2
    "$A" decode "$@" "$cap" > "$o/plain.s" &&
    "$A" decode -V "$@" "$cap" > "$o/plain.v" &&
    "$A" decode -T fields $ID $MORE "$@" "$cap" > "$o/plain.f" &&
    "$A" decode --redact "$@" "$cap" > "$o/s" &&
    "$A" decode --redact -V "$@" "$cap" > "$o/v" &&
    "$A" decode --redact -V -x "$@" "$cap" > "$o/x" &&
    "$A" decode --redact -T fields $ID $MORE "$@" "$cap" > "$o/f" &&
    "$A" decode --redact -T fields -E header=y -E separator=, -E quote=d -E occurrence=f \
      $ID "$@" "$cap" > "$o/fq" ) || fail "$name: decode failed"
  for f in s v x f; do [ -s "$o/$f" ] || fail "$name: --redact output $f is empty"; done
  # the identities: every value of the identity columns, and the extra ones
  # (IKE ID payloads, NAS names) the plain -V shows
  cut -f1-13 "$o/plain.f" | tr '\t,' '\n\n' | awk 'length($0) >= 3' > "$o/ids"
  for e in $extra; do
    grep -qF -- "$e" "$o/plain.v" || fail "$name: plain -V lacks $e (the test cannot fail)"
    echo "$e" >> "$o/ids"
  done
  sort -u -o "$o/ids" "$o/ids"
  [ "$(wc -l < "$o/ids")" -ge 3 ] || fail "$name: too few identities to check"
  dumphex "$o/x" > "$o/x.hex"
  [ -s "$o/x.hex" ] || fail "$name: no hex dump"
  # pseudonyms and the summary's own words out of the way (a user may be
  # called "user")
  for f in s v x f fq; do
    sed -E 's/(user|ip|host|nas|station)-[0-9a-f]{12}/P/g; s/ user=/ U=/g' "$o/$f" > "$o/$f.c"
  done
  while IFS= read -r id; do
    for f in s v x f fq; do
      if grep -qF -- "$id" "$o/$f.c"; then
        fail "$name: decode --redact ($f) leaks '$id': $(grep -F -- "$id" "$o/$f.c" | head -1)"
      fi
    done
    if grep -qF -- "$(hexof "$id")" "$o/x.hex"; then
      fail "$name: the -x dump shows the bytes of '$id'"
    fi
  done < "$o/ids"
  # -T fields: as many rows, each with as many columns, as without --redact
  [ "$(wc -l < "$o/f")" = "$(wc -l < "$o/plain.f")" ] || fail "$name: -T fields row count changed"
  awk -F'\t' '{ print NF }' "$o/plain.f" > "$o/nf.plain"
  awk -F'\t' '{ print NF }' "$o/f" > "$o/nf.red"
  cmp -s "$o/nf.plain" "$o/nf.red" || fail "$name: -T fields column count changed"
  # column by column: a plain value maps to one pseudonym and back (the
  # same value, the same pseudonym; two values, two pseudonyms)
  paste "$o/plain.f" "$o/f" | awk -F'\t' -v n=19 -v name="$name" '
    { for (i = 1; i <= 13; i++) {
        p = $i; r = $(i + n)
        if (p == "") { if (r != "") { print name ": empty became " r; bad = 1 } continue }
        if (p == r) { print name ": column " i " kept " p; bad = 1 }
        if ((p in fw) && fw[p] != r) { print name ": " p " got " fw[p] " and " r; bad = 1 }
        if ((r in bw) && bw[r] != p) { print name ": " r " stands for " bw[r] " and " p; bad = 1 }
        fw[p] = r; bw[r] = p
      }
      for (i = 14; i <= n; i++)
        if ($i != $(i + n) && $(i + n) !~ /(user|ip|host|nas|station)-[0-9a-f]+/) {
          print name ": column " i " changed: " $i " -> " $(i + n); bad = 1 }
    }
    END { exit bad }' || fail "$name: pseudonyms are not one per value"
  # the pseudonyms look like the report redactor's
  grep -Eq '(^|[^a-z])ip-[0-9a-f]{12}' "$o/s" || fail "$name: no ip- pseudonym in the summaries"
}

L=testdata/traces
check radius . testdata/captures/zeek/radius_localhost.pcap ""
grep -q 'user=user-[0-9a-f]\{12\} .*identity=user-[0-9a-f]\{12\}' "$T/radius/s" ||
  fail "radius: no user pseudonym in the summaries"
# User-Name and the EAP identity name one user: one pseudonym in a line
awk '/user=/ { u = $0; sub(/.*user=/, "", u); sub(/ .*/, "", u)
  i = $0; sub(/.*identity=/, "", i); sub(/ .*/, "", i)
  if (index($0, "identity=") && u != i) { print; bad = 1 } } END { exit bad }' "$T/radius/s" ||
  fail "radius: User-Name and EAP identity got different pseudonyms"
check scapy . testdata/captures/scapy/scapy_radius_uts_frames.pcap ""
# free text (Reply-Message) loses the user names the packets taught
grep -q 'Hello, leap' "$T/scapy/plain.f" || fail "scapy: plain Reply-Message changed"
grep -q 'Hello, user-[0-9a-f]\{12\}' "$T/scapy/f" || fail "scapy: Reply-Message kept the user name"
check mschapv2 $L/lab-mschapv2-ok input/mschapv2-ok.pcap "hub.lab strongSwan" --ike-keys keys.ike-keys
grep -q 'Name: user-[0-9a-f]\{12\}' "$T/mschapv2/v" || fail "mschapv2: MS-CHAPv2 name not redacted in -V"
grep -q 'Identification Data: host-[0-9a-f]\{12\}' "$T/mschapv2/v" || fail "mschapv2: IKE ID not redacted"
check radiusdown $L/lab-radius-down input/radius-down.pcap "alice strongSwan" --ike-keys keys.ike-keys
grep -q 'ICMP port unreachable .* for: RADIUS' "$T/radiusdown/s" || fail "radiusdown: no ICMP quote"
check redirect . testdata/captures/scapy/ikev2_notify_redirect.pcap "6d6f6e657962696e"
grep -q 'Notification Data: <redacted>' "$T/redirect/v" || fail "redirect: REDIRECT data shown"

# a new key each run
u1=$(grep -o 'user-[0-9a-f]*' "$T/radius/s" | head -1)
u2=$("$A" decode --redact testdata/captures/zeek/radius_localhost.pcap | grep -o 'user-[0-9a-f]*' | head -1)
[ -n "$u1" ] && [ "$u1" != "$u2" ] || fail "two runs gave the same pseudonym"
# without --redact decode is as before: the encrypted password still masked
"$A" decode -x testdata/captures/zeek/radius_localhost.pcap | grep -q '\*\*' || fail "plain -x lost its masks"
exit 0
