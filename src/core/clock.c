/* \summary: civil time conversions and source clock bookkeeping */
#include "core/clock.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const from_names[] = {
	"none", "timestamps", "option", "other-source", "mtime", "default", "inferred",
};

const char *clock_from_name(unsigned f)
{
	return f < sizeof from_names / sizeof *from_names ? from_names[f] : "none";
}

void clock_init(struct src_clock *c)
{
	memset(c, 0, sizeof *c);
	c->last_month = -1;
	c->zone_from = CF_DEFAULT;
	c->first_ts = c->last_ts = INT64_MIN;
}

int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

int64_t civil_to_us(int y, int mon, int day, int h, int mi, int s, int us)
{
	int64_t days = days_from_civil(y, (unsigned)mon, (unsigned)day);
	return ((days * 86400 + h * 3600 + mi * 60 + s) * 1000000) + us;
}

static void note_ts(struct src_clock *c, int64_t t)
{
	if (c->first_ts == INT64_MIN || t < c->first_ts)
		c->first_ts = t;
	if (c->last_ts == INT64_MIN || t > c->last_ts)
		c->last_ts = t;
}

int64_t clock_stamp_zoned(struct src_clock *c, int y, int mon, int day, int h,
			  int mi, int s, int us, int32_t off_s)
{
	if (c->zone_from == CF_TIMESTAMPS && c->zone_s != off_s)
		c->zone_mixed = 1;
	if (c->zone_from != CF_OPTION) {
		c->zone_s = off_s;
		c->zone_from = CF_TIMESTAMPS;
	} else {
		c->stamp_zoned = 1;
		c->stamp_zone_s = off_s;
	}
	if (c->year_from == CF_NONE || c->year_from == CF_DEFAULT) {
		c->year = y;
		c->year_from = CF_TIMESTAMPS;
	}
	int64_t t = civil_to_us(y, mon, day, h, mi, s, us) - (int64_t)off_s * 1000000;
	note_ts(c, t);
	return t;
}

unsigned clock_zone_shown(const struct src_clock *c, int32_t *zone_s)
{
	if (c->zone_from == CF_OPTION && c->stamp_zoned && !c->opt_zone_used) {
		*zone_s = c->stamp_zone_s;
		return CF_TIMESTAMPS;
	}
	*zone_s = c->zone_s;
	return c->zone_from;
}

int64_t clock_stamp_local(struct src_clock *c, int y, int mon, int day, int h,
			  int mi, int s, int us)
{
	if (c->zone_from == CF_OPTION)
		c->opt_zone_used = 1;
	if (y > 0) {
		if (c->year_from != CF_OPTION) {
			c->year = y;
			c->year_from = CF_TIMESTAMPS;
		}
	} else {
		if (c->year <= 0) {
			c->year = 1970;
			c->year_from = CF_NONE;
		} else if (c->last_month == 12 && mon == 1) {
			c->year++;      /* Dec 31 -> Jan 1 */
		}
		y = c->year;
	}
	c->last_month = (int8_t)mon;
	int64_t t = civil_to_us(y, mon, day, h, mi, s, us) - (int64_t)c->zone_s * 1000000;
	note_ts(c, t);
	return t;
}

int clock_month(const char *s)
{
	static const char m[] = "janfebmaraprmayjunjulaugsepoctnovdec";
	if (!s || !s[0] || !s[1] || !s[2])
		return 0;
	char l[3] = {(char)tolower((unsigned char)s[0]), (char)tolower((unsigned char)s[1]),
		     (char)tolower((unsigned char)s[2])};
	for (int i = 0; i < 12; i++)
		if (!memcmp(m + 3 * i, l, 3))
			return i + 1;
	return 0;
}

/* Abbreviations seen on IOS devices (`clock timezone IST 5 30`); ambiguous
 * ones (IST, CST) take the most common meaning: --tz overrides. */
