/* \summary: Cisco IOS / IOS XE running-config (show running-config) */
#include "parsers/config_ios.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/confcheck.h"
#include "core/input.h"
#include "core/iprange.h"
#include "core/str.h"

#define IOS_DEF_TIMEOUT 5
#define IOS_DEF_RETRANSMIT 3
#define IOS_DEF_AUTH_PORT 1645
#define IOS_DEF_ACCT_PORT 1646
#define MAX_OBJ 20000           /* per kind: a config with more is not a router's */
#define MAX_TOK 40
#define IFSCAN_BUDGET 20000000  /* abbreviated interface names resolved by scan */
#define ROUTE_BUDGET 20000000   /* interfaces + routes searched for source addresses */

/* ---- small helpers ---- */

struct tok {
	const char *p;
	size_t n;
};

static size_t tokenize(const char *s, size_t n, struct tok *t, size_t max)
{
	size_t k = 0, i = 0;
	while (i < n && k < max) {
		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i == n)
			break;
		size_t b = i;
		while (i < n && s[i] != ' ' && s[i] != '\t')
			i++;
		t[k++] = (struct tok){s + b, i - b};
	}
	return k;
}

static int teq(const struct tok *t, const char *w)
{
	size_t l = strlen(w);
	return t->n == l && !memcmp(t->p, w, l);
}

static int tieq(const struct tok *t, const char *w)
{
	size_t l = strlen(w);
	if (t->n != l)
		return 0;
	for (size_t i = 0; i < l; i++) {
		char a = t->p[i], b = w[i];
		if (a >= 'A' && a <= 'Z')
			a = (char)(a + 32);
		if (a != b)
			return 0;
	}
	return 1;
}

static long tnum(const struct tok *t, long lo, long hi)
{
	if (!t->n || t->n > 9)
		return -1;
	long v = 0;
	for (size_t i = 0; i < t->n; i++) {
		if (t->p[i] < '0' || t->p[i] > '9')
			return -1;
		v = v * 10 + (t->p[i] - '0');
	}
	return v < lo || v > hi ? -1 : v;
}

static const char *tintern(const struct tok *t)
{
	return intern(t->p, t->n);
}

/* the rest of the line from token t on, trailing blanks trimmed */
static struct tok rest(const struct tok *t, const char *line, size_t n)
{
	const char *e = line + n;
	while (e > t->p && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	return (struct tok){t->p, (size_t)(e - t->p)};
}

int ios_type7_decode(const char *enc, size_t n, char *out, size_t outsz)
{
	static const char xlat[] = "dsfd;kfoA,.iyewrkldJKDHSUBsgvca69834ncxv9873254k;fg87";
	const size_t xl = sizeof xlat - 1;
	if (n < 4 || n % 2 || enc[0] < '0' || enc[0] > '9' || enc[1] < '0' || enc[1] > '9')
		return -1;
	size_t seed = (size_t)(enc[0] - '0') * 10 + (size_t)(enc[1] - '0');
	if (seed >= xl)
		return -1;
	size_t len = (n - 2) / 2;
	if (len + 1 > outsz)
		return -1;
	for (size_t i = 0; i < len; i++) {
		int v = 0;
		for (int j = 0; j < 2; j++) {
			char c = enc[2 + 2 * i + (size_t)j];
			int d = c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10
				: c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
			if (d < 0)
				return -1;
			v = v * 16 + d;
		}
		out[i] = (char)(v ^ xlat[(seed + i) % xl]);
		if (out[i] == 0)
			return -1;
	}
	out[len] = 0;
	return (int)len;
}

static int secret_word(const struct tok *t)
{
	static const char *const w[] = {"key", "password", "secret", "pre-shared-key", "key-string",
					"community", NULL};
	for (size_t i = 0; w[i]; i++)
		if (tieq(t, w[i]))
			return 1;
	return 0;
}

size_t ios_mask_line(const char *line, size_t n, char *out, size_t outsz)
{
	if (!outsz)
		return 0;
	struct tok t[MAX_TOK];
	size_t k = tokenize(line, n, t, MAX_TOK);
	size_t cut = n;             /* bytes kept as they are */
	for (size_t i = 0; i + 1 < k; i++) {
		if (!secret_word(&t[i]))
			continue;
		size_t v = i + 1;
		if ((tieq(&t[v], "local") || tieq(&t[v], "remote")) && v + 1 < k)
			v++;        /* pre-shared-key local|remote K */
		if (t[v].n == 1 && t[v].p[0] >= '0' && t[v].p[0] <= '9' && v + 1 < k)
			v++;        /* the type digit stays */
		cut = (size_t)(t[v].p - line);
		break;
	}
	if (k == MAX_TOK && cut == n) {
		/* too many tokens to be sure: hide everything after the 30th */
		cut = (size_t)(t[30].p - line);
	}
	size_t m = cut < outsz - 1 ? cut : outsz - 1;
	memcpy(out, line, m);
	if (cut < n) {
		const char *h = "<hidden>";
		size_t hl = strlen(h);
		if (m + hl < outsz) {
			memcpy(out + m, h, hl);
			m += hl;
		}
	}
	out[m] = 0;
	return m;
}

/* Interface names: "Gi1" and "GigabitEthernet1" are one interface. */
static int ifname_eq(const char *a, const char *b)
{
	if (!a || !b)
		return 0;
	size_t la = 0, lb = 0;
	while (a[la] && !(a[la] >= '0' && a[la] <= '9'))
		la++;
	while (b[lb] && !(b[lb] >= '0' && b[lb] <= '9'))
		lb++;
	if (!la || !lb)
		return str_ieq(a, b);
	size_t m = la < lb ? la : lb;
	for (size_t i = 0; i < m; i++) {
		char x = a[i], y = b[i];
		if (x >= 'A' && x <= 'Z')
			x = (char)(x + 32);
		if (y >= 'A' && y <= 'Z')
			y = (char)(y + 32);
		if (x != y)
			return 0;
	}
	return !strcmp(a + la, b + lb);
}

/* ---- the model ---- */

struct cl {                     /* a cited line: masked copy */
	uint64_t pos;
	const char *raw;
	size_t len;
};

enum key_state { KS_NONE, KS_PLAIN, KS_TYPE6, KS_TYPE7_BAD, KS_OTHER };

struct rkey {
	uint8_t state;              /* enum key_state */
	int8_t type;                /* 0, 6, 7 (-1 none) */
	uint8_t fp[16];
	struct cl c;
	char *plain;                /* only while config secrets are wanted */
};

enum { SRV_BLOCK, SRV_LEGACY, SRV_PRIVATE };

struct rsrv {
	const char *name;
	uint8_t kind;
	const char *group;          /* SRV_PRIVATE: its group */
	struct cl hdr;
	const char *addr;
	int auth, acct;
	struct cl addr_c;
	int has_addr;
	long timeout, retr;         /* -1 unset */
	struct cl timeout_c, retr_c;
	struct rkey key;
	int used;                   /* 0 no, 1 on the EAP path */
	const char *chain, *via_group;
	struct cl use_c;
};

enum { M_NAME, M_ADDR };

struct member {
	uint8_t kind;
	const char *ref;            /* server name or address */
	int auth;                   /* -1 any */
	struct cl c;
};

struct grp {
	const char *name;
	struct cl hdr;
	const char *srcif;
	struct cl srcif_c;
	struct { struct member *v; size_t n, cap; } m;
};

struct ifc {
	const char *name;
	struct cl hdr;
	struct ip_addr addr;
	int plen;                   /* -1 no address */
	const char *addr_txt;
	struct cl addr_c;
	int dhcp, shut;
	const char *unnum;
	struct cl unnum_c;
	struct ip_range nets[4];    /* primary + secondaries, connected */
	int nnets;
};

struct route {
	struct ip_range net;
	int plen;
	const char *nh, *ifname;
	struct cl c;
};

enum ot {
	T_LOGIN_LIST = 1, T_NET_LIST, T_OTHER_LIST, T_POOL, T_ACL, T_PROPOSAL, T_IKEPOLICY,
	T_IKEPROF, T_AUTHZPOL, T_KEYRING, T_TSET, T_IPSECPROF, T_TRUSTPOINT, T_ACPROF,
	T_GROUP, T_RSERVER, T_IFACE, T_BLOCK
};

static const char *const ot_name[] = {
	[T_LOGIN_LIST] = "aaa authentication login", [T_NET_LIST] = "aaa authorization network",
	[T_OTHER_LIST] = "aaa list", [T_POOL] = "ip local pool", [T_ACL] = "ip access-list",
	[T_PROPOSAL] = "crypto ikev2 proposal", [T_IKEPOLICY] = "crypto ikev2 policy",
	[T_IKEPROF] = "crypto ikev2 profile", [T_AUTHZPOL] = "crypto ikev2 authorization policy",
	[T_KEYRING] = "crypto ikev2 keyring", [T_TSET] = "crypto ipsec transform-set",
	[T_IPSECPROF] = "crypto ipsec profile", [T_TRUSTPOINT] = "crypto pki trustpoint",
	[T_ACPROF] = "crypto vpn anyconnect profile", [T_GROUP] = "aaa group server radius",
	[T_RSERVER] = "radius server", [T_IFACE] = "interface", [T_BLOCK] = "",
};

static const char *const ot_fact[] = {
	[T_POOL] = "ip-local-pool", [T_PROPOSAL] = "ikev2-proposal", [T_IKEPOLICY] = "ikev2-policy",
	[T_IKEPROF] = "ikev2-profile", [T_AUTHZPOL] = "ikev2-authorization-policy",
	[T_KEYRING] = "ikev2-keyring", [T_TSET] = "ipsec-transform-set",
	[T_IPSECPROF] = "ipsec-profile", [T_TRUSTPOINT] = "pki-trustpoint",
	[T_ACPROF] = "anyconnect-profile",
};

struct obj {
	uint8_t type;
	const char *name;
	struct cl hdr;
	struct sbuf sub;            /* "; "-joined settings, masked */
	const char *methods;        /* lists: the methods */
	int64_t num;                /* pool size */
	const char *eap_list;       /* ikev2 profile */
	struct cl eap_c;
};

struct ref {                    /* a name that must exist */
	uint8_t type;               /* enum ot of the target */
	const char *name;
	const char *owner;          /* "crypto ikev2 profile P" */
	struct cl c;
};

struct islot {
	const char *name;
	uint32_t i1;
	uint8_t type;
};

#define VEC(T) struct { T *v; size_t n, cap; }
#define VEC_PUSH(vec, capmax) ( \
	(vec).n >= (capmax) ? NULL : \
	((vec).n == (vec).cap ? ((vec).cap = (vec).cap ? (vec).cap * 2 : 8, \
		(vec).v = xrealloc((vec).v, (vec).cap * sizeof *(vec).v)) : 0, \
	 memset(&(vec).v[(vec).n], 0, sizeof *(vec).v), &(vec).v[(vec).n++]))

