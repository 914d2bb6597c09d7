/* test_import.c — unit tests of import_dir: the good fixture in
 * tests/data/import/good loads completely and consistently; each bad fixture
 * (tests/data/import/bad-*) is refused with CCHC_EUSAGE, the right
 * file:line:column, and an empty database; the sample data in data/ gives
 * the 26 visits of 2022; the keys only an export file has are refused; and
 * a bad unit or result is refused with the same words at the same place
 * whether it comes in a data folder or in an export file (both are read by
 * datafmt.c). The indicator definitions are built in memory, so that these
 * tests do not depend on the configuration files. */
#include "testutil.h"

#include <math.h>

#include "cchc/config.h"
#include "cchc/datafmt.h"
#include "cchc/exchange.h"
#include "cchc/import.h"
#include "cchc/model.h"
#include "cchc/results.h"
#include "cchc/store.h"

/* ---- a small indicators configuration ---- */

static struct component parindex_1_comps[] = {
    {.code = "PARINDEX.1.1", .name = {"Kế hoạch CCHC", "Plan"}, .max = 2},
};
static struct area parindex_areas[] = {
    {.code = "PARINDEX.1",
     .name = {"Công tác chỉ đạo", "Direction"},
     .max = 10,
     .components = parindex_1_comps,
     .n_components = 1},
    {.code = "PARINDEX.6", .name = {"Tài chính công", "Public finance"}, .max = 13.5},
};
static struct area pci_areas[] = {
    {.code = "PCI.4", .name = {"Tính minh bạch", "Transparency"}, .weight = 20},
};
static struct index_def indices[] = {
    {.code = "PARINDEX",
     .name = {"Chỉ số CCHC", "PAR INDEX"},
     .aggregate = AGG_SUM,
     .total = 100,
     .areas = parindex_areas,
     .n_areas = 2},
    {.code = "PCI",
     .name = {"PCI", "PCI"},
     .aggregate = AGG_WEIGHTED,
     .total = 100,
     .areas = pci_areas,
     .n_areas = 1},
};
/* Two of the province's measures: a percentage (max 100) and a count (no max). */
static struct measure measures[] = {
    {.code = "M.ONLINE", .name = {"Trực tuyến", "Online"}, .unit = "%", .target = 100, .max = 100},
    {.code = "M.CUT", .name = {"Cắt giảm", "Cut"}, .unit = "phòng", .target = 5},
};
static const struct config test_cfg = {
    .indices = indices, .n_indices = 2, .measures = measures, .n_measures = 2};

/* ---- fixture ---- */

struct fx {
    char *tmp;
    struct model *m;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    struct cchc_err err = {0};
    f->tmp = tu_tmpdir();
    if (model_open(&f->m, f->tmp, STORE_CREATE, "tester", &err) != CCHC_OK)
        fail_msg("model_open: %s", err.msg);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    model_close(f->m);
    tu_rmrf(f->tmp);
    free(f->tmp);
    free(f);
    return 0;
}

static size_t count_of(struct model *m, struct list_query q)
{
    uint64_t id;
    size_t got = 0, count = 0;
    struct cchc_err err = {0};
    if (model_list(m, &q, 0, 1, &id, &got, &count, &err) != CCHC_OK)
        fail_msg("model_list: %s", err.msg);
    return count;
}

static size_t audit_count(struct model *m)
{
    struct audit_entry a[8];
    size_t n = 0;
    struct cchc_err err = {0};
    assert_int_equal(model_audit(m, 0, 8, a, &n, &err), CCHC_OK);
    for (size_t i = 0; i < n; i++)
        audit_free(&a[i]);
    return n;
}

static uint64_t unit_id(struct model *m, const char *code)
{
    struct unit u = {0};
    struct cchc_err err = {0};
    if (model_unit_by_code(m, code, &u, &err) != CCHC_OK)
        fail_msg("%s", err.msg);
    uint64_t id = u.m.id;
    unit_free(&u);
    return id;
}

static void report_fail(void *ctx, const char *line)
{
    (void)ctx;
    print_error("check: %s\n", line);
}

/* ---- the good fixture ---- */

