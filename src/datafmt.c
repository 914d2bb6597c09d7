/* datafmt.c — the records that the data files and the export files share
 * (datafmt.h): units, commitments with their items, visits with their
 * teams, index results.
 *
 * What it owns: the one field table of each record, with the keys each
 * format has; the list reader and the freeing that follow those tables; the
 * checks the tables cannot express (code syntax and uniqueness, references
 * to units, the configuration's index codes and maxima, dates, one lead a
 * team); and the writer of the records into a database. What belongs to a
 * data folder alone (four files, the plan of visits.yaml, an empty
 * database) is import.c's; what belongs to an export file alone (its
 * version, notes, checklist results, recommendations, the database it adds
 * to) is exchange.c's.
 *
 * Problems are not returned one at a time: each is added to the rd_set's
 * list (struct dfmt_errs), which keeps the first DFMT_MAX_ERRS in file
 * order, and the reading and checking go on. A mapping is read a pair at a
 * time so that every bad key of it is named; a record with a problem is
 * marked bad and left out of the checks, and what refers to it is not
 * refused for it.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cchc/config.h"
#include "cchc/datafmt.h"
#include "cchc/domain.h"
#include "cchc/model.h"

/* ---- problems ---- */

static size_t file_order(struct dfmt_errs *e, const char *path)
{
    for (size_t i = 0; i < e->n_files; i++)
        if (strcmp(e->files[i], path) == 0)
            return i;
    e->files = xrealloc(e->files, (e->n_files + 1) * sizeof *e->files);
    e->files[e->n_files] = xstrdup(path);
    return e->n_files++;
}

void dfmt_errs_file(struct dfmt_errs *e, const char *path)
{
    file_order(e, path ? path : "");
}

