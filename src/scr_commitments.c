/* scr_commitments.c — the Commitments screen (key 2): every commitment with
 * its unit, signer, signing date, number of items and how the items stand.
 *
 * A window over the model's list of commitments: only the rows on screen
 * are read, each with its unit and its items (a commitment has a handful).
 * A record that fails to decode shows as a damaged row.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cchc/ui_screen.h"

#define MAX_ITEMS 256

struct crow {
    uint64_t id;
    bool ok;
    struct commitment c;
    char *unit_name;
    size_t n_items;
    char *summary;
};

struct commitments_screen {
    struct screen base;
    size_t count;
    struct ui_window win;
    struct crow *rows;
    size_t n_rows;
    struct cchc_err err;
};

static const enum action commitments_actions[] = {ACT_OPEN, ACT_NONE};

static const struct list_query all_commitments = {.kind = LIST_COMMITMENTS};

static void rows_free(struct commitments_screen *cs)
{
    for (size_t i = 0; i < cs->n_rows; i++) {
        if (cs->rows[i].ok)
            commitment_free(&cs->rows[i].c);
        free(cs->rows[i].unit_name);
        free(cs->rows[i].summary);
    }
    free(cs->rows);
    cs->rows = NULL;
    cs->n_rows = 0;
}

static void commitments_load(struct screen *s, struct ui *ui)
{
    struct commitments_screen *cs = (struct commitments_screen *)s;
    err_clear(&cs->err);
    cs->count = 0;
    ui_window_count(ui, &cs->win, &all_commitments, s->filter, &cs->count, &cs->err);
}

static const enum msg sum_labels[IS_COUNT] = {
    [IS_NOT_STARTED] = M_SUM_NOT_STARTED,   [IS_IN_PROGRESS] = M_SUM_IN_PROGRESS,
    [IS_ACHIEVED] = M_SUM_ACHIEVED,         [IS_LATE] = M_SUM_LATE,
    [IS_NOT_ACHIEVED] = M_SUM_NOT_ACHIEVED,
};

/* "2 đạt 1 chậm 2 đang": the items by status, best news first. */
static char *status_summary(struct ui *ui, uint64_t cid, size_t *n_items)
{
    static const enum item_status order[] = {IS_ACHIEVED, IS_LATE, IS_NOT_ACHIEVED, IS_IN_PROGRESS,
                                             IS_NOT_STARTED};
    struct list_query q = {.kind = LIST_COMMITMENT_ITEMS, .arg = cid};
    uint64_t ids[MAX_ITEMS];
    size_t got = 0, by[IS_COUNT] = {0}, damaged = 0;
    struct cchc_err e = {0};
    struct strbuf sb = {0};

    *n_items = 0;
    if (model_list(ui->m, &q, 0, MAX_ITEMS, ids, &got, n_items, &e) != CCHC_OK)
        return xstrdup("⚠");
    for (size_t i = 0; i < got; i++) {
        struct commitment_item it;
        memset(&it, 0, sizeof it);
        if (model_item(ui->m, ids[i], &it, &e) != CCHC_OK) {
            damaged++;
            continue;
        }
        if (it.status < IS_COUNT)
            by[it.status]++;
        item_free(&it);
    }
    for (size_t k = 0; k < sizeof order / sizeof order[0]; k++)
        if (by[order[k]])
            sb_addf(&sb, "%s%zu %s", sb.len ? " " : "", by[order[k]], tr(sum_labels[order[k]]));
    if (damaged)
        sb_addf(&sb, "%s%zu ⚠", sb.len ? " " : "", damaged);
    return sb_detach(&sb);
}

static void fill_rows(struct commitments_screen *cs, struct ui *ui)
{
    rows_free(cs);
    cs->rows = xcalloc(cs->win.got ? cs->win.got : 1, sizeof *cs->rows);
    cs->n_rows = cs->win.got;
    for (size_t i = 0; i < cs->n_rows; i++) {
        struct crow *r = &cs->rows[i];
        struct cchc_err e = {0};
        struct unit u;
        r->id = cs->win.ids[i];
        r->ok = model_commitment(ui->m, r->id, &r->c, &e) == CCHC_OK;
        if (!r->ok)
            continue;
        memset(&u, 0, sizeof u);
        if (model_unit(ui->m, r->c.unit, &u, &e) == CCHC_OK) {
            r->unit_name = xstrdup(u.name);
            unit_free(&u);
        } else {
            struct strbuf sb = {0};
            ui_damaged(&sb, "units", r->c.unit);
            r->unit_name = sb_detach(&sb);
        }
        r->summary = status_summary(ui, r->id, &r->n_items);
    }
}

