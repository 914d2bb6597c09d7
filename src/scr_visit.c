/* scr_visit.c — one inspection visit: its unit, dates, status, scope, plan
 * and decision, the team (lead marked) and the checklist.
 *
 * The checklist comes from the configuration: the areas whose scope meets
 * the visit's scope, and in them the criteria that apply to the kind of
 * unit visited. The result column stays empty: recording results is part 2.
 */
#include <stdlib.h>
#include <string.h>

#include "cchc/ui_screen.h"

struct visit_screen {
    struct screen base;
    uint64_t id;
    bool ok;
    struct visit v;
    char *unit_name;
    struct ui_doc doc;
    struct cchc_err err;
};

static const enum action visit_actions[] = {ACT_OPEN, ACT_NONE};

static void clear(struct visit_screen *vs)
{
    if (vs->ok)
        visit_free(&vs->v);
    vs->ok = false;
    free(vs->unit_name);
    vs->unit_name = NULL;
}

static void visit_load(struct screen *s, struct ui *ui)
{
    struct visit_screen *vs = (struct visit_screen *)s;
    struct unit u;
    struct cchc_err e = {0};

    clear(vs);
    err_clear(&vs->err);
    memset(&vs->v, 0, sizeof vs->v);
    vs->ok = model_visit(ui->m, vs->id, &vs->v, &vs->err) == CCHC_OK;
    if (!vs->ok)
        return;
    memset(&u, 0, sizeof u);
    if (model_unit(ui->m, vs->v.unit, &u, &e) == CCHC_OK) {
        vs->unit_name = xstrdup(u.name);
        unit_free(&u);
    } else {
        struct strbuf sb = {0};
        ui_damaged(&sb, "units", vs->v.unit);
        vs->unit_name = sb_detach(&sb);
    }
}

static bool criterion_applies(const struct criterion *cr, enum unit_kind kind)
{
    return cr->applies == 0 || (cr->applies & (1u << kind));
}

static void add_team(struct visit_screen *vs, int cols, struct strbuf *sb)
{
    static const struct ui_col colv[] = {{28, false}, {8, false}, {0, false}};
    struct strbuf who = {0};
    sb_reset(sb);
    tr_addf(sb, M_SEC_TEAM, vs->v.n_team);
    doc_section(&vs->doc, cols, sb_str(sb));
    if (!vs->v.n_team)
        doc_addf(&vs->doc, ST_DIM, " %s", tr(M_NONE));
    for (size_t i = 0; i < vs->v.n_team; i++) {
        const struct team_member *t = &vs->v.team[i];
        sb_reset(sb);
        sb_reset(&who);
        sb_adds(&who, t->name && *t->name ? t->name : t->login);
        if (t->role == TEAM_LEAD)
            sb_addf(&who, " (%s)", tr(M_F_LEAD));
        const char *cells[] = {sb_str(&who), t->login, t->org};
        ui_cols(sb, cols, colv, 3, cells);
        doc_add(&vs->doc, sb_str(sb), ST_NORMAL);
    }
    sb_free(&who);
}

static void add_checklist(struct visit_screen *vs, struct ui *ui, int cols, struct strbuf *sb)
{
    static const struct ui_col colv[] = {{7, false}, {0, false}, {10, false}};
    const struct config *cfg = ui->cfg;
    const char *heads[] = {tr(M_COL_CODE), tr(M_COL_CRITERION), tr(M_COL_RESULT)};

    doc_section(&vs->doc, cols, tr(M_SEC_CHECKLIST));
    sb_reset(sb);
    ui_cols(sb, cols, colv, 3, heads);
    doc_add(&vs->doc, sb_str(sb), ST_COLHEAD);
    for (size_t a = 0; a < cfg->n_check_areas; a++) {
        const struct check_area *ar = &cfg->check_areas[a];
        bool header = false;
        if (!(ar->scope & vs->v.scope))
            continue;
        for (size_t c = 0; c < ar->n_criteria; c++) {
            const struct criterion *cr = &ar->criteria[c];
            if (!criterion_applies(cr, vs->v.unit_kind))
                continue;
            if (!header) {
                sb_reset(sb);
                sb_addf(sb, " %s  %s", ar->code, bitext_get(&ar->name, UI_LANG(ui)));
                doc_add(&vs->doc, sb_str(sb), ST_SECTION);
                header = true;
            }
            const char *cells[] = {cr->code, bitext_get(&cr->text, UI_LANG(ui)), ""};
            sb_reset(sb);
            ui_cols(sb, cols, colv, 3, cells);
            doc_add(&vs->doc, sb_str(sb), ST_NORMAL);
        }
    }
}

