/* \summary: authevents.log (Duo proxy, log_auth_events=true): JSON lines
 *
 * One JSON object a line: timestamp (UTC, ...Z), msg, username, auth_stage
 * (Primary authentication | Secondary authentication | Unknown), status
 * (Allow | Reject | Error | Challenge), client_ip, server_section, factor,
 * hostname; 5.x adds Twisted's log_* keys (nested objects, skipped). It is
 * the only place Duo's reason text reliably appears for radius_server_auto.
 *
 * Events name the user (and the VPN client's address) but no RADIUS key:
 * the session table joins them to the user's login active at that moment,
 * or makes a login of them when no other source saw it.
 *
 * The object scanner is flat and bounded: strings are decoded into a fixed
 * buffer (longer values are cut), nested values are skipped by depth with a
 * cap, a line that is not an object is damage.
 */
#include "parsers/authproxy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/str.h"

#define VAL_MAX 1024            /* a value longer than this is cut */
#define MAX_DEPTH 32

enum key { K_TIMESTAMP, K_MSG, K_USERNAME, K_STAGE, K_STATUS, K_CLIENT_IP,
	   K_SECTION, K_FACTOR, K_LOG_TIME, K__COUNT };
static const char *const key_names[K__COUNT] = {
	"timestamp", "msg", "username", "auth_stage", "status", "client_ip",
	"server_section", "factor", "log_time",
};

struct ae {
	struct format_ctx ctx;
	char val[K__COUNT][VAL_MAX];
	size_t vlen[K__COUNT];
	uint8_t have[K__COUNT];
	uint64_t ndamage;
};

static const char *skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	return p;
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : (c | 32) >= 'a' && (c | 32) <= 'f' ? (c | 32) - 'a' + 10 : -1;
}

static size_t put_utf8(char *o, unsigned v)
{
	if (v < 0x80) { o[0] = (char)v; return 1; }
	if (v < 0x800) { o[0] = (char)(0xc0 | v >> 6); o[1] = (char)(0x80 | (v & 63)); return 2; }
	if (v < 0x10000) { o[0] = (char)(0xe0 | v >> 12); o[1] = (char)(0x80 | ((v >> 6) & 63)); o[2] = (char)(0x80 | (v & 63)); return 3; }
	o[0] = (char)(0xf0 | v >> 18); o[1] = (char)(0x80 | ((v >> 12) & 63)); o[2] = (char)(0x80 | ((v >> 6) & 63)); o[3] = (char)(0x80 | (v & 63));
	return 4;
}

/* A JSON string at p ('"'): decoded into out (cap, cut beyond), *pp after
 * it. -1 when unterminated or malformed. */
static int jstring(const char **pp, const char *end, char *out, size_t cap, size_t *outn)
{
	const char *p = *pp;
	if (p >= end || *p != '"')
		return -1;
	p++;
	size_t o = 0;
	while (p < end && *p != '"') {
		char tmp[4];
		size_t tn = 1;
		if (*p == '\\') {
			if (++p >= end)
				return -1;
			switch (*p) {
			case 'n': tmp[0] = '\n'; break;
			case 't': tmp[0] = '\t'; break;
			case 'r': tmp[0] = '\r'; break;
			case 'b': tmp[0] = '\b'; break;
			case 'f': tmp[0] = '\f'; break;
			case 'u': {
				if (end - p < 5)
					return -1;
				unsigned v = 0;
				for (int i = 1; i <= 4; i++) {
					int h = hexval(p[i]);
					if (h < 0)
						return -1;
					v = v * 16 + (unsigned)h;
				}
				p += 4;
				if (v >= 0xd800 && v < 0xdc00 && end - p >= 7 && p[1] == '\\' && p[2] == 'u') {
					unsigned lo = 0;
					int ok = 1;
					for (int i = 3; i <= 6; i++) {
						int h = hexval(p[i]);
						if (h < 0)
							ok = 0;
						lo = lo * 16 + (unsigned)(h < 0 ? 0 : h);
					}
					if (ok && lo >= 0xdc00 && lo < 0xe000) {
						v = 0x10000 + ((v - 0xd800) << 10) + (lo - 0xdc00);
						p += 6;
					}
				}
				if (v >= 0xd800 && v < 0xe000)
					v = 0xfffd;
				tn = put_utf8(tmp, v);
				break;
			}
			default: tmp[0] = *p; break;
			}
			p++;
		} else {
			tmp[0] = *p++;
		}
		if (out && o + tn < cap) {
			memcpy(out + o, tmp, tn);
			o += tn;
		}
	}
	if (p >= end)
		return -1;
	if (out)
		out[o] = 0;
	if (outn)
		*outn = o;
	*pp = p + 1;
	return 0;
}

