/* scr_visits.c — the Visits screen (key 3): the inspection visits of one
 * year by date, with a filter on the kind of unit visited.
 *
 * The year is the configuration's, else the latest year that has visits;
 * `[` and `]` step through the years that have visits. `f` cycles the kind
 * filter all → sở → huyện → xã. Only the rows on screen are read from the
 * model (a window over the year-and-kind index); a record that fails to
 * decode shows as a damaged row.
 */
#include <stdlib.h>
#include <string.h>

#include "cchc/ui_screen.h"

#define MAX_YEARS 128

struct vrow {
    uint64_t id;
    bool ok;
    struct visit v;
    char *unit_name;
};

struct visits_screen {
    struct screen base;
    int year;
    enum unit_kind kind;
    int years[MAX_YEARS];
    size_t n_years;
    size_t count;
    struct ui_window win;
    struct vrow *rows;
    size_t n_rows;
    struct cchc_err err; /* a list that could not be read */
};

static const enum action visits_actions[] = {ACT_OPEN, ACT_FILTER, ACT_YEAR_PREV, ACT_YEAR_NEXT,
                                             ACT_NONE};

static void rows_free(struct visits_screen *vs)
{
    for (size_t i = 0; i < vs->n_rows; i++) {
        if (vs->rows[i].ok)
            visit_free(&vs->rows[i].v);
        free(vs->rows[i].unit_name);
    }
    free(vs->rows);
    vs->rows = NULL;
    vs->n_rows = 0;
}

static struct list_query query(const struct visits_screen *vs)
{
    return (struct list_query){.kind = LIST_VISITS_YEAR, .year = vs->year, .unit_kind = vs->kind};
}

static void visits_load(struct screen *s, struct ui *ui)
{
    struct visits_screen *vs = (struct visits_screen *)s;
    struct list_query q;

    err_clear(&vs->err);
    if (model_visit_years(ui->m, vs->years, MAX_YEARS, &vs->n_years, &vs->err) != CCHC_OK)
        vs->n_years = 0;
    if (!vs->year) {
        if (ui->cfg->default_year)
            vs->year = ui->cfg->default_year;
        else if (vs->n_years)
            vs->year = vs->years[vs->n_years - 1];
    }
    if (vs->year)
        ui->year = vs->year;
    q = query(vs);
    vs->count = 0;
    if (vs->year && !vs->err.code)
        ui_window_count(ui, &vs->win, &q, s->filter, &vs->count, &vs->err);
    vs->win.valid = false;
}

/* Decode the rows of the window; a failure is that row's, not the list's. */
static void fill_rows(struct visits_screen *vs, struct ui *ui)
{
    rows_free(vs);
    vs->rows = xcalloc(vs->win.got ? vs->win.got : 1, sizeof *vs->rows);
    vs->n_rows = vs->win.got;
    for (size_t i = 0; i < vs->n_rows; i++) {
        struct vrow *r = &vs->rows[i];
        struct cchc_err e = {0};
        struct unit u;
        r->id = vs->win.ids[i];
        r->ok = model_visit(ui->m, r->id, &r->v, &e) == CCHC_OK;
        if (!r->ok)
            continue;
        memset(&u, 0, sizeof u);
        if (model_unit(ui->m, r->v.unit, &u, &e) == CCHC_OK) {
            r->unit_name = xstrdup(u.name);
            unit_free(&u);
        } else {
            struct strbuf sb = {0};
            ui_damaged(&sb, "units", r->v.unit);
            r->unit_name = sb_detach(&sb);
        }
    }
}

