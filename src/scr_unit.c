/* scr_unit.c — one unit: its head, kind, form, validity, successor, its
 * results in the province's internal indices (the CCHC index and the
 * satisfaction index the province computes for its departments and
 * districts: score, rank, grade by year; Enter opens the index as this
 * unit sees it, `e` changes the result, admin only), the commitments it
 * signed and the visits it received (Enter opens them), and the inspectors'
 * notes on it (a adds one; e, E, d act on the one selected).
 *
 * A department or district that has no result yet for the year in view
 * in an index marked `internal: true` in indicators.yaml shows a row that
 * says so: `e` on it enters that result.
 *
 * Everything is read in load() into copies; draw() lays the copies out as a
 * document for the current width without calling the model.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cchc/results.h"
#include "cchc/ui_results.h"
#include "cchc/ui_screen.h"

#define MAX_SUB 500 /* rows of a sub-list; a unit has a handful */

struct unit_screen {
    struct screen base;
    uint64_t id;
    bool ok;
    struct unit u;
    char *parent_name, *successor_name;
    uint64_t *cids, *vids;
    bool *c_ok, *v_ok;
    struct commitment *cs;
    struct visit *vs;
    size_t n_c, n_v, total_c, total_v;
    struct result_set res; /* its internal index results, by index then year */
    struct ui_notes notes;
    struct ui_doc doc;
    struct cchc_err err;
};

static const enum action unit_actions[] = {ACT_OPEN,   ACT_NOTE_ADD,      ACT_EDIT,
                                           ACT_DELETE, ACT_EDIT_EXTERNAL, ACT_NONE};

static void unit_screen_clear(struct unit_screen *us)
{
    if (us->ok)
        unit_free(&us->u);
    us->ok = false;
    for (size_t i = 0; i < us->n_c; i++)
        if (us->c_ok[i])
            commitment_free(&us->cs[i]);
    for (size_t i = 0; i < us->n_v; i++)
        if (us->v_ok[i])
            visit_free(&us->vs[i]);
    free(us->parent_name);
    free(us->successor_name);
    free(us->cids);
    free(us->vids);
    free(us->c_ok);
    free(us->v_ok);
    free(us->cs);
    free(us->vs);
    us->parent_name = us->successor_name = NULL;
    us->cids = us->vids = NULL;
    us->c_ok = us->v_ok = NULL;
    us->cs = NULL;
    us->vs = NULL;
    us->n_c = us->n_v = us->total_c = us->total_v = 0;
    result_set_free(&us->res);
    ui_notes_clear(&us->notes);
}

/* The name of another unit, or a damaged/unknown marker. */
static char *unit_name_of(struct ui *ui, uint64_t id)
{
    struct unit u;
    struct cchc_err e = {0};
    struct strbuf sb = {0};
    if (!id)
        return NULL;
    memset(&u, 0, sizeof u);
    if (model_unit(ui->m, id, &u, &e) == CCHC_OK) {
        char *name = xstrdup(u.name);
        unit_free(&u);
        return name;
    }
    ui_damaged(&sb, "units", id);
    return sb_detach(&sb);
}

/* The ids of a list (at most MAX_SUB), *total set to its full length. */
static uint64_t *list_ids(struct ui *ui, enum list_kind kind, uint64_t arg, size_t *n,
                          size_t *total)
{
    struct list_query q = {.kind = kind, .arg = arg};
    uint64_t *ids = xcalloc(MAX_SUB, sizeof *ids);
    struct cchc_err e = {0};
    *n = *total = 0;
    if (model_list(ui->m, &q, 0, MAX_SUB, ids, n, total, &e) != CCHC_OK)
        *n = *total = 0;
    return ids;
}

/* The unit's results, index by index in the configuration's order. */
static void load_results(struct unit_screen *us, struct ui *ui)
{
    size_t cap = 0;
    for (size_t k = 0; k < ui->cfg->n_indices; k++) {
        struct result_set rs;
        struct cchc_err e = {0};
        if (results_of_index(ui->m, ui->cfg->indices[k].code, us->id, &rs, &e) != CCHC_OK)
            continue;
        us->res.damaged += rs.damaged;
        for (size_t i = 0; i < rs.n; i++) {
            if (us->res.n == cap) {
                cap = cap ? 2 * cap : 8;
                us->res.v = xrealloc(us->res.v, cap * sizeof *us->res.v);
            }
            us->res.v[us->res.n++] = rs.v[i]; /* moved */
        }
        free(rs.v);
    }
}

