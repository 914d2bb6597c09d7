/* test_store.c — unit tests of the LMDB store: opening and creating,
 * records and indexes, ids, seeking deep into an index, map growth, failed
 * writes, a second process writing (and dying mid-read), schema versions and
 * read-only access. Each test works in its own temporary directory. */
#include "testutil.h"

#include <errno.h>
#include <grp.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <lmdb.h>

#include "cchc/store.h"

#define MIB ((size_t)1 << 20)

/* ---- helpers ------------------------------------------------------------- */

struct fixture {
    char *tmp; /* from tu_tmpdir() */
    char *db;  /* tmp/db: created by the store */
};

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof *fx);
    fx->tmp = tu_tmpdir();
    fx->db = malloc(strlen(fx->tmp) + 8);
    sprintf(fx->db, "%s/db", fx->tmp);
    store_set_initial_map_size(0);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    chmod(fx->db, 0755); /* a test may have made it read-only */
    tu_rmrf(fx->tmp);
    free(fx->tmp);
    free(fx->db);
    free(fx);
    store_set_initial_map_size(0);
    return 0;
}

static struct store *open_ok(const char *dir, unsigned flags)
{
    struct store *st = NULL;
    struct cchc_err err = {0};
    if (store_open(&st, dir, flags, &err) != CCHC_OK)
        fail_msg("store_open %s: %s", dir, err.msg);
    assert_non_null(st);
    return st;
}

static void key64(unsigned char k[8], uint64_t id)
{
    be64_put(k, id);
}

/* One put as a whole write transaction. */
struct kv {
    enum store_db db;
    const void *k, *v;
    size_t kl, vl;
};

static int put_fn(struct stxn *tx, void *ctx, struct cchc_err *err)
{
    struct kv *kv = ctx;
    return store_put(tx, kv->db, kv->k, kv->kl, kv->v, kv->vl, err);
}

static void put_ok(struct store *st, enum store_db db, const void *k, size_t kl, const void *v,
                   size_t vl)
{
    struct kv kv = {db, k, v, kl, vl};
    struct cchc_err err = {0};
    if (store_write(st, put_fn, &kv, &err) != CCHC_OK)
        fail_msg("put: %s", err.msg);
}

/* Read one value into buf (NUL-terminated); false when absent. */
static bool get_str(struct store *st, enum store_db db, const void *k, size_t kl, char *buf,
                    size_t size)
{
    struct stxn *tx;
    struct sval v;
    bool found;
    struct cchc_err err = {0};

    if (store_read_begin(st, &tx, &err))
        fail_msg("read: %s", err.msg);
    if (store_get(tx, db, k, kl, &v, &found, &err))
        fail_msg("get: %s", err.msg);
    if (found) {
        assert_true(v.len < size);
        memcpy(buf, v.data, v.len);
        buf[v.len] = '\0';
    }
    store_read_end(tx);
    return found;
}

static size_t count_of(struct store *st, enum store_db db)
{
    struct stxn *tx;
    size_t n;
    struct cchc_err err = {0};
    assert_int_equal(store_read_begin(st, &tx, &err), CCHC_OK);
    if (store_count(tx, db, &n, &err))
        fail_msg("count: %s", err.msg);
    store_read_end(tx);
    return n;
}

static void expect_contains(const char *msg, const char *want)
{
    if (!strstr(msg, want))
        fail_msg("message \"%s\" lacks \"%s\"", msg, want);
}

/* ---- opening ------------------------------------------------------------- */

static void test_create_open_close(void **state)
{
    struct fixture *fx = *state;
    char path[4400];
    struct stat sb;
    struct store_info info;
    struct cchc_err err = {0};

    /* Create a directory two levels down, under a umask that would leave the
     * group out: the store must still make the files group-writable. */
    char nested[4200];
    snprintf(nested, sizeof nested, "%s/var/db", fx->tmp);
    mode_t old = umask(022);
    struct store *st = open_ok(nested, STORE_CREATE);
    umask(old);
    assert_false(store_readonly(st));
    assert_string_equal(store_dir(st), nested);
    assert_int_equal(store_info(st, &info, &err), CCHC_OK);
    assert_int_equal(info.schema, STORE_SCHEMA_VERSION);
    assert_true(info.map_size >= 64 * MIB);
    assert_true(info.max_readers > 0);
    store_close(st);

    assert_int_equal(stat(nested, &sb), 0);
    assert_int_equal(sb.st_mode & 07777, 02770);
    snprintf(path, sizeof path, "%s/data.mdb", nested);
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0660);
    snprintf(path, sizeof path, "%s/lock.mdb", nested);
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0660);

    /* Open again, without STORE_CREATE, and once more after that. */
    st = open_ok(nested, 0);
    assert_int_equal(store_info(st, &info, &err), CCHC_OK);
    assert_int_equal(info.schema, STORE_SCHEMA_VERSION);
    store_close(st);
    st = open_ok(nested, STORE_CREATE); /* CREATE on an existing database just opens it */
    store_close(st);
    store_close(NULL);
}

static void test_missing_database(void **state)
{
    struct fixture *fx = *state;
    struct store *st = (struct store *)1;
    struct cchc_err err = {0};
    char want[4400];

    /* An empty existing directory, and one that does not exist. */
    assert_int_equal(store_open(&st, fx->tmp, 0, &err), CCHC_ERUNTIME);
    assert_null(st);
    assert_int_equal(err.code, CCHC_ERUNTIME);
    snprintf(want, sizeof want, "no database in %s (create one with: cchc init)", fx->tmp);
    assert_string_equal(err.msg, want);
    char probe[4200];
    snprintf(probe, sizeof probe, "%s/data.mdb", fx->tmp);
    assert_false(path_exists(probe)); /* opening did not create anything */

    err_clear(&err);
    assert_int_equal(store_open(&st, fx->db, STORE_RDONLY, &err), CCHC_ERUNTIME);
    snprintf(want, sizeof want, "no database in %s (create one with: cchc init)", fx->db);
    assert_string_equal(err.msg, want);
    assert_false(path_exists(fx->db));

    /* Read-only cannot create. */
    err_clear(&err);
    assert_int_equal(store_open(&st, fx->db, STORE_RDONLY | STORE_CREATE, &err), CCHC_ERUNTIME);
    assert_string_equal(err.msg, want);

    /* A file where the directory should be. */
    const char *file = tu_write(fx->tmp, "plain", "x");
    err_clear(&err);
    assert_int_equal(store_open(&st, file, STORE_CREATE, &err), CCHC_ERUNTIME);
    expect_contains(err.msg, "is not a directory");
}

