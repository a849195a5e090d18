/* \summary: fuzz --redact's free-text scanner: the first line of the input
 * lists identities (split on '|', the first byte of each picks its class),
 * the rest is text from a log. Never a crash, a leak or a hang. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "report/redact.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = 0;
	size_t n = strlen(buf);             /* text stops at a NUL, as C strings do */
	char *nl = memchr(buf, '\n', n);
	char *text = nl ? nl + 1 : buf + n;
	if (nl)
		*nl = 0;
	static const uint8_t key[] = "fuzz";
	struct redactor *r = redact_new_key(key, sizeof key);
	for (char *id = buf, *bar; id && *id; id = bar ? bar + 1 : NULL) {
		bar = strchr(id, '|');
		if (bar)
			*bar = 0;
		if (*id)
			redact_learn(r, (unsigned char)id[0] % RC__COUNT, id + 1);
	}
	const char *out = redact_text(r, text);
	if (!out)
		abort();
	(void)redact_text_keep(r, out);
	(void)redact_str(r, RC_IP, text);
	redact_free(r);
	free(buf);
	str_shutdown();     /* pseudonyms are interned: one input is one run */
	return 0;
}
