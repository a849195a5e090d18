/* \summary: option parsing for every command */
#include "cli/opts.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/event.h"
#include "core/finding.h"
#include "core/str.h"

void strv_push(struct strv *s, const char *x)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 8;
		s->v = xrealloc(s->v, s->cap * sizeof *s->v);
	}
	s->v[s->n++] = xstrdup(x);
}

void strv_free(struct strv *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof *s);
}

enum {
	O_RULES = 256, O_NO_DEFAULT_RULES, O_SECRET, O_SECRETS_FILE, O_IKE_KEYS,
	O_USER, O_SINCE, O_UNTIL, O_TZ, O_YEAR, O_FAIL_ON, O_REDACT, O_EXPECT,
	O_UPDATE, O_FOLLOW, O_INTERFACE, O_BPF, O_SYSLOG, O_REPLAY, O_SPEED,
	O_HEADLESS, O_ON_CHANGE, O_SEVERITY,
};

static const struct option longopts[] = {
	{"format", required_argument, 0, 'f'},
	{"output", required_argument, 0, 'o'},
	{"rules", required_argument, 0, O_RULES},
	{"no-default-rules", no_argument, 0, O_NO_DEFAULT_RULES},
	{"secret", required_argument, 0, O_SECRET},
	{"secrets-file", required_argument, 0, O_SECRETS_FILE},
	{"ike-keys", required_argument, 0, O_IKE_KEYS},
	{"user", required_argument, 0, O_USER},
	{"since", required_argument, 0, O_SINCE},
	{"until", required_argument, 0, O_UNTIL},
	{"tz", required_argument, 0, O_TZ},
	{"year", required_argument, 0, O_YEAR},
	{"fail-on", required_argument, 0, O_FAIL_ON},
	{"redact", no_argument, 0, O_REDACT},
	{"quiet", no_argument, 0, 'q'},
	{"verbose", no_argument, 0, 'v'},
	{"severity", required_argument, 0, O_SEVERITY},
	{"expect", required_argument, 0, O_EXPECT},
	{"update", no_argument, 0, O_UPDATE},
	{"follow", required_argument, 0, O_FOLLOW},
	{"interface", required_argument, 0, O_INTERFACE},
	{"bpf", required_argument, 0, O_BPF},
	{"syslog", required_argument, 0, O_SYSLOG},
	{"replay", no_argument, 0, O_REPLAY},
	{"speed", required_argument, 0, O_SPEED},
	{"headless", no_argument, 0, O_HEADLESS},
	{"on-change", no_argument, 0, O_ON_CHANGE},
	{0, 0, 0, 0},
};

static int bad(const char *cmd, const char *msg, const char *arg)
{
	fprintf(stderr, "authscope %s: %s%s%s (see authscope %s --help)\n", cmd, msg,
		arg ? ": " : "", arg ? arg : "", cmd);
	return 2;
}

/* "[INPUT=]VALUE": the INPUT part is everything before the last '=' */
static const char *split_input(const char *arg, char **input)
{
	const char *eq = strrchr(arg, '=');
	*input = eq ? xstrndup(arg, (size_t)(eq - arg)) : NULL;
	return eq ? eq + 1 : arg;
}

static int add_zone(struct opts *o, const char *arg)
{
	char *input;
	const char *v = split_input(arg, &input);
	int32_t off;
	if (clock_parse_zone(v, &off)) {
		free(input);
		return -1;
	}
	o->tz = xrealloc(o->tz, (o->ntz + 1) * sizeof *o->tz);
	o->tz[o->ntz++] = (struct zone_opt){input, off};
	return 0;
}

static int add_year(struct opts *o, const char *arg)
{
	char *input, *end;
	const char *v = split_input(arg, &input);
	long y = strtol(v, &end, 10);
	if (*end || y < 1970 || y > 2200) {
		free(input);
		return -1;
	}
	o->year = xrealloc(o->year, (o->nyear + 1) * sizeof *o->year);
	o->year[o->nyear++] = (struct zone_opt){input, (int32_t)y};
	return 0;
}

