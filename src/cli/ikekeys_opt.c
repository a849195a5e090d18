/* \summary: --ike-keys FILE into the IKE decoder's key table */
#include "cli/ikekeys_opt.h"

#include <stdio.h>

int ike_keys_opt_setup(const struct opts *o, struct ike_keys **k)
{
	char err[700];
	*k = NULL;
	if (!o->ike_keys)
		return 0;
	*k = ike_keys_load(o->ike_keys, err, sizeof err);
	if (!*k) {
		fprintf(stderr, "authscope %s: --ike-keys %s\n", o->cmd, err);
		return 2;
	}
	if (!ike_keys_count(*k) && !o->quiet)
		fprintf(stderr, "authscope %s: --ike-keys %s: no key rows\n", o->cmd, o->ike_keys);
	return 0;
}