static void test_foreign_lmdb_refused(void **state)
{
    struct fixture *fx = *state;
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi dbi;
    struct store *st;
    struct cchc_err err = {0};

    /* An LMDB environment with data but no schema is not ours: refuse it
     * rather than stamp a version on someone else's database. */
    assert_int_equal(mkdir(fx->db, 0700), 0);
    assert_int_equal(mdb_env_create(&env), 0);
    assert_int_equal(mdb_env_open(env, fx->db, 0, 0600), 0);
    assert_int_equal(mdb_txn_begin(env, NULL, 0, &txn), 0);
    assert_int_equal(mdb_dbi_open(txn, NULL, 0, &dbi), 0);
    MDB_val k = {3, "abc"}, v = {3, "def"};
    assert_int_equal(mdb_put(txn, dbi, &k, &v, 0), 0);
    assert_int_equal(mdb_txn_commit(txn), 0);
    mdb_env_close(env);

    assert_int_equal(store_open(&st, fx->db, 0, &err), CCHC_ERUNTIME);
    expect_contains(err.msg, "does not hold a cchc database");
    err_clear(&err);
    assert_int_equal(store_open(&st, fx->db, STORE_RDONLY, &err), CCHC_ERUNTIME);
    expect_contains(err.msg, "does not hold a cchc database");
}

/* ---- records and indexes ------------------------------------------------- */

static int put_get_del_fn(struct stxn *tx, void *ctx, struct cchc_err *err)
{
    (void)ctx;
    unsigned char k[8], v[8];
    struct sval got;
    bool found;

    key64(k, 1);
    assert_int_equal(store_put(tx, DB_UNITS, k, 8, "one", 3, err), CCHC_OK);
    key64(k, 2);
    assert_int_equal(store_put(tx, DB_UNITS, k, 8, "two", 3, err), CCHC_OK);
    assert_int_equal(store_put(tx, DB_UNITS, k, 8, "TWO!", 4, err), CCHC_OK); /* overwrite */
    /* Reads inside the write see the write. */
    assert_int_equal(store_get(tx, DB_UNITS, k, 8, &got, &found, err), CCHC_OK);
    assert_true(found);
    assert_int_equal(got.len, 4);
    assert_memory_equal(got.data, "TWO!", 4);
    key64(k, 3);
    assert_int_equal(store_put(tx, DB_UNITS, k, 8, "three", 5, err), CCHC_OK);
    assert_int_equal(store_del(tx, DB_UNITS, k, 8, NULL, 0, err), CCHC_OK);
    assert_int_equal(store_del(tx, DB_UNITS, k, 8, NULL, 0, err), CCHC_OK); /* absent: fine */

    /* Index: parent 7 -> children 10, 20, 30, 40; then 20 goes again. */
    key64(k, 7);
    for (uint64_t c = 10; c <= 40; c += 10) {
        key64(v, c);
        assert_int_equal(store_put(tx, IX_UNIT_CHILDREN, k, 8, v, 8, err), CCHC_OK);
    }
    key64(v, 20);
    assert_int_equal(store_put(tx, IX_UNIT_CHILDREN, k, 8, v, 8, err), CCHC_OK); /* again */
    assert_int_equal(store_del(tx, IX_UNIT_CHILDREN, k, 8, v, 8, err), CCHC_OK); /* one pair */
    key64(v, 99);
    assert_int_equal(store_del(tx, IX_UNIT_CHILDREN, k, 8, v, 8, err), CCHC_OK); /* absent */
    key64(k, 8);
    for (uint64_t c = 1; c <= 3; c++) {
        key64(v, c);
        assert_int_equal(store_put(tx, IX_UNIT_CHILDREN, k, 8, v, 8, err), CCHC_OK);
    }
    assert_int_equal(store_del(tx, IX_UNIT_CHILDREN, k, 8, NULL, 0, err), CCHC_OK); /* all */

    /* A value of another width under the same index key is refused. */
    key64(k, 7);
    assert_int_equal(store_put(tx, IX_UNIT_CHILDREN, k, 8, "abcd", 4, err), CCHC_ERUNTIME);
    expect_contains(err->msg, "a value of 4 bytes under a key holding values of 8 bytes");
    err_clear(err);
    return CCHC_OK;
}

static void test_put_get_del(void **state)
{
    struct fixture *fx = *state;
    struct store *st = open_ok(fx->db, STORE_CREATE);
    struct cchc_err err = {0};
    unsigned char k[8], v[8];
    char buf[64];

    assert_int_equal(store_write(st, put_get_del_fn, NULL, &err), CCHC_OK);
    store_close(st);
    st = open_ok(fx->db, 0);

    key64(k, 1);
    assert_true(get_str(st, DB_UNITS, k, 8, buf, sizeof buf));
    assert_string_equal(buf, "one");
    key64(k, 2);
    assert_true(get_str(st, DB_UNITS, k, 8, buf, sizeof buf));
    assert_string_equal(buf, "TWO!");
    key64(k, 3);
    assert_false(get_str(st, DB_UNITS, k, 8, buf, sizeof buf));
    assert_int_equal(count_of(st, DB_UNITS), 2);
    assert_int_equal(count_of(st, DB_VISITS), 0);
    assert_int_equal(count_of(st, IX_UNIT_CHILDREN), 3); /* 10, 30, 40 under 7 */

    struct stxn *tx;
    size_t n;
    assert_int_equal(store_read_begin(st, &tx, &err), CCHC_OK);
    key64(k, 7);
    assert_int_equal(store_index_count(tx, IX_UNIT_CHILDREN, k, 8, &n, &err), CCHC_OK);
    assert_int_equal(n, 3);
    key64(k, 8);
    assert_int_equal(store_index_count(tx, IX_UNIT_CHILDREN, k, 8, &n, &err), CCHC_OK);
    assert_int_equal(n, 0);

    /* The values of 7, in order, with 20 gone. */
    struct scursor *c;
    struct sval got;
    bool found;
    assert_int_equal(store_cursor_open(tx, IX_UNIT_CHILDREN, &c, &err), CCHC_OK);
    key64(k, 7);
    assert_int_equal(store_index_seek(c, k, 8, 0, &got, &found, &err), CCHC_OK);
    assert_true(found);
    assert_int_equal(be64_get(got.data), 10);
    assert_int_equal(store_index_next(c, &got, &found, &err), CCHC_OK);
    assert_true(found);
    assert_int_equal(be64_get(got.data), 30);
    assert_int_equal(store_index_next(c, &got, &found, &err), CCHC_OK);
    assert_true(found);
    assert_int_equal(be64_get(got.data), 40);
    assert_int_equal(store_index_next(c, &got, &found, &err), CCHC_OK);
    assert_false(found);
    store_cursor_close(c);

    /* Writing through a read transaction is refused, not crashed. */
    key64(v, 5);
    assert_int_equal(store_put(tx, DB_UNITS, v, 8, "x", 1, &err), CCHC_ERUNTIME);
    expect_contains(err.msg, "inside a read transaction");
    store_read_end(tx);
    store_close(st);
}

