/* recording.c — who may do what, and the records inspectors keep during a
 * visit: checklist results, recommendations, visit status, commitment item
 * progress (see recording.h). Notes and drafts are in rec_notes.c.
 *
 * Every change follows one pattern: check the input outside any
 * transaction, then one model_write() whose function reads the record as it
 * is now, checks the permission against it (the team of the visit as
 * stored, not as the caller saw it), compares revisions, and only then
 * writes, with an audit detail naming what changed. A refusal or a conflict
 * makes the function fail, so the transaction is aborted and nothing is
 * written. The function may be run again when the map grows (model_write):
 * it keeps nothing between runs except what it resets first.
 *
 * Every refusal an inspector can meet on a screen is said twice: in English
 * (err_set: what the command line prints) and in Vietnamese (err_vi: what a
 * Vietnamese UI shows), with the logins and codes left as they are.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cchc/recording.h"
#include "cchc/text.h"
#include "rec_int.h"

/* ---- roles ---- */

#define CREATOR_KEY "creator"

/* The creator is read once, when the role is set (it only changes when a
 * database is made). */
static void read_creator(struct model *m)
{
    struct stxn *tx;
    struct sval v;
    bool found = false;
    struct cchc_err err = {0};
    free(m->creator);
    m->creator = NULL;
    m->creator_read = true;
    if (store_read_begin(m->st, &tx, &err) != CCHC_OK)
        return;
    if (store_get(tx, DB_META, CREATOR_KEY, strlen(CREATOR_KEY), &v, &found, &err) == CCHC_OK &&
        found && v.len > 0 && v.len < 256 && text_valid_utf8(v.data, v.len) &&
        !memchr(v.data, '\0', v.len))
        m->creator = xstrndup(v.data, v.len);
    store_read_end(tx);
}

void model_set_role(struct model *m, enum role role)
{
    m->role = role;
    read_creator(m);
}

enum role model_role(const struct model *m)
{
    if (m->creator && strcmp(m->creator, m->login) == 0)
        return ROLE_ADMIN;
    return m->role;
}

const char *model_creator(struct model *m)
{
    if (!m->creator_read)
        read_creator(m);
    return m->creator;
}

static int put_creator(struct mtx *tx, void *ctx, struct cchc_err *err)
{
    const char *login = ctx;
    return store_put(mtx_stxn(tx), DB_META, CREATOR_KEY, strlen(CREATOR_KEY), login, strlen(login),
                     err);
}

int model_record_creator(struct model *m, struct cchc_err *err)
{
    int rc = model_write(m, "creator", m->login, put_creator, m->login, err);
    if (rc == CCHC_OK) {
        free(m->creator);
        m->creator = xstrdup(m->login);
        m->creator_read = true;
    }
    return rc;
}

/* ---- permissions ---- */

/* What each action is called in a refusal: English (the command line, and
 * perm_action_verb) and Vietnamese (the UI, through err_vi). */
static const char *const verbs[][2] = {
    [PERM_NOTE_ADD] = {"add notes", "thêm ghi chú"},
    [PERM_NOTE_EDIT] = {"edit notes", "sửa ghi chú"},
    [PERM_CHECK_SET] = {"record checklist results", "ghi kết quả kiểm tra"},
    [PERM_REC_ADD] = {"add recommendations", "thêm kiến nghị"},
    [PERM_REC_EDIT] = {"edit recommendations", "sửa kiến nghị"},
    [PERM_VISIT_STATUS] = {"change the status of visits", "đổi trạng thái đợt kiểm tra"},
    [PERM_VISIT_CONCLUDE] = {"conclude visits", "kết luận đợt kiểm tra"},
    [PERM_ITEM_EDIT] = {"update commitment items", "cập nhật mục cam kết"},
    [PERM_PLAN_EDIT] = {"edit the plan", "sửa kế hoạch"},
    [PERM_VISIT_REOPEN] = {"step a visit's status back", "lùi trạng thái đợt kiểm tra"},
    [PERM_NOTE_DELETE] = {"delete notes", "xoá ghi chú"},
};

/* The roles as the UI names them (the words of M_ROLE_* in i18n.h). */
static const char *const roles_vi[] = {
    [ROLE_NONE] = "không có quyền", [ROLE_VIEWER] = "chỉ xem", [ROLE_INSPECTOR] = "kiểm tra",
    [ROLE_LEAD] = "trưởng đoàn",    [ROLE_ADMIN] = "quản trị",
};

static const char *verb_in(enum perm_action a, bool vi)
{
    if ((unsigned)a < sizeof verbs / sizeof *verbs && verbs[a][vi])
        return verbs[a][vi];
    return vi ? "làm việc này" : "do that";
}

const char *perm_action_verb(enum perm_action a)
{
    return verb_in(a, false);
}

static const char *role_vi(enum role r)
{
    return (unsigned)r < sizeof roles_vi / sizeof *roles_vi ? roles_vi[r] : "?";
}

bool visit_on_team(const struct visit *v, const char *login, bool *lead)
{
    if (lead)
        *lead = false;
    for (size_t i = 0; v && login && i < v->n_team; i++) {
        if (v->team[i].login && strcmp(v->team[i].login, login) == 0) {
            if (lead)
                *lead = v->team[i].role == TEAM_LEAD;
            return true;
        }
    }
    return false;
}

