#!/usr/bin/env python3
"""Drive `authscope live --headless` for bench/bench_live.sh.

    live_drive.py AUTHSCOPE WORKDIR rate    RATE SECONDS
    live_drive.py AUTHSCOPE WORKDIR latency TRIALS
    live_drive.py AUTHSCOPE WORKDIR idle    SECONDS [tui]

rate: a writer appends logins to a followed authproxy.log at RATE lines/s
(stamped as written, in 10 ms batches) for SECONDS, then one marker login;
prints the events the dashboard took per second, the delay until the
marker showed in a snapshot (so: did it keep up), and its CPU use.
latency: appends one login at a time to a quiet followed file (every
third one right after a rotation: rename + a new file) and prints how long
each took to show in an --on-change snapshot: median and max over TRIALS.
idle: the dashboard on a quiet followed file for SECONDS; prints its CPU
use (user + system time over wall time); with "tui", the full-screen
dashboard in a tmux pane instead of --headless.
"""
import os
import subprocess
import sys
import time

HZ = os.sysconf("SC_CLK_TCK")
S = "[duoauthproxy.lib.log#info]"


def stamp(t):
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + ".%06d+0000" % int((t % 1) * 1e6)


def login(user, rid, t, nas=None):
    """One accepted login with a Duo push: 12 lines, 9 events. The NAS
    address changes every 256 logins, so (NAS, id) never repeats within the
    proxy's 30 s duplicate window even at thousands of logins a second."""
    k = rid // 256
    if nas is None:
        nas = "10.%d.%d.1" % (k // 250 % 250, k % 250)
    # the proxy's outgoing id to the primary wraps too: so does its server
    prim = "10.20.%d.5" % (k % 250)
    tag = "(('%s', 1645), %s, %d)" % (nas, user, rid % 256)
    oid = (rid * 7 + 3) % 256
    msgs = [
        "Received new request id %d from ('%s', 1645)" % (rid % 256, nas),
        "%s: login attempt for username '%s'" % (tag, user),
        "Sending request for user '%s' to ('%s', 1812) with id %d" % (user, prim, oid),
        "Got response for id %d from ('%s', 1812); code 2" % (oid, prim),
        "http POST to https://api-1a2b3c4d.duosecurity.com:443/rest/v1/preauth",
        "%s: Got preauth result for: 'auth'" % tag,
        "http POST to https://api-1a2b3c4d.duosecurity.com:443/rest/v1/auth",
        "%s: Duo authentication returned 'allow': 'Success. Logging you in...'" % tag,
        "%s: Returning response code 2: AccessAccept" % tag,
        "%s: Sending response" % tag,
        "Summary: drpc_msg_metrics. received=%d sent=%d errors=0" % (rid, rid),
        "Returning list of configured directory syncs. []",
    ]
    st = stamp(t)
    return "".join("%s %s %s\n" % (st, S, m) for m in msgs)


def cpu_s(pid):
    """CPU time used so far (ns resolution from schedstat when there is one)."""
    try:
        with open("/proc/%d/schedstat" % pid) as f:
            return int(f.read().split()[0]) / 1e9
    except OSError:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / HZ


def rss_mb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0


def wait_for(path, text, since, limit):
    """Seconds until text appears in path after byte offset since, or None."""
    t0 = time.time()
    while time.time() - t0 < limit:
        with open(path, "rb") as f:
            f.seek(since)
            if text.encode() in f.read():
                return time.time()
        time.sleep(0.002)
    return None


def start(a, log, out, extra=()):
    o = open(out, "wb")
    p = subprocess.Popen([a, "live", "--headless", *extra, "--follow", log], stdout=o,
                         stderr=subprocess.DEVNULL)
    if wait_for(out, "--- authscope live", 0, 10) is None:
        sys.exit("live did not start")
    return p


def stop(p):
    p.terminate()
    p.wait(10)


def rate(a, w, r, secs):
    log, out = os.path.join(w, "rate.log"), os.path.join(w, "rate.out")
    open(log, "w").close()
    p = start(a, log, out, ["--on-change", "--user", "marker"])
    c0, t0 = cpu_s(p.pid), time.time()
    lines = 0
    n = 0
    rss = []
    next_rss = t0 + secs / 4
    with open(log, "a") as f:
        while time.time() - t0 < secs:
            if time.time() >= next_rss:
                rss.append(rss_mb(p.pid))
                next_rss += secs / 4
            due = int((time.time() - t0) * r)
            buf = []
            while lines < due:
                buf.append(login("u%05d" % (n % 50000), n, time.time()))
                lines += 12
                n += 1
            f.write("".join(buf))
            f.flush()
            time.sleep(0.01)
        mark = os.path.getsize(out)
        f.write(login("marker", n, time.time()))
        f.flush()
        tm = time.time()
    seen = wait_for(out, " marker ", mark, 30)
    wall = time.time() - t0
    cpu = cpu_s(p.pid) - c0
    rss.append(rss_mb(p.pid))
    stop(p)
    events = 0
    with open(out, "rb") as f:
        for line in f:
            if line.startswith(b"counters: events "):
                events = int(line.split()[2])
    lag = "never" if seen is None else "%.3f s" % (seen - tm)
    print("lines %d logins %d events %d in %.1f s: %.0f events/s; marker shown after %s; "
          "cpu %.0f %%; RSS MB by quarter %s" % (lines, n, events, tm - t0, events / (tm - t0),
                                                 lag, 100 * cpu / wall,
                                                 " ".join("%.0f" % x for x in rss)))


def latency(a, w, trials):
    log, out = os.path.join(w, "lat.log"), os.path.join(w, "lat.out")
    open(log, "w").close()
    p = start(a, log, out, ["--on-change"])
    plain, rotated = [], []
    for i in range(trials):
        time.sleep(0.3)
        rot = i % 3 == 2
        user = "lat%03d" % i
        mark = os.path.getsize(out)
        if rot:
            os.rename(log, log + ".1")
            with open(log + ".tmp", "w") as f:
                f.write(login(user, i, time.time()))
            t = time.time()
            os.rename(log + ".tmp", log)
        else:
            with open(log, "a") as f:
                f.write(login(user, i, time.time()))
            t = time.time()
        seen = wait_for(out, " %s " % user, mark, 10)
        (rotated if rot else plain).append(99.0 if seen is None else seen - t)
    stop(p)

    def stat(v):
        v = sorted(v)
        return "median %.0f ms, max %.0f ms (n=%d)" % (1000 * v[len(v) // 2], 1000 * v[-1], len(v))
    print("appended: %s; after rotation: %s" % (stat(plain), stat(rotated)))


def idle(a, w, secs, tui):
    log = os.path.join(w, "idle.log")
    open(log, "w").close()
    if tui:
        sock = os.path.join(w, "tmux.sock")
        subprocess.run(["tmux", "-S", sock, "-f", "/dev/null", "new-session", "-d", "-s", "i",
                        "-x", "80", "-y", "24", "%s live --follow %s" % (a, log)], check=True)
        time.sleep(1)
        pid = int(subprocess.run(["pgrep", "-f", "live --follow %s" % log], capture_output=True,
                                 text=True).stdout.split()[0])
    else:
        p = start(a, log, os.path.join(w, "idle.out"))
        pid = p.pid
    time.sleep(1)
    c0, t0 = cpu_s(pid), time.time()
    time.sleep(secs)
    cpu, wall = cpu_s(pid) - c0, time.time() - t0
    if tui:
        subprocess.run(["tmux", "-S", sock, "kill-server"])
    else:
        stop(p)
    print("%s: %.3f s CPU in %.0f s: %.2f %%" % ("tui" if tui else "headless", cpu, wall,
                                                  100 * cpu / wall))


def main():
    a, w, what = sys.argv[1], sys.argv[2], sys.argv[3]
    if what == "rate":
        rate(a, w, int(sys.argv[4]), float(sys.argv[5]))
    elif what == "latency":
        latency(a, w, int(sys.argv[4]))
    elif what == "idle":
        idle(a, w, float(sys.argv[4]), len(sys.argv) > 5 and sys.argv[5] == "tui")


if __name__ == "__main__":
    main()