struct ist {
	const struct format_ctx *ctx;
	struct ev_sink *sink;
	struct arena mem;
	uint32_t facts;
	int full;                   /* looks like a whole running-config */
	int ended;                  /* saw "end" */
	/* the block being read */
	uint8_t cur;                /* enum ot, 0 none */
	size_t cur_i;
	char banner_delim[3];       /* inside a banner until this shows again */
	/* globals */
	long g_timeout, g_retr;
	struct cl g_timeout_c, g_retr_c;
	struct rkey g_key;
	const char *srcif;
	struct cl srcif_c;
	const char *hostname;
	VEC(struct rsrv) srv;
	VEC(struct grp) grp;
	VEC(struct ifc) ifc;
	VEC(struct route) rt;
	VEC(struct obj) obj;
	VEC(struct ref) refs;
	struct islot *idx;          /* (type, interned name) -> index + 1 */
	size_t idxcap, idxn;
	uint64_t ifscan;            /* interface-name comparisons of the fallback */
	uint64_t routescan;         /* interfaces + routes searched for sources */
	uint64_t dropped;
};

static struct cl keepl(struct ist *p, uint64_t pos, const char *line, size_t n)
{
	char buf[2048];
	size_t m = ios_mask_line(line, n < 4096 ? n : 4096, buf, sizeof buf);
	return (struct cl){pos, arena_strndup(&p->mem, buf, m), m};
}

static void ev_at(struct ist *p, struct ev *e, unsigned kind, const struct cl *c)
{
	ev_init(e, kind, SRC_IOS_CONFIG, p->ctx->in->id, c ? c->pos : 0);
	if (c) {
		e->raw = c->raw;
		e->raw_len = c->len;
	}
}

static void put(struct ist *p, struct ev *e)
{
	p->facts++;
	ev_emit(p->sink, e);
}

static void damage(struct ist *p, uint64_t pos, const char *msg)
{
	if (p->ctx)
		format_damage(p->ctx, IE_INVALID, pos, "running-config: %s", msg);
}

static void add_ref(struct ist *p, uint8_t type, const char *name, const char *owner,
		    uint64_t pos, const char *line, size_t n)
{
	struct ref *r = VEC_PUSH(p->refs, MAX_OBJ);
	if (!r) {
		p->dropped++;
		return;
	}
	r->type = type;
	r->name = name;
	r->owner = owner;
	r->c = keepl(p, pos, line, n);
}

/* Objects by (type, interned name): one probe per lookup, so a config
 * with thousands of interfaces or ACL lines stays linear. */
static size_t islot_hash(uint8_t type, const char *name)
{
	uint64_t h = ((uint64_t)(uintptr_t)name >> 3) * 0x9e3779b97f4a7c15ull ^ type;
	return (size_t)(h ^ (h >> 31));
}

static uint32_t idx_get(const struct ist *p, uint8_t type, const char *name)
{
	if (!p->idxcap)
		return 0;
	for (size_t i = islot_hash(type, name) & (p->idxcap - 1);; i = (i + 1) & (p->idxcap - 1)) {
		const struct islot *x = &p->idx[i];
		if (!x->i1)
			return 0;
		if (x->type == type && x->name == name)
			return x->i1;
	}
}

static void idx_put(struct ist *p, uint8_t type, const char *name, size_t i)
{
	if ((p->idxn + 1) * 2 > p->idxcap) {
		size_t oc = p->idxcap;
		struct islot *old = p->idx;
		p->idxcap = oc ? oc * 2 : 256;
		p->idx = xcalloc(p->idxcap, sizeof *p->idx);
		p->idxn = 0;
		for (size_t k = 0; k < oc; k++)
			if (old[k].i1)
				idx_put(p, old[k].type, old[k].name, old[k].i1 - 1);
		free(old);
	}
	size_t h = islot_hash(type, name) & (p->idxcap - 1);
	while (p->idx[h].i1)
		h = (h + 1) & (p->idxcap - 1);
	p->idx[h] = (struct islot){name, (uint32_t)(i + 1), type};
	p->idxn++;
}

static struct obj *find_obj(struct ist *p, uint8_t type, const char *name)
{
	uint32_t k = idx_get(p, type, name);
	return k ? &p->obj.v[k - 1] : NULL;
}

static struct obj *new_obj(struct ist *p, uint8_t type, const char *name, uint64_t pos,
			   const char *line, size_t n)
{
	struct obj *o = find_obj(p, type, name);
	if (o)
		return o;           /* a second block of the same object continues it */
	o = VEC_PUSH(p->obj, MAX_OBJ);
	if (!o) {
		p->dropped++;
		return NULL;
	}
	o->type = type;
	o->name = name;
	o->hdr = keepl(p, pos, line, n);
	sbuf_init(&o->sub, 1024);
	o->num = -1;
	idx_put(p, type, name, (size_t)(o - p->obj.v));
	return o;
}

static struct rsrv *find_srv(struct ist *p, const char *name)
{
	uint32_t k = idx_get(p, T_RSERVER, name);
	return k ? &p->srv.v[k - 1] : NULL;
}

static struct rsrv *new_srv(struct ist *p, const char *name, uint8_t kind, uint64_t pos,
			    const char *line, size_t n)
{
	struct rsrv *s = find_srv(p, name);
	if (s)
		return s;
	s = VEC_PUSH(p->srv, MAX_OBJ);
	if (!s) {
		p->dropped++;
		return NULL;
	}
	s->name = name;
	s->kind = kind;
	s->hdr = keepl(p, pos, line, n);
	s->auth = IOS_DEF_AUTH_PORT;
	s->acct = IOS_DEF_ACCT_PORT;
	s->timeout = s->retr = -1;
	s->key.type = -1;
	idx_put(p, T_RSERVER, name, (size_t)(s - p->srv.v));
	return s;
}

