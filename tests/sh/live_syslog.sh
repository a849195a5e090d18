#!/bin/sh
# live --syslog: a router's debug output sent as RFC 3164 datagrams (its
# clock years off) becomes a session in the headless snapshots, at the
# receive time; a bad spec or a busy port is a usage error.
set -u
A=${AUTHSCOPE:-$(pwd)/build/authscope}
IN=testdata/traces/ios-radius-accept/input/r1-console.txt
T=$(mktemp -d); PID=
trap '[ -n "$PID" ] && kill $PID 2>/dev/null; rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
PORT=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# --foreground: a signal to timeout goes to authscope only, not to its
# process group (which, under ASan, holds LeakSanitizer's tracer at exit)
timeout --foreground 60 "$A" live --headless --syslog "udp:127.0.0.1:$PORT" > "$T/out" 2> "$T/err" & PID=$!
# the first snapshot: the socket is bound
i=0; while [ $i -lt 100 ] && ! grep -q '^--- authscope live' "$T/out"; do sleep 0.1; i=$((i+1)); done
kill -0 $PID 2>/dev/null || fail "receiver did not start: $(cat "$T/err")"
python3 - "$IN" "$PORT" <<'PY'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for line in open(sys.argv[1], "rb"):
    line = line.rstrip(b"\r\n")
    if line.startswith(b"R1#") or not line.strip():
        continue
    s.sendto(b"<191>" + line, ("127.0.0.1", int(sys.argv[2])))
PY
i=0; while [ $i -lt 50 ] && ! grep -q ' sadks .* accept' "$T/out"; do sleep 0.1; i=$((i+1)); done
grep -q ' sadks .* accept' "$T/out" || fail "no session from syslog: $(tail -12 "$T/out")"
grep -q "clock is .* behind" "$T/err" || fail "no clock note: $(cat "$T/err")"
today=$(date -u +%Y-%m-%d)
grep -q "^--- authscope live $today" "$T/out" || fail "snapshot clock"
kill -TERM $PID; wait $PID; st=$?; PID=
[ $st = 0 ] || fail "SIGTERM: exit $st"
"$A" live --headless --syslog udp:localhost > /dev/null 2> "$T/e"; st=$?
[ $st = 2 ] && grep -q 'udp:ADDR:PORT' "$T/e" || fail "bad spec: $st $(cat "$T/e")"
# a port in use: the blocker says when it holds it
python3 -c 'import socket,time,sys; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", int(sys.argv[1]))); print("bound", flush=True); time.sleep(30)' "$PORT" > "$T/b" & B=$!
i=0; while [ $i -lt 100 ] && ! grep -q bound "$T/b"; do sleep 0.1; i=$((i+1)); done
timeout --foreground 10 "$A" live --headless --syslog "udp:127.0.0.1:$PORT" > /dev/null 2> "$T/e"; st=$?
kill $B 2>/dev/null
[ $st = 2 ] && grep -q 'in use' "$T/e" || fail "busy port: $st $(cat "$T/e")"
exit 0
