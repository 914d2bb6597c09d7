/* report.c — the conclusion notice of a visit and the summary of a year,
 * as Markdown or as plain text wrapped to 80 columns (see report.h).
 *
 * Both documents are built from the same few blocks (heading, paragraph,
 * list item, table; in plain text also two columns side by side, for the
 * letterhead and the signature of the notice) through struct doc, which
 * knows how to render each block in each format; the report functions
 * above it only decide what to say. Text from the database enters a
 * block through esc() / esc1(), which sanitise it (text_sanitize: no
 * escape sequence ever reaches whoever prints the document) and, in
 * Markdown, escape what would change the document's structure. Widths are
 * display columns (text_width), never bytes: Vietnamese letters with
 * stacked marks are one column, and a word too long for a line is cut
 * between characters, never inside one.
 *
 * Nothing here reads the clock: "today" comes from the caller.
 */
#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unicase.h>
#include <uninorm.h>

#include "cchc/config.h"
#include "cchc/model.h"
#include "cchc/recording.h"
#include "cchc/report.h"
#include "cchc/text.h"

#define WINDOW   256 /* ids read per model_list-style call */
#define NCOLS(a) (sizeof(a) / sizeof((a)[0]))

/* ---- small formatting helpers ---- */

/* Vietnamese numbers: decimal comma, no trailing zeros ("97,5", "100"). */
static const char *fmt_num(double v, char buf[static 32])
{
    if (isnan(v) || isinf(v))
        return "?";
    snprintf(buf, 32, "%.2f", v);
    char *dot = strchr(buf, '.');
    if (dot) {
        char *end = buf + strlen(buf) - 1;
        while (end > dot && *end == '0')
            *end-- = '\0';
        if (end == dot)
            *dot = '\0';
        else
            *dot = ',';
    }
    return strcmp(buf, "-0") == 0 ? "0" : buf;
}

/* "97,5%" but "0 hồ sơ": Vietnamese writes the percent sign close up. */
static char *fmt_measure(double v, const char *unit)
{
    char nb[32];
    fmt_num(v, nb);
    if (!unit || !*unit)
        return xstrdup(nb);
    return xasprintf("%s%s%s", nb, strcmp(unit, "%") == 0 ? "" : " ", unit);
}

static const char *fmt_date(cchc_date d, char buf[static 11])
{
    return d ? date_dmy(d, buf) : "";
}

/* Upper case the Vietnamese way ("Bến Tre" -> "BẾN TRE"). */
static char *upper(const char *s)
{
    size_t len = 0;
    uint8_t *u = u8_toupper((const uint8_t *)s, strlen(s), "vi", UNINORM_NFC, NULL, &len);
    if (!u)
        return xstrdup(s);
    char *r = xstrndup((const char *)u, len);
    free(u);
    return r;
}

/* The province as a place: "Bến Tre" also when the configuration says
 * "Tỉnh Bến Tre" (the letterhead adds "TỈNH", the date line wants the
 * bare name). */
static const char *place_name(const char *prov)
{
    static const char *const prefixes[] = {"Tỉnh ", "tỉnh ", "TỈNH "};
    for (size_t i = 0; i < NCOLS(prefixes); i++)
        if (strncmp(prov, prefixes[i], strlen(prefixes[i])) == 0 && prov[strlen(prefixes[i])])
            return prov + strlen(prefixes[i]);
    return prov;
}

/* "ỦY BAN NHÂN DÂN TỈNH BẾN TRE". Caller frees. */
static char *committee_line(const char *prov)
{
    char *up = upper(place_name(prov));
    char *line = xasprintf("ỦY BAN NHÂN DÂN TỈNH %s", up);
    free(up);
    return line;
}

/* ---- the document ---- */

struct doc {
    enum report_format fmt;
    struct strbuf *out;
    bool in_list; /* the last block was a list item: the next item follows it directly */
};

/* Markdown: characters that start a block when they open a line. */
static bool md_block_char(char c)
{
    return c == '#' || c == '>' || c == '-' || c == '+' || c == '=' || c == '~';
}

/* Markdown: characters that act anywhere in a line (emphasis, code, links,
 * HTML, entities, table cells, escapes). */
static bool md_inline_char(char c)
{
    return strchr("\\`*_[]<>|&~", c) != NULL;
}

/* Escape sanitised text for Markdown: every line loses its leading spaces
 * (four would open a code block) and has its block markers escaped. */
static void md_escape(struct strbuf *out, const char *s)
{
    bool bol = true;
    for (const char *p = s; *p; p++) {
        if (*p == '\n') {
            sb_addc(out, '\n');
            bol = true;
            continue;
        }
        if (bol) {
            while (*p == ' ')
                p++;
            if (!*p)
                break;
            if (*p == '\n') {
                p--; /* handle the newline on the next turn */
                bol = false;
                continue;
            }
            bol = false;
            if (md_block_char(*p)) {
                sb_addc(out, '\\');
                sb_addc(out, *p);
                continue;
            } else if (isdigit((unsigned char)*p)) {
                /* "1." or "1)" would open an ordered list */
                const char *q = p;
                while (isdigit((unsigned char)*q))
                    q++;
                if (*q == '.' || *q == ')') {
                    sb_add(out, p, (size_t)(q - p));
                    sb_addc(out, '\\');
                    p = q;
                }
            }
        }
        if (md_inline_char(*p))
            sb_addc(out, '\\');
        sb_addc(out, *p);
    }
}

/* Database or configuration text made safe for the document. keep_newlines:
 * in a block that renders them; otherwise (names, table cells) they become
 * spaces. Caller frees. */
static char *esc_text(const struct doc *d, const char *s, bool keep_newlines)
{
    char *clean = text_sanitize(s ? s : "", keep_newlines);
    if (d->fmt == REPORT_TEXT)
        return clean;
    struct strbuf sb = {0};
    md_escape(&sb, clean);
    free(clean);
    char *r = sb_detach(&sb);
    return r ? r : xstrdup("");
}

static char *esc(const struct doc *d, const char *s)
{
    return esc_text(d, s, true);
}

static char *esc1(const struct doc *d, const char *s)
{
    return esc_text(d, s, false);
}

/* Our own emphasis: bold in Markdown, nothing in plain text. */
static const char *bold(const struct doc *d)
{
    return d->fmt == REPORT_MARKDOWN ? "**" : "";
}

/* Start a new block: one blank line after whatever came before. */
static void block(struct doc *d)
{
    struct strbuf *o = d->out;
    if (o->len && o->buf[o->len - 1] != '\n')
        sb_addc(o, '\n');
    if (o->len && !(o->len >= 2 && o->buf[o->len - 2] == '\n'))
        sb_addc(o, '\n');
    d->in_list = false;
}

static void add_spaces(struct strbuf *out, int n)
{
    for (int i = 0; i < n; i++)
        sb_addc(out, ' ');
}

/* Append one logical line s (no '\n') wrapped to width columns: the first
 * output line starts with first, the next ones with cont. Words are kept
 * whole when they fit on a line; a longer word is cut between characters. */
static void wrap_line(struct strbuf *out, const char *s, const char *first, const char *cont,
                      int width)
{
    int cont_w = text_width(cont);
    int col = text_width(first);
    bool empty = true; /* nothing on this line yet after its prefix */
    const char *p = s;
    sb_adds(out, first);
    while (*p) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        const char *w = p;
        while (*p && *p != ' ')
            p++;
        size_t wl = (size_t)(p - w);
        char *word = xstrndup(w, wl);
        int ww = text_width(word);
        if (!empty && col + 1 + ww > width) {
            sb_addc(out, '\n');
            sb_adds(out, cont);
            col = cont_w;
            empty = true;
        }
        if (!empty) {
            sb_addc(out, ' ');
            col++;
        }
        if (col + ww <= width) {
            sb_add(out, word, wl);
            col += ww;
        } else {
            for (size_t i = 0; i < wl;) {
                size_t j = text_next_char(word, wl, i);
                char *g = xstrndup(word + i, j - i);
                int gw = text_width(g);
                free(g);
                if (col + gw > width && col > cont_w) {
                    sb_addc(out, '\n');
                    sb_adds(out, cont);
                    col = cont_w;
                }
                sb_add(out, word + i, j - i);
                col += gw;
                i = j;
            }
        }
        empty = false;
        free(word);
    }
    /* a prefix with nothing after it ends in spaces: drop them */
    while (out->len && out->buf[out->len - 1] == ' ')
        out->len--, out->buf[out->len] = '\0';
    sb_addc(out, '\n');
}

/* Wrap text that may hold several lines; the first line gets first, every
 * other line cont. Empty lines stay empty. */
static void wrap_text(struct strbuf *out, const char *text, const char *first, const char *cont,
                      int width)
{
    const char *p = text;
    bool first_line = true;
    for (;;) {
        const char *nl = strchr(p, '\n');
        char *line = nl ? xstrndup(p, (size_t)(nl - p)) : xstrdup(p);
        wrap_line(out, line, first_line ? first : cont, cont, width);
        free(line);
        first_line = false;
        if (!nl)
            break;
        p = nl + 1;
    }
}