static int err_cmp(const void *pa, const void *pb)
{
    const struct dfmt_err *a = pa, *b = pb;
    if (a->file != b->file)
        return a->file < b->file ? -1 : 1;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* A full list keeps the problems that come first: a new one takes the
 * place of the last kept when it comes before it, so that what is shown
 * does not depend on the order the checks ran in. */
void dfmt_errs_add(struct dfmt_errs *e, const struct ydoc *d, const struct ynode *rec,
                   const struct cchc_err *err)
{
    struct dfmt_err x = {file_order(e, d && d->path ? d->path : ""), rec ? rec->line : 0,
                         e->total++, NULL};
    size_t at = e->n;
    if (e->n == DFMT_MAX_ERRS) {
        at = 0;
        for (size_t i = 1; i < e->n; i++)
            if (err_cmp(&e->v[i], &e->v[at]) > 0)
                at = i;
        if (err_cmp(&x, &e->v[at]) > 0)
            return;
        free(e->v[at].text);
    } else {
        e->n++;
    }
    x.text = xstrdup(err && err->msg[0] ? err->msg : "the data is not valid");
    e->v[at] = x;
}

const struct ydoc *dfmt_errs_doc(struct dfmt_errs *e, const struct ydoc *d, const struct ynode *rec)
{
    if (!d || e->n < DFMT_MAX_ERRS)
        return d;
    struct dfmt_err x = {file_order(e, d->path ? d->path : ""), rec ? rec->line : 0, e->total,
                         NULL};
    for (size_t i = 0; i < e->n; i++)
        if (err_cmp(&x, &e->v[i]) < 0)
            return d; /* it would take the place of a later one */
    if (x.file >= DFMT_QUIET_FILES)
        return d;
    e->quiet[x.file].path = e->files[x.file];
    return &e->quiet[x.file];
}

int dfmt_errs_result(struct dfmt_errs *e, struct cchc_err *err)
{
    qsort(e->v, e->n, sizeof e->v[0], err_cmp);
    if (e->n == 0)
        return CCHC_OK;
    return err_set(err, CCHC_EUSAGE, "%s", e->v[0].text);
}

void dfmt_errs_free(struct dfmt_errs *e)
{
    for (size_t i = 0; i < e->n; i++)
        free(e->v[i].text);
    for (size_t i = 0; i < e->n_files; i++)
        free(e->files[i]);
    free(e->files);
    memset(e, 0, sizeof *e);
}

/* Keep the problem in err, unless what failed has added its own already
 * (a reader of a nested list or mapping): the count grew since mark. */
static void keep(const struct rd_set *rs, const struct ydoc *d, const struct ynode *at, size_t mark,
                 const struct cchc_err *err)
{
    if (rs->errs->total == mark)
        dfmt_errs_add(rs->errs, d, at, err);
}

/* ---- reading by table ---- */

enum { MAX_FIELDS = 24 }; /* more than any table here has */

/* yaml.h's table for one format: the keys it has, required where it
 * requires them, in the order of the table (so that messages listing the
 * keys read the same). */
static void fields_for(const struct dfield *df, enum dfmt_format fmt, struct yfield *out)
{
    size_t n = 0;
    for (; df->f.key && n + 1 < MAX_FIELDS; df++) {
        if (!(df->in & fmt))
            continue;
        out[n] = df->f;
        out[n++].required = (df->req & fmt) != 0;
    }
    out[n] = (struct yfield){0};
}

/* ymap_read stops at the first problem of a mapping; to find them all, it
 * is given the pairs one at a time (its words for a key it does not know
 * or a value of the wrong type stay the same), then each required key that
 * is missing, alone. */
static int read_map_all(struct rd_set *rs, const struct ydoc *d, const struct ynode *map,
                        const struct yfield *tab, void *dst, struct cchc_err *err)
{
    struct yfield opt[MAX_FIELDS];
    size_t nf = 0, before = rs->errs->total;
    if (map->type != YN_MAP)
        return ymap_read(d, map, tab, dst, rs, err); /* its words; the caller keeps them */
    for (; tab[nf].key; nf++) {
        opt[nf] = tab[nf];
        opt[nf].required = false;
    }
    opt[nf] = (struct yfield){0};
    for (size_t i = 0; i < map->n; i++) {
        struct ynode one = *map;
        size_t mark = rs->errs->total;
        one.n = 1;
        one.pairs = &map->pairs[i];
        if (ymap_read(d, &one, opt, dst, rs, err))
            keep(rs, d, map->pairs[i].key, mark, err);
    }
    for (size_t k = 0; k < nf; k++) {
        if (!tab[k].required || ymap_get_key(map, tab[k].key))
            continue;
        struct yfield req[2] = {tab[k], {0}};
        struct ynode none = *map;
        none.n = 0;
        none.pairs = NULL;
        ymap_read(d, &none, req, dst, rs, err);
        dfmt_errs_add(rs->errs, d, map, err);
    }
    return rs->errs->total > before ? CCHC_EUSAGE : CCHC_OK;
}

int dfmt_read_map(const struct ydoc *d, const struct ynode *n, const struct dfield *fields,
                  void *dst, void *ctx, struct cchc_err *err)
{
    struct rd_set *rs = ctx;
    struct yfield tab[MAX_FIELDS];
    fields_for(fields, rs->fmt, tab);
    return read_map_all(rs, d, n, tab, dst, err);
}

bool dfmt_bad(const struct rd_list *l, size_t i)
{
    return l->bad && i < l->n && l->bad[i];
}

int dfmt_read_list(const struct ydoc *d, const struct ynode *n, struct rd_list *out, size_t size,
                   const struct dfield *fields, void *ctx, struct cchc_err *err)
{
    struct rd_set *rs = ctx;
    struct yfield tab[MAX_FIELDS];
    out->doc = d;
    if (n->type != YN_SEQ) {
        out->broken = true;
        return yerr(err, d, n, "expected a list (lines starting with '- ', or [...])");
    }
    fields_for(fields, rs->fmt, tab);
    out->v = xcalloc(n->n ? n->n : 1, size);
    out->n = n->n;
    size_t before = rs->errs->total;
    for (size_t i = 0; i < n->n; i++) {
        const struct ynode *it = n->items[i];
        const struct ydoc *ed = dfmt_errs_doc(rs->errs, d, it);
        size_t mark = rs->errs->total;
        memcpy((char *)out->v + i * size, &it, sizeof it);
        int rc = it->type != YN_MAP
                     ? yerr(err, ed, it, "expected a mapping (key: value lines, or {...})")
                     : read_map_all(rs, ed, it, tab, (char *)out->v + i * size, err);
        if (rc == CCHC_OK)
            continue;
        keep(rs, ed, it, mark, err);
        if (!out->bad)
            out->bad = xcalloc(n->n, 1);
        out->bad[i] = 1;
    }
    return rs->errs->total > before ? CCHC_EUSAGE : CCHC_OK;
}

void dfmt_free_strs(const struct dfield *fields, void *dst)
{
    for (const struct dfield *f = fields; f->f.key; f++) {
        if (f->f.type == YF_STR) {
            char **s = (char **)((char *)dst + f->f.offset);
            free(*s);
            *s = NULL;
        }
    }
}

void dfmt_free_list(struct rd_list *l, size_t size, const struct dfield *fields)
{
    for (size_t i = 0; i < l->n; i++)
        dfmt_free_strs(fields, (char *)l->v + i * size);
    free(l->v);
    free(l->bad);
    memset(l, 0, sizeof *l);
}

int dfmt_read_period(const struct ydoc *d, const struct ynode *n, void *dst, void *ctx,
                     struct cchc_err *err)
{
    struct year_span *p = dst;
    (void)ctx;
    if (n->type != YN_SEQ || n->n != 2)
        return yerr(err, d, n, "expected the first and last year, e.g. [2022, 2025]");
    if (yread_int(d, n->items[0], &p->from, err) || yread_int(d, n->items[1], &p->to, err))
        return CCHC_EUSAGE;
    if (p->from < 1900 || p->from > 9999)
        return yerr(err, d, n->items[0], "year %ld is out of range", p->from);
    if (p->to < p->from || p->to > 9999)
        return yerr(err, d, n->items[1], "the last year comes before the first");
    return CCHC_OK;
}

int dfmt_read_scope(const struct ydoc *d, const struct ynode *n, void *dst, void *ctx,
                    struct cchc_err *err)
{
    static const char *const scopes[] = {"cchc", "tthc", NULL};
    unsigned *scope = dst;
    (void)ctx;
    if (n->type != YN_SEQ || n->n == 0)
        return yerr(err, d, n, "expected a list of cchc, tthc");
    for (size_t i = 0; i < n->n; i++) {
        int k;
        if (yread_enum(d, n->items[i], scopes, &k, err))
            return CCHC_EUSAGE;
        unsigned bit = (unsigned)scope_parse(scopes[k]);
        if (*scope & bit)
            return yerr(err, d, n->items[i], "%s is listed twice", scopes[k]);
        *scope |= bit;
    }
    return CCHC_OK;
}

/* ---- the records' tables ---- */

static const char *const unit_kinds[] = {"province", "department", "district", "commune", NULL};
static const char *const item_statuses[] = {"not_started", "in_progress",  "achieved",
                                            "late",        "not_achieved", NULL};
static const char *const visit_statuses[] = {"planned", "in_progress", "done", "concluded", NULL};
static const char *const team_roles[] = {"member", "lead", NULL};

/* A head or a signer: a data folder names them; an export file writes a
 * signer's name only when there is one, and may carry a unit (refused for
 * a signer by the check: it is the commitment's). */
static const struct dfield person_fields[] = {
    DFIELD(struct rd_person, "unit", YF_STR, unit, DF_EXPORT, 0, NULL, NULL),
    DFIELD(struct rd_person, "name", YF_STR, name, DF_BOTH, DF_DATA, NULL, NULL),
    DF_F(struct rd_person, "title", YF_STR, title, false),
    DF_END,
};

static const struct dfield counter_fields[] = {
    DFIELD(struct rd_person, "unit", YF_STR, unit, DF_BOTH, DF_DATA, NULL, NULL),
    DFIELD(struct rd_person, "name", YF_STR, name, DF_BOTH, DF_DATA, NULL, NULL),
    DF_F(struct rd_person, "title", YF_STR, title, false),
    DF_END,
};

static int read_person_by(const struct ydoc *d, const struct ynode *n, const struct dfield *fields,
                          void *dst, void *ctx, struct cchc_err *err)
{
    if (n->type != YN_MAP)
        return yerr(err, d, n, "expected a mapping, e.g. {name: ..., title: ...}");
    return dfmt_read_map(d, n, fields, dst, ctx, err);
}

static int read_person(const struct ydoc *d, const struct ynode *n, void *dst, void *ctx,
                       struct cchc_err *err)
{
    return read_person_by(d, n, person_fields, dst, ctx, err);
}

static int read_counter(const struct ydoc *d, const struct ynode *n, void *dst, void *ctx,
                        struct cchc_err *err)
{
    return read_person_by(d, n, counter_fields, dst, ctx, err);
}

static const struct dfield unit_fields[] = {
    DF_F(struct rd_unit, "code", YF_STR, code, true),
    DF_F(struct rd_unit, "name", YF_STR, name, true),
    DF_F(struct rd_unit, "short", YF_STR, short_name, false),
    DF_E(struct rd_unit, "kind", kind, true, unit_kinds),
    DF_F(struct rd_unit, "form", YF_STR, form, false),
    DF_F(struct rd_unit, "parent", YF_STR, parent, false),
    DF_C(struct rd_unit, "head", head, false, read_person),
    DF_F(struct rd_unit, "valid_from", YF_DATE, valid_from, false),
    DF_F(struct rd_unit, "valid_to", YF_DATE, valid_to, false),
    DF_F(struct rd_unit, "successor", YF_STR, successor, false),
    DF_F(struct rd_unit, "note", YF_STR, note, false),
    DF_END,
};

static const struct dfield item_fields[] = {
    DFIELD(struct rd_item, "seq", YF_INT, seq, DF_EXPORT, 0, NULL, NULL),
    DF_F(struct rd_item, "component", YF_STR, component, true),
    DF_F(struct rd_item, "text", YF_STR, text, true),
    DF_F(struct rd_item, "baseline", YF_STR, baseline, false),
    DF_F(struct rd_item, "target", YF_STR, target, true),
    DF_F(struct rd_item, "due", YF_DATE, due, true),
    DF_E(struct rd_item, "status", status, true, item_statuses),
    DF_F(struct rd_item, "progress", YF_STR, progress, false),
    DF_END,
};

static int read_items(const struct ydoc *d, const struct ynode *n, void *dst, void *ctx,
                      struct cchc_err *err)
{
    if (n->type == YN_SEQ && n->n == 0)
        return yerr(err, d, n, "a commitment needs at least one item");
    return dfmt_read_list(d, n, dst, sizeof(struct rd_item), item_fields, ctx, err);
}

static const struct dfield commitment_fields[] = {
    DF_F(struct rd_commitment, "code", YF_STR, code, true),
    DF_F(struct rd_commitment, "unit", YF_STR, unit, true),
    DF_F(struct rd_commitment, "title", YF_STR, title, true),
    DF_F(struct rd_commitment, "signed_on", YF_DATE, signed_on, true),
    DF_C(struct rd_commitment, "period", period, true, dfmt_read_period),
    DF_C(struct rd_commitment, "signer", signer, true, read_person),
    DF_C(struct rd_commitment, "countersigner", counter, true, read_counter),
    DF_C(struct rd_commitment, "items", items, true, read_items),
    DF_END,
};

static const struct dfield member_fields[] = {
    DF_F(struct rd_member, "login", YF_STR, login, true),
    DF_F(struct rd_member, "name", YF_STR, name, true),
    DF_F(struct rd_member, "org", YF_STR, org, false),
    DF_E(struct rd_member, "role", role, false, team_roles),
    DF_END,
};

static int read_team(const struct ydoc *d, const struct ynode *n, void *dst, void *ctx,
                     struct cchc_err *err)
{
    if (n->type == YN_SEQ && n->n == 0)
        return yerr(err, d, n, "a team needs at least one member");
    return dfmt_read_list(d, n, dst, sizeof(struct rd_member), member_fields, ctx, err);
}

/* A data folder's visits take year and plan from visits.yaml's plan. */
static const struct dfield visit_fields[] = {
    DF_F(struct rd_visit, "code", YF_STR, code, true),
    DF_F(struct rd_visit, "unit", YF_STR, unit, true),
    DFIELD(struct rd_visit, "year", YF_INT, year, DF_EXPORT, DF_EXPORT, NULL, NULL),
    DFIELD(struct rd_visit, "plan", YF_STR, plan, DF_EXPORT, 0, NULL, NULL),
    DF_F(struct rd_visit, "start", YF_DATE, start, true),
    DF_F(struct rd_visit, "end", YF_DATE, end, false),
    DF_C(struct rd_visit, "scope", scope, true, dfmt_read_scope),
    DF_E(struct rd_visit, "status", status, true, visit_statuses),
    DF_F(struct rd_visit, "decision", YF_STR, decision, false),
    DFIELD(struct rd_visit, "started_on", YF_DATE, started_on, DF_BOTH, 0, NULL, NULL),
    DFIELD(struct rd_visit, "done_on", YF_DATE, done_on, DF_BOTH, 0, NULL, NULL),
    DFIELD(struct rd_visit, "concluded_on", YF_DATE, concluded_on, DF_BOTH, 0, NULL, NULL),
    DF_C(struct rd_visit, "team", team, true, read_team),
    DF_END,
};

static const struct dfield result_fields[] = {
    DF_F(struct rd_result, "index", YF_STR, index, true),
    DF_F(struct rd_result, "component", YF_STR, component, false),
    DF_F(struct rd_result, "year", YF_INT, year, true),
    DF_F(struct rd_result, "unit", YF_STR, unit, false),
    DF_F(struct rd_result, "score", YF_DOUBLE, score, false),
    DF_F(struct rd_result, "rank", YF_SMALLINT, rank, false),
    DF_F(struct rd_result, "of", YF_SMALLINT, of, false),
    DF_F(struct rd_result, "grade", YF_STR, grade, false),
    DF_F(struct rd_result, "source", YF_STR, source, false),
    DF_END,
};

#define LIST_READER(fn, T, fields)                                                                 \
    int fn(const struct ydoc *d, const struct ynode *n, void *dst, void *ctx,                      \
           struct cchc_err *err)                                                                   \
    {                                                                                              \
        return dfmt_read_list(d, n, dst, sizeof(T), fields, ctx, err);                             \
    }
LIST_READER(dfmt_read_units, struct rd_unit, unit_fields)
LIST_READER(dfmt_read_commitments, struct rd_commitment, commitment_fields)
LIST_READER(dfmt_read_visits, struct rd_visit, visit_fields)
LIST_READER(dfmt_read_results, struct rd_result, result_fields)

size_t dfmt_items(const struct rd_set *rs)
{
    const struct rd_commitment *c = rs->l[DK_COMMITMENTS].v;
    size_t n = 0;
    for (size_t i = 0; i < rs->l[DK_COMMITMENTS].n; i++)
        n += c[i].items.n;
    return n;
}

void dfmt_free(struct rd_set *rs)
{
    struct rd_unit *u = rs->l[DK_UNITS].v;
    for (size_t i = 0; i < rs->l[DK_UNITS].n; i++)
        dfmt_free_strs(person_fields, &u[i].head);
    dfmt_free_list(&rs->l[DK_UNITS], sizeof *u, unit_fields);
    struct rd_commitment *c = rs->l[DK_COMMITMENTS].v;
    for (size_t i = 0; i < rs->l[DK_COMMITMENTS].n; i++) {
        dfmt_free_strs(person_fields, &c[i].signer);
        dfmt_free_strs(counter_fields, &c[i].counter);
        dfmt_free_list(&c[i].items, sizeof(struct rd_item), item_fields);
        if (rs->item_ids)
            free(rs->item_ids[i]);
    }
    dfmt_free_list(&rs->l[DK_COMMITMENTS], sizeof *c, commitment_fields);
    struct rd_visit *v = rs->l[DK_VISITS].v;
    for (size_t i = 0; i < rs->l[DK_VISITS].n; i++)
        dfmt_free_list(&v[i].team, sizeof(struct rd_member), member_fields);
    dfmt_free_list(&rs->l[DK_VISITS], sizeof *v, visit_fields);
    dfmt_free_list(&rs->l[DK_RESULTS], sizeof(struct rd_result), result_fields);
    for (int k = DK_UNITS; k < DK_RESULTS; k++)
        free(rs->codes[k]);
    free(rs->unit_ids);
    free(rs->comm_ids);
    free(rs->visit_ids);
    free(rs->item_ids);
}

/* ---- checking codes and references ---- */

static const char *const kind_words[DK_RESULTS] = {"unit", "commitment", "visit"};

const struct ynode *dfmt_at(const struct ynode *map, const char *key)
{
    const struct ynode *n = ymap_get(map, key);
    return n ? n : map;
}

static const struct ynode *node_of(const struct rd_list *l, size_t size, size_t i)
{
    const struct ynode *n;
    memcpy(&n, (const char *)l->v + i * size, sizeof n);
    return n;
}

static const char *code_of(const struct rd_list *l, size_t size, size_t code_off, size_t i)
{
    const char *code;
    memcpy(&code, (const char *)l->v + i * size + code_off, sizeof code);
    return code;
}

/* The doc of list k to word a problem about rec in (dfmt_errs_doc). */
static const struct ydoc *doc_of(const struct rd_set *rs, enum dkind k, const struct ynode *rec)
{
    return dfmt_errs_doc(rs->errs, rs->l[k].doc, rec);
}

/* When a check failed (rc), keep its problem, about record rec of list k. */
static void note(const struct rd_set *rs, enum dkind k, const struct ynode *rec, int rc,
                 const struct cchc_err *err)
{
    if (rc)
        dfmt_errs_add(rs->errs, rs->l[k].doc, rec, err);
}

static int code_cmp(const void *pa, const void *pb)
{
    const struct rd_code *a = pa, *b = pb;
    int c = strcmp(a->code, b->code);
    return c ? c : (a->i < b->i ? -1 : a->i > b->i);
}

/* Sort the codes of a list (the char * at code_off of each element; a
 * record read without one is left out) and report every record whose code
 * an earlier one has, naming the line of the first. */
static void sort_codes(struct rd_set *rs, enum dkind k, size_t size, size_t code_off,
                       struct cchc_err *err)
{
    const struct rd_list *l = &rs->l[k];
    struct rd_code *cr = xcalloc(l->n ? l->n : 1, sizeof *cr);
    size_t n = 0;
    for (size_t i = 0; i < l->n; i++)
        if (code_of(l, size, code_off, i))
            cr[n++] = (struct rd_code){code_of(l, size, code_off, i), i};
    qsort(cr, n, sizeof *cr, code_cmp);
    rs->codes[k] = cr;
    rs->n_codes[k] = n;
    for (size_t i = 1, first = 0; i < n; i++) {
        if (strcmp(cr[i].code, cr[first].code) != 0) {
            first = i; /* sorted by code, then by place: the first of a run is the earliest */
            continue;
        }
        const struct ynode *dn = node_of(l, size, cr[i].i), *fn = node_of(l, size, cr[first].i);
        const struct ynode *cn = dfmt_at(dn, "code");
        note(rs, k, dn,
             yerr(err, doc_of(rs, k, dn), cn, "duplicate %s code %s (also on line %d)",
                  kind_words[k], cn->type == YN_SCALAR ? cn->str : "", fn->line),
             err);
    }
}

size_t dfmt_find(const struct rd_set *rs, enum dkind k, const char *code)
{
    size_t lo = 0, hi = rs->codes[k] ? rs->n_codes[k] : 0;
    while (code && lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(rs->codes[k][mid].code, code);
        if (c == 0)
            return rs->codes[k][mid].i;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return SIZE_MAX;
}

int dfmt_need_unit(const struct rd_set *rs, const struct ydoc *d, const struct ynode *map,
                   const char *key, const char *code, size_t *at, enum unit_kind *kind,
                   struct cchc_err *err)
{
    const struct rd_list *l = &rs->l[DK_UNITS];
    const struct rd_unit *u = l->v;
    *at = dfmt_find(rs, DK_UNITS, code);
    if (kind)
        *kind = UK_NONE;
    if (*at != SIZE_MAX) {
        if (kind && !dfmt_bad(l, *at))
            *kind = (enum unit_kind)(u[*at].kind + 1);
        return CCHC_OK;
    }
    if (rs->db_has && rs->db_has(rs->db_ctx, DK_UNITS, code, kind))
        return CCHC_OK;
    if (l->broken)
        return CCHC_OK; /* units.yaml, or the file's units, said what is wrong */
    return yerr(err, d, dfmt_at(map, key), "unknown unit %s (%s)", code,
                rs->fmt == DF_DATA ? "not in units.yaml"
                                   : "neither in this file nor in the database");
}

/* A file adds records: none of its codes may be the database's already. */
static int not_in_db(const struct rd_set *rs, enum dkind k, const struct ynode *map,
                     const char *code, struct cchc_err *err)
{
    if (!rs->db_has || !rs->db_has(rs->db_ctx, k, code, NULL))
        return CCHC_OK;
    return yerr(err, doc_of(rs, k, map), dfmt_at(map, "code"),
                "%s %s is already in the database (import only adds records)", kind_words[k], code);
}

/* Codes of commitments and visits are anything but empty. */
static void no_empty_code(const struct rd_set *rs, enum dkind k, size_t size, size_t code_off,
                          struct cchc_err *err)
{
    const struct rd_list *l = &rs->l[k];
    for (size_t i = 0; i < l->n; i++) {
        const char *code = code_of(l, size, code_off, i);
        const struct ynode *n = node_of(l, size, i);
        if (code && !*code)
            note(rs, k, n, yerr(err, doc_of(rs, k, n), dfmt_at(n, "code"), "the code is empty"),
                 err);
    }
}

/* How many problems have been found so far: a check returns CCHC_EUSAGE
 * when it added any. */
static int found_since(const struct rd_set *rs, size_t before)
{
    return rs->errs->total > before ? CCHC_EUSAGE : CCHC_OK;
}

/* ---- checking units ---- */

static bool code_syntax_ok(const char *s)
{
    if (!*s || strlen(s) > 64)
        return false;
    for (; *s; s++)
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '-'))
            return false;
    return true;
}

