/* test_model.c — unit tests of the model layer: record encodings (round
 * trips, NFC, damaged records), writes with their revisions, indexes and
 * audit records, list windows, and model_check finding planted damage.
 * Each test works in its own temporary database. */
#include "testraw.h"
#include "testutil.h"

#include <lmdb.h>
#include <math.h>

#include "cchc/codec.h"
#include "cchc/model.h"
#include "cchc/results.h"
#include "cchc/store.h"

/* "Thành" with the tone mark decomposed (NFD) and composed (NFC). */
#define NFD_THANH "Tha\xcc\x80nh"
#define NFC_THANH "Th\xc3\xa0nh"

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

/* Run one callback in a model_write and insist it works. */
static void write_ok(struct model *m, model_write_fn fn, void *ctx)
{
    struct cchc_err err = {0};
    int rc = model_write(m, "test", "detail", fn, ctx, &err);
    if (rc != CCHC_OK)
        fail_msg("model_write: %s", err.msg);
}

static int check_quiet(struct model *m)
{
    struct cchc_err err = {0};
    return model_check(m, NULL, NULL, &err);
}

/* model_check that collects its report lines. */
struct lines {
    struct strbuf sb;
    int n;
};
static void collect(void *ctx, const char *line)
{
    struct lines *l = ctx;
    sb_adds(&l->sb, line);
    sb_addc(&l->sb, '\n');
    l->n++;
}

/* A small province: P (province), D1 D2 (districts), S1 (department),
 * C1 C2 (communes of D1). Ids in order. */
struct small {
    uint64_t p, d1, d2, s1, c1, c2;
};

static int put_unit(struct mtx *tx, const char *code, const char *name, enum unit_kind kind,
                    uint64_t parent, uint64_t *id, struct cchc_err *err)
{
    struct unit u = {.code = (char *)code, .name = (char *)name, .kind = kind, .parent = parent};
    int rc = mtx_put_unit(tx, &u, err);
    free(u.m.mby);
    *id = u.m.id;
    return rc;
}

static int small_fn(struct mtx *tx, void *ctx, struct cchc_err *err)
{
    struct small *s = ctx;
    if (put_unit(tx, "P", "Tỉnh Bến Tre", UK_PROVINCE, 0, &s->p, err) ||
        put_unit(tx, "D1", "Huyện Chợ Lách", UK_DISTRICT, s->p, &s->d1, err) ||
        put_unit(tx, "D2", "Huyện Ba Tri", UK_DISTRICT, s->p, &s->d2, err) ||
        put_unit(tx, "S1", "Sở Nội vụ", UK_DEPARTMENT, s->p, &s->s1, err) ||
        put_unit(tx, "C1", "Xã Vĩnh " NFD_THANH, UK_COMMUNE, s->d1, &s->c1, err) ||
        put_unit(tx, "C2", "Xã An Điền", UK_COMMUNE, s->d1, &s->c2, err))
        return CCHC_ERUNTIME;
    return CCHC_OK;
}

static struct small make_small(struct model *m)
{
    struct small s = {0};
    write_ok(m, small_fn, &s);
    return s;
}

/* All ids of a list in one window from position 0. */
static size_t list_all(struct model *m, const struct list_query *q, uint64_t *ids, size_t max)
{
    size_t got = 0, count = 0;
    struct cchc_err err = {0};
    if (model_list(m, q, 0, max, ids, &got, &count, &err) != CCHC_OK)
        fail_msg("model_list: %s", err.msg);
    assert_int_equal(got, count < max ? count : max);
    return got;
}

static size_t list_count(struct model *m, const struct list_query *q)
{
    uint64_t id;
    size_t got = 0, count = 0;
    struct cchc_err err = {0};
    if (model_list(m, q, 0, 1, &id, &got, &count, &err) != CCHC_OK)
        fail_msg("model_list: %s", err.msg);
    return count;
}

static size_t audit_count(struct model *m)
{
    struct audit_entry a[64];
    size_t n = 0;
    struct cchc_err err = {0};
    assert_int_equal(model_audit(m, 0, 64, a, &n, &err), CCHC_OK);
    for (size_t i = 0; i < n; i++)
        audit_free(&a[i]);
    return n;
}

/* ---- encodings ---- */

static void roundtrip(const void *data, size_t len,
                      int (*dec)(const void *, size_t, void *, struct cchc_err *), void *out)
{
    struct cchc_err err = {0};
    if (dec(data, len, out, &err) != CCHC_OK)
        fail_msg("decode: %s", err.msg);
}

typedef int (*dec_fn)(const void *, size_t, void *, struct cchc_err *);

static void test_roundtrip_unit(void **state)
{
    (void)state;
    struct unit u = {.m = {.rev = 3, .mtime = 1650000000, .mby = "lan"},
                     .code = "CL-VTHANH",
                     .name = "Xã Vĩnh " NFD_THANH,
                     .short_name = "Vĩnh " NFD_THANH,
                     .kind = UK_COMMUNE,
                     .form = "xã",
                     .parent = 7,
                     .head = {"Nguyễn Văn A", "Chủ tịch UBND xã"},
                     .valid_from = 100,
                     .valid_to = 20269,
                     .successor = 9,
                     .note = "ghi chú"};
    struct recw w = {0};
    struct unit d = {0};
    size_t len;
    unit_encode(&u, &w);
    const void *data = recw_data(&w, &len);
    roundtrip(data, len, (dec_fn)unit_decode, &d);
    assert_int_equal(d.m.rev, 3);
    assert_int_equal(d.m.mtime, 1650000000);
    assert_string_equal(d.m.mby, "lan");
    assert_string_equal(d.code, "CL-VTHANH");
    assert_string_equal(d.name, "Xã Vĩnh " NFC_THANH); /* stored NFC */
    assert_string_equal(d.short_name, "Vĩnh " NFC_THANH);
    assert_int_equal(d.kind, UK_COMMUNE);
    assert_string_equal(d.form, "xã");
    assert_int_equal(d.parent, 7);
    assert_string_equal(d.head.name, "Nguyễn Văn A");
    assert_string_equal(d.head.title, "Chủ tịch UBND xã");
    assert_int_equal(d.valid_from, 100);
    assert_int_equal(d.valid_to, 20269);
    assert_int_equal(d.successor, 9);
    assert_string_equal(d.note, "ghi chú");
    unit_free(&d);
    assert_null(d.name); /* freed and zeroed */
    recw_free(&w);
}

