/* \summary: the built-in rule pack, embedded at build time (tools/embed.sh) */
#ifndef AUTHSCOPE_RULES_PACK_H
#define AUTHSCOPE_RULES_PACK_H

#include <stddef.h>

struct pack_file {
	const char *name;           /* e.g. "duo.rules" */
	const char *text;
	size_t len;
};
extern const struct pack_file pack_files[];   /* ends with {NULL, NULL, 0} */

#endif
