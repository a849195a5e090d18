#!/bin/sh
# Bad input through the real binary: never a crash, exit 0 for damaged or
# unknown input, exit 2 with one line for an unreadable path. Inputs are
# generated here (nothing big is committed). Needs: python3 (zip/tar/gzip
# are made with its standard library).
set -u
A=${AUTHSCOPE:-$(pwd)/build/authscope}
T=$(mktemp -d /tmp/authscope-sh-XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

python3 - "$T" <<'PY' || fail "generating inputs"
import gzip, io, os, random, sys, tarfile, zipfile
d = sys.argv[1]
r = random.Random(7)
open(f"{d}/random.bin", "wb").write(bytes(r.getrandbits(8) for _ in range(1 << 20)))
open(f"{d}/long.log", "wb").write(b"x" * (2 << 20) + b"\nshort\n")
open(f"{d}/nul.log", "wb").write(b"a\0b\nc\0\0\n")
open(f"{d}/crlf.log", "wb").write(b"one\r\ntwo\r\n")
open(f"{d}/utf8.log", "wb").write(b"caf\xc3 \xff\xfe\n")
open(f"{d}/nofinal.log", "wb").write(b"no final newline")
text = b"".join(b"line %d of some text\n" % i for i in range(20000))
z = gzip.compress(text)
open(f"{d}/cut.log.gz", "wb").write(z[: len(z) // 2])
bad = bytearray(z); bad[len(z) // 2 : len(z) // 2 + 16] = b"\xff" * 16
open(f"{d}/corrupt.log.gz", "wb").write(bytes(bad))
b = io.BytesIO()
with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as zf:
    zf.writestr("logs/a.log", text)
    zf.writestr("logs/b.log", text[::-1])
zb = bytearray(b.getvalue()); zb[300:340] = b"\0" * 40
open(f"{d}/corrupt.zip", "wb").write(bytes(zb))
t = io.BytesIO()
with tarfile.open(fileobj=t, mode="w") as tf:
    ti = tarfile.TarInfo("logs/a.log"); ti.size = len(text); tf.addfile(ti, io.BytesIO(text))
open(f"{d}/cut.tar", "wb").write(t.getvalue()[: len(t.getvalue()) // 2])
PY

for f in random.bin long.log nul.log crlf.log utf8.log nofinal.log cut.log.gz corrupt.log.gz corrupt.zip cut.tar; do
  "$A" analyze --format json "$T/$f" >"$T/out.json" 2>"$T/err.txt"; st=$?
  [ $st = 0 ] || fail "$f: exit $st ($(head -1 "$T/err.txt"))"
  grep -q '"inputs"' "$T/out.json" || fail "$f: no inputs in the report"
done
"$A" analyze --format json "$T/random.bin" | grep -q '"kind": "unknown"' || fail "random.bin is not kind unknown"
# a bundle lists its members
"$A" analyze --format json "$T/corrupt.zip" | grep -q 'corrupt.zip:logs/' || fail "zip members not listed"
# a directory of all of it, and stdin
"$A" analyze --format json "$T" >/dev/null 2>&1 || fail "directory run"
"$A" analyze --format json - <"$T/crlf.log" >/dev/null 2>&1 || fail "stdin run"

# unreadable input: exit 2 and exactly one line naming the path and why
"$A" analyze "$T/missing.log" >/dev/null 2>"$T/err.txt"; st=$?
[ $st = 2 ] || fail "missing path: exit $st, want 2"
[ "$(wc -l <"$T/err.txt")" = 1 ] || fail "missing path: $(cat "$T/err.txt")"
grep -qx "authscope analyze: $T/missing.log: No such file or directory" "$T/err.txt" ||
  fail "missing path message: $(cat "$T/err.txt")"
echo ok