static void build(struct visit_screen *vs, struct ui *ui, int cols)
{
    struct ui_doc *d = &vs->doc;
    struct strbuf sb = {0};
    char d1[11], d2[11], sc[16];
    const int lw = 12;

    doc_clear(d);
    if (!vs->ok) {
        sb_addc(&sb, ' ');
        tr_addf(&sb, M_ERROR, vs->err.msg);
        doc_add(d, sb_str(&sb), ST_WARN);
        sb_free(&sb);
        return;
    }
    sb_addf(&sb, "%s (%s)", vs->unit_name, unit_kind_label(vs->v.unit_kind, ui->vi));
    doc_field(d, cols, lw, tr(M_F_UNIT), sb_str(&sb));
    d->v[d->n - 1].target = DT_UNIT;
    d->v[d->n - 1].id = vs->v.unit;
    doc_field(d, cols, lw, tr(M_F_CODE), vs->v.code);
    sb_reset(&sb);
    sb_adds(&sb, ui_date(ui, vs->v.start, d1));
    if (vs->v.end && vs->v.end != vs->v.start)
        sb_addf(&sb, " – %s", ui_date(ui, vs->v.end, d2));
    doc_field(d, cols, lw, tr(M_F_DATES), sb_str(&sb));
    doc_field(d, cols, lw, tr(M_F_STATUS), visit_status_label(vs->v.status, ui->vi));
    doc_field(d, cols, lw, tr(M_F_SCOPE), scope_label(vs->v.scope, sc));
    doc_field(d, cols, lw, tr(M_F_PLAN), vs->v.plan);
    doc_field(d, cols, lw, tr(M_F_DECISION), vs->v.decision);
    add_team(vs, cols, &sb);
    add_checklist(vs, ui, cols, &sb);
    sb_free(&sb);
}

static void visit_draw(struct screen *s, struct ui *ui, int y0, int rows, int cols)
{
    struct visit_screen *vs = (struct visit_screen *)s;
    build(vs, ui, cols);
    doc_draw(&vs->doc, &s->list, y0, rows, cols);
}

static void visit_title(struct screen *s, struct ui *ui, struct strbuf *left, struct strbuf *right)
{
    struct visit_screen *vs = (struct visit_screen *)s;
    char d[11];
    sb_adds(left, tr(M_VISIT));
    if (vs->ok) {
        sb_addf(left, " · %s · %s", vs->unit_name, ui_date(ui, vs->v.start, d));
        sb_adds(right, visit_status_label(vs->v.status, ui->vi));
    }
}

static bool visit_action(struct screen *s, struct ui *ui, enum action a)
{
    struct visit_screen *vs = (struct visit_screen *)s;
    if (a != ACT_OPEN)
        return false;
    ui_open_target(ui, doc_cursor(&vs->doc, &s->list));
    return true;
}

static void visit_screen_free(struct screen *s)
{
    struct visit_screen *vs = (struct visit_screen *)s;
    clear(vs);
    doc_clear(&vs->doc);
    free(vs->doc.v);
    free(vs);
}

static const struct screen_ops visit_ops = {
    .name = "visit",
    .actions = visit_actions,
    .title = visit_title,
    .load = visit_load,
    .draw = visit_draw,
    .action = visit_action,
    .free = visit_screen_free,
};

struct screen *scr_visit_new(struct ui *ui, uint64_t id)
{
    struct visit_screen *vs = xcalloc(1, sizeof *vs);
    (void)ui;
    vs->base.ops = &visit_ops;
    vs->id = id;
    return &vs->base;
}
