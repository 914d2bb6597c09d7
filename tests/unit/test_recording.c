/* test_recording.c — unit tests of the recording layer: the new records'
 * encodings, notes with their history, conflicts between two handles on one
 * database, who may do what (and that a refusal changes nothing), checklist
 * results judged by the configuration, recommendations, visit status with
 * its days, commitment items, drafts, and the upgrade of a schema 1
 * database. Each test works in its own temporary database. */
#include "testutil.h"

#include <lmdb.h>
#include <math.h>

#include "cchc/codec.h"
#include "cchc/config.h"
#include "cchc/model.h"
#include "cchc/recording.h"
#include "cchc/store.h"

#define NFD_THANH "Tha\xcc\x80nh"
#define NFC_THANH "Th\xc3\xa0nh"

/* ---- fixture: a province, a district, two visits, a commitment item ---- */

struct ids {
    uint64_t p, d1, v1, v2, com, item;
};

struct fx {
    char *tmp;
    struct model *m; /* the admin who built the fixture ("root") */
    struct config cfg;
    struct ids id;
};

static struct team_member team1[] = {
    {.login = "lan", .name = "Nguyễn Thị Lan", .role = TEAM_LEAD},
    {.login = "phong", .name = "Trần Văn Phong", .role = TEAM_MEMBER},
};
static struct team_member team2[] = {
    {.login = "hung", .name = "Lê Văn Hùng", .role = TEAM_LEAD},
    {.login = "tuan", .name = "Đặng Minh Tuấn", .role = TEAM_MEMBER},
};

