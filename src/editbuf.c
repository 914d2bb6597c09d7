/* editbuf.c — the editing core of the note editor (see editbuf.h).
 *
 * The text is one contiguous UTF-8 buffer, edited by memmove at the cursor:
 * notes are small (16 KiB by default) and a paste arrives in one call, so a
 * gap buffer would buy nothing but complexity. The layout (visual lines) is
 * a cache rebuilt on demand after a change, in one pass over the text.
 *
 * Invariants kept by every function here, and relied on by the others:
 *  - the buffer is valid UTF-8 with no control character but '\n';
 *  - no combining mark follows '\n' or starts the text, so a '\n' is always
 *    a character of its own and a paragraph starts with a base;
 *  - the cursor is on a character boundary (text_next_char/text_prev_char).
 * Never include curses here.
 */
#include <stdlib.h>
#include <string.h>

#include <unictype.h>
#include <unistr.h>

#include "cchc/editbuf.h"
#include "cchc/text.h"
#include "cchc/util.h"

struct editbuf {
    char *buf; /* always NUL-terminated */
    size_t len, cap;
    size_t cursor;
    size_t limit;
    size_t refused; /* size a refused insertion would have given */
    bool modified;
    uint64_t changes;
    int goal; /* display column kept by vertical moves, -1 when none */
    /* layout cache, valid while lvalid and lwidth is the asked width */
    struct eb_line *lines;
    size_t nlines, lcap;
    int lwidth;
    bool lvalid;
};

/* ---- characters -------------------------------------------------------- */

static bool is_mark(ucs4_t c)
{
    return c >= 0x300 && uc_is_general_category(c, UC_CATEGORY_M);
}

/* Decode the code point at s[0..n), n >= 1, of text known to be valid
 * UTF-8; returns its length in bytes (1 for anything unexpected). */
static size_t decode(const char *s, size_t n, ucs4_t *c)
{
    if ((unsigned char)s[0] < 0x80) {
        *c = (unsigned char)s[0];
        return 1;
    }
    int k = u8_mbtouc(c, (const uint8_t *)s, n);
    return k > 0 ? (size_t)k : 1;
}

static ucs4_t cp_at(const char *s, size_t n)
{
    ucs4_t c;
    decode(s, n, &c);
    return c;
}

/* Display width of the character s[0..n) as text_width measures it, so that
 * the layout agrees with what the widget draws. */
static int char_cols(const char *s, size_t n)
{
    if (n == 1 && (unsigned char)s[0] < 0x80)
        return 1; /* printable ASCII: controls never get into the buffer */
    char local[64];
    char *tmp = n < sizeof local ? local : xmalloc(n + 1);
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    int w = text_width(tmp);
    if (tmp != local)
        free(tmp);
    return w;
}

static size_t next_char(const struct editbuf *eb, size_t pos)
{
    return text_next_char(eb->buf, eb->len, pos);
}

static size_t prev_char(const struct editbuf *eb, size_t pos)
{
    return text_prev_char(eb->buf, eb->len, pos);
}

/* The character boundary at or before off: back to the start of a code
 * point, then, if that is a mark, back to the letter it belongs to. */
static size_t snap(const struct editbuf *eb, size_t off)
{
    if (off >= eb->len)
        return eb->len;
    while (off > 0 && ((unsigned char)eb->buf[off] & 0xC0) == 0x80)
        off--;
    if (is_mark(cp_at(eb->buf + off, eb->len - off)))
        off = prev_char(eb, off);
    return off;
}

/* ---- cleaning input ---------------------------------------------------- */

/* Append to out the cleaned form of NFC text s (see editbuf.h); need_base
 * tells whether a mark at the start would have no letter to join. Returns
 * true when something was dropped or replaced. */
