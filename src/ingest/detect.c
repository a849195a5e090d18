/* \summary: container magic (gzip, zip, tar) and rotated-file order */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>

#include "ingest/ingest_int.h"

/* A tar header: the ustar magic, or (v7 tar) a valid header checksum. */
static int tar_header(const uint8_t *h)
{
	if (!memcmp(h + 257, "ustar", 5))
		return 1;
	if (!h[0])
		return 0;
	unsigned long want = 0;
	int digits = 0;
	for (int i = 148; i < 156; i++) {
		if (h[i] >= '0' && h[i] <= '7') {
			want = want * 8 + (unsigned long)(h[i] - '0');
			digits++;
		} else if (h[i] == ' ' || h[i] == 0) {
			if (digits)
				break;
		} else {
			return 0;
		}
	}
	if (!digits)
		return 0;
	unsigned long sum = 0;
	for (int i = 0; i < 512; i++)
		sum += (i >= 148 && i < 156) ? ' ' : h[i];
	return sum == want;
}

int detect_container(const uint8_t *h, size_t n)
{
	if (n >= 3 && h[0] == 0x1f && h[1] == 0x8b && h[2] == 8)
		return CT_GZIP;
	if (n >= 4 && h[0] == 'P' && h[1] == 'K' &&
	    ((h[2] == 3 && h[3] == 4) || (h[2] == 5 && h[3] == 6) || (h[2] == 7 && h[3] == 8)))
		return CT_ZIP;
	if (n >= 512 && tar_header(h))
		return CT_TAR;
	return CT_NONE;
}

int ingest_plain_file(const char *path)
{
	struct stat st;
	if (stat(path, &st) || !S_ISREG(st.st_mode))
		return 0;
	FILE *f = fopen(path, "rb");
	if (!f)
		return 0;
	uint8_t h[512] = {0};
	size_t n = fread(h, 1, sizeof h, f);
	fclose(f);
	return detect_container(h, n) == CT_NONE;
}

struct rotkey {
	size_t baselen;             /* name without ".N" and ".gz" */
	long long n;                /* rotation index, -1 for the live file */
};

static struct rotkey rotkey(const char *s)
{
	size_t len = strlen(s);
	if (len > 3 && !strcmp(s + len - 3, ".gz"))
		len -= 3;
	size_t j = len;
	while (j > 0 && s[j - 1] >= '0' && s[j - 1] <= '9')
		j--;
	struct rotkey k = {len, -1};
	if (j < len && j > 1 && s[j - 1] == '.' && len - j <= 9) {
		k.n = 0;
		for (size_t i = j; i < len; i++)
			k.n = k.n * 10 + (s[i] - '0');
		k.baselen = j - 1;
	}
	return k;
}

int rotation_cmp(const char *a, const char *b)
{
	struct rotkey ka = rotkey(a), kb = rotkey(b);
	size_t m = ka.baselen < kb.baselen ? ka.baselen : kb.baselen;
	int c = memcmp(a, b, m);
	if (c)
		return c;
	if (ka.baselen != kb.baselen)
		return ka.baselen < kb.baselen ? -1 : 1;
	if (ka.n != kb.n) {
		/* higher suffix = older = first; the live file (no suffix) last */
		if (ka.n < 0)
			return 1;
		if (kb.n < 0)
			return -1;
		return ka.n > kb.n ? -1 : 1;
	}
	return strcmp(a, b);
}
