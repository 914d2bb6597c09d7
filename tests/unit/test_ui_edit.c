/* test_ui_edit.c — unit tests of the note editor widget on a virtual
 * terminal (newterm on /dev/null, the screen read back cell by cell with
 * mvwin_wch): the screen after typing a few keys (NFD included), wrapping
 * and scrolling in a small rectangle, a bidi override drawn harmlessly, the
 * events (save, cancel, C-x C-e), bracketed paste taken as a whole (its end
 * marker also when cut in two), a paste over the limit cut to what fits
 * with the bytes left out counted over all its pieces, the size message,
 * keys typed ahead taken as one insertion; and the $VISUAL round trip with
 * small shell scripts as the editor: text changed, a line added at the end
 * on a line of its own (the file ends with a newline), editor failing or
 * missing (original kept), the temporary file private and always removed,
 * an awkward $TMPDIR never run as shell code, SIGINT ignored meanwhile. */
#include "testutil.h"

#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <wchar.h>

#include <unistr.h>

#include "cchc/keys.h"
#include "cchc/text.h"
#include "cchc/ui_edit.h"

#define ROWS 12
#define COLS 40

static SCREEN *scr;
static FILE *devnull;

static int setup_term(void **state)
{
    (void)state;
    if (!setlocale(LC_ALL, "C.UTF-8"))
        setlocale(LC_ALL, "C.utf8");
    setenv("LINES", "12", 1);
    setenv("COLUMNS", "40", 1);
    devnull = fopen("/dev/null", "r+");
    assert_non_null(devnull);
    scr = newterm("xterm-256color", devnull, devnull);
    assert_non_null(scr);
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    return 0;
}

static int teardown_term(void **state)
{
    (void)state;
    endwin();
    delscreen(scr);
    fclose(devnull);
    return 0;
}

/* Row y of the virtual screen from column x0, n cells, as UTF-8 with
 * trailing spaces trimmed. */
static char *row_text(int y, int x0, int n)
{
    struct strbuf sb = {0};
    for (int x = x0; x < x0 + n; x++) {
        cchar_t cc;
        wchar_t wch[CCHARW_MAX + 1];
        attr_t a;
        short pair;
        if (mvwin_wch(stdscr, y, x, &cc) == ERR)
            break;
        getcchar(&cc, wch, &a, &pair, NULL);
        for (int i = 0; wch[i]; i++) {
            char mb[MB_LEN_MAX];
            mbstate_t st;
            memset(&st, 0, sizeof st);
            size_t k = wcrtomb(mb, wch[i], &st);
            if (k != (size_t)-1)
                sb_add(&sb, mb, k);
        }
        if (wch[0] && wcwidth(wch[0]) == 2)
            x++; /* the second cell of a wide character */
    }
    while (sb.len && sb.buf[sb.len - 1] == ' ')
        sb.buf[--sb.len] = '\0';
    return sb.buf ? sb_detach(&sb) : xstrdup("");
}

static void assert_row(int y, int x0, int n, const char *want)
{
    char *got = row_text(y, x0, n);
    if (strcmp(got, want) != 0)
        fail_msg("row %d: got \"%s\", want \"%s\"", y, got, want);
    free(got);
}

static attr_t attr_at(int y, int x)
{
    cchar_t cc;
    wchar_t wch[CCHARW_MAX + 1];
    attr_t a;
    short pair;
    mvwin_wch(stdscr, y, x, &cc);
    getcchar(&cc, wch, &a, &pair, NULL);
    return a;
}

/* Where the widget put the cursor (reading cells moves curses' cursor). */
static void cursor_at(const struct ui_edit *e, int *y, int *x)
{
    ui_edit_place_cursor(e, stdscr);
    getyx(stdscr, *y, *x);
}

static enum ue_event type(struct ui_edit *e, const char *s)
{
    enum ue_event last = UE_NONE;
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        ucs4_t c;
        int k = u8_mbtouc(&c, (const uint8_t *)s + i, n - i);
        last = ui_edit_key(e, (int)c);
        i += (size_t)k;
    }
    return last;
}

/* ---- the widget ---- */

