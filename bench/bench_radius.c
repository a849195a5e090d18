/* \summary: RADIUS capture throughput: a generator and the capture -> events path
 *
 *   bench_radius gen FILE N     write a pcap of N RADIUS packets (Ethernet/IPv4/
 *                               UDP): logins from 200 NAS addresses x 8 ports,
 *                               Access-Request (User-Name, User-Password,
 *                               NAS-IP-Address, NAS-Port, Calling-Station-Id,
 *                               Message-Authenticator) answered 2 ms later by
 *                               Access-Accept or -Reject (Reply-Message, Class);
 *                               one request in 50 is retransmitted, one in 200
 *                               never answered; 5000 users
 *   bench_radius run FILE       read it through fmt_pcap into a counting sink;
 *                               prints "frames seconds events" (the program's
 *                               own time, no process start)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/format.h"
#include "core/input.h"
#include "core/str.h"
#include "decoders/capture.h"
#include "ingest/streams.h"

static void put32(FILE *f, uint32_t v)
{
	fwrite(&v, 4, 1, f);
}

static size_t attr(uint8_t *b, uint8_t t, const void *v, size_t n)
{
	b[0] = t;
	b[1] = (uint8_t)(n + 2);
	memcpy(b + 2, v, n);
	return n + 2;
}

static size_t radius(uint8_t *b, uint8_t code, uint8_t id, const uint8_t *auth, int user,
		     int nas, int port)
{
	size_t o = 20;
	char s[64];
	if (code == 1) {
		int n = snprintf(s, sizeof s, "user%04d", user);
		o += attr(b + o, 1, s, (size_t)n);
		uint8_t pw[16];
		for (int i = 0; i < 16; i++)
			pw[i] = (uint8_t)(user * 7 + i * 13);
		o += attr(b + o, 2, pw, 16);
		uint8_t ip[4] = {10, 1, (uint8_t)(nas >> 8), (uint8_t)nas};
		o += attr(b + o, 4, ip, 4);
		uint8_t np[4] = {0, 0, 0, (uint8_t)port};
		o += attr(b + o, 5, np, 4);
		n = snprintf(s, sizeof s, "198.51.%d.%d", (user >> 8) & 255, user & 255);
		o += attr(b + o, 31, s, (size_t)n);
		uint8_t ma[16] = {0};
		o += attr(b + o, 80, ma, 16);
	} else {
		if (code == 3)
			o += attr(b + o, 18, "Access denied", 13);
		else
			o += attr(b + o, 18, "Welcome", 7);
		uint8_t cls[24];
		memset(cls, 0x5a, sizeof cls);
		o += attr(b + o, 25, cls, sizeof cls);
	}
	b[0] = code;
	b[1] = id;
	b[2] = (uint8_t)(o >> 8);
	b[3] = (uint8_t)o;
	memcpy(b + 4, auth, 16);
	return o;
}

static void frame(FILE *f, int64_t ts_us, const uint8_t src[4], const uint8_t dst[4],
		  uint16_t sp, uint16_t dp, const uint8_t *pl, size_t n)
{
	uint8_t b[1600];
	static const uint8_t eth[14] = {0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 6, 8, 0};
	memcpy(b, eth, 14);
	size_t ulen = 8 + n, tot = 20 + ulen;
	uint8_t ip[20] = {0x45, 0, (uint8_t)(tot >> 8), (uint8_t)tot, 0, 0, 0x40, 0, 64, 17, 0, 0};
	memcpy(ip + 12, src, 4);
	memcpy(ip + 16, dst, 4);
	memcpy(b + 14, ip, 20);
	uint8_t u[8] = {(uint8_t)(sp >> 8), (uint8_t)sp, (uint8_t)(dp >> 8), (uint8_t)dp,
			(uint8_t)(ulen >> 8), (uint8_t)ulen, 0, 0};
	memcpy(b + 34, u, 8);
	memcpy(b + 42, pl, n);
	uint32_t len = (uint32_t)(42 + n);
	put32(f, (uint32_t)(ts_us / 1000000));
	put32(f, (uint32_t)(ts_us % 1000000));
	put32(f, len);
	put32(f, len);
	fwrite(b, 1, len, f);
}

static int gen(const char *path, long n)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return 1;
	uint32_t gh[6] = {0xa1b2c3d4, 0x00040002, 0, 0, 65535, 1};
	fwrite(gh, 4, 6, f);
	static const uint8_t srv[4] = {10, 0, 0, 2};
	int64_t ts = 1700000000LL * 1000000;
	long written = 0;
	uint8_t idseq[1600];
	memset(idseq, 0, sizeof idseq);
	uint64_t rnd = 88172645463325252ull;
	for (long k = 0; written < n; k++) {
		int nas = (int)(k % 200), port = (int)((k / 200) % 8), user = (int)(k % 5000);
		uint8_t cli[4] = {10, 1, 0, (uint8_t)(nas + 1)};
		uint16_t cport = (uint16_t)(1645 + port * 10);
		uint8_t id = idseq[nas * 8 + port]++;
		uint8_t auth[16], rauth[16];
		for (int i = 0; i < 16; i++) {
			rnd ^= rnd << 13;
			rnd ^= rnd >> 7;
			rnd ^= rnd << 17;
			auth[i] = (uint8_t)rnd;
			rauth[i] = (uint8_t)(rnd >> 8);
		}
		uint8_t pl[600];
		size_t m = radius(pl, 1, id, auth, user, nas, port);
		frame(f, ts, cli, srv, cport, 1812, pl, m);
		written++;
		if (k % 50 == 7 && written < n) {
			frame(f, ts + 1000, cli, srv, cport, 1812, pl, m);   /* a retransmit */
			written++;
		}
		if (k % 200 != 13 && written < n) {
			m = radius(pl, user % 10 == 3 ? 3 : 2, id, rauth, user, nas, port);
			frame(f, ts + 2000, srv, cli, 1812, cport, pl, m);
			written++;
		}
		ts += 100;          /* 10 000 logins/s */
	}
	fclose(f);
	return 0;
}

static uint64_t nev;

static void count_emit(struct ev_sink *s, struct ev *e)
{
	(void)s;
	(void)e;
	nev++;
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "gen"))
		return gen(argv[2], atol(argv[3]));
	if (argc != 3 || strcmp(argv[1], "run")) {
		fprintf(stderr, "usage: bench_radius gen FILE N | run FILE\n");
		return 2;
	}
	char err[160];
	double t0 = now();
	struct stream *s = stream_file_open(argv[2], NULL, err, sizeof err);
	if (!s) {
		fprintf(stderr, "%s: %s\n", argv[2], err);
		return 2;
	}
	struct ev_sink sink = {count_emit};
	struct input *in = input_new(argv[2], SRC_PCAP);
	struct format_ctx ctx = {in, &sink, s, NULL, NULL, NULL};
	void *st = fmt_pcap.open(&ctx);
	while (fmt_pcap.step(st))
		;
	uint64_t frames = capture_frames(st);
	fmt_pcap.close(st);
	s->close(s);
	double t1 = now();
	printf("%llu %.6f %llu\n", (unsigned long long)frames, t1 - t0, (unsigned long long)nev);
	input_reset_all();
	str_shutdown();
	return 0;
}
