/* yaml.c — YAML files as trees with source positions, and the table-driven
 * mapper from YAML mappings into C structs.
 *
 * libyaml's event parser feeds a small recursive builder that keeps, for
 * every node, the 1-based line and column where it starts. The builder is
 * stricter than YAML: duplicate keys (libyaml accepts them silently),
 * aliases and anchors, explicit tags, keys that are not plain values, deep
 * nesting and a second document are errors, so that a typo in a
 * hand-edited file is reported instead of quietly read some other way.
 *
 * Every error is one cchc_err of three lines: "path:line:col: message", the
 * offending source line, and a caret under the column. Messages and quoted
 * lines go through text_sanitize(): a file must never be able to put an
 * escape sequence on the user's terminal through an error message.
 *
 * This file never exits, never prints, and never keeps libyaml state
 * between calls.
 */
#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

#include "cchc/text.h"
#include "cchc/yaml.h"

enum {
    MAX_DEPTH = 64,               /* nesting deeper than this is a broken file, not config */
    LINE_WINDOW = 100,            /* columns of the source line quoted in an error */
    MAX_FILE = 256 * 1024 * 1024, /* larger "YAML" is certainly not ours */
};

/* ---- positions and lines ---------------------------------------------- */

/* Length of the line break at t[i], 0 if none. libyaml counts these as
 * breaks (YAML 1.1), so we must as well or line numbers drift. */
static size_t break_len(const char *t, size_t len, size_t i)
{
    const unsigned char *u = (const unsigned char *)t;
    if (u[i] == '\n')
        return 1;
    if (u[i] == '\r')
        return i + 1 < len && u[i + 1] == '\n' ? 2 : 1;
    if (u[i] == 0xC2 && i + 1 < len && u[i + 1] == 0x85) /* NEL */
        return 2;
    if (u[i] == 0xE2 && i + 2 < len && u[i + 1] == 0x80 && (u[i + 2] == 0xA8 || u[i + 2] == 0xA9))
        return 3; /* LINE / PARAGRAPH SEPARATOR */
    return 0;
}

/* Byte span of 1-based line `line`; false when the text has fewer lines. */
static bool line_span(const char *t, size_t len, int line, size_t *start, size_t *n)
{
    size_t i = 0;
    for (int l = 1; l < line; l++) {
        size_t b;
        while (i < len && (b = break_len(t, len, i)) == 0)
            i++;
        if (i >= len)
            return false;
        i += b;
    }
    size_t j = i;
    while (j < len && break_len(t, len, j) == 0)
        j++;
    *start = i;
    *n = j - i;
    return true;
}

static bool utf8_lead(unsigned char c)
{
    return (c & 0xC0) != 0x80;
}

/* Byte offset of character number `chars` (0-based) in s[0..n), clamped. */
static size_t char_offset(const char *s, size_t n, int chars)
{
    size_t i = 0;
    for (int k = 0; k < chars && i < n; k++) {
        i++;
        while (i < n && !utf8_lead((unsigned char)s[i]))
            i++;
    }
    return i;
}

/* 1-based line and column (in characters, as libyaml counts) of byte off. */
static void offset_position(const char *t, size_t len, size_t off, int *line, int *col)
{
    int l = 1, c = 1;
    size_t i = 0;
    if (off > len)
        off = len;
    while (i < off) {
        size_t b = break_len(t, len, i);
        if (b) {
            l++;
            c = 1;
            i += b;
            continue;
        }
        i++;
        while (i < off && !utf8_lead((unsigned char)t[i]))
            i++;
        c++;
    }
    *line = l;
    *col = c;
}

static int mark_line(const yaml_mark_t *m)
{
    return m->line >= INT_MAX ? INT_MAX : (int)m->line + 1;
}

static int mark_col(const yaml_mark_t *m)
{
    return m->column >= INT_MAX ? INT_MAX : (int)m->column + 1;
}

/* ---- error messages ------------------------------------------------------ */

static void add_spaces(struct strbuf *sb, int n)
{
    while (n-- > 0)
        sb_addc(sb, ' ');
}

/* Width of s[from..to) once sanitised. */
static int piece_width(const char *s, size_t from, size_t to)
{
    char *p = xstrndup(s + from, to - from);
    int w = text_width(p);
    free(p);
    return w;
}

/* Append "\n  <line>\n  <spaces>^" for (line, col) of doc; a line wider
 * than the window is cut around the column, with "…" where cut. */
