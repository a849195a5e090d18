#!/usr/bin/env python3
"""Assert facts about `authscope events` and `authscope analyze -f json` output.

usage: events_expect.py EXPECT EVENTS.ndjson ANALYZE.json

EXPECT holds one assertion a line, words split as by the shell (quote or
backslash-escape spaces); lines starting with '#' are comments:

  event   KIND    COUNT [FIELD=VALUE ...]   events of KIND whose fields match
  session COUNT   [FIELD=VALUE ...]         sessions of the analyze report
  finding COUNT   [FIELD=VALUE ...]         findings of the analyze report
  input   FIELD=VALUE ...                   every input of the analyze report
  order                                     events come in input line order
  absent  TEXT                              TEXT appears in no output at all

COUNT is N, A..B or + (at least one). KIND * is any kind. A FIELD may be
dotted (clock.year_from); VALUE null means absent/null; VALUE ~RE is a
regular expression search. Values compare as strings.
"""
import json
import re
import shlex
import sys


def get(obj, path):
    for part in path.split("."):
        if not isinstance(obj, dict) or part not in obj:
            return None
        obj = obj[part]
    return obj


def matches(obj, conds):
    for c in conds:
        k, _, v = c.partition("=")
        have = get(obj, k)
        if v == "null":
            if have is not None:
                return False
        elif v.startswith("~"):
            if have is None or not re.search(v[1:], str(have)):
                return False
        elif have is None or str(have) != v:
            return False
    return True


def count_ok(n, spec):
    if spec == "+":
        return n >= 1
    if ".." in spec:
        a, b = spec.split("..")
        return int(a) <= n <= int(b)
    return n == int(spec)


def main():
    if len(sys.argv) != 4:
        print(__doc__.splitlines()[2], file=sys.stderr)
        return 2
    with open(sys.argv[2]) as f:
        raw_events = f.read()
    events = [json.loads(l) for l in raw_events.splitlines() if l.strip()]
    with open(sys.argv[3]) as f:
        raw_report = f.read()
    report = json.loads(raw_report)
    bad = 0
    for lineno, line in enumerate(open(sys.argv[1]), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        w = shlex.split(line) if not line.startswith("absent") else line.split(None, 1)
        what = w[0]
        if what == "event":
            kind, spec, conds = w[1], w[2], w[3:]
            n = sum(1 for e in events if (kind == "*" or e.get("kind") == kind) and matches(e, conds))
            ok = count_ok(n, spec)
            msg = "%s: %d events of %s %s (want %s)" % ("ok" if ok else "FAIL", n, kind, " ".join(conds), spec)
        elif what == "session":
            spec, conds = w[1], w[2:]
            n = sum(1 for s in report.get("sessions", []) if matches(s, conds))
            ok = count_ok(n, spec)
            msg = "%s: %d sessions %s (want %s)" % ("ok" if ok else "FAIL", n, " ".join(conds), spec)
        elif what == "finding":
            spec, conds = w[1], w[2:]
            n = sum(1 for f in report.get("findings", []) if matches(f, conds))
            ok = count_ok(n, spec)
            msg = "%s: %d findings %s (want %s)" % ("ok" if ok else "FAIL", n, " ".join(conds), spec)
        elif what == "input":
            ins = report.get("inputs", [])
            ok = bool(ins) and all(matches(i, w[1:]) for i in ins)
            msg = "%s: inputs %s" % ("ok" if ok else "FAIL", " ".join(w[1:]))
            if not ok:
                msg += " (have %s)" % json.dumps(ins)
        elif what == "order":
            pos = [int(e["ref"].rsplit(":", 1)[1]) for e in events
                   if e.get("kind") != "session.end" and ":" in e.get("ref", "")]
            ok = pos == sorted(pos) and len(pos) > 0
            msg = "%s: %d events in line order" % ("ok" if ok else "FAIL", len(pos))
        elif what == "absent":
            text = w[1]
            ok = text not in raw_events and text not in raw_report
            msg = "%s: %r absent" % ("ok" if ok else "FAIL", text)
        else:
            ok = False
            msg = "FAIL: %s:%d: unknown assertion %r" % (sys.argv[1], lineno, what)
        if not ok:
            bad += 1
            print(msg)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
