/* scr_visit.c — one inspection visit: its unit, dates, status, scope, plan
 * and decision, the team (lead marked), the checklist with each criterion's
 * recorded result, the notes (newest first) and the recommendations.
 *
 * The checklist comes from the configuration: the areas whose scope meets
 * the visit's scope, and in them the criteria that apply to the kind of
 * unit visited. A result shows as the checklist's name for it, or as the
 * measured number with the verdict the threshold gave; "✎N" says N notes
 * are on the criterion. load() copies everything from the model (one short
 * read each); it runs again whenever someone commits, so that what other
 * inspectors record appears within a tick. The cursor moves over every
 * row; the keys act on the row under it (a, e, E, d, Enter), or on the
 * visit (r, s).
 */
#include <stdlib.h>
#include <string.h>

#include "cchc/ui_results.h"
#include "cchc/ui_screen.h"

#define MAX_NOTES 200
#define MAX_RECS  200

/* A criterion of the checklist with what was recorded on it. */
struct crit_row {
    const struct criterion *cr;
    bool found;
    struct check_result c;
    size_t notes;
};

struct rec_row {
    bool ok;
    struct recommendation r;
    char *unit_name;
};

struct visit_screen {
    struct screen base;
    uint64_t id;
    bool ok;
    struct visit v;
    char *unit_name;
    char *unit_form; /* "thị trấn", "phường": says more than the kind */
    struct crit_row *crits;
    size_t n_crits;
    struct note *notes;
    bool *note_ok;
    uint64_t *note_ids;
    size_t n_notes, total_notes;
    struct rec_row *recs;
    uint64_t *rec_ids;
    size_t n_recs, total_recs;
    cchc_date today;
    struct ui_doc doc;
    struct cchc_err err;
};

static const enum action visit_actions[] = {ACT_OPEN,          ACT_NOTE_ADD, ACT_EDIT,
                                            ACT_REC_ADD,       ACT_STATUS,   ACT_DELETE,
                                            ACT_EDIT_EXTERNAL, ACT_REPORT,   ACT_NONE};

static void clear(struct visit_screen *vs)
{
    if (vs->ok)
        visit_free(&vs->v);
    vs->ok = false;
    free(vs->unit_name);
    vs->unit_name = NULL;
    free(vs->unit_form);
    vs->unit_form = NULL;
    for (size_t i = 0; i < vs->n_crits; i++)
        if (vs->crits[i].found)
            check_free(&vs->crits[i].c);
    free(vs->crits);
    vs->crits = NULL;
    vs->n_crits = 0;
    for (size_t i = 0; i < vs->n_notes; i++)
        if (vs->note_ok[i])
            note_free(&vs->notes[i]);
    free(vs->notes);
    free(vs->note_ok);
    free(vs->note_ids);
    vs->notes = NULL;
    vs->note_ok = NULL;
    vs->note_ids = NULL;
    vs->n_notes = vs->total_notes = 0;
    for (size_t i = 0; i < vs->n_recs; i++) {
        if (vs->recs[i].ok)
            rec_free(&vs->recs[i].r);
        free(vs->recs[i].unit_name);
    }
    free(vs->recs);
    free(vs->rec_ids);
    vs->recs = NULL;
    vs->rec_ids = NULL;
    vs->n_recs = vs->total_recs = 0;
}

static char *unit_name_of(struct ui *ui, uint64_t id)
{
    struct unit u = {0};
    struct cchc_err e = {0};
    struct strbuf sb = {0};
    if (model_unit(ui->m, id, &u, &e) == CCHC_OK) {
        char *name = xstrdup(u.short_name && *u.short_name ? u.short_name : u.name);
        unit_free(&u);
        return name;
    }
    ui_damaged(&sb, "units", id);
    return sb_detach(&sb);
}

/* The checklist's criteria for this visit, with their results and how
 * many notes each has. */
