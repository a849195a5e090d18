/* \summary: the Duo Authentication Proxy's authproxy.cfg (INI) */
#include "parsers/config_proxy.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/confcheck.h"
#include "core/iprange.h"
#include "core/str.h"

/* ---- one line ---- */

enum lt { LT_BLANK, LT_COMMENT, LT_SECTION, LT_KV, LT_CONT, LT_BAD };

struct pline {
	enum lt t;
	const char *name;           /* section name or key (key not yet lowered) */
	size_t nlen;
	const char *val;            /* value, trimmed */
	size_t vlen;
	size_t delim;               /* offset of the '=' or ':' in the line */
	int indented;
};

static int is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\f' || c == '\v';
}

static void split_line(const char *s, size_t n, struct pline *pl)
{
	memset(pl, 0, sizeof *pl);
	size_t i = 0;
	while (i < n && is_ws(s[i]))
		i++;
	size_t e = n;
	while (e > i && is_ws(s[e - 1]))
		e--;
	pl->indented = i > 0;
	if (i == e) {
		pl->t = LT_BLANK;
		return;
	}
	if (s[i] == ';' || s[i] == '#') {
		pl->t = LT_COMMENT;
		return;
	}
	if (pl->indented) {
		pl->t = LT_CONT;    /* the caller decides: continuation or key */
		pl->val = s + i;
		pl->vlen = e - i;
	}
	if (s[i] == '[' && s[e - 1] == ']' && e - i > 2) {
		pl->t = LT_SECTION;
		pl->name = s + i + 1;
		pl->nlen = e - i - 2;
		return;
	}
	size_t d = i;
	while (d < e && s[d] != '=' && s[d] != ':')
		d++;
	if (d == e || d == i) {
		if (!pl->indented)
			pl->t = LT_BAD;
		return;
	}
	if (pl->indented)
		return;             /* LT_CONT, with a key-looking body */
	size_t ke = d;
	while (ke > i && is_ws(s[ke - 1]))
		ke--;
	size_t vs = d + 1;
	while (vs < e && is_ws(s[vs]))
		vs++;
	pl->t = LT_KV;
	pl->name = s + i;
	pl->nlen = ke - i;
	pl->val = s + vs;
	pl->vlen = e - vs;
	pl->delim = d;
}

static void lower(char *out, size_t outsz, const char *s, size_t n)
{
	size_t i = 0;
	for (; i < n && i + 1 < outsz; i++)
		out[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] + 32) : s[i];
	out[i] = 0;
}

/* key with a numeric suffix: "radius_ip_12" -> base "radius_ip", 12.
 * Returns 1 with the number, 0 without a suffix, -1 for a bad suffix. */
static int suffix(const char *key, const char *base, long *num)
{
	size_t bl = strlen(base);
	if (strncmp(key, base, bl))
		return -2;
	if (!key[bl])
		return 0;
	if (key[bl] != '_')
		return -2;
	const char *p = key + bl + 1;
	if (!*p)
		return -1;
	long v = 0;
	for (; *p; p++) {
		if (*p < '0' || *p > '9' || v > 100000000)
			return -1;
		v = v * 10 + (*p - '0');
	}
	*num = v;
	return 1;
}

static int secret_key(const char *k)
{
	static const char *const words[] = {"secret", "password", "skey", "ikey", "protected",
					    "enrollment", "token", "passphrase", NULL};
	for (size_t i = 0; words[i]; i++)
		if (strstr(k, words[i]))
			return 1;
	return 0;
}

/* ---- sections ---- */

enum sk {
	SK_NONE, SK_MAIN, SK_RADIUS_CLIENT, SK_AD_CLIENT, SK_DUO_ONLY_CLIENT, SK_RADIUS_SERVER,
	SK_LDAP_SERVER, SK_CLOUD, SK_SSO, SK_HTTP_PROXY, SK_UNKNOWN
};

