/* \summary: the decode command (not built yet: its work item replaces this file) */
#include <stdio.h>

#include "cli/commands.h"

int cmd_decode(struct opts *o)
{
	(void)o;
	fprintf(stderr, "authscope decode: not available in this build yet\n");
	return 2;
}