static struct grp *find_grp(struct ist *p, const char *name)
{
	uint32_t k = idx_get(p, T_GROUP, name);
	return k ? &p->grp.v[k - 1] : NULL;
}

/* The name as written first; an abbreviation ("Gi1") by a scan. */
static struct ifc *find_ifc(struct ist *p, const char *name)
{
	uint32_t k = idx_get(p, T_IFACE, name);
	if (k)
		return &p->ifc.v[k - 1];
	if (p->ifscan > IFSCAN_BUDGET)
		return NULL;        /* a hostile number of unknown names */
	p->ifscan += p->ifc.n;
	for (size_t i = 0; i < p->ifc.n; i++)
		if (ifname_eq(p->ifc.v[i].name, name))
			return &p->ifc.v[i];
	return NULL;
}

/* key [0|6|7] K at t[i..] */
static void read_key(struct ist *p, struct rkey *k, const struct tok *t, size_t nt, size_t i,
		     uint64_t pos, const char *line, size_t n)
{
	if (i >= nt)
		return;
	int type = 0;
	if (nt > i + 1 && t[i].n == 1 && (t[i].p[0] == '0' || t[i].p[0] == '6' || t[i].p[0] == '7')) {
		type = t[i].p[0] - '0';
		i++;
	}
	struct tok v = rest(&t[i], line, n);
	free(k->plain);
	memset(k, 0, sizeof *k);
	k->type = (int8_t)type;
	k->c = keepl(p, pos, line, n);
	if (type == 6) {
		k->state = KS_TYPE6;
		return;
	}
	char dec[256];
	const char *plain = v.p;
	size_t pl = v.n;
	if (type == 7) {
		int dl = ios_type7_decode(v.p, v.n, dec, sizeof dec);
		if (dl < 0) {
			k->state = KS_TYPE7_BAD;
			return;
		}
		plain = dec;
		pl = (size_t)dl;
	}
	k->state = KS_PLAIN;
	conf_secret_fp(plain, pl, k->fp);
	if (conf_secret_wanted())
		k->plain = xstrndup(plain, pl);
	memset(dec, 0, sizeof dec);
}

/* address/ports options: [auth-port P] [acct-port Q] [timeout T]
 * [retransmit R] [key ...] from t[i] on (legacy host, server-private) */
static void host_opts(struct ist *p, struct rsrv *s, const struct tok *t, size_t nt, size_t i,
		      uint64_t pos, const char *line, size_t n)
{
	struct cl c = keepl(p, pos, line, n);
	for (; i < nt; i++) {
		if (teq(&t[i], "auth-port") && i + 1 < nt) {
			long v = tnum(&t[++i], 0, 65535);
			if (v >= 0)
				s->auth = (int)v;
		} else if (teq(&t[i], "acct-port") && i + 1 < nt) {
			long v = tnum(&t[++i], 0, 65535);
			if (v >= 0)
				s->acct = (int)v;
		} else if (teq(&t[i], "timeout") && i + 1 < nt) {
			s->timeout = tnum(&t[++i], 1, 1000);
			s->timeout_c = c;
		} else if (teq(&t[i], "retransmit") && i + 1 < nt) {
			s->retr = tnum(&t[++i], 0, 100);
			s->retr_c = c;
		} else if (teq(&t[i], "key")) {
			read_key(p, &s->key, t, nt, i + 1, pos, line, n);
			break;
		}
	}
}

static void aaa_fact(struct ist *p, const char *result, const char *name, const char *detail,
		     uint64_t pos, const char *line, size_t n)
{
	struct cl c = keepl(p, pos, line, n);
	struct ev e;
	ev_at(p, &e, EVK_CONFIG_ROUTER_AAA, &c);
	e.text = name;
	e.result = intern_cstr(result);
	e.detail = detail;
	put(p, &e);
}

/* ---- top level ---- */

static int top_keyword(const struct tok *t)
{
	static const char *const kw[] = {
		"version", "hostname", "boot", "boot-start-marker", "boot-end-marker", "service",
		"aaa", "radius", "radius-server", "ip", "ipv6", "interface", "crypto", "username",
		"enable", "line", "router", "access-list", "logging", "ntp", "snmp-server", "snmp",
		"no", "end", "license", "platform", "control-plane", "banner", "spanning-tree", "vlan",
		"class-map", "policy-map", "object-group", "vrf", "tacacs", "tacacs-server", "archive",
		"memory", "multilink", "redundancy", "call-home", "diagnostic", "subscriber", "key",
		"track", "event", "alias", "mpls", "cdp", "lldp", "parameter-map", "zone", "zone-pair",
		"flow", "domain", "template", "security", "login", "clock", "errdisable", "system",
		"hw-module", "dial-peer", "voice", "netconf-yang", "restconf", "telemetry",
		"virtual-service", "app-hosting", "iox", "management", "power", "cts", "dot1x",
		"device-tracking", "route-map", "dot11", "ethernet", "udld", "mac", "transceiver",
		"pseudowire-class", "bfd", "firewall", "sdwan", "file", "exception", "scheduler",
		"process", "wsma", "wsman", "gnxi", "cwmp", "tftp-server", "ldap", "mka", "macsec",
		"aqm-register-fnf", "!", NULL,
	};
	for (size_t i = 0; kw[i]; i++)
		if (teq(t, kw[i]))
			return 1;
	return 0;
}

static void block_line(struct ist *p, const struct tok *t, size_t nt, uint64_t pos,
		       const char *line, size_t n);

static void open_block(struct ist *p, uint8_t type, size_t idx)
{
	p->cur = type;
	p->cur_i = idx;
}

static void ifc_open(struct ist *p, const struct tok *t, size_t nt, uint64_t pos, const char *line,
		     size_t n)
{
	if (nt < 2) {
		open_block(p, T_BLOCK, 0);
		return;
	}
	const char *name = tintern(&t[1]);
	uint32_t k = idx_get(p, T_IFACE, name);   /* show run writes full names */
	struct ifc *f = k ? &p->ifc.v[k - 1] : NULL;
	if (!f) {
		f = VEC_PUSH(p->ifc, MAX_OBJ);
		if (!f) {
			p->dropped++;
			open_block(p, T_BLOCK, 0);
			return;
		}
		f->name = name;
		f->hdr = keepl(p, pos, line, n);
		f->plen = -1;
		idx_put(p, T_IFACE, name, (size_t)(f - p->ifc.v));
	}
	open_block(p, T_IFACE, (size_t)(f - p->ifc.v));
}

