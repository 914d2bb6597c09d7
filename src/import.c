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
 * CCHC_EUSAGE; a failure in step 3 is CCHC_ERUNTIME. The format is in
 * data/README.md, section "Format".
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
    if (n->type != YN_MAP)
        return yerr(err, d, n, "expected a mapping with code and year");
    return dfmt_read_map(d, n, plan_fields, dst, ctx, err);
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

/* Load and map one file; a missing optional file is no error. */
static int load_file(struct import *im, const char *dir, int which, struct cchc_err *err)
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
    if (dfmt_read_map(d, d->root, file_fields[which], im, &im->rs, err))
        return CCHC_EUSAGE;
    return CCHC_OK;
}

/* ---- what is the folder's own to check ---- */

static int units_listed(const struct import *im, struct cchc_err *err)
{
    const struct ydoc *d = &im->docs[FILE_UNITS];
    if (im->rs.l[DK_UNITS].n == 0)
        return yerr(err, d, d->root, "units: the list is empty");
    return CCHC_OK;
}

/* The plan's year is every visit's year, and its code their plan. */
static int plan_visits(struct import *im, struct cchc_err *err)
{
    const struct ydoc *d = &im->docs[FILE_VISITS];
    struct rd_visit *v = im->rs.l[DK_VISITS].v;
    if (!im->have[FILE_VISITS] || !d->root)
        return CCHC_OK;
    if (im->plan.year < 1900 || im->plan.year > 9999)
        return yerr(err, d, ymap_get(ymap_get(d->root, "plan"), "year"), "year %ld is out of range",
                    im->plan.year);
    for (size_t i = 0; i < im->rs.l[DK_VISITS].n; i++) {
        v[i].year = im->plan.year;
        v[i].plan = xstrdup(im->plan.code);
    }
    return CCHC_OK;
}

static int parse_and_check(struct import *im, const char *dir, struct cchc_err *err)
{
    for (int i = 0; i < N_FILES; i++)
        if (load_file(im, dir, i, err))
            return CCHC_EUSAGE;
    struct rd_set *rs = &im->rs;
    if (units_listed(im, err) || dfmt_check_units(rs, err) || dfmt_check_commitments(rs, err) ||
        plan_visits(im, err) || dfmt_check_visits(rs, err) || dfmt_check_results(rs, err))
        return CCHC_EUSAGE;
    return CCHC_OK;
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
    struct import *im = xcalloc(1, sizeof *im);
    const struct rd_list *l = im->rs.l;
    im->m = m;
    im->rs.fmt = DF_DATA;
    im->rs.cfg = cfg;
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
    return rc;
}
