/* scr_dashboard.c — the Dashboard (key 0, the first screen): where the
 * province stands. For each index of indicators.yaml, its national rank
 * across the years as a bar chart (▁..█, taller is better; an ASCII form
 * when the configuration says ascii or the locale is not UTF-8), the latest
 * rank against the configuration's target, and the weakest component of
 * the latest year with component scores. Then the province's own
 * measures (chỉ tiêu of indicators.yaml): each one's latest value against
 * its target, met or not. Below: the year's visits by status,
 * recommendations open, overdue and done, commitment items by status.
 *
 * Every number is a cell the cursor stops on (j/k move from cell to cell):
 * Enter on an index opens its detail, on its weakest component that
 * component, on a measure its detail (values by year), on a count the list of the records behind it
 * (a list screen of its own, below). `p` shows the year's summary report; `[` `]` step through the
 * years that have visits (the year is the UI's, shared with the Visits screen's start).
 *
 * The counts come from results.c; recommendations are judged overdue
 * against ui_today() ($CCHC_TODAY in the screen tests). The form that
 * enters a result (ui_result_edit, opened from the indicator detail; and
 * ui_result_edit_unit, for a unit's internal index) is here too.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cchc/results.h"
#include "cchc/search.h"
#include "cchc/ui_results.h"
#include "cchc/ui_screen.h"

#define MAX_YEARS  128
#define CHART_SPAN 10 /* years drawn at most: the latest ones */

cchc_date ui_today(void)
{
    const char *s = getenv("CCHC_TODAY");
    cchc_date d;
    if (s && *s && date_parse(s, &d))
        return d;
    return date_today();
}

/* What Enter on a cell opens. */
enum cell_kind { CK_INDEX, CK_COMPONENT, CK_MEASURE, CK_VISITS, CK_RECS, CK_ITEMS };

struct cell {
    enum cell_kind kind;
    const char *code; /* CK_INDEX, CK_COMPONENT, CK_MEASURE: in the configuration */
    int arg;          /* status (-1: all), or an enum rec_filter */
    int line, x, w;   /* where it is drawn */
    char *text;
};

struct dash_index {
    const struct index_def *idx;
    struct result_set rs;
    const struct index_result *latest, *weak;
    const char *weak_code; /* the weakest component's code, in the configuration */
};

/* One of the province's measures and its values (results under its code). */
struct dash_measure {
    const struct measure *ms;
    struct result_set rs;
    const struct index_result *latest; /* the latest year's value; NULL: none */
};

struct dashboard {
    struct screen base;
    struct dash_index *ix;
    size_t n_ix;
    struct dash_measure *ms;
    size_t n_ms;
    int first_year, last_year; /* of the chart; 0 when no ranked result */
    struct dash_counts counts;
    cchc_date today;
    int years[MAX_YEARS];
    size_t n_years;
    struct cchc_err err;
    /* built for the width at each draw */
    struct ui_doc doc;
    struct cell *cells;
    size_t n_cells, cap_cells;
};

static const enum action dash_actions[] = {ACT_OPEN, ACT_REPORT, ACT_YEAR_PREV, ACT_YEAR_NEXT,
                                           ACT_NONE};

/* ---- reading ---- */

static void dash_clear(struct dashboard *d)
{
    for (size_t i = 0; i < d->n_ix; i++)
        result_set_free(&d->ix[i].rs);
    free(d->ix);
    d->ix = NULL;
    d->n_ix = 0;
    for (size_t i = 0; i < d->n_ms; i++)
        result_set_free(&d->ms[i].rs);
    free(d->ms);
    d->ms = NULL;
    d->n_ms = 0;
}

/* The value of the latest year (the province's, with a value). */
static void load_measure(struct dashboard *d, struct ui *ui, struct dash_measure *dm)
{
    struct cchc_err e = {0};
    if (results_of_index(ui->m, dm->ms->code, 0, &dm->rs, &e) != CCHC_OK) {
        d->err = e;
        return;
    }
    d->counts.damaged += dm->rs.damaged;
    for (size_t i = 0; i < dm->rs.n; i++) {
        const struct index_result *r = &dm->rs.v[i];
        if (result_is_whole(r) && !isnan(r->score) && (!dm->latest || r->year > dm->latest->year))
            dm->latest = r;
    }
}

static void load_index(struct dashboard *d, struct ui *ui, struct dash_index *di)
{
    struct cchc_err e = {0};
    if (results_summary(ui->m, di->idx->code, &di->rs, &e) != CCHC_OK) {
        d->err = e;
        return;
    }
    d->counts.damaged += di->rs.damaged;
    di->latest = results_latest_ranked(&di->rs);
    di->weak = results_weakest(ui->cfg, di->idx, &di->rs);
    if (di->weak) { /* a code that lives as long as the UI */
        const struct index_def *x = NULL;
        const struct area *ar = NULL;
        const struct component *co = NULL;
        if (config_find_code(ui->cfg, di->weak->component, &x, &ar, &co))
            di->weak_code = co ? co->code : ar ? ar->code : NULL;
    }
    for (size_t i = 0; i < di->rs.n; i++) {
        const struct index_result *r = &di->rs.v[i];
        if (!result_is_whole(r) || r->rank <= 0)
            continue;
        if (!d->first_year || r->year < d->first_year)
            d->first_year = r->year;
        if (r->year > d->last_year)
            d->last_year = r->year;
    }
}