static void quote_line(struct strbuf *sb, const struct ydoc *doc, int line, int col)
{
    size_t start, n;
    if (!doc || !doc->text || !line_span(doc->text, doc->len, line, &start, &n))
        return;
    char *raw = xstrndup(doc->text + start, n);
    char *before = xstrndup(raw, char_offset(raw, strlen(raw), col - 1));
    char *shown = text_sanitize(raw, false);
    char *shown_before = text_sanitize(before, false);
    int caret = text_width(shown_before);
    size_t len = strlen(shown);

    sb_adds(sb, "\n  ");
    if (text_width(shown) <= LINE_WINDOW) {
        sb_adds(sb, shown);
    } else {
        size_t pos = 0;
        if (caret > LINE_WINDOW * 2 / 3) {
            int dropped = 0;
            while (pos < len && caret - dropped > LINE_WINDOW / 3) {
                size_t next = text_next_char(shown, len, pos);
                dropped += piece_width(shown, pos, next);
                pos = next;
            }
            sb_adds(sb, "…");
            caret = caret - dropped + 1;
        }
        text_fit(sb, shown + pos, LINE_WINDOW - (pos ? 1 : 0), false);
    }
    sb_adds(sb, "\n  ");
    add_spaces(sb, caret);
    sb_addc(sb, '^');
    free(raw);
    free(before);
    free(shown);
    free(shown_before);
}

/* Copy sb into err without cutting a UTF-8 character in two. */
static int set_error(struct cchc_err *err, struct strbuf *sb)
{
    const char *s = sb_str(sb);
    size_t n = sb->len, max = sizeof err->msg - 1;
    if (n > max) {
        n = max;
        while (n > 0 && !utf8_lead((unsigned char)s[n]))
            n--;
    }
    err_set(err, CCHC_EUSAGE, "%.*s", (int)n, s);
    return CCHC_EUSAGE;
}

static int vyerr_at(struct cchc_err *err, const struct ydoc *doc, int line, int col,
                    const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));
static int vyerr_at(struct cchc_err *err, const struct ydoc *doc, int line, int col,
                    const char *fmt, va_list ap)
{
    struct strbuf msg = {0}, out = {0};
    sb_vaddf(&msg, fmt, ap);
    char *path = text_sanitize(doc && doc->path ? doc->path : "(yaml)", false);
    char *clean = text_sanitize(sb_str(&msg), false);
    if (line > 0) {
        sb_addf(&out, "%s:%d:%d: %s", path, line, col > 0 ? col : 1, clean);
        quote_line(&out, doc, line, col > 0 ? col : 1);
    } else {
        sb_addf(&out, "%s: %s", path, clean);
    }
    if (err)
        set_error(err, &out);
    free(path);
    free(clean);
    sb_free(&msg);
    sb_free(&out);
    return CCHC_EUSAGE;
}

int yerr_at(struct cchc_err *err, const struct ydoc *doc, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vyerr_at(err, doc, line, col, fmt, ap);
    va_end(ap);
    return CCHC_EUSAGE;
}

int yerr(struct cchc_err *err, const struct ydoc *doc, const struct ynode *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vyerr_at(err, doc, n ? n->line : 0, n ? n->col : 0, fmt, ap);
    va_end(ap);
    return CCHC_EUSAGE;
}

/* "a mapping", "a list", "an empty value", "'text'" for messages; long
 * texts are cut (at a character boundary) so that the line stays short. */
static const char *describe(const struct ynode *n, char *buf, size_t size)
{
    if (!n)
        return "nothing";
    if (n->type == YN_MAP)
        return "a mapping";
    if (n->type == YN_SEQ)
        return "a list";
    if (n->null)
        return "an empty value";
    size_t len = strlen(n->str), max = 40;
    if (len > max) {
        while (max > 0 && !utf8_lead((unsigned char)n->str[max]))
            max--;
    }
    snprintf(buf, size, "%s'%.*s%s'", n->quoted ? "the quoted text " : "",
             (int)(len > max ? max : len), n->str, len > max ? "…" : "");
    return buf;
}

/* ---- the tree ------------------------------------------------------------ */

static void node_free(struct ynode *n)
{
    if (!n)
        return;
    if (n->type == YN_SEQ) {
        for (size_t i = 0; i < n->n; i++)
            node_free(n->items[i]);
    } else if (n->type == YN_MAP) {
        for (size_t i = 0; i < n->n; i++) {
            node_free(n->pairs[i].key);
            node_free(n->pairs[i].val);
        }
    }
    free(n->items);
    free(n->pairs);
    free(n->str);
    free(n);
}

