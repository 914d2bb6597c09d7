/* test_exchange.c — unit tests of exchange.c: export -> import into an empty
 * database -> export gives the same bytes (YAML and JSON, with notes that
 * have a history, deleted notes, judged and measured checklist results and
 * recommendations); bad files (tests/data/exchange/bad-*.yaml) change
 * nothing and name file:line; the keys only an export file has (item
 * numbers, a visit's year and status days, a signer left unnamed) and the
 * checks on them; CSV quoting; awkward text survives; a backup
 * taken while another process writes opens and checks clean. Uses the
 * sample data in data/ and the configuration in config/. */
#include "testutil.h"

#include <math.h>
#include <signal.h>
#include <sys/wait.h>

#include "cchc/config.h"
#include "cchc/datafmt.h"
#include "cchc/exchange.h"
#include "cchc/import.h"
#include "cchc/model.h"
#include "cchc/recording.h"
#include "cchc/store.h"

struct fx {
    char *tmp;
    struct config cfg;
    struct model *m; /* the sample database, with recording records */
};

static struct model *open_db(const char *dir, unsigned flags)
{
    struct model *m = NULL;
    struct cchc_err err = {0};
    if (model_open(&m, dir, flags, "lan", &err) != CCHC_OK)
        fail_msg("%s", err.msg);
    model_set_role(m, ROLE_ADMIN);
    return m;
}

static uint64_t visit_id(struct model *m, const char *code)
{
    uint64_t ids[64];
    size_t got = 0, count = 0;
    struct cchc_err err = {0};
    struct list_query q = {.kind = LIST_VISITS_YEAR, .year = 2022};
    assert_int_equal(model_list(m, &q, 0, 64, ids, &got, &count, &err), CCHC_OK);
    for (size_t i = 0; i < got; i++) {
        struct visit v = {0};
        assert_int_equal(model_visit(m, ids[i], &v, &err), CCHC_OK);
        bool hit = strcmp(v.code, code) == 0;
        visit_free(&v);
        if (hit)
            return ids[i];
    }
    fail_msg("no visit %s", code);
    return 0;
}

/* Notes (one edited twice, one deleted, one on a criterion, one on a
 * unit), checklist results and recommendations on top of the sample. */
static void add_recording(struct fx *f)
{
    struct cchc_err err = {0};
    uint64_t v1 = visit_id(f->m, "KT-2022-01");
    struct unit u = {0};
    assert_int_equal(model_unit_by_code(f->m, "STP", &u, &err), CCHC_OK);

    struct note n = {.target = NT_VISIT, .target_id = v1, .text = xstrdup("Bản đầu, \"có ngoặc\"")};
    assert_int_equal(model_note_add(f->m, &n, &err), CCHC_OK);
    assert_int_equal(model_note_edit(f->m, n.m.id, n.m.rev, "Bản hai\nhai dòng", NULL, &err),
                     CCHC_OK);
    assert_int_equal(model_note_edit(f->m, n.m.id, n.m.rev + 1, "Bản ba: cuối", NULL, &err),
                     CCHC_OK);
    struct note d = {.target = NT_VISIT, .target_id = v1, .text = xstrdup("sẽ xóa")};
    assert_int_equal(model_note_add(f->m, &d, &err), CCHC_OK);
    assert_int_equal(model_note_delete(f->m, d.m.id, d.m.rev, &err), CCHC_OK);
    struct note c = {.target = NT_CRITERION,
                     .target_id = v1,
                     .criterion = xstrdup("TTHC.1"),
                     .text = xstrdup("tab\there, bell \a and DEL \x7f")};
    assert_int_equal(model_note_add(f->m, &c, &err), CCHC_OK);
    struct note un = {
        .target = NT_UNIT, .target_id = u.m.id, .text = xstrdup("về đơn vị, có dấu phẩy")};
    assert_int_equal(model_note_add(f->m, &un, &err), CCHC_OK);

    assert_int_equal(model_check_set(f->m, &f->cfg, v1, "TTHC.1", "dat", NULL, "ổn", 0, NULL, &err),
                     CCHC_OK);
    double pct = 87.5;
    assert_int_equal(model_check_set(f->m, &f->cfg, v1, "CD.3", NULL, &pct, NULL, 0, NULL, &err),
                     CCHC_OK);

    struct recommendation r = {.visit = v1, .text = xstrdup("Niêm yết đủ TTHC"), .deadline = 19400};
    assert_int_equal(model_rec_save(f->m, &r, NULL, &err), CCHC_OK);
    struct recommendation r2 = {.visit = v1,
                                .unit = u.m.id,
                                .text = xstrdup("Đã xong"),
                                .deadline = 19340,
                                .status = RS_DONE,
                                .done_on = 19350};
    assert_int_equal(model_rec_save(f->m, &r2, NULL, &err), CCHC_OK);
    note_free(&n);
    note_free(&d);
    note_free(&c);
    note_free(&un);
    rec_free(&r);
    rec_free(&r2);
    unit_free(&u);
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    struct cchc_err err = {0};
    f->tmp = tu_tmpdir();
    if (config_load(&f->cfg, tu_src("config/cchc.yaml"), &err) != CCHC_OK)
        fail_msg("%s", err.msg);
    char db[4200];
    snprintf(db, sizeof db, "%s/db", f->tmp);
    f->m = open_db(db, STORE_CREATE);
    if (import_dir(f->m, &f->cfg, tu_src("data"), NULL, &err) != CCHC_OK)
        fail_msg("%s", err.msg);
    add_recording(f);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    model_close(f->m);
    config_free(&f->cfg);
    tu_rmrf(f->tmp);
    free(f->tmp);
    free(f);
    return 0;
}