/* Markdown: s with indent added after each newline that starts a
 * non-empty line (continuation lines of a list item). A line followed by
 * another gets a hard break ("\\" at its end), so that a note keeps its
 * lines instead of running them into one paragraph. */
static void md_indented(struct strbuf *out, const char *s, int indent)
{
    for (const char *p = s; *p; p++) {
        bool line_on = *p == '\n' && p[1] && p[1] != '\n';
        if (line_on && p > s && p[-1] != '\n')
            sb_addc(out, '\\');
        sb_addc(out, *p);
        if (line_on)
            add_spaces(out, indent);
    }
    sb_addc(out, '\n');
}

/* Add the lines of wrapped text (each ending in '\n') to out, each
 * centred in width columns when centre is set. */
static void add_lines(struct strbuf *out, const char *wrapped, int width, bool centre)
{
    const char *p = wrapped;
    while (*p) {
        const char *nl = strchr(p, '\n');
        char *line = xstrndup(p, (size_t)(nl - p));
        if (centre && *line) {
            int pad = (width - text_width(line)) / 2;
            add_spaces(out, pad > 0 ? pad : 0);
        }
        sb_adds(out, line);
        sb_addc(out, '\n');
        free(line);
        p = nl + 1;
    }
}

/* Centre each line of wrapped text in REPORT_WIDTH columns. */
static void text_centred(struct strbuf *out, const char *s)
{
    struct strbuf w = {0};
    wrap_text(&w, s, "", "", REPORT_WIDTH - 8);
    add_lines(out, sb_str(&w), REPORT_WIDTH, true);
    sb_free(&w);
}

/* A title of several phrases, centred: as many phrases on a line as fit,
 * so that lines break between phrases ("... cải cách hành chính / và kiểm
 * soát thủ tục hành chính tại ..."), never inside one unless it is too long
 * for a line by itself. */
static void text_title(struct strbuf *out, const char *const *phrases, size_t n)
{
    struct strbuf line = {0};
    for (size_t i = 0; i < n; i++) {
        if (line.len && text_width(sb_str(&line)) + 1 + text_width(phrases[i]) > REPORT_WIDTH - 8) {
            text_centred(out, sb_str(&line));
            sb_reset(&line);
        }
        if (line.len)
            sb_addc(&line, ' ');
        sb_adds(&line, phrases[i]);
    }
    if (line.len)
        text_centred(out, sb_str(&line));
    sb_free(&line);
}

/* The letterhead: lines centred (text) or bold with hard breaks (Markdown). */
static void doc_letterhead(struct doc *d, const char *const *lines, size_t n)
{
    block(d);
    for (size_t i = 0; i < n; i++) {
        if (d->fmt == REPORT_TEXT)
            text_centred(d->out, lines[i]);
        else
            sb_addf(d->out, "**%s**%s\n", lines[i], i + 1 < n ? "\\" : "");
    }
}

static void doc_heading(struct doc *d, int level, const char *s)
{
    block(d);
    if (d->fmt == REPORT_MARKDOWN) {
        sb_addf(d->out, "%.*s %s\n", level, "######", s);
    } else if (level == 1) {
        text_centred(d->out, s);
    } else {
        wrap_text(d->out, s, "", "", REPORT_WIDTH);
    }
}

static void doc_para(struct doc *d, const char *s)
{
    block(d);
    if (d->fmt == REPORT_MARKDOWN)
        md_indented(d->out, s, 0);
    else
        wrap_text(d->out, s, "", "", REPORT_WIDTH);
}

/* A centred line (text) or a right-aligned-in-spirit italic one (Markdown):
 * the place and date under the letterhead. */
static void doc_dateline(struct doc *d, const char *s)
{
    block(d);
    if (d->fmt == REPORT_MARKDOWN)
        sb_addf(d->out, "*%s*\n", s);
    else
        text_centred(d->out, s);
}

/* A list item at depth 0, 1, ...; s may hold several lines. */
static void doc_item(struct doc *d, int depth, const char *s)
{
    if (!d->in_list)
        block(d);
    d->in_list = true;
    int indent = depth * 2;
    if (d->fmt == REPORT_MARKDOWN) {
        add_spaces(d->out, indent);
        sb_adds(d->out, "- ");
        md_indented(d->out, s, indent + 2);
        return;
    }
    char first[64], cont[64];
    snprintf(first, sizeof first, "%*s- ", indent, "");
    snprintf(cont, sizeof cont, "%*s  ", indent, "");
    wrap_text(d->out, s, first, cont, REPORT_WIDTH);
}

