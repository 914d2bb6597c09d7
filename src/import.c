/* import.c — the province's data files (the YAML files of data/) into a database.
 *
 * Three steps, so that bad data never leaves half a database behind:
 *   1. parse every file with the table-driven mapper of yaml.h (unknown,
 *      missing and mistyped keys are reported there);
 *   2. check what the mapper cannot: code syntax and uniqueness, references
 *      between files (units by code; a parent must come earlier, a successor
 *      may come later), index codes against the configuration, scores against
 *      their maxima, dates against the plan's year, one lead per team;
 *   3. write everything in one model_write(), with its audit record.
 * Every problem in steps 1-2 names file:line:column (yerr) and is
 * CCHC_EUSAGE; a failure in step 3 is CCHC_ERUNTIME. The format is in
 * data/README.md, section "Format".
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cchc/config.h"
#include "cchc/datafmt.h"
#include "cchc/domain.h"
#include "cchc/import.h"
#include "cchc/model.h"
#include "cchc/yaml.h"

/* ---- what the files hold, as read ----
 * Every struct that is an element of a list starts with the mapping node it
 * came from, for messages. */

struct ylist {
    void *v;
    size_t n;
};

struct y_person {
    char *name, *title;
};

struct y_counter {
    char *unit, *name, *title;
};

struct y_unit {
    const struct ynode *node;
    char *code, *name, *short_name, *form, *parent, *successor, *note;
    int kind; /* index into unit_kinds: UK_PROVINCE - 1, ... */
    struct y_person head;
    cchc_date valid_from, valid_to;
};

struct y_item {
    const struct ynode *node;
    char *component, *text, *baseline, *target, *progress;
    cchc_date due;
    int status;
};

struct y_commitment {
    const struct ynode *node;
    char *code, *unit, *title;
    cchc_date signed_on;
    struct year_span period;
    struct y_person signer;
    struct y_counter counter;
    struct ylist items; /* struct y_item */
};

struct y_member {
    const struct ynode *node;
    char *login, *name, *org;
    int role;
};

struct y_plan {
    char *code, *title, *decision;
    long year;
};

struct y_visit {
    const struct ynode *node;
    char *code, *unit, *decision;
    cchc_date start, end;
    unsigned scope;
    int status;
    struct ylist team; /* struct y_member */
};

struct y_result {
    const struct ynode *node;
    char *index, *component, *unit, *grade, *source;
    long year;
    int rank, of; /* stored as int: a value beyond int is refused, never cut */
    double score;
};

/* The top-level mapping of each file. */
struct units_file {
    struct ylist units;
};
struct commitments_file {
    struct ylist commitments;
};
struct visits_file {
    struct y_plan plan;
    struct ylist visits;
};
struct results_file {
    struct ylist results;
};

/* ---- mapping tables ---- */

static const char *const unit_kinds[] = {"province", "department", "district", "commune", NULL};
static const char *const item_statuses[] = {"not_started", "in_progress",  "achieved",
                                            "late",        "not_achieved", NULL};
static const char *const visit_statuses[] = {"planned", "in_progress", "done", "concluded", NULL};
static const char *const team_roles[] = {"member", "lead", NULL};

#define F(T, key, type, member, req)                                                               \
    {                                                                                              \
        key, type, offsetof(T, member), req, NULL, NULL                                            \
    }
#define FE(T, key, member, req, names)                                                             \
    {                                                                                              \
        key, YF_ENUM, offsetof(T, member), req, names, NULL                                        \
    }
#define FC(T, key, member, req, fn)                                                                \
    {                                                                                              \
        key, YF_CUSTOM, offsetof(T, member), req, NULL, fn                                         \
    }
#define FEND                                                                                       \
    {                                                                                              \
        NULL, YF_STR, 0, false, NULL, NULL                                                         \
    }

typedef int (*yread_fn)(const struct ydoc *d, const struct ynode *n, void *dst, void *ctx,
                        struct cchc_err *err);

static int read_seq(const struct ydoc *d, const struct ynode *n, struct ylist *out, size_t size,
                    const struct yfield *fields, void *ctx, struct cchc_err *err);

static const struct yfield person_fields[] = {
    F(struct y_person, "name", YF_STR, name, true),
    F(struct y_person, "title", YF_STR, title, false),
    FEND,
};

static const struct yfield counter_fields[] = {
    F(struct y_counter, "unit", YF_STR, unit, true),
    F(struct y_counter, "name", YF_STR, name, true),
    F(struct y_counter, "title", YF_STR, title, false),
    FEND,
};

static int need_map(const struct ydoc *d, const struct ynode *n, struct cchc_err *err)
{
    if (n->type != YN_MAP)
        return yerr(err, d, n, "expected a mapping, e.g. {name: ..., title: ...}");
    return CCHC_OK;
}

