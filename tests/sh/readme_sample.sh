#!/bin/sh
# The README's sample output is what the demo bundle gives today: every line
# of the sample block (but the ones cut with [...]) is a line of
# `authscope analyze testdata/bundles/demo/`, and the timeline example's
# lines are lines of the timeline of its log.
set -u
A=${AUTHSCOPE:-build/authscope}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
"$A" analyze testdata/bundles/demo/ > "$T/demo.txt"
"$A" timeline --user jdoe testdata/golden/timeline-authproxy/authproxy.log |
    sed 's#testdata/golden/timeline-authproxy/##' > "$T/tl.txt"
python3 - "$T" <<'PY'
import sys
d = sys.argv[1]
s = open("README.md").read()
def block(after):
    i = s.index(after)
    return s[i:].split("```")[1 if after.startswith("##") else 0].splitlines()
checks = [(block("## Sample output"), "demo.txt"),
          (block("$ authscope timeline --user jdoe authproxy.log")[1:], "tl.txt")]
bad = 0
for lines, f in checks:
    out = set(open(f"{d}/{f}").read().splitlines())
    want = [l for l in lines if l.strip() and "[...]" not in l]
    if len(want) < 5:
        print(f"FAIL: README block for {f} not found"); bad = 1
    for l in want:
        if l not in out:
            print(f"FAIL: README line not in {f}: {l}"); bad = 1
sys.exit(bad)
PY
