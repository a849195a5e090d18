/* \summary: the session table: join events to logins, derive facts, close */
#include "core/session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ident.h"
#include "core/input.h"
#include "core/keymap.h"
#include "core/str.h"

#define SESS_MAX_OPEN 200000        /* cap on open sessions; oldest closed first */

/* The rarely needed part of a session (see session.h). */
struct sess_more {
	struct sess_vp vp[SESS_MAX_VP - 1];     /* the second and further inputs */
	int64_t nas_interval_us;    /* between two tries of the NAS seen by one source; -1 */
	uint32_t nas_gu_input;      /* ref of the give-up (nas_gave_up_ts) */
	uint8_t nas_gu_src;
	uint64_t nas_gu_pos;
	char *nas_gu_raw;           /* owned copy of the give-up line, or NULL */
	const char *nas_gu_detail;
	uint64_t spi_i, spi_r;      /* IKE SPIs, 0 */
	int64_t ike_session, aaa_id;        /* router SESSION ID, AAA unique id; -1 */
};

static struct sess_more *more_of(struct session *s)
{
	if (!s->more) {
		s->more = xcalloc(1, sizeof *s->more);
		s->more->nas_interval_us = -1;
		s->more->ike_session = s->more->aaa_id = -1;
	}
	return s->more;
}

static int64_t nas_interval(const struct session *s)
{
	return s->more ? s->more->nas_interval_us : -1;
}

static uint64_t spi_i_of(const struct session *s)
{
	return s->more ? s->more->spi_i : 0;
}

static void sess_destroy(struct session *s)
{
	free(s->stages);
	if (s->more)
		free(s->more->nas_gu_raw);
	free(s->more);
	free(s);
}

struct sess_table {
	struct session **v;         /* ids base+1..n; NULL where released */
	size_t n, cap, base;
	uint64_t released;
	struct keymap *km;
	struct ev_sink *end_sink;
	void (*merge_fn)(void *ctx, uint32_t gone, uint32_t into);
	void *merge_ctx;
	uint32_t *open;             /* ids of open sessions */
	size_t nopen, capopen;
	int64_t next_sweep;
	int64_t next_key_sweep;     /* expired join keys are dropped once a minute */
	int64_t watermark;          /* latest event time seen by sess_advance */
	uint64_t evictions;
	struct evict_ent *evh;      /* eviction heap (see evict_pick); NULL until the cap */
	size_t nevh, capevh;
};

const char *outcome_name(unsigned o)
{
	static const char *const n[] = {"incomplete", "accept", "reject", "timeout"};
	return o < 4 ? n[o] : "incomplete";
}

struct sess_table *sess_new(struct ev_sink *end_sink)
{
	struct sess_table *t = xcalloc(1, sizeof *t);
	t->km = keymap_new(4 * SESS_MAX_OPEN);
	t->end_sink = end_sink;
	t->next_sweep = INT64_MIN;
	t->next_key_sweep = INT64_MIN;
	t->watermark = INT64_MIN;
	return t;
}

void sess_free(struct sess_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n - t->base; i++) {
		if (t->v[i])
			sess_destroy(t->v[i]);
	}
	free(t->v);
	free(t->open);
	free(t->evh);
	keymap_free(t->km);
	free(t);
}

struct session *sess_get(struct sess_table *t, uint32_t id)
{
	return id > t->base && id <= t->n ? t->v[id - t->base - 1] : NULL;
}

uint32_t sess_resolve(struct sess_table *t, uint32_t id)
{
	for (int hops = 0; hops < 64; hops++) {
		const struct session *s = sess_get(t, id);
		if (!s || !s->merged_into)
			break;
		id = s->merged_into;
	}
	return id;
}

size_t sess_count(const struct sess_table *t)
{
	return t->n;
}

uint64_t sess_evictions(const struct sess_table *t)
{
	return t->evictions + keymap_evictions(t->km);
}

static void close_session(struct sess_table *t, struct session *s, int expired);

/* ---- eviction at the cap: the open session idle the longest ----
 *
 * A min-heap of (end, id) built from the open list the first time the
 * cap is reached (nothing is kept below it). end only grows, so an
 * entry's key is at most its session's: the top is taken when its key is
 * still the session's end, pushed again with the new key when not, and
 * dropped when the session is no longer open. New sessions are pushed; the
 * heap is rebuilt from the open list when dead entries make up half of it.
 * Equal end: the lower id (the older session) goes first. */
struct evict_ent {
	int64_t key;
	uint32_t id;
};

static int ev_less(const struct evict_ent *a, const struct evict_ent *b)
{
	return a->key < b->key || (a->key == b->key && a->id < b->id);
}

static void evh_down(struct evict_ent *h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, m = i;
		if (l < n && ev_less(&h[l], &h[m]))
			m = l;
		if (l + 1 < n && ev_less(&h[l + 1], &h[m]))
			m = l + 1;
		if (m == i)
			return;
		struct evict_ent x = h[i];
		h[i] = h[m];
		h[m] = x;
		i = m;
	}
}

static void evh_push(struct sess_table *t, int64_t key, uint32_t id)
{
	if (t->nevh == t->capevh) {
		t->capevh = t->capevh ? t->capevh * 2 : 1024;
		t->evh = xrealloc(t->evh, t->capevh * sizeof *t->evh);
	}
	size_t i = t->nevh++;
	t->evh[i] = (struct evict_ent){key, id};
	while (i > 0) {
		size_t up = (i - 1) / 2;
		if (!ev_less(&t->evh[i], &t->evh[up]))
			break;
		struct evict_ent x = t->evh[i];
		t->evh[i] = t->evh[up];
		t->evh[up] = x;
		i = up;
	}
}

static int is_open(const struct sess_table *t, const struct session *s)
{
	return s && s->open_idx < t->nopen && t->open[s->open_idx] == s->id;
}

static void evh_rebuild(struct sess_table *t)
{
	t->nevh = 0;
	if (t->capevh < 2 * t->nopen + 1024) {
		t->capevh = 2 * t->nopen + 1024;
		t->evh = xrealloc(t->evh, t->capevh * sizeof *t->evh);
	}
	for (size_t i = 0; i < t->nopen; i++)
		t->evh[t->nevh++] = (struct evict_ent){sess_get(t, t->open[i])->end, t->open[i]};
	for (size_t i = t->nevh / 2; i-- > 0;)
		evh_down(t->evh, t->nevh, i);
}

static struct session *evict_pick(struct sess_table *t)
{
	if (!t->evh || t->nevh > 2 * t->nopen + 1024)
		evh_rebuild(t);
	while (t->nevh) {
		struct evict_ent top = t->evh[0];
		struct session *s = sess_get(t, top.id);
		t->evh[0] = t->evh[--t->nevh];
		evh_down(t->evh, t->nevh, 0);
		if (!is_open(t, s))
			continue;           /* closed, merged or released since */
		if (s->end != top.key) {
			evh_push(t, s->end, top.id);   /* it moved on: file it again */
			continue;
		}
		return s;
	}
	return NULL;
}

static struct session *sess_open(struct sess_table *t)
{
	if (t->nopen >= SESS_MAX_OPEN) {
		/* evict the open session idle the longest */
		struct session *v = evict_pick(t);
		if (v) {
			t->evictions++;
			close_session(t, v, 0);
		}
	}
	if (t->n - t->base == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 256;
		t->v = xrealloc(t->v, t->cap * sizeof *t->v);
	}
	struct session *s = xcalloc(1, sizeof *s);
	s->id = (uint32_t)(t->n + 1);
	s->start = s->end = EV_NO_TS;
	s->nas_port = s->radius_id = s->final_code = -1;
	s->first_request_ts = s->last_retransmit_ts = s->final_ts = EV_NO_TS;
	s->primary_req_ts = s->primary_resp_ts = s->push_ts = s->duo_result_ts = EV_NO_TS;
	s->primary_latency_us = s->push_latency_us = s->total_latency_us = -1;
	s->keys_ts = EV_NO_TS;
	s->nas_last_try_ts = s->nas_gave_up_ts = EV_NO_TS;
	s->late_us = -1;
	t->v[t->n++ - t->base] = s;
	if (t->nopen == t->capopen) {
		t->capopen = t->capopen ? t->capopen * 2 : 256;
		t->open = xrealloc(t->open, t->capopen * sizeof *t->open);
	}
	s->open_idx = (uint32_t)t->nopen;
	t->open[t->nopen++] = s->id;
	if (t->evh)
		evh_push(t, s->end, s->id);
	return s;
}