static void test_screen_after_typing(void **state)
{
    (void)state;
    erase();
    struct ui_edit *e = ui_edit_new("Ghi chú · KT-2022-05", NULL, 0, true);
    assert_int_equal(type(e, "Xin chào"), UE_CHANGED);
    assert_int_equal(ui_edit_key(e, '\r'), UE_CHANGED); /* Enter under nonl() */
    /* Kiểm typed in NFD one code point at a time */
    const int keys[] = {'K', 'i', 'e', 0x302, 0x309, 'm', ' ', 't', 'r', 'a'};
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
        assert_int_equal(ui_edit_key(e, keys[i]), UE_CHANGED);
    assert_int_equal(ui_edit_key(e, KEYS_CTRL('c')), UE_NONE); /* not inserted */
    assert_int_equal(ui_edit_key(e, KEYS_FUNC(KEY_LEFT)), UE_NONE);
    ui_edit_draw(e, stdscr, 2, 3, 6, 30);
    assert_row(0, 0, COLS, "");
    assert_row(2, 3, 30, "Ghi chú · KT-2022-05  (đã sửa)"); /* right-aligned */
    assert_true(attr_at(2, 3) & A_REVERSE);
    assert_row(3, 3, 30, "Xin chào");
    assert_row(4, 3, 30, "Kiểm tra");
    assert_row(5, 3, 30, "");
    assert_row(7, 0, COLS, "   Ctrl-S lưu · Esc tho… 20/16384");
    assert_row(8, 0, COLS, "");
    int y, x;
    cursor_at(e, &y, &x);
    assert_int_equal(y, 4);
    assert_int_equal(x, 3 + 7); /* before the final a */
    assert_string_equal(editbuf_text(ui_edit_buf(e)), "Xin chào\nKiểm tra");
    /* backspace twice: r then ... the cursor is before a */
    ui_edit_key(e, KEYS_FUNC(KEY_BACKSPACE));
    ui_edit_key(e, 0x7F);
    ui_edit_key(e, KEYS_FUNC(KEY_HOME));
    ui_edit_key(e, KEYS_FUNC(KEY_DC));
    ui_edit_draw(e, stdscr, 2, 3, 6, 30);
    assert_row(4, 3, 30, "iểm a");
    cursor_at(e, &y, &x);
    assert_int_equal(x, 3);
    ui_edit_free(e);
}

static void test_wrap_and_scroll(void **state)
{
    (void)state;
    erase();
    const char *text = "Trung tâm phục vụ hành chính công tỉnh Bến Tre";
    struct ui_edit *e = ui_edit_new("T", text, 0, false);
    /* 5 rows: title, 3 text rows, status; 11 columns: layout width 10.
     * The cursor starts at the end: the view shows the last lines. */
    ui_edit_draw(e, stdscr, 0, 0, 5, 11);
    assert_row(1, 0, 11, "hành chính"); /* the hanging space is not drawn past the edge */
    assert_row(2, 0, 11, "công tỉnh");
    assert_row(3, 0, 11, "Bến Tre");
    int y, x;
    cursor_at(e, &y, &x);
    assert_int_equal(y, 3);
    assert_int_equal(x, 7);
    char status[64];
    snprintf(status, sizeof status, "C… %zu/16384", strlen(text));
    assert_row(4, 0, 11, status);
    /* PgUp goes a page (2 lines) up, keeping the column; the view follows */
    ui_edit_key(e, KEYS_FUNC(KEY_PPAGE));
    ui_edit_draw(e, stdscr, 0, 0, 5, 11);
    cursor_at(e, &y, &x);
    assert_int_equal(y, 1);
    assert_int_equal(x, 7);
    assert_row(1, 0, 11, "hành chính");
    ui_edit_key(e, KEYS_FUNC(KEY_PPAGE));
    ui_edit_draw(e, stdscr, 0, 0, 5, 11);
    cursor_at(e, &y, &x);
    assert_int_equal(y, 1);
    assert_int_equal(x, 7);
    assert_row(1, 0, 11, "Trung tâm");
    assert_row(2, 0, 11, "phục vụ");
    ui_edit_key(e, KEYS_FUNC(KEY_PPAGE)); /* past the top: the start */
    assert_int_equal(editbuf_cursor(ui_edit_buf(e)), 0);
    /* down to the last row shown, then one more scrolls by one line */
    ui_edit_key(e, KEYS_FUNC(KEY_DOWN));
    ui_edit_key(e, KEYS_FUNC(KEY_DOWN));
    ui_edit_key(e, KEYS_FUNC(KEY_DOWN));
    ui_edit_draw(e, stdscr, 0, 0, 5, 11);
    assert_row(1, 0, 11, "phục vụ");
    assert_row(3, 0, 11, "công tỉnh");
    cursor_at(e, &y, &x);
    assert_int_equal(y, 3);
    assert_int_equal(x, 0);
    /* deleting everything leaves no empty rows above the text */
    editbuf_replace(ui_edit_buf(e), "ngắn");
    ui_edit_draw(e, stdscr, 0, 0, 5, 11);
    assert_row(1, 0, 11, "ngắn");
    cursor_at(e, &y, &x);
    assert_int_equal(y, 1);
    assert_int_equal(x, 4);
    ui_edit_free(e);
}