/* The whole export as text. */
static char *export_text(struct model *m, const struct config *cfg, enum xformat fmt,
                         enum xkind kind, struct xstats *st)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    struct cchc_err err = {0};
    int rc = exchange_export(m, cfg, fmt, kind, out, st, &err);
    fclose(out);
    if (rc != CCHC_OK)
        fail_msg("export: %s", err.msg);
    return buf;
}

static void roundtrip(struct fx *f, enum xformat fmt, const char *name)
{
    struct xstats st1 = {0}, st2 = {0};
    struct cchc_err err = {0};
    char *a = export_text(f->m, &f->cfg, fmt, XK_ALL, &st1);
    const char *path = tu_write(f->tmp, name, a);
    char db[4200];
    snprintf(db, sizeof db, "%s/%s.db", f->tmp, name);
    struct model *m2 = open_db(db, STORE_CREATE);
    if (exchange_import(m2, &f->cfg, path, &st2, &err) != CCHC_OK)
        fail_msg("import: %s", err.msg);
    char *b = export_text(m2, &f->cfg, fmt, XK_ALL, NULL);
    assert_string_equal(a, b);
    assert_int_equal(st1.n[XK_UNITS], 79);
    assert_int_equal(st1.n[XK_VISITS], 26);
    assert_int_equal(st1.n[XK_NOTES], 4);
    assert_int_equal(st1.n[XK_CHECKS], 2);
    assert_int_equal(st1.n[XK_RECS], 2);
    assert_int_equal(st2.n[XK_NOTES], 4);
    assert_int_equal(st2.items, st1.items);
    /* the history came along: the edited note has its two earlier versions */
    assert_non_null(strstr(b, "Bản đầu"));
    assert_non_null(strstr(b, "Bản hai"));
    /* and the imported database is consistent */
    assert_int_equal(model_check(m2, NULL, NULL, &err), 0);
    model_close(m2);
    free(a);
    free(b);
}

static void test_roundtrip_yaml(void **state)
{
    roundtrip(*state, XF_YAML, "all.yaml");
}

static void test_roundtrip_json(void **state)
{
    roundtrip(*state, XF_JSON, "all.json");
}

/* A JSON export read by the YAML reader gives the same records as YAML. */
static void test_json_reads_as_yaml(void **state)
{
    struct fx *f = *state;
    struct cchc_err err = {0};
    char *j = export_text(f->m, &f->cfg, XF_JSON, XK_ALL, NULL);
    char *y = export_text(f->m, &f->cfg, XF_YAML, XK_ALL, NULL);
    char db[4200];
    snprintf(db, sizeof db, "%s/j.db", f->tmp);
    struct model *m2 = open_db(db, STORE_CREATE);
    assert_int_equal(exchange_import_text(m2, &f->cfg, "mem.json", j, strlen(j), NULL, &err),
                     CCHC_OK);
    char *y2 = export_text(m2, &f->cfg, XF_YAML, XK_ALL, NULL);
    assert_string_equal(y, y2);
    model_close(m2);
    free(j);
    free(y);
    free(y2);
}

