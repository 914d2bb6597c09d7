/* scr_history.c — the History screen (key 5): the audit trail, newest
 * first, one line per change: when, who, what, and the detail.
 *
 * The trail only grows and has no count, so the screen holds a window of
 * the newest entries (model_audit pages down from a sequence number) and
 * asks for more when the cursor comes near the end of what it holds. When
 * someone commits, the screen reads again: the new entries appear on top.
 */
#include <stdlib.h>
#include <string.h>

#include "cchc/search.h"
#include "cchc/ui_screen.h"

#define HISTORY_PAGE 200

struct history_screen {
    struct screen base;
    struct audit_entry *v;
    size_t n, want;
    bool at_end; /* the oldest entry is loaded */
    bool ok;
    struct cchc_err err;
};

static const enum action history_actions[] = {ACT_NONE};

static void history_clear(struct history_screen *hs)
{
    for (size_t i = 0; i < hs->n; i++)
        audit_free(&hs->v[i]);
    hs->n = 0;
}

/* Filtered (`/`): read the trail a page at a time from the newest and keep
 * the entries whose login, action or detail hold the words, until `want`
 * are kept or the trail ends. */
static void load_matching(struct history_screen *hs, struct ui *ui, const char *words)
{
    struct search_words *w = search_words_new(words);
    struct audit_entry *page = xcalloc(HISTORY_PAGE, sizeof *page);
    struct strbuf text = {0};
    uint64_t before = 0;
    size_t got = HISTORY_PAGE;
    hs->ok = true;
    while (hs->n < hs->want && got == HISTORY_PAGE) {
        hs->ok = model_audit(ui->m, before, HISTORY_PAGE, page, &got, &hs->err) == CCHC_OK;
        if (!hs->ok)
            break;
        for (size_t i = 0; i < got; i++) {
            before = page[i].seq;
            sb_reset(&text);
            sb_addf(&text, "%s %s %s", page[i].login ? page[i].login : "",
                    page[i].what ? page[i].what : "", page[i].detail ? page[i].detail : "");
            if (hs->n < hs->want && search_words_match(w, sb_str(&text)))
                hs->v[hs->n++] = page[i];
            else
                audit_free(&page[i]);
        }
        if (!before) /* 0 would start again from the newest */
            break;
    }
    hs->at_end = hs->ok && got < HISTORY_PAGE;
    sb_free(&text);
    free(page);
    search_words_free(w);
}

static void history_load(struct screen *s, struct ui *ui)
{
    struct history_screen *hs = (struct history_screen *)s;
    history_clear(hs);
    err_clear(&hs->err);
    hs->v = xrealloc(hs->v, hs->want * sizeof *hs->v);
    memset(hs->v, 0, hs->want * sizeof *hs->v);
    if (s->filter) {
        load_matching(hs, ui, s->filter);
        return;
    }
    hs->ok = model_audit(ui->m, 0, hs->want, hs->v, &hs->n, &hs->err) == CCHC_OK;
    if (!hs->ok)
        hs->n = 0;
    hs->at_end = hs->n < hs->want;
}

/* Near the end of what is held: hold a page more (read at the next draw). */
static void history_more(struct history_screen *hs)
{
    if (hs->at_end || hs->base.list.cursor + (size_t)hs->base.list.height < hs->n)
        return;
    hs->want += HISTORY_PAGE;
    hs->base.loaded = false;
}

static void history_draw(struct screen *s, struct ui *ui, int y0, int rows, int cols)
{
    static const struct ui_col colv[] = {{16, false}, {10, false}, {14, false}, {0, false}};
    struct history_screen *hs = (struct history_screen *)s;
    struct strbuf sb = {0};
    const char *heads[] = {tr(M_COL_TIME), tr(M_COL_WHO), tr(M_COL_WHAT), tr(M_COL_DETAIL)};
    char t[17];

    ui_cols(&sb, cols, colv, 4, heads);
    ui_put_row(y0, sb_str(&sb), cols, ST_COLHEAD);
    rows--;
    y0++;
    if (!hs->ok) {
        sb_reset(&sb);
        sb_addc(&sb, ' ');
        tr_addf(&sb, M_ERROR, ui_err_text(ui, &hs->err));
        ui_put_row(y0, sb_str(&sb), cols, ST_WARN);
        sb_free(&sb);
        return;
    }
    ui_list_set(&s->list, hs->n, rows);
    if (!hs->n)
        ui_put_empty(s, y0, cols, tr(M_EMPTY));
    for (int r = 0; r < rows; r++) {
        size_t i = s->list.top + (size_t)r;
        if (i >= hs->n)
            break;
        const struct audit_entry *a = &hs->v[i];
        const char *cells[] = {ui_time(ui, a->time, t), a->login, a->what, a->detail};
        sb_reset(&sb);
        ui_cols(&sb, cols, colv, 4, cells);
        ui_put_row(y0 + r, sb_str(&sb), cols, i == s->list.cursor ? ST_CURSOR : ST_NORMAL);
    }
    sb_free(&sb);
}

static void history_title(struct screen *s, struct ui *ui, struct strbuf *left,
                          struct strbuf *right)
{
    struct history_screen *hs = (struct history_screen *)s;
    (void)ui;
    sb_adds(left, tr(M_HISTORY));
    if (hs->at_end)
        tr_addf(right, M_N_ITEMS, hs->n);
}

static bool history_action(struct screen *s, struct ui *ui, enum action a)
{
    struct history_screen *hs = (struct history_screen *)s;
    (void)ui;
    /* Move first, then see whether more must be read. */
    if (!ui_list_move(&s->list, a))
        return a == ACT_OPEN;
    history_more(hs);
    return true;
}

static void history_free(struct screen *s)
{
    struct history_screen *hs = (struct history_screen *)s;
    history_clear(hs);
    free(hs->v);
    free(hs);
}

static const struct screen_ops history_ops = {
    .name = "history",
    .filters = true,
    .actions = history_actions,
    .title = history_title,
    .load = history_load,
    .draw = history_draw,
    .action = history_action,
    .free = history_free,
};

struct screen *scr_history_new(struct ui *ui)
{
    struct history_screen *hs = xcalloc(1, sizeof *hs);
    (void)ui;
    hs->base.ops = &history_ops;
    hs->want = HISTORY_PAGE;
    return &hs->base;
}
