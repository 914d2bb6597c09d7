/* rec_notes.c — notes with their history, and drafts of text being typed
 * (see recording.h).
 *
 * A note is never overwritten in place without a trace: every edit and the
 * delete first copy the version being replaced into note_history (key: note
 * id and that version's revision), in the same transaction as the change
 * and its audit record. Deleting only marks the note, which moves its index
 * entry to the "deleted" half of ix_target_notes, so lists of live notes
 * stay one index key and need no filtering.
 *
 * Drafts are not actions: each save is a short write of its own, without
 * audit, keyed by login and place, and never refused because of what others
 * did. They are what makes a dropped SSH link cost seconds of typing. The
 * note editor adds a session mark to the place (draft_session_key), so that
 * two sessions of one login at one place never write over each other; the
 * mark is part of the stored key and of the key inside the record, so the
 * table keeps its one layout (login NUL key) and older drafts, without a
 * mark, are read as they are.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cchc/recording.h"
#include "cchc/text.h"
#include "rec_int.h"

#define DRAFT_KEY_MAX  256
#define DRAFT_TEXT_MAX (1 << 20)

const char *note_target_name(enum note_target t)
{
    switch (t) {
    case NT_VISIT:
        return "visit";
    case NT_CRITERION:
        return "criterion";
    case NT_UNIT:
        return "unit";
    case NT_ITEM:
        return "item";
    }
    return "?";
}

/* Returned by a write function that finds nothing to change: the
 * transaction is abandoned (no audit record) and the caller reports
 * success. Never seen outside this file. */
#define NOTHING_TO_DO 100

/* ---- reading ---- */

struct ixval {
    unsigned char v[16]; /* be64 created|be64 id */
};

static int ixval_cmp(const void *a, const void *b)
{
    return memcmp(((const struct ixval *)a)->v, ((const struct ixval *)b)->v, 16);
}

int model_note(struct model *m, uint64_t id, struct note *out, struct cchc_err *err)
{
    memset(out, 0, sizeof *out);
    return rec_read(m, DB_NOTES, id, out, err);
}

int model_notes(struct model *m, enum note_target t, uint64_t target_id, const char *criterion,
                bool with_deleted, size_t pos, size_t n, uint64_t *ids, size_t *got, size_t *count,
                struct cchc_err *err)
{
    unsigned char live[MODEL_KEY_MAX], gone[MODEL_KEY_MAX];
    struct stxn *tx;
    *got = *count = 0;
    size_t klen = note_target_key(live, t, target_id, criterion, false);
    note_target_key(gone, t, target_id, criterion, true);
    if (!klen)
        return err_set(err, CCHC_EUSAGE, "no such note target (%s %" PRIu64 ")",
                       note_target_name(t), target_id);
    int rc = store_read_begin(m->st, &tx, err);
    if (rc != CCHC_OK)
        return CCHC_ERUNTIME;
    if (!with_deleted) {
        rc = rec_index_window(tx, IX_TARGET_NOTES, live, klen, true, pos, n, ids, got, count, err);
        store_read_end(tx);
        return rc == CCHC_OK ? CCHC_OK : CCHC_ERUNTIME;
    }
    /* Live and deleted together: both halves are short lists (one target's
     * notes); read their values whole and merge them by time. */
    struct ixval *all = NULL;
    size_t nall = 0;
    for (int half = 0; rc == CCHC_OK && half < 2; half++) {
        struct scursor *c;
        struct sval v;
        bool found = false;
        rc = store_cursor_open(tx, IX_TARGET_NOTES, &c, err);
        if (rc != CCHC_OK)
            break;
        rc = store_index_seek(c, half ? gone : live, klen, 0, &v, &found, err);
        while (rc == CCHC_OK && found) {
            if (v.len == 16) {
                all = xrealloc(all, (nall + 1) * sizeof *all);
                memcpy(all[nall++].v, v.data, 16);
            }
            rc = store_index_next(c, &v, &found, err);
        }
        store_cursor_close(c);
    }
    store_read_end(tx);
    if (rc == CCHC_OK) {
        if (nall)
            qsort(all, nall, sizeof *all, ixval_cmp);
        *count = nall;
        for (size_t i = pos; i < nall && *got < n; i++)
            ids[(*got)++] = be64_get(all[nall - 1 - i].v + 8);
    }
    free(all);
    return rc == CCHC_OK ? CCHC_OK : CCHC_ERUNTIME;
}

