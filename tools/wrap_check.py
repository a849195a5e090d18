#!/usr/bin/env python3
"""Wrap router captures like a narrow console and compare the events.

usage: wrap_check.py AUTHSCOPE SEED FILE...

For each FILE, the events of the original are compared with the events of
copies hard-wrapped at console widths 40 and 200 and at six widths drawn
from random(SEED) in 40..200: every line longer than the width is split
into width-sized pieces, mid-token, with nothing added, as a terminal
does. Event refs (line numbers) necessarily differ and are left out; every
other field must be identical, event for event.
"""
import json
import os
import random
import subprocess
import sys
import tempfile


def events(authscope, path):
    out = subprocess.run([authscope, "events", path], capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit("%s events %s: exit %d: %s" % (authscope, path, out.returncode, out.stderr))
    evs = []
    for line in out.stdout.splitlines():
        e = json.loads(line)
        e.pop("ref", None)
        evs.append(json.dumps(e, sort_keys=True))
    return evs


def wrap(text, width):
    out = []
    for line in text.split("\n"):
        cr = line.endswith("\r")
        if cr:
            line = line[:-1]
        while len(line) > width:
            out.append(line[:width])
            line = line[width:]
        out.append(line + ("\r" if cr else ""))
    return "\n".join(out)


def main():
    if len(sys.argv) < 4:
        print(__doc__.splitlines()[2], file=sys.stderr)
        return 2
    authscope, seed, files = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    rnd = random.Random(seed)
    widths = [40, 200] + [rnd.randint(40, 200) for _ in range(6)]
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        for f in files:
            base = events(authscope, f)
            if not base:
                print("FAIL %s: no events at all" % f)
                bad += 1
                continue
            text = open(f, newline="").read()
            st = os.stat(f)
            for w in widths:
                p = os.path.join(tmp, "w%d-%s" % (w, os.path.basename(f)))
                with open(p, "w", newline="") as o:
                    o.write(wrap(text, w))
                os.utime(p, (st.st_atime, st.st_mtime))   # same mtime: same year
                got = events(authscope, p)
                if got != base:
                    bad += 1
                    print("FAIL %s wrapped at %d: %d events, %d expected" % (f, w, len(got), len(base)))
                    for i, (a, b) in enumerate(zip(base, got)):
                        if a != b:
                            print("  first difference at event %d:\n  want %s\n  got  %s" % (i, a, b))
                            break
            print("ok %s: same %d events at widths %s" % (f, len(base), widths))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
