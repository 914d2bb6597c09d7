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

/* ---- the trail in the UI's language ----
 * The audit record keeps what was done as a stable English code ("note
 * add") and a detail built from record names and status codes
 * ("visit 26 · KT-2022-26 · in_progress → done"); `cchc log` prints them
 * as they are. In Vietnamese the screen shows the action's label and the
 * detail with its words, status codes and decimal points translated. */

struct word_vi {
    const char *en, *vi;
};

static const struct word_vi actions_vi[] = {
    {"note add", "thêm ghi chú"},
    {"note edit", "sửa ghi chú"},
    {"note delete", "xoá ghi chú"},
    {"rec add", "thêm kiến nghị"},
    {"rec edit", "sửa kiến nghị"},
    {"check set", "ghi kết quả"},
    {"visit status", "trạng thái đợt"},
    {"item update", "cập nhật mục"},
    {"result", "nhập kết quả"},
    {"creator", "người tạo"},
    {"init", "tạo CSDL"},
    {"import", "nhập tệp"},
};

static const struct word_vi words_vi[] = {
    {"visit", "đợt"},
    {"visits", "đợt"},
    {"note", "ghi chú"},
    {"recommendation", "kiến nghị"},
    {"item", "mục"},
    {"items", "mục"},
    {"commitment", "cam kết"},
    {"commitments", "cam kết"},
    {"unit", "đơn vị"},
    {"units", "đơn vị"},
    {"results", "kết quả"},
    {"result", "kết quả"},
    {"score", "điểm"},
    {"rank", "hạng"},
    {"open", "mở"},
    {"done", "đã xong"},
    {"notes", "ghi chú"},
    {"checks", "kết quả tiêu chí"},
    {"recs", "kiến nghị"},
};

static const char *action_label(const struct ui *ui, const char *what)
{
    for (size_t i = 0; ui->vi && what && i < sizeof actions_vi / sizeof actions_vi[0]; i++)
        if (strcmp(what, actions_vi[i].en) == 0)
            return actions_vi[i].vi;
    return what ? what : "";
}

/* One word of a detail, in Vietnamese when it is one the details use. */
static void add_word_vi(struct strbuf *out, const struct ui *ui, const char *w, size_t len)
{
    char word[64];
    int code;
    const struct result_value *rv;
    if (len == 0 || len >= sizeof word) {
        sb_add(out, w, len);
        return;
    }
    memcpy(word, w, len);
    word[len] = '\0';
    for (size_t i = 0; i < sizeof words_vi / sizeof words_vi[0]; i++)
        if (strcmp(word, words_vi[i].en) == 0) {
            sb_adds(out, words_vi[i].vi);
            return;
        }
    if ((code = visit_status_parse(word)) >= 0) {
        sb_adds(out, visit_status_label((enum visit_status)code, true));
    } else if ((code = item_status_parse(word)) >= 0) {
        sb_adds(out, item_status_label((enum item_status)code, true));
    } else if ((rv = config_result(ui->cfg, word)) != NULL) {
        sb_adds(out, bitext_get(&rv->name, LANG_VI));
    } else {
        /* a decimal point between digits is a comma in Vietnamese */
        for (size_t i = 0; i < len; i++)
            sb_addc(out, word[i] == '.' && i > 0 && i + 1 < len && word[i - 1] >= '0' &&
                                 word[i - 1] <= '9' && word[i + 1] >= '0' && word[i + 1] <= '9'
                             ? ','
                             : word[i]);
    }
}

static void detail_text(struct strbuf *out, const struct ui *ui, const char *detail)
{
    const char *p = detail ? detail : "";
    if (!ui->vi) {
        sb_adds(out, p);
        return;
    }
    while (*p) {
        size_t n = strcspn(p, " ,()");
        add_word_vi(out, ui, p, n);
        p += n;
        if (*p)
            sb_addc(out, *p++);
    }
}

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
            sb_reset(&text); /* what the row shows, and the record's own words */
            sb_addf(&text, "%s %s %s %s ", page[i].login ? page[i].login : "",
                    action_label(ui, page[i].what), page[i].what ? page[i].what : "",
                    page[i].detail ? page[i].detail : "");
            detail_text(&text, ui, page[i].detail);
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
    static const struct ui_col colv[] = {
        {16, false}, {10, false}, {14, false}, {UI_COL_NAME, false}};
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
        struct strbuf detail = {0};
        detail_text(&detail, ui, a->detail);
        const char *cells[] = {ui_time(ui, a->time, t), a->login, action_label(ui, a->what),
                               sb_str(&detail)};
        sb_reset(&sb);
        ui_cols(&sb, cols, colv, 4, cells);
        ui_put_row(y0 + r, sb_str(&sb), cols, i == s->list.cursor ? ST_CURSOR : ST_NORMAL);
        sb_free(&detail);
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
