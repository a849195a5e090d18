/* \summary: --redact: stable pseudonyms for identities, in every format
 *
 * A pseudonym is a class prefix and the first hex digits of HMAC-SHA256
 * over the class and the value, keyed with a random key drawn per run: the
 * same value gets the same pseudonym within a run (so a reader can still
 * follow one user across sessions), and nobody can confirm a guessed name
 * by hashing it. User names are normalized first (case, DOMAIN\, @realm).
 *
 * Free text (evidence lines, stage details, messages) is scanned for every
 * identity the run has seen (redact_learn) and for every IPv4 and IPv6
 * literal, which are replaced in place. Secrets become "<secret>".
 */
#ifndef AUTHSCOPE_REPORT_REDACT_H
#define AUTHSCOPE_REPORT_REDACT_H

#include <stddef.h>
#include <stdint.h>

#include "core/event.h"

enum redact_class { RC_USER, RC_IP, RC_HOST, RC_NAS, RC_STATION, RC_SECRET, RC__COUNT };

struct redactor;

/* A redactor with a fresh random key; NULL only when no randomness could
 * be had (the caller then refuses to run rather than leak). */
struct redactor *redact_new(void);
/* A fixed key, for tests. */
struct redactor *redact_new_key(const uint8_t *key, size_t n);
void redact_free(struct redactor *r);

/* Learn a value as an identity of a class, so free text loses it too. */
void redact_learn(struct redactor *r, unsigned cls, const char *value);
/* Learn every identity an event names (user, addresses, NAS, station,
 * config facts that name hosts or secrets). */
void redact_learn_event(struct redactor *r, const struct ev *e);

/* The pseudonym of a value (interned; NULL stays NULL). r NULL: s itself. */
const char *redact_str(struct redactor *r, unsigned cls, const char *s);
/* Free text with identities and IP literals replaced. The result is valid
 * until the next redact_text call on r. r NULL: s itself. */
const char *redact_text(struct redactor *r, const char *s);
/* redact_text that returns an interned copy (stable for the run). */
const char *redact_text_keep(struct redactor *r, const char *s);

#endif
