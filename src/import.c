/* import.c — the province's data files (the YAML files of data/) into an
 * empty database, for `cchc init`.
 *
 * What it owns is the folder's layout: four files, of which only
 * units.yaml must be there and hold a unit; visits.yaml's plan, which gives
 * every visit its year and plan; the rule that the database is empty; and
 * the audit record "init". The records themselves (units, commitments,
 * visits, results) are read, checked and written by datafmt.c, the code
 * that also reads export files, in three steps, so that bad data never
 * leaves half a database behind:
 *   1. parse every file with the table-driven mapper of yaml.h;
 *   2. check what the mapper cannot (datafmt.h), with references between
 *      the files: units by code, a parent earlier in units.yaml;
 *   3. write everything in one model_write(), with its audit record.
 * Every problem in steps 1-2 names file:line:column (yerr) and is
 * CCHC_EUSAGE; steps 1 and 2 go on after a problem, so that all of them
 * are reported at once (a file that is not YAML is one problem: nothing
 * after its error can be read). A failure in step 3 is CCHC_ERUNTIME. The
 * format is in data/README.md, section "Format".
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cchc/datafmt.h"
#include "cchc/import.h"
#include "cchc/model.h"
#include "cchc/yaml.h"

enum { FILE_UNITS, FILE_COMMITMENTS, FILE_VISITS, FILE_RESULTS, N_FILES };
static const char *const file_names[N_FILES] = {"units.yaml", "commitments.yaml", "visits.yaml",
                                                "results.yaml"};

struct y_plan {
    char *code, *title, *decision;
    long year;
    bool ok; /* read whole: its year and code may be given to the visits */
};

struct import {
    struct model *m;
    struct ydoc docs[N_FILES];
    bool have[N_FILES];
    struct rd_set rs; /* the records of all four files */
    struct y_plan plan;
};

/* ---- the files' top-level mappings ---- */

static const struct dfield plan_fields[] = {
    DF_F(struct y_plan, "code", YF_STR, code, true),
    DF_F(struct y_plan, "title", YF_STR, title, false),
    DF_F(struct y_plan, "decision", YF_STR, decision, false),
    DF_F(struct y_plan, "year", YF_INT, year, true),
    DF_END,
};

static int read_plan(const struct ydoc *d, const struct ynode *n, void *dst, void *ctx,
                     struct cchc_err *err)
{
    struct y_plan *plan = dst;
    if (n->type != YN_MAP)
        return yerr(err, d, n, "expected a mapping with code and year");
    if (dfmt_read_map(d, n, plan_fields, dst, ctx, err))
        return CCHC_EUSAGE;
    plan->ok = true;
    return CCHC_OK;
}

static const struct dfield units_file[] = {
    DF_C(struct import, "units", rs.l[DK_UNITS], true, dfmt_read_units),
    DF_END,
};
static const struct dfield commitments_file[] = {
    DF_C(struct import, "commitments", rs.l[DK_COMMITMENTS], true, dfmt_read_commitments),
    DF_END,
};
static const struct dfield visits_file[] = {
    DF_C(struct import, "plan", plan, true, read_plan),
    DF_C(struct import, "visits", rs.l[DK_VISITS], true, dfmt_read_visits),
    DF_END,
};
static const struct dfield results_file[] = {
    DF_C(struct import, "results", rs.l[DK_RESULTS], true, dfmt_read_results),
    DF_END,
};
static const struct dfield *const file_fields[N_FILES] = {units_file, commitments_file, visits_file,
                                                          results_file};

static void import_free(struct import *im)
{
    dfmt_free(&im->rs);
    dfmt_free_strs(plan_fields, &im->plan);
    for (int i = 0; i < N_FILES; i++)
        if (im->have[i])
            ydoc_free(&im->docs[i]);
}

/* The lists a file holds. */
static const enum dkind file_lists[N_FILES] = {DK_UNITS, DK_COMMITMENTS, DK_VISITS, DK_RESULTS};
static const char *const list_keys[N_FILES] = {"units", "commitments", "visits", "results"};

/* A file that cannot be read, or whose list is not there: what refers to
 * its records is not checked against it (datafmt.h, rd_list.broken). */
static int file_broken(struct import *im, int which, const struct ydoc *d, const struct ynode *at,
                       const struct cchc_err *err)
{
    im->rs.l[file_lists[which]].broken = true;
    dfmt_errs_add(im->rs.errs, d, at, err);
    return CCHC_EUSAGE;
}

/* Load and map one file; a missing optional file is no error. Every
 * problem goes to the list; non-zero when there was one. */
static int load_file(struct import *im, const char *dir, int which, struct cchc_err *err)
{
    char *path = path_join(dir, file_names[which]);
    struct ydoc named = {.path = path};
    int rc = CCHC_OK;
    dfmt_errs_file(im->rs.errs, path);
    if (!path_exists(path)) {
        if (which == FILE_UNITS) {
            err_set(err, CCHC_EUSAGE, "%s: no such file (a data folder needs units.yaml)", path);
            rc = file_broken(im, which, &named, NULL, err);
        }
        free(path);
        return rc;
    }
    rc = ydoc_load(&im->docs[which], path, err);
    if (rc != CCHC_OK)
        file_broken(im, which, &named, NULL, err); /* a syntax error: nothing after it is read */
    free(path);
    if (rc != CCHC_OK)
        return CCHC_EUSAGE;
    im->have[which] = true;
    const struct ydoc *d = &im->docs[which];
    if (!d->root) {
        if (which != FILE_UNITS)
            return CCHC_OK;
        yerr(err, d, NULL, "the file is empty");
        return file_broken(im, which, d, NULL, err);
    }
    if (d->root->type != YN_MAP) {
        yerr(err, d, d->root, "expected a mapping at the top of the file");
        return file_broken(im, which, d, d->root, err);
    }
    rc = dfmt_read_map(d, d->root, file_fields[which], im, &im->rs, err);
    if (!ymap_get(d->root, list_keys[which]))
        im->rs.l[file_lists[which]].broken = true; /* "missing key" said it */
    return rc;
}

