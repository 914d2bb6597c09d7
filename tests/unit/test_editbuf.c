/* test_editbuf.c — unit tests of the note editor's core: Vietnamese text
 * typed and deleted in NFC and NFD (one code point at a time), the cursor
 * never between a letter and its marks, controls refused, wrapping with
 * exact expected lines at several widths (CJK at the edge included),
 * vertical moves that keep the column, the size limit, a paste cut to
 * what fits (never inside a character), a 100 KB paste and the change
 * counter. */
#include "testutil.h"

#include <unistr.h>

#include "cchc/editbuf.h"
#include "cchc/text.h"

/* Spellings written as bytes so that the source file's own normalisation
 * cannot hide a bug. */
#define E_CIRC_DOT "\xE1\xBB\x87"                /* ệ U+1EC7 */
#define NFD_E_CIRC "e\xCC\x82"                   /* e + U+0302 */
#define DONG_NFD   "\xC4\x90o\xCC\x82\xCC\x80ng" /* Đồng, NFD */
#define DONG_NFC   "\xC4\x90\xE1\xBB\x93ng"      /* Đồng, NFC */
#define Q_MARKS    "q\xCC\xA3\xCC\x82"           /* no precomposed form */
#define CJK_ZHONG  "\xE4\xB8\xAD"                /* 中 */
#define CJK_WEN    "\xE6\x96\x87"                /* 文 */
#define CJK_ZI     "\xE5\xAD\x97"                /* 字 */

static void type_cps(struct editbuf *eb, const uint32_t *cps, size_t n)
{
    for (size_t i = 0; i < n; i++)
        editbuf_insert_char(eb, cps[i]);
}

/* The text of visual line i at width, malloc'd. */
static char *line_text(struct editbuf *eb, int width, size_t i)
{
    size_t n;
    const struct eb_line *l = editbuf_layout(eb, width, &n);
    assert_true(i < n);
    return xstrndup(editbuf_text(eb) + l[i].start, l[i].end - l[i].start);
}

static void assert_lines(struct editbuf *eb, int width, const char *const *want, size_t nwant)
{
    size_t n;
    editbuf_layout(eb, width, &n);
    for (size_t i = 0; i < n && i < nwant; i++) {
        char *got = line_text(eb, width, i);
        if (strcmp(got, want[i]) != 0)
            fail_msg("width %d line %zu: got \"%s\", want \"%s\"", width, i, got, want[i]);
        free(got);
    }
    assert_int_equal(n, nwant);
}

/* ---- typing and deleting ---- */

static void test_insert_delete_nfc(void **state)
{
    (void)state;
    struct editbuf *eb = editbuf_new(0);
    assert_int_equal(editbuf_insert(eb, "Người dân", strlen("Người dân")), EB_OK);
    assert_string_equal(editbuf_text(eb), "Người dân");
    assert_int_equal(editbuf_cursor(eb), strlen("Người dân"));
    assert_int_equal(editbuf_delete_back(eb), EB_OK); /* n */
    assert_int_equal(editbuf_delete_back(eb), EB_OK); /* â: two bytes, one character */
    assert_string_equal(editbuf_text(eb), "Người d");
    /* into the middle: after "Ng" */
    editbuf_set_cursor(eb, 2);
    assert_int_equal(editbuf_delete_forward(eb), EB_OK); /* ư */
    assert_int_equal(editbuf_delete_forward(eb), EB_OK); /* ờ */
    assert_string_equal(editbuf_text(eb), "Ngi d");
    assert_int_equal(editbuf_cursor(eb), 2);
    editbuf_insert(eb, "ườ", strlen("ườ"));
    assert_string_equal(editbuf_text(eb), "Người d");
    assert_int_equal(editbuf_move(eb, EB_TEXT_START, 80), true);
    assert_int_equal(editbuf_delete_back(eb), EB_NOTHING);
    editbuf_move(eb, EB_TEXT_END, 80);
    assert_int_equal(editbuf_delete_forward(eb), EB_NOTHING);
    editbuf_free(eb);
}

