/* scr_note.c — writing notes: the note editor (a modal over the screen,
 * around the ui_edit widget), its drafts, the keep-or-discard question,
 * conflicts, deleting; and the note screen (Enter on a note: the whole
 * text and every earlier version).
 *
 * Nothing typed may be lost:
 *  - while the editor is open its text is kept as a draft (model_draft_save)
 *    at most every 3 seconds while it changes, when the user pauses (a
 *    tick), and at once when the session ends (hangup: a signal, the
 *    terminal gone);
 *  - each editor keeps its draft under a key of its own (the place and a
 *    session mark, draft_session_key), so that two sessions of one login
 *    at one place (an SSH reconnect while the old session hangs) keep two
 *    drafts, and both are offered back at the next start;
 *  - an editor that goes on from a draft (offered back, or found at the
 *    place: the newest) deletes that draft once its own draft or the note
 *    is saved, so that the text is always in one of them;
 *  - saving or discarding deletes the draft; leaving with Esc asks first;
 *  - a save over a note someone else saved meanwhile (CCHC_ECONFLICT) shows
 *    both versions: keep mine saves again over theirs, keep theirs keeps
 *    mine as a draft, edit puts both texts in the editor.
 * Permissions are the model's: the editor opens only when model_may()
 * says yes, and a refused save leaves the text in the editor.
 * The model is never called with anything held open while the user types:
 * every call is one short transaction of its own.
 */
#include <stdlib.h>
#include <string.h>

#include "cchc/ui_edit.h"
#include "cchc/ui_screen.h"

#define DRAFT_EVERY 3.0 /* seconds between drafts while typing */

struct note_editor {
    struct ui_modal base;
    struct ui_edit *ed;
    bool is_new;
    enum note_target target; /* new notes */
    uint64_t target_id;
    char *criterion;
    uint64_t note_id; /* edited notes */
    uint32_t base_rev;
    char *draft_key, *draft_label; /* this editor's own draft */
    char *draft_from;              /* the draft it went on from, until its text is kept elsewhere */
    uint64_t saved_changes;        /* editbuf_changes() at the last draft */
    double saved_at;
    bool unsaved; /* the text came from a draft: not saved even if untouched */
    struct note theirs;
    bool has_theirs;
};

static const enum action editor_actions[] = {ACT_ED_SAVE, ACT_ED_CANCEL, ACT_ED_EXTERNAL, ACT_NONE};

/* ---- drafts ---- */

static void draft_keep(struct note_editor *ne, struct ui *ui)
{
    struct cchc_err e = {0};
    char *text = editbuf_get_nfc(ui_edit_buf(ne->ed));
    if (model_draft_save(ui->m, ne->draft_key, ne->draft_label, text, ne->base_rev, &e) ==
        CCHC_OK) {
        ne->saved_changes = editbuf_changes(ui_edit_buf(ne->ed));
        ne->saved_at = ui_clock();
        /* the draft it went on from is in this one now */
        if (ne->draft_from && model_draft_delete(ui->m, ne->draft_from, &e) == CCHC_OK) {
            free(ne->draft_from);
            ne->draft_from = NULL;
        }
    }
    free(text);
}

static void draft_drop(struct note_editor *ne, struct ui *ui)
{
    struct cchc_err e = {0};
    model_draft_delete(ui->m, ne->draft_key, &e);
    if (ne->draft_from)
        model_draft_delete(ui->m, ne->draft_from, &e);
    free(ne->draft_from);
    ne->draft_from = NULL;
}

static bool changed_since_draft(struct note_editor *ne)
{
    return editbuf_changes(ui_edit_buf(ne->ed)) != ne->saved_changes;
}

/* ---- the editor modal ---- */

/* Editors open (several when drafts are offered back): the terminal
 * leaves the editor's modes when the last one closes. */
static int editors_open;

static void editor_close(struct note_editor *ne)
{
    if (ne->base.done)
        return;
    ne->base.done = true;
    if (--editors_open == 0)
        ui_edit_term_end();
}

