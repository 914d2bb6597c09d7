/* ui_edit.c — the note editor widget and the $VISUAL/$EDITOR round trip
 * (see ui_edit.h).
 *
 * The editing rules are editbuf's; this file maps keys to them, draws the
 * buffer and runs the external editor. Drawing goes character by character
 * at the column the layout computed, each character through text_sanitize(),
 * so the cursor and the text always agree and nothing in a note can act on
 * the terminal. The text uses one column less than the rectangle so that a
 * cursor at the end of a full line still has a cell. A paste, bracketed or
 * not, is read to its end in one call (ui_edit_feed) and inserted in one
 * piece, so that it shows as soon as it has arrived.
 *
 * Never open a database transaction here, and never hold one across
 * ui_edit_external(): the user may leave the editor open for an hour.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <term.h>
#include <termios.h>
#include <unistd.h>

#include <unistr.h>

#include "cchc/keys.h"
#include "cchc/text.h"
#include "cchc/ui_edit.h"

#define PASTE_SLACK   (64 * 1024) /* bytes a paste may hold beyond 4 x the limit */
#define PASTE_WAIT_MS 200         /* the rest of a paste may come this late (a slow link) */
#define CHAR_WAIT_MS  100         /* the rest of a character whose first bytes came */
#define FEED_MAX      (1 << 18)   /* keys taken in one call, at most: then the screen is drawn */

struct ui_edit {
    struct editbuf *eb;
    char *title;
    bool vi;
    char msg[256];
    bool ctrl_x;         /* C-x typed: waiting for C-e */
    bool in_paste;       /* between the bracketed paste markers */
    struct strbuf paste; /* text not inserted yet: a paste, or keys typed ahead */
    size_t paste_lost;   /* bytes of it past paste_cap(), counted but not kept */
    size_t dropped;      /* bytes not added since the last other key: the message says so */
    /* from the last draw: the layout width and text rows, for moves */
    int width, rows;
    size_t top; /* first visual line shown */
    int cur_y, cur_x;
};

/* ---- set-up ------------------------------------------------------------ */

struct ui_edit *ui_edit_new(const char *title, const char *text, size_t limit, bool vi)
{
    struct ui_edit *e = xcalloc(1, sizeof *e);
    e->eb = editbuf_new(limit);
    editbuf_set(e->eb, text);
    e->title = xstrdup(title ? title : "");
    e->vi = vi;
    e->width = 79;
    e->rows = 20;
    return e;
}

void ui_edit_free(struct ui_edit *e)
{
    if (!e)
        return;
    editbuf_free(e->eb);
    free(e->title);
    sb_free(&e->paste);
    free(e);
}

struct editbuf *ui_edit_buf(struct ui_edit *e)
{
    return e->eb;
}

void ui_edit_set_title(struct ui_edit *e, const char *title)
{
    free(e->title);
    e->title = xstrdup(title ? title : "");
}

void ui_edit_set_message(struct ui_edit *e, const char *msg)
{
    size_t n = msg ? strlen(msg) : 0;
    if (n >= sizeof e->msg) { /* cut on a character boundary */
        n = sizeof e->msg - 1;
        while (n > 0 && ((unsigned char)msg[n] & 0xC0) == 0x80)
            n--;
    }
    if (n)
        memcpy(e->msg, msg, n);
    e->msg[n] = '\0';
}

const char *ui_edit_message(const struct ui_edit *e)
{
    return e->msg;
}

/* A string capability of the current terminal, NULL when absent. */
static const char *cap(const char *name)
{
    if (!cur_term)
        return NULL;
    char *s = tigetstr(name);
    return s && s != (char *)-1 ? s : NULL;
}

/* The key code ncurses gives an extended key (C-← is kLFT5), or 0. */
static int ext_key(const char *name)
{
    const char *s = cap(name);
    if (!s)
        return 0;
    int k = key_defined(s);
    return k > 0 ? KEYS_FUNC(k) : 0;
}

static bool paste_on;
static const char *paste_be, *paste_bd; /* what turns bracketed paste on and off */

/* Terminals that bracket pastes (xterm's DEC mode 2004) although an older
 * terminfo entry on the server may not say so. */
