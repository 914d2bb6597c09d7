/* ui_edit.h — the note editor widget (curses) on top of editbuf, and the
 * round trip through $VISUAL / $EDITOR.
 *
 * The widget owns no window and no loop: the screen that uses it passes
 * each key to ui_edit_key() and acts on the event it returns (save, ask
 * keep-or-discard, run the external editor), and calls ui_edit_draw() with
 * the rectangle to fill. Keys are ints as in keys.h: a character's code
 * point, or KEYS_FUNC(KEY_x) for a curses function key.
 *
 * Keys: printable characters insert; Enter inserts a newline; ← → ↑ ↓ move
 * (by character, and by visual line keeping the column); Home/End: start
 * and end of the visual line; C-a/C-e: of the logical line; C-←/C-→: by
 * word; C-Home/C-End: start and end of the text; PgUp/PgDn: a page;
 * Backspace/Delete (also C-h, C-d) delete a character (a letter with its
 * marks); C-k kills to the end of the line (joins the next at its end),
 * C-u to its start; C-s saves (UE_SAVE); Esc leaves (UE_CANCEL: the caller
 * asks keep or discard); C-x C-e asks for the external editor
 * (UE_EXTERNAL; the caller may map another key to it outside the editor).
 * Other control keys do nothing.
 *
 * Everything drawn goes through the text module (text_sanitize, text_fit),
 * so no control character or escape sequence in a note reaches the
 * terminal. The screen must call curs_set(1) while the editor shows (and
 * ui_edit_term_begin(), below) and leave the cursor where ui_edit_draw()
 * put it (or call ui_edit_place_cursor() after drawing anything else).
 */
#ifndef CCHC_UI_EDIT_H
#define CCHC_UI_EDIT_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>

#include "cchc/editbuf.h"
#include "cchc/util.h"

enum ue_event {
    UE_NONE,     /* nothing for the caller (a move, a refused key) */
    UE_CHANGED,  /* the text changed: the caller may save a draft later */
    UE_SAVE,     /* C-s: save the text (editbuf_get_nfc) */
    UE_CANCEL,   /* Esc: ask keep or discard */
    UE_EXTERNAL, /* C-x C-e: edit in $VISUAL/$EDITOR (ui_edit_run_external) */
};

/* Bracketed paste: the terminal sends these two around a paste (terminfo
 * PS/PE, else xterm's ESC [200~ and ESC [201~; turned on with BE, else,
 * for xterm-like terminals, ESC [?2004h). The keys between them are one
 * paste, with no key in it taken as a command, inserted in one piece when
 * the end comes (also when the end marker arrives cut in two, as Esc and
 * characters). The screen passes them like any key (wget_wch returns them
 * as KEY_CODE_YES codes).
 *
 * The size limit: text typed or pasted goes in as much as fits, cut after
 * a whole character; the status line says at once how many bytes were not
 * added ("Ghi chú quá dài: 10816 byte cuối không thêm được (tối đa
 * 16384)"), counted over the whole paste even when it came in several
 * reads, until the next key that is not text or a pause. Nothing is left
 * out silently. */
#define UE_KEY_PASTE_BEGIN 0x7F00
#define UE_KEY_PASTE_END   0x7F01

struct ui_edit;

/* A new editor on text (NULL: empty) with a size limit in bytes (0: the
 * default, 16 KiB); the title is shown on its first line. vi chooses
 * Vietnamese or English for the status line. */
struct ui_edit *ui_edit_new(const char *title, const char *text, size_t limit, bool vi);
void ui_edit_free(struct ui_edit *e);

/* The text, modified flag and change counter live in the buffer. */
struct editbuf *ui_edit_buf(struct ui_edit *e);
void ui_edit_set_title(struct ui_edit *e, const char *title);
/* A one-time message on the status line ("Đã lưu nháp"), until the next key. */
void ui_edit_set_message(struct ui_edit *e, const char *msg);
/* The message on the status line now ("" when none). */
const char *ui_edit_message(const struct ui_edit *e);

/* Handle one key. A negative key (the UI's "tick": no key before the
 * timeout) finishes a paste whose end never came. */
enum ue_event ui_edit_key(struct ui_edit *e, int key);