static void test_roundtrip_others(void **state)
{
    (void)state;
    struct recw w = {0};
    size_t len;
    const void *data;

    struct commitment c = {.m = {.rev = 1, .mtime = 5, .mby = "hung"},
                           .code = "CK-SNV-2022",
                           .title = "Bản cam kết " NFD_THANH,
                           .unit = 4,
                           .signer = {"A", "Giám đốc"},
                           .counter_unit = 1,
                           .countersigner = {"B", "Chủ tịch"},
                           .signed_on = 19160,
                           .period_from = 2022,
                           .period_to = 2025};
    struct commitment cd = {0};
    commitment_encode(&c, &w);
    data = recw_data(&w, &len);
    roundtrip(data, len, (dec_fn)commitment_decode, &cd);
    assert_string_equal(cd.title, "Bản cam kết " NFC_THANH);
    assert_int_equal(cd.unit, 4);
    assert_int_equal(cd.counter_unit, 1);
    assert_string_equal(cd.countersigner.title, "Chủ tịch");
    assert_int_equal(cd.signed_on, 19160);
    assert_int_equal(cd.period_from, 2022);
    assert_int_equal(cd.period_to, 2025);
    commitment_free(&cd);

    struct commitment_item it = {.m = {.rev = 2},
                                 .commitment = 3,
                                 .seq = 4,
                                 .component = "PARINDEX.6",
                                 .text = "Làm " NFD_THANH,
                                 .baseline = "96,5%",
                                 .target = "100%",
                                 .due = 20088,
                                 .status = IS_NOT_ACHIEVED,
                                 .progress = "chưa"};
    struct commitment_item itd = {0};
    item_encode(&it, &w);
    data = recw_data(&w, &len);
    roundtrip(data, len, (dec_fn)item_decode, &itd);
    assert_int_equal(itd.commitment, 3);
    assert_int_equal(itd.seq, 4);
    assert_string_equal(itd.text, "Làm " NFC_THANH);
    assert_int_equal(itd.status, IS_NOT_ACHIEVED);
    assert_int_equal(itd.due, 20088);
    assert_string_equal(itd.progress, "chưa");
    item_free(&itd);

    struct team_member team[2] = {{"lan", "Nguyễn Thị Lan", "Sở Nội vụ", TEAM_LEAD},
                                  {NULL, NFD_THANH, NULL, TEAM_MEMBER}};
    struct visit v = {.m = {.rev = 1},
                      .code = "KT-2022-01",
                      .unit = 5,
                      .year = 2022,
                      .start = 19066,
                      .end = 19067,
                      .scope = SCOPE_CCHC | SCOPE_TTHC,
                      .status = VS_CONCLUDED,
                      .plan = "KH-KT-2022",
                      .decision = "18/QĐ-SNV",
                      .team = team,
                      .n_team = 2,
                      .unit_kind = UK_DEPARTMENT};
    struct visit vd = {0};
    visit_encode(&v, &w);
    data = recw_data(&w, &len);
    roundtrip(data, len, (dec_fn)visit_decode, &vd);
    assert_string_equal(vd.code, "KT-2022-01");
    assert_int_equal(vd.year, 2022);
    assert_int_equal(vd.start, 19066);
    assert_int_equal(vd.end, 19067);
    assert_int_equal(vd.scope, SCOPE_CCHC | SCOPE_TTHC);
    assert_int_equal(vd.status, VS_CONCLUDED);
    assert_int_equal(vd.unit_kind, UK_DEPARTMENT);
    assert_int_equal(vd.n_team, 2);
    assert_string_equal(vd.team[0].login, "lan");
    assert_string_equal(vd.team[0].org, "Sở Nội vụ");
    assert_int_equal(vd.team[0].role, TEAM_LEAD);
    assert_null(vd.team[1].login);
    assert_string_equal(vd.team[1].name, NFC_THANH);
    assert_int_equal(vd.team[1].role, TEAM_MEMBER);
    visit_free(&vd);
    assert_null(vd.team);

    struct index_result r = {.m = {.rev = 1},
                             .index = "PARINDEX",
                             .component = "PARINDEX.6",
                             .year = 2021,
                             .unit = 0,
                             .score = 73.87,
                             .rank = 37,
                             .rank_of = 63,
                             .grade = "Khá",
                             .source = "Bộ Nội vụ"};
    struct index_result rd = {0};
    result_encode(&r, &w);
    data = recw_data(&w, &len);
    roundtrip(data, len, (dec_fn)result_decode, &rd);
    assert_true(rd.score == 73.87);
    assert_int_equal(rd.rank, 37);
    assert_int_equal(rd.rank_of, 63);
    assert_string_equal(rd.component, "PARINDEX.6");
    result_free(&rd);
    r.score = NAN; /* unknown stays unknown, not 0 */
    r.component = NULL;
    result_encode(&r, &w);
    data = recw_data(&w, &len);
    roundtrip(data, len, (dec_fn)result_decode, &rd);
    assert_true(isnan(rd.score));
    assert_null(rd.component);
    result_free(&rd);

    struct audit_entry a = {.time = 77, .login = "lan", .what = "init", .detail = "3 units"};
    struct audit_entry ad = {0};
    audit_encode(&a, &w);
    data = recw_data(&w, &len);
    roundtrip(data, len, (dec_fn)audit_decode, &ad);
    assert_int_equal(ad.time, 77);
    assert_string_equal(ad.what, "init");
    assert_string_equal(ad.detail, "3 units");
    audit_free(&ad);
    recw_free(&w);
}

static void expect_corrupt(const void *data, size_t len, const char *table, const char *part)
{
    struct unit u;
    struct visit v;
    struct cchc_err err = {0};
    int rc = strcmp(table, "units") == 0 ? unit_decode(data, len, &u, &err)
                                         : visit_decode(data, len, &v, &err);
    assert_int_equal(rc, CCHC_ERUNTIME);
    assert_int_equal(err.code, CCHC_ERUNTIME);
    char want[64];
    snprintf(want, sizeof want, "corrupt record %s", table);
    if (strncmp(err.msg, want, strlen(want)) != 0 || (part && !strstr(err.msg, part)))
        fail_msg("unexpected message: %s", err.msg);
    if (strcmp(table, "units") == 0)
        assert_null(u.code);
    else
        assert_null(v.team);
}

