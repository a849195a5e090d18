#!/bin/sh
# Every report format of a real run (the demo bundle: proxy log, router
# debug and show, capture, both configs) carries every finding of the JSON
# report: NDJSON one alert each, SARIF one result each with a location per
# evidence line, JUnit the rule's testcase with the summary (failed at
# --fail-on info), HTML the summary; and the HTML page is self-contained
# and, rendered by headless Chromium, holds one SVG ladder per session.
set -u
A=${AUTHSCOPE:-build/authscope}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
D=testdata/bundles/demo
for f in json ndjson sarif html; do
  "$A" analyze --fail-on none -f $f -o "$T/demo.$f" "$D" || fail "analyze -f $f"
done
"$A" analyze --fail-on info -f junit -o "$T/demo.junit" "$D"; st=$?
[ $st = 1 ] || fail "junit --fail-on info: exit $st"
python3 - "$T" <<'PY' || fail "a format lost a finding"
import html, json, re, sys, xml.etree.ElementTree as ET
d = sys.argv[1]
j = json.load(open(f"{d}/demo.json"))
F = j["findings"]
assert len(F) >= 5 and len(j["sessions"]) == 3, (len(F), len(j["sessions"]))
nd = [json.loads(l) for l in open(f"{d}/demo.ndjson")]
alerts = sorted((o["rule.id"], o["message"]) for o in nd if o["event.kind"] == "alert")
assert alerts == sorted((f["rule"], f["summary"]) for f in F), alerts
assert sum(1 for o in nd if o["event.kind"] == "event") == len(j["sessions"])
s = json.load(open(f"{d}/demo.sarif"))
res = s["runs"][0]["results"]
assert sorted((r["ruleId"], r["message"]["text"]) for r in res) == \
       sorted((f["rule"], f["summary"]) for f in F)
for f in F:
    r = [r for r in res if r["ruleId"] == f["rule"] and r["message"]["text"] == f["summary"]][0]
    locs = set()
    for l in r["locations"]:
        pl = l["physicalLocation"]
        if "region" in pl:
            locs.add("%s:%d" % (pl["artifactLocation"]["uri"], pl["region"]["startLine"]))
        else:
            locs.add("%s#%s" % (pl["artifactLocation"]["uri"], l["logicalLocations"][0]["name"].split()[-1]))
    want = {e["ref"] for e in f["evidence"]}
    assert want <= locs, (f["rule"], want, locs)
root = ET.parse(f"{d}/demo.junit").getroot()
cases = {c.get("name"): c for c in root.iter("testcase")}
for f in F:
    c = cases[f["rule"]]
    fl = c.find("failure")
    assert fl is not None, f["rule"]
    assert f["summary"] in (fl.text or ""), (f["rule"], fl.text)
failed = {n for n, c in cases.items() if c.find("failure") is not None}
assert failed == {f["rule"] for f in F}, failed
h = open(f"{d}/demo.html", encoding="utf-8").read()
text = html.unescape(h)
for f in F:
    assert f["summary"] in text, f["summary"]
assert not re.search(r'\b(?:src|href)\s*=\s*(?!["\']?#)', h), \
       re.search(r'\b(?:src|href)\s*=\s*(?!["\']?#).{0,60}', h).group(0)
assert not re.search(r'url\((?!#)', h) and "@import" not in h and "<link" not in h
PY

CH=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CH" ] || fail "chromium not installed (apt-get install chromium; see tools/deps.sh)"
timeout 120 "$CH" --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-component-update --no-first-run --disable-dev-shm-usage \
  --user-data-dir="$T/profile" --dump-dom "file://$T/demo.html" > "$T/dom.html" 2>"$T/chromium.err"
[ -s "$T/dom.html" ] || { tail -5 "$T/chromium.err"; fail "no DOM from chromium"; }
python3 - "$T" <<'PY' || fail "rendered page"
import json, re, sys
d = sys.argv[1]
j = json.load(open(f"{d}/demo.json"))
dom = open(f"{d}/dom.html", encoding="utf-8").read()
svgs = re.findall(r'<svg class="ladder".*?</svg>', dom, re.S)
assert len(svgs) == len(j["sessions"]) == 3, len(svgs)
for s in svgs:
    assert len(re.findall(r'<line class="arrow"', s)) >= 4, s[:200]
# the failing legs of the reject and the timeout are marked
assert len(re.findall(r'<g class="row fail">', dom)) >= 2
PY
exit 0