static struct ynode *node_new(enum ynode_type type, const yaml_mark_t *m)
{
    struct ynode *n = xcalloc(1, sizeof *n);
    n->type = type;
    n->line = mark_line(m);
    n->col = mark_col(m);
    return n;
}

struct builder {
    yaml_parser_t parser;
    struct ydoc *doc;
    struct cchc_err *err;
};

/* libyaml's own complaint (tabs, bad indentation, unclosed brackets, bad
 * UTF-8), at its mark. */
static int parser_error(struct builder *b)
{
    const yaml_parser_t *p = &b->parser;
    const char *problem = p->problem ? p->problem : "malformed YAML";
    if (p->error == YAML_MEMORY_ERROR)
        return err_set(b->err, CCHC_ERUNTIME, "%s: out of memory while reading YAML", b->doc->path);
    if (p->error == YAML_READER_ERROR) {
        int line, col;
        offset_position(b->doc->text, b->doc->len, p->problem_offset, &line, &col);
        if (p->problem_value >= 0)
            return yerr_at(b->err, b->doc, line, col, "%s (byte 0x%02X): the file must be UTF-8",
                           problem, (unsigned)p->problem_value);
        return yerr_at(b->err, b->doc, line, col, "%s", problem);
    }
    int line = mark_line(&p->problem_mark), col = mark_col(&p->problem_mark);
    size_t start, n;
    if (line_span(b->doc->text, b->doc->len, line, &start, &n)) {
        size_t at = char_offset(b->doc->text + start, n, col - 1);
        if (at < n && b->doc->text[start + at] == '\t')
            return yerr_at(b->err, b->doc, line, col,
                           "a tab character: YAML is indented with spaces only");
    }
    if (p->context && (p->context_mark.line != p->problem_mark.line ||
                       p->context_mark.column != p->problem_mark.column))
        return yerr_at(b->err, b->doc, line, col, "%s (%s begun at line %d, column %d)", problem,
                       p->context, mark_line(&p->context_mark), mark_col(&p->context_mark));
    return yerr_at(b->err, b->doc, line, col, "%s", problem);
}

static int next_event(struct builder *b, yaml_event_t *ev)
{
    if (!yaml_parser_parse(&b->parser, ev))
        return parser_error(b);
    return CCHC_OK;
}

/* The tag as the user wrote it: "!!str" rather than "tag:yaml.org,2002:str". */
static void tag_text(const yaml_char_t *tag, char *buf, size_t size)
{
    static const char core[] = "tag:yaml.org,2002:";
    const char *t = (const char *)tag;
    if (strncmp(t, core, sizeof core - 1) == 0)
        snprintf(buf, size, "!!%s", t + sizeof core - 1);
    else
        snprintf(buf, size, "%s", t);
}

static int check_props(struct builder *b, const yaml_event_t *ev, const yaml_char_t *anchor,
                       const yaml_char_t *tag)
{
    int line = mark_line(&ev->start_mark), col = mark_col(&ev->start_mark);
    char buf[64];
    if (anchor)
        return yerr_at(b->err, b->doc, line, col,
                       "anchors (&%s) are not allowed: write each value out in full", anchor);
    if (tag) {
        tag_text(tag, buf, sizeof buf);
        return yerr_at(b->err, b->doc, line, col,
                       "tags (%s) are not allowed: write the plain value", buf);
    }
    return CCHC_OK;
}

static bool is_null_word(const char *s)
{
    return !*s || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 || strcmp(s, "Null") == 0 ||
           strcmp(s, "NULL") == 0;
}

static int build(struct builder *b, yaml_event_t *ev, int depth, struct ynode **out);

static int build_scalar(struct builder *b, const yaml_event_t *ev, struct ynode **out)
{
    const char *v = (const char *)ev->data.scalar.value;
    size_t len = ev->data.scalar.length;
    if (memchr(v, '\0', len))
        return yerr_at(b->err, b->doc, mark_line(&ev->start_mark), mark_col(&ev->start_mark),
                       "a NUL character is not allowed in a value");
    struct ynode *n = node_new(YN_SCALAR, &ev->start_mark);
    n->str = text_nfc(v, len);
    n->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
    n->null = !n->quoted && is_null_word(n->str);
    *out = n;
    return CCHC_OK;
}

