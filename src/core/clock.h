/* \summary: source clocks: civil time to UTC, zone and year provenance, error
 *
 * Zone and error are kept apart: +05:30 is a zone, 2.4 s is an error. A
 * parser turns each stamp into UTC through its source's clock; the clock
 * records where the zone and year came from so inputs[].clock can say so.
 */
#ifndef AUTHSCOPE_CORE_CLOCK_H
#define AUTHSCOPE_CORE_CLOCK_H

#include <stdint.h>

enum clock_from { CF_NONE, CF_TIMESTAMPS, CF_OPTION, CF_OTHER_SOURCE,
		  CF_MTIME, CF_DEFAULT, CF_INFERRED };
const char *clock_from_name(unsigned f);

struct src_clock {
	/* zone applied to stamps that carry none */
	int32_t zone_s;             /* seconds east of UTC */
	uint8_t zone_from;          /* enum clock_from; CF_TIMESTAMPS when stamps carry it */
	uint8_t zone_mixed;         /* stamps carried different offsets (DST) */
	/* under --tz: whether a stamp without a zone took it, and the zone of
	 * the last stamp that carried its own (see clock_zone_shown) */
	uint8_t opt_zone_used, stamp_zoned;
	int32_t stamp_zone_s;
	/* year for stamps that carry none */
	int32_t year;               /* 0 = unknown yet */
	uint8_t year_from;
	int8_t last_month;          /* for Dec -> Jan rollover, -1 initially */
	/* error after the zone: subtract from stamped time to get true time */
	double offset_s;
	uint32_t offset_basis;      /* how many matched events the estimate rests on */
	int64_t first_ts, last_ts;  /* UTC us, corrected, of stamped events */
};

void clock_init(struct src_clock *c);
/* The zone to report for an input and where it came from: a --tz that no
 * stamp needed (each carried its own zone) is not where its zone came from. */
unsigned clock_zone_shown(const struct src_clock *c, int32_t *zone_s);

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant). */
int64_t days_from_civil(int64_t y, unsigned m, unsigned d);
/* UTC microseconds of a civil time that is already UTC. */
int64_t civil_to_us(int y, int mon, int day, int h, int mi, int s, int us);

/* A stamp with an explicit offset (e.g. -0500): records zone_from=timestamps. */
int64_t clock_stamp_zoned(struct src_clock *c, int y, int mon, int day, int h,
			  int mi, int s, int us, int32_t off_s);
/* A stamp without zone and maybe without year (year <= 0): uses the clock's
 * zone and year, rolling the year forward on a Dec -> Jan step. */
int64_t clock_stamp_local(struct src_clock *c, int y, int mon, int day, int h,
			  int mi, int s, int us);

/* "+05:30", "-05:00", "Z", "UTC", "+0530", "IST"... to seconds east. 0 ok, -1 bad. */
int clock_parse_zone(const char *s, int32_t *off_s);
/* RFC 3339 (and a few looser ISO forms) to UTC us. 0 ok, -1 bad. */
int clock_parse_rfc3339(const char *s, int64_t *us);
/* Month name (Jan..Dec, any case) to 1..12, else 0. */
int clock_month(const char *s);

/* Format UTC us as RFC 3339 with microseconds: 2022-02-08T17:54:50.080854Z.
 * out must hold 32 bytes. */
void clock_fmt_rfc3339(char *out, int64_t us);
/* Zone as "+05:30". out must hold 8 bytes. */
void clock_fmt_zone(char *out, int32_t off_s);

#endif
