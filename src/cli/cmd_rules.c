/* \summary: the rules command (not built yet: its work item replaces this file) */
#include <stdio.h>

#include "cli/commands.h"

int cmd_rules(struct opts *o)
{
	(void)o;
	fprintf(stderr, "authscope rules: not available in this build yet\n");
	return 2;
}
