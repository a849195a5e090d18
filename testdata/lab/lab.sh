#!/bin/sh
# The FreeRADIUS lab: a Duo-proxy stand-in and a home (primary) server on
# loopback, driven by radclient/radtest/radeapclient, captured by tcpdump.
#
#   sh testdata/lab/lab.sh CASE...     (root; CASE = all for every case)
#
# Addresses (all on lo): the NAS is 127.0.0.1 (the clients' default source),
# the proxy listens on 127.0.0.2:1812 and forwards from 127.0.0.2 to the
# home server on 127.0.0.3:1812. Private config trees, logs and captures
# live under build/lab/ (the system's FreeRADIUS config is copied, never
# changed). Each case writes testdata/traces/<case>/input/<case>.pcap; its
# expect and args files are written by hand (they say what the capture must
# give) and `make test` checks them through `authscope check`.
#
# Secrets: NAS<->proxy "nassecret", proxy<->home "homesecret"; the
# wrong-secret cases use "wrongsecret" on one end of one leg.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
LAB=$ROOT/build/lab
TRACES=$ROOT/testdata/traces
SYS=/etc/freeradius/3.0
NAS=127.0.0.1 PROXY=127.0.0.2 HOME=127.0.0.3

die() { echo "lab: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "run as root (tcpdump and FreeRADIUS bind on lo)"
for t in freeradius radclient radtest radeapclient tcpdump; do
  command -v $t >/dev/null || die "$t missing: apt-get install freeradius freeradius-utils tcpdump"
done

# make_tree DIR LISTEN_IP SITE CLIENTS [PROXYCONF]
make_tree() {
  d=$1; rm -rf "$d"; mkdir -p "$d"; cp -a "$SYS/." "$d/raddb"
  r=$d/raddb; mkdir -p "$d/run" "$d/log"
  sed -i -e "s#^logdir = .*#logdir = $d/log#" -e "s#^raddbdir = .*#raddbdir = $r#" \
      -e "s#^run_dir = .*#run_dir = $d/run#" -e 's#^\(\s*\)user = freerad#\1\#user = freerad#' \
      -e 's#^\(\s*\)group = freerad#\1\#group = freerad#' "$r/radiusd.conf"
  rm -f "$r"/sites-enabled/* "$r"/mods-enabled/*
  printf '%s\n' "$3" > "$r/sites-enabled/lab"
  printf '%s\n' "$4" > "$r/clients.conf"
  [ $# -ge 5 ] && printf '%s\n' "$5" > "$r/proxy.conf"
  return 0
}

home_tree() {  # home_tree SECRET_FOR_PROXY [REJECT_DELAY]
  make_tree "$LAB/home" $HOME "server default {
  listen {
    type = auth
    ipaddr = $HOME
    port = 1812
  }
  authorize {
    chap
    mschap
    eap {
      ok = return
    }
    files
    pap
  }
  authenticate {
    Auth-Type PAP {
      pap
    }
    Auth-Type CHAP {
      chap
    }
    Auth-Type MS-CHAP {
      mschap
    }
    eap
  }
  post-auth {
    Post-Auth-Type REJECT {
      ok
    }
  }
}" "client proxy {
  ipaddr = $PROXY
  secret = $1
}"
  r=$LAB/home/raddb
  for m in always pap chap mschap files expr; do ln -s ../mods-available/$m "$r/mods-enabled/$m"; done
  cat > "$r/mods-enabled/eap" <<EAP
eap {
  default_eap_type = md5
  timer_expire = 60
  ignore_unknown_eap_types = no
  cisco_accounting_username_bug = no
  max_sessions = \${max_requests}
  md5 {
  }
}
EAP
  sed -i "s#^\(\s*\)reject_delay = .*#\1reject_delay = ${2:-0}#" "$r/radiusd.conf"
  cat > "$r/mods-config/files/authorize" <<'USERS'
alice   Cleartext-Password := "alicepw"
        Reply-Message := "Welcome, alice",
        Tunnel-Type := VLAN, Tunnel-Medium-Type := IEEE-802, Tunnel-Private-Group-Id := "42",
        Tunnel-Password := "tunnelsecret"
bob     Cleartext-Password := "bobpw"
dave    Auth-Type := Reject
        Reply-Message := "Your account is disabled"
DEFAULT User-Name =~ "^example.john$", Cleartext-Password := "secret"
USERS
}

proxy_tree() {  # proxy_tree SECRET_FOR_NAS SECRET_FOR_HOME
  make_tree "$LAB/proxy" $PROXY "server default {
  listen {
    type = auth
    ipaddr = $PROXY
    port = 1812
  }
  authorize {
    update control {
      &Proxy-To-Realm := \"home\"
    }
  }
  authenticate {
  }
  post-proxy {
  }
}" "client nas {
  ipaddr = $NAS
  secret = $1
}" \
  "proxy server {
  default_fallback = no
}
home_server home {
  type = auth
  ipaddr = $HOME
  port = 1812
  src_ipaddr = $PROXY
  secret = $2
  response_window = 6
  zombie_period = 40
  revive_interval = 3600
  status_check = none
  no_response_fail = yes
}
home_server_pool home_pool {
  type = fail-over
  home_server = home
}
realm home {
  auth_pool = home_pool
  nostrip
}"
  ln -s ../mods-available/always "$LAB/proxy/raddb/mods-enabled/always"
}

PIDS=""
start() {  # start NAME
  freeradius -X -d "$LAB/$1/raddb" -n radiusd > "$LAB/$1.log" 2>&1 &
  PIDS="$PIDS $!"
  i=0; while ! grep -q "Ready to process requests" "$LAB/$1.log"; do
    i=$((i+1)); [ $i -gt 100 ] && { tail -20 "$LAB/$1.log"; die "$1 did not start"; }; sleep 0.1
  done
}
stop_all() { for p in $PIDS; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; PIDS=""; }
trap stop_all EXIT

CAP=""
capture() {  # capture CASE
  mkdir -p "$TRACES/$1/input"
  tcpdump -i lo -U -s 0 -w "$TRACES/$1/input/$1.pcap" 'udp port 1812 or icmp' >"$LAB/tcpdump.log" 2>&1 &
  CAP=$!; sleep 1
}
capture_end() { sleep 1; kill "$CAP"; wait "$CAP" 2>/dev/null || true; }

pap() {  # pap USER PASS SECRET [radclient options]
  u=$1 pw=$2 s=$3; shift 3
  printf 'User-Name = "%s"\nUser-Password = "%s"\nNAS-IP-Address = %s\nNAS-Port = 1\nCalling-Station-Id = "198.51.100.7"\n' \
    "$u" "$pw" $NAS | radclient -x "$@" $PROXY:1812 auth "$s" >>"$LAB/client.log" 2>&1 || true
}

run_case() {
  c=$1; : >"$LAB/client.log"
  case $c in
  pap-accept|pap-reject-reply|pap-reject-noreply|chap|mschapv2|eap-md5-accept|eap-md5-reject|retransmit)
    delay=0; [ $c = retransmit ] && delay=5
    home_tree homesecret $delay; proxy_tree nassecret homesecret; start home; start proxy ;;
  wrong-secret-nas)
    home_tree homesecret; proxy_tree nassecret homesecret; start home; start proxy ;;
  wrong-secret-home)
    home_tree homesecret; proxy_tree nassecret wrongsecret; start home; start proxy ;;
  home-down)
    proxy_tree nassecret homesecret; start proxy ;;
  *) die "unknown case $c" ;;
  esac
  capture "$c"
  case $c in
  pap-accept) pap alice alicepw nassecret ;;
  pap-reject-reply) pap dave davepw nassecret ;;
  pap-reject-noreply) pap bob wrongpw nassecret ;;
  chap) radtest -t chap alice alicepw $PROXY 1 nassecret >>"$LAB/client.log" 2>&1 || true ;;
  mschapv2)
    # FreeRADIUS's own MS-CHAPv2 module test vector (password "secret")
    printf '%s\n' 'User-Name = "example\\john"' \
      'Vendor-Specific.Microsoft.CHAP-Challenge = 0x16d2833f4239256dd2b2bb26f2ecb2a3' \
      'Vendor-Specific.Microsoft.CHAP2-Response = 0x0001502feeee9495a353cddbd1efc40072820000000000000000e866286bb30d0215ed16cf425b6a29d206667a9853e23ca4' \
      | sed 's/Vendor-Specific.Microsoft.CHAP-Challenge/MS-CHAP-Challenge/; s/Vendor-Specific.Microsoft.CHAP2-Response/MS-CHAP2-Response/' \
      | radclient -x $PROXY:1812 auth nassecret >>"$LAB/client.log" 2>&1 || true ;;
  eap-md5-accept|eap-md5-reject)
    pw=alicepw; [ $c = eap-md5-reject ] && pw=wrong
    printf 'User-Name = "alice"\nCleartext-Password = "%s"\nEAP-Code = Response\nEAP-Id = 210\nEAP-Type-Identity = "alice"\nMessage-Authenticator = 0x00\n' "$pw" \
      | radeapclient -x $PROXY:1812 auth nassecret >>"$LAB/client.log" 2>&1 || true ;;
  wrong-secret-nas) pap alice alicepw wrongsecret ;;
  wrong-secret-home) pap alice alicepw nassecret -t 8 -r 1 ;;
  home-down) pap alice alicepw nassecret -t 8 -r 1 ;;
  retransmit) pap bob wrongpw nassecret -t 2 -r 4 ;;
  esac
  capture_end
  stop_all
  echo "lab: $c -> testdata/traces/$c/input/$c.pcap ($(tcpdump -r "$TRACES/$c/input/$c.pcap" 2>/dev/null | wc -l) packets)"
}

mkdir -p "$LAB"
CASES="$*"
[ "$CASES" = all ] && CASES="pap-accept pap-reject-reply pap-reject-noreply chap mschapv2 eap-md5-accept eap-md5-reject wrong-secret-nas wrong-secret-home home-down retransmit"
for c in $CASES; do run_case "$c"; done