static enum sk section_kind(const char *name, size_t n)
{
	char b[128];
	if (n >= sizeof b)
		return SK_UNKNOWN;
	memcpy(b, name, n);
	b[n] = 0;
	while (n && b[n - 1] >= '0' && b[n - 1] <= '9')
		b[--n] = 0;             /* [ad_client2], [radius_server_auto3] */
	static const struct { const char *n; enum sk k; } t[] = {
		{"main", SK_MAIN}, {"radius_client", SK_RADIUS_CLIENT}, {"ad_client", SK_AD_CLIENT},
		{"duo_only_client", SK_DUO_ONLY_CLIENT}, {"radius_server_auto", SK_RADIUS_SERVER},
		{"radius_server_challenge", SK_RADIUS_SERVER}, {"radius_server_duo_only", SK_RADIUS_SERVER},
		{"radius_server_iframe", SK_RADIUS_SERVER}, {"radius_server_eap", SK_RADIUS_SERVER},
		{"radius_server_concat", SK_RADIUS_SERVER}, {"ldap_server_auto", SK_LDAP_SERVER},
		{"cloud", SK_CLOUD}, {"sso", SK_SSO}, {"http_proxy", SK_HTTP_PROXY},
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++)
		if (!strcmp(b, t[i].n))
			return t[i].k;
	return SK_UNKNOWN;
}

/* ---- parser state ---- */

struct ptrset {                 /* set of interned pointers */
	const char **v;
	size_t cap, n;
};

static int ptrset_add(struct ptrset *s, const char *p)  /* 1 when new */
{
	if ((s->n + 1) * 2 > s->cap) {
		size_t oc = s->cap;
		const char **old = s->v;
		s->cap = oc ? oc * 2 : 32;
		s->v = xcalloc(s->cap, sizeof *s->v);
		s->n = 0;
		for (size_t i = 0; i < oc; i++)
			if (old[i])
				ptrset_add(s, old[i]);
		free(old);
	}
	size_t i = (size_t)(((uintptr_t)p >> 4) * 0x9e3779b97f4a7c15ull) & (s->cap - 1);
	while (s->v[i]) {
		if (s->v[i] == p)
			return 0;
		i = (i + 1) & (s->cap - 1);
	}
	s->v[i] = p;
	s->n++;
	return 1;
}

static void ptrset_clear(struct ptrset *s)
{
	if (s->v)
		memset(s->v, 0, s->cap * sizeof *s->v);
	s->n = 0;
}

struct line_ref {               /* a line kept for an event emitted later */
	uint64_t pos;
	const char *raw;            /* arena copy, masked */
	size_t len;
};

struct host {                   /* [radius_client]/[ad_client] host_N */
	long n;
	const char *addr;
	struct line_ref at;
};

struct nref {                   /* radius_ip_N / radius_secret_N seen */
	long n;
	const char *ip;
	struct line_ref at;
};

struct srvsec {                 /* server sections, for the client check */
	const char *name, *client;
	struct line_ref at;
};

struct pst {
	const struct format_ctx *ctx;
	struct arena mem;
	uint32_t facts;
	/* the section being read */
	const char *sect;
	enum sk kind;
	struct line_ref hdr;
	struct ptrset keys, sections;
	const char *last_key;       /* for continuation lines */
	long port, port_n;          /* port=, -1 none */
	struct line_ref port_at;
	long ports[16];             /* port_2 .. port_16 of radius_client */
	const char *transport;
	struct host *hosts;
	size_t nhost, caphost;
	struct nref *ips, *secrets;
	size_t nip, capip, nsec, capsec;
	int have_retries, have_retry_wait, have_timeout;
	const char *client;
	/* plain secrets, kept only while config secrets are wanted */
	char *client_secret;        /* [radius_client] secret */
	size_t client_secret_len;
	char *srv_secret;           /* the first radius_secret_N value */
	size_t srv_secret_len;
	int srv_secrets_differ;
	const char *srv_iface;      /* interface= of the server sections */
	int srv_ifaces_differ;
	/* across sections */
	const char *main_client;
	struct srvsec *srv;
	size_t nsrv, capsrv;
	int nsrv_dropped;
};