static int ids_fn(struct stxn *tx, void *ctx, struct cchc_err *err)
{
    uint64_t *ids = ctx;
    for (int i = 0; i < 3; i++)
        if (store_next_id(tx, DB_UNITS, &ids[i], err))
            return CCHC_ERUNTIME;
    return store_next_id(tx, DB_VISITS, &ids[3], err);
}

static void test_ids_count_up(void **state)
{
    struct fixture *fx = *state;
    struct store *st = open_ok(fx->db, STORE_CREATE);
    struct cchc_err err = {0};
    uint64_t ids[4];

    assert_int_equal(store_write(st, ids_fn, ids, &err), CCHC_OK);
    assert_true(ids[0] == 1 && ids[1] == 2 && ids[2] == 3);
    assert_true(ids[3] == 1); /* each table has its own counter */
    store_close(st);

    st = open_ok(fx->db, 0);
    assert_int_equal(store_write(st, ids_fn, ids, &err), CCHC_OK);
    assert_true(ids[0] == 4 && ids[1] == 5 && ids[2] == 6 && ids[3] == 2);
    char buf[16];
    assert_true(get_str(st, DB_META, "next:units", 10, buf, sizeof buf));
    assert_int_equal(be64_get((unsigned char *)buf), 7);

    struct stxn *tx;
    uint64_t id = 99;
    assert_int_equal(store_read_begin(st, &tx, &err), CCHC_OK);
    assert_int_equal(store_next_id(tx, DB_UNITS, &id, &err), CCHC_ERUNTIME);
    assert_true(id == 0);
    store_read_end(tx);
    store_close(st);
}

/* 100,000 values under one key: be32 i/10 | be64 i, so value number i holds
 * i; plus smaller keys before and after it so that a seek cannot wander into
 * a neighbour. */
#define BIG 100000
static int fill_index_fn(struct stxn *tx, void *ctx, struct cchc_err *err)
{
    (void)ctx;
    unsigned char k[3], v[12];

    /* Insert in a scrambled order: the index must sort them. */
    for (uint32_t n = 0; n < BIG; n++) {
        uint32_t i = (uint32_t)(((uint64_t)n * 7919) % BIG);
        be16_put(k, 2022);
        k[2] = 0;
        be32_put(v, i / 10);
        be64_put(v + 4, i);
        if (store_put(tx, IX_YEAR_VISITS, k, 3, v, 12, err))
            return CCHC_ERUNTIME;
    }
    for (int y = 2021; y <= 2023; y += 2)
        for (int i = 0; i < (y == 2021 ? 1 : 2); i++) {
            be16_put(k, (uint16_t)y);
            k[2] = 0;
            be32_put(v, 0);
            be64_put(v + 4, 500000 + (uint64_t)i);
            if (store_put(tx, IX_YEAR_VISITS, k, 3, v, 12, err))
                return CCHC_ERUNTIME;
        }
    return CCHC_OK;
}

static void expect_at(struct scursor *c, uint16_t year, size_t pos, bool want_found, uint64_t want)
{
    unsigned char k[3];
    struct sval v;
    bool found;
    struct cchc_err err = {0};

    be16_put(k, year);
    k[2] = 0;
    if (store_index_seek(c, k, 3, pos, &v, &found, &err))
        fail_msg("seek %u/%zu: %s", year, pos, err.msg);
    if (found != want_found)
        fail_msg("seek %u/%zu: found %d", year, pos, found);
    if (!found)
        return;
    assert_int_equal(v.len, 12);
    assert_int_equal(be64_get((const unsigned char *)v.data + 4), want);
    assert_int_equal(be32_get(v.data), want >= 500000 ? 0 : want / 10);
}

