/* ui_screen.h — what the screens share inside the UI: the UI state, the
 * screen interface (a small table of functions per screen, as tig's views),
 * the list widget, and the drawing helpers.
 *
 * Screens draw only through the helpers here, which pass every string through
 * text_fit() (measure by display columns, sanitise, cut with "…"): nothing
 * from the database reaches curses unsanitised. Screens keep copies of the
 * records they show (the model returns copies) and read them again when the
 * model's version changes; they never hold anything of the model's open
 * across waiting for a key.
 */
#ifndef CCHC_UI_SCREEN_H
#define CCHC_UI_SCREEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cchc/config.h"
#include "cchc/i18n.h"
#include "cchc/keys.h"
#include "cchc/model.h"
#include "cchc/recording.h"
#include "cchc/text.h"
#include "cchc/util.h"

/* Smallest terminal the screens are laid out for. */
#define UI_MIN_COLS  60
#define UI_MIN_ROWS  15
#define UI_STACK_MAX 32

/* Styles: each has a colour form and an attribute-only form (ui.c). */
enum ui_style {
    ST_NORMAL,
    ST_HEADER,  /* top line */
    ST_COLHEAD, /* column heads of a list */
    ST_CURSOR,  /* the selected row */
    ST_BARKEY,  /* a key on the bottom line */
    ST_BAR,     /* a label on the bottom line */
    ST_SECTION, /* a section title inside a detail screen */
    ST_DIM,     /* a unit that no longer exists */
    ST_WARN,    /* a damaged record, an error */
    ST_COUNT
};

/* The list widget: a window of `height` rows over `count` rows, with a
 * cursor. Knows nothing of where rows come from. */
struct ui_list {
    size_t count;
    size_t cursor;
    size_t top;
    int height;
};

struct screen;
struct ui;
struct ui_modal;

struct screen_ops {
    const char *name;
    /* `/` filters this screen's list by words (s->filter; the screen's
     * load() keeps only the rows that hold them); false: `/` opens the
     * search of everything. */
    bool filters;
    /* Actions this screen handles beyond the global ones and moving, in
     * bottom-line order; ends with ACT_NONE. */
    const enum action *actions;
    /* Header: where you are (after "cchc · province · ") and, on the right,
     * counts and filters. */
    void (*title)(struct screen *s, struct ui *ui, struct strbuf *left, struct strbuf *right);
    /* (Re)read from the model: called when the screen is first shown and
     * whenever the model's version has changed since the last read. */
    void (*load)(struct screen *s, struct ui *ui);
    /* Draw the body in rows [y0, y0 + rows) of a cols-wide screen. */
    void (*draw)(struct screen *s, struct ui *ui, int y0, int rows, int cols);
    /* Whether an action of `actions` applies where the cursor is now, for
     * the bottom line (NULL: all of them do). */
    bool (*shows)(struct screen *s, struct ui *ui, enum action a);
    /* Handle an action; false when it is not this screen's. */
    bool (*action)(struct screen *s, struct ui *ui, enum action a);
    void (*free)(struct screen *s);
};

struct screen {
    const struct screen_ops *ops;
    char *filter; /* words `/` filters the list by (NULL: none); see find_in in ui.c */
    /* A detail screen's document: the cursor passes over its rules, area
     * headings and column heads (doc_skip). NULL: a list. */
    const struct ui_doc *doc;
    bool loaded;
    uint64_t version; /* model version at the last load */
    struct ui_list list;
};

struct ui {
    struct model *m;
    const struct config *cfg;
    bool vi; /* UI language */
    bool color;
    uint64_t version; /* model version last seen */
    int year;         /* visits year; also the year for methodology */
    struct screen *stack[UI_STACK_MAX];
    int depth;
    struct screen *tops[5]; /* the five main screens, kept to keep their place */
    bool quit;
    char msg[256]; /* one-time message shown instead of the key line */
    unsigned ticks;
    struct ui_modal *modal; /* the top of the modal stack (NULL: none) */
    int cur_y, cur_x;       /* where a modal wants the terminal cursor (-1: hidden) */
    bool redraw_all;        /* after an external editor: repaint everything */
};

/* The language for bitext_get(). */
#define UI_LANG(ui) ((ui)->vi ? LANG_VI : LANG_EN)

