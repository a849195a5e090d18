/* ipfmt: the hot-path IPv4 text helpers agree with glibc's inet_ntop/inet_pton,
 * and the capture's address table (capture.c) names every host right, also
 * past the point where it starts over */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <pcap/pcap.h>

#include "core/event.h"
#include "core/input.h"
#include "core/str.h"
#include "decoders/capture.h"
#include "decoders/ipfmt.h"

static uint64_t rnd_state = 0x243f6a8885a308d3ull;

static uint64_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

static void test_ip4_fmt_matches_inet_ntop(void **st)
{
	(void)st;
	static const uint8_t fixed[][4] = {{0, 0, 0, 0}, {255, 255, 255, 255}, {10, 0, 0, 1},
					   {100, 9, 99, 199}, {1, 10, 100, 255}, {192, 168, 0, 10}};
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0] + 100000; i++) {
		uint8_t a[4];
		if (i < sizeof fixed / sizeof fixed[0]) {
			memcpy(a, fixed[i], 4);
		} else {
			uint64_t r = rnd();
			memcpy(a, &r, 4);
		}
		char want[INET_ADDRSTRLEN], got[16];
		assert_non_null(inet_ntop(AF_INET, a, want, sizeof want));
		size_t n = ip4_fmt(got, a);
		assert_string_equal(got, want);
		assert_int_equal(n, strlen(want));
	}
}

static void check_parse(const char *s)
{
	uint8_t want[4] = {0}, got[4] = {0};
	int w = inet_pton(AF_INET, s, want) == 1;
	int g = ip4_parse(s, got);
	if (w != g)
		fail_msg("'%s': inet_pton %d, ip4_parse %d", s, w, g);
	if (w)
		assert_memory_equal(got, want, 4);
}

static void test_ip4_parse_matches_inet_pton(void **st)
{
	(void)st;
	static const char *cases[] = {
		"0.0.0.0", "255.255.255.255", "10.0.0.1", "198.51.100.7", "256.1.1.1",
		"1.2.3", "1.2.3.4.5", "01.2.3.4", "1.02.3.4", "1.2.3.00", "1.2.3.0",
		"1..2.3", ".1.2.3", "1.2.3.", "1.2.3.4 ", " 1.2.3.4", "1.2.3.4x", "",
		"a.b.c.d", "1.2.3.-4", "999.1.1.1", "1.2.3.255", "1.2.3.2555", "00.0.0.0",
		"0.0.0.00", "::1", "fe80::1", "1.2.3.4:80", "12345", "1.2.3.4\n",
		"aa:bb:cc:dd:ee:ff", "user@example.com", "0x1.2.3.4", "1.2.3.04",
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		check_parse(cases[i]);
	/* random strings over the alphabet that matters */
	static const char alpha[] = "0123456789..x";
	for (int i = 0; i < 200000; i++) {
		char s[24];
		size_t n = rnd() % 20;
		for (size_t k = 0; k < n; k++)
			s[k] = alpha[rnd() % (sizeof alpha - 1)];
		s[n] = 0;
		check_parse(s);
	}
	/* and every formatted address parses back */
	for (int i = 0; i < 10000; i++) {
		uint64_t r = rnd();
		char t[16];
		ip4_fmt(t, (const uint8_t *)&r);
		check_parse(t);
	}
}

static void test_ascii_plain(void **st)
{
	(void)st;
	/* every byte value at every place of strings of 0..24 bytes */
	uint8_t b[24];
	for (size_t n = 0; n <= sizeof b; n++)
		for (size_t at = 0; at < (n ? n : 1); at++)
			for (int v = 0; v < 256; v++) {
				memset(b, 'a', sizeof b);
				if (n)
					b[at] = (uint8_t)v;
				int want = 1;
				for (size_t i = 0; i < n; i++)
					if (b[i] < 0x20 || b[i] >= 0x7f || b[i] == '\\')
						want = 0;
				if (ascii_plain(b, n) != want)
					fail_msg("n %zu, byte 0x%02x at %zu", n, v, at);
			}
	/* and random mixtures (carries and borrows between bytes) */
	for (int k = 0; k < 200000; k++) {
		size_t n = rnd() % 24;
		for (size_t i = 0; i < n; i++) {
			uint64_t r = rnd();
			b[i] = (uint8_t)(r & 1 ? 0x20 + r % 0x5f : r >> 8);
		}
		int want = 1;
		for (size_t i = 0; i < n; i++)
			if (b[i] < 0x20 || b[i] >= 0x7f || b[i] == '\\')
				want = 0;
		assert_int_equal(ascii_plain(b, n), want);
	}
}

/* ---- the address table: 6000 hosts (past the point where it starts
 * over), each one's name on its event ---- */

static int nreq, nbad;
static uint32_t want_host;

static void on_ev(struct ev_sink *s, struct ev *e)
{
	(void)s;
	if (e->kind != EVK_RADIUS_REQUEST)
		return;
	nreq++;
	/* the request's id and port say which host sent it */
	uint32_t h = (uint32_t)e->nas_port - 1024;
	char want[32];
	snprintf(want, sizeof want, "10.%u.%u.%u", (h >> 16) & 255, (h >> 8) & 255, h & 255);
	if (!e->nas_ip || strcmp(e->nas_ip, want) || e->nas_ip != intern_cstr(want))
		nbad++;
	if (!e->server_ip || strcmp(e->server_ip, "192.0.2.1"))
		nbad++;
	want_host = h;
}

static void test_address_table(void **st)
{
	(void)st;
	struct ev_sink sink = {on_ev};
	struct capture *c = capture_new(input_new("t.pcap", SRC_PCAP), &sink, NULL);
	nreq = nbad = 0;
	for (uint32_t round = 0; round < 2; round++)
		for (uint32_t h = 1; h <= 6000; h++) {
			uint8_t f[28 + 20];
			size_t ulen = 8 + 20, tot = 20 + ulen;
			uint16_t sport = (uint16_t)(1024 + h);
			uint8_t hd[28] = {0x45, 0, (uint8_t)(tot >> 8), (uint8_t)tot, 0, 0, 0, 0, 64, 17,
					  0, 0, 10, (uint8_t)(h >> 16), (uint8_t)(h >> 8), (uint8_t)h,
					  192, 0, 2, 1, (uint8_t)(sport >> 8), (uint8_t)sport,
					  0x07, 0x14, 0, (uint8_t)ulen, 0, 0};
			memcpy(f, hd, 28);
			uint8_t r[20] = {1, (uint8_t)round, 0, 20};
			memcpy(r + 4, &h, 4);
			memcpy(f + 28, r, 20);
			int64_t ts = ((int64_t)round * 6000 + h) * 1000000;   /* 1 ms apart */
			capture_frame(c, DLT_RAW, ts, f, sizeof f, sizeof f);
		}
	capture_close(c);
	assert_int_equal(nreq, 12000);
	assert_int_equal(nbad, 0);
	assert_int_equal(want_host, 6000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ip4_fmt_matches_inet_ntop),
		cmocka_unit_test(test_ip4_parse_matches_inet_pton),
		cmocka_unit_test(test_ascii_plain),
		cmocka_unit_test(test_address_table),
	};
	int r = cmocka_run_group_tests(tests, NULL, NULL);
	input_reset_all();
	str_shutdown();
	return r;
}
