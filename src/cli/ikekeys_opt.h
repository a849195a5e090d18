/* \summary: --ike-keys FILE into the IKE decoder's key table (decode and the
 * analyze pipeline) */
#ifndef AUTHSCOPE_CLI_IKEKEYS_OPT_H
#define AUTHSCOPE_CLI_IKEKEYS_OPT_H

#include "cli/opts.h"
#include "decoders/ike_keys.h"

/* *k is NULL when --ike-keys was not given. Returns 0, or 2 after a
 * one-line message naming the file and the line. */
int ike_keys_opt_setup(const struct opts *o, struct ike_keys **k);

#endif
