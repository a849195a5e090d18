/* \summary: escaping for where output goes: terminal, JSON, HTML
 *
 * Input is hostile: a User-Name can hold ANSI escapes or invalid UTF-8.
 * Every string from input passes through one of these before output.
 */
#ifndef AUTHSCOPE_CORE_ESCAPE_H
#define AUTHSCOPE_CORE_ESCAPE_H

#include <stddef.h>
#include <stdio.h>

#include "core/str.h"

/* Terminal/plain text: C0/C1 controls and DEL as \xNN (\t \n \r as \t \n \r),
 * invalid UTF-8 bytes as \xNN, a backslash as \\. */
int esc_text(struct sbuf *b, const char *s, size_t n) WARN_UNUSED;
/* JSON string body (no quotes): RFC 8259, controls as \u00XX, invalid UTF-8
 * bytes as \u00XX of the byte (so output is always valid UTF-8). */
int esc_json(struct sbuf *b, const char *s, size_t n) WARN_UNUSED;
/* HTML text and attribute values: & < > " ' and controls; invalid UTF-8 as U+FFFD. */
int esc_html(struct sbuf *b, const char *s, size_t n) WARN_UNUSED;
/* XML 1.0 (JUnit, SARIF is JSON): like HTML but drops chars XML forbids. */
int esc_xml(struct sbuf *b, const char *s, size_t n) WARN_UNUSED;

/* Convenience: write escaped text straight to a FILE. */
void fputs_text(FILE *f, const char *s);
void fputs_json(FILE *f, const char *s);   /* with the surrounding quotes; NULL -> null */

/* Length of a valid UTF-8 sequence at s (1..4), or 0 when invalid. */
size_t utf8_seq_len(const unsigned char *s, size_t n);

#endif