static void test_hostile_text_drawn_harmlessly(void **state)
{
    (void)state;
    erase();
    /* controls never get in; format characters (a bidi override) do, and
     * are shown as U+FFFD */
    struct ui_edit *e =
        ui_edit_new("\x1b]0;title\x07", "x\xE2\x80\xAEy\x1b[2Jz\xC2\x9B\x9b", 0, false);
    /* ESC and C1 dropped; a malformed byte is U+FFFD */
    assert_string_equal(editbuf_text(ui_edit_buf(e)), "x\xE2\x80\xAEy[2Jz\xEF\xBF\xBD");
    ui_edit_draw(e, stdscr, 0, 0, 4, 20);
    assert_row(0, 0, 20, "\xEF\xBF\xBD]0;title\xEF\xBF\xBD");
    assert_row(1, 0, 20, "x\xEF\xBF\xBDy[2Jz\xEF\xBF\xBD");
    ui_edit_free(e);
}

static void test_events(void **state)
{
    (void)state;
    struct ui_edit *e = ui_edit_new("", "abc", 0, true);
    assert_int_equal(ui_edit_key(e, KEYS_CTRL('s')), UE_SAVE);
    assert_int_equal(ui_edit_key(e, KEYS_ESC), UE_CANCEL);
    assert_int_equal(ui_edit_key(e, KEYS_CTRL('x')), UE_NONE);
    assert_int_equal(ui_edit_key(e, KEYS_CTRL('e')), UE_EXTERNAL);
    assert_int_equal(ui_edit_key(e, KEYS_CTRL('x')), UE_NONE);
    assert_int_equal(ui_edit_key(e, KEYS_CTRL('s')), UE_SAVE);
    assert_int_equal(ui_edit_key(e, KEYS_CTRL('x')), UE_NONE);
    assert_int_equal(ui_edit_key(e, 'd'), UE_CHANGED);         /* C-x then a letter: the letter */
    assert_int_equal(ui_edit_key(e, KEYS_CTRL('e')), UE_NONE); /* alone: end of line */
    assert_string_equal(editbuf_text(ui_edit_buf(e)), "abcd");
    assert_int_equal(ui_edit_key(e, KEYS_CTRL('a')), UE_NONE);
    assert_int_equal(editbuf_cursor(ui_edit_buf(e)), 0);
    assert_int_equal(ui_edit_key(e, KEYS_CTRL('k')), UE_CHANGED);
    assert_string_equal(editbuf_text(ui_edit_buf(e)), "");
    assert_int_equal(ui_edit_key(e, KEYS_FUNC(KEY_BACKSPACE)), UE_NONE);
    assert_int_equal(ui_edit_key(e, KEYS_FUNC(KEY_F(5))), UE_NONE);
    assert_int_equal(ui_edit_key(e, 0x1F), UE_NONE);
    assert_int_equal(ui_edit_key(e, '\t'), UE_CHANGED);
    assert_string_equal(editbuf_text(ui_edit_buf(e)), " ");
    assert_int_equal(ui_edit_key(e, -1), UE_NONE); /* a tick */
    ui_edit_free(e);
}

static void test_size_message_and_save_refused(void **state)
{
    (void)state;
    erase();
    struct ui_edit *e = ui_edit_new("", "", 5, true);
    type(e, "12345");
    assert_int_equal(ui_edit_key(e, '6'), UE_NONE);
    assert_string_equal(editbuf_text(ui_edit_buf(e)), "12345");
    ui_edit_draw(e, stdscr, 0, 0, 4, 40);
    assert_row(3, 0, 40, "Ghi chú quá dài: 1 byte cuối không … 5/5");
    assert_true(attr_at(3, 0) & A_BOLD);
    /* the message lasts until the next key */
    ui_edit_key(e, KEYS_FUNC(KEY_LEFT));
    ui_edit_draw(e, stdscr, 0, 0, 4, 40);
    assert_row(3, 0, 40, "Ctrl-S lưu · Esc thoát · Ctrl-X Ctr… 5/5");
    /* text over the limit (from $EDITOR) cannot be saved until shortened */
    editbuf_replace_any(ui_edit_buf(e), "1234567");
    assert_int_equal(ui_edit_key(e, KEYS_CTRL('s')), UE_NONE);
    ui_edit_draw(e, stdscr, 0, 0, 4, 40);
    assert_row(3, 0, 40, "Ghi chú quá dài (7/5 byte): hãy rút… 7/5");
    ui_edit_key(e, KEYS_FUNC(KEY_BACKSPACE));
    ui_edit_key(e, KEYS_FUNC(KEY_BACKSPACE));
    assert_int_equal(ui_edit_key(e, KEYS_CTRL('s')), UE_SAVE);
    ui_edit_free(e);
}