static void test_nfd_typed_one_code_point_at_a_time(void **state)
{
    (void)state;
    struct editbuf *eb = editbuf_new(0);
    const uint32_t cps[] = {'e', 0x302, 0x323};
    type_cps(eb, cps, 3);
    assert_string_equal(editbuf_text(eb), E_CIRC_DOT); /* one composed character */
    assert_int_equal(editbuf_cursor(eb), 3);
    assert_int_equal(editbuf_delete_back(eb), EB_OK);
    assert_string_equal(editbuf_text(eb), "");

    /* the other order of the marks gives the same character */
    const uint32_t cps2[] = {'H', 'e', 0x323, 0x302, 'n'};
    type_cps(eb, cps2, 5);
    assert_string_equal(editbuf_text(eb), "H" E_CIRC_DOT "n");
    editbuf_move(eb, EB_LEFT, 80);
    editbuf_move(eb, EB_LEFT, 80);
    assert_int_equal(editbuf_cursor(eb), 1);
    editbuf_move(eb, EB_RIGHT, 80);
    assert_int_equal(editbuf_cursor(eb), 4);

    /* NFD pasted in one piece */
    editbuf_set(eb, "");
    editbuf_insert(eb, DONG_NFD, strlen(DONG_NFD));
    assert_string_equal(editbuf_text(eb), DONG_NFC);
    editbuf_free(eb);
}

static void test_marks_without_precomposed_form(void **state)
{
    (void)state;
    struct editbuf *eb = editbuf_new(0);
    const uint32_t cps[] = {'a', 'q', 0x323, 0x302, 'b'};
    type_cps(eb, cps, 5);
    assert_string_equal(editbuf_text(eb), "a" Q_MARKS "b");
    /* left from the end: before b, then before q (never between q and a mark) */
    editbuf_move(eb, EB_LEFT, 80);
    assert_int_equal(editbuf_cursor(eb), 6);
    editbuf_move(eb, EB_LEFT, 80);
    assert_int_equal(editbuf_cursor(eb), 1);
    /* a cursor set inside the character snaps before it */
    editbuf_set_cursor(eb, 3);
    assert_int_equal(editbuf_cursor(eb), 1);
    editbuf_set_cursor(eb, 4);
    assert_int_equal(editbuf_cursor(eb), 1);
    /* delete forward removes the letter with both marks */
    assert_int_equal(editbuf_delete_forward(eb), EB_OK);
    assert_string_equal(editbuf_text(eb), "ab");
    /* backspace over it too */
    editbuf_set(eb, "x" Q_MARKS);
    assert_int_equal(editbuf_delete_back(eb), EB_OK);
    assert_string_equal(editbuf_text(eb), "x");
    editbuf_free(eb);
}

static void test_mark_joins_letter_before_cursor(void **state)
{
    (void)state;
    struct editbuf *eb = editbuf_new(0);
    editbuf_set(eb, "ab");
    editbuf_set_cursor(eb, 1);
    assert_int_equal(editbuf_insert_char(eb, 0x301), EB_OK);
    assert_string_equal(editbuf_text(eb), "\xC3\xA1"
                                          "b"); /* áb */
    assert_int_equal(editbuf_cursor(eb), 2);
    /* a mark with no letter before it is dropped: at the start, after a newline */
    editbuf_set_cursor(eb, 0);
    assert_int_equal(editbuf_insert_char(eb, 0x301), EB_NOTHING);
    editbuf_set(eb, "x\n");
    assert_int_equal(editbuf_insert_char(eb, 0x323), EB_NOTHING);
    assert_string_equal(editbuf_text(eb), "x\n");
    editbuf_insert(eb, "\xCC\x81y", 3);
    assert_string_equal(editbuf_text(eb), "x\ny");
    /* loaded text is cleaned the same way */
    editbuf_set(eb, "\xCC\x81"
                    "a\n\xCC\x80"
                    "b");
    assert_string_equal(editbuf_text(eb), "a\nb");
    editbuf_free(eb);
}

static void test_controls_refused(void **state)
{
    (void)state;
    struct editbuf *eb = editbuf_new(0);
    const char *in = "a\x1b[31mb\x07"
                     "c\r\nd\te\x7f\xC2\x9B"
                     "f\rg\xFFh";
    editbuf_insert(eb, in, strlen(in));
    assert_string_equal(editbuf_text(eb), "a[31mbc\nd ef\ng\xEF\xBF\xBDh");
    assert_int_equal(editbuf_insert_char(eb, 0x1b), EB_NOTHING);
    assert_int_equal(editbuf_insert_char(eb, 0x7f), EB_NOTHING);
    assert_int_equal(editbuf_insert_char(eb, 0x9b), EB_NOTHING);
    assert_int_equal(editbuf_insert_char(eb, 0xD800), EB_NOTHING);
    assert_int_equal(editbuf_insert_char(eb, 0x110000), EB_NOTHING);
    assert_int_equal(editbuf_insert_char(eb, '\r'), EB_OK);
    assert_int_equal(editbuf_insert_char(eb, '\t'), EB_OK);
    assert_string_equal(editbuf_text(eb), "a[31mbc\nd ef\ng\xEF\xBF\xBDh\n ");
    /* a control between a letter and its mark: the mark still joins */
    editbuf_set(eb, "");
    editbuf_insert(eb, "e\x01\xCC\x82", 4);
    assert_string_equal(editbuf_text(eb), "\xC3\xAA"); /* ê */
    editbuf_free(eb);
}