static void dash_load(struct screen *s, struct ui *ui)
{
    struct dashboard *d = (struct dashboard *)s;
    dash_clear(d);
    err_clear(&d->err);
    d->first_year = d->last_year = 0;
    d->today = ui_today();
    if (model_visit_years(ui->m, d->years, MAX_YEARS, &d->n_years, &d->err) != CCHC_OK)
        d->n_years = 0;
    if (results_counts(ui->m, ui->year, d->today, &d->counts, &d->err) != CCHC_OK)
        memset(&d->counts, 0, sizeof d->counts);
    d->ix = xcalloc(ui->cfg->n_indices + 1, sizeof *d->ix);
    for (size_t i = 0; i < ui->cfg->n_indices; i++) {
        struct dash_index *di = &d->ix[d->n_ix++];
        di->idx = &ui->cfg->indices[i];
        load_index(d, ui, di);
    }
    d->ms = xcalloc(ui->cfg->n_measures + 1, sizeof *d->ms);
    for (size_t i = 0; i < ui->cfg->n_measures; i++) {
        struct dash_measure *dm = &d->ms[d->n_ms++];
        dm->ms = &ui->cfg->measures[i];
        load_measure(d, ui, dm);
    }
    if (d->last_year && d->last_year - d->first_year >= CHART_SPAN)
        d->first_year = d->last_year - CHART_SPAN + 1;
}

/* ---- building the lines ---- */

static void cells_clear(struct dashboard *d)
{
    for (size_t i = 0; i < d->n_cells; i++)
        free(d->cells[i].text);
    d->n_cells = 0;
}

static struct cell *cell_add(struct dashboard *d, enum cell_kind k, int line, int x,
                             const char *text)
{
    if (d->n_cells == d->cap_cells) {
        d->cap_cells = d->cap_cells ? 2 * d->cap_cells : 32;
        d->cells = xrealloc(d->cells, d->cap_cells * sizeof *d->cells);
    }
    struct cell *c = &d->cells[d->n_cells++];
    memset(c, 0, sizeof *c);
    c->kind = k;
    c->line = line;
    c->x = x;
    c->text = xstrdup(text);
    c->w = text_width(text);
    return c;
}

/* The bars of one index, a glyph and a space per year. */
static void chart(const struct dashboard *d, const struct dash_index *di, bool ascii,
                  struct strbuf *out)
{
    for (int y = d->first_year; d->first_year && y <= d->last_year; y++) {
        const struct index_result *r = results_whole_of_year(&di->rs, y);
        int level = r ? results_rank_level(r->rank, r->rank_of) : 0;
        if (y > d->first_year)
            sb_addc(out, ' ');
        sb_adds(out, results_bar(level, ascii));
    }
}

static int ranked_of(const struct ui *ui)
{
    for (size_t i = 0; i < ui->cfg->n_indices; i++)
        if (ui->cfg->indices[i].ranked_of)
            return ui->cfg->indices[i].ranked_of;
    return 0;
}

/* The table of indices: a head line, a line per index, the legend. */
static void build_indices(struct dashboard *d, struct ui *ui, int cols)
{
    bool ascii = ui_ascii(ui);
    struct strbuf trend = {0}, sb = {0};
    int span = d->first_year ? d->last_year - d->first_year + 1 : 0;
    if (span)
        tr_addf(&trend, M_DASH_TREND, d->first_year, ascii ? "->" : "→", d->last_year,
                ranked_of(ui));
    else
        sb_adds(&trend, tr(M_DASH_NO_YEARS));
    int cw = text_width(sb_str(&trend));
    if (cw < 2 * span - 1)
        cw = 2 * span - 1;
    const struct ui_col colv[] = {{9, false}, {cw, false}, {5, true}, {12, false}, {0, false}};
    const char *heads[] = {tr(M_F_INDEX), sb_str(&trend), tr(M_DASH_LATEST), tr(M_COL_TARGET),
                           tr(M_DASH_WEAKEST)};
    int weak_x = 1 + 9 + 2 + cw + 2 + 5 + 2 + 12 + 2;
    ui_cols(&sb, cols, colv, 5, heads);
    doc_add(&d->doc, sb_str(&sb), ST_COLHEAD);
    for (size_t i = 0; i < d->n_ix; i++) {
        const struct dash_index *di = &d->ix[i];
        struct strbuf bars = {0}, latest = {0}, target = {0}, row = {0};
        const char *weak = "–";
        chart(d, di, ascii, &bars);
        if (di->latest)
            sb_addf(&latest, "%d", di->latest->rank);
        if (di->idx->target_rank)
            tr_addf(&target, M_DASH_TARGET_RANK, ascii ? "<=" : "≤", di->idx->target_rank,
                    di->idx->target_year);
        else
            sb_adds(&target, "–");
        struct strbuf weak_sb = {0};
        if (di->weak_code) {
            const struct index_def *x;
            const struct area *ar;
            const struct component *co;
            config_find_code(ui->cfg, di->weak_code, &x, &ar, &co);
            sb_adds(&weak_sb, bitext_get(co ? &co->name : &ar->name, UI_LANG(ui)));
            weak = sb_str(&weak_sb);
        }
        const char *cells[] = {di->idx->code, sb_str(&bars), sb_str(&latest), sb_str(&target),
                               weak};
        ui_cols(&row, cols, colv, 5, cells);
        int line = (int)d->doc.n;
        doc_add(&d->doc, sb_str(&row), ST_NORMAL);
        /* The row up to the weakest column opens the index; that column, the component. */
        struct strbuf head = {0};
        ui_cols(&head, weak_x - 2 < cols ? weak_x - 2 : cols, colv, 4, cells);
        cell_add(d, CK_INDEX, line, 0, sb_str(&head))->code = di->idx->code;
        if (di->weak_code && weak_x < cols - 1) {
            struct strbuf wk = {0};
            text_fit(&wk, weak, cols - weak_x, false);
            cell_add(d, CK_COMPONENT, line, weak_x, sb_str(&wk))->code = di->weak_code;
            sb_free(&wk);
        }
        sb_free(&head);
        sb_free(&weak_sb);
        sb_free(&bars);
        sb_free(&latest);
        sb_free(&target);
        sb_free(&row);
    }
    sb_reset(&sb);
    sb_addc(&sb, ' ');
    tr_addf(&sb, M_DASH_LEGEND, ascii ? "." : "·");
    doc_add(&d->doc, sb_str(&sb), ST_DIM);
    sb_free(&trend);
    sb_free(&sb);
}

