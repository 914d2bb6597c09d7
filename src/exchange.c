/* exchange.c — export, import of an export file, and backups (exchange.h).
 *
 * What it owns: the export (every kind of record, as YAML, JSON or CSV),
 * what only an export file holds (its version; notes with their history,
 * checklist results, recommendations) and the import's dealings with a
 * database that may already hold records. Units, commitments, visits and
 * results are read, checked and written by datafmt.c, the same code that
 * reads the data/ folder for `cchc init` (import.c).
 *
 * Export reads every record through the model's lists, in an order that
 * depends only on the data (units by id with each parent before its
 * children, commitments by id with items by number, visits by year, date and
 * id, results by index of the configuration, year and id, notes oldest
 * first), so that importing an export into an empty database and exporting
 * again gives the same bytes. YAML and JSON come from one small emitter so
 * that both carry exactly the same tree; strings are written double-quoted
 * (or plain when that cannot be misread), with every character YAML would
 * refuse escaped, so the YAML reader (yaml.c, libyaml) reads both.
 *
 * Import maps the file with the table-driven mapper of yaml.h, checks what
 * the mapper cannot (codes, references to the file and to the database,
 * the configuration), then writes everything in one model_write. Every
 * problem goes to the list of datafmt.h and the reading and the checks go
 * on, so that all the problems of a file are named at once; only text that
 * is not YAML, or of another format version, ends the reading. With
 * XI_FINDINGS the file is a data folder's findings.yaml, read by `cchc
 * init` into the database it has just built: notes, checklist results and
 * recommendations of the visits the database has. Nothing here touches
 * LMDB: the backup copy is the model's.
 */
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cchc/config.h"
#include "cchc/datafmt.h"
#include "cchc/domain.h"
#include "cchc/exchange.h"
#include "cchc/model.h"
#include "cchc/recording.h"
#include "cchc/results.h"
#include "cchc/store.h" /* STORE_RDONLY for model_open, nothing else */
#include "cchc/yaml.h"

#define FORMAT_VERSION 1
#define WINDOW         256

static const char *const kind_names[XK_COUNT] = {
    [XK_UNITS] = "units",   [XK_COMMITMENTS] = "commitments",
    [XK_VISITS] = "visits", [XK_RESULTS] = "results",
    [XK_NOTES] = "notes",   [XK_CHECKS] = "checks",
    [XK_RECS] = "recs",
};

int xformat_parse(const char *s)
{
    static const char *const names[] = {"yaml", "json", "csv"};
    for (int i = 0; i < 3; i++)
        if (s && strcmp(s, names[i]) == 0)
            return i;
    return -1;
}

int xkind_parse(const char *s)
{
    for (int k = XK_UNITS; k < XK_COUNT; k++)
        if (s && strcmp(s, kind_names[k]) == 0)
            return k;
    return -1;
}

const char *xkind_name(enum xkind k)
{
    return k > XK_ALL && k < XK_COUNT ? kind_names[k] : NULL;
}

/* ---- the emitter: one tree, written as block YAML or as JSON ----
 * Each open mapping or list is a frame. A YAML mapping that is an item of a
 * list writes its first key on the "- " line; JSON indents by two. */

struct frame {
    bool seq;
    bool inline_first; /* YAML: a mapping whose first key follows "- " */
    int indent;
    size_t n;
};

struct emit {
    struct strbuf *sb;
    bool json;
    int depth;
    struct frame f[12];
};

static void indent_to(struct strbuf *sb, int n)
{
    for (int i = 0; i < n; i++)
        sb_addc(sb, ' ');
}

/* Whatever comes before a value: a list item's "- " or JSON comma. */
static void em_value_prefix(struct emit *e)
{
    struct frame *t = &e->f[e->depth];
    if (!t->seq)
        return;
    if (e->json) {
        sb_adds(e->sb, t->n ? ",\n" : "\n");
        indent_to(e->sb, t->indent);
    } else {
        sb_addc(e->sb, '\n');
        indent_to(e->sb, t->indent);
        sb_adds(e->sb, "- ");
    }
    t->n++;
}

static void em_key(struct emit *e, const char *key)
{
    struct frame *t = &e->f[e->depth];
    if (e->json) {
        sb_adds(e->sb, t->n ? ",\n" : "\n");
        indent_to(e->sb, t->indent);
        sb_addf(e->sb, "\"%s\":", key);
    } else {
        if (!(t->inline_first && t->n == 0) && e->sb->len > 0) {
            sb_addc(e->sb, '\n');
            indent_to(e->sb, t->indent);
        }
        sb_addf(e->sb, "%s:", key);
    }
    t->n++;
}

/* A scalar already formatted (quoted or plain). */
static void em_raw(struct emit *e, const char *text)
{
    if (!e->f[e->depth].seq)
        sb_addc(e->sb, ' ');
    em_value_prefix(e);
    sb_adds(e->sb, text);
}

static void em_open(struct emit *e, bool seq)
{
    struct frame *parent = &e->f[e->depth];
    bool in_seq = parent->seq;
    em_value_prefix(e);
    if (e->json)
        sb_adds(e->sb, in_seq ? (seq ? "[" : "{") : (seq ? " [" : " {"));
    if (e->depth + 1 >= (int)(sizeof e->f / sizeof e->f[0]))
        abort(); /* the export tree is never this deep */
    struct frame *f = &e->f[++e->depth];
    f->seq = seq;
    f->n = 0;
    f->inline_first = !e->json && in_seq && !seq;
    f->indent = parent->indent + 2;
}

static void em_close(struct emit *e)
{
    struct frame *f = &e->f[e->depth--];
    bool after_key = !e->f[e->depth].seq;
    if (e->json) {
        if (f->n) {
            sb_addc(e->sb, '\n');
            indent_to(e->sb, f->indent - 2);
        }
        sb_addc(e->sb, f->seq ? ']' : '}');
    } else if (f->n == 0) {
        sb_adds(e->sb, after_key ? (f->seq ? " []" : " {}") : (f->seq ? "[]" : "{}"));
    }
}

static void em_begin(struct emit *e, struct strbuf *sb, bool json)
{
    memset(e, 0, sizeof *e);
    e->sb = sb;
    e->json = json;
    e->f[0].indent = json ? 2 : 0;
    if (json)
        sb_addc(sb, '{');
}

static void em_end(struct emit *e)
{
    sb_adds(e->sb, e->json ? "\n}\n" : "\n");
}

/* One UTF-8 sequence at s: its length (1 for a bad byte) and code point
 * (0xFFFD for a bad byte). */
static size_t utf8_next(const unsigned char *s, uint32_t *cp)
{
    uint32_t c = s[0];
    size_t len = c < 0x80                ? 1
                 : c >= 0xC2 && c < 0xE0 ? 2
                 : c >= 0xE0 && c < 0xF0 ? 3
                 : c >= 0xF0 && c < 0xF5 ? 4
                                         : 0;
    if (len == 0) {
        *cp = 0xFFFD;
        return 1;
    }
    if (len == 1) {
        *cp = c;
        return 1;
    }
    c &= 0x7F >> len;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *cp = 0xFFFD;
            return 1;
        }
        c = (c << 6) | (s[i] & 0x3F);
    }
    static const uint32_t least[] = {0, 0, 0x80, 0x800, 0x10000};
    if (c < least[len] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
        *cp = 0xFFFD;
        return 1;
    }
    *cp = c;
    return len;
}

/* What YAML 1.1 allows unescaped in a double-quoted scalar (c-printable,
 * minus the tab and line breaks we escape anyway). */
static bool yaml_printable(uint32_t c)
{
    return (c >= 0x20 && c <= 0x7E) || c == 0x85 || (c >= 0xA0 && c <= 0xD7FF) ||
           (c >= 0xE000 && c <= 0xFFFD && c != 0xFEFF) || (c >= 0x10000 && c <= 0x10FFFF);
}

/* A double-quoted string, valid both as YAML and as JSON. */
static void add_quoted(struct strbuf *sb, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    sb_addc(sb, '"');
    while (*p) {
        uint32_t c;
        size_t len = utf8_next(p, &c);
        if (c == '"' || c == '\\') {
            sb_addc(sb, '\\');
            sb_addc(sb, (char)c);
        } else if (c == '\n') {
            sb_adds(sb, "\\n");
        } else if (c == '\t') {
            sb_adds(sb, "\\t");
        } else if (c == '\r') {
            sb_adds(sb, "\\r");
        } else if (!yaml_printable(c) || (c == 0xFFFD && len == 1 && *p != 0xEF)) {
            sb_addf(sb, "\\u%04X", c > 0xFFFF ? 0xFFFD : c);
        } else {
            sb_add(sb, p, len);
        }
        p += len;
    }
    sb_addc(sb, '"');
}

/* Plain YAML is kept for codes and names of values: ASCII letters first,
 * then letters, digits, '.', '_', '-'; never a word YAML reads as a null
 * or a boolean. */
static bool plain_ok(const char *s)
{
    static const char *const words[] = {"null", "true", "false", "yes", "no", "on",
                                        "off",  "y",    "n",     "nan", "inf"};
    if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z')))
        return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '.' || *p == '_' || *p == '-'))
            return false;
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcasecmp(s, words[i]) == 0)
            return false;
    return true;
}

static void em_str(struct emit *e, const char *key, const char *s)
{
    if (!s)
        return;
    struct strbuf v = {0};
    if (!e->json && plain_ok(s))
        sb_adds(&v, s);
    else
        add_quoted(&v, s);
    em_key(e, key);
    em_raw(e, sb_str(&v));
    sb_free(&v);
}

static void em_item_str(struct emit *e, const char *s)
{
    struct strbuf v = {0};
    if (!e->json && plain_ok(s))
        sb_adds(&v, s);
    else
        add_quoted(&v, s);
    em_raw(e, sb_str(&v));
    sb_free(&v);
}

static void em_long(struct emit *e, const char *key, long v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%ld", v);
    em_key(e, key);
    em_raw(e, buf);
}

/* The shortest decimal that reads back as the same double. */
static void format_double(double v, char *buf, size_t size)
{
    /* Whole numbers as such: the shortest %g of 80 or 100 is "8e+01", "1e+02". */
    if (v == trunc(v) && fabs(v) < 1e15) {
        snprintf(buf, size, "%.0f", v);
        return;
    }
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, size, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    /* a plain "70" would be read as a whole number: fine for yread_double */
}

static void em_double(struct emit *e, const char *key, double v)
{
    char buf[40];
    format_double(v, buf, sizeof buf);
    em_key(e, key);
    em_raw(e, buf);
}

static void em_bool(struct emit *e, const char *key, bool v)
{
    em_key(e, key);
    em_raw(e, v ? "true" : "false");
}

static void em_date(struct emit *e, const char *key, cchc_date d)
{
    char buf[11], q[16];
    if (!d)
        return;
    date_iso(d, buf);
    snprintf(q, sizeof q, e->json ? "\"%s\"" : "%s", buf);
    em_key(e, key);
    em_raw(e, q);
}