static void doc_itemf(struct doc *d, int depth, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void doc_itemf(struct doc *d, int depth, const char *fmt, ...)
{
    struct strbuf sb = {0};
    va_list ap;
    va_start(ap, fmt);
    sb_vaddf(&sb, fmt, ap);
    va_end(ap);
    doc_item(d, depth, sb_str(&sb));
    sb_free(&sb);
}

static void doc_paraf(struct doc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void doc_paraf(struct doc *d, const char *fmt, ...)
{
    struct strbuf sb = {0};
    va_list ap;
    va_start(ap, fmt);
    sb_vaddf(&sb, fmt, ap);
    va_end(ap);
    doc_para(d, sb_str(&sb));
    sb_free(&sb);
}

/* A table. Markdown: a pipe table (cells already escaped by esc1). Text:
 * the first column wraps within its width, the others are cut to theirs;
 * right-aligned columns are right-aligned. */
struct tcol {
    const char *head;
    int width; /* text format */
    bool right;
};

static void md_row(struct strbuf *out, const char *const *cells, size_t n)
{
    sb_adds(out, "|");
    for (size_t i = 0; i < n; i++)
        sb_addf(out, " %s |", cells[i]);
    sb_addc(out, '\n');
}

static void trim_line_end(struct strbuf *out)
{
    while (out->len && out->buf[out->len - 1] == ' ')
        out->len--, out->buf[out->len] = '\0';
}

static void text_row(struct strbuf *out, const struct tcol *cols, size_t n,
                     const char *const *cells)
{
    struct strbuf w = {0};
    wrap_text(&w, cells[0], "", "", cols[0].width);
    const char *p = sb_str(&w);
    for (bool first = true; *p; first = false) {
        const char *nl = strchr(p, '\n');
        char *line = xstrndup(p, (size_t)(nl - p));
        text_fit(out, line, cols[0].width, true);
        free(line);
        for (size_t i = 1; i < n && first; i++) {
            sb_addc(out, ' ');
            if (cols[i].right)
                text_fit_right(out, cells[i], cols[i].width);
            else
                text_fit(out, cells[i], cols[i].width, true);
        }
        trim_line_end(out);
        sb_addc(out, '\n');
        p = nl + 1;
    }
    sb_free(&w);
}

static void doc_table_head(struct doc *d, const struct tcol *cols, size_t n)
{
    block(d);
    const char *heads[16];
    for (size_t i = 0; i < n && i < 16; i++)
        heads[i] = cols[i].head;
    if (d->fmt == REPORT_MARKDOWN) {
        md_row(d->out, heads, n);
        sb_adds(d->out, "|");
        for (size_t i = 0; i < n; i++)
            sb_adds(d->out, cols[i].right ? "---:|" : "---|");
        sb_addc(d->out, '\n');
        return;
    }
    text_row(d->out, cols, n, heads);
    int total = 0;
    for (size_t i = 0; i < n; i++)
        total += cols[i].width + (i ? 1 : 0);
    for (int i = 0; i < total && i < REPORT_WIDTH; i++)
        sb_addc(d->out, '-');
    sb_addc(d->out, '\n');
}

static void doc_table_row(struct doc *d, const struct tcol *cols, size_t n,
                          const char *const *cells)
{
    if (d->fmt == REPORT_MARKDOWN)
        md_row(d->out, cells, n);
    else
        text_row(d->out, cols, n, cells);
}

/* Roman numerals for the sections of a document (I to X is plenty). */
static const char *roman(int n)
{
    static const char *const r[] = {"?",  "I",   "II",   "III", "IV", "V",
                                    "VI", "VII", "VIII", "IX",  "X"};
    return n >= 1 && n <= 10 ? r[n] : "?";
}

static void doc_section(struct doc *d, int *n, const char *title)
{
    char *s = xasprintf("%s. %s", roman(++*n), title);
    doc_heading(d, 2, s);
    free(s);
}

/* ---- two columns (plain text) ---- */

/* The printed form of an administrative document puts two blocks side by
 * side: the issuing body and its number on the left, the national motto
 * and the date on the right; at the end the list of recipients on the left
 * and the signature on the right. Plain text does the same in two
 * columns: each is built as lines of its own width (col_add), then the
 * two are laid side by side (text_columns). Markdown has no columns: its
 * callers write the blocks one after the other. */

/* Add the logical line s (no '\n') to a column width columns wide:
 * centred, or as a list item ("- ", continued under its text). A line
 * that fits is kept as it is (a blank to fill in keeps its spaces); a
 * longer one is wrapped. */
static void col_add(struct strbuf *col, const char *s, int width, bool centre, bool item)
{
    const char *first = item ? "- " : "", *cont = item ? "  " : "";
    struct strbuf w = {0};
    if (text_width(first) + text_width(s) <= width)
        sb_addf(&w, "%s%s\n", first, s);
    else
        wrap_text(&w, s, first, cont, centre ? width - 2 : width);
    add_lines(col, sb_str(&w), width, centre);
    sb_free(&w);
}

/* Lay two columns side by side, the left one padded to left_w columns.
 * Every line of both ends in '\n' (col_add); the shorter column is
 * continued with empty lines. */
static void text_columns(struct strbuf *out, const char *left, int left_w, const char *right)
{
    const char *l = left, *r = right;
    while (*l || *r) {
        const char *ln = *l ? strchr(l, '\n') : NULL;
        const char *rn = *r ? strchr(r, '\n') : NULL;
        char *ls = ln ? xstrndup(l, (size_t)(ln - l)) : xstrdup("");
        text_fit(out, ls, left_w, true);
        if (rn)
            sb_add(out, r, (size_t)(rn - r));
        trim_line_end(out);
        sb_addc(out, '\n');
        free(ls);
        if (ln)
            l = ln + 1;
        if (rn)
            r = rn + 1;
    }
}

/* ---- reading helpers ---- */

/* The name of a unit, sanitised/escaped for d; "?" when it cannot be read
 * (the document still comes out). Caller frees. */
static char *unit_name(struct model *m, const struct doc *d, uint64_t id)
{
    struct unit u = {0};
    struct cchc_err err = {0};
    char *r;
    if (!id)
        r = xstrdup("chưa xác định");
    else if (model_unit(m, id, &u, &err) != CCHC_OK)
        r = xasprintf("đơn vị #%" PRIu64 " (không đọc được)", id);
    else
        r = esc1(d, u.name ? u.name : u.code);
    unit_free(&u);
    return r;
}

/* The name the checklist gives to the first result that passes / fails. */
static const char *verdict(const struct config *cfg, bool pass)
{
    for (size_t i = 0; i < cfg->n_results; i++) {
        const struct result_value *r = &cfg->results[i];
        if (!r->na && r->pass == pass && r->name.vi)
            return r->name.vi;
    }
    return pass ? "đạt" : "chưa đạt";
}

static const char *na_name(const struct config *cfg)
{
    for (size_t i = 0; i < cfg->n_results; i++)
        if (cfg->results[i].na && cfg->results[i].name.vi)
            return cfg->results[i].name.vi;
    return "không áp dụng";
}

/* How a recorded result reads: "đạt", "chưa đạt (97,5%, yêu cầu ≥ 98%)",
 * "không áp dụng"; "chưa ghi" when nothing was recorded. Not escaped. */
static char *result_text(const struct config *cfg, const struct criterion *cr, bool found,
                         const struct check_result *c)
{
    if (!found)
        return xstrdup("chưa ghi");
    if (c->na) {
        const struct result_value *rv = c->value ? config_result(cfg, c->value) : NULL;
        return xstrdup(rv && rv->name.vi ? rv->name.vi : na_name(cfg));
    }
    if (c->has_number) {
        char *val = fmt_measure(c->number, cr->unit);
        char *r;
        if (cr->op == TH_NONE) {
            r = xasprintf("%s (%s)", verdict(cfg, c->pass), val);
        } else {
            char *lim = fmt_measure(cr->limit, cr->unit);
            r = xasprintf("%s (%s, yêu cầu %s %s)", verdict(cfg, c->pass), val,
                          cr->op == TH_MIN ? "≥" : "≤", lim);
            free(lim);
        }
        free(val);
        return r;
    }
    const struct result_value *rv = c->value ? config_result(cfg, c->value) : NULL;
    if (rv && rv->name.vi)
        return xstrdup(rv->name.vi);
    /* a code the checklist no longer knows: say what was stored */
    return xstrdup(c->value ? c->value : verdict(cfg, c->pass));
}

/* ---- finding a visit ---- */

int report_format_parse(const char *s)
{
    if (!s)
        return -1;
    if (strcmp(s, "markdown") == 0 || strcmp(s, "md") == 0)
        return REPORT_MARKDOWN;
    if (strcmp(s, "text") == 0)
        return REPORT_TEXT;
    return -1;
}

/* Walk a year's visits looking for a code. */
static int find_in_year(struct model *m, int year, const char *code, uint64_t *id,
                        struct cchc_err *err)
{
    struct list_query q = {.kind = LIST_VISITS_YEAR, .year = year};
    uint64_t ids[WINDOW];
    size_t pos = 0, got = 0, count = 0;
    do {
        if (model_list(m, &q, pos, WINDOW, ids, &got, &count, err) != CCHC_OK)
            return CCHC_ERUNTIME;
        for (size_t i = 0; i < got && !*id; i++) {
            struct visit v = {0};
            struct cchc_err e2 = {0};
            if (model_visit(m, ids[i], &v, &e2) == CCHC_OK && v.code && strcmp(v.code, code) == 0)
                *id = ids[i];
            visit_free(&v);
        }
        pos += got;
    } while (!*id && got == WINDOW && pos < count);
    return CCHC_OK;
}

int report_find_visit(struct model *m, const char *arg, uint64_t *id, struct cchc_err *err)
{
    struct cchc_err local = {0};
    if (!err)
        err = &local;
    *id = 0;
    if (!arg || !*arg)
        return err_set(err, CCHC_EUSAGE, "no visit given");
    char *end;
    unsigned long long n = strtoull(arg, &end, 10);
    if (isdigit((unsigned char)arg[0]) && !*end && n > 0) {
        *id = n;
        return CCHC_OK;
    }
    int years[256];
    size_t ny = 0;
    if (model_visit_years(m, years, 256, &ny, err) != CCHC_OK)
        return CCHC_ERUNTIME;
    for (size_t i = 0; i < ny && !*id; i++)
        if (find_in_year(m, years[i], arg, id, err) != CCHC_OK)
            return CCHC_ERUNTIME;
    if (!*id) {
        char *clean = text_sanitize(arg, false);
        err_set(err, CCHC_ERUNTIME, "no visit '%s'", clean);
        free(clean);
        return CCHC_ERUNTIME;
    }
    return CCHC_OK;
}

/* ---- the conclusion notice of a visit ---- */

/* The notice follows the form of an administrative document (Nghị định
 * 30/2020/NĐ-CP on clerical work): the issuing body and the national motto,
 * number and date, the kind of document and its subject, the grounds, the
 * body (I. results content by content, II. overall assessment, III.
 * recommendations), the signature and the recipients. It names people by
 * their names and functions, never by their logins, and leaves out what
 * only the software needs (the visit's code, its status, who typed a note
 * and when). It states each recommendation as it was made, with the unit
 * responsible and the deadline: how far it has been carried out belongs to
 * the summary of the year, not to a notice dated the day of the
 * conclusion. */

/* The document number. A number is the running number the clerical office
 * (văn thư) gives a document of the year when it registers it for issue,
 * written in Arabic numerals and starting again from 01 each 1 January
 * (Nghị định 30/2020/NĐ-CP): the software cannot know it, and a number made
 * from the visit's code ("KT-2022-05/TB-ĐKT") would be one that no register
 * holds, which a province office sends back. So the line keeps the symbol
 * (TB: thông báo, ĐKT: Đoàn kiểm tra) and leaves the number blank for the
 * văn thư to fill in, as on the drafts put up for signature. (A Markdown
 * renderer shows the spaces as one; the plain text keeps the room.) */
#define NOTICE_NUMBER "Số:      /TB-ĐKT"

/* Sở Nội vụ leads the province's CCHC inspection teams and follows the
 * recommendations up: it receives every notice. */
#define HOME_AFFAIRS "Sở Nội vụ"

/* Plain-text columns: the issuing body on the left, the motto and the
 * date on the right; at the end the recipients (names of units, wider) on
 * the left and the signature on the right. */
#define LEFT_W        34
#define RIGHT_W       (REPORT_WIDTH - LEFT_W)
#define CLOSE_LEFT_W  44
#define CLOSE_RIGHT_W (REPORT_WIDTH - CLOSE_LEFT_W)

/* A criterion of the visit's checklist with what was recorded on it. */
struct vcrit {
    const struct check_area *area;
    const struct criterion *cr;
    size_t order; /* position in the checklist */
    bool found;
    struct check_result c;
};

struct vreport {
    struct model *m;
    const struct config *cfg;
    struct doc d;
    struct visit v;
    struct unit u;
    char *unit;  /* the inspected unit's name, escaped for the document */
    char *place; /* the province as a place ("Bến Tre"), escaped */
    struct vcrit *crits;
    size_t n_crits;
    struct note *notes;
    size_t n_notes;
    struct recommendation *recs;
    size_t n_recs;
};

static void vreport_free(struct vreport *r)
{
    visit_free(&r->v);
    unit_free(&r->u);
    free(r->unit);
    free(r->place);
    for (size_t i = 0; i < r->n_crits; i++)
        check_free(&r->crits[i].c);
    free(r->crits);
    for (size_t i = 0; i < r->n_notes; i++)
        note_free(&r->notes[i]);
    free(r->notes);
    for (size_t i = 0; i < r->n_recs; i++)
        rec_free(&r->recs[i]);
    free(r->recs);
}

static bool area_in_scope(const struct check_area *a, unsigned scope)
{
    return (a->scope & scope) != 0;
}

/* The criteria the team checks: areas in the visit's scope, criteria that
 * apply to the kind of unit, each with its recorded result. */
static int load_crits(struct vreport *r, struct cchc_err *err)
{
    const struct config *cfg = r->cfg;
    size_t order = 0;
    for (size_t a = 0; a < cfg->n_check_areas; a++) {
        const struct check_area *ar = &cfg->check_areas[a];
        for (size_t c = 0; c < ar->n_criteria; c++, order++) {
            const struct criterion *cr = &ar->criteria[c];
            if (!area_in_scope(ar, r->v.scope) || !criterion_applies(cr, r->u.kind))
                continue;
            r->crits = xrealloc(r->crits, (r->n_crits + 1) * sizeof *r->crits);
            struct vcrit *vc = &r->crits[r->n_crits++];
            memset(vc, 0, sizeof *vc);
            vc->area = ar;
            vc->cr = cr;
            vc->order = order;
            if (model_check_get(r->m, r->v.m.id, cr->code, &vc->c, &vc->found, err) != CCHC_OK)
                return CCHC_ERUNTIME;
        }
    }
    return CCHC_OK;
}

/* Position of a criterion code in the checklist (notes are grouped by it);
 * codes the checklist does not know come last. */
static size_t crit_order(const struct config *cfg, const char *code)
{
    size_t order = 0;
    for (size_t a = 0; a < cfg->n_check_areas; a++)
        for (size_t c = 0; c < cfg->check_areas[a].n_criteria; c++, order++)
            if (code && strcmp(cfg->check_areas[a].criteria[c].code, code) == 0)
                return order;
    return SIZE_MAX;
}

static const struct config *sort_cfg; /* qsort has no context argument */

/* Notes on the visit itself first, then by criterion in checklist order,
 * each group oldest first: the order a reader of the notice expects. */
static int note_cmp(const void *pa, const void *pb)
{
    const struct note *a = pa, *b = pb;
    bool ca = a->target == NT_CRITERION, cb = b->target == NT_CRITERION;
    if (ca != cb)
        return ca ? 1 : -1;
    if (ca) {
        size_t oa = crit_order(sort_cfg, a->criterion), ob = crit_order(sort_cfg, b->criterion);
        if (oa != ob)
            return oa < ob ? -1 : 1;
        int c = strcmp(a->criterion ? a->criterion : "", b->criterion ? b->criterion : "");
        if (c)
            return c;
    }
    if (a->created != b->created)
        return a->created < b->created ? -1 : 1;
    return a->m.id < b->m.id ? -1 : a->m.id > b->m.id;
}

static int load_notes(struct vreport *r, struct cchc_err *err)
{
    uint64_t ids[WINDOW];
    size_t pos = 0, got = 0, count = 0;
    do {
        if (model_visit_notes(r->m, r->v.m.id, pos, WINDOW, ids, &got, &count, err) != CCHC_OK)
            return CCHC_ERUNTIME;
        for (size_t i = 0; i < got; i++) {
            struct note n = {0};
            if (model_note(r->m, ids[i], &n, err) != CCHC_OK)
                return CCHC_ERUNTIME;
            if (n.deleted) {
                note_free(&n);
                continue;
            }
            r->notes = xrealloc(r->notes, (r->n_notes + 1) * sizeof *r->notes);
            r->notes[r->n_notes++] = n;
        }
        pos += got;
    } while (got == WINDOW && pos < count);
    sort_cfg = r->cfg;
    if (r->n_notes)
        qsort(r->notes, r->n_notes, sizeof *r->notes, note_cmp);
    return CCHC_OK;
}

static int load_recs(struct vreport *r, struct cchc_err *err)
{
    uint64_t ids[WINDOW];
    size_t pos = 0, got = 0, count = 0;
    do {
        if (model_visit_recs(r->m, r->v.m.id, pos, WINDOW, ids, &got, &count, err) != CCHC_OK)
            return CCHC_ERUNTIME;
        for (size_t i = 0; i < got; i++) {
            r->recs = xrealloc(r->recs, (r->n_recs + 1) * sizeof *r->recs);
            struct recommendation *rec = &r->recs[r->n_recs];
            memset(rec, 0, sizeof *rec);
            if (model_rec(r->m, ids[i], rec, err) != CCHC_OK)
                return CCHC_ERUNTIME;
            r->n_recs++;
        }
        pos += got;
    } while (got == WINDOW && pos < count);
    return CCHC_OK;
}

/* The criterion of the visit's checklist a note is about; NULL for a note
 * on the visit, or on a criterion outside this visit's checklist (the
 * checklist changed since): those are findings of the visit as a whole. */
static const struct vcrit *note_crit(const struct vreport *r, const struct note *n)
{
    if (n->target != NT_CRITERION || !n->criterion)
        return NULL;
    for (size_t i = 0; i < r->n_crits; i++)
        if (strcmp(r->crits[i].cr->code, n->criterion) == 0)
            return &r->crits[i];
    return NULL;
}

static const char *scope_words(unsigned scope)
{
    if ((scope & SCOPE_CCHC) && (scope & SCOPE_TTHC))
        return "công tác cải cách hành chính và kiểm soát thủ tục hành chính";
    if (scope & SCOPE_TTHC)
        return "công tác kiểm soát thủ tục hành chính";
    return "công tác cải cách hành chính";
}

/* "ngày 05 tháng 02 năm 2022": a document's date writes a day below 10 and
 * the months 1 and 2 with a leading 0 (Nghị định 30/2020/NĐ-CP), so that
 * no digit can be added in front of them. Caller frees. */
static char *date_words(cchc_date d)
{
    int y, mo, dd;
    date_ymd(d, &y, &mo, &dd);
    return xasprintf("ngày %02d tháng %s%d năm %d", dd, mo <= 2 ? "0" : "", mo, y);
}

/* A document reference given as a number ("412/KH-UBND") reads "số ...". */
static const char *number_word(const char *ref)
{
    return isdigit((unsigned char)ref[0]) ? "số " : "";
}

/* Issuing body and motto, number and date, then the kind of document and
 * its subject. The date is the day the visit was concluded; before that,
 * or when the record does not know the day, the blanks of the form. */
static void visit_letterhead(struct vreport *r)
{
    struct doc *d = &r->d;
    char *up = upper(r->place);
    char *body = xasprintf("UBND TỈNH %s", up);
    cchc_date day = r->v.status == VS_CONCLUDED ? r->v.concluded_on : 0;
    char *dw = day ? date_words(day) : xstrdup("ngày ... tháng ... năm ...");
    char *dateline = xasprintf("%s, %s", r->place, dw);
    static const char *const team = "ĐOÀN KIỂM TRA CCHC",
                             *const nation = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                             *const motto = "Độc lập - Tự do - Hạnh phúc";
    if (d->fmt == REPORT_TEXT) {
        struct strbuf left = {0}, right = {0};
        col_add(&left, body, LEFT_W, true, false);
        col_add(&left, team, LEFT_W, true, false);
        col_add(&right, nation, RIGHT_W, true, false);
        col_add(&right, motto, RIGHT_W, true, false);
        block(d);
        text_columns(d->out, sb_str(&left), LEFT_W, sb_str(&right));
        sb_reset(&left);
        sb_reset(&right);
        col_add(&left, NOTICE_NUMBER, LEFT_W, true, false);
        col_add(&right, dateline, RIGHT_W, true, false);
        block(d);
        text_columns(d->out, sb_str(&left), LEFT_W, sb_str(&right));
        sb_free(&left);
        sb_free(&right);
    } else {
        const char *lines[] = {body, team, nation, motto};
        doc_letterhead(d, lines, 2);
        doc_letterhead(d, lines + 2, 2);
        doc_para(d, NOTICE_NUMBER);
        doc_dateline(d, dateline);
    }
    /* a notice of a visit not yet concluded can only be a draft */
    if (r->v.status != VS_CONCLUDED) {
        block(d);
        if (d->fmt == REPORT_TEXT)
            text_centred(d->out, "DỰ THẢO");
        else
            sb_adds(d->out, "**DỰ THẢO**\n");
    }
    doc_heading(d, 1, "THÔNG BÁO");
    if (d->fmt == REPORT_MARKDOWN) {
        doc_paraf(d, "**Kết luận kiểm tra %s tại %s**", scope_words(r->v.scope), r->unit);
    } else {
        /* the words of scope_words(), in the phrases a title breaks between */
        const char *phrases[3];
        size_t n = 0;
        char *where = xasprintf("tại %s", r->unit);
        if ((r->v.scope & SCOPE_CCHC) && (r->v.scope & SCOPE_TTHC)) {
            phrases[n++] = "Kết luận kiểm tra công tác cải cách hành chính";
            phrases[n++] = "và kiểm soát thủ tục hành chính";
        } else if (r->v.scope & SCOPE_TTHC) {
            phrases[n++] = "Kết luận kiểm tra công tác kiểm soát thủ tục hành chính";
        } else {
            phrases[n++] = "Kết luận kiểm tra công tác cải cách hành chính";
        }
        phrases[n++] = where;
        text_title(d->out, phrases, n);
        free(where);
    }
    free(dateline);
    free(dw);
    free(body);
    free(up);
}

/* The grounds: the plan and the decision forming the team, then when and
 * where the team inspected. */
static void visit_grounds(struct vreport *r)
{
    struct doc *d = &r->d;
    char d1[11], d2[11];
    const char *scope = scope_words(r->v.scope);
    int year = r->v.year ? r->v.year : date_year(r->v.start);
    struct strbuf sb = {0};
    if (r->v.plan && *r->v.plan) {
        char *plan = esc1(d, r->v.plan);
        sb_addf(&sb, "Thực hiện Kế hoạch %s%s về kiểm tra %s", number_word(r->v.plan), plan, scope);
        free(plan);
    } else {
        sb_addf(&sb, "Thực hiện kế hoạch kiểm tra %s", scope);
    }
    if (year)
        sb_addf(&sb, " năm %d", year);
    if (r->v.decision && *r->v.decision) {
        char *dec = esc1(d, r->v.decision);
        sb_addf(&sb, " và Quyết định %s%s", number_word(r->v.decision), dec);
        free(dec);
    } else {
        sb_adds(&sb, " và Quyết định số ......"); /* a blank to fill in */
    }
    sb_adds(&sb, " về việc thành lập Đoàn kiểm tra, ");
    if (r->v.start && r->v.end && r->v.end != r->v.start)
        sb_addf(&sb, "từ ngày %s đến ngày %s, ", fmt_date(r->v.start, d1), fmt_date(r->v.end, d2));
    else if (r->v.start)
        sb_addf(&sb, "ngày %s, ", fmt_date(r->v.start, d1));
    sb_addf(&sb, "Đoàn kiểm tra đã tiến hành kiểm tra %s tại %s.", scope, r->unit);
    doc_para(d, sb_str(&sb));
    sb_free(&sb);
    doc_para(d, "Trên cơ sở kết quả kiểm tra, Đoàn kiểm tra thông báo kết luận như sau:");
}

/* I.1: the unit, the team by name and function, the count of results and
 * the findings on the visit as a whole. */
static void visit_overview(struct vreport *r, int *sub)
{
    struct doc *d = &r->d;
    const char *b = bold(d);
    char *h = xasprintf("%d. Khái quát chung", ++*sub);
    doc_heading(d, 3, h);
    free(h);

    struct strbuf unit = {0};
    sb_adds(&unit, r->unit);
    if (r->u.kind == UK_COMMUNE && r->u.parent) {
        char *pn = unit_name(r->m, d, r->u.parent);
        sb_addf(&unit, ", thuộc %s", pn);
        free(pn);
    }
    doc_itemf(d, 0, "%sĐơn vị được kiểm tra:%s %s", b, b, sb_str(&unit));
    sb_free(&unit);
    doc_itemf(d, 0, "%sThành phần Đoàn kiểm tra:%s%s", b, b, r->v.n_team ? "" : " chưa ghi");
    /* the lead first, then the members in the order of the decision */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < r->v.n_team; i++) {
            const struct team_member *t = &r->v.team[i];
            if ((t->role == TEAM_LEAD) != (pass == 0))
                continue;
            char *tn = t->name && *t->name ? esc1(d, t->name) : xstrdup("chưa ghi họ tên");
            char *org = t->org && *t->org ? esc1(d, t->org) : NULL;
            doc_itemf(d, 1, "%s%s%s%s, %s", tn, org ? " (" : "", org ? org : "", org ? ")" : "",
                      t->role == TEAM_LEAD ? "Trưởng đoàn" : "Thành viên");
            free(tn);
            free(org);
        }
    }

    if (!r->n_crits) {
        doc_para(d, "Danh mục kiểm tra không có tiêu chí nào cho đơn vị và nội dung kiểm tra này.");
    } else {
        size_t n_pass = 0, n_fail = 0, n_na = 0, n_none = 0;
        for (size_t i = 0; i < r->n_crits; i++) {
            const struct vcrit *vc = &r->crits[i];
            if (!vc->found)
                n_none++;
            else if (vc->c.na)
                n_na++;
            else if (vc->c.pass)
                n_pass++;
            else
                n_fail++;
        }
        doc_paraf(d,
                  "Tổng số %zu tiêu chí được kiểm tra: đạt %zu, chưa đạt %zu, không áp dụng %zu, "
                  "chưa ghi kết quả %zu.",
                  r->n_crits, n_pass, n_fail, n_na, n_none);
    }

    bool any = false;
    for (size_t i = 0; i < r->n_notes; i++) {
        const struct note *n = &r->notes[i];
        if (note_crit(r, n))
            continue; /* under its criterion */
        if (!any)
            doc_para(d, "Qua kiểm tra, Đoàn kiểm tra ghi nhận:");
        any = true;
        char *text = esc(d, n->text);
        if (n->target == NT_CRITERION) {
            char *cc = esc1(d, n->criterion ? n->criterion : "?");
            doc_itemf(d, 0, "Tiêu chí %s: %s", cc, text);
            free(cc);
        } else {
            doc_item(d, 0, text);
        }
        free(text);
    }
}