/* Text in the UI's language. The few words of the measures block are kept
 * here until they move to the message catalogue (i18n.h). */
static const char *say(const struct ui *ui, const char *vi, const char *en)
{
    return ui->vi ? vi : en;
}

/* A measure's number with its unit: "80%", "25 đầu mối". */
static void measure_value(const struct ui *ui, const struct measure *ms, double v,
                          struct strbuf *out)
{
    char num[32];
    sb_adds(out, ui_num(ui, v, false, num));
    if (strcmp(ms->unit, "%") != 0)
        sb_addc(out, ' ');
    sb_adds(out, ms->unit);
}

/* The province's measures: a head line and a line per measure, each a
 * cell that opens the measure. Nothing when the configuration has none. */
static void build_measures(struct dashboard *d, struct ui *ui, int cols)
{
    static const struct ui_col colv[] = {
        {0, false}, {4, false}, {10, true}, {12, false}, {10, false}};
    bool ascii = ui_ascii(ui);
    struct strbuf sb = {0};
    if (!d->n_ms)
        return;
    const char *heads[] = {say(ui, "Chỉ tiêu của tỉnh", "Province measures"),
                           say(ui, "Năm", "Year"), say(ui, "Giá trị", "Value"), tr(M_COL_TARGET),
                           ""};
    doc_add(&d->doc, "", ST_NORMAL);
    ui_cols(&sb, cols, colv, 5, heads);
    doc_add(&d->doc, sb_str(&sb), ST_COLHEAD);
    for (size_t i = 0; i < d->n_ms; i++) {
        const struct dash_measure *dm = &d->ms[i];
        const struct measure *ms = dm->ms;
        struct strbuf year = {0}, value = {0}, target = {0}, met = {0};
        bool is_met = dm->latest && measure_met(ms, dm->latest->score);
        sb_adds(&target,
                ms->direction == MD_AT_MOST ? (ascii ? "<= " : "≤ ") : (ascii ? ">= " : "≥ "));
        measure_value(ui, ms, ms->target, &target);
        if (dm->latest) {
            sb_addf(&year, "%d", dm->latest->year);
            measure_value(ui, ms, dm->latest->score, &value);
            if (!ascii)
                sb_adds(&met, is_met ? "✓ " : "✗ ");
            sb_adds(&met, is_met ? say(ui, "đạt", "met") : say(ui, "chưa đạt", "not met"));
        } else {
            sb_adds(&value, "–");
        }
        const char *cells[] = {bitext_get(&ms->name, UI_LANG(ui)), sb_str(&year), sb_str(&value),
                               sb_str(&target), sb_str(&met)};
        sb_reset(&sb);
        ui_cols(&sb, cols, colv, 5, cells);
        int line = (int)d->doc.n;
        doc_add(&d->doc, sb_str(&sb), ST_NORMAL);
        cell_add(d, CK_MEASURE, line, 0, sb_str(&sb))->code = ms->code;
        sb_free(&year);
        sb_free(&value);
        sb_free(&target);
        sb_free(&met);
    }
    sb_free(&sb);
}

/* A line of counts: a label with the total (a cell: all of them), then
 * cells "N what" joined by " · ", wrapped under the first of them when the
 * width runs out. */
struct count_line {
    struct dashboard *d;
    struct strbuf text;
    int line, x, indent, cols;
};

static void cl_start(struct count_line *cl, struct dashboard *d, const char *label,
                     enum cell_kind k, int all, int cols)
{
    const int lw = 22;
    struct strbuf cut = {0};
    memset(cl, 0, sizeof *cl);
    cl->d = d;
    cl->cols = cols;
    cl->indent = lw + 3;
    cl->line = (int)d->doc.n;
    doc_add(&d->doc, "", ST_NORMAL);
    text_fit(&cut, label, lw, false);
    cell_add(d, k, cl->line, 1, sb_str(&cut))->arg = all;
    sb_addc(&cl->text, ' ');
    text_fit(&cl->text, label, lw, true);
    sb_adds(&cl->text, "  ");
    cl->x = cl->indent;
    sb_free(&cut);
}

static void cl_flush(struct count_line *cl)
{
    struct doc_line *dl = &cl->d->doc.v[cl->line];
    free(dl->text);
    dl->text = xstrdup(sb_str(&cl->text));
}

static void cl_cell(struct count_line *cl, enum cell_kind k, int arg, const char *text)
{
    int w = text_width(text);
    bool first = cl->x == cl->indent;
    if (!first && cl->x + 3 + w > cl->cols) { /* wrap */
        cl_flush(cl);
        sb_reset(&cl->text);
        sb_addf(&cl->text, "%*s", cl->indent, "");
        cl->x = cl->indent;
        cl->line = (int)cl->d->doc.n;
        doc_add(&cl->d->doc, "", ST_NORMAL);
        first = true;
    }
    if (!first) {
        sb_adds(&cl->text, " · ");
        cl->x += 3;
    }
    sb_adds(&cl->text, text);
    cell_add(cl->d, k, cl->line, cl->x, text)->arg = arg;
    cl->x += w;
}

static void cl_end(struct count_line *cl)
{
    cl_flush(cl);
    sb_free(&cl->text);
}

