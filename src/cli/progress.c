/* \summary: the progress bar on standard error */
#include "cli/progress.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

static int64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void progress_init(struct progress *p, int on)
{
	memset(p, 0, sizeof *p);
	if (!on || !isatty(STDERR_FILENO))
		return;
	const char *term = getenv("TERM");
	if (term && !strcmp(term, "dumb"))
		return;
	p->tty = stderr;
	p->t0 = now_us();
	p->last = p->t0 - 1000000;  /* the first tick past the delay draws */
	p->delay = 1000000;
	const char *d = getenv("AUTHSCOPE_PROGRESS_DELAY_MS");
	if (d && *d)
		p->delay = strtoll(d, NULL, 10) * 1000;
}

static void human(char *b, size_t n, double v)
{
	const char *u[] = {"B", "KiB", "MiB", "GiB", "TiB"};
	int i = 0;
	while (v >= 1024 && i < 4) {
		v /= 1024;
		i++;
	}
	snprintf(b, n, i ? "%.1f %s" : "%.0f %s", v, u[i]);
}

void progress_format(char *out, size_t n, uint64_t done, uint64_t total,
		     double elapsed_s, int width)
{
	char d[24], t[24], r[24], eta[24] = "";
	double rate = elapsed_s > 0 ? done / elapsed_s : 0;
	human(d, sizeof d, (double)done);
	human(r, sizeof r, rate);
	if (total && done <= total) {
		human(t, sizeof t, (double)total);
		if (rate > 0) {
			double left = (total - done) / rate;
			if (left < 60)
				snprintf(eta, sizeof eta, ", ETA %.0fs", left);
			else if (left < 360000)
				snprintf(eta, sizeof eta, ", ETA %dm%02ds", (int)left / 60,
					 (int)left % 60);
			else
				snprintf(eta, sizeof eta, ", ETA %.0fh", left / 3600);
		}
		int bar = width - 60;
		if (bar > 40)
			bar = 40;
		if (bar < 10)
			bar = 10;
		int fill = (int)((double)done / (double)total * bar);
		char b[64];
		for (int i = 0; i < bar; i++)
			b[i] = i < fill ? '#' : '.';
		b[bar] = 0;
		snprintf(out, n, "[%s] %3.0f%% %s of %s, %s/s%s", b,
			 100.0 * (double)done / (double)total, d, t, r, eta);
	} else {
		snprintf(out, n, "%s read, %s/s", d, r);
	}
	if (width > 1 && strlen(out) >= (size_t)width)
		out[width - 1] = 0;
}

void progress_tick(struct progress *p, const struct ingest *g)
{
	if (!p->tty || (++p->calls & 63))
		return;
	int64_t t = now_us();
	if (t - p->t0 < p->delay || t - p->last < 100000)
		return;
	p->last = t;
	uint64_t done, total;
	ingest_progress(g, &done, &total);
	struct winsize ws;
	int width = ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col ? ws.ws_col : 80;
	char line[256];
	progress_format(line, sizeof line, done, total, (t - p->t0) / 1e6, width);
	fprintf(p->tty, "\r%s\033[K", line);
	fflush(p->tty);
	p->shown = 1;
}

void progress_done(struct progress *p)
{
	if (p->tty && p->shown) {
		fputs("\r\033[K", p->tty);
		fflush(p->tty);
	}
	p->shown = 0;
}
