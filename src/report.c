/* report.c — the conclusion notice of a visit and the summary of a year,
 * as Markdown or as plain text wrapped to 80 columns (see report.h).
 *
 * Both documents are built from the same few blocks (heading, paragraph,
 * list item, table) through struct doc, which knows how to render each
 * block in each format; the report functions above it only decide what to
 * say. Text from the database enters a block through esc() / esc1(), which
 * sanitise it (text_sanitize: no escape sequence ever reaches whoever
 * prints the document) and, in Markdown, escape what would change the
 * document's structure. Widths are display columns (text_width), never
 * bytes: Vietnamese letters with stacked marks are one column, and a word
 * too long for a line is cut between characters, never inside one.
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

/* A time in the local zone as a document writes it: "15/03/2022 10:42". */
static const char *fmt_time(int64_t t, char buf[static 32])
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!t || !localtime_r(&tt, &tm) || !strftime(buf, 32, "%d/%m/%Y %H:%M", &tm))
        return "";
    return buf;
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

/* Centre each line of wrapped text in REPORT_WIDTH columns. */
static void text_centred(struct strbuf *out, const char *s)
{
    struct strbuf w = {0};
    wrap_text(&w, s, "", "", REPORT_WIDTH - 8);
    const char *p = sb_str(&w);
    while (*p) {
        const char *nl = strchr(p, '\n');
        char *line = xstrndup(p, (size_t)(nl - p));
        int pad = (REPORT_WIDTH - text_width(line)) / 2;
        if (*line)
            add_spaces(out, pad > 0 ? pad : 0);
        sb_adds(out, line);
        sb_addc(out, '\n');
        free(line);
        p = nl + 1;
    }
    sb_free(&w);
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

static bool criterion_applies(const struct criterion *cr, enum unit_kind kind)
{
    return cr->applies == 0 || (cr->applies & (1u << kind));
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
    cchc_date today;
    struct visit v;
    struct unit u;
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

/* "Nguyễn Thị Lan (lan)" when the author is on the team, else the login. */
static char *author_name(const struct vreport *r, const char *login)
{
    for (size_t i = 0; i < r->v.n_team; i++) {
        const struct team_member *t = &r->v.team[i];
        if (t->login && login && strcmp(t->login, login) == 0 && t->name && *t->name) {
            char *name = esc1(&r->d, t->name), *lg = esc1(&r->d, login);
            char *s = xasprintf("%s (%s)", name, lg);
            free(name);
            free(lg);
            return s;
        }
    }
    return esc1(&r->d, login && *login ? login : "?");
}

static const char *scope_words(unsigned scope)
{
    if ((scope & SCOPE_CCHC) && (scope & SCOPE_TTHC))
        return "công tác cải cách hành chính và kiểm soát thủ tục hành chính";
    if (scope & SCOPE_TTHC)
        return "công tác kiểm soát thủ tục hành chính";
    return "công tác cải cách hành chính";
}

static char *visit_title(unsigned scope)
{
    if ((scope & SCOPE_CCHC) && (scope & SCOPE_TTHC))
        return xstrdup("THÔNG BÁO KẾT LUẬN KIỂM TRA CÔNG TÁC CẢI CÁCH HÀNH CHÍNH VÀ KIỂM SOÁT "
                       "THỦ TỤC HÀNH CHÍNH");
    if (scope & SCOPE_TTHC)
        return xstrdup("THÔNG BÁO KẾT LUẬN KIỂM TRA CÔNG TÁC KIỂM SOÁT THỦ TỤC HÀNH CHÍNH");
    return xstrdup("THÔNG BÁO KẾT LUẬN KIỂM TRA CÔNG TÁC CẢI CÁCH HÀNH CHÍNH");
}

/* The day the visit was concluded, when the record knows it. */
static cchc_date concluded_on(const struct visit *v)
{
    return v->status == VS_CONCLUDED ? v->concluded_on : 0;
}

static void visit_letterhead(struct vreport *r)
{
    struct doc *d = &r->d;
    char *prov = esc1(d, r->cfg->province_name ? r->cfg->province_name : "");
    char *l1 = committee_line(prov);
    const char *lines[] = {l1, "ĐOÀN KIỂM TRA", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                           "Độc lập - Tự do - Hạnh phúc"};
    doc_letterhead(d, lines, 2);
    doc_letterhead(d, lines + 2, 2);
    cchc_date day = concluded_on(&r->v);
    int y, mo, dd;
    date_ymd(day, &y, &mo, &dd);
    char *dl = day ? xasprintf("%s, ngày %d tháng %d năm %d", place_name(prov), dd, mo, y)
                   : xasprintf("%s, ngày ... tháng ... năm ...", place_name(prov));
    doc_dateline(d, dl);
    free(dl);
    free(l1);
    free(prov);
    char *title = visit_title(r->v.scope);
    doc_heading(d, 1, title);
    free(title);
}

static void visit_general(struct vreport *r, int *sec)
{
    struct doc *d = &r->d;
    const char *b = bold(d);
    char d1[11], d2[11];
    doc_section(d, sec, "THÔNG TIN CHUNG");

    char *name = esc1(d, r->u.name ? r->u.name : r->u.code);
    char *code = esc1(d, r->u.code);
    struct strbuf unit = {0};
    sb_addf(&unit, "%s (mã %s)", name, code);
    if (r->u.kind == UK_COMMUNE && r->u.parent) {
        char *pn = unit_name(r->m, d, r->u.parent);
        sb_addf(&unit, ", thuộc %s", pn);
        free(pn);
    }
    doc_itemf(d, 0, "%sĐơn vị được kiểm tra:%s %s", b, b, sb_str(&unit));
    sb_free(&unit);
    free(name);
    free(code);

    char *vcode = esc1(d, r->v.code);
    doc_itemf(d, 0, "%sMã đợt kiểm tra:%s %s", b, b, vcode);
    free(vcode);
    if (!r->v.start)
        doc_itemf(d, 0, "%sThời gian kiểm tra:%s chưa xác định", b, b);
    else if (!r->v.end || r->v.end == r->v.start)
        doc_itemf(d, 0, "%sThời gian kiểm tra:%s ngày %s", b, b, fmt_date(r->v.start, d1));
    else
        doc_itemf(d, 0, "%sThời gian kiểm tra:%s từ ngày %s đến ngày %s", b, b,
                  fmt_date(r->v.start, d1), fmt_date(r->v.end, d2));
    if (r->v.plan && *r->v.plan) {
        char *plan = esc1(d, r->v.plan);
        doc_itemf(d, 0, "%sKế hoạch kiểm tra:%s %s", b, b, plan);
        free(plan);
    }
    char *dec = esc1(d, r->v.decision && *r->v.decision ? r->v.decision : "chưa ghi");
    doc_itemf(d, 0, "%sQuyết định thành lập Đoàn kiểm tra:%s %s", b, b, dec);
    free(dec);
    doc_itemf(d, 0, "%sNội dung kiểm tra:%s %s", b, b, scope_words(r->v.scope));

    doc_itemf(d, 0, "%sThành phần Đoàn kiểm tra:%s%s", b, b, r->v.n_team ? "" : " chưa ghi");
    /* the lead first, then the members in the order of the decision */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < r->v.n_team; i++) {
            const struct team_member *t = &r->v.team[i];
            if ((t->role == TEAM_LEAD) != (pass == 0))
                continue;
            char *tn = esc1(d, t->name && *t->name ? t->name : t->login);
            char *org = t->org && *t->org ? esc1(d, t->org) : NULL;
            doc_itemf(d, 1, "%s%s%s%s, %s", tn, org ? " (" : "", org ? org : "", org ? ")" : "",
                      t->role == TEAM_LEAD ? "Trưởng đoàn" : "thành viên");
            free(tn);
            free(org);
        }
    }
    doc_itemf(d, 0, "%sTình trạng:%s %s", b, b, visit_status_label(r->v.status, true));
    /* the days each step was reached, as far as the record knows them */
    const struct {
        cchc_date day;
        const char *what;
    } steps[] = {{r->v.started_on, "Bắt đầu kiểm tra"},
                 {r->v.done_on, "Hoàn thành kiểm tra"},
                 {concluded_on(&r->v), "Kết luận"}};
    for (size_t i = 0; i < NCOLS(steps); i++)
        if (steps[i].day)
            doc_itemf(d, 1, "%s: ngày %s", steps[i].what, fmt_date(steps[i].day, d1));
}