static void test_kill_and_lines(void **state)
{
    (void)state;
    struct editbuf *eb = editbuf_new(0);
    editbuf_set(eb, "một hai\nba bốn\nnăm");
    editbuf_set_cursor(eb, strlen("một hai\nba"));
    assert_int_equal(editbuf_kill_to_end(eb), EB_OK);
    assert_string_equal(editbuf_text(eb), "một hai\nba\nnăm");
    assert_int_equal(editbuf_kill_to_end(eb), EB_OK); /* at the end: joins */
    assert_string_equal(editbuf_text(eb), "một hai\nbanăm");
    assert_int_equal(editbuf_kill_to_start(eb), EB_OK);
    assert_string_equal(editbuf_text(eb), "một hai\nnăm");
    assert_int_equal(editbuf_cursor(eb), strlen("một hai\n"));
    assert_int_equal(editbuf_kill_to_start(eb), EB_NOTHING);
    editbuf_move(eb, EB_TEXT_END, 80);
    assert_int_equal(editbuf_kill_to_end(eb), EB_NOTHING);
    editbuf_move(eb, EB_PARA_START, 80);
    assert_int_equal(editbuf_cursor(eb), strlen("một hai\n"));
    editbuf_set_cursor(eb, 2);
    editbuf_move(eb, EB_PARA_END, 80);
    assert_int_equal(editbuf_cursor(eb), strlen("một hai"));
    editbuf_free(eb);
}

static void test_word_moves(void **state)
{
    (void)state;
    struct editbuf *eb = editbuf_new(0);
    editbuf_set(eb, "Ủy ban, nhân dân");
    editbuf_set_cursor(eb, 0);
    editbuf_move(eb, EB_WORD_RIGHT, 80);
    assert_int_equal(editbuf_cursor(eb), strlen("Ủy"));
    editbuf_move(eb, EB_WORD_RIGHT, 80);
    assert_int_equal(editbuf_cursor(eb), strlen("Ủy ban"));
    editbuf_move(eb, EB_WORD_RIGHT, 80);
    assert_int_equal(editbuf_cursor(eb), strlen("Ủy ban, nhân"));
    editbuf_move(eb, EB_WORD_LEFT, 80);
    assert_int_equal(editbuf_cursor(eb), strlen("Ủy ban, "));
    editbuf_move(eb, EB_WORD_LEFT, 80);
    assert_int_equal(editbuf_cursor(eb), strlen("Ủy "));
    editbuf_move(eb, EB_WORD_LEFT, 80);
    assert_int_equal(editbuf_cursor(eb), 0);
    assert_false(editbuf_move(eb, EB_WORD_LEFT, 80));
    editbuf_free(eb);
}

/* ---- layout ---- */

#define TTHC "Trung tâm phục vụ hành chính công tỉnh Bến Tre"
/* the same in NFD, spelled out */
#define TTHC_NFD                                                                                   \
    "Trung ta\xCC\x82m phu\xCC\xA3\x63 vu\xCC\xA3 ha\xCC\x80nh chi\xCC\x81nh co\xCC\x82ng "        \
    "ti\xCC\x89nh Be\xCC\x82\xCC\x81n Tre"

