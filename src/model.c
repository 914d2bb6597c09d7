/* model.c — opening the database, reading records, writing them with their
 * secondary indexes and audit record, and checking the whole database.
 *
 * Record encodings are in model_codec.c, list windows in model_list.c. Every
 * read here is one short read transaction that copies (decodes) what it
 * needs before it ends; every write is one store_write() transaction with
 * its audit record inside it. The indexes of a record are derived from the
 * record alone (record_entries()), so that a save can remove exactly the old
 * entries and add the new ones, and model_check() can recompute what every
 * index should hold and compare.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cchc/search.h"
#include "cchc/text.h"
#include "model_int.h"

/* ---- opening ---- */

int model_open(struct model **out, const char *dbdir, unsigned flags, const char *login,
               struct cchc_err *err)
{
    struct store *st = NULL;
    *out = NULL;
    store_set_upgrade_hook(model_upgrade); /* schemas 3-5 build derived indexes */
    int rc = store_open(&st, dbdir, flags, err);
    if (rc != CCHC_OK)
        return rc;
    struct model *m = xcalloc(1, sizeof *m);
    m->st = st;
    if (!login || !*login)
        login = "?";
    m->login = text_nfc(login, strlen(login));
    *out = m;
    return CCHC_OK;
}

void model_close(struct model *m)
{
    if (!m)
        return;
    store_close(m->st);
    model_lists_free(m->lists);
    free(m->login);
    free(m->creator);
    free(m);
}

const char *model_login(const struct model *m)
{
    return m->login;
}

uint64_t model_version(struct model *m)
{
    return store_last_txnid(m->st);
}

void model_maintain(struct model *m)
{
    store_reader_check(m->st);
}

int model_store_info(struct model *m, struct store_info *info, struct cchc_err *err)
{
    return store_info(m->st, info, err);
}

/* ---- index entries ---- */

/* One key/value pair a record puts in an index. */
struct ixent {
    enum store_db db;
    uint8_t klen, vlen;
    unsigned char key[MODEL_KEY_MAX];
    unsigned char val[MODEL_VAL_MAX];
};

static void ix_id_key(struct ixent *e, enum store_db db, uint64_t key)
{
    e->db = db;
    e->klen = 8;
    be64_put(e->key, key);
}

/* A code as an index key: NFC bytes, 1..MODEL_CODE_MAX long. */
static bool ix_code_key(struct ixent *e, enum store_db db, const char *code)
{
    char *n = text_nfc(code ? code : "", code ? strlen(code) : 0);
    size_t len = strlen(n);
    bool ok = len > 0 && len <= MODEL_CODE_MAX;
    e->db = db;
    e->klen = ok ? (uint8_t)len : 0;
    if (ok)
        memcpy(e->key, n, len);
    free(n);
    return ok;
}

/* The key of a result in ix_index_results: the index code, a 0 byte, the
 * be64 unit (0: the province). Returns the length, 0 when the code cannot
 * be a key. key holds at least MODEL_KEY_MAX bytes. */
size_t model_result_key(unsigned char *key, const char *code, uint64_t unit)
{
    struct ixent e;
    if (!ix_code_key(&e, IX_INDEX_RESULTS, code))
        return 0;
    memcpy(key, e.key, e.klen);
    key[e.klen] = 0;
    be64_put(key + e.klen + 1, unit);
    return (size_t)e.klen + 9;
}

/* The sort prefix of a result in ix_index_results: year, then what it is
 * (0 the index as a whole, 1 an area or component with a score, 2 one with
 * a rank only), as be32 of year << 8 | part, so that the dashboard picks
 * what it draws without reading every record. */
static uint32_t result_prefix(const struct index_result *r)
{
    bool whole = !r->component || !*r->component || strcmp(r->component, r->index) == 0;
    unsigned part = whole ? 0u : isnan(r->score) ? 2u : 1u;
    return (uint32_t)(uint16_t)r->year << 8 | part;
}

/* Value: optional 16-, 32- or 64-bit prefix, then the be64 id. */
static void ix_val(struct ixent *e, int prefix_bytes, uint64_t prefix, uint64_t id)
{
    if (prefix_bytes == 8)
        be64_put(e->val, prefix);
    else if (prefix_bytes == 4)
        be32_put(e->val, (uint32_t)prefix);
    else if (prefix_bytes == 2)
        be16_put(e->val, (uint16_t)prefix);
    be64_put(e->val + prefix_bytes, id);
    e->vlen = (uint8_t)(prefix_bytes + 8);
}

size_t note_target_key(unsigned char *key, enum note_target t, uint64_t id, const char *criterion,
                       bool deleted)
{
    if (t < NT_VISIT || t > NT_ITEM)
        return 0;
    key[0] = (unsigned char)((unsigned)t | (deleted ? 0x80u : 0u));
    be64_put(key + 1, id);
    if (t != NT_CRITERION)
        return 9;
    char *n = text_nfc(criterion ? criterion : "", criterion ? strlen(criterion) : 0);
    size_t len = strlen(n);
    bool ok = len > 0 && len <= MODEL_CODE_MAX;
    if (ok)
        memcpy(key + 9, n, len);
    free(n);
    return ok ? 9 + len : 0;
}

/* Notes are listed by creation time: the value is be64 created|be64 id. */
static uint64_t time_key(int64_t t)
{
    return t < 0 ? 0 : (uint64_t)t;
}

static void year_kind_key(unsigned char key[3], int year, int kind)
{
    be16_put(key, (uint16_t)year);
    key[2] = (uint8_t)kind;
}

void unit_child_val(unsigned char val[CHILD_VAL_LEN], const struct unit *u)
{
    size_t klen = 0;
    unsigned char *k = text_collate_key(u->name, &klen);
    memset(val, 0, CHILD_VAL_LEN);
    val[0] = (uint8_t)u->kind;
    memcpy(val + 1, k, klen < CHILD_PREFIX ? klen : CHILD_PREFIX);
    val[1 + CHILD_PREFIX] = klen > CHILD_PREFIX;
    be64_put(val + 2 + CHILD_PREFIX, u->m.id);
    free(k);
}

uint32_t rec_deadline_key(cchc_date d)
{
    return d == 0 ? UINT32_MAX : (uint32_t)d ^ 0x80000000u;
}

/* A one-byte key: a status. */
static void ix_status_key(struct ixent *e, enum store_db db, unsigned status)
{
    e->db = db;
    e->klen = 1;
    e->key[0] = (uint8_t)status;
}

/* The index entries record r of table db should have (at most
 * MODEL_IX_MAX). Returns how many, or -1 when a code cannot be an index key. */
