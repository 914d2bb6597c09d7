/* results.c — where the province stands (see results.h): results of the
 * indices read and validated, one result written with its audit record,
 * and the counts and lists behind the dashboard.
 *
 * Lists are read a window at a time through model_list() and decoded one
 * record at a time; a province has hundreds of visits and items, never so
 * many that counting them by walking is slow. A record that fails to decode
 * is counted as damaged and skipped: a count must not fail because of one
 * bad record.
 */
#include "cchc/results.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cchc/recording.h"

#define WINDOW    256
#define MAX_YEARS 256

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

int results_of_index(struct model *m, const char *index, struct result_set *out,
                     struct cchc_err *err)
{
    struct list_query q = {.kind = LIST_INDEX_RESULTS, .code = index};
    struct idvec ids = {0};
    memset(out, 0, sizeof *out);
    if (list_all(m, &q, &ids, err) != CCHC_OK) {
        idvec_free(&ids);
        return CCHC_ERUNTIME;
    }
    out->v = xcalloc(ids.n ? ids.n : 1, sizeof *out->v);
    for (size_t i = 0; i < ids.n; i++) {
        struct cchc_err e = {0};
        if (model_result(m, ids.v[i], &out->v[out->n], &e) == CCHC_OK)
            out->n++;
        else
            out->damaged++;
    }
    idvec_free(&ids);
    return CCHC_OK;
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

static int validate(const struct config *cfg, struct index_result *r, struct cchc_err *err)
{
    const struct index_def *ix = r->index ? config_index(cfg, r->index) : NULL;
    const char *code = r->component && *r->component ? r->component : r->index;
    double max = 0;
    if (!ix)
        return err_set(err, CCHC_EUSAGE, "unknown index %s (not in indicators.yaml)",
                       r->index ? r->index : "(none)");
    if (code != r->index) {
        const struct index_def *ix2 = NULL;
        const struct area *ar = NULL;
        const struct component *co = NULL;
        if (!config_find_code(cfg, code, &ix2, &ar, &co) || ix2 != ix)
            return err_set(err, CCHC_EUSAGE, "%s is not an area or component of %s", code,
                           ix->code);
    }
    if (r->year < 1900 || r->year > 9999)
        return err_set(err, CCHC_EUSAGE, "year %d is out of range (1900-9999)", r->year);
    results_max_of(cfg, code, &max);
    if (!isnan(r->score) && (r->score < 0 || isinf(r->score)))
        return err_set(err, CCHC_EUSAGE, "a score is a number not below 0");
    if (!isnan(r->score) && max > 0 && r->score > max)
        return err_set(err, CCHC_EUSAGE, "score %g is above the maximum %g of %s", r->score, max,
                       code);
    if (r->rank && !r->rank_of)
        r->rank_of = ix->ranked_of;
    if (r->rank_of < 0 || (r->rank && r->rank_of < 1))
        return err_set(err, CCHC_EUSAGE, "rank needs how many were ranked");
    if (r->rank < 0 || r->rank > r->rank_of)
        return err_set(err, CCHC_EUSAGE, "rank %d is not between 1 and %d", r->rank, r->rank_of);
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
    if (results_of_index(m, r->index, &rs, err) != CCHC_OK)
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
        if (strstr(err->msg, "changed by"))
            err->code = rc = CCHC_ECONFLICT;
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

int results_visit_ids(struct model *m, int year, int status, struct idvec *out,
                      struct cchc_err *err)
{
    struct list_query q = {.kind = LIST_VISITS_YEAR, .year = year, .unit_kind = UK_NONE};
    struct idvec ids = {0};
    if (list_all(m, &q, &ids, err) != CCHC_OK) {
        idvec_free(&ids);
        return CCHC_ERUNTIME;
    }
    for (size_t i = 0; i < ids.n; i++) {
        struct visit v = {0};
        struct cchc_err e = {0};
        if (status < 0) {
            idvec_push(out, ids.v[i]);
            continue;
        }
        if (model_visit(m, ids.v[i], &v, &e) != CCHC_OK)
            continue;
        if ((int)v.status == status)
            idvec_push(out, ids.v[i]);
        visit_free(&v);
    }
    idvec_free(&ids);
    return CCHC_OK;
}

/* Every recommendation id, visit by visit, years in order. */
static int all_rec_ids(struct model *m, struct idvec *out, struct cchc_err *err)
{
    int years[MAX_YEARS];
    size_t n_years = 0;
    if (model_visit_years(m, years, MAX_YEARS, &n_years, err) != CCHC_OK)
        return CCHC_ERUNTIME;
    for (size_t y = 0; y < n_years; y++) {
        struct idvec visits = {0};
        if (results_visit_ids(m, years[y], -1, &visits, err) != CCHC_OK)
            return CCHC_ERUNTIME;
        for (size_t i = 0; i < visits.n; i++) {
            uint64_t ids[WINDOW];
            size_t pos = 0, got = 0, count = 0;
            do {
                if (model_visit_recs(m, visits.v[i], pos, WINDOW, ids, &got, &count, err) !=
                    CCHC_OK) {
                    idvec_free(&visits);
                    return CCHC_ERUNTIME;
                }
                for (size_t k = 0; k < got; k++)
                    idvec_push(out, ids[k]);
                pos += got;
            } while (got == WINDOW && pos < count);
        }
        idvec_free(&visits);
    }
    return CCHC_OK;
}

static bool rec_matches(const struct recommendation *r, enum rec_filter f, cchc_date today)
{
    switch (f) {
    case RF_OPEN:
        return r->status == RS_OPEN;
    case RF_OVERDUE:
        return rec_overdue(r, today);
    case RF_DONE:
        return r->status == RS_DONE;
    case RF_ALL:
        return true;
    }
    return false;
}

int results_rec_ids(struct model *m, enum rec_filter f, cchc_date today, struct idvec *out,
                    struct cchc_err *err)
{
    struct idvec ids = {0};
    if (all_rec_ids(m, &ids, err) != CCHC_OK) {
        idvec_free(&ids);
        return CCHC_ERUNTIME;
    }
    for (size_t i = 0; i < ids.n; i++) {
        struct recommendation r = {0};
        struct cchc_err e = {0};
        if (model_rec(m, ids.v[i], &r, &e) != CCHC_OK)
            continue;
        if (rec_matches(&r, f, today))
            idvec_push(out, ids.v[i]);
        rec_free(&r);
    }
    idvec_free(&ids);
    return CCHC_OK;
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

int results_item_ids(struct model *m, const char *component, int status, struct idvec *out,
                     struct cchc_err *err)
{
    struct idvec ids = {0};
    if (all_item_ids(m, &ids, err) != CCHC_OK) {
        idvec_free(&ids);
        return CCHC_ERUNTIME;
    }
    for (size_t i = 0; i < ids.n; i++) {
        struct commitment_item it = {0};
        struct cchc_err e = {0};
        if (!component && status < 0) {
            idvec_push(out, ids.v[i]);
            continue;
        }
        if (model_item(m, ids.v[i], &it, &e) != CCHC_OK)
            continue;
        if ((!component || results_code_under(it.component, component)) &&
            (status < 0 || (int)it.status == status))
            idvec_push(out, ids.v[i]);
        item_free(&it);
    }
    idvec_free(&ids);
    return CCHC_OK;
}

static int count_visits(struct model *m, int year, struct dash_counts *c, struct cchc_err *err)
{
    struct idvec ids = {0};
    int rc = year ? results_visit_ids(m, year, -1, &ids, err) : CCHC_OK;
    for (size_t i = 0; rc == CCHC_OK && i < ids.n; i++) {
        struct visit v = {0};
        struct cchc_err e = {0};
        if (model_visit(m, ids.v[i], &v, &e) != CCHC_OK) {
            c->damaged++;
            continue;
        }
        if ((unsigned)v.status < VS_COUNT)
            c->visits[v.status]++;
        c->visits_total++;
        visit_free(&v);
    }
    idvec_free(&ids);
    return rc;
}

static int count_recs(struct model *m, cchc_date today, struct dash_counts *c, struct cchc_err *err)
{
    struct idvec ids = {0};
    int rc = all_rec_ids(m, &ids, err);
    for (size_t i = 0; rc == CCHC_OK && i < ids.n; i++) {
        struct recommendation r = {0};
        struct cchc_err e = {0};
        if (model_rec(m, ids.v[i], &r, &e) != CCHC_OK) {
            c->damaged++;
            continue;
        }
        if (r.status == RS_DONE) {
            c->recs_done++;
        } else {
            c->recs_open++;
            c->recs_overdue += rec_overdue(&r, today);
        }
        rec_free(&r);
    }
    idvec_free(&ids);
    return rc;
}

static int count_items(struct model *m, struct dash_counts *c, struct cchc_err *err)
{
    struct idvec ids = {0};
    int rc = all_item_ids(m, &ids, err);
    for (size_t i = 0; rc == CCHC_OK && i < ids.n; i++) {
        struct commitment_item it = {0};
        struct cchc_err e = {0};
        if (model_item(m, ids.v[i], &it, &e) != CCHC_OK) {
            c->damaged++;
            continue;
        }
        if ((unsigned)it.status < IS_COUNT)
            c->items[it.status]++;
        c->items_total++;
        item_free(&it);
    }
    idvec_free(&ids);
    return rc;
}

int results_counts(struct model *m, int year, cchc_date today, struct dash_counts *out,
                   struct cchc_err *err)
{
    memset(out, 0, sizeof *out);
    out->year = year;
    if (count_visits(m, year, out, err) != CCHC_OK || count_recs(m, today, out, err) != CCHC_OK ||
        count_items(m, out, err) != CCHC_OK)
        return CCHC_ERUNTIME;
    return CCHC_OK;
}
