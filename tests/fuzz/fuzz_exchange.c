/* fuzz_exchange.c — libFuzzer target for the reader of export files,
 * exchange_import_text (exchange.h): what `cchc import FILE` and the
 * findings.yaml of `cchc init` go through, with the problem list that names
 * every error of a file (datafmt.h, struct dfmt_errs).
 *
 * One input is one export file (YAML or JSON), read from memory. Its first
 * line chooses where it goes:
 *   "# fuzz: empty"     into an empty database (a new one, as `cchc import`
 *                       makes when --db holds none);
 *   "# fuzz: findings"  into the sample database, as a findings.yaml
 *                       (XI_FINDINGS: notes, checks and recs of its visits);
 *   anything else       into the sample database, as `cchc import` adds to
 *                       an existing one.
 * The sample database is built once per process from data/ ($CCHC_FUZZ_DATA
 * for another folder), with its findings.yaml when it has one, and the
 * configuration config/cchc.yaml ($CCHC_FUZZ_CONFIG); its data.mdb is kept
 * aside, and after an input that wrote, the copy is put back, so that every
 * input meets the same database. tests/fuzz/run.sh runs from the top of the
 * source tree.
 *
 * Seeds: tests/fuzz/seeds/exchange/ holds the files of tests/data/exchange,
 * the findings.yaml files of tests/data/import, each behind its first line,
 * and the export (YAML and JSON) of the small data folder
 * tests/data/import/findings for an empty database, which `tests/fuzz/run.sh
 * seeds` writes by running this target with CCHC_FUZZ_WRITE_SEED=FILE and
 * CCHC_FUZZ_DATA=tests/data/import/findings. (The whole sample is left out:
 * an input that large takes a second.)
 *
 * Besides what the sanitizers catch, a finding is: an error code other than
 * CCHC_EUSAGE for a bad file; a refused file that changed the database; a
 * problem list that is empty, holds more than DFMT_MAX_ERRS problems, is
 * out of file order, counts fewer than it holds, or whose first problem is
 * not the one err holds; a message unfit for a terminal; an import whose
 * database fails model_check; and, into an empty database, an import whose
 * export does not come back the same after export -> import into an empty
 * database -> export. Run with tests/fuzz/run.sh exchange.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cchc/config.h"
#include "cchc/datafmt.h"
#include "cchc/exchange.h"
#include "cchc/import.h"
#include "cchc/model.h"
#include "cchc/store.h"
#include "cchc/util.h"
#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum mode { M_ADD, M_EMPTY, M_FINDINGS };

static struct config cfg;
static struct model *sample, *empty;
static char sample_dir[4200], empty_dir[4200], again_dir[4200], kept_mdb[4200];
/* Reported at exit, to show that inputs reach the writing path. */
static unsigned long n_inputs, n_written[3];

static struct model *open_at(const char *dir)
{
    struct model *m = NULL;
    struct cchc_err err = {0};
    if (model_open(&m, dir, STORE_CREATE, "fuzz", &err) != CCHC_OK) {
        fprintf(stderr, "fuzz: cannot open a database in %s: %s\n", dir, err.msg);
        exit(1);
    }
    return m;
}

static void copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    char buf[65536];
    size_t n;
    if (!in || !out) {
        perror(in ? to : from);
        exit(1);
    }
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, out) != n) {
            perror(to);
            exit(1);
        }
    if (ferror(in) || fclose(out) != 0) {
        perror(to);
        exit(1);
    }
    fclose(in);
}

/* The sample database as it was built, in place of one an input changed. */
static void reset_sample(void)
{
    model_close(sample);
    fz_rmrf(sample_dir);
    if (mkdir(sample_dir, 0700) != 0) {
        perror(sample_dir);
        exit(1);
    }
    copy_file(kept_mdb, fz_path(sample_dir, "data.mdb"));
    sample = open_at(sample_dir);
}

