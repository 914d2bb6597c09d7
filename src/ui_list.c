/* ui_list.c — the list widget (a window with a cursor over rows that come
 * from elsewhere), column layout, and the "document" of a detail screen.
 *
 * The widget only does arithmetic on row numbers: where rows come from — a
 * model window, a tree in memory, the lines of a document — is the screen's
 * business. Everything drawn goes through text_fit() (ui_put_row), so a
 * document may hold raw data strings.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cchc/search.h"
#include "cchc/ui_screen.h"

/* ---- the window ---- */

void ui_list_set(struct ui_list *l, size_t count, int height)
{
    size_t h;
    l->count = count;
    l->height = height > 0 ? height : 1;
    h = (size_t)l->height;
    if (count == 0) {
        l->cursor = l->top = 0;
        return;
    }
    if (l->cursor >= count)
        l->cursor = count - 1;
    /* No empty space below the last row when the list could fill it. */
    if (l->top + h > count)
        l->top = count > h ? count - h : 0;
    if (l->cursor < l->top)
        l->top = l->cursor;
    if (l->cursor >= l->top + h)
        l->top = l->cursor - h + 1;
}

void ui_list_goto(struct ui_list *l, size_t row)
{
    l->cursor = row;
    ui_list_set(l, l->count, l->height);
}

bool ui_list_move(struct ui_list *l, enum action a)
{
    size_t h = l->height > 0 ? (size_t)l->height : 1;
    size_t last = l->count ? l->count - 1 : 0;
    switch (a) {
    case ACT_DOWN:
        if (l->cursor < last)
            l->cursor++;
        break;
    case ACT_UP:
        if (l->cursor > 0)
            l->cursor--;
        break;
    case ACT_PAGE_DOWN:
        /* Like less: the window and the cursor both move a page. */
        l->top += h;
        l->cursor = l->cursor + h > last ? last : l->cursor + h;
        break;
    case ACT_PAGE_UP:
        l->top = l->top > h ? l->top - h : 0;
        l->cursor = l->cursor > h ? l->cursor - h : 0;
        break;
    case ACT_FIRST:
        l->cursor = 0;
        break;
    case ACT_LAST:
        l->cursor = last;
        break;
    default:
        return false;
    }
    ui_list_set(l, l->count, l->height);
    return true;
}

/* ---- an empty list ---- */

void ui_put_empty(const struct screen *s, int y, int cols, const char *otherwise)
{
    struct strbuf sb = {0};
    if (s->filter) {
        sb_addc(&sb, ' ');
        tr_addf(&sb, M_NO_MATCH, s->filter);
    }
    ui_put_row(y, s->filter ? sb_str(&sb) : otherwise, cols, ST_NORMAL);
    sb_free(&sb);
}

/* ---- columns ---- */

/* Fixed columns keep their widths while the flexible one (usually the
 * name, UI_COL_NAME) has a quarter of the line; on a narrower terminal they give up
 * width in proportion, down to 3 columns each, so that "Sở Tài chính" and
 * "Sở Tài nguyên…" can still be told apart at 60 columns. */
#define UI_COLS_MAX 16
void ui_cols(struct strbuf *out, int cols, const struct ui_col *c, size_t n,
             const char *const *cells)
{
    int fixed = 1, sum = 0, flex, want = cols / 4 > 12 ? cols / 4 : 12;
    int wv[UI_COLS_MAX];
    bool has_flex = false;
    if (n > UI_COLS_MAX)
        n = UI_COLS_MAX;
    for (size_t i = 0; i < n; i++) {
        fixed += (i ? 2 : 0);
        sum += c[i].width > 0 ? c[i].width : 0;
        has_flex |= c[i].width == UI_COL_NAME;
    }
    flex = cols - fixed - sum;
    for (size_t i = 0; i < n; i++)
        wv[i] = c[i].width;
    if (has_flex && flex < want && sum > 0) {
        int avail = cols - fixed - want, used = 0;
        for (size_t i = 0; i < n; i++)
            if (c[i].width > 0) {
                wv[i] = c[i].width * (avail > 0 ? avail : 0) / sum;
                if (wv[i] < 3)
                    wv[i] = c[i].width < 3 ? c[i].width : 3;
                used += wv[i];
            }
        flex = cols - fixed - used;
    }
    if (flex < 4)
        flex = 4;
    sb_addc(out, ' ');
    for (size_t i = 0; i < n; i++) {
        int w = c[i].width > 0 ? wv[i] : flex;
        const char *s = cells[i] ? cells[i] : "";
        if (i)
            sb_adds(out, "  ");
        if (c[i].right)
            text_fit_right(out, s, w);
        else
            text_fit(out, s, w, true);
    }
}

