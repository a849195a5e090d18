/* \summary: the run's inputs: display path, kind, counts, errors, clock
 *
 * Every event's ref is (input id, pos). The registry owns the records; ids
 * start at 1 so that 0 means "no input". Errors are the three words of the
 * house plan: truncated (bytes missing), invalid (format violated), damaged
 * (container broken). Each error is also emitted as an input.damaged event
 * by whoever records it (see input_damage).
 */
#ifndef AUTHSCOPE_CORE_INPUT_H
#define AUTHSCOPE_CORE_INPUT_H

#include <stdint.h>
#include <time.h>

#include "core/clock.h"
#include "core/str.h"

enum input_err_class { IE_TRUNCATED, IE_INVALID, IE_DAMAGED };
const char *input_err_class_name(unsigned c);

struct input_err {
	uint8_t cls;                /* enum input_err_class */
	uint64_t pos;               /* line, frame or byte offset; 0 = whole input */
	char *msg;                  /* one line, no path */
};

struct input {
	uint32_t id;
	char *path;                 /* as shown in refs: bundle.zip:logs/authproxy.log */
	uint8_t kind;               /* enum src_kind */
	uint8_t pos_is_frame;       /* refs print FILE#N instead of FILE:N */
	time_t mtime;               /* 0 when unknown */
	uint64_t events, lines, bytes;
	uint64_t evictions;         /* table caps hit while reading this input */
	struct input_err *errs;
	uint32_t nerr, cap_err;
	uint32_t nerr_dropped;      /* errors past the per-input cap, counted only */
	struct src_clock clock;
	int32_t tz_opt_set, year_opt;   /* --tz/--year given for this input */
	int32_t tz_opt_s;
};

#define INPUT_MAX_ERRS 100          /* per input; more are counted, not kept */

struct input *input_new(const char *path, unsigned kind);
struct input *input_get(uint32_t id);           /* NULL for 0 or unknown */
uint32_t input_count(void);                      /* ids are 1..input_count() */
void input_reset_all(void);                      /* free every record */

/* Record an error; returns 1 when it is the input's first error. */
int input_error(struct input *in, unsigned cls, uint64_t pos, const char *fmt, ...)
	PRINTF_LIKE(4, 5);

/* "path:pos" or "path#pos" (or just "path" for pos 0) into out. */
void input_ref(char *out, size_t outsz, uint32_t input, uint64_t pos);

#endif
