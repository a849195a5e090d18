#!/bin/sh
# make test: every unit test binary (cmocka), every fuzz corpus replayed,
# every golden case, every trace case through `authscope check`, the floor
# check. Prints "N passed, N failed" and exits 1 on any failure.
BUILD=${1:-build}
AUTHSCOPE=$(pwd)/$BUILD/authscope
export AUTHSCOPE TZ=UTC LC_ALL=C NO_COLOR=1
pass=0; fail=0; skip=0; failed=""; skipped=""
ok()  { pass=$((pass+1)); }
bad() { fail=$((fail+1)); failed="$failed\n  $1"; echo "FAIL: $1"; }

# unit tests: one binary per module; cmocka prints its own summary
for t in "$BUILD"/tests/test_*; do
  [ -x "$t" ] || continue
  if "$t" >"$t.log" 2>&1; then ok; else bad "unit $(basename "$t") (see $t.log)"; tail -20 "$t.log"; fi
  grep -E '^\[  (PASSED|FAILED)  \]' "$t.log" | sed "s#^#  $(basename "$t"): #"
done

# fuzz corpora replayed as plain tests (under the sanitizers in make check)
for f in "$BUILD"/fuzz-replay/fuzz_*; do
  [ -x "$f" ] || continue
  n=$(basename "$f")
  if [ -d "fuzz/corpus/$n" ]; then
    if "$f" "fuzz/corpus/$n" >"$f.log" 2>&1; then ok; else bad "fuzz replay $n (see $f.log)"; tail -5 "$f.log"; fi
  else
    bad "fuzz replay $n: no corpus in fuzz/corpus/$n"
  fi
done

# golden cases: testdata/golden/<case>/{args,expected[,status]}; run in the case dir
for d in testdata/golden/*/; do
  [ -f "$d/args" ] || continue
  n=$(basename "$d")
  want_status=0; [ -f "$d/status" ] && want_status=$(cat "$d/status")
  (cd "$d" && eval "\"$AUTHSCOPE\" $(cat args)" >actual.out 2>actual.err); st=$?
  if [ "$st" != "$want_status" ]; then
    bad "golden $n: exit $st, expected $want_status"; head -5 "$d/actual.err"
  elif ! cmp -s "$d/expected" "$d/actual.out"; then
    bad "golden $n: output differs"; diff -u "$d/expected" "$d/actual.out" | head -20
  else ok; rm -f "$d/actual.out" "$d/actual.err"; fi
done

# trace cases: testdata/traces/<case>/{expect,input/[,args]} through check
for d in testdata/traces/*/; do
  [ -f "$d/expect" ] || continue
  n=$(basename "$d")
  extra=""; [ -f "$d/args" ] && extra=$(cat "$d/args")
  if (cd "$d" && eval "\"$AUTHSCOPE\" check --expect expect $extra input" >check.out 2>&1); then
    ok; rm -f "$d/check.out"
  else bad "trace $n"; cat "$d/check.out" | head -20; fi
done

# script tests: tests/sh/*.sh, each exits 0 on success
for s in tests/sh/*.sh; do
  [ -f "$s" ] || continue
  log="$BUILD/$(basename "$s").log"
  sh "$s" >"$log" 2>&1; st=$?
  if [ $st = 0 ]; then ok
  elif [ $st = 77 ]; then skip=$((skip+1)); skipped="$skipped\n  $s: $(grep -m1 '^SKIP' "$log")"
  else bad "script $s (see $log)"; tail -10 "$log"; fi
done

if sh tools/check-floors.sh; then ok; else bad "floors"; fi

echo
if [ $skip -gt 0 ]; then
  echo "$pass passed, $fail failed, $skip skipped"; printf "skipped:$skipped\n"
else
  echo "$pass passed, $fail failed"
fi
[ $fail = 0 ] || { printf "failed:$failed\n"; exit 1; }