#define MAX_LIST 100000             /* hosts/entries kept per section */

static struct line_ref keep(struct pst *p, uint64_t pos, const char *raw, size_t len)
{
	return (struct line_ref){pos, arena_strndup(&p->mem, raw, len), len};
}

static void ev_start(struct pst *p, struct ev *e, unsigned kind, uint64_t pos,
		     const char *raw, size_t len)
{
	ev_init(e, kind, SRC_AUTHPROXY_CFG, p->ctx->in->id, pos);
	e->raw = raw;
	e->raw_len = len;
}

static void put(struct pst *p, struct ev *e)
{
	p->facts++;
	ev_emit(p->ctx->sink, e);
}

/* The proxy would refuse to start: say it in its words. */
static void config_error(struct pst *p, uint64_t pos, const char *raw, size_t len, const char *msg)
{
	struct ev e;
	ev_start(p, &e, EVK_PROXY_CONFIG_ERROR, pos, raw, len);
	e.text = msg;
	e.detail = intern_printf("authproxy.cfg: %s", msg);
	put(p, &e);
}

static void wipe_free(char **v, size_t *n)
{
	if (*v) {
		memset(*v, 0, *n);
		free(*v);
	}
	*v = NULL;
	*n = 0;
}

static void *pcfg_open(const struct format_ctx *ctx)
{
	struct pst *p = xcalloc(1, sizeof *p);
	p->ctx = ctx;
	p->port = -1;
	return p;
}

static long parse_long(const char *s, size_t n, long lo, long hi)
{
	if (!n || n > 9)
		return -1;
	long v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v < lo || v > hi ? -1 : v;
}

static int cmp_nref(const void *a, const void *b)
{
	const struct nref *x = a, *y = b;
	return (x->n > y->n) - (x->n < y->n);
}

/* End of a section: facts that need the whole section (defaults, hosts
 * with their ports, radius_ip_N without a secret). */