static void build_counts(struct dashboard *d, struct ui *ui, int cols)
{
    static const enum msg item_short[IS_COUNT] = {M_SUM_NOT_STARTED, M_SUM_IN_PROGRESS,
                                                  M_SUM_ACHIEVED, M_SUM_LATE, M_SUM_NOT_ACHIEVED};
    const struct dash_counts *c = &d->counts;
    struct count_line cl;
    struct strbuf sb = {0}, label = {0};

    doc_add(&d->doc, "", ST_NORMAL);
    tr_addf(&label, M_DASH_VISITS, ui->year, c->visits_total);
    cl_start(&cl, d, sb_str(&label), CK_VISITS, -1, cols);
    for (int st = 0; st < VS_COUNT; st++) {
        sb_reset(&sb);
        sb_addf(&sb, "%zu %s", c->visits[st], visit_status_label((enum visit_status)st, ui->vi));
        cl_cell(&cl, CK_VISITS, st, sb_str(&sb));
    }
    cl_end(&cl);

    sb_reset(&label);
    tr_addf(&label, M_DASH_RECS, c->recs_open + c->recs_done);
    cl_start(&cl, d, sb_str(&label), CK_RECS, RF_ALL, cols);
    sb_reset(&sb);
    tr_addf(&sb, M_DASH_N_OPEN, c->recs_open);
    cl_cell(&cl, CK_RECS, RF_OPEN, sb_str(&sb));
    sb_reset(&sb);
    tr_addf(&sb, M_DASH_N_OVERDUE, c->recs_overdue);
    cl_cell(&cl, CK_RECS, RF_OVERDUE, sb_str(&sb));
    sb_reset(&sb);
    tr_addf(&sb, M_DASH_N_DONE, c->recs_done);
    cl_cell(&cl, CK_RECS, RF_DONE, sb_str(&sb));
    cl_end(&cl);

    sb_reset(&label);
    tr_addf(&label, M_DASH_ITEMS, c->items_total);
    cl_start(&cl, d, sb_str(&label), CK_ITEMS, -1, cols);
    for (int st = 0; st < IS_COUNT; st++) {
        sb_reset(&sb);
        sb_addf(&sb, "%zu %s", c->items[st], tr(item_short[st]));
        cl_cell(&cl, CK_ITEMS, st, sb_str(&sb));
    }
    cl_end(&cl);

    if (c->damaged || d->err.code)
        doc_add(&d->doc, "", ST_NORMAL);
    if (c->damaged) {
        sb_reset(&sb);
        sb_addc(&sb, ' ');
        tr_addf(&sb, M_DASH_N_DAMAGED, c->damaged);
        doc_add(&d->doc, sb_str(&sb), ST_WARN);
    }
    if (d->err.code) {
        sb_reset(&sb);
        sb_addc(&sb, ' ');
        tr_addf(&sb, M_ERROR, ui_err_text(ui, &d->err));
        doc_add(&d->doc, sb_str(&sb), ST_WARN);
    }
    sb_free(&sb);
    sb_free(&label);
}

static void build(struct dashboard *d, struct ui *ui, int cols)
{
    doc_clear(&d->doc);
    cells_clear(d);
    build_indices(d, ui, cols);
    build_measures(d, ui, cols);
    build_counts(d, ui, cols);
}

/* ---- drawing ---- */

static void dash_draw(struct screen *s, struct ui *ui, int y0, int rows, int cols)
{
    struct dashboard *d = (struct dashboard *)s;
    struct ui_list *l = &s->list;
    build(d, ui, cols);
    /* The list widget walks the cells; the window scrolls by lines. */
    ui_list_set(l, d->n_cells, rows);
    int top = 0;
    if (d->n_cells) {
        int cur_line = d->cells[l->cursor].line;
        if (cur_line >= rows)
            top = cur_line - rows + 1;
    }
    for (int r = 0; r < rows && (size_t)(top + r) < d->doc.n; r++)
        ui_put_row(y0 + r, d->doc.v[top + r].text, cols, d->doc.v[top + r].st);
    if (d->n_cells) {
        const struct cell *c = &d->cells[l->cursor];
        if (c->line - top >= 0 && c->line - top < rows && c->x < cols)
            ui_put(y0 + c->line - top, c->x, c->text, c->w < cols - c->x ? c->w : cols - c->x,
                   ST_CURSOR);
    }
}

static void dash_title(struct screen *s, struct ui *ui, struct strbuf *left, struct strbuf *right)
{
    (void)s;
    sb_adds(left, tr(M_DASHBOARD));
    if (ui->year) /* the year of the counts below; [ ] step it */
        tr_addf(right, M_VISITS_YEAR, ui->year);
}

/* ---- the lists behind the numbers ---- */

static struct screen *scr_dash_list_new(struct ui *ui, enum cell_kind k, int arg);

static void step_year(struct dashboard *d, struct ui *ui, int dir)
{
    size_t i = 0;
    while (i < d->n_years && d->years[i] < ui->year)
        i++;
    /* i: the first year >= ui->year */
    if (dir < 0) {
        if (i == 0) {
            ui_message(ui, "%s", tr(M_NO_YEAR_BEFORE));
            return;
        }
        ui->year = d->years[i - 1];
    } else {
        if (i < d->n_years && d->years[i] == ui->year)
            i++;
        if (i >= d->n_years) {
            ui_message(ui, "%s", tr(M_NO_YEAR_AFTER));
            return;
        }
        ui->year = d->years[i];
    }
    d->base.loaded = false;
}

static bool dash_action(struct screen *s, struct ui *ui, enum action a)
{
    struct dashboard *d = (struct dashboard *)s;
    const struct cell *c =
        d->n_cells && s->list.cursor < d->n_cells ? &d->cells[s->list.cursor] : NULL;
    switch (a) {
    case ACT_OPEN:
        if (!c)
            return true;
        if (c->kind == CK_INDEX || c->kind == CK_COMPONENT || c->kind == CK_MEASURE)
            ui_push(ui, scr_indicator_new(ui, c->code));
        else
            ui_push(ui, scr_dash_list_new(ui, c->kind, c->arg));
        return true;
    case ACT_REPORT:
        if (ui->year)
            ui_push(ui, scr_report_year_new(ui, ui->year));
        return true;
    case ACT_YEAR_PREV:
    case ACT_YEAR_NEXT:
        step_year(d, ui, a == ACT_YEAR_PREV ? -1 : 1);
        return true;
    default:
        return false;
    }
}

static void dash_free(struct screen *s)
{
    struct dashboard *d = (struct dashboard *)s;
    dash_clear(d);
    cells_clear(d);
    free(d->cells);
    doc_free(&d->doc);
    free(d);
}

