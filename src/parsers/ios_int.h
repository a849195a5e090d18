/* \summary: internals shared by the IOS parser's files
 *
 * ios.c        line grammar: syslog wrapper, prefix and stamp, record
 *              boundaries (wraps, continuations, glued lines, prompts),
 *              event time and year deferral, the three formats
 * ios_debug.c  debug message families: IKEv2, RADIUS, AAA, IPsec, PKI,
 *              %FAC-SEV-MNEMONIC messages, monitor event-trace lines
 * ios_show.c   show command output
 */
#ifndef AUTHSCOPE_PARSERS_IOS_INT_H
#define AUTHSCOPE_PARSERS_IOS_INT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/event.h"
#include "core/format.h"
#include "core/input.h"
#include "core/str.h"
#include "parsers/ios.h"

/* ---- text scanning shared by the three files ---- */
static inline int dig(int c)
{
	return c >= '0' && c <= '9';
}

static inline size_t skipws(const char *s, size_t n, size_t i)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n'))
		i++;
	return i;
}

static inline size_t tok_end(const char *s, size_t n, size_t i)
{
	while (i < n && s[i] != ' ' && s[i] != '\t' && s[i] != '\n')
		i++;
	return i;
}

/* A device stamp as written (P1-P6 of the format notes). */
enum { ST_NONE, ST_DATE, ST_UPTIME };
struct ios_stamp {
	uint8_t kind;               /* ST_* */
	uint8_t has_year, has_zone;
	int16_t year;
	int8_t mon, day, h, mi, s;
	int32_t us;
	int32_t zone_s;             /* when has_zone */
};

/* How an event gets its time. */
enum { TS_NONE, TS_STAMP, TS_INHERIT, TS_ABS };
struct tsinfo {
	uint8_t how;
	struct ios_stamp st;        /* TS_STAMP (civil fields also kept for TS_ABS) */
	int64_t abs;                /* TS_ABS: UTC us */
	uint64_t rec;               /* record serial: events of one record share a time */
};

/* Line families (the word a debug line starts with). */
enum { F_NONE, F_IKEV2, F_RADIUS, F_AAA, F_IPSEC, F_PKI, F_ISAKMP, F_SYSMSG,
       F_TRACE, F_NOAUTH, F_OTHER };

/* One IKEv2 session as the debug names it (SESSION ID). */
#define IKE_SLOTS 512
struct ike_sess {
	int64_t sid;                /* -1 = free slot */
	int64_t said;
	uint64_t spi_i, spi_r;
	const char *peer_ip, *local_ip, *peer_id, *user, *profile, *down_reason;
	int32_t peer_port;
	uint8_t role;               /* 'I' the router initiated, 'R' it responded, 0 */
	uint8_t up, down, profile_search, retx, cfg_reply, eap_seen;
	uint8_t auth_failed, cert_failed, no_resp, dpd;
	uint8_t aaa_wait;           /* handed to AAA, no reply yet */
	uint64_t notified;          /* error notify codes (< 64) already emitted */
	uint32_t eap_rounds;
	uint64_t used;              /* LRU clock */
};

/* An Access-Request the router has sent and not yet seen answered. */
#define RAD_SLOTS 1024
struct rad_req {
	int32_t key;                /* srcport << 8 | ident; -1 = free */
	int64_t aaa_id;
	const char *server_ip, *user, *nas_ip, *calling, *state;
	int32_t server_port;
	uint8_t auth[16];
	uint8_t has_auth;
	int64_t ike_session;
	uint64_t used;
};

/* The RADIUS packet whose attribute dump is being read. */
enum { PK_NONE, PK_REQUEST, PK_RESPONSE, PK_ACCOUNTING };
struct rad_pkt {
	uint8_t open;               /* PK_* */
	int32_t code;
	int64_t aaa_id;
	const char *server_ip;
	int32_t server_port;
	int32_t sp, ident;
	uint8_t auth[16];
	uint8_t has_auth;
	const char *user, *calling, *nas_attr, *reply, *state, *eap_user;
	int32_t hex_attr;           /* attribute whose hex lines follow (24, 79), -1 */
	uint8_t attr_indent;        /* indent of top-level attributes; deeper = VSA part */
	uint8_t buf[256];
	size_t blen;
	int32_t eap_code, eap_type;
	const char *discard;        /* the router dropped it: which check failed */
	struct tsinfo t;
	uint64_t line;
	struct sbuf raw;            /* the Send/Received line */
};

struct qent {                   /* an event waiting for its year */
	struct ev e;
	struct tsinfo t;
	size_t raw_off;
	uint8_t has_raw;
};

