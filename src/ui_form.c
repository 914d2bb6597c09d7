/* ui_form.c — the small modals: a choice (a question with a few answers)
 * and a form (a few one-line fields: a number, a date, a unit code, a short
 * text, a status), drawn as a box over the screen.
 *
 * Both take raw keys (ui.c hands them every key while they are on top).
 * Text fields are editbufs (editbuf.h), so they edit by character, never
 * by byte, and keep text NFC. A form whose first field is long text (a
 * recommendation) keeps it as a draft every few seconds and at once when
 * the session ends, like the note editor. Nothing typed reaches curses but
 * through ui_put(), which sanitises it.
 */
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "cchc/editbuf.h"
#include "cchc/ui_screen.h"

#define DRAFT_EVERY 3.0 /* seconds between drafts while typing */

/* ---- the box ---- */

/* Geometry of a box of `lines` inner lines, centred in the body. */
struct box {
    int y, x, w, h; /* outer */
};

static struct box box_place(int y0, int rows, int cols, int lines)
{
    struct box b;
    b.w = cols - 8;
    if (b.w > 76)
        b.w = 76;
    if (b.w < 20)
        b.w = cols;
    b.h = lines + 2;
    if (b.h > rows)
        b.h = rows;
    b.x = (cols - b.w) / 2;
    b.y = y0 + (rows - b.h) / 2;
    return b;
}

static void box_frame(const struct ui *ui, const struct box *b, const char *title)
{
    struct strbuf sb = {0};
    const char *h = ui->cfg->ascii ? "-" : "─", *v = ui->cfg->ascii ? "|" : "│";
    sb_adds(&sb, ui->cfg->ascii ? "+" : "┌");
    sb_adds(&sb, h);
    sb_addc(&sb, ' ');
    text_fit(&sb, title, b->w - 6, false);
    sb_addc(&sb, ' ');
    for (int w = text_width(sb_str(&sb)); w < b->w - 1; w++)
        sb_adds(&sb, h);
    sb_adds(&sb, ui->cfg->ascii ? "+" : "┐");
    ui_put(b->y, b->x, sb_str(&sb), b->w, ST_SECTION);
    for (int y = b->y + 1; y < b->y + b->h - 1; y++) {
        ui_put(y, b->x, v, 1, ST_SECTION);
        ui_put(y, b->x + 1, "", b->w - 2, ST_NORMAL);
        ui_put(y, b->x + b->w - 1, v, 1, ST_SECTION);
    }
    sb_reset(&sb);
    sb_adds(&sb, ui->cfg->ascii ? "+" : "└");
    for (int w = 1; w < b->w - 1; w++)
        sb_adds(&sb, h);
    sb_adds(&sb, ui->cfg->ascii ? "+" : "┘");
    ui_put(b->y + b->h - 1, b->x, sb_str(&sb), b->w, ST_SECTION);
    sb_free(&sb);
}

/* ---- a choice ---- */

/* Hot keys of the answers: the first letter of the word in each language. */
static const struct {
    enum msg label;
    char vi, en;
} hot_keys[] = {
    {M_OPT_SAVE, 'l', 's'},      {M_OPT_DISCARD, 'b', 'd'},     {M_OPT_GO_ON, 't', 'g'},
    {M_OPT_KEEP_MINE, 'm', 'm'}, {M_OPT_KEEP_THEIRS, 'h', 't'}, {M_OPT_KEEP_THEIRS_ONLY, 'h', 't'},
    {M_OPT_EDIT_BOTH, 's', 'e'}, {M_OPT_OPEN_DRAFT, 'o', 'o'},  {M_OPT_DROP_DRAFT, 'b', 'd'},
    {M_OPT_LATER, 'l', 'l'},     {M_OPT_YES, 'y', 'y'},         {M_OPT_NO, 'n', 'n'},
};

struct ui_option ui_opt(const struct ui *ui, enum msg label)
{
    struct ui_option o = {0, tr(label)};
    for (size_t i = 0; i < sizeof hot_keys / sizeof hot_keys[0]; i++)
        if (hot_keys[i].label == label)
            o.key = ui->vi ? hot_keys[i].vi : hot_keys[i].en;
    return o;
}

struct choice {
    struct ui_modal base;
    char *title, *text;
    struct ui_option *opts;
    char **labels;
    size_t n;
    size_t cursor;
    ui_choice_fn fn;
    void *ctx;
    void (*ctx_free)(void *);
    struct ui_doc doc; /* the text, wrapped for the box */
};