static const struct screen_ops dash_ops = {
    .name = "dashboard",
    .actions = dash_actions,
    .title = dash_title,
    .load = dash_load,
    .draw = dash_draw,
    .action = dash_action,
    .free = dash_free,
};

struct screen *scr_dashboard_new(struct ui *ui)
{
    struct dashboard *d = xcalloc(1, sizeof *d);
    (void)ui;
    d->base.ops = &dash_ops;
    return &d->base;
}

/* ---- a list behind a number: visits, recommendations or items ---- */

struct dl_row {
    char *c[4];
    enum doc_target target;
    uint64_t id;    /* what Enter opens */
    uint64_t visit; /* for `p`: the visit of the row (0: none) */
};

/* A window over the list (ui_window's way): only the rows on screen are
 * read, however many thousands the number counts. */
struct dash_list {
    struct screen base;
    enum cell_kind kind;
    int arg;
    int year;
    size_t count;        /* the list's length */
    size_t top;          /* the list row of rows[0] */
    int height;          /* rows asked for */
    bool valid;          /* rows hold [top, top + height) */
    struct dl_row *rows; /* the window, decoded */
    size_t n;
    uint64_t *match; /* filtered (`/`): the ids of the rows that hold the words */
    size_t n_match;
    struct cchc_err err;
};

static const enum action dl_actions[] = {ACT_OPEN, ACT_REPORT, ACT_NONE};

static void dl_clear(struct dash_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        for (int k = 0; k < 4; k++)
            free(l->rows[i].c[k]);
    free(l->rows);
    l->rows = NULL;
    l->n = 0;
    l->valid = false;
}

static char *unit_name(struct ui *ui, uint64_t id)
{
    struct unit u = {0};
    struct cchc_err e = {0};
    if (model_unit(ui->m, id, &u, &e) != CCHC_OK) {
        struct strbuf sb = {0};
        ui_damaged(&sb, "units", id);
        return sb_detach(&sb);
    }
    char *name = xstrdup(u.short_name && *u.short_name ? u.short_name : u.name);
    unit_free(&u);
    return name;
}

static bool dl_visit(struct ui *ui, uint64_t id, struct dl_row *row)
{
    struct visit v = {0};
    struct cchc_err e = {0};
    char day[11];
    if (model_visit(ui->m, id, &v, &e) != CCHC_OK)
        return false;
    row->c[0] = xstrdup(ui_date(ui, v.start, day));
    row->c[1] = xstrdup(v.code);
    row->c[2] = unit_name(ui, v.unit);
    row->c[3] = xstrdup(visit_status_label(v.status, ui->vi));
    row->target = DT_VISIT;
    row->id = row->visit = id;
    visit_free(&v);
    return true;
}

static bool dl_rec(struct ui *ui, uint64_t id, struct dl_row *row)
{
    struct recommendation r = {0};
    struct cchc_err e = {0};
    char day[11];
    if (model_rec(ui->m, id, &r, &e) != CCHC_OK)
        return false;
    cchc_date today = ui_today();
    row->c[0] = xstrdup(ui_date(ui, r.deadline, day));
    row->c[1] = unit_name(ui, r.unit);
    row->c[2] = xstrdup(r.text);
    row->c[3] = xstrdup(r.status == RS_DONE      ? tr(M_REC_DONE)
                        : rec_overdue(&r, today) ? tr(M_OVERDUE)
                                                 : tr(M_REC_OPEN));
    row->target = DT_VISIT;
    row->id = row->visit = r.visit;
    rec_free(&r);
    return true;
}

static bool dl_item(struct ui *ui, uint64_t id, struct dl_row *row)
{
    struct commitment_item it = {0};
    struct commitment c = {0};
    struct cchc_err e = {0};
    if (model_item(ui->m, id, &it, &e) != CCHC_OK)
        return false;
    if (model_commitment(ui->m, it.commitment, &c, &e) == CCHC_OK) {
        row->c[0] = xasprintf("%s/%u", c.code, it.seq);
        commitment_free(&c);
    } else {
        struct strbuf sb = {0};
        ui_damaged(&sb, "commitments", it.commitment);
        row->c[0] = sb_detach(&sb);
    }
    row->c[1] = xstrdup(it.component);
    row->c[2] = xstrdup(it.text);
    row->c[3] = xstrdup(item_status_label(it.status, ui->vi));
    row->target = DT_COMMITMENT;
    row->id = it.commitment;
    item_free(&it);
    return true;
}

/* ids[0..*got) of the list's rows pos..pos+n-1; *count its length. */
static int dl_source(struct dash_list *l, struct ui *ui, size_t pos, size_t n, uint64_t *ids,
                     size_t *got, size_t *count)
{
    switch (l->kind) {
    case CK_VISITS:
        return results_visit_window(ui->m, l->year, l->arg, pos, n, ids, got, count, &l->err);
    case CK_RECS:
        return results_rec_window(ui->m, (enum rec_filter)l->arg, ui_today(), pos, n, ids, got,
                                  count, &l->err);
    default:
        return results_item_window(ui->m, l->arg, pos, n, ids, got, count, &l->err);
    }
}

static bool dl_fill(struct dash_list *l, struct ui *ui, uint64_t id, struct dl_row *row)
{
    return l->kind == CK_VISITS ? dl_visit(ui, id, row)
           : l->kind == CK_RECS ? dl_rec(ui, id, row)
                                : dl_item(ui, id, row);
}

/* The rows as shown: the source's, or only those that hold the filter's
 * words (the words of the row's four cells). */
static int dl_window(struct dash_list *l, struct ui *ui, size_t pos, size_t n, uint64_t *ids,
                     size_t *got, size_t *count)
{
    if (!l->base.filter)
        return dl_source(l, ui, pos, n, ids, got, count);
    *got = 0;
    *count = l->n_match;
    for (size_t i = pos; i < l->n_match && *got < n; i++)
        ids[(*got)++] = l->match[i];
    return CCHC_OK;
}

