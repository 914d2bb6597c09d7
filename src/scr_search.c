/* scr_search.c — the search screen: S anywhere (every kind of record), or /
 * on a list (only that list's records, "Lọc Đơn vị · “chợ lách”" in the
 * header; Esc goes back to the whole list).
 *
 * The query is typed in a one-field form (ui_form), so that typing Vietnamese
 * works as in every other field; / on this screen asks again. The model
 * (search.h) returns references, at most SEARCH_CAP; only the rows on screen
 * are read (search_hits), again when the window moves or someone commits.
 * Enter opens the visit, unit or commitment that holds the hit; n and N step
 * through the hits as j and k do.
 */
#include <stdlib.h>
#include <string.h>

#include "cchc/search.h"
#include "cchc/ui_screen.h"

struct search_screen {
    struct screen base;
    struct search_opts opts;
    char *label; /* the list filtered (NULL: everything) */
    char *query; /* as typed */
    struct search_result *res;
    bool ok;
    struct cchc_err err;
    /* the hits of the rows on screen */
    struct search_hit *hits;
    size_t hits_top, n_hits, hits_cap;
    bool hits_valid;
};

static const enum action search_actions[] = {ACT_OPEN, ACT_FIND, ACT_NONE};

static void hits_clear(struct search_screen *ss)
{
    for (size_t i = 0; i < ss->n_hits; i++)
        search_hit_free(&ss->hits[i]);
    ss->n_hits = 0;
    ss->hits_valid = false;
}

static void search_load(struct screen *s, struct ui *ui)
{
    struct search_screen *ss = (struct search_screen *)s;
    hits_clear(ss);
    search_result_free(ss->res);
    ss->res = NULL;
    err_clear(&ss->err);
    ss->ok = true;
    if (ss->query && *ss->query)
        ss->ok = search_run(ui->m, ss->query, &ss->opts, &ss->res, &ss->err) == CCHC_OK;
}

/* Read the hits of rows [top, top + rows) unless they are what is held. */
static void hits_fetch(struct search_screen *ss, struct ui *ui, size_t top, int rows)
{
    if (ss->hits_valid && ss->hits_top == top && ss->hits_cap >= (size_t)rows)
        return;
    hits_clear(ss);
    if (ss->hits_cap < (size_t)rows) {
        ss->hits_cap = (size_t)rows;
        ss->hits = xrealloc(ss->hits, ss->hits_cap * sizeof *ss->hits);
    }
    ss->hits_top = top;
    if (search_hits(ui->m, ss->res, top, (size_t)rows, ss->hits, &ss->n_hits, &ss->err) !=
        CCHC_OK) {
        ss->ok = false;
        ss->n_hits = 0;
    }
    ss->hits_valid = true;
}

static enum msg kind_msg(enum search_kind k)
{
    static const enum msg m[SK_END] = {
        [SK_UNIT] = M_SK_UNIT, [SK_COMMITMENT] = M_SK_COMMITMENT,
        [SK_ITEM] = M_SK_ITEM, [SK_VISIT] = M_SK_VISIT,
        [SK_REC] = M_SK_REC,   [SK_CHECK] = M_SK_CHECK,
        [SK_NOTE] = M_SK_NOTE,
    };
    return k > SK_NONE && k < SK_END ? m[k] : M_SK_NOTE;
}

static void search_draw(struct screen *s, struct ui *ui, int y0, int rows, int cols)
{
    static const struct ui_col colv[] = {{9, false}, {30, false}, {UI_COL_NAME, false}};
    struct search_screen *ss = (struct search_screen *)s;
    struct strbuf sb = {0};
    const char *heads[] = {tr(M_COL_KIND), tr(M_COL_WHERE), tr(M_COL_TEXT)};

    ui_cols(&sb, cols, colv, 3, heads);
    ui_put_row(y0++, sb_str(&sb), cols, ST_COLHEAD);
    rows--;
    size_t count = search_count(ss->res);
    ui_list_set(&s->list, count, rows);
    if (ss->ok && count)
        hits_fetch(ss, ui, s->list.top, rows);
    sb_reset(&sb);
    sb_addc(&sb, ' ');
    if (!ss->ok) {
        tr_addf(&sb, M_ERROR, ui_err_text(ui, &ss->err));
        ui_put_row(y0, sb_str(&sb), cols, ST_WARN);
    } else if (!ss->query || !*ss->query) {
        sb_adds(&sb, tr(M_SEARCH_HINT));
        ui_put_row(y0, sb_str(&sb), cols, ST_DIM);
    } else if (!count) {
        tr_addf(&sb, M_SEARCH_NONE, ss->query);
        ui_put_row(y0, sb_str(&sb), cols, ST_DIM);
    }
    for (int r = 0; ss->ok && r < rows && (size_t)r < ss->n_hits; r++) {
        const struct search_hit *h = &ss->hits[r];
        size_t row = ss->hits_top + (size_t)r;
        const char *cells[] = {tr(kind_msg(h->kind)), h->title, h->snippet};
        sb_reset(&sb);
        ui_cols(&sb, cols, colv, 3, cells); /* a damaged one: its table/id as the text */
        ui_put_row(y0 + r, sb_str(&sb), cols,
                   row == s->list.cursor ? ST_CURSOR
                   : h->damaged          ? ST_WARN
                                         : ST_NORMAL);
    }
    sb_free(&sb);
}