static void test_decode_damaged(void **state)
{
    (void)state;
    struct recw w = {0};
    size_t len;
    const void *data;

    /* garbage and nothing */
    expect_corrupt("hello world", 11, "units", NULL);
    expect_corrupt("", 0, "units", NULL);

    /* a visit is not a unit */
    struct team_member tm = {"a", "b", "c", TEAM_LEAD};
    struct visit v = {.m = {.rev = 1},
                      .code = "K",
                      .unit = 2,
                      .year = 2022,
                      .start = 19000,
                      .status = VS_DONE,
                      .team = &tm,
                      .n_team = 1,
                      .unit_kind = UK_COMMUNE};
    visit_encode(&v, &w);
    data = recw_data(&w, &len);
    expect_corrupt(data, len, "units", NULL);

    /* every truncation of a visit either decodes or is reported, never read past */
    for (size_t cut = 0; cut < len; cut++) {
        unsigned char *copy = malloc(cut ? cut : 1);
        memcpy(copy, data, cut);
        struct visit d;
        struct cchc_err err = {0};
        if (visit_decode(copy, cut, &d, &err) == CCHC_OK)
            visit_free(&d);
        else
            assert_non_null(strstr(err.msg, "corrupt record visits"));
        free(copy);
    }
    /* a cut inside the required fields is always reported */
    expect_corrupt(data, 6, "visits", NULL);

    /* missing required field */
    struct unit u = {.m = {.rev = 1}, .name = "x", .kind = UK_DISTRICT};
    unit_encode(&u, &w);
    data = recw_data(&w, &len);
    expect_corrupt(data, len, "units", "code");

    /* enum out of range, written by hand */
    recw_begin(&w, 1);
    recw_uint(&w, 1, 1);
    recw_str(&w, 4, "X");
    recw_str(&w, 5, "x");
    recw_uint(&w, 7, 9);
    data = recw_data(&w, &len);
    expect_corrupt(data, len, "units", "kind");

    /* a string where a number belongs */
    recw_begin(&w, 1);
    recw_uint(&w, 1, 1);
    recw_str(&w, 4, "X");
    recw_str(&w, 5, "x");
    recw_str(&w, 7, "district");
    data = recw_data(&w, &len);
    expect_corrupt(data, len, "units", "kind");

    /* a damaged team member inside a visit */
    struct team_member bad = {"a", NULL, "c", TEAM_LEAD}; /* no name */
    v.team = &bad;
    visit_encode(&v, &w);
    data = recw_data(&w, &len);
    expect_corrupt(data, len, "visits", "name");

    /* unknown fields from a newer program are skipped */
    recw_begin(&w, 1);
    recw_uint(&w, 1, 1);
    recw_str(&w, 4, "X");
    recw_str(&w, 5, "x");
    recw_uint(&w, 7, UK_DISTRICT);
    recw_str(&w, 30, "future");
    data = recw_data(&w, &len);
    struct unit d = {0};
    struct cchc_err err = {0};
    assert_int_equal(unit_decode(data, len, &d, &err), CCHC_OK);
    assert_string_equal(d.code, "X");
    unit_free(&d);
    recw_free(&w);
}

/* ---- writing and reading ---- */

static void test_put_and_read(void **state)
{
    struct fx *f = *state;
    struct small s = make_small(f->m);
    struct unit u = {0};
    struct cchc_err err = {0};

    assert_int_equal(model_unit(f->m, s.c1, &u, &err), CCHC_OK);
    assert_int_equal(u.m.id, s.c1);
    assert_int_equal(u.m.rev, 1);
    assert_string_equal(u.m.mby, "tester");
    assert_true(u.m.mtime > 0);
    assert_string_equal(u.name, "Xã Vĩnh " NFC_THANH);
    assert_int_equal(u.parent, s.d1);
    unit_free(&u);

    assert_int_equal(model_unit_by_code(f->m, "D2", &u, &err), CCHC_OK);
    assert_int_equal(u.m.id, s.d2);
    unit_free(&u);
    assert_int_equal(model_unit_by_code(f->m, "NOPE", &u, &err), CCHC_ERUNTIME);
    assert_null(u.code);
    assert_int_equal(model_unit(f->m, 999, &u, &err), CCHC_ERUNTIME);
    assert_null(u.code);
    assert_int_equal(check_quiet(f->m), 0);
}

static int dup_fn(struct mtx *tx, void *ctx, struct cchc_err *err)
{
    uint64_t id;
    return put_unit(tx, "D1", "Another", UK_DISTRICT, *(uint64_t *)ctx, &id, err);
}

static void test_unique_code(void **state)
{
    struct fx *f = *state;
    struct small s = make_small(f->m);
    struct cchc_err err = {0};
    size_t before = list_count(f->m, &(struct list_query){.kind = LIST_UNITS});
    assert_int_not_equal(model_write(f->m, "dup", NULL, dup_fn, &s.p, &err), CCHC_OK);
    assert_non_null(strstr(err.msg, "D1"));
    assert_int_equal(list_count(f->m, &(struct list_query){.kind = LIST_UNITS}), before);
    assert_int_equal(check_quiet(f->m), 0);
}

/* ---- revisions ---- */

struct save {
    struct unit *u;
};

static int save_fn(struct mtx *tx, void *ctx, struct cchc_err *err)
{
    struct save *sv = ctx;
    return mtx_put_unit(tx, sv->u, err);
}

static void test_revision_conflict(void **state)
{
    struct fx *f = *state;
    struct small s = make_small(f->m);
    struct cchc_err err = {0};
    struct unit mine = {0}, theirs = {0}, now = {0};

    /* two people open the same unit */
    assert_int_equal(model_unit(f->m, s.d2, &mine, &err), CCHC_OK);
    assert_int_equal(model_unit(f->m, s.d2, &theirs, &err), CCHC_OK);
    /* they save first */
    free(theirs.name);
    theirs.name = xstrdup("Huyện Ba Tri (sửa)");
    write_ok(f->m, save_fn, &(struct save){&theirs});
    assert_int_equal(theirs.m.rev, 2);
    size_t audits = audit_count(f->m);
    /* my save is refused and changes nothing */
    free(mine.name);
    mine.name = xstrdup("Ba Tri của tôi");
    int rc = model_write(f->m, "edit", NULL, save_fn, &(struct save){&mine}, &err);
    assert_int_equal(rc, CCHC_ERUNTIME);
    assert_non_null(strstr(err.msg, "changed by tester"));
    assert_non_null(strstr(err.msg, "since you opened it"));
    assert_non_null(strstr(err.msg_vi, "đã được tester sửa lúc"));
    assert_int_equal(mine.m.rev, 1);
    assert_int_equal(model_unit(f->m, s.d2, &now, &err), CCHC_OK);
    assert_string_equal(now.name, "Huyện Ba Tri (sửa)");
    assert_int_equal(now.m.rev, 2);
    assert_int_equal(audit_count(f->m), audits);
    /* saving the fresh copy works and bumps the revision */
    write_ok(f->m, save_fn, &(struct save){&now});
    assert_int_equal(now.m.rev, 3);
    unit_free(&mine);
    unit_free(&theirs);
    unit_free(&now);
    assert_int_equal(check_quiet(f->m), 0);
}

/* ---- visits and their indexes ---- */

struct vput {
    struct visit *v;
};

static int vput_fn(struct mtx *tx, void *ctx, struct cchc_err *err)
{
    return mtx_put_visit(tx, ((struct vput *)ctx)->v, err);
}

static bool list_has(struct model *m, const struct list_query *q, uint64_t id)
{
    uint64_t ids[256];
    size_t n = list_all(m, q, ids, 256);
    for (size_t i = 0; i < n; i++)
        if (ids[i] == id)
            return true;
    return false;
}

