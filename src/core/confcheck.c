/* \summary: config comparison: router RADIUS config vs the Duo proxy's */
#include "core/confcheck.h"

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "core/input.h"
#include "core/iprange.h"
#include "core/str.h"

/* ---- secret fingerprints ---- */

static uint8_t fp_key[32];
static int fp_key_set;

void conf_secret_fp(const void *secret, size_t n, uint8_t out[16])
{
	if (!fp_key_set) {
		if (getrandom(fp_key, sizeof fp_key, 0) != (ssize_t)sizeof fp_key) {
			/* no entropy source: still a per-process key, only weaker */
			uint64_t seed[4] = {(uint64_t)time(NULL), (uint64_t)getpid(),
					    (uint64_t)(uintptr_t)&seed, (uint64_t)clock()};
			unsigned int l = sizeof fp_key;
			HMAC(EVP_sha256(), seed, sizeof seed, (const unsigned char *)"authscope", 9,
			     fp_key, &l);
		}
		fp_key_set = 1;
	}
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	HMAC(EVP_sha256(), fp_key, sizeof fp_key, secret, n, md, &len);
	memcpy(out, md, 16);
	OPENSSL_cleanse(md, sizeof md);
}

static conf_secret_fn secret_fn;
static void *secret_ctx;

void conf_secret_receiver(conf_secret_fn fn, void *ctx)
{
	secret_fn = fn;
	secret_ctx = ctx;
}

int conf_secret_wanted(void)
{
	return secret_fn != NULL;
}

void conf_secret_publish(const char *server_ip, const void *secret, size_t n)
{
	if (secret_fn && n)
		secret_fn(secret_ctx, server_ip, secret, n);
}

/* ---- the facts ---- */

#define CC_CITES 6              /* lines kept per fact */
#define CC_MAX_OBJ 100000       /* objects per kind, for the whole run */

struct cite {
	uint32_t input;
	uint64_t pos;
	uint8_t src;
	const char *raw;            /* arena copy (already masked by the parser) */
	size_t len;
};

struct cites {
	struct cite v[CC_CITES];
	uint8_t n;
};

struct rsrv {                   /* a router's RADIUS server */
	uint32_t input;
	const char *name;
	int32_t used;               /* code of the server fact; -1 none yet */
	const char *ip, *src;
	int32_t port;
	int64_t timeout, retr;      /* -1 unknown */
	int32_t key_code;
	uint8_t has_key, key_fp_ok, fp[16];
	const char *used_d, *timeout_d, *retr_d, *key_d, *src_d, *addr_d;
	struct cites c_server, c_addr, c_timeout, c_retr, c_key, c_src;
};

struct psect {                  /* a [radius_server_*] section */
	uint32_t input;
	const char *name, *iface, *port_d;
	int32_t port;               /* -1 until the port fact */
	struct cites c_hdr, c_port;
};

enum { SEC_NONE, SEC_PLAIN, SEC_PROTECTED };

struct pentry {                 /* radius_ip_N + radius_secret_N */
	uint32_t input;
	const char *section, *range, *secret_d;
	int32_t n;
	uint8_t secret, fp[16];
	struct ip_range r;
	uint8_t range_ok;
	struct cites c_ip, c_secret;
};

struct cin {
	uint32_t input;
	uint8_t src, loaded;
};

#define VEC(T) struct { T *v; size_t n, cap; }
#define VEC_GROW(vec) do { \
	if ((vec).n == (vec).cap) { \
		(vec).cap = (vec).cap ? (vec).cap * 2 : 16; \
		(vec).v = xrealloc((vec).v, (vec).cap * sizeof *(vec).v); \
	} } while (0)

/* object lookup: (type, input, name, n) -> index + 1 */
struct slot {
	const char *name;
	uint32_t input, idx1;
	int32_t n;
	uint8_t type;
};