static const char *visit_name(const struct visit *v)
{
    return v && v->code ? v->code : "this visit";
}

/* After "đợt": the code, or "này" ("this"). */
static const char *visit_name_vi(const struct visit *v)
{
    return v && v->code ? v->code : "này";
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

static int need_team(struct model *m, const struct visit *v, struct cchc_err *err)
{
    if (!v || visit_on_team(v, m->login, NULL))
        return CCHC_OK;
    err_set(err, CCHC_EDENIED, "%s is not on the team of %s", m->login, visit_name(v));
    if (v->code)
        err_vi(err, "%s không có trong đoàn kiểm tra %s", m->login, v->code);
    else
        err_vi(err, "%s không có trong đoàn của đợt kiểm tra này", m->login);
    return CCHC_EDENIED;
}

/* "<role> <login> may not <verb> (<who may>)" and its Vietnamese. */
static int only(struct cchc_err *err, struct model *m, enum role r, enum perm_action a,
                const char *who, const char *who_vi)
{
    err_set(err, CCHC_EDENIED, "%s %s may not %s (%s may)", role_name(r), m->login,
            verb_in(a, false), who);
    err_vi(err, "%s (%s) không được %s (chỉ %s mới được)", m->login, role_vi(r), verb_in(a, true),
           who_vi);
    return CCHC_EDENIED;
}

int model_may(struct model *m, enum perm_action a, const struct visit *v, const struct note *n,
              struct cchc_err *err)
{
    if (!m->creator_read)
        read_creator(m);
    enum role r = model_role(m);
    const char *verb = verb_in(a, false), *verb_vi = verb_in(a, true);
    if (r == ROLE_NONE) {
        err_set(err, CCHC_EDENIED, "%s has no role in this database and may not %s", m->login,
                verb);
        err_vi(err, "%s không có quyền trong cơ sở dữ liệu này: không được %s", m->login, verb_vi);
        return CCHC_EDENIED;
    }
    if (r == ROLE_VIEWER) {
        err_set(err, CCHC_EDENIED, "viewer %s may not %s", m->login, verb);
        err_vi(err, "%s (%s) không được %s", m->login, role_vi(r), verb_vi);
        return CCHC_EDENIED;
    }
    if (r == ROLE_ADMIN)
        return CCHC_OK;
    switch (a) {
    case PERM_NOTE_ADD:
    case PERM_VISIT_STATUS:
        return need_team(m, v, err);
    case PERM_NOTE_EDIT:
    case PERM_NOTE_DELETE: {
        if (!n || (n->author && strcmp(n->author, m->login) == 0))
            return CCHC_OK;
        bool del = a == PERM_NOTE_DELETE;
        err_set(err, CCHC_EDENIED, "%s may only %s their own notes (note %" PRIu64 " is %s's)",
                m->login, del ? "delete" : "edit", n->m.id, n->author ? n->author : "?");
        err_vi(err, "%s chỉ được %s ghi chú của mình (ghi chú %" PRIu64 " của %s)", m->login,
               del ? "xoá" : "sửa", n->m.id, n->author ? n->author : "?");
        return CCHC_EDENIED;
    }
    case PERM_CHECK_SET:
    case PERM_REC_ADD:
        if (v && v->status == VS_CONCLUDED) {
            err_set(err, CCHC_EDENIED, "%s is concluded: %s %s may not %s on it", visit_name(v),
                    role_name(r), m->login, verb);
            err_vi(err, "Đợt %s đã kết luận: %s (%s) không được %s", visit_name_vi(v), m->login,
                   role_vi(r), verb_vi);
            return CCHC_EDENIED;
        }
        return need_team(m, v, err);
    case PERM_REC_EDIT:
    case PERM_VISIT_CONCLUDE:
    case PERM_VISIT_REOPEN:
        if (r < ROLE_LEAD)
            return only(err, m, r, a, "a lead on the team", "trưởng đoàn");
        return need_team(m, v, err);
    case PERM_ITEM_EDIT:
        if (r < ROLE_LEAD)
            return only(err, m, r, a, "a lead or admin", "trưởng đoàn hoặc quản trị");
        return CCHC_OK;
    case PERM_PLAN_EDIT:
        break;
    }
    return only(err, m, r, a, "only an admin", "quản trị");
}

/* ---- shared helpers (rec_int.h) ---- */

static bool blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return false;
    return true;
}

int rec_clean_text(const char *text, const char *what, const char *what_vi, bool may_be_empty,
                   char **out, struct cchc_err *err)
{
    *out = NULL;
    char *n = text_nfc(text ? text : "", text ? strlen(text) : 0);
    size_t len = strlen(n);
    if (!may_be_empty && blank(n)) {
        free(n);
        err_set(err, CCHC_EUSAGE, "the %s is empty", what);
        err_vi(err, "%s đang trống: chưa lưu", what_vi);
        return CCHC_EUSAGE;
    }
    if (len > NOTE_MAX_BYTES) {
        free(n);
        err_set(err, CCHC_EUSAGE, "the %s is %zu bytes long, over the limit of %d bytes", what, len,
                NOTE_MAX_BYTES);
        err_vi(err, "%s dài %zu byte, quá giới hạn %d byte", what_vi, len, NOTE_MAX_BYTES);
        return CCHC_EUSAGE;
    }
    *out = n;
    return CCHC_OK;
}

