/* scr_units.c — the Units screen (key 1): the province's units as a tree.
 *
 * Province → departments and districts → communes. The province starts
 * expanded, the districts collapsed; with several provinces that have units
 * under them (a national database: 34), they all start collapsed, so that
 * the first screen reads 34 units, not 4,000. Right/l expands, Left/h
 * collapses (or goes to the parent), Space toggles, Enter opens a unit.
 * Only expanded branches are read: each parent's children come from the
 * model's small, already sorted children list, and whether a unit has
 * children at all is an index count. A unit that no longer exists shows the day
 * it ended. When the model changes, the tree is read again with the same
 * branches open and the cursor on the same unit.
 */
#include <stdlib.h>
#include <string.h>

#include "cchc/ui_screen.h"

struct node {
    uint64_t id;
    int depth;
    bool ok;
    bool expanded;
    size_t n_children;
    struct unit u;
};

struct units_screen {
    struct screen base;
    struct node *v;
    size_t n, cap;
    size_t total;      /* every unit, for the header */
    bool first;        /* never loaded: open the provinces */
    struct idvec open; /* ids of expanded units, kept across reloads */
    struct cchc_err err;
};

static const enum action units_actions[] = {ACT_OPEN,     ACT_TOGGLE,   ACT_EXPAND,
                                            ACT_COLLAPSE, ACT_NOTE_ADD, ACT_NONE};

static void node_clear(struct node *nd)
{
    if (nd->ok)
        unit_free(&nd->u);
    memset(nd, 0, sizeof *nd);
}

static void nodes_free(struct units_screen *us)
{
    for (size_t i = 0; i < us->n; i++)
        node_clear(&us->v[i]);
    us->n = 0;
}

static bool is_open(const struct units_screen *us, uint64_t id)
{
    for (size_t i = 0; i < us->open.n; i++)
        if (us->open.v[i] == id)
            return true;
    return false;
}

static void set_open(struct units_screen *us, uint64_t id, bool open)
{
    for (size_t i = 0; i < us->open.n; i++)
        if (us->open.v[i] == id) {
            if (!open)
                us->open.v[i] = us->open.v[--us->open.n];
            return;
        }
    if (open)
        idvec_push(&us->open, id);
}

static size_t count_children(struct ui *ui, uint64_t id)
{
    struct list_query q = {.kind = LIST_UNIT_CHILDREN, .arg = id};
    size_t got = 0, count = 0;
    struct cchc_err e = {0};
    if (model_list(ui->m, &q, 0, 0, NULL, &got, &count, &e) != CCHC_OK)
        return 0;
    return count;
}

/* Insert the children of parent (0 = the top level) at position at, with
 * the open ones expanded in turn. Returns how many rows were inserted. */
static size_t insert_children(struct units_screen *us, struct ui *ui, uint64_t parent, int depth,
                              size_t at)
{
    struct list_query q = {.kind = LIST_UNIT_CHILDREN, .arg = parent};
    size_t got = 0, count = 0, added = 0;
    uint64_t *ids;

    if (depth > 16) /* a loop in parent links must not hang the screen */
        return 0;
    if (model_list(ui->m, &q, 0, 0, NULL, &got, &count, &us->err) != CCHC_OK || count == 0)
        return 0;
    ids = xcalloc(count, sizeof *ids);
    if (model_list(ui->m, &q, 0, count, ids, &got, &count, &us->err) != CCHC_OK)
        got = 0;
    if (us->n + got > us->cap) {
        us->cap = us->n + got + 64;
        us->v = xrealloc(us->v, us->cap * sizeof *us->v);
    }
    memmove(&us->v[at + got], &us->v[at], (us->n - at) * sizeof *us->v);
    us->n += got;
    for (size_t i = 0; i < got; i++) {
        struct node *nd = &us->v[at + i];
        struct cchc_err e = {0};
        memset(nd, 0, sizeof *nd);
        nd->id = ids[i];
        nd->depth = depth;
        nd->ok = model_unit(ui->m, ids[i], &nd->u, &e) == CCHC_OK;
        nd->n_children = count_children(ui, ids[i]);
    }
    free(ids);
    /* Expand the open ones, from the last so that positions stay valid. */
    for (size_t i = got; i-- > 0;) {
        struct node *nd = &us->v[at + i];
        if (nd->n_children && is_open(us, nd->id)) {
            nd->expanded = true;
            added += insert_children(us, ui, nd->id, depth + 1, at + i + 1);
        }
    }
    return got + added;
}

