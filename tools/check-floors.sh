#!/bin/sh
# Folders are floors; arrows point down only (../shared/design.md).
# floor 1 core; floor 2 parsers decoders rules report tui; floor 3 ingest; floor 4 cli.
# Same-floor folders may not use each other either.
rc=0
floor() {
  case $1 in core) echo 1;; parsers|decoders|rules|report|tui) echo 2;; ingest) echo 3;; cli) echo 4;; *) echo 9;; esac
}
for dir in src/*/; do
  d=$(basename "$dir"); fd=$(floor "$d")
  for inc in $(grep -ho '#include "[a-z]*/' "$dir"*.[ch] 2>/dev/null | sed 's/#include "//; s#/##' | sort -u); do
    fi_=$(floor "$inc")
    if [ "$inc" != "$d" ] && [ "$fi_" -ge "$fd" ]; then
      echo "floors: src/$d (floor $fd) includes $inc/ (floor $fi_):" >&2
      grep -n "#include \"$inc/" "$dir"*.[ch] >&2
      rc=1
    fi
  done
done
exit $rc