static void unit_load(struct screen *s, struct ui *ui)
{
    struct unit_screen *us = (struct unit_screen *)s;
    unit_screen_clear(us);
    err_clear(&us->err);
    memset(&us->u, 0, sizeof us->u);
    us->ok = model_unit(ui->m, us->id, &us->u, &us->err) == CCHC_OK;
    if (!us->ok)
        return;
    us->parent_name = unit_name_of(ui, us->u.parent);
    us->successor_name = unit_name_of(ui, us->u.successor);

    us->cids = list_ids(ui, LIST_UNIT_COMMITMENTS, us->id, &us->n_c, &us->total_c);
    us->cs = xcalloc(us->n_c + 1, sizeof *us->cs);
    us->c_ok = xcalloc(us->n_c + 1, sizeof *us->c_ok);
    for (size_t i = 0; i < us->n_c; i++) {
        struct cchc_err e = {0};
        us->c_ok[i] = model_commitment(ui->m, us->cids[i], &us->cs[i], &e) == CCHC_OK;
    }
    us->vids = list_ids(ui, LIST_UNIT_VISITS, us->id, &us->n_v, &us->total_v);
    us->vs = xcalloc(us->n_v + 1, sizeof *us->vs);
    us->v_ok = xcalloc(us->n_v + 1, sizeof *us->v_ok);
    for (size_t i = 0; i < us->n_v; i++) {
        struct cchc_err e = {0};
        us->v_ok[i] = model_visit(ui->m, us->vids[i], &us->vs[i], &e) == CCHC_OK;
    }
    load_results(us, ui);
    ui_notes_load(ui, &us->notes, NT_UNIT, us->id, MAX_SUB);
}

/* Does the province score u with its internal indices in year? Its
 * departments and districts, while they exist. */
static bool scored_in(const struct unit *u, int year)
{
    if (u->kind != UK_DEPARTMENT && u->kind != UK_DISTRICT)
        return false;
    if (u->valid_to && date_year(u->valid_to) < year)
        return false;
    return !u->valid_from || date_year(u->valid_from) <= year;
}

/* The configuration's own copy of the code r is about (it outlives the
 * document's lines), NULL when the configuration no longer has it. */
static const char *result_code(const struct ui *ui, const struct index_result *r)
{
    const struct index_def *ix = NULL;
    const struct area *ar = NULL;
    const struct component *co = NULL;
    const char *code = r->component && *r->component ? r->component : r->index;
    if (!config_find_code(ui->cfg, code, &ix, &ar, &co) || !ix)
        return NULL;
    return co ? co->code : ar ? ar->code : ix->code;
}

/* Has the unit a result for index ix as a whole in year? */
static bool has_whole(const struct unit_screen *us, const struct index_def *ix, int year)
{
    for (size_t i = 0; i < us->res.n; i++) {
        const struct index_result *r = &us->res.v[i];
        if (r->year == year && strcmp(r->index, ix->code) == 0 && (!r->component || !*r->component))
            return true;
    }
    return false;
}

static const struct ui_col result_cols[] = {{9, false}, {5, false},  {7, true},
                                            {8, true},  {10, false}, {0, false}};

/* One result: a line that Enter opens (the index for this unit) and `e`
 * changes: no target of its own, its id and the code it is about. */
static void add_result_line(struct unit_screen *us, struct ui *ui, int cols, struct strbuf *sb,
                            const struct index_result *r)
{
    char y[16], sc[32], rank[32] = "";
    snprintf(y, sizeof y, "%d", r->year);
    ui_num(ui, r->score, false, sc);
    if (r->rank)
        snprintf(rank, sizeof rank, "%d/%d", r->rank, r->rank_of);
    const char *cells[] = {
        r->component && *r->component ? r->component : r->index, y, sc, rank, r->grade, r->source};
    sb_reset(sb);
    ui_cols(sb, cols, result_cols, 6, cells);
    struct doc_line *dl = doc_add(&us->doc, sb_str(sb), ST_NORMAL);
    dl->id = r->m.id;
    dl->code = result_code(ui, r);
}

/* The row of an internal index the unit has no result for in year: `e`
 * enters one (id 0). */
static void add_missing_line(struct unit_screen *us, int cols, struct strbuf *sb,
                             const struct index_def *ix, int year)
{
    static const struct ui_col colv[] = {{9, false}, {5, false}, {0, false}};
    char y[16];
    snprintf(y, sizeof y, "%d", year);
    const char *cells[] = {ix->code, y, tr(M_UNIT_RESULT_NONE)};
    sb_reset(sb);
    ui_cols(sb, cols, colv, 3, cells);
    struct doc_line *dl = doc_add(&us->doc, sb_str(sb), ST_DIM);
    dl->code = ix->code;
}

/* Its internal index results, index by index: year, score, rank of how
 * many, grade; then, for an index marked internal that has no result of
 * the year in view, a row saying so. Nothing for a unit that has neither
 * (communes, the province). */