static int read_person(const struct ydoc *d, const struct ynode *n, void *dst, void *ctx,
                       struct cchc_err *err)
{
    if (need_map(d, n, err))
        return CCHC_EUSAGE;
    return ymap_read(d, n, person_fields, dst, ctx, err);
}

static int read_counter(const struct ydoc *d, const struct ynode *n, void *dst, void *ctx,
                        struct cchc_err *err)
{
    if (need_map(d, n, err))
        return CCHC_EUSAGE;
    return ymap_read(d, n, counter_fields, dst, ctx, err);
}

static const struct yfield unit_fields[] = {
    F(struct y_unit, "code", YF_STR, code, true),
    F(struct y_unit, "name", YF_STR, name, true),
    F(struct y_unit, "short", YF_STR, short_name, false),
    FE(struct y_unit, "kind", kind, true, unit_kinds),
    F(struct y_unit, "form", YF_STR, form, false),
    F(struct y_unit, "parent", YF_STR, parent, false),
    FC(struct y_unit, "head", head, false, read_person),
    F(struct y_unit, "valid_from", YF_DATE, valid_from, false),
    F(struct y_unit, "valid_to", YF_DATE, valid_to, false),
    F(struct y_unit, "successor", YF_STR, successor, false),
    F(struct y_unit, "note", YF_STR, note, false),
    FEND,
};

static const struct yfield item_fields[] = {
    F(struct y_item, "component", YF_STR, component, true),
    F(struct y_item, "text", YF_STR, text, true),
    F(struct y_item, "baseline", YF_STR, baseline, false),
    F(struct y_item, "target", YF_STR, target, true),
    F(struct y_item, "due", YF_DATE, due, true),
    FE(struct y_item, "status", status, true, item_statuses),
    F(struct y_item, "progress", YF_STR, progress, false),
    FEND,
};

static int read_items(const struct ydoc *d, const struct ynode *n, void *dst, void *ctx,
                      struct cchc_err *err)
{
    if (n->type == YN_SEQ && n->n == 0)
        return yerr(err, d, n, "a commitment needs at least one item");
    return read_seq(d, n, dst, sizeof(struct y_item), item_fields, ctx, err);
}

static const struct yfield commitment_fields[] = {
    F(struct y_commitment, "code", YF_STR, code, true),
    F(struct y_commitment, "unit", YF_STR, unit, true),
    F(struct y_commitment, "title", YF_STR, title, true),
    F(struct y_commitment, "signed_on", YF_DATE, signed_on, true),
    FC(struct y_commitment, "period", period, true, dfmt_read_period),
    FC(struct y_commitment, "signer", signer, true, read_person),
    FC(struct y_commitment, "countersigner", counter, true, read_counter),
    FC(struct y_commitment, "items", items, true, read_items),
    FEND,
};

static const struct yfield member_fields[] = {
    F(struct y_member, "login", YF_STR, login, true),
    F(struct y_member, "name", YF_STR, name, true),
    F(struct y_member, "org", YF_STR, org, false),
    FE(struct y_member, "role", role, false, team_roles),
    FEND,
};

static int read_team(const struct ydoc *d, const struct ynode *n, void *dst, void *ctx,
                     struct cchc_err *err)
{
    if (n->type == YN_SEQ && n->n == 0)
        return yerr(err, d, n, "a team needs at least one member");
    return read_seq(d, n, dst, sizeof(struct y_member), member_fields, ctx, err);
}

static const struct yfield visit_fields[] = {
    F(struct y_visit, "code", YF_STR, code, true),
    F(struct y_visit, "unit", YF_STR, unit, true),
    F(struct y_visit, "start", YF_DATE, start, true),
    F(struct y_visit, "end", YF_DATE, end, false),
    FC(struct y_visit, "scope", scope, true, dfmt_read_scope),
    FE(struct y_visit, "status", status, true, visit_statuses),
    F(struct y_visit, "decision", YF_STR, decision, false),
    FC(struct y_visit, "team", team, true, read_team),
    FEND,
};

static const struct yfield plan_fields[] = {
    F(struct y_plan, "code", YF_STR, code, true),
    F(struct y_plan, "title", YF_STR, title, false),
    F(struct y_plan, "decision", YF_STR, decision, false),
    F(struct y_plan, "year", YF_INT, year, true),
    FEND,
};