/* Times as UTC, ISO 8601: "2022-03-08T03:42:00Z". */
static const char *time_iso(int64_t t, char buf[static 24])
{
    struct tm tm;
    time_t tt = (time_t)t;
    if (!gmtime_r(&tt, &tm) || tm.tm_year + 1900 > 9999 || tm.tm_year + 1900 < 0) {
        snprintf(buf, 24, "%s", "");
        return buf;
    }
    strftime(buf, 24, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

static bool time_parse(const char *s, int64_t *out)
{
    int y, mo, d, h, mi, sec, used = 0;
    if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &y, &mo, &d, &h, &mi, &sec, &used) != 6 ||
        (size_t)used != strlen(s) || strlen(s) != 20)
        return false;
    if (!date_from_ymd(y, mo, d) || h > 23 || mi > 59 || sec > 60 || h < 0 || mi < 0 || sec < 0)
        return false;
    struct tm tm = {.tm_year = y - 1900,
                    .tm_mon = mo - 1,
                    .tm_mday = d,
                    .tm_hour = h,
                    .tm_min = mi,
                    .tm_sec = sec};
    *out = (int64_t)timegm(&tm);
    return true;
}

static void em_time(struct emit *e, const char *key, int64_t t)
{
    char buf[24];
    if (t)
        em_str(e, key, time_iso(t, buf));
}

/* ---- CSV: RFC 4180 ---- */

struct csv {
    struct strbuf *sb;
    size_t col;
};

/* Control characters other than line breaks and tabs would reach a
 * terminal as escape sequences: they become U+FFFD. */
static void csv_field(struct csv *c, const char *s)
{
    if (c->col++)
        sb_addc(c->sb, ',');
    if (!s)
        return;
    bool quote = strpbrk(s, ",\"\r\n") != NULL || (*s == ' ' || (*s && s[strlen(s) - 1] == ' '));
    if (quote)
        sb_addc(c->sb, '"');
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        uint32_t cp;
        size_t len = utf8_next(p, &cp);
        if (cp == '"')
            sb_adds(c->sb, "\"\"");
        else if ((cp < 0x20 && cp != '\n' && cp != '\r' && cp != '\t') ||
                 (cp >= 0x7F && cp < 0xA0) || (cp == 0xFFFD && len == 1))
            sb_adds(c->sb, "\xEF\xBF\xBD");
        else
            sb_add(c->sb, p, len);
        p += len;
    }
    if (quote)
        sb_addc(c->sb, '"');
}

static void csv_long(struct csv *c, long v, bool present)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%ld", v);
    csv_field(c, present ? buf : NULL);
}

static void csv_date(struct csv *c, cchc_date d)
{
    char buf[11];
    csv_field(c, d ? date_iso(d, buf) : NULL);
}

static void csv_end(struct csv *c)
{
    sb_adds(c->sb, "\r\n");
    c->col = 0;
}

static void csv_header(struct csv *c, const char *const *cols)
{
    for (size_t i = 0; cols[i]; i++)
        csv_field(c, cols[i]);
    csv_end(c);
}

/* ---- reading the database for an export ---- */

/* An id and where its record is in an array, sorted by id for lookups. */
struct idref {
    uint64_t id;
    size_t i;
};

static int idref_cmp(const void *pa, const void *pb)
{
    const struct idref *a = pa, *b = pb;
    return a->id < b->id ? -1 : a->id > b->id;
}

static size_t idref_find(const struct idref *v, size_t n, uint64_t id)
{
    struct idref key = {id, 0};
    const struct idref *hit = bsearch(&key, v, n, sizeof *v, idref_cmp);
    return hit ? hit->i : SIZE_MAX;
}

/* Every id of a list, in list order. */
static int list_all(struct model *m, const struct list_query *q, struct idvec *out,
                    struct cchc_err *err)
{
    uint64_t ids[WINDOW];
    size_t pos = 0, got = 0, count = 0;
    do {
        if (model_list(m, q, pos, WINDOW, ids, &got, &count, err) != CCHC_OK)
            return CCHC_ERUNTIME;
        for (size_t i = 0; i < got; i++)
            idvec_push(out, ids[i]);
        pos += got;
    } while (got == WINDOW && pos < count);
    return CCHC_OK;
}

struct xcommitment {
    struct commitment c;
    struct commitment_item *items;
    size_t n_items;
};

/* What an export holds in memory: the records it refers to by code. */
struct xdb {
    struct unit *units; /* by id */
    size_t n_units;
    struct idref *unit_ix;
    struct xcommitment *comms; /* by id */
    size_t n_comms;
    struct idref *item_ix; /* item id -> commitment (i) ; seq in the item */
    struct idref *item_pos;
    size_t n_item_ix;
    struct visit *visits; /* year, date, id */
    size_t n_visits;
    struct idref *visit_ix;
    bool have_comms, have_visits;
};

static void xdb_free(struct xdb *x)
{
    for (size_t i = 0; i < x->n_units; i++)
        unit_free(&x->units[i]);
    for (size_t i = 0; i < x->n_comms; i++) {
        commitment_free(&x->comms[i].c);
        for (size_t j = 0; j < x->comms[i].n_items; j++)
            item_free(&x->comms[i].items[j]);
        free(x->comms[i].items);
    }
    for (size_t i = 0; i < x->n_visits; i++)
        visit_free(&x->visits[i]);
    free(x->units);
    free(x->unit_ix);
    free(x->comms);
    free(x->item_ix);
    free(x->item_pos);
    free(x->visits);
    free(x->visit_ix);
    memset(x, 0, sizeof *x);
}

static struct idref *make_index(size_t n, const void *recs, size_t size)
{
    struct idref *ix = xcalloc(n ? n : 1, sizeof *ix);
    for (size_t i = 0; i < n; i++) {
        const struct rec_meta *mt = (const void *)((const char *)recs + i * size);
        ix[i] = (struct idref){mt->id, i};
    }
    qsort(ix, n, sizeof *ix, idref_cmp);
    return ix;
}

static int load_units(struct model *m, struct xdb *x, struct cchc_err *err)
{
    struct idvec ids = {0};
    struct list_query q = {.kind = LIST_UNITS};
    int rc = list_all(m, &q, &ids, err);
    x->units = xcalloc(ids.n ? ids.n : 1, sizeof *x->units);
    for (size_t i = 0; rc == CCHC_OK && i < ids.n; i++) {
        rc = model_unit(m, ids.v[i], &x->units[i], err);
        if (rc == CCHC_OK)
            x->n_units = i + 1;
    }
    idvec_free(&ids);
    x->unit_ix = make_index(x->n_units, x->units, sizeof *x->units);
    return rc;
}

static int load_items(struct model *m, struct xcommitment *xc, struct cchc_err *err)
{
    struct idvec ids = {0};
    struct list_query q = {.kind = LIST_COMMITMENT_ITEMS, .arg = xc->c.m.id};
    int rc = list_all(m, &q, &ids, err);
    xc->items = xcalloc(ids.n ? ids.n : 1, sizeof *xc->items);
    for (size_t i = 0; rc == CCHC_OK && i < ids.n; i++) {
        rc = model_item(m, ids.v[i], &xc->items[i], err);
        if (rc == CCHC_OK)
            xc->n_items = i + 1;
    }
    idvec_free(&ids);
    return rc;
}

static int load_commitments(struct model *m, struct xdb *x, struct cchc_err *err)
{
    struct idvec ids = {0};
    struct list_query q = {.kind = LIST_COMMITMENTS};
    int rc = list_all(m, &q, &ids, err);
    size_t n_items = 0;
    x->have_comms = true;
    x->comms = xcalloc(ids.n ? ids.n : 1, sizeof *x->comms);
    for (size_t i = 0; rc == CCHC_OK && i < ids.n; i++) {
        rc = model_commitment(m, ids.v[i], &x->comms[i].c, err);
        if (rc == CCHC_OK) {
            x->n_comms = i + 1;
            rc = load_items(m, &x->comms[i], err);
            n_items += x->comms[i].n_items;
        }
    }
    idvec_free(&ids);
    /* item id -> (commitment, position) */
    x->item_ix = xcalloc(n_items ? n_items : 1, sizeof *x->item_ix);
    x->item_pos = xcalloc(n_items ? n_items : 1, sizeof *x->item_pos);
    for (size_t i = 0; i < x->n_comms; i++)
        for (size_t j = 0; j < x->comms[i].n_items; j++) {
            x->item_pos[x->n_item_ix] = (struct idref){i, j};
            x->item_ix[x->n_item_ix] = (struct idref){x->comms[i].items[j].m.id, x->n_item_ix};
            x->n_item_ix++;
        }
    qsort(x->item_ix, x->n_item_ix, sizeof *x->item_ix, idref_cmp);
    return rc;
}

static int load_visits(struct model *m, struct xdb *x, struct cchc_err *err)
{
    int years[512];
    size_t n_years = 0;
    struct idvec ids = {0};
    x->have_visits = true;
    int rc = model_visit_years(m, years, sizeof years / sizeof years[0], &n_years, err);
    for (size_t y = 0; rc == CCHC_OK && y < n_years; y++) {
        struct list_query q = {.kind = LIST_VISITS_YEAR, .year = years[y], .unit_kind = UK_NONE};
        rc = list_all(m, &q, &ids, err);
    }
    x->visits = xcalloc(ids.n ? ids.n : 1, sizeof *x->visits);
    for (size_t i = 0; rc == CCHC_OK && i < ids.n; i++) {
        rc = model_visit(m, ids.v[i], &x->visits[i], err);
        if (rc == CCHC_OK)
            x->n_visits = i + 1;
    }
    idvec_free(&ids);
    x->visit_ix = make_index(x->n_visits, x->visits, sizeof *x->visits);
    return rc;
}

/* The code of a unit, or NULL for 0; "?units/N" cannot happen after
 * model_check, but an export must say something rather than crash. */
static const char *unit_code(const struct xdb *x, uint64_t id, char buf[static 32])
{
    if (!id)
        return NULL;
    size_t i = idref_find(x->unit_ix, x->n_units, id);
    if (i != SIZE_MAX)
        return x->units[i].code;
    snprintf(buf, 32, "?units/%llu", (unsigned long long)id);
    return buf;
}

static const char *visit_code(const struct xdb *x, uint64_t id, char buf[static 32])
{
    size_t i = idref_find(x->visit_ix, x->n_visits, id);
    if (i != SIZE_MAX)
        return x->visits[i].code;
    snprintf(buf, 32, "?visits/%llu", (unsigned long long)id);
    return buf;
}

/* ---- export: units ---- */

static const char *const unit_csv_cols[] = {
    "code",       "name",       "short",    "kind",      "form", "parent", "head_name",
    "head_title", "valid_from", "valid_to", "successor", "note", NULL};