static void section_end(struct pst *p)
{
	if (!p->sect)
		return;
	struct ev e;
	if (p->kind == SK_RADIUS_SERVER) {
		long port = p->port >= 0 ? p->port : 1812;
		const struct line_ref *at = p->port >= 0 ? &p->port_at : &p->hdr;
		ev_start(p, &e, EVK_CONFIG_PROXY_SERVER, at->pos, at->raw, at->len);
		e.text = p->sect;
		e.result = intern_cstr("port");
		e.server_port = (int32_t)port;
		e.detail = p->port >= 0 ? intern_printf("[%s] port=%ld", p->sect, port)
					: intern_printf("[%s] port not set: default 1812", p->sect);
		put(p, &e);
		if (!p->nip)
			config_error(p, p->hdr.pos, p->hdr.raw, p->hdr.len,
				     intern_printf("Missing required configuration item: 'radius_ip_1' in [%s]",
						p->sect));
		/* every radius_ip_N needs its radius_secret_N */
		if (p->nip > 1)
			qsort(p->ips, p->nip, sizeof *p->ips, cmp_nref);
		if (p->nsec > 1)
			qsort(p->secrets, p->nsec, sizeof *p->secrets, cmp_nref);
		size_t j = 0;
		for (size_t i = 0; i < p->nip; i++) {
			while (j < p->nsec && p->secrets[j].n < p->ips[i].n)
				j++;
			if (j < p->nsec && p->secrets[j].n == p->ips[i].n)
				continue;
			config_error(p, p->ips[i].at.pos, p->ips[i].at.raw, p->ips[i].at.len,
				     intern_printf("Invalid secret (None) configured for '%s': [%s] has "
						"radius_ip_%ld but no radius_secret_%ld",
						p->ips[i].ip, p->sect, p->ips[i].n, p->ips[i].n));
		}
		if (p->nsrv < MAX_LIST) {
			if (p->nsrv == p->capsrv) {
				p->capsrv = p->capsrv ? p->capsrv * 2 : 8;
				p->srv = xrealloc(p->srv, p->capsrv * sizeof *p->srv);
			}
			p->srv[p->nsrv++] = (struct srvsec){p->sect, p->client, p->hdr};
		}
	} else if (p->kind == SK_RADIUS_CLIENT || p->kind == SK_AD_CLIENT) {
		int ad = p->kind == SK_AD_CLIENT;
		for (size_t i = 0; i < p->nhost; i++) {
			struct host *h = &p->hosts[i];
			long port = ad ? (p->transport && str_ieq(p->transport, "ldaps") ? 636 : 389) : 1812;
			int set = 0;
			if (h->n >= 2 && h->n <= 16 && p->ports[h->n - 1] > 0) {
				port = p->ports[h->n - 1];
				set = 1;
			} else if (p->port >= 0) {
				port = p->port;
				set = 1;
			}
			ev_start(p, &e, EVK_CONFIG_PROXY_UPSTREAM, h->at.pos, h->at.raw, h->at.len);
			e.text = p->sect;
			e.result = intern_cstr("host");
			e.code = (int32_t)h->n;
			e.server_ip = h->addr;
			e.server_port = (int32_t)port;
			e.to = ROLE_PRIMARY;
			char hk[32] = "host";
			if (h->n > 1)
				snprintf(hk, sizeof hk, "host_%ld", h->n);
			e.detail = intern_printf("[%s] %s=%s port %ld%s", p->sect, hk, h->addr, port,
					      set ? "" : " (default)");
			put(p, &e);
		}
		if (!ad && p->client_secret)
			for (size_t i = 0; i < p->nhost; i++)
				conf_secret_publish(p->hosts[i].addr, p->client_secret,
						    p->client_secret_len);
		if (!p->nhost && p->kind == SK_RADIUS_CLIENT)
			config_error(p, p->hdr.pos, p->hdr.raw, p->hdr.len,
				     intern_printf("Missing required configuration item: 'host' in [%s]", p->sect));
		if (!ad) {
			if (!p->have_retries) {
				ev_start(p, &e, EVK_CONFIG_PROXY_UPSTREAM, p->hdr.pos, p->hdr.raw, p->hdr.len);
				e.text = p->sect;
				e.result = intern_cstr("retries");
				e.num = 3;
				e.detail = intern_printf("[%s] retries not set: default 3", p->sect);
				put(p, &e);
			}
			if (!p->have_retry_wait) {
				ev_start(p, &e, EVK_CONFIG_PROXY_UPSTREAM, p->hdr.pos, p->hdr.raw, p->hdr.len);
				e.text = p->sect;
				e.result = intern_cstr("retry_wait");
				e.num = 2;
				e.detail = intern_printf("[%s] retry_wait not set: default 2 s", p->sect);
				put(p, &e);
			}
		} else if (!p->have_timeout) {
			ev_start(p, &e, EVK_CONFIG_PROXY_UPSTREAM, p->hdr.pos, p->hdr.raw, p->hdr.len);
			e.text = p->sect;
			e.result = intern_cstr("timeout");
			e.num = 10;
			e.detail = intern_printf("[%s] timeout not set: default 10 s", p->sect);
			put(p, &e);
		}
	}
	p->sect = NULL;
	p->kind = SK_NONE;
	p->port = -1;
	p->nhost = p->nip = p->nsec = 0;
	memset(p->ports, 0, sizeof p->ports);
	p->transport = NULL;
	p->client = NULL;
	p->have_retries = p->have_retry_wait = p->have_timeout = 0;
	wipe_free(&p->client_secret, &p->client_secret_len);
	p->last_key = NULL;
	ptrset_clear(&p->keys);
}