static const struct yfield result_fields[] = {
    F(struct y_result, "index", YF_STR, index, true),
    F(struct y_result, "component", YF_STR, component, false),
    F(struct y_result, "year", YF_INT, year, true),
    F(struct y_result, "unit", YF_STR, unit, false),
    F(struct y_result, "score", YF_DOUBLE, score, false),
    F(struct y_result, "rank", YF_SMALLINT, rank, false),
    F(struct y_result, "of", YF_SMALLINT, of, false),
    F(struct y_result, "grade", YF_STR, grade, false),
    F(struct y_result, "source", YF_STR, source, false),
    FEND,
};

static int read_plan(const struct ydoc *d, const struct ynode *n, void *dst, void *ctx,
                     struct cchc_err *err)
{
    if (n->type != YN_MAP)
        return yerr(err, d, n, "expected a mapping with code and year");
    return ymap_read(d, n, plan_fields, dst, ctx, err);
}

#define LIST_READER(fn, T, fields)                                                                 \
    static int fn(const struct ydoc *d, const struct ynode *n, void *dst, void *ctx,               \
                  struct cchc_err *err)                                                            \
    {                                                                                              \
        return read_seq(d, n, dst, sizeof(T), fields, ctx, err);                                   \
    }
LIST_READER(read_units, struct y_unit, unit_fields)
LIST_READER(read_commitments, struct y_commitment, commitment_fields)
LIST_READER(read_visits, struct y_visit, visit_fields)
LIST_READER(read_results, struct y_result, result_fields)

static const struct yfield units_file_fields[] = {
    FC(struct units_file, "units", units, true, read_units),
    FEND,
};
static const struct yfield commitments_file_fields[] = {
    FC(struct commitments_file, "commitments", commitments, true, read_commitments),
    FEND,
};
static const struct yfield visits_file_fields[] = {
    FC(struct visits_file, "plan", plan, true, read_plan),
    FC(struct visits_file, "visits", visits, true, read_visits),
    FEND,
};
static const struct yfield results_file_fields[] = {
    FC(struct results_file, "results", results, true, read_results),
    FEND,
};

static int read_seq(const struct ydoc *d, const struct ynode *n, struct ylist *out, size_t size,
                    const struct yfield *fields, void *ctx, struct cchc_err *err)
{
    if (n->type != YN_SEQ)
        return yerr(err, d, n, "expected a list (lines starting with '- ')");
    out->v = xcalloc(n->n ? n->n : 1, size);
    out->n = 0;
    for (size_t i = 0; i < n->n; i++) {
        const struct ynode *it = n->items[i];
        char *slot = (char *)out->v + i * size;
        out->n = i + 1; /* counted before reading, so that freeing covers it */
        memcpy(slot, &it, sizeof it);
        if (it->type != YN_MAP)
            return yerr(err, d, it, "expected a mapping (key: value lines)");
        if (ymap_read(d, it, fields, slot, ctx, err))
            return CCHC_EUSAGE;
    }
    return CCHC_OK;
}

/* ---- freeing what was read ---- */

static void free_strs(const struct yfield *fields, void *dst)
{
    for (const struct yfield *f = fields; f->key; f++) {
        if (f->type == YF_STR) {
            char **s = (char **)((char *)dst + f->offset);
            free(*s);
            *s = NULL;
        }
    }
}

static void free_person(struct y_person *p)
{
    free_strs(person_fields, p);
}

static void free_units(struct ylist *l)
{
    struct y_unit *u = l->v;
    for (size_t i = 0; i < l->n; i++) {
        free_strs(unit_fields, &u[i]);
        free_person(&u[i].head);
    }
    free(l->v);
}

static void free_commitments(struct ylist *l)
{
    struct y_commitment *c = l->v;
    for (size_t i = 0; i < l->n; i++) {
        free_strs(commitment_fields, &c[i]);
        free_person(&c[i].signer);
        free_strs(counter_fields, &c[i].counter);
        struct y_item *it = c[i].items.v;
        for (size_t j = 0; j < c[i].items.n; j++)
            free_strs(item_fields, &it[j]);
        free(it);
    }
    free(l->v);
}

static void free_visits(struct visits_file *vf)
{
    struct y_visit *v = vf->visits.v;
    free_strs(plan_fields, &vf->plan);
    for (size_t i = 0; i < vf->visits.n; i++) {
        free_strs(visit_fields, &v[i]);
        struct y_member *t = v[i].team.v;
        for (size_t j = 0; j < v[i].team.n; j++)
            free_strs(member_fields, &t[j]);
        free(t);
    }
    free(v);
}

static void free_results(struct ylist *l)
{
    struct y_result *r = l->v;
    for (size_t i = 0; i < l->n; i++)
        free_strs(result_fields, &r[i]);
    free(l->v);
}

/* ---- the whole import ---- */

