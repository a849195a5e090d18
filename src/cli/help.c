/* \summary: help texts, kept beside the man page (man/authscope.1) */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"

const char help_main[] =
"usage: authscope COMMAND [OPTIONS] INPUT...\n"
"\n"
"Tells why a remote-access VPN login with two-factor authentication failed,\n"
"from Duo authproxy logs, IOS/IOS XE debug and show output, captures and configs.\n"
"\n"
"commands:\n"
"  analyze  [OPTIONS] INPUT...        diagnose: findings + per-user sessions\n"
"  decode   [OPTIONS] PCAP...         per-packet RADIUS/IKEv2 dump (tshark-like)\n"
"  events   [OPTIONS] INPUT...        the normalized event stream, one JSON object a line\n"
"  timeline [--user NAME] INPUT...    per-user ladder diagram of each auth attempt\n"
"  live     [OPTIONS]                 the ncurses dashboard\n"
"  check    --expect FILE INPUT...    CI regression: findings must match FILE\n"
"  rules    list|lint FILE...|explain RULE-ID\n"
"\n"
"INPUT is a file (format found by content), a .gz, a directory, a .tar/.tar.gz/.tgz/.zip\n"
"bundle, or - for standard input.\n"
"\n"
"authscope COMMAND --help shows a command's options; authscope --version its version.\n"
"Exit status: 0 no finding at or above --fail-on, 1 there are, 2 usage or input error.\n";

static const char help_common[] =
"common options:\n"
"  -f, --format FMT        text (default), json, ndjson, html, junit, sarif\n"
"  -o, --output FILE       write there instead of standard output\n"
"      --rules PATH        add a rule file or directory (repeatable)\n"
"      --no-default-rules  drop the built-in rule pack\n"
"      --secret [IP=]SECRET  RADIUS shared secret (IP = the server on that leg)\n"
"      --secrets-file FILE   one [IP=]SECRET a line\n"
"      --ike-keys FILE     IKEv2 SA keys (Wireshark ikev2_decryption_table format)\n"
"      --user NAME         only this user's sessions and findings\n"
"      --since TIME, --until TIME   time window (RFC 3339)\n"
"      --tz [INPUT=]ZONE   zone for stamps that carry none (default UTC)\n"
"      --year [INPUT=]YYYY year for stamps that carry none\n"
"  -d udp.port==N,radius   decode port N as RADIUS (or ,isakmp)\n"
"      --fail-on SEV       exit 1 at a finding of at least SEV (info|warning|error|none)\n"
"      --severity RULE=SEV override a rule's severity\n"
"      --redact            pseudonymise user names, addresses and secrets\n"
"  -q, --quiet             fewer messages; no progress bar\n"
"  -v, --verbose           more diagnostics on standard error (a run summary)\n"
"A progress bar shows on standard error when it is a terminal and the run takes\n"
"over a second. Colour only on a terminal, never with NO_COLOR set.\n";

static const struct {
	const char *cmd;
	const char *usage;
} usages[] = {
	{"analyze", "usage: authscope analyze [OPTIONS] INPUT...\n"
		    "Reads every input, stitches events into per-user login sessions, runs the\n"
		    "rules and reports findings with their evidence. Formats: text (sessions\n"
		    "and findings), json (the documented shape), ndjson (ECS, one session or\n"
		    "finding a line), html (one self-contained page with a ladder per session),\n"
		    "junit (a testcase per input and rule), sarif (SARIF 2.1.0).\n\n"},
	{"events", "usage: authscope events [-f json|ndjson] [OPTIONS] INPUT...\n"
		   "Prints the normalized event stream, one JSON object a line: -f json (the\n"
		   "default) names fields as rules do, -f ndjson uses ECS names (@timestamp,\n"
		   "event.action, user.name, source.ip, log.file.path, ...).\n\n"},
	{"decode", "usage: authscope decode [OPTIONS] PCAP...\n"
		   "Per-packet RADIUS/IKEv2/ESP dump. -V full tree, -x hex dump,\n"
		   "-T fields -e FIELD... -E header=y|separator=/t|occurrence=a|aggregator=C|quote=n\n"
		   "prints what tshark -T fields prints.\n\n"},
	{"timeline", "usage: authscope timeline [--user NAME] [OPTIONS] INPUT...\n"
		     "Draws a ladder per login, grouped per user: columns client, headend, proxy,\n"
		     "primary, Duo;"
		     " "
		     "an arrow per message with its time since the login began and, for an\n"
		     "answer, the latency since its request; the leg where it broke is marked\n"
		     "X and <== FAILED, followed by the finding that explains it.\n"
		     "-f html (or json, ...) renders the same run as analyze does.\n\n"},
	{"live", "usage: authscope live [--follow FILE]... [--interface IF [--bpf FILTER]] [-Z USER]\n"
		 "                      [--syslog udp:ADDR:PORT] [--replay INPUT... [--speed X]]\n"
		 "                      [--headless [--on-change]]\n"
		 "The live dashboard over the same pipeline as analyze.\n"
		 "      --follow FILE       a log to follow like tail -F (repeatable)\n"
		 "      --interface IF      capture live (libpcap); --bpf FILTER narrows it\n"
		 "  -Z USER                 drop root to USER once the capture is open\n"
		 "      --syslog udp:ADDR:PORT  receive router syslog (RFC 3164/5424)\n"
		 "      --replay INPUT...   play captured inputs in their own timing\n"
		 "      --speed X           replay X times faster (default 1)\n"
		 "      --headless          text snapshots on stdout, one a second\n"
		 "      --on-change         headless: a snapshot on every change instead\n"
		 "      --user NAME         start with the table filtered to NAME\n"
		 "keys: arrows/j k move, Enter detail, Esc back, / filter, p pause, s sort,\n"
		 "      ? help, q quit\n\n"},
	{"check", "usage: authscope check --expect FILE [--update] [-f junit] INPUT...\n"
		  "Runs analyze and compares its findings with FILE, one expectation a line:\n"
		  "  RULE USER COUNT   # USER: a name, * any user, - no user\n"
		  "                    # COUNT: N, A..B, A.. ; 0 = must not occur\n"
		  "Prints = (holds), - (fails: expected vs found), + (found, not in FILE).\n"
		  "      --expect FILE   the expectations\n"
		  "      --update        rewrite FILE from this result (keeps its header comment)\n"
		  "  -f junit            JUnit XML (one testcase per expectation) to -o or stdout;\n"
		  "                      the report then goes to standard error\n"
		  "Exit status: 0 all hold, 1 one fails, 2 usage or input error.\n\n"},
	{"rules", "usage: authscope rules list | lint FILE... | explain RULE-ID\n\n"},
};

const char *help_for(const char *cmd)
{
	static char buf[16384];
	for (size_t i = 0; i < sizeof usages / sizeof *usages; i++)
		if (!strcmp(usages[i].cmd, cmd)) {
			snprintf(buf, sizeof buf, "%s%s", usages[i].usage, help_common);
			return buf;
		}
	return NULL;
}
