#!/bin/sh
# Line coverage of the decoders by their fuzz corpora (gcc --coverage +
# gcov): each corpus is replayed by its harness built without libFuzzer, and
# gcov reports the lines of the files that harness is for. Target: >= 80 %
# of radius.c and capture.c; of ikev2.c and ike_crypt.c (fuzz_ikev2 +
# fuzz_ike_crypt, which also count ike_sa.c, ike_keys.c). Run by make fuzz (after fuzzing) or alone:
#   sh fuzz/coverage.sh            (MIN=80 makes it fail below that)
set -u
B=build/cov
MIN=${MIN:-0}
rm -rf "$B/obj/decoders"/*.gcda 2>/dev/null
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
exit $rc