static void load_checks(struct visit_screen *vs, struct ui *ui)
{
    const struct config *cfg = ui->cfg;
    size_t max = 0;
    for (size_t a = 0; a < cfg->n_check_areas; a++)
        max += cfg->check_areas[a].n_criteria;
    vs->crits = xcalloc(max + 1, sizeof *vs->crits);
    for (size_t a = 0; a < cfg->n_check_areas; a++) {
        const struct check_area *ar = &cfg->check_areas[a];
        if (!(ar->scope & vs->v.scope))
            continue;
        for (size_t c = 0; c < ar->n_criteria; c++) {
            const struct criterion *cr = &ar->criteria[c];
            struct crit_row *row = &vs->crits[vs->n_crits];
            struct cchc_err e = {0};
            uint64_t one;
            size_t got = 0;
            if (!criterion_applies(cr, vs->v.unit_kind))
                continue;
            row->cr = cr;
            if (model_check_get(ui->m, vs->id, cr->code, &row->c, &row->found, &e) != CCHC_OK)
                row->found = false;
            if (model_notes(ui->m, NT_CRITERION, vs->id, cr->code, false, 0, 1, &one, &got,
                            &row->notes, &e) != CCHC_OK)
                row->notes = 0;
            vs->n_crits++;
        }
    }
}

static void load_notes(struct visit_screen *vs, struct ui *ui)
{
    struct cchc_err e = {0};
    vs->note_ids = xcalloc(MAX_NOTES, sizeof *vs->note_ids);
    if (model_visit_notes(ui->m, vs->id, 0, MAX_NOTES, vs->note_ids, &vs->n_notes, &vs->total_notes,
                          &e) != CCHC_OK)
        vs->n_notes = vs->total_notes = 0;
    vs->notes = xcalloc(vs->n_notes + 1, sizeof *vs->notes);
    vs->note_ok = xcalloc(vs->n_notes + 1, sizeof *vs->note_ok);
    for (size_t i = 0; i < vs->n_notes; i++)
        vs->note_ok[i] = model_note(ui->m, vs->note_ids[i], &vs->notes[i], &e) == CCHC_OK;
}