struct confcheck {
	struct ev_sink *out;
	struct arena arena;
	VEC(struct rsrv) srv;
	VEC(struct psect) sect;
	VEC(struct pentry) ent;
	VEC(struct cin) in;
	struct slot *tab;
	size_t tabcap, tabn;
	uint64_t dropped;
	int emitting;
};

struct confcheck *confcheck_new(struct ev_sink *out)
{
	struct confcheck *c = xcalloc(1, sizeof *c);
	c->out = out;
	return c;
}

void confcheck_free(struct confcheck *c)
{
	if (!c)
		return;
	free(c->srv.v);
	free(c->sect.v);
	free(c->ent.v);
	free(c->in.v);
	free(c->tab);
	arena_free(&c->arena);
	free(c);
}

static size_t slot_hash(uint8_t type, uint32_t input, const char *name, int32_t n)
{
	uint64_t h = (uint64_t)(uintptr_t)name * 0x9e3779b97f4a7c15ull;
	h ^= ((uint64_t)input << 8 | type) * 0xc2b2ae3d27d4eb4full;
	h ^= (uint64_t)(uint32_t)n * 0x165667b19e3779f9ull;
	return (size_t)(h ^ (h >> 29));
}

static uint32_t tab_get(struct confcheck *c, uint8_t type, uint32_t input, const char *name,
			int32_t n)
{
	if (!c->tabcap)
		return 0;
	for (size_t i = slot_hash(type, input, name, n) & (c->tabcap - 1);; i = (i + 1) & (c->tabcap - 1)) {
		struct slot *s = &c->tab[i];
		if (!s->idx1)
			return 0;
		if (s->type == type && s->input == input && s->name == name && s->n == n)
			return s->idx1;
	}
}

static void tab_put(struct confcheck *c, uint8_t type, uint32_t input, const char *name,
		    int32_t n, uint32_t idx1)
{
	if ((c->tabn + 1) * 2 > c->tabcap) {
		size_t oc = c->tabcap;
		struct slot *old = c->tab;
		c->tabcap = oc ? oc * 2 : 256;
		c->tab = xcalloc(c->tabcap, sizeof *c->tab);
		c->tabn = 0;
		for (size_t i = 0; i < oc; i++)
			if (old[i].idx1)
				tab_put(c, old[i].type, old[i].input, old[i].name, old[i].n, old[i].idx1);
		free(old);
	}
	size_t i = slot_hash(type, input, name, n) & (c->tabcap - 1);
	while (c->tab[i].idx1)
		i = (i + 1) & (c->tabcap - 1);
	c->tab[i] = (struct slot){name, input, idx1, n, type};
	c->tabn++;
}

static struct cin *get_in(struct confcheck *c, uint32_t input, uint8_t src)
{
	for (size_t i = 0; i < c->in.n; i++)
		if (c->in.v[i].input == input)
			return &c->in.v[i];
	VEC_GROW(c->in);
	struct cin *x = &c->in.v[c->in.n++];
	*x = (struct cin){input, src, 0};
	return x;
}

static struct rsrv *get_srv(struct confcheck *c, const struct ev *e)
{
	uint32_t k = tab_get(c, 1, e->input, e->text, 0);
	if (k)
		return &c->srv.v[k - 1];
	if (c->srv.n >= CC_MAX_OBJ) {
		c->dropped++;
		return NULL;
	}
	VEC_GROW(c->srv);
	struct rsrv *s = &c->srv.v[c->srv.n++];
	memset(s, 0, sizeof *s);
	s->input = e->input;
	s->name = e->text;
	s->used = -1;
	s->port = -1;
	s->timeout = s->retr = -1;
	s->key_code = -1;
	tab_put(c, 1, e->input, e->text, 0, (uint32_t)c->srv.n);
	return s;
}

