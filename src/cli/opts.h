/* \summary: command-line options shared by every command (spec/cli.md) */
#ifndef AUTHSCOPE_CLI_OPTS_H
#define AUTHSCOPE_CLI_OPTS_H

#include <stddef.h>
#include <stdint.h>

#include "ingest/ingest.h"

struct strv {
	char **v;
	size_t n, cap;
};
void strv_push(struct strv *s, const char *x);
void strv_free(struct strv *s);

struct opts {
	const char *cmd;
	struct strv inputs;             /* positional arguments after the command */
	const char *format;             /* -f; NULL = default for the command */
	const char *output;             /* -o */
	struct strv rules;              /* --rules */
	int no_default_rules;
	struct strv secrets;            /* --secret [IP=]SECRET, raw */
	struct strv secrets_files;      /* --secrets-file */
	const char *ike_keys;           /* --ike-keys */
	const char *user;               /* --user */
	int64_t since, until;           /* --since/--until, EV_NO_TS when unset */
	struct zone_opt *tz;  size_t ntz;
	struct zone_opt *year; size_t nyear;
	struct strv decode_as;          /* -d udp.port==N,proto */
	int fail_on;                    /* enum severity; SEV_NONE = never */
	int redact, quiet, verbose;
	struct strv severity;           /* --severity RULE=SEV */
	/* decode */
	const char *T;                  /* -T fields */
	struct strv E, e;               /* -E opt=val, -e field */
	int V, x;
	/* check */
	const char *expect;
	int update;
	/* live */
	struct strv follow, interfaces;
	const char *bpf, *syslog, *drop_user;
	int replay, headless, on_change;
	double speed;
};

/* Parse argv (after the command word). Returns 0, or 2 after printing a
 * one-line usage error. */
int opts_parse(struct opts *o, const char *cmd, int argc, char **argv);
void opts_free(struct opts *o);

#endif
