#!/bin/sh
# The documentation keeps up with the code: every long option of
# src/cli/opts.c is in man/authscope.1, in some command's --help, and in
# the bash completion; every command is in all three; the man page renders
# without groff warnings; the completion works when sourced.
set -u
A=${AUTHSCOPE:-build/authscope}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
opts=$(sed -n 's/^[[:space:]]*{"\([a-z-]*\)", .*/\1/p' src/cli/opts.c)
[ -n "$opts" ] || fail "no options found in opts.c"
cmds="analyze decode events timeline live check rules"
: > "$T/help"
"$A" --help >> "$T/help"
for c in $cmds; do "$A" "$c" --help >> "$T/help" || fail "$c --help"; done
for o in $opts; do
  grep -q -- "\\\\-\\\\-$(echo "$o" | sed 's/-/\\\\-/g')" man/authscope.1 || fail "--$o not in man/authscope.1"
  grep -q -- "--$o" "$T/help" || fail "--$o not in any --help"
  grep -q -- "--$o" tools/authscope.bash || fail "--$o not in tools/authscope.bash"
done
for c in $cmds; do
  grep -q "^\\.B authscope $c" man/authscope.1 || grep -q "^\\.B $c\$" man/authscope.1 || fail "$c not in man"
  grep -q "$c" tools/authscope.bash || fail "$c not in completion"
done
if command -v groff >/dev/null; then
  w=$(groff -man -ww -z man/authscope.1 2>&1)
  [ -z "$w" ] || fail "groff warnings: $w"
fi
command -v bash >/dev/null || exit 0
bash -n tools/authscope.bash || fail "completion syntax"
bash -c '
  . tools/authscope.bash
  COMP_WORDS=(authscope ti); COMP_CWORD=1; _authscope
  [ "${COMPREPLY[*]}" = timeline ] || { echo "command: ${COMPREPLY[*]}"; exit 1; }
  COMP_WORDS=(authscope analyze -f s); COMP_CWORD=3; _authscope
  [ "${COMPREPLY[*]}" = sarif ] || { echo "format: ${COMPREPLY[*]}"; exit 1; }
  COMP_WORDS=(authscope check --up); COMP_CWORD=2; _authscope
  [ "${COMPREPLY[*]}" = --update ] || { echo "check option: ${COMPREPLY[*]}"; exit 1; }
  COMP_WORDS=(authscope events -f n); COMP_CWORD=3; _authscope
  [ "${COMPREPLY[*]}" = ndjson ] || { echo "events format: ${COMPREPLY[*]}"; exit 1; }
' || fail "completion"
exit 0