static void test_one_kind(void **state)
{
    struct fx *f = *state;
    struct xstats st = {0};
    char *t = export_text(f->m, &f->cfg, XF_YAML, XK_RESULTS, &st);
    assert_int_equal(st.n[XK_RESULTS], 59); /* 37 of the indices, 22 measure values */
    assert_int_equal(st.n[XK_UNITS], 0);
    assert_null(strstr(t, "units:"));
    assert_non_null(strstr(t, "results:\n  - index: "));
    /* the province's measures, after the indices */
    assert_non_null(strstr(t, "  - index: M.ONLINE34\n    year: 2022\n    score: 100\n"));
    assert_true(strstr(t, "index: M.ONLINE34") > strstr(t, "index: PAPI"));
    free(t);
}

static void test_csv(void **state)
{
    struct fx *f = *state;
    struct cchc_err err = {0};
    char *t = export_text(f->m, &f->cfg, XF_CSV, XK_NOTES, NULL);
    /* header, CRLF, quoted fields with doubled quotes and a line break kept */
    assert_int_equal(strncmp(t, "target,visit,criterion,unit,commitment,item,author,", 51), 0);
    assert_non_null(strstr(t, "\r\n"));
    assert_non_null(strstr(t, ",3,Bản ba: cuối\r\n"));
    assert_non_null(strstr(t, ",\"về đơn vị, có dấu phẩy\"\r\n"));
    /* control characters never reach a terminal */
    assert_null(strchr(t, '\a'));
    assert_null(strchr(t, '\x7f'));
    free(t);
    char *u = export_text(f->m, &f->cfg, XF_CSV, XK_UNITS, NULL);
    assert_non_null(strstr(u, "code,name,short,kind,"));
    assert_non_null(strstr(u, "\r\nBENTRE,Tỉnh Bến Tre,Bến Tre,province,tỉnh,,"));
    free(u);
    FILE *out = fopen("/dev/null", "w");
    assert_int_equal(exchange_export(f->m, &f->cfg, XF_CSV, XK_ALL, out, NULL, &err), CCHC_EUSAGE);
    fclose(out);
}

/* Awkward text in YAML survives: quotes, backslashes, a leading dash,
 * "null", a number-looking code. */
static void test_awkward_text(void **state)
{
    struct fx *f = *state;
    struct cchc_err err = {0};
    const char *text = "version: 1\n"
                       "units:\n"
                       "  - {code: X-1, name: \"null\", kind: department, parent: BENTRE,\n"
                       "     note: \"- a \\\\ b \\\"c\\\" \\u00e9\\t\", form: \"2022\"}\n";
    assert_int_equal(
        exchange_import_text(f->m, &f->cfg, "awk.yaml", text, strlen(text), NULL, &err), CCHC_OK);
    char *y = export_text(f->m, &f->cfg, XF_YAML, XK_UNITS, NULL);
    assert_non_null(strstr(y, "  - code: X-1\n    name: \"null\"\n"));
    assert_non_null(strstr(y, "    form: \"2022\"\n"));
    assert_non_null(strstr(y, "    note: \"- a \\\\ b \\\"c\\\" é\\t\"\n"));
    free(y);
}

/* ---- bad files ---- */

struct bad {
    const char *file;
    const char *where; /* ":line:col:" or ":line:" */
    const char *says;
};

static const struct bad bads[] = {
    {"bad-yaml.yaml", ":4:3:", "did not find expected '-'"},
    {"bad-unknown-unit.yaml", ":8:11:", "unknown unit NOWHERE"},
    {"bad-duplicate.yaml", ":11:11:", "duplicate unit code X1 (also on line 3)"},
    {"bad-exists.yaml", ":3:11:", "already in the database"},
    {"bad-score.yaml", ":6:12:", "score 99.5 is above the maximum 11 of PARINDEX.6"},
    {"bad-key.yaml", ":6:5:", "unknown key 'colour'"},
    {"bad-version.yaml", ":1:10:", "version 2"},
    {"bad-note-db-visit.yaml", ":5:12:", "imported only with what they belong to"},
    {"bad-check-value.yaml", ":14:12:", "unknown result tot_lam"},
    {"bad-two-leads.yaml", ":11:48:", "a team has one lead; the first is on line 10"},
    {"bad-measure.yaml", ":5:12:", "score 120 is above the maximum 100 of M.ONLINE34"},
    {"bad-measure-unit.yaml", ":5:11:", "measure M.KEHOACH is the province's as a whole"},
    {"bad-three-results.yaml", ":6:12:", "score 14 is above the maximum 11 of PARINDEX.6"},
};