/* Skip any JSON value (bounded depth). */
static int jskip(const char **pp, const char *end)
{
	const char *p = skip_ws(*pp, end);
	int depth = 0;
	do {
		if (p >= end)
			return -1;
		if (*p == '"') {
			if (jstring(&p, end, NULL, 0, NULL))
				return -1;
		} else if (*p == '{' || *p == '[') {
			if (++depth > MAX_DEPTH)
				return -1;
			p++;
		} else if (*p == '}' || *p == ']') {
			if (--depth < 0)
				return -1;
			p++;
		} else {
			p++;        /* literals, numbers, separators */
			while (depth == 0 && p < end && *p != ',' && *p != '}' && *p != ']')
				p++;
		}
		p = skip_ws(p, end);
	} while (depth > 0);
	*pp = p;
	return 0;
}

/* Fill st->val from one object line: 0, or -1 when it is not one. */
static int scan_object(struct ae *st, const char *p, size_t n)
{
	const char *end = p + n;
	memset(st->have, 0, sizeof st->have);
	p = skip_ws(p, end);
	if (p >= end || *p != '{')
		return -1;
	p = skip_ws(p + 1, end);
	if (p < end && *p == '}')
		return 0;
	for (;;) {
		char key[32];
		size_t kn;
		if (jstring(&p, end, key, sizeof key, &kn))
			return -1;
		p = skip_ws(p, end);
		if (p >= end || *p != ':')
			return -1;
		p = skip_ws(p + 1, end);
		int k = -1;
		for (int i = 0; i < K__COUNT; i++)
			if (!strcmp(key, key_names[i]))
				k = i;
		if (k >= 0 && p < end && *p == '"') {
			if (jstring(&p, end, st->val[k], VAL_MAX, &st->vlen[k]))
				return -1;
			st->have[k] = 1;
		} else if (k == K_LOG_TIME && p < end && ((*p >= '0' && *p <= '9') || *p == '-')) {
			size_t i = 0;
			while (p < end && i + 1 < VAL_MAX && (strchr("0123456789.eE+-", *p)))
				st->val[k][i++] = *p++;
			st->val[k][i] = 0;
			st->vlen[k] = i;
			st->have[k] = 1;
		} else if (jskip(&p, end)) {
			return -1;
		}
		p = skip_ws(p, end);
		if (p < end && *p == ',') {
			p = skip_ws(p + 1, end);
			continue;
		}
		if (p < end && *p == '}')
			return 0;
		return -1;
	}
}

static int has(struct ae *st, int k, const char *lit)
{
	return st->have[k] && !strncmp(st->val[k], lit, strlen(lit));
}

static int64_t event_time(struct ae *st)
{
	if (st->have[K_TIMESTAMP]) {
		const char *s = st->val[K_TIMESTAMP];
		int y, mo, d, h, mi, sec;
		int n = 0;
		if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &n) == 6 &&
		    mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h < 24 && mi < 60 && sec <= 60) {
			const char *p = s + n;
			int us = 0, nd = 0;
			if (*p == '.')
				for (p++; *p >= '0' && *p <= '9'; p++)
					if (nd < 6) {
						us = us * 10 + (*p - '0');
						nd++;
					}
			for (; nd < 6; nd++)
				us *= 10;
			int32_t off = 0;
			if (*p && clock_parse_zone(p, &off))
				off = 0;
			return clock_stamp_zoned(&st->ctx.in->clock, y, mo, d, h, mi, sec, us, off);
		}
	}
	if (st->have[K_LOG_TIME]) {
		double t = strtod(st->val[K_LOG_TIME], NULL);
		if (t > 0 && t < 1e11)
			return (int64_t)(t * 1e6);
	}
	return EV_NO_TS;
}