static const struct { const char *name; int32_t off; } zone_abbr[] = {
	{"UTC", 0}, {"GMT", 0}, {"Z", 0}, {"WET", 0}, {"CET", 3600},
	{"CEST", 7200}, {"EET", 7200}, {"EEST", 10800}, {"MSK", 10800},
	{"IST", 19800}, {"SGT", 28800}, {"HKT", 28800}, {"JST", 32400},
	{"AEST", 36000}, {"AEDT", 39600}, {"EST", -18000}, {"EDT", -14400},
	{"CST", -21600}, {"CDT", -18000}, {"MST", -25200}, {"MDT", -21600},
	{"PST", -28800}, {"PDT", -25200}, {"BST", 3600}, {"NZST", 43200},
};

int clock_parse_zone(const char *s, int32_t *off_s)
{
	if (!s || !*s)
		return -1;
	if (*s == '+' || *s == '-') {
		int sign = *s == '-' ? -1 : 1;
		const char *p = s + 1;
		int h = 0, m = 0, nd = 0;
		while (isdigit((unsigned char)*p) && nd < 2) {
			h = h * 10 + (*p++ - '0');
			nd++;
		}
		if (nd == 0)
			return -1;
		if (*p == ':')
			p++;
		nd = 0;
		while (isdigit((unsigned char)*p) && nd < 2) {
			m = m * 10 + (*p++ - '0');
			nd++;
		}
		if (*p || h > 23 || m > 59)
			return -1;
		*off_s = sign * (h * 3600 + m * 60);
		return 0;
	}
	for (size_t i = 0; i < sizeof zone_abbr / sizeof *zone_abbr; i++)
		if (!strcasecmp(s, zone_abbr[i].name)) {
			*off_s = zone_abbr[i].off;
			return 0;
		}
	return -1;
}

static int digits(const char **p, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

int clock_parse_rfc3339(const char *s, int64_t *us)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, frac = 0;
	const char *p = s;
	if (digits(&p, 4, &y) || *p++ != '-' || digits(&p, 2, &mo) || *p++ != '-' ||
	    digits(&p, 2, &d))
		return -1;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		p++;
		if (digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &mi))
			return -1;
		if (*p == ':') {
			p++;
			if (digits(&p, 2, &sec))
				return -1;
		}
		if (*p == '.' || *p == ',') {
			p++;
			int n = 0;
			while (isdigit((unsigned char)*p)) {
				if (n < 6) {
					frac = frac * 10 + (*p - '0');
					n++;
				}
				p++;
			}
			while (n++ < 6)
				frac *= 10;
		}
	}
	int32_t off = 0;
	if (*p && clock_parse_zone(p, &off))
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
		return -1;
	*us = civil_to_us(y, mo, d, h, mi, sec, frac) - (int64_t)off * 1000000;
	return 0;
}

void clock_fmt_rfc3339(char *out, int64_t us)
{
	int64_t secs = us >= 0 ? us / 1000000 : -((-us + 999999) / 1000000);
	int64_t frac = us - secs * 1000000;
	int64_t z = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
	int64_t sod = secs - z * 86400;
	/* civil_from_days */
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = (int64_t)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	unsigned d = doy - (153 * mp + 2) / 5 + 1;
	unsigned m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	if (y < 0 || y > 9999)
		y = y < 0 ? 0 : 9999;
	/* digits by hand: reports format a stamp per session and finding, and
	 * snprintf was most of their cost */
	static const char tpl[] = "0000-00-00T00:00:00.000000Z";
	unsigned f[7] = {(unsigned)y, m % 100, d % 100, (unsigned)(sod / 3600) % 100,
			 (unsigned)(sod / 60 % 60), (unsigned)(sod % 60), (unsigned)frac % 1000000};
	static const unsigned at[7] = {0, 5, 8, 11, 14, 17, 20}, width[7] = {4, 2, 2, 2, 2, 2, 6};
	memcpy(out, tpl, sizeof tpl);
	for (int i = 0; i < 7; i++)
		for (unsigned k = width[i], v = f[i]; k; k--, v /= 10)
			out[at[i] + k - 1] = (char)('0' + v % 10);
}

void clock_fmt_zone(char *out, int32_t off_s)
{
	int32_t a = off_s < 0 ? -off_s : off_s;
	snprintf(out, 8, "%c%02d:%02d", off_s < 0 ? '-' : '+', (int)(a / 3600) % 100,
		 (int)(a / 60 % 60));
}