static void test_bad_files(void **state)
{
    struct fx *f = *state;
    struct xstats st;
    char *before = export_text(f->m, &f->cfg, XF_YAML, XK_ALL, NULL);
    uint64_t v = model_version(f->m);
    for (size_t i = 0; i < sizeof bads / sizeof bads[0]; i++) {
        struct cchc_err err = {0};
        char rel[256], want[300];
        snprintf(rel, sizeof rel, "tests/data/exchange/%s", bads[i].file);
        int rc = exchange_import(f->m, &f->cfg, tu_src(rel), &st, &err);
        if (rc != CCHC_EUSAGE)
            fail_msg("%s: rc %d: %s", bads[i].file, rc, err.msg);
        snprintf(want, sizeof want, "%s%s", bads[i].file, bads[i].where);
        if (!strstr(err.msg, want) || !strstr(err.msg, bads[i].says))
            fail_msg("%s: wanted '%s' and '%s' in: %s", bads[i].file, want, bads[i].says, err.msg);
    }
    /* nothing was written, not even an audit record */
    assert_true(model_version(f->m) == v);
    char *after = export_text(f->m, &f->cfg, XF_YAML, XK_ALL, NULL);
    assert_string_equal(before, after);
    free(before);
    free(after);
}

/* A file that adds to a database: new codes, references to its units. */
static void test_import_adds(void **state)
{
    struct fx *f = *state;
    struct cchc_err err = {0};
    struct xstats st;
    const char *text = "version: 1\n"
                       "results:\n"
                       "  - {index: PCI, year: 2024, score: 65.5, rank: 40, of: 63}\n"
                       "  - {index: PARINDEX, year: 2024, unit: SNV, score: 88}\n";
    assert_int_equal(exchange_import_text(f->m, &f->cfg, "add.yaml", text, strlen(text), &st, &err),
                     CCHC_OK);
    assert_int_equal(st.n[XK_RESULTS], 2);
    /* the same again is refused: the results are there */
    assert_int_equal(exchange_import_text(f->m, &f->cfg, "add.yaml", text, strlen(text), &st, &err),
                     CCHC_EUSAGE);
    assert_non_null(strstr(err.msg, "add.yaml:3:5: the database already has this result"));
}

/* ---- the keys only an export file has ---- */

#define X_COMMITMENT                                                                               \
    "version: 1\ncommitments:\n  - code: CK-X\n    unit: SNV\n    title: T\n"                      \
    "    signed_on: 2023-01-02\n    period: [2023, 2025]\n"
#define X_ITEM "{component: PCI, text: t, target: x, due: 2025-12-31, status: late"
#define X_VISIT                                                                                    \
    "version: 1\nvisits:\n  - {code: KT-X, unit: SNV, start: 2023-03-01, scope: [cchc], "          \
    "status: done, team: [{login: lan, name: Lan, role: lead}]"

