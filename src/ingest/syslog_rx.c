/* \summary: the syslog UDP receiver: routers log straight to the dashboard
 *
 * --syslog udp:ADDR:PORT binds a UDP socket (IPv4 or IPv6, "[::]" for
 * all). Each datagram is one message (a datagram holding several lines is
 * cut at newlines), RFC 3164 or RFC 5424, and becomes one line for the
 * IOS parser (parsers/ios.h), which reads router text in all its shapes.
 * The line is always given an RFC 5424 header: a 5424 message with a full
 * stamp is kept as it is; any other has its <PRI> and RFC 3164 header
 * replaced by "<PRI>1 RECEIVED-AT HOST - - - - ", so the message's own
 * stamp (which may lack a year or a zone) is read as the parser reads a
 * syslog server's file, the year comes from the receive time, and a
 * message without a stamp takes the receive time.
 *
 * One input per sending address ("syslog:10.1.1.1"), each with its own
 * parser and clock: a router whose clock is off (or logs local time
 * without a zone) gets its error estimated against the receive time and
 * taken off its events' times (said once in a note). A record
 * the parser holds for continuation lines is delivered once its sender
 * has been quiet for SYSLOG_HOLD_US.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/str.h"
#include "ingest/live_int.h"
#include "parsers/ios.h"
#include "parsers/syslog.h"

#define SYSLOG_MAX_SENDERS 256          /* more share one "syslog:other" input */
#define SYSLOG_HOLD_US 200000           /* a held record goes out after this quiet */
#define SYSLOG_BATCH 256                /* datagrams per pull */
#define SYSLOG_RING 1024                /* receive times kept by line number */
#define SYSLOG_SKEW_S 2.0               /* clock error below this is left alone */

struct sender {
	char name[INET6_ADDRSTRLEN + 8];
	struct input *in;
	struct lane *lane;
	struct ios_parser *p;
	struct ev_sink tap;         /* first the clock estimate, then the lane */
	uint64_t lineno;
	int64_t recv[SYSLOG_RING];  /* realtime us each line was received, by lineno */
	int64_t last_mono;
	int held;
	double est;
	int have_est;
	struct live_env env;
};

struct syslog_rx {
	struct live_src ls;
	struct ingest *g;
	int fd;
	char *spec;
	struct sender **snd;
	size_t nsnd, capsnd;
	struct sbuf line;
	uint64_t datagrams, dropped_senders;
};

static int64_t real_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Events of one sender: a time the router stamped is compared with the
 * time its line was received; an error past SYSLOG_SKEW_S (clock unset,
 * local time without a zone) is estimated and taken off, the estimate
 * renewed when it moves by more than that. A time that is the receive
 * time itself (no stamp of its own) is left as it is. */
static void tap_emit(struct ev_sink *self, struct ev *e)
{
	struct sender *s = (struct sender *)((char *)self - offsetof(struct sender, tap));
	if (e->ts != EV_NO_TS && e->pos && e->pos + SYSLOG_RING > s->lineno) {
		int64_t rx = s->recv[e->pos % SYSLOG_RING];
		if (e->ts != rx) {
			double diff = (double)(e->ts - rx) / 1e6;
			if (!s->have_est || fabs(diff - s->est) > SYSLOG_SKEW_S) {
				double est = fabs(diff) > SYSLOG_SKEW_S ? diff : 0;
				if (est != 0 && (!s->have_est || s->est == 0))
					live_say(&s->env, "%s: the router's clock is %.0f s %s the receive "
						 "time: its times are corrected", s->name, fabs(est),
						 est < 0 ? "behind" : "ahead of");
				s->est = est;
				s->have_est = 1;
			}
			e->ts -= (int64_t)(s->est * 1e6);
		}
	}
	ev_emit(lane_sink(s->lane), e);
}

