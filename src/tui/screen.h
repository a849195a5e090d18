/* \summary: the terminal: ncursesw painting of dash screens, keys, resize
 *
 * tui_open takes over the terminal (alternate screen, no echo, keypad,
 * non-blocking keys); tui_close gives it back as it was found. Colour is
 * used only when the terminal has it and the caller allows it (NO_COLOR
 * unset): without colour, attributes fall back to bold/reverse/underline.
 */
#ifndef AUTHSCOPE_TUI_SCREEN_H
#define AUTHSCOPE_TUI_SCREEN_H

#include "tui/dash.h"

struct tui;

/* NULL when the terminal cannot be set up (reason in err). */
struct tui *tui_open(int allow_color, char *err, size_t errsz);
void tui_close(struct tui *t);
/* The descriptor keys arrive on (poll it for reading). */
int tui_fd(const struct tui *t);
/* The next key as a DK_* code or a byte (UTF-8 bytes one by one), or -1
 * when none is waiting. */
int tui_key(struct tui *t);
/* Lay out and paint the dashboard at the terminal's current size. */
void tui_draw(struct tui *t, struct dash *d);

#endif