/* When the session's keys stop joining and it closes. */
static int64_t deadline(const struct session *s)
{
	if (s->end == EV_NO_TS)
		return INT64_MAX;
	if (s->final_seen)
		return (s->final_ts != EV_NO_TS ? s->final_ts : s->end) + SESS_DUP_WINDOW_US;
	if (s->challenged)
		return s->end + SESS_CHALLENGE_US;
	return s->end + SESS_IDLE_US;
}

/* ---- keys ---- */

static void key_radius(struct keybuf *k, const struct ev *e)
{
	key_start(k, 'R');
	key_str(k, e->nas_ip);
	key_int(k, e->nas_port);
	key_int(k, e->radius_id);
}

static int has_radius_key(const struct ev *e)
{
	return e->nas_ip && e->radius_id >= 0;
}

/* authevents.log writes one event per decision step of a login: 1 for
 * the primary step, 2 for the secondary (Duo) step; 0 for other sources. */
static unsigned ae_stage(const struct ev *e)
{
	if (e->src != SRC_AUTHEVENTS_LOG)
		return 0;
	switch (e->kind) {
	case EVK_DUO_PREAUTH: case EVK_DUO_RESULT: case EVK_DUO_FAILMODE:
	case EVK_DUO_API_ERROR: case EVK_DUO_CREDENTIALS: case EVK_DUO_AUTH_REQUEST:
		return 2;
	}
	return 1;
}

static int has_strong_key(const struct ev *e)
{
	return has_radius_key(e) || (e->server_ip && e->out_id >= 0) || e->state ||
	       e->spi_i || e->ike_session >= 0 || e->aaa_id >= 0;
}

/* Key kinds, for remembering which of an event's keys already name its
 * session. */
enum { KT_R, KT_O, KT_S, KT_I, KT_K, KT_A, KT_U, KT_W, KT_P, KT__N };

/* A key joins iff it names an open session whose deadline has not passed
 * (checked here, on the session, so the stored key need not be refreshed
 * on every event). *seen gets the session the key names, valid or not. */
static uint32_t kget(struct sess_table *t, const struct keybuf *k, int64_t now, uint32_t *seen)
{
	uint32_t sid = sess_resolve(t, keymap_get(t->km, k->b, k->n, INT64_MIN));
	*seen = sid;
	struct session *s = sid ? sess_get(t, sid) : NULL;
	/* records without time (show output) join a closed login by keys alone */
	if (!s || (now != INT64_MIN && (s->closed || deadline(s) < now)))
		return 0;
	return sid;
}

/* The session strong key kt of e names (resolved through merges), or 0.
 * Strong keys are compound (the RADIUS key is NAS address + port + id,
 * checked against the request authenticator) and valid only until their
 * session's deadline. */
static uint32_t key_sid(struct sess_table *t, const struct ev *e, int kt, int64_t now,
			uint32_t *seen)
{
	struct keybuf k;
	uint32_t sid;
	switch (kt) {
	case KT_R: {
		if (!has_radius_key(e))
			return 0;
		key_radius(&k, e);
		if (!(sid = kget(t, &k, now, seen)))
			return 0;
		struct session *s = sess_get(t, sid);
		int same_auth = (e->flags & EVF_REQ_AUTH) && s->has_req_auth &&
				!memcmp(s->req_auth, e->req_auth, 16);
		/* A new request under the key of a login that already got its
		 * final answer is a new login (the server took it as new: a
		 * retransmit would be radius.retransmit or carry the same
		 * authenticator). */
		if (e->kind == EVK_RADIUS_REQUEST && e->to != ROLE_PRIMARY && s->final_seen &&
		    !same_auth)
			return 0;
		/* same id, new authenticator: a reused id, a new login */
		if (!(e->flags & EVF_REQ_AUTH) || !s->has_req_auth || same_auth)
			return sid;
		if (e->kind != EVK_RADIUS_REQUEST)
			return sid;
		return 0;
	}
	case KT_O:
		if (!e->server_ip || e->out_id < 0)
			return 0;
		key_start(&k, 'O');
		key_str(&k, e->server_ip);
		key_int(&k, e->out_id);
		break;
	case KT_S:
		if (!e->state)
			return 0;
		key_start(&k, 'S');
		key_str(&k, e->state);
		break;
	case KT_I:
		if (!e->spi_i)
			return 0;
		key_start(&k, 'I');
		key_int(&k, (int64_t)e->spi_i);
		break;
	case KT_K:
		if (e->ike_session < 0)
			return 0;
		key_start(&k, 'K');
		key_int(&k, e->input);
		key_int(&k, e->ike_session);
		break;
	case KT_A:
		if (e->aaa_id < 0)
			return 0;
		key_start(&k, 'A');
		key_int(&k, e->input);
		key_int(&k, e->aaa_id);
		break;
	default:
		return 0;
	}
	return kget(t, &k, now, seen);
}

#define KT_STRONG (KT_A + 1)        /* KT_R .. KT_A: the keys that may merge */

static uint32_t lookup(struct sess_table *t, const struct ev *e, int64_t now, uint32_t *seen)
{
	struct keybuf k;
	uint32_t sid;
	for (int kt = 0; kt < KT_STRONG; kt++)
		if ((sid = key_sid(t, e, kt, now, &seen[kt])))
			return sid;
	const char *un = e->user ? user_norm(e->user) : NULL;
	/* A challenge round: the next request of the same user from the same
	 * NAS continues the login (EAP, passcode prompts) -- only while that
	 * login is waiting on its challenge: after a final answer the same
	 * user and NAS start a new login. */
	if (e->kind == EVK_RADIUS_REQUEST && un && e->nas_ip) {
		key_start(&k, 'U');
		key_str(&k, un);
		key_str(&k, e->nas_ip);
		if ((sid = kget(t, &k, now, &seen[KT_U]))) {
			struct session *s = sess_get(t, sid);
			if (s && s->challenged && !s->closed)
				return sid;
		}
	}
	/* The headend's first RADIUS request of an IKE login: an IKE session
	 * (a capture's IKE leg, decrypted) that knows the user's EAP identity
	 * and the client's address takes the request whose User-Name and
	 * Calling-Station-Id name the same, when that login has no request
	 * yet, the request comes before the login's conclusion (SA up, EAP
	 * or AUTH failure) and within SESS_USER_TIE_US of its last event. A
	 * capture's RADIUS events may reach the table after the IKE events of
	 * the same moment (they wait for their answer). Later rounds follow
	 * through State. */
	if (e->kind == EVK_RADIUS_REQUEST && e->to != ROLE_PRIMARY && un && e->client_ip) {
		key_start(&k, 'P');
		key_str(&k, un);
		key_str(&k, e->client_ip);
		if ((sid = kget(t, &k, now, &seen[KT_P]))) {
			struct session *s = sess_get(t, sid);
			if (s && !s->closed && spi_i_of(s) && !s->requests &&
			    (!s->final_seen || s->final_ts == EV_NO_TS || now == INT64_MIN ||
			     now <= s->final_ts) &&
			    (now == INT64_MIN || s->end == EV_NO_TS ||
			     (now - s->end <= SESS_USER_TIE_US && s->end - now <= SESS_USER_TIE_US)))
				return sid;
		}
	}
	/* A source that names only the user (authevents.log): the user's
	 * latest login if it was active within SESS_USER_TIE_US and has not
	 * had this stage's auth event yet (a second attempt is a new login). */
	if (un && !has_strong_key(e)) {
		key_start(&k, 'W');
		key_str(&k, un);
		if ((sid = kget(t, &k, now, &seen[KT_W]))) {
			struct session *s = sess_get(t, sid);
			if (s && !s->closed && !(s->ae_stages & ae_stage(e)) &&
			    (now == INT64_MIN || s->end == EV_NO_TS ||
			     (now - s->end <= SESS_USER_TIE_US && s->end - now <= SESS_USER_TIE_US)))
				return sid;
		}
	}
	return 0;
}

