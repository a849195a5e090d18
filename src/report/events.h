/* \summary: one event as one JSON object a line (authscope events) */
#ifndef AUTHSCOPE_REPORT_EVENTS_H
#define AUTHSCOPE_REPORT_EVENTS_H

#include <stdio.h>

#include "core/event.h"

struct redactor;

/* Every present field by its table name (the default events output). */
void events_write_json(FILE *out, const struct ev *e);
/* Same, with identities pseudonymised (rd NULL = as is). */
void events_write_json_r(FILE *out, const struct ev *e, struct redactor *rd);
/* ECS-style names (@timestamp, event.action, user.name, source.ip, ...):
 * events -f ndjson, for log pipelines (rd NULL = as is). */
void events_write_ecs(FILE *out, const struct ev *e, struct redactor *rd);

#endif