int model_visit_notes(struct model *m, uint64_t visit, size_t pos, size_t n, uint64_t *ids,
                      size_t *got, size_t *count, struct cchc_err *err)
{
    struct stxn *tx;
    unsigned char key[8];
    be64_put(key, visit);
    *got = *count = 0;
    int rc = store_read_begin(m->st, &tx, err);
    if (rc != CCHC_OK)
        return CCHC_ERUNTIME;
    rc = rec_index_window(tx, IX_VISIT_NOTES, key, sizeof key, true, pos, n, ids, got, count, err);
    store_read_end(tx);
    return rc == CCHC_OK ? CCHC_OK : CCHC_ERUNTIME;
}

/* Every earlier version of note id, oldest first, into a growing array. */
static int read_history(struct stxn *tx, uint64_t id, struct note **out, size_t *n,
                        struct cchc_err *err)
{
    unsigned char key[12];
    struct scursor *c;
    struct sval k, v;
    bool found = false;
    be64_put(key, id);
    be32_put(key + 8, 0);
    int rc = store_cursor_open(tx, DB_NOTE_HISTORY, &c, err);
    if (rc != CCHC_OK)
        return rc;
    rc = store_cursor_seek(c, key, sizeof key, &k, &v, &found, err);
    while (rc == CCHC_OK && found && k.len == 12 && memcmp(k.data, key, 8) == 0) {
        struct note old;
        if (model_decode(DB_NOTE_HISTORY, id, v.data, v.len, &old, err) != CCHC_OK) {
            rc = CCHC_ERUNTIME;
            break;
        }
        *out = xrealloc(*out, (*n + 1) * sizeof **out);
        (*out)[(*n)++] = old;
        rc = store_cursor_next(c, &k, &v, &found, err);
    }
    store_cursor_close(c);
    return rc;
}

int model_note_history(struct model *m, uint64_t id, struct note *out, size_t max, size_t *n,
                       struct cchc_err *err)
{
    struct stxn *tx;
    struct note *all = NULL;
    size_t nall = 0;
    *n = 0;
    int rc = store_read_begin(m->st, &tx, err);
    if (rc != CCHC_OK)
        return CCHC_ERUNTIME;
    rc = read_history(tx, id, &all, &nall, err);
    store_read_end(tx);
    for (size_t i = nall; i-- > 0;) { /* newest first */
        if (rc == CCHC_OK && *n < max)
            out[(*n)++] = all[i];
        else
            note_free(&all[i]);
    }
    free(all);
    return rc == CCHC_OK ? CCHC_OK : CCHC_ERUNTIME;
}

/* ---- writing ---- */

/* "visit 5 · KT-2022-05 · TTHC.3", "unit 3 · CL", "item 12": what a note
 * is about, for the audit trail. */
static void target_label(struct mtx *tx, const struct note *n, struct strbuf *sb)
{
    struct cchc_err err = {0};
    if (n->target == NT_VISIT || n->target == NT_CRITERION) {
        struct visit v = {0};
        if (mtx_get_record(tx, DB_VISITS, n->target_id, &v, &err) == CCHC_OK)
            rec_visit_label(sb, &v);
        else
            sb_addf(sb, "visit %" PRIu64, n->target_id);
        visit_free(&v);
        if (n->target == NT_CRITERION && n->criterion)
            sb_addf(sb, " · %s", n->criterion);
    } else if (n->target == NT_UNIT) {
        struct unit u = {0};
        sb_addf(sb, "unit %" PRIu64, n->target_id);
        if (mtx_get_record(tx, DB_UNITS, n->target_id, &u, &err) == CCHC_OK)
            sb_addf(sb, " · %s", u.code);
        unit_free(&u);
    } else {
        sb_addf(sb, "item %" PRIu64, n->target_id);
    }
}

static void note_detail(struct mtx *tx, const struct note *n)
{
    struct strbuf sb = {0};
    target_label(tx, n, &sb);
    sb_addf(&sb, " · note %" PRIu64, n->m.id);
    mtx_set_detail(tx, sb_str(&sb));
    sb_free(&sb);
}

/* May this login add a note on the target? Visit and criterion notes need
 * the visit's team (read in the write, as it is now). */
