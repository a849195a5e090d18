/* \summary: one event as one JSON object a line (authscope events) */
#ifndef AUTHSCOPE_REPORT_EVENTS_H
#define AUTHSCOPE_REPORT_EVENTS_H

#include <stdio.h>

#include "core/event.h"

void events_write_json(FILE *out, const struct ev *e);

#endif