static const enum action choice_actions[] = {ACT_ED_CHOOSE, ACT_ED_CANCEL, ACT_NONE};

static void choice_draw(struct ui_modal *md, struct ui *ui, int y0, int rows, int cols)
{
    struct choice *c = (struct choice *)md;
    struct box b = box_place(y0, rows, cols, 0);
    doc_clear(&c->doc);
    if (c->text && *c->text)
        doc_wrap(&c->doc, b.w - 2, 1, c->text, ST_NORMAL);
    /* Options always show; the text gets what is left. */
    int want = (int)c->doc.n + (c->doc.n ? 1 : 0) + (int)c->n;
    b = box_place(y0, rows, cols, want);
    box_frame(ui, &b, c->title);
    int inner = b.h - 2, y = b.y + 1;
    int text_rows = inner - (int)c->n - (c->doc.n ? 1 : 0);
    for (size_t i = 0; i < c->doc.n && (int)i < text_rows; i++)
        ui_put(y++, b.x + 1, c->doc.v[i].text, b.w - 2, c->doc.v[i].st);
    if (c->doc.n && text_rows > 0)
        y = b.y + 1 + ((int)c->doc.n < text_rows ? (int)c->doc.n : text_rows) + 1;
    for (size_t i = 0; i < c->n && y < b.y + b.h - 1; i++, y++) {
        struct strbuf sb = {0};
        char k[16];
        if (c->opts[i].key)
            sb_addf(&sb, " %s  %s", keys_name(c->opts[i].key, k, sizeof k), c->labels[i]);
        else
            sb_addf(&sb, "    %s", c->labels[i]);
        ui_put(y, b.x + 1, sb_str(&sb), b.w - 2, i == c->cursor ? ST_CURSOR : ST_NORMAL);
        sb_free(&sb);
    }
}

static void choice_pick(struct choice *c, struct ui *ui, int choice)
{
    c->base.done = true;
    if (c->fn)
        c->fn(ui, c->ctx, choice);
}

static void choice_key(struct ui_modal *md, struct ui *ui, int key)
{
    struct choice *c = (struct choice *)md;
    enum action a = keys_action(key);
    for (size_t i = 0; i < c->n; i++)
        if (c->opts[i].key && c->opts[i].key == key) {
            choice_pick(c, ui, (int)i);
            return;
        }
    if (key == KEYS_ESC) {
        choice_pick(c, ui, -1);
    } else if (a == ACT_OPEN) {
        choice_pick(c, ui, (int)c->cursor);
    } else if (a == ACT_DOWN || key == '\t') {
        c->cursor = (c->cursor + 1) % c->n;
    } else if (a == ACT_UP) {
        c->cursor = (c->cursor + c->n - 1) % c->n;
    }
}

static void choice_free(struct ui_modal *md)
{
    struct choice *c = (struct choice *)md;
    if (c->ctx_free)
        c->ctx_free(c->ctx);
    for (size_t i = 0; i < c->n; i++)
        free(c->labels[i]);
    free(c->labels);
    free(c->opts);
    free(c->title);
    free(c->text);
    doc_free(&c->doc);
    free(c);
}

static const struct modal_ops choice_ops = {
    .name = "choice",
    .draw = choice_draw,
    .key = choice_key,
    .free = choice_free,
    .actions = choice_actions,
};

void ui_choose(struct ui *ui, const char *title, const char *text, const struct ui_option *opts,
               size_t n, int initial, ui_choice_fn fn, void *ctx, void (*ctx_free)(void *))
{
    struct choice *c = xcalloc(1, sizeof *c);
    c->base.ops = &choice_ops;
    c->title = xstrdup(title ? title : "");
    c->text = text ? xstrdup(text) : NULL;
    c->n = n ? n : 1;
    c->opts = xcalloc(c->n, sizeof *c->opts);
    c->labels = xcalloc(c->n, sizeof *c->labels);
    for (size_t i = 0; i < n; i++) {
        c->opts[i] = opts[i];
        c->labels[i] = xstrdup(opts[i].label ? opts[i].label : "");
    }
    if (!n) /* a choice with nothing to choose is a notice */
        c->labels[0] = xstrdup("OK");
    c->cursor = initial >= 0 && (size_t)initial < c->n ? (size_t)initial : 0;
    c->fn = fn;
    c->ctx = ctx;
    c->ctx_free = ctx_free;
    ui_modal_push(ui, &c->base);
}

/* ---- a form ---- */