static int may_add(struct mtx *tx, const struct note *n, struct cchc_err *err)
{
    struct model *m = mtx_model(tx);
    if (n->target != NT_VISIT && n->target != NT_CRITERION)
        return model_may(m, PERM_NOTE_ADD, NULL, NULL, err);
    struct visit v = {0};
    int rc = mtx_get_record(tx, DB_VISITS, n->target_id, &v, err);
    if (rc != CCHC_OK) {
        rc = err_set(err, CCHC_EUSAGE, "no visit %" PRIu64 " to add a note to", n->target_id);
        err_vi(err, "Không có đợt kiểm tra %" PRIu64 " để thêm ghi chú", n->target_id);
    } else
        rc = model_may(m, PERM_NOTE_ADD, &v, NULL, err);
    visit_free(&v);
    return rc;
}

struct note_add {
    const struct note *in;
    char *text;
    struct rec_meta meta; /* what the new note got */
    int64_t created;
};

static int note_add_fn(struct mtx *tx, void *ctx, struct cchc_err *err)
{
    struct note_add *na = ctx;
    struct note n = {
        .target = na->in->target,
        .target_id = na->in->target_id,
        .criterion = na->in->target == NT_CRITERION ? na->in->criterion : NULL,
        .author = mtx_model(tx)->login,
        .created = mtx_now(tx),
        .text = na->text,
    };
    int rc = may_add(tx, &n, err);
    if (rc == CCHC_OK)
        rc = mtx_put_record(tx, DB_NOTES, &n, err);
    if (rc == CCHC_OK) {
        note_detail(tx, &n);
        free(na->meta.mby);
        na->meta = n.m;
        na->created = n.created;
    } else {
        free(n.m.mby);
    }
    return rc;
}

int model_note_add(struct model *m, struct note *n, struct cchc_err *err)
{
    struct note_add na = {.in = n};
    unsigned char key[MODEL_KEY_MAX];
    if (!note_target_key(key, n->target, n->target_id, n->criterion, false)) {
        bool crit = n->target == NT_CRITERION;
        err_set(err, CCHC_EUSAGE, "a note needs a visit, criterion, unit or item%s",
                crit ? " (the criterion code is missing or too long)" : "");
        err_vi(err, "Ghi chú phải gắn với một đợt kiểm tra, tiêu chí, đơn vị hoặc mục cam kết%s",
               crit ? " (thiếu mã tiêu chí, hoặc mã quá dài)" : "");
        return CCHC_EUSAGE;
    }
    int rc = rec_clean_text(n->text, "note", "Ghi chú", false, &na.text, err);
    if (rc == CCHC_OK)
        rc = model_write(m, "note add", NULL, note_add_fn, &na, err);
    if (rc == CCHC_OK) {
        free(n->m.mby);
        free(n->author);
        n->m = na.meta;
        n->author = xstrdup(m->login);
        n->created = na.created;
        n->edited = 0;
        n->deleted = false;
    } else {
        free(na.meta.mby);
    }
    free(na.text);
    return rc;
}

/* Edit or delete: the stored note at base_rev, copied to the history. */
struct note_change {
    uint64_t id;
    uint32_t base_rev;
    const char *text; /* NFC; NULL = delete */
    struct note theirs;
    bool has_theirs;
    bool unchanged;
};

static int keep_old_version(struct mtx *tx, const struct note *cur, struct cchc_err *err)
{
    unsigned char key[12];
    struct recw w = {0};
    size_t len;
    be64_put(key, cur->m.id);
    be32_put(key + 8, cur->m.rev);
    model_encode(DB_NOTES, cur, &w);
    const void *data = recw_data(&w, &len);
    int rc = store_put(mtx_stxn(tx), DB_NOTE_HISTORY, key, sizeof key, data, len, err);
    recw_free(&w);
    return rc;
}

