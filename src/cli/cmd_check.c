/* \summary: the check command (not built yet: its work item replaces this file) */
#include <stdio.h>

#include "cli/commands.h"

int cmd_check(struct opts *o)
{
	(void)o;
	fprintf(stderr, "authscope check: not available in this build yet\n");
	return 2;
}
