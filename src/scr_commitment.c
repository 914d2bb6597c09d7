/* scr_commitment.c — one commitment: who signed it and with whom, when, for
 * which years, and its items (index component, what the unit commits to,
 * target, due date, status).
 *
 * load() copies the commitment, the two units' names and the items (a
 * commitment has a handful) with the notes on each; draw() lays them out
 * for the width. Enter on an item opens its index component; on the unit
 * line, the unit; on a note, the note. On an item, a adds a note and e
 * edits its status and progress.
 */
#include <stdlib.h>
#include <string.h>

#include "cchc/ui_screen.h"

#define MAX_ITEMS 500

struct commitment_screen {
    struct screen base;
    uint64_t id;
    bool ok;
    struct commitment c;
    char *unit_name, *counter_name;
    uint64_t *iids;
    bool *i_ok;
    struct commitment_item *items;
    struct ui_notes *notes; /* per item */
    size_t n_items, total_items;
    struct ui_doc doc;
    struct cchc_err err;
};

static const enum action commitment_actions[] = {ACT_OPEN,   ACT_NOTE_ADD,      ACT_EDIT,
                                                 ACT_DELETE, ACT_EDIT_EXTERNAL, ACT_NONE};

static void clear(struct commitment_screen *cs)
{
    if (cs->ok)
        commitment_free(&cs->c);
    cs->ok = false;
    for (size_t i = 0; i < cs->n_items; i++) {
        if (cs->i_ok[i])
            item_free(&cs->items[i]);
        ui_notes_clear(&cs->notes[i]);
    }
    free(cs->notes);
    cs->notes = NULL;
    free(cs->unit_name);
    free(cs->counter_name);
    free(cs->iids);
    free(cs->i_ok);
    free(cs->items);
    cs->unit_name = cs->counter_name = NULL;
    cs->iids = NULL;
    cs->i_ok = NULL;
    cs->items = NULL;
    cs->n_items = cs->total_items = 0;
}

static char *name_of(struct ui *ui, uint64_t id)
{
    struct unit u;
    struct cchc_err e = {0};
    struct strbuf sb = {0};
    if (!id)
        return NULL;
    memset(&u, 0, sizeof u);
    if (model_unit(ui->m, id, &u, &e) == CCHC_OK) {
        char *n = xstrdup(u.name);
        unit_free(&u);
        return n;
    }
    ui_damaged(&sb, "units", id);
    return sb_detach(&sb);
}

static void commitment_load(struct screen *s, struct ui *ui)
{
    struct commitment_screen *cs = (struct commitment_screen *)s;
    struct list_query q = {.kind = LIST_COMMITMENT_ITEMS, .arg = cs->id};
    struct cchc_err e = {0};

    clear(cs);
    err_clear(&cs->err);
    memset(&cs->c, 0, sizeof cs->c);
    cs->ok = model_commitment(ui->m, cs->id, &cs->c, &cs->err) == CCHC_OK;
    if (!cs->ok)
        return;
    cs->unit_name = name_of(ui, cs->c.unit);
    cs->counter_name = name_of(ui, cs->c.counter_unit);
    cs->iids = xcalloc(MAX_ITEMS, sizeof *cs->iids);
    if (model_list(ui->m, &q, 0, MAX_ITEMS, cs->iids, &cs->n_items, &cs->total_items, &e) !=
        CCHC_OK)
        cs->n_items = cs->total_items = 0;
    cs->items = xcalloc(cs->n_items + 1, sizeof *cs->items);
    cs->i_ok = xcalloc(cs->n_items + 1, sizeof *cs->i_ok);
    cs->notes = xcalloc(cs->n_items + 1, sizeof *cs->notes);
    for (size_t i = 0; i < cs->n_items; i++) {
        cs->i_ok[i] = model_item(ui->m, cs->iids[i], &cs->items[i], &e) == CCHC_OK;
        ui_notes_load(ui, &cs->notes[i], NT_ITEM, cs->iids[i], 20);
    }
}

static void person_text(struct strbuf *sb, const struct person *p, const char *unit)
{
    sb_reset(sb);
    if (p->name && *p->name)
        sb_adds(sb, p->name);
    if (p->title && *p->title)
        sb_addf(sb, "%s%s", sb->len ? ", " : "", p->title);
    if (unit && *unit && !(p->title && strstr(p->title, unit)))
        sb_addf(sb, "%s%s", sb->len ? " — " : "", unit);
}

static void add_item(struct commitment_screen *cs, struct ui *ui, int cols, size_t i,
                     struct strbuf *sb)
{
    static const struct ui_col colv[] = {{14, false}, {10, false}, {0, false}};
    const struct commitment_item *it = &cs->items[i];
    const struct index_def *idx = NULL;
    const struct area *area = NULL;
    const struct component *comp = NULL;
    const char *code = NULL;
    struct strbuf target = {0};
    char d[11];
    size_t first = cs->doc.n;