static void test_visit_indexes(void **state)
{
    struct fx *f = *state;
    struct small s = make_small(f->m);
    struct cchc_err err = {0};
    struct team_member tm = {"lan", "Lan", NULL, TEAM_LEAD};
    struct visit v = {.code = "KT-1",
                      .unit = s.c1,
                      .year = 2022,
                      .start = date_from_ymd(2022, 3, 8),
                      .status = VS_PLANNED,
                      .scope = SCOPE_CCHC,
                      .team = &tm,
                      .n_team = 1};
    write_ok(f->m, vput_fn, &(struct vput){&v});
    free(v.m.mby);
    v.m.mby = NULL;
    assert_int_equal(v.unit_kind, UK_COMMUNE); /* taken from the unit */
    struct list_query y22c = {.kind = LIST_VISITS_YEAR, .year = 2022, .unit_kind = UK_COMMUNE};
    struct list_query y22d = {.kind = LIST_VISITS_YEAR, .year = 2022, .unit_kind = UK_DEPARTMENT};
    struct list_query y22 = {.kind = LIST_VISITS_YEAR, .year = 2022};
    struct list_query y23 = {.kind = LIST_VISITS_YEAR, .year = 2023};
    struct list_query uc1 = {.kind = LIST_UNIT_VISITS, .arg = s.c1};
    struct list_query us1 = {.kind = LIST_UNIT_VISITS, .arg = s.s1};
    assert_true(list_has(f->m, &y22c, v.m.id));
    assert_true(list_has(f->m, &y22, v.m.id));
    assert_true(list_has(f->m, &uc1, v.m.id));
    assert_false(list_has(f->m, &y22d, v.m.id));

    /* move it: another unit (a department), another year and date */
    v.unit = s.s1;
    v.year = 2023;
    v.start = date_from_ymd(2023, 5, 2);
    write_ok(f->m, vput_fn, &(struct vput){&v});
    assert_int_equal(v.m.rev, 2);
    assert_int_equal(v.unit_kind, UK_DEPARTMENT);
    assert_false(list_has(f->m, &y22c, v.m.id));
    assert_false(list_has(f->m, &y22, v.m.id));
    assert_false(list_has(f->m, &uc1, v.m.id));
    assert_true(list_has(f->m, &y23, v.m.id));
    assert_true(list_has(f->m, &us1, v.m.id));
    assert_true(list_has(
        f->m,
        &(struct list_query){.kind = LIST_VISITS_YEAR, .year = 2023, .unit_kind = UK_DEPARTMENT},
        v.m.id));
    assert_int_equal(list_count(f->m, &y22), 0);
    assert_int_equal(check_quiet(f->m), 0);

    int years[8];
    size_t n = 0;
    assert_int_equal(model_visit_years(f->m, years, 8, &n, &err), CCHC_OK);
    assert_int_equal(n, 1);
    assert_int_equal(years[0], 2023);

    /* a visit needs an existing unit */
    struct visit bad = {
        .code = "KT-X", .unit = 999, .year = 2022, .start = 19000, .team = &tm, .n_team = 1};
    assert_int_not_equal(model_write(f->m, "x", NULL, vput_fn, &(struct vput){&bad}, &err),
                         CCHC_OK);
    free(bad.m.mby);
    free(v.m.mby);
}

/* Commitments, items and results and their lists. */
struct cir {
    uint64_t unit, commitment, items[3], result;
};

static int cir_fn(struct mtx *tx, void *ctx, struct cchc_err *err)
{
    struct cir *c = ctx;
    struct commitment cm = {.code = "CK", .title = "T", .unit = c->unit, .counter_unit = 1};
    int rc = mtx_put_commitment(tx, &cm, err);
    free(cm.m.mby);
    c->commitment = cm.m.id;
    /* seq decides the order, not the id */
    for (int i = 0; rc == CCHC_OK && i < 3; i++) {
        struct commitment_item it = {.commitment = cm.m.id,
                                     .seq = (uint32_t)(3 - i),
                                     .component = "PCI",
                                     .text = "x",
                                     .status = IS_LATE};
        rc = mtx_put_item(tx, &it, err);
        free(it.m.mby);
        c->items[i] = it.m.id;
    }
    struct index_result r = {.index = "PCI", .year = 2021, .score = NAN, .unit = c->unit};
    if (rc == CCHC_OK)
        rc = mtx_put_result(tx, &r, err);
    free(r.m.mby);
    c->result = r.m.id;
    return rc;
}

static void test_commitments_items_results(void **state)
{
    struct fx *f = *state;
    struct small s = make_small(f->m);
    struct cir c = {.unit = s.s1};
    uint64_t ids[8];
    write_ok(f->m, cir_fn, &c);
    assert_int_equal(
        list_all(f->m, &(struct list_query){.kind = LIST_UNIT_COMMITMENTS, .arg = s.s1}, ids, 8),
        1);
    assert_int_equal(ids[0], c.commitment);
    assert_int_equal(list_all(f->m, &(struct list_query){.kind = LIST_COMMITMENTS}, ids, 8), 1);
    assert_int_equal(
        list_all(f->m, &(struct list_query){.kind = LIST_COMMITMENT_ITEMS, .arg = c.commitment},
                 ids, 8),
        3);
    assert_int_equal(ids[0], c.items[2]); /* seq 1 */
    assert_int_equal(ids[2], c.items[0]); /* seq 3 */
    /* Results are listed by index and unit: the unit's, not the province's. */
    assert_int_equal(
        list_all(f->m, &(struct list_query){.kind = LIST_INDEX_RESULTS, .code = "PCI", .arg = s.s1},
                 ids, 8),
        1);
    assert_int_equal(ids[0], c.result);
    assert_int_equal(
        list_count(f->m, &(struct list_query){.kind = LIST_INDEX_RESULTS, .code = "PCI"}), 0);
    assert_int_equal(
        list_count(f->m,
                   &(struct list_query){.kind = LIST_INDEX_RESULTS, .code = "PAPI", .arg = s.s1}),
        0);
    struct index_result r = {0};
    struct cchc_err err = {0};
    assert_int_equal(model_result(f->m, c.result, &r, &err), CCHC_OK);
    assert_true(isnan(r.score));
    result_free(&r);
    assert_int_equal(check_quiet(f->m), 0);
}

/* ---- children ---- */

static int add_child_fn(struct mtx *tx, void *ctx, struct cchc_err *err)
{
    uint64_t id;
    return put_unit(tx, "C0", "Thị trấn Chợ Lách", UK_COMMUNE, *(uint64_t *)ctx, &id, err);
}

static void test_children_sorted(void **state)
{
    struct fx *f = *state;
    struct small s = make_small(f->m);
    uint64_t ids[8];
    /* top level: the province */
    assert_int_equal(list_all(f->m, &(struct list_query){.kind = LIST_UNIT_CHILDREN}, ids, 8), 1);
    assert_int_equal(ids[0], s.p);
    /* the province: departments before districts; Ba Tri before Chợ Lách */
    struct list_query q = {.kind = LIST_UNIT_CHILDREN, .arg = s.p};
    assert_int_equal(list_all(f->m, &q, ids, 8), 3);
    assert_int_equal(ids[0], s.s1);
    assert_int_equal(ids[1], s.d2);
    assert_int_equal(ids[2], s.d1);
    /* D1: An Điền before Vĩnh Thành */
    q.arg = s.d1;
    assert_int_equal(list_all(f->m, &q, ids, 8), 2);
    assert_int_equal(ids[0], s.c2);
    assert_int_equal(ids[1], s.c1);
    /* the cached order is dropped when someone writes */
    write_ok(f->m, add_child_fn, &s.d1);
    struct unit c0 = {0};
    struct cchc_err err = {0};
    assert_int_equal(model_unit_by_code(f->m, "C0", &c0, &err), CCHC_OK);
    assert_int_equal(list_all(f->m, &q, ids, 8), 3);
    assert_int_equal(ids[0], c0.m.id); /* Thị trấn < Xã */
    assert_int_equal(ids[1], s.c2);
    assert_int_equal(ids[2], s.c1);
    unit_free(&c0);
    /* a window in the middle */
    size_t got, count;
    assert_int_equal(model_list(f->m, &q, 1, 5, ids, &got, &count, &err), CCHC_OK);
    assert_int_equal(got, 2);
    assert_int_equal(count, 3);
    assert_int_equal(ids[0], s.c2);
}