static void test_bracketed_paste(void **state)
{
    (void)state;
    struct ui_edit *e = ui_edit_new("", "ab", 20, false);
    editbuf_set_cursor(ui_edit_buf(e), 1);
    assert_int_equal(ui_edit_key(e, KEYS_FUNC(UE_KEY_PASTE_BEGIN)), UE_NONE);
    /* inside a paste, C-s, Esc and Enter are text, not commands */
    const int keys[] = {'x', KEYS_CTRL('s'), KEYS_ESC, '\r', 'e', 0x302, '\r', '\n', 'y'};
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
        assert_int_equal(ui_edit_key(e, keys[i]), UE_NONE);
    assert_string_equal(editbuf_text(ui_edit_buf(e)), "ab"); /* nothing until the end */
    assert_int_equal(ui_edit_key(e, KEYS_FUNC(UE_KEY_PASTE_END)), UE_CHANGED);
    assert_string_equal(editbuf_text(ui_edit_buf(e)), "ax\n\xC3\xAA\nyb");
    assert_int_equal(editbuf_changes(ui_edit_buf(e)), 1); /* one change for the paste */
    assert_string_equal(ui_edit_message(e), "");
    /* too long for the limit (12 bytes left): what fits goes in, and the
     * status line says at once how much did not */
    ui_edit_key(e, KEYS_FUNC(UE_KEY_PASTE_BEGIN));
    type(e, "0123456789abcdef");
    assert_int_equal(ui_edit_key(e, KEYS_FUNC(UE_KEY_PASTE_END)), UE_CHANGED);
    assert_string_equal(editbuf_text(ui_edit_buf(e)), "ax\n\xC3\xAA\ny0123456789abb");
    assert_string_equal(ui_edit_message(e),
                        "Note too long: the last 4 bytes were not added (limit 20)");
    assert_int_equal(editbuf_changes(ui_edit_buf(e)), 2);
    /* nothing fits: nothing changes, and it says so */
    ui_edit_key(e, KEYS_FUNC(UE_KEY_PASTE_BEGIN));
    type(e, "zz");
    assert_int_equal(ui_edit_key(e, KEYS_FUNC(UE_KEY_PASTE_END)), UE_NONE);
    assert_string_equal(ui_edit_message(e),
                        "Note too long: the last 2 bytes were not added (limit 20)");
    assert_int_equal(editbuf_changes(ui_edit_buf(e)), 2);
    ui_edit_free(e);

    /* the end never came: a tick inserts what arrived */
    e = ui_edit_new("", "b", 20, false);
    editbuf_set_cursor(ui_edit_buf(e), 0);
    ui_edit_key(e, KEYS_FUNC(UE_KEY_PASTE_BEGIN));
    type(e, "zz");
    assert_int_equal(ui_edit_key(e, -1), UE_CHANGED);
    assert_string_equal(editbuf_text(ui_edit_buf(e)), "zzb");
    assert_int_equal(ui_edit_key(e, 'q'), UE_CHANGED); /* typing again */
    assert_string_equal(editbuf_text(ui_edit_buf(e)), "zzqb");
    /* the end marker cut by a pause (Esc and "[201~" as keys) still ends
     * the paste, and is not text */
    ui_edit_key(e, KEYS_FUNC(UE_KEY_PASTE_BEGIN));
    type(e, "xy");
    assert_int_equal(ui_edit_key(e, KEYS_ESC), UE_NONE);
    assert_int_equal(type(e, "[201"), UE_NONE);
    assert_int_equal(ui_edit_key(e, '~'), UE_CHANGED);
    assert_string_equal(editbuf_text(ui_edit_buf(e)), "zzqxyb");
    assert_int_equal(ui_edit_key(e, KEYS_ESC), UE_CANCEL); /* a command again */
    /* Esc inside a paste that is not the end marker is no command */
    ui_edit_key(e, KEYS_FUNC(UE_KEY_PASTE_BEGIN));
    ui_edit_key(e, KEYS_ESC);
    type(e, "[2");
    assert_int_equal(ui_edit_key(e, KEYS_FUNC(UE_KEY_PASTE_END)), UE_CHANGED);
    assert_string_equal(editbuf_text(ui_edit_buf(e)), "zzqxy[2b");
    ui_edit_free(e);
}

/* Keys waiting in stdscr, in this order (ungetch is a stack). */
static void queue_keys(const int *keys, size_t n)
{
    for (size_t i = n; i-- > 0;) {
        if (KEYS_IS_FUNC(keys[i]))
            ungetch(keys[i] & ~0x40000000);
        else
            unget_wch((wchar_t)keys[i]);
    }
}

static void queue_text(const char *s)
{
    int keys[128];
    size_t n = 0, len = strlen(s);
    for (size_t i = 0; i < len && n < 128;) {
        ucs4_t c;
        i += (size_t)u8_mbtouc(&c, (const uint8_t *)s + i, len - i);
        keys[n++] = (int)c;
    }
    queue_keys(keys, n);
}

/* A paste over the limit, in one read or in several: the bytes left out
 * are counted over all its pieces, until a key that is not text. */
