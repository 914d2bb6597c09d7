/* ui.c — terminal set-up, the main loop, the screen stack and the frame
 * (header line, bottom key line, "too small" notice).
 *
 * Design note.
 *  - One window (stdscr). Each pass of the loop erases it and draws the
 *    frame and the top screen's body; curses sends only what changed. A
 *    screen is a small table of functions (ui_screen.h) in its own file.
 *  - The stack: the main screens (the dashboard, key 0, shown first; keys
 *    1-5) live for the whole session so that they keep their place; detail
 *    screens are pushed above the current main screen and freed when left.
 *    0-5 drop the detail screens.
 *  - Keys become actions through the one key table (keys.c). Global actions
 *    are handled here, moving by the list widget, the rest by the screen;
 *    the bottom line shows the screen's actions from the same table.
 *  - The model is only called from load() and draw() of a screen, never
 *    while waiting: the loop waits in wget_wch with a one-second timeout and
 *    on each tick compares model_version(); when someone else committed, the
 *    screen on top reads its records again (the others when they come back
 *    on top). model_maintain() (stale readers) runs once a minute.
 *  - Signals: SIGTERM, SIGHUP and SIGINT only set a flag that the loop reads,
 *    then the UI ends curses cleanly. SIGWINCH is ncurses' (KEY_RESIZE).
 *    A lost terminal (a dropped SSH link: read fails with EIO, or sees end
 *    of file) ends the loop the same way. Before ending, every open modal
 *    keeps what was typed as a draft (hangup()), so that at most the last
 *    few seconds of typing are lost.
 *  - Modals (the note editor, forms, choices) sit above the screen stack
 *    and take every key raw; the screen below keeps reloading when the
 *    model changes. After every key and on every tick the top modals may
 *    save a draft (tick()).
 *  - The header shows the login and its role: permissions are decided by
 *    the model (model_may), the UI only asks before opening an editor.
 *  - Smaller than UI_MIN_COLS x UI_MIN_ROWS: a notice instead of the screen,
 *    until the terminal grows again. Keys other than quitting wait.
 *  - Colour is optional: every style has an attribute-only form, used under
 *    NO_COLOR, "color: never", or a terminal without colours.
 *  - Scripted runs (screen tests) use the same loop with keys from a script
 *    and a virtual terminal whose output goes to /dev/null; ui_dump() reads
 *    the screen back from curses. Nothing on screen shows the clock.
 */
#include <curses.h>
#include <errno.h>
#include <langinfo.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include "cchc/search.h"
#include "cchc/ui.h"
#include "cchc/ui_edit.h"
#include "cchc/ui_results.h"
#include "cchc/ui_screen.h"

/* ---- signals ---- */

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
    got_signal = sig;
}

struct saved_signals {
    struct sigaction term, hup, intr;
};

static void signals_install(struct saved_signals *old)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    got_signal = 0;
    sigaction(SIGTERM, &sa, &old->term);
    sigaction(SIGHUP, &sa, &old->hup);
    sigaction(SIGINT, &sa, &old->intr);
}

static void signals_restore(const struct saved_signals *old)
{
    sigaction(SIGTERM, &old->term, NULL);
    sigaction(SIGHUP, &old->hup, NULL);
    sigaction(SIGINT, &old->intr, NULL);
}

/* ---- styles ---- */

struct style_def {
    short fg, bg;
    attr_t color_attr; /* with the colour pair */
    attr_t mono;       /* without colour */
};

static const struct style_def style_defs[ST_COUNT] = {
    [ST_NORMAL] = {-1, -1, A_NORMAL, A_NORMAL},
    [ST_HEADER] = {COLOR_WHITE, COLOR_BLUE, A_BOLD, A_BOLD},
    [ST_COLHEAD] = {COLOR_CYAN, -1, A_BOLD, A_BOLD | A_UNDERLINE},
    [ST_CURSOR] = {COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE},
    [ST_BARKEY] = {COLOR_WHITE, -1, A_BOLD, A_BOLD},
    [ST_BAR] = {COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE},
    [ST_SECTION] = {COLOR_YELLOW, -1, A_BOLD, A_BOLD},
    [ST_DIM] = {-1, -1, A_DIM, A_DIM},
    [ST_WARN] = {COLOR_RED, -1, A_BOLD, A_BOLD},
};

static bool use_color;
static int cursor_row = -1; /* where the cursor style was drawn, for ui_dump */
/* display: cursor: arrow marks the selected row with this in its first
 * column (every row leaves it blank) instead of drawing the whole row in
 * the cursor style: moving then changes two cells, not two rows. */
static const char *row_marker;

