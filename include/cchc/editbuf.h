/* editbuf.h — the editing core of the note editor: a UTF-8 text with a
 * cursor, edited by character, laid out in visual lines by display width.
 *
 * No curses here (ui_edit.h draws it), so every rule can be tested alone:
 *  - The cursor is a byte offset that always sits on a character boundary:
 *    a "character" is a base with its combining marks (text_next_char), so
 *    the cursor is never between a letter and its tone mark, and deleting
 *    removes a whole character, never a byte or a lone mark.
 *  - Inserted text is cleaned: malformed bytes become U+FFFD; control
 *    characters are dropped except newline (CR and CR LF become newline, TAB
 *    becomes a space); a combining mark with no letter before it (at the
 *    start of the text or of a line) is dropped. Marks typed one code point
 *    at a time join the letter before them and are composed on the spot, so
 *    e + U+0302 + U+0323 becomes the one character "ệ".
 *  - A size limit in bytes: an insertion that would pass it is refused as a
 *    whole and changes nothing (editbuf_insert_fit instead takes the part
 *    that fits and says how much it left out). Text loaded with editbuf_set() is never cut,
 *    even when it is over the limit (nothing the user wrote is dropped).
 *  - A "modified" flag and a change counter that moves on every change, so
 *    that the UI saves a draft only when something changed.
 *  - Layout: lines wrap at the given width in display columns, at a space
 *    when the line has one (the spaces stay at the end of the upper line
 *    and may hang past the edge), else inside a word; a wide character never
 *    straddles the edge. The layout is computed on demand and kept until
 *    the text or the width changes. Inserting is one memmove, so a 100 KB
 *    paste inserted at once costs one pass.
 */
#ifndef CCHC_EDITBUF_H
#define CCHC_EDITBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EDITBUF_DEFAULT_LIMIT 16384 /* bytes of UTF-8 */

struct editbuf;

/* One visual line: bytes [start, end) of the text. A line that wraps ends
 * where the next one starts; the last line of a paragraph ends before its
 * newline (or at the end of the text). cols is the display width of
 * [start, end), hanging spaces included (it may exceed the layout width). */
struct eb_line {
    size_t start, end;
    int cols;
    bool last; /* last visual line of its paragraph */
};

enum eb_result {
    EB_OK,       /* done */
    EB_NOTHING,  /* nothing to do (e.g. backspace at the start) */
    EB_TOO_LONG, /* refused: the text would pass the limit; unchanged */
};

enum eb_move {
    EB_LEFT,
    EB_RIGHT,
    EB_UP,   /* visual line above, same display column */
    EB_DOWN, /* visual line below, same display column */
    EB_HOME, /* start of the visual line */
    EB_END,  /* end of the visual line */
    EB_WORD_LEFT,
    EB_WORD_RIGHT,
    EB_PARA_START, /* start of the logical line (after the previous newline) */
    EB_PARA_END,   /* end of the logical line (before the next newline) */
    EB_TEXT_START,
    EB_TEXT_END,
};

/* limit 0 means EDITBUF_DEFAULT_LIMIT. */
struct editbuf *editbuf_new(size_t limit);
void editbuf_free(struct editbuf *eb);

/* Load text (cleaned and NFC, never cut), cursor at its end. Not a change:
 * the modified flag is cleared and the counter does not move. */
void editbuf_set(struct editbuf *eb, const char *text);
/* Replace the whole text as an edit (e.g. what came back from $EDITOR):
 * refused with EB_TOO_LONG over the limit; cursor at the end. */
enum eb_result editbuf_replace(struct editbuf *eb, const char *text);
/* As editbuf_replace, but never refuses: for text the user wrote elsewhere
 * ($EDITOR), which must be shortened rather than lost. Returns EB_TOO_LONG
 * when the text taken is over the limit (insertions are refused until it is
 * shortened). */
enum eb_result editbuf_replace_any(struct editbuf *eb, const char *text);

/* The raw text (NUL-terminated; NFC except while a character is being
 * composed) and its length; valid until the next change. */
const char *editbuf_text(const struct editbuf *eb);
size_t editbuf_len(const struct editbuf *eb);
/* The text as NFC, to store. Malloc'd, never NULL. */
char *editbuf_get_nfc(const struct editbuf *eb);

size_t editbuf_limit(const struct editbuf *eb);
void editbuf_set_limit(struct editbuf *eb, size_t limit); /* 0: default */
/* After EB_TOO_LONG: the size in bytes the text would have had. */
size_t editbuf_refused_size(const struct editbuf *eb);

bool editbuf_modified(const struct editbuf *eb);
void editbuf_clear_modified(struct editbuf *eb); /* after a save */
uint64_t editbuf_changes(const struct editbuf *eb);

size_t editbuf_cursor(const struct editbuf *eb);
/* Move the cursor to off, or to the character boundary before it. */
void editbuf_set_cursor(struct editbuf *eb, size_t off);

/* Insert s[0..len) at the cursor (typed or pasted), cursor after it. */
enum eb_result editbuf_insert(struct editbuf *eb, const char *s, size_t len);
/* A paste longer than the room left: insert as much of s[0..len) as fits
 * under the limit, cut after a whole character (a letter keeps its marks),
 * cursor after it. *dropped (may be NULL) gets the bytes of the cleaned
 * text left out, so that the caller can say how much was not added.
 * EB_OK when something was inserted (all or a part), EB_TOO_LONG when not
 * one character fits (nothing changes), EB_NOTHING when s cleans to
 * nothing. */
enum eb_result editbuf_insert_fit(struct editbuf *eb, const char *s, size_t len, size_t *dropped);
/* Insert one typed code point; controls other than '\n'/'\r' are ignored
 * (EB_NOTHING), TAB inserts a space. */
enum eb_result editbuf_insert_char(struct editbuf *eb, uint32_t cp);
enum eb_result editbuf_delete_back(struct editbuf *eb);    /* one character */
enum eb_result editbuf_delete_forward(struct editbuf *eb); /* one character */
/* Kill from the cursor to the end of the logical line; at its end, join
 * the next line (delete the newline). */
enum eb_result editbuf_kill_to_end(struct editbuf *eb);
/* Kill from the start of the logical line to the cursor. */
enum eb_result editbuf_kill_to_start(struct editbuf *eb);

/* Move the cursor. width is the layout width, used by the moves that work
 * on visual lines (UP, DOWN, HOME, END); UP and DOWN keep the display
 * column of the first of a run of vertical moves. Returns false when the
 * cursor could not move. */
bool editbuf_move(struct editbuf *eb, enum eb_move how, int width);
/* n visual lines down (n > 0) or up (n < 0), keeping the column; for pages. */
bool editbuf_move_lines(struct editbuf *eb, int n, int width);

/* The visual lines at width (>= 1 column; less counts as 1). The array is
 * valid until the next change or layout at another width. Never empty: an
 * empty text has one empty line. */
const struct eb_line *editbuf_layout(struct editbuf *eb, int width, size_t *nlines);
/* Where the cursor is drawn at width: visual line and display column. */
void editbuf_cursor_pos(struct editbuf *eb, int width, size_t *line, int *col);

#endif
