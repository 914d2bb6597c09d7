/* test_search.c — unit tests of the word index and the search (search.h):
 * accented, unaccented, upper-case and NFD queries over units, notes,
 * recommendations, items and visits; edits and deletions keeping the index
 * in step; the upgrade from schema 2 building it; model_check finding an
 * index that disagrees with the records; bad and odd queries. Each test
 * works in its own temporary database. */
#include "testraw.h"
#include "testutil.h"

#include <lmdb.h>

#include "cchc/model.h"
#include "cchc/recording.h"
#include "cchc/search.h"
#include "cchc/store.h"

/* "Thành" with the grave as a combining mark (NFD) */
#define NFD_THANH "Tha\xcc\x80nh"

struct ids {
    uint64_t p, d1, d2, v1, v2, v3, com, item;
};

struct fx {
    char *tmp;
    struct model *m;
    struct ids id;
};

static struct team_member team[] = {
    {.login = "root", .name = "Quản trị", .role = TEAM_LEAD},
};

static int fixture_fn(struct mtx *tx, void *ctx, struct cchc_err *err)
{
    struct ids *id = ctx;
    struct unit p = {.code = "P", .name = "Tỉnh Bến Tre", .kind = UK_PROVINCE};
    struct unit d1 = {
        .code = "CL", .name = "UBND huyện Chợ Lách", .short_name = "Chợ Lách", .kind = UK_DISTRICT};
    struct unit d2 = {.code = "STP", .name = "Sở Tư pháp", .kind = UK_DEPARTMENT};
    int rc = mtx_put_unit(tx, &p, err);
    d1.parent = d2.parent = p.m.id;
    if (!rc)
        rc = mtx_put_unit(tx, &d1, err);
    if (!rc)
        rc = mtx_put_unit(tx, &d2, err);
    struct visit v1 = {.code = "KT-2022-03",
                       .unit = d1.m.id,
                       .year = 2022,
                       .start = 19100,
                       .plan = "KH-KT-2022",
                       .team = team,
                       .n_team = 1};
    struct visit v2 = {.code = "KT-2023-01",
                       .unit = d1.m.id,
                       .year = 2023,
                       .start = 19400,
                       .team = team,
                       .n_team = 1};
    struct visit v3 = {.code = "KT-2022-07",
                       .unit = d2.m.id,
                       .year = 2022,
                       .start = 19200,
                       .team = team,
                       .n_team = 1};
    if (!rc)
        rc = mtx_put_visit(tx, &v1, err);
    if (!rc)
        rc = mtx_put_visit(tx, &v2, err);
    if (!rc)
        rc = mtx_put_visit(tx, &v3, err);
    struct commitment c = {.code = "CK-CL-2022", .title = "Cam kết cải cách", .unit = d1.m.id};
    if (!rc)
        rc = mtx_put_commitment(tx, &c, err);
    struct commitment_item it = {.seq = 3,
                                 .component = "PARINDEX.7",
                                 .text = "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
                                 .target = "100%"};
    it.commitment = c.m.id;
    if (!rc)
        rc = mtx_put_item(tx, &it, err);
    *id = (struct ids){p.m.id, d1.m.id, d2.m.id, v1.m.id, v2.m.id, v3.m.id, c.m.id, it.m.id};
    free(p.m.mby), free(d1.m.mby), free(d2.m.mby), free(v1.m.mby), free(v2.m.mby);
    free(v3.m.mby), free(c.m.mby), free(it.m.mby);
    return rc;
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    struct cchc_err err = {0};
    f->tmp = tu_tmpdir();
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
    tu_rmrf(f->tmp);
    free(f->tmp);
    free(f);
    return 0;
}

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

static void check_clean(struct model *m)
{
    struct cchc_err err = {0};
    struct lines l = {0};
    int n = model_check(m, collect, &l, &err);
    if (n != 0)
        fail_msg("model_check: %d problems:\n%s", n, sb_str(&l.sb));
    sb_free(&l.sb);
}

static uint64_t add_note(struct model *m, enum note_target t, uint64_t target, const char *text)
{
    struct note n = {.target = t, .target_id = target, .text = (char *)text};
    struct cchc_err err = {0};
    if (model_note_add(m, &n, &err) != CCHC_OK)
        fail_msg("model_note_add: %s", err.msg);
    free(n.m.mby);
    free(n.author);
    return n.m.id;
}