static struct psect *get_sect(struct confcheck *c, uint32_t input, const char *name)
{
	uint32_t k = tab_get(c, 2, input, name, 0);
	if (k)
		return &c->sect.v[k - 1];
	if (c->sect.n >= CC_MAX_OBJ) {
		c->dropped++;
		return NULL;
	}
	VEC_GROW(c->sect);
	struct psect *s = &c->sect.v[c->sect.n++];
	memset(s, 0, sizeof *s);
	s->input = input;
	s->name = name;
	s->port = -1;
	tab_put(c, 2, input, name, 0, (uint32_t)c->sect.n);
	return s;
}

static struct pentry *get_ent(struct confcheck *c, const struct ev *e)
{
	uint32_t k = tab_get(c, 3, e->input, e->text, e->code);
	if (k)
		return &c->ent.v[k - 1];
	if (c->ent.n >= CC_MAX_OBJ) {
		c->dropped++;
		return NULL;
	}
	VEC_GROW(c->ent);
	struct pentry *p = &c->ent.v[c->ent.n++];
	memset(p, 0, sizeof *p);
	p->input = e->input;
	p->section = e->text;
	p->n = e->code;
	tab_put(c, 3, e->input, e->text, e->code, (uint32_t)c->ent.n);
	return p;
}

static void cite_add(struct confcheck *c, struct cites *cs, const struct ev *e)
{
	for (unsigned i = 0; i < cs->n; i++)
		if (cs->v[i].input == e->input && cs->v[i].pos == e->pos)
			return;
	if (cs->n >= CC_CITES)
		return;
	struct cite *x = &cs->v[cs->n++];
	x->input = e->input;
	x->pos = e->pos;
	x->src = e->src;
	x->len = e->raw ? e->raw_len : 0;
	x->raw = arena_strndup(&c->arena, e->raw ? e->raw : "", x->len);
}

/* ---- collecting ---- */

static void on_router(struct confcheck *c, const struct ev *e)
{
	if (!e->text || !e->result)
		return;
	struct rsrv *s = get_srv(c, e);
	if (!s)
		return;
	const char *r = e->result;
	if (!strcmp(r, "server")) {
		s->used = e->code;
		s->used_d = e->detail;
		cite_add(c, &s->c_server, e);
	} else if (!strcmp(r, "address")) {
		s->ip = e->server_ip;
		s->port = e->server_port;
		s->addr_d = e->detail;
		cite_add(c, &s->c_addr, e);
	} else if (!strcmp(r, "timeout")) {
		s->timeout = e->num;
		s->timeout_d = e->detail;
		cite_add(c, &s->c_timeout, e);
	} else if (!strcmp(r, "retransmit")) {
		s->retr = e->num;
		s->retr_d = e->detail;
		cite_add(c, &s->c_retr, e);
	} else if (!strcmp(r, "key")) {
		s->has_key = 1;
		s->key_code = e->code;
		s->key_d = e->detail;
		s->key_fp_ok = !!(e->flags & EVF_SECRET_FP);
		if (s->key_fp_ok)
			memcpy(s->fp, e->req_auth, 16);
		cite_add(c, &s->c_key, e);
	} else if (!strcmp(r, "source")) {
		s->src = e->nas_ip;
		s->src_d = e->detail;
		cite_add(c, &s->c_src, e);
	}
}

static void on_proxy_server(struct confcheck *c, const struct ev *e)
{
	if (!e->text || !e->result)
		return;
	struct psect *s = get_sect(c, e->input, e->text);
	if (!s)
		return;
	if (!strcmp(e->result, "section")) {
		cite_add(c, &s->c_hdr, e);
	} else if (!strcmp(e->result, "port")) {
		s->port = e->server_port;
		s->port_d = e->detail;
		cite_add(c, &s->c_port, e);
	} else if (!strcmp(e->result, "interface")) {
		s->iface = e->server_ip;
	}
}