static bool brackets_anyway(void)
{
    static const char *const names[] = {"xterm", "tmux",  "screen", "rxvt",  "putty",   "alacritty",
                                        "foot",  "kitty", "vte",    "gnome", "konsole", "st-"};
    const char *term = termname();
    for (size_t i = 0; term && i < sizeof names / sizeof *names; i++)
        if (strncmp(term, names[i], strlen(names[i])) == 0)
            return true;
    return false;
}

void ui_edit_term_begin(void)
{
    if (!stdscr)
        return;
    raw();
    const char *ps = cap("PS"), *pe = cap("PE");
    paste_be = cap("BE");
    paste_bd = cap("BD");
    if (!paste_be || !paste_bd) {
        paste_be = paste_bd = NULL;
        if (brackets_anyway()) {
            paste_be = "\033[?2004h";
            paste_bd = "\033[?2004l";
        }
    }
    /* The markers are keys even when the entry does not name them: a
     * terminal that brackets a paste anyway then gives one paste, not a
     * storm of keys ending in a stray "[201~". */
    define_key(ps ? ps : "\033[200~", UE_KEY_PASTE_BEGIN);
    define_key(pe ? pe : "\033[201~", UE_KEY_PASTE_END);
    /* putp() writes to stdout: only when that is the terminal (not in a
     * scripted run on /dev/null) */
    if (paste_be && isatty(STDOUT_FILENO)) {
        putp(paste_be);
        fflush(stdout);
        paste_on = true;
    }
}

/* C-s saves in the editor and the forms: the terminal must not take it for
 * XOFF (it would stop the output until C-q). Called at start and each time
 * curses sets the line modes again (ui_edit_term_end: noraw() turns IXON
 * back on). */
void ui_no_flow_control(void)
{
    if (!isatty(STDIN_FILENO))
        return;
    struct termios t;
    if (tcgetattr(STDIN_FILENO, &t) != 0)
        return;
    t.c_iflag &= ~(tcflag_t)(IXON | IXOFF);
    if (tcsetattr(STDIN_FILENO, TCSANOW, &t) == 0 && stdscr)
        def_prog_mode(); /* endwin() restores the shell's modes, flow control included */
}

void ui_edit_term_end(void)
{
    if (!stdscr)
        return;
    noraw();
    cbreak();
    ui_no_flow_control(); /* noraw() gave C-s back to the terminal as XOFF */
    if (paste_on && paste_bd) {
        putp(paste_bd);
        fflush(stdout);
    }
    paste_on = false;
}

/* ---- messages ---------------------------------------------------------- */

/* Part of what was typed or pasted did not fit: say at once how much. */
static void msg_not_added(struct ui_edit *e)
{
    size_t limit = editbuf_limit(e->eb);
    if (e->vi)
        snprintf(e->msg, sizeof e->msg,
                 "Ghi chú quá dài: %zu byte cuối không thêm được (tối đa %zu)", e->dropped, limit);
    else
        snprintf(e->msg, sizeof e->msg,
                 "Note too long: the last %zu bytes were not added (limit %zu)", e->dropped, limit);
    if (stdscr)
        beep();
}

static enum ue_event result(enum eb_result r)
{
    return r == EB_OK ? UE_CHANGED : UE_NONE;
}

/* ---- text in -------------------------------------------------------------
 *
 * Text goes in as much as fits (editbuf_insert_fit): a paste longer than
 * the room left keeps its beginning, and the status line says at once how
 * many bytes were left out, counted over the whole paste even when it came
 * in several reads. A paste (between the bracketed paste markers) or a run
 * of keys typed ahead (a paste in a terminal without bracketed paste) is
 * gathered in e->paste and inserted in one piece, so that it costs one
 * insertion and one drawing, not one per character.
 */

static size_t paste_cap(const struct ui_edit *e)
{
    return 4 * editbuf_limit(e->eb) + PASTE_SLACK;
}

/* Insert s[0..len) as typed or pasted; lost: bytes already left out. */
static enum ue_event insert_text(struct ui_edit *e, const char *s, size_t len, size_t lost)
{
    size_t dropped = 0;
    enum eb_result r = len ? editbuf_insert_fit(e->eb, s, len, &dropped) : EB_NOTHING;
    if (dropped + lost > 0) {
        e->dropped += dropped + lost;
        msg_not_added(e);
    }
    return result(r);
}