enum { FILE_UNITS, FILE_COMMITMENTS, FILE_VISITS, FILE_RESULTS, N_FILES };
static const char *const file_names[N_FILES] = {"units.yaml", "commitments.yaml", "visits.yaml",
                                                "results.yaml"};

/* A code and where it is in its list, sorted by code for lookups. */
struct code_ref {
    const char *code;
    size_t i;
};

struct import {
    struct model *m;
    const struct config *cfg;
    struct ydoc docs[N_FILES];
    bool have[N_FILES];
    struct units_file uf;
    struct commitments_file cf;
    struct visits_file vf;
    struct results_file rf;
    struct code_ref *unit_codes; /* sorted */
    uint64_t *unit_ids;          /* by position in units.yaml, while writing */
    struct import_stats st;
};

static void import_free(struct import *im)
{
    free_units(&im->uf.units);
    free_commitments(&im->cf.commitments);
    free_visits(&im->vf);
    free_results(&im->rf.results);
    for (int i = 0; i < N_FILES; i++)
        if (im->have[i])
            ydoc_free(&im->docs[i]);
    free(im->unit_codes);
    free(im->unit_ids);
}

/* Load and map one file; a missing optional file is no error. */
static int load_file(struct import *im, const char *dir, int which, const struct yfield *fields,
                     void *dst, struct cchc_err *err)
{
    char *path = path_join(dir, file_names[which]);
    int rc = CCHC_OK;
    if (!path_exists(path)) {
        if (which == FILE_UNITS)
            rc = err_set(err, CCHC_EUSAGE, "%s: no such file (a data folder needs units.yaml)",
                         path);
        free(path);
        return rc;
    }
    rc = ydoc_load(&im->docs[which], path, err);
    free(path);
    if (rc != CCHC_OK)
        return CCHC_EUSAGE;
    im->have[which] = true;
    const struct ydoc *d = &im->docs[which];
    if (!d->root)
        return which == FILE_UNITS ? yerr(err, d, NULL, "the file is empty") : CCHC_OK;
    if (d->root->type != YN_MAP)
        return yerr(err, d, d->root, "expected a mapping at the top of the file");
    if (ymap_read(d, d->root, fields, dst, im, err))
        return CCHC_EUSAGE;
    return CCHC_OK;
}

/* True when a file was there and held something. */
static bool has_data(const struct import *im, int which)
{
    return im->have[which] && im->docs[which].root;
}

/* ---- checking codes ---- */

static int code_cmp(const void *pa, const void *pb)
{
    const struct code_ref *a = pa, *b = pb;
    int c = strcmp(a->code, b->code);
    return c ? c : (a->i < b->i ? -1 : a->i > b->i);
}

/* Sort the codes of a list (the char * at code_off in each element);
 * report the first duplicate in file order. */
static int sort_codes(const struct ydoc *d, const char *what, struct ylist *l, size_t size,
                      size_t code_off, struct code_ref **out, struct cchc_err *err)
{
    struct code_ref *cr = xcalloc(l->n ? l->n : 1, sizeof *cr);
    for (size_t i = 0; i < l->n; i++) {
        const char *const *code = (const char *const *)((char *)l->v + i * size + code_off);
        cr[i].code = *code;
        cr[i].i = i;
    }
    qsort(cr, l->n, sizeof *cr, code_cmp);
    size_t dup = SIZE_MAX, first = 0;
    for (size_t i = 1; i < l->n; i++) {
        if (strcmp(cr[i].code, cr[i - 1].code) == 0 && cr[i].i < dup) {
            size_t j = i - 1;
            while (j > 0 && strcmp(cr[j - 1].code, cr[i].code) == 0)
                j--;
            dup = cr[i].i;
            first = cr[j].i;
        }
    }
    if (dup != SIZE_MAX) {
        const struct ynode *node, *fnode;
        memcpy(&node, (char *)l->v + dup * size, sizeof node);
        memcpy(&fnode, (char *)l->v + first * size, sizeof fnode);
        const struct ynode *cn = ymap_get(node, "code");
        const char *code;
        memcpy(&code, (char *)l->v + dup * size + code_off, sizeof code);
        int rc = yerr(err, d, cn ? cn : node, "duplicate %s code %s (also on line %d)", what, code,
                      fnode->line);
        free(cr);
        return rc;
    }
    if (out)
        *out = cr;
    else
        free(cr);
    return CCHC_OK;
}

/* Position of a unit code in units.yaml, or SIZE_MAX. */
static size_t unit_index(const struct import *im, const char *code)
{
    struct code_ref key = {code, 0};
    size_t lo = 0, hi = im->uf.units.n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(im->unit_codes[mid].code, key.code);
        if (c == 0)
            return im->unit_codes[mid].i;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return SIZE_MAX;
}