static void test_import_good(void **state)
{
    struct fx *f = *state;
    struct import_stats st;
    struct cchc_err err = {0};
    int rc = import_dir(f->m, &test_cfg, tu_src("tests/data/import/good"), &st, &err);
    if (rc != CCHC_OK)
        fail_msg("import: %s", err.msg);
    assert_int_equal(st.units, 7);
    assert_int_equal(st.commitments, 2);
    assert_int_equal(st.items, 3);
    assert_int_equal(st.visits, 4);
    assert_int_equal(st.results, 4);
    assert_int_equal(model_check(f->m, report_fail, NULL, &err), 0);

    /* units: fields, NFC, parent, successor that came later in the file */
    struct unit u = {0};
    assert_int_equal(model_unit_by_code(f->m, "TINH", &u, &err), CCHC_OK);
    assert_string_equal(u.name, "Tỉnh Thử");
    assert_string_equal(u.short_name, "Thử");
    assert_int_equal(u.kind, UK_PROVINCE);
    assert_string_equal(u.head.title, "Chủ tịch UBND tỉnh");
    assert_int_equal(u.valid_to, date_from_ymd(2025, 6, 30));
    assert_int_equal(u.successor, unit_id(f->m, "TINHMOI"));
    assert_int_equal(u.parent, 0);
    assert_int_equal(u.m.rev, 1);
    unit_free(&u);
    assert_int_equal(model_unit_by_code(f->m, "HUYEN-VTHANH", &u, &err), CCHC_OK);
    assert_string_equal(u.name, "X\xc3\xa3 V\xc4\xa9nh Th\xc3\xa0nh"); /* NFC */
    assert_int_equal(u.parent, unit_id(f->m, "HUYEN"));
    unit_free(&u);
    assert_int_equal(count_of(f->m, (struct list_query){.kind = LIST_UNIT_CHILDREN}), 2);
    assert_int_equal(count_of(f->m, (struct list_query){.kind = LIST_UNIT_CHILDREN,
                                                        .arg = unit_id(f->m, "TINH")}),
                     3);

    /* commitments and their items in file order */
    uint64_t snv = unit_id(f->m, "SNV"), ids[8];
    size_t got, count;
    struct list_query q = {.kind = LIST_UNIT_COMMITMENTS, .arg = snv};
    assert_int_equal(model_list(f->m, &q, 0, 8, ids, &got, &count, &err), CCHC_OK);
    assert_int_equal(got, 1);
    struct commitment c = {0};
    assert_int_equal(model_commitment(f->m, ids[0], &c, &err), CCHC_OK);
    assert_string_equal(c.code, "CK-SNV-2022");
    assert_int_equal(c.counter_unit, unit_id(f->m, "TINH"));
    assert_int_equal(c.period_from, 2022);
    assert_int_equal(c.period_to, 2025);
    assert_int_equal(c.signed_on, date_from_ymd(2022, 6, 17));
    q = (struct list_query){.kind = LIST_COMMITMENT_ITEMS, .arg = c.m.id};
    commitment_free(&c);
    assert_int_equal(model_list(f->m, &q, 0, 8, ids, &got, &count, &err), CCHC_OK);
    assert_int_equal(got, 2);
    struct commitment_item it = {0};
    assert_int_equal(model_item(f->m, ids[1], &it, &err), CCHC_OK);
    assert_int_equal(it.seq, 2);
    assert_string_equal(it.component, "PARINDEX.1.1");
    assert_int_equal(it.status, IS_ACHIEVED);
    assert_null(it.baseline);
    item_free(&it);

    /* visits by kind, with the plan and the team */
    q = (struct list_query){.kind = LIST_VISITS_YEAR, .year = 2022};
    assert_int_equal(count_of(f->m, q), 4);
    q.unit_kind = UK_DEPARTMENT;
    assert_int_equal(count_of(f->m, q), 1);
    q.unit_kind = UK_DISTRICT;
    assert_int_equal(count_of(f->m, q), 1);
    q.unit_kind = UK_COMMUNE;
    assert_int_equal(model_list(f->m, &q, 0, 8, ids, &got, &count, &err), CCHC_OK);
    assert_int_equal(got, 2);
    struct visit v = {0};
    assert_int_equal(model_visit(f->m, ids[0], &v, &err), CCHC_OK);
    assert_string_equal(v.code, "KT-2022-04"); /* 1 April comes before 11 May */
    visit_free(&v);
    assert_int_equal(model_visit(f->m, ids[1], &v, &err), CCHC_OK);
    assert_string_equal(v.code, "KT-2022-03");
    assert_string_equal(v.plan, "KH-KT-2022");
    assert_int_equal(v.scope, SCOPE_TTHC);
    assert_int_equal(v.status, VS_PLANNED);
    assert_int_equal(v.n_team, 2);
    assert_int_equal(v.team[0].role, TEAM_MEMBER);
    assert_int_equal(v.team[1].role, TEAM_LEAD);
    visit_free(&v);

    /* results: unknown score stays unknown */
    q = (struct list_query){.kind = LIST_INDEX_RESULTS, .code = "PCI"};
    assert_int_equal(model_list(f->m, &q, 0, 8, ids, &got, &count, &err), CCHC_OK);
    assert_int_equal(got, 1);
    struct index_result r = {0};
    assert_int_equal(model_result(f->m, ids[0], &r, &err), CCHC_OK);
    assert_true(isnan(r.score));
    assert_int_equal(r.rank, 13);
    assert_int_equal(r.rank_of, 63);
    result_free(&r);
    struct idvec all = {0};
    assert_int_equal(results_ids_of_index(f->m, "PARINDEX", &all, &err), CCHC_OK);
    assert_int_equal(all.n, 3); /* the province's and a unit's */
    idvec_free(&all);

    /* one audit record for the whole import */
    struct audit_entry a[2];
    size_t n = 0;
    assert_int_equal(model_audit(f->m, 0, 2, a, &n, &err), CCHC_OK);
    assert_int_equal(n, 1);
    assert_string_equal(a[0].what, "init");
    assert_string_equal(a[0].detail, "7 units, 2 commitments, 3 items, 4 visits, 4 results");
    audit_free(&a[0]);

    /* importing again into a full database is refused and changes nothing */
    assert_int_equal(import_dir(f->m, &test_cfg, tu_src("tests/data/import/good"), &st, &err),
                     CCHC_ERUNTIME);
    assert_int_equal(count_of(f->m, (struct list_query){.kind = LIST_UNITS}), 7);
    assert_int_equal(audit_count(f->m), 1);
}

