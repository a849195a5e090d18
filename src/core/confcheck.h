/* \summary: config comparison: router RADIUS config vs the Duo proxy's
 *
 * The config parsers (authproxy.cfg, IOS running-config) emit typed facts
 * (kinds.def, config section); this module collects them per input and,
 * as soon as a config input has ended (config.loaded) and its other side
 * exists, emits config.check events: the router's RADIUS timeout against
 * Duo's 60 s push wait, the router's key against radius_secret_N, its
 * RADIUS source address against radius_ip_N, its auth-port against the
 * sections' port. Each check is emitted once per config line it cites, all
 * with the same text (rules merge on it), so a finding cites both files.
 * Core sees events only: it never includes a parser.
 *
 * Secrets travel as keyed fingerprints (conf_secret_fp) in req_auth with
 * EVF_SECRET_FP set: comparable within one run, never printable, useless
 * outside it (the key is random per process).
 */
#ifndef AUTHSCOPE_CORE_CONFCHECK_H
#define AUTHSCOPE_CORE_CONFCHECK_H

#include <stddef.h>
#include <stdint.h>

#include "core/event.h"

#define DUO_PUSH_WAIT_S 60      /* Duo waits up to 60 s for a push answer */

/* HMAC-SHA256 under a random per-process key, truncated to 16 bytes. */
void conf_secret_fp(const void *secret, size_t n, uint8_t out[16]);

/* Plaintext shared secrets read from configs, for the capture decoder
 * (a capture's RADIUS legs can then be verified without --secret). The
 * cli registers a receiver around a first pass over the config inputs;
 * the config parsers publish while one is registered. server_ip is the
 * RADIUS server of the leg (NULL: a default for legs without their own).
 * Core never keeps the secret; the receiver must not print it. */
typedef void (*conf_secret_fn)(void *ctx, const char *server_ip, const void *secret, size_t n);
void conf_secret_receiver(conf_secret_fn fn, void *ctx);     /* NULL: none */
int conf_secret_wanted(void);
void conf_secret_publish(const char *server_ip, const void *secret, size_t n);

struct confcheck;
/* Checks are emitted to out (the run's main sink: they flow through
 * sessions and rules like any event). */
struct confcheck *confcheck_new(struct ev_sink *out);
void confcheck_free(struct confcheck *c);
/* Feed every event; config.* facts are kept, config.loaded triggers the
 * checks that became possible. Re-entrant: checks it emits come back here
 * and are ignored. */
void confcheck_on_event(struct confcheck *c, const struct ev *e);
/* End of input: run checks for configs that never said config.loaded. */
void confcheck_finish(struct confcheck *c);

#endif