/* Units named U<n> under a parent, n from ctx->from to ctx->to - 1. */
struct units_range {
    uint64_t parent;
    int from, to;
};

static int units_range_fn(struct mtx *tx, void *ctx, struct cchc_err *err)
{
    struct units_range *r = ctx;
    for (int i = r->from; i < r->to; i++) {
        char code[16];
        uint64_t id;
        snprintf(code, sizeof code, "U%d", i);
        if (put_unit(tx, code, code, UK_DEPARTMENT, r->parent, &id, err))
            return CCHC_ERUNTIME;
    }
    return CCHC_OK;
}

/* ---- list windows over many visits ---- */

#define MANY 3000

static int many_fn(struct mtx *tx, void *ctx, struct cchc_err *err)
{
    struct small *s = ctx;
    struct team_member tm = {"lan", "Lan", NULL, TEAM_LEAD};
    uint64_t units[3] = {s->c1, s->d2, s->s1};
    for (int i = 0; i < MANY; i++) {
        char code[32];
        snprintf(code, sizeof code, "KT-%d", i);
        /* dates out of id order, many on the same day */
        struct visit v = {.code = code,
                          .unit = units[i % 3],
                          .year = 2022,
                          .start = date_from_ymd(2022, 1, 1) + (i * 7919) % 360,
                          .status = VS_PLANNED,
                          .team = &tm,
                          .n_team = 1};
        int rc = mtx_put_visit(tx, &v, err);
        free(v.m.mby);
        if (rc)
            return rc;
    }
    return CCHC_OK;
}

static void window_eq(struct model *m, const struct list_query *q, const uint64_t *all,
                      size_t count, size_t pos, size_t n)
{
    uint64_t ids[64];
    size_t got = 0, cnt = 0;
    struct cchc_err err = {0};
    assert_true(n <= 64);
    assert_int_equal(model_list(m, q, pos, n, ids, &got, &cnt, &err), CCHC_OK);
    assert_int_equal(cnt, count);
    size_t want = pos >= count ? 0 : (count - pos < n ? count - pos : n);
    assert_int_equal(got, want);
    for (size_t i = 0; i < got; i++)
        if (ids[i] != all[pos + i])
            fail_msg("window at %zu: row %zu is %llu, want %llu", pos, i,
                     (unsigned long long)ids[i], (unsigned long long)all[pos + i]);
}

static size_t back(size_t pos, size_t by)
{
    return pos > by ? pos - by : 0;
}

static void walk_windows(struct model *m, const struct list_query *q, const uint64_t *all,
                         size_t count, size_t page)
{
    size_t mid = count / 2;
    size_t starts[] = {0, mid, back(count, page), back(count, 1), count, count + 5};
    for (size_t i = 0; i < sizeof starts / sizeof *starts; i++)
        window_eq(m, q, all, count, starts[i], page);
    /* from the middle: one row down, one row up, a page down, a page up */
    size_t pos = mid;
    window_eq(m, q, all, count, pos, page);
    for (int i = 0; i < 5; i++)
        window_eq(m, q, all, count, ++pos, page);
    for (int i = 0; i < 7; i++)
        window_eq(m, q, all, count, pos = back(pos, 1), page);
    for (int i = 0; i < 3; i++)
        window_eq(m, q, all, count, pos += page, page);
    for (int i = 0; i < 6; i++)
        window_eq(m, q, all, count, pos = back(pos, page), page);
    /* page by page from the start to the end, and back */
    for (pos = 0; pos < count; pos += page)
        window_eq(m, q, all, count, pos, page);
    for (pos = count; pos > 0;)
        window_eq(m, q, all, count, pos = back(pos, page), page);
}

static void test_list_windows(void **state)
{
    struct fx *f = *state;
    struct small s = make_small(f->m);
    write_ok(f->m, many_fn, &s);

    uint64_t *all = calloc(MANY, sizeof *all);
    struct list_query q = {.kind = LIST_VISITS_YEAR, .year = 2022};
    size_t count = list_all(f->m, &q, all, MANY);
    assert_int_equal(count, MANY);
    /* sorted by date */
    cchc_date prev = 0;
    for (size_t i = 0; i < count; i += 97) {
        struct visit v = {0};
        struct cchc_err err = {0};
        assert_int_equal(model_visit(f->m, all[i], &v, &err), CCHC_OK);
        assert_true(v.start >= prev);
        prev = v.start;
        visit_free(&v);
    }
    walk_windows(f->m, &q, all, count, 20);

    /* one kind only */
    q.unit_kind = UK_COMMUNE;
    count = list_all(f->m, &q, all, MANY);
    assert_int_equal(count, MANY / 3);
    walk_windows(f->m, &q, all, count, 20);
    /* one unit */
    q = (struct list_query){.kind = LIST_UNIT_VISITS, .arg = s.d2};
    count = list_all(f->m, &q, all, MANY);
    assert_int_equal(count, MANY / 3);
    walk_windows(f->m, &q, all, count, 17);

    free(all);
    assert_int_equal(check_quiet(f->m), 0);
}

static void test_list_table_windows(void **state)
{
    struct fx *f = *state;
    struct small s = make_small(f->m);
    write_ok(f->m, units_range_fn, &(struct units_range){s.p, 0, 200});
    uint64_t all[300];
    struct list_query q = {.kind = LIST_UNITS};
    size_t count = list_all(f->m, &q, all, 300);
    assert_int_equal(count, 206);
    for (size_t i = 1; i < count; i++)
        assert_true(all[i] > all[i - 1]); /* by id */
    walk_windows(f->m, &q, all, count, 20);
    walk_windows(f->m, &q, all, count, 1);
    /* a write in between: the remembered place is forgotten, not trusted */
    window_eq(f->m, &q, all, count, 100, 20);
    write_ok(f->m, units_range_fn, &(struct units_range){s.p, 200, 201});
    all[count] = all[count - 1] + 1;
    count++;
    window_eq(f->m, &q, all, count, 120, 20);
    window_eq(f->m, &q, all, count, 190, 20);
    /* children of the province are many too: a sorted window */
    q = (struct list_query){.kind = LIST_UNIT_CHILDREN, .arg = s.p};
    count = list_all(f->m, &q, all, 300);
    assert_int_equal(count, 204);
    walk_windows(f->m, &q, all, count, 20);
}

/* A write that fills the map is run again from the start by the store: the
 * structs it saved in the aborted attempt must come back as they were. */
struct grow {
    struct small s;
    struct visit v[600];
    struct team_member tm;
    char codes[600][16];
};