static int fixture_fn(struct mtx *tx, void *ctx, struct cchc_err *err)
{
    struct ids *id = ctx;
    struct unit p = {.code = "P", .name = "Tỉnh Bến Tre", .kind = UK_PROVINCE};
    struct unit d = {.code = "D1", .name = "Huyện Chợ Lách", .kind = UK_DISTRICT};
    int rc = mtx_put_unit(tx, &p, err);
    d.parent = p.m.id;
    if (!rc)
        rc = mtx_put_unit(tx, &d, err);
    struct visit v1 = {.code = "V1",
                       .unit = d.m.id,
                       .year = 2022,
                       .start = 19300,
                       .scope = SCOPE_CCHC | SCOPE_TTHC,
                       .team = team1,
                       .n_team = 2};
    struct visit v2 = {.code = "V2",
                       .unit = d.m.id,
                       .year = 2022,
                       .start = 19310,
                       .scope = SCOPE_CCHC | SCOPE_TTHC,
                       .team = team2,
                       .n_team = 2};
    if (!rc)
        rc = mtx_put_visit(tx, &v1, err);
    if (!rc)
        rc = mtx_put_visit(tx, &v2, err);
    struct commitment c = {.code = "CK-D1", .title = "Cam kết", .unit = d.m.id};
    if (!rc)
        rc = mtx_put_commitment(tx, &c, err);
    struct commitment_item it = {.seq = 1, .component = "PARINDEX.1", .text = "Tăng điểm"};
    it.commitment = c.m.id;
    if (!rc)
        rc = mtx_put_item(tx, &it, err);
    *id = (struct ids){p.m.id, d.m.id, v1.m.id, v2.m.id, c.m.id, it.m.id};
    free(p.m.mby), free(d.m.mby), free(v1.m.mby), free(v2.m.mby), free(c.m.mby), free(it.m.mby);
    return rc;
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    struct cchc_err err = {0};
    f->tmp = tu_tmpdir();
    if (config_load(&f->cfg, tu_src("config/cchc.yaml"), &err) != CCHC_OK)
        fail_msg("config_load: %s", err.msg);
    if (model_open(&f->m, f->tmp, STORE_CREATE, "root", &err) != CCHC_OK)
        fail_msg("model_open: %s", err.msg);
    if (model_write(f->m, "init", "fixture", fixture_fn, &f->id, &err) != CCHC_OK)
        fail_msg("fixture: %s", err.msg);
    model_set_role(f->m, ROLE_ADMIN);
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

/* A second handle on the same database, as another login with a role. */
static struct model *as(struct fx *f, const char *login, enum role role)
{
    struct model *m;
    struct cchc_err err = {0};
    if (model_open(&m, f->tmp, 0, login, &err) != CCHC_OK)
        fail_msg("model_open %s: %s", login, err.msg);
    model_set_role(m, role);
    return m;
}

static size_t audit_count(struct model *m)
{
    struct audit_entry a[1];
    size_t n = 0;
    struct cchc_err err = {0};
    assert_int_equal(model_audit(m, 0, 1, a, &n, &err), CCHC_OK);
    uint64_t seq = n ? a[0].seq : 0;
    if (n)
        audit_free(&a[0]);
    return (size_t)seq;
}

/* The newest audit entry's what and detail. */
static void last_audit(struct model *m, char *what, size_t wn, char *detail, size_t dn)
{
    struct audit_entry a[1];
    size_t n = 0;
    struct cchc_err err = {0};
    assert_int_equal(model_audit(m, 0, 1, a, &n, &err), CCHC_OK);
    assert_int_equal(n, 1);
    snprintf(what, wn, "%s", a[0].what);
    snprintf(detail, dn, "%s", a[0].detail ? a[0].detail : "");
    audit_free(&a[0]);
}

static void check_clean(struct model *m)
{
    struct cchc_err err = {0};
    assert_int_equal(model_check(m, NULL, NULL, &err), 0);
}

static uint64_t add_note(struct model *m, enum note_target t, uint64_t target, const char *crit,
                         const char *text)
{
    struct note n = {
        .target = t, .target_id = target, .criterion = (char *)crit, .text = (char *)text};
    struct cchc_err err = {0};
    if (model_note_add(m, &n, &err) != CCHC_OK)
        fail_msg("model_note_add: %s", err.msg);
    assert_int_equal(n.m.rev, 1);
    assert_non_null(n.author);
    assert_string_equal(n.author, model_login(m));
    assert_true(n.created > 0);
    uint64_t id = n.m.id;
    free(n.author);
    free(n.m.mby);
    return id;
}

/* ---- encodings ---- */

static void test_roundtrip_records(void **state)
{
    (void)state;
    struct recw w = {0};
    struct cchc_err err = {0};
    size_t len;

    /* a visit with status days; one without them reads back 0 */
    struct visit v = {.m = {.rev = 3},
                      .code = "V",
                      .unit = 2,
                      .year = 2022,
                      .start = 19000,
                      .status = VS_DONE,
                      .unit_kind = UK_DISTRICT,
                      .started_on = 19001,
                      .done_on = 19002};
    visit_encode(&v, &w);
    const void *data = recw_data(&w, &len);
    struct visit back;
    assert_int_equal(visit_decode(data, len, &back, &err), CCHC_OK);
    assert_int_equal(back.started_on, 19001);
    assert_int_equal(back.done_on, 19002);
    assert_int_equal(back.concluded_on, 0);
    visit_free(&back);
    /* a schema 1 visit: the same fields without 15-17 */
    recw_begin(&w, 4);
    recw_uint(&w, 1, 1);
    recw_str(&w, 4, "OLD");
    recw_uint(&w, 5, 2);
    recw_sint(&w, 6, 2021);
    recw_sint(&w, 7, 18700);
    recw_uint(&w, 10, VS_CONCLUDED);
    recw_uint(&w, 14, UK_COMMUNE);
    data = recw_data(&w, &len);
    assert_int_equal(visit_decode(data, len, &back, &err), CCHC_OK);
    assert_int_equal(back.status, VS_CONCLUDED);
    assert_int_equal(back.started_on + back.done_on + back.concluded_on, 0);
    visit_free(&back);
    recw_free(&w);
}

/* Raw record bytes of one table row, through the store (for damage tests). */
static void test_note_record_damage(void **state)
{
    struct fx *f = *state;
    uint64_t id = add_note(f->m, NT_VISIT, f->id.v1, NULL, "một ghi chú");
    struct recw w = {0};
    size_t len;
    struct cchc_err err = {0};
    /* deleted = 2 is not a bool; a missing author is not a note */
    recw_begin(&w, 8);
    recw_uint(&w, 1, 1);
    recw_uint(&w, 4, NT_VISIT);
    recw_uint(&w, 5, f->id.v1);
    recw_str(&w, 7, "x");
    recw_sint(&w, 8, 5);
    recw_str(&w, 10, "t");
    recw_uint(&w, 11, 2);
    const void *data = recw_data(&w, &len);
    assert_int_equal(model_raw_put(f->m, "notes", id, data, len, &err), CCHC_OK);
    struct note n;
    assert_int_equal(model_note(f->m, id, &n, &err), CCHC_ERUNTIME);
    assert_non_null(strstr(err.msg, "corrupt record notes/"));
    assert_non_null(strstr(err.msg, "deleted"));
    assert_null(n.text);
    assert_true(model_check(f->m, NULL, NULL, &err) > 0);
    recw_free(&w);
}

/* ---- notes ---- */

static void test_note_lifecycle(void **state)
{
    struct fx *f = *state;
    struct model *phong = as(f, "phong", ROLE_INSPECTOR);
    struct cchc_err err = {0};
    uint64_t ids[8];
    size_t got, count;

    uint64_t a = add_note(phong, NT_VISIT, f->id.v1, NULL, "Xã Vĩnh " NFD_THANH);
    uint64_t b = add_note(phong, NT_CRITERION, f->id.v1, "CD.1", "tiêu chí");
    struct note n;
    assert_int_equal(model_note(f->m, a, &n, &err), CCHC_OK);
    assert_string_equal(n.text, "Xã Vĩnh " NFC_THANH); /* stored NFC */
    assert_string_equal(n.author, "phong");
    assert_int_equal(n.target, NT_VISIT);
    assert_int_equal(n.edited, 0);
    note_free(&n);

    char what[64], detail[256];
    last_audit(f->m, what, sizeof what, detail, sizeof detail);
    assert_string_equal(what, "note add");
    assert_non_null(strstr(detail, "V1"));
    assert_non_null(strstr(detail, "CD.1"));

    /* the visit lists both, newest first; the criterion's own list only b */
    assert_int_equal(model_visit_notes(f->m, f->id.v1, 0, 8, ids, &got, &count, &err), CCHC_OK);
    assert_int_equal(count, 2);
    assert_int_equal(ids[0], b);
    assert_int_equal(ids[1], a);
    assert_int_equal(
        model_notes(f->m, NT_CRITERION, f->id.v1, "CD.1", false, 0, 8, ids, &got, &count, &err),
        CCHC_OK);
    assert_int_equal(count, 1);
    assert_int_equal(ids[0], b);

    /* two edits, then a delete: every old version kept */
    assert_int_equal(model_note_edit(phong, a, 1, "lần hai", NULL, &err), CCHC_OK);
    assert_int_equal(model_note_edit(phong, a, 2, "lần ba", NULL, &err), CCHC_OK);
    last_audit(f->m, what, sizeof what, detail, sizeof detail);
    assert_string_equal(what, "note edit");
    assert_non_null(strstr(detail, "note "));
    /* saving the same text again is not a change */
    size_t before = audit_count(f->m);
    assert_int_equal(model_note_edit(phong, a, 3, "lần ba", NULL, &err), CCHC_OK);
    assert_int_equal(audit_count(f->m), before);
    assert_int_equal(model_note_delete(phong, a, 3, &err), CCHC_OK);

    assert_int_equal(model_note(f->m, a, &n, &err), CCHC_OK);
    assert_true(n.deleted);
    assert_int_equal(n.m.rev, 4);
    assert_true(n.edited > 0);
    note_free(&n);
    struct note old[8];
    size_t nold = 0;
    assert_int_equal(model_note_history(f->m, a, old, 8, &nold, &err), CCHC_OK);
    assert_int_equal(nold, 3);
    assert_string_equal(old[0].text, "lần ba");
    assert_int_equal(old[0].m.rev, 3);
    assert_string_equal(old[2].text, "Xã Vĩnh " NFC_THANH);
    for (size_t i = 0; i < nold; i++)
        note_free(&old[i]);
    /* max limits the versions returned, newest kept */
    assert_int_equal(model_note_history(f->m, a, old, 1, &nold, &err), CCHC_OK);
    assert_int_equal(nold, 1);
    assert_int_equal(old[0].m.rev, 3);
    note_free(&old[0]);

    /* hidden from the lists, shown when asked */
    assert_int_equal(model_visit_notes(f->m, f->id.v1, 0, 8, ids, &got, &count, &err), CCHC_OK);
    assert_int_equal(count, 1);
    assert_int_equal(ids[0], b);
    assert_int_equal(
        model_notes(f->m, NT_VISIT, f->id.v1, NULL, false, 0, 8, ids, &got, &count, &err), CCHC_OK);
    assert_int_equal(count, 0);
    assert_int_equal(
        model_notes(f->m, NT_VISIT, f->id.v1, NULL, true, 0, 8, ids, &got, &count, &err), CCHC_OK);
    assert_int_equal(count, 1);
    assert_int_equal(ids[0], a);
    /* a deleted note cannot be edited */
    assert_int_equal(model_note_edit(phong, a, 4, "sau khi xoá", NULL, &err), CCHC_EUSAGE);

    /* notes on a unit and on an item */
    uint64_t u = add_note(phong, NT_UNIT, f->id.d1, NULL, "đơn vị");
    uint64_t it = add_note(phong, NT_ITEM, f->id.item, NULL, "minh chứng");
    assert_int_equal(
        model_notes(f->m, NT_UNIT, f->id.d1, NULL, false, 0, 8, ids, &got, &count, &err), CCHC_OK);
    assert_int_equal(ids[0], u);
    assert_int_equal(
        model_notes(f->m, NT_ITEM, f->id.item, NULL, false, 0, 8, ids, &got, &count, &err),
        CCHC_OK);
    assert_int_equal(ids[0], it);
    /* on nothing */
    struct note bad = {.target = NT_UNIT, .target_id = 999, .text = "x"};
    assert_int_equal(model_note_add(phong, &bad, &err), CCHC_EUSAGE);
    struct note nocrit = {.target = NT_CRITERION, .target_id = f->id.v1, .text = "x"};
    assert_int_equal(model_note_add(phong, &nocrit, &err), CCHC_EUSAGE);

    check_clean(f->m);
    model_close(phong);
}

static void test_note_windows(void **state)
{
    struct fx *f = *state;
    uint64_t all[30], ids[7];
    size_t got, count;
    struct cchc_err err = {0};
    for (int i = 0; i < 30; i++) {
        char t[32];
        snprintf(t, sizeof t, "note %d", i);
        all[i] = add_note(f->m, NT_VISIT, f->id.v2, NULL, t);
    }
    /* windows of 7, newest first, cover every note once */
    size_t seen = 0;
    for (size_t pos = 0; pos < 30; pos += 7) {
        assert_int_equal(model_visit_notes(f->m, f->id.v2, pos, 7, ids, &got, &count, &err),
                         CCHC_OK);
        assert_int_equal(count, 30);
        for (size_t i = 0; i < got; i++)
            assert_int_equal(ids[i], all[29 - (pos + i)]);
        seen += got;
    }
    assert_int_equal(seen, 30);
    assert_int_equal(model_visit_notes(f->m, f->id.v2, 30, 7, ids, &got, &count, &err), CCHC_OK);
    assert_int_equal(got, 0);
}

static void test_note_limits(void **state)
{
    struct fx *f = *state;
    struct cchc_err err = {0};
    uint64_t version = model_version(f->m);
    size_t audits = audit_count(f->m);
    struct note n = {.target = NT_VISIT, .target_id = f->id.v1, .text = "  \n\t "};
    assert_int_equal(model_note_add(f->m, &n, &err), CCHC_EUSAGE);
    assert_non_null(strstr(err.msg, "empty"));
    char *big = malloc(NOTE_MAX_BYTES + 2);
    memset(big, 'a', NOTE_MAX_BYTES + 1);
    big[NOTE_MAX_BYTES + 1] = '\0';
    n.text = big;
    assert_int_equal(model_note_add(f->m, &n, &err), CCHC_EUSAGE);
    assert_non_null(strstr(err.msg, "16384"));
    assert_int_equal(model_version(f->m), version);
    assert_int_equal(audit_count(f->m), audits);
    big[NOTE_MAX_BYTES] = '\0'; /* exactly the limit */
    uint64_t id = add_note(f->m, NT_VISIT, f->id.v1, NULL, big);
    assert_true(id > 0);
    free(big);
}

/* Two sessions open the same note; the second save must not overwrite the
 * first, and must get it back. */
static void test_note_conflict(void **state)
{
    struct fx *f = *state;
    struct model *a = as(f, "lan", ROLE_LEAD);
    struct model *b = as(f, "lan", ROLE_LEAD);
    struct cchc_err err = {0};
    uint64_t id = add_note(a, NT_VISIT, f->id.v1, NULL, "bản gốc");
    struct note na, nb;
    assert_int_equal(model_note(a, id, &na, &err), CCHC_OK);
    assert_int_equal(model_note(b, id, &nb, &err), CCHC_OK);
    assert_int_equal(na.m.rev, 1);
    assert_int_equal(nb.m.rev, 1);

    assert_int_equal(model_note_edit(a, id, na.m.rev, "của A", NULL, &err), CCHC_OK);
    struct note theirs = {0};
    size_t audits = audit_count(b);
    assert_int_equal(model_note_edit(b, id, nb.m.rev, "của B", &theirs, &err), CCHC_ECONFLICT);
    assert_non_null(strstr(err.msg, "since you opened it"));
    assert_string_equal(theirs.text, "của A");
    assert_int_equal(theirs.m.rev, 2);
    assert_int_equal(audit_count(b), audits);
    struct note now;
    assert_int_equal(model_note(b, id, &now, &err), CCHC_OK);
    assert_string_equal(now.text, "của A"); /* nothing overwritten */
    note_free(&now);
    /* the user chooses theirs as the base and saves again */
    assert_int_equal(model_note_edit(b, id, theirs.m.rev, "của B", NULL, &err), CCHC_OK);
    struct note old[4];
    size_t nold;
    assert_int_equal(model_note_history(b, id, old, 4, &nold, &err), CCHC_OK);
    assert_int_equal(nold, 2);
    assert_string_equal(old[0].text, "của A");
    assert_string_equal(old[1].text, "bản gốc");
    for (size_t i = 0; i < nold; i++)
        note_free(&old[i]);
    /* a stale delete conflicts too */
    assert_int_equal(model_note_delete(a, id, 2, &err), CCHC_ECONFLICT);
    note_free(&theirs);
    note_free(&na);
    note_free(&nb);
    model_close(a);
    model_close(b);
}

/* ---- permissions ---- */

/* A refused write: CCHC_EDENIED, the message, its Vietnamese (every
 * refusal has one, for the UI), nothing committed. */
#define REFUSED(m, call, needle)                                                                   \
    do {                                                                                           \
        uint64_t v0_ = model_version(m);                                                           \
        size_t a0_ = audit_count(m);                                                               \
        int rc_ = call;                                                                            \
        assert_int_equal(rc_, CCHC_EDENIED);                                                       \
        if (!strstr(err.msg, needle))                                                              \
            fail_msg("message '%s' does not say '%s'", err.msg, needle);                           \
        if (!err.msg_vi[0])                                                                        \
            fail_msg("no Vietnamese for '%s'", err.msg);                                           \
        assert_int_equal(model_version(m), v0_);                                                   \
        assert_int_equal(audit_count(m), a0_);                                                     \
    } while (0)

/* REFUSED, and the Vietnamese message is exactly vi. */
#define REFUSED_VI(m, call, needle, vi)                                                            \
    do {                                                                                           \
        REFUSED(m, call, needle);                                                                  \
        assert_string_equal(err.msg_vi, vi);                                                       \
    } while (0)

static void test_permissions(void **state)
{
    struct fx *f = *state;
    struct cchc_err err = {0};
    struct model *viewer = as(f, "phong", ROLE_VIEWER);
    struct model *outsider = as(f, "minh", ROLE_INSPECTOR);
    struct model *phong = as(f, "phong", ROLE_INSPECTOR);
    struct model *lan = as(f, "lan", ROLE_LEAD);
    struct model *hung = as(f, "hung", ROLE_LEAD);
    struct model *nobody = as(f, "khach", ROLE_NONE);
    struct note n = {.target = NT_VISIT, .target_id = f->id.v1, .text = "ghi chú"};

    REFUSED(viewer, model_note_add(viewer, &n, &err), "viewer phong may not add notes");
    REFUSED(outsider, model_note_add(outsider, &n, &err), "minh is not on the team of V1");
    REFUSED(nobody, model_note_add(nobody, &n, &err), "khach has no role");
    struct note nu = {.target = NT_UNIT, .target_id = f->id.d1, .text = "đơn vị"};
    REFUSED(viewer, model_note_add(viewer, &nu, &err), "viewer");
    add_note(outsider, NT_UNIT, f->id.d1, NULL, "đơn vị"); /* units: any inspector */

    uint64_t lans = add_note(lan, NT_VISIT, f->id.v1, NULL, "của Lan");
    uint64_t phongs = add_note(phong, NT_VISIT, f->id.v1, NULL, "của Phong");
    REFUSED(phong, model_note_edit(phong, lans, 1, "sửa", NULL, &err), "own notes");
    REFUSED(phong, model_note_delete(phong, lans, 1, &err), "own notes");
    REFUSED(viewer, model_note_edit(viewer, phongs, 1, "sửa", NULL, &err), "viewer");
    assert_int_equal(model_note_edit(phong, phongs, 1, "sửa", NULL, &err), CCHC_OK);
    assert_int_equal(model_note_edit(f->m, lans, 1, "admin sửa", NULL, &err), CCHC_OK);

    /* status: the team steps forward, the lead on the team concludes */
    struct visit v;
    assert_int_equal(model_visit(f->m, f->id.v1, &v, &err), CCHC_OK);
    REFUSED(outsider, model_visit_set_status(outsider, f->id.v1, v.m.rev, VS_IN_PROGRESS, &err),
            "not on the team");
    assert_int_equal(model_visit_set_status(phong, f->id.v1, v.m.rev, VS_IN_PROGRESS, &err),
                     CCHC_OK);
    assert_int_equal(model_visit_set_status(phong, f->id.v1, v.m.rev + 1, VS_DONE, &err), CCHC_OK);
    REFUSED(phong, model_visit_set_status(phong, f->id.v1, v.m.rev + 2, VS_CONCLUDED, &err),
            "inspector phong may not conclude visits");
    REFUSED(phong, model_visit_set_status(phong, f->id.v1, v.m.rev + 2, VS_IN_PROGRESS, &err),
            "inspector phong may not step a visit's status back");
    REFUSED(hung, model_visit_set_status(hung, f->id.v1, v.m.rev + 2, VS_CONCLUDED, &err),
            "hung is not on the team of V1");
    assert_int_equal(model_visit_set_status(lan, f->id.v1, v.m.rev + 2, VS_CONCLUDED, &err),
                     CCHC_OK);
    visit_free(&v);
    assert_int_equal(model_visit(f->m, f->id.v1, &v, &err), CCHC_OK);
    assert_int_equal(v.status, VS_CONCLUDED);
    assert_int_equal(v.concluded_on, date_today());
    assert_int_equal(v.started_on, date_today());
    assert_int_equal(v.done_on, date_today());
    /* a concluded visit's checklist is closed to the team */
    REFUSED(phong,
            model_check_set(phong, &f->cfg, f->id.v1, "CD.1", "dat", NULL, NULL, 0, NULL, &err),
            "concluded");
    /* stepping back clears the day; jumping is refused for everyone */
    assert_int_equal(model_visit_set_status(f->m, f->id.v1, v.m.rev, VS_PLANNED, &err),
                     CCHC_EUSAGE);
    assert_int_equal(model_visit_set_status(lan, f->id.v1, v.m.rev, VS_DONE, &err), CCHC_OK);
    visit_free(&v);
    assert_int_equal(model_visit(f->m, f->id.v1, &v, &err), CCHC_OK);
    assert_int_equal(v.status, VS_DONE);
    assert_int_equal(v.concluded_on, 0);
    /* a stale revision conflicts */
    assert_int_equal(model_visit_set_status(lan, f->id.v1, v.m.rev - 1, VS_CONCLUDED, &err),
                     CCHC_ECONFLICT);
    visit_free(&v);

    /* the plan is the admin's */
    assert_int_equal(model_may(f->m, PERM_PLAN_EDIT, NULL, NULL, &err), CCHC_OK);
    assert_int_equal(model_may(lan, PERM_PLAN_EDIT, NULL, NULL, &err), CCHC_EDENIED);
    assert_non_null(strstr(err.msg, "lead lan may not edit the plan"));
    /* items: lead or admin */
    assert_int_equal(model_may(lan, PERM_ITEM_EDIT, NULL, NULL, &err), CCHC_OK);
    assert_int_equal(model_may(phong, PERM_ITEM_EDIT, NULL, NULL, &err), CCHC_EDENIED);

    model_close(viewer);
    model_close(outsider);
    model_close(phong);
    model_close(lan);
    model_close(hung);
    model_close(nobody);
}

/* The account that created the database is its admin, whatever its role. */
static void test_creator_is_admin(void **state)
{
    struct fx *f = *state;
    struct cchc_err err = {0};
    struct model *maker = as(f, "thao", ROLE_VIEWER);
    assert_null(model_creator(maker));
    assert_int_equal(model_role(maker), ROLE_VIEWER);
    assert_int_equal(model_record_creator(maker, &err), CCHC_OK);
    assert_int_equal(model_role(maker), ROLE_ADMIN);
    model_close(maker);
    struct model *again = as(f, "thao", ROLE_VIEWER);
    assert_string_equal(model_creator(again), "thao");
    assert_int_equal(model_role(again), ROLE_ADMIN);
    add_note(again, NT_VISIT, f->id.v2, NULL, "người tạo");
    struct model *other = as(f, "tuan", ROLE_VIEWER);
    assert_int_equal(model_role(other), ROLE_VIEWER);
    model_close(again);
    model_close(other);
}

/* Each kind of refusal of model_may() in Vietnamese, for the UI: who, what
 * they may not do, on which visit, and who may. The English stays what
 * the command line prints. */
static void test_permissions_vi(void **state)
{
    struct fx *f = *state;
    struct cchc_err err = {0};
    struct model *viewer = as(f, "phong", ROLE_VIEWER);
    struct model *outsider = as(f, "minh", ROLE_INSPECTOR);
    struct model *phong = as(f, "phong", ROLE_INSPECTOR);
    struct model *lan = as(f, "lan", ROLE_LEAD);
    struct model *tuan = as(f, "tuan", ROLE_INSPECTOR);
    struct model *nobody = as(f, "khach", ROLE_NONE);
    struct note n = {.target = NT_VISIT, .target_id = f->id.v1, .text = "ghi chú"};

    REFUSED_VI(nobody, model_note_add(nobody, &n, &err), "khach has no role",
               "khach không có quyền trong cơ sở dữ liệu này: không được thêm ghi chú");
    REFUSED_VI(viewer, model_note_add(viewer, &n, &err), "viewer phong may not add notes",
               "phong (chỉ xem) không được thêm ghi chú");
    REFUSED_VI(outsider, model_note_add(outsider, &n, &err), "minh is not on the team of V1",
               "minh không có trong đoàn kiểm tra V1");
    uint64_t lans = add_note(lan, NT_VISIT, f->id.v1, NULL, "của Lan");
    char vi[256];
    snprintf(vi, sizeof vi, "phong chỉ được sửa ghi chú của mình (ghi chú %llu của lan)",
             (unsigned long long)lans);
    REFUSED_VI(phong, model_note_edit(phong, lans, 1, "sửa", NULL, &err), "own notes", vi);
    /* a refused delete has words of its own */
    struct note lans_note;
    assert_int_equal(model_note(f->m, lans, &lans_note, &err), CCHC_OK);
    snprintf(vi, sizeof vi, "phong chỉ được xoá ghi chú của mình (ghi chú %llu của lan)",
             (unsigned long long)lans);
    REFUSED_VI(phong, model_note_delete(phong, lans, 1, &err), "only delete their own notes", vi);
    REFUSED_VI(phong, model_may(phong, PERM_NOTE_DELETE, NULL, &lans_note, &err),
               "phong may only delete their own notes", vi);
    assert_int_equal(model_may(lan, PERM_NOTE_DELETE, NULL, &lans_note, &err), CCHC_OK);
    assert_string_equal(perm_action_verb(PERM_NOTE_DELETE), "delete notes");
    note_free(&lans_note);

    /* the lead's: concluding, stepping back, editing a recommendation */
    struct visit v;
    assert_int_equal(model_visit(f->m, f->id.v1, &v, &err), CCHC_OK);
    assert_int_equal(model_may(phong, PERM_VISIT_CONCLUDE, &v, NULL, &err), CCHC_EDENIED);
    assert_string_equal(err.msg,
                        "inspector phong may not conclude visits (a lead on the team may)");
    assert_string_equal(
        err.msg_vi, "phong (kiểm tra) không được kết luận đợt kiểm tra (chỉ trưởng đoàn mới được)");
    visit_free(&v);
    assert_int_equal(model_may(phong, PERM_VISIT_REOPEN, NULL, NULL, &err), CCHC_EDENIED);
    assert_string_equal(err.msg_vi, "phong (kiểm tra) không được lùi trạng thái đợt kiểm tra "
                                    "(chỉ trưởng đoàn mới được)");
    assert_int_equal(model_may(phong, PERM_REC_EDIT, NULL, NULL, &err), CCHC_EDENIED);
    assert_string_equal(err.msg_vi,
                        "phong (kiểm tra) không được sửa kiến nghị (chỉ trưởng đoàn mới được)");
    /* a lead, but of another visit's team */
    assert_int_equal(model_visit(f->m, f->id.v2, &v, &err), CCHC_OK);
    assert_int_equal(model_may(lan, PERM_VISIT_CONCLUDE, &v, NULL, &err), CCHC_EDENIED);
    assert_string_equal(err.msg_vi, "lan không có trong đoàn kiểm tra V2");
    visit_free(&v);
    /* items: lead or admin; the plan (and the results): admin */
    REFUSED_VI(phong, model_item_update(phong, f->id.item, 1, IS_IN_PROGRESS, "x", NULL, &err),
               "inspector phong may not update commitment items",
               "phong (kiểm tra) không được cập nhật mục cam kết "
               "(chỉ trưởng đoàn hoặc quản trị mới được)");
    assert_int_equal(model_may(lan, PERM_PLAN_EDIT, NULL, NULL, &err), CCHC_EDENIED);
    assert_string_equal(err.msg, "lead lan may not edit the plan (only an admin may)");
    assert_string_equal(err.msg_vi,
                        "lan (trưởng đoàn) không được sửa kế hoạch (chỉ quản trị mới được)");

    /* a concluded visit: closed to its own team */
    assert_int_equal(model_visit(f->m, f->id.v2, &v, &err), CCHC_OK);
    for (int s = VS_IN_PROGRESS; s <= VS_CONCLUDED; s++)
        assert_int_equal(model_visit_set_status(f->m, f->id.v2, v.m.rev + (uint32_t)(s - 1),
                                                (enum visit_status)s, &err),
                         CCHC_OK);
    visit_free(&v);
    REFUSED_VI(
        tuan, model_check_set(tuan, &f->cfg, f->id.v2, "CD.1", "dat", NULL, NULL, 0, NULL, &err),
        "V2 is concluded", "Đợt V2 đã kết luận: tuan (kiểm tra) không được ghi kết quả kiểm tra");
    struct recommendation r = {.visit = f->id.v2, .text = "Kiến nghị"};
    REFUSED_VI(tuan, model_rec_save(tuan, &r, NULL, &err), "V2 is concluded",
               "Đợt V2 đã kết luận: tuan (kiểm tra) không được thêm kiến nghị");
    /* without a code the visit is "this one" */
    struct visit nameless = {.status = VS_CONCLUDED};
    assert_int_equal(model_may(tuan, PERM_REC_ADD, &nameless, NULL, &err), CCHC_EDENIED);
    assert_string_equal(err.msg_vi,
                        "Đợt này đã kết luận: tuan (kiểm tra) không được thêm kiến nghị");
    nameless.status = VS_PLANNED;
    assert_int_equal(model_may(tuan, PERM_NOTE_ADD, &nameless, NULL, &err), CCHC_EDENIED);
    assert_string_equal(err.msg_vi, "tuan không có trong đoàn của đợt kiểm tra này");

    /* allowed after a refusal: err is not touched, and NULL err is fine */
    assert_int_equal(model_may(viewer, PERM_NOTE_ADD, NULL, NULL, NULL), CCHC_EDENIED);
    assert_int_equal(model_may(f->m, PERM_PLAN_EDIT, NULL, NULL, &err), CCHC_OK);

    model_close(viewer);
    model_close(outsider);
    model_close(phong);
    model_close(lan);
    model_close(tuan);
    model_close(nobody);
}

/* The other messages an inspector meets while recording, in Vietnamese:
 * empty and too long texts, conflicts, a status that jumps, a measure
 * that is not one. */
static void test_messages_vi(void **state)
{
    struct fx *f = *state;
    struct cchc_err err = {0};
    struct model *a = as(f, "lan", ROLE_LEAD);
    struct model *b = as(f, "lan", ROLE_LEAD);
    struct note n = {.target = NT_VISIT, .target_id = f->id.v1, .text = " \n "};
    assert_int_equal(model_note_add(a, &n, &err), CCHC_EUSAGE);
    assert_string_equal(err.msg, "the note is empty");
    assert_string_equal(err.msg_vi, "Ghi chú đang trống: chưa lưu");
    char *big = malloc(NOTE_MAX_BYTES + 2);
    memset(big, 'a', NOTE_MAX_BYTES + 1);
    big[NOTE_MAX_BYTES + 1] = '\0';
    n.text = big;
    assert_int_equal(model_note_add(a, &n, &err), CCHC_EUSAGE);
    assert_string_equal(err.msg_vi, "Ghi chú dài 16385 byte, quá giới hạn 16384 byte");
    struct recommendation r = {.visit = f->id.v1, .text = "\t"};
    assert_int_equal(model_rec_save(a, &r, NULL, &err), CCHC_EUSAGE);
    assert_string_equal(err.msg_vi, "Kiến nghị đang trống: chưa lưu");
    assert_int_equal(model_item_update(a, f->id.item, 1, IS_LATE, big, NULL, &err), CCHC_EUSAGE);
    assert_string_equal(err.msg_vi, "Ghi chú tiến độ dài 16385 byte, quá giới hạn 16384 byte");
    assert_int_equal(model_check_set(a, &f->cfg, f->id.v1, "CD.1", "dat", NULL, big, 0, NULL, &err),
                     CCHC_EUSAGE);
    assert_string_equal(err.msg_vi, "Nhận xét dài 16385 byte, quá giới hạn 16384 byte");
    free(big);

    /* conflicts: who saved it, and that nothing was overwritten */
    uint64_t id = add_note(a, NT_VISIT, f->id.v1, NULL, "bản gốc");
    assert_int_equal(model_note_edit(a, id, 1, "của A", NULL, &err), CCHC_OK);
    assert_int_equal(model_note_edit(b, id, 1, "của B", NULL, &err), CCHC_ECONFLICT);
    char want[128];
    snprintf(want, sizeof want, "Ghi chú %llu đã được lan sửa lúc ", (unsigned long long)id);
    if (strncmp(err.msg_vi, want, strlen(want)) != 0)
        fail_msg("conflict: '%s'", err.msg_vi);
    assert_non_null(strstr(err.msg_vi, "(bản 2); không có gì bị ghi đè"));
    assert_int_equal(model_item_update(a, f->id.item, 1, IS_LATE, NULL, NULL, &err), CCHC_OK);
    assert_int_equal(model_item_update(b, f->id.item, 1, IS_ACHIEVED, NULL, NULL, &err),
                     CCHC_ECONFLICT);
    snprintf(want, sizeof want, "Mục cam kết %llu đã được lan sửa lúc ",
             (unsigned long long)f->id.item);
    if (strncmp(err.msg_vi, want, strlen(want)) != 0)
        fail_msg("conflict: '%s'", err.msg_vi);
    struct visit v;
    assert_int_equal(model_visit(f->m, f->id.v1, &v, &err), CCHC_OK);
    assert_int_equal(model_visit_set_status(a, f->id.v1, v.m.rev, VS_IN_PROGRESS, &err), CCHC_OK);
    assert_int_equal(model_visit_set_status(b, f->id.v1, v.m.rev, VS_IN_PROGRESS, &err),
                     CCHC_ECONFLICT);
    snprintf(want, sizeof want, "Đợt kiểm tra %llu đã được lan sửa lúc ",
             (unsigned long long)f->id.v1);
    if (strncmp(err.msg_vi, want, strlen(want)) != 0)
        fail_msg("conflict: '%s'", err.msg_vi);
    /* a jump of two steps */
    assert_int_equal(model_visit_set_status(a, f->id.v1, v.m.rev + 1, VS_CONCLUDED, &err),
                     CCHC_EUSAGE);
    assert_string_equal(err.msg_vi, "Đợt V1 đang ở trạng thái “đang làm”: chỉ chuyển được từng "
                                    "bước, không sang “đã kết luận”");
    visit_free(&v);
    /* a checklist result recorded meanwhile */
    assert_int_equal(
        model_check_set(a, &f->cfg, f->id.v1, "CD.1", "dat", NULL, NULL, 0, NULL, &err), CCHC_OK);
    assert_int_equal(
        model_check_set(b, &f->cfg, f->id.v1, "CD.1", "dat", NULL, NULL, 0, NULL, &err),
        CCHC_ECONFLICT);
    assert_non_null(strstr(err.msg_vi, "Kết quả CD.1 của đợt V1 đã được lan ghi lúc "));
    /* measures */
    double neg = -2.5;
    assert_int_equal(model_check_set(a, &f->cfg, f->id.v1, "GQ.1", NULL, &neg, NULL, 0, NULL, &err),
                     CCHC_EUSAGE);
    assert_string_equal(err.msg_vi, "GQ.1: -2,5 không phải là một số đo");
    assert_int_equal(model_check_set(a, &f->cfg, f->id.v1, "GQ.1", NULL, NULL, NULL, 0, NULL, &err),
                     CCHC_EUSAGE);
    assert_string_equal(err.msg_vi, "GQ.1 là tiêu chí đo: nhập một số (đơn vị: %)");
    assert_int_equal(
        model_check_set(a, &f->cfg, f->id.v1, "NO.1", "dat", NULL, NULL, 0, NULL, &err),
        CCHC_EUSAGE);
    assert_string_equal(err.msg_vi, "Danh mục kiểm tra không có tiêu chí “NO.1”");
    model_close(a);
    model_close(b);
}

/* ---- checklist results ---- */

static void test_checks(void **state)
{
    struct fx *f = *state;
    struct model *phong = as(f, "phong", ROLE_INSPECTOR);
    struct cchc_err err = {0};
    struct check_result c, theirs = {0};
    bool found;
    double n97 = 97.5, n99 = 99, late = 2, zero = 0, nan_ = NAN, neg = -1;

    /* judged: a result code of the configuration */
    assert_int_equal(
        model_check_set(phong, &f->cfg, f->id.v1, "CD.1", "dat", NULL, "tốt", 0, NULL, &err),
        CCHC_OK);
    assert_int_equal(model_check_get(phong, f->id.v1, "CD.1", &c, &found, &err), CCHC_OK);
    assert_true(found);
    assert_string_equal(c.value, "dat");
    assert_true(c.pass);
    assert_false(c.na);
    assert_false(c.has_number);
    assert_string_equal(c.comment, "tốt");
    uint64_t id = c.m.id;
    uint32_t rev = c.m.rev;
    check_free(&c);
    assert_int_equal(
        model_check_set(phong, &f->cfg, f->id.v1, "CD.1", "gioi", NULL, NULL, rev, NULL, &err),
        CCHC_EUSAGE);
    assert_int_equal(
        model_check_set(phong, &f->cfg, f->id.v1, "CD.1", "dat", &n99, NULL, rev, NULL, &err),
        CCHC_EUSAGE);
    assert_int_equal(
        model_check_set(phong, &f->cfg, f->id.v1, "NO.1", "dat", NULL, NULL, 0, NULL, &err),
        CCHC_EUSAGE);
    /* one result per criterion: saving again replaces it */
    assert_int_equal(model_check_set(phong, &f->cfg, f->id.v1, "CD.1", "khong_ap_dung", NULL, NULL,
                                     rev, NULL, &err),
                     CCHC_OK);
    assert_int_equal(model_check_get(phong, f->id.v1, "CD.1", &c, &found, &err), CCHC_OK);
    assert_int_equal(c.m.id, id);
    assert_int_equal(c.m.rev, rev + 1);
    assert_true(c.na);
    check_free(&c);
    /* someone recorded it meanwhile: base 0 is stale */
    assert_int_equal(
        model_check_set(phong, &f->cfg, f->id.v1, "CD.1", "dat", NULL, NULL, 0, &theirs, &err),
        CCHC_ECONFLICT);
    assert_string_equal(theirs.value, "khong_ap_dung");
    check_free(&theirs);

    /* measured, min 98: the threshold decides */
    assert_int_equal(
        model_check_set(phong, &f->cfg, f->id.v1, "GQ.1", NULL, &n97, NULL, 0, NULL, &err),
        CCHC_OK);
    assert_int_equal(model_check_get(phong, f->id.v1, "GQ.1", &c, &found, &err), CCHC_OK);
    assert_true(c.has_number);
    assert_true(c.number == 97.5);
    assert_false(c.pass);
    assert_string_equal(c.value, "chua_dat");
    rev = c.m.rev;
    check_free(&c);
    assert_int_equal(
        model_check_set(phong, &f->cfg, f->id.v1, "GQ.1", NULL, &n99, NULL, rev, NULL, &err),
        CCHC_OK);
    assert_int_equal(model_check_get(phong, f->id.v1, "GQ.1", &c, &found, &err), CCHC_OK);
    assert_true(c.pass);
    assert_string_equal(c.value, "dat");
    check_free(&c);
    /* measured, max 0: two late files fail, none passes */
    assert_int_equal(
        model_check_set(phong, &f->cfg, f->id.v1, "GQ.2", NULL, &late, NULL, 0, NULL, &err),
        CCHC_OK);
    assert_int_equal(model_check_get(phong, f->id.v1, "GQ.2", &c, &found, &err), CCHC_OK);
    assert_false(c.pass);
    rev = c.m.rev;
    check_free(&c);
    assert_int_equal(
        model_check_set(phong, &f->cfg, f->id.v1, "GQ.2", NULL, &zero, NULL, rev, NULL, &err),
        CCHC_OK);
    assert_int_equal(model_check_get(phong, f->id.v1, "GQ.2", &c, &found, &err), CCHC_OK);
    assert_true(c.pass);
    check_free(&c);
    /* a measured criterion needs a number, a real one */
    assert_int_equal(
        model_check_set(phong, &f->cfg, f->id.v1, "GQ.1", "dat", NULL, NULL, 0, NULL, &err),
        CCHC_EUSAGE);
    assert_int_equal(
        model_check_set(phong, &f->cfg, f->id.v1, "GQ.1", NULL, &nan_, NULL, 0, NULL, &err),
        CCHC_EUSAGE);
    assert_int_equal(
        model_check_set(phong, &f->cfg, f->id.v1, "GQ.1", NULL, &neg, NULL, 0, NULL, &err),
        CCHC_EUSAGE);
    /* not recorded */
    assert_int_equal(model_check_get(phong, f->id.v1, "CD.2", &c, &found, &err), CCHC_OK);
    assert_false(found);
    /* outsiders may not */
    struct model *tuan = as(f, "tuan", ROLE_INSPECTOR);
    REFUSED(tuan,
            model_check_set(tuan, &f->cfg, f->id.v1, "CD.2", "dat", NULL, NULL, 0, NULL, &err),
            "tuan is not on the team of V1");
    char what[64], detail[256];
    last_audit(f->m, what, sizeof what, detail, sizeof detail);
    assert_string_equal(what, "check set");
    assert_non_null(strstr(detail, "GQ.2 = dat"));
    check_clean(f->m);
    model_close(tuan);
    model_close(phong);
}

/* ---- recommendations ---- */

/* Inside a model_write: a recommendation as an import writes it. */
static int import_rec_fn(struct mtx *tx, void *ctx, struct cchc_err *err)
{
    return mtx_import_rec(tx, ctx, err);
}

static void test_recommendations(void **state)
{
    struct fx *f = *state;
    struct model *phong = as(f, "phong", ROLE_INSPECTOR);
    struct model *lan = as(f, "lan", ROLE_LEAD);
    struct cchc_err err = {0};
    cchc_date today = date_today();
    struct recommendation r = {.visit = f->id.v1, .text = "Công khai TTHC", .deadline = today - 1};
    assert_int_equal(model_rec_save(phong, &r, NULL, &err), CCHC_OK);
    assert_true(r.m.id > 0);
    assert_int_equal(r.unit, f->id.d1); /* the visit's unit by default */
    assert_string_equal(r.author, "phong");
    assert_true(rec_overdue(&r, today));
    assert_false(rec_overdue(&r, today - 1));
    assert_string_equal(rec_status_name(r.status), "open");

    /* editing is the lead's */
    r.status = RS_DONE;
    REFUSED(phong, model_rec_save(phong, &r, NULL, &err), "inspector phong may not edit");
    struct recommendation stale = r;
    assert_int_equal(model_rec_save(lan, &r, NULL, &err), CCHC_OK);
    assert_int_equal(r.m.rev, 2);
    assert_int_equal(r.done_on, today);
    assert_false(rec_overdue(&r, today));
    struct recommendation got;
    assert_int_equal(model_rec(f->m, r.m.id, &got, &err), CCHC_OK);
    assert_int_equal(got.status, RS_DONE);
    assert_string_equal(got.author, "phong"); /* the author stays */
    rec_free(&got);
    /* a stale save conflicts and returns the current one */
    struct recommendation theirs = {0};
    stale.m.mby = NULL;
    stale.author = NULL;
    stale.status = RS_OPEN;
    assert_int_equal(model_rec_save(lan, &stale, &theirs, &err), CCHC_ECONFLICT);
    assert_int_equal(theirs.m.rev, 2);
    assert_int_equal(theirs.status, RS_DONE);
    rec_free(&theirs);
    /* a deadline is needed, and not before the visit's start (V1: day 19300);
     * a refusal writes nothing */
    struct recommendation r2 = {.visit = f->id.v1, .unit = f->id.p, .text = "Báo cáo"};
    uint64_t v0 = model_version(lan);
    size_t a0 = audit_count(lan);
    assert_int_equal(model_rec_save(lan, &r2, NULL, &err), CCHC_EUSAGE);
    assert_string_equal(err.msg, "a recommendation needs a deadline");
    assert_string_equal(err.msg_vi, "Kiến nghị cần có thời hạn");
    char before[11], start[11], want[160];
    r2.deadline = 19299;
    assert_int_equal(model_rec_save(lan, &r2, NULL, &err), CCHC_EUSAGE);
    snprintf(want, sizeof want, "the deadline %s is before V1 starts (%s)", date_dmy(19299, before),
             date_dmy(19300, start));
    assert_string_equal(err.msg, want);
    snprintf(want, sizeof want, "Thời hạn %s trước ngày bắt đầu đợt V1 (%s)", before, start);
    assert_string_equal(err.msg_vi, want);
    assert_int_equal(model_version(lan), v0);
    assert_int_equal(audit_count(lan), a0);
    r2.deadline = 19300; /* the first day is fine */
    assert_int_equal(model_rec_save(lan, &r2, NULL, &err), CCHC_OK);
    /* an edit that moves the deadline before the start is refused too */
    r2.deadline = 19000;
    assert_int_equal(model_rec_save(lan, &r2, NULL, &err), CCHC_EUSAGE);
    r2.deadline = 19300;
    /* a record from before the rule (imported, no deadline) may still be
     * edited, and is never overdue; giving it a deadline follows the rule */
    struct recommendation old = {.visit = f->id.v1,
                                 .unit = f->id.p,
                                 .text = "Báo cáo cũ",
                                 .author = xstrdup("hung"),
                                 .created = 1};
    assert_int_equal(model_write(f->m, "import", NULL, import_rec_fn, &old, &err), CCHC_OK);
    old.status = RS_DONE;
    assert_int_equal(model_rec_save(lan, &old, NULL, &err), CCHC_OK);
    old.status = RS_OPEN;
    assert_int_equal(model_rec_save(lan, &old, NULL, &err), CCHC_OK);
    assert_false(rec_overdue(&old, today + 1000));
    old.deadline = 19299;
    assert_int_equal(model_rec_save(lan, &old, NULL, &err), CCHC_EUSAGE);
    uint64_t ids[4];
    size_t n, count;
    assert_int_equal(model_visit_recs(f->m, f->id.v1, 0, 4, ids, &n, &count, &err), CCHC_OK);
    assert_int_equal(count, 3);
    assert_int_equal(ids[0], r.m.id);
    assert_int_equal(ids[1], r2.m.id);
    assert_int_equal(ids[2], old.m.id);
    struct recommendation got_old;
    assert_int_equal(model_rec(f->m, old.m.id, &got_old, &err), CCHC_OK);
    assert_int_equal(got_old.deadline, 0);
    assert_int_equal(got_old.status, RS_OPEN);
    rec_free(&got_old);
    /* empty text refused */
    struct recommendation r3 = {.visit = f->id.v1, .text = ""};
    assert_int_equal(model_rec_save(lan, &r3, NULL, &err), CCHC_EUSAGE);
    check_clean(f->m);
    free(r.m.mby), free(r.author), free(r2.m.mby), free(r2.author);
    free(old.m.mby), free(old.author);
    model_close(phong);
    model_close(lan);
}

/* ---- conflicts: what differs, and merging field by field ---- */

static void test_check_merge(void **state)
{
    (void)state;
    unsigned taken = 99;
    /* theirs changed the result, mine only the comment: both kept */
    struct check_result base = {.value = "dat", .comment = "a"},
                        mine = {.value = xstrdup("dat"), .comment = xstrdup("b")},
                        theirs = {.value = "chua_dat", .comment = "a"};
    assert_int_equal(check_differs(&base, &theirs), CHKF_VALUE);
    assert_int_equal(check_merge(&base, &mine, &theirs, &taken), 0);
    assert_int_equal(taken, CHKF_VALUE);
    assert_string_equal(mine.value, "chua_dat");
    assert_string_equal(mine.comment, "b");
    /* both changed the result, each their own way: mine stays, to be chosen */
    struct check_result none = {0};
    free(mine.value);
    mine.value = xstrdup("dat");
    assert_int_equal(check_merge(&none, &mine, &theirs, &taken), CHKF_VALUE | CHKF_COMMENT);
    assert_int_equal(taken, 0);
    assert_string_equal(mine.value, "dat");
    assert_string_equal(mine.comment, "b");
    /* the same change on both sides is no conflict */
    free(mine.value);
    mine.value = xstrdup("chua_dat");
    assert_int_equal(check_merge(&base, &mine, &theirs, &taken), 0);
    assert_int_equal(taken, 0);
    /* NULL and "" are the same comment */
    struct check_result e1 = {.value = "dat", .comment = ""}, e2 = {.value = "dat"};
    assert_int_equal(check_differs(&e1, &e2), 0);
    /* measured: the number is the value, whatever code it was stored as */
    struct check_result mb = {.value = "chua_dat", .has_number = true, .number = 97},
                        mm = {.has_number = true, .number = 97, .comment = xstrdup("x")},
                        mt = {.value = "dat", .has_number = true, .number = 99};
    assert_int_equal(check_differs(&mb, &mm), CHKF_COMMENT);
    assert_int_equal(check_merge(&mb, &mm, &mt, &taken), 0);
    assert_int_equal(taken, CHKF_VALUE);
    assert_true(mm.has_number);
    assert_true(mm.number == 99);
    assert_string_equal(mm.comment, "x");
    /* a number against a judged value differs */
    assert_int_equal(check_differs(&mt, &theirs), CHKF_VALUE | CHKF_COMMENT);
    free(mine.value), free(mine.comment), free(mm.value), free(mm.comment);
}

static void test_rec_merge(void **state)
{
    (void)state;
    unsigned taken = 99;
    /* the audit's case: mine edited the text, theirs closed it: both kept */
    struct recommendation base = {.text = "Cập nhật sổ", .unit = 5, .deadline = 19400},
                          mine = {.text = xstrdup("Cập nhật sổ theo dõi"),
                                  .unit = 5,
                                  .deadline = 19400},
                          theirs = {.text = "Cập nhật sổ",
                                    .unit = 5,
                                    .deadline = 19400,
                                    .status = RS_DONE,
                                    .done_on = 19390};
    assert_int_equal(rec_differs(&mine, &theirs), RECF_TEXT | RECF_STATUS);
    assert_int_equal(rec_merge(&base, &mine, &theirs, &taken), 0);
    assert_int_equal(taken, RECF_STATUS);
    assert_int_equal(mine.status, RS_DONE);
    assert_int_equal(mine.done_on, 19390);
    assert_string_equal(mine.text, "Cập nhật sổ theo dõi");
    /* both moved the deadline: a conflict; theirs' unit taken */
    struct recommendation m2 = {.text = xstrdup("Cập nhật sổ"), .unit = 5, .deadline = 19500},
                          t2 = {.text = "Cập nhật sổ", .unit = 7, .deadline = 19450};
    assert_int_equal(rec_merge(&base, &m2, &t2, &taken), RECF_DEADLINE);
    assert_int_equal(taken, RECF_UNIT);
    assert_int_equal(m2.unit, 7);
    assert_int_equal(m2.deadline, 19500);
    /* theirs changed the text mine left alone */
    struct recommendation t3 = {.text = "Khác", .unit = 5, .deadline = 19400};
    assert_int_equal(rec_merge(&base, &m2, &t3, &taken), 0);
    assert_int_equal(taken, RECF_TEXT); /* mine's unit and deadline stay */
    assert_string_equal(m2.text, "Khác");
    assert_int_equal(m2.unit, 7);
    free(mine.text), free(m2.text);
}

/* ---- commitment items ---- */

static void test_items(void **state)
{
    struct fx *f = *state;
    struct model *phong = as(f, "phong", ROLE_INSPECTOR);
    struct model *lan = as(f, "lan", ROLE_LEAD);
    struct cchc_err err = {0};
    struct commitment_item it, theirs = {0};
    REFUSED(phong, model_item_update(phong, f->id.item, 1, IS_IN_PROGRESS, "x", NULL, &err),
            "inspector phong may not update commitment items");
    assert_int_equal(
        model_item_update(lan, f->id.item, 1, IS_IN_PROGRESS, "đã làm 50%", NULL, &err), CCHC_OK);
    assert_int_equal(model_item(f->m, f->id.item, &it, &err), CCHC_OK);
    assert_int_equal(it.status, IS_IN_PROGRESS);
    assert_string_equal(it.progress, "đã làm 50%");
    assert_int_equal(it.m.rev, 2);
    item_free(&it);
    assert_int_equal(model_item_update(lan, f->id.item, 1, IS_ACHIEVED, NULL, &theirs, &err),
                     CCHC_ECONFLICT);
    assert_int_equal(theirs.m.rev, 2);
    item_free(&theirs);
    /* NULL progress keeps it */
    assert_int_equal(model_item_update(lan, f->id.item, 2, IS_ACHIEVED, NULL, NULL, &err), CCHC_OK);
    assert_int_equal(model_item(f->m, f->id.item, &it, &err), CCHC_OK);
    assert_int_equal(it.status, IS_ACHIEVED);
    assert_string_equal(it.progress, "đã làm 50%");
    item_free(&it);
    model_close(phong);
    model_close(lan);
}

/* ---- drafts ---- */

static void test_drafts(void **state)
{
    struct fx *f = *state;
    struct model *phong = as(f, "phong", ROLE_INSPECTOR);
    struct model *lan = as(f, "lan", ROLE_LEAD);
    struct cchc_err err = {0};
    struct draft d, all[4];
    bool found;
    size_t n, audits = audit_count(f->m);

    assert_int_equal(
        model_draft_save(phong, "note:new:visit:1", "Ghi chú mới", "đang gõ " NFD_THANH, 0, &err),
        CCHC_OK);
    assert_int_equal(model_draft_save(phong, "note:7", "Ghi chú 7", "sửa", 3, &err), CCHC_OK);
    assert_int_equal(model_draft_save(lan, "note:new:visit:1", "Của Lan", "lan gõ", 0, &err),
                     CCHC_OK);
    assert_int_equal(audit_count(f->m), audits); /* drafts are not actions */

    assert_int_equal(model_draft_get(phong, "note:new:visit:1", &d, &found, &err), CCHC_OK);
    assert_true(found);
    assert_string_equal(d.text, "đang gõ " NFC_THANH);
    assert_string_equal(d.login, "phong");
    assert_string_equal(d.label, "Ghi chú mới");
    assert_true(d.saved > 0);
    draft_free(&d);
    assert_int_equal(model_draft_get(lan, "note:new:visit:1", &d, &found, &err), CCHC_OK);
    assert_string_equal(d.text, "lan gõ"); /* each login its own */
    draft_free(&d);
    assert_int_equal(model_draft_get(lan, "note:7", &d, &found, &err), CCHC_OK);
    assert_false(found);

    /* saving again replaces */
    assert_int_equal(model_draft_save(phong, "note:7", "Ghi chú 7", "sửa thêm", 3, &err), CCHC_OK);
    assert_int_equal(model_drafts(phong, all, 4, &n, &err), CCHC_OK);
    assert_int_equal(n, 2);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(all[i].login, "phong");
        if (strcmp(all[i].key, "note:7") == 0) {
            assert_string_equal(all[i].text, "sửa thêm");
            assert_int_equal(all[i].base_rev, 3);
        }
        draft_free(&all[i]);
    }
    assert_int_equal(model_draft_delete(phong, "note:7", &err), CCHC_OK);
    assert_int_equal(model_draft_get(phong, "note:7", &d, &found, &err), CCHC_OK);
    assert_false(found);
    assert_int_equal(model_drafts(lan, all, 4, &n, &err), CCHC_OK);
    assert_int_equal(n, 1);
    draft_free(&all[0]);
    assert_int_equal(model_draft_save(phong, "", "x", "y", 0, &err), CCHC_EUSAGE);
    /* a login that is a prefix of another sees only its own */
    struct model *pho = as(f, "pho", ROLE_INSPECTOR);
    assert_int_equal(model_drafts(pho, all, 4, &n, &err), CCHC_OK);
    assert_int_equal(n, 0);
    check_clean(f->m);
    model_close(pho);
    model_close(phong);
    model_close(lan);
}