/* I.2...: area by area, each criterion with its result (the value and the
 * threshold of a measured one), the team's comment and the notes on it. */
static void visit_results(struct vreport *r, int *sec)
{
    struct doc *d = &r->d;
    int sub = 0;
    doc_section(d, sec, "KẾT QUẢ KIỂM TRA");
    visit_overview(r, &sub);
    for (size_t i = 0; i < r->n_crits; i++) {
        const struct vcrit *vc = &r->crits[i];
        if (i == 0 || vc->area != r->crits[i - 1].area) {
            char *an = esc1(d, vc->area->name.vi);
            char *h = xasprintf("%d. %s", ++sub, an);
            doc_heading(d, 3, h);
            free(h);
            free(an);
        }
        char *code = esc1(d, vc->cr->code);
        char *text = esc1(d, vc->cr->text.vi);
        char *res_raw = result_text(r->cfg, vc->cr, vc->found, &vc->c);
        char *res = esc1(d, res_raw);
        doc_itemf(d, 0, "%s %s: %s", code, text, res);
        free(code);
        free(text);
        free(res_raw);
        free(res);
        if (vc->found && vc->c.comment && *vc->c.comment) {
            char *cm = esc(d, vc->c.comment);
            doc_item(d, 1, cm);
            free(cm);
        }
        for (size_t k = 0; k < r->n_notes; k++) {
            if (note_crit(r, &r->notes[k]) != vc)
                continue;
            char *t = esc(d, r->notes[k].text);
            doc_item(d, 1, t);
            free(t);
        }
    }
}

