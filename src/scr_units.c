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

#include "cchc/search.h"
#include "cchc/ui_screen.h"

struct node {
    uint64_t id;
    int depth;
    bool ok;
    bool expanded;
    size_t n_children;
    struct unit u;
};

/* A unit shown while the tree is filtered: one that holds the words, or
 * one above such a unit; with how many shown units sit right under it. */
struct kept {
    uint64_t id, parent;
    size_t n_children;
};

struct units_screen {
    struct screen base;
    struct node *v;
    size_t n, cap;
    size_t total;                     /* every unit, for the header */
    bool first;                       /* never loaded: open the provinces */
    struct idvec open;                /* ids of expanded units, kept across reloads */
    struct kept *kept;                /* filtered (s->filter): the units shown, by id */
    size_t n_kept, n_sorted, n_match; /* kept[0..n_sorted) are in order */
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

static int kept_cmp(const void *a, const void *b)
{
    uint64_t x = ((const struct kept *)a)->id, y = ((const struct kept *)b)->id;
    return x < y ? -1 : x > y;
}

static struct kept *kept_find(const struct units_screen *us, uint64_t id)
{
    struct kept key = {.id = id};
    return us->n_sorted ? bsearch(&key, us->kept, us->n_sorted, sizeof key, kept_cmp) : NULL;
}

static void kept_add(struct units_screen *us, struct ui *ui, uint64_t id, size_t *cap)
{
    struct unit u;
    struct cchc_err e = {0};
    if (*cap == us->n_kept) {
        *cap = *cap ? 2 * *cap : 64;
        us->kept = xrealloc(us->kept, *cap * sizeof *us->kept);
    }
    memset(&u, 0, sizeof u);
    us->kept[us->n_kept++] = (struct kept){.id = id};
    if (model_unit(ui->m, id, &u, &e) == CCHC_OK) {
        us->kept[us->n_kept - 1].parent = u.parent;
        unit_free(&u);
    }
}

/* The filtered tree's units: those that hold the words (search_list, the
 * same matching as every list) and every unit above them, so that each
 * match shows in its place under its district and province. */
static void keep_matches(struct units_screen *us, struct ui *ui, const char *words)
{
    struct list_query all = {.kind = LIST_UNITS};
    uint64_t *ids = NULL;
    size_t n = 0, cap = 0, done = 0;
    free(us->kept);
    us->kept = NULL;
    us->n_kept = us->n_sorted = us->n_match = 0;
    if (search_list(ui->m, &all, words, &ids, &n, &us->err) != CCHC_OK)
        return;
    for (size_t i = 0; i < n; i++)
        kept_add(us, ui, ids[i], &cap);
    us->n_match = n;
    free(ids);
    /* Add the parents not yet kept, a level at a time (at most 16: a loop
     * in parent links must not hang the screen). */
    for (int level = 0; level < 16 && done < us->n_kept; level++) {
        size_t end = us->n_kept;
        qsort(us->kept, us->n_kept, sizeof *us->kept, kept_cmp);
        us->n_sorted = end;
        for (size_t i = 0; i < end; i++) {
            uint64_t p = us->kept[i].parent;
            if (p && !kept_find(us, p)) {
                bool twice = false; /* siblings share a parent: add it once */
                for (size_t j = end; j < us->n_kept && !twice; j++)
                    twice = us->kept[j].id == p;
                if (!twice)
                    kept_add(us, ui, p, &cap);
            }
        }
        done = end;
    }
    qsort(us->kept, us->n_kept, sizeof *us->kept, kept_cmp);
    us->n_sorted = us->n_kept;
    for (size_t i = 0; i < us->n_kept; i++) {
        struct kept *k = us->kept[i].parent ? kept_find(us, us->kept[i].parent) : NULL;
        if (k)
            k->n_children++;
    }
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
    if (us->base.filter) { /* only the units kept, in the same order */
        size_t k = 0;
        for (size_t i = 0; i < got; i++)
            if (kept_find(us, ids[i]))
                ids[k++] = ids[i];
        got = k;
    }
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
        if (us->base.filter) {
            const struct kept *k = kept_find(us, ids[i]);
            nd->n_children = k ? k->n_children : 0;
        } else {
            nd->n_children = count_children(ui, ids[i]);
        }
    }
    free(ids);
    /* Expand the open ones (filtered: every one), from the last so that
     * positions stay valid. */
    for (size_t i = got; i-- > 0;) {
        struct node *nd = &us->v[at + i];
        if (nd->n_children && (us->base.filter || is_open(us, nd->id))) {
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
    if (s->filter) {
        keep_matches(us, ui, s->filter);
        if (!us->n_kept)
            return;
    }
    insert_children(us, ui, 0, 0, 0);
    for (size_t i = 0; i < us->n; i++)
        if (us->v[i].id == at)
            s->list.cursor = i;
}

static void units_draw(struct screen *s, struct ui *ui, int y0, int rows, int cols)
{
    struct units_screen *us = (struct units_screen *)s;
    static const struct ui_col colv[] = {
        {UI_COL_NAME, false}, {9, false}, {18, false}, {14, false}};
    const char *heads[] = {tr(M_COL_NAME), tr(M_COL_KIND), tr(M_COL_HEAD), tr(M_COL_VALID)};
    const char *open_mark = ui->cfg->ascii ? "- " : "▾ ";
    const char *closed_mark = ui->cfg->ascii ? "+ " : "▸ ";
    struct strbuf line = {0}, name = {0}, valid = {0};

    ui_cols(&line, cols, colv, 4, heads);
    ui_put_row(y0, sb_str(&line), cols, ST_COLHEAD);
    ui_list_set(&s->list, us->n, rows - 1);
    if (us->n == 0) {
        sb_reset(&line);
        if (us->err.code) {
            tr_addf(&line, M_ERROR, ui_err_text(ui, &us->err));
            ui_put_row(y0 + 1, sb_str(&line), cols, ST_WARN);
        } else {
            ui_put_empty(s, y0 + 1, cols, tr(M_EMPTY));
        }
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
    tr_addf(right, M_N_UNITS, s->filter ? us->n_match : us->total);
}

static void expand(struct units_screen *us, struct ui *ui, size_t i)
{
    struct node *nd = &us->v[i];
    if (!nd->n_children || nd->expanded)
        return;
    nd->expanded = true;
    if (!us->base.filter) /* what a filter shows is not the tree's own state */
        set_open(us, nd->id, true);
    insert_children(us, ui, nd->id, nd->depth + 1, i + 1);
}

static void collapse(struct units_screen *us, size_t i)
{
    size_t end = i + 1;
    us->v[i].expanded = false;
    if (!us->base.filter)
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
    free(us->kept);
    idvec_free(&us->open);
    free(us);
}

static const struct screen_ops units_ops = {
    .name = "units",
    .filters = true,
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