static enum ue_event type_char(struct ui_edit *e, ucs4_t c)
{
    uint8_t u[6];
    int k = u8_uctomb(u, c, (int)sizeof u);
    return k > 0 ? insert_text(e, (const char *)u, (size_t)k, 0) : UE_NONE;
}

/* Add a key to the text waiting to be inserted (cleaned when inserted). */
static void pend_key(struct ui_edit *e, int key)
{
    uint8_t u[6];
    int k = 0;
    if (key == KEYS_FUNC(KEY_ENTER))
        u[k++] = '\n';
    else if (!KEYS_IS_FUNC(key) && key >= 0)
        k = u8_uctomb(u, (ucs4_t)key, (int)sizeof u);
    if (k <= 0)
        return; /* not text */
    if (e->paste.len + (size_t)k > paste_cap(e))
        e->paste_lost += (size_t)k; /* counted for the message, without eating memory */
    else
        sb_add(&e->paste, u, (size_t)k);
}

/* Insert the text waiting, if any. */
static enum ue_event flush(struct ui_edit *e)
{
    if (!e->paste.len && !e->paste_lost)
        return UE_NONE;
    enum ue_event ev = insert_text(e, e->paste.buf, e->paste.len, e->paste_lost);
    sb_free(&e->paste);
    e->paste_lost = 0;
    return ev;
}

static enum ue_event paste_key(struct ui_edit *e, int key)
{
    static const char end[] = "\033[201~";
    const size_t n = sizeof end - 1;
    if (key == KEYS_FUNC(UE_KEY_PASTE_END) || key < 0) {
        e->in_paste = false;
        return flush(e);
    }
    pend_key(e, key);
    /* The end marker cut by a pause longer than ESCDELAY arrives as Esc and
     * five characters: it is still the end, and not text. */
    if (e->paste.len >= n && memcmp(e->paste.buf + e->paste.len - n, end, n) == 0) {
        e->paste.len -= n;
        e->paste.buf[e->paste.len] = '\0';
        e->in_paste = false;
        return flush(e);
    }
    return UE_NONE;
}

/* Keys typed ahead are plain characters: take them in the same call. */
static bool is_text_key(int key)
{
    return !KEYS_IS_FUNC(key) && (key >= 0x20 || key == '\r' || key == '\n' || key == '\t') &&
           key != 0x7F;
}

static bool is_paste_marker(int key)
{
    return key == KEYS_FUNC(UE_KEY_PASTE_BEGIN) || key == KEYS_FUNC(UE_KEY_PASTE_END);
}

/* ---- keys -------------------------------------------------------------- */

static enum ue_event save_key(struct ui_edit *e)
{
    size_t len = editbuf_len(e->eb), limit = editbuf_limit(e->eb);
    if (len <= limit)
        return UE_SAVE;
    if (e->vi)
        snprintf(e->msg, sizeof e->msg, "Ghi chú quá dài (%zu/%zu byte): hãy rút gọn trước khi lưu",
                 len, limit);
    else
        snprintf(e->msg, sizeof e->msg, "Note too long (%zu of %zu bytes): shorten it to save", len,
                 limit);
    return UE_NONE;
}

/* Moves: true when the key is one. */
static bool move_key(struct ui_edit *e, int key)
{
    static const struct {
        int key;
        enum eb_move how;
    } moves[] = {
        {KEYS_FUNC(KEY_LEFT), EB_LEFT},  {KEYS_FUNC(KEY_RIGHT), EB_RIGHT},
        {KEYS_FUNC(KEY_UP), EB_UP},      {KEYS_FUNC(KEY_DOWN), EB_DOWN},
        {KEYS_FUNC(KEY_HOME), EB_HOME},  {KEYS_FUNC(KEY_END), EB_END},
        {KEYS_CTRL('a'), EB_PARA_START}, {KEYS_CTRL('e'), EB_PARA_END},
        {KEYS_CTRL('b'), EB_LEFT},       {KEYS_CTRL('f'), EB_RIGHT},
        {KEYS_CTRL('p'), EB_UP},         {KEYS_CTRL('n'), EB_DOWN},
    };
    for (size_t i = 0; i < sizeof moves / sizeof *moves; i++) {
        if (moves[i].key == key) {
            editbuf_move(e->eb, moves[i].how, e->width);
            return true;
        }
    }
    int page = e->rows > 2 ? e->rows - 1 : 1;
    if (key == KEYS_FUNC(KEY_NPAGE) || key == KEYS_FUNC(KEY_PPAGE)) {
        if (!editbuf_move_lines(e->eb, key == KEYS_FUNC(KEY_NPAGE) ? page : -page, e->width))
            editbuf_move(e->eb, key == KEYS_FUNC(KEY_NPAGE) ? EB_TEXT_END : EB_TEXT_START,
                         e->width);
        return true;
    }
    struct {
        const char *cap;
        enum eb_move how;
    } ext[] = {{"kLFT5", EB_WORD_LEFT},
               {"kRIT5", EB_WORD_RIGHT},
               {"kHOM5", EB_TEXT_START},
               {"kEND5", EB_TEXT_END}};
    if (!KEYS_IS_FUNC(key) || key <= KEYS_FUNC(KEY_MAX))
        return false;
    for (size_t i = 0; i < sizeof ext / sizeof *ext; i++) {
        if (key == ext_key(ext[i].cap)) {
            editbuf_move(e->eb, ext[i].how, e->width);
            return true;
        }
    }
    return false;
}