static bool clean_into(struct strbuf *out, const char *s, bool need_base)
{
    size_t n = strlen(s), i = 0;
    bool changed = false;
    while (i < n) {
        ucs4_t c;
        size_t k = decode(s + i, n - i, &c);
        if (c == '\r' || c == '\n') {
            if (c == '\r' && i + 1 < n && s[i + 1] == '\n') {
                i++; /* CR LF: the LF comes next */
                changed = true;
                continue;
            }
            changed |= c == '\r';
            sb_addc(out, '\n');
            need_base = true;
        } else if (c == '\t') {
            sb_addc(out, ' ');
            need_base = false;
            changed = true;
        } else if (c < 0x20 || (c >= 0x7F && c < 0xA0)) {
            changed = true; /* a control: dropped */
        } else if (is_mark(c) && need_base) {
            changed = true; /* a mark with no letter before it */
        } else {
            sb_add(out, s + i, k);
            need_base = false;
        }
        i += k;
    }
    return changed;
}

/* Cleaned NFC copy of s[0..len). Malloc'd, never NULL. */
static char *clean(const char *s, size_t len, bool need_base)
{
    char *nfc = text_nfc(s, len);
    struct strbuf out = {0};
    bool changed = clean_into(&out, nfc, need_base);
    free(nfc);
    char *r = sb_detach(&out);
    if (!r)
        return xstrdup("");
    if (changed) { /* a dropped control may have parted a letter from its mark */
        char *again = text_nfc(r, strlen(r));
        free(r);
        r = again;
    }
    return r;
}

/* ---- the buffer -------------------------------------------------------- */

struct editbuf *editbuf_new(size_t limit)
{
    struct editbuf *eb = xcalloc(1, sizeof *eb);
    eb->cap = 64;
    eb->buf = xmalloc(eb->cap);
    eb->buf[0] = '\0';
    eb->limit = limit ? limit : EDITBUF_DEFAULT_LIMIT;
    eb->goal = -1;
    return eb;
}

void editbuf_free(struct editbuf *eb)
{
    if (!eb)
        return;
    free(eb->buf);
    free(eb->lines);
    free(eb);
}

static void reserve(struct editbuf *eb, size_t need)
{
    if (need + 1 <= eb->cap)
        return;
    size_t cap = eb->cap;
    while (cap < need + 1)
        cap *= 2;
    eb->buf = xrealloc(eb->buf, cap);
    eb->cap = cap;
}

/* Replace bytes [at, at + del) by ins[0..n). Raw: no cleaning, no counting. */
static void splice(struct editbuf *eb, size_t at, size_t del, const char *ins, size_t n)
{
    reserve(eb, eb->len - del + n);
    memmove(eb->buf + at + n, eb->buf + at + del, eb->len - at - del + 1);
    memcpy(eb->buf + at, ins, n);
    eb->len = eb->len - del + n;
    eb->lvalid = false;
}

static void mark_changed(struct editbuf *eb)
{
    eb->modified = true;
    eb->changes++;
    eb->goal = -1;
}

/* Text replaced wholesale, cursor at the end. */
static void load(struct editbuf *eb, const char *clean_text)
{
    size_t n = strlen(clean_text);
    splice(eb, 0, eb->len, clean_text, n);
    eb->cursor = eb->len;
    eb->goal = -1;
}

void editbuf_set(struct editbuf *eb, const char *text)
{
    char *c = clean(text ? text : "", text ? strlen(text) : 0, true);
    load(eb, c);
    free(c);
    eb->modified = false;
}

static enum eb_result replace(struct editbuf *eb, const char *text, bool force)
{
    char *c = clean(text ? text : "", text ? strlen(text) : 0, true);
    size_t n = strlen(c);
    bool over = n > eb->limit;
    if (over)
        eb->refused = n;
    if (over && !force) {
        free(c);
        return EB_TOO_LONG;
    }
    bool same = n == eb->len && memcmp(c, eb->buf, n) == 0;
    load(eb, c);
    free(c);
    if (!same)
        mark_changed(eb);
    return over ? EB_TOO_LONG : same ? EB_NOTHING : EB_OK;
}

enum eb_result editbuf_replace(struct editbuf *eb, const char *text)
{
    return replace(eb, text, false);
}

enum eb_result editbuf_replace_any(struct editbuf *eb, const char *text)
{
    return replace(eb, text, true);
}

const char *editbuf_text(const struct editbuf *eb)
{
    return eb->buf;
}