/* Two sessions of one login typing at one place (an SSH reconnect while the
 * old session hangs): each editor's draft has a key of its own, neither
 * overwrites the other, both are listed; a draft under the bare place (an
 * older database) is still found and listed; a place that merely starts
 * the same ("note:new:visit:10") is another place. */
static void test_draft_sessions(void **state)
{
    struct fx *f = *state;
    struct model *old = as(f, "phong", ROLE_INSPECTOR);
    struct model *now = as(f, "phong", ROLE_INSPECTOR);
    struct model *lan = as(f, "lan", ROLE_LEAD);
    struct cchc_err err = {0};
    struct draft d, all[8];
    bool found = true;
    size_t n;
    const char *place = "note:new:visit:1";

    char *k1 = draft_session_key(place), *k2 = draft_session_key(place);
    char *k10 = draft_session_key("note:new:visit:10");
    assert_string_not_equal(k1, k2);
    assert_int_equal(strncmp(k1, "note:new:visit:1#", 17), 0);
    assert_int_equal(draft_place_len(k1), strlen(place));
    assert_int_equal(draft_place_len(k10), strlen("note:new:visit:10"));
    assert_int_equal(draft_place_len(place), strlen(place));
    /* a '#' of the place itself is no mark */
    assert_int_equal(draft_place_len("note:new:crit:1:A#1"), strlen("note:new:crit:1:A#1"));
    assert_int_equal(draft_place_len("note:1#12.34"), strlen("note:1#12.34"));
    assert_int_equal(draft_place_len("note:1#1.2.x"), strlen("note:1#1.2.x"));
    assert_int_equal(draft_place_len("note:1#1.2.3"), strlen("note:1"));

    assert_int_equal(model_draft_find(now, place, &d, &found, &err), CCHC_OK);
    assert_false(found);
    assert_int_equal(model_draft_save(old, k1, "Ghi chú mới", "của phiên cũ", 0, &err), CCHC_OK);
    assert_int_equal(model_draft_save(now, k2, "Ghi chú mới", "của phiên mới", 0, &err), CCHC_OK);
    assert_int_equal(model_draft_save(now, k10, "Ghi chú khác", "đợt 10", 0, &err), CCHC_OK);
    /* both sessions' texts are kept and offered */
    assert_int_equal(model_drafts(now, all, 8, &n, &err), CCHC_OK);
    assert_int_equal(n, 3);
    bool saw_old = false, saw_new = false;
    for (size_t i = 0; i < n; i++) {
        saw_old |= strcmp(all[i].key, k1) == 0 && strcmp(all[i].text, "của phiên cũ") == 0;
        saw_new |= strcmp(all[i].key, k2) == 0 && strcmp(all[i].text, "của phiên mới") == 0;
        draft_free(&all[i]);
    }
    assert_true(saw_old);
    assert_true(saw_new);
    /* the place's newest, of either session; never visit 10's */
    assert_int_equal(model_draft_find(old, place, &d, &found, &err), CCHC_OK);
    assert_true(found);
    assert_int_equal(draft_place_len(d.key), strlen(place));
    assert_true(strcmp(d.key, k1) == 0 || strcmp(d.key, k2) == 0);
    draft_free(&d);
    assert_int_equal(model_draft_find(lan, place, &d, &found, &err), CCHC_OK);
    assert_false(found); /* another login's are not this one's */
    /* the stored keys pass the database check */
    check_clean(f->m);

    /* the new session saved its note: the old session's draft stays */
    assert_int_equal(model_draft_delete(now, k2, &err), CCHC_OK);
    assert_int_equal(model_draft_find(now, place, &d, &found, &err), CCHC_OK);
    assert_true(found);
    assert_string_equal(d.key, k1);
    assert_string_equal(d.text, "của phiên cũ");
    draft_free(&d);

    /* a draft written before the marks, under the bare place */
    assert_int_equal(model_draft_delete(now, k1, &err), CCHC_OK);
    assert_int_equal(model_draft_save(old, place, "Ghi chú mới", "bản cũ", 0, &err), CCHC_OK);
    assert_int_equal(model_draft_find(now, place, &d, &found, &err), CCHC_OK);
    assert_true(found);
    assert_string_equal(d.key, place);
    assert_string_equal(d.text, "bản cũ");
    draft_free(&d);
    assert_int_equal(model_drafts(now, all, 8, &n, &err), CCHC_OK);
    assert_int_equal(n, 2);
    for (size_t i = 0; i < n; i++)
        draft_free(&all[i]);
    assert_int_equal(model_draft_delete(now, place, &err), CCHC_OK);
    assert_int_equal(model_draft_find(now, place, &d, &found, &err), CCHC_OK);
    assert_false(found); /* visit 10's draft is not this place's */
    assert_int_equal(model_draft_find(now, "", &d, &found, &err), CCHC_EUSAGE);
    free(k1);
    free(k2);
    free(k10);
    model_close(old);
    model_close(now);
    model_close(lan);
}

