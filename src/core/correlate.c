/* \summary: clock error estimation from transactions several inputs saw */
#include "core/correlate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/input.h"
#include "core/keymap.h"
#include "core/str.h"

struct occ {
	const char *key;            /* interned key bytes */
	uint32_t input;
	int64_t ts;
	uint64_t pos;
};

struct pdiff {
	uint32_t a, b;              /* inputs, a < b */
	int64_t d;                  /* ts_b - ts_a (us) */
	uint64_t pos_b, pos_a;
	int64_t ts_b, ts_a;
};

struct clock_est {
	struct occ *o;
	size_t n, cap;
	struct clock_est_res *res;
	size_t nres;
};

#define OCC_MAX 4000000             /* cap on kept keys (a first pass need not see all) */
#define PER_KEY 3                   /* occurrences per key and input paired */
#define WINDOW_US (2LL * 1000000)  /* densest window for the robust centre */

struct clock_est *clock_est_new(void)
{
	return xcalloc(1, sizeof(struct clock_est));
}

void clock_est_free(struct clock_est *ce)
{
	if (!ce)
		return;
	free(ce->o);
	free(ce->res);
	free(ce);
}

static void keep(struct clock_est *ce, const struct keybuf *k, const struct ev *e)
{
	if (ce->n >= OCC_MAX)
		return;
	if (ce->n == ce->cap) {
		ce->cap = ce->cap ? ce->cap * 2 : 1024;
		ce->o = xrealloc(ce->o, ce->cap * sizeof *ce->o);
	}
	ce->o[ce->n++] = (struct occ){intern(k->b, k->n), e->input, e->ts, e->pos};
}

void clock_est_on_event(struct clock_est *ce, const struct ev *e)
{
	if (e->ts == EV_NO_TS || !e->input)
		return;
	struct keybuf k;
	switch (e->kind) {
	case EVK_RADIUS_REQUEST:
		/* the headend's request as the headend, the proxy or a capture saw it */
		if (e->to == ROLE_PRIMARY) {
			if (e->server_ip && e->out_id >= 0) {
				key_start(&k, 'O');
				key_str(&k, e->server_ip);
				key_int(&k, e->out_id);
				keep(ce, &k, e);
			}
			return;
		}
		if (!e->nas_ip || e->nas_port < 0 || e->radius_id < 0)
			return;
		key_start(&k, 'R');
		key_str(&k, e->nas_ip);
		key_int(&k, e->nas_port);
		key_int(&k, e->radius_id);
		keep(ce, &k, e);
		return;
	case EVK_PROXY_PRIMARY_REQ:
		if (!e->server_ip || e->out_id < 0)
			return;
		key_start(&k, 'O');
		key_str(&k, e->server_ip);
		key_int(&k, e->out_id);
		keep(ce, &k, e);
		return;
	case EVK_RADIUS_RESPONSE:
		/* the final answer to the NAS (accept, reject, challenge) */
		if (e->to != ROLE_HEADEND || !e->nas_ip || e->nas_port < 0 || e->radius_id < 0 ||
		    e->code < 0)
			return;
		key_start(&k, 'A');
		key_str(&k, e->nas_ip);
		key_int(&k, e->nas_port);
		key_int(&k, e->radius_id);
		key_int(&k, e->code);
		keep(ce, &k, e);
		return;
	}
}

static int cmp_occ(const void *x, const void *y)
{
	const struct occ *a = x, *b = y;
	if (a->key != b->key)
		return (uintptr_t)a->key < (uintptr_t)b->key ? -1 : 1;
	if (a->input != b->input)
		return a->input < b->input ? -1 : 1;
	return a->ts < b->ts ? -1 : a->ts > b->ts;
}

static int cmp_pd(const void *x, const void *y)
{
	const struct pdiff *a = x, *b = y;
	if (a->a != b->a)
		return a->a < b->a ? -1 : 1;
	if (a->b != b->b)
		return a->b < b->b ? -1 : 1;
	return a->d < b->d ? -1 : a->d > b->d;
}

static int cmp_i64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return a < b ? -1 : a > b;
}