static void load_recs(struct visit_screen *vs, struct ui *ui)
{
    struct cchc_err e = {0};
    vs->rec_ids = xcalloc(MAX_RECS, sizeof *vs->rec_ids);
    if (model_visit_recs(ui->m, vs->id, 0, MAX_RECS, vs->rec_ids, &vs->n_recs, &vs->total_recs,
                         &e) != CCHC_OK)
        vs->n_recs = vs->total_recs = 0;
    vs->recs = xcalloc(vs->n_recs + 1, sizeof *vs->recs);
    for (size_t i = 0; i < vs->n_recs; i++) {
        struct rec_row *row = &vs->recs[i];
        row->ok = model_rec(ui->m, vs->rec_ids[i], &row->r, &e) == CCHC_OK;
        if (row->ok)
            row->unit_name = unit_name_of(ui, row->r.unit);
    }
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
    vs->today = date_today();
    load_checks(vs, ui);
    load_notes(vs, ui);
    load_recs(vs, ui);
    memset(&u, 0, sizeof u);
    if (model_unit(ui->m, vs->v.unit, &u, &e) == CCHC_OK) {
        vs->unit_name = xstrdup(u.name);
        if (u.form && *u.form)
            vs->unit_form = xstrdup(u.form);
        unit_free(&u);
    } else {
        struct strbuf sb = {0};
        ui_damaged(&sb, "units", vs->v.unit);
        vs->unit_name = sb_detach(&sb);
    }
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

/* "đạt", "85 % · chưa đạt", "" when nothing was recorded; then "✎2". */
static void result_text(struct ui *ui, const struct crit_row *row, struct strbuf *sb)
{
    char num[32];
    if (row->found && row->c.has_number) {
        sb_addf(sb, "%s%s%s · %s", ui_num(ui, row->c.number, false, num),
                row->cr->unit && strcmp(row->cr->unit, "%") == 0 ? "" : " ",
                row->cr->unit ? row->cr->unit : "", tr(row->c.pass ? M_PASS : M_FAIL));
    } else if (row->found && row->c.value) {
        const struct result_value *rv = config_result(ui->cfg, row->c.value);
        sb_adds(sb, rv ? bitext_get(&rv->name, UI_LANG(ui)) : row->c.value);
    }
    if (row->notes)
        sb_addf(sb, "%s✎%zu", sb->len ? " " : "", row->notes);
}

static void add_checklist(struct visit_screen *vs, struct ui *ui, int cols, struct strbuf *sb)
{
    static const struct ui_col colv[] = {{7, false}, {0, false}, {20, false}};
    const char *heads[] = {tr(M_COL_CODE), tr(M_COL_CRITERION), tr(M_COL_RESULT)};
    const struct check_area *area = NULL;
    struct strbuf res = {0}, text = {0};

    doc_section(&vs->doc, cols, tr(M_SEC_CHECKLIST));
    sb_reset(sb);
    ui_cols(sb, cols, colv, 3, heads);
    doc_add(&vs->doc, sb_str(sb), ST_COLHEAD);
    for (size_t i = 0; i < vs->n_crits; i++) {
        const struct crit_row *row = &vs->crits[i];
        const struct check_area *ar = NULL;
        config_criterion(ui->cfg, row->cr->code, &ar);
        if (ar && ar != area) {
            /* the area's name takes the criterion and result columns */
            static const struct ui_col area_colv[] = {{7, false}, {0, false}};
            const char *area_cells[] = {ar->code, bitext_get(&ar->name, UI_LANG(ui))};
            sb_reset(sb);
            ui_cols(sb, cols, area_colv, 2, area_cells);
            doc_add(&vs->doc, sb_str(sb), ST_SECTION);
            area = ar;
        }
        sb_reset(&res);
        result_text(ui, row, &res);
        /* A measured criterion shows its threshold after its text, which
         * gives way to it: "Tỷ lệ hồ sơ giải quyết đúng… (≥ 98%)". */
        sb_reset(&text);
        const char *crit = bitext_get(&row->cr->text, UI_LANG(ui));
        if (row->cr->kind == CRIT_MEASURED && row->cr->op != TH_NONE) {
            char num[32];
            struct strbuf thr = {0};
            sb_addf(&thr, "(%s %s%s%s)",
                    row->cr->op == TH_MIN ? (ui->cfg->ascii ? ">=" : "≥")
                                          : (ui->cfg->ascii ? "<=" : "≤"),
                    ui_num(ui, row->cr->limit, false, num),
                    row->cr->unit && strcmp(row->cr->unit, "%") != 0 ? " " : "",
                    row->cr->unit ? row->cr->unit : "");
            int room = cols - 32 - text_width(sb_str(&thr)) - 1;
            text_fit(&text, crit, room > 4 ? room : 4, false);
            sb_addf(&text, " %s", sb_str(&thr));
            sb_free(&thr);
            crit = sb_str(&text);
        }
        const char *cells[] = {row->cr->code, crit, sb_str(&res)};
        sb_reset(sb);
        ui_cols(sb, cols, colv, 3, cells);
        struct doc_line *dl = doc_add(
            &vs->doc, sb_str(sb), row->found && !row->c.pass && !row->c.na ? ST_WARN : ST_NORMAL);
        dl->target = DT_CRITERION;
        dl->code = row->cr->code;
    }
    sb_free(&res);
    sb_free(&text);
}

static void add_notes(struct visit_screen *vs, struct ui *ui, int cols, struct strbuf *sb)
{
    sb_reset(sb);
    tr_addf(sb, M_SEC_NOTES, vs->total_notes);
    doc_section(&vs->doc, cols, sb_str(sb));
    if (!vs->total_notes)
        doc_addf(&vs->doc, ST_DIM, " %s", tr(M_NONE));
    for (size_t i = 0; i < vs->n_notes; i++) {
        struct doc_line *dl;
        sb_reset(sb);
        if (!vs->note_ok[i]) {
            sb_addc(sb, ' ');
            ui_damaged(sb, "notes", vs->note_ids[i]);
            dl = doc_add(&vs->doc, sb_str(sb), ST_WARN);
        } else {
            ui_note_line(ui, sb, &vs->notes[i], cols);
            dl = doc_add(&vs->doc, sb_str(sb), ST_NORMAL);
        }
        dl->target = DT_NOTE;
        dl->id = vs->note_ids[i];
    }
    if (vs->total_notes > vs->n_notes) {
        sb_reset(sb);
        sb_addc(sb, ' ');
        tr_addf(sb, M_MORE, vs->total_notes - vs->n_notes);
        doc_add(&vs->doc, sb_str(sb), ST_DIM);
    }
}

static void add_recs(struct visit_screen *vs, struct ui *ui, int cols, struct strbuf *sb)
{
    static const struct ui_col colv[] = {{10, false}, {13, false}, {14, false}, {0, false}};
    sb_reset(sb);
    tr_addf(sb, M_SEC_RECS, vs->total_recs);
    doc_section(&vs->doc, cols, sb_str(sb));
    if (!vs->total_recs)
        doc_addf(&vs->doc, ST_DIM, " %s", tr(M_NONE));
    for (size_t i = 0; i < vs->n_recs; i++) {
        const struct rec_row *row = &vs->recs[i];
        struct doc_line *dl;
        sb_reset(sb);
        if (!row->ok) {
            sb_addc(sb, ' ');
            ui_damaged(sb, "recs", vs->rec_ids[i]);
            dl = doc_add(&vs->doc, sb_str(sb), ST_WARN);
        } else {
            char d[11];
            bool late = rec_overdue(&row->r, vs->today);
            const char *status = late                       ? tr(M_OVERDUE)
                                 : row->r.status == RS_DONE ? tr(M_REC_DONE)
                                                            : tr(M_REC_OPEN);
            const char *text = row->r.text ? row->r.text : "";
            const char *nl = strchr(text, '\n');
            char *first = xstrndup(text, nl ? (size_t)(nl - text) : strlen(text));
            const char *cells[] = {ui_date(ui, row->r.deadline, d), status, row->unit_name, first};
            ui_cols(sb, cols, colv, 4, cells);
            dl = doc_add(&vs->doc, sb_str(sb), late ? ST_WARN : ST_NORMAL);
            free(first);
        }
        dl->target = DT_REC;
        dl->id = vs->rec_ids[i];
    }
    if (vs->total_recs > vs->n_recs) {
        sb_reset(sb);
        sb_addc(sb, ' ');
        tr_addf(sb, M_MORE, vs->total_recs - vs->n_recs);
        doc_add(&vs->doc, sb_str(sb), ST_DIM);
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
        tr_addf(&sb, M_ERROR, ui_err_text(ui, &vs->err));
        doc_add(d, sb_str(&sb), ST_WARN);
        sb_free(&sb);
        return;
    }
    sb_addf(&sb, "%s (%s)", vs->unit_name,
            ui->vi && vs->unit_form ? vs->unit_form : unit_kind_label(vs->v.unit_kind, ui->vi));
    doc_field(d, cols, lw, tr(M_F_UNIT), sb_str(&sb));
    d->v[d->n - 1].target = DT_UNIT;
    d->v[d->n - 1].id = vs->v.unit;
    doc_field(d, cols, lw, tr(M_F_CODE), vs->v.code);
    sb_reset(&sb);
    sb_adds(&sb, ui_date(ui, vs->v.start, d1));
    if (vs->v.end && vs->v.end != vs->v.start)
        sb_addf(&sb, " – %s", ui_date(ui, vs->v.end, d2));
    doc_field(d, cols, lw, tr(M_F_DATES), sb_str(&sb));
    /* the status, and the day each step was reached */
    sb_reset(&sb);
    sb_adds(&sb, visit_status_label(vs->v.status, ui->vi));
    const cchc_date steps[] = {vs->v.started_on, vs->v.done_on, vs->v.concluded_on};
    bool any = false;
    for (int k = 0; k < 3; k++)
        if (steps[k]) {
            sb_addf(&sb, "%s%s %s", any ? " · " : " (",
                    visit_status_label((enum visit_status)(VS_IN_PROGRESS + k), ui->vi),
                    ui_date(ui, steps[k], d1));
            any = true;
        }
    if (any)
        sb_addc(&sb, ')');
    doc_field(d, cols, lw, tr(M_F_STATUS), sb_str(&sb));
    doc_field(d, cols, lw, tr(M_F_SCOPE), scope_label(vs->v.scope, sc));
    doc_field(d, cols, lw, tr(M_F_PLAN), vs->v.plan);
    doc_field(d, cols, lw, tr(M_F_DECISION), vs->v.decision);
    add_team(vs, cols, &sb);
    add_checklist(vs, ui, cols, &sb);
    add_notes(vs, ui, cols, &sb);
    add_recs(vs, ui, cols, &sb);
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

/* The bottom line offers what the selected line takes: d and E on a
 * note, e on a note, a criterion or a recommendation. */
static bool visit_shows(struct screen *s, struct ui *ui, enum action a)
{
    struct visit_screen *vs = (struct visit_screen *)s;
    const struct doc_line *dl = doc_cursor(&vs->doc, &s->list);
    enum doc_target t = dl ? dl->target : DT_NONE;
    (void)ui;
    switch (a) {
    case ACT_OPEN:
        return t != DT_NONE;
    case ACT_EDIT:
        return t == DT_NOTE || t == DT_CRITERION || t == DT_REC;
    case ACT_DELETE:
    case ACT_EDIT_EXTERNAL:
        return t == DT_NOTE;
    default:
        return true;
    }
}

static bool visit_action(struct screen *s, struct ui *ui, enum action a)
{
    struct visit_screen *vs = (struct visit_screen *)s;
    const struct doc_line *dl = doc_cursor(&vs->doc, &s->list);
    enum doc_target t = dl ? dl->target : DT_NONE;
    if (!vs->ok && a != ACT_OPEN)
        return false;
    switch (a) {
    case ACT_OPEN:
        if (t == DT_NOTE)
            ui_push(ui, scr_note_new(ui, dl->id));
        else if (t == DT_CRITERION)
            ui_check_edit(ui, vs->id, dl->code);
        else if (t == DT_REC)
            ui_rec_edit(ui, vs->id, dl->id, NULL);
        else
            ui_open_target(ui, dl);
        return true;
    case ACT_NOTE_ADD:
    case ACT_EDIT_EXTERNAL:
        if (a == ACT_EDIT_EXTERNAL && t == DT_NOTE)
            ui_note_edit(ui, dl->id, true);
        else if (t == DT_CRITERION)
            ui_note_add(ui, NT_CRITERION, vs->id, dl->code, a == ACT_EDIT_EXTERNAL);
        else
            ui_note_add(ui, NT_VISIT, vs->id, NULL, a == ACT_EDIT_EXTERNAL);
        return true;
    case ACT_EDIT:
        if (t == DT_NOTE)
            ui_note_edit(ui, dl->id, false);
        else if (t == DT_CRITERION)
            ui_check_edit(ui, vs->id, dl->code);
        else if (t == DT_REC)
            ui_rec_edit(ui, vs->id, dl->id, NULL);
        else
            ui_message(ui, "%s", tr(M_NOTHING_HERE));
        return true;
    case ACT_REC_ADD:
        ui_rec_edit(ui, vs->id, 0, NULL);
        return true;
    case ACT_STATUS:
        ui_visit_status(ui, vs->id);
        return true;
    case ACT_REPORT:
        ui_push(ui, scr_report_visit_new(ui, vs->id));
        return true;
    case ACT_DELETE:
        if (t == DT_NOTE)
            ui_note_delete(ui, dl->id);
        else
            ui_message(ui, "%s", tr(M_NOT_A_NOTE));
        return true;
    default:
        return false;
    }
}

static void visit_screen_free(struct screen *s)
{
    struct visit_screen *vs = (struct visit_screen *)s;
    clear(vs);
    doc_free(&vs->doc);
    free(vs);
}

static const struct screen_ops visit_ops = {
    .name = "visit",
    .actions = visit_actions,
    .title = visit_title,
    .load = visit_load,
    .draw = visit_draw,
    .shows = visit_shows,
    .action = visit_action,
    .free = visit_screen_free,
};

struct screen *scr_visit_new(struct ui *ui, uint64_t id)
{
    struct visit_screen *vs = xcalloc(1, sizeof *vs);
    (void)ui;
    vs->base.ops = &visit_ops;
    vs->base.doc = &vs->doc;
    vs->id = id;
    return &vs->base;
}
