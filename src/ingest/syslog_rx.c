/* \summary: the syslog UDP receiver (placeholder until the IOS parser lands) */
#include <stdio.h>

#include "ingest/live_int.h"

int live_syslog(struct ingest *g, const char *spec, const struct live_env *env, char *err,
		size_t errsz)
{
	(void)g;
	(void)env;
	snprintf(err, errsz, "--syslog %s: the syslog receiver is not built yet", spec);
	return -1;
}