static void unit_out(struct emit *e, struct csv *c, const struct xdb *x, const struct unit *u)
{
    char pb[32], sbuf[32];
    const char *parent = unit_code(x, u->parent, pb), *succ = unit_code(x, u->successor, sbuf);
    if (c) {
        csv_field(c, u->code);
        csv_field(c, u->name);
        csv_field(c, u->short_name);
        csv_field(c, unit_kind_name(u->kind));
        csv_field(c, u->form);
        csv_field(c, parent);
        csv_field(c, u->head.name);
        csv_field(c, u->head.title);
        csv_date(c, u->valid_from);
        csv_date(c, u->valid_to);
        csv_field(c, succ);
        csv_field(c, u->note);
        csv_end(c);
        return;
    }
    em_open(e, false);
    em_str(e, "code", u->code);
    em_str(e, "name", u->name);
    em_str(e, "short", u->short_name);
    em_str(e, "kind", unit_kind_name(u->kind));
    em_str(e, "form", u->form);
    em_str(e, "parent", parent);
    if (u->head.name || u->head.title) {
        em_key(e, "head");
        em_open(e, false);
        em_str(e, "name", u->head.name);
        em_str(e, "title", u->head.title);
        em_close(e);
    }
    em_date(e, "valid_from", u->valid_from);
    em_date(e, "valid_to", u->valid_to);
    em_str(e, "successor", succ);
    em_str(e, "note", u->note);
    em_close(e);
}

/* By id, but a parent always before its children, so that the import,
 * which needs parents first, gives the same order back. */
static void units_emit_one(struct emit *e, struct csv *c, const struct xdb *x, bool *done, size_t i)
{
    if (done[i])
        return;
    done[i] = true;
    size_t p =
        x->units[i].parent ? idref_find(x->unit_ix, x->n_units, x->units[i].parent) : SIZE_MAX;
    if (p != SIZE_MAX)
        units_emit_one(e, c, x, done, p);
    unit_out(e, c, x, &x->units[i]);
}

static size_t export_units(struct emit *e, struct csv *c, const struct xdb *x)
{
    bool *done = xcalloc(x->n_units ? x->n_units : 1, sizeof *done);
    for (size_t i = 0; i < x->n_units; i++)
        units_emit_one(e, c, x, done, i);
    free(done);
    return x->n_units;
}

/* ---- export: commitments and their items ---- */

static const char *const commitment_csv_cols[] = {"commitment",
                                                  "unit",
                                                  "title",
                                                  "signed_on",
                                                  "period_from",
                                                  "period_to",
                                                  "signer_name",
                                                  "signer_title",
                                                  "counter_unit",
                                                  "countersigner_name",
                                                  "countersigner_title",
                                                  "item",
                                                  "component",
                                                  "text",
                                                  "baseline",
                                                  "target",
                                                  "due",
                                                  "status",
                                                  "progress",
                                                  NULL};

static void person_out(struct emit *e, const char *key, const struct person *p, const char *unit)
{
    em_key(e, key);
    em_open(e, false);
    em_str(e, "unit", unit);
    em_str(e, "name", p->name);
    em_str(e, "title", p->title);
    em_close(e);
}

static void item_out(struct emit *e, const struct commitment_item *it)
{
    em_open(e, false);
    em_long(e, "seq", (long)it->seq);
    em_str(e, "component", it->component);
    em_str(e, "text", it->text);
    em_str(e, "baseline", it->baseline);
    em_str(e, "target", it->target);
    em_date(e, "due", it->due);
    em_str(e, "status", item_status_name(it->status));
    em_str(e, "progress", it->progress);
    em_close(e);
}

static void commitment_csv(struct csv *c, const struct xdb *x, const struct xcommitment *xc)
{
    const struct commitment *cm = &xc->c;
    char ub[32], cb[32];
    for (size_t j = 0; j < (xc->n_items ? xc->n_items : 1); j++) {
        const struct commitment_item *it = xc->n_items ? &xc->items[j] : NULL;
        csv_field(c, cm->code);
        csv_field(c, unit_code(x, cm->unit, ub));
        csv_field(c, cm->title);
        csv_date(c, cm->signed_on);
        csv_long(c, cm->period_from, cm->period_from != 0);
        csv_long(c, cm->period_to, cm->period_to != 0);
        csv_field(c, cm->signer.name);
        csv_field(c, cm->signer.title);
        csv_field(c, unit_code(x, cm->counter_unit, cb));
        csv_field(c, cm->countersigner.name);
        csv_field(c, cm->countersigner.title);
        csv_long(c, it ? (long)it->seq : 0, it != NULL);
        csv_field(c, it ? it->component : NULL);
        csv_field(c, it ? it->text : NULL);
        csv_field(c, it ? it->baseline : NULL);
        csv_field(c, it ? it->target : NULL);
        csv_date(c, it ? it->due : 0);
        csv_field(c, it ? item_status_name(it->status) : NULL);
        csv_field(c, it ? it->progress : NULL);
        csv_end(c);
    }
}

static size_t export_commitments(struct emit *e, struct csv *c, const struct xdb *x, size_t *items)
{
    for (size_t i = 0; i < x->n_comms; i++) {
        const struct xcommitment *xc = &x->comms[i];
        const struct commitment *cm = &xc->c;
        char ub[32], cb[32];
        *items += xc->n_items;
        if (c) {
            commitment_csv(c, x, xc);
            continue;
        }
        em_open(e, false);
        em_str(e, "code", cm->code);
        em_str(e, "unit", unit_code(x, cm->unit, ub));
        em_str(e, "title", cm->title);
        em_date(e, "signed_on", cm->signed_on);
        em_key(e, "period");
        em_open(e, true);
        char from[16], to[16];
        snprintf(from, sizeof from, "%d", cm->period_from);
        snprintf(to, sizeof to, "%d", cm->period_to);
        em_raw(e, from);
        em_raw(e, to);
        em_close(e);
        person_out(e, "signer", &cm->signer, NULL);
        person_out(e, "countersigner", &cm->countersigner, unit_code(x, cm->counter_unit, cb));
        em_key(e, "items");
        em_open(e, true);
        for (size_t j = 0; j < xc->n_items; j++)
            item_out(e, &xc->items[j]);
        em_close(e);
        em_close(e);
    }
    return x->n_comms;
}

/* ---- export: visits ---- */

static const char *const visit_csv_cols[] = {
    "code",     "unit",       "year",    "plan",         "start", "end",  "scope", "status",
    "decision", "started_on", "done_on", "concluded_on", "lead",  "team", NULL};

static void scope_out(struct emit *e, unsigned scope)
{
    em_key(e, "scope");
    em_open(e, true);
    for (unsigned b = SCOPE_CCHC; b <= SCOPE_TTHC; b <<= 1)
        if (scope & b)
            em_item_str(e, scope_name((enum scope_bits)b));
    em_close(e);
}

static void visit_csv(struct csv *c, const struct xdb *x, const struct visit *v)
{
    char ub[32], scope[16];
    struct strbuf team = {0};
    const char *lead = NULL;
    for (size_t j = 0; j < v->n_team; j++) {
        if (v->team[j].role == TEAM_LEAD)
            lead = v->team[j].login;
        sb_addf(&team, "%s%s", j ? "; " : "", v->team[j].login ? v->team[j].login : "");
    }
    csv_field(c, v->code);
    csv_field(c, unit_code(x, v->unit, ub));
    csv_long(c, v->year, v->year != 0);
    csv_field(c, v->plan);
    csv_date(c, v->start);
    csv_date(c, v->end);
    csv_field(c, scope_label(v->scope, scope));
    csv_field(c, visit_status_name(v->status));
    csv_field(c, v->decision);
    csv_date(c, v->started_on);
    csv_date(c, v->done_on);
    csv_date(c, v->concluded_on);
    csv_field(c, lead);
    csv_field(c, sb_str(&team));
    csv_end(c);
    sb_free(&team);
}

static size_t export_visits(struct emit *e, struct csv *c, const struct xdb *x)
{
    for (size_t i = 0; i < x->n_visits; i++) {
        const struct visit *v = &x->visits[i];
        char ub[32];
        if (c) {
            visit_csv(c, x, v);
            continue;
        }
        em_open(e, false);
        em_str(e, "code", v->code);
        em_str(e, "unit", unit_code(x, v->unit, ub));
        em_long(e, "year", v->year);
        em_str(e, "plan", v->plan);
        em_date(e, "start", v->start);
        em_date(e, "end", v->end);
        scope_out(e, v->scope);
        em_str(e, "status", visit_status_name(v->status));
        em_str(e, "decision", v->decision);
        em_date(e, "started_on", v->started_on);
        em_date(e, "done_on", v->done_on);
        em_date(e, "concluded_on", v->concluded_on);
        em_key(e, "team");
        em_open(e, true);
        for (size_t j = 0; j < v->n_team; j++) {
            const struct team_member *t = &v->team[j];
            em_open(e, false);
            em_str(e, "login", t->login);
            em_str(e, "name", t->name);
            em_str(e, "org", t->org);
            if (t->role == TEAM_LEAD)
                em_str(e, "role", "lead");
            em_close(e);
        }
        em_close(e);
        em_close(e);
    }
    return x->n_visits;
}

/* ---- export: index results ---- */

static const char *const result_csv_cols[] = {"index", "component", "year",  "unit",   "score",
                                              "rank",  "of",        "grade", "source", NULL};

static void result_out(struct emit *e, struct csv *c, const struct xdb *x,
                       const struct index_result *r)
{
    char ub[32], score[40] = "";
    const char *unit = unit_code(x, r->unit, ub);
    if (!isnan(r->score))
        format_double(r->score, score, sizeof score);
    if (c) {
        csv_field(c, r->index);
        csv_field(c, r->component);
        csv_long(c, r->year, true);
        csv_field(c, unit);
        csv_field(c, isnan(r->score) ? NULL : score);
        csv_long(c, r->rank, r->rank != 0);
        csv_long(c, r->rank_of, r->rank_of != 0);
        csv_field(c, r->grade);
        csv_field(c, r->source);
        csv_end(c);
        return;
    }
    em_open(e, false);
    em_str(e, "index", r->index);
    em_str(e, "component", r->component);
    em_long(e, "year", r->year);
    em_str(e, "unit", unit);
    if (!isnan(r->score))
        em_double(e, "score", r->score);
    if (r->rank)
        em_long(e, "rank", r->rank);
    if (r->rank_of)
        em_long(e, "of", r->rank_of);
    em_str(e, "grade", r->grade);
    em_str(e, "source", r->source);
    em_close(e);
}

/* By index in the order of the configuration, then the values of the
 * province's measures in theirs; by year and id within one. Results of an
 * index or measure the configuration no longer has cannot be reached (the
 * model lists results by code) nor imported again. */