/* ---- import (exchange.c) ---- */

static int import_fn(struct mtx *tx, void *ctx, struct cchc_err *err)
{
    struct fx *f = ctx;
    struct note hist[2] = {
        {.author = "lan", .created = 1000, .text = "một"},
        {.author = "lan", .created = 1000, .edited = 2000, .text = "hai"},
    };
    struct note n = {.target = NT_CRITERION,
                     .target_id = f->id.v1,
                     .criterion = "CD.1",
                     .author = "lan",
                     .created = 1000,
                     .edited = 3000,
                     .text = "ba",
                     .deleted = true};
    int rc = mtx_import_note(tx, &n, hist, 2, err);
    free(n.m.mby);
    struct check_result c = {.visit = f->id.v1, .criterion = "CD.1", .value = "dat", .pass = true};
    if (!rc)
        rc = mtx_import_check(tx, &c, err);
    free(c.m.mby);
    c.m.mby = NULL;
    if (!rc && mtx_import_check(tx, &c, err) != CCHC_EUSAGE) /* a second result: refused */
        rc = CCHC_ERUNTIME;
    free(c.m.mby);
    struct recommendation r = {.visit = f->id.v1,
                               .unit = f->id.d1,
                               .text = "kiến nghị",
                               .status = RS_DONE,
                               .done_on = 19400,
                               .author = "lan",
                               .created = 1000};
    if (!rc)
        rc = mtx_import_rec(tx, &r, err);
    free(r.m.mby);
    return rc;
}