static void editor_draw(struct ui_modal *md, struct ui *ui, int y0, int rows, int cols)
{
    struct note_editor *ne = (struct note_editor *)md;
    int y, x;
    ui_edit_draw(ne->ed, stdscr, y0, 0, rows, cols);
    getyx(stdscr, y, x);
    ui->cur_y = y;
    ui->cur_x = x;
}

static void editor_tick(struct ui_modal *md, struct ui *ui, bool idle)
{
    struct note_editor *ne = (struct note_editor *)md;
    if (idle)
        ui_edit_key(ne->ed, -1); /* ends a paste whose end never came */
    if (!changed_since_draft(ne))
        return;
    if (idle || ui_clock() - ne->saved_at >= DRAFT_EVERY) {
        draft_keep(ne, ui);
        /* until the next key; never over a message that matters more (what
         * a paste left out) */
        if (!*ui_edit_message(ne->ed))
            ui_edit_set_message(ne->ed, tr(M_DRAFT_SAVED));
    }
}

static void editor_hangup(struct ui_modal *md, struct ui *ui)
{
    struct note_editor *ne = (struct note_editor *)md;
    if (changed_since_draft(ne))
        draft_keep(ne, ui);
}

static bool blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\n' && *s != '\t')
            return false;
    return true;
}

static void show_conflict(struct note_editor *ne, struct ui *ui, const char *mine);

/* Save the text; true when it was saved and the editor is closed. */
static bool editor_save(struct note_editor *ne, struct ui *ui)
{
    struct cchc_err err = {0};
    char *text = editbuf_get_nfc(ui_edit_buf(ne->ed));
    int rc;
    if (blank(text)) {
        ui_edit_set_message(ne->ed, tr(M_EMPTY_TEXT));
        free(text);
        return false;
    }
    if (ne->is_new) {
        struct note n = {.target = ne->target,
                         .target_id = ne->target_id,
                         .criterion = ne->criterion,
                         .text = text};
        rc = model_note_add(ui->m, &n, &err);
        if (rc == CCHC_OK) {
            free(n.author);
            free(n.m.mby);
        }
    } else {
        if (ne->has_theirs)
            note_free(&ne->theirs);
        memset(&ne->theirs, 0, sizeof ne->theirs);
        ne->has_theirs = false;
        rc = model_note_edit(ui->m, ne->note_id, ne->base_rev, text, &ne->theirs, &err);
        if (rc == CCHC_ECONFLICT) {
            ne->has_theirs = true;
            show_conflict(ne, ui, text);
            free(text);
            return false;
        }
    }
    free(text);
    if (rc != CCHC_OK) { /* refused or failed: the text stays in the editor */
        ui_edit_set_message(ne->ed, ui_err_text(ui, &err));
        ui_error(ui, &err);
        return false;
    }
    draft_drop(ne, ui);
    editor_close(ne);
    ui_message(ui, "%s", tr(M_SAVED));
    return true;
}

/* ---- conflicts ---- */

static void on_conflict(struct ui *ui, void *ctx, int choice)
{
    struct note_editor *ne = ctx;
    if (!ne->has_theirs)
        return;
    switch (choice) {
    case 0: /* keep mine: save again over their revision */
        ne->base_rev = ne->theirs.m.rev;
        editor_save(ne, ui);
        break;
    case 1: { /* keep theirs: mine stays as a draft, nothing is lost */
        struct strbuf sb = {0};
        tr_addf(&sb, M_KEPT_THEIRS, ne->theirs.m.mby ? ne->theirs.m.mby : "?");
        ne->base_rev = ne->theirs.m.rev;
        draft_keep(ne, ui);
        editor_close(ne);
        ui_message(ui, "%s", sb_str(&sb));
        sb_free(&sb);
        break;
    }
    case 2: { /* edit: both texts in the editor, saved over theirs */
        struct strbuf sb = {0};
        char *mine = editbuf_get_nfc(ui_edit_buf(ne->ed));
        sb_adds(&sb, mine);
        sb_adds(&sb, "\n");
        tr_addf(&sb, M_BOTH_THEIRS, ne->theirs.m.mby ? ne->theirs.m.mby : "?");
        sb_addf(&sb, "\n%s", ne->theirs.text ? ne->theirs.text : "");
        editbuf_replace(ui_edit_buf(ne->ed), sb_str(&sb));
        ne->base_rev = ne->theirs.m.rev;
        free(mine);
        sb_free(&sb);
        break;
    }
    default: /* back to the editor; saving will ask again */
        break;
    }
}