static uint64_t add_rec(struct model *m, uint64_t visit, const char *text)
{
    struct recommendation r = {.visit = visit, .text = (char *)text, .deadline = 19500};
    struct cchc_err err = {0};
    if (model_rec_save(m, &r, NULL, &err) != CCHC_OK)
        fail_msg("model_rec_save: %s", err.msg);
    free(r.m.mby);
    free(r.author);
    return r.m.id;
}

/* Run query restricted to kinds (0 = all); the references found, as
 * "kind:id" joined by spaces. */
static const char *found(struct model *m, const char *query, unsigned kinds)
{
    static char buf[1024];
    struct search_opts o = {.kinds = kinds};
    struct search_result *r = NULL;
    struct cchc_err err = {0};
    if (search_run(m, query, &o, &r, &err) != CCHC_OK)
        fail_msg("search_run %s: %s", query, err.msg);
    buf[0] = '\0';
    for (size_t i = 0; i < search_count(r); i++) {
        enum search_kind k;
        uint64_t id;
        assert_true(search_ref(r, i, &k, &id));
        size_t len = strlen(buf);
        snprintf(buf + len, sizeof buf - len, "%s%s:%llu", len ? " " : "", search_kind_name(k),
                 (unsigned long long)id);
    }
    search_result_free(r);
    return buf;
}

static const char *ref(const char *kind, uint64_t id)
{
    static char buf[8][64];
    static int next;
    char *p = buf[next++ % 8];
    snprintf(p, 64, "%s:%llu", kind, (unsigned long long)id);
    return p;
}

/* ---- finding ---- */

static void test_units_any_spelling(void **state)
{
    struct fx *f = *state;
    const char *cl = ref("unit", f->id.d1);
    const unsigned units = SEARCH_KIND_BIT(SK_UNIT);
    assert_string_equal(found(f->m, "Chợ Lách", units), cl);
    assert_string_equal(found(f->m, "cho lach", units), cl);
    assert_string_equal(found(f->m, "CHO LACH", units), cl);
    assert_string_equal(found(f->m, "CHỢ LÁCH", units), cl);
    /* NFD: o + horn + dot below, a + acute, as combining marks */
    assert_string_equal(found(f->m,
                              "Cho\xcc\x9b\xcc\xa3 La\xcc\x81"
                              "ch",
                              units),
                        cl);
    /* any order, and prefixes */
    assert_string_equal(found(f->m, "lach cho", units), cl);
    assert_string_equal(found(f->m, "ch la", units), cl);
    /* đ folds to d: "Tư pháp" has none, but a code does */
    assert_string_equal(found(f->m, "stp", units), ref("unit", f->id.d2));
    assert_string_equal(found(f->m, "tu phap", units), ref("unit", f->id.d2));
    /* every word must match */
    assert_string_equal(found(f->m, "cho lach phap", units), "");
    /* a word inside another is not a prefix of it */
    assert_string_equal(found(f->m, "ach", units), "");
}