/* ---- what is the folder's own to check ---- */

static void units_listed(const struct import *im, struct cchc_err *err)
{
    const struct ydoc *d = &im->docs[FILE_UNITS];
    if (im->rs.l[DK_UNITS].n > 0 || im->rs.l[DK_UNITS].broken)
        return;
    yerr(err, d, d->root, "units: the list is empty");
    dfmt_errs_add(im->rs.errs, d, d->root, err);
}

/* The plan's year is every visit's year, and its code their plan. Without
 * a plan that could be read, each visit keeps the year it starts in, so
 * that the visits are not all refused for what is wrong with the plan. */
static void plan_visits(struct import *im, struct cchc_err *err)
{
    const struct ydoc *d = &im->docs[FILE_VISITS];
    struct rd_visit *v = im->rs.l[DK_VISITS].v;
    if (!im->have[FILE_VISITS] || !d->root)
        return;
    bool ok = im->plan.ok;
    if (ok && (im->plan.year < 1900 || im->plan.year > 9999)) {
        const struct ynode *yn = ymap_get(ymap_get(d->root, "plan"), "year");
        yerr(err, d, yn, "year %ld is out of range", im->plan.year);
        dfmt_errs_add(im->rs.errs, d, yn, err);
        ok = false;
    }
    for (size_t i = 0; i < im->rs.l[DK_VISITS].n; i++) {
        v[i].year = ok ? im->plan.year : date_year(v[i].start);
        v[i].plan = xstrdup(ok ? im->plan.code : NULL);
    }
}

/* Every file is read and every check runs, whatever the others found. */
static int parse_and_check(struct import *im, const char *dir, struct cchc_err *err)
{
    struct rd_set *rs = &im->rs;
    for (int i = 0; i < N_FILES; i++)
        load_file(im, dir, i, err);
    if (im->have[FILE_UNITS])
        units_listed(im, err);
    dfmt_check_units(rs, err);
    dfmt_check_commitments(rs, err);
    plan_visits(im, err);
    dfmt_check_visits(rs, err);
    if (dfmt_check_results(rs, err) == CCHC_ERUNTIME)
        return CCHC_ERUNTIME; /* not with a data folder: it has no database lookups */
    return dfmt_errs_result(rs->errs, err);
}

static int empty_db(struct model *m, struct cchc_err *err)
{
    uint64_t first;
    size_t got = 0, count = 0;
    struct list_query q = {.kind = LIST_UNITS};
    int rc = model_list(m, &q, 0, 1, &first, &got, &count, err);
    if (rc == CCHC_OK && count > 0)
        rc = err_set(err, CCHC_ERUNTIME,
                     "the database already holds %zu units: import needs an empty one", count);
    return rc;
}

/* ---- writing ---- */

/* One transaction; store_write may run it again from the start. */
static int write_all(struct mtx *tx, void *ctx, struct cchc_err *err)
{
    struct import *im = ctx;
    return dfmt_write(tx, &im->rs, err);
}

int import_dir(struct model *m, const struct config *cfg, const char *dir,
               struct import_stats *stats, struct cchc_err *err)
{
    return import_dir_all(m, cfg, dir, stats, NULL, err);
}

int import_dir_all(struct model *m, const struct config *cfg, const char *dir,
                   struct import_stats *stats, struct dfmt_errs *errs, struct cchc_err *err)
{
    struct import *im = xcalloc(1, sizeof *im);
    struct dfmt_errs own = {0};
    const struct rd_list *l = im->rs.l;
    im->m = m;
    im->rs.fmt = DF_DATA;
    im->rs.cfg = cfg;
    im->rs.errs = errs ? errs : &own;
    if (stats)
        memset(stats, 0, sizeof *stats);
    int rc = parse_and_check(im, dir, err);
    if (rc == CCHC_OK)
        rc = empty_db(m, err);
    if (rc == CCHC_OK) {
        char detail[160];
        snprintf(detail, sizeof detail,
                 "%zu units, %zu commitments, %zu items, %zu visits, %zu results", l[DK_UNITS].n,
                 l[DK_COMMITMENTS].n, dfmt_items(&im->rs), l[DK_VISITS].n, l[DK_RESULTS].n);
        rc = model_write(m, "init", detail, write_all, im, err);
        if (rc != CCHC_OK)
            rc = CCHC_ERUNTIME;
        else if (stats)
            *stats = (struct import_stats){im->rs.written[DK_UNITS], im->rs.written[DK_COMMITMENTS],
                                           im->rs.items_written, im->rs.written[DK_VISITS],
                                           im->rs.written[DK_RESULTS]};
    }
    import_free(im);
    free(im);
    dfmt_errs_free(&own);
    return rc;
}