static void show_conflict(struct note_editor *ne, struct ui *ui, const char *mine)
{
    struct strbuf sb = {0};
    char t[17];
    const struct ui_option opts[] = {ui_opt(ui, M_OPT_KEEP_MINE), ui_opt(ui, M_OPT_KEEP_THEIRS),
                                     ui_opt(ui, M_OPT_EDIT_BOTH)};
    int64_t when = ne->theirs.edited ? ne->theirs.edited : ne->theirs.created;
    sb_addf(&sb, "%s:\n%s\n\n", tr(M_MINE), mine);
    tr_addf(&sb, M_THEIRS, ne->theirs.m.mby ? ne->theirs.m.mby : "?", ui_time(ui, when, t));
    sb_addf(&sb, ":\n%s", ne->theirs.text ? ne->theirs.text : "");
    ui_choose(ui, tr(M_CONFLICT), sb_str(&sb), opts, 3, 0, on_conflict, ne, NULL);
    sb_free(&sb);
}

/* ---- leaving ---- */

static void on_close(struct ui *ui, void *ctx, int choice)
{
    struct note_editor *ne = ctx;
    if (choice == 0) {
        editor_save(ne, ui);
    } else if (choice == 1) {
        draft_drop(ne, ui);
        editor_close(ne);
        ui_message(ui, "%s", tr(M_DISCARDED));
    }
}

static void editor_cancel(struct note_editor *ne, struct ui *ui)
{
    const struct ui_option opts[] = {ui_opt(ui, M_OPT_SAVE), ui_opt(ui, M_OPT_DISCARD),
                                     ui_opt(ui, M_OPT_GO_ON)};
    if (!editbuf_modified(ui_edit_buf(ne->ed)) && !ne->unsaved) {
        draft_drop(ne, ui); /* a draft of an unchanged text is nothing */
        editor_close(ne);
        return;
    }
    ui_choose(ui, tr(M_KEEP_OR), tr(M_ASK_CLOSE), opts, 3, 0, on_close, ne, NULL);
}

/* The round trip through $VISUAL/$EDITOR; after it the text is saved. */
static void editor_external(struct note_editor *ne, struct ui *ui)
{
    struct cchc_err err = {0};
    uint64_t before = editbuf_changes(ui_edit_buf(ne->ed));
    int rc = ui_edit_run_external(ne->ed, &err);
    ui->redraw_all = true;
    if (rc != CCHC_OK) {
        struct strbuf sb = {0};
        tr_addf(&sb, M_EDITOR_FAILED, ui_err_text(ui, &err));
        ui_message(ui, "%s", sb_str(&sb));
        sb_free(&sb);
        return;
    }
    if (editbuf_changes(ui_edit_buf(ne->ed)) != before) {
        draft_keep(ne, ui);
        editor_save(ne, ui);
    }
}

static void editor_key(struct ui_modal *md, struct ui *ui, int key)
{
    struct note_editor *ne = (struct note_editor *)md;
    /* with the keys already waiting: a paste is taken, and drawn, at once */
    switch (ui_edit_feed(ne->ed, stdscr, key)) {
    case UE_SAVE:
        editor_save(ne, ui);
        break;
    case UE_CANCEL:
        editor_cancel(ne, ui);
        break;
    case UE_EXTERNAL:
        editor_external(ne, ui);
        break;
    case UE_CHANGED:
    case UE_NONE:
        break;
    }
}