static int build_seq(struct builder *b, struct ynode *seq, int depth)
{
    size_t cap = 0;
    for (;;) {
        yaml_event_t ev;
        struct ynode *item;
        if (next_event(b, &ev))
            return CCHC_EUSAGE;
        if (ev.type == YAML_SEQUENCE_END_EVENT) {
            yaml_event_delete(&ev);
            return CCHC_OK;
        }
        if (build(b, &ev, depth + 1, &item))
            return CCHC_EUSAGE;
        if (seq->n == cap) {
            cap = cap ? cap * 2 : 4;
            seq->items = xrealloc(seq->items, cap * sizeof *seq->items);
        }
        seq->items[seq->n++] = item;
    }
}

static int add_pair(struct builder *b, struct ynode *map, struct ynode *key, size_t *cap, int depth)
{
    yaml_event_t ev;
    struct ynode *val;
    if (key->type != YN_SCALAR || key->null) {
        char buf[80];
        int r = yerr(b->err, b->doc, key, "a key must be a plain name, not %s",
                     describe(key, buf, sizeof buf));
        node_free(key);
        return r;
    }
    for (size_t i = 0; i < map->n; i++) {
        if (strcmp(map->pairs[i].key->str, key->str) == 0) {
            int r = yerr(b->err, b->doc, key, "duplicate key '%s' (first given at line %d)",
                         key->str, map->pairs[i].key->line);
            node_free(key);
            return r;
        }
    }
    if (next_event(b, &ev) || build(b, &ev, depth + 1, &val)) {
        node_free(key);
        return CCHC_EUSAGE;
    }
    if (map->n == *cap) {
        *cap = *cap ? *cap * 2 : 4;
        map->pairs = xrealloc(map->pairs, *cap * sizeof *map->pairs);
    }
    map->pairs[map->n++] = (struct ypair){key, val};
    return CCHC_OK;
}

static int build_map(struct builder *b, struct ynode *map, int depth)
{
    size_t cap = 0;
    for (;;) {
        yaml_event_t ev;
        struct ynode *key;
        if (next_event(b, &ev))
            return CCHC_EUSAGE;
        if (ev.type == YAML_MAPPING_END_EVENT) {
            yaml_event_delete(&ev);
            return CCHC_OK;
        }
        if (build(b, &ev, depth + 1, &key) || add_pair(b, map, key, &cap, depth))
            return CCHC_EUSAGE;
    }
}

/* Build the node that ev starts; takes ownership of ev. */
static int build(struct builder *b, yaml_event_t *ev, int depth, struct ynode **out)
{
    int r = CCHC_OK;
    struct ynode *n = NULL;
    int line = mark_line(&ev->start_mark), col = mark_col(&ev->start_mark);
    *out = NULL;
    switch (ev->type) {
    case YAML_ALIAS_EVENT:
        r = yerr_at(b->err, b->doc, line, col,
                    "aliases (*%s) are not allowed: write each value out in full",
                    ev->data.alias.anchor);
        break;
    case YAML_SCALAR_EVENT:
        r = check_props(b, ev, ev->data.scalar.anchor, ev->data.scalar.tag);
        if (!r)
            r = build_scalar(b, ev, &n);
        break;
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT: {
        bool seq = ev->type == YAML_SEQUENCE_START_EVENT;
        r = seq ? check_props(b, ev, ev->data.sequence_start.anchor, ev->data.sequence_start.tag)
                : check_props(b, ev, ev->data.mapping_start.anchor, ev->data.mapping_start.tag);
        if (!r && depth >= MAX_DEPTH)
            r = yerr_at(b->err, b->doc, line, col, "nested more than %d levels deep", MAX_DEPTH);
        if (r)
            break;
        n = node_new(seq ? YN_SEQ : YN_MAP, &ev->start_mark);
        yaml_event_delete(ev);
        r = seq ? build_seq(b, n, depth) : build_map(b, n, depth);
        if (r) {
            node_free(n);
            return r;
        }
        *out = n;
        return CCHC_OK;
    }
    default:
        r = yerr_at(b->err, b->doc, line, col, "unexpected YAML structure");
        break;
    }
    yaml_event_delete(ev);
    if (r) {
        node_free(n);
        return r;
    }
    *out = n;
    return CCHC_OK;
}

/* Expect an event of the given type (libyaml guarantees the order; a
 * mismatch means a libyaml we do not understand). */