size_t editbuf_len(const struct editbuf *eb)
{
    return eb->len;
}

char *editbuf_get_nfc(const struct editbuf *eb)
{
    return text_nfc(eb->buf, eb->len);
}

size_t editbuf_limit(const struct editbuf *eb)
{
    return eb->limit;
}

void editbuf_set_limit(struct editbuf *eb, size_t limit)
{
    eb->limit = limit ? limit : EDITBUF_DEFAULT_LIMIT;
}

size_t editbuf_refused_size(const struct editbuf *eb)
{
    return eb->refused;
}

bool editbuf_modified(const struct editbuf *eb)
{
    return eb->modified;
}

void editbuf_clear_modified(struct editbuf *eb)
{
    eb->modified = false;
}

uint64_t editbuf_changes(const struct editbuf *eb)
{
    return eb->changes;
}

size_t editbuf_cursor(const struct editbuf *eb)
{
    return eb->cursor;
}

void editbuf_set_cursor(struct editbuf *eb, size_t off)
{
    eb->cursor = snap(eb, off);
    eb->goal = -1;
}

/* ---- editing ----------------------------------------------------------- */

/* After inserting [a, end): marks at the start of the insertion joined the
 * letter before a; compose that one character again so that the buffer
 * stays NFC while NFD arrives one code point at a time. Returns the new end
 * of the insertion. */
static size_t compose_at(struct editbuf *eb, size_t a, size_t end)
{
    if (a == 0)
        return end;
    size_t g0 = prev_char(eb, a);
    size_t g1 = next_char(eb, g0);
    if (g1 <= a)
        return end; /* the insertion starts with a letter of its own */
    size_t old = g1 - g0;
    char *r = text_nfc(eb->buf + g0, old);
    size_t rn = strlen(r);
    if (rn != old || memcmp(r, eb->buf + g0, old) != 0)
        splice(eb, g0, old, r, rn);
    free(r);
    return end + rn - old;
}

enum eb_result editbuf_insert(struct editbuf *eb, const char *s, size_t len)
{
    size_t a = eb->cursor;
    bool need_base = a == 0 || eb->buf[a - 1] == '\n';
    char *c = clean(s ? s : "", s ? len : 0, need_base);
    size_t n = strlen(c);
    if (n == 0) {
        free(c);
        return EB_NOTHING;
    }
    if (eb->len + n > eb->limit) {
        eb->refused = eb->len + n;
        free(c);
        return EB_TOO_LONG;
    }
    splice(eb, a, 0, c, n);
    free(c);
    eb->cursor = snap(eb, compose_at(eb, a, a + n));
    mark_changed(eb);
    return EB_OK;
}

enum eb_result editbuf_insert_fit(struct editbuf *eb, const char *s, size_t len, size_t *dropped)
{
    size_t a = eb->cursor;
    bool need_base = a == 0 || eb->buf[a - 1] == '\n';
    char *c = clean(s ? s : "", s ? len : 0, need_base);
    size_t n = strlen(c), room = eb->len < eb->limit ? eb->limit - eb->len : 0, cut = n;
    if (n > room) { /* the longest run of whole characters that fits */
        cut = 0;
        for (size_t nx; cut < n && (nx = text_next_char(c, n, cut)) <= room;)
            cut = nx;
    }
    if (dropped)
        *dropped = n - cut;
    if (cut == 0) {
        if (n)
            eb->refused = eb->len + n;
        free(c);
        return n ? EB_TOO_LONG : EB_NOTHING;
    }
    splice(eb, a, 0, c, cut);
    free(c);
    eb->cursor = snap(eb, compose_at(eb, a, a + cut));
    mark_changed(eb);
    return EB_OK;
}