/* Only units.yaml: the other files are optional. */
static void test_import_units_only(void **state)
{
    struct fx *f = *state;
    struct cchc_err err = {0};
    struct import_stats st;
    char *dir = tu_tmpdir();
    tu_write(dir, "units.yaml", "units:\n  - {code: A, name: Tỉnh A, kind: province}\n");
    assert_int_equal(import_dir(f->m, &test_cfg, dir, &st, &err), CCHC_OK);
    assert_int_equal(st.units, 1);
    assert_int_equal(st.visits, 0);
    tu_rmrf(dir);
    free(dir);
}

static void test_import_no_units(void **state)
{
    struct fx *f = *state;
    struct cchc_err err = {0};
    char *dir = tu_tmpdir();
    tu_write(dir, "visits.yaml", "plan: {code: K, year: 2022}\nvisits: []\n");
    assert_int_equal(import_dir(f->m, &test_cfg, dir, NULL, &err), CCHC_EUSAGE);
    assert_non_null(strstr(err.msg, "units.yaml"));
    assert_int_equal(count_of(f->m, (struct list_query){.kind = LIST_UNITS}), 0);
    tu_rmrf(dir);
    free(dir);
}

/* ---- bad fixtures ---- */

struct bad_case {
    const char *dir;  /* under tests/data/import */
    const char *file; /* the file the error names */
    int line, col;
    const char *words; /* a part of the message */
};