static void top_line(struct ist *p, const struct tok *t, size_t nt, uint64_t pos,
		     const char *line, size_t n)
{
	p->cur = 0;
	if (teq(&t[0], "hostname") && nt >= 2) {
		p->hostname = tintern(&t[1]);
		struct cl c = keepl(p, pos, line, n);
		struct ev e;
		ev_at(p, &e, EVK_CONFIG, &c);
		e.result = intern_cstr("hostname");
		e.text = p->hostname;
		e.detail = intern_printf("hostname %s", p->hostname);
		put(p, &e);
		return;
	}
	if (teq(&t[0], "version") && nt >= 2) {
		p->full = 1;
		struct cl c = keepl(p, pos, line, n);
		struct ev e;
		ev_at(p, &e, EVK_CONFIG, &c);
		e.result = intern_cstr("version");
		e.text = tintern(&t[1]);
		e.detail = intern_printf("IOS version %s", e.text);
		put(p, &e);
		return;
	}
	if (teq(&t[0], "end") && nt == 1) {
		p->ended = 1;
		return;
	}
	if (teq(&t[0], "banner") && nt >= 3) {
		/* banner motd ^C ... ^C: skip to the closing delimiter */
		const char *d = t[2].p;
		size_t dl = d[0] == '^' && t[2].n >= 2 ? 2 : 1;
		memcpy(p->banner_delim, d, dl);
		p->banner_delim[dl] = 0;
		const char *after = d + dl;
		const char *e = line + n;
		if (after < e && memmem(after, (size_t)(e - after), p->banner_delim, dl))
			p->banner_delim[0] = 0;     /* opened and closed on one line */
		return;
	}
	if (teq(&t[0], "interface")) {
		ifc_open(p, t, nt, pos, line, n);
		return;
	}
	if (teq(&t[0], "radius") && nt >= 3 && teq(&t[1], "server")) {
		struct rsrv *s = new_srv(p, tintern(&t[2]), SRV_BLOCK, pos, line, n);
		if (s)
			open_block(p, T_RSERVER, (size_t)(s - p->srv.v));
		else
			open_block(p, T_BLOCK, 0);
		return;
	}
	if (teq(&t[0], "radius-server") && nt >= 2) {
		if (teq(&t[1], "host") && nt >= 3) {
			const char *addr = tintern(&t[2]);
			/* one legacy server per address and auth-port */
			struct rsrv tmp = {.auth = IOS_DEF_AUTH_PORT};
			for (size_t i = 3; i + 1 < nt; i++)
				if (teq(&t[i], "auth-port"))
					tmp.auth = (int)tnum(&t[i + 1], 0, 65535);
			const char *name = tmp.auth == IOS_DEF_AUTH_PORT
				? intern_printf("host %s", addr) : intern_printf("host %s:%d", addr, tmp.auth);
			struct rsrv *s = new_srv(p, name, SRV_LEGACY, pos, line, n);
			if (!s)
				return;
			s->addr = addr;
			s->has_addr = 1;
			s->addr_c = keepl(p, pos, line, n);
			host_opts(p, s, t, nt, 3, pos, line, n);
		} else if (teq(&t[1], "key")) {
			read_key(p, &p->g_key, t, nt, 2, pos, line, n);
		} else if (teq(&t[1], "timeout") && nt >= 3) {
			p->g_timeout = tnum(&t[2], 1, 1000);
			p->g_timeout_c = keepl(p, pos, line, n);
		} else if (teq(&t[1], "retransmit") && nt >= 3) {
			p->g_retr = tnum(&t[2], 0, 100);
			p->g_retr_c = keepl(p, pos, line, n);
		}
		return;
	}
	if (teq(&t[0], "aaa") && nt >= 2) {
		if (teq(&t[1], "new-model")) {
			struct cl c = keepl(p, pos, line, n);
			struct ev e;
			ev_at(p, &e, EVK_CONFIG, &c);
			e.result = intern_cstr("aaa");
			e.text = intern_cstr("new-model");
			e.detail = intern_cstr("aaa new-model");
			put(p, &e);
			return;
		}
		if (teq(&t[1], "group") && nt >= 5 && teq(&t[2], "server") && teq(&t[3], "radius")) {
			const char *name = tintern(&t[4]);
			struct grp *g = find_grp(p, name);
			if (!g) {
				g = VEC_PUSH(p->grp, MAX_OBJ);
				if (!g) {
					p->dropped++;
					open_block(p, T_BLOCK, 0);
					return;
				}
				g->name = name;
				g->hdr = keepl(p, pos, line, n);
				idx_put(p, T_GROUP, name, (size_t)(g - p->grp.v));
			}
			aaa_fact(p, "group", name, intern_printf("aaa group server radius %s", name), pos, line, n);
			open_block(p, T_GROUP, (size_t)(g - p->grp.v));
			return;
		}
		if ((teq(&t[1], "authentication") || teq(&t[1], "authorization") ||
		     teq(&t[1], "accounting")) && nt >= 5) {
			uint8_t type = T_OTHER_LIST;
			if (teq(&t[1], "authentication") && teq(&t[2], "login"))
				type = T_LOGIN_LIST;
			else if (teq(&t[1], "authorization") && teq(&t[2], "network"))
				type = T_NET_LIST;
			const char *name = tintern(&t[3]);
			struct tok m = rest(&t[4], line, n);
			const char *methods = intern(m.p, m.n);
			if (type != T_OTHER_LIST) {
				struct obj *o = new_obj(p, type, name, pos, line, n);
				if (o)
					o->methods = methods;
				/* every `group G` must name a server group */
				for (size_t i = 4; i + 1 < nt; i++)
					if (teq(&t[i], "group") && !teq(&t[i + 1], "radius") &&
					    !teq(&t[i + 1], "tacacs+") && !teq(&t[i + 1], "ldap"))
						add_ref(p, T_GROUP, tintern(&t[i + 1]),
							intern_printf("%s %s", ot_name[type], name),
							pos, line, n);
			}
			char res[64];
			snprintf(res, sizeof res, "%.*s-%.*s", (int)t[1].n, t[1].p, (int)t[2].n, t[2].p);
			aaa_fact(p, res, name, intern_printf("aaa %.*s %.*s %s %s", (int)t[1].n, t[1].p,
							   (int)t[2].n, t[2].p, name, methods),
				 pos, line, n);
			return;
		}
		open_block(p, T_BLOCK, 0);
		return;
	}
	if (teq(&t[0], "ip") && nt >= 2) {
		if (teq(&t[1], "radius") && nt >= 4 && teq(&t[2], "source-interface")) {
			p->srcif = tintern(&t[3]);
			p->srcif_c = keepl(p, pos, line, n);
			add_ref(p, T_IFACE, p->srcif, "ip radius source-interface", pos, line, n);
			return;
		}
		if (teq(&t[1], "local") && nt >= 4 && teq(&t[2], "pool")) {
			struct obj *o = new_obj(p, T_POOL, tintern(&t[3]), pos, line, n);
			if (!o)
				return;
			struct ip_addr a, b;
			if (nt >= 5 && !ip_parse(t[4].p, t[4].n, &a)) {
				b = a;
				if (nt >= 6)
					ip_parse(t[5].p, t[5].n, &b);
				int64_t cnt = 0;
				if (a.v4 && b.v4) {
					uint32_t x = (uint32_t)a.b[12] << 24 | (uint32_t)a.b[13] << 16 |
						     (uint32_t)a.b[14] << 8 | a.b[15];
					uint32_t y = (uint32_t)b.b[12] << 24 | (uint32_t)b.b[13] << 16 |
						     (uint32_t)b.b[14] << 8 | b.b[15];
					cnt = y >= x ? (int64_t)(y - x) + 1 : 0;
				}
				o->num = o->num > 0 ? o->num + cnt : cnt;
			}
			struct tok r = rest(&t[4 < nt ? 4 : nt - 1], line, n);
			if (nt >= 5 && sbuf_printf(&o->sub, "%s%.*s", o->sub.len ? "; " : "", (int)r.n, r.p)) {
				/* capped */
			}
			return;
		}
		if (teq(&t[1], "route") && nt >= 5) {
			size_t i = 2;
			if (teq(&t[i], "vrf"))
				return;             /* a VRF route never carries global RADIUS */
			struct ip_addr a;
			int len = ip_mask_len(t[i + 1].p, t[i + 1].n);
			if (ip_parse(t[i].p, t[i].n, &a) || len < 0 || !a.v4)
				return;
			struct route *r = VEC_PUSH(p->rt, MAX_OBJ);
			if (!r) {
				p->dropped++;
				return;
			}
			ip_range_prefix(&r->net, &a, len);
			r->plen = len;
			struct ip_addr nh;
			size_t j = i + 2;
			if (!ip_parse(t[j].p, t[j].n, &nh)) {
				r->nh = tintern(&t[j]);
			} else {
				r->ifname = tintern(&t[j]);
				if (j + 1 < nt && !ip_parse(t[j + 1].p, t[j + 1].n, &nh))
					r->nh = tintern(&t[j + 1]);
			}
			r->c = keepl(p, pos, line, n);
			return;
		}
		if (teq(&t[1], "access-list") && nt >= 4) {
			new_obj(p, T_ACL, tintern(&t[3]), pos, line, n);
			open_block(p, T_BLOCK, 0);
			return;
		}
		open_block(p, T_BLOCK, 0);
		return;
	}
	if (teq(&t[0], "access-list") && nt >= 2) {
		new_obj(p, T_ACL, tintern(&t[1]), pos, line, n);
		return;
	}
	if (teq(&t[0], "crypto") && nt >= 3) {
		uint8_t type = 0;
		size_t ni = 3;
		if (teq(&t[1], "ikev2")) {
			if (teq(&t[2], "proposal"))
				type = T_PROPOSAL;
			else if (teq(&t[2], "policy"))
				type = T_IKEPOLICY;
			else if (teq(&t[2], "profile"))
				type = T_IKEPROF;
			else if (teq(&t[2], "keyring"))
				type = T_KEYRING;
			else if (teq(&t[2], "authorization") && nt >= 5 && teq(&t[3], "policy")) {
				type = T_AUTHZPOL;
				ni = 4;
			}
		} else if (teq(&t[1], "ipsec")) {
			if (teq(&t[2], "transform-set"))
				type = T_TSET;
			else if (teq(&t[2], "profile"))
				type = T_IPSECPROF;
		} else if (teq(&t[1], "pki") && teq(&t[2], "trustpoint")) {
			type = T_TRUSTPOINT;
		} else if (teq(&t[1], "vpn") && nt >= 5 && teq(&t[2], "anyconnect") &&
			   teq(&t[3], "profile")) {
			type = T_ACPROF;
			ni = 4;
		}
		if (!type || ni >= nt) {
			open_block(p, T_BLOCK, 0);
			return;
		}
		struct obj *o = new_obj(p, type, tintern(&t[ni]), pos, line, n);
		if (!o) {
			open_block(p, T_BLOCK, 0);
			return;
		}
		if (ni + 1 < nt) {
			struct tok r = rest(&t[ni + 1], line, n);
			char m[1024];
			size_t ml = ios_mask_line(r.p, r.n, m, sizeof m);
			if (sbuf_printf(&o->sub, "%s%.*s", o->sub.len ? "; " : "", (int)ml, m)) {
				/* capped */
			}
		}
		open_block(p, type, (size_t)(o - p->obj.v));
		return;
	}
	open_block(p, T_BLOCK, 0);
}