int rec_read(struct model *m, enum store_db db, uint64_t id, void *out, struct cchc_err *err)
{
    struct stxn *tx;
    unsigned char key[8];
    struct sval v;
    bool found = false;
    be64_put(key, id);
    int rc = store_read_begin(m->st, &tx, err);
    if (rc != CCHC_OK)
        return CCHC_ERUNTIME;
    rc = store_get(tx, db, key, sizeof key, &v, &found, err);
    if (rc == CCHC_OK && !found)
        rc = err_set(err, CCHC_ERUNTIME, "no record %s/%" PRIu64, store_db_name(db), id);
    if (rc == CCHC_OK)
        rc = model_decode(db, id, v.data, v.len, out, err);
    store_read_end(tx);
    return rc == CCHC_OK ? CCHC_OK : CCHC_ERUNTIME;
}

int rec_conflict(struct cchc_err *err, const char *what, const char *what_vi, uint64_t id,
                 const struct rec_meta *cur)
{
    char when[17];
    const char *by = cur->mby ? cur->mby : "?";
    time_format(cur->mtime, when);
    err_set(err, CCHC_ECONFLICT,
            "%s %" PRIu64 " was changed by %s at %s since you opened it (revision %" PRIu32
            "); nothing was overwritten",
            what, id, by, when, cur->rev);
    err_vi(err,
           "%s %" PRIu64 " đã được %s sửa lúc %s, sau khi bạn mở (bản %" PRIu32
           "); không có gì bị ghi đè",
           what_vi, id, by, when, cur->rev);
    return CCHC_ECONFLICT;
}

/* Ascending or descending window over the values of one index key; the id
 * is the last 8 bytes of each value. */
int rec_index_window(struct stxn *tx, enum store_db db, const void *key, size_t klen,
                     bool newest_first, size_t pos, size_t n, uint64_t *ids, size_t *got,
                     size_t *count, struct cchc_err *err)
{
    struct scursor *c;
    struct sval v;
    bool found = false;
    *got = 0;
    int rc = store_index_count(tx, db, key, klen, count, err);
    if (rc != CCHC_OK || pos >= *count || n == 0)
        return rc;
    size_t lo, hi; /* ascending positions [lo, hi) */
    if (newest_first) {
        hi = *count - pos;
        lo = hi > n ? hi - n : 0;
    } else {
        lo = pos;
        hi = *count - pos > n ? pos + n : *count;
    }
    rc = store_cursor_open(tx, db, &c, err);
    if (rc != CCHC_OK)
        return rc;
    rc = store_index_seek(c, key, klen, lo, &v, &found, err);
    for (size_t i = lo; rc == CCHC_OK && found && i < hi; i++) {
        uint64_t id = v.len >= 8 ? be64_get((const unsigned char *)v.data + v.len - 8) : 0;
        ids[newest_first ? hi - 1 - i : i - lo] = id;
        (*got)++;
        if (i + 1 < hi)
            rc = store_index_next(c, &v, &found, err);
    }
    store_cursor_close(c);
    if (rc == CCHC_OK && *got != hi - lo) /* the count and the walk disagree: say so */
        rc = err_set(err, CCHC_ERUNTIME, "index %s is damaged (run cchc check)", store_db_name(db));
    return rc;
}

/* "visit 5 · KT-2022-05" for audit details (the code when it can be read). */
void rec_visit_label(struct strbuf *sb, const struct visit *v)
{
    sb_addf(sb, "visit %" PRIu64, v->m.id);
    if (v->code)
        sb_addf(sb, " · %s", v->code);
}

/* ---- checklist results ---- */

/* The check id of (visit, criterion) inside tx, 0 when none. */
static int find_check(struct stxn *tx, uint64_t visit, const char *criterion, uint64_t *id,
                      struct check_result *out, struct cchc_err *err)
{
    unsigned char key[8];
    struct scursor *c;
    struct sval v;
    bool found = false;
    *id = 0;
    be64_put(key, visit);
    int rc = store_cursor_open(tx, IX_VISIT_CHECKS, &c, err);
    if (rc != CCHC_OK)
        return rc;
    rc = store_index_seek(c, key, sizeof key, 0, &v, &found, err);
    while (rc == CCHC_OK && found && !*id) {
        uint64_t cid = v.len == 8 ? be64_get(v.data) : 0;
        unsigned char k2[8];
        struct sval rec;
        bool have = false;
        be64_put(k2, cid);
        rc = store_get(tx, DB_CHECKS, k2, sizeof k2, &rec, &have, err);
        if (rc == CCHC_OK && have) {
            struct check_result cr;
            struct cchc_err derr = {0};
            if (model_decode(DB_CHECKS, cid, rec.data, rec.len, &cr, &derr) == CCHC_OK) {
                if (strcmp(cr.criterion, criterion) == 0) {
                    *id = cid;
                    if (out)
                        *out = cr;
                    else
                        check_free(&cr);
                    break;
                }
                check_free(&cr);
            }
        }
        if (rc == CCHC_OK)
            rc = store_index_next(c, &v, &found, err);
    }
    store_cursor_close(c);
    return rc;
}