static void test_notes_recs_items(void **state)
{
    struct fx *f = *state;
    uint64_t n1 = add_note(f->m, NT_VISIT, f->id.v1,
                           "Bộ phận một cửa chưa niêm yết đầy đủ thủ tục hành chính");
    uint64_t n2 = add_note(f->m, NT_UNIT, f->id.d2, "Đơn vị đã số hóa " NFD_THANH " công");
    uint64_t r1 = add_rec(f->m, f->id.v1, "Đề nghị niêm yết công khai ĐẦY ĐỦ thủ tục");
    const unsigned notes = SEARCH_KIND_BIT(SK_NOTE);

    assert_string_equal(found(f->m, "niem yet", notes), ref("note", n1));
    assert_string_equal(found(f->m, "NIÊM YẾT", notes), ref("note", n1));
    assert_string_equal(found(f->m, "đầy đủ", notes), ref("note", n1));
    assert_string_equal(found(f->m, "day du", notes), ref("note", n1));
    /* NFD text in the note (stored NFC), NFC and unaccented queries */
    assert_string_equal(found(f->m, "thành công", notes), ref("note", n2));
    assert_string_equal(found(f->m, "thanh cong", notes), ref("note", n2));
    assert_string_equal(found(f->m, NFD_THANH, notes), ref("note", n2));
    assert_string_equal(found(f->m, "don vi", notes), ref("note", n2));
    /* recommendations, upper case in the text */
    assert_string_equal(found(f->m, "day du", SEARCH_KIND_BIT(SK_REC)), ref("rec", r1));
    /* everything: the recommendation before the note (kind order) */
    char want[128];
    snprintf(want, sizeof want, "%s %s", ref("rec", r1), ref("note", n1));
    assert_string_equal(found(f->m, "niem yet day du", 0), want);
    /* items: text and target */
    assert_string_equal(found(f->m, "so hoa ho so", SEARCH_KIND_BIT(SK_ITEM)),
                        ref("item", f->id.item));
    assert_string_equal(found(f->m, "Số Hóa", SEARCH_KIND_BIT(SK_ITEM)), ref("item", f->id.item));
    /* item progress, after an update */
    struct commitment_item it;
    struct cchc_err err = {0};
    assert_int_equal(model_item(f->m, f->id.item, &it, &err), CCHC_OK);
    assert_int_equal(model_item_update(f->m, f->id.item, it.m.rev, IS_IN_PROGRESS,
                                       "Đã đưa 85% thủ tục lên Cổng", NULL, &err),
                     CCHC_OK);
    item_free(&it);
    assert_string_equal(found(f->m, "cong 85", SEARCH_KIND_BIT(SK_ITEM)), ref("item", f->id.item));
    check_clean(f->m);
}

static int put_unit(struct mtx *tx, void *ctx, struct cchc_err *err)
{
    return mtx_put_unit(tx, ctx, err);
}

static void test_visits_by_unit_name(void **state)
{
    struct fx *f = *state;
    const unsigned visits = SEARCH_KIND_BIT(SK_VISIT);
    char want[128];
    /* newest (highest id) first */
    snprintf(want, sizeof want, "%s %s", ref("visit", f->id.v2), ref("visit", f->id.v1));
    assert_string_equal(found(f->m, "cho lach", visits), want);
    assert_string_equal(found(f->m, "cho lach 2022", visits), ref("visit", f->id.v1));
    assert_string_equal(found(f->m, "kt-2022-07", visits), ref("visit", f->id.v3));
    assert_string_equal(found(f->m, "kh kt", visits), ref("visit", f->id.v1));
    /* the year filter */
    struct search_opts o = {.kinds = visits, .year = 2023};
    struct search_result *r;
    struct cchc_err err = {0};
    assert_int_equal(search_run(f->m, "lach", &o, &r, &err), CCHC_OK);
    assert_int_equal(search_count(r), 1);
    search_result_free(r);

    /* renaming the unit re-indexes its visits */
    struct unit u;
    assert_int_equal(model_unit(f->m, f->id.d1, &u, &err), CCHC_OK);
    free(u.short_name);
    free(u.name);
    u.short_name = strdup("Mỏ Cày");
    u.name = strdup("UBND huyện Mỏ Cày");
    assert_int_equal(model_write(f->m, "edit", "rename", put_unit, &u, &err), CCHC_OK);
    assert_string_equal(found(f->m, "cho lach", visits), "");
    snprintf(want, sizeof want, "%s %s", ref("visit", f->id.v2), ref("visit", f->id.v1));
    assert_string_equal(found(f->m, "mo cay", visits), want);
    assert_string_equal(found(f->m, "MỎ CÀY 2023", visits), ref("visit", f->id.v2));
    check_clean(f->m);
    unit_free(&u);
}

/* ---- keeping in step ---- */

static void test_edit_and_delete(void **state)
{
    struct fx *f = *state;
    struct cchc_err err = {0};
    const unsigned notes = SEARCH_KIND_BIT(SK_NOTE);
    uint64_t n = add_note(f->m, NT_VISIT, f->id.v1, "Hồ sơ lưu trữ lộn xộn");
    assert_string_equal(found(f->m, "lon xon", notes), ref("note", n));
    assert_int_equal(model_note_edit(f->m, n, 1, "Hồ sơ đã sắp xếp gọn gàng", NULL, &err), CCHC_OK);
    assert_string_equal(found(f->m, "lon xon", notes), "");
    assert_string_equal(found(f->m, "gon gang", notes), ref("note", n));
    assert_string_equal(found(f->m, "ho so", notes), ref("note", n));
    check_clean(f->m);
    assert_int_equal(model_note_delete(f->m, n, 2, &err), CCHC_OK);
    assert_string_equal(found(f->m, "gon gang", notes), "");
    assert_string_equal(found(f->m, "ho so", notes), "");
    check_clean(f->m);
}

