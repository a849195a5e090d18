/* \summary: IKE SA tracking: exchanges by SPI pair and message id,
 * retransmissions, retries, notifies, EAP rounds, AUTH, CP address, SA up
 * and down, and what never got an answer; plus RFC 7383 reassembly */
#include "decoders/ike_sa.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/input.h"
#include "core/str.h"
#include "decoders/ike_names.h"

#define SA_MAX 65536            /* SAs tracked per capture (then evicted) */
#define REQ_RING 8              /* recent requests remembered per SA */
#define FRAG_SETS 16            /* messages being reassembled at once */
#define FRAG_MAX 64             /* fragments per message */
#define FRAG_BYTES 65536        /* bytes per reassembled message */
#define ESP_MAX 4096            /* SPIs remembered for esp.packet */
#define STALL_US (30 * 1000000LL)

struct req {
	uint32_t msgid;
	uint8_t by_init;            /* sent by the original initiator */
	uint8_t exch;
	uint8_t answered;
	uint8_t eap;                /* carried an EAP payload */
	uint8_t frag_total;
	uint8_t used;
	uint32_t sends;
	uint64_t first_frame;
	int64_t first_ts, last_ts;
	uint64_t frags_seen;        /* bit per fragment number (1..64) in this send */
};

struct sa {
	uint64_t spi_i, spi_r;
	const char *init_ip, *resp_ip;
	uint32_t input;
	const char *user;
	uint8_t up, down, nokeys_said, used;
	const char *eap_method;     /* the last EAP method seen (interned) */
	const char *retry_why;      /* the IKE_SA_INIT answer that asks for a retry */
	struct req req[REQ_RING];
	unsigned next;
};

struct frag_set {
	int used;
	uint64_t spi_i;
	uint32_t msgid;
	int dir;
	unsigned total, have;
	int first_np;
	uint32_t len[FRAG_MAX + 1];
	uint8_t *data[FRAG_MAX + 1];
	size_t bytes;
	uint64_t age;
};

struct ike_state {
	struct sa *sa;              /* open addressing by spi_i */
	size_t cap, n;
	uint64_t evictions;
	struct frag_set frag[FRAG_SETS];
	uint64_t frag_clock;
	uint8_t *whole;
	uint32_t esp_spi[ESP_MAX];
	size_t esp_n;
	int64_t last_ts;
	/* interned copies of static strings, keyed by their address (the
	 * state lives within one run, so the pool outlives it) */
	const char *ic_key[256], *ic_val[256];
	const char *where_[256][2][2];   /* "in EXCH request|response" by exch, v1, resp */
};

static const char *ic(struct ike_state *st, const char *lit)
{
	if (!lit)
		return NULL;
	size_t h = ((uintptr_t)lit >> 3) & 255;
	for (size_t k = 0; k < 256; k++, h = (h + 1) & 255) {
		if (st->ic_key[h] == lit)
			return st->ic_val[h];
		if (!st->ic_key[h]) {
			st->ic_key[h] = lit;
			st->ic_val[h] = intern_cstr(lit);
			return st->ic_val[h];
		}
	}
	return intern_cstr(lit);
}

struct ike_state *ike_state_new(void)
{
	struct ike_state *st = xcalloc(1, sizeof *st);
	st->cap = 1024;
	st->sa = xcalloc(st->cap, sizeof *st->sa);
	return st;
}

static void frag_clear(struct frag_set *f)
{
	for (unsigned i = 0; i <= FRAG_MAX; i++)
		free(f->data[i]);
	memset(f, 0, sizeof *f);
}

void ike_state_free(struct ike_state *st)
{
	if (!st)
		return;
	for (int i = 0; i < FRAG_SETS; i++)
		frag_clear(&st->frag[i]);
	free(st->whole);
	free(st->sa);
	free(st);
}

uint64_t ike_state_evictions(const struct ike_state *st)
{
	return st ? st->evictions : 0;
}

static size_t slot_of(uint64_t spi, size_t cap)
{
	spi ^= spi >> 33;
	spi *= 0xff51afd7ed558ccdULL;
	spi ^= spi >> 33;
	return (size_t)spi & (cap - 1);
}

