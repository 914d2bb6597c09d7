/* model_list.c — lists as windows over index cursors.
 *
 * A screen shows a few dozen rows of lists that may hold 100,000 ids; it asks
 * for the ids at positions pos..pos+n and never loads the whole list. For
 * each recent query the model remembers where its last window started and
 * ended and the cursor value there, so that the next window (a row or a page
 * further) continues from a known place; everything remembered is dropped as
 * soon as anyone commits (model_version changes), since positions may shift.
 *
 * Unit children are sorted by kind and Vietnamese name: their index value
 * begins with the kind and the start of the name's sort key (model_int.h),
 * so the index order is already the list's, and a parent's (small) list is
 * its index values with no unit read. Only siblings whose names share the
 * whole stored start are read and put in order by their full keys. The list
 * is kept until the next commit; counting a parent's children (n == 0)
 * needs no list at all.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cchc/text.h"
#include "model_int.h"

#define N_MEMOS       16
#define N_CHILD_LISTS 64

/* Where a query's last window was: its first and last row, each with the
 * value the cursor held there (index value, or be64 key of a table). */
struct mark {
    bool valid;
    size_t pos;
    unsigned char val[16];
    size_t vlen;
};

struct list_memo {
    bool used;
    enum list_kind kind;
    uint64_t arg;
    int year;
    enum unit_kind unit_kind;
    char code[MODEL_CODE_MAX + 1];
    struct mark first, last;
};

struct child_list {
    uint64_t parent;
    uint64_t *ids;
    size_t n;
};

struct model_lists {
    uint64_t version;
    struct list_memo memos[N_MEMOS];
    size_t next_memo;
    struct child_list children[N_CHILD_LISTS];
    size_t n_children, next_child;
};

static void drop_children(struct model_lists *l)
{
    for (size_t i = 0; i < l->n_children; i++)
        free(l->children[i].ids);
    l->n_children = l->next_child = 0;
}

void model_lists_free(struct model_lists *l)
{
    if (!l)
        return;
    drop_children(l);
    free(l);
}

/* The list state, emptied when someone has committed since it was made. */
static struct model_lists *lists_of(struct model *m)
{
    uint64_t version = model_version(m);
    if (!m->lists)
        m->lists = xcalloc(1, sizeof *m->lists);
    struct model_lists *l = m->lists;
    if (l->version != version) {
        drop_children(l);
        memset(l->memos, 0, sizeof l->memos);
        l->version = version;
    }
    return l;
}

static bool same_query(const struct list_memo *mm, const struct list_query *q)
{
    return mm->used && mm->kind == q->kind && mm->arg == q->arg && mm->year == q->year &&
           mm->unit_kind == q->unit_kind && strcmp(mm->code, q->code ? q->code : "") == 0;
}

static struct list_memo *memo_for(struct model_lists *l, const struct list_query *q)
{
    for (size_t i = 0; i < N_MEMOS; i++)
        if (same_query(&l->memos[i], q))
            return &l->memos[i];
    struct list_memo *mm = &l->memos[l->next_memo];
    l->next_memo = (l->next_memo + 1) % N_MEMOS;
    memset(mm, 0, sizeof *mm);
    mm->used = true;
    mm->kind = q->kind;
    mm->arg = q->arg;
    mm->year = q->year;
    mm->unit_kind = q->unit_kind;
    snprintf(mm->code, sizeof mm->code, "%s", q->code ? q->code : "");
    return mm;
}

static void set_mark(struct mark *mk, size_t pos, const struct sval *v)
{
    mk->valid = v->len <= sizeof mk->val;
    mk->pos = pos;
    mk->vlen = v->len;
    if (mk->valid)
        memcpy(mk->val, v->data, v->len);
}

/* The id at the end of an index value or in a table key. */
static uint64_t tail_id(const struct sval *v)
{
    return v->len >= 8 ? be64_get((const unsigned char *)v->data + v->len - 8) : 0;
}

/* ---- tables by id (LIST_UNITS, LIST_COMMITMENTS) ---- */

/* The nearest remembered row at or before pos: the cursor goes straight to
 * its key (an exact seek) and steps forward from there. */
static const struct mark *mark_before(const struct list_memo *mm, size_t pos)
{
    const struct mark *best = NULL;
    if (mm->first.valid && mm->first.pos <= pos)
        best = &mm->first;
    if (mm->last.valid && mm->last.pos <= pos && (!best || mm->last.pos > best->pos))
        best = &mm->last;
    return best;
}