/* Put the event's keys for s. A key the lookup found naming s already is
 * skipped (validity is the session's deadline, checked at lookup), except
 * once a minute of event time when all are refreshed so the memory sweep
 * (keymap_expire) never drops a live login's keys. */
static void remember_keys(struct sess_table *t, struct session *s, const struct ev *e,
			  const uint32_t *seen)
{
	struct keybuf k;
	int64_t now = e->ts;
	int refresh = s->keys_ts == EV_NO_TS || (now != EV_NO_TS && now - s->keys_ts >= SESS_KEY_REFRESH_US);
	if (refresh && now != EV_NO_TS)
		s->keys_ts = now;
	int64_t dl = deadline(s);
	int64_t exp = dl > INT64_MAX - SESS_KEY_SLACK_US ? INT64_MAX : dl + SESS_KEY_SLACK_US;
#define KEEP(kt) (!refresh && seen[kt] == s->id)
	if (has_radius_key(e) && !KEEP(KT_R)) {
		key_radius(&k, e);
		keymap_put(t->km, k.b, k.n, s->id, exp);
	}
	if (e->server_ip && e->out_id >= 0 && !KEEP(KT_O)) {
		key_start(&k, 'O');
		key_str(&k, e->server_ip);
		key_int(&k, e->out_id);
		keymap_put(t->km, k.b, k.n, s->id, exp);
	}
	if (e->state && !KEEP(KT_S)) {
		key_start(&k, 'S');
		key_str(&k, e->state);
		keymap_put(t->km, k.b, k.n, s->id, exp);
	}
	if (e->spi_i && !KEEP(KT_I)) {
		key_start(&k, 'I');
		key_int(&k, (int64_t)e->spi_i);
		keymap_put(t->km, k.b, k.n, s->id, exp);
	}
	if (e->ike_session >= 0 && !KEEP(KT_K)) {
		key_start(&k, 'K');
		key_int(&k, e->input);
		key_int(&k, e->ike_session);
		keymap_put(t->km, k.b, k.n, s->id, exp);
	}
	if (e->aaa_id >= 0 && !KEEP(KT_A)) {
		key_start(&k, 'A');
		key_int(&k, e->input);
		key_int(&k, e->aaa_id);
		keymap_put(t->km, k.b, k.n, s->id, exp);
	}
#undef KEEP
	if (s->challenged && s->user_norm && s->nas_ip) {
		key_start(&k, 'U');
		key_str(&k, s->user_norm);
		key_str(&k, s->nas_ip);
		keymap_put(t->km, k.b, k.n, s->id, exp);
	}
	/* an IKE login's user and client address, for its first RADIUS
	 * request: once per session, before any request */
	if (!s->peer_keyed && spi_i_of(s) && s->user_norm && s->client_ip && !s->requests) {
		s->peer_keyed = 1;
		key_start(&k, 'P');
		key_str(&k, s->user_norm);
		key_str(&k, s->client_ip);
		keymap_put(t->km, k.b, k.n, s->id, exp);
	}
	/* the user's latest login, for user-only sources: once per session */
	if (s->user_norm && !s->user_keyed) {
		s->user_keyed = 1;
		key_start(&k, 'W');
		key_str(&k, s->user_norm);
		keymap_put(t->km, k.b, k.n, s->id, exp);
	}
}

/* Kinds that never belong to a login. */
static int sessionless(unsigned kind)
{
	switch (kind) {
	case EVK_INPUT_DAMAGED: case EVK_SESSION_END: case EVK_FINDING:
	case EVK_CONFIG: case EVK_PROXY_STARTUP: case EVK_PROXY_CONFIG_ERROR:
		return 1;
	}
	return 0;
}

static int has_any_key(const struct ev *e)
{
	/* authevents.log names only the user: its decisions still make a
	 * login when no other source saw it */
	return has_strong_key(e) || (e->user && e->src == SRC_AUTHEVENTS_LOG);
}

/* ---- facts ---- */

static void add_stage(struct session *s, const struct ev *e)
{
	if (e->kind == EVK_RAW)
		return;
	if (s->nstage >= SESS_MAX_STAGES) {
		s->stages_dropped++;
		return;
	}
	if (s->nstage == s->cap_stage) {
		/* x1.5 from 8 (8, 12, 18, 27...): a login has about ten stages. A
		 * closed login's array was shrunk to fit (maybe to 1), and
		 * time-less records may still join it: never grow by nothing. */
		s->cap_stage = s->cap_stage < 8 ? 8 : s->cap_stage + s->cap_stage / 2;
		s->stages = xrealloc(s->stages, s->cap_stage * sizeof *s->stages);
	}
	s->stages[s->nstage++] = (struct stage){e->ts, e->input, e->pos, e->kind,
						e->src, e->from, e->to, e->detail};
}

static int answers_nas(const struct ev *e)
{
	/* the proxy's (or any server's) answer to the headend, not the
	 * primary's answer to the proxy */
	return e->from != ROLE_PRIMARY && e->to != ROLE_PROXY;
}

/* The counters of one input; counts of a login are the largest any one
 * input saw (three vantage points of one request are one request). */
static struct sess_vp *vp_at(struct session *s, unsigned i)
{
	return i ? &s->more->vp[i - 1] : &s->vp0;
}

static struct sess_vp *vp_of(struct session *s, uint32_t input)
{
	if (s->nvp && s->vp0.input == input)
		return &s->vp0;
	for (uint8_t i = 1; i < s->nvp; i++)
		if (s->more->vp[i - 1].input == input)
			return &s->more->vp[i - 1];
	if (s->nvp == SESS_MAX_VP)
		return vp_at(s, SESS_MAX_VP - 1);
	if (s->nvp)
		more_of(s);
	struct sess_vp *v = vp_at(s, s->nvp++);
	*v = (struct sess_vp){input, 0, 0, 0};
	return v;
}

/* A (re)transmission of the NAS's request, from any vantage point. */
static void nas_try(struct session *s, const struct ev *e)
{
	if (e->ts == EV_NO_TS || e->from != ROLE_HEADEND)
		return;
	if (s->nas_last_try_ts != EV_NO_TS && s->nas_try_src == e->src &&
	    e->kind == EVK_RADIUS_RETRANSMIT && e->ts - s->nas_last_try_ts >= 500000)
		more_of(s)->nas_interval_us = e->ts - s->nas_last_try_ts;
	if (s->nas_last_try_ts == EV_NO_TS || e->ts >= s->nas_last_try_ts) {
		s->nas_last_try_ts = e->ts;
		s->nas_try_input = e->input;
		s->nas_try_pos = e->pos;
		s->nas_try_src = e->src;
		s->nas_try_detail = e->detail;
	}
}

/* The NAS said it gave up (router: no response from the server, AAA
 * timeout): the first such line is kept as evidence. */
static void nas_gave_up(struct session *s, const struct ev *e)
{
	if (e->ts == EV_NO_TS || s->nas_gave_up_ts != EV_NO_TS)
		return;
	struct sess_more *m = more_of(s);
	s->nas_gave_up_ts = e->ts;
	m->nas_gu_input = e->input;
	m->nas_gu_pos = e->pos;
	m->nas_gu_src = e->src;
	m->nas_gu_detail = e->detail;
	free(m->nas_gu_raw);
	m->nas_gu_raw = e->raw ? xstrndup(e->raw, e->raw_len ? e->raw_len : strlen(e->raw)) : NULL;
}