int64_t clock_est_center(int64_t *v, size_t n, int64_t win_us, size_t *support)
{
	qsort(v, n, sizeof *v, cmp_i64);
	size_t best = 0, bestn = 0;
	for (size_t i = 0, j = 0; i < n; i++) {
		while (v[i] - v[j] > win_us)
			j++;
		if (i - j + 1 > bestn) {
			bestn = i - j + 1;
			best = j;
		}
	}
	if (support)
		*support = bestn;
	return v[best + bestn / 2] / 2 + v[best + (bestn - 1) / 2] / 2;
}

struct edge {
	uint32_t a, b;
	int64_t d;                  /* b's clock minus a's (us) */
	size_t support;
	uint64_t pos_b, pos_a;
	int64_t ts_b, ts_a;
};

static int year_known(const struct src_clock *c)
{
	return c->year_from == CF_TIMESTAMPS || c->year_from == CF_OPTION ||
	       c->year_from == CF_OTHER_SOURCE;
}

/* Which clock to hold the others against: one whose stamps say their
 * year, then a capture (epoch time), the proxy log (explicit offsets). */
static int trust(const struct input *in)
{
	int t = year_known(&in->clock) || src_kind_is_capture(in->kind) ? 8 : 0;
	if (src_kind_is_capture(in->kind))
		return t + 3;
	if (in->kind == SRC_AUTHPROXY_LOG)
		return t + 2;
	return t + 1;
}

/* Civil date of a UTC time seen in a zone. */
static void civil(int64_t us, int32_t zone_s, int *y, int *m, int *d)
{
	char b[32];
	clock_fmt_rfc3339(b, us + (int64_t)zone_s * 1000000);
	*y = atoi(b);
	*m = atoi(b + 5);
	*d = atoi(b + 8);
}

/* The stamps carry no year and the one guessed (file time, this year) is
 * whole years off: take the year from the matched source. Returns the
 * shift (us) that the corrected year removes from t. */
static int64_t infer_year(struct input *in, int64_t t, int64_t ts_in)
{
	const int64_t yr = 31556952LL * 1000000;     /* 365.2425 days */
	if (year_known(&in->clock) || src_kind_is_capture(in->kind) || llabs(t) < yr / 2)
		return 0;
	int64_t k = (t >= 0 ? t + yr / 2 : t - yr / 2) / yr;
	if (!k || llabs(t - k * yr) > 3LL * 86400 * 1000000)
		return 0;
	int y, m, d, fy, fm, fd;
	civil(ts_in, in->clock.zone_s, &y, &m, &d);
	int64_t days = days_from_civil(y, (unsigned)m, (unsigned)d) -
		       days_from_civil(y - k, (unsigned)m, (unsigned)(m == 2 && d == 29 ? 28 : d));
	civil(in->clock.first_ts != INT64_MIN ? in->clock.first_ts : ts_in, in->clock.zone_s, &fy,
	      &fm, &fd);
	in->clock.year = (int32_t)(fy - k);
	in->clock.year_from = CF_INFERRED;
	in->clock.last_month = -1;
	return days * 86400 * 1000000;
}

static void drop_occ(struct clock_est *ce)
{
	free(ce->o);
	ce->o = NULL;
	ce->n = ce->cap = 0;
}

