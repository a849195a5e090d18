/* \summary: RADIUS shared secrets: parse, look up by server address, wipe */
#include "decoders/secrets.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"

#define SECRET_MAX 256              /* bytes of one secret */
#define SECRETS_MAX 4096            /* entries */

struct secret {
	char ip[INET6_ADDRSTRLEN];  /* canonical text form, "" = default */
	uint8_t *v;
	size_t n;
};

struct secrets {
	struct secret *v;
	size_t n, cap;
};

struct secrets *secrets_new(void)
{
	return xcalloc(1, sizeof(struct secrets));
}

static void wipe(void *p, size_t n)
{
	volatile uint8_t *q = p;
	while (n--)
		*q++ = 0;
}

void secrets_free(struct secrets *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++) {
		wipe(s->v[i].v, s->v[i].n);
		free(s->v[i].v);
	}
	free(s->v);
	free(s);
}

size_t secrets_count(const struct secrets *s)
{
	return s ? s->n : 0;
}

/* Canonical form of an address, so "10.0.0.01"-style spellings and IPv6
 * compressions compare equal to what the capture layer prints. */
static int canon_ip(const char *in, size_t n, char *out, size_t outsz)
{
	char tmp[INET6_ADDRSTRLEN + 8];
	if (n == 0 || n >= sizeof tmp)
		return -1;
	memcpy(tmp, in, n);
	tmp[n] = 0;
	if (tmp[0] == '[' && tmp[n - 1] == ']') {
		memmove(tmp, tmp + 1, n - 2);
		tmp[n - 2] = 0;
	}
	uint8_t a[16];
	if (inet_pton(AF_INET, tmp, a) == 1)
		return inet_ntop(AF_INET, a, out, (socklen_t)outsz) ? 0 : -1;
	if (inet_pton(AF_INET6, tmp, a) == 1)
		return inet_ntop(AF_INET6, a, out, (socklen_t)outsz) ? 0 : -1;
	return -1;
}

static int add(struct secrets *s, const char *ip, const char *v, size_t n, char *err, size_t errsz)
{
	if (n == 0) {
		snprintf(err, errsz, "empty secret");
		return -1;
	}
	if (n > SECRET_MAX) {
		snprintf(err, errsz, "secret longer than %d bytes", SECRET_MAX);
		return -1;
	}
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i].ip, ip)) {   /* the last one given wins */
			wipe(s->v[i].v, s->v[i].n);
			free(s->v[i].v);
			s->v[i].v = xmalloc(n);
			memcpy(s->v[i].v, v, n);
			s->v[i].n = n;
			return 0;
		}
	if (s->n >= SECRETS_MAX) {
		snprintf(err, errsz, "more than %d secrets", SECRETS_MAX);
		return -1;
	}
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 8;
		s->v = xrealloc(s->v, s->cap * sizeof *s->v);
	}
	struct secret *e = &s->v[s->n++];
	memset(e, 0, sizeof *e);
	snprintf(e->ip, sizeof e->ip, "%s", ip);
	e->v = xmalloc(n);
	memcpy(e->v, v, n);
	e->n = n;
	return 0;
}

int secrets_add(struct secrets *s, const char *spec, char *err, size_t errsz)
{
	/* "IP=SECRET" only when the part before the first '=' is an address:
	 * a secret may itself contain '='. */
	const char *eq = strchr(spec, '=');
	char ip[INET6_ADDRSTRLEN];
	if (eq && canon_ip(spec, (size_t)(eq - spec), ip, sizeof ip) == 0)
		return add(s, ip, eq + 1, strlen(eq + 1), err, errsz);
	return add(s, "", spec, strlen(spec), err, errsz);
}

int secrets_load_file(struct secrets *s, const char *path, char *err, size_t errsz)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	unsigned lineno = 0;
	int rc = 0;
	while ((n = getline(&line, &cap, f)) >= 0) {
		lineno++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = 0;
		char *p = line;
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '#')
			continue;
		char e2[128];
		/* "IP SECRET" (whitespace) or "[IP=]SECRET" */
		char *sp = strpbrk(p, " \t");
		char ip[INET6_ADDRSTRLEN];
		int r;
		if (sp && canon_ip(p, (size_t)(sp - p), ip, sizeof ip) == 0) {
			char *v = sp;
			while (*v == ' ' || *v == '\t')
				v++;
			r = add(s, ip, v, strlen(v), e2, sizeof e2);
		} else {
			r = secrets_add(s, p, e2, sizeof e2);
		}
		if (r) {
			snprintf(err, errsz, "%s:%u: %s", path, lineno, e2);
			rc = -1;
			break;
		}
	}
	if (line) {
		wipe(line, cap);
		free(line);
	}
	fclose(f);
	return rc;
}

const uint8_t *secrets_for(const struct secrets *s, const char *server_ip, size_t *len)
{
	if (!s)
		return NULL;
	const struct secret *def = NULL;
	for (size_t i = 0; i < s->n; i++) {
		if (!s->v[i].ip[0])
			def = &s->v[i];
		else if (server_ip && !strcmp(s->v[i].ip, server_ip)) {
			*len = s->v[i].n;
			return s->v[i].v;
		}
	}
	if (!def)
		return NULL;
	*len = def->n;
	return def->v;
}