static enum ue_event edit_key(struct ui_edit *e, int key)
{
    switch (key) {
    case '\r':
    case '\n':
    case KEYS_FUNC(KEY_ENTER):
        return type_char(e, '\n');
    case KEYS_FUNC(KEY_BACKSPACE):
    case 0x7F:
    case KEYS_CTRL('h'):
        return result(editbuf_delete_back(e->eb));
    case KEYS_FUNC(KEY_DC):
    case KEYS_CTRL('d'):
        return result(editbuf_delete_forward(e->eb));
    case KEYS_CTRL('k'):
        return result(editbuf_kill_to_end(e->eb));
    case KEYS_CTRL('u'):
        return result(editbuf_kill_to_start(e->eb));
    case '\t':
        return type_char(e, ' ');
    default:
        break;
    }
    if (KEYS_IS_FUNC(key) || key < 0x20 || key > 0x10FFFF)
        return UE_NONE; /* other control keys do nothing */
    return type_char(e, (ucs4_t)key);
}

enum ue_event ui_edit_key(struct ui_edit *e, int key)
{
    if (e->in_paste)
        return paste_key(e, key);
    if (key < 0) { /* a pause: what comes next is a new paste */
        enum ue_event ev = flush(e);
        e->dropped = 0;
        return ev;
    }
    e->msg[0] = '\0';
    if (key == KEYS_FUNC(UE_KEY_PASTE_BEGIN)) {
        enum ue_event ev = flush(e);
        e->in_paste = true;
        e->dropped = 0;
        return ev;
    }
    if (key == KEYS_FUNC(UE_KEY_PASTE_END))
        return UE_NONE;
    if (!is_text_key(key))
        e->dropped = 0;
    if (e->ctrl_x) {
        e->ctrl_x = false;
        if (key == KEYS_CTRL('e'))
            return UE_EXTERNAL;
        if (key == KEYS_CTRL('s'))
            return save_key(e);
        /* anything else: as if C-x had not been typed */
    }
    if (key == KEYS_CTRL('x')) {
        e->ctrl_x = true;
        snprintf(e->msg, sizeof e->msg, "C-x …");
        return UE_NONE;
    }
    if (key == KEYS_CTRL('s'))
        return save_key(e);
    if (key == KEYS_ESC)
        return UE_CANCEL;
    if (move_key(e, key))
        return UE_NONE;
    return edit_key(e, key);
}

static int input_fd = -1;

void ui_edit_set_input(int fd)
{
    input_fd = fd;
}

