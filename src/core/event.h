/* \summary: the event, the contract between sources and everything else
 *
 * A parser or decoder fills a struct ev on its stack and hands it to a sink.
 * Every string field except raw must be interned (core/str.h: intern) so it
 * stays valid for the run and compares by pointer. raw is borrowed: it is
 * valid only during the sink call; whoever keeps it copies it.
 */
#ifndef AUTHSCOPE_CORE_EVENT_H
#define AUTHSCOPE_CORE_EVENT_H

#include <stddef.h>
#include <stdint.h>

#define EV_NO_TS INT64_MIN     /* the source gave no time: join by keys only */

enum ev_kind {
#define K(id, name) id,
#include "core/kinds.def"
#undef K
	EVK__COUNT
};
const char *ev_kind_name(unsigned kind);
int ev_kind_lookup(const char *name);     /* -1 when unknown */

/* What kind of input the event came from: printed as inputs[].kind. */
enum src_kind {
	SRC_UNKNOWN,
	SRC_AUTHPROXY_LOG,    /* authproxy-log */
	SRC_AUTHEVENTS_LOG,   /* authevents-log */
	SRC_CONNECTIVITY,     /* connectivity-tool */
	SRC_AUTHPROXY_CFG,    /* authproxy-cfg */
	SRC_IOS_DEBUG,        /* ios-debug */
	SRC_IOS_SHOW,         /* ios-show */
	SRC_IOS_CONFIG,       /* ios-config */
	SRC_SYSLOG,           /* syslog */
	SRC_PCAP,             /* pcap */
	SRC_PCAPNG,           /* pcapng */
	SRC_LIVE,             /* live interface */
	SRC__COUNT
};
const char *src_kind_name(unsigned k);
int src_kind_is_capture(unsigned k);

/* The five hops of a login, for arrows in the ladder. */
enum role { ROLE_NONE, ROLE_CLIENT, ROLE_HEADEND, ROLE_PROXY, ROLE_PRIMARY,
	    ROLE_DUO, ROLE__COUNT };
const char *role_name(unsigned r);

#define EVF_REQ_AUTH   0x0001u   /* req_auth holds the request authenticator */
#define EVF_TS_GUESSED 0x0002u   /* time inherited from a neighbour, not stamped */
#define EVF_SECRET_FP  0x0004u   /* config facts: req_auth holds a keyed fingerprint of a
                                    * secret (core/confcheck.h); never printed */

struct ev {
	int64_t ts;                 /* UTC microseconds, EV_NO_TS when unknown */
	uint16_t kind;              /* enum ev_kind */
	uint8_t src;                /* enum src_kind */
	uint8_t from, to;           /* enum role: a message from -> to, or NONE */
	uint32_t flags;             /* EVF_* */
	uint32_t input;             /* core/input.h id: the ref is input + pos */
	uint64_t pos;               /* line (text) or frame (capture); 0 = none */
	uint32_t session;           /* set by the session table; 0 = none */

	/* join keys; NULL or -1 or 0 when absent */
	const char *user;
	const char *nas_ip;         /* RADIUS client on this leg */
	int32_t nas_port;
	const char *server_ip;      /* RADIUS server on this leg */
	int32_t server_port;
	int32_t radius_id;          /* id on the leg the key names */
	int32_t out_id;             /* proxy's outgoing id towards the primary */
	uint8_t req_auth[16];
	const char *state;          /* State attribute, lowercase hex */
	const char *calling_station;
	const char *client_ip;      /* the VPN client's outside address */
	const char *assigned_ip;
	uint64_t spi_i, spi_r;
	int64_t msgid;              /* IKE message id, -1 absent */
	int64_t ike_session;        /* router SESSION ID, -1 absent */
	int64_t aaa_id;             /* router AAA unique id, -1 absent */

	/* kind-specific values */
	int32_t code;               /* RADIUS code, notify type, EAP code; -1 */
	int64_t num;                /* a latency (us), a count, an EAP type; -1 */
	const char *result;         /* short word: allow, deny, auth, ok, ... */
	const char *text;           /* message, Reply-Message, notify name */
	const char *detail;         /* one line for the ladder/stages */
	const char *raw;            /* BORROWED: the evidence line as read */
	size_t raw_len;
};

/* Reset e to "nothing known" (all keys absent, ts = EV_NO_TS). */
void ev_init(struct ev *e, unsigned kind, unsigned src, uint32_t input, uint64_t pos);

/* A sink receives events. emit() may not keep e or e->raw. */
struct ev_sink {
	void (*emit)(struct ev_sink *self, struct ev *e);
};
static inline void ev_emit(struct ev_sink *s, struct ev *e)
{
	s->emit(s, e);
}

/* Field access by name, for rules and the events output: fields are data. */
enum val_type { V_NONE, V_INT, V_STR };
struct val {
	enum val_type t;
	int64_t i;
	const char *s;
};
enum ev_field {
	EF_TS, EF_KIND, EF_SRC, EF_FROM, EF_TO, EF_INPUT, EF_POS, EF_SESSION,
	EF_USER, EF_NAS_IP, EF_NAS_PORT, EF_SERVER_IP, EF_SERVER_PORT,
	EF_RADIUS_ID, EF_OUT_ID, EF_REQ_AUTH, EF_STATE, EF_CALLING_STATION,
	EF_CLIENT_IP, EF_ASSIGNED_IP, EF_SPI_I, EF_SPI_R, EF_MSGID,
	EF_IKE_SESSION, EF_AAA_ID, EF_CODE, EF_NUM, EF_RESULT, EF_TEXT,
	EF_DETAIL, EF_RAW, EF__COUNT
};
int ev_field_lookup(const char *name);          /* -1 when unknown */
const char *ev_field_name(unsigned f);
/* Fills v; strings are interned except raw. Returns 0, or -1 when absent. */
int ev_field_get(const struct ev *e, unsigned f, struct val *v);

#endif
