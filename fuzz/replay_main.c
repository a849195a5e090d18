/* \summary: replay a fuzz corpus without libFuzzer (Suricata onefile.c,
 * SQLite fuzzcheck): every file named, or every file in a directory named,
 * goes through LLVMFuzzerTestOneInput once. Built by make test, run under
 * the sanitizers by make check. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "replay: cannot open %s\n", path);
		return 1;
	}
	size_t cap = 1 << 16, n = 0;
	uint8_t *buf = malloc(cap);
	size_t r;
	while (buf && (r = fread(buf + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n == cap) {
			uint8_t *nb = realloc(buf, cap *= 2);
			if (!nb) {
				free(buf);
				buf = NULL;
			} else {
				buf = nb;
			}
		}
	}
	fclose(f);
	if (!buf)
		return 1;
	LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	return 0;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
	int rc = 0, count = 0;
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) != 0) {
			fprintf(stderr, "replay: %s: not found\n", argv[i]);
			return 1;
		}
		if (!S_ISDIR(st.st_mode)) {
			rc |= run_file(argv[i]);
			count++;
			continue;
		}
		DIR *d = opendir(argv[i]);
		if (!d)
			return 1;
		char **names = NULL;
		size_t n = 0;
		struct dirent *de;
		while ((de = readdir(d))) {
			if (de->d_name[0] == '.')
				continue;
			names = realloc(names, (n + 1) * sizeof *names);
			names[n++] = strdup(de->d_name);
		}
		closedir(d);
		qsort(names, n, sizeof *names, cmp);
		for (size_t j = 0; j < n; j++) {
			char p[4096];
			snprintf(p, sizeof p, "%s/%s", argv[i], names[j]);
			rc |= run_file(p);
			count++;
			free(names[j]);
		}
		free(names);
	}
	printf("replayed %d input(s)\n", count);
	return rc;
}
