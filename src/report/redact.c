/* \summary: --redact: stable keyed pseudonyms for identities and addresses */
#include "report/redact.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "core/ident.h"
#include "core/str.h"

#define KEY_LEN 32
#define PSEUDO_HEX 12               /* 48 bits: no collision in any real run */

struct slot {
	char *key;                  /* the value as seen */
	const char *pseudo;         /* interned */
};

struct redactor {
	uint8_t key[KEY_LEN];
	struct slot *t;
	size_t n, cap;
	char **odd;                 /* identities with blanks or odd bytes: substring pass */
	size_t nodd, capodd;
	struct sbuf out, tmp;
};

static const char *const prefix[RC__COUNT] = {
	"user-", "ip-", "host-", "nas-", "station-", "",
};

static struct redactor *alloc_redactor(void)
{
	struct redactor *r = xcalloc(1, sizeof *r);
	r->cap = 256;
	r->t = xcalloc(r->cap, sizeof *r->t);
	sbuf_init(&r->out, 0);
	sbuf_init(&r->tmp, 0);
	return r;
}

struct redactor *redact_new(void)
{
	uint8_t k[KEY_LEN];
	size_t got = 0;
	while (got < sizeof k) {
		ssize_t n = getrandom(k + got, sizeof k - got, 0);
		if (n <= 0)
			return NULL;
		got += (size_t)n;
	}
	struct redactor *r = redact_new_key(k, sizeof k);
	memset(k, 0, sizeof k);
	return r;
}

struct redactor *redact_new_key(const uint8_t *key, size_t n)
{
	struct redactor *r = alloc_redactor();
	for (size_t i = 0; i < KEY_LEN; i++)
		r->key[i] = n ? key[i % n] : 0;
	return r;
}

void redact_free(struct redactor *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->cap; i++)
		free(r->t[i].key);
	free(r->t);
	free(r->odd);               /* its strings are slot keys */
	sbuf_free(&r->out);
	sbuf_free(&r->tmp);
	memset(r->key, 0, sizeof r->key);
	free(r);
}

static struct slot *find(struct redactor *r, const char *s, size_t n)
{
	size_t m = r->cap - 1;
	for (size_t i = (size_t)hash_bytes(s, n) & m;; i = (i + 1) & m) {
		struct slot *sl = &r->t[i];
		if (!sl->key || (strlen(sl->key) == n && !memcmp(sl->key, s, n)))
			return sl;
	}
}

static void grow(struct redactor *r)
{
	struct slot *old = r->t;
	size_t oc = r->cap;
	r->cap *= 2;
	r->t = xcalloc(r->cap, sizeof *r->t);
	for (size_t i = 0; i < oc; i++)
		if (old[i].key)
			*find(r, old[i].key, strlen(old[i].key)) = old[i];
	free(old);
}

static const char *lookup(struct redactor *r, const char *s, size_t n)
{
	struct slot *sl = find(r, s, n);
	return sl->key ? sl->pseudo : NULL;
}

static int odd_identity(const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (!(isalnum(c) || strchr("._-@\\:%$", c)))
			return 1;
	}
	return 0;
}

static void store(struct redactor *r, const char *s, size_t n, const char *pseudo)
{
	if (!n)
		return;
	if ((r->n + 1) * 2 > r->cap)
		grow(r);
	struct slot *sl = find(r, s, n);
	if (sl->key)
		return;                 /* first class wins: one value, one pseudonym */
	sl->key = xstrndup(s, n);
	sl->pseudo = pseudo;
	r->n++;
	if (odd_identity(sl->key) && n >= 3) {
		if (r->nodd == r->capodd) {
			r->capodd = r->capodd ? r->capodd * 2 : 8;
			r->odd = xrealloc(r->odd, r->capodd * sizeof *r->odd);
		}
		r->odd[r->nodd++] = sl->key;
	}
}

static const char *make_pseudo(struct redactor *r, unsigned cls, const char *canon)
{
	if (cls == RC_SECRET)
		return intern_cstr("<secret>");
	uint8_t mac[EVP_MAX_MD_SIZE];
	unsigned mlen = 0;
	uint8_t msg[4096];
	size_t n = strlen(canon);
	if (n > sizeof msg - 1)
		n = sizeof msg - 1;
	msg[0] = (uint8_t)cls;
	memcpy(msg + 1, canon, n);
	HMAC(EVP_sha256(), r->key, KEY_LEN, msg, n + 1, mac, &mlen);
	char out[32];
	size_t p = (size_t)snprintf(out, sizeof out, "%s", prefix[cls]);
	hex_encode(out + p, sizeof out - p, mac, PSEUDO_HEX / 2);
	return intern_cstr(out);
}