static const struct bad_case bad_cases[] = {
    {"bad-unknown-key", "units.yaml", 5, 5, "colour"},
    {"bad-unknown-unit", "visits.yaml", 6, 11, "unknown unit NOWHERE"},
    {"bad-duplicate-code", "units.yaml", 9, 11, "duplicate unit code SNV"},
    {"bad-unknown-component", "commitments.yaml", 10, 20, "PARINDEX.99"},
    {"bad-score-above-max", "results.yaml", 8, 12, "above the maximum 10"},
    {"bad-rank-overflow", "results.yaml", 5, 11, "4294967297"},
    {"bad-date", "visits.yaml", 7, 12, NULL},
    {"bad-parent-later", "units.yaml", 8, 13, "must come earlier"},
    {"bad-parent-kind", "units.yaml", 12, 13, "the parent of a commune is a district"},
    {"bad-two-leads", "visits.yaml", 12, 41, "one lead"},
    {"bad-outside-year", "visits.yaml", 7, 12, "outside the plan's year 2022"},
    {"bad-measure-above-max", "results.yaml", 7, 12,
     "score 120 is above the maximum 100 of M.ONLINE"},
    {"bad-measure-component", "results.yaml", 3, 16, "measure M.ONLINE has no components"},
    {"bad-measure-unit", "results.yaml", 4, 11, "a value has no unit"},
    {"bad-measure-no-score", "results.yaml", 2, 5, "needs 'score'"},
};

static void test_import_bad(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_cases / sizeof *bad_cases; i++) {
        const struct bad_case *bc = &bad_cases[i];
        char rel[256], want[4200];
        struct cchc_err err = {0};
        struct model *m = NULL;
        char *db = tu_tmpdir();
        if (model_open(&m, db, STORE_CREATE, "tester", &err) != CCHC_OK)
            fail_msg("model_open: %s", err.msg);
        snprintf(rel, sizeof rel, "tests/data/import/%s", bc->dir);
        const char *dir = tu_src(rel);
        char *file = path_join(dir, bc->file);
        snprintf(want, sizeof want, "%s:%d:%d: ", file, bc->line, bc->col);
        free(file);

        int rc = import_dir(m, &test_cfg, dir, NULL, &err);
        if (rc != CCHC_EUSAGE || err.code != CCHC_EUSAGE)
            fail_msg("%s: status %d, message: %s", bc->dir, rc, err.msg);
        if (strncmp(err.msg, want, strlen(want)) != 0)
            fail_msg("%s: wanted '%s...', got: %s", bc->dir, want, err.msg);
        if (bc->words && !strstr(err.msg, bc->words))
            fail_msg("%s: wanted '%s' in: %s", bc->dir, bc->words, err.msg);
        /* nothing written */
        assert_int_equal(count_of(m, (struct list_query){.kind = LIST_UNITS}), 0);
        assert_int_equal(audit_count(m), 0);
        model_close(m);
        tu_rmrf(db);
        free(db);
    }
}

/* ---- every problem, not just the first ---- */

/* Problem i of e is at file:line and says words. */
static void assert_problem(const struct dfmt_errs *e, size_t i, const char *file, int line,
                           const char *says)
{
    char want[300];
    snprintf(want, sizeof want, "/%s:%d:", file, line);
    if (i >= e->n)
        fail_msg("problem %zu wanted (%s %s), there are %zu", i, want, says, e->n);
    if (!strstr(e->v[i].text, want) || !strstr(e->v[i].text, says))
        fail_msg("problem %zu: wanted '%s' and '%s' in: %s", i, want, says, e->v[i].text);
}

/* Import dir into a fresh database: refused, nothing written; the problems in *e. */
static void import_refused(const char *dir, struct dfmt_errs *e, struct cchc_err *err)
{
    struct model *m = NULL;
    char *db = tu_tmpdir();
    if (model_open(&m, db, STORE_CREATE, "tester", err) != CCHC_OK)
        fail_msg("model_open: %s", err->msg);
    int rc = import_dir_all(m, &test_cfg, dir, NULL, e, err);
    if (rc != CCHC_EUSAGE)
        fail_msg("%s: status %d: %s", dir, rc, err->msg);
    assert_int_equal(count_of(m, (struct list_query){.kind = LIST_UNITS}), 0);
    assert_int_equal(audit_count(m), 0);
    model_close(m);
    tu_rmrf(db);
    free(db);
}

/* Three bad results, a good one among them: each named at its line, in
 * file order; err holds the first, as import_dir gives it. */
