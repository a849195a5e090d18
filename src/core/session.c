/* \summary: the session table: join events to logins, derive facts, close */
#include "core/session.h"

#include <stdlib.h>
#include <string.h>

#include "core/keymap.h"
#include "core/str.h"

#define SESS_MAX_OPEN 200000        /* cap on open sessions; oldest closed first */

struct sess_table {
	struct session **v;         /* ids base+1..n; NULL where released */
	size_t n, cap, base;
	uint64_t released;
	struct keymap *km;
	struct ev_sink *end_sink;
	uint32_t *open;             /* ids of open sessions */
	size_t nopen, capopen;
	int64_t next_sweep;
	int64_t next_key_sweep;     /* expired join keys are dropped once a minute */
	int64_t watermark;          /* latest event time seen by sess_advance */
	uint64_t evictions;
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
		if (!t->v[i])
			continue;
		free(t->v[i]->stages);
		free(t->v[i]);
	}
	free(t->v);
	free(t->open);
	keymap_free(t->km);
	free(t);
}

struct session *sess_get(struct sess_table *t, uint32_t id)
{
	return id > t->base && id <= t->n ? t->v[id - t->base - 1] : NULL;
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

static struct session *sess_open(struct sess_table *t)
{
	if (t->nopen >= SESS_MAX_OPEN) {
		/* evict the open session idle the longest */
		size_t m = 0;
		for (size_t i = 1; i < t->nopen; i++)
			if (sess_get(t, t->open[i])->last_ts < sess_get(t, t->open[m])->last_ts)
				m = i;
		t->evictions++;
		close_session(t, sess_get(t, t->open[m]), 0);
	}
	if (t->n - t->base == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 256;
		t->v = xrealloc(t->v, t->cap * sizeof *t->v);
	}
	struct session *s = xcalloc(1, sizeof *s);
	s->id = (uint32_t)(t->n + 1);
	s->start = s->end = s->last_ts = EV_NO_TS;
	s->nas_port = s->radius_id = s->final_code = -1;
	s->ike_session = s->aaa_id = -1;
	s->first_request_ts = s->last_retransmit_ts = s->final_ts = EV_NO_TS;
	s->primary_req_ts = s->primary_resp_ts = s->push_ts = s->duo_result_ts = EV_NO_TS;
	s->primary_latency_us = s->push_latency_us = s->total_latency_us = -1;
	s->keys_ts = EV_NO_TS;
	t->v[t->n++ - t->base] = s;
	if (t->nopen == t->capopen) {
		t->capopen = t->capopen ? t->capopen * 2 : 256;
		t->open = xrealloc(t->open, t->capopen * sizeof *t->open);
	}
	t->open[t->nopen++] = s->id;
	return s;
}

/* When the session's keys stop joining and it closes. */
static int64_t deadline(const struct session *s)
{
	if (s->last_ts == EV_NO_TS)
		return INT64_MAX;
	if (s->final_seen)
		return (s->final_ts != EV_NO_TS ? s->final_ts : s->last_ts) + SESS_DUP_WINDOW_US;
	if (s->challenged)
		return s->last_ts + SESS_CHALLENGE_US;
	return s->last_ts + SESS_IDLE_US;
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
enum { KT_R, KT_O, KT_S, KT_I, KT_K, KT_A, KT_U, KT_W, KT__N };

/* A key joins iff it names an open session whose deadline has not passed
 * (checked here, on the session, so the stored key need not be refreshed
 * on every event). *seen gets the session the key names, valid or not. */
static uint32_t kget(struct sess_table *t, const struct keybuf *k, int64_t now, uint32_t *seen)
{
	uint32_t sid = keymap_get(t->km, k->b, k->n, INT64_MIN);
	*seen = sid;
	struct session *s = sid ? sess_get(t, sid) : NULL;
	if (!s || s->closed || (now != INT64_MIN && deadline(s) < now))
		return 0;
	return sid;
}

static uint32_t lookup(struct sess_table *t, const struct ev *e, int64_t now, uint32_t *seen)
{
	struct keybuf k;
	uint32_t sid;
	if (has_radius_key(e)) {
		key_radius(&k, e);
		if ((sid = kget(t, &k, now, &seen[KT_R]))) {
			struct session *s = sess_get(t, sid);
			int same_auth = (e->flags & EVF_REQ_AUTH) && s->has_req_auth &&
					!memcmp(s->req_auth, e->req_auth, 16);
			/* A new request under the key of a login that already got its
			 * final answer is a new login (the server took it as new: a
			 * retransmit would be radius.retransmit or carry the same
			 * authenticator). */
			if (e->kind == EVK_RADIUS_REQUEST && e->to != ROLE_PRIMARY &&
			    s->final_seen && !same_auth)
				return 0;
			/* same id, new authenticator: a reused id, a new login */
			if (!(e->flags & EVF_REQ_AUTH) || !s->has_req_auth || same_auth)
				return sid;
			if (e->kind != EVK_RADIUS_REQUEST)
				return sid;
			return 0;
		}
	}
	if (e->server_ip && e->out_id >= 0) {
		key_start(&k, 'O');
		key_str(&k, e->server_ip);
		key_int(&k, e->out_id);
		if ((sid = kget(t, &k, now, &seen[KT_O])))
			return sid;
	}
	if (e->state) {
		key_start(&k, 'S');
		key_str(&k, e->state);
		if ((sid = kget(t, &k, now, &seen[KT_S])))
			return sid;
	}
	if (e->spi_i) {
		key_start(&k, 'I');
		key_int(&k, (int64_t)e->spi_i);
		if ((sid = kget(t, &k, now, &seen[KT_I])))
			return sid;
	}
	if (e->ike_session >= 0) {
		key_start(&k, 'K');
		key_int(&k, e->input);
		key_int(&k, e->ike_session);
		if ((sid = kget(t, &k, now, &seen[KT_K])))
			return sid;
	}
	if (e->aaa_id >= 0) {
		key_start(&k, 'A');
		key_int(&k, e->input);
		key_int(&k, e->aaa_id);
		if ((sid = kget(t, &k, now, &seen[KT_A])))
			return sid;
	}
	/* A challenge round: the next request of the same user from the same
	 * NAS continues the login (EAP, passcode prompts) -- only while that
	 * login is waiting on its challenge: after a final answer the same
	 * user and NAS start a new login. */
	if (e->kind == EVK_RADIUS_REQUEST && e->user && e->nas_ip) {
		key_start(&k, 'U');
		key_str(&k, e->user);
		key_str(&k, e->nas_ip);
		if ((sid = kget(t, &k, now, &seen[KT_U]))) {
			struct session *s = sess_get(t, sid);
			if (s && s->challenged && !s->closed)
				return sid;
		}
	}
	/* A source that names only the user (authevents.log): the user's
	 * latest login if it was active within SESS_USER_TIE_US and has not
	 * had this stage's auth event yet (a second attempt is a new login). */
	if (e->user && !has_strong_key(e)) {
		key_start(&k, 'W');
		key_str(&k, e->user);
		if ((sid = kget(t, &k, now, &seen[KT_W]))) {
			struct session *s = sess_get(t, sid);
			if (s && !s->closed && !(s->ae_stages & ae_stage(e)) &&
			    (now == INT64_MIN || s->last_ts == EV_NO_TS ||
			     (now - s->last_ts <= SESS_USER_TIE_US && s->last_ts - now <= SESS_USER_TIE_US)))
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
	if (s->challenged && s->user && s->nas_ip) {
		key_start(&k, 'U');
		key_str(&k, s->user);
		key_str(&k, s->nas_ip);
		keymap_put(t->km, k.b, k.n, s->id, exp);
	}
	/* the user's latest login, for user-only sources: once per session */
	if (s->user && s->user_key != s->user) {
		s->user_key = s->user;
		key_start(&k, 'W');
		key_str(&k, s->user);
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
		/* x1.5 from 8 (8, 12, 18, 27...): a login has about ten stages */
		s->cap_stage = s->cap_stage ? s->cap_stage + s->cap_stage / 2 : 8;
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

static void update_facts(struct session *s, const struct ev *e)
{
	int64_t ts = e->ts;
	if (ts != EV_NO_TS) {
		if (s->start == EV_NO_TS || ts < s->start)
			s->start = ts;
		if (s->end == EV_NO_TS || ts > s->end)
			s->end = ts;
		if (s->last_ts == EV_NO_TS || ts > s->last_ts)
			s->last_ts = ts;
	}
	s->src_mask |= 1u << e->src;
	if (!s->user && e->user)
		s->user = e->user;
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
	if (!s->spi_i && e->spi_i)
		s->spi_i = e->spi_i;
	if (!s->spi_r && e->spi_r)
		s->spi_r = e->spi_r;
	if (s->ike_session < 0)
		s->ike_session = e->ike_session;
	if (s->aaa_id < 0)
		s->aaa_id = e->aaa_id;
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
		s->requests++;
		s->challenged = 0;
		if (s->first_request_ts == EV_NO_TS)
			s->first_request_ts = ts;
		break;
	case EVK_RADIUS_RETRANSMIT:
		if (e->to == ROLE_PRIMARY)
			break;
		s->retransmits++;
		if (ts != EV_NO_TS)
			s->last_retransmit_ts = ts;
		break;
	case EVK_RADIUS_RESPONSE:
		if (!answers_nas(e))
			break;
		s->responses++;
		s->final_code = e->code;
		if (e->code == 11) {
			s->challenged = 1;
		} else if (e->code == 2 || e->code == 3) {
			s->final_seen = 1;
			s->challenged = 0;
			s->outcome = e->code == 2 ? OUT_ACCEPT : OUT_REJECT;
			if (s->final_ts == EV_NO_TS)
				s->final_ts = ts;
		}
		break;
	case EVK_RADIUS_TIMEOUT: case EVK_AAA_TIMEOUT: case EVK_IKE_NO_RESPONSE:
		if (!s->final_seen)
			s->outcome = OUT_TIMEOUT;
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
		if (s->push_ts == EV_NO_TS)
			s->push_ts = ts;
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
		if (e->result && !strcmp(e->result, "failed") && !s->final_seen) {
			s->outcome = OUT_REJECT;
			s->final_seen = 1;
			s->final_ts = ts;
		}
		break;
	}
	if (s->first_request_ts != EV_NO_TS && s->final_ts != EV_NO_TS)
		s->total_latency_us = s->final_ts - s->first_request_ts;
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
	if (s && s->closed)
		s = NULL;          /* keys of a closed login never join */
	if (!s) {
		if (!has_any_key(e))
			return NULL;
		s = sess_open(t);
	}
	e->session = s->id;
	update_facts(s, e);
	add_stage(s, e);
	remember_keys(t, s, e, seen);
	return s;
}

static void close_session(struct sess_table *t, struct session *s, int expired)
{
	if (s->closed)
		return;
	s->closed = 1;
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
	for (size_t i = 0; i < t->nopen; i++)
		if (t->open[i] == s->id) {
			t->open[i] = t->open[--t->nopen];
			break;
		}
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
	t->next_sweep = now + 1000000;   /* sweep once per second of event time */
	for (size_t i = 0; i < t->nopen;) {
		struct session *s = sess_get(t, t->open[i]);
		if (deadline(s) < now)
			close_session(t, s, 1); /* swaps the last open id into i */
		else
			i++;
	}
	/* Expired keys never join (keymap_get checks), so dropping them is
	 * only about memory: once a minute of event time keeps the sweep's
	 * full-table scan off the per-second path. */
	if (now >= t->next_key_sweep) {
		t->next_key_sweep = now + SESS_KEY_SWEEP_US;
		keymap_expire(t->km, now - SESS_CHALLENGE_US);
	}
}

void sess_finish(struct sess_table *t)
{
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
	free(s->stages);
	free(s);
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
