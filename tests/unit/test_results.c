/* test_results.c — unit tests of results.c: the dashboard's aggregates
 * (visits by status, recommendations open and overdue against a fixed
 * today, commitment items by status and by component), the rank bars, the
 * weakest component, and writing a result (validation against the
 * configuration, permissions, replacing the result of the same year).
 *
 * The database is the sample province (data/, config/cchc.yaml), as the
 * screen tests use it; the counts below are those of the sample files.
 */
#include "testutil.h"

#include <math.h>

#include "cchc/config.h"
#include "cchc/import.h"
#include "cchc/model.h"
#include "cchc/recording.h"
#include "cchc/results.h"
#include "cchc/store.h"
#include "cchc/text.h"
#include "cchc/ui_results.h"

struct fx {
    char *tmp;
    struct model *m;
    struct config cfg;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    struct cchc_err err = {0};
    if (config_load(&f->cfg, tu_src("config/cchc.yaml"), &err) != CCHC_OK)
        fail_msg("config: %s", err.msg);
    f->tmp = tu_tmpdir();
    if (model_open(&f->m, f->tmp, STORE_CREATE, "root", &err) != CCHC_OK)
        fail_msg("model_open: %s", err.msg);
    model_set_role(f->m, ROLE_ADMIN);
    if (import_dir(f->m, &f->cfg, tu_src("data"), NULL, &err) != CCHC_OK)
        fail_msg("import: %s", err.msg);
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

static cchc_date day(const char *s)
{
    cchc_date d = 0;
    assert_true(date_parse(s, &d));
    return d;
}

static uint64_t visit_of_year(struct model *m, int year, size_t k)
{
    struct idvec ids = {0};
    struct cchc_err err = {0};
    assert_int_equal(results_visit_ids(m, year, -1, &ids, &err), CCHC_OK);
    assert_true(k < ids.n);
    uint64_t id = ids.v[k];
    idvec_free(&ids);
    return id;
}

static int put_rec_as_imported(struct mtx *tx, void *ctx, struct cchc_err *err)
{
    return mtx_import_rec(tx, ctx, err);
}

static void add_rec(struct model *m, uint64_t visit, const char *deadline, enum rec_status st)
{
    struct recommendation r = {.visit = visit, .text = xstrdup("Khắc phục hạn chế"), .status = st};
    struct cchc_err err = {0};
    r.deadline = day(deadline);
    if (model_rec_save(m, &r, NULL, &err) != CCHC_OK)
        fail_msg("recommendation: %s", err.msg);
    rec_free(&r);
}

/* ---- pure helpers ---- */

static void test_rank_level(void **state)
{
    (void)state;
    /* The sketch's bars: ranks of 63. */
    assert_int_equal(results_rank_level(63, 63), 1);
    assert_int_equal(results_rank_level(56, 63), 2);
    assert_int_equal(results_rank_level(54, 63), 2);
    assert_int_equal(results_rank_level(42, 63), 3);
    assert_int_equal(results_rank_level(37, 63), 4);
    assert_int_equal(results_rank_level(26, 63), 5);
    assert_int_equal(results_rank_level(18, 63), 6);
    assert_int_equal(results_rank_level(13, 63), 7);
    assert_int_equal(results_rank_level(7, 63), 8);
    assert_int_equal(results_rank_level(1, 63), 8);
    assert_int_equal(results_rank_level(1, 1), 8);
    assert_int_equal(results_rank_level(2, 2), 4);
    /* unknown or impossible */
    assert_int_equal(results_rank_level(0, 63), 0);
    assert_int_equal(results_rank_level(64, 63), 0);
    assert_int_equal(results_rank_level(5, 0), 0);
    assert_int_equal(results_rank_level(-1, 63), 0);
}

static void test_bar(void **state)
{
    (void)state;
    assert_string_equal(results_bar(1, false), "▁");
    assert_string_equal(results_bar(8, false), "█");
    assert_string_equal(results_bar(0, false), "·");
    assert_string_equal(results_bar(9, false), "·");
    assert_string_equal(results_bar(-3, true), ".");
    assert_string_equal(results_bar(4, true), "4");
    /* Every glyph is one column wide, so that charts line up. */
    for (int i = 0; i <= 8; i++)
        assert_int_equal(text_width(results_bar(i, false)), 1);
}

static void test_code_under(void **state)
{
    (void)state;
    assert_true(results_code_under("PCI.1", "PCI.1"));
    assert_true(results_code_under("PCI.1.2", "PCI.1"));
    assert_true(results_code_under("PCI.10", "PCI"));
    assert_false(results_code_under("PCI.10", "PCI.1"));
    assert_false(results_code_under("PCIX", "PCI"));
    assert_false(results_code_under(NULL, "PCI"));
    assert_false(results_code_under("PCI", ""));
    assert_false(results_code_under("PCI", "PCI.1"));
}

/* ---- counts ---- */

static void test_counts_sample(void **state)
{
    struct fx *f = *state;
    struct dash_counts c;
    struct cchc_err err = {0};
    assert_int_equal(results_counts(f->m, 2022, day("2022-11-22"), &c, &err), CCHC_OK);
    assert_int_equal(c.visits_total, 26);
    assert_int_equal(c.visits[VS_PLANNED], 1);
    assert_int_equal(c.visits[VS_IN_PROGRESS], 1);
    assert_int_equal(c.visits[VS_DONE], 3);
    assert_int_equal(c.visits[VS_CONCLUDED], 21);
    assert_int_equal(c.items_total, 137);
    assert_int_equal(c.items[IS_NOT_STARTED], 8);
    assert_int_equal(c.items[IS_IN_PROGRESS], 95);
    assert_int_equal(c.items[IS_ACHIEVED], 24);
    assert_int_equal(c.items[IS_LATE], 9);
    assert_int_equal(c.items[IS_NOT_ACHIEVED], 1);
    assert_int_equal(c.recs_open + c.recs_done, 0);
    assert_int_equal(c.damaged, 0);

    /* A year without visits counts none, and still counts the rest. */
    assert_int_equal(results_counts(f->m, 2019, day("2022-11-22"), &c, &err), CCHC_OK);
    assert_int_equal(c.visits_total, 0);
    assert_int_equal(c.items_total, 137);
}

static void test_counts_recs_today(void **state)
{
    struct fx *f = *state;
    struct dash_counts c;
    struct cchc_err err = {0};
    uint64_t v = visit_of_year(f->m, 2022, 0);
    add_rec(f->m, v, "2022-06-30", RS_OPEN);
    add_rec(f->m, v, "2022-12-31", RS_OPEN);
    add_rec(f->m, v, "2022-05-31", RS_DONE);

    assert_int_equal(results_counts(f->m, 2022, day("2022-11-22"), &c, &err), CCHC_OK);
    assert_int_equal(c.recs_open, 2);
    assert_int_equal(c.recs_overdue, 1);
    assert_int_equal(c.recs_done, 1);
    /* Overdue depends on today only. */
    assert_int_equal(results_counts(f->m, 2022, day("2023-01-01"), &c, &err), CCHC_OK);
    assert_int_equal(c.recs_overdue, 2);
    assert_int_equal(results_counts(f->m, 2022, day("2022-06-30"), &c, &err), CCHC_OK);
    assert_int_equal(c.recs_overdue, 0);

    struct idvec ids = {0};
    assert_int_equal(results_rec_ids(f->m, RF_OVERDUE, day("2022-11-22"), &ids, &err), CCHC_OK);
    assert_int_equal(ids.n, 1);
    idvec_free(&ids);
    assert_int_equal(results_rec_ids(f->m, RF_OPEN, day("2022-11-22"), &ids, &err), CCHC_OK);
    assert_int_equal(ids.n, 2);
    idvec_free(&ids);
    assert_int_equal(results_rec_ids(f->m, RF_ALL, 0, &ids, &err), CCHC_OK);
    assert_int_equal(ids.n, 3);
    idvec_free(&ids);
}

static void test_lists_behind(void **state)
{
    struct fx *f = *state;
    struct idvec ids = {0};
    struct cchc_err err = {0};
    assert_int_equal(results_visit_ids(f->m, 2022, VS_DONE, &ids, &err), CCHC_OK);
    assert_int_equal(ids.n, 3);
    for (size_t i = 0; i < ids.n; i++) {
        struct visit v = {0};
        assert_int_equal(model_visit(f->m, ids.v[i], &v, &err), CCHC_OK);
        assert_int_equal(v.status, VS_DONE);
        visit_free(&v);
    }
    idvec_free(&ids);
    assert_int_equal(results_item_ids(f->m, NULL, IS_LATE, &ids, &err), CCHC_OK);
    assert_int_equal(ids.n, 9);
    idvec_free(&ids);
    /* By component: at or under the code, never a sibling with a longer number. */
    assert_int_equal(results_item_ids(f->m, "PCI.1", -1, &ids, &err), CCHC_OK);
    assert_int_equal(ids.n, 1);
    idvec_free(&ids);
    assert_int_equal(results_item_ids(f->m, "PCI", -1, &ids, &err), CCHC_OK);
    assert_int_equal(ids.n, 20);
    idvec_free(&ids);
    assert_int_equal(results_item_ids(f->m, "PARINDEX.6", -1, &ids, &err), CCHC_OK);
    assert_int_equal(ids.n, 4);
    idvec_free(&ids);
    assert_int_equal(results_item_ids(f->m, "NOPE", -1, &ids, &err), CCHC_OK);
    assert_int_equal(ids.n, 0);
    idvec_free(&ids);

    /* Every item, as windows of 7 over the status index, one status after
     * another: each item once, the same items as commitment by commitment. */
    struct idvec all = {0}, seen = {0};
    assert_int_equal(results_item_ids(f->m, NULL, -1, &all, &err), CCHC_OK);
    assert_int_equal(all.n, 137);
    size_t count = 0, got = 0;
    uint64_t w[7];
    for (size_t pos = 0; pos < all.n + 7; pos += 7) {
        assert_int_equal(results_item_window(f->m, -1, pos, 7, w, &got, &count, &err), CCHC_OK);
        assert_int_equal(count, all.n);
        assert_int_equal(got, pos >= all.n ? 0 : all.n - pos < 7 ? all.n - pos : 7);
        for (size_t i = 0; i < got; i++)
            idvec_push(&seen, w[i]);
    }
    assert_int_equal(seen.n, all.n);
    for (size_t i = 0; i < all.n; i++) {
        size_t times = 0;
        for (size_t j = 0; j < seen.n; j++)
            times += seen.v[j] == all.v[i];
        assert_int_equal(times, 1);
    }
    idvec_free(&all);
    idvec_free(&seen);
}

static void test_counts_damaged(void **state)
{
    struct fx *f = *state;
    struct dash_counts c;
    struct cchc_err err = {0};
    uint64_t v = visit_of_year(f->m, 2022, 3);
    static const char garbage[] = "\xff\x00garbage";
    assert_int_equal(model_raw_put(f->m, "visits", v, garbage, sizeof garbage - 1, &err), CCHC_OK);
    /* The counts read no record: the damaged visit still counts under the
     * status it was saved with (cchc check reports it) ... */
    assert_int_equal(results_counts(f->m, 2022, day("2022-11-22"), &c, &err), CCHC_OK);
    assert_int_equal(c.visits_total, 26);
    assert_int_equal(c.damaged, 0);
    /* ... and it is in the lists, for the screen to show as damaged. */
    struct idvec ids = {0};
    assert_int_equal(results_visit_ids(f->m, 2022, -1, &ids, &err), CCHC_OK);
    assert_int_equal(ids.n, 26);
    idvec_free(&ids);
}

/* Every write moves a record from one count to another, in the same
 * transaction; the lists behind the counts follow, as windows. */
static void test_counts_follow_writes(void **state)
{
    struct fx *f = *state;
    struct dash_counts c;
    struct cchc_err err = {0};
    cchc_date today = day("2022-11-22");
    uint64_t v = visit_of_year(f->m, 2022, 0);
    struct visit vis = {0};
    assert_int_equal(model_visit(f->m, v, &vis, &err), CCHC_OK);
    enum visit_status was = vis.status;
    assert_int_equal(results_counts(f->m, 2022, today, &c, &err), CCHC_OK);
    size_t n_was = c.visits[was];

    /* recommendations: two overdue (listed oldest deadline first), one not
     * yet, one without a deadline (never overdue, listed last) */
    add_rec(f->m, v, "2022-10-01", RS_OPEN);
    add_rec(f->m, v, "2022-12-31", RS_OPEN);
    add_rec(f->m, v, "2022-04-15", RS_OPEN);
    /* no deadline: only a record from before the rule, as an import writes it */
    struct recommendation none = {
        .visit = v, .text = xstrdup("Không hạn"), .status = RS_OPEN, .author = xstrdup("lan")};
    assert_int_equal(model_write(f->m, "import", NULL, put_rec_as_imported, &none, &err), CCHC_OK);
    assert_int_equal(results_counts(f->m, 2022, today, &c, &err), CCHC_OK);
    assert_int_equal(c.recs_open, 4);
    assert_int_equal(c.recs_overdue, 2);
    uint64_t ids[8];
    size_t got = 0, count = 0;
    assert_int_equal(results_rec_window(f->m, RF_OVERDUE, today, 0, 8, ids, &got, &count, &err),
                     CCHC_OK);
    assert_int_equal(count, 2);
    assert_int_equal(got, 2);
    struct recommendation r = {0};
    assert_int_equal(model_rec(f->m, ids[0], &r, &err), CCHC_OK);
    assert_int_equal(r.deadline, day("2022-04-15"));
    rec_free(&r);
    /* a window past the overdue ones is empty, though open ones follow */
    assert_int_equal(results_rec_window(f->m, RF_OVERDUE, today, 2, 8, ids, &got, &count, &err),
                     CCHC_OK);
    assert_int_equal(got, 0);
    assert_int_equal(results_rec_window(f->m, RF_OPEN, today, 3, 8, ids, &got, &count, &err),
                     CCHC_OK);
    assert_int_equal(got, 1);
    assert_int_equal(ids[0], none.m.id);
    /* done: out of the open and overdue counts */
    none.status = RS_DONE;
    assert_int_equal(model_rec_save(f->m, &none, NULL, &err), CCHC_OK);
    rec_free(&none);
    assert_int_equal(results_counts(f->m, 2022, today, &c, &err), CCHC_OK);
    assert_int_equal(c.recs_open, 3);
    assert_int_equal(c.recs_done, 1);
    assert_int_equal(results_rec_window(f->m, RF_ALL, today, 2, 8, ids, &got, &count, &err),
                     CCHC_OK);
    assert_int_equal(count, 4);
    assert_int_equal(got, 2);

    /* a visit one status on */
    if (was + 1 < VS_COUNT) {
        assert_int_equal(model_visit_set_status(f->m, v, vis.m.rev, was + 1, &err), CCHC_OK);
        assert_int_equal(results_counts(f->m, 2022, today, &c, &err), CCHC_OK);
        assert_int_equal(c.visits[was], n_was - 1);
        assert_int_equal(c.visits_total, 26);
        struct idvec vl = {0};
        assert_int_equal(results_visit_ids(f->m, 2022, (int)was + 1, &vl, &err), CCHC_OK);
        bool there = false;
        for (size_t i = 0; i < vl.n; i++)
            there |= vl.v[i] == v;
        assert_true(there);
        idvec_free(&vl);
    }
    visit_free(&vis);

    /* an item: late -> achieved */
    struct idvec late = {0};
    assert_int_equal(results_item_ids(f->m, NULL, IS_LATE, &late, &err), CCHC_OK);
    assert_int_equal(late.n, 9);
    struct commitment_item it = {0};
    assert_int_equal(model_item(f->m, late.v[0], &it, &err), CCHC_OK);
    assert_int_equal(model_item_update(f->m, it.m.id, it.m.rev, IS_ACHIEVED, NULL, NULL, &err),
                     CCHC_OK);
    item_free(&it);
    idvec_free(&late);
    assert_int_equal(results_counts(f->m, 2022, today, &c, &err), CCHC_OK);
    assert_int_equal(c.items[IS_LATE], 8);
    assert_int_equal(c.items[IS_ACHIEVED], 25);
    assert_int_equal(c.items_total, 137);
    /* out-of-range questions are empty lists, not errors */
    assert_int_equal(results_item_window(f->m, IS_COUNT, 0, 8, ids, &got, &count, &err), CCHC_OK);
    assert_int_equal(count, 0);
    assert_int_equal(results_visit_window(f->m, 0, VS_DONE, 0, 8, ids, &got, &count, &err),
                     CCHC_OK);
    assert_int_equal(count, 0);
    assert_int_equal(results_counts(f->m, 0, today, &c, &err), CCHC_OK);
    assert_int_equal(c.visits_total, 0);
}

/* ---- results of the indices ---- */

static void test_series_and_weakest(void **state)
{
    struct fx *f = *state;
    struct result_set rs;
    struct cchc_err err = {0};
    const struct index_def *par = config_index(&f->cfg, "PARINDEX");
    assert_non_null(par);
    assert_int_equal(results_of_index(f->m, "PARINDEX", 0, &rs, &err), CCHC_OK);
    const struct index_result *r = results_latest_ranked(&rs);
    assert_non_null(r);
    assert_int_equal(r->year, 2023);
    assert_int_equal(r->rank, 54);
    r = results_whole_of_year(&rs, 2019);
    assert_non_null(r);
    assert_int_equal(r->rank, 63);
    assert_null(results_whole_of_year(&rs, 2020));
    /* Units' internal results are not the province's. */
    r = results_whole_of_year(&rs, 2021);
    assert_non_null(r);
    assert_int_equal(r->unit, 0);
    assert_int_equal(r->rank, 37);
    /* Public finance: 2.95 of 11 is the lowest share in 2021. */
    r = results_weakest(&f->cfg, par, &rs);
    assert_non_null(r);
    assert_string_equal(r->component, "PARINDEX.6");
    result_set_free(&rs);

    /* No component results: no weakest. */
    assert_int_equal(results_of_index(f->m, "PCI", 0, &rs, &err), CCHC_OK);
    assert_null(results_weakest(&f->cfg, config_index(&f->cfg, "PCI"), &rs));
    result_set_free(&rs);
}

/* A unit's internal results come with the unit, not with the province's;
 * every unit's together with results_ids_of_index. */
static void test_results_by_unit(void **state)
{
    struct fx *f = *state;
    struct result_set prov, snv;
    struct cchc_err err = {0};
    struct unit u = {0};
    struct idvec all = {0};
    assert_int_equal(model_unit_by_code(f->m, "SNV", &u, &err), CCHC_OK);
    assert_int_equal(results_of_index(f->m, "PARINDEX", 0, &prov, &err), CCHC_OK);
    assert_int_equal(results_of_index(f->m, "PARINDEX", u.m.id, &snv, &err), CCHC_OK);
    for (size_t i = 0; i < prov.n; i++)
        assert_int_equal(prov.v[i].unit, 0);
    assert_int_equal(snv.n, 1);
    assert_int_equal(snv.v[0].unit, u.m.id);
    assert_int_equal(snv.v[0].rank, 1);
    assert_int_equal(results_ids_of_index(f->m, "PARINDEX", &all, &err), CCHC_OK);
    assert_true(all.n > prov.n + snv.n);        /* the other departments and districts too */
    assert_int_equal(all.v[0], prov.v[0].m.id); /* the province's first */
    assert_int_equal(results_ids_of_index(f->m, "NOPE", &all, &err), CCHC_OK);
    idvec_free(&all);
    result_set_free(&prov);
    result_set_free(&snv);
    unit_free(&u);
}

/* A damaged result is counted, not read, and the others still are. */
static void test_results_damaged(void **state)
{
    struct fx *f = *state;
    struct result_set rs, after;
    struct cchc_err err = {0};
    assert_int_equal(results_of_index(f->m, "PARINDEX", 0, &rs, &err), CCHC_OK);
    assert_true(rs.n > 2);
    assert_int_equal(rs.damaged, 0);
    assert_int_equal(model_raw_put(f->m, "results", rs.v[1].m.id, "\xcc\x01\x05junk", 7, &err),
                     CCHC_OK);
    assert_int_equal(results_of_index(f->m, "PARINDEX", 0, &after, &err), CCHC_OK);
    assert_int_equal(after.n, rs.n - 1);
    assert_int_equal(after.damaged, 1);
    assert_int_equal(after.v[0].m.id, rs.v[0].m.id);
    assert_int_equal(after.v[1].m.id, rs.v[2].m.id);
    result_set_free(&rs);
    result_set_free(&after);
}

static void test_weakest_latest_year(void **state)
{
    struct fx *f = *state;
    struct result_set rs;
    struct cchc_err err = {0};
    const struct index_def *par = config_index(&f->cfg, "PARINDEX");
    /* A later year with one area result: that year decides. */
    struct index_result r = {.index = xstrdup("PARINDEX"),
                             .component = xstrdup("PARINDEX.1"),
                             .year = 2023,
                             .score = 9.5};
    assert_int_equal(results_save(f->m, &f->cfg, &r, &err), CCHC_OK);
    result_free(&r);
    assert_int_equal(results_of_index(f->m, "PARINDEX", 0, &rs, &err), CCHC_OK);
    const struct index_result *w = results_weakest(&f->cfg, par, &rs);
    assert_non_null(w);
    assert_string_equal(w->component, "PARINDEX.1");
    assert_int_equal(w->year, 2023);
    result_set_free(&rs);
}

static int save(struct fx *f, const char *index, const char *comp, int year, double score, int rank,
                struct cchc_err *err)
{
    struct index_result r = {.index = xstrdup(index),
                             .component = comp ? xstrdup(comp) : NULL,
                             .year = year,
                             .score = score,
                             .rank = rank};
    int rc = results_save(f->m, &f->cfg, &r, err);
    result_free(&r);
    return rc;
}

struct lines_count {
    int n;
};

static void count_line(void *ctx, const char *line)
{
    ((struct lines_count *)ctx)->n++;
    fprintf(stderr, "check: %s\n", line);
}

/* The dashboard's summary gives the same trend, latest rank and weakest
 * part as every result of the index, with fewer records read. */
static void expect_same_picture(struct fx *f, const char *code, size_t *n_summary, size_t *n_all)
{
    struct result_set all, sum;
    struct cchc_err err = {0};
    const struct index_def *idx = config_index(&f->cfg, code);
    assert_int_equal(results_of_index(f->m, code, 0, &all, &err), CCHC_OK);
    assert_int_equal(results_summary(f->m, code, &sum, &err), CCHC_OK);
    for (int y = 2015; y <= 2026; y++) {
        const struct index_result *a = results_whole_of_year(&all, y),
                                  *b = results_whole_of_year(&sum, y);
        assert_int_equal(a ? a->m.id : 0, b ? b->m.id : 0);
    }
    const struct index_result *a = results_latest_ranked(&all), *b = results_latest_ranked(&sum);
    assert_int_equal(a ? a->m.id : 0, b ? b->m.id : 0);
    a = results_weakest(&f->cfg, idx, &all);
    b = results_weakest(&f->cfg, idx, &sum);
    assert_int_equal(a ? a->m.id : 0, b ? b->m.id : 0);
    *n_summary = sum.n;
    *n_all = all.n;
    result_set_free(&all);
    result_set_free(&sum);
}

static void test_summary(void **state)
{
    struct fx *f = *state;
    struct cchc_err err = {0};
    size_t ns, na;
    expect_same_picture(f, "PARINDEX", &ns, &na);
    expect_same_picture(f, "PCI", &ns, &na);
    /* earlier years' parts are not read */
    assert_int_equal(save(f, "PARINDEX", "PARINDEX.2", 2019, 5, 0, &err), CCHC_OK);
    assert_int_equal(save(f, "PARINDEX", "PARINDEX.3", 2020, 6, 0, &err), CCHC_OK);
    expect_same_picture(f, "PARINDEX", &ns, &na);
    assert_true(ns + 2 <= na);
    /* a later year whose parts have ranks only: the weakest still comes
     * from the latest year with a scored part, read year by year */
    assert_int_equal(save(f, "PARINDEX", "PARINDEX.1", 2024, NAN, 40, &err), CCHC_OK);
    assert_int_equal(save(f, "PARINDEX", "PARINDEX.4", 2024, NAN, 12, &err), CCHC_OK);
    expect_same_picture(f, "PARINDEX", &ns, &na);
    /* one of them given a score: its index entry moves with it, and 2024
     * decides the weakest from now on */
    assert_int_equal(save(f, "PARINDEX", "PARINDEX.4", 2024, 0.5, 12, &err), CCHC_OK);
    expect_same_picture(f, "PARINDEX", &ns, &na);
    struct result_set sum;
    assert_int_equal(results_summary(f->m, "PARINDEX", &sum, &err), CCHC_OK);
    const struct index_result *w =
        results_weakest(&f->cfg, config_index(&f->cfg, "PARINDEX"), &sum);
    assert_non_null(w);
    assert_int_equal(w->year, 2024);
    assert_string_equal(w->component, "PARINDEX.4");
    result_set_free(&sum);
    struct lines_count lc = {0};
    assert_int_equal(model_check(f->m, count_line, &lc, &err), 0);
    /* no results at all, an unknown code */
    struct result_set none;
    assert_int_equal(results_summary(f->m, "M.NONE", &none, &err), CCHC_OK);
    assert_int_equal(none.n, 0);
    result_set_free(&none);
}

static void test_save_validation(void **state)
{
    struct fx *f = *state;
    struct cchc_err err = {0};
    /* PARINDEX.6 has a maximum of 11. */
    assert_int_equal(save(f, "PARINDEX", "PARINDEX.6", 2022, 11.5, 0, &err), CCHC_EUSAGE);
    assert_non_null(strstr(err.msg, "above the maximum 11 of PARINDEX.6"));
    assert_int_equal(save(f, "PARINDEX", NULL, 2022, 100.5, 0, &err), CCHC_EUSAGE);
    assert_non_null(strstr(err.msg, "maximum 100"));
    assert_int_equal(save(f, "PARINDEX", NULL, 2022, -1, 0, &err), CCHC_EUSAGE);
    assert_int_equal(save(f, "PARINDEX", NULL, 2022, NAN, 64, &err), CCHC_EUSAGE);
    assert_non_null(strstr(err.msg, "between 1 and 63"));
    assert_int_equal(save(f, "PARINDEX", NULL, 1800, NAN, 5, &err), CCHC_EUSAGE);
    assert_int_equal(save(f, "NOPE", NULL, 2022, NAN, 5, &err), CCHC_EUSAGE);
    assert_int_equal(save(f, "PARINDEX", "PCI.1", 2022, 1, 0, &err), CCHC_EUSAGE);
    assert_non_null(strstr(err.msg, "not an area or component of PARINDEX"));

    /* Nothing refused was written. */
    struct result_set rs;
    assert_int_equal(results_of_index(f->m, "PARINDEX", 0, &rs, &err), CCHC_OK);
    size_t before = rs.n;
    result_set_free(&rs);

    /* Within the limits: accepted, exactly at the maximum too. */
    assert_int_equal(save(f, "PARINDEX", "PARINDEX.6", 2022, 11, 12, &err), CCHC_OK);
    assert_int_equal(results_of_index(f->m, "PARINDEX", 0, &rs, &err), CCHC_OK);
    assert_int_equal(rs.n, before + 1);
    result_set_free(&rs);

    struct audit_entry a[1];
    size_t n = 0;
    assert_int_equal(model_audit(f->m, 0, 1, a, &n, &err), CCHC_OK);
    assert_int_equal(n, 1);
    assert_string_equal(a[0].what, "result");
    assert_non_null(strstr(a[0].detail, "PARINDEX.6 2022"));
    audit_free(&a[0]);
}

/* The province's own measures take a value a year within 0..max, no rank. */
static void test_save_measure(void **state)
{
    struct fx *f = *state;
    struct cchc_err err = {0};
    assert_int_equal(save(f, "M.ONLINE34", NULL, 2024, 100.5, 0, &err), CCHC_EUSAGE);
    assert_non_null(strstr(err.msg, "above the maximum 100 of M.ONLINE34"));
    assert_int_equal(save(f, "M.ONLINE34", NULL, 2024, 99, 3, &err), CCHC_EUSAGE);
    assert_non_null(strstr(err.msg, "not ranks"));
    assert_int_equal(save(f, "M.ONLINE34", "PCI.1", 2024, 99, 0, &err), CCHC_EUSAGE);
    assert_int_equal(save(f, "M.ONLINE34", NULL, 2024, NAN, 0, &err), CCHC_EUSAGE);
    assert_int_equal(save(f, "M.ONLINE34", NULL, 2024, 99.5, 0, &err), CCHC_OK);
    struct result_set rs;
    assert_int_equal(results_of_index(f->m, "M.ONLINE34", 0, &rs, &err), CCHC_OK);
    bool found = false;
    for (size_t i = 0; i < rs.n; i++)
        if (rs.v[i].year == 2024 && rs.v[i].score == 99.5)
            found = true;
    assert_true(found);
    result_set_free(&rs);
}

/* Every refusal of a result in Vietnamese too, numbers with a decimal
 * comma; the English (the command line's) unchanged. */
static void test_save_messages_vi(void **state)
{
    struct fx *f = *state;
    struct cchc_err err = {0};
    assert_int_equal(save(f, "PARINDEX", "PARINDEX.6", 2022, 11.5, 0, &err), CCHC_EUSAGE);
    assert_string_equal(err.msg, "score 11.5 is above the maximum 11 of PARINDEX.6");
    assert_string_equal(err.msg_vi, "Điểm 11,5 vượt tối đa 11 của PARINDEX.6");
    assert_int_equal(save(f, "PARINDEX", NULL, 2022, 100.25, 0, &err), CCHC_EUSAGE);
    assert_string_equal(err.msg_vi, "Điểm 100,25 vượt tối đa 100 của PARINDEX");
    assert_int_equal(save(f, "PARINDEX", NULL, 2022, -1, 0, &err), CCHC_EUSAGE);
    assert_string_equal(err.msg_vi, "Điểm phải là một số không âm");
    assert_int_equal(save(f, "PARINDEX", NULL, 2022, NAN, 64, &err), CCHC_EUSAGE);
    assert_string_equal(err.msg_vi, "Thứ hạng 64 không nằm trong khoảng 1–63");
    assert_int_equal(save(f, "PARINDEX", NULL, 1800, NAN, 5, &err), CCHC_EUSAGE);
    assert_string_equal(err.msg_vi, "Năm 1800 nằm ngoài khoảng 1900–9999");
    assert_int_equal(save(f, "NOPE", NULL, 2022, NAN, 5, &err), CCHC_EUSAGE);
    assert_string_equal(err.msg_vi, "Không có chỉ số NOPE trong indicators.yaml");
    assert_int_equal(save(f, "PARINDEX", "PCI.1", 2022, 1, 0, &err), CCHC_EUSAGE);
    assert_string_equal(err.msg_vi, "PCI.1 không phải là lĩnh vực hay thành phần của PARINDEX");
    /* measures */
    assert_int_equal(save(f, "M.ONLINE34", NULL, 2024, 100.5, 0, &err), CCHC_EUSAGE);
    assert_string_equal(err.msg_vi, "Giá trị 100,5 vượt tối đa 100 của M.ONLINE34");
    assert_int_equal(save(f, "M.ONLINE34", NULL, 2024, 99, 3, &err), CCHC_EUSAGE);
    assert_string_equal(err.msg_vi, "M.ONLINE34 chỉ có giá trị, không có thứ hạng");
    assert_int_equal(save(f, "M.ONLINE34", "PCI.1", 2024, 99, 0, &err), CCHC_EUSAGE);
    assert_string_equal(err.msg_vi, "M.ONLINE34 là số đo của tỉnh: không có thành phần hay đơn vị");
    assert_int_equal(save(f, "M.ONLINE34", NULL, 2024, NAN, 0, &err), CCHC_EUSAGE);
    assert_string_equal(err.msg_vi, "Giá trị của M.ONLINE34 phải là một số không âm");
    /* not an admin: the refusal of model_may */
    model_set_role(f->m, ROLE_LEAD);
    assert_int_equal(save(f, "PARINDEX", NULL, 2024, 80, 20, &err), CCHC_EDENIED);
    assert_string_equal(err.msg_vi,
                        "root (trưởng đoàn) không được sửa kế hoạch (chỉ quản trị mới được)");
    model_set_role(f->m, ROLE_ADMIN);
    /* a save that works leaves no Vietnamese of the refusal before */
    assert_int_equal(save(f, "M.ONLINE34", NULL, 2024, 99.5, 0, &err), CCHC_OK);
    assert_string_equal(err.msg_vi, "");
}

static void test_save_replaces_same_year(void **state)
{
    struct fx *f = *state;
    struct cchc_err err = {0};
    struct result_set rs;
    assert_int_equal(results_of_index(f->m, "PARINDEX", 0, &rs, &err), CCHC_OK);
    size_t before = rs.n;
    result_set_free(&rs);
    /* 2023 exists (rank 54): a new entry for it changes it. */
    assert_int_equal(save(f, "PARINDEX", NULL, 2023, 80.25, 30, &err), CCHC_OK);
    assert_int_equal(results_of_index(f->m, "PARINDEX", 0, &rs, &err), CCHC_OK);
    assert_int_equal(rs.n, before);
    const struct index_result *r = results_whole_of_year(&rs, 2023);
    assert_non_null(r);
    assert_int_equal(r->rank, 30);
    assert_int_equal(r->rank_of, 63); /* the index's ranked_of */
    assert_true(fabs(r->score - 80.25) < 1e-9);
    assert_int_equal(r->m.rev, 2);
    result_set_free(&rs);
}

static void test_save_denied(void **state)
{
    struct fx *f = *state;
    struct cchc_err err = {0};
    model_set_role(f->m, ROLE_LEAD);
    assert_int_equal(save(f, "PARINDEX", NULL, 2024, 80, 20, &err), CCHC_EDENIED);
    model_set_role(f->m, ROLE_ADMIN);
    struct result_set rs;
    assert_int_equal(results_of_index(f->m, "PARINDEX", 0, &rs, &err), CCHC_OK);
    assert_null(results_whole_of_year(&rs, 2024));
    result_set_free(&rs);
}

static void test_save_conflict(void **state)
{
    struct fx *f = *state;
    struct cchc_err err = {0};
    struct result_set rs;
    assert_int_equal(results_of_index(f->m, "PCI", 0, &rs, &err), CCHC_OK);
    const struct index_result *r = results_whole_of_year(&rs, 2023);
    assert_non_null(r);
    struct index_result mine = {.m = {.id = r->m.id, .rev = r->m.rev},
                                .index = xstrdup("PCI"),
                                .year = 2023,
                                .score = 70,
                                .rank = 6};
    assert_int_equal(save(f, "PCI", NULL, 2023, 69.5, 7, &err), CCHC_OK); /* someone else */
    assert_int_equal(results_save(f->m, &f->cfg, &mine, &err), CCHC_ECONFLICT);
    assert_int_equal(mine.m.rev, r->m.rev); /* left as it was */
    /* in Vietnamese for the UI, naming who saved it */
    const char *want = "Kết quả này đã được root sửa lúc ";
    if (strncmp(err.msg_vi, want, strlen(want)) != 0)
        fail_msg("conflict: '%s'", err.msg_vi);
    assert_non_null(strstr(err.msg_vi, "không có gì bị ghi đè"));
    result_free(&mine);
    result_set_free(&rs);
}

/* ---- saving a report to a file (scr_report.c) ---- */

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    static char buf[256];
    size_t n;
    if (!f)
        return NULL;
    n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void test_write_file(void **state)
{
    char *dir = tu_tmpdir();
    struct cchc_err err = {0};
    bool exists = true;
    char *path = xasprintf("%s/KT-2022-05.md", dir);
    (void)state;
    assert_int_equal(ui_write_file(path, "# một\n", false, &exists, &err), CCHC_OK);
    assert_false(exists);
    assert_string_equal(slurp(path), "# một\n");
    /* Never over an existing file without being told. */
    assert_int_equal(ui_write_file(path, "# hai\n", false, &exists, &err), CCHC_OK);
    assert_true(exists);
    assert_string_equal(slurp(path), "# một\n");
    assert_int_equal(ui_write_file(path, "# ba\n", true, &exists, &err), CCHC_OK);
    assert_false(exists);
    assert_string_equal(slurp(path), "# ba\n");
    /* A folder that is not there: an error naming the path. */
    char *bad = xasprintf("%s/no/such/dir/x.md", dir);
    assert_int_equal(ui_write_file(bad, "x", false, &exists, &err), CCHC_ERUNTIME);
    assert_non_null(strstr(err.msg, "no/such/dir/x.md"));
    /* ~/ is $HOME. */
    char *old = getenv("HOME") ? xstrdup(getenv("HOME")) : NULL;
    setenv("HOME", dir, 1);
    assert_int_equal(ui_write_file("~/bao-cao-2022.md", "y", false, &exists, &err), CCHC_OK);
    char *home_file = xasprintf("%s/bao-cao-2022.md", dir);
    assert_string_equal(slurp(home_file), "y");
    char *e = ui_expand_home("~user/x");
    assert_string_equal(e, "~user/x"); /* only "~/" is expanded */
    free(e);
    if (old)
        setenv("HOME", old, 1);
    free(old);
    free(home_file);
    free(bad);
    free(path);
    tu_rmrf(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rank_level),
        cmocka_unit_test(test_bar),
        cmocka_unit_test(test_write_file),
        cmocka_unit_test(test_code_under),
        cmocka_unit_test_setup_teardown(test_counts_sample, setup, teardown),
        cmocka_unit_test_setup_teardown(test_counts_recs_today, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lists_behind, setup, teardown),
        cmocka_unit_test_setup_teardown(test_counts_damaged, setup, teardown),
        cmocka_unit_test_setup_teardown(test_counts_follow_writes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_series_and_weakest, setup, teardown),
        cmocka_unit_test_setup_teardown(test_results_by_unit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_results_damaged, setup, teardown),
        cmocka_unit_test_setup_teardown(test_weakest_latest_year, setup, teardown),
        cmocka_unit_test_setup_teardown(test_summary, setup, teardown),
        cmocka_unit_test_setup_teardown(test_save_validation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_save_measure, setup, teardown),
        cmocka_unit_test_setup_teardown(test_save_messages_vi, setup, teardown),
        cmocka_unit_test_setup_teardown(test_save_replaces_same_year, setup, teardown),
        cmocka_unit_test_setup_teardown(test_save_denied, setup, teardown),
        cmocka_unit_test_setup_teardown(test_save_conflict, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