static void styles_init(const struct config *cfg)
{
    const char *nc = getenv("NO_COLOR");
    row_marker = cfg->cursor == CURSOR_BAR ? NULL : cfg->ascii || !ui_utf8() ? ">" : "▶";
    use_color =
        cfg->color != COLOR_NEVER && !(nc && *nc && cfg->color != COLOR_ALWAYS) && has_colors();
    if (!use_color)
        return;
    start_color();
    use_default_colors();
    for (int i = 1; i < ST_COUNT; i++)
        init_pair((short)i, style_defs[i].fg, style_defs[i].bg);
}

static attr_t style_attr(enum ui_style st)
{
    if (use_color)
        return style_defs[st].color_attr | (st ? COLOR_PAIR(st) : 0);
    return style_defs[st].mono;
}

static void style_set(enum ui_style st)
{
    attrset(style_attr(st));
}

/* ---- drawing helpers ---- */

/* Put UTF-8 text at (y, x) in the current attributes. Converted to wide
 * characters here in one pass: addstr() takes multibyte text a byte at a
 * time, several times slower for the same screen. */
static void put_text(int y, int x, const char *s, size_t len)
{
    wchar_t local[256], *w = local;
    mbstate_t ps;
    const char *p = s;
    if (len + 1 > sizeof local / sizeof *local)
        w = xcalloc(len + 1, sizeof *w);
    memset(&ps, 0, sizeof ps);
    size_t n = mbsrtowcs(w, &p, len + 1, &ps);
    if (n == (size_t)-1) /* not in the locale's encoding: as bytes */
        mvaddstr(y, x, s);
    else
        mvaddnwstr(y, x, w, (int)n);
    if (w != local)
        free(w);
}

void ui_put(int y, int x, const char *s, int cols, enum ui_style st)
{
    struct strbuf sb = {0};
    if (cols <= 0 || y < 0 || y >= LINES)
        return;
    int w = text_fit(&sb, s ? s : "", cols, false);
    while (sb.len && sb.buf[sb.len - 1] == ' ') {
        sb.buf[--sb.len] = '\0';
        w--;
    }
    if (st == ST_CURSOR)
        cursor_row = y; /* the selected row, also inside a modal's box */
    style_set(st);
    put_text(y, x, sb_str(&sb), sb.len);
    /* The blanks up to cols in one call: through addstr every blank takes
     * the multibyte path, and most rows are half blank. */
    if (w < cols)
        mvwhline(stdscr, y, x + w, ' ' | style_attr(st), cols - w);
    style_set(ST_NORMAL);
    sb_free(&sb);
}

void ui_put_row(int y, const char *s, int cols, enum ui_style st)
{
    if (st != ST_CURSOR || !row_marker) {
        ui_put(y, 0, s, cols, st);
        return;
    }
    ui_put(y, 0, s, cols, ST_NORMAL);
    ui_put(y, 0, row_marker, 1, ST_CURSOR); /* sets cursor_row */
}

bool ui_utf8(void)
{
    return strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
}

bool ui_ascii(const struct ui *ui)
{
    return ui->cfg->ascii || !ui_utf8();
}

const char *ui_date(const struct ui *ui, cchc_date d, char buf[static 11])
{
    return ui->cfg->date_style == DATE_ISO ? date_iso(d, buf) : date_dmy(d, buf);
}

const char *ui_num(const struct ui *ui, double x, bool blank_zero, char buf[static 32])
{
    if (x != x || (blank_zero && x == 0)) { /* NaN: unknown */
        buf[0] = '\0';
        return buf;
    }
    snprintf(buf, 32, "%.2f", x);
    /* Trim trailing zeros: 6.50 -> 6.5, 20.00 -> 20 */
    char *dot = strchr(buf, '.');
    if (dot) {
        char *e = buf + strlen(buf) - 1;
        while (e > dot && *e == '0')
            *e-- = '\0';
        if (e == dot)
            *e = '\0';
        else if (ui->vi)
            *dot = ',';
    }
    return buf;
}

const char *ui_time(const struct ui *ui, int64_t t, char buf[static 17])
{
    char iso[17];
    time_format(t, iso); /* "2022-03-15 10:42" local */
    if (ui->cfg->date_style == DATE_ISO || strlen(iso) != 16)
        memcpy(buf, iso, sizeof iso);
    else
        snprintf(buf, 17, "%.2s/%.2s/%.4s %.5s", iso + 8, iso + 5, iso, iso + 11);
    return buf;
}

const char *ui_err_text(const struct ui *ui, const struct cchc_err *err)
{
    if (!err)
        return "?";
    if (ui && ui->vi && err->msg_vi[0])
        return err->msg_vi;
    return err->msg[0] ? err->msg : "?";
}

void ui_error(struct ui *ui, const struct cchc_err *err)
{
    ui_message(ui, "%s", ui_err_text(ui, err));
}

