#!/bin/sh
# make fuzz: build every fuzz/fuzz_*.c with clang's libFuzzer (+ASan/UBSan),
# run each for FUZZ_SECONDS (default 60) on its corpus, then report line
# coverage of the corpus per target (llvm-cov). Skips with a message when
# clang is missing.
set -u
SECS=${FUZZ_SECONDS:-60}
if ! command -v clang >/dev/null 2>&1; then
  echo "make fuzz: clang is not installed (apt-get install clang libclang-rt-14-dev); skipped"
  exit 0
fi
B=build/fuzz
make --no-print-directory BUILD=$B/lib CC=clang OPT=-O1 \
  SAN="-fsanitize=address,undefined,fuzzer-no-link -fno-sanitize-recover=all" \
  $B/lib/libauthscope.a >/dev/null || exit 1
FLAGS=$(make -s --no-print-directory print-cflags BUILD=$B/lib)
rc=0
for src in fuzz/fuzz_*.c; do
  [ -f "$src" ] || continue
  n=$(basename "$src" .c)
  mkdir -p "$B/$n.new" "fuzz/corpus/$n"
  clang $FLAGS -fsanitize=address,undefined,fuzzer -o "$B/$n" "$src" $B/lib/libauthscope.a \
    $(make -s --no-print-directory print-libs) || { rc=1; continue; }
  echo "== $n: ${SECS}s"
  if ! "$B/$n" -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 \
       "$B/$n.new" "fuzz/corpus/$n" >"$B/$n.log" 2>&1; then
    echo "$n: FOUND A PROBLEM (see $B/$n.log; crash-* files are reproducers)"; tail -30 "$B/$n.log"; rc=1
  else
    grep -E '^#[0-9]+.*(DONE|pulse)' "$B/$n.log" | tail -1
  fi
done
[ -x fuzz/coverage.sh ] && sh fuzz/coverage.sh
exit $rc