/* Are bytes waiting on the terminal (not yet read by curses)? */
static bool input_waiting(void)
{
    struct pollfd p = {.fd = input_fd, .events = POLLIN};
    return input_fd >= 0 && poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

static int read_key(WINDOW *w, int *key)
{
    wint_t wch;
    int r = wget_wch(w, &wch);
    if (r == ERR)
        return ERR;
    *key = r == KEY_CODE_YES ? KEYS_FUNC((int)wch) : (int)wch;
    return OK;
}

static void unread_key(int key)
{
    if (KEYS_IS_FUNC(key))
        ungetch(key & ~0x40000000);
    else
        unget_wch((wchar_t)key);
}

/* The event that matters more: SAVE, CANCEL, EXTERNAL, then CHANGED. */
static enum ue_event stronger(enum ue_event a, enum ue_event b)
{
    return b == UE_NONE || (b == UE_CHANGED && a != UE_NONE) ? a : b;
}

enum ue_event ui_edit_feed(struct ui_edit *e, WINDOW *w, int key)
{
    enum ue_event ev = UE_NONE;
    int delay = w ? wgetdelay(w) : 0;
    for (int n = 0;; n++) {
        if (!e->in_paste && !e->ctrl_x && is_text_key(key)) {
            if (!e->paste.len && !e->paste_lost)
                e->msg[0] = '\0'; /* as any key does */
            pend_key(e, key);
        } else {
            if (!e->in_paste) /* the text typed before the key, before it acts */
                ev = stronger(ev, flush(e));
            ev = stronger(ev, ui_edit_key(e, key));
        }
        if (!w || n >= FEED_MAX || (ev != UE_NONE && ev != UE_CHANGED))
            break;
        /* Keys typed ahead are read without waiting; but ncurses drops the
         * first bytes of a character it cannot finish within the timeout,
         * and on a loaded machine a long paste's bytes come in several
         * reads, cut anywhere: when bytes are waiting, give the rest of
         * their character time to come. */
        wtimeout(w, e->in_paste ? PASTE_WAIT_MS : input_waiting() ? CHAR_WAIT_MS : 0);
        if (read_key(w, &key) == ERR)
            break;
        if (!e->in_paste && !is_text_key(key) && !is_paste_marker(key)) {
            unread_key(key); /* a command: for the caller's next read */
            break;
        }
    }
    if (!e->in_paste) /* a paste still coming waits for its end, or a pause */
        ev = stronger(ev, flush(e));
    if (w)
        wtimeout(w, delay);
    return ev;
}

enum ue_event ui_edit_read(struct ui_edit *e, WINDOW *w, bool *timeout)
{
    int key;
    if (timeout)
        *timeout = false;
    if (read_key(w, &key) == ERR) {
        if (timeout)
            *timeout = true;
        return ui_edit_key(e, -1);
    }
    return ui_edit_feed(e, w, key);
}

/* ---- drawing ----------------------------------------------------------- */

/* Bytes [a, b) of s, one character at a time at the columns the layout
 * gave, cut at cols. */
static void draw_text(WINDOW *w, int row, int x, int cols, const char *s, size_t a, size_t b)
{
    int col = 0;
    while (a < b) {
        size_t nx = text_next_char(s, b, a);
        unsigned char c = (unsigned char)s[a];
        if (nx == a + 1 && c >= 0x20 && c < 0x7F) { /* what text_sanitize gives it */
            if (col + 1 > cols)
                return;
            mvwaddch(w, row, x + col, c);
            col++;
        } else {
            char *raw = xstrndup(s + a, nx - a);
            char *safe = text_sanitize(raw, false);
            int cw = text_width(safe);
            free(raw);
            if (col + cw > cols) {
                free(safe);
                return;
            }
            if (cw > 0)
                mvwaddstr(w, row, x + col, safe);
            free(safe);
            col += cw;
        }
        a = nx;
    }
}

/* One full-width bar: left text, right text kept whole when it fits. */
static void draw_bar(WINDOW *w, int row, int x, int cols, const char *left, const char *right,
                     attr_t attr)
{
    struct strbuf sb = {0};
    int rw = text_width(right);
    if (rw + 2 > cols)
        rw = 0;
    text_fit(&sb, left, cols - rw - (rw ? 1 : 0), true);
    if (rw) {
        sb_addc(&sb, ' ');
        text_fit(&sb, right, rw, false);
    }
    wattrset(w, attr);
    mvwhline(w, row, x, ' ', cols);
    mvwaddstr(w, row, x, sb_str(&sb));
    wattrset(w, A_NORMAL);
    sb_free(&sb);
}

static void keep_cursor_in_view(struct ui_edit *e, size_t line, size_t nlines)
{
    size_t rows = (size_t)e->rows;
    if (line < e->top)
        e->top = line;
    if (line >= e->top + rows)
        e->top = line - rows + 1;
    if (nlines > rows && e->top > nlines - rows) /* no empty rows below after deleting */
        e->top = nlines - rows;
}

void ui_edit_draw(struct ui_edit *e, WINDOW *w, int y, int x, int rows, int cols)
{
    if (rows < 1 || cols < 1)
        return;
    bool bars = rows >= 3;
    int ty = bars ? y + 1 : y;
    e->rows = bars ? rows - 2 : rows;
    e->width = cols > 2 ? cols - 1 : 1;
    if (bars) {
        const char *mod = editbuf_modified(e->eb) ? (e->vi ? "(đã sửa)" : "(modified)") : "";
        draw_bar(w, y, x, cols, e->title, mod, A_REVERSE | A_BOLD);
    }
    size_t n, line;
    int col;
    const struct eb_line *l = editbuf_layout(e->eb, e->width, &n);
    editbuf_cursor_pos(e->eb, e->width, &line, &col);
    keep_cursor_in_view(e, line, n);
    const char *text = editbuf_text(e->eb);
    wattrset(w, A_NORMAL);
    for (int r = 0; r < e->rows; r++) {
        mvwhline(w, ty + r, x, ' ', cols);
        size_t i = e->top + (size_t)r;
        if (i < n)
            draw_text(w, ty + r, x, cols, text, l[i].start, l[i].end);
    }
    if (bars) {
        char count[64];
        snprintf(count, sizeof count, "%zu/%zu", editbuf_len(e->eb), editbuf_limit(e->eb));
        const char *keys = e->vi ? "Ctrl-S lưu · Esc thoát · Ctrl-X Ctrl-E soạn ngoài"
                                 : "Ctrl-S save · Esc leave · Ctrl-X Ctrl-E external editor";
        char pasting[64];
        if (e->in_paste) /* the rest is late (a slow link): say that it is coming */
            snprintf(pasting, sizeof pasting, e->vi ? "Đang dán… %zu byte" : "Pasting… %zu bytes",
                     e->paste.len + e->paste_lost);
        const char *left = e->in_paste ? pasting : e->msg[0] ? e->msg : keys;
        draw_bar(w, y + rows - 1, x, cols, left, count,
                 e->in_paste || e->msg[0] ? A_BOLD : A_REVERSE);
    }
    e->cur_y = ty + (int)(line - e->top);
    e->cur_x = x + (col < cols - 1 ? col : cols - 1);
    wmove(w, e->cur_y, e->cur_x);
}

void ui_edit_place_cursor(const struct ui_edit *e, WINDOW *w)
{
    wmove(w, e->cur_y, e->cur_x);
}

/* ---- the external editor ----------------------------------------------- */

static int write_all(int fd, const char *s, size_t n)
{
    while (n > 0) {
        ssize_t k = write(fd, s, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        s += k;
        n -= (size_t)k;
    }
    return 0;
}

/* A private file holding text; its path into path. -1 with err set. Text
 * that is not empty ends with a newline, as a text file's last line does:
 * a line an editor or a shell adds at the end is then a line of its own,
 * not glued to the last one (tidy() takes that newline off again). */
static int make_temp(const char *text, char *path, size_t size, struct cchc_err *err)
{
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir)
        dir = "/tmp";
    if ((size_t)snprintf(path, size, "%s/cchc-note-XXXXXX.txt", dir) >= size)
        return err_set(err, CCHC_ERUNTIME, "temporary directory name too long: %s", dir), -1;
    int fd = mkstemps(path, 4);
    if (fd < 0)
        return err_set(err, CCHC_ERUNTIME, "cannot create a temporary file in %s: %s", dir,
                       strerror(errno)),
               -1;
    size_t n = strlen(text);
    int ok = fchmod(fd, 0600) == 0 && write_all(fd, text, n) == 0 &&
             (n == 0 || write_all(fd, "\n", 1) == 0);
    int saved = errno;
    if (close(fd) != 0 && ok) {
        ok = 0;
        saved = errno;
    }
    if (!ok) {
        unlink(path);
        return err_set(err, CCHC_ERUNTIME, "cannot write the temporary file %s: %s", path,
                       strerror(saved)),
               -1;
    }
    return 0;
}

/* Run the editor on path and wait; its wait status, or -1 when it could not
 * be started (errno set). */
static int run_editor(const char *editor, const char *path)
{
    char *cmd = xasprintf("%s \"$1\"", editor);
    struct sigaction ign, old_int, old_quit;
    memset(&ign, 0, sizeof ign);
    ign.sa_handler = SIG_IGN;
    sigemptyset(&ign.sa_mask);
    sigaction(SIGINT, &ign, &old_int);
    sigaction(SIGQUIT, &ign, &old_quit);
    fflush(stdout);
    fflush(stderr);
    int status = -1;
    pid_t pid = fork();
    if (pid == 0) {
        sigaction(SIGINT, &old_int, NULL);
        sigaction(SIGQUIT, &old_quit, NULL);
        execl("/bin/sh", "sh", "-c", cmd, "sh", path, (char *)NULL);
        _exit(127);
    }
    int saved = errno;
    if (pid > 0) {
        while (waitpid(pid, &status, 0) < 0) {
            if (errno != EINTR) {
                saved = errno;
                status = -1;
                break;
            }
        }
    }
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGQUIT, &old_quit, NULL);
    free(cmd);
    errno = saved;
    return status;
}