static void search_title(struct screen *s, struct ui *ui, struct strbuf *left, struct strbuf *right)
{
    struct search_screen *ss = (struct search_screen *)s;
    (void)ui;
    if (ss->label)
        tr_addf(left, M_SEARCH_IN, ss->label);
    else
        sb_adds(left, tr(M_SEARCH));
    if (ss->query && *ss->query) {
        sb_adds(left, " · ");
        tr_addf(left, M_QUERY, ss->query);
        tr_addf(right, search_more(ss->res) ? M_N_HITS_MORE : M_N_HITS, search_count(ss->res));
    }
}

/* Open what holds the hit under the cursor. */
static void search_open(struct search_screen *ss, struct ui *ui)
{
    size_t cur = ss->base.list.cursor;
    struct search_hit h;
    size_t got = 0;
    if (cur >= search_count(ss->res))
        return;
    if (search_hits(ui->m, ss->res, cur, 1, &h, &got, &ss->err) != CCHC_OK || !got) {
        ui_error(ui, &ss->err);
        return;
    }
    if (h.damaged)
        ui_message(ui, "%s", tr(M_DAMAGED_OPEN));
    else if (h.open_kind == SK_UNIT)
        ui_push(ui, scr_unit_new(ui, h.open_id));
    else if (h.open_kind == SK_COMMITMENT)
        ui_push(ui, scr_commitment_new(ui, h.open_id));
    else if (h.open_kind == SK_VISIT)
        ui_push(ui, scr_visit_new(ui, h.open_id));
    search_hit_free(&h);
}

static bool search_action(struct screen *s, struct ui *ui, enum action a)
{
    struct search_screen *ss = (struct search_screen *)s;
    switch (a) {
    case ACT_OPEN:
        search_open(ss, ui);
        return true;
    case ACT_FIND:
        scr_search_ask(ui, s);
        return true;
    case ACT_FIND_NEXT:
        ui_list_move(&s->list, ACT_DOWN);
        return true;
    case ACT_FIND_PREV:
        ui_list_move(&s->list, ACT_UP);
        return true;
    default:
        return false;
    }
}

static void search_free(struct screen *s)
{
    struct search_screen *ss = (struct search_screen *)s;
    hits_clear(ss);
    free(ss->hits);
    search_result_free(ss->res);
    free(ss->query);
    free(ss->label);
    free(ss);
}

static const struct screen_ops search_ops = {
    .name = "search",
    .actions = search_actions,
    .title = search_title,
    .load = search_load,
    .draw = search_draw,
    .action = search_action,
    .free = search_free,
};

struct screen *scr_search_new(struct ui *ui, const struct search_opts *opts, const char *label)
{
    struct search_screen *ss = xcalloc(1, sizeof *ss);
    (void)ui;
    ss->base.ops = &search_ops;
    if (opts)
        ss->opts = *opts;
    ss->label = label ? xstrdup(label) : NULL;
    ss->ok = true;
    return &ss->base;
}

/* The form's answer: the new query, read at the next load. */
static enum form_result on_query(struct ui *ui, void *ctx, char *const *texts, const int *choices,
                                 struct strbuf *err)
{
    struct search_screen *ss = ctx;
    (void)ui, (void)choices, (void)err;
    free(ss->query);
    ss->query = xstrdup(texts[0] ? texts[0] : "");
    ss->base.loaded = false;
    ss->base.list.cursor = ss->base.list.top = 0;
    return FORM_SAVED;
}

void scr_search_ask(struct ui *ui, struct screen *s)
{
    struct search_screen *ss = (struct search_screen *)s;
    const struct form_field f[] = {
        {.label = tr(M_SEARCH_WORDS), .kind = FF_TEXT, .text = ss->query ? ss->query : ""},
    };
    ui_form(ui, tr(M_SEARCH_ASK), f, 1, on_query, ss, NULL, NULL);
}