static int expect(struct builder *b, yaml_event_type_t type, yaml_event_t *ev)
{
    if (next_event(b, ev))
        return CCHC_EUSAGE;
    if (ev->type != type) {
        int r = yerr_at(b->err, b->doc, mark_line(&ev->start_mark), mark_col(&ev->start_mark),
                        "unexpected YAML structure");
        yaml_event_delete(ev);
        return r;
    }
    return CCHC_OK;
}

/* STREAM-START [DOCUMENT-START node DOCUMENT-END] STREAM-END, and no second
 * document. */
static int build_doc(struct builder *b)
{
    yaml_event_t ev;
    if (expect(b, YAML_STREAM_START_EVENT, &ev))
        return CCHC_EUSAGE;
    yaml_event_delete(&ev);
    if (next_event(b, &ev))
        return CCHC_EUSAGE;
    if (ev.type == YAML_STREAM_END_EVENT) { /* nothing but comments */
        yaml_event_delete(&ev);
        return CCHC_OK;
    }
    yaml_event_delete(&ev); /* DOCUMENT-START */
    if (next_event(b, &ev) || build(b, &ev, 0, &b->doc->root))
        return CCHC_EUSAGE;
    if (expect(b, YAML_DOCUMENT_END_EVENT, &ev))
        return CCHC_EUSAGE;
    yaml_event_delete(&ev);
    if (next_event(b, &ev))
        return CCHC_EUSAGE;
    if (ev.type == YAML_DOCUMENT_START_EVENT) {
        int r = yerr_at(b->err, b->doc, mark_line(&ev.start_mark), mark_col(&ev.start_mark),
                        "a second document: one file holds one document (remove the '---')");
        yaml_event_delete(&ev);
        return r;
    }
    yaml_event_delete(&ev);
    return CCHC_OK;
}

int ydoc_parse(struct ydoc *doc, const char *path, const char *text, size_t len,
               struct cchc_err *err)
{
    struct builder b = {.doc = doc, .err = err};
    *doc = (struct ydoc){0};
    doc->path = xstrdup(path ? path : "(yaml)");
    doc->text = xmalloc(len + 1);
    if (len)
        memcpy(doc->text, text, len);
    doc->text[len] = '\0';
    doc->len = len;
    if (!yaml_parser_initialize(&b.parser)) {
        ydoc_free(doc);
        return err_set(err, CCHC_ERUNTIME, "%s: cannot start the YAML parser", path);
    }
    yaml_parser_set_input_string(&b.parser, (const unsigned char *)doc->text, len);
    yaml_parser_set_encoding(&b.parser, YAML_UTF8_ENCODING);
    int r = build_doc(&b);
    yaml_parser_delete(&b.parser);
    if (r) {
        ydoc_free(doc);
        return r;
    }
    return CCHC_OK;
}

int ydoc_load(struct ydoc *doc, const char *path, struct cchc_err *err)
{
    struct stat st;
    struct strbuf sb = {0};
    char chunk[65536];
    size_t got;
    *doc = (struct ydoc){0};
    FILE *f = fopen(path, "rb");
    if (!f)
        return err_set(err, CCHC_EUSAGE, "%s: cannot read: %s", path, strerror(errno));
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(f);
        return err_set(err, CCHC_EUSAGE, "%s: cannot read: it is a folder", path);
    }
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (sb.len + got > MAX_FILE) {
            fclose(f);
            sb_free(&sb);
            return err_set(err, CCHC_EUSAGE, "%s: too large for a YAML file", path);
        }
        sb_add(&sb, chunk, got);
    }
    int failed = ferror(f);
    int saved = errno;
    fclose(f);
    if (failed) {
        sb_free(&sb);
        return err_set(err, CCHC_EUSAGE, "%s: cannot read: %s", path, strerror(saved));
    }
    int r = ydoc_parse(doc, path, sb_str(&sb), sb.len, err);
    sb_free(&sb);
    return r;
}

void ydoc_free(struct ydoc *doc)
{
    if (!doc)
        return;
    node_free(doc->root);
    free(doc->path);
    free(doc->text);
    *doc = (struct ydoc){0};
}

/* ---- lookups and suggestions ------------------------------------------- */

const struct ynode *ymap_get(const struct ynode *map, const char *key)
{
    const struct ynode *k = ymap_get_key(map, key);
    if (!k)
        return NULL;
    for (size_t i = 0; i < map->n; i++)
        if (map->pairs[i].key == k)
            return map->pairs[i].val;
    return NULL;
}