static int grow_fn(struct mtx *tx, void *ctx, struct cchc_err *err)
{
    struct grow *g = ctx;
    for (int i = 0; i < 600; i++)
        if (mtx_put_visit(tx, &g->v[i], err))
            return CCHC_ERUNTIME;
    return CCHC_OK;
}

static void test_map_growth(void **state)
{
    (void)state;
    char *tmp = tu_tmpdir();
    struct model *m = NULL;
    struct cchc_err err = {0};
    store_set_initial_map_size(64 * 1024);
    if (model_open(&m, tmp, STORE_CREATE, "tester", &err) != CCHC_OK)
        fail_msg("model_open: %s", err.msg);
    store_set_initial_map_size(0);
    struct grow *g = calloc(1, sizeof *g);
    g->s = make_small(m);
    /* 600 visits of 24 KiB: more than LMDB's default 10 MiB map */
    char *plan = malloc(24 * 1024 + 1);
    memset(plan, 'k', 24 * 1024);
    plan[24 * 1024] = '\0';
    struct store_info before, after;
    assert_int_equal(model_store_info(m, &before, &err), CCHC_OK);
    g->tm = (struct team_member){"lan", "Nguyễn Thị Lan", "Sở Nội vụ", TEAM_LEAD};
    for (int i = 0; i < 600; i++) {
        snprintf(g->codes[i], sizeof g->codes[i], "KT-%d", i);
        g->v[i] = (struct visit){.code = g->codes[i],
                                 .unit = g->s.c1,
                                 .year = 2022,
                                 .start = date_from_ymd(2022, 1, 1) + i % 300,
                                 .plan = plan,
                                 .team = &g->tm,
                                 .n_team = 1};
    }
    write_ok(m, grow_fn, g);
    assert_int_equal(model_store_info(m, &after, &err), CCHC_OK);
    assert_true(after.map_size > before.map_size); /* it did grow, and ran again */
    free(plan);
    for (int i = 0; i < 600; i++) {
        assert_int_equal(g->v[i].m.rev, 1);
        assert_int_equal(g->v[i].m.id, (uint64_t)i + 1);
        free(g->v[i].m.mby);
    }
    assert_int_equal(list_count(m, &(struct list_query){.kind = LIST_VISITS_YEAR, .year = 2022}),
                     600);
    assert_int_equal(check_quiet(m), 0);
    free(g);
    model_close(m);
    tu_rmrf(tmp);
    free(tmp);
}

/* ---- audit ---- */

static int fail_fn(struct mtx *tx, void *ctx, struct cchc_err *err)
{
    uint64_t id;
    if (put_unit(tx, "ZZ", "Sẽ không còn", UK_PROVINCE, 0, &id, err))
        return CCHC_ERUNTIME;
    return err_set(err, CCHC_ERUNTIME, "changed my mind");
}

static void test_audit(void **state)
{
    struct fx *f = *state;
    struct cchc_err err = {0};
    struct small s = {0};
    assert_int_equal(model_write(f->m, "init", "6 units", small_fn, &s, &err), CCHC_OK);
    struct audit_entry a[4];
    size_t n = 0;
    assert_int_equal(model_audit(f->m, 0, 4, a, &n, &err), CCHC_OK);
    assert_int_equal(n, 1);
    assert_string_equal(a[0].what, "init");
    assert_string_equal(a[0].detail, "6 units");
    assert_string_equal(a[0].login, "tester");
    assert_true(a[0].time > 0);
    uint64_t first = a[0].seq;
    audit_free(&a[0]);

    /* a failing write leaves neither its records nor an audit record */
    assert_int_equal(model_write(f->m, "oops", NULL, fail_fn, NULL, &err), CCHC_ERUNTIME);
    assert_string_equal(err.msg, "changed my mind");
    struct unit u = {0};
    assert_int_equal(model_unit_by_code(f->m, "ZZ", &u, &err), CCHC_ERUNTIME);
    assert_int_equal(audit_count(f->m), 1);

    /* newest first, and paging below a sequence number */
    for (int i = 0; i < 5; i++)
        write_ok(f->m, units_range_fn, &(struct units_range){s.p, i, i + 1});
    assert_int_equal(model_audit(f->m, 0, 4, a, &n, &err), CCHC_OK);
    assert_int_equal(n, 4);
    for (size_t i = 1; i < n; i++)
        assert_true(a[i].seq < a[i - 1].seq);
    assert_string_equal(a[0].what, "test");
    uint64_t last = a[3].seq;
    for (size_t i = 0; i < n; i++)
        audit_free(&a[i]);
    assert_int_equal(model_audit(f->m, last, 4, a, &n, &err), CCHC_OK);
    assert_int_equal(n, 2);
    assert_true(a[0].seq < last);
    assert_int_equal(a[1].seq, first);
    assert_string_equal(a[1].what, "init");
    for (size_t i = 0; i < n; i++)
        audit_free(&a[i]);
}

/* Two saves in one write, the second refused: nothing reaches the
 * database, and the refused record is left as it was. */
struct two {
    struct unit *a, *b;
};

static int two_fn(struct mtx *tx, void *ctx, struct cchc_err *err)
{
    struct two *t = ctx;
    if (mtx_put_unit(tx, t->a, err))
        return CCHC_ERUNTIME;
    return mtx_put_unit(tx, t->b, err);
}

static void test_failed_write_changes_nothing(void **state)
{
    struct fx *f = *state;
    struct small s = make_small(f->m);
    struct cchc_err err = {0};
    struct unit a = {.code = "NEW", .name = "Mới", .kind = UK_DEPARTMENT, .parent = s.p};
    struct unit b = {.code = "D1", .name = "Trùng", .kind = UK_DISTRICT, .parent = s.p};
    struct unit p = {0}, now = {0};
    assert_int_equal(model_unit(f->m, s.p, &p, &err), CCHC_OK);
    free(p.name);
    p.name = xstrdup("Tỉnh (sửa)");
    /* the province saved, then a unit whose code clashes refused */
    assert_int_equal(model_write(f->m, "x", NULL, two_fn, &(struct two){&p, &b}, &err),
                     CCHC_EUSAGE);
    assert_non_null(strstr(err.msg, "D1"));
    assert_int_equal(b.m.id, 0); /* the refused record is untouched */
    assert_int_equal(b.m.rev, 0);
    assert_null(b.m.mby);
    assert_int_equal(model_unit(f->m, s.p, &now, &err), CCHC_OK);
    assert_int_equal(now.m.rev, 1); /* nothing written */
    assert_string_equal(now.name, "Tỉnh Bến Tre");
    /* a new unit, then the clash */
    assert_int_equal(model_write(f->m, "x", NULL, two_fn, &(struct two){&a, &b}, &err),
                     CCHC_EUSAGE);
    struct unit gone = {0};
    assert_int_equal(model_unit_by_code(f->m, "NEW", &gone, &err), CCHC_ERUNTIME);
    /* as documented, the records saved before the failure are reloaded */
    free(a.m.mby);
    a.m = (struct rec_meta){0};
    unit_free(&p);
    p = now;
    free(p.name);
    p.name = xstrdup("Tỉnh (sửa)");
    write_ok(f->m, two_fn, &(struct two){&p, &a});
    assert_int_equal(p.m.rev, 2);
    assert_true(a.m.id > 0);
    unit_free(&p);
    free(a.m.mby);
    assert_int_equal(check_quiet(f->m), 0);
}