static void editor_free(struct ui_modal *md)
{
    struct note_editor *ne = (struct note_editor *)md;
    if (!ne->base.done && --editors_open == 0) /* freed at the end of a session */
        ui_edit_term_end();
    ui_edit_free(ne->ed);
    if (ne->has_theirs)
        note_free(&ne->theirs);
    free(ne->criterion);
    free(ne->draft_key);
    free(ne->draft_label);
    free(ne->draft_from);
    free(ne);
}

static const struct modal_ops editor_ops = {
    .name = "note editor",
    .draw = editor_draw,
    .key = editor_key,
    .tick = editor_tick,
    .hangup = editor_hangup,
    .free = editor_free,
    .actions = editor_actions,
};

/* Open the editor at place. text: what to start from; a draft wins over
 * it: from (a draft offered back), else the newest this login left at the
 * place (a lost session, or a conflict's "keep theirs"). */
static struct note_editor *editor_open(struct ui *ui, const char *title, const char *text,
                                       const char *place, const char *draft_label,
                                       const struct draft *from)
{
    struct note_editor *ne = xcalloc(1, sizeof *ne);
    struct draft d = {0};
    struct cchc_err e = {0};
    bool found = false;
    ne->base.ops = &editor_ops;
    ne->draft_key = draft_session_key(place);
    ne->draft_label = xstrdup(draft_label);
    if (!from && model_draft_find(ui->m, place, &d, &found, &e) == CCHC_OK && found)
        from = &d;
    if (from) {
        ne->ed = ui_edit_new(title, from->text, NOTE_MAX_BYTES, ui->vi);
        ne->unsaved = true;
        ne->base_rev = from->base_rev;
        ne->draft_from = xstrdup(from->key);
    } else {
        ne->ed = ui_edit_new(title, text, NOTE_MAX_BYTES, ui->vi);
    }
    if (found)
        draft_free(&d);
    ne->saved_changes = editbuf_changes(ui_edit_buf(ne->ed));
    ne->saved_at = ui_clock();
    if (editors_open++ == 0)
        ui_edit_term_begin();
    ui_modal_push(ui, &ne->base);
    return ne;
}

/* "đợt KT-2022-03", "đợt KT-2022-03, tiêu chí CD.1", a unit's name... */
static void describe_target(struct ui *ui, enum note_target t, uint64_t id, const char *crit,
                            struct strbuf *out)
{
    struct cchc_err e = {0};
    if (t == NT_VISIT || t == NT_CRITERION) {
        struct visit v = {0};
        const char *code = "?";
        bool ok = model_visit(ui->m, id, &v, &e) == CCHC_OK;
        if (ok)
            code = v.code;
        if (t == NT_VISIT)
            tr_addf(out, M_ON_VISIT, code);
        else
            tr_addf(out, M_ON_CRITERION, code, crit ? crit : "?");
        if (ok)
            visit_free(&v);
    } else if (t == NT_UNIT) {
        struct unit u = {0};
        if (model_unit(ui->m, id, &u, &e) == CCHC_OK) {
            sb_adds(out, u.name);
            unit_free(&u);
        } else {
            ui_damaged(out, "units", id);
        }
    } else {
        tr_addf(out, M_ON_ITEM, (unsigned long long)id);
    }
}

static void new_draft_key(struct strbuf *sb, enum note_target t, uint64_t id, const char *crit)
{
    static const char *const names[] = {
        [NT_VISIT] = "visit", [NT_CRITERION] = "crit", [NT_UNIT] = "unit", [NT_ITEM] = "item"};
    sb_addf(sb, "note:new:%s:%llu", names[t], (unsigned long long)id);
    if (t == NT_CRITERION)
        sb_addf(sb, ":%s", crit ? crit : "");
}

/* May this login add a note there? On a visit or a criterion the model
 * needs the visit (the team). */