static int nas_gave_up_before(const struct session *s, int64_t ts)
{
	return ts != EV_NO_TS && s->nas_gave_up_ts != EV_NO_TS && ts > s->nas_gave_up_ts;
}

static void update_facts(struct session *s, const struct ev *e)
{
	int64_t ts = e->ts;
	struct sess_vp *v;          /* the counters of e's input */
	if (ts != EV_NO_TS) {
		if (s->start == EV_NO_TS || ts < s->start)
			s->start = ts;
		if (s->end == EV_NO_TS || ts > s->end)
			s->end = ts;
	}
	s->src_mask |= 1u << e->src;
	if (!s->user && e->user) {
		s->user = e->user;
		s->user_norm = user_norm(e->user);
	}
	if (!s->nas_ip && e->nas_ip && e->from != ROLE_PROXY)
		s->nas_ip = e->nas_ip;
	if (s->nas_port < 0 && e->nas_port >= 0 && e->from != ROLE_PROXY)
		s->nas_port = e->nas_port;
	if (s->radius_id < 0 && e->radius_id >= 0)
		s->radius_id = e->radius_id;
	if (!s->server_ip && e->server_ip && e->to != ROLE_PRIMARY && e->from != ROLE_PRIMARY)
		s->server_ip = e->server_ip;
	if (!s->client_ip && e->client_ip)
		s->client_ip = e->client_ip;
	if (e->assigned_ip)
		s->assigned_ip = e->assigned_ip;
	if (!s->calling_station && e->calling_station)
		s->calling_station = e->calling_station;
	if (e->spi_i || e->spi_r || e->ike_session >= 0 || e->aaa_id >= 0) {
		struct sess_more *m = more_of(s);
		if (!m->spi_i && e->spi_i)
			m->spi_i = e->spi_i;
		if (!m->spi_r && e->spi_r)
			m->spi_r = e->spi_r;
		if (m->ike_session < 0)
			m->ike_session = e->ike_session;
		if (m->aaa_id < 0)
			m->aaa_id = e->aaa_id;
	}
	/* the authenticator of the login's latest request: a later round (a
	 * new id, joined through State) is compared against its own, so its
	 * proxied copy under the same key stays in the login */
	if ((e->flags & EVF_REQ_AUTH) && e->kind == EVK_RADIUS_REQUEST &&
	    (!s->has_req_auth || e->to != ROLE_PRIMARY)) {
		memcpy(s->req_auth, e->req_auth, 16);
		s->has_req_auth = 1;
	}

	s->ae_stages |= (uint8_t)ae_stage(e);
	/* authevents.log gives the decision when no answer to the NAS is seen */
	if (e->src == SRC_AUTHEVENTS_LOG && !s->final_seen && e->result) {
		int allow = !strcmp(e->result, "allow") || !strcmp(e->result, "safe");
		int deny = !strcmp(e->result, "deny") || !strcmp(e->result, "secure") ||
			   !strcmp(e->result, "enroll");
		if ((e->kind == EVK_DUO_RESULT || e->kind == EVK_DUO_FAILMODE ||
		     e->kind == EVK_DUO_PREAUTH) && (allow || deny))
			s->outcome = allow ? OUT_ACCEPT : OUT_REJECT;
	}
	if (e->src == SRC_AUTHEVENTS_LOG && !s->final_seen &&
	    (e->kind == EVK_PROXY_PRIMARY_REJECT || e->kind == EVK_RADIUS_BAD_AUTH ||
	     e->kind == EVK_PROXY_PROTOCOL))
		s->outcome = OUT_REJECT;

	switch (e->kind) {
	case EVK_RADIUS_REQUEST:
		if (e->to == ROLE_PRIMARY)
			break;
		/* every source that saw the request counts it: the login's
		 * count is the largest one (not the sum of the vantage points) */
		v = vp_of(s, e->input);
		if (++v->req > s->requests)
			s->requests = v->req;
		s->challenged = 0;
		if (ts != EV_NO_TS && (s->first_request_ts == EV_NO_TS || ts < s->first_request_ts))
			s->first_request_ts = ts;
		nas_try(s, e);
		break;
	case EVK_RADIUS_RETRANSMIT:
		if (e->to == ROLE_PRIMARY)
			break;
		v = vp_of(s, e->input);
		if (++v->rtx > s->retransmits)
			s->retransmits = v->rtx;
		if (ts != EV_NO_TS && (s->last_retransmit_ts == EV_NO_TS || ts > s->last_retransmit_ts))
			s->last_retransmit_ts = ts;
		nas_try(s, e);
		break;
	case EVK_RADIUS_RESPONSE:
		if (!answers_nas(e))
			break;
		v = vp_of(s, e->input);
		if (++v->resp > s->responses)
			s->responses = v->resp;
		s->final_code = e->code;
		if (e->code == 11) {
			s->challenged = 1;
		} else if (e->code == 2 || e->code == 3) {
			s->final_seen = 1;
			s->challenged = 0;
			/* an answer after the NAS gave up does not make the login */
			if (!nas_gave_up_before(s, ts))
				s->outcome = e->code == 2 ? OUT_ACCEPT : OUT_REJECT;
			if (s->final_ts == EV_NO_TS)
				s->final_ts = ts;
		}
		break;
	case EVK_RADIUS_TIMEOUT: case EVK_AAA_TIMEOUT: case EVK_IKE_NO_RESPONSE:
		if (!s->final_seen)
			s->outcome = OUT_TIMEOUT;
		/* the headend says it gave up (a capture's timeout only says
		 * no answer was seen: its give-up is inferred from the tries) */
		if (e->kind == EVK_AAA_TIMEOUT ||
		    (e->kind == EVK_RADIUS_TIMEOUT && e->to != ROLE_PRIMARY &&
		     (e->src == SRC_IOS_DEBUG || e->src == SRC_SYSLOG)))
			nas_gave_up(s, e);
		break;
	case EVK_PROXY_PRIMARY_REQ:
		s->primary_requests++;
		if (e->server_ip)
			s->primary_ip = e->server_ip;
		if (s->primary_req_ts == EV_NO_TS)
			s->primary_req_ts = ts;
		break;
	case EVK_PROXY_PRIMARY_RESP:
		if (s->primary_resp_ts == EV_NO_TS) {
			s->primary_resp_ts = ts;
			if (ts != EV_NO_TS && s->primary_req_ts != EV_NO_TS)
				s->primary_latency_us = ts - s->primary_req_ts;
		}
		break;
	case EVK_DUO_PREAUTH:
		if (e->result)
			s->preauth = e->result;
		break;
	case EVK_DUO_AUTH_REQUEST:
		s->pushes++;
		if (s->push_ts == EV_NO_TS) {
			s->push_ts = ts;
			s->push_input = e->input;
			s->push_pos = e->pos;
		}
		break;
	case EVK_DUO_RESULT:
		s->duo_result = e->result;
		s->duo_result_ts = ts;
		if (ts != EV_NO_TS && s->push_ts != EV_NO_TS)
			s->push_latency_us = ts - s->push_ts;
		break;
	case EVK_IKE_SA_UP:
		if (!s->final_seen) {
			s->outcome = OUT_ACCEPT;
			s->final_seen = 1;
			s->final_ts = ts;
		}
		break;
	case EVK_IKE_AUTH:
		if (e->result && !strcmp(e->result, "failed") && !s->final_seen &&
		    s->nas_gave_up_ts == EV_NO_TS) {
			s->outcome = OUT_REJECT;
			s->final_seen = 1;
			s->final_ts = ts;
		}
		break;
	}
	if (s->first_request_ts != EV_NO_TS && s->final_ts != EV_NO_TS)
		s->total_latency_us = s->final_ts - s->first_request_ts;
}

/* ---- merging two sessions that one later event proves are one login ---- */

static int64_t min_ts(int64_t a, int64_t b)
{
	return a == EV_NO_TS ? b : b == EV_NO_TS ? a : a < b ? a : b;
}