static void on_proxy_client(struct confcheck *c, const struct ev *e)
{
	if (!e->text || !e->result || e->code < 0)
		return;
	struct pentry *p = get_ent(c, e);
	if (!p)
		return;
	if (!strcmp(e->result, "ip")) {
		p->range = e->nas_ip;
		p->range_ok = e->nas_ip && !ip_range_parse(e->nas_ip, &p->r, NULL);
		cite_add(c, &p->c_ip, e);
	} else if (!strcmp(e->result, "secret") || !strcmp(e->result, "secret-protected")) {
		p->secret = (e->flags & EVF_SECRET_FP) ? SEC_PLAIN : SEC_PROTECTED;
		if (p->secret == SEC_PLAIN)
			memcpy(p->fp, e->req_auth, 16);
		p->secret_d = e->detail;
		cite_add(c, &p->c_secret, e);
	}
}

/* ---- emitting ---- */

static const char *ref1(char *out, size_t n, const struct cites *cs)
{
	if (!cs->n) {
		snprintf(out, n, "?");
		return out;
	}
	input_ref(out, n, cs->v[0].input, cs->v[0].pos);
	return out;
}

struct emitspec {
	const char *result;
	const char *text, *detail;
	const struct rsrv *s;
	int64_t num;
	const struct cites *lists[12];
	size_t nlists;
};

static void emit(struct confcheck *c, struct emitspec *x)
{
	const char *text = intern_cstr(x->text);
	const char *detail = intern_cstr(x->detail);
	const char *result = intern_cstr(x->result);
	struct cite seen[64];
	size_t nseen = 0;
	c->emitting++;
	for (size_t l = 0; l < x->nlists; l++) {
		const struct cites *cs = x->lists[l];
		if (!cs)
			continue;
		for (unsigned i = 0; i < cs->n; i++) {
			const struct cite *ct = &cs->v[i];
			int dup = 0;
			for (size_t j = 0; j < nseen; j++)
				if (seen[j].input == ct->input && seen[j].pos == ct->pos)
					dup = 1;
			if (dup || nseen == sizeof seen / sizeof *seen)
				continue;
			seen[nseen++] = *ct;
			struct ev e;
			ev_init(&e, EVK_CONFIG_CHECK, ct->src, ct->input, ct->pos);
			e.result = result;
			e.text = text;
			e.detail = detail;
			e.num = x->num;
			if (x->s) {
				e.server_ip = x->s->ip;
				e.server_port = x->s->port;
				e.nas_ip = x->s->src;
			}
			e.raw = ct->raw;
			e.raw_len = ct->len;
			ev_emit(c->out, &e);
		}
	}
	c->emitting--;
}

static int used(const struct rsrv *s)
{
	return s->used > 0;
}

static void check_timeout(struct confcheck *c, struct rsrv *s)
{
	if (s->timeout < 0)
		return;
	int64_t retr = s->retr < 0 ? 0 : s->retr;
	int64_t total = s->timeout * (retr + 1);
	struct sbuf t, d;
	sbuf_init(&t, 4096);
	sbuf_init(&d, 1024);
	char r1[512], r2[512];
	struct emitspec x = {.s = s, .num = total * 1000000};
	if (total < DUO_PUSH_WAIT_S) {
		x.result = "timeout-short";
		if (sbuf_printf(&t, "the router gives RADIUS server %s %lld s per try x (%lld retransmits + 1)"
				" = %lld s, less than the %d s the Duo proxy may take for a push "
				"(%s: %s; %s: %s)",
				s->name, (long long)s->timeout, (long long)retr, (long long)total,
				DUO_PUSH_WAIT_S, ref1(r1, sizeof r1, &s->c_timeout),
				s->timeout_d ? s->timeout_d : "timeout",
				ref1(r2, sizeof r2, &s->c_retr), s->retr_d ? s->retr_d : "retransmit") ||
		    sbuf_printf(&d, "%s: %s", r1, s->timeout_d ? s->timeout_d : "timeout")) {
			/* capped */
		}
	} else {
		x.result = "ok";
		if (sbuf_printf(&t, "timeout: RADIUS server %s waits %lld s x (%lld retransmits + 1)"
				" = %lld s, enough for a Duo push (%d s)",
				s->name, (long long)s->timeout, (long long)retr, (long long)total,
				DUO_PUSH_WAIT_S) ||
		    sbuf_printf(&d, "%s: %s", ref1(r1, sizeof r1, &s->c_timeout),
				s->timeout_d ? s->timeout_d : "timeout")) {
			/* capped */
		}
	}
	x.text = sbuf_cstr(&t);
	x.detail = sbuf_cstr(&d);
	x.lists[x.nlists++] = &s->c_timeout;
	x.lists[x.nlists++] = &s->c_retr;
	x.lists[x.nlists++] = &s->c_server;
	emit(c, &x);
	sbuf_free(&t);
	sbuf_free(&d);
}