static int export_results(struct model *m, const struct config *cfg, struct emit *e, struct csv *c,
                          const struct xdb *x, size_t *n, struct cchc_err *err)
{
    size_t n_codes = cfg ? cfg->n_indices + cfg->n_measures : 0;
    for (size_t k = 0; k < n_codes; k++) {
        struct idvec ids = {0};
        const char *code =
            k < cfg->n_indices ? cfg->indices[k].code : cfg->measures[k - cfg->n_indices].code;
        int rc = results_ids_of_index(m, code, &ids, err);
        for (size_t i = 0; rc == CCHC_OK && i < ids.n; i++) {
            struct index_result r = {0};
            rc = model_result(m, ids.v[i], &r, err);
            if (rc == CCHC_OK) {
                result_out(e, c, x, &r);
                (*n)++;
            }
            result_free(&r);
        }
        idvec_free(&ids);
        if (rc != CCHC_OK)
            return CCHC_ERUNTIME;
    }
    return CCHC_OK;
}

/* ---- export: notes ---- */

static const char *const note_target_names[] = {"", "visit", "criterion", "unit", "item", NULL};

static const char *const note_csv_cols[] = {
    "target",  "visit",  "criterion", "unit",     "commitment", "item", "author",
    "created", "edited", "deleted",   "versions", "text",       NULL};

struct note_key {
    int64_t created;
    uint64_t id;
};

static int note_key_cmp(const void *pa, const void *pb)
{
    const struct note_key *a = pa, *b = pb;
    if (a->created != b->created)
        return a->created < b->created ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id;
}

/* Every id of a note list (model_notes / model_visit_notes windows). */
static int notes_all(struct model *m, enum note_target t, uint64_t target, const char *criterion,
                     bool visit_live, struct idvec *out, struct cchc_err *err)
{
    uint64_t ids[WINDOW];
    size_t pos = 0, got = 0, count = 0;
    do {
        int rc = visit_live ? model_visit_notes(m, target, pos, WINDOW, ids, &got, &count, err)
                            : model_notes(m, t, target, criterion, true, pos, WINDOW, ids, &got,
                                          &count, err);
        if (rc != CCHC_OK)
            return CCHC_ERUNTIME;
        for (size_t i = 0; i < got; i++)
            idvec_push(out, ids[i]);
        pos += got;
    } while (got == WINDOW && pos < count);
    return CCHC_OK;
}

/* Where a note is attached, as codes. */
static void note_target_out(struct emit *e, struct csv *c, const struct xdb *x,
                            const struct note *n)
{
    char b1[32];
    const char *visit = NULL, *unit = NULL, *comm = NULL;
    long item = 0;
    if (n->target == NT_VISIT || n->target == NT_CRITERION) {
        visit = visit_code(x, n->target_id, b1);
    } else if (n->target == NT_UNIT) {
        unit = unit_code(x, n->target_id, b1);
    } else {
        size_t k = idref_find(x->item_ix, x->n_item_ix, n->target_id);
        if (k != SIZE_MAX) {
            const struct idref *p = &x->item_pos[k];
            comm = x->comms[p->id].c.code;
            item = (long)x->comms[p->id].items[p->i].seq;
        } else {
            snprintf(b1, sizeof b1, "?items/%llu", (unsigned long long)n->target_id);
            comm = b1;
        }
    }
    const char *target =
        n->target >= NT_VISIT && n->target <= NT_ITEM ? note_target_names[n->target] : "?";
    if (c) {
        csv_field(c, target);
        csv_field(c, visit);
        csv_field(c, n->target == NT_CRITERION ? n->criterion : NULL);
        csv_field(c, unit);
        csv_field(c, comm);
        csv_long(c, item, item != 0);
        return;
    }
    em_str(e, "target", target);
    em_str(e, "visit", visit);
    if (n->target == NT_CRITERION)
        em_str(e, "criterion", n->criterion);
    em_str(e, "unit", unit);
    em_str(e, "commitment", comm);
    if (item)
        em_long(e, "item", item);
}

static void note_version_out(struct emit *e, const struct note *n)
{
    em_str(e, "author", n->author);
    em_time(e, "created", n->created);
    em_time(e, "edited", n->edited);
    if (n->deleted)
        em_bool(e, "deleted", true);
    em_str(e, "text", n->text);
}

static int note_out(struct model *m, struct emit *e, struct csv *c, const struct xdb *x,
                    uint64_t id, struct cchc_err *err)
{
    struct note n = {0};
    struct note hist[64];
    size_t nh = 0;
    int rc = model_note(m, id, &n, err);
    if (rc == CCHC_OK)
        rc = model_note_history(m, id, hist, sizeof hist / sizeof hist[0], &nh, err);
    if (rc != CCHC_OK) {
        note_free(&n);
        return CCHC_ERUNTIME;
    }
    if (c) {
        char t1[24], t2[24];
        note_target_out(e, c, x, &n);
        csv_field(c, n.author);
        csv_field(c, n.created ? time_iso(n.created, t1) : NULL);
        csv_field(c, n.edited ? time_iso(n.edited, t2) : NULL);
        csv_field(c, n.deleted ? "true" : "false");
        csv_long(c, (long)nh + 1, true);
        csv_field(c, n.text);
        csv_end(c);
    } else {
        em_open(e, false);
        note_target_out(e, c, x, &n);
        note_version_out(e, &n);
        if (nh) { /* oldest first, as they were written */
            em_key(e, "history");
            em_open(e, true);
            for (size_t i = nh; i-- > 0;) {
                em_open(e, false);
                note_version_out(e, &hist[i]);
                em_close(e);
            }
            em_close(e);
        }
        em_close(e);
    }
    for (size_t i = 0; i < nh; i++)
        note_free(&hist[i]);
    note_free(&n);
    return CCHC_OK;
}

/* One target's notes, oldest first (created, then id). */
static int notes_group(struct model *m, struct emit *e, struct csv *c, const struct xdb *x,
                       struct idvec *ids, size_t *count, struct cchc_err *err)
{
    struct note_key *keys = xcalloc(ids->n ? ids->n : 1, sizeof *keys);
    size_t n = 0;
    int rc = CCHC_OK;
    for (size_t i = 0; i < ids->n && rc == CCHC_OK; i++) {
        bool dup = false;
        for (size_t j = 0; j < n && !dup; j++)
            dup = keys[j].id == ids->v[i];
        if (dup)
            continue;
        struct note nt = {0};
        rc = model_note(m, ids->v[i], &nt, err);
        keys[n++] = (struct note_key){nt.created, ids->v[i]};
        note_free(&nt);
    }
    qsort(keys, n, sizeof *keys, note_key_cmp);
    for (size_t i = 0; i < n && rc == CCHC_OK; i++) {
        rc = note_out(m, e, c, x, keys[i].id, err);
        (*count)++;
    }
    free(keys);
    ids->n = 0;
    return rc == CCHC_OK ? CCHC_OK : CCHC_ERUNTIME;
}

/* Units (by id), then commitment items, then visits with their criteria. */
static int export_notes(struct model *m, const struct config *cfg, struct emit *e, struct csv *c,
                        const struct xdb *x, size_t *count, struct cchc_err *err)
{
    struct idvec ids = {0};
    int rc = CCHC_OK;
    for (size_t i = 0; rc == CCHC_OK && i < x->n_units; i++) {
        rc = notes_all(m, NT_UNIT, x->units[i].m.id, NULL, false, &ids, err);
        if (rc == CCHC_OK)
            rc = notes_group(m, e, c, x, &ids, count, err);
    }
    for (size_t i = 0; rc == CCHC_OK && i < x->n_comms; i++)
        for (size_t j = 0; rc == CCHC_OK && j < x->comms[i].n_items; j++) {
            rc = notes_all(m, NT_ITEM, x->comms[i].items[j].m.id, NULL, false, &ids, err);
            if (rc == CCHC_OK)
                rc = notes_group(m, e, c, x, &ids, count, err);
        }
    for (size_t i = 0; rc == CCHC_OK && i < x->n_visits; i++) {
        uint64_t v = x->visits[i].m.id;
        rc = notes_all(m, NT_VISIT, v, NULL, false, &ids, err);
        if (rc == CCHC_OK)
            rc = notes_group(m, e, c, x, &ids, count, err);
        /* criterion notes: those of the configured criteria, deleted ones
         * too, and any live one whose criterion the configuration lost */
        for (size_t a = 0; rc == CCHC_OK && cfg && a < cfg->n_check_areas; a++)
            for (size_t k = 0; rc == CCHC_OK && k < cfg->check_areas[a].n_criteria; k++)
                rc = notes_all(m, NT_CRITERION, v, cfg->check_areas[a].criteria[k].code, false,
                               &ids, err);
        if (rc == CCHC_OK)
            rc = notes_all(m, NT_CRITERION, v, NULL, true, &ids, err);
        /* model_visit_notes also lists the visit's own notes: keep only
         * criterion notes in this second group */
        if (rc == CCHC_OK) {
            size_t keep = 0;
            for (size_t j = 0; j < ids.n && rc == CCHC_OK; j++) {
                struct note nt = {0};
                rc = model_note(m, ids.v[j], &nt, err);
                if (rc == CCHC_OK && nt.target == NT_CRITERION)
                    ids.v[keep++] = ids.v[j];
                note_free(&nt);
            }
            ids.n = keep;
        }
        if (rc == CCHC_OK)
            rc = notes_group(m, e, c, x, &ids, count, err);
    }
    idvec_free(&ids);
    return rc == CCHC_OK ? CCHC_OK : CCHC_ERUNTIME;
}

/* ---- export: checklist results ---- */

static const char *const check_csv_cols[] = {"visit", "criterion", "value",   "number",
                                             "pass",  "na",        "comment", NULL};

static void check_out(struct emit *e, struct csv *c, const char *visit,
                      const struct check_result *ck)
{
    char num[40] = "";
    if (ck->has_number)
        format_double(ck->number, num, sizeof num);
    if (c) {
        csv_field(c, visit);
        csv_field(c, ck->criterion);
        csv_field(c, ck->value);
        csv_field(c, ck->has_number ? num : NULL);
        csv_field(c, ck->pass ? "true" : "false");
        csv_field(c, ck->na ? "true" : "false");
        csv_field(c, ck->comment);
        csv_end(c);
        return;
    }
    em_open(e, false);
    em_str(e, "visit", visit);
    em_str(e, "criterion", ck->criterion);
    em_str(e, "value", ck->value);
    if (ck->has_number)
        em_double(e, "number", ck->number);
    em_str(e, "comment", ck->comment);
    em_close(e);
}