static int64_t max_ts(int64_t a, int64_t b)
{
	return a == EV_NO_TS ? b : b == EV_NO_TS ? a : a > b ? a : b;
}

/* Stages in time order, stable: a stage without time keeps the time of
 * the stamped stage of its own input before it; records without time that
 * follow none go last (a show snapshot is taken after the login). The
 * list is nearly sorted (arrival is in corrected time): insertion sort. */
static void sort_stages(struct session *s)
{
	if (s->nstage < 2)
		return;
	int64_t *key = xmalloc(s->nstage * sizeof *key);
	struct last_ts { uint32_t input; int64_t ts; } last[8];
	unsigned nl = 0;
	for (uint32_t i = 0; i < s->nstage; i++) {
		const struct stage *st = &s->stages[i];
		unsigned x = 0;
		while (x < nl && last[x].input != st->input)
			x++;
		if (st->ts != EV_NO_TS) {
			if (x == nl && nl < 8)
				last[nl++] = (struct last_ts){st->input, st->ts};
			else if (x < nl)
				last[x].ts = st->ts;
			key[i] = st->ts;
		} else {
			key[i] = x < nl ? last[x].ts : INT64_MAX;
		}
	}
	for (uint32_t i = 1; i < s->nstage; i++) {
		struct stage st = s->stages[i];
		int64_t k = key[i];
		uint32_t j = i;
		while (j > 0 && key[j - 1] > k) {
			s->stages[j] = s->stages[j - 1];
			key[j] = key[j - 1];
			j--;
		}
		s->stages[j] = st;
		key[j] = k;
	}
	free(key);
}

/* Stages of both, then in time order. */
static void merge_stages(struct session *k, struct session *g)
{
	uint32_t n = k->nstage + g->nstage;
	if (n > SESS_MAX_STAGES) {
		k->stages_dropped += n - SESS_MAX_STAGES;
		n = SESS_MAX_STAGES;
	}
	if (n > k->cap_stage) {
		k->stages = xrealloc(k->stages, n * sizeof *k->stages);
		k->cap_stage = n;
	}
	for (uint32_t j = 0; j < g->nstage && k->nstage < n; j++)
		k->stages[k->nstage++] = g->stages[j];
	k->stages_dropped += g->stages_dropped;
	free(g->stages);
	g->stages = NULL;
	g->nstage = g->cap_stage = 0;
	sort_stages(k);
}

#define FILL(f) do { if (!k->f) k->f = g->f; } while (0)

static void merge_facts(struct session *k, struct session *g)
{
	k->start = min_ts(k->start, g->start);
	k->end = max_ts(k->end, g->end);
	k->src_mask |= g->src_mask;
	k->ae_stages |= g->ae_stages;
	if (!k->user) {
		k->user = g->user;
		k->user_norm = g->user_norm;
	}
	FILL(client_ip); FILL(nas_ip); FILL(server_ip); FILL(primary_ip); FILL(assigned_ip);
	FILL(calling_station); FILL(duo_result); FILL(preauth);
	if (k->nas_port < 0)
		k->nas_port = g->nas_port;
	if (k->radius_id < 0)
		k->radius_id = g->radius_id;
	if (g->more) {
		struct sess_more *km = more_of(k), *gm = g->more;
		if (!km->spi_i)
			km->spi_i = gm->spi_i;
		if (!km->spi_r)
			km->spi_r = gm->spi_r;
		if (km->ike_session < 0)
			km->ike_session = gm->ike_session;
		if (km->aaa_id < 0)
			km->aaa_id = gm->aaa_id;
	}
	if (!k->has_req_auth && g->has_req_auth) {
		memcpy(k->req_auth, g->req_auth, 16);
		k->has_req_auth = 1;
	}
	k->requests = k->retransmits = k->responses = 0;
	for (uint8_t i = 0; i < g->nvp; i++) {
		const struct sess_vp *gv = vp_at(g, i);
		struct sess_vp *v = vp_of(k, gv->input);
		v->req = (uint16_t)(v->req + gv->req);
		v->rtx = (uint16_t)(v->rtx + gv->rtx);
		v->resp = (uint16_t)(v->resp + gv->resp);
	}
	for (uint8_t i = 0; i < k->nvp; i++) {
		const struct sess_vp *v = vp_at(k, i);
		if (v->req > k->requests)
			k->requests = v->req;
		if (v->rtx > k->retransmits)
			k->retransmits = v->rtx;
		if (v->resp > k->responses)
			k->responses = v->resp;
	}
	k->pushes += g->pushes;
	k->primary_requests += g->primary_requests;
	/* the final answer: whichever came first */
	if (g->final_seen && (!k->final_seen || (g->final_ts != EV_NO_TS && k->final_ts != EV_NO_TS &&
						 g->final_ts < k->final_ts))) {
		k->final_ts = g->final_ts;
		k->final_code = g->final_code;
		k->outcome = g->outcome;
	} else if (!k->final_seen && k->outcome == OUT_INCOMPLETE) {
		k->outcome = g->outcome;
		if (k->final_code < 0)
			k->final_code = g->final_code;
	}
	k->final_seen |= g->final_seen;
	k->challenged = k->final_seen ? 0 : (uint8_t)(k->challenged | g->challenged);
	k->first_request_ts = min_ts(k->first_request_ts, g->first_request_ts);
	k->last_retransmit_ts = max_ts(k->last_retransmit_ts, g->last_retransmit_ts);
	k->primary_req_ts = min_ts(k->primary_req_ts, g->primary_req_ts);
	k->primary_resp_ts = min_ts(k->primary_resp_ts, g->primary_resp_ts);
	if (g->push_ts != EV_NO_TS && (k->push_ts == EV_NO_TS || g->push_ts < k->push_ts)) {
		k->push_ts = g->push_ts;
		k->push_input = g->push_input;
		k->push_pos = g->push_pos;
	}
	k->duo_result_ts = max_ts(k->duo_result_ts, g->duo_result_ts);
	if (k->primary_req_ts != EV_NO_TS && k->primary_resp_ts != EV_NO_TS)
		k->primary_latency_us = k->primary_resp_ts - k->primary_req_ts;
	if (k->push_ts != EV_NO_TS && k->duo_result_ts != EV_NO_TS)
		k->push_latency_us = k->duo_result_ts - k->push_ts;
	if (k->first_request_ts != EV_NO_TS && k->final_ts != EV_NO_TS)
		k->total_latency_us = k->final_ts - k->first_request_ts;
	if (g->nas_last_try_ts != EV_NO_TS &&
	    (k->nas_last_try_ts == EV_NO_TS || g->nas_last_try_ts > k->nas_last_try_ts)) {
		k->nas_last_try_ts = g->nas_last_try_ts;
		k->nas_try_input = g->nas_try_input;
		k->nas_try_pos = g->nas_try_pos;
		k->nas_try_src = g->nas_try_src;
		k->nas_try_detail = g->nas_try_detail;
	}
	if (nas_interval(g) > nas_interval(k))
		more_of(k)->nas_interval_us = g->more->nas_interval_us;
	if (g->nas_gave_up_ts != EV_NO_TS &&
	    (k->nas_gave_up_ts == EV_NO_TS || g->nas_gave_up_ts < k->nas_gave_up_ts)) {
		struct sess_more *km = more_of(k), *gm = g->more;
		k->nas_gave_up_ts = g->nas_gave_up_ts;
		km->nas_gu_input = gm->nas_gu_input;
		km->nas_gu_pos = gm->nas_gu_pos;
		km->nas_gu_src = gm->nas_gu_src;
		km->nas_gu_detail = gm->nas_gu_detail;
		free(km->nas_gu_raw);
		km->nas_gu_raw = gm->nas_gu_raw;
		gm->nas_gu_raw = NULL;
	}
	if (k->late_us < 0)
		k->late_us = g->late_us;
	k->late_sent |= g->late_sent;
}