static int note_change_fn(struct mtx *tx, void *ctx, struct cchc_err *err)
{
    struct note_change *nc = ctx;
    struct note cur = {0};
    if (nc->has_theirs)
        note_free(&nc->theirs);
    nc->has_theirs = nc->unchanged = false;
    int rc = mtx_get_record(tx, DB_NOTES, nc->id, &cur, err);
    if (rc != CCHC_OK) {
        rc = err_set(err, CCHC_EUSAGE, "no note %" PRIu64, nc->id);
        err_vi(err, "Không có ghi chú %" PRIu64, nc->id);
    }
    if (rc == CCHC_OK && cur.m.rev != nc->base_rev) {
        rc = rec_conflict(err, "note", "Ghi chú", nc->id, &cur.m);
        nc->theirs = cur;
        nc->has_theirs = true;
        memset(&cur, 0, sizeof cur);
    }
    if (rc == CCHC_OK && cur.deleted) {
        rc = err_set(err, CCHC_EUSAGE, "note %" PRIu64 " is deleted", nc->id);
        err_vi(err, "Ghi chú %" PRIu64 " đã bị xoá", nc->id);
    }
    if (rc == CCHC_OK)
        rc =
            model_may(mtx_model(tx), nc->text ? PERM_NOTE_EDIT : PERM_NOTE_DELETE, NULL, &cur, err);
    if (rc == CCHC_OK && nc->text && strcmp(nc->text, cur.text) == 0) {
        nc->unchanged = true; /* nothing to save: no new revision, no history, no audit */
        note_free(&cur);
        return NOTHING_TO_DO;
    }
    if (rc == CCHC_OK)
        rc = keep_old_version(tx, &cur, err);
    if (rc == CCHC_OK) {
        if (nc->text) {
            free(cur.text);
            cur.text = xstrdup(nc->text);
            cur.edited = mtx_now(tx);
        } else {
            cur.deleted = true;
        }
        rc = mtx_put_record(tx, DB_NOTES, &cur, err);
    }
    if (rc == CCHC_OK)
        note_detail(tx, &cur);
    note_free(&cur);
    return rc;
}

static int note_change(struct model *m, struct note_change *nc, struct note *theirs,
                       struct cchc_err *err)
{
    int rc = model_write(m, nc->text ? "note edit" : "note delete", NULL, note_change_fn, nc, err);
    if (rc == NOTHING_TO_DO && nc->unchanged) {
        err_clear(err);
        rc = CCHC_OK;
    }
    if (nc->has_theirs) {
        if (theirs)
            *theirs = nc->theirs;
        else
            note_free(&nc->theirs);
    }
    return rc;
}

int model_note_edit(struct model *m, uint64_t id, uint32_t base_rev, const char *text,
                    struct note *theirs, struct cchc_err *err)
{
    char *clean;
    int rc = rec_clean_text(text, "note", "Ghi chú", false, &clean, err);
    if (rc != CCHC_OK)
        return rc;
    struct note_change nc = {.id = id, .base_rev = base_rev, .text = clean};
    rc = note_change(m, &nc, theirs, err);
    free(clean);
    return rc;
}

int model_note_delete(struct model *m, uint64_t id, uint32_t base_rev, struct cchc_err *err)
{
    struct note_change nc = {.id = id, .base_rev = base_rev};
    return note_change(m, &nc, NULL, err);
}

/* ---- import ---- */

/* Each version is put over the one before, which goes to the history as
 * an edit would put it: the revisions and the history keys come out as
 * if the note had been written here. */
int mtx_import_note(struct mtx *tx, struct note *n, const struct note *history, size_t n_history,
                    struct cchc_err *err)
{
    struct note cur = {0};
    int rc = CCHC_OK;
    for (size_t i = 0; rc == CCHC_OK && i <= n_history; i++) {
        const struct note *v = i < n_history ? &history[i] : n;
        if (i > 0)
            rc = keep_old_version(tx, &cur, err);
        if (rc != CCHC_OK)
            break;
        struct note next = {
            .m = {.id = cur.m.id, .rev = cur.m.rev},
            .target = n->target,
            .target_id = n->target_id,
            .criterion = n->target == NT_CRITERION ? n->criterion : NULL,
            .author = v->author,
            .created = v->created,
            .edited = v->edited,
            .text = v->text,
            .deleted = v->deleted,
        };
        if (!note_target_key((unsigned char[MODEL_KEY_MAX]){0}, next.target, next.target_id,
                             next.criterion, false))
            rc = err_set(err, CCHC_EUSAGE, "a note needs a visit, criterion, unit or item");
        if (rc == CCHC_OK)
            rc = mtx_put_record(tx, DB_NOTES, &next, err);
        free(cur.m.mby);
        cur.m = next.m;
        cur.target = next.target;
        cur.target_id = next.target_id;
        cur.criterion = next.criterion;
        cur.author = next.author;
        cur.created = next.created;
        cur.edited = next.edited;
        cur.text = next.text;
        cur.deleted = next.deleted;
    }
    if (rc == CCHC_OK) {
        free(n->m.mby);
        n->m = cur.m;
    } else {
        free(cur.m.mby);
    }
    return rc;
}

/* ---- drafts ---- */

