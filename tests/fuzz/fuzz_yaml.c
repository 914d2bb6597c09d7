/* fuzz_yaml.c — libFuzzer target for the YAML layer (yaml.h): the tree
 * builder, the typed scalar readers, the table-driven mapper and the error
 * messages with their quoted line and caret.
 *
 * The input is one YAML file, parsed from memory. Besides what the
 * sanitizers catch, a finding is: a tree that breaks what yaml.h promises
 * (positions from 1, keys that are scalars and unique within a mapping, text
 * in UTF-8 NFC, nesting bounded), a reader that accepts a value it should
 * refuse, or an error message unfit for a terminal (fuzz_common.h).
 * Run with tests/fuzz/run.sh yaml.
 */
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cchc/util.h"
#include "cchc/yaml.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* yaml.c refuses deeper files; leave room for the value under the last key. */
enum { DEPTH_LIMIT = 66, MAX_ERRS = 64 };

/* A struct for the mapper to fill: one field of every kind. */
struct rec {
    char *s;
    long i;
    double d;
    bool b;
    cchc_date t;
    int e;
    int small;
    char **v;
    size_t nv;
    struct rec *kids;
    size_t nkids;
};

static const char *const colours[] = {"red", "green", "blue", NULL};

static int read_strv(const struct ydoc *d, const struct ynode *n, void *dst, void *ctx,
                     struct cchc_err *err);
static int read_kids(const struct ydoc *d, const struct ynode *n, void *dst, void *ctx,
                     struct cchc_err *err);

#define FLD(key, type, member, req, names, fn)                                                     \
    {                                                                                              \
        key, type, offsetof(struct rec, member), req, names, fn                                    \
    }
static const struct yfield rec_fields[] = {
    FLD("name", YF_STR, s, false, NULL, NULL),
    FLD("count", YF_INT, i, false, NULL, NULL),
    FLD("max", YF_DOUBLE, d, false, NULL, NULL),
    FLD("pass", YF_BOOL, b, false, NULL, NULL),
    FLD("due", YF_DATE, t, false, NULL, NULL),
    FLD("colour", YF_ENUM, e, false, colours, NULL),
    FLD("year", YF_SMALLINT, small, false, NULL, NULL),
    FLD("codes", YF_CUSTOM, v, false, NULL, read_strv),
    FLD("items", YF_CUSTOM, kids, false, NULL, read_kids),
    {NULL, YF_STR, 0, false, NULL, NULL},
};

static void rec_free(struct rec *r)
{
    free(r->s);
    for (size_t i = 0; i < r->nv; i++)
        free(r->v[i]);
    free(r->v);
    for (size_t i = 0; i < r->nkids; i++)
        rec_free(&r->kids[i]);
    free(r->kids);
}

/* Check what the mapper gave against the tree it read. */
static void rec_check(const struct rec *r, const struct ynode *map)
{
    if (r->s)
        fz_check_text("a YF_STR value", r->s);
    const struct ynode *y = ymap_get(map, "year");
    if (y && (long)r->small != strtol(y->str, NULL, 10))
        fz_fail("YF_SMALLINT read %s as %d", y->str, r->small);
    if (ymap_get(map, "max") && !isfinite(r->d))
        fz_fail("YF_DOUBLE accepted a value that is not finite");
    if (ymap_get(map, "colour") && (r->e < 0 || r->e > 2))
        fz_fail("YF_ENUM gave index %d", r->e);
    for (size_t i = 0; i < r->nv; i++)
        fz_check_text("a list item", r->v[i]);
}

static int read_strv(const struct ydoc *d, const struct ynode *n, void *dst, void *ctx,
                     struct cchc_err *err)
{
    struct rec *r = (struct rec *)((char *)dst - offsetof(struct rec, v));
    (void)ctx;
    return yread_strv(d, n, &r->v, &r->nv, err);
}

static int read_kid(const struct ydoc *d, const struct ynode *item, void *elem, void *ctx,
                    struct cchc_err *err)
{
    if (item->type != YN_MAP)
        return yerr(err, d, item, "expected a mapping");
    int rc = ymap_read(d, item, rec_fields, elem, ctx, err);
    if (rc == CCHC_OK)
        rec_check(elem, item);
    return rc;
}

