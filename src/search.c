/* search.c — the word index and the search over it (see search.h for the
 * design).
 *
 * Three parts share one notion of "the words of a record" (record_fields,
 * each_word): keeping ix_words in step with every save, answering a query,
 * and checking the index. Whatever the index holds for a record must be
 * exactly what record_fields gives for it now, or model_check complains.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unictype.h>
#include <unistr.h>

#include "cchc/search.h"
#include "cchc/text.h"
#include "model_int.h"

#define REF_LEN    9 /* u8 kind | be64 id */
#define MAX_FIELDS 10

/* ---- kinds ---- */

static const char *const kind_names[SK_END] = {
    [SK_UNIT] = "unit", [SK_COMMITMENT] = "commitment", [SK_ITEM] = "item", [SK_VISIT] = "visit",
    [SK_REC] = "rec",   [SK_CHECK] = "check",           [SK_NOTE] = "note",
};

const char *search_kind_name(enum search_kind k)
{
    return k > SK_NONE && k < SK_END ? kind_names[k] : "?";
}

bool search_kind_parse(const char *s, enum search_kind *k)
{
    for (int i = SK_UNIT; s && i < SK_END; i++) {
        size_t n = strlen(kind_names[i]);
        if (strncmp(s, kind_names[i], n) == 0 && (s[n] == '\0' || (s[n] == 's' && !s[n + 1]))) {
            *k = (enum search_kind)i;
            return true;
        }
    }
    return false;
}

static enum search_kind db_kind(enum store_db db)
{
    switch (db) {
    case DB_UNITS:
        return SK_UNIT;
    case DB_COMMITMENTS:
        return SK_COMMITMENT;
    case DB_ITEMS:
        return SK_ITEM;
    case DB_VISITS:
        return SK_VISIT;
    case DB_RECS:
        return SK_REC;
    case DB_CHECKS:
        return SK_CHECK;
    case DB_NOTES:
        return SK_NOTE;
    default:
        return SK_NONE;
    }
}

static enum store_db kind_db(enum search_kind k)
{
    static const enum store_db dbs[SK_END] = {
        [SK_UNIT] = DB_UNITS, [SK_COMMITMENT] = DB_COMMITMENTS,
        [SK_ITEM] = DB_ITEMS, [SK_VISIT] = DB_VISITS,
        [SK_REC] = DB_RECS,   [SK_CHECK] = DB_CHECKS,
        [SK_NOTE] = DB_NOTES,
    };
    return k > SK_NONE && k < SK_END ? dbs[k] : DB_COUNT;
}

/* A reference in memory: kind in the top byte, the id below (ids stay far
 * below 2^56), so that sorting groups by kind. */
static uint64_t ref_pack(enum search_kind k, uint64_t id)
{
    return (uint64_t)k << 56 | (id & 0x00FFFFFFFFFFFFFFull);
}

static enum search_kind ref_kind(uint64_t r)
{
    return (enum search_kind)(r >> 56);
}

static uint64_t ref_id(uint64_t r)
{
    return r & 0x00FFFFFFFFFFFFFFull;
}

static void ref_put(unsigned char v[REF_LEN], enum search_kind k, uint64_t id)
{
    v[0] = (unsigned char)k;
    be64_put(v + 1, id);
}

/* ---- words ---- */

/* Letters and digits make words; combining marks stay with their letter
 * (folded text has none left, but the original text given to snippet()
 * has). */
static bool word_char(ucs4_t c)
{
    if (c < 0x80)
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    return uc_is_alnum(c) || uc_is_general_category(c, UC_CATEGORY_M);
}

typedef void (*word_fn)(void *ctx, const char *w, size_t len, size_t off);

/* Call fn for every word of s (not folded here), with its byte offset. */
static void each_word(const char *s, word_fn fn, void *ctx)
{
    const uint8_t *u = (const uint8_t *)s;
    size_t n = strlen(s), i = 0, start = 0;
    bool in = false;
    while (i < n) {
        ucs4_t c;
        int k = u8_mbtouc(&c, u + i, n - i);
        if (k <= 0)
            k = 1;
        bool wc = word_char(c) && c != 0xFFFD;
        if (wc && !in) {
            start = i;
            in = true;
        } else if (!wc && in) {
            fn(ctx, s + start, i - start, start);
            in = false;
        }
        i += (size_t)k;
    }
    if (in)
        fn(ctx, s + start, n - start, start);
}

/* The length of w cut to at most max bytes, never inside a character. */
static size_t cut_len(const char *w, size_t len, size_t max)
{
    if (len <= max)
        return len;
    size_t k = max;
    while (k > 0 && ((unsigned char)w[k] & 0xC0) == 0x80)
        k--;
    return k;
}

/* A sorted set of index keys (cut words). */
struct wordset {
    char (*v)[SEARCH_WORD_MAX + 1];
    size_t n, cap;
};

static void ws_add(void *ctx, const char *w, size_t len, size_t off)
{
    struct wordset *ws = ctx;
    (void)off;
    len = cut_len(w, len, SEARCH_WORD_MAX);
    if (!len)
        return;
    if (ws->n == ws->cap) {
        ws->cap = ws->cap ? ws->cap * 2 : 32;
        ws->v = xrealloc(ws->v, ws->cap * sizeof *ws->v);
    }
    memcpy(ws->v[ws->n], w, len);
    ws->v[ws->n][len] = '\0';
    ws->n++;
}

static int ws_cmp(const void *a, const void *b)
{
    return strcmp(a, b);
}