/* Refused with these words, nothing written; then what the keys give. */
static void test_export_keys(void **state)
{
    static const struct {
        const char *text, *says;
    } bad[] = {
        {X_COMMITMENT
         "    signer: {unit: SNV, name: A}\n    countersigner: {unit: BENTRE, name: B}\n"
         "    items: [" X_ITEM "}]\n",
         "the signer's unit is the commitment's unit"},
        {X_COMMITMENT "    signer: {title: GĐ}\n    countersigner: {unit: BENTRE, name: B}\n"
                      "    items: [" X_ITEM "}]\n",
         "the signer needs a name"},
        {X_COMMITMENT "    signer: {name: A}\n    countersigner: {name: B}\n"
                      "    items: [" X_ITEM "}]\n",
         "the countersigner needs a unit and a name"},
        {X_COMMITMENT "    signer: {name: A}\n    countersigner: {unit: BENTRE, name: B}\n"
                      "    items: [" X_ITEM ", seq: 2}, " X_ITEM "}]\n",
         "item number 2 twice in commitment CK-X"},
        {X_VISIT "}\n", "missing key 'year'"},
        {X_VISIT ", year: 2022}\n", "the visit starts outside its year 2022"},
        {"version: 1\nresults: [{index: M.ONLINE34, year: 2030}]\n",
         "a value of measure M.ONLINE34 needs 'score' (the value)"},
        /* times before 1970: the export wrote year 222 as "222", which
         * it does not read back (found by fuzz_exchange) */
        {X_VISIT ", year: 2023}\nnotes: [{target: visit, visit: KT-X, author: a, "
                 "created: 0222-03-16T01:00:00Z, text: t}]\n",
         "time 0222-03-16T01:00:00Z is before 1970-01-01T00:00:01Z"},
        {X_VISIT ", year: 2023}\nnotes: [{target: visit, visit: KT-X, author: a, "
                 "created: 1969-12-31T23:59:59Z, text: t}]\n",
         "is before 1970-01-01T00:00:01Z"},
    };
    struct fx *f = *state;
    struct cchc_err err = {0};
    uint64_t v = model_version(f->m);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = exchange_import_text(f->m, &f->cfg, "k.yaml", bad[i].text, strlen(bad[i].text),
                                      NULL, &err);
        if (rc != CCHC_EUSAGE || !strstr(err.msg, bad[i].says))
            fail_msg("case %zu: rc %d, wanted '%s' in: %s", i, rc, bad[i].says, err.msg);
    }
    assert_true(model_version(f->m) == v);

    /* an item's seq is kept, one without is numbered by its place; a
     * visit keeps its year, plan and the days its status changed */
    const char *ok =
        X_COMMITMENT "    signer: {name: A}\n    countersigner: {unit: BENTRE, name: B}\n"
                     "    items: [" X_ITEM ", seq: 7}, " X_ITEM "}]\n"
                     "visits:\n  - {code: KT-X, unit: SNV, year: 2023, plan: KH-X, "
                     "start: 2023-03-01, done_on: 2023-03-09, scope: [tthc], status: "
                     "done, team: [{login: lan, name: Lan, role: lead}]}\n";
    struct xstats st = {0};
    if (exchange_import_text(f->m, &f->cfg, "k.yaml", ok, strlen(ok), &st, &err) != CCHC_OK)
        fail_msg("%s", err.msg);
    assert_int_equal(st.n[XK_COMMITMENTS], 1);
    assert_int_equal(st.items, 2);
    assert_int_equal(st.n[XK_VISITS], 1);
    char *t = export_text(f->m, &f->cfg, XF_YAML, XK_COMMITMENTS, NULL);
    const char *c = strstr(t, "code: CK-X");
    assert_non_null(c);
    assert_non_null(strstr(c, "- seq: 2\n"));
    assert_true(strstr(c, "- seq: 2\n") < strstr(c, "- seq: 7\n")); /* by number */
    free(t);
    t = export_text(f->m, &f->cfg, XF_YAML, XK_VISITS, NULL);
    assert_non_null(strstr(t, "code: KT-X\n    unit: SNV\n    year: 2023\n    plan: KH-X\n"));
    assert_non_null(strstr(t, "    done_on: 2023-03-09\n"));
    free(t);
}

/* ---- every problem of a file ---- */

/* "file:line:" at the start of a kept problem, and words in it. */
static void assert_problem(const struct dfmt_errs *e, size_t i, const char *file, int line,
                           const char *says)
{
    char want[300];
    snprintf(want, sizeof want, "%s:%d:", file, line);
    if (i >= e->n)
        fail_msg("problem %zu wanted (%s %s), there are %zu", i, want, says, e->n);
    if (!strstr(e->v[i].text, want) || !strstr(e->v[i].text, says))
        fail_msg("problem %zu: wanted '%s' and '%s' in: %s", i, want, says, e->v[i].text);
}

/* Three bad results, a good one among them: all three are named, in file
 * order, with their lines; err holds the first; nothing is written. */
