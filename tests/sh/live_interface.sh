#!/bin/sh
# live --interface lo --bpf ... -Z nobody: a RADIUS request and its accept
# sent over loopback show as a session once the capture's pairing hold has
# passed; the process runs as nobody after opening the handle. Needs root
# (a capture handle): without it the test says so and passes.
set -u
A=${AUTHSCOPE:-$(pwd)/build/authscope}
T=$(mktemp -d); PID=
trap '[ -n "$PID" ] && kill $PID 2>/dev/null; rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
if [ "$(id -u)" != 0 ]; then echo "skipped: live capture needs root"; exit 0; fi
PORT=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# --foreground: a signal to timeout goes to authscope only, not to its
# process group (which, under ASan, holds LeakSanitizer's tracer at exit)
timeout --foreground 60 "$A" live --headless --interface lo --bpf "udp port $PORT" -d "udp.port==$PORT,radius" -Z nobody \
    > "$T/out" 2> "$T/err" & PID=$!
i=0; while [ $i -lt 100 ] && kill -0 $PID 2>/dev/null && ! grep -q '^--- authscope live' "$T/out"; do
    sleep 0.1; i=$((i+1)); done
if ! kill -0 $PID 2>/dev/null; then
    grep -q 'Operation not permitted\|permission' "$T/err" && { echo "skipped: $(cat "$T/err")"; exit 0; }
    fail "capture did not start: $(cat "$T/err")"
fi
C=$(pgrep -P $PID) || fail "no capture process"
[ "$(awk '/^Uid:/{print $2}' /proc/$C/status)" = 65534 ] || fail "privileges not dropped"
python3 - "$PORT" <<'PY'
import os, socket, struct, sys, time
port = int(sys.argv[1])
srv = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); srv.bind(("127.0.0.1", port))
cli = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); cli.bind(("127.0.0.1", 0))
user = b"ivan"
attrs = bytes([1, 2 + len(user)]) + user + bytes([4, 6]) + socket.inet_aton("127.0.0.1")
cli.sendto(struct.pack(">BBH", 1, 42, 20 + len(attrs)) + os.urandom(16) + attrs, ("127.0.0.1", port))
_, addr = srv.recvfrom(4096)
time.sleep(0.05)
srv.sendto(struct.pack(">BBH", 2, 42, 20) + os.urandom(16), addr)
PY
i=0; while [ $i -lt 60 ] && ! grep -q ' ivan .* accept' "$T/out"; do sleep 0.1; i=$((i+1)); done
grep -q ' ivan .* accept' "$T/out" || fail "no session from the capture: $(tail -8 "$T/out") $(cat "$T/err")"
kill -TERM $PID; wait $PID; st=$?; PID=
[ $st = 0 ] || fail "SIGTERM: exit $st"
"$A" live --headless --interface no-such-if0 > /dev/null 2> "$T/e"; st=$?
[ $st = 2 ] && grep -q 'no-such-if0' "$T/e" || fail "bad interface: $st $(cat "$T/e")"
exit 0