/* ---- results: what a hit shows and opens ---- */

static void test_hits(void **state)
{
    struct fx *f = *state;
    struct cchc_err err = {0};
    char text[600];
    /* a long note: the snippet starts near the match */
    snprintf(text, sizeof text, "%s", "Mở đầu. ");
    for (int i = 0; i < 20; i++)
        strcat(text, "Nội dung khác. ");
    strcat(text, "Cuối cùng là kiểm soát thủ tục.\nDòng sau.");
    uint64_t n = add_note(f->m, NT_VISIT, f->id.v1, text);
    uint64_t r1 = add_rec(f->m, f->id.v3, "Kiểm soát chặt thủ tục");
    struct search_result *r;
    assert_int_equal(search_run(f->m, "kiem soat", NULL, &r, &err), CCHC_OK);
    assert_int_equal(search_count(r), 2);
    assert_false(search_more(r));
    struct search_hit h[4];
    size_t got = 0;
    assert_int_equal(search_hits(f->m, r, 0, 4, h, &got, &err), CCHC_OK);
    assert_int_equal(got, 2);
    assert_int_equal(h[0].kind, SK_REC);
    assert_int_equal(h[0].id, r1);
    assert_int_equal(h[0].open_kind, SK_VISIT);
    assert_int_equal(h[0].open_id, f->id.v3);
    assert_string_equal(h[0].title, "KT-2022-07 · Sở Tư pháp");
    assert_string_equal(h[0].snippet, "Kiểm soát chặt thủ tục");
    assert_int_equal(h[1].kind, SK_NOTE);
    assert_int_equal(h[1].id, n);
    assert_int_equal(h[1].open_id, f->id.v1);
    assert_string_equal(h[1].title, "KT-2022-03 · UBND huyện Chợ Lách");
    assert_non_null(strstr(h[1].snippet, "kiểm soát thủ tục. Dòng sau."));
    assert_true(strncmp(h[1].snippet, "…", strlen("…")) == 0);
    assert_null(strchr(h[1].snippet, '\n'));
    for (size_t i = 0; i < got; i++)
        search_hit_free(&h[i]);
    /* a window further on */
    assert_int_equal(search_hits(f->m, r, 1, 4, h, &got, &err), CCHC_OK);
    assert_int_equal(got, 1);
    assert_int_equal(h[0].id, n);
    search_hit_free(&h[0]);
    assert_int_equal(search_hits(f->m, r, 2, 4, h, &got, &err), CCHC_OK);
    assert_int_equal(got, 0);
    search_result_free(r);

    /* an item note opens the commitment; a unit note the unit */
    uint64_t in = add_note(f->m, NT_ITEM, f->id.item, "Ghi chú về mục ba");
    assert_int_equal(search_run(f->m, "muc ba", NULL, &r, &err), CCHC_OK);
    assert_int_equal(search_count(r), 1);
    assert_int_equal(search_hits(f->m, r, 0, 1, h, &got, &err), CCHC_OK);
    assert_int_equal(h[0].id, in);
    assert_int_equal(h[0].open_kind, SK_COMMITMENT);
    assert_int_equal(h[0].open_id, f->id.com);
    assert_string_equal(h[0].title, "CK-CL-2022 #3");
    search_hit_free(&h[0]);
    search_result_free(r);
}

static int add_many(struct mtx *tx, void *ctx, struct cchc_err *err)
{
    struct fx *f = ctx;
    for (int i = 0; i < 30; i++) {
        char code[32];
        snprintf(code, sizeof code, "X%02d", i);
        struct unit u = {
            .code = code, .name = "Xã Phú Sơn", .kind = UK_COMMUNE, .parent = f->id.d1};
        int rc = mtx_put_unit(tx, &u, err);
        free(u.m.mby);
        if (rc)
            return rc;
    }
    return CCHC_OK;
}