    sb_reset(sb);
    if (!cs->i_ok[i]) {
        sb_addc(sb, ' ');
        ui_damaged(sb, "items", cs->iids[i]);
        doc_add(&cs->doc, sb_str(sb), ST_WARN);
        ui_notes_doc(ui, &cs->doc, cols, &cs->notes[i], false);
        return;
    }
    if (config_find_code(ui->cfg, it->component, &idx, &area, &comp))
        code = comp ? comp->code : area ? area->code : idx ? idx->code : NULL;
    sb_addf(&target, "%s: %s", tr(M_COL_TARGET), it->target ? it->target : "–");
    const char *cells[] = {it->component, ui_date(ui, it->due, d),
                           item_status_label(it->status, ui->vi)};
    ui_cols(sb, cols, colv, 3, cells);
    doc_add(&cs->doc, sb_str(sb), ST_COLHEAD);
    doc_wrap(&cs->doc, cols, 3, it->text, ST_NORMAL);
    doc_wrap(&cs->doc, cols, 3, sb_str(&target), ST_NORMAL);
    if (it->progress && *it->progress)
        doc_wrap(&cs->doc, cols, 3, it->progress, ST_DIM);
    for (size_t k = first; k < cs->doc.n; k++) {
        cs->doc.v[k].target = DT_ITEM;
        cs->doc.v[k].id = cs->iids[i];
        cs->doc.v[k].code = code;
    }
    ui_notes_doc(ui, &cs->doc, cols, &cs->notes[i], false);
    sb_free(&target);
}

static void build(struct commitment_screen *cs, struct ui *ui, int cols)
{
    struct ui_doc *d = &cs->doc;
    struct strbuf sb = {0};
    char d1[11];
    const int lw = 16;

    doc_clear(d);
    if (!cs->ok) {
        sb_addc(&sb, ' ');
        tr_addf(&sb, M_ERROR, ui_err_text(ui, &cs->err));
        doc_add(d, sb_str(&sb), ST_WARN);
        sb_free(&sb);
        return;
    }
    doc_wrap(d, cols, 1, cs->c.title, ST_SECTION);
    doc_field(d, cols, lw, tr(M_F_CODE), cs->c.code);
    doc_field(d, cols, lw, tr(M_F_UNIT), cs->unit_name);
    d->v[d->n - 1].target = DT_UNIT;
    d->v[d->n - 1].id = cs->c.unit;
    person_text(&sb, &cs->c.signer, NULL);
    doc_field(d, cols, lw, tr(M_F_SIGNER), sb_str(&sb));
    person_text(&sb, &cs->c.countersigner, cs->counter_name);
    doc_field(d, cols, lw, tr(M_F_COUNTERSIGNER), sb_str(&sb));
    doc_field(d, cols, lw, tr(M_F_SIGNED), ui_date(ui, cs->c.signed_on, d1));
    sb_reset(&sb);
    if (cs->c.period_from || cs->c.period_to)
        sb_addf(&sb, "%d–%d", cs->c.period_from, cs->c.period_to);
    doc_field(d, cols, lw, tr(M_F_PERIOD), sb_str(&sb));

    sb_reset(&sb);
    tr_addf(&sb, M_SEC_ITEMS, cs->total_items);
    doc_section(d, cols, sb_str(&sb));
    if (!cs->total_items)
        doc_addf(d, ST_DIM, " %s", tr(M_NONE));
    for (size_t i = 0; i < cs->n_items; i++)
        add_item(cs, ui, cols, i, &sb);
    if (cs->total_items > cs->n_items) {
        sb_reset(&sb);
        sb_addc(&sb, ' ');
        tr_addf(&sb, M_MORE, cs->total_items - cs->n_items);
        doc_add(d, sb_str(&sb), ST_DIM);
    }
    sb_free(&sb);
}

static void commitment_draw(struct screen *s, struct ui *ui, int y0, int rows, int cols)
{
    struct commitment_screen *cs = (struct commitment_screen *)s;
    build(cs, ui, cols);
    doc_draw(&cs->doc, &s->list, y0, rows, cols);
}

static void commitment_title(struct screen *s, struct ui *ui, struct strbuf *left,
                             struct strbuf *right)
{
    struct commitment_screen *cs = (struct commitment_screen *)s;
    char d[11];
    sb_adds(left, tr(M_COMMITMENTS));
    if (cs->ok) {
        sb_addf(left, " · %s · %s", cs->c.code, ui_date(ui, cs->c.signed_on, d));
        tr_addf(right, M_N_ITEMS, cs->total_items);
    }
}

static bool commitment_action(struct screen *s, struct ui *ui, enum action a)
{
    struct commitment_screen *cs = (struct commitment_screen *)s;
    const struct doc_line *dl = doc_cursor(&cs->doc, &s->list);
    bool item = dl && dl->target == DT_ITEM;
    if (ui_note_action(ui, dl, a))
        return true;
    switch (a) {
    case ACT_OPEN:
        ui_open_target(ui, dl);
        return true;
    case ACT_NOTE_ADD:
    case ACT_EDIT_EXTERNAL:
        if (item)
            ui_note_add(ui, NT_ITEM, dl->id, NULL, a == ACT_EDIT_EXTERNAL);
        else
            ui_message(ui, "%s", tr(M_NOTHING_HERE));
        return true;
    case ACT_EDIT:
        if (item)
            ui_item_edit(ui, dl->id);
        else
            ui_message(ui, "%s", tr(M_NOTHING_HERE));
        return true;
    case ACT_DELETE:
        ui_message(ui, "%s", tr(M_NOT_A_NOTE));
        return true;
    default:
        return false;
    }
}

static void commitment_free_screen(struct screen *s)
{
    struct commitment_screen *cs = (struct commitment_screen *)s;
    clear(cs);
    doc_free(&cs->doc);
    free(cs);
}

static const struct screen_ops commitment_ops = {
    .name = "commitment",
    .actions = commitment_actions,
    .title = commitment_title,
    .load = commitment_load,
    .draw = commitment_draw,
    .action = commitment_action,
    .free = commitment_free_screen,
};

struct screen *scr_commitment_new(struct ui *ui, uint64_t id)
{
    struct commitment_screen *cs = xcalloc(1, sizeof *cs);
    (void)ui;
    cs->base.ops = &commitment_ops;
    cs->base.doc = &cs->doc;
    cs->id = id;
    return &cs->base;
}