struct field {
    char *label;
    enum form_kind kind;
    struct editbuf *eb;
    const char *const *choices;
    size_t n_choices;
    int choice, choice0;
};

struct form {
    struct ui_modal base;
    char *title;
    struct field *f;
    size_t n, cur;
    ui_form_fn save;
    void *ctx;
    void (*ctx_free)(void *);
    char *err;
    /* the draft of the first field: this session's key (place + session
     * mark, as the note editor's), and the draft it went on from */
    char *draft_key, *draft_label, *draft_from;
    uint32_t draft_rev;
    bool from_draft;
    uint64_t saved_changes;
    double saved_at;
};

static const enum action form_actions[] = {ACT_ED_SAVE, ACT_ED_NEXT, ACT_ED_CANCEL, ACT_NONE};

static bool form_changed(const struct form *fm)
{
    if (fm->from_draft)
        return true;
    for (size_t i = 0; i < fm->n; i++) {
        const struct field *f = &fm->f[i];
        if (f->kind == FF_TEXT ? editbuf_modified(f->eb) : f->choice != f->choice0)
            return true;
    }
    return false;
}

/* The visible part of a one-line field: ends at the cursor when the text
 * is wider than the field; *cx is where the cursor is drawn. */
static void field_view(const struct field *f, int w, struct strbuf *out, int *cx)
{
    const char *t = editbuf_text(f->eb);
    size_t len = editbuf_len(f->eb), cur = editbuf_cursor(f->eb), start = cur;
    int used = 0;
    /* Walk back from the cursor while the characters fit. */
    while (start > 0) {
        size_t p = text_prev_char(t, len, start);
        char *ch = xstrndup(t + p, start - p);
        int cw = text_width(ch);
        free(ch);
        if (used + cw > w - 1)
            break;
        used += cw;
        start = p;
    }
    char *tail = xstrdup(t + start);
    char *clean = text_sanitize(tail, false);
    text_fit(out, clean, w, true);
    free(clean);
    free(tail);
    *cx = used;
}

static void form_draw(struct ui_modal *md, struct ui *ui, int y0, int rows, int cols)
{
    struct form *fm = (struct form *)md;
    int lw = 0;
    for (size_t i = 0; i < fm->n; i++) {
        int w = text_width(fm->f[i].label);
        if (w > lw)
            lw = w;
    }
    struct box b = box_place(y0, rows, cols, (int)fm->n + 2);
    box_frame(ui, &b, fm->title);
    int fw = b.w - 2 - lw - 4; /* " label  value " */
    if (fw < 4)
        fw = 4;
    for (size_t i = 0; i < fm->n && (int)i < b.h - 2; i++) {
        const struct field *f = &fm->f[i];
        int y = b.y + 1 + (int)i, x = b.x + 2;
        struct strbuf sb = {0};
        int cx = 0;
        ui_put(y, x, f->label, lw, i == fm->cur ? ST_BARKEY : ST_NORMAL);
        if (f->kind == FF_TEXT) {
            field_view(f, fw, &sb, &cx);
        } else {
            sb_addf(&sb, "‹ %s ›", f->n_choices ? f->choices[f->choice] : "");
        }
        ui_put(y, x + lw + 2, sb_str(&sb), fw, i == fm->cur ? ST_CURSOR : ST_DIM);
        if (i == fm->cur && f->kind == FF_TEXT) {
            ui->cur_y = y;
            ui->cur_x = x + lw + 2 + cx;
        }
        sb_free(&sb);
    }
    if (fm->err)
        ui_put(b.y + b.h - 2, b.x + 2, fm->err, b.w - 4, ST_WARN);
}

static void form_draft_save(struct form *fm, struct ui *ui)
{
    struct cchc_err e = {0};
    struct editbuf *eb = fm->f[0].eb;
    if (!fm->draft_key)
        return;
    char *text = editbuf_get_nfc(eb);
    if (model_draft_save(ui->m, fm->draft_key, fm->draft_label, text, fm->draft_rev, &e) ==
        CCHC_OK) {
        fm->saved_changes = editbuf_changes(eb);
        fm->saved_at = ui_clock();
        /* The text now lives in this session's draft: the one it came from
         * (a lost session's) goes, so that it is not offered twice. */
        if (fm->draft_from && strcmp(fm->draft_from, fm->draft_key) != 0)
            model_draft_delete(ui->m, fm->draft_from, &e);
        free(fm->draft_from);
        fm->draft_from = NULL;
    }
    free(text);
}