static void test_index_seek(void **state)
{
    struct fixture *fx = *state;
    struct store *st = open_ok(fx->db, STORE_CREATE);
    struct cchc_err err = {0};
    struct stxn *tx;
    struct scursor *c;
    unsigned char k[3];
    size_t n;
    struct sval v;
    bool found;

    assert_int_equal(store_write(st, fill_index_fn, NULL, &err), CCHC_OK);
    assert_int_equal(store_read_begin(st, &tx, &err), CCHC_OK);
    be16_put(k, 2022);
    k[2] = 0;
    assert_int_equal(store_index_count(tx, IX_YEAR_VISITS, k, 3, &n, &err), CCHC_OK);
    assert_int_equal(n, BIG);
    be16_put(k, 2023);
    assert_int_equal(store_index_count(tx, IX_YEAR_VISITS, k, 3, &n, &err), CCHC_OK);
    assert_int_equal(n, 2);
    be16_put(k, 1999);
    assert_int_equal(store_index_count(tx, IX_YEAR_VISITS, k, 3, &n, &err), CCHC_OK);
    assert_int_equal(n, 0);

    assert_int_equal(store_cursor_open(tx, IX_YEAR_VISITS, &c, &err), CCHC_OK);
    static const size_t at[] = {0, 1, 2, 339, 340, 341, 1000, 50000, 90000, 99998, BIG - 1};
    for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
        expect_at(c, 2022, at[i], true, at[i]);
        /* The cursor sits exactly there: the next steps continue in order. */
        for (size_t j = at[i] + 1; j < at[i] + 4 && j < BIG; j++) {
            assert_int_equal(store_index_next(c, &v, &found, &err), CCHC_OK);
            assert_true(found);
            assert_int_equal(be64_get((const unsigned char *)v.data + 4), j);
        }
    }
    /* From the last value, next is the end: never the following key's values. */
    expect_at(c, 2022, BIG - 1, true, BIG - 1);
    assert_int_equal(store_index_next(c, &v, &found, &err), CCHC_OK);
    assert_false(found);
    /* Past the end, and then next still says nothing. */
    expect_at(c, 2022, BIG, false, 0);
    assert_int_equal(store_index_next(c, &v, &found, &err), CCHC_OK);
    assert_false(found);
    expect_at(c, 2022, (size_t)-1, false, 0);
    /* Small keys: one value (stored inline by LMDB) and two. */
    expect_at(c, 2021, 0, true, 500000);
    expect_at(c, 2021, 1, false, 0);
    expect_at(c, 2023, 0, true, 500000);
    expect_at(c, 2023, 1, true, 500001);
    expect_at(c, 2023, 2, false, 0);
    expect_at(c, 1999, 0, false, 0);
    /* Walk everything from one seek, checking the whole order. */
    expect_at(c, 2022, 0, true, 0);
    size_t walked = 1;
    for (;;) {
        assert_int_equal(store_index_next(c, &v, &found, &err), CCHC_OK);
        if (!found)
            break;
        if (be64_get((const unsigned char *)v.data + 4) != walked)
            fail_msg("value %zu out of order", walked);
        walked++;
    }
    assert_int_equal(walked, BIG);
    store_cursor_close(c);

    /* Index operations on a record table are refused. */
    assert_int_equal(store_cursor_open(tx, DB_UNITS, &c, &err), CCHC_OK);
    assert_int_equal(store_index_seek(c, k, 3, 0, &v, &found, &err), CCHC_ERUNTIME);
    expect_contains(err.msg, "not an index");
    store_cursor_close(c);
    store_read_end(tx);
    store_close(st);
}

static int scrambled_ids_fn(struct stxn *tx, void *ctx, struct cchc_err *err)
{
    const uint64_t *ids = ctx;
    unsigned char k[8];
    for (size_t i = 0; ids[i]; i++) {
        key64(k, ids[i]);
        if (store_put(tx, DB_VISITS, k, 8, &ids[i], sizeof ids[i], err))
            return CCHC_ERUNTIME;
    }
    return CCHC_OK;
}

static void test_cursor_order(void **state)
{
    struct fixture *fx = *state;
    struct store *st = open_ok(fx->db, STORE_CREATE);
    struct cchc_err err = {0};
    /* Little-endian or text keys would sort these wrongly. */
    static const uint64_t ids[] = {
        256, 1, (uint64_t)1 << 40, 255, 65536, 2, 4096, UINT64_MAX - 1, 0x0100000000000000u,
        257, 0};
    static const uint64_t sorted[] = {
        1, 2, 255, 256, 257, 4096, 65536, (uint64_t)1 << 40, 0x0100000000000000u, UINT64_MAX - 1};
    assert_int_equal(store_write(st, scrambled_ids_fn, (void *)ids, &err), CCHC_OK);

    struct stxn *tx;
    struct scursor *c;
    struct sval k, v;
    bool found;
    size_t n = 0;
    assert_int_equal(store_read_begin(st, &tx, &err), CCHC_OK);
    assert_int_equal(store_cursor_open(tx, DB_VISITS, &c, &err), CCHC_OK);
    assert_int_equal(store_cursor_seek(c, NULL, 0, &k, &v, &found, &err), CCHC_OK);
    while (found) {
        assert_true(n < 10);
        assert_int_equal(k.len, 8);
        assert_true(be64_get(k.data) == sorted[n]);
        uint64_t stored;
        memcpy(&stored, v.data, sizeof stored);
        assert_true(stored == sorted[n]);
        n++;
        assert_int_equal(store_cursor_next(c, &k, &v, &found, &err), CCHC_OK);
    }
    assert_int_equal(n, 10);

    /* Seek lands on the first key >= the one asked for. */
    unsigned char want[8];
    key64(want, 300);
    assert_int_equal(store_cursor_seek(c, want, 8, &k, NULL, &found, &err), CCHC_OK);
    assert_true(found);
    assert_true(be64_get(k.data) == 4096);
    key64(want, UINT64_MAX);
    assert_int_equal(store_cursor_seek(c, want, 8, &k, &v, &found, &err), CCHC_OK);
    assert_false(found);
    store_cursor_close(c);

    /* A cursor left open when its transaction ends is detached, not
     * dangling: using it is an error and closing it later is safe. */
    assert_int_equal(store_cursor_open(tx, DB_VISITS, &c, &err), CCHC_OK);
    store_read_end(tx);
    assert_int_equal(store_cursor_next(c, &k, &v, &found, &err), CCHC_ERUNTIME);
    expect_contains(err.msg, "after its transaction ended");
    store_cursor_close(c);
    store_close(st);
}

/* ---- transactions -------------------------------------------------------- */

#define BLOBS 20480 /* x 1 KiB = 20 MiB */
struct blobs {
    int runs;
    uint64_t first; /* key of the first blob; 0 means 1 */
};

static void blob_fill(unsigned char *b, uint64_t i)
{
    memset(b, (int)(i * 31 % 251), 1024);
    be64_put(b, i);
}