static void grow(struct ike_state *st)
{
	struct sa *old = st->sa;
	size_t oc = st->cap;
	st->cap *= 2;
	st->sa = xcalloc(st->cap, sizeof *st->sa);
	for (size_t i = 0; i < oc; i++) {
		if (!old[i].used)
			continue;
		size_t j = slot_of(old[i].spi_i, st->cap);
		while (st->sa[j].used)
			j = (j + 1) & (st->cap - 1);
		st->sa[j] = old[i];
	}
	free(old);
}

static struct sa *sa_get(struct ike_state *st, uint64_t spi_i, uint32_t input, int create)
{
	size_t j = slot_of(spi_i, st->cap);
	while (st->sa[j].used) {
		if (st->sa[j].spi_i == spi_i && st->sa[j].input == input)
			return &st->sa[j];
		j = (j + 1) & (st->cap - 1);
	}
	if (!create)
		return NULL;
	if (st->n >= SA_MAX) {
		/* the table is full: start over, counted as evictions */
		st->evictions += st->n;
		struct input *in = input_get(input);
		if (in)
			in->evictions += st->n;
		memset(st->sa, 0, st->cap * sizeof *st->sa);
		st->n = 0;
		j = slot_of(spi_i, st->cap);
	} else if (2 * (st->n + 1) > st->cap) {
		grow(st);
		j = slot_of(spi_i, st->cap);
		while (st->sa[j].used)
			j = (j + 1) & (st->cap - 1);
	}
	struct sa *s = &st->sa[j];
	memset(s, 0, sizeof *s);
	s->used = 1;
	s->spi_i = spi_i;
	s->input = input;
	st->n++;
	return s;
}

static unsigned src_of(uint32_t input)
{
	struct input *in = input_get(input);
	return in ? in->kind : SRC_PCAP;
}

static void base(struct ev *e, unsigned kind, struct pkt *p, const struct sa *s, const struct ike_msg *m,
		 int by_init)
{
	ev_init(e, kind, src_of(p->input), p->input, p->frame);
	e->ts = p->ts_ns / 1000;
	e->spi_i = m->spi_i;
	e->spi_r = m->spi_r ? m->spi_r : s ? s->spi_r : 0;
	e->msgid = m->msgid;
	e->client_ip = s ? s->init_ip : NULL;
	e->user = s ? s->user : NULL;
	e->from = by_init ? ROLE_CLIENT : ROLE_HEADEND;
	e->to = by_init ? ROLE_HEADEND : ROLE_CLIENT;
}

static const char *anomaly_name(unsigned a)
{
	if (a & IKE_A_TRUNCATED) return "truncated";
	if (a & IKE_A_HDRLEN) return "header-length";
	if (a & IKE_A_PLEN) return "payload-length";
	if (a & IKE_A_CAP) return "payload-cap";
	if (a & IKE_A_FRAG) return "bad-fragment";
	if (a & IKE_A_CRITICAL) return "unknown-critical-payload";
	if (a & IKE_A_KELEN) return "ke-length";
	if (a & IKE_A_ICV) return "icv-failed";
	if (a & IKE_A_DECRYPT) return "decrypt-failed";
	if (a & IKE_A_INVALID) return "invalid";
	if (a & IKE_A_LENGTH) return "length-mismatch";
	if (a & IKE_A_EXTRA) return "extra-data";
	if (a & IKE_A_NOKEYS) return "encrypted";
	return "invalid";
}

static const char *eap_method(const struct eap_info *x)
{
	switch (x->type) {
	case 1: return "Identity";
	case 2: return "Notification";
	case 3: return "Legacy Nak";
	case 4: return "MD5-Challenge";
	case 6: return "GTC";
	case 13: return "TLS";
	case 21: return "TTLS";
	case 25: return "PEAP";
	case 26: return "MSCHAPv2";
	case 254: return x->vendor_id == 9 ? "AnyConnect-EAP" : "Expanded";
	}
	return NULL;
}

/* An IDi names a user when it is an e-mail address, an FQDN or a key id
 * other than AnyConnect's fixed "*$AnyConnectClient$*"; never an address. */
