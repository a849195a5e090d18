#!/bin/sh
# Every report format of a synthetic run (tests/unit/test_report.c writes
# them), checked the way their consumers read them: JSON and NDJSON parsed,
# SARIF 2.1.0 and JUnit validated structurally, the redacted variants
# grepped for every original identity, and the HTML rendered by headless
# Chromium: a screenshot that is not blank and a DOM with a drawn ladder
# per session.
set -u
A=${AUTHSCOPE:-build/authscope}
B=$(dirname "$A")
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
AUTHSCOPE_SAMPLES=$T "$B/tests/test_report" > "$T/unit.log" 2>&1 || { cat "$T/unit.log"; fail "test_report"; }
[ -s "$T/sample.html" ] || fail "no samples written"

python3 - "$T" <<'PY' || fail "structure"
import json, sys, xml.etree.ElementTree as ET
d = sys.argv[1]
for red in ("", ".redacted"):
    j = json.load(open(f"{d}/sample{red}.json"))
    assert set(j) >= {"authscope", "inputs", "sessions", "findings", "clock"}, j.keys()
    assert len(j["sessions"]) == 3 and len(j["findings"]) == 3
    for s in j["sessions"]:
        for st in s["stages"]:
            assert {"time", "source", "what", "detail", "ref"} <= set(st), st
    # NDJSON: every line one object
    lines = open(f"{d}/sample{red}.ndjson").read().splitlines()
    objs = [json.loads(l) for l in lines]
    assert len(objs) == 6
    for o in objs:
        for k in ("event.kind", "event.action", "event.category"):
            assert k in o, (k, o)
    alerts = [o for o in objs if o["event.kind"] == "alert"]
    assert {a["rule.id"] for a in alerts} == {"primary-reject", "duo-push-timeout", "input-damaged"}
    assert all("@timestamp" in o for o in objs)
    # SARIF 2.1.0
    s = json.load(open(f"{d}/sample{red}.sarif"))
    assert s["version"] == "2.1.0" and len(s["runs"]) == 1
    run = s["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids))
    for r in run["results"]:
        assert r["level"] in ("error", "warning", "note")
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
        assert r["message"]["text"]
        for loc in r["locations"]:
            pl = loc["physicalLocation"]
            assert pl["artifactLocation"]["uri"]
            if "region" in pl:
                assert pl["region"]["startLine"] >= 1
            else:
                assert loc["logicalLocations"][0]["name"].startswith("frame ")
    # JUnit
    root = ET.parse(f"{d}/sample{red}.junit").getroot()
    assert root.tag == "testsuites"
    suite = root.find("testsuite")
    cases = suite.findall("testcase")
    assert int(suite.get("tests")) == len(cases) == 5
    assert int(suite.get("failures")) == sum(1 for c in cases if c.find("failure") is not None) == 2
PY

# redaction: no original identity in any redacted format
for f in "$T"/sample.redacted.*; do
  for id in alice bob 10.106.54.143 10.197.243.116 10.1.1.1 '<script>alert' 'script&gt;alert'; do
    if grep -qF -- "$id" "$f"; then fail "$(basename "$f") leaks $id"; fi
  done
done
# ...while the plain ones do carry them (the grep above can fail)
grep -qF alice "$T/sample.json" || fail "plain json lost alice"

# HTML in a headless browser
CH=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CH" ] || fail "chromium not installed (apt-get install chromium; see tools/deps.sh)"
run_ch() {
  prof=$1; shift
  timeout 120 "$CH" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --no-first-run --disable-dev-shm-usage \
    --user-data-dir="$T/profile.$prof" "$@" 2>>"$T/chromium.err"
}
run_ch a --window-size=1280,1600 --screenshot="$T/shot.png" "file://$T/sample.html" >/dev/null
run_ch b --dump-dom "file://$T/sample.html" > "$T/dom.html"
# the filter box, driven through the URL: only bob's items stay visible
run_ch c --dump-dom "file://$T/sample.html#q=bob" > "$T/dom.bob.html"
[ -s "$T/dom.html" ] || { tail -5 "$T/chromium.err"; fail "no DOM from chromium"; }
python3 - "$T" <<'PY' || fail "rendered page"
import re, struct, sys, zlib
d = sys.argv[1]
dom = open(f"{d}/dom.html", encoding="utf-8").read()
# one ladder per session, each with its arrows; failing legs marked
svgs = re.findall(r'<svg class="ladder".*?</svg>', dom, re.S)
assert len(svgs) == 3, len(svgs)
arrows = [len(re.findall(r'<line class="arrow"', s)) for s in svgs]
assert arrows == [4, 6, 2], arrows
assert len(re.findall(r'<g class="row fail">', dom)) == 2
assert "<script>alert" not in dom
# the page's script ran: #q=bob hid every item that is not bob's
bob = open(f"{d}/dom.bob.html", encoding="utf-8").read()
items = re.findall(r'<details class="item [^"]*"[^>]*>', bob)
assert len(items) == 6, len(items)
shown = [i for i in items if "display: none" not in i]
assert len(shown) == 2 and all("bob" in i for i in shown), shown
assert "2 of 6 shown" in bob
# the screenshot is a real picture: decode the PNG, count distinct colours
png = open(f"{d}/shot.png", "rb").read()
assert png[:8] == b"\x89PNG\r\n\x1a\n"
pos, idat, w = 8, b"", 0
while pos < len(png):
    n, typ = struct.unpack(">I4s", png[pos:pos + 8])
    body = png[pos + 8:pos + 8 + n]
    if typ == b"IHDR":
        w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
    if typ == b"IDAT":
        idat += body
    pos += 12 + n
raw = zlib.decompress(idat)
bpp = 4 if ctype == 6 else 3
stride = w * bpp + 1
colours = set()
for y in range(0, h, 7):
    row = raw[y * stride + 1:(y + 1) * stride]   # filtered bytes: enough to see variety
    colours.update(row[i:i + 3] for i in range(0, len(row) - 3, bpp * 5))
assert len(colours) > 50, len(colours)
PY
exit 0
