/* scr_help.c — the help screen (?): every key, generated from the one key
 * table (keys.c), so that it can never disagree with what the keys do.
 *
 * First the keys of the screen it was opened from, then those that work
 * everywhere, then moving in a list, then the keys of the note editor and
 * the forms. Esc or q goes back.
 */
#include <stdlib.h>
#include <string.h>

#include "cchc/ui_screen.h"

struct help_screen {
    struct screen base;
    enum action below[ACT_COUNT]; /* actions of the screen below, ACT_NONE-ended */
    char *below_title;
    struct ui_doc doc;
};

static const enum action help_actions[] = {ACT_NONE};

static void help_load(struct screen *s, struct ui *ui)
{
    (void)s;
    (void)ui;
}

/* The keys, then what they do, wrapped under itself (never cut). */
static void add_action(struct ui_doc *d, enum action a, bool vi, int cols)
{
    char keys[128];
    doc_field(d, cols, 20, keys_of(a, keys, sizeof keys), action_help(a, vi));
}

static void help_draw(struct screen *s, struct ui *ui, int y0, int rows, int cols)
{
    struct help_screen *hs = (struct help_screen *)s;
    struct ui_doc *d = &hs->doc;
    struct strbuf sb = {0};

    doc_clear(d);
    doc_wrap(d, cols, 1, tr(M_HELP_INTRO), ST_NORMAL);
    if (hs->below[0] != ACT_NONE) {
        tr_addf(&sb, M_HELP_SCREEN, hs->below_title ? hs->below_title : "");
        doc_section(d, cols, sb_str(&sb));
        for (const enum action *a = hs->below; *a != ACT_NONE; a++)
            add_action(d, *a, ui->vi, cols);
    }
    doc_section(d, cols, tr(M_HELP_GLOBAL));
    for (enum action a = ACT_NONE + 1; a < ACT_COUNT; a++)
        if (action_info(a)->scope == AS_GLOBAL)
            add_action(d, a, ui->vi, cols);
    doc_section(d, cols, tr(M_HELP_MOVE));
    for (enum action a = ACT_NONE + 1; a < ACT_COUNT; a++)
        if (action_info(a)->scope == AS_MOVE)
            add_action(d, a, ui->vi, cols);
    doc_section(d, cols, tr(M_HELP_EDIT));
    for (enum action a = ACT_NONE + 1; a < ACT_COUNT; a++)
        if (action_info(a)->scope == AS_EDIT)
            add_action(d, a, ui->vi, cols);
    sb_free(&sb);
    doc_draw(d, &s->list, y0, rows, cols);
}

static void help_title(struct screen *s, struct ui *ui, struct strbuf *left, struct strbuf *right)
{
    (void)s;
    (void)ui;
    (void)right;
    sb_adds(left, tr(M_HELP));
}

static bool help_action(struct screen *s, struct ui *ui, enum action a)
{
    (void)s;
    (void)ui;
    return a == ACT_HELP || a == ACT_OPEN; /* nothing to open; no help on help */
}

static void help_free(struct screen *s)
{
    struct help_screen *hs = (struct help_screen *)s;
    doc_free(&hs->doc);
    free(hs->below_title);
    free(hs);
}

static const struct screen_ops help_ops = {
    .name = "help",
    .actions = help_actions,
    .title = help_title,
    .load = help_load,
    .draw = help_draw,
    .action = help_action,
    .free = help_free,
};

struct screen *scr_help_new(struct ui *ui, const struct screen *below)
{
    struct help_screen *hs = xcalloc(1, sizeof *hs);
    size_t n = 0;
    hs->base.doc = &hs->doc;
    hs->base.ops = &help_ops;
    if (below) {
        struct strbuf left = {0}, right = {0};
        for (const enum action *a = below->ops->actions; a && *a != ACT_NONE && n < ACT_COUNT - 1;
             a++)
            hs->below[n++] = *a;
        below->ops->title((struct screen *)below, ui, &left, &right);
        hs->below_title = sb_detach(&left);
        sb_free(&right);
    }
    hs->below[n] = ACT_NONE;
    return &hs->base;
}