/* The drafts key: login NUL place. */
static size_t draft_key(const char *login, const char *key, unsigned char *out, size_t cap)
{
    size_t ll = strlen(login), kl = strlen(key);
    if (ll + 1 + kl > cap)
        return 0;
    memcpy(out, login, ll);
    out[ll] = '\0';
    memcpy(out + ll + 1, key, kl);
    return ll + 1 + kl;
}

struct draft_put {
    const struct draft *d;
    unsigned char key[2 * DRAFT_KEY_MAX];
    size_t klen;
};

static int draft_put_fn(struct stxn *tx, void *ctx, struct cchc_err *err)
{
    struct draft_put *dp = ctx;
    struct recw w = {0};
    size_t len;
    draft_encode(dp->d, &w);
    const void *data = recw_data(&w, &len);
    int rc = store_put(tx, DB_DRAFTS, dp->key, dp->klen, data, len, err);
    recw_free(&w);
    return rc;
}

static int draft_del_fn(struct stxn *tx, void *ctx, struct cchc_err *err)
{
    struct draft_put *dp = ctx;
    return store_del(tx, DB_DRAFTS, dp->key, dp->klen, NULL, 0, err);
}

static int check_draft_key(struct model *m, const char *key, struct draft_put *dp,
                           struct cchc_err *err)
{
    if (!key || !*key || strlen(key) > DRAFT_KEY_MAX || strlen(m->login) > DRAFT_KEY_MAX - 1)
        return err_set(err, CCHC_EUSAGE, "a draft needs a key of 1 to %d bytes", DRAFT_KEY_MAX);
    dp->klen = draft_key(m->login, key, dp->key, sizeof dp->key);
    return CCHC_OK;
}

int model_draft_save(struct model *m, const char *key, const char *label, const char *text,
                     uint32_t base_rev, struct cchc_err *err)
{
    struct draft_put dp = {0};
    int rc = check_draft_key(m, key, &dp, err);
    if (rc != CCHC_OK)
        return rc;
    char *clean = text_nfc(text ? text : "", text ? strlen(text) : 0);
    if (strlen(clean) > DRAFT_TEXT_MAX) {
        free(clean);
        err_set(err, CCHC_EUSAGE, "a draft is limited to %d bytes", DRAFT_TEXT_MAX);
        err_vi(err, "Bản nháp dài tối đa %d byte", DRAFT_TEXT_MAX);
        return CCHC_EUSAGE;
    }
    struct draft d = {.key = (char *)key,
                      .login = m->login,
                      .label = (char *)label,
                      .text = clean,
                      .base_rev = base_rev,
                      .saved = time_now()};
    dp.d = &d;
    rc = store_write(m->st, draft_put_fn, &dp, err);
    free(clean);
    return rc;
}

int model_draft_get(struct model *m, const char *key, struct draft *out, bool *found,
                    struct cchc_err *err)
{
    struct draft_put dp = {0};
    struct stxn *tx;
    struct sval v;
    memset(out, 0, sizeof *out);
    *found = false;
    int rc = check_draft_key(m, key, &dp, err);
    if (rc != CCHC_OK)
        return rc;
    rc = store_read_begin(m->st, &tx, err);
    if (rc != CCHC_OK)
        return CCHC_ERUNTIME;
    rc = store_get(tx, DB_DRAFTS, dp.key, dp.klen, &v, found, err);
    if (rc == CCHC_OK && *found)
        rc = draft_decode(v.data, v.len, out, err);
    store_read_end(tx);
    if (rc != CCHC_OK)
        *found = false;
    return rc == CCHC_OK ? CCHC_OK : CCHC_ERUNTIME;
}

int model_draft_delete(struct model *m, const char *key, struct cchc_err *err)
{
    struct draft_put dp = {0};
    int rc = check_draft_key(m, key, &dp, err);
    if (rc != CCHC_OK)
        return rc;
    return store_write(m->st, draft_del_fn, &dp, err);
}

static int draft_cmp(const void *pa, const void *pb)
{
    const struct draft *a = pa, *b = pb;
    if (a->saved != b->saved)
        return a->saved < b->saved ? -1 : 1;
    return strcmp(a->key, b->key);
}