const struct ynode *ymap_get_key(const struct ynode *map, const char *key)
{
    if (!map || map->type != YN_MAP || !key)
        return NULL;
    for (size_t i = 0; i < map->n; i++)
        if (strcmp(map->pairs[i].key->str, key) == 0)
            return map->pairs[i].key;
    return NULL;
}

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int min3(int a, int b, int c)
{
    int m = a < b ? a : b;
    return m < c ? m : c;
}

/* Edit distance where a swap of neighbours counts as one edit ("wieght" is
 * one edit from "weight"); ASCII case is ignored. Words are short. */
static int edit_distance(const char *a, const char *b)
{
    enum { MAXW = 64 };
    int la = (int)strlen(a), lb = (int)strlen(b);
    static int d[MAXW + 1][MAXW + 1];
    if (la > MAXW || lb > MAXW)
        return INT_MAX;
    for (int i = 0; i <= la; i++)
        d[i][0] = i;
    for (int j = 0; j <= lb; j++)
        d[0][j] = j;
    for (int i = 1; i <= la; i++) {
        for (int j = 1; j <= lb; j++) {
            int cost = lower((unsigned char)a[i - 1]) != lower((unsigned char)b[j - 1]);
            d[i][j] = min3(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 &&
                lower((unsigned char)a[i - 1]) == lower((unsigned char)b[j - 2]) &&
                lower((unsigned char)a[i - 2]) == lower((unsigned char)b[j - 1]) &&
                d[i - 2][j - 2] + 1 < d[i][j])
                d[i][j] = d[i - 2][j - 2] + 1;
        }
    }
    return d[la][lb];
}

const char *yclosest(const char *word, const char *const *cands, size_t n)
{
    if (!word || !*word)
        return NULL;
    size_t len = strlen(word);
    int limit = len <= 3 ? 1 : len <= 6 ? 2 : 3;
    const char *best = NULL;
    int best_d = INT_MAX;
    for (size_t i = 0; i < n; i++) {
        if (!cands[i])
            continue;
        int dist = edit_distance(word, cands[i]);
        if (dist < best_d) {
            best_d = dist;
            best = cands[i];
        }
    }
    return best && best_d <= limit && (size_t)best_d < len ? best : NULL;
}

/* ---- typed scalar readers ----------------------------------------------- */

static int want_scalar(const struct ydoc *d, const struct ynode *n, const char *what,
                       struct cchc_err *err)
{
    char buf[80];
    if (!n)
        return yerr(err, d, NULL, "expected %s, found nothing", what);
    if (n->type != YN_SCALAR || n->null)
        return yerr(err, d, n, "expected %s, found %s", what, describe(n, buf, sizeof buf));
    return CCHC_OK;
}

int yread_str(const struct ydoc *d, const struct ynode *n, char **out, struct cchc_err *err)
{
    if (want_scalar(d, n, "a text", err))
        return CCHC_EUSAGE;
    *out = xstrdup(n->str);
    return CCHC_OK;
}