static void section_start(struct pst *p, const struct pline *pl, uint64_t pos,
			  const char *line, size_t len)
{
	section_end(p);
	p->sect = intern(pl->name, pl->nlen);
	p->kind = section_kind(pl->name, pl->nlen);
	p->hdr = keep(p, pos, line, len);
	if (!ptrset_add(&p->sections, p->sect))
		config_error(p, pos, line, len,
			     intern_printf("Configuration has duplicate sections: '%s'", p->sect));
	if (p->kind == SK_UNKNOWN)
		config_error(p, pos, line, len, intern_printf("Invalid module: '%s'", p->sect));
	struct ev e;
	if (p->kind == SK_RADIUS_SERVER) {
		ev_start(p, &e, EVK_CONFIG_PROXY_SERVER, pos, line, len);
		e.text = p->sect;
		e.result = intern_cstr("section");
		e.detail = intern_printf("[%s] RADIUS server section", p->sect);
		put(p, &e);
	}
}

static struct nref *push_nref(struct nref **v, size_t *n, size_t *cap)
{
	if (*n >= MAX_LIST)
		return NULL;
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		*v = xrealloc(*v, *cap * sizeof **v);
	}
	return &(*v)[(*n)++];
}

/* The line as evidence: a secret's value is replaced. */
static const char *masked(struct sbuf *b, const char *line, const struct pline *pl, int secret,
			  size_t *len)
{
	sbuf_reset(b);
	if (!secret) {
		*len = strlen(line);
		return line;
	}
	if (sbuf_add(b, line, pl->delim + 1) || sbuf_adds(b, pl->vlen ? "<hidden>" : "")) {
		/* capped */
	}
	*len = b->len;
	return sbuf_cstr(b);
}