static void add_results(struct unit_screen *us, struct ui *ui, int cols, struct strbuf *sb)
{
    const char *heads[] = {tr(M_F_INDEX),  tr(M_COL_YEAR),  tr(M_COL_SCORE),
                           tr(M_COL_RANK), tr(M_COL_GRADE), tr(M_COL_SOURCE)};
    struct ui_doc *d = &us->doc;
    const struct config *cfg = ui->cfg;
    bool scored = ui->year > 0 && scored_in(&us->u, ui->year);
    size_t missing = 0;
    for (size_t k = 0; scored && k < cfg->n_indices; k++)
        missing += cfg->indices[k].internal && !has_whole(us, &cfg->indices[k], ui->year);
    if (!us->res.n && !us->res.damaged && !missing)
        return;
    sb_reset(sb);
    tr_addf(sb, M_SEC_INTERNAL, us->res.n);
    doc_section(d, cols, sb_str(sb));
    sb_reset(sb);
    ui_cols(sb, cols, result_cols, 6, heads);
    doc_add(d, sb_str(sb), ST_COLHEAD);
    for (size_t k = 0; k < cfg->n_indices; k++) { /* the results are in this order */
        const struct index_def *ix = &cfg->indices[k];
        for (size_t i = 0; i < us->res.n; i++)
            if (strcmp(us->res.v[i].index, ix->code) == 0)
                add_result_line(us, ui, cols, sb, &us->res.v[i]);
        if (scored && ix->internal && !has_whole(us, ix, ui->year))
            add_missing_line(us, cols, sb, ix, ui->year);
    }
    if (us->res.damaged) {
        sb_reset(sb);
        sb_addc(sb, ' ');
        tr_addf(sb, M_DASH_N_DAMAGED, us->res.damaged);
        doc_add(d, sb_str(sb), ST_WARN);
    }
}

/* A line of the internal indices (a result, or a missing one)? */
static bool result_line(const struct doc_line *dl)
{
    return dl && dl->target == DT_NONE && dl->code;
}

static void build(struct unit_screen *us, struct ui *ui, int cols)
{
    struct ui_doc *d = &us->doc;
    struct strbuf sb = {0};
    char d1[11], d2[11];
    const int lw = 16;
    const struct unit *u = &us->u;

    doc_clear(d);
    if (!us->ok) {
        sb_addc(&sb, ' ');
        tr_addf(&sb, M_ERROR, ui_err_text(ui, &us->err));
        doc_add(d, sb_str(&sb), ST_WARN);
        sb_free(&sb);
        return;
    }
    doc_wrap(d, cols, 1, u->name, ST_SECTION);
    doc_field(d, cols, lw, tr(M_F_CODE), u->code);
    sb_adds(&sb, unit_kind_label(u->kind, ui->vi));
    if (u->form && *u->form && strcmp(u->form, unit_kind_label(u->kind, true)) != 0)
        sb_addf(&sb, " (%s)", u->form);
    doc_field(d, cols, lw, tr(M_F_KIND), sb_str(&sb));
    if (us->parent_name) { /* Enter on it opens the parent */
        doc_field(d, cols, lw, tr(M_F_PARENT), us->parent_name);
        d->v[d->n - 1].target = DT_UNIT;
        d->v[d->n - 1].id = u->parent;
    }
    sb_reset(&sb);
    if (u->head.name && *u->head.name) {
        sb_adds(&sb, u->head.name);
        if (u->head.title && *u->head.title)
            sb_addf(&sb, ", %s", u->head.title);
    }
    doc_field(d, cols, lw, tr(M_F_HEAD), sb_str(&sb));
    sb_reset(&sb);
    if (u->valid_from)
        tr_addf(&sb, M_FROM, ui_date(ui, u->valid_from, d1));
    if (u->valid_to) {
        if (sb.len)
            sb_addc(&sb, ' ');
        tr_addf(&sb, M_UNTIL, ui_date(ui, u->valid_to, d2));
    }
    if (!sb.len)
        sb_adds(&sb, tr(M_CURRENT));
    doc_field(d, cols, lw, tr(M_F_VALID), sb_str(&sb));
    if (us->successor_name) { /* Enter on it opens the successor */
        doc_field(d, cols, lw, tr(M_F_SUCCESSOR), us->successor_name);
        d->v[d->n - 1].target = DT_UNIT;
        d->v[d->n - 1].id = u->successor;
    }
    if (u->note && *u->note)
        doc_field(d, cols, lw, tr(M_F_NOTE), u->note);
    add_results(us, ui, cols, &sb);

    sb_reset(&sb);
    tr_addf(&sb, M_SEC_COMMITMENTS, us->total_c);
    doc_section(d, cols, sb_str(&sb));
    if (!us->total_c)
        doc_addf(d, ST_DIM, " %s", tr(M_NONE));
    for (size_t i = 0; i < us->n_c; i++) {
        static const struct ui_col colv[] = {{16, false}, {10, false}, {0, false}};
        struct doc_line *dl;
        sb_reset(&sb);
        if (!us->c_ok[i]) {
            sb_addc(&sb, ' ');
            ui_damaged(&sb, "commitments", us->cids[i]);
            doc_add(d, sb_str(&sb), ST_WARN);
            continue;
        }
        const char *cells[] = {us->cs[i].code, ui_date(ui, us->cs[i].signed_on, d1),
                               us->cs[i].title};
        ui_cols(&sb, cols, colv, 3, cells);
        dl = doc_add(d, sb_str(&sb), ST_NORMAL);
        dl->target = DT_COMMITMENT;
        dl->id = us->cids[i];
    }
    if (us->total_c > us->n_c)
        doc_addf(d, ST_DIM, " %s", "…");

    sb_reset(&sb);
    tr_addf(&sb, M_SEC_VISITS, us->total_v);
    doc_section(d, cols, sb_str(&sb));
    if (!us->total_v)
        doc_addf(d, ST_DIM, " %s", tr(M_NONE));
    for (size_t i = 0; i < us->n_v; i++) {
        static const struct ui_col colv[] = {{10, false}, {12, false}, {9, false}, {0, false}};
        struct doc_line *dl;
        char sc[16];
        sb_reset(&sb);
        if (!us->v_ok[i]) {
            sb_addc(&sb, ' ');
            ui_damaged(&sb, "visits", us->vids[i]);
            doc_add(d, sb_str(&sb), ST_WARN);
            continue;
        }
        const char *cells[] = {ui_date(ui, us->vs[i].start, d1), us->vs[i].code,
                               scope_label(us->vs[i].scope, sc),
                               visit_status_label(us->vs[i].status, ui->vi)};
        ui_cols(&sb, cols, colv, 4, cells);
        dl = doc_add(d, sb_str(&sb), ST_NORMAL);
        dl->target = DT_VISIT;
        dl->id = us->vids[i];
    }
    if (us->total_v > us->n_v)
        doc_addf(d, ST_DIM, " %s", "…");
    ui_notes_doc(ui, d, cols, &us->notes, true);
    sb_free(&sb);
}