/* canonical form of an address literal, or NULL */
static const char *canon_ip(const char *s, size_t n, char *buf, size_t bufsz)
{
	char tmp[INET6_ADDRSTRLEN + 16];
	if (n == 0 || n >= sizeof tmp)
		return NULL;
	memcpy(tmp, s, n);
	tmp[n] = 0;
	char *pct = strchr(tmp, '%');
	if (pct)
		*pct = 0;
	unsigned char a[16];
	if (inet_pton(AF_INET, tmp, a) == 1)
		return inet_ntop(AF_INET, a, buf, (socklen_t)bufsz);
	if (strchr(tmp, ':') && inet_pton(AF_INET6, tmp, a) == 1)
		return inet_ntop(AF_INET6, a, buf, (socklen_t)bufsz);
	return NULL;
}

const char *redact_str(struct redactor *r, unsigned cls, const char *s)
{
	if (!r || !s || !*s)
		return s;
	if (cls >= RC__COUNT)
		cls = RC_HOST;
	size_t n = strlen(s);
	const char *p = lookup(r, s, n);
	if (p)
		return p;
	char ipbuf[INET6_ADDRSTRLEN];
	const char *ip = canon_ip(s, n, ipbuf, sizeof ipbuf);
	if (ip && cls != RC_SECRET) {
		p = lookup(r, ip, strlen(ip));
		if (!p) {
			p = make_pseudo(r, RC_IP, ip);
			store(r, ip, strlen(ip), p);
		}
		store(r, s, n, p);
		return p;
	}
	if (cls == RC_USER) {
		const char *norm = user_norm(s);
		if (!norm || !*norm)
			norm = s;
		p = lookup(r, norm, strlen(norm));
		if (!p) {
			p = make_pseudo(r, RC_USER, norm);
			store(r, norm, strlen(norm), p);
		}
		store(r, s, n, p);
		return p;
	}
	p = make_pseudo(r, cls, s);
	store(r, s, n, p);
	return p;
}

void redact_learn(struct redactor *r, unsigned cls, const char *value)
{
	if (r && value && *value)
		(void)redact_str(r, cls, value);
}

static int key_has(const char *k, const char *w)
{
	return k && strstr(k, w) != NULL;
}

void redact_learn_event(struct redactor *r, const struct ev *e)
{
	if (!r)
		return;
	redact_learn(r, RC_USER, e->user);
	redact_learn(r, RC_IP, e->nas_ip);
	redact_learn(r, RC_IP, e->server_ip);
	redact_learn(r, RC_IP, e->client_ip);
	redact_learn(r, RC_IP, e->assigned_ip);
	redact_learn(r, RC_STATION, e->calling_station);
	if (e->kind == EVK_CONFIG && e->text && *e->text && e->result) {
		/* config facts: result = key, text = value. Secrets never reach
		 * an event (the parsers say "set"), so only names are learned. */
		char k[64];
		size_t i = 0;
		for (const char *p = e->result; *p && i < sizeof k - 1; p++)
			k[i++] = (char)tolower((unsigned char)*p);
		k[i] = 0;
		if (key_has(k, "nas"))
			redact_learn(r, RC_NAS, e->text);
		else if (key_has(k, "host") || key_has(k, "server") || key_has(k, "fqdn") ||
			 key_has(k, "domain"))
			redact_learn(r, RC_HOST, e->text);
	}
}

static int tok_char(unsigned char c)
{
	return isalnum(c) || c == '.' || c == '_' || c == '-' || c == '@' || c == '\\' ||
	       c == ':' || c == '%' || c == '$';
}

static int looks_like_host(const char *s, size_t n)
{
	static const char *const tld[] = {
		"com", "net", "org", "local", "lan", "corp", "internal", "intra", "io",
		"edu", "gov", "mil", "int", "biz", "info", "cloud", "home", "localdomain",
		"de", "uk", "fr", "nl", "in", "jp", "au", "ca", "us", "eu", "ch", "se",
		"ad", "priv", NULL,
	};
	const char *dot = NULL;
	int labels = 1;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '.') {
			if (i == 0 || s[i - 1] == '.')
				return 0;
			labels++;
			dot = s + i;
		} else if (!(isalnum(c) || c == '-')) {
			return 0;
		}
	}
	if (labels < 2 || !dot || dot == s + n - 1)
		return 0;
	size_t tl = (size_t)(s + n - dot - 1);
	for (int i = 0; tld[i]; i++)
		if (strlen(tld[i]) == tl && !strncasecmp(dot + 1, tld[i], tl))
			return 1;
	return 0;
}