/* The file's contents, at most cap bytes; NULL with err set when it cannot
 * be read or is larger. */
static char *read_back(const char *path, size_t cap, size_t limit, struct cchc_err *err)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return err_set(err, CCHC_ERUNTIME, "cannot read back %s: %s", path, strerror(errno)), NULL;
    struct strbuf sb = {0};
    char buf[8192];
    for (;;) {
        ssize_t k = read(fd, buf, sizeof buf);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            err_set(err, CCHC_ERUNTIME, "cannot read back %s: %s", path, strerror(errno));
            break;
        }
        if (k == 0) {
            close(fd);
            return sb.buf ? sb_detach(&sb) : xstrdup("");
        }
        sb_add(&sb, buf, (size_t)k);
        if (sb.len > cap) {
            err_set(err, CCHC_EUSAGE,
                    "the text written in the editor is far over the limit of %zu bytes; it was "
                    "not taken",
                    limit);
            err_vi(err, "Văn bản viết trong trình soạn thảo vượt xa giới hạn %zu byte: không lấy",
                   limit);
            break;
        }
    }
    close(fd);
    sb_free(&sb);
    return NULL;
}

static int editor_failed(int status, const char *editor, struct cchc_err *err)
{
    int code = status >= 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    int sig = status >= 0 && WIFSIGNALED(status) ? WTERMSIG(status)
              : code > 128 && code < 128 + 65    ? code - 128 /* the shell reports it so */
                                                 : 0;
    if (status < 0) {
        err_set(err, CCHC_ERUNTIME, "cannot run the editor '%s': %s; the text is unchanged", editor,
                strerror(errno));
        err_vi(err, "Không chạy được trình soạn thảo '%s': %s; văn bản giữ nguyên", editor,
               strerror(errno));
    } else if (sig) {
        err_set(err, CCHC_ERUNTIME,
                "the editor '%s' was stopped by signal %d; the text is unchanged", editor, sig);
        err_vi(err, "Trình soạn thảo '%s' bị dừng bởi tín hiệu %d; văn bản giữ nguyên", editor,
               sig);
    } else if (code == 127) {
        err_set(err, CCHC_ERUNTIME,
                "cannot run the editor '%s' (not found?); the text is unchanged", editor);
        err_vi(err, "Không chạy được trình soạn thảo '%s' (không có?); văn bản giữ nguyên", editor);
    } else {
        err_set(err, CCHC_ERUNTIME, "the editor '%s' exited with status %d; the text is unchanged",
                editor, code);
        err_vi(err, "Trình soạn thảo '%s' kết thúc với mã %d; văn bản giữ nguyên", editor, code);
    }
    return CCHC_ERUNTIME;
}