static void drop_open(struct sess_table *t, struct session *s)
{
	if (is_open(t, s)) {
		uint32_t last = t->open[--t->nopen];
		t->open[s->open_idx] = last;
		sess_get(t, last)->open_idx = s->open_idx;
	}
}

/* Merge a and b; the lower id survives and is returned. Keys naming the
 * other id resolve to it (sess_resolve); its findings follow at the end of
 * the run. When either was closed already (its session.end is out), the
 * survivor counts as closed too: no second session.end. */
static struct session *sess_merge(struct sess_table *t, struct session *a, struct session *b)
{
	struct session *k = a->id < b->id ? a : b, *g = a->id < b->id ? b : a;
	merge_stages(k, g);
	merge_facts(k, g);
	g->merged_into = k->id;
	if (!g->closed)
		drop_open(t, g);
	if (g->closed && !k->closed) {
		k->closed = 1;
		drop_open(t, k);
	}
	g->closed = 1;
	if (t->merge_fn)
		t->merge_fn(t->merge_ctx, g->id, k->id);
	return k;
}

void sess_set_merge_hook(struct sess_table *t, void (*fn)(void *ctx, uint32_t gone, uint32_t into),
			 void *ctx)
{
	t->merge_fn = fn;
	t->merge_ctx = ctx;
}

/* The event's other strong keys may name another open session of the
 * same login (the proxy saw the request before the router's IKE session
 * reached RADIUS): merge them. Weak keys (user, user + NAS) never merge. */
static struct session *join_others(struct sess_table *t, struct session *s, const struct ev *e,
				   int64_t now, const uint32_t *found)
{
	for (int kt = 0; kt < KT_STRONG; kt++) {
		if (found[kt] == s->id)
			continue;       /* the lookup resolved this key to s already */
		uint32_t seen;
		uint32_t o = key_sid(t, e, kt, now, &seen);
		if (!o || o == s->id)
			continue;
		struct session *x = sess_get(t, o);
		if (!x || x->closed || s->closed)
			continue;
		s = sess_merge(t, s, x);
	}
	return s;
}

/* ---- cross-source conclusions, raised as corr.* events ---- */

enum { LATE_PENDING = 1, LATE_ANSWER = 2, LATE_APPROVAL = 4 };
#define SESS_LATE_MIN_US 500000     /* an answer this close to the give-up is a tie */

#define CAPTURE_MASK ((1u << SRC_PCAP) | (1u << SRC_PCAPNG) | (1u << SRC_LIVE))

/* When the NAS gave up: said by the headend, or (a capture on the NAS's
 * leg) inferred: no try came within a retry interval after its last one,
 * so the NAS had stopped waiting when now's answer came. EV_NO_TS: not
 * known to have given up by now. */
static int64_t gave_up_at(const struct session *s, int64_t now, int *inferred)
{
	*inferred = 0;
	if (s->nas_gave_up_ts != EV_NO_TS)
		return s->nas_gave_up_ts <= now ? s->nas_gave_up_ts : EV_NO_TS;
	int64_t iv = nas_interval(s);
	if (!(s->src_mask & CAPTURE_MASK) || s->nas_last_try_ts == EV_NO_TS ||
	    iv <= 0 || now == EV_NO_TS)
		return EV_NO_TS;
	int64_t g = s->nas_last_try_ts + iv;
	if (now <= g + iv / 2 + 1000000)
		return EV_NO_TS;
	*inferred = 1;
	return g;
}

static void fmt_tod(char *out, size_t n, int64_t ts)
{
	char b[32];
	clock_fmt_rfc3339(b, ts);
	snprintf(out, n, "%.12sZ", b + 11);     /* 17:55:50.000Z */
}

static void late_event(struct sess_table *t, struct session *s, struct ev *c, unsigned kind)
{
	ev_init(c, kind, SRC_UNKNOWN, 0, 0);
	c->session = s->id;
	c->user = s->user;
	c->nas_ip = s->nas_ip;
	c->nas_port = s->nas_port;
	c->radius_id = s->radius_id;
	c->client_ip = s->client_ip;
	(void)t;
}

/* c's evidence ref: where e was read, and its line */
static void cite(struct ev *c, const struct ev *e)
{
	c->input = e->input;
	c->pos = e->pos;
	c->src = e->src;
	c->raw = e->raw;
	c->raw_len = e->raw_len;
}

static void raise_late(struct sess_table *t, struct session *s, const struct ev *e, unsigned what)
{
	if (!t->end_sink || (s->late_sent & what))
		return;
	int inferred;
	int64_t g = what == LATE_PENDING ? s->nas_gave_up_ts : gave_up_at(s, e->ts, &inferred);
	if (what == LATE_PENDING)
		inferred = 0;
	/* within clock-estimate noise of the give-up is not late */
	if (g == EV_NO_TS || (what != LATE_PENDING && e->ts - g < SESS_LATE_MIN_US))
		return;
	s->late_sent |= (uint8_t)what;
	const char *word = what == LATE_PENDING ? "pending" : what == LATE_ANSWER ? "answer" : "approval";
	char when[24], push[24], d[480];
	fmt_tod(when, sizeof when, g);
	unsigned tries = s->requests + s->retransmits;
	const char *nas = s->nas_ip ? s->nas_ip : "?";
	if (what == LATE_PENDING) {
		fmt_tod(push, sizeof push, s->push_ts);
		snprintf(d, sizeof d, "the NAS %s gave up at %s after %u tr%s while the Duo push sent at "
			 "%s was still pending", nas, when, tries, tries == 1 ? "y" : "ies", push);
	} else {
		s->late_us = e->ts - g;
		if (what == LATE_APPROVAL)
			snprintf(d, sizeof d, "the NAS %s %s at %s after %u tr%s; Duo approved %.1f s later",
				 nas, inferred ? "had stopped trying" : "gave up", when, tries,
				 tries == 1 ? "y" : "ies", (double)s->late_us / 1e6);
		else
			snprintf(d, sizeof d, "the NAS %s %s at %s after %u tr%s; the proxy answered "
				 "(code %d) %.1f s later", nas, inferred ? "had stopped trying" : "gave up",
				 when, tries, tries == 1 ? "y" : "ies", e->code, (double)s->late_us / 1e6);
	}
	const char *detail = intern_cstr(d);
	struct ev c;
	/* first the NAS's side: its give-up line (or its last try) */
	late_event(t, s, &c, EVK_CORR_LATE);
	c.ts = g;
	c.from = ROLE_HEADEND;
	c.text = intern_cstr("nas");
	c.result = intern_cstr(word);
	c.detail = detail;
	c.num = s->late_us;
	if (what == LATE_PENDING) {
		cite(&c, e);
	} else if (!inferred) {
		/* a said give-up: nas_gave_up() filled more */
		c.input = s->more->nas_gu_input;
		c.pos = s->more->nas_gu_pos;
		c.src = s->more->nas_gu_src;
		c.raw = s->more->nas_gu_raw;
	} else {
		c.input = s->nas_try_input;
		c.pos = s->nas_try_pos;
		c.src = s->nas_try_src;
		c.detail = s->nas_try_detail ? s->nas_try_detail : detail;
	}
	ev_emit(t->end_sink, &c);
	/* then what came too late (or the push still pending) */
	late_event(t, s, &c, EVK_CORR_LATE);
	c.text = intern_cstr(word);
	c.result = intern_cstr(word);
	c.detail = detail;
	c.num = s->late_us;
	if (what == LATE_PENDING) {
		fmt_tod(push, sizeof push, s->push_ts);
		snprintf(d, sizeof d, "the Duo push for %s sent at %s, still pending when the NAS "
			 "gave up", s->user ? s->user : "?", push);
		c.detail = intern_cstr(d);
		c.ts = s->push_ts;
		c.input = s->push_input;
		c.pos = s->push_pos;
		c.src = SRC_AUTHPROXY_LOG;
		c.from = ROLE_PROXY;
		c.to = ROLE_DUO;
	} else {
		c.ts = e->ts;
		cite(&c, e);
		c.from = e->from;
		c.to = e->to;
	}
	ev_emit(t->end_sink, &c);
}

