/* \summary: small writers shared by the markup reports (HTML, JUnit)
 *
 * One buffer is reused across calls (reports are written by one thread),
 * so escaping a string costs no allocation once the buffer has grown.
 */
#include "report/xmlout.h"

#include <string.h>

#include "core/escape.h"

static struct sbuf buf;

static void put(FILE *o, const char *s, int xml)
{
	if (!s)
		return;
	if (!buf.max)
		sbuf_init(&buf, 0);
	sbuf_reset(&buf);
	size_t n = strlen(s);
	if (!(xml ? esc_xml(&buf, s, n) : esc_html(&buf, s, n)))
		fwrite(buf.p ? buf.p : "", 1, buf.len, o);
	if (buf.cap > (1u << 20))
		sbuf_free(&buf);        /* do not keep a huge evidence line's buffer */
}

void put_xml(FILE *o, const char *s)
{
	put(o, s, 1);
}

void put_html(FILE *o, const char *s)
{
	put(o, s, 0);
}