static void ws_finish(struct wordset *ws)
{
    if (ws->n > 1)
        qsort(ws->v, ws->n, sizeof *ws->v, ws_cmp);
    size_t k = 0;
    for (size_t i = 0; i < ws->n; i++)
        if (k == 0 || strcmp(ws->v[k - 1], ws->v[i]) != 0)
            memmove(ws->v[k++], ws->v[i], sizeof *ws->v);
    ws->n = k;
}

static void ws_free(struct wordset *ws)
{
    free(ws->v);
    memset(ws, 0, sizeof *ws);
}

/* The searchable text of one record. A visit's unit is read in tx (its
 * names are part of the visit's words); unit may then be given instead. */
struct fields {
    const char *f[MAX_FIELDS];
    size_t n;
    struct unit unit; /* a visit's unit, when read here */
    bool have_unit;
    char *extra; /* owned text added by row_fields (a visit's team) */
};

static void add_field(struct fields *fs, const char *s)
{
    if (s && *s && fs->n < MAX_FIELDS)
        fs->f[fs->n++] = s;
}

static void visit_unit_fields(struct fields *fs, const struct unit *u)
{
    add_field(fs, u->code);
    add_field(fs, u->name);
    if (u->short_name && (!u->name || strcmp(u->short_name, u->name) != 0))
        add_field(fs, u->short_name);
}

/* unit: the visit's unit when the caller has it (NULL: read it in tx). */
static void record_fields(struct stxn *tx, enum store_db db, const union model_rec *r,
                          const struct unit *unit, struct fields *fs)
{
    memset(fs, 0, sizeof *fs);
    switch (db) {
    case DB_UNITS:
        add_field(fs, r->u.code);
        add_field(fs, r->u.name);
        add_field(fs, r->u.short_name);
        break;
    case DB_COMMITMENTS:
        add_field(fs, r->c.code);
        add_field(fs, r->c.title);
        break;
    case DB_ITEMS:
        add_field(fs, r->it.text);
        add_field(fs, r->it.target);
        add_field(fs, r->it.progress);
        break;
    case DB_VISITS:
        add_field(fs, r->v.code);
        add_field(fs, r->v.plan);
        add_field(fs, r->v.decision);
        if (!unit && tx && r->v.unit) {
            unsigned char key[8];
            struct sval v;
            bool found = false;
            struct cchc_err derr = {0};
            be64_put(key, r->v.unit);
            if (store_get(tx, DB_UNITS, key, sizeof key, &v, &found, &derr) == CCHC_OK && found &&
                model_decode(DB_UNITS, r->v.unit, v.data, v.len, &fs->unit, &derr) == CCHC_OK) {
                fs->have_unit = true;
                unit = &fs->unit;
            }
        }
        if (unit)
            visit_unit_fields(fs, unit);
        break;
    case DB_RECS:
        add_field(fs, r->rc.text);
        break;
    case DB_CHECKS:
        add_field(fs, r->ck.comment);
        break;
    case DB_NOTES:
        if (!r->n.deleted)
            add_field(fs, r->n.text);
        break;
    default:
        break;
    }
}

static void fields_free(struct fields *fs)
{
    if (fs->have_unit)
        unit_free(&fs->unit);
    fs->have_unit = false;
    free(fs->extra);
    fs->extra = NULL;
}

static void fields_words(const struct fields *fs, struct wordset *ws)
{
    for (size_t i = 0; i < fs->n; i++) {
        char *f = text_fold(fs->f[i]);
        each_word(f, ws_add, ws);
        free(f);
    }
    ws_finish(ws);
}

static void record_words(struct stxn *tx, enum store_db db, const union model_rec *r,
                         const struct unit *unit, struct wordset *ws)
{
    struct fields fs;
    record_fields(tx, db, r, unit, &fs);
    fields_words(&fs, ws);
    fields_free(&fs);
}

/* ---- keeping the index in step ---- */

/* Remove the words of old that new lacks, add those of new that old lacks. */
static int apply_diff(struct stxn *tx, const struct wordset *old, const struct wordset *new,
                      const unsigned char ref[REF_LEN], struct cchc_err *err)
{
    size_t i = 0, j = 0;
    int rc = CCHC_OK;
    while (rc == CCHC_OK && (i < old->n || j < new->n)) {
        int c = i == old->n ? 1 : j == new->n ? -1 : strcmp(old->v[i], new->v[j]);
        if (c == 0) {
            i++, j++;
        } else if (c < 0) {
            rc = store_del(tx, IX_WORDS, old->v[i], strlen(old->v[i]), ref, REF_LEN, err);
            i++;
        } else {
            rc = store_put(tx, IX_WORDS, new->v[j], strlen(new->v[j]), ref, REF_LEN, err);
            j++;
        }
    }
    return rc;
}

/* One visit again, with the words of its unit as it was and as it is. */
static int reindex_visit(struct stxn *tx, uint64_t id, const struct unit *was,
                         const struct unit *now, struct cchc_err *err)
{
    unsigned char key[8], ref[REF_LEN];
    struct sval v;
    bool found = false;
    struct visit vis;
    struct cchc_err derr = {0};
    be64_put(key, id);
    int rc = store_get(tx, DB_VISITS, key, sizeof key, &v, &found, err);
    if (rc != CCHC_OK || !found)
        return rc;
    if (model_decode(DB_VISITS, id, v.data, v.len, &vis, &derr) != CCHC_OK)
        return CCHC_OK; /* damaged: model_check says so */
    struct wordset old = {0}, new = {0};
    record_words(tx, DB_VISITS, (const union model_rec *)&vis, was, &old);
    record_words(tx, DB_VISITS, (const union model_rec *)&vis, now, &new);
    ref_put(ref, SK_VISIT, id);
    rc = apply_diff(tx, &old, &new, ref, err);
    ws_free(&old);
    ws_free(&new);
    visit_free(&vis);
    return rc;
}