/* A commune belongs to a district, a department to a province or (a
 * district's office) a district, everything else to a province; the
 * parent comes earlier in the file when it is in the file. */
static int check_parent(const struct rd_set *rs, size_t i, struct cchc_err *err)
{
    const struct rd_unit *u = rs->l[DK_UNITS].v, *x = &u[i];
    const struct ydoc *d = doc_of(rs, DK_UNITS, x->node);
    enum unit_kind pk = UK_NONE, kind = (enum unit_kind)(x->kind + 1);
    size_t at;
    if (kind == UK_PROVINCE && x->parent)
        return yerr(err, d, dfmt_at(x->node, "parent"), "a province has no parent");
    if (kind != UK_PROVINCE && !x->parent)
        return yerr(err, d, x->node, "parent is required for a %s", unit_kinds[x->kind]);
    if (!x->parent)
        return CCHC_OK;
    if (dfmt_need_unit(rs, d, x->node, "parent", x->parent, &at, &pk, err))
        return CCHC_EUSAGE;
    if (at != SIZE_MAX && at >= i)
        return yerr(err, d, dfmt_at(x->node, "parent"),
                    "parent %s must come earlier in the file (it is on line %d)", x->parent,
                    u[at].node->line);
    enum unit_kind want = kind == UK_COMMUNE ? UK_DISTRICT : UK_PROVINCE;
    /* A district's own offices (phòng, văn phòng) are departments under it:
     * their heads sign to the district's chairman. */
    bool office = kind == UK_DEPARTMENT && pk == UK_DISTRICT;
    if (pk != want && pk != UK_NONE && !office) /* UK_NONE: the parent could not be read */
        return yerr(err, d, dfmt_at(x->node, "parent"), "the parent of a %s is a %s%s; %s is a %s",
                    unit_kinds[x->kind], unit_kind_name(want),
                    kind == UK_DEPARTMENT ? " or a district" : "", x->parent,
                    unit_kind_name(pk) ? unit_kind_name(pk) : "?");
    return CCHC_OK;
}