/* The text read back, cleaned like typed text, without the newline that
 * ends a text file's last line (make_temp wrote one; an editor keeps it or
 * adds it). Only one: a blank line the user left at the end stays. */
static char *tidy(const char *raw, size_t limit, size_t *len)
{
    struct editbuf *eb = editbuf_new(limit);
    editbuf_set(eb, raw);
    char *r = editbuf_get_nfc(eb);
    editbuf_free(eb);
    size_t n = strlen(r);
    if (n > 0 && r[n - 1] == '\n')
        r[--n] = '\0';
    *len = n;
    return r;
}

static bool stopped_by_signal(int status)
{
    if (status < 0)
        return false;
    if (WIFSIGNALED(status))
        return true;
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return code > 128 && code < 128 + 65;
}

/* After an editor was stopped by a signal: the text it had written, when it
 * differs from the original (NULL otherwise); err's message says so. */
/* msg ends in tail (or not): put repl in its place (or after it). */
static void replace_tail(char *msg, size_t size, const char *tail, const char *repl)
{
    const char *at = strstr(msg, tail);
    size_t len = at ? (size_t)(at - msg) : strlen(msg);
    snprintf(msg + len, size - len, "%s", repl);
}

static char *recover(const char *orig, const char *path, size_t limit, struct cchc_err *err)
{
    struct cchc_err ignored = {0};
    char *raw = read_back(path, 4 * limit + PASTE_SLACK, limit, &ignored);
    if (!raw)
        return NULL;
    size_t n;
    char *text = tidy(raw, limit, &n);
    free(raw);
    if (strcmp(text, orig) == 0) {
        free(text);
        return NULL;
    }
    replace_tail(err->msg, sizeof err->msg, "; the text is unchanged",
                 "; the text it had saved is kept: check it, then save");
    replace_tail(err->msg_vi, sizeof err->msg_vi, "; văn bản giữ nguyên",
                 "; giữ lại văn bản nó đã lưu: xem lại rồi lưu");
    return text;
}