/* ---- lines inside a block ---- */

static void sub_note(struct ist *p, struct obj *o, const char *line, size_t n)
{
	(void)p;
	while (n && (*line == ' ' || *line == '\t')) {
		line++;
		n--;
	}
	char m[1024];
	size_t ml = ios_mask_line(line, n, m, sizeof m);
	while (ml && (m[ml - 1] == ' ' || m[ml - 1] == '\t'))
		ml--;
	if (o->sub.len < 600 && sbuf_printf(&o->sub, "%s%.*s", o->sub.len ? "; " : "", (int)ml, m)) {
		/* capped */
	}
}

static void block_line(struct ist *p, const struct tok *t, size_t nt, uint64_t pos,
		       const char *line, size_t n)
{
	switch (p->cur) {
	case T_RSERVER: {
		struct rsrv *s = &p->srv.v[p->cur_i];
		if (teq(&t[0], "address") && nt >= 3 && (teq(&t[1], "ipv4") || teq(&t[1], "ipv6"))) {
			s->addr = tintern(&t[2]);
			s->has_addr = 1;
			s->addr_c = keepl(p, pos, line, n);
			s->auth = IOS_DEF_AUTH_PORT;
			s->acct = IOS_DEF_ACCT_PORT;
			for (size_t i = 3; i + 1 < nt; i++) {
				if (teq(&t[i], "auth-port"))
					s->auth = (int)tnum(&t[i + 1], 0, 65535);
				else if (teq(&t[i], "acct-port"))
					s->acct = (int)tnum(&t[i + 1], 0, 65535);
			}
		} else if (teq(&t[0], "timeout") && nt >= 2) {
			s->timeout = tnum(&t[1], 1, 1000);
			s->timeout_c = keepl(p, pos, line, n);
			if (s->timeout < 0)
				damage(p, pos, "radius server timeout is not 1..1000");
		} else if (teq(&t[0], "retransmit") && nt >= 2) {
			s->retr = tnum(&t[1], 0, 100);
			s->retr_c = keepl(p, pos, line, n);
			if (s->retr < 0)
				damage(p, pos, "radius server retransmit is not 0..100");
		} else if (teq(&t[0], "key") && nt >= 2) {
			read_key(p, &s->key, t, nt, 1, pos, line, n);
		}
		return;
	}
	case T_GROUP: {
		struct grp *g = &p->grp.v[p->cur_i];
		struct member *m = NULL;
		if (teq(&t[0], "server") && nt >= 3 && teq(&t[1], "name")) {
			if ((m = VEC_PUSH(g->m, 256))) {
				m->kind = M_NAME;
				m->ref = tintern(&t[2]);
				m->auth = -1;
				m->c = keepl(p, pos, line, n);
				add_ref(p, T_RSERVER, m->ref, intern_printf("aaa group server radius %s", g->name),
					pos, line, n);
			}
		} else if (teq(&t[0], "server") && nt >= 2) {
			if ((m = VEC_PUSH(g->m, 256))) {
				m->kind = M_ADDR;
				m->ref = tintern(&t[1]);
				m->auth = -1;
				for (size_t i = 2; i + 1 < nt; i++)
					if (teq(&t[i], "auth-port"))
						m->auth = (int)tnum(&t[i + 1], 0, 65535);
				m->c = keepl(p, pos, line, n);
			}
		} else if (teq(&t[0], "server-private") && nt >= 2) {
			const char *name = intern_printf("%s/private %.*s", g->name, (int)t[1].n, t[1].p);
			struct rsrv *s = new_srv(p, name, SRV_PRIVATE, pos, line, n);
			if (s) {
				s->group = g->name;
				s->addr = tintern(&t[1]);
				s->has_addr = 1;
				s->addr_c = keepl(p, pos, line, n);
				host_opts(p, s, t, nt, 2, pos, line, n);
				if ((m = VEC_PUSH(g->m, 256))) {
					m->kind = M_NAME;
					m->ref = name;
					m->auth = -1;
					m->c = s->addr_c;
				}
			}
		} else if (teq(&t[0], "ip") && nt >= 4 && teq(&t[1], "radius") &&
			   teq(&t[2], "source-interface")) {
			g->srcif = tintern(&t[3]);
			g->srcif_c = keepl(p, pos, line, n);
			add_ref(p, T_IFACE, g->srcif, intern_printf("aaa group server radius %s", g->name),
				pos, line, n);
		}
		if (m) {
			const char *mr = m->c.raw;
			while (*mr == ' ' || *mr == '\t')
				mr++;
			aaa_fact(p, "member", g->name, intern_printf("aaa group server radius %s: %s", g->name,
								   mr), pos, line, n);
		}
		return;
	}
	case T_IFACE: {
		struct ifc *f = &p->ifc.v[p->cur_i];
		if (teq(&t[0], "ip") && nt >= 3 && teq(&t[1], "address")) {
			if (teq(&t[2], "dhcp")) {
				f->dhcp = 1;
				f->addr_c = keepl(p, pos, line, n);
				return;
			}
			struct ip_addr a;
			int len = nt >= 4 ? ip_mask_len(t[3].p, t[3].n) : -1;
			if (ip_parse(t[2].p, t[2].n, &a) || len < 0) {
				damage(p, pos, "interface ip address is not ADDRESS MASK");
				return;
			}
			int secondary = nt >= 5 && teq(&t[4], "secondary");
			if (f->nnets < 4)
				ip_range_prefix(&f->nets[f->nnets++], &a, len);
			if (!secondary) {
				f->addr = a;
				f->plen = len;
				f->addr_txt = tintern(&t[2]);
				f->addr_c = keepl(p, pos, line, n);
				f->dhcp = 0;
			}
		} else if (teq(&t[0], "ip") && nt >= 3 && teq(&t[1], "unnumbered")) {
			f->unnum = tintern(&t[2]);
			f->unnum_c = keepl(p, pos, line, n);
		} else if (teq(&t[0], "shutdown") && nt == 1) {
			f->shut = 1;
		} else if (teq(&t[0], "tunnel") && nt >= 5 && teq(&t[1], "protection") &&
			   teq(&t[2], "ipsec") && teq(&t[3], "profile")) {
			add_ref(p, T_IPSECPROF, tintern(&t[4]), intern_printf("interface %s", f->name),
				pos, line, n);
		}
		return;
	}
	case T_BLOCK:
	case 0:
		return;
	default:
		break;
	}
	/* crypto objects: note every setting, follow references */
	struct obj *o = &p->obj.v[p->cur_i];
	sub_note(p, o, line, n);
	const char *owner = intern_printf("%s %s", ot_name[o->type], o->name);
	switch (o->type) {
	case T_IKEPROF:
		if (teq(&t[0], "aaa") && nt >= 4 && teq(&t[1], "authentication") &&
		    (teq(&t[2], "eap") || teq(&t[2], "anyconnect-eap"))) {
			o->eap_list = tintern(&t[3]);
			o->eap_c = keepl(p, pos, line, n);
			add_ref(p, T_LOGIN_LIST, o->eap_list, owner, pos, line, n);
		} else if (teq(&t[0], "aaa") && nt >= 6 && teq(&t[1], "authorization") &&
			   teq(&t[2], "group") && teq(&t[4], "list")) {
			add_ref(p, T_NET_LIST, tintern(&t[5]), owner, pos, line, n);
			if (nt >= 7 && !teq(&t[6], "default"))
				add_ref(p, T_AUTHZPOL, tintern(&t[6]), owner, pos, line, n);
		} else if (teq(&t[0], "aaa") && nt >= 5 && teq(&t[1], "authorization") &&
			   teq(&t[2], "user") && teq(&t[4], "list") && nt >= 6) {
			add_ref(p, T_NET_LIST, tintern(&t[5]), owner, pos, line, n);
		} else if (teq(&t[0], "virtual-template") && nt >= 2) {
			add_ref(p, T_IFACE, intern_printf("Virtual-Template%.*s", (int)t[1].n, t[1].p), owner,
				pos, line, n);
		} else if (teq(&t[0], "pki") && nt >= 3 && teq(&t[1], "trustpoint")) {
			add_ref(p, T_TRUSTPOINT, tintern(&t[2]), owner, pos, line, n);
		} else if (teq(&t[0], "anyconnect") && nt >= 3 && teq(&t[1], "profile")) {
			add_ref(p, T_ACPROF, tintern(&t[2]), owner, pos, line, n);
		} else if (teq(&t[0], "keyring") && nt >= 3 && teq(&t[1], "local")) {
			add_ref(p, T_KEYRING, tintern(&t[2]), owner, pos, line, n);
		}
		break;
	case T_IKEPOLICY:
		if (teq(&t[0], "proposal") && nt >= 2)
			add_ref(p, T_PROPOSAL, tintern(&t[1]), owner, pos, line, n);
		break;
	case T_AUTHZPOL:
		if (teq(&t[0], "pool") && nt >= 2)
			add_ref(p, T_POOL, tintern(&t[1]), owner, pos, line, n);
		else if (teq(&t[0], "route") && nt >= 4 && teq(&t[1], "set") && teq(&t[2], "access-list"))
			add_ref(p, T_ACL, tintern(&t[nt - 1]), owner, pos, line, n);
		break;
	case T_IPSECPROF:
		if (teq(&t[0], "set") && nt >= 3 && teq(&t[1], "transform-set")) {
			for (size_t i = 2; i < nt; i++)
				add_ref(p, T_TSET, tintern(&t[i]), owner, pos, line, n);
		} else if (teq(&t[0], "set") && nt >= 3 && teq(&t[1], "ikev2-profile")) {
			add_ref(p, T_IKEPROF, tintern(&t[2]), owner, pos, line, n);
		}
		break;
	default:
		break;
	}
}