/* A reference to a unit, at the value of key in map n. */
static int need_unit(struct import *im, const struct ydoc *d, const struct ynode *map,
                     const char *key, const char *code, size_t *at, struct cchc_err *err)
{
    const struct ynode *vn = ymap_get(map, key);
    *at = unit_index(im, code);
    if (*at == SIZE_MAX)
        return yerr(err, d, vn ? vn : map, "unknown unit %s (not in units.yaml)", code);
    return CCHC_OK;
}

static bool code_syntax_ok(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '-'))
            return false;
    return true;
}

static int check_units(struct import *im, struct cchc_err *err)
{
    const struct ydoc *d = &im->docs[FILE_UNITS];
    struct y_unit *u = im->uf.units.v;
    size_t n = im->uf.units.n;
    if (n == 0)
        return yerr(err, d, d->root, "units: the list is empty");
    for (size_t i = 0; i < n; i++) {
        if (!code_syntax_ok(u[i].code) || strlen(u[i].code) > 64)
            return yerr(err, d, ymap_get(u[i].node, "code"),
                        "a unit code is 1-64 of A-Z, 0-9 and '-'");
    }
    if (sort_codes(d, "unit", &im->uf.units, sizeof *u, offsetof(struct y_unit, code),
                   &im->unit_codes, err))
        return CCHC_EUSAGE;
    for (size_t i = 0; i < n; i++) {
        size_t at;
        bool province = u[i].kind + 1 == UK_PROVINCE;
        if (province && u[i].parent)
            return yerr(err, d, ymap_get(u[i].node, "parent"), "a province has no parent");
        if (!province && !u[i].parent)
            return yerr(err, d, u[i].node, "parent is required for a %s", unit_kinds[u[i].kind]);
        if (u[i].parent) {
            if (need_unit(im, d, u[i].node, "parent", u[i].parent, &at, err))
                return CCHC_EUSAGE;
            if (at >= i)
                return yerr(err, d, ymap_get(u[i].node, "parent"),
                            "parent %s must come earlier in the file (it is on line %d)",
                            u[i].parent, u[at].node->line);
            /* a commune belongs to a district, everything else to a province */
            int want = u[i].kind + 1 == UK_COMMUNE ? UK_DISTRICT : UK_PROVINCE;
            if (u[at].kind + 1 != want)
                return yerr(err, d, ymap_get(u[i].node, "parent"),
                            "the parent of a %s is a %s; %s is a %s", unit_kinds[u[i].kind],
                            unit_kinds[want - 1], u[i].parent, unit_kinds[u[at].kind]);
        }
        if (u[i].successor) {
            if (need_unit(im, d, u[i].node, "successor", u[i].successor, &at, err))
                return CCHC_EUSAGE;
            if (at == i)
                return yerr(err, d, ymap_get(u[i].node, "successor"),
                            "a unit cannot be its own successor");
        }
        if (u[i].valid_from && u[i].valid_to && u[i].valid_to < u[i].valid_from)
            return yerr(err, d, ymap_get(u[i].node, "valid_to"), "valid_to is before valid_from");
    }
    return CCHC_OK;
}

static int check_component(const struct import *im, const struct ydoc *d, const struct ynode *n,
                           const char *code, struct cchc_err *err)
{
    const struct index_def *ix;
    const struct area *ar;
    const struct component *co;
    if (im->cfg && !config_find_code(im->cfg, code, &ix, &ar, &co))
        return yerr(err, d, n, "unknown index component %s (not in indicators.yaml)", code);
    return CCHC_OK;
}

static int check_commitments(struct import *im, struct cchc_err *err)
{
    if (!has_data(im, FILE_COMMITMENTS))
        return CCHC_OK;
    const struct ydoc *d = &im->docs[FILE_COMMITMENTS];
    struct y_commitment *c = im->cf.commitments.v;
    if (sort_codes(d, "commitment", &im->cf.commitments, sizeof *c,
                   offsetof(struct y_commitment, code), NULL, err))
        return CCHC_EUSAGE;
    for (size_t i = 0; i < im->cf.commitments.n; i++) {
        size_t at;
        if (!*c[i].code)
            return yerr(err, d, ymap_get(c[i].node, "code"), "the code is empty");
        if (need_unit(im, d, c[i].node, "unit", c[i].unit, &at, err))
            return CCHC_EUSAGE;
        const struct ynode *cs = ymap_get(c[i].node, "countersigner");
        if (need_unit(im, d, cs, "unit", c[i].counter.unit, &at, err))
            return CCHC_EUSAGE;
        struct y_item *it = c[i].items.v;
        for (size_t j = 0; j < c[i].items.n; j++) {
            if (check_component(im, d, ymap_get(it[j].node, "component"), it[j].component, err))
                return CCHC_EUSAGE;
        }
    }
    return CCHC_OK;
}