static bool may_add(struct ui *ui, enum note_target t, uint64_t id)
{
    struct cchc_err err = {0};
    struct visit v = {0};
    bool have_visit = false;
    int rc;
    if (t == NT_VISIT || t == NT_CRITERION) {
        if (model_visit(ui->m, id, &v, &err) != CCHC_OK) {
            ui_error(ui, &err);
            return false;
        }
        have_visit = true;
    }
    rc = model_may(ui->m, PERM_NOTE_ADD, have_visit ? &v : NULL, NULL, &err);
    if (have_visit)
        visit_free(&v);
    if (rc != CCHC_OK) {
        ui_error(ui, &err);
        return false;
    }
    return true;
}

/* A new note there, going on from draft from (NULL: a draft left at the
 * place, if any). */
static void note_add_from(struct ui *ui, enum note_target t, uint64_t target_id,
                          const char *criterion, const struct draft *from, bool external)
{
    struct strbuf key = {0}, about = {0}, title = {0};
    if (t < NT_VISIT || t > NT_ITEM || !may_add(ui, t, target_id))
        return;
    new_draft_key(&key, t, target_id, criterion);
    describe_target(ui, t, target_id, criterion, &about);
    tr_addf(&title, M_NOTE_NEW, sb_str(&about));
    struct note_editor *ne =
        editor_open(ui, sb_str(&title), NULL, sb_str(&key), sb_str(&title), from);
    ne->is_new = true;
    ne->target = t;
    ne->target_id = target_id;
    ne->criterion = criterion ? xstrdup(criterion) : NULL;
    if (external)
        editor_external(ne, ui);
    sb_free(&key);
    sb_free(&about);
    sb_free(&title);
}

void ui_note_add(struct ui *ui, enum note_target t, uint64_t target_id, const char *criterion,
                 bool external)
{
    note_add_from(ui, t, target_id, criterion, NULL, external);
}

/* Edit note id going on from draft from (NULL: a draft left at the place,
 * else the note's own text at its current revision). */
static void note_edit_from(struct ui *ui, uint64_t id, const struct draft *from, bool external)
{
    struct cchc_err err = {0};
    struct note n = {0};
    struct strbuf key = {0}, title = {0};
    if (model_note(ui->m, id, &n, &err) != CCHC_OK) {
        ui_error(ui, &err);
        return;
    }
    if (model_may(ui->m, PERM_NOTE_EDIT, NULL, &n, &err) != CCHC_OK) {
        ui_error(ui, &err);
        note_free(&n);
        return;
    }
    sb_addf(&key, "note:%llu", (unsigned long long)id);
    tr_addf(&title, M_NOTE_EDIT, (unsigned long long)id);
    struct note_editor *ne =
        editor_open(ui, sb_str(&title), n.text, sb_str(&key), sb_str(&title), from);
    ne->note_id = id;
    if (!ne->unsaved) /* a draft brought its own base revision */
        ne->base_rev = n.m.rev;
    note_free(&n);
    if (external)
        editor_external(ne, ui);
    sb_free(&key);
    sb_free(&title);
}

void ui_note_edit(struct ui *ui, uint64_t id, bool external)
{
    note_edit_from(ui, id, NULL, external);
}

/* ---- deleting ---- */

struct del_ctx {
    uint64_t id;
    uint32_t rev;
};

static void on_delete(struct ui *ui, void *ctx, int choice)
{
    struct del_ctx *dc = ctx;
    struct cchc_err err = {0};
    if (choice != 0)
        return;
    if (model_note_delete(ui->m, dc->id, dc->rev, &err) != CCHC_OK)
        ui_error(ui, &err);
    else
        ui_message(ui, "%s", tr(M_DELETED_MSG));
}

