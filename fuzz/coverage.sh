#!/bin/sh
# Line coverage of the decoders by their fuzz corpora (gcc --coverage +
# gcov): each corpus is replayed by its harness built without libFuzzer, and
# gcov reports the lines of the files that harness is for. Target: >= 80 %
# of radius.c and capture.c; of ikev2.c and ike_crypt.c (fuzz_ikev2 +
# fuzz_ike_crypt, which also count ike_sa.c, ike_keys.c); of the IOS parser
# (ios*.c, syslog.c). Run by make fuzz (after fuzzing) or alone:
#   sh fuzz/coverage.sh            (MIN=80 makes it fail below that)
set -u
B=build/cov
MIN=${MIN:-0}
# counts from objects an earlier build made would not match: start clean
find "$B" -name '*.gcda' -delete 2>/dev/null
make --no-print-directory BUILD=$B CC=gcc OPT=-O0 SAN="--coverage" \
  $B/fuzz-replay/fuzz_radius $B/fuzz-replay/fuzz_pcap \
  $B/fuzz-replay/fuzz_ikev2 $B/fuzz-replay/fuzz_ike_crypt >/dev/null || exit 1
"$B/fuzz-replay/fuzz_radius" fuzz/corpus/fuzz_radius >/dev/null || exit 1
"$B/fuzz-replay/fuzz_pcap" fuzz/corpus/fuzz_pcap >/dev/null || exit 1
"$B/fuzz-replay/fuzz_ikev2" fuzz/corpus/fuzz_ikev2 >/dev/null || exit 1
"$B/fuzz-replay/fuzz_ike_crypt" fuzz/corpus/fuzz_ike_crypt >/dev/null || exit 1
rc=0
for f in radius capture eap ipreasm ikev2 ike_crypt ike_sa ike_keys; do
  pct=$(cd "$B/obj/decoders" && gcov -n "$f.o" 2>/dev/null |
        awk -v f="$f.c" '$0 ~ "File .*" f "\x27" {getline; sub(/.*:/, ""); sub(/%.*/, ""); print; exit}')
  echo "coverage src/decoders/$f.c: ${pct:-?}% of lines (fuzz corpora)"
  case $f in radius|capture|ikev2|ike_crypt)
    awk -v p="${pct:-0}" -v m="$MIN" 'BEGIN { exit !(p + 0 < m + 0) }' && rc=1 ;;
  esac
done

# IOS text parser: ios*.c and syslog.c by the fuzz_ios corpus (target >= 80 %)
rm -f "$B/obj/parsers"/*.gcda 2>/dev/null
make --no-print-directory BUILD=$B CC=gcc OPT=-O0 SAN="--coverage" \
  $B/fuzz-replay/fuzz_ios >/dev/null || exit 1
"$B/fuzz-replay/fuzz_ios" fuzz/corpus/fuzz_ios >/dev/null || exit 1
tot=0; hit=0
for f in ios ios_debug ios_show syslog; do
  line=$(cd "$B/obj/parsers" && gcov -n "$f.o" 2>/dev/null |
        awk -v f="$f.c" '$0 ~ "File .*/" f "\x27" {getline; print; exit}')
  pct=$(echo "$line" | sed 's/.*:\([0-9.]*\)%.*/\1/')
  n=$(echo "$line" | sed 's/.* of \([0-9]*\).*/\1/')
  echo "coverage src/parsers/$f.c: ${pct:-?}% of ${n:-?} lines (fuzz_ios corpus)"
  tot=$(awk -v t="$tot" -v n="${n:-0}" 'BEGIN { print t + n }')
  hit=$(awk -v h="$hit" -v n="${n:-0}" -v p="${pct:-0}" 'BEGIN { print h + n * p / 100 }')
done
pct=$(awk -v h="$hit" -v t="$tot" 'BEGIN { printf "%.1f", t ? 100 * h / t : 0 }')
echo "coverage src/parsers/ios*.c + syslog.c: $pct% of $tot lines (fuzz_ios corpus)"
awk -v p="$pct" -v m="$MIN" 'BEGIN { exit !(p + 0 < m + 0) }' && rc=1
exit $rc