int model_check_get(struct model *m, uint64_t visit, const char *criterion,
                    struct check_result *out, bool *found, struct cchc_err *err)
{
    struct stxn *tx;
    uint64_t id = 0;
    memset(out, 0, sizeof *out);
    *found = false;
    char *code = text_nfc(criterion ? criterion : "", criterion ? strlen(criterion) : 0);
    int rc = store_read_begin(m->st, &tx, err);
    if (rc == CCHC_OK) {
        rc = find_check(tx, visit, code, &id, out, err);
        store_read_end(tx);
    }
    free(code);
    *found = rc == CCHC_OK && id;
    return rc == CCHC_OK ? CCHC_OK : CCHC_ERUNTIME;
}

/* The first result code of the configuration that passes (or fails) and
 * applies: what a measured criterion's number is recorded as. */
static const struct result_value *result_for(const struct config *cfg, bool pass)
{
    for (size_t i = 0; i < cfg->n_results; i++)
        if (cfg->results[i].pass == pass && !cfg->results[i].na)
            return &cfg->results[i];
    return NULL;
}

static bool criterion_fits(const struct check_area *ar, const struct criterion *cr,
                           const struct visit *v)
{
    return (ar->scope & v->scope) && criterion_applies(cr, v->unit_kind);
}

struct check_set {
    const struct config *cfg;
    uint64_t visit;
    const struct criterion *crit;
    const struct check_area *area;
    const struct result_value *rv; /* judged or not applicable */
    bool has_number;
    double number;
    char *comment;
    uint32_t base_rev;
    struct check_result theirs;
    bool has_theirs;
};

/* Judge the input against the configuration, before any transaction. */
static int judge(struct check_set *cs, const char *value, const double *number,
                 struct cchc_err *err)
{
    const struct criterion *cr = cs->crit;
    if (value && *value) {
        cs->rv = config_result(cs->cfg, value);
        if (!cs->rv) {
            err_set(err, CCHC_EUSAGE, "unknown result '%s' (see checklist.yaml results)", value);
            err_vi(err, "Không có kết quả “%s” (xem results trong checklist.yaml)", value);
            return CCHC_EUSAGE;
        }
    }
    if (cr->kind == CRIT_JUDGED) {
        if (number) {
            err_set(err, CCHC_EUSAGE, "%s is judged, not measured: give a result, not a number",
                    cr->code);
            err_vi(err, "%s được đánh giá, không đo: chọn một kết quả, không nhập số", cr->code);
            return CCHC_EUSAGE;
        }
        if (!cs->rv) {
            err_set(err, CCHC_EUSAGE, "%s needs a result", cr->code);
            err_vi(err, "%s cần một kết quả", cr->code);
            return CCHC_EUSAGE;
        }
        return CCHC_OK;
    }
    if (cs->rv && cs->rv->na) { /* measured, but not applicable here */
        if (!number)
            return CCHC_OK;
        err_set(err, CCHC_EUSAGE, "%s: a number and '%s' together", cr->code, cs->rv->code);
        err_vi(err, "%s: không được vừa nhập số vừa chọn “%s”", cr->code, cs->rv->code);
        return CCHC_EUSAGE;
    }
    if (!number) {
        err_set(err, CCHC_EUSAGE, "%s is measured: give a number%s%s", cr->code,
                cr->unit ? " in " : "", cr->unit ? cr->unit : "");
        err_vi(err, "%s là tiêu chí đo: nhập một số%s%s%s", cr->code, cr->unit ? " (đơn vị: " : "",
               cr->unit ? cr->unit : "", cr->unit ? ")" : "");
        return CCHC_EUSAGE;
    }
    if (!isfinite(*number) || *number < 0) {
        char num[32];
        err_set(err, CCHC_EUSAGE, "%s: %g is not a measure", cr->code, *number);
        err_vi(err, "%s: %s không phải là một số đo", cr->code, num_vi(*number, num));
        return CCHC_EUSAGE;
    }
    cs->has_number = true;
    cs->number = *number;
    if (cr->op == TH_NONE) { /* no threshold: the inspector judges */
        if (!cs->rv) {
            err_set(err, CCHC_EUSAGE, "%s has no threshold: give a result with the number",
                    cr->code);
            err_vi(err, "%s không có ngưỡng: chọn một kết quả kèm theo số đo", cr->code);
            return CCHC_EUSAGE;
        }
        return CCHC_OK;
    }
    bool pass = cr->op == TH_MIN ? *number >= cr->limit : *number <= cr->limit;
    cs->rv = result_for(cs->cfg, pass);
    if (!cs->rv) {
        err_set(err, CCHC_EUSAGE, "checklist.yaml has no result that %s",
                pass ? "passes" : "fails");
        err_vi(err, "checklist.yaml không có kết quả nào là %s", pass ? "đạt" : "chưa đạt");
        return CCHC_EUSAGE;
    }
    return CCHC_OK;
}