/* Filtered: one pass over the source, keeping the ids whose rows match. */
static void dl_match(struct dash_list *l, struct ui *ui, size_t count)
{
    struct search_words *w = search_words_new(l->base.filter);
    struct strbuf text = {0};
    size_t got = 0;
    l->match = xcalloc(count ? count : 1, sizeof *l->match);
    if (count && dl_source(l, ui, 0, count, l->match, &got, &count) != CCHC_OK)
        got = 0;
    for (size_t i = 0; i < got; i++) {
        struct dl_row row = {0};
        bool ok = dl_fill(l, ui, l->match[i], &row);
        sb_reset(&text);
        for (int k = 0; k < 4; k++)
            sb_addf(&text, "%s ", row.c[k] ? row.c[k] : "");
        if (ok && search_words_match(w, sb_str(&text)))
            l->match[l->n_match++] = l->match[i];
        for (int k = 0; k < 4; k++)
            free(row.c[k]);
    }
    sb_free(&text);
    search_words_free(w);
}

static void dl_load(struct screen *s, struct ui *ui)
{
    struct dash_list *l = (struct dash_list *)s;
    size_t got = 0, count = 0;
    dl_clear(l);
    err_clear(&l->err);
    free(l->match);
    l->match = NULL;
    l->n_match = 0;
    l->count = 0;
    if (dl_source(l, ui, 0, 0, NULL, &got, &count) != CCHC_OK)
        return;
    if (s->filter)
        dl_match(l, ui, count);
    l->count = s->filter ? l->n_match : count;
}

/* Read the rows of the window the list shows now, unless held already. */
static void dl_fetch(struct dash_list *l, struct ui *ui, const struct ui_list *list)
{
    if (l->valid && l->top == list->top && l->height == list->height)
        return;
    dl_clear(l);
    size_t want = (size_t)(list->height > 0 ? list->height : 1), got = 0, count = 0;
    uint64_t *ids = xcalloc(want, sizeof *ids);
    if (dl_window(l, ui, list->top, want, ids, &got, &count) != CCHC_OK)
        got = 0;
    l->rows = xcalloc(got ? got : 1, sizeof *l->rows);
    for (size_t i = 0; i < got; i++) {
        struct dl_row *row = &l->rows[i];
        if (!dl_fill(l, ui, ids[i], row)) { /* the row says so; the others are shown */
            static const char *const tables[] = {
                [CK_VISITS] = "visits", [CK_RECS] = "recs", [CK_ITEMS] = "items"};
            struct strbuf sb = {0};
            ui_damaged(&sb, tables[l->kind], ids[i]);
            row->c[0] = sb_detach(&sb);
            row->target = DT_NONE;
        }
    }
    l->n = got;
    l->top = list->top;
    l->height = list->height;
    l->valid = true;
    free(ids);
}

static void dl_draw(struct screen *s, struct ui *ui, int y0, int rows, int cols)
{
    static const struct ui_col vcol[] = {
        {10, false}, {10, false}, {UI_COL_NAME, false}, {14, false}};
    static const struct ui_col rcol[] = {
        {10, false}, {18, false}, {UI_COL_NAME, false}, {13, false}};
    static const struct ui_col icol[] = {
        {18, false}, {12, false}, {UI_COL_NAME, false}, {14, false}};
    struct dash_list *l = (struct dash_list *)s;
    const struct ui_col *colv = l->kind == CK_VISITS ? vcol : l->kind == CK_RECS ? rcol : icol;
    struct strbuf sb = {0};
    if (l->err.code) {
        sb_addc(&sb, ' ');
        tr_addf(&sb, M_ERROR, ui_err_text(ui, &l->err));
        ui_put_row(y0++, sb_str(&sb), cols, ST_WARN);
        rows--;
    }
    ui_list_set(&s->list, l->count, rows);
    if (!l->count) {
        sb_reset(&sb);
        sb_addf(&sb, " %s", tr(M_NONE));
        ui_put_empty(s, y0, cols, sb_str(&sb));
        sb_free(&sb);
        return;
    }
    dl_fetch(l, ui, &s->list);
    for (size_t i = 0; i < l->n && (int)i < rows; i++) {
        const struct dl_row *r = &l->rows[i];
        const char *cells[] = {r->c[0], r->c[1], r->c[2], r->c[3]};
        bool sel = l->top + i == s->list.cursor;
        sb_reset(&sb);
        if (r->target == DT_NONE)
            sb_addf(&sb, " %s", r->c[0]);
        else
            ui_cols(&sb, cols, colv, 4, cells);
        ui_put_row(y0 + (int)i, sb_str(&sb), cols,
                   sel                    ? ST_CURSOR
                   : r->target == DT_NONE ? ST_WARN
                                          : ST_NORMAL);
    }
    sb_free(&sb);
}

static void dl_title(struct screen *s, struct ui *ui, struct strbuf *left, struct strbuf *right)
{
    static const enum msg rec_label[] = {M_REC_OPEN, M_OVERDUE, M_REC_DONE, M_ALL};
    struct dash_list *l = (struct dash_list *)s;
    const char *what = tr(M_ALL);
    sb_addf(left, "%s · ", tr(M_DASHBOARD));
    switch (l->kind) {
    case CK_VISITS:
        if (l->arg >= 0)
            what = visit_status_label((enum visit_status)l->arg, ui->vi);
        tr_addf(left, M_LIST_VISITS, l->year, what);
        break;
    case CK_RECS:
        tr_addf(left, M_LIST_RECS, tr(rec_label[l->arg]));
        break;
    default:
        if (l->arg >= 0)
            what = item_status_label((enum item_status)l->arg, ui->vi);
        tr_addf(left, M_LIST_ITEMS, what);
        break;
    }
    tr_addf(right, M_N_ITEMS, l->count);
}