static int record_entries(enum store_db db, const union model_rec *r, struct ixent e[MODEL_IX_MAX])
{
    memset(e, 0, MODEL_IX_MAX * sizeof *e);
    switch (db) {
    case DB_UNITS:
        if (!ix_code_key(&e[0], IX_UNIT_CODE, r->u.code))
            return -1;
        ix_val(&e[0], 0, 0, r->u.m.id);
        ix_id_key(&e[1], IX_UNIT_CHILDREN, r->u.parent);
        unit_child_val(e[1].val, &r->u);
        e[1].vlen = CHILD_VAL_LEN;
        return 2;
    case DB_COMMITMENTS:
        ix_id_key(&e[0], IX_UNIT_COMMITMENTS, r->c.unit);
        ix_val(&e[0], 0, 0, r->c.m.id);
        return 1;
    case DB_ITEMS:
        ix_id_key(&e[0], IX_COMMITMENT_ITEMS, r->it.commitment);
        ix_val(&e[0], 4, r->it.seq, r->it.m.id);
        ix_status_key(&e[1], IX_ITEM_STATUS, r->it.status);
        ix_val(&e[1], 0, 0, r->it.m.id);
        if (!r->it.component || !*r->it.component)
            return 2;
        if (!ix_code_key(&e[2], IX_COMPONENT_ITEMS, r->it.component))
            return -1;
        ix_val(&e[2], 0, 0, r->it.m.id);
        return 3;
    case DB_VISITS:
        ix_id_key(&e[0], IX_UNIT_VISITS, r->v.unit);
        ix_val(&e[0], 4, (uint32_t)r->v.start, r->v.m.id);
        for (int i = 1; i <= 2; i++) {
            e[i].db = IX_YEAR_VISITS;
            e[i].klen = 3;
            year_kind_key(e[i].key, r->v.year, i == 1 ? (int)r->v.unit_kind : UK_NONE);
            ix_val(&e[i], 4, (uint32_t)r->v.start, r->v.m.id);
        }
        e[3].db = IX_VISIT_STATUS;
        e[3].klen = 3;
        year_kind_key(e[3].key, r->v.year, (int)r->v.status);
        ix_val(&e[3], 4, (uint32_t)r->v.start, r->v.m.id);
        return 4;
    case DB_RESULTS:
        e[0].db = IX_INDEX_RESULTS;
        e[0].klen = (uint8_t)model_result_key(e[0].key, r->r.index, r->r.unit);
        if (!e[0].klen)
            return -1;
        ix_val(&e[0], 4, result_prefix(&r->r), r->r.m.id);
        return 1;
    case DB_NOTES: {
        size_t klen =
            note_target_key(e[0].key, r->n.target, r->n.target_id, r->n.criterion, r->n.deleted);
        if (!klen)
            return -1;
        e[0].db = IX_TARGET_NOTES;
        e[0].klen = (uint8_t)klen;
        ix_val(&e[0], 8, time_key(r->n.created), r->n.m.id);
        bool on_visit = r->n.target == NT_VISIT || r->n.target == NT_CRITERION;
        if (!on_visit || r->n.deleted)
            return 1;
        ix_id_key(&e[1], IX_VISIT_NOTES, r->n.target_id);
        ix_val(&e[1], 8, time_key(r->n.created), r->n.m.id);
        return 2;
    }
    case DB_CHECKS:
        ix_id_key(&e[0], IX_VISIT_CHECKS, r->ck.visit);
        ix_val(&e[0], 0, 0, r->ck.m.id);
        return 1;
    case DB_RECS: {
        ix_id_key(&e[0], IX_VISIT_RECS, r->rc.visit);
        ix_val(&e[0], 0, 0, r->rc.m.id);
        ix_status_key(&e[1], IX_REC_STATUS, r->rc.status);
        ix_val(&e[1], 4, rec_deadline_key(r->rc.deadline), r->rc.m.id);
        if (!r->rc.unit)
            return 2;
        ix_id_key(&e[2], IX_UNIT_RECS, r->rc.unit);
        ix_val(&e[2], 0, 0, r->rc.m.id);
        return 3;
    }
    default:
        return 0;
    }
}

/* ---- upgrading ---- */

/* The tables the upgrade to schema `to` (re)made from the records. */
static bool derived_in(uint32_t to, enum store_db db)
{
    if (to == 4)
        return db == IX_UNIT_CHILDREN || db == IX_VISIT_STATUS || db == IX_REC_STATUS ||
               db == IX_ITEM_STATUS;
    return to == 5 && (db == IX_INDEX_RESULTS || db == IX_COMPONENT_ITEMS);
}

/* Put the entries of every record of db in the tables schema `to` derived.
 * A record that cannot be read is left out, as the word index leaves it:
 * model_check reports it. */
static int rebuild(struct stxn *tx, enum store_db db, uint32_t to, struct cchc_err *err)
{
    struct scursor *c;
    struct sval k, v;
    bool found = false;
    int rc = store_cursor_open(tx, db, &c, err);
    if (rc != CCHC_OK)
        return rc;
    rc = store_cursor_seek(c, NULL, 0, &k, &v, &found, err);
    for (; rc == CCHC_OK && found; rc = store_cursor_next(c, &k, &v, &found, err)) {
        union model_rec r;
        struct cchc_err derr = {0};
        struct ixent e[MODEL_IX_MAX];
        if (k.len != 8 || model_decode(db, be64_get(k.data), v.data, v.len, &r, &derr) != CCHC_OK)
            continue;
        int n = record_entries(db, &r, e);
        model_rec_free(db, &r);
        for (int i = 0; rc == CCHC_OK && i < n; i++)
            if (derived_in(to, e[i].db))
                rc = store_put(tx, e[i].db, e[i].key, e[i].klen, e[i].val, e[i].vlen, err);
    }
    store_cursor_close(c);
    return rc;
}

int model_upgrade(struct stxn *tx, uint32_t from, struct cchc_err *err)
{
    static const enum store_db sources[] = {DB_UNITS, DB_VISITS, DB_RECS, DB_ITEMS};
    int rc = CCHC_OK;
    if (from == 2)
        return search_upgrade(tx, from, err);
    if (from == 4) {
        rc = rebuild(tx, DB_RESULTS, 5, err);
        return rc == CCHC_OK ? rebuild(tx, DB_ITEMS, 5, err) : rc;
    }
    for (size_t i = 0; from == 3 && rc == CCHC_OK && i < sizeof sources / sizeof *sources; i++)
        rc = rebuild(tx, sources[i], 4, err);
    return rc;
}

/* ---- reading one record ---- */

static int get_in(struct stxn *tx, enum store_db db, uint64_t id, void *out, struct cchc_err *err)
{
    unsigned char key[8];
    struct sval v;
    bool found = false;
    be64_put(key, id);
    int rc = store_get(tx, db, key, sizeof key, &v, &found, err);
    if (rc != CCHC_OK)
        return rc;
    if (!found)
        return err_set(err, CCHC_ERUNTIME, "no record %s/%" PRIu64, store_db_name(db), id);
    return model_decode(db, id, v.data, v.len, out, err);
}

/* A failed read leaves *out zeroed, so that freeing it is harmless. */
static int read_record(struct model *m, enum store_db db, uint64_t id, void *out, size_t size,
                       struct cchc_err *err)
{
    struct stxn *tx;
    memset(out, 0, size);
    int rc = store_read_begin(m->st, &tx, err);
    if (rc == CCHC_OK) {
        rc = get_in(tx, db, id, out, err);
        store_read_end(tx);
    }
    return rc == CCHC_OK ? CCHC_OK : CCHC_ERUNTIME;
}

int model_unit(struct model *m, uint64_t id, struct unit *out, struct cchc_err *err)
{
    return read_record(m, DB_UNITS, id, out, sizeof *out, err);
}

int model_commitment(struct model *m, uint64_t id, struct commitment *out, struct cchc_err *err)
{
    return read_record(m, DB_COMMITMENTS, id, out, sizeof *out, err);
}

int model_item(struct model *m, uint64_t id, struct commitment_item *out, struct cchc_err *err)
{
    return read_record(m, DB_ITEMS, id, out, sizeof *out, err);
}

int model_visit(struct model *m, uint64_t id, struct visit *out, struct cchc_err *err)
{
    return read_record(m, DB_VISITS, id, out, sizeof *out, err);
}

int model_result(struct model *m, uint64_t id, struct index_result *out, struct cchc_err *err)
{
    return read_record(m, DB_RESULTS, id, out, sizeof *out, err);
}