static void visit_results(struct vreport *r, int *sec)
{
    struct doc *d = &r->d;
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
    doc_section(d, sec, "KẾT QUẢ KIỂM TRA THEO TIÊU CHÍ");
    if (!r->n_crits) {
        doc_para(d, "Danh mục kiểm tra không có tiêu chí nào cho đơn vị và nội dung kiểm tra này.");
        return;
    }
    doc_paraf(d, "Tổng số %zu tiêu chí: đạt %zu, chưa đạt %zu, không áp dụng %zu, chưa ghi %zu.",
              r->n_crits, n_pass, n_fail, n_na, n_none);

    static const struct tcol cols[] = {
        {"Mã", 0, false}, {"Tiêu chí", 0, false}, {"Kết quả", 0, false}};
    int area_no = 0;
    for (size_t i = 0; i < r->n_crits; i++) {
        const struct vcrit *vc = &r->crits[i];
        if (i == 0 || vc->area != r->crits[i - 1].area) {
            char *an = esc1(d, vc->area->name.vi);
            char *h = xasprintf("%d. %s", ++area_no, an);
            doc_heading(d, 3, h);
            free(h);
            free(an);
            if (d->fmt == REPORT_MARKDOWN)
                doc_table_head(d, cols, 3);
        }
        char *code = esc1(d, vc->cr->code);
        char *text = esc1(d, vc->cr->text.vi);
        char *res_raw = result_text(r->cfg, vc->cr, vc->found, &vc->c);
        char *res = esc1(d, res_raw);
        if (d->fmt == REPORT_MARKDOWN) {
            const char *cells[] = {code, text, res};
            doc_table_row(d, cols, 3, cells);
        } else {
            doc_itemf(d, 0, "%s %s: %s", code, text, res);
        }
        free(code);
        free(text);
        free(res_raw);
        free(res);
    }
}