static void test_wrap_vietnamese(void **state)
{
    (void)state;
    struct editbuf *eb = editbuf_new(0);
    const char *w10[] = {"Trung tâm ", "phục vụ ", "hành chính ", "công tỉnh ", "Bến Tre"};
    const char *w20[] = {"Trung tâm phục vụ ", "hành chính công tỉnh ", "Bến Tre"};
    const char *w80[] = {TTHC};
    for (int form = 0; form < 2; form++) {
        editbuf_set(eb, form ? TTHC_NFD : TTHC);
        assert_string_equal(editbuf_text(eb), TTHC);
        assert_lines(eb, 10, w10, 5);
        assert_lines(eb, 20, w20, 3);
        assert_lines(eb, 80, w80, 1);
    }
    size_t n;
    const struct eb_line *l = editbuf_layout(eb, 10, &n);
    assert_int_equal(l[0].cols, 10);
    assert_int_equal(l[2].cols, 11); /* "hành chính " : the space hangs */
    assert_false(l[0].last);
    assert_true(l[4].last);

    /* no space: cut inside the word, by columns not bytes */
    editbuf_set(eb, "ChủtịchỦybannhândân");
    const char *w10b[] = {"ChủtịchỦyb", "annhândân"};
    assert_lines(eb, 10, w10b, 2);

    /* paragraphs and empty lines */
    editbuf_set(eb, "một\n\nhai ba bốn\n");
    const char *w5[] = {"một", "", "hai ", "ba ", "bốn", ""};
    assert_lines(eb, 5, w5, 6);
    editbuf_set(eb, "");
    const char *empty[] = {""};
    assert_lines(eb, 10, empty, 1);
    editbuf_free(eb);
}

static void test_wrap_cjk_at_edge(void **state)
{
    (void)state;
    struct editbuf *eb = editbuf_new(0);
    editbuf_set(eb, "ab" CJK_ZHONG CJK_WEN CJK_ZI);
    const char *w5[] = {"ab" CJK_ZHONG, CJK_WEN CJK_ZI};
    assert_lines(eb, 5, w5, 2);
    const char *w4[] = {"ab" CJK_ZHONG, CJK_WEN CJK_ZI};
    assert_lines(eb, 4, w4, 2);
    const char *w3[] = {"ab", CJK_ZHONG, CJK_WEN, CJK_ZI};
    assert_lines(eb, 3, w3, 4);
    /* a wide character wider than the line still gets a line of its own */
    const char *w1[] = {"a", "b", CJK_ZHONG, CJK_WEN, CJK_ZI};
    assert_lines(eb, 1, w1, 5);
    size_t n;
    const struct eb_line *l = editbuf_layout(eb, 5, &n);
    assert_int_equal(l[0].cols, 4);
    assert_int_equal(l[1].cols, 4);
    /* the cursor after 中 is drawn at the start of the next line */
    editbuf_set_cursor(eb, 5);
    size_t line;
    int col;
    editbuf_cursor_pos(eb, 5, &line, &col);
    assert_int_equal(line, 1);
    assert_int_equal(col, 0);
    editbuf_move(eb, EB_TEXT_END, 5);
    editbuf_cursor_pos(eb, 5, &line, &col);
    assert_int_equal(line, 1);
    assert_int_equal(col, 4);
    editbuf_free(eb);
}

