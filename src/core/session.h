/* \summary: sessions: one login attempt seen from every source that saw it
 *
 * The table takes every event (sess_on_event), finds or opens the session
 * its keys name, records a stage and updates the derived facts. Sessions
 * close on event time (sess_advance with a watermark) or at end of input
 * (sess_finish); each close is announced as a session.end event to the sink
 * given at creation, so rules see the finished facts.
 */
#ifndef AUTHSCOPE_CORE_SESSION_H
#define AUTHSCOPE_CORE_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "core/event.h"

enum outcome { OUT_INCOMPLETE, OUT_ACCEPT, OUT_REJECT, OUT_TIMEOUT };
const char *outcome_name(unsigned o);

/* One step of a login: 32 bytes (a big run keeps millions), the fields
 * in their old order so positional initializers still work. */
struct stage {
	int64_t ts;
	uint64_t input : 24;        /* ev.input (ids are handed out from 1) */
	uint64_t pos : 40;          /* ev.pos: a line or frame number below 2^40 */
	uint16_t kind;
	uint8_t src, from, to;
	const char *detail;         /* interned */
};

#define SESS_MAX_STAGES 512         /* more are counted in stages_dropped */
#define SESS_MAX_VP 6               /* inputs counted apart; more share the last slot */

/* Requests, retransmissions and answers to the NAS one input saw. */
struct sess_vp {
	uint32_t input;
	uint16_t req, rtx, resp;
};

/* What only some logins need (private to core/session.c): the counters
 * of a second and further inputs, the NAS's retry interval, the evidence
 * of its give-up, the IKE SPIs and the router's session and AAA ids.
 * Allocated the first time one of them is set; NULL for most logins of a
 * single log. */
struct sess_more;

/* One login. Every string is interned (core/str.h) except where said; the
 * table owns stages and more, and frees them with the session. Fields
 * rules can read (sess_field_get) all live here, not in more. */
struct session {
	uint32_t id;                /* 1-based; printed as "s<id>" */
	uint32_t src_mask;          /* bit per enum src_kind that contributed */
	const char *user;
	int64_t start, end;         /* UTC us of first/last stamped event; end is
				     * also the last activity, for expiry */
	uint8_t outcome;            /* enum outcome */
	uint8_t closed;
	uint8_t challenged;         /* last response to the NAS was a Challenge */
	uint8_t final_seen;         /* a final answer (accept/reject) went to the NAS */
	uint8_t ae_stages;          /* authevents.log steps seen: 1 primary, 2 secondary */
	uint8_t has_req_auth;
	uint8_t user_keyed;         /* its 'W' (user) join key was put */
	uint8_t peer_keyed;         /* its 'P' (IKE user + client) join key was put */
	uint8_t late_sent;          /* corr.late already raised: bit per result */

	int32_t nas_port, radius_id;
	int32_t final_code;         /* code of the answer to the NAS, -1 */
	uint32_t open_idx;          /* its place in the table's open list while open */
	const char *client_ip, *nas_ip, *server_ip, *primary_ip, *assigned_ip;
	const char *calling_station;
	uint8_t req_auth[16];

	/* counters and timings (us; -1 / EV_NO_TS when unknown) */
	uint32_t requests, retransmits, responses, pushes, primary_requests;
	uint32_t merged_into;       /* this id was merged into that one (lower id survives); 0 */
	int64_t first_request_ts, last_retransmit_ts, final_ts;
	int64_t primary_req_ts, primary_resp_ts, push_ts, duo_result_ts;
	int64_t primary_latency_us, push_latency_us, total_latency_us;
	const char *duo_result;     /* allow|deny|... */
	const char *preauth;        /* Duo preauth result: auth|allow|deny|enroll */
	const char *user_norm;      /* user_norm(user): the form keys use */
	int64_t keys_ts;            /* when its join keys were last all refreshed */

	struct stage *stages;       /* owned; shrunk to fit when the login closes */
	uint32_t nstage, cap_stage, stages_dropped;

