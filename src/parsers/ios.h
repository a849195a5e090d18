/* \summary: Cisco IOS / IOS XE text: debug output, show output, syslog copies
 *
 * One parser reads all three shapes a router's text reaches us in: a
 * console or `terminal monitor` capture (debug crypto ikev2, debug radius,
 * debug aaa, debug crypto ipsec, %FAC-SEV-MNEMONIC messages, CLI prompts
 * and the show commands typed at them), a bare `show` output, and a
 * syslog server's file of the same lines (parsers/syslog.h peels the
 * wrapper). The three formats below differ only in their sniff and in the
 * input kind they report.
 */
#ifndef AUTHSCOPE_PARSERS_IOS_H
#define AUTHSCOPE_PARSERS_IOS_H

#include <stddef.h>
#include <stdint.h>

#include "core/format.h"

extern const struct format fmt_ios_debug;   /* "ios-debug" */
extern const struct format fmt_ios_show;    /* "ios-show" */
extern const struct format fmt_syslog;      /* "syslog" (carrying IOS lines) */

/* The parser behind the three formats, for the live syslog receiver and
 * the fuzz harness: one line at a time (no '\n', any length). */
struct ios_parser;
struct ios_parser *ios_open(const struct format_ctx *ctx, unsigned src_kind);
void ios_line(struct ios_parser *p, const char *line, size_t len, uint64_t lineno);
void ios_close(struct ios_parser *p);    /* flushes pending records, frees */
/* Live: the source went quiet. Deliver the record held for continuation
 * lines (and a RADIUS packet still collecting attributes) now, as
 * ios_close would, and stay open; a continuation arriving later starts a
 * record of its own. */
void ios_flush(struct ios_parser *p);

/* Sniff helpers (exposed for tests): evidence counts over a head. */
struct ios_sniff {
	unsigned lines, debug, show, syslog, prompt, other;
};
void ios_sniff_count(const uint8_t *head, size_t n, struct ios_sniff *s);

#endif