static void test_up_down_keep_column(void **state)
{
    (void)state;
    struct editbuf *eb = editbuf_new(0);
    editbuf_set(eb, "abcdefgh\nab\nabcdefgh\n" CJK_ZHONG CJK_WEN CJK_ZI "x");
    editbuf_set_cursor(eb, 6);
    size_t line;
    int col;
    assert_true(editbuf_move(eb, EB_DOWN, 80));
    editbuf_cursor_pos(eb, 80, &line, &col);
    assert_int_equal(line, 1);
    assert_int_equal(col, 2); /* short line: its end */
    assert_true(editbuf_move(eb, EB_DOWN, 80));
    editbuf_cursor_pos(eb, 80, &line, &col);
    assert_int_equal(line, 2);
    assert_int_equal(col, 6); /* the column came back */
    assert_int_equal(editbuf_cursor(eb), strlen("abcdefgh\nab\nabcdef"));
    /* on wide characters the cursor never lands inside one: column 6 is
     * after 中文字; column 3 would be inside 文, so it goes before it */
    assert_true(editbuf_move(eb, EB_DOWN, 80));
    editbuf_cursor_pos(eb, 80, &line, &col);
    assert_int_equal(col, 6);
    assert_false(editbuf_move(eb, EB_DOWN, 80)); /* last line */
    editbuf_set_cursor(eb, strlen("abcdefgh\nab\nabc"));
    editbuf_move(eb, EB_DOWN, 80);
    editbuf_cursor_pos(eb, 80, &line, &col);
    assert_int_equal(col, 2);
    assert_int_equal(editbuf_cursor(eb), strlen("abcdefgh\nab\nabcdefgh\n" CJK_ZHONG));
    /* and up again keeps the first column, 3 */
    editbuf_move(eb, EB_UP, 80);
    editbuf_cursor_pos(eb, 80, &line, &col);
    assert_int_equal(col, 3);
    editbuf_move(eb, EB_UP, 80);
    editbuf_move(eb, EB_UP, 80);
    assert_int_equal(editbuf_cursor(eb), 3);
    assert_false(editbuf_move(eb, EB_UP, 80));
    /* a horizontal move forgets the column */
    editbuf_set_cursor(eb, 7);
    editbuf_move(eb, EB_DOWN, 80); /* col 2 */
    editbuf_move(eb, EB_LEFT, 80); /* col 1 */
    editbuf_move(eb, EB_DOWN, 80);
    editbuf_cursor_pos(eb, 80, &line, &col);
    assert_int_equal(col, 1);

    /* wrapped lines: a wrapped line's end is not a place on it */
    editbuf_set(eb, TTHC);
    editbuf_set_cursor(eb, strlen("Trung tâm phục vụ hành chính công tỉnh Bến T")); /* col 5 */
    editbuf_move(eb, EB_UP, 10);
    editbuf_cursor_pos(eb, 10, &line, &col);
    assert_int_equal(line, 3);
    assert_int_equal(col, 5);
    assert_int_equal(editbuf_cursor(eb), strlen("Trung tâm phục vụ hành chính công "));
    editbuf_move(eb, EB_UP, 10); /* "hành chính ": col 5 is before chính */
    assert_int_equal(editbuf_cursor(eb), strlen("Trung tâm phục vụ hành "));
    editbuf_move(eb, EB_END, 10); /* before the hanging space */
    editbuf_cursor_pos(eb, 10, &line, &col);
    assert_int_equal(line, 2);
    assert_int_equal(col, 10);
    editbuf_move(eb, EB_HOME, 10);
    assert_int_equal(editbuf_cursor(eb), strlen("Trung tâm phục vụ "));
    editbuf_move(eb, EB_UP, 10);
    editbuf_move(eb, EB_END, 10);
    assert_int_equal(editbuf_cursor(eb), strlen("Trung tâm phục vụ"));
    /* pages */
    editbuf_move(eb, EB_TEXT_START, 10);
    assert_true(editbuf_move_lines(eb, 3, 10));
    editbuf_cursor_pos(eb, 10, &line, &col);
    assert_int_equal(line, 3);
    assert_true(editbuf_move_lines(eb, 100, 10));
    editbuf_cursor_pos(eb, 10, &line, &col);
    assert_int_equal(line, 4);
    assert_true(editbuf_move_lines(eb, -100, 10));
    assert_int_equal(editbuf_cursor(eb), 0);
    editbuf_free(eb);
}

/* ---- limit, paste, counter ---- */

static void test_size_limit(void **state)
{
    (void)state;
    struct editbuf *eb = editbuf_new(10);
    assert_int_equal(editbuf_limit(eb), 10);
    editbuf_set(eb, "abc");
    uint64_t ch = editbuf_changes(eb);
    assert_int_equal(editbuf_insert(eb, "12345678", 8), EB_TOO_LONG);
    assert_string_equal(editbuf_text(eb), "abc");
    assert_int_equal(editbuf_cursor(eb), 3);
    assert_int_equal(editbuf_changes(eb), ch);
    assert_false(editbuf_modified(eb));
    assert_int_equal(editbuf_refused_size(eb), 11);
    assert_int_equal(editbuf_insert(eb, "1234567", 7), EB_OK);
    assert_int_equal(editbuf_len(eb), 10);
    assert_int_equal(editbuf_insert_char(eb, 'x'), EB_TOO_LONG);
    assert_string_equal(editbuf_text(eb), "abc1234567");
    /* bytes of UTF-8: ệ is three; NFD input is measured composed */
    editbuf_set(eb, "1234567");
    assert_int_equal(editbuf_insert(eb, "e\xCC\x82\xCC\xA3", 5), EB_OK);
    assert_int_equal(editbuf_len(eb), 10);
    assert_int_equal(editbuf_delete_back(eb), EB_OK);
    assert_int_equal(editbuf_insert(eb, E_CIRC_DOT "a", 4), EB_TOO_LONG);
    assert_string_equal(editbuf_text(eb), "1234567");
    /* a mark typed at the limit is refused too, and the letter stays whole */
    editbuf_set(eb, "123456789e");
    assert_int_equal(editbuf_insert_char(eb, 0x302), EB_TOO_LONG);
    assert_string_equal(editbuf_text(eb), "123456789e");
    /* replacing over the limit is refused; loading never cuts */
    assert_int_equal(editbuf_replace(eb, "0123456789A"), EB_TOO_LONG);
    assert_string_equal(editbuf_text(eb), "123456789e");
    editbuf_set(eb, "0123456789ABCDEF");
    assert_string_equal(editbuf_text(eb), "0123456789ABCDEF");
    assert_int_equal(editbuf_insert_char(eb, 'x'), EB_TOO_LONG);
    assert_int_equal(editbuf_delete_back(eb), EB_OK); /* can still be shortened */
    editbuf_set_limit(eb, 0);
    assert_int_equal(editbuf_limit(eb), EDITBUF_DEFAULT_LIMIT);
    editbuf_free(eb);
}