static void test_import_all_problems(void **state)
{
    (void)state;
    struct dfmt_errs e = {0};
    struct cchc_err err = {0}, first = {0};
    const char *dir = tu_src("tests/data/import/bad-three-results");
    import_refused(dir, &e, &err);
    assert_int_equal(e.total, 3);
    assert_problem(&e, 0, "results.yaml", 7, "score 14 is above the maximum 13.5 of PARINDEX.6");
    assert_problem(&e, 1, "results.yaml", 15, "rank 64 is not between 1 and 63");
    assert_problem(&e, 2, "results.yaml", 19, "unknown unit NOWHERE (not in units.yaml)");
    /* each with its line and caret, as one problem always was */
    assert_non_null(strstr(e.v[2].text, "\n      unit: NOWHERE\n            ^"));
    assert_string_equal(err.msg, e.v[0].text);
    dfmt_errs_free(&e);
    struct dfmt_errs e2 = {0};
    import_refused(dir, &e2, &first);
    assert_string_equal(first.msg, err.msg);
    dfmt_errs_free(&e2);
}

/* Over DFMT_MAX_ERRS problems: the first ones in file order are kept
 * (units.yaml's before results.yaml's, whatever order the checks ran in),
 * and all are counted. */
static void test_import_problem_cap(void **state)
{
    (void)state;
    struct dfmt_errs e = {0};
    struct cchc_err err = {0};
    struct strbuf sb = {0};
    char *dir = tu_tmpdir();
    sb_adds(&sb, "results:\n");
    for (int i = 0; i < 70; i++)
        sb_addf(&sb, "  - {index: PCI, year: %d, rank: 64, of: 63}\n", 2000 + i);
    tu_write(dir, "results.yaml", sb_str(&sb));
    tu_write(dir, "units.yaml",
             "units:\n  - {code: A, name: Tỉnh A, kind: province}\n"
             "  - {code: b, name: Sở B, kind: department, parent: A}\n");
    import_refused(dir, &e, &err);
    assert_int_equal(e.total, 71);
    assert_int_equal(e.n, DFMT_MAX_ERRS);
    assert_problem(&e, 0, "units.yaml", 3, "a unit code is 1-64 of A-Z");
    for (size_t i = 1; i < e.n; i++)
        assert_problem(&e, i, "results.yaml", (int)i + 1, "is not between 1 and 63");
    /* those shown quote their line, though the ones only counted do not */
    for (size_t i = 0; i < e.n; i++)
        if (!strstr(e.v[i].text, "\n  ") || !strchr(e.v[i].text, '^'))
            fail_msg("problem %zu has no line and caret: %s", i, e.v[i].text);
    dfmt_errs_free(&e);
    sb_free(&sb);
    tu_rmrf(dir);
    free(dir);
}

/* What could not be read is said once: what refers to it is not refused
 * for it, and the checks of other records still run. */
