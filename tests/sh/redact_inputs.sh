#!/bin/sh
# --redact against the inputs themselves: for the demo bundle and traces
# with captures, IOS debug/show text, syslog, configs and proxy logs, every
# identity found in the inputs (user names and addresses of the plain event
# stream, every IPv4 literal of the text inputs, config secrets, hosts and
# keys, the --secret values) is grepped for in every redacted output:
# analyze in all six formats, events (json, ndjson) and timeline.
set -u
A=${AUTHSCOPE:-build/authscope}
case "$A" in /*) ;; *) A=$(pwd)/$A ;; esac
command -v python3 >/dev/null || { echo "SKIP: python3 missing"; exit 77; }
python3 - "$A" testdata/bundles/demo testdata/golden/corr-seed-show \
    testdata/traces/corr-duplicate-push testdata/traces/corr-protocol-mismatch \
    testdata/traces/config-secret-differs testdata/traces/config-client-missing \
    testdata/traces/home-down testdata/traces/wrong-secret-home \
    testdata/traces/lab-radius-down testdata/traces/ike-pool-exhausted \
    testdata/traces/ios-radius-accept testdata/traces/ios-seed-show \
    testdata/traces/ios-syslog-wrapped testdata/traces/duo-unknown-client <<'PY'
import json, os, re, shlex, subprocess, sys, zlib
A = sys.argv[1]
IP = re.compile(r'(?<![\d.])(\d{1,3}(?:\.\d{1,3}){3})(?![\d.])')
bad = 0
for case in sys.argv[2:]:
    if os.path.isdir(os.path.join(case, 'input')):
        cwd, inp = case, 'input'
    else:
        cwd, inp = case, '.'
    af = os.path.join(case, 'args')
    args = shlex.split(open(af).read()) if os.path.exists(af) else []
    if case.endswith('corr-seed-show'):
        args = []                       # the golden's args name a command
    def run(extra):
        r = subprocess.run([A] + extra, cwd=cwd, capture_output=True)
        return r.stdout.decode('utf-8', 'replace') + r.stderr.decode('utf-8', 'replace')
    ids = set()
    ev = run(['events'] + args + [inp])
    for l in ev.splitlines():
        o = json.loads(l)
        for k in ('user', 'client_ip', 'nas_ip', 'server_ip', 'assigned_ip', 'calling_station'):
            if isinstance(o.get(k), str):
                ids.add(o[k])
    for root, _, files in os.walk(os.path.join(cwd, inp)):
        for f in files:
            b = open(os.path.join(root, f), 'rb').read()
            if b[:2] == b'\x1f\x8b':
                b = zlib.decompressobj(31).decompress(b)
            if b'\0' in b[:4096] or f in ('expected', 'args', 'expect'):
                continue
            t = b.decode('utf-8', 'replace')
            ids.update(ip for ip in IP.findall(t) if not ip.startswith(('0.', '255.')))
            ids.update(re.findall(r'^\s*(?:secret|radius_secret_\d+|skey|ikey|api_host|radius_ip_\d+|host)\s*=\s*(\S+)', t, re.M))
            ids.update(re.findall(r'^\s*key(?: [067])? (\S+)', t, re.M))
            ids.update(re.findall(r"username '([^']+)'", t))
    ids.update(a.split('=', 1)[-1] for i, a in enumerate(args) if i and args[i - 1] == '--secret')
    ids = {i for i in ids if len(i) >= 3}
    plain = run(['analyze', '--fail-on', 'none', '-f', 'json'] + args + [inp]) + ev
    if not any(i in plain for i in ids):
        print('FAIL: %s: no identity found in the plain report (the greps cannot fail)' % case)
        bad = 1
    leaked = 0
    outs = {'analyze -f ' + f: run(['analyze', '--redact', '--fail-on', 'none', '-f', f] + args + [inp])
            for f in ('text', 'json', 'ndjson', 'html', 'junit', 'sarif')}
    outs['events'] = run(['events', '--redact'] + args + [inp])
    outs['events -f ndjson'] = run(['events', '--redact', '-f', 'ndjson'] + args + [inp])
    outs['timeline'] = run(['timeline', '--redact'] + args + [inp])
    for n, o in outs.items():
        for i in sorted(ids):
            m = re.search(r'(?<![\w.])' + re.escape(i) + r'(?!\w)', o)
            if m:
                line = o[o.rfind('\n', 0, m.start()) + 1:o.find('\n', m.end())]
                print('FAIL: %s: %s leaks %s: %s' % (case, n, i, line[:200]))
                bad = leaked = 1
    if not leaked:
        print('%s: %d identities, none in the redacted outputs' % (case, len(ids)))
sys.exit(bad)
PY