static void test_import_records(void **state)
{
    struct fx *f = *state;
    struct cchc_err err = {0};
    if (model_write(f->m, "import", NULL, import_fn, f, &err) != CCHC_OK)
        fail_msg("import: %s", err.msg);
    uint64_t ids[4];
    size_t got, count;
    assert_int_equal(
        model_notes(f->m, NT_CRITERION, f->id.v1, "CD.1", true, 0, 4, ids, &got, &count, &err),
        CCHC_OK);
    assert_int_equal(count, 1);
    struct note n, old[4];
    size_t nold;
    assert_int_equal(model_note(f->m, ids[0], &n, &err), CCHC_OK);
    assert_int_equal(n.m.rev, 3);
    assert_true(n.deleted);
    assert_string_equal(n.text, "ba");
    assert_string_equal(n.author, "lan");
    assert_int_equal(n.created, 1000);
    assert_int_equal(model_note_history(f->m, n.m.id, old, 4, &nold, &err), CCHC_OK);
    assert_int_equal(nold, 2);
    assert_string_equal(old[0].text, "hai");
    assert_int_equal(old[0].m.rev, 2);
    assert_string_equal(old[1].text, "một");
    for (size_t i = 0; i < nold; i++)
        note_free(&old[i]);
    note_free(&n);
    struct check_result c;
    bool found;
    assert_int_equal(model_check_get(f->m, f->id.v1, "CD.1", &c, &found, &err), CCHC_OK);
    assert_true(found && c.pass);
    check_free(&c);
    assert_int_equal(model_visit_recs(f->m, f->id.v1, 0, 4, ids, &got, &count, &err), CCHC_OK);
    assert_int_equal(count, 1);
    check_clean(f->m);
}