void ui_note_delete(struct ui *ui, uint64_t id)
{
    struct cchc_err err = {0};
    struct note n = {0};
    const struct ui_option opts[] = {ui_opt(ui, M_OPT_YES), ui_opt(ui, M_OPT_NO)};
    if (model_note(ui->m, id, &n, &err) != CCHC_OK) {
        ui_error(ui, &err);
        return;
    }
    if (model_may(ui->m, PERM_NOTE_DELETE, NULL, &n, &err) != CCHC_OK) {
        ui_error(ui, &err);
        note_free(&n);
        return;
    }
    struct del_ctx *dc = xcalloc(1, sizeof *dc);
    dc->id = id;
    dc->rev = n.m.rev;
    /* Name the note: the question is about this one, by this author. */
    struct strbuf q = {0};
    char t[17];
    sb_addf(&q, "%s\n\n%s · %s\n", tr(M_CONFIRM_DELETE), n.author ? n.author : "",
            ui_time(ui, n.edited ? n.edited : n.created, t));
    text_fit(&q, n.text ? n.text : "", 200, false);
    ui_choose(ui, tr(M_CONFIRM), sb_str(&q), opts, 2, 1, on_delete, dc, free);
    sb_free(&q);
    note_free(&n);
}

/* ---- drafts offered back ---- */

void ui_draft_open(struct ui *ui, const struct draft *d)
{
    unsigned long long id = 0;
    char what[16], crit[64];
    int n = 0;
    char *place = xstrndup(d->key, draft_place_len(d->key)); /* without a session mark */
    if (sscanf(place, "note:new:%15[a-z]:%llu%n", what, &id, &n) == 2) {
        enum note_target t = strcmp(what, "visit") == 0  ? NT_VISIT
                             : strcmp(what, "crit") == 0 ? NT_CRITERION
                             : strcmp(what, "unit") == 0 ? NT_UNIT
                             : strcmp(what, "item") == 0 ? NT_ITEM
                                                         : 0;
        crit[0] = '\0';
        if (t == NT_CRITERION && sscanf(place + n, ":%63s", crit) != 1)
            t = 0;
        if (t)
            note_add_from(ui, t, id, t == NT_CRITERION ? crit : NULL, d, false);
    } else if (sscanf(place, "note:%llu", &id) == 1) {
        note_edit_from(ui, id, d, false);
    } else if (sscanf(place, "rec:new:visit:%llu", &id) == 1) {
        ui_rec_edit(ui, id, 0, d->text);
    } else if (sscanf(place, "rec:%llu", &id) == 1) {
        ui_rec_edit(ui, 0, id, d->text);
    }
    free(place);
}

/* ---- one line about a note ---- */

void ui_note_line(struct ui *ui, struct strbuf *out, const struct note *n, int cols)
{
    static const struct ui_col colv[] = {{16, false}, {10, false}, {0, false}};
    struct strbuf first = {0};
    char t[17];
    const char *text = n->text ? n->text : "";
    const char *nl = strchr(text, '\n');
    if (n->target == NT_CRITERION && n->criterion)
        sb_addf(&first, "[%s] ", n->criterion);
    else if (n->target == NT_VISIT)
        sb_adds(&first, "");
    sb_add(&first, text, nl ? (size_t)(nl - text) : strlen(text));
    if (nl)
        sb_adds(&first, " …");
    const char *cells[] = {ui_time(ui, n->created, t), n->author ? n->author : "?", sb_str(&first)};
    ui_cols(out, cols, colv, 3, cells);
    sb_free(&first);
}

/* ---- the notes of a target on a detail screen ---- */

void ui_notes_load(struct ui *ui, struct ui_notes *ns, enum note_target t, uint64_t id, size_t max)
{
    struct cchc_err e = {0};
    ui_notes_clear(ns);
    ns->ids = xcalloc(max ? max : 1, sizeof *ns->ids);
    if (model_notes(ui->m, t, id, NULL, false, 0, max, ns->ids, &ns->n, &ns->total, &e) != CCHC_OK)
        ns->n = ns->total = 0;
    ns->v = xcalloc(ns->n + 1, sizeof *ns->v);
    ns->ok = xcalloc(ns->n + 1, sizeof *ns->ok);
    for (size_t i = 0; i < ns->n; i++)
        ns->ok[i] = model_note(ui->m, ns->ids[i], &ns->v[i], &e) == CCHC_OK;
}