/* ---- screen stack (ui.c) ---- */
void ui_push(struct ui *ui, struct screen *s);
/* Show a message on the bottom line until the next key. */
void ui_message(struct ui *ui, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- modals (ui.c) ----
 * A modal takes every key, raw, until it is done: the note editor, a form,
 * a choice. It is drawn over the body of the screen below, which goes on
 * reading the model when someone else commits. Modals stack (the editor's
 * "keep or discard?" sits on the editor); each one that is done is freed
 * by the loop once nothing above it is left. A modal that holds typed text
 * saves it as a draft in tick() and at once in hangup(). */
struct modal_ops {
    const char *name;
    /* Draw in body rows [y0, y0 + rows); may set ui->cur_y/cur_x. */
    void (*draw)(struct ui_modal *md, struct ui *ui, int y0, int rows, int cols);
    void (*key)(struct ui_modal *md, struct ui *ui, int key);
    /* After every key (idle false) and when no key came for a while (idle
     * true): save a draft if one is due. NULL: nothing to save. */
    void (*tick)(struct ui_modal *md, struct ui *ui, bool idle);
    /* The session ends now (a signal, the terminal lost, the end of a
     * script): keep what was typed. NULL: nothing to keep. */
    void (*hangup)(struct ui_modal *md, struct ui *ui);
    void (*free)(struct ui_modal *md);
    /* Keys for the bottom line, ACT_NONE-ended (NULL: none). */
    const enum action *actions;
};

struct ui_modal {
    const struct modal_ops *ops;
    bool done; /* set by the modal: the loop frees it */
    struct ui_modal *below;
};

void ui_modal_push(struct ui *ui, struct ui_modal *md);
/* Seconds on a clock that never goes back (drafts: "every 3 seconds"). */
double ui_clock(void);

/* ---- small modals (ui_form.c) ---- */

/* A choice: a box with a title, text (may hold newlines) and options;
 * j/k and Enter, or an option's key, choose; Esc gives -1. fn is called
 * once, then ctx_free(ctx) (either may be NULL). */
struct ui_option {
    int key; /* a hot key (0: none) */
    const char *label;
};
typedef void (*ui_choice_fn)(struct ui *ui, void *ctx, int choice);
/* An answer of the UI's own (M_OPT_*) with its hot key in the UI language
 * ("l" for Lưu, "s" for Save). */
struct ui_option ui_opt(const struct ui *ui, enum msg label);
void ui_choose(struct ui *ui, const char *title, const char *text, const struct ui_option *opts,
               size_t n, int initial, ui_choice_fn fn, void *ctx, void (*ctx_free)(void *));

/* A form: labelled one-line fields, text or a choice among values (Space,
 * Left/Right cycle). Tab/Down/Up move; Enter on the last field or C-s
 * saves; Esc with changes asks "keep or discard". */
enum form_kind { FF_TEXT, FF_CHOICE };
struct form_field {
    const char *label;
    enum form_kind kind;
    const char *text;           /* FF_TEXT: the initial text (copied) */
    const char *const *choices; /* FF_CHOICE: labels (not copied: static or in ctx) */
    size_t n_choices;
    int choice;
};
/* What save() answers. */
enum form_result {
    FORM_SAVED, /* done: the form closes, its draft is deleted */
    FORM_STAY,  /* err says what is wrong: the form stays open */
    FORM_GONE,  /* the form closes; save() took care of the rest (a conflict) */
};
typedef enum form_result (*ui_form_fn)(struct ui *ui, void *ctx, char *const *texts,
                                       const int *choices, struct strbuf *err);
struct form_draft {
    const char *key, *label; /* the first field's text is kept under key */
    uint32_t base_rev;
};
void ui_form(struct ui *ui, const char *title, const struct form_field *f, size_t n,
             ui_form_fn save, void *ctx, void (*ctx_free)(void *), const struct form_draft *draft);

/* ---- drawing (ui.c) ---- */
/* Put s at (y, x), cut or padded to exactly cols columns, in style st. */
void ui_put(int y, int x, const char *s, int cols, enum ui_style st);
/* Put a row already fitted to the screen width (pads to the right edge).
 * A row leaves its first column blank: with ST_CURSOR and display: cursor:
 * arrow (the default), the row is drawn plain and that column marked. */
void ui_put_row(int y, const char *s, int cols, enum ui_style st);
/* Is the locale's character set UTF-8? */
bool ui_utf8(void);
/* Draw with ASCII only (display: ascii, or a locale without UTF-8)? */
bool ui_ascii(const struct ui *ui);
const char *ui_date(const struct ui *ui, cchc_date d, char buf[static 11]);
/* A time as the configuration writes dates, with hours and minutes:
 * "15/03/2022 10:42" or "2022-03-15 10:42". */
const char *ui_time(const struct ui *ui, int64_t t, char buf[static 17]);
/* Show a model error (a refusal, a conflict, a failure) on the bottom line,
 * in the UI's language (ui_err_text). */
void ui_error(struct ui *ui, const struct cchc_err *err);
/* The text of a model error for this UI: its Vietnamese message (msg_vi)
 * when the UI is Vietnamese and the model gave one, else msg; "?" when
 * both are empty. Every screen that shows an err goes through this. */
const char *ui_err_text(const struct ui *ui, const struct cchc_err *err);
/* A number as the UI language writes it: "6,5" (vi) or "6.5" (en); "" for 0
 * when blank_zero. buf >= 32 bytes. */
const char *ui_num(const struct ui *ui, double x, bool blank_zero, char buf[static 32]);

/* ---- the list widget (ui_list.c) ---- */
/* Set the size of the list and of its window; keeps the cursor in range and
 * visible. */
void ui_list_set(struct ui_list *l, size_t count, int height);
/* Moving actions (j/k, pages, g/G); true when a was one. */
bool ui_list_move(struct ui_list *l, enum action a);
void ui_list_goto(struct ui_list *l, size_t row);

/* A model list seen through the widget's window: the ids of the rows shown,
 * fetched again only when the window moves or the screen reloads. */
struct ui_window {
    bool valid;
    size_t top;
    int n;
    uint64_t *ids;
    size_t got;
    /* Filtered by words: the ids of every row that matches, read by
     * ui_window_count (a filtered list is one pass over the list). */
    bool filtered;
    uint64_t *match;
    size_t n_match;
};
/* Read the length of q as the window will show it: the model's count, or,
 * with words (not NULL or empty), the rows that hold them (search_list).
 * Call it from the screen's load(); the window is fetched anew after. */
int ui_window_count(struct ui *ui, struct ui_window *w, const struct list_query *q,
                    const char *words, size_t *count, struct cchc_err *err);
/* Make w hold the ids of rows [l->top, l->top + l->height) of q. Returns
 * 1 when it fetched (the caller decodes its rows again), 0 when w was
 * already current, -1 on a model error (err set; w empty). */
int ui_window_fetch(struct ui *ui, struct ui_window *w, const struct ui_list *l,
                    const struct list_query *q, struct cchc_err *err);
void ui_window_free(struct ui_window *w);

/* The row an empty list shows: that nothing holds the filter's words, or
 * otherwise (e.g. tr(M_EMPTY)). */
void ui_put_empty(const struct screen *s, int y, int cols, const char *otherwise);

/* Columns of a row: a width (0 = takes what is left) and an alignment. */
struct ui_col {
    int width; /* 0: takes what is left; UI_COL_NAME: the same, and more when narrow */
    bool right;
};
/* The width of a list's flexible column (its names) that, when the line is
 * narrow, takes width from the fixed columns; a plain 0 never does, where
 * other drawing relies on the columns' places (the dashboard's bars). */
#define UI_COL_NAME (-1)
/* Append cells laid out in columns (one leading space, two between
 * columns) to out, cut and padded to cols. */
void ui_cols(struct strbuf *out, int cols, const struct ui_col *c, size_t n,
             const char *const *cells);

/* A document: the lines of a detail screen, built for the current width.
 * A line may point at a record that Enter opens. */
enum doc_target {
    DT_NONE,
    DT_UNIT,
    DT_COMMITMENT,
    DT_VISIT,
    DT_CODE,
    DT_CRITERION, /* a checklist criterion of the screen's visit: code */
    DT_NOTE,      /* id */
    DT_REC,       /* id */
    DT_ITEM,      /* a commitment item: id; code: its component (Enter opens it) */
};
struct doc_line {
    char *text;
    enum ui_style st;
    enum doc_target target;
    uint64_t id;
    const char
        *code; /* DT_CODE, DT_CRITERION, DT_ITEM: not owned (points into the configuration) */
};
struct ui_doc {
    struct doc_line *v;
    size_t n, cap;
    /* What the cursor was on when last drawn, so that a document built
     * again (someone saved meanwhile) keeps the cursor on the same record,
     * not on the same row number: `d` must delete the note that was
     * selected, not the one that moved into its place. */
    size_t at_row; /* the cursor's row then: a cursor that moved since was moved by a key */
    enum doc_target at_target;
    uint64_t at_id;
    char *at_key; /* the code, or the text of a line without a target */
};
void doc_clear(struct ui_doc *d); /* empties it, keeps the memory */
void doc_free(struct ui_doc *d);  /* empties it and frees the memory */
struct doc_line *doc_add(struct ui_doc *d, const char *text, enum ui_style st);
struct doc_line *doc_addf(struct ui_doc *d, enum ui_style st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* "Label   value" with the label in a column of lw columns; a long value
 * wraps onto lines indented to the value's column. */
void doc_field(struct ui_doc *d, int cols, int lw, const char *label, const char *value);
/* Text wrapped at word boundaries to cols columns, each line indented by
 * indent spaces; '\n' in text starts a new line. */
void doc_wrap(struct ui_doc *d, int cols, int indent, const char *text, enum ui_style st);
/* "─ Title ───────" across the width. */
void doc_section(struct ui_doc *d, int cols, const char *title);
/* Draw the document with the list's window and cursor. */
void doc_draw(struct ui_doc *d, struct ui_list *l, int y0, int rows, int cols);
/* The line under the cursor (NULL when the document is empty). */
/* Move the cursor off a line that is only a heading (a section rule, an
 * area, column heads), in direction dir (+1 down, -1 up), else the other
 * way; it stays where it is when no line can hold it. */
void doc_skip(const struct ui_doc *d, struct ui_list *l, int dir);
const struct doc_line *doc_cursor(const struct ui_doc *d, const struct ui_list *l);

/* ---- screens (scr_*.c) ---- */
struct screen *scr_units_new(struct ui *ui);
struct screen *scr_commitments_new(struct ui *ui);
struct screen *scr_visits_new(struct ui *ui);
struct screen *scr_indicators_new(struct ui *ui);
struct screen *scr_unit_new(struct ui *ui, uint64_t id);
struct screen *scr_commitment_new(struct ui *ui, uint64_t id);
struct screen *scr_visit_new(struct ui *ui, uint64_t id);
struct screen *scr_indicator_new(struct ui *ui, const char *code);
struct screen *scr_history_new(struct ui *ui);
/* One note in full, with its earlier versions (Enter on a note). */
struct screen *scr_note_new(struct ui *ui, uint64_t id);
/* Help for the screen below it (its actions are marked). */
struct screen *scr_help_new(struct ui *ui, const struct screen *below);

/* ---- recording (scr_note.c, scr_drafts.c) ---- */

/* Open the note editor for a new note on target (criterion: NT_CRITERION's
 * code), after asking model_may(); external: go straight to $VISUAL/$EDITOR. */
void ui_note_add(struct ui *ui, enum note_target t, uint64_t target_id, const char *criterion,
                 bool external);
/* Open the editor on note id (its text, at its current revision). */
void ui_note_edit(struct ui *ui, uint64_t id, bool external);
/* Delete (hide) note id after asking. */
void ui_note_delete(struct ui *ui, uint64_t id);
/* The drafts of this login, offered back at start (nothing when none). */
void ui_offer_drafts(struct ui *ui);
/* Open the editor on a draft (from the offer). */
void ui_draft_open(struct ui *ui, const struct draft *d);
/* One line about a note for lists: "15/03/2022 10:42  phong  first line". */
void ui_note_line(struct ui *ui, struct strbuf *out, const struct note *n, int cols);

/* The notes on one target, copied for a detail screen. */
struct ui_notes {
    uint64_t *ids;
    struct note *v;
    bool *ok;
    size_t n, total;
};
void ui_notes_load(struct ui *ui, struct ui_notes *ns, enum note_target t, uint64_t id, size_t max);
void ui_notes_clear(struct ui_notes *ns);
/* One DT_NOTE line per note, indented; "… and N more" after them. With a
 * title, a section "Ghi chú (N)" first (and "(không có)" when none). */
void ui_notes_doc(struct ui *ui, struct ui_doc *d, int cols, const struct ui_notes *ns, bool title);
/* e, E, d and Enter on a note line; false when dl is no note or a is none of these. */
bool ui_note_action(struct ui *ui, const struct doc_line *dl, enum action a);

/* Forms (scr_forms.c): a criterion's result on a visit. */
void ui_check_edit(struct ui *ui, uint64_t visit, const char *criterion);
/* A recommendation: new on visit (rec_id 0) or rec_id; text: start from it
 * (a draft) instead of the record's. */
void ui_rec_edit(struct ui *ui, uint64_t visit, uint64_t rec_id, const char *text);
/* Move the visit one status forward, after asking. */
void ui_visit_status(struct ui *ui, uint64_t visit);
/* A commitment item's status and progress. */
void ui_item_edit(struct ui *ui, uint64_t item);

/* Open what a document line points at (shared by the detail screens). */
bool ui_open_target(struct ui *ui, const struct doc_line *dl);
/* "⚠ bản ghi hỏng visits/5" */
void ui_damaged(struct strbuf *out, const char *table, uint64_t id);

#endif