static int check_set_fn(struct mtx *tx, void *ctx, struct cchc_err *err)
{
    struct check_set *cs = ctx;
    struct model *m = mtx_model(tx);
    struct visit v = {0};
    struct check_result cur = {0};
    uint64_t id = 0;
    if (cs->has_theirs)
        check_free(&cs->theirs);
    cs->has_theirs = false;
    int rc = mtx_get_record(tx, DB_VISITS, cs->visit, &v, err);
    if (rc == CCHC_OK)
        rc = model_may(m, PERM_CHECK_SET, &v, NULL, err);
    if (rc == CCHC_OK && !criterion_fits(cs->area, cs->crit, &v)) {
        rc = err_set(err, CCHC_EUSAGE, "criterion %s does not apply to %s", cs->crit->code,
                     visit_name(&v));
        err_vi(err, "Tiêu chí %s không áp dụng cho đợt %s", cs->crit->code, visit_name_vi(&v));
    }
    if (rc == CCHC_OK)
        rc = find_check(mtx_stxn(tx), cs->visit, cs->crit->code, &id, &cur, err);
    if (rc == CCHC_OK && (id ? cur.m.rev != cs->base_rev : cs->base_rev != 0)) {
        if (id) {
            char when[17];
            const char *by = cur.m.mby ? cur.m.mby : "?";
            time_format(cur.m.mtime, when);
            rc = err_set(err, CCHC_ECONFLICT,
                         "the result of %s on %s was recorded by %s at %s since you opened it; "
                         "nothing was overwritten",
                         cs->crit->code, visit_name(&v), by, when);
            err_vi(err,
                   "Kết quả %s của đợt %s đã được %s ghi lúc %s, sau khi bạn mở; không có gì bị "
                   "ghi đè",
                   cs->crit->code, visit_name_vi(&v), by, when);
            cs->theirs = cur;
            cs->has_theirs = true;
            memset(&cur, 0, sizeof cur);
        } else {
            rc = err_set(err, CCHC_ECONFLICT, "the result of %s on %s is gone", cs->crit->code,
                         visit_name(&v));
            err_vi(err, "Kết quả %s của đợt %s không còn nữa", cs->crit->code, visit_name_vi(&v));
        }
    }
    if (rc == CCHC_OK) {
        struct check_result n = {0};
        n.m.id = id;
        n.m.rev = id ? cur.m.rev : 0;
        n.visit = cs->visit;
        n.criterion = cs->crit->code;
        n.value = cs->rv ? cs->rv->code : NULL;
        n.has_number = cs->has_number;
        n.number = cs->has_number ? cs->number : NAN;
        n.pass = cs->rv && cs->rv->pass;
        n.na = cs->rv && cs->rv->na;
        n.comment = cs->comment;
        rc = mtx_put_record(tx, DB_CHECKS, &n, err);
        free(n.m.mby);
        if (rc == CCHC_OK) {
            struct strbuf sb = {0};
            rec_visit_label(&sb, &v);
            sb_addf(&sb, " · %s = %s", cs->crit->code, n.value ? n.value : "-");
            if (cs->has_number)
                sb_addf(&sb, " (%g%s%s)", cs->number, cs->crit->unit ? " " : "",
                        cs->crit->unit ? cs->crit->unit : "");
            mtx_set_detail(tx, sb_str(&sb));
            sb_free(&sb);
        }
    }
    check_free(&cur);
    visit_free(&v);
    return rc;
}

int model_check_set(struct model *m, const struct config *cfg, uint64_t visit,
                    const char *criterion, const char *value, const double *number,
                    const char *comment, uint32_t base_rev, struct check_result *theirs,
                    struct cchc_err *err)
{
    struct check_set cs = {.cfg = cfg, .visit = visit, .base_rev = base_rev};
    cs.crit = config_criterion(cfg, criterion ? criterion : "", &cs.area);
    if (!cs.crit || !cs.area) {
        err_set(err, CCHC_EUSAGE, "no criterion '%s' in the checklist", criterion ? criterion : "");
        err_vi(err, "Danh mục kiểm tra không có tiêu chí “%s”", criterion ? criterion : "");
        return CCHC_EUSAGE;
    }
    int rc = judge(&cs, value, number, err);
    if (rc == CCHC_OK && comment && *comment)
        rc = rec_clean_text(comment, "comment", "Nhận xét", true, &cs.comment, err);
    if (rc == CCHC_OK)
        rc = model_write(m, "check set", NULL, check_set_fn, &cs, err);
    if (cs.has_theirs) {
        if (theirs)
            *theirs = cs.theirs;
        else
            check_free(&cs.theirs);
    }
    free(cs.comment);
    return rc;
}

/* ---- conflicts: what differs, field by field ---- */