/* Handle key, read by the caller from w, then the keys already waiting in
 * w in the same call: the rest of a bracketed paste (waiting up to 200 ms
 * for each of its pieces, so that a paste is inserted as soon as its end
 * comes) or text typed ahead (a paste in a terminal without bracketed
 * paste), inserted as one piece. So a long paste costs one insertion and
 * one drawing, not one per character. A key that is not text ends the
 * reading and is left in w (ungetch) for the caller's next read. w NULL:
 * as ui_edit_key. Returns the most important event (SAVE, CANCEL and
 * EXTERNAL stop the reading). */
enum ue_event ui_edit_feed(struct ui_edit *e, WINDOW *w, int key);
/* The terminal's input file descriptor (ui.c, for a real terminal): with
 * it, ui_edit_feed waits for the rest of a character whose first bytes
 * have come. -1 (the default, scripted runs): no waiting. */
void ui_edit_set_input(int fd);

/* Read a key from w (with w's timeout) and go on as ui_edit_feed.
 * *timeout (may be NULL) is set when nothing came before the timeout. */
enum ue_event ui_edit_read(struct ui_edit *e, WINDOW *w, bool *timeout);

/* Draw in rows [y, y + rows) and columns [x, x + cols) of w: a title line,
 * the text (scrolled to keep the cursor in view) and a status line with the
 * keys and "size/limit". Leaves w's cursor on the text cursor. */
void ui_edit_draw(struct ui_edit *e, WINDOW *w, int y, int x, int rows, int cols);
void ui_edit_place_cursor(const struct ui_edit *e, WINDOW *w);

/* Terminal modes while the editor is open: raw input so that C-s and C-q
 * reach the editor instead of stopping the terminal (XON/XOFF) and C-c is
 * no signal, and bracketed paste when the terminal has it. end restores
 * cbreak mode (what ui.c uses) and turns bracketed paste off. */
void ui_edit_term_begin(void);
void ui_edit_term_end(void);
/* Keep the terminal from taking C-s / C-q as flow control, for the whole
 * session (ui.c at start; ui_edit_term_end after noraw()). */
void ui_no_flow_control(void);

/* ---- the external editor ----
 *
 * Writes text to a private temporary file ($TMPDIR or /tmp, mode 0600, name
 * ending ".txt"), leaves curses (def_prog_mode, endwin) when curses is on,
 * runs $VISUAL, else $EDITOR, else vi, through /bin/sh -c with the file's
 * name as "$1" (never pasted into the command), waits for it with SIGINT
 * and SIGQUIT ignored, comes back to curses (reset_prog_mode, a full
 * redraw), and reads the file back: cleaned like typed text, NFC. The file
 * is written ending with a newline (text that is not empty), as editors and
 * shell tools expect of a text file, so that a line added at the end is a
 * line of its own; one final newline is taken off when it is read back.
 * The file is removed in every case.
 *
 * Returns CCHC_OK with *out the new text (malloc'd). When the editor fails
 * (exit status not 0, a signal, cannot be run) returns CCHC_ERUNTIME with
 * *out NULL and err saying so: the caller keeps its text. When the text is
 * over limit bytes returns CCHC_EUSAGE with err saying so, and *out set all
 * the same, so that the caller can let the user shorten it rather than
 * lose it (ui_edit_run_external does).
 *
 * Never call this with a database transaction open: the editor may stay
 * open for an hour, and a read transaction held that long pins old pages
 * and blocks other inspectors' writers from reusing space.
 */
int ui_edit_external_limit(const char *text, size_t limit, char **out, struct cchc_err *err);
/* The same with the default limit (EDITBUF_DEFAULT_LIMIT). */
int ui_edit_external(const char *text, char **out, struct cchc_err *err);
/* Round trip of e's text: on success the buffer takes the new text as a
 * change (UE_CHANGED semantics; nothing when unchanged). Over the limit the
 * text is taken all the same and the status line says to shorten it (C-s
 * refuses to save until then). On failure e is untouched; the status line
 * and err say why. Same rule: no transaction open. */
int ui_edit_run_external(struct ui_edit *e, struct cchc_err *err);

#endif
