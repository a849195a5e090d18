/* \summary: syslog wrappers: RFC 3164, RFC 5424 and receiver stamps
 *
 * RFC 3164 (BSD syslog), RFC 5424 (structured syslog), and what common
 * receivers write in front of a message (Kiwi, rsyslog, syslog-ng). The
 * device line behind the wrapper is returned untouched: a Cisco router
 * sends "<191>1234: R1: *Mar  1 00:10:12.345: IKEv2:..." and its own stamp
 * stays part of the body.
 */
#include "parsers/syslog.h"

#include <string.h>

static int dig(char c)
{
	return c >= '0' && c <= '9';
}

static int month_of(const char *s)
{
	static const char m[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	for (int i = 0; i < 12; i++)
		if (s[0] == m[3 * i] && s[1] == m[3 * i + 1] && s[2] == m[3 * i + 2])
			return i + 1;
	return 0;
}

static int weekday(const char *s)
{
	static const char w[] = "MonTueWedThuFriSatSun";
	for (int i = 0; i < 7; i++)
		if (s[0] == w[3 * i] && s[1] == w[3 * i + 1] && s[2] == w[3 * i + 2])
			return 1;
	return 0;
}

static int num(const char *s, size_t n, size_t *i, int maxd, int *out)
{
	int v = 0, d = 0;
	while (*i < n && dig(s[*i]) && d < maxd) {
		v = v * 10 + (s[*i] - '0');
		(*i)++;
		d++;
	}
	*out = v;
	return d;
}

/* hh:mm:ss at s[*i] */
static int hms(const char *s, size_t n, size_t *i, int8_t *h, int8_t *mi, int8_t *sec)
{
	int a, b, c;
	if (num(s, n, i, 2, &a) != 2 || *i >= n || s[*i] != ':')
		return 0;
	(*i)++;
	if (num(s, n, i, 2, &b) != 2 || *i >= n || s[*i] != ':')
		return 0;
	(*i)++;
	if (num(s, n, i, 2, &c) != 2)
		return 0;
	if (a > 23 || b > 59 || c > 60)
		return 0;
	*h = (int8_t)a;
	*mi = (int8_t)b;
	*sec = (int8_t)c;
	return 1;
}

size_t syslog_bsd_stamp(const char *s, size_t n, int8_t *mon, int8_t *day,
			int8_t *h, int8_t *mi, int8_t *sec)
{
	if (n < 15)
		return 0;
	int m = month_of(s);
	if (!m || s[3] != ' ')
		return 0;
	size_t i = 4;
	if (s[i] == ' ')
		i++;
	int d;
	if (!num(s, n, &i, 2, &d) || d < 1 || d > 31 || i >= n || s[i] != ' ')
		return 0;
	i++;
	if (!hms(s, n, &i, h, mi, sec))
		return 0;
	*mon = (int8_t)m;
	*day = (int8_t)d;
	return i;
}

/* A host token: no spaces, not ending in ':' (that would be a device
 * stamp's zone or an IOS origin-id), not starting with '['. Returns its
 * length when followed by a space or tab, else 0. */
static size_t host_token(const char *s, size_t n, size_t i)
{
	size_t j = i;
	while (j < n && s[j] != ' ' && s[j] != '\t')
		j++;
	if (j == i || j >= n || s[j - 1] == ':' || s[i] == '[' || j - i > 255)
		return 0;
	return j - i;
}

static size_t skip_sp(const char *s, size_t n, size_t i)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

/* RFC 3339 (and "yyyy-mm-dd hh:mm:ss") at s[*i]. */
static int iso_stamp(const char *s, size_t n, size_t *i, struct syslog_hdr *h)
{
	size_t k = *i;
	int y, mo, d;
	if (num(s, n, &k, 4, &y) != 4 || k >= n || s[k] != '-')
		return 0;
	k++;
	if (num(s, n, &k, 2, &mo) != 2 || k >= n || s[k] != '-')
		return 0;
	k++;
	if (num(s, n, &k, 2, &d) != 2 || k >= n || (s[k] != 'T' && s[k] != ' '))
		return 0;
	k++;
	int8_t hh, mm, ss;
	if (!hms(s, n, &k, &hh, &mm, &ss))
		return 0;
	if (mo < 1 || mo > 12 || d < 1 || d > 31)
		return 0;
	int32_t us = 0;
	if (k < n && (s[k] == '.' || s[k] == ',')) {
		k++;
		int nd = 0;
		while (k < n && dig(s[k])) {
			if (nd < 6) {
				us = us * 10 + (s[k] - '0');
				nd++;
			}
			k++;
		}
		if (!nd)
			return 0;
		while (nd++ < 6)
			us *= 10;
	}
	h->has_zone = 0;
	if (k < n && s[k] == 'Z') {
		h->has_zone = 1;
		h->zone_s = 0;
		k++;
	} else if (k < n && (s[k] == '+' || s[k] == '-')) {
		int sign = s[k] == '-' ? -1 : 1;
		size_t k2 = k + 1;
		int zh, zm = 0;
		if (num(s, n, &k2, 2, &zh) != 2)
			return 0;
		if (k2 < n && s[k2] == ':')
			k2++;
		if (num(s, n, &k2, 2, &zm) != 2 || zh > 23 || zm > 59)
			return 0;
		h->has_zone = 1;
		h->zone_s = sign * (zh * 3600 + zm * 60);
		k = k2;
	}
	h->has_time = h->has_year = 1;
	h->year = (int16_t)y;
	h->mon = (int8_t)mo;
	h->day = (int8_t)d;
	h->h = hh;
	h->mi = mm;
	h->s = ss;
	h->us = us;
	*i = k;
	return 1;
}

/* RFC 5424 after "<PRI>1 ". */
static int rfc5424(const char *s, size_t n, size_t i, struct syslog_hdr *h)
{
	if (i < n && s[i] == '-') {
		i++;
	} else if (!iso_stamp(s, n, &i, h)) {
		return 0;
	}
	if (i >= n || s[i] != ' ')
		return 0;
	/* HOSTNAME APP-NAME PROCID MSGID: four space-separated tokens */
	const char *tok[4];
	size_t len[4];
	for (int t = 0; t < 4; t++) {
		i++;
		size_t j = i;
		while (j < n && s[j] != ' ')
			j++;
		if (j == i || j >= n)
			return 0;
		tok[t] = s + i;
		len[t] = j - i;
		i = j;
	}
	i++;
	/* STRUCTURED-DATA: "-" or one or more [id param="v\]"] elements */
	if (i < n && s[i] == '-') {
		i++;
	} else {
		int any = 0;
		while (i < n && s[i] == '[') {
			any = 1;
			int inq = 0;
			i++;
			while (i < n) {
				if (inq && s[i] == '\\' && i + 1 < n) {
					i += 2;
					continue;
				}
				if (s[i] == '"')
					inq = !inq;
				else if (s[i] == ']' && !inq)
					break;
				i++;
			}
			if (i >= n)
				return 0;
			i++;
		}
		if (!any)
			return 0;
	}
	if (i < n && s[i] == ' ')
		i++;
	if (n - i >= 3 && (unsigned char)s[i] == 0xef && (unsigned char)s[i + 1] == 0xbb &&
	    (unsigned char)s[i + 2] == 0xbf)
		i += 3;
	h->form = SYSLOG_5424;
	if (!(len[0] == 1 && tok[0][0] == '-')) {
		h->host = tok[0];
		h->host_len = len[0];
	}
	if (!(len[1] == 1 && tok[1][0] == '-')) {
		h->app = tok[1];
		h->app_len = len[1];
	}
	h->body = i;
	return 1;
}

/* "Mmm dd hh:mm:ss host " (RFC 3164 header; rsyslog's file format). */
static int bsd_header(const char *s, size_t n, size_t i, struct syslog_hdr *h)
{
	int8_t mon, day, hh, mm, ss;
	size_t k = syslog_bsd_stamp(s + i, n - i, &mon, &day, &hh, &mm, &ss);
	if (!k)
		return 0;
	k += i;
	if (k >= n || s[k] != ' ')
		return 0;     /* ':' or '.' after the seconds: a device stamp */
	k++;
	size_t hl = host_token(s, n, k);
	if (!hl)
		return 0;
	h->form = SYSLOG_3164;
	h->has_time = 1;
	h->has_year = 0;
	h->has_zone = 0;
	h->mon = mon;
	h->day = day;
	h->h = hh;
	h->mi = mm;
	h->s = ss;
	h->us = 0;
	h->host = s + k;
	h->host_len = hl;
	h->body = skip_sp(s, n, k + hl);
	return 1;
}

int syslog_unwrap(const char *s, size_t n, struct syslog_hdr *h)
{
	memset(h, 0, sizeof *h);
	h->pri = -1;
	if (n < 4)
		return 0;
	size_t i = 0;
	if (s[0] == '<') {
		int pri;
		i = 1;
		int d = num(s, n, &i, 3, &pri);
		if (!d || i >= n || s[i] != '>' || pri > 191)
			return 0;
		i++;
		h->pri = (int16_t)pri;
		if (n - i >= 2 && s[i] == '1' && s[i + 1] == ' ' && rfc5424(s, n, i + 2, h))
			return 1;
		if (bsd_header(s, n, i, h))
			return 1;
		h->form = SYSLOG_PRI;
		h->body = i;
		return 1;
	}
	/* receivers: Kiwi ctime "Fri Sep 06 14:32:18 2013: " */
	if (n >= 25 && weekday(s) && s[3] == ' ') {
		int8_t mon, day, hh, mm, ss;
		size_t k = syslog_bsd_stamp(s + 4, n - 4, &mon, &day, &hh, &mm, &ss);
		int y;
		if (k && 4 + k < n && s[4 + k] == ' ') {
			size_t j = 4 + k + 1;
			if (num(s, n, &j, 4, &y) == 4) {
				if (j < n && s[j] == ':')
					j++;
				h->form = SYSLOG_RECEIVER;
				h->has_time = h->has_year = 1;
				h->year = (int16_t)y;
				h->mon = mon;
				h->day = day;
				h->h = hh;
				h->mi = mm;
				h->s = ss;
				h->body = skip_sp(s, n, j);
				return 1;
			}
		}
		return 0;
	}
	/* RFC 3339 receiver stamp, then host (or Kiwi's TAB-separated
	 * "date<TAB>Facility.Level<TAB>host<TAB>message") */
	if (dig(s[0]) && n > 20 && s[4] == '-') {
		size_t k = 0;
		struct syslog_hdr t = *h;
		if (!iso_stamp(s, n, &k, &t) || k >= n || (s[k] != ' ' && s[k] != '\t'))
			return 0;
		if (s[k] == '\t') {
			size_t j = k + 1, fields = 0, hs = 0, he = 0;
			while (j < n && fields < 2) {
				size_t e = j;
				while (e < n && s[e] != '\t')
					e++;
				if (e >= n)
					return 0;
				if (fields == 1) {
					hs = j;
					he = e;
				}
				fields++;
				j = e + 1;
			}
			*h = t;
			h->form = SYSLOG_RECEIVER;
			h->host = s + hs;
			h->host_len = he - hs;
			h->body = j;
			return 1;
		}
		k++;
		size_t hl = host_token(s, n, k);
		if (!hl)
			return 0;
		*h = t;
		h->form = SYSLOG_RECEIVER;
		h->host = s + k;
		h->host_len = hl;
		h->body = skip_sp(s, n, k + hl);
		return 1;
	}
	if (month_of(s) && bsd_header(s, n, 0, h))
		return 1;
	memset(h, 0, sizeof *h);
	h->pri = -1;
	return 0;
}
