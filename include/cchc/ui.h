/* ui.h — the curses user interface: entry point used by main.c.
 * The screens live in src/scr_*.c; they call the model, never LMDB. */
#ifndef CCHC_UI_H
#define CCHC_UI_H

#include "cchc/util.h"

struct model;
struct config;

/* Run the interactive UI on the real terminal until the user quits.
 * Returns CCHC_OK, or an error (e.g. not a terminal) with err set. */
int ui_main(struct model *m, const struct config *cfg, struct cchc_err *err);

#endif