static void unit_draw(struct screen *s, struct ui *ui, int y0, int rows, int cols)
{
    struct unit_screen *us = (struct unit_screen *)s;
    build(us, ui, cols);
    doc_draw(&us->doc, &s->list, y0, rows, cols);
}

static void unit_title(struct screen *s, struct ui *ui, struct strbuf *left, struct strbuf *right)
{
    struct unit_screen *us = (struct unit_screen *)s;
    sb_adds(left, tr(M_UNITS));
    if (us->ok) {
        sb_addf(left, " · %s",
                us->u.short_name && *us->u.short_name ? us->u.short_name : us->u.name);
        sb_adds(right, unit_kind_label(us->u.kind, ui->vi));
    }
}

static bool unit_action(struct screen *s, struct ui *ui, enum action a)
{
    struct unit_screen *us = (struct unit_screen *)s;
    const struct doc_line *dl = doc_cursor(&us->doc, &s->list);
    if (ui_note_action(ui, dl, a))
        return true;
    if (us->ok && result_line(dl) && (a == ACT_OPEN || a == ACT_EDIT)) {
        if (a == ACT_OPEN) /* the index as this unit sees it, not the province's */
            ui_push(ui, scr_indicator_unit_new(ui, dl->code, us->id));
        else
            ui_result_edit_unit(ui, dl->code, us->id, dl->id);
        return true;
    }
    switch (a) {
    case ACT_OPEN:
        ui_open_target(ui, dl);
        return true;
    case ACT_NOTE_ADD:
    case ACT_EDIT_EXTERNAL:
        if (us->ok)
            ui_note_add(ui, NT_UNIT, us->id, NULL, a == ACT_EDIT_EXTERNAL);
        return true;
    case ACT_EDIT:
        ui_message(ui, "%s", tr(M_NOTHING_HERE));
        return true;
    case ACT_DELETE:
        ui_message(ui, "%s", tr(M_NOT_A_NOTE));
        return true;
    default:
        return false;
    }
}

static void unit_screen_free(struct screen *s)
{
    struct unit_screen *us = (struct unit_screen *)s;
    unit_screen_clear(us);
    doc_free(&us->doc);
    free(us);
}

static const struct screen_ops unit_ops = {
    .name = "unit",
    .actions = unit_actions,
    .title = unit_title,
    .load = unit_load,
    .draw = unit_draw,
    .action = unit_action,
    .free = unit_screen_free,
};

struct screen *scr_unit_new(struct ui *ui, uint64_t id)
{
    struct unit_screen *us = xcalloc(1, sizeof *us);
    (void)ui;
    us->base.ops = &unit_ops;
    us->base.doc = &us->doc;
    us->id = id;
    return &us->base;
}