static void kv(struct pst *p, const struct pline *pl, uint64_t pos, const char *line)
{
	char key[128];
	lower(key, sizeof key, pl->name, pl->nlen);
	const char *ikey = intern_cstr(key);
	p->last_key = ikey;
	int secret = secret_key(key);
	struct sbuf mb;
	sbuf_init(&mb, 1 << 20);
	size_t rlen;
	const char *raw = masked(&mb, line, pl, secret, &rlen);
	if (!p->sect) {
		format_damage(p->ctx, IE_INVALID, pos, "authproxy.cfg: '%s' before any [section]", key);
		sbuf_free(&mb);
		return;
	}
	if (!ptrset_add(&p->keys, ikey))
		config_error(p, pos, raw, rlen,
			     intern_printf("Configuration has duplicated keys in the given section: [%s] %s",
					p->sect, key));
	const char *val = intern(pl->val, pl->vlen);
	struct ev e;
	long num = 0;
	int sfx;
	int handled = 0;

	if (p->kind == SK_RADIUS_SERVER) {
		if ((sfx = suffix(key, "radius_ip", &num)) != -2) {
			handled = 1;
			struct ip_range r;
			const char *why = NULL;
			if (sfx != 1) {
				config_error(p, pos, raw, rlen,
					     intern_printf("Expected integer as suffix for '%s'", key));
			} else if (ip_range_parse(val, &r, &why)) {
				config_error(p, pos, raw, rlen,
					     intern_printf("Invalid IP, network, or range for '%s': '%s' (%s)",
							key, val, why));
			} else {
				ev_start(p, &e, EVK_CONFIG_PROXY_CLIENT, pos, raw, rlen);
				e.text = p->sect;
				e.result = intern_cstr("ip");
				e.code = (int32_t)num;
				e.nas_ip = val;
				e.detail = intern_printf("[%s] %s=%s", p->sect, key, val);
				put(p, &e);
				struct nref *n = push_nref(&p->ips, &p->nip, &p->capip);
				if (n)
					*n = (struct nref){num, val, keep(p, pos, raw, rlen)};
			}
		} else if ((sfx = suffix(key, "radius_secret_protected", &num)) != -2 ||
			   (sfx = suffix(key, "radius_secret", &num)) != -2) {
			handled = 1;
			int prot = !strncmp(key, "radius_secret_protected", 23);
			if (sfx != 1) {
				config_error(p, pos, raw, rlen,
					     intern_printf("Expected integer as suffix for '%s'", key));
			} else {
				ev_start(p, &e, EVK_CONFIG_PROXY_CLIENT, pos, raw, rlen);
				e.text = p->sect;
				e.code = (int32_t)num;
				if (prot) {
					e.result = intern_cstr("secret-protected");
					e.detail = intern_printf("[%s] %s: encrypted for this proxy host "
							      "(cannot be compared)", p->sect, key);
				} else {
					e.result = intern_cstr("secret");
					conf_secret_fp(pl->val, pl->vlen, e.req_auth);
					e.flags |= EVF_SECRET_FP;
					e.detail = intern_printf("[%s] %s (set%s)", p->sect, key,
							      pl->vlen ? "" : ", empty");
					if (conf_secret_wanted() && pl->vlen) {
						if (!p->srv_secret) {
							p->srv_secret = xstrndup(pl->val, pl->vlen);
							p->srv_secret_len = pl->vlen;
						} else if (p->srv_secret_len != pl->vlen ||
							   memcmp(p->srv_secret, pl->val, pl->vlen)) {
							p->srv_secrets_differ = 1;
						}
					}
				}
				put(p, &e);
				struct nref *n = push_nref(&p->secrets, &p->nsec, &p->capsec);
				if (n)
					*n = (struct nref){num, NULL, {pos, NULL, 0}};
				if (!prot && !pl->vlen)
					config_error(p, pos, raw, rlen,
						     intern_printf("Invalid secret (None) configured for '%s'", key));
			}
		} else if (!strcmp(key, "port")) {
			handled = 1;
			long v = parse_long(pl->val, pl->vlen, 1, 65535);
			if (v < 0) {
				config_error(p, pos, raw, rlen, intern_cstr("Invalid value for configuration "
									    "item: 'port' must be an integer"));
			} else {
				p->port = v;
				p->port_at = keep(p, pos, raw, rlen);
			}
		} else if (!strcmp(key, "interface")) {
			handled = 1;
			ev_start(p, &e, EVK_CONFIG_PROXY_SERVER, pos, raw, rlen);
			e.text = p->sect;
			e.result = intern_cstr("interface");
			e.server_ip = val;
			e.detail = intern_printf("[%s] interface=%s", p->sect, val);
			put(p, &e);
			if (p->srv_iface && p->srv_iface != val)
				p->srv_ifaces_differ = 1;
			p->srv_iface = val;
		} else if (!strcmp(key, "failmode")) {
			if (!str_ieq(val, "safe") && !str_ieq(val, "secure"))
				config_error(p, pos, raw, rlen,
					     intern_cstr("Invalid value for configuration item: 'failmode' "
							 "must be one of safe, secure"));
		} else if (!strcmp(key, "client")) {
			p->client = val;
		} else if (!strcmp(key, "api_timeout")) {
			if (parse_long(pl->val, pl->vlen, 0, 100000000) < 0)
				config_error(p, pos, raw, rlen,
					     intern_cstr("Invalid value for configuration item: "
							 "'api_timeout' must be an integer"));
		}
	} else if (p->kind == SK_RADIUS_CLIENT || p->kind == SK_AD_CLIENT) {
		if ((sfx = suffix(key, "host", &num)) != -2) {
			handled = 1;
			if (sfx == -1) {
				config_error(p, pos, raw, rlen,
					     intern_printf("Expected integer as suffix for '%s'", key));
			} else if (p->nhost < MAX_LIST) {
				if (p->nhost == p->caphost) {
					p->caphost = p->caphost ? p->caphost * 2 : 4;
					p->hosts = xrealloc(p->hosts, p->caphost * sizeof *p->hosts);
				}
				p->hosts[p->nhost++] = (struct host){sfx == 0 ? 1 : num, val,
								     keep(p, pos, raw, rlen)};
			}
		} else if ((sfx = suffix(key, "port", &num)) != -2) {
			handled = 1;
			long v = parse_long(pl->val, pl->vlen, 1, 65535);
			if (sfx == -1 || v < 0)
				config_error(p, pos, raw, rlen,
					     intern_printf("Invalid value for configuration item: '%s' must "
							"be an integer", key));
			else if (sfx == 0 || num == 1)
				p->port = v;
			else if (num >= 2 && num <= 16)
				p->ports[num - 1] = v;
		} else if (!strcmp(key, "transport")) {
			p->transport = val;
		} else if (p->kind == SK_RADIUS_CLIENT &&
			   (!strcmp(key, "secret") || !strcmp(key, "secret_protected"))) {
			handled = 1;
			int prot = key[6] == '_';
			ev_start(p, &e, EVK_CONFIG_PROXY_UPSTREAM, pos, raw, rlen);
			e.text = p->sect;
			if (prot) {
				e.result = intern_cstr("secret-protected");
				e.detail = intern_printf("[%s] secret_protected: encrypted for this proxy host",
						      p->sect);
			} else {
				e.result = intern_cstr("secret");
				conf_secret_fp(pl->val, pl->vlen, e.req_auth);
				e.flags |= EVF_SECRET_FP;
				e.detail = intern_printf("[%s] secret (set)", p->sect);
				if (conf_secret_wanted() && pl->vlen) {
					wipe_free(&p->client_secret, &p->client_secret_len);
					p->client_secret = xstrndup(pl->val, pl->vlen);
					p->client_secret_len = pl->vlen;
				}
			}
			put(p, &e);
		} else if ((p->kind == SK_RADIUS_CLIENT &&
			    (!strcmp(key, "retries") || !strcmp(key, "retry_wait"))) ||
			   (p->kind == SK_AD_CLIENT && !strcmp(key, "timeout"))) {
			handled = 1;
			long v = parse_long(pl->val, pl->vlen, 0, 100000000);
			if (v < 0) {
				config_error(p, pos, raw, rlen,
					     intern_printf("Invalid value for configuration item: '%s' must "
							"be an integer", key));
			} else {
				ev_start(p, &e, EVK_CONFIG_PROXY_UPSTREAM, pos, raw, rlen);
				e.text = p->sect;
				e.result = ikey;
				e.num = v;
				e.detail = intern_printf("[%s] %s=%ld", p->sect, key, v);
				put(p, &e);
				if (!strcmp(key, "retries"))
					p->have_retries = 1;
				else if (!strcmp(key, "retry_wait"))
					p->have_retry_wait = 1;
				else
					p->have_timeout = 1;
			}
		}
	} else if (p->kind == SK_MAIN && !strcmp(key, "client")) {
		p->main_client = val;
	} else if ((p->kind == SK_LDAP_SERVER) && !strcmp(key, "client")) {
		p->client = val;
	}

	if (!handled) {
		/* a plain fact: result = key, text = value (never a secret) */
		ev_start(p, &e, EVK_CONFIG, pos, raw, rlen);
		e.result = ikey;
		e.text = secret ? intern_cstr(pl->vlen ? "set" : "empty") : val;
		e.detail = secret ? intern_printf("[%s] %s (%s)", p->sect, key, pl->vlen ? "set" : "empty")
				  : intern_printf("[%s] %s=%s", p->sect, key, val);
		if (!strcmp(key, "api_timeout") || !strcmp(key, "port"))
			e.num = parse_long(pl->val, pl->vlen, 0, 100000000);
		put(p, &e);
	}
	sbuf_free(&mb);
}