static int sect_is_candidate(const struct psect *const *cand, size_t ncand, const struct pentry *p)
{
	for (size_t i = 0; i < ncand; i++)
		if (cand[i]->name == p->section)
			return 1;
	return 0;
}

static void sect_list(struct sbuf *b, const struct psect *const *v, size_t n, int with_port)
{
	for (size_t i = 0; i < n && i < 8; i++) {
		char r[512];
		if (with_port)
			ref1(r, sizeof r, v[i]->c_port.n ? &v[i]->c_port : &v[i]->c_hdr);
		if (sbuf_printf(b, "%s[%s]", i ? ", " : "", v[i]->name) ||
		    (with_port && sbuf_printf(b, " port %d (%s)", v[i]->port, r))) {
			/* capped */
		}
	}
	if (n > 8 && sbuf_printf(b, ", ...")) {
		/* capped */
	}
}

#define MAXCAND 64

static void check_server_pair(struct confcheck *c, struct rsrv *s, uint32_t pin)
{
	const struct psect *all[MAXCAND], *cand[MAXCAND];
	size_t nall = 0, ncand = 0;
	for (size_t i = 0; i < c->sect.n && nall < MAXCAND; i++) {
		const struct psect *p = &c->sect.v[i];
		if (p->input != pin)
			continue;
		all[nall++] = p;
		if (p->port == s->port && (!p->iface || !s->ip || !strcmp(p->iface, s->ip)))
			cand[ncand++] = p;
	}
	if (!nall)
		return;                 /* no RADIUS server section: nothing to compare */
	char rs[512], rp[512], path[512];
	input_ref(path, sizeof path, pin, 0);
	struct sbuf t, d;
	sbuf_init(&t, 4096);
	sbuf_init(&d, 1024);

	/* port */
	{
		struct emitspec x = {.s = s, .num = -1};
		ref1(rs, sizeof rs, &s->c_addr);
		if (!ncand) {
			x.result = "port-differs";
			if (sbuf_printf(&t, "the router sends RADIUS for server %s to %s auth-port %d (%s: %s) but no "
					"section of %s listens on that port: ",
					s->name, s->ip ? s->ip : "?", s->port, rs, s->addr_d ? s->addr_d : "address",
					path)) {
				/* capped */
			}
			sect_list(&t, all, nall, 1);
			if (sbuf_printf(&d, "%s: %s (or port= in %s [%s])", rs,
					s->addr_d ? s->addr_d : "address", path, all[0]->name)) {
				/* capped */
			}
		} else {
			x.result = "ok";
			if (sbuf_printf(&t, "port: RADIUS server %s auth-port %d matches ", s->name, s->port)) {
				/* capped */
			}
			sect_list(&t, cand, ncand, 0);
			if (sbuf_printf(&t, " of %s", path) || sbuf_printf(&d, "%s", rs)) {
				/* capped */
			}
		}
		x.text = sbuf_cstr(&t);
		x.detail = sbuf_cstr(&d);
		x.lists[x.nlists++] = &s->c_addr;
		for (size_t i = 0; i < (ncand ? ncand : nall) && x.nlists < 8; i++)
			x.lists[x.nlists++] = ncand ? &cand[i]->c_port : &all[i]->c_port;
		emit(c, &x);
		sbuf_reset(&t);
		sbuf_reset(&d);
		if (!ncand) {
			memcpy(cand, all, nall * sizeof *all);
			ncand = nall;
		}
	}

	/* client: the router's source address against radius_ip_N */
	struct pentry *match = NULL;
	struct ip_addr src;
	int src_ok = s->src && !ip_parse(s->src, strlen(s->src), &src);
	size_t nent = 0;
	const struct pentry *ents[16];
	for (size_t i = 0; i < c->ent.n; i++) {
		struct pentry *p = &c->ent.v[i];
		if (p->input != pin || !p->c_ip.n || !sect_is_candidate(cand, ncand, p))
			continue;
		if (nent < 16)
			ents[nent] = p;
		nent++;
		/* the first section that holds the address, its lowest N */
		if (src_ok && p->range_ok && ip_range_contains(&p->r, &src) &&
		    (!match || (p->section == match->section && p->n < match->n)))
			match = p;
	}
	{
		struct emitspec x = {.s = s, .num = -1};
		if (src_ok) {
			x.lists[x.nlists++] = &s->c_src;
			ref1(rs, sizeof rs, &s->c_src);
			if (match) {
				x.result = "ok";
				if (sbuf_printf(&t, "client: the router's RADIUS source address %s (server %s) is in "
						"radius_ip_%d=%s of [%s] (%s)", s->src, s->name, match->n,
						match->range, match->section, ref1(rp, sizeof rp, &match->c_ip)) ||
				    sbuf_printf(&d, "%s", rp)) {
					/* capped */
				}
				x.lists[x.nlists++] = &match->c_ip;
			} else {
				x.result = "client-missing";
				if (sbuf_printf(&t, "the router sends RADIUS for server %s from %s (%s) and %s has "
						"no radius_ip_N that contains it (",
						s->name, s->src, s->src_d ? s->src_d : rs, path)) {
					/* capped */
				}
				for (size_t i = 0; i < nent && i < 16; i++)
					if (sbuf_printf(&t, "%s[%s] radius_ip_%d=%s", i ? ", " : "",
							ents[i]->section, ents[i]->n,
							ents[i]->range ? ents[i]->range : "?")) {
						/* capped */
					}
				if (sbuf_printf(&t, "%s): the proxy drops its requests as an unknown client",
						nent ? "" : "none configured") ||
				    sbuf_printf(&d, "%s [%s]: add radius_ip_N=%s with its radius_secret_N "
						"(or change %s)", path, cand[0]->name, s->src, rs)) {
					/* capped */
				}
				for (size_t i = 0; i < nent && i < 16 && x.nlists < 10; i++)
					x.lists[x.nlists++] = &ents[i]->c_ip;
				if (!nent)
					x.lists[x.nlists++] = &cand[0]->c_hdr;
			}
		} else {
			x.result = "client-unknown";
			if (sbuf_printf(&t, "the router's RADIUS source address for server %s is unknown (%s), so "
					"it could not be checked against radius_ip_N of %s",
					s->name, s->src_d ? s->src_d : "no source address in the config", path) ||
			    sbuf_printf(&d, "%s: set `ip radius source-interface IF` (global, or under the "
					"aaa group server radius)", ref1(rs, sizeof rs, &s->c_server))) {
				/* capped */
			}
			x.lists[x.nlists++] = s->c_src.n ? &s->c_src : &s->c_server;
		}
		x.text = sbuf_cstr(&t);
		x.detail = sbuf_cstr(&d);
		emit(c, &x);
		sbuf_reset(&t);
		sbuf_reset(&d);
	}

	/* secret: the router's key against radius_secret_N (of the matching
	 * entry, or of every candidate entry when it cannot be pinned) */
	if (!s->has_key && !nent)
		goto out;
	{
		struct emitspec x = {.s = s, .num = -1};
		char rk[512];
		ref1(rk, sizeof rk, s->has_key ? &s->c_key : &s->c_server);
		const char *kd = s->key_d ? s->key_d : "key";
		x.lists[x.nlists++] = s->has_key ? &s->c_key : &s->c_server;
		size_t nset = 0, nprot = 0, nplain = 0, nequal = 0;
		const struct pentry *eq = NULL, *prot = NULL, *plain = NULL, *unset = NULL;
		const struct pentry *one = match;
		for (size_t i = 0; i < c->ent.n; i++) {
			const struct pentry *p = &c->ent.v[i];
			if (p->input != pin || !p->c_ip.n || !sect_is_candidate(cand, ncand, p))
				continue;
			if (one && p != one)
				continue;
			nset++;
			if (p->secret == SEC_PROTECTED) {
				nprot++;
				prot = prot ? prot : p;
			} else if (p->secret == SEC_PLAIN) {
				nplain++;
				plain = plain ? plain : p;
				if (s->key_fp_ok && !memcmp(p->fp, s->fp, 16)) {
					nequal++;
					eq = eq ? eq : p;
				}
			} else {
				unset = unset ? unset : p;
			}
		}
		const char *scope = one ? "" : " (the router's source address could not be pinned to one "
					   "radius_ip_N, so every entry was compared)";
		if (!nset) {
			goto out;
		} else if (!s->has_key) {
			x.result = "secret-differs";
			if (sbuf_printf(&t, "RADIUS server %s has no key on the router (%s), but %s expects "
					"radius_secret_N", s->name, rk, path) ||
			    sbuf_printf(&d, "%s: add `key` under radius server %s", rk, s->name)) {
				/* capped */
			}
		} else if (nequal) {
			x.result = "ok";
			if (sbuf_printf(&t, "secret: the router's key for %s (%s) equals radius_secret_%d of [%s] "
					"(%s)%s", s->name, rk, eq->n, eq->section,
					ref1(rp, sizeof rp, &eq->c_secret), scope) ||
			    sbuf_printf(&d, "%s", rk)) {
				/* capped */
			}
			x.lists[x.nlists++] = &eq->c_secret;
		} else if (!s->key_fp_ok || nprot) {
			x.result = "secret-uncomparable";
			const struct pentry *p = prot ? prot : plain ? plain : unset;
			if (!s->key_fp_ok) {
				if (sbuf_printf(&t, "the router's key for RADIUS server %s was not compared "
						"with radius_secret_%d of [%s] (%s): %s: %s%s",
						s->name, p->n, p->section,
						ref1(rp, sizeof rp, p->c_secret.n ? &p->c_secret : &p->c_ip),
						rk, kd, scope) ||
				    sbuf_printf(&d, "%s: compare this key with %s by hand", rk, rp)) {
					/* capped */
				}
			} else {
				if (sbuf_printf(&t, "radius_secret_protected_%d of [%s] (%s) is encrypted for the "
						"proxy host, so it was not compared with the router's key for %s (%s)%s",
						prot->n, prot->section, ref1(rp, sizeof rp, &prot->c_secret),
						s->name, rk, scope) ||
				    sbuf_printf(&d, "%s: compare by hand with %s", rp, rk)) {
					/* capped */
				}
			}
			x.lists[x.nlists++] = p->c_secret.n ? &p->c_secret : &p->c_ip;
		} else {
			x.result = "secret-differs";
			const struct pentry *p = plain ? plain : unset;
			if (p->secret == SEC_NONE) {
				if (sbuf_printf(&t, "[%s] radius_ip_%d (%s) has no radius_secret_%d, so the proxy "
						"cannot share the router's key for %s (%s)", p->section, p->n,
						ref1(rp, sizeof rp, &p->c_ip), p->n, s->name, rk) ||
				    sbuf_printf(&d, "%s: add radius_secret_%d", rp, p->n)) {
					/* capped */
				}
				x.lists[x.nlists++] = &p->c_ip;
			} else {
				if (sbuf_printf(&t, "the router's key for RADIUS server %s (%s: %s) differs from "
						"radius_secret_%d of [%s] (%s)%s",
						s->name, rk, kd, p->n, p->section,
						ref1(rp, sizeof rp, &p->c_secret), scope) ||
				    sbuf_printf(&d, "%s (key under radius server %s) or %s (radius_secret_%d)",
						rk, s->name, rp, p->n)) {
					/* capped */
				}
				for (size_t i = 0; i < c->ent.n && x.nlists < 10; i++) {
					const struct pentry *q = &c->ent.v[i];
					if (q->input == pin && q->c_secret.n && sect_is_candidate(cand, ncand, q) &&
					    (!one || q == one))
						x.lists[x.nlists++] = &q->c_secret;
				}
			}
		}
		x.text = sbuf_cstr(&t);
		x.detail = sbuf_cstr(&d);
		emit(c, &x);
	}
out:
	sbuf_free(&t);
	sbuf_free(&d);
}