static void units_load(struct screen *s, struct ui *ui)
{
    struct units_screen *us = (struct units_screen *)s;
    struct list_query all = {.kind = LIST_UNITS};
    uint64_t at = us->n && s->list.cursor < us->n ? us->v[s->list.cursor].id : 0;
    size_t got;

    err_clear(&us->err);
    nodes_free(us);
    model_list(ui->m, &all, 0, 0, NULL, &got, &us->total, &us->err);
    if (us->first) {
        /* Open the province the first time: the one top-level unit with
         * units under it (a merged-away province beside it has none). */
        struct list_query q = {.kind = LIST_UNIT_CHILDREN, .arg = 0};
        uint64_t ids[16], parent = 0;
        size_t count = 0, parents = 0;
        if (model_list(ui->m, &q, 0, 16, ids, &got, &count, &us->err) == CCHC_OK)
            for (size_t i = 0; i < got && count <= 16; i++)
                if (count_children(ui, ids[i])) {
                    parent = ids[i];
                    parents++;
                }
        if (parents == 1)
            set_open(us, parent, true);
        us->first = false;
    }
    insert_children(us, ui, 0, 0, 0);
    for (size_t i = 0; i < us->n; i++)
        if (us->v[i].id == at)
            s->list.cursor = i;
}

static void units_draw(struct screen *s, struct ui *ui, int y0, int rows, int cols)
{
    struct units_screen *us = (struct units_screen *)s;
    static const struct ui_col colv[] = {{0, false}, {9, false}, {18, false}, {14, false}};
    const char *heads[] = {tr(M_COL_NAME), tr(M_COL_KIND), tr(M_COL_HEAD), tr(M_COL_VALID)};
    const char *open_mark = ui->cfg->ascii ? "- " : "▾ ";
    const char *closed_mark = ui->cfg->ascii ? "+ " : "▸ ";
    struct strbuf line = {0}, name = {0}, valid = {0};

    ui_cols(&line, cols, colv, 4, heads);
    ui_put_row(y0, sb_str(&line), cols, ST_COLHEAD);
    ui_list_set(&s->list, us->n, rows - 1);
    if (us->n == 0) {
        sb_reset(&line);
        if (us->err.code)
            tr_addf(&line, M_ERROR, ui_err_text(ui, &us->err));
        else
            sb_adds(&line, tr(M_EMPTY));
        ui_put_row(y0 + 1, sb_str(&line), cols, us->err.code ? ST_WARN : ST_NORMAL);
    }
    for (int r = 0; r < rows - 1; r++) {
        size_t i = s->list.top + (size_t)r;
        if (i >= us->n)
            break;
        const struct node *nd = &us->v[i];
        bool sel = i == s->list.cursor;
        sb_reset(&line);
        sb_reset(&name);
        sb_reset(&valid);
        sb_addf(&name, "%*s%s", 2 * nd->depth, "",
                !nd->n_children ? "  "
                : nd->expanded  ? open_mark
                                : closed_mark);
        if (!nd->ok) {
            sb_addc(&line, ' ');
            sb_adds(&line, sb_str(&name));
            ui_damaged(&line, "units", nd->id);
            ui_put_row(y0 + 1 + r, sb_str(&line), cols, sel ? ST_CURSOR : ST_WARN);
            continue;
        }
        sb_adds(&name, nd->u.name);
        if (nd->u.valid_to) {
            char d[11];
            tr_addf(&valid, M_UNTIL, ui_date(ui, nd->u.valid_to, d));
        }
        /* The form (data, in Vietnamese) says more than the kind: "thành phố". */
        const char *kind =
            ui->vi && nd->u.form && *nd->u.form ? nd->u.form : unit_kind_label(nd->u.kind, ui->vi);
        const char *cells[] = {sb_str(&name), kind, nd->u.head.name, sb_str(&valid)};
        ui_cols(&line, cols, colv, 4, cells);
        ui_put_row(y0 + 1 + r, sb_str(&line), cols, sel ? ST_CURSOR : ST_NORMAL);
    }
    sb_free(&line);
    sb_free(&name);
    sb_free(&valid);
}