static void visits_draw(struct screen *s, struct ui *ui, int y0, int rows, int cols)
{
    struct visits_screen *vs = (struct visits_screen *)s;
    static const struct ui_col colv[] = {
        {10, false}, {UI_COL_NAME, false}, {8, false}, {9, false}, {11, false}};
    const char *heads[] = {tr(M_COL_DATE), tr(M_COL_UNIT), tr(M_COL_KIND), tr(M_COL_SCOPE),
                           tr(M_COL_STATUS)};
    struct strbuf line = {0};
    struct list_query q = query(vs);

    ui_cols(&line, cols, colv, 5, heads);
    ui_put_row(y0, sb_str(&line), cols, ST_COLHEAD);
    if (vs->err.code) {
        sb_reset(&line);
        tr_addf(&line, M_ERROR, ui_err_text(ui, &vs->err));
        ui_put_row(y0 + 1, sb_str(&line), cols, ST_WARN);
        sb_free(&line);
        return;
    }
    ui_list_set(&s->list, vs->count, rows - 1);
    if (vs->count == 0) {
        ui_put_empty(s, y0 + 1, cols, vs->year ? tr(M_EMPTY) : tr(M_NO_VISITS));
        sb_free(&line);
        return;
    }
    int f = ui_window_fetch(ui, &vs->win, &s->list, &q, &vs->err);
    if (f != 0)
        fill_rows(vs, ui);
    for (size_t i = 0; i < vs->n_rows; i++) {
        const struct vrow *r = &vs->rows[i];
        bool sel = vs->win.top + i == s->list.cursor;
        sb_reset(&line);
        if (!r->ok) {
            sb_addc(&line, ' ');
            ui_damaged(&line, "visits", r->id);
            ui_put_row(y0 + 1 + (int)i, sb_str(&line), cols, sel ? ST_CURSOR : ST_WARN);
            continue;
        }
        char d[11], sc[16];
        const char *cells[] = {ui_date(ui, r->v.start, d), r->unit_name,
                               unit_kind_label(r->v.unit_kind, ui->vi), scope_label(r->v.scope, sc),
                               visit_status_label(r->v.status, ui->vi)};
        ui_cols(&line, cols, colv, 5, cells);
        ui_put_row(y0 + 1 + (int)i, sb_str(&line), cols, sel ? ST_CURSOR : ST_NORMAL);
    }
    sb_free(&line);
}

static void visits_title(struct screen *s, struct ui *ui, struct strbuf *left, struct strbuf *right)
{
    struct visits_screen *vs = (struct visits_screen *)s;
    if (vs->year)
        tr_addf(left, M_VISITS_YEAR, vs->year);
    else
        sb_adds(left, tr(M_VISITS_NONE));
    tr_addf(right, M_N_VISITS, vs->count);
    sb_adds(right, " · ");
    tr_addf(right, M_FILTER, vs->kind == UK_NONE ? tr(M_ALL) : unit_kind_label(vs->kind, ui->vi));
}

/* The neighbouring year that has visits, 0 when none. */
static int step_year(const struct visits_screen *vs, int dir)
{
    int best = 0;
    for (size_t i = 0; i < vs->n_years; i++) {
        int y = vs->years[i];
        if (dir < 0 && y < vs->year && (!best || y > best))
            best = y;
        if (dir > 0 && y > vs->year && (!best || y < best))
            best = y;
    }
    return best;
}

static bool visits_action(struct screen *s, struct ui *ui, enum action a)
{
    struct visits_screen *vs = (struct visits_screen *)s;
    switch (a) {
    case ACT_OPEN: {
        size_t i = s->list.cursor - vs->win.top;
        if (s->list.cursor < vs->win.top || i >= vs->n_rows)
            return true;
        if (!vs->rows[i].ok)
            ui_message(ui, "%s", tr(M_DAMAGED_OPEN));
        else
            ui_push(ui, scr_visit_new(ui, vs->rows[i].id));
        return true;
    }
    case ACT_FILTER:
        vs->kind = vs->kind == UK_NONE      ? UK_DEPARTMENT
                   : vs->kind == UK_COMMUNE ? UK_NONE
                                            : vs->kind + 1;
        s->list.cursor = s->list.top = 0;
        s->loaded = false;
        return true;
    case ACT_YEAR_PREV:
    case ACT_YEAR_NEXT: {
        int y = step_year(vs, a == ACT_YEAR_PREV ? -1 : 1);
        if (!y) {
            ui_message(ui, "%s", tr(a == ACT_YEAR_PREV ? M_NO_YEAR_BEFORE : M_NO_YEAR_AFTER));
            return true;
        }
        vs->year = y;
        s->list.cursor = s->list.top = 0;
        s->loaded = false;
        return true;
    }
    default:
        return false;
    }
}

static void visits_free(struct screen *s)
{
    struct visits_screen *vs = (struct visits_screen *)s;
    rows_free(vs);
    ui_window_free(&vs->win);
    free(vs);
}

static const struct screen_ops visits_ops = {
    .name = "visits",
    .filters = true,
    .actions = visits_actions,
    .title = visits_title,
    .load = visits_load,
    .draw = visits_draw,
    .action = visits_action,
    .free = visits_free,
};

struct screen *scr_visits_new(struct ui *ui)
{
    struct visits_screen *vs = xcalloc(1, sizeof *vs);
    (void)ui;
    vs->base.ops = &visits_ops;
    return &vs->base;
}