/* Each problem of a unit on its own: they do not depend on each other. */
static void check_unit(const struct rd_set *rs, size_t i, struct cchc_err *err)
{
    const struct rd_unit *x = (const struct rd_unit *)rs->l[DK_UNITS].v + i;
    const struct ynode *rec = x->node;
    const struct ydoc *d = doc_of(rs, DK_UNITS, rec);
    size_t at;
    if (!code_syntax_ok(x->code))
        note(rs, DK_UNITS, rec,
             yerr(err, d, dfmt_at(rec, "code"), "a unit code is 1-64 of A-Z, 0-9 and '-'"), err);
    note(rs, DK_UNITS, rec, not_in_db(rs, DK_UNITS, rec, x->code, err), err);
    note(rs, DK_UNITS, rec, check_parent(rs, i, err), err);
    if (x->successor) {
        int rc = dfmt_need_unit(rs, d, rec, "successor", x->successor, &at, NULL, err);
        if (rc == CCHC_OK && at == i)
            rc = yerr(err, d, dfmt_at(rec, "successor"), "a unit cannot be its own successor");
        note(rs, DK_UNITS, rec, rc, err);
    }
    if (x->valid_from && x->valid_to && x->valid_to < x->valid_from)
        note(rs, DK_UNITS, rec,
             yerr(err, d, dfmt_at(rec, "valid_to"), "valid_to is before valid_from"), err);
}

