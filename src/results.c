/* results.c — where the province stands (see results.h): results of the
 * indices read and validated, one result written with its audit record,
 * and the counts and lists behind the dashboard.
 *
 * The counts are cursor counts over the status indexes of schema 4 (visits
 * by year and status, recommendations by status and deadline, items by
 * status), kept in step with the records in every write: no record is read,
 * so the dashboard costs the same for one province or thirty-four. The
 * lists behind them are windows over the same indexes. A record damaged
 * after it was saved is still counted under the status it was saved with;
 * `cchc check` reports it, and the lists show it as damaged.
 */
#include "cchc/results.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cchc/recording.h"
#include "model_int.h"

#define WINDOW 256

static int begin(struct model *m, struct stxn **tx, struct cchc_err *err)
{
    return store_read_begin(m->st, tx, err) == CCHC_OK ? CCHC_OK : CCHC_ERUNTIME;
}

/* Every id of q, in list order. */
static int list_all(struct model *m, const struct list_query *q, struct idvec *out,
                    struct cchc_err *err)
{
    uint64_t ids[WINDOW];
    size_t pos = 0, got = 0, count = 0;
    do {
        if (model_list(m, q, pos, WINDOW, ids, &got, &count, err) != CCHC_OK)
            return CCHC_ERUNTIME;
        for (size_t i = 0; i < got; i++)
            idvec_push(out, ids[i]);
        pos += got;
    } while (got == WINDOW && pos < count);
    return CCHC_OK;
}

/* ---- results ---- */

void result_set_free(struct result_set *rs)
{
    for (size_t i = 0; i < rs->n; i++)
        result_free(&rs->v[i]);
    free(rs->v);
    memset(rs, 0, sizeof *rs);
}

int results_of_index(struct model *m, const char *index, uint64_t unit, struct result_set *out,
                     struct cchc_err *err)
{
    struct list_query q = {.kind = LIST_INDEX_RESULTS, .code = index, .arg = unit};
    struct idvec ids = {0};
    memset(out, 0, sizeof *out);
    if (list_all(m, &q, &ids, err) != CCHC_OK) {
        idvec_free(&ids);
        return CCHC_ERUNTIME;
    }
    out->v = xcalloc(ids.n ? ids.n : 1, sizeof *out->v);
    int rc = model_results(m, ids.v, ids.n, out->v, &out->n, &out->damaged, err);
    idvec_free(&ids);
    return rc;
}

int results_summary(struct model *m, const char *index, struct result_set *out,
                    struct cchc_err *err)
{
    struct result_ref *refs;
    size_t n, k = 0;
    int scored_year = 0;
    memset(out, 0, sizeof *out);
    if (model_result_refs(m, index, 0, &refs, &n, err) != CCHC_OK)
        return CCHC_ERUNTIME;
    for (size_t i = 0; i < n; i++)
        if (refs[i].scored && refs[i].year > scored_year)
            scored_year = refs[i].year;
    uint64_t *ids = xcalloc(n ? n : 1, sizeof *ids);
    for (size_t i = 0; i < n; i++)
        if (refs[i].whole || (refs[i].scored && refs[i].year == scored_year))
            ids[k++] = refs[i].id;
    out->v = xcalloc(k ? k : 1, sizeof *out->v);
    int rc = model_results(m, ids, k, out->v, &out->n, &out->damaged, err);
    free(ids);
    free(refs);
    if (rc != CCHC_OK) {
        result_set_free(out);
        return CCHC_ERUNTIME;
    }
    return CCHC_OK;
}

static int collect_ids(void *ctx, const void *key, size_t klen, const void *vals, size_t n,
                       size_t width, struct cchc_err *err)
{
    const unsigned char *p = vals;
    (void)key, (void)klen, (void)err;
    if (width < 8)
        return STORE_SCAN_STOP;
    for (size_t i = 0; i < n; i++, p += width)
        idvec_push(ctx, be64_get(p + width - 8));
    return 0;
}