static void test_all_problems(void **state)
{
    struct fx *f = *state;
    struct cchc_err err = {0};
    struct dfmt_errs e = {0};
    uint64_t v = model_version(f->m);
    const char *path = tu_src("tests/data/exchange/bad-three-results.yaml");
    assert_int_equal(exchange_import_with(f->m, &f->cfg, path, NULL, 0, 0, &e, NULL, &err),
                     CCHC_EUSAGE);
    assert_int_equal(e.total, 3);
    assert_int_equal(e.n, 3);
    assert_problem(&e, 0, "bad-three-results.yaml", 6, "score 14 is above the maximum 11");
    assert_problem(&e, 1, "bad-three-results.yaml", 14, "rank 64 is not between 1 and 63");
    assert_problem(&e, 2, "bad-three-results.yaml", 18, "unknown unit NOWHERE");
    assert_string_equal(err.msg, e.v[0].text);
    assert_true(model_version(f->m) == v);
    dfmt_errs_free(&e);

    /* a record that could not be read is named once, and what refers to
     * it is not refused for it: the unit of the bad kind, the commitment
     * with a bad item, each one problem */
    const char *text = "version: 1\n"
                       "units:\n"
                       "  - {code: X1, name: X, kind: dept, parent: BENTRE}\n"
                       "  - {code: X2, name: Y, kind: commune, parent: X1}\n"
                       "visits:\n"
                       "  - {code: KT-X, unit: X1, year: 2023, start: 2023-03-01, scope: [cchc],"
                       " status: done, team: [{login: lan, name: Lan, role: lead}]}\n"
                       "notes:\n"
                       "  - {target: visit, visit: KT-X, author: lan, colour: red,"
                       " created: 2023-03-01T01:00:00Z, text: t}\n"
                       "  - {target: visit, visit: KT-X, author: lan, text: \"\"}\n";
    assert_int_equal(
        exchange_import_with(f->m, &f->cfg, "r.yaml", text, strlen(text), 0, &e, NULL, &err),
        CCHC_EUSAGE);
    assert_problem(&e, 0, "r.yaml", 3, "expected province, department, district or commune");
    assert_problem(&e, 1, "r.yaml", 8, "unknown key 'colour'");
    assert_problem(&e, 2, "r.yaml", 9, "missing key 'created'");
    assert_int_equal(e.total, 3);
    assert_true(model_version(f->m) == v);
    dfmt_errs_free(&e);

    /* a YAML syntax error is the one problem: nothing after it is read */
    const char *broken = "version: 1\nresults:\n  - {index: PCI, year: 1800\n  - [\n";
    assert_int_equal(
        exchange_import_with(f->m, &f->cfg, "s.yaml", broken, strlen(broken), 0, &e, NULL, &err),
        CCHC_EUSAGE);
    assert_int_equal(e.total, 1);
    dfmt_errs_free(&e);
}

/* ---- findings of the database's visits (cchc init's findings.yaml) ---- */

static void test_findings(void **state)
{
    struct fx *f = *state;
    struct cchc_err err = {0};
    struct dfmt_errs e = {0};
    struct xstats st = {0};
    uint64_t v = model_version(f->m);
    const char *good =
        "version: 1\n"
        "checks:\n"
        "  - {visit: KT-2022-02, criterion: CD.1, value: dat}\n"
        "  - {visit: KT-2022-02, criterion: CD.3, number: 50}\n"
        "notes:\n"
        "  - {target: visit, visit: KT-2022-02, author: lan, created: 2022-03-20T01:00:00Z,"
        " text: Ghi chú phát hiện}\n"
        "  - {target: unit, unit: SNV, author: lan, created: 2022-03-20T01:00:00Z, text: Về Sở}\n"
        "recs:\n"
        "  - {visit: KT-2022-02, unit: SLDTBXH, text: Khắc phục, status: open, author: lan,"
        " created: 2022-03-20T02:00:00Z}\n";
    /* cchc import takes notes and the like only with their visit */
    assert_int_equal(exchange_import_text(f->m, &f->cfg, "f.yaml", good, strlen(good), NULL, &err),
                     CCHC_EUSAGE);
    assert_non_null(strstr(err.msg, "visit KT-2022-02 is in the database, not in this file"));
    assert_true(model_version(f->m) == v);

    /* findings are the database's visits' */
    if (exchange_import_with(f->m, &f->cfg, "f.yaml", good, strlen(good), XI_FINDINGS, &e, &st,
                             &err) != CCHC_OK)
        fail_msg("%s", err.msg);
    assert_int_equal(e.total, 0);
    assert_int_equal(st.n[XK_CHECKS], 2);
    assert_int_equal(st.n[XK_NOTES], 2);
    assert_int_equal(st.n[XK_RECS], 1);
    struct check_result c = {0};
    bool found = false;
    assert_int_equal(model_check_get(f->m, visit_id(f->m, "KT-2022-02"), "CD.3", &c, &found, &err),
                     CCHC_OK);
    assert_true(found);
    assert_false(c.pass); /* 50 is below CD.3's minimum: judged again on the way in */
    check_free(&c);
    char *t = export_text(f->m, &f->cfg, XF_YAML, XK_NOTES, NULL);
    assert_non_null(strstr(t, "Ghi chú phát hiện"));
    free(t);
    v = model_version(f->m);

    /* findings hold nothing else; unknown visits, results already there */
    const char *bad = "version: 1\n"
                      "units: []\n"
                      "checks:\n"
                      "  - {visit: KT-2022-01, criterion: TTHC.1, value: dat}\n"
                      "  - {visit: KT-2099-01, criterion: CD.1, value: dat}\n"
                      "  - {visit: KT-2022-03, criterion: CD.1, value: dat}\n"
                      "recs:\n"
                      "  - {visit: KT-2022-03, unit: NOWHERE, text: x, status: open,"
                      " author: lan, created: 2022-03-20T02:00:00Z}\n";
    assert_int_equal(
        exchange_import_with(f->m, &f->cfg, "b.yaml", bad, strlen(bad), XI_FINDINGS, &e, &st, &err),
        CCHC_EUSAGE);
    assert_problem(&e, 0, "b.yaml", 2, "unknown key 'units'");
    assert_problem(&e, 1, "b.yaml", 4, "visit KT-2022-01 already has a result for TTHC.1");
    assert_problem(&e, 2, "b.yaml", 5, "unknown visit KT-2099-01 (not in the database)");
    assert_problem(&e, 3, "b.yaml", 8, "unknown unit NOWHERE");
    assert_int_equal(e.total, 4);
    assert_true(model_version(f->m) == v);
    dfmt_errs_free(&e);
}