static const char *looks_like_user(const char *id, int type)
{
	if (!id || (type != 2 && type != 3 && type != 11) || strstr(id, "$AnyConnectClient$"))
		return NULL;
	return id;
}

static void emit_message_events(struct ike_state *st, struct pkt *p, struct sa *s,
				const struct ike_msg *m, int by_init, const char *stall)
{
	struct ev e;
	char d[160];
	(void)st;

	for (int i = 0; i < m->nnotify; i++) {
		unsigned t = m->notify[i] & 0x7fff;
		int v1 = (m->notify[i] & 0x8000) != 0;
		base(&e, EVK_IKE_NOTIFY, p, s, m, by_init);
		e.code = (int32_t)t;
		e.text = ic(st, ike_notify_name(v1 ? 1 : 2, t));
		if (!e.text) {
			snprintf(d, sizeof d, "Unknown (%u)", t);
			e.text = intern_cstr(d);
		}
		e.result = ic(st, (v1 ? t < 8192 : t < 16384) ? "error" : "status");
		e.num = m->exch;
		if (!v1 && m->exch == 34 && m->is_response && (t == 17 || t == 16390)) {
			if (t == 17 && m->accepted_group >= 0)
				snprintf(d, sizeof d, "a retry after INVALID_KE_PAYLOAD (DH group %d asked)",
					 m->accepted_group);
			else
				snprintf(d, sizeof d, "a retry after %s", t == 17 ? "INVALID_KE_PAYLOAD" : "COOKIE");
			s->retry_why = intern_cstr(d);
		}
		if (!v1 && t == 17 && m->accepted_group >= 0) {
			snprintf(d, sizeof d, "INVALID_KE_PAYLOAD: the responder wants DH group %d",
				 m->accepted_group);
			e.detail = intern_cstr(d);
		} else {
			const char **w = &st->where_[m->exch & 255][v1][m->is_response != 0];
			if (!*w) {
				const char *xn = ike_exch_name(v1 ? 1 : 2, m->exch);
				snprintf(d, sizeof d, "in %s %s", xn ? xn : "an exchange",
					 v1 ? "message" : m->is_response ? "response" : "request");
				*w = intern_cstr(d);
			}
			e.detail = *w;
		}
		ev_emit(p->sink, &e);
		if (!v1 && t == 24) {
			base(&e, EVK_IKE_AUTH, p, s, m, by_init);
			e.result = ic(st, "failed");
			e.text = ic(st, "AUTHENTICATION_FAILED");
			e.detail = stall;
			ev_emit(p->sink, &e);
		}
		if (!v1 && t == 36) {
			base(&e, EVK_IKE_POOL_EXHAUSTED, p, s, m, by_init);
			e.text = ic(st, "INTERNAL_ADDRESS_FAILURE");
			ev_emit(p->sink, &e);
		}
	}
	int has_error = 0, eap_in = 0;
	for (int i = 0; i < m->nnotify; i++)
		if (!(m->notify[i] & 0x8000) && m->notify[i] < 16384)
			has_error = 1;
	for (int i = 0; i < m->neap; i++) {
		const struct eap_info *x = &m->eap[i];
		eap_in = 1;
		base(&e, EVK_IKE_EAP, p, s, m, by_init);
		e.code = x->code;
		e.num = x->type;
		e.result = ic(st, x->code == 1 ? "request" : x->code == 2 ? "response" :
				       x->code == 3 ? "success" : x->code == 4 ? "failure" : "invalid");
		e.text = ic(st, eap_method(x));
		if (x->type > 1 && e.text)
			s->eap_method = e.text;
		if ((x->code == 3 || x->code == 4) && s->eap_method)
			e.text = s->eap_method;
		if (x->identity)
			e.user = x->identity;
		if (x->type == 254) {
			if (m->eap_xml[i][0])
				snprintf(d, sizeof d, "expanded type: vendor %u, type %u; aggregate-auth %s",
					 x->vendor_id, x->vendor_type, m->eap_xml[i]);
			else
				snprintf(d, sizeof d, "expanded type: vendor %u, type %u", x->vendor_id, x->vendor_type);
			e.detail = intern_cstr(d);
		}
		if (x->code == 4)
			e.detail = stall;
		ev_emit(p->sink, &e);
	}
	if (m->assigned_ip) {
		base(&e, EVK_IKE_ADDRESS, p, s, m, by_init);
		e.assigned_ip = m->assigned_ip;
		ev_emit(p->sink, &e);
	}
	if (m->exch == 35 && m->is_response && !by_init && m->decrypted && m->has_auth && !eap_in &&
	    !s->up) {
		int auth_failed = 0;
		for (int i = 0; i < m->nnotify; i++)
			if (m->notify[i] == 24)
				auth_failed = 1;
		if (!auth_failed) {
			base(&e, EVK_IKE_AUTH, p, s, m, by_init);
			e.result = ic(st, "ok");
			ev_emit(p->sink, &e);
			s->up = 1;
			base(&e, EVK_IKE_SA_UP, p, s, m, by_init);
			e.detail = has_error ? ic(st, "IKE SA up; a child SA was refused") : NULL;
			ev_emit(p->sink, &e);
		}
	}
	if (m->has_delete_ike && !m->is_response && !s->down) {
		s->down = 1;
		base(&e, EVK_IKE_SA_DOWN, p, s, m, by_init);
		e.result = ic(st, by_init ? "client" : "headend");
		ev_emit(p->sink, &e);
	}
}