void ui_notes_clear(struct ui_notes *ns)
{
    for (size_t i = 0; i < ns->n; i++)
        if (ns->ok[i])
            note_free(&ns->v[i]);
    free(ns->ids);
    free(ns->v);
    free(ns->ok);
    memset(ns, 0, sizeof *ns);
}

void ui_notes_doc(struct ui *ui, struct ui_doc *d, int cols, const struct ui_notes *ns, bool title)
{
    struct strbuf sb = {0};
    if (title) {
        tr_addf(&sb, M_SEC_NOTES, ns->total);
        doc_section(d, cols, sb_str(&sb));
        if (!ns->total)
            doc_addf(d, ST_DIM, " %s", tr(M_NONE));
    }
    for (size_t i = 0; i < ns->n; i++) {
        struct doc_line *dl;
        sb_reset(&sb);
        if (!ns->ok[i]) {
            sb_adds(&sb, "   ");
            ui_damaged(&sb, "notes", ns->ids[i]);
            dl = doc_add(d, sb_str(&sb), ST_WARN);
        } else {
            sb_adds(&sb, title ? "" : "  ");
            ui_note_line(ui, &sb, &ns->v[i], title ? cols : cols - 2);
            dl = doc_add(d, sb_str(&sb), title ? ST_NORMAL : ST_DIM);
        }
        dl->target = DT_NOTE;
        dl->id = ns->ids[i];
    }
    if (ns->total > ns->n) {
        sb_reset(&sb);
        sb_adds(&sb, title ? " " : "   ");
        tr_addf(&sb, M_MORE, ns->total - ns->n);
        doc_add(d, sb_str(&sb), ST_DIM);
    }
    sb_free(&sb);
}

bool ui_note_action(struct ui *ui, const struct doc_line *dl, enum action a)
{
    if (!dl || dl->target != DT_NOTE)
        return false;
    switch (a) {
    case ACT_OPEN:
        ui_push(ui, scr_note_new(ui, dl->id));
        return true;
    case ACT_EDIT:
    case ACT_EDIT_EXTERNAL:
        ui_note_edit(ui, dl->id, a == ACT_EDIT_EXTERNAL);
        return true;
    case ACT_DELETE:
        ui_note_delete(ui, dl->id);
        return true;
    default:
        return false;
    }
}

/* ---- the note screen ---- */

#define MAX_VERSIONS 50

struct note_screen {
    struct screen base;
    uint64_t id;
    bool ok;
    struct note n;
    struct note *old;
    size_t n_old;
    char *about;
    struct ui_doc doc;
    struct cchc_err err;
};

static const enum action note_actions[] = {ACT_EDIT, ACT_EDIT_EXTERNAL, ACT_DELETE, ACT_NONE};

static void note_screen_clear(struct note_screen *ns)
{
    if (ns->ok)
        note_free(&ns->n);
    ns->ok = false;
    for (size_t i = 0; i < ns->n_old; i++)
        note_free(&ns->old[i]);
    ns->n_old = 0;
    free(ns->about);
    ns->about = NULL;
}

static void note_load(struct screen *s, struct ui *ui)
{
    struct note_screen *ns = (struct note_screen *)s;
    struct cchc_err e = {0};
    struct strbuf sb = {0};
    note_screen_clear(ns);
    err_clear(&ns->err);
    memset(&ns->n, 0, sizeof ns->n);
    ns->ok = model_note(ui->m, ns->id, &ns->n, &ns->err) == CCHC_OK;
    if (!ns->ok)
        return;
    if (!ns->old)
        ns->old = xcalloc(MAX_VERSIONS, sizeof *ns->old);
    if (model_note_history(ui->m, ns->id, ns->old, MAX_VERSIONS, &ns->n_old, &e) != CCHC_OK)
        ns->n_old = 0;
    describe_target(ui, ns->n.target, ns->n.target_id, ns->n.criterion, &sb);
    ns->about = sb_detach(&sb);
}