static void test_cap_and_odd_queries(void **state)
{
    struct fx *f = *state;
    struct cchc_err err = {0};
    assert_int_equal(model_write(f->m, "import", "many", add_many, f, &err), CCHC_OK);
    struct search_opts o = {.cap = 10};
    struct search_result *r;
    assert_int_equal(search_run(f->m, "phu son", &o, &r, &err), CCHC_OK);
    assert_int_equal(search_count(r), 10);
    assert_true(search_more(r));
    search_result_free(r);
    o.cap = 0;
    assert_int_equal(search_run(f->m, "PHÚ SƠN", &o, &r, &err), CCHC_OK);
    assert_int_equal(search_count(r), 30);
    assert_false(search_more(r));
    /* out of range */
    enum search_kind k;
    uint64_t id;
    assert_false(search_ref(r, 30, &k, &id));
    search_result_free(r);

    /* nothing to look for: no hits, no error */
    static const char *const empty[] = {"", "   ", "-- !! ..", "\xff\xfe", "\x1b[31m"};
    for (size_t i = 0; i < sizeof empty / sizeof *empty; i++) {
        assert_int_equal(search_run(f->m, empty[i], NULL, &r, &err), CCHC_OK);
        assert_int_equal(search_count(r), 0);
        search_result_free(r);
    }
    assert_int_equal(search_run(f->m, NULL, NULL, &r, &err), CCHC_OK);
    assert_int_equal(search_count(r), 0);
    search_result_free(r);
    /* control characters around a word: the word still counts */
    assert_string_equal(found(f->m, "\x1bstp\x1b", SEARCH_KIND_BIT(SK_UNIT)),
                        ref("unit", f->id.d2));
    /* a word longer than a key: cut for the index, whole for the check */
    char longw[100];
    memset(longw, 'a', 60);
    longw[60] = '\0';
    uint64_t n = add_note(f->m, NT_VISIT, f->id.v1, longw);
    assert_string_equal(found(f->m, longw, 0), ref("note", n));
    longw[59] = 'b'; /* same first 32 bytes, different word */
    assert_string_equal(found(f->m, longw, 0), "");
    longw[40] = '\0';
    assert_string_equal(found(f->m, longw, 0), ref("note", n));
    check_clean(f->m);
}

static void test_kinds_and_words(void **state)
{
    (void)state;
    enum search_kind k = SK_NONE;
    assert_true(search_kind_parse("notes", &k));
    assert_int_equal(k, SK_NOTE);
    assert_true(search_kind_parse("unit", &k));
    assert_int_equal(k, SK_UNIT);
    assert_true(search_kind_parse("recs", &k));
    assert_int_equal(k, SK_REC);
    assert_false(search_kind_parse("unitss", &k));
    assert_false(search_kind_parse("", &k));
    assert_false(search_kind_parse(NULL, &k));
    assert_string_equal(search_kind_name(SK_ITEM), "item");
    assert_string_equal(search_kind_name((enum search_kind)99), "?");

    struct search_words *q = search_words_new("ĐỒNG khởi");
    assert_false(search_words_empty(q));
    assert_true(search_words_match(q, "Đường Đồng Khởi"));
    assert_true(search_words_match(q, "khoi dong"));
    assert_true(search_words_match(q, "Do\xcc\x82\xcc\x80ng Kho\xcc\x9b\xcc\x89i"));
    assert_false(search_words_match(q, "Đồng Khánh"));
    assert_false(search_words_match(q, NULL));
    search_words_free(q);
    q = search_words_new("");
    assert_true(search_words_empty(q));
    assert_true(search_words_match(q, "anything"));
    search_words_free(q);
    search_words_free(NULL);
}

/* ---- checking and upgrading ---- */

/* Open the environment raw, as another program would. */
static void raw_env(const char *dir, MDB_env **env, MDB_txn **txn, MDB_dbi *words)
{
    raw_begin(dir, env, txn);
    assert_int_equal(mdb_dbi_open(*txn, "ix_words", MDB_DUPSORT | MDB_DUPFIXED, words), 0);
}

