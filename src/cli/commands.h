/* \summary: the commands of spec/cli.md, one file each */
#ifndef AUTHSCOPE_CLI_COMMANDS_H
#define AUTHSCOPE_CLI_COMMANDS_H

#include "cli/opts.h"

int cmd_analyze(struct opts *o);
int cmd_events(struct opts *o);
int cmd_decode(struct opts *o);
int cmd_timeline(struct opts *o);
int cmd_live(struct opts *o);
int cmd_check(struct opts *o);
int cmd_rules(struct opts *o);

/* Per-command help text (cli/help.c); NULL for unknown commands. */
const char *help_for(const char *cmd);
extern const char help_main[];

#endif