static int blobs_fn(struct stxn *tx, void *ctx, struct cchc_err *err)
{
    struct blobs *bl = ctx;
    unsigned char k[8], b[1024];

    bl->runs++;
    uint64_t first = bl->first ? bl->first : 1;
    for (uint64_t i = first; i < first + BLOBS; i++) {
        key64(k, i);
        blob_fill(b, i);
        if (store_put(tx, DB_AUDIT, k, 8, b, sizeof b, err))
            return CCHC_ERUNTIME;
    }
    return CCHC_OK;
}

static void check_blobs(struct store *st, uint64_t first, uint64_t nblobs)
{
    struct stxn *tx;
    struct cchc_err err = {0};
    unsigned char k[8], b[1024];
    struct sval v;
    bool found;

    assert_int_equal(store_read_begin(st, &tx, &err), CCHC_OK);
    for (uint64_t i = first; i < first + nblobs; i++) {
        key64(k, i);
        assert_int_equal(store_get(tx, DB_AUDIT, k, 8, &v, &found, &err), CCHC_OK);
        if (!found)
            fail_msg("blob %llu missing", (unsigned long long)i);
        blob_fill(b, i);
        assert_int_equal(v.len, sizeof b);
        if (memcmp(v.data, b, sizeof b) != 0)
            fail_msg("blob %llu differs", (unsigned long long)i);
    }
    store_read_end(tx);
}

static void test_map_full_grows(void **state)
{
    struct fixture *fx = *state;
    struct cchc_err err = {0};
    struct store_info info;
    struct blobs bl = {0};

    store_set_initial_map_size(1 * MIB);
    struct store *st = open_ok(fx->db, STORE_CREATE);
    assert_int_equal(store_info(st, &info, &err), CCHC_OK);
    assert_true(info.map_size < 2 * MIB);
    if (store_write(st, blobs_fn, &bl, &err) != CCHC_OK)
        fail_msg("write: %s", err.msg);
    assert_true(bl.runs > 1); /* it did fill up, and ran again */
    assert_int_equal(store_info(st, &info, &err), CCHC_OK);
    assert_true(info.map_size >= 20 * MIB);
    store_close(st);

    /* Reopen (still asking for 1 MiB): the grown size is kept. */
    st = open_ok(fx->db, 0);
    assert_int_equal(store_info(st, &info, &err), CCHC_OK);
    assert_true(info.map_size >= 20 * MIB);
    assert_int_equal(count_of(st, DB_AUDIT), BLOBS);
    check_blobs(st, 1, BLOBS);
    store_close(st);
}

struct failing {
    int code;
    bool set_err;
};

static int failing_fn(struct stxn *tx, void *ctx, struct cchc_err *err)
{
    struct failing *f = ctx;
    unsigned char k[8];
    uint64_t id;

    for (uint64_t i = 1; i <= 100; i++) {
        key64(k, i);
        if (store_put(tx, DB_UNITS, k, 8, "doomed", 6, err))
            return CCHC_ERUNTIME;
        if (store_put(tx, IX_UNIT_CHILDREN, k, 8, k, 8, err))
            return CCHC_ERUNTIME;
    }
    if (store_next_id(tx, DB_UNITS, &id, err))
        return CCHC_ERUNTIME;
    if (f->set_err)
        return err_set(err, f->code, "unit code DUP is taken");
    return f->code;
}

static void test_failed_write_leaves_nothing(void **state)
{
    struct fixture *fx = *state;
    struct store *st = open_ok(fx->db, STORE_CREATE);
    struct cchc_err err = {0};
    struct failing f = {CCHC_EUSAGE, true};
    uint64_t before = store_last_txnid(st);

    assert_int_equal(store_write(st, failing_fn, &f, &err), CCHC_EUSAGE);
    assert_int_equal(err.code, CCHC_EUSAGE);
    assert_string_equal(err.msg, "unit code DUP is taken"); /* fn's message is kept */
    f = (struct failing){CCHC_ERUNTIME, false};
    err_clear(&err);
    assert_int_equal(store_write(st, failing_fn, &f, &err), CCHC_ERUNTIME);
    assert_int_equal(err.code, CCHC_ERUNTIME);
    assert_true(err.msg[0] != '\0'); /* someone said something */

    assert_true(store_last_txnid(st) == before);
    assert_int_equal(count_of(st, DB_UNITS), 0);
    assert_int_equal(count_of(st, IX_UNIT_CHILDREN), 0);
    char buf[16];
    assert_false(get_str(st, DB_META, "next:units", 10, buf, sizeof buf));
    store_close(st);
}

/* Nested store_write: the inner one is a child transaction. */
static int inner_ok(struct stxn *tx, void *ctx, struct cchc_err *err)
{
    (void)ctx;
    return store_put(tx, DB_UNITS, "\0\0\0\0\0\0\0\2", 8, "inner", 5, err);
}

static int inner_fails(struct stxn *tx, void *ctx, struct cchc_err *err)
{
    (void)ctx;
    if (store_put(tx, DB_UNITS, "\0\0\0\0\0\0\0\3", 8, "undone", 6, err))
        return CCHC_ERUNTIME;
    return err_set(err, CCHC_ERUNTIME, "inner refused");
}

static int outer_fn(struct stxn *tx, void *ctx, struct cchc_err *err)
{
    struct store *st = ctx;
    struct stxn *rtx;
    struct sval v;
    bool found;

    if (store_put(tx, DB_UNITS, "\0\0\0\0\0\0\0\1", 8, "outer", 5, err))
        return CCHC_ERUNTIME;
    assert_int_equal(store_write(st, inner_ok, NULL, err), CCHC_OK);
    assert_int_equal(store_write(st, inner_fails, NULL, err), CCHC_ERUNTIME);
    assert_string_equal(err->msg, "inner refused");
    err_clear(err);
    /* A read begun inside the write sees what the write did so far. */
    assert_int_equal(store_read_begin(st, &rtx, err), CCHC_OK);
    assert_ptr_equal(rtx, tx);
    assert_int_equal(store_get(rtx, DB_UNITS, "\0\0\0\0\0\0\0\2", 8, &v, &found, err), 0);
    assert_true(found);
    store_read_end(rtx);
    return CCHC_OK;
}