static struct req *req_find(struct sa *s, uint32_t msgid, int by_init)
{
	for (int i = 0; i < REQ_RING; i++)
		if (s->req[i].used && s->req[i].msgid == msgid && s->req[i].by_init == by_init)
			return &s->req[i];
	return NULL;
}

static struct req *req_new(struct sa *s)
{
	struct req *r = &s->req[s->next++ % REQ_RING];
	memset(r, 0, sizeof *r);
	r->used = 1;
	return r;
}

static void anomaly(struct ike_state *st, struct pkt *p, struct sa *s, const struct ike_msg *m, unsigned a, int by_init)
{
	struct ev e;
	base(&e, EVK_IKE_ANOMALY, p, s, m, by_init);
	e.text = ic(st, anomaly_name(a));
	if (a & IKE_A_NOKEYS)
		e.detail = ic(st, "encrypted, not decoded: no keys for this IKE SA (--ike-keys)");
	ev_emit(p->sink, &e);
}

void ike_sa_message(struct ike_state *st, struct pkt *p, const struct ike_msg *m)
{
	if (!p->sink)
		return;
	int64_t ts = p->ts_ns / 1000;
	if (ts > st->last_ts)
		st->last_ts = ts;
	if (m->ver != 2) {
		/* IKEv1 and the undecodable: anomalies and notifies only */
		struct ev e;
		if (m->anomalies & ~(IKE_A_NOKEYS | IKE_A_EXTRA | IKE_A_LENGTH))
			anomaly(st, p, NULL, m, m->anomalies, 1);
		for (int i = 0; i < m->nnotify && m->ver == 1; i++) {
			unsigned t = m->notify[i] & 0x7fff;
			ev_init(&e, EVK_IKE_NOTIFY, src_of(p->input), p->input, p->frame);
			e.ts = ts;
			e.spi_i = m->spi_i;
			e.spi_r = m->spi_r;
			e.code = (int32_t)t;
			e.text = ic(st, ike_notify_name(1, t));
			e.result = ic(st, t < 8192 ? "error" : "status");
			ev_emit(p->sink, &e);
		}
		return;
	}
	struct sa *s = sa_get(st, m->spi_i, p->input, 1);
	int by_init = m->from_initiator;
	if (!s->init_ip) {
		s->init_ip = by_init ? p->src : p->dst;
		s->resp_ip = by_init ? p->dst : p->src;
	}
	if (m->spi_r && !s->spi_r)
		s->spi_r = m->spi_r;
	/* who is it: the EAP identity first, then a user-like IDi */
	for (int i = 0; i < m->neap; i++)
		if (m->eap[i].identity && m->eap[i].code == 2)
			s->user = m->eap[i].identity;
	if (!s->user && m->has_idi && by_init)
		s->user = looks_like_user(m->id_i, m->id_i_type);
	struct ev e;
	int first = 1;              /* first transmission of this message */
	const char *stall = NULL;   /* a response to an EAP round the client had to repeat */
	if (!m->is_response) {
		struct req *r = req_find(s, m->msgid, by_init);
		unsigned fb = m->frag_num > 0 && m->frag_num <= 64 ? (unsigned)m->frag_num : 1;
		if (r && !r->answered) {
			if (r->frags_seen & (1ULL << (fb - 1))) {
				first = 0;
				r->sends++;
				r->frags_seen = 1ULL << (fb - 1);
				r->last_ts = ts;
				base(&e, EVK_IKE_RETRANSMIT, p, s, m, by_init);
				e.code = (int32_t)m->exch;
				e.result = ic(st, "request");
				e.num = r->sends - 1;
				ev_emit(p->sink, &e);
			} else {
				r->frags_seen |= 1ULL << (fb - 1);
				r->last_ts = ts;
				first = 0;
				if (m->decrypted)
					first = 1;       /* the set completed here: its payloads count */
			}
		} else {
			/* new, or a retry after an answer (COOKIE, INVALID_KE) */
			int retry = r != NULL;
			r = r ? r : req_new(s);
			memset(r, 0, sizeof *r);
			r->used = 1;
			r->msgid = m->msgid;
			r->by_init = (uint8_t)by_init;
			r->exch = (uint8_t)m->exch;
			r->sends = 1;
			r->first_frame = p->frame;
			r->first_ts = r->last_ts = ts;
			r->frags_seen = 1ULL << (fb - 1);
			r->frag_total = (uint8_t)(m->frag_total > 255 ? 255 : m->frag_total);
			base(&e, EVK_IKE_EXCHANGE, p, s, m, by_init);
			e.code = (int32_t)m->exch;
			e.result = ic(st, "request");
			e.text = ic(st, ike_exch_name(2, m->exch));
			if (retry && m->exch == 34 && s->retry_why)
				e.detail = s->retry_why;
			ev_emit(p->sink, &e);
		}
		if (m->neap)
			r->eap = 1;
	} else {
		struct req *r = req_find(s, m->msgid, !by_init);
		if (r && r->answered == 2 && (!m->frag_num || m->frag_num == 1)) {
			first = 0;
			base(&e, EVK_IKE_RETRANSMIT, p, s, m, by_init);
			e.code = (int32_t)m->exch;
			e.result = ic(st, "response");
			ev_emit(p->sink, &e);
		} else if (r && r->answered) {
			first = m->decrypted;
		} else {
			if (r)
				r->answered = 1;
			if (r && r->eap && r->sends >= 2 && r->first_ts != EV_NO_TS) {
				char d[160];
				snprintf(d, sizeof d, "answered after the EAP round stalled %.1f s "
					 "(the client sent its request %u times)",
					 (double)(ts - r->first_ts) / 1e6, r->sends);
				stall = intern_cstr(d);
			}
			base(&e, EVK_IKE_EXCHANGE, p, s, m, by_init);
			e.code = (int32_t)m->exch;
			e.result = ic(st, "response");
			e.text = ic(st, ike_exch_name(2, m->exch));
			if (r && r->first_ts != EV_NO_TS)
				e.num = ts - r->first_ts;
			ev_emit(p->sink, &e);
		}
		if (r && (!m->frag_total || m->frag_num == m->frag_total || m->decrypted))
			r->answered = 2;
	}
	if (m->anomalies & ~(IKE_A_NOKEYS | IKE_A_EXTRA | IKE_A_LENGTH))
		anomaly(st, p, s, m, m->anomalies & ~IKE_A_NOKEYS, by_init);
	if ((m->anomalies & IKE_A_NOKEYS) && !s->nokeys_said) {
		s->nokeys_said = 1;
		anomaly(st, p, s, m, IKE_A_NOKEYS, by_init);
	}
	if (first)
		emit_message_events(st, p, s, m, by_init, stall);
}