/* the pseudonym for one token of free text, or NULL to keep it */
static const char *token_pseudo(struct redactor *r, const char *s, size_t n)
{
	const char *p = lookup(r, s, n);
	if (p)
		return p;
	char ipbuf[INET6_ADDRSTRLEN];
	if ((n >= 7 && n <= 15 && isdigit((unsigned char)s[0])) || memchr(s, ':', n)) {
		if (canon_ip(s, n, ipbuf, sizeof ipbuf)) {
			char *t = xstrndup(s, n);
			p = redact_str(r, RC_IP, t);
			free(t);
			return p;
		}
	}
	if (memchr(s, '\\', n) || memchr(s, '@', n)) {
		char *t = xstrndup(s, n);
		const char *norm = user_norm(t);
		p = norm && *norm ? lookup(r, norm, strlen(norm)) : NULL;
		if (p && strcmp(p, "<secret>"))
			store(r, t, n, p);
		free(t);
		if (p)
			return p;
	}
	if (looks_like_host(s, n)) {
		char *t = xstrndup(s, n);
		p = redact_str(r, RC_HOST, t);
		free(t);
		return p;
	}
	return NULL;
}

/* the pseudonym of a token as it is, or of its host when it is host:port
 * (one colon, so an IPv6 literal is never cut); *hl gets the length the
 * pseudonym replaces (n, or the host's length) */
static const char *token_or_host(struct redactor *r, const char *s, size_t n, size_t *hl)
{
	*hl = n;
	const char *p = token_pseudo(r, s, n);
	if (p)
		return p;
	const char *colon = memchr(s, ':', n);
	if (colon && colon > s && !memchr(colon + 1, ':', (size_t)(s + n - colon - 1))) {
		*hl = (size_t)(colon - s);
		return token_pseudo(r, s, *hl);
	}
	return NULL;
}

/* replace one token, trying it whole, then as host:port, then both again
 * without leading or trailing punctuation ("from 10.0.0.1:1812: ok") */
static int emit_token(struct redactor *r, struct sbuf *o, const char *s, size_t n)
{
	size_t b = 0, m = n, hl;
	const char *p = token_or_host(r, s, n, &hl);
	if (!p) {
		while (m > 1 && strchr(".:-_", s[m - 1]))
			m--;
		while (b < m && strchr(".:-_", s[b]))
			b++;
		if ((m < n || b > 0) && b < m)
			p = token_or_host(r, s + b, m - b, &hl);
		if (!p)
			return sbuf_add(o, s, n);
	}
	int e = sbuf_add(o, s, b);
	e |= sbuf_adds(o, p);
	return e | sbuf_add(o, s + b + hl, n - b - hl);
}

const char *redact_text(struct redactor *r, const char *s)
{
	if (!r || !s)
		return s;
	const char *in = s;
	/* identities with blanks or odd bytes: plain substring replacement */
	if (r->nodd) {
		sbuf_reset(&r->tmp);
		int e = sbuf_adds(&r->tmp, s);
		for (size_t i = 0; i < r->nodd && !e; i++) {
			const char *id = r->odd[i];
			const char *pseudo = lookup(r, id, strlen(id));
			const char *cur = sbuf_cstr(&r->tmp);
			if (!strstr(cur, id))
				continue;
			struct sbuf nb;
			sbuf_init(&nb, 0);
			size_t il = strlen(id);
			for (const char *p = cur, *q; !e; p = q + il) {
				q = strstr(p, id);
				if (!q) {
					e |= sbuf_adds(&nb, p);
					break;
				}
				e |= sbuf_add(&nb, p, (size_t)(q - p));
				e |= sbuf_adds(&nb, pseudo);
			}
			sbuf_reset(&r->tmp);
			e |= sbuf_adds(&r->tmp, sbuf_cstr(&nb));
			sbuf_free(&nb);
		}
		in = sbuf_cstr(&r->tmp);
	}
	sbuf_reset(&r->out);
	int e = 0;
	for (const char *p = in; *p && !e;) {
		if (!tok_char((unsigned char)*p)) {
			const char *q = p;
			while (*q && !tok_char((unsigned char)*q))
				q++;
			e |= sbuf_add(&r->out, p, (size_t)(q - p));
			p = q;
			continue;
		}
		const char *q = p;
		while (*q && tok_char((unsigned char)*q))
			q++;
		e |= emit_token(r, &r->out, p, (size_t)(q - p));
		p = q;
	}
	if (e)
		return "<redacted: line too long>";
	return sbuf_cstr(&r->out);
}

const char *redact_text_keep(struct redactor *r, const char *s)
{
	if (!r || !s)
		return s;
	return intern_cstr(redact_text(r, s));
}