/* Delete this session's draft and the one it went on from. keep_place:
 * the caller (FORM_GONE) may just have kept the text under the place's own
 * key (a conflict's "mine"): a draft by that key stays. */
static void form_draft_drop(struct form *fm, struct ui *ui, bool keep_place)
{
    struct cchc_err e = {0};
    if (fm->draft_key)
        model_draft_delete(ui->m, fm->draft_key, &e);
    if (fm->draft_from &&
        !(keep_place && draft_place_len(fm->draft_from) == strlen(fm->draft_from)))
        model_draft_delete(ui->m, fm->draft_from, &e);
}

static void form_tick(struct ui_modal *md, struct ui *ui, bool idle)
{
    struct form *fm = (struct form *)md;
    if (!fm->draft_key || editbuf_changes(fm->f[0].eb) == fm->saved_changes)
        return;
    if (idle || ui_clock() - fm->saved_at >= DRAFT_EVERY)
        form_draft_save(fm, ui);
}

static void form_hangup(struct ui_modal *md, struct ui *ui)
{
    struct form *fm = (struct form *)md;
    if (fm->draft_key && (editbuf_changes(fm->f[0].eb) != fm->saved_changes || fm->from_draft))
        form_draft_save(fm, ui);
}

static void form_do_save(struct form *fm, struct ui *ui)
{
    struct strbuf err = {0};
    char **texts = xcalloc(fm->n, sizeof *texts);
    int *choices = xcalloc(fm->n, sizeof *choices);
    for (size_t i = 0; i < fm->n; i++) {
        if (fm->f[i].kind == FF_TEXT)
            texts[i] = editbuf_get_nfc(fm->f[i].eb);
        choices[i] = fm->f[i].choice;
    }
    enum form_result r = fm->save(ui, fm->ctx, texts, choices, &err);
    free(fm->err);
    fm->err = NULL;
    if (r == FORM_STAY) {
        fm->err = sb_detach(&err);
    } else {
        /* FORM_GONE: the caller saved the record or kept the text itself */
        form_draft_drop(fm, ui, r == FORM_GONE);
        fm->base.done = true;
    }
    for (size_t i = 0; i < fm->n; i++)
        free(texts[i]);
    free(texts);
    free(choices);
    sb_free(&err);
}

static void form_on_close(struct ui *ui, void *ctx, int choice)
{
    struct form *fm = ctx;
    if (choice == 0) {
        form_do_save(fm, ui);
    } else if (choice == 1) {
        form_draft_drop(fm, ui, false);
        fm->base.done = true;
        ui_message(ui, "%s", tr(M_DISCARDED));
    }
}

static void form_ask_close(struct form *fm, struct ui *ui)
{
    const struct ui_option opts[] = {ui_opt(ui, M_OPT_SAVE), ui_opt(ui, M_OPT_DISCARD),
                                     ui_opt(ui, M_OPT_GO_ON)};
    if (!form_changed(fm)) {
        fm->base.done = true;
        return;
    }
    ui_choose(ui, tr(M_KEEP_OR), tr(M_ASK_CLOSE), opts, 3, 0, form_on_close, fm, NULL);
}

static void field_key(struct field *f, int key)
{
    struct editbuf *eb = f->eb;
    if (f->kind == FF_CHOICE) {
        if (!f->n_choices)
            return;
        if (key == ' ' || key == KEYS_FUNC(KEY_RIGHT))
            f->choice = (f->choice + 1) % (int)f->n_choices;
        else if (key == KEYS_FUNC(KEY_LEFT))
            f->choice = (f->choice + (int)f->n_choices - 1) % (int)f->n_choices;
        return;
    }
    switch (key) {
    case 127:
    case 8:
    case KEYS_FUNC(KEY_BACKSPACE):
        editbuf_delete_back(eb);
        break;
    case KEYS_FUNC(KEY_DC):
    case KEYS_CTRL('d'):
        editbuf_delete_forward(eb);
        break;
    case KEYS_FUNC(KEY_LEFT):
        editbuf_move(eb, EB_LEFT, 1 << 20);
        break;
    case KEYS_FUNC(KEY_RIGHT):
        editbuf_move(eb, EB_RIGHT, 1 << 20);
        break;
    case KEYS_FUNC(KEY_HOME):
    case KEYS_CTRL('a'):
        editbuf_move(eb, EB_TEXT_START, 1 << 20);
        break;
    case KEYS_FUNC(KEY_END):
    case KEYS_CTRL('e'):
        editbuf_move(eb, EB_TEXT_END, 1 << 20);
        break;
    case KEYS_CTRL('k'):
        editbuf_kill_to_end(eb);
        break;
    case KEYS_CTRL('u'):
        editbuf_kill_to_start(eb);
        break;
    default:
        if (!KEYS_IS_FUNC(key) && key >= ' ')
            editbuf_insert_char(eb, (uint32_t)key);
        break;
    }
}

