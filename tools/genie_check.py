#!/usr/bin/env python3
"""Check that `authscope events` output carries the values of a Genie oracle.

usage: genie_check.py EVENTS.ndjson ORACLE.genie.json

Genie (Cisco's parser library) parsed the same show output; its JSON is the
independent oracle. Key names and structure are Genie's own and are not
compared: only values are. Every dictionary of the oracle that holds scalar
values (a "record": one SA, one counter row, one error) must be matched by a
single event that carries all of those values; the oracle's top-level
scalars (flat counter tables) may each be found in any event. Matching is
case-insensitive, whitespace-collapsed and token-bounded (a value of 20
characters or more may be a prefix of a longer token: Genie keeps only the
first physical line of a wrapped traceback). Two of Genie's normalisations
are undone: a syslog-style stamp "Apr  4 00:16:59.484" is looked up in the
event's RFC 3339 time, and a "no" that Genie derived from "not detected" /
"not configured" matches "not". Dictionary keys that are data (tunnel ids,
error numbers) are checked through the values of their records.
"""
import json
import re
import sys

MONTHS = {m: i + 1 for i, m in enumerate(
    "jan feb mar apr may jun jul aug sep oct nov dec".split())}
STAMP = re.compile(r"^([a-z]{3}) +(\d{1,2}) (\d\d:\d\d:\d\d(?:\.\d+)?)$")


def norm(v):
    if isinstance(v, bool):
        v = "true" if v else "false"
    return re.sub(r"\s+", " ", str(v)).strip().lower()


def flatten(ev):
    out = []
    for k, v in ev.items():
        if k in ("ref",):
            continue
        if v is None:
            continue
        out.append(norm(v))
    return " | ".join(out)


def found(value, text):
    v = norm(value)
    if v == "":
        return True
    m = STAMP.match(v)
    if m:
        mon = MONTHS.get(m.group(1))
        if mon:
            v = "-%02d-%02dt%s" % (mon, int(m.group(2)), m.group(3))
            return v in text
    alts = [v]
    if v == "no":
        alts.append("not")
    for a in alts:
        tail = "" if len(a) >= 20 else r"(?![a-z0-9])"
        if re.search(r"(?<![a-z0-9])" + re.escape(a) + tail, text):
            return True
    return False


def groups(node, path, out, top):
    """(path, [values], top-level?) for every dict holding scalars."""
    if isinstance(node, dict):
        vals = []
        for k, v in node.items():
            if isinstance(v, (dict,)):
                groups(v, path + [k], out, False)
            elif isinstance(v, list):
                if all(not isinstance(x, (dict, list)) for x in v):
                    vals.extend(v)
                else:
                    for i, x in enumerate(v):
                        groups(x, path + [k, str(i)], out, False)
            else:
                vals.append(v)
        if vals:
            out.append(("/".join(path) or "(top)", vals, top))
    elif isinstance(node, list):
        for i, x in enumerate(node):
            groups(x, path + [str(i)], out, False)


def main():
    if len(sys.argv) != 3:
        print(__doc__.splitlines()[2], file=sys.stderr)
        return 2
    texts = []
    with open(sys.argv[1]) as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            ev = json.loads(line)
            if ev.get("kind") == "session.end":
                continue
            texts.append(flatten(ev))
    with open(sys.argv[2]) as f:
        oracle = json.load(f)
    gs = []
    groups(oracle, [], gs, True)
    bad = 0
    checked = 0
    for path, vals, top in gs:
        checked += len(vals)
        if top:
            for v in vals:
                if not any(found(v, t) for t in texts):
                    print("missing %s: %r" % (path, v))
                    bad += 1
            continue
        if not any(all(found(v, t) for v in vals) for t in texts):
            # say which values no event has, or that none has them all
            lost = [v for v in vals if not any(found(v, t) for t in texts)]
            if lost:
                print("missing %s: %r" % (path, lost))
            else:
                print("split %s: no single event carries all of %r" % (path, vals))
            bad += 1
    if not texts:
        print("no events")
        bad += 1
    print("%s: %d values in %d records checked, %d problems" %
          (sys.argv[2].rsplit("/", 1)[-1], checked, len(gs), bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