static int table_window(struct stxn *tx, enum store_db db, struct list_memo *mm, size_t pos,
                        size_t n, uint64_t *ids, size_t *got, size_t *count, struct cchc_err *err)
{
    struct scursor *c;
    struct sval k, v;
    bool found = false;
    size_t at = 0;
    int rc = store_count(tx, db, count, err);
    if (rc != CCHC_OK || pos >= *count || n == 0)
        return rc;
    rc = store_cursor_open(tx, db, &c, err);
    if (rc != CCHC_OK)
        return rc;
    const struct mark *mk = mark_before(mm, pos);
    if (mk) {
        rc = store_cursor_seek(c, mk->val, mk->vlen, &k, &v, &found, err);
        /* the remembered record must still be there, else start over */
        if (rc == CCHC_OK && found && k.len == mk->vlen && memcmp(k.data, mk->val, k.len) == 0)
            at = mk->pos;
        else
            mk = NULL;
    }
    if (rc == CCHC_OK && !mk)
        rc = store_cursor_seek(c, NULL, 0, &k, &v, &found, err);
    for (; rc == CCHC_OK && found && at < pos; at++)
        rc = store_cursor_next(c, &k, &v, &found, err);
    for (; rc == CCHC_OK && found && *got < n; at++) {
        if (*got == 0)
            set_mark(&mm->first, at, &k);
        set_mark(&mm->last, at, &k);
        ids[(*got)++] = k.len == 8 ? be64_get(k.data) : 0;
        if (*got < n)
            rc = store_cursor_next(c, &k, &v, &found, err);
    }
    store_cursor_close(c);
    return rc;
}

/* ---- index lists ---- */

/* Put the cursor on value number pos of key. store_index_seek steps a page
 * of values at a time, so this is cheap even far into a long list. (Going
 * straight to the remembered value with MDB_GET_BOTH would be cheaper still;
 * store.h has no call for it yet.) */
static int index_window(struct stxn *tx, enum store_db db, const void *key, size_t klen,
                        struct list_memo *mm, size_t pos, size_t n, uint64_t *ids, size_t *got,
                        size_t *count, struct cchc_err *err)
{
    struct scursor *c;
    struct sval v;
    bool found = false;
    int rc = store_index_count(tx, db, key, klen, count, err);
    if (rc != CCHC_OK || pos >= *count || n == 0)
        return rc;
    rc = store_cursor_open(tx, db, &c, err);
    if (rc != CCHC_OK)
        return rc;
    rc = store_index_seek(c, key, klen, pos, &v, &found, err);
    for (size_t at = pos; rc == CCHC_OK && found && *got < n; at++) {
        if (*got == 0)
            set_mark(&mm->first, at, &v);
        set_mark(&mm->last, at, &v);
        ids[(*got)++] = tail_id(&v);
        if (*got < n)
            rc = store_index_next(c, &v, &found, err);
    }
    store_cursor_close(c);
    return rc;
}

/* ---- unit children, sorted by kind then name ---- */

struct child_sort {
    uint64_t id;
    int kind;
    unsigned char *key;
    size_t klen;
};

static int child_cmp(const void *pa, const void *pb)
{
    const struct child_sort *a = pa, *b = pb;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    size_t l = a->klen < b->klen ? a->klen : b->klen;
    int c = l ? memcmp(a->key, b->key, l) : 0;
    if (c)
        return c;
    if (a->klen != b->klen)
        return a->klen < b->klen ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id;
}

/* Read one child for sorting; a damaged record still gets a row (last). */
static void child_key(struct stxn *tx, struct child_sort *cs)
{
    unsigned char key[8];
    struct sval v;
    bool found = false;
    struct cchc_err err = {0};
    struct unit u;
    cs->kind = UK_COUNT;
    be64_put(key, cs->id);
    if (store_get(tx, DB_UNITS, key, sizeof key, &v, &found, &err) != CCHC_OK || !found)
        return;
    if (model_decode(DB_UNITS, cs->id, v.data, v.len, &u, &err) != CCHC_OK)
        return;
    cs->kind = u.kind;
    cs->key = text_collate_key(u.name, &cs->klen);
    unit_free(&u);
}