size_t clock_est_solve(struct clock_est *ce)
{
	free(ce->res);
	ce->res = NULL;
	ce->nres = 0;
	if (ce->n < 2) {
		drop_occ(ce);
		return 0;
	}
	qsort(ce->o, ce->n, sizeof *ce->o, cmp_occ);

	/* pairwise differences of the same key seen by two inputs */
	struct pdiff *pd = NULL;
	size_t npd = 0, cappd = 0;
	for (size_t i = 0; i < ce->n;) {
		size_t j = i;
		while (j < ce->n && ce->o[j].key == ce->o[i].key)
			j++;
		/* runs per input inside [i, j) */
		for (size_t a = i; a < j;) {
			size_t ae = a;
			while (ae < j && ce->o[ae].input == ce->o[a].input)
				ae++;
			for (size_t b = ae; b < j;) {
				size_t be = b;
				while (be < j && ce->o[be].input == ce->o[b].input)
					be++;
				for (size_t x = a; x < ae && x < a + PER_KEY; x++)
					for (size_t y = b; y < be && y < b + PER_KEY; y++) {
						if (npd == cappd) {
							cappd = cappd ? cappd * 2 : 256;
							pd = xrealloc(pd, cappd * sizeof *pd);
						}
						pd[npd++] = (struct pdiff){ce->o[x].input, ce->o[y].input,
									   ce->o[y].ts - ce->o[x].ts,
									   ce->o[y].pos, ce->o[x].pos,
									   ce->o[y].ts, ce->o[x].ts};
					}
				b = be;
			}
			a = ae;
		}
		i = j;
	}
	/* the keys are no longer needed: give them back before the main pass */
	drop_occ(ce);
	if (!npd) {
		free(pd);
		return 0;
	}
	qsort(pd, npd, sizeof *pd, cmp_pd);

	/* one edge per pair of inputs: the robust centre of its differences */
	struct edge *ed = NULL;
	size_t ned = 0;
	int64_t *tmp = xmalloc(npd * sizeof *tmp);
	for (size_t i = 0; i < npd;) {
		size_t j = i;
		while (j < npd && pd[j].a == pd[i].a && pd[j].b == pd[i].b)
			j++;
		for (size_t k = i; k < j; k++)
			tmp[k - i] = pd[k].d;
		size_t sup;
		int64_t c = clock_est_center(tmp, j - i, WINDOW_US, &sup);
		/* a matched event near the centre, for the ref */
		size_t pick = i;
		for (size_t k = i; k < j; k++)
			if (llabs(pd[k].d - c) < llabs(pd[pick].d - c))
				pick = k;
		ed = xrealloc(ed, (ned + 1) * sizeof *ed);
		ed[ned++] = (struct edge){pd[i].a, pd[i].b, c, sup, pd[pick].pos_b, pd[pick].pos_a,
					  pd[pick].ts_b, pd[pick].ts_a};
		i = j;
	}
	free(tmp);
	free(pd);

	/* the reference: the most trusted input among those matched, then the
	 * best connected, then the lowest id */
	uint32_t nin = input_count();
	size_t *deg = xcalloc(nin + 1, sizeof *deg);
	for (size_t i = 0; i < ned; i++) {
		deg[ed[i].a] += ed[i].support;
		deg[ed[i].b] += ed[i].support;
	}
	uint32_t ref = 0;
	for (uint32_t id = 1; id <= nin; id++) {
		if (!deg[id])
			continue;
		if (!ref || trust(input_get(id)) > trust(input_get(ref)) ||
		    (trust(input_get(id)) == trust(input_get(ref)) && deg[id] > deg[ref]))
			ref = id;
	}
	/* grow a tree from the reference along the best supported pairs */
	int64_t *total = xcalloc(nin + 1, sizeof *total);   /* stamped minus reference (us) */
	uint8_t *done = xcalloc(nin + 1, 1);
	done[ref] = 1;
	for (;;) {
		long best = -1;
		for (size_t i = 0; i < ned; i++)
			if (done[ed[i].a] != done[ed[i].b] &&
			    (best < 0 || ed[i].support > ed[best].support))
				best = (long)i;
		if (best < 0)
			break;
		struct edge *g = &ed[best];
		uint32_t from = done[g->a] ? g->a : g->b, to = done[g->a] ? g->b : g->a;
		int64_t d = to == g->b ? g->d : -g->d;
		total[to] = total[from] + d;
		done[to] = 1;
		struct input *in = input_get(to);
		int64_t t = total[to];
		int inferred = 0;
		int64_t ys = infer_year(in, t, to == g->b ? g->ts_b : g->ts_a);
		t -= ys;
		total[to] -= ys;
		/* a whole zone the stamps did not say: the zone, not an error */
		if (in->clock.zone_from != CF_TIMESTAMPS && in->clock.zone_from != CF_OPTION &&
		    !src_kind_is_capture(in->kind) && llabs(t) >= 600LL * 1000000) {
			int64_t q = 900LL * 1000000;
			int64_t z = (t >= 0 ? t + q / 2 : t - q / 2) / q * q;
			if (llabs(z) <= 14LL * 3600 * 1000000) {
				in->clock.zone_s += (int32_t)(z / 1000000);
				in->clock.zone_from = CF_INFERRED;
				t -= z;
				inferred = 1;
			}
		}
		in->clock.offset_s = (double)t / 1e6;
		in->clock.offset_basis = (uint32_t)g->support;
		ce->res = xrealloc(ce->res, (ce->nres + 1) * sizeof *ce->res);
		ce->res[ce->nres++] = (struct clock_est_res){
			to, from, in->clock.offset_s, (uint32_t)g->support, in->clock.zone_s,
			(uint8_t)inferred, to == g->b ? g->pos_b : g->pos_a,
			to == g->b ? g->ts_b : g->ts_a};
	}
	/* the time of each result's matched event, corrected */
	for (size_t r = 0; r < ce->nres; r++)
		ce->res[r].ts -= total[ce->res[r].input];
	free(total);
	free(done);
	free(deg);
	free(ed);
	return ce->nres;
}