void ike_sa_esp(struct ike_state *st, struct pkt *p, uint32_t spi, uint32_t seq)
{
	for (size_t i = 0; i < st->esp_n; i++)
		if (st->esp_spi[i] == spi)
			return;
	if (st->esp_n < ESP_MAX)
		st->esp_spi[st->esp_n++] = spi;
	struct ev e;
	ev_init(&e, EVK_ESP, src_of(p->input), p->input, p->frame);
	e.ts = p->ts_ns / 1000;
	e.spi_i = spi;
	e.num = seq;
	e.text = ic(st, "first packet of an ESP SA");
	ev_emit(p->sink, &e);
}

void ike_sa_finish(struct ike_state *st, struct ev_sink *sink, uint32_t input)
{
	char d[200];
	for (size_t i = 0; i < st->cap; i++) {
		struct sa *s = &st->sa[i];
		if (!s->used || s->input != input)
			continue;
		for (int k = 0; k < REQ_RING; k++) {
			struct req *r = &s->req[k];
			if (!r->used || r->answered || !r->by_init)
				continue;
			int stalled = st->last_ts - r->last_ts >= STALL_US;
			if (r->sends < 2 && !stalled)
				continue;
			struct ev e;
			ev_init(&e, EVK_IKE_NO_RESPONSE, src_of(input), input, r->first_frame);
			e.ts = r->last_ts;
			e.spi_i = s->spi_i;
			e.spi_r = s->spi_r;
			e.msgid = r->msgid;
			e.client_ip = s->init_ip;
			e.user = s->user;
			e.from = ROLE_CLIENT;
			e.to = ROLE_HEADEND;
			e.code = r->exch;
			e.num = r->sends;
			e.text = ic(st, r->exch == 35 && r->eap ? "eap-round" : ike_exch_name(2, r->exch));
			snprintf(d, sizeof d, "%s MID=%u: no response to %u transmission%s over %.1f s",
				 ike_exch_name(2, r->exch) ? ike_exch_name(2, r->exch) : "exchange",
				 r->msgid, r->sends, r->sends == 1 ? "" : "s",
				 (double)(r->last_ts - r->first_ts) / 1e6);
			e.detail = intern_cstr(d);
			ev_emit(sink, &e);
			r->answered = 1;    /* reported once */
		}
	}
}