int ui_edit_external_limit(const char *text, size_t limit, char **out, struct cchc_err *err)
{
    char path[4096];
    struct cchc_err local;
    if (!err)
        err = &local;
    err_clear(err);
    *out = NULL;
    if (!text)
        text = "";
    if (!limit)
        limit = EDITBUF_DEFAULT_LIMIT;
    if (make_temp(text, path, sizeof path, err) < 0)
        return err->code;
    const char *editor = getenv("VISUAL");
    if (!editor || !*editor)
        editor = getenv("EDITOR");
    if (!editor || !*editor)
        editor = "vi";
    bool curses_on = stdscr && !isendwin();
    if (curses_on) {
        if (paste_on && paste_bd) {
            putp(paste_bd);
            fflush(stdout);
        }
        def_prog_mode();
        endwin();
    }
    int status = run_editor(editor, path);
    int saved = errno;
    if (curses_on) {
        reset_prog_mode();
        if (paste_on && paste_be) {
            putp(paste_be);
            fflush(stdout);
        }
        clearok(curscr, TRUE); /* the editor drew over everything */
        refresh();
    }
    int rc = CCHC_OK;
    if (status != 0) {
        errno = saved;
        rc = editor_failed(status, editor, err);
        /* An editor stopped by a signal (a dropped SSH link sends SIGHUP) did
         * not mean to abort: what it had written to the file is handed back,
         * so that it reaches the widget and its draft. A non-zero exit (vim's
         * :cq) is a deliberate abort and keeps the original. */
        if (stopped_by_signal(status))
            *out = recover(text, path, limit, err);
    } else {
        char *raw = read_back(path, 4 * limit + PASTE_SLACK, limit, err);
        if (!raw) {
            rc = err->code;
        } else {
            size_t n;
            *out = tidy(raw, limit, &n);
            free(raw);
            if (n > limit) {
                rc = err_set(err, CCHC_EUSAGE,
                             "the text is %zu bytes, over the limit of %zu bytes: shorten it", n,
                             limit);
                err_vi(err, "Văn bản dài %zu byte, quá giới hạn %zu byte: hãy rút gọn", n, limit);
            }
        }
    }
    unlink(path);
    return rc;
}

int ui_edit_external(const char *text, char **out, struct cchc_err *err)
{
    return ui_edit_external_limit(text, EDITBUF_DEFAULT_LIMIT, out, err);
}

int ui_edit_run_external(struct ui_edit *e, struct cchc_err *err)
{
    struct cchc_err local;
    if (!err)
        err = &local;
    char *text = editbuf_get_nfc(e->eb), *out = NULL;
    int rc = ui_edit_external_limit(text, editbuf_limit(e->eb), &out, err);
    free(text);
    e->msg[0] = '\0';
    if (out) {
        editbuf_replace_any(e->eb, out);
        free(out);
    }
    if (rc != CCHC_OK)
        ui_edit_set_message(e, e->vi && err->msg_vi[0] ? err->msg_vi : err->msg);
    return rc;
}