static void test_paste_over_limit_in_pieces(void **state)
{
    (void)state;
    struct ui_edit *e = ui_edit_new("", "", 10, true);
    wtimeout(stdscr, 0);
    /* a bracketed paste read at once, with the key after it left waiting */
    const int after[] = {KEYS_FUNC(UE_KEY_PASTE_END), KEYS_FUNC(KEY_LEFT)};
    queue_keys(after, 2);
    queue_text("0123456789ABCDE"); /* queued last, read first */
    assert_int_equal(ui_edit_feed(e, stdscr, KEYS_FUNC(UE_KEY_PASTE_BEGIN)), UE_CHANGED);
    assert_string_equal(editbuf_text(ui_edit_buf(e)), "0123456789");
    assert_int_equal(editbuf_changes(ui_edit_buf(e)), 1);
    assert_string_equal(ui_edit_message(e),
                        "Ghi chú quá dài: 5 byte cuối không thêm được (tối đa 10)");
    bool timeout = true;
    assert_int_equal(ui_edit_read(e, stdscr, &timeout), UE_NONE); /* the arrow */
    assert_false(timeout);
    assert_int_equal(editbuf_cursor(ui_edit_buf(e)), 9);
    assert_string_equal(ui_edit_message(e), "");
    ui_edit_free(e);

    /* without bracketed paste: keys typed ahead, arriving in three reads */
    e = ui_edit_new("", "", 10, false);
    queue_text("234567");
    assert_int_equal(ui_edit_feed(e, stdscr, '1'), UE_CHANGED);
    assert_string_equal(editbuf_text(ui_edit_buf(e)), "1234567");
    assert_int_equal(editbuf_changes(ui_edit_buf(e)), 1); /* one insertion, one drawing */
    assert_string_equal(ui_edit_message(e), "");
    queue_text("9XYZ");
    assert_int_equal(ui_edit_feed(e, stdscr, '8'), UE_CHANGED);
    assert_string_equal(editbuf_text(ui_edit_buf(e)), "123456789X");
    assert_string_equal(ui_edit_message(e),
                        "Note too long: the last 2 bytes were not added (limit 10)");
    queue_text("QR\xE1\xBB\x87"); /* ệ: 3 bytes */
    assert_int_equal(ui_edit_feed(e, stdscr, 'P'), UE_NONE);
    assert_string_equal(ui_edit_message(e),
                        "Note too long: the last 8 bytes were not added (limit 10)");
    /* a pause ends the count; a key typed at the limit is a count of its own */
    assert_int_equal(ui_edit_key(e, -1), UE_NONE);
    assert_int_equal(ui_edit_key(e, 'w'), UE_NONE);
    assert_string_equal(ui_edit_message(e),
                        "Note too long: the last 1 bytes were not added (limit 10)");
    assert_int_equal(ui_edit_key(e, KEYS_FUNC(KEY_BACKSPACE)), UE_CHANGED);
    assert_string_equal(ui_edit_message(e), "");
    assert_int_equal(ui_edit_key(e, 'w'), UE_CHANGED);
    assert_string_equal(editbuf_text(ui_edit_buf(e)), "123456789w");
    ui_edit_free(e);

    /* a paste far over the limit: counted whole, kept only up to a cap */
    e = ui_edit_new("", "", 10, false);
    ui_edit_key(e, KEYS_FUNC(UE_KEY_PASTE_BEGIN));
    for (int i = 0; i < 200000; i++)
        ui_edit_key(e, 'x');
    erase();
    ui_edit_draw(e, stdscr, 0, 0, 3, 40);
    assert_row(2, 0, 40, "Pasting… 200000 bytes               0/10");
    assert_int_equal(ui_edit_key(e, KEYS_FUNC(UE_KEY_PASTE_END)), UE_CHANGED);
    assert_string_equal(editbuf_text(ui_edit_buf(e)), "xxxxxxxxxx");
    assert_string_equal(ui_edit_message(e),
                        "Note too long: the last 199990 bytes were not added (limit 10)");
    ui_edit_free(e);
}

static void test_term_modes(void **state)
{
    (void)state;
    /* xterm-256color has bracketed paste: its markers become our keys */
    assert_int_equal(key_defined("\033[200~"), 0);
    ui_edit_term_begin();
    assert_int_equal(key_defined("\033[200~"), UE_KEY_PASTE_BEGIN);
    assert_int_equal(key_defined("\033[201~"), UE_KEY_PASTE_END);
    ui_edit_term_end();
    /* a terminal whose entry does not name the markers: they are keys all
     * the same, should it bracket a paste (in a child: ncurses does not
     * like a second screen coming and going in one process) */
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        SCREEN *vt = newterm("vt100", devnull, devnull);
        if (!vt)
            _exit(2);
        keypad(stdscr, TRUE);
        if (key_defined("\033[200~") != 0)
            _exit(3);
        ui_edit_term_begin();
        bool ok = key_defined("\033[200~") == UE_KEY_PASTE_BEGIN &&
                  key_defined("\033[201~") == UE_KEY_PASTE_END;
        _exit(ok ? 0 : 4);
    }
    int status = -1;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