static void test_nested_transactions(void **state)
{
    struct fixture *fx = *state;
    struct store *st = open_ok(fx->db, STORE_CREATE);
    struct cchc_err err = {0};
    char buf[16];
    struct stxn *a, *b;

    assert_int_equal(store_write(st, outer_fn, st, &err), CCHC_OK);
    assert_true(get_str(st, DB_UNITS, "\0\0\0\0\0\0\0\1", 8, buf, sizeof buf));
    assert_string_equal(buf, "outer");
    assert_true(get_str(st, DB_UNITS, "\0\0\0\0\0\0\0\2", 8, buf, sizeof buf));
    assert_string_equal(buf, "inner");
    assert_false(get_str(st, DB_UNITS, "\0\0\0\0\0\0\0\3", 8, buf, sizeof buf));

    /* Nested reads share one snapshot; the outer end ends it. */
    assert_int_equal(store_read_begin(st, &a, &err), CCHC_OK);
    assert_int_equal(store_read_begin(st, &b, &err), CCHC_OK);
    assert_ptr_equal(a, b);
    store_read_end(b);
    struct sval v;
    bool found;
    assert_int_equal(store_get(a, DB_UNITS, "\0\0\0\0\0\0\0\1", 8, &v, &found, &err), 0);
    assert_true(found);
    assert_memory_equal(v.data, "outer", 5);
    /* No write while a read is open: growing the map would pull pages away. */
    struct kv kv = {DB_UNITS, "\0\0\0\0\0\0\0\4", "x", 8, 1};
    assert_int_equal(store_write(st, put_fn, &kv, &err), CCHC_ERUNTIME);
    expect_contains(err.msg, "while a read transaction is open");
    store_read_end(a);
    store_read_end(a); /* one end too many is harmless */
    err_clear(&err);
    assert_int_equal(store_write(st, put_fn, &kv, &err), CCHC_OK);
    store_close(st);
}

/* ---- several processes --------------------------------------------------- */

/* The child must not use the parent's LMDB handle (never use an environment
 * across fork): it opens its own, and reports through its exit status only
 * (no cmocka in the child). */
static int child_writer(const char *dir, uint64_t first)
{
    struct store *st;
    struct cchc_err err = {0};
    struct blobs bl = {0, first};
    struct kv kv = {DB_META, "k", first == 1 ? "v2" : "v4", 1, 2};

    if (store_open(&st, dir, 0, &err))
        return 2;
    if (store_write(st, put_fn, &kv, &err))
        return 3;
    if (store_write(st, blobs_fn, &bl, &err)) /* 20 MiB: grows the map well past 1 MiB */
        return 4;
    store_close(st);
    return 0;
}

static int wait_child(pid_t pid)
{
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void test_other_process_writes(void **state)
{
    struct fixture *fx = *state;
    struct cchc_err err = {0};
    struct store_info info;
    char buf[16];

    store_set_initial_map_size(1 * MIB);
    struct store *st = open_ok(fx->db, STORE_CREATE);
    put_ok(st, DB_META, "k", 1, "v1", 2);
    assert_true(get_str(st, DB_META, "k", 1, buf, sizeof buf)); /* the read handle exists */
    assert_string_equal(buf, "v1");
    uint64_t t0 = store_last_txnid(st);
    assert_true(t0 > 0);

    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        _exit(child_writer(fx->db, 1));
    assert_int_equal(wait_child(pid), 0);

    /* Seen without a transaction, then read: the map the other process grew
     * beyond ours is adopted (MDB_MAP_RESIZED), and every page is reachable. */
    assert_true(store_last_txnid(st) > t0);
    assert_true(get_str(st, DB_META, "k", 1, buf, sizeof buf));
    assert_string_equal(buf, "v2");
    check_blobs(st, 1, BLOBS);
    assert_int_equal(store_info(st, &info, &err), CCHC_OK);
    assert_true(info.map_size >= 20 * MIB);
    size_t adopted = info.map_size;

    /* Again, 20 MiB more, but this time our first move is a write: its
     * begin meets the grown map too. */
    fflush(NULL);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        _exit(child_writer(fx->db, BLOBS + 1));
    assert_int_equal(wait_child(pid), 0);
    put_ok(st, DB_META, "k3", 2, "v3", 2);
    assert_int_equal(store_info(st, &info, &err), CCHC_OK);
    assert_true(info.map_size > adopted);
    assert_true(get_str(st, DB_META, "k", 1, buf, sizeof buf));
    assert_string_equal(buf, "v4");
    assert_true(get_str(st, DB_META, "k3", 2, buf, sizeof buf));
    assert_string_equal(buf, "v3");
    assert_int_equal(count_of(st, DB_AUDIT), 2 * BLOBS);
    check_blobs(st, 1, 2 * BLOBS);
    store_close(st);
}

static void test_reader_check(void **state)
{
    struct fixture *fx = *state;
    struct store *st = open_ok(fx->db, STORE_CREATE);

    assert_int_equal(store_reader_check(st), 0);
    /* A session killed in the middle of a read leaves its reader slot. */
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct store *cst;
        struct stxn *tx;
        struct cchc_err err = {0};
        if (store_open(&cst, fx->db, 0, &err) || store_read_begin(cst, &tx, &err))
            _exit(2);
        _exit(0); /* dies holding the read */
    }
    assert_int_equal(wait_child(pid), 0);
    assert_int_equal(store_reader_check(st), 1);
    assert_int_equal(store_reader_check(st), 0);
    store_close(st);
}

/* ---- schema versions ----------------------------------------------------- */

static int run_as_reader(const char *dir, unsigned flags, const char *want);

/* The schema version as stored, read with LMDB itself: no open of ours,
 * which would upgrade it. */
static uint32_t raw_schema(const char *dir)
{
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi dbi;
    MDB_val k = {6, "schema"}, v;
    assert_int_equal(mdb_env_create(&env), 0);
    assert_int_equal(mdb_env_set_maxdbs(env, 4), 0);
    assert_int_equal(mdb_env_open(env, dir, MDB_RDONLY, 0), 0);
    assert_int_equal(mdb_txn_begin(env, NULL, MDB_RDONLY, &txn), 0);
    assert_int_equal(mdb_dbi_open(txn, "meta", 0, &dbi), 0);
    assert_int_equal(mdb_get(txn, dbi, &k, &v), 0);
    assert_int_equal(v.mv_size, 4);
    uint32_t version = be32_get(v.mv_data);
    mdb_txn_abort(txn);
    mdb_env_close(env);
    return version;
}