static void test_import_no_cascade(void **state)
{
    (void)state;
    static const struct {
        const char *units, *visits;
        size_t n;
        const char *first, *second;
    } cases[] = {
        /* a unit of a kind that does not exist: its commune and its visit
         * are not refused for it; a visit with a bad date still is */
        {"units:\n  - {code: A, name: Tỉnh A, kind: province}\n"
         "  - {code: H, name: Huyện H, kind: distric, parent: A}\n"
         "  - {code: X, name: Xã X, kind: commune, parent: H}\n",
         "plan: {code: K, year: 2022}\nvisits:\n"
         "  - {code: V1, unit: H, start: 2022-01-05, scope: [cchc], status: done,"
         " team: [{login: a, name: A, role: lead}]}\n"
         "  - {code: V2, unit: X, start: 2022-02-30, scope: [cchc], status: done,"
         " team: [{login: a, name: A, role: lead}]}\n",
         2, "expected province, department, district or commune", "expected a date"},
        /* units.yaml is not YAML: the visits are checked, but not their units */
        {"units:\n  - {code: A, name: [\n",
         "plan: {code: K, year: 2022}\nvisits:\n"
         "  - {code: V1, unit: H, start: 2022-01-05, scope: [cchc], status: done,"
         " team: [{login: a, name: A}]}\n",
         2, "units.yaml:", "the team has no lead"},
        /* a plan without its year: said once, not once more for each visit */
        {"units:\n  - {code: A, name: Tỉnh A, kind: province}\n",
         "plan: {code: K}\nvisits:\n"
         "  - {code: V1, unit: A, start: 2022-01-05, scope: [cchc], status: done,"
         " team: [{login: a, name: A, role: lead}]}\n"
         "  - {code: V1, unit: A, start: 2023-01-05, scope: [cchc], status: done,"
         " team: [{login: a, name: A, role: lead}]}\n",
         2, "missing key 'year'", "duplicate visit code V1 (also on line 3)"},
        /* a key unknown and one missing in the same record: both */
        {"units:\n  - {code: A, name: Tỉnh A, kind: province, colour: red}\n"
         "  - {code: B, kind: department, parent: A}\n",
         NULL, 2, "unknown key 'colour'", "missing key 'name'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct dfmt_errs e = {0};
        struct cchc_err err = {0};
        char *dir = tu_tmpdir();
        tu_write(dir, "units.yaml", cases[i].units);
        if (cases[i].visits)
            tu_write(dir, "visits.yaml", cases[i].visits);
        import_refused(dir, &e, &err);
        if (e.total != cases[i].n || !strstr(e.v[0].text, cases[i].first) ||
            !strstr(e.v[1].text, cases[i].second)) {
            for (size_t j = 0; j < e.n; j++)
                print_error("  %s\n", e.v[j].text);
            fail_msg("case %zu: %zu problems, wanted %zu: '%s', '%s'", i, e.total, cases[i].n,
                     cases[i].first, cases[i].second);
        }
        dfmt_errs_free(&e);
        tu_rmrf(dir);
        free(dir);
    }
}

/* ---- the province's measures ---- */

/* A measure's values are results under its code: for the province, no
 * component, the value in score; a count has no upper limit. */
static void test_import_measure(void **state)
{
    struct fx *f = *state;
    struct cchc_err err = {0};
    struct import_stats st;
    uint64_t ids[8];
    size_t got = 0, count = 0;
    if (import_dir(f->m, &test_cfg, tu_src("tests/data/import/measure"), &st, &err) != CCHC_OK)
        fail_msg("import: %s", err.msg);
    assert_int_equal(st.results, 3);
    struct list_query q = {.kind = LIST_INDEX_RESULTS, .code = "M.CUT"};
    assert_int_equal(model_list(f->m, &q, 0, 8, ids, &got, &count, &err), CCHC_OK);
    assert_int_equal(got, 1);
    struct index_result r = {0};
    assert_int_equal(model_result(f->m, ids[0], &r, &err), CCHC_OK);
    assert_true(r.score == 250);
    assert_int_equal(r.year, 2022);
    assert_int_equal(r.unit, 0);
    assert_null(r.component);
    assert_string_equal(r.source, "Báo Đồng Khởi");
    result_free(&r);
    q.code = "M.ONLINE";
    assert_int_equal(count_of(f->m, q), 2);
}

/* ---- the keys of each format ---- */

#define COMMITMENT                                                                                 \
    "commitments:\n  - code: C\n    unit: A\n    title: T\n    signed_on: 2022-06-17\n"            \
    "    period: [2022, 2025]\n"
#define ITEMS                                                                                      \
    "    items:\n      - {component: PCI.4, text: t, target: x, due: 2025-12-31, status: late"
#define VISITS                                                                                     \
    "plan: {code: K, year: 2022}\nvisits:\n  - {code: V, unit: A, start: 2022-01-05, "             \
    "scope: [cchc], status: planned, team: [{login: a, name: A, role: lead}]"

/* An export file's own keys (an item's seq, a visit's year and plan, a
 * signer's unit) are unknown keys in a data folder, and its
 * signers and countersigners must be named; the last case, without them,
 * imports. */
static void test_import_data_keys(void **state)
{
    static const struct {
        const char *file, *text, *says;
    } cases[] = {
        {"commitments.yaml",
         COMMITMENT "    signer: {name: B}\n    countersigner: {unit: A, name: C}\n" ITEMS
                    ", seq: 1}\n",
         "unknown key 'seq'"},
        {"commitments.yaml",
         COMMITMENT "    signer: {unit: A, name: B}\n    countersigner: {unit: A, name: C}\n" ITEMS
                    "}\n",
         "unknown key 'unit'"},
        {"commitments.yaml",
         COMMITMENT "    signer: {title: B}\n    countersigner: {unit: A, name: C}\n" ITEMS "}\n",
         "missing key 'name'"},
        {"commitments.yaml",
         COMMITMENT "    signer: {name: B}\n    countersigner: {unit: A}\n" ITEMS "}\n",
         "missing key 'name'"},
        {"commitments.yaml",
         COMMITMENT "    signer: {name: B}\n    countersigner: {name: C}\n" ITEMS "}\n",
         "missing key 'unit'"},
        {"visits.yaml", VISITS ", year: 2022}\n", "unknown key 'year'"},
        {"visits.yaml", VISITS ", plan: K}\n", "unknown key 'plan'"},
        {"commitments.yaml",
         COMMITMENT "    signer: {name: B}\n    countersigner: {unit: A, name: C}\n" ITEMS "}\n",
         NULL},
    };
    struct fx *f = *state;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct cchc_err err = {0};
        struct import_stats st = {0};
        char *dir = tu_tmpdir();
        tu_write(dir, "units.yaml", "units:\n  - {code: A, name: Tỉnh A, kind: province}\n");
        tu_write(dir, cases[i].file, cases[i].text);
        int rc = import_dir(f->m, &test_cfg, dir, &st, &err);
        if (!cases[i].says) {
            if (rc != CCHC_OK)
                fail_msg("case %zu: %s", i, err.msg);
            assert_int_equal(st.items, 1);
        } else {
            assert_int_equal(rc, CCHC_EUSAGE);
            if (!strstr(err.msg, cases[i].says))
                fail_msg("case %zu: wanted '%s' in: %s", i, cases[i].says, err.msg);
            assert_int_equal(count_of(f->m, (struct list_query){.kind = LIST_UNITS}), 0);
        }
        tu_rmrf(dir);
        free(dir);
    }
}

