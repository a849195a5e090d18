/* \summary: compare the IKE decoder's -T fields output with a tshark oracle
 *
 * Test-only glue: walks a capture with pcap_mini.h, hands UDP 500/4500 and
 * ESP to ike_udp()/esp_ip() with a fields collector over the IKE columns,
 * and compares each frame's cells with the oracle row of the same frame.
 */
#ifndef IKE_ORACLE_H
#define IKE_ORACLE_H

#include "decoders/dissect.h"
#include "decoders/fields.h"
#include "decoders/ike_keys.h"
#include "decoders/ike_sa.h"
#include "decoders/ikev2.h"
#include "pcap_mini.h"

static const char *const ike_cols[] = {
	"udpencap.non_esp_marker", "udpencap.nat_keepalive", "esp.spi", "esp.sequence",
	"eap.code", "eap.id", "eap.len", "eap.type", "eap.identity",
	"isakmp.ispi", "isakmp.rspi", "isakmp.version", "isakmp.exchangetype", "isakmp.flags",
	"isakmp.messageid", "isakmp.length", "isakmp.nextpayload", "isakmp.typepayload",
	"isakmp.payloadlength", "isakmp.notify.protoid", "isakmp.notify.msgtype",
	"isakmp.frag.number", "isakmp.frag.total", "isakmp.key_exchange.dh_group",
	"isakmp.tf.type", "isakmp.tf.id.encr", "isakmp.tf.id.prf", "isakmp.tf.id.integ",
	"isakmp.tf.id.dh", "isakmp.id.type", "isakmp.auth.method", "isakmp.auth.data",
	"isakmp.delete.protoid", "isakmp.ts.type", "isakmp.cfg.type", "isakmp.enc.iv",
	"isakmp.enc.icd",
};
#define IKE_NCOLS (sizeof ike_cols / sizeof ike_cols[0])

struct oracle_run {
	struct fields *f;
	struct ike_state *st;
	const struct ike_keys *keys;
	char **rows;               /* by frame number: the oracle line */
	size_t nrows;
	int col_of[IKE_NCOLS];     /* oracle column index of each IKE column */
	long mismatches, cells;
	int shown;
	const char *name;
};

static void oracle_split(char *line, char **cells, int max, int *n)
{
	int k = 0;
	cells[k++] = line;
	for (char *p = line; *p && k < max; p++)
		if (*p == '\t') {
			*p = 0;
			cells[k++] = p + 1;
		}
	*n = k;
}

static void oracle_frame(void *ctx, const struct mini_pkt *mp)
{
	struct oracle_run *o = ctx;
	fields_reset(o->f);
	struct pkt p;
	memset(&p, 0, sizeof p);
	p.input = 0;
	p.frame = mp->frame;
	p.ts_ns = mp->ts_ns;
	p.wirelen = mp->wirelen;
	p.caplen = mp->caplen;
	p.src = mp->src;
	p.dst = mp->dst;
	p.sport = mp->sport;
	p.dport = mp->dport;
	p.fields = o->f;
	p.ike_keys = o->keys;
	p.ike = o->st;
	int ike = 0;
	if (!mp->fragment && mp->proto == 17 &&
	    (mp->sport == 500 || mp->dport == 500 || mp->sport == 4500 || mp->dport == 4500)) {
		ike_udp(&p, mp->data, mp->len);
		ike = 1;
	} else if (!mp->fragment && mp->proto == 50) {
		esp_ip(&p, mp->data, mp->len);
	}
	if (mp->frame >= o->nrows || !o->rows[mp->frame])
		return;
	char *line = strdup(o->rows[mp->frame]);
	char *cells[128];
	int nc;
	oracle_split(line, cells, 128, &nc);
	for (size_t i = 0; i < IKE_NCOLS; i++) {
		if (o->col_of[i] < 0 || o->col_of[i] >= nc)
			continue;
		if (!ike && !strncmp(ike_cols[i], "eap.", 4))
			continue;            /* RADIUS-borne EAP is not ours */
		if (mp->fragment)
			continue;
		const char *want = cells[o->col_of[i]], *got = fields_value(o->f, i);
		o->cells++;
		if (strcmp(want, got)) {
			o->mismatches++;
			if (o->shown++ < 12)
				fprintf(stderr, "%s#%llu %s: want '%.120s' got '%.120s'\n", o->name,
					(unsigned long long)mp->frame, ike_cols[i], want, got);
		}
	}
	free(line);
}

/* Returns the number of mismatching cells, or -1 when a file is unreadable. */
static long oracle_check(const char *pcap, const char *tsv, const struct ike_keys *keys, long *cells)
{
	size_t n;
	uint8_t *t = mini_slurp(tsv, &n);
	if (!t)
		return -1;
	t = realloc(t, n + 1);
	t[n] = 0;
	struct oracle_run o;
	memset(&o, 0, sizeof o);
	o.name = pcap;
	o.keys = keys;
	o.st = ike_state_new();
	struct fields_opts fo = {'\t', '|', 'a', 0, 0};
	o.f = fields_new(ike_cols, IKE_NCOLS, &fo);
	/* rows by frame number */
	size_t cap = 1024;
	o.rows = calloc(cap, sizeof *o.rows);
	char *save = NULL, *line = strtok_r((char *)t, "\n", &save);
	char *hcells[128];
	int hn = 0;
	char *hdr = line ? strdup(line) : strdup("");
	oracle_split(hdr, hcells, 128, &hn);
	for (size_t i = 0; i < IKE_NCOLS; i++) {
		o.col_of[i] = -1;
		for (int j = 0; j < hn; j++)
			if (!strcmp(hcells[j], ike_cols[i]))
				o.col_of[i] = j;
	}
	while ((line = strtok_r(NULL, "\n", &save))) {
		size_t fr = (size_t)strtoul(line, NULL, 10);
		if (fr >= cap) {
			size_t nc = cap;
			while (nc <= fr)
				nc *= 2;
			o.rows = realloc(o.rows, nc * sizeof *o.rows);
			memset(o.rows + cap, 0, (nc - cap) * sizeof *o.rows);
			cap = nc;
		}
		o.rows[fr] = line;
	}
	o.nrows = cap;
	long fr = mini_walk(pcap, oracle_frame, &o);
	fields_free(o.f);
	ike_state_free(o.st);
	free(o.rows);
	free(hdr);
	free(t);
	if (cells)
		*cells = o.cells;
	return fr < 0 ? -1 : o.mismatches;
}

#endif