int dfmt_check_units(struct rd_set *rs, struct cchc_err *err)
{
    const struct rd_list *l = &rs->l[DK_UNITS];
    size_t before = rs->errs->total;
    sort_codes(rs, DK_UNITS, sizeof(struct rd_unit), offsetof(struct rd_unit, code), err);
    for (size_t i = 0; i < l->n; i++)
        if (!dfmt_bad(l, i))
            check_unit(rs, i, err);
    return found_since(rs, before);
}

/* ---- checking commitments ---- */

static int check_component(const struct rd_set *rs, const struct ynode *map, const char *code,
                           struct cchc_err *err)
{
    const struct index_def *ix;
    const struct area *ar;
    const struct component *co;
    if (rs->cfg && !config_find_code(rs->cfg, code, &ix, &ar, &co))
        return yerr(err, doc_of(rs, DK_COMMITMENTS, map), dfmt_at(map, "component"),
                    "unknown index component %s (not in indicators.yaml)", code);
    return CCHC_OK;
}

/* Items are numbered by their place unless seq says otherwise; no two alike. */
static void check_items(const struct rd_set *rs, struct rd_commitment *c, struct cchc_err *err)
{
    const struct ydoc *d = doc_of(rs, DK_COMMITMENTS, c->node);
    struct rd_item *it = c->items.v;
    for (size_t j = 0; j < c->items.n; j++) {
        note(rs, DK_COMMITMENTS, it[j].node, check_component(rs, it[j].node, it[j].component, err),
             err);
        if (!ymap_get(it[j].node, "seq"))
            it[j].seq = (long)j + 1;
        else if (it[j].seq < 1 || it[j].seq > 99999)
            note(rs, DK_COMMITMENTS, it[j].node,
                 yerr(err, d, dfmt_at(it[j].node, "seq"), "an item number is between 1 and 99999"),
                 err);
    }
    for (size_t j = 0; j < c->items.n; j++)
        for (size_t k = 0; k < j; k++)
            if (it[j].seq == it[k].seq) {
                note(rs, DK_COMMITMENTS, it[j].node,
                     yerr(err, d, it[j].node,
                          "item number %ld twice in commitment %s (also on line %d)", it[j].seq,
                          c->code, it[k].node->line),
                     err);
                break;
            }
}