static void test_read_takes_typeahead(void **state)
{
    (void)state;
    struct ui_edit *e = ui_edit_new("", "", 0, false);
    /* ungetch is a stack: push the keys in reverse */
    ungetch(KEY_LEFT);
    unget_wch(L'\x1EC7'); /* ệ */
    unget_wch(L'b');
    unget_wch(L'a');
    wtimeout(stdscr, 0);
    bool timeout = true;
    assert_int_equal(ui_edit_read(e, stdscr, &timeout), UE_CHANGED);
    assert_false(timeout);
    assert_string_equal(editbuf_text(ui_edit_buf(e)), "ab\xE1\xBB\x87");
    assert_int_equal(editbuf_cursor(ui_edit_buf(e)), 5);
    /* the arrow was left for the next read */
    assert_int_equal(ui_edit_read(e, stdscr, &timeout), UE_NONE);
    assert_int_equal(editbuf_cursor(ui_edit_buf(e)), 2);
    assert_int_equal(ui_edit_read(e, stdscr, &timeout), UE_NONE);
    assert_true(timeout);
    /* C-s typed ahead after text stops the reading and is the event */
    unget_wch(L'\x13');
    unget_wch(L'z');
    assert_int_equal(ui_edit_read(e, stdscr, &timeout), UE_CHANGED);
    assert_int_equal(ui_edit_read(e, stdscr, &timeout), UE_SAVE);
    ui_edit_free(e);
}

/* ---- the external editor ---- */

struct ext {
    char *dir;      /* a private directory for the scripts and the temp files */
    char tmp[4200]; /* $TMPDIR */
};

static struct ext ext_setup(const char *tmpname)
{
    struct ext x;
    x.dir = tu_tmpdir();
    snprintf(x.tmp, sizeof x.tmp, "%s/%s", x.dir, tmpname);
    if (mkdir(x.tmp, 0700) != 0)
        abort();
    setenv("TMPDIR", x.tmp, 1);
    setenv("CCHC_TEST_DIR", x.dir, 1);
    unsetenv("EDITOR");
    return x;
}

static void ext_done(struct ext *x)
{
    tu_rmrf(x->dir);
    free(x->dir);
    unsetenv("VISUAL");
    unsetenv("EDITOR");
    unsetenv("TMPDIR");
}

/* An editor script in the test directory; VISUAL names it. */
static void editor_script(struct ext *x, const char *var, const char *body)
{
    struct strbuf sb = {0};
    sb_addf(&sb,
            "#!/bin/sh\nprintf '%%s' \"$1\" > \"$CCHC_TEST_DIR/name\"\n"
            "stat -c %%a \"$1\" > \"$CCHC_TEST_DIR/mode\"\n%s\n",
            body);
    const char *path = tu_write(x->dir, "ed.sh", sb_str(&sb));
    chmod(path, 0700);
    setenv(var, path, 1);
    sb_free(&sb);
}

static char *slurp(const char *dir, const char *name)
{
    char p[4200];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "r");
    if (!f)
        return NULL;
    char buf[4096];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return xstrdup(buf);
}

/* The temp file the editor saw: named .txt in $TMPDIR, mode 0600, gone. */
static void assert_temp_removed(struct ext *x)
{
    char *name = slurp(x->dir, "name");
    char *mode = slurp(x->dir, "mode");
    assert_non_null(name);
    assert_non_null(mode);
    assert_int_equal(strncmp(name, x->tmp, strlen(x->tmp)), 0);
    assert_string_equal(name + strlen(name) - 4, ".txt");
    assert_string_equal(mode, "600\n");
    assert_false(path_exists(name));
    free(name);
    free(mode);
}

static void test_external_round_trip(void **state)
{
    (void)state;
    struct ext x = ext_setup("tmp");
    editor_script(&x, "VISUAL", "sed -i 's/cũ/mới/' \"$1\"");
    setenv("EDITOR", "false", 1); /* VISUAL comes first */
    struct cchc_err err = {0};
    char *out = NULL;
    assert_int_equal(ui_edit_external("ghi chú cũ\ndòng hai", &out, &err), CCHC_OK);
    assert_string_equal(out, "ghi chú mới\ndòng hai");
    free(out);
    assert_temp_removed(&x);
    /* EDITOR when VISUAL is empty; NFD and CR LF written by the editor come
     * back NFC with LF; the final newline it added is dropped */
    unsetenv("VISUAL");
    editor_script(&x, "EDITOR", "printf 'Kie\\314\\202\\314\\211m tra\\r\\nxong\\n' > \"$1\"");
    setenv("VISUAL", "", 1);
    assert_int_equal(ui_edit_external("cũ", &out, &err), CCHC_OK);
    assert_string_equal(out, "Kiểm tra\nxong");
    free(out);
    assert_temp_removed(&x);
    ext_done(&x);
}