static void check_late(struct sess_table *t, struct session *s, const struct ev *e)
{
	if (e->ts == EV_NO_TS)
		return;
	switch (e->kind) {
	case EVK_RADIUS_RESPONSE:
		/* the proxy's answer as the proxy or the wire saw it leave */
		if (e->to == ROLE_HEADEND && (e->code == 2 || e->code == 3 || e->code == 11) &&
		    (e->src == SRC_AUTHPROXY_LOG || src_kind_is_capture(e->src)) &&
		    (s->src_mask & ~((1u << SRC_AUTHPROXY_LOG) | (1u << SRC_AUTHEVENTS_LOG))))
			raise_late(t, s, e, LATE_ANSWER);
		break;
	case EVK_DUO_RESULT:
		if (e->result && !strcmp(e->result, "allow"))
			raise_late(t, s, e, LATE_APPROVAL);
		break;
	case EVK_RADIUS_TIMEOUT: case EVK_AAA_TIMEOUT:
		if (s->nas_gave_up_ts == e->ts && s->push_ts != EV_NO_TS && s->push_ts <= e->ts &&
		    (s->duo_result_ts == EV_NO_TS || s->duo_result_ts > e->ts))
			raise_late(t, s, e, LATE_PENDING);
		break;
	}
}

/* A new request of a user while an earlier login of the same user still
 * waits for its Duo push: the user gets a second push. */
static void check_dup_push(struct sess_table *t, struct session *s, const struct ev *e)
{
	if (!t->end_sink || e->kind != EVK_RADIUS_REQUEST || e->from != ROLE_HEADEND ||
	    !s->user_norm || e->ts == EV_NO_TS)
		return;
	struct keybuf k;
	key_start(&k, 'P');
	key_str(&k, s->user_norm);
	struct session *o = sess_get(t, sess_resolve(t, keymap_get(t->km, k.b, k.n, e->ts)));
	if (!o || o == s || o->closed || o->push_ts == EV_NO_TS || o->push_ts > e->ts ||
	    (o->duo_result_ts != EV_NO_TS && o->duo_result_ts <= e->ts) || o->final_seen)
		return;
	char when[24], d[320];
	fmt_tod(when, sizeof when, o->push_ts);
	snprintf(d, sizeof d, "new request id %d from %s:%d while the push of s%u (sent %s) is still "
		 "pending", e->radius_id, e->nas_ip ? e->nas_ip : "?", e->nas_port, o->id, when);
	struct ev c;
	late_event(t, s, &c, EVK_CORR_DUP_PUSH);
	c.ts = e->ts;
	cite(&c, e);
	c.from = e->from;
	c.to = e->to;
	c.num = o->pushes + 1;          /* pushes the user would have at once */
	c.code = (int32_t)o->id;
	c.nas_ip = e->nas_ip;
	c.nas_port = e->nas_port;
	c.radius_id = e->radius_id;
	c.detail = intern_cstr(d);
	ev_emit(t->end_sink, &c);
}

static void note_push(struct sess_table *t, struct session *s, const struct ev *e)
{
	if (e->kind != EVK_DUO_AUTH_REQUEST || !s->user_norm || e->ts == EV_NO_TS)
		return;
	struct keybuf k;
	key_start(&k, 'P');
	key_str(&k, s->user_norm);
	keymap_put(t->km, k.b, k.n, s->id, e->ts + SESS_USER_TIE_US);
}

struct session *sess_on_event(struct sess_table *t, struct ev *e)
{
	e->session = 0;
	if (sessionless(e->kind))
		return NULL;
	int64_t now = e->ts != EV_NO_TS ? e->ts : INT64_MIN;
	uint32_t seen[KT__N] = {0};
	uint32_t sid = lookup(t, e, now, seen);
	struct session *s = sid ? sess_get(t, sid) : NULL;
	/* keys of a closed login never join -- except for records without
	 * time (show output), which join by keys alone */
	if (s && s->closed && e->ts != EV_NO_TS)
		s = NULL;
	int opened = 0;
	if (!s) {
		if (!has_any_key(e))
			return NULL;
		s = sess_open(t);
		opened = 1;
	} else if (!s->closed) {
		uint32_t before = s->id;
		s = join_others(t, s, e, now, seen);
		if (s->id != before)
			memset(seen, 0, sizeof seen);   /* the survivor gets every key */
	}
	e->session = s->id;
	update_facts(s, e);
	add_stage(s, e);
	remember_keys(t, s, e, seen);
	if (opened)
		check_dup_push(t, s, e);
	check_late(t, s, e);
	note_push(t, s, e);
	return s;
}

static void close_session(struct sess_table *t, struct session *s, int expired)
{
	if (s->closed)
		return;
	s->closed = 1;
	sort_stages(s);
	/* a closed login gets no more stages: give the slack back */
	if (s->nstage && s->nstage < s->cap_stage) {
		s->stages = xrealloc(s->stages, s->nstage * sizeof *s->stages);
		s->cap_stage = s->nstage;
	}
	/* Past its deadline with requests sent and no final answer (and not
	 * parked on a challenge the client never answered): the client gave
	 * up waiting. */
	if (expired && !s->final_seen && !s->challenged && s->requests > 0)
		s->outcome = OUT_TIMEOUT;
	drop_open(t, s);        /* swaps the last open id into its place */
	if (!t->end_sink)
		return;
	struct ev e;
	ev_init(&e, EVK_SESSION_END, SRC_UNKNOWN, 0, 0);
	if (s->nstage) {
		const struct stage *last = &s->stages[s->nstage - 1];
		e.input = last->input;
		e.pos = last->pos;
		e.src = last->src;
	}
	e.ts = s->end;
	e.session = s->id;
	e.user = s->user;
	e.nas_ip = s->nas_ip;
	e.nas_port = s->nas_port;
	e.radius_id = s->radius_id;
	e.client_ip = s->client_ip;
	e.assigned_ip = s->assigned_ip;
	e.code = s->final_code;
	e.num = s->total_latency_us;
	e.result = intern_cstr(outcome_name(s->outcome));
	ev_emit(t->end_sink, &e);
}

void sess_advance(struct sess_table *t, int64_t now)
{
	if (now == EV_NO_TS)
		return;
	if (now > t->watermark)
		t->watermark = now;
	if (now < t->next_sweep)
		return;
	/* Sweep when the earliest deadline may have passed: a deadline only
	 * moves at an event and then lies at least SESS_DUP_WINDOW_US after it,
	 * so no login can fall due before min(earliest now, now + that window). */
	int64_t next = now + SESS_DUP_WINDOW_US;
	for (size_t i = 0; i < t->nopen;) {
		struct session *s = sess_get(t, t->open[i]);
		int64_t d = deadline(s);
		if (d < now) {
			close_session(t, s, 1); /* swaps the last open id into i */
		} else {
			if (d < next)
				next = d;
			i++;
		}
	}
	t->next_sweep = next;
	/* Expired keys never join (keymap_get checks), so dropping them is
	 * only about memory: once a minute of event time keeps the sweep's
	 * full-table scan off the per-second path. */
	if (now >= t->next_key_sweep) {
		t->next_key_sweep = now + SESS_KEY_SWEEP_US;
		keymap_expire(t->km, now - SESS_CHALLENGE_US);
	}
}

/* Does x contradict f on a key both know? */
static int conflicts(const struct session *f, const struct session *x)
{
	uint64_t fs = spi_i_of(f), xs = spi_i_of(x);
	return (fs && xs && fs != xs) ||
	       (f->assigned_ip && x->assigned_ip && f->assigned_ip != x->assigned_ip) ||
	       (f->client_ip && x->client_ip && f->client_ip != x->client_ip) ||
	       (f->user_norm && x->user_norm && f->user_norm != x->user_norm);
}