/* By visit, then criterion in the order of the checklist. */
static int export_checks(struct model *m, const struct config *cfg, struct emit *e, struct csv *c,
                         const struct xdb *x, size_t *count, struct cchc_err *err)
{
    for (size_t i = 0; i < x->n_visits; i++)
        for (size_t a = 0; cfg && a < cfg->n_check_areas; a++)
            for (size_t k = 0; k < cfg->check_areas[a].n_criteria; k++) {
                struct check_result ck = {0};
                bool found = false;
                if (model_check_get(m, x->visits[i].m.id, cfg->check_areas[a].criteria[k].code, &ck,
                                    &found, err) != CCHC_OK) {
                    check_free(&ck);
                    return CCHC_ERUNTIME;
                }
                if (found) {
                    check_out(e, c, x->visits[i].code, &ck);
                    (*count)++;
                }
                check_free(&ck);
            }
    return CCHC_OK;
}

/* ---- export: recommendations ---- */

static const char *const rec_csv_cols[] = {"visit",   "unit",   "text",    "deadline", "status",
                                           "done_on", "author", "created", NULL};

static void rec_out(struct emit *e, struct csv *c, const struct xdb *x, const char *visit,
                    const struct recommendation *r)
{
    char ub[32], t[24];
    const char *unit = unit_code(x, r->unit, ub);
    if (c) {
        csv_field(c, visit);
        csv_field(c, unit);
        csv_field(c, r->text);
        csv_date(c, r->deadline);
        csv_field(c, rec_status_name(r->status));
        csv_date(c, r->done_on);
        csv_field(c, r->author);
        csv_field(c, r->created ? time_iso(r->created, t) : NULL);
        csv_end(c);
        return;
    }
    em_open(e, false);
    em_str(e, "visit", visit);
    em_str(e, "unit", unit);
    em_str(e, "text", r->text);
    em_date(e, "deadline", r->deadline);
    em_str(e, "status", rec_status_name(r->status));
    em_date(e, "done_on", r->done_on);
    em_str(e, "author", r->author);
    em_time(e, "created", r->created);
    em_close(e);
}

static int export_recs(struct model *m, struct emit *e, struct csv *c, const struct xdb *x,
                       size_t *count, struct cchc_err *err)
{
    uint64_t ids[WINDOW];
    for (size_t i = 0; i < x->n_visits; i++) {
        size_t pos = 0, got = 0, total = 0;
        do {
            if (model_visit_recs(m, x->visits[i].m.id, pos, WINDOW, ids, &got, &total, err))
                return CCHC_ERUNTIME;
            for (size_t j = 0; j < got; j++) {
                struct recommendation r = {0};
                if (model_rec(m, ids[j], &r, err) != CCHC_OK) {
                    rec_free(&r);
                    return CCHC_ERUNTIME;
                }
                rec_out(e, c, x, x->visits[i].code, &r);
                rec_free(&r);
                (*count)++;
            }
            pos += got;
        } while (got == WINDOW && pos < total);
    }
    return CCHC_OK;
}

/* ---- export: the whole ---- */

static const char *const *const csv_cols[XK_COUNT] = {
    [XK_UNITS] = unit_csv_cols,   [XK_COMMITMENTS] = commitment_csv_cols,
    [XK_VISITS] = visit_csv_cols, [XK_RESULTS] = result_csv_cols,
    [XK_NOTES] = note_csv_cols,   [XK_CHECKS] = check_csv_cols,
    [XK_RECS] = rec_csv_cols,
};

/* What each kind needs loaded to name what it refers to. */
static int load_for(struct model *m, enum xkind kind, struct xdb *x, struct cchc_err *err)
{
    bool all = kind == XK_ALL;
    int rc = load_units(m, x, err);
    if (rc == CCHC_OK && (all || kind == XK_COMMITMENTS || kind == XK_NOTES))
        rc = load_commitments(m, x, err);
    if (rc == CCHC_OK && (all || kind == XK_VISITS || kind >= XK_NOTES))
        rc = load_visits(m, x, err);
    return rc == CCHC_OK ? CCHC_OK : CCHC_ERUNTIME;
}

static int export_kind(struct model *m, const struct config *cfg, struct emit *e, struct csv *c,
                       const struct xdb *x, enum xkind k, struct xstats *st, struct cchc_err *err)
{
    if (e) {
        em_key(e, kind_names[k]);
        em_open(e, true);
    }
    int rc = CCHC_OK;
    switch (k) {
    case XK_UNITS:
        st->n[k] = export_units(e, c, x);
        break;
    case XK_COMMITMENTS:
        st->n[k] = export_commitments(e, c, x, &st->items);
        break;
    case XK_VISITS:
        st->n[k] = export_visits(e, c, x);
        break;
    case XK_RESULTS:
        rc = export_results(m, cfg, e, c, x, &st->n[k], err);
        break;
    case XK_NOTES:
        rc = export_notes(m, cfg, e, c, x, &st->n[k], err);
        break;
    case XK_CHECKS:
        rc = export_checks(m, cfg, e, c, x, &st->n[k], err);
        break;
    case XK_RECS:
        rc = export_recs(m, e, c, x, &st->n[k], err);
        break;
    default:
        break;
    }
    if (e)
        em_close(e);
    return rc;
}

int exchange_export(struct model *m, const struct config *cfg, enum xformat fmt, enum xkind kind,
                    FILE *out, struct xstats *stats, struct cchc_err *err)
{
    struct xstats st = {0};
    struct strbuf sb = {0};
    struct xdb x = {0};
    if (fmt == XF_CSV && kind == XK_ALL)
        return err_set(err, CCHC_EUSAGE,
                       "CSV holds one kind of record at a time: name it with --kind");
    int rc = load_for(m, kind, &x, err);
    if (rc == CCHC_OK && fmt == XF_CSV) {
        struct csv c = {&sb, 0};
        csv_header(&c, csv_cols[kind]);
        rc = export_kind(m, cfg, NULL, &c, &x, kind, &st, err);
    } else if (rc == CCHC_OK) {
        struct emit e;
        em_begin(&e, &sb, fmt == XF_JSON);
        em_long(&e, "version", FORMAT_VERSION);
        for (int k = XK_UNITS; rc == CCHC_OK && k < XK_COUNT; k++)
            if (kind == XK_ALL || kind == (enum xkind)k)
                rc = export_kind(m, cfg, &e, NULL, &x, (enum xkind)k, &st, err);
        em_end(&e);
    }
    xdb_free(&x);
    if (rc == CCHC_OK && (fwrite(sb_str(&sb), 1, sb.len, out) != sb.len || fflush(out) != 0))
        rc = err_set(err, CCHC_ERUNTIME, "cannot write the export: %s", strerror(errno));
    sb_free(&sb);
    if (rc == CCHC_OK && stats)
        *stats = st;
    return rc == CCHC_OK ? CCHC_OK : (err && err->code ? err->code : CCHC_ERUNTIME);
}

/* ---- import: what only an export file holds ----
 * Units, commitments, visits and results are read, checked and written by
 * datafmt.c, as for a data folder; notes (with their earlier versions),
 * checklist results and recommendations are an export file's own. Every
 * element of a list starts with the mapping node it came from. */

struct x_version {
    const struct ynode *node;
    char *author, *text;
    int64_t created, edited;
    bool deleted;
};

struct x_note {
    const struct ynode *node;
    int target;
    char *visit, *criterion, *unit, *commitment;
    long item;
    char *author, *text;
    int64_t created, edited;
    bool deleted;
    struct rd_list history; /* struct x_version, oldest first */
};

struct x_check {
    const struct ynode *node;
    char *visit, *criterion, *value, *comment;
    double number;
};

struct x_rec {
    const struct ynode *node;
    char *visit, *unit, *text, *author;
    cchc_date deadline, done_on;
    int status;
    int64_t created;
};

/* The database's codes, sorted (db.units, db.comms, db.visits). */
struct dbcodes {
    struct rd_code *v;
    size_t n;
};

struct ximport {
    struct model *m;
    const struct config *cfg;
    unsigned flags;       /* XI_* */
    const struct ydoc *d; /* the doc problems of the record checked now are worded in */
    struct ydoc doc;
    bool have_doc;
    long version;
    struct rd_set rs; /* units, commitments, visits, results */
    struct rd_list notes, checks, recs;
    struct xdb db; /* what the database holds, when not empty */
    struct dbcodes dbc[DK_RESULTS];
    bool db_empty;
    struct xstats st;
};

/* ---- import: mapping tables ---- */

static const char *const rec_statuses[] = {"open", "done", NULL};
static const char *const note_targets[] = {"visit", "criterion", "unit", "item", NULL};

static int read_time(const struct ydoc *d, const struct ynode *n, void *dst, void *ctx,
                     struct cchc_err *err)
{
    int64_t *t = dst;
    (void)ctx;
    if (n->type != YN_SCALAR || n->null || !time_parse(n->str, t))
        return yerr(err, d, n, "expected a time in UTC as YYYY-MM-DDTHH:MM:SSZ");
    /* 0 is "no time", and the export writes a year with four digits: a
     * time before 1970 would not come back as it was */
    if (*t <= 0)
        return yerr(err, d, n, "time %s is before 1970-01-01T00:00:01Z, the first cchc holds",
                    n->str);
    return CCHC_OK;
}

static const struct dfield version_fields[] = {
    DF_F(struct x_version, "author", YF_STR, author, true),
    DF_C(struct x_version, "created", created, true, read_time),
    DF_C(struct x_version, "edited", edited, false, read_time),
    DF_F(struct x_version, "deleted", YF_BOOL, deleted, false),
    DF_F(struct x_version, "text", YF_STR, text, true),
    DF_END,
};

#define LIST_READER(fn, T, fields)                                                                 \
    static int fn(const struct ydoc *d, const struct ynode *n, void *dst, void *ctx,               \
                  struct cchc_err *err)                                                            \
    {                                                                                              \
        return dfmt_read_list(d, n, dst, sizeof(T), fields, ctx, err);                             \
    }
LIST_READER(read_history, struct x_version, version_fields)

static const struct dfield note_fields[] = {
    DF_E(struct x_note, "target", target, true, note_targets),
    DF_F(struct x_note, "visit", YF_STR, visit, false),
    DF_F(struct x_note, "criterion", YF_STR, criterion, false),
    DF_F(struct x_note, "unit", YF_STR, unit, false),
    DF_F(struct x_note, "commitment", YF_STR, commitment, false),
    DF_F(struct x_note, "item", YF_INT, item, false),
    DF_F(struct x_note, "author", YF_STR, author, true),
    DF_C(struct x_note, "created", created, true, read_time),
    DF_C(struct x_note, "edited", edited, false, read_time),
    DF_F(struct x_note, "deleted", YF_BOOL, deleted, false),
    DF_F(struct x_note, "text", YF_STR, text, true),
    DF_C(struct x_note, "history", history, false, read_history),
    DF_END,
};