/* The file ends with a newline (regression: without it a line added at the
 * end was glued to the last one, "…công chứcThêm…"); one is taken off
 * when it comes back, only one. */
static void test_external_final_newline(void **state)
{
    (void)state;
    struct ext x = ext_setup("tmp");
    struct cchc_err err = {0};
    char *out = NULL, *seen;
    editor_script(&x, "VISUAL", "cat \"$1\" > \"$CCHC_TEST_DIR/seen\"\nprintf 'Thêm\\n' >> \"$1\"");
    assert_int_equal(ui_edit_external("Thiếu công chức", &out, &err), CCHC_OK);
    seen = slurp(x.dir, "seen");
    assert_string_equal(seen, "Thiếu công chức\n");
    assert_string_equal(out, "Thiếu công chức\nThêm");
    free(seen);
    free(out);
    /* a text ending in a blank line keeps it */
    assert_int_equal(ui_edit_external("a\n", &out, &err), CCHC_OK);
    seen = slurp(x.dir, "seen");
    assert_string_equal(seen, "a\n\n");
    assert_string_equal(out, "a\n\nThêm");
    free(seen);
    free(out);
    /* an empty text is an empty file */
    assert_int_equal(ui_edit_external("", &out, &err), CCHC_OK);
    seen = slurp(x.dir, "seen");
    assert_string_equal(seen, "");
    assert_string_equal(out, "Thêm");
    free(seen);
    free(out);
    /* unchanged round trip; an editor that drops the final newline */
    editor_script(&x, "VISUAL", "true");
    assert_int_equal(ui_edit_external("x\n\ny", &out, &err), CCHC_OK);
    assert_string_equal(out, "x\n\ny");
    free(out);
    editor_script(&x, "VISUAL", "printf 'abc' > \"$1\"");
    assert_int_equal(ui_edit_external("x", &out, &err), CCHC_OK);
    assert_string_equal(out, "abc");
    free(out);
    assert_temp_removed(&x);
    ext_done(&x);
}

static void test_external_failure_keeps_text(void **state)
{
    (void)state;
    struct ext x = ext_setup("tmp");
    editor_script(&x, "VISUAL", "echo changed > \"$1\"; exit 3");
    struct cchc_err err = {0};
    char *out = (char *)"sentinel";
    assert_int_equal(ui_edit_external("ghi chú", &out, &err), CCHC_ERUNTIME);
    assert_null(out);
    assert_non_null(strstr(err.msg, "status 3"));
    assert_non_null(strstr(err.msg, "unchanged"));
    assert_non_null(strstr(err.msg_vi, "mã 3"));
    assert_non_null(strstr(err.msg_vi, "giữ nguyên"));
    assert_temp_removed(&x);
    /* an editor that cannot be found */
    setenv("VISUAL", "/nonexistent/editor", 1);
    assert_int_equal(ui_edit_external("ghi chú", &out, &err), CCHC_ERUNTIME);
    assert_null(out);
    assert_non_null(strstr(err.msg, "/nonexistent/editor"));
    /* killed by a signal */
    editor_script(&x, "VISUAL", "kill -TERM $$");
    assert_int_equal(ui_edit_external("ghi chú", &out, &err), CCHC_ERUNTIME);
    assert_null(out);
    assert_non_null(strstr(err.msg, "signal"));
    assert_temp_removed(&x);
    /* killed by a signal (a dropped link) after saving: what it saved is
     * handed back, never lost (regression: it used to be thrown away) */
    editor_script(&x, "VISUAL", "echo 'đã gõ' > \"$1\"; kill -HUP $$");
    assert_int_equal(ui_edit_external("ghi chú", &out, &err), CCHC_ERUNTIME);
    assert_non_null(out);
    assert_string_equal(out, "đã gõ");
    assert_non_null(strstr(err.msg, "kept"));
    assert_non_null(strstr(err.msg_vi, "giữ lại văn bản nó đã lưu"));
    assert_null(strstr(err.msg_vi, "giữ nguyên"));
    free(out);
    out = NULL;
    assert_temp_removed(&x);
    /* in the widget: the buffer is untouched and the status line says why */
    editor_script(&x, "VISUAL", "echo changed > \"$1\"; exit 1");
    struct ui_edit *e = ui_edit_new("", "giữ nguyên", 0, false);
    assert_int_equal(ui_edit_run_external(e, &err), CCHC_ERUNTIME);
    assert_string_equal(editbuf_text(ui_edit_buf(e)), "giữ nguyên");
    assert_int_equal(editbuf_changes(ui_edit_buf(e)), 0);
    erase();
    ui_edit_draw(e, stdscr, 0, 0, 3, 40);
    char *status = row_text(2, 0, 40);
    if (strncmp(status, "the editor '", 12) != 0)
        fail_msg("status line: \"%s\"", status);
    assert_string_equal(status + strlen(status) - 9, " 13/16384");
    free(status);
    ui_edit_free(e);
    ext_done(&x);
}

