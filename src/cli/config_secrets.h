/* \summary: RADIUS secrets read from config inputs, for the capture decoder
 *
 * Before the main pass, the config inputs (authproxy.cfg, IOS
 * running-config) are read once; their parsers publish the shared secrets
 * they hold (core/confcheck.h) and these become the decoders' secrets, so
 * a capture's RADIUS legs are verified without --secret. Secrets given on
 * the command line win over config ones for the same server. Nothing here
 * prints a secret.
 */
#ifndef AUTHSCOPE_CLI_CONFIG_SECRETS_H
#define AUTHSCOPE_CLI_CONFIG_SECRETS_H

#include "cli/opts.h"
#include "decoders/secrets.h"
#include "ingest/ingest.h"

/* Run the config prepass over g's registered inputs. *sec holds the CLI
 * secrets (may be NULL); when configs held any, *sec is replaced by a set
 * with the config secrets under the CLI ones and handed to g. Returns the
 * number of config secrets taken. */
size_t config_secrets_prepass(struct ingest *g, const struct opts *o, struct secrets **sec);

#endif