struct ios_parser {
	struct format_ctx ctx;
	struct input *in;
	unsigned src;
	/* the record being assembled */
	struct sbuf rec;
	struct sbuf norm;           /* the line with Unicode spaces made ASCII */
	uint8_t rec_kind;           /* R_* in ios.c */
	uint8_t rec_fam;
	uint8_t in_show;
	uint8_t seg_break;          /* a blank line: the next continuation is a new segment */
	uint8_t show_paused;        /* debug lines interrupted a show block */
	uint8_t seen_debug;
	size_t prev_len, lmax;      /* previous and longest physical line: console wraps */
	uint64_t rec_line;
	size_t rec_body;            /* offset of the body (after wrapper and stamp) */
	size_t seg_start;           /* start of the current segment in rec */
	struct tsinfo rec_ts;
	uint64_t serial;
	/* time */
	int64_t last_ts;
	int64_t ts_cache_val;
	uint64_t ts_cache_rec;
	struct qent *q;
	size_t nq, capq;
	struct sbuf qraw;
	/* debug state */
	struct ike_sess ike[IKE_SLOTS];
	struct ike_sess *ike_last;  /* the slot the last lookup found */
	uint64_t ike_clock;
	int64_t cur_sid;            /* the session the last IKEv2 line named */
	int64_t aaa_sid;            /* session that last handed off to AAA */
	int64_t aaa_sid_ts;
	struct rad_req rad[RAD_SLOTS];
	uint64_t rad_clock;
	int last_req;               /* slot of the newest request, -1 */
	int32_t bad_key;            /* the response just reported as failing its check, -1 */
	struct rad_pkt pkt;
	struct { const char *server, *nas; } nasmap[16];
	unsigned nnas;
	const char *cfg_nas;        /* Config NAS IP / cfg_addr when not 0.0.0.0 */
	uint8_t pki_fail_noted;
	struct sbuf scratch;        /* raw and detail building */
	struct sbuf scratch2;
	struct sbuf flat;           /* a record's segments as one line */
	const char *raw;            /* the current record's first line */
	size_t raw_len;
	struct ios_show *show;
	uint64_t unknown;
};

/* ---- ios.c ---- */
/* Emit through the parser's queue (year deferral keeps input order).
 * e->raw is copied when the event has to wait. */
void iosp_emit(struct ios_parser *p, struct ev *e, const struct tsinfo *t);
/* A year seen outside the stamps (show clock, a receiver's stamp). */
void iosp_year_anchor(struct ios_parser *p, int year, int mon);
/* Start an event of this input at pos (src, input filled). */
void iosp_ev(struct ios_parser *p, struct ev *e, unsigned kind, uint64_t pos);
const struct tsinfo *iosp_no_ts(void);

/* ---- ios_debug.c ---- */
void iosd_init(struct ios_parser *p);
void iosd_free(struct ios_parser *p);
/* One complete debug record: body = family word on; segments split by '\n'. */
void iosd_record(struct ios_parser *p, const char *body, size_t n, unsigned fam);
/* End of a block of RADIUS lines (any other record, end of input). */
void iosd_flush(struct ios_parser *p);

/* ---- ios_show.c ---- */
struct ios_show;
struct ios_show *show_new(void);
void show_free(struct ios_show *s);
/* Shape of a line for the line assembler: 0 unknown, 1 a line the show
 * grammar knows (never joined to the line before), 2 a block header
 * (switches a debug capture into show mode). */
int show_shape(const char *s, size_t n);
int show_is_header(const char *s, size_t n);        /* show_shape() == 2, cheaper */
/* In show mode: is this line the rest of the logical line before it, which
 * a console of the longest line's width may have cut (cut)? */
int show_join(const struct ios_show *st, const char *prev, size_t pn, const char *s, size_t n,
	      int cut);
/* One logical line (wraps already joined) in show mode; n == 0 is a blank. */
void show_line(struct ios_parser *p, struct ios_show *s, const char *line, size_t n,
	       uint64_t lineno);
/* The block ended (prompt, debug line, end of input): flush. */
void show_end(struct ios_parser *p, struct ios_show *s);

/* ---- small text helpers (ios.c) ---- */
int ios_is_ip(const char *s, size_t n);               /* IPv4 or IPv6 literal */
const char *ios_intern_trim(const char *s, size_t n); /* NULL when empty */
uint64_t ios_hex64(const char *s, size_t n, int *ok); /* 1..16 hex digits */
int ios_notify_code(const char *name, size_t n, const char **canon);
int ios_exchange_code(const char *name, size_t n, const char **canon);
/* inline so that strlen of a literal folds away */
static inline const char *ios_memmem(const char *s, size_t n, const char *lit)
{
	return memmem(s, n, lit, strlen(lit));
}
size_t ios_seg(const char *s, size_t n);              /* length up to '\n' */

#define LIT(s, n, lit) ((n) >= sizeof(lit) - 1 && !memcmp((s), (lit), sizeof(lit) - 1))

#endif