/* ---- one check for both formats ---- */

/* "path:line:col: message..." -> line, col and the message's first line. */
static void split_msg(const char *msg, int *line, int *col, char *text, size_t size)
{
    const char *p = strstr(msg, ".yaml:");
    *line = *col = 0;
    assert_non_null(p);
    assert_int_equal(sscanf(p, ".yaml:%d:%d: ", line, col), 2);
    p = strchr(strchr(strchr(p, ':') + 1, ':') + 1, ':') + 2;
    size_t n = strcspn(p, "\n");
    snprintf(text, size, "%.*s", (int)(n < size ? n : size - 1), p);
}

/* The same units and results as a data folder and as an export file: the
 * same refusal, at the same column, on the line that corresponds. */
static void test_same_checks_both_formats(void **state)
{
    static const struct {
        const char *units, *results, *says;
    } cases[] = {
        {"", "  - {index: PARINDEX, component: PARINDEX.6, year: 2021, score: 14}\n",
         "score 14 is above the maximum 13.5 of PARINDEX.6"},
        {"", "  - {index: M.ONLINE, year: 2022, rank: 1, of: 2}\n",
         "a value of measure M.ONLINE needs 'score' (the value)"},
        {"", "  - {index: M.CUT, year: 2022, unit: A, score: 3}\n",
         "measure M.CUT is the province's as a whole: a value has no unit"},
        {"", "  - {index: M.ONLINE, component: PARINDEX.6, year: 2022, score: 3}\n",
         "measure M.ONLINE has no components"},
        {"", "  - {index: PCI, year: 2022, rank: 1, of: 100001}\n",
         "'of' must be between 1 and 100000"},
        {"", "  - {index: PCI, year: 2022, rank: 4294967297, of: 63}\n",
         "the number 4294967297 is out of range"},
        {"", "  - {index: PCI, year: 2022, rank: 64, of: 63}\n", "rank 64 is not between 1 and 63"},
        {"", "  - {index: PCI, year: 1800}\n", "year 1800 is out of range"},
        {"", "  - {index: PCI, component: PARINDEX.6, year: 2022}\n",
         "PARINDEX.6 is not an area or component of PCI"},
        {"  - {code: B, name: Xã B, kind: commune, parent: A}\n", NULL,
         "the parent of a commune is a district; A is a province"},
        {"  - {code: b, name: Xã B, kind: commune, parent: A}\n", NULL,
         "a unit code is 1-64 of A-Z, 0-9 and '-'"},
        {"  - {code: B, name: Sở B, kind: department, parent: A, successor: B}\n", NULL,
         "a unit cannot be its own successor"},
        {"  - {code: B, name: Sở B, kind: department, parent: A, valid_from: 2022-01-01,"
         " valid_to: 2021-01-01}\n",
         NULL, "valid_to is before valid_from"},
    };
    struct fx *f = *state;
    const char *first = "  - {code: A, name: Tỉnh A, kind: province}\n";
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct cchc_err e1 = {0}, e2 = {0};
        char units[512], results[512], file[1200], t1[256], t2[256];
        int l1, c1, l2, c2;
        char *dir = tu_tmpdir();
        snprintf(units, sizeof units, "units:\n%s%s", first, cases[i].units);
        snprintf(results, sizeof results, "results:\n%s", cases[i].results ? cases[i].results : "");
        tu_write(dir, "units.yaml", units);
        if (cases[i].results)
            tu_write(dir, "results.yaml", results);
        snprintf(file, sizeof file, "version: 1\n%s%s", units, cases[i].results ? results : "");

        assert_int_equal(import_dir(f->m, &test_cfg, dir, NULL, &e1), CCHC_EUSAGE);
        assert_int_equal(
            exchange_import_text(f->m, &test_cfg, "x.yaml", file, strlen(file), NULL, &e2),
            CCHC_EUSAGE);
        split_msg(e1.msg, &l1, &c1, t1, sizeof t1);
        split_msg(e2.msg, &l2, &c2, t2, sizeof t2);
        if (strcmp(t1, cases[i].says) != 0)
            fail_msg("case %zu, data folder: wanted '%s', got: %s", i, cases[i].says, e1.msg);
        if (strcmp(t1, t2) != 0)
            fail_msg("case %zu: the data folder says '%s', the export file '%s'", i, t1, t2);
        /* the export file has "version: 1" first and the units before the results */
        int shift = cases[i].results ? 1 + 2 + (cases[i].units[0] != 0) : 1;
        assert_int_equal(l2, l1 + shift);
        assert_int_equal(c2, c1);
        assert_int_equal(count_of(f->m, (struct list_query){.kind = LIST_UNITS}), 0);
        tu_rmrf(dir);
        free(dir);
    }
    assert_int_equal(audit_count(f->m), 0);
}