static void ios_line(void *st, const char *line, size_t n, uint64_t pos)
{
	struct ist *p = st;
	if (p->banner_delim[0]) {
		if (memmem(line, n, p->banner_delim, strlen(p->banner_delim)))
			p->banner_delim[0] = 0;
		return;
	}
	struct tok t[MAX_TOK];
	size_t nt = tokenize(line, n, t, MAX_TOK);
	if (!nt)
		return;
	int indented = line[0] == ' ' || line[0] == '\t';
	if (t[0].p[0] == '!') {
		if (!indented)
			p->cur = 0;
		return;
	}
	if (!indented) {
		if ((nt >= 2 && teq(&t[0], "Building") && teq(&t[1], "configuration...")) ||
		    (nt >= 2 && teq(&t[0], "Current") && teq(&t[1], "configuration"))) {
			p->full = 1;
			return;
		}
		if (teq(&t[0], "Last") || teq(&t[0], "NVRAM"))
			return;
		/* an unindented line that is no top-level command continues the
		 * block (configs pasted with their indentation lost) */
		int top = top_keyword(&t[0]);
		if (top && teq(&t[0], "key"))   /* only "key chain" / "key config-key" */
			top = nt >= 2 && (teq(&t[1], "chain") || teq(&t[1], "config-key"));
		if (!top && p->cur && p->cur != T_BLOCK) {
			block_line(p, t, nt, pos, line, n);
			return;
		}
		top_line(p, t, nt, pos, line, n);
		return;
	}
	block_line(p, t, nt, pos, line, n);
}

/* ---- end of file: resolve, emit ---- */

static void mark_group(struct ist *p, const struct grp *g, const char *chain, const struct cl *c)
{
	for (size_t i = 0; i < g->m.n; i++) {
		const struct member *m = &g->m.v[i];
		for (size_t j = 0; j < p->srv.n; j++) {
			struct rsrv *s = &p->srv.v[j];
			int hit = m->kind == M_NAME ? s->name == m->ref
				: (s->kind != SRV_PRIVATE && s->addr == m->ref &&
				   (m->auth < 0 || s->auth == m->auth));
			if (!hit || s->used)
				continue;
			s->used = 1;
			s->via_group = g->name;
			const char *mr = m->c.raw;
			while (*mr == ' ' || *mr == '\t')
				mr++;
			s->chain = intern_printf("%s -> aaa group server radius %s: %s", chain, g->name, mr);
			s->use_c = *c;
		}
	}
}

static int resolve_eap(struct ist *p)
{
	int any = 0;
	for (size_t i = 0; i < p->obj.n; i++) {
		struct obj *o = &p->obj.v[i];
		if (o->type != T_IKEPROF || !o->eap_list)
			continue;
		any = 1;
		struct obj *l = find_obj(p, T_LOGIN_LIST, o->eap_list);
		if (!l || !l->methods)
			continue;
		struct tok t[MAX_TOK];
		size_t nt = tokenize(l->methods, strlen(l->methods), t, MAX_TOK);
		for (size_t j = 0; j + 1 < nt; j++) {
			if (!teq(&t[j], "group"))
				continue;
			const char *chain = intern_printf("crypto ikev2 profile %s: aaa authentication eap %s -> "
						       "aaa authentication login %s %s", o->name,
						       o->eap_list, l->name, l->methods);
			if (teq(&t[j + 1], "radius")) {
				for (size_t k = 0; k < p->srv.n; k++) {
					struct rsrv *s = &p->srv.v[k];
					if (s->kind == SRV_PRIVATE || s->used)
						continue;
					s->used = 1;
					s->chain = intern_printf("%s (every global RADIUS server)", chain);
					s->use_c = o->eap_c;
				}
				continue;
			}
			struct grp *g = find_grp(p, tintern(&t[j + 1]));
			if (g)
				mark_group(p, g, chain, &o->eap_c);
		}
	}
	return any;
}

static const struct ifc *ifc_resolve(struct ist *p, const struct ifc *f, const struct ifc **via)
{
	*via = NULL;
	if (f && f->plen < 0 && f->unnum) {
		*via = f;
		return find_ifc(p, f->unnum);
	}
	return f;
}

struct srcinfo {
	const char *addr;
	const char *why;
	struct cl c[4];
	int nc;
};

static void src_from_ifc(struct ist *p, struct srcinfo *si, const char *ifname, const char *how)
{
	const struct ifc *via, *f = ifc_resolve(p, find_ifc(p, ifname), &via);
	if (via && si->nc < 4)
		si->c[si->nc++] = via->unnum_c;
	if (!f) {
		si->why = intern_printf("%s names %s, which is not in the config", how, ifname);
		return;
	}
	if (f->dhcp) {
		si->why = intern_printf("%s: %s takes its address from DHCP", how, f->name);
		if (si->nc < 4)
			si->c[si->nc++] = f->addr_c;
		return;
	}
	if (f->plen < 0) {
		si->why = intern_printf("%s: %s has no ip address", how, f->name);
		if (si->nc < 4)
			si->c[si->nc++] = f->hdr;
		return;
	}
	si->addr = f->addr_txt;
	si->why = via ? intern_printf("%s (unnumbered to %s), address %s", how, f->name, f->addr_txt)
		      : intern_printf("%s, address %s", how, f->addr_txt);
	if (si->nc < 4)
		si->c[si->nc++] = f->addr_c;
}