size_t clock_est_results(const struct clock_est *ce, const struct clock_est_res **out)
{
	*out = ce->res;
	return ce->nres;
}

/* ---- roles of addresses ---- */

#define ROLE_MAX_SECT 16

struct role_map {
	struct keymap *km;          /* address -> role << 1 | from_config */
	struct {                    /* the proxy's [radius_server_*] sections */
		const char *name;       /* interned */
		const char *client;     /* client= value, or NULL */
		const char *where;      /* detail of the client line */
		int32_t port;           /* -1: not said (1812) */
	} sect[ROLE_MAX_SECT];
	unsigned nsect;
};

struct role_map *roles_new(void)
{
	struct role_map *m = xcalloc(1, sizeof *m);
	m->km = keymap_new(4096);
	return m;
}

void roles_free(struct role_map *m)
{
	if (!m)
		return;
	keymap_free(m->km);
	free(m);
}

static void learn(struct role_map *m, const char *addr, unsigned role, int from_config)
{
	if (!addr || !*addr || strchr(addr, '/') || strchr(addr, '-'))
		return;                 /* a range or a network names no one host */
	struct keybuf k;
	key_start(&k, 'r');
	key_str(&k, addr);
	uint32_t v = keymap_get(m->km, k.b, k.n, INT64_MIN);
	if (v && ((v & 1) || !from_config))
		return;                 /* configs win; the first word stays */
	keymap_put(m->km, k.b, k.n, (role << 1) | (from_config ? 1u : 0u), INT64_MAX);
}

unsigned roles_of(const struct role_map *m, const char *addr)
{
	if (!addr)
		return ROLE_NONE;
	struct keybuf k;
	key_start(&k, 'r');
	key_str(&k, addr);
	return keymap_get(m->km, k.b, k.n, INT64_MIN) >> 1;
}

static unsigned sect_of(struct role_map *m, const char *name)
{
	for (unsigned i = 0; i < m->nsect; i++)
		if (m->sect[i].name == name)
			return i;
	if (m->nsect == ROLE_MAX_SECT)
		return ROLE_MAX_SECT;
	m->sect[m->nsect].name = name;
	m->sect[m->nsect].client = NULL;
	m->sect[m->nsect].where = NULL;
	m->sect[m->nsect].port = -1;
	return m->nsect++;
}

