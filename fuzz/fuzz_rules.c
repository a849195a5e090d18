/* \summary: fuzz the rule file parser and the engine it builds: arbitrary
 * bytes as a rule file must give errors, never a crash, a leak or a hang;
 * whatever compiles is then run over a few synthetic events. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/event.h"
#include "core/finding.h"
#include "core/rulemeta.h"
#include "core/str.h"
#include "rules/engine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *devnull = fopen("/dev/null", "w");
	if (!devnull)
		return 0;
	struct rules *r = rules_new();
	rules_set_diag(r, devnull);
	rules_load_text(r, "fuzz.rules", (const char *)data, size, devnull);
	rules_check(r, devnull, 1);
	struct finding_set *fs = findings_new();
	rules_bind(r, fs, NULL);
	static const unsigned kinds[] = {EVK_RADIUS_REQUEST, EVK_RADIUS_RESPONSE, EVK_PROXY_PRIMARY_REJECT,
					 EVK_DUO_AUTH_REQUEST, EVK_AAA_TIMEOUT, EVK_SESSION_END,
					 EVK_INPUT_DAMAGED, EVK_PROXY_NOTE};
	static const char *const users[] = {"alice", "bob", "carol"};
	for (unsigned i = 0; i < 24; i++) {
		struct ev e;
		ev_init(&e, kinds[i % 8], SRC_AUTHPROXY_LOG, 0, i + 1);
		e.ts = (int64_t)1700000000 * 1000000 + (int64_t)i * 7000000;
		e.user = intern_cstr(users[i % 3]);
		e.nas_ip = intern_cstr("10.0.0.1");
		e.radius_id = (int32_t)(i % 4);
		e.code = (int32_t)(i % 3 + 1);
		e.session = i % 5;
		e.text = intern_cstr(i % 2 ? "No reply message in packet" : "aaaaaaaaaaaaaaaaaaaaaaaaaaaaab");
		e.result = intern_cstr(i % 2 ? "accept" : "error");
		e.raw = "raw line";
		e.raw_len = 8;
		rules_on_event(r, &e);
	}
	rules_finish(r);
	findings_finalize(fs);
	rules_free(r);
	findings_free(fs);
	rulemeta_reset();
	str_shutdown();   /* interned strings of this input go too */
	fclose(devnull);
	return 0;
}