static const char *text_of(struct ae *st, int k, size_t skip)
{
	if (!st->have[k] || st->vlen[k] < skip)
		return NULL;
	size_t n = st->vlen[k] - skip;
	while (n && st->val[k][skip + n - 1] == ' ')
		n--;
	return intern(st->val[k] + skip, n > 400 ? 400 : n);
}

static void ae_line(void *vst, const char *rec, size_t len, uint64_t lineno)
{
	struct ae *st = vst;
	size_t t = len;
	while (t && (rec[t - 1] == ' ' || rec[t - 1] == '\t'))
		t--;
	if (!t)
		return;
	if (scan_object(st, rec, len)) {
		if (st->ndamage++ < 100)
			format_damage(&st->ctx, IE_INVALID, lineno, "not a JSON object");
		else
			input_error(st->ctx.in, IE_INVALID, lineno, "not a JSON object");
		return;
	}
	if (!st->have[K_MSG] && !st->have[K_STATUS])
		return;
	int primary = has(st, K_STAGE, "Primary");
	int secondary = has(st, K_STAGE, "Secondary");
	const char *status = st->have[K_STATUS] ? st->val[K_STATUS] : "";
	const char *msg = st->have[K_MSG] ? st->val[K_MSG] : "";
	struct ev e;
	unsigned kind = EVK_PROXY_NOTE;
	const char *result = NULL, *text = NULL, *detail = NULL;
	uint8_t from = ROLE_NONE, to = ROLE_NONE;
	int32_t code = -1;

	if (has(st, K_MSG, "Cannot decode password")) {
		kind = EVK_RADIUS_BAD_AUTH;
		result = "decode-password";
		text = "Cannot decode password: the User-Password does not decrypt with the "
		       "radius_secret configured for this client";
		from = ROLE_HEADEND;
		to = ROLE_PROXY;
		detail = "password undecodable: NAS-proxy secret differs";
	} else if (has(st, K_MSG, "Missing or improperly-formatted password") ||
		   has(st, K_MSG, "Primary credentials rejected - No password.")) {
		kind = EVK_PROXY_PROTOCOL;
		detail = "request not usable as PAP";
	} else if (has(st, K_MSG, "Primary credentials rejected - ")) {
		kind = EVK_PROXY_PRIMARY_REJECT;
		text = text_of(st, K_MSG, 31);
		from = ROLE_PRIMARY;
		to = ROLE_PROXY;
		detail = "primary rejected";
	} else if (has(st, K_MSG, "Error performing primary authentication: ")) {
		kind = EVK_PROXY_PRIMARY_ERROR;
		text = text_of(st, K_MSG, 41);
		detail = "primary error";
	} else if (has(st, K_MSG, "User is not enrolled")) {
		kind = EVK_DUO_PREAUTH;
		result = "enroll";
		from = ROLE_DUO;
		to = ROLE_PROXY;
		detail = "preauth enroll";
	} else if (has(st, K_MSG, "User exempted from 2FA")) {
		kind = EVK_DUO_PREAUTH;
		result = "allow";
		from = ROLE_DUO;
		to = ROLE_PROXY;
		detail = "preauth allow (exempt)";
	} else if (has(st, K_MSG, "Failmode Safe")) {
		kind = EVK_DUO_FAILMODE;
		result = "safe";
		detail = "failmode safe: allowed without Duo";
	} else if (has(st, K_MSG, "Failmode Secure")) {
		kind = EVK_DUO_FAILMODE;
		result = "secure";
		detail = "failmode secure: denied";
	} else if (has(st, K_MSG, "Primary Only Mode")) {
		kind = EVK_DUO_FAILMODE;
		result = "primary-only";
		detail = "primary-only mode: Duo bypassed";
	} else if (primary && !strcmp(status, "Allow")) {
		kind = EVK_PROXY_PRIMARY_RESP;
		code = 2;
		from = ROLE_PRIMARY;
		to = ROLE_PROXY;
		detail = "primary accepted";
	} else if (primary && !strcmp(status, "Reject")) {
		kind = EVK_PROXY_PRIMARY_REJECT;
		from = ROLE_PRIMARY;
		to = ROLE_PROXY;
		detail = "primary rejected";
	} else if (primary && !strcmp(status, "Error")) {
		kind = EVK_PROXY_PRIMARY_ERROR;
		detail = "primary error";
	} else if (secondary && (!strcmp(status, "Allow") || !strcmp(status, "Reject"))) {
		kind = EVK_DUO_RESULT;
		result = status[0] == 'A' ? "allow" : "deny";
		from = ROLE_DUO;
		to = ROLE_PROXY;
		detail = status[0] == 'A' ? "Duo allowed" : "Duo denied";
	} else if (secondary && !strcmp(status, "Error")) {
		int c = strstr(msg, "40101") ? 40101 : strstr(msg, "40102") ? 40102 :
			strstr(msg, "40103") ? 40103 : 0;
		kind = c ? EVK_DUO_CREDENTIALS : EVK_DUO_API_ERROR;
		code = c ? c : -1;
		result = c ? "credentials" : "other";
		from = ROLE_DUO;
		to = ROLE_PROXY;
		detail = "Duo API error";
	} else {
		result = status[0] ? status : NULL;
		detail = "auth event";
	}
	ev_init(&e, kind, SRC_AUTHEVENTS_LOG, st->ctx.in->id, lineno);
	e.ts = event_time(st);
	e.from = from;
	e.to = to;
	e.code = code;
	e.user = st->have[K_USERNAME] && st->vlen[K_USERNAME] ? text_of(st, K_USERNAME, 0) : NULL;
	e.client_ip = st->have[K_CLIENT_IP] && st->vlen[K_CLIENT_IP] ? text_of(st, K_CLIENT_IP, 0) : NULL;
	e.result = intern_cstr(result);
	e.text = text ? intern_cstr(text) : text_of(st, K_MSG, 0);
	{
		char b[480];
		int k = snprintf(b, sizeof b, "%s%s%s", detail, e.text && kind != EVK_RADIUS_BAD_AUTH ? ": " : "",
				 e.text && kind != EVK_RADIUS_BAD_AUTH ? e.text : "");
		e.detail = intern(b, k < 0 ? 0 : (size_t)k < sizeof b ? (size_t)k : sizeof b - 1);
	}
	e.raw = rec;
	e.raw_len = len;
	ev_emit(st->ctx.sink, &e);
}

static void *ae_open(const struct format_ctx *ctx)
{
	struct ae *st = xcalloc(1, sizeof *st);
	st->ctx = *ctx;
	return st;
}

static void ae_close(void *st)
{
	free(st);
}

static int ae_sniff(const uint8_t *h, size_t n)
{
	const char *p = (const char *)h, *end = p + n;
	p = skip_ws(p, end);
	if (p >= end || *p != '{')
		return 0;
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	size_t ln = nl ? (size_t)(nl - p) : (size_t)(end - p);
	if (memmem(p, ln, "\"auth_stage\"", 12) ||
	    (memmem(p, ln, "\"server_section\"", 16) && memmem(p, ln, "\"status\"", 8)))
		return 90;
	return 0;
}

const struct format fmt_authevents = {
	.name = "authevents-log",
	.kind = SRC_AUTHEVENTS_LOG,
	.flags = FMT_TEXT,
	.sniff = ae_sniff,
	.open = ae_open,
	.line = ae_line,
	.close = ae_close,
};