static void pcfg_line(void *st, const char *line, size_t len, uint64_t lineno)
{
	struct pst *p = st;
	struct pline pl;
	split_line(line, len, &pl);
	switch (pl.t) {
	case LT_BLANK:
	case LT_COMMENT:
		return;
	case LT_SECTION:
		section_start(p, &pl, lineno, line, len);
		return;
	case LT_KV:
		kv(p, &pl, lineno, line);
		return;
	case LT_CONT:
		if (p->last_key) {
			/* configparser joins it to the previous value; a key=value
			 * here is almost always a mistake */
			if (memchr(pl.val, '=', pl.vlen) || memchr(pl.val, ':', pl.vlen))
				config_error(p, lineno, "", 0,
					     intern_printf("indented line is read as a continuation of "
							"'%s', not as its own key", p->last_key));
			return;
		}
		format_damage(p->ctx, IE_INVALID, lineno,
			      "authproxy.cfg: indented line with nothing to continue");
		return;
	case LT_BAD:
		format_damage(p->ctx, IE_INVALID, lineno,
			      "authproxy.cfg: not a [section], key=value or ; comment");
		return;
	}
}

static void pcfg_close(void *st)
{
	struct pst *p = st;
	section_end(p);
	for (size_t i = 0; i < p->nsrv; i++) {
		const struct srvsec *s = &p->srv[i];
		const char *cl = s->client ? s->client : p->main_client;
		if (!cl) {
			config_error(p, s->at.pos, s->at.raw, s->at.len,
				     intern_printf("Neither module %s or main has \"client\" value", s->name));
		} else if (!ptrset_add(&p->sections, cl)) {
			/* present */
		} else {
			config_error(p, s->at.pos, s->at.raw, s->at.len,
				     intern_printf("[%s] client=%s names a section that is not in the file",
						s->name, cl));
		}
	}
	if (p->srv_secret && !p->srv_secrets_differ)
		conf_secret_publish(p->srv_ifaces_differ ? NULL : p->srv_iface, p->srv_secret,
				    p->srv_secret_len);
	wipe_free(&p->srv_secret, &p->srv_secret_len);
	struct ev e;
	ev_init(&e, EVK_CONFIG_LOADED, SRC_AUTHPROXY_CFG, p->ctx->in->id, 0);
	e.result = intern_cstr("authproxy-cfg");
	e.num = p->facts;
	e.text = intern_cstr("authproxy.cfg");
	ev_emit(p->ctx->sink, &e);
	free(p->hosts);
	free(p->ips);
	free(p->secrets);
	free(p->srv);
	free(p->keys.v);
	free(p->sections.v);
	arena_free(&p->mem);
	free(p);
}

