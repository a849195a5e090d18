/* \summary: --secret, --secrets-file and -d into the decoders' option objects
 * (shared by decode and the analyze pipeline) */
#ifndef AUTHSCOPE_CLI_SECRETS_OPT_H
#define AUTHSCOPE_CLI_SECRETS_OPT_H

#include "cli/opts.h"
#include "decoders/capture.h"
#include "decoders/secrets.h"

/* *sec is NULL when no secret was given, *pm NULL when no -d. Returns 0, or
 * 2 after a one-line message (the caller frees what was built). */
int secrets_opt_setup(const struct opts *o, struct secrets **sec, struct port_map **pm);

#endif