int opts_parse(struct opts *o, const char *cmd, int argc, char **argv)
{
	memset(o, 0, sizeof *o);
	o->cmd = cmd;
	o->since = o->until = EV_NO_TS;
	o->fail_on = SEV_ERROR;
	o->speed = 1.0;
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, "f:o:qvd:T:E:e:VxZ:", longopts, NULL)) != -1) {
		switch (c) {
		case 'f': o->format = optarg; break;
		case 'o': o->output = optarg; break;
		case 'q': o->quiet = 1; break;
		case 'v': o->verbose++; break;
		case 'd': strv_push(&o->decode_as, optarg); break;
		case 'T': o->T = optarg; break;
		case 'E': strv_push(&o->E, optarg); break;
		case 'e': strv_push(&o->e, optarg); break;
		case 'V': o->V = 1; break;
		case 'x': o->x = 1; break;
		case 'Z': o->drop_user = optarg; break;
		case O_RULES: strv_push(&o->rules, optarg); break;
		case O_NO_DEFAULT_RULES: o->no_default_rules = 1; break;
		case O_SECRET: strv_push(&o->secrets, optarg); break;
		case O_SECRETS_FILE: strv_push(&o->secrets_files, optarg); break;
		case O_IKE_KEYS: o->ike_keys = optarg; break;
		case O_USER: o->user = optarg; break;
		case O_SINCE:
			if (clock_parse_rfc3339(optarg, &o->since))
				return bad(cmd, "--since wants an RFC 3339 time", optarg);
			break;
		case O_UNTIL:
			if (clock_parse_rfc3339(optarg, &o->until))
				return bad(cmd, "--until wants an RFC 3339 time", optarg);
			break;
		case O_TZ:
			if (add_zone(o, optarg))
				return bad(cmd, "--tz wants [INPUT=]ZONE like +05:30 or UTC", optarg);
			break;
		case O_YEAR:
			if (add_year(o, optarg))
				return bad(cmd, "--year wants [INPUT=]YYYY", optarg);
			break;
		case O_FAIL_ON: {
			int s = sev_lookup(optarg);
			if (s < 0)
				return bad(cmd, "--fail-on wants info, warning, error or none", optarg);
			o->fail_on = s;
			break;
		}
		case O_REDACT: o->redact = 1; break;
		case O_SEVERITY: strv_push(&o->severity, optarg); break;
		case O_EXPECT: o->expect = optarg; break;
		case O_UPDATE: o->update = 1; break;
		case O_FOLLOW: strv_push(&o->follow, optarg); break;
		case O_INTERFACE: strv_push(&o->interfaces, optarg); break;
		case O_BPF: o->bpf = optarg; break;
		case O_SYSLOG: o->syslog = optarg; break;
		case O_REPLAY: o->replay = 1; break;
		case O_SPEED: {
			char *end;
			o->speed = strtod(optarg, &end);
			if (*end || !(o->speed > 0))
				return bad(cmd, "--speed wants a positive number", optarg);
			break;
		}
		case O_HEADLESS: o->headless = 1; break;
		case O_ON_CHANGE: o->on_change = 1; break;
		case '?':
		default:
			if (optopt && optopt < 256)
				return bad(cmd, "unknown option or missing value", (char[]){'-', (char)optopt, 0});
			return bad(cmd, "unknown option or missing value", argv[optind - 1]);
		}
	}
	for (int i = optind; i < argc; i++)
		strv_push(&o->inputs, argv[i]);
	return 0;
}

void opts_free(struct opts *o)
{
	strv_free(&o->inputs);
	strv_free(&o->rules);
	strv_free(&o->secrets);
	strv_free(&o->secrets_files);
	strv_free(&o->decode_as);
	strv_free(&o->severity);
	strv_free(&o->E);
	strv_free(&o->e);
	strv_free(&o->follow);
	strv_free(&o->interfaces);
	for (size_t i = 0; i < o->ntz; i++)
		free((char *)o->tz[i].input);
	for (size_t i = 0; i < o->nyear; i++)
		free((char *)o->year[i].input);
	free(o->tz);
	free(o->year);
}