static void note_build(struct note_screen *ns, struct ui *ui, int cols)
{
    struct ui_doc *d = &ns->doc;
    struct strbuf sb = {0};
    char t[17];
    const int lw = 12;
    doc_clear(d);
    if (!ns->ok) {
        sb_addc(&sb, ' ');
        tr_addf(&sb, M_ERROR, ui_err_text(ui, &ns->err));
        doc_add(d, sb_str(&sb), ST_WARN);
        sb_free(&sb);
        return;
    }
    doc_field(d, cols, lw, tr(M_F_ABOUT), ns->about);
    doc_field(d, cols, lw, tr(M_F_AUTHOR), ns->n.author);
    doc_field(d, cols, lw, tr(M_F_CREATED), ui_time(ui, ns->n.created, t));
    if (ns->n.edited)
        doc_field(d, cols, lw, tr(M_F_EDITED), ui_time(ui, ns->n.edited, t));
    if (ns->n.deleted)
        doc_addf(d, ST_WARN, " %s", tr(M_DELETED));
    doc_add(d, "", ST_NORMAL);
    doc_wrap(d, cols, 1, ns->n.text, ST_NORMAL);
    tr_addf(&sb, M_SEC_VERSIONS, ns->n_old);
    doc_section(d, cols, sb_str(&sb));
    if (!ns->n_old)
        doc_addf(d, ST_DIM, " %s", tr(M_NONE));
    for (size_t i = 0; i < ns->n_old; i++) {
        const struct note *o = &ns->old[i];
        int64_t when = o->edited ? o->edited : o->created;
        sb_reset(&sb);
        sb_addf(&sb, " %s  %s%s%s", ui_time(ui, when, t), o->m.mby ? o->m.mby : o->author,
                o->deleted ? "  " : "", o->deleted ? tr(M_DELETED) : "");
        doc_add(d, sb_str(&sb), ST_COLHEAD);
        doc_wrap(d, cols, 3, o->text, ST_DIM);
    }
    sb_free(&sb);
}

static void note_draw(struct screen *s, struct ui *ui, int y0, int rows, int cols)
{
    struct note_screen *ns = (struct note_screen *)s;
    note_build(ns, ui, cols);
    doc_draw(&ns->doc, &s->list, y0, rows, cols);
}

static void note_title(struct screen *s, struct ui *ui, struct strbuf *left, struct strbuf *right)
{
    struct note_screen *ns = (struct note_screen *)s;
    (void)ui;
    tr_addf(left, M_NOTE_TITLE, (unsigned long long)ns->id);
    if (ns->ok && ns->about)
        sb_addf(left, " · %s", ns->about);
    (void)right;
}

static bool note_action(struct screen *s, struct ui *ui, enum action a)
{
    struct note_screen *ns = (struct note_screen *)s;
    switch (a) {
    case ACT_EDIT:
    case ACT_EDIT_EXTERNAL:
        ui_note_edit(ui, ns->id, a == ACT_EDIT_EXTERNAL);
        return true;
    case ACT_DELETE:
        ui_note_delete(ui, ns->id);
        return true;
    default:
        return false;
    }
}

static void note_screen_free(struct screen *s)
{
    struct note_screen *ns = (struct note_screen *)s;
    note_screen_clear(ns);
    free(ns->old);
    doc_free(&ns->doc);
    free(ns);
}

static const struct screen_ops note_ops = {
    .name = "note",
    .actions = note_actions,
    .title = note_title,
    .load = note_load,
    .draw = note_draw,
    .action = note_action,
    .free = note_screen_free,
};

struct screen *scr_note_new(struct ui *ui, uint64_t id)
{
    struct note_screen *ns = xcalloc(1, sizeof *ns);
    (void)ui;
    ns->base.ops = &note_ops;
    ns->base.doc = &ns->doc;
    ns->id = id;
    return &ns->base;
}