/* Only plain scalars are numbers: "5" in quotes is a text. */
static int want_plain(const struct ydoc *d, const struct ynode *n, const char *what,
                      struct cchc_err *err)
{
    char buf[80];
    if (want_scalar(d, n, what, err))
        return CCHC_EUSAGE;
    if (n->quoted)
        return yerr(err, d, n, "expected %s, found %s (remove the quotes)", what,
                    describe(n, buf, sizeof buf));
    return CCHC_OK;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

int yread_int(const struct ydoc *d, const struct ynode *n, long *out, struct cchc_err *err)
{
    char buf[80];
    if (want_plain(d, n, "a whole number", err))
        return CCHC_EUSAGE;
    const char *s = n->str + (n->str[0] == '+' || n->str[0] == '-');
    bool ok = *s != '\0';
    for (; *s; s++)
        ok = ok && is_digit(*s);
    if (!ok)
        return yerr(err, d, n, "expected a whole number, found %s", describe(n, buf, sizeof buf));
    errno = 0;
    long v = strtol(n->str, NULL, 10);
    if (errno == ERANGE)
        return yerr(err, d, n, "the number %s is out of range", n->str);
    *out = v;
    return CCHC_OK;
}

/* [+-] (digits [. digits] | . digits) [e [+-] digits]: no hex, no inf, no nan. */
static bool decimal_syntax(const char *s)
{
    int mant = 0;
    if (*s == '+' || *s == '-')
        s++;
    while (is_digit(*s))
        s++, mant++;
    if (*s == '.')
        for (s++; is_digit(*s); s++)
            mant++;
    if (!mant)
        return false;
    if (*s == 'e' || *s == 'E') {
        int exp = 0;
        s++;
        if (*s == '+' || *s == '-')
            s++;
        while (is_digit(*s))
            s++, exp++;
        if (!exp)
            return false;
    }
    return *s == '\0';
}

/* strtod in the C locale: a Vietnamese LC_NUMERIC would read "0.5" as 0. */
static double c_strtod(const char *s)
{
    static locale_t c_locale;
    if (!c_locale)
        c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    if (!c_locale)
        return strtod(s, NULL);
    locale_t old = uselocale(c_locale);
    double v = strtod(s, NULL);
    uselocale(old);
    return v;
}

int yread_double(const struct ydoc *d, const struct ynode *n, double *out, struct cchc_err *err)
{
    char buf[80];
    if (want_plain(d, n, "a number", err))
        return CCHC_EUSAGE;
    if (!decimal_syntax(n->str))
        return yerr(err, d, n, "expected a number, found %s", describe(n, buf, sizeof buf));
    errno = 0;
    double v = c_strtod(n->str);
    if (errno == ERANGE || !isfinite(v))
        return yerr(err, d, n, "the number %s is out of range", n->str);
    *out = v;
    return CCHC_OK;
}

int yread_bool(const struct ydoc *d, const struct ynode *n, bool *out, struct cchc_err *err)
{
    static const char *const yes[] = {"true", "True", "TRUE"}, *const no[] = {"false", "False",
                                                                              "FALSE"};
    char buf[80];
    if (want_plain(d, n, "true or false", err))
        return CCHC_EUSAGE;
    for (size_t i = 0; i < 3; i++) {
        if (strcmp(n->str, yes[i]) == 0 || strcmp(n->str, no[i]) == 0) {
            *out = strcmp(n->str, yes[i]) == 0;
            return CCHC_OK;
        }
    }
    return yerr(err, d, n, "expected true or false, found %s", describe(n, buf, sizeof buf));
}

int yread_date(const struct ydoc *d, const struct ynode *n, cchc_date *out, struct cchc_err *err)
{
    char buf[80];
    if (want_scalar(d, n, "a date (YYYY-MM-DD)", err))
        return CCHC_EUSAGE;
    if (!date_parse(n->str, out))
        return yerr(err, d, n, "expected a date as YYYY-MM-DD, found %s",
                    describe(n, buf, sizeof buf));
    return CCHC_OK;
}

/* "a, b or c" */
static void add_choices(struct strbuf *sb, const char *const *names)
{
    for (size_t i = 0; names[i]; i++) {
        if (i)
            sb_adds(sb, names[i + 1] ? ", " : " or ");
        sb_adds(sb, names[i]);
    }
}

int yread_enum(const struct ydoc *d, const struct ynode *n, const char *const *names, int *out,
               struct cchc_err *err)
{
    struct strbuf sb = {0};
    char buf[80];
    size_t count = 0;
    while (names[count])
        count++;
    if (n && n->type == YN_SCALAR && !n->null) {
        for (size_t i = 0; i < count; i++) {
            if (strcmp(n->str, names[i]) == 0) {
                *out = (int)i;
                return CCHC_OK;
            }
        }
    }
    sb_adds(&sb, "expected ");
    add_choices(&sb, names);
    sb_addf(&sb, ", found %s", describe(n, buf, sizeof buf));
    const char *near = n && n->type == YN_SCALAR ? yclosest(n->str, names, count) : NULL;
    if (near)
        sb_addf(&sb, " (did you mean '%s'?)", near);
    int r = yerr(err, d, n, "%s", sb_str(&sb));
    sb_free(&sb);
    return r;
}

static void free_strv(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

int yread_strv(const struct ydoc *d, const struct ynode *n, char ***out, size_t *count,
               struct cchc_err *err)
{
    char buf[80];
    *out = NULL;
    *count = 0;
    if (!n || n->type != YN_SEQ)
        return yerr(err, d, n, "expected a list such as [a, b], found %s",
                    describe(n, buf, sizeof buf));
    if (!n->n)
        return CCHC_OK;
    char **v = xcalloc(n->n, sizeof *v);
    for (size_t i = 0; i < n->n; i++) {
        if (yread_str(d, n->items[i], &v[i], err)) {
            free_strv(v, i);
            return CCHC_EUSAGE;
        }
    }
    *out = v;
    *count = n->n;
    return CCHC_OK;
}

int yread_seq(const struct ydoc *d, const struct ynode *n, size_t elem_size, void **out,
              size_t *count,
              int (*read)(const struct ydoc *d, const struct ynode *item, void *elem, void *ctx,
                          struct cchc_err *err),
              void *ctx, struct cchc_err *err)
{
    char buf[80];
    *out = NULL;
    *count = 0;
    if (!n || n->type != YN_SEQ)
        return yerr(err, d, n, "expected a list (lines starting with '- '), found %s",
                    describe(n, buf, sizeof buf));
    if (!n->n)
        return CCHC_OK;
    char *v = xcalloc(n->n, elem_size);
    *out = v;
    *count = n->n;
    for (size_t i = 0; i < n->n; i++)
        if (read(d, n->items[i], v + i * elem_size, ctx, err))
            return CCHC_EUSAGE;
    return CCHC_OK;
}

/* ---- table-driven mapping ----------------------------------------------- */

static int unknown_key(const struct ydoc *d, const struct ynode *key, const struct yfield *fields,
                       size_t nf, struct cchc_err *err)
{
    const char **names = xcalloc(nf + 1, sizeof *names);
    for (size_t i = 0; i < nf; i++)
        names[i] = fields[i].key;
    const char *near = yclosest(key->str, names, nf);
    struct strbuf sb = {0};
    sb_addf(&sb, "unknown key '%s'", key->str);
    if (near) {
        sb_addf(&sb, " (did you mean '%s'?)", near);
    } else if (nf) {
        sb_adds(&sb, " (expected ");
        add_choices(&sb, names);
        sb_adds(&sb, ")");
    }
    int r = yerr(err, d, key, "%s", sb_str(&sb));
    sb_free(&sb);
    free(names);
    return r;
}

static int read_field(const struct ydoc *d, const struct yfield *f, const struct ynode *v,
                      void *dst, void *ctx, struct cchc_err *err)
{
    long l;
    switch (f->type) {
    case YF_STR:
        return yread_str(d, v, dst, err);
    case YF_INT:
        return yread_int(d, v, dst, err);
    case YF_SMALLINT:
        if (yread_int(d, v, &l, err))
            return CCHC_EUSAGE;
        if (l < INT_MIN || l > INT_MAX)
            return yerr(err, d, v, "the number %ld is out of range", l);
        *(int *)dst = (int)l;
        return CCHC_OK;
    case YF_DOUBLE:
        return yread_double(d, v, dst, err);
    case YF_BOOL:
        return yread_bool(d, v, dst, err);
    case YF_DATE:
        return yread_date(d, v, dst, err);
    case YF_ENUM:
        return yread_enum(d, v, f->names, dst, err);
    case YF_CUSTOM:
        return f->read(d, v, dst, ctx, err);
    }
    return yerr(err, d, v, "internal error: unknown field type for '%s'", f->key);
}

int ymap_read(const struct ydoc *d, const struct ynode *map, const struct yfield *fields, void *dst,
              void *ctx, struct cchc_err *err)
{
    char buf[80];
    size_t nf = 0;
    if (!map)
        return yerr(err, d, NULL, "expected a mapping (key: value lines), found an empty file");
    if (map->type != YN_MAP)
        return yerr(err, d, map, "expected a mapping (key: value lines), found %s",
                    describe(map, buf, sizeof buf));
    while (fields[nf].key)
        nf++;
    bool *seen = xcalloc(nf + 1, sizeof *seen);
    int r = CCHC_OK;
    for (size_t i = 0; i < map->n && !r; i++) {
        const struct ypair *p = &map->pairs[i];
        size_t k = 0;
        while (k < nf && strcmp(fields[k].key, p->key->str) != 0)
            k++;
        if (k == nf) {
            r = unknown_key(d, p->key, fields, nf, err);
            break;
        }
        seen[k] = true;
        if (fields[k].type != YF_CUSTOM && p->val->type == YN_SCALAR && p->val->null)
            r = yerr(err, d, p->val, "'%s' is empty: give it a value or remove the key",
                     fields[k].key);
        else
            r = read_field(d, &fields[k], p->val, (char *)dst + fields[k].offset, ctx, err);
    }
    for (size_t k = 0; k < nf && !r; k++)
        if (fields[k].required && !seen[k])
            r = yerr(err, d, map, "missing key '%s'", fields[k].key);
    free(seen);
    return r;
}