int model_results(struct model *m, const uint64_t *ids, size_t n, struct index_result *out,
                  size_t *got, size_t *damaged, struct cchc_err *err)
{
    struct stxn *tx;
    *got = *damaged = 0;
    if (store_read_begin(m->st, &tx, err) != CCHC_OK)
        return CCHC_ERUNTIME;
    for (size_t i = 0; i < n; i++) {
        struct cchc_err e = {0};
        memset(&out[*got], 0, sizeof *out);
        if (get_in(tx, DB_RESULTS, ids[i], &out[*got], &e) == CCHC_OK)
            (*got)++;
        else
            (*damaged)++;
    }
    store_read_end(tx);
    return CCHC_OK;
}

/* Look a unit code up in IX_UNIT_CODE; *id = 0 when absent. */
static int code_lookup(struct stxn *tx, const char *code, uint64_t *id, struct cchc_err *err)
{
    struct ixent e;
    struct sval v;
    bool found = false;
    *id = 0;
    if (!ix_code_key(&e, IX_UNIT_CODE, code))
        return CCHC_OK;
    int rc = store_get(tx, IX_UNIT_CODE, e.key, e.klen, &v, &found, err);
    if (rc != CCHC_OK)
        return rc;
    if (found && v.len == 8)
        *id = be64_get(v.data);
    return CCHC_OK;
}

int model_unit_by_code(struct model *m, const char *code, struct unit *out, struct cchc_err *err)
{
    struct stxn *tx;
    uint64_t id = 0;
    memset(out, 0, sizeof *out);
    int rc = store_read_begin(m->st, &tx, err);
    if (rc != CCHC_OK)
        return CCHC_ERUNTIME;
    rc = code_lookup(tx, code, &id, err);
    if (rc == CCHC_OK && !id)
        rc = err_set(err, CCHC_ERUNTIME, "no unit with code %s", code ? code : "");
    if (rc == CCHC_OK)
        rc = get_in(tx, DB_UNITS, id, out, err);
    store_read_end(tx);
    return rc == CCHC_OK ? CCHC_OK : CCHC_ERUNTIME;
}

/* ---- writing ---- */

/* A save done in an attempt that store_write then threw away (the map was
 * full: it grows the map and runs fn again). The caller's struct may still
 * carry the id and revision that save gave it; when a later attempt saves a
 * record with that id and revision, it is saved as it was before. Only ids
 * and revisions are kept, never pointers: fn's own structs are gone when it
 * returns. */
struct done_put {
    enum store_db db;
    uint64_t id;
    uint32_t rev;
    uint64_t orig_id; /* what the record had before (0 = new) */
    uint32_t orig_rev;
};

struct put_log {
    struct done_put *v;
    size_t n, cap;
    size_t current; /* entries before this one are from aborted attempts */
};

struct mtx {
    struct model *m;
    struct stxn *stx;
    int64_t now;
    struct idvec reserved; /* unit ids handed out by mtx_reserve_unit_id */
    struct put_log *log;
    char *detail; /* mtx_set_detail: replaces model_write's detail */
};

struct stxn *mtx_stxn(struct mtx *tx)
{
    return tx->stx;
}

int64_t mtx_now(const struct mtx *tx)
{
    return tx->now;
}

struct model *mtx_model(struct mtx *tx)
{
    return tx->m;
}

void mtx_set_detail(struct mtx *tx, const char *detail)
{
    free(tx->detail);
    tx->detail = xstrdup(detail);
}

static void log_put(struct put_log *l, const struct done_put *d)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->v = xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = *d;
}

/* The id and revision to use for meta, seeing through aborted attempts. */
static struct rec_meta effective_meta(const struct put_log *l, enum store_db db,
                                      const struct rec_meta *meta)
{
    struct rec_meta eff = *meta;
    for (size_t i = l->current; i-- > 0;) {
        const struct done_put *d = &l->v[i];
        if (d->db == db && d->id == meta->id && d->rev == meta->rev) {
            eff.id = d->orig_id;
            eff.rev = d->orig_rev;
            break;
        }
    }
    return eff;
}

static bool is_reserved(const struct mtx *tx, uint64_t id)
{
    for (size_t i = 0; i < tx->reserved.n; i++)
        if (tx->reserved.v[i] == id)
            return true;
    return false;
}

int mtx_reserve_unit_id(struct mtx *tx, uint64_t *id, struct cchc_err *err)
{
    int rc = store_next_id(tx->stx, DB_UNITS, id, err);
    if (rc == CCHC_OK)
        idvec_push(&tx->reserved, *id);
    return rc;
}

int mtx_unit_by_code(struct mtx *tx, const char *code, uint64_t *id, struct cchc_err *err)
{
    int rc = code_lookup(tx->stx, code, id, err);
    if (rc == CCHC_OK && !*id)
        return err_set(err, CCHC_ERUNTIME, "no unit with code %s", code ? code : "");
    return rc;
}

static int exists(struct mtx *tx, enum store_db db, uint64_t id, bool *found, struct cchc_err *err)
{
    unsigned char key[8];
    struct sval v;
    be64_put(key, id);
    return store_get(tx->stx, db, key, sizeof key, &v, found, err);
}

/* A reference from a record being saved must name an existing record. */
static int need_ref(struct mtx *tx, const char *what, enum store_db db, uint64_t id,
                    struct cchc_err *err)
{
    bool found = false;
    int rc = exists(tx, db, id, &found, err);
    if (rc != CCHC_OK)
        return rc;
    if (!found)
        return err_set(err, CCHC_EUSAGE, "%s: no record %s/%" PRIu64, what, store_db_name(db), id);
    return CCHC_OK;
}

/* What a save is about to do: the id and revision to write, the record as
 * it was (for its old index entries). */
struct put_plan {
    enum store_db db;
    uint64_t id;
    uint32_t rev;
    uint64_t orig_id; /* the caller's id and revision, through aborted attempts */
    uint32_t orig_rev;
    bool had_old;
    union model_rec old;
};

static int put_begin(struct mtx *tx, enum store_db db, const struct rec_meta *given,
                     struct put_plan *pp, struct cchc_err *err)
{
    const char *table = store_db_name(db);
    struct rec_meta eff = effective_meta(tx->log, db, given);
    const struct rec_meta *meta = &eff;
    memset(pp, 0, sizeof *pp);
    pp->db = db;
    pp->orig_id = meta->id;
    pp->orig_rev = meta->rev;
    if (meta->id == 0) {
        pp->rev = 1;
        return store_next_id(tx->stx, db, &pp->id, err);
    }
    pp->id = meta->id;
    if (meta->rev == 0) { /* new, under an id reserved in this transaction */
        if (db != DB_UNITS || !is_reserved(tx, meta->id))
            return err_set(err, CCHC_EUSAGE, "%s/%" PRIu64 " is new but its id was not reserved",
                           table, meta->id);
        bool found = false;
        int rc = exists(tx, db, meta->id, &found, err);
        if (rc != CCHC_OK)
            return rc;
        if (found)
            return err_set(err, CCHC_ERUNTIME, "%s/%" PRIu64 " already exists", table, meta->id);
        pp->rev = 1;
        return CCHC_OK;
    }
    int rc = get_in(tx->stx, db, meta->id, &pp->old, err);
    if (rc != CCHC_OK)
        return CCHC_ERUNTIME;
    pp->had_old = true;
    /* every record struct begins with its struct rec_meta */
    const struct rec_meta *old = &pp->old.u.m;
    if (old->rev != meta->rev) {
        char when[17];
        rc = err_set(err, CCHC_ERUNTIME,
                     "%s/%" PRIu64 " was changed by %s at %s since you opened it", table, meta->id,
                     old->mby ? old->mby : "?", time_format(old->mtime, when));
        err_vi(err, "Bản ghi %s/%" PRIu64 " đã được %s sửa lúc %s, sau khi bạn mở", table, meta->id,
               old->mby ? old->mby : "?", when);
        model_rec_free(db, &pp->old);
        pp->had_old = false;
        return rc;
    }
    pp->rev = old->rev + 1;
    return CCHC_OK;
}