static int check_visits(struct import *im, struct cchc_err *err)
{
    if (!has_data(im, FILE_VISITS))
        return CCHC_OK;
    const struct ydoc *d = &im->docs[FILE_VISITS];
    struct y_visit *v = im->vf.visits.v;
    long year = im->vf.plan.year;
    if (year < 1900 || year > 9999)
        return yerr(err, d, ymap_get(ymap_get(d->root, "plan"), "year"), "year %ld is out of range",
                    year);
    if (sort_codes(d, "visit", &im->vf.visits, sizeof *v, offsetof(struct y_visit, code), NULL,
                   err))
        return CCHC_EUSAGE;
    for (size_t i = 0; i < im->vf.visits.n; i++) {
        size_t at;
        if (!*v[i].code)
            return yerr(err, d, ymap_get(v[i].node, "code"), "the code is empty");
        if (need_unit(im, d, v[i].node, "unit", v[i].unit, &at, err))
            return CCHC_EUSAGE;
        if (date_year(v[i].start) != year)
            return yerr(err, d, ymap_get(v[i].node, "start"),
                        "the visit starts outside the plan's year %ld", year);
        if (v[i].end && v[i].end < v[i].start)
            return yerr(err, d, ymap_get(v[i].node, "end"), "end is before start");
        struct y_member *t = v[i].team.v;
        const struct y_member *lead = NULL;
        for (size_t j = 0; j < v[i].team.n; j++) {
            if (t[j].role != TEAM_LEAD)
                continue;
            if (lead)
                return yerr(err, d, ymap_get(t[j].node, "role"),
                            "a team has one lead; the first is on line %d", lead->node->line);
            lead = &t[j];
        }
        if (!lead)
            return yerr(err, d, ymap_get(v[i].node, "team"),
                        "the team has no lead (one member needs role: lead)");
    }
    return CCHC_OK;
}

/* A value of one of the province's measures: the value in score, for the
 * province as a whole (no component, no unit), not above the measure's max. */
static int measure_max(const struct ydoc *d, const struct measure *ms, const struct y_result *r,
                       double *max, struct cchc_err *err)
{
    if (r->component)
        return yerr(err, d, ymap_get(r->node, "component"), "measure %s has no components",
                    ms->code);
    if (r->unit)
        return yerr(err, d, ymap_get(r->node, "unit"),
                    "measure %s is the province's: a value has no unit", ms->code);
    if (!ymap_get(r->node, "score"))
        return yerr(err, d, r->node, "a value of measure %s needs 'score' (the value)", ms->code);
    *max = ms->max;
    return CCHC_OK;
}

/* The most a result may score: of its component, area or index, or of the
 * measure it is a value of; 0 = no limit. */
static int result_max(const struct import *im, const struct ydoc *d, const struct y_result *r,
                      double *max, struct cchc_err *err)
{
    const struct index_def *ix = config_index(im->cfg, r->index), *ix2 = NULL;
    const struct area *ar = NULL;
    const struct component *co = NULL;
    const struct measure *ms = config_measure(im->cfg, r->index);
    if (ms)
        return measure_max(d, ms, r, max, err);
    if (!ix)
        return yerr(err, d, ymap_get(r->node, "index"),
                    "unknown index or measure %s (not in indicators.yaml)", r->index);
    *max = ix->total;
    if (!r->component)
        return CCHC_OK;
    const struct ynode *cn = ymap_get(r->node, "component");
    if (!config_find_code(im->cfg, r->component, &ix2, &ar, &co))
        return yerr(err, d, cn, "unknown index component %s (not in indicators.yaml)",
                    r->component);
    if (ix2 != ix || (!ar && !co))
        return yerr(err, d, cn, "%s is not an area or component of %s", r->component, r->index);
    *max = co ? co->max : ar->max;
    return CCHC_OK;
}

/* The same index, component, year and unit twice. */
static bool same_result(const struct y_result *a, const struct y_result *b)
{
    return strcmp(a->index, b->index) == 0 && a->year == b->year &&
           strcmp(a->component ? a->component : "", b->component ? b->component : "") == 0 &&
           strcmp(a->unit ? a->unit : "", b->unit ? b->unit : "") == 0;
}