/* II: strengths and shortcomings, criterion by criterion. The details
 * (comments, notes) are under I; this part only sums up. */
static void visit_assessment(struct vreport *r, int *sec)
{
    struct doc *d = &r->d;
    size_t n_pass = 0, n_fail = 0;
    doc_section(d, sec, "ĐÁNH GIÁ CHUNG");

    doc_heading(d, 3, "1. Ưu điểm");
    for (size_t i = 0; i < r->n_crits; i++) {
        const struct vcrit *vc = &r->crits[i];
        if (!vc->found || vc->c.na || !vc->c.pass)
            continue;
        char *code = esc1(d, vc->cr->code), *text = esc1(d, vc->cr->text.vi);
        doc_itemf(d, 0, "%s %s", code, text);
        free(code);
        free(text);
        n_pass++;
    }
    if (!n_pass)
        doc_para(d, "Chưa có tiêu chí nào được ghi nhận đạt.");

    doc_heading(d, 3, "2. Hạn chế");
    for (size_t i = 0; i < r->n_crits; i++) {
        const struct vcrit *vc = &r->crits[i];
        if (!vc->found || vc->c.na || vc->c.pass)
            continue;
        char *code = esc1(d, vc->cr->code), *text = esc1(d, vc->cr->text.vi);
        char *res_raw = result_text(r->cfg, vc->cr, true, &vc->c);
        char *res = esc1(d, res_raw);
        doc_itemf(d, 0, "%s %s: %s", code, text, res);
        free(code);
        free(text);
        free(res_raw);
        free(res);
        n_fail++;
    }
    if (!n_fail)
        doc_para(d, "Không có tiêu chí nào được ghi nhận chưa đạt.");
}

