/* \summary: RADIUS shared secrets given with --secret / --secrets-file
 *
 * "[IP=]SECRET": IP is the RADIUS *server's* address on the leg the secret
 * belongs to (a proxy is the server of one leg and the client of the next).
 * A secret without IP applies to every leg that has none of its own. A
 * secrets file holds one such entry a line ("IP SECRET" works too); blank
 * lines and '#' comments are skipped. Secrets are wiped on free and never
 * printed: error messages name the file and line, not the value.
 */
#ifndef AUTHSCOPE_DECODERS_SECRETS_H
#define AUTHSCOPE_DECODERS_SECRETS_H

#include <stddef.h>
#include <stdint.h>

struct secrets;

struct secrets *secrets_new(void);
void secrets_free(struct secrets *s);

/* Add one "[IP=]SECRET". 0, or -1 with a one-line reason in err. */
int secrets_add(struct secrets *s, const char *spec, char *err, size_t errsz);
/* Add every entry of a file. 0, or -1 with a one-line reason in err. */
int secrets_load_file(struct secrets *s, const char *path, char *err, size_t errsz);

/* The secret for the leg whose server is server_ip (an address string as
 * captures print it), else the default one, else NULL. */
const uint8_t *secrets_for(const struct secrets *s, const char *server_ip, size_t *len);
size_t secrets_count(const struct secrets *s);

#endif
