/* \summary: event kinds, source kinds, roles and field access as tables */
#include "core/event.h"

#include <string.h>

#include "core/str.h"

static const char *const kind_names[] = {
#define K(id, name) [id] = name,
#include "core/kinds.def"
#undef K
};

const char *ev_kind_name(unsigned kind)
{
	return kind < EVK__COUNT ? kind_names[kind] : "?";
}

int ev_kind_lookup(const char *name)
{
	for (unsigned i = 0; i < EVK__COUNT; i++)
		if (!strcmp(kind_names[i], name))
			return (int)i;
	return -1;
}

static const char *const src_names[SRC__COUNT] = {
	[SRC_UNKNOWN] = "unknown",
	[SRC_AUTHPROXY_LOG] = "authproxy-log",
	[SRC_AUTHEVENTS_LOG] = "authevents-log",
	[SRC_CONNECTIVITY] = "connectivity-tool",
	[SRC_AUTHPROXY_CFG] = "authproxy-cfg",
	[SRC_IOS_DEBUG] = "ios-debug",
	[SRC_IOS_SHOW] = "ios-show",
	[SRC_IOS_CONFIG] = "ios-config",
	[SRC_SYSLOG] = "syslog",
	[SRC_PCAP] = "pcap",
	[SRC_PCAPNG] = "pcapng",
	[SRC_LIVE] = "live-capture",
};

const char *src_kind_name(unsigned k)
{
	return k < SRC__COUNT ? src_names[k] : "unknown";
}

int src_kind_is_capture(unsigned k)
{
	return k == SRC_PCAP || k == SRC_PCAPNG || k == SRC_LIVE;
}

static const char *const role_names[ROLE__COUNT] = {
	"", "client", "headend", "proxy", "primary", "duo",
};

const char *role_name(unsigned r)
{
	return r < ROLE__COUNT ? role_names[r] : "";
}

void ev_init(struct ev *e, unsigned kind, unsigned src, uint32_t input, uint64_t pos)
{
	memset(e, 0, sizeof *e);
	e->ts = EV_NO_TS;
	e->kind = (uint16_t)kind;
	e->src = (uint8_t)src;
	e->input = input;
	e->pos = pos;
	e->nas_port = e->server_port = -1;
	e->radius_id = e->out_id = -1;
	e->msgid = e->ike_session = e->aaa_id = -1;
	e->code = -1;
	e->num = -1;
}

static const char *const field_names[EF__COUNT] = {
	[EF_TS] = "ts", [EF_KIND] = "kind", [EF_SRC] = "source",
	[EF_FROM] = "from", [EF_TO] = "to", [EF_INPUT] = "input",
	[EF_POS] = "pos", [EF_SESSION] = "session", [EF_USER] = "user",
	[EF_NAS_IP] = "nas_ip", [EF_NAS_PORT] = "nas_port",
	[EF_SERVER_IP] = "server_ip", [EF_SERVER_PORT] = "server_port",
	[EF_RADIUS_ID] = "radius_id", [EF_OUT_ID] = "out_id",
	[EF_REQ_AUTH] = "req_auth", [EF_STATE] = "state",
	[EF_CALLING_STATION] = "calling_station", [EF_CLIENT_IP] = "client_ip",
	[EF_ASSIGNED_IP] = "assigned_ip", [EF_SPI_I] = "spi_i",
	[EF_SPI_R] = "spi_r", [EF_MSGID] = "msgid",
	[EF_IKE_SESSION] = "ike_session", [EF_AAA_ID] = "aaa_id",
	[EF_CODE] = "code", [EF_NUM] = "num", [EF_RESULT] = "result",
	[EF_TEXT] = "text", [EF_DETAIL] = "detail", [EF_RAW] = "raw",
};

int ev_field_lookup(const char *name)
{
	for (unsigned i = 0; i < EF__COUNT; i++)
		if (!strcmp(field_names[i], name))
			return (int)i;
	return -1;
}

const char *ev_field_name(unsigned f)
{
	return f < EF__COUNT ? field_names[f] : "?";
}

static int put_i(struct val *v, int64_t i, int present)
{
	v->t = present ? V_INT : V_NONE;
	v->i = i;
	v->s = NULL;
	return present ? 0 : -1;
}

static int put_s(struct val *v, const char *s)
{
	v->t = s ? V_STR : V_NONE;
	v->i = 0;
	v->s = s;
	return s ? 0 : -1;
}

int ev_field_get(const struct ev *e, unsigned f, struct val *v)
{
	switch (f) {
	case EF_TS: return put_i(v, e->ts, e->ts != EV_NO_TS);
	case EF_KIND: return put_s(v, ev_kind_name(e->kind));
	case EF_SRC: return put_s(v, src_kind_name(e->src));
	case EF_FROM: return put_s(v, e->from ? role_name(e->from) : NULL);
	case EF_TO: return put_s(v, e->to ? role_name(e->to) : NULL);
	case EF_INPUT: return put_i(v, e->input, 1);
	case EF_POS: return put_i(v, (int64_t)e->pos, e->pos != 0);
	case EF_SESSION: return put_i(v, e->session, e->session != 0);
	case EF_USER: return put_s(v, e->user);
	case EF_NAS_IP: return put_s(v, e->nas_ip);
	case EF_NAS_PORT: return put_i(v, e->nas_port, e->nas_port >= 0);
	case EF_SERVER_IP: return put_s(v, e->server_ip);
	case EF_SERVER_PORT: return put_i(v, e->server_port, e->server_port >= 0);
	case EF_RADIUS_ID: return put_i(v, e->radius_id, e->radius_id >= 0);
	case EF_OUT_ID: return put_i(v, e->out_id, e->out_id >= 0);
	case EF_REQ_AUTH: {
		if (!(e->flags & EVF_REQ_AUTH))
			return put_s(v, NULL);
		char hx[33];
		hex_encode(hx, sizeof hx, e->req_auth, 16);
		return put_s(v, intern(hx, 32));
	}
	case EF_STATE: return put_s(v, e->state);
	case EF_CALLING_STATION: return put_s(v, e->calling_station);
	case EF_CLIENT_IP: return put_s(v, e->client_ip);
	case EF_ASSIGNED_IP: return put_s(v, e->assigned_ip);
	case EF_SPI_I: return put_i(v, (int64_t)e->spi_i, e->spi_i != 0);
	case EF_SPI_R: return put_i(v, (int64_t)e->spi_r, e->spi_r != 0);
	case EF_MSGID: return put_i(v, e->msgid, e->msgid >= 0);
	case EF_IKE_SESSION: return put_i(v, e->ike_session, e->ike_session >= 0);
	case EF_AAA_ID: return put_i(v, e->aaa_id, e->aaa_id >= 0);
	case EF_CODE: return put_i(v, e->code, e->code >= 0);
	case EF_NUM: return put_i(v, e->num, e->num >= 0);
	case EF_RESULT: return put_s(v, e->result);
	case EF_TEXT: return put_s(v, e->text);
	case EF_DETAIL: return put_s(v, e->detail);
	case EF_RAW: return put_s(v, e->raw);
	}
	return put_s(v, NULL);
}