/* Put ids[0..n) in order by reading each unit. */
static void sort_by_reading(struct stxn *tx, uint64_t *ids, size_t n)
{
    struct child_sort *cs = xcalloc(n ? n : 1, sizeof *cs);
    for (size_t i = 0; i < n; i++) {
        cs[i].id = ids[i];
        child_key(tx, &cs[i]);
    }
    qsort(cs, n, sizeof *cs, child_cmp);
    for (size_t i = 0; i < n; i++) {
        ids[i] = cs[i].id;
        free(cs[i].key);
    }
    free(cs);
}

/* Two index values with the same kind and the same cut sort key: only
 * their full keys can tell their order. */
static bool same_cut(const unsigned char *a, const unsigned char *b)
{
    return a[1 + CHILD_PREFIX] && b[1 + CHILD_PREFIX] && memcmp(a, b, 1 + CHILD_PREFIX) == 0;
}

static int build_children(struct stxn *tx, uint64_t parent, struct child_list *cl,
                          struct cchc_err *err)
{
    unsigned char key[8];
    struct scursor *c;
    struct sval v;
    bool found = false, all_sorted = true;
    size_t count = 0, n = 0;
    be64_put(key, parent);
    int rc = store_index_count(tx, IX_UNIT_CHILDREN, key, sizeof key, &count, err);
    if (rc != CCHC_OK)
        return rc;
    uint64_t *ids = xcalloc(count ? count : 1, sizeof *ids);
    unsigned char *vals = xcalloc(count ? count : 1, CHILD_VAL_LEN);
    rc = store_cursor_open(tx, IX_UNIT_CHILDREN, &c, err);
    if (rc == CCHC_OK) {
        rc = store_index_seek(c, key, sizeof key, 0, &v, &found, err);
        while (rc == CCHC_OK && found && n < count) {
            ids[n] = tail_id(&v);
            if (v.len == CHILD_VAL_LEN)
                memcpy(vals + n * CHILD_VAL_LEN, v.data, CHILD_VAL_LEN);
            else
                all_sorted = false; /* not a schema 4 value: read them all */
            n++;
            rc = store_index_next(c, &v, &found, err);
        }
        store_cursor_close(c);
    }
    if (!all_sorted) {
        sort_by_reading(tx, ids, n);
    } else {
        for (size_t i = 0; i < n;) { /* runs of siblings the cut keys do not order */
            size_t j = i + 1;
            while (j < n && same_cut(vals + i * CHILD_VAL_LEN, vals + j * CHILD_VAL_LEN))
                j++;
            if (j - i > 1)
                sort_by_reading(tx, ids + i, j - i);
            i = j;
        }
    }
    free(vals);
    if (rc != CCHC_OK) {
        free(ids);
        memset(cl, 0, sizeof *cl);
        return rc;
    }
    cl->parent = parent;
    cl->n = n;
    cl->ids = ids;
    return rc;
}

static int children_of(struct stxn *tx, struct model_lists *l, uint64_t parent,
                       struct child_list **out, struct cchc_err *err)
{
    for (size_t i = 0; i < l->n_children; i++) {
        if (l->children[i].parent == parent) {
            *out = &l->children[i];
            return CCHC_OK;
        }
    }
    struct child_list *cl;
    if (l->n_children < N_CHILD_LISTS) {
        cl = &l->children[l->n_children++];
    } else { /* forget the oldest */
        cl = &l->children[l->next_child];
        l->next_child = (l->next_child + 1) % N_CHILD_LISTS;
        free(cl->ids);
    }
    memset(cl, 0, sizeof *cl);
    int rc = build_children(tx, parent, cl, err);
    if (rc != CCHC_OK) {
        drop_children(l); /* leave no half-made entry behind */
        return rc;
    }
    *out = cl;
    return CCHC_OK;
}

/* ---- the entry point ---- */