/* The login a session of records without time (show output) belongs to,
 * by keys alone: the same SPI; else the same assigned address and the
 * same peer or user; else, weakest, the same user -- confirmed only when
 * exactly one accepted login of that user agrees on every key they share
 * (an SA that is up came from an accepted login). 0 when none. */
static uint32_t floating_target(struct sess_table *t, const struct session *f)
{
	uint32_t by_spi = 0, by_addr = 0, by_user = 0;
	unsigned nuser = 0;
	for (size_t i = 0; i < t->n - t->base; i++) {
		const struct session *x = t->v[i];
		if (!x || x == f || x->merged_into || !x->nstage)
			continue;
		if (spi_i_of(f) && spi_i_of(x) == spi_i_of(f) && !by_spi)
			by_spi = x->id;
		if (conflicts(f, x))
			continue;
		if (f->assigned_ip && x->assigned_ip == f->assigned_ip &&
		    ((f->client_ip && x->client_ip == f->client_ip) ||
		     (f->user_norm && x->user_norm == f->user_norm)) && !by_addr)
			by_addr = x->id;
		if (f->user_norm && x->user_norm == f->user_norm && x->start != EV_NO_TS &&
		    x->outcome == OUT_ACCEPT) {
			by_user = x->id;
			nuser++;
		}
	}
	return by_spi ? by_spi : by_addr ? by_addr : nuser == 1 ? by_user : 0;
}

static void join_floating(struct sess_table *t)
{
	for (int pass = 0; pass < 3; pass++) {
		int moved = 0;
		for (size_t i = 0; i < t->n - t->base; i++) {
			struct session *f = t->v[i];
			if (!f || f->merged_into || f->start != EV_NO_TS || !f->nstage)
				continue;
			uint32_t to = floating_target(t, f);
			if (to) {
				sess_merge(t, f, sess_get(t, to));
				moved = 1;
			}
		}
		if (!moved)
			break;
	}
}

void sess_finish(struct sess_table *t)
{
	join_floating(t);
	/* close in creation order so session.end events come out stable */
	for (size_t i = 0; i < t->n - t->base; i++)
		if (t->v[i])
			close_session(t, t->v[i], t->watermark != INT64_MIN &&
				      deadline(t->v[i]) < t->watermark);
}

/* ---- fields ---- */

static const char *const sf_names[SF__COUNT] = {
	[SF_ID] = "id", [SF_USER] = "user", [SF_OUTCOME] = "outcome",
	[SF_START] = "start", [SF_END] = "end", [SF_CLIENT_IP] = "client_ip",
	[SF_NAS_IP] = "nas_ip", [SF_ASSIGNED_IP] = "assigned_ip",
	[SF_REQUESTS] = "requests", [SF_RETRANSMITS] = "retransmits",
	[SF_RESPONSES] = "responses", [SF_PUSHES] = "pushes",
	[SF_PRIMARY_LATENCY] = "primary_latency", [SF_PUSH_LATENCY] = "push_latency",
	[SF_TOTAL_LATENCY] = "total_latency", [SF_FINAL_CODE] = "final_code",
	[SF_DUO_RESULT] = "duo_result", [SF_LAST_RETRANSMIT] = "last_retransmit",
	[SF_FINAL_TS] = "final_ts", [SF_SOURCES] = "sources",
	[SF_PREAUTH] = "preauth", [SF_PRIMARY_REQUESTS] = "primary_requests",
	[SF_NAS_GAVE_UP] = "nas_gave_up", [SF_LATE] = "late",
	[SF_NAS_LAST_TRY] = "nas_last_try",
};

int sess_field_lookup(const char *name)
{
	for (unsigned i = 0; i < SF__COUNT; i++)
		if (!strcmp(sf_names[i], name))
			return (int)i;
	return -1;
}

const char *sess_field_name(unsigned f)
{
	return f < SF__COUNT ? sf_names[f] : "?";
}

static int vi(struct val *v, int64_t i, int ok)
{
	*v = (struct val){ok ? V_INT : V_NONE, i, NULL};
	return ok ? 0 : -1;
}

static int vs(struct val *v, const char *s)
{
	*v = (struct val){s ? V_STR : V_NONE, 0, s};
	return s ? 0 : -1;
}

int sess_field_get(const struct session *s, unsigned f, struct val *v)
{
	switch (f) {
	case SF_ID: return vi(v, s->id, 1);
	case SF_USER: return vs(v, s->user);
	case SF_OUTCOME: return vs(v, intern_cstr(outcome_name(s->outcome)));
	case SF_START: return vi(v, s->start, s->start != EV_NO_TS);
	case SF_END: return vi(v, s->end, s->end != EV_NO_TS);
	case SF_CLIENT_IP: return vs(v, s->client_ip);
	case SF_NAS_IP: return vs(v, s->nas_ip);
	case SF_ASSIGNED_IP: return vs(v, s->assigned_ip);
	case SF_REQUESTS: return vi(v, s->requests, 1);
	case SF_RETRANSMITS: return vi(v, s->retransmits, 1);
	case SF_RESPONSES: return vi(v, s->responses, 1);
	case SF_PUSHES: return vi(v, s->pushes, 1);
	case SF_PRIMARY_LATENCY: return vi(v, s->primary_latency_us, s->primary_latency_us >= 0);
	case SF_PUSH_LATENCY: return vi(v, s->push_latency_us, s->push_latency_us >= 0);
	case SF_TOTAL_LATENCY: return vi(v, s->total_latency_us, s->total_latency_us >= 0);
	case SF_FINAL_CODE: return vi(v, s->final_code, s->final_code >= 0);
	case SF_DUO_RESULT: return vs(v, s->duo_result);
	case SF_LAST_RETRANSMIT: return vi(v, s->last_retransmit_ts, s->last_retransmit_ts != EV_NO_TS);
	case SF_FINAL_TS: return vi(v, s->final_ts, s->final_ts != EV_NO_TS);
	case SF_SOURCES: return vi(v, s->src_mask, 1);
	case SF_PREAUTH: return vs(v, s->preauth);
	case SF_PRIMARY_REQUESTS: return vi(v, s->primary_requests, 1);
	case SF_NAS_GAVE_UP: return vi(v, s->nas_gave_up_ts, s->nas_gave_up_ts != EV_NO_TS);
	case SF_LATE: return vi(v, s->late_us, s->late_us >= 0);
	case SF_NAS_LAST_TRY: return vi(v, s->nas_last_try_ts, s->nas_last_try_ts != EV_NO_TS);
	}
	return vs(v, NULL);
}

const char *stage_what(unsigned kind)
{
	static char cache[EVK__COUNT][40];
	if (kind >= EVK__COUNT)
		return "?";
	if (!cache[kind][0]) {
		const char *n = ev_kind_name(kind);
		const char *dot = strchr(n, '.');
		size_t i = 0;
		for (const char *p = dot ? dot + 1 : n; *p && i < sizeof cache[0] - 1; p++)
			cache[kind][i++] = *p == '_' ? '-' : *p;
		cache[kind][i] = 0;
	}
	return cache[kind];
}

int sess_release(struct sess_table *t, uint32_t id)
{
	struct session *s = sess_get(t, id);
	if (!s || !s->closed)
		return -1;
	t->v[id - t->base - 1] = NULL;
	sess_destroy(s);
	t->released++;
	/* drop the released prefix once it is half of the array */
	size_t len = t->n - t->base, lead = 0;
	while (lead < len && !t->v[lead])
		lead++;
	if (lead && lead * 2 >= len) {
		memmove(t->v, t->v + lead, (len - lead) * sizeof *t->v);
		t->base += lead;
		if (t->cap > 256 && (len - lead) * 4 < t->cap) {
			t->cap /= 2;
			t->v = xrealloc(t->v, t->cap * sizeof *t->v);
		}
	}
	return 0;
}

uint64_t sess_released(const struct sess_table *t)
{
	return t->released;
}

size_t sess_open_count(const struct sess_table *t)
{
	return t->nopen;
}