static void test_check_finds_index_damage(void **state)
{
    struct fx *f = *state;
    struct cchc_err err = {0};
    uint64_t n = add_note(f->m, NT_VISIT, f->id.v1, "Tuyệt vời");
    check_clean(f->m);
    model_close(f->m);
    f->m = NULL;

    /* one entry missing, one pointing nowhere, one that the record lacks */
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi words;
    raw_env(f->tmp, &env, &txn, &words);
    unsigned char v[9] = {SK_NOTE};
    be64_put(v + 1, n);
    MDB_val k = {5, "tuyet"}, val = {9, v};
    assert_int_equal(mdb_del(txn, words, &k, &val), 0);
    unsigned char ghost[9] = {SK_NOTE};
    be64_put(ghost + 1, 999);
    MDB_val k2 = {5, "ma-ma"}, val2 = {9, ghost};
    assert_int_equal(mdb_put(txn, words, &k2, &val2, 0), 0);
    MDB_val k3 = {3, "lan"}, val3 = {9, v};
    assert_int_equal(mdb_put(txn, words, &k3, &val3, 0), 0);
    raw_end(env, txn);

    assert_int_equal(model_open(&f->m, f->tmp, 0, "root", &err), CCHC_OK);
    struct lines l = {0};
    assert_int_equal(model_check(f->m, collect, &l, &err), 3);
    char want[96];
    snprintf(want, sizeof want, "notes/%llu: no entry 'tuyet' in ix_words", (unsigned long long)n);
    assert_non_null(strstr(sb_str(&l.sb), want));
    assert_non_null(strstr(sb_str(&l.sb), "entry 'ma-ma' points to missing note 999"));
    snprintf(want, sizeof want, "entry 'lan' does not agree with note %llu", (unsigned long long)n);
    assert_non_null(strstr(sb_str(&l.sb), want));
    sb_free(&l.sb);
    /* the search checks what the index says against the record */
    assert_string_equal(found(f->m, "lan", SEARCH_KIND_BIT(SK_NOTE)), "");
    assert_string_equal(found(f->m, "ma", SEARCH_KIND_BIT(SK_NOTE)), "");
}

static void test_upgrade_from_schema2(void **state)
{
    struct fx *f = *state;
    struct cchc_err err = {0};
    uint64_t n = add_note(f->m, NT_VISIT, f->id.v1, "Cán bộ tiếp dân nhiệt tình");
    uint64_t r1 = add_rec(f->m, f->id.v1, "Tăng cường tiếp dân");
    model_close(f->m);
    f->m = NULL;

    /* as part 2 left it: schema 2, no word index (and one stale entry, as a
     * database stamped 2 by mistake might hold) */
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi words;
    raw_env(f->tmp, &env, &txn, &words);
    assert_int_equal(mdb_drop(txn, words, 0), 0);
    unsigned char v[9] = {SK_NOTE, 0, 0, 0, 0, 0, 0, 0, 42};
    MDB_val k = {5, "stale"}, val = {9, v};
    assert_int_equal(mdb_put(txn, words, &k, &val, 0), 0);
    raw_stamp(txn, 2);
    raw_end(env, txn);

    /* read-only by choice in a folder it may write: the open upgrades */
    assert_int_equal(model_open(&f->m, f->tmp, STORE_RDONLY, "root", &err), CCHC_OK);
    model_close(f->m);
    f->m = NULL;
    assert_int_equal(model_open(&f->m, f->tmp, 0, "root", &err), CCHC_OK);
    struct store_info info;
    assert_int_equal(model_store_info(f->m, &info, &err), CCHC_OK);
    assert_int_equal(info.schema, STORE_SCHEMA_VERSION);
    check_clean(f->m);
    char want[64];
    snprintf(want, sizeof want, "%s %s", ref("rec", r1), ref("note", n));
    assert_string_equal(found(f->m, "tiep dan", 0), want);
    assert_string_equal(found(f->m, "cho lach", SEARCH_KIND_BIT(SK_UNIT)), ref("unit", f->id.d1));
    assert_string_equal(found(f->m, "stale", 0), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_units_any_spelling, setup, teardown),
        cmocka_unit_test_setup_teardown(test_notes_recs_items, setup, teardown),
        cmocka_unit_test_setup_teardown(test_visits_by_unit_name, setup, teardown),
        cmocka_unit_test_setup_teardown(test_edit_and_delete, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cap_and_odd_queries, setup, teardown),
        cmocka_unit_test(test_kinds_and_words),
        cmocka_unit_test_setup_teardown(test_check_finds_index_damage, setup, teardown),
        cmocka_unit_test_setup_teardown(test_upgrade_from_schema2, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