static void visit_findings(struct vreport *r, int *sec)
{
    struct doc *d = &r->d;
    char tb[32];
    doc_section(d, sec, "NỘI DUNG GHI NHẬN");
    if (!r->n_notes) {
        doc_para(d, "Không có ghi chép.");
        return;
    }
    for (size_t i = 0; i < r->n_notes; i++) {
        const struct note *n = &r->notes[i];
        char *who = author_name(r, n->author);
        char *text = esc(d, n->text);
        struct strbuf head = {0};
        if (n->target == NT_CRITERION) {
            char *cc = esc1(d, n->criterion ? n->criterion : "?");
            sb_addf(&head, "Tiêu chí %s, ", cc);
            free(cc);
        }
        sb_addf(&head, "%s, %s", who, fmt_time(n->created, tb));
        if (n->edited)
            sb_addf(&head, " (sửa lúc %s)", fmt_time(n->edited, tb));
        doc_itemf(d, 0, "%s%s:%s\n%s", bold(d), sb_str(&head), bold(d), text);
        sb_free(&head);
        free(who);
        free(text);
    }
}

static void visit_conclusion(struct vreport *r, int *sec)
{
    struct doc *d = &r->d;
    size_t n_pass = 0, n_fail = 0;
    doc_section(d, sec, "KẾT LUẬN");

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
        if (vc->c.comment && *vc->c.comment) {
            char *cm = esc(d, vc->c.comment);
            doc_item(d, 1, cm);
            free(cm);
        }
        for (size_t k = 0; k < r->n_notes; k++) {
            const struct note *n = &r->notes[k];
            if (n->target != NT_CRITERION || !n->criterion ||
                strcmp(n->criterion, vc->cr->code) != 0)
                continue;
            char *t = esc(d, n->text);
            doc_item(d, 1, t);
            free(t);
        }
        n_fail++;
    }
    if (!n_fail)
        doc_para(d, "Không có tiêu chí nào được ghi nhận chưa đạt.");
}