static int read_kids(const struct ydoc *d, const struct ynode *n, void *dst, void *ctx,
                     struct cchc_err *err)
{
    struct rec *r = (struct rec *)((char *)dst - offsetof(struct rec, kids));
    void *kids = NULL;
    int rc = yread_seq(d, n, sizeof(struct rec), &kids, &r->nkids, read_kid, ctx, err);
    r->kids = kids;
    return rc;
}

/* ---- the typed readers on one scalar ---- */

static bool all_digits(const char *s)
{
    if (*s == '+' || *s == '-')
        s++;
    if (!*s)
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

static void try_readers(const struct ydoc *d, const struct ynode *n)
{
    struct cchc_err err = {0};
    char *s = NULL;
    int rc = yread_str(d, n, &s, &err);
    fz_check_err("yread_str", rc, &err);
    if (rc == CCHC_OK && (n->type != YN_SCALAR || strcmp(s, n->str) != 0))
        fz_fail("yread_str gave \"%s\" for a different node", s);
    free(s);

    long l = 0;
    rc = yread_int(d, n, &l, &err);
    fz_check_err("yread_int", rc, &err);
    if (rc == CCHC_OK && (n->quoted || !all_digits(n->str)))
        fz_fail("yread_int accepted \"%s\"", n->str);

    double x = 0;
    rc = yread_double(d, n, &x, &err);
    fz_check_err("yread_double", rc, &err);
    if (rc == CCHC_OK && (!isfinite(x) || n->quoted))
        fz_fail("yread_double accepted \"%s\" as %g", n->str, x);

    bool b;
    rc = yread_bool(d, n, &b, &err);
    fz_check_err("yread_bool", rc, &err);

    cchc_date t = 0;
    rc = yread_date(d, n, &t, &err);
    fz_check_err("yread_date", rc, &err);
    if (rc == CCHC_OK) {
        char iso[11];
        int y, m, day;
        date_ymd(t, &y, &m, &day);
        if (date_from_ymd(y, m, day) != t || strcmp(date_iso(t, iso), n->str) != 0)
            fz_fail("yread_date read \"%s\" as %s", n->str, date_iso(t, iso));
    }

    int e = -1;
    rc = yread_enum(d, n, colours, &e, &err);
    fz_check_err("yread_enum", rc, &err);
    if (rc == CCHC_OK && strcmp(colours[e], n->str) != 0)
        fz_fail("yread_enum read \"%s\" as %s", n->str, colours[e]);
}

/* ---- walking the tree ---- */

/* A message at a node is "path:line:col: text", the source line indented by
 * two spaces, and a caret under the column: the caret must fall within the
 * quoted line, or just after its end. */
static void check_caret(const struct cchc_err *err, const struct ynode *n)
{
    const char *l2 = strchr(err->msg, '\n');
    const char *l3 = l2 ? strchr(l2 + 1, '\n') : NULL;
    if (!l2 || !l3)
        return; /* no quoted line: allowed when the position is beyond the text */
    if (strncmp(l2, "\n  ", 3) != 0 || strncmp(l3, "\n  ", 3) != 0)
        fz_fail("message lines not indented: %s", err->msg);
    const char *c = l3 + 3;
    size_t spaces = strspn(c, " ");
    if (strcmp(c + spaces, "^") != 0)
        fz_fail("third message line is not a caret: %s", err->msg);
    char *line = strndup(l2 + 3, (size_t)(l3 - l2 - 3));
    int width = text_width(line);
    free(line);
    if ((int)spaces > width)
        fz_fail("caret at column %zu of a quoted line %d wide (node %d:%d): %s", spaces + 1, width,
                n->line, n->col, err->msg);
}

struct walk {
    const struct ydoc *d;
    int lines; /* lines in the text, an upper bound for node lines */
    size_t nodes;
};

static void walk(struct walk *w, const struct ynode *n, int depth)
{
    struct cchc_err err = {0};
    if (!n)
        fz_fail("NULL node in the tree");
    if (depth > DEPTH_LIMIT)
        fz_fail("a tree %d levels deep was accepted", depth);
    if (n->line < 1 || n->col < 1 || n->line > w->lines)
        fz_fail("node at %d:%d in a text of %d lines", n->line, n->col, w->lines);
    w->nodes++;
    /* Every error message quotes the node's line with a caret under it. */
    if (w->nodes <= MAX_ERRS) {
        int rc = yerr(&err, w->d, n, "problem here");
        fz_check_err("yerr", rc, &err);
        check_caret(&err, n);
    }
    switch (n->type) {
    case YN_SCALAR:
        if (!n->str)
            fz_fail("scalar without text at %d:%d", n->line, n->col);
        fz_check_text("a scalar", n->str);
        if (n->null && n->quoted)
            fz_fail("a quoted scalar is null at %d:%d", n->line, n->col);
        if (w->nodes <= MAX_ERRS)
            try_readers(w->d, n);
        break;
    case YN_SEQ:
        if (n->n && !n->items)
            fz_fail("list of %zu items without items", n->n);
        for (size_t i = 0; i < n->n; i++)
            walk(w, n->items[i], depth + 1);
        if (w->nodes <= MAX_ERRS) {
            char **v = NULL;
            size_t nv = 0;
            int rc = yread_strv(w->d, n, &v, &nv, &err);
            fz_check_err("yread_strv", rc, &err);
            for (size_t i = 0; i < nv; i++)
                free(v[i]);
            free(v);
        }
        break;
    case YN_MAP:
        if (n->n && !n->pairs)
            fz_fail("mapping of %zu pairs without pairs", n->n);
        for (size_t i = 0; i < n->n; i++) {
            const struct ypair *p = &n->pairs[i];
            if (!p->key || p->key->type != YN_SCALAR)
                fz_fail("mapping key at %d:%d is not a scalar", n->line, n->col);
            for (size_t j = 0; j < i; j++)
                if (strcmp(n->pairs[j].key->str, p->key->str) == 0)
                    fz_fail("duplicate key '%s' accepted at %d:%d", p->key->str, p->key->line,
                            p->key->col);
            if (ymap_get(n, p->key->str) != p->val || ymap_get_key(n, p->key->str) != p->key)
                fz_fail("ymap_get('%s') does not find its own pair", p->key->str);
            walk(w, p->key, depth + 1);
            walk(w, p->val, depth + 1);
        }
        if (w->nodes <= MAX_ERRS) {
            struct rec r = {0};
            int rc = ymap_read(w->d, n, rec_fields, &r, NULL, &err);
            fz_check_err("ymap_read", rc, &err);
            if (rc == CCHC_OK)
                rec_check(&r, n);
            rec_free(&r);
        }
        break;
    default:
        fz_fail("node of unknown type %d", (int)n->type);
    }
}

static int count_lines(const char *t, size_t len)
{
    int lines = 1;
    for (size_t i = 0; i < len; i++)
        lines += t[i] == '\n' || t[i] == '\r';
    /* NEL and the Unicode separators are breaks too: count generously. */
    return lines + (int)(len / 2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ydoc doc;
    struct cchc_err err = {0};
    int rc = ydoc_parse(&doc, "fuzz.yaml", (const char *)data, size, &err);
    fz_check_err("ydoc_parse", rc, &err);
    if (rc != CCHC_OK) {
        if (doc.root || doc.text)
            fz_fail("ydoc_parse failed but left a document behind");
        ydoc_free(&doc);
        return 0;
    }
    if (doc.len != size || memcmp(doc.text, data, size) != 0 || doc.text[size] != '\0')
        fz_fail("ydoc.text is not the input");
    struct walk w = {.d = &doc, .lines = count_lines((const char *)data, size)};
    if (doc.root)
        walk(&w, doc.root, 1);

    /* Messages at positions beyond the text, and at its very end. */
    rc = yerr_at(&err, &doc, w.lines + 5, 3, "beyond the end");
    fz_check_err("yerr_at", rc, &err);
    rc = yerr_at(&err, &doc, 1, 100000, "far right");
    fz_check_err("yerr_at", rc, &err);
    rc = yerr_at(&err, &doc, 0, 0, "no position");
    fz_check_err("yerr_at", rc, &err);

    /* "Did you mean": the first key against the mapper's own keys. */
    if (doc.root && doc.root->type == YN_MAP && doc.root->n) {
        static const char *const keys[] = {"name", "count", "max", "pass", "due", "colour", "year"};
        const char *word = doc.root->pairs[0].key->str;
        const char *near = yclosest(word, keys, 7);
        bool known = false;
        for (size_t i = 0; i < 7; i++)
            known = known || near == keys[i];
        if (near && !known)
            fz_fail("yclosest('%s') gave a word not among the candidates", word);
    }
    ydoc_free(&doc);
    return 0;
}
