#!/bin/sh
# Secrets read from configs serve the capture decoder: a router config whose
# `radius server` names the capture's server with the right key must give
# exactly the findings of --secret SERVER=KEY, a wrong key must not, and the
# key never reaches any output (text, json, events).
set -u
A=${AUTHSCOPE:-build/authscope}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
PCAP=testdata/captures/zeek/radius_localhost.pcap
[ -f "$PCAP" ] || fail "missing $PCAP"
mkdir -p "$T/ok" "$T/bad"
cp "$PCAP" "$T/ok/"; cp "$PCAP" "$T/bad/"
printf 'aaa new-model\nradius server lab\n address ipv4 127.0.0.1 auth-port 1812 acct-port 1813\n timeout 60\n key testing123\n' > "$T/ok/router.cfg"
printf 'aaa new-model\nradius server lab\n address ipv4 127.0.0.1 auth-port 1812 acct-port 1813\n timeout 60\n key 7 095B5C0617021C1712\n' > "$T/bad/router.cfg"

findings() { grep -E '^  (error|warning|info) ' | grep -v ' config-' | sed 's/  */ /g'; }

"$A" analyze --fail-on none --secret 127.0.0.1=testing123 "$PCAP" > "$T/cli.txt" 2>&1 || fail "analyze --secret"
"$A" analyze --fail-on none "$PCAP" > "$T/none.txt" 2>&1 || fail "analyze"
"$A" analyze --fail-on none "$T/ok" > "$T/cfg.txt" 2>&1 || fail "analyze with config"
"$A" analyze --fail-on none "$T/bad" > "$T/badcfg.txt" 2>&1 || fail "analyze with bad config"
findings < "$T/cli.txt" > "$T/a"
findings < "$T/cfg.txt" > "$T/b"
findings < "$T/none.txt" > "$T/c"
findings < "$T/badcfg.txt" > "$T/d"
grep -q secret-mismatch "$T/a" || fail "--secret run has no secret-mismatch: the capture changed?"
cmp -s "$T/a" "$T/b" || { diff "$T/a" "$T/b"; fail "config secret differs from --secret"; }
cmp -s "$T/b" "$T/c" && fail "the config secret changed nothing"
[ "$(grep -c secret-mismatch "$T/d")" -gt "$(grep -c secret-mismatch "$T/b")" ] ||
  fail "a wrong config key should raise more secret-mismatch findings"
# the command line wins over the config for the same server
"$A" analyze --fail-on none --secret 127.0.0.1=testing123 "$T/bad" > "$T/over.txt" 2>&1 || fail "override"
findings < "$T/over.txt" > "$T/e"
cmp -s "$T/a" "$T/e" || { diff "$T/a" "$T/e"; fail "--secret did not win over the config key"; }
# never printed
for f in text json; do
  "$A" analyze --fail-on none -f $f "$T/ok" > "$T/o.$f" 2>&1
  grep -q testing123 "$T/o.$f" && fail "the key leaked into -f $f"
done
"$A" events "$T/ok" "$T/bad" > "$T/ev" 2>&1
grep -q -e testing123 -e 095B5C0617021C1712 -e wrongkey "$T/ev" && fail "a key leaked into events"
exit 0