static int check_results(struct import *im, struct cchc_err *err)
{
    if (!has_data(im, FILE_RESULTS))
        return CCHC_OK;
    const struct ydoc *d = &im->docs[FILE_RESULTS];
    struct y_result *r = im->rf.results.v;
    for (size_t i = 0; i < im->rf.results.n; i++) {
        size_t at;
        double max = 0;
        const struct ynode *sn = ymap_get(r[i].node, "score");
        if (r[i].year < 1900 || r[i].year > 9999)
            return yerr(err, d, ymap_get(r[i].node, "year"), "year %ld is out of range", r[i].year);
        if (r[i].unit && need_unit(im, d, r[i].node, "unit", r[i].unit, &at, err))
            return CCHC_EUSAGE;
        if (im->cfg && result_max(im, d, &r[i], &max, err))
            return CCHC_EUSAGE;
        if (sn && (isnan(r[i].score) || r[i].score < 0))
            return yerr(err, d, sn, "a score is a number not below 0");
        if (sn && max > 0 && r[i].score > max)
            return yerr(err, d, sn, "score %g is above the maximum %g of %s", r[i].score, max,
                        r[i].component ? r[i].component : r[i].index);
        const struct ynode *rn = ymap_get(r[i].node, "rank"), *on = ymap_get(r[i].node, "of");
        if (rn && !on)
            return yerr(err, d, rn, "rank needs 'of' (how many were ranked)");
        if (on && r[i].of < 1)
            return yerr(err, d, on, "'of' must be at least 1");
        if (rn && (r[i].rank < 1 || r[i].rank > r[i].of))
            return yerr(err, d, rn, "rank %d is not between 1 and %d", r[i].rank, r[i].of);
        for (size_t j = 0; j < i; j++)
            if (same_result(&r[i], &r[j]))
                return yerr(err, d, r[i].node, "the same result as on line %d", r[j].node->line);
    }
    return CCHC_OK;
}

/* ---- writing ---- */

static uint64_t uid(const struct import *im, const char *code)
{
    size_t at = code ? unit_index(im, code) : SIZE_MAX;
    return at == SIZE_MAX ? 0 : im->unit_ids[at];
}

static int write_units(struct mtx *tx, struct import *im, struct cchc_err *err)
{
    struct y_unit *y = im->uf.units.v;
    size_t n = im->uf.units.n;
    /* ids first, so that a successor later in the file can be named */
    for (size_t i = 0; i < n; i++)
        if (mtx_reserve_unit_id(tx, &im->unit_ids[i], err))
            return CCHC_ERUNTIME;
    for (size_t i = 0; i < n; i++) {
        struct unit u = {
            .m = {.id = im->unit_ids[i]},
            .code = y[i].code,
            .name = y[i].name,
            .short_name = y[i].short_name,
            .kind = (enum unit_kind)(y[i].kind + 1),
            .form = y[i].form,
            .parent = uid(im, y[i].parent),
            .head = {y[i].head.name, y[i].head.title},
            .valid_from = y[i].valid_from,
            .valid_to = y[i].valid_to,
            .successor = uid(im, y[i].successor),
            .note = y[i].note,
        };
        int rc = mtx_put_unit(tx, &u, err);
        free(u.m.mby);
        if (rc)
            return rc;
    }
    im->st.units = n;
    return CCHC_OK;
}

static int write_commitments(struct mtx *tx, struct import *im, struct cchc_err *err)
{
    struct y_commitment *y = im->cf.commitments.v;
    for (size_t i = 0; i < im->cf.commitments.n; i++) {
        struct commitment c = {
            .code = y[i].code,
            .title = y[i].title,
            .unit = uid(im, y[i].unit),
            .signer = {y[i].signer.name, y[i].signer.title},
            .counter_unit = uid(im, y[i].counter.unit),
            .countersigner = {y[i].counter.name, y[i].counter.title},
            .signed_on = y[i].signed_on,
            .period_from = (int)y[i].period.from,
            .period_to = (int)y[i].period.to,
        };
        int rc = mtx_put_commitment(tx, &c, err);
        free(c.m.mby);
        if (rc)
            return rc;
        struct y_item *yi = y[i].items.v;
        for (size_t j = 0; j < y[i].items.n; j++) {
            struct commitment_item it = {
                .commitment = c.m.id,
                .seq = (uint32_t)(j + 1),
                .component = yi[j].component,
                .text = yi[j].text,
                .baseline = yi[j].baseline,
                .target = yi[j].target,
                .due = yi[j].due,
                .status = (enum item_status)yi[j].status,
                .progress = yi[j].progress,
            };
            rc = mtx_put_item(tx, &it, err);
            free(it.m.mby);
            if (rc)
                return rc;
            im->st.items++;
        }
        im->st.commitments++;
    }
    return CCHC_OK;
}