static const struct dfield check_fields[] = {
    DF_F(struct x_check, "visit", YF_STR, visit, true),
    DF_F(struct x_check, "criterion", YF_STR, criterion, true),
    DF_F(struct x_check, "value", YF_STR, value, false),
    DF_F(struct x_check, "number", YF_DOUBLE, number, false),
    DF_F(struct x_check, "comment", YF_STR, comment, false),
    DF_END,
};

static const struct dfield rec_fields[] = {
    DF_F(struct x_rec, "visit", YF_STR, visit, true),
    DF_F(struct x_rec, "unit", YF_STR, unit, true),
    DF_F(struct x_rec, "text", YF_STR, text, true),
    DF_F(struct x_rec, "deadline", YF_DATE, deadline, false),
    DF_E(struct x_rec, "status", status, true, rec_statuses),
    DF_F(struct x_rec, "done_on", YF_DATE, done_on, false),
    DF_F(struct x_rec, "author", YF_STR, author, true),
    DF_C(struct x_rec, "created", created, true, read_time),
    DF_END,
};

LIST_READER(read_notes, struct x_note, note_fields)
LIST_READER(read_checks, struct x_check, check_fields)
LIST_READER(read_recs, struct x_rec, rec_fields)

static const struct dfield file_fields[] = {
    DF_F(struct ximport, "version", YF_INT, version, true),
    DF_C(struct ximport, "units", rs.l[DK_UNITS], false, dfmt_read_units),
    DF_C(struct ximport, "commitments", rs.l[DK_COMMITMENTS], false, dfmt_read_commitments),
    DF_C(struct ximport, "visits", rs.l[DK_VISITS], false, dfmt_read_visits),
    DF_C(struct ximport, "results", rs.l[DK_RESULTS], false, dfmt_read_results),
    DF_C(struct ximport, "notes", notes, false, read_notes),
    DF_C(struct ximport, "checks", checks, false, read_checks),
    DF_C(struct ximport, "recs", recs, false, read_recs),
    DF_END,
};

/* XI_FINDINGS: what was found on visits the database has, nothing else. */
static const struct dfield findings_fields[] = {
    DF_F(struct ximport, "version", YF_INT, version, true),
    DF_C(struct ximport, "notes", notes, false, read_notes),
    DF_C(struct ximport, "checks", checks, false, read_checks),
    DF_C(struct ximport, "recs", recs, false, read_recs),
    DF_END,
};

/* ---- import: the database's codes ---- */

static int rd_code_cmp(const void *pa, const void *pb)
{
    const struct rd_code *a = pa, *b = pb;
    int c = strcmp(a->code, b->code);
    return c ? c : (a->i < b->i ? -1 : a->i > b->i);
}

static size_t db_index(const struct ximport *im, enum dkind k, const char *code)
{
    for (size_t lo = 0, hi = im->dbc[k].n; code && lo < hi;) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(im->dbc[k].v[mid].code, code);
        if (c == 0)
            return im->dbc[k].v[mid].i;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return SIZE_MAX;
}

static void db_codes_make(struct ximport *im)
{
    const struct xdb *x = &im->db;
    for (int k = DK_UNITS; k < DK_RESULTS; k++) {
        size_t n = k == DK_UNITS ? x->n_units : k == DK_COMMITMENTS ? x->n_comms : x->n_visits;
        struct rd_code *v = xcalloc(n ? n : 1, sizeof *v);
        for (size_t i = 0; i < n; i++)
            v[i] = (struct rd_code){k == DK_UNITS         ? x->units[i].code
                                    : k == DK_COMMITMENTS ? x->comms[i].c.code
                                                          : x->visits[i].code,
                                    i};
        qsort(v, n, sizeof *v, rd_code_cmp);
        im->dbc[k] = (struct dbcodes){v, n};
    }
}

/* rd_set's lookups in the database (datafmt.h). */
static bool db_has(void *ctx, enum dkind k, const char *code, enum unit_kind *kind)
{
    const struct ximport *im = ctx;
    size_t d = db_index(im, k, code);
    if (d != SIZE_MAX && k == DK_UNITS && kind)
        *kind = im->db.units[d].kind;
    return d != SIZE_MAX;
}

