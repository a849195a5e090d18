#!/bin/sh
# authscope decode -T fields against tshark 4.0.17 oracles, cell by cell.
#
# For every testdata/captures/**/X.tshark.tsv (made by tshark from capture X,
# see testdata/captures/README.md), decode X with the oracle header's fields
# minus _ws.* and compare per column family (tests/sh/oracle_cmp.awk).
# X.secret-S.tshark.tsv is decoded with --secret S; X.decrypted.tshark.tsv
# with --ike-keys X.ike-keys when that file exists (else skipped).
# Families compared: ORACLE_FAMILIES (extend it when a dissector lands).
# Cells tshark gets wrong are listed in testdata/captures/ORACLE-EXCEPTIONS.
set -u
: "${AUTHSCOPE:=$(pwd)/build/authscope}"
: "${ORACLE_FAMILIES:=frame ip ipv6 udp radius eap isakmp udpencap esp}"
DIR=${ORACLE_DIR:-testdata/captures}
HERE=$(dirname "$0")
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
fail=0; n=0
for o in $(find "$DIR" -name '*.tshark.tsv' | sort); do
  base=${o%.tshark.tsv}; args=""; secret=0
  case $base in
    *.secret-*) s=${base##*.secret-}; base=${base%.secret-*}; args="--secret $s"; secret=1 ;;
    *.decrypted) base=${base%.decrypted}
      [ -f "$base.ike-keys" ] || continue; args="--ike-keys $base.ike-keys" ;;
  esac
  [ -f "$base" ] || { echo "oracle $o: capture $base missing"; fail=1; continue; }
  fields=$(head -1 "$o" | tr '\t' '\n' | grep -v '^_ws\.' | sed 's/^/-e /' | tr '\n' ' ')
  name=${o#"$DIR"/}; name=${name%.tshark.tsv}
  in=$base
  # shellcheck disable=SC2086
  if ! "$AUTHSCOPE" decode -T fields -E header=y -E separator=/t -E occurrence=a \
       -E aggregator='|' -E quote=n $fields $args "$in" >"$TMP/out" 2>"$TMP/err"; then
    echo "oracle $name: decode failed: $(head -2 "$TMP/err")"; fail=1; continue
  fi
  n=$((n+1))
  awk -f "$HERE/oracle_cmp.awk" -v name="$name" -v families="$ORACLE_FAMILIES" \
      -v secret=$secret -v skip="$DIR/ORACLE-EXCEPTIONS" "$o" "$TMP/out" || fail=1
done
echo "tshark oracle: $n captures, families: $ORACLE_FAMILIES"
exit $fail