static void put_plan_free(struct put_plan *pp)
{
    if (pp->had_old)
        model_rec_free(pp->db, &pp->old);
    pp->had_old = false;
}

/* "corrupt record units: field code (4) is missing" -> "field code (4) is missing" */
static const char *err_detail(const struct cchc_err *e)
{
    const char *p = strstr(e->msg, ": ");
    return p ? p + 2 : e->msg;
}

static int set_index(struct mtx *tx, const struct ixent *e, size_t n, bool add,
                     struct cchc_err *err)
{
    for (size_t i = 0; i < n; i++) {
        int rc = add ? store_put(tx->stx, e[i].db, e[i].key, e[i].klen, e[i].val, e[i].vlen, err)
                     : store_del(tx->stx, e[i].db, e[i].key, e[i].klen, e[i].val, e[i].vlen, err);
        if (rc != CCHC_OK)
            return rc;
    }
    return CCHC_OK;
}

/* Write rec (the caller's struct) under the plan: new meta, re-index, store,
 * then tell the caller its record's new id and revision. */
static int put_finish(struct mtx *tx, struct put_plan *pp, void *rec, size_t size,
                      enum unit_kind *kind, enum unit_kind new_kind, struct cchc_err *err)
{
    const char *table = store_db_name(pp->db);
    union model_rec copy, check;
    struct ixent olde[MODEL_IX_MAX], newe[MODEL_IX_MAX];
    int nold = 0, nnew;
    int rc;

    memcpy(&copy, rec, size); /* shallow: only its meta is changed */
    copy.u.m.id = pp->id;
    copy.u.m.rev = pp->rev;
    copy.u.m.mtime = tx->now;
    copy.u.m.mby = tx->m->login;
    if (kind)
        copy.v.unit_kind = new_kind;

    struct recw w = {0};
    size_t len;
    model_encode(pp->db, &copy, &w);
    const void *data = recw_data(&w, &len);
    /* never write what could not be read back */
    struct cchc_err derr = {0};
    if (model_decode(pp->db, pp->id, data, len, &check, &derr) != CCHC_OK) {
        recw_free(&w);
        return err_set(err, CCHC_EUSAGE, "cannot save %s/%" PRIu64 ": %s", table, pp->id,
                       err_detail(&derr));
    }
    model_rec_free(pp->db, &check);

    nnew = record_entries(pp->db, &copy, newe);
    if (pp->had_old)
        nold = record_entries(pp->db, &pp->old, olde);
    if (nnew < 0) {
        recw_free(&w);
        return err_set(err, CCHC_EUSAGE, "cannot save %s/%" PRIu64 ": code empty or over %d bytes",
                       table, pp->id, MODEL_CODE_MAX);
    }
    unsigned char key[8];
    be64_put(key, pp->id);
    rc = nold > 0 ? set_index(tx, olde, (size_t)nold, false, err) : CCHC_OK;
    if (rc == CCHC_OK)
        rc = set_index(tx, newe, (size_t)nnew, true, err);
    if (rc == CCHC_OK) /* the word index (search.h): old words out, new ones in */
        rc = search_index_record(tx->stx, pp->db, pp->had_old ? &pp->old : NULL, &copy, err);
    if (rc == CCHC_OK)
        rc = store_put(tx->stx, pp->db, key, sizeof key, data, len, err);
    recw_free(&w);
    if (rc != CCHC_OK)
        return rc;

    struct rec_meta *m = rec; /* every record struct begins with it */
    log_put(tx->log, &(struct done_put){pp->db, pp->id, pp->rev, pp->orig_id, pp->orig_rev});
    m->id = pp->id;
    m->rev = pp->rev;
    m->mtime = tx->now;
    free(m->mby);
    m->mby = xstrdup(tx->m->login);
    if (kind)
        *kind = new_kind;
    return CCHC_OK;
}

int mtx_put_unit(struct mtx *tx, struct unit *u, struct cchc_err *err)
{
    struct put_plan pp;
    uint64_t other = 0;
    int rc = put_begin(tx, DB_UNITS, &u->m, &pp, err);
    if (rc == CCHC_OK)
        rc = code_lookup(tx->stx, u->code, &other, err);
    if (rc == CCHC_OK && other && other != pp.id)
        rc = err_set(err, CCHC_EUSAGE, "a unit with code %s already exists (units/%" PRIu64 ")",
                     u->code, other);
    if (rc == CCHC_OK && u->parent == pp.id)
        rc = err_set(err, CCHC_EUSAGE, "unit %s cannot be its own parent", u->code);
    if (rc == CCHC_OK && u->parent)
        rc = need_ref(tx, "parent", DB_UNITS, u->parent, err);
    if (rc == CCHC_OK)
        rc = put_finish(tx, &pp, u, sizeof *u, NULL, UK_NONE, err);
    put_plan_free(&pp);
    return rc;
}

int mtx_put_commitment(struct mtx *tx, struct commitment *c, struct cchc_err *err)
{
    struct put_plan pp;
    int rc = put_begin(tx, DB_COMMITMENTS, &c->m, &pp, err);
    if (rc == CCHC_OK)
        rc = need_ref(tx, "commitment unit", DB_UNITS, c->unit, err);
    if (rc == CCHC_OK && c->counter_unit)
        rc = need_ref(tx, "commitment counter-signing unit", DB_UNITS, c->counter_unit, err);
    if (rc == CCHC_OK)
        rc = put_finish(tx, &pp, c, sizeof *c, NULL, UK_NONE, err);
    put_plan_free(&pp);
    return rc;
}

int mtx_put_item(struct mtx *tx, struct commitment_item *it, struct cchc_err *err)
{
    struct put_plan pp;
    int rc = put_begin(tx, DB_ITEMS, &it->m, &pp, err);
    if (rc == CCHC_OK)
        rc = need_ref(tx, "item commitment", DB_COMMITMENTS, it->commitment, err);
    if (rc == CCHC_OK)
        rc = put_finish(tx, &pp, it, sizeof *it, NULL, UK_NONE, err);
    put_plan_free(&pp);
    return rc;
}

int mtx_put_visit(struct mtx *tx, struct visit *v, struct cchc_err *err)
{
    struct put_plan pp;
    struct unit u = {0};
    int rc = put_begin(tx, DB_VISITS, &v->m, &pp, err);
    /* the unit's kind is copied so that lists by year and kind need no lookup */
    if (rc == CCHC_OK && !v->unit)
        rc = err_set(err, CCHC_EUSAGE, "visit %s has no unit", v->code ? v->code : "");
    if (rc == CCHC_OK)
        rc = get_in(tx->stx, DB_UNITS, v->unit, &u, err);
    if (rc == CCHC_OK)
        rc = put_finish(tx, &pp, v, sizeof *v, &v->unit_kind, u.kind, err);
    unit_free(&u);
    put_plan_free(&pp);
    return rc;
}