/* A new, empty database at dir (*m closed and removed first). */
static void reset_empty(struct model **m, const char *dir)
{
    if (*m)
        model_close(*m);
    fz_rmrf(dir);
    *m = open_at(dir);
}

static void close_all(void)
{
    if (n_inputs)
        fprintf(stderr, "fuzz_exchange: %lu inputs; wrote %lu added, %lu new, %lu findings\n",
                n_inputs, n_written[M_ADD], n_written[M_EMPTY], n_written[M_FINDINGS]);
    if (sample)
        model_close(sample);
    if (empty)
        model_close(empty);
    sample = empty = NULL;
    config_free(&cfg);
}

static char *export_all(struct model *m, enum xformat fmt);

/* With CCHC_FUZZ_WRITE_SEED=FILE: the sample's export, for an empty
 * database, into FILE (YAML) and FILE-json; then exit. */
static void write_seed(const char *path)
{
    if (!path)
        return;
    for (int json = 0; json <= 1; json++) {
        char *text = export_all(sample, json ? XF_JSON : XF_YAML);
        char *name = xasprintf("%s%s", path, json ? "-json" : "");
        FILE *f = fopen(name, "wb");
        if (!f || fprintf(f, "# fuzz: empty\n%s", text) < 0 || fclose(f) != 0) {
            fprintf(stderr, "fuzz_exchange: cannot write %s\n", name);
            exit(2);
        }
        free(name);
        free(text);
    }
    exit(0);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *data = getenv("CCHC_FUZZ_DATA");
    struct cchc_err err = {0};
    if (!data || !*data)
        data = "data";
    fz_load_config(&cfg);
    const char *dir = fz_tmpdir();
    snprintf(sample_dir, sizeof sample_dir, "%s/sample", dir);
    snprintf(empty_dir, sizeof empty_dir, "%s/empty", dir);
    snprintf(again_dir, sizeof again_dir, "%s/again", dir);
    snprintf(kept_mdb, sizeof kept_mdb, "%s/sample.mdb", dir);
    sample = open_at(sample_dir);
    if (import_dir(sample, &cfg, data, NULL, &err) != CCHC_OK) {
        fprintf(stderr, "fuzz: cannot build the sample database from %s (CCHC_FUZZ_DATA): %s\n",
                data, err.msg);
        exit(1);
    }
    char *findings = path_join(data, "findings.yaml");
    if (path_exists(findings) && exchange_import_with(sample, &cfg, findings, NULL, 0, XI_FINDINGS,
                                                      NULL, NULL, &err) != CCHC_OK)
        fprintf(stderr, "fuzz: %s left out: %s\n", findings, err.msg);
    free(findings);
    write_seed(getenv("CCHC_FUZZ_WRITE_SEED"));
    model_close(sample);
    copy_file(fz_path(sample_dir, "data.mdb"), kept_mdb);
    sample = open_at(sample_dir);
    empty = open_at(empty_dir);
    /* Runs before fz_cleanup (atexit order is reversed): close LMDB first. */
    atexit(close_all);
    return 0;
}

static enum mode mode_of(const uint8_t *data, size_t size)
{
    static const char empty_line[] = "# fuzz: empty\n", findings_line[] = "# fuzz: findings\n";
    if (size >= strlen(empty_line) && memcmp(data, empty_line, strlen(empty_line)) == 0)
        return M_EMPTY;
    if (size >= strlen(findings_line) && memcmp(data, findings_line, strlen(findings_line)) == 0)
        return M_FINDINGS;
    return M_ADD;
}