/* A paste longer than the room left: its beginning goes in, cut after a
 * whole character, and the caller learns how much was left out. */
static void test_insert_fit(void **state)
{
    (void)state;
    size_t dropped = 99;
    struct editbuf *eb = editbuf_new(10);
    assert_int_equal(editbuf_insert_fit(eb, "abc", 3, &dropped), EB_OK);
    assert_int_equal(dropped, 0);
    /* 7 bytes of room: "d" + ệ (3) + "f" fit, the rest not */
    const char *paste = "d" E_CIRC_DOT "f" E_CIRC_DOT "gh";
    assert_int_equal(editbuf_insert_fit(eb, paste, strlen(paste), &dropped), EB_OK);
    assert_string_equal(editbuf_text(eb), "abcd" E_CIRC_DOT "f");
    assert_int_equal(editbuf_len(eb), 8);
    assert_int_equal(dropped, 5); /* ệ g h */
    assert_int_equal(editbuf_cursor(eb), 8);
    assert_int_equal(editbuf_changes(eb), 2);
    /* 2 bytes left: ệ (3 bytes) never goes in by halves; NFD counts as NFC */
    assert_int_equal(editbuf_insert_fit(eb, NFD_E_CIRC "\xCC\xA3", 5, &dropped), EB_TOO_LONG);
    assert_int_equal(dropped, 3);
    assert_int_equal(editbuf_refused_size(eb), 11);
    assert_string_equal(editbuf_text(eb), "abcd" E_CIRC_DOT "f");
    assert_int_equal(editbuf_changes(eb), 2);
    /* a letter whose marks have no precomposed form stays whole: q + 2 marks
     * is 5 bytes, so only the x before it fits */
    assert_int_equal(editbuf_insert_fit(eb, "x" Q_MARKS, strlen("x" Q_MARKS), &dropped), EB_OK);
    assert_string_equal(editbuf_text(eb), "abcd" E_CIRC_DOT "fx");
    assert_int_equal(dropped, 5);
    /* in the middle of the text, CR LF and a control cleaned first */
    editbuf_set(eb, "");
    editbuf_set_limit(eb, 6);
    assert_int_equal(editbuf_insert_fit(eb, "ab", 2, NULL), EB_OK);
    editbuf_set_cursor(eb, 1);
    const char *mixed = "1\r\n2\001345"; /* CR LF, a control */
    assert_int_equal(editbuf_insert_fit(eb, mixed, 8, &dropped), EB_OK);
    assert_string_equal(editbuf_text(eb), "a1\n23b");
    assert_int_equal(dropped, 2); /* "45" */
    assert_int_equal(editbuf_cursor(eb), 5);
    /* nothing but controls: nothing to do, nothing dropped */
    assert_int_equal(editbuf_insert_fit(eb, "\x01\x02", 2, &dropped), EB_NOTHING);
    assert_int_equal(dropped, 0);
    editbuf_free(eb);
}