static void check_commitment(const struct rd_set *rs, struct rd_commitment *c, struct cchc_err *err)
{
    const struct ynode *rec = c->node;
    const struct ydoc *d = doc_of(rs, DK_COMMITMENTS, rec);
    const struct ynode *sn = ymap_get(rec, "signer"), *cn = ymap_get(rec, "countersigner");
    size_t at;
    note(rs, DK_COMMITMENTS, rec, not_in_db(rs, DK_COMMITMENTS, rec, c->code, err), err);
    note(rs, DK_COMMITMENTS, rec, dfmt_need_unit(rs, d, rec, "unit", c->unit, &at, NULL, err), err);
    if (c->signer.unit)
        note(rs, DK_COMMITMENTS, rec,
             yerr(err, d, dfmt_at(sn, "unit"), "the signer's unit is the commitment's unit"), err);
    else if (!c->signer.name)
        note(rs, DK_COMMITMENTS, rec, yerr(err, d, sn, "the signer needs a name"), err);
    if (!c->counter.name || !c->counter.unit)
        note(rs, DK_COMMITMENTS, rec, yerr(err, d, cn, "the countersigner needs a unit and a name"),
             err);
    if (c->counter.unit)
        note(rs, DK_COMMITMENTS, rec,
             dfmt_need_unit(rs, d, cn, "unit", c->counter.unit, &at, NULL, err), err);
    check_items(rs, c, err);
}

int dfmt_check_commitments(struct rd_set *rs, struct cchc_err *err)
{
    const struct rd_list *l = &rs->l[DK_COMMITMENTS];
    struct rd_commitment *c = l->v;
    size_t off = offsetof(struct rd_commitment, code), before = rs->errs->total;
    no_empty_code(rs, DK_COMMITMENTS, sizeof *c, off, err);
    sort_codes(rs, DK_COMMITMENTS, sizeof *c, off, err);
    for (size_t i = 0; i < l->n; i++)
        if (!dfmt_bad(l, i))
            check_commitment(rs, &c[i], err);
    return found_since(rs, before);
}

/* ---- checking visits ---- */

static void check_team(const struct rd_set *rs, const struct rd_visit *v, struct cchc_err *err)
{
    const struct ydoc *d = doc_of(rs, DK_VISITS, v->node);
    const struct rd_member *t = v->team.v, *lead = NULL;
    for (size_t j = 0; j < v->team.n; j++) {
        if (t[j].role != TEAM_LEAD)
            continue;
        if (lead)
            note(rs, DK_VISITS, t[j].node,
                 yerr(err, d, dfmt_at(t[j].node, "role"),
                      "a team has one lead; the first is on line %d", lead->node->line),
                 err);
        else
            lead = &t[j];
    }
    if (!lead)
        note(rs, DK_VISITS, v->node,
             yerr(err, d, dfmt_at(v->node, "team"),
                  "the team has no lead (one member needs role: lead)"),
             err);
}

static void check_visit(const struct rd_set *rs, const struct rd_visit *v, struct cchc_err *err)
{
    const struct ynode *rec = v->node;
    const struct ydoc *d = doc_of(rs, DK_VISITS, rec);
    size_t at;
    note(rs, DK_VISITS, rec, not_in_db(rs, DK_VISITS, rec, v->code, err), err);
    note(rs, DK_VISITS, rec, dfmt_need_unit(rs, d, rec, "unit", v->unit, &at, NULL, err), err);
    if (v->year < 1900 || v->year > 9999)
        note(rs, DK_VISITS, rec,
             yerr(err, d, dfmt_at(rec, "year"), "year %ld is out of range", v->year), err);
    else if (date_year(v->start) != v->year)
        note(rs, DK_VISITS, rec,
             yerr(err, d, dfmt_at(rec, "start"), "the visit starts outside %s year %ld",
                  rs->fmt == DF_DATA ? "the plan's" : "its", v->year),
             err);
    if (v->end && v->end < v->start)
        note(rs, DK_VISITS, rec, yerr(err, d, dfmt_at(rec, "end"), "end is before start"), err);
    check_team(rs, v, err);
}

int dfmt_check_visits(struct rd_set *rs, struct cchc_err *err)
{
    const struct rd_list *l = &rs->l[DK_VISITS];
    struct rd_visit *v = l->v;
    size_t off = offsetof(struct rd_visit, code), before = rs->errs->total;
    no_empty_code(rs, DK_VISITS, sizeof *v, off, err);
    sort_codes(rs, DK_VISITS, sizeof *v, off, err);
    for (size_t i = 0; i < l->n; i++)
        if (!dfmt_bad(l, i))
            check_visit(rs, &v[i], err);
    return found_since(rs, before);
}

/* ---- checking results ---- */

/* A value of one of the province's measures: the value in score, for the
 * province as a whole (no component, no unit), not above the measure's max. */
static int measure_max(const struct ydoc *d, const struct measure *ms, const struct rd_result *r,
                       double *max, struct cchc_err *err)
{
    if (r->component)
        return yerr(err, d, dfmt_at(r->node, "component"), "measure %s has no components",
                    ms->code);
    if (r->unit)
        return yerr(err, d, dfmt_at(r->node, "unit"),
                    "measure %s is the province's as a whole: a value has no unit", ms->code);
    if (!ymap_get(r->node, "score"))
        return yerr(err, d, r->node, "a value of measure %s needs 'score' (the value)", ms->code);
    *max = ms->max;
    return CCHC_OK;
}

/* The most a result may score: of its component, area or index, or of the
 * measure it is a value of; 0 = no limit. */