/* ---- sniff ---- */

static int pcfg_sniff(const uint8_t *head, size_t n)
{
	const char *s = (const char *)head, *end = s + n;
	int known = 0, kvs = 0, hints = 0, other = 0;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *le = nl ? nl : end;
		if (!nl && end - s > 0 && n == SNIFF_HEAD)
			break;              /* a cut line */
		struct pline pl;
		size_t len = (size_t)(le - s);
		if (len && s[len - 1] == '\r')
			len--;
		split_line(s, len, &pl);
		if (pl.t == LT_SECTION) {
			if (section_kind(pl.name, pl.nlen) != SK_UNKNOWN)
				known++;
			else
				other++;
		} else if (pl.t == LT_KV) {
			kvs++;
			char k[64];
			lower(k, sizeof k, pl.name, pl.nlen);
			if (!strncmp(k, "radius_ip_", 10) || !strcmp(k, "ikey") || !strcmp(k, "skey") ||
			    !strcmp(k, "api_host") || !strncmp(k, "radius_secret", 13))
				hints++;
		} else if (pl.t == LT_BAD) {
			other++;
		}
		s = le + 1;
	}
	if (known && known + kvs > other * 2)
		return 90;
	if (hints >= 2 && kvs > other * 2)
		return 60;
	return 0;
}

const struct format fmt_authproxy_cfg = {
	.name = "authproxy-cfg",
	.kind = SRC_AUTHPROXY_CFG,
	.flags = FMT_TEXT,
	.sniff = pcfg_sniff,
	.open = pcfg_open,
	.line = pcfg_line,
	.close = pcfg_close,
};
