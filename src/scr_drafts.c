/* scr_drafts.c — drafts offered back at start.
 *
 * A draft is text this login was typing when its last session ended
 * without saving (a dropped SSH link, a SIGHUP, a kill). Before anything
 * else the UI says how many there are and what they were, and offers to
 * open them in the editor (each in its own, oldest on top), to discard
 * them, or to leave them for later (they are offered again at the next
 * start; opening the same place again also resumes its draft). Two
 * sessions of the login that typed at the same place left two drafts (each
 * editor keeps its own, draft_session_key): both are listed, and opening
 * them gives two editors, each going on from its own.
 */
#include <stdlib.h>
#include <string.h>

#include "cchc/ui_screen.h"

#define MAX_DRAFTS 32

struct offer {
    struct draft d[MAX_DRAFTS];
    size_t n;
};

static void offer_free(void *p)
{
    struct offer *o = p;
    for (size_t i = 0; i < o->n; i++)
        draft_free(&o->d[i]);
    free(o);
}

static void on_offer(struct ui *ui, void *ctx, int choice)
{
    struct offer *o = ctx;
    struct cchc_err err = {0};
    if (choice == 0) {
        /* Newest first onto the stack, so that the oldest is on top. */
        for (size_t i = o->n; i-- > 0;)
            ui_draft_open(ui, &o->d[i]);
    } else if (choice == 1) {
        for (size_t i = 0; i < o->n; i++)
            if (model_draft_delete(ui->m, o->d[i].key, &err) != CCHC_OK) {
                ui_error(ui, &err);
                return;
            }
        ui_message(ui, "%s", tr(M_DRAFT_DROPPED));
    }
}

void ui_offer_drafts(struct ui *ui)
{
    struct offer *o = xcalloc(1, sizeof *o);
    struct cchc_err err = {0};
    struct strbuf sb = {0};
    char t[17];
    const struct ui_option opts[] = {ui_opt(ui, M_OPT_OPEN_DRAFT), ui_opt(ui, M_OPT_DROP_DRAFT),
                                     ui_opt(ui, M_OPT_LATER)};

    if (model_drafts(ui->m, o->d, MAX_DRAFTS, &o->n, &err) != CCHC_OK || o->n == 0) {
        offer_free(o);
        return;
    }
    tr_addf(&sb, M_DRAFTS_OFFER, o->n);
    for (size_t i = 0; i < o->n; i++) {
        const struct draft *d = &o->d[i];
        const char *text = d->text ? d->text : "";
        const char *nl = strchr(text, '\n');
        sb_addf(&sb, "\n• %s (%s): ", d->label ? d->label : d->key, ui_time(ui, d->saved, t));
        sb_add(&sb, text, nl ? (size_t)(nl - text) : strlen(text));
    }
    ui_choose(ui, tr(M_DRAFTS), sb_str(&sb), opts, 3, 0, on_offer, o, offer_free);
    sb_free(&sb);
}
