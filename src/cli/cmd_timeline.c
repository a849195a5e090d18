/* \summary: the timeline command (not built yet: its work item replaces this file) */
#include <stdio.h>

#include "cli/commands.h"

int cmd_timeline(struct opts *o)
{
	(void)o;
	fprintf(stderr, "authscope timeline: not available in this build yet\n");
	return 2;
}
