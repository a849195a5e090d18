#!/bin/sh
# make bench: run every bench/bench_*.sh (each area adds its own) with the
# build directory as $1 and print what each reports. A bench prints lines
# "bench NAME: VALUE UNIT (details)"; this prints them all and a summary.
# Benches generate their data under $BUILD/bench/ and never run in make test.
BUILD=${1:-build}
mkdir -p "$BUILD/bench"
rc=0; n=0
for b in bench/bench_*.sh; do
  [ -f "$b" ] || continue
  n=$((n+1))
  echo "== $(basename "$b" .sh)"
  if ! sh "$b" "$BUILD" 2>"$BUILD/bench/$(basename "$b" .sh).err"; then
    echo "  FAILED (see $BUILD/bench/$(basename "$b" .sh).err)"; tail -5 "$BUILD/bench/$(basename "$b" .sh).err"; rc=1
  fi
done
echo "$n bench script(s) run"
exit $rc