/* The promises of the problem list (datafmt.h) for a refused file. */
static void check_problems(const struct dfmt_errs *e, const struct cchc_err *err)
{
    if (e->total == 0 || e->n == 0)
        fz_fail("refused with an empty problem list: %s", err->msg);
    if (e->n > DFMT_MAX_ERRS || e->n > e->total)
        fz_fail("%zu problems kept of %zu counted (at most %d)", e->n, e->total, DFMT_MAX_ERRS);
    if (e->total > e->n && e->n < DFMT_MAX_ERRS)
        fz_fail("%zu problems counted, only %zu kept", e->total, e->n);
    if (strcmp(e->v[0].text, err->msg) != 0)
        fz_fail("err is not the first problem:\n%s\n---\n%s", err->msg, e->v[0].text);
    for (size_t i = 0; i < e->n; i++) {
        struct cchc_err one = {.code = CCHC_EUSAGE};
        snprintf(one.msg, sizeof one.msg, "%s", e->v[i].text);
        fz_check_err("a problem", CCHC_EUSAGE, &one);
        if (i > 0) {
            const struct dfmt_err *a = &e->v[i - 1], *b = &e->v[i];
            bool in_order = a->file < b->file ||
                            (a->file == b->file &&
                             (a->line < b->line || (a->line == b->line && a->seq < b->seq)));
            if (!in_order)
                fz_fail("problems %zu and %zu out of order", i - 1, i);
        }
    }
}

static void report_problem(void *ctx, const char *line)
{
    (void)ctx;
    fprintf(stderr, "fuzz: model_check: %s\n", line);
}

static char *export_all(struct model *m, enum xformat fmt)
{
    char *buf = NULL;
    size_t len = 0;
    struct cchc_err err = {0};
    FILE *out = open_memstream(&buf, &len);
    if (!out)
        fz_fail("open_memstream failed");
    int rc = exchange_export(m, &cfg, fmt, XK_ALL, out, NULL, &err);
    fclose(out);
    if (rc != CCHC_OK)
        fz_fail("export after an import: %s", err.msg);
    return buf;
}

/* What went into an empty database comes out, goes into another empty
 * one and comes out again the same. */
static void check_round_trip(void)
{
    struct model *again = NULL;
    struct cchc_err err = {0};
    char *a = export_all(empty, XF_YAML);
    reset_empty(&again, again_dir);
    if (exchange_import_text(again, &cfg, "export.yaml", a, strlen(a), NULL, &err) != CCHC_OK)
        fz_fail("an export does not import: %s\n---\n%s", err.msg, a);
    char *b = export_all(again, XF_YAML);
    if (strcmp(a, b) != 0)
        fz_fail("export -> import -> export differs:\n%s\n---\n%s", a, b);
    free(a);
    free(b);
    model_close(again);
    fz_rmrf(again_dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const unsigned flags[] = {[M_ADD] = 0, [M_EMPTY] = 0, [M_FINDINGS] = XI_FINDINGS};
    enum mode mode = mode_of(data, size);
    struct model *m = mode == M_EMPTY ? empty : sample;
    struct dfmt_errs e = {0};
    struct cchc_err err = {0};
    struct xstats st;
    uint64_t before = model_version(m);
    n_inputs++;
    int rc = exchange_import_with(m, &cfg, "fuzz.yaml", (const char *)data, size, flags[mode], &e,
                                  &st, &err);
    fz_check_err("exchange_import", rc, &err);
    if (rc != CCHC_OK) {
        if (rc != CCHC_EUSAGE)
            fz_fail("exchange_import failed with %d, not CCHC_EUSAGE: %s", rc, err.msg);
        check_problems(&e, &err);
        if (model_version(m) != before)
            fz_fail("a refused file changed the database (%s)", err.msg);
        dfmt_errs_free(&e);
        return 0;
    }
    if (e.total != 0)
        fz_fail("imported with %zu problems (%s)", e.total, e.n ? e.v[0].text : "");
    dfmt_errs_free(&e);
    if (model_version(m) == before)
        return 0; /* nothing to add: nothing written */
    n_written[mode]++;
    int problems = model_check(m, report_problem, NULL, &err);
    if (problems != 0)
        fz_fail("model_check after an import: %d (%s)", problems, problems < 0 ? err.msg : "");
    if (mode == M_EMPTY) {
        check_round_trip();
        reset_empty(&empty, empty_dir);
    } else {
        reset_sample();
    }
    return 0;
}