static void test_external_in_widget_and_limit(void **state)
{
    (void)state;
    struct ext x = ext_setup("tmp");
    editor_script(&x, "VISUAL", "printf 'thêm\\n' >> \"$1\""); /* a line added */
    struct ui_edit *e = ui_edit_new("", "ghi chú", 19, true);
    struct cchc_err err = {0};
    /* with curses on: leaves and comes back */
    assert_false(isendwin());
    assert_int_equal(ui_edit_run_external(e, &err), CCHC_OK);
    assert_false(isendwin());
    assert_string_equal(editbuf_text(ui_edit_buf(e)), "ghi chú\nthêm");
    assert_int_equal(editbuf_changes(ui_edit_buf(e)), 1);
    assert_true(editbuf_modified(ui_edit_buf(e)));
    /* over the limit: the text is kept (not lost) but cannot be saved */
    assert_int_equal(ui_edit_run_external(e, &err), CCHC_EUSAGE);
    assert_non_null(strstr(err.msg, "over the limit of 19"));
    assert_string_equal(editbuf_text(ui_edit_buf(e)), "ghi chú\nthêm\nthêm");
    assert_int_equal(ui_edit_key(e, KEYS_CTRL('s')), UE_NONE);
    assert_temp_removed(&x);
    char *out = NULL;
    assert_int_equal(ui_edit_external_limit("0123456789012345", 18, &out, &err), CCHC_EUSAGE);
    assert_string_equal(out, "0123456789012345\nthêm");
    free(out);
    ui_edit_free(e);
    ext_done(&x);
}

static void test_external_hostile_tmpdir_and_sigint(void **state)
{
    (void)state;
    /* a $TMPDIR that would run code if the name were put in the command */
    struct ext x = ext_setup("a b'c;$(touch PWNED)\"`touch PWNED2`");
    char pid[32];
    snprintf(pid, sizeof pid, "%d", (int)getpid());
    setenv("CCHC_TEST_PID", pid, 1);
    /* the editor interrupts its parent: it must be ignoring SIGINT */
    editor_script(&x, "VISUAL",
                  "kill -INT \"$CCHC_TEST_PID\"; kill -QUIT \"$CCHC_TEST_PID\"\n"
                  "sed -i 's/a/b/' \"$1\"");
    struct cchc_err err = {0};
    char *out = NULL;
    struct sigaction dfl, old_int, old_quit;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigaction(SIGINT, &dfl, &old_int);
    sigaction(SIGQUIT, &dfl, &old_quit);
    assert_int_equal(ui_edit_external("aaa", &out, &err), CCHC_OK);
    assert_string_equal(out, "baa");
    free(out);
    assert_temp_removed(&x);
    assert_false(path_exists("PWNED"));
    assert_false(path_exists("PWNED2"));
    char p[4300];
    snprintf(p, sizeof p, "%s/PWNED", x.dir);
    assert_false(path_exists(p));
    /* SIGINT is back to what it was */
    struct sigaction sa;
    sigaction(SIGINT, NULL, &sa);
    assert_true(sa.sa_handler == SIG_DFL);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGQUIT, &old_quit, NULL);
    unsetenv("CCHC_TEST_PID");
    ext_done(&x);
}

static void test_external_bad_tmpdir(void **state)
{
    (void)state;
    setenv("TMPDIR", "/nonexistent/dir", 1);
    setenv("VISUAL", "true", 1);
    struct cchc_err err = {0};
    char *out = NULL;
    assert_int_equal(ui_edit_external("x", &out, &err), CCHC_ERUNTIME);
    assert_null(out);
    assert_non_null(strstr(err.msg, "cannot create a temporary file in /nonexistent/dir"));
    unsetenv("TMPDIR");
    unsetenv("VISUAL");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_screen_after_typing),
        cmocka_unit_test(test_wrap_and_scroll),
        cmocka_unit_test(test_hostile_text_drawn_harmlessly),
        cmocka_unit_test(test_events),
        cmocka_unit_test(test_size_message_and_save_refused),
        cmocka_unit_test(test_bracketed_paste),
        cmocka_unit_test(test_paste_over_limit_in_pieces),
        cmocka_unit_test(test_term_modes),
        cmocka_unit_test(test_read_takes_typeahead),
        cmocka_unit_test(test_external_round_trip),
        cmocka_unit_test(test_external_final_newline),
        cmocka_unit_test(test_external_failure_keeps_text),
        cmocka_unit_test(test_external_in_widget_and_limit),
        cmocka_unit_test(test_external_hostile_tmpdir_and_sigint),
        cmocka_unit_test(test_external_bad_tmpdir),
    };
    return cmocka_run_group_tests(tests, setup_term, teardown_term);
}