static bool dl_action(struct screen *s, struct ui *ui, enum action a)
{
    struct dash_list *l = (struct dash_list *)s;
    size_t i = s->list.cursor - l->top;
    const struct dl_row *r = l->valid && s->list.cursor >= l->top && i < l->n ? &l->rows[i] : NULL;
    if (a == ACT_OPEN) {
        struct doc_line target = {.target = r ? r->target : DT_NONE, .id = r ? r->id : 0};
        ui_open_target(ui, r ? &target : NULL);
        return true;
    }
    if (a == ACT_REPORT) {
        if (r && r->target != DT_NONE && r->visit)
            ui_push(ui, scr_report_visit_new(ui, r->visit));
        else
            ui_message(ui, "%s", tr(M_NO_VISIT_HERE));
        return true;
    }
    return false;
}

static void dl_free(struct screen *s)
{
    struct dash_list *l = (struct dash_list *)s;
    dl_clear(l);
    free(l->match);
    free(l);
}

static const struct screen_ops dl_ops = {
    .name = "dashboard-list",
    .filters = true,
    .actions = dl_actions,
    .title = dl_title,
    .load = dl_load,
    .draw = dl_draw,
    .action = dl_action,
    .free = dl_free,
};

static struct screen *scr_dash_list_new(struct ui *ui, enum cell_kind k, int arg)
{
    struct dash_list *l = xcalloc(1, sizeof *l);
    l->base.ops = &dl_ops;
    l->kind = k;
    l->arg = arg;
    l->year = ui->year;
    return &l->base;
}

/* ---- the result form (on the indicator detail, and a unit's internal index) ---- */

/* Which field holds what: the province's result has no grade, a measure
 * no rank and no grade, a unit's result all five. -1: not in this form. */
struct result_layout {
    int rank, grade, source;
};

struct result_ctx {
    char *code;            /* the index, area or component, or a measure */
    bool measure;          /* a measure: a value, no rank (the form has no rank field) */
    struct index_result r; /* the record changed (m.id 0: a new one); r.unit: whose */
    struct result_layout at;
};

static void result_ctx_free(void *p)
{
    struct result_ctx *rc = p;
    if (!rc)
        return;
    free(rc->code);
    result_free(&rc->r);
    free(rc);
}

/* A number as typed: "6,82" or "6.82"; empty is "not known". */
static bool parse_num(const char *s, double *out, bool *empty)
{
    char *copy = xstrdup(s), *end;
    for (char *p = copy; *p; p++)
        if (*p == ',')
            *p = '.';
    *empty = !*copy;
    *out = *empty ? NAN : strtod(copy, &end);
    bool ok = *empty || (*end == '\0' && end != copy);
    free(copy);
    return ok;
}

/* A whole number from 0 to a million, as typed (surrounding spaces allowed). */
static bool parse_count(const char *s, int *out, bool *empty)
{
    char *copy = xstrdup(s);
    char *p = copy, *e = copy + strlen(copy);
    double v;
    while (*p == ' ')
        p++;
    while (e > p && e[-1] == ' ')
        *--e = '\0';
    bool ok = parse_num(p, &v, empty) && (*empty || (v == (int)v && v >= 0 && v <= 1e6));
    *out = ok && !*empty ? (int)v : 0;
    free(copy);
    return ok;
}

/* A unit's rank as typed: "6/18" (the 6th of 18 units ranked), or "6"
 * when the result already says of how many; empty: not known. A unit is
 * ranked among the province's departments or districts, not among the
 * provinces, so the index's ranked_of is no default here. */
static bool parse_unit_rank(const char *s, int known_of, int *rank, int *of, struct strbuf *msg)
{
    char *copy = xstrdup(s), *slash = strchr(copy, '/');
    bool empty, of_empty = true, ok;
    if (slash)
        *slash = '\0';
    ok = parse_count(copy, rank, &empty) && (!slash || parse_count(slash + 1, of, &of_empty));
    if (ok && slash && (empty || of_empty || *rank < 1 || *of < 1))
        ok = false;
    if (!ok) {
        tr_addf(msg, M_BAD_RANK, s);
    } else if (empty) {
        *rank = *of = 0;
    } else if (!slash && known_of < 1) {
        tr_addf(msg, M_BAD_RANK_OF, s);
        ok = false;
    } else if (!slash) {
        *of = known_of;
    }
    free(copy);
    return ok;
}

/* The rank and how many were ranked from the form, for the province or a unit. */
static bool form_rank(const struct result_ctx *rc, char *const *texts, int *rank, int *of,
                      struct strbuf *msg)
{
    bool empty;
    *rank = 0;
    *of = rc->r.rank_of;
    if (rc->at.rank < 0)
        return true;
    const char *t = texts[rc->at.rank];
    if (rc->r.unit)
        return parse_unit_rank(t, rc->r.rank_of, rank, of, msg);
    if (!parse_count(t, rank, &empty)) { /* 0, as empty: not known */
        tr_addf(msg, M_BAD_RANK, t);
        return false;
    }
    return true;
}

