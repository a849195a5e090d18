/* \summary: events as NDJSON: every present field by its table name */
#include "report/events.h"

#include <inttypes.h>

#include "core/clock.h"
#include "core/escape.h"
#include "core/input.h"
#include "report/redact.h"

static const char *redact_field(struct redactor *rd, unsigned f, const char *s)
{
	switch (f) {
	case EF_USER: return redact_str(rd, RC_USER, s);
	case EF_NAS_IP: case EF_SERVER_IP: case EF_CLIENT_IP: case EF_ASSIGNED_IP:
		return redact_str(rd, RC_IP, s);
	case EF_CALLING_STATION: return redact_str(rd, RC_STATION, s);
	case EF_TEXT: case EF_DETAIL: case EF_RESULT: return redact_text(rd, s);
	}
	return s;
}

void events_write_json(FILE *out, const struct ev *e)
{
	events_write_json_r(out, e, NULL);
}

void events_write_json_r(FILE *out, const struct ev *e, struct redactor *rd)
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
			fputs_json(out, rd ? redact_field(rd, f, v.s) : v.s);
		}
	}
	fputs("}\n", out);
}