int results_ids_of_index(struct model *m, const char *index, struct idvec *out,
                         struct cchc_err *err)
{
    unsigned char key[MODEL_KEY_MAX];
    struct stxn *tx;
    size_t klen = model_result_key(key, index, 0);
    if (!klen)
        return CCHC_OK; /* no such code: no results */
    if (begin(m, &tx, err) != CCHC_OK)
        return CCHC_ERUNTIME;
    /* The prefix is the code and its 0 byte: every unit. */
    int rc = store_prefix_scan(tx, IX_INDEX_RESULTS, key, klen - 8, collect_ids, out, err);
    store_read_end(tx);
    return rc == CCHC_OK ? CCHC_OK : CCHC_ERUNTIME;
}

bool result_is_whole(const struct index_result *r)
{
    return r->unit == 0 && (!r->component || !*r->component || strcmp(r->component, r->index) == 0);
}

const struct index_result *results_whole_of_year(const struct result_set *rs, int year)
{
    for (size_t i = 0; i < rs->n; i++)
        if (rs->v[i].year == year && result_is_whole(&rs->v[i]))
            return &rs->v[i];
    return NULL;
}

const struct index_result *results_latest_ranked(const struct result_set *rs)
{
    const struct index_result *best = NULL;
    for (size_t i = 0; i < rs->n; i++) {
        const struct index_result *r = &rs->v[i];
        if (result_is_whole(r) && r->rank > 0 && (!best || r->year > best->year))
            best = r;
    }
    return best;
}

int results_rank_level(int rank, int of)
{
    if (of < 1 || rank < 1 || rank > of)
        return 0;
    /* ceil(8 * (of + 1 - rank) / of): the last place is 1, the first 8. */
    long num = 8L * (of + 1 - rank);
    int level = (int)((num + of - 1) / of);
    return level < 1 ? 1 : level > 8 ? 8 : level;
}