void roles_learn(struct role_map *m, const struct ev *e)
{
	switch (e->kind) {
	case EVK_CONFIG:                        /* [radius_server_*] client=... */
		if (e->src == SRC_AUTHPROXY_CFG && e->result && !strcmp(e->result, "client") &&
		    e->text && e->detail && !strncmp(e->detail, "[radius_server_", 15)) {
			const char *end = strchr(e->detail, ']');
			if (!end)
				return;
			unsigned i = sect_of(m, intern(e->detail + 1, (size_t)(end - e->detail - 1)));
			if (i < ROLE_MAX_SECT) {
				m->sect[i].client = e->text;
				m->sect[i].where = e->detail;
			}
		}
		return;
	case EVK_CONFIG_PROXY_CLIENT:           /* radius_ip_N: the proxy's RADIUS clients */
		if (e->result && !strcmp(e->result, "ip"))
			learn(m, e->nas_ip, ROLE_HEADEND, 1);
		return;
	case EVK_CONFIG_PROXY_UPSTREAM:         /* [radius_client] host: the primary */
		if (e->result && !strcmp(e->result, "host"))
			learn(m, e->server_ip, ROLE_PRIMARY, 1);
		return;
	case EVK_CONFIG_PROXY_SERVER:           /* the proxy's own listening address */
		if (e->result && !strcmp(e->result, "interface"))
			learn(m, e->server_ip, ROLE_PROXY, 1);
		if (e->result && !strcmp(e->result, "port") && e->text && e->server_port > 0) {
			unsigned i = sect_of(m, e->text);
			if (i < ROLE_MAX_SECT)
				m->sect[i].port = e->server_port;
		}
		return;
	case EVK_CONFIG_ROUTER_RADIUS:          /* the headend's RADIUS server: the proxy */
		if (e->result && !strcmp(e->result, "address"))
			learn(m, e->server_ip, ROLE_PROXY, 1);
		else if (e->result && !strcmp(e->result, "source"))
			learn(m, e->nas_ip, ROLE_HEADEND, 1);
		return;
	case EVK_RADIUS_REQUEST:
		if (e->src == SRC_AUTHPROXY_LOG && e->to == ROLE_PROXY) {
			learn(m, e->nas_ip, ROLE_HEADEND, 0);
		} else if ((e->src == SRC_IOS_DEBUG || e->src == SRC_SYSLOG) &&
			   e->from == ROLE_HEADEND) {
			learn(m, e->nas_ip, ROLE_HEADEND, 0);
			learn(m, e->server_ip, ROLE_PROXY, 0);
		}
		return;
	case EVK_PROXY_PRIMARY_REQ:
		learn(m, e->server_ip, ROLE_PRIMARY, 0);
		return;
	}
}

int roles_fix(const struct role_map *m, struct ev *e)
{
	if (!src_kind_is_capture(e->src) || !e->server_ip)
		return 0;
	int req;
	switch (e->kind) {
	case EVK_RADIUS_REQUEST: case EVK_RADIUS_RETRANSMIT: case EVK_RADIUS_TIMEOUT:
	case EVK_RADIUS_UNREACHABLE:
		req = 1;
		break;
	case EVK_RADIUS_RESPONSE:
		req = 0;
		break;
	default:
		return 0;
	}
	unsigned srv = roles_of(m, e->server_ip);
	if (srv != ROLE_PROXY && srv != ROLE_PRIMARY)
		return 0;
	unsigned cli = srv == ROLE_PRIMARY ? ROLE_PROXY : ROLE_HEADEND;
	uint8_t from = (uint8_t)(req ? cli : srv), to = (uint8_t)(req ? srv : cli);
	if (e->from == from && e->to == to)
		return 0;
	e->from = from;
	e->to = to;
	return 1;
}

int roles_pap_mismatch(const struct role_map *m, const struct ev *e, struct ev *out)
{
	if (!src_kind_is_capture(e->src) || e->kind != EVK_RADIUS_REQUEST || e->to != ROLE_PROXY ||
	    !m->nsect)
		return 0;
	/* what the request carries instead of a password: the decoder's
	 * summary names CHAP / MS-CHAP, num is the EAP type */
	const char *what = NULL;
	if (e->num >= 0)
		what = "EAP";
	else if (e->raw && e->raw_len && memmem(e->raw, e->raw_len, " MS-CHAP", 8))
		what = "MS-CHAP";
	else if (e->raw && e->raw_len && memmem(e->raw, e->raw_len, " CHAP", 5))
		what = "CHAP";
	if (!what)
		return 0;
	for (unsigned i = 0; i < m->nsect; i++) {
		int32_t port = m->sect[i].port >= 0 ? m->sect[i].port : 1812;
		if (!m->sect[i].client || strcmp(m->sect[i].client, "ad_client") ||
		    (e->server_port >= 0 && e->server_port != port))
			continue;
		*out = *e;
		out->kind = EVK_CORR_PROTO;
		char t[256];
		snprintf(t, sizeof t, "%s, but %s needs the PAP password", what, m->sect[i].where);
		out->text = intern_cstr(t);
		out->result = intern_cstr(what);
		return 1;
	}
	return 0;
}