/* The unit a recommendation is addressed to; one that names none is
 * addressed to the unit inspected. */
static uint64_t rec_unit(const struct vreport *r, const struct recommendation *rec)
{
    return rec->unit ? rec->unit : r->v.unit;
}

/* III: the recommendations unit by unit (the unit inspected first, then
 * the others in the order they first appear), each with its deadline. */
static void visit_recs(struct vreport *r, int *sec)
{
    struct doc *d = &r->d;
    char d1[11];
    doc_section(d, sec, "KIẾN NGHỊ");
    if (!r->n_recs) {
        doc_para(d, "Không có kiến nghị.");
        return;
    }
    uint64_t *units = xcalloc(r->n_recs + 1, sizeof *units);
    size_t n_units = 0;
    for (size_t i = 0; i < r->n_recs && !n_units; i++)
        if (rec_unit(r, &r->recs[i]) == r->v.unit)
            units[n_units++] = r->v.unit;
    for (size_t i = 0; i < r->n_recs; i++) {
        uint64_t u = rec_unit(r, &r->recs[i]);
        bool seen = false;
        for (size_t k = 0; k < n_units && !seen; k++)
            seen = units[k] == u;
        if (!seen)
            units[n_units++] = u;
    }
    for (size_t k = 0; k < n_units; k++) {
        char *un = units[k] == r->v.unit ? xstrdup(r->unit) : unit_name(r->m, d, units[k]);
        doc_itemf(d, 0, "Đối với %s:", un);
        free(un);
        for (size_t i = 0; i < r->n_recs; i++) {
            const struct recommendation *rec = &r->recs[i];
            if (rec_unit(r, rec) != units[k])
                continue;
            char *text = esc(d, rec->text);
            if (rec->deadline)
                doc_itemf(d, 1, "%s\nThời hạn hoàn thành: %s.", text, fmt_date(rec->deadline, d1));
            else
                doc_item(d, 1, text);
            free(text);
        }
    }
    free(units);
    doc_paraf(d,
              "Các đơn vị báo cáo kết quả thực hiện các kiến nghị trên về %s để theo dõi, "
              "tổng hợp.",
              HOME_AFFAIRS);
}

/* Add name to the recipients unless it is there already; takes name. */
static void add_recipient(char ***to, size_t *n, char *name)
{
    for (size_t i = 0; i < *n; i++) {
        if (strcmp((*to)[i], name) == 0) {
            free(name);
            return;
        }
    }
    *to = xrealloc(*to, (*n + 1) * sizeof **to);
    (*to)[(*n)++] = name;
}

/* The signature of the team's lead, and the recipients: the unit
 * inspected, the other units the recommendations are addressed to, Sở Nội
 * vụ, and the copies kept (VT: the clerical office's archive; Đoàn KT: the
 * team's file). */
static void visit_closing(struct vreport *r)
{
    struct doc *d = &r->d;
    char **to = NULL;
    size_t n_to = 0;
    add_recipient(&to, &n_to, xstrdup(r->unit));
    for (size_t i = 0; i < r->n_recs; i++) {
        uint64_t u = rec_unit(r, &r->recs[i]);
        if (u != r->v.unit)
            add_recipient(&to, &n_to, unit_name(r->m, d, u));
    }
    add_recipient(&to, &n_to, xstrdup(HOME_AFFAIRS));
    static const char *const kept = "Lưu: VT, Đoàn KT.";

    char *lead = NULL; /* by name only: a blank when the record has none */
    for (size_t i = 0; i < r->v.n_team && !lead; i++)
        if (r->v.team[i].role == TEAM_LEAD && r->v.team[i].name && *r->v.team[i].name)
            lead = esc1(d, r->v.team[i].name);

    block(d);
    if (d->fmt == REPORT_TEXT) {
        struct strbuf left = {0}, right = {0};
        col_add(&left, "Nơi nhận:", CLOSE_LEFT_W, false, false);
        for (size_t i = 0; i < n_to; i++) {
            char *s = xasprintf("%s;", to[i]);
            col_add(&left, s, CLOSE_LEFT_W, false, true);
            free(s);
        }
        col_add(&left, kept, CLOSE_LEFT_W, false, true);
        col_add(&right, "TRƯỞNG ĐOÀN KIỂM TRA", CLOSE_RIGHT_W, true, false);
        for (int i = 0; i < 4; i++) /* room for the signature */
            col_add(&right, "", CLOSE_RIGHT_W, true, false);
        col_add(&right, lead ? lead : "", CLOSE_RIGHT_W, true, false);
        text_columns(d->out, sb_str(&left), CLOSE_LEFT_W, sb_str(&right));
        sb_free(&left);
        sb_free(&right);
    } else {
        /* hard breaks on lines of their own leave room for the signature */
        sb_adds(d->out, "**TRƯỞNG ĐOÀN KIỂM TRA**");
        if (lead)
            sb_addf(d->out, "\\\n\\\n\\\n**%s**", lead);
        sb_addc(d->out, '\n');
        doc_para(d, "***Nơi nhận:***");
        for (size_t i = 0; i < n_to; i++)
            doc_itemf(d, 0, "%s;", to[i]);
        doc_item(d, 0, kept);
    }
    for (size_t i = 0; i < n_to; i++)
        free(to[i]);
    free(to);
    free(lead);
}

int report_visit(struct model *m, const struct config *cfg, uint64_t visit, cchc_date today,
                 enum report_format fmt, struct strbuf *out, struct cchc_err *err)
{
    struct cchc_err local = {0};
    (void)today; /* a notice states recommendations as made, not how they stand today */
    if (!err)
        err = &local; /* the message below reads it */
    struct vreport r = {.m = m, .cfg = cfg, .d = {.fmt = fmt, .out = out}};
    int rc = model_visit(m, visit, &r.v, err);
    if (rc != CCHC_OK) {
        if (strncmp(err->msg, "no record", 9) == 0)
            err_set(err, CCHC_ERUNTIME, "no visit with id %" PRIu64, visit);
        vreport_free(&r);
        return CCHC_ERUNTIME;
    }
    if (model_unit(m, r.v.unit, &r.u, err) == CCHC_OK) {
        r.unit = esc1(&r.d, r.u.name && *r.u.name ? r.u.name : r.u.code);
    } else {
        /* the notice can still be written: name the unit by its id */
        unit_free(&r.u);
        memset(&r.u, 0, sizeof r.u);
        r.u.kind = r.v.unit_kind;
        r.unit = xasprintf("đơn vị #%" PRIu64 " (không đọc được)", r.v.unit);
        err_clear(err);
    }
    r.place = esc1(&r.d, place_name(cfg->province_name ? cfg->province_name : ""));
    if (load_crits(&r, err) != CCHC_OK || load_notes(&r, err) != CCHC_OK ||
        load_recs(&r, err) != CCHC_OK) {
        vreport_free(&r);
        return CCHC_ERUNTIME;
    }
    int sec = 0;
    visit_letterhead(&r);
    visit_grounds(&r);
    visit_results(&r, &sec);
    visit_assessment(&r, &sec);
    visit_recs(&r, &sec);
    visit_closing(&r);
    block(&r.d);
    /* end with exactly one newline */
    while (out->len >= 2 && out->buf[out->len - 1] == '\n' && out->buf[out->len - 2] == '\n')
        out->buf[--out->len] = '\0';
    vreport_free(&r);
    return CCHC_OK;
}

/* ---- the summary of a year ---- */

/* How a recommendation stands on today (0: none is overdue). */
static const char *rec_status_words(const struct recommendation *rec, cchc_date today)
{
    if (rec->status == RS_DONE)
        return "đã thực hiện";
    if (today && rec_overdue(rec, today))
        return "quá hạn";
    return "đang thực hiện";
}

enum { TALLY_PASS, TALLY_FAIL, TALLY_NA, TALLY_NONE, TALLY_COUNT };

/* A unit counts as inspected once the team has done its work there
 * (done, or concluded): a visit only planned or still going on is stated
 * apart, and its results, if any, are not yet the year's. */
static bool visit_completed(const struct visit *v)
{
    return v->status == VS_DONE || v->status == VS_CONCLUDED;
}

/* One visit of the year, with what the summary needs of it. */
struct yvisit {
    struct visit v;
    enum unit_kind kind;
    char *unit_name; /* escaped for the document */
};

struct yreport {
    struct model *m;
    const struct config *cfg;
    struct doc d;
    int year;
    cchc_date today;
    struct yvisit *visits;
    size_t n_visits;
    size_t n_completed;           /* visits done or concluded */
    size_t (*tally)[TALLY_COUNT]; /* per checklist area */
    size_t recs[3];               /* open in time, overdue, done */
    struct strbuf overdue;        /* the overdue ones, as list items */
    size_t n_overdue_listed;
};