/* Names longer than the sort key start kept in the index (30 bytes of
 * collation key, about a dozen letters) that share it: only reading them
 * tells their order, and a rename moves a unit. */
struct longn {
    uint64_t parent, id[4];
};

static int long_fn(struct mtx *tx, void *ctx, struct cchc_err *err)
{
    struct longn *l = ctx;
    static const char *const names[] = {
        "Ban Quản lý các Khu công nghiệp tỉnh Đồng Tháp", /* 3rd */
        "Ban Quản lý các Khu công nghiệp tỉnh An Giang",  /* 1st */
        "Ban Quản lý các Khu công nghiệp",                /* 0th: a prefix of the others */
        "Ban Quản lý các Khu công nghiệp tỉnh Bến Tre",   /* 2nd */
    };
    static const char *const codes[] = {"L0", "L1", "L2", "L3"};
    for (int i = 0; i < 4; i++)
        if (put_unit(tx, codes[i], names[i], UK_DEPARTMENT, l->parent, &l->id[i], err))
            return CCHC_ERUNTIME;
    return CCHC_OK;
}

static int rename_fn(struct mtx *tx, void *ctx, struct cchc_err *err)
{
    return mtx_put_unit(tx, ctx, err);
}

static void test_children_long_names(void **state)
{
    struct fx *f = *state;
    struct small s = make_small(f->m);
    struct longn l = {.parent = s.d2};
    uint64_t ids[8];
    write_ok(f->m, long_fn, &l);
    struct list_query q = {.kind = LIST_UNIT_CHILDREN, .arg = s.d2};
    /* counting needs no list */
    size_t got = 9, count = 0;
    struct cchc_err err = {0};
    assert_int_equal(model_list(f->m, &q, 0, 0, NULL, &got, &count, &err), CCHC_OK);
    assert_int_equal(got, 0);
    assert_int_equal(count, 4);
    assert_int_equal(list_all(f->m, &q, ids, 8), 4);
    assert_int_equal(ids[0], l.id[2]);
    assert_int_equal(ids[1], l.id[1]);
    assert_int_equal(ids[2], l.id[3]);
    assert_int_equal(ids[3], l.id[0]);
    /* renamed, Đồng Tháp's board moves to the front; its old place is gone */
    struct unit u = {0};
    assert_int_equal(model_unit(f->m, l.id[0], &u, &err), CCHC_OK);
    free(u.name);
    u.name = xstrdup("Ban Quản lý các Khu công nghiệp tỉnh A");
    write_ok(f->m, rename_fn, &u);
    unit_free(&u);
    assert_int_equal(list_all(f->m, &q, ids, 8), 4);
    assert_int_equal(ids[0], l.id[2]);
    assert_int_equal(ids[1], l.id[0]);
    assert_int_equal(ids[2], l.id[1]);
    assert_int_equal(ids[3], l.id[3]);
    assert_int_equal(check_quiet(f->m), 0);
}

/* As part 3 left a database: schema 3, children values of 8 bytes (the id
 * alone), no status indexes. Opening it writable rebuilds them. */
static void make_schema3(const char *dir, uint64_t parent, uint64_t child)
{
    MDB_env *env;
    MDB_txn *txn;
    raw_begin(dir, &env, &txn);
    raw_empty_index(txn, "ix_visit_status");
    raw_empty_index(txn, "ix_rec_status");
    raw_empty_index(txn, "ix_item_status");
    MDB_dbi dbi = raw_empty_index(txn, "ix_unit_children");
    unsigned char k[8], v[8];
    be64_put(k, parent);
    be64_put(v, child);
    MDB_val mk = {8, k}, mv = {8, v};
    assert_int_equal(mdb_put(txn, dbi, &mk, &mv, 0), 0);
    raw_stamp(txn, 3);
    raw_end(env, txn);
}

static void test_upgrade_from_schema3(void **state)
{
    struct fx *f = *state;
    struct small s = make_small(f->m);
    struct cchc_err err = {0};
    uint64_t ids[8];
    model_close(f->m);
    f->m = NULL;
    make_schema3(f->tmp, s.d1, s.c1);

    /* read-only by choice in a folder it may write: the open upgrades */
    assert_int_equal(model_open(&f->m, f->tmp, STORE_RDONLY, "tester", &err), CCHC_OK);
    model_close(f->m);
    assert_int_equal(model_open(&f->m, f->tmp, 0, "tester", &err), CCHC_OK);
    struct store_info info;
    assert_int_equal(model_store_info(f->m, &info, &err), CCHC_OK);
    assert_int_equal(info.schema, STORE_SCHEMA_VERSION);
    assert_int_equal(check_quiet(f->m), 0);
    struct list_query q = {.kind = LIST_UNIT_CHILDREN, .arg = s.p};
    assert_int_equal(list_all(f->m, &q, ids, 8), 3);
    assert_int_equal(ids[0], s.s1);
    assert_int_equal(ids[1], s.d2);
    assert_int_equal(ids[2], s.d1);
    q.arg = s.d1;
    assert_int_equal(list_all(f->m, &q, ids, 8), 2);
    assert_int_equal(ids[0], s.c2);
    assert_int_equal(ids[1], s.c1);
}

/* The province's results, written out of order: the index keeps them by
 * year, the whole index before its parts, and says which is which. */
static int refs_fn(struct mtx *tx, void *ctx, struct cchc_err *err)
{
    uint64_t *ids = ctx;
    static const struct {
        int year;
        const char *component;
        double score;
    } w[] = {{2022, "PCI.3", NAN}, {2021, NULL, NAN}, {2022, NULL, NAN},
             {2021, "PCI.1", 6.5}, {2022, "PCI", 70}, {2022, "PCI.2", 5}};
    int rc = CCHC_OK;
    for (size_t i = 0; rc == CCHC_OK && i < 6; i++) {
        struct index_result r = {.index = "PCI",
                                 .component = (char *)w[i].component,
                                 .year = w[i].year,
                                 .score = w[i].score};
        rc = mtx_put_result(tx, &r, err);
        free(r.m.mby);
        ids[i] = r.m.id;
    }
    return rc;
}

