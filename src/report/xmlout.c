/* \summary: small writers shared by the markup reports (HTML, JUnit) */
#include "report/xmlout.h"

#include <string.h>

#include "core/escape.h"

void put_xml(FILE *o, const char *s)
{
	if (!s)
		return;
	struct sbuf b;
	sbuf_init(&b, 0);
	if (!esc_xml(&b, s, strlen(s)))
		fwrite(b.p ? b.p : "", 1, b.len, o);
	sbuf_free(&b);
}

void put_html(FILE *o, const char *s)
{
	if (!s)
		return;
	struct sbuf b;
	sbuf_init(&b, 0);
	if (!esc_html(&b, s, strlen(s)))
		fwrite(b.p ? b.p : "", 1, b.len, o);
	sbuf_free(&b);
}