int mtx_put_result(struct mtx *tx, struct index_result *r, struct cchc_err *err)
{
    struct put_plan pp;
    int rc = put_begin(tx, DB_RESULTS, &r->m, &pp, err);
    if (rc == CCHC_OK && r->unit)
        rc = need_ref(tx, "result unit", DB_UNITS, r->unit, err);
    if (rc == CCHC_OK)
        rc = put_finish(tx, &pp, r, sizeof *r, NULL, UK_NONE, err);
    put_plan_free(&pp);
    return rc;
}

int mtx_get_record(struct mtx *tx, enum store_db db, uint64_t id, void *out, struct cchc_err *err)
{
    if (!model_is_record_db(db))
        return err_set(err, CCHC_ERUNTIME, "%s is not a record table", store_db_name(db));
    return get_in(tx->stx, db, id, out, err) == CCHC_OK ? CCHC_OK : CCHC_ERUNTIME;
}

static size_t record_size(enum store_db db)
{
    switch (db) {
    case DB_NOTES:
        return sizeof(struct note);
    case DB_CHECKS:
        return sizeof(struct check_result);
    case DB_RECS:
        return sizeof(struct recommendation);
    default:
        return 0;
    }
}

/* The record a note is about must exist. */
static int note_ref(struct mtx *tx, const struct note *n, struct cchc_err *err)
{
    switch (n->target) {
    case NT_VISIT:
    case NT_CRITERION:
        return need_ref(tx, "note target", DB_VISITS, n->target_id, err);
    case NT_UNIT:
        return need_ref(tx, "note target", DB_UNITS, n->target_id, err);
    case NT_ITEM:
        return need_ref(tx, "note target", DB_ITEMS, n->target_id, err);
    }
    return err_set(err, CCHC_EUSAGE, "a note on nothing (target %d)", (int)n->target);
}

int mtx_put_record(struct mtx *tx, enum store_db db, void *rec, struct cchc_err *err)
{
    size_t size = record_size(db);
    if (!size)
        return err_set(err, CCHC_ERUNTIME, "%s is not a recording table", store_db_name(db));
    const union model_rec *r = rec;
    struct put_plan pp;
    int rc = put_begin(tx, db, rec, &pp, err);
    if (rc == CCHC_OK && db == DB_NOTES)
        rc = note_ref(tx, &r->n, err);
    if (rc == CCHC_OK && db == DB_CHECKS)
        rc = need_ref(tx, "check visit", DB_VISITS, r->ck.visit, err);
    if (rc == CCHC_OK && db == DB_RECS)
        rc = need_ref(tx, "recommendation visit", DB_VISITS, r->rc.visit, err);
    if (rc == CCHC_OK && db == DB_RECS && r->rc.unit)
        rc = need_ref(tx, "recommendation unit", DB_UNITS, r->rc.unit, err);
    if (rc == CCHC_OK)
        rc = put_finish(tx, &pp, rec, size, NULL, UK_NONE, err);
    put_plan_free(&pp);
    return rc;
}

struct write_ctx {
    struct model *m;
    const char *what, *detail;
    model_write_fn fn;
    void *ctx;
    struct put_log log;
};

static int write_audit(struct mtx *tx, const char *what, const char *detail, struct cchc_err *err)
{
    struct audit_entry a = {
        .time = tx->now, .login = tx->m->login, .what = (char *)what, .detail = (char *)detail};
    unsigned char key[8];
    struct recw w = {0};
    size_t len;
    int rc = store_next_id(tx->stx, DB_AUDIT, &a.seq, err);
    if (rc != CCHC_OK)
        return rc;
    be64_put(key, a.seq);
    audit_encode(&a, &w);
    const void *data = recw_data(&w, &len);
    rc = store_put(tx->stx, DB_AUDIT, key, sizeof key, data, len, err);
    recw_free(&w);
    return rc;
}

static int write_cb(struct stxn *stx, void *p, struct cchc_err *err)
{
    struct write_ctx *wc = p;
    /* store_write may run this again after growing the map: what earlier
     * attempts saved was thrown away */
    wc->log.current = wc->log.n;
    struct mtx tx = {.m = wc->m, .stx = stx, .now = time_now(), .log = &wc->log};
    int rc = wc->fn(&tx, wc->ctx, err);
    if (rc != CCHC_OK && err && !err->code) {
        err_set(err, rc, "%s: failed", wc->what);
        err_vi(err, "%s: không thực hiện được", wc->what);
    }
    if (rc == CCHC_OK)
        rc = write_audit(&tx, wc->what, tx.detail ? tx.detail : wc->detail, err);
    idvec_free(&tx.reserved);
    free(tx.detail);
    return rc;
}

int model_write(struct model *m, const char *what, const char *detail, model_write_fn fn, void *ctx,
                struct cchc_err *err)
{
    struct write_ctx wc = {m, what && *what ? what : "write", detail, fn, ctx, {0}};
    int rc = store_write(m->st, write_cb, &wc, err);
    free(wc.log.v);
    return rc;
}

/* ---- visit years ---- */

int model_visit_years(struct model *m, int *years, size_t max, size_t *n, struct cchc_err *err)
{
    struct stxn *tx;
    struct scursor *c = NULL;
    *n = 0;
    int rc = store_read_begin(m->st, &tx, err);
    if (rc != CCHC_OK)
        return CCHC_ERUNTIME;
    rc = store_cursor_open(tx, IX_YEAR_VISITS, &c, err);
    /* jump from year to year: each seek lands on the first key of the next year */
    for (unsigned year = 0; rc == CCHC_OK && year <= 0xFFFF && *n < max;) {
        unsigned char key[3];
        struct sval k, v;
        bool found = false;
        year_kind_key(key, (int)year, 0);
        rc = store_cursor_seek(c, key, sizeof key, &k, &v, &found, err);
        if (rc != CCHC_OK || !found || k.len < 2)
            break;
        unsigned y = be16_get(k.data);
        years[(*n)++] = (int)y;
        year = y + 1;
    }
    store_cursor_close(c);
    store_read_end(tx);
    return rc == CCHC_OK ? CCHC_OK : CCHC_ERUNTIME;
}

/* ---- audit ---- */

struct raw {
    uint64_t key;
    void *data;
    size_t len;
};

/* Read the audit records with lo <= seq < hi (hi 0 = no limit), keeping the
 * last `max` in ring (which holds *nring, the oldest at *first). */
static int audit_span(struct stxn *tx, uint64_t lo, uint64_t hi, struct raw *ring, size_t max,
                      size_t *nring, size_t *first, struct cchc_err *err)
{
    struct scursor *c;
    unsigned char key[8];
    struct sval k, v;
    bool found = false;
    int rc = store_cursor_open(tx, DB_AUDIT, &c, err);
    if (rc != CCHC_OK)
        return rc;
    be64_put(key, lo);
    rc = store_cursor_seek(c, key, sizeof key, &k, &v, &found, err);
    while (rc == CCHC_OK && found) {
        uint64_t seq = k.len == 8 ? be64_get(k.data) : 0;
        if (hi && seq >= hi)
            break;
        struct raw *slot;
        if (*nring < max) {
            slot = &ring[(*first + *nring) % max];
            (*nring)++;
        } else {
            slot = &ring[*first];
            *first = (*first + 1) % max;
            free(slot->data);
        }
        slot->key = seq;
        slot->len = v.len;
        slot->data = xmalloc(v.len ? v.len : 1);
        memcpy(slot->data, v.data, v.len);
        rc = store_cursor_next(c, &k, &v, &found, err);
    }
    store_cursor_close(c);
    return rc;
}

