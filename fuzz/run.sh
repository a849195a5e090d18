#!/bin/sh
# make fuzz: build every fuzz/fuzz_*.c with clang's libFuzzer (+ASan/UBSan),
# run each for FUZZ_SECONDS (default 60) on its corpus, one at a time, then
# report line coverage of the committed corpora (fuzz/coverage.sh). Says so
# and skips (exit 0) when clang or its libFuzzer runtime is missing.
#   FUZZ_SECONDS=60        seconds per harness
#   FUZZ_TARGETS="fuzz_ios fuzz_pcap"   only these (default: all)
#   CLANG=clang            the compiler
# New inputs go to build/fuzz/<name>.new (the committed corpus is only
# read); a finding leaves its reproducer as build/fuzz/<name>-crash-* (or
# -leak-, -timeout-, -oom-). Results and method: fuzz/README.md.
set -u
SECS=${FUZZ_SECONDS:-60}
CLANG=${CLANG:-clang}
B=build/fuzz
if ! command -v "$CLANG" >/dev/null 2>&1; then
  echo "make fuzz: clang is not installed (apt-get install clang libclang-rt-14-dev); skipped"
  exit 0
fi
mkdir -p "$B"
printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n)\n{ (void)d; (void)n; return 0; }\n' \
  >"$B/probe.c"
if ! "$CLANG" -fsanitize=address,undefined,fuzzer -o "$B/probe" "$B/probe.c" >"$B/probe.log" 2>&1; then
  echo "make fuzz: $CLANG cannot link libFuzzer (apt-get install libclang-rt-14-dev); skipped"
  exit 0
fi
make --no-print-directory BUILD=$B/lib CC="$CLANG" OPT=-O1 \
  SAN="-fsanitize=address,undefined,fuzzer-no-link -fno-sanitize-recover=all" \
  $B/lib/libauthscope.a >/dev/null || exit 1
FLAGS=$(make -s --no-print-directory print-cflags BUILD=$B/lib)
LIBS=$(make -s --no-print-directory print-libs)
rc=0 nok=0 nbad=0
for src in fuzz/fuzz_*.c; do
  [ -f "$src" ] || continue
  n=$(basename "$src" .c)
  if [ -n "${FUZZ_TARGETS:-}" ]; then
    case " $FUZZ_TARGETS " in *" $n "*) ;; *) continue ;; esac
  fi
  mkdir -p "$B/$n.new" "fuzz/corpus/$n"
  # shellcheck disable=SC2086
  if ! "$CLANG" $FLAGS -fsanitize=address,undefined,fuzzer -o "$B/$n" "$src" $B/lib/libauthscope.a \
       $LIBS; then
    echo "$n: BUILD FAILED"; rc=1; nbad=$((nbad + 1)); continue
  fi
  rm -f "$B/$n"-crash-* "$B/$n"-leak-* "$B/$n"-timeout-* "$B/$n"-oom-*
  if ! "$B/$n" -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 \
       -artifact_prefix="$B/$n-" "$B/$n.new" "fuzz/corpus/$n" >"$B/$n.log" 2>&1; then
    echo "$n: FOUND A PROBLEM (log $B/$n.log; reproducer: $(ls "$B/$n"-* 2>/dev/null | tr '\n' ' '))"
    grep -E 'ERROR|runtime error|SUMMARY|^    #[0-9] ' "$B/$n.log" | head -20
    rc=1; nbad=$((nbad + 1))
  else
    # "#56090 DONE cov: 2058 ft: 8227 corp: 976/1089Kb lim: 2168 exec/s: 919 rss: 123Mb"
    res=$(grep -E '^#[0-9]+.*DONE' "$B/$n.log" | tail -1 | awk -v n="$n" -v s="$SECS" -v c="$(ls "fuzz/corpus/$n" | wc -l)" '{
      sub(/^#/, "", $1)
      for (i = 1; i < NF; i++) { if ($i == "cov:") cov = $(i + 1); if ($i == "ft:") ft = $(i + 1)
        if ($i == "exec/s:") es = $(i + 1); if ($i == "rss:") rss = $(i + 1) }
      printf "%s: ok, no finding in %s s: %s runs, %s exec/s, cov %s ft %s, rss %s (corpus %s files)\n",
             n, s, $1, es, cov, ft, rss, c }')
    echo "${res:-$n: ok, no finding in $SECS s}"
    nok=$((nok + 1))
  fi
done
echo "make fuzz: $nok harness(es) ok, $nbad with a problem (${SECS} s each)"
if [ -z "${FUZZ_TARGETS:-}" ] && [ -f fuzz/coverage.sh ]; then
  MIN=${MIN:-80} sh fuzz/coverage.sh || { echo "make fuzz: coverage below ${MIN:-80} %"; rc=1; }
fi
exit $rc