static void test_result_refs(void **state)
{
    struct fx *f = *state;
    struct cchc_err err = {0};
    uint64_t ids[6];
    struct result_ref *refs;
    size_t n;
    write_ok(f->m, refs_fn, ids);
    assert_int_equal(model_result_refs(f->m, "PCI", 0, &refs, &n, &err), CCHC_OK);
    assert_int_equal(n, 6);
    /* 2021: whole, PCI.1 (scored); 2022: whole twice (no component, and
     * "PCI"), PCI.2 (scored), PCI.3 (a rank only) */
    assert_int_equal(refs[0].id, ids[1]);
    assert_true(refs[0].whole);
    assert_false(refs[0].scored);
    assert_int_equal(refs[0].year, 2021);
    assert_int_equal(refs[1].id, ids[3]);
    assert_false(refs[1].whole);
    assert_true(refs[1].scored);
    assert_true(refs[2].whole && refs[3].whole);
    assert_int_equal(refs[2].year, 2022);
    assert_int_equal(refs[4].id, ids[5]);
    assert_true(refs[4].scored);
    assert_int_equal(refs[5].id, ids[0]);
    assert_false(refs[5].whole || refs[5].scored);
    assert_int_equal(refs[5].year, 2022);
    free(refs);
    /* another unit, another code: none */
    assert_int_equal(model_result_refs(f->m, "PCI", 7, &refs, &n, &err), CCHC_OK);
    assert_int_equal(n, 0);
    assert_null(refs);
    assert_int_equal(model_result_refs(f->m, "", 0, &refs, &n, &err), CCHC_OK);
    assert_int_equal(n, 0);
    assert_int_equal(check_quiet(f->m), 0);
}

/* As cchc left a database at schema 4: results keyed by the index code
 * alone, no index of items by component. Opening it writable keys the
 * results by unit too and builds the items' index. */
static void make_schema4(const char *dir, uint64_t result, int year)
{
    MDB_env *env;
    MDB_txn *txn;
    raw_begin(dir, &env, &txn);
    raw_empty_index(txn, "ix_component_items");
    MDB_dbi dbi = raw_empty_index(txn, "ix_index_results");
    unsigned char v[10];
    be16_put(v, (uint16_t)year);
    be64_put(v + 2, result);
    MDB_val mk = {3, "PCI"}, mv = {10, v};
    assert_int_equal(mdb_put(txn, dbi, &mk, &mv, 0), 0);
    raw_stamp(txn, 4);
    raw_end(env, txn);
}

static void test_upgrade_from_schema4(void **state)
{
    struct fx *f = *state;
    struct small s = make_small(f->m);
    struct cir c = {.unit = s.s1};
    struct cchc_err err = {0};
    uint64_t ids[8];
    write_ok(f->m, cir_fn, &c);
    model_close(f->m);
    f->m = NULL;
    make_schema4(f->tmp, c.result, 2021);

    assert_int_equal(model_open(&f->m, f->tmp, 0, "tester", &err), CCHC_OK);
    struct store_info info;
    assert_int_equal(model_store_info(f->m, &info, &err), CCHC_OK);
    assert_int_equal(info.schema, STORE_SCHEMA_VERSION);
    assert_int_equal(check_quiet(f->m), 0); /* no entry of the old shape is left */
    struct list_query q = {.kind = LIST_INDEX_RESULTS, .code = "PCI", .arg = s.s1};
    assert_int_equal(list_all(f->m, &q, ids, 8), 1);
    assert_int_equal(ids[0], c.result);
    q.arg = 0;
    assert_int_equal(list_count(f->m, &q), 0);
    struct idvec items = {0};
    assert_int_equal(results_item_ids(f->m, "PCI", -1, &items, &err), CCHC_OK);
    assert_int_equal(items.n, 3); /* the commitment's three items, found by component */
    idvec_free(&items);
}

/* ---- checking ---- */

static void test_check_finds_damage(void **state)
{
    struct fx *f = *state;
    struct small s = make_small(f->m);
    struct cchc_err err = {0};
    struct lines l = {0};
    assert_int_equal(model_check(f->m, collect, &l, &err), 0);

    /* a damaged unit record */
    assert_int_equal(model_raw_put(f->m, "units", s.c2, "\xcc\x01\x01garbage", 10, &err), CCHC_OK);
    struct unit u = {0};
    assert_int_equal(model_unit(f->m, s.c2, &u, &err), CCHC_ERUNTIME);
    char want[64];
    snprintf(want, sizeof want, "corrupt record units/%llu:", (unsigned long long)s.c2);
    assert_non_null(strstr(err.msg, want));
    assert_null(u.code);
    /* the rest is still listed */
    struct list_query q = {.kind = LIST_UNIT_CHILDREN, .arg = s.d1};
    uint64_t ids[8];
    assert_int_equal(list_all(f->m, &q, ids, 8), 2);

    int problems = model_check(f->m, collect, &l, &err);
    assert_int_equal(problems, l.n);
    assert_true(problems >= 1);
    assert_non_null(strstr(sb_str(&l.sb), want));

    /* a dangling index entry: D2 claims a child that does not exist (the
     * value: kind, cut sort key, cut flag, id; see model_int.h) */
    unsigned char val[40] = {UK_COMMUNE};
    be64_put(val + 32, 9999);
    assert_int_equal(model_raw_put(f->m, "ix_unit_children", s.d2, val, 40, &err), CCHC_OK);
    sb_reset(&l.sb);
    l.n = 0;
    int more = model_check(f->m, collect, &l, &err);
    assert_int_equal(more, problems + 1);
    assert_non_null(strstr(sb_str(&l.sb), "points to missing units/9999"));

    /* a record that disagrees with its index: C1 now says its parent is D2 */
    struct unit moved = {
        .m = {.rev = 1}, .code = "C1", .name = "Xã", .kind = UK_COMMUNE, .parent = s.d2};
    struct recw w = {0};
    size_t len;
    unit_encode(&moved, &w);
    const void *data = recw_data(&w, &len);
    assert_int_equal(model_raw_put(f->m, "units", s.c1, data, len, &err), CCHC_OK);
    recw_free(&w);
    sb_reset(&l.sb);
    l.n = 0;
    /* + 2: the raw rewrite also leaves the word index disagreeing with the new name */
    assert_int_equal(model_check(f->m, collect, &l, &err), more + 4);
    snprintf(want, sizeof want, "units/%llu: no entry %llu in ix_unit_children",
             (unsigned long long)s.c1, (unsigned long long)s.d2);
    assert_non_null(strstr(sb_str(&l.sb), want));
    snprintf(want, sizeof want, "does not agree with units/%llu", (unsigned long long)s.c1);
    assert_non_null(strstr(sb_str(&l.sb), want));

    assert_int_equal(model_raw_put(f->m, "no_such_table", 1, "x", 1, &err), CCHC_EUSAGE);
    sb_free(&l.sb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip_unit),
        cmocka_unit_test(test_roundtrip_others),
        cmocka_unit_test(test_decode_damaged),
        cmocka_unit_test_setup_teardown(test_put_and_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unique_code, setup, teardown),
        cmocka_unit_test_setup_teardown(test_revision_conflict, setup, teardown),
        cmocka_unit_test_setup_teardown(test_visit_indexes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_commitments_items_results, setup, teardown),
        cmocka_unit_test_setup_teardown(test_children_sorted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_children_long_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_upgrade_from_schema3, setup, teardown),
        cmocka_unit_test_setup_teardown(test_upgrade_from_schema4, setup, teardown),
        cmocka_unit_test_setup_teardown(test_result_refs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_windows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_table_windows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit, setup, teardown),
        cmocka_unit_test(test_map_growth),
        cmocka_unit_test_setup_teardown(test_failed_write_changes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_check_finds_damage, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