/* ---- documents ---- */

void doc_clear(struct ui_doc *d)
{
    for (size_t i = 0; i < d->n; i++)
        free(d->v[i].text);
    d->n = 0;
}

void doc_free(struct ui_doc *d)
{
    doc_clear(d);
    free(d->v);
    free(d->at_key);
    *d = (struct ui_doc){0};
}

static const char *line_key(const struct doc_line *dl)
{
    return dl->target == DT_NONE ? dl->text : dl->code ? dl->code : "";
}

static bool same_line(const struct ui_doc *d, const struct doc_line *dl)
{
    return dl->target == d->at_target && dl->id == d->at_id &&
           strcmp(line_key(dl), d->at_key ? d->at_key : "") == 0;
}

/* The cursor did not move since the last draw, but its row holds another
 * line (the document was built again from what someone saved): put it
 * back on the line it was on (the same record, code, or for a plain line
 * the same text), searching outwards; where that line is gone, it stays. */
static void doc_keep_place(struct ui_doc *d, struct ui_list *l)
{
    if (!d->at_key || d->n == 0 || l->cursor != d->at_row ||
        (l->cursor < d->n && same_line(d, &d->v[l->cursor])))
        return;
    size_t c = l->cursor < d->n ? l->cursor : d->n - 1;
    for (size_t k = 0; k < d->n; k++) {
        if (c + k < d->n && same_line(d, &d->v[c + k])) {
            ui_list_goto(l, c + k);
            return;
        }
        if (k <= c && same_line(d, &d->v[c - k])) {
            ui_list_goto(l, c - k);
            return;
        }
    }
}

static void doc_mark_place(struct ui_doc *d, const struct ui_list *l)
{
    d->at_row = l->cursor;
    free(d->at_key);
    d->at_key = NULL;
    if (l->cursor >= d->n)
        return;
    const struct doc_line *dl = &d->v[l->cursor];
    d->at_target = dl->target;
    d->at_id = dl->id;
    d->at_key = xstrdup(line_key(dl));
}

struct doc_line *doc_add(struct ui_doc *d, const char *text, enum ui_style st)
{
    if (d->n == d->cap) {
        d->cap = d->cap ? 2 * d->cap : 64;
        d->v = xrealloc(d->v, d->cap * sizeof *d->v);
    }
    struct doc_line *dl = &d->v[d->n++];
    memset(dl, 0, sizeof *dl);
    dl->text = xstrdup(text ? text : "");
    dl->st = st;
    return dl;
}

struct doc_line *doc_addf(struct ui_doc *d, enum ui_style st, const char *fmt, ...)
{
    struct strbuf sb = {0};
    va_list ap;
    va_start(ap, fmt);
    sb_vaddf(&sb, fmt, ap);
    va_end(ap);
    struct doc_line *dl = doc_add(d, sb_str(&sb), st);
    sb_free(&sb);
    return dl;
}

/* Append the longest run of whole words of p that fits in w columns to
 * line; returns how far it got in p. A word wider than w is cut. */
static const char *wrap_one(struct strbuf *line, const char *p, int w)
{
    int used = 0;
    while (*p && *p != '\n') {
        const char *e = p;
        while (*e && *e != ' ' && *e != '\n')
            e++;
        char *word = xstrndup(p, (size_t)(e - p));
        int ww = text_width(word);
        if (used && used + 1 + ww > w) {
            free(word);
            break;
        }
        if (used) {
            sb_addc(line, ' ');
            used++;
        }
        if (ww > w - used) {
            used += text_fit(line, word, w - used, false);
        } else {
            sb_adds(line, word);
            used += ww;
        }
        free(word);
        p = e;
        while (*p == ' ')
            p++;
    }
    return p;
}

void doc_wrap(struct ui_doc *d, int cols, int indent, const char *text, enum ui_style st)
{
    char *clean = text_sanitize(text ? text : "", true);
    int w = cols - indent - 1;
    const char *p = clean;
    struct strbuf line = {0};
    if (w < 8)
        w = 8;
    while (*p == ' ')
        p++;
    do {
        sb_reset(&line);
        sb_addf(&line, "%*s", indent, "");
        p = wrap_one(&line, p, w);
        if (*p == '\n')
            p++;
        doc_add(d, sb_str(&line), st);
        while (*p == ' ')
            p++;
    } while (*p);
    sb_free(&line);
    free(clean);
}