/* ---- backup while another process writes ---- */

static void writer(const char *dir)
{
    struct model *m = NULL;
    struct cchc_err err = {0};
    if (model_open(&m, dir, 0, "tuan", &err) != CCHC_OK)
        _exit(1);
    model_set_role(m, ROLE_ADMIN);
    struct unit u = {0};
    if (model_unit_by_code(m, "SNV", &u, &err) != CCHC_OK)
        _exit(1);
    for (int i = 0;; i++) {
        struct note n = {
            .target = NT_UNIT, .target_id = u.m.id, .text = xstrdup("ghi chú đồng thời")};
        if (model_note_add(m, &n, &err) != CCHC_OK)
            _exit(2);
        note_free(&n);
    }
}

static void test_backup_during_writes(void **state)
{
    struct fx *f = *state;
    char db[4200], bk[4200];
    struct cchc_err err = {0};
    snprintf(db, sizeof db, "%s/db", f->tmp);
    snprintf(bk, sizeof bk, "%s/backup", f->tmp);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        writer(db); /* a fresh environment of its own: never the parent's */
    usleep(100000);
    int rc = exchange_backup(f->m, bk, NULL, NULL, &err);
    usleep(50000);
    kill(pid, SIGTERM);
    int status;
    waitpid(pid, &status, 0);
    assert_true(WIFSIGNALED(status)); /* the writer was still writing */
    if (rc != CCHC_OK)
        fail_msg("backup: %s", err.msg);
    char lock[4300];
    snprintf(lock, sizeof lock, "%s/lock.mdb", bk);
    assert_int_equal(access(lock, F_OK), -1); /* only data.mdb is left */
    struct model *c = open_db(bk, STORE_RDONLY);
    assert_int_equal(model_check(c, NULL, NULL, &err), 0);
    struct xstats st;
    char *t = export_text(c, &f->cfg, XF_YAML, XK_NOTES, &st);
    assert_true(st.n[XK_NOTES] >= 4);
    free(t);
    model_close(c);
    /* a second backup into the same folder is refused */
    assert_int_equal(exchange_backup(f->m, bk, NULL, NULL, &err), CCHC_ERUNTIME);
    assert_non_null(strstr(err.msg, "already holds a database"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_roundtrip_yaml, setup, teardown),
        cmocka_unit_test_setup_teardown(test_roundtrip_json, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_reads_as_yaml, setup, teardown),
        cmocka_unit_test_setup_teardown(test_one_kind, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv, setup, teardown),
        cmocka_unit_test_setup_teardown(test_awkward_text, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_adds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_export_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(test_all_problems, setup, teardown),
        cmocka_unit_test_setup_teardown(test_findings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_backup_during_writes, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