static void set_schema(const char *dir, uint32_t version)
{
    unsigned char v[4];
    be32_put(v, version);
    struct store *st = open_ok(dir, 0);
    put_ok(st, DB_META, "schema", 6, v, 4);
    store_close(st);
}

static void test_schema_newer_refused(void **state)
{
    struct fixture *fx = *state;
    struct store *st = open_ok(fx->db, STORE_CREATE);
    struct cchc_err err = {0};
    char want[128];

    store_close(st);
    set_schema(fx->db, STORE_SCHEMA_VERSION + 1);
    snprintf(want, sizeof want, "database schema %d is newer than this cchc (%d)",
             STORE_SCHEMA_VERSION + 1, STORE_SCHEMA_VERSION);
    st = (struct store *)1;
    assert_int_equal(store_open(&st, fx->db, 0, &err), CCHC_ERUNTIME);
    assert_null(st);
    assert_int_equal(err.code, CCHC_ERUNTIME);
    assert_memory_equal(err.msg, want, strlen(want));
    err_clear(&err);
    assert_int_equal(store_open(&st, fx->db, STORE_RDONLY, &err), CCHC_ERUNTIME);
    assert_memory_equal(err.msg, want, strlen(want));
}

static void test_migration_from_zero(void **state)
{
    struct fixture *fx = *state;
    struct store *st = open_ok(fx->db, STORE_CREATE);
    struct cchc_err err = {0};
    struct store_info info;
    char buf[16];

    put_ok(st, DB_META, "k", 1, "v", 1); /* what run_as_reader reads */
    put_ok(st, DB_UNITS, "\0\0\0\0\0\0\0\1", 8, "kept", 4);
    store_close(st);
    set_schema(fx->db, 0);

    /* A reader who may not write cannot migrate: the message names the
     * folder and says what to do. */
    char lock[4200], data[4200], want[4400];
    snprintf(lock, sizeof lock, "%s/lock.mdb", fx->db);
    snprintf(data, sizeof data, "%s/data.mdb", fx->db);
    assert_int_equal(chmod(fx->tmp, 0755), 0);
    assert_int_equal(chmod(data, 0644), 0);
    assert_int_equal(chmod(lock, 0666), 0);
    assert_int_equal(chmod(fx->db, 0555), 0);
    snprintf(want, sizeof want,
             "database schema 0 in %s is older than this cchc (%d) and you may not write to it: "
             "someone with write access to %s must run any cchc command on it once",
             fx->db, STORE_SCHEMA_VERSION, fx->db);
    assert_int_equal(run_as_reader(fx->db, STORE_RDONLY, want), 0);
    assert_int_equal(run_as_reader(fx->db, 0, want), 0);
    assert_int_equal(chmod(fx->db, 0755), 0);
    assert_int_equal(chmod(data, 0660), 0);
    assert_int_equal(raw_schema(fx->db), 0); /* the reader changed nothing */

    /* A read-only open by someone who may write upgrades (any command does,
     * not only the one that writes), and stays read-only. */
    st = open_ok(fx->db, STORE_RDONLY);
    assert_true(store_readonly(st));
    assert_int_equal(store_info(st, &info, &err), CCHC_OK);
    assert_int_equal(info.schema, STORE_SCHEMA_VERSION);
    assert_true(get_str(st, DB_UNITS, "\0\0\0\0\0\0\0\1", 8, buf, sizeof buf));
    assert_string_equal(buf, "kept");
    struct kv kv = {DB_META, "k", "w", 1, 1};
    assert_int_equal(store_write(st, put_fn, &kv, &err), CCHC_ERUNTIME);
    expect_contains(err.msg, "read-only");
    store_close(st);

    /* A writable open migrates too. */
    set_schema(fx->db, 0);
    st = open_ok(fx->db, 0);
    assert_int_equal(store_info(st, &info, &err), CCHC_OK);
    assert_int_equal(info.schema, STORE_SCHEMA_VERSION);
    assert_true(get_str(st, DB_UNITS, "\0\0\0\0\0\0\0\1", 8, buf, sizeof buf));
    assert_string_equal(buf, "kept");
    store_close(st);
    /* The new version was committed: readers who may not write open it. */
    assert_int_equal(chmod(data, 0644), 0);
    assert_int_equal(chmod(fx->db, 0555), 0);
    assert_int_equal(run_as_reader(fx->db, STORE_RDONLY, NULL), 0);
    assert_int_equal(chmod(fx->db, 0755), 0);
}

/* ---- read-only access ---------------------------------------------------- */

static void test_readonly_flag(void **state)
{
    struct fixture *fx = *state;
    struct store *st = open_ok(fx->db, STORE_CREATE);
    struct cchc_err err = {0};
    char buf[16];

    put_ok(st, DB_META, "k", 1, "v", 1);
    store_close(st);
    st = open_ok(fx->db, STORE_RDONLY);
    assert_true(store_readonly(st));
    assert_true(get_str(st, DB_META, "k", 1, buf, sizeof buf));
    struct kv kv = {DB_META, "k", "w", 1, 1};
    assert_int_equal(store_write(st, put_fn, &kv, &err), CCHC_ERUNTIME);
    expect_contains(err.msg, "read-only");
    expect_contains(err.msg_vi, "chỉ mở để đọc");
    assert_int_equal(store_reader_check(st), 0);
    store_close(st);
    st = open_ok(fx->db, 0);
    assert_true(get_str(st, DB_META, "k", 1, buf, sizeof buf));
    assert_string_equal(buf, "v"); /* unchanged */
    store_close(st);
}

/* Open dir as a user who cannot write to it (nobody when we are root, or
 * ourselves after chmod otherwise) in a child process. Returns 0 when the
 * open behaved as wanted: success, or failure with want in the message. */