void doc_field(struct ui_doc *d, int cols, int lw, const char *label, const char *value)
{
    struct strbuf line = {0};
    char *clean = text_sanitize(value && *value ? value : "–", false);
    int w = cols - lw - 3;
    const char *p = clean;
    if (w < 8)
        w = 8;
    sb_addc(&line, ' ');
    text_fit(&line, label, lw, true);
    sb_adds(&line, "  ");
    p = wrap_one(&line, p, w);
    doc_add(d, sb_str(&line), ST_NORMAL);
    while (*p) {
        sb_reset(&line);
        sb_addf(&line, "%*s", lw + 3, "");
        const char *q = wrap_one(&line, p, w);
        if (q == p) /* cannot happen: wrap_one always takes a word */
            break;
        p = q;
        doc_add(d, sb_str(&line), ST_NORMAL);
    }
    sb_free(&line);
    free(clean);
}

void doc_section(struct ui_doc *d, int cols, const char *title)
{
    struct strbuf line = {0};
    sb_adds(&line, " ─ ");
    text_fit(&line, title, cols - 6, false);
    sb_addc(&line, ' ');
    for (int w = text_width(sb_str(&line)); w < cols - 1; w++)
        sb_adds(&line, "─");
    doc_add(d, sb_str(&line), ST_SECTION);
    sb_free(&line);
}

static bool doc_heading(const struct doc_line *dl)
{
    return dl->st == ST_SECTION || dl->st == ST_COLHEAD;
}

void doc_skip(const struct ui_doc *d, struct ui_list *l, int dir)
{
    if (l->cursor >= d->n || !doc_heading(&d->v[l->cursor]))
        return;
    for (int pass = 0; pass < 2; pass++, dir = -dir) {
        bool down = dir > 0;
        for (size_t i = l->cursor; i < d->n; i = down ? i + 1 : i - 1) {
            if (!doc_heading(&d->v[i])) {
                ui_list_goto(l, i);
                /* Only headings above: show them (a document's title). */
                size_t first = 0;
                while (first < i && doc_heading(&d->v[first]))
                    first++;
                if (first == i && i < (size_t)l->height)
                    l->top = 0;
                return;
            }
            if (i == 0 && !down)
                break;
        }
    }
}

void doc_draw(struct ui_doc *d, struct ui_list *l, int y0, int rows, int cols)
{
    ui_list_set(l, d->n, rows);
    doc_keep_place(d, l);
    doc_skip(d, l, +1); /* a document read again may put a heading there */
    doc_mark_place(d, l);
    for (int r = 0; r < rows; r++) {
        size_t i = l->top + (size_t)r;
        if (i >= d->n)
            break;
        ui_put_row(y0 + r, d->v[i].text, cols, i == l->cursor ? ST_CURSOR : d->v[i].st);
    }
}

const struct doc_line *doc_cursor(const struct ui_doc *d, const struct ui_list *l)
{
    return l->cursor < d->n ? &d->v[l->cursor] : NULL;
}

/* ---- model windows ---- */

int ui_window_count(struct ui *ui, struct ui_window *w, const struct list_query *q,
                    const char *words, size_t *count, struct cchc_err *err)
{
    size_t got = 0;
    w->valid = false;
    free(w->match);
    w->match = NULL;
    w->n_match = 0;
    w->filtered = words && *words;
    *count = 0;
    if (!w->filtered)
        return model_list(ui->m, q, 0, 0, NULL, &got, count, err);
    if (search_list(ui->m, q, words, &w->match, &w->n_match, err) != CCHC_OK)
        return CCHC_ERUNTIME;
    *count = w->n_match;
    return CCHC_OK;
}

int ui_window_fetch(struct ui *ui, struct ui_window *w, const struct ui_list *l,
                    const struct list_query *q, struct cchc_err *err)
{
    size_t count = 0;
    if (w->valid && w->top == l->top && w->n == l->height)
        return 0;
    w->ids = xrealloc(w->ids, (size_t)(l->height > 0 ? l->height : 1) * sizeof *w->ids);
    w->top = l->top;
    w->n = l->height;
    w->got = 0;
    w->valid = true;
    if (w->filtered) {
        for (size_t i = l->top; i < w->n_match && w->got < (size_t)w->n; i++)
            w->ids[w->got++] = w->match[i];
        return 1;
    }
    if (model_list(ui->m, q, l->top, (size_t)l->height, w->ids, &w->got, &count, err) != CCHC_OK) {
        w->got = 0;
        return -1;
    }
    return 1;
}

void ui_window_free(struct ui_window *w)
{
    free(w->ids);
    free(w->match);
    memset(w, 0, sizeof *w);
}
