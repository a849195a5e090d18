#!/bin/sh
# Every rule file of the built-in pack lints clean, and lint fails (exit 1)
# with file:line on a broken file; rules list/explain work on the pack.
set -u
A=${AUTHSCOPE:-build/authscope}
out=$("$A" rules lint rules/*.rules 2>&1) || { echo "rules lint rules/*.rules failed:"; echo "$out"; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
printf 'rule x\nkind match\non radius.request\nwhere usr == a\nseverity error\ntitle t\nsay s\n' >"$tmp/bad.rules"
"$A" rules lint "$tmp/bad.rules" >"$tmp/out" 2>&1; st=$?
[ "$st" = 1 ] || { echo "lint of a bad file: exit $st, expected 1"; cat "$tmp/out"; exit 1; }
grep -q "bad.rules:4: unknown field 'usr' (did you mean 'user'?)" "$tmp/out" || { echo "lint message:"; cat "$tmp/out"; exit 1; }
# every rule of the pack is listed, and explain names its file:line
n_files=$(grep -h '^rule ' rules/*.rules | wc -l)
n_list=$("$A" rules list | tail -n +2 | wc -l)
[ "$n_files" = "$n_list" ] || { echo "rules list shows $n_list rules, rules/*.rules define $n_files"; exit 1; }
"$A" rules explain input-damaged | grep -q '^defined    builtin:core.rules:' || { echo "explain lacks file:line"; exit 1; }
"$A" rules explain no-such-rule >/dev/null 2>&1 && { echo "explain of an unknown id succeeded"; exit 1; }
# --rules adds a file; --no-default-rules drops the pack
mkdir "$tmp/d"; printf 'rule mine\nkind match\non radius.request\nseverity info\ntitle mine\nsay s\n' >"$tmp/d/mine.rules"
"$A" rules list --no-default-rules --rules "$tmp/d" | grep -q '^mine ' || { echo "--rules DIR not listed"; exit 1; }
[ "$("$A" rules list --no-default-rules --rules "$tmp/d/mine.rules" | wc -l)" = 2 ] || { echo "--no-default-rules kept the pack"; exit 1; }
exit 0