/* No source-interface: IOS sources from the interface towards the server. */
static void src_from_route(struct ist *p, struct srcinfo *si, const char *server)
{
	struct ip_addr a;
	if (!server || ip_parse(server, strlen(server), &a)) {
		si->why = intern_cstr("no ip radius source-interface, and the server is not an address");
		return;
	}
	if (p->routescan > ROUTE_BUDGET) {
		si->why = intern_cstr("no ip radius source-interface, and too many servers x interfaces "
				      "to derive the source for every one");
		return;
	}
	p->routescan += p->ifc.n + p->rt.n;
	for (size_t i = 0; i < p->ifc.n; i++) {
		const struct ifc *f = &p->ifc.v[i];
		if (f->shut || f->plen < 0)
			continue;
		for (int k = 0; k < f->nnets; k++)
			if (ip_range_contains(&f->nets[k], &a)) {
				si->addr = f->addr_txt;
				si->why = intern_printf("no ip radius source-interface: %s (%s) is on the "
						     "server's network", f->name, f->addr_txt);
				if (si->nc < 4)
					si->c[si->nc++] = f->addr_c;
				return;
			}
	}
	const struct route *best = NULL;
	for (size_t i = 0; i < p->rt.n; i++) {
		const struct route *r = &p->rt.v[i];
		if (ip_range_contains(&r->net, &a) && (!best || r->plen > best->plen))
			best = r;
	}
	if (best) {
		const struct ifc *out = best->ifname ? find_ifc(p, best->ifname) : NULL;
		struct ip_addr nh;
		if (!out && best->nh && !ip_parse(best->nh, strlen(best->nh), &nh))
			for (size_t i = 0; i < p->ifc.n && !out; i++)
				for (int k = 0; k < p->ifc.v[i].nnets; k++)
					if (!p->ifc.v[i].shut && ip_range_contains(&p->ifc.v[i].nets[k], &nh))
						out = &p->ifc.v[i];
		const struct ifc *via;
		out = ifc_resolve(p, out, &via);
		if (si->nc < 4)
			si->c[si->nc++] = best->c;
		if (out && out->plen >= 0) {
			si->addr = out->addr_txt;
			si->why = intern_printf("no ip radius source-interface: %s (%s), the interface of the "
					     "static route towards %s (a dynamic route could pick another)",
					     out->name, out->addr_txt, server);
			if (si->nc < 4)
				si->c[si->nc++] = out->addr_c;
			return;
		}
		si->why = intern_printf("no ip radius source-interface, and the interface of the route "
				     "towards %s has no address in the config", server);
		return;
	}
	si->why = intern_printf("no ip radius source-interface, and no interface or static route in the "
			     "config reaches %s", server);
}

static void emit_server(struct ist *p, struct rsrv *s, int eap_known)
{
	struct ev e;
	/* server */
	ev_at(p, &e, EVK_CONFIG_ROUTER_RADIUS, &s->hdr);
	e.text = s->name;
	e.result = intern_cstr("server");
	e.code = s->used ? 1 : eap_known ? 0 : 2;
	e.server_ip = s->addr;
	e.to = ROLE_PROXY;
	e.from = ROLE_HEADEND;
	e.detail = s->used ? intern_printf("used for EAP: %s", s->chain)
		 : eap_known ? intern_printf("radius server %s is not on any IKEv2 profile's EAP list", s->name)
		 : intern_printf("no crypto ikev2 profile has `aaa authentication eap`: %s is compared as "
			      "if it were used", s->name);
	put(p, &e);

	if (s->has_addr) {
		ev_at(p, &e, EVK_CONFIG_ROUTER_RADIUS, &s->addr_c);
		e.text = s->name;
		e.result = intern_cstr("address");
		e.server_ip = s->addr;
		e.server_port = s->auth;
		e.num = s->acct;
		e.detail = s->kind == SRV_BLOCK
			? intern_printf("address %s auth-port %d%s acct-port %d", s->addr, s->auth,
				     s->auth == IOS_DEF_AUTH_PORT ? " (IOS default)" : "", s->acct)
			: intern_printf("%s auth-port %d%s", s->addr, s->auth,
				     s->auth == IOS_DEF_AUTH_PORT ? " (IOS default)" : "");
		put(p, &e);
	}

	/* timeout and retransmit, with IOS defaults noted */
	long to = s->timeout, re = s->retr;
	const struct cl *toc = &s->timeout_c, *rec = &s->retr_c;
	const char *tod, *red;
	if (to >= 0) {
		tod = intern_printf("timeout %ld", to);
	} else if (p->g_timeout > 0) {
		to = p->g_timeout;
		toc = &p->g_timeout_c;
		tod = intern_printf("radius-server timeout %ld (global)", to);
	} else {
		to = IOS_DEF_TIMEOUT;
		toc = &s->hdr;
		tod = intern_printf("no timeout configured: IOS default %d s", IOS_DEF_TIMEOUT);
	}
	if (re >= 0) {
		red = intern_printf("retransmit %ld", re);
	} else if (p->g_retr >= 0 && p->g_retr_c.raw) {
		re = p->g_retr;
		rec = &p->g_retr_c;
		red = intern_printf("radius-server retransmit %ld (global)", re);
	} else {
		re = IOS_DEF_RETRANSMIT;
		rec = &s->hdr;
		red = intern_printf("no retransmit configured: IOS default %d", IOS_DEF_RETRANSMIT);
	}
	ev_at(p, &e, EVK_CONFIG_ROUTER_RADIUS, toc);
	e.text = s->name;
	e.result = intern_cstr("timeout");
	e.num = to;
	e.detail = tod;
	put(p, &e);
	ev_at(p, &e, EVK_CONFIG_ROUTER_RADIUS, rec);
	e.text = s->name;
	e.result = intern_cstr("retransmit");
	e.num = re;
	e.detail = red;
	put(p, &e);

	/* key (the server's, else the global radius-server key) */
	const struct rkey *k = s->key.state ? &s->key : p->g_key.state ? &p->g_key : NULL;
	if (k) {
		ev_at(p, &e, EVK_CONFIG_ROUTER_RADIUS, &k->c);
		e.text = s->name;
		e.result = intern_cstr("key");
		e.code = k->type;
		const char *scope = k == &p->g_key ? " (global radius-server key)" : "";
		switch (k->state) {
		case KS_PLAIN:
			memcpy(e.req_auth, k->fp, 16);
			e.flags |= EVF_SECRET_FP;
			e.detail = k->type == 7
				? intern_printf("key type 7%s (decoded only to compare)", scope)
				: intern_printf("key type 0 (clear text)%s", scope);
			break;
		case KS_TYPE6:
			e.detail = intern_printf("key type 6%s: AES under the router's master key, cannot be "
					      "decoded", scope);
			break;
		default:
			e.detail = intern_printf("key type 7%s that does not decode", scope);
			break;
		}
		put(p, &e);
	}

	if (k && k->plain && s->addr)
		conf_secret_publish(s->addr, k->plain, strlen(k->plain));

	/* source address: only where it is compared */
	if (!s->used && eap_known)
		return;
	struct srcinfo si = {0};
	const struct grp *g = s->via_group ? find_grp(p, s->via_group) : NULL;
	if (!g && s->group)
		g = find_grp(p, s->group);
	if (!g)        /* a member of some group with its own source-interface */
		for (size_t i = 0; i < p->grp.n && !g; i++)
			for (size_t j = 0; j < p->grp.v[i].m.n; j++)
				if (p->grp.v[i].srcif && p->grp.v[i].m.v[j].kind == M_NAME &&
				    p->grp.v[i].m.v[j].ref == s->name)
					g = &p->grp.v[i];
	if (g && g->srcif) {
		si.c[si.nc++] = g->srcif_c;
		src_from_ifc(p, &si, g->srcif,
			     intern_printf("ip radius source-interface %s (aaa group server radius %s)",
					g->srcif, g->name));
	} else if (p->srcif) {
		si.c[si.nc++] = p->srcif_c;
		src_from_ifc(p, &si, p->srcif, intern_printf("ip radius source-interface %s", p->srcif));
	} else {
		src_from_route(p, &si, s->addr);
	}
	if (!si.nc)
		si.c[si.nc++] = s->hdr;
	for (int i = 0; i < si.nc; i++) {
		ev_at(p, &e, EVK_CONFIG_ROUTER_RADIUS, &si.c[i]);
		e.text = s->name;
		e.result = intern_cstr("source");
		e.nas_ip = si.addr;
		e.server_ip = s->addr;
		e.detail = si.why;
		put(p, &e);
	}
}