static struct sender *sender_for(struct syslog_rx *r, const char *addr)
{
	for (size_t i = 0; i < r->nsnd; i++)
		if (!strcmp(r->snd[i]->name + 7, addr))
			return r->snd[i];
	const char *name = addr;
	if (r->nsnd >= SYSLOG_MAX_SENDERS) {
		r->dropped_senders++;
		for (size_t i = 0; i < r->nsnd; i++)
			if (!strcmp(r->snd[i]->name + 7, "other"))
				return r->snd[i];
		name = "other";
	}
	struct sender *s = xcalloc(1, sizeof *s);
	snprintf(s->name, sizeof s->name, "syslog:%s", name);
	s->in = ingest_input(r->g, s->name, SRC_SYSLOG);
	s->in->clock.zone_from = CF_DEFAULT;
	s->lane = ingest_lane(r->g, &r->ls.base, s->in);
	s->tap.emit = tap_emit;
	s->env = r->ls.env;
	struct format_ctx ctx = {s->in, &s->tap, NULL, r->g->o.secrets, r->g->o.ike_keys,
				 r->g->o.ports};
	s->p = ios_open(&ctx, SRC_SYSLOG);
	if (r->nsnd == r->capsnd) {
		r->capsnd = r->capsnd ? r->capsnd * 2 : 8;
		r->snd = xrealloc(r->snd, r->capsnd * sizeof *r->snd);
	}
	r->snd[r->nsnd++] = s;
	return s;
}

/* One message line from a sender: as an RFC 5424 line to its parser. */
static void message(struct syslog_rx *r, struct sender *s, const char *m, size_t n,
		    int64_t rx, const char *addr)
{
	while (n && (m[n - 1] == '\r' || m[n - 1] == '\0' || m[n - 1] == ' '))
		n--;
	if (!n)
		return;
	struct syslog_hdr h;
	int wrapped = syslog_unwrap(m, n, &h);
	sbuf_reset(&r->line);
	int bad = 0;
	if (wrapped && h.form == SYSLOG_5424 && h.has_time && h.has_year && h.has_zone) {
		bad = sbuf_add(&r->line, m, n);
	} else {
		size_t body = wrapped ? h.body : 0;
		int pri = wrapped && h.pri >= 0 ? h.pri : 13;
		char t[40];
		clock_fmt_rfc3339(t, rx);
		bad = sbuf_printf(&r->line, "<%d>1 %s ", pri, t);
		if (!bad && wrapped && h.host_len)
			bad = sbuf_add(&r->line, h.host, h.host_len);
		else if (!bad)
			bad = sbuf_adds(&r->line, addr);
		if (!bad)
			bad = sbuf_adds(&r->line, " - - - - ");
		if (!bad)
			bad = sbuf_add(&r->line, m + body, n - body);
	}
	if (bad)
		return;         /* over the line cap: a datagram cannot be that long */
	uint64_t ln = ++s->lineno;
	s->recv[ln % SYSLOG_RING] = rx;
	s->in->lines = ln;
	s->in->bytes += n;
	ios_line(s->p, r->line.p, r->line.len, ln);
	s->held = 1;
}

static int rx_pull(struct source *src)
{
	struct syslog_rx *r = (struct syslog_rx *)src;
	static char buf[65536];
	int got = 0;
	int64_t mono = live_mono_us();
	for (int k = 0; k < SYSLOG_BATCH; k++) {
		struct sockaddr_storage ss;
		socklen_t sl = sizeof ss;
		ssize_t n = recvfrom(r->fd, buf, sizeof buf, MSG_DONTWAIT, (struct sockaddr *)&ss, &sl);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		got = 1;
		r->datagrams++;
		char addr[INET6_ADDRSTRLEN] = "?";
		if (ss.ss_family == AF_INET)
			inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, addr, sizeof addr);
		else if (ss.ss_family == AF_INET6)
			inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, addr, sizeof addr);
		struct sender *s = sender_for(r, addr);
		int64_t rx = real_us();
		const char *p = buf, *end = buf + n;
		while (p < end) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			const char *e = nl ? nl : end;
			message(r, s, p, (size_t)(e - p), rx, addr);
			p = nl ? nl + 1 : end;
		}
		s->last_mono = mono;
	}
	if (got)
		return SRC_READY;
	for (size_t i = 0; i < r->nsnd; i++) {
		struct sender *s = r->snd[i];
		if (s->held && mono - s->last_mono >= SYSLOG_HOLD_US) {
			ios_flush(s->p);
			s->held = 0;
		}
	}
	return SRC_AGAIN;
}