/* ---- RFC 7383 reassembly ---- */

const uint8_t *ike_frag_add(struct ike_state *st, uint64_t spi_i, uint32_t msgid, int dir,
			    unsigned num, unsigned total, int first_np, const uint8_t *p,
			    size_t n, size_t *outn, int *np_out)
{
	if (num == 0 || total == 0 || num > total || total > FRAG_MAX || n > FRAG_BYTES)
		return NULL;
	struct frag_set *f = NULL, *oldest = &st->frag[0];
	for (int i = 0; i < FRAG_SETS; i++) {
		struct frag_set *x = &st->frag[i];
		if (x->used && x->spi_i == spi_i && x->msgid == msgid && x->dir == dir) {
			f = x;
			break;
		}
		if (!x->used || x->age < oldest->age)
			oldest = x;
	}
	if (f && f->total != total)
		frag_clear(f), f = NULL;
	if (!f) {
		f = oldest;
		frag_clear(f);
		f->used = 1;
		f->spi_i = spi_i;
		f->msgid = msgid;
		f->dir = dir;
		f->total = total;
		f->first_np = -1;
	}
	f->age = ++st->frag_clock;
	if (f->data[num])
		return NULL;                /* a duplicate */
	if (f->bytes + n > FRAG_BYTES) {
		frag_clear(f);
		return NULL;
	}
	f->data[num] = xmalloc(n ? n : 1);
	memcpy(f->data[num], p, n);
	f->len[num] = (uint32_t)n;
	f->bytes += n;
	f->have++;
	if (num == 1)
		f->first_np = first_np;
	if (f->have < f->total)
		return NULL;
	if (!st->whole)
		st->whole = xmalloc(FRAG_BYTES);
	size_t k = 0;
	for (unsigned i = 1; i <= f->total; i++) {
		memcpy(st->whole + k, f->data[i], f->len[i]);
		k += f->len[i];
	}
	*outn = k;
	*np_out = f->first_np < 0 ? 0 : f->first_np;
	frag_clear(f);
	return st->whole;
}
