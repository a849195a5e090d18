/* \summary: ncursesw painter for the dashboard */
#include "tui/screen.h"

#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include <curses.h>

#include "tui/dash_int.h"

struct tui {
	SCREEN *scr;
	int color, unicode;
	attr_t attr[DA__COUNT];
	short pair[DA__COUNT];
	struct dash_screen s;
	unsigned char pend[8];      /* UTF-8 bytes of a wide key still to hand out */
	size_t npend, ipend;
	int resized;                /* repaint everything: the terminal may have lost it */
};

static void setup_attrs(struct tui *t)
{
	memset(t->attr, 0, sizeof t->attr);
	memset(t->pair, 0, sizeof t->pair);
	t->attr[DA_TITLE] = A_REVERSE | A_BOLD;
	t->attr[DA_HEAD] = A_BOLD | A_UNDERLINE;
	t->attr[DA_SEL] = A_REVERSE;
	t->attr[DA_DIM] = A_DIM;
	if (t->color) {
		static const short fg[DA__COUNT] = {
			[DA_OK] = COLOR_GREEN, [DA_BAD] = COLOR_RED, [DA_WARN] = COLOR_YELLOW,
			[DA_OPEN] = COLOR_CYAN, [DA_FAIL] = COLOR_RED,
		};
		for (short a = 0; a < DA__COUNT; a++)
			if (fg[a]) {
				init_pair(a, fg[a], -1);
				t->pair[a] = a;
			}
		t->attr[DA_BAD] = A_BOLD;
		t->attr[DA_FAIL] = A_BOLD;
	} else {
		/* no colour: words stay readable, the failing leg stands out */
		t->attr[DA_BAD] = A_BOLD;
		t->attr[DA_WARN] = A_BOLD;
		t->attr[DA_FAIL] = A_BOLD | A_UNDERLINE;
	}
}

struct tui *tui_open(int allow_color, char *err, size_t errsz)
{
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		snprintf(err, errsz, "the dashboard needs a terminal (use --headless for text snapshots)");
		return NULL;
	}
	setlocale(LC_ALL, "");
	struct tui *t = xcalloc(1, sizeof *t);
	t->scr = newterm(NULL, stdout, stdin);
	if (!t->scr) {
		snprintf(err, errsz, "cannot set up the terminal (TERM=%s)",
			 getenv("TERM") ? getenv("TERM") : "");
		free(t);
		return NULL;
	}
	set_term(t->scr);
	const char *cs = nl_langinfo(CODESET);
	t->unicode = cs && !strcmp(cs, "UTF-8");
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	if (allow_color && has_colors()) {
		start_color();
		use_default_colors();
		t->color = 1;
	}
	setup_attrs(t);
	return t;
}

void tui_close(struct tui *t)
{
	if (!t)
		return;
	curs_set(1);
	endwin();
	delscreen(t->scr);
	dash_screen_free(&t->s);
	free(t);
}

int tui_fd(const struct tui *t)
{
	(void)t;
	return STDIN_FILENO;
}

int tui_key(struct tui *t)
{
	if (t->ipend < t->npend)
		return t->pend[t->ipend++];
	wint_t c;
	int r = get_wch(&c);
	if (r == ERR)
		return -1;
	if (r == KEY_CODE_YES) {
		switch (c) {
		case KEY_UP: return DK_UP;
		case KEY_DOWN: return DK_DOWN;
		case KEY_PPAGE: return DK_PGUP;
		case KEY_NPAGE: return DK_PGDN;
		case KEY_HOME: return DK_HOME;
		case KEY_END: return DK_END;
		case KEY_ENTER: return DK_ENTER;
		case KEY_BACKSPACE: return DK_BACKSPACE;
		case KEY_RESIZE:
			t->resized = 1;
			return DK_RESIZE;
		}
		return 0;
	}
	switch (c) {
	case '\n': case '\r': return DK_ENTER;
	case 27: return DK_ESC;
	case 127: case 8: return DK_BACKSPACE;
	}
	if (c < 0x80)
		return (int)c;
	/* a typed non-ASCII character: its UTF-8 bytes, one per call */
	char mb[8];
	mbstate_t ms;
	memset(&ms, 0, sizeof ms);
	size_t n = wcrtomb(mb, (wchar_t)c, &ms);
	if (n == (size_t)-1 || n > sizeof t->pend)
		return 0;
	memcpy(t->pend, mb, n);
	t->npend = n;
	t->ipend = 1;
	return t->pend[0];
}

void tui_draw(struct tui *t, struct dash *d)
{
	int rows, cols;
	getmaxyx(stdscr, rows, cols);
	if (t->resized) {
		clearok(curscr, TRUE);
		t->resized = 0;
	}
	dash_render(d, &t->s, rows, cols, t->unicode);
	for (int y = 0; y < t->s.rows; y++) {
		const struct dash_line *l = &t->s.line[y];
		attrset(A_NORMAL);
		/* the bottom-right cell cannot be written without scrolling on
		 * some terminals: the last line stops one column short */
		size_t n = l->text.len;
		if (y == t->s.rows - 1) {
			size_t keep = 0, w = 0;
			while (keep < n && w + 1 < (size_t)cols) {
				size_t cl = 1;
				unsigned char c = (unsigned char)l->text.p[keep];
				if (c >= 0xf0)
					cl = 4;
				else if (c >= 0xe0)
					cl = 3;
				else if (c >= 0xc0)
					cl = 2;
				w += dash_text_width(l->text.p + keep, cl);
				keep += cl;
			}
			n = keep;
		}
		mvaddnstr(y, 0, l->text.p ? l->text.p : "", (int)n);
		clrtoeol();
		for (unsigned i = 0; i < l->nspan; i++) {
			const struct dash_span *sp = &l->span[i];
			int len = sp->len;
			if (sp->col + len > cols)
				len = cols - sp->col;
			if (y == t->s.rows - 1 && sp->col + len >= cols)
				len = cols - 1 - sp->col;
			if (len > 0)
				mvchgat(y, sp->col, len, t->attr[sp->attr], t->pair[sp->attr], NULL);
		}
	}
	if (t->s.cursor_row >= 0) {
		curs_set(1);
		move(t->s.cursor_row, t->s.cursor_col);
	} else {
		curs_set(0);
	}
	refresh();
}