static void commitments_draw(struct screen *s, struct ui *ui, int y0, int rows, int cols)
{
    struct commitments_screen *cs = (struct commitments_screen *)s;
    static const struct ui_col colv[] = {
        {UI_COL_NAME, false}, {17, false}, {10, false}, {3, true}, {19, false}};
    const char *heads[] = {tr(M_COL_UNIT), tr(M_COL_SIGNER), tr(M_COL_SIGNED), tr(M_COL_ITEMS),
                           tr(M_COL_STATUS_SUM)};
    struct strbuf line = {0};

    ui_cols(&line, cols, colv, 5, heads);
    ui_put_row(y0, sb_str(&line), cols, ST_COLHEAD);
    ui_list_set(&s->list, cs->count, rows - 1);
    if (!cs->err.code && cs->count &&
        ui_window_fetch(ui, &cs->win, &s->list, &all_commitments, &cs->err) != 0)
        fill_rows(cs, ui);
    if (cs->err.code) {
        sb_reset(&line);
        tr_addf(&line, M_ERROR, ui_err_text(ui, &cs->err));
        ui_put_row(y0 + 1, sb_str(&line), cols, ST_WARN);
        sb_free(&line);
        return;
    }
    if (cs->count == 0)
        ui_put_empty(s, y0 + 1, cols, tr(M_EMPTY));
    for (size_t i = 0; i < cs->n_rows && cs->count; i++) {
        const struct crow *r = &cs->rows[i];
        bool sel = cs->win.top + i == s->list.cursor;
        sb_reset(&line);
        if (!r->ok) {
            sb_addc(&line, ' ');
            ui_damaged(&line, "commitments", r->id);
            ui_put_row(y0 + 1 + (int)i, sb_str(&line), cols, sel ? ST_CURSOR : ST_WARN);
            continue;
        }
        char d[11], n[24];
        snprintf(n, sizeof n, "%zu", r->n_items);
        const char *cells[] = {r->unit_name, r->c.signer.name, ui_date(ui, r->c.signed_on, d), n,
                               r->summary};
        ui_cols(&line, cols, colv, 5, cells);
        ui_put_row(y0 + 1 + (int)i, sb_str(&line), cols, sel ? ST_CURSOR : ST_NORMAL);
    }
    sb_free(&line);
}

static void commitments_title(struct screen *s, struct ui *ui, struct strbuf *left,
                              struct strbuf *right)
{
    struct commitments_screen *cs = (struct commitments_screen *)s;
    (void)ui;
    sb_adds(left, tr(M_COMMITMENTS));
    tr_addf(right, M_N_COMMITMENTS, cs->count);
}

static bool commitments_action(struct screen *s, struct ui *ui, enum action a)
{
    struct commitments_screen *cs = (struct commitments_screen *)s;
    if (a != ACT_OPEN)
        return false;
    size_t i = s->list.cursor - cs->win.top;
    if (s->list.cursor < cs->win.top || i >= cs->n_rows)
        return true;
    if (!cs->rows[i].ok)
        ui_message(ui, "%s", tr(M_DAMAGED_OPEN));
    else
        ui_push(ui, scr_commitment_new(ui, cs->rows[i].id));
    return true;
}

static void commitments_free(struct screen *s)
{
    struct commitments_screen *cs = (struct commitments_screen *)s;
    rows_free(cs);
    ui_window_free(&cs->win);
    free(cs);
}

static const struct screen_ops commitments_ops = {
    .name = "commitments",
    .filters = true,
    .actions = commitments_actions,
    .title = commitments_title,
    .load = commitments_load,
    .draw = commitments_draw,
    .action = commitments_action,
    .free = commitments_free,
};

struct screen *scr_commitments_new(struct ui *ui)
{
    struct commitments_screen *cs = xcalloc(1, sizeof *cs);
    (void)ui;
    cs->base.ops = &commitments_ops;
    return &cs->base;
}