/* NULL and "" are the same text. */
static bool same_text(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

/* Replace *dst (malloc'd or NULL) by a copy of src. */
static void take_text(char **dst, const char *src)
{
    free(*dst);
    *dst = src ? xstrdup(src) : NULL;
}

static bool same_value(const struct check_result *a, const struct check_result *b)
{
    if (a->has_number || b->has_number)
        return a->has_number && b->has_number && a->number == b->number;
    return same_text(a->value, b->value);
}

unsigned check_differs(const struct check_result *a, const struct check_result *b)
{
    return (same_value(a, b) ? 0 : CHKF_VALUE) |
           (same_text(a->comment, b->comment) ? 0 : CHKF_COMMENT);
}

/* One field of a three-way merge: mine changed it (from base), theirs
 * changed it, and whether the two now agree. Sets the bit in *take when
 * theirs is to be taken, in *clash when both changed it their own way. */
static void merge_one(unsigned bit, bool mine_changed, bool theirs_changed, bool agree,
                      unsigned *take, unsigned *clash)
{
    if (agree || !theirs_changed)
        return;
    if (mine_changed)
        *clash |= bit;
    else
        *take |= bit;
}

unsigned check_merge(const struct check_result *base, struct check_result *mine,
                     const struct check_result *theirs, unsigned *taken)
{
    unsigned mine_d = check_differs(base, mine), theirs_d = check_differs(base, theirs),
             agree = ~check_differs(mine, theirs), take = 0, clash = 0;
    for (unsigned bit = CHKF_VALUE; bit <= CHKF_COMMENT; bit <<= 1)
        merge_one(bit, mine_d & bit, theirs_d & bit, agree & bit, &take, &clash);
    if (take & CHKF_VALUE) {
        take_text(&mine->value, theirs->value);
        mine->has_number = theirs->has_number;
        mine->number = theirs->number;
    }
    if (take & CHKF_COMMENT)
        take_text(&mine->comment, theirs->comment);
    if (taken)
        *taken = take;
    return clash;
}

int mtx_import_check(struct mtx *tx, struct check_result *c, struct cchc_err *err)
{
    uint64_t id = 0;
    char *code =
        text_nfc(c->criterion ? c->criterion : "", c->criterion ? strlen(c->criterion) : 0);
    int rc = find_check(mtx_stxn(tx), c->visit, code, &id, NULL, err);
    if (rc == CCHC_OK && id)
        rc = err_set(err, CCHC_EUSAGE, "visit %" PRIu64 " already has a result for %s", c->visit,
                     code);
    free(code);
    if (rc == CCHC_OK) {
        c->m.id = 0;
        c->m.rev = 0;
        rc = mtx_put_record(tx, DB_CHECKS, c, err);
    }
    return rc;
}

/* ---- recommendations ---- */

const char *rec_status_name(enum rec_status s)
{
    return s == RS_DONE ? "done" : s == RS_OPEN ? "open" : "?";
}

bool rec_overdue(const struct recommendation *r, cchc_date today)
{
    return r->status == RS_OPEN && r->deadline != 0 && r->deadline < today;
}

int rec_check_deadline(const struct visit *v, cchc_date deadline, struct cchc_err *err)
{
    char d[11], s[11];
    if (!deadline) {
        err_set(err, CCHC_EUSAGE, "a recommendation needs a deadline");
        err_vi(err, "Kiến nghị cần có thời hạn");
        return CCHC_EUSAGE;
    }
    if (v && v->start && deadline < v->start) {
        date_dmy(deadline, d);
        date_dmy(v->start, s);
        err_set(err, CCHC_EUSAGE, "the deadline %s is before %s starts (%s)", d, visit_name(v), s);
        err_vi(err, "Thời hạn %s trước ngày bắt đầu đợt %s (%s)", d, visit_name_vi(v), s);
        return CCHC_EUSAGE;
    }
    return CCHC_OK;
}

unsigned rec_differs(const struct recommendation *a, const struct recommendation *b)
{
    return (same_text(a->text, b->text) ? 0 : RECF_TEXT) | (a->unit == b->unit ? 0 : RECF_UNIT) |
           (a->deadline == b->deadline ? 0 : RECF_DEADLINE) |
           (a->status == b->status ? 0 : RECF_STATUS);
}

unsigned rec_merge(const struct recommendation *base, struct recommendation *mine,
                   const struct recommendation *theirs, unsigned *taken)
{
    unsigned mine_d = rec_differs(base, mine), theirs_d = rec_differs(base, theirs),
             agree = ~rec_differs(mine, theirs), take = 0, clash = 0;
    for (unsigned bit = RECF_TEXT; bit <= RECF_STATUS; bit <<= 1)
        merge_one(bit, mine_d & bit, theirs_d & bit, agree & bit, &take, &clash);
    if (take & RECF_TEXT)
        take_text(&mine->text, theirs->text);
    if (take & RECF_UNIT)
        mine->unit = theirs->unit;
    if (take & RECF_DEADLINE)
        mine->deadline = theirs->deadline;
    if (take & RECF_STATUS) {
        mine->status = theirs->status;
        mine->done_on = theirs->done_on;
    }
    if (taken)
        *taken = take;
    return clash;
}

int model_rec(struct model *m, uint64_t id, struct recommendation *out, struct cchc_err *err)
{
    memset(out, 0, sizeof *out);
    return rec_read(m, DB_RECS, id, out, err);
}

int model_visit_recs(struct model *m, uint64_t visit, size_t pos, size_t n, uint64_t *ids,
                     size_t *got, size_t *count, struct cchc_err *err)
{
    struct stxn *tx;
    unsigned char key[8];
    be64_put(key, visit);
    *got = *count = 0;
    int rc = store_read_begin(m->st, &tx, err);
    if (rc != CCHC_OK)
        return CCHC_ERUNTIME;
    rc = rec_index_window(tx, IX_VISIT_RECS, key, sizeof key, false, pos, n, ids, got, count, err);
    store_read_end(tx);
    return rc == CCHC_OK ? CCHC_OK : CCHC_ERUNTIME;
}

struct rec_save {
    const struct recommendation *in; /* the caller's */
    char *text;
    struct recommendation out; /* meta and derived fields, copied back on success */
    struct recommendation theirs;
    bool has_theirs;
};

static int rec_save_fn(struct mtx *tx, void *ctx, struct cchc_err *err)
{
    struct rec_save *rs = ctx;
    struct model *m = mtx_model(tx);
    const struct recommendation *in = rs->in;
    struct recommendation cur = {0}, n = {0};
    struct visit v = {0};
    bool adding = in->m.id == 0;
    if (rs->has_theirs)
        rec_free(&rs->theirs);
    rs->has_theirs = false;
    int rc = CCHC_OK;
    if (!adding) {
        rc = mtx_get_record(tx, DB_RECS, in->m.id, &cur, err);
        if (rc == CCHC_OK && cur.m.rev != in->m.rev) {
            rc = rec_conflict(err, "recommendation", "Kiến nghị", in->m.id, &cur.m);
            rs->theirs = cur;
            rs->has_theirs = true;
            memset(&cur, 0, sizeof cur);
        }
    }
    if (rc == CCHC_OK)
        rc = mtx_get_record(tx, DB_VISITS, adding ? in->visit : cur.visit, &v, err);
    if (rc == CCHC_OK)
        rc = model_may(m, adding ? PERM_REC_ADD : PERM_REC_EDIT, &v, NULL, err);
    /* A record from before the rule keeps what it has until its deadline is changed. */
    if (rc == CCHC_OK && (adding || in->deadline != cur.deadline))
        rc = rec_check_deadline(&v, in->deadline, err);
    if (rc == CCHC_OK) {
        n.m.id = adding ? 0 : cur.m.id;
        n.m.rev = adding ? 0 : cur.m.rev;
        n.visit = v.m.id; /* a recommendation stays with its visit */
        n.unit = in->unit ? in->unit : v.unit;
        n.text = rs->text;
        n.deadline = in->deadline;
        n.status = in->status;
        n.done_on = in->status == RS_DONE ? (in->done_on ? in->done_on : date_today()) : 0;
        n.author = adding ? m->login : cur.author;
        n.created = adding ? mtx_now(tx) : cur.created;
        rc = mtx_put_record(tx, DB_RECS, &n, err);
    }
    if (rc == CCHC_OK) {
        struct strbuf sb = {0};
        rec_visit_label(&sb, &v);
        sb_addf(&sb, " · recommendation %" PRIu64 " · %s", n.m.id, rec_status_name(n.status));
        mtx_set_detail(tx, sb_str(&sb));
        sb_free(&sb);
        free(rs->out.m.mby);
        free(rs->out.author);
        rs->out = (struct recommendation){
            .m = n.m, .visit = n.visit, .unit = n.unit, .done_on = n.done_on, .created = n.created};
        rs->out.author = xstrdup(n.author);
        n.m.mby = NULL;
    }
    free(n.m.mby);
    rec_free(&cur);
    visit_free(&v);
    return rc;
}

int model_rec_save(struct model *m, struct recommendation *r, struct recommendation *theirs,
                   struct cchc_err *err)
{
    struct rec_save rs = {.in = r};
    if ((unsigned)r->status >= RS_COUNT) {
        err_set(err, CCHC_EUSAGE, "unknown recommendation status %d", (int)r->status);
        err_vi(err, "Trạng thái kiến nghị không hợp lệ: %d", (int)r->status);
        return CCHC_EUSAGE;
    }
    int rc = rec_clean_text(r->text, "recommendation", "Kiến nghị", false, &rs.text, err);
    if (rc == CCHC_OK)
        rc = model_write(m, r->m.id ? "rec edit" : "rec add", NULL, rec_save_fn, &rs, err);
    if (rc == CCHC_OK) {
        free(r->m.mby);
        free(r->author);
        r->m = rs.out.m;
        r->visit = rs.out.visit;
        r->unit = rs.out.unit;
        r->done_on = rs.out.done_on;
        r->created = rs.out.created;
        r->author = rs.out.author;
    } else {
        free(rs.out.m.mby);
        free(rs.out.author);
    }
    if (rs.has_theirs) {
        if (theirs)
            *theirs = rs.theirs;
        else
            rec_free(&rs.theirs);
    }
    free(rs.text);
    return rc;
}

int mtx_import_rec(struct mtx *tx, struct recommendation *r, struct cchc_err *err)
{
    if ((unsigned)r->status >= RS_COUNT)
        return err_set(err, CCHC_EUSAGE, "unknown recommendation status %d", (int)r->status);
    r->m.id = 0;
    r->m.rev = 0;
    return mtx_put_record(tx, DB_RECS, r, err);
}

/* ---- visit status ---- */

struct status_set {
    uint64_t visit;
    uint32_t base_rev;
    enum visit_status to;
};

static cchc_date *status_day(struct visit *v, enum visit_status s)
{
    switch (s) {
    case VS_IN_PROGRESS:
        return &v->started_on;
    case VS_DONE:
        return &v->done_on;
    case VS_CONCLUDED:
        return &v->concluded_on;
    default:
        return NULL;
    }
}

static int status_fn(struct mtx *tx, void *ctx, struct cchc_err *err)
{
    struct status_set *ss = ctx;
    struct model *m = mtx_model(tx);
    struct visit v = {0};
    int rc = mtx_get_record(tx, DB_VISITS, ss->visit, &v, err);
    if (rc == CCHC_OK && v.m.rev != ss->base_rev)
        rc = rec_conflict(err, "visit", "Đợt kiểm tra", ss->visit, &v.m);
    enum visit_status from = v.status;
    bool forward = (int)ss->to == (int)from + 1, back = (int)ss->to + 1 == (int)from;
    if (rc == CCHC_OK && !forward && !back) {
        rc = err_set(err, CCHC_EUSAGE, "%s is %s: it can only move one step, not to %s",
                     visit_name(&v), visit_status_name(from), visit_status_name(ss->to));
        err_vi(err, "Đợt %s đang ở trạng thái “%s”: chỉ chuyển được từng bước, không sang “%s”",
               visit_name_vi(&v), visit_status_label(from, true), visit_status_label(ss->to, true));
    }
    /* concluding, and undoing any step, are the lead's; a step forward the team's */
    if (rc == CCHC_OK)
        rc = model_may(m,
                       back                     ? PERM_VISIT_REOPEN
                       : ss->to == VS_CONCLUDED ? PERM_VISIT_CONCLUDE
                                                : PERM_VISIT_STATUS,
                       &v, NULL, err);
    if (rc == CCHC_OK) {
        cchc_date *day = status_day(&v, forward ? ss->to : from);
        if (day)
            *day = forward ? date_today() : 0;
        v.status = ss->to;
        rc = mtx_put_visit(tx, &v, err);
    }
    if (rc == CCHC_OK) {
        struct strbuf sb = {0};
        rec_visit_label(&sb, &v);
        sb_addf(&sb, " · %s → %s", visit_status_name(from), visit_status_name(ss->to));
        mtx_set_detail(tx, sb_str(&sb));
        sb_free(&sb);
    }
    visit_free(&v);
    return rc;
}

int model_visit_set_status(struct model *m, uint64_t visit, uint32_t base_rev, enum visit_status to,
                           struct cchc_err *err)
{
    if ((unsigned)to >= VS_COUNT) {
        err_set(err, CCHC_EUSAGE, "unknown visit status %d", (int)to);
        err_vi(err, "Trạng thái đợt kiểm tra không hợp lệ: %d", (int)to);
        return CCHC_EUSAGE;
    }
    struct status_set ss = {visit, base_rev, to};
    return model_write(m, "visit status", NULL, status_fn, &ss, err);
}

/* ---- commitment items ---- */

struct item_set {
    uint64_t item;
    uint32_t base_rev;
    enum item_status status;
    char *progress;     /* NFC; NULL clears it */
    bool keep_progress; /* progress NULL: leave the stored one */
    struct commitment_item theirs;
    bool has_theirs;
};

static int item_fn(struct mtx *tx, void *ctx, struct cchc_err *err)
{
    struct item_set *is = ctx;
    struct commitment_item it = {0};
    if (is->has_theirs)
        item_free(&is->theirs);
    is->has_theirs = false;
    int rc = mtx_get_record(tx, DB_ITEMS, is->item, &it, err);
    if (rc == CCHC_OK && it.m.rev != is->base_rev) {
        rc = rec_conflict(err, "commitment item", "Mục cam kết", is->item, &it.m);
        is->theirs = it;
        is->has_theirs = true;
        memset(&it, 0, sizeof it);
    }
    if (rc == CCHC_OK)
        rc = model_may(mtx_model(tx), PERM_ITEM_EDIT, NULL, NULL, err);
    if (rc == CCHC_OK) {
        enum item_status from = it.status;
        if (!is->keep_progress) {
            free(it.progress);
            it.progress = xstrdup(is->progress);
        }
        it.status = is->status;
        rc = mtx_put_item(tx, &it, err);
        if (rc == CCHC_OK) {
            char *d = xasprintf("item %" PRIu64 " · commitment %" PRIu64 " #%" PRIu32 " · %s → %s",
                                it.m.id, it.commitment, it.seq, item_status_name(from),
                                item_status_name(it.status));
            mtx_set_detail(tx, d);
            free(d);
        }
    }
    item_free(&it);
    return rc;
}

int model_item_update(struct model *m, uint64_t item, uint32_t base_rev, enum item_status status,
                      const char *progress, struct commitment_item *theirs, struct cchc_err *err)
{
    struct item_set is = {
        .item = item, .base_rev = base_rev, .status = status, .keep_progress = !progress};
    if ((unsigned)status >= IS_COUNT) {
        err_set(err, CCHC_EUSAGE, "unknown item status %d", (int)status);
        err_vi(err, "Trạng thái mục cam kết không hợp lệ: %d", (int)status);
        return CCHC_EUSAGE;
    }
    int rc = progress && *progress ? rec_clean_text(progress, "progress note", "Ghi chú tiến độ",
                                                    true, &is.progress, err)
                                   : CCHC_OK;
    if (rc == CCHC_OK)
        rc = model_write(m, "item update", NULL, item_fn, &is, err);
    if (is.has_theirs) {
        if (theirs)
            *theirs = is.theirs;
        else
            item_free(&is.theirs);
    }
    free(is.progress);
    return rc;
}