static int write_visits(struct mtx *tx, struct import *im, struct cchc_err *err)
{
    struct y_visit *y = im->vf.visits.v;
    for (size_t i = 0; i < im->vf.visits.n; i++) {
        struct y_member *ym = y[i].team.v;
        struct team_member *team = xcalloc(y[i].team.n ? y[i].team.n : 1, sizeof *team);
        for (size_t j = 0; j < y[i].team.n; j++)
            team[j] = (struct team_member){ym[j].login, ym[j].name, ym[j].org,
                                           (enum team_role)ym[j].role};
        struct visit v = {
            .code = y[i].code,
            .unit = uid(im, y[i].unit),
            .year = (int)im->vf.plan.year,
            .start = y[i].start,
            .end = y[i].end,
            .scope = y[i].scope,
            .status = (enum visit_status)y[i].status,
            .plan = im->vf.plan.code,
            .decision = y[i].decision,
            .team = team,
            .n_team = y[i].team.n,
        };
        int rc = mtx_put_visit(tx, &v, err);
        free(v.m.mby);
        free(team);
        if (rc)
            return rc;
        im->st.visits++;
    }
    return CCHC_OK;
}

static int write_results(struct mtx *tx, struct import *im, struct cchc_err *err)
{
    struct y_result *y = im->rf.results.v;
    for (size_t i = 0; i < im->rf.results.n; i++) {
        struct index_result r = {
            .index = y[i].index,
            .component = y[i].component,
            .year = (int)y[i].year,
            .unit = uid(im, y[i].unit),
            .score = ymap_get(y[i].node, "score") ? y[i].score : NAN,
            .rank = y[i].rank,
            .rank_of = y[i].of,
            .grade = y[i].grade,
            .source = y[i].source,
        };
        int rc = mtx_put_result(tx, &r, err);
        free(r.m.mby);
        if (rc)
            return rc;
        im->st.results++;
    }
    return CCHC_OK;
}

/* One transaction; store_write may run it again from the start. */
static int write_all(struct mtx *tx, void *ctx, struct cchc_err *err)
{
    struct import *im = ctx;
    memset(&im->st, 0, sizeof im->st);
    int rc = write_units(tx, im, err);
    if (rc == CCHC_OK)
        rc = write_commitments(tx, im, err);
    if (rc == CCHC_OK)
        rc = write_visits(tx, im, err);
    if (rc == CCHC_OK)
        rc = write_results(tx, im, err);
    return rc == CCHC_OK ? CCHC_OK : CCHC_ERUNTIME;
}

static int parse_and_check(struct import *im, const char *dir, struct cchc_err *err)
{
    if (load_file(im, dir, FILE_UNITS, units_file_fields, &im->uf, err) ||
        load_file(im, dir, FILE_COMMITMENTS, commitments_file_fields, &im->cf, err) ||
        load_file(im, dir, FILE_VISITS, visits_file_fields, &im->vf, err) ||
        load_file(im, dir, FILE_RESULTS, results_file_fields, &im->rf, err))
        return CCHC_EUSAGE;
    if (check_units(im, err) || check_commitments(im, err) || check_visits(im, err) ||
        check_results(im, err))
        return CCHC_EUSAGE;
    return CCHC_OK;
}

int import_dir(struct model *m, const struct config *cfg, const char *dir,
               struct import_stats *stats, struct cchc_err *err)
{
    struct import *im = xcalloc(1, sizeof *im);
    im->m = m;
    im->cfg = cfg;
    if (stats)
        memset(stats, 0, sizeof *stats);
    int rc = parse_and_check(im, dir, err);
    if (rc == CCHC_OK) {
        uint64_t first;
        size_t got = 0, count = 0;
        struct list_query q = {.kind = LIST_UNITS};
        rc = model_list(m, &q, 0, 1, &first, &got, &count, err);
        if (rc == CCHC_OK && count > 0)
            rc = err_set(err, CCHC_ERUNTIME,
                         "the database already holds %zu units: import "
                         "needs an empty one",
                         count);
    }
    if (rc == CCHC_OK) {
        char detail[160];
        im->unit_ids = xcalloc(im->uf.units.n ? im->uf.units.n : 1, sizeof *im->unit_ids);
        size_t n_items = 0;
        struct y_commitment *c = im->cf.commitments.v;
        for (size_t i = 0; i < im->cf.commitments.n; i++)
            n_items += c[i].items.n;
        snprintf(detail, sizeof detail,
                 "%zu units, %zu commitments, %zu items, %zu visits, "
                 "%zu results",
                 im->uf.units.n, im->cf.commitments.n, n_items, im->vf.visits.n, im->rf.results.n);
        rc = model_write(m, "init", detail, write_all, im, err);
        if (rc != CCHC_OK)
            rc = CCHC_ERUNTIME;
        else if (stats)
            *stats = im->st;
    }
    import_free(im);
    free(im);
    return rc;
}
