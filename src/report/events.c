/* \summary: events as NDJSON: every present field by its table name */
#include "report/events.h"

#include <inttypes.h>

#include "core/clock.h"
#include "core/escape.h"
#include "core/input.h"

void events_write_json(FILE *out, const struct ev *e)
{
	char ts[32], ref[512];
	fputc('{', out);
	if (e->ts != EV_NO_TS) {
		clock_fmt_rfc3339(ts, e->ts);
		fprintf(out, "\"time\":\"%s\",", ts);
	} else {
		fputs("\"time\":null,", out);
	}
	fputs("\"kind\":", out);
	fputs_json(out, ev_kind_name(e->kind));
	input_ref(ref, sizeof ref, e->input, e->pos);
	fputs(",\"ref\":", out);
	fputs_json(out, ref);
	for (unsigned f = EF_SRC; f < EF__COUNT; f++) {
		struct val v;
		if (f == EF_KIND || f == EF_INPUT || f == EF_POS || f == EF_RAW)
			continue;
		if (ev_field_get(e, f, &v))
			continue;
		fprintf(out, ",\"%s\":", ev_field_name(f));
		if (v.t == V_INT) {
			if (f == EF_SPI_I || f == EF_SPI_R)
				fprintf(out, "\"%016" PRIx64 "\"", (uint64_t)v.i);
			else if (f == EF_SESSION)
				fprintf(out, "\"s%" PRId64 "\"", v.i);
			else
				fprintf(out, "%" PRId64, v.i);
		} else {
			fputs_json(out, v.s);
		}
	}
	fputs("}\n", out);
}