static enum form_result on_result_form(struct ui *ui, void *ctx, char *const *texts,
                                       const int *choices, struct strbuf *msg)
{
    struct result_ctx *rc = ctx;
    struct index_result r = {0};
    struct cchc_err err = {0};
    double year, score;
    int rank, rank_of;
    bool empty;
    (void)choices;
    if (!parse_num(texts[0], &year, &empty) || empty || year != (int)year) {
        tr_addf(msg, M_BAD_YEAR, texts[0]);
        return FORM_STAY;
    }
    if (!parse_num(texts[1], &score, &empty)) {
        tr_addf(msg, M_BAD_NUMBER, texts[1]);
        return FORM_STAY;
    }
    if (!form_rank(rc, texts, &rank, &rank_of, msg))
        return FORM_STAY;
    const char *source = texts[rc->at.source];
    const char *grade = rc->at.grade >= 0 ? texts[rc->at.grade] : rc->r.grade;
    r.m.id = rc->r.m.id;
    r.m.rev = rc->r.m.rev;
    r.index = xstrdup(rc->r.index);
    r.component = rc->r.component ? xstrdup(rc->r.component) : NULL;
    r.unit = rc->r.unit;
    r.year = (int)year;
    r.score = score;
    r.rank = rank;
    r.rank_of = rank_of;
    r.grade = grade && *grade ? xstrdup(grade) : NULL;
    r.source = source[0] ? xstrdup(source) : NULL;
    if (r.m.id && r.year != rc->r.year) /* another year is another result */
        r.m.id = r.m.rev = 0;
    int st = results_save(ui->m, ui->cfg, &r, &err);
    result_free(&r);
    if (st != CCHC_OK) {
        sb_adds(msg, ui_err_text(ui, &err));
        return FORM_STAY;
    }
    return FORM_SAVED;
}

/* The form's title: the code, and the unit's name for a unit's result.
 * false when the unit cannot be read (said on the bottom line). */
static bool result_title(struct ui *ui, const char *code, uint64_t unit, struct strbuf *title)
{
    struct unit u;
    struct cchc_err err = {0};
    if (!unit) {
        tr_addf(title, M_RESULT_NEW, code);
        return true;
    }
    memset(&u, 0, sizeof u);
    if (model_unit(ui->m, unit, &u, &err) != CCHC_OK) {
        ui_error(ui, &err);
        return false;
    }
    tr_addf(title, M_RESULT_UNIT, code, u.short_name && *u.short_name ? u.short_name : u.name);
    unit_free(&u);
    return true;
}

/* Open the form on rc (its record read or preset): labels from the
 * configuration's maximum and ranking, the fields of rc->at. */
static void result_form_open(struct ui *ui, struct result_ctx *rc, const struct strbuf *title)
{
    double max = 0;
    char y[16] = "", sc[32] = "", rk[32] = "", mx[32];
    struct strbuf l_score = {0}, l_rank = {0};
    results_max_of(ui->cfg, rc->code, &max);
    if (rc->r.year)
        snprintf(y, sizeof y, "%d", rc->r.year);
    ui_num(ui, rc->r.score, false, sc);
    if (rc->r.rank && rc->r.unit)
        snprintf(rk, sizeof rk, "%d/%d", rc->r.rank, rc->r.rank_of);
    else if (rc->r.rank)
        snprintf(rk, sizeof rk, "%d", rc->r.rank);
    if (max > 0)
        tr_addf(&l_score, rc->measure ? M_F_MVALUE : M_F_SCORE, ui_num(ui, max, false, mx));
    else
        sb_adds(&l_score, tr(rc->measure ? M_F_MVALUE_ANY : M_F_SCORE_ANY));
    if (rc->r.unit)
        sb_adds(&l_rank, tr(M_F_RANK_UNIT));
    else if (rc->r.rank_of)
        tr_addf(&l_rank, M_F_RANK, rc->r.rank_of);
    else
        sb_adds(&l_rank, tr(M_F_RANK_ANY));
    struct form_field f[5];
    size_t n = 0;
    f[n++] = (struct form_field){.label = tr(M_F_YEAR), .kind = FF_TEXT, .text = y};
    f[n++] = (struct form_field){.label = sb_str(&l_score), .kind = FF_TEXT, .text = sc};
    if (rc->at.rank >= 0)
        f[n++] = (struct form_field){.label = sb_str(&l_rank), .kind = FF_TEXT, .text = rk};
    if (rc->at.grade >= 0)
        f[n++] =
            (struct form_field){.label = tr(M_COL_GRADE), .kind = FF_TEXT, .text = rc->r.grade};
    f[n++] =
        (struct form_field){.label = tr(M_F_RESULT_SOURCE), .kind = FF_TEXT, .text = rc->r.source};
    ui_form(ui, sb_str(title), f, n, on_result_form, rc, result_ctx_free, NULL);
    sb_free(&l_score);
    sb_free(&l_rank);
}

void ui_result_edit_unit(struct ui *ui, const char *code, uint64_t unit, uint64_t result_id)
{
    struct cchc_err err = {0};
    const struct index_def *idx = NULL;
    const struct area *ar = NULL;
    const struct component *co = NULL;
    struct strbuf title = {0};
    const struct measure *ms = unit ? NULL : config_measure(ui->cfg, code);
    if (!ms && (!config_find_code(ui->cfg, code, &idx, &ar, &co) || !idx))
        return;
    if (model_may(ui->m, PERM_PLAN_EDIT, NULL, NULL, &err) != CCHC_OK) {
        ui_error(ui, &err);
        return;
    }
    if (!result_title(ui, code, unit, &title))
        return;
    struct result_ctx *rc = xcalloc(1, sizeof *rc);
    rc->code = xstrdup(code);
    rc->measure = ms != NULL;
    rc->at = ms     ? (struct result_layout){-1, -1, 2}
             : unit ? (struct result_layout){2, 3, 4}
                    : (struct result_layout){2, -1, 3};
    if (result_id && model_result(ui->m, result_id, &rc->r, &err) != CCHC_OK) {
        ui_error(ui, &err);
        result_ctx_free(rc);
        sb_free(&title);
        return;
    }
    if (!result_id) {
        rc->r.index = xstrdup(ms ? ms->code : idx->code);
        rc->r.component = ar || co ? xstrdup(code) : NULL;
        rc->r.unit = unit;
        rc->r.year = ui->year;
        rc->r.score = NAN;
    }
    if (!rc->r.rank_of && idx && !rc->r.unit) /* a measure has values, not ranks */
        rc->r.rank_of = idx->ranked_of;
    result_form_open(ui, rc, &title);
    sb_free(&title);
}

void ui_result_edit(struct ui *ui, const char *code, uint64_t result_id)
{
    ui_result_edit_unit(ui, code, 0, result_id);
}