static void form_key(struct ui_modal *md, struct ui *ui, int key)
{
    struct form *fm = (struct form *)md;
    switch (key) {
    case KEYS_ESC:
        form_ask_close(fm, ui);
        return;
    case KEYS_CTRL('s'):
        form_do_save(fm, ui);
        return;
    case '\r':
    case '\n':
    case KEYS_FUNC(KEY_ENTER):
        if (fm->cur + 1 == fm->n)
            form_do_save(fm, ui);
        else
            fm->cur++;
        return;
    case '\t':
    case KEYS_FUNC(KEY_DOWN):
        fm->cur = (fm->cur + 1) % fm->n;
        return;
    case KEYS_FUNC(KEY_BTAB):
    case KEYS_FUNC(KEY_UP):
        fm->cur = (fm->cur + fm->n - 1) % fm->n;
        return;
    default:
        field_key(&fm->f[fm->cur], key);
    }
}

static void form_free(struct ui_modal *md)
{
    struct form *fm = (struct form *)md;
    if (fm->ctx_free)
        fm->ctx_free(fm->ctx);
    for (size_t i = 0; i < fm->n; i++) {
        free(fm->f[i].label);
        if (fm->f[i].eb)
            editbuf_free(fm->f[i].eb);
    }
    free(fm->f);
    free(fm->title);
    free(fm->err);
    free(fm->draft_key);
    free(fm->draft_label);
    free(fm->draft_from);
    free(fm);
}

static const struct modal_ops form_ops = {
    .name = "form",
    .draw = form_draw,
    .key = form_key,
    .tick = form_tick,
    .hangup = form_hangup,
    .free = form_free,
    .actions = form_actions,
};

void ui_form(struct ui *ui, const char *title, const struct form_field *f, size_t n,
             ui_form_fn save, void *ctx, void (*ctx_free)(void *), const struct form_draft *draft)
{
    struct form *fm = xcalloc(1, sizeof *fm);
    fm->base.ops = &form_ops;
    fm->title = xstrdup(title ? title : "");
    fm->n = n ? n : 1;
    fm->f = xcalloc(fm->n, sizeof *fm->f);
    for (size_t i = 0; i < n; i++) {
        struct field *d = &fm->f[i];
        d->label = xstrdup(f[i].label ? f[i].label : "");
        d->kind = f[i].kind;
        d->choices = f[i].choices;
        d->n_choices = f[i].n_choices;
        d->choice = d->choice0 =
            f[i].choice >= 0 && (size_t)f[i].choice < f[i].n_choices ? f[i].choice : 0;
        if (d->kind == FF_TEXT) {
            d->eb = editbuf_new(i == 0 ? NOTE_MAX_BYTES : 1024);
            editbuf_set(d->eb, f[i].text ? f[i].text : "");
        }
    }
    if (!n) {
        fm->f[0].label = xstrdup("");
        fm->f[0].kind = FF_TEXT;
        fm->f[0].eb = editbuf_new(0);
    }
    fm->save = save;
    fm->ctx = ctx;
    fm->ctx_free = ctx_free;
    if (draft && draft->key && fm->f[0].kind == FF_TEXT) {
        struct draft old = {0};
        struct cchc_err e = {0};
        bool found = false;
        /* draft->key is the place: each session keeps its own draft of it,
         * so that two sessions of one login do not overwrite each other. */
        fm->draft_key = draft_session_key(draft->key);
        fm->draft_label = xstrdup(draft->label ? draft->label : draft->key);
        fm->draft_rev = draft->base_rev;
        /* Opened again over a draft left by a lost session: go on from it. */
        if (model_draft_find(ui->m, draft->key, &old, &found, &e) == CCHC_OK && found) {
            editbuf_set(fm->f[0].eb, old.text ? old.text : "");
            fm->from_draft = true;
            fm->draft_from = xstrdup(old.key);
            draft_free(&old);
        }
        fm->saved_changes = editbuf_changes(fm->f[0].eb);
        fm->saved_at = ui_clock();
    }
    ui_modal_push(ui, &fm->base);
}