static int collect_visit(void *ctx, const void *key, size_t klen, const void *vals, size_t n,
                         size_t width, struct cchc_err *err)
{
    (void)key, (void)klen, (void)err;
    for (size_t i = 0; width >= 8 && i < n; i++)
        idvec_push(ctx, be64_get((const unsigned char *)vals + i * width + width - 8));
    return CCHC_OK;
}

static bool same_str(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

/* A unit's code or names changed: they are words of its visits too. */
static int reindex_unit_visits(struct stxn *tx, const struct unit *was, const struct unit *now,
                               struct cchc_err *err)
{
    if (same_str(was->code, now->code) && same_str(was->name, now->name) &&
        same_str(was->short_name, now->short_name))
        return CCHC_OK;
    struct idvec ids = {0};
    unsigned char key[8];
    be64_put(key, now->m.id);
    int rc = store_prefix_scan(tx, IX_UNIT_VISITS, key, sizeof key, collect_visit, &ids, err);
    for (size_t i = 0; rc == CCHC_OK && i < ids.n; i++)
        rc = reindex_visit(tx, ids.v[i], was, now, err);
    idvec_free(&ids);
    return rc;
}

int search_index_record(struct stxn *tx, enum store_db db, const void *old, const void *rec,
                        struct cchc_err *err)
{
    enum search_kind k = db_kind(db);
    if (k == SK_NONE)
        return CCHC_OK;
    const union model_rec *o = old, *r = rec;
    struct wordset ow = {0}, nw = {0};
    unsigned char ref[REF_LEN];
    if (o)
        record_words(tx, db, o, NULL, &ow);
    record_words(tx, db, r, NULL, &nw);
    ref_put(ref, k, r->u.m.id);
    int rc = apply_diff(tx, &ow, &nw, ref, err);
    ws_free(&ow);
    ws_free(&nw);
    if (rc == CCHC_OK && db == DB_UNITS && o)
        rc = reindex_unit_visits(tx, &o->u, &r->u, err);
    return rc;
}

/* ---- walking every searchable record (upgrade, check) ---- */

static const enum store_db searched_dbs[] = {DB_UNITS, DB_COMMITMENTS, DB_ITEMS, DB_VISITS,
                                             DB_RECS,  DB_CHECKS,      DB_NOTES};

typedef int (*rec_fn)(void *ctx, enum store_db db, uint64_t id, const struct wordset *ws,
                      struct cchc_err *err);

/* Call fn with the words of every record that decodes (the others are
 * model_check's to report). */
static int each_record(struct stxn *tx, rec_fn fn, void *ctx, struct cchc_err *err)
{
    int rc = CCHC_OK;
    for (size_t t = 0; rc == CCHC_OK && t < sizeof searched_dbs / sizeof *searched_dbs; t++) {
        enum store_db db = searched_dbs[t];
        struct scursor *c;
        struct sval k, v;
        bool found = false;
        rc = store_cursor_open(tx, db, &c, err);
        if (rc != CCHC_OK)
            break;
        rc = store_cursor_seek(c, NULL, 0, &k, &v, &found, err);
        for (; rc == CCHC_OK && found; rc = store_cursor_next(c, &k, &v, &found, err)) {
            union model_rec r;
            struct cchc_err derr = {0};
            if (k.len != 8)
                continue;
            uint64_t id = be64_get(k.data);
            if (model_decode(db, id, v.data, v.len, &r, &derr) != CCHC_OK)
                continue;
            struct wordset ws = {0};
            record_words(tx, db, &r, NULL, &ws);
            model_rec_free(db, &r);
            rc = fn(ctx, db, id, &ws, err);
            ws_free(&ws);
        }
        store_cursor_close(c);
    }
    return rc;
}

static int upgrade_one(void *ctx, enum store_db db, uint64_t id, const struct wordset *ws,
                       struct cchc_err *err)
{
    struct stxn *tx = ctx;
    unsigned char ref[REF_LEN];
    ref_put(ref, db_kind(db), id);
    for (size_t i = 0; i < ws->n; i++) {
        int rc = store_put(tx, IX_WORDS, ws->v[i], strlen(ws->v[i]), ref, REF_LEN, err);
        if (rc != CCHC_OK)
            return rc;
    }
    return CCHC_OK;
}

int search_upgrade(struct stxn *tx, uint32_t from, struct cchc_err *err)
{
    (void)from; /* every version before 3 had no word index */
    return each_record(tx, upgrade_one, tx, err);
}

/* ---- checking ---- */

/* Order-free fingerprint of a set of (word, reference) pairs. */
static uint64_t pair_hash(const void *word, size_t wlen, const unsigned char ref[REF_LEN])
{
    uint64_t h = 0xcbf29ce484222325ull;
    const unsigned char *p = word;
    for (size_t i = 0; i < wlen; i++)
        h = (h ^ p[i]) * 0x100000001b3ull;
    h = (h ^ 0xff) * 0x100000001b3ull;
    for (size_t i = 0; i < REF_LEN; i++)
        h = (h ^ ref[i]) * 0x100000001b3ull;
    /* finalise (splitmix64) so that sums of hashes do not cancel easily */
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ull;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebull;
    return h ^ (h >> 31);
}

struct checker {
    struct stxn *tx;
    void (*report)(void *ctx, const char *line);
    void *ctx;
    int problems;
    uint64_t n, sum;   /* expected pairs */
    uint64_t an, asum; /* pairs found */
    bool detail;
    uint64_t cached_ref; /* the record whose words are in cached */
    bool cached_ok;
    struct wordset cached;
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

static int expect_one(void *ctx, enum store_db db, uint64_t id, const struct wordset *ws,
                      struct cchc_err *err)
{
    struct checker *ck = ctx;
    unsigned char ref[REF_LEN];
    ref_put(ref, db_kind(db), id);
    for (size_t i = 0; i < ws->n; i++) {
        size_t len = strlen(ws->v[i]);
        if (!ck->detail) {
            ck->n++;
            ck->sum += pair_hash(ws->v[i], len, ref);
            continue;
        }
        bool found = false;
        int rc = store_index_has(ck->tx, IX_WORDS, ws->v[i], len, ref, REF_LEN, &found, err);
        if (rc != CCHC_OK)
            return rc;
        if (!found)
            problem(ck, "%s/%" PRIu64 ": no entry '%s' in ix_words", store_db_name(db), id,
                    ws->v[i]);
    }
    return CCHC_OK;
}

static int actual_sum(void *ctx, const void *key, size_t klen, const void *vals, size_t n,
                      size_t width, struct cchc_err *err)
{
    struct checker *ck = ctx;
    (void)err;
    for (size_t i = 0; i < n; i++) {
        ck->an++;
        if (width == REF_LEN)
            ck->asum += pair_hash(key, klen, (const unsigned char *)vals + i * width);
    }
    return CCHC_OK;
}

/* The words of the record r refers to, remembered for the next entry. */
static bool cached_words(struct checker *ck, uint64_t r, bool *missing)
{
    *missing = false;
    if (r == ck->cached_ref)
        return ck->cached_ok;
    ws_free(&ck->cached);
    ck->cached_ref = r;
    ck->cached_ok = false;
    enum store_db db = kind_db(ref_kind(r));
    unsigned char key[8];
    struct sval v;
    bool found = false;
    struct cchc_err derr = {0};
    union model_rec rec;
    be64_put(key, ref_id(r));
    if (db == DB_COUNT || store_get(ck->tx, db, key, sizeof key, &v, &found, &derr) != CCHC_OK ||
        !found) {
        *missing = true;
        ck->cached_ref = 0;
        return false;
    }
    if (model_decode(db, ref_id(r), v.data, v.len, &rec, &derr) != CCHC_OK)
        return false; /* damaged: already reported by model_check */
    record_words(ck->tx, db, &rec, NULL, &ck->cached);
    model_rec_free(db, &rec);
    ck->cached_ok = true;
    return true;
}

static int actual_detail(void *ctx, const void *key, size_t klen, const void *vals, size_t n,
                         size_t width, struct cchc_err *err)
{
    struct checker *ck = ctx;
    (void)err;
    char word[SEARCH_WORD_MAX + 1];
    size_t wl = klen < SEARCH_WORD_MAX ? klen : SEARCH_WORD_MAX;
    memcpy(word, key, wl);
    word[wl] = '\0';
    if (width != REF_LEN || klen > SEARCH_WORD_MAX) {
        problem(ck, "ix_words: an entry of %zu+%zu bytes that no record makes", klen, width);
        return CCHC_OK;
    }
    for (size_t i = 0; i < n; i++) {
        const unsigned char *p = (const unsigned char *)vals + i * width;
        uint64_t r = ref_pack((enum search_kind)p[0], be64_get(p + 1));
        const char *what = search_kind_name((enum search_kind)p[0]);
        bool missing;
        if (!cached_words(ck, r, &missing)) {
            if (missing)
                problem(ck, "ix_words: entry '%s' points to missing %s %" PRIu64, word, what,
                        be64_get(p + 1));
            continue;
        }
        if (!bsearch(word, ck->cached.v, ck->cached.n, sizeof *ck->cached.v, ws_cmp) ||
            strlen(word) != klen)
            problem(ck, "ix_words: entry '%s' does not agree with %s %" PRIu64, word, what,
                    be64_get(p + 1));
    }
    return CCHC_OK;
}

int search_check(struct stxn *tx, void (*report)(void *ctx, const char *line), void *ctx,
                 struct cchc_err *err)
{
    struct checker ck = {.tx = tx, .report = report, .ctx = ctx};
    int rc = each_record(tx, expect_one, &ck, err);
    if (rc == CCHC_OK)
        rc = store_prefix_scan(tx, IX_WORDS, NULL, 0, actual_sum, &ck, err);
    if (rc == CCHC_OK && (ck.n != ck.an || ck.sum != ck.asum)) {
        /* something differs: find out what, entry by entry */
        ck.detail = true;
        rc = each_record(tx, expect_one, &ck, err);
        if (rc == CCHC_OK)
            rc = store_prefix_scan(tx, IX_WORDS, NULL, 0, actual_detail, &ck, err);
        /* entries of damaged records are skipped: model_check reports those */
    }
    ws_free(&ck.cached);
    return rc == CCHC_OK ? ck.problems : -1;
}

/* ---- queries ---- */

struct search_words {
    char *w[SEARCH_QUERY_WORDS]; /* folded, uncut */
    size_t len[SEARCH_QUERY_WORDS];
    size_t n;
};

static void query_add(void *ctx, const char *w, size_t len, size_t off)
{
    struct search_words *q = ctx;
    (void)off;
    if (q->n == SEARCH_QUERY_WORDS)
        return;
    for (size_t i = 0; i < q->n; i++)
        if (q->len[i] == len && memcmp(q->w[i], w, len) == 0)
            return;
    q->w[q->n] = xmalloc(len + 1);
    memcpy(q->w[q->n], w, len);
    q->w[q->n][len] = '\0';
    q->len[q->n++] = len;
}

struct search_words *search_words_new(const char *query)
{
    struct search_words *q = xcalloc(1, sizeof *q);
    char *f = text_fold(query ? query : "");
    each_word(f, query_add, q);
    free(f);
    return q;
}

bool search_words_empty(const struct search_words *q)
{
    return !q || q->n == 0;
}

void search_words_free(struct search_words *q)
{
    if (!q)
        return;
    for (size_t i = 0; i < q->n; i++)
        free(q->w[i]);
    free(q);
}

/* Which query words begin some word of the folded text: a bit each. */
struct matching {
    const struct search_words *q;
    uint32_t hit;
    size_t first_off; /* the offset of the first word that matched */
    bool any;
};

static void match_word(void *ctx, const char *w, size_t len, size_t off)
{
    struct matching *mt = ctx;
    for (size_t i = 0; i < mt->q->n; i++) {
        if (mt->q->len[i] <= len && memcmp(mt->q->w[i], w, mt->q->len[i]) == 0) {
            mt->hit |= 1u << i;
            if (!mt->any)
                mt->first_off = off;
            mt->any = true;
        }
    }
}

static uint32_t all_bits(const struct search_words *q)
{
    return q->n >= 32 ? 0xFFFFFFFFu : (1u << q->n) - 1;
}

bool search_words_match(const struct search_words *q, const char *text)
{
    if (search_words_empty(q))
        return true;
    struct matching mt = {.q = q};
    char *f = text_fold(text ? text : "");
    each_word(f, match_word, &mt);
    free(f);
    return mt.hit == all_bits(q);
}

/* Whether the fields hold every query word. */
static bool fields_match(const struct fields *fs, const struct search_words *q)
{
    struct matching mt = {.q = q};
    for (size_t i = 0; i < fs->n && mt.hit != all_bits(q); i++) {
        char *f = text_fold(fs->f[i]);
        each_word(f, match_word, &mt);
        free(f);
    }
    return mt.hit == all_bits(q);
}

struct refvec {
    uint64_t *v;
    size_t n, cap;
    unsigned kinds;
    bool sorted; /* values arrived in order (one key so far) */
    bool bad;    /* a value of the wrong width */
};

static void rv_push(struct refvec *rv, uint64_t r)
{
    if (rv->n == rv->cap) {
        rv->cap = rv->cap ? rv->cap * 2 : 256;
        rv->v = xrealloc(rv->v, rv->cap * sizeof *rv->v);
    }
    rv->v[rv->n++] = r;
}

static int collect_refs(void *ctx, const void *key, size_t klen, const void *vals, size_t n,
                        size_t width, struct cchc_err *err)
{
    struct refvec *rv = ctx;
    (void)key, (void)klen, (void)err;
    if (width != REF_LEN) {
        rv->bad = true;
        return CCHC_OK;
    }
    for (size_t i = 0; i < n; i++) {
        const unsigned char *p = (const unsigned char *)vals + i * width;
        if (p[0] == SK_NONE || p[0] >= SK_END || !(rv->kinds & SEARCH_KIND_BIT(p[0])))
            continue;
        uint64_t r = ref_pack((enum search_kind)p[0], be64_get(p + 1));
        if (rv->n && r <= rv->v[rv->n - 1])
            rv->sorted = false;
        rv_push(rv, r);
    }
    return CCHC_OK;
}

static int u64_cmp(const void *pa, const void *pb)
{
    uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
    return a < b ? -1 : a > b;
}

/* Sorted, without duplicates (one record may hold "dong" and "dongs"). */
static void rv_normalise(struct refvec *rv)
{
    if (!rv->sorted && rv->n > 1)
        qsort(rv->v, rv->n, sizeof *rv->v, u64_cmp);
    size_t k = 0;
    for (size_t i = 0; i < rv->n; i++)
        if (k == 0 || rv->v[k - 1] != rv->v[i])
            rv->v[k++] = rv->v[i];
    rv->n = k;
}

/* Keep in a only what b holds too (both sorted). */
static void rv_intersect(struct refvec *a, const struct refvec *b)
{
    size_t i = 0, j = 0, k = 0;
    while (i < a->n && j < b->n) {
        if (a->v[i] < b->v[j])
            i++;
        else if (a->v[i] > b->v[j])
            j++;
        else
            a->v[k++] = a->v[i++], j++;
    }
    a->n = k;
}

/* The references of every key that begins with word (cut as keys are). */
static int word_refs(struct stxn *tx, const char *w, size_t len, unsigned kinds, struct refvec *rv,
                     struct cchc_err *err)
{
    memset(rv, 0, sizeof *rv);
    rv->kinds = kinds;
    rv->sorted = true;
    int rc =
        store_prefix_scan(tx, IX_WORDS, w, cut_len(w, len, SEARCH_WORD_MAX), collect_refs, rv, err);
    if (rc == CCHC_OK && rv->bad)
        rc = err_set(err, CCHC_ERUNTIME,
                     "ix_words holds values that are not references: run "
                     "cchc check");
    if (rc == CCHC_OK)
        rv_normalise(rv);
    return rc;
}

struct search_result {
    struct search_words *q;
    uint64_t *refs;
    size_t n;
    bool more;
};

/* The candidates for every word: the most selective word first, then
 * intersect with the others until few enough are left to check one by one. */
static int candidates(struct stxn *tx, const struct search_words *q, unsigned kinds,
                      struct refvec *out, struct cchc_err *err)
{
    size_t count[SEARCH_QUERY_WORDS], order[SEARCH_QUERY_WORDS];
    int rc = CCHC_OK;
    memset(out, 0, sizeof *out);
    if (q->n == 0)
        return CCHC_OK;
    for (size_t i = 0; rc == CCHC_OK && i < q->n; i++) {
        order[i] = i;
        rc = store_prefix_count(tx, IX_WORDS, q->w[i], cut_len(q->w[i], q->len[i], SEARCH_WORD_MAX),
                                &count[i], err);
    }
    if (rc != CCHC_OK)
        return rc;
    for (size_t i = 1; i < q->n; i++) /* a few words: insertion sort by count */
        for (size_t j = i; j > 0 && count[order[j]] < count[order[j - 1]]; j--) {
            size_t t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    if (count[order[0]] == 0)
        return CCHC_OK;
    rc = word_refs(tx, q->w[order[0]], q->len[order[0]], kinds, out, err);
    for (size_t i = 1; rc == CCHC_OK && i < q->n && out->n > SEARCH_RECHECK_MAX; i++) {
        struct refvec more;
        rc = word_refs(tx, q->w[order[i]], q->len[order[i]], kinds, &more, err);
        if (rc == CCHC_OK)
            rv_intersect(out, &more);
        free(more.v);
    }
    return rc;
}

/* Read the record a reference names (in tx); false when absent or damaged. */
static bool load_ref(struct stxn *tx, uint64_t r, union model_rec *rec)
{
    enum store_db db = kind_db(ref_kind(r));
    unsigned char key[8];
    struct sval v;
    bool found = false;
    struct cchc_err derr = {0};
    if (db == DB_COUNT)
        return false;
    be64_put(key, ref_id(r));
    if (store_get(tx, db, key, sizeof key, &v, &found, &derr) != CCHC_OK || !found)
        return false;
    return model_decode(db, ref_id(r), v.data, v.len, rec, &derr) == CCHC_OK;
}

/* Whether the record still holds every word (and passes the filters). */
static bool confirm(struct stxn *tx, uint64_t r, const struct search_words *q,
                    const struct search_opts *o)
{
    union model_rec rec;
    enum store_db db = kind_db(ref_kind(r));
    if (!load_ref(tx, r, &rec))
        return false;
    bool ok = true;
    if (db == DB_VISITS) {
        if (o->year && rec.v.year != o->year)
            ok = false;
        if (o->unit_kind != UK_NONE && rec.v.unit_kind != o->unit_kind)
            ok = false;
    }
    if (ok) {
        struct fields fs;
        record_fields(tx, db, &rec, NULL, &fs);
        ok = fields_match(&fs, q);
        fields_free(&fs);
    }
    model_rec_free(db, &rec);
    return ok;
}

int search_run(struct model *m, const char *query, const struct search_opts *opts,
               struct search_result **out, struct cchc_err *err)
{
    struct search_opts o = opts ? *opts : (struct search_opts){0};
    unsigned kinds = o.kinds ? o.kinds : 0xFFFFFFFFu;
    size_t cap = o.cap ? o.cap : SEARCH_CAP;
    struct search_result *r = xcalloc(1, sizeof *r);
    struct refvec cand;
    struct stxn *tx;
    *out = NULL;
    r->q = search_words_new(query);
    if (search_words_empty(r->q)) {
        *out = r;
        return CCHC_OK;
    }
    int rc = store_read_begin(m->st, &tx, err);
    if (rc != CCHC_OK) {
        search_result_free(r);
        return CCHC_ERUNTIME;
    }
    rc = candidates(tx, r->q, kinds, &cand, err);
    /* by kind, newest (highest id) first within a kind */
    r->refs = xmalloc((cap < cand.n ? cap : cand.n) * sizeof *r->refs + 1);
    size_t g = 0;
    while (rc == CCHC_OK && g < cand.n && !r->more) {
        size_t e = g;
        while (e < cand.n && ref_kind(cand.v[e]) == ref_kind(cand.v[g]))
            e++;
        for (size_t i = e; i-- > g;) {
            if (r->n == cap) {
                r->more = true;
                break;
            }
            if (confirm(tx, cand.v[i], r->q, &o))
                r->refs[r->n++] = cand.v[i];
        }
        g = e;
    }
    store_read_end(tx);
    free(cand.v);
    if (rc != CCHC_OK) {
        search_result_free(r);
        return CCHC_ERUNTIME;
    }
    *out = r;
    return CCHC_OK;
}

void search_result_free(struct search_result *r)
{
    if (!r)
        return;
    search_words_free(r->q);
    free(r->refs);
    free(r);
}

size_t search_count(const struct search_result *r)
{
    return r ? r->n : 0;
}

bool search_more(const struct search_result *r)
{
    return r && r->more;
}

bool search_ref(const struct search_result *r, size_t i, enum search_kind *kind, uint64_t *id)
{
    if (!r || i >= r->n)
        return false;
    *kind = ref_kind(r->refs[i]);
    *id = ref_id(r->refs[i]);
    return true;
}

/* ---- what a hit shows ---- */

void search_hit_free(struct search_hit *h)
{
    free(h->title);
    free(h->snippet);
    memset(h, 0, sizeof *h);
}

/* The first word of s that begins with a query word, with a little of the
 * text before it: "… nhưng chưa công khai thủ tục …". */
#define SNIPPET_BEFORE 40
#define SNIPPET_LEN    200

struct orig_match {
    const struct search_words *q;
    bool found;
    size_t off;
};

static void orig_word(void *ctx, const char *w, size_t len, size_t off)
{
    struct orig_match *om = ctx;
    if (om->found)
        return;
    char *word = xmalloc(len + 1);
    memcpy(word, w, len);
    word[len] = '\0';
    char *f = text_fold(word);
    struct matching mt = {.q = om->q};
    each_word(f, match_word, &mt);
    if (mt.any) {
        om->found = true;
        om->off = off;
    }
    free(f);
    free(word);
}

static size_t char_floor(const char *s, size_t off)
{
    while (off > 0 && ((unsigned char)s[off] & 0xC0) == 0x80)
        off--;
    return off;
}

static char *snippet(const char *s, const struct search_words *q)
{
    struct orig_match om = {.q = q};
    size_t n = strlen(s), start = 0;
    each_word(s, orig_word, &om);
    if (om.found && om.off > SNIPPET_BEFORE) {
        start = char_floor(s, om.off - SNIPPET_BEFORE);
        /* begin at a word: skip to after the next space, if one is near */
        const char *sp = memchr(s + start, ' ', om.off - start);
        if (sp)
            start = (size_t)(sp - s) + 1;
    }
    size_t len = n - start;
    if (len > SNIPPET_LEN)
        len = char_floor(s + start, SNIPPET_LEN);
    struct strbuf sb = {0};
    if (start)
        sb_adds(&sb, "…");
    for (size_t i = 0; i < len; i++) {
        char c = s[start + i];
        sb_addc(&sb, c == '\n' || c == '\r' || c == '\t' ? ' ' : c);
    }
    if (start + len < n)
        sb_adds(&sb, "…");
    return sb_detach(&sb);
}

static int bit_count(uint32_t v)
{
    int n = 0;
    for (; v; v &= v - 1)
        n++;
    return n;
}

/* The field that holds the most query words (the first of equals), else
 * the first: a unit's name rather than its code. */
static const char *matching_field(const struct fields *fs, const struct search_words *q)
{
    const char *best = fs->n ? fs->f[0] : "";
    int most = 0;
    for (size_t i = 0; i < fs->n; i++) {
        struct matching mt = {.q = q};
        char *f = text_fold(fs->f[i]);
        each_word(f, match_word, &mt);
        free(f);
        if (bit_count(mt.hit) > most) {
            most = bit_count(mt.hit);
            best = fs->f[i];
        }
    }
    return best;
}

static void add_unit_name(struct stxn *tx, struct strbuf *sb, uint64_t id, bool with_code)
{
    union model_rec u;
    if (!id || !load_ref(tx, ref_pack(SK_UNIT, id), &u))
        return;
    if (with_code && u.u.code)
        sb_addf(sb, "%s%s", sb->len ? " · " : "", u.u.code);
    if (u.u.name)
        sb_addf(sb, "%s%s", sb->len ? " · " : "", u.u.name);
    unit_free(&u.u);
}

static void add_visit_label(struct stxn *tx, struct strbuf *sb, uint64_t id)
{
    union model_rec v;
    if (!load_ref(tx, ref_pack(SK_VISIT, id), &v)) {
        sb_addf(sb, "visits/%" PRIu64, id);
        return;
    }
    sb_adds(sb, v.v.code ? v.v.code : "?");
    add_unit_name(tx, sb, v.v.unit, false);
    visit_free(&v.v);
}

/* "CK-SNV-2022 #3"; *commitment: the item's commitment. */
static void add_item_label(struct stxn *tx, struct strbuf *sb, uint64_t id, uint64_t *commitment)
{
    union model_rec it, c;
    *commitment = 0;
    if (!load_ref(tx, ref_pack(SK_ITEM, id), &it)) {
        sb_addf(sb, "items/%" PRIu64, id);
        return;
    }
    *commitment = it.it.commitment;
    if (load_ref(tx, ref_pack(SK_COMMITMENT, it.it.commitment), &c)) {
        sb_adds(sb, c.c.code ? c.c.code : "?");
        commitment_free(&c.c);
    }
    sb_addf(sb, " #%" PRIu32, it.it.seq);
    item_free(&it.it);
}

/* Title and what Enter opens, for a record that was read. */
static void describe(struct stxn *tx, enum search_kind k, const union model_rec *r,
                     struct search_hit *h, struct strbuf *title)
{
    switch (k) {
    case SK_UNIT:
        h->open_kind = SK_UNIT, h->open_id = r->u.m.id;
        sb_addf(title, "%s · %s", r->u.code ? r->u.code : "?", r->u.name ? r->u.name : "");
        break;
    case SK_COMMITMENT:
        h->open_kind = SK_COMMITMENT, h->open_id = r->c.m.id;
        sb_adds(title, r->c.code ? r->c.code : "?");
        add_unit_name(tx, title, r->c.unit, false);
        break;
    case SK_ITEM: {
        uint64_t c;
        add_item_label(tx, title, r->it.m.id, &c);
        h->open_kind = SK_COMMITMENT, h->open_id = c;
        break;
    }
    case SK_VISIT:
        h->open_kind = SK_VISIT, h->open_id = r->v.m.id;
        add_visit_label(tx, title, r->v.m.id);
        break;
    case SK_REC:
        h->open_kind = SK_VISIT, h->open_id = r->rc.visit;
        add_visit_label(tx, title, r->rc.visit);
        break;
    case SK_CHECK:
        h->open_kind = SK_VISIT, h->open_id = r->ck.visit;
        add_visit_label(tx, title, r->ck.visit);
        sb_addf(title, " · %s", r->ck.criterion ? r->ck.criterion : "?");
        break;
    case SK_NOTE:
        if (r->n.target == NT_UNIT) {
            h->open_kind = SK_UNIT, h->open_id = r->n.target_id;
            add_unit_name(tx, title, r->n.target_id, true);
        } else if (r->n.target == NT_ITEM) {
            uint64_t c;
            add_item_label(tx, title, r->n.target_id, &c);
            h->open_kind = SK_COMMITMENT, h->open_id = c;
        } else {
            h->open_kind = SK_VISIT, h->open_id = r->n.target_id;
            add_visit_label(tx, title, r->n.target_id);
            if (r->n.target == NT_CRITERION && r->n.criterion)
                sb_addf(title, " · %s", r->n.criterion);
        }
        break;
    default:
        break;
    }
}

static void hit_fill(struct stxn *tx, uint64_t ref, const struct search_words *q,
                     struct search_hit *h)
{
    enum search_kind k = ref_kind(ref);
    enum store_db db = kind_db(k);
    union model_rec rec;
    struct strbuf title = {0};
    memset(h, 0, sizeof *h);
    h->kind = k;
    h->id = ref_id(ref);
    if (!load_ref(tx, ref, &rec)) {
        h->damaged = true;
        h->title = xstrdup("");
        sb_addf(&title, "%s/%" PRIu64, store_db_name(db), h->id);
        h->snippet = sb_detach(&title);
        return;
    }
    describe(tx, k, &rec, h, &title);
    struct fields fs;
    record_fields(tx, db, &rec, NULL, &fs);
    h->snippet = snippet(matching_field(&fs, q), q);
    fields_free(&fs);
    h->title = sb_detach(&title);
    if (!h->title)
        h->title = xstrdup("");
    model_rec_free(db, &rec);
}

int search_hits(struct model *m, const struct search_result *r, size_t pos, size_t n,
                struct search_hit *out, size_t *got, struct cchc_err *err)
{
    struct stxn *tx;
    *got = 0;
    if (!r || pos >= r->n || n == 0)
        return CCHC_OK;
    if (store_read_begin(m->st, &tx, err) != CCHC_OK)
        return CCHC_ERUNTIME;
    for (size_t i = pos; i < r->n && *got < n; i++)
        hit_fill(tx, r->refs[i], r->q, &out[(*got)++]);
    store_read_end(tx);
    return CCHC_OK;
}

/* ---- a list filtered by words (`/` on a list screen) ---- */

/* The table a list's ids belong to; DB_COUNT for a list not filtered. */
static enum store_db list_db(enum list_kind k)
{
    switch (k) {
    case LIST_UNIT_CHILDREN:
    case LIST_UNITS:
        return DB_UNITS;
    case LIST_COMMITMENTS:
    case LIST_UNIT_COMMITMENTS:
        return DB_COMMITMENTS;
    case LIST_COMMITMENT_ITEMS:
        return DB_ITEMS;
    case LIST_VISITS_YEAR:
    case LIST_UNIT_VISITS:
        return DB_VISITS;
    default:
        return DB_COUNT;
    }
}

/* What a row of a list shows, as text to match: the record's own words,
 * and what its row adds — a unit's head, a commitment's unit and signer,
 * a visit's team. A filter is judged by what the inspector reads on the
 * row, which is more than the word index keeps for the record. */
static void row_fields(struct stxn *tx, enum store_db db, const union model_rec *r,
                       struct fields *fs)
{
    record_fields(tx, db, r, NULL, fs);
    if (db == DB_UNITS) {
        add_field(fs, r->u.head.name);
    } else if (db == DB_COMMITMENTS) {
        unsigned char key[8];
        struct sval v;
        bool found = false;
        struct cchc_err derr = {0};
        add_field(fs, r->c.signer.name);
        be64_put(key, r->c.unit);
        if (store_get(tx, DB_UNITS, key, sizeof key, &v, &found, &derr) == CCHC_OK && found &&
            model_decode(DB_UNITS, r->c.unit, v.data, v.len, &fs->unit, &derr) == CCHC_OK) {
            fs->have_unit = true;
            visit_unit_fields(fs, &fs->unit);
        }
    } else if (db == DB_VISITS && r->v.n_team) {
        struct strbuf sb = {0};
        for (size_t i = 0; i < r->v.n_team; i++)
            sb_addf(&sb, "%s %s ", r->v.team[i].login ? r->v.team[i].login : "",
                    r->v.team[i].name ? r->v.team[i].name : "");
        fs->extra = sb_detach(&sb);
        add_field(fs, fs->extra);
    }
}

int search_list(struct model *m, const struct list_query *q, const char *query, uint64_t **out,
                size_t *n_out, struct cchc_err *err)
{
    enum store_db db = list_db(q->kind);
    size_t count = 0, got = 0, n = 0;
    uint64_t *ids = NULL;
    struct stxn *tx;
    *out = NULL;
    *n_out = 0;
    if (db == DB_COUNT)
        return err_set(err, CCHC_EUSAGE, "this list cannot be filtered by words");
    if (model_list(m, q, 0, 0, NULL, &got, &count, err) != CCHC_OK)
        return CCHC_ERUNTIME;
    ids = xmalloc((count ? count : 1) * sizeof *ids);
    if (count && model_list(m, q, 0, count, ids, &got, &count, err) != CCHC_OK) {
        free(ids);
        return CCHC_ERUNTIME;
    }
    if (store_read_begin(m->st, &tx, err) != CCHC_OK) {
        free(ids);
        return CCHC_ERUNTIME;
    }
    struct search_words *w = search_words_new(query);
    /* Keep the matches in place, in the list's order. A record gone or
     * damaged since the list was read does not match. */
    for (size_t i = 0; i < got; i++) {
        unsigned char key[8];
        struct sval v;
        bool found = false;
        struct cchc_err derr = {0};
        union model_rec rec;
        be64_put(key, ids[i]);
        if (store_get(tx, db, key, sizeof key, &v, &found, &derr) != CCHC_OK || !found ||
            model_decode(db, ids[i], v.data, v.len, &rec, &derr) != CCHC_OK)
            continue;
        struct fields fs;
        row_fields(tx, db, &rec, &fs);
        if (fields_match(&fs, w))
            ids[n++] = ids[i];
        fields_free(&fs);
        model_rec_free(db, &rec);
    }
    store_read_end(tx);
    search_words_free(w);
    *out = ids;
    *n_out = n;
    return CCHC_OK;
}