double ui_clock(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void ui_damaged(struct strbuf *out, const char *table, uint64_t id)
{
    tr_addf(out, M_DAMAGED, table, (unsigned long long)id);
}

void ui_message(struct ui *ui, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(ui->msg, sizeof ui->msg, fmt, ap);
    va_end(ap);
    str_cut_utf8(ui->msg, sizeof ui->msg, n); /* a long message: not cut inside a letter */
}

/* ---- the screen stack ---- */

static struct screen *top_screen(struct ui *ui)
{
    return ui->depth ? ui->stack[ui->depth - 1] : NULL;
}

static void screen_free(struct screen *s)
{
    if (s) {
        free(s->filter);
        s->ops->free(s);
    }
}

void ui_push(struct ui *ui, struct screen *s)
{
    if (!s)
        return;
    if (ui->depth == UI_STACK_MAX) {
        /* Deep chains (unit → visit → unit → ...) drop the oldest detail. */
        screen_free(ui->stack[1]);
        memmove(&ui->stack[1], &ui->stack[2], (UI_STACK_MAX - 2) * sizeof ui->stack[0]);
        ui->depth--;
    }
    ui->stack[ui->depth++] = s;
}

/* ---- modals ---- */

void ui_modal_push(struct ui *ui, struct ui_modal *md)
{
    if (!md)
        return;
    md->below = ui->modal;
    ui->modal = md;
}

/* Free the done modals on top (one that is done under a live one waits). */
static void modals_reap(struct ui *ui)
{
    while (ui->modal && ui->modal->done) {
        struct ui_modal *md = ui->modal;
        ui->modal = md->below;
        md->ops->free(md);
    }
}

static void modals_tick(struct ui *ui, bool idle)
{
    for (struct ui_modal *md = ui->modal; md; md = md->below)
        if (!md->done && md->ops->tick)
            md->ops->tick(md, ui, idle);
}

/* The session is ending: every modal keeps its text, then all go. */
static void modals_hangup(struct ui *ui)
{
    for (struct ui_modal *md = ui->modal; md; md = md->below)
        if (!md->done && md->ops->hangup)
            md->ops->hangup(md, ui);
    while (ui->modal) {
        struct ui_modal *md = ui->modal;
        ui->modal = md->below;
        md->ops->free(md);
    }
}

static void pop_details(struct ui *ui)
{
    while (ui->depth > 1)
        screen_free(ui->stack[--ui->depth]);
}

static struct screen *(*const top_ctor[5])(struct ui *) = {
    scr_units_new, scr_commitments_new, scr_visits_new, scr_indicators_new, scr_history_new};

/* The dashboard (key 0), kept for the session like the five others. */
static struct screen *dash_top;

static void show_dashboard(struct ui *ui)
{
    pop_details(ui);
    if (!dash_top)
        dash_top = scr_dashboard_new(ui);
    ui->stack[0] = dash_top;
    ui->depth = 1;
}

static void show_main(struct ui *ui, int k)
{
    pop_details(ui);
    if (!ui->tops[k])
        ui->tops[k] = top_ctor[k](ui);
    ui->stack[0] = ui->tops[k];
    ui->depth = 1;
}

bool ui_open_target(struct ui *ui, const struct doc_line *dl)
{
    if (!dl)
        return false;
    switch (dl->target) {
    case DT_UNIT:
        ui_push(ui, scr_unit_new(ui, dl->id));
        return true;
    case DT_COMMITMENT:
        ui_push(ui, scr_commitment_new(ui, dl->id));
        return true;
    case DT_VISIT:
        ui_push(ui, scr_visit_new(ui, dl->id));
        return true;
    case DT_CODE:
        ui_push(ui, scr_indicator_new(ui, dl->code));
        return true;
    case DT_NOTE:
        ui_push(ui, scr_note_new(ui, dl->id));
        return true;
    case DT_ITEM: /* an item opens the index component it is about */
        if (!dl->code)
            break;
        ui_push(ui, scr_indicator_new(ui, dl->code));
        return true;
    case DT_CRITERION: /* the screen that shows them acts on them */
    case DT_REC:
    case DT_NONE:
        break;
    }
    return false;
}

/* ---- the frame ---- */

static const char *role_label(enum role r)
{
    static const enum msg labels[] = {M_ROLE_NONE, M_ROLE_VIEWER, M_ROLE_INSPECTOR, M_ROLE_LEAD,
                                      M_ROLE_ADMIN};
    return (unsigned)r < sizeof labels / sizeof labels[0] ? tr(labels[r]) : "?";
}

/* "phong · kiểm tra viên ": who is acting, and what they may do (brief:
 * the login alone). */
static void add_who(struct ui *ui, struct strbuf *sb, bool brief)
{
    if (brief)
        sb_addf(sb, "%s ", model_login(ui->m));
    else
        sb_addf(sb, "%s · %s ", model_login(ui->m), role_label(model_role(ui->m)));
}

/* Whether a header of left and right fits cols. */
static bool header_fits(const struct strbuf *left, const struct strbuf *right, int cols)
{
    int rw = text_width(sb_str(right));
    return rw <= cols - 10 && text_width(sb_str(left)) + 1 + rw <= cols;
}

static void draw_header(struct ui *ui, struct screen *s, int cols)
{
    struct strbuf left = {0}, right = {0}, title = {0}, line = {0};
    const char *prov = ui->cfg->province_name ? ui->cfg->province_name : "";
    s->ops->title(s, ui, &title, &right);
    if (s->filter) {
        if (right.len)
            sb_adds(&right, " · ");
        tr_addf(&right, M_FILTER_WORDS, s->filter);
    }
    sb_addf(&left, " cchc · %s · %s", prov, sb_str(&title));
    if (right.len)
        sb_adds(&right, "   ");
    size_t counts = right.len;
    add_who(ui, &right, false);
    /* The place matters more than the counts, and the counts (with a
     * filter's words) more than the role. */
    if (!header_fits(&left, &right, cols)) {
        right.len = counts;
        right.buf[counts] = '\0';
        add_who(ui, &right, true);
    }
    /* A filtered list must say so, even if the place is cut for it. */
    if (!header_fits(&left, &right, cols) &&
        !(s->filter && text_width(sb_str(&right)) <= cols - 20)) {
        sb_reset(&right);
        add_who(ui, &right, false);
    }
    int rw = text_width(sb_str(&right));
    text_fit(&line, sb_str(&left), cols - rw - 1, true);
    sb_addc(&line, ' ');
    text_fit(&line, sb_str(&right), rw, false);
    ui_put(0, 0, sb_str(&line), cols, ST_HEADER);
    sb_free(&left);
    sb_free(&right);
    sb_free(&title);
    sb_free(&line);
}

/* The bottom line: the keys that work here, from the key table. Main
 * screens: 1-4, the screen's actions, help, quit; detail screens: the
 * screen's actions, back, 1-4, help, quit. When the line is too narrow the
 * screen switches go first, then the screen's own keys. */
struct bar_item {
    enum action a;
    int group;    /* groups are set apart by two spaces */
    int priority; /* 0 always shown */
    bool shown;
};

/* Actions that change records: not offered to someone who may only read. */
static bool writes(enum action a)
{
    return a == ACT_NOTE_ADD || a == ACT_EDIT || a == ACT_EDIT_EXTERNAL || a == ACT_REC_ADD ||
           a == ACT_STATUS || a == ACT_DELETE;
}

static size_t bar_items(struct ui *ui, struct screen *s, struct bar_item *it, size_t max)
{
    size_t n = 0;
    bool main_screen = ui->depth <= 1;
    bool viewer = model_role(ui->m) <= ROLE_VIEWER;
    if (ui->modal) { /* a modal's own keys, nothing else works meanwhile */
        for (const enum action *a = ui->modal->ops->actions; a && *a != ACT_NONE && n < max; a++)
            if (action_bar_label(*a, ui->vi))
                it[n++] = (struct bar_item){*a, 1, 0, false};
        return n;
    }
#define BAR_ADD(act, grp, prio)                                                                    \
    do {                                                                                           \
        if (n < max && action_bar_label((act), ui->vi))                                            \
            it[n++] = (struct bar_item){(act), (grp), (prio), false};                              \
    } while (0)
    if (main_screen)
        for (enum action a = ACT_UNITS; a <= ACT_HISTORY; a++)
            BAR_ADD(a, 0, 2);
    for (const enum action *a = s->ops->actions; a && *a != ACT_NONE; a++)
        if (!(viewer && writes(*a)) && (!s->ops->shows || s->ops->shows(s, ui, *a)))
            BAR_ADD(*a, 1, 1);
    if (s->ops->filters)
        BAR_ADD(ACT_FIND, 1, 1);
    if (!main_screen) {
        BAR_ADD(ACT_BACK, 1, 0);
        for (enum action a = ACT_UNITS; a <= ACT_HISTORY; a++)
            BAR_ADD(a, 2, 3);
    }
    BAR_ADD(ACT_HELP, 3, 0);
    BAR_ADD(ACT_QUIT, 3, 0);
#undef BAR_ADD
    return n;
}

static int bar_item_width(const struct bar_item *it, bool vi)
{
    const struct action_info *ai = action_info(it->a);
    return text_width(ai->bar_key) + 1 + text_width(action_bar_label(it->a, vi));
}

/* Width of the shown items with their separators (one space inside a
 * group, two between groups, one before the first). */
static int bar_width(const struct bar_item *it, size_t n, bool vi)
{
    int w = 1, group = -1;
    for (size_t i = 0; i < n; i++) {
        if (!it[i].shown)
            continue;
        if (group >= 0)
            w += group == it[i].group ? 1 : 2;
        group = it[i].group;
        w += bar_item_width(&it[i], vi);
    }
    return w;
}

static void draw_bar(struct ui *ui, struct screen *s, int y, int cols)
{
    struct bar_item it[32];
    size_t n = bar_items(ui, s, it, 32);
    int x = 1, group = -1;

    /* Choose by priority, item by item, while the line still fits; show in order. */
    for (int prio = 0; prio <= 3; prio++)
        for (size_t i = 0; i < n; i++) {
            if (it[i].priority != prio)
                continue;
            it[i].shown = true;
            if (bar_width(it, n, ui->vi) > cols)
                it[i].shown = false;
        }
    ui_put(y, 0, "", cols, ST_NORMAL);
    for (size_t i = 0; i < n; i++) {
        if (!it[i].shown)
            continue;
        const struct action_info *ai = action_info(it[i].a);
        const char *label = action_bar_label(it[i].a, ui->vi);
        if (group >= 0)
            x += group == it[i].group ? 1 : 2;
        group = it[i].group;
        int kw = text_width(ai->bar_key), lw = text_width(label);
        if (x + kw + 1 + lw > cols)
            break;
        ui_put(y, x, ai->bar_key, kw, ST_BARKEY);
        ui_put(y, x + kw, " ", 1, ST_BAR);
        ui_put(y, x + kw + 1, label, lw, ST_BAR);
        x += kw + 1 + lw;
    }
}

static void draw_too_small(struct ui *ui)
{
    struct strbuf sb = {0};
    tr_addf(&sb, M_TOO_SMALL, COLS, LINES, UI_MIN_COLS, UI_MIN_ROWS);
    /* Wrap by hand: the notice must be readable even 20 columns wide. */
    int y = 0;
    char *clean = xstrdup(sb_str(&sb));
    struct ui_doc d = {0};
    doc_wrap(&d, COLS + 1, 0, clean, ST_WARN);
    doc_wrap(&d, COLS + 1, 0, tr(M_TOO_SMALL_QUIT), ST_NORMAL);
    for (size_t i = 0; i < d.n && y < LINES; i++, y++)
        ui_put(y, 0, d.v[i].text, COLS, d.v[i].st);
    doc_clear(&d);
    free(d.v);
    free(clean);
    sb_free(&sb);
    (void)ui;
}

static bool too_small(void)
{
    return COLS < UI_MIN_COLS || LINES < UI_MIN_ROWS;
}

/* Bottom up, so that a choice's box sits on the editor under it. */
static void draw_modals(struct ui *ui, struct ui_modal *md, int body)
{
    if (!md)
        return;
    draw_modals(ui, md->below, body);
    if (!md->done) {
        cursor_row = -1; /* the selected row is the modal's, if any */
        md->ops->draw(md, ui, 1, body, COLS);
    }
}

static void draw(struct ui *ui)
{
    struct screen *s = top_screen(ui);
    cursor_row = -1;
    erase();
    if (too_small()) {
        draw_too_small(ui);
    } else {
        int body = LINES - 2;
        s->ops->draw(s, ui, 1, body, COLS);
        ui->cur_y = ui->cur_x = -1;
        draw_modals(ui, ui->modal, body);
        draw_header(ui, s, COLS);
        if (ui->msg[0])
            ui_put(LINES - 1, 1, ui->msg, COLS - 1, ST_WARN);
        else
            draw_bar(ui, s, LINES - 1, COLS);
    }
    style_set(ST_NORMAL);
    /* A hidden cursor is left where the last change was drawn: putting it
     * back in a corner would cost every key a few bytes more. */
    if (ui->modal && ui->cur_y >= 0 && !too_small()) {
        move(ui->cur_y, ui->cur_x);
        curs_set(1);
        leaveok(stdscr, FALSE);
    } else {
        curs_set(0);
        leaveok(stdscr, TRUE);
    }
    wnoutrefresh(stdscr);
    doupdate();
}

/* ---- the loop ---- */

typedef int (*getkey_fn)(void *ctx);

static void on_tick(struct ui *ui, bool *dirty)
{
    uint64_t v = model_version(ui->m);
    if (v != ui->version) {
        ui->version = v; /* the top screen reads again before the next draw */
        *dirty = true;
    }
    if (++ui->ticks % 60 == 0)
        model_maintain(ui->m);
}

/* A search screen on top, asking for its words at once. */
static void open_search(struct ui *ui, const struct search_opts *o, const char *label)
{
    struct screen *ss = scr_search_new(ui, o, label);
    ui_push(ui, ss);
    scr_search_ask(ui, ss);
}

/* The filter form's answer: the list keeps only the rows with these words
 * (none: every row), read again from its first row. */
static enum form_result on_filter(struct ui *ui, void *ctx, char *const *texts, const int *choices,
                                  struct strbuf *err)
{
    struct screen *s = ctx;
    const char *w = texts[0] ? texts[0] : "";
    (void)ui, (void)choices, (void)err;
    while (*w == ' ')
        w++;
    free(s->filter);
    s->filter = *w ? xstrdup(w) : NULL;
    s->loaded = false;
    s->list.cursor = s->list.top = 0;
    return FORM_SAVED;
}

/* `/` on a screen that did not take it: a list asks for the words to
 * filter itself by; elsewhere (a record's detail) it is the search of
 * everything. */
static void find_in(struct ui *ui, struct screen *s)
{
    if (!s->ops->filters) {
        open_search(ui, NULL, NULL);
        return;
    }
    const struct form_field f[] = {
        {.label = tr(M_SEARCH_WORDS), .kind = FF_TEXT, .text = s->filter ? s->filter : ""},
    };
    ui_form(ui, tr(M_FILTER_ASK), f, 1, on_filter, s, NULL, NULL);
}

static void on_key(struct ui *ui, int key)
{
    enum action a = keys_action(key);
    struct screen *s = top_screen(ui);

    if (too_small()) { /* only quitting works on the notice */
        if (a == ACT_QUIT || key == 'q')
            ui->quit = true;
        return;
    }
    switch (a) {
    case ACT_UNITS:
    case ACT_COMMITMENTS:
    case ACT_VISITS:
    case ACT_INDICATORS:
    case ACT_HISTORY:
        show_main(ui, a - ACT_UNITS);
        return;
    case ACT_DASHBOARD:
        show_dashboard(ui);
        return;
    case ACT_SEARCH:
        open_search(ui, NULL, NULL);
        return;
    case ACT_QUIT:
        ui->quit = true;
        return;
    case ACT_REDRAW:
        clearok(curscr, TRUE);
        return;
    default:
        break;
    }
    if (a == ACT_BACK && key == KEYS_ESC && s->filter) { /* Esc: the whole list again */
        free(s->filter);
        s->filter = NULL;
        s->loaded = false;
        return;
    }
    if (a != ACT_NONE && s->ops->action(s, ui, a))
        return;
    if (ui_list_move(&s->list, a)) {
        if (s->doc)
            doc_skip(s->doc, &s->list, a == ACT_UP || a == ACT_PAGE_UP || a == ACT_LAST ? -1 : +1);
        return;
    }
    if (a == ACT_BACK) {
        if (ui->depth > 1)
            screen_free(ui->stack[--ui->depth]);
        else if (key != KEYS_ESC)
            ui->quit = true; /* q on a main screen quits without asking */
    } else if (a == ACT_HELP) {
        ui_push(ui, scr_help_new(ui, s));
    } else if (a == ACT_FIND) {
        find_in(ui, s);
    }
}

static void ui_free(struct ui *ui)
{
    pop_details(ui);
    for (int k = 0; k < 5; k++)
        screen_free(ui->tops[k]);
    screen_free(dash_top);
    dash_top = NULL;
    memset(ui, 0, sizeof *ui);
}

/* The year in view before the Visits screen is opened: the configuration's,
 * else the latest with visits (the Indicators screen shows its methodology). */
static int initial_year(struct ui *ui)
{
    int years[128];
    size_t n = 0;
    struct cchc_err e = {0};
    if (ui->cfg->default_year)
        return ui->cfg->default_year;
    if (model_visit_years(ui->m, years, 128, &n, &e) == CCHC_OK && n)
        return years[n - 1];
    return 0;
}

static int run(struct model *m, const struct config *cfg, getkey_fn getkey, void *ctx)
{
    struct ui ui = {.m = m, .cfg = cfg, .cur_y = -1, .cur_x = -1};
    bool dirty = true;

    i18n_set(cfg->lang);
    ui.vi = i18n_vi();
    ui.color = use_color;
    ui.version = model_version(m);
    ui.year = initial_year(&ui);
    model_maintain(m);
    show_dashboard(&ui);
    ui_offer_drafts(&ui); /* what this login typed before a lost session */
    while (!ui.quit && !got_signal) {
        struct screen *s = top_screen(&ui);
        if (!s->loaded || s->version != ui.version) {
            s->ops->load(s, &ui);
            s->loaded = true;
            s->version = ui.version;
            dirty = true;
        }
        if (ui.redraw_all) {
            clearok(curscr, TRUE);
            ui.redraw_all = false;
            dirty = true;
        }
        if (dirty)
            draw(&ui);
        dirty = false;
        int key = getkey(ctx);
        if (key == UI_KEY_END || key == UI_KEY_HANGUP)
            break;
        if (key == UI_KEY_TICK) {
            on_tick(&ui, &dirty);
            modals_tick(&ui, true);
            continue;
        }
        dirty = true;
        if (key == KEYS_FUNC(KEY_RESIZE))
            continue; /* ncurses has set LINES and COLS */
        ui.msg[0] = '\0';
        if (ui.modal && !too_small()) {
            ui.modal->ops->key(ui.modal, &ui, key);
            modals_tick(&ui, false);
        } else {
            on_key(&ui, key);
        }
        modals_reap(&ui);              /* also one a screen's key opened and closed at once */
        ui.version = model_version(m); /* what the key saved shows at once */
    }
    modals_hangup(&ui); /* a signal, the terminal gone, the end of a script */
    ui_free(&ui);
    return CCHC_OK;
}

/* Home, End and the other keys as terminals send them whatever TERM says:
 * over SSH from PuTTY, a Linux console or another emulator, Home may come
 * as any of these while the terminfo entry names one. */
static const struct {
    const char *seq;
    int key;
} other_keys[] = {
    {"\033[1~", KEY_HOME},  {"\033[7~", KEY_HOME},  {"\033[H", KEY_HOME}, {"\033OH", KEY_HOME},
    {"\033[4~", KEY_END},   {"\033[8~", KEY_END},   {"\033[F", KEY_END},  {"\033OF", KEY_END},
    {"\033[5~", KEY_PPAGE}, {"\033[6~", KEY_NPAGE}, {"\033[3~", KEY_DC},  {"\033[A", KEY_UP},
    {"\033[B", KEY_DOWN},   {"\033[C", KEY_RIGHT},  {"\033[D", KEY_LEFT}, {"\033OA", KEY_UP},
    {"\033OB", KEY_DOWN},   {"\033OC", KEY_RIGHT},  {"\033OD", KEY_LEFT},
};

static void curses_setup(void)
{
    cbreak();
    noecho();
    nonl();
    intrflush(stdscr, FALSE);
    keypad(stdscr, TRUE);
    curs_set(0);
    /* How long after Esc the rest of a key's sequence may come: over a
     * mobile link the bytes of one key can arrive 100 ms apart, and a
     * sequence cut in two would read as Esc (back) and letters. ESCDELAY
     * in the environment (milliseconds) overrides it. */
    if (!getenv("ESCDELAY"))
        set_escdelay(150);
    for (size_t i = 0; i < sizeof other_keys / sizeof other_keys[0]; i++)
        if (key_defined(other_keys[i].seq) <= 0)
            define_key(other_keys[i].seq, other_keys[i].key);
    wtimeout(stdscr, 1000);
}

/* ---- the real terminal ---- */

/* Has the terminal gone (hung up, closed)? Asked when a wait ended with
 * no key: a timeout leaves the input quiet; a dropped link leaves it
 * readable at once with nothing to read (EIO or end of file). */
static bool tty_gone(int err, int *fast_errs, double waited)
{
    struct pollfd p = {.fd = STDIN_FILENO, .events = POLLIN};
    if (err == EIO || err == EBADF)
        return true;
    if (poll(&p, 1, 0) == 1 && (p.revents & (POLLHUP | POLLERR | POLLNVAL)))
        return true;
    /* A wait that ends at once, again and again, with no key: end of file. */
    if (err != EINTR && waited < 0.5)
        return ++*fast_errs >= 20;
    *fast_errs = 0;
    return false;
}

/* After an Esc: a key curses does not know (ESC [ ... final byte, or
 * ESC O x) is read to its end and dropped, instead of acting as Esc and
 * a few letters. True when one was dropped; a lone Esc is left alone. */
static bool skip_unknown_sequence(void)
{
    wint_t c;
    int r;
    bool csi;
    wtimeout(stdscr, 0);
    r = wget_wch(stdscr, &c);
    if (r == ERR || r == KEY_CODE_YES || (c != '[' && c != 'O')) {
        if (r == KEY_CODE_YES)
            ungetch((int)c);
        else if (r != ERR)
            unget_wch(c);
        wtimeout(stdscr, 1000);
        return false;
    }
    csi = c == '[';
    wtimeout(stdscr, 50);
    /* CSI: parameters and intermediates (0x20-0x3f), then a final byte
     * (0x40-0x7e); SS3: one more byte. */
    for (int n = 0; n < 32 && wget_wch(stdscr, &c) != ERR; n++)
        if (!csi || (c >= 0x40 && c <= 0x7e))
            break;
    wtimeout(stdscr, 1000);
    return true;
}

static int tty_getkey(void *ctx)
{
    static int fast_errs;
    wint_t wch;
    (void)ctx;
    double t0 = ui_clock();
    errno = 0;
    int r = wget_wch(stdscr, &wch);
    if (r == ERR) {
        int e = errno;
        if (!got_signal && tty_gone(e, &fast_errs, ui_clock() - t0))
            return UI_KEY_HANGUP;
        return UI_KEY_TICK; /* timeout, or a signal interrupted the wait */
    }
    fast_errs = 0;
    if (r == KEY_CODE_YES)
        return KEYS_FUNC((int)wch);
    if (wch == 27 && skip_unknown_sequence())
        return UI_KEY_TICK;
    return (int)wch;
}

int ui_main(struct model *m, const struct config *cfg, struct cchc_err *err)
{
    struct saved_signals old;
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
        return err_set(err, CCHC_EUSAGE, "the UI needs a terminal (use a command: cchc --help)");
    const char *term = getenv("TERM");
    SCREEN *sc = newterm(NULL, stdout, stdin);
    ui_edit_set_input(STDIN_FILENO);
    if (!sc)
        return err_set(err, CCHC_ERUNTIME, "cannot use the terminal '%s'",
                       term && *term ? term : "(TERM not set)");
    curses_setup();
    ui_no_flow_control();
    styles_init(cfg);
    signals_install(&old);
    int status = run(m, cfg, tty_getkey, NULL);
    endwin();
    delscreen(sc);
    signals_restore(&old);
    return status;
}

/* ---- scripted runs ---- */

static int script_getkey(void *ctx)
{
    const struct ui_keysrc *src = ctx;
    return src->next(src->ctx);
}

int ui_run_script(struct model *m, const struct config *cfg, const char *term, int rows, int cols,
                  const struct ui_keysrc *src, struct cchc_err *err)
{
    char buf[16];
    /* One stream for both ways: reads see end of file, writes vanish. */
    FILE *null = fopen("/dev/null", "r+");
    if (!null)
        return err_set(err, CCHC_ERUNTIME, "cannot open /dev/null");
    /* The size comes from the environment when the output is no terminal. */
    snprintf(buf, sizeof buf, "%d", rows);
    setenv("LINES", buf, 1);
    snprintf(buf, sizeof buf, "%d", cols);
    setenv("COLUMNS", buf, 1);
    SCREEN *sc = newterm(term, null, null);
    if (!sc) {
        fclose(null);
        return err_set(err, CCHC_ERUNTIME, "no terminal description for '%s'", term);
    }
    curses_setup();
    styles_init(cfg);
    got_signal = 0;
    int status = run(m, cfg, script_getkey, (void *)src);
    endwin();
    delscreen(sc);
    fclose(null);
    unsetenv("LINES");
    unsetenv("COLUMNS");
    return status;
}

void ui_script_resize(int rows, int cols)
{
    resizeterm(rows, cols);
}

void ui_dump(struct strbuf *out)
{
    int cy, cx;
    getyx(curscr, cy, cx);
    for (int y = 0; y < LINES; y++) {
        struct strbuf line = {0};
        for (int x = 0; x < COLS;) {
            cchar_t cc;
            wchar_t wc[CCHARW_MAX + 1] = {0};
            attr_t attr;
            short pair;
            char mb[MB_LEN_MAX * (CCHARW_MAX + 1)];
            int w = 1;
            if (mvwin_wch(curscr, y, x, &cc) == ERR ||
                getcchar(&cc, wc, &attr, &pair, NULL) == ERR) {
                sb_addc(&line, ' ');
                x++;
                continue;
            }
            if (wc[0] && wcwidth(wc[0]) > 1)
                w = wcwidth(wc[0]);
            for (int i = 0; i < CCHARW_MAX && wc[i]; i++) {
                mbstate_t ps;
                memset(&ps, 0, sizeof ps);
                size_t k = wcrtomb(mb, wc[i], &ps);
                if (k != (size_t)-1)
                    sb_add(&line, mb, k);
            }
            if (!wc[0])
                sb_addc(&line, ' ');
            x += w;
        }
        while (line.len && line.buf[line.len - 1] == ' ')
            line.buf[--line.len] = '\0';
        if (y == cursor_row)
            sb_addc(out, '>');
        else if (line.len)
            sb_addc(out, ' ');
        sb_adds(out, sb_str(&line));
        sb_addc(out, '\n');
        sb_free(&line);
    }
    wmove(curscr, cy, cx);
}
