/* \summary: --secret, --secrets-file and -d into the decoders' option objects */
#include "cli/secrets_opt.h"

#include <stdio.h>

/* --secret / --secrets-file / -d into decoder option objects (shared with
 * the analyze pipeline). Returns 0, or 2 after a one-line message. */
int secrets_opt_setup(const struct opts *o, struct secrets **sec, struct port_map **pm)
{
	char err[256];
	*sec = NULL;
	*pm = NULL;
	if (o->secrets.n || o->secrets_files.n)
		*sec = secrets_new();
	for (size_t i = 0; i < o->secrets.n; i++)
		if (secrets_add(*sec, o->secrets.v[i], err, sizeof err)) {
			fprintf(stderr, "authscope %s: --secret: %s\n", o->cmd, err);
			return 2;
		}
	for (size_t i = 0; i < o->secrets_files.n; i++)
		if (secrets_load_file(*sec, o->secrets_files.v[i], err, sizeof err)) {
			fprintf(stderr, "authscope %s: --secrets-file %s\n", o->cmd, err);
			return 2;
		}
	for (size_t i = 0; i < o->decode_as.n; i++)
		if (port_map_add(pm, o->decode_as.v[i], err, sizeof err)) {
			fprintf(stderr, "authscope %s: %s\n", o->cmd, err);
			return 2;
		}
	return 0;
}
