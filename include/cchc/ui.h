/* ui.h — the curses user interface: entry point used by main.c, and a
 * scripted run for the screen tests.
 * The screens live in src/scr_*.c; they call the model, never LMDB. */
#ifndef CCHC_UI_H
#define CCHC_UI_H

#include <stdbool.h>

#include "cchc/util.h"

struct model;
struct config;

/* Run the interactive UI on the real terminal until the user quits.
 * Returns CCHC_OK, or an error (e.g. not a terminal) with err set. */
int ui_main(struct model *m, const struct config *cfg, struct cchc_err *err);

/* ---- scripted runs (screen tests) ---- */

/* What a key source returns besides a key (keys are ints as in keys.h). */
enum {
    UI_KEY_TICK = -1,   /* no key before the timeout: the UI checks the model */
    UI_KEY_END = -2,    /* the script is over: the UI returns */
    UI_KEY_HANGUP = -3, /* the terminal is gone (a dropped link): drafts are
                           kept and the UI returns */
};

struct ui_keysrc {
    /* Called each time the UI waits for a key, with the screen up to date
     * (so the source may call ui_dump() first). */
    int (*next)(void *ctx);
    void *ctx;
};

/* Run the UI on a virtual terminal of rows x cols (TERM term, output to
 * /dev/null) taking keys from src until it returns UI_KEY_END or the user
 * quits. The caller sets cfg->lang and the model's login as it wants.
 * Returns what ui_main would. */
int ui_run_script(struct model *m, const struct config *cfg, const char *term, int rows, int cols,
                  const struct ui_keysrc *src, struct cchc_err *err);

/* During a scripted run: the screen's text as the terminal shows it, one
 * line per row, UTF-8, trailing spaces trimmed; the row with the cursor
 * style is marked with '>' in a first column of its own (others ' '). */
void ui_dump(struct strbuf *out);

/* During a scripted run: resize the virtual terminal (the source then
 * returns KEYS_FUNC(KEY_RESIZE), as ncurses would deliver it). */
void ui_script_resize(int rows, int cols);

#endif
