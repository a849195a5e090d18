/* Rules engine throughput: events/s through rules_on_event with a pack of
 * realistic rules (regex matches with literals, absence timers linking
 * request and response, thresholds), on synthetic events.
 *   bench_rules N      -> prints: events seconds findings */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/event.h"
#include "core/finding.h"
#include "core/rulemeta.h"
#include "core/str.h"
#include "rules/engine.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1000000;
	struct sbuf pack;
	sbuf_init(&pack, 1 << 22);
	static const char *const kinds[] = {"proxy.note", "proxy.primary_reject", "proxy.dropped",
					    "duo.result", "duo.api_error", "radius.response"};
	static const char *const words[] = {"Cannot decode password", "Invalid Message-Authenticator",
					    "Login timed out", "No reply message in packet",
					    "certificate verify failed", "Name or service not known"};
	for (int i = 0; i < 30; i++)
		if (sbuf_printf(&pack, "rule m%d\nkind match\non %s\nwhere text ~ /%s %d/ && user != x\n"
				"severity error\ntitle t\nsay ${user} ${text}\n\n", i, kinds[i % 6],
				words[i % 6], i))
			return 1;
	for (int i = 0; i < 5; i++)
		if (sbuf_printf(&pack, "rule a%d\nkind absence\non radius.request\nwhere nas_port != %d\n"
				"expect radius.response\nlink nas_ip, nas_port, radius_id\nwithin 10s\n"
				"severity error\ntitle t\nsay ${user}\n\n", i, 1000 + i))
			return 1;
	for (int i = 0; i < 5; i++)
		if (sbuf_printf(&pack, "rule t%d\nkind threshold\non radius.response\nwhere code == 3\n"
				"key user\ncount >= %d\nwithin 5m\nsuppress 1h\nseverity warning\n"
				"title t\nsay ${count}\n\n", i, 50 + i))
			return 1;
	struct rules *r = rules_new();
	if (rules_load_builtin(r, stderr) ||
	    rules_load_text(r, "bench.rules", pack.p, pack.len, stderr))
		return 1;
	struct finding_set *fs = findings_new();
	rules_bind(r, fs, NULL);
	const char *users[64], *ips[16], *texts[4];
	char b[64];
	for (int i = 0; i < 64; i++) {
		snprintf(b, sizeof b, "user%d", i);
		users[i] = intern_cstr(b);
	}
	for (int i = 0; i < 16; i++) {
		snprintf(b, sizeof b, "10.0.0.%d", i);
		ips[i] = intern_cstr(b);
	}
	texts[0] = intern_cstr("Sending request from 10.106.54.3 to radius_server_auto");
	texts[1] = intern_cstr("Received response for (outgoing) id 18 from the primary");
	texts[2] = intern_cstr("Duo preauth result was auth for user user3");
	texts[3] = intern_cstr("AccessReject: No reply message in packet");
	const char *raw = "2022-02-08T23:24:50.080854+0530 [duoauthproxy.lib.log#info] Sending request";
	double t0 = now();
	int64_t ts = (int64_t)1700000000 * 1000000;
	for (long i = 0; i < n; i++) {
		struct ev e;
		static const unsigned ek[] = {EVK_RADIUS_REQUEST, EVK_PROXY_NOTE, EVK_RADIUS_RESPONSE,
					      EVK_DUO_RESULT, EVK_PROXY_PRIMARY_REQ, EVK_ESP};
		ev_init(&e, ek[i % 6], SRC_AUTHPROXY_LOG, 1, (uint64_t)i + 1);
		ts += 1000;
		e.ts = ts;
		e.user = users[i % 64];
		e.nas_ip = ips[(i / 6) % 16];
		e.nas_port = 1812;
		e.radius_id = (int32_t)((i / 6) % 256);
		e.code = (i % 97) ? 2 : 3;
		e.text = texts[i % 4];
		e.raw = raw;
		e.raw_len = strlen(raw);
		rules_on_event(r, &e);
	}
	rules_finish(r);
	double t1 = now();
	printf("%ld %.6f %zu\n", n, t1 - t0, findings_count(fs));
	rules_free(r);
	findings_free(fs);
	rulemeta_reset();
	sbuf_free(&pack);
	str_shutdown();
	return 0;
}
