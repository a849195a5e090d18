/* \summary: RADIUS secrets read from config inputs, for the capture decoder */
#include "cli/config_secrets.h"

#include <stdlib.h>
#include <string.h>

#include "core/confcheck.h"
#include "core/str.h"
#include "parsers/config_ios.h"
#include "parsers/config_proxy.h"

static const struct format *const config_formats[] = {
	&fmt_authproxy_cfg, &fmt_ios_config, NULL
};

struct collect {
	struct secrets *s;
	size_t n;
};

static void take(void *ctx, const char *server_ip, const void *secret, size_t n)
{
	struct collect *c = ctx;
	/* secrets_add reads "[IP=]SECRET"; a default whose value looks like
	 * "ADDRESS=..." would be misread, so such a default is skipped */
	size_t il = server_ip ? strlen(server_ip) : 0;
	char *spec = xmalloc(il + 1 + n + 1);
	size_t k = 0;
	if (il) {
		memcpy(spec, server_ip, il);
		spec[il] = '=';
		k = il + 1;
	}
	memcpy(spec + k, secret, n);
	spec[k + n] = 0;
	int bad = memchr(secret, 0, n) != NULL;
	if (!il && memchr(secret, '=', n))
		bad = 1;
	char err[128];
	if (!bad && !secrets_add(c->s, spec, err, sizeof err))
		c->n++;
	memset(spec, 0, k + n);
	free(spec);
}

static void discard(struct ev_sink *self, struct ev *e)
{
	(void)self;
	(void)e;
}

size_t config_secrets_prepass(struct ingest *g, const struct opts *o, struct secrets **sec)
{
	struct collect c = {secrets_new(), 0};
	struct ev_sink null_sink = {discard};
	conf_secret_receiver(take, &c);
	ingest_prepass_only(g, config_formats, &null_sink);
	conf_secret_receiver(NULL, NULL);
	if (!c.n) {
		secrets_free(c.s);
		return 0;
	}
	/* the command line's secrets go on top: they win for the same server */
	char err[256];
	for (size_t i = 0; i < o->secrets.n; i++)
		secrets_add(c.s, o->secrets.v[i], err, sizeof err);
	for (size_t i = 0; i < o->secrets_files.n; i++)
		secrets_load_file(c.s, o->secrets_files.v[i], err, sizeof err);
	secrets_free(*sec);
	*sec = c.s;
	ingest_set_secrets(g, c.s);
	return c.n;
}