static bool same_text(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

static int db_has_result(void *ctx, const struct rd_result *r, bool *found, struct cchc_err *err)
{
    struct ximport *im = ctx;
    struct idvec ids = {0};
    int rc = im->db_empty ? CCHC_OK : results_ids_of_index(im->m, r->index, &ids, err);
    *found = false;
    for (size_t i = 0; rc == CCHC_OK && i < ids.n && !*found; i++) {
        struct index_result dr = {0};
        char ub[32];
        rc = model_result(im->m, ids.v[i], &dr, err);
        *found = rc == CCHC_OK && dr.year == r->year && same_text(dr.component, r->component) &&
                 same_text(unit_code(&im->db, dr.unit, ub), r->unit);
        result_free(&dr);
    }
    idvec_free(&ids);
    return rc == CCHC_OK ? CCHC_OK : CCHC_ERUNTIME;
}

/* ---- import: checking notes, checklist results, recommendations ---- */

/* Keep the problem of a failed check (rc) about record rec of the file. */
static void note_problem(const struct ximport *im, const struct ynode *rec, int rc,
                         const struct cchc_err *err)
{
    if (rc)
        dfmt_errs_add(im->rs.errs, im->d, rec, err);
}

/* The record that the checks look at now: its problems are worded in the
 * doc dfmt_errs_doc gives for it. */
static void at_record(struct ximport *im, const struct ynode *rec)
{
    im->d = dfmt_errs_doc(im->rs.errs, &im->doc, rec);
}

/* Where the visit, unit or commitment that a note, checklist result or
 * recommendation belongs to is: in the file, or (XI_FINDINGS) in the
 * database; skip: in a record of the file that could not be read, so that
 * what needs its contents is not checked. */
struct xref {
    size_t file, db;
    bool skip;
};

/* The visit, unit or commitment named at key of map: in the file, or, for
 * findings, in the database. An import that adds records takes notes and
 * the like only with what they belong to (they have no code by which a
 * second import of the same file could be noticed). */
static int need_own(const struct ximport *im, enum dkind k, const struct ynode *map,
                    const char *key, const char *code, struct xref *ref, struct cchc_err *err)
{
    const char *what = k == DK_VISITS ? "visit" : k == DK_UNITS ? "unit" : "commitment";
    *ref = (struct xref){SIZE_MAX, SIZE_MAX, false};
    if (!code)
        return yerr(err, im->d, map, "%s is required here", key);
    ref->file = dfmt_find(&im->rs, k, code);
    if (ref->file != SIZE_MAX) {
        ref->skip = dfmt_bad(&im->rs.l[k], ref->file);
        return CCHC_OK;
    }
    size_t db = db_index(im, k, code);
    if (db != SIZE_MAX && (im->flags & XI_FINDINGS)) {
        ref->db = db;
        return CCHC_OK;
    }
    if (db != SIZE_MAX)
        return yerr(err, im->d, dfmt_at(map, key),
                    "%s %s is in the database, not in this file: notes, checklist results and "
                    "recommendations are imported only with what they belong to",
                    what, code);
    if (im->rs.l[k].broken) {
        ref->skip = true; /* the file's list could not be read: said there */
        return CCHC_OK;
    }
    if (im->flags & XI_FINDINGS)
        return yerr(err, im->d, dfmt_at(map, key), "unknown %s %s (not in the database)", what,
                    code);
    return yerr(err, im->d, dfmt_at(map, key), "unknown %s %s (not in this file)", what, code);
}

static int check_text(const struct ximport *im, const struct ynode *map, const char *text,
                      struct cchc_err *err)
{
    if (!*text)
        return yerr(err, im->d, dfmt_at(map, "text"), "the text is empty");
    if (strlen(text) > NOTE_MAX_BYTES)
        return yerr(err, im->d, dfmt_at(map, "text"), "the text is over %d bytes", NOTE_MAX_BYTES);
    return CCHC_OK;
}

static int check_criterion(const struct ximport *im, const struct ynode *map, const char *code,
                           struct cchc_err *err)
{
    if (!code)
        return yerr(err, im->d, map, "criterion is required here");
    if (im->cfg && !config_criterion(im->cfg, code, NULL))
        return yerr(err, im->d, dfmt_at(map, "criterion"),
                    "unknown checklist criterion %s (not in checklist.yaml)", code);
    return CCHC_OK;
}

/* The place among the items of a commitment (of the file or of the
 * database) of the item numbered seq; SIZE_MAX when it has none. */
static size_t item_at(const struct ximport *im, const struct xref *c, long seq)
{
    if (c->file != SIZE_MAX) {
        const struct rd_commitment *rc = (const struct rd_commitment *)im->rs.l[DK_COMMITMENTS].v;
        const struct rd_item *it = rc[c->file].items.v;
        for (size_t j = 0; j < rc[c->file].items.n; j++)
            if (it[j].seq == seq)
                return j;
    } else if (c->db != SIZE_MAX) {
        const struct xcommitment *xc = &im->db.comms[c->db];
        for (size_t j = 0; j < xc->n_items; j++)
            if ((long)xc->items[j].seq == seq)
                return j;
    }
    return SIZE_MAX;
}

/* Only the keys that name the note's target may be there. */
static int check_note_target(const struct ximport *im, const struct x_note *n, struct cchc_err *err)
{
    static const char *const keys[] = {"visit", "criterion", "unit", "commitment", "item"};
    /* which keys each target uses: bit i for keys[i] */
    static const unsigned uses[] = {0, 1u, 1u | 2u, 4u, 8u | 16u};
    int t = n->target + 1;
    struct xref ref;
    for (size_t k = 0; k < 5; k++) {
        const struct ynode *kn = ymap_get_key(n->node, keys[k]);
        if (kn && !(uses[t] & (1u << k)))
            return yerr(err, im->d, kn, "a note on a %s has no %s", note_targets[n->target],
                        keys[k]);
    }
    if (t == NT_VISIT || t == NT_CRITERION) {
        if (need_own(im, DK_VISITS, n->node, "visit", n->visit, &ref, err))
            return CCHC_EUSAGE;
        if (t == NT_CRITERION && check_criterion(im, n->node, n->criterion, err))
            return CCHC_EUSAGE;
    } else if (t == NT_UNIT) {
        if (need_own(im, DK_UNITS, n->node, "unit", n->unit, &ref, err))
            return CCHC_EUSAGE;
    } else {
        if (need_own(im, DK_COMMITMENTS, n->node, "commitment", n->commitment, &ref, err))
            return CCHC_EUSAGE;
        if (!ref.skip && item_at(im, &ref, n->item) == SIZE_MAX)
            return yerr(err, im->d, dfmt_at(n->node, "item"), "commitment %s has no item %ld",
                        n->commitment, n->item);
    }
    return CCHC_OK;
}

/* A note's target, its text and each earlier version's text, each on its own. */
static void check_notes(struct ximport *im, struct cchc_err *err)
{
    const struct x_note *n = im->notes.v;
    for (size_t i = 0; i < im->notes.n; i++) {
        if (dfmt_bad(&im->notes, i))
            continue;
        at_record(im, n[i].node);
        note_problem(im, n[i].node, check_note_target(im, &n[i], err), err);
        note_problem(im, n[i].node, check_text(im, n[i].node, n[i].text, err), err);
        if (n[i].history.n > 1000)
            note_problem(
                im, n[i].node,
                yerr(err, im->d, dfmt_at(n[i].node, "history"), "more than 1000 earlier versions"),
                err);
        const struct x_version *h = n[i].history.v;
        for (size_t j = 0; j < n[i].history.n && j < 1000; j++)
            note_problem(im, h[j].node, check_text(im, h[j].node, h[j].text, err), err);
    }
}

/* The result recorded for a check, as model_check_set decides it: a
 * measured criterion with a threshold passes or fails by its number (the
 * first result of the checklist that passes, or fails); otherwise the
 * value given. NULL when the checklist has none. */
static const struct result_value *check_value(const struct config *cfg, const struct criterion *cr,
                                              const char *value, bool has_number, double number)
{
    const struct result_value *rv = value ? config_result(cfg, value) : NULL;
    if (cr->kind != CRIT_MEASURED || !has_number || cr->op == TH_NONE)
        return rv;
    bool pass = cr->op == TH_MIN ? number >= cr->limit : number <= cr->limit;
    for (size_t i = 0; i < cfg->n_results; i++)
        if (cfg->results[i].pass == pass && !cfg->results[i].na)
            return &cfg->results[i];
    return NULL;
}

/* The scope of a visit and the kind of its unit, of the file or of the
 * database; UK_NONE when the unit is not known (said where the visit is). */
static void visit_fit(const struct ximport *im, const struct xref *v, unsigned *scope,
                      enum unit_kind *kind)
{
    struct cchc_err quiet = {0};
    size_t at;
    *kind = UK_NONE;
    if (v->file != SIZE_MAX) {
        const struct rd_visit *fv = (const struct rd_visit *)im->rs.l[DK_VISITS].v + v->file;
        *scope = fv->scope;
        if (dfmt_need_unit(&im->rs, im->d, fv->node, "unit", fv->unit, &at, kind, &quiet))
            *kind = UK_NONE;
        return;
    }
    const struct visit *dv = &im->db.visits[v->db];
    size_t u = idref_find(im->db.unit_ix, im->db.n_units, dv->unit);
    *scope = dv->scope;
    if (u != SIZE_MAX)
        *kind = im->db.units[u].kind;
}

/* The criterion must belong to the visit's scope and the kind of its unit. */
static int check_fits(const struct ximport *im, const struct x_check *c,
                      const struct check_area *ar, const struct criterion *cr, const struct xref *v,
                      struct cchc_err *err)
{
    unsigned scope = 0;
    enum unit_kind kind;
    if (v->skip)
        return CCHC_OK;
    visit_fit(im, v, &scope, &kind);
    if (!(ar->scope & scope) || !criterion_applies(cr, kind))
        return yerr(err, im->d, dfmt_at(c->node, "criterion"),
                    "criterion %s does not apply to visit %s (its scope or kind of unit)",
                    c->criterion, c->visit);
    return CCHC_OK;
}

/* A visit of the database must not have this result yet (findings only:
 * otherwise the visit is the file's, and new). */
static int check_not_recorded(const struct ximport *im, const struct x_check *c,
                              const struct xref *v, struct cchc_err *err)
{
    struct check_result cur = {0};
    bool found = false;
    if (v->db == SIZE_MAX)
        return CCHC_OK;
    if (model_check_get(im->m, im->db.visits[v->db].m.id, c->criterion, &cur, &found, err) !=
        CCHC_OK)
        return CCHC_ERUNTIME;
    check_free(&cur);
    if (found)
        return yerr(err, im->d, c->node,
                    "visit %s already has a result for %s (import only adds records)", c->visit,
                    c->criterion);
    return CCHC_OK;
}

/* Judged criteria take a result code of the checklist; measured ones a
 * number, or a code that marks them not applicable. */
static int check_check(const struct ximport *im, const struct x_check *c, struct cchc_err *err)
{
    const struct ydoc *d = im->d;
    const struct ynode *nn = ymap_get(c->node, "number");
    const struct check_area *ar = NULL;
    struct xref v;
    if (!im->cfg)
        return yerr(err, d, c->node, "checklist results need the configuration's checklist");
    if (need_own(im, DK_VISITS, c->node, "visit", c->visit, &v, err) ||
        check_criterion(im, c->node, c->criterion, err))
        return CCHC_EUSAGE;
    const struct criterion *cr = config_criterion(im->cfg, c->criterion, &ar);
    if (check_fits(im, c, ar, cr, &v, err))
        return CCHC_EUSAGE;
    const struct result_value *rv = c->value ? config_result(im->cfg, c->value) : NULL;
    if (c->value && !rv)
        return yerr(err, d, dfmt_at(c->node, "value"),
                    "unknown result %s (not among the results of checklist.yaml)", c->value);
    if (cr->kind == CRIT_JUDGED && nn)
        return yerr(err, d, nn, "%s is judged, not measured: give a value, not a number",
                    c->criterion);
    if (cr->kind == CRIT_JUDGED && !rv)
        return yerr(err, d, c->node, "%s is judged: a value is required", c->criterion);
    if (cr->kind == CRIT_MEASURED && !nn && !(rv && rv->na))
        return yerr(err, d, c->node, "%s is measured: a number is required", c->criterion);
    if (nn && rv && rv->na)
        return yerr(err, d, nn, "%s: a number and %s (not applicable) together", c->criterion,
                    rv->code);
    if (nn && (!isfinite(c->number) || c->number < 0))
        return yerr(err, d, nn, "%s: %g is not a measure", c->criterion, c->number);
    if (cr->kind == CRIT_MEASURED && nn && cr->op == TH_NONE && !rv)
        return yerr(err, d, c->node, "%s has no threshold: give a value with the number",
                    c->criterion);
    if (!check_value(im->cfg, cr, c->value, nn != NULL, c->number))
        return yerr(err, d, c->node, "checklist.yaml has no result for this");
    return check_not_recorded(im, c, &v, err);
}

/* CCHC_ERUNTIME when the database could not be read; problems are kept. */
static int check_checks(struct ximport *im, struct cchc_err *err)
{
    const struct x_check *c = im->checks.v;
    for (size_t i = 0; i < im->checks.n; i++) {
        if (dfmt_bad(&im->checks, i))
            continue;
        at_record(im, c[i].node);
        int rc = check_check(im, &c[i], err);
        if (rc == CCHC_ERUNTIME)
            return rc;
        note_problem(im, c[i].node, rc, err);
        for (size_t j = 0; j < i; j++)
            if (!dfmt_bad(&im->checks, j) && strcmp(c[i].visit, c[j].visit) == 0 &&
                strcmp(c[i].criterion, c[j].criterion) == 0) {
                note_problem(im, c[i].node,
                             yerr(err, im->d, c[i].node,
                                  "a second result for %s on visit %s (the first is on line %d)",
                                  c[i].criterion, c[i].visit, c[j].node->line),
                             err);
                break;
            }
    }
    return CCHC_OK;
}

static void check_recs(struct ximport *im, struct cchc_err *err)
{
    const struct x_rec *r = im->recs.v;
    for (size_t i = 0; i < im->recs.n; i++) {
        const struct ynode *rec = r[i].node;
        struct xref v;
        size_t at;
        if (dfmt_bad(&im->recs, i))
            continue;
        at_record(im, rec);
        note_problem(im, rec, need_own(im, DK_VISITS, rec, "visit", r[i].visit, &v, err), err);
        note_problem(im, rec,
                     dfmt_need_unit(&im->rs, im->d, rec, "unit", r[i].unit, &at, NULL, err), err);
        note_problem(im, rec, check_text(im, rec, r[i].text, err), err);
        if (r[i].done_on && r[i].status != RS_DONE)
            note_problem(im, rec,
                         yerr(err, im->d, dfmt_at(rec, "done_on"),
                              "done_on is only for a recommendation whose status is done"),
                         err);
    }
}

/* ---- import: writing, inside one model_write ---- */

/* The id of a visit, unit or commitment named by code: the file's (once
 * written) or the database's; 0 when neither has it (cannot happen after
 * the checks). */
static uint64_t id_of(const struct ximport *im, enum dkind k, const char *code)
{
    const struct rd_set *rs = &im->rs;
    size_t i = dfmt_find(rs, k, code);
    if (i != SIZE_MAX)
        return k == DK_VISITS  ? rs->visit_ids[i]
               : k == DK_UNITS ? rs->unit_ids[i]
                               : rs->comm_ids[i];
    i = db_index(im, k, code);
    if (i == SIZE_MAX)
        return 0;
    return k == DK_VISITS  ? im->db.visits[i].m.id
           : k == DK_UNITS ? im->db.units[i].m.id
                           : im->db.comms[i].c.m.id;
}

static uint64_t note_target_id(const struct ximport *im, const struct x_note *n)
{
    int t = n->target + 1;
    if (t == NT_VISIT || t == NT_CRITERION)
        return id_of(im, DK_VISITS, n->visit);
    if (t == NT_UNIT)
        return id_of(im, DK_UNITS, n->unit);
    struct xref c = {dfmt_find(&im->rs, DK_COMMITMENTS, n->commitment), SIZE_MAX, false};
    if (c.file == SIZE_MAX)
        c.db = db_index(im, DK_COMMITMENTS, n->commitment);
    size_t j = item_at(im, &c, n->item);
    if (j == SIZE_MAX)
        return 0; /* cannot happen: checked */
    return c.file != SIZE_MAX ? im->rs.item_ids[c.file][j] : im->db.comms[c.db].items[j].m.id;
}

static int write_notes(struct mtx *tx, struct ximport *im, struct cchc_err *err)
{
    struct x_note *y = im->notes.v;
    for (size_t i = 0; i < im->notes.n; i++) {
        struct x_version *h = y[i].history.v;
        struct note *hist = xcalloc(y[i].history.n ? y[i].history.n : 1, sizeof *hist);
        struct note n = {
            .target = (enum note_target)(y[i].target + 1),
            .target_id = note_target_id(im, &y[i]),
            .criterion = y[i].criterion,
            .author = y[i].author,
            .created = y[i].created,
            .edited = y[i].edited,
            .text = y[i].text,
            .deleted = y[i].deleted,
        };
        for (size_t j = 0; j < y[i].history.n; j++)
            hist[j] = (struct note){.target = n.target,
                                    .target_id = n.target_id,
                                    .criterion = n.criterion,
                                    .author = h[j].author,
                                    .created = h[j].created,
                                    .edited = h[j].edited,
                                    .text = h[j].text,
                                    .deleted = h[j].deleted};
        int rc = mtx_import_note(tx, &n, hist, y[i].history.n, err);
        free(n.m.mby);
        free(hist);
        if (rc)
            return rc;
        im->st.n[XK_NOTES]++;
    }
    return CCHC_OK;
}

static int write_checks(struct mtx *tx, struct ximport *im, struct cchc_err *err)
{
    struct x_check *y = im->checks.v;
    for (size_t i = 0; i < im->checks.n; i++) {
        bool has_number = ymap_get(y[i].node, "number") != NULL;
        const struct criterion *cr = config_criterion(im->cfg, y[i].criterion, NULL);
        const struct result_value *rv =
            check_value(im->cfg, cr, y[i].value, has_number, y[i].number);
        struct check_result c = {
            .visit = id_of(im, DK_VISITS, y[i].visit),
            .criterion = y[i].criterion,
            .value = rv ? rv->code : NULL,
            .has_number = has_number,
            .number = has_number ? y[i].number : NAN,
            .pass = rv && rv->pass,
            .na = rv && rv->na,
            .comment = y[i].comment,
        };
        int rc = mtx_import_check(tx, &c, err);
        free(c.m.mby);
        if (rc)
            return rc;
        im->st.n[XK_CHECKS]++;
    }
    return CCHC_OK;
}

static int write_recs(struct mtx *tx, struct ximport *im, struct cchc_err *err)
{
    struct x_rec *y = im->recs.v;
    for (size_t i = 0; i < im->recs.n; i++) {
        struct recommendation r = {
            .visit = id_of(im, DK_VISITS, y[i].visit),
            .text = y[i].text,
            .deadline = y[i].deadline,
            .status = (enum rec_status)y[i].status,
            .done_on = y[i].done_on,
            .author = y[i].author,
            .created = y[i].created,
        };
        int rc = dfmt_unit_id(tx, &im->rs, y[i].unit, &r.unit, err);
        if (rc == CCHC_OK)
            rc = mtx_import_rec(tx, &r, err);
        free(r.m.mby);
        if (rc)
            return rc;
        im->st.n[XK_RECS]++;
    }
    return CCHC_OK;
}

/* xstats counts the shared kinds in datafmt.h's order. */
_Static_assert(XK_RESULTS - XK_UNITS == DK_RESULTS - DK_UNITS, "kinds in the same order");

/* One transaction; store_write may run it again from the start. */
static int write_all(struct mtx *tx, void *ctx, struct cchc_err *err)
{
    struct ximport *im = ctx;
    const struct rd_set *rs = &im->rs;
    memset(&im->st, 0, sizeof im->st);
    int rc = dfmt_write(tx, &im->rs, err);
    for (int k = DK_UNITS; k < DK_COUNT; k++)
        im->st.n[XK_UNITS + k] = rs->written[k];
    im->st.items = rs->items_written;
    if (rc == CCHC_OK)
        rc = write_notes(tx, im, err);
    if (rc == CCHC_OK)
        rc = write_checks(tx, im, err);
    if (rc == CCHC_OK)
        rc = write_recs(tx, im, err);
    return rc == CCHC_OK ? CCHC_OK : CCHC_ERUNTIME;
}

/* ---- import: the whole ---- */

/* Read the file. Non-zero only when nothing more can be done: text that
 * is not YAML, not a mapping, or of another version (whose other keys
 * would only be noise); a problem in a record is added to the list, the
 * record marked bad, and the reading goes on. */
static int parse_file(struct ximport *im, const char *path, const char *text, size_t len,
                      struct cchc_err *err)
{
    struct dfmt_errs *errs = im->rs.errs;
    dfmt_errs_file(errs, path);
    int rc = text ? ydoc_parse(&im->doc, path, text, len, err) : ydoc_load(&im->doc, path, err);
    if (rc != CCHC_OK) {
        dfmt_errs_add(errs, NULL, NULL, err);
        return CCHC_EUSAGE;
    }
    im->have_doc = true;
    const struct ydoc *d = &im->doc;
    if (!d->root)
        yerr(err, d, NULL, "the file is empty");
    else if (d->root->type != YN_MAP)
        yerr(err, d, d->root, "expected a mapping at the top of the file (version: 1, ...)");
    if (!d->root || d->root->type != YN_MAP) {
        dfmt_errs_add(errs, d, d->root, err);
        return CCHC_EUSAGE;
    }
    const struct ynode *vn = ymap_get(d->root, "version");
    struct cchc_err quiet = {0};
    long version = 0;
    if (vn && yread_int(d, vn, &version, &quiet) == CCHC_OK && version != FORMAT_VERSION) {
        yerr(err, d, vn, "this file is in export format version %ld; this cchc reads version %d",
             version, FORMAT_VERSION);
        dfmt_errs_add(errs, d, vn, err);
        return CCHC_EUSAGE;
    }
    dfmt_read_map(d, d->root, (im->flags & XI_FINDINGS) ? findings_fields : file_fields, im,
                  &im->rs, err);
    return CCHC_OK;
}

/* What the database holds already: its codes, so that the file's may be
 * checked against them. */
static int load_db(struct ximport *im, struct cchc_err *err)
{
    int rc = load_units(im->m, &im->db, err);
    im->db_empty = rc == CCHC_OK && im->db.n_units == 0;
    if (rc == CCHC_OK && !im->db_empty)
        rc = load_commitments(im->m, &im->db, err);
    if (rc == CCHC_OK && !im->db_empty)
        rc = load_visits(im->m, &im->db, err);
    if (rc != CCHC_OK)
        return CCHC_ERUNTIME;
    db_codes_make(im);
    return CCHC_OK;
}

/* Every check runs, whatever the others found; CCHC_ERUNTIME when the
 * database could not be read. */
static int check_all(struct ximport *im, struct cchc_err *err)
{
    struct rd_set *rs = &im->rs;
    dfmt_check_units(rs, err);
    dfmt_check_commitments(rs, err);
    dfmt_check_visits(rs, err);
    if (dfmt_check_results(rs, err) == CCHC_ERUNTIME)
        return CCHC_ERUNTIME;
    check_notes(im, err);
    if (check_checks(im, err) == CCHC_ERUNTIME)
        return CCHC_ERUNTIME;
    check_recs(im, err);
    return CCHC_OK;
}

static void ximport_free(struct ximport *im)
{
    struct x_note *n = im->notes.v;
    for (size_t i = 0; i < im->notes.n; i++)
        dfmt_free_list(&n[i].history, sizeof(struct x_version), version_fields);
    dfmt_free_list(&im->notes, sizeof *n, note_fields);
    dfmt_free_list(&im->checks, sizeof(struct x_check), check_fields);
    dfmt_free_list(&im->recs, sizeof(struct x_rec), rec_fields);
    dfmt_free(&im->rs);
    if (im->have_doc)
        ydoc_free(&im->doc);
    xdb_free(&im->db);
    for (int k = DK_UNITS; k < DK_RESULTS; k++)
        free(im->dbc[k].v);
}

static int write_file(struct ximport *im, struct cchc_err *err)
{
    const struct rd_list *l = im->rs.l;
    size_t total = im->notes.n + im->checks.n + im->recs.n;
    for (int k = DK_UNITS; k < DK_COUNT; k++)
        total += l[k].n;
    if (total == 0)
        return CCHC_OK; /* nothing to add: no write, no audit record */
    char detail[256];
    snprintf(detail, sizeof detail,
             "%s: %zu units, %zu commitments, %zu items, %zu visits, %zu results, %zu notes, "
             "%zu checks, %zu recs",
             im->doc.path, l[DK_UNITS].n, l[DK_COMMITMENTS].n, dfmt_items(&im->rs), l[DK_VISITS].n,
             l[DK_RESULTS].n, im->notes.n, im->checks.n, im->recs.n);
    return model_write(im->m, "import", detail, write_all, im, err) == CCHC_OK ? CCHC_OK
                                                                               : CCHC_ERUNTIME;
}

int exchange_import_with(struct model *m, const struct config *cfg, const char *path,
                         const char *text, size_t len, unsigned flags, struct dfmt_errs *errs,
                         struct xstats *stats, struct cchc_err *err)
{
    struct ximport *im = xcalloc(1, sizeof *im);
    struct dfmt_errs own = {0};
    im->m = m;
    im->cfg = cfg;
    im->flags = flags;
    im->rs = (struct rd_set){.fmt = DF_EXPORT,
                             .cfg = cfg,
                             .errs = errs ? errs : &own,
                             .db_has = db_has,
                             .db_has_result = db_has_result,
                             .db_ctx = im};
    size_t before = im->rs.errs->total;
    if (stats)
        memset(stats, 0, sizeof *stats);
    int rc = parse_file(im, path, text, len, err);
    if (rc == CCHC_OK)
        rc = load_db(im, err);
    if (rc == CCHC_OK)
        rc = check_all(im, err);
    if (rc != CCHC_ERUNTIME && im->rs.errs->total > before)
        rc = dfmt_errs_result(im->rs.errs, err);
    if (rc == CCHC_OK)
        rc = write_file(im, err);
    if (rc == CCHC_OK && stats)
        *stats = im->st;
    ximport_free(im);
    free(im);
    dfmt_errs_free(&own);
    return rc;
}

int exchange_import_text(struct model *m, const struct config *cfg, const char *path,
                         const char *text, size_t len, struct xstats *stats, struct cchc_err *err)
{
    return exchange_import_with(m, cfg, path, text, len, 0, NULL, stats, err);
}

int exchange_import(struct model *m, const struct config *cfg, const char *path,
                    struct xstats *stats, struct cchc_err *err)
{
    return exchange_import_with(m, cfg, path, NULL, 0, 0, NULL, stats, err);
}

/* ---- backup ---- */

int exchange_backup(struct model *m, const char *dir, void (*report)(void *ctx, const char *line),
                    void *ctx, struct cchc_err *err)
{
    char *data = path_join(dir, "data.mdb");
    bool exists = path_exists(data);
    free(data);
    if (exists)
        return err_set(err, CCHC_ERUNTIME, "%s already holds a database: back up into a new folder",
                       dir);
    if (model_backup(m, dir, err) != CCHC_OK)
        return CCHC_ERUNTIME;
    /* the copy must open and read back whole */
    struct model *copy = NULL;
    int rc = model_open(&copy, dir, STORE_RDONLY, model_login(m), err);
    if (rc == CCHC_OK) {
        int problems = model_check(copy, report, ctx, err);
        if (problems > 0)
            rc = err_set(err, CCHC_ERUNTIME, "the copy in %s has %d problem%s", dir, problems,
                         problems == 1 ? "" : "s");
        else if (problems < 0)
            rc = CCHC_ERUNTIME;
        model_close(copy);
    }
    char *lock = path_join(dir, "lock.mdb");
    unlink(lock);
    free(lock);
    return rc == CCHC_OK ? CCHC_OK : CCHC_ERUNTIME;
}