static int result_max(const struct rd_set *rs, const struct rd_result *r, double *max,
                      struct cchc_err *err)
{
    const struct ydoc *d = doc_of(rs, DK_RESULTS, r->node);
    const struct index_def *ix = config_index(rs->cfg, r->index), *ix2 = NULL;
    const struct area *ar = NULL;
    const struct component *co = NULL;
    const struct measure *ms = config_measure(rs->cfg, r->index);
    if (ms)
        return measure_max(d, ms, r, max, err);
    if (!ix)
        return yerr(err, d, dfmt_at(r->node, "index"),
                    "unknown index or measure %s (not in indicators.yaml)", r->index);
    *max = ix->total;
    if (!r->component)
        return CCHC_OK;
    const struct ynode *cn = dfmt_at(r->node, "component");
    if (!config_find_code(rs->cfg, r->component, &ix2, &ar, &co))
        return yerr(err, d, cn, "unknown index component %s (not in indicators.yaml)",
                    r->component);
    if (ix2 != ix || (!ar && !co))
        return yerr(err, d, cn, "%s is not an area or component of %s", r->component, r->index);
    *max = co ? co->max : ar->max;
    return CCHC_OK;
}

/* The year, the unit, the index with the score, and the rank are checked
 * each on their own; a score is held to a maximum only when the index and
 * component that give it are known. */
static void check_result(const struct rd_set *rs, const struct rd_result *r, struct cchc_err *err)
{
    const struct ydoc *d = doc_of(rs, DK_RESULTS, r->node);
    const struct ynode *rec = r->node, *sn = ymap_get(rec, "score");
    double max = 0;
    size_t at;
    if (r->year < 1900 || r->year > 9999)
        note(rs, DK_RESULTS, rec,
             yerr(err, d, dfmt_at(rec, "year"), "year %ld is out of range", r->year), err);
    if (r->unit)
        note(rs, DK_RESULTS, rec, dfmt_need_unit(rs, d, rec, "unit", r->unit, &at, NULL, err), err);
    bool max_known = true;
    if (rs->cfg && result_max(rs, r, &max, err)) {
        note(rs, DK_RESULTS, rec, CCHC_EUSAGE, err);
        max_known = false;
    }
    if (sn && (isnan(r->score) || r->score < 0))
        note(rs, DK_RESULTS, rec, yerr(err, d, sn, "a score is a number not below 0"), err);
    else if (sn && max_known && max > 0 && r->score > max)
        note(rs, DK_RESULTS, rec,
             yerr(err, d, sn, "score %g is above the maximum %g of %s", r->score, max,
                  r->component ? r->component : r->index),
             err);
    const struct ynode *rn = ymap_get(rec, "rank"), *on = ymap_get(rec, "of");
    if (rn && !on)
        note(rs, DK_RESULTS, rec, yerr(err, d, rn, "rank needs 'of' (how many were ranked)"), err);
    else if (on && (r->of < 1 || r->of > 100000))
        note(rs, DK_RESULTS, rec, yerr(err, d, on, "'of' must be between 1 and 100000"), err);
    else if (rn && (r->rank < 1 || r->rank > r->of))
        note(rs, DK_RESULTS, rec,
             yerr(err, d, rn, "rank %d is not between 1 and %d", r->rank, r->of), err);
}

