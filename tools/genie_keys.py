#!/usr/bin/env python3
"""Check that the IKEv2 SA records of a Genie oracle land in the typed
fields of one `authscope events` record, not only in its detail text.

usage: genie_keys.py EVENTS.ndjson ORACLE.genie.json

genie_check.py compares values anywhere in an event (the detail carries
the record's text); this one checks that for every oracle record with a
local SPI (one IKEv2 SA) a single router.show event carries both SPIs in
spi_i/spi_r, the SA's status in text, its session id (when Genie gives
one) in ike_session and its pushed address (when shown) in assigned_ip,
the keys the session table joins by.
"""
import json
import sys


def records(node, out):
    if isinstance(node, dict):
        if "local_spi" in node and "remote_spi" in node:
            out.append(node)
        for v in node.values():
            records(v, out)
    elif isinstance(node, list):
        for x in node:
            records(x, out)


def holds(rec, e):
    spis = {str(e.get("spi_i", "")).lower(), str(e.get("spi_r", "")).lower()}
    if str(rec["local_spi"]).lower() not in spis or str(rec["remote_spi"]).lower() not in spis:
        return False
    # ShowCryptoIkev2Session folds the session header into each SA record:
    # there status/session_id are the session's, session_status/id the SA's
    status, sid = ("session_status", "id") if "session_status" in rec else ("status", "session_id")
    if status in rec and str(e.get("text", "")).lower() != str(rec[status]).lower():
        return False
    if sid in rec and str(e.get("ike_session")) != str(rec[sid]):
        return False
    if "pushed_ip" in rec and e.get("assigned_ip") != rec["pushed_ip"]:
        return False
    return True


def main():
    if len(sys.argv) != 3:
        print(__doc__.splitlines()[3], file=sys.stderr)
        return 2
    evs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
    evs = [e for e in evs if e.get("kind") == "router.show" and e.get("result") == "ikev2-sa"]
    recs = []
    records(json.load(open(sys.argv[2])), recs)
    bad = 0
    for r in recs:
        if not any(holds(r, e) for e in evs):
            print("no event carries SA %s/%s with its status, session and address in typed fields"
                  % (r["local_spi"], r["remote_spi"]))
            bad += 1
    print("%s: %d SA records checked, %d problems" % (sys.argv[2].rsplit("/", 1)[-1], len(recs), bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