int model_drafts(struct model *m, struct draft *out, size_t max, size_t *n, struct cchc_err *err)
{
    unsigned char prefix[DRAFT_KEY_MAX + 1];
    size_t plen = strlen(m->login) + 1;
    struct draft *all = NULL;
    size_t nall = 0;
    struct stxn *tx;
    struct scursor *c = NULL;
    struct sval k, v;
    bool found = false;
    *n = 0;
    if (plen > sizeof prefix)
        return CCHC_OK;             /* no draft can be stored under so long a login */
    memcpy(prefix, m->login, plen); /* with its NUL */
    int rc = store_read_begin(m->st, &tx, err);
    if (rc != CCHC_OK)
        return CCHC_ERUNTIME;
    rc = store_cursor_open(tx, DB_DRAFTS, &c, err);
    if (rc == CCHC_OK)
        rc = store_cursor_seek(c, prefix, plen, &k, &v, &found, err);
    while (rc == CCHC_OK && found && k.len >= plen && memcmp(k.data, prefix, plen) == 0) {
        struct draft d;
        struct cchc_err derr = {0};
        if (draft_decode(v.data, v.len, &d, &derr) == CCHC_OK) { /* a damaged one is skipped */
            all = xrealloc(all, (nall + 1) * sizeof *all);
            all[nall++] = d;
        }
        rc = store_cursor_next(c, &k, &v, &found, err);
    }
    store_cursor_close(c);
    store_read_end(tx);
    if (nall)
        qsort(all, nall, sizeof *all, draft_cmp);
    for (size_t i = 0; i < nall; i++) {
        if (rc == CCHC_OK && *n < max)
            out[(*n)++] = all[i];
        else
            draft_free(&all[i]);
    }
    free(all);
    return rc == CCHC_OK ? CCHC_OK : CCHC_ERUNTIME;
}

/* ---- drafts of one session ---- */

char *draft_session_key(const char *place)
{
    static long long started;
    static unsigned long count;
    if (!started)
        started = (long long)time(NULL);
    return xasprintf("%s#%ld.%lld.%lu", place, (long)getpid(), started, ++count);
}

/* s[0..n) is digits, a dot, digits, a dot, digits. */
static bool is_mark(const char *s, size_t n)
{
    int parts = 1;
    bool digit = false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] >= '0' && s[i] <= '9') {
            digit = true;
        } else if (s[i] == '.' && digit && parts < 3) {
            parts++;
            digit = false;
        } else {
            return false;
        }
    }
    return parts == 3 && digit;
}

size_t draft_place_len(const char *key)
{
    const char *hash = strrchr(key, '#');
    size_t n = strlen(key);
    if (hash && is_mark(hash + 1, n - (size_t)(hash + 1 - key)))
        return (size_t)(hash - key);
    return n;
}

int model_draft_find(struct model *m, const char *place, struct draft *out, bool *found,
                     struct cchc_err *err)
{
    struct draft_put dp = {0};
    struct stxn *tx;
    struct scursor *c = NULL;
    struct sval k, v;
    bool more = false;
    size_t plen = place ? strlen(place) : 0;
    memset(out, 0, sizeof *out);
    *found = false;
    int rc = check_draft_key(m, place, &dp, err);
    if (rc != CCHC_OK)
        return rc;
    rc = store_read_begin(m->st, &tx, err);
    if (rc != CCHC_OK)
        return CCHC_ERUNTIME;
    rc = store_cursor_open(tx, DB_DRAFTS, &c, err);
    if (rc == CCHC_OK)
        rc = store_cursor_seek(c, dp.key, dp.klen, &k, &v, &more, err);
    /* Every key that starts with login NUL place: the place's own drafts
     * ('#' or nothing after it), and other places' ("note:17" after
     * "note:1"), skipped. */
    while (rc == CCHC_OK && more && k.len >= dp.klen && memcmp(k.data, dp.key, dp.klen) == 0) {
        const char *rest = (const char *)k.data + dp.klen;
        struct draft d;
        struct cchc_err derr = {0};
        if ((k.len == dp.klen || rest[0] == '#') &&
            draft_decode(v.data, v.len, &d, &derr) == CCHC_OK) { /* a damaged one is skipped */
            bool here = strncmp(d.key, place, plen) == 0 && draft_place_len(d.key) == plen;
            if (here && (!*found || d.saved >= out->saved)) {
                if (*found)
                    draft_free(out);
                *out = d;
                *found = true;
            } else {
                draft_free(&d);
            }
        }
        rc = store_cursor_next(c, &k, &v, &more, err);
    }
    store_cursor_close(c);
    store_read_end(tx);
    if (rc != CCHC_OK && *found) {
        draft_free(out);
        *found = false;
    }
    return rc == CCHC_OK ? CCHC_OK : CCHC_ERUNTIME;
}