static bool same_text(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

/* The same index, component, year and unit. */
static bool same_result(const struct rd_result *a, const struct rd_result *b)
{
    return strcmp(a->index, b->index) == 0 && a->year == b->year &&
           same_text(a->component, b->component) && same_text(a->unit, b->unit);
}

int dfmt_check_results(struct rd_set *rs, struct cchc_err *err)
{
    const struct rd_list *l = &rs->l[DK_RESULTS];
    const struct rd_result *r = l->v;
    size_t before = rs->errs->total;
    for (size_t i = 0; i < l->n; i++) {
        bool found = false;
        if (dfmt_bad(l, i))
            continue;
        check_result(rs, &r[i], err);
        for (size_t j = 0; j < i; j++)
            if (!dfmt_bad(l, j) && same_result(&r[i], &r[j])) {
                note(rs, DK_RESULTS, r[i].node,
                     yerr(err, doc_of(rs, DK_RESULTS, r[i].node), r[i].node,
                          "the same result as on line %d", r[j].node->line),
                     err);
                break;
            }
        if (rs->db_has_result && rs->db_has_result(rs->db_ctx, &r[i], &found, err))
            return CCHC_ERUNTIME;
        if (found)
            note(rs, DK_RESULTS, r[i].node,
                 yerr(err, doc_of(rs, DK_RESULTS, r[i].node), r[i].node,
                      "the database already has this result (import only adds records)"),
                 err);
    }
    return found_since(rs, before);
}

/* ---- writing ---- */

int dfmt_unit_id(struct mtx *tx, const struct rd_set *rs, const char *code, uint64_t *id,
                 struct cchc_err *err)
{
    *id = 0;
    if (!code)
        return CCHC_OK;
    size_t at = dfmt_find(rs, DK_UNITS, code);
    if (at != SIZE_MAX) {
        *id = rs->unit_ids[at];
        return CCHC_OK;
    }
    return mtx_unit_by_code(tx, code, id, err);
}

static int write_units(struct mtx *tx, struct rd_set *rs, struct cchc_err *err)
{
    const struct rd_unit *y = rs->l[DK_UNITS].v;
    size_t n = rs->l[DK_UNITS].n;
    /* ids first, so that a successor later in the file can be named */
    for (size_t i = 0; i < n; i++)
        if (mtx_reserve_unit_id(tx, &rs->unit_ids[i], err))
            return CCHC_ERUNTIME;
    for (size_t i = 0; i < n; i++) {
        struct unit u = {
            .m = {.id = rs->unit_ids[i]},
            .code = y[i].code,
            .name = y[i].name,
            .short_name = y[i].short_name,
            .kind = (enum unit_kind)(y[i].kind + 1),
            .form = y[i].form,
            .head = {y[i].head.name, y[i].head.title},
            .valid_from = y[i].valid_from,
            .valid_to = y[i].valid_to,
            .note = y[i].note,
        };
        int rc = dfmt_unit_id(tx, rs, y[i].parent, &u.parent, err);
        if (rc == CCHC_OK)
            rc = dfmt_unit_id(tx, rs, y[i].successor, &u.successor, err);
        if (rc == CCHC_OK)
            rc = mtx_put_unit(tx, &u, err);
        free(u.m.mby);
        if (rc)
            return rc;
    }
    rs->written[DK_UNITS] = n;
    return CCHC_OK;
}

static int write_items(struct mtx *tx, struct rd_set *rs, size_t i, uint64_t commitment,
                       struct cchc_err *err)
{
    const struct rd_commitment *c = (const struct rd_commitment *)rs->l[DK_COMMITMENTS].v + i;
    const struct rd_item *y = c->items.v;
    for (size_t j = 0; j < c->items.n; j++) {
        struct commitment_item it = {
            .commitment = commitment,
            .seq = (uint32_t)y[j].seq,
            .component = y[j].component,
            .text = y[j].text,
            .baseline = y[j].baseline,
            .target = y[j].target,
            .due = y[j].due,
            .status = (enum item_status)y[j].status,
            .progress = y[j].progress,
        };
        int rc = mtx_put_item(tx, &it, err);
        free(it.m.mby);
        if (rc)
            return rc;
        rs->item_ids[i][j] = it.m.id;
        rs->items_written++;
    }
    return CCHC_OK;
}

static int write_commitments(struct mtx *tx, struct rd_set *rs, struct cchc_err *err)
{
    const struct rd_commitment *y = rs->l[DK_COMMITMENTS].v;
    for (size_t i = 0; i < rs->l[DK_COMMITMENTS].n; i++) {
        struct commitment c = {
            .code = y[i].code,
            .title = y[i].title,
            .signer = {y[i].signer.name, y[i].signer.title},
            .countersigner = {y[i].counter.name, y[i].counter.title},
            .signed_on = y[i].signed_on,
            .period_from = (int)y[i].period.from,
            .period_to = (int)y[i].period.to,
        };
        int rc = dfmt_unit_id(tx, rs, y[i].unit, &c.unit, err);
        if (rc == CCHC_OK)
            rc = dfmt_unit_id(tx, rs, y[i].counter.unit, &c.counter_unit, err);
        if (rc == CCHC_OK)
            rc = mtx_put_commitment(tx, &c, err);
        free(c.m.mby);
        if (rc == CCHC_OK)
            rc = write_items(tx, rs, i, c.m.id, err);
        if (rc)
            return rc;
        rs->comm_ids[i] = c.m.id;
        rs->written[DK_COMMITMENTS]++;
    }
    return CCHC_OK;
}

static int write_visits(struct mtx *tx, struct rd_set *rs, struct cchc_err *err)
{
    const struct rd_visit *y = rs->l[DK_VISITS].v;
    for (size_t i = 0; i < rs->l[DK_VISITS].n; i++) {
        const struct rd_member *ym = y[i].team.v;
        struct team_member *team = xcalloc(y[i].team.n ? y[i].team.n : 1, sizeof *team);
        for (size_t j = 0; j < y[i].team.n; j++)
            team[j] = (struct team_member){ym[j].login, ym[j].name, ym[j].org,
                                           (enum team_role)ym[j].role};
        struct visit v = {
            .code = y[i].code,
            .year = (int)y[i].year,
            .start = y[i].start,
            .end = y[i].end,
            .scope = y[i].scope,
            .status = (enum visit_status)y[i].status,
            .plan = y[i].plan,
            .decision = y[i].decision,
            .started_on = y[i].started_on,
            .done_on = y[i].done_on,
            .concluded_on = y[i].concluded_on,
            .team = team,
            .n_team = y[i].team.n,
        };
        int rc = dfmt_unit_id(tx, rs, y[i].unit, &v.unit, err);
        if (rc == CCHC_OK)
            rc = mtx_put_visit(tx, &v, err);
        free(v.m.mby);
        free(team);
        if (rc)
            return rc;
        rs->visit_ids[i] = v.m.id;
        rs->written[DK_VISITS]++;
    }
    return CCHC_OK;
}

static int write_results(struct mtx *tx, struct rd_set *rs, struct cchc_err *err)
{
    const struct rd_result *y = rs->l[DK_RESULTS].v;
    for (size_t i = 0; i < rs->l[DK_RESULTS].n; i++) {
        struct index_result r = {
            .index = y[i].index,
            .component = y[i].component,
            .year = (int)y[i].year,
            .score = ymap_get(y[i].node, "score") ? y[i].score : NAN,
            .rank = y[i].rank,
            .rank_of = y[i].of,
            .grade = y[i].grade,
            .source = y[i].source,
        };
        int rc = dfmt_unit_id(tx, rs, y[i].unit, &r.unit, err);
        if (rc == CCHC_OK)
            rc = mtx_put_result(tx, &r, err);
        free(r.m.mby);
        if (rc)
            return rc;
        rs->written[DK_RESULTS]++;
    }
    return CCHC_OK;
}

/* Room for the ids, once (a retried transaction writes them again). */
static void make_ids(struct rd_set *rs)
{
    const struct rd_commitment *c = rs->l[DK_COMMITMENTS].v;
    size_t nc = rs->l[DK_COMMITMENTS].n;
    if (rs->unit_ids)
        return;
    rs->unit_ids = xcalloc(rs->l[DK_UNITS].n + 1, sizeof *rs->unit_ids);
    rs->comm_ids = xcalloc(nc + 1, sizeof *rs->comm_ids);
    rs->visit_ids = xcalloc(rs->l[DK_VISITS].n + 1, sizeof *rs->visit_ids);
    rs->item_ids = xcalloc(nc + 1, sizeof *rs->item_ids);
    for (size_t i = 0; i < nc; i++)
        rs->item_ids[i] = xcalloc(c[i].items.n + 1, sizeof **rs->item_ids);
}

int dfmt_write(struct mtx *tx, struct rd_set *rs, struct cchc_err *err)
{
    make_ids(rs);
    memset(rs->written, 0, sizeof rs->written);
    rs->items_written = 0;
    int rc = write_units(tx, rs, err);
    if (rc == CCHC_OK)
        rc = write_commitments(tx, rs, err);
    if (rc == CCHC_OK)
        rc = write_visits(tx, rs, err);
    if (rc == CCHC_OK)
        rc = write_results(tx, rs, err);
    return rc == CCHC_OK ? CCHC_OK : CCHC_ERUNTIME;
}