static int rx_fd(const struct source *s)
{
	return ((const struct syslog_rx *)s)->fd;
}

static int64_t rx_wake(const struct live_src *ls)
{
	const struct syslog_rx *r = (const struct syslog_rx *)ls;
	int64_t w = INT64_MAX;
	for (size_t i = 0; i < r->nsnd; i++)
		if (r->snd[i]->held && r->snd[i]->last_mono + SYSLOG_HOLD_US < w)
			w = r->snd[i]->last_mono + SYSLOG_HOLD_US;
	return w;
}

static void rx_close(struct source *src)
{
	struct syslog_rx *r = (struct syslog_rx *)src;
	for (size_t i = 0; i < r->nsnd; i++) {
		ios_close(r->snd[i]->p);
		free(r->snd[i]);
	}
	free(r->snd);
	if (r->fd >= 0)
		close(r->fd);
	sbuf_free(&r->line);
	free(r->spec);
	free(r->ls.base.lanes);
	free(r);
}

static const struct source_ops rx_ops = {"live-syslog", rx_pull, rx_fd, rx_close};

/* "udp:ADDR:PORT", "udp:[V6]:PORT", "udp::PORT" (all addresses) */
static int parse_spec(const char *spec, char *host, size_t hn, char *port, size_t pn)
{
	if (strncmp(spec, "udp:", 4))
		return -1;
	const char *a = spec + 4, *colon;
	if (*a == '[') {
		const char *rb = strchr(a, ']');
		if (!rb || rb[1] != ':')
			return -1;
		snprintf(host, hn, "%.*s", (int)(rb - a - 1), a + 1);
		colon = rb + 1;
	} else {
		colon = strrchr(a, ':');
		if (!colon)
			return -1;
		snprintf(host, hn, "%.*s", (int)(colon - a), a);
	}
	snprintf(port, pn, "%s", colon + 1);
	if (!*port || strspn(port, "0123456789") != strlen(port) || atoi(port) > 65535)
		return -1;
	return 0;
}

int live_syslog(struct ingest *g, const char *spec, const struct live_env *env, char *err,
		size_t errsz)
{
	char host[256], port[16];
	if (parse_spec(spec, host, sizeof host, port, sizeof port)) {
		snprintf(err, errsz, "--syslog wants udp:ADDR:PORT (udp:0.0.0.0:514, udp:[::]:5514): %s",
			 spec);
		return -1;
	}
	struct addrinfo hints, *ai = NULL;
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	int gr = getaddrinfo(*host ? host : NULL, port, &hints, &ai);
	if (gr) {
		snprintf(err, errsz, "--syslog %s: %s", spec, gai_strerror(gr));
		return -1;
	}
	int fd = socket(ai->ai_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
		snprintf(err, errsz, "--syslog %s: %s%s", spec, strerror(errno),
			 errno == EACCES ? " (ports below 1024 need root: use e.g. udp:0.0.0.0:5514)"
					 : "");
		if (fd >= 0)
			close(fd);
		freeaddrinfo(ai);
		return -1;
	}
	freeaddrinfo(ai);
	int rcv = 4 << 20;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof rcv);
	struct syslog_rx *r = xcalloc(1, sizeof *r);
	source_init(&r->ls.base, &rx_ops, g);
	r->ls.env = *env;
	r->ls.wake = rx_wake;
	r->g = g;
	r->fd = fd;
	r->spec = xstrdup(spec);
	sbuf_init(&r->line, 1u << 20);
	ingest_add_source(g, &r->ls.base);
	return 0;
}