static const char *rec_status_words(const struct recommendation *rec, cchc_date today)
{
    if (rec->status == RS_DONE)
        return "đã thực hiện";
    if (today && rec_overdue(rec, today))
        return "quá hạn";
    return "đang thực hiện";
}

static void visit_recs(struct vreport *r, int *sec)
{
    struct doc *d = &r->d;
    char d1[11];
    const char *b = bold(d);
    doc_section(d, sec, "KIẾN NGHỊ");
    if (!r->n_recs) {
        doc_para(d, "Không có kiến nghị.");
        return;
    }
    if (r->today)
        doc_paraf(d, "Tình trạng thực hiện tính đến ngày %s.", fmt_date(r->today, d1));
    for (size_t i = 0; i < r->n_recs; i++) {
        const struct recommendation *rec = &r->recs[i];
        char *text = esc(d, rec->text);
        doc_itemf(d, 0, "%sKiến nghị %zu:%s %s", b, i + 1, b, text);
        free(text);
        char *un = unit_name(r->m, d, rec->unit);
        doc_itemf(d, 1, "Đơn vị thực hiện: %s", un);
        free(un);
        doc_itemf(d, 1, "Thời hạn: %s", rec->deadline ? fmt_date(rec->deadline, d1) : "không ghi");
        const char *st = rec_status_words(rec, r->today);
        bool overdue = strcmp(st, "quá hạn") == 0;
        if (rec->status == RS_DONE && rec->done_on)
            doc_itemf(d, 1, "Tình trạng: %s ngày %s", st, fmt_date(rec->done_on, d1));
        else
            doc_itemf(d, 1, "Tình trạng: %s%s%s", overdue ? b : "", st, overdue ? b : "");
    }
}

int report_visit(struct model *m, const struct config *cfg, uint64_t visit, cchc_date today,
                 enum report_format fmt, struct strbuf *out, struct cchc_err *err)
{
    struct cchc_err local = {0};
    if (!err)
        err = &local; /* the message below reads it */
    struct vreport r = {.m = m, .cfg = cfg, .d = {.fmt = fmt, .out = out}, .today = today};
    int rc = model_visit(m, visit, &r.v, err);
    if (rc != CCHC_OK) {
        if (strncmp(err->msg, "no record", 9) == 0)
            err_set(err, CCHC_ERUNTIME, "no visit with id %" PRIu64, visit);
        vreport_free(&r);
        return CCHC_ERUNTIME;
    }
    if (model_unit(m, r.v.unit, &r.u, err) != CCHC_OK) {
        /* the notice can still be written: name the unit by its id */
        unit_free(&r.u);
        memset(&r.u, 0, sizeof r.u);
        r.u.code = xasprintf("#%" PRIu64, r.v.unit);
        r.u.kind = r.v.unit_kind;
        err_clear(err);
    }
    if (load_crits(&r, err) != CCHC_OK || load_notes(&r, err) != CCHC_OK ||
        load_recs(&r, err) != CCHC_OK) {
        vreport_free(&r);
        return CCHC_ERUNTIME;
    }
    int sec = 0;
    visit_letterhead(&r);
    visit_general(&r, &sec);
    visit_results(&r, &sec);
    visit_findings(&r, &sec);
    visit_conclusion(&r, &sec);
    visit_recs(&r, &sec);
    block(&r.d);
    /* end with exactly one newline */
    while (out->len >= 2 && out->buf[out->len - 1] == '\n' && out->buf[out->len - 2] == '\n')
        out->buf[--out->len] = '\0';
    vreport_free(&r);
    return CCHC_OK;
}