static int open_as_reader(const char *dir, unsigned flags, const char *want)
{
    struct store *st;
    struct cchc_err err = {0};
    char buf[16];

    if (geteuid() == 0) {
        if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
            return 10;
    }
    if (access(dir, W_OK) == 0)
        return 11; /* the test would prove nothing */
    int rc = store_open(&st, dir, flags, &err);
    if (want) {
        if (rc == CCHC_OK || !strstr(err.msg, want)) {
            fprintf(stderr, "got: %s\n", rc ? err.msg : "success");
            return 12;
        }
        return 0;
    }
    if (rc) {
        fprintf(stderr, "open: %s\n", err.msg);
        return 13;
    }
    if (!store_readonly(st))
        return 14;
    if (!get_str(st, DB_META, "k", 1, buf, sizeof buf) || strcmp(buf, "v") != 0)
        return 15;
    struct kv kv = {DB_META, "k", "w", 1, 1};
    if (store_write(st, put_fn, &kv, &err) != CCHC_ERUNTIME || !strstr(err.msg, "read-only"))
        return 16;
    struct store_info info;
    if (store_info(st, &info, &err) != CCHC_OK || info.schema != STORE_SCHEMA_VERSION ||
        store_last_txnid(st) == 0 || store_reader_check(st) != 0)
        return 17;
    if (!get_str(st, DB_META, "k", 1, buf, sizeof buf)) /* a second read reuses the handle */
        return 18;
    store_close(st);
    return 0;
}

static int run_as_reader(const char *dir, unsigned flags, const char *want)
{
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        _exit(open_as_reader(dir, flags, want));
    return wait_child(pid);
}

static void test_readonly_directory(void **state)
{
    struct fixture *fx = *state;
    char lock[4200], data[4200];
    struct store *st = open_ok(fx->db, STORE_CREATE);

    put_ok(st, DB_META, "k", 1, "v", 1);
    store_close(st);
    snprintf(lock, sizeof lock, "%s/lock.mdb", fx->db);
    snprintf(data, sizeof data, "%s/data.mdb", fx->db);
    assert_int_equal(chmod(fx->tmp, 0755), 0);
    assert_int_equal(chmod(data, 0644), 0);
    assert_int_equal(chmod(fx->db, 0555), 0);

    /* The lock file is there and writable (as for the group): read-only. */
    assert_int_equal(chmod(lock, 0666), 0);
    assert_int_equal(run_as_reader(fx->db, 0, NULL), 0);

    /* The lock file is not writable (a copy made with its lock file): read
     * without locking, as a folder nobody writes may be read; data.mdb
     * read-only too, as a copy for auditors is; writes still refused. */
    assert_int_equal(chmod(lock, 0444), 0);
    assert_int_equal(chmod(data, 0444), 0);
    assert_int_equal(run_as_reader(fx->db, 0, NULL), 0);
    assert_int_equal(run_as_reader(fx->db, STORE_RDONLY, NULL), 0);

    /* ... but not while another process has it open: it may be writing. */
    assert_int_equal(chmod(lock, 0666), 0);
    st = open_ok(fx->db, STORE_RDONLY); /* holds LMDB's shared lock on lock.mdb */
    assert_int_equal(chmod(lock, 0444), 0);
    assert_int_equal(run_as_reader(fx->db, 0, "while it is open elsewhere"), 0);
    store_close(st);
    assert_int_equal(run_as_reader(fx->db, 0, NULL), 0);

    /* No lock file, and none can be made: read without locking, and make
     * none. */
    assert_int_equal(chmod(fx->db, 0755), 0);
    assert_int_equal(unlink(lock), 0);
    assert_int_equal(chmod(fx->db, 0555), 0);
    assert_int_equal(run_as_reader(fx->db, 0, NULL), 0);
    assert_false(path_exists(lock));
    assert_int_equal(chmod(fx->db, 0755), 0);
    assert_int_equal(chmod(data, 0644), 0);

    /* Creating where one may not write is refused, and the directory keeps
     * its mode (regression: an existing directory was once chmod'ed 2770). */
    char empty[4200];
    snprintf(empty, sizeof empty, "%s/empty", fx->tmp);
    assert_int_equal(mkdir(empty, 0555), 0);
    assert_int_equal(chmod(empty, 0555), 0);
    assert_int_equal(run_as_reader(empty, STORE_CREATE, "cannot create a database in"), 0);
    struct stat sb;
    assert_int_equal(stat(empty, &sb), 0);
    assert_int_equal(sb.st_mode & 07777, 0555);
}

/* ---- helpers of the key format ------------------------------------------- */

static void test_big_endian_helpers(void **state)
{
    (void)state;
    unsigned char b[8];

    be16_put(b, 0x1234);
    assert_true(b[0] == 0x12 && b[1] == 0x34);
    assert_int_equal(be16_get(b), 0x1234);
    be32_put(b, 0xA1B2C3D4u);
    assert_true(b[0] == 0xA1 && b[3] == 0xD4);
    assert_true(be32_get(b) == 0xA1B2C3D4u);
    be64_put(b, 0x0102030405060708u);
    for (int i = 0; i < 8; i++)
        assert_int_equal(b[i], i + 1);
    assert_true(be64_get(b) == 0x0102030405060708u);
    be64_put(b, UINT64_MAX);
    assert_true(be64_get(b) == UINT64_MAX);
    assert_string_equal(store_db_name(DB_META), "meta");
    assert_string_equal(store_db_name(IX_INDEX_RESULTS), "ix_index_results");
    assert_string_equal(store_db_name(DB_COUNT), "?");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_create_open_close, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_database, setup, teardown),
        cmocka_unit_test_setup_teardown(test_foreign_lmdb_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_put_get_del, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ids_count_up, setup, teardown),
        cmocka_unit_test_setup_teardown(test_index_seek, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cursor_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_map_full_grows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failed_write_leaves_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nested_transactions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_other_process_writes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reader_check, setup, teardown),
        cmocka_unit_test_setup_teardown(test_schema_newer_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_migration_from_zero, setup, teardown),
        cmocka_unit_test_setup_teardown(test_readonly_flag, setup, teardown),
        cmocka_unit_test_setup_teardown(test_readonly_directory, setup, teardown),
        cmocka_unit_test(test_big_endian_helpers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