static void test_paste_100k(void **state)
{
    (void)state;
    static const char *const words[] = {
        "Ủy ban nhân dân", "xã",         "Phước Long",      "tiếp nhận", "hồ sơ",
        "đúng hạn",        DONG_NFD,     "trễ hạn",         "CCHC",      "\n",
        "một cửa",         "liên thông", CJK_ZHONG CJK_WEN,
    };
    struct strbuf in = {0};
    for (size_t i = 0; in.len < 100 * 1024; i++) {
        sb_adds(&in, words[(i * 7 + i / 3) % (sizeof words / sizeof *words)]);
        sb_addc(&in, ' ');
    }
    char *want = text_nfc(in.buf, in.len);
    /* default limit refuses it whole */
    struct editbuf *eb = editbuf_new(0);
    editbuf_set(eb, "x");
    assert_int_equal(editbuf_insert(eb, in.buf, in.len), EB_TOO_LONG);
    assert_string_equal(editbuf_text(eb), "x");
    /* raised limit: one insertion */
    editbuf_set_limit(eb, 256 * 1024);
    editbuf_set(eb, "");
    assert_int_equal(editbuf_insert(eb, in.buf, in.len), EB_OK);
    assert_string_equal(editbuf_text(eb), want);
    assert_int_equal(editbuf_cursor(eb), strlen(want));
    size_t n;
    const struct eb_line *l = editbuf_layout(eb, 80, &n);
    assert_true(n > 1000);
    for (size_t i = 0; i < n; i++) /* every line fits, spaces hanging aside */
        assert_true(l[i].cols <= 80 || editbuf_text(eb)[l[i].end - 1] == ' ');
    assert_int_equal(l[n - 1].end, editbuf_len(eb));
    /* the same text arriving one code point at a time ends the same */
    struct editbuf *eb2 = editbuf_new(256 * 1024);
    const uint8_t *u = (const uint8_t *)in.buf;
    for (size_t i = 0; i < in.len;) {
        ucs4_t c;
        int k = u8_mbtouc(&c, u + i, in.len - i);
        editbuf_insert_char(eb2, c);
        i += (size_t)k;
    }
    assert_string_equal(editbuf_text(eb2), want);
    char *nfc = editbuf_get_nfc(eb2);
    assert_string_equal(nfc, want);
    free(nfc);
    editbuf_free(eb2);
    editbuf_free(eb);
    free(want);
    sb_free(&in);
}

static void test_change_counter(void **state)
{
    (void)state;
    struct editbuf *eb = editbuf_new(20);
    assert_int_equal(editbuf_changes(eb), 0);
    editbuf_set(eb, "ghi chú");
    assert_int_equal(editbuf_changes(eb), 0);
    assert_false(editbuf_modified(eb));
    editbuf_insert_char(eb, '!');
    assert_int_equal(editbuf_changes(eb), 1);
    assert_true(editbuf_modified(eb));
    editbuf_move(eb, EB_LEFT, 80);
    editbuf_move(eb, EB_TEXT_START, 80);
    assert_int_equal(editbuf_changes(eb), 1);
    editbuf_delete_back(eb); /* nothing at the start */
    editbuf_insert_char(eb, 0x1b);
    editbuf_insert(eb, "", 0);
    editbuf_insert(eb, "01234567890123456789", 20); /* refused */
    assert_int_equal(editbuf_changes(eb), 1);
    editbuf_delete_forward(eb);
    assert_int_equal(editbuf_changes(eb), 2);
    editbuf_clear_modified(eb);
    assert_false(editbuf_modified(eb));
    assert_int_equal(editbuf_changes(eb), 2);
    assert_int_equal(editbuf_replace(eb, editbuf_text(eb)), EB_NOTHING);
    assert_int_equal(editbuf_changes(eb), 2);
    assert_int_equal(editbuf_replace(eb, "khác"), EB_OK);
    assert_int_equal(editbuf_changes(eb), 3);
    assert_true(editbuf_modified(eb));
    assert_int_equal(editbuf_cursor(eb), strlen("khác"));
    editbuf_free(eb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_insert_delete_nfc),
        cmocka_unit_test(test_nfd_typed_one_code_point_at_a_time),
        cmocka_unit_test(test_marks_without_precomposed_form),
        cmocka_unit_test(test_mark_joins_letter_before_cursor),
        cmocka_unit_test(test_controls_refused),
        cmocka_unit_test(test_kill_and_lines),
        cmocka_unit_test(test_word_moves),
        cmocka_unit_test(test_wrap_vietnamese),
        cmocka_unit_test(test_wrap_cjk_at_edge),
        cmocka_unit_test(test_up_down_keep_column),
        cmocka_unit_test(test_size_limit),
        cmocka_unit_test(test_insert_fit),
        cmocka_unit_test(test_paste_100k),
        cmocka_unit_test(test_change_counter),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
