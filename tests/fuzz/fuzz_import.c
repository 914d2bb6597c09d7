/* fuzz_import.c — libFuzzer target for import_dir (import.h): the data files
 * of data/ read, validated and written into a database, by the record
 * readers, checks and writer it shares with `cchc import` (datafmt.h).
 *
 * One input is up to four files separated by lines "#%%": units.yaml,
 * commitments.yaml, visits.yaml, results.yaml (a missing part is a missing
 * file). They are checked against the sample configuration, config/cchc.yaml
 * ($CCHC_FUZZ_CONFIG to use another; tests/fuzz/run.sh runs from the top of
 * the source tree), which is loaded once, and imported into one database
 * made once per process in the scratch folder. Import is all or nothing into
 * an empty database, so the database is made again after the (rare) input
 * that imports.
 *
 * Besides what the sanitizers catch, a finding is: a refused import that
 * wrote something (the database must still be empty and hold no audit
 * record), an import whose database fails model_check or holds other counts
 * than it reported, an error code other than CCHC_EUSAGE for bad data, or an
 * error message unfit for a terminal. Run with tests/fuzz/run.sh import.
 */
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cchc/config.h"
#include "cchc/import.h"
#include "cchc/model.h"
#include "cchc/results.h"
#include "cchc/store.h"
#include "cchc/util.h"
#include "cchc/yaml.h"
#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const file_names[] = {"units.yaml", "commitments.yaml", "visits.yaml",
                                         "results.yaml"};
enum { N_FILES = 4 };

static struct config cfg;
static struct model *model;
/* Reported at exit, to show that inputs do reach the writing path. */
static unsigned long n_inputs, n_imported;
static char data_dir[4200], db_dir[4200];

static void open_db(void)
{
    struct cchc_err err = {0};
    if (model_open(&model, db_dir, STORE_CREATE, "fuzz", &err) != CCHC_OK) {
        fprintf(stderr, "fuzz: cannot make the database in %s: %s\n", db_dir, err.msg);
        exit(1);
    }
}

/* A fresh, empty database in place of the one an input filled. */
static void reset_db(void)
{
    model_close(model);
    model = NULL;
    fz_rmrf(db_dir);
    open_db();
}

static void close_db(void)
{
    if (n_inputs)
        fprintf(stderr, "fuzz_import: %lu of %lu inputs imported\n", n_imported, n_inputs);
    if (model)
        model_close(model);
    model = NULL;
    config_free(&cfg);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fz_load_config(&cfg);
    const char *dir = fz_tmpdir();
    snprintf(data_dir, sizeof data_dir, "%s/data", dir);
    snprintf(db_dir, sizeof db_dir, "%s/db", dir);
    if (mkdir(data_dir, 0700) != 0) {
        perror(data_dir);
        exit(1);
    }
    open_db();
    /* Runs before fz_cleanup (atexit order is reversed): close LMDB first. */
    atexit(close_db);
    return 0;
}

static size_t count_of(enum list_kind kind)
{
    uint64_t id;
    size_t got = 0, count = 0;
    struct cchc_err err = {0};
    struct list_query q = {.kind = kind};
    if (model_list(model, &q, 0, 1, &id, &got, &count, &err) != CCHC_OK)
        fz_fail("model_list: %s", err.msg);
    return count;
}

static size_t audit_count(void)
{
    struct audit_entry a[2];
    size_t n = 0;
    struct cchc_err err = {0};
    if (model_audit(model, 0, 2, a, &n, &err) != CCHC_OK)
        fz_fail("model_audit: %s", err.msg);
    for (size_t i = 0; i < n; i++)
        audit_free(&a[i]);
    return n;
}

static void report_problem(void *ctx, const char *line)
{
    (void)ctx;
    fprintf(stderr, "fuzz: model_check: %s\n", line);
}

/* ---- results read back against results.yaml ----
 * The import keeps its parsed values to itself, so the target reads
 * results.yaml again and checks that every stored result carries the
 * numbers the file gave (a number that does not fit the record must be
 * refused, not stored cut). */

struct want {
    const char *index, *component, *unit;
    long year, rank, of;
    bool has_score;
    double score;
    bool seen;
};

static const char *str_at(const struct ynode *map, const char *key)
{
    const struct ynode *n = ymap_get(map, key);
    return n && n->type == YN_SCALAR && !n->null ? n->str : NULL;
}

static long long_at(const struct ydoc *d, const struct ynode *map, const char *key)
{
    const struct ynode *n = ymap_get(map, key);
    struct cchc_err err = {0};
    long v = 0;
    if (n && yread_int(d, n, &v, &err) != CCHC_OK)
        fz_fail("imported results.yaml has a bad '%s': %s", key, err.msg);
    return v;
}

static int want_cmp_keys(const char *index, long year, const char *comp, const char *unit,
                         const struct want *b)
{
    int c = strcmp(index, b->index);
    if (c == 0)
        c = (year > b->year) - (year < b->year);
    if (c == 0)
        c = strcmp(comp ? comp : "", b->component ? b->component : "");
    if (c == 0)
        c = strcmp(unit ? unit : "", b->unit ? b->unit : "");
    return c;
}

static int want_cmp(const void *pa, const void *pb)
{
    const struct want *a = pa;
    return want_cmp_keys(a->index, a->year, a->component, a->unit, pb);
}