static int router_has_used(const struct confcheck *c, uint32_t rin)
{
	for (size_t i = 0; i < c->srv.n; i++)
		if (c->srv.v[i].input == rin && used(&c->srv.v[i]))
			return 1;
	return 0;
}

static void check_pair(struct confcheck *c, uint32_t rin, uint32_t pin)
{
	if (!router_has_used(c, rin))
		return;
	for (size_t i = 0; i < c->srv.n; i++) {
		struct rsrv *s = &c->srv.v[i];
		if (s->input == rin && used(s) && s->ip && s->c_addr.n)
			check_server_pair(c, s, pin);
	}
}

static void on_loaded(struct confcheck *c, const struct ev *e)
{
	struct cin *x = get_in(c, e->input, e->src);
	if (x->loaded)
		return;
	x->loaded = 1;
	uint32_t me = x->input;
	uint8_t src = x->src;
	if (src == SRC_IOS_CONFIG) {
		for (size_t i = 0; i < c->srv.n; i++)
			if (c->srv.v[i].input == me && used(&c->srv.v[i]))
				check_timeout(c, &c->srv.v[i]);
	}
	for (size_t i = 0; i < c->in.n; i++) {
		const struct cin *o = &c->in.v[i];
		if (!o->loaded || o->input == me)
			continue;
		if (src == SRC_IOS_CONFIG && o->src == SRC_AUTHPROXY_CFG)
			check_pair(c, me, o->input);
		else if (src == SRC_AUTHPROXY_CFG && o->src == SRC_IOS_CONFIG)
			check_pair(c, o->input, me);
	}
}

void confcheck_on_event(struct confcheck *c, const struct ev *e)
{
	if (!c || c->emitting)
		return;
	switch (e->kind) {
	case EVK_CONFIG_ROUTER_RADIUS:
		get_in(c, e->input, e->src);
		on_router(c, e);
		break;
	case EVK_CONFIG_PROXY_SERVER:
		get_in(c, e->input, e->src);
		on_proxy_server(c, e);
		break;
	case EVK_CONFIG_PROXY_CLIENT:
		get_in(c, e->input, e->src);
		on_proxy_client(c, e);
		break;
	case EVK_CONFIG_LOADED:
		if (e->src == SRC_IOS_CONFIG || e->src == SRC_AUTHPROXY_CFG)
			on_loaded(c, e);
		break;
	default:
		break;
	}
}

void confcheck_finish(struct confcheck *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->in.n; i++) {
		if (c->in.v[i].loaded)
			continue;
		struct ev e;
		ev_init(&e, EVK_CONFIG_LOADED, c->in.v[i].src, c->in.v[i].input, 0);
		on_loaded(c, &e);
	}
}