static int ref_exists(struct ist *p, const struct ref *r)
{
	switch (r->type) {
	case T_GROUP:
		return find_grp(p, r->name) != NULL;
	case T_RSERVER:
		return find_srv(p, r->name) != NULL;
	case T_IFACE:
		return find_ifc(p, r->name) != NULL;
	case T_LOGIN_LIST:
	case T_NET_LIST:
		/* "default" lists are implicit only when configured; local
		 * authorization lists are configured as well */
		return find_obj(p, r->type, r->name) != NULL;
	default:
		return find_obj(p, r->type, r->name) != NULL;
	}
}

static void emit_refs(struct ist *p)
{
	if (!p->full)
		return;                 /* a fragment: its references may live elsewhere */
	char path[512];
	input_ref(path, sizeof path, p->ctx->in->id, 0);
	for (size_t i = 0; i < p->refs.n; i++) {
		const struct ref *r = &p->refs.v[i];
		if (ref_exists(p, r))
			continue;
		char at[600];
		input_ref(at, sizeof at, p->ctx->in->id, r->c.pos);
		struct ev e;
		ev_at(p, &e, EVK_CONFIG_CHECK, &r->c);
		e.result = intern_cstr("ref-missing");
		const char *what = ot_name[r->type];
		e.text = r->type == T_IFACE && !strncmp(r->name, "Virtual-Template", 16)
			? intern_printf("%s (%s) clones interface %s, which %s does not define",
				     r->owner, at, r->name, path)
			: intern_printf("%s (%s) refers to %s %s, which %s does not define",
				     r->owner, at, what, r->name, path);
		e.detail = intern_printf("%s: %s", at, r->c.raw);
		put(p, &e);
	}
}

static void emit_objects(struct ist *p)
{
	for (size_t i = 0; i < p->obj.n; i++) {
		struct obj *o = &p->obj.v[i];
		if (o->type >= sizeof ot_fact / sizeof *ot_fact || !ot_fact[o->type])
			continue;
		struct ev e;
		ev_at(p, &e, EVK_CONFIG_ROUTER_IKE, &o->hdr);
		e.text = o->name;
		e.result = intern_cstr(ot_fact[o->type]);
		e.num = o->num;
		e.detail = o->type == T_POOL
			? intern_printf("ip local pool %s %s (%lld addresses)", o->name, sbuf_cstr(&o->sub),
				     (long long)o->num)
			: intern_printf("%s %s%s%s", ot_name[o->type], o->name, o->sub.len ? ": " : "",
				     sbuf_cstr(&o->sub));
		put(p, &e);
	}
	for (size_t i = 0; i < p->ifc.n; i++) {
		const struct ifc *f = &p->ifc.v[i];
		if (strncmp(f->name, "Virtual-Template", 16))
			continue;
		struct ev e;
		ev_at(p, &e, EVK_CONFIG_ROUTER_IKE, &f->hdr);
		e.text = f->name;
		e.result = intern_cstr("virtual-template");
		e.detail = f->unnum ? intern_printf("interface %s: ip unnumbered %s", f->name, f->unnum)
				    : intern_printf("interface %s", f->name);
		put(p, &e);
	}
}

static void ios_free(struct ist *p)
{
	for (size_t i = 0; i < p->grp.n; i++)
		free(p->grp.v[i].m.v);
	for (size_t i = 0; i < p->obj.n; i++)
		sbuf_free(&p->obj.v[i].sub);
	for (size_t i = 0; i < p->srv.n; i++) {
		if (p->srv.v[i].key.plain) {
			memset(p->srv.v[i].key.plain, 0, strlen(p->srv.v[i].key.plain));
			free(p->srv.v[i].key.plain);
		}
	}
	if (p->g_key.plain) {
		memset(p->g_key.plain, 0, strlen(p->g_key.plain));
		free(p->g_key.plain);
	}
	free(p->srv.v);
	free(p->grp.v);
	free(p->ifc.v);
	free(p->rt.v);
	free(p->obj.v);
	free(p->refs.v);
	free(p->idx);
	arena_free(&p->mem);
	free(p);
}

static void ios_finish(struct ist *p)
{
	int eap_known = resolve_eap(p);
	emit_objects(p);
	for (size_t i = 0; i < p->srv.n; i++)
		emit_server(p, &p->srv.v[i], eap_known);
	emit_refs(p);
	if (p->dropped)
		damage(p, 0, "more objects than authscope keeps; the rest were not compared");
	struct ev e;
	ev_init(&e, EVK_CONFIG_LOADED, SRC_IOS_CONFIG, p->ctx->in->id, 0);
	e.result = intern_cstr("ios-config");
	e.num = p->facts;
	e.text = p->hostname;
	ev_emit(p->sink, &e);
}

static void *ios_open(const struct format_ctx *ctx)
{
	struct ist *p = xcalloc(1, sizeof *p);
	p->ctx = ctx;
	p->sink = ctx->sink;
	p->g_timeout = p->g_retr = -1;
	p->g_key.type = -1;
	return p;
}

static void ios_close(void *st)
{
	struct ist *p = st;
	ios_finish(p);
	ios_free(p);
}

/* ---- sniff ---- */

static int ios_sniff(const uint8_t *head, size_t n)
{
	const char *s = (const char *)head, *end = s + n;
	int strong = 0, cfg = 0, other = 0, lines = 0;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		if (!nl && n == SNIFF_HEAD)
			break;
		const char *le = nl ? nl : end;
		size_t len = (size_t)(le - s);
		if (len && s[len - 1] == '\r')
			len--;
		struct tok t[4];
		size_t nt = tokenize(s, len, t, 4);
		if (nt) {
			lines++;
			int ind = s[0] == ' ' || s[0] == '\t';
			if (!ind && nt >= 2 && ((teq(&t[0], "Building") && teq(&t[1], "configuration...")) ||
					       (teq(&t[0], "Current") && teq(&t[1], "configuration"))))
				strong++;
			else if (!ind && ((teq(&t[0], "version") && nt == 2 && t[1].n < 8 &&
					   t[1].p[0] >= '1' && t[1].p[0] <= '9') ||
					  (teq(&t[0], "hostname") && nt == 2) ||
					  (teq(&t[0], "aaa") && nt >= 2 && teq(&t[1], "new-model")) ||
					  (teq(&t[0], "radius") && nt == 3 && teq(&t[1], "server")) ||
					  teq(&t[0], "radius-server") ||
					  (teq(&t[0], "interface") && nt >= 2) ||
					  (teq(&t[0], "crypto") && nt >= 3) ||
					  (teq(&t[0], "ip") && nt >= 3 && (teq(&t[1], "route") ||
						teq(&t[1], "local") || teq(&t[1], "radius") ||
						teq(&t[1], "access-list"))) ||
					  (teq(&t[0], "aaa") && nt >= 3) ||
					  (teq(&t[0], "line") && nt >= 2) ||
					  (teq(&t[0], "end") && nt == 1) || teq(&t[0], "service") ||
					  teq(&t[0], "boot-start-marker")))
				cfg++;
			else if (teq(&t[0], "!") && nt == 1)
				cfg++;
			else if (ind && nt >= 1)
				; /* block bodies: neutral */
			else
				other++;
			/* debug/show output: timestamps, %FAC-SEV-MNEMONIC, IKEv2:/RADIUS( lines */
			if (memmem(s, len, "IKEv2:", 6) || memmem(s, len, "RADIUS(", 7) ||
			    memmem(s, len, "RADIUS:", 7) || memmem(s, len, ": %", 3) ||
			    (s[0] == '*' && len > 4) || memmem(s, len, "AAA/", 4))
				other += 2;
		}
		s = le + 1;
	}
	if (!lines)
		return 0;
	if (strong && cfg >= 2 && cfg > other)
		return 95;
	if (cfg >= 4 && cfg > other * 2)
		return 70;
	if (cfg >= 2 && cfg > other * 3)
		return 40;
	if (cfg >= 1 && !other && lines >= 2)
		return 30;          /* a pasted block: "radius server X" + its body */
	return 0;
}

const struct format fmt_ios_config = {
	.name = "ios-config",
	.kind = SRC_IOS_CONFIG,
	.flags = FMT_TEXT,
	.sniff = ios_sniff,
	.open = ios_open,
	.line = ios_line,
	.close = ios_close,
};