/* ---- schema 1 to 2 ---- */

/* Make f's database look like part 1 left it: schema 1, no recording tables. */
static void make_schema1(const char *dir)
{
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi dbi;
    assert_int_equal(mdb_env_create(&env), 0);
    assert_int_equal(mdb_env_set_maxdbs(env, 64), 0);
    assert_int_equal(mdb_env_open(env, dir, 0, 0660), 0);
    assert_int_equal(mdb_txn_begin(env, NULL, 0, &txn), 0);
    static const char *const added[] = {
        "notes",           "note_history",   "checks",          "recs",          "drafts",
        "ix_target_notes", "ix_visit_notes", "ix_visit_checks", "ix_visit_recs", "ix_unit_recs"};
    for (size_t i = 0; i < sizeof added / sizeof *added; i++) {
        assert_int_equal(mdb_dbi_open(txn, added[i], 0, &dbi), 0);
        assert_int_equal(mdb_drop(txn, dbi, 1), 0);
    }
    assert_int_equal(mdb_dbi_open(txn, "meta", 0, &dbi), 0);
    unsigned char one[4] = {0, 0, 0, 1};
    MDB_val k = {6, "schema"}, v = {4, one};
    assert_int_equal(mdb_put(txn, dbi, &k, &v, 0), 0);
    assert_int_equal(mdb_txn_commit(txn), 0);
    mdb_env_close(env);
}