/* ---- the sample data ---- */

static void test_import_sample(void **state)
{
    struct fx *f = *state;
    const char *cfg_path = tu_src("config/cchc.yaml");
    const char *data = tu_src("data");
    char *units = path_join(data, "units.yaml");
    bool have = path_exists(cfg_path) && path_exists(units);
    free(units);
    if (!have) {
        print_message("sample data or configuration not there yet: skipped\n");
        skip();
    }
    struct config cfg = {0};
    struct cchc_err err = {0};
    struct import_stats st;
    if (config_load(&cfg, cfg_path, &err) != CCHC_OK)
        fail_msg("config: %s", err.msg);
    int rc = import_dir(f->m, &cfg, data, &st, &err);
    config_free(&cfg);
    if (rc != CCHC_OK)
        fail_msg("import: %s", err.msg);
    assert_int_equal(st.visits, 26);
    struct list_query q = {.kind = LIST_VISITS_YEAR, .year = 2022};
    assert_int_equal(count_of(f->m, q), 26);
    q.unit_kind = UK_DEPARTMENT;
    assert_int_equal(count_of(f->m, q), 7);
    q.unit_kind = UK_DISTRICT;
    assert_int_equal(count_of(f->m, q), 7);
    q.unit_kind = UK_COMMUNE;
    assert_int_equal(count_of(f->m, q), 12);
    assert_int_equal(model_check(f->m, report_fail, NULL, &err), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_import_good, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_units_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_no_units, setup, teardown),
        cmocka_unit_test(test_import_bad),
        cmocka_unit_test(test_import_all_problems),
        cmocka_unit_test(test_import_problem_cap),
        cmocka_unit_test(test_import_no_cascade),
        cmocka_unit_test_setup_teardown(test_import_measure, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_data_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(test_same_checks_both_formats, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_sample, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