int model_list(struct model *m, const struct list_query *q, size_t pos, size_t n, uint64_t *ids,
               size_t *got, size_t *count, struct cchc_err *err)
{
    struct model_lists *l = lists_of(m);
    struct list_memo *mm = memo_for(l, q);
    struct stxn *tx;
    unsigned char key[MODEL_KEY_MAX];
    size_t klen = 8;
    enum store_db db = IX_UNIT_COMMITMENTS;
    *got = 0;
    *count = 0;

    switch (q->kind) {
    case LIST_UNIT_COMMITMENTS:
    case LIST_COMMITMENT_ITEMS:
    case LIST_UNIT_VISITS:
        db = q->kind == LIST_UNIT_COMMITMENTS   ? IX_UNIT_COMMITMENTS
             : q->kind == LIST_COMMITMENT_ITEMS ? IX_COMMITMENT_ITEMS
                                                : IX_UNIT_VISITS;
        be64_put(key, q->arg);
        break;
    case LIST_VISITS_YEAR:
        if (q->year < 1 || q->year > 0xFFFF || q->unit_kind < UK_NONE || q->unit_kind >= UK_COUNT)
            return CCHC_OK; /* an empty list: no such year or kind */
        db = IX_YEAR_VISITS;
        be16_put(key, (uint16_t)q->year);
        key[2] = (unsigned char)q->unit_kind;
        klen = 3;
        break;
    case LIST_INDEX_RESULTS:
        klen = model_result_key(key, q->code, q->arg);
        if (!klen)
            return CCHC_OK;
        db = IX_INDEX_RESULTS;
        break;
    case LIST_UNIT_CHILDREN:
    case LIST_COMMITMENTS:
    case LIST_UNITS:
        break;
    default:
        return err_set(err, CCHC_EUSAGE, "unknown list kind %d", (int)q->kind);
    }

    int rc = store_read_begin(m->st, &tx, err);
    if (rc != CCHC_OK)
        return CCHC_ERUNTIME;
    if (q->kind == LIST_UNITS || q->kind == LIST_COMMITMENTS) {
        rc = table_window(tx, q->kind == LIST_UNITS ? DB_UNITS : DB_COMMITMENTS, mm, pos, n, ids,
                          got, count, err);
    } else if (q->kind == LIST_UNIT_CHILDREN && n == 0) { /* how many: no list needed */
        be64_put(key, q->arg);
        rc = store_index_count(tx, IX_UNIT_CHILDREN, key, 8, count, err);
    } else if (q->kind == LIST_UNIT_CHILDREN) {
        struct child_list *cl = NULL;
        rc = children_of(tx, l, q->arg, &cl, err);
        if (rc == CCHC_OK) {
            *count = cl->n;
            for (size_t i = pos; i < cl->n && *got < n; i++)
                ids[(*got)++] = cl->ids[i];
        }
    } else {
        rc = index_window(tx, db, key, klen, mm, pos, n, ids, got, count, err);
    }
    store_read_end(tx);
    if (rc != CCHC_OK) {
        *got = 0;
        return CCHC_ERUNTIME;
    }
    return CCHC_OK;
}

/* ---- results of an index, with what their index entries say ---- */

struct refs {
    struct result_ref *v;
    size_t n, cap;
};

static int collect_refs(void *ctx, const void *key, size_t klen, const void *vals, size_t n,
                        size_t width, struct cchc_err *err)
{
    struct refs *r = ctx;
    const unsigned char *p = vals;
    (void)key, (void)klen, (void)err;
    if (width != 12)
        return STORE_SCAN_STOP; /* not this schema's entries: none to trust */
    for (size_t i = 0; i < n; i++, p += width) {
        uint32_t pre = be32_get(p);
        if (r->n == r->cap) {
            r->cap = r->cap ? 2 * r->cap : 64;
            r->v = xrealloc(r->v, r->cap * sizeof *r->v);
        }
        r->v[r->n++] = (struct result_ref){.year = (int)(pre >> 8 & 0xFFFF),
                                           .whole = (pre & 0xFF) == 0,
                                           .scored = (pre & 0xFF) == 1,
                                           .id = be64_get(p + 4)};
    }
    return 0;
}

int model_result_refs(struct model *m, const char *code, uint64_t unit, struct result_ref **out,
                      size_t *n, struct cchc_err *err)
{
    unsigned char key[MODEL_KEY_MAX];
    struct refs r = {0};
    struct stxn *tx;
    size_t klen = model_result_key(key, code, unit);
    *out = NULL;
    *n = 0;
    if (!klen)
        return CCHC_OK; /* no such code: no results */
    if (store_read_begin(m->st, &tx, err) != CCHC_OK)
        return CCHC_ERUNTIME;
    int rc = store_prefix_scan(tx, IX_INDEX_RESULTS, key, klen, collect_refs, &r, err);
    store_read_end(tx);
    if (rc != CCHC_OK) {
        free(r.v);
        return CCHC_ERUNTIME;
    }
    *out = r.v;
    *n = r.n;
    return CCHC_OK;
}