/* The entry of results.yaml (sorted by want_cmp) that r came from. */
static struct want *find_want(struct want *w, size_t n, const struct index_result *r,
                              const char *unit)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = want_cmp_keys(r->index, r->year, r->component, unit, &w[mid]);
        if (c == 0)
            return &w[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

static void check_result(struct want *w, size_t n, uint64_t id)
{
    struct index_result r = {0};
    struct unit u = {0};
    struct cchc_err err = {0};
    if (model_result(model, id, &r, &err) != CCHC_OK)
        fz_fail("model_result(%llu): %s", (unsigned long long)id, err.msg);
    if (r.unit && model_unit(model, r.unit, &u, &err) != CCHC_OK)
        fz_fail("result %llu names unit %llu: %s", (unsigned long long)id,
                (unsigned long long)r.unit, err.msg);
    struct want *x = find_want(w, n, &r, r.unit ? u.code : NULL);
    if (!x)
        fz_fail("stored result %s %s %d matches nothing in results.yaml", r.index,
                r.component ? r.component : "-", r.year);
    if (x->seen)
        fz_fail("result %s %d stored twice", r.index, r.year);
    x->seen = true;
    if (r.rank != x->rank || r.rank_of != x->of)
        fz_fail("result %s %d: results.yaml says rank %ld of %ld, the database %d of %d", r.index,
                r.year, x->rank, x->of, r.rank, r.rank_of);
    if (x->has_score ? r.score != x->score : !isnan(r.score))
        fz_fail("result %s %d: results.yaml says score %g, the database %g", r.index, r.year,
                x->has_score ? x->score : NAN, r.score);
    result_free(&r);
    unit_free(&u);
}

static void check_stored_results(const struct fz_part *part, size_t expected)
{
    struct ydoc doc;
    struct cchc_err err = {0};
    if (ydoc_parse(&doc, "results.yaml", part->data, part->len, &err) != CCHC_OK)
        fz_fail("imported results.yaml does not parse again: %s", err.msg);
    const struct ynode *list = ymap_get(doc.root, "results");
    size_t n = list && list->type == YN_SEQ ? list->n : 0;
    struct want *w = calloc(n ? n : 1, sizeof *w);
    for (size_t i = 0; i < n; i++) {
        const struct ynode *m = list->items[i];
        const struct ynode *sn = ymap_get(m, "score");
        w[i] = (struct want){str_at(m, "index"),
                             str_at(m, "component"),
                             str_at(m, "unit"),
                             long_at(&doc, m, "year"),
                             long_at(&doc, m, "rank"),
                             long_at(&doc, m, "of"),
                             sn != NULL,
                             0,
                             false};
        if (sn && yread_double(&doc, sn, &w[i].score, &err) != CCHC_OK)
            fz_fail("imported results.yaml has a bad score: %s", err.msg);
    }
    qsort(w, n, sizeof *w, want_cmp);
    size_t stored = 0;
    /* every index and every measure of the configuration: results are
     * listed by code */
    for (size_t k = 0; k < cfg.n_indices + cfg.n_measures; k++) {
        const char *code =
            k < cfg.n_indices ? cfg.indices[k].code : cfg.measures[k - cfg.n_indices].code;
        struct idvec ids = {0};
        if (results_ids_of_index(model, code, &ids, &err) != CCHC_OK)
            fz_fail("results of %s: %s", code, err.msg);
        for (size_t j = 0; j < ids.n; j++)
            check_result(w, n, ids.v[j]);
        stored += ids.n;
        idvec_free(&ids);
    }
    if (stored != expected || stored != n)
        fz_fail("results.yaml has %zu results, import reported %zu, the database lists %zu", n,
                expected, stored);
    free(w);
    ydoc_free(&doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fz_part parts[N_FILES];
    size_t n = fz_split(data, size, parts, N_FILES);
    for (size_t i = 0; i < N_FILES; i++)
        fz_put(data_dir, file_names[i], i < n ? &parts[i] : NULL);

    struct import_stats st;
    struct cchc_err err = {0};
    n_inputs++;
    int rc = import_dir(model, &cfg, data_dir, &st, &err);
    fz_check_err("import_dir", rc, &err);
    if (rc != CCHC_OK) {
        if (rc != CCHC_EUSAGE)
            fz_fail("import_dir failed with %d, not CCHC_EUSAGE: %s", rc, err.msg);
        if (count_of(LIST_UNITS) || count_of(LIST_COMMITMENTS) || audit_count())
            fz_fail("a refused import wrote to the database (%s)", err.msg);
        return 0;
    }
    if (count_of(LIST_UNITS) != st.units || count_of(LIST_COMMITMENTS) != st.commitments)
        fz_fail("import reported %zu units and %zu commitments, the database holds %zu and %zu",
                st.units, st.commitments, count_of(LIST_UNITS), count_of(LIST_COMMITMENTS));
    if (audit_count() != 1)
        fz_fail("an import left %zu audit records, not 1", audit_count());
    if (n > 3)
        check_stored_results(&parts[3], st.results);
    else if (st.results)
        fz_fail("import reported %zu results without a results.yaml", st.results);
    int problems = model_check(model, report_problem, NULL, &err);
    if (problems != 0)
        fz_fail("model_check after an import: %d (%s)", problems, problems < 0 ? err.msg : "");
    n_imported++;
    reset_db();
    return 0;
}