/* ---- the summary of a year ---- */

enum { TALLY_PASS, TALLY_FAIL, TALLY_NA, TALLY_NONE, TALLY_COUNT };

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

/* Results of every visit, area by area. */
static int tally_results(struct yreport *r, struct cchc_err *err)
{
    const struct config *cfg = r->cfg;
    r->tally = xcalloc(cfg->n_check_areas ? cfg->n_check_areas : 1, sizeof *r->tally);
    for (size_t i = 0; i < r->n_visits; i++) {
        const struct yvisit *yv = &r->visits[i];
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

static bool seen_unit(const struct yreport *r, size_t upto, uint64_t unit)
{
    for (size_t i = 0; i < upto; i++)
        if (r->visits[i].v.unit == unit)
            return true;
    return false;
}

static void year_units(struct yreport *r, int *sec)
{
    struct doc *d = &r->d;
    char d1[11];
    static const enum unit_kind order[] = {UK_DEPARTMENT, UK_DISTRICT, UK_COMMUNE, UK_PROVINCE,
                                           UK_NONE};
    doc_section(d, sec, "ĐƠN VỊ ĐƯỢC KIỂM TRA");
    if (!r->n_visits) {
        doc_paraf(d, "Năm %d không có đợt kiểm tra nào.", r->year);
        return;
    }
    size_t units = 0, by_kind[UK_COUNT] = {0};
    for (size_t i = 0; i < r->n_visits; i++) {
        if (seen_unit(r, i, r->visits[i].v.unit))
            continue;
        units++;
        enum unit_kind k = r->visits[i].kind;
        by_kind[k > UK_NONE && k < UK_COUNT ? k : UK_NONE]++;
    }
    struct strbuf sb = {0};
    sb_addf(&sb, "Năm %d đã kiểm tra %zu đơn vị (%zu đợt kiểm tra):", r->year, units, r->n_visits);
    doc_para(d, sb_str(&sb));
    sb_free(&sb);
    /* the three levels always (a 0 says something); the province or a unit
     * of unknown kind only when inspected */
    for (size_t o = 0; o < NCOLS(order); o++) {
        enum unit_kind k = order[o];
        bool level = k == UK_DEPARTMENT || k == UK_DISTRICT || k == UK_COMMUNE;
        if (level || by_kind[k])
            doc_itemf(d, 0, "%s: %zu", kind_group(k), by_kind[k]);
    }

    for (size_t o = 0; o < NCOLS(order); o++) {
        size_t n = 0;
        for (size_t i = 0; i < r->n_visits; i++) {
            const struct yvisit *yv = &r->visits[i];
            enum unit_kind k = yv->kind > UK_NONE && yv->kind < UK_COUNT ? yv->kind : UK_NONE;
            if (k != order[o])
                continue;
            if (n++ == 0)
                doc_heading(d, 3, kind_heading(order[o]));
            char *code = esc1(d, yv->v.code);
            doc_itemf(d, 0, "%s: %s, %s, %s", code, yv->unit_name,
                      yv->v.start ? fmt_date(yv->v.start, d1) : "chưa xác định ngày",
                      visit_status_label(yv->v.status, true));
            free(code);
        }
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
    doc_para(d, "Số lượt tiêu chí tại các đợt kiểm tra trong năm, theo lĩnh vực của danh mục "
                "kiểm tra.");
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
    if (r.n_visits) {
        year_results(&r, &sec);
        year_recs(&r, &sec);
    }
    rc = year_commitments(&r, &sec, err);
    if (rc == CCHC_OK && r.n_visits)
        year_visit_status(&r, &sec);
    block(d);
    while (out->len >= 2 && out->buf[out->len - 1] == '\n' && out->buf[out->len - 2] == '\n')
        out->buf[--out->len] = '\0';
    yreport_free(&r);
    return rc;
}