const char *results_bar(int level, bool ascii)
{
    static const char *const bars[9] = {"·", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
    static const char *const abars[9] = {".", "1", "2", "3", "4", "5", "6", "7", "8"};
    if (level < 0 || level > 8)
        level = 0;
    return ascii ? abars[level] : bars[level];
}

bool results_max_of(const struct config *cfg, const char *code, double *max)
{
    const struct index_def *ix = NULL;
    const struct area *ar = NULL;
    const struct component *co = NULL;
    const struct measure *ms = code ? config_measure(cfg, code) : NULL;
    if (ms) {
        *max = ms->max;
        return true;
    }
    if (!code || !config_find_code(cfg, code, &ix, &ar, &co) || !ix)
        return false;
    *max = co ? co->max : ar ? ar->max : ix->total;
    return true;
}

/* A component result of the province for idx, with a score. */
static bool scored_part(const struct index_def *idx, const struct index_result *r)
{
    return r->unit == 0 && !result_is_whole(r) && strcmp(r->index, idx->code) == 0 &&
           !isnan(r->score);
}

const struct index_result *results_weakest(const struct config *cfg, const struct index_def *idx,
                                           const struct result_set *rs)
{
    int year = 0;
    for (size_t i = 0; i < rs->n; i++)
        if (scored_part(idx, &rs->v[i]) && rs->v[i].year > year)
            year = rs->v[i].year;
    if (!year)
        return NULL;
    const struct index_result *by_share = NULL, *by_rank = NULL;
    double low = INFINITY;
    for (size_t i = 0; i < rs->n; i++) {
        const struct index_result *r = &rs->v[i];
        double max = 0;
        if (r->year != year || !scored_part(idx, r))
            continue;
        if (results_max_of(cfg, r->component, &max) && max > 0) {
            if (r->score / max < low) {
                low = r->score / max;
                by_share = r;
            }
        } else if (r->rank > 0 && (!by_rank || r->rank > by_rank->rank)) {
            by_rank = r;
        }
    }
    return by_share ? by_share : by_rank;
}

/* ---- writing a result ---- */

static bool same_key(const struct index_result *a, const struct index_result *b)
{
    const char *ca = a->component ? a->component : "", *cb = b->component ? b->component : "";
    return strcmp(a->index, b->index) == 0 && strcmp(ca, cb) == 0 && a->year == b->year &&
           a->unit == b->unit;
}

/* A number as a Vietnamese reader writes it: a decimal comma ("11,5"). */
static const char *num_vi(double x, char buf[static 32])
{
    snprintf(buf, 32, "%g", x);
    for (char *p = buf; *p; p++)
        if (*p == '.')
            *p = ',';
    return buf;
}

static int bad_year(struct cchc_err *err, int year)
{
    err_set(err, CCHC_EUSAGE, "year %d is out of range (1900-9999)", year);
    err_vi(err, "Năm %d nằm ngoài khoảng 1900–9999", year);
    return CCHC_EUSAGE;
}

/* A value of one of the province's own measures: one number a year for the
 * province, within 0..max, no component, unit or rank. Each refusal in
 * English (the command line) and Vietnamese (the UI). */
static int validate_measure(const struct config *cfg, const struct measure *ms,
                            struct index_result *r, struct cchc_err *err)
{
    char a[32], b[32];
    (void)cfg;
    if ((r->component && *r->component) || r->unit) {
        err_set(err, CCHC_EUSAGE, "%s is a measure of the province: no component or unit",
                ms->code);
        err_vi(err, "%s là số đo của tỉnh: không có thành phần hay đơn vị", ms->code);
        return CCHC_EUSAGE;
    }
    if (r->year < 1900 || r->year > 9999)
        return bad_year(err, r->year);
    if (isnan(r->score) || isinf(r->score) || r->score < 0) {
        err_set(err, CCHC_EUSAGE, "a value of %s is a number not below 0", ms->code);
        err_vi(err, "Giá trị của %s phải là một số không âm", ms->code);
        return CCHC_EUSAGE;
    }
    if (ms->max > 0 && r->score > ms->max) {
        err_set(err, CCHC_EUSAGE, "value %g is above the maximum %g of %s", r->score, ms->max,
                ms->code);
        err_vi(err, "Giá trị %s vượt tối đa %s của %s", num_vi(r->score, a), num_vi(ms->max, b),
               ms->code);
        return CCHC_EUSAGE;
    }
    if (r->rank) {
        err_set(err, CCHC_EUSAGE, "%s has values, not ranks", ms->code);
        err_vi(err, "%s chỉ có giá trị, không có thứ hạng", ms->code);
        return CCHC_EUSAGE;
    }
    r->rank_of = 0;
    return CCHC_OK;
}

static int validate(const struct config *cfg, struct index_result *r, struct cchc_err *err)
{
    const struct measure *ms = r->index ? config_measure(cfg, r->index) : NULL;
    if (ms)
        return validate_measure(cfg, ms, r, err);
    const struct index_def *ix = r->index ? config_index(cfg, r->index) : NULL;
    const char *code = r->component && *r->component ? r->component : r->index;
    double max = 0;
    char a[32], b[32];
    if (!ix) {
        const char *name = r->index ? r->index : "(none)";
        err_set(err, CCHC_EUSAGE, "unknown index %s (not in indicators.yaml)", name);
        err_vi(err, "Không có chỉ số %s trong indicators.yaml", name);
        return CCHC_EUSAGE;
    }
    if (code != r->index) {
        const struct index_def *ix2 = NULL;
        const struct area *ar = NULL;
        const struct component *co = NULL;
        if (!config_find_code(cfg, code, &ix2, &ar, &co) || ix2 != ix) {
            err_set(err, CCHC_EUSAGE, "%s is not an area or component of %s", code, ix->code);
            err_vi(err, "%s không phải là lĩnh vực hay thành phần của %s", code, ix->code);
            return CCHC_EUSAGE;
        }
    }
    if (r->year < 1900 || r->year > 9999)
        return bad_year(err, r->year);
    results_max_of(cfg, code, &max);
    if (!isnan(r->score) && (r->score < 0 || isinf(r->score))) {
        err_set(err, CCHC_EUSAGE, "a score is a number not below 0");
        err_vi(err, "Điểm phải là một số không âm");
        return CCHC_EUSAGE;
    }
    if (!isnan(r->score) && max > 0 && r->score > max) {
        err_set(err, CCHC_EUSAGE, "score %g is above the maximum %g of %s", r->score, max, code);
        err_vi(err, "Điểm %s vượt tối đa %s của %s", num_vi(r->score, a), num_vi(max, b), code);
        return CCHC_EUSAGE;
    }
    if (r->rank && !r->rank_of)
        r->rank_of = ix->ranked_of;
    if (r->rank_of < 0 || (r->rank && r->rank_of < 1)) {
        err_set(err, CCHC_EUSAGE, "rank needs how many were ranked");
        err_vi(err, "Thứ hạng cần số tỉnh được xếp hạng");
        return CCHC_EUSAGE;
    }
    if (r->rank < 0 || r->rank > r->rank_of) {
        err_set(err, CCHC_EUSAGE, "rank %d is not between 1 and %d", r->rank, r->rank_of);
        err_vi(err, "Thứ hạng %d không nằm trong khoảng 1–%d", r->rank, r->rank_of);
        return CCHC_EUSAGE;
    }
    if (!r->rank)
        r->rank_of = 0;
    return CCHC_OK;
}

/* The stored result with the same key as r (id 0 when none). */
static int find_same(struct model *m, const struct index_result *r, uint64_t *id, uint32_t *rev,
                     struct cchc_err *err)
{
    struct result_set rs;
    *id = 0;
    if (results_of_index(m, r->index, r->unit, &rs, err) != CCHC_OK)
        return CCHC_ERUNTIME;
    for (size_t i = 0; i < rs.n && !*id; i++)
        if (same_key(&rs.v[i], r)) {
            *id = rs.v[i].m.id;
            *rev = rs.v[i].m.rev;
        }
    result_set_free(&rs);
    return CCHC_OK;
}

static int put_one(struct mtx *tx, void *ctx, struct cchc_err *err)
{
    return mtx_put_result(tx, ctx, err);
}

/* The Vietnamese of a conflict the model reported in English: who saved
 * result id since, and when, read again now that the write is over. */
static void conflict_vi(struct model *m, uint64_t id, struct cchc_err *err)
{
    struct index_result cur = {0};
    struct cchc_err e = {0};
    char when[17];
    if (model_result(m, id, &cur, &e) == CCHC_OK && cur.m.mby)
        err_vi(err, "Kết quả này đã được %s sửa lúc %s, sau khi bạn mở; không có gì bị ghi đè",
               cur.m.mby, time_format(cur.m.mtime, when));
    else
        err_vi(err, "Người khác đã sửa kết quả này sau khi bạn mở; không có gì bị ghi đè");
    result_free(&cur);
}

int results_save(struct model *m, const struct config *cfg, struct index_result *r,
                 struct cchc_err *err)
{
    char detail[200], score[32] = "", rank[32] = "";
    if (model_may(m, PERM_PLAN_EDIT, NULL, NULL, err) != CCHC_OK)
        return err->code;
    if (r->component && (!*r->component || strcmp(r->component, r->index ? r->index : "") == 0)) {
        free(r->component); /* the whole index is stored without a component */
        r->component = NULL;
    }
    if (validate(cfg, r, err) != CCHC_OK)
        return CCHC_EUSAGE;
    if (!r->m.id) {
        uint64_t id;
        uint32_t rev = 0;
        if (find_same(m, r, &id, &rev, err) != CCHC_OK)
            return CCHC_ERUNTIME;
        r->m.id = id;
        r->m.rev = rev;
    }
    if (!isnan(r->score))
        snprintf(score, sizeof score, " score %g", r->score);
    if (r->rank)
        snprintf(rank, sizeof rank, " rank %d/%d", r->rank, r->rank_of);
    snprintf(detail, sizeof detail, "%s %d%s%s", r->component ? r->component : r->index, r->year,
             score, rank);
    uint64_t id = r->m.id;
    uint32_t rev = r->m.rev;
    free(r->m.mby);
    r->m.mby = NULL;
    int rc = model_write(m, "result", detail, put_one, r, err);
    if (rc != CCHC_OK) { /* as it was, so that the caller may try again */
        free(r->m.mby);
        r->m.mby = NULL;
        r->m.id = id;
        r->m.rev = rev;
        if (strstr(err->msg, "changed by")) {
            err->code = rc = CCHC_ECONFLICT;
            conflict_vi(m, id, err);
        }
    }
    return rc;
}

/* ---- counts and the lists behind them ---- */

bool results_code_under(const char *component, const char *code)
{
    if (!component || !code || !*code)
        return false;
    size_t n = strlen(code);
    return strncmp(component, code, n) == 0 && (component[n] == '\0' || component[n] == '.');
}

/* ---- the status indexes (schema 4) ----
 *
 * Every figure of the dashboard is the number of values under one key of a
 * status index, counted by LMDB without reading a record; the overdue
 * recommendations are the first values of the open ones (sorted by
 * deadline), counted a page at a time up to today. */

static void visit_status_key(unsigned char key[3], int year, int status)
{
    be16_put(key, (uint16_t)year);
    key[2] = (unsigned char)status;
}

static bool year_ok(int year)
{
    return year >= 1 && year <= 0xFFFF;
}

/* The ids at positions pos..pos+n of one index key (n = SIZE_MAX: to its
 * end, pushed onto out; else into ids), and how many values it has. */
static int key_window(struct stxn *tx, enum store_db db, const void *key, size_t klen, size_t pos,
                      size_t n, uint64_t *ids, struct idvec *out, size_t *got, size_t *count,
                      struct cchc_err *err)
{
    struct scursor *c;
    struct sval v;
    bool found = false;
    *got = 0;
    int rc = store_index_count(tx, db, key, klen, count, err);
    if (rc != CCHC_OK || pos >= *count || n == 0)
        return rc;
    rc = store_cursor_open(tx, db, &c, err);
    if (rc != CCHC_OK)
        return rc;
    rc = store_index_seek(c, key, klen, pos, &v, &found, err);
    while (rc == CCHC_OK && found && *got < n) {
        uint64_t id = v.len >= 8 ? be64_get((const unsigned char *)v.data + v.len - 8) : 0;
        if (out)
            idvec_push(out, id);
        else
            ids[*got] = id;
        (*got)++;
        if (*got < n)
            rc = store_index_next(c, &v, &found, err);
    }
    store_cursor_close(c);
    return rc;
}

struct overdue_count {
    uint32_t limit; /* rec_deadline_key(today) */
    size_t n;
};

static int overdue_page(void *ctx, const void *key, size_t klen, const void *vals, size_t n,
                        size_t width, struct cchc_err *err)
{
    struct overdue_count *oc = ctx;
    const unsigned char *p = vals;
    (void)key, (void)klen, (void)err;
    if (width < 4)
        return STORE_SCAN_STOP;
    for (size_t i = 0; i < n; i++, p += width) {
        if (be32_get(p) >= oc->limit)
            return STORE_SCAN_STOP;
        oc->n++;
    }
    return 0;
}

/* Open recommendations past their deadline on today. */
static int count_overdue(struct stxn *tx, cchc_date today, size_t *n, struct cchc_err *err)
{
    unsigned char key = RS_OPEN;
    struct overdue_count oc = {rec_deadline_key(today), 0};
    int rc = store_prefix_scan(tx, IX_REC_STATUS, &key, 1, overdue_page, &oc, err);
    *n = oc.n;
    return rc;
}

int results_visit_window(struct model *m, int year, int status, size_t pos, size_t n, uint64_t *ids,
                         size_t *got, size_t *count, struct cchc_err *err)
{
    struct stxn *tx;
    unsigned char key[3];
    *got = *count = 0;
    if (!year_ok(year) || status >= VS_COUNT)
        return CCHC_OK;
    if (status < 0) { /* every visit of the year, by date */
        struct list_query q = {.kind = LIST_VISITS_YEAR, .year = year, .unit_kind = UK_NONE};
        return model_list(m, &q, pos, n, ids, got, count, err);
    }
    if (begin(m, &tx, err) != CCHC_OK)
        return CCHC_ERUNTIME;
    visit_status_key(key, year, status);
    int rc = key_window(tx, IX_VISIT_STATUS, key, sizeof key, pos, n, ids, NULL, got, count, err);
    store_read_end(tx);
    return rc == CCHC_OK ? CCHC_OK : CCHC_ERUNTIME;
}

int results_rec_window(struct model *m, enum rec_filter f, cchc_date today, size_t pos, size_t n,
                       uint64_t *ids, size_t *got, size_t *count, struct cchc_err *err)
{
    struct stxn *tx;
    unsigned char open = RS_OPEN, done = RS_DONE;
    size_t n_open = 0, limit = 0, got2 = 0, count2 = 0;
    *got = *count = 0;
    if (begin(m, &tx, err) != CCHC_OK)
        return CCHC_ERUNTIME;
    int rc = store_index_count(tx, IX_REC_STATUS, &open, 1, &n_open, err);
    switch (f) {
    case RF_OVERDUE: /* a prefix of the open ones */
        if (rc == CCHC_OK)
            rc = count_overdue(tx, today, &limit, err);
        if (rc == CCHC_OK && pos < limit)
            rc = key_window(tx, IX_REC_STATUS, &open, 1, pos, n < limit - pos ? n : limit - pos,
                            ids, NULL, got, &count2, err);
        *count = limit;
        break;
    case RF_DONE:
        if (rc == CCHC_OK)
            rc = key_window(tx, IX_REC_STATUS, &done, 1, pos, n, ids, NULL, got, count, err);
        break;
    case RF_OPEN:
    case RF_ALL: /* the open ones, then the done ones */
        if (rc == CCHC_OK && pos < n_open)
            rc = key_window(tx, IX_REC_STATUS, &open, 1, pos, n, ids, NULL, got, &count2, err);
        if (rc == CCHC_OK && f == RF_ALL) {
            size_t from = pos > n_open ? pos - n_open : 0;
            rc = key_window(tx, IX_REC_STATUS, &done, 1, from, n - *got, ids + *got, NULL, &got2,
                            &count2, err);
            *got += got2;
        }
        *count = n_open + (f == RF_ALL ? count2 : 0);
        break;
    }
    store_read_end(tx);
    if (rc != CCHC_OK)
        *got = 0;
    return rc == CCHC_OK ? CCHC_OK : CCHC_ERUNTIME;
}

int results_item_window(struct model *m, int status, size_t pos, size_t n, uint64_t *ids,
                        size_t *got, size_t *count, struct cchc_err *err)
{
    struct stxn *tx;
    *got = *count = 0;
    if (status >= IS_COUNT)
        return CCHC_OK;
    if (begin(m, &tx, err) != CCHC_OK)
        return CCHC_ERUNTIME;
    /* status < 0: every status in turn, each key's list after the last */
    int rc = CCHC_OK, first = status < 0 ? 0 : status, last = status < 0 ? IS_COUNT - 1 : status;
    size_t before = 0; /* rows of the statuses already passed */
    for (int s = first; rc == CCHC_OK && s <= last; s++) {
        unsigned char key = (unsigned char)s;
        size_t here = 0, g = 0, from = pos > before ? pos - before : 0;
        if (*got < n)
            rc = key_window(tx, IX_ITEM_STATUS, &key, 1, from, n - *got, ids + *got, NULL, &g,
                            &here, err);
        else
            rc = store_index_count(tx, IX_ITEM_STATUS, &key, 1, &here, err);
        if (pos >= before + here)
            g = 0; /* the window starts further on */
        *got += g;
        before += here;
    }
    *count = before;
    store_read_end(tx);
    if (rc != CCHC_OK)
        *got = 0;
    return rc == CCHC_OK ? CCHC_OK : CCHC_ERUNTIME;
}

/* Every id of a window function, in list order. */
typedef int (*window_fn)(void *ctx, size_t pos, size_t n, uint64_t *ids, size_t *got, size_t *count,
                         struct cchc_err *err);

static int window_all(window_fn fn, void *ctx, struct idvec *out, struct cchc_err *err)
{
    uint64_t ids[WINDOW];
    size_t pos = 0, got = 0, count = 0;
    do {
        if (fn(ctx, pos, WINDOW, ids, &got, &count, err) != CCHC_OK)
            return CCHC_ERUNTIME;
        for (size_t i = 0; i < got; i++)
            idvec_push(out, ids[i]);
        pos += got;
    } while (got > 0 && pos < count);
    return CCHC_OK;
}

struct wargs {
    struct model *m;
    int year, status;
    enum rec_filter f;
    cchc_date today;
};

static int visit_w(void *ctx, size_t pos, size_t n, uint64_t *ids, size_t *got, size_t *count,
                   struct cchc_err *err)
{
    struct wargs *a = ctx;
    return results_visit_window(a->m, a->year, a->status, pos, n, ids, got, count, err);
}

static int rec_w(void *ctx, size_t pos, size_t n, uint64_t *ids, size_t *got, size_t *count,
                 struct cchc_err *err)
{
    struct wargs *a = ctx;
    return results_rec_window(a->m, a->f, a->today, pos, n, ids, got, count, err);
}

static int item_w(void *ctx, size_t pos, size_t n, uint64_t *ids, size_t *got, size_t *count,
                  struct cchc_err *err)
{
    struct wargs *a = ctx;
    return results_item_window(a->m, a->status, pos, n, ids, got, count, err);
}

int results_visit_ids(struct model *m, int year, int status, struct idvec *out,
                      struct cchc_err *err)
{
    struct wargs a = {.m = m, .year = year, .status = status};
    return window_all(visit_w, &a, out, err);
}

int results_rec_ids(struct model *m, enum rec_filter f, cchc_date today, struct idvec *out,
                    struct cchc_err *err)
{
    struct wargs a = {.m = m, .f = f, .today = today};
    return window_all(rec_w, &a, out, err);
}

/* Every item id, commitment by commitment. */
static int all_item_ids(struct model *m, struct idvec *out, struct cchc_err *err)
{
    struct list_query q = {.kind = LIST_COMMITMENTS};
    struct idvec cs = {0};
    int rc = list_all(m, &q, &cs, err);
    for (size_t i = 0; rc == CCHC_OK && i < cs.n; i++) {
        struct list_query qi = {.kind = LIST_COMMITMENT_ITEMS, .arg = cs.v[i]};
        rc = list_all(m, &qi, out, err);
    }
    idvec_free(&cs);
    return rc;
}

/* Items under a component: the values of every key of ix_component_items
 * that is the code or begins with the code and a dot. */
struct under {
    size_t len;
    struct idvec *out;
};

static int collect_under(void *ctx, const void *key, size_t klen, const void *vals, size_t n,
                         size_t width, struct cchc_err *err)
{
    struct under *u = ctx;
    const unsigned char *p = vals;
    (void)err;
    if (klen > u->len && ((const char *)key)[u->len] != '.')
        return 0; /* "PARINDEX.60" is not under "PARINDEX.6" */
    for (size_t i = 0; width >= 8 && i < n; i++, p += width)
        idvec_push(u->out, be64_get(p + width - 8));
    return 0;
}

static int cmp_id(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

int results_item_ids(struct model *m, const char *component, int status, struct idvec *out,
                     struct cchc_err *err)
{
    struct wargs a = {.m = m, .status = status};
    struct stxn *tx;
    if (!component) {
        int rc = status >= 0 ? window_all(item_w, &a, out, err) : all_item_ids(m, out, err);
        return rc == CCHC_OK ? CCHC_OK : CCHC_ERUNTIME;
    }
    /* by component: its index, in the order the items were made (an
     * import makes them commitment by commitment) */
    struct idvec ids = {0};
    struct under u = {strlen(component), &ids};
    if (!*component || begin(m, &tx, err) != CCHC_OK)
        return *component ? CCHC_ERUNTIME : CCHC_OK;
    int rc = store_prefix_scan(tx, IX_COMPONENT_ITEMS, component, u.len, collect_under, &u, err);
    store_read_end(tx);
    if (rc != CCHC_OK) {
        idvec_free(&ids);
        return CCHC_ERUNTIME;
    }
    if (ids.n)
        qsort(ids.v, ids.n, sizeof *ids.v, cmp_id);
    for (size_t i = 0; i < ids.n; i++) {
        struct commitment_item it = {0};
        struct cchc_err e = {0};
        if (status < 0) /* a damaged item is listed: the screen says so */
            idvec_push(out, ids.v[i]);
        else if (model_item(m, ids.v[i], &it, &e) == CCHC_OK && (int)it.status == status)
            idvec_push(out, ids.v[i]);
        item_free(&it);
    }
    idvec_free(&ids);
    return CCHC_OK;
}

static int count_key(struct stxn *tx, enum store_db db, const void *key, size_t klen, size_t *n,
                     size_t *total, struct cchc_err *err)
{
    int rc = store_index_count(tx, db, key, klen, n, err);
    *total += *n;
    return rc;
}

int results_counts(struct model *m, int year, cchc_date today, struct dash_counts *out,
                   struct cchc_err *err)
{
    struct stxn *tx;
    unsigned char key[3], open = RS_OPEN, done = RS_DONE;
    size_t all = 0;
    memset(out, 0, sizeof *out);
    out->year = year;
    if (begin(m, &tx, err) != CCHC_OK)
        return CCHC_ERUNTIME;
    int rc = CCHC_OK;
    for (int s = 0; rc == CCHC_OK && year_ok(year) && s < VS_COUNT; s++) {
        visit_status_key(key, year, s);
        rc = count_key(tx, IX_VISIT_STATUS, key, sizeof key, &out->visits[s], &out->visits_total,
                       err);
    }
    for (int s = 0; rc == CCHC_OK && s < IS_COUNT; s++) {
        key[0] = (unsigned char)s;
        rc = count_key(tx, IX_ITEM_STATUS, key, 1, &out->items[s], &out->items_total, err);
    }
    if (rc == CCHC_OK)
        rc = count_key(tx, IX_REC_STATUS, &open, 1, &out->recs_open, &all, err);
    if (rc == CCHC_OK)
        rc = count_key(tx, IX_REC_STATUS, &done, 1, &out->recs_done, &all, err);
    if (rc == CCHC_OK)
        rc = count_overdue(tx, today, &out->recs_overdue, err);
    store_read_end(tx);
    return rc == CCHC_OK ? CCHC_OK : CCHC_ERUNTIME;
}