static void ring_clear(struct raw *ring, size_t max, size_t *nring, size_t *first)
{
    for (size_t i = 0; i < max; i++) {
        free(ring[i].data);
        ring[i].data = NULL;
    }
    *nring = *first = 0;
}

int model_audit(struct model *m, uint64_t before, size_t max, struct audit_entry *out, size_t *n,
                struct cchc_err *err)
{
    struct stxn *tx;
    size_t total = 0, nring = 0, first = 0;
    *n = 0;
    if (max == 0)
        return CCHC_OK;
    int rc = store_read_begin(m->st, &tx, err);
    if (rc != CCHC_OK)
        return CCHC_ERUNTIME;
    rc = store_count(tx, DB_AUDIT, &total, err);
    struct raw *ring = xcalloc(max, sizeof *ring);
    /* Sequence numbers are dense, so the newest `max` are usually in
     * [top - max, top); widen the span backwards until enough are found. */
    uint64_t top = before ? before : (uint64_t)total + 1;
    for (uint64_t span = max; rc == CCHC_OK; span *= 2) {
        uint64_t lo = top > span ? top - span : 0;
        ring_clear(ring, max, &nring, &first);
        rc = audit_span(tx, lo, before, ring, max, &nring, &first, err);
        if (rc != CCHC_OK || nring == max || lo == 0)
            break;
    }
    store_read_end(tx);
    /* newest first */
    for (size_t i = 0; rc == CCHC_OK && i < nring; i++) {
        struct raw *r = &ring[(first + nring - 1 - i) % max];
        struct cchc_err derr = {0};
        if (model_decode(DB_AUDIT, r->key, r->data, r->len, &out[*n], &derr) != CCHC_OK) {
            /* keep the place of a damaged entry visible */
            memset(&out[*n], 0, sizeof out[*n]);
            out[*n].seq = r->key;
            out[*n].what = xstrdup("?");
            out[*n].detail = xstrdup(derr.msg);
        }
        (*n)++;
    }
    ring_clear(ring, max, &nring, &first);
    free(ring);
    return rc == CCHC_OK ? CCHC_OK : CCHC_ERUNTIME;
}

/* ---- raw access ---- */

struct raw_put {
    enum store_db db;
    uint64_t id;
    const void *data;
    size_t len;
};

static int raw_put_cb(struct stxn *tx, void *p, struct cchc_err *err)
{
    struct raw_put *rp = p;
    unsigned char key[8];
    be64_put(key, rp->id);
    return store_put(tx, rp->db, key, sizeof key, rp->data, rp->len, err);
}

int model_raw_put(struct model *m, const char *table, uint64_t id, const void *data, size_t len,
                  struct cchc_err *err)
{
    for (int db = 0; db < DB_COUNT; db++) {
        if (table && strcmp(store_db_name((enum store_db)db), table) == 0) {
            struct raw_put rp = {(enum store_db)db, id, data, len};
            return store_write(m->st, raw_put_cb, &rp, err);
        }
    }
    return err_set(err, CCHC_EUSAGE, "no table %s", table ? table : "(null)");
}

/* ---- checking ---- */

/* A reference from one record to another, checked once all are read. */
struct ref {
    enum store_db from;
    uint64_t from_id;
    const char *what;
    enum store_db to;
    uint64_t to_id;
};

struct check_key {
    uint64_t visit;
    char *criterion;
    uint64_t id;
};

struct checker {
    struct stxn *tx;
    void (*report)(void *ctx, const char *line);
    void *ctx;
    int problems;
    struct idvec ok[DB_COUNT];      /* ids of records that decoded, ascending */
    struct idvec corrupt[DB_COUNT]; /* ids of records that did not */
    struct ixent *expect;
    size_t n_expect, cap_expect;
    struct ixent *actual;
    size_t n_actual, cap_actual;
    struct ref *refs;
    size_t n_refs, cap_refs;
    struct check_key *checks;
    size_t n_checks, cap_checks;
};

static void problem(struct checker *ck, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void problem(struct checker *ck, const char *fmt, ...)
{
    struct strbuf sb = {0};
    va_list ap;
    va_start(ap, fmt);
    sb_vaddf(&sb, fmt, ap);
    va_end(ap);
    ck->problems++;
    if (ck->report)
        ck->report(ck->ctx, sb_str(&sb));
    sb_free(&sb);
}

static void push_ent(struct ixent **arr, size_t *n, size_t *cap, const struct ixent *e)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 256;
        *arr = xrealloc(*arr, *cap * sizeof **arr);
    }
    (*arr)[(*n)++] = *e;
}

static void add_ref(struct checker *ck, enum store_db from, uint64_t from_id, const char *what,
                    enum store_db to, uint64_t to_id)
{
    if (!to_id)
        return;
    if (ck->n_refs == ck->cap_refs) {
        ck->cap_refs = ck->cap_refs ? ck->cap_refs * 2 : 256;
        ck->refs = xrealloc(ck->refs, ck->cap_refs * sizeof *ck->refs);
    }
    ck->refs[ck->n_refs++] = (struct ref){from, from_id, what, to, to_id};
}

/* One checklist result per visit and criterion: remembered to find twins. */
static void push_check_key(struct checker *ck, uint64_t visit, const char *criterion, uint64_t id)
{
    if (ck->n_checks == ck->cap_checks) {
        ck->cap_checks = ck->cap_checks ? ck->cap_checks * 2 : 64;
        ck->checks = xrealloc(ck->checks, ck->cap_checks * sizeof *ck->checks);
    }
    ck->checks[ck->n_checks++] = (struct check_key){visit, xstrdup(criterion ? criterion : ""), id};
}

static int check_key_cmp(const void *pa, const void *pb)
{
    const struct check_key *a = pa, *b = pb;
    if (a->visit != b->visit)
        return a->visit < b->visit ? -1 : 1;
    int c = strcmp(a->criterion, b->criterion);
    if (c)
        return c;
    return a->id < b->id ? -1 : a->id > b->id;
}

static void check_twins(struct checker *ck)
{
    if (ck->n_checks)
        qsort(ck->checks, ck->n_checks, sizeof *ck->checks, check_key_cmp);
    for (size_t i = 1; i < ck->n_checks; i++) {
        const struct check_key *a = &ck->checks[i - 1], *b = &ck->checks[i];
        if (a->visit == b->visit && strcmp(a->criterion, b->criterion) == 0)
            problem(ck,
                    "checks/%" PRIu64 ": a second result for visit %" PRIu64
                    " criterion %s (checks/%" PRIu64 ")",
                    b->id, b->visit, b->criterion, a->id);
    }
    for (size_t i = 0; i < ck->n_checks; i++)
        free(ck->checks[i].criterion);
    free(ck->checks);
}