enum eb_result editbuf_insert_char(struct editbuf *eb, uint32_t cp)
{
    if (cp == '\r')
        cp = '\n';
    if (cp == '\t')
        cp = ' ';
    if ((cp < 0x20 && cp != '\n') || (cp >= 0x7F && cp < 0xA0) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return EB_NOTHING;
    uint8_t u[4];
    int k = u8_uctomb(u, cp, 4);
    if (k <= 0)
        return EB_NOTHING;
    return editbuf_insert(eb, (const char *)u, (size_t)k);
}

static enum eb_result delete_range(struct editbuf *eb, size_t a, size_t b)
{
    if (b <= a)
        return EB_NOTHING;
    splice(eb, a, b - a, "", 0);
    eb->cursor = a;
    mark_changed(eb);
    return EB_OK;
}

enum eb_result editbuf_delete_back(struct editbuf *eb)
{
    if (eb->cursor == 0)
        return EB_NOTHING;
    return delete_range(eb, prev_char(eb, eb->cursor), eb->cursor);
}

enum eb_result editbuf_delete_forward(struct editbuf *eb)
{
    if (eb->cursor >= eb->len)
        return EB_NOTHING;
    return delete_range(eb, eb->cursor, next_char(eb, eb->cursor));
}

static size_t para_start(const struct editbuf *eb, size_t pos)
{
    while (pos > 0 && eb->buf[pos - 1] != '\n')
        pos--;
    return pos;
}

static size_t para_end(const struct editbuf *eb, size_t pos)
{
    const char *nl = memchr(eb->buf + pos, '\n', eb->len - pos);
    return nl ? (size_t)(nl - eb->buf) : eb->len;
}

enum eb_result editbuf_kill_to_end(struct editbuf *eb)
{
    size_t e = para_end(eb, eb->cursor);
    if (e == eb->cursor && e < eb->len)
        e++; /* at the end of a line: join the next one */
    return delete_range(eb, eb->cursor, e);
}

enum eb_result editbuf_kill_to_start(struct editbuf *eb)
{
    return delete_range(eb, para_start(eb, eb->cursor), eb->cursor);
}

/* ---- layout ------------------------------------------------------------ */

static void push_line(struct editbuf *eb, size_t start, size_t end, int cols, bool last)
{
    if (eb->nlines == eb->lcap) {
        eb->lcap = eb->lcap ? eb->lcap * 2 : 32;
        eb->lines = xrealloc(eb->lines, eb->lcap * sizeof *eb->lines);
    }
    eb->lines[eb->nlines++] = (struct eb_line){start, end, cols, last};
}

/* Display width of [a, b), both character boundaries. */
static int span_cols(const struct editbuf *eb, size_t a, size_t b)
{
    int w = 0;
    while (a < b) {
        size_t n = next_char(eb, a);
        w += char_cols(eb->buf + a, n - a);
        a = n;
    }
    return w;
}

/* Wrap the paragraph [p, q) (q at its newline or the end) into lines of at
 * most width columns. brk is where the line may break: the first letter
 * after a run of spaces; spaces themselves never force a break, they hang. */
static void layout_para(struct editbuf *eb, size_t p, size_t q, int width)
{
    size_t s = p, pos = p, brk = p;
    int w = 0;
    bool after_space = false;
    while (pos < q) {
        size_t nx = text_next_char(eb->buf, q, pos);
        int cw = char_cols(eb->buf + pos, nx - pos);
        if (eb->buf[pos] == ' ') {
            w += cw;
            after_space = true;
            pos = nx;
            continue;
        }
        if (after_space) {
            brk = pos;
            after_space = false;
        }
        if (w + cw > width && pos > s) {
            size_t e = brk > s ? brk : pos; /* at a space if we can */
            push_line(eb, s, e, span_cols(eb, s, e), false);
            s = e;
            brk = s;
            w = span_cols(eb, s, pos);
            continue; /* look at this character again on the new line */
        }
        w += cw;
        pos = nx;
    }
    push_line(eb, s, q, w, true);
}

const struct eb_line *editbuf_layout(struct editbuf *eb, int width, size_t *nlines)
{
    if (width < 1)
        width = 1;
    if (!eb->lvalid || eb->lwidth != width) {
        eb->nlines = 0;
        size_t p = 0;
        for (;;) {
            size_t q = para_end(eb, p);
            layout_para(eb, p, q, width);
            if (q >= eb->len)
                break;
            p = q + 1;
        }
        eb->lwidth = width;
        eb->lvalid = true;
    }
    if (nlines)
        *nlines = eb->nlines;
    return eb->lines;
}

/* Index of the visual line that shows offset pos: the last line starting
 * at or before it (a wrapped line's end belongs to the next line). */
static size_t line_of(const struct editbuf *eb, size_t pos)
{
    size_t lo = 0, hi = eb->nlines;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (eb->lines[mid].start <= pos)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

void editbuf_cursor_pos(struct editbuf *eb, int width, size_t *line, int *col)
{
    editbuf_layout(eb, width, NULL);
    size_t i = line_of(eb, eb->cursor);
    if (line)
        *line = i;
    if (col)
        *col = span_cols(eb, eb->lines[i].start, eb->cursor);
}

/* The offset on line l nearest to display column goal without passing it;
 * a wrapped line's own end is the next line's start, so it is excluded. */
static size_t offset_at(const struct editbuf *eb, const struct eb_line *l, int goal)
{
    size_t pos = l->start;
    int w = 0;
    while (pos < l->end) {
        size_t nx = next_char(eb, pos);
        if (nx > l->end)
            nx = l->end;
        int cw = char_cols(eb->buf + pos, nx - pos);
        if (w + cw > goal || (!l->last && nx >= l->end))
            break;
        w += cw;
        pos = nx;
    }
    return pos;
}

/* ---- moving ------------------------------------------------------------ */

static bool is_word(const struct editbuf *eb, size_t pos)
{
    return uc_is_alnum(cp_at(eb->buf + pos, eb->len - pos));
}

static size_t word_right(const struct editbuf *eb, size_t p)
{
    while (p < eb->len && !is_word(eb, p))
        p = next_char(eb, p);
    while (p < eb->len && is_word(eb, p))
        p = next_char(eb, p);
    return p;
}

static size_t word_left(const struct editbuf *eb, size_t p)
{
    while (p > 0 && !is_word(eb, prev_char(eb, p)))
        p = prev_char(eb, p);
    while (p > 0 && is_word(eb, prev_char(eb, p)))
        p = prev_char(eb, p);
    return p;
}

bool editbuf_move_lines(struct editbuf *eb, int n, int width)
{
    size_t count, line;
    int col;
    const struct eb_line *lines = editbuf_layout(eb, width, &count);
    editbuf_cursor_pos(eb, width, &line, &col);
    int goal = eb->goal >= 0 ? eb->goal : col;
    long target = (long)line + n;
    if (target < 0)
        target = 0;
    if (target >= (long)count)
        target = (long)count - 1;
    if ((size_t)target == line)
        return false;
    eb->cursor = offset_at(eb, &lines[target], goal);
    eb->goal = goal;
    return true;
}

/* The new cursor for a move that is not vertical. */
static size_t move_target(struct editbuf *eb, enum eb_move how, int width)
{
    size_t c = eb->cursor;
    if (how == EB_HOME || how == EB_END) {
        size_t line;
        const struct eb_line *lines = editbuf_layout(eb, width, NULL);
        editbuf_cursor_pos(eb, width, &line, NULL);
        const struct eb_line *l = &lines[line];
        if (how == EB_HOME)
            return l->start;
        return l->last || l->end == l->start ? l->end : prev_char(eb, l->end);
    }
    switch (how) {
    case EB_LEFT:
        return c > 0 ? prev_char(eb, c) : 0;
    case EB_RIGHT:
        return next_char(eb, c);
    case EB_WORD_LEFT:
        return word_left(eb, c);
    case EB_WORD_RIGHT:
        return word_right(eb, c);
    case EB_PARA_START:
        return para_start(eb, c);
    case EB_PARA_END:
        return para_end(eb, c);
    case EB_TEXT_START:
        return 0;
    case EB_TEXT_END:
        return eb->len;
    default:
        return c;
    }
}

bool editbuf_move(struct editbuf *eb, enum eb_move how, int width)
{
    if (how == EB_UP || how == EB_DOWN)
        return editbuf_move_lines(eb, how == EB_UP ? -1 : 1, width);
    size_t to = move_target(eb, how, width);
    eb->goal = -1;
    if (to == eb->cursor)
        return false;
    eb->cursor = to;
    return true;
}