static void yreport_free(struct yreport *r)
{
    for (size_t i = 0; i < r->n_visits; i++) {
        visit_free(&r->visits[i].v);
        free(r->visits[i].unit_name);
    }
    free(r->visits);
    free(r->tally);
    sb_free(&r->overdue);
}

static int load_year_visits(struct yreport *r, struct cchc_err *err)
{
    struct list_query q = {.kind = LIST_VISITS_YEAR, .year = r->year};
    uint64_t ids[WINDOW];
    size_t pos = 0, got = 0, count = 0;
    do {
        if (model_list(r->m, &q, pos, WINDOW, ids, &got, &count, err) != CCHC_OK)
            return CCHC_ERUNTIME;
        for (size_t i = 0; i < got; i++) {
            r->visits = xrealloc(r->visits, (r->n_visits + 1) * sizeof *r->visits);
            struct yvisit *yv = &r->visits[r->n_visits];
            memset(yv, 0, sizeof *yv);
            if (model_visit(r->m, ids[i], &yv->v, err) != CCHC_OK)
                return CCHC_ERUNTIME;
            r->n_visits++;
            if (visit_completed(&yv->v))
                r->n_completed++;
            struct unit u = {0};
            struct cchc_err e2 = {0};
            if (model_unit(r->m, yv->v.unit, &u, &e2) == CCHC_OK) {
                yv->kind = u.kind;
                yv->unit_name = esc1(&r->d, u.name ? u.name : u.code);
            } else {
                yv->kind = yv->v.unit_kind;
                yv->unit_name = xasprintf("đơn vị #%" PRIu64 " (không đọc được)", yv->v.unit);
            }
            unit_free(&u);
        }
        pos += got;
    } while (got == WINDOW && pos < count);
    return CCHC_OK;
}

/* Results of the visits done or concluded, area by area. */
static int tally_results(struct yreport *r, struct cchc_err *err)
{
    const struct config *cfg = r->cfg;
    r->tally = xcalloc(cfg->n_check_areas ? cfg->n_check_areas : 1, sizeof *r->tally);
    for (size_t i = 0; i < r->n_visits; i++) {
        const struct yvisit *yv = &r->visits[i];
        if (!visit_completed(&yv->v))
            continue;
        for (size_t a = 0; a < cfg->n_check_areas; a++) {
            const struct check_area *ar = &cfg->check_areas[a];
            if (!area_in_scope(ar, yv->v.scope))
                continue;
            for (size_t c = 0; c < ar->n_criteria; c++) {
                if (!criterion_applies(&ar->criteria[c], yv->kind))
                    continue;
                struct check_result cr = {0};
                bool found = false;
                if (model_check_get(r->m, yv->v.m.id, ar->criteria[c].code, &cr, &found, err) !=
                    CCHC_OK)
                    return CCHC_ERUNTIME;
                int t = !found ? TALLY_NONE : cr.na ? TALLY_NA : cr.pass ? TALLY_PASS : TALLY_FAIL;
                r->tally[a][t]++;
                check_free(&cr);
            }
        }
    }
    return CCHC_OK;
}

/* Recommendations of every visit by status; the overdue ones are listed. */
static int tally_recs(struct yreport *r, struct cchc_err *err)
{
    char d1[11];
    for (size_t i = 0; i < r->n_visits; i++) {
        const struct yvisit *yv = &r->visits[i];
        uint64_t ids[WINDOW];
        size_t pos = 0, got = 0, count = 0;
        do {
            if (model_visit_recs(r->m, yv->v.m.id, pos, WINDOW, ids, &got, &count, err) != CCHC_OK)
                return CCHC_ERUNTIME;
            for (size_t k = 0; k < got; k++) {
                struct recommendation rec = {0};
                if (model_rec(r->m, ids[k], &rec, err) != CCHC_OK)
                    return CCHC_ERUNTIME;
                const char *st = rec_status_words(&rec, r->today);
                if (rec.status == RS_DONE) {
                    r->recs[2]++;
                } else if (strcmp(st, "quá hạn") == 0) {
                    r->recs[1]++;
                    char *text = esc1(&r->d, rec.text);
                    char *code = esc1(&r->d, yv->v.code);
                    char *un = unit_name(r->m, &r->d, rec.unit);
                    sb_addf(&r->overdue, "%s, %s, thời hạn %s: %s\n", code, un,
                            fmt_date(rec.deadline, d1), text);
                    free(text);
                    free(code);
                    free(un);
                } else {
                    r->recs[0]++;
                }
                rec_free(&rec);
            }
            pos += got;
        } while (got == WINDOW && pos < count);
    }
    return CCHC_OK;
}

static const char *kind_group(enum unit_kind k)
{
    switch (k) {
    case UK_PROVINCE:
        return "cấp tỉnh";
    case UK_DEPARTMENT:
        return "sở, ban, ngành";
    case UK_DISTRICT:
        return "cấp huyện";
    case UK_COMMUNE:
        return "cấp xã";
    default:
        return "chưa rõ loại";
    }
}

static const char *kind_heading(enum unit_kind k)
{
    switch (k) {
    case UK_PROVINCE:
        return "Cấp tỉnh";
    case UK_DEPARTMENT:
        return "Sở, ban, ngành";
    case UK_DISTRICT:
        return "Cấp huyện";
    case UK_COMMUNE:
        return "Cấp xã";
    default:
        return "Đơn vị chưa rõ loại";
    }
}

/* Whether a visit done or concluded before upto was to unit. */
static bool seen_unit(const struct yreport *r, size_t upto, uint64_t unit)
{
    for (size_t i = 0; i < upto; i++)
        if (r->visits[i].v.unit == unit && visit_completed(&r->visits[i].v))
            return true;
    return false;
}

static enum unit_kind kind_of(const struct yvisit *yv)
{
    return yv->kind > UK_NONE && yv->kind < UK_COUNT ? yv->kind : UK_NONE;
}

static void year_visit_item(struct yreport *r, const struct yvisit *yv)
{
    char d1[11];
    char *code = esc1(&r->d, yv->v.code);
    doc_itemf(&r->d, 0, "%s: %s, %s, %s", code, yv->unit_name,
              yv->v.start ? fmt_date(yv->v.start, d1) : "chưa xác định ngày",
              visit_status_label(yv->v.status, true));
    free(code);
}

/* The visits of the year not done yet, in a sentence: "1 đợt kiểm tra
 * đang tiến hành và 1 đợt kiểm tra theo kế hoạch chưa tiến hành". */
static void pending_words(struct strbuf *sb, size_t running, size_t planned)
{
    if (running)
        sb_addf(sb, "%zu đợt kiểm tra đang tiến hành", running);
    if (running && planned)
        sb_adds(sb, " và ");
    if (planned)
        sb_addf(sb, "%zu đợt kiểm tra theo kế hoạch chưa tiến hành", planned);
}

/* I: the units inspected (a visit done or concluded) by kind; the visits
 * planned or in progress are stated apart and not counted. */
static void year_units(struct yreport *r, int *sec)
{
    struct doc *d = &r->d;
    static const enum unit_kind order[] = {UK_DEPARTMENT, UK_DISTRICT, UK_COMMUNE, UK_PROVINCE,
                                           UK_NONE};
    doc_section(d, sec, "ĐƠN VỊ ĐƯỢC KIỂM TRA");
    if (!r->n_visits) {
        doc_paraf(d, "Năm %d không có đợt kiểm tra nào.", r->year);
        return;
    }
    size_t units = 0, by_kind[UK_COUNT] = {0}, running = 0, planned = 0;
    for (size_t i = 0; i < r->n_visits; i++) {
        const struct yvisit *yv = &r->visits[i];
        if (yv->v.status == VS_IN_PROGRESS)
            running++;
        else if (yv->v.status == VS_PLANNED)
            planned++;
        if (!visit_completed(&yv->v) || seen_unit(r, i, yv->v.unit))
            continue;
        units++;
        by_kind[kind_of(yv)]++;
    }
    if (r->n_completed) {
        doc_paraf(d, "Năm %d đã kiểm tra %zu đơn vị (%zu đợt kiểm tra đã hoàn thành):", r->year,
                  units, r->n_completed);
        /* the three levels always (a 0 says something); the province or a
         * unit of unknown kind only when inspected */
        for (size_t o = 0; o < NCOLS(order); o++) {
            enum unit_kind k = order[o];
            bool level = k == UK_DEPARTMENT || k == UK_DISTRICT || k == UK_COMMUNE;
            if (level || by_kind[k])
                doc_itemf(d, 0, "%s: %zu", kind_group(k), by_kind[k]);
        }
    } else {
        doc_paraf(d, "Năm %d chưa có đợt kiểm tra nào hoàn thành.", r->year);
    }
    if (running || planned) {
        struct strbuf sb = {0};
        sb_adds(&sb, r->n_completed ? "Ngoài ra còn " : "Có ");
        pending_words(&sb, running, planned);
        sb_adds(&sb, r->n_completed ? ", không tính vào số đơn vị đã kiểm tra." : ".");
        doc_para(d, sb_str(&sb));
        sb_free(&sb);
    }

    for (size_t o = 0; o < NCOLS(order); o++) {
        size_t n = 0;
        for (size_t i = 0; i < r->n_visits; i++) {
            const struct yvisit *yv = &r->visits[i];
            if (!visit_completed(&yv->v) || kind_of(yv) != order[o])
                continue;
            if (n++ == 0)
                doc_heading(d, 3, kind_heading(order[o]));
            year_visit_item(r, yv);
        }
    }
    if (r->n_completed < r->n_visits) {
        doc_heading(d, 3, "Đợt kiểm tra chưa hoàn thành");
        for (size_t i = 0; i < r->n_visits; i++)
            if (!visit_completed(&r->visits[i].v))
                year_visit_item(r, &r->visits[i]);
    }
}

