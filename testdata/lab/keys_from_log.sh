#!/bin/sh
# keys_from_log.sh CHARON_LOG CAPTURE > TABLE
# The IKE SA keys charon logs at ike level 4 ("Sk_ei secret => 32 bytes @ ..."
# then hex dump lines), in the order the SAs were made, paired with the SPIs
# of the IKE_SA_INIT responses that carry an SA payload in the capture (same
# order), and the algorithms of charon's "selected proposal" line, written as
# Wireshark's ikev2_decryption_table (what authscope --ike-keys reads).
set -u
LOG=$1 CAP=$2
AUTHSCOPE=${AUTHSCOPE:-$(dirname "$0")/../../build/authscope}
"$AUTHSCOPE" decode -T fields -E separator=, -e isakmp.ispi -e isakmp.rspi -e isakmp.exchangetype \
    -e isakmp.flags -e isakmp.typepayload "$CAP" 2>/dev/null |
  awk -F, '$3 == 34 && $4 == "0x20" && $2 != "0000000000000000" && $5 ~ /^33/ { print $1, $2 }' >"$LOG.spis"
awk -v spis="$LOG.spis" '
function flush() { if (cur != "") { key[cur] = hex; cur = "" } }
BEGIN { n = 0; while ((getline l < spis) > 0) { split(l, s, " "); si[++n] = s[1]; sr[n] = s[2] } }
/selected proposal: IKE:/ { p = $0; sub(/.*IKE:/, "", p); sub(/[ \t].*/, "", p); prop[++np] = p }
/Sk_(ei|er|ai|ar) secret =>/ {
	flush(); cur = $0; sub(/.*Sk_/, "", cur); sub(/ secret.*/, "", cur); hex = ""; next }
cur != "" && /^.*[0-9]+: [0-9A-F][0-9A-F]( |$)/ {
	l = $0; sub(/.*[0-9]+: /, "", l); l = substr(l, 1, 48); gsub(/ /, "", l); hex = hex tolower(l); next }
cur != "" { flush() }
/Sk_pr secret =>/ {      # the last key charon logs for an SA (AEAD has no Sk_a*)
	nk++; ei[nk] = key["ei"]; er[nk] = key["er"]; ai[nk] = key["ai"]; ar[nk] = key["ar"]
	delete key }
END {
	flush()
	for (i = 1; i <= nk && i <= n; i++) {
		p = prop[i] != "" ? prop[i] : prop[np]
		encr = "?"; integ = "NONE [RFC4306]"
		if (p ~ /^AES_CBC_256/) encr = "AES-CBC-256 [RFC3602]"
		else if (p ~ /^AES_CBC_128/) encr = "AES-CBC-128 [RFC3602]"
		else if (p ~ /^AES_GCM_16_256/) encr = "AES-GCM-256 with 16 octet ICV [RFC5282]"
		else if (p ~ /^AES_GCM_16_128/) encr = "AES-GCM-128 with 16 octet ICV [RFC5282]"
		if (p ~ /HMAC_SHA2_256_128/) integ = "HMAC_SHA2_256_128 [RFC4868]"
		else if (p ~ /HMAC_SHA1_96/) integ = "HMAC_SHA1_96 [RFC2404]"
		if (integ == "NONE [RFC4306]") { ai[i] = ""; ar[i] = "" }
		printf "%s,%s,%s,%s,\"%s\",%s,%s,\"%s\"\n", si[i], sr[i], ei[i], er[i], encr, ai[i], ar[i], integ
	}
}' "$LOG"
rm -f "$LOG.spis"
