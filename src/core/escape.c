/* \summary: escaping for terminal, JSON, HTML and XML output */
#include "core/escape.h"

#include <string.h>

size_t utf8_seq_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t len;
	uint32_t cp;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	/* C1 controls (U+0080..U+009F) are treated as invalid for output */
	if (cp >= 0x80 && cp <= 0x9f)
		return 0;
	return len;
}

static int hexbyte(struct sbuf *b, const char *pre, unsigned char c)
{
	static const char hx[] = "0123456789abcdef";
	char t[8];
	size_t n = strlen(pre);
	memcpy(t, pre, n);
	t[n] = hx[c >> 4];
	t[n + 1] = hx[c & 15];
	return sbuf_add(b, t, n + 2);
}

/* Length of the run of printable ASCII at p that needs no escaping (for
 * text: not '\\'; for JSON: not '\\' nor '"'). Copying runs in one
 * append instead of a call per byte is what makes escaping cheap. */
static size_t plain_run(const unsigned char *p, size_t n, int json)
{
	/* eight bytes at a time while none is a control, DEL, 8-bit, '\\'
	 * or (JSON) '"': zero(x) is nonzero iff some byte of x is 0 */
#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL
#define zero(x) (((x) - ONES) & ~(x) & HIGHS)
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		uint64_t bad = ((w - ONES * 0x20) & ~w & HIGHS) | (w & HIGHS) |
			       zero(w ^ (ONES * 0x7f)) | zero(w ^ (ONES * '\\'));
		if (json)
			bad |= zero(w ^ (ONES * '"'));
		if (bad)
			break;
	}
#undef zero
#undef HIGHS
#undef ONES
	while (i < n && p[i] >= 0x20 && p[i] < 0x7f && p[i] != '\\' && !(json && p[i] == '"'))
		i++;
	return i;
}

int esc_text(struct sbuf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	int r = 0;
	for (size_t i = 0; i < n && !r;) {
		size_t run = plain_run(p + i, n - i, 0);
		if (run) {
			r = sbuf_add(b, s + i, run);
			i += run;
			continue;
		}
		unsigned char c = p[i];
		if (c == '\\') {
			r = sbuf_add(b, "\\\\", 2);
			i++;
		} else if (c == '\t') {
			r = sbuf_add(b, "\\t", 2);
			i++;
		} else if (c == '\n') {
			r = sbuf_add(b, "\\n", 2);
			i++;
		} else if (c == '\r') {
			r = sbuf_add(b, "\\r", 2);
			i++;
		} else if (c < 0x20 || c == 0x7f) {
			r = hexbyte(b, "\\x", c);
			i++;
		} else {
			size_t l = utf8_seq_len(p + i, n - i);
			if (!l) {
				r = hexbyte(b, "\\x", c);
				i++;
			} else {
				r = sbuf_add(b, s + i, l);
				i += l;
			}
		}
	}
	return r;
}

int esc_json(struct sbuf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	int r = 0;
	for (size_t i = 0; i < n && !r;) {
		size_t run = plain_run(p + i, n - i, 1);
		if (run) {
			r = sbuf_add(b, s + i, run);
			i += run;
			continue;
		}
		unsigned char c = p[i];
		switch (c) {
		case '"': r = sbuf_add(b, "\\\"", 2); i++; continue;
		case '\\': r = sbuf_add(b, "\\\\", 2); i++; continue;
		case '\n': r = sbuf_add(b, "\\n", 2); i++; continue;
		case '\r': r = sbuf_add(b, "\\r", 2); i++; continue;
		case '\t': r = sbuf_add(b, "\\t", 2); i++; continue;
		}
		if (c < 0x20 || c == 0x7f) {
			r = hexbyte(b, "\\u00", c);
			i++;
			continue;
		}
		size_t l = utf8_seq_len(p + i, n - i);
		if (!l) {
			r = hexbyte(b, "\\u00", c);
			i++;
		} else {
			r = sbuf_add(b, s + i, l);
			i += l;
		}
	}
	return r;
}

static int esc_markup(struct sbuf *b, const char *s, size_t n, int xml)
{
	const unsigned char *p = (const unsigned char *)s;
	int r = 0;
	for (size_t i = 0; i < n && !r;) {
		unsigned char c = p[i];
		switch (c) {
		case '&': r = sbuf_adds(b, "&amp;"); i++; continue;
		case '<': r = sbuf_adds(b, "&lt;"); i++; continue;
		case '>': r = sbuf_adds(b, "&gt;"); i++; continue;
		case '"': r = sbuf_adds(b, "&quot;"); i++; continue;
		case '\'': r = sbuf_adds(b, "&#39;"); i++; continue;
		case '\n': case '\t':
			r = sbuf_addc(b, (char)c);
			i++;
			continue;
		}
		if (c < 0x20 || c == 0x7f) {
			/* XML 1.0 cannot carry these at all; HTML shows a visible mark */
			r = xml ? sbuf_adds(b, "\xef\xbf\xbd") : hexbyte(b, "\\x", c);
			i++;
			continue;
		}
		size_t l = utf8_seq_len(p + i, n - i);
		if (!l) {
			r = sbuf_adds(b, "\xef\xbf\xbd");
			i++;
		} else {
			r = sbuf_add(b, s + i, l);
			i += l;
		}
	}
	return r;
}

int esc_html(struct sbuf *b, const char *s, size_t n)
{
	return esc_markup(b, s, n, 0);
}

int esc_xml(struct sbuf *b, const char *s, size_t n)
{
	return esc_markup(b, s, n, 1);
}

void fputs_text(FILE *f, const char *s)
{
	/* most strings need no escaping: write them as they are */
	size_t n = s ? strlen(s) : 0;
	if (s && plain_run((const unsigned char *)s, n, 0) == n) {
		fwrite(s, 1, n, f);
		return;
	}
	struct sbuf b;
	sbuf_init(&b, 0);
	if (s && !esc_text(&b, s, strlen(s)))
		fwrite(b.p ? b.p : "", 1, b.len, f);
	sbuf_free(&b);
}

void fputs_json(FILE *f, const char *s)
{
	if (!s) {
		fputs("null", f);
		return;
	}
	size_t n = strlen(s);
	if (plain_run((const unsigned char *)s, n, 1) == n) {
		fputc('"', f);
		fwrite(s, 1, n, f);
		fputc('"', f);
		return;
	}
	struct sbuf b;
	sbuf_init(&b, 0);
	fputc('"', f);
	if (!esc_json(&b, s, n))
		fwrite(b.p ? b.p : "", 1, b.len, f);
	fputc('"', f);
	sbuf_free(&b);
}