static void test_migration_from_schema1(void **state)
{
    struct fx *f = *state;
    struct cchc_err err = {0};
    model_close(f->m);
    f->m = NULL;
    make_schema1(f->tmp);

    struct model *m = NULL;
    /* read-only by choice in a folder it may write: the open upgrades */
    assert_int_equal(model_open(&m, f->tmp, STORE_RDONLY, "root", &err), CCHC_OK);
    model_close(m);
    assert_int_equal(model_open(&f->m, f->tmp, 0, "root", &err), CCHC_OK);
    model_set_role(f->m, ROLE_ADMIN);
    struct store_info info;
    assert_int_equal(model_store_info(f->m, &info, &err), CCHC_OK);
    assert_int_equal(info.schema, STORE_SCHEMA_VERSION);
    struct visit v;
    assert_int_equal(model_visit(f->m, f->id.v1, &v, &err), CCHC_OK);
    assert_string_equal(v.code, "V1");
    assert_int_equal(v.started_on, 0);
    assert_int_equal(v.n_team, 2);
    visit_free(&v);
    add_note(f->m, NT_VISIT, f->id.v1, NULL, "sau nâng cấp");
    check_clean(f->m);

    /* a database stamped 1 that already has recording records is not adopted */
    model_close(f->m);
    f->m = NULL;
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi dbi;
    assert_int_equal(mdb_env_create(&env), 0);
    assert_int_equal(mdb_env_set_maxdbs(env, 64), 0);
    assert_int_equal(mdb_env_open(env, f->tmp, 0, 0660), 0);
    assert_int_equal(mdb_txn_begin(env, NULL, 0, &txn), 0);
    assert_int_equal(mdb_dbi_open(txn, "meta", 0, &dbi), 0);
    unsigned char one[4] = {0, 0, 0, 1};
    MDB_val k = {6, "schema"}, val = {4, one};
    assert_int_equal(mdb_put(txn, dbi, &k, &val, 0), 0);
    assert_int_equal(mdb_txn_commit(txn), 0);
    mdb_env_close(env);
    assert_int_equal(model_open(&f->m, f->tmp, 0, "root", &err), CCHC_ERUNTIME);
    assert_non_null(strstr(err.msg, "not empty"));
    f->m = NULL;
    /* teardown closes NULL happily */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip_records),
        cmocka_unit_test_setup_teardown(test_note_record_damage, setup, teardown),
        cmocka_unit_test_setup_teardown(test_note_lifecycle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_note_windows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_note_limits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_note_conflict, setup, teardown),
        cmocka_unit_test_setup_teardown(test_permissions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_creator_is_admin, setup, teardown),
        cmocka_unit_test_setup_teardown(test_permissions_vi, setup, teardown),
        cmocka_unit_test_setup_teardown(test_messages_vi, setup, teardown),
        cmocka_unit_test_setup_teardown(test_checks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_recommendations, setup, teardown),
        cmocka_unit_test(test_check_merge),
        cmocka_unit_test(test_rec_merge),
        cmocka_unit_test_setup_teardown(test_items, setup, teardown),
        cmocka_unit_test_setup_teardown(test_drafts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_draft_sessions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_records, setup, teardown),
        cmocka_unit_test_setup_teardown(test_migration_from_schema1, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