static bool has_id(const struct idvec *iv, uint64_t id)
{
    size_t lo = 0, hi = iv->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (iv->v[mid] == id)
            return true;
        if (iv->v[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

static void record_refs(struct checker *ck, enum store_db db, const union model_rec *r)
{
    switch (db) {
    case DB_UNITS:
        add_ref(ck, db, r->u.m.id, "parent", DB_UNITS, r->u.parent);
        add_ref(ck, db, r->u.m.id, "successor", DB_UNITS, r->u.successor);
        break;
    case DB_COMMITMENTS:
        add_ref(ck, db, r->c.m.id, "unit", DB_UNITS, r->c.unit);
        add_ref(ck, db, r->c.m.id, "counter_unit", DB_UNITS, r->c.counter_unit);
        break;
    case DB_ITEMS:
        add_ref(ck, db, r->it.m.id, "commitment", DB_COMMITMENTS, r->it.commitment);
        break;
    case DB_VISITS:
        add_ref(ck, db, r->v.m.id, "unit", DB_UNITS, r->v.unit);
        break;
    case DB_RESULTS:
        add_ref(ck, db, r->r.m.id, "unit", DB_UNITS, r->r.unit);
        break;
    case DB_NOTES: {
        enum store_db to = r->n.target == NT_UNIT   ? DB_UNITS
                           : r->n.target == NT_ITEM ? DB_ITEMS
                                                    : DB_VISITS;
        add_ref(ck, db, r->n.m.id, "target", to, r->n.target_id);
        break;
    }
    case DB_CHECKS:
        add_ref(ck, db, r->ck.m.id, "visit", DB_VISITS, r->ck.visit);
        push_check_key(ck, r->ck.visit, r->ck.criterion, r->ck.m.id);
        break;
    case DB_RECS:
        add_ref(ck, db, r->rc.m.id, "visit", DB_VISITS, r->rc.visit);
        add_ref(ck, db, r->rc.m.id, "unit", DB_UNITS, r->rc.unit);
        break;
    default:
        break;
    }
}

/* Decode every record of one table, noting its index entries and references. */
static int check_table(struct checker *ck, enum store_db db, struct cchc_err *err)
{
    struct scursor *c;
    struct sval k, v;
    bool found = false;
    const char *table = store_db_name(db);
    int rc = store_cursor_open(ck->tx, db, &c, err);
    if (rc != CCHC_OK)
        return rc;
    rc = store_cursor_seek(c, NULL, 0, &k, &v, &found, err);
    for (; rc == CCHC_OK && found; rc = store_cursor_next(c, &k, &v, &found, err)) {
        if (k.len != 8) {
            problem(ck, "%s: a key of %zu bytes (ids are 8)", table, k.len);
            continue;
        }
        uint64_t id = be64_get(k.data);
        union model_rec r;
        struct cchc_err derr = {0};
        if (model_decode(db, id, v.data, v.len, &r, &derr) != CCHC_OK) {
            problem(ck, "%s", derr.msg);
            idvec_push(&ck->corrupt[db], id);
            continue;
        }
        idvec_push(&ck->ok[db], id);
        struct ixent e[MODEL_IX_MAX];
        int n = record_entries(db, &r, e);
        if (n < 0)
            problem(ck, "%s/%" PRIu64 ": code cannot be an index key", table, id);
        for (int i = 0; i < n; i++)
            push_ent(&ck->expect, &ck->n_expect, &ck->cap_expect, &e[i]);
        record_refs(ck, db, &r);
        model_rec_free(db, &r);
    }
    store_cursor_close(c);
    return rc;
}

static size_t index_vlen(enum store_db db)
{
    switch (db) {
    case IX_UNIT_CHILDREN:
        return CHILD_VAL_LEN;
    case IX_TARGET_NOTES:
    case IX_VISIT_NOTES:
        return 16;
    case IX_COMMITMENT_ITEMS:
    case IX_UNIT_VISITS:
    case IX_YEAR_VISITS:
    case IX_VISIT_STATUS:
    case IX_REC_STATUS:
    case IX_INDEX_RESULTS:
        return 12;
    default:
        return 8;
    }
}

static enum store_db index_target(enum store_db db)
{
    switch (db) {
    case IX_UNIT_COMMITMENTS:
        return DB_COMMITMENTS;
    case IX_COMMITMENT_ITEMS:
    case IX_ITEM_STATUS:
    case IX_COMPONENT_ITEMS:
        return DB_ITEMS;
    case IX_UNIT_VISITS:
    case IX_YEAR_VISITS:
    case IX_VISIT_STATUS:
        return DB_VISITS;
    case IX_INDEX_RESULTS:
        return DB_RESULTS;
    case IX_TARGET_NOTES:
    case IX_VISIT_NOTES:
        return DB_NOTES;
    case IX_VISIT_CHECKS:
        return DB_CHECKS;
    case IX_VISIT_RECS:
    case IX_UNIT_RECS:
    case IX_REC_STATUS:
        return DB_RECS;
    default:
        return DB_UNITS;
    }
}

static void key_text(const struct ixent *e, char *buf, size_t size)
{
    if (e->db == IX_UNIT_CODE || e->db == IX_COMPONENT_ITEMS)
        snprintf(buf, size, "'%.*s'", (int)e->klen, (const char *)e->key);
    else if (e->db == IX_INDEX_RESULTS && e->klen > 9)
        snprintf(buf, size, "'%.*s'/%" PRIu64, (int)(e->klen - 9), (const char *)e->key,
                 be64_get(e->key + e->klen - 8));
    else if (e->db == IX_TARGET_NOTES && e->klen >= 9)
        snprintf(buf, size, "%s%u/%" PRIu64 "%s%.*s", e->key[0] & 0x80 ? "deleted " : "",
                 (unsigned)(e->key[0] & 0x7f), be64_get(e->key + 1), e->klen > 9 ? "/" : "",
                 (int)(e->klen - 9), (const char *)e->key + 9);
    else if ((e->db == IX_YEAR_VISITS || e->db == IX_VISIT_STATUS) && e->klen == 3)
        snprintf(buf, size, "%u/%u", (unsigned)be16_get(e->key), (unsigned)e->key[2]);
    else if (e->klen == 1)
        snprintf(buf, size, "status %u", (unsigned)e->key[0]);
    else if (e->klen == 8)
        snprintf(buf, size, "%" PRIu64, be64_get(e->key));
    else
        snprintf(buf, size, "(%u bytes)", (unsigned)e->klen);
}

/* Read every pair of one index table. */
static int read_index(struct checker *ck, enum store_db db, struct cchc_err *err)
{
    struct scursor *c;
    struct sval k, v;
    bool found = false;
    const char *name = store_db_name(db);
    int rc = store_cursor_open(ck->tx, db, &c, err);
    if (rc != CCHC_OK)
        return rc;
    rc = store_cursor_seek(c, NULL, 0, &k, &v, &found, err);
    for (; rc == CCHC_OK && found; rc = store_cursor_next(c, &k, &v, &found, err)) {
        struct ixent e = {.db = db};
        if (k.len == 0 || k.len > MODEL_KEY_MAX || v.len != index_vlen(db)) {
            problem(ck, "%s: an entry of %zu+%zu bytes that no record makes", name, k.len, v.len);
            continue;
        }
        e.klen = (uint8_t)k.len;
        e.vlen = (uint8_t)v.len;
        memcpy(e.key, k.data, k.len);
        memcpy(e.val, v.data, v.len);
        push_ent(&ck->actual, &ck->n_actual, &ck->cap_actual, &e);
    }
    store_cursor_close(c);
    return rc;
}

static int ent_cmp(const void *pa, const void *pb)
{
    const struct ixent *a = pa, *b = pb;
    if (a->db != b->db)
        return a->db < b->db ? -1 : 1;
    size_t kl = a->klen < b->klen ? a->klen : b->klen;
    int c = memcmp(a->key, b->key, kl);
    if (c || a->klen != b->klen)
        return c ? c : (a->klen < b->klen ? -1 : 1);
    c = memcmp(a->val, b->val, a->vlen < b->vlen ? a->vlen : b->vlen);
    if (c || a->vlen != b->vlen)
        return c ? c : (a->vlen < b->vlen ? -1 : 1);
    return 0;
}

static void report_extra(struct checker *ck, const struct ixent *e)
{
    char key[96];
    enum store_db to = index_target(e->db);
    uint64_t id = be64_get(e->val + e->vlen - 8);
    key_text(e, key, sizeof key);
    if (has_id(&ck->corrupt[to], id))
        return; /* the record is already reported as corrupt */
    if (!has_id(&ck->ok[to], id))
        problem(ck, "%s: entry %s points to missing %s/%" PRIu64, store_db_name(e->db), key,
                store_db_name(to), id);
    else
        problem(ck, "%s: entry %s does not agree with %s/%" PRIu64, store_db_name(e->db), key,
                store_db_name(to), id);
}

static void report_missing(struct checker *ck, const struct ixent *e)
{
    char key[96];
    enum store_db to = index_target(e->db);
    key_text(e, key, sizeof key);
    problem(ck, "%s/%" PRIu64 ": no entry %s in %s", store_db_name(to),
            be64_get(e->val + e->vlen - 8), key, store_db_name(e->db));
}

/* Both lists sorted: walk them together. */
static void compare_indexes(struct checker *ck)
{
    size_t i = 0, j = 0;
    qsort(ck->expect, ck->n_expect, sizeof *ck->expect, ent_cmp);
    qsort(ck->actual, ck->n_actual, sizeof *ck->actual, ent_cmp);
    while (i < ck->n_expect || j < ck->n_actual) {
        int c = i == ck->n_expect   ? 1
                : j == ck->n_actual ? -1
                                    : ent_cmp(&ck->expect[i], &ck->actual[j]);
        if (c == 0) {
            i++, j++;
        } else if (c < 0) {
            report_missing(ck, &ck->expect[i++]);
        } else {
            report_extra(ck, &ck->actual[j++]);
        }
    }
}

static void check_refs(struct checker *ck)
{
    for (size_t i = 0; i < ck->n_refs; i++) {
        const struct ref *r = &ck->refs[i];
        if (!has_id(&ck->ok[r->to], r->to_id) && !has_id(&ck->corrupt[r->to], r->to_id))
            problem(ck, "%s/%" PRIu64 ": %s refers to missing %s/%" PRIu64, store_db_name(r->from),
                    r->from_id, r->what, store_db_name(r->to), r->to_id);
    }
}

/* Old versions of notes: key be64 note id|be32 rev, the record that rev. */
static int check_history(struct checker *ck, struct cchc_err *err)
{
    struct scursor *c;
    struct sval k, v;
    bool found = false;
    int rc = store_cursor_open(ck->tx, DB_NOTE_HISTORY, &c, err);
    if (rc != CCHC_OK)
        return rc;
    rc = store_cursor_seek(c, NULL, 0, &k, &v, &found, err);
    for (; rc == CCHC_OK && found; rc = store_cursor_next(c, &k, &v, &found, err)) {
        if (k.len != 12) {
            problem(ck, "note_history: a key of %zu bytes (note id and revision are 12)", k.len);
            continue;
        }
        uint64_t id = be64_get(k.data);
        uint32_t rev = be32_get((const unsigned char *)k.data + 8);
        struct note n;
        struct cchc_err derr = {0};
        if (model_decode(DB_NOTE_HISTORY, id, v.data, v.len, &n, &derr) != CCHC_OK) {
            problem(ck, "%s (revision %" PRIu32 ")", derr.msg, rev);
            continue;
        }
        if (n.m.rev != rev)
            problem(ck, "note_history/%" PRIu64 "/%" PRIu32 ": holds revision %" PRIu32, id, rev,
                    n.m.rev);
        if (!has_id(&ck->ok[DB_NOTES], id) && !has_id(&ck->corrupt[DB_NOTES], id))
            problem(ck, "note_history/%" PRIu64 "/%" PRIu32 ": no note %" PRIu64, id, rev, id);
        note_free(&n);
    }
    store_cursor_close(c);
    return rc;
}

/* Drafts: key login NUL place, the same two inside the record. */
static int check_drafts(struct checker *ck, struct cchc_err *err)
{
    struct scursor *c;
    struct sval k, v;
    bool found = false;
    int rc = store_cursor_open(ck->tx, DB_DRAFTS, &c, err);
    if (rc != CCHC_OK)
        return rc;
    rc = store_cursor_seek(c, NULL, 0, &k, &v, &found, err);
    for (; rc == CCHC_OK && found; rc = store_cursor_next(c, &k, &v, &found, err)) {
        struct draft d;
        struct cchc_err derr = {0};
        if (draft_decode(v.data, v.len, &d, &derr) != CCHC_OK) {
            problem(ck, "%s", derr.msg);
            continue;
        }
        size_t ll = strlen(d.login), kl = strlen(d.key);
        if (k.len != ll + 1 + kl || memcmp(k.data, d.login, ll) != 0 ||
            ((const char *)k.data)[ll] != '\0' ||
            memcmp((const char *)k.data + ll + 1, d.key, kl) != 0)
            problem(ck, "drafts: the draft %s of %s is stored under another key", d.key, d.login);
        draft_free(&d);
    }
    store_cursor_close(c);
    return rc;
}

static const enum store_db record_dbs[] = {DB_UNITS,  DB_COMMITMENTS, DB_ITEMS,
                                           DB_VISITS, DB_RESULTS,     DB_AUDIT,
                                           DB_NOTES,  DB_CHECKS,      DB_RECS};
static const enum store_db index_dbs[] = {
    IX_UNIT_CODE,    IX_UNIT_CHILDREN, IX_UNIT_COMMITMENTS, IX_COMMITMENT_ITEMS,
    IX_UNIT_VISITS,  IX_YEAR_VISITS,   IX_INDEX_RESULTS,    IX_TARGET_NOTES,
    IX_VISIT_NOTES,  IX_VISIT_CHECKS,  IX_VISIT_RECS,       IX_UNIT_RECS,
    IX_VISIT_STATUS, IX_REC_STATUS,    IX_ITEM_STATUS,      IX_COMPONENT_ITEMS};

int model_check(struct model *m, void (*report)(void *ctx, const char *line), void *ctx,
                struct cchc_err *err)
{
    struct checker ck = {.report = report, .ctx = ctx};
    int rc = store_read_begin(m->st, &ck.tx, err);
    if (rc != CCHC_OK)
        return -1;
    for (size_t i = 0; rc == CCHC_OK && i < sizeof record_dbs / sizeof *record_dbs; i++)
        rc = check_table(&ck, record_dbs[i], err);
    for (size_t i = 0; rc == CCHC_OK && i < sizeof index_dbs / sizeof *index_dbs; i++)
        rc = read_index(&ck, index_dbs[i], err);
    if (rc == CCHC_OK)
        rc = check_history(&ck, err);
    if (rc == CCHC_OK)
        rc = check_drafts(&ck, err);
    if (rc == CCHC_OK) { /* the word index, against the records (search.c) */
        int n = search_check(ck.tx, report, ctx, err);
        if (n < 0)
            rc = CCHC_ERUNTIME;
        else
            ck.problems += n;
    }
    store_read_end(ck.tx);
    if (rc == CCHC_OK) {
        check_refs(&ck);
        compare_indexes(&ck);
    }
    check_twins(&ck);
    for (int i = 0; i < DB_COUNT; i++) {
        idvec_free(&ck.ok[i]);
        idvec_free(&ck.corrupt[i]);
    }
    free(ck.expect);
    free(ck.actual);
    free(ck.refs);
    return rc == CCHC_OK ? ck.problems : -1;
}

/* ---- backup ---- */

int model_backup(struct model *m, const char *dir, struct cchc_err *err)
{
    return store_copy(m->st, dir, err) == CCHC_OK ? CCHC_OK : CCHC_ERUNTIME;
}
