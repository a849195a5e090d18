/* \summary: the live command (not built yet: its work item replaces this file) */
#include <stdio.h>

#include "cli/commands.h"

int cmd_live(struct opts *o)
{
	(void)o;
	fprintf(stderr, "authscope live: not available in this build yet\n");
	return 2;
}