static void units_title(struct screen *s, struct ui *ui, struct strbuf *left, struct strbuf *right)
{
    struct units_screen *us = (struct units_screen *)s;
    (void)ui;
    sb_adds(left, tr(M_UNITS));
    tr_addf(right, M_N_UNITS, us->total);
}

static void expand(struct units_screen *us, struct ui *ui, size_t i)
{
    struct node *nd = &us->v[i];
    if (!nd->n_children || nd->expanded)
        return;
    nd->expanded = true;
    set_open(us, nd->id, true);
    insert_children(us, ui, nd->id, nd->depth + 1, i + 1);
}

static void collapse(struct units_screen *us, size_t i)
{
    size_t end = i + 1;
    us->v[i].expanded = false;
    set_open(us, us->v[i].id, false);
    while (end < us->n && us->v[end].depth > us->v[i].depth)
        node_clear(&us->v[end++]);
    memmove(&us->v[i + 1], &us->v[end], (us->n - end) * sizeof *us->v);
    us->n -= end - (i + 1);
}

static bool units_action(struct screen *s, struct ui *ui, enum action a)
{
    struct units_screen *us = (struct units_screen *)s;
    size_t i = s->list.cursor;
    if (i >= us->n)
        return a == ACT_OPEN || a == ACT_TOGGLE || a == ACT_EXPAND || a == ACT_COLLAPSE ||
               a == ACT_NOTE_ADD;
    struct node *nd = &us->v[i];
    switch (a) {
    case ACT_NOTE_ADD:
        if (!nd->ok)
            ui_message(ui, "%s", tr(M_DAMAGED_OPEN));
        else
            ui_note_add(ui, NT_UNIT, nd->id, NULL, false);
        return true;
    case ACT_OPEN:
        if (!nd->ok)
            ui_message(ui, "%s", tr(M_DAMAGED_OPEN));
        else
            ui_push(ui, scr_unit_new(ui, nd->id));
        return true;
    case ACT_TOGGLE:
        if (nd->expanded)
            collapse(us, i);
        else
            expand(us, ui, i);
        break;
    case ACT_EXPAND:
        if (nd->expanded && i + 1 < us->n && us->v[i + 1].depth > nd->depth)
            s->list.cursor = i + 1; /* already open: go to its first child */
        else
            expand(us, ui, i);
        break;
    case ACT_COLLAPSE:
        if (nd->expanded) {
            collapse(us, i);
        } else {
            while (i > 0 && us->v[i].depth >= nd->depth && nd->depth > 0)
                i--;
            s->list.cursor = i; /* to the parent */
        }
        break;
    default:
        return false;
    }
    ui_list_set(&s->list, us->n, s->list.height);
    return true;
}

static void units_free(struct screen *s)
{
    struct units_screen *us = (struct units_screen *)s;
    nodes_free(us);
    free(us->v);
    idvec_free(&us->open);
    free(us);
}

static const struct screen_ops units_ops = {
    .name = "units",
    .actions = units_actions,
    .title = units_title,
    .load = units_load,
    .draw = units_draw,
    .action = units_action,
    .free = units_free,
};

struct screen *scr_units_new(struct ui *ui)
{
    struct units_screen *us = xcalloc(1, sizeof *us);
    (void)ui;
    us->base.ops = &units_ops;
    us->first = true;
    return &us->base;
}