static void year_results(struct yreport *r, int *sec)
{
    struct doc *d = &r->d;
    const struct config *cfg = r->cfg;
    /* 38 + 1 + 5 + 1 + 9 + 1 + 14 + 1 + 9 = 79 columns */
    static const struct tcol cols[] = {{"Lĩnh vực", 38, false},
                                       {"Đạt", 5, true},
                                       {"Chưa đạt", 9, true},
                                       {"Không áp dụng", 14, true},
                                       {"Chưa ghi", 9, true}};
    doc_section(d, sec, "KẾT QUẢ KIỂM TRA THEO LĨNH VỰC");
    doc_para(d, "Số lượt tiêu chí tại các đợt kiểm tra đã hoàn thành trong năm, theo lĩnh vực của "
                "danh mục kiểm tra.");
    doc_table_head(d, cols, NCOLS(cols));
    size_t sum[TALLY_COUNT] = {0};
    for (size_t a = 0; a <= cfg->n_check_areas; a++) {
        bool total = a == cfg->n_check_areas;
        const size_t *t = total ? sum : r->tally[a];
        char nums[TALLY_COUNT][24];
        for (int k = 0; k < TALLY_COUNT; k++) {
            snprintf(nums[k], sizeof nums[k], "%zu", t[k]);
            if (!total)
                sum[k] += t[k];
        }
        char *name;
        if (total) {
            name = xasprintf("%sTổng cộng%s", bold(d), bold(d));
        } else {
            char *code = esc1(d, cfg->check_areas[a].code);
            char *an = esc1(d, cfg->check_areas[a].name.vi);
            name = xasprintf("%s %s", code, an);
            free(code);
            free(an);
        }
        const char *cells[] = {name, nums[0], nums[1], nums[2], nums[3]};
        doc_table_row(d, cols, NCOLS(cols), cells);
        free(name);
    }
}

static void year_recs(struct yreport *r, int *sec)
{
    struct doc *d = &r->d;
    char d1[11];
    doc_section(d, sec, "KIẾN NGHỊ");
    size_t total = r->recs[0] + r->recs[1] + r->recs[2];
    if (!total) {
        doc_para(d, "Các đợt kiểm tra trong năm không có kiến nghị.");
        return;
    }
    if (r->today)
        doc_paraf(d, "Tổng số %zu kiến nghị; tình trạng tính đến ngày %s:", total,
                  fmt_date(r->today, d1));
    else
        doc_paraf(d, "Tổng số %zu kiến nghị:", total);
    doc_itemf(d, 0, "đang thực hiện, trong hạn: %zu", r->recs[0]);
    doc_itemf(d, 0, "quá hạn: %zu", r->recs[1]);
    doc_itemf(d, 0, "đã thực hiện: %zu", r->recs[2]);
    if (!r->recs[1])
        return;
    doc_heading(d, 3, "Kiến nghị quá hạn");
    const char *p = sb_str(&r->overdue);
    while (*p) {
        const char *nl = strchr(p, '\n');
        char *line = xstrndup(p, (size_t)(nl - p));
        doc_item(d, 0, line);
        free(line);
        p = nl + 1;
    }
}

static int year_commitments(struct yreport *r, int *sec, struct cchc_err *err)
{
    struct doc *d = &r->d;
    size_t n_comm = 0, items[IS_COUNT] = {0}, n_items = 0;
    struct list_query q = {.kind = LIST_COMMITMENTS};
    uint64_t ids[WINDOW];
    size_t pos = 0, got = 0, count = 0;
    do {
        if (model_list(r->m, &q, pos, WINDOW, ids, &got, &count, err) != CCHC_OK)
            return CCHC_ERUNTIME;
        for (size_t i = 0; i < got; i++) {
            struct commitment c = {0};
            if (model_commitment(r->m, ids[i], &c, err) != CCHC_OK)
                return CCHC_ERUNTIME;
            bool in = c.signed_on && date_year(c.signed_on) <= r->year;
            uint64_t cid = c.m.id ? c.m.id : ids[i];
            commitment_free(&c);
            if (!in)
                continue;
            n_comm++;
            struct list_query qi = {.kind = LIST_COMMITMENT_ITEMS, .arg = cid};
            uint64_t iids[WINDOW];
            size_t ipos = 0, igot = 0, icount = 0;
            do {
                if (model_list(r->m, &qi, ipos, WINDOW, iids, &igot, &icount, err) != CCHC_OK)
                    return CCHC_ERUNTIME;
                for (size_t k = 0; k < igot; k++) {
                    struct commitment_item it = {0};
                    if (model_item(r->m, iids[k], &it, err) != CCHC_OK)
                        return CCHC_ERUNTIME;
                    if (it.status < IS_COUNT)
                        items[it.status]++;
                    n_items++;
                    item_free(&it);
                }
                ipos += igot;
            } while (igot == WINDOW && ipos < icount);
        }
        pos += got;
    } while (got == WINDOW && pos < count);

    doc_section(d, sec, "THỰC HIỆN BẢN CAM KẾT");
    if (!n_comm) {
        doc_paraf(d, "Không có bản cam kết nào ký trong hoặc trước năm %d.", r->year);
        return CCHC_OK;
    }
    doc_paraf(d,
              "%zu bản cam kết ký trong hoặc trước năm %d, gồm %zu nội dung cam kết; "
              "tình trạng hiện tại:",
              n_comm, r->year, n_items);
    for (int s = 0; s < IS_COUNT; s++)
        doc_itemf(d, 0, "%s: %zu", item_status_label((enum item_status)s, true), items[s]);
    return CCHC_OK;
}

static void year_visit_status(struct yreport *r, int *sec)
{
    struct doc *d = &r->d;
    size_t by[VS_COUNT] = {0};
    for (size_t i = 0; i < r->n_visits; i++)
        if (r->visits[i].v.status < VS_COUNT)
            by[r->visits[i].v.status]++;
    doc_section(d, sec, "TÌNH TRẠNG CÁC ĐỢT KIỂM TRA");
    doc_paraf(d, "Tổng số %zu đợt kiểm tra:", r->n_visits);
    for (int s = 0; s < VS_COUNT; s++)
        doc_itemf(d, 0, "%s: %zu", visit_status_label((enum visit_status)s, true), by[s]);
}

int report_year(struct model *m, const struct config *cfg, int year, cchc_date today,
                enum report_format fmt, struct strbuf *out, struct cchc_err *err)
{
    if (year < 1 || year > 9999)
        return err_set(err, CCHC_EUSAGE, "year %d is out of range", year);
    struct yreport r = {
        .m = m, .cfg = cfg, .d = {.fmt = fmt, .out = out}, .year = year, .today = today};
    if (load_year_visits(&r, err) != CCHC_OK || tally_results(&r, err) != CCHC_OK ||
        tally_recs(&r, err) != CCHC_OK) {
        yreport_free(&r);
        return CCHC_ERUNTIME;
    }
    struct doc *d = &r.d;
    char *prov = esc1(d, cfg->province_name ? cfg->province_name : "");
    char *l1 = committee_line(prov);
    const char *lines[] = {l1};
    doc_letterhead(d, lines, 1);
    char *title = xasprintf("BÁO CÁO TỔNG HỢP KẾT QUẢ KIỂM TRA CÔNG TÁC CẢI CÁCH HÀNH CHÍNH VÀ "
                            "KIỂM SOÁT THỦ TỤC HÀNH CHÍNH NĂM %d",
                            year);
    doc_heading(d, 1, title);
    free(title);
    free(l1);
    free(prov);

    int sec = 0, rc = CCHC_OK;
    year_units(&r, &sec);
    if (r.n_completed)
        year_results(&r, &sec);
    if (r.n_visits)
        year_recs(&r, &sec);
    rc = year_commitments(&r, &sec, err);
    if (rc == CCHC_OK && r.n_visits)
        year_visit_status(&r, &sec);
    block(d);
    while (out->len >= 2 && out->buf[out->len - 1] == '\n' && out->buf[out->len - 2] == '\n')
        out->buf[--out->len] = '\0';
    yreport_free(&r);
    return rc;
}
