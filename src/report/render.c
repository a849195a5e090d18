/* \summary: format dispatch: one name, one renderer */
#include <string.h>

#include "report/report.h"

static const struct {
	const char *name;
	int (*fn)(const struct report_ctx *c);
} renderers[] = {
	{"text", report_text},   {"json", report_json},   {"ndjson", report_ndjson},
	{"html", report_html},   {"junit", report_junit}, {"sarif", report_sarif},
};

int report_format_known(const char *format)
{
	for (size_t i = 0; i < sizeof renderers / sizeof *renderers; i++)
		if (!strcmp(renderers[i].name, format))
			return 1;
	return 0;
}

int report_render(const struct report_ctx *c, const char *format)
{
	for (size_t i = 0; i < sizeof renderers / sizeof *renderers; i++)
		if (!strcmp(renderers[i].name, format))
			return renderers[i].fn(c);
	return -2;
}
