/* \summary: authscope: why did that VPN login with two-factor fail? */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "core/input.h"
#include "core/rulemeta.h"
#include "core/str.h"

static const struct {
	const char *name;
	int (*fn)(struct opts *);
} commands[] = {
	{"analyze", cmd_analyze}, {"decode", cmd_decode}, {"events", cmd_events},
	{"timeline", cmd_timeline}, {"live", cmd_live}, {"check", cmd_check},
	{"rules", cmd_rules},
};

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs(help_main, stderr);
		return 2;
	}
	const char *cmd = argv[1];
	if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
		printf("authscope %s\n", AUTHSCOPE_VERSION);
		return 0;
	}
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
		const char *h = argc > 2 ? help_for(argv[2]) : NULL;
		fputs(h ? h : help_main, stdout);
		return 0;
	}
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
		if (strcmp(cmd, commands[i].name))
			continue;
		for (int j = 2; j < argc; j++) {
			if (!strcmp(argv[j], "--"))
				break;
			if (!strcmp(argv[j], "--help") || !strcmp(argv[j], "-h")) {
				fputs(help_for(cmd), stdout);
				return 0;
			}
		}
		struct opts o;
		int rc = opts_parse(&o, cmd, argc - 1, argv + 1);
		if (rc == 0)
			rc = commands[i].fn(&o);
		opts_free(&o);
		if (fflush(stdout) != 0 && rc == 0) {
			fprintf(stderr, "authscope %s: cannot write output\n", cmd);
			rc = 2;
		}
		input_reset_all();
		rulemeta_reset();
		str_shutdown();
		return rc;
	}
	fprintf(stderr, "authscope: unknown command '%s' (see authscope --help)\n", cmd);
	return 2;
}