	/* correlation across sources */
	uint32_t nas_try_input;     /* ref of the NAS's latest try (nas_last_try_ts) */
	uint64_t nas_try_pos;
	const char *nas_try_detail;
	int64_t nas_last_try_ts;    /* the NAS's latest (re)transmission, any source */
	int64_t nas_gave_up_ts;     /* the NAS gave up (router timeout) or was inferred to */
	int64_t late_us;            /* how long after the NAS gave up the proxy answered; -1 */
	uint8_t nas_try_src;
	uint8_t nvp;                /* inputs counted: vp0, then more's */
	uint32_t push_input;        /* ref of the first push */
	uint64_t push_pos;
	struct sess_vp vp0;         /* the first input's counters */
	struct sess_more *more;     /* owned, NULL until needed (see above) */
};

struct sess_table;

/* end_sink receives a session.end event per closed session, and the
 * conclusions only joined sources allow (corr.late, corr.duplicate_push)
 * when they are reached (may be NULL). */
struct sess_table *sess_new(struct ev_sink *end_sink);
void sess_free(struct sess_table *t);

/* Join e to a session (sets e->session; 0 when the event belongs to none). */
struct session *sess_on_event(struct sess_table *t, struct ev *e);
/* Close sessions idle past their window at event time now. */
void sess_advance(struct sess_table *t, int64_t now);
/* Close everything (end of input). */
void sess_finish(struct sess_table *t);

struct session *sess_get(struct sess_table *t, uint32_t id);   /* NULL when released */
/* The id a session id now lives under (itself unless it was merged). */
uint32_t sess_resolve(struct sess_table *t, uint32_t id);
/* Called each time two sessions merge (gone now lives under into), so
 * state kept by session id elsewhere (the rules engine's timers, counts
 * and sequences) can follow. One hook per table; rules_bind sets it. */
void sess_set_merge_hook(struct sess_table *t, void (*fn)(void *ctx, uint32_t gone, uint32_t into),
			 void *ctx);
size_t sess_count(const struct sess_table *t);           /* ids 1..count */
size_t sess_open_count(const struct sess_table *t);

/* Live: free a closed session (its stages and facts; its id stays used
 * and sess_get returns NULL for it from now on). An event whose keys
 * still name it opens a new session, as for any closed one. -1 when the
 * session is open or gone. The table's memory then follows the sessions
 * kept, not every session ever seen. */
int sess_release(struct sess_table *t, uint32_t id);
uint64_t sess_released(const struct sess_table *t);
uint64_t sess_evictions(const struct sess_table *t);

/* Windows (us). */
#define SESS_DUP_WINDOW_US   (30LL * 1000000)   /* authproxy CLEANUP_WAIT */
#define SESS_CHALLENGE_US    (300LL * 1000000)  /* authproxy CHALLENGE_WAIT */
#define SESS_IDLE_US         (180LL * 1000000)  /* open session with no final answer */
#define SESS_KEY_SWEEP_US    (60LL * 1000000)   /* how often expired join keys are dropped */
#define SESS_KEY_REFRESH_US  (60LL * 1000000)   /* a live login's keys are re-put this often */
#define SESS_KEY_SLACK_US    (600LL * 1000000)  /* stored key expiry past the login's deadline */
#define SESS_USER_TIE_US     (90LL * 1000000)   /* a user-only event joins a login this close (a push takes up to 60 s) */

/* Session facts by name, for rules: "session.outcome", "session.retransmits". */
enum sess_field {
	SF_ID, SF_USER, SF_OUTCOME, SF_START, SF_END, SF_CLIENT_IP, SF_NAS_IP,
	SF_ASSIGNED_IP, SF_REQUESTS, SF_RETRANSMITS, SF_RESPONSES, SF_PUSHES,
	SF_PRIMARY_LATENCY, SF_PUSH_LATENCY, SF_TOTAL_LATENCY, SF_FINAL_CODE,
	SF_DUO_RESULT, SF_LAST_RETRANSMIT, SF_FINAL_TS, SF_SOURCES, SF_PREAUTH,
	SF_PRIMARY_REQUESTS, SF_NAS_GAVE_UP, SF_LATE, SF_NAS_LAST_TRY, SF__COUNT
};
int sess_field_lookup(const char *name);     /* name without "session." */
const char *sess_field_name(unsigned f);
int sess_field_get(const struct session *s, unsigned f, struct val *v);

/* "what" word for a stage: kind name after its namespace, '_' -> '-'. */
const char *stage_what(unsigned kind);

#endif
